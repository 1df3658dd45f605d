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

"""What the datacenter interconnect carries between two sites.

Two Neutrons using the same VNI are not connected unless the interconnect
stitches them (an EVPN or L2 gateway); only VLAN or flat over a trunk
between the sites carries traffic by itself. No Neutron knows which, so the
operator declares it, one item per pair of sites and technology::

    SITE|SITE|TECHNOLOGY[:MIN:MAX][|mtu=MTU][|physnet=PHYSNETS[/PHYSNETS]]

A SITE is ``region:REGION`` (a region of the stack's own cloud),
``cloud:CLOUD`` (any region of a cloud of the operator's clouds file),
``cloud:CLOUD/REGION``, ``cell:CELL`` (a cell of the operator's cell
mappings) or ``*`` (any site; the only name a cloud reached through a
Barbican secret answers to). Pairs are unordered; the first item that joins
two sites with the technology wins. Its range bounds and defaults the
link's segmentation IDs; its MTU caps the link's MTU. Its physical
networks (comma-separated; before the slash for the first site, after it
for the second, the same for both without a slash) are those a tenant's
VLAN or flat link may use there: the trunk, not an infrastructure network
Neutron does not manage.

Without any item every link is allowed; geo_heat.link.tenancy then lets
admins alone build links.
"""

import dataclasses
import functools
import re

from oslo_log import log as logging

from geo_heat import definitions
from geo_heat import site_kinds
from geo_heat.link import errors

LOG = logging.getLogger(__name__)

ANY_SITE = '*'
_NAME = r'[A-Za-z0-9_.-]+'
_SITE = re.compile(r'\*|region:{n}|cloud:{n}(/{n})?|cell:{n}'.format(n=_NAME))


@dataclasses.dataclass(frozen=True)
class Declaration:
    """One operator item: what the interconnect carries between two sites."""

    sites: tuple[str, str]
    technology: str
    segmentation_range: tuple[int, int] | None = None
    mtu_cap: int | None = None
    physical_networks: tuple[frozenset, frozenset] | None = None

    def joins(self, names, other_names):
        """Whether the item covers two sites known by these names."""
        return self._in_order(names, other_names) or self._in_order(
            other_names, names)

    def _in_order(self, names, other_names):
        first, second = self.sites
        return _covers(first, names) and _covers(second, other_names)

    def physical_networks_of(self, names, other_names):
        """The physical networks declared at the two sites, in the order
        given; None if the item names none."""
        if self.physical_networks is None:
            return None
        if self._in_order(names, other_names):
            return self.physical_networks
        return self.physical_networks[::-1]


@dataclasses.dataclass(frozen=True)
class Carriage:
    """What a link may use on the interconnect; None: no limit."""

    segmentation_range: tuple[int, int] | None = None
    mtu_cap: int | None = None
    # (local, remote): the physical networks the item declares at each end.
    physical_networks: tuple[frozenset, frozenset] | None = None


def _covers(site_name, names):
    return site_name == ANY_SITE or site_name in names


def parse_declaration(item):
    """One item as a Declaration; ValueError names the item and the fault."""
    def fault(message):
        return ValueError('interconnects item "%s": %s' % (item, message))

    fields = [field.strip() for field in item.split('|')]
    if not 3 <= len(fields) <= 5:
        raise fault('not of the form SITE|SITE|TECHNOLOGY[:MIN:MAX]'
                    '[|mtu=MTU][|physnet=PHYSNETS[/PHYSNETS]]')
    for name in fields[:2]:
        if not _SITE.fullmatch(name):
            raise fault('site "%s" is not *, region:REGION, cloud:CLOUD, '
                        'cloud:CLOUD/REGION or cell:CELL' % name)
    technology, _sep, range_text = fields[2].partition(':')
    problem = (definitions.validate_technology(technology) or
               definitions.validate_segmentation_range(technology,
                                                       range_text or None))
    if problem:
        raise fault(problem)
    options = dict(field.partition('=')[::2] for field in fields[3:])
    if len(options) < len(fields[3:]) or not set(options) <= {'mtu',
                                                              'physnet'}:
        raise fault('"%s" is not of the form mtu=MTU or physnet=PHYSNETS'
                    '[/PHYSNETS]' % '|'.join(fields[3:]))
    mtu_cap = None
    if 'mtu' in options:
        if not options['mtu'].isdigit():
            raise fault('"mtu=%s" is not of the form mtu=MTU'
                        % options['mtu'])
        mtu_cap = int(options['mtu'])
        problem = definitions.validate_mtu(mtu_cap)
        if problem:
            raise fault('mtu %s' % problem)
    physical_networks = None
    if 'physnet' in options:
        if technology not in definitions.PHYSICAL_TECHNOLOGIES:
            raise fault('a %s link uses no physical network' % technology)
        physical_networks = _physical_networks(options['physnet'], fault)
    return Declaration(
        sites=(fields[0], fields[1]), technology=technology,
        segmentation_range=(definitions.parse_segmentation_range(range_text)
                            if range_text else None),
        mtu_cap=mtu_cap, physical_networks=physical_networks)


