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

"""What the sandbox knows of one kind of service, in one record (as
devstack's ``lib/<service>`` keeps configure, init and start together)."""

import dataclasses
import typing

from geo_heat_sandbox import patches


def get(path):
    """A warm-up: an authenticated GET of `path`."""
    return lambda sess: (path, {})


@dataclasses.dataclass(frozen=True)
class Family:
    """A family of services (``neutron``: neutron-r1, neutron-r2, ...).

    Every callable runs in the process the comment names; the heavy
    imports are inside them, so that reading this table imports no
    OpenStack package.
    """
    name: str
    # As ``geo-heat-sandbox --help`` lists it.
    title: str
    # (lay, sec): write the configuration files of the family's services
    # (geo-heat-sandbox, at every start).
    configure: typing.Callable
    # (lay, name) -> WSGI application (the service's own process).
    load: typing.Callable
    # (sess) -> (path, headers): an authenticated request that answers
    # 200 once the service is ready (geo-heat-sandbox, after a start).
    warm_up: typing.Callable
    # Modules the family's launcher imports once before forking its
    # services.
    preload: tuple = ()
    # (lay): build the pristine database snapshot(s) that every new
    # database of the family copies (bootstrap step ``<family>-schema``).
    schema: typing.Optional[typing.Callable] = None
    # (lay, name) -> [(snapshot, database file)], when not one database
    # named after the service.
    databases: typing.Optional[typing.Callable] = None
    # (lay, name): one-time initialisation of a service (bootstrap step
    # ``<name>``), done again when what init_version() returns changes.
    init: typing.Optional[typing.Callable] = None
    init_version: typing.Optional[typing.Callable] = None
    # (sess, lay, name): what a service holds from its first start on (an
    # image, a flavor, a network), once.
    provision: typing.Optional[typing.Callable] = None
    # (service type, URL path) of its endpoints in its Keystone's catalog.
    catalog: typing.Optional[tuple] = None
    # A user in the service project, password secret <family>_<cloud>.
    service_user: bool = True
    # First thing in each of the family's processes (launcher, bootstrap).
    prepare: typing.Callable = patches.select_threading_backend
    # How its SQLite engines lock (the family's launcher).
    sqlite: typing.Callable = patches.sqlite_begin_immediate

    def databases_of(self, lay, name):
        if self.databases:
            return self.databases(lay, name)
        return [(self.name, lay.sqlite(name))]
