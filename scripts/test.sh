#!/usr/bin/env bash
# Installs everything, then runs the whole test suite: formatting and lints
# (and TypeScript's check of the browser JavaScript, npm run check:js);
# the tests of every crate (the model, the engine's Session, CLI, timing,
# GIL mode, processes and lessons, the app's state); then the browser build
# and its end-to-end tests in headless Chromium (the engine host, the
# playground app, and the site: static hosting, offline, embeds), and the
# MkDocs and Sphinx integrations (integrations/python/, pip-installed with
# pinned MkDocs and Sphinx into a virtual environment the test makes).
set -euo pipefail
source "$(dirname "$0")/env.sh"
"$ROOT/scripts/install.sh"
"$ROOT/scripts/install-app-tools.sh"
cd "$ROOT"

npm run --silent test:unit
cargo fmt --all -- --check
cargo clippy --workspace --all-targets -- -D warnings
npm run --silent check:js
cargo test --workspace

scripts/build-web.sh
npm run --silent test:browser
npm run --silent test:app
npm run --silent test:site
npm run --silent test:writers
