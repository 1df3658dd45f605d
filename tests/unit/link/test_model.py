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

import testtools

from geo_heat.link import model


class LinkSpecTest(testtools.TestCase):

    def test_round_trip(self):
        spec = model.LinkSpec(link_id='l', name='n', technology='vlan',
                              segmentation_range=(100, 199), mtu_cap=1400)
        self.assertEqual(spec, model.LinkSpec.from_dict(spec.to_dict()))

    def test_spec_stored_before_mtu_cap(self):
        stored = model.LinkSpec(link_id='l', name='n',
                                technology='vlan').to_dict()
        del stored['mtu_cap']
        self.assertIsNone(model.LinkSpec.from_dict(stored).mtu_cap)
