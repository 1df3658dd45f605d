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

"""Pieces of the services' configuration files: INI text, the sections
every service repeats, and the paste pipelines shipped with the package
(``geo_heat_sandbox/paste/``)."""

import importlib.resources
import os

from geo_heat_sandbox import layout as _layout


def ini(sections):
    """INI text of {section: [(key, value), ...]}; a key may repeat."""
    out = []
    for section, items in sections.items():
        out.append('[%s]' % section)
        for key, value in items:
            if isinstance(value, bool):
                value = 'true' if value else 'false'
            out.append('%s = %s' % (key, value))
        out.append('')
    return '\n'.join(out)


def authtoken(lay, cloud, user, password, region):
    """[keystone_authtoken] of a service user of `cloud`."""
    return [
        ('www_authenticate_uri', lay.auth_url(cloud)),
        ('auth_url', lay.auth_url(cloud)),
        ('auth_type', 'password'),
        ('username', user),
        ('password', password),
        ('project_name', 'service'),
        ('user_domain_name', 'Default'),
        ('project_domain_name', 'Default'),
        ('region_name', region),
        ('service_token_roles_required', True),
    ]


def service_auth(lay, cloud, user, password, region):
    """Password auth of a service user, for a section of its own (Nova's
    [placement], [neutron], [service_user])."""
    return [(key, value) for key, value in authtoken(
        lay, cloud, user, password, region)
        if key not in ('www_authenticate_uri',
                       'service_token_roles_required')]


def database(lay, name):
    return [('connection', lay.db_url(name)),
            ('sqlite_synchronous', False)]


def install_paste(lay, filename):
    """Copy a paste pipeline file of the package into <state>/etc; return
    its path there."""
    text = importlib.resources.files('geo_heat_sandbox').joinpath(
        'paste', filename).read_text()
    path = os.path.join(lay.etc, filename)
    _layout.write_file(path, text, 0o644)
    return path
