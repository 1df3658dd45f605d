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

"""OS::Geo::Endpoint: one end of a link between two datacenters."""

import dataclasses
import json

from heat.common import exception
from heat.common.i18n import _
from heat.engine import attributes
from heat.engine import constraints
from heat.engine import properties
from heat.engine import resource
from heat.engine import support
from heat.objects import resource as resource_objects
from heat.objects import stack as stack_objects
from oslo_config import cfg
from oslo_utils import uuidutils

from geo_heat import client
from geo_heat import conf  # noqa: F401  (registers [geo_heat])
from geo_heat import definitions
from geo_heat import failure
from geo_heat import resource_data
from geo_heat import site_kinds
from geo_heat.link import site
from geo_heat.link import tenancy
from geo_heat.resources import validation

CONF = cfg.CONF
# Every string a record copies (geo_heat.resource_data).
_NAME_LENGTH = constraints.Length(max=resource_data.NAME_MAX)


class GeoEndpoint(resource.Resource):
    """One end of a georedundant link: a cloud, region or cell.

    The endpoint says where one copy of a network function runs: the
    stack's own cloud in a region, a separate cloud instance (an operator
    named cloud or a Barbican secret holding keystoneauth credentials), and
    optionally a Nova cell, which the operator maps to an availability zone
    and a Neutron physical network because Nova does not show cells in its
    API. On create it authenticates to that side and records what its
    Neutron supports. It creates nothing in the cloud, so a failed check (a
    site down) never makes an update replace it, nor the links and VNFs
    built on it.

    An operator (or tenant) who gives the site up for good marks it lost:
    nothing waits for it any more, and what is left there is named in
    events and removed later by geo-heat-sweep.
    """

    support_status = support.SupportStatus(version='2026.2')

    entity = None
    default_client_name = 'geo_site'

    PROPERTIES = (
        CONTEXT, CELL, PHYSICAL_NETWORK, AVAILABILITY_ZONE, LOST,
    ) = (
        'context', 'cell', 'physical_network', 'availability_zone', 'lost',
    )

    _CONTEXT_KEYS = (
        REGION_NAME, CLOUD, CREDENTIAL_SECRET_ID, CA_CERT, INSECURE,
    ) = (
        'region_name', 'cloud', 'credential_secret_id', 'ca_cert', 'insecure',
    )

    ATTRIBUTES = (
        REGION_NAME_ATTR, CLOUD_ATTR, CELL_ATTR, AVAILABILITY_ZONE_ATTR,
        PHYSICAL_NETWORK_ATTR, CAPABILITIES_ATTR, PROJECT_ID_ATTR,
    ) = (
        'region_name', 'cloud', 'cell', 'availability_zone',
        'physical_network', 'capabilities', 'project_id',
    )

    properties_schema = {
        CONTEXT: properties.Schema(
            properties.Schema.MAP,
            _('Where this end is and how to authenticate there. Empty: the '
              'stack\'s own cloud and region.'),
            schema={
                REGION_NAME: properties.Schema(
                    properties.Schema.STRING,
                    _('Region of the cloud; default: the stack\'s region '
                      '(or the named cloud\'s own region).'),
                    constraints=[_NAME_LENGTH]),
                CLOUD: properties.Schema(
                    properties.Schema.STRING,
                    _('A separate cloud instance, named in the operator\'s '
                      'clouds file ([geo_heat] clouds_file).'),
                    constraints=[constraints.CustomConstraint('geo.cloud'),
                                 _NAME_LENGTH]),
                CREDENTIAL_SECRET_ID: properties.Schema(
                    properties.Schema.STRING,
                    _('A separate cloud instance whose keystoneauth '
                      'credentials ({"auth_type": ..., "auth": {...}}) are '
                      'stored in this Barbican secret, as OS::Heat::Stack '
                      'uses them.'),
                    constraints=[_NAME_LENGTH]),
                CA_CERT: properties.Schema(
                    properties.Schema.STRING,
                    _('CA certificate (PEM) that signs the remote cloud\'s '
                      'endpoints; with credential_secret_id.')),
                INSECURE: properties.Schema(
                    properties.Schema.BOOLEAN,
                    _('Do not verify the remote cloud\'s TLS certificates.'),
                    default=False),
            },
            default={},
        ),
        CELL: properties.Schema(
            properties.Schema.STRING,
            _('Nova cell of this end; the operator\'s [geo_heat] '
              'cell_mappings give its availability zone and physical '
              'network.'),
            constraints=[constraints.CustomConstraint('geo.cell'),
                         _NAME_LENGTH]),
        PHYSICAL_NETWORK: properties.Schema(
            properties.Schema.STRING,
            _('Neutron physical network that reaches the other site; '
              'overrides the cell\'s. Needed by VLAN and flat links.'),
            constraints=[_NAME_LENGTH]),
        AVAILABILITY_ZONE: properties.Schema(
            properties.Schema.STRING,
            _('Availability zone for the network function\'s servers at '
              'this end; overrides the cell\'s. A scheduling hint only: '
              'changing it updates the endpoint in place and leaves its '
              'links alone.'),
            update_allowed=True, constraints=[_NAME_LENGTH]),
        LOST: properties.Schema(
            properties.Schema.BOOLEAN,
            _('The operator (or tenant) gives this site up for good: '
              'nothing waits for it any more; what is left there is named '
              'in events and status and removed later by geo-heat-sweep. '
              'Changing it updates the endpoint in place and asks nothing '
              'of the site; a new endpoint cannot be lost.'),
            default=False,
            update_allowed=True,
            support_status=support.SupportStatus(version='2026.3')),
    }

    attributes_schema = {
        REGION_NAME_ATTR: attributes.Schema(
            _('Region of this end.'), type=attributes.Schema.STRING),
        CLOUD_ATTR: attributes.Schema(
            _('Named cloud of this end, if a separate cloud instance.'),
            type=attributes.Schema.STRING),
        CELL_ATTR: attributes.Schema(
            _('Nova cell of this end.'), type=attributes.Schema.STRING),
        AVAILABILITY_ZONE_ATTR: attributes.Schema(
            _('Availability zone to place servers of this end in.'),
            type=attributes.Schema.STRING),
        PHYSICAL_NETWORK_ATTR: attributes.Schema(
            _('Physical network links use at this end.'),
            type=attributes.Schema.STRING),
        CAPABILITIES_ATTR: attributes.Schema(
            _('What this end\'s Neutron supports: link extensions, link '
              'technologies and whether the MTU can be changed.'),
            type=attributes.Schema.MAP),
        PROJECT_ID_ATTR: attributes.Schema(
            _('Project that uses links at this end: the link networks '
              'there are shared with it.'),
            type=attributes.Schema.STRING),
    }

    # It creates nothing in the cloud: a failed check or update leaves
    # nothing to rebuild.
    always_replace_on_check_failed = False

    def needs_replace_failed(self):
        """Only an endpoint whose create never recorded its site."""
        return not self.data().get('site')

    def is_lost(self):
        """Whether the site is given up for good: nothing may wait for it,
        nor ask anything of it."""
        return bool(self.properties[self.LOST])

    def validate(self):
        super().validate()
        self._validate_lost()
        context = self.properties[self.CONTEXT] or {}
        placement = site.Placement(
            cloud=context.get(self.CLOUD),
            credential_secret_id=context.get(self.CREDENTIAL_SECRET_ID))
        try:
            self.client_plugin().site(placement).validate(
                context.get(self.REGION_NAME))
        except site_kinds.Invalid as exc:
            raise validation.property_error(
                self, [self.CONTEXT, *exc.path], str(exc))
        problem = tenancy.ca_cert_problem(context.get(self.CA_CERT))
        if problem:
            raise validation.property_error(self, [self.CONTEXT,
                                                   self.CA_CERT], problem)
        if context.get(self.CREDENTIAL_SECRET_ID):
            self._validate_secret_cloud(placement)

    def _validate_secret_cloud(self, placement):
        """A Barbican credential must reach a cloud the operator lets the
        stack's project use, as a named cloud must. A secret this stack
        creates is not there yet (its reference is its resource's name):
        the create checks it."""
        context = self.properties[self.CONTEXT]
        reference = context[self.CREDENTIAL_SECRET_ID]
        if not uuidutils.is_uuid_like(reference.rstrip('/').rpartition(
                '/')[2]):
            return
        try:
            self.client_plugin().site(
                placement, context.get(self.CA_CERT),
                bool(context.get(self.INSECURE))).operator_cloud()
        except client.Misconfigured as exc:
            raise validation.property_error(
                self, [self.CONTEXT, self.CREDENTIAL_SECRET_ID], str(exc))
        except failure.SIDE_ERRORS as exc:
            raise validation.property_error(
                self, [self.CONTEXT, self.CREDENTIAL_SECRET_ID],
                _('cannot read the secret: %s') % site.describe_error(exc))

    def _validate_lost(self):
        """Only a site the stack has can be given up."""
        if self.is_lost() and not self._stored():
            raise validation.property_error(
                self, [self.LOST],
                _('a new endpoint cannot be lost: lost gives up the site of '
                  'an endpoint the stack already has'))

    def _stored(self):
        """Whether Heat holds this endpoint already. The stack an update
        validates is a new copy, not stored yet, of the stored one."""
        stack_id = self.stack.id
        if stack_id is None:
            stored = stack_objects.Stack.get_by_name(self.context,
                                                     self.stack.name)
            if stored is None:
                return False
            stack_id = stored.id
        return resource_objects.Resource.get_by_name_and_stack(
            self.context, self.name, stack_id) is not None

    def unresolved_placement(self, props=None):
        """Where this end is, from the properties and config alone.

        Raises KeyError for a cell the operator did not map.
        """
        props = props or self.properties
        context = props[self.CONTEXT] or {}
        return site.resolve_placement(
            site.parse_cell_mappings(CONF.geo_heat.cell_mappings),
            region_name=context.get(self.REGION_NAME),
            cloud=context.get(self.CLOUD),
            credential_secret_id=context.get(self.CREDENTIAL_SECRET_ID),
            cell=props[self.CELL],
            availability_zone=props[self.AVAILABILITY_ZONE],
            physical_network=props[self.PHYSICAL_NETWORK])

    def placement(self):
        """Where this end is, with the region its cloud defaults to."""
        return self.client_plugin().resolve(self.unresolved_placement())

    def descriptor(self):
        """Everything a link needs to reach and share this end; no secrets.

        Recorded at create, so links read it from Heat's store rather than
        from properties: under convergence, properties computed from other
        resources (get_resource of a Barbican secret) resolve only where the
        endpoint itself runs. The CA bundle is kept apart, by digest
        (geo_heat.resource_data).
        """
        stored = self.data().get('site')
        if stored:
            return resource_data.unstow(json.loads(stored), self.data())
        context = self.properties[self.CONTEXT] or {}
        return {'placement': dataclasses.asdict(self.placement()),
                'ca_cert': context.get(self.CA_CERT),
                'insecure': bool(context.get(self.INSECURE))}

    def _probe(self, descriptor):
        """Authenticate at this end, find who uses links there, and read
        what its Neutron supports."""
        placement = site.Placement(**descriptor['placement'])
        plugin = self.client_plugin()
        try:
            share_project_id = plugin.share_project(
                placement, descriptor['ca_cert'], descriptor['insecure'])
            conn = plugin.connect(placement, descriptor['ca_cert'],
                                  descriptor['insecure'])
            aliases = {ext.alias for ext in conn.network.extensions()}
        except client.AccessDenied as exc:
            raise exception.Error(
                _('endpoint %(name)s: %(cause)s')
                % {'name': self.name, 'cause': exc})
        except client.CONNECT_ERRORS as exc:
            raise self._side_failure(placement, exc) from exc
        return share_project_id, {
            'project_id': share_project_id,
            'capabilities': {
                'extensions': sorted(
                    aliases & set(definitions.LINK_EXTENSIONS)),
                'technologies': definitions.capable_technologies(aliases),
                'mtu_writable': 'net-mtu-writable' in aliases,
            },
        }

    def _side_failure(self, placement, exc, reading=None):
        """A Heat error naming this end, and whether its side did not
        answer or refused (an answer, or a configuration that does not
        let geo-heat reach it)."""
        cause = site.describe_error(exc)
        if reading:
            cause = _('cannot read %(what)s: %(cause)s') % {
                'what': reading, 'cause': cause}
        return exception.Error(failure.explain(
            _('endpoint %(name)s (%(where)s)') % {
                'name': self.name, 'where': placement.describe()},
            exc, cause))

    def capabilities(self):
        """What this end's Neutron supports, as probed at create."""
        return json.loads(self.data().get('probe', '{}')).get(
            'capabilities', {'technologies': []})

    def _record(self, descriptor):
        share_project_id, probe = self._probe(descriptor)
        self._store_site(dict(descriptor, share_project_id=share_project_id))
        self.data_set('probe', json.dumps(probe))

    def _store_site(self, descriptor):
        self.data_set('site', json.dumps(resource_data.stow(
            descriptor, self.data(), self.data_set)))

    def handle_create(self):
        self._record(self.descriptor())
        self.resource_id_set(self.physical_resource_name())

    def handle_update(self, json_snippet, tmpl_diff, prop_diff):
        """The availability zone and lost change in place, asking nothing
        of the site; only the zone is recorded (Heat keeps lost with the
        properties)."""
        if self.AVAILABILITY_ZONE in prop_diff:
            after = json_snippet.properties(self.properties_schema,
                                            self.context)
            descriptor = self.descriptor()
            descriptor['placement'] = dataclasses.asdict(dataclasses.replace(
                site.Placement(**descriptor['placement']),
                availability_zone=self.unresolved_placement(
                    after).availability_zone))
            self._store_site(descriptor)

    def handle_check(self):
        """Read the site, as create found it: changes nothing there. A
        lost site is asked nothing, and reports nothing."""
        if self.is_lost():
            return
        descriptor = self.descriptor()
        self._probe(descriptor)
        self._check_zone(descriptor)

    def _check_zone(self, descriptor):
        """A cell (or zone) whose compute hosts are all disabled is down
        while its cloud still answers (geo_heat.link.site.zone_problem)."""
        placement = site.Placement(**descriptor['placement'])
        zone = placement.availability_zone
        if not zone:
            return
        try:
            problem = site.zone_problem(self.client_plugin().connect(
                placement, descriptor['ca_cert'],
                descriptor['insecure']).compute, zone)
        except client.CONNECT_ERRORS as exc:
            raise self._side_failure(placement, exc,
                                     _('its availability zones')) from exc
        if problem:
            raise exception.Error(
                _('endpoint %(name)s (%(where)s) is unavailable: %(problem)s')
                % {'name': self.name, 'where': placement.describe(),
                   'problem': problem})

    def _show_resource(self):
        show = dict(self.descriptor()['placement'])
        show.update(json.loads(self.data().get('probe', '{}')))
        return show

    def _resolve_attribute(self, name):
        if self.resource_id is None:
            return None
        probe = json.loads(self.data().get('probe', '{}'))
        if name in (self.CAPABILITIES_ATTR, self.PROJECT_ID_ATTR):
            return probe.get(name)
        return self.descriptor()['placement'].get(name)


def stored(context, stack_id, reference):
    """Heat's record of the endpoint of a stack that a reference ID (or
    else a name) names; None if there is none.

    Read whatever the endpoint's state: Heat's resource_by_refid skips one
    whose check failed, and a delete's traversal may resolve a reference
    to no more than a name.
    """
    records = resource_objects.Resource
    for record in records.get_all_by_physical_resource_id(context,
                                                          reference):
        if record.stack_id == stack_id:
            return record
    return records.get_by_name_and_stack(context, reference, stack_id)


def lost_in_store(context, stack_id, reference):
    """Whether that endpoint was given up for good, by its properties as
    last applied: a resource cleaned up after an update sees only its own
    old template, where the site was not lost yet."""
    record = stored(context, stack_id, reference)
    return record is not None and bool(
        (record.properties_data or {}).get(GeoEndpoint.LOST))


def resource_mapping():
    return {'OS::Geo::Endpoint': GeoEndpoint}
