// The customer page (#/customers/ID): who the customer is, what it runs, its quotes,
// invoices with what is open or overdue, subscriptions with their monthly revenue, notes;
// and from here a new quote or invoice, editing, archiving.
import { commands, messageOf } from "../api";
import { h, toast } from "../dom";
import { formatCount, formatDate, formatDecimal, formatMoney } from "../format";
import type { CustomerRecord } from "../types";
import { editCustomer } from "./customers";
import { CUSTOMER_STATUS, intervalLabel, INVOICE_STATUS, PLATFORMS, QUOTE_STATUS } from "../labels";

export async function customerPage(container: HTMLElement, locale: string, id: number): Promise<void> {
  const page = await commands.customerOverview(id);
  const c = page.record;
  const money = (v: string, cur: string) => formatMoney(v, cur, locale);
  const reload = () => { container.replaceChildren(); void customerPage(container, locale, id).catch((e) => container.append(h("p", { class: "field-error", role: "alert" }, messageOf(e)))); };
  const archive = async () => {
    try {
      await commands.setCustomerArchived(id, !c.archived);
      toast(c.archived ? `Restored ${c.name}.` : `Archived ${c.name}. Its quotes, invoices and subscriptions stay.`);
      reload();
    } catch (e) {
      toast(messageOf(e), "error");
    }
  };
  const go = (hash: string) => () => { location.hash = hash; };

  const perCurrency = (items: { currency: string; amount: string }[], empty: string) =>
    items.length ? items.map((i) => h("div", {}, money(i.amount, i.currency))) : [h("div", {}, empty)];
  const open = page.invoiced.filter((t) => !/^-?0(\.0+)?$/.test(t.balance)).map((t) => ({ currency: t.currency, amount: t.balance }));
  const card = (title: string, testid: string, value: (HTMLElement | string)[], note: string) =>
    h("div", { class: "card", testid }, h("div", { class: "card-title" }, title), h("div", { class: "card-value" }, value), h("div", { class: "muted small" }, note));

  const section = (title: string, testid: string, head: string[], numeric: number[], rows: HTMLElement[], empty: string, action: HTMLElement | null = null) =>
    h("section", { class: "customer-section", testid },
      h("div", { class: "section-head" }, h("h2", {}, title), action ?? ""),
      rows.length
        ? h("div", { class: "table-wrap" }, h("table", { class: "list" },
          h("thead", {}, h("tr", {}, head.map((t, i) => h("th", { class: numeric.includes(i) ? "num" : "" }, t)))), h("tbody", {}, rows)))
        : h("p", { class: "muted" }, empty));
  const row = (hash: string, testid: string, cells: HTMLElement[], cls = "") =>
    h("tr", { tabindex: 0, testid, class: cls, onclick: go(hash), onkeydown: (e: KeyboardEvent) => { if (e.key === "Enter") go(hash)(); } }, cells);

  const quoteRows = page.quotes.map((q) => row(`#/quotes/${q.id}`, "customer-quote", [
    h("td", { class: "mono" }, q.version > 1 ? `${q.number} v${q.version}` : q.number),
    h("td", {}, q.title),
    h("td", {}, h("span", { class: `status status-${q.status}` }, QUOTE_STATUS[q.status] ?? q.status)),
    h("td", {}, formatDate(q.valid_until, locale)),
    h("td", { class: "num" }, money(q.one_time, q.currency)),
    h("td", { class: "num" }, money(q.monthly, q.currency)),
  ]));
  const invoiceRows = page.invoices.map((r) => row(`#/invoices/${r.id}`, "customer-invoice", [
    h("td", { class: "mono" }, r.number ?? "—"),
    h("td", {}, h("span", { class: `status status-${r.kind === "credit_note" ? "credit" : r.status}` }, r.kind === "credit_note" ? `Credit for ${r.credits}` : INVOICE_STATUS[r.status])),
    h("td", {}, formatDate(r.issue_date, locale)),
    h("td", {}, formatDate(r.due_date, locale)),
    h("td", { class: "num" }, r.kind === "credit_note" ? `−${money(r.total, r.currency)}` : money(r.total, r.currency)),
    h("td", { class: "num" }, r.number && r.kind === "invoice" ? money(r.balance, r.currency) : ""),
  ], r.status === "overdue" ? "overdue" : ""));
  const subscriptionRows = page.subscriptions.map((s) => row("#/subscriptions", "customer-subscription", [
    h("td", {}, s.description),
    h("td", { class: "num" }, `${formatDecimal(s.quantity, locale)} ${s.unit}`.trim()),
    h("td", { class: "num" }, money(s.unit_price, s.currency),
      /^0(\.0+)?$/.test(s.discount_percent) ? "" : h("span", { class: "muted" }, ` − ${formatDecimal(s.discount_percent, locale)} %`)),
    h("td", {}, intervalLabel(s.interval)),
    h("td", {}, `${formatDate(s.start_date, locale)} – ${s.end_date ? formatDate(s.end_date, locale) : "open"}`),
    h("td", { class: "num" }, money(s.amount, s.currency)),
  ], s.active ? "" : "archived"));

  container.append(
    h("header", { class: "screen-header" },
      h("div", {},
        h("p", { class: "muted small" }, h("a", { href: "#/customers" }, "Customers"), " ›"),
        h("h1", { testid: "customer-title" }, c.name,
          h("span", { class: `status status-${c.status}` }, CUSTOMER_STATUS[c.status]),
          c.archived ? h("span", { class: "badge" }, "archived") : "")),
      h("div", { class: "toolbar-buttons" },
        h("button", { class: "primary", testid: "customer-new-quote", onclick: go(`#/quotes/new/${id}`) }, "New quote"),
        h("button", { testid: "customer-new-invoice", onclick: go(`#/invoices/new/${id}`) }, "New invoice"),
        h("button", { testid: "customer-edit", onclick: () => editCustomer(id, reload) }, "Edit"),
        h("button", { class: "danger-quiet", testid: "customer-page-archive", onclick: archive }, c.archived ? "Restore" : "Archive"))),
    h("p", { class: "customer-contact", testid: "customer-contact" }, contactLine(c).join(" · ")),
    h("div", { class: "cards" },
      card("Monthly recurring", "customer-mrr", perCurrency(page.mrr, "None"), "active subscriptions; yearly ones count a twelfth"),
      card("Open", "customer-open", perCurrency(open, "Nothing open"),
        page.overdue ? `${page.overdue} invoice${page.overdue === 1 ? "" : "s"} overdue` : "nothing overdue"),
      card("Environment", "customer-environment", environment(c, locale).map((line) => h("div", {}, line)), `${c.currency} · payment in ${c.payment_terms_days} days`)),
    section("Quotes", "customer-quotes", ["Number", "Title", "Status", "Valid until", "One-time", "Monthly"], [4, 5], quoteRows,
      "No quotes yet."),
    section("Invoices", "customer-invoices", ["Number", "Status", "Issued", "Due", "Total", "Balance"], [4, 5], invoiceRows,
      "No invoices yet."),
    section("Subscriptions", "customer-subscriptions", ["Service", "Qty", "Price", "Billed", "Runs", "Per interval"], [1, 2, 5], subscriptionRows,
      "No subscriptions: accept a quote with recurring lines, or add one under Subscriptions."),
    h("section", { class: "customer-section" }, h("h2", {}, "Notes"),
      c.notes ? h("p", { class: "notes", testid: "customer-notes" }, c.notes) : h("p", { class: "muted" }, "No notes. Add them with Edit.")),
  );
}

function contactLine(c: CustomerRecord): string[] {
  const address = [c.address_line1, c.address_line2, [c.postal_code, c.city].filter(Boolean).join(" "), c.country].filter(Boolean).join(", ");
  return [c.contact_name, c.email, c.phone, address, c.vat_id ? `VAT ID ${c.vat_id}` : ""].filter(Boolean);
}

function environment(c: CustomerRecord, locale: string): string[] {
  const platform = PLATFORMS.find(([v]) => v === (c.mail_platform ?? ""))?.[1] ?? "Not known";
  const count = (n: number | null, what: string) => (n ? `${formatCount(n, locale)} ${what}` : "");
  const gb = (v: string | null, what: string) => (v && !/^0(\.0+)?$/.test(v) ? `${formatDecimal(v, locale)} GB ${what}` : "");
  const parts = [count(c.mailboxes, "mailboxes"), count(c.shared_mailboxes, "shared"), gb(c.mailbox_gb, "mail"), gb(c.archive_gb, "archives"),
    gb(c.public_folder_gb, "public folders"), count(c.pcs, "PCs")].filter(Boolean);
  return [platform, parts.length ? parts.join(", ") : "no inventory yet"];
}
