// Which column of a file goes to which field (DOMAIN.md §11): one drop-down per column,
// shared by the imports and the distributor's bill.
import { h } from "../dom";
import type { Field, ImportPreview } from "../types";

export function mappingTable(p: ImportPreview, fields: Field[], choose: (header: string, field: string | null) => void): HTMLElement[] {
  const rows = p.mapping.map((c, i) => {
    const select = h("select", { testid: `import-map-${i}`, "aria-label": `Import "${c.header}" as` },
      h("option", { value: "" }, "— not imported —"),
      fields.map((f) => h("option", { value: f.name }, f.required ? `${f.label} (required)` : f.label)));
    select.value = c.field ?? "";
    select.addEventListener("change", () => choose(c.header, select.value || null));
    return h("tr", { class: c.field ? "" : "muted" }, h("th", { scope: "row" }, c.header), h("td", {}, select), h("td", { class: "muted small" }, c.sample));
  });
  return [
    h("p", { class: "muted small", testid: "import-mapping-source" }, p.mapping_name ? `Columns mapped as saved in "${p.mapping_name}".` : "Columns mapped automatically; change any of them."),
    h("div", { class: "table-wrap" }, h("table", { class: "list compact" },
      h("thead", {}, h("tr", {}, ["Column in the file", "Imported as", "First row"].map((t) => h("th", {}, t)))),
      h("tbody", {}, rows))),
  ];
}
