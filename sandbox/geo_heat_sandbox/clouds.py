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

"""The sandbox's clouds.yaml files: the user-facing one (admins and
tenants) and the operator's one that Heat reads ([geo_heat]
clouds_file)."""

import yaml

from geo_heat_sandbox import layout as _layout
from geo_heat_sandbox import topology


def _cloud(lay, cloud, password, region=None, regions=None,
           username='admin', project_name='admin'):
    entry = {
        'auth': {
            'auth_url': lay.auth_url(cloud),
            'username': username,
            'password': password,
            'project_name': project_name,
            'user_domain_name': 'Default',
            'project_domain_name': 'Default',
        },
        'identity_api_version': 3,
        'interface': 'public',
    }
    if regions:
        entry['regions'] = regions
    if region:
        entry['region_name'] = region
    return entry


def _tenant_cloud(lay, sec, key, region=None, regions=None):
    _key, cloud, name, secret = next(t for t in topology.TENANTS
                                     if t[0] == key)
    return _cloud(lay, cloud, sec[secret], region, regions,
                  username=name, project_name=name)


def clouds(lay, sec):
    """The user-facing clouds.yaml content (dict): the admins of each
    cloud, and the tenants (members of their project)."""
    one, two = topology.REGION_ONE, topology.REGION_TWO
    both = [one, two]
    return {'clouds': {
        'sandbox': _cloud(lay, 'a', sec['admin_a'], one, both),
        'sandbox-r2': _cloud(lay, 'a', sec['admin_a'], two, [two, one]),
        'sandbox-b': _cloud(lay, 'b', sec['admin_b'], one),
        'tenant': _tenant_cloud(lay, sec, 'tenant', one, both),
        'tenant-r2': _tenant_cloud(lay, sec, 'tenant', two, [two, one]),
        'tenant-b': _tenant_cloud(lay, sec, 'tenant-b', one),
        'other': _tenant_cloud(lay, sec, 'other', one, both),
    }}


def operator_clouds(lay, sec):
    """The operator-side clouds.yaml read by Heat ([geo_heat] clouds_file):
    the link builder of cloud A, cloud B's admin, and a cloud that never
    answers."""
    one = topology.REGION_ONE
    return {'clouds': {
        'cloud-a': _cloud(lay, 'a', sec['geo_heat_a'], one,
                          [one, topology.REGION_TWO],
                          username=topology.LINK_BUILDER,
                          project_name='service'),
        'cloud-b': _cloud(lay, 'b', sec['admin_b'], one),
        topology.SILENT_CLOUD: dict(
            _cloud(lay, 'b', sec['silent'], one),
            auth=dict(_cloud(lay, 'b', sec['silent'])['auth'],
                      auth_url='http://%s:%d/v3' % (_layout.HOST,
                                                    lay.silent_port))),
    }}


def write(lay, sec):
    for path, content in ((lay.clouds_yaml, clouds(lay, sec)),
                          (lay.operator_clouds_yaml,
                           operator_clouds(lay, sec))):
        _layout.write_file(path, yaml.safe_dump(content,
                                                default_flow_style=False))
