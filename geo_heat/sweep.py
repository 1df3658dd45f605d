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

"""geo-heat-sweep: remove what geo-heat left on a site that came back.

A link or a VNF deleted while one of its sites was lost (given up for good)
leaves its objects there: that side was asked nothing. Once the site
answers again, the operator runs this command with the site's credentials
and those of the Heat(s) where the geo-heat stacks live. It lists every
object geo-heat made there (tagged, or named by a link's description),
finds the stack that owns it, and keeps it while that stack still has the
link or VNF; the rest is listed (--dry-run, the default) or removed
(--delete) in dependency order. Only openstacksdk is used.
"""

import argparse
import dataclasses
import sys
import time

from keystoneauth1 import exceptions as ks_exc
from openstack import exceptions as sdk_exc

from geo_heat import cli
from geo_heat import definitions

LINK_TYPE, VNF_TYPE = 'OS::Geo::Interconnect', 'OS::Geo::RedundantVNF'
# The stack states in which what the stack owns may still change.
BUSY = '_IN_PROGRESS'
# Link objects found by their description, as openstacksdk lists them, in
# the order they are deleted (routers last but one: they hold the VPN
# services; networks last: they hold the routers' interfaces).
LINK_OBJECTS = (
    ('vpn_ipsec_site_connection', 'vpn_ipsec_site_connections'),
    ('vpn_endpoint_group', 'vpn_endpoint_groups'),
    ('vpn_service', 'vpn_services'),
    ('vpn_ipsec_policy', 'vpn_ipsec_policies'),
    ('vpn_ike_policy', 'vpn_ike_policies'),
    ('bgpvpn', 'bgpvpns'),
    ('router', 'routers'),
)
# Every kind, in the order --delete removes them: what runs on the links
# first (VNF instance stacks, their reserved ports), then the link objects,
# the shares, and the networks (Neutron removes their subnets with them).
DELETE_ORDER = (('stack', 'port') + tuple(kind for kind, _ in LINK_OBJECTS) +
                ('rbac_policy', 'network'))
# How long --delete waits for a VNF instance stack to go.
STACK_DELETE_SECONDS = 300
# What a site's services answer, or their silence. (The sweep runs
# without Heat, so not geo_heat.failure.)
SIDE_ERRORS = (sdk_exc.SDKException, ks_exc.ClientException)


@dataclasses.dataclass
class Leftover:
    """An object geo-heat made on the site, and who owns it."""

    kind: str
    id: str
    name: str
    owner: str
    stack_id: str | None = None
    # Why it goes (or, for one kept, why it stays).
    reason: str = ''
    # The project a VNF's port and instance stack belong to.
    project_id: str | None = None

    def describe(self):
        return '%s %s (%s) of %s: %s' % (self.kind, self.id, self.name or '',
                                         self.owner, self.reason)


def _tag_value(tags, prefix):
    for tag in tags or ():
        if tag.startswith(prefix):
            return tag[len(prefix):]
    return None


