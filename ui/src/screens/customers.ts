// Customers: search as you type, sort, filter; create and edit with in-place validation;
// archive; CSV import with a preview and all-or-nothing apply; CSV export.
import { commands, messageOf } from "../api";
import { clear, closeModal, debounce, h, latest, modal, toast } from "../dom";
import { formatCount } from "../format";
import { openImportDialog } from "../components/importDialog";
import { settingsForDialog } from "./settings";
import { actions, checkDecimals, checkEmail, checkRequired, checkWholeNumbers, Form } from "../form";
import type { CustomerForm, CustomerPage, CustomerQuery, CustomerRecord, CustomerSort } from "../types";
import { screenState } from "../screenState";
import { CUSTOMER_STATUS, PLATFORMS } from "../labels";

const PAGE_SIZE = 200;


export function customersScreen(container: HTMLElement, locale: string): void {
  const query: CustomerQuery = { search: "", status: null, archive: "current", sort: "name", descending: false, limit: PAGE_SIZE };
  const search = h("input", {
    type: "search", placeholder: "Search name, contact, e-mail, city, tax id…  (Ctrl+F)",
    "aria-label": "Search customers", testid: "customer-search", class: "search",
  });
  const status = h("select", { "aria-label": "Status", testid: "customer-status-filter" },
    h("option", { value: "" }, "All statuses"),
    Object.entries(CUSTOMER_STATUS).map(([v, l]) => h("option", { value: v }, l)));
  const archive = h("select", { "aria-label": "Archived", testid: "customer-archive-filter" },
    h("option", { value: "current" }, "Current"), h("option", { value: "archived" }, "Archived"), h("option", { value: "all" }, "Current and archived"));
  const count = h("span", { class: "muted", testid: "customer-count", "aria-live": "polite" });
  const body = h("tbody", { testid: "customer-rows" });
  const errorLine = h("p", { class: "field-error", role: "alert", testid: "customer-list-error" });

  const columns: [CustomerSort | null, string][] = [
    ["name", "Name"], [null, "Contact"], ["city", "City"], ["status", "Status"], ["mailboxes", "Mailboxes"], [null, "Currency"],
  ];
  const headRow = h("tr", {});
  const renderHead = () => {
    clear(headRow);
    for (const [key, label] of columns) {
      if (!key) {
        headRow.appendChild(h("th", { scope: "col" }, label));
        continue;
      }
      const active = query.sort === key;
      const arrow = active ? (query.descending ? " ▼" : " ▲") : "";
      headRow.appendChild(h("th", { scope: "col", "aria-sort": active ? (query.descending ? "descending" : "ascending") : "none" },
        h("button", { class: "sort", testid: `sort-${key}`, onclick: () => {
          query.descending = active ? !query.descending : false;
          query.sort = key;
          renderHead();
          refresh();
        } }, label + arrow)));
    }
  };

  const newest = latest();
  const refresh = async () => {
    const current = newest();
    try {
      const page = await commands.listCustomers(query);
      if (!current()) return; // a newer search is on its way
      errorLine.textContent = "";
      renderRows(page);
    } catch (e) {
      errorLine.textContent = messageOf(e);
    }
  };

  const renderRows = (page: CustomerPage) => {
    clear(body);
    const shown = page.customers.length;
    count.textContent = page.total === shown
      ? `${formatCount(page.total, locale)} customer${page.total === 1 ? "" : "s"}`
      : `Showing ${formatCount(shown, locale)} of ${formatCount(page.total, locale)} customers — refine the search to see others`;
    if (!shown) {
      body.appendChild(h("tr", {}, h("td", { colspan: columns.length, class: "empty", testid: "customer-empty" },
        query.search ? `No customer matches "${query.search}".` : "No customers here yet. Create one with New customer, or import a CSV file.")));
      return;
    }
    for (const c of page.customers) {
      const open = () => { location.hash = `#/customers/${c.id}`; };
      body.appendChild(h("tr", { class: c.archived ? "archived" : "", tabindex: 0, testid: "customer-row", "data-id": c.id,
        onclick: open, onkeydown: (e: KeyboardEvent) => { if (e.key === "Enter") open(); } },
        h("td", { class: "strong", testid: "customer-name" }, c.name, c.archived ? h("span", { class: "badge" }, "archived") : null),
        h("td", {}, c.contact_name, c.email ? h("div", { class: "muted small" }, c.email) : null),
        h("td", {}, c.city, c.country ? h("span", { class: "muted" }, ` ${c.country}`) : null),
        h("td", {}, h("span", { class: `status status-${c.status}` }, CUSTOMER_STATUS[c.status])),
        h("td", { class: "num" }, formatCount(c.mailboxes, locale)),
        h("td", {}, c.currency)));
    }
  };

  const runSearch = debounce(() => { query.search = search.value; refresh(); }, 120);
  search.addEventListener("input", runSearch);
  status.addEventListener("change", () => { query.status = (status.value || null) as CustomerQuery["status"]; refresh(); });
  archive.addEventListener("change", () => { query.archive = archive.value as CustomerQuery["archive"]; refresh(); });

  const exportCsv = async () => {
    try {
      const path = await commands.exportCustomers();
      if (path) toast(`Exported all customers to ${path}.`);
    } catch (e) {
      toast(messageOf(e), "error");
    }
  };

  renderHead();
  container.append(
    h("header", { class: "screen-header" }, h("h1", {}, "Customers"),
      h("div", { class: "toolbar-buttons" },
        h("button", { testid: "customer-import", onclick: () => openCustomerImport(() => refresh()) }, "Import CSV…"),
        h("button", { testid: "customer-export", onclick: exportCsv }, "Export CSV…"),
        h("button", { class: "primary", testid: "customer-new", title: "New customer (Ctrl+N)", onclick: () => openCustomerForm(null, null, refresh) }, "New customer"))),
    h("div", { class: "toolbar" }, search, status, archive, count),
    errorLine,
    h("div", { class: "table-wrap" }, h("table", { class: "list", testid: "customer-table" }, h("thead", {}, headRow), body)),
  );
  refresh();
  screenState.create = () => openCustomerForm(null, null, refresh);
  screenState.find = () => { search.focus(); search.select(); };
}

