"""The ports of OS::Geo::RedundantVNF on its links, at each site.

Each instance's address on each link is a port that the link's builder
reserves in the project that owns the VNF at that site (geo_heat.vnf.deploy
makes it); the ports outlive the instances, so a cold standby keeps its
addresses. Here: reserving them for the two sites, fencing a site (its
ports down), releasing those of a link or a site the VNF left, and naming
what stays at a site given up for good.
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
from geo_heat.vnf import plan

LOG = logging.getLogger(__name__)


class PortsMixin:

    def _reserve(self, props):
        """Record both sites and reserve their ports on every link.

        A port stays while its link network does; one on a link no longer
        listed (or replaced) is kept aside in 'released' until the
        instances have left it.
        """
        records = self._records()
        links = self._links(props)
        for role, prop in ((plan.ACTIVE, self.ACTIVE_ENDPOINT),
                           (plan.STANDBY, self.STANDBY_ENDPOINT)):
            end = self._endpoint(prop, props)
            # Two sites on one network (cells) take addresses apart: a
            # new site takes an offset no recorded site holds.
            taken = {record.get('offset', 0) for record in records.values()}
            record = records.setdefault(end.name, {
                'ref': end.FnGetRefId(),
                'descriptor': end.descriptor(),
                'stack_name': '%s-%s' % (self.physical_resource_name(),
                                         end.name),
                'stack_id': None, 'state': plan.ABSENT, 'role': role,
                'outputs': {}, 'ports': [], 'pending': None,
                'offset': min(set(range(len(taken) + 1)) - taken)})
            held = {(port['link'], port['network_id']): port
                    for port in record['ports']}
            ports = []
            for link in links:
                side = self._side(record, link)
                port = held.pop((link.name, side.network_id), None)
                if port is None:
                    port = self._reserve_port(record, link, side)
                    record['ports'].append(port)
                    self._save(records)
                ports.append(port)
            record['ports'] = ports
            record['released'] = (record.get('released', []) +
                                  list(held.values()))
            self._save(records)

    def _side(self, record, link):
        side = sides.side_at(link.data(), record['descriptor']['placement'])
        if side is None:
            raise exception.Error(_('link %(link)s does not reach %(where)s')
                                  % {'link': link.name,
                                     'where': site.Placement(**record[
                                         'descriptor']['placement'])
                                     .describe()})
        return side

    def _reserve_port(self, record, link, side):
        descriptor = record['descriptor']
        placement = site.Placement(**descriptor['placement'])
        index = self.properties[self.ADDRESS_INDEX]
        address = None
        try:
            network = self.client_plugin().connect(
                placement, descriptor['ca_cert'],
                descriptor['insecure']).network
            address = plan.fixed_address(
                sides.address_ranges(network, side),
                2 * index + record.get('offset', 0) if side.shared
                else index)
            port_id = deploy.reserve_port(
                network, record['stack_name'], side, address,
                descriptor['share_project_id'], self.uuid, self.stack.id)
        except ValueError as exc:
            raise exception.Error(_('link %(link)s: %(cause)s')
                                  % {'link': link.name, 'cause': exc})
        except (client.CONNECT_ERRORS + errors.CLIENT_ERRORS) as exc:
            raise exception.Error(
                _('%(where)s: cannot reserve %(address)s on link %(link)s: '
                  '%(cause)s') % {'where': placement.describe(),
                                  'address': address or 'an address',
                                  'link': link.name,
                                  'cause': site.describe_error(exc)})
        return {'link': link.name, 'port_id': port_id,
                'network_id': side.network_id, 'address': address}

    def _fence(self, records, key, up):
        """Take a site's ports on the links down (a fence: the instance
        there cannot reach its peer nor serve on the links), or up."""
        record = records[key]
        descriptor = record['descriptor']
        placement = site.Placement(**descriptor['placement'])
        where = 'site %s (%s)' % (key, placement.describe())
        try:
            network = self.client_plugin().connect(
                placement, descriptor['ca_cert'],
                descriptor['insecure']).network
            for port in record['ports']:
                network.update_port(port['port_id'], admin_state_up=up)
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
                                          record['ref'])}

    def _release_ports(self, keep):
        """Release the ports an update set aside, and those of every site
        but the `keep` ones; forget those sites.

        What is at a site given up for good is not asked for: it is
        named, to be swept once the site answers again.
        """
        records = self._records()
        lost = self._lost(records)
        plugin = self.client_plugin()
        for key, record in sorted(records.items()):
            leaving = key not in keep
            if key not in lost and (record['pending'] or
                                    (leaving and record['stack_id'])):
                continue  # owed, once the site answers
            ports = record.get('released', []) + (
                record['ports'] if leaving else [])
            descriptor = record['descriptor']
            placement = site.Placement(**descriptor['placement'])
            if key in lost:
                self._leave_behind(key, placement, record, ports)
            elif ports:
                try:
                    network = plugin.connect(
                        placement, descriptor['ca_cert'],
                        descriptor['insecure']).network
                    for port in ports:
                        deploy.release_port(network, port['port_id'])
                except failure.SIDE_ERRORS as exc:
                    if failure.classify(exc) is None:
                        raise
                    raise exception.Error(
                        _('%(where)s: cannot release the VNF\'s ports: '
                          '%(cause)s') % {'where': placement.describe(),
                                          'cause': failure.describe(exc)})
            record['released'] = []
            if leaving:
                del records[key]
            self._save(records)

    def _leave_behind(self, key, placement, record, ports):
        """Name what stays at a site given up for good."""
        left = dict(json.loads(self.data().get('left', '{}')))
        objects = (['instance stack %s' % record['stack_id']]
                   if record['stack_id'] else []) + [
            'port %s' % port['port_id'] for port in ports]
        if not objects:
            return
        left[key] = '%s (%s) was given up; left there: %s' % (
            key, placement.describe(), ', '.join(objects))
        self.data_set('left', json.dumps(left, sort_keys=True))
        LOG.warning('VNF %s: %s', self.name, left[key])
        self._add_event(self.action, self.status, left[key])
