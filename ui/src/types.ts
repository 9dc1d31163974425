// Shapes of what crosses IPC; decimals are strings. They mirror the serde types of
// vardesk-core and vardesk-store (snake_case, as in the CLI's JSON and the CSV columns).

export type CustomerStatus = "prospect" | "active" | "former";
export type Source = "exchange_hybrid" | "exchange_cutover" | "google_workspace" | "imap" | "other";
export type LineKind = "one_time" | "monthly" | "annual";

export interface AppStatus {
  needs_profile: boolean;
  offer_sample_data: boolean;
  company_name: string | null;
  locale: string;
  default_currency: string;
  db_path: string;
  data_warning: string | null;
  sample_books: boolean;
  version: string;
}

export interface CustomerForm {
  name: string;
  contact_name: string;
  email: string;
  phone: string;
  address_line1: string;
  address_line2: string;
  postal_code: string;
  city: string;
  country: string;
  tax_id: string;
  currency: string;
  payment_terms_days: string;
  status: string;
  notes: string;
  mail_platform: string;
  mailboxes: string;
  shared_mailboxes: string;
  pcs: string;
  phones: string;
  sites: string;
  mailbox_gb: string;
  archive_gb: string;
  public_folder_gb: string;
  file_gb: string;
  vat_id: string;
  tax_treatment: string;
  exemption_reason: string;
  buyer_reference: string;
  peppol_id: string;
  language: string;
  /** The customer's Microsoft tenant (§10): how the distributor's bill names it. */
  tenant_id: string;
  tenant_domain: string;
}

export interface CustomerRecord {
  id: number;
  name: string;
  contact_name: string;
  email: string;
  phone: string;
  city: string;
  country: string;
  currency: string;
  status: CustomerStatus;
  mail_platform: Source | null;
  mailboxes: number | null;
  shared_mailboxes: number | null;
  archived: boolean;
  updated_at: string;
  // Also sent, shown on the customer page.
  address_line1: string;
  address_line2: string;
  postal_code: string;
  notes: string;
  payment_terms_days: number;
  vat_id: string;
  pcs: number | null;
  sites: number | null;
  mailbox_gb: string | null;
  archive_gb: string | null;
  public_folder_gb: string | null;
  file_gb: string | null;
}

/** The customer page (`customer_overview`). */
export interface CustomerOverview {
  record: CustomerRecord;
  quotes: QuoteRow[];
  invoices: InvoiceRow[];
  subscriptions: SubscriptionRow[];
  mrr: { currency: string; amount: string }[];
  invoiced: CurrencyTotal[];
  overdue: number;
}

export interface CustomerPage {
  customers: CustomerRecord[];
  total: number;
}

export type CustomerSort = "name" | "city" | "status" | "mailboxes" | "updated";

export interface CustomerQuery {
  search: string;
  status: CustomerStatus | null;
  archive: "current" | "archived" | "all";
  sort: CustomerSort;
  descending: boolean;
  limit: number;
}

export interface ImportRowError {
  line: number;
  code: string;
  reason: string;
}

export interface ImportPreview {
  rows: number;
  valid: number;
  /** The first 100 row errors; `errors_not_shown` counts the rest. */
  errors: ImportRowError[];
  errors_not_shown: number;
  ignored_columns: string[];
  /** Each column of the file, the field it goes to (null: not imported) and its first cell. */
  mapping: { header: string; field: string | null; sample: string }[];
  /** The saved mapping used, if one was. */
  mapping_name: string | null;
  /** Why the mapping cannot be imported as it stands. */
  mapping_error: string | null;
  /** Subscriptions: the month each row bills first (YYYY-MM), in row order. */
  first_months?: string[];
  /** Open invoices: rows paid in full (left out), and further line rows of one invoice. */
  paid_left_out?: number;
  line_rows?: number;
  /** Price lists (§10): prices new, changed and made inactive; licences whose cost changes
   *  at their renewal; rows left out (trials, other markets, not in effect). */
  new_items?: PriceChange[];
  changed?: PriceChange[];
  removed?: string[];
  unchanged?: number;
  left_out?: number;
  renewals?: { subscription_id: number; customer: string; description: string; renews_on: string; currency: string; cost_now: string; cost_then: string }[];
}

