# Sourced by the tools/ commands: set up .venv (tools/setup.sh), put it on
# PATH, choose the sandbox state dir and work from the repository root.
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
"$root/tools/setup.sh"
venv=${GEO_HEAT_VENV:-$root/.venv}
export PATH="$venv/bin:$PATH"
export GEO_HEAT_SANDBOX_DIR=${GEO_HEAT_SANDBOX_DIR:-$root/.geo-heat-sandbox}
cd "$root"

# Bring the sandbox up for this command; stop it at exit if it started here.
sandbox_up_for_this_run() {
    if ! python -c 'import sys; import geo_heat_sandbox as sandbox; sys.exit(not sandbox.is_up())'; then
        trap 'geo-heat-sandbox down' EXIT
    fi
    geo-heat-sandbox up
}
