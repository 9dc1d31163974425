// Subscriptions: what the monthly billing run charges. Added by hand (or by accepting a
// quote), edited for later runs, ended with an end date; issued invoices never change.
import { commands, messageOf } from "../api";
import { pickCatalogItem } from "../components/catalogPicker";
import { pickCustomer } from "../components/customerPicker";
import { openImportDialog } from "../components/importDialog";
import { closeModal, h, modal, toast } from "../dom";
import { formatDate, formatDecimal, formatMoney, isoDay, parseDate, datePlaceholder } from "../format";
import { Form, actions, checkRequired } from "../form";
import type { CustomerRecord, LicenceRow, Renewal, SavedSubscription, SubscriptionForm, SubscriptionImportPreview } from "../types";
import { settingsForDialog } from "./settings";
import { screenState } from "../screenState";
import { intervalLabel } from "../labels";

/** Running subscriptions from the previous tool, each billed from the month it has not (§11). */
export function importSubscriptions(done: (imported: number) => void): void {
  openImportDialog<SubscriptionImportPreview>({
    kind: "subscriptions", title: "Import running subscriptions", noun: "subscription",
    intro: "Choose the recurring invoices or subscriptions your previous tool exports: customer (as imported), description, quantity, price, monthly or annual, start date, and the next month that tool would bill. VarDesk bills each from that month on, so no month is billed twice or left out; without it, from next month.",
    preview: "preview_subscription_import", apply: "import_subscriptions",
    details: (p) => (p.first_months?.length
      ? h("ul", { class: "muted small", testid: "import-first-months" }, p.first_months.slice(0, 50).map((m) => h("li", {}, m)))
      : null),
    done: (n) => done(n),
  });
}

export function subscriptionsScreen(container: HTMLElement, locale: string): void {
  const body = h("tbody", { testid: "subscription-rows" });
  const refresh = async () => {
    try {
      const rows = await commands.listSubscriptions();
      body.replaceChildren();
      if (!rows.length) body.append(h("tr", {}, h("td", { colspan: 10, class: "empty" }, "No subscriptions yet: add one, or accept a quote with recurring lines.")));
      for (const s of rows) {
        const edit = () => openSubscription(s.id, locale, refresh, s.licence);
        body.append(h("tr", { class: s.active ? "" : "archived", testid: "subscription-row", tabindex: 0, onclick: edit, onkeydown: (e: KeyboardEvent) => { if (e.key === "Enter") edit(); } },
          h("td", { class: "strong" }, s.customer), h("td", {}, s.description),
          h("td", { class: "num" }, `${formatDecimal(s.quantity, locale)} ${s.unit}`.trim()),
          h("td", { class: "num", testid: "subscription-price" }, formatMoney(s.unit_price, s.currency, locale),
            /^0(\.0+)?$/.test(s.discount_percent) ? "" : h("span", { class: "muted" }, ` − ${formatDecimal(s.discount_percent, locale)} %`)),
          h("td", {}, intervalLabel(s.interval)),
          h("td", { testid: "subscription-term" }, s.licence ? licenceText(s.licence, locale) : "—",
            s.licence?.open_windows.map((w) => h("div", { class: "muted small", testid: "subscription-window" },
              `${formatDecimal(w.seats, locale)} removable until ${formatDate(w.until, locale)}`)) ?? null),
          h("td", {}, formatDate(s.start_date, locale)), h("td", { testid: "subscription-end" }, s.end_date ? formatDate(s.end_date, locale) : "—"),
          h("td", {}, s.last_billed ?? "—"),
          h("td", { class: "num" }, formatMoney(s.amount, s.currency, locale))));
      }
    } catch (e) {
      body.replaceChildren(h("tr", {}, h("td", { colspan: 10, class: "field-error" }, messageOf(e))));
    }
  };
  const newSubscription = () => pickCustomer("New subscription for…", (c) => subscriptionDialog(null, c.name, c.currency, blank(c), locale, refresh));
  container.append(
    h("header", { class: "screen-header" }, h("h1", {}, "Subscriptions"),
      h("div", { class: "toolbar-buttons" },
        h("button", { testid: "reconcile-bill", onclick: () => { location.hash = "#/reconcile"; } }, "Reconcile distributor bill…"),
        h("button", { testid: "import-subscriptions", onclick: () => importSubscriptions(() => refresh()) }, "Import running subscriptions…"),
        h("button", { class: "primary", testid: "new-subscription", onclick: newSubscription, title: "Ctrl+N" }, "Add subscription"))),
    h("p", { class: "muted" }, "The monthly billing run charges these. Changes apply to later runs; issued invoices keep what they charged. End a subscription by giving it an end date."),
    renewalsPanel(locale, () => void refresh()),
    h("h2", {}, "All subscriptions"),
    h("div", { class: "table-wrap" }, h("table", { class: "list" },
      h("thead", {}, h("tr", {}, ["Customer", "Service", "Qty", "Price", "Billed", "Microsoft term", "From", "Until", "Last billed", "Per interval"].map((t, i) => h("th", { class: [2, 3, 9].includes(i) ? "num" : "" }, t)))), body)));
  refresh();
  screenState.create = newSubscription;
}

