// Screens whose issues have not landed yet say what is coming: nothing here pretends to work.
import { append, h } from "../dom";

const COMING: Record<string, [string, string[]]> = {
  projection: ["Projection", [
    "How your recurring revenue grows over 1–10 years, by cohort, against one-time project income.",
    "The month the annuity overtakes project revenue, saved scenarios, CSV and PDF export.",
  ]],
};

export function placeholderScreen(container: HTMLElement, key: string): void {
  const [title, points] = COMING[key];
  append(container, [
    h("header", { class: "screen-header" }, h("h1", {}, title)),
    h("section", { class: "coming", testid: `coming-${key}` },
      h("h2", {}, "Coming in a next release of VarDesk"),
      h("ul", {}, points.map((p) => h("li", {}, p)))),
  ]);
}
