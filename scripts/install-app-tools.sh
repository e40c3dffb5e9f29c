#!/usr/bin/env bash
# Installs the tools that build the web app, from crates.io: Trunk 0.22 and
# wasm-bindgen-cli at exactly the wasm-bindgen version in Cargo.lock (Trunk
# is told to use it and never to download tools). Skips what is there.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"

bindgen=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
# Installs build in a temporary directory of their own, not the project's target.
unset CARGO_TARGET_DIR
if ! wasm-bindgen --version 2>/dev/null | grep -q " $bindgen\$"; then
  # --locked fails on a yanked dependency of some wasm-bindgen-cli releases.
  cargo install wasm-bindgen-cli --version "=$bindgen" --locked ||
    cargo install wasm-bindgen-cli --version "=$bindgen"
fi
if ! trunk --version 2>/dev/null | grep -q '^trunk 0\.22\.'; then
  cargo install trunk --version '~0.22' --locked
fi
