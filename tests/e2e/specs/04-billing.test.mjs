// The month's billing through the window: preview, create and issue, then a payment.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { click, el, gone, launchWithSampleData, screenshot, textOf, type } from "../lib/app.mjs";

describe("billing", () => {
  let app;
  let b;
  const waitText = async (id, re) =>
    b.waitUntil(async () => re.test((await textOf(b, id)) ?? ""), { timeout: 10_000, timeoutMsg: `${id} never matched ${re}: "${await textOf(b, id)}"` });
  const next = new Date();
  next.setMonth(next.getMonth() + 1, 1);
  const period = `${next.getFullYear()}-${String(next.getMonth() + 1).padStart(2, "0")}`;

  before(async () => {
    app = await launchWithSampleData("billing", { port: 4450 });
    b = app.browser;
  });
  after(async () => app?.close());

  it("bills the accepted sample quote's subscriptions once", async () => {
    await click(b, "nav-subscriptions");
    await b.waitUntil(async () => (await b.$$('[data-testid="subscription-row"]')).length === 3, { timeout: 10_000 });
    await click(b, "nav-invoices");
    await el(b, "invoice-row"); // the accepted quote's draft for its one-time part
    await click(b, "billing-run");
    await type(b, "run-period", period);
    await click(b, "run-preview-button");
    await waitText("run-summary", /^1 invoice, 3 lines, /);
    await screenshot(b, "30-billing-preview");
    await click(b, "run-create-issue");
    await gone(b, "billing-dialog");
    await b.waitUntil(async () => (await b.$$('[data-testid="invoice-row"]')).length === 2, { timeout: 10_000 });
    const numbers = await b.execute(() => [...document.querySelectorAll('[data-testid="invoice-number"]')].map((n) => n.textContent));
    assert.ok(numbers.some((n) => /^INV-\d{4}-0001$/.test(n)), JSON.stringify(numbers));

    await click(b, "billing-run");
    await type(b, "run-period", period);
    await click(b, "run-preview-button");
    await waitText("run-summary", /Nothing to bill .* 3 subscriptions were already billed/);
    await b.keys("Escape");
    await gone(b, "billing-dialog");
  });

  it("records a payment and shows the invoice paid", async () => {
    const issued = await b.execute(() => [...document.querySelectorAll('[data-testid="invoice-row"]')]
      .findIndex((r) => r.querySelector('[data-testid="invoice-number"]').textContent.startsWith("INV-")));
    const rows = await b.$$('[data-testid="invoice-row"]');
    await rows[issued].$("td").click();
    await el(b, "payment-amount");
    await click(b, "payment-record");
    await gone(b, "invoice-dialog");
    await b.waitUntil(async () => (await b.execute(() => [...document.querySelectorAll('[data-testid="invoice-status"]')].map((s) => s.textContent))).includes("Paid"), { timeout: 10_000 });
    await screenshot(b, "31-invoices");
  });

  it("issues all drafts and credits one in full", async () => {
    const statuses = () => b.execute(() => [...document.querySelectorAll('[data-testid="invoice-status"]')].map((s) => s.textContent));
    assert.ok((await statuses()).includes("Draft"));
    await click(b, "issue-all");
    await click(b, "confirm-yes");
    await b.waitUntil(async () => !(await statuses()).includes("Draft"), { timeout: 10_000 });
    const issued = (await statuses()).indexOf("Issued");
    await (await b.$$('[data-testid="invoice-row"]'))[issued].$("td").click();
    await click(b, "invoice-credit");
    await click(b, "confirm-yes");
    await gone(b, "invoice-dialog");
    await b.waitUntil(async () => (await statuses()).some((s) => /^Credit for INV-\d{4}-0002$/.test(s)), { timeout: 10_000 });
    assert.ok((await statuses()).includes("Void"));
    await screenshot(b, "32-credit-note");
  });
});
