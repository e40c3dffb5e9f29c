#!/usr/bin/env bash
# Installs everything pyrace needs to build, serve and test: the pinned Rust
# toolchain with its wasm targets, Debian's Chromium for browser tests, and
# the npm packages, and Python's venv module (the writers' tests make a
# virtual environment for the MkDocs and Sphinx integrations). Safe to run
# again; it skips what is already there.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"

# rust-toolchain.toml names the toolchain; these machines do not auto-install it.
if ! command -v rustup >/dev/null; then
    echo "pyrace: rustup is required (https://rustup.rs)" >&2
    exit 1
fi
rustup toolchain install --no-self-update

if [ -f package.json ]; then
    debian=()
    [ -x /usr/bin/chromium ] || debian+=(chromium)
    # Debian's python3 leaves venv (and its pip) to a package of its own.
    python3 -c 'import ensurepip, venv' 2>/dev/null || debian+=(python3-venv)
    if [ ${#debian[@]} -gt 0 ]; then
        sudo=()
        [ "$(id -u)" = 0 ] || sudo=(sudo)
        "${sudo[@]}" apt-get update -qq && "${sudo[@]}" apt-get install -y -qq "${debian[@]}" >/dev/null
    fi
    npm ci --no-audit --no-fund --loglevel=error
fi
