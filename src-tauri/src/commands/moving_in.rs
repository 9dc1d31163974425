//! Moving in (DOMAIN.md §11): what an import's columns can be mapped to. The imports
//! themselves live with what they import.

use vardesk_core::mapping::{Field, ImportKind};
use vardesk_core::CoreError;

fn kind(text: &str) -> Result<ImportKind, CoreError> {
    ImportKind::parse(text).ok_or_else(|| {
        CoreError::validation(
            "kind",
            format!("\"{text}\" is not something VarDesk imports."),
        )
    })
}

/// The fields a column of a `kind` import can go to, in the order the drop-down lists them.
#[tauri::command]
pub fn import_fields(kind: String) -> Result<Vec<Field>, CoreError> {
    Ok(self::kind(&kind)?.fields().to_vec())
}
