// Moving in from the previous tool (DOMAIN.md §11): a checklist shown after the first run's
// profile, and from the sidebar at any time. Customers → number series → open invoices →
// running subscriptions → the first billing run's preview; each step can be skipped and
// says what it did.
import { commands, messageOf } from "../api";
import { append, clear, h } from "../dom";
import { formatMoney } from "../format";

import { openCustomerImport } from "./customers";
import { importOpenInvoices } from "./invoices";
import { continueSeriesDialog } from "./settings";
import { importSubscriptions } from "./subscriptions";

type StepKey = "customers" | "numbering" | "open_invoices" | "subscriptions" | "billing";

/** What a step did is kept in the books themselves (sample books have their own list). */
async function remember(step: StepKey, said: string): Promise<void> {
  await commands.recordMovingInStep(step, said);
}

export async function movingInScreen(container: HTMLElement, locale: string): Promise<void> {
  const list = h("ol", { class: "checklist", testid: "moving-in" });
  const render = async () => {
    const done = await commands.movingInSteps();
    clear(list);
    const series = await commands.numberSeries().catch(() => []);
    const invoiceSeries = series.find((s) => s.sequence === "invoice");
    // A series continued in Settings counts as this step done.
    if (invoiceSeries?.continued.length && !done.numbering) done.numbering = `The next invoice is ${invoiceSeries.next_number} (${invoiceSeries.continued.join("; ")}).`;
    const step = (key: StepKey, title: string, what: string, action: HTMLElement | null) => {
      const said = done[key];
      list.append(h("li", { class: said ? "done" : "", testid: `moving-in-${key}` },
        h("div", { class: "checklist-text" },
          h("h2", {}, said ? `✓ ${title}` : title),
          h("p", { class: "muted" }, what),
          said ? h("p", { class: "strong", testid: `moving-in-${key}-done` }, said) : null),
        h("div", { class: "toolbar-buttons" }, action,
          said ? null : h("button", { class: "link-button", testid: `moving-in-${key}-skip`, onclick: async () => { await remember(key, "Skipped."); await render(); } }, "Skip"))));
    };
    step("customers", "1. Your customers",
      "A CSV export of your previous tool or an Excel list: the columns are matched for you, and you can change any of them.",
      h("button", { class: done.customers ? "" : "primary", testid: "moving-in-customers-go", onclick: () => openCustomerImport(async (n) => { await remember("customers", `Imported ${n} customer${n === 1 ? "" : "s"}.`); await render(); }) }, "Import customers…"));
    step("numbering", "2. Your invoice numbers",
      `Go on where the old tool stopped, so your tax adviser sees one series.${invoiceSeries ? ` The next invoice now is ${invoiceSeries.next_number}.` : ""}`,
      invoiceSeries ? h("button", { testid: "moving-in-numbering-go", onclick: () => continueSeriesDialog(invoiceSeries, async (after) => { await remember("numbering", `The next invoice is ${after.next_number}.`); await render(); }) }, "Continue the series…") : null);
    step("open_invoices", "3. Invoices customers still owe",
      "They keep their own numbers, count in what is owed and in reminders, and take payments.",
      h("button", { testid: "moving-in-open_invoices-go", onclick: () => importOpenInvoices(async (n) => { await remember("open_invoices", `Imported ${n} open invoice${n === 1 ? "" : "s"}.`); await render(); }) }, "Import open invoices…"));
    step("subscriptions", "4. Running subscriptions",
      "Each with the next month the old tool has not billed: VarDesk bills from there, never a month twice.",
      h("button", { testid: "moving-in-subscriptions-go", onclick: () => importSubscriptions(async (n) => { await remember("subscriptions", `Imported ${n} subscription${n === 1 ? "" : "s"}.`); await render(); }) }, "Import subscriptions…"));
    const preview = h("div", { testid: "moving-in-billing-preview" });
    step("billing", "5. Your first billing run",
      "What VarDesk would bill first, before anything is created.",
      h("button", { testid: "moving-in-billing-go", onclick: async () => {
        clear(preview);
        try {
          const month = await commands.firstMonthToBill();
          if (!month) {
            await remember("billing", "Nothing to bill yet.");
            await render();
            return;
          }
          const run = await commands.previewBillingRun(month);
          const totals = Object.entries(run.totals).map(([c, v]) => formatMoney(v, c, locale)).join(", ");
          const said = `${month}: ${run.invoices.length} invoice${run.invoices.length === 1 ? "" : "s"}${totals ? `, ${totals}` : ""}.`;
          await remember("billing", said);
          await render();
          append(list.querySelector('[data-testid="moving-in-billing"] .checklist-text') ?? list, [
            h("p", {}, h("a", { href: `#/invoices?bill=${month}`, testid: "moving-in-billing-open" }, `Open the billing run for ${month}`)),
          ]);
        } catch (e) {
          preview.append(h("p", { class: "field-error", role: "alert" }, messageOf(e)));
        }
      } }, "Preview the first run"));
    list.querySelector('[data-testid="moving-in-billing"] .checklist-text')?.append(preview);
  };
  container.append(
    h("header", { class: "screen-header" }, h("h1", {}, "Moving in")),
    h("p", { class: "lead" }, "Bring over what your previous tool knows, in this order. Every step shows a preview first and imports all rows or none; skip what you do not need."),
    list,
  );
  await render();
}
