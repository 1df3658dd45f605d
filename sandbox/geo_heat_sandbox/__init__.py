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

"""Local multi-site OpenStack sandbox for geo-heat (development only).

Python API used by the functional tests::

    import geo_heat_sandbox as sandbox
    info = sandbox.ensure_up()          # starts it if needed (file lock)
    sandbox.is_up(state_dir)            # every service running + answering
    sandbox.clouds_yaml(state_dir)      # path of the generated clouds.yaml
    sandbox.secrets(state_dir)          # {name: password} for leak scans
    sandbox.stop_service('neutron-r2')  # fault injection: one service
    sandbox.start_service('neutron-r2') # ... and back, same database
    sandbox.down(state_dir)

geo_heat_sandbox.clients holds what the tests and the benchmark need as
clients: connect() and cloud_config() from the sandbox's clouds.yaml, and
wait_for_action() to poll a stack action.

See doc/sandbox.rst.
"""

import os

from geo_heat_sandbox import layout as _layout
from geo_heat_sandbox import manager as _manager
from geo_heat_sandbox import profiles as _profiles

# A production-profile sandbox beside another: above its every port
# (topology's offsets are below 100).
PRODUCTION_PORT_SHIFT = 100

SandboxError = _manager.SandboxError


def state_dir(state_dir=None):
    """Absolute state dir (argument, $GEO_HEAT_SANDBOX_DIR or default)."""
    return _layout.Layout(state_dir).root


def ensure_up(state_dir=None, out=None, profile=None, port_base=None):
    """Start whatever is not running; return status info (a dict).

    Safe to call from several processes at once (file lock in the state
    dir).  Info keys: state_dir, clouds_yaml, operator_clouds_yaml,
    services ({name: {running, pid, url, port, log, access_log, rss_kb,
    pss_kb}}),
    started (names started by this call), seconds.

    A new state dir takes `profile` and `port_base` (defaults: the
    environment's); a state dir keeps those of its first up.
    """
    return _manager.up(state_dir, out=out, profile=profile,
                       port_base=port_base)


def ensure_production_beside(state_dir, beside=None, out=None):
    """ensure_up() for a production-profile sandbox in `state_dir`, on
    ports PRODUCTION_PORT_SHIFT above those of the sandbox in `beside`
    (the tests' own): the test command runs both."""
    os.makedirs(state_dir, exist_ok=True)
    return ensure_up(state_dir, out=out, profile=_profiles.PRODUCTION,
                     port_base=_layout.Layout(beside).port_base +
                     PRODUCTION_PORT_SHIFT)


def is_up(state_dir=None):
    return _manager.is_up(state_dir)


def status(state_dir=None):
    return _manager.status(state_dir)


def down(state_dir=None, out=None):
    return _manager.down(state_dir, out=out)


def stop_service(name, state_dir=None, out=None):
    """Stop one service (e.g. 'neutron-r2', 'heat-r1'); the others run on."""
    return _manager.stop_service(name, state_dir, out=out)


def start_service(name, state_dir=None, out=None):
    """Start one stopped service again, with its database and keys."""
    return _manager.start_service(name, state_dir, out=out)


def clouds_yaml(state_dir=None):
    """Path of the user-facing clouds.yaml (entries sandbox, sandbox-r2,
    sandbox-b)."""
    return _layout.Layout(state_dir).clouds_yaml


def operator_clouds_yaml(state_dir=None):
    """Path of the operator-side clouds.yaml read by Heat (entry cloud-b)."""
    return _layout.Layout(state_dir).operator_clouds_yaml


def secrets(state_dir=None):
    """Every secret generated for this state dir, {name: value}.

    For leak scans of logs, events and outputs: none of these values may
    appear anywhere but the state dir's configuration files.
    """
    return dict(_layout.Layout(state_dir).load_secrets())


def logs(state_dir=None):
    """Paths of every log file of the state dir."""
    import glob
    import os
    return sorted(glob.glob(os.path.join(_layout.Layout(state_dir).logs,
                                         '*.log')))
