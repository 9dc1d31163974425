// One invoice on its own screen. A draft is an editor (lines typed or from the catalog,
// live totals from the backend, save, issue, delete); an issued invoice or credit note is
// read-only with print, PDF, payments and credit notes. Figures come from the backend.
import { commands, ApiError, messageOf } from "../api";
import { pickCatalogItem } from "../components/catalogPicker";
import { lineCell, markLineErrors, redrawKeepingFocus } from "../components/lineTable";
import { printDialog } from "../components/printDialog";
import { LEVELS } from "../components/reminders";
import { append, clear, closeModal, confirmDialog, debounce, h, latest, modal, toast } from "../dom";
import { datePlaceholder, formatDate, formatDecimal, formatMoney, isoDay, parseDate, taxRowLabel, TREATMENT_LABELS } from "../format";
import { screenState } from "../screenState";
import type { DocTotals, DraftForm, DraftLineForm, FieldError, InvoiceDetail, TaxTreatment } from "../types";
import { settingsForDialog } from "./settings";
import { INVOICE_STATUS } from "../labels";

export async function invoiceScreen(container: HTMLElement, locale: string, id: number | null, customerId: number | null): Promise<void> {
  if (id === null) {
    if (customerId === null) throw new Error("A new draft needs its customer.");
    const customer = (await commands.getCustomer(customerId)).record;
    await draftEditor(container, locale, null, customer.id, customer.name, customer.currency, { customer_id: customer.id, notes: "", lines: [] });
    return;
  }
  const inv = await commands.getInvoice(id);
  if (inv.status === "draft" && inv.lines.some((l) => l.quantity.startsWith("-"))) {
    finalDraftView(container, locale, inv);
  } else if (inv.status === "draft") {
    const form: DraftForm = {
      customer_id: inv.customer_id, notes: inv.notes,
      lines: inv.lines.map((l, i) => ({
        id: inv.line_ids[i], description: l.description, quantity: l.quantity, unit: l.unit, unit_price: l.unit_price,
        discount_percent: l.discount_percent ?? "0", tax_rate_percent: l.tax_rate_percent ?? "0", goods: l.goods,
      })),
    };
    await draftEditor(container, locale, inv, inv.customer_id, inv.customer, inv.currency, form);
  } else {
    issuedView(container, locale, inv);
  }
}

function backLink(): HTMLElement {
  return h("a", { href: "#/invoices", class: "back-link", testid: "back-to-invoices" }, "← Invoices");
}

function totalsTable(totals: DocTotals, money: (v: string) => string, locale: string, extra: (HTMLElement | null)[] = [], treatment?: TaxTreatment): HTMLElement {
  // How the customer is taxed stands beside the figures it decides (DOMAIN.md §9).
  const shown = treatment && treatment !== "domestic"
    ? h("tr", {}, h("th", { colspan: 2, class: "treatment", testid: "tax-treatment" }, TREATMENT_LABELS[treatment])) : null;
  return h("table", { class: "totals-table invoice-totals", testid: "invoice-totals-table" }, h("tbody", {},
    shown,
    // Without a tax row the subtotal is the total: said once.
    totals.taxes.length ? h("tr", {}, h("th", {}, "Subtotal"), h("td", { class: "num" }, money(totals.subtotal))) : null,
    totals.taxes.map((t) => h("tr", {}, h("th", {}, taxRowLabel(t, money(t.base), locale)), h("td", { class: "num" }, money(t.tax)))),
    h("tr", {}, h("th", {}, "Total"), h("td", { class: "num strong", testid: "invoice-total" }, money(totals.total))),
    extra));
}

function pdfButtons(id: number, error: HTMLElement): HTMLElement[] {
  const run = async (command: "open_invoice_pdf" | "save_invoice_pdf") => {
    try {
      const said = command === "save_invoice_pdf" ? await commands.saveInvoicePdf(id) : await commands.openInvoicePdf(id);
      if (said && command === "save_invoice_pdf") toast(`Saved the PDF as ${said}.`);
    } catch (e) {
      error.textContent = messageOf(e);
    }
  };
  const print = () => printDialog("the invoice", (printer, copies) => commands.printInvoice(id, printer, copies));
  screenState.print = print;
  return [
    h("button", { testid: "invoice-print", title: "Ctrl+P", onclick: print }, "Print…"),
    h("button", { testid: "invoice-open-pdf", onclick: () => run("open_invoice_pdf") }, "Open in viewer"),
    h("button", { testid: "invoice-save-pdf", onclick: () => run("save_invoice_pdf") }, "Save as…"),
  ];
}