class Site:
    """What geo-heat left in one site's Neutron and Heat."""

    def __init__(self, conn):
        self.conn = conn
        self._heats = {}

    def _listing(self, name, **query):
        """A Neutron listing; nothing where the site lacks its extension."""
        try:
            return list(getattr(self.conn.network, name)(**query))
        except sdk_exc.NotFoundException:
            return []

    def links(self):
        """Every link object, as Leftovers grouped by link ID."""
        prefix = definitions.link_description('')
        links = {}
        for network in self._listing('networks', tags=definitions.TAG_OWNER):
            link_id = _tag_value(network.tags, definitions.TAG_LINK_PREFIX)
            if link_id is None:
                continue
            stack_id = _tag_value(network.tags, definitions.TAG_STACK_PREFIX)
            owner = 'link %s' % link_id
            found = links.setdefault(link_id, [])
            found.append(Leftover('network', network.id, network.name, owner,
                                  stack_id))
            found += [Leftover('rbac_policy', policy.id, '', owner, stack_id)
                      for policy in self._listing(
                          'rbac_policies', object_type='network',
                          object_id=network.id)]
        for kind, listing in LINK_OBJECTS:
            for obj in self._listing(listing):
                # BGPVPNs have no description: their name marks the link.
                mark = (obj.name if kind == 'bgpvpn'
                        else getattr(obj, 'description', None)) or ''
                if not mark.startswith(prefix):
                    continue
                link_id = mark[len(prefix):]
                links.setdefault(link_id, []).append(
                    Leftover(kind, obj.id, obj.name, 'link %s' % link_id))
        for found in links.values():
            stack_id = next((o.stack_id for o in found if o.stack_id), None)
            for obj in found:
                obj.stack_id = stack_id
        return links

    def vnf_ports(self):
        """The ports VNFs reserved on links, as Leftovers. Each is named
        after its VNF instance stack in this site's Heat."""
        ports = []
        for port in self._listing('ports', tags=definitions.TAG_OWNER):
            vnf_id = _tag_value(port.tags, definitions.TAG_VNF_PREFIX)
            if vnf_id is not None:
                ports.append(Leftover(
                    'port', port.id, port.name, 'VNF %s' % vnf_id,
                    _tag_value(port.tags, definitions.TAG_STACK_PREFIX),
                    project_id=port.project_id))
        return ports

    def _heat(self, project_id):
        """This site's Heat as the operator's user scoped to a project:
        Heat's default policy lets no one list every project's stacks."""
        if project_id not in self._heats:
            self._heats[project_id] = self.conn.connect_as_project(
                {'id': project_id}).orchestration
        return self._heats[project_id]

    def instance_stacks(self, name, project_id):
        """This site's Heat stacks of a project named so."""
        return [stack for stack in self._heat(project_id).stacks(name=name)
                if stack.name == name]

    def delete(self, obj):
        """Remove one object; a router loses its interfaces first."""
        if obj.kind == 'stack':
            self._delete_stack(obj)
            return
        net = self.conn.network
        if obj.kind == 'router':
            for port in net.ports(device_id=obj.id,
                                  device_owner='network:router_interface'):
                net.remove_interface_from_router(obj.id, port=port.id)
        getattr(net, 'delete_' + obj.kind)(obj.id, ignore_missing=True)

    def _delete_stack(self, obj):
        heat = self._heat(obj.project_id)
        heat.delete_stack(obj.id)
        deadline = time.monotonic() + STACK_DELETE_SECONDS
        while True:
            stack = heat.find_stack(obj.id, ignore_missing=True)
            if stack is None or stack.status == 'DELETE_COMPLETE':
                return
            if stack.status == 'DELETE_FAILED':
                raise sdk_exc.SDKException('stack %s: %s' % (
                    obj.id, stack.status_reason))
            if time.monotonic() > deadline:
                raise TimeoutError('stack %s is still there after %d s'
                                   % (obj.id, STACK_DELETE_SECONDS))
            time.sleep(2)


@dataclasses.dataclass
class Owner:
    """A stack of a Heat, and the links and VNFs it still has."""

    status: str
    # Every ID its links recorded (their objects on every side), and its
    # VNFs' physical IDs (their instance stacks and ports are named so).
    link_ids: set = dataclasses.field(default_factory=set)
    vnf_ids: set = dataclasses.field(default_factory=set)
    # Why its links or VNFs could not be read: then all of it is kept.
    unreadable: str | None = None


class Heats:
    """The Heats where geo-heat stacks live."""

    def __init__(self, conns):
        self.conns = conns
        self._owners = {}

    def owner(self, stack_id):
        """The stack, or None if no Heat has it any more."""
        if stack_id not in self._owners:
            self._owners[stack_id] = self._read(stack_id)
        return self._owners[stack_id]

    def _read(self, stack_id):
        for conn in self.conns:
            heat = conn.orchestration
            try:
                stack = heat.get_stack(stack_id, resolve_outputs=False)
            except sdk_exc.NotFoundException:
                continue
            if stack.status == 'DELETE_COMPLETE':
                return None
            owner = Owner(stack.status)
            try:
                self._read_resources(heat, stack, owner)
            except SIDE_ERRORS as exc:
                owner.unreadable = 'cannot read its resources: %s' % exc
            return owner
        return None

    @staticmethod
    def _read_resources(heat, stack, owner):
        for rsrc in heat.resources(stack):
            if rsrc.resource_type == VNF_TYPE:
                owner.vnf_ids.add(rsrc.physical_resource_id)
            elif rsrc.resource_type == LINK_TYPE:
                # What the link recorded: its objects on every side.
                owner.link_ids.add(rsrc.physical_resource_id)
                owner.link_ids |= _strings(heat.get(
                    '/stacks/%s/%s/resources/%s' % (stack.name, stack.id,
                                                    rsrc.name)
                ).json()['resource'].get('attributes'))


