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

"""One-time initialisation steps, each run in its own subprocess.

``python -m geo_heat_sandbox.bootstrap --state-dir DIR STEP``

Steps (from the service table, geo_heat_sandbox.services):

``<service>`` (``keystone-a``, ``keystone-b``)
    a service's own initialisation (its family's ``init``).
``<family>-schema`` (``neutron-schema``, ``heat-schema``, ...)
    the family's pristine database(s) in ``<state>/snapshots``
    (geo_heat_sandbox.snapshots).

Passwords are read from the state dir's secrets file, never from argv.
"""

import argparse
import functools
import sys

from geo_heat_sandbox import layout as _layout
from geo_heat_sandbox import services
from geo_heat_sandbox import topology


def steps():
    """{step name: (family, callable(lay))}."""
    table = {}
    for spec in services.present():
        if spec.init:
            for name in topology.services_of(spec.name):
                table[name] = (spec, functools.partial(_init, spec, name))
        if spec.schema:
            table[spec.name + '-schema'] = (spec, spec.schema)
    return table


def _init(spec, name, lay):
    spec.init(lay, name)


def main(argv=None):
    table = steps()
    parser = argparse.ArgumentParser(prog='geo-heat-sandbox-bootstrap')
    parser.add_argument('--state-dir', required=True)
    parser.add_argument('step', choices=sorted(table))
    args = parser.parse_args(argv)
    spec, step = table[args.step]
    spec.prepare()
    step(_layout.Layout(args.state_dir))
    return 0


if __name__ == '__main__':
    sys.exit(main())
