#!/usr/bin/env bash
# `cargo check` of the whole app for Windows (x86_64-pc-windows-msvc) and macOS
# (aarch64-apple-darwin): the Rust of every crate, VarDesk's Windows- and macOS-only code
# included, is type-checked for those targets. Their C parts (SQLite) cannot be compiled
# here without the platforms' SDKs, so a stand-in compiler writes empty objects with
# llvm-mc: `check` never links. Needs rustup (the targets are added) and LLVM's tools.
set -euo pipefail
cd "$(dirname "$0")/.."
stand_in="$(mktemp -d)"
trap 'rm -rf "$stand_in"' EXIT
cat > "$stand_in/cc" <<'CC'
#!/bin/sh
out=""; prev=""
for a in "$@"; do
  [ "$prev" = "-o" ] && out="$a"
  case "$a" in -Fo*) out="${a#-Fo}";; esac
  prev="$a"
done
[ -n "$out" ] && exec llvm-mc -filetype=obj -triple="$STAND_IN_TRIPLE" /dev/null -o "$out"
exit 0
CC
chmod +x "$stand_in/cc"
for pair in x86_64-pc-windows-msvc:x86_64-pc-windows-msvc:llvm-lib aarch64-apple-darwin:arm64-apple-macosx11.0.0:llvm-ar; do
  IFS=: read -r target triple ar <<< "$pair"
  rustup target add "$target" >/dev/null
  var="${target//-/_}"
  echo "==> cargo check --target $target"
  env STAND_IN_TRIPLE="$triple" "CC_$var=$stand_in/cc" "AR_$var=$ar" \
    cargo check --workspace --target "$target" --quiet
done
echo "the app type-checks for Windows and macOS"
