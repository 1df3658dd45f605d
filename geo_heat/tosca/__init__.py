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

"""TOSCA to HOT with geo-heat's types, on heat-translator.

heat-translator has no plugin hook: its type map (TOSCA_TO_HOT_TYPE) is
built at import from its own directories. ``translate.register`` adds
geo-heat's translation classes to that map at run time, and
``translate.translate`` runs heat-translator's own translation, then the
SOL001 georedundancy step (``sol001``), then writes HOT in which every
geo-heat value is exact (``output``). Mapping:

=================================  ==========================================
TOSCA                              HOT
=================================  ==========================================
``geo.nodes.Endpoint``             ``OS::Geo::Endpoint``, same properties
``geo.nodes.Interconnect``         ``OS::Geo::Interconnect``; the
                                   ``local_endpoint`` and ``remote_endpoint``
                                   requirements become ``get_resource``
``geo.policies.RedundantVNF``      ``OS::Geo::RedundantVNF``; endpoints and
                                   links named by node template become
                                   ``get_resource``, ``instance_template`` a
                                   ``get_file``
SOL001, with two                   see ``sol001``: an anti-affinity rule of
``geo.nodes.Endpoint``             scope ``nfvi_pop`` on two VDUs becomes an
                                   ``OS::Geo::RedundantVNF``, each virtual
                                   link joining them an
                                   ``OS::Geo::Interconnect`` from its L2
                                   protocol data
=================================  ==========================================

Only the tooling imports this package (the ``tosca`` extra); the Heat
plugin never does.
"""
