#!/usr/bin/env bash
# build-app.sh — builds the Yew web app and puts it in dist/app/, beside the
# engine files that scripts/build-web.sh assembles in dist/. The app loads
# the engine from the directory above it (../engine.js).
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
# usage: scripts/build-app.sh [--dev | --copy-only]
#   --dev        unoptimised, quick build
#   --copy-only  only copy the last build into dist/app (after build-web.sh)
# The app's wasm builds in ~/.cache/pyrace-target-app (PYRACE_APP_TARGET_DIR)
# so it never waits on the engine's Cargo lock.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"

profile=release
copy_only=""
case "${1:-}" in
  --dev) profile=debug ;;
  --copy-only) copy_only=1 ;;
  "") ;;
  *) echo "usage: $0 [--dev | --copy-only]" >&2; exit 2 ;;
esac
out=target/app-dist

if [ -z "$copy_only" ]; then
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

  bindgen="$CARGO_TARGET_DIR/wasm-bindgen/$profile"
  rm -rf "$bindgen"
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
fi

if [ ! -f "$out/index.html" ]; then
  echo "build-app.sh: no app build in $out: run scripts/build-app.sh" >&2
  exit 1
fi
mkdir -p dist
rm -rf dist/app
cp -r "$out" dist/app
# The embed page, the policy, the blog script and the service worker's list
# of files (see the script).
node scripts/site-pages.mjs dist
# The dev server (like a static host) sends X.br / X.gz to clients accepting them.
# (site-pages.mjs rewrote pages in dist/ too: their copies are redone.)
echo "dist/ with the app: $(node scripts/precompress.mjs --cache "$PYRACE_WEB_CACHE/precompressed" dist)"
