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

"""The kinds of site an endpoint can be at, each answering for itself.

A site is a region (and, within it, maybe a Nova cell) of some cloud. Its
kind says which cloud that is and whose credentials reach it:

OwnCloud
  a region of the stack's own cloud (an endpoint naming neither a cloud
  nor a credential);
NamedCloud
  a cloud of the operator's clouds file (``context.cloud``);
BarbicanCredential
  a cloud whose keystoneauth credentials the tenant keeps in a Barbican
  secret (``context.credential_secret_id``).

Every kind answers the same questions. Its default region. Who builds
links there (builder): provider networks are admin-only in Neutron, so
always the operator's credentials, never a tenant's token. Who uses them
there (share_project): the project the link is shared with through RBAC.
Whose session runs the VNF's instance stacks there (owner). And what it is
called: in the operator's interconnect declarations (names) and for a
tenant (describe, nameless), never by a credential.

A cell is a place within a region, not a kind: any kind's site may have
one. Remote credentials get a session of their own; the stack's session is
never reused for another cloud.
"""

import abc
import functools

from heat.common import auth_plugin
from keystoneauth1 import exceptions as ks_exc
from keystoneauth1 import loading as ks_loading
from keystoneauth1 import session as ks_session
from openstack.config import cloud_region
from openstack import connection
from oslo_config import cfg

from geo_heat import clouds
from geo_heat.link import tenancy

CONF = cfg.CONF

# What carries the stack request's global ID to a site's services
# (X-OpenStack-Request-ID), spelled as keystoneauth looks it up.
REQUEST_ID_HEADER = 'x-openstack-request-id'


class Invalid(ValueError):
    """A template names a site geo-heat cannot use; `path` is the endpoint
    context key at fault (empty: the context as a whole)."""

    def __init__(self, message, path=()):
        super().__init__(message)
        self.path = path


class SiteKind(abc.ABC):
    """How geo-heat reaches one kind of site.

    `name` is what names the site's cloud (a cloud, a secret reference;
    None for the stack's own). `heat` is the request's geo_site client
    plugin (geo_heat.client): the stack's context, its own cloud and its
    Barbican; describing a site needs none of it. `ca_cert` and `insecure`
    say how to trust a remote cloud's TLS.
    """

    # What a tenant is told the site is when no declaration name covers it.
    nameless = None

    def __init__(self, name, heat=None, ca_cert=None, insecure=False):
        self.name = name
        self.heat = heat
        self.ca_cert = ca_cert
        self.insecure = insecure

    @property
    def key(self):
        """Two kinds with the same key reach the same cloud the same way."""
        return (type(self), self.name, self.ca_cert, self.insecure)

    def validate(self, region_name):
        """Raise Invalid for what is wrong before any cloud is used."""

    def default_region(self):
        """The region a placement naming none is in; None: the one its
        credentials' Keystone chooses."""
        return None

    @abc.abstractmethod
    def builder(self, region_name, timeout=None):
        """The connection that builds links in a region; every request may
        take `timeout` seconds ([geo_heat] call_timeout by default)."""

    @abc.abstractmethod
    def share_project(self):
        """The project that gets the links there. Raises
        clouds.AccessDenied for a site the stack's project may not use."""

    @abc.abstractmethod
    def owner(self, region_name, timeout):
        """A connection as the project that owns a VNF there, for that
        site's Heat, each request within `timeout` seconds."""

    @abc.abstractmethod
    def names(self, region_name, local_region):
        """What the site answers to in declarations, most specific first;
        `local_region` is the stack's region."""

    def describe(self):
        """The cloud, for messages; None for the stack's own."""
        return None

    @property
    def site_cloud(self):
        """What a tenant's tools name the site's cloud by, to map it to an
        entry of their own clouds.yaml (geo-heat-watcher --site-cloud
        NAME=ENTRY); None: the stack's own cloud."""
        return None


