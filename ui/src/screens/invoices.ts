// Invoices: the list (overdue first), billing runs with a preview, issuing drafts, the
// read-only view of an issued invoice with its payments. Figures come from the backend.
import { call, messageOf } from "../api";
import { append, clear, closeModal, confirmDialog, h, modal, toast } from "../dom";
import { formatDecimal, formatMoney } from "../format";
import type { BillingRun, InvoiceDetail, InvoiceRow, SubscriptionRow } from "../types";

const STATUS: Record<string, string> = {
  draft: "Draft", issued: "Issued", partially_paid: "Partially paid", paid: "Paid", overdue: "Overdue", void: "Void",
};
const ORDER = ["overdue", "draft", "partially_paid", "issued", "paid", "void"];

export function invoicesScreen(container: HTMLElement, locale: string): void {
  const status = h("select", { "aria-label": "Status", testid: "invoice-status-filter" },
    h("option", { value: "" }, "All statuses"), Object.entries(STATUS).map(([v, l]) => h("option", { value: v }, l)));
  const body = h("tbody", { testid: "invoice-rows" });
  const errorLine = h("p", { class: "field-error", role: "alert" });
  const money = (v: string, c: string) => formatMoney(v, c, locale);
  const refresh = async () => {
    try {
      const rows = await call<InvoiceRow[]>("list_invoices", { status: status.value || null });
      rows.sort((a, b) => ORDER.indexOf(a.status) - ORDER.indexOf(b.status));
      clear(body);
      if (!rows.length) body.append(h("tr", {}, h("td", { colspan: 7, class: "empty" }, "No invoices here. Run the month's billing, or accept a quote.")));
      for (const r of rows) {
        const open = () => openInvoice(r.id, locale, refresh);
        body.append(h("tr", { tabindex: 0, testid: "invoice-row", onclick: open, onkeydown: (e: KeyboardEvent) => { if (e.key === "Enter") open(); } },
          h("td", { class: "mono", testid: "invoice-number" }, r.number ?? "—"),
          h("td", { class: "strong" }, r.customer),
          h("td", {}, h("span", { class: `status status-${r.kind === "credit_note" ? "credit" : r.status}`, testid: "invoice-status" },
            r.kind === "credit_note" ? `Credit for ${r.credits}` : STATUS[r.status])),
          h("td", {}, r.issue_date ?? ""), h("td", {}, r.due_date ?? ""),
          h("td", { class: "num" }, money(r.total, r.currency)),
          h("td", { class: "num" }, r.number ? money(r.balance, r.currency) : "")));
      }
    } catch (e) {
      errorLine.textContent = messageOf(e);
    }
  };
  status.addEventListener("change", refresh);
  async function issueAll(): Promise<void> {
    if (!(await confirmDialog("Issue every draft invoice now? Each gets its number and can no longer change.", "Issue all"))) return;
    try {
      const [count, problems] = await call<[number, string[]]>("issue_all_drafts");
      toast(problems.length ? `Issued ${count}; ${problems.join(" ")}` : `Issued ${count} invoice${count === 1 ? "" : "s"}.`, problems.length ? "error" : "ok");
      refresh();
    } catch (e) {
      errorLine.textContent = messageOf(e);
    }
  }
  container.append(
    h("header", { class: "screen-header" }, h("h1", {}, "Invoices"),
      h("div", { class: "toolbar-buttons" },
        h("button", { testid: "issue-all", onclick: issueAll }, "Issue all drafts"),
        h("button", { class: "primary", testid: "billing-run", onclick: () => billingRun(locale, refresh) }, "Billing run…"))),
    h("div", { class: "toolbar" }, status),
    errorLine,
    h("div", { class: "table-wrap" }, h("table", { class: "list", testid: "invoice-table" },
      h("thead", {}, h("tr", {}, ["Number", "Customer", "Status", "Issued", "Due", "Total", "Balance"].map((t, i) => h("th", { class: i >= 5 ? "num" : "" }, t)))), body)),
    h("p", { class: "muted small" }, "Printing straight to a printer and partial credit notes come in a next release of VarDesk; open the PDF to print it."),
  );
  refresh();
}

