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

"""BGPVPN links: EVPN (l2) or IP VPN (l3) between two Neutrons.

Each side's link network (l2) or router (l3) is associated with a BGPVPN
of that side; both BGPVPNs import and export one route target, ASN:N, with
N from the operator's range and used by no other BGPVPN on either side.
Links created at the same moment cannot see each other's choice, and a
BGPVPN driver need not refuse a duplicate: so each link looks again after
creating its BGPVPNs, and the later one (by name, which embeds the link ID
and reads the same on both sides) steps back and tries another N.
"""

from geo_heat import definitions
from geo_heat.link import allocation
from geo_heat.link import errors
from geo_heat.link import provider
from geo_heat.link import stitched

_TARGET_LISTS = ('route_targets', 'import_targets', 'export_targets')


def targets_of(bgpvpn):
    return {target for attr in _TARGET_LISTS
            for target in getattr(bgpvpn, attr, None) or ()}


class BgpVpnLink(stitched.StitchedLink):
    """A BGPVPN per side with a route target geo-heat derives."""

    @classmethod
    def spec_fields(cls, request, options):
        """The template's type, and the route targets the operator's
        [geo_heat] route_target_asn and route_target_range allow."""
        asn = options.route_target_asn
        try:
            low, high = definitions.parse_segmentation_range(
                options.route_target_range)
            problem = definitions.validate_route_target_range(asn, low,
                                                              high)
        except ValueError as exc:
            problem = str(exc)
        if problem:
            raise errors.LinkError(
                'the operator\'s [geo_heat] route_target_range is wrong: %s'
                % problem)
        return {'bgpvpn_type': request.bgpvpn_type,
                'route_target_asn': asn,
                'route_target_range': (low, high)}

    @property
    def _name(self):
        """BGPVPNs have no description: their name marks the link."""
        return self._description

    def _stitch(self, state):
        state.route_target, bgpvpns = self._claim_route_target()
        for half, bgpvpn in zip(self.halves, bgpvpns):
            self._record_service(state, half, 'bgpvpn', bgpvpn.id)
        yield state
        provider.run_on_each(lambda pair: self._associate(state, *pair),
                             list(zip(self.halves, bgpvpns)))
        yield state

    def _claim_route_target(self):
        asn = self.spec.route_target_asn
        low, high = self.spec.route_target_range
        tried = set()
        for _attempt in range(self.spec.allocation_attempts):
            number = self._free_number(asn, low, high, tried)
            target = definitions.route_target(asn, number)
            bgpvpns = self._create_bgpvpns(target)
            if not any(provider.run_on_each(
                    lambda pair: self._target_outranked(target, *pair),
                    list(zip(self.halves, bgpvpns)))):
                return target, bgpvpns
            provider.run_on_each(lambda pair: self._delete_bgpvpn(*pair),
                                 list(zip(self.halves, bgpvpns)))
            tried.add(number)
        raise errors.RouteTargetExhausted(
            'gave up after %d route targets taken meanwhile (%s) on %s'
            % (len(tried), ', '.join(definitions.route_target(asn, n)
                                     for n in sorted(tried)), self._where()))

    def _free_number(self, asn, low, high, tried):
        """An N of low:high in no route target of either side (a read per
        side) and not among `tried`."""
        def used(half):
            with half.site.calls('list BGPVPNs') as net:
                return {definitions.route_target_number(asn, target)
                        for bgpvpn in net.bgpvpns()
                        for target in targets_of(bgpvpn)}

        taken = set().union(*provider.run_on_each(used, self.halves))
        number = allocation.choose_segmentation_id(low, high, taken, tried)
        if number is None:
            raise errors.RouteTargetExhausted(
                'no route target of %s free on %s' % (
                    '%s to %s' % (definitions.route_target(asn, low),
                                  definitions.route_target(asn, high)),
                    self._where()))
        return number

    def _create_bgpvpns(self, target):
        def create(half):
            with half.site.calls('create a BGPVPN with route target %s'
                                 % target, quota='bgpvpn') as net:
                return net.create_bgpvpn(
                    name=self._name, type=self.spec.bgpvpn_type,
                    route_targets=[target])

        return provider.run_on_each(create, self.halves)

    def _target_outranked(self, target, half, bgpvpn):
        """Whether another BGPVPN on this side holds the route target and
        ranks first: any not made by geo-heat, else the smaller name."""
        with half.site.calls('look up BGPVPNs of route target %s'
                             % target) as net:
            holders = [other for other in net.bgpvpns()
                       if other.id != bgpvpn.id and
                       target in targets_of(other)]
        return any(_rank(other) < _rank(bgpvpn) for other in holders)

    @staticmethod
    def _delete_bgpvpn(half, bgpvpn):
        with half.site.calls('delete BGPVPN %s' % bgpvpn.id) as net:
            net.delete_bgpvpn(bgpvpn.id, ignore_missing=True)

    def _associate(self, state, half, bgpvpn):
        role = half.roles[0]
        if self.spec.routed:
            router_id = getattr(state, role + '_router_id')
            with half.site.calls('associate router %s with BGPVPN %s'
                                 % (router_id, bgpvpn.id)) as net:
                association = net.create_bgpvpn_router_association(
                    bgpvpn, router_id=router_id)
        else:
            network_id = getattr(state, role + '_network_id')
            with half.site.calls('associate network %s with BGPVPN %s'
                                 % (network_id, bgpvpn.id)) as net:
                association = net.create_bgpvpn_network_association(
                    bgpvpn, network_id=network_id)
        self._record_service(state, half, 'association', association.id)

    def _delete_service(self, half):
        """Deleting a BGPVPN deletes its associations (networking-bgpvpn
        cascades them and tells its driver)."""
        with half.site.calls('look up the link BGPVPNs') as net:
            bgpvpns = list(net.bgpvpns(name=self._name))
        for bgpvpn in bgpvpns:
            self._delete_bgpvpn(half, bgpvpn)

    def _service_problems(self, half, state):
        bgpvpn_id = self._service(state, half, 'bgpvpn')
        with half.site.calls('read BGPVPN %s' % bgpvpn_id) as net:
            bgpvpn = net.find_bgpvpn(bgpvpn_id, ignore_missing=True)
        if bgpvpn is None:
            return ['BGPVPN %s is gone' % bgpvpn_id]
        problems = []
        if targets_of(bgpvpn) != {state.route_target}:
            problems.append('BGPVPN route targets are %s, not %s' % (
                ', '.join(sorted(targets_of(bgpvpn))), state.route_target))
        kind = 'router' if self.spec.routed else 'network'
        wanted = getattr(state, '%s_%s_id' % (half.roles[0], kind))
        with half.site.calls('read the associations of BGPVPN %s'
                             % bgpvpn_id) as net:
            associations = getattr(net, 'bgpvpn_%s_associations' % kind)(
                bgpvpn_id)
            associated = {getattr(a, kind + '_id') for a in associations}
        if wanted not in associated:
            problems.append('%s %s is not associated with BGPVPN %s'
                            % (kind, wanted, bgpvpn_id))
        return problems


def _rank(bgpvpn):
    name = bgpvpn.name or ''
    return (name.startswith(definitions.link_description('')), name)
