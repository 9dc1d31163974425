// Home: recurring revenue now, the open pipeline, receivables and this month's billing,
// per currency, each linking to the list behind it; and what to do next.
import { commands, messageOf } from "../api";
import { h } from "../dom";
import { formatDecimal, formatMoney } from "../format";
import type { CurrencyFigures, MrrChange } from "../types";

export async function dashboardScreen(container: HTMLElement, locale: string): Promise<void> {
  const d = await commands.dashboard();
  const money = (v: string, c: string) => formatMoney(v, c, locale);
  const codes = Object.keys(d.currencies);
  const lastMonthEnd = new Intl.DateTimeFormat(locale, { day: "numeric", month: "short" }).format(new Date(`${d.previous_month_end}T12:00:00`));
  // Amounts in different currencies are never added: one line each, zeros left out.
  const isZero = (v: string) => /^-?0(\.0+)?$/.test(v);
  const nonZero = (pick: (f: CurrencyFigures) => string) => codes.filter((c) => !isZero(pick(d.currencies[c])));
  // The home currency leads in full; the others follow compactly on one line.
  const homeFirst = (list: string[]) => [...list.filter((c) => c === d.home_currency), ...list.filter((c) => c !== d.home_currency)];
  const perCurrency = (pick: (f: CurrencyFigures) => string) => {
    const shown = homeFirst(nonZero(pick));
    if (!shown.length) return [h("div", {}, "None")];
    const [lead, ...rest] = shown;
    const out: HTMLElement[] = [h("div", {}, money(pick(d.currencies[lead]), lead))];
    if (rest.length) out.push(h("div", { class: "other-currencies" }, rest.map((c) => money(pick(d.currencies[c]), c)).join(" · ")));
    return out;
  };
  const inline = (pick: (f: CurrencyFigures) => string) => nonZero(pick).map((c) => money(pick(d.currencies[c]), c)).join(" · ") || "none";
  const card = (title: string, href: string, testid: string, value: HTMLElement[], note: string) =>
    h("a", { class: "card", href, testid }, h("div", { class: "card-title" }, title), h("div", { class: "card-value" }, value), h("div", { class: "muted small" }, note));

  // §10: what renews in the next 30 days, the home currency first like the other cards.
  const renewing = homeFirst(d.renewing.map((r) => r.currency)).map((c) => d.renewing.find((r) => r.currency === c)!);
  const renewalValue = () => {
    if (!renewing.length) return [h("div", {}, "None")];
    const [lead, ...rest] = renewing;
    const out: HTMLElement[] = [h("div", {}, money(lead.value, lead.currency))];
    if (rest.length) out.push(h("div", { class: "other-currencies" }, rest.map((r) => money(r.value, r.currency)).join(" · ")));
    return out;
  };
  const renewalNote = () => {
    if (!renewing.length) return "Microsoft licences whose term ends soon";
    const n = d.renewing_licences;
    return `${n} licence${n === 1 ? "" : "s"}, ${formatDecimal(d.renewing_seats, locale)} seats at renewal`;
  };
  const actions: HTMLElement[] = [];
  if (d.unbilled_this_month > 0) actions.push(h("li", {}, h("a", { href: `#/invoices?bill=${d.period}`, testid: "action-bill" }, `Bill ${d.period_name}`), ` — ${d.unbilled_this_month} subscription line${d.unbilled_this_month === 1 ? "" : "s"} not billed yet`));
  // From the 20th: next month's run, ahead of the month (licences are billed in advance).
  if (d.next_period && d.unbilled_next_month > 0) actions.push(h("li", {}, h("a", { href: `#/invoices?bill=${d.next_period}`, testid: "action-bill-next" }, `Bill ${d.next_period_name}`), ` — ${d.unbilled_next_month} subscription line${d.unbilled_next_month === 1 ? "" : "s"} due`));
  if (d.overdue_invoices > 0) actions.push(h("li", {}, h("a", { href: "#/invoices?status=overdue", testid: "action-overdue" }, `${d.overdue_invoices} invoice${d.overdue_invoices === 1 ? "" : "s"} overdue`)));
  if (d.draft_invoices > 0) actions.push(h("li", {}, h("a", { href: "#/invoices?status=draft" }, `${d.draft_invoices} draft invoice${d.draft_invoices === 1 ? "" : "s"} to review and issue`)));
  if (d.quotes_expiring_this_week > 0) actions.push(h("li", {}, h("a", { href: "#/quotes?status=sent" }, `${d.quotes_expiring_this_week} quote${d.quotes_expiring_this_week === 1 ? "" : "s"} expiring this week`)));

  // Last month's MRR movement per currency: "+90.00 € since 31 Oct (new +100.00 €, …)".
  const signed = (v: string, c: string) => (v.startsWith("-") ? "−" + money(v.slice(1), c) : "+" + money(v, c));
  const changing = codes.filter((c) => ["new", "expansion", "contraction", "churned"].some((k) => !isZero(d.currencies[c].change[k as keyof MrrChange])));
  const changeLines = !changing.length ? [h("div", { class: "change", testid: "mrr-change" }, `No change since ${lastMonthEnd}`)] : changing.map((c) => {
    const m = d.currencies[c].change;
    const parts: HTMLElement[] = [];
    const part = (label: string, v: string, sign: "+" | "−", cls: string) => {
      if (!isZero(v)) parts.push(h("span", { class: cls }, `${label} ${sign}${money(v, c)}`));
    };
    part("new", m.new, "+", "up");
    part("expansion", m.expansion, "+", "up");
    part("contraction", m.contraction, "−", "down");
    part("churned", m.churned, "−", "down");
    const details: (HTMLElement | string)[] = [];
    parts.forEach((p, i) => details.push(...(i ? [", ", p] : [p])));
    return h("div", { class: "change", testid: "mrr-change" }, `${signed(m.net, c)} since ${lastMonthEnd}`, parts.length ? [" (", ...details, ")"] : " (no change)");
  });
  const crossover = h("div", { class: "card-value small-value", testid: "dashboard-crossover" }, "…");
  const projectionCard = h("a", { class: "card", href: "#/projection", testid: "card-projection" },
    h("div", { class: "card-title" }, "Annuity"), crossover, h("div", { class: "muted small" }, "with your default projection assumptions"));
  commands.projectionSetup()
    .then((setup) => commands.runProjection(setup.assumptions))
    .then((r) => { crossover.textContent = r.summary.crossover_text; })
    .catch((e) => { crossover.textContent = messageOf(e); });

  container.append(
    h("header", { class: "screen-header" }, h("h1", {}, "Dashboard")),
    h("div", { class: "cards" },
      card("Monthly recurring revenue", "#/subscriptions", "card-mrr", [...perCurrency((f) => f.mrr), ...changeLines], `${d.active_subscriptions} active subscription${d.active_subscriptions === 1 ? "" : "s"}`),
      card("Annual recurring revenue", "#/subscriptions", "card-arr", perCurrency((f) => f.arr), "12 × MRR"),
      card("Open pipeline (first year)", "#/quotes?status=sent", "card-pipeline", perCurrency((f) => f.pipeline), `${d.open_quotes} sent quote${d.open_quotes === 1 ? "" : "s"}; weighted: ${inline((f) => f.pipeline_weighted)}`),
      card("Receivables", "#/invoices", "card-receivables", perCurrency((f) => f.outstanding), `overdue: ${inline((f) => f.overdue)}`),
      card(`Billing ${d.period_name}`, "#/invoices", "card-billing", [h("div", {}, `${d.billed_this_month} billed, ${d.unbilled_this_month} to bill`)], "subscription lines due this month"),
      card("Licences renewing in 30 days", "#/subscriptions", "card-renewals", renewalValue(), renewalNote()),
      projectionCard),
    h("section", { class: "panel" }, h("h2", {}, "Next"),
      actions.length ? h("ul", { class: "next-actions", testid: "next-actions" }, actions) : h("p", { class: "muted" }, "Nothing waiting: everything due is billed and nothing is overdue.")),
  );
}
