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

"""Errors of the link core; each names the side it happened on.

A side's errors are classified here, and only here: unreachable or not as
geo_heat.failure decides for every side, then by the error type in
Neutron's answer where it carries one, else by HTTP status. The class
decides what happens next: another segmentation ID for an ID in use, at
once a failure for a quota, a retry by Heat for another conflict. The
geo_site client plugin's is_not_found and is_conflict tell Heat which
errors are a side's 404 and 409, as Heat's Neutron plugin does for its own.
"""

from keystoneauth1 import exceptions as ks_exc
from openstack import exceptions as sdk_exc

from geo_heat import failure


class LinkError(Exception):
    """A link operation failed; the message names the side and the cause."""

    def __init__(self, message, site=None):
        self.site = site
        if site is not None:
            message = '%s: %s' % (site.describe(), message)
        super().__init__(message)


class SiteUnreachable(LinkError):
    """A side's Neutron (or its Keystone) did not answer
    (failure.UNREACHABLE)."""


class LinkNotFound(LinkError):
    """A side's Neutron does not know an object of the link (HTTP 404)."""


class LinkConflict(LinkError):
    """A side's Neutron refused because of what it holds (HTTP 409).

    It may pass (ports still on a network being deleted), so Heat may
    retry it.
    """


class SegmentationConflict(LinkConflict):
    """The segmentation ID (or flat physical network) is in use on a side."""


class QuotaExceeded(LinkError):
    """A side's Neutron quota is used up: no retry helps."""


class SegmentationExhausted(LinkError):
    """No segmentation ID of the range is free on every side."""


class AddressPoolExhausted(LinkError):
    """No subnet of the pool is free on every side."""


class RouteTargetExhausted(LinkError):
    """No route target of the operator's range is free on every side."""


class NoTechnology(LinkError):
    """auto finds no technology possible between the ends."""


class UndeclaredLink(LinkError):
    """The operator did not declare that the interconnect carries a link."""

    def __init__(self, message, declared_technologies=()):
        super().__init__(message)
        # What the operator declared between the same two sites instead.
        self.declared_technologies = tuple(declared_technologies)


CLIENT_ERRORS = (sdk_exc.SDKException, ks_exc.ClientException)

# NeutronError types (neutron-lib exception names) that ML2's type drivers
# raise when the requested segment is taken: another ID may be free.
SEGMENT_IN_USE_TYPES = frozenset(
    ('VlanIdInUse', 'TunnelIdInUse', 'FlatNetworkInUse'))
# What Neutron's quota engine raises, with HTTP 409 like the above.
OVER_QUOTA_TYPE = 'OverQuota'


def neutron_error_type(exc):
    """The NeutronError type of an HTTP error's body, or None."""
    response = getattr(exc, 'response', None)
    if response is None:
        return None
    try:
        body = response.json()
    except ValueError:
        return None
    error = body.get('NeutronError') if isinstance(body, dict) else None
    return error.get('type') if isinstance(error, dict) else None


def error_class(exc):
    """The LinkError class of a side's error; None for an error that is
    not a side's (a bug), which the caller re-raises."""
    side = failure.classify(exc)
    if side is None:
        return None
    if side == failure.UNREACHABLE:
        return SiteUnreachable
    error_type = neutron_error_type(exc)
    if error_type in SEGMENT_IN_USE_TYPES:
        return SegmentationConflict
    if error_type == OVER_QUOTA_TYPE:
        return QuotaExceeded
    if isinstance(exc, sdk_exc.NotFoundException):
        return LinkNotFound
    if isinstance(exc, sdk_exc.ConflictException):
        return LinkConflict
    return LinkError
