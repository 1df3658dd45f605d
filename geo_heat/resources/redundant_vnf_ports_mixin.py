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

"""The ports of OS::Geo::RedundantVNF on its links, at each site: the
resource's glue to geo_heat.vnf.ports (which ports, which addresses) and
geo_heat.link.sides (each link's side at a site, as the link has it).

Reserving the ports of the two sites, fencing a site (its ports down),
releasing those of a link or a site the VNF left, and naming what stays at
a site given up for good.
"""

import json

from heat.common import exception
from heat.common.i18n import _
from oslo_log import log as logging

from geo_heat import client
from geo_heat import failure
from geo_heat.link import errors
from geo_heat.link import sides
from geo_heat.link import site
from geo_heat.resources import endpoint
from geo_heat.vnf import deploy
from geo_heat.vnf import model
from geo_heat.vnf import plan
from geo_heat.vnf import ports

LOG = logging.getLogger(__name__)


class PortsMixin:

    def _network(self, record):
        """The operator's Neutron at a site."""
        descriptor = record.descriptor
        return self.client_plugin().connect(
            record.placement, descriptor['ca_cert'],
            descriptor['insecure']).network

    def _reserve(self, props):
        """Record both sites and reserve their ports on every link.

        A port stays while its link network does; one on a link no longer
        listed (or replaced) is kept aside in `released` until the
        instances have left it.
        """
        records = self._records()
        links = self._links(props)
        for role, prop in ((plan.ACTIVE, self.ACTIVE_ENDPOINT),
                           (plan.STANDBY, self.STANDBY_ENDPOINT)):
            end = self._endpoint(prop, props)
            if end.name not in records:
                records[end.name] = model.SiteRecord(
                    ref=end.FnGetRefId(), descriptor=end.descriptor(),
                    stack_name='%s-%s' % (self.physical_resource_name(),
                                          end.name),
                    role=role, offset=ports.free_offset(records))
            record = records[end.name]
            link_sides = [(link.name, self._side(record, link))
                          for link in links]
            kept, left = ports.sort_out(record.ports, link_sides)
            for index, (name, side) in enumerate(link_sides):
                if kept[index] is None:
                    kept[index] = self._reserve_port(record, name, side)
                    record.ports.append(kept[index])
                    self._save(records)
            record.ports = kept
            record.released += left
            self._save(records)

    def _side(self, record, link):
        side = sides.side_at(link.data(), record.descriptor['placement'])
        if side is None:
            raise exception.Error(_('link %(link)s does not reach %(where)s')
                                  % {'link': link.name,
                                     'where': record.placement.describe()})
        return side

    def _reserve_port(self, record, link, side):
        index = ports.address_index(side, self.properties[self.ADDRESS_INDEX],
                                    record.offset)
        address = None
        try:
            network = self._network(record)
            address = ports.fixed_address(
                sides.address_ranges(network, side), index)
            return ports.reserve(
                network, record.stack_name, link, side, address,
                record.descriptor['share_project_id'], self.uuid,
                self.stack.id)
        except ValueError as exc:
            raise exception.Error(_('link %(link)s: %(cause)s')
                                  % {'link': link, 'cause': exc})
        except (client.CONNECT_ERRORS + errors.CLIENT_ERRORS) as exc:
            raise exception.Error(
                _('%(where)s: cannot reserve %(address)s on link %(link)s: '
                  '%(cause)s') % {'where': record.placement.describe(),
                                  'address': address or 'an address',
                                  'link': link,
                                  'cause': site.describe_error(exc)})

    def _fence(self, records, key, up):
        """Take a site's ports on the links down (a fence: the instance
        there cannot reach its peer nor serve on the links), or up."""
        record = records[key]
        where = record.where(key)
        try:
            ports.set_up(self._network(record), record.ports, up)
        except failure.SIDE_ERRORS as exc:
            if failure.classify(exc) is None:
                raise
            raise deploy.SiteError(where, 'cannot %s its ports: %s' % (
                'bring up' if up else 'fence', failure.describe(exc)))
        reason = ('%s: ports on the links up again, as the standby'
                  if up else '%s: fenced, ports on the links down') % where
        LOG.info('VNF %s: %s', self.name, reason)
        self._add_event(self.action, self.status, reason)

    def _lost(self, records):
        """The sites whose endpoint was given up for good."""
        return {key for key, record in records.items()
                if endpoint.lost_in_store(self.context, self.stack.id,
                                          record.ref)}

    def _release_ports(self, keep):
        """Release the ports an update set aside, and those of every site
        but the `keep` ones; forget those sites.

        What is at a site given up for good is not asked for: it is
        named, to be swept once the site answers again.
        """
        records = self._records()
        lost = self._lost(records)
        for key, record, released, leaving in ports.to_release(
                records, keep, lost):
            if key in lost:
                self._leave_behind(key, record, released)
            elif released:
                try:
                    ports.release(self._network(record), released)
                except failure.SIDE_ERRORS as exc:
                    if failure.classify(exc) is None:
                        raise
                    raise exception.Error(
                        _('%(where)s: cannot release the VNF\'s ports: '
                          '%(cause)s') % {'where': record.placement
                                          .describe(),
                                          'cause': failure.describe(exc)})
            record.released = []
            if leaving:
                del records[key]
            self._save(records)

    def _leave_behind(self, key, record, released):
        """Name what stays at a site given up for good."""
        message = ports.left_behind(key, record, released)
        if message is None:
            return
        left = dict(json.loads(self.data().get('left', '{}')), **{
            key: message})
        self.data_set('left', json.dumps(left, sort_keys=True))
        LOG.warning('VNF %s: %s', self.name, message)
        self._add_event(self.action, self.status, message)
