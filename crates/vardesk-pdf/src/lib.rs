//! VarDesk's documents as PDF bytes. In: view models with the figures already computed
//! and formatted by the engine. Out: bytes. No database, no UI.

pub mod documents;
pub mod layout;
pub mod quote;

pub use layout::{warm_up, Paper};
