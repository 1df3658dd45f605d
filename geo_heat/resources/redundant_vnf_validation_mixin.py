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

"""What the properties of OS::Geo::RedundantVNF refer to (its endpoints,
its links, the parameters its instance template declares), and the checks
made of them before any cloud is touched."""

import dataclasses

from heat.common import template_format
from heat.common.i18n import _

from geo_heat import resource_data
from geo_heat.resources import endpoint
from geo_heat.resources import interconnect
from geo_heat.resources import redundant_vnf_witness_mixin as witness_mixin
from geo_heat.resources import validation
from geo_heat.vnf import bounds
from geo_heat.vnf import plan


class ValidationMixin:

    def validate(self):
        super().validate()
        ends = [self._endpoint(prop)
                for prop in (self.ACTIVE_ENDPOINT, self.STANDBY_ENDPOINT)]
        if ends[0] is not None and ends[0] is ends[1]:
            raise validation.property_error(
                self, [self.STANDBY_ENDPOINT],
                _('the standby site is the active site'))
        self._validate_links(ends)
        self._validate_record_sizes(ends)
        self._declared_parameters(self.properties)
        clashes = sorted(set(self.properties[self.PARAMETERS]) & set(
            plan.GENERATED_PARAMETERS + witness_mixin.SIGNAL_PARAMETERS))
        if clashes:
            raise validation.property_error(
                self, [self.PARAMETERS],
                _('%s are set by geo-heat for each site')
                % ', '.join(clashes))
        names = {end.name for end in ends if end is not None}
        for prop in (self.SITE_IMAGES, self.SITE_FLAVORS):
            unknown = sorted(set(self.properties[prop]) - names)
            if names and unknown:
                raise validation.property_error(
                    self, [prop],
                    _('%(unknown)s is not a site of this VNF (%(sites)s)')
                    % {'unknown': ', '.join(unknown),
                       'sites': ', '.join(sorted(names))})

    def _validate_links(self, ends):
        refs = {self.properties[self.ACTIVE_ENDPOINT],
                self.properties[self.STANDBY_ENDPOINT]}
        for index, link in enumerate(self._links(self.properties)):
            if link is None or None in ends:
                continue
            joined = {link.properties[link.LOCAL_ENDPOINT],
                      link.properties[link.REMOTE_ENDPOINT]}
            if joined != refs:
                raise validation.property_error(
                    self, [self.LINKS, index],
                    _('link %s does not join the active and the standby '
                      'site') % link.name)

    def _validate_record_sizes(self, ends):
        """What the VNF will keep in Heat's resource data fits a value
        (MySQL's TEXT), computed from the template (geo_heat.vnf.bounds):
        refused here rather than by the database mid-create."""
        links = [link.name for link in self._links(self.properties)
                 if link is not None]
        if None in ends or not links:
            return
        sites = [bounds.End(end.name, _placement_fields(end)) for end in ends]
        sizes = bounds.largest(self.stack.name, self.name, sites, links)
        key = max(sizes, key=sizes.get)
        if sizes[key] <= resource_data.TEXT_BYTES:
            return
        raise validation.property_error(
            self, [self.LINKS],
            _('%(count)d links make the VNF\'s record %(key)s up to '
              '%(size)d bytes, over the %(limit)d bytes Heat\'s database '
              'keeps in a value (MySQL TEXT): at most %(most)d links with '
              'these names') % {
                'count': len(links), 'key': key, 'size': sizes[key],
                'limit': resource_data.TEXT_BYTES,
                'most': bounds.most_links(self.stack.name, self.name, sites,
                                          links)})

    def _endpoint(self, prop, props=None):
        """The endpoint resource a property refers to (None if unknown)."""
        return self._resource_of((props or self.properties)[prop],
                                 endpoint.GeoEndpoint, 'OS::Geo::Endpoint',
                                 [prop])

    def _links(self, props):
        return [self._resource_of(ref, interconnect.GeoInterconnect,
                                  'OS::Geo::Interconnect', [self.LINKS, i])
                for i, ref in enumerate(props[self.LINKS])]

    def _resource_of(self, reference, kind, type_name, path):
        if reference is None:
            return None
        rsrc = self.stack.resource_by_refid(reference)
        if not isinstance(rsrc, kind):
            raise validation.property_error(
                self, path, _('"%(ref)s" is not an %(type)s of this stack')
                % {'ref': reference, 'type': type_name})
        return rsrc

    def _declared_parameters(self, props):
        """Parameters the instance template declares.

        The stack user's credentials reach an instance only through a
        hidden parameter: the site's Heat then never shows them.
        """
        try:
            parsed = template_format.parse(props[self.INSTANCE_TEMPLATE])
        except ValueError as exc:
            raise validation.property_error(
                self, [self.INSTANCE_TEMPLATE],
                _('not a HOT template: %s') % exc)
        declared = parsed.get('parameters') or {}
        credentials = declared.get(witness_mixin.SIGNAL_CREDENTIALS)
        if credentials is not None and not (
                isinstance(credentials, dict) and credentials.get('hidden')):
            raise validation.property_error(
                self, [self.INSTANCE_TEMPLATE],
                _('parameter %s must be declared hidden: true')
                % witness_mixin.SIGNAL_CREDENTIALS)
        return set(declared)


def _placement_fields(end):
    """The placement fields an endpoint's template gives (none for a cell
    the operator did not map: the endpoint's own validate refuses it)."""
    try:
        return dataclasses.asdict(end.unresolved_placement())
    except KeyError:
        return {}
