// Picks an active catalog item for a document in `currency` (quotes, draft invoices,
// subscriptions) at its price there. Items without a price in that currency are shown but
// refused with a sentence naming the item.
import { commands, messageOf } from "../api";
import { clear, closeModal, h, modal, pickerKeys, toast } from "../dom";
import { formatMoney } from "../format";
import type { CatalogRecord, LocalPrice } from "../types";
import { LINE_KIND } from "../labels";


/** The item's price and cost in `currency`, if it has one there. */
export function priceIn(item: CatalogRecord, currency: string): LocalPrice | undefined {
  if (item.currency === currency) return { currency, price: item.price, cost: item.cost };
  return item.other_prices.find((p) => p.currency === currency);
}

export async function pickCatalogItem(currency: string, locale: string, onPick: (item: CatalogRecord) => void): Promise<void> {
  let items: CatalogRecord[];
  try {
    items = (await commands.listCatalog()).filter((i) => i.active);
  } catch (e) {
    toast(messageOf(e), "error");
    return;
  }
  const search = h("input", { type: "search", class: "search", placeholder: "Search the catalog…", testid: "catalog-pick-search" });
  const list = h("ul", { class: "pick-list" });
  const render = () => {
    clear(list);
    const q = search.value.toLowerCase();
    for (const item of items.filter((i) => `${i.sku} ${i.name}`.toLowerCase().includes(q))) {
      const local = priceIn(item, currency);
      list.append(h("li", {}, h("button", { class: "pick", testid: "catalog-pick", onclick: () => {
        if (!local) {
          toast(`${item.name} has no price in ${currency}: add one in the catalog.`, "error");
          return;
        }
        closeModal(dialog);
        onPick({ ...item, currency, price: local.price, cost: local.cost });
      } }, h("span", { class: "strong" }, item.name), h("span", { class: "muted" }, local
        ? `${LINE_KIND[item.kind]} · ${formatMoney(local.price, currency, locale)} per ${item.unit}`
        : `${LINE_KIND[item.kind]} · no price in ${currency}`))));
    }
    if (!list.childElementCount) list.append(h("li", { class: "muted" }, "No active catalog item matches."));
  };
  search.addEventListener("input", render);
  const dialog = modal("Add from the catalog", h("div", { class: "picker" }, search, list), "catalog-pick-dialog", () => {});
  pickerKeys(search, list, async () => render());
  search.focus();
  render();
}
