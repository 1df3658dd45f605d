"""The TOSCA types parse, and agree with geo_heat/definitions.py."""

import os

import testtools
from toscaparser import tosca_template
import yaml

from geo_heat import definitions

TOSCA = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.dirname(os.path.abspath(__file__))))), 'tosca')


def constraint(prop, kind):
    for item in prop.get('constraints', []):
        if kind in item:
            return item[kind]
    raise KeyError(kind)


class ToscaTypesTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        with open(os.path.join(TOSCA, 'geo_heat_types.yaml')) as f:
            types = yaml.safe_load(f)
        self.link = types['node_types']['geo.nodes.Interconnect'][
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
