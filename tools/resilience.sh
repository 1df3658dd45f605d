#!/usr/bin/env bash
# The resilience suite alone: every scenario (faults, races, bad input, a
# side that never answers, failover, lost answers, a blackholed site),
# then the secrets scan last, so its log search covers every other
# scenario. Same environment as tools/test.sh, which also runs the suite
# (in any order).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
suite=tests.functional.resilience
"$root/tools/test.sh" --exclude-regex "$suite.test_secrets" "$suite"
"$root/tools/test.sh" "$suite.test_secrets"
