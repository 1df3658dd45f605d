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

"""R7: the answer to a remote create is lost after the remote side
committed (a WAN timeout at the worst moment).

RegionTwo's Heat creates the VNF's instance stack and its Neutron the
VNF's port there, and the connection closes before either answers: the
VNF adopts what they made instead of colliding with it. Only this test's
requests are affected (the sandbox's fault hook matches its stack name),
so it shares the sandbox with the others.
"""

from geo_heat import definitions
from geo_heat_sandbox import templates
from tests.functional import vnf


class OrphansTest(vnf.RedundantVNFTestCase):

    def test_lost_answers_leave_no_orphan(self):
        name = self.stack_name()
        # The instance stack and the port are named after the VNF
        # resource: <stack>-vnf-<id>-site_b.
        ours = '"%s-vnf-' % name
        dropped = [
            self.drop_responses('heat-r2', 'POST', r'/stacks$',
                                contains=ours),
            self.drop_responses('neutron-r2', 'POST', r'/ports$',
                                contains=ours)]
        stack = self.create_stack(templates.vnf(
            self.KIND, segmentation_range=vnf.VLANS[self.KIND]), name=name)
        self.assertEqual([0, 0], [fault.remaining() for fault in dropped])

        out = self.outputs(stack)
        self.assertEqual('ACTIVE', out['status'])
        self.assertInstance(out, 'standby')
        heat = self.heat_on('RegionTwo')
        instances = [s.id for s in heat.stacks()
                     if s.name.startswith(name + '-')]
        self.assertEqual([out['standby']['stack_id']], instances)
        ports = self.connection('RegionTwo').network.ports(
            tags=definitions.stack_tag(stack.id))
        self.assertEqual([out['standby']['link_addresses'][self.LINK]],
                         [ip['ip_address'] for port in ports
                          for ip in port.fixed_ips])

        self.delete_stack(stack.id)
        self.assertEqual([], [s.id for s in heat.stacks()
                              if s.name.startswith(name + '-')])
