#!/usr/bin/env bash
# The window's figures, release build, warm cache, under Xvfb: how long from launch until
# VarDesk's window shows the dashboard with the sample books' figures, beside a bare Tauri 2
# window (src-tauri/examples/minimal_window.rs) measured the same way in the same run; then
# the memory of the app and its WebKit processes after it has sat idle. "Painted" is two
# animation frames after the page (VarDesk: its dashboard with the books' figures) is ready.
#
#   bash scripts/bench-window.sh [RUNS]      (default 15; builds what is missing)
#
# Each launch passes its start time (Unix ms) in VARDESK_STARTUP_PROBE; the app prints how
# long its page took to load and, once the first screen with data is painted, how long that
# took, then quits.
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-15}"

if [ -z "${DISPLAY:-}" ]; then
  exec xvfb-run -a -s '-screen 0 1920x1080x24' bash "$0" "$@"
fi

bash scripts/build-app.sh release >/dev/null
cargo build --release --features custom-protocol -p vardesk-desktop --example minimal_window 2>/dev/null
app=target/release/vardesk-desktop
bare=target/release/examples/minimal_window

data="$(mktemp -d)"
trap 'rm -rf "$data"' EXIT
VARDESK_DATA_DIR="$data" target/release/vardesk init --sample-data >/dev/null

now_ms() { date +%s%3N; }
median() { sort -n | awk '{v[NR]=$1} END {if (NR%2) print v[(NR+1)/2]; else printf "%.1f\n", (v[NR/2]+v[NR/2+1])/2}'; }
range() { sort -n | awk 'NR==1{lo=$1} {hi=$1} END {print lo "–" hi}'; }

measure() { # label, field, command...
  local label="$1" field="$2" out=()
  shift 2
  for i in $(seq 0 "$runs"); do
    local line
    line="$(VARDESK_DATA_DIR="$data" VARDESK_STARTUP_PROBE="$(now_ms)" timeout 30 "$@" 2>/dev/null | grep "^$field:" || true)"
    # The first launch warms the page cache and makes today's backup: not counted.
    [ "$i" -gt 0 ] && [ -n "$line" ] && out+=("$(echo "$line" | awk '{print $(NF-1)}')")
  done
  [ "${#out[@]}" -gt 0 ] || { echo "$label: no figure (the window never reported)" >&2; exit 1; }
  printf '%s: median %s ms, range %s ms (%d runs)\n' "$label" \
    "$(printf '%s\n' "${out[@]}" | median)" "$(printf '%s\n' "${out[@]}" | range)" "${#out[@]}"
}

# The bare window draws as VarDesk does on Linux (without accelerated compositing).
export WEBKIT_DISABLE_COMPOSITING_MODE=1
measure "bare Tauri 2 window, page loaded" "page loaded" "$bare"
measure "bare Tauri 2 window, first frame painted" "window painted" "$bare"
measure "VarDesk, page loaded" "page loaded" "$app"
measure "VarDesk, dashboard with the sample books' figures painted" "window ready with data" "$app"

# Memory: the app left idle for 5 s on the dashboard, proportional set size of the app and
# every process it started (WebKit's web and network processes).
VARDESK_DATA_DIR="$data" "$app" >/dev/null 2>&1 &
pid=$!
sleep 6
pids="$pid $(pgrep -P "$pid" | tr '\n' ' ')"
pss=0
for p in $pids; do
  kb="$(awk '/^Pss:/ {print $2}' "/proc/$p/smaps_rollup" 2>/dev/null || echo 0)"
  pss=$((pss + kb))
done
kill "$pid" 2>/dev/null || true
wait "$pid" 2>/dev/null || true
printf 'VarDesk idle on the dashboard: %d MiB PSS (app and %d WebKit processes)\n' \
  $((pss / 1024)) $(($(echo "$pids" | wc -w) - 1))
