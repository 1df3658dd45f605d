"""What OS::Geo::Interconnect refuses before any cloud is touched."""

from heat.common.i18n import _
from oslo_config import cfg

from geo_heat import definitions
from geo_heat.link import build
from geo_heat.link import errors
from geo_heat.link import ipsec
from geo_heat.link import model
from geo_heat.link import provider
from geo_heat.link import site
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
            return build.carriage(CONF.geo_heat, technology, placements,
                                  self._local_region())
        except errors.UndeclaredLink as exc:
            # Another technology may join these sites; else no link does.
            prop = (self.TECHNOLOGY if exc.declared_technologies
                    else self.REMOTE_ENDPOINT)
            raise validation.property_error(self, [prop], str(exc))

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
