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

"""R5 on the production profile: the active site of a hot VNF lost
(RegionTwo's services cut for the test's requests, which carry its
request ID over RabbitMQ to either engine worker), as
resilience.test_failover runs it on the embedded one, while the VNF's
checks and updates land on either engine worker: the failover completes,
site b owes its fencing until a check finds it back, and nothing is
rebuilt."""

from tests.functional.production import test_production
from tests.functional.resilience import test_failover


class ProductionFailoverTest(test_production.Production,
                             test_failover.RegionFailoverTest):

    MODES = ('hot',)
