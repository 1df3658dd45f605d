"""Heat resource types of geo-heat."""


def available_resource_mapping():
    return {}
