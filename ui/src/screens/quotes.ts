// The quotes list: status filter, search, totals per part; new quotes start from a customer.
import { commands, messageOf } from "../api";
import { clear, debounce, h, latest } from "../dom";
import { formatDate, formatMoney } from "../format";
import type { QuoteRow } from "../types";
import { pickCustomer } from "../components/customerPicker";
import { screenState } from "../screenState";
import { QUOTE_STATUS } from "../labels";


export function quotesScreen(container: HTMLElement, locale: string, initialStatus = ""): void {
  const search = h("input", { type: "search", class: "search", placeholder: "Search number, customer, title…", "aria-label": "Search quotes", testid: "quote-search" });
  const status = h("select", { "aria-label": "Status", testid: "quote-status-filter" },
    h("option", { value: "" }, "All statuses"),
    Object.entries(QUOTE_STATUS).map(([v, l]) => h("option", { value: v }, l)));
  // Opened from a dashboard figure: the list behind it, already filtered.
  if ([...status.options].some((o) => o.value === initialStatus)) status.value = initialStatus;
  const body = h("tbody", { testid: "quote-rows" });
  const count = h("span", { class: "muted", "aria-live": "polite" });
  const errorLine = h("p", { class: "field-error", role: "alert" });
  const newest = latest();
  const refresh = async () => {
    const current = newest();
    try {
      const rows = await commands.listQuotes({ search: search.value, status: status.value, customer_id: null });
      if (!current()) return;
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
        h("td", {}, h("span", { class: `status status-${r.status}`, testid: "quote-status" }, QUOTE_STATUS[r.status])),
        h("td", {}, formatDate(r.quote_date, locale), h("div", { class: "muted small" }, `valid until ${formatDate(r.valid_until, locale)}`)),
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
      h("button", { class: "primary", testid: "quote-new", title: "New quote (Ctrl+N)", onclick: newQuote }, "New quote")),
    h("div", { class: "toolbar" }, search, status, count),
    errorLine,
    h("div", { class: "table-wrap" }, h("table", { class: "list", testid: "quote-table" },
      h("thead", {}, h("tr", {}, ["Number", "Customer", "Status", "Date", "One-time", "Monthly", "Annual", "First year"]
        .map((t, i) => h("th", { scope: "col", class: i >= 4 ? "num" : "" }, t)))), body)),
  );
  refresh();
  screenState.create = newQuote;
}

/** Asks which customer the new quote is for, then opens the builder. */
function newQuote(): void {
  pickCustomer("New quote for…", (c) => { location.hash = `#/quotes/new/${c.id}`; });
}
