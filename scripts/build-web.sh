#!/usr/bin/env bash
# build-web.sh — builds the whole site into dist/, ready for the dev server
# or any static host (see docs/hosting.md). The one script that writes
# dist/: it builds the parts, assembles them in a new directory and puts it
# in place of dist/ only when all of it is there.
#
#   1. the browser engine: the `pyrace` binary compiled to wasm32-wasip1-threads
#      (or --wasm PATH), optimised (scripts/optimize-wasm.mjs), its manifest
#      (wasm-manifest.mjs), the bundled workers, the stdlib files it imports
#      on demand (stdlib-files.mjs), the host JS from www/ and the WASI shim
#      from node_modules (run `npm ci` first);
#   2. the CPython engine in pyodide/ and cpython/ (scripts/build-cpython.sh);
#   3. the web app in app/ (scripts/build-app.sh);
#   4. the site's pages: embed page, content security policy, the blog
#      script, the service worker stamped with the build's files
#      (scripts/site-pages.mjs);
#   5. gzip and brotli copies of everything worth compressing, which the dev
#      server (like a static host) sends to clients accepting them
#      (scripts/precompress.mjs).
#
# usage: scripts/build-web.sh [--fat-lto] [--wasm PATH] [--app-dev]
#   --fat-lto   link the engine with full LTO (smaller and a little faster, much slower to build)
#   --wasm PATH use an already built engine module instead of building one
#   --app-dev   build the app unoptimised (quick)
# PYRACE_WASM_LINK_MAP=FILE: the linker also writes its map of the module to
#   FILE, which scripts/wasm-map-sizes.mjs reads (each crate's code and data).
# The engine's wasm build has a target directory of its own, $CARGO_TARGET_DIR/wasm
# (PYRACE_WASM_TARGET_DIR overrides it): its RUSTC_BOOTSTRAP and flags change the
# fingerprints of the host crates (build scripts, proc macros) that a native build
# shares, so in one directory each build would recompile what the other built.
# What is slow to redo while its input is unchanged (the optimised engine
# module, the compressed copies) is kept in $PYRACE_WEB_CACHE by content hash.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"

lto=""
wasm=""
app_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --fat-lto) lto=fat ;;
    --wasm) wasm="$2"; shift ;;
    --app-dev) app_args=(--dev) ;;
    *) echo "usage: $0 [--fat-lto] [--wasm PATH] [--app-dev]" >&2; exit 2 ;;
  esac
  shift
done

if [ ! -d node_modules/@bjorn3/browser_wasi_shim ]; then
  echo "build-web.sh: node_modules missing: run npm ci" >&2
  exit 1
fi

if [ -z "$wasm" ]; then
  target_dir="${PYRACE_WASM_TARGET_DIR:-$CARGO_TARGET_DIR/wasm}"
  # RUSTC_BOOTSTRAP=1: parking_lot_core's `nightly` feature (engine/Cargo.toml,
  # wasi only) uses wasm atomics wait/notify, which are unstable in std::arch;
  # without it the engine panics "Parking not supported on this platform" at
  # the first contended lock. Scoped to this command only.
  # -zstack-size: RustPython recurses deeply (one Rust frame chain per Python
  # call); the default 1 MiB main stack overflows silently on wasm.
  env RUSTC_BOOTSTRAP=1 \
    RUSTFLAGS="-C link-arg=-zstack-size=8388608" \
    ${lto:+CARGO_PROFILE_RELEASE_LTO=$lto} \
    CARGO_TARGET_DIR="$target_dir" \
    cargo build --release -p pyrace-engine --bin pyrace --target wasm32-wasip1-threads
  wasm="$target_dir/wasm32-wasip1-threads/release/pyrace.wasm"
fi
scripts/build-app.sh "${app_args[@]}"

cache="$PYRACE_WEB_CACHE" # scripts/env.sh
site=target/dist.new
rm -rf "$site"
work="$(mktemp -d)"
trap 'rm -rf "$work" "$ROOT/$site"' EXIT
mkdir -p "$site/vendor/browser_wasi_shim"
cp www/*.js www/*.html www/*.css "$site/"
cp node_modules/@bjorn3/browser_wasi_shim/dist/*.js "$site/vendor/browser_wasi_shim/"
cp node_modules/@bjorn3/browser_wasi_shim/LICENSE* "$site/vendor/browser_wasi_shim/" 2>/dev/null || true
# Shipped without debug names, optimised (kept in the cache while the engine is unchanged).
node scripts/optimize-wasm.mjs "$wasm" "$work/pyrace.wasm" "$cache/wasm-opt"
node scripts/wasm-manifest.mjs "$site" "$work/pyrace.wasm"
node scripts/bundle-workers.mjs "$site"
node scripts/stdlib-files.mjs "$site"
scripts/build-cpython.sh "$site"
cp -r target/app-dist "$site/app"
node scripts/site-pages.mjs "$site"
node scripts/precompress.mjs --cache "$cache/precompressed" "$site"
for file in index.html app/index.html app/embed.html embed.js sw.js engine.json cpython/manifest.json; do
  if [ ! -f "$site/$file" ]; then
    echo "build-web.sh: $file is missing from the site" >&2
    exit 1
  fi
done
rm -rf dist
mv "$site" dist
echo "dist/ ready: $(du -sh dist | cut -f1), of which .gz and .br copies $(find dist \( -name '*.gz' -o -name '*.br' \) -printf '%s\n' | awk '{s+=$1} END {printf "%.1f MB", s/1e6}')"
echo "  the dev server: cargo run --release -p pyrace-devserver (http://127.0.0.1:8000/app/); any static host: copy dist/ (docs/hosting.md)"
