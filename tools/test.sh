#!/usr/bin/env bash
# Set up, lint and run every test: unit tests, and functional tests against the
# sandbox (brought up here unless already running, and stopped again if it
# was started here) and against a production-profile sandbox (likewise).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
echo "lint: ruff check"
ruff check --quiet .
# The production profile's tests (tests/functional/production) run on a
# sandbox of that profile beside the other, brought up at the same time
# (MariaDB and RabbitMQ installed from Debian's packages then); if it
# fails here, its tests try again and say why. Set
# GEO_HEAT_PRODUCTION_SANDBOX_DIR= (empty) to skip them.
export GEO_HEAT_PRODUCTION_SANDBOX_DIR=${GEO_HEAT_PRODUCTION_SANDBOX_DIR-$GEO_HEAT_SANDBOX_DIR-production}
if [ -n "$GEO_HEAT_PRODUCTION_SANDBOX_DIR" ]; then
    stop_at_exit_unless_up "$GEO_HEAT_PRODUCTION_SANDBOX_DIR"
    python -c '
import sys
import geo_heat_sandbox as sandbox
sandbox.ensure_production_beside(
    sys.argv[1], out=lambda line: print("production sandbox: " + line))
' "$GEO_HEAT_PRODUCTION_SANDBOX_DIR" &
    production_up=$!
fi
sandbox_up_for_this_run
if [ -n "${production_up:-}" ]; then
    wait "$production_up" || echo "production sandbox: not up"
fi
# A fresh clone's stestr has no durations to balance its workers by.
[ -d .stestr ] || python tools/test_times.py seed
status=0
# Four workers on two cores: functional tests mostly wait for the
# sandbox's services, so more workers fill the waits.
stestr run --concurrency "${GEO_HEAT_TEST_CONCURRENCY:-4}" "$@" || status=$?
# One plain closing line: "N passed, N failed, N skipped".
stestr last --subunit | subunit-stats --no-passthrough 2>/dev/null | python -c '
import re, sys
text = sys.stdin.read()
count = lambda what: int(re.search(what + r" tests:\s*(\d+)", text).group(1))
print("%d passed, %d failed, %d skipped" % (
    count("Passed"), count("Failed"), count("Skipped")))' || true
exit $status
