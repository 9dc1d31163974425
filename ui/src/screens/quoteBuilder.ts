// The quote builder: details, the live estimator with inventory import and risk flags,
// editable coefficients, the line table (catalog and manual lines, reorder, discounts) and
// the totals panel. Every figure comes from the backend's evaluation of the current form.
import { commands, call, messageOf } from "../api";
import { append, clear, closeModal, confirmDialog, debounce, h, latest, modal, toast } from "../dom";
import { lineCell, markLineErrors, redrawKeepingFocus } from "../components/lineTable";
import { datePlaceholder, formatDate, formatDecimal, formatInput, formatMoney, isoDay, minorUnits, parseDate, taxRowLabel, TREATMENT_LABELS } from "../format";
import type { FieldError, Inventory, LineForm, LineKind, OneTimeInvoicing, QuoteAction, QuoteEvaluation, QuoteForm, QuoteRecord, QuoteTotals, RiskFlag, SavedFlag, TaxTreatment } from "../types";
import { coefficientFields } from "../components/coefficients";
import { printDialog } from "../components/printDialog";
import { sendButton } from "./invoice";
import { pickCatalogItem } from "../components/catalogPicker";
import { settingsForDialog } from "./settings";
import { screenState } from "../screenState";
import { LINE_KIND, PLATFORMS, QUOTE_STATUS } from "../labels";

/** DOMAIN.md §4.2: every version but Subscription Edition is out of support. */
const EXCHANGE_VERSIONS: [string, string][] = [
  ["", "Not known"],
  ["2010", "Exchange 2010"],
  ["2013", "Exchange 2013"],
  ["2016", "Exchange 2016"],
  ["2019", "Exchange 2019"],
  ["se", "Subscription Edition"],
];

