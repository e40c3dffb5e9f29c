#!/usr/bin/env bash
# build-web.sh — builds the browser engine (the `pyrace` binary compiled to
# wasm32-wasip1-threads) and assembles dist/: the host JS from www/, the WASI
# shim from node_modules (run `npm ci` first), the engine module, its
# manifest, the stdlib files it imports on demand, the CPython engine (build-cpython.sh), and gzip and brotli copies
# (scripts/precompress.mjs) that the dev server sends to clients accepting them.
#
# usage: scripts/build-web.sh [--fat-lto] [--wasm PATH]
#   --fat-lto   link with full LTO (smaller and a little faster, much slower to build)
#   --wasm PATH use an already built engine module instead of building one
# PYRACE_WASM_LINK_MAP=FILE: the linker also writes its map of the module to
#   FILE, which scripts/wasm-map-sizes.mjs reads (each crate's code and data).
# The engine's wasm build has a target directory of its own, $CARGO_TARGET_DIR/wasm
# (PYRACE_WASM_TARGET_DIR overrides it): its RUSTC_BOOTSTRAP and flags change the
# fingerprints of the host crates (build scripts, proc macros) that a native build
# shares, so in one directory each build would recompile what the other built.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"

lto=""
wasm=""
while [ $# -gt 0 ]; do
  case "$1" in
    --fat-lto) lto=fat ;;
    --wasm) wasm="$2"; shift ;;
    *) echo "usage: $0 [--fat-lto] [--wasm PATH]" >&2; exit 2 ;;
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

cache="$PYRACE_WEB_CACHE" # scripts/env.sh
rm -rf dist
mkdir -p dist/vendor/browser_wasi_shim
cp www/*.js www/*.html www/*.css dist/
cp node_modules/@bjorn3/browser_wasi_shim/dist/*.js dist/vendor/browser_wasi_shim/
cp node_modules/@bjorn3/browser_wasi_shim/LICENSE* dist/vendor/browser_wasi_shim/ 2>/dev/null || true
# Shipped without debug names, optimised (kept in the cache while the engine is unchanged).
shipped="$(mktemp -d)"
trap 'rm -rf "$shipped"' EXIT
node scripts/optimize-wasm.mjs "$wasm" "$shipped/pyrace.wasm" "$cache/wasm-opt"
node scripts/wasm-manifest.mjs dist "$shipped/pyrace.wasm"
node scripts/bundle-workers.mjs dist
node scripts/stdlib-files.mjs dist
scripts/build-cpython.sh
# The web app (scripts/build-app.sh) lives in dist/app/: put the last build back.
if [ -d target/app-dist ]; then scripts/build-app.sh --copy-only; else node scripts/site-pages.mjs dist; fi
node scripts/precompress.mjs --cache "$cache/precompressed" dist
echo "dist/ ready: $(du -sh dist | cut -f1)"