def _physical_networks(text, fault):
    """PHYSNETS[/PHYSNETS] as (first site's, second site's)."""
    parts = text.split('/')
    sets = tuple(frozenset(name.strip() for name in part.split(','))
                 for part in parts)
    if len(sets) > 2 or not all(
            re.fullmatch(_NAME, name) for names in sets for name in names):
        raise fault('"physnet=%s" is not of the form physnet=PHYSNET[,...]'
                    '[/PHYSNET[,...]]' % text)
    return (sets[0], sets[-1])


def parse_declarations(items):
    """Every item, in order; a second item for the same link is a fault,
    since only the first one would ever be used."""
    declarations = []
    seen = set()
    for item in items:
        declaration = parse_declaration(item)
        key = (frozenset(declaration.sites), declaration.technology)
        if key in seen:
            raise ValueError('interconnects item "%s": a %s link between '
                             'these sites is already declared'
                             % (item, declaration.technology))
        seen.add(key)
        declarations.append(declaration)
    return tuple(declarations)


@functools.lru_cache(maxsize=1)
def _parse_once(items):
    try:
        return parse_declarations(items)
    except ValueError as exc:
        LOG.error('[geo_heat] %s; every link is refused until it is fixed',
                  exc)
        return exc


def configured(items):
    """The operator's items, parsed (and a bad one logged) once per value.

    A bad item refuses every link rather than allow links the operator
    meant to restrict; the tenant is not shown the item, which may name
    other clouds.
    """
    parsed = _parse_once(tuple(items))
    if isinstance(parsed, ValueError):
        raise errors.UndeclaredLink(
            'the operator\'s [geo_heat] interconnects has a bad item '
            '(named in the Heat engine log), so no link is declared possible')
    return parsed


def site_names(placement, local_region):
    """The names a placement answers to in items, most specific first.

    A cell answers to its cell alone: it reaches other sites through its
    own physical network. A cloud reached through a Barbican secret answers
    to none (only * covers it). `local_region` is the stack's region, where
    an endpoint of the stack's cloud naming no region is.
    """
    if placement.cell:
        return ('cell:' + placement.cell,)
    return site_kinds.kind_of(placement).names(placement.region_name,
                                               local_region)


def _describe(placement, names):
    """A site for a tenant: its own name, never a secret reference."""
    return names[0] if names else site_kinds.kind_of(placement).nameless


def _joining(declarations, local, remote, local_region):
    names = (site_names(local, local_region),
             site_names(remote, local_region))
    return names, [d for d in declarations if d.joins(*names)]


def declared_technologies(declarations, local, remote, local_region):
    """The technologies declared between two placements, first item
    first; None without declarations (anything goes)."""
    if not declarations:
        return None
    _names, joining = _joining(declarations, local, remote, local_region)
    return tuple(dict.fromkeys(d.technology for d in joining))


def carriage(declarations, technology, local, remote, local_region,
             mtu_cap=None):
    """What a link between two placements may use, or UndeclaredLink.

    `mtu_cap` is the operator's path MTU where the matching item gives
    none. Without declarations every link is allowed with that cap.
    """
    if not declarations:
        return Carriage(mtu_cap=mtu_cap)
    names, joining = _joining(declarations, local, remote, local_region)
    for declaration in joining:
        if declaration.technology == technology:
            return Carriage(declaration.segmentation_range,
                            declaration.mtu_cap or mtu_cap,
                            declaration.physical_networks_of(*names))
    declared = tuple(dict.fromkeys(d.technology for d in joining))
    message = ('the operator did not declare a %s link possible between '
               '%s and %s' % (technology, _describe(local, names[0]),
                              _describe(remote, names[1])))
    if declared:
        message += '; declared there: %s' % ', '.join(declared)
    raise errors.UndeclaredLink(message, declared)
