#!/usr/bin/env bash
# Builds the Linux package: the UI, then `tauri build --bundles deb` (the app in release
# with the UI embedded) with the Tauri CLI from npm. Prints the .deb's path.
set -euo pipefail
cd "$(dirname "$0")/.."
(cd ui && npm run build --silent) >&2
ui/node_modules/.bin/tauri build --bundles deb --ci >&2
ls target/release/bundle/deb/*.deb
