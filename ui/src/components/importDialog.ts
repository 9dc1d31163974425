// A CSV import with its column mapping (DOMAIN.md §11): choose the file, see which column
// goes where (chosen from the alias table, or as saved for this header line), change any
// column with its drop-down (the preview follows), optionally save the mapping by name, and
// import all rows or none. The same dialog serves customers, open invoices and subscriptions.
import { commands, call, headerJson, messageOf } from "../api";
import { append, clear, closeModal, h, latest, modal, toast } from "../dom";
import type { Field, ImportKind, ImportSummary } from "../types";
import { mappingTable } from "./mappingTable";

/** `P`: what the preview command replies (every import's summary and its own figures). */
export interface ImportSpec<P extends ImportSummary = ImportSummary> {
  kind: ImportKind;
  title: string;
  intro: string;
  preview: string;
  apply: string;
  /** "customer", "open invoice", … */
  noun: string;
  /** Extra lines under the summary (e.g. which month each subscription bills first). */
  details?: (p: P) => HTMLElement | null;
  /** A yes/no option sent as a request header ("1" when ticked), e.g. also set prices. */
  option?: { label: string; header: string };
  /** A file to start with (the sample books' own), instead of choosing one. */
  initial?: { name: string; bytes: Uint8Array };
  done: (imported: number) => void;
}

export async function openImportDialog<P extends ImportSummary>(spec: ImportSpec<P>): Promise<void> {
  let fields: Field[];
  try {
    fields = await commands.importFields(spec.kind);
  } catch (e) {
    toast(messageOf(e), "error");
    return;
  }
  let bytes: Uint8Array | null = null;
  let fileName = "";
  let choices: Record<string, string | null> = {};
  const newest = latest();
  const file = h("input", { type: "file", accept: ".csv,text/csv,text/plain", testid: "import-file", "aria-label": "CSV file" });
  const mappingSlot = h("div", { testid: "import-mapping" });
  const result = h("div", { class: "import-result", testid: "import-preview", "aria-live": "polite" });
  const saveAs = h("input", { class: "short-input", testid: "import-save-as", placeholder: "e.g. Invoice Ninja", "aria-label": "Save this mapping as" });
  const apply = h("button", { class: "primary", testid: "import-apply", disabled: true }, "Import");
  const option = spec.option ? h("input", { type: "checkbox", testid: "import-option" }) : null;
  const body = h("div", { class: "import" },
    h("p", {}, spec.intro),
    spec.initial ? h("p", { class: "strong" }, spec.initial.name) : file,
    option && spec.option ? h("label", { class: "checkbox" }, option, ` ${spec.option.label}`) : null,
    // What the import would do first; the columns (to change) below it.
    result, mappingSlot,
    h("label", { class: "muted small" }, "Save this mapping as ", saveAs, " (offered again for files with the same columns)"),
    h("div", { class: "form-actions" }, apply, h("button", { onclick: () => closeModal(dialog) }, "Cancel")));
  const dialog = modal(spec.title, body, "import-dialog", () => {});
  const request = (withSave: boolean): Record<string, string> => ({
    "x-vardesk-mapping": headerJson({ choices, save_as: withSave && saveAs.value.trim() ? saveAs.value.trim() : null }),
    ...(option && spec.option ? { [spec.option.header]: option.checked ? "1" : "0" } : {}),
  });
  option?.addEventListener("change", () => void refresh());

  const refresh = async () => {
    if (!bytes) return;
    const current = newest();
    apply.disabled = true;
    try {
      const p = await call<P>(spec.preview, bytes, request(false));
      if (!current()) return; // a newer choice is on its way
      showMapping(p);
      showPreview(p);
    } catch (e) {
      if (!current()) return;
      clear(result);
      result.append(h("p", { class: "field-error", role: "alert", testid: "import-error" }, messageOf(e)));
    }
  };

  const showMapping = (p: P) => {
    clear(mappingSlot);
    append(mappingSlot, mappingTable(p, fields, (header, field) => {
      choices = { ...choices, [header]: field };
      refresh();
    }));
  };

  const showPreview = (p: P) => {
    clear(result);
    const errorCount = p.errors.length + p.errors_not_shown;
    if (p.mapping_error) {
      result.append(h("p", { class: "field-error", role: "alert", testid: "import-mapping-error" }, p.mapping_error));
      return;
    }
    append(result, [
      h("p", { testid: "import-summary" }, `${fileName}: ${p.rows} row${p.rows === 1 ? "" : "s"}, ${p.valid} valid, ${errorCount} error${errorCount === 1 ? "" : "s"}.`),
      p.ignored_columns.length ? h("p", { class: "muted", testid: "import-ignored" }, `Not imported: ${p.ignored_columns.join(", ")}.`) : null,
      spec.details?.(p) ?? null,
    ]);
    if (p.errors.length) {
      append(result, [
        h("p", { class: "field-error", role: "alert" }, "Nothing will be imported. Correct these rows in the file (or the mapping above) and try again:"),
        h("ul", { class: "import-errors", testid: "import-errors" }, p.errors.map((e) => h("li", {}, `line ${e.line}: ${e.reason}`))),
        p.errors_not_shown ? h("p", { class: "muted", testid: "import-errors-more" }, `… and ${p.errors_not_shown} more row error${p.errors_not_shown === 1 ? "" : "s"}.`) : null]);
    } else if (p.valid > 0) {
      apply.textContent = `Import ${p.valid} ${spec.noun}${p.valid === 1 ? "" : "s"}`;
      apply.disabled = false;
    } else {
      result.append(h("p", { class: "muted" }, `The file has no ${spec.noun} rows.`));
    }
  };

  file.addEventListener("change", async () => {
    const chosen = file.files?.[0];
    apply.disabled = true;
    clear(result);
    clear(mappingSlot);
    choices = {};
    if (!chosen) return;
    fileName = chosen.name;
    bytes = new Uint8Array(await chosen.arrayBuffer());
    await refresh();
    if (!apply.disabled) apply.focus();
  });
  if (spec.initial) {
    fileName = spec.initial.name;
    bytes = spec.initial.bytes;
    void refresh();
  }
  apply.addEventListener("click", async () => {
    if (!bytes) return;
    apply.disabled = true;
    try {
      const outcome = await call<{ imported: number }>(spec.apply, bytes, request(true));
      closeModal(dialog);
      toast(`Imported ${outcome.imported} ${spec.noun}${outcome.imported === 1 ? "" : "s"}.`);
      spec.done(outcome.imported);
    } catch (e) {
      result.appendChild(h("p", { class: "field-error", role: "alert", testid: "import-error" }, messageOf(e)));
      apply.disabled = false;
    }
  });
}
