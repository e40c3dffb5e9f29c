#!/usr/bin/env bash
# build-cpython.sh — puts the CPython engine into a site directory (one of
# the parts scripts/build-web.sh assembles dist/ from): Pyodide's runtime
# from node_modules/pyodide (pinned in package.json) in OUT/pyodide/,
# pyrace's worker and Python (www/cpython/, the reference harness that
# `pyrace compare --python` runs natively and the profiler both engines run) in OUT/cpython/, and a manifest
# of the bytes the worker downloads (for its progress bar). None of it is
# fetched until a person turns CPython on.
#
# usage: scripts/build-cpython.sh OUT
set -euo pipefail
cd "$(dirname "$0")/.."

out="${1:?usage: $0 OUT}"
src=node_modules/pyodide
if [ ! -f "$src/pyodide.asm.wasm" ]; then
  echo "build-cpython.sh: $src missing: run npm ci" >&2
  exit 1
fi
rm -rf "$out/pyodide" "$out/cpython"
mkdir -p "$out/pyodide" "$out/cpython"
# The runtime only: the console pages, type declarations and source maps
# are for developers.
runtime=(pyodide.mjs pyodide.asm.mjs pyodide.asm.wasm python_stdlib.zip pyodide-lock.json package.json)
for file in "${runtime[@]}"; do cp "$src/$file" "$out/pyodide/"; done
cp www/cpython/*.js www/cpython/*.py engine/python/reference_harness.py engine/python/pyrace_profiler.py "$out/cpython/"
# What the worker fetches through `fetch` (the .mjs files are imported).
bytes=$(stat -c %s "$out/pyodide/pyodide.asm.wasm" "$out/pyodide/python_stdlib.zip" "$out/pyodide/pyodide-lock.json" | awk '{s+=$1} END {print s}')
version=$(node -p "require('./$src/package.json').version")
printf '{"pyodide":"%s","bytes":%s}\n' "$version" "$bytes" > "$out/cpython/manifest.json"
echo "CPython engine: Pyodide $version, $(du -sh "$out/pyodide" | cut -f1)"
