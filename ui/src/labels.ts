// The words the window shows for the engine's codes (statuses, kinds, platforms), in one
// place so every screen says the same.
import type { CustomerStatus, InvoiceStatus, LineKind, SubscriptionRow } from "./types";

/** Mail platforms a customer can be on (`Source`), "" for not known. */
export const PLATFORMS: [string, string][] = [
  ["", "Not known"], ["exchange_hybrid", "Exchange (hybrid)"], ["exchange_cutover", "Exchange (cutover)"],
  ["google_workspace", "Google Workspace"], ["imap", "IMAP"], ["other", "Other"],
];

export const CUSTOMER_STATUS: Record<CustomerStatus, string> = { prospect: "Prospect", active: "Active", former: "Former" };

export const INVOICE_STATUS: Record<InvoiceStatus, string> = {
  draft: "Draft", issued: "Issued", partially_paid: "Partially paid", paid: "Paid", overdue: "Overdue", refund_due: "Refund due", void: "Void",
};

/** A quote's stored status, and `expired`: sent and past its validity. */
export const QUOTE_STATUS: Record<string, string> = {
  draft: "Draft", sent: "Sent", expired: "Expired", accepted: "Accepted", declined: "Declined", superseded: "Superseded",
};

export const LINE_KIND: Record<LineKind, string> = { one_time: "One-time", monthly: "Monthly", annual: "Annual" };

export function intervalLabel(interval: SubscriptionRow["interval"]): string {
  return interval === "annual" ? "Yearly" : interval === "triennial" ? "Every 3 years" : "Monthly";
}
