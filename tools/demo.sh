#!/usr/bin/env bash
# The main job: set up, bring the sandbox up, deploy a warm-standby VNF
# across RegionOne and RegionTwo (templates/georedundant-vnf-regions.yaml)
# with `openstack stack create` as a tenant, and print each side's server,
# its host and zone, its address on the link, and the link's segmentation
# ID and MTU, read from each side.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
# The openstack CLI loads every installed client plugin; one of them
# (blazarclient) complains on each start. Keep that noise out of the demo.
openstack() { command openstack "$@" 2> >(grep -v "Could not load 'reservation_" >&2); }

geo-heat-sandbox up
# As a tenant: a member of project geo-tenant, not an admin.
export OS_CLIENT_CONFIG_FILE="$GEO_HEAT_SANDBOX_DIR/clouds.yaml" OS_CLOUD=tenant
stack=${GEO_HEAT_DEMO_STACK:-geo-demo}
if openstack stack show "$stack" >/dev/null 2>&1; then
    echo "demo: deleting the previous $stack stack"
    openstack stack delete --yes --wait "$stack" >/dev/null
fi
echo "demo: openstack stack create --wait -t templates/georedundant-vnf-regions.yaml --parameter mode=warm $stack"
start=$(date +%s%N)
openstack stack create --wait -t "$root/templates/georedundant-vnf-regions.yaml" \
    --parameter mode=warm "$stack" -c stack_name -c stack_status -f value
echo "demo: stack created in $(( ($(date +%s%N) - start) / 1000000 )) ms (with the CLI's start and its 5 s polling)"
python "$root/tools/show_link.py" "$stack"
echo "demo: the sandbox keeps running; 'geo-heat-sandbox down' (with GEO_HEAT_SANDBOX_DIR=$GEO_HEAT_SANDBOX_DIR) stops it"
