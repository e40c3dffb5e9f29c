#!/usr/bin/env bash
# Installs the tool that builds the web app beyond cargo and npm's esbuild:
# wasm-bindgen-cli at exactly the wasm-bindgen version in Cargo.lock (its JS
# and the app's module must come from the same version), from crates.io.
# Skips it when it is there.
#
# usage: scripts/install-app-tools.sh [--check]
#   --check  only say whether the right wasm-bindgen is installed (exit 1 if not)
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"

bindgen=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
if wasm-bindgen --version 2>/dev/null | grep -q " $bindgen\$"; then exit 0; fi
if [ "${1:-}" = --check ]; then
  echo "wasm-bindgen $bindgen (Cargo.lock's) is not installed ($(wasm-bindgen --version 2>/dev/null || echo none found)): run scripts/install-app-tools.sh" >&2
  exit 1
fi
# Installs build in a temporary directory of their own, not the project's target.
unset CARGO_TARGET_DIR
# --locked fails on a yanked dependency of some wasm-bindgen-cli releases.
cargo install wasm-bindgen-cli --version "=$bindgen" --locked ||
  cargo install wasm-bindgen-cli --version "=$bindgen"
