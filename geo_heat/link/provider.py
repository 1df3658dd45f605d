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

"""Links made of provider networks: VLAN, VXLAN, GRE, Geneve and flat.

A link is planned as the Neutron networks to build. Two Neutrons (regions,
cloud instances) get one network each with the same segmentation ID and
subnet. One Neutron serving both endpoints (two cells of a cloud) gets a
single network with a segment per physical network, stretched across the
cells. Everything below walks that plan, so both shapes share one code path.
"""

import concurrent.futures
import dataclasses
import zlib

from oslo_log import log as logging

from geo_heat import definitions
from geo_heat.link import allocation
from geo_heat.link import errors
from geo_heat.link import site as site_mod

LOG = logging.getLogger(__name__)

# The RBAC action that lets a project attach to a network.
SHARE_ACTION = 'access_as_shared'


@dataclasses.dataclass(frozen=True)
class Half:
    """A network to build on one site, covering one or both roles."""

    site: site_mod.Site
    roles: tuple
    physical_networks: tuple


def placement_problems(technology, local, remote):
    """Why two placements cannot hold a link, as [(role, message)].

    Checked at validate time, from properties and operator config alone.
    """
    if local == remote:
        return [(site_mod.REMOTE,
                 'the remote endpoint is the same site as the local one')]
    if (definitions.is_stitched(technology) and
            local.neutron_key == remote.neutron_key):
        return [(site_mod.REMOTE,
                 '%s stitches two Neutrons, and both endpoints are served '
                 'by the same one' % technology)]
    if technology not in definitions.PHYSICAL_TECHNOLOGIES:
        return []
    missing = [(role, 'a %s link needs a physical_network (or a cell) on '
                      'the %s endpoint' % (technology, role))
               for role, placement in ((site_mod.LOCAL, local),
                                       (site_mod.REMOTE, remote))
               if not placement.physical_network]
    if missing:
        return missing
    if (local.neutron_key == remote.neutron_key and
            local.physical_network == remote.physical_network):
        return [(site_mod.REMOTE,
                 'both endpoints use physical network %s of the same '
                 'Neutron' % local.physical_network)]
    return []


def run_on_each(function, items):
    """Call function(item) for every item at once; re-raise the first error.

    Every call finishes before an error is raised, so callers know exactly
    what was built on each side and can clean it up.
    """
    if len(items) == 1:
        return [function(items[0])]
    with concurrent.futures.ThreadPoolExecutor(len(items)) as pool:
        futures = [pool.submit(function, item) for item in items]
    failures = [f.exception() for f in futures if f.exception()]
    if failures:
        raise failures[0]
    return [f.result() for f in futures]


