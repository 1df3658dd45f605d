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

"""What geo-heat's operator commands (geo-heat-sweep, geo-heat-watcher)
share: the clouds.yaml files they find their entries in."""

from openstack.config import loader
from openstack import connection


def add_clouds_file(parser):
    parser.add_argument(
        '--clouds-file', action='append', default=[], metavar='PATH',
        help='clouds.yaml to find the entries in (repeat for more; default: '
             'openstacksdk\'s usual places and OS_CLIENT_CONFIG_FILE).')


def entry_and_region(cloud_region):
    """CLOUD[:REGION] as (CLOUD, REGION or None)."""
    entry, _sep, region = cloud_region.partition(':')
    return entry, region or None


def connector(prog, clouds_files, timeout=None, request_id=None):
    """connect(entry, region=None): a connection to a clouds.yaml entry of
    the first clouds file naming it (openstacksdk reads only one file), or
    of its usual places; each request within `timeout` seconds and carrying
    `request_id` as its global request ID, if given."""
    configs = [loader.OpenStackConfig(config_files=[path] if path else None)
               for path in clouds_files or [None]]

    def connect(entry, region=None):
        for path, config in zip(clouds_files or [None], configs):
            if path is None or entry in config.get_cloud_names():
                return connection.Connection(config=config.get_one(
                    cloud=entry, region_name=region or None,
                    api_timeout=timeout), global_request_id=request_id)
        raise SystemExit('%s: no clouds file names %s' % (prog, entry))
    return connect