/** How often a subscription is billed, as lists say it. */

const TERMS: [string, string][] = [["", "Not a Microsoft licence"], ["P1M", "P1M · one month"], ["P1Y", "P1Y · one year"], ["P3Y", "P3Y · three years"]];
const BILLING: [string, string][] = [["", "As the customer is billed"], ["monthly", "Monthly"], ["annual", "Annually"], ["upfront", "Upfront for the term"]];

/** "P1Y · renews Mar 2027" (or "ends 14 Mar 2027" without auto-renew; "· 8 then" when a
 *  reduction waits for the renewal). */
export function licenceText(l: LicenceRow, locale: string): string {
  const [y, m] = l.renewal_month.split("-").map(Number);
  const month = new Date(y, m - 1, 1).toLocaleDateString(locale, { month: "short", year: "numeric" });
  const then = l.seats_at_renewal !== null ? ` · ${formatDecimal(l.seats_at_renewal, locale)} then` : "";
  return l.auto_renew ? `${l.term} · renews ${month}${then}` : `${l.term} · ends ${formatDate(l.term_end, locale)}`;
}

/** What a licence's seats did when saved (§10), as one sentence. */
function seatsSaid(s: SavedSubscription, locale: string): string {
  const n = (v: string) => formatDecimal(v, locale);
  const parts: string[] = [];
  if (!/^0(\.0+)?$/.test(s.added)) parts.push(`${n(s.added)} seats added: billed for the rest of the period on the next invoice`);
  if (!/^0(\.0+)?$/.test(s.removed)) parts.push(`${n(s.removed)} seats removed within their 7-day window${s.credit_notes.length ? ` (credit note ${s.credit_notes.join(", ")})` : ""}`);
  if (s.at_renewal) parts.push(`the rest of the reduction waits for the renewal: ${n(s.at_renewal[0])} seats from ${formatDate(s.at_renewal[1], locale)}`);
  return parts.length ? `Saved: ${parts.join("; ")}.` : "Subscription saved.";
}

