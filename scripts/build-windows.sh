#!/usr/bin/env bash
# Builds VarDesk for Windows on this Debian machine with rustup's x86_64-pc-windows-gnu
# target and MinGW-w64 (both installed when missing), in target/windows — its own folder,
# so the Linux builds stay as they are; a second run reuses what is built.
#   build-windows.sh          release: vardesk.exe and vardesk-desktop.exe
#   build-windows.sh --test   what scripts/test-windows.sh runs under Wine, in the profile
#                             `windows-test` (see Cargo.toml): both exes, and the
#                             printing code's Windows-only unit test with the stand-in viewer
#                             it starts — one cargo run, so shared crates build once.
set -euo pipefail
cd "$(dirname "$0")/.."
target=x86_64-pc-windows-gnu

rustup target list --installed | grep -qx "$target" || rustup target add "$target"
if ! command -v x86_64-w64-mingw32-gcc >/dev/null; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends \
    gcc-mingw-w64-x86-64 g++-mingw-w64-x86-64
fi
# The desktop app embeds the built UI.
[ -f ui/dist/index.html ] || (cd ui && npm run build --silent)

export CARGO_TARGET_X86_64_PC_WINDOWS_GNU_LINKER=x86_64-w64-mingw32-gcc
started=$SECONDS
packages=(-p vardesk-cli -p vardesk-desktop --features vardesk-desktop/custom-protocol)
if [ "${1:-}" = --test ]; then
  out="target/windows/$target/windows-test"
  mkdir -p target/windows
  cargo test --no-run --profile windows-test --target "$target" --target-dir target/windows \
    "${packages[@]}" -p vardesk-pdf \
    --message-format=json-render-diagnostics > target/windows/test-build.json
  # Where the printing test landed, for tests/windows/run.py.
  python3 - <<'PY'
import json
for line in open("target/windows/test-build.json", encoding="utf-8"):
    m = json.loads(line)
    if m.get("executable") and m["target"]["name"] == "vardesk_pdf" and m["profile"]["test"]:
        open("target/windows/print-test.txt", "w", encoding="utf-8").write(m["executable"])
PY
else
  out="target/windows/$target/release"
  cargo build --release --target "$target" --target-dir target/windows "${packages[@]}"
fi
for exe in vardesk.exe vardesk-desktop.exe; do
  printf '%s: %s MiB\n' "$out/$exe" "$(( $(stat -c %s "$out/$exe") / 1048576 ))"
done
echo "built in $((SECONDS - started)) s"
