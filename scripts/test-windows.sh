#!/usr/bin/env bash
# The Windows build of `vardesk` under Wine (Debian's Wine 8), checked against the Linux
# build: every fixture through `calc`, sample books in a user folder named "Zoë Ångström",
# a billing run with issue, `check`, invoice and quote PDFs compared by text, backup and
# restore, a UNC path refused, CRLF and UTF-16 CSV imports. Prints `N passed, M failed`.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! [ -x /usr/lib/wine/wine64 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends wine64
fi
[ -x target/windows/x86_64-pc-windows-gnu/release/vardesk.exe ] || bash scripts/build-windows.sh
[ -x target/release/vardesk ] || cargo build --release -p vardesk-cli
python3 tests/windows/run.py
