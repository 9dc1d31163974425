// Data safety through the window: the daily backup made at start, "Back up now", a restore
// that brings back what was backed up (and keeps what it replaced), and a page that tries
// to reach plugin commands VarDesk does not grant.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { click, customerNames, el, findNoCustomer, gone, launchWithBooks, saveThroughDialog, screenshot, textOf, type } from "../lib/app.mjs";

describe("data safety", () => {
  let app;
  let b;
  const kinds = () => b.execute(() => [...document.querySelectorAll('[data-testid="backup-row"]')].map((r) => r.dataset.kind));

  before(async () => {
    app = await launchWithBooks("safety", { port: 4454 });
    b = app.browser;
  });
  after(async () => app?.close());

  it("made today's backup at start and backs up on demand", async () => {
    await click(b, "nav-settings");
    await el(b, "backups");
    await b.waitUntil(async () => (await kinds()).includes("daily"), { timeout: 10_000, timeoutMsg: "no daily backup listed" });
    assert.ok((await textOf(b, "backup-folder")).endsWith("backups"), "the default folder is beside the data");
    await click(b, "backup-now");
    await b.waitUntil(async () => (await kinds())[0] === "manual", { timeout: 10_000, timeoutMsg: "the new backup is not listed first" });
    await screenshot(b, "50-backups");
  });

  it("restores a backup: what was added since is gone, and kept in a backup of its own", async () => {
    await click(b, "nav-customers");
    await click(b, "customer-new");
    await type(b, "field-name", "Added After The Backup GmbH");
    await click(b, "customer-save");
    await gone(b, "customer-dialog");
    await type(b, "customer-search", "Added After");
    await b.waitUntil(async () => (await customerNames(b)).includes("Added After The Backup GmbH"), { timeout: 10_000 });

    // Invoices issued after the backup: the restore lists them, and their numbers are never
    // issued again.
    const next = new Date();
    next.setMonth(next.getMonth() + 1, 1);
    const period = `${next.getFullYear()}-${String(next.getMonth() + 1).padStart(2, "0")}`;
    await click(b, "nav-invoices");
    await el(b, "invoice-row");
    await click(b, "billing-run");
    await type(b, "run-period", period);
    await click(b, "run-preview-button");
    await b.waitUntil(async () => /^\d+ invoices/.test((await textOf(b, "run-summary")) ?? ""), { timeout: 10_000 });
    await click(b, "run-create");
    await gone(b, "billing-dialog");
    await click(b, "issue-all");
    await click(b, "drafts-issue");
    const issued = () => b.execute(() => [...document.querySelectorAll('[data-testid="invoice-row"]')].map((r) => r.textContent.match(/^INV-\d{4}-\d{4}/)?.[0]).filter(Boolean));
    await b.waitUntil(async () => !(await b.execute(() => [...document.querySelectorAll('[data-testid="invoice-row"]')].some((r) => /Draft/.test(r.textContent)))), { timeout: 20_000 });
    const newest = (await issued()).sort().at(-1);

    await click(b, "nav-settings");
    await b.waitUntil(async () => (await kinds())[0] === "manual", { timeout: 10_000 });
    await b.execute(() => document.querySelector('[data-testid="backup-row"][data-kind="manual"] [data-testid="backup-restore"]').click());
    await el(b, "confirm-yes");
    const question = await b.execute(() => document.querySelector('[role="dialog"]').textContent);
    assert.match(question, /18 customers/);
    assert.match(question, /never issued again/);
    assert.ok(question.includes(newest), `${newest} is listed: ${question}`);
    await screenshot(b, "51-restore-lists-lost-invoices");
    await click(b, "confirm-yes");
    await el(b, "card-mrr");

    await findNoCustomer(b, "Added After");
    await click(b, "nav-settings");
    await b.waitUntil(async () => (await kinds()).includes("before-restore"), { timeout: 10_000, timeoutMsg: "no before-restore backup" });
  });

  it("shows names that look like markup as text, never as markup", async () => {
    const hostile = `<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script> \u202egnp.exe 🧾`;
    await click(b, "nav-customers");
    await click(b, "customer-new");
    // Set as a paste would: WebKitWebDriver cannot type characters outside the BMP (🧾).
    await el(b, "field-name");
    await b.execute((value) => {
      const input = document.querySelector('[data-testid="field-name"]');
      input.value = value;
      input.dispatchEvent(new Event("input", { bubbles: true }));
    }, hostile);
    await click(b, "customer-save");
    await gone(b, "customer-dialog");
    await type(b, "customer-search", "gnp.exe");
    await b.waitUntil(async () => (await customerNames(b)).includes(hostile), { timeout: 10_000, timeoutMsg: `the name is not shown as typed: ${JSON.stringify(await customerNames(b))}` });
    const injected = await b.execute(() => ({
      pwned: window.__pwned ?? null,
      imgs: document.querySelectorAll('[data-testid="content"] img').length,
      scripts: [...document.querySelectorAll("script")].filter((s) => !s.src).length,
    }));
    assert.deepEqual(injected, { pwned: null, imgs: 0, scripts: 0 });
    await screenshot(b, "52-hostile-name");
  });

  it("exports everything as one ZIP through the save dialog", async () => {
    await click(b, "nav-settings");
    await el(b, "export-everything");
    const target = join(mkdtempSync(join(tmpdir(), "vardesk-zip-")), "everything.zip");
    await click(b, "export-everything");
    await saveThroughDialog("Export everything", target);
    await b.waitUntil(async () => /^Exported \d+ customers/.test((await textOf(b, "toast")) ?? ""), { timeout: 30_000, timeoutMsg: "no export toast" });
    assert.ok(existsSync(target), `${target} was not written`);
    const listing = execFileSync("python3", ["-c", "import sys,zipfile; print('\\n'.join(zipfile.ZipFile(sys.argv[1]).namelist()))", target]).toString();
    for (const name of ["customers.csv", "quotes.csv", "invoices.csv", "payments.csv", "subscriptions.csv"]) assert.match(listing, new RegExp(`^${name}$`, "m"));
    assert.ok(listing.split("\n").filter((n) => n.startsWith("documents/") && n.endsWith(".pdf")).length > 50, "the issued invoices as PDF");
  });

  it("runs no eval and reaches no network from the page", async () => {
    const outcome = await b.executeAsync((done) => {
      const refused = (f) => {
        try {
          f();
          return false;
        } catch {
          return true;
        }
      };
      const evalRefused = refused(() => window.eval("1 + 1"));
      const functionRefused = refused(() => new Function("return 1")());
      fetch("https://example.com/").then(() => done({ evalRefused, functionRefused, fetched: true }), () => done({ evalRefused, functionRefused, fetched: false }));
    });
    assert.deepEqual(outcome, { evalRefused: true, functionRefused: true, fetched: false });
  });

  it("refuses plugin commands the page was not granted", async () => {
    const attempts = await b.executeAsync((done) => {
      const invoke = window.__TAURI_INTERNALS__.invoke;
      const tries = [
        ["plugin:fs|read_text_file", { path: "/etc/passwd" }],
        ["plugin:shell|execute", { program: "sh", args: ["-c", "id"] }],
        ["plugin:dialog|open", {}],
        ["plugin:opener|open_url", { url: "https://example.com" }],
      ];
      Promise.all(tries.map(([cmd, args]) => invoke(cmd, args).then(() => `${cmd}: allowed`, (e) => `${cmd}: refused (${String(e)})`))).then(done);
    });
    for (const line of attempts) assert.match(line, /refused \(.*not allowed/, line);
    // VarDesk's own commands still answer.
    const ok = await b.executeAsync((done) => window.__TAURI_INTERNALS__.invoke("app_status").then((s) => done(typeof s.version), (e) => done(String(e))));
    assert.equal(ok, "string");
  });
});