/** The licences renewing in the next 30, 60 or 90 days, each with "Schedule change…" (§10). */
function renewalsPanel(locale: string, changed: () => void): HTMLElement {
  const body = h("tbody", { testid: "renewal-rows" });
  const buttons = [30, 60, 90].map((days) => h("button", { testid: `renewals-${days}`, onclick: () => void show(days) }, `${days} days`));
  const show = async (days: number) => {
    buttons.forEach((b, i) => b.classList.toggle("primary", [30, 60, 90][i] === days));
    try {
      const rows = await commands.licenceRenewals(days);
      body.replaceChildren();
      if (!rows.length) body.append(h("tr", {}, h("td", { colspan: 7, class: "empty" }, `No Microsoft licence renews in the next ${days} days.`)));
      for (const r of rows) {
        body.append(h("tr", { testid: "renewal-row" },
          h("td", {}, formatDate(r.renews_on, locale)), h("td", { class: "strong" }, r.customer), h("td", {}, `${r.description} · ${r.term}`),
          h("td", { class: "num" }, formatDecimal(r.seats, locale)),
          h("td", { class: "num" }, r.auto_renew ? formatDecimal(r.seats_at_renewal, locale) : "ends"),
          h("td", { class: "num" }, r.auto_renew ? formatMoney(r.value, r.currency, locale) : "—"),
          h("td", {}, h("button", { testid: "renewal-schedule", onclick: () => scheduleDialog(r, locale, () => { void show(days); changed(); }) }, "Schedule change…"))));
      }
    } catch (e) {
      body.replaceChildren(h("tr", {}, h("td", { colspan: 7, class: "field-error" }, messageOf(e))));
    }
  };
  void show(30);
  return h("section", { class: "panel", testid: "renewals" },
    h("div", { class: "screen-header" }, h("h2", {}, "Renewing soon"), h("div", { class: "toolbar-buttons" }, buttons)),
    h("div", { class: "table-wrap" }, h("table", { class: "list" },
      h("thead", {}, h("tr", {}, ["Renews", "Customer", "Licence", "Seats now", "Seats then", "Per interval then", ""].map((t, i) => h("th", { class: [3, 4, 5].includes(i) ? "num" : "" }, t)))),
      body)));
}

function scheduleDialog(r: Renewal, locale: string, done: () => void): void {
  const form = new Form("renewal-form", async () => {
    const v = form.values();
    try {
      await commands.scheduleRenewal(r.subscription_id, v.seats, v.auto_renew !== "false");
      closeModal(dialog);
      toast(v.auto_renew === "false" ? `${r.description} ends on ${formatDate(r.renews_on, locale)}.` : `Scheduled for ${formatDate(r.renews_on, locale)}.`);
      done();
    } catch (e) {
      form.showApiError(e);
    }
  });
  form.section(`${r.customer} · ${r.description}`, [
    { name: "seats", label: "Seats from the renewal on", type: "number", hint: `Now ${formatDecimal(r.seats, locale)}; leave empty to keep them.` },
    { name: "auto_renew", label: "At the term's end", type: "select", options: [["true", "Renews automatically"], ["false", "Ends"]] },
  ], `The term renews on ${formatDate(r.renews_on, locale)} at the catalog's price then. Seats can be reduced only at renewal (or within 7 days of buying them).`);
  form.set({ seats: r.seats_at_renewal === r.seats ? "" : formatDecimal(r.seats_at_renewal, locale), auto_renew: r.auto_renew ? "true" : "false" });
  form.el.append(actions(h("button", { type: "submit", class: "primary", testid: "renewal-save" }, "Schedule"),
    h("button", { type: "button", onclick: () => closeModal(dialog) }, "Cancel")));
  const dialog = modal("Schedule the renewal", form.el, "renewal-dialog", () => {});
  form.input("seats")?.focus();
}

function blank(c: CustomerRecord): SubscriptionForm {
  const now = new Date();
  const first = `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, "0")}-01`;
  return { customer_id: c.id, catalog_item_id: null, description: "", quantity: "1", unit: "", unit_price: "", unit_cost: "0",
    discount_percent: "0", tax_rate_percent: "", interval: "monthly", start_date: first, end_date: "",
    term: "", billing: "", coterm_with: "", auto_renew: null, ms_subscription_id: "", ms_product_id: "", ms_sku_id: "" };
}

async function openSubscription(id: number, locale: string, done: () => void, licence: LicenceRow | null = null): Promise<void> {
  try {
    const form = await commands.getSubscription(id);
    if (form.customer_id === null) throw new Error("The subscription has no customer.");
    const customer = (await commands.getCustomer(form.customer_id)).record;
    subscriptionDialog(id, customer.name, customer.currency, form, locale, done, licence);
  } catch (e) {
    toast(messageOf(e), "error");
  }
}

