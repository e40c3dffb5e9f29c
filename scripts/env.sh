# Shared settings of pyrace's scripts; sourced, not run.
#
# Builds of RustPython take minutes: the Cargo target directory lives outside
# the checkout so that every clone on this machine (and CI) reuses it.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/pyrace-target}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export ROOT
# What the web builds derive from their outputs in minutes (the optimised
# engine module, brotli copies), kept by content hash while unchanged.
export PYRACE_WEB_CACHE="${PYRACE_WEB_CACHE:-$CARGO_TARGET_DIR/web-cache}"
