"""Validation errors that name the property, as Heat's own ones do."""

from heat.common import exception
from heat.common.i18n import _
from heat.engine import rsrc_defn


def property_error(rsrc, path, message):
    """StackValidationFailed for resources.<name>.properties.<path>."""
    template = rsrc.stack.t
    return exception.StackValidationFailed(
        error=_('Property error'),
        path=[template.RESOURCES, rsrc.name,
              template.get_section_name(rsrc_defn.PROPERTIES)]
        + list(path),
        message=message)
