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

"""Fakes of the services geo-heat talks to, one module per service, each
behaving as the service does for what geo-heat asks of it."""

from tests.unit.fakes.common import heat_error  # noqa: F401
from tests.unit.fakes.common import LosesAnswers  # noqa: F401
from tests.unit.fakes.common import neutron_error  # noqa: F401
from tests.unit.fakes.common import placement_error  # noqa: F401
from tests.unit.fakes.common import Record  # noqa: F401
from tests.unit.fakes.compute import FakeCompute  # noqa: F401
from tests.unit.fakes.connection import FakeComputeSite  # noqa: F401
from tests.unit.fakes.connection import FakeConnection  # noqa: F401
from tests.unit.fakes.heat import FakeHeat  # noqa: F401
from tests.unit.fakes.heat import FakeNova  # noqa: F401
from tests.unit.fakes.neutron import FakeNeutron  # noqa: F401
from tests.unit.fakes.neutron import FakeServices  # noqa: F401
from tests.unit.fakes.placement import FakePlacement  # noqa: F401
