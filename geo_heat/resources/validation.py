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
