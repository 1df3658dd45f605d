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
how long it held it, and the worker-seconds of waiting for the lock it
caused (its own and the other workers'). A worker waiting at some moment
is idled by the test alone that holds the lock then or, while none holds
it, by the first one queued for it (the others drain for it); waits while
no test is alone or queued count for none.
"""

import collections
import json
import sys

# Seconds between the moments at which waits are attributed.
STEP = 0.1


def culprit(exclusive, moment):
    """The test alone that keeps workers waiting at that moment, or
    None."""
    for hold in exclusive:
        if hold['got'] <= moment < hold['released']:
            return hold['holder']
    queued = [hold for hold in exclusive
              if hold['asked'] <= moment < hold['got']]
    return min(queued, key=lambda hold: hold['asked'])['holder'] \
        if queued else None


def report(holds):
    exclusive = [h for h in holds if h['exclusive']]
    idle = collections.Counter()
    for hold in holds:
        moment = hold['asked']
        while moment < hold['got']:
            idle[culprit(exclusive, moment)] += min(STEP,
                                                    hold['got'] - moment)
            moment += STEP
    print('%8s %8s %8s  %s' % ('idled', 'waited', 'held', 'alone'))
    for hold in sorted(exclusive, key=lambda h: -idle[h['holder']]):
        print('%8.1f %8.1f %8.1f  %s' % (
            idle[hold['holder']], hold['got'] - hold['asked'],
            hold['released'] - hold['got'], hold['holder']))
    start = min(h['asked'] for h in holds)
    end = max(h['released'] for h in holds)
    print('%d holds (%d alone) on %d workers; %.1f s from first to last; '
          'alone held %.1f s; worker-seconds waiting for the lock: %.1f, '
          'of which %.1f caused by tests alone' % (
              len(holds), len(exclusive), len({h['pid'] for h in holds}),
              end - start,
              sum(h['released'] - h['got'] for h in exclusive),
              sum(idle.values()), sum(idle.values()) - idle[None]))


def main():
    with open(sys.argv[1]) as log:
        holds = [json.loads(line) for line in log if line.strip()]
    if holds:
        report(holds)


if __name__ == '__main__':
    main()