def _strings(value):
    if isinstance(value, str):
        return {value}
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list):
        return set().union(*(_strings(item) for item in value))
    return set()


def _verdict(heats, stack_id, has):
    """(whether objects of stack_id go, why); has(owner) tells whether the
    stack still has their link or VNF."""
    if stack_id is None:
        return False, 'no stack named on it: kept'
    owner = heats.owner(stack_id)
    if owner is None:
        return True, 'stack %s is gone' % stack_id
    if owner.status.endswith(BUSY) or owner.unreadable:
        return False, 'stack %s is %s: kept' % (
            stack_id, owner.unreadable or owner.status)
    if has(owner):
        return False, 'stack %s has it' % stack_id
    return True, 'stack %s no longer has it' % stack_id


def decide(site, heats, stacks=None):
    """(leftovers to remove, in delete order; kept objects), each with
    the reason; with `stacks` (IDs), only the objects of those stacks."""
    gone, kept = [], []
    for objects in site.links().values():
        if stacks is not None and objects[0].stack_id not in stacks:
            continue
        goes, reason = _verdict(
            heats, objects[0].stack_id,
            lambda owner: any(o.id in owner.link_ids for o in objects))
        for obj in objects:
            obj.reason = reason
        (gone if goes else kept).extend(objects)
    for port in site.vnf_ports():
        if stacks is not None and port.stack_id not in stacks:
            continue
        goes, port.reason = _verdict(
            heats, port.stack_id,
            lambda owner: any(port.name.startswith(vnf + '-')
                              for vnf in owner.vnf_ids))
        if goes:
            try:
                stacks = site.instance_stacks(port.name, port.project_id)
            except SIDE_ERRORS as exc:
                # A server of that stack may hold the port: both wait.
                port.reason += (
                    '; its instance stack %s in project %s cannot be read '
                    '(%s): kept; delete that stack as its project, then '
                    'sweep again' % (port.name, port.project_id, exc))
                goes = False
        if not goes:
            kept.append(port)
            continue
        gone.append(port)
        gone += [Leftover('stack', stack.id, stack.name, port.owner,
                          port.stack_id, port.reason, port.project_id)
                 for stack in stacks]
    gone.sort(key=lambda o: DELETE_ORDER.index(o.kind))
    return gone, kept


def parse_args(argv):
    parser = argparse.ArgumentParser(
        prog='geo-heat-sweep', description=__doc__.split('\n\n')[0])
    parser.add_argument(
        '--site', required=True, metavar='CLOUD[:REGION]',
        help='clouds.yaml entry (and region) of the site that came back, '
             'with the operator\'s credentials there (an admin: it sees and '
             'removes every project\'s objects).')
    parser.add_argument(
        '--heat', required=True, action='append', metavar='CLOUD[:REGION]',
        help='clouds.yaml entry (and region) of a Heat where geo-heat stacks '
             'live, as an admin (repeat for each).')
    cli.add_clouds_file(parser)
    parser.add_argument(
        '--stack', action='append', metavar='STACK_ID',
        help='Only what this stack left (repeat for more), e.g. the stack '
             'a delete named in its events while the site was lost; '
             'default: every stack\'s.')
    action = parser.add_mutually_exclusive_group()
    action.add_argument('--dry-run', dest='delete', action='store_false',
                        help='List what would be removed (the default).')
    action.add_argument('--delete', action='store_true',
                        help='Remove it, in dependency order.')
    parser.set_defaults(delete=False)
    parser.add_argument('--verbose', action='store_true',
                        help='Also list what is kept, and why.')
    return parser.parse_args(argv)


def main(argv=None, out=sys.stdout):
    args = parse_args(argv)
    connect = cli.connector('geo-heat-sweep', args.clouds_file)
    site = Site(connect(*cli.entry_and_region(args.site)))
    heats = Heats([connect(*cli.entry_and_region(heat))
                   for heat in args.heat])
    gone, kept = decide(site, heats, args.stack)
    if args.verbose:
        for obj in kept:
            out.write('kept %s\n' % obj.describe())
    failed = 0
    for obj in gone:
        if not args.delete:
            out.write('would delete %s\n' % obj.describe())
            continue
        try:
            site.delete(obj)
        except SIDE_ERRORS + (TimeoutError,) as exc:
            failed += 1
            out.write('FAILED to delete %s: %s\n' % (obj.describe(), exc))
        else:
            out.write('deleted %s\n' % obj.describe())
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
