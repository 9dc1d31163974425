// The IPC types are generated from the Rust types (bindings.ts: what a command replies as
// `X`, what it accepts as `XInput`); this module adds only the UI's own.
export type * from "./bindings";

/** What a CSV file is imported as (DOMAIN.md §11): the `kind` the import commands take. */
export type ImportKind = "customers" | "open_invoices" | "subscriptions" | "reconciliation" | "price_list";
