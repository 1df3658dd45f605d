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

"""geo.policies.RedundantVNF: OS::Geo::RedundantVNF."""

from geo_heat.tosca import resource


class ToscaGeoRedundantVNF(resource.GeoResource):
    """A VNF on two sites. Its properties name the endpoints and links by
    their node templates and the instance template by its path, relative
    to the TOSCA template (translate rebases it on the output)."""

    toscatype = 'geo.policies.RedundantVNF'
    hot_type = 'OS::Geo::RedundantVNF'
    references = ('active_endpoint', 'standby_endpoint')
    list_references = ('links',)

    def handle_properties(self):
        super().handle_properties()
        path = self.properties.get('instance_template')
        if isinstance(path, str):
            self.properties['instance_template'] = {'get_file': path}

    def handle_life_cycle(self):
        """None: a policy has no lifecycle operations (heat-translator
        knows that of its own policy types only)."""
        return None, None, None