class OwnCloud(SiteKind):
    """A region of the stack's own cloud.

    The operator's [geo_heat] link_cloud entry builds the links (without
    it, only an admin's own credentials can); they are shared with the
    stack's project, and the VNF runs with the stack's credentials.
    """

    nameless = 'the stack\'s region'

    def validate(self, region_name):
        if not (CONF.geo_heat.link_cloud or self.heat.context.is_admin):
            raise Invalid('links in this cloud are built with the '
                          'operator\'s credentials, and the operator has '
                          'configured none ([geo_heat] link_cloud); ask your '
                          'cloud operator')
        if region_name:
            try:
                self.heat.context.keystone_session.get_endpoint(
                    service_type='network', region_name=region_name)
            except ks_exc.EndpointNotFound:
                raise Invalid('region "%s" has no network service in this '
                              'cloud\'s catalog' % region_name,
                              ('region_name',))

    def default_region(self):
        return self.heat.region_name()

    def builder(self, region_name, timeout=None):
        if CONF.geo_heat.link_cloud:
            return clouds.operator_connection(CONF.geo_heat.link_cloud,
                                              region_name, timeout)
        # No operator credentials: the stack's user must be allowed to
        # build provider networks itself (an admin).
        return connection.Connection(config=self.heat.own_cloud(
            region_name, timeout=timeout))

    def share_project(self):
        return self.heat.context.project_id

    def owner(self, region_name, timeout):
        """The stack's own credentials (its token or trust)."""
        return connection.Connection(config=self.heat.own_cloud(
            region_name, 'heat', 'orchestration', timeout))

    def names(self, region_name, local_region):
        region = region_name or local_region
        return ('region:' + region,) if region else ()


class NamedCloud(SiteKind):
    """A cloud of the operator's clouds file ([geo_heat] clouds_file).

    Its entry builds the links. Only the projects [geo_heat] cloud_projects
    maps may use it; links are shared with, and the VNF runs in, the
    project of that cloud the stack's project is mapped to.
    """

    def validate(self, region_name):
        """Unknown and forbidden clouds get the same answer, so a template
        cannot probe which clouds the operator has."""
        known = clouds.operator_clouds()
        try:
            if known is None or self.name not in known.get_cloud_names():
                raise clouds.AccessDenied(
                    'cloud "%s" is not available to this project'
                    % self.name)
            clouds.check_cloud_access(self.name,
                                      self.heat.context.project_id)
        except clouds.AccessDenied as exc:
            raise Invalid(str(exc), ('cloud',)) from exc

    def default_region(self):
        return clouds.named_cloud(self.name).region_name

    def builder(self, region_name, timeout=None):
        return clouds.operator_connection(self.name, region_name, timeout)

    def share_project(self):
        clouds.check_cloud_access(self.name, self.heat.context.project_id)
        return clouds.cloud_project(self.name, self.heat.context.project_id)

    def owner(self, region_name, timeout):
        """The operator's entry re-scoped to the mapped project, so the
        operator's user there needs a role in that project."""
        project_id = self.share_project()
        return _connection(_rescoped_session(
            clouds.named_cloud(self.name, region_name), project_id,
            timeout), region_name)

    def names(self, region_name, local_region):
        if region_name:
            return ('cloud:%s/%s' % (self.name, region_name),
                    'cloud:' + self.name)
        return ('cloud:' + self.name,)

    def describe(self):
        return 'cloud %s' % self.name

    @property
    def site_cloud(self):
        return self.name


