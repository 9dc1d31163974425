#!/usr/bin/env bash
# One command: install what is missing, build, and start VarDesk. The first start asks for
# the company profile and offers sample data. Data: the platform's app-data folder
# (~/.local/share/com.vardesk.desktop on Linux), or $VARDESK_DATA_DIR when set.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-debian.sh build
bash scripts/build-app.sh debug
app=target/debug/vardesk-desktop
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  echo "==> No display found: starting VarDesk on a virtual display :99 (screenshot: import -display :99 -window root shot.png)"
  Xvfb :99 -screen 0 1280x800x24 >/dev/null 2>&1 &
  export DISPLAY=:99
  sleep 1
fi
echo "==> Starting VarDesk"
exec "$app"
