// Locale formatting of decimal strings without float arithmetic: the digits the backend
// computed are regrouped, never re-rounded or re-computed.

interface Separators {
  group: string;
  decimal: string;
}

const separatorCache = new Map<string, Separators>();

function separators(locale: string): Separators {
  let s = separatorCache.get(locale);
  if (!s) {
    // 12345.5 is only a probe to learn the separators; no amount passes through it.
    const parts = new Intl.NumberFormat(locale).formatToParts(12345.5);
    s = {
      group: parts.find((p) => p.type === "group")?.value ?? ",",
      decimal: parts.find((p) => p.type === "decimal")?.value ?? ".",
    };
    separatorCache.set(locale, s);
  }
  return s;
}

/** "1234.5" → "1,234.5" (en-GB) or "1.234,5" (de-DE); `minDecimals` pads with zeros. */
export function formatDecimal(value: string, locale: string, minDecimals = 0): string {
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(value.trim());
  if (!match) return value;
  const [, sign, intPart, fracPart = ""] = match;
  const { group, decimal } = separators(locale);
  const grouped = intPart.replace(/\B(?=(\d{3})+(?!\d))/g, group);
  const frac = fracPart.padEnd(minDecimals, "0");
  return sign + grouped + (frac ? decimal + frac : "");
}

/**
 * A decimal as an input field shows it: the locale's decimal mark, no grouping (so it reads
 * back as typed), at least `minDecimals` decimals. Anything else (half-typed) stays as it is.
 */
export function formatInput(value: string, locale: string, minDecimals = 0): string {
  const match = /^(-?\d+)(?:\.(\d+))?$/.exec(value.trim());
  if (!match) return value;
  const frac = (match[2] ?? "").padEnd(minDecimals, "0");
  return match[1] + (frac ? separators(locale).decimal + frac : "");
}

// Building an Intl formatter is what costs (ICU data, tenths of a millisecond each in
// WebKit): each currency's minor units and each locale's currency pattern are learnt once.
const minorUnitsCache = new Map<string, number>();
const currencyPatternCache = new Map<string, Intl.NumberFormatPart[] | null>();

/** Minor units of a currency as Intl knows them (2 for EUR, 0 for JPY, 3 for BHD). */
export function minorUnits(currency: string): number {
  let units = minorUnitsCache.get(currency);
  if (units === undefined) {
    try {
      units = new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions()
        .maximumFractionDigits ?? 2;
    } catch {
      units = 2;
    }
    minorUnitsCache.set(currency, units);
  }
  return units;
}

/** Where `locale` puts the currency around a number: the parts of 1 formatted, or null
 *  for a code Intl does not know. */
function currencyPattern(currency: string, locale: string): Intl.NumberFormatPart[] | null {
  const key = `${locale}|${currency}`;
  let parts = currencyPatternCache.get(key);
  if (parts === undefined) {
    try {
      parts = new Intl.NumberFormat(locale, { style: "currency", currency }).formatToParts(1);
    } catch {
      parts = null;
    }
    currencyPatternCache.set(key, parts);
  }
  return parts;
}

/** "1234.5", "EUR", "de-DE" → "1.234,50 €": the currency placed as the locale places it. */
export function formatMoney(value: string, currency: string, locale: string): string {
  const number = formatDecimal(value, locale, minorUnits(currency));
  const parts = currencyPattern(currency, locale);
  if (!parts) return `${number} ${currency}`;
  let out = "";
  let placed = false;
  for (const p of parts) {
    if (p.type === "integer" || p.type === "decimal" || p.type === "fraction" || p.type === "group") {
      if (!placed) out += number.replace(/^-/, "");
      placed = true;
    } else if (p.type !== "minusSign") out += p.value;
  }
  return (number.startsWith("-") ? "-" : "") + out;
}

/** A whole number for display: 1234 → "1,234". */
export function formatCount(n: number | null | undefined, locale: string): string {
  return n === null || n === undefined ? "" : formatDecimal(String(n), locale);
}

/** How a tax row reads on screen: "Tax 19 % on €100.00", "Reverse charge, 0 % on €100.00". */
export function taxRowLabel(t: { rate_percent: string; category: string }, base: string, locale: string): string {
  const named: Record<string, string> = {
    AE: "Reverse charge", K: "Intra-Community supply", O: "Not subject to VAT", G: "Export", E: "Exempt",
  };
  const name = named[t.category];
  return name ? `${name}, 0 % on ${base}` : `Tax ${formatDecimal(t.rate_percent, locale)} % on ${base}`;
}

/** A treatment as shown beside the totals (DOMAIN.md §9). */
export const TREATMENT_LABELS: Record<string, string> = {
  auto: "Auto",
  domestic: "Domestic VAT",
  reverse_charge: "Reverse charge — 0 %",
  outside_eu: "Outside the EU — no VAT",
  exempt: "Exempt from VAT",
};

/** How each settings locale writes a date: the order of day, month, year and the mark. */
const DATE_STYLES: Record<string, { order: "dmy" | "mdy" | "ymd"; mark: string }> = {
  "en-GB": { order: "dmy", mark: "/" }, "en-US": { order: "mdy", mark: "/" },
  "de-DE": { order: "dmy", mark: "." }, "de-CH": { order: "dmy", mark: "." },
  "fr-FR": { order: "dmy", mark: "/" }, "es-ES": { order: "dmy", mark: "/" },
  "nl-NL": { order: "dmy", mark: "-" }, "pl-PL": { order: "dmy", mark: "." },
  "da-DK": { order: "dmy", mark: "." }, "sv-SE": { order: "ymd", mark: "-" },
};

function dateStyle(locale: string) {
  return DATE_STYLES[locale] ?? DATE_STYLES["en-GB"];
}

/** "2026-11-27" → "27.11.2026" (de-DE), "27/11/2026" (en-GB), "11/27/2026" (en-US). */
export function formatDate(iso: string | null | undefined, locale: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso ?? "");
  if (!match) return iso ?? "";
  const [, y, m, d] = match;
  const { order, mark } = dateStyle(locale);
  return (order === "dmy" ? [d, m, y] : order === "mdy" ? [m, d, y] : [y, m, d]).join(mark);
}

/** What the locale's users type: "27.11.2026", "27/11/26", "1.2.2027" (de-DE) and always
 * "2026-11-27" → the ISO date, or `null` for no real date. */
export function parseDate(text: string, locale: string): string | null {
  const t = text.trim();
  let y: number, m: number, d: number;
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(t);
  if (iso) {
    [y, m, d] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
  } else {
    const parts = /^(\d{1,4})[./-](\d{1,2})[./-](\d{1,4})$/.exec(t);
    if (!parts) return null;
    const [a, b, c] = [parts[1], parts[2], parts[3]].map(Number);
    const { order } = dateStyle(locale);
    [y, m, d] = order === "dmy" ? [c, b, a] : order === "mdy" ? [c, a, b] : [a, b, c];
    const yearText = order === "ymd" ? parts[1] : parts[3];
    if (yearText.length === 2) y += 2000;
    else if (yearText.length !== 4) return null;
  }
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return null;
  return `${String(y).padStart(4, "0")}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
}

/** The placeholder of a date field: the locale's form of 27 Nov 2026. */
export function datePlaceholder(locale: string): string {
  return formatDate("2026-11-27", locale);
}

/** The local calendar day (YYYY-MM-DD) of a moment, by default now (not UTC's day). */
export function isoDay(d: Date = new Date()): string {
  const two = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}`;
}
