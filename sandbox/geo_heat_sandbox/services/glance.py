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

"""Glance: one per cloud (glance-a, glance-b, every region of its cloud),
a file store, the sandbox image registered at its first start."""

import os
import sys

from geo_heat_sandbox import ini
from geo_heat_sandbox import layout as _layout
from geo_heat_sandbox import snapshots
from geo_heat_sandbox.services import family
from geo_heat_sandbox import topology

PASTE = 'glance-api-paste.ini'
# Registered in every Glance (and named by the templates) at the first up.
IMAGE_NAME = 'cirros-fake'
# Bytes of the sandbox image: the fake virt driver never reads them.
IMAGE_DATA = b'geo-heat fake image'


def conf_dir(lay, name):
    """Own configuration directory of a Glance (it finds its file by
    directory)."""
    return os.path.join(lay.etc, name)


def conf(lay, name, sec):
    cloud = topology.SERVICES[name][2]
    gdir = lay.data_dir(name)
    return ini.ini({
        'DEFAULT': [
            ('debug', False),
            ('enabled_backends', 'fs:file'),
            ('worker_self_reference_url', lay.url(name)),
            ('enabled_import_methods', '[]'),
        ],
        'database': ini.database(lay, name),
        'keystone_authtoken': ini.authtoken(lay, cloud, 'glance',
                                            sec['glance_' + cloud],
                                            topology.REGION_ONE),
        'paste_deploy': [('flavor', 'keystone'),
                         ('config_file', os.path.join(lay.etc, PASTE))],
        'glance_store': [('default_backend', 'fs')],
        'fs': [('filesystem_store_datadir', os.path.join(gdir, 'images'))],
        'os_glance_staging_store': [('filesystem_store_datadir',
                                     os.path.join(gdir, 'staging'))],
        'os_glance_tasks_store': [('filesystem_store_datadir',
                                   os.path.join(gdir, 'tasks'))],
        'oslo_concurrency': [('lock_path', os.path.join(gdir, 'lock'))],
        'oslo_messaging_notifications': [('driver', 'noop')],
    })


def configure(lay, sec):
    for name in topology.services_of('glance'):
        os.makedirs(conf_dir(lay, name), exist_ok=True)
        _layout.write_file(os.path.join(conf_dir(lay, name),
                                        'glance-api.conf'),
                           conf(lay, name, sec))
        for sub in ('images', 'staging', 'tasks', 'lock'):
            os.makedirs(os.path.join(lay.data_dir(name), sub), exist_ok=True)
    ini.install_paste(lay, PASTE)


def schema(lay):
    """glance-manage db sync (its migrations run on SQLite)."""
    def fill(engine, path):
        from glance.cmd import manage

        conf = snapshots.sync_conf(lay, 'glance-sync.conf',
                                   '[database]\nconnection = sqlite:///%s\n'
                                   % path)
        sys.argv = ['glance-manage', '--config-file', conf, 'db', 'sync']
        try:
            manage.main()
        except SystemExit as exc:
            if exc.code:
                raise
        os.unlink(conf)

    snapshots.build(lay, 'glance', fill)


def load(lay, name):
    os.environ['OS_GLANCE_CONFIG_DIR'] = conf_dir(lay, name)
    sys.argv = ['glance-api']
    from glance.common import wsgi_app
    return wsgi_app.init_app()


def provision(sess, lay, name):
    """The sandbox image, once (a provisioning cut short is resumed)."""
    url = lay.url(name)
    images = sess.get(url + '/v2/images',
                      params={'name': IMAGE_NAME}).json()['images']
    image = images[0] if images else sess.post(url + '/v2/images', json={
        'name': IMAGE_NAME, 'disk_format': 'raw',
        'container_format': 'bare', 'visibility': 'public'}).json()
    if image['status'] == 'queued':
        sess.put(url + '/v2/images/%s/file' % image['id'], data=IMAGE_DATA,
                 headers={'Content-Type': 'application/octet-stream'})


FAMILY = family.Family(
    name='glance', title='Glance', configure=configure, load=load,
    warm_up=family.get('/v2/images'), schema=schema, provision=provision,
    catalog=('image', ''),
    preload=('glance.common.wsgi_app', 'glance.api.v2.router',
             'keystonemiddleware.auth_token'))
