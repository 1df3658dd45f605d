#!/usr/bin/env python3
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

"""What the functional tests' sandbox lock cost, from a GEO_HEAT_LOCK_LOG.

    GEO_HEAT_LOCK_LOG=/tmp/lock.log stestr run --concurrency 4 ...
    tools/lock_report.py /tmp/lock.log

For each exclusive hold (a test alone): how long it waited for the lock,
how long it held it, and the worker-seconds it idled: its own wait plus
the other workers' waits for the lock from the moment it asked until it
released it (they drained, then queued behind it). Two exclusive holds
queued at once both count the waits they overlap.
"""

import json
import sys


def overlap(start, end, other_start, other_end):
    return max(0.0, min(end, other_end) - max(start, other_start))


def report(holds):
    exclusive = [h for h in holds if h['exclusive']]
    rows = []
    for hold in exclusive:
        others = sum(overlap(hold['asked'], hold['released'],
                             other['asked'], other['got'])
                     for other in holds
                     if other['pid'] != hold['pid'])
        waited = hold['got'] - hold['asked']
        rows.append((waited + others, waited,
                     hold['released'] - hold['got'], hold['holder']))
    print('%8s %8s %8s  %s' % ('idle', 'waited', 'held', 'alone'))
    for idle, waited, held, holder in sorted(rows, reverse=True):
        print('%8.1f %8.1f %8.1f  %s' % (idle, waited, held, holder))
    start = min(h['asked'] for h in holds)
    end = max(h['released'] for h in holds)
    print('%d holds (%d alone) on %d workers; %.1f s from first to last; '
          'alone held %.1f s; idle worker-seconds caused by tests alone '
          '%.1f; every wait for the lock %.1f worker-seconds' % (
              len(holds), len(exclusive), len({h['pid'] for h in holds}),
              end - start, sum(row[2] for row in rows),
              sum(row[0] for row in rows),
              sum(h['got'] - h['asked'] for h in holds)))


def main():
    with open(sys.argv[1]) as log:
        holds = [json.loads(line) for line in log if line.strip()]
    if holds:
        report(holds)


if __name__ == '__main__':
    main()
