"""Errors of the link core; each names the side it happened on."""


class LinkError(Exception):
    """A link operation failed; the message names the side and the cause."""

    def __init__(self, message, site=None):
        self.site = site
        if site is not None:
            message = '%s: %s' % (site.describe(), message)
        super().__init__(message)


class SiteUnreachable(LinkError):
    """A side's Neutron (or its Keystone) did not answer."""


class SegmentationExhausted(LinkError):
    """No segmentation ID of the range is free on every side."""


class SegmentationConflict(LinkError):
    """The chosen segmentation ID was taken on a side meanwhile."""


class AddressPoolExhausted(LinkError):
    """No subnet of the pool is free on every side."""


class UndeclaredLink(LinkError):
    """The operator did not declare that the interconnect carries a link."""

    def __init__(self, message, declared_technologies=()):
        super().__init__(message)
        # What the operator declared between the same two sites instead.
        self.declared_technologies = tuple(declared_technologies)
