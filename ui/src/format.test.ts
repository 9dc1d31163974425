import { describe, expect, it } from "vitest";
import { formatDecimal, formatMoney, minorUnits } from "./format";

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
