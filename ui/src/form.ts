// Form building: labelled fields with an error slot each, filled from and read into a
// plain object of strings; backend field errors land next to the field they name.
import { h } from "./dom";
import { ApiError, messageOf } from "./api";
import type { FieldError } from "./types";

export interface FieldSpec {
  name: string;
  label: string;
  type?: "text" | "email" | "number" | "select" | "textarea";
  options?: [string, string][];
  required?: boolean;
  hint?: string;
  wide?: boolean;
  inputmode?: string;
}

export type Values = Record<string, string>;

export class Form {
  readonly el: HTMLFormElement;
  private inputs = new Map<string, HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>();
  private errors = new Map<string, HTMLElement>();
  readonly banner: HTMLElement;

  constructor(testid: string, onSubmit: () => void) {
    this.banner = h("div", { class: "form-banner", role: "alert", testid: `${testid}-error`, hidden: true });
    this.el = h("form", { class: "form", testid, novalidate: true }, this.banner);
    this.el.addEventListener("submit", (e) => {
      e.preventDefault();
      onSubmit();
    });
  }

  section(title: string, fields: FieldSpec[], note?: string): HTMLElement {
    const grid = h("div", { class: "field-grid" });
    for (const spec of fields) grid.appendChild(this.field(spec));
    const section = h("fieldset", { class: "form-section" }, h("legend", {}, title), note ? h("p", { class: "muted" }, note) : null, grid);
    this.el.appendChild(section);
    return section;
  }

  private field(spec: FieldSpec): HTMLElement {
    const id = `f-${spec.name}`;
    let input: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;
    if (spec.type === "select") {
      input = h("select", { id, name: spec.name, testid: `field-${spec.name}` },
        (spec.options ?? []).map(([value, label]) => h("option", { value }, label)));
    } else if (spec.type === "textarea") {
      input = h("textarea", { id, name: spec.name, rows: 3, testid: `field-${spec.name}` });
    } else {
      input = h("input", {
        id, name: spec.name, type: spec.type === "email" ? "email" : "text",
        inputmode: spec.inputmode ?? (spec.type === "number" ? "decimal" : undefined),
        autocomplete: "off", spellcheck: "false", testid: `field-${spec.name}`,
      });
    }
    const error = h("div", { class: "field-error", id: `${id}-error`, testid: `error-${spec.name}`, "aria-live": "polite" });
    input.setAttribute("aria-describedby", `${id}-error`);
    input.addEventListener("input", () => this.setError(spec.name, ""));
    this.inputs.set(spec.name, input);
    this.errors.set(spec.name, error);
    return h("div", { class: `field${spec.wide ? " wide" : ""}` },
      h("label", { for: id }, spec.label, spec.required ? h("span", { class: "required", "aria-hidden": "true" }, " *") : null),
      input,
      spec.hint ? h("div", { class: "hint" }, spec.hint) : null,
      error);
  }

  set(values: Partial<Values>): void {
    for (const [name, value] of Object.entries(values)) {
      const input = this.inputs.get(name);
      if (input && value !== undefined) input.value = value;
    }
  }

  values(): Values {
    const out: Values = {};
    for (const [name, input] of this.inputs) out[name] = input.value;
    return out;
  }

  input(name: string) {
    return this.inputs.get(name);
  }

  setError(name: string, message: string): void {
    const slot = this.errors.get(name);
    const input = this.inputs.get(name);
    if (slot) slot.textContent = message;
    if (input) input.toggleAttribute("aria-invalid", message !== "");
  }

  /** Shows errors beside their fields (and a banner for the rest); focuses the first. */
  showErrors(errors: FieldError[], fallback?: string): void {
    this.clearErrors();
    let first: HTMLElement | undefined;
    const unplaced: string[] = [];
    for (const e of errors) {
      if (this.errors.has(e.field)) {
        this.setError(e.field, e.message);
        first ??= this.inputs.get(e.field);
      } else unplaced.push(e.message);
    }
    if (!errors.length && fallback) unplaced.push(fallback);
    if (unplaced.length) {
      this.banner.textContent = unplaced.join(" ");
      this.banner.hidden = false;
    }
    first?.focus();
  }

  /** Shows what the backend refused: beside the fields it names, else in the banner. */
  showApiError(e: unknown): void {
    const fields = e instanceof ApiError
      ? e.fields.length ? e.fields : e.field ? [{ field: e.field, message: e.message }] : []
      : [];
    const placed = fields.some((f) => this.errors.has(f.field));
    this.showErrors(placed ? fields : [], messageOf(e));
  }

  clearErrors(): void {
    for (const name of this.errors.keys()) this.setError(name, "");
    this.banner.hidden = true;
    this.banner.textContent = "";
  }
}

/** Checks in the form what can be checked without the backend; the backend checks again. */
export function checkRequired(values: Values, required: [string, string][]): FieldError[] {
  return required.filter(([name]) => !values[name]?.trim()).map(([field, message]) => ({ field, message }));
}

const EMAIL = /^[^\s@,;<>]+@[^\s@,;<>]+\.[^\s@,;<>.]{2,}$/u;
export function checkEmail(values: Values, field = "email"): FieldError[] {
  const v = values[field]?.trim() ?? "";
  return v && !EMAIL.test(v) ? [{ field, message: `"${v}" is not an e-mail address like name@example.com.` }] : [];
}

export function checkWholeNumbers(values: Values, fields: [string, string][]): FieldError[] {
  return fields
    .filter(([name]) => values[name]?.trim() && !(/^\d+$/.test(values[name].trim()) && Number(values[name].trim()) <= 1_000_000))
    .map(([field, label]) => ({ field, message: `${label} "${values[field].trim()}" must be a whole number from 0 to 1,000,000.` }));
}

export function checkDecimals(values: Values, fields: [string, string][]): FieldError[] {
  return fields
    .filter(([name]) => values[name]?.trim() && !/^\d+([.,]\d{1,2})?$/.test(values[name].trim()))
    .map(([field, label]) => ({ field, message: `${label} "${values[field].trim()}" must be a number of GB, 0 or more, with at most 2 decimals.` }));
}

/** Buttons row at the end of a form. */
export function actions(...buttons: HTMLElement[]): HTMLElement {
  return h("div", { class: "form-actions" }, buttons);
}
