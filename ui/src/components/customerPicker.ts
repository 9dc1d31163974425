// Asks which customer a new document is for: type to search, pick one.
import { commands } from "../api";
import { clear, closeModal, debounce, h, latest, modal, pickerKeys } from "../dom";
import type { CustomerRecord } from "../types";

export function pickCustomer(title: string, onPick: (customer: CustomerRecord) => void): void {
  const search = h("input", { type: "search", class: "search", placeholder: "Type to find the customer…", testid: "pick-customer-search", "aria-label": "Customer" });
  const list = h("ul", { class: "pick-list", testid: "pick-customer-list" });
  const newest = latest();
  const load = async () => {
    const current = newest();
    const page = await commands.listCustomers({ search: search.value, status: null, archive: "current", sort: "name", descending: false, limit: 50 });
    if (!current()) return; // a newer search is on its way
    clear(list);
    for (const c of page.customers) {
      list.appendChild(h("li", {}, h("button", { class: "pick", testid: "pick-customer", onclick: () => {
        closeModal(dialog);
        onPick(c);
      } }, h("span", { class: "strong" }, c.name), h("span", { class: "muted" }, [c.city, c.currency, c.mailboxes !== null ? `${c.mailboxes} mailboxes` : null].filter(Boolean).join(" · ")))));
    }
    if (!page.customers.length) list.appendChild(h("li", { class: "muted" }, "No customer matches."));
  };
  search.addEventListener("input", debounce(load, 120));
  const dialog = modal(title, h("div", { class: "picker" }, search, list), "pick-customer-dialog", () => {});
  // Enter searches once more for exactly what is typed, then picks the first match.
  pickerKeys(search, list, load);
  search.focus();
  load();
}
