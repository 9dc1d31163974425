#!/usr/bin/env bash
# Installs what VarDesk needs on Debian 12 and is missing: the libraries to build the Tauri
# app (WebKitGTK), and for tests the X server, WebKitWebDriver, tauri-driver, MinGW-w64 and Wine.
# Usage: setup-debian.sh build|test     (idempotent; root or sudo)
set -euo pipefail
mode="${1:-build}"
cd "$(dirname "$0")/.."

build_pkgs=(libwebkit2gtk-4.1-dev build-essential pkg-config libssl-dev libayatana-appindicator3-dev librsvg2-dev libxdo-dev file)
run_pkgs=(xvfb xauth fonts-noto-core fonts-dejavu-core)
test_pkgs=(webkit2gtk-driver imagemagick poppler-utils qpdf xdotool python3-venv
  gcc-mingw-w64-x86-64 g++-mingw-w64-x86-64 wine64)  # the last three: the Windows build under Wine

want=("${build_pkgs[@]}")
case "$mode" in
  build) want+=("${run_pkgs[@]}") ;;
  test) want+=("${run_pkgs[@]}" "${test_pkgs[@]}") ;;
  *) echo "usage: $0 build|test" >&2; exit 2 ;;
esac

missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "==> apt: installing ${missing[*]}"
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

for tool in cargo node npm; do
  command -v "$tool" >/dev/null || { echo "VarDesk needs $tool (Rust toolchain, Node.js 20 with npm)." >&2; exit 1; }
done

# The UI's packages at the lockfile's versions. Not `npm ci`: npm 11.19 writes lockfiles
# without other platforms' optional packages (rollup's) and then its own `npm ci` refuses them.
if [ ! -d ui/node_modules ] || [ ui/package-lock.json -nt ui/node_modules/.package-lock.json ]; then
  echo "==> npm: ui"
  (cd ui && npm install --no-save --no-audit --no-fund)
fi

if [ "$mode" = test ]; then
  if [ ! -d tests/e2e/node_modules ] || [ tests/e2e/package-lock.json -nt tests/e2e/node_modules/.package-lock.json ]; then
    echo "==> npm: tests/e2e"
    (cd tests/e2e && npm install --no-save --no-audit --no-fund)
  fi
  # The official EN 16931 validation (../shared/einvoice/validate.py) runs on Saxon-HE.
  venv=target/einvoice-venv
  if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import saxonche, lxml, facturx' 2>/dev/null; then
    echo "==> pip: e-invoice validation (saxonche, lxml, factur-x)"
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q --disable-pip-version-check saxonche==13.1.1 lxml==6.1.3 factur-x==7.8
  fi
  if ! command -v tauri-driver >/dev/null && [ ! -x "$HOME/.cargo/bin/tauri-driver" ]; then
    echo "==> cargo install tauri-driver"
    cargo install tauri-driver --locked --version '^2'
  fi
fi
