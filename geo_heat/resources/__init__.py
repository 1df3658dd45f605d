"""Heat resource types of geo-heat."""

from geo_heat.resources import endpoint
from geo_heat.resources import interconnect
from geo_heat.resources import redundant_vnf


def available_resource_mapping():
    mapping = {}
    for module in (endpoint, interconnect, redundant_vnf):
        mapping.update(module.resource_mapping())
    return mapping
