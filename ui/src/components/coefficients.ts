// The estimator's coefficients as fields, for the settings (defaults) and for one quote.
import { h } from "../dom";
import type { Coefficients } from "../types";
import { PLATFORMS } from "../labels";

const LABELS: Record<string, string> = {
  hourly_rate: "Hourly rate", hourly_cost: "Hourly cost", hours_per_mailbox: "Hours per user mailbox",
  hours_per_shared_mailbox: "Hours per shared mailbox", assessment_base: "Assessment: base hours",
  assessment_per_site: "Assessment: hours per site", assessment_per_mailbox: "Assessment: hours per mailbox",
  tenant_base: "Tenant setup: base hours", tenant_hybrid_extra: "Tenant setup: hybrid extra hours",
  pilot: "Pilot hours", gb_mailbox: "Hours per GB mailbox", gb_archive: "Hours per GB archive",
  gb_public_folder: "Hours per GB public folder", gb_file: "Hours per GB files", per_pc: "Hours per PC",
  per_phone: "Hours per phone", training_hours_per_session: "Training: hours per session",
  training_users_per_session: "Training: users per session", hypercare_percent: "Hypercare (%)",
  pm_percent: "Project management (%)", contingency_percent: "Contingency (%)",
  licence_price: "Migration licence price", licence_cost: "Migration licence cost",
  throughput_gb_per_hour: "Throughput (GB per hour)",
};

/**
 * One input per coefficient (nested maps per source and complexity), editing `c` in place.
 * `slot(key)` may return an element to show that key's error in (`coefficients.pilot`).
 */
export function coefficientFields(c: Coefficients, editable: boolean, changed: () => void,
  slot: (key: string) => HTMLElement | null = () => null): HTMLElement {
  const grid = h("div", { class: "field-grid narrow" });
  const values = c as Record<string, unknown>;
  const field = (label: string, key: string, value: string, set: (v: string) => void) => {
    const input = h("input", { value, disabled: !editable, inputmode: "decimal", autocomplete: "off", testid: `coef-${key}` });
    const problem = h("div", { class: "field-error" });
    input.addEventListener("input", () => {
      // A decimal comma is accepted; anything else that is not a plain number keeps the
      // last good value (the estimate stays priced) and says what to write instead.
      const text = input.value.trim().replace(/^(\d+),(\d+)$/, "$1.$2");
      const ok = /^\d+(\.\d+)?$/.test(text);
      problem.textContent = ok ? "" : `Write a number like 0.5 (0 or more).`;
      input.toggleAttribute("aria-invalid", !ok);
      if (!ok) return;
      set(text);
      changed();
    });
    grid.append(h("div", { class: "field" }, h("label", {}, label), input, problem, slot(`coefficients.${key}`)));
  };
  for (const [key, value] of Object.entries(values)) {
    const label = LABELS[key] ?? key;
    if (value && typeof value === "object") {
      const map = value as Record<string, string>;
      for (const sub of Object.keys(map)) {
        const subLabel = key === "hours_per_mailbox" ? PLATFORMS.find(([v]) => v === sub)?.[1] ?? sub : sub;
        field(`${label}: ${subLabel}`, `${key}.${sub}`, String(map[sub]), (v) => (map[sub] = v));
      }
    } else {
      // Users per session is a whole number on the wire; everything else a decimal string.
      field(label, key, String(value), (v) => { values[key] = key === "training_users_per_session" ? Number.parseInt(v, 10) || 0 : v; });
    }
  }
  return grid;
}
