"""geo.nodes.Endpoint: OS::Geo::Endpoint."""

from geo_heat.tosca import resource


class ToscaGeoEndpoint(resource.GeoResource):
    """One site: its context, cell, physical network and zone, as given."""

    toscatype = 'geo.nodes.Endpoint'
    hot_type = 'OS::Geo::Endpoint'
