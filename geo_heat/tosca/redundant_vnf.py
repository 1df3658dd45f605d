"""geo.policies.RedundantVNF: OS::Geo::RedundantVNF."""

from geo_heat.tosca import resource


class ToscaGeoRedundantVNF(resource.GeoResource):
    """A VNF on two sites. Its properties name the endpoints and links by
    their node templates and the instance template by its path, relative
    to the TOSCA template (translate rebases it on the output)."""

    toscatype = 'geo.policies.RedundantVNF'
    hot_type = 'OS::Geo::RedundantVNF'
    references = ('active_endpoint', 'standby_endpoint')
    list_references = ('links',)

    def handle_properties(self):
        super().handle_properties()
        path = self.properties.get('instance_template')
        if isinstance(path, str):
            self.properties['instance_template'] = {'get_file': path}

    def handle_life_cycle(self):
        """None: a policy has no lifecycle operations (heat-translator
        knows that of its own policy types only)."""
        return None, None, None
