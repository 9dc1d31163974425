//! VarDesk's documents as PDF bytes. In: view models with the figures already computed
//! and formatted by the engine. Out: bytes. No database, no UI.

pub mod blocks;
pub mod invoice;
pub mod layout;
pub mod pdfa;
pub mod print;
pub mod projection;
pub mod quote;
pub mod reconciliation;

pub use layout::{warm_up, Paper};

/// Width and height in pixels when `bytes` decode as an image a document can print.
pub fn image_size(bytes: &[u8]) -> Option<(usize, usize)> {
    printpdf::RawImage::decode_from_bytes(bytes, &mut Vec::new())
        .ok()
        .map(|i| (i.width, i.height))
        .filter(|(w, h)| *w > 0 && *h > 0)
}
