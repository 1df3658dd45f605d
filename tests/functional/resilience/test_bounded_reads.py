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

"""R7: a stack show of a VNF whose site is blackholed returns in seconds.

The VNF's status is read live from each site. With cloud B's Heat and Nova
never answering this VNF's reads there (the sandbox's fault hook holds
them, and only them, so the test shares the sandbox), the show still
returns within the probe timeout, naming site b as unreachable.
"""

import re
import time

from oslo_config import cfg

from geo_heat import conf
from tests.functional import vnf

# The sandbox's Heats keep geo-heat's default.
PROBE_TIMEOUT = cfg.CONF[conf.GROUP].probe_timeout


class BoundedShowTest(vnf.RedundantVNFTestCase):

    KIND = 'clouds'
    SIDES = {'site_a': ('RegionOne', None), 'site_b': ('cloud-b', None)}

    def test_show_of_a_blackholed_site(self):
        stack, _ = self.deploy()
        standby = self.outputs(stack)['standby']
        for service, held in (('heat-b', standby['stack_id']),
                              ('nova-b', standby['server_id'])):
            self.hang_requests(service, 'GET', re.escape(held))

        start = time.monotonic()
        shown = self.heat.get_stack(stack.id)
        elapsed = time.monotonic() - start
        status = {o['output_key']: o.get('output_value')
                  for o in shown.outputs}['status']
        self.assertIn('standby site site_b (cloud cloud-b, region RegionOne) '
                      'is unreachable: cannot reach Heat to read stack %s'
                      % standby['stack_id'], status)
        self.assertIn('timed out', status)
        # Waited for the probe, not for the call timeout.
        self.assertGreaterEqual(elapsed, PROBE_TIMEOUT)
        self.assertLess(elapsed, 10)
