// Every screen and the dialogs with long content at 1366×768 (a partner's laptop) and
// 1920×1080: nothing sticks out sideways and no table cell cuts its text off. A screenshot
// of each goes to the artifacts.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { click, el, launchWithBooks, screenshot } from "../lib/app.mjs";

describe("every screen at 1366×768 and 1920×1080", () => {
  let app;
  let b;
  before(async () => {
    app = await launchWithBooks("screens", { port: 4466 });
    b = app.browser;
  });
  after(async () => app?.close());

  /** What overflows: the content sideways, and table cells or inputs whose text is cut. */
  const problems = () => b.execute(() => {
    const found = [];
    const main = document.querySelector('[data-testid="content"]');
    if (main.scrollWidth - main.clientWidth > 1) found.push(`content ${main.scrollWidth - main.clientWidth}px wider than the window`);
    for (const dialog of document.querySelectorAll('[role="dialog"]')) {
      if (dialog.scrollWidth - dialog.clientWidth > 1) found.push(`dialog "${dialog.querySelector("h2")?.textContent}" ${dialog.scrollWidth - dialog.clientWidth}px too wide`);
    }
    for (const cell of document.querySelectorAll("td, th")) {
      if (cell.closest(".table-wrap") && cell.scrollWidth - cell.clientWidth > 1 && getComputedStyle(cell).overflow === "hidden") {
        found.push(`cell "${cell.textContent.trim().slice(0, 40)}" cut`);
      }
    }
    for (const input of document.querySelectorAll("td input, td select")) {
      if (input.scrollWidth - input.clientWidth > 1) found.push(`field "${(input.value ?? "").slice(0, 40)}" cut`);
    }
    for (const wrap of document.querySelectorAll(".table-wrap")) {
      if (wrap.scrollWidth - wrap.clientWidth > 1) found.push(`table ${wrap.closest("section,[data-testid]")?.dataset?.testid ?? ""} scrolls sideways by ${wrap.scrollWidth - wrap.clientWidth}px`);
    }
    return found;
  });

  const screens = [
    ["dashboard", "#/dashboard", "card-mrr"],
    ["customers", "#/customers", "customer-row"],
    ["customer-page", null, "customer-title"],
    ["quotes", "#/quotes", "quote-row"],
    ["quote", null, "quote-lines"],
    ["invoices", "#/invoices", "invoice-row"],
    ["invoice", null, "invoice-summary"],
    ["subscriptions", "#/subscriptions", "subscription-row"],
    ["catalog", "#/catalog", "catalog-row"],
    ["projection", "#/projection", "chart-mrr"],
    ["settings", "#/settings", "settings-save"],
    ["moving-in", "#/moving-in", "moving-in-billing-go"],
  ];

  for (const [w, hgt] of [[1366, 768], [1920, 1080]]) {
    it(`shows every screen whole at ${w}×${hgt}`, async () => {
      await b.setWindowSize(w, hgt);
      const all = [];
      for (const [name, hash, ready] of screens) {
        if (hash) {
          await b.execute((to) => { location.hash = to; }, hash);
        } else if (name === "customer-page") {
          await b.execute(() => { location.hash = "#/customers/1"; });
        } else if (name === "quote") {
          await b.execute(() => document.querySelector('[data-testid="quote-row"]').click());
        } else {
          await b.execute(() => document.querySelector('[data-testid="invoice-row"]:nth-child(3)').click());
        }
        await el(b, ready);
        await new Promise((r) => setTimeout(r, 300));
        all.push(...(await problems()).map((p) => `${name}: ${p}`));
        await screenshot(b, `60-${name}-${w}x${hgt}`);
      }
      // Dialogs with long content.
      await b.execute(() => { location.hash = "#/invoices"; });
      await el(b, "invoice-row");
      for (const [button, dialog] of [["billing-run", "billing-dialog"], ["reminders", "reminders-dialog"]]) {
        await click(b, button);
        await el(b, dialog);
        await new Promise((r) => setTimeout(r, 500));
        all.push(...(await problems()).map((p) => `${dialog}: ${p}`));
        await screenshot(b, `61-${dialog}-${w}x${hgt}`);
        await b.keys("Escape");
      }
      assert.deepEqual(all, [], all.join("\n"));
    });
  }
});
