#!/usr/bin/env bash
# Create .venv (or $GEO_HEAT_VENV) and install geo-heat with its test and
# tosca extras, and the sandbox distribution (sandbox/) with its Tacker
# extra. Re-running is cheap: it reinstalls only when setup.cfg, requirements.txt or a
# pyproject.toml changed.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
venv=${GEO_HEAT_VENV:-$root/.venv}
python=${PYTHON:-$(command -v python3.11 || command -v python3)}

if [ ! -x "$venv/bin/python" ]; then
    echo "setup: creating $venv with $python"
    "$python" -m venv "$venv"
fi
stamp="$venv/.geo-heat-installed"
want=$(cat "$root/setup.cfg" "$root/requirements.txt" "$root/pyproject.toml" \
    "$root/sandbox/pyproject.toml" | sha256sum | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    echo "setup: installing geo-heat[test,tosca] and geo-heat-sandbox[tacker] (about two minutes)"
    start=$(date +%s)
    "$venv/bin/pip" install -q --upgrade pip wheel
    "$venv/bin/pip" install -q -e "$root[test,tosca]" -e "$root/sandbox[tacker]"
    echo "$want" > "$stamp"
    echo "setup: installed in $(( $(date +%s) - start )) s"
fi
