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

"""geo-heat: Heat resources for georedundant network functions (VNFs).

One word per concept, in the code and in the docs:

site
    A datacenter a VNF can run in: a region of the stack's own cloud, a
    region of another cloud (named in the operator's clouds.yaml, or
    reached through a Barbican credential), or a Nova cell of a region.
endpoint
    The ``OS::Geo::Endpoint`` resource that declares one site: where it
    is, its physical network, how to authenticate there.
placement
    Where an endpoint's site is, as plain data (region, cloud, cell,
    credential secret): what a connection to that site is made from.
descriptor
    What an endpoint records for the resources that use it (placement,
    physical network, capabilities of its Neutron), so that a link or a
    VNF reads the site without asking the endpoint's cloud again.
link
    The ``OS::Geo::Interconnect`` resource and what it builds: a network
    between two sites, by a provider network on both sides or stitched by
    BGPVPN or IPsec.
side
    One end of a link (``local`` or ``remote``), seen from the link: the
    site it is on and the Neutron that serves it there.
half
    What a link builds on one side (network, subnet, share, router...);
    a link is two halves, or one network when both sides share a Neutron.
record
    What a resource keeps in Heat's resource data to find what it built
    again: the link's state, a VNF's record per site (its instance stack,
    ports, role and epoch).
instance
    One copy of the VNF on one site, as a stack in that site's own Heat;
    its role is ``active`` or ``standby``.
epoch
    A number that grows with every promotion, so that a former active
    instance that answers again knows it has been replaced (fencing).
witness
    geo-heat itself, when it decides a failover from the reports of the
    instances (signals) rather than a person.
"""
