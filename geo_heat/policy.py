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

"""Heat policy defaults for geo-heat's resource types.

Heat checks a ``resource_types:<type>`` rule before a stack may use a
type, but has no hook through which a plugin registers rules in code. So
the defaults live here, are listed for oslopolicy-sample-generator
(namespace ``geo_heat``), and ship as etc/policy.d/geo-heat.yaml for the
operator to drop into Heat's policy directory ([oslo_policy] policy_dirs).
"""

from oslo_policy import policy

# A project's members (who own their VNFs) may declare endpoints and links;
# readers may not. What a member's link may be is not decided here: the
# resources refuse a non-admin anything the operator did not declare
# ([geo_heat] interconnects, cloud_projects, max_links_per_project;
# geo_heat.link.tenancy), with or without this policy installed, since
# Heat allows every resource type when no rule is.
MEMBER = 'role:member or role:admin'

rules = [
    policy.RuleDefault(
        name='resource_types:OS::Geo::Endpoint',
        check_str=MEMBER,
        description='Use OS::Geo::Endpoint in a stack.'),
    policy.RuleDefault(
        name='resource_types:OS::Geo::Interconnect',
        check_str=MEMBER,
        description='Use OS::Geo::Interconnect in a stack: a link built '
                    'with the operator\'s credentials and shared with the '
                    'stack\'s project. A member gets only the links the '
                    'operator declared ([geo_heat] interconnects, '
                    'max_links_per_project), whatever this rule says.'),
    policy.RuleDefault(
        name='resource_types:OS::Geo::RedundantVNF',
        check_str=MEMBER,
        description='Use OS::Geo::RedundantVNF in a stack: instances of a '
                    'VNF in the Heat of each site, as the project that '
                    'owns it there.'),
]


def list_rules():
    """Entry point for oslopolicy-sample-generator."""
    return rules


def as_policy_file():
    """The rules as a Heat policy.d file."""
    lines = ['# geo-heat: who may use its resource types in a stack.',
             '# Install in Heat\'s [oslo_policy] policy_dirs.']
    for rule in rules:
        lines.append('"%s": "%s"' % (rule.name, rule.check_str))
    return '\n'.join(lines) + '\n'
