#!/usr/bin/env bash
# The resilience suite alone (R1 faults, R2 races, R3 bad input), then R4
# (secrets) last, so its log search covers every other scenario. Same
# environment as tools/test.sh, which also runs the suite (in any order).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
suite=tests.functional.resilience
"$root/tools/test.sh" "$suite.test_faults|$suite.test_races|$suite.test_bad_input"
"$root/tools/test.sh" "$suite.test_secrets"
