#!/usr/bin/env bash
# Installs everything, then runs the whole test suite: formatting, lints, and
# the tests of every crate (unit tests and the engine's end-to-end tests of
# `Session` and the `pyrace` CLI).
set -euo pipefail
source "$(dirname "$0")/env.sh"
"$ROOT/scripts/install.sh"
cd "$ROOT"

cargo fmt --all -- --check
cargo clippy --workspace --all-targets -- -D warnings
cargo test --workspace
