"""Heat client plugin: openstacksdk connections to each side of a link.

Two questions are asked of every side. Who builds the link there: provider
networks are admin-only in Neutron, so always the operator's credentials
([geo_heat] link_cloud for the stack's own cloud, the named cloud's entry of
the operator clouds file otherwise), never a tenant's token. And who uses
it there: the project that receives the network through RBAC (the stack's
project in its own cloud; in another cloud, the project the operator maps
to it, or the one a Barbican-held credential authenticates to).

Remote credentials get a session of their own: the local session is never
reused for another cloud. Every session has the operator's call timeout.
"""

import atexit
import collections
import dataclasses
import hashlib
import json
import os
import shutil
import tempfile
import threading

from heat.common import auth_plugin
from heat.common import config as heat_config
from heat.engine.clients.os import openstacksdk as heat_sdk
from keystoneauth1 import loading as ks_loading
from keystoneauth1 import session as ks_session
from openstack.config import cloud_region
from openstack.config import loader
from openstack import connection
from openstack import exceptions as sdk_exc
from oslo_config import cfg

from geo_heat import conf  # noqa: F401  (registers [geo_heat])
from geo_heat import failure
from geo_heat.link import site
from geo_heat.link import tenancy


CONF = cfg.CONF


class Misconfigured(ValueError):
    """The operator's configuration, or a credential the tenant stored,
    does not let geo-heat reach a site: a refusal, never an outage."""


class AccessDenied(Misconfigured):
    """The stack's project may not use that site; says no more than that."""


# What connecting to a side can raise that is not a bug: the side's answer
# or silence (failure.classify tells which), or a configuration that does
# not let geo-heat reach it (a refusal).
CONNECT_ERRORS = failure.SIDE_ERRORS + (Misconfigured,)


def operator_clouds():
    """The operator's clouds.yaml, or None when none is configured."""
    path = CONF.geo_heat.clouds_file
    if not path:
        return None
    return loader.OpenStackConfig(config_files=[path], load_envvars=False,
                                  load_yaml_config=True,
                                  secure_files=[], vendor_files=[])


def named_cloud(cloud, region_name=None, timeout=None):
    """A cloud of the operator's clouds.yaml, as openstacksdk configures it,
    each request within `timeout` seconds (default [geo_heat]
    call_timeout)."""
    clouds = operator_clouds()
    if clouds is None:
        raise Misconfigured('[geo_heat] clouds_file is not configured, so '
                            'cloud "%s" is unknown' % cloud)
    return clouds.get_one(cloud=cloud, region_name=region_name,
                          api_timeout=timeout or CONF.geo_heat.call_timeout)


_operator_connections = {}
_operator_lock = threading.Lock()


def operator_connection(cloud, region_name=None, timeout=None):
    """A connection with the operator's credentials of a named cloud.

    Kept for the life of heat-engine, one per cloud, region, timeout and
    content of its clouds file entry: every link, check and delete reuses
    its token, where a new connection would cost a Keystone token and a
    validation by each Neutron it calls.
    """
    config = named_cloud(cloud, region_name, timeout)
    key = (cloud, config.region_name, timeout,
           json.dumps(config.config, sort_keys=True, default=str))
    with _operator_lock:
        if key not in _operator_connections:
            _operator_connections[key] = connection.Connection(config=config)
        return _operator_connections[key]


def cloud_for_auth_url(auth_url):
    """The operator cloud whose Keystone is at auth_url, or None."""
    clouds = operator_clouds()
    if clouds is None or not auth_url:
        return None
    wanted = auth_url.rstrip('/')
    for name in clouds.get_cloud_names():
        if name == CONF.geo_heat.link_cloud:
            continue
        entry = clouds.get_one(cloud=name, validate=False)
        if (entry.config.get('auth', {}).get('auth_url') or ''
                ).rstrip('/') == wanted:
            return name
    return None


def cloud_project(cloud, project_id):
    """The project of `cloud` that `project_id` may use there, or None."""
    try:
        mapping = site.parse_cloud_projects(CONF.geo_heat.cloud_projects)
    except ValueError as exc:
        raise Misconfigured('[geo_heat] cloud_projects: %s' % exc) from exc
    return mapping.get(cloud, {}).get(project_id)


