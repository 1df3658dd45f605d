"""Heat's own HeatTestCase, adjusted to run from the installed wheel."""

import os

from heat.engine import resource
from heat.tests import common
from oslo_config import cfg

from geo_heat.resources import endpoint
from geo_heat.resources import interconnect

ENVIRONMENT_DIR = os.path.join(os.path.dirname(__file__), 'etc',
                               'environment.d')


class GeoHeatTestCase(common.HeatTestCase):

    def setUp(self):
        # The wheel lacks Heat's etc/heat/environment.d, and plugin_dirs
        # must not load a system-wide copy of any plugin.
        cfg.CONF.set_override('environment_dir', ENVIRONMENT_DIR)
        cfg.CONF.set_override('plugin_dirs', [])
        cfg.CONF.set_override('action_retry_limit', 0)
        super().setUp()
        resource._register_class('OS::Geo::Endpoint', endpoint.GeoEndpoint)
        resource._register_class('OS::Geo::Interconnect',
                                 interconnect.GeoInterconnect)