class BarbicanCredential(SiteKind):
    """A cloud whose keystoneauth credentials a Barbican secret holds.

    The credentials say which project uses the links there and run the
    VNF. They cannot build provider networks: the operator's entry for the
    same Keystone does. Declarations have no name for it (only * covers
    it), and messages name the secret's reference, never its content.
    """

    nameless = 'a cloud reached through a Barbican secret'

    def builder(self, region_name, timeout=None):
        return clouds.operator_connection(self.operator_cloud(), region_name,
                                          timeout)

    def share_project(self):
        """The credential's project, if it is the one the operator declared
        for the stack's project in that cloud (cloud_projects): holding a
        credential of another project there is not the operator's leave to
        share networks with that project."""
        cloud = self.operator_cloud()
        project_id = self._session.get_project_id()
        if project_id != clouds.cloud_project(
                cloud, self.heat.context.project_id):
            raise clouds.AccessDenied(
                'the credential of secret %s is of a project of its cloud '
                'that the operator did not declare for this project' %
                self.name)
        return project_id

    def operator_cloud(self):
        """The operator's cloud whose Keystone the secret points to, if
        the stack's project may use it as a named cloud (cloud_projects);
        reads Barbican only. Raises clouds.AccessDenied otherwise.

        The tenant's own credentials there cannot build provider networks;
        the operator's entry for the same Keystone can, and the gate is the
        one a named cloud has: holding some credential of a cloud is not
        the operator's leave to build networks there.
        """
        auth_url = self._session.auth.auth_url
        cloud = clouds.cloud_for_auth_url(auth_url)
        problem = tenancy.secret_cloud_problem(
            cloud, auth_url,
            cloud is not None and clouds.may_use_cloud(
                cloud, self.heat.context.project_id))
        if problem:
            raise clouds.AccessDenied(problem)
        return cloud

    def owner(self, region_name, timeout):
        """The credential's own authentication, with this timeout."""
        shared = self._session
        return _connection(ks_session.Session(
            auth=shared.auth, verify=shared.verify, cert=shared.cert,
            timeout=timeout), region_name)

    def names(self, region_name, local_region):
        return ()

    def describe(self):
        return 'cloud of secret %s' % self.name

    @property
    def site_cloud(self):
        return 'secret:%s' % self.name

    @functools.cached_property
    def _session(self):
        """A session with the secret's credentials, read once."""
        payload = self.heat.secret_payload(self.name)
        try:
            credential = auth_plugin.parse_auth_credential_to_dict(payload)
        except ValueError as exc:
            raise clouds.Misconfigured('secret %s: %s' % (self.name,
                                                          exc)) from exc
        auth = ks_loading.get_plugin_loader(
            credential['auth_type']).load_from_options(**credential['auth'])
        # Its Keystone, which issues the token for the request, sees the
        # request's global ID too.
        return ks_session.Session(
            auth=auth, verify=clouds.verify(self.ca_cert, self.insecure),
            timeout=CONF.geo_heat.call_timeout,
            additional_headers={REQUEST_ID_HEADER: self.heat.request_id()})


# The placement field that names each kind of site other than the stack's
# own cloud.
KINDS = {
    'cloud': NamedCloud,
    'credential_secret_id': BarbicanCredential,
}


def kind_of(placement, heat=None, ca_cert=None, insecure=False):
    """The kind of site a placement is at; Invalid if it names two."""
    named = [(field, getattr(placement, field)) for field in KINDS
             if getattr(placement, field)]
    if len(named) > 1:
        raise Invalid('give either %s, not both' % ' or '.join(KINDS))
    field, name = named[0] if named else (None, None)
    return KINDS.get(field, OwnCloud)(name, heat, ca_cert, insecure)


def _rescoped_session(config, project_id, timeout):
    """A session with a named cloud's credentials, scoped to project_id
    instead of the entry's own project."""
    auth = {key: value for key, value in config.config['auth'].items()
            if not key.startswith(('project_', 'tenant_'))}
    auth['project_id'] = project_id
    plugin = ks_loading.get_plugin_loader(
        config.config.get('auth_type') or 'password'
    ).load_from_options(**auth)
    verify, cert = config.get_requests_verify_args()
    return ks_session.Session(auth=plugin, verify=verify, cert=cert,
                              timeout=timeout)


def _connection(session, region_name):
    """An openstacksdk connection on a session of a remote cloud."""
    return connection.Connection(config=cloud_region.from_session(
        name='geo-heat', session=session, region_name=region_name,
        app_name='heat-geo'))