/** §9's treatments, as a partner reads them. */
export const TREATMENTS: [string, string][] = [
  ["auto", "Auto (by country and VAT ID)"],
  ["domestic", "Domestic VAT"],
  ["reverse_charge", "Reverse charge (EU business)"],
  ["outside_eu", "Outside the EU (no VAT)"],
  ["exempt", "Exempt (with a reason)"],
];

const LANGUAGES: [string, string][] = [
  ["", "From the country"], ["en", "English"], ["de", "Deutsch"], ["fr", "Français"], ["nl", "Nederlands"],
  ["es", "Español"], ["it", "Italiano"], ["pl", "Polski"], ["sv", "Svenska"], ["da", "Dansk"],
];

/** Opens the customer's form; `saved` runs after a save or an archive. */
export async function editCustomer(id: number, saved: () => void): Promise<void> {
  try {
    const view = await commands.getCustomer(id);
    openCustomerForm(view.record, view.form, saved);
  } catch (e) {
    toast(messageOf(e), "error");
  }
}

export async function openCustomerForm(record: CustomerRecord | null, values: CustomerForm | null, saved: () => void) {
  const settings = await settingsForDialog();
  if (!settings) return;
  const save = h("button", { type: "submit", class: "primary", testid: "customer-save" }, record ? "Save changes" : "Create customer");
  const form: Form = new Form("customer-form", async () => {
    const v = form.values();
    const problems = [
      ...checkRequired(v, [["name", "The name is required."]]),
      ...(v.tax_treatment === "exempt" && !v.exemption_reason.trim()
        ? [{ field: "exemption_reason", message: "An exempt customer needs the reason for the exemption (it is printed on every invoice)." }] : []),
      ...(v.tax_treatment === "reverse_charge" && !v.vat_id.trim()
        ? [{ field: "vat_id", message: "A reverse-charge customer needs its VAT ID (it is printed on every invoice)." }] : []),
      ...checkEmail(v),
      ...checkWholeNumbers(v, [["payment_terms_days", "Payment terms"], ["mailboxes", "Mailboxes"], ["shared_mailboxes", "Shared mailboxes"], ["pcs", "PCs"], ["phones", "Phones"], ["sites", "Sites"]]),
      ...checkDecimals(v, [["mailbox_gb", "Mailbox data"], ["archive_gb", "Archive data"], ["public_folder_gb", "Public folder data"], ["file_gb", "File data"]]),
    ];
    if (problems.length) return form.showErrors(problems);
    save.disabled = true;
    try {
      const result = record
        ? await commands.updateCustomer(record.id, v)
        : await commands.createCustomer(v);
      closeModal(dialog);
      toast(record ? `Saved ${result.name}.` : `Created ${result.name}.`);
      saved();
    } catch (e) {
      form.showApiError(e);
    } finally {
      save.disabled = false;
    }
  });
  form.section("Company", [
    { name: "name", label: "Name", required: true, wide: true },
    { name: "status", label: "Status", type: "select", options: Object.entries(CUSTOMER_STATUS) },
    { name: "contact_name", label: "Contact" },
    { name: "email", label: "E-mail", type: "email" },
    { name: "phone", label: "Phone" },
  ]);
  form.section("Address and billing", [
    { name: "address_line1", label: "Address" },
    { name: "address_line2", label: "Address (line 2)" },
    { name: "postal_code", label: "Postal code" },
    { name: "city", label: "City" },
    { name: "country", label: "Country code", hint: "Two letters, e.g. DE" },
    { name: "currency", label: "Currency", type: "select", options: settings.currencies.map((c) => [c, c]) },
    { name: "payment_terms_days", label: "Payment terms (days)", type: "number", inputmode: "numeric" },
  ]);
  form.section("Taxes and e-invoices", [
    { name: "vat_id", label: "VAT ID", hint: "EU VAT ID with its country prefix, e.g. NL004495445B01" },
    { name: "tax_treatment", label: "Tax treatment", type: "select", options: TREATMENTS },
    { name: "exemption_reason", label: "Exemption reason", hint: "Printed on every invoice when exempt", wide: true },
    { name: "tax_id", label: "Other tax number", hint: "Outside the EU: EIN, UID, ABN…" },
    { name: "buyer_reference", label: "Buyer reference", hint: "Leitweg-ID or PO reference (e-invoices)" },
    { name: "peppol_id", label: "Peppol id", hint: "Scheme:id, e.g. 0208:0403170701" },
    { name: "language", label: "Document language", type: "select", options: LANGUAGES },
  ], "How this customer's invoices are taxed and which language they print in. Auto: your country → domestic VAT; another EU country with a VAT ID → reverse charge; outside the EU → no VAT.");
  form.section("Microsoft tenant", [
    { name: "tenant_id", label: "Tenant id", hint: "Entra admin center › Overview, e.g. 0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0" },
    { name: "tenant_domain", label: "Tenant domain", hint: "e.g. contoso.onmicrosoft.com" },
  ], "How your distributor's bill names this customer, so its licence charges match.");
  form.section("Environment", [
    { name: "mail_platform", label: "Current mail platform", type: "select", options: PLATFORMS },
    { name: "mailboxes", label: "User mailboxes", type: "number", inputmode: "numeric" },
    { name: "shared_mailboxes", label: "Shared mailboxes", type: "number", inputmode: "numeric" },
    { name: "mailbox_gb", label: "Mailbox data (GB)", type: "number" },
    { name: "archive_gb", label: "Archives and PSTs (GB)", type: "number" },
    { name: "public_folder_gb", label: "Public folders (GB)", type: "number" },
    { name: "file_gb", label: "File shares (GB)", type: "number" },
    { name: "pcs", label: "PCs and laptops", type: "number", inputmode: "numeric" },
    { name: "phones", label: "Phones", type: "number", inputmode: "numeric" },
    { name: "sites", label: "Sites", type: "number", inputmode: "numeric" },
  ], "What the migration estimator starts from when you quote this customer.");
  form.section("Notes", [{ name: "notes", label: "Notes", type: "textarea", wide: true }]);
  form.set(values ? (values as unknown as Record<string, string>)
    : { status: "active", currency: settings.form.default_currency, payment_terms_days: settings.form.payment_terms_days, tax_treatment: "auto", language: "" });

  const buttons: HTMLElement[] = [save, h("button", { type: "button", onclick: () => closeModal(dialog) }, "Cancel")];
  if (record) {
    const archived = record.archived;
    buttons.push(h("button", { type: "button", class: "danger-quiet", testid: "customer-archive", onclick: async () => {
      try {
        await commands.setCustomerArchived(record.id, !archived);
        closeModal(dialog);
        toast(archived ? `Restored ${record.name}.` : `Archived ${record.name}. Find it under "Archived".`);
        saved();
      } catch (e) {
        form.showErrors([], messageOf(e));
      }
    } }, archived ? "Restore" : "Archive"));
  }
  form.el.appendChild(actions(...buttons));
  const dialog = modal(record ? `Edit ${record.name}` : "New customer", form.el, "customer-dialog", () => {});
  // Ctrl+S saves here too (the screens' shortcut does not reach into dialogs).
  form.el.addEventListener("keydown", (e: KeyboardEvent) => {
    if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === "s") {
      e.preventDefault();
      save.click();
    }
  });
  form.input("name")?.focus();
}

/** Customers from a CSV file: VarDesk's own export or another tool's (DOMAIN.md §8, §11). */
export function openCustomerImport(imported: (n: number) => void): void {
  openImportDialog({
    kind: "customers", title: "Import customers", noun: "customer",
    intro: "Choose a CSV file: VarDesk's own export, or another tool's (Invoice Ninja, Xero, QuickBooks, InvoiceShelf, HubSpot, an Excel list in English, German, French, Dutch, Spanish or Italian). Comma or semicolon, UTF-8, UTF-16 or Windows-1252. VarDesk checks every row first; nothing is imported while any row has an error.",
    preview: "preview_customer_import", apply: "import_customers",
    done: (n) => imported(n),
  });
}
