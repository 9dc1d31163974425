#!/usr/bin/env bash
# Generates every app icon from icons/icon.svg with the Tauri CLI: PNGs, .ico (Windows),
# .icns (macOS) and the Windows Store tiles. `--check` fails when icons/ is out of date.
set -euo pipefail
cd "$(dirname "$0")/.."
out="$(mktemp -d)"
trap 'rm -rf "$out" "$out.log"' EXIT
(cd ui && npx --no-install tauri icon ../icons/icon.svg -o "$out" > "$out.log" 2>&1) || { cat "$out.log" >&2; exit 1; }
rm -rf "$out/android" "$out/ios" # a desktop app only
if [ "${1:-}" = --check ]; then
  # The .icns container is not byte-for-byte repeatable; its PNG sources above are.
  diff -r "$out" icons --exclude icon.svg --exclude icon.icns \
    || { echo "icons/ is out of date with icons/icon.svg: run scripts/icons.sh" >&2; exit 1; }
else
  find icons -maxdepth 1 -type f ! -name icon.svg -delete
  cp "$out"/* icons/
fi
