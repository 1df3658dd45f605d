"""OS::Geo::Interconnect: the link between two OS::Geo::Endpoint ends."""

import dataclasses
import json
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

from geo_heat import client
from geo_heat import definitions
from geo_heat.link import errors
from geo_heat.link import model
from geo_heat.link import provider
from geo_heat.link import site
from geo_heat.resources import endpoint
from geo_heat.resources import validation

CONF = cfg.CONF

# How long one check_create_complete call keeps building before it hands
# control back to Heat, which then pauses a second: long enough for a whole
# link when Neutron answers in time (even with hundreds of networks per
# side), short enough for a cancel or a timeout to act between steps.
CREATE_STEPS_SECONDS = 3.0


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
    """

    support_status = support.SupportStatus(version='2026.2')

    entity = None
    default_client_name = 'geo_site'

    PROPERTIES = (
        LOCAL_ENDPOINT, REMOTE_ENDPOINT, TECHNOLOGY, SEGMENTATION_ID,
        SEGMENTATION_RANGE, CIDR, MTU, NAME,
    ) = (
        'local_endpoint', 'remote_endpoint', 'technology', 'segmentation_id',
        'segmentation_range', 'cidr', 'mtu', 'name',
    )

    ATTRIBUTES = (
        SEGMENTATION_ID_ATTR, LOCAL_NETWORK_ID, REMOTE_NETWORK_ID,
        LOCAL_SUBNET_ID, REMOTE_SUBNET_ID, CIDR_ATTR, MTU_ATTR, STATUS,
    ) = (
        'segmentation_id', 'local_network_id', 'remote_network_id',
        'local_subnet_id', 'remote_subnet_id', 'cidr', 'mtu', 'status',
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
            _('How the link is segregated on the underlay.'),
            required=True,
            constraints=[constraints.AllowedValues(definitions.TECHNOLOGIES)]),
        SEGMENTATION_ID: properties.Schema(
            properties.Schema.INTEGER,
            _('VLAN ID, VNI or tunnel key; default: one free on both sides.'),
            constraints=[constraints.Range(min=1)]),
        SEGMENTATION_RANGE: properties.Schema(
            properties.Schema.STRING,
            _('"min:max" range to choose the segmentation ID from; default: '
              'the operator\'s [geo_heat] segmentation_ranges, else the '
              'technology\'s whole range.'),
            constraints=[
                constraints.CustomConstraint('geo.segmentation_range')]),
        CIDR: properties.Schema(
            properties.Schema.STRING,
            _('Subnet of the link, the same on both sides; default: one of '
              'the operator\'s [geo_heat] cidr_pool that overlaps nothing on '
              'either side.'),
            constraints=[constraints.CustomConstraint('net_cidr')]),
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
            _('ACTIVE when both halves exist, match and are ACTIVE; '
              'otherwise what is wrong, side by side.'),
            type=attributes.Schema.STRING),
    }

    # -- validation (no cloud is touched) ----------------------------------

    def validate(self):
        super().validate()
        technology = self.properties[self.TECHNOLOGY]
        checks = (
            (self.SEGMENTATION_ID, definitions.validate_segmentation_id(
                technology, self.properties[self.SEGMENTATION_ID])),
            (self.SEGMENTATION_RANGE, definitions.validate_segmentation_range(
                technology, self.properties[self.SEGMENTATION_RANGE])),
            (self.CIDR, definitions.validate_cidr(self.properties[self.CIDR])),
        )
        for name, message in checks:
            if message:
                raise validation.property_error(self, [name], message)
        ends = {role: self._endpoint(prop) for role, prop in self._ROLES}
        if None in ends.values():
            return  # an endpoint computed at run time; checked at create
        try:
            placements = {role: ep.unresolved_placement()
                          for role, ep in ends.items()}
        except KeyError:
            return  # an unknown cell: the endpoint's own validation says so
        problems = provider.placement_problems(
            technology, placements[site.LOCAL], placements[site.REMOTE])
        if problems:
            role, message = problems[0]
            raise validation.property_error(
                self, [dict(self._ROLES)[role]], message)

    _ROLES = ((site.LOCAL, LOCAL_ENDPOINT), (site.REMOTE, REMOTE_ENDPOINT))

    def _endpoint(self, prop):
        """The endpoint resource a property refers to, or None if unknown."""
        reference = self.properties[prop]
        if reference is None:
            return None
        rsrc = self.stack.resource_by_refid(reference)
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
        technology = self.properties[self.TECHNOLOGY]
        text = (self.properties[self.SEGMENTATION_RANGE] or
                CONF.geo_heat.segmentation_ranges.get(technology))
        return model.LinkSpec(
            link_id=self.uuid,
            stack_id=self.stack.id or '',
            name=self.properties[self.NAME] or self.physical_resource_name(),
            technology=technology,
            segmentation_id=self.properties[self.SEGMENTATION_ID],
            segmentation_range=(definitions.parse_segmentation_range(text)
                                if text else None),
            cidr=self.properties[self.CIDR],
            mtu=self.properties[self.MTU],
            cidr_pool=tuple(CONF.geo_heat.cidr_pool),
            prefix_length=CONF.geo_heat.subnet_prefix_length,
            allocation_attempts=CONF.geo_heat.allocation_attempts)

    def _descriptors(self):
        """Both ends as recorded at create; resolved from them on first use.

        Recording them lets delete, check and suspend work whatever state
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
        plugin = self.client_plugin()
        sites = []
        for role, descriptor in sorted(self._descriptors().items()):
            placement = site.Placement(**descriptor['placement'])
            try:
                conn = plugin.connect(placement, descriptor['ca_cert'],
                                      descriptor['insecure'])
            except client.CONNECT_ERRORS as exc:
                raise exception.Error(
                    _('%(role)s side (%(where)s) is unreachable: %(cause)s')
                    % {'role': role, 'where': placement.describe(),
                       'cause': site.describe_error(exc)})
            sites.append(site.Site(role, placement, conn))
        local, remote = sorted(sites, key=lambda s: s.role != site.LOCAL)
        return provider.ProviderNetworkLink(self._spec(), local, remote)

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
        if not self.data().get('create_started'):
            return None
        with self.client_plugin().ignore_not_found:
            self._run(self._link().delete)
        return None

    def handle_update(self, json_snippet, tmpl_diff, prop_diff):
        changes = {}
        if self.NAME in prop_diff:
            changes['name'] = (prop_diff[self.NAME] or
                               self.physical_resource_name())
        if prop_diff.get(self.MTU) is not None:
            changes['mtu'] = prop_diff[self.MTU]
        if not changes:
            return
        state = self._state()
        link = self._link()
        self._run(link.update, state, **changes)
        self.data_set('spec', json.dumps(dataclasses.replace(
            link.spec, **changes).to_dict()))
        if 'mtu' in changes:
            state.mtu = changes['mtu']
            self._save_state(state)

    def handle_check(self):
        problems = self._run(self._link().check, self._state())
        if problems:
            raise exception.Error('; '.join(problems))

    def handle_suspend(self):
        self._run(self._link().update, self._state(), admin_state_up=False)

    def handle_resume(self):
        self._run(self._link().update, self._state(), admin_state_up=True)

    def _show_resource(self):
        return self._run(self._link().show, self._state())

    def _resolve_attribute(self, name):
        if self.resource_id is None:
            return None
        if name == self.STATUS:
            return self._run(self._link().status, self._state())
        return getattr(self._state(), name)


def resource_mapping():
    return {'OS::Geo::Interconnect': GeoInterconnect}
