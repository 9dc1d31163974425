#!/usr/bin/env bash
# The Linux package, as a user gets it: built (or $1), installed into this machine with
# apt-get, started from its installed path under Xvfb on sample data, its window found,
# its idle memory measured, a screenshot taken, and uninstalled. Reports the .deb's size
# and the idle memory (tests/e2e/artifacts/deb-report.txt).
set -euo pipefail
cd "$(dirname "$0")/.."
deb="$(realpath "${1:-$(bash scripts/build-deb.sh | tail -1)}")"
sudo=""
[ "$(id -u)" -ne 0 ] && sudo=sudo
package="$(dpkg-deb -f "$deb" Package)"
artifacts=tests/e2e/artifacts
mkdir -p "$artifacts"
fail() { echo "test-deb: $*" >&2; exit 1; }

work="$(mktemp -d)"
display=":57"
cleanup() {
  [ -n "${app:-}" ] && kill "$app" 2>/dev/null || true
  [ -n "${xvfb:-}" ] && kill "$xvfb" 2>/dev/null || true
  if dpkg -s "$package" >/dev/null 2>&1; then
    DEBIAN_FRONTEND=noninteractive $sudo apt-get remove -y -q "$package" >/dev/null
  fi
  rm -rf "$work"
}
trap cleanup EXIT

echo "==> installing $(basename "$deb")"
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "$deb" >/dev/null
binary=/usr/bin/vardesk-desktop
[ -x "$binary" ] || fail "$binary is not installed"
desktop="$(dpkg -L "$package" | grep '^/usr/share/applications/.*\.desktop$')" || fail "no .desktop file"
grep -q '^MimeType=application/x-vardesk-backup;' "$desktop" || fail "$desktop does not open .vardesk backups"
grep -qx 'Exec=vardesk-desktop %f' "$desktop" || fail "$desktop does not start the app with the file"
[ -f /usr/share/mime/packages/vardesk.xml ] || fail "the .vardesk MIME type is not installed"
dpkg -L "$package" | grep -q '^/usr/share/icons/hicolor/128x128/apps/vardesk-desktop.png$' || fail "no 128 px icon"

echo "==> starting the installed app on sample data"
cli=target/release/vardesk
[ -x "$cli" ] || cargo build --release -q -p vardesk-cli
"$cli" --db "$work/vardesk.sqlite3" init --sample-data >/dev/null
Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
sleep 1
DISPLAY="$display" VARDESK_DATA_DIR="$work" "$binary" > "$artifacts/deb-app.log" 2>&1 &
app=$!
DISPLAY="$display" timeout 30 xdotool search --sync --onlyvisible --name '^VarDesk$' >/dev/null \
  || fail "no VarDesk window within 30 s"
# Idle: the window drawn, the daily backup done.
sleep 8
kill -0 "$app" 2>/dev/null || fail "the app exited: $(cat "$artifacts/deb-app.log")"
[ -n "$(ls "$work/backups" 2>/dev/null)" ] || fail "the app did not open the sample data (no daily backup)"
DISPLAY="$display" import -window root "$artifacts/60-installed-deb.png"

# The app and its WebKit helper processes (children): resident and proportional memory.
children() { pgrep -P "$1" || true; }
pids="$app $(children "$app")"
for p in $(children "$app"); do pids="$pids $(children "$p")"; done
rss_kb=0; pss_kb=0
for p in $pids; do
  rss_kb=$((rss_kb + $(awk '/^Rss:/ {print $2}' "/proc/$p/smaps_rollup")))
  pss_kb=$((pss_kb + $(awk '/^Pss:/ {print $2}' "/proc/$p/smaps_rollup")))
done
main_kb=$(awk '/^Rss:/ {print $2}' "/proc/$app/smaps_rollup")
processes="$(ps -o comm= -p "$(echo $pids | tr ' ' ',')" | sort | uniq -c | awk '{printf "%s%s×%s", sep, $2, $1; sep=", "}')"

report="$(printf '%s\n' \
  ".deb: $(basename "$deb"), $(( $(stat -c %s "$deb") / 1024 )) KiB (goal < 15 MB)" \
  "installed: $(dpkg-query -W -f '${Installed-Size}' "$package") KiB" \
  "idle memory with sample data: app $((main_kb / 1024)) MiB RSS; with its WebKit processes ($processes) $((rss_kb / 1024)) MiB RSS, $((pss_kb / 1024)) MiB PSS (goal < 200 MB)")"
echo "$report" | tee "$artifacts/deb-report.txt"

kill "$app"; wait "$app" 2>/dev/null || true; app=""
echo "==> uninstalling"
DEBIAN_FRONTEND=noninteractive $sudo apt-get remove -y -q "$package" >/dev/null
[ ! -e "$binary" ] || fail "$binary is still there after uninstalling"
echo "the .deb installs, starts on sample data and uninstalls"
