// The quotes list: status filter, search, totals per part; new quotes start from a customer.
import { call, messageOf } from "../api";
import { clear, closeModal, debounce, h, modal } from "../dom";
import { formatMoney } from "../format";
import type { CustomerPage, QuoteRow } from "../types";

export const QUOTE_STATUS_LABELS: Record<string, string> = {
  draft: "Draft", sent: "Sent", expired: "Expired", accepted: "Accepted", declined: "Declined", superseded: "Superseded",
};

export function quotesScreen(container: HTMLElement, locale: string): { newQuote(): void } {
  const search = h("input", { type: "search", class: "search", placeholder: "Search number, customer, title…", "aria-label": "Search quotes", testid: "quote-search" });
  const status = h("select", { "aria-label": "Status", testid: "quote-status-filter" },
    h("option", { value: "" }, "All statuses"),
    Object.entries(QUOTE_STATUS_LABELS).map(([v, l]) => h("option", { value: v }, l)));
  const body = h("tbody", { testid: "quote-rows" });
  const count = h("span", { class: "muted", "aria-live": "polite" });
  const errorLine = h("p", { class: "field-error", role: "alert" });
  let seq = 0;
  const refresh = async () => {
    const mine = ++seq;
    try {
      const rows = await call<QuoteRow[]>("list_quotes", { query: { search: search.value, status: status.value, customer_id: null } });
      if (mine !== seq) return;
      render(rows);
    } catch (e) {
      errorLine.textContent = messageOf(e);
    }
  };
  const money = (v: string, c: string) => (v === "0" || /^0\.0*$/.test(v) ? "—" : formatMoney(v, c, locale));
  const render = (rows: QuoteRow[]) => {
    clear(body);
    count.textContent = `${rows.length} quote${rows.length === 1 ? "" : "s"}`;
    if (!rows.length) {
      body.appendChild(h("tr", {}, h("td", { colspan: 8, class: "empty" },
        search.value || status.value ? "No quote matches." : "No quotes yet. Start one with New quote.")));
    }
    for (const r of rows) {
      const open = () => { location.hash = `#/quotes/${r.id}`; };
      body.appendChild(h("tr", { tabindex: 0, testid: "quote-row", "data-id": r.id, class: r.status === "superseded" ? "archived" : "",
        onclick: open, onkeydown: (e: KeyboardEvent) => { if (e.key === "Enter") open(); } },
        h("td", { class: "mono", testid: "quote-number" }, r.number, r.version > 1 ? h("span", { class: "muted" }, ` v${r.version}`) : null),
        h("td", { class: "strong" }, r.customer, h("div", { class: "muted small" }, r.title)),
        h("td", {}, h("span", { class: `status status-${r.status}`, testid: "quote-status" }, QUOTE_STATUS_LABELS[r.status])),
        h("td", {}, r.quote_date, h("div", { class: "muted small" }, `valid until ${r.valid_until}`)),
        h("td", { class: "num" }, money(r.one_time, r.currency)),
        h("td", { class: "num" }, money(r.monthly, r.currency)),
        h("td", { class: "num" }, money(r.annual, r.currency)),
        h("td", { class: "num" }, formatMoney(r.first_year, r.currency, locale))));
    }
  };
  search.addEventListener("input", debounce(refresh, 150));
  status.addEventListener("change", refresh);
  container.append(
    h("header", { class: "screen-header" }, h("h1", {}, "Quotes"),
      h("button", { class: "primary", testid: "quote-new", title: "New quote (Ctrl+N)", onclick: pickCustomer }, "New quote")),
    h("div", { class: "toolbar" }, search, status, count),
    errorLine,
    h("div", { class: "table-wrap" }, h("table", { class: "list", testid: "quote-table" },
      h("thead", {}, h("tr", {}, ["Number", "Customer", "Status", "Date", "One-time", "Monthly", "Annual", "First year"]
        .map((t, i) => h("th", { scope: "col", class: i >= 4 ? "num" : "" }, t)))), body)),
  );
  refresh();
  return { newQuote: pickCustomer };
}

/** Asks which customer the new quote is for, then opens the builder. */
function pickCustomer(): void {
  const search = h("input", { type: "search", class: "search", placeholder: "Type to find the customer…", testid: "pick-customer-search", "aria-label": "Customer" });
  const list = h("ul", { class: "pick-list", testid: "pick-customer-list" });
  let seq = 0;
  const load = async () => {
    const mine = ++seq;
    const page = await call<CustomerPage>("list_customers", { query: { search: search.value, status: null, archive: "current", sort: "name", descending: false, limit: 50 } });
    if (mine !== seq) return; // a newer search is on its way
    clear(list);
    for (const c of page.customers) {
      list.appendChild(h("li", {}, h("button", { class: "pick", testid: "pick-customer", onclick: () => {
        closeModal(dialog);
        location.hash = `#/quotes/new/${c.id}`;
      } }, h("span", { class: "strong" }, c.name), h("span", { class: "muted" }, [c.city, c.mailboxes !== null ? `${c.mailboxes} mailboxes` : null].filter(Boolean).join(" · ")))));
    }
    if (!page.customers.length) list.appendChild(h("li", { class: "muted" }, "No customer matches."));
  };
  search.addEventListener("input", debounce(load, 120));
  const dialog = modal("New quote for…", h("div", { class: "picker" }, search, list), "pick-customer-dialog", () => {});
  search.focus();
  load();
}
