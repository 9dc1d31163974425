#!/usr/bin/env bash
# Builds the UI and the desktop app with the UI embedded (debug profile, or $1 = release).
set -euo pipefail
cd "$(dirname "$0")/.."
profile="${1:-debug}"
(cd ui && npm run build --silent)
flags=(--features custom-protocol -p vardesk-desktop)
[ "$profile" = release ] && flags+=(--release)
cargo build "${flags[@]}"
# The command line beside it (the end-to-end tests prepare data files with it).
cli_flags=(-p vardesk-cli)
[ "$profile" = release ] && cli_flags+=(--release)
cargo build "${cli_flags[@]}"
