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
