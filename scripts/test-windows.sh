#!/usr/bin/env bash
# The Windows build of VarDesk under Wine (Debian's Wine 8), checked against the Linux build:
# every fixture through `calc`, sample books in a user folder named "Zoë Ångström", a billing
# run with issue, `check`, invoice and quote PDFs compared by text, backup and restore, UNC
# paths and mapped network drives refused, the lock, CRLF and UTF-16 CSV imports, the print
# verbs, and the desktop app's start-up up to the WebView2 check. Prints `N passed, M failed`.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! [ -x /usr/lib/wine/wine64 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends wine64
fi
bash scripts/build-windows.sh --test
[ -x target/release/vardesk ] || cargo build --release -p vardesk-cli
python3 tests/windows/run.py
