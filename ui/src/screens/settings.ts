// Company profile and preferences; the first-run screen shows the same form.
import { commands, call, messageOf } from "../api";
import { clear, closeModal, h, modal, toast } from "../dom";
import { backupsPanel } from "../components/backups";
import { coefficientFields } from "../components/coefficients";
import { actions, checkEmail, checkRequired, Form } from "../form";
import type { SeriesState, SettingsForm, SettingsView } from "../types";

export const LOCALE_NAMES: Record<string, string> = {
  "en-GB": "English (United Kingdom)", "en-US": "English (United States)", "de-DE": "Deutsch (Deutschland)",
  "de-CH": "Deutsch (Schweiz)", "fr-FR": "Français (France)", "nl-NL": "Nederlands", "pl-PL": "Polski",
  "sv-SE": "Svenska", "da-DK": "Dansk", "es-ES": "Español",
};

/** The settings and reference lists for a form; `null` (with the reason shown) on failure. */
export async function settingsForDialog(): Promise<SettingsView | null> {
  try {
    return await commands.getSettings();
  } catch (e) {
    toast(messageOf(e), "error");
    return null;
  }
}

/** Builds the settings form; `full` adds bank details, numbering and defaults. */
export async function settingsForm(full: boolean, onSaved: () => void): Promise<HTMLElement> {
  const view = await commands.getSettings();
  const save = h("button", { type: "submit", class: "primary", testid: "settings-save" }, full ? "Save settings" : "Save and continue");
  const form: Form = new Form("settings-form", async () => {
    // Fields the short first-run form leaves out keep their current values.
    const typed = form.values();
    const values = {
      ...view.form, ...typed,
      small_business: typed.small_business === undefined ? view.form.small_business : typed.small_business === "true",
      oss: typed.oss === undefined ? view.form.oss : typed.oss === "true",
      oss_rates: Object.fromEntries(Object.entries(view.form.oss_rates).map(([country, rate]) =>
        [country, ossInputs.get(country)?.value ?? rate])),
      // The first run asks for the two rates every quote's margin rests on.
      estimator_coefficients: full ? view.form.estimator_coefficients : {
        ...view.form.estimator_coefficients,
        hourly_rate: typed.hourly_rate ?? view.form.estimator_coefficients.hourly_rate,
        hourly_cost: typed.hourly_cost ?? view.form.estimator_coefficients.hourly_cost,
      },
    };
    delete (values as Record<string, unknown>).hourly_rate;
    delete (values as Record<string, unknown>).hourly_cost;
    const problems = [
      ...checkRequired(typed, [
        ["company_name", "Your company name is required: it prints on every document."],
        ["country", "Your country is required: it decides how each customer is taxed."],
      ]),
      ...checkEmail(typed),
    ];
    if (problems.length) return form.showErrors(problems);
    save.disabled = true;
    try {
      await commands.saveSettings(values satisfies SettingsForm);
      form.clearErrors();
      onSaved();
    } catch (e) {
      form.showApiError(e);
    } finally {
      save.disabled = false;
    }
  });
  form.section("Company profile", [
    { name: "company_name", label: "Company name", required: true, wide: true },
    { name: "address_line1", label: "Address" },
    { name: "address_line2", label: "Address (line 2)" },
    { name: "postal_code", label: "Postal code" },
    { name: "city", label: "City" },
    { name: "country", label: "Country code", required: true, hint: "Two letters, e.g. DE or GB" },
    { name: "tax_id", label: "VAT ID", hint: "With the country prefix, e.g. DE123456788" },
    { name: "email", label: "E-mail", type: "email" },
    { name: "phone", label: "Phone" },
  ], full ? undefined : "This prints on your quotes and invoices. You can change it later in Settings.");
  form.section("Bank details", [
    { name: "bank_name", label: "Bank" },
    { name: "iban", label: "IBAN", hint: "Printed on invoices, with a payment QR code for euro invoices" },
    { name: "bic", label: "BIC / SWIFT" },
  ], full ? "Printed as payment instructions on invoices." : "Invoices ask for payment into this account; they cannot be issued without it.");
  form.section("Money and language", [
    { name: "default_currency", label: "Default currency", type: "select", options: view.currencies.map((c) => [c, c]) },
    { name: "locale", label: "Dates and numbers", type: "select", options: view.locales.map((l) => [l, LOCALE_NAMES[l] ?? l]) },
    { name: "default_tax_rate_percent", label: "Default tax rate (%)", type: "number" },
    { name: "payment_terms_days", label: "Payment terms (days)", type: "number", inputmode: "numeric" },
  ]);
  const ossInputs = new Map<string, HTMLInputElement>();
  if (!full) {
    form.section("Your rates", [
      { name: "hourly_rate", label: "Hourly rate you charge", type: "number", hint: "Migration work on quotes" },
      { name: "hourly_cost", label: "Your cost per hour", type: "number", hint: "Salary and overheads: for your margins, never printed" },
    ], "The estimator prices every hour of a migration at the rate and counts its cost for your margin. Both can change later in Settings › Estimator defaults.");
  }
  if (full) {
    form.el.append(logoSection());
    form.section("Legal details", [
      { name: "tax_number", label: "Tax number", hint: "e.g. the German Steuernummer" },
      { name: "legal_registration", label: "Legal registration", hint: "e.g. HRB 12345, Amtsgericht Köln" },
      { name: "managing_directors", label: "Managing directors" },
      { name: "contact_name", label: "Contact person" },
      { name: "electronic_address", label: "Electronic address", hint: "Peppol id like 9930:DE123456788, or an e-mail" },
      { name: "small_business", label: "Small-business exemption", type: "select",
        options: [["false", "No: charge VAT"], ["true", "Yes: no VAT on any invoice (e.g. § 19 UStG)"]] },
    ], "Printed at the foot of your invoices where the law asks for them.");
    form.section("One-Stop-Shop", [
      { name: "oss", label: "EU consumers", type: "select",
        options: [["false", "Charge my country's VAT"], ["true", "Charge their country's VAT (One-Stop-Shop)"]] },
    ], "For customers in another member state without a VAT ID. Businesses with a VAT ID are always reverse charge.");
    for (const [country, rate] of Object.entries(view.form.oss_rates)) {
      ossInputs.set(country, h("input", { value: rate, class: "num short", inputmode: "decimal", testid: `oss-rate-${country}`, "aria-label": `Standard rate in ${country} (%)` }));
    }
    form.el.append(h("details", { class: "form-section" }, h("summary", { testid: "oss-rates-toggle" }, "Standard rates of the member states (1 January 2026; edit when a country changes its rate)"),
      h("div", { class: "oss-rates" }, [...ossInputs].map(([country, input]) => h("label", {}, `${country} `, input, " %")))));
    form.el.append(h("fieldset", { class: "form-section" }, h("legend", {}, "Estimator defaults"),
      h("p", { class: "muted" }, "Every new quote starts with a copy of these; changing them never changes an existing quote."),
      h("details", {}, h("summary", { testid: "coefficients-toggle" }, "Show the coefficients"),
        coefficientFields(view.form.estimator_coefficients, true, () => {}))));
    form.section("Quotes", [
      { name: "quote_validity_days", label: "Valid for (days)", type: "number", inputmode: "numeric" },
      { name: "hours_increment", label: "Estimated hours shown in steps of", type: "select",
        options: [["0.25", "¼ hour (17.75 h)"], ["0.5", "½ hour (17.5 h)"], ["1", "1 hour (18 h)"], ["0.1", "0.1 hour (17.7 h)"], ["0.01", "as estimated (17.67 h)"]] },
      { name: "quote_terms", label: "Terms", type: "textarea", wide: true, hint: "Printed on every new quote; each quote can change its own" },
    ], "What every new quote starts with.");
    form.section("Documents", [
      { name: "invoice_number_template", label: "Invoice numbers", hint: "{YYYY} year, {SEQ:4} sequence padded to 4 digits" },
      { name: "credit_note_number_template", label: "Credit note numbers" },
      { name: "paper_size", label: "Paper size", type: "select", options: [["A4", "A4"], ["Letter", "US Letter"]] },
      { name: "churn_percent", label: "Expected monthly churn (%)", type: "number", hint: "Used for the annuity value of quotes" },
    ]);
  }
  form.set({ ...(view.form as unknown as Record<string, string>), hourly_rate: view.form.estimator_coefficients.hourly_rate, hourly_cost: view.form.estimator_coefficients.hourly_cost });
  form.el.appendChild(actions(save));
  return form.el;
}