async function subscriptionDialog(id: number | null, customer: string, currency: string, values: SubscriptionForm, locale: string, done: () => void, current: LicenceRow | null = null): Promise<void> {
  if (!values.tax_rate_percent) values.tax_rate_percent = (await settingsForDialog())?.form.default_tax_rate_percent ?? "0";
  let catalogItem = values.catalog_item_id;
  const form = new Form("subscription-form", save);
  form.section(`${customer} · ${currency}`, [
    { name: "description", label: "Service", required: true, wide: true },
    { name: "quantity", label: "Seats / quantity", type: "number", required: true },
    { name: "unit", label: "Unit" },
    { name: "unit_price", label: `Price per unit (${currency})`, type: "number", required: true },
    { name: "unit_cost", label: `Your cost per unit (${currency})`, type: "number", hint: "Never printed; for margins." },
    { name: "discount_percent", label: "Discount %", type: "number" },
    { name: "tax_rate_percent", label: "Tax rate %", type: "number" },
    { name: "interval", label: "Billed", type: "select", options: [["monthly", "Monthly"], ["annual", "Yearly (in the start month)"], ["triennial", "Once per 3-year term (P3Y paid upfront)"]] },
    { name: "start_date", label: "Starts", required: true, hint: `e.g. ${datePlaceholder(locale)}` },
    { name: "end_date", label: "Ends (inclusive)", hint: "Leave empty while it runs." },
  ]);
  // §10: a Microsoft licence's term, how the partner pays Microsoft, and its ids.
  const others = id === null ? await otherLicences(values.customer_id) : [];
  const licence = form.section("Microsoft licence (NCE)", [
    { name: "term", label: "Term", type: "select", options: TERMS },
    { name: "billing", label: "You pay Microsoft", type: "select", options: BILLING },
    ...(id === null ? [{ name: "coterm_with", label: "First term ends", type: "select" as const,
      options: [["", "A full term after the start"], ["month_end", "At a calendar month's end"], ...others] as [string, string][] }] : []),
    { name: "auto_renew", label: "At the term's end", type: "select", options: [["true", "Renews automatically"], ["false", "Ends"]] },
    { name: "ms_subscription_id", label: "Microsoft subscription id", hint: "From Partner Center or the distributor's portal", wide: true },
    { name: "ms_product_id", label: "Product id", hint: "e.g. CFQ7TTC0LDPB" },
    { name: "ms_sku_id", label: "SKU id", hint: "e.g. 0001" },
  ], "Seats can be removed only within 7 days of buying them; the cost stays as bought until the term renews.");
  licence.classList.add("licence-section");
  // Where the licence stands today: its term, seats still removable, what the renewal brings.
  if (current) {
    const said = [`This term: ${formatDate(current.term_start, locale)} – ${formatDate(current.term_end, locale)}.`,
      ...current.open_windows.map((w) => `${formatDecimal(w.seats, locale)} seats can still be removed until ${formatDate(w.until, locale)}.`),
      current.seats_at_renewal !== null ? `${formatDecimal(current.seats_at_renewal, locale)} seats from the renewal on.` : ""];
    licence.insertBefore(h("p", { class: "strong", testid: "licence-now" }, said.filter(Boolean).join(" ")), licence.querySelector(".field-grid"));
  }
  const showLicence = () => {
    const on = form.values().term !== "";
    for (const f of licence.querySelectorAll<HTMLElement>(".field")) {
      if (!f.querySelector("[name=term]")) f.hidden = !on;
    }
  };
  form.input("term")?.addEventListener("change", showLicence);
  // §10: a three-year term paid upfront bills the customer once per term by default.
  const upfront = () => {
    const v = form.values();
    if (v.term === "P3Y" && v.billing === "upfront") form.set({ interval: "triennial" });
    else if (v.interval === "triennial" && v.term !== "P3Y") form.set({ interval: "annual" });
  };
  form.input("term")?.addEventListener("change", upfront);
  form.input("billing")?.addEventListener("change", upfront);
  const { customer_id: _c, catalog_item_id: _i, auto_renew, ...fields } = values;
  // Dates are shown and typed as the user's locale writes them, and sent as ISO dates.
  form.set({ ...fields, start_date: formatDate(fields.start_date, locale), end_date: formatDate(fields.end_date, locale) });
  form.set({ auto_renew: auto_renew === false ? "false" : "true" });
  showLicence();
  const fromCatalog = h("button", { type: "button", testid: "subscription-from-catalog", onclick: () => pickCatalogItem(currency, locale, (item) => {
    catalogItem = item.id;
    form.set({ description: item.name, unit: item.unit, unit_price: item.price, unit_cost: item.cost, tax_rate_percent: item.tax_rate_percent,
      interval: item.kind === "annual" ? "annual" : "monthly" });
    // A Microsoft licence brings its term and Partner Center ids (§10).
    if (item.microsoft) {
      form.set({ term: item.microsoft.term ?? "P1M", billing: item.microsoft.billing ?? "", ms_product_id: item.microsoft.product_id, ms_sku_id: item.microsoft.sku_id });
    }
    showLicence();
  }) }, "Fill from catalog…");
  const endToday = id === null ? null : h("button", { type: "button", testid: "subscription-end-month", onclick: () => {
    const now = new Date();
    const last = new Date(now.getFullYear(), now.getMonth() + 1, 0);
    form.set({ end_date: formatDate(isoDay(last), locale) });
  } }, "End this month");
  const buttons = [h("button", { type: "submit", class: "primary", testid: "subscription-save" }, id === null ? "Add subscription" : "Save changes"), fromCatalog];
  if (endToday) buttons.push(endToday);
  buttons.push(h("button", { type: "button", onclick: () => closeModal(dialog) }, "Cancel"));
  form.el.append(actions(...buttons));
  async function save(): Promise<void> {
    const v = form.values();
    const missing = checkRequired(v, [["description", "Name the service."], ["quantity", "Enter the number of seats."], ["unit_price", "Enter the price."], ["start_date", "Enter the start date."]]);
    const dates = (["start_date", "end_date"] as const)
      .filter((f) => v[f].trim() && !parseDate(v[f], locale))
      .map((f) => ({ field: f, message: `"${v[f].trim()}" is not a date: type it like ${datePlaceholder(locale)}.` }));
    if (missing.length || dates.length) {
      form.showErrors([...missing, ...dates]);
      return;
    }
    const iso = (text: string) => (text.trim() ? parseDate(text, locale) ?? text : "");
    try {
      const licenceFields = v.term ? { auto_renew: v.auto_renew !== "false" } : { billing: "", coterm_with: "", ms_subscription_id: "", auto_renew: null };
      const saved = await commands.saveSubscription(id, { ...v, ...licenceFields, start_date: iso(v.start_date), end_date: iso(v.end_date), customer_id: values.customer_id, catalog_item_id: catalogItem });
      closeModal(dialog);
      toast(id === null ? "Subscription added." : seatsSaid(saved, locale));
      done();
    } catch (e) {
      form.showApiError(e);
    }
  }
  const dialog = modal(id === null ? "New subscription" : "Subscription", form.el, "subscription-dialog", () => {});
  form.input("description")?.focus();
}

/** The customer's licences a new one can co-term with: "Ends with … (14 Mar 2027)". */
async function otherLicences(customerId: number | null): Promise<[string, string][]> {
  try {
    const rows = await commands.listSubscriptions();
    return rows
      .filter((r) => r.customer_id === customerId && r.active && r.licence)
      .map((r) => [String(r.id), `With ${r.description} (${r.licence?.term_end})`]);
  } catch {
    return [];
  }
}
