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

"""The operator's clouds: its clouds file, its credentials there, and which
projects may use them.

Operator connections are kept for the life of heat-engine; every session
has the operator's call timeout unless a probe asks for less.
"""

import atexit
import collections
import hashlib
import json
import os
import shutil
import stat
import tempfile
import threading

from openstack.config import loader
from openstack import connection
from oslo_config import cfg

from geo_heat import conf  # noqa: F401  (registers [geo_heat])
from geo_heat import failure

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


def parse_cloud_projects(items):
    """Map "CLOUD:LOCAL_PROJECT:REMOTE_PROJECT" items to
    {cloud: {local project: remote project}}."""
    mappings = {}
    for item in items:
        parts = item.split(':')
        if len(parts) != 3 or not all(parts):
            raise ValueError('cloud project item "%s" is not of the form '
                             'CLOUD:LOCAL_PROJECT_ID:REMOTE_PROJECT_ID'
                             % item)
        mappings.setdefault(parts[0], {})[parts[1]] = parts[2]
    return mappings


def cloud_project(cloud, project_id):
    """The project of `cloud` that `project_id` may use there, or None."""
    try:
        mapping = parse_cloud_projects(CONF.geo_heat.cloud_projects)
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
# The directories are named after their process's PID, so that a process
# can remove those of processes killed before they removed their own.
CA_DIR_PREFIX = 'geo-heat-ca-'


def _ca_dir():
    """The process's one private (mode 0700) directory of CA bundles,
    removed when the process ends."""
    global _ca_directory
    if _ca_directory is None:
        _remove_orphaned_ca_dirs()
        _ca_directory = tempfile.mkdtemp(
            prefix='%s%d-' % (CA_DIR_PREFIX, os.getpid()))
        atexit.register(shutil.rmtree, _ca_directory, True)
    return _ca_directory


def _remove_orphaned_ca_dirs():
    """Remove this user's CA directories whose process is gone (killed:
    it never ran its exit handler)."""
    root = tempfile.gettempdir()
    for name in os.listdir(root):
        pid = name[len(CA_DIR_PREFIX):].partition('-')[0]
        if not name.startswith(CA_DIR_PREFIX) or not pid.isdigit() or (
                _alive(int(pid))):
            continue
        path = os.path.join(root, name)
        try:
            info = os.lstat(path)
        except FileNotFoundError:
            continue
        if stat.S_ISDIR(info.st_mode) and info.st_uid == os.getuid():
            shutil.rmtree(path, ignore_errors=True)


def _alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's
    return True


def _forget_ca_files():
    """A forked child writes bundles of its own: its parent's directory
    goes with the parent."""
    global _ca_directory
    _ca_directory = None
    _ca_files.clear()


os.register_at_fork(after_in_child=_forget_ca_files)


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


def verify(ca_cert, insecure):
    """What a keystoneauth session verifies a remote cloud's TLS with."""
    if insecure:
        return False
    if not ca_cert:
        return True
    return ca_file(ca_cert)
