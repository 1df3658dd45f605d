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

"""Test durations for stestr's scheduler on a fresh clone.

stestr balances its workers by the durations its repository recorded. A
fresh clone has none, so it deals the tests out in turn, and its four
workers finished up to six minutes apart. ``tests/durations.txt`` holds
the durations of a full run: ``save`` writes it from the last run,
``seed`` loads it into a new repository (as its run 0) before the first.
``save`` after a partial run updates the durations of the tests it ran,
and drops those of tests no longer listed.
"""

import datetime
import io
import os
import subprocess
import sys

import subunit
import testtools

DURATIONS = os.path.join(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))), 'tests', 'durations.txt')


def save():
    stream = subprocess.run(['stestr', 'last', '--subunit'], check=True,
                            capture_output=True).stdout
    durations = dict(_read())

    def record(test):
        start, stop = test['timestamps']
        if test['status'] == 'success' and None not in (start, stop):
            durations[test['id']] = (stop - start).total_seconds()

    result = testtools.StreamToDict(record)
    result.startTestRun()
    subunit.ByteStreamToStreamResult(io.BytesIO(stream)).run(result)
    result.stopTestRun()
    # Tests removed or renamed since go.
    listed = set(subprocess.run(['stestr', 'list'], check=True,
                                capture_output=True, text=True).stdout.split())
    durations = {test_id: seconds for test_id, seconds in durations.items()
                 if test_id in listed}
    with open(DURATIONS, 'w') as f:
        for test_id, seconds in sorted(durations.items()):
            f.write('%.1f %s\n' % (seconds, test_id))
    print('%d durations written to %s' % (len(durations), DURATIONS))


def _read():
    if not os.path.exists(DURATIONS):
        return
    with open(DURATIONS) as f:
        for line in f:
            seconds, test_id = line.split()
            yield test_id, float(seconds)


def seed():
    stream = io.BytesIO()
    result = subunit.StreamResultToBytes(stream)
    start = datetime.datetime(2000, 1, 1, tzinfo=datetime.timezone.utc)
    for test_id, seconds in _read():
        stop = start + datetime.timedelta(seconds=seconds)
        result.status(test_id=test_id, test_status='inprogress',
                      timestamp=start)
        result.status(test_id=test_id, test_status='success',
                      timestamp=stop)
    subprocess.run(['stestr', 'load', '--force-init'], input=stream.getvalue(),
                   check=True, stdout=subprocess.DEVNULL)


if __name__ == '__main__':
    {'save': save, 'seed': seed}[sys.argv[1]]()
