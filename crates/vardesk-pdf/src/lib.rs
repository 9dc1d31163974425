//! VarDesk's documents as PDF bytes. In: view models with the figures already computed
//! and formatted by the engine. Out: bytes. No database, no UI.

pub mod documents;
pub mod layout;
pub mod quote;

pub use layout::{warm_up, Paper};

/// Whether `bytes` decode as an image a document can print (PNG or JPEG).
pub fn is_printable_image(bytes: &[u8]) -> bool {
    printpdf::RawImage::decode_from_bytes(bytes, &mut Vec::new())
        .is_ok_and(|i| i.width > 0 && i.height > 0)
}
