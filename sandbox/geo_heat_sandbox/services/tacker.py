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

"""Tacker: API and conductor in one process (``tacker``) under Keystone
A, its VNFs' VIM RegionOne; only where the sandbox's ``tacker`` extra is
installed (topology.SERVICES)."""

import importlib
import os
import sys

from geo_heat_sandbox import ini
from geo_heat_sandbox import layout as _layout
from geo_heat_sandbox import patches
from geo_heat_sandbox import snapshots
from geo_heat_sandbox.services import family
from geo_heat_sandbox import topology

# Tacker's api-paste.ini, keystone pipelines only: packages (vnfpkgm v1),
# VNF LCM v1 and v2, the v1.0 API (VIMs) and the version lists.
PASTE = 'tacker-api-paste.ini'
# Under <data>/tacker: extracted packages, uploaded package files (Tacker's
# glance_store "file" backend, no Glance service) and locks.
TACKER_DIRS = ('vnfpackages', 'csar_files', 'lock')
SERVICE_AUTH_KEYS = ('auth_url', 'auth_type', 'username', 'password',
                     'project_name', 'user_domain_name',
                     'project_domain_name')


def conf(lay, name, sec):
    _, _, cloud, region = topology.SERVICES[name]
    tdir = lay.data_dir(name)
    authtoken = ini.authtoken(lay, cloud, 'tacker', sec['tacker_' + cloud],
                              region)
    return ini.ini({
        'DEFAULT': [
            ('debug', False),
            ('host', 'sandbox-' + name),
            ('state_path', tdir),
            ('auth_strategy', 'keystone'),
            ('transport_url', 'fake://'),
            ('api_paste_config', os.path.join(lay.etc, PASTE)),
            ('bind_host', _layout.HOST),
            ('bind_port', lay.port(name)),
        ],
        'database': ini.database(lay, name),
        # The API's keystonemiddleware takes its password plugin's options
        # from another section: in the same process the conductor
        # registers options of its own (auth_url, ...) in
        # [keystone_authtoken], and the plugin's would be duplicates.
        'keystone_authtoken': [
            (key, value) for key, value in authtoken
            if key not in SERVICE_AUTH_KEYS] + [
            ('auth_section', 'tacker_service_auth')],
        'tacker_service_auth': [(key, value) for key, value in authtoken
                                if key in SERVICE_AUTH_KEYS],
        # The links Tacker's v2 API answers with.
        'v2_vnfm': [('endpoint', lay.url(name))],
        'vnf_lcm': [('endpoint_url', lay.url(name))],
        'vnf_package': [('vnf_package_csar_path',
                         os.path.join(tdir, 'vnfpackages'))],
        'glance_store': [('filesystem_store_datadir',
                          os.path.join(tdir, 'csar_files'))],
        'coordination': [('backend_url',
                          'file://' + os.path.join(tdir, 'lock'))],
        'oslo_concurrency': [('lock_path', os.path.join(tdir, 'lock'))],
        'oslo_messaging_notifications': [('driver', 'noop')],
    })


def configure(lay, sec):
    for name in topology.services_of('tacker'):
        _layout.write_file(lay.conf(name), conf(lay, name, sec))
        for sub in TACKER_DIRS:
            os.makedirs(os.path.join(lay.data_dir(name), sub), exist_ok=True)
        ini.install_paste(lay, PASTE)


def schema(lay):
    """Tacker's models, ``create_all`` then ``tacker-db-manage stamp
    head``, since the migrations do not run on SQLite."""
    def fill(engine, path):
        from tacker.db.db_sqlalchemy import models  # noqa: F401
        from tacker.db.migration import cli
        from tacker.db.migration.models import head  # noqa: F401
        from tacker.db import model_base

        model_base.BASE.metadata.create_all(engine)
        snapshots.stamp(lay, path, 'tacker-db-manage', cli.main, 'head')

    snapshots.build(lay, 'tacker', fill)


def load(lay, name):
    """Tacker's API and its conductor in one process over fake:// (as
    tacker-server and tacker-conductor would run, threaded, no eventlet).
    The v2 VNF LCM conductor is the conductor's own v2 hook."""
    sys.argv = ['tacker-server', '--config-file', lay.conf(name)]
    from keystoneauth1 import loading
    from oslo_config import cfg
    from tacker.common import config
    from tacker.common import topics
    from tacker import objects
    from tacker import service
    from tacker.sol_refactored import objects as sol_objects

    config.init(sys.argv[1:])
    config.setup_logging(cfg.CONF)
    objects.register_all()
    sol_objects.register_all()
    # The API's auth_token reads its service credentials from there
    # (conf above: the conductor owns [keystone_authtoken]).
    loading.register_auth_conf_options(cfg.CONF, 'tacker_service_auth')
    # The v2 API's controllers read the configuration (their own links'
    # endpoint) as their module is imported: the launcher imported it
    # before there was a configuration.
    importlib.reload(importlib.import_module(
        'tacker.sol_refactored.api.router'))
    app = config.load_paste_app('tacker')
    conductor = service.Service.create(
        binary='tacker-conductor', topic=topics.TOPIC_CONDUCTOR,
        manager='tacker.conductor.conductor_server.Conductor')
    conductor.start()
    return app


FAMILY = family.Family(
    name='tacker', title='Tacker', configure=configure, load=load,
    warm_up=family.get('/vnfpkgm/v1/vnf_packages'), schema=schema,
    catalog=('nfv-orchestration', ''),
    sqlite=patches.sqlite_write_ahead_log,
    preload=('tacker.common.config', 'tacker.service',
             'tacker.conductor.conductor_server',
             'tacker.sol_refactored.api.router',
             'tacker.api.vnfpkgm.v1.router',
             'keystonemiddleware.auth_token'))
