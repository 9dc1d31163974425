// Projection: how the recurring revenue each migration leaves behind grows, against the
// one-time project income, under assumptions the partner changes, saves and compares.
// Every figure comes from the backend (DOMAIN.md §7); this screen formats and draws.
import { printDialog } from "../components/printDialog";
import { commands, messageOf } from "../api";
import { BAND_COLORS, chart, disposeDetachedCharts } from "../components/chart";
import { closeModal, confirmDialog, debounce, h, modal, toast } from "../dom";
import { Form, actions, type Values } from "../form";
import { formatMoney } from "../format";
import { screenState } from "../screenState";
import type { AssumptionsForm, FieldError, Report, Scenario } from "../types";

const PERCENTS: [string, string][] = [["churn_percent", "Churn"], ["expansion_percent", "Expansion"], ["uplift_percent", "The price rise"]];
const AMOUNTS: [string, string][] = [
  ["projects_per_month", "Projects per month"], ["seats_per_project", "Seats per project"],
  ["price_per_seat", "The price per seat"], ["cost_per_seat", "The cost per seat"], ["fee_per_project", "The fee per project"],
];
const NUMBER = /^\d+([.,]\d+)?$/;

/** What can be checked while typing; the backend checks everything again. */
function checkAssumptions(v: Values): FieldError[] {
  const errors: FieldError[] = [];
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(v.start.trim())) errors.push({ field: "start", message: `"${v.start.trim()}" is not a month like 2026-11.` });
  const months = v.months.trim();
  if (!/^\d+$/.test(months) || Number(months) < 1 || Number(months) > 120) errors.push({ field: "months", message: "The horizon must be a whole number of months from 1 to 120." });
  for (const [field, label] of PERCENTS) {
    const t = v[field].trim();
    // Comparing with 100 on the typed digits: the integer part decides, then the fraction must be 0.
    const [int, frac = ""] = t.split(/[.,]/);
    if (!NUMBER.test(t)) errors.push({ field, message: t ? `${label}: "${t}" is not a number like 1.5.` : `${label}: enter a number.` });
    else if (Number(int) > 100 || (Number(int) === 100 && /[1-9]/.test(frac))) errors.push({ field, message: `${label} must be between 0 and 100.` });
  }
  for (const [field, label] of AMOUNTS) {
    const t = v[field].trim();
    if (!NUMBER.test(t)) errors.push({ field, message: t ? `${label}: "${t}" is not a number, 0 or more.` : `${label}: enter a number.` });
  }
  return errors;
}