/** The local calendar day (YYYY-MM-DD) of a UTC timestamp. */
function localDay(timestamp: string): string {
  return isoDay(new Date(timestamp));
}

/** Send…: an e-mail draft to the customer, opened in the system's mail app. */
export function sendButton(command: "send_invoice" | "send_quote", id: number, error: HTMLElement, sent: () => void,
  before: () => Promise<boolean> = async () => true): HTMLElement {
  return h("button", { testid: "document-send", title: "Write an e-mail to the customer with this document attached", onclick: async () => {
    error.textContent = "";
    try {
      if (!(await before())) return;
      const r = command === "send_invoice" ? await commands.sendInvoice(id) : await commands.sendQuote(id);
      if (r.opened) {
        toast(`The e-mail to ${r.to} is open in your mail app: check it and send it from there.`);
        sent();
      } else {
        error.textContent = `No mail app could open the e-mail to ${r.to}. It is saved as ${r.path}: attach or open it from there.`;
      }
    } catch (e) {
      error.textContent = messageOf(e);
    }
  } }, "Send…");
}

/** Saves the issued document as an e-invoice in the format the customer's system reads. */
function einvoiceButton(id: number, error: HTMLElement): HTMLElement {
  const format = h("select", { testid: "einvoice-format", "aria-label": "E-invoice format" },
    [["facturx", "Factur-X / ZUGFeRD (PDF)"], ["xrechnung-cii", "XRechnung (CII)"], ["xrechnung-ubl", "XRechnung (UBL)"], ["peppol", "Peppol BIS 3.0"]]
      .map(([value, label]) => h("option", { value }, label)));
  const save = h("button", { testid: "einvoice-save", onclick: async () => {
    error.textContent = "";
    try {
      const said = await commands.saveEinvoice(id, format.value);
      if (said) toast(`Saved the e-invoice as ${said}.`);
    } catch (e) {
      error.textContent = messageOf(e);
    }
  } }, "Save e-invoice…");
  return h("span", { class: "einvoice" }, format, save);
}

