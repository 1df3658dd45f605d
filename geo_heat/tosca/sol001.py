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

"""What heat-translator drops from a SOL001 VNFD, read as georedundancy.

Upstream turns an anti-affinity rule into a server group only at scope
``nfvi_node`` (``nfvi_pop``, the site level, is dropped) and ignores a
virtual link's L2 protocol data. In a VNFD that declares two
``geo.nodes.Endpoint`` sites, geo-heat reads them so:

* A ``tosca.policies.nfv.AntiAffinityRule`` of scope ``nfvi_pop`` on two
  VDUs keeps two copies of the VNF in different NFVI-PoPs: an
  ``OS::Geo::RedundantVNF`` named after the rule, its first VDU active on
  the first endpoint of the template, its second standby on the second.
  Its instance template is the VDU's server on the ports reserved for it on
  the links; each site's image is the name of its VDU's software image;
  mode, flavor and the rest are OS::Geo::RedundantVNF's defaults.
* Each ``tosca.nodes.nfv.VnfVirtualLink`` that connection points of both
  VDUs are on joins the two PoPs: an ``OS::Geo::Interconnect`` of the same
  name between the two endpoints (so ``get_resource`` of it is still the
  local network), from the L2 protocol data: ``network_type`` as the
  technology, ``segmentation_id``, ``mtu``, ``name``, and the L3 ``cidr``.
  Its ``physical_network`` becomes that of each endpoint naming none (in
  geo-heat the physical network belongs to a site).
* What upstream made of those VDUs, their connection points and links
  (servers, flavors, ports, networks, subnets, a link's QoS policy) goes:
  the copies are the RedundantVNF's instances, each created in its own
  site's Heat, and an OS::Geo::Interconnect has no QoS.

Anything else of the VNFD is translated as upstream does.
"""

from translator.hot.syntax import hot_resource

from geo_heat.tosca import output
from geo_heat.tosca import resource

ANTI_AFFINITY = 'tosca.policies.nfv.AntiAffinityRule'
ENDPOINT = 'geo.nodes.Endpoint'
VDU = 'tosca.nodes.nfv.Vdu.Compute'
VDU_CP = 'tosca.nodes.nfv.VduCp'
VIRTUAL_LINK = 'tosca.nodes.nfv.VnfVirtualLink'
SITE_SCOPE = 'nfvi_pop'


class TranslationError(ValueError):
    """The VNFD cannot be read as georedundancy; says which part."""


def protocol_data(link, layer):
    """A virtual link's first L2 or L3 protocol data ({} if none)."""
    data = link.get_property_value('vl_profile').get(
        'virtual_link_protocol_data') or []
    key = '%s_protocol_data' % layer
    return next((item[key] for item in data if item.get(key)), {})


def instance_template():
    """One copy of the VNF at a site: a server on the ports geo-heat
    reserved for it, one per link (parameters as RedundantVNF gives them)."""
    string = {'type': 'string'}
    return output.dump({
        'heat_template_version': '2021-04-16',
        'description': 'One copy of a georedundant VNF of a SOL001 VNFD.',
        'parameters': {
            'role': string, 'mode': string, 'image': string,
            'flavor': string, 'address': string,
            'configuration': dict(string, default=''),
            'availability_zone': dict(string, default=''),
            'ports': {'type': 'comma_delimited_list'},
        },
        'conditions': {'has_zone': {'not': {'equals': [
            {'get_param': 'availability_zone'}, '']}}},
        'resources': {'server': {'type': 'OS::Nova::Server', 'properties': {
            'image': {'get_param': 'image'},
            'flavor': {'get_param': 'flavor'},
            'availability_zone': {'if': [
                'has_zone', {'get_param': 'availability_zone'}, None]},
            'networks': {'repeat': {
                'for_each': {'<%port%>': {'get_param': 'ports'}},
                'template': {'port': '<%port%>'}}},
            'metadata': {key: {'get_param': key}
                         for key in ('role', 'mode', 'configuration')},
            'user_data_format': 'RAW',
            'user_data': {'get_param': 'configuration'},
            # The running copy takes a new configuration from metadata.
            'user_data_update_policy': 'IGNORE',
        }}},
        'outputs': {'server_id': {'value': {'get_resource': 'server'}},
                    'address': {'value': {'get_param': 'address'}}},
    })


