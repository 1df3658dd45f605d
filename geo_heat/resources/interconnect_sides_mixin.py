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

"""OS::Geo::Interconnect's ends as recorded at create, and the link core
that reaches them."""

import json

from heat.common import exception
from heat.common.i18n import _
from oslo_config import cfg

from geo_heat import client
from geo_heat import definitions
from geo_heat import failure
from geo_heat import resource_data
from geo_heat.link import build
from geo_heat.link import errors
from geo_heat.link import model
from geo_heat.link import site
from geo_heat.resources import driver
from geo_heat.resources import endpoint
from geo_heat.resources import validation

CONF = cfg.CONF

# Link errors reach Heat as its Error, naming the side; a side's 404 and
# 409 reach it as they are, for the geo_site plugin's is_not_found and
# is_conflict (a delete takes the first as gone, Heat retries the second).
LINK_ERRORS = (errors.LinkError,)
SIDE_ANSWERS = (errors.LinkNotFound, errors.LinkConflict)


class SidesMixin:
    """Both ends, the spec and the link core, recorded at create so that
    delete, check and updates work whatever state the endpoint resources
    are in."""

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

    def _descriptors(self):
        """Both ends as recorded at create; resolved from them on first use.

        Recording them lets delete, check and updates work whatever state
        the endpoint resources are in; their CA bundles are kept apart, by
        digest (geo_heat.resource_data).
        """
        data = self.data()
        stored = data.get('sites')
        if stored:
            return {role: resource_data.unstow(descriptor, data)
                    for role, descriptor in json.loads(stored).items()}
        descriptors = {}
        for role, prop in self._ROLES:
            ep = self._endpoint(prop)
            if ep is None:
                raise exception.Error(_('%s is not known') % prop)
            descriptors[role] = ep.descriptor()
        self.data_set('sites', json.dumps({
            role: resource_data.stow(descriptor, self.data(), self.data_set)
            for role, descriptor in descriptors.items()}))
        return descriptors

    def _spec(self, descriptors=None):
        """The link as recorded at create, so later actions need no props;
        built from the template and both ends on first use (auto asks each
        endpoint once what its Neutron supports)."""
        stored = self.data().get('spec')
        if stored:
            return model.LinkSpec.from_dict(json.loads(stored))
        descriptors = descriptors or self._descriptors()
        capable = None
        if self.properties[self.TECHNOLOGY] == definitions.AUTO:
            capable = [self._endpoint(prop).capabilities()['technologies']
                       for _role, prop in self._ROLES]
        request = build.Request(
            technology=self.properties[self.TECHNOLOGY],
            name=self.properties[self.NAME] or self.physical_resource_name(),
            segmentation_id=self.properties[self.SEGMENTATION_ID],
            segmentation_range=self.properties[self.SEGMENTATION_RANGE],
            cidr=self.properties[self.CIDR],
            mtu=self.properties[self.MTU],
            bgpvpn_type=self.properties[self.BGPVPN_TYPE],
            ipsec=self.properties[self.IPSEC] or {},
            is_admin=self.context.is_admin)
        with _link_errors():
            return build.build_spec(
                request, _recorded_placements(descriptors), CONF.geo_heat,
                link_id=self.uuid, stack_id=self.stack.id or '',
                local_region=self._local_region(), capable=capable)

    def _link(self, descriptors=None, spec=None):
        """The link core over both ends; a lost end's side is not
        connected to."""
        descriptors = descriptors or self._descriptors()
        placements = _recorded_placements(descriptors)
        lost = self._lost_neutrons(placements)
        local, remote = (
            self._site(role, placements[role], descriptors[role], lost)
            for role in (site.LOCAL, site.REMOTE))
        return build.link(spec or self._spec(descriptors), local, remote,
                          psk=self.data().get('psk'))

    def _site(self, role, placement, descriptor, lost):
        """One side, connected; a side only lost ends use is asked
        nothing."""
        share_project_id = descriptor.get('share_project_id')
        if placement.neutron_key in lost:
            return site.Site(role, placement, None,
                             share_project_id=share_project_id, lost=True)
        try:
            conn = self.client_plugin().connect(
                placement, descriptor['ca_cert'], descriptor['insecure'])
        except client.CONNECT_ERRORS as exc:
            raise exception.Error(failure.explain(
                _('%(role)s side (%(where)s)') % {
                    'role': role, 'where': placement.describe()},
                exc)) from exc
        return site.Site(role, placement, conn,
                         share_project_id=share_project_id)

    def _lost_neutrons(self, placements):
        """The Neutrons (placement keys) that only lost ends use: a lost
        cell's Neutron still serves the other cell."""
        keys = {role: placement.neutron_key
                for role, placement in placements.items()}
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

    @staticmethod
    def _run(operation, *args, **kwargs):
        """Call the link core; its errors as Heat reads them."""
        with _link_errors():
            return operation(*args, **kwargs)


def _recorded_placements(descriptors):
    return {role: site.Placement(**descriptor['placement'])
            for role, descriptor in descriptors.items()}


def _link_errors():
    return driver.heat_errors(LINK_ERRORS, SIDE_ANSWERS)