export async function quoteBuilder(container: HTMLElement, locale: string, id: number | null, customerId: number | null): Promise<void> {
  let record: QuoteRecord | null = null;
  let form: QuoteForm;
  if (id !== null) {
    record = await commands.getQuote(id);
    form = record.form;
  } else {
    if (customerId === null) throw new Error("A new quote needs its customer.");
    form = await commands.newQuote(customerId);
  }
  const editable = record ? record.editable : true;
  // A new quote names its customer too (a saved one carries the name).
  const customerName = record?.customer_name
    ?? (form.customer_id === null ? "" : await commands.getCustomer(form.customer_id).then((v) => v.record.name, () => ""));
  const defaultTax = (await settingsForDialog())?.form.default_tax_rate_percent ?? "0";
  let evaluation: QuoteEvaluation | null = null;
  let changes = 0;
  let dirty = false;
  screenState.unsaved = () => dirty && editable;
  const money = (v: string | null | undefined) => (v === null || v === undefined ? "" : formatMoney(v, form.currency, locale));

  // ---- header and actions
  const statusBadge = h("span", { class: `status status-${record?.shown_status ?? "draft"}`, testid: "quote-status-badge" },
    QUOTE_STATUS[record?.shown_status ?? "draft"]);
  const title = record ? `${record.number} v${record.version}` : "New quote";
  const actionBar = h("div", { class: "toolbar-buttons" });
  const saveButton = h("button", { class: "primary", testid: "quote-save", title: "Ctrl+S", onclick: () => save() }, record ? "Save" : "Save draft");
  if (editable) screenState.save = () => void save();
  const act = async (action: QuoteAction, confirmText?: string) => {
    if (confirmText && !(await confirmDialog(confirmText, "Mark as declined"))) return;
    try {
      if (dirty && editable && record && !(await save())) return;
      const next = await commands.quoteAction(record!.id, action);
      toast(action === "send" ? `${next.number} is marked as sent.` : action === "decline" ? `${next.number} is marked as declined.`
        : action === "revise" ? `Created ${next.number} v${next.version}; the previous version is kept as superseded.` : `Created ${next.number} as a copy.`);
      location.hash = `#/quotes/${next.id}`;
      if (next.id === record!.id) reload();
    } catch (e) {
      toast(messageOf(e), "error");
    }
  };
  const accept = async () => {
    // The one-time part: all now, or a deposit now and the rest on completion.
    const hasOneTime = !!record?.totals && !/^-?0(\.0+)?$/.test(record.totals.one_time.net);
    const allNow = h("input", { type: "radio", name: "one-time", value: "all", checked: true, testid: "accept-all-now" }) as HTMLInputElement;
    const deposit = h("input", { type: "radio", name: "one-time", value: "deposit", testid: "accept-deposit" }) as HTMLInputElement;
    const percent = h("input", { value: "30", inputmode: "decimal", class: "short-input", testid: "accept-deposit-percent", "aria-label": "Deposit %" }) as HTMLInputElement;
    const restOn = h("input", { placeholder: datePlaceholder(locale), class: "short-input", testid: "accept-rest-on", "aria-label": "Rest invoiced on" }) as HTMLInputElement;
    const perPhase = h("input", { type: "radio", name: "one-time", value: "phases", testid: "accept-per-phase" }) as HTMLInputElement;
    const phases = (record?.form.lines ?? []).filter((l) => l.kind === "one_time");
    // Every phase starts on today: the user moves the later ones.
    const phaseDates = phases.map((l, i) => h("input", { value: formatDate(isoDay(), locale), placeholder: datePlaceholder(locale), class: "short-input", testid: `accept-phase-${i}`, "aria-label": `Invoice ${l.description} on` }) as HTMLInputElement);
    const details = hasOneTime ? h("fieldset", { class: "accept-options" }, h("legend", {}, "The one-time part"),
      h("label", {}, allNow, " One draft invoice now"),
      h("label", {}, deposit, " A deposit of ", percent, " % now, the rest on ", restOn, " (a draft waiting for that date)"),
      h("label", {}, perPhase, " One invoice per phase, on these dates (the same date: one invoice; a later date: a draft waiting for it)"),
      h("div", { class: "phase-dates" }, phases.map((l, i) => h("label", {}, phaseDates[i], ` ${l.description}`)))) : null;
    for (const input of [percent, restOn]) input.addEventListener("focus", () => { deposit.checked = true; });
    for (const input of phaseDates) input.addEventListener("focus", () => { perPhase.checked = true; });
    const yes = await confirmDialog("Accept this quote? VarDesk creates a subscription for every recurring line, starting in " +
      `${form.expected_start}, and draft invoices for the one-time part. This cannot be undone.`, "Accept quote", details);
    if (!yes) return;
    let invoicing: OneTimeInvoicing = { how: "all_now" };
    if (perPhase.checked) {
      const dates = phaseDates.map((input) => parseDate(input.value, locale));
      if (dates.some((d) => !d)) {
        toast(`Give every phase its date, like ${datePlaceholder(locale)}.`, "error");
        return;
      }
      invoicing = { how: "per_phase", dates: dates as string[] };
    }
    if (deposit.checked) {
      const on = parseDate(restOn.value, locale);
      if (!on) {
        toast(`Give the date the rest is invoiced on, like ${datePlaceholder(locale)}.`, "error");
        return;
      }
      invoicing = { how: "deposit", percent: percent.value.trim().replace(",", "."), rest_on: on };
    }
    try {
      const out = await commands.acceptQuote(record!.id, invoicing);
      const parts = [`${out.subscriptions.length} subscription${out.subscriptions.length === 1 ? "" : "s"}`];
      if (perPhase.checked) parts.push("an invoice per phase date (later ones as scheduled drafts)");
      else if (out.scheduled_invoice_id) parts.push("a deposit invoice and the rest as a scheduled draft");
      else if (out.invoice_id !== null) parts.push("a draft invoice for the one-time part");
      toast(`Accepted ${out.number}: created ${parts.join(" and ")}.`);
      reload();
    } catch (e) {
      toast(messageOf(e), "error");
    }
  };
  const sendError = h("p", { class: "field-error", role: "alert", testid: "quote-send-error" });
  const reload = () => { clear(container); quoteBuilder(container, locale, record!.id, null).catch((e) => container.append(h("p", { class: "field-error" }, messageOf(e)))); };
  if (editable) actionBar.append(saveButton);
  if (record?.status === "draft") actionBar.append(h("button", { testid: "quote-send", onclick: () => act("send") }, "Mark as sent"));
  if (record?.status === "sent" && record.shown_status !== "expired") {
    actionBar.append(h("button", { class: "primary", testid: "quote-accept", onclick: accept }, "Accept…"));
  }
  if (record?.status === "sent") {
    actionBar.append(
      h("button", { testid: "quote-revise", onclick: () => act("revise") }, "Revise"),
      h("button", { testid: "quote-decline", onclick: () => act("decline", "Mark this quote as declined by the customer?") }, "Decline"));
  }
  if (record) {
    const pdf = async (command: "save_quote_pdf" | "open_quote_pdf") => {
      try {
        if (dirty && editable && !(await save())) return;
        const path = command === "save_quote_pdf" ? await commands.saveQuotePdf(record!.id) : await commands.openQuotePdf(record!.id);
        if (path && command === "save_quote_pdf") toast(`Saved the quote as ${path}.`);
      } catch (e) {
        toast(messageOf(e), "error");
      }
    };
    if (record.status === "draft" || record.status === "sent") {
      // Unsaved changes are saved first: the e-mail carries the quote as it stands.
      actionBar.append(sendButton("send_quote", record.id, sendError, reload, async () => !(dirty && editable) || save()));
    }
    actionBar.append(
      h("button", { testid: "quote-open-pdf", title: "Open the PDF in your viewer", onclick: () => pdf("open_quote_pdf") }, "Open PDF"),
      h("button", { testid: "quote-save-pdf", onclick: () => pdf("save_quote_pdf") }, "Save PDF…"),
      h("button", { testid: "quote-duplicate", onclick: () => act("duplicate") }, "Duplicate"));
    const print = () => printDialog("the quote", async (printer, copies) => {
      if (dirty && editable && !(await save())) throw new Error("Save the quote first.");
      return commands.printQuote(record!.id, printer, copies);
    });
    actionBar.append(h("button", { testid: "quote-print", title: "Ctrl+P", onclick: print }, "Print…"));
    screenState.print = print;
  }

  container.append(h("header", { class: "screen-header" },
    h("div", {},
      h("a", { href: "#/quotes", class: "back" }, "← Quotes"),
      h("h1", { testid: "quote-title" }, title, " ", statusBadge),
      h("div", { class: "muted", testid: "quote-customer" }, customerName)),
    actionBar), sendError);
  if (!editable) {
    container.append(h("p", { class: "notice", testid: "quote-readonly" },
      record?.status === "superseded" ? "This version was revised into a newer one; it stays here for reference."
        : record?.status === "accepted" ? "Accepted: its subscriptions and the draft invoice for the one-time part were created."
        : "This quote has been sent; to change it, revise it into a new version."));
  }
  const banner = h("div", { class: "form-banner", role: "alert", hidden: true, testid: "quote-error" });
  container.append(banner);

  // ---- inputs bound to the form
  const errorSlots = new Map<string, HTMLElement>();
  const touch = () => { dirty = true; changes++; reevaluate(); };
  const field = (label: string, key: string, get: () => string, set: (v: string) => void, opts: { type?: string; options?: [string, string][]; hint?: string; wide?: boolean } = {}) => {
    const input = opts.options
      ? h("select", { testid: `q-${key}`, disabled: !editable }, opts.options.map(([v, l]) => h("option", { value: v }, l)))
      : opts.type === "textarea"
        ? h("textarea", { rows: 3, testid: `q-${key}`, disabled: !editable })
        : h("input", { type: "text", testid: `q-${key}`, disabled: !editable, autocomplete: "off", inputmode: opts.type === "number" ? "decimal" : undefined });
    input.value = get();
    input.addEventListener(opts.options ? "change" : "input", () => { set(input.value); touch(); });
    const error = h("div", { class: "field-error", testid: `q-error-${key}` });
    errorSlots.set(key, error);
    return h("div", { class: `field${opts.wide ? " wide" : ""}` }, h("label", {}, label), input, opts.hint ? h("div", { class: "hint" }, opts.hint) : null, error);
  };

  const details = h("fieldset", { class: "form-section" }, h("legend", {}, "Quote"),
    h("div", { class: "field-grid narrow" },
      field("Title", "title", () => form.title, (v) => (form.title = v), { wide: true }),
      field("Quote date", "quote_date", () => formatDate(form.quote_date, locale), (v) => (form.quote_date = parseDate(v, locale) ?? v), { hint: `e.g. ${datePlaceholder(locale)}` }),
      field("Valid until", "valid_until", () => formatDate(form.valid_until, locale), (v) => (form.valid_until = parseDate(v, locale) ?? v), { hint: `e.g. ${datePlaceholder(locale)}` }),
      field("Services start", "expected_start", () => form.expected_start, (v) => (form.expected_start = v), { hint: "Month, YYYY-MM" }),
      field("Contract term (months)", "term_months", () => form.term_months, (v) => (form.term_months = v), { type: "number" }),
      field("Win probability (%)", "win_probability_percent", () => form.win_probability_percent, (v) => (form.win_probability_percent = v), { type: "number" }),
      h("div", { class: "field" }, h("label", {}, "Currency"), h("div", { class: "static" }, form.currency))));

  const est = form.estimator;
  const estimatorToggle = h("input", { type: "checkbox", checked: form.use_estimator, disabled: !editable, testid: "q-use-estimator" });
  estimatorToggle.addEventListener("change", () => { form.use_estimator = estimatorToggle.checked; estimatorBody.hidden = !form.use_estimator; touch(); });
  const flags = h("ul", { class: "flags", testid: "risk-flags" });
  const estimateSummary = h("p", { class: "muted small", testid: "estimate-summary" });
  const estimatorBody = h("div", {},
    h("div", { class: "field-grid narrow" },
      field("Migrating from", "estimator.source", () => est.source, (v) => (est.source = v), { options: PLATFORMS.filter(([v]) => v) }),
      field("Exchange version", "estimator.source_version", () => est.source_version, (v) => (est.source_version = v), { options: EXCHANGE_VERSIONS }),
      field("Complexity", "estimator.complexity", () => est.complexity, (v) => (est.complexity = v), { options: [["low", "Low"], ["medium", "Medium"], ["high", "High"]] }),
      field("User mailboxes", "estimator.mailboxes", () => est.mailboxes, (v) => (est.mailboxes = v), { type: "number" }),
      field("Shared mailboxes", "estimator.shared_mailboxes", () => est.shared_mailboxes, (v) => (est.shared_mailboxes = v), { type: "number" }),
      field("Mailbox data (GB)", "estimator.mailbox_gb", () => est.mailbox_gb, (v) => (est.mailbox_gb = v), { type: "number" }),
      field("Archives / PST (GB)", "estimator.archive_gb", () => est.archive_gb, (v) => (est.archive_gb = v), { type: "number" }),
      field("Public folders (GB)", "estimator.public_folder_gb", () => est.public_folder_gb, (v) => (est.public_folder_gb = v), { type: "number" }),
      field("File shares (GB)", "estimator.file_gb", () => est.file_gb, (v) => (est.file_gb = v), { type: "number" }),
      field("PCs and laptops", "estimator.pcs", () => est.pcs, (v) => (est.pcs = v), { type: "number" }),
      field("Phones", "estimator.phones", () => est.phones, (v) => (est.phones = v), { type: "number" }),
      field("Sites", "estimator.sites", () => est.sites, (v) => (est.sites = v), { type: "number" }),
      field("Users to train", "estimator.users_to_train", () => est.users_to_train, (v) => (est.users_to_train = v), { type: "number" })),
    editable ? h("button", { type: "button", testid: "inventory-import", onclick: () => importInventory() }, "Fill from mailbox inventory…") : null,
    estimateSummary, flags, coefficientsPanel());
  estimatorBody.hidden = !form.use_estimator;
  // Collapsible: once the estimate is set, the lines it made are what the partner works on.
  const estimator = h("details", { class: "form-section estimator-panel", open: true, testid: "estimator-panel" },
    h("summary", {}, "Migration estimate"),
    h("label", { class: "checkbox" }, estimatorToggle, " Estimate the migration from the customer's environment"),
    estimatorBody);

  function coefficientsPanel(): HTMLElement {
    const slot = (key: string) => {
      const error = h("div", { class: "field-error", testid: `q-error-${key}` });
      errorSlots.set(key, error);
      return error;
    };
    return h("details", { class: "coefficients" }, h("summary", {}, "Coefficients for this quote"),
      h("p", { class: "muted small" }, "Copied from Settings when the quote was created; changing them here changes only this quote."),
      coefficientFields(form.coefficients, editable, touch, slot));
  }

  // ---- lines
  const linesBody = h("tbody", { testid: "quote-lines" });
  const lineErrors = h("ul", { class: "line-errors field-error", testid: "line-errors" });
  const lineTaxNote = h("p", { class: "muted small", testid: "line-tax-note" });
  const linesSection = h("section", { class: "panel" },
    h("div", { class: "panel-header" }, h("h2", {}, "Lines"),
      editable ? h("div", { class: "toolbar-buttons" },
        h("button", { testid: "add-catalog-line", onclick: () => addFromCatalog() }, "Add from catalog…"),
        h("button", { testid: "add-line", onclick: () => { form.lines.push(blankLine()); renderLines(); touch(); } }, "Add line")) : null),
    lineTaxNote,
    h("div", { class: "table-wrap" }, h("table", { class: "list lines" },
      h("thead", {}, h("tr", {}, ["Kind", "Description", "Qty", "Unit", `Unit price (${form.currency})`, "Disc. %", "Tax %", "Net", ""].map((t, i) =>
        h("th", { class: i >= 2 && i <= 7 && i !== 3 ? "num" : "" }, t)))), linesBody)),
    lineErrors);

  const blankLine = (): LineForm => ({ kind: "one_time", source: "manual", description: "", quantity: "1", unit: "", unit_price: "0", unit_cost: "0",
    discount_percent: "0", tax_rate_percent: defaultTax, catalog_item_id: null, goods: false });

  /** The estimate's lines become ordinary lines and the estimator stops re-pricing them,
   *  so a line edited by hand is never charged twice. */
  async function takeOverEstimate(): Promise<void> {
    const yes = await confirmDialog("Edit the estimate's lines by hand? The estimator stops updating them; " +
      "switch it on again to start over from the estimate.", "Edit by hand");
    if (!yes) return;
    for (const line of form.lines) if (line.source === "estimate") line.source = "manual";
    form.use_estimator = false;
    estimatorToggle.checked = false;
    estimatorBody.hidden = true;
    renderLines();
    touch();
  }

  function renderLines(): void {
    redrawKeepingFocus(linesBody, drawLines);
  }
  function drawLines(focused: string | undefined): void {
    clear(linesBody);
    const nets = evaluation?.rows.map((r) => r.net) ?? [];
    const priceDecimals = minorUnits(form.currency);
    form.lines.forEach((line, index) => {
      const fromEstimate = line.source === "estimate";
      const locked = !editable || fromEstimate;
      // Locked lines (from the estimator, or a quote that is no longer a draft) read as text.
      // One number format per column, typed or not: the locale's decimal mark, prices with the
      // currency's decimals (the currency stands in the header); the cell being typed in keeps
      // its text.
      const cell = (key: keyof LineForm & string, cls: string, label: string, shown?: string, typed?: string) => {
        if (locked) return h("td", { class: cls.includes("num") ? "num" : "", testid: `line-${index}-${key}` }, shown ?? String(line[key] ?? ""));
        const value = focused === `${index}.${key}` ? undefined : typed;
        return lineCell(line, index, key, { cls, label, value }, touch);
      };
      const kind = locked ? LINE_KIND[line.kind as LineKind] : h("select", { "data-cell": `${index}.kind` }, Object.entries(LINE_KIND).map(([v, l]) => h("option", { value: v }, l)));
      if (kind instanceof HTMLSelectElement) {
        kind.value = line.kind;
        kind.addEventListener("change", () => { line.kind = kind.value as LineForm["kind"]; touch(); });
      }
      const move = (delta: number) => {
        const j = index + delta;
        if (j < 0 || j >= form.lines.length) return;
        [form.lines[index], form.lines[j]] = [form.lines[j], form.lines[index]];
        renderLines();
        touch();
      };
      const buttons = editable ? h("td", { class: "row-actions" },
        fromEstimate ? h("button", { class: "icon-button small", title: "Edit the estimate's lines by hand (the estimator stops updating them)", testid: `line-${index}-take-over`, onclick: () => takeOverEstimate() } , "✎") : null,
        h("button", { class: "icon-button small", title: "Move up", "aria-label": "Move up", onclick: () => move(-1) }, "↑"),
        h("button", { class: "icon-button small", title: "Move down", "aria-label": "Move down", onclick: () => move(1) }, "↓"),
        fromEstimate ? null : h("button", { class: "icon-button small", title: "Remove", "aria-label": "Remove", testid: `line-${index}-remove`, onclick: () => { form.lines.splice(index, 1); renderLines(); touch(); } }, "✕"))
        : h("td", {});
      const dec = (v: string) => (v ? formatDecimal(v, locale) : "");
      const input = (v: string, decimals = 0) => formatInput(v, locale, decimals);
      const price = line.unit_price ? formatDecimal(line.unit_price, locale, priceDecimals) : "";
      linesBody.append(h("tr", { class: fromEstimate ? "estimate-line" : "", testid: "quote-line" },
        h("td", {}, kind, fromEstimate ? h("div", { class: "tag" }, "estimate") : null),
        cell("description", "wide-input", "description"), cell("quantity", "num", "quantity", dec(line.quantity), input(line.quantity)),
        cell("unit", "short", "unit"),
        cell("unit_price", "num", "unit price", price, input(line.unit_price, priceDecimals)),
        cell("discount_percent", "num short", "discount %", line.discount_percent === "0" ? "" : `${dec(line.discount_percent)} %`, input(line.discount_percent)),
        cell("tax_rate_percent", "num short", "tax %", `${dec(line.tax_rate_percent)} %`, input(line.tax_rate_percent)),
        h("td", { class: "num strong", testid: `line-${index}-net` }, money(nets[index])), buttons));
    });
    if (!form.lines.length) linesBody.append(h("tr", {}, h("td", { colspan: 9, class: "empty" }, "No lines yet.")));
  }

  // ---- totals
  const totalsPanel = h("section", { class: "panel totals", testid: "quote-totals" });
  function renderTotals(t: QuoteTotals | null, treatment: TaxTreatment | null): void {
    clear(totalsPanel);
    totalsPanel.append(h("h2", {}, "Totals"));
    if (!t) return;
    // How the customer is taxed stands beside the figures it decides (DOMAIN.md §9).
    if (treatment && treatment !== "domestic") {
      totalsPanel.append(h("p", { class: "treatment", testid: "tax-treatment" }, TREATMENT_LABELS[treatment]));
    }
    // The lines keep the rates they were typed with; this customer is not charged them.
    lineTaxNote.textContent = treatment && treatment !== "domestic"
      ? `${TREATMENT_LABELS[treatment]}: the tax rates on the lines apply to domestic customers only; this quote charges the tax shown in the totals.`
      : "";
    const parts: [string, keyof Pick<QuoteTotals, "one_time" | "monthly" | "annual">][] = [["One-time", "one_time"], ["Monthly", "monthly"], ["Annual", "annual"]];
    const pct = (p: string | null) => (p === null ? "—" : `${formatDecimal(p, locale)} %`);
    totalsPanel.append(h("table", { class: "totals-table" },
      h("thead", {}, h("tr", {}, ["", "Net", "Tax", "Total", "Margin", ""].map((x, i) => h("th", { class: i ? "num" : "" }, x)))),
      h("tbody", {}, parts.map(([label, key]) => h("tr", { testid: `totals-${key}` },
        h("th", { scope: "row" }, label),
        h("td", { class: "num", testid: `total-${key}-net` }, money(t[key].net)),
        h("td", { class: "num", title: t[key].taxes.map((r) => `${taxRowLabel(r, money(r.base), locale)} = ${money(r.tax)}`).join("\n") }, money(t[key].tax_total)),
        h("td", { class: "num strong" }, money(t[key].total)),
        h("td", { class: "num" }, money(t[key].margin)),
        h("td", { class: "num muted" }, pct(t[key].margin_percent)))))),
      h("dl", { class: "key-figures" },
        h("div", {}, h("dt", {}, "First year"), h("dd", { testid: "total-first-year" }, money(t.first_year))),
        h("div", {}, h("dt", {}, `Contract value (${form.term_months} months)`), h("dd", { testid: "total-contract" }, money(t.contract_value))),
        h("div", {}, h("dt", {}, "Annuity value (5 years)"), h("dd", { testid: "total-annuity" }, money(t.annuity_value)))),
      h("p", { class: "muted small" }, "Margins and costs are for you only; they never print on the quote."),
      editable && form.use_estimator && /^0*(\.0+)?$/.test(String(form.coefficients.hourly_cost ?? "0").trim())
        ? h("p", { class: "warning small", testid: "labour-cost-warning" }, "Your cost per hour is 0, so every estimated hour counts as margin. Set it in this quote's coefficients, or for new quotes in Settings › Estimator defaults.")
        : "");
  }

  // ---- notes
  const notes = h("fieldset", { class: "form-section" }, h("legend", {}, "Text on the quote"),
    h("div", { class: "field-grid" },
      field("Notes", "notes", () => form.notes, (v) => (form.notes = v), { type: "textarea", wide: true }),
      field("Terms", "terms", () => form.terms, (v) => (form.terms = v), { type: "textarea", wide: true })));

  // The quote's terms beside its totals, then its lines, then what produced them: the lines
  // and totals are on the first screen at 1366×768.
  container.append(
    h("div", { class: "builder" }, h("div", { class: "builder-side" }, details), h("div", { class: "builder-main" }, totalsPanel)),
    linesSection,
    h("div", { class: "builder builder-below" }, h("div", { class: "builder-side" }, estimator), h("div", { class: "builder-main" }, notes)));

  // ---- evaluation
  function showErrors(errors: FieldError[]): void {
    for (const slot of errorSlots.values()) slot.textContent = "";
    clear(lineErrors);
    markLineErrors(linesBody, errors.map((e) => e.field));
    for (const e of errors) {
      const slot = errorSlots.get(e.field);
      if (slot) slot.textContent = e.message;
      else if (e.field.startsWith("lines[")) lineErrors.append(h("li", {}, e.message));
      else if (e.field !== "customer_id") lineErrors.append(h("li", {}, e.message));
    }
  }
  function renderFlags(): void {
    clear(flags);
    // The inventory's flags are kept with the quote: they show again when it is reopened.
    const all: (RiskFlag | SavedFlag)[] = [...(evaluation?.estimate?.warnings ?? []), ...(form.inventory_flags ?? [])];
    for (const f of all) flags.append(h("li", { class: `flag flag-${f.severity}`, testid: `flag-${f.code}` }, f.message));
    const e = evaluation?.estimate;
    estimateSummary.textContent = e
      ? `${formatDecimal(e.total_hours, locale)} hours of labour; ${formatDecimal(e.data_gb, locale)} GB to copy, about ${e.migration_days} day${e.migration_days === 1 ? "" : "s"} around the clock.`
      : "";
  }
  const newest = latest();
  async function evaluateNow(): Promise<void> {
    const current = newest();
    const sentAt = changes;
    try {
      const result = await commands.evaluateQuote(form);
      if (!current()) return;
      evaluation = result;
      banner.hidden = true;
      // Adopt the merged lines unless the user typed while this was on its way. A stored
      // draft re-priced differently (newer defaults) has unsaved changes.
      if (sentAt === changes) {
        const adopted = result.rows.map((r) => r.form);
        if (JSON.stringify(adopted) !== JSON.stringify(form.lines)) dirty = true;
        form.lines = adopted;
      }
      renderLines();
      renderTotals(result.totals, result.tax_treatment);
      renderFlags();
      showErrors(result.errors);
    } catch (e) {
      banner.textContent = messageOf(e);
      banner.hidden = false;
    }
  }
  const reevaluate = debounce(evaluateNow, 250);

  /** Saves the draft; false (with the reason shown) when it could not be saved. */
  async function save(): Promise<boolean> {
    saveButton.disabled = true;
    try {
      const saved = await commands.saveQuote(record?.id ?? null, form);
      dirty = false;
      toast(record ? `Saved ${saved.number}.` : `Saved as ${saved.number}.`);
      if (!record) location.hash = `#/quotes/${saved.id}`;
      else { record = saved; }
      return true;
    } catch (e) {
      const err = e as { fields?: FieldError[] };
      if (err.fields?.length) showErrors(err.fields);
      toast(messageOf(e), "error");
      return false;
    } finally {
      saveButton.disabled = false;
    }
  }

  async function importInventory(): Promise<void> {
    const file = h("input", { type: "file", accept: ".csv,text/csv,text/plain", testid: "inventory-file", "aria-label": "Inventory CSV" });
    const result = h("div", { testid: "inventory-preview", "aria-live": "polite" });
    const apply = h("button", { class: "primary", testid: "inventory-apply", disabled: true }, "Apply to the estimate");
    let inventory: Inventory | null = null;
    file.addEventListener("change", async () => {
      const chosen = file.files?.[0];
      clear(result);
      apply.disabled = true;
      if (!chosen) return;
      try {
        inventory = await call<Inventory>("preview_inventory", new Uint8Array(await chosen.arrayBuffer()));
        const inv = inventory;
        append(result, [
          h("p", { testid: "inventory-summary" }, `${inv.rows_read} rows: ${inv.user_mailboxes} user and ${inv.shared_mailboxes} shared mailboxes, ${formatDecimal(inv.mailbox_gb, locale)} GB in mailboxes, ${formatDecimal(inv.archive_gb, locale)} GB in archives.`),
          inv.errors.length ? h("div", {}, h("p", { class: "field-error" }, `${inv.errors.length} row${inv.errors.length === 1 ? "" : "s"} could not be read and are left out:`),
            h("ul", { class: "import-errors", testid: "inventory-errors" }, inv.errors.map((e) => h("li", {}, `line ${e.line}: ${e.reason}`)))) : null,
          inv.warnings.length ? h("ul", { class: "flags" }, inv.warnings.map((w) => h("li", { class: `flag flag-${w.severity}` }, w.message))) : null,
        ]);
        apply.disabled = false;
      } catch (e) {
        result.append(h("p", { class: "field-error", role: "alert" }, messageOf(e)));
      }
    });
    apply.addEventListener("click", () => {
      if (!inventory) return;
      est.mailboxes = String(inventory.user_mailboxes);
      est.shared_mailboxes = String(inventory.shared_mailboxes);
      est.mailbox_gb = inventory.mailbox_gb;
      est.archive_gb = inventory.archive_gb;
      est.users_to_train = String(inventory.user_mailboxes);
      form.inventory_flags = inventory.warnings;
      for (const key of ["mailboxes", "shared_mailboxes", "mailbox_gb", "archive_gb", "users_to_train"] as const) {
        const input = container.querySelector<HTMLInputElement>(`[data-testid="q-estimator.${key}"]`);
        if (input) input.value = est[key];
      }
      closeModal(dialog);
      touch();
    });
    const dialog = modal("Fill from a mailbox inventory", h("div", { class: "import" },
      h("p", {}, "A CSV export of Get-MailboxStatistics (UTF-8 or UTF-16, comma or semicolon, with or without the #TYPE line). Nothing changes until you apply it."),
      file, result, h("div", { class: "form-actions" }, apply, h("button", { onclick: () => closeModal(dialog) }, "Cancel"))), "inventory-dialog", () => {});
  }

  function addFromCatalog(): void {
    const seats = Number.parseInt(est.mailboxes, 10) || 0;
    pickCatalogItem(form.currency, locale, (item) => {
      form.lines.push({ kind: item.kind, source: "catalog", description: item.name,
        quantity: item.kind === "one_time" || !(seats > 0) ? "1" : String(seats),
        unit: item.unit, unit_price: item.price, unit_cost: item.cost, discount_percent: "0",
        tax_rate_percent: item.tax_rate_percent, catalog_item_id: item.id, goods: item.goods });
      renderLines();
      touch();
    });
  }

  renderLines();
  if (record) {
    evaluation = { errors: [], estimate: record.estimate, rows: record.lines.map((l) => ({ form: record!.form.lines[record!.lines.indexOf(l)], net: l.net })), lines: record.lines, totals: record.totals, tax_treatment: record.tax_treatment };
    renderLines();
    renderTotals(record.totals, record.tax_treatment);
    renderFlags();
  }
  if (editable) await evaluateNow();
}
