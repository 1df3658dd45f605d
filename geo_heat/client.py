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

"""Heat client plugin: connections to each side of a link.

The kind of site (geo_heat.site_kinds) decides who builds links there, who
uses them and whose session runs a VNF there; this plugin is what Heat
finds by entry point, holding the request's connections and what only
Heat knows (the stack's context, its own cloud, its Barbican). Every
session has the operator's call timeout, and every call to a side carries
the stack request's global request ID (X-OpenStack-Request-ID), so that one
stack operation can be followed across the logs of every site it reaches.
"""

import copy
import dataclasses

from heat.common import config as heat_config
from heat.engine.clients.os import openstacksdk as heat_sdk
from keystoneauth1 import session as ks_session
from openstack.config import cloud_region
from openstack import connection
from openstack import exceptions as sdk_exc
from oslo_config import cfg

from geo_heat import clouds
from geo_heat import conf  # noqa: F401  (registers [geo_heat])
from geo_heat.link import errors
from geo_heat import site_kinds

CONF = cfg.CONF

# What the plugin's methods raise besides bugs, as resources catch it.
Misconfigured = clouds.Misconfigured
AccessDenied = clouds.AccessDenied
CONNECT_ERRORS = clouds.CONNECT_ERRORS


class GeoSiteClientPlugin(heat_sdk.OpenStackSDKPlugin):
    """client() is the stack's own cloud; connect() reaches any side.

    Derived from Heat's openstacksdk plugin; the operator's
    [clients_neutron] / [clients] settings (endpoint type, CA file,
    insecure) apply to the stack's own cloud as to Heat's own resources.
    """

    # No catalog check at validate: the services may live in another cloud.
    service_types = []

    def __init__(self, context):
        super().__init__(context)
        self._connections = {}
        self._sites = {}

    def is_not_found(self, ex):
        """A side's 404, from openstacksdk or the link core: a delete
        takes the object as gone."""
        return isinstance(ex, (sdk_exc.NotFoundException,
                               errors.LinkNotFound))

    def is_conflict(self, ex):
        """A side's 409 that may pass (not a quota): Heat retries it."""
        return isinstance(ex, (sdk_exc.ConflictException,
                               errors.LinkConflict))

    def site(self, placement, ca_cert=None, insecure=False):
        """The kind of site a placement is at, one per cloud and way of
        reaching it for the request (a Barbican secret is read once)."""
        kind = site_kinds.kind_of(placement, self, ca_cert, insecure)
        return self._sites.setdefault(kind.key, kind)

    def resolve(self, placement):
        """Fill in the region a placement leaves to its cloud's default."""
        if placement.region_name:
            return placement
        return dataclasses.replace(
            placement, region_name=self.site(placement).default_region())

    def connect(self, placement, ca_cert=None, insecure=False, timeout=None):
        """The connection that builds links at a (resolved) placement;
        every request may take `timeout` seconds ([geo_heat] call_timeout
        by default; a probe of the site waits less)."""
        key = (placement.neutron_key, ca_cert, insecure, timeout)
        if key not in self._connections:
            self._connections[key] = self._for_request(self.site(
                placement, ca_cert, insecure).builder(placement.region_name,
                                                      timeout))
        return self._connections[key]

    def share_project(self, placement, ca_cert=None, insecure=False):
        """The project that gets the link at a placement.

        Raises AccessDenied for a named cloud the operator keeps from the
        stack's project.
        """
        return self.site(placement, ca_cert, insecure).share_project()

    def vnf_connection(self, placement, ca_cert=None, insecure=False,
                       timeout=None):
        """A connection as the project that owns a VNF at a placement,
        for that site's Heat; every request may take `timeout` seconds
        ([geo_heat] call_timeout by default; a probe of the site waits
        less)."""
        return self._for_request(self.site(placement, ca_cert, insecure).owner(
            placement.region_name, timeout or CONF.geo_heat.call_timeout))

    def request_id(self):
        """The stack request's global request ID: the caller's
        X-OpenStack-Request-ID, else the ID Heat's API gave the request
        (the engine's context carries it over RPC)."""
        return self.context.global_id

    def _for_request(self, conn):
        """The connection, sending the request's global ID with every call.

        A copy on a session of the request's own that shares the original's
        authentication (its token) and connection pool: operator
        connections are shared by every request of the engine, each with an
        ID of its own. The session sends the header as keystoneauth spells
        it when it follows a redirect (a site's Heat redirects a stack
        named by its ID alone); as a global_request_id, the redirected
        request would carry the first answer's own ID instead.
        """
        session = copy.copy(conn.session)
        session.additional_headers = dict(
            session.additional_headers,
            **{site_kinds.REQUEST_ID_HEADER: self.request_id()})
        settings = copy.deepcopy(conn.config.config)
        settings.pop('region_name', None)
        return connection.Connection(config=cloud_region.from_session(
            session=session, name=conn.config.name,
            region_name=conn.config.region_name, app_name='heat-geo',
            **settings))

    # -- what site kinds ask of Heat ---------------------------------------

    def region_name(self):
        """The stack's region."""
        return self._get_region_name()

    def own_cloud(self, region_name, client='neutron',
                  service_type='network', timeout=None):
        """The stack's own cloud with the request's credentials, reaching
        a service as Heat's [clients_<client>] options say (endpoint type,
        CA file, insecure)."""
        session = ks_session.Session(
            auth=self.context.auth_plugin,
            timeout=timeout or CONF.geo_heat.call_timeout,
            **heat_config.get_ssl_options(client))
        # Heat's "publicURL" style, as openstacksdk spells it.
        interface = self._get_client_option(client, 'endpoint_type')
        return cloud_region.from_session(
            name='geo-heat', session=session, region_name=region_name,
            app_name='heat-geo',
            **{service_type + '_interface': interface.removesuffix('URL')})

    def secret_payload(self, reference):
        """What the Barbican secret a site's credential names holds."""
        return self.clients.client_plugin(
            'barbican').get_secret_payload_by_ref(reference)
