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

"""OS::Geo::RedundantVNF on the sandbox, as the tenant, for every kind of
site (templates/georedundant-vnf-{regions,clouds,cells}.yaml): deploy, a
configuration change in place, a switchover and back, and stack check.
Regions run it in every mode; clouds and cells run it in the mode their
failover (tests/functional/resilience/test_failover.py) leaves out, since
that deploys and switches over their VNFs in the other two (clouds: hot
and cold, and a cold VNF in cloud B switches over here with a
credential; cells: warm and cold).

Each instance is checked in its own region as the admin: a server ACTIVE
(none for a cold standby) on its side's link network, with its reserved
address from that side's half of the link subnet. A switchover swaps the
roles and keeps the link and, in hot and warm mode, the servers. Every
stack is deleted at cleanup with no server, port or network of it left on
any side. Failover is R5 (tests/functional/resilience/test_failover.py).
"""

import json

from tests.functional import vnf


class RegionsVNFTest(vnf.RedundantVNFTestCase):
    """Site a in RegionOne, site b in RegionTwo, each through its region's
    Heat."""

    def test_hot(self):
        self.lifecycle('hot')

    def test_warm(self):
        self.lifecycle('warm')

    def test_cold(self):
        self.lifecycle('cold')

    def test_cold_standby_suspended_on_switchover(self):
        stack, template = self.deploy(mode='cold', purge_policy='suspend')
        active = self.outputs(stack)['active']['server_id']
        self.update(stack, template, active='b')
        out = self.outputs(stack)
        self.assertInstance(out, 'active')
        self.assertEqual('suspended', out['standby']['state'])
        self.assertEqual('SUSPENDED',
                         self.server('RegionOne', active).status)
        # Back: the suspended instance resumes, the other one is kept
        # suspended in turn.
        self.update(stack, template, active='a')
        out = self.outputs(stack)
        self.assertEqual(active, self.assertInstance(out, 'active')[1].id)
        self.assertEqual('suspended', out['standby']['state'])
        self.assertEqual('SUSPENDED', self.server(
            'RegionTwo', out['standby']['server_id']).status)


    def test_link_replaced_under_running_instances(self):
        """A new CIDR replaces the link; the servers stay and move to
        their addresses on the new link, and the old one goes."""
        stack, template = self.deploy(mode='warm')
        out = self.outputs(stack)
        servers = {role: self.assertInstance(out, role)[1].id
                   for role in ('active', 'standby')}
        link = template['resources']['replication_link']['properties']
        link['cidr'] = '10.251.7.0/24'
        self.update(stack, template)
        out = self.outputs(stack)
        self.assertEqual('10.251.7.0/24', out['cidr'])
        for role, server_id in servers.items():
            self.assertEqual(server_id, self.assertInstance(out, role)[1].id)
        self.assertEqual('ACTIVE', out['status'])


class CloudsVNFTest(vnf.RedundantVNFTestCase):
    """Site b in cloud B (operator-named), in the tenant's project there,
    through cloud B's Heat."""

    KIND = 'clouds'
    SIDES = {'site_a': ('RegionOne', None), 'site_b': ('cloud-b', None)}

    def test_warm(self):
        self.lifecycle('warm')

    def test_cold_standby_in_the_cloud_of_a_credential(self):
        """Site b reached with the tenant's own credentials of cloud B,
        kept in its Barbican; none of them shows in what Heat returns."""
        auth = self.cloud_config('tenant-b').config['auth']
        barbican = self.connection('RegionOne', 'tenant').key_manager
        secret = barbican.create_secret(
            name='ft-vnf-cloud-b', payload_content_type='text/plain',
            secret_type='opaque', payload=json.dumps(
                {'auth_type': 'password', 'auth': auth}))
        self.addCleanup(barbican.delete_secret, secret)
        stack, template = self.deploy(
            mode='cold', credential_secret_id_b=secret.secret_ref)
        self.assertInstance(self.outputs(stack), 'standby', running=False)
        self.update(stack, template, active='b')
        out = self.outputs(stack)
        self.assertInstance(out, 'active')
        self.assertInstance(out, 'standby', running=False)
        shown = json.dumps([r.to_dict() for r in self.heat.resources(stack)]
                           + [out], default=str)
        self.assertNotIn(auth['password'], shown)


class CellsVNFTest(vnf.RedundantVNFTestCase):
    """Sites in RegionOne's two cells: one network, one instance per
    cell's host."""

    KIND = 'cells'
    SIDES = {'site_a': ('RegionOne', 'nova-r1-cell1'),
             'site_b': ('RegionOne', 'nova-r1-cell2')}
    SHARED = True

    def test_hot(self):
        """The cells' failover runs warm and cold."""
        self.lifecycle('hot')
