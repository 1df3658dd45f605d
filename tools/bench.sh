#!/usr/bin/env bash
# Set up and run the benchmark (P1-P4 of README.rst "Benchmarks") against
# the sandbox, brought up here unless already running and stopped again if
# it was started here. Options go to python -m geo_heat.sandbox.bench
# (--quick, --runs N, --json PATH; default .benchmarks/latest.json).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
"$root/tools/setup.sh"
venv=${GEO_HEAT_VENV:-$root/.venv}
export PATH="$venv/bin:$PATH"
export GEO_HEAT_SANDBOX_DIR=${GEO_HEAT_SANDBOX_DIR:-$root/.geo-heat-sandbox}
cd "$root"

if ! python -c 'import sys; from geo_heat import sandbox; sys.exit(not sandbox.is_up())'; then
    trap 'geo-heat-sandbox down' EXIT
fi
geo-heat-sandbox up
python -m geo_heat.sandbox.bench "$@"
