// Catalog: what the partner sells. List and edit; prices are decimals as strings.
import { commands, call, messageOf } from "../api";
import { clear, closeModal, h, modal, toast } from "../dom";
import { formatDate, formatDecimal, formatMoney } from "../format";
import { settingsForDialog } from "./settings";
import { actions, checkRequired, Form } from "../form";
import type { CatalogForm, CatalogRecord, LocalPrice, PriceChange, PriceListPreview } from "../types";
import { openImportDialog } from "../components/importDialog";
import { screenState } from "../screenState";

const KINDS: [string, string][] = [["monthly", "Monthly"], ["annual", "Annual"], ["one_time", "One-time"]];

export function catalogScreen(container: HTMLElement, locale: string, sampleBooks = false): void {
  const body = h("tbody", { testid: "catalog-rows" });
  const errorLine = h("p", { class: "field-error", role: "alert" });
  const refresh = async () => {
    try {
      const items = await commands.listCatalog();
      clear(body);
      if (!items.length) {
        body.appendChild(h("tr", {}, h("td", { colspan: 7, class: "empty" }, "The catalog is empty. Add what you sell with New item.")));
      }
      for (const item of items) {
        body.appendChild(h("tr", { tabindex: 0, class: item.active ? "" : "archived", testid: "catalog-row", onclick: () => openItem(item, refresh),
          onkeydown: (e: KeyboardEvent) => { if (e.key === "Enter") openItem(item, refresh); } },
          h("td", {}, KINDS.find(([k]) => k === item.kind)?.[1] ?? item.kind),
          h("td", { class: "mono" }, item.sku),
          h("td", { class: "strong" }, item.name, item.active ? null : h("span", { class: "badge" }, "inactive")),
          h("td", {}, item.unit),
          h("td", { class: "num" }, formatMoney(item.price, item.currency, locale),
            item.other_prices.length ? h("div", { class: "muted small", testid: "catalog-row-currencies" }, `also ${item.other_prices.map((p) => p.currency).join(", ")}`) : null),
          h("td", { class: "num" }, formatMoney(item.cost, item.currency, locale)),
          h("td", { class: "num" }, `${formatDecimal(item.tax_rate_percent, locale)} %`)));
      }
    } catch (e) {
      errorLine.textContent = messageOf(e);
    }
  };
  container.append(
    h("header", { class: "screen-header" }, h("h1", {}, "Catalog"),
      h("div", { class: "toolbar-buttons" },
        sampleBooks ? h("button", { testid: "catalog-sample-prices", onclick: async () => {
          try {
            const bytes = new Uint8Array(await call<ArrayBuffer>("sample_price_list"));
            importPriceList(locale, () => void refresh(), { name: "Sample price list", bytes });
          } catch (e) {
            errorLine.textContent = messageOf(e);
          }
        } }, "Try the sample price list") : null,
        h("button", { testid: "catalog-import-prices", onclick: () => importPriceList(locale, () => void refresh()) }, "Import price list…"),
        h("button", { class: "primary", testid: "catalog-new", onclick: () => openItem(null, refresh) }, "New item"))),
    h("p", { class: "muted" }, "Prices and costs are per unit. Costs never appear on customer documents."),
    errorLine,
    h("div", { class: "table-wrap" }, h("table", { class: "list", testid: "catalog-table" },
      h("thead", {}, h("tr", {}, ["Kind", "SKU", "Name", "Unit", "Price", "Cost", "Tax"].map((t, i) => h("th", { scope: "col", class: i >= 4 ? "num" : "" }, t)))), body)),
  );
  refresh();
  screenState.create = () => openItem(null, refresh);
}

