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

"""The Tacker VNF package of tosca/packages/ as a CSAR zip, and its
instantiate request with a cloud's credentials.

The package's sources hold no copy of the VNF's instance template nor of
the ETSI SOL001 types: the zip takes templates/vnf/instance.yaml as
BaseHOT/<flavour>/nested/instance.yaml (Tacker passes the nested files to
Heat as ``files``, for ``get_file``) and tosca/etsi/'s SOL001 type files
into Definitions/.
The zip is reproducible: sorted entries, fixed times and modes.

``python -m geo_heat_sandbox.vnf_package OUT.zip`` writes the zip;
``--request FILE --cloud CLOUD`` also writes the instantiate request with
the credentials of that entry of the sandbox's clouds.yaml.
"""

import argparse
import copy
import json
import os
import zipfile

from geo_heat_sandbox import templates

TOSCA = os.path.join(os.path.dirname(templates.DIRECTORY), 'tosca')
PACKAGES = os.path.join(TOSCA, 'packages')
NAME = 'georedundant-vnf'
FLAVOUR = 'georedundant'
SOURCE = os.path.join(PACKAGES, NAME)
INSTANTIATE_REQUEST = os.path.join(PACKAGES, NAME + '-instantiate.json')
SOL001_TYPES = ('etsi_nfv_sol001_common_types.yaml',
                'etsi_nfv_sol001_vnfd_types.yaml')
# zip's earliest date: the same bytes from every checkout.
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
# The VNFD's descriptor_id (Definitions/): Tacker onboards one package per
# VNFD ID at a time.
DESCRIPTOR_ID = '6d3e7c1a-4b2f-4e8a-9c5d-0f1e2a3b4c5d'


def contents(source=SOURCE):
    """{path in the zip: path on disk}."""
    files = {}
    for directory, _dirs, names in os.walk(source):
        for name in names:
            path = os.path.join(directory, name)
            files[os.path.relpath(path, source)] = path
    files['BaseHOT/%s/nested/instance.yaml' % FLAVOUR] = templates.INSTANCE
    for name in SOL001_TYPES:
        files['Definitions/' + name] = os.path.join(TOSCA, 'etsi', name)
    return files


def build(path, source=SOURCE, descriptor_id=DESCRIPTOR_ID):
    """Write the CSAR zip of `source` to `path`; return `path`.

    Another `descriptor_id` gives a package Tacker onboards beside this
    one's (e.g. a test's own).
    """
    with zipfile.ZipFile(path, 'w', zipfile.ZIP_DEFLATED) as archive:
        for name, disk_path in sorted(contents(source).items()):
            info = zipfile.ZipInfo(name, ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            with open(disk_path, 'rb') as f:
                data = f.read()
            if name.startswith('Definitions/'):
                data = data.replace(DESCRIPTOR_ID.encode(),
                                    descriptor_id.encode())
            archive.writestr(info, data)
    return path


def instantiate_request(auth, region_name, **geo):
    """The instantiate request of tosca/packages/ for a VIM reached with a
    clouds.yaml entry's `auth`, its region as the active site's; `geo`
    replaces parts of additionalParams.nfv.GEO (e.g. link=...)."""
    with open(INSTANTIATE_REQUEST) as f:
        request = json.load(f)
    (vim,) = request['vimConnectionInfo'].values()
    vim['interfaceInfo']['endpoint'] = auth['auth_url']
    vim['accessInfo'].update(
        username=auth['username'], password=auth['password'],
        project=auth['project_name'],
        userDomain=auth.get('user_domain_name', 'Default'),
        projectDomain=auth.get('project_domain_name', 'Default'),
        region=region_name)
    request['additionalParams']['nfv']['GEO'].update(copy.deepcopy(geo))
    return request


def main(argv=None):
    parser = argparse.ArgumentParser(prog='python -m ' + __name__)
    parser.add_argument('zip', help='where to write the package')
    parser.add_argument('--request', help='also write the instantiate '
                        'request here (mode 0600: it holds a password)')
    parser.add_argument('--cloud', default='tenant',
                        help="the sandbox's clouds.yaml entry of the VNF's "
                        "project (default: tenant)")
    args = parser.parse_args(argv)
    print(build(args.zip))
    if args.request:
        from geo_heat_sandbox import clients
        config = clients.cloud_config(args.cloud)
        request = instantiate_request(config.auth, config.region_name)
        fd = os.open(args.request, os.O_WRONLY | os.O_CREAT | os.O_TRUNC,
                     0o600)
        with os.fdopen(fd, 'w') as f:
            json.dump(request, f, indent=2)
        print(args.request)
    return 0


if __name__ == '__main__':
    raise SystemExit(main())
