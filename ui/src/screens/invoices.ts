// Invoices: the list (overdue first, search, totals per currency) and billing runs with a
// preview. One invoice opens on its own screen (invoice.ts). Figures come from the backend.
import { commands, messageOf } from "../api";
import { pickCustomer } from "../components/customerPicker";
import { openImportDialog } from "../components/importDialog";
import { remindersDialog } from "../components/reminders";
import { append, clear, closeModal, debounce, h, latest, modal, toast } from "../dom";
import { formatDate, formatMoney } from "../format";
import type { InvoiceRow, InvoiceStatus, OpenInvoicePreview } from "../types";
import { screenState } from "../screenState";
import { INVOICE_STATUS } from "../labels";

const ORDER: InvoiceStatus[] = ["overdue", "refund_due", "draft", "partially_paid", "issued", "paid", "void"];

/** The invoices customers still owe from the previous tool (DOMAIN.md §11). */
export function importOpenInvoices(done: (imported: number) => void): void {
  openImportDialog<OpenInvoicePreview>({
    kind: "open_invoices", title: "Import open invoices", noun: "open invoice",
    intro: "Choose the open-invoice export of your previous tool (Invoice Ninja, Xero, QuickBooks, InvoiceShelf or a spreadsheet): number, customer (as imported), dates, total and what is still open or paid. They keep their own numbers, count in what customers owe and in reminders, and take payments; their PDFs stay with the old tool. Fully paid rows are left out.",
    preview: "preview_open_invoice_import", apply: "import_open_invoices",
    details: (p) => (p.paid_left_out || p.line_rows
      ? h("p", { class: "muted small", testid: "import-open-details" }, [
        p.paid_left_out ? `${p.paid_left_out} paid in full: left out.` : "",
        p.line_rows ? `${p.line_rows} further line row${p.line_rows === 1 ? "" : "s"} of invoices already read.` : "",
      ].filter(Boolean).join(" "))
      : null),
    done: (n) => done(n),
  });
}