def may_use_cloud(cloud, project_id):
    """Whether the operator lets the project use a named cloud."""
    return (cloud != CONF.geo_heat.link_cloud and
            bool(cloud_project(cloud, project_id)))


def check_cloud_access(cloud, project_id):
    """Raise AccessDenied unless the operator lets the project use cloud."""
    if not may_use_cloud(cloud, project_id):
        raise AccessDenied('cloud "%s" is not available to this project'
                           % cloud)


# CA bundles written for requests, which verifies against a file: at most
# this many distinct ones at a time, the least recently used removed first.
CA_FILES_MAX = 64
_ca_files = collections.OrderedDict()
_ca_lock = threading.Lock()
_ca_directory = None


def _ca_dir():
    """The process's one private (mode 0700) directory of CA bundles,
    removed when the process ends."""
    global _ca_directory
    if _ca_directory is None:
        _ca_directory = tempfile.mkdtemp(prefix='geo-heat-ca-')
        atexit.register(shutil.rmtree, _ca_directory, True)
    return _ca_directory


def ca_file(pem):
    """A private file holding a CA bundle, written once per content.

    Created with O_EXCL in the process's mode-0700 directory, so no other
    local user can plant or swap the certificate Heat then trusts; the
    directory holds at most CA_FILES_MAX bundles, and none after the
    process ends. Endpoints refuse a bundle that is not PEM certificates
    at validate, so only real bundles get here.
    """
    digest = hashlib.sha256(pem.encode()).hexdigest()
    with _ca_lock:
        if digest in _ca_files:
            _ca_files.move_to_end(digest)
            return _ca_files[digest]
        path = os.path.join(_ca_dir(), digest + '.pem')
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, 'w') as cafile:
            cafile.write(pem)
        _ca_files[digest] = path
        while len(_ca_files) > CA_FILES_MAX:
            _digest, oldest = _ca_files.popitem(last=False)
            os.unlink(oldest)
        return path


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
        self._secret_sessions = {}

    def is_conflict(self, ex):
        return isinstance(ex, sdk_exc.ConflictException)

    def resolve(self, placement):
        """Fill in the region a placement leaves to its cloud's default."""
        if placement.region_name:
            return placement
        if placement.cloud:
            region = named_cloud(placement.cloud).region_name
        elif placement.credential_secret_id:
            return placement
        else:
            region = self._get_region_name()
        return dataclasses.replace(placement, region_name=region)

    def connect(self, placement, ca_cert=None, insecure=False, timeout=None):
        """The connection that builds links at a (resolved) placement;
        every request may take `timeout` seconds ([geo_heat] call_timeout
        by default; a probe of the site waits less)."""
        key = (placement.neutron_key, ca_cert, insecure, timeout)
        if key not in self._connections:
            if placement.cloud:
                cloud = placement.cloud
            elif placement.credential_secret_id:
                cloud = self._operator_cloud_of_secret(placement, ca_cert,
                                                       insecure)
            else:
                cloud = CONF.geo_heat.link_cloud
            if cloud:
                conn = operator_connection(cloud, placement.region_name,
                                           timeout)
            else:
                # No operator credentials: the stack's user must be allowed
                # to build provider networks itself (an admin).
                conn = connection.Connection(config=self._own_cloud(
                    placement.region_name, timeout=timeout))
            self._connections[key] = conn
        return self._connections[key]

    def share_project(self, placement, ca_cert=None, insecure=False):
        """The project that gets the link at a placement.

        Raises AccessDenied for a named cloud the operator keeps from the
        stack's project.
        """
        if placement.cloud:
            check_cloud_access(placement.cloud, self.context.project_id)
            return cloud_project(placement.cloud, self.context.project_id)
        if placement.credential_secret_id:
            self._operator_cloud_of_secret(placement, ca_cert, insecure)
            return self._secret_session(placement, ca_cert,
                                        insecure).get_project_id()
        return self.context.project_id

    def vnf_connection(self, placement, ca_cert=None, insecure=False,
                       timeout=None):
        """A connection as the project that owns a VNF at a placement,
        for that site's Heat.

        The stack's own cloud: the stack's own credentials (its token or
        trust), in the placement's region. A Barbican credential: the
        credential's own session. A named cloud: the operator's entry
        re-scoped to the project cloud_projects maps the stack's project
        to, so the operator's user there needs a role in that project.
        Every request may take `timeout` seconds ([geo_heat] call_timeout
        by default; a probe of the site waits less).
        """
        timeout = timeout or CONF.geo_heat.call_timeout
        if placement.cloud:
            check_cloud_access(placement.cloud, self.context.project_id)
            session = self._rescoped_session(
                named_cloud(placement.cloud, placement.region_name),
                cloud_project(placement.cloud, self.context.project_id),
                timeout)
        elif placement.credential_secret_id:
            # The credential's authentication, with this timeout.
            shared = self._secret_session(placement, ca_cert, insecure)
            session = ks_session.Session(auth=shared.auth,
                                         verify=shared.verify,
                                         cert=shared.cert, timeout=timeout)
        else:
            return connection.Connection(config=self._own_cloud(
                placement.region_name, 'heat', 'orchestration', timeout))
        return connection.Connection(config=cloud_region.from_session(
            name='geo-heat', session=session,
            region_name=placement.region_name, app_name='heat-geo'))

    @staticmethod
    def _rescoped_session(config, project_id, timeout):
        """A session with a named cloud's credentials, scoped to
        project_id instead of the entry's own project."""
        auth = {key: value for key, value in config.config['auth'].items()
                if not key.startswith(('project_', 'tenant_'))}
        auth['project_id'] = project_id
        plugin = ks_loading.get_plugin_loader(
            config.config.get('auth_type') or 'password'
        ).load_from_options(**auth)
        verify, cert = config.get_requests_verify_args()
        return ks_session.Session(auth=plugin, verify=verify, cert=cert,
                                  timeout=timeout)

    def _own_cloud(self, region_name, client='neutron',
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

    def _secret_credential(self, placement):
        payload = self.clients.client_plugin(
            'barbican').get_secret_payload_by_ref(
                placement.credential_secret_id)
        try:
            return auth_plugin.parse_auth_credential_to_dict(payload)
        except ValueError as exc:
            raise Misconfigured('secret %s: %s' % (
                placement.credential_secret_id, exc)) from exc

    def _secret_session(self, placement, ca_cert, insecure):
        """A session with the credentials a Barbican secret holds."""
        key = (placement.credential_secret_id, ca_cert, insecure)
        if key not in self._secret_sessions:
            credential = self._secret_credential(placement)
            auth = ks_loading.get_plugin_loader(
                credential['auth_type']).load_from_options(
                    **credential['auth'])
            self._secret_sessions[key] = ks_session.Session(
                auth=auth, verify=self._verify(ca_cert, insecure),
                timeout=CONF.geo_heat.call_timeout)
        return self._secret_sessions[key]

    def _operator_cloud_of_secret(self, placement, ca_cert, insecure):
        """The operator's cloud whose Keystone a secret points to, if the
        stack's project may use it as a named cloud (cloud_projects).

        The tenant's own credentials there cannot build provider networks;
        the operator's entry for the same Keystone can, and the network is
        then shared with the secret's project.
        """
        auth_url = self._secret_session(placement, ca_cert,
                                        insecure).auth.auth_url
        cloud = cloud_for_auth_url(auth_url)
        problem = tenancy.secret_cloud_problem(
            cloud, auth_url,
            cloud is not None and may_use_cloud(cloud,
                                                self.context.project_id))
        if problem:
            raise AccessDenied(problem)
        return cloud

    def check_secret_cloud(self, placement, ca_cert=None, insecure=False):
        """Raise AccessDenied unless the cloud a secret's credential
        reaches is one the stack's project may use; reads Barbican only."""
        self._operator_cloud_of_secret(placement, ca_cert, insecure)

    @staticmethod
    def _verify(ca_cert, insecure):
        if insecure:
            return False
        if not ca_cert:
            return True
        return ca_file(ca_cert)
