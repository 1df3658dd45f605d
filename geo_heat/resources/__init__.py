"""Heat resource types of geo-heat."""

from geo_heat.resources import endpoint
from geo_heat.resources import interconnect


def available_resource_mapping():
    mapping = {}
    for module in (endpoint, interconnect):
        mapping.update(module.resource_mapping())
    return mapping
