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

"""Link technologies: names, ranges and validators.

Like a neutron-lib API definition, this module is the single source of the
vocabulary and limits of a link; the HOT resource schemas, the link core and
the TOSCA types all read it. Validators return an error message (or None) so
each caller can name the property it checked.
"""

import netaddr

# Technologies that build a provider network on each side.
VLAN, VXLAN, GRE, GENEVE, FLAT = 'vlan', 'vxlan', 'gre', 'geneve', 'flat'
PROVIDER_TECHNOLOGIES = (VLAN, VXLAN, GRE, GENEVE, FLAT)
# Technologies that stitch an overlay network of each side through a
# Neutron service: BGPVPN (EVPN or IP VPN) and IPsec (VPNaaS).
BGPVPN, IPSEC = 'bgpvpn', 'ipsec'
STITCHED_TECHNOLOGIES = (BGPVPN, IPSEC)
TECHNOLOGIES = PROVIDER_TECHNOLOGIES + STITCHED_TECHNOLOGIES
# What a template may ask for: a technology, or geo-heat's choice.
AUTO = 'auto'
TEMPLATE_TECHNOLOGIES = TECHNOLOGIES + (AUTO,)
# What auto tries, first to last, unless the operator says otherwise: the
# technologies that stitch two Neutrons whatever the underlay.
DEFAULT_AUTO_PREFERENCE = STITCHED_TECHNOLOGIES

# BGPVPN types (networking-bgpvpn's own words): EVPN stretches one subnet
# across the sides, IP VPN routes between a subnet per side.
BGPVPN_L2, BGPVPN_L3 = 'l2', 'l3'
BGPVPN_TYPES = (BGPVPN_L2, BGPVPN_L3)
# Route targets are ASN:N; N's range depends on the ASN's size (RFC 4360:
# a 2-byte ASN has a 4-byte number, a 4-byte ASN a 2-byte one).
ASN_MAX = 2 ** 32 - 1
ASN2_MAX = 2 ** 16 - 1

# IKE and IPsec policy values VPNaaS accepts, the weak ones left out (sha1
# breaks VPNaaS 29 reads, 3des and DH groups below 14 are deprecated).
IPSEC_ENCRYPTION_ALGORITHMS = ('aes-128', 'aes-192', 'aes-256')
IPSEC_AUTH_ALGORITHMS = ('sha256', 'sha384', 'sha512')
IPSEC_PFS_GROUPS = ('group14', 'group15', 'group16', 'group19',
                    'group20', 'group21')
# Bytes of randomness in a generated pre-shared key.
PSK_BYTES = 32

# The Neutron extension each family of technologies needs on a side.
TECHNOLOGY_EXTENSIONS = (
    ('provider', PROVIDER_TECHNOLOGIES),
    ('bgpvpn', (BGPVPN,)),
    ('vpnaas', (IPSEC,)),
)
# Neutron extensions a link may use, reported in an endpoint's capabilities.
LINK_EXTENSIONS = ('provider', 'multi-provider', 'segment', 'net-mtu',
                   'net-mtu-writable', 'standard-attr-tag', 'tag-creation',
                   'bgpvpn', 'vpnaas')

# Segmentation ID ranges the Neutron type drivers accept.
SEGMENTATION_ID_RANGES = {
    VLAN: (1, 4094),
    VXLAN: (1, 2 ** 24 - 1),
    GENEVE: (1, 2 ** 24 - 1),
    GRE: (1, 2 ** 32 - 1),
}
# Technologies whose networks are bound to a physical network.
PHYSICAL_TECHNOLOGIES = (VLAN, FLAT)

# Bytes each encapsulation takes from the underlay MTU (IPv4 underlay), as
# Neutron's type drivers compute it.
ENCAPSULATION_OVERHEAD = {
    VLAN: 0, FLAT: 0, VXLAN: 50, GRE: 42, GENEVE: 50,
}

MTU_MIN, MTU_MAX = 68, 9216

# Tags put on every network a link owns, so operators find a link's or a
# stack's objects on any side. The link itself finds its networks by
# description (link_description), which needs no second request.
TAG_OWNER = 'geo-heat'
TAG_LINK_PREFIX = 'geo-heat-link='
TAG_STACK_PREFIX = 'geo-heat-stack='
# Tag of the ports a georedundant VNF reserves on its links.
TAG_VNF_PREFIX = 'geo-heat-vnf='


def is_stitched(technology):
    return technology in STITCHED_TECHNOLOGIES


def capable_technologies(aliases):
    """Link technologies geo-heat can build with a Neutron having these
    extensions: what an endpoint advertises, an interconnect accepts."""
    return [technology
            for extension, technologies in TECHNOLOGY_EXTENSIONS
            if extension in aliases
            for technology in technologies
            if technology in TECHNOLOGIES]


def link_description(link_id):
    """Description of a link's networks, written by their create request.

    Tags take a second request, so only the description is sure to be on a
    network whose create was interrupted right after Neutron committed it.
    """
    return 'geo-heat link %s' % link_id


