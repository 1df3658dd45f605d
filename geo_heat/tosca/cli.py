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

"""geo-heat-translate and ``openstack translate geo``: TOSCA to HOT with
geo-heat's types. Translating needs no cloud, so neither asks for
credentials (heat-translator's ``openstack translate template`` does)."""

import argparse
import os
import sys

from cliff import command
from toscaparser.common import exception as tosca_exc

from geo_heat.tosca import sol001
from geo_heat.tosca import translate

# tosca-parser's and heat-translator's errors, and geo-heat's refusals.
ERRORS = (tosca_exc.TOSCAException, sol001.TranslationError)


def _parameter(text):
    name, sep, value = text.partition('=')
    if not sep:
        raise argparse.ArgumentTypeError('"%s" is not KEY=VALUE' % text)
    return name, value


def add_arguments(parser):
    parser.add_argument('template', help='TOSCA service template or VNFD.')
    parser.add_argument(
        '--output-file', metavar='<file>',
        help='Write the HOT template here (default: standard output); its '
             'get_file paths are relative to it.')
    parser.add_argument(
        '--files-root', metavar='<directory>',
        help='The directory every get_file path must stay in (default: '
             'the template\'s): a path that leaves it is refused, since '
             'the stack create would send that file to Heat.')
    parser.add_argument(
        '--parameter', metavar='<key=value>', type=_parameter,
        action='append', default=[],
        help='Value of a template input (repeat for more).')
    return parser


def run(args):
    """Translate; write the template and any nested ones heat-translator
    makes (beside the output file, or in the current directory)."""
    output_path = args.output_file or 'output.yaml'
    files = translate.translate(args.template, output_path,
                                dict(args.parameter), args.files_root)
    main = files.pop(os.path.basename(output_path))
    directory = os.path.dirname(output_path)
    for name, text in files.items():
        if os.path.basename(name) != name or name in (os.curdir,
                                                      os.pardir):
            raise sol001.TranslationError(
                'nested template "%s" would be written outside %s'
                % (name, directory or os.curdir))
        with open(os.path.join(directory, name), 'w') as f:
            f.write(text)
    if args.output_file:
        with open(args.output_file, 'w') as f:
            f.write(main)
    else:
        sys.stdout.write(main)


def main(argv=None):
    parser = add_arguments(argparse.ArgumentParser(
        prog='geo-heat-translate', description=__doc__.split('\n\n')[0]))
    try:
        run(parser.parse_args(argv))
    except ERRORS as exc:
        sys.exit('geo-heat-translate: %s' % exc)


class TranslateGeo(command.Command):
    """Translate a TOSCA template with geo-heat's types to HOT."""

    auth_required = False

    def get_parser(self, prog_name):
        return add_arguments(super().get_parser(prog_name))

    def take_action(self, parsed_args):
        run(parsed_args)