export async function settingsScreen(container: HTMLElement, locale: string, onSaved: () => void, onRestored: () => void): Promise<void> {
  const el = await settingsForm(true, onSaved);
  container.append(h("header", { class: "screen-header" }, h("h1", {}, "Settings")), el, numberingPanel(), backupsPanel(locale, onRestored));
}

/**
 * Settings › Numbering: the number each series gives next, and continuing the previous
 * system's series (DOMAIN.md §11) — only upwards, recorded so `check` explains the jump.
 */
function numberingPanel(): HTMLElement {
  const body = h("div", { testid: "numbering" });
  const error = h("p", { class: "field-error", role: "alert", testid: "numbering-error" });
  const label = (s: SeriesState) => (s.sequence === "invoice" ? "Invoices" : "Credit notes");
  const render = async () => {
    error.textContent = "";
    try {
      const series = await commands.numberSeries();
      clear(body);
      for (const s of series) {
        body.append(h("div", { class: "numbering-row", testid: `series-${s.sequence}` },
          h("span", { class: "strong" }, label(s)),
          h("span", {}, "next: ", h("span", { class: "mono", testid: `series-${s.sequence}-next` }, s.next_number)),
          s.continued.length ? h("span", { class: "muted small" }, s.continued.join("; ")) : null,
          h("button", { type: "button", testid: `series-${s.sequence}-continue`, onclick: () => continueSeriesDialog(s, () => void render()) }, "Continue from the previous system…")));
      }
    } catch (e) {
      error.textContent = messageOf(e);
    }
  };
  render();
  return h("section", { class: "panel" }, h("h2", {}, "Numbering"),
    h("p", { class: "muted" }, "Invoices and credit notes are numbered without gaps by the templates above."), body, error);
}

