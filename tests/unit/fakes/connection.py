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

"""The operator's connections to a site, made of the fake services."""

import itertools

from tests.unit.fakes.compute import FakeCompute
from tests.unit.fakes.neutron import FakeNeutron
from tests.unit.fakes.placement import FakePlacement


class FakeConnection:
    """The operator's connection to a site: its Neutron, and its Nova and
    Placement with one compute host in each of Nova's default zone and
    az-1 to az-3, and the flavor m1.tiny."""

    _ids = itertools.count(1)

    def __init__(self, neutron=None):
        self.network = neutron or FakeNeutron()
        self.placement = FakePlacement()
        self.compute = FakeCompute(self.placement)
        self.compute.add_flavor('m1.tiny')
        for zone in ('nova', 'az-1', 'az-2', 'az-3'):
            self.compute.add_host('host-' + zone, zone)
        self.current_project_id = 'project-%d' % next(self._ids)


class FakeComputeSite:
    """The operator's connection to one site: its Nova and Placement."""

    def __init__(self):
        self.placement = FakePlacement()
        self.compute = FakeCompute(self.placement)
