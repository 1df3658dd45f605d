"""Heat plugin shim: Heat imports this module from plugin_dirs."""

from geo_heat.resources import available_resource_mapping  # noqa: F401
