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

"""What is wrong with a georedundant VNF's sites, read live from all of
them at once.

The VNF's status is read on every stack show. A site whose Heat or Nova
does not answer (its datacenter lost, its WAN blackholed) must not hold
that show for the call timeout, site after site: each site is read in a
thread of its own, through connections whose every request may take
[geo_heat] probe_timeout seconds, and one that does not answer in time is
reported unreachable.
"""

from concurrent import futures

from geo_heat import failure
from geo_heat.vnf import deploy
from geo_heat.vnf import plan


def problems(records, roles, stacks_of, lost=(), capacity=None):
    """What is wrong, site by site.

    `records` are the VNF's site records, `roles` its {role: site} and
    `stacks_of(site)` a site's deploy.SiteStacks, through connections with
    the probe timeout; a site in `lost` was given up and is not asked.
    `capacity(site)` says why a standby site that runs nothing could not
    start the spare (None: it could), or raises deploy.SiteError: a cold
    standby that could not would only fail in a failover.
    """
    role_of = {key: role for role, key in roles.items()}

    def problem(key):
        record = records[key]
        role = role_of.get(key, record.role)
        where = '%s %s' % (role, record.where(key))
        if key in lost:
            return '%s was given up for good' % where
        if record.pending:
            return '%s is degraded%s: %s' % (
                where, ', owes fencing' if record.fence else '',
                record.pending)
        try:
            if record.stack_id:
                found = instance_problem(record, stacks_of(key))
            elif capacity and role == plan.STANDBY:
                found = capacity(key)
                found = found and 'cannot host the spare: %s' % found
            else:
                return None
        except deploy.SiteError as exc:
            if failure.is_unreachable(exc.__cause__):
                return '%s is unreachable: %s' % (where, exc.reason)
            found = exc.reason
        return found and '%s: %s' % (where, found)

    with futures.ThreadPoolExecutor(max_workers=len(records) or 1) as pool:
        return [found for found in pool.map(problem, sorted(records))
                if found]


def instance_problem(record, stacks):
    """What is wrong with a site's instance stack and its server."""
    stack = stacks.get(record.stack_id)
    if stack is None:
        return 'instance stack %s is gone' % record.stack_id
    if not stack.status.endswith('_COMPLETE'):
        return 'instance stack is %s: %s' % (stack.status,
                                              stack.status_reason)
    server_id = record.server_id
    expected = plan.SERVER_STATUS[record.state]
    if server_id:
        status = stacks.server_status(server_id)
        if status != expected:
            return 'server %s is %s, not %s' % (server_id,
                                                 status or 'gone', expected)
    return None
