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

"""Barbican: one, in cloud A (every region), the simple crypto plugin,
the credentials of clouds that geo-heat reaches through a secret."""

import os
import sys

from geo_heat_sandbox import ini
from geo_heat_sandbox import layout as _layout
from geo_heat_sandbox import patches
from geo_heat_sandbox.services import family
from geo_heat_sandbox import topology

PASTE = 'barbican-api-paste.ini'


def conf(lay, name, sec):
    return ini.ini({
        'DEFAULT': [
            ('debug', False),
            ('host_href', lay.url(name)),
            ('db_auto_create', True),
        ],
        'database': ini.database(lay, name),
        'keystone_authtoken': ini.authtoken(lay, 'a', 'barbican',
                                            sec['barbican_a'],
                                            topology.REGION_ONE),
        'secretstore': [('enabled_secretstore_plugins', 'store_crypto')],
        'crypto': [('enabled_crypto_plugins', 'simple_crypto')],
        'simple_crypto_plugin': [('kek', sec['barbican_kek'])],
        'oslo_messaging_notifications': [('driver', 'noop')],
        'queue': [('enable', False)],
    })


def configure(lay, sec):
    for name in topology.services_of('barbican'):
        _layout.write_file(lay.conf(name), conf(lay, name, sec))
    ini.install_paste(lay, PASTE)


def load(lay, name):
    sys.argv = ['barbican-api']
    patches.barbican_config_files(lay.conf(name))
    from paste import deploy
    return deploy.loadapp('config:' + os.path.join(lay.etc, PASTE))


FAMILY = family.Family(
    name='barbican', title='Barbican', configure=configure, load=load,
    warm_up=family.get('/v1/secrets'), catalog=('key-manager', ''),
    preload=('barbican.common.config',))
