// Screens whose issues have not landed yet say what is coming: nothing here pretends to work.
import { append, h } from "../dom";

const COMING: Record<string, [string, string[]]> = {
  dashboard: ["Dashboard", [
    "MRR and ARR from your active subscriptions, with this month's change (new, expansion, churn).",
    "Open pipeline, total and weighted by win probability; quotes expiring this week.",
    "Receivables outstanding and overdue per currency, and this month's billing status.",
  ]],
  projection: ["Projection", [
    "How your recurring revenue grows over 1–10 years, by cohort, against one-time project income.",
    "The month the annuity overtakes project revenue, saved scenarios, CSV and PDF export.",
  ]],
};

export function placeholderScreen(container: HTMLElement, key: string, customers: number | null): void {
  const [title, points] = COMING[key];
  append(container, [
    h("header", { class: "screen-header" }, h("h1", {}, title)),
    key === "dashboard" && customers !== null
      ? h("p", { class: "lead", testid: "dashboard-customers" }, `${customers} current customers. `, h("a", { href: "#/customers" }, "Open the customer list"))
      : null,
    h("section", { class: "coming", testid: `coming-${key}` },
      h("h2", {}, "Coming in a next release of VarDesk"),
      h("ul", {}, points.map((p) => h("li", {}, p)))),
  ]);
}