class Georedundancy:
    """One anti-affinity rule of scope nfvi_pop, read as georedundancy."""

    def __init__(self, rule, endpoints, nodes):
        self.rule = rule
        self.endpoints = endpoints
        vdus = rule.targets_list or []
        if len(vdus) != 2 or not all(v.is_derived_from(VDU) for v in vdus):
            raise TranslationError(
                'policy %s: an anti-affinity rule of scope %s places two '
                'VDUs on the two sites' % (rule.name, SITE_SCOPE))
        self.vdus = vdus
        names = {vdu.name for vdu in vdus}
        # Each connection point of the two VDUs: (its VDU, its link).
        self.ports = {
            port: (resource.required_node(port, 'virtual_binding'),
                   resource.required_node(port, 'virtual_link'))
            for port in nodes if port.is_derived_from(VDU_CP) and
            resource.required_node(port, 'virtual_binding') in names}
        self.links = self._links(nodes)

    def _links(self, nodes):
        """Virtual links with a connection point of each VDU, in the order
        of the template."""
        shared = set.intersection(*(
            {link for vdu, link in self.ports.values() if vdu == v.name}
            for v in self.vdus))
        for port, (_vdu, link) in self.ports.items():
            if link not in shared:
                raise TranslationError(
                    'connection point %s: its virtual link does not join '
                    'the VDUs of policy %s' % (port.name, self.rule.name))
        links = [node for node in nodes if node.name in shared]
        if not links:
            raise TranslationError(
                'policy %s: no virtual link joins its VDUs' % self.rule.name)
        return links

    @property
    def taken_over(self):
        """Node templates whose upstream translation this replaces."""
        return set(self.vdus) | set(self.ports) | set(self.links)

    def interconnect(self, link):
        """The link between the two sites, from its protocol data."""
        l2, l3 = (protocol_data(link, layer) for layer in ('l2', 'l3'))
        if not l2.get('network_type'):
            raise TranslationError(
                'virtual link %s joins two sites: its L2 protocol data '
                'needs a network_type' % link.name)
        properties = {
            'local_endpoint': resource.get_resource(self.endpoints[0].name),
            'remote_endpoint': resource.get_resource(self.endpoints[1].name),
            'technology': l2['network_type'],
        }
        if l2.get('segmentation_id') is not None:
            try:
                properties['segmentation_id'] = int(l2['segmentation_id'])
            except ValueError:
                raise TranslationError(
                    'virtual link %s: segmentation_id "%s" is not a number'
                    % (link.name, l2['segmentation_id']))
        for hot_name, value in (('mtu', l2.get('mtu')),
                                ('name', l2.get('name')),
                                ('cidr', l3.get('cidr'))):
            if value is not None:
                properties[hot_name] = value
        return hot_resource.HotResource(
            link, name=link.name, type='OS::Geo::Interconnect',
            properties=properties)

    def redundant_vnf(self):
        sites = [e.name for e in self.endpoints]
        images = {site: vdu.get_property_value('sw_image_data')['name']
                  for site, vdu in zip(sites, self.vdus)}
        return hot_resource.HotResource(
            self.rule, name=self.rule.name, type='OS::Geo::RedundantVNF',
            properties={
                'active_endpoint': resource.get_resource(sites[0]),
                'standby_endpoint': resource.get_resource(sites[1]),
                'links': [resource.get_resource(link.name)
                          for link in self.links],
                'instance_template': instance_template(),
                'site_images': images,
            })


def georedundancy(tosca, resources):
    """The HOT resources with the georedundancy upstream drops."""
    nodes = tosca.nodetemplates
    endpoints = [node for node in nodes if node.is_derived_from(ENDPOINT)]
    rules = [policy for policy in tosca.policies
             if policy.is_derived_from(ANTI_AFFINITY) and
             (policy.properties or {}).get('scope') == SITE_SCOPE]
    if not (endpoints and rules):
        return resources
    if len(endpoints) != 2:
        raise TranslationError(
            'an anti-affinity rule of scope %s places its VDUs on two '
            'geo.nodes.Endpoint sites; the template has %d'
            % (SITE_SCOPE, len(endpoints)))
    plans = [Georedundancy(rule, endpoints, nodes) for rule in rules]
    replaced = set().union(*(plan.taken_over for plan in plans))
    links = {link: plan.interconnect(link)
             for plan in plans for link in plan.links}
    physical_networks = {protocol_data(link, 'l2').get('physical_network')
                         for link in links} - {None}
    if len(physical_networks) > 1:
        raise TranslationError(
            'the links between the two sites name different physical '
            'networks (%s); give each endpoint its own'
            % ', '.join(sorted(physical_networks)))
    kept = []
    for rsrc in resources:
        if rsrc.nodetemplate in links and rsrc.name == rsrc.nodetemplate.name:
            kept.append(links[rsrc.nodetemplate])
        elif rsrc.nodetemplate not in replaced:
            kept.append(rsrc)
        if rsrc.nodetemplate in endpoints:
            for physical_network in physical_networks:
                rsrc.properties.setdefault('physical_network',
                                           physical_network)
    gone = {rsrc.name for rsrc in resources} - {r.name for r in kept}
    for rsrc in kept:
        rsrc.depends_on = [d for d in rsrc.depends_on if d.name not in gone]
    return kept + [plan.redundant_vnf() for plan in plans]