export interface PriceChange {
  sku: string;
  name: string;
  currency: string;
  cost_before: string | null;
  cost_after: string;
  price_before: string | null;
  price_after: string;
}

/** What a CSV file is imported as (DOMAIN.md §11). */
export type ImportKind = "customers" | "open_invoices" | "subscriptions" | "reconciliation" | "price_list";

/** A field an import's column can go to. */
export interface ImportField {
  name: string;
  label: string;
  required: boolean;
}

export interface SettingsForm {
  company_name: string;
  address_line1: string;
  address_line2: string;
  postal_code: string;
  city: string;
  country: string;
  tax_id: string;
  email: string;
  phone: string;
  bank_name: string;
  iban: string;
  bic: string;
  tax_number: string;
  legal_registration: string;
  managing_directors: string;
  contact_name: string;
  electronic_address: string;
  small_business: boolean;
  oss: boolean;
  /** Each member state's standard rate (percent, as text) for the One-Stop-Shop. */
  oss_rates: Record<string, string>;
  default_currency: string;
  locale: string;
  default_tax_rate_percent: string;
  payment_terms_days: string;
  invoice_number_template: string;
  credit_note_number_template: string;
  paper_size: string;
  churn_percent: string;
  estimator_coefficients: Coefficients;
  quote_validity_days: string;
  quote_terms: string;
  hours_increment: string;
}

export interface SettingsView {
  form: SettingsForm;
  currencies: string[];
  locales: string[];
}

export interface CatalogRecord {
  id: number;
  kind: LineKind;
  sku: string;
  name: string;
  unit: string;
  currency: string;
  price: string;
  cost: string;
  tax_rate_percent: string;
  active: boolean;
  /** Goods (hardware) rather than services (DOMAIN.md §9). */
  goods: boolean;
  /** Price and cost in currencies other than `currency`. */
  other_prices: LocalPrice[];
  /** A Microsoft licence (§10): Partner Center ids, term and billing. */
  microsoft: { product_id: string; sku_id: string; term: string | null; billing: string | null } | null;
}

/** A catalog item's price and cost in one more currency (decimals as strings). */
export interface LocalPrice {
  currency: string;
  price: string;
  cost: string;
}

export interface CatalogForm {
  kind: string;
  sku: string;
  name: string;
  unit: string;
  currency: string;
  price: string;
  cost: string;
  tax_rate_percent: string;
  active: boolean;
  goods: boolean;
  other_prices: LocalPrice[];
  ms_licence: boolean;
  ms_product_id: string;
  ms_sku_id: string;
  term: string;
  ms_billing: string;
}

export interface LineForm {
  kind: LineKind;
  source: "estimate" | "catalog" | "manual";
  description: string;
  quantity: string;
  unit: string;
  unit_price: string;
  unit_cost: string;
  discount_percent: string;
  tax_rate_percent: string;
  catalog_item_id: number | null;
  /** Goods from the catalog; typed lines are services. */
  goods?: boolean;
}

export interface EstimatorForm {
  source: string;
  /** Exchange Server version: "2010" … "2019", "se", or "" when not known. */
  source_version: string;
  mailboxes: string;
  shared_mailboxes: string;
  mailbox_gb: string;
  archive_gb: string;
  public_folder_gb: string;
  file_gb: string;
  pcs: string;
  phones: string;
  sites: string;
  users_to_train: string;
  complexity: string;
}

/** The estimator's coefficients; decimals as strings, nested maps per source and complexity. */
export interface Coefficients {
  hourly_rate: string;
  hourly_cost: string;
  hours_per_mailbox: Record<string, string>;
  hours_per_shared_mailbox: string;
  licence_price: string;
  licence_cost: string;
  contingency_percent: Record<string, string>;
  throughput_gb_per_hour: string;
  [key: string]: unknown;
}

