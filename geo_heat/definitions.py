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
# Technologies that join the two sides through a routed service; reserved
# names so templates and TOSCA types can already refer to them.
BGPVPN, IPSEC = 'bgpvpn', 'ipsec'
TECHNOLOGIES = PROVIDER_TECHNOLOGIES

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


def validate_segmentation_id(technology, segmentation_id, declared=None):
    """`declared`: the range the operator's interconnect carries, if any."""
    if segmentation_id is None:
        return None
    if technology == FLAT:
        return 'a flat link has no segmentation ID'
    (low, high), allowed = _allowed_range(technology, declared)
    if not low <= segmentation_id <= high:
        return '%d is outside %s' % (segmentation_id, allowed)
    return None


def validate_segmentation_range(technology, text, declared=None):
    """`declared`: the range the operator's interconnect carries, if any."""
    if text is None:
        return None
    if technology == FLAT:
        return 'a flat link has no segmentation ID'
    try:
        low, high = parse_segmentation_range(text)
    except ValueError as exc:
        return str(exc)
    (allowed_low, allowed_high), allowed = _allowed_range(technology,
                                                          declared)
    if low < allowed_low or high > allowed_high:
        return '"%s" is outside %s' % (text, allowed)
    return None


def validate_cidr(cidr):
    if cidr is None:
        return None
    try:
        network = netaddr.IPNetwork(cidr)
    except (netaddr.AddrFormatError, ValueError, TypeError):
        return '"%s" is not a valid CIDR' % cidr
    if str(network.cidr) != str(network):
        return ('"%s" has host bits set; did you mean "%s"?'
                % (cidr, network.cidr))
    max_prefix = 30 if network.version == 4 else 126
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
