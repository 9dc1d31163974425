// A migration quote built through the real window: from an inventory file to an accepted
// quote, with a risk flag, a catalog line and the totals following every change.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { chooseFile, classOf, click, el, gone, launchWithSampleData, screenshot, sharedFixtures, textOf, type } from "../lib/app.mjs";

describe("quotes", () => {
  let app;
  let b;
  const text = async (id) => {
    await el(b, id);
    return (await textOf(b, id)) ?? "";
  };
  const waitText = async (id, re) =>
    b.waitUntil(async () => re.test((await textOf(b, id)) ?? ""), { timeout: 10_000, timeoutMsg: `${id} never matched ${re}: "${await textOf(b, id)}"` });

  before(async () => {
    app = await launchWithSampleData("quotes", { port: 4448 });
    b = app.browser;
  });
  after(async () => app?.close());

  it("lists the sample quotes in every status", async () => {
    await click(b, "nav-quotes");
    await b.waitUntil(async () => (await b.$$('[data-testid="quote-row"]')).length === 5, { timeout: 10_000 });
    const statuses = await b.execute(() => [...document.querySelectorAll('[data-testid="quote-status"]')].map((s) => s.textContent).sort());
    assert.deepEqual(statuses, ["Accepted", "Declined", "Draft", "Expired", "Sent"]);
    await screenshot(b, "20-quotes-list");
  });

  it("builds a quote from an inventory, shows its risk flags and prices a catalog line", async () => {
    await click(b, "quote-new");
    await type(b, "pick-customer-search", "alpine");
    await waitText("pick-customer-list", /^Alpine Ski Schule Österreich[^]*$/);
    await click(b, "pick-customer");
    await el(b, "quote-lines");
    await waitText("total-first-year", /€/);

    await click(b, "inventory-import");
    const csv = readFileSync(join(sharedFixtures, "inventory/03-exo-types-archives.csv"));
    await chooseFile(b, "inventory-file", "mailboxes.csv", csv);
    await waitText("inventory-summary", /12 rows: 7 user and 3 shared mailboxes/);
    assert.match(await text("inventory-errors"), /line 9: .*Unlimited/);
    await click(b, "inventory-apply");
    await gone(b, "inventory-dialog");
    await waitText("flag-mailbox_over_100gb", /Line 3: a 120 GB mailbox/);
    assert.match(await classOf(b, "flag-mailbox_over_100gb"), /flag-error/);
    // Alpine Ski Schule (Austria, VAT ID) is reverse charge: the lines' 19 % is not charged.
    await waitText("line-tax-note", /^Reverse charge.*domestic customers only/);
    await waitText("estimate-summary", /hours of labour/);

    const monthlyBefore = await text("total-monthly-net");
    assert.equal(monthlyBefore, "€0.00");
    await click(b, "add-catalog-line");
    await type(b, "catalog-pick-search", "business premium");
    await click(b, "catalog-pick");
    await gone(b, "catalog-pick-dialog");
    // 7 user mailboxes from the inventory × 20.60
    await waitText("total-monthly-net", /^€144\.20$/);
    await screenshot(b, "21-quote-builder");

    // Ctrl+S saves, as in any editor.
    await b.execute(() => document.activeElement?.blur());
    await b.keys(["Control", "s"]);
    await waitText("quote-title", /^Q-\d{4}-0006 v1/);
    // Reopened, it still shows what the inventory flagged (the file itself is not kept).
    await click(b, "nav-quotes");
    await el(b, "quote-row");
    await b.back();
    await waitText("flag-mailbox_over_100gb", /Line 3: a 120 GB mailbox/);
  });

  it("is marked sent and accepted into subscriptions, a 40 % deposit invoice and the rest scheduled", async () => {
    await click(b, "quote-send");
    await waitText("quote-status-badge", /^Sent$/);
    await click(b, "quote-accept");
    await click(b, "accept-deposit");
    await type(b, "accept-deposit-percent", "40");
    const later = new Date(Date.now() + 60 * 86_400_000).toISOString().slice(0, 10);
    await type(b, "accept-rest-on", later);
    await screenshot(b, "21-accept-with-deposit");
    await click(b, "confirm-yes");
    await waitText("quote-status-badge", /^Accepted$/);
    assert.match(await text("toast"), /created 1 subscription and a deposit invoice and the rest as a scheduled draft/);
    // The rest waits for its date in the invoice list.
    await click(b, "nav-invoices");
    await b.waitUntil(async () => (await b.execute(() => document.querySelectorAll('[data-testid="invoice-scheduled"]').length)) === 1,
      { timeout: 10_000, timeoutMsg: "no scheduled draft in the list" });
    // It is the final invoice (DOMAIN.md §6.1): the quoted lines, less the deposit.
    await (await b.$('[data-testid="invoice-scheduled"]')).click();
    await el(b, "final-invoice-note");
    await b.waitUntil(async () => (await b.execute(() => [...document.querySelectorAll('[data-testid="invoice-lines"] td')]
      .some((td) => td.textContent === "-1"))), { timeout: 10_000, timeoutMsg: "no deduction line on the final invoice" });
    assert.equal(await b.$('[data-testid="draft-save"]').isExisting(), false, "the final invoice is not edited");
    await screenshot(b, "22-final-invoice");
    await b.back();
    await el(b, "invoice-scheduled");
    await b.back();
    await waitText("quote-status-badge", /^Accepted$/);
    await screenshot(b, "22-quote-accepted");
    assert.equal(await b.$('[data-testid="quote-accept"]').isExisting(), false);
  });

  it("walks from a customer to a printed quote with the keyboard only", async () => {
    const active = () => b.execute(() => document.activeElement?.dataset?.testid ?? document.activeElement?.tagName);
    /** Presses Tab until the element with `testid` has the focus (at most `max` times). */
    const tabTo = async (testid, max = 40) => {
      for (let i = 0; i < max; i++) {
        if ((await active()) === testid) return;
        await b.keys(["Tab"]);
      }
      assert.fail(`Tab never reached ${testid} (at ${await active()})`);
    };
    await click(b, "nav-customers"); // the one click: where the walk starts
    await el(b, "customer-row");
    await b.keys(["Control", "f"]);
    assert.equal(await active(), "customer-search");
    await b.keys([..."zürcher"]);
    await b.waitUntil(async () => (await b.execute(() => document.querySelectorAll('[data-testid="customer-row"]').length)) === 1, { timeout: 10_000 });
    await tabTo("customer-row");
    await b.keys(["Enter"]);
    await el(b, "customer-title");
    await tabTo("customer-new-quote");
    await b.keys(["Enter"]);
    await b.waitUntil(async () => (await textOf(b, "quote-customer")) === "Zürcher Treuhand AG", { timeout: 10_000 });
    await b.keys(["Control", "s"]);
    await b.waitUntil(async () => /^Q-\d{4}-\d{4} v1/.test((await textOf(b, "quote-title")) ?? ""), { timeout: 10_000, timeoutMsg: "Ctrl+S did not save the quote" });
    if (!process.env.VARDESK_PRINT_OUT) return; // printing needs the CUPS test printer (CI has it)
    await b.keys(["Control", "p"]);
    await el(b, "print-dialog");
    assert.equal(await active(), "print-go");
    await b.keys(["Enter"]);
    await b.waitUntil(async () => /Sent to the printer/.test((await textOf(b, "toast")) ?? ""), { timeout: 10_000 });
  });

  it("accepts a sent quote with one invoice per phase, later phases scheduled", async () => {
    await b.execute(() => { location.hash = "#/quotes?status=sent"; });
    await b.waitUntil(() => b.execute(() => {
      const row = [...document.querySelectorAll('[data-testid="quote-row"]')].find((r) => /Sent/.test(r.textContent));
      row?.click();
      return Boolean(row);
    }), { timeout: 10_000, timeoutMsg: "no sent quote in the sample" });
    await el(b, "quote-accept");
    await click(b, "quote-accept");
    await click(b, "accept-per-phase");
    const count = await b.execute(() => document.querySelectorAll('[data-testid^="accept-phase-"]').length);
    assert.ok(count >= 2, `${count} phases`);
    const day = (n) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);
    // The first phase keeps the dialog's own "today" (no race with midnight); the others move.
    for (let i = 1; i < count; i++) await type(b, `accept-phase-${i}`, day(30 + 30 * (i % 2)));
    await screenshot(b, "23-accept-per-phase");
    await click(b, "confirm-yes");
    await waitText("quote-status-badge", /^Accepted$/);
    assert.match(await text("toast"), /an invoice per phase date/);
  });
});
