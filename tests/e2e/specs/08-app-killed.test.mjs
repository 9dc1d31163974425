// The app's own backend killed with SIGKILL while it writes (a billing run, issuing every
// draft), over and over: after each kill `vardesk check` passes (integrity, gapless numbers,
// documents adding up, no double billing, open balances) and the app starts again on the
// same data.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cli, click, el, launch, type } from "../lib/app.mjs";

const ROUNDS = 8;

describe("the app killed while it writes", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "vardesk-e2e-killed-"));
  const db = join(dataDir, "vardesk.sqlite3");

  it(`passes check after ${ROUNDS} kills during billing runs and issues`, async () => {
    execFileSync(cli, ["--db", db, "init", "--sample-data"]);
    let seed = Date.now() % 100_000;
    const random = (n) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    console.log(`seed ${seed}`);
    for (let round = 0; round < ROUNDS; round++) {
      const app = await launch(`killed-${round}`, { port: 4458, dataDir });
      try {
        await writeAndKill(app, round);
      } finally {
        spawnSync("pkill", ["-KILL", "-x", "vardesk-desktop"]);
        await Promise.race([app.close().catch(() => {}), new Promise((r) => setTimeout(r, 3000))]);
        spawnSync("pkill", ["-KILL", "-f", "tauri-driver --port 4458"]);
      }
      const check = spawnSync(cli, ["--db", db, "check"], { encoding: "utf8" });
      assert.equal(check.status, 0, `round ${round} (seed ${seed}): ${check.stdout}${check.stderr}`);
    }
    // And it starts again on the same data.
    const app = await launch("killed-after", { port: 4458, dataDir });
    try {
      await el(app.browser, "card-mrr");
    } finally {
      await app.close();
    }

    /** Starts a write through the window and kills the app somewhere during or after it. */
    async function writeAndKill(app, round) {
      const b = app.browser;
      const next = new Date();
      next.setMonth(next.getMonth() + 2 + round, 1);
      const period = `${next.getFullYear()}-${String(next.getMonth() + 1).padStart(2, "0")}`;
      await click(b, "nav-invoices");
      await el(b, "invoice-row");
      // Issue every draft when there are drafts (a killed run may have left none).
      const canIssue = await b.execute(() => {
        const button = document.querySelector('[data-testid="issue-all"]');
        return Boolean(button && !button.disabled && !button.hidden && button.offsetParent);
      });
      if (round % 2 === 0 || !canIssue) {
        await click(b, "billing-run");
        await type(b, "run-period", period);
        await click(b, "run-preview-button");
        await el(b, "run-summary");
        await click(b, "run-create");
      } else {
        await click(b, "issue-all");
        await click(b, "confirm-yes");
      }
      // Somewhere between the click and well after the write.
      await new Promise((r) => setTimeout(r, random(150)));
      const killed = spawnSync("pkill", ["-KILL", "-x", "vardesk-desktop"]).status === 0;
      assert.ok(killed, "the app was running to be killed");
    }
  });
});
