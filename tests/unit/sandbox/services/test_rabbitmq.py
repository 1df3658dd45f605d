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

"""Unit tests of the sandbox's RabbitMQ: every listener on loopback."""

from geo_heat_sandbox.services import rabbitmq
from tests.unit.sandbox import base


class RabbitMQListenersTest(base.ConfiguredTest):

    def test_amqp_on_loopback(self):
        self.assertEqual('listeners.tcp.default = 127.0.0.1:%d\n'
                         % self.lay.backend_port('rabbitmq'),
                         rabbitmq.config(self.lay))

    def test_distribution_and_epmd_on_loopback(self):
        env = rabbitmq.environment(self.lay)
        self.assertEqual('127.0.0.1', env['RABBITMQ_NODE_IP_ADDRESS'])
        self.assertEqual('127.0.0.1', env['ERL_EPMD_ADDRESS'])
        self.assertEqual('-kernel inet_dist_use_interface {127,0,0,1}',
                         env['RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS'])
