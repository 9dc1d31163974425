#!/usr/bin/env bash
# Fuzzes the parsers that read what users and other programs hand to VarDesk (the customer
# CSV, mailbox inventories, typed amounts) for a bounded time each: FUZZ_SECONDS (30).
# Needs the nightly toolchain (libFuzzer's sanitizer flags); cargo-fuzz is installed from
# crates.io when missing. Seeds: the shared fixtures and the sample files.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${FUZZ_SECONDS:-30}"

if ! rustup toolchain list 2>/dev/null | grep -q '^nightly'; then
  echo "==> fuzz: skipped, no nightly toolchain here (rustup toolchain list)" >&2
  exit 0
fi
if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "==> fuzz: installing cargo-fuzz"
  cargo install cargo-fuzz --locked --quiet
fi

fixtures="${VARDESK_FIXTURES:-../shared/fixtures}"
corpus="fuzz/corpus"
mkdir -p "$corpus/customer_csv" "$corpus/inventory" "$corpus/amount" "$corpus/open_invoices" "$corpus/bill"
find "$fixtures" -name '*.csv' -size -64k -exec cp {} "$corpus/inventory/" \; 2>/dev/null || true
printf 'name;email;city;country;mailboxes;mailbox_gb\nMüller GmbH;info@mueller.de;Köln;DE;25;120,5\n' > "$corpus/customer_csv/seed.csv"
printf '1.234,50' > "$corpus/amount/seed1"
printf '0.335' > "$corpus/amount/seed2"
printf 'Invoice Number;Customer;Invoice Date;Due Date;Total;Open\nR-0417;Contoso;01.10.2025;15.10.2025;1.190,00;690,00\n' > "$corpus/open_invoices/seed.csv"

printf 'CustomerId;CustomerDomainName;ProductId;SkuId;ChargeType;UnitPrice;BillableQuantity;Subtotal;Currency;SubscriptionId;ChargeStartDate;BillingFrequency\n11111111-2222-3333-4444-555555555555;contoso.onmicrosoft.com;CFQ7TTC0LDPB;0001;cycleCharge;10,80;12;129,60;EUR;;11/1/2026;Annual\n' > "$corpus/bill/seed.csv"

for target in customer_csv inventory amount open_invoices bill; do
  echo "==> fuzz: $target for ${seconds}s"
  log="$(mktemp)"
  # cargo fuzz exits non-zero when a target does not build or crashes: then the whole log.
  if cargo +nightly fuzz run "$target" "$corpus/$target" -- \
    -max_total_time="$seconds" -rss_limit_mb=2048 -print_final_stats=1 >"$log" 2>&1; then
    tail -n 4 "$log"
  else
    tail -n 60 "$log"
    echo "fuzz: $target failed; the input is in fuzz/artifacts/$target" >&2
    exit 1
  fi
  rm -f "$log"
done
