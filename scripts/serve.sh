#!/usr/bin/env bash
# Installs everything, builds the engine and the web app into dist/, and
# serves the playground at http://127.0.0.1:8000/app/ with the headers that
# make it cross-origin isolated (real threads). PORT overrides the port.
set -euo pipefail
source "$(dirname "$0")/env.sh"
"$ROOT/scripts/install.sh"
"$ROOT/scripts/install-app-tools.sh"
cd "$ROOT"

scripts/build-web.sh
cargo build --quiet --release -p pyrace-devserver
port="${PORT:-8000}"
echo "pyrace: the playground is at http://127.0.0.1:$port/app/ (Ctrl-C stops the server)"
exec "$CARGO_TARGET_DIR/release/pyrace-devserver" --dir dist --port "$port"
