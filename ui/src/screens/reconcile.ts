// The distributor's bill against what you bill (DOMAIN.md §10): open the month's Partner
// Center reconciliation file or a distributor's CSV, see each charge matched to a
// subscription and what differs, and apply a finding's fix (one transaction each). Nothing
// changes until a fix is applied; after one, the same file is reconciled again.
import { commands, call, headerJson, messageOf } from "../api";
import { mappingTable } from "../components/mappingTable";
import { append, clear, closeModal, h, latest, modal, toast } from "../dom";
import { formatDecimal, formatMoney } from "../format";
import { Form, actions } from "../form";
import type { Finding, Reconciliation, Fix } from "../types";

const KIND: Record<Finding["kind"], string> = {
  unbilled_seats: "Seats you pay for and do not bill",
  billed_not_bought: "Seats you bill and the bill does not charge",
  cost_differs: "Cost differs",
  unmatched_charge: "No subscription matches",
};

function fixLabel(fix: Fix, locale: string): string {
  switch (fix.action) {
    case "set_quantity": return `Bill ${formatDecimal(fix.quantity, locale)} seats from the next run`;
    case "end": return "End the subscription";
    case "set_cost": return "Take the bill's cost";
    case "add_subscription": return "Add the subscription";
  }
}

function monthName(period: string, locale: string): string {
  const [y, m] = period.split("-").map(Number);
  return new Date(y, m - 1, 1).toLocaleDateString(locale, { month: "long", year: "numeric" });
}

