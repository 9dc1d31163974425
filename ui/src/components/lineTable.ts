// The editable line tables of the quote builder and the draft invoice: one cell per field,
// named `index.key` so a redraw (after a line is added, moved or removed) puts the focus and
// the caret back where the user was typing, and so a backend error can mark its cell.

import { h } from "../dom";

/** Redraws `render` into its table body, keeping the focused cell and its caret. `render`
 *  learns which cell has the focus (`"2.quantity"`), to leave its text exactly as typed. */
export function redrawKeepingFocus(body: HTMLElement, render: (focused: string | undefined) => void): void {
  const active = document.activeElement as HTMLInputElement | HTMLTextAreaElement | null;
  const focused = active && body.contains(active) ? active.dataset.cell : undefined;
  const caret = focused ? active?.selectionStart ?? null : null;
  render(focused);
  if (!focused) return;
  const again = body.querySelector<HTMLInputElement | HTMLTextAreaElement>(`[data-cell="${focused}"]`);
  again?.focus();
  if (again && caret !== null) again.setSelectionRange(caret, caret);
}

export interface CellOptions {
  /** CSS classes of the input (`num`, `short`, `wide-input`). */
  cls: string;
  /** What a screen reader says: "Line 2 quantity". */
  label: string;
  /** The text shown; the raw value when absent. */
  value?: string;
  /** One line of text that wraps as it grows (a description), never cut off. */
  wraps?: boolean;
}

/** One editable cell of line `index`: `line[key]` follows what is typed, then `changed`. */
export function lineCell<L extends object>(line: L, index: number, key: keyof L & string, o: CellOptions,
  changed: () => void): HTMLTableCellElement {
  const raw = String(line[key] ?? "");
  const input = h(o.wraps ? "textarea" : "input", {
    value: o.value ?? raw, class: o.wraps ? `${o.cls} line-text` : o.cls, rows: o.wraps ? 1 : undefined,
    "data-cell": `${index}.${key}`, testid: `line-${index}-${key}`, autocomplete: "off", "aria-label": `Line ${index + 1} ${o.label}`,
  }) as HTMLInputElement | HTMLTextAreaElement;
  const fit = () => {
    if (!o.wraps) return;
    input.style.height = "auto";
    input.style.height = `${input.scrollHeight + 2}px`;
  };
  input.addEventListener("input", () => {
    (line as Record<string, unknown>)[key] = input.value;
    changed();
    fit();
  });
  if (o.wraps) {
    input.addEventListener("keydown", (e) => { if ((e as KeyboardEvent).key === "Enter") e.preventDefault(); });
    requestAnimationFrame(fit);
  }
  return h("td", {}, input);
}

/** Marks the cells that `lines[i].field` errors name; every other cell is unmarked. */
export function markLineErrors(body: HTMLElement, fields: string[]): void {
  for (const cell of body.querySelectorAll("[data-cell]")) cell.removeAttribute("aria-invalid");
  for (const field of fields) {
    const m = /^lines\[(\d+)\]\.(\w+)$/.exec(field);
    if (m) body.querySelector(`[data-cell="${m[1]}.${m[2]}"]`)?.setAttribute("aria-invalid", "true");
  }
}
