#!/usr/bin/env bash
# Installs everything pyrace needs to build, serve and test: the pinned Rust
# toolchain with its wasm targets, Debian's Chromium for browser tests, and
# the npm packages. Safe to run again; it skips what is already there.
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
    if [ ! -x /usr/bin/chromium ]; then
        if [ "$(id -u)" = 0 ]; then
            apt-get update -qq && apt-get install -y -qq chromium >/dev/null
        else
            sudo apt-get update -qq && sudo apt-get install -y -qq chromium >/dev/null
        fi
    fi
    npm ci --no-audit --no-fund --loglevel=error
fi
