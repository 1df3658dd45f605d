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

"""How a side failed: the one classification links, endpoints and VNFs use.

A side that does not answer (connection refused or reset, a timeout, a
gateway's 502/503/504) is *unreachable*: its datacenter may be lost, and a
failover may go on without it. A side that answers with an error *refused*:
it is there and said no, so nothing may go on as if it were gone. Anything
else is a bug of geo-heat's and is never swallowed: classify() returns None
for it, and callers re-raise.
"""

import json

from heat.common import exception as heat_exc
from keystoneauth1 import exceptions as ks_exc
from openstack import exceptions as sdk_exc

UNREACHABLE, REFUSED = 'unreachable', 'refused'

# What keystoneauth raises when a request gets no answer at all (requests'
# connection errors and timeouts, a response cut off).
_NO_ANSWER = (ks_exc.ConnectFailure, ks_exc.ConnectTimeout,
              ks_exc.UnknownConnectionError)
# What a load balancer or gateway in front of a dead service answers.
GATEWAY_STATUSES = frozenset((502, 503, 504))
# Errors of a side's services: answers, or no answer.
SIDE_ERRORS = (sdk_exc.SDKException, ks_exc.ClientException,
               heat_exc.HeatException)


def _status(exc):
    return (getattr(exc, 'status_code', None) or
            getattr(exc, 'http_status', None))


def _causes(exc):
    """The exception and what it was raised from or during."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        yield exc
        exc = exc.__cause__ or exc.__context__


def classify(exc):
    """UNREACHABLE, REFUSED, or None for an error that is not a side's.

    Keystone's version discovery hides a dead Keystone behind a
    DiscoveryFailure: the connection error it was raised during decides.
    """
    if not isinstance(exc, SIDE_ERRORS):
        return None
    for cause in _causes(exc):
        if isinstance(cause, _NO_ANSWER) or _status(cause) in GATEWAY_STATUSES:
            return UNREACHABLE
    return REFUSED


def is_unreachable(exc):
    return classify(exc) == UNREACHABLE


def describe(exc):
    """The side's own explanation, without request details or secrets."""
    details = getattr(exc, 'details', None)
    if details:
        return _error_detail(details) or details
    text = str(exc)
    return text.splitlines()[0] if text else type(exc).__name__


def _error_detail(details):
    """The detail of an answer in the API-SIG error format (Placement's),
    which openstacksdk leaves as the raw body."""
    try:
        errors = json.loads(details)['errors']
        return ' '.join(errors[0]['detail'].split())
    except (ValueError, TypeError, KeyError, IndexError):
        return None


def explain(subject, exc, cause=None):
    """'SUBJECT is unreachable: CAUSE' or 'SUBJECT refused: CAUSE', as
    is_unreachable decides; CAUSE is the error described by default."""
    verb = 'is unreachable' if is_unreachable(exc) else 'refused'
    return '%s %s: %s' % (subject, verb, cause or describe(exc))