export interface QuoteForm {
  customer_id: number | null;
  title: string;
  currency: string;
  quote_date: string;
  valid_until: string;
  term_months: string;
  win_probability_percent: string;
  expected_start: string;
  use_estimator: boolean;
  estimator: EstimatorForm;
  coefficients: Coefficients;
  lines: LineForm[];
  notes: string;
  terms: string;
  /** The mailbox inventory's risk flags, kept with the quote. */
  inventory_flags: RiskFlag[];
}

export interface RiskFlag {
  code: string;
  severity: "warning" | "error";
  message: string;
  line?: number;
}

export interface Estimate {
  lines: { description: string; quantity: string; unit: string; unit_price: string; amount: string }[];
  total_hours: string;
  data_gb: string;
  migration_days: number;
  labour_total: string;
  one_time_total: string;
  warnings: RiskFlag[];
}

export interface PricedLine {
  description: string;
  quantity: string;
  unit: string;
  unit_price: string;
  unit_cost: string | null;
  discount_percent: string | null;
  tax_rate_percent: string | null;
  kind: LineKind;
  source: LineForm["source"];
  catalog_item_id: number | null;
  net: string;
  cost: string;
}

/** EN 16931 VAT categories (DOMAIN.md §9). */
export type TaxCategory = "S" | "Z" | "AE" | "K" | "O" | "G" | "E";
export type TaxTreatment = "auto" | "domestic" | "reverse_charge" | "outside_eu" | "exempt";

export interface TaxRow {
  rate_percent: string;
  category: TaxCategory;
  base: string;
  tax: string;
}

export interface QuotePart {
  net: string;
  cost: string;
  margin: string;
  margin_percent: string | null;
  taxes: TaxRow[];
  tax_total: string;
  total: string;
}

export interface QuoteTotals {
  one_time: QuotePart;
  monthly: QuotePart;
  annual: QuotePart;
  first_year: string;
  contract_value: string;
  annuity_value: string;
}

export interface QuoteEvaluation {
  errors: FieldErrorDto[];
  estimate: Estimate | null;
  rows: { form: LineForm; net: string | null }[];
  lines: PricedLine[];
  totals: QuoteTotals | null;
  tax_treatment: TaxTreatment | null;
}

export interface FieldErrorDto {
  field: string;
  message: string;
}

export type QuoteStatus = "draft" | "sent" | "accepted" | "declined" | "superseded";

export interface QuoteRecord {
  id: number;
  number: string;
  version: number;
  parent_id: number | null;
  customer_id: number;
  customer_name: string;
  status: QuoteStatus;
  shown_status: QuoteStatus | "expired";
  editable: boolean;
  form: QuoteForm;
  lines: PricedLine[];
  totals: QuoteTotals | null;
  tax_treatment: TaxTreatment | null;
  estimate: Estimate | null;
  sent_at: string | null;
  decided_at: string | null;
}

export interface QuoteRow {
  id: number;
  number: string;
  version: number;
  customer_id: number;
  customer: string;
  title: string;
  status: QuoteStatus | "expired";
  currency: string;
  quote_date: string;
  valid_until: string;
  win_probability_percent: string;
  one_time: string;
  monthly: string;
  annual: string;
  first_year: string;
}

export interface AcceptOutcome {
  quote_id: number;
  number: string;
  subscriptions: number[];
  invoice_id: number | null;
  scheduled_invoice_id: number | null;
}

export interface Inventory {
  user_mailboxes: number;
  shared_mailboxes: number;
  mailbox_gb: string;
  archive_gb: string;
  rows_read: number;
  errors: { line: number; reason_code: string; reason: string }[];
  warnings: RiskFlag[];
}

export type InvoiceStatus = "draft" | "issued" | "partially_paid" | "paid" | "overdue" | "refund_due" | "void";

