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

"""What every fake service shares: openstacksdk's exceptions for each
service's error answers, lost answers, and records shaped like
openstacksdk's resources."""

import json
import types
import uuid

from keystoneauth1 import exceptions as ks_exc
from openstack import exceptions as sdk_exc
import requests


def neutron_error(status, error_type, message):
    """The openstacksdk exception for a Neutron error answer.

    Built by openstacksdk itself from a response with Neutron's error body,
    so the link core sees exactly what a real Neutron gives it.
    """
    response = requests.Response()
    response.status_code = status
    response.headers['content-type'] = 'application/json'
    response._content = json.dumps({'NeutronError': {
        'type': error_type, 'message': message, 'detail': ''}}).encode()
    try:
        sdk_exc.raise_from_response(response)
    except sdk_exc.HttpException as exc:
        return exc


def heat_error(status, error_type, message):
    """The openstacksdk exception for a Heat error answer, as
    neutron_error does for Neutron."""
    response = requests.Response()
    response.status_code = status
    response.headers['content-type'] = 'application/json'
    response._content = json.dumps({
        'code': status, 'title': response.reason or 'Error',
        'explanation': message,
        'error': {'type': error_type, 'message': message,
                  'traceback': None}}).encode()
    try:
        sdk_exc.raise_from_response(response)
    except sdk_exc.HttpException as exc:
        return exc


def placement_error(status, detail):
    """The openstacksdk exception for a Placement error answer (the
    API-SIG error format), as neutron_error does for Neutron."""
    response = requests.Response()
    response.status_code = status
    response.headers['content-type'] = 'application/json'
    response._content = json.dumps({'errors': [{
        'status': status, 'title': response.reason or 'Error',
        'detail': detail, 'request_id': 'req-%s' % uuid.uuid4()}]}).encode()
    try:
        sdk_exc.raise_from_response(response)
    except sdk_exc.HttpException as exc:
        return exc


class LosesAnswers:
    """A service whose answers to the calls named in `lose` get lost, each
    once, after it did what they asked (a WAN that dropped the answer)."""

    def _answer(self, name, result):
        if name in self.lose:
            self.lose.discard(name)
            raise ks_exc.ConnectFailure('no answer to %s' % name)
        return result


class Record(types.SimpleNamespace):
    def to_dict(self, computed=True):
        return dict(vars(self))
