// The annuity projection through the window: the crossover sentence follows the churn,
// bad assumptions are refused in place, scenarios are saved and compared, the CSV goes
// through the real save dialog (driven with xdotool) and is read back, and the screen is
// looked at in 1280×800 and 1920×1080.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { click, el, launchWithSampleData, saveThroughDialog, screenshot, textOf, type } from "../lib/app.mjs";

/** The month in "… in month 19 — May 2028", or Infinity when it never overtakes. */
function crossoverMonth(text) {
  const m = /month (\d+) — /i.exec(text);
  if (m) return Number(m[1]);
  assert.match(text, /(does not overtake project revenue|Not) within \d+ months?/);
  return Infinity;
}

describe("projection", () => {
  let app;
  let b;
  const crossover = () => textOf(b, "crossover-text");
  /** Types into a field and waits until the sentence changes from `before`. */
  const retype = async (field, value, before) => {
    await type(b, field, "");
    await type(b, field, value);
    await b.waitUntil(async () => (await crossover()) !== before, { timeout: 10_000, timeoutMsg: `the crossover stayed "${before}" after ${field} = ${value}` });
    return crossover();
  };
  const waitStable = async () => {
    await b.waitUntil(() => b.execute(() => !document.querySelector('[data-testid="projection-results"]').classList.contains("stale")), { timeout: 10_000 });
    // Charts draw on the next animation frame.
    await b.waitUntil(() => b.execute(() => document.querySelectorAll('[data-testid="chart-mrr"] svg path').length > 3), { timeout: 10_000, timeoutMsg: "the MRR chart was never drawn" });
  };

  before(async () => {
    app = await launchWithSampleData("projection", { port: 4452 });
    b = app.browser;
  });
  after(async () => app?.close());

  it("shows the dashboard's MRR change and the annuity card", async () => {
    await b.waitUntil(async () => /since /.test((await textOf(b, "mrr-change")) ?? ""), { timeout: 10_000 });
    await b.waitUntil(async () => /project revenue/.test((await textOf(b, "dashboard-crossover")) ?? ""), { timeout: 10_000 });
    await screenshot(b, "40-dashboard-annuity");
    // A figure opens the list behind it, already filtered.
    await click(b, "action-overdue");
    await b.waitUntil(() => b.execute(() => document.querySelector('[data-testid="invoice-status-filter"]')?.value === "overdue"), { timeout: 10_000 });
    await b.waitUntil(async () => {
      const shown = await b.execute(() => [...document.querySelectorAll('[data-testid="invoice-status"]')].map((e) => e.textContent));
      return shown.length > 0 && shown.every((t) => t === "Overdue");
    }, { timeout: 10_000, timeoutMsg: "the overdue list shows other invoices" });
  });

  it("moves the crossover month when churn changes", async () => {
    await click(b, "nav-projection");
    await el(b, "crossover-text");
    await waitStable();
    const months = await b.execute(() => document.querySelector('[data-testid="field-months"]').value);
    const rows = await b.execute(() => document.querySelectorAll('[data-testid="projection-row"]').length);
    assert.equal(rows, Number(months), "one table row per month");

    const base = await crossover();
    const low = await retype("field-churn_percent", "0.5", base);
    const high = await retype("field-churn_percent", "8", low);
    assert.ok(crossoverMonth(low) < crossoverMonth(high), `lower churn overtakes sooner: "${low}" vs "${high}"`);
    // The layer chart's bands and the margin line are drawn, with a legend.
    await b.waitUntil(() => b.execute(() => /Book at start.*Recurring margin/s.test(document.querySelector('[data-testid="chart-mrr"]')?.textContent ?? "")),
      { timeout: 10_000, timeoutMsg: "the MRR chart's legend never showed its bands and the margin line" });
    // Hovering shows the month's exact figures as the table prints them.
    const chartEl = await el(b, "chart-mrr");
    await b.execute((node) => node.scrollIntoView({ block: "center" }), chartEl);
    await b.action("pointer").move({ origin: chartEl, x: 120, y: 0 }).perform();
    await b.waitUntil(() => b.execute(() => Boolean(document.querySelector('.chart-tip'))), { timeout: 10_000, timeoutMsg: "no tooltip on hover" });
    const tip = await b.execute(() => {
      const t = document.querySelector('.chart-tip');
      return { month: t.querySelector("div").textContent, rows: [...t.querySelectorAll("tr")].map((r) => [...r.cells].map((c) => c.textContent)) };
    });
    const row = await b.execute((label) => {
      const r = [...document.querySelectorAll('[data-testid="projection-row"]')].find((tr) => tr.cells[0].textContent === label);
      return r && [...r.cells].map((c) => c.textContent);
    }, tip.month);
    assert.ok(row, `the tooltip's month ${tip.month} is in the table`);
    const mrr = tip.rows.find(([name]) => name === "MRR");
    assert.equal(mrr?.[1], row[1], "the tooltip's MRR is the table's");
    assert.equal(tip.rows.find(([name]) => name === "Recurring margin")?.[1], row[4]);
  });

  it("refuses impossible assumptions beside the field and keeps the last good figures", async () => {
    const good = await crossover();
    await type(b, "field-churn_percent", "");
    await type(b, "field-churn_percent", "150");
    await b.waitUntil(async () => /between 0 and 100/.test((await textOf(b, "error-churn_percent")) ?? ""), { timeout: 10_000 });
    await type(b, "field-months", "");
    await type(b, "field-months", "121");
    await b.waitUntil(async () => /1 to 120/.test((await textOf(b, "error-months")) ?? ""), { timeout: 10_000 });
    assert.equal(await crossover(), good, "the last good projection stays on screen");
    assert.ok(await b.execute(() => document.querySelector('[data-testid="projection-results"]').classList.contains("stale")));
    await type(b, "field-months", "");
    await type(b, "field-months", "60");
    await type(b, "field-churn_percent", "");
    await type(b, "field-churn_percent", "1,5");
    await waitStable();
    assert.equal(await textOf(b, "error-churn_percent"), "");
    assert.equal(await b.execute(() => document.querySelectorAll('[data-testid="projection-row"]').length), 60);
  });

  it("saves three scenarios and compares them side by side", async () => {
    const save = async (name, churn, makeDefault) => {
      if (churn !== null) {
        const before = await crossover();
        await type(b, "field-churn_percent", "");
        await type(b, "field-churn_percent", churn);
        await b.waitUntil(async () => (await crossover()) !== before, { timeout: 10_000 });
      }
      await click(b, "scenario-save-as");
      await type(b, "scenario-name", "");
      await type(b, "scenario-name", name);
      if (makeDefault) await click(b, "scenario-default");
      await click(b, "scenario-save");
      await b.waitUntil(() => b.execute((n) => Boolean(document.querySelector(`[data-testid="scenario"][data-name="${n}"]`)), name), { timeout: 10_000 });
    };
    await save("Base", null, true);
    await save("Upside", "0.5", false);
    await save("Downside", "6", false);
    const names = await b.execute(() => [...document.querySelectorAll('[data-testid="scenario"]')].map((li) => li.dataset.name));
    assert.deepEqual(names, ["Base", "Downside", "Upside"]);

    await b.execute(() => document.querySelectorAll('[data-testid="scenario-compare"]').forEach((box) => box.click()));
    await click(b, "scenario-compare-button");
    await b.waitUntil(() => b.execute(() => document.querySelectorAll('[data-testid="comparison-row"]').length === 3), { timeout: 10_000 });
    await b.waitUntil(() => b.execute(() => document.querySelectorAll('[data-testid="chart-comparison"] svg path').length > 2), { timeout: 10_000 });
    const compared = await b.execute(() => [...document.querySelectorAll('[data-testid="comparison-row"]')].map((r) => ({
      name: r.cells[0].textContent, endMrr: r.cells[2].textContent, crossover: r.cells[7].textContent,
    })));
    const by = Object.fromEntries(compared.map((c) => [c.name, c]));
    assert.ok(crossoverMonth(by.Upside.crossover) <= crossoverMonth(by.Base.crossover));
    assert.ok(crossoverMonth(by.Base.crossover) <= crossoverMonth(by.Downside.crossover));
    assert.notEqual(by.Upside.endMrr, by.Downside.endMrr);
    const legend = await b.execute(() => document.querySelector('[data-testid="chart-comparison"]').textContent);
    for (const n of ["Base", "Upside", "Downside"]) assert.match(legend, new RegExp(n));
    await b.execute(() => document.querySelector('[data-testid="scenario-comparison"]').scrollIntoView());
    await screenshot(b, "42-projection-scenarios");

    // Loading a scenario puts its assumptions back.
    await b.execute(() => document.querySelector('[data-testid="scenario"][data-name="Upside"] [data-testid="scenario-load"]').click());
    await b.waitUntil(() => b.execute(() => document.querySelector('[data-testid="field-churn_percent"]').value === "0.5"), { timeout: 10_000 });
    assert.equal(await textOf(b, "scenario-loaded"), "Scenario “Upside”");
    await b.execute(() => document.querySelector('[data-testid="scenario"][data-name="Base"] [data-testid="scenario-load"]').click());
    await b.waitUntil(() => b.execute(() => document.querySelector('[data-testid="field-churn_percent"]').value === "1.5"), { timeout: 10_000 });
  });

  it("exports the table as CSV through the save dialog and reads it back", async () => {
    await waitStable();
    const dir = mkdtempSync(join(tmpdir(), "vardesk-csv-"));
    const target = join(dir, "projection-export.csv");
    await click(b, "projection-csv");
    await saveThroughDialog("Export projection as CSV", target);
    await b.waitUntil(() => existsSync(target), { timeout: 10_000, timeoutMsg: `${target} was never written` });
    await new Promise((r) => setTimeout(r, 200));

    const bytes = readFileSync(target);
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], "UTF-8 BOM");
    const lines = bytes.toString("utf8").slice(1).trimEnd().split("\r\n");
    assert.equal(lines[0], "month,period,mrr,arr,recurring_cost,recurring_margin,one_time,cumulative_recurring,cumulative_one_time");
    assert.equal(lines.length, 61, "header and 60 months");
    const table = await b.execute(() => [...document.querySelectorAll('[data-testid="projection-row"]')].map((r) => [...r.cells].map((c) => c.textContent)));
    const digits = (s) => s.replace(/[^0-9]/g, "");
    for (const i of [0, 17, 59]) {
      const cells = lines[i + 1].split(",");
      assert.equal(cells[0], String(i));
      assert.match(cells[2], /^\d+\.\d{2}$/, "decimals with a dot");
      // The screen shows the same figures in the locale's format.
      assert.equal(digits(table[i][1]), digits(cells[2]), `MRR of month ${i}`);
      assert.equal(digits(table[i][7]), digits(cells[8]), `cumulative one-time of month ${i}`);
    }
  });

  it("prints the projection with Ctrl+P (CUPS cups-pdf here)", async (t) => {
    const out = process.env.VARDESK_PRINT_OUT;
    if (!out) {
      assert.ok(!process.env.CI, "CI runs this with scripts/setup-cups-pdf.sh");
      t.skip("no CUPS test printer (scripts/setup-cups-pdf.sh)");
      return;
    }
    const start = await b.execute(() => document.querySelector('[data-testid="field-start"]').value);
    const printed = join(out, `projection-${start}-60-months.pdf`);
    const before = existsSync(printed) ? statSync(printed).mtimeMs : 0;
    const sentence = await crossover();
    await b.keys(["Control", "p"]);
    await el(b, "print-dialog");
    await click(b, "print-go");
    await b.waitUntil(async () => /Sent to the printer/.test((await textOf(b, "toast")) ?? ""), { timeout: 10_000 });
    await b.waitUntil(() => existsSync(printed) && statSync(printed).mtimeMs > before && readFileSync(printed).includes("%%EOF"),
      { timeout: 30_000, timeoutMsg: `${printed} never arrived` });
    const text = execFileSync("pdftotext", [printed, "-"]).toString().replace(/\s+/g, " ");
    assert.ok(text.includes(sentence), `"${sentence}" not in the printed projection`);
    assert.ok(text.includes("scenario “Base”"), "the loaded scenario is named");
  });

  it("is readable at 1280×800 and 1920×1080", async () => {
    // The export's toast goes after a few seconds; the screenshots show the screen itself.
    await b.waitUntil(() => b.execute(() => !document.querySelector(".toast")), { timeout: 10_000 });
    for (const [w, hgt] of [[1280, 800], [1920, 1080]]) {
      await b.setWindowSize(w, hgt);
      await b.execute(() => window.scrollTo(0, 0));
      await b.execute(() => document.querySelector('[data-testid="content"]').scrollTo(0, 0));
      await new Promise((r) => setTimeout(r, 400));
      // Nothing sticks out sideways: the charts follow the window.
      const overflow = await b.execute(() => {
        const main = document.querySelector('[data-testid="content"]');
        return main.scrollWidth - main.clientWidth;
      });
      assert.ok(overflow <= 1, `content overflows by ${overflow}px at ${w}×${hgt}`);
      const chartWidth = await b.execute(() => document.querySelector('[data-testid="chart-mrr"] svg').getBoundingClientRect().width);
      const boxWidth = await b.execute(() => document.querySelector('[data-testid="chart-mrr"]').getBoundingClientRect().width);
      assert.ok(Math.abs(chartWidth - boxWidth) < 4, `the chart fills its panel (${chartWidth} of ${boxWidth})`);
      await screenshot(b, `41-projection-${w}x${hgt}`);
    }
  });

  it("keeps Object.prototype closed with the chart library loaded on demand", async () => {
    // The chart library came with the projection screen, after the prototype was hardened.
    assert.ok(await b.execute(() => document.querySelectorAll("svg path").length > 3), "the charts are drawn");
    const tried = await b.execute(() => {
      "use strict";
      const attempt = (f) => { try { f(); return "allowed"; } catch { return "refused"; } };
      return {
        add: attempt(() => { Object.prototype.polluted = 1; }),
        define: attempt(() => Object.defineProperty(Object.prototype, "isAdmin", { value: true })),
        replace: attempt(() => { Object.prototype.toString = () => "pwned"; }),
        remove: attempt(() => { delete Object.prototype.hasOwnProperty; }),
        viaProto: attempt(() => { ({}).__proto__.isAdmin = true; }),
        seen: ["polluted" in {}, "isAdmin" in {}, String({}), typeof ({}).hasOwnProperty],
      };
    });
    assert.deepEqual(tried, {
      add: "refused", define: "refused", replace: "refused", remove: "refused", viaProto: "refused",
      seen: [false, false, "[object Object]", "function"],
    });
  });
});
