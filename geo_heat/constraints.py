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

"""Custom constraints, checked at validate time before any cloud is used."""

from heat.engine import constraints
from oslo_config import cfg

from geo_heat import definitions
from geo_heat import site_kinds
from geo_heat.link import site

CONF = cfg.CONF


class CellConstraint(constraints.BaseCustomConstraint):
    """A cell named in the operator's [geo_heat] cell_mappings."""

    def validate(self, value, context):
        cells = site.parse_cell_mappings(CONF.geo_heat.cell_mappings)
        if value in cells:
            return True
        self._error_message = (
            'cell "%s" is not mapped by the operator; known cells: %s'
            % (value, ', '.join(sorted(cells)) or 'none'))
        return False


class CloudConstraint(constraints.BaseCustomConstraint):
    """A named cloud the stack's project may use (site_kinds.NamedCloud)."""

    def validate(self, value, context):
        try:
            site_kinds.NamedCloud(
                value, context.clients.client_plugin('geo_site')).validate(
                    None)
        except site_kinds.Invalid as exc:
            self._error_message = str(exc)
            return False
        return True


class SegmentationRangeConstraint(constraints.BaseCustomConstraint):
    """A "min:max" range of segmentation IDs."""

    def validate(self, value, context):
        try:
            definitions.parse_segmentation_range(value)
        except ValueError as exc:
            self._error_message = str(exc)
            return False
        return True