/** Continues a series from the previous system: the number the next document carries. */
export function continueSeriesDialog(s: SeriesState, done: (after: SeriesState) => void): void {
  const label = s.sequence === "invoice" ? "Invoices" : "Credit notes";
  const input = h("input", { value: String(s.next_value), class: "short-input num", inputmode: "numeric", testid: "series-next-value", "aria-label": "Next number" });
  const problem = h("p", { class: "field-error", role: "alert", testid: "series-next-error" });
  const save = h("button", { class: "primary", testid: "series-next-save" }, "Continue there");
  const dialog = modal(`${label}: continue the series`, h("div", {},
    h("p", {}, `Moving from another tool? Give the number your next ${s.sequence === "invoice" ? "invoice" : "credit note"} should carry, e.g. 418 when the old tool's last was 417. It can only go up; the jump is recorded as "continued from the previous system", and the data check explains it.`),
    h("label", {}, "Next number ", input), problem,
    h("div", { class: "form-actions" }, save, h("button", { onclick: () => closeModal(dialog) }, "Cancel"))), "series-dialog", () => {});
  save.addEventListener("click", async () => {
    save.disabled = true;
    try {
      const after = await commands.continueSeries(s.sequence, input.value);
      closeModal(dialog);
      toast(`The next ${s.sequence === "invoice" ? "invoice" : "credit note"} is ${after.next_number}.`);
      done(after);
    } catch (e) {
      problem.textContent = messageOf(e);
      save.disabled = false;
    }
  });
  input.focus();
  input.select();
}

/** The logo printed on quotes and invoices: preview, choose another, remove. */
function logoSection(): HTMLElement {
  const preview = h("img", { alt: "Your logo", class: "logo-preview", testid: "logo-preview", hidden: true });
  const none = h("span", { class: "muted", testid: "logo-none" }, "No logo yet: documents show your company name only.");
  const error = h("div", { class: "field-error", role: "alert", testid: "logo-error" });
  const file = h("input", { type: "file", accept: "image/png,image/jpeg", testid: "logo-file", "aria-label": "Logo file" });
  const remove = h("button", { type: "button", testid: "logo-remove" }, "Remove logo");
  const show = async () => {
    const bytes = new Uint8Array(await call<ArrayBuffer>("get_logo"));
    if (preview.src) URL.revokeObjectURL(preview.src);
    preview.hidden = bytes.length === 0;
    none.hidden = bytes.length > 0;
    remove.hidden = bytes.length === 0;
    if (bytes.length) preview.src = URL.createObjectURL(new Blob([bytes]));
  };
  file.addEventListener("change", async () => {
    const chosen = file.files?.[0];
    if (!chosen) return;
    error.textContent = "";
    try {
      await call("set_logo", new Uint8Array(await chosen.arrayBuffer()));
      await show();
      toast("Logo saved.");
    } catch (e) {
      error.textContent = messageOf(e);
    }
    file.value = "";
  });
  remove.addEventListener("click", async () => {
    try {
      await call("set_logo", new Uint8Array());
      await show();
    } catch (e) {
      error.textContent = messageOf(e);
    }
  });
  show().catch((e) => (error.textContent = messageOf(e)));
  return h("fieldset", { class: "form-section" }, h("legend", {}, "Logo"),
    h("p", { class: "muted" }, "A PNG or JPEG (up to 2 MB), printed at the top of your quotes and invoices."),
    h("div", { class: "logo-row" }, preview, none, h("div", { class: "form-actions" }, file, remove)), error);
}
