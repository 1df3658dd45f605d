"""OS::Geo::Interconnect: the link between two OS::Geo::Endpoint ends."""

import dataclasses
import json
import secrets
import time

from heat.common import exception
from heat.common.i18n import _
from heat.engine import attributes
from heat.engine import constraints
from heat.engine import properties
from heat.engine import resource
from heat.engine import support
from openstack import exceptions as sdk_exc
from oslo_config import cfg
from oslo_log import log as logging

from geo_heat import client
from geo_heat import definitions
from geo_heat import failure
from geo_heat.link import bgpvpn
from geo_heat.link import errors
from geo_heat.link import ipsec
from geo_heat.link import model
from geo_heat.link import provider
from geo_heat.link import site
from geo_heat.link import underlay
from geo_heat.resources import endpoint
from geo_heat.resources import validation

CONF = cfg.CONF
LOG = logging.getLogger(__name__)

# How long one check_create_complete call keeps building before it hands
# control back to Heat, which then pauses a second: long enough for a whole
# link when Neutron answers in time (even with hundreds of networks per
# side), short enough for a cancel or a timeout to act between steps.
CREATE_STEPS_SECONDS = 3.0
# What Heat keeps of an event's reason.
EVENT_REASON_MAX = 255


class LinkNotFound(sdk_exc.NotFoundException):
    """An object of the link is gone from a side."""


class LinkConflict(sdk_exc.ConflictException):
    """A side refused because of what it holds; Heat may retry."""


