# Shared settings of pyrace's scripts; sourced, not run.
#
# Builds of RustPython take minutes: the Cargo target directory lives outside
# the checkout so that every clone on this machine (and CI) reuses it.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/pyrace-target}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export ROOT
