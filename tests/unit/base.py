#    Licensed under the Apache License, Version 2.0 (the "License"); you may
#    not use this file except in compliance with the License. You may obtain
#    a copy of the License at
#
#         http://www.apache.org/licenses/LICENSE-2.0
#
#    Unless required by applicable law or agreed to in writing, software
#    distributed under the License is distributed on an "AS IS" BASIS, WITHOUT
#    WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied. See the
#    License for the specific language governing permissions and limitations
#    under the License.

"""Heat's own HeatTestCase, adjusted to run from the installed wheel."""

import os

from heat.engine import resource
from heat.tests import common
from oslo_config import cfg

from geo_heat.resources import endpoint
from geo_heat.resources import interconnect

# The project of Heat's dummy_context, and its project in cloud-b.
PROJECT_ID = 'test_tenant_id'
REMOTE_PROJECT_ID = 'project-in-cloud-b'
PHYSICAL_NETWORKS = 'physnet1,physnet2,physnet-cell1,physnet-cell2'
DECLARED_ANYWHERE = [
    '*|*|vlan|physnet=' + PHYSICAL_NETWORKS,
    '*|*|flat|physnet=' + PHYSICAL_NETWORKS,
    '*|*|vxlan', '*|*|gre', '*|*|geneve', '*|*|bgpvpn', '*|*|ipsec']
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
        # As an operator configures geo-heat for tenants: links built by
        # its own credentials, cloud-b open to the tests' project.
        cfg.CONF.set_override('link_cloud', 'cloud-a', group='geo_heat')
        cfg.CONF.set_override('cloud_projects',
                              ['cloud-b:%s:%s' % (PROJECT_ID,
                                                  REMOTE_PROJECT_ID)],
                              group='geo_heat')
        # and the interconnect declared for them: every technology between
        # any two sites, VLAN and flat on the tests' physical networks.
        cfg.CONF.set_override('interconnects', DECLARED_ANYWHERE,
                              group='geo_heat')
        resource._register_class('OS::Geo::Endpoint', endpoint.GeoEndpoint)
        resource._register_class('OS::Geo::Interconnect',
                                 interconnect.GeoInterconnect)
