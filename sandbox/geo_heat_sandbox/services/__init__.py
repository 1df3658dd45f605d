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

"""The sandbox by service: one module per service (keystone, neutron,
heat, barbican, compute for Nova and Placement, glance, tacker), each with
its configuration, database initialisation and loading, and the table of
their families that the generic code (manager, runner, bootstrap, CLI)
goes through."""

from geo_heat_sandbox import clouds
from geo_heat_sandbox.services import barbican
from geo_heat_sandbox.services import compute
from geo_heat_sandbox.services import glance
from geo_heat_sandbox.services import heat
from geo_heat_sandbox.services import keystone
from geo_heat_sandbox.services import neutron
from geo_heat_sandbox.services import tacker
from geo_heat_sandbox import topology

# family name -> Family, in the order a start goes through them.
FAMILIES = {spec.name: spec for spec in (
    keystone.FAMILY, neutron.FAMILY, heat.FAMILY, barbican.FAMILY,
    compute.PLACEMENT, glance.FAMILY, compute.NOVA, tacker.FAMILY)}


def of(name):
    """The Family of a service (``neutron-r2``)."""
    return FAMILIES[topology.SERVICES[name][0]]


def present():
    """The families that have a service in this sandbox."""
    return [spec for spec in FAMILIES.values()
            if topology.services_of(spec.name)]


def write_configs(lay, sec):
    """(Re)write every generated file of the state dir."""
    lay.ensure_dirs()
    for spec in FAMILIES.values():
        spec.configure(lay, sec)
    clouds.write(lay, sec)
