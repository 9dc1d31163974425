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
  errors: ImportRowError[];
  ignored_columns: string[];
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
  default_currency: string;
  locale: string;
  default_tax_rate_percent: string;
  payment_terms_days: string;
  invoice_number_template: string;
  credit_note_number_template: string;
  paper_size: string;
  churn_percent: string;
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
}