async function openItem(item: CatalogRecord | null, saved: () => void) {
  const settings = await settingsForDialog();
  if (!settings) return;
  const save = h("button", { type: "submit", class: "primary", testid: "catalog-save" }, item ? "Save changes" : "Add item");
  const active = h("input", { type: "checkbox", id: "f-active", checked: item ? item.active : true, testid: "field-active" });
  const form: Form = new Form("catalog-form", async () => {
    const v = form.values();
    const problems = checkRequired(v, [["sku", "The SKU is required."], ["name", "The name is required."], ["unit", "The unit is required."]]);
    if (problems.length) return form.showErrors(problems);
    save.disabled = true;
    try {
      const values: CatalogForm = { ...(v as unknown as CatalogForm), active: active.checked, goods: v.goods === "true", other_prices: prices.rows(),
        ms_licence: v.ms_licence === "true" };
      await commands.saveCatalogItem(item?.id ?? null, values);
      closeModal(dialog);
      toast(item ? `Saved ${v.name}.` : `Added ${v.name}.`);
      saved();
    } catch (e) {
      form.showApiError(e);
    } finally {
      save.disabled = false;
    }
  });
  form.section("Item", [
    { name: "kind", label: "Billed", type: "select", options: KINDS },
    { name: "sku", label: "SKU", required: true },
    { name: "name", label: "Name", required: true, wide: true },
    { name: "unit", label: "Unit", required: true, hint: "e.g. seat/month, hour, mailbox" },
    { name: "currency", label: "Currency", type: "select", options: settings.currencies.map((c) => [c, c]) },
    { name: "price", label: "Price per unit", type: "number" },
    { name: "cost", label: "Your cost per unit", type: "number" },
    { name: "tax_rate_percent", label: "Tax rate (%)", type: "number" },
    { name: "goods", label: "Goods or services", type: "select",
      options: [["false", "Services (licences, labour, managed services)"], ["true", "Goods (hardware)"]],
      hint: "Decides the VAT category abroad: intra-Community supply or export for goods" },
  ]);
  const prices = otherPrices(item?.other_prices ?? [], settings.currencies);
  form.el.appendChild(prices.el);
  // §10: a Microsoft licence's Partner Center ids match the distributor's bill.
  form.section("Microsoft licence", [
    { name: "ms_licence", label: "Microsoft licence (NCE)", type: "select", options: [["false", "No"], ["true", "Yes: subscriptions to it have a term"]] },
    { name: "ms_product_id", label: "Product id", hint: "e.g. CFQ7TTC0LDPB" },
    { name: "ms_sku_id", label: "SKU id", hint: "e.g. 0001" },
    { name: "term", label: "Term", type: "select", options: [["", "—"], ["P1M", "P1M"], ["P1Y", "P1Y"], ["P3Y", "P3Y"]] },
    { name: "ms_billing", label: "Billing with Microsoft", type: "select", options: [["", "—"], ["monthly", "Monthly"], ["annual", "Annually"], ["upfront", "Upfront"]] },
  ]);
  const ms = item?.microsoft ?? null;
  form.set({ ms_licence: ms ? "true" : "false", ms_product_id: ms?.product_id ?? "", ms_sku_id: ms?.sku_id ?? "", term: ms?.term ?? "", ms_billing: ms?.billing ?? "" });
  form.el.appendChild(h("label", { class: "checkbox" }, active, " Active (offered on new quotes)"));
  form.set(item
    ? { kind: item.kind, sku: item.sku, name: item.name, unit: item.unit, currency: item.currency, price: item.price, cost: item.cost, tax_rate_percent: item.tax_rate_percent, goods: String(item.goods) }
    : { kind: "monthly", currency: settings.form.default_currency, price: "0.00", cost: "0.00", tax_rate_percent: settings.form.default_tax_rate_percent, goods: "false" });
  form.el.appendChild(actions(save, h("button", { type: "button", onclick: () => closeModal(dialog) }, "Cancel")));
  const dialog = modal(item ? `Edit ${item.name}` : "New catalog item", form.el, "catalog-dialog", () => {});
  form.input("sku")?.focus();
}

/**
 * The item's price and cost in more currencies: one row each, added and removed here. A
 * quote, invoice or subscription in a currency takes the price given for it.
 */
