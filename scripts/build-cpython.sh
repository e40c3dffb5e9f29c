#!/usr/bin/env bash
# build-cpython.sh — puts the CPython engine into dist/ (build-web.sh runs
# it): Pyodide's runtime from node_modules/pyodide (pinned in package.json)
# in dist/pyodide/, pyrace's worker and Python (www/cpython/ and the
# reference harness that `pyrace compare --python` runs natively) in
# dist/cpython/, a manifest of the bytes the worker downloads (for its
# progress bar), and gzip copies for clients that accept gzip. None of it is
# fetched until a person turns CPython on.
set -euo pipefail
cd "$(dirname "$0")/.."

src=node_modules/pyodide
if [ ! -f "$src/pyodide.asm.wasm" ]; then
  echo "build-cpython.sh: $src missing: run npm ci" >&2
  exit 1
fi
rm -rf dist/pyodide dist/cpython
mkdir -p dist/pyodide dist/cpython
# The runtime only: the console pages, type declarations and source maps
# are for developers.
runtime=(pyodide.mjs pyodide.asm.mjs pyodide.asm.wasm python_stdlib.zip pyodide-lock.json package.json)
for file in "${runtime[@]}"; do cp "$src/$file" dist/pyodide/; done
cp www/cpython/*.js www/cpython/*.py engine/python/reference_harness.py dist/cpython/
# What the worker fetches through `fetch` (the .mjs files are imported).
bytes=$(stat -c %s dist/pyodide/pyodide.asm.wasm dist/pyodide/python_stdlib.zip dist/pyodide/pyodide-lock.json | awk '{s+=$1} END {print s}')
version=$(node -p "require('./$src/package.json').version")
printf '{"pyodide":"%s","bytes":%s}\n' "$version" "$bytes" > dist/cpython/manifest.json
find dist/pyodide dist/cpython -type f \( -name '*.wasm' -o -name '*.mjs' -o -name '*.js' -o -name '*.zip' -o -name '*.json' -o -name '*.py' \) -exec gzip -9 -k -f {} \;
echo "dist/pyodide + dist/cpython ready: Pyodide $version, $(find dist/pyodide dist/cpython -name '*.gz' -printf '%s\n' | awk '{s+=$1} END {printf "%.1f MB", s/1e6}') gzipped"