async function draftEditor(container: HTMLElement, locale: string, saved: InvoiceDetail | null, customerId: number,
  customerName: string, currency: string, form: DraftForm): Promise<void> {
  const defaultTax = (await settingsForDialog())?.form.default_tax_rate_percent ?? "0";
  const money = (v: string) => formatMoney(v, currency, locale);
  let dirty = false;
  let id = saved?.id ?? null;
  screenState.unsaved = () => dirty;
  const error = h("p", { class: "field-error", role: "alert", testid: "invoice-error" });
  const lineErrors = h("ul", { class: "line-errors field-error", testid: "line-errors" });
  const linesBody = h("tbody", { testid: "draft-lines" });
  const totalsSlot = h("div", { testid: "draft-totals", "aria-live": "polite" });
  const notes = h("textarea", { rows: 3, testid: "draft-notes", "aria-label": "Notes", value: form.notes });
  notes.addEventListener("input", () => { form.notes = notes.value; touch(); });
  const nets: string[] = [];

  const blankLine = (): DraftLineForm => ({ id: null, description: "", quantity: "1", unit: "", unit_price: "0", discount_percent: "0", tax_rate_percent: defaultTax, goods: false });
  const touch = () => { dirty = true; preview(); };
  function renderLines(): void {
    redrawKeepingFocus(linesBody, drawLines);
  }
  function drawLines(): void {
    clear(linesBody);
    if (!form.lines.length) linesBody.append(h("tr", {}, h("td", { colspan: 8, class: "empty" }, "No lines yet: add one, or pick from the catalog.")));
    form.lines.forEach((line, index) => {
      const cell = (key: keyof DraftLineForm & string, cls: string, label: string) =>
        lineCell(line, index, key, { cls, label, wraps: key === "description" }, touch);
      linesBody.append(h("tr", { testid: "draft-line" },
        cell("description", "wide-input", "description"), cell("quantity", "num short", "quantity"), cell("unit", "short", "unit"),
        cell("unit_price", "num", "unit price"), cell("discount_percent", "num short", "discount %"), cell("tax_rate_percent", "num short", "tax %"),
        h("td", { class: "num", testid: `line-${index}-net` }, nets[index] ? money(nets[index]) : ""),
        h("td", { class: "row-actions" }, h("button", { class: "icon-button small", "aria-label": `Remove line ${index + 1}`, title: "Remove line", testid: `line-${index}-remove`, onclick: () => {
          form.lines.splice(index, 1);
          renderLines();
          touch();
        } }, "×"))));
    });
  }
  function showErrors(errors: FieldError[]): void {
    clear(lineErrors);
    markLineErrors(linesBody, errors.map((e) => e.field));
    for (const e of errors) lineErrors.append(h("li", {}, e.message));
  }
  const newest = latest();
  const previewNow = async () => {
    const current = newest();
    try {
      const p = await commands.previewDraft(form);
      if (!current()) return;
      showErrors([]);
      nets.splice(0, nets.length, ...p.nets);
      p.nets.forEach((n, i) => { const slot = linesBody.querySelector(`[data-testid="line-${i}-net"]`); if (slot) slot.textContent = money(n); });
      clear(totalsSlot);
      totalsSlot.append(totalsTable(p.totals, money, locale, [], p.tax_treatment));
    } catch (e) {
      if (!current()) return;
      showErrors(e instanceof ApiError && e.fields.length ? e.fields : [{ field: "", message: messageOf(e) }]);
    }
  };
  const preview = debounce(previewNow, 250);

  async function save(): Promise<boolean> {
    error.textContent = "";
    try {
      if (id === null) {
        id = await commands.createDraft(form);
        dirty = false;
        history.replaceState(null, "", `#/invoices/${id}`);
      } else {
        await commands.saveDraft(id, form);
        dirty = false;
      }
      return true;
    } catch (e) {
      if (e instanceof ApiError && e.fields.length) showErrors(e.fields);
      error.textContent = messageOf(e);
      return false;
    }
  }
  const saveButton = h("button", { class: "primary", testid: "draft-save", onclick: async () => {
    if (await save()) { toast("Draft saved."); redraw(); }
  } }, "Save draft");
  screenState.save = () => saveButton.click();
  const issueButton: HTMLButtonElement = h("button", { testid: "invoice-issue", onclick: async () => {
    issueButton.disabled = true; // a double click issues once
    if (!(await save())) { issueButton.disabled = false; return; }
    if (!(await confirmDialog("Issue this invoice now? It gets the next number and can no longer change.", "Issue invoice"))) {
      issueButton.disabled = false;
      redraw();
      return;
    }
    try {
      const row = await commands.issueInvoice(id!); // saved just above: it has its id
      toast(`Issued ${row.number}.`);
      redraw();
    } catch (e) {
      error.textContent = messageOf(e);
      issueButton.disabled = false;
    }
  } }, "Issue invoice");
  const deleteButton = h("button", { class: "danger-quiet", testid: "draft-delete", onclick: async () => {
    if (id === null) { dirty = false; location.hash = "#/invoices"; return; }
    if (!(await confirmDialog("Delete this draft invoice? Subscription months it billed can be billed again.", "Delete draft"))) return;
    try {
      await commands.deleteDraft(id);
      dirty = false;
      toast("Draft deleted.");
      location.hash = "#/invoices";
    } catch (e) {
      error.textContent = messageOf(e);
    }
  } }, id === null ? "Discard" : "Delete draft");
  /** Shows the saved invoice afresh (numbers and totals as stored). */
  const redraw = () => { clear(container); invoiceScreen(container, locale, id, customerId).catch((e) => toast(messageOf(e), "error")); };

  append(container, [
    backLink(),
    h("header", { class: "screen-header" },
      h("h1", {}, id === null ? "New invoice" : "Draft invoice"),
      h("div", { class: "toolbar-buttons" }, id !== null ? pdfButtons(id, error) : null, deleteButton, issueButton, saveButton)),
    h("p", { class: "muted", testid: "invoice-summary" }, `${customerName} · ${currency}${saved?.period ? ` · billing run ${saved.period}` : ""} · not yet issued: no number`),
    error,
    h("section", { class: "panel" },
      h("div", { class: "panel-header" }, h("h2", {}, "Lines"),
        h("div", { class: "toolbar-buttons" },
          h("button", { testid: "add-catalog-line", onclick: () => pickCatalogItem(currency, locale, (item) => {
            form.lines.push({ id: null, description: item.name, quantity: "1", unit: item.unit, unit_price: item.price, discount_percent: "0", tax_rate_percent: item.tax_rate_percent, goods: item.goods });
            renderLines();
            touch();
          }) }, "Add from catalog…"),
          h("button", { testid: "add-line", onclick: () => { form.lines.push(blankLine()); renderLines(); touch(); linesBody.querySelector<HTMLInputElement>(`[data-cell="${form.lines.length - 1}.description"]`)?.focus(); } }, "Add line"))),
      h("div", { class: "table-wrap" }, h("table", { class: "list lines" },
        h("thead", {}, h("tr", {}, ["Description", "Qty", "Unit", "Unit price", "Discount %", "Tax %", "Net", ""].map((t, i) => h("th", { class: i >= 1 && i !== 2 && i < 7 ? "num" : "" }, t)))),
        linesBody)),
      lineErrors),
    h("section", { class: "panel" }, h("h2", {}, "Notes"), notes),
    totalsSlot,
  ]);
  renderLines();
  await previewNow();
}