function billingRun(locale: string, done: () => void): void {
  const next = new Date();
  const month = h("input", { value: `${next.getFullYear()}-${String(next.getMonth() + 1).padStart(2, "0")}`, testid: "run-period", "aria-label": "Month", class: "short-input" });
  const result = h("div", { testid: "run-preview", "aria-live": "polite" });
  const create = h("button", { class: "primary", testid: "run-create", disabled: true }, "Create drafts");
  const createIssue = h("button", { testid: "run-create-issue", disabled: true }, "Create and issue");
  let seq = 0;
  const preview = async () => {
    const mine = ++seq;
    create.disabled = createIssue.disabled = true;
    try {
      const run = await call<BillingRun>("preview_billing_run", { period: month.value });
      if (mine !== seq) return; // a newer preview is on its way
      clear(result);
      const totals = Object.entries(run.totals).map(([c, t]) => formatMoney(t, c, locale)).join(" + ");
      append(result, [
        h("p", { testid: "run-summary" }, run.invoices.length
          ? `${run.invoices.length} invoice${run.invoices.length === 1 ? "" : "s"}, ${run.invoices.reduce((n, i) => n + i.lines.length, 0)} lines, ${totals} before tax.`
          : `Nothing to bill for ${run.period}.`, run.already_billed ? ` ${run.already_billed} subscription${run.already_billed === 1 ? " was" : "s were"} already billed.` : ""),
        h("ul", { class: "run-list" }, run.invoices.map((i) => h("li", {}, h("span", { class: "strong" }, i.customer), ` — ${formatMoney(i.net, i.currency, locale)}`,
          h("ul", { class: "muted small" }, i.lines.map((l) => h("li", {}, `${l.description}: ${formatMoney(l.amount, i.currency, locale)}`)))))),
      ]);
      create.disabled = createIssue.disabled = run.invoices.length === 0;
    } catch (e) {
      if (mine !== seq) return;
      clear(result);
      result.append(h("p", { class: "field-error", role: "alert" }, messageOf(e)));
    }
  };
  const run = async (issue: boolean) => {
    create.disabled = createIssue.disabled = true;
    try {
      const r = await call<BillingRun>("run_billing", { period: month.value, issue });
      closeModal(dialog);
      toast(r.created.length ? `Created ${r.created.length} ${issue ? "issued" : "draft"} invoice${r.created.length === 1 ? "" : "s"} for ${r.period}.` : `${r.period} was already billed: nothing new.`);
      done();
    } catch (e) {
      result.append(h("p", { class: "field-error", role: "alert" }, messageOf(e)));
    }
  };
  create.addEventListener("click", () => run(false));
  createIssue.addEventListener("click", () => run(true));
  month.addEventListener("change", preview);
  const dialog = modal("Billing run", h("div", { class: "import" },
    h("p", {}, "Bills every subscription due in the month: one draft invoice per customer, prorated where a subscription starts or ends within the month. A month is never billed twice."),
    h("div", { class: "form-actions" }, h("label", {}, "Month (YYYY-MM) "), month, h("button", { testid: "run-preview-button", onclick: preview }, "Preview")),
    result, h("div", { class: "form-actions" }, create, createIssue, h("button", { onclick: () => closeModal(dialog) }, "Cancel"))), "billing-dialog", () => {});
  preview();
}