export async function projectionScreen(container: HTMLElement, locale: string): Promise<void> {
  disposeDetachedCharts();
  const setup = await commands.projectionSetup();
  let scenarios = setup.scenarios;
  let loadedScenario: string | null = scenarios.find((s) => s.is_default)?.name ?? null;
  let report: Report | null = null;
  const comparing = new Set<number>();

  const form = new Form("projection-form", () => recompute());
  form.section("Horizon", [
    { name: "start", label: "First month (YYYY-MM)" },
    { name: "months", label: "Months (1–120)", inputmode: "numeric" },
    { name: "currency", label: "Currency", type: "select", options: setup.currencies.map((c) => [c, c]) },
  ]);
  form.section("Your book", [
    { name: "churn_percent", label: "Churn % per month", type: "number", hint: "Share of MRR lost each month; Microsoft licences with a term lose it all at once when they renew." },
    { name: "expansion_percent", label: "Expansion % per month", type: "number", hint: "Seat growth of existing customers." },
    { name: "uplift_percent", label: "Price rise % each year", type: "number", hint: "Applied every 12 months." },
  ]);
  form.section("New business each month", [
    { name: "projects_per_month", label: "Migration projects", type: "number" },
    { name: "seats_per_project", label: "Seats per project", type: "number" },
    { name: "price_per_seat", label: "Price per seat / month", type: "number" },
    { name: "cost_per_seat", label: "Cost per seat / month", type: "number" },
    { name: "fee_per_project", label: "One-time fee per project", type: "number" },
  ]);
  const accepted = h("input", { type: "checkbox", testid: "include-accepted" });
  const pipeline = h("input", { type: "checkbox", testid: "include-pipeline" });
  form.el.append(h("fieldset", { class: "form-section" }, h("legend", {}, "From your quotes"),
    h("label", { class: "check" }, accepted, " Accepted work not yet invoiced"),
    h("label", { class: "check" }, pipeline, " Sent quotes × win probability")));

  const assumptions = (): AssumptionsForm => {
    const v = form.values();
    return {
      start: v.start, months: v.months, currency: v.currency, churn_percent: v.churn_percent, expansion_percent: v.expansion_percent,
      uplift_percent: v.uplift_percent, projects_per_month: v.projects_per_month, seats_per_project: v.seats_per_project,
      price_per_seat: v.price_per_seat, cost_per_seat: v.cost_per_seat, fee_per_project: v.fee_per_project,
      include_accepted: accepted.checked, include_pipeline: pipeline.checked,
    };
  };
  const load = (a: AssumptionsForm, start?: string) => {
    const { include_accepted, include_pipeline, ...text } = a;
    form.set({ ...text, start: start ?? a.start });
    if (!setup.currencies.includes(a.currency)) form.input("currency")?.append(h("option", { value: a.currency }, a.currency));
    form.set({ currency: a.currency });
    accepted.checked = include_accepted;
    pipeline.checked = include_pipeline;
  };
  load(setup.assumptions);

  const scenarioLabel = h("span", { class: "muted small", testid: "scenario-loaded" });
  const results = h("div", { class: "projection-results", testid: "projection-results" });
  const comparison = h("section", { class: "panel", testid: "scenario-comparison", hidden: true });
  const scenarioList = h("ul", { class: "scenario-list", testid: "scenario-list" });

  async function recompute(): Promise<void> {
    const errors = checkAssumptions(form.values());
    if (errors.length) {
      form.showErrors(errors);
      results.classList.add("stale");
      return;
    }
    try {
      report = await commands.runProjection(assumptions());
      form.clearErrors();
      results.classList.remove("stale");
      renderReport(report);
    } catch (e) {
      form.showApiError(e);
      results.classList.add("stale");
    }
  }
  const recomputeSoon = debounce(() => {
    loadedScenario = null;
    scenarioLabel.textContent = "Changed: not saved as a scenario";
    recompute();
  }, 250);
  form.el.addEventListener("input", recomputeSoon);
  form.el.addEventListener("change", recomputeSoon);

  const money = (v: string, c: string) => formatMoney(v, c, locale);
  function renderReport(r: Report): void {
    const s = r.summary;
    const c = r.currency;
    const card = (title: string, value: string, testid: string) =>
      h("div", { class: "card static" }, h("div", { class: "card-title" }, title), h("div", { class: "card-value", testid }, money(value, c)));
    const crossoverIndex = s.crossover_month;
    const layers = r.layers.map((l, i) => ({ name: l.label, values: l.values, area: true, color: BAND_COLORS[Math.min(i, BAND_COLORS.length - 1)] }));
    const labels = r.rows.map((row) => row.label);
    const table = h("table", { class: "list compact", testid: "projection-table" },
      h("thead", {}, h("tr", {}, ["Month", "MRR", "ARR", "Recurring cost", "Recurring margin", "One-time", "Cumulative recurring", "Cumulative one-time"]
        .map((t, i) => h("th", { class: i ? "num" : "" }, t)))),
      h("tbody", {}, r.rows.map((row) => h("tr", { class: row.month === crossoverIndex ? "highlight" : "", testid: "projection-row" },
        h("td", {}, row.label),
        ...[row.mrr, row.arr, row.recurring_cost, row.recurring_margin, row.one_time, row.cumulative_recurring, row.cumulative_one_time]
          .map((v) => h("td", { class: "num" }, money(v, c)))))));
    results.replaceChildren(
      h("p", { class: `crossover${crossoverIndex === null ? " none" : ""}`, testid: "crossover-text", role: "status" }, s.crossover_text),
      h("div", { class: "cards" },
        card("MRR at the end", s.end_mrr, "proj-end-mrr"), card("ARR at the end", s.end_arr, "proj-end-arr"),
        card("Recurring revenue, total", s.total_recurring, "proj-total-recurring"),
        card("Recurring margin, total", s.total_recurring_margin, "proj-total-margin"),
        card("One-time revenue, total", s.total_one_time, "proj-total-one-time")),
      h("section", { class: "panel" }, h("h2", {}, `Monthly recurring revenue by start month (${c})`),
        h("p", { class: "muted small" }, "Each band is the revenue that started in that period, after churn, expansion and price rises; the line is the recurring margin."),
        chart({ testid: "chart-mrr", labels, currency: c, locale, height: 320,
          series: [...layers, { name: "Recurring margin", values: r.rows.map((row) => row.recurring_margin), color: "#c0392b" }],
          extraTooltip: (i) => [["MRR", r.rows[i].mrr]] })),
      h("section", { class: "panel" }, h("h2", {}, `Cumulative recurring and one-time revenue (${c})`),
        chart({ testid: "chart-cumulative", labels, currency: c, locale, height: 280,
          series: [
            { name: "Cumulative recurring", values: r.rows.map((row) => row.cumulative_recurring), color: "#1f5fbf" },
            { name: "Cumulative one-time (projects)", values: r.rows.map((row) => row.cumulative_one_time), color: "#d66e28" },
          ],
          marker: crossoverIndex === null ? undefined : { index: crossoverIndex, label: `Crossover: ${labels[crossoverIndex]}` } })),
      h("section", { class: "panel" }, h("h2", {}, "Month by month"), h("div", { class: "table-wrap tall" }, table)),
    );
    disposeDetachedCharts();
  }

  function renderScenarios(): void {
    scenarioList.replaceChildren();
    if (!scenarios.length) scenarioList.append(h("li", { class: "muted small" }, "No saved scenarios yet. Save the assumptions above as “Base”, then try an upside and a downside."));
    for (const s of scenarios) {
      const box = h("input", { type: "checkbox", testid: "scenario-compare", "aria-label": `Compare ${s.name}` });
      box.checked = comparing.has(s.id);
      box.addEventListener("change", () => {
        if (box.checked && comparing.size >= 3) {
          box.checked = false;
          toast("Compare up to three scenarios at a time.", "error");
          return;
        }
        if (box.checked) comparing.add(s.id);
        else comparing.delete(s.id);
      });
      const loadIt = () => {
        load(s.assumptions, form.values().start);
        loadedScenario = s.name;
        scenarioLabel.textContent = `Scenario “${s.name}”`;
        recompute();
      };
      scenarioList.append(h("li", { testid: "scenario", "data-name": s.name }, box,
        h("button", { type: "button", class: "link", testid: "scenario-load", onclick: loadIt, title: "Load these assumptions" }, s.name),
        s.is_default ? h("span", { class: "badge", title: "The screen and `vardesk projection` start from it" }, "default") : null,
        h("span", { class: "scenario-actions" },
          s.is_default ? null : h("button", { type: "button", class: "small", onclick: () => scenarioAction(commands.setDefaultScenario, s.id) }, "Make default"),
          h("button", { type: "button", class: "small danger-quiet", testid: "scenario-delete", "aria-label": `Delete ${s.name}`, onclick: async () => {
            if (await confirmDialog(`Delete the scenario "${s.name}"? Its assumptions are not kept anywhere else.`, "Delete scenario")) {
              await scenarioAction(commands.deleteScenario, s.id);
            }
          } }, "Delete"))));
    }
  }
  async function scenarioAction(command: (id: number) => Promise<Scenario[]>, id: number): Promise<void> {
    try {
      scenarios = await command(id);
      comparing.delete(id);
      renderScenarios();
    } catch (e) {
      toast(messageOf(e), "error");
    }
  }

  function saveScenarioDialog(): void {
    const errors = checkAssumptions(form.values());
    if (errors.length) {
      form.showErrors(errors);
      return;
    }
    const name = h("input", { type: "text", testid: "scenario-name", value: loadedScenario ?? "", maxlength: 80, autocomplete: "off" });
    const makeDefault = h("input", { type: "checkbox", testid: "scenario-default" });
    const error = h("div", { class: "field-error", role: "alert", testid: "scenario-error" });
    const body = h("form", { class: "form", novalidate: true },
      h("div", { class: "field" }, h("label", { for: "scenario-name" }, "Name"), name, error),
      h("label", { class: "check" }, makeDefault, " Start the screen and the CLI from this scenario"),
      h("p", { class: "muted small" }, "A scenario with the same name is replaced. The first month is not saved: scenarios are projected from the month shown."),
      actions(h("button", { type: "submit", class: "primary", testid: "scenario-save" }, "Save scenario"),
        h("button", { type: "button", onclick: () => closeModal(dialog) }, "Cancel")));
    name.id = "scenario-name";
    body.addEventListener("submit", async (e) => {
      e.preventDefault();
      if (!name.value.trim()) {
        error.textContent = "Give the scenario a name.";
        name.focus();
        return;
      }
      try {
        scenarios = await commands.saveScenario(name.value, assumptions(), makeDefault.checked);
        loadedScenario = name.value.trim();
        scenarioLabel.textContent = `Scenario “${loadedScenario}”`;
        closeModal(dialog);
        renderScenarios();
        toast(`Scenario “${loadedScenario}” saved.`);
      } catch (e) {
        error.textContent = messageOf(e);
      }
    });
    const dialog = modal("Save scenario", body, "scenario-dialog", () => {});
    name.focus();
    name.select();
  }

  async function compare(): Promise<void> {
    const chosen = scenarios.filter((s) => comparing.has(s.id));
    if (chosen.length < 2) {
      toast("Tick two or three scenarios to compare.", "error");
      return;
    }
    try {
      const start = form.values().start;
      const reports = await Promise.all(chosen.map((s) => commands.runProjection({ ...s.assumptions, start })));
      const currencies = new Set(reports.map((r) => r.currency));
      const rows = chosen.map((s, i) => {
        const r = reports[i];
        const m = (v: string) => money(v, r.currency);
        const month = r.summary.crossover_month;
        const when = month === null ? `Not within ${r.months} months` : `Month ${month + 1} — ${r.rows[month].label}`;
        return h("tr", { testid: "comparison-row" }, h("td", { class: "strong" }, s.name), h("td", { class: "num" }, String(r.months)),
          h("td", { class: "num" }, m(r.summary.end_mrr)), h("td", { class: "num" }, m(r.summary.end_arr)),
          h("td", { class: "num" }, m(r.summary.total_recurring)), h("td", { class: "num" }, m(r.summary.total_one_time)),
          h("td", { class: "num" }, m(r.summary.total_recurring_margin)),
          h("td", { testid: "comparison-crossover", title: r.summary.crossover_text }, when));
      });
      // Lines of different currencies or horizons are not drawn on one axis.
      const longest = reports.reduce((a, b) => (b.rows.length > a.rows.length ? b : a));
      const overlay = currencies.size === 1
        ? chart({ testid: "chart-comparison", labels: longest.rows.map((r) => r.label), currency: longest.currency, locale, height: 280,
          series: chosen.map((s, i) => ({ name: s.name, values: reports[i].rows.map((r) => r.mrr), color: ["#1f5fbf", "#2896a0", "#d66e28"][i] })) })
        : h("p", { class: "muted" }, "These scenarios are in different currencies, so their MRR lines are not drawn on one axis.");
      comparison.hidden = false;
      comparison.replaceChildren(h("div", { class: "panel-header" }, h("h2", {}, "Scenarios side by side"),
        h("button", { type: "button", onclick: () => { comparison.hidden = true; } }, "Close")),
        h("div", { class: "table-wrap" }, h("table", { class: "list compact" },
          h("thead", {}, h("tr", {}, ["Scenario", "Months", "MRR at the end", "ARR at the end", "Recurring, total", "One-time, total", "Margin, total", "Recurring overtakes"]
            .map((t, i) => h("th", { class: i >= 1 && i <= 6 ? "num" : "" }, t)))),
          h("tbody", {}, rows))),
        h("h3", {}, "MRR month by month"), overlay);
      comparison.scrollIntoView({ block: "nearest" });
      disposeDetachedCharts();
    } catch (e) {
      toast(messageOf(e), "error");
    }
  }

  const scenarioName = () => loadedScenario ?? null;
  const withValid = (f: () => Promise<void>) => async () => {
    const errors = checkAssumptions(form.values());
    if (errors.length) {
      form.showErrors(errors);
      return;
    }
    try {
      await f();
    } catch (e) {
      toast(messageOf(e), "error");
    }
  };
  const exportCsv = withValid(async () => {
    const path = await commands.exportProjectionCsv(assumptions());
    if (path) toast(`Saved ${path}`);
  });
  const savePdf = withValid(async () => {
    const path = await commands.saveProjectionPdf(assumptions(), scenarioName());
    if (path) toast(`Saved ${path}`);
  });
  const openPdf = withValid(async () => {
    await commands.openProjectionPdf(assumptions(), scenarioName());
  });
  const print = withValid(async () => {
    const [chosen, scenario] = [assumptions(), scenarioName()];
    await printDialog("the projection", (printer, copies) => commands.printProjection(chosen, scenario, printer, copies));
  });
  screenState.print = () => void print();

  renderScenarios();
  scenarioLabel.textContent = loadedScenario ? `Scenario “${loadedScenario}”` : "Suggested assumptions";
  container.append(
    h("header", { class: "screen-header" }, h("h1", {}, "Projection"),
      h("div", { class: "toolbar-buttons" },
        h("button", { testid: "projection-csv", onclick: exportCsv }, "Export CSV…"),
        h("button", { testid: "projection-pdf", onclick: savePdf }, "Save PDF…"),
        h("button", { testid: "projection-open-pdf", onclick: openPdf }, "Open PDF"),
        h("button", { testid: "projection-print", onclick: print, title: "Ctrl+P" }, "Print…"))),
    h("div", { class: "projection" },
      h("aside", { class: "projection-side" },
        h("section", { class: "panel" }, h("div", { class: "panel-header" }, h("h2", {}, "Assumptions"), scenarioLabel), form.el),
        h("section", { class: "panel" }, h("h2", {}, "Scenarios"), scenarioList,
          h("div", { class: "form-actions" },
            h("button", { type: "button", class: "primary", testid: "scenario-save-as", onclick: saveScenarioDialog }, "Save as scenario…"),
            h("button", { type: "button", testid: "scenario-compare-button", onclick: compare }, "Compare ticked")))),
      h("div", { class: "projection-main" }, results, comparison)),
  );
  await recompute();
}
