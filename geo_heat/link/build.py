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

"""From what a template asks to a link: the spec, built once, and the
class that builds it.

A technology's link class comes from one table, as a Heat plugin's
resource_mapping() maps type names to classes: a provider-network
technology needs only its name in geo_heat.definitions, a stitched one
its own module here (a StitchedLink with the spec fields it reads from its
options), its name and an entry in the table.
"""

import dataclasses

from geo_heat import definitions
from geo_heat.link import bgpvpn
from geo_heat.link import errors
from geo_heat.link import ipsec
from geo_heat.link import model
from geo_heat.link import provider
from geo_heat.link import site
from geo_heat.link import tenancy
from geo_heat.link import underlay

LINK_CLASSES = {
    **dict.fromkeys(definitions.PROVIDER_TECHNOLOGIES,
                    provider.ProviderNetworkLink),
    definitions.BGPVPN: bgpvpn.BgpVpnLink,
    definitions.IPSEC: ipsec.IpsecLink,
}


@dataclasses.dataclass(frozen=True)
class Request:
    """What the template asks of a link (its properties)."""

    technology: str
    name: str
    segmentation_id: int | None = None
    segmentation_range: str | None = None
    cidr: str | None = None
    mtu: int | None = None
    bgpvpn_type: str | None = None
    ipsec: dict = dataclasses.field(default_factory=dict)
    # An admin may build what the operator did not declare, as it could
    # build the provider network itself (geo_heat.link.tenancy).
    is_admin: bool = False


def link(spec, local, remote, psk=None):
    """The link core of a spec between two sides; the pre-shared key is
    an ipsec link's (stored where Heat keeps secrets)."""
    secrets = {} if psk is None else {'psk': psk}
    return LINK_CLASSES[spec.technology](spec, local, remote, **secrets)


def carriage(options, technology, placements, local_region,
             is_admin=False):
    """What the operator declared the interconnect carries between the
    ends (placements by role); UndeclaredLink if nothing, except for an
    admin."""
    try:
        return underlay.carriage(
            underlay.configured(options.interconnects), technology,
            placements[site.LOCAL], placements[site.REMOTE],
            local_region=local_region, mtu_cap=options.link_mtu_cap)
    except errors.UndeclaredLink:
        if is_admin:
            return underlay.Carriage(mtu_cap=options.link_mtu_cap)
        raise


def auto_candidates(options, placements, local_region):
    """The operator's preferred technologies these ends may have, from
    config alone (their Neutrons decide at create).

    UndeclaredLink if the operator declared nothing between them,
    NoTechnology if none of the preferred ones is possible.
    """
    preference = options.auto_preference
    declared = underlay.declared_technologies(
        underlay.configured(options.interconnects), placements[site.LOCAL],
        placements[site.REMOTE], local_region)
    candidates = [
        technology for technology in preference
        if (declared is None or technology in declared) and
        not provider.placement_problems(
            technology, placements[site.LOCAL], placements[site.REMOTE])]
    if not candidates:
        raise errors.NoTechnology(
            'auto found none of the operator\'s preferred technologies '
            '(%s) possible between these ends; declared there: %s'
            % (', '.join(preference),
               ', '.join(declared or ()) or 'nothing'))
    return candidates


def choose_technology(options, placements, local_region, capable):
    """What auto picks: the first candidate both ends' Neutrons support
    (`capable`: each end's technologies as its endpoint probed them, local
    first); NoTechnology if none."""
    candidates = auto_candidates(options, placements, local_region)
    chosen = definitions.choose_technology(candidates, capable)
    if chosen is None:
        raise errors.NoTechnology(
            'auto: no technology of %s is supported by both ends (local: '
            '%s; remote: %s)' % (', '.join(candidates),
                                 ', '.join(capable[0]) or 'none',
                                 ', '.join(capable[1]) or 'none'))
    return chosen


def build_spec(request, placements, options, link_id, stack_id='',
               local_region=None, capable=None):
    """The link a request asks for between two ends (placements by role),
    with the operator's `options` ([geo_heat]).

    `capable` (each end's technologies, local first) is read only for
    auto, which picks the technology. LinkError where the operator's
    declarations or options allow no such link.
    """
    technology = request.technology
    if technology == definitions.AUTO:
        technology = choose_technology(options, placements, local_region,
                                       capable)
    carried = carriage(options, technology, placements, local_region,
                       request.is_admin)
    _check_tenancy(request, technology, carried, placements)
    # The template's range, else the one declared for these sites, else
    # the operator's default for the technology.
    text = request.segmentation_range
    if not (text or carried.segmentation_range):
        text = options.segmentation_ranges.get(technology)
    return model.LinkSpec(
        link_id=link_id,
        stack_id=stack_id,
        name=request.name,
        technology=technology,
        segmentation_id=request.segmentation_id,
        segmentation_range=(definitions.parse_segmentation_range(text)
                            if text else carried.segmentation_range),
        cidr=request.cidr,
        mtu=request.mtu,
        cidr_pool=tuple(options.cidr_pool),
        prefix_length=options.subnet_prefix_length,
        allocation_attempts=options.allocation_attempts,
        mtu_cap=carried.mtu_cap,
        **LINK_CLASSES[technology].spec_fields(request, options))


def _check_tenancy(request, technology, carried, placements):
    """What validate could not check: the technology auto picked, ends
    known only at create. LinkError naming the property at fault."""
    problems = [('%s_endpoint' % role, message) for role, message
                in tenancy.physical_network_problems(
                    technology, carried, placements, request.is_admin)]
    message = definitions.validate_segmentation_id(
        technology, request.segmentation_id,
        tenancy.segmentation_bound(carried, request.is_admin))
    if message:
        problems.append(('segmentation_id', message))
    if problems:
        raise errors.LinkError('%s: %s' % problems[0])
