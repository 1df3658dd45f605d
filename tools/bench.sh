#!/usr/bin/env bash
# Set up and run the benchmark (P1-P5 of README.rst "Benchmarks") against
# the sandbox, brought up here unless already running and stopped again if
# it was started here. Options go to python -m geo_heat_sandbox.bench
# (--quick, --runs N, --only P1..P6, --json PATH; default
# .benchmarks/latest.json).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
sandbox_up_for_this_run
python -m geo_heat_sandbox.bench "$@"