class ProviderNetworkLink:
    """Create, check, change and delete the halves of one link.

    Stitched links (geo_heat.link.stitched) build the same networks,
    subnets and shares, then their service on top: the hooks marked so.
    """

    def __init__(self, spec, local, remote):
        self.spec = spec
        self.local = local
        self.remote = remote
        planned = self._plan()
        # A half on a lost site is asked nothing: every action works on the
        # others, and what the link has there is only named.
        self.halves = [h for h in planned if not h.site.lost]
        self.lost_halves = [h for h in planned if h.site.lost]

    @classmethod
    def spec_fields(cls, request, options):
        """Hook: the spec fields of a stitched technology, from the
        template's request and the operator's options."""
        return {}

    def _plan(self):
        physical = self.spec.technology in definitions.PHYSICAL_TECHNOLOGIES

        def physnets(*sites):
            if not physical:
                return (None,)
            return tuple(dict.fromkeys(s.placement.physical_network
                                       for s in sites))

        if self.local.same_neutron(self.remote):
            return [Half(self.local, (site_mod.LOCAL, site_mod.REMOTE),
                         physnets(self.local, self.remote))]
        return [Half(self.local, (site_mod.LOCAL,), physnets(self.local)),
                Half(self.remote, (site_mod.REMOTE,), physnets(self.remote))]

    @property
    def _tags(self):
        tags = [definitions.TAG_OWNER, definitions.link_tag(self.spec.link_id)]
        if self.spec.stack_id:
            tags.append(definitions.stack_tag(self.spec.stack_id))
        return tags

    # -- create ---------------------------------------------------------

    def create_steps(self, state, adopt=False):
        """Build the link one step at a time, filling in `state`.

        Yields `state` after each step, so the caller records every object
        as soon as it exists and may stop between steps (Heat's cancel and
        timeout); then yields None while Neutron has not made the networks
        ACTIVE yet. With adopt (a retried create), the networks and subnets
        a former try built completely are taken over; anything less is
        removed and built again. If a step fails, what exists stays for
        Heat's rollback or delete, which finds it by description. No link
        is built to a lost site.
        """
        if self.lost_halves:
            raise errors.LinkError('the site is given up for good (lost): '
                                   'no link is built to it',
                                   site=self.lost_halves[0].site)
        networks = self._adopt(state) if adopt else None
        if networks is None:
            networks, state.segmentation_id = self._create_networks()
            self._record(state, 'network', networks)
            yield state
            state.cidr, subnets = self._claim_subnets(
                networks, state.segmentation_id)
            self._record(state, 'subnet', subnets)
            if self.spec.routed:
                self._record(state, 'cidr', subnets, 'cidr')
            yield state
            state.mtu = self._equalize_mtu(networks)
            yield state
        self._share(networks, state)
        yield state
        yield from self._service_steps(state)
        # The statuses Neutron returned at create are enough: reading each
        # half again would cost a request per side.
        if not all(n.status == 'ACTIVE' for n in networks):
            while not self.is_active(state):
                yield None

    def _service_steps(self, state):
        """Hook: what a stitched link builds on the networks."""
        return iter(())

    def _record(self, state, kind, objects, field='id'):
        """Note each half's object (network, subnet) under its roles."""
        suffix = '_id' if field == 'id' else ''
        for half, obj in zip(self.halves, objects):
            for role in half.roles:
                setattr(state, '%s_%s%s' % (role, kind, suffix),
                        getattr(obj, field))

    def _create_networks(self):
        technology = self.spec.technology
        if technology not in definitions.SEGMENTATION_ID_RANGES:
            return self._try_segmentation_id(None), None
        if self.spec.segmentation_id is not None:
            return self._try_segmentation_id(self.spec.segmentation_id), \
                self.spec.segmentation_id
        low, high = (self.spec.segmentation_range or
                     definitions.SEGMENTATION_ID_RANGES[technology])
        tried = set()
        for _attempt in range(self.spec.allocation_attempts):
            candidate = self._free_segmentation_id(low, high, tried)
            try:
                return self._try_segmentation_id(candidate), candidate
            except errors.SegmentationConflict:
                tried.add(candidate)
        raise errors.SegmentationExhausted(
            'gave up after %d segmentation IDs taken meanwhile (%s) on %s'
            % (len(tried), ', '.join(map(str, sorted(tried))), self._where()))

    def _where(self):
        return ' and '.join(h.site.describe() for h in self.halves)

    def _try_segmentation_id(self, segmentation_id):
        """Create every half with one ID (None: flat); undo all if any
        side refuses."""
        results = []

        def create(half):
            network = self._create_network(half, segmentation_id)
            results.append((half, network))
            return network

        try:
            return run_on_each(create, self.halves)
        except errors.LinkError:
            for half, network in results:
                try:
                    with half.site.calls('remove network %s' % network.id
                                         ) as net:
                        net.delete_network(network.id, ignore_missing=True)
                except errors.LinkError as cleanup_error:
                    # Tagged: the resource's delete will find it again.
                    LOG.warning('%s', cleanup_error)
            raise

    def _create_network(self, half, segmentation_id):
        segments = [self._segment(physnet, segmentation_id)
                    for physnet in half.physical_networks]
        body = {'name': self.spec.name, 'admin_state_up': True,
                'description': definitions.link_description(
                    self.spec.link_id)}
        if len(segments) == 1:
            body.update({'provider_' + key.split(':')[1]: value
                         for key, value in segments[0].items()})
        else:
            body['segments'] = segments
        if self.spec.mtu is not None:
            body['mtu'] = self.spec.mtu
        what = 'create the %s network' % self.spec.technology
        if segmentation_id is not None:
            what += ' with segmentation ID %d' % segmentation_id
        with half.site.calls(what, quota='network') as network:
            created = network.create_network(**body)
        # Neutron takes tags on POST for ports only: tag right away, even
        # while the other side is still creating its half, and never keep
        # a network that could not be tagged (operators find a stack's
        # objects by tag). Subnets go with their network.
        try:
            with half.site.calls('tag network %s' % created.id) as network:
                network.set_tags(created, self._tags)
        except errors.LinkError:
            with half.site.calls('remove untagged network %s' % created.id
                                 ) as network:
                network.delete_network(created.id, ignore_missing=True)
            raise
        return created

    def _segment(self, physnet, segmentation_id):
        """Hook: a network segment's provider attributes."""
        segment = {'provider:network_type': self.spec.technology}
        if physnet is not None:
            segment['provider:physical_network'] = physnet
        if segmentation_id is not None:
            segment['provider:segmentation_id'] = segmentation_id
        return segment

    def _claim_subnets(self, networks, segmentation_id):
        """Create the subnets with a CIDR no concurrent link holds too.

        Links created at the same moment cannot see each other's subnets
        when they choose. So each one then asks who else has its CIDR, and
        the later subnet (by creation time, then ID, which every link sees
        alike) steps back and tries another one.
        """
        if self.spec.cidr:
            return self.spec.cidr, self._create_subnets(networks,
                                                        self.spec.cidr)
        tried = set()
        for _attempt in range(self.spec.allocation_attempts):
            cidr = self._choose_cidr(segmentation_id, tried)
            subnets = self._create_subnets(networks, cidr)
            if not any(run_on_each(self._outranked, list(zip(self.halves,
                                                             subnets)))):
                return cidr, subnets
            run_on_each(self._delete_subnet, list(zip(self.halves, subnets)))
            tried.add(cidr)
        raise errors.AddressPoolExhausted(
            'gave up after %d subnets taken meanwhile (%s) on %s'
            % (len(tried), ', '.join(sorted(tried)), self._where()))

    @staticmethod
    def _outranked(half_subnet):
        """Whether another subnet on this side took the same CIDR first."""
        half, subnet = half_subnet
        with half.site.calls('look up subnets of %s' % subnet.cidr) as net:
            holders = list(net.subnets(cidr=subnet.cidr))
        mine = (subnet.created_at, subnet.id)
        return any((other.created_at, other.id) < mine
                   for other in holders if other.id != subnet.id)

    @staticmethod
    def _delete_subnet(half_subnet):
        half, subnet = half_subnet
        with half.site.calls('delete subnet %s' % subnet.id) as net:
            net.delete_subnet(subnet.id, ignore_missing=True)

    def _choose_cidr(self, segmentation_id, taken):
        version = 6 if ':' in self.spec.cidr_pool[0] else 4
        used = run_on_each(lambda h: allocation.used_cidrs(h.site, version),
                           self.halves)
        hint = (segmentation_id if segmentation_id is not None
                else zlib.crc32(self.spec.link_id.encode()))
        # A routed link's block holds a subnet per side.
        prefix_length = self.spec.prefix_length - (1 if self.spec.routed
                                                   else 0)
        return allocation.choose_cidr(
            self.spec.cidr_pool, prefix_length,
            [c for cidrs in used for c in cidrs] + sorted(taken), hint=hint)

    def _subnet_requests(self, cidr):
        """Each half's subnet: the link's CIDR with disjoint allocation
        pools (one L2 segment), or for a routed link its own half of the
        CIDR with a gateway for its router."""
        if self.spec.routed:
            return [{'cidr': half_cidr}
                    for half_cidr in definitions.half_cidrs(cidr)]
        return [{'cidr': cidr, 'gateway_ip': None, 'allocation_pools': pools}
                for pools in allocation.split_allocation_pools(
                    cidr, len(self.halves))]

    def _half_cidr(self, state, half):
        return getattr(state, half.roles[0] + '_cidr') or state.cidr

    def _create_subnets(self, networks, cidr):
        requests = self._subnet_requests(cidr)
        version = 6 if ':' in cidr else 4

        def create(index):
            half = self.halves[index]
            request = requests[index]
            with half.site.calls('create subnet %s' % request['cidr'],
                                 quota='subnet') as network:
                return network.create_subnet(
                    network_id=networks[index].id, name=self.spec.name,
                    ip_version=version, enable_dhcp=False, **request)

        return run_on_each(create, list(range(len(self.halves))))

    def _equalize_mtu(self, networks):
        """Give both halves the smaller MTU Neutron computed for them."""
        mtu = allocation.link_mtu((n.mtu for n in networks), self.spec.mtu_cap)

        def lower(index):
            if networks[index].mtu != mtu:
                with self.halves[index].site.calls('set MTU %d' % mtu) as net:
                    net.update_network(networks[index].id, mtu=mtu)

        run_on_each(lower, list(range(len(self.halves))))
        return mtu

    def _share(self, networks, state):
        """Share each network with the projects that attach to it.

        One RBAC policy per project lets exactly that tenant attach to a
        network the operator's credentials built; a half serving both
        roles (two cells of one Neutron) may need two. Shares `state`
        already holds (adopted) are kept.
        """
        def share(half_network):
            half, network = half_network
            wanted = self._share_projects(half, network)
            for project in dict.fromkeys(wanted.values()):
                roles = [role for role in wanted if wanted[role] == project]
                policy_id = getattr(state, roles[0] + '_rbac_policy_id')
                if policy_id is None:
                    with half.site.calls(
                            'share network %s with project %s'
                            % (network.id, project),
                            quota='rbac_policy') as net:
                        policy_id = net.create_rbac_policy(
                            object_type='network', object_id=network.id,
                            action=SHARE_ACTION,
                            target_project_id=project).id
                for role in roles:
                    setattr(state, role + '_rbac_policy_id', policy_id)

        run_on_each(share, list(zip(self.halves, networks)))

    def _share_projects(self, half, network):
        """{role: project} a half's network must be shared with.

        None for a role that names no project or the network's own (the
        builder's): that tenant needs no share.
        """
        sites = {site_mod.LOCAL: self.local, site_mod.REMOTE: self.remote}
        return {role: sites[role].share_project_id for role in half.roles
                if sites[role].share_project_id not in (None,
                                                        network.project_id)}

    def _shares(self, half, network):
        """{project: RBAC policy ID} of a network's shares.

        One read, only where the link shares the network at all.
        """
        if not self._share_projects(half, network):
            return {}
        with half.site.calls('look up the shares of network %s'
                             % network.id) as net:
            return {policy.target_project_id: policy.id
                    for policy in net.rbac_policies(
                        object_type='network', object_id=network.id,
                        action=SHARE_ACTION)}

    # -- adopt / delete ---------------------------------------------------

    def _link_networks(self, half):
        """The link's networks on a side, tagged or not tagged yet.

        Found by description, which the create request itself writes: a
        create interrupted between Neutron's commit and the tag request
        (Heat or that Neutron going down) leaves a network only it names.
        """
        with half.site.calls('look up the link networks') as network:
            return list(network.networks(
                description=definitions.link_description(self.spec.link_id)))

    def _adopt(self, state):
        """Take over what a former try of this create built, if complete.

        With one network per half, each with its subnet, and one MTU, fills
        in `state` and returns the networks; otherwise removes whatever is
        there and returns None.
        """
        found = run_on_each(self._link_networks, self.halves)
        networks = [candidates[0] for candidates in found
                    if len(candidates) == 1 and
                    len(candidates[0].subnet_ids) == 1]
        if (len(networks) != len(self.halves) or
                len({n.mtu for n in networks}) != 1):
            if any(found):
                self.delete()
            return None

        def read_half(half_network):
            """Its subnet, and the share each role has (or None)."""
            half, network = half_network
            subnet_id = network.subnet_ids[0]
            with half.site.calls('read subnet %s' % subnet_id) as net:
                subnet = net.get_subnet(subnet_id)
            shares = self._shares(half, network)
            return subnet, {role: shares.get(project) for role, project
                            in self._share_projects(half, network).items()}

        read = run_on_each(read_half, list(zip(self.halves, networks)))
        subnets = [subnet for subnet, _roles in read]
        state.segmentation_id = self._segmentation_id_of(networks[0])
        state.cidr = subnets[0].cidr
        state.mtu = networks[0].mtu
        self._record(state, 'network', networks)
        self._record(state, 'subnet', subnets)
        for _subnet, roles in read:
            for role, policy_id in roles.items():
                setattr(state, role + '_rbac_policy_id', policy_id)
        return networks

    @staticmethod
    def _segmentation_id_of(network):
        if network.segments:
            return network.segments[0].get('provider:segmentation_id')
        return network.provider_segmentation_id

    def delete(self):
        """Delete every network of the link on every side; gone is fine.

        Networks are found by the link's description, so objects of an
        interrupted create are removed too. Deleting a network removes its
        subnets and its shares (Neutron cascades both), so neither costs a
        request of its own.
        """
        def delete_half(half):
            for network in self._link_networks(half):
                with half.site.calls('delete network %s' % network.id) as net:
                    net.delete_network(network.id, ignore_missing=True)

        run_on_each(delete_half, self.halves)

    # -- read / check / status / update ---------------------------------

    def _read(self, state, subnets=True):
        """(half, network or None, subnet or None) for every half."""
        def read_half(half):
            role = half.roles[0]
            network_id = getattr(state, role + '_network_id')
            subnet_id = getattr(state, role + '_subnet_id')
            with half.site.calls('read network %s' % network_id) as net:
                network = net.find_network(network_id, ignore_missing=True)
                subnet = None
                if subnets and subnet_id:
                    subnet = net.find_subnet(subnet_id, ignore_missing=True)
            return half, network, subnet

        return run_on_each(read_half, self.halves)

    def is_active(self, state):
        """True once every half is ACTIVE; an ERROR half is a LinkError."""
        active = True
        for half, network, _subnet in self._read(state, subnets=False):
            if network is None or network.status == 'ERROR':
                raise errors.LinkError(
                    'network %s is %s' % (
                        getattr(state, half.roles[0] + '_network_id'),
                        'gone' if network is None else 'in ERROR'),
                    site=half.site)
            active = active and network.status == 'ACTIVE'
        return active

    def check(self, state):
        """Problems found comparing each side with the recorded state."""
        problems = []
        for half, network, subnet in self._read(state):
            where = half.site.describe()
            if network is None:
                problems.append('%s: network %s is gone' % (
                    where, getattr(state, half.roles[0] + '_network_id')))
                continue
            if subnet is None:
                problems.append('%s: subnet %s is gone' % (
                    where, getattr(state, half.roles[0] + '_subnet_id')))
            elif subnet.cidr != self._half_cidr(state, half):
                problems.append('%s: subnet is %s, not %s' % (
                    where, subnet.cidr, self._half_cidr(state, half)))
            if network.mtu != state.mtu:
                problems.append('%s: MTU is %s, not %s'
                                % (where, network.mtu, state.mtu))
            found_id = self._segmentation_id_of(network)
            if (self.spec.technology in definitions.SEGMENTATION_ID_RANGES
                    and found_id != state.segmentation_id):
                problems.append('%s: segmentation ID is %s, not %s'
                                % (where, found_id, state.segmentation_id))
            wanted = set(self._share_projects(half, network).values())
            for project in sorted(wanted - set(self._shares(half, network))):
                problems.append('%s: network is not shared with project %s'
                                % (where, project))
        return problems

    def status(self, state):
        """ACTIVE, or per side what is not (for the status attribute),
        and what is left on lost sides."""
        problems = self.check(state)
        for half, network, _subnet in self._read(state, subnets=False):
            if network is not None and network.status != 'ACTIVE':
                problems.append('%s: network is %s'
                                % (half.site.describe(), network.status))
        problems += ['%s is lost; left there: %s' % (
            side.describe(), ', '.join(objects) or 'what a create left')
            for side, objects in self.left_on_lost_sides(state)]
        return '; '.join(problems) or 'ACTIVE'

    def left_on_lost_sides(self, state):
        """What the link has on each lost side, as [(site, ["kind ID"])].

        Named by ID where the state recorded them; objects of a create
        interrupted before recording are found by the link's tag and
        description only (geo-heat-sweep finds them so).
        """
        return [(half.site, self._objects_of(half, state))
                for half in self.lost_halves]

    def _objects_of(self, half, state):
        """A half's objects, as "kind ID", as the state recorded them."""
        role = half.roles[0]
        found = [('network', getattr(state, role + '_network_id')),
                 ('subnet', getattr(state, role + '_subnet_id'))]
        found += [('RBAC policy', getattr(state, r + '_rbac_policy_id'))
                  for r in half.roles]
        return ['%s %s' % (kind, object_id)
                for kind, object_id in dict.fromkeys(found) if object_id]

    def show(self, state):
        """The recorded state plus each side's live network and subnet;
        a lost side is not read."""
        show = state.to_dict()
        for half, network, subnet in self._read(state):
            for role in half.roles:
                show[role] = {
                    'network': network.to_dict(computed=False)
                    if network else None,
                    'subnet': subnet.to_dict(computed=False)
                    if subnet else None,
                }
        for half in self.lost_halves:
            for role in half.roles:
                show[role] = {'lost': True}
        return show

    def update(self, state, **changes):
        """Change in place what Neutron allows (name, admin state, MTU)."""
        network_changes = {k: v for k, v in changes.items()
                           if k in ('name', 'admin_state_up', 'mtu')}

        def update_half(half):
            role = half.roles[0]
            network_id = getattr(state, role + '_network_id')
            subnet_id = getattr(state, role + '_subnet_id')
            with half.site.calls('update network %s' % network_id) as net:
                net.update_network(network_id, **network_changes)
                if 'name' in changes and subnet_id:
                    net.update_subnet(subnet_id, name=changes['name'])

        if network_changes:
            run_on_each(update_half, self.halves)

    # -- segmentation ID in place ---------------------------------------------

    @property
    def movable(self):
        """Whether Neutron can change the segmentation ID in place.

        ML2 updates it only on single-segment networks, so not on a
        network stretched across cells, and a flat link has none.
        """
        return (self.spec.technology in definitions.SEGMENTATION_ID_RANGES
                and all(len(h.physical_networks) == 1 for h in self.halves))

    def _free_segmentation_id(self, low, high, taken=()):
        """An ID of low:high free on every side (a read per side and
        physical network) and not among `taken`."""
        used = set().union(*run_on_each(
            lambda pair: allocation.used_segmentation_ids(
                pair[0], self.spec.technology, pair[1]),
            [(h.site, p) for h in self.halves for p in h.physical_networks]))
        candidate = allocation.choose_segmentation_id(low, high, used, taken)
        if candidate is None:
            raise errors.SegmentationExhausted(
                'no %s segmentation ID of %d:%d is free on %s'
                % (self.spec.technology, low, high, self._where()))
        return candidate

    def move(self, state, segmentation_id=None, id_range=None):
        """Give every half another segmentation ID in place; return it.

        Without an ID, one free on every side is chosen from id_range (by
        default the link's range, else the technology's). The halves move
        one after the other; if a side refuses (an ID taken meanwhile,
        bound ports whose driver cannot follow), those already moved go
        back.
        """
        if segmentation_id is None:
            low, high = (id_range or self.spec.segmentation_range or
                         definitions.SEGMENTATION_ID_RANGES[
                             self.spec.technology])
            segmentation_id = self._free_segmentation_id(
                low, high, {state.segmentation_id})

        def set_id(half, value):
            network_id = getattr(state, half.roles[0] + '_network_id')
            with half.site.calls('set segmentation ID %s on network %s'
                                 % (value, network_id)) as net:
                net.update_network(network_id,
                                   provider_segmentation_id=value)

        moved = []
        try:
            for half in self.halves:
                set_id(half, segmentation_id)
                moved.append(half)
        except errors.LinkError:
            for half in moved:
                try:
                    set_id(half, state.segmentation_id)
                except errors.LinkError as undo_error:
                    LOG.warning('%s', undo_error)
            raise
        state.segmentation_id = segmentation_id
        return segmentation_id
