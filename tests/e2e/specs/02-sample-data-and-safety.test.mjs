// First run with sample data; names that look like HTML stay text; the page cannot call
// a plugin command that VarDesk's capability does not grant.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { chooseFile, click, customerNames, el, gone, launch, repo, screenshot, textOf, type, waitForNames } from "../lib/app.mjs";

describe("sample data and safety", () => {
  let app;
  let b;
  before(async () => {
    app = await launch("sample", { port: 4446 });
    b = app.browser;
  });
  after(async () => app?.close());

  it("loads the sample data on first run", async () => {
    await type(b, "field-company_name", "Contoso IT Services Ltd");
    await type(b, "field-country", "DE");
    await click(b, "settings-save");
    await click(b, "load-sample");
    await el(b, "card-mrr");
    await el(b, "sample-banner");
    await click(b, "nav-customers");
    await b.waitUntil(async () => (await customerNames(b)).length === 18, { timeout: 10_000 });
    assert.match(await (await el(b, "customer-count")).getText(), /^18 customers$/);
    await screenshot(b, "10-sample-customers");
    await click(b, "nav-catalog");
    await b.waitUntil(async () => (await b.$$('[data-testid="catalog-row"]')).length === 10, { timeout: 10_000 });
    await screenshot(b, "11-catalog");
  });

  it("opens a customer's page from the list with the keyboard: its quotes, invoices, subscriptions, and a new quote from there", async () => {
    await click(b, "nav-customers");
    await type(b, "customer-search", "müller");
    await waitForNames(b, ["Müller & Söhne GmbH"]);
    await b.execute(() => document.querySelector('[data-testid="customer-row"]').focus());
    await b.keys("Enter");
    await el(b, "customer-title");
    assert.match(await textOf(b, "customer-title"), /^Müller & Söhne GmbH/);
    assert.match(await b.execute(() => location.hash), /^#\/customers\/\d+$/);
    const count = (id) => b.execute((t) => document.querySelectorAll(`[data-testid="${t}"]`).length, id);
    assert.ok((await count("customer-quote")) >= 1, "the sample quote is listed");
    assert.ok((await count("customer-invoice")) >= 1, "its invoices are listed");
    assert.match(await textOf(b, "customer-environment"), /mailboxes/);
    assert.match(await textOf(b, "customer-contact"), /Stuttgart|Germany|DE/);
    await screenshot(b, "12-customer-page");
    // Each invoice row opens that invoice; back, then a new quote for this customer.
    await b.execute(() => document.querySelector('[data-testid="customer-invoice"]').click());
    await el(b, "invoice-summary");
    await b.back();
    await el(b, "customer-title");
    await click(b, "customer-new-quote");
    await b.waitUntil(async () => /^#\/quotes\/new\/\d+$/.test(await b.execute(() => location.hash)), { timeout: 10_000 });
    await b.waitUntil(async () => (await textOf(b, "quote-customer")) === "Müller & Söhne GmbH", { timeout: 10_000, timeoutMsg: "the new quote does not name its customer" });
    // Leave the new quote unsaved (the screen may ask first).
    await click(b, "nav-customers");
    await b.waitUntil(async () => {
      const asked = await b.execute(() => { const yes = document.querySelector('[data-testid="confirm-yes"]'); yes?.click(); return Boolean(yes); });
      return asked || (await b.execute(() => location.hash)) === "#/customers";
    }, { timeout: 10_000 });
    await el(b, "customer-search");
  });

  it("shows a name that looks like HTML as text", async () => {
    await click(b, "nav-customers");
    await click(b, "customer-new");
    const name = '<img src=x onerror="document.title=\'pwned\'">Evil & Co';
    await type(b, "field-name", name);
    await click(b, "customer-save");
    await gone(b, "customer-dialog");
    await type(b, "customer-search", "evil & co");
    await waitForNames(b, [name]);
    assert.equal(await b.execute(() => document.querySelectorAll("[data-testid=customer-rows] img").length), 0);
    assert.notEqual(await b.getTitle(), "pwned");
  });

  it("keeps a logo for the documents and refuses a file that is not an image", async () => {
    await click(b, "nav-settings");
    await chooseFile(b, "logo-file", "notes.txt", "not an image");
    await b.waitUntil(async () => /PNG or JPEG/.test((await textOf(b, "logo-error")) ?? ""), { timeout: 10_000 });
    await chooseFile(b, "logo-file", "logo.png", readFileSync(join(repo, "icons/128x128.png")));
    await b.waitUntil(async () => b.execute(() => !document.querySelector('[data-testid="logo-preview"]').hidden), { timeout: 10_000 });
    await screenshot(b, "12-settings-logo");
  });

  it("keeps the sample books apart from the partner's own", async () => {
    await click(b, "sample-close");
    await el(b, "sample-open");
    assert.equal(await b.$('[data-testid="sample-banner"]').isExisting(), false);
    await click(b, "nav-customers");
    await el(b, "customer-empty");
    await click(b, "nav-invoices");
    await b.waitUntil(async () => (await b.$$('[data-testid="invoice-row"]')).length === 0, { timeout: 10_000 });
    await click(b, "sample-open");
    await el(b, "sample-banner");
    await click(b, "nav-customers");
    await b.waitUntil(async () => (await customerNames(b)).length === 18, { timeout: 10_000 });
    await screenshot(b, "13-sample-books");
  });

  it("refuses a plugin command the capability does not grant", async () => {
    const outcome = await b.executeAsync((done) => {
      window.__TAURI_INTERNALS__
        .invoke("plugin:dialog|open", { options: {} })
        .then(() => done("allowed"), (e) => done(`refused: ${e}`));
    });
    assert.match(outcome, /^refused: .*not allowed/i);
    const own = await b.executeAsync((done) => {
      window.__TAURI_INTERNALS__.invoke("app_status").then((s) => done(s.needs_profile === false), () => done(false));
    });
    assert.equal(own, true);
  });
});
