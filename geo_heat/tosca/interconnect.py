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

"""geo.nodes.Interconnect: OS::Geo::Interconnect."""

from geo_heat.tosca import resource

DEPENDS_ON = 'tosca.relationships.DependsOn'


class ToscaGeoInterconnect(resource.GeoResource):
    """A link: its requirements name the two endpoints."""

    toscatype = 'geo.nodes.Interconnect'
    hot_type = 'OS::Geo::Interconnect'
    ENDPOINTS = ('local_endpoint', 'remote_endpoint')

    def handle_properties(self):
        super().handle_properties()
        for name in self.ENDPOINTS:
            self.properties[name] = resource.get_resource(
                resource.required_node(self.nodetemplate, name))
        # get_resource already orders the link after its endpoints.
        self.remove_depends_on([DEPENDS_ON])