async function openInvoice(id: number, locale: string, changed: () => void): Promise<void> {
  let inv: InvoiceDetail;
  try {
    inv = await call<InvoiceDetail>("get_invoice", { id });
  } catch (e) {
    toast(messageOf(e), "error");
    return;
  }
  const money = (v: string) => formatMoney(v, inv.currency, locale);
  const actions = h("div", { class: "form-actions" });
  const error = h("p", { class: "field-error", role: "alert", testid: "invoice-error" });
  const pdf = async (command: "open_invoice_pdf" | "save_invoice_pdf") => {
    try {
      const path = await call<string | null>(command, { id });
      if (path && command === "save_invoice_pdf") toast(`Saved the invoice as ${path}.`);
    } catch (e) {
      error.textContent = messageOf(e);
    }
  };
  // A full credit note needs an issued invoice without payments (refunds are not recorded yet).
  const unpaid = /^0(\.0+)?$/.test(inv.paid);
  if (inv.kind === "invoice" && inv.number && inv.status !== "void" && unpaid) {
    actions.append(h("button", { class: "danger-quiet", testid: "invoice-credit", onclick: async () => {
      const yes = await confirmDialog(`Credit ${inv.number} in full? VarDesk issues a credit note with its own number and marks the invoice void.`, "Issue credit note");
      if (!yes) return;
      try {
        const credit = await call<InvoiceRow>("credit_invoice", { id });
        closeModal(dialog);
        toast(`Issued credit note ${credit.number}; ${inv.number} is void.`);
        changed();
      } catch (e) {
        error.textContent = messageOf(e);
      }
    } }, "Credit in full…"));
  }
  const documents = h("div", { class: "form-actions" },
    h("button", { testid: "invoice-open-pdf", onclick: () => pdf("open_invoice_pdf") }, "Open PDF"),
    h("button", { testid: "invoice-save-pdf", onclick: () => pdf("save_invoice_pdf") }, "Save PDF…"));
  if (inv.status === "draft") {
    actions.append(h("button", { class: "primary", testid: "invoice-issue", onclick: async () => {
      try {
        const row = await call<InvoiceRow>("issue_invoice", { id });
        closeModal(dialog);
        toast(`Issued ${row.number}.`);
        changed();
      } catch (e) {
        error.textContent = messageOf(e);
      }
    } }, "Issue invoice"));
  } else if (inv.kind === "invoice" && inv.status !== "paid" && inv.status !== "void") {
    const amount = h("input", { value: inv.balance, testid: "payment-amount", "aria-label": "Amount", class: "short-input" });
    const now = new Date(); // the local date, not UTC's
    const today = `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, "0")}-${String(now.getDate()).padStart(2, "0")}`;
    const date = h("input", { value: today, testid: "payment-date", "aria-label": "Date", class: "short-input" });
    const method = h("input", { value: "Bank transfer", "aria-label": "Method", class: "short-input" });
    const reference = h("input", { placeholder: "Reference", "aria-label": "Reference", class: "short-input" });
    const record: HTMLButtonElement = h("button", { class: "primary", testid: "payment-record", onclick: async () => {
      record.disabled = true; // a double click records one payment, not two
      try {
        await call("record_payment", { id, amount: amount.value, paidOn: date.value, method: method.value, reference: reference.value });
        closeModal(dialog);
        toast("Payment recorded.");
        changed();
      } catch (e) {
        error.textContent = messageOf(e);
        record.disabled = false;
      }
    } }, "Record payment");
    actions.append(amount, date, method, reference, record);
  }
  const body = h("div", {},
    h("p", { class: "muted" }, `${inv.customer} · ${inv.kind === "credit_note" ? `credit note for ${inv.credits}` : STATUS[inv.status]}${inv.issue_date ? ` · issued ${inv.issue_date}, due ${inv.due_date}` : ""}${inv.period ? ` · billing ${inv.period}` : ""}`),
    inv.notes ? h("p", {}, inv.notes) : null,
    h("div", { class: "table-wrap" }, h("table", { class: "list" },
      h("thead", {}, h("tr", {}, ["Description", "Qty", "Unit price", "Tax", "Net"].map((t, i) => h("th", { class: i ? "num" : "" }, t)))),
      h("tbody", {}, inv.lines.map((l, i) => h("tr", {}, h("td", {}, l.description), h("td", { class: "num" }, formatDecimal(l.quantity, locale)),
        h("td", { class: "num" }, money(l.unit_price)), h("td", { class: "num" }, `${formatDecimal(l.tax_rate_percent ?? "0", locale)} %`),
        h("td", { class: "num" }, money(inv.nets[i]))))))),
    h("table", { class: "totals-table invoice-totals" }, h("tbody", {},
      h("tr", {}, h("th", {}, "Subtotal"), h("td", { class: "num" }, money(inv.totals.subtotal))),
      inv.totals.taxes.map((t) => h("tr", {}, h("th", {}, `Tax ${formatDecimal(t.rate_percent, locale)} % on ${money(t.base)}`), h("td", { class: "num" }, money(t.tax)))),
      h("tr", {}, h("th", {}, "Total"), h("td", { class: "num strong", testid: "invoice-total" }, money(inv.totals.total))),
      inv.number ? h("tr", {}, h("th", {}, "Paid"), h("td", { class: "num" }, money(inv.paid))) : null,
      inv.number ? h("tr", {}, h("th", {}, "Balance"), h("td", { class: "num strong", testid: "invoice-balance" }, money(inv.balance))) : null)),
    inv.payments.length ? h("ul", { class: "muted" }, inv.payments.map((p) => h("li", {}, `${p.paid_on}: ${money(p.amount)} ${p.method} ${p.reference}`.trim()))) : null,
    error, actions, documents);
  const title = inv.kind === "credit_note" ? `Credit note ${inv.number}` : inv.number ? `Invoice ${inv.number}` : "Draft invoice";
  const dialog = modal(title, body, "invoice-dialog", () => {});
}

export function subscriptionsScreen(container: HTMLElement, locale: string): void {
  const body = h("tbody", { testid: "subscription-rows" });
  container.append(
    h("header", { class: "screen-header" }, h("h1", {}, "Subscriptions")),
    h("p", { class: "muted" }, "Created when a quote is accepted; billed by the monthly billing run. Adding, editing and ending subscriptions comes in a next release."),
    h("div", { class: "table-wrap" }, h("table", { class: "list" },
      h("thead", {}, h("tr", {}, ["Customer", "Service", "Qty", "Price", "Billed", "From", "Until", "Per interval"].map((t, i) => h("th", { class: [2, 3, 7].includes(i) ? "num" : "" }, t)))), body)));
  call<SubscriptionRow[]>("list_subscriptions").then((rows) => {
    if (!rows.length) body.append(h("tr", {}, h("td", { colspan: 8, class: "empty" }, "No subscriptions yet: accept a quote with recurring lines.")));
    for (const s of rows) {
      body.append(h("tr", { class: s.active ? "" : "archived", testid: "subscription-row" },
        h("td", { class: "strong" }, s.customer), h("td", {}, s.description),
        h("td", { class: "num" }, `${formatDecimal(s.quantity, locale)} ${s.unit}`),
        h("td", { class: "num" }, formatMoney(s.unit_price, s.currency, locale)),
        h("td", {}, s.interval === "annual" ? "Yearly" : "Monthly"),
        h("td", {}, s.start_date), h("td", {}, s.end_date ?? "—"),
        h("td", { class: "num" }, formatMoney(s.amount, s.currency, locale))));
    }
  }).catch((e) => body.append(h("tr", {}, h("td", { colspan: 8, class: "field-error" }, messageOf(e)))));
}