export async function reconcileScreen(container: HTMLElement, locale: string, sampleBooks: boolean): Promise<void> {
  const fields = await commands.importFields("reconciliation");
  let bytes: Uint8Array | null = null;
  let fileName = "";
  let choices: Record<string, string | null> = {};
  const newest = latest();
  const file = h("input", { type: "file", accept: ".csv,text/csv,text/plain", testid: "bill-file", "aria-label": "The bill as CSV" });
  const saveAs = h("input", { class: "short-input", testid: "bill-save-mapping", placeholder: "e.g. Pax8", "aria-label": "Save this mapping as" });
  const mapping = h("details", { class: "bill-mapping", testid: "bill-mapping" });
  const result = h("div", { testid: "bill-result", "aria-live": "polite" });
  const exportCsv = h("button", { testid: "bill-export-csv", disabled: true }, "Export CSV…");
  const savePdf = h("button", { testid: "bill-save-pdf", disabled: true }, "Save PDF…");
  const headers = (save: boolean) => ({ "x-vardesk-mapping": headerJson({ choices, save_as: save && saveAs.value.trim() ? saveAs.value.trim() : null }) });

  const run = async (save = false) => {
    if (!bytes) return;
    const current = newest();
    exportCsv.disabled = true;
    savePdf.disabled = true;
    try {
      const r = await call<Reconciliation>("reconcile_bill", bytes, headers(save));
      if (!current()) return;
      showMapping(r);
      show(r);
      exportCsv.disabled = false;
      savePdf.disabled = false;
      if (save && saveAs.value.trim()) toast(`Mapping saved as "${saveAs.value.trim()}".`);
    } catch (e) {
      if (!current()) return;
      clear(result);
      result.append(h("p", { class: "field-error", role: "alert", testid: "bill-error" }, messageOf(e)));
      mapping.open = true;
    }
  };

  const showMapping = (r: Reconciliation) => {
    clear(mapping);
    append(mapping, [
      h("summary", {}, r.summary.mapping_name ? `Columns as saved in "${r.summary.mapping_name}"` : "Columns"),
      ...mappingTable(r.summary, fields, (header, field) => {
        choices = { ...choices, [header]: field };
        void run();
      }),
      h("p", { class: "muted small" }, h("label", {}, "Save this mapping as ", saveAs),
        " ", h("button", { testid: "bill-save-mapping-button", onclick: () => void run(true) }, "Save mapping")),
    ]);
  };

  const show = (r: Reconciliation) => {
    clear(result);
    const s = r.summary;
    if (s.mapping_error) {
      result.append(h("p", { class: "field-error", role: "alert", testid: "bill-error" }, s.mapping_error));
      mapping.open = true;
      return;
    }
    const errors = s.errors.length + s.errors_not_shown;
    append(result, [
      h("p", { class: "strong", testid: "bill-summary" },
        `${fileName}: the bill for ${monthName(r.period, locale)} — ${s.rows} line${s.rows === 1 ? "" : "s"}, ${r.groups} subscription charge${r.groups === 1 ? "" : "s"}, ${r.matched} matched.`),
      errors ? h("ul", { class: "import-errors", testid: "bill-row-errors" },
        s.errors.map((e) => h("li", {}, `line ${e.line}: ${e.reason}`)),
        s.errors_not_shown ? h("li", {}, `… and ${s.errors_not_shown} more.`) : null) : null,
    ]);
    result.append(h("h2", {}, "Findings"));
    if (!r.findings.length) {
      result.append(h("p", { testid: "bill-clean" }, "Every charge on the bill matches what you bill."));
    } else {
      const rows = r.findings.map((f, i) => h("tr", { testid: "bill-finding", "data-kind": f.kind },
        h("td", { class: "strong" }, f.customer || "—"),
        h("td", {}, f.description || f.sku, f.subscription_id ? h("span", { class: "muted small" }, ` · subscription ${f.subscription_id}`) : null,
          f.line ? h("div", { class: "muted small" }, `bill line ${f.line}${f.ms_subscription_id ? ` · ${f.ms_subscription_id}` : ""}`) : null),
        h("td", {}, KIND[f.kind]),
        h("td", { class: "num" }, formatDecimal(f.quantity, locale)),
        h("td", { class: "num" }, f.currency ? formatMoney(f.amount, f.currency, locale) : f.amount),
        h("td", {}, f.fix
          ? h("button", { testid: `bill-fix-${i}`, onclick: () => void applyFix(f, r.period) }, fixLabel(f.fix, locale))
          : h("span", { class: "muted small" }, "Add the customer (with its tenant) first"))));
      result.append(h("div", { class: "table-wrap" }, h("table", { class: "list", testid: "bill-findings" },
        h("thead", {}, h("tr", {}, ["Customer", "Subscription", "Finding", "Seats", "Amount", "Fix"].map((t, i) => h("th", { class: [3, 4].includes(i) ? "num" : "" }, t)))),
        h("tbody", {}, rows))));
      result.append(h("p", { class: "muted small" }, "Amounts: what the seats cost you on this bill; what you bill for them; the bill's unit cost; what the bill charges. Quantities change from the next unbilled month; issued invoices stay as they are."));
    }
    result.append(h("h2", {}, `Margin in ${monthName(r.period, locale)}`));
    const margin = (label: string, m: Reconciliation["customers"][number], testid: string) =>
      h("tr", { testid, class: testid === "bill-total" ? "total" : "" }, h("td", {}, label),
        h("td", { class: "num" }, formatMoney(m.billed, m.currency, locale)),
        h("td", { class: "num" }, formatMoney(m.cost, m.currency, locale)),
        h("td", { class: `num${m.margin.startsWith("-") ? " negative" : ""}` }, formatMoney(m.margin, m.currency, locale)));
    result.append(h("div", { class: "table-wrap" }, h("table", { class: "list", testid: "bill-margins" },
      h("thead", {}, h("tr", {}, ["Customer", "You bill", "The bill costs", "Margin"].map((t, i) => h("th", { class: i ? "num" : "" }, t)))),
      h("tbody", {}, r.customers.map((c) => margin(c.customer, c, "bill-margin")), r.totals.map((t) => margin("Total", t, "bill-total"))))));
  };

  const applyFix = async (f: Finding, period: string, price: string | null = null) => {
    if (!f.fix) return;
    try {
      await commands.applyReconcileFix(f.fix, period, price);
      toast(`${fixLabel(f.fix, locale)}: done.`);
      await run();
    } catch (e) {
      if (f.fix.action === "add_subscription" && price === null) askPrice(f, period, messageOf(e));
      else toast(messageOf(e), "error");
    }
  };

  const askPrice = (f: Finding, period: string, why: string) => {
    const form = new Form("bill-price-form", async () => {
      const price = form.values().price.trim();
      if (!price) {
        form.showErrors([{ field: "price", message: "Enter the price to bill per month." }]);
        return;
      }
      closeModal(dialog);
      await applyFix(f, period, price);
    });
    form.section(`${f.customer} · ${f.description || f.sku}`, [
      { name: "price", label: `Price per seat and month (${f.currency})`, type: "number", required: true },
    ], why);
    form.el.append(actions(h("button", { type: "submit", class: "primary", testid: "bill-price-save" }, "Add the subscription"),
      h("button", { type: "button", onclick: () => closeModal(dialog) }, "Cancel")));
    const dialog = modal("Price to bill", form.el, "bill-price-dialog", () => {});
    form.input("price")?.focus();
  };

  file.addEventListener("change", async () => {
    const chosen = file.files?.[0];
    clear(result);
    clear(mapping);
    choices = {};
    if (!chosen) return;
    fileName = chosen.name;
    mapping.open = false;
    bytes = new Uint8Array(await chosen.arrayBuffer());
    await run();
  });
  const sample = sampleBooks ? h("button", { testid: "bill-sample", onclick: async () => {
    try {
      bytes = new Uint8Array(await call<ArrayBuffer>("sample_distributor_bill"));
      fileName = "Sample distributor bill";
      file.value = "";
      choices = {};
      mapping.open = false;
      await run();
    } catch (e) {
      toast(messageOf(e), "error");
    }
  } }, "Try the sample bill") : null;
  savePdf.addEventListener("click", async () => {
    if (!bytes) return;
    try {
      const path = await call<string | null>("save_reconciliation_pdf", bytes, { ...headers(false), "x-vardesk-file-name": headerJson(fileName) });
      if (path) toast(`Saved ${path}`);
    } catch (e) {
      toast(messageOf(e), "error");
    }
  });
  exportCsv.addEventListener("click", async () => {
    if (!bytes) return;
    try {
      const path = await call<string | null>("export_reconciliation_csv", bytes, headers(false));
      if (path) toast(`Saved ${path}`);
    } catch (e) {
      toast(messageOf(e), "error");
    }
  });

  container.append(
    h("header", { class: "screen-header" }, h("h1", {}, "Distributor bill"),
      h("div", { class: "toolbar-buttons" }, exportCsv, savePdf,
        h("button", { onclick: () => { location.hash = "#/subscriptions"; } }, "Subscriptions"))),
    h("p", { class: "muted" }, "Open the month's reconciliation file from Partner Center (new commerce) or your distributor's CSV export. Each charge is matched to a subscription by its Microsoft subscription id, else by the customer's tenant and the product; nothing changes until you apply a fix."),
    h("p", { class: "toolbar-buttons" }, file, sample), mapping, result);
}
