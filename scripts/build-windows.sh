#!/usr/bin/env bash
# Builds VarDesk for Windows on this Debian machine: `vardesk.exe` and `vardesk-desktop.exe`
# for x86_64-pc-windows-gnu with MinGW-w64 (installed when missing), in target/windows — its
# own folder, so the Linux builds stay as they are; a second run reuses what is built.
set -euo pipefail
cd "$(dirname "$0")/.."
target=x86_64-pc-windows-gnu
out="target/windows/$target/release"

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
cargo build --release --target "$target" --target-dir target/windows -p vardesk-cli
cargo build --release --target "$target" --target-dir target/windows --features custom-protocol \
  -p vardesk-desktop
for exe in vardesk.exe vardesk-desktop.exe; do
  printf '%s: %s MiB\n' "$out/$exe" "$(( $(stat -c %s "$out/$exe") / 1048576 ))"
done
echo "built in $((SECONDS - started)) s"
