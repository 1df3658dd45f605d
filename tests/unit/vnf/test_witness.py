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

from geo_heat.vnf import witness

ROLES = {'active': 'site_a', 'standby': 'site_b'}


class ParseTest(testtools.TestCase):

    def test_geo_heat_signals(self):
        signal = witness.parse({'action': 'sync', 'instance': 'site_b',
                                'epoch': '2', 'in_sync': False, 'lag': 3})
        self.assertEqual((witness.SYNC, 'site_b', 2, False, 3.0),
                         (signal.action, signal.instance, signal.epoch,
                          signal.in_sync, signal.lag))

    def test_unknown_or_malformed_signals_are_refused(self):
        for details in ('lost', {'action': 'reboot'}, {},
                        {'action': 'sync', 'in_sync': 'yes'},
                        {'action': 'configuration'},
                        {'action': 'peer-lost', 'epoch': 'two'}):
            self.assertRaises(witness.SignalError, witness.parse, details)

    def test_configuration_is_size_capped(self):
        self.assertRaisesRegex(
            witness.SignalError, 'over 16384 bytes', witness.parse,
            {'action': 'configuration',
             'configuration': 'x' * (witness.CONFIGURATION_MAX_BYTES + 1)})

    def test_an_alertmanager_webhook_is_a_lost_site(self):
        signal = witness.parse({'version': '4', 'status': 'firing',
                                'alerts': [{'status': 'firing', 'labels': {
                                    'alertname': 'SiteDown',
                                    'site': 'site_a'}}]})
        self.assertEqual((witness.SITE_LOST, 'site_a'),
                         (signal.action, signal.site))
        self.assertIsNone(witness.parse({'status': 'resolved', 'alerts': [
            {'status': 'resolved', 'labels': {}}]}))

    def test_an_aodh_alarm_is_a_lost_site(self):
        signal = witness.parse({'alarm_id': 'a1', 'alarm_name': 'site-a',
                                'current': 'alarm', 'previous': 'ok',
                                'reason': 'no heartbeat'})
        self.assertEqual(witness.SITE_LOST, signal.action)
        self.assertIn('no heartbeat', signal.reason)
        self.assertIsNone(witness.parse({'alarm_id': 'a1', 'current': 'ok',
                                         'previous': 'alarm',
                                         'reason': ''}))


class SenderTest(testtools.TestCase):

    def test_an_instance_signs_with_its_role_and_the_current_epoch(self):
        witness.check_sender(witness.parse({
            'action': 'peer-lost', 'instance': 'site_b', 'epoch': 3}),
            ROLES, 3)
        self.assertRaisesRegex(
            witness.SignalError, 'stale epoch 2', witness.check_sender,
            witness.parse({'action': 'peer-lost', 'instance': 'site_b',
                           'epoch': 2}), ROLES, 3)
        self.assertRaisesRegex(
            witness.SignalError, 'from the active instance',
            witness.check_sender, witness.parse({
                'action': 'configuration', 'instance': 'site_b',
                'epoch': 3, 'configuration': 'x'}), ROLES, 3)

    def test_monitors_need_no_epoch(self):
        witness.check_sender(witness.parse({'action': 'site-lost'}),
                             ROLES, 3)


class DecideTest(testtools.TestCase):

    def test_the_active_instance_must_be_gone_long_enough(self):
        self.assertEqual(witness.SERVING,
                         witness.decide(None, None, 100.0, 5))
        self.assertEqual(witness.WAIT,
                         witness.decide('Nova does not answer', 98.0, 100.0,
                                        5))
        self.assertEqual(witness.PROMOTE,
                         witness.decide('Nova does not answer', 94.0, 100.0,
                                        5))
        self.assertEqual(witness.PROMOTE,
                         witness.decide('server is SHUTOFF', None, 100.0, 0))
