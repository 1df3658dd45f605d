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

"""The largest records a georedundant VNF's template can make in Heat's
resource data (geo_heat.resource_data): built from the template's own names,
with everything the clouds give at its largest, and measured."""

import dataclasses
import json

from geo_heat import resource_data
from geo_heat.vnf import model
from geo_heat.vnf import plan
from geo_heat.vnf import ports


@dataclasses.dataclass(frozen=True)
class End:
    """One site as the template names it: the endpoint's resource name,
    and the placement fields its properties give."""

    name: str
    placement: dict


def _largest_record(stack_name, vnf_name, end, links):
    """A site's record at its largest: a port on every link, as many set
    aside (an update that replaced every link), a pending reason and
    outputs at their largest."""
    held = [model.Port(link=link, port_id=resource_data.LARGEST_ID,
                       network_id=resource_data.LARGEST_ID,
                       address=resource_data.LARGEST_ADDRESS)
            for link in links]
    output = 'x' * (resource_data.OUTPUT_MAX_BYTES - 2)
    # Heat's reference ID of a resource, and the VNF's physical name,
    # before Heat shortens them to 255 characters.
    short_id = 'x' * 12
    return model.SiteRecord(
        ref='%s-%s-%s' % (stack_name, end.name, short_id),
        descriptor=resource_data.largest_descriptor(
            resource_data.largest_placement(end.placement)),
        stack_name='%s-%s-%s-%s' % (stack_name, vnf_name, short_id,
                                    end.name),
        role=max(plan.ROLES, key=len), stack_id=resource_data.LARGEST_ID,
        state=max((plan.ABSENT, plan.RUNNING, plan.SUSPENDED), key=len),
        outputs={key: output for key in model.KEPT_OUTPUTS},
        ports=held, released=list(held),
        pending='x' * (resource_data.REASON_MAX_BYTES - 2), fence=False,
        digest=resource_data.LARGEST_DIGEST, offset=99)


def largest(stack_name, vnf_name, ends, links):
    """{key: bytes} of the VNF's records that grow with its template:
    `sites` and `left` (what stays at sites given up), for its two ends
    (End) and the names of its links."""
    sites = {end.name: _largest_record(stack_name, vnf_name, end, links)
             for end in ends}
    left = {key: ports.left_behind(key, record,
                                   record.ports + record.released)
            for key, record in sites.items()}
    return {'sites': resource_data.size(model.dump(sites)),
            'left': resource_data.size(json.dumps(left, sort_keys=True))}


def most_links(stack_name, vnf_name, ends, links):
    """How many of these links (the longest names first) a VNF can have
    with every record within MySQL's TEXT."""
    longest = sorted(links, key=resource_data.escaped, reverse=True)
    fits = 0
    for count in range(1, len(longest) + 1):
        sizes = largest(stack_name, vnf_name, ends, longest[:count])
        if max(sizes.values()) > resource_data.TEXT_BYTES:
            break
        fits = count
    return fits