function otherPrices(initial: LocalPrice[], currencies: string[]): { el: HTMLElement; rows(): LocalPrice[] } {
  const rows: { currency: HTMLSelectElement; price: HTMLInputElement; cost: HTMLInputElement }[] = [];
  const body = h("tbody", { testid: "other-prices" });
  const render = () => {
    clear(body);
    if (!rows.length) body.append(h("tr", {}, h("td", { colspan: 4, class: "muted" }, "Only in the item's own currency.")));
    rows.forEach((row, i) => body.append(h("tr", {},
      h("td", {}, row.currency), h("td", {}, row.price), h("td", {}, row.cost),
      h("td", {}, h("button", { type: "button", class: "icon-button small", title: "Remove", "aria-label": `Remove the price in ${row.currency.value}`,
        testid: `other-price-remove-${i}`, onclick: () => { rows.splice(i, 1); render(); } }, "✕")))));
  };
  const add = (p: LocalPrice) => {
    const i = rows.length;
    const currency = h("select", { testid: `other-price-currency-${i}`, "aria-label": "Currency" }, currencies.map((c) => h("option", { value: c }, c)));
    currency.value = p.currency;
    rows.push({
      currency,
      price: h("input", { value: p.price, class: "num short", inputmode: "decimal", testid: `other-price-price-${i}`, "aria-label": "Price per unit" }),
      cost: h("input", { value: p.cost, class: "num short", inputmode: "decimal", testid: `other-price-cost-${i}`, "aria-label": "Your cost per unit" }),
    });
  };
  initial.forEach(add);
  render();
  const el = h("fieldset", { class: "form-section" }, h("legend", {}, "Prices in other currencies"),
    h("p", { class: "muted" }, "For customers billed in another currency. A document in a currency the item has no price in is refused, naming the item."),
    h("table", { class: "list compact" }, h("thead", {}, h("tr", {}, ["Currency", "Price", "Cost", ""].map((t) => h("th", {}, t)))), body),
    h("button", { type: "button", testid: "other-price-add", onclick: () => {
      const used = new Set(rows.map((r) => r.currency.value));
      add({ currency: currencies.find((c) => !used.has(c)) ?? currencies[0], price: "0.00", cost: "0.00" });
      render();
      rows[rows.length - 1].price.focus();
    } }, "Add a currency"));
  return { el, rows: () => rows.map((r) => ({ currency: r.currency.value, price: r.price.value, cost: r.cost.value })) };
}

/** Microsoft's new-commerce price list (or a distributor's): costs now, licences' costs at
 *  their renewal (§10). */
function importPriceList(locale: string, done: () => void, initial?: { name: string; bytes: Uint8Array }): void {
  const money = (v: string | null, c: string) => (v === null ? "—" : formatMoney(v, c, locale));
  const change = (c: PriceChange) => h("li", {}, `${c.name} (${c.currency}): cost ${money(c.cost_before, c.currency)} → ${money(c.cost_after, c.currency)}`,
    c.price_before !== c.price_after ? `, price ${money(c.price_before, c.currency)} → ${money(c.price_after, c.currency)}` : "");
  openImportDialog<PriceListPreview>({
    kind: "price_list", title: "Import a price list", noun: "price",
    intro: "Choose the new-commerce license-based price list from Partner Center (Pricing › Price lists) or your distributor's price export. Each product at each term and billing plan becomes a catalog item with your cost and the suggested retail price per currency. Licences keep their cost until they renew.",
    preview: "preview_price_list", apply: "import_price_list",
    option: { label: "Also set my prices to the suggested retail prices", header: "x-vardesk-update-prices" },
    details: (p: PriceListPreview) => h("div", { testid: "price-list-details" },
      h("p", {}, `${new Set((p.new_items ?? []).map((c) => c.sku)).size} new, ${new Set((p.changed ?? []).map((c) => c.sku)).size} changed, ${p.unchanged ?? 0} unchanged, ${(p.removed ?? []).length} no longer listed; ${p.left_out ?? 0} rows left out (trials, other markets, not in effect).`),
      (p.changed ?? []).length ? h("ul", { class: "muted small" }, (p.changed ?? []).slice(0, 30).map(change)) : null,
      (p.removed ?? []).length ? h("p", { class: "muted small" }, `Made inactive: ${(p.removed ?? []).join(", ")}.`) : null,
      (p.renewals ?? []).length ? h("div", {}, h("p", { class: "strong" }, "New cost at renewal:"),
        h("ul", { class: "muted small", testid: "price-list-renewals" }, (p.renewals ?? []).slice(0, 50).map((r) =>
          h("li", {}, `${r.customer} · ${r.description}: ${money(r.cost_now, r.currency)} → ${money(r.cost_then, r.currency)} from ${formatDate(r.renews_on, locale)}`)))) : null),
    done: () => done(),
    initial,
  });
}