def link_tag(link_id):
    return TAG_LINK_PREFIX + link_id


def stack_tag(stack_id):
    return TAG_STACK_PREFIX + stack_id


def vnf_tag(vnf_id):
    return TAG_VNF_PREFIX + vnf_id


def validate_technology(technology):
    if technology not in TECHNOLOGIES:
        return ('"%s" is not a supported technology; choose one of %s'
                % (technology, ', '.join(TECHNOLOGIES)))
    return None


def choose_technology(preference, capable, declared=None):
    """The first technology of `preference` every side is `capable` of
    (one collection per side) and the operator `declared` between them
    (None: anything); None if there is none."""
    for technology in preference:
        if (all(technology in side for side in capable) and
                (declared is None or technology in declared)):
            return technology
    return None


def validate_route_target_range(asn, low, high):
    """Whether ASN:low to ASN:high are route targets (RFC 4360 types 0
    and 2, as networking-bgpvpn accepts them)."""
    top = ASN_MAX if asn <= ASN2_MAX else ASN2_MAX
    if not 0 <= low <= high <= top:
        return ('route target numbers %d:%d are outside 0:%d, the numbers '
                'of AS %d' % (low, high, top, asn))
    return None


def route_target(asn, number):
    return '%d:%d' % (asn, number)


def route_target_number(asn, target):
    """N of ASN:N, or None for a route target of another ASN."""
    prefix, _sep, number = str(target).rpartition(':')
    if prefix != str(asn) or not number.isdigit():
        return None
    return int(number)


def half_cidrs(cidr):
    """A link block split in two: a routed link's subnet on each side."""
    network = netaddr.IPNetwork(cidr)
    return [str(half) for half in network.subnet(network.prefixlen + 1)]


def parse_segmentation_range(text):
    """Parse "min:max"; raise ValueError with a readable message."""
    parts = str(text).split(':')
    if len(parts) != 2:
        raise ValueError('"%s" is not of the form "min:max"' % text)
    try:
        low, high = int(parts[0]), int(parts[1])
    except ValueError:
        raise ValueError('"%s" is not of the form "min:max" with integers'
                         % text)
    if low > high:
        raise ValueError('"%s": min is greater than max' % text)
    return low, high


def _allowed_range(technology, declared):
    """The range a link's IDs must lie in, and how to name it."""
    if declared:
        return declared, ('the %s range %d:%d the operator declared between '
                          'these sites' % ((technology,) + tuple(declared)))
    low, high = SEGMENTATION_ID_RANGES[technology]
    return (low, high), 'the %s range %d:%d' % (technology, low, high)


def _no_segmentation_id(technology):
    article = 'an' if technology[0] in 'aeiou' else 'a'
    return '%s %s link has no segmentation ID' % (article, technology)


def validate_segmentation_id(technology, segmentation_id, declared=None):
    """`declared`: the range the operator's interconnect carries, if any."""
    if segmentation_id is None:
        return None
    if technology == FLAT or is_stitched(technology):
        return _no_segmentation_id(technology)
    (low, high), allowed = _allowed_range(technology, declared)
    if not low <= segmentation_id <= high:
        return '%d is outside %s' % (segmentation_id, allowed)
    return None


def validate_segmentation_range(technology, text, declared=None):
    """`declared`: the range the operator's interconnect carries, if any."""
    if text is None:
        return None
    if technology == FLAT or is_stitched(technology):
        return _no_segmentation_id(technology)
    try:
        low, high = parse_segmentation_range(text)
    except ValueError as exc:
        return str(exc)
    (allowed_low, allowed_high), allowed = _allowed_range(technology,
                                                          declared)
    if low < allowed_low or high > allowed_high:
        return '"%s" is outside %s' % (text, allowed)
    return None


def validate_cidr(cidr, halves=1):
    """`halves`: 2 for a routed link, whose block is split between the
    sides."""
    if cidr is None:
        return None
    try:
        network = netaddr.IPNetwork(cidr)
    except (netaddr.AddrFormatError, ValueError, TypeError):
        return '"%s" is not a valid CIDR' % cidr
    if str(network.cidr) != str(network):
        return ('"%s" has host bits set; did you mean "%s"?'
                % (cidr, network.cidr))
    max_prefix = (30 if network.version == 4 else 126) - (halves - 1)
    if network.prefixlen > max_prefix:
        return ('"%s" is too small for a link (prefix longer than /%d)'
                % (cidr, max_prefix))
    return None


def validate_mtu(mtu, cap=None):
    """`cap`: the path MTU of the operator's interconnect, if known."""
    if mtu is None:
        return None
    if not MTU_MIN <= mtu <= MTU_MAX:
        return '%d is outside %d:%d' % (mtu, MTU_MIN, MTU_MAX)
    if cap is not None and mtu > cap:
        return ('%d is above %d, the MTU the operator\'s interconnect '
                'carries between these sites' % (mtu, cap))
    return None
