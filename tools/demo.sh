#!/usr/bin/env bash
# The main job: set up, bring the sandbox up, create the georedundant stack
# of templates/georedundant-regions.yaml across RegionOne and RegionTwo with
# `openstack stack create`, and print what was built on each side.
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
echo "demo: openstack stack create --wait -t templates/georedundant-regions.yaml $stack"
start=$(date +%s%N)
openstack stack create --wait -t "$root/templates/georedundant-regions.yaml" "$stack" \
    -c stack_name -c stack_status -f value
echo "demo: stack created in $(( ($(date +%s%N) - start) / 1000000 )) ms (with the CLI's start and its 5 s polling)"
python "$root/tools/show_link.py" "$stack"
echo "demo: the sandbox keeps running; 'geo-heat-sandbox down' (with GEO_HEAT_SANDBOX_DIR=$GEO_HEAT_SANDBOX_DIR) stops it"
