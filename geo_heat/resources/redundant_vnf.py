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

"""OS::Geo::RedundantVNF: one VNF placed on an active and a standby site."""

import functools
import json

from heat.common import exception
from heat.common.i18n import _
from heat.engine import attributes
from heat.engine import constraints
from heat.engine import properties
from heat.engine.resources import signal_responder
from heat.engine import support
from oslo_config import cfg

from geo_heat.resources import driver
from geo_heat.resources import redundant_vnf_ports_mixin as ports_mixin
from geo_heat.resources import redundant_vnf_sites_mixin as sites_mixin
from geo_heat.resources import redundant_vnf_status_mixin as status_mixin
from geo_heat.resources import (
    redundant_vnf_validation_mixin as validation_mixin)
from geo_heat.resources import redundant_vnf_witness_mixin as witness_mixin
from geo_heat.vnf import deploy
from geo_heat.vnf import plan
from geo_heat.vnf import witness

CONF = cfg.CONF


class GeoRedundantVNF(validation_mixin.ValidationMixin,
                      sites_mixin.SitesMixin, ports_mixin.PortsMixin,
                      witness_mixin.WitnessMixin, status_mixin.StatusMixin,
                      signal_responder.SignalResponder):
    """A VNF on two sites, active and standby, joined by links.

    The instance template (a HOT template, usually read with get_file) is
    instantiated at each site as a stack in that site's own Heat, in the
    project that owns the VNF there: the stack's own cloud in any region
    with the stack's credentials, a Barbican credential's cloud with those
    credentials, a named cloud with the operator's credentials re-scoped to
    the project [geo_heat] cloud_projects maps the stack's project to. Each
    instance gets its role, the mode, the configuration, its image, flavor
    and availability zone, and on each link a port reserved with a fixed
    address from that side's range, plus the peer's address; an instance
    template declares the parameters it uses (role, epoch, mode,
    configuration, image, flavor, availability_zone, port, network,
    address, peer_address, ports, addresses, peer_addresses, and to signal
    the VNF site, signal_url and signal_credentials, which must be hidden)
    and outputs server_id and address.

    Hot and warm: both instances run, and a configuration change (or one
    the active instance reports by signal) updates the standby in place.
    Cold: the standby site holds only its reserved ports; the last
    configuration the active instance reported (else the template's) is
    what its instance starts with when it becomes active. Swapping
    active_endpoint and standby_endpoint is a switchover: the old active
    instance is demoted first, then the new one promoted with a higher
    epoch, and the links stay. If the old active site does not answer
    (failover), the update still completes and that site owes its fencing:
    once it answers (the next check or update), its instance's ports go
    down, it is demoted, and its ports come back. A new site for one of
    the two moves the VNF there in place. With failover automatic, geo-heat
    is the witness: a peer-lost or site-lost signal promotes the standby
    once geo-heat itself finds the active instance gone for
    failover_after seconds.
    """

    support_status = support.SupportStatus(version='2026.2')

    entity = None
    default_client_name = 'geo_site'

    PROPERTIES = (
        ACTIVE_ENDPOINT, STANDBY_ENDPOINT, LINKS, INSTANCE_TEMPLATE, MODE,
        CONFIGURATION, IMAGE, FLAVOR, SITE_IMAGES, SITE_FLAVORS, PARAMETERS,
        ADDRESS_INDEX, PURGE_POLICY, FAILOVER, FAILOVER_AFTER, FAILBACK,
        FORCE_SWITCHOVER,
    ) = (
        'active_endpoint', 'standby_endpoint', 'links', 'instance_template',
        'mode', 'configuration', 'image', 'flavor', 'site_images',
        'site_flavors', 'parameters', 'address_index', 'purge_policy',
        'failover', 'failover_after', 'failback', 'force_switchover',
    )

    ATTRIBUTES = (
        ACTIVE, STANDBY, MODE_ATTR, ACTIVE_SITE, STANDBY_SITE, DEGRADED,
        STATUS, SIGNAL_URL, FAILOVER_ATTR,
    ) = (
        'active', 'standby', 'mode', 'active_site', 'standby_site',
        'degraded', 'status', 'signal_url', 'failover',
    )

    properties_schema = {
        ACTIVE_ENDPOINT: properties.Schema(
            properties.Schema.STRING,
            _('Site of the active instance: an OS::Geo::Endpoint of this '
              'stack (get_resource). Swapping it with standby_endpoint is '
              'a switchover.'),
            required=True, update_allowed=True),
        STANDBY_ENDPOINT: properties.Schema(
            properties.Schema.STRING,
            _('Site of the standby instance: an OS::Geo::Endpoint of this '
              'stack (get_resource). Another pair of sites replaces the '
              'VNF.'),
            required=True, update_allowed=True),
        LINKS: properties.Schema(
            properties.Schema.LIST,
            _('OS::Geo::Interconnect resources of this stack between the '
              'two sites (get_resource) that both instances plug into, the '
              'first one being the parameters network, port, address and '
              'peer_address. Adding, removing or replacing a link updates '
              'the instances in place: each site reserves its address on '
              'the new link, and releases the one on a link left.'),
            required=True, update_allowed=True,
            constraints=[constraints.Length(min=1)],
            schema=properties.Schema(properties.Schema.STRING)),
        INSTANCE_TEMPLATE: properties.Schema(
            properties.Schema.STRING,
            _('HOT template of one instance (get_file), instantiated at '
              'each site. A change updates the running instances in '
              'place.'),
            required=True, update_allowed=True),
        MODE: properties.Schema(
            properties.Schema.STRING,
            _('What the standby site runs: hot and warm, an instance '
              '(state resp. configuration synchronised by the VNF); cold, '
              'nothing but its reserved ports.'),
            default=plan.WARM, update_allowed=True,
            constraints=[constraints.AllowedValues(plan.MODES)]),
        CONFIGURATION: properties.Schema(
            properties.Schema.STRING,
            _('Configuration of the VNF, the instance parameter '
              '"configuration": updated in place on every running instance, '
              'and what a cold standby starts with when activated.'),
            default='', update_allowed=True),
        IMAGE: properties.Schema(
            properties.Schema.STRING,
            _('Image name of the instances, unless site_images names '
              'another one for a site.'),
            default='cirros', update_allowed=True),
        FLAVOR: properties.Schema(
            properties.Schema.STRING,
            _('Flavor name of the instances, unless site_flavors names '
              'another one for a site.'),
            default='m1.tiny', update_allowed=True),
        SITE_IMAGES: properties.Schema(
            properties.Schema.MAP,
            _('Image name per site, keyed by the name of the site\'s '
              'OS::Geo::Endpoint resource in this template.'),
            default={}, update_allowed=True),
        SITE_FLAVORS: properties.Schema(
            properties.Schema.MAP,
            _('Flavor name per site, keyed by the name of the site\'s '
              'OS::Geo::Endpoint resource in this template.'),
            default={}, update_allowed=True),
        PARAMETERS: properties.Schema(
            properties.Schema.MAP,
            _('Further parameters of the instance template, the same at '
              'both sites.'),
            default={}, update_allowed=True),
        ADDRESS_INDEX: properties.Schema(
            properties.Schema.INTEGER,
            _('Which address of each side\'s range the instance takes on '
              'every link: the first one is 0. On a link whose two sites '
              'share one network (two cells) the VNF takes the addresses '
              '2*index and 2*index+1. Give VNFs on the same links '
              'different indexes.'),
            default=0, constraints=[constraints.Range(min=0)]),
        PURGE_POLICY: properties.Schema(
            properties.Schema.STRING,
            _('Cold mode: what a switchover does with the former active '
              'instance, delete it or suspend it (kept for a switch back).'),
            default=plan.PURGE_DELETE, update_allowed=True,
            constraints=[constraints.AllowedValues(plan.PURGE_POLICIES)]),
        FAILOVER: properties.Schema(
            properties.Schema.STRING,
            _('Who fails over: manual, a stack update; automatic, geo-heat '
              'as the witness, when a signal (peer-lost, site-lost) reports '
              'the active instance gone and geo-heat confirms it itself '
              'for failover_after seconds.'),
            default=witness.MANUAL, update_allowed=True,
            constraints=[constraints.AllowedValues(
                witness.FAILOVER_POLICIES)]),
        FAILOVER_AFTER: properties.Schema(
            properties.Schema.INTEGER,
            _('Seconds geo-heat must see the active instance gone (its '
              'site silent, or its server not ACTIVE) before an automatic '
              'failover.'),
            default=5, update_allowed=True,
            constraints=[constraints.Range(min=0, max=3600)]),
        FAILBACK: properties.Schema(
            properties.Schema.STRING,
            _('After a failover or a switchover by signal, the active '
              'instance stays where it is until active_endpoint changes '
              '(manual), or the next update brings it back to '
              'active_endpoint (automatic).'),
            default=witness.MANUAL, update_allowed=True,
            constraints=[constraints.AllowedValues(
                witness.FAILOVER_POLICIES)]),
        FORCE_SWITCHOVER: properties.Schema(
            properties.Schema.BOOLEAN,
            _('Hot mode: switch over even to a standby whose last sync '
              'signal said it is not in sync.'),
            default=False, update_allowed=True),
    }

    attributes_schema = {
        ACTIVE: attributes.Schema(
            _('The active instance: site, endpoint, stack_id, server_id and '
              'address (the instance template\'s outputs), link_addresses.'),
            type=attributes.Schema.MAP,
            cache_mode=attributes.Schema.CACHE_NONE),
        STANDBY: attributes.Schema(
            _('The standby instance, as the active one (no stack_id nor '
              'server_id for a cold standby).'),
            type=attributes.Schema.MAP,
            cache_mode=attributes.Schema.CACHE_NONE),
        MODE_ATTR: attributes.Schema(
            _('Current standby mode.'), type=attributes.Schema.STRING),
        ACTIVE_SITE: attributes.Schema(
            _('Where the active instance runs.'),
            type=attributes.Schema.STRING,
            cache_mode=attributes.Schema.CACHE_NONE),
        STANDBY_SITE: attributes.Schema(
            _('Where the standby instance is.'),
            type=attributes.Schema.STRING,
            cache_mode=attributes.Schema.CACHE_NONE),
        DEGRADED: attributes.Schema(
            _('Sites that still owe an action (a failover left them '
              'unreachable), with the reason.'),
            type=attributes.Schema.MAP,
            cache_mode=attributes.Schema.CACHE_NONE),
        STATUS: attributes.Schema(
            _('ACTIVE when each site\'s instance stack and its server '
              '(the instance template\'s server_id output) are as its role '
              'and mode want; otherwise what is wrong, site by site. Read '
              'live.'),
            type=attributes.Schema.STRING,
            cache_mode=attributes.Schema.CACHE_NONE),
        SIGNAL_URL: attributes.Schema(
            _('Heat\'s signal URL of this resource, for a monitor (an Aodh '
              'alarm action trust+URL, or a relay of Alertmanager\'s '
              'webhook) to report a lost site with a token of the '
              'stack\'s project.'),
            type=attributes.Schema.STRING),
        FAILOVER_ATTR: attributes.Schema(
            _('Who fails over: manual or automatic (geo-heat-watcher '
              'watches the automatic ones).'),
            type=attributes.Schema.STRING),
    }

    # -- operations -----------------------------------------------------------

    def _operation(self, steps, records, roles, release=False):
        """The steps of an operation, then (with `release`) the release of
        the ports no site needs any more, with the roles to record when it
        is over."""
        run = deploy.run(steps, records, self._stacks_of(records),
                         lambda: self._save(records),
                         functools.partial(self._fence, records),
                         self._lost(records))
        return driver.Operation(
            run, finish=functools.partial(self._finish, roles, release),
            refused=(deploy.SiteError,))

    def _finish(self, roles, release):
        """Once an operation is over: (with `release`) release the ports
        no site needs any more, and record the roles it brought the sites
        to."""
        if release:
            self._release_ports(set(roles.values()))
        if roles:
            self.data_set('roles', json.dumps(roles))

    # -- lifecycle ------------------------------------------------------------

    def handle_create(self):
        """The create steps, run by check_create_complete (the driver's
        policy); a VNF whose create failed, which this one replaces, is
        removed first: it may run an active instance, and its ports hold
        this one's addresses."""
        return driver.Operation(self._create_steps(),
                                refused=(deploy.SiteError,))

    def _create_steps(self):
        with driver.unfinished_predecessors(self) as predecessors:
            for predecessor in predecessors:
                yield from driver.steps_of(predecessor.handle_delete())
        self._reserve(self.properties)
        self.resource_id_set(self.physical_resource_name())
        self.data_set('epoch', '1')
        records = self._records()
        roles = self._wanted_roles(self.properties, records)
        steps = plan.steps(self._targets(self.properties, records, 1, roles),
                           records)
        yield from driver.steps_of(self._operation(steps, records, roles))

    def check_create_complete(self, progress):
        return driver.drive(progress)

    # A check that found a site down (a failover) or a failed update leaves
    # instances and reserved addresses that the next update repairs in
    # place; a replacement would need the same addresses.
    always_replace_on_check_failed = False

    def needs_replace_failed(self):
        """A failed create serves nothing (and an update that leaves the
        template as it is would only mark it complete): where Heat
        converges, it is replaced, its replacement removing it first.
        Heat's legacy engine would create the replacement before the
        failed one goes, on the addresses that one holds."""
        return ((self.action == self.CREATE and self.stack.convergence) or
                not self._records())

    def needs_replace_with_prop_diff(self, changed_properties_set,
                                     after_props, before_props):
        """Two new sites replace the VNF; where one of them is a site of
        the VNF already, the other moves in place."""
        records = self._records()
        return all(self._key_of(records, after_props[prop]) is None
                   for prop in (self.ACTIVE_ENDPOINT, self.STANDBY_ENDPOINT))

    def handle_update(self, json_snippet, tmpl_diff, prop_diff):
        """Bring both sites to the new properties: a new active site is a
        switchover (or a failover where the former one does not answer),
        a new site is a move, and a site left goes."""
        after = json_snippet.properties(self.properties_schema, self.context)
        if after[self.CONFIGURATION] != self.properties[self.CONFIGURATION]:
            # A new configuration from the template replaces what the
            # active instance reported.
            self.data_delete('reported_configuration')
        self._reserve(after)
        records = self._records()
        roles = self._wanted_roles(after, records)
        return self._promotion(after, records, roles, forced=after[
            self.FORCE_SWITCHOVER], release=True)

    def check_update_complete(self, progress):
        return driver.drive(progress)

    def handle_check(self):
        """Read each site, and report what is wrong; change nothing, but
        fence: an instance a failover could not reach may still act as the
        active one, so where its site answers again it is fenced, demoted
        and unfenced as the standby it now is."""
        records = self._records()
        roles = self._roles()
        owed = {key for key, record in records.items() if record.fence}
        targets = [target for target in self._targets(
            self.properties, records, self._epoch(), roles)
            if target.key in owed]
        return self._operation([plan.Step(target, plan.FENCE)
                                for target in targets], records, roles)

    def check_check_complete(self, progress):
        if not driver.drive(progress):
            return False
        problems = self._problems()
        if problems:
            raise exception.Error('; '.join(problems))
        return True

    def handle_delete(self):
        records = self._records()
        steps = deploy.remove(records, self._stacks_of(records),
                              lambda: self._save(records),
                              self._lost(records))
        return driver.Operation(steps, finish=self._release_all,
                                refused=(deploy.SiteError,))

    def check_delete_complete(self, progress):
        return driver.drive(progress)

    def _release_all(self):
        """Once the instances are gone: the ports, and the stack user the
        instances signalled with, if they had one."""
        self._release_ports(keep=())
        signal_responder.SignalResponder.handle_delete(self)


def resource_mapping():
    return {'OS::Geo::RedundantVNF': GeoRedundantVNF}
