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

"""When an OS::Geo::Interconnect update replaces the link, and how its
segmentation ID moves around a replacement and a rollback."""

from heat.common import exception
from heat.engine import resource
from oslo_log import log as logging

from geo_heat import definitions
from geo_heat.link import errors

LOG = logging.getLogger(__name__)


class ReplaceMixin:
    """A link under a running VNF is changed in place wherever Neutron
    allows it, and replaced only when it must be."""

    always_replace_on_check_failed = False

    def needs_replace_failed(self):
        """Replace a failed link only if its objects are gone or wrong on
        a side that answers.

        A failed check (a short outage) or a failed update leaves a healthy
        link, which must not be rebuilt under a running VNF. A side that
        does not answer leaves the link degraded, and kept; a side that
        refuses has not lost it (only a 404 says gone); a lost side is not
        asked.
        """
        if not self.data().get('state'):
            return True
        try:
            return bool(self._link().check(self._state()))
        except errors.LinkNotFound:
            return True
        except (errors.LinkError, exception.Error) as exc:
            LOG.warning('%s is kept, not replaced: %s', self.name, exc)
            return False

    def _segmentation_change(self, after_props):
        """What an update asks of the segmentation ID: None (nothing),
        ('id', ID) or ('range', (low, high))."""
        current = self._state().segmentation_id
        wanted = after_props[self.SEGMENTATION_ID]
        if wanted is not None and wanted != current:
            return ('id', wanted)
        text = after_props[self.SEGMENTATION_RANGE]
        if wanted is None and text and current is not None:
            low, high = definitions.parse_segmentation_range(text)
            if not low <= current <= high:
                return ('range', (low, high))
        return None

    def needs_replace_with_prop_diff(self, changed_properties_set,
                                     after_props, before_props):
        """Pinning what the link already has is no change; a new CIDR, or
        a new ID where Neutron cannot set it in place, replaces it."""
        state = self._state()
        cidr = after_props[self.CIDR]
        if cidr is not None and cidr != state.cidr:
            return True
        if self._segmentation_change(after_props) is None:
            return False
        return not self._link().movable

    def prepare_for_replace(self):
        """Free the segmentation ID for the replacement, as Heat's ports
        free their fixed IPs: a replacement may pin the same ID, and Heat
        creates it before deleting this link."""
        state = self._state()
        if state.segmentation_id is None:
            return
        link = self._link()
        if not link.movable:
            return
        held = state.segmentation_id
        try:
            link.move(state)
        except errors.LinkError as exc:
            # The replacement may not need this ID; if it does, its own
            # create says which side holds it.
            LOG.warning('%s keeps segmentation ID %s: %s', self.name, held,
                        exc)
            return
        self.data_set('held_segmentation_id', str(held))
        self._save_state(state)

    def restore_prev_rsrc(self, convergence=False):
        """On rollback, take back the ID freed for the replacement.

        The replacement may hold it by now, so it moves away first, as
        Heat's ports clear the replacement's fixed IPs before restoring.
        """
        if convergence:
            previous = self
            replacement = resource.Resource.load(
                self.context, self.replaced_by, self.stack.current_traversal,
                True, self.stack.defn._resource_data)[0]
        else:
            previous = self.stack._backup_stack().resources.get(self.name)
            replacement = self
        held = previous.data().get('held_segmentation_id')
        if not held:
            return
        held = int(held)
        if replacement is not None and replacement.data().get('state'):
            taken = replacement._state()
            if taken.segmentation_id == held:
                replacement._run(replacement._link().move, taken)
                replacement._save_state(taken)
        state = previous._state()
        previous._run(previous._link().move, state, segmentation_id=held)
        previous._save_state(state)
        previous.data_delete('held_segmentation_id')