class GeoInterconnect(resource.Resource):
    """A network link between two datacenters, built on both sides at once.

    Creates on each side a Neutron network with the same segmentation ID
    (free on both sides unless given), a subnet with the same CIDR (from
    the operator's pool, overlapping nothing on either side, unless given)
    whose allocation pools do not overlap, and the same MTU. Two cells of
    one cloud get a single network with a segment per cell. Every object is
    tagged with the link, so a retried create adopts what exists and a
    delete removes everything, on both sides. The reference ID is the local
    network's ID.

    A bgpvpn link instead gives each side a network of its Neutron's own
    type (and for l3 a router with half of the CIDR) associated with a
    BGPVPN per side, both with one route target that geo-heat derives. An
    ipsec link gives each side a router and half of the CIDR joined by
    VPNaaS site connections both ways, with a pre-shared key that geo-heat
    generates and keeps only in Heat's encrypted resource data. With auto,
    geo-heat picks the technology from both ends' Neutrons and the
    operator's declarations, in the operator's order of preference.

    The networks are built with the operator's credentials and shared with
    the project that uses each end. Writing back the chosen segmentation
    ID, range or CIDR changes nothing; another segmentation ID is set in
    place where Neutron allows it. Suspend leaves the link up: the standby
    keeps running, and cutting its replication link would let it take over
    while the active one still runs (split brain).

    When an endpoint is lost (its site given up for good), the link asks
    nothing of that side any more: check and update work on the other
    side, and delete completes there, naming in an event, the log and the
    status attribute what it leaves on the lost side for geo-heat-sweep.
    """

    support_status = support.SupportStatus(version='2026.2')

    entity = None
    default_client_name = 'geo_site'

    PROPERTIES = (
        LOCAL_ENDPOINT, REMOTE_ENDPOINT, TECHNOLOGY, SEGMENTATION_ID,
        SEGMENTATION_RANGE, CIDR, MTU, NAME, BGPVPN_TYPE, IPSEC,
        PSK_ROTATION,
    ) = (
        'local_endpoint', 'remote_endpoint', 'technology', 'segmentation_id',
        'segmentation_range', 'cidr', 'mtu', 'name', 'bgpvpn_type', 'ipsec',
        'psk_rotation',
    )

    _IPSEC_KEYS = (
        ENCRYPTION_ALGORITHM, AUTH_ALGORITHM, PFS,
    ) = (
        'encryption_algorithm', 'auth_algorithm', 'pfs',
    )
    # Each IPsec key's [geo_heat] option: the approved values, default
    # first.
    _IPSEC_OPTIONS = {ENCRYPTION_ALGORITHM: 'ipsec_encryption_algorithms',
                      AUTH_ALGORITHM: 'ipsec_auth_algorithms',
                      PFS: 'ipsec_pfs_groups'}

    ATTRIBUTES = (
        SEGMENTATION_ID_ATTR, LOCAL_NETWORK_ID, REMOTE_NETWORK_ID,
        LOCAL_SUBNET_ID, REMOTE_SUBNET_ID, CIDR_ATTR, MTU_ATTR, STATUS,
        TECHNOLOGY_ATTR, ROUTE_TARGET, LOCAL_CIDR, REMOTE_CIDR,
        LOCAL_ROUTER_ID, REMOTE_ROUTER_ID,
    ) = (
        'segmentation_id', 'local_network_id', 'remote_network_id',
        'local_subnet_id', 'remote_subnet_id', 'cidr', 'mtu', 'status',
        'technology', 'route_target', 'local_cidr', 'remote_cidr',
        'local_router_id', 'remote_router_id',
    )

    properties_schema = {
        LOCAL_ENDPOINT: properties.Schema(
            properties.Schema.STRING,
            _('The local end: an OS::Geo::Endpoint of this stack '
              '(get_resource).'),
            required=True),
        REMOTE_ENDPOINT: properties.Schema(
            properties.Schema.STRING,
            _('The remote end: an OS::Geo::Endpoint of this stack '
              '(get_resource).'),
            required=True),
        TECHNOLOGY: properties.Schema(
            properties.Schema.STRING,
            _('How the link is segregated on the underlay (a provider '
              'network technology) or stitched between the sides (bgpvpn, '
              'ipsec); auto: the first of the operator\'s [geo_heat] '
              'auto_preference both sides support and the operator '
              'declared between them (attribute technology).'),
            required=True,
            constraints=[constraints.AllowedValues(
                definitions.TEMPLATE_TECHNOLOGIES)]),
        SEGMENTATION_ID: properties.Schema(
            properties.Schema.INTEGER,
            _('VLAN ID, VNI or tunnel key; default: one free on both sides. '
              'Writing back the chosen ID changes nothing; another ID is '
              'set in place where Neutron allows it (one physical network '
              'per side), otherwise the link is replaced.'),
            constraints=[constraints.Range(min=1)],
            update_allowed=True),
        SEGMENTATION_RANGE: properties.Schema(
            properties.Schema.STRING,
            _('"min:max" range to choose the segmentation ID from; default: '
              'the operator\'s [geo_heat] segmentation_ranges, else the '
              'technology\'s whole range.'),
            constraints=[
                constraints.CustomConstraint('geo.segmentation_range')],
            update_allowed=True),
        CIDR: properties.Schema(
            properties.Schema.STRING,
            _('Subnet of the link, the same on both sides; default: one of '
              'the operator\'s [geo_heat] cidr_pool that overlaps nothing on '
              'either side. Writing back the chosen CIDR changes nothing; '
              'another one replaces the link.'),
            constraints=[constraints.CustomConstraint('net_cidr')],
            update_allowed=True),
        MTU: properties.Schema(
            properties.Schema.INTEGER,
            _('MTU of the link on both sides; default: the smaller of what '
              'each side\'s Neutron computes for the encapsulation.'),
            constraints=[constraints.Range(definitions.MTU_MIN,
                                           definitions.MTU_MAX)],
            update_allowed=True),
        NAME: properties.Schema(
            properties.Schema.STRING,
            _('Name of the networks and subnets on both sides.'),
            update_allowed=True),
        BGPVPN_TYPE: properties.Schema(
            properties.Schema.STRING,
            _('Of a bgpvpn link: l2 (EVPN: one subnet stretched across the '
              'sides) or l3 (IP VPN: a router and half of the CIDR per '
              'side).'),
            default=definitions.BGPVPN_L2,
            constraints=[constraints.AllowedValues(definitions.BGPVPN_TYPES)],
            support_status=support.SupportStatus(version='2026.3')),
        IPSEC: properties.Schema(
            properties.Schema.MAP,
            _('Of an ipsec link: the IKE and IPsec policies\' algorithms, '
              'each one the operator approved; default: the operator\'s '
              'first.'),
            schema={
                ENCRYPTION_ALGORITHM: properties.Schema(
                    properties.Schema.STRING,
                    _('Encryption algorithm ([geo_heat] '
                      'ipsec_encryption_algorithms).')),
                AUTH_ALGORITHM: properties.Schema(
                    properties.Schema.STRING,
                    _('Integrity algorithm ([geo_heat] '
                      'ipsec_auth_algorithms).')),
                PFS: properties.Schema(
                    properties.Schema.STRING,
                    _('Diffie-Hellman group ([geo_heat] ipsec_pfs_groups).')),
            },
            default={},
            support_status=support.SupportStatus(version='2026.3')),
        PSK_ROTATION: properties.Schema(
            properties.Schema.INTEGER,
            _('Of an ipsec link: change it (a counter) to give both site '
              'connections a new generated pre-shared key, in place.'),
            default=0,
            update_allowed=True,
            support_status=support.SupportStatus(version='2026.3')),
    }

    attributes_schema = {
        SEGMENTATION_ID_ATTR: attributes.Schema(
            _('Segmentation ID used on both sides.'),
            type=attributes.Schema.INTEGER),
        LOCAL_NETWORK_ID: attributes.Schema(
            _('Network of the link on the local side.'),
            type=attributes.Schema.STRING),
        REMOTE_NETWORK_ID: attributes.Schema(
            _('Network of the link on the remote side (the local one for '
              'two cells of a cloud).'),
            type=attributes.Schema.STRING),
        LOCAL_SUBNET_ID: attributes.Schema(
            _('Subnet of the link on the local side.'),
            type=attributes.Schema.STRING),
        REMOTE_SUBNET_ID: attributes.Schema(
            _('Subnet of the link on the remote side.'),
            type=attributes.Schema.STRING),
        CIDR_ATTR: attributes.Schema(
            _('CIDR of the link subnet on both sides.'),
            type=attributes.Schema.STRING),
        MTU_ATTR: attributes.Schema(
            _('MTU of the link on both sides.'),
            type=attributes.Schema.INTEGER),
        STATUS: attributes.Schema(
            _('ACTIVE when both halves exist, match and are ACTIVE (an '
              'ipsec link: and both site connections); otherwise what is '
              'wrong, side by side, and what is left on a lost side. Read '
              'live.'),
            type=attributes.Schema.STRING,
            cache_mode=attributes.Schema.CACHE_NONE),
        TECHNOLOGY_ATTR: attributes.Schema(
            _('Technology of the link: the one auto picked, or the '
              'template\'s.'),
            type=attributes.Schema.STRING),
        ROUTE_TARGET: attributes.Schema(
            _('Route target of both BGPVPNs of a bgpvpn link.'),
            type=attributes.Schema.STRING),
        LOCAL_CIDR: attributes.Schema(
            _('Subnet of a routed link (bgpvpn l3, ipsec) on the local '
              'side: the first half of cidr.'),
            type=attributes.Schema.STRING),
        REMOTE_CIDR: attributes.Schema(
            _('Subnet of a routed link on the remote side: the second '
              'half of cidr.'),
            type=attributes.Schema.STRING),
        LOCAL_ROUTER_ID: attributes.Schema(
            _('Router of a routed link on the local side.'),
            type=attributes.Schema.STRING),
        REMOTE_ROUTER_ID: attributes.Schema(
            _('Router of a routed link on the remote side.'),
            type=attributes.Schema.STRING),
    }

    # -- validation (no cloud is touched) ----------------------------------

    def validate(self):
        super().validate()
        technology = self.properties[self.TECHNOLOGY]
        if technology == definitions.AUTO:
            self._validate_auto()
            carriage = underlay.Carriage(mtu_cap=CONF.geo_heat.link_mtu_cap)
        else:
            carriage = self._validate_ends(technology)
        self._validate_ipsec(technology)
        routed = model.LinkSpec(
            link_id='', name='', technology=technology,
            bgpvpn_type=self.properties[self.BGPVPN_TYPE]).routed
        checks = (
            (self.SEGMENTATION_ID, definitions.validate_segmentation_id(
                technology, self.properties[self.SEGMENTATION_ID],
                carriage.segmentation_range)),
            (self.SEGMENTATION_RANGE, definitions.validate_segmentation_range(
                technology, self.properties[self.SEGMENTATION_RANGE],
                carriage.segmentation_range)),
            (self.CIDR, definitions.validate_cidr(
                self.properties[self.CIDR], halves=2 if routed else 1)),
            (self.MTU, definitions.validate_mtu(self.properties[self.MTU],
                                                carriage.mtu_cap)),
        )
        for name, message in checks:
            if message:
                raise validation.property_error(self, [name], message)

    def _validate_ipsec(self, technology):
        """Only the operator's approved algorithms, only for IPsec."""
        chosen = self.properties[self.IPSEC] or {}
        for key, value in sorted(chosen.items()):
            if value is None:
                continue
            if technology not in (definitions.IPSEC, definitions.AUTO):
                raise validation.property_error(
                    self, [self.IPSEC],
                    _('applies to ipsec links only, not %s') % technology)
            approved = getattr(CONF.geo_heat, self._IPSEC_OPTIONS[key])
            if value not in approved:
                raise validation.property_error(
                    self, [self.IPSEC, key],
                    _('"%(value)s" is not one the operator approved: '
                      '%(approved)s') % {'value': value,
                                         'approved': ', '.join(approved)})

    def _validate_auto(self):
        """Refuse auto where no technology can be chosen; its segmentation
        ID is the chosen technology's business."""
        for prop in (self.SEGMENTATION_ID, self.SEGMENTATION_RANGE):
            if self.properties[prop] is not None:
                raise validation.property_error(
                    self, [prop],
                    _('an auto link has no segmentation ID to choose; name '
                      'the technology'))
        placements = self._placements()
        if placements is not None:
            self._auto_candidates(placements)

    def _auto_candidates(self, placements):
        """The operator's preferred technologies these ends may have, from
        properties and config alone (their Neutrons decide at create)."""
        preference = CONF.geo_heat.auto_preference
        try:
            declared = underlay.declared_technologies(
                underlay.configured(CONF.geo_heat.interconnects),
                placements[site.LOCAL], placements[site.REMOTE],
                self._local_region())
        except errors.UndeclaredLink as exc:
            raise validation.property_error(self, [self.REMOTE_ENDPOINT],
                                            str(exc))
        candidates = [
            technology for technology in preference
            if (declared is None or technology in declared) and
            not provider.placement_problems(
                technology, placements[site.LOCAL], placements[site.REMOTE])]
        if not candidates:
            raise validation.property_error(
                self, [self.TECHNOLOGY],
                _('auto found none of the operator\'s preferred '
                  'technologies (%(preference)s) possible between these '
                  'ends; declared there: %(declared)s')
                % {'preference': ', '.join(preference),
                   'declared': ', '.join(declared or ()) or 'nothing'})
        return candidates

    def _validate_ends(self, technology):
        """Refuse ends that cannot hold the link or that the operator did
        not declare; what the interconnect carries between them."""
        placements = self._placements()
        if placements is None:
            # An end known only at create, where the link is checked again.
            return underlay.Carriage(mtu_cap=CONF.geo_heat.link_mtu_cap)
        problems = provider.placement_problems(
            technology, placements[site.LOCAL], placements[site.REMOTE])
        if problems:
            role, message = problems[0]
            raise validation.property_error(
                self, [dict(self._ROLES)[role]], message)
        try:
            return self._carriage(technology, placements)
        except errors.UndeclaredLink as exc:
            # Another technology may join these sites; else no link does.
            prop = (self.TECHNOLOGY if exc.declared_technologies
                    else self.REMOTE_ENDPOINT)
            raise validation.property_error(self, [prop], str(exc))

    _ROLES = ((site.LOCAL, LOCAL_ENDPOINT), (site.REMOTE, REMOTE_ENDPOINT))

    def _placements(self):
        """Both ends' placements from properties and config alone, or None
        while an end is unknown."""
        ends = {role: self._endpoint(prop) for role, prop in self._ROLES}
        if None in ends.values():
            return None  # an endpoint computed at run time
        try:
            return {role: ep.unresolved_placement()
                    for role, ep in ends.items()}
        except KeyError:
            return None  # an unknown cell: its endpoint's validation says so

    def _carriage(self, technology, placements):
        """What the operator declared the interconnect carries between the
        ends (UndeclaredLink if nothing)."""
        return underlay.carriage(
            underlay.configured(CONF.geo_heat.interconnects), technology,
            placements[site.LOCAL], placements[site.REMOTE],
            local_region=self._local_region(),
            mtu_cap=CONF.geo_heat.link_mtu_cap)

    def _local_region(self):
        return self.context.region_name or CONF.region_name_for_services

    def _endpoint(self, prop):
        """The endpoint resource a property refers to, or None if unknown.

        Heat's resource_by_refid skips a resource whose check (or other
        action) failed: Heat's record of the stack still has it.
        """
        reference = self.properties[prop]
        if reference is None:
            return None
        rsrc = self.stack.resource_by_refid(reference)
        if rsrc is None:
            stored = endpoint.stored(self.context, self.stack.id, reference)
            rsrc = stored and self.stack.resources.get(stored.name)
        if not isinstance(rsrc, endpoint.GeoEndpoint):
            raise validation.property_error(
                self, [prop],
                _('"%s" is not an OS::Geo::Endpoint of this stack')
                % reference)
        return rsrc

    # -- the link core ------------------------------------------------------

    def _spec(self):
        """The link as recorded at create, so later actions need no props."""
        stored = self.data().get('spec')
        if stored:
            return model.LinkSpec.from_dict(json.loads(stored))
        placements = {role: site.Placement(**descriptor['placement'])
                      for role, descriptor in self._descriptors().items()}
        technology = self._technology(placements)
        try:
            carriage = self._carriage(technology, placements)
        except errors.UndeclaredLink as exc:
            raise exception.Error(str(exc))
        # The template's range, else the one declared for these sites, else
        # the operator's default for the technology.
        text = self.properties[self.SEGMENTATION_RANGE]
        if not (text or carriage.segmentation_range):
            text = CONF.geo_heat.segmentation_ranges.get(technology)
        return model.LinkSpec(
            link_id=self.uuid,
            stack_id=self.stack.id or '',
            name=self.properties[self.NAME] or self.physical_resource_name(),
            technology=technology,
            segmentation_id=self.properties[self.SEGMENTATION_ID],
            segmentation_range=(definitions.parse_segmentation_range(text)
                                if text else carriage.segmentation_range),
            cidr=self.properties[self.CIDR],
            mtu=self.properties[self.MTU],
            cidr_pool=tuple(CONF.geo_heat.cidr_pool),
            prefix_length=CONF.geo_heat.subnet_prefix_length,
            allocation_attempts=CONF.geo_heat.allocation_attempts,
            mtu_cap=carriage.mtu_cap,
            **self._stitching(technology))

    def _technology(self, placements):
        """The template's technology, or the one auto picks from both
        ends' Neutrons (as their endpoints probed them)."""
        technology = self.properties[self.TECHNOLOGY]
        if technology != definitions.AUTO:
            return technology
        try:
            candidates = self._auto_candidates(placements)
        except exception.StackValidationFailed as exc:
            raise exception.Error(exc.error_message)
        capable = [self._endpoint(prop).capabilities()['technologies']
                   for _role, prop in self._ROLES]
        chosen = definitions.choose_technology(candidates, capable)
        if chosen is None:
            raise exception.Error(
                _('auto: no technology of %(candidates)s is supported by '
                  'both ends (local: %(local)s; remote: %(remote)s)')
                % {'candidates': ', '.join(candidates),
                   'local': ', '.join(capable[0]) or 'none',
                   'remote': ', '.join(capable[1]) or 'none'})
        return chosen

    def _stitching(self, technology):
        """What a bgpvpn or ipsec link needs of the template and the
        operator's options."""
        if technology == definitions.BGPVPN:
            asn = CONF.geo_heat.route_target_asn
            try:
                low, high = definitions.parse_segmentation_range(
                    CONF.geo_heat.route_target_range)
                problem = definitions.validate_route_target_range(asn, low,
                                                                  high)
            except ValueError as exc:
                problem = str(exc)
            if problem:
                raise exception.Error(
                    _('the operator\'s [geo_heat] route_target_range is '
                      'wrong: %s') % problem)
            return {'bgpvpn_type': self.properties[self.BGPVPN_TYPE],
                    'route_target_asn': asn,
                    'route_target_range': (low, high)}
        if technology == definitions.IPSEC:
            chosen = self.properties[self.IPSEC] or {}
            stitching = {key: chosen.get(key) or getattr(
                CONF.geo_heat, option)[0]
                for key, option in self._IPSEC_OPTIONS.items()}
            stitching['external_network'] = (
                CONF.geo_heat.ipsec_external_network)
            return stitching
        return {}

    def _descriptors(self):
        """Both ends as recorded at create; resolved from them on first use.

        Recording them lets delete, check and updates work whatever state
        the endpoint resources are in.
        """
        stored = self.data().get('sites')
        if stored:
            return json.loads(stored)
        descriptors = {}
        for role, prop in self._ROLES:
            ep = self._endpoint(prop)
            if ep is None:
                raise exception.Error(_('%s is not known') % prop)
            descriptors[role] = ep.descriptor()
        self.data_set('sites', json.dumps(descriptors))
        return descriptors

    def _link(self):
        """The link core over both ends; a lost end's side is not
        connected to."""
        plugin = self.client_plugin()
        descriptors = self._descriptors()
        lost = self._lost_neutrons(descriptors)
        sites = []
        for role, descriptor in sorted(descriptors.items()):
            placement = site.Placement(**descriptor['placement'])
            share_project_id = descriptor.get('share_project_id')
            if placement.neutron_key in lost:
                sites.append(site.Site(role, placement, None,
                                       share_project_id=share_project_id,
                                       lost=True))
                continue
            try:
                conn = plugin.connect(placement, descriptor['ca_cert'],
                                      descriptor['insecure'])
            except client.CONNECT_ERRORS as exc:
                if failure.is_unreachable(exc):
                    message = _('%(role)s side (%(where)s) is unreachable: '
                                '%(cause)s')
                else:
                    message = _('%(role)s side (%(where)s) refused: '
                                '%(cause)s')
                raise exception.Error(message % {
                    'role': role, 'where': placement.describe(),
                    'cause': site.describe_error(exc)}) from exc
            sites.append(site.Site(role, placement, conn,
                                   share_project_id=share_project_id))
        local, remote = sorted(sites, key=lambda s: s.role != site.LOCAL)
        spec = self._spec()
        if spec.technology == definitions.IPSEC:
            return ipsec.IpsecLink(spec, local, remote,
                                   psk=self.data().get('psk'))
        if spec.technology == definitions.BGPVPN:
            return bgpvpn.BgpVpnLink(spec, local, remote)
        return provider.ProviderNetworkLink(spec, local, remote)

    def _lost_neutrons(self, descriptors):
        """The Neutrons (placement keys) that only lost ends use: a lost
        cell's Neutron still serves the other cell."""
        keys = {role: site.Placement(**descriptor['placement']).neutron_key
                for role, descriptor in descriptors.items()}
        lost = self._lost_roles()
        return ({keys[role] for role in lost} -
                {key for role, key in keys.items() if role not in lost})

    def _lost_roles(self):
        """Roles whose endpoint is lost (its site given up for good).

        Read from the endpoints as Heat stored them (their properties as
        last applied), whatever their state: a failed check must not hide
        one, and a delete's traversal may resolve it to no more than its
        name.
        """
        return {role for role, prop in self._ROLES
                if endpoint.lost_in_store(self.context, self.stack.id,
                                          self.properties[prop])}

    def _new_psk(self):
        psk = secrets.token_urlsafe(definitions.PSK_BYTES)
        self.data_set('psk', psk, redact=True)
        return psk

    def _state(self):
        return model.LinkState.from_dict(
            json.loads(self.data().get('state', '{}')))

    def _save_state(self, state):
        recorded = json.dumps(state.to_dict())
        if recorded != self.data().get('state'):
            self.data_set('state', recorded)

    def _run(self, operation, *args, **kwargs):
        """Call the link core; its errors as Heat reads them.

        A side's 404 and 409 reach Heat as the openstacksdk exceptions the
        geo_site plugin recognises (a delete takes the first as gone and
        retries the second); the rest is a Heat error. Every message names
        the side, and the client's own exception is kept as the cause.
        """
        try:
            return operation(*args, **kwargs)
        except errors.NotFound as exc:
            raise LinkNotFound(str(exc)) from exc.__cause__
        except errors.Conflict as exc:
            raise LinkConflict(str(exc)) from exc.__cause__
        except errors.LinkError as exc:
            raise exception.Error(str(exc)) from exc

    # -- lifecycle ------------------------------------------------------------

    def handle_create(self):
        if (self._spec().technology == definitions.IPSEC and
                self.data().get('psk') is None):
            self._new_psk()
        link = self._link()
        retried = self.data().get('create_started') == 'true'
        self.data_set('spec', json.dumps(link.spec.to_dict()))
        self.data_set('create_started', 'true')
        return link.create_steps(model.LinkState(), adopt=retried)

    def check_create_complete(self, steps):
        """Run create steps, recording the link's state after each one.

        Steps run back to back until CREATE_STEPS_SECONDS have passed;
        Heat then gets control back (cancel, stack timeout), as it does
        while Neutron brings the networks up.
        """
        deadline = time.monotonic() + CREATE_STEPS_SECONDS
        while True:
            try:
                state = self._run(next, steps)
            except StopIteration:
                return True
            if state is None:
                return False
            self._save_state(state)
            if state.local_network_id not in (None, self.resource_id):
                self.resource_id_set(state.local_network_id)
            if time.monotonic() >= deadline:
                return False

    def handle_delete(self):
        """Delete both halves; on a lost side, only name what is left."""
        if not self.data().get('create_started'):
            return None
        link = self._link()
        with self.client_plugin().ignore_not_found:
            self._run(link.delete)
        self._name_what_is_left(link)
        return None

    def _name_what_is_left(self, link):
        """Name what a delete leaves on lost sides, for geo-heat-sweep: in
        the log, and in events (of which Heat keeps 255 characters)."""
        tag = definitions.link_tag(self.uuid)
        for side, objects in link.left_on_lost_sides(self._state()):
            where = side.describe()
            LOG.warning('%s: %s is lost; left there (tagged %s): %s',
                        self.name, where, tag, ', '.join(objects))
            self._add_event(self.action, self.status, _(
                '%(where)s is lost: what the link has there (tagged '
                '%(tag)s) is left for geo-heat-sweep') % {'where': where,
                                                        'tag': tag})
            prefix = '%s: left ' % where
            for chunk in _packed(objects, EVENT_REASON_MAX - len(prefix)):
                self._add_event(self.action, self.status, prefix + chunk)

    # -- update -------------------------------------------------------------

    always_replace_on_check_failed = False

    def needs_replace_failed(self):
        """Replace a failed link only if its objects are gone or wrong on
        a side that answers.

        A failed check (a short outage) or a failed update leaves a healthy
        link, which must not be rebuilt under a running VNF. A side that
        does not answer leaves the link degraded, and kept; a side that
        refuses has not lost it (only a 404 says gone); a lost side is not
        asked.
        """
        if not self.data().get('state'):
            return True
        try:
            return bool(self._link().check(self._state()))
        except errors.NotFound:
            return True
        except (errors.LinkError, exception.Error) as exc:
            LOG.warning('%s is kept, not replaced: %s', self.name, exc)
            return False

    def _segmentation_change(self, after_props):
        """What an update asks of the segmentation ID: None (nothing),
        ('id', ID) or ('range', (low, high))."""
        current = self._state().segmentation_id
        wanted = after_props[self.SEGMENTATION_ID]
        if wanted is not None and wanted != current:
            return ('id', wanted)
        text = after_props[self.SEGMENTATION_RANGE]
        if wanted is None and text and current is not None:
            low, high = definitions.parse_segmentation_range(text)
            if not low <= current <= high:
                return ('range', (low, high))
        return None

    def needs_replace_with_prop_diff(self, changed_properties_set,
                                     after_props, before_props):
        """Pinning what the link already has is no change; a new CIDR, or
        a new ID where Neutron cannot set it in place, replaces it."""
        state = self._state()
        cidr = after_props[self.CIDR]
        if cidr is not None and cidr != state.cidr:
            return True
        if self._segmentation_change(after_props) is None:
            return False
        return not self._link().movable

    def handle_update(self, json_snippet, tmpl_diff, prop_diff):
        after_props = json_snippet.properties(self.properties_schema,
                                              self.context)
        changes = {}
        if self.NAME in prop_diff:
            changes['name'] = (prop_diff[self.NAME] or
                               self.physical_resource_name())
        if prop_diff.get(self.MTU) is not None:
            changes['mtu'] = prop_diff[self.MTU]
        segmentation = self._segmentation_change(after_props)
        rotate = (self.PSK_ROTATION in prop_diff and
                  self._spec().technology == definitions.IPSEC)
        if not changes and segmentation is None and not rotate:
            return
        state = self._state()
        link = self._link()
        if rotate:
            # Stored before Neutron has it: if a side misses the new key,
            # check names its connection and another rotation fixes it.
            self._run(link.update, state, psk=self._new_psk())
        if segmentation is not None:
            kind, value = segmentation
            self._run(link.move, state,
                      segmentation_id=value if kind == 'id' else None,
                      id_range=value if kind == 'range' else None)
            self._save_state(state)
        if changes:
            self._run(link.update, state, **changes)
            if 'mtu' in changes:
                state.mtu = changes['mtu']
                self._save_state(state)
        text = after_props[self.SEGMENTATION_RANGE]
        self.data_set('spec', json.dumps(dataclasses.replace(
            link.spec, segmentation_id=after_props[self.SEGMENTATION_ID],
            segmentation_range=(definitions.parse_segmentation_range(text)
                                if text else link.spec.segmentation_range),
            **changes).to_dict()))

    def prepare_for_replace(self):
        """Free the segmentation ID for the replacement, as Heat's ports
        free their fixed IPs: a replacement may pin the same ID, and Heat
        creates it before deleting this link."""
        state = self._state()
        if state.segmentation_id is None:
            return
        link = self._link()
        if not link.movable:
            return
        held = state.segmentation_id
        try:
            link.move(state)
        except errors.LinkError as exc:
            # The replacement may not need this ID; if it does, its own
            # create says which side holds it.
            LOG.warning('%s keeps segmentation ID %s: %s', self.name, held,
                        exc)
            return
        self.data_set('held_segmentation_id', str(held))
        self._save_state(state)

    def restore_prev_rsrc(self, convergence=False):
        """On rollback, take back the ID freed for the replacement.

        The replacement may hold it by now, so it moves away first, as
        Heat's ports clear the replacement's fixed IPs before restoring.
        """
        if convergence:
            previous = self
            replacement = resource.Resource.load(
                self.context, self.replaced_by, self.stack.current_traversal,
                True, self.stack.defn._resource_data)[0]
        else:
            previous = self.stack._backup_stack().resources.get(self.name)
            replacement = self
        held = previous.data().get('held_segmentation_id')
        if not held:
            return
        held = int(held)
        if replacement is not None and replacement.data().get('state'):
            taken = replacement._state()
            if taken.segmentation_id == held:
                replacement._run(replacement._link().move, taken)
                replacement._save_state(taken)
        state = previous._state()
        previous._run(previous._link().move, state, segmentation_id=held)
        previous._save_state(state)
        previous.data_delete('held_segmentation_id')

    def handle_check(self):
        """Read every side that is not lost; changes nothing."""
        problems = self._run(self._link().check, self._state())
        if problems:
            raise exception.Error('; '.join(problems))

    def _show_resource(self):
        return self._run(self._link().show, self._state())

    def _resolve_attribute(self, name):
        if self.resource_id is None:
            return None
        if name == self.STATUS:
            return self._run(self._link().status, self._state())
        if name == self.TECHNOLOGY_ATTR:
            return self._spec().technology
        return getattr(self._state(), name)


def _packed(items, width):
    """Comma-separated items, as few strings of at most width as fit."""
    packed = []
    for item in items:
        if packed and len(packed[-1]) + 2 + len(item) <= width:
            packed[-1] += ', ' + item
        else:
            packed.append(item)
    return packed


def resource_mapping():
    return {'OS::Geo::Interconnect': GeoInterconnect}