export interface InvoiceRow {
  id: number;
  number: string | null;
  kind: "invoice" | "credit_note" | "imported";
  credits: string | null;
  customer_id: number;
  customer: string;
  status: InvoiceStatus;
  issue_date: string | null;
  due_date: string | null;
  currency: string;
  total: string;
  paid: string;
  credited: string;
  balance: string;
  /** A draft waiting for this date (the rest of a project after its deposit). */
  scheduled_on: string | null;
}

export interface CurrencyTotal {
  currency: string;
  count: number;
  total: string;
  balance: string;
}

export interface InvoiceList {
  invoices: InvoiceRow[];
  totals: CurrencyTotal[];
}

export interface DocTotalsDto {
  subtotal: string;
  taxes: TaxRow[];
  tax_total: string;
  total: string;
}

export interface InvoiceDetail extends InvoiceRow {
  lines: { description: string; quantity: string; unit: string; unit_price: string; discount_percent: string | null; tax_rate_percent: string | null; goods: boolean }[];
  nets: string[];
  totals: DocTotalsDto;
  /** Negative for a refund or a reversal; `reverses` names the payment a reversal cancels. */
  payments: { id: number; amount: string; paid_on: string; method: string; reference: string; reverses: number | null; reversed: boolean }[];
  line_ids: number[];
  creditable: string[];
  credit_notes: { id: number; number: string; issue_date: string; total: string }[];
  period: string | null;
  notes: string;
  /** Why a credit note was issued. */
  reason: string;
  tax_treatment: TaxTreatment;
  exemption_reason: string;
  /** Handed to the mail app (UTC timestamp, address). */
  sent: { sent_at: string; to_address: string }[];
  /** The payment reminders that listed it (level 1 first, 2 second, 3 final). */
  reminders: { id: number; level: number; reminded_on: string }[];
}

/** A customer with overdue invoices in one currency (`remindable`). */
export interface Remindable {
  customer_id: number;
  customer: string;
  currency: string;
  invoices: number;
  open: string;
  next_level: number;
  last_reminded: string | null;
}

/** A payment reminder's letter (`preview_reminder`, and `create_reminder` with its id). */
export interface ReminderPlan {
  id?: number;
  level: number;
  date: string;
  pay_by: string;
  currency: string;
  lines: { invoice_id: number; number: string; issue_date: string; due_date: string; days_overdue: number; open: string; interest: string }[];
  open: string;
  interest: string;
  interest_percent: string;
  fee: string;
  total: string;
}

export interface DraftLineForm {
  id: number | null;
  description: string;
  quantity: string;
  unit: string;
  unit_price: string;
  discount_percent: string;
  tax_rate_percent: string;
  goods?: boolean;
}

export interface DraftForm {
  customer_id: number | null;
  notes: string;
  lines: DraftLineForm[];
}

export interface DraftPreview {
  nets: string[];
  totals: DocTotalsDto;
  tax_treatment: TaxTreatment;
}

export interface SubscriptionForm {
  customer_id: number | null;
  catalog_item_id: number | null;
  description: string;
  quantity: string;
  unit: string;
  unit_price: string;
  unit_cost: string;
  discount_percent: string;
  tax_rate_percent: string;
  interval: string;
  start_date: string;
  end_date: string;
  /** A Microsoft licence's NCE terms (§10); "" for a plain subscription. */
  term: string;
  billing: string;
  coterm_with: string;
  auto_renew: boolean | null;
  ms_subscription_id: string;
  ms_product_id: string;
  ms_sku_id: string;
}

export interface LicenceRow {
  term: "P1M" | "P1Y" | "P3Y";
  billing: "monthly" | "annual" | "upfront";
  term_start: string;
  term_end: string;
  renewal_month: string;
  auto_renew: boolean;
  ms_subscription_id: string;
  ms_product_id: string;
  ms_sku_id: string;
  /** Seats from the renewal on, when a reduction waits for it. */
  seats_at_renewal: string | null;
  /** Seats still inside their 7-day window, each with its last day. */
  open_windows: { seats: string; until: string }[];
}

