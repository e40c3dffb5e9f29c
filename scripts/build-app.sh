#!/usr/bin/env bash
# build-app.sh — builds the Yew web app into target/app-dist/ (one of the
# parts scripts/build-web.sh assembles dist/ from, as dist/app/). The app
# loads the engine from the directory above it (../engine.js).
#
# The steps: esbuild bundles www/app/glue.js (CodeMirror and the engine
# wrapper) into glue.js, which the app's bindings import as ./glue.js;
# cargo builds the app (package `pyrace`, binary `pyrace-app`) for
# wasm32-unknown-unknown; wasm-bindgen writes its JS and module; a wasm-opt
# on PATH is tried on the module; scripts/app-page.mjs names the files by
# their hashes and writes the page and its start-up script.
#
# Needs: npm ci (esbuild, CodeMirror) and wasm-bindgen-cli equal to
# Cargo.lock's wasm-bindgen (scripts/install-app-tools.sh installs it).
# (Debian's binaryen 108 wasm-opt is too old to read the module; the app
# stays well under its size budget without.)
#
# usage: scripts/build-app.sh [--dev]
#   --dev   unoptimised, quick build
# The app's wasm builds in ~/.cache/pyrace-target-app (PYRACE_APP_TARGET_DIR)
# so it never waits on the engine's Cargo lock.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"

profile=release
case "${1:-}" in
  --dev) profile=debug ;;
  "") ;;
  *) echo "usage: $0 [--dev]" >&2; exit 2 ;;
esac
out=target/app-dist

scripts/install-app-tools.sh --check
if [ ! -x node_modules/.bin/esbuild ]; then
  echo "build-app.sh: node_modules missing: run npm ci" >&2
  exit 1
fi

rm -rf "$out"
mkdir -p "$out"
node_modules/.bin/esbuild www/app/glue.js --bundle --format=esm --minify --legal-comments=none \
  --log-level=warning --outfile="$out/glue.js"

export CARGO_TARGET_DIR="${PYRACE_APP_TARGET_DIR:-$HOME/.cache/pyrace-target-app}"
# The app is downloaded by every visitor: optimise for size. Scoped to this
# build (its own target directory), so the engine keeps its speed settings.
env CARGO_PROFILE_RELEASE_OPT_LEVEL=z \
  CARGO_PROFILE_RELEASE_LTO=fat \
  CARGO_PROFILE_RELEASE_CODEGEN_UNITS=1 \
  CARGO_PROFILE_RELEASE_PANIC=abort \
  cargo build $([ $profile = release ] && echo --release) \
    --target wasm32-unknown-unknown -p pyrace --bin pyrace-app

# Not in the shared target directory: another checkout's build may run at once.
bindgen="$(mktemp -d)"
trap 'rm -rf "$bindgen"' EXIT
wasm-bindgen --target web --no-typescript --out-dir "$bindgen" --out-name pyrace-app \
  "$CARGO_TARGET_DIR/wasm32-unknown-unknown/$profile/pyrace-app.wasm"

wasm="$bindgen/pyrace-app_bg.wasm"
if [ $profile = release ] && command -v wasm-opt >/dev/null; then
  # The features rustc's wasm32-unknown-unknown enables by default.
  if wasm-opt -Oz --enable-bulk-memory --enable-sign-ext --enable-mutable-globals \
      --enable-nontrapping-float-to-int --enable-multivalue --enable-reference-types \
      "$wasm" -o "$wasm.opt" 2>/dev/null; then
    mv "$wasm.opt" "$wasm"
  else
    rm -f "$wasm.opt"
    echo "build-app.sh: this wasm-opt cannot read $wasm (Debian 108 predates table.fill); kept as built" >&2
  fi
fi
node scripts/app-page.mjs --bindgen "$bindgen" --out "$out" $([ $profile = release ] && echo --minify)
