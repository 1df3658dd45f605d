# Sourced by the tools/ commands: set up .venv (tools/setup.sh), put it on
# PATH, choose the sandbox state dir and work from the repository root.
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
"$root/tools/setup.sh"
venv=${GEO_HEAT_VENV:-$root/.venv}
export PATH="$venv/bin:$PATH"
export GEO_HEAT_SANDBOX_DIR=${GEO_HEAT_SANDBOX_DIR:-$root/.geo-heat-sandbox}
cd "$root"

# Sandboxes to stop when this command exits: those it started.
stop_at_exit=()
trap 'for dir in "${stop_at_exit[@]}"; do GEO_HEAT_SANDBOX_DIR=$dir geo-heat-sandbox down; done' EXIT

# Stop the sandbox in state dir $1 at exit unless it is up already (for a
# sandbox this command's tests bring up).
stop_at_exit_unless_up() {
    if ! python -c 'import sys; import geo_heat_sandbox as sandbox; sys.exit(not sandbox.is_up(sys.argv[1]))' "$1"; then
        stop_at_exit+=("$1")
    fi
}

# Bring the sandbox up for this command; stop it at exit if it started here.
sandbox_up_for_this_run() {
    stop_at_exit_unless_up "$GEO_HEAT_SANDBOX_DIR"
    geo-heat-sandbox up
}
