import testtools

from geo_heat.link import model


class LinkSpecTest(testtools.TestCase):

    def test_round_trip(self):
        spec = model.LinkSpec(link_id='l', name='n', technology='vlan',
                              segmentation_range=(100, 199), mtu_cap=1400)
        self.assertEqual(spec, model.LinkSpec.from_dict(spec.to_dict()))

    def test_spec_stored_before_mtu_cap(self):
        stored = model.LinkSpec(link_id='l', name='n',
                                technology='vlan').to_dict()
        del stored['mtu_cap']
        self.assertIsNone(model.LinkSpec.from_dict(stored).mtu_cap)
