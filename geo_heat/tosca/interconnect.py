"""geo.nodes.Interconnect: OS::Geo::Interconnect."""

from geo_heat.tosca import resource

DEPENDS_ON = 'tosca.relationships.DependsOn'


class ToscaGeoInterconnect(resource.GeoResource):
    """A link: its requirements name the two endpoints."""

    toscatype = 'geo.nodes.Interconnect'
    hot_type = 'OS::Geo::Interconnect'
    ENDPOINTS = ('local_endpoint', 'remote_endpoint')

    def handle_properties(self):
        super().handle_properties()
        for name in self.ENDPOINTS:
            self.properties[name] = resource.get_resource(
                resource.required_node(self.nodetemplate, name))
        # get_resource already orders the link after its endpoints.
        self.remove_depends_on([DEPENDS_ON])
