//! The mailbox inventory parser (Get-MailboxStatistics exports) on arbitrary bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vardesk_core::inventory::parse_inventory;

fuzz_target!(|data: &[u8]| {
    if let Ok(inventory) = parse_inventory(data) {
        assert!(inventory.errors.len() as u64 <= inventory.rows_read as u64);
    }
});
