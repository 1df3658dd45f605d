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

"""What OS::Geo::Interconnect refuses before any cloud is touched."""

from heat.common.i18n import _
from heat.db import api as db_api
from heat.db import models as db_models
from oslo_config import cfg

from geo_heat import definitions
from geo_heat.link import build
from geo_heat.link import errors
from geo_heat.link import ipsec
from geo_heat.link import model
from geo_heat.link import provider
from geo_heat.link import site
from geo_heat.link import tenancy
from geo_heat.link import underlay
from geo_heat.resources import validation

CONF = cfg.CONF


class ValidationMixin:
    """Properties checked against both ends and the operator's [geo_heat]
    options, each refusal naming the property; the link core decides
    again at create, where an end known only then is checked."""

    def validate(self):
        super().validate()
        technology = self.properties[self.TECHNOLOGY]
        self._validate_tenancy()
        if technology == definitions.AUTO:
            self._validate_auto()
            carriage = underlay.Carriage(mtu_cap=CONF.geo_heat.link_mtu_cap)
        else:
            carriage = self._validate_ends(technology)
        self._validate_ipsec(technology)
        routed = model.LinkSpec(
            link_id='', name='', technology=technology,
            bgpvpn_type=self.properties[self.BGPVPN_TYPE]).routed
        bound = tenancy.segmentation_bound(carriage, self.context.is_admin)
        checks = (
            (self.SEGMENTATION_ID, definitions.validate_segmentation_id(
                technology, self.properties[self.SEGMENTATION_ID], bound)),
            (self.SEGMENTATION_RANGE, definitions.validate_segmentation_range(
                technology, self.properties[self.SEGMENTATION_RANGE],
                bound)),
            (self.CIDR, definitions.validate_cidr(
                self.properties[self.CIDR], halves=2 if routed else 1)),
            (self.MTU, definitions.validate_mtu(self.properties[self.MTU],
                                                carriage.mtu_cap)),
        )
        for name, message in checks:
            if message:
                raise validation.property_error(self, [name], message)
        message = tenancy.cidr_size_problem(
            self.properties[self.CIDR], CONF.geo_heat.max_link_addresses,
            self.context.is_admin)
        if message:
            raise validation.property_error(self, [self.CIDR], message)

    def _validate_tenancy(self):
        """Refuse a tenant what the operator did not declare, and more
        links than its project may hold."""
        is_admin = self.context.is_admin
        message = tenancy.undeclared_problem(CONF.geo_heat.interconnects,
                                             is_admin)
        if message is None and not is_admin:
            asked = sum(isinstance(rsrc, type(self))
                        for rsrc in self.stack.resources.values())
            message = tenancy.link_count_problem(
                _links_held(self.context, self.stack.tenant_id,
                            self.stack.id),
                asked, CONF.geo_heat.max_links_per_project, is_admin)
        if message:
            raise validation.property_error(self, [self.TECHNOLOGY], message)

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
            approved = getattr(CONF.geo_heat, ipsec.APPROVED_OPTIONS[key])
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
        if placements is None:
            return
        try:
            build.auto_candidates(CONF.geo_heat, placements,
                                  self._local_region())
        except errors.UndeclaredLink as exc:
            raise validation.property_error(self, [self.REMOTE_ENDPOINT],
                                            str(exc))
        except errors.NoTechnology as exc:
            raise validation.property_error(self, [self.TECHNOLOGY],
                                            str(exc))

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
            carriage = build.carriage(CONF.geo_heat, technology, placements,
                                      self._local_region(),
                                      self.context.is_admin)
        except errors.UndeclaredLink as exc:
            # Another technology may join these sites; else no link does.
            prop = (self.TECHNOLOGY if exc.declared_technologies
                    else self.REMOTE_ENDPOINT)
            raise validation.property_error(self, [prop], str(exc))
        for role, message in tenancy.physical_network_problems(
                technology, carriage, placements, self.context.is_admin):
            raise validation.property_error(
                self, [dict(self._ROLES)[role]], message)
        return carriage

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


@db_api.context_manager.reader
def _links_held(context, project_id, except_stack_id):
    """How many links the project's other stacks hold (or are building),
    read from Heat's store: every link records create_started on create.
    Stacks validated at the same time do not see each other's links, so
    the builder's Neutron quotas remain the hard limit."""
    return context.session.query(db_models.Resource.id).join(
        db_models.Stack,
        db_models.Resource.stack_id == db_models.Stack.id).join(
        db_models.ResourceData,
        db_models.ResourceData.resource_id == db_models.Resource.id).filter(
        db_models.Stack.tenant == project_id,
        db_models.Stack.deleted_at.is_(None),
        db_models.Stack.id != except_stack_id,
        db_models.ResourceData.key == 'create_started').count()
