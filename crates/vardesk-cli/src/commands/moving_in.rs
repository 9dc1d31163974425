//! Moving in (CLI.md "Moving in", DOMAIN.md §11): the column-mapping flags every CSV import
//! shares, and one way to preview, report and apply an import.

use serde::Serialize;
use serde_json::{json, Map, Value};
use vardesk_core::mapping::{Choices, MappingRequest};
use vardesk_core::CoreError;

/// `--mapping auto|NAME`, `--map "HEADER=field"` (repeatable; `HEADER=` maps to nothing),
/// `--save-mapping NAME`.
#[derive(clap::Args, Debug, Default)]
pub struct MappingArgs {
    /// `auto` (the default: from the alias table, or as saved for this header line) or the
    /// name of a saved mapping.
    #[arg(long)]
    pub mapping: Option<String>,
    /// Map one column by hand: "HEADER=field", or "HEADER=" to leave it out.
    #[arg(long = "map", value_name = "HEADER=field")]
    pub map: Vec<String>,
    /// Save the mapping used under this name, offered again for the same header line.
    #[arg(long)]
    pub save_mapping: Option<String>,
}

impl MappingArgs {
    pub fn request(&self) -> Result<MappingRequest, CoreError> {
        let mut choices = Choices::new();
        for pair in &self.map {
            let Some((header, field)) = pair.split_once('=') else {
                return Err(CoreError::validation(
                    "map",
                    format!("--map \"{pair}\" needs the form \"HEADER=field\" (or \"HEADER=\")."),
                ));
            };
            let field = field.trim();
            choices.insert(
                header.trim().to_string(),
                (!field.is_empty()).then(|| field.to_string()),
            );
        }
        Ok(MappingRequest {
            // `auto` and no flag alike: a mapping saved for this header line, else the aliases.
            saved: self.mapping.clone().filter(|m| m.trim() != "auto"),
            choices,
            save_as: self.save_mapping.clone(),
        })
    }
}

/// One import from the command line: reads `file`, previews it with the mapping the flags
/// ask for, and applies it unless it is a dry run or has errors.
#[allow(clippy::too_many_arguments)]
pub fn import_file<P: Serialize>(
    store: &mut vardesk_store::Store,
    file: &std::path::Path,
    mapping: &MappingArgs,
    dry_run: bool,
    json: bool,
    what: &str,
    preview: impl FnOnce(&vardesk_store::Store, &[u8], &MappingRequest) -> Result<P, CoreError>,
    apply: impl FnOnce(&mut vardesk_store::Store, &[u8], &MappingRequest) -> Result<u32, CoreError>,
) -> Result<(), CoreError> {
    let bytes = crate::read_file(file)?;
    let request = mapping.request()?;
    let shown = preview(store, &bytes, &request)?;
    run(&shown, what, dry_run, json, || {
        apply(store, &bytes, &request)
    })
}

/// Prints a preview (any of the three imports: rows, valid, errors, ignored columns and the
/// mapping), applies it unless it is a dry run or has errors, and refuses with the first
/// error. `what` names the rows ("customer(s)").
pub fn run(
    preview: &impl Serialize,
    what: &str,
    dry_run: bool,
    json: bool,
    apply: impl FnOnce() -> Result<u32, CoreError>,
) -> Result<(), CoreError> {
    let p = serde_json::to_value(preview).unwrap_or(Value::Null);
    let errors = p["errors"].as_array().cloned().unwrap_or_default();
    let not_shown = p["errors_not_shown"].as_u64().unwrap_or(0);
    let mapping_error = p["mapping_error"].as_str().map(str::to_string);
    let refused = !errors.is_empty() || mapping_error.is_some();
    let imported = if dry_run || refused {
        (!dry_run).then_some(0)
    } else {
        Some(apply()?)
    };
    // The mapping as an object, header → field (null: ignored), as CLI.md shows it.
    let mapping: Map<String, Value> = p["mapping"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|c| {
            (
                c["header"].as_str().unwrap_or_default().to_string(),
                c["field"].clone(),
            )
        })
        .collect();
    if json {
        let mut v = json!({
            "rows": p["rows"],
            "valid": p["valid"],
            "errors": errors,
            "errors_not_shown": not_shown,
            "ignored_columns": p["ignored_columns"],
            "mapping": mapping,
            "mapping_name": p["mapping_name"],
            "mapping_error": p["mapping_error"],
        });
        for extra in [
            "first_months",
            "imported_total",
            "paid_left_out",
            "line_rows",
            "left_out",
            "new_items",
            "changed",
            "removed",
            "unchanged",
            "renewals",
        ] {
            if !p[extra].is_null() {
                v[extra] = p[extra].clone();
            }
        }
        if let Some(n) = imported {
            v["imported"] = json!(n);
        }
        crate::print_json(&v);
    } else {
        for (header, field) in &mapping {
            match field.as_str() {
                Some(f) => println!("{header} → {f}"),
                None => println!("{header} → (ignored)"),
            }
        }
        for e in &errors {
            println!(
                "line {}: {}",
                e["line"],
                e["reason"].as_str().unwrap_or_default()
            );
        }
        if not_shown > 0 {
            println!("… and {not_shown} more row error(s).");
        }
        match imported {
            Some(n) if !refused => println!("Imported {n} {what}."),
            _ => println!("{} row(s), {} valid.", p["rows"], p["valid"]),
        }
    }
    if let Some(why) = mapping_error {
        return Err(CoreError::validation("mapping", why));
    }
    if refused {
        let first = &errors[0];
        return Err(CoreError::validation(
            "file",
            format!(
                "{} row error(s), the first on line {}: {}{}",
                errors.len() as u64 + not_shown,
                first["line"],
                first["reason"].as_str().unwrap_or_default(),
                if dry_run {
                    "."
                } else {
                    "; nothing was imported."
                }
            ),
        ));
    }
    Ok(())
}
