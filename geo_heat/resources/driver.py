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

"""Driving a resource's long actions through Heat's handle/check pair.

One policy for every geo-heat resource:

* ``handle_<action>`` does what must happen once (reads the properties,
  records in resource data what later calls need) and returns an
  Operation: a generator of steps and what to do with them. Nothing else
  passes to ``check_<action>_complete``.
* ``check_<action>_complete(operation)`` calls ``drive(operation)``, which
  runs steps and returns True once the generator is exhausted. A step
  yields a value worth recording (``record`` stores it in resource data
  at once, so a failure, a cancel or a retry finds in Heat's store what
  exists), or None while it waits for a cloud: Heat then gets control back,
  pauses and calls again. Steps run back to back within ``budget``
  seconds; 0 gives Heat control back after every step.
* A step's error reaches Heat as it is, for the client plugin's
  ``is_not_found``/``is_conflict`` to read, unless it is one of
  ``refused``: those become Heat's Error with the same message, the
  original kept as the cause.

Heat keeps the Operation in memory between calls; an engine that dies
mid-operation leaves the resource failed, and the next action starts from
what ``record`` stored. A create it cut short is replaced by the next
update; ``unfinished_predecessors`` finds it for its replacement to remove
first (``steps_of`` runs its delete among the replacement's create steps).
"""

import contextlib
import dataclasses
import time
import typing

from heat.common import exception
from heat.engine import resource


@dataclasses.dataclass
class Operation:
    """The steps of one action and what to do with them."""

    steps: typing.Iterator
    # Called with every value a step yields (never None).
    record: typing.Callable | None = None
    # Called once, when the steps are over.
    finish: typing.Callable | None = None
    # Seconds of steps one call may run; 0: one step per call.
    budget: float = 0
    # Errors that reach Heat as its Error (a message naming the side).
    refused: tuple = ()
    # Errors of `refused` types that reach Heat as they are.
    passed: tuple = ()
    # steps_of(this), once drive() has started it.
    running: typing.Iterator | None = None


@contextlib.contextmanager
def heat_errors(refused, passed=()):
    """Errors of `refused` types (but not `passed`) as Heat's Error."""
    try:
        yield
    except passed:
        raise
    except refused as exc:
        raise exception.Error(str(exc)) from exc


def drive(operation):
    """Run steps of an operation; True once they are all done."""
    if operation.running is None:
        operation.running = steps_of(operation)
    deadline = time.monotonic() + operation.budget
    while True:
        try:
            with heat_errors(operation.refused, operation.passed):
                value = next(operation.running)
        except StopIteration:
            return True
        if value is None or time.monotonic() >= deadline:
            return False


def steps_of(operation):
    """The steps of an operation, their values recorded and its finish
    run once they are over: what drive() runs, and what another operation
    runs among its own steps."""
    for value in operation.steps:
        if value is not None and operation.record is not None:
            operation.record(value)
        yield value
    if operation.finish is not None:
        operation.finish()


@contextlib.contextmanager
def unfinished_predecessors(rsrc):
    """The resources `rsrc` replaces whose create failed, newest first
    (loaded for the block: each holds its stack by weak reference).

    An engine that dies mid-create leaves its resource locked. The next
    update finds that engine dead, steals the lock, marks the resource
    CREATE_FAILED and replaces it; but Heat (27) has recorded the new
    template on it meanwhile (its no-change path ran before the lock was
    stolen), so the update's cleanup skips it, and what it built stays
    beside its replacement until the stack is updated again or deleted.
    A failed create serves nothing: its replacement removes it first. A
    replacement whose create failed in turn (a side down while it removed
    its predecessor) is replaced by the next update, whose create removes
    both.
    """
    loaded = []
    replaces = getattr(rsrc, 'replaces', None)
    while replaces is not None:
        try:
            previous = resource.Resource.load(
                rsrc.context, replaces, rsrc.stack.current_traversal, True,
                rsrc.stack.defn._resource_data)
        except exception.NotFound:
            break
        if previous[0].state != (previous[0].CREATE, previous[0].FAILED):
            break
        loaded.append(previous)
        replaces = previous[0].replaces
    yield [previous[0] for previous in loaded]
