#!/usr/bin/env bash
# build-site.sh — builds the whole site into dist/, ready for any static host
# (see docs/hosting.md): the engine (build-web.sh), the app and its embed
# page (build-app.sh), the front page, the blog script embed.js, and the
# service worker that supplies cross-origin isolation and offline use.
#
# usage: scripts/build-site.sh [--wasm PATH] [--fat-lto]
#   options are build-web.sh's; --wasm PATH reuses an engine built before.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"

scripts/build-web.sh "$@"
scripts/build-app.sh
for file in index.html app/index.html app/embed.html embed.js sw.js engine.json; do
  if [ ! -f "dist/$file" ]; then
    echo "build-site.sh: dist/$file is missing" >&2
    exit 1
  fi
done
echo "site ready in dist/ ($(du -sh dist | cut -f1), of which .gz and .br copies $(find dist \( -name '*.gz' -o -name '*.br' \) -printf '%s\n' | awk '{s+=$1} END {printf "%.1f MB", s/1e6}')):"
echo "  copy it to any static host; the playground is at app/, embeds at app/embed.html, the blog script is embed.js."