function issuedView(container: HTMLElement, locale: string, inv: InvoiceDetail): void {
  const money = (v: string) => formatMoney(v, inv.currency, locale);
  const error = h("p", { class: "field-error", role: "alert", testid: "invoice-error" });
  const reload = () => { clear(container); invoiceScreen(container, locale, inv.id, null).catch((e) => toast(messageOf(e), "error")); };
  const creditNote = inv.kind === "credit_note";
  // From the previous system (DOMAIN.md §11): a number, dates and amounts, no lines or PDF.
  const imported = inv.kind === "imported";
  // Something to pay, or (refund_due) something to pay back.
  const open = !creditNote && inv.status !== "paid" && inv.status !== "void";
  // Something is left to credit while the credit notes have not reached the total.
  const canCredit = !creditNote && !imported && inv.status !== "void" && inv.credited !== inv.total;
  const title = creditNote ? `Credit note ${inv.number}` : `Invoice ${inv.number}`;
  const badge = h("span", { class: `status status-${creditNote ? "credit" : inv.status}`, testid: "invoice-view-status" }, creditNote ? "Credit note" : INVOICE_STATUS[inv.status]);

  const payment = open ? paymentForm(inv, locale, error, reload) : null;
  append(container, [
    backLink(),
    h("header", { class: "screen-header" }, h("h1", { testid: "invoice-title" }, title, " ", badge),
      h("div", { class: "toolbar-buttons" },
        canCredit ? h("button", { class: "danger-quiet", testid: "invoice-credit", onclick: () => creditDialog(inv, locale, reload) }, "Credit note…") : null,
        imported ? null : sendButton("send_invoice", inv.id, error, reload), imported ? null : pdfButtons(inv.id, error), imported ? null : einvoiceButton(inv.id, error))),
    imported ? h("p", { class: "notice", testid: "invoice-imported-note" }, "Imported from the previous system: its lines and PDF stay with that tool. Payments and reminders work as for any invoice.") : null,
    h("p", { class: "muted", testid: "invoice-summary" }, [
      inv.customer,
      creditNote ? null : `issued ${formatDate(inv.issue_date, locale)}, due ${formatDate(inv.due_date, locale)}`,
      creditNote ? `issued ${formatDate(inv.issue_date, locale)}` : null,
      inv.period ? `billing run ${inv.period}` : null,
    ].filter(Boolean).join(" · ")),
    inv.reminders.length ? h("p", { class: "muted small", testid: "invoice-reminded" },
      inv.reminders.map((r) => `${LEVELS[r.level]} ${formatDate(r.reminded_on, locale)}`).join(" · ")) : null,
    inv.sent.length ? h("p", { class: "muted small", testid: "invoice-sent" },
      inv.sent.map((x) => `Sent ${formatDate(localDay(x.sent_at), locale)} to ${x.to_address}`).join(" · ")) : null,
    creditNote && inv.credits ? h("p", {}, "Credits invoice ", h("a", { href: "#/invoices", testid: "credited-invoice", onclick: async (e: Event) => {
      e.preventDefault();
      const list = await commands.listInvoices(null, inv.credits);
      const target = list.invoices.find((r) => r.number === inv.credits);
      if (target) location.hash = `#/invoices/${target.id}`;
    } }, inv.credits), ".") : null,
    inv.notes ? h("p", {}, inv.notes) : null,
    error,
    imported ? null : linesTable(inv, money, locale),
    totalsTable(imported ? { subtotal: inv.total, taxes: [], tax_total: "0", total: inv.total, line_amounts: [] } : inv.totals, money, locale, creditNote ? [] : [
      h("tr", {}, h("th", {}, "Paid"), h("td", { class: "num", testid: "invoice-paid" }, money(inv.paid))),
      inv.credit_notes.length ? h("tr", {}, h("th", {}, "Credited"), h("td", { class: "num", testid: "invoice-credited" }, money(inv.credited))) : null,
      h("tr", {}, h("th", {}, "Balance"), h("td", { class: "num strong", testid: "invoice-balance" }, money(inv.balance))),
    ], inv.tax_treatment),
    inv.payments.length ? h("section", { class: "panel" }, h("h2", {}, "Payments"),
      h("ul", { testid: "payment-list" }, inv.payments.map((p) => h("li", {},
        `${formatDate(p.paid_on, locale)}: ${money(p.amount)} · ${[p.method, p.reference].filter(Boolean).join(" · ")}`,
        p.reversed ? h("span", { class: "muted" }, " · reversed") : null,
        !p.reverses && !p.reversed && inv.status !== "void"
          ? h("button", { class: "link-button", testid: `payment-reverse-${p.id}`, onclick: () => reversePayment(inv, p, money(p.amount), error, reload) }, "Reverse…")
          : null)))) : null,
    inv.credit_notes.length ? h("section", { class: "panel" }, h("h2", {}, "Credit notes"),
      h("ul", { testid: "credit-note-list" }, inv.credit_notes.map((c) => h("li", {}, h("a", { href: `#/invoices/${c.id}` }, c.number), ` · ${formatDate(c.issue_date, locale)} · ${money(c.total)}`)))) : null,
    payment,
  ]);
}

