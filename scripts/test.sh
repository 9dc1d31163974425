#!/usr/bin/env bash
# One command: install what is missing, then run every test — format and lint, unit,
# fixtures, property and CLI tests, the UI's type check and unit tests, bounded fuzzing of
# the parsers, the end-to-end tests through the real window under Xvfb, and the .deb
# installed and started.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
# A fresh clone gains nothing from incremental caches; they were half of a cold run's disk.
if [ "${CI:-}" = true ]; then export CARGO_INCREMENTAL=0; fi
step() { printf '\n==> %s  [%d:%02d]\n' "$*" $((SECONDS / 60)) $((SECONDS % 60)); }

step "setup"
bash scripts/setup-debian.sh test

step "UI: type check, unit tests, build (the app embeds ui/dist)"
(cd ui && npm run typecheck --silent && npm test --silent && npm run build --silent)

step "packaging: icons from icons/icon.svg, licences list, release workflow lint"
bash scripts/icons.sh --check
node scripts/licences.mjs --check
node scripts/lint-workflows.mjs

step "rustfmt"
cargo fmt --all -- --check
step "clippy"
cargo clippy --workspace --all-targets -- -D warnings

step "CUPS with the cups-pdf virtual printer (print tests)"
VARDESK_PRINT_OUT="$(bash scripts/setup-cups-pdf.sh)"
export VARDESK_PRINT_OUT VARDESK_PRINTER=CIPDF

step "Rust tests: unit, every fixture, properties, CLI, printing"
cargo test --workspace

step "fuzzing the file and amount parsers (bounded: FUZZ_SECONDS each)"
bash scripts/fuzz.sh

step "build the app for end-to-end tests"
bash scripts/build-app.sh debug

step "end-to-end tests (Xvfb + tauri-driver + WebKitWebDriver)"
export PATH="$HOME/.cargo/bin:$PATH"
xvfb-run -a -s '-screen 0 1920x1080x24' bash -c 'cd tests/e2e && npm test'

step "the Linux package: built, installed with apt-get, started on sample data, uninstalled"
bash scripts/test-deb.sh

step "Windows: vardesk.exe and vardesk-desktop.exe built with MinGW-w64, tested under Wine"
bash scripts/build-windows.sh --test
bash scripts/test-windows.sh

step "all tests passed"
