// Picks an active catalog item in the document's currency (quotes, draft invoices,
// subscriptions). Items in another currency are shown but refused with a sentence.
import { call, messageOf } from "../api";
import { clear, closeModal, h, modal, pickerKeys, toast } from "../dom";
import { formatMoney } from "../format";
import type { CatalogRecord, LineKind } from "../types";

export const KIND_LABELS: Record<LineKind, string> = { one_time: "One-time", monthly: "Monthly", annual: "Annual" };

export async function pickCatalogItem(currency: string, locale: string, onPick: (item: CatalogRecord) => void): Promise<void> {
  let items: CatalogRecord[];
  try {
    items = (await call<CatalogRecord[]>("list_catalog")).filter((i) => i.active);
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
      list.append(h("li", {}, h("button", { class: "pick", testid: "catalog-pick", onclick: () => {
        if (item.currency !== currency) {
          toast(`${item.name} is priced in ${item.currency}; this document is in ${currency}.`, "error");
          return;
        }
        closeModal(dialog);
        onPick(item);
      } }, h("span", { class: "strong" }, item.name), h("span", { class: "muted" }, `${KIND_LABELS[item.kind]} · ${formatMoney(item.price, item.currency, locale)} per ${item.unit}`))));
    }
    if (!list.childElementCount) list.append(h("li", { class: "muted" }, "No active catalog item matches."));
  };
  search.addEventListener("input", render);
  const dialog = modal("Add from the catalog", h("div", { class: "picker" }, search, list), "catalog-pick-dialog", () => {});
  pickerKeys(search, list, async () => render());
  search.focus();
  render();
}