/** The lines of an invoice as they stand, read-only. */
function linesTable(inv: InvoiceDetail, money: (v: string) => string, locale: string): HTMLElement {
  return h("div", { class: "table-wrap" }, h("table", { class: "list" },
    h("thead", {}, h("tr", {}, ["Description", "Qty", "Unit price", "Discount", "Tax", "Net"].map((t, i) => h("th", { class: i ? "num" : "" }, t)))),
    h("tbody", { testid: "invoice-lines" }, inv.lines.map((l, i) => h("tr", {}, h("td", {}, l.description), h("td", { class: "num" }, `${formatDecimal(l.quantity, locale)} ${l.unit}`.trim()),
      h("td", { class: "num" }, money(l.unit_price)),
      h("td", { class: "num" }, l.discount_percent && !/^0(\.0+)?$/.test(l.discount_percent) ? `${formatDecimal(l.discount_percent, locale)} %` : ""),
      h("td", { class: "num" }, `${formatDecimal(l.tax_rate_percent ?? "0", locale)} %`),
      h("td", { class: "num" }, money(inv.nets[i])))))));
}

/**
 * A project's final invoice (DOMAIN.md §6.1): the quote's one-time lines less the deposit
 * invoice, as agreed on acceptance. It is issued as it is (after its deposit) or deleted.
 */
