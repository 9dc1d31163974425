//! VarDesk's rules: money, rounding and every calculation of DOMAIN.md, as pure functions
//! over plain structs. No Tauri, no SQLite, no files and no clock: dates come in.

pub mod annuity;
pub mod billing;
pub mod billing_run;
pub mod bounds;
pub mod calc;
pub mod catalog;
pub mod credit;
pub mod customer;
pub mod deposit;
pub mod einvoice;
pub mod email;
pub mod error;
pub mod estimate;
pub mod format;
pub mod girocode;
pub mod i18n;
pub mod inventory;
pub mod invoicing;
pub mod language;
pub mod lines;
pub mod mapping;
pub mod money;
pub mod nce;
pub mod numbering;
pub mod open_invoices;
pub mod price_list;
pub mod projection;
pub mod quote;
pub mod reconcile;
pub mod reminder;
pub mod search;
pub mod settings;
pub mod standing;
pub mod subscription_import;
pub mod textfile;
pub mod treatment;
pub mod vat;

pub use error::{CoreError, ErrorCode, FieldError};
pub use money::{round_dp, Currency};
