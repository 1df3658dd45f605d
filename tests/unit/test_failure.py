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

"""One classification of a side's failure."""

from heat.common import exception as heat_exc
from keystoneauth1 import exceptions as ks_exc
from openstack import exceptions as sdk_exc
import testtools

from geo_heat import failure
from tests.unit import fakes


def _raised_during(cause, exc):
    try:
        try:
            raise cause
        except Exception:
            raise exc
    except Exception as raised:
        return raised


class ClassifyTest(testtools.TestCase):

    def test_no_answer_is_unreachable(self):
        for exc in (ks_exc.ConnectFailure('refused'),
                    ks_exc.ConnectTimeout('timed out'),
                    ks_exc.UnknownConnectionError('reset', None)):
            self.assertEqual(failure.UNREACHABLE, failure.classify(exc))

    def test_a_gateway_answer_is_unreachable(self):
        for status in (502, 503, 504):
            exc = sdk_exc.HttpException('gateway', http_status=status)
            self.assertEqual(failure.UNREACHABLE, failure.classify(exc))

    def test_any_other_answer_is_a_refusal(self):
        for exc in (sdk_exc.HttpException('bad', http_status=400),
                    sdk_exc.HttpException('boom', http_status=500),
                    sdk_exc.ConflictException('in use'),
                    ks_exc.Unauthorized(),
                    ks_exc.EndpointNotFound(),
                    heat_exc.Error('no secret')):
            self.assertEqual(failure.REFUSED, failure.classify(exc))

    def test_a_dead_keystone_behind_discovery_is_unreachable(self):
        exc = _raised_during(ks_exc.ConnectFailure('refused'),
                             ks_exc.DiscoveryFailure('no versions'))
        self.assertEqual(failure.UNREACHABLE, failure.classify(exc))
        self.assertEqual(failure.REFUSED, failure.classify(
            ks_exc.DiscoveryFailure('no versions')))

    def test_a_bug_is_not_a_side_failure(self):
        for exc in (KeyError('cell'), ValueError('x'), TypeError('y')):
            self.assertIsNone(failure.classify(exc))


class DescribeTest(testtools.TestCase):

    def test_placements_error_detail(self):
        """Placement answers in the API-SIG error format, whose body
        openstacksdk keeps whole."""
        exc = fakes.placement_error(403, 'Access was denied to this '
                                    'resource.\n\n Policy does not allow '
                                    'placement:allocation_candidates:list to '
                                    'be performed.  ')
        self.assertEqual(
            'Access was denied to this resource. Policy does not allow '
            'placement:allocation_candidates:list to be performed.',
            failure.describe(exc))

    def test_other_details_as_they_are(self):
        self.assertEqual('not yours', failure.describe(
            fakes.heat_error(403, 'Forbidden', 'not yours')))


class ExplainTest(testtools.TestCase):

    def test_says_unreachable_or_refused_as_classify_decides(self):
        self.assertEqual(
            'local side (region R) is unreachable: connect timed out',
            failure.explain('local side (region R)',
                            ks_exc.ConnectTimeout('connect timed out')))
        self.assertEqual(
            'endpoint e (region R) refused: cannot read x: no',
            failure.explain('endpoint e (region R)',
                            sdk_exc.ForbiddenException('no'),
                            'cannot read x: no'))
