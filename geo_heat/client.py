"""Heat client plugin: openstacksdk connections to each side of a link.

A side is the stack's own cloud in some region (same Keystone, the
request's own credentials), a named cloud of the operator's clouds.yaml,
or a cloud whose keystoneauth credentials sit in a Barbican secret. The
remote credentials get a session of their own: the local session is never
reused for another cloud.
"""

import dataclasses
import hashlib
import os
import tempfile

from heat.common import auth_plugin
from heat.common import exception
from heat.engine.clients import client_plugin
from keystoneauth1 import exceptions as ks_exc
from keystoneauth1 import loading as ks_loading
from keystoneauth1 import session as ks_session
from openstack.config import cloud_region
from openstack.config import loader
from openstack import connection
from openstack import exceptions as sdk_exc
from oslo_config import cfg

from geo_heat import conf  # noqa: F401  (registers [geo_heat])


CONF = cfg.CONF

# What connecting to a side can raise: bad or missing credentials, an
# unknown named cloud or secret, a side that does not answer.
CONNECT_ERRORS = (sdk_exc.SDKException, ks_exc.ClientException,
                  exception.HeatException, ValueError, KeyError)


def operator_clouds():
    """The operator's clouds.yaml, or None when none is configured."""
    path = CONF.geo_heat.clouds_file
    if not path:
        return None
    return loader.OpenStackConfig(config_files=[path], load_envvars=False,
                                  load_yaml_config=True,
                                  secure_files=[], vendor_files=[])


def named_cloud(cloud, region_name=None):
    """A cloud of the operator's clouds.yaml, as openstacksdk configures it."""
    clouds = operator_clouds()
    if clouds is None:
        raise ValueError('[geo_heat] clouds_file is not configured, so '
                         'cloud "%s" is unknown' % cloud)
    return clouds.get_one(cloud=cloud, region_name=region_name)


class GeoSiteClientPlugin(client_plugin.ClientPlugin):
    """client() is the stack's own cloud; connect() reaches any side."""

    exceptions_module = sdk_exc
    # No catalog check at validate: the services may live in another cloud.
    service_types = []

    def __init__(self, context):
        super().__init__(context)
        self._connections = {}

    def _create(self, version=None):
        return self._same_cloud(self._get_region_name())

    def is_not_found(self, ex):
        return isinstance(ex, sdk_exc.NotFoundException)

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

    def connect(self, placement, ca_cert=None, insecure=False):
        """A connection to the Neutron of a (resolved) placement."""
        key = (placement.neutron_key, ca_cert, insecure)
        if key not in self._connections:
            if placement.cloud:
                conn = connection.Connection(config=named_cloud(
                    placement.cloud, placement.region_name))
            elif placement.credential_secret_id:
                conn = self._secret_cloud(placement, ca_cert, insecure)
            else:
                conn = self._same_cloud(placement.region_name)
            self._connections[key] = conn
        return self._connections[key]

    def _same_cloud(self, region_name):
        config = cloud_region.from_session(
            name='geo-heat', session=self.context.keystone_session,
            region_name=region_name, app_name='heat-geo')
        return connection.Connection(config=config)

    def _secret_cloud(self, placement, ca_cert, insecure):
        payload = self.clients.client_plugin(
            'barbican').get_secret_payload_by_ref(
                placement.credential_secret_id)
        credential = auth_plugin.parse_auth_credential_to_dict(payload)
        auth = ks_loading.get_plugin_loader(
            credential['auth_type']).load_from_options(**credential['auth'])
        session = ks_session.Session(
            auth=auth, verify=self._verify(ca_cert, insecure))
        return connection.Connection(
            session=session, region_name=placement.region_name,
            app_name='heat-geo')

    def _verify(self, ca_cert, insecure):
        if insecure:
            return False
        if not ca_cert:
            return True
        # One file per certificate, reused by every connection that needs it.
        digest = hashlib.sha256(ca_cert.encode()).hexdigest()[:16]
        path = os.path.join(tempfile.gettempdir(),
                            'geo-heat-ca-%s.pem' % digest)
        if not os.path.exists(path):
            with open(path, 'w') as cafile:
                cafile.write(ca_cert)
        return path