function finalDraftView(container: HTMLElement, locale: string, inv: InvoiceDetail): void {
  const money = (v: string) => formatMoney(v, inv.currency, locale);
  const error = h("p", { class: "field-error", role: "alert", testid: "invoice-error" });
  const reload = () => { clear(container); invoiceScreen(container, locale, inv.id, null).catch((e) => toast(messageOf(e), "error")); };
  const issue: HTMLButtonElement = h("button", { class: "primary", testid: "invoice-issue", onclick: async () => {
    if (!(await confirmDialog("Issue this final invoice now? It gets the next number and can no longer change.", "Issue invoice"))) return;
    issue.disabled = true; // a double click issues once
    try {
      const row = await commands.issueInvoice(inv.id);
      toast(`Issued ${row.number}.`);
      reload();
    } catch (e) {
      error.textContent = messageOf(e);
      issue.disabled = false;
    }
  } }, "Issue invoice");
  const remove = h("button", { class: "danger-quiet", testid: "draft-delete", onclick: async () => {
    if (!(await confirmDialog("Delete this final invoice? The project's rest is then not invoiced: write an invoice by hand for it.", "Delete draft"))) return;
    try {
      await commands.deleteDraft(inv.id);
      toast("Draft deleted.");
      location.hash = "#/invoices";
    } catch (e) {
      error.textContent = messageOf(e);
    }
  } }, "Delete draft");
  append(container, [
    backLink(),
    h("header", { class: "screen-header" }, h("h1", { testid: "invoice-title" }, "Final invoice (draft)"),
      h("div", { class: "toolbar-buttons" }, pdfButtons(inv.id, error), remove, issue)),
    h("p", { class: "muted", testid: "invoice-summary" }, [
      inv.customer, inv.currency,
      inv.scheduled_on ? `scheduled for ${formatDate(inv.scheduled_on, locale)}` : null,
      "not yet issued: no number",
    ].filter(Boolean).join(" · ")),
    h("p", { testid: "final-invoice-note" }, "The quote's one-time lines less the deposit invoice, as agreed when it was accepted. Issue the deposit invoice first; this one then names it."),
    inv.notes ? h("p", {}, inv.notes) : null,
    error,
    linesTable(inv, money, locale),
    totalsTable(inv.totals, money, locale, [], inv.tax_treatment),
  ]);
}

/** A wrongly recorded payment is cancelled by a reversal entry, after a confirmation. */
async function reversePayment(inv: InvoiceDetail, p: { id: number; paid_on: string }, amount: string, error: HTMLElement, done: () => void): Promise<void> {
  const yes = await confirmDialog(`Reverse the payment of ${amount} from ${p.paid_on}? A reversal entry cancels it; the payment itself stays in the record.`, "Reverse payment");
  if (!yes) return;
  try {
    await commands.reversePayment(inv.id, p.id);
    toast("Payment reversed.");
    done();
  } catch (e) {
    error.textContent = messageOf(e);
  }
}

function paymentForm(inv: InvoiceDetail, locale: string, error: HTMLElement, done: () => void): HTMLElement {
  const amount = h("input", { value: inv.balance, testid: "payment-amount", "aria-label": "Amount", class: "short-input", inputmode: "decimal" });
  const date = h("input", { value: formatDate(isoDay(), locale), testid: "payment-date", "aria-label": "Date", class: "short-input", placeholder: datePlaceholder(locale) });
  const method = h("input", { value: "Bank transfer", "aria-label": "Method", class: "short-input" });
  const reference = h("input", { placeholder: "Reference", "aria-label": "Reference", class: "short-input" });
  const record: HTMLButtonElement = h("button", { class: "primary", testid: "payment-record", onclick: async () => {
    record.disabled = true; // a double click records one payment, not two
    try {
      const paidOn = parseDate(date.value, locale);
      if (!paidOn) {
        error.textContent = `"${date.value}" is not a date: type it like ${datePlaceholder(locale)}.`;
        record.disabled = false;
        return;
      }
      await commands.recordPayment(inv.id, amount.value, paidOn, method.value, reference.value);
      toast("Payment recorded.");
      done();
    } catch (e) {
      error.textContent = messageOf(e);
      record.disabled = false;
    }
  } }, inv.status === "refund_due" ? "Record refund" : "Record payment");
  const heading = inv.status === "refund_due" ? "Record a refund (a negative amount)" : "Record a payment";
  return h("section", { class: "panel" }, h("h2", {}, heading),
    h("div", { class: "form-actions" }, h("label", {}, "Amount ", amount), h("label", {}, "Date ", date), h("label", {}, "Method ", method), reference, record));
}