/** What saving a subscription did to a licence's seats (§10). */
export interface SavedSubscription {
  id: number;
  added: string;
  removed: string;
  /** [seats, the day it renews] when a reduction waits for the renewal. */
  at_renewal: [string, string] | null;
  credit_notes: string[];
}

export interface Renewal {
  subscription_id: number;
  customer_id: number;
  customer: string;
  description: string;
  term: string;
  renews_on: string;
  auto_renew: boolean;
  seats: string;
  seats_at_renewal: string;
  value: string;
  interval: string;
  currency: string;
}

export type FindingKind = "unbilled_seats" | "billed_not_bought" | "cost_differs" | "unmatched_charge";

export type ReconcileFix =
  | { action: "set_quantity"; subscription_id: number; quantity: string }
  | { action: "end"; subscription_id: number }
  | { action: "set_cost"; subscription_id: number; unit_cost: string }
  | { action: "add_subscription"; customer_id: number; ms_subscription_id: string; product_id: string; sku_id: string; sku_name: string; quantity: string; monthly_cost: string };

export interface Finding {
  kind: FindingKind;
  customer_id: number | null;
  customer: string;
  subscription_id: number | null;
  ms_subscription_id: string;
  sku: string;
  description: string;
  quantity: string;
  amount: string;
  currency: string;
  line: number | null;
  fix: ReconcileFix | null;
}

export interface CustomerMargin {
  customer_id: number;
  customer: string;
  currency: string;
  billed: string;
  cost: string;
  margin: string;
}

export interface Reconciliation {
  period: string;
  findings: Finding[];
  customers: CustomerMargin[];
  totals: CustomerMargin[];
  matched: number;
  groups: number;
  summary: ImportPreview;
}

export interface BillingRun {
  period: string;
  invoices: { customer_id: number; customer: string; currency: string; net: string; lines: { subscription_id: number; description: string; amount: string }[] }[];
  already_billed: number;
  totals: Record<string, string>;
  created: number[];
}

export interface SubscriptionRow {
  id: number;
  customer_id: number;
  customer: string;
  description: string;
  currency: string;
  quantity: string;
  unit: string;
  unit_price: string;
  discount_percent: string;
  interval: "monthly" | "annual" | "triennial";
  start_date: string;
  end_date: string | null;
  amount: string;
  active: boolean;
  last_billed: string | null;
  licence: LicenceRow | null;
}

/** Projection assumptions as the form sends them (decimals as strings). */
export interface AssumptionsForm {
  start: string;
  months: string;
  currency: string;
  churn_percent: string;
  expansion_percent: string;
  uplift_percent: string;
  projects_per_month: string;
  seats_per_project: string;
  price_per_seat: string;
  cost_per_seat: string;
  fee_per_project: string;
  include_accepted: boolean;
  include_pipeline: boolean;
}

export interface ProjectionRow {
  month: number;
  period: string;
  label: string;
  mrr: string;
  arr: string;
  recurring_cost: string;
  recurring_margin: string;
  one_time: string;
  cumulative_recurring: string;
  cumulative_one_time: string;
}

export interface ProjectionReport {
  currency: string;
  start: string;
  months: number;
  rows: ProjectionRow[];
  layers: { label: string; values: string[] }[];
  summary: {
    end_mrr: string;
    end_arr: string;
    total_recurring: string;
    total_recurring_margin: string;
    total_one_time: string;
    crossover_month: number | null;
    crossover_period: string | null;
    crossover_text: string;
  };
}

export interface Scenario {
  id: number;
  name: string;
  is_default: boolean;
  assumptions: AssumptionsForm;
}

/** A number series as Settings › Numbering shows it. */
export interface SeriesState {
  sequence: "invoice" | "credit_note";
  template: string;
  taken: number;
  next_number: string;
  next_value: number;
  continued: string[];
}
