// A data file damaged while the app was closed: at start VarDesk says so in its window and
// offers the latest good backup; after the restore the app opens on the backup's data and
// the damaged file is kept beside it. A second VarDesk on the same data is refused.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cli, click, el, launch, screenshot, textOf } from "../lib/app.mjs";

describe("damaged data at start", () => {
  let app;
  const dataDir = mkdtempSync(join(tmpdir(), "vardesk-e2e-damaged-"));
  const db = join(dataDir, "vardesk.sqlite3");

  before(() => {
    execFileSync(cli, ["--db", db, "init", "--sample-data"]);
    execFileSync(cli, ["--db", db, "backup"]);
    const bytes = readFileSync(db);
    bytes.fill(0x5a, 0, 4096); // the first page (header and schema) destroyed
    writeFileSync(db, bytes);
  });
  after(async () => app?.close());

  it("offers the latest good backup and opens on it", async () => {
    app = await launch("damaged", { port: 4456, dataDir });
    const b = app.browser;
    await el(b, "startup-problem");
    assert.match(await textOf(b, "startup-problem-message"), /damaged/);
    await screenshot(b, "51-damaged-data");
    await click(b, "recover-restore");
    await el(b, "card-mrr");
    assert.match(await textOf(b, "card-mrr"), /active subscription/);
    const kept = readdirSync(dataDir).filter((f) => f.startsWith("vardesk.sqlite3.damaged-"));
    assert.equal(kept.length, 1, `the damaged file is kept: ${readdirSync(dataDir)}`);
  });

  it("refuses a second VarDesk on the same data while the first goes on", async () => {
    const second = await launch("second-instance", { port: 4462, dataDir });
    try {
      await el(second.browser, "startup-problem");
      assert.equal(await textOf(second.browser, "startup-problem-title"), "VarDesk is already open on this data");
      assert.match(await textOf(second.browser, "startup-problem-message"), /already working with .*vardesk\.sqlite3/);
      await screenshot(second.browser, "52-second-instance");
      assert.equal(await second.browser.$('[data-testid="recover-restore"]').isExisting(), false);
    } finally {
      await second.close();
    }
    // The CLI may read but not write while the app holds the data.
    const write = spawnSync(cli, ["--db", db, "billing", "run", "2031-01"], { encoding: "utf8" });
    assert.equal(write.status, 1, write.stderr);
    assert.match(write.stderr, /already working with/);
    assert.equal(spawnSync(cli, ["--db", db, "check"]).status, 0);
    // The first window still works on the data.
    await click(app.browser, "nav-customers");
    await el(app.browser, "customer-row");
  });
});
