// The app's own backend killed with SIGKILL while it writes — a billing run, issuing every
// draft, a payment, accepting a quote, a restore — over and over. After each kill `vardesk
// check` passes (integrity, gapless numbers, documents adding up, no double billing, open
// balances), nothing committed before the write is missing, a restore is whole or not at all,
// and the app starts again on the same data.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cli, click, el, launch, type } from "../lib/app.mjs";

const WRITES = ["billing run", "issue all", "payment", "accept quote", "restore"];
const ROUNDS = 2 * WRITES.length;

describe("the app killed while it writes", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "vardesk-e2e-killed-"));
  const db = join(dataDir, "vardesk.sqlite3");
  const vardesk = (...args) => execFileSync(cli, ["--db", db, ...args], { encoding: "utf8" });
  /** The table counts from `vardesk check --json`, which also has to pass. */
  const checked = (context) => {
    const run = spawnSync(cli, ["--db", db, "check", "--json"], { encoding: "utf8" });
    assert.equal(run.status, 0, `${context}: ${run.stdout}${run.stderr}`);
    return Object.fromEntries(JSON.parse(run.stdout).counts);
  };

  it(`passes check after ${ROUNDS} kills during every kind of write`, async () => {
    vardesk("init", "--sample-data");
    // The backup the restores bring back (into the default folder, listed in Settings).
    vardesk("backup");
    const atBackup = checked("after init");
    let seed = Date.now() % 100_000;
    const random = (n) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const firstSeed = seed;
    console.log(`seed ${seed}`);
    for (let round = 0; round < ROUNDS; round++) {
      const write = WRITES[round % WRITES.length];
      const before = checked(`before round ${round}`);
      const app = await launch(`killed-${round}`, { port: 4458, dataDir });
      try {
        await startWrite(app.browser, write, round);
        // Somewhere between the click and well after the write.
        await new Promise((r) => setTimeout(r, random(80)));
        assert.equal(spawnSync("pkill", ["-KILL", "-x", "vardesk-desktop"]).status, 0, "the app was running to be killed");
      } finally {
        spawnSync("pkill", ["-KILL", "-x", "vardesk-desktop"]);
        await Promise.race([app.close().catch(() => {}), new Promise((r) => setTimeout(r, 3000))]);
        spawnSync("pkill", ["-KILL", "-f", "tauri-driver --port 4458"]);
      }
      const context = `round ${round}, ${write} (seed ${firstSeed})`;
      const after = checked(context);
      console.log(`${context}: ${JSON.stringify(after) === JSON.stringify(before) ? "counts unchanged" : "counts changed"}`);
      if (write === "restore") {
        // Either the data as it was, or the backup, whole.
        const asBefore = JSON.stringify(after) === JSON.stringify(before);
        const asBackup = JSON.stringify(after) === JSON.stringify(atBackup);
        assert.ok(asBefore || asBackup, `${context}: ${JSON.stringify({ before, after, atBackup })}`);
      } else {
        for (const [table, count] of Object.entries(before)) {
          assert.ok(after[table] >= count, `${context}: ${table} went from ${count} to ${after[table]}`);
        }
      }
    }
    // And it starts again on the same data.
    const app = await launch("killed-after", { port: 4458, dataDir });
    try {
      await el(app.browser, "card-mrr");
    } finally {
      await app.close();
    }
  });

  /** Starts one write through the window, returning right after the click that commits it. */
  async function startWrite(b, write, round) {
    if (write === "billing run" || write === "issue all") {
      await click(b, "nav-invoices");
      await el(b, "invoice-row");
      const drafts = JSON.parse(vardesk("invoices", "list", "--status", "draft", "--json")).invoices.length;
      if (write === "issue all" && drafts > 0) {
        await click(b, "issue-all");
        await click(b, "drafts-issue");
        return;
      }
      const next = new Date();
      next.setMonth(next.getMonth() + 2 + round, 1);
      await click(b, "billing-run");
      await type(b, "run-period", `${next.getFullYear()}-${String(next.getMonth() + 1).padStart(2, "0")}`);
      await click(b, "run-preview-button");
      await el(b, "run-summary");
      await click(b, "run-create");
    } else if (write === "payment") {
      const open = JSON.parse(vardesk("invoices", "list", "--json")).invoices
        .find((i) => ["issued", "partially_paid", "overdue"].includes(i.status));
      assert.ok(open, "an invoice to pay");
      await b.execute((id) => { location.hash = `#/invoices/${id}`; }, open.id);
      await type(b, "payment-amount", "10");
      await click(b, "payment-record");
    } else if (write === "accept quote") {
      const quotes = JSON.parse(vardesk("quotes", "list", "--json")).quotes;
      const quote = quotes.find((q) => q.status === "sent") ?? quotes.find((q) => q.status === "draft");
      assert.ok(quote, "a quote to accept");
      await b.execute((id) => { location.hash = `#/quotes/${id}`; }, quote.id);
      if (quote.status === "draft") {
        await click(b, "quote-send");
        await el(b, "quote-accept");
      }
      await click(b, "quote-accept");
      await click(b, "confirm-yes");
    } else {
      await click(b, "nav-settings");
      await el(b, "backup-row");
      await b.execute(() => document.querySelector('[data-testid="backup-row"][data-kind="manual"] [data-testid="backup-restore"]').click());
      await click(b, "confirm-yes");
    }
  }
});
