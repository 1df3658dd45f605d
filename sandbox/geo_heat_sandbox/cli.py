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

"""``geo-heat-sandbox``: a local multi-site OpenStack for geo-heat.

Subcommands: up, down, stop NAME, start NAME, status, clouds, env.
State dir: ``--state-dir`` or
``$GEO_HEAT_SANDBOX_DIR`` (default ``~/.local/state/geo-heat-sandbox``).
"""

import argparse
import signal
import sys
import textwrap

from geo_heat_sandbox import layout as _layout
from geo_heat_sandbox import manager
from geo_heat_sandbox import profiles
from geo_heat_sandbox import services
from geo_heat_sandbox import topology


def _memory(proc):
    if not proc['running']:
        return ''
    return 'RSS %4d MB  PSS %4d MB' % (proc['rss_kb'] // 1024,
                                       proc['pss_kb'] // 1024)


def _print_status(info):
    print('state dir:   %s' % info['state_dir'])
    print('profile:     %s' % info['profile'])
    rows = [(name, svc, svc['url']) for name, svc in info['services'].items()]
    watcher = info.get('watcher')
    if watcher:
        rows.append(('watcher', watcher, watcher['log']))
    # Engine workers forked beside a Heat's API, MariaDB, RabbitMQ.
    rows.extend((name, proc, '') for name, proc in info['extras'].items())
    for name, proc, where in rows:
        print('%-12s %-8s %-24s pid %-8s %s' % (
            name, 'running' if proc['running'] else 'stopped', where,
            proc['pid'] or '-', _memory(proc)))
    rss = sum(proc['rss_kb'] for _, proc, _ in rows)
    if rss:
        # PSS counts the pages forked services share once (doc/sandbox.rst:
        # memory).
        print('total RSS:   %d MB (PSS %d MB)' % (
            rss // 1024, sum(proc['pss_kb'] for _, proc, _ in rows) // 1024))
    if info.get('last_up_seconds') is not None:
        print('last up:     %.1f s' % info['last_up_seconds'])
    print('clouds.yaml: %s' % info['clouds_yaml'])


def _description():
    return textwrap.fill(
        'Local two-cloud, multi-region OpenStack (%s) on SQLite, loopback '
        'only.' % ', '.join(spec.title for spec in services.present()))


def _services_list():
    """The services, by family, as the service table has them."""
    lines = ['services:']
    for spec in services.present():
        lines.append('  %-10s %s' % (spec.title, ' '.join(
            topology.services_of(spec.name))))
    return '\n'.join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog='geo-heat-sandbox', description=_description(),
        epilog=_services_list(),
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--state-dir', default=None,
                        help='state directory (default: $%s or %s)' % (
                            _layout.ENV_DIR, _layout.default_state_dir()))
    sub = parser.add_subparsers(dest='command', required=True)
    p = sub.add_parser('up', help='start every service (no-op if running)')
    p.add_argument('--profile', choices=profiles.PROFILES, default=None,
                   help='at a state dir\'s first up: embedded (default: '
                        'SQLite, fake:// messaging, one Heat engine) or '
                        'production (each Heat with two engine workers '
                        'over RabbitMQ on MariaDB in strict mode)')
    sub.add_parser('down', help='stop the services started by up')
    for verb, text in (('stop', 'stop one service, e.g. neutron-r2'),
                       ('start', 'start one stopped service again')):
        p = sub.add_parser(verb, help=text)
        p.add_argument('service', choices=list(topology.SERVICES))
    sub.add_parser('status', help='running/stopped, URL, PID and memory '
                                  'per service')
    p = sub.add_parser('clouds', help='print the clouds.yaml path, or its '
                                      'content with --show')
    p.add_argument('--show', action='store_true',
                   help='print the content (contains passwords)')
    sub.add_parser('env', help='print export lines for the openstack CLI')
    args = parser.parse_args(argv)
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # quiet with | head
    lay = _layout.Layout(args.state_dir)

    if args.command == 'up':
        try:
            info = manager.up(lay.root, out=print, profile=args.profile)
        except manager.SandboxError as e:
            print('geo-heat-sandbox up FAILED:\n%s' % e, file=sys.stderr)
            return 1
        _print_status(info)
        print('use: eval "$(geo-heat-sandbox%s env)"' % (
            ' --state-dir ' + lay.root if args.state_dir else ''))
        return 0
    if args.command == 'down':
        manager.down(lay.root, out=print)
        return 0
    if args.command == 'stop':
        manager.stop_service(args.service, lay.root, out=print)
        return 0
    if args.command == 'start':
        try:
            manager.start_service(args.service, lay.root, out=print)
        except manager.SandboxError as e:
            print('geo-heat-sandbox start FAILED:\n%s' % e, file=sys.stderr)
            return 1
        return 0
    if args.command == 'status':
        info = manager.status(lay.root)
        _print_status(info)
        return 0 if all(s['running'] for s in info['services'].values()) \
            else 3
    if args.command == 'clouds':
        if args.show:
            try:
                with open(lay.clouds_yaml) as f:
                    sys.stdout.write(f.read())
            except OSError:
                print('no clouds.yaml yet: run geo-heat-sandbox up',
                      file=sys.stderr)
                return 1
        else:
            print(lay.clouds_yaml)
        return 0
    if args.command == 'env':
        print('export OS_CLIENT_CONFIG_FILE=%s' % lay.clouds_yaml)
        print('export OS_CLOUD=sandbox')
        return 0
    return 2


if __name__ == '__main__':
    sys.exit(main())