/** `bill`: a month (YYYY-MM) whose billing run opens at once, as the dashboard offers it. */
export function invoicesScreen(container: HTMLElement, locale: string, initialStatus = "", bill = ""): void {
  const search = h("input", { type: "search", class: "search", placeholder: "Search number or customer…", "aria-label": "Search invoices", testid: "invoice-search" });
  const status = h("select", { "aria-label": "Status", testid: "invoice-status-filter" },
    h("option", { value: "" }, "All statuses"), Object.entries(INVOICE_STATUS).map(([v, l]) => h("option", { value: v }, l)));
  // Opened from a dashboard figure: the list behind it, already filtered.
  if ([...status.options].some((o) => o.value === initialStatus)) status.value = initialStatus;
  const body = h("tbody", { testid: "invoice-rows" });
  const totals = h("p", { class: "muted", testid: "invoice-totals", "aria-live": "polite" });
  const errorLine = h("p", { class: "field-error", role: "alert" });
  const money = (v: string, c: string) => formatMoney(v, c, locale);
  const newest = latest();
  const refresh = async () => {
    const current = newest();
    try {
      const list = await commands.listInvoices(status.value || null, search.value || null);
      if (!current()) return; // a newer search is on its way
      const rows = list.invoices;
      rows.sort((a, b) => ORDER.indexOf(a.status) - ORDER.indexOf(b.status));
      clear(body);
      errorLine.textContent = "";
      if (!rows.length) body.append(h("tr", {}, h("td", { colspan: 7, class: "empty" }, search.value || status.value ? "No invoice matches." : "No invoices yet. Run the month's billing, accept a quote, or start a new invoice.")));
      for (const r of rows) {
        const open = () => { location.hash = `#/invoices/${r.id}`; };
        body.append(h("tr", { tabindex: 0, testid: "invoice-row", onclick: open, onkeydown: (e: KeyboardEvent) => { if (e.key === "Enter") open(); } },
          h("td", { class: "mono", testid: "invoice-number" }, r.number ?? "—"),
          h("td", { class: "strong" }, r.customer),
          h("td", {}, h("span", { class: `status status-${r.kind === "credit_note" ? "credit" : r.status}`, testid: "invoice-status" },
            r.kind === "credit_note" ? `Credit for ${r.credits}` : INVOICE_STATUS[r.status]),
            r.scheduled_on ? h("span", { class: "muted small", testid: "invoice-scheduled" }, ` for ${formatDate(r.scheduled_on, locale)}`) : "",
            r.kind === "imported" ? h("span", { class: "badge", testid: "invoice-imported", title: "From the previous system" }, "imported") : ""),
          h("td", {}, formatDate(r.issue_date, locale)), h("td", {}, formatDate(r.due_date, locale)),
          h("td", { class: "num" }, r.kind === "credit_note" ? `−${money(r.total, r.currency)}` : money(r.total, r.currency)),
          h("td", { class: "num" }, r.number && r.kind === "invoice" ? money(r.balance, r.currency) : "")));
      }
      totals.textContent = list.totals.length
        ? list.totals.map((t) => `${t.count} issued in ${t.currency}: ${money(t.total, t.currency)}, open ${money(t.balance, t.currency)}`).join(" · ")
        : "";
    } catch (e) {
      errorLine.textContent = messageOf(e);
    }
  };
  status.addEventListener("change", refresh);
  search.addEventListener("input", debounce(refresh, 150));
  // Lists the drafts, each ticked, with what the ticked ones add up to per currency.
  async function issueAll(): Promise<void> {
    let drafts: InvoiceRow[];
    try {
      drafts = (await commands.listInvoices("draft", null)).invoices.filter((r) => r.kind === "invoice");
    } catch (e) {
      errorLine.textContent = messageOf(e);
      return;
    }
    if (!drafts.length) {
      toast("There are no draft invoices to issue.");
      return;
    }
    // A draft waiting for a later date (the rest of a project) is offered unticked.
    const today = new Date().toISOString().slice(0, 10);
    const ticks = drafts.map((d) => h("input", { type: "checkbox", checked: !d.scheduled_on || d.scheduled_on <= today, "aria-label": `Issue the draft for ${d.customer}`, testid: "draft-tick" }) as HTMLInputElement);
    const summary = h("p", { class: "strong", testid: "drafts-summary", "aria-live": "polite" });
    const issue = h("button", { class: "primary", testid: "drafts-issue" }, "Issue");
    const cancel = h("button", { testid: "drafts-cancel", onclick: () => closeModal(dialog) }, "Cancel");
    const ticked = () => drafts.filter((_, i) => ticks[i].checked).map((d) => d.id);
    const newestRun = latest();
    const update = async () => {
      const ids = ticked();
      const current = newestRun();
      issue.textContent = `Issue ${ids.length} invoice${ids.length === 1 ? "" : "s"}`;
      (issue as HTMLButtonElement).disabled = ids.length === 0;
      try {
        const sums = ids.length ? await commands.draftTotals(ids) : [];
        if (!current()) return;
        summary.textContent = ids.length
          ? `${ids.length} of ${drafts.length} drafts ticked: ${sums.map((t) => money(t.total, t.currency)).join(" + ")} with tax. Each gets its number and can no longer change.`
          : "Nothing ticked.";
      } catch (e) {
        if (current()) summary.textContent = messageOf(e);
      }
    };
    for (const t of ticks) t.addEventListener("change", update);
    issue.addEventListener("click", async () => {
      const ids = ticked();
      (issue as HTMLButtonElement).disabled = true;
      try {
        const [count, problems] = await commands.issueDrafts(ids);
        closeModal(dialog);
        toast(problems.length ? `Issued ${count}; ${problems.join(" ")}` : `Issued ${count} invoice${count === 1 ? "" : "s"}.`, problems.length ? "error" : "ok");
        refresh();
      } catch (e) {
        summary.textContent = messageOf(e);
        (issue as HTMLButtonElement).disabled = false;
      }
    });
    const dialog = modal("Issue draft invoices", h("div", { class: "import" },
      h("div", { class: "table-wrap drafts-list" }, h("table", { class: "list" },
        h("thead", {}, h("tr", {}, h("th", {}, ""), h("th", {}, "Customer"), h("th", { class: "num" }, "Total"))),
        h("tbody", {}, drafts.map((d, i) => h("tr", { testid: "draft-row" },
          h("td", {}, ticks[i]), h("td", { class: "strong" }, h("label", {}, d.customer),
            d.scheduled_on ? h("span", { class: "muted small" }, ` scheduled for ${formatDate(d.scheduled_on, locale)}`) : ""),
          h("td", { class: "num" }, money(d.total, d.currency))))))),
      summary, h("div", { class: "form-actions" }, issue, cancel)), "issue-drafts-dialog", () => {});
    await update();
    cancel.focus(); // issuing cannot be undone: the safe choice has the focus
  }
  const newInvoice = () => pickCustomer("New invoice for…", (c) => { location.hash = `#/invoices/new/${c.id}`; });
  container.append(
    h("header", { class: "screen-header" }, h("h1", {}, "Invoices"),
      h("div", { class: "toolbar-buttons" },
        h("button", { testid: "new-invoice", onclick: newInvoice, title: "Ctrl+N" }, "New invoice"),
        h("button", { testid: "issue-all", onclick: issueAll }, "Issue all drafts"),
        h("button", { testid: "reminders", onclick: () => void remindersDialog(locale, refresh) }, "Reminders…"),
        h("button", { testid: "import-open", onclick: () => importOpenInvoices(() => refresh()) }, "Import open invoices…"),
        h("button", { class: "primary", testid: "billing-run", onclick: () => billingRun(locale, refresh) }, "Billing run…"))),
    h("div", { class: "toolbar" }, search, status),
    errorLine,
    h("div", { class: "table-wrap" }, h("table", { class: "list", testid: "invoice-table" },
      h("thead", {}, h("tr", {}, ["Number", "Customer", "Status", "Issued", "Due", "Total", "Balance"].map((t, i) => h("th", { class: i >= 5 ? "num" : "" }, t)))), body)),
    totals,
  );
  refresh();
  if (/^\d{4}-\d{2}$/.test(bill)) {
    history.replaceState(null, "", "#/invoices"); // coming back to the list does not run it again
    billingRun(locale, refresh, bill);
  }
  screenState.create = newInvoice;
  screenState.find = () => search.focus();
}