/**
 * Chooses what to give back (DOMAIN.md §6.1): quantities of lines, and/or a fixed net amount
 * at one of the invoice's tax rates, with a reason printed on the note. "Credit everything
 * still open" asks the backend for exactly what is left, so the notes add up to the invoice.
 */
function creditDialog(inv: InvoiceDetail, locale: string, done: () => void): void {
  const error = h("p", { class: "field-error", role: "alert", testid: "credit-error" });
  let everything = false;
  const inputs = inv.lines.map((_, i) => h("input", { class: "num short", value: "", testid: `credit-qty-${i}`, "aria-label": `Quantity to credit on line ${i + 1}`, inputmode: "decimal",
    disabled: /^0(\.0+)?$/.test(inv.creditable[i]), placeholder: "0" }));
  const amounts = inv.totals.taxes.map((t) => h("input", { class: "num short", value: "", testid: `credit-amount-${t.category}-${t.rate_percent}`, "aria-label": `Net amount to credit: ${taxRowLabel(t, "the base", locale)}`, inputmode: "decimal", placeholder: "0.00" }));
  const reason = h("input", { testid: "credit-reason", "aria-label": "Reason", placeholder: "e.g. seat cancelled within 7 days", maxlength: "500", class: "wide-input" });
  [...inputs, ...amounts].forEach((input) => input.addEventListener("input", () => { everything = false; }));
  const all = h("button", { testid: "credit-all", onclick: () => {
    inv.creditable.forEach((q, i) => { inputs[i].value = /^0(\.0+)?$/.test(q) ? "" : q; });
    amounts.forEach((a) => { a.value = ""; });
    everything = true;
  } }, "Credit everything still open");
  const issue: HTMLButtonElement = h("button", { class: "primary", testid: "credit-issue", onclick: async () => {
    issue.disabled = true;
    try {
      const lines = inputs.map((input, i) => ({ line_id: inv.line_ids[i], quantity: input.value.trim() }));
      const fixed = inv.totals.taxes
        .map((t, i) => ({ category: t.category, rate: t.rate_percent, net: amounts[i].value.trim() }))
        .filter((a) => a.net !== "");
      const note = everything
        ? await commands.creditInvoice(inv.id, null, null, reason.value)
        : await commands.creditInvoice(inv.id, lines, fixed, reason.value);
      closeModal(dialog);
      toast(`Issued credit note ${note.number}.`);
      done();
    } catch (e) {
      error.textContent = messageOf(e);
      issue.disabled = false;
    }
  } }, "Issue credit note");
  const dialog = modal(`Credit note for ${inv.number}`, h("div", {},
    h("p", {}, "Choose what to give back. The credit note gets its own number; credit notes that add up to the invoice void it. A paid invoice can be credited too: the refund then due shows on the invoice."),
    h("div", { class: "table-wrap" }, h("table", { class: "list lines" },
      h("thead", {}, h("tr", {}, ["Line", "Invoiced", "Still open", "Credit"].map((t, i) => h("th", { class: i ? "num" : "" }, t)))),
      h("tbody", {}, inv.lines.map((l, i) => h("tr", {}, h("td", {}, l.description), h("td", { class: "num" }, formatDecimal(l.quantity, locale)),
        h("td", { class: "num" }, formatDecimal(inv.creditable[i], locale)), h("td", { class: "num" }, inputs[i])))))),
    h("h3", {}, "Or a fixed amount (net, before tax)"),
    h("div", { class: "form-actions" }, inv.totals.taxes.map((t, i) => h("label", {}, t.category === "S" || t.category === "Z" ? `At ${formatDecimal(t.rate_percent, locale)} % ` : `${taxRowLabel(t, "", locale).replace(/ on $/, "")} `, amounts[i]))),
    h("label", { class: "field" }, "Reason (printed on the credit note) ", reason),
    error, h("div", { class: "form-actions" }, all, issue, h("button", { onclick: () => closeModal(dialog) }, "Cancel"))), "credit-dialog", () => {});
  inputs.find((i) => !i.disabled)?.focus();
}
