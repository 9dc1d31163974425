#!/usr/bin/env bash
# A real CUPS server with the cups-pdf virtual printer for the print tests: `lp -d CIPDF
# -t NAME file.pdf` lands as $OUT/NAME.pdf. Idempotent: installs what is missing, starts
# cupsd once (a second bare cupsd would steal the socket), (re)creates the queue.
# Needs root (cupsd and the cups-pdf backend run as root). Prints the output folder.
set -euo pipefail
export LC_ALL=C
queue="${CUPS_PDF_QUEUE:-CIPDF}"
out="${CUPS_PDF_OUT:-/tmp/vardesk-cups-pdf}"
pkgs=(printer-driver-cups-pdf cups-client)
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "==> apt: installing ${missing[*]}" >&2
  $sudo apt-get update -q >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}" >&2
fi

$sudo mkdir -p "$out"
$sudo chmod 1777 "$out"
# The device URI cups-pdf:/ci makes cups-pdf read cups-pdf-ci.conf; the package's own
# configuration stays as it is.
printf 'Out %s\nAnonDirName %s\nGrp lpadmin\nLabel 0\nTitlePref 1\nUserUMask 0022\n' "$out" "$out" \
  | $sudo tee /etc/cups/cups-pdf-ci.conf >/dev/null
running() { lpstat -r 2>/dev/null | grep -q 'scheduler is running'; } # lpstat -r exits 0 either way
running || $sudo /usr/sbin/cupsd
for _ in $(seq 100); do running && break; sleep 0.1; done
running || { echo "cupsd did not start" >&2; exit 1; }
lpstat -v "$queue" >/dev/null 2>&1 \
  || $sudo lpadmin -p "$queue" -v cups-pdf:/ci -m lsb/usr/cups-pdf/CUPS-PDF_opt.ppd -o printer-is-shared=false 2>/dev/null
# Title-named files without a job label; pdftocairo keeps text readable.
$sudo lpadmin -p "$queue" -o TitlePref=1 -o Label=0 -o pdftops-renderer-default=pdftocairo
$sudo cupsenable "$queue"
$sudo cupsaccept "$queue"
echo "$out"