/** Opens on `period`, or on the earliest month still to bill. */
function billingRun(locale: string, done: () => void, period = ""): void {
  const next = new Date();
  const month = h("input", { value: period || `${next.getFullYear()}-${String(next.getMonth() + 1).padStart(2, "0")}`, testid: "run-period", "aria-label": "Month", class: "short-input" });
  const result = h("div", { testid: "run-preview", "aria-live": "polite" });
  const create = h("button", { class: "primary", testid: "run-create", disabled: true }, "Create drafts");
  const createIssue = h("button", { testid: "run-create-issue", disabled: true }, "Create and issue");
  const newestPreview = latest();
  // Opened on the earliest month still to bill (a forgotten one first), else this month.
  let firstPreview = !period;
  const preview = async () => {
    const current = newestPreview();
    create.disabled = createIssue.disabled = true;
    try {
      if (firstPreview) {
        const due = await commands.firstMonthToBill();
        if (!current()) return;
        if (due) month.value = due;
      }
      const run = await commands.previewBillingRun(month.value);
      if (!current()) return; // a newer preview is on its way (the user typed a month)
      firstPreview = false;
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
      if (!current()) return;
      clear(result);
      result.append(h("p", { class: "field-error", role: "alert" }, messageOf(e)));
    }
  };
  const run = async (issue: boolean) => {
    create.disabled = createIssue.disabled = true;
    const working = h("p", { class: "muted", role: "status", testid: "run-working" },
      issue ? "Creating and issuing the invoices, one customer at a time…" : "Creating the draft invoices…");
    result.append(working);
    try {
      const r = await commands.runBilling(month.value, issue);
      closeModal(dialog);
      toast(r.created.length ? `Created ${r.created.length} ${issue ? "issued" : "draft"} invoice${r.created.length === 1 ? "" : "s"} for ${r.period}.` : `${r.period} was already billed: nothing new.`);
      done();
    } catch (e) {
      working.remove();
      result.append(h("p", { class: "field-error", role: "alert" }, messageOf(e)));
    }
  };
  create.addEventListener("click", () => run(false));
  createIssue.addEventListener("click", () => run(true));
  month.addEventListener("change", () => {
    firstPreview = false; // the month the user chose stays
    void preview();
  });
  const dialog = modal("Billing run", h("div", { class: "import" },
    h("p", {}, "Bills every subscription due in the month: one draft invoice per customer, prorated where a subscription starts or ends within the month. A month is never billed twice."),
    h("div", { class: "form-actions" }, h("label", {}, "Month (YYYY-MM) "), month, h("button", { testid: "run-preview-button", onclick: preview }, "Preview")),
    result, h("div", { class: "form-actions" }, create, createIssue, h("button", { onclick: () => closeModal(dialog) }, "Cancel"))), "billing-dialog", () => {});
  preview();
}

