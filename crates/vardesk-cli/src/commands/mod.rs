//! One module per group of commands (`vardesk customers …`, `vardesk invoices …`, …); main.rs
//! parses the line and hands each command to its module.

pub mod customers;
pub mod invoices;
pub mod ledger;
pub mod moving_in;
pub mod projection;
pub mod quotes;
pub mod reconcile;
