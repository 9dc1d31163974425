import { describe, expect, it } from "vitest";
import { formatDate, formatDecimal, formatInput, formatMoney, minorUnits, parseDate } from "./format";

describe("formatDecimal", () => {
  it("groups digits by locale without changing them", () => {
    expect(formatDecimal("1234567.891", "en-GB")).toBe("1,234,567.891");
    expect(formatDecimal("1234567.891", "de-DE")).toBe("1.234.567,891");
    expect(formatDecimal("-0.5", "en-US", 2)).toBe("-0.50");
  });
  it("keeps digits a float would lose", () => {
    expect(formatDecimal("12345678901234567.89", "en-GB")).toBe("12,345,678,901,234,567.89");
  });
  it("leaves non-numbers alone", () => {
    expect(formatDecimal("1e5", "en-GB")).toBe("1e5");
  });
});

describe("formatInput", () => {
  it("shows a stored decimal in the locale without grouping, padded", () => {
    expect(formatInput("20.6", "en-GB", 2)).toBe("20.60");
    expect(formatInput("1250.5", "de-DE", 2)).toBe("1250,50");
    expect(formatInput("45", "de-DE")).toBe("45");
    expect(formatInput("0.125", "en-GB", 2)).toBe("0.125");
  });
  it("leaves what is being typed alone", () => {
    expect(formatInput("20,", "de-DE", 2)).toBe("20,");
    expect(formatInput("1.250,5", "de-DE", 2)).toBe("1.250,5");
  });
});

describe("formatMoney", () => {
  it("pads to the currency's minor units and places the symbol", () => {
    expect(formatMoney("1234.5", "EUR", "de-DE")).toBe("1.234,50\u00a0€");
    expect(formatMoney("1234.5", "GBP", "en-GB")).toBe("£1,234.50");
    expect(formatMoney("-12", "USD", "en-US")).toBe("-$12.00");
  });
  it("knows minor units", () => {
    expect(minorUnits("JPY")).toBe(0);
    expect(minorUnits("BHD")).toBe(3);
  });
});

describe("dates", () => {
  it("are shown as the user's locale writes them", () => {
    expect(formatDate("2026-11-27", "de-DE")).toBe("27.11.2026");
    expect(formatDate("2026-11-27", "en-GB")).toBe("27/11/2026");
    expect(formatDate("2026-11-27", "en-US")).toBe("11/27/2026");
    expect(formatDate("2026-11-27", "sv-SE")).toBe("2026-11-27");
    expect(formatDate("", "de-DE")).toBe("");
  });
  it("are read as the user types them, and ISO always", () => {
    expect(parseDate("27.11.2026", "de-DE")).toBe("2026-11-27");
    expect(parseDate("1.2.27", "de-DE")).toBe("2027-02-01");
    expect(parseDate("11/27/2026", "en-US")).toBe("2026-11-27");
    expect(parseDate("27/11/2026", "en-GB")).toBe("2026-11-27");
    expect(parseDate("2026-11-27", "de-DE")).toBe("2026-11-27");
    expect(parseDate("31.02.2026", "de-DE")).toBeNull();
    expect(parseDate("27.11.", "de-DE")).toBeNull();
    expect(parseDate("tomorrow", "en-GB")).toBeNull();
  });
});
