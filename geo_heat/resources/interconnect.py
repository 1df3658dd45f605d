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

"""OS::Geo::Interconnect: the link between two OS::Geo::Endpoint ends."""

import dataclasses
import json
import secrets

from heat.common import exception
from heat.common.i18n import _
from heat.engine import attributes
from heat.engine import constraints
from heat.engine import properties
from heat.engine import resource
from heat.engine import support
from oslo_config import cfg
from oslo_log import log as logging

from geo_heat import definitions
from geo_heat import resource_data
from geo_heat.link import model
from geo_heat.link import site
from geo_heat.link import tenancy
from geo_heat.resources import driver
from geo_heat.resources import interconnect_replace_mixin
from geo_heat.resources import interconnect_sides_mixin
from geo_heat.resources import interconnect_validation_mixin

CONF = cfg.CONF
LOG = logging.getLogger(__name__)

# How long one check_create_complete call keeps building before it hands
# control back to Heat, which then pauses a second: long enough for a whole
# link when Neutron answers in time (even with hundreds of networks per
# side), short enough for a cancel or a timeout to act between steps.
CREATE_STEPS_SECONDS = 3.0
# What Heat keeps of an event's reason.
EVENT_REASON_MAX = 255


class GeoInterconnect(interconnect_sides_mixin.SidesMixin,
                      interconnect_validation_mixin.ValidationMixin,
                      interconnect_replace_mixin.ReplaceMixin,
                      resource.Resource):
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

    _ROLES = ((site.LOCAL, LOCAL_ENDPOINT), (site.REMOTE, REMOTE_ENDPOINT))

    _IPSEC_KEYS = (
        ENCRYPTION_ALGORITHM, AUTH_ALGORITHM, PFS,
    ) = (
        'encryption_algorithm', 'auth_algorithm', 'pfs',
    )

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
            update_allowed=True,
            constraints=[constraints.Length(max=resource_data.NAME_MAX)]),
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

    # -- what the link keeps in Heat ----------------------------------------

    def _new_psk(self):
        """A generated pre-shared key, kept only in Heat's encrypted
        resource data."""
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

    # -- lifecycle ------------------------------------------------------------

    def handle_create(self):
        """The create steps, run by check_create_complete (the driver's
        policy), each recorded as soon as it is done; a link whose create
        failed, which this one replaces, is removed first."""
        with driver.unfinished_predecessors(self) as predecessors:
            for predecessor in predecessors:
                predecessor.handle_delete()
        descriptors = self._descriptors()
        spec = self._spec(descriptors)
        if (spec.technology == definitions.IPSEC and
                self.data().get('psk') is None):
            self._new_psk()
        link = self._link(descriptors, spec)
        retried = self.data().get('create_started') == 'true'
        self.data_set('spec', json.dumps(spec.to_dict()))
        self.data_set('create_started', 'true')
        return driver.Operation(
            link.create_steps(model.LinkState(), adopt=retried),
            record=self._record_step, budget=CREATE_STEPS_SECONDS,
            refused=interconnect_sides_mixin.LINK_ERRORS,
            passed=interconnect_sides_mixin.SIDE_ANSWERS)

    def _record_step(self, state):
        self._save_state(state)
        if state.local_network_id not in (None, self.resource_id):
            self.resource_id_set(state.local_network_id)

    def check_create_complete(self, operation):
        return driver.drive(operation)

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

    def handle_check(self):
        """Read every side that is not lost; changes nothing."""
        problems = self._run(self._link().check, self._state())
        if problems:
            raise exception.Error('; '.join(problems))

    def _show_resource(self):
        return tenancy.tenant_view(self._run(self._link().show,
                                             self._state()))

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
