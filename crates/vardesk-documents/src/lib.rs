//! From the books to documents: the view models of quotes, invoices, credit notes and
//! reminders built from the store (every figure from the engine, formatted for the company's
//! locale), rendered by `vardesk-pdf`; the e-mail drafts that carry them; and "Export
//! everything". The one crate that knows both the store and the PDF layout.

pub mod export;
pub mod mail;
pub mod views;
