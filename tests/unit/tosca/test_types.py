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

"""The TOSCA types parse, and agree with the HOT schemas and with
geo_heat/definitions.py."""

import os

from heat.engine import constraints
from heat.engine import properties
import testscenarios
import testtools
from toscaparser import tosca_template
import yaml

from geo_heat import definitions
from geo_heat.resources import endpoint
from geo_heat.resources import interconnect
from geo_heat.resources import redundant_vnf
from geo_heat.vnf import plan

load_tests = testscenarios.load_tests_apply_scenarios

TOSCA = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.dirname(os.path.abspath(__file__))))), 'tosca')

with open(os.path.join(TOSCA, 'geo_heat_types.yaml')) as f:
    TYPES = yaml.safe_load(f)

TOSCA_TYPES = {
    properties.Schema.STRING: 'string',
    properties.Schema.INTEGER: 'integer',
    properties.Schema.BOOLEAN: 'boolean',
    properties.Schema.LIST: 'list',
    properties.Schema.MAP: 'map',
}


def constraint(prop, kind):
    for item in prop.get('constraints', []):
        if kind in item:
            return item[kind]
    raise KeyError(kind)


def tosca_constraints(prop):
    """What a TOSCA property's constraints allow, in HOT's terms."""
    found = {}
    for item in prop.get('constraints', []):
        (kind, value), = item.items()
        if kind == 'valid_values':
            found['AllowedValues'] = list(value)
        elif kind == 'in_range':
            found['Range'] = tuple(value)
        elif kind == 'greater_or_equal':
            found['Range'] = (value, None)
        elif kind == 'min_length':
            found['Length'] = (value, None)
        elif kind == 'max_length':
            found['Length'] = (None, value)
        elif kind != 'pattern':  # HOT checks ranges with a custom constraint
            raise AssertionError('unexpected TOSCA constraint %s' % kind)
    return found


def hot_constraints(schema):
    found = {}
    for item in schema.constraints:
        if isinstance(item, constraints.AllowedValues):
            found['AllowedValues'] = list(item.allowed)
        elif isinstance(item, (constraints.Range, constraints.Length)):
            found[type(item).__name__] = (item.min, item.max)
    return found


class ToscaTypesTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.link = TYPES['node_types']['geo.nodes.Interconnect'][
            'properties']

    def test_technologies_match(self):
        self.assertEqual(list(definitions.TEMPLATE_TECHNOLOGIES),
                         constraint(self.link['technology'], 'valid_values'))

    def test_ranges_match(self):
        widest = max(high for _low, high
                     in definitions.SEGMENTATION_ID_RANGES.values())
        self.assertEqual([1, widest],
                         constraint(self.link['segmentation_id'], 'in_range'))
        self.assertEqual([definitions.MTU_MIN, definitions.MTU_MAX],
                         constraint(self.link['mtu'], 'in_range'))

    def test_vnf_enumerations_match(self):
        vnf = TYPES['policy_types']['geo.policies.RedundantVNF'][
            'properties']
        self.assertEqual(list(plan.MODES),
                         constraint(vnf['mode'], 'valid_values'))
        self.assertEqual(list(plan.PURGE_POLICIES),
                         constraint(vnf['purge_policy'], 'valid_values'))

    def test_example_parses(self):
        template = tosca_template.ToscaTemplate(
            os.path.join(TOSCA, 'examples', 'georedundant-regions.yaml'))
        nodes = {n.name: n for n in template.nodetemplates}
        link = nodes['replication_link']
        self.assertEqual('vlan', link.get_property_value('technology'))
        self.assertEqual(
            {'local_endpoint': 'active_site',
             'remote_endpoint': 'standby_site'},
            {k: v for req in link.requirements for k, v in req.items()})

    def test_importable_from_tosca_1_3_and_from_a_sol001_vnfd(self):
        for name, version in (('georedundant-vnf-regions.yaml', '1_3'),
                              ('sol001-georedundant-vnfd.yaml', '1_2')):
            path = os.path.join(TOSCA, 'examples', name)
            template = tosca_template.ToscaTemplate(path)
            self.assertEqual('tosca_simple_yaml_' + version,
                             template.version)
            self.assertIn('geo.nodes.Endpoint',
                          {n.type for n in template.nodetemplates})


class HotSchemaTest(testtools.TestCase):
    """Each TOSCA type has the HOT resource's properties, with the same
    types, required flags, defaults, allowed values and ranges. Properties
    naming other resources are a node type's requirements."""

    scenarios = [
        ('endpoint', {'section': 'node_types', 'name': 'geo.nodes.Endpoint',
                      'hot': endpoint.GeoEndpoint}),
        ('interconnect', {'section': 'node_types',
                          'name': 'geo.nodes.Interconnect',
                          'hot': interconnect.GeoInterconnect}),
        ('redundant_vnf', {'section': 'policy_types',
                           'name': 'geo.policies.RedundantVNF',
                           'hot': redundant_vnf.GeoRedundantVNF}),
    ]

    def assertSameProperties(self, tosca_props, hot_schema, where):
        self.assertEqual(sorted(hot_schema), sorted(tosca_props), where)
        for name, prop in tosca_props.items():
            schema = hot_schema[name]
            here = '%s.%s' % (where, name)
            datatype = TYPES['data_types'].get(prop['type'])
            if datatype:
                self.assertEqual(properties.Schema.MAP, schema.type, here)
                self.assertSameProperties(datatype['properties'],
                                          schema.schema, here)
            else:
                self.assertEqual(TOSCA_TYPES[schema.type], prop['type'],
                                 here)
            self.assertEqual(schema.required, prop.get('required', True),
                             here)
            # An empty map or list is what TOSCA's absent value means.
            default = None if schema.default in ({}, []) else schema.default
            self.assertEqual(default, prop.get('default'), here)
            self.assertEqual(self.bounded(hot_constraints(schema)),
                             self.bounded(tosca_constraints(prop)), here)

    @staticmethod
    def bounded(found):
        """Bounds HOT leaves open may be narrower in TOSCA (from
        definitions.py): compare the bounds HOT gives."""
        return {kind: value[0] if kind in ('Range', 'Length') else value
                for kind, value in found.items()}

    def test_same_properties_as_the_hot_schema(self):
        definition = TYPES[self.section][self.name]
        tosca_props = dict(definition['properties'])
        requirements = [name for item in definition.get('requirements', [])
                        for name in item]
        hot_schema = dict(self.hot.properties_schema)
        for name in requirements:
            self.assertEqual(properties.Schema.STRING, hot_schema[name].type)
            self.assertTrue(hot_schema.pop(name).required)
        self.assertSameProperties(tosca_props, hot_schema, self.name)
