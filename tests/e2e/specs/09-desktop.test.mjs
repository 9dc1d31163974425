// What the desktop around the app gives it: a `.vardesk` backup opened from the file
// manager (the path on the command line) is offered for restore, checked and confirmed
// first; and the About dialog with the version, the data and backup locations and the
// licences of what VarDesk ships.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cli, click, el, findNoCustomer, launch, repo, screenshot, textOf, type } from "../lib/app.mjs";

describe("the desktop around the app", () => {
  let app;
  const dataDir = mkdtempSync(join(tmpdir(), "vardesk-e2e-desktop-"));
  const db = join(dataDir, "vardesk.sqlite3");
  const backup = join(mkdtempSync(join(tmpdir(), "vardesk-e2e-offsite-")), "Offsite copy.vardesk");

  before(async () => {
    execFileSync(cli, ["--db", db, "init", "--sample-data"]);
    execFileSync(cli, ["--db", db, "backup", "--out", backup]);
    // Added after the backup: restoring the backup takes it away.
    const csv = join(dataDir, "late.csv");
    execFileSync("sh", ["-c", `printf 'name;city;country\\nAdded After The Backup Ltd;Leeds;GB\\n' > '${csv}'`]);
    execFileSync(cli, ["--db", db, "customers", "import", csv]);
    app = await launch("desktop", { port: 4464, dataDir, args: [backup] });
  });
  after(async () => app?.close());

  it("offers to restore a backup it was opened with, and restores it after the checks", async () => {
    const b = app.browser;
    await el(b, "confirm-dialog");
    const question = await b.execute(() => document.querySelector('[data-testid="confirm-dialog"]').textContent);
    assert.ok(question.includes(backup), question);
    assert.match(question, /18 customers/);
    await screenshot(b, "61-opened-backup");
    await click(b, "confirm-yes");
    // The restore takes a moment (checks, a safety backup, numbers carried over): wait for it.
    await b.waitUntil(async () => /^Restored\./.test((await textOf(b, "toast")) ?? ""), { timeout: 20_000, timeoutMsg: "the restore never finished" });
    await el(b, "card-mrr");
    await findNoCustomer(b, "Added After");
  });

  it("shows About: version, where the data and backups are, and the licences", async () => {
    const b = app.browser;
    await click(b, "about-open");
    await el(b, "about-dialog");
    const version = readFileSync(join(repo, "Cargo.toml"), "utf8").match(/^version = "(.+)"/m)[1];
    assert.equal(await textOf(b, "about-version"), `Version ${version}`);
    assert.equal(await textOf(b, "about-data-file"), db);
    assert.equal(await textOf(b, "about-backup-folder"), join(dataDir, "backups"));
    // The log says what happened (#18): the start and the commands the window ran, by name,
    // with no customer's name or amount in it.
    assert.equal(await textOf(b, "about-log-folder"), join(dataDir, "logs"));
    const logs = readdirSync(join(dataDir, "logs")).filter((f) => /^vardesk\..*\.log$/.test(f));
    assert.equal(logs.length, 1, `one log file today: ${logs}`);
    const log = readFileSync(join(dataDir, "logs", logs[0]), "utf8");
    assert.match(log, /INFO started program="app"/);
    assert.match(log, /INFO about: close time\.busy=/);
    const info = log.split("\n").filter((l) => l.includes(" INFO "));
    assert.ok(info.length > 3, log);
    assert.deepEqual(info.filter((l) => /Contoso|Fabrikam|EUR|€|\d+[.,]\d\d\b/.test(l.replace(/time\.\w+=[\d.]+\w+/g, ""))), []);
    if (!process.env.DBUS_SESSION_BUS_ADDRESS) {
      // No desktop session here to ask a file manager: the plain sentence, not a failure.
      await click(b, "about-show-data");
      await b.waitUntil(async () => /The file manager could not show .*vardesk\.sqlite3/.test(await textOf(b, "toast")),
        { timeout: 10_000, timeoutMsg: "no sentence about the file manager" });
    }
    await click(b, "about-show-licences");
    await el(b, "licence-row");
    const names = await b.execute(() => [...document.querySelectorAll('[data-testid="licence-row"]')].map((r) => r.dataset.name));
    for (const name of ["dejavu sans and dejavu sans bold", "rusqlite", "tauri", "printpdf", "rust_decimal", "echarts"]) {
      assert.ok(names.includes(name), `${name} is listed`);
    }
    await type(b, "licence-filter", "printpdf");
    const shown = () => b.execute(() => [...document.querySelectorAll('[data-testid="licence-row"]')].filter((r) => !r.hidden).map((r) => r.dataset.name));
    await b.waitUntil(async () => (await shown()).length === 1, { timeout: 5000 }).catch(async () => {
      assert.fail(`the filter "printpdf" shows ${JSON.stringify(await shown())}`);
    });
    await b.execute(() => document.querySelector('[data-testid="licence-row"]:not([hidden]) [data-testid="licence-toggle"]').click());
    const text = await b.execute(() => document.querySelector('[data-testid="licence-row"]:not([hidden]) [data-testid="licence-text"]').textContent);
    assert.match(text, /Felix Schütt\s+Permission is hereby granted/);
    await screenshot(b, "62-about");
  });
});
