//! Column mappings saved by name (DOMAIN.md §11) and how an import request becomes the
//! choices it is mapped with: a named mapping, else the one saved for the same header line,
//! else none (automatic), with the user's choices over it.

use rusqlite::{params, OptionalExtension};
use serde::Serialize;
use vardesk_core::mapping::{header_line_key, resolve, Choices, ImportKind, MappingRequest};
use vardesk_core::{textfile, CoreError, ErrorCode};

use crate::{internal, now, DbResult, Result, Store};

/// A saved mapping as lists show it.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct SavedMapping {
    pub name: String,
    pub choices: Choices,
}

/// The choices an import uses, and the name of the saved mapping they came from.
pub struct Chosen {
    pub choices: Choices,
    pub saved: Option<String>,
}

/// The header line of a CSV file, as the importers read it.
pub fn file_headers(bytes: &[u8]) -> Result<Vec<String>> {
    textfile::check_import_size(bytes)?;
    let text = textfile::decode(bytes);
    Ok(textfile::parse_table(&text, None)?.header)
}

impl Store {
    /// The choices for importing a file with `headers` as `request` asks.
    pub fn mapping_choices(
        &self,
        kind: ImportKind,
        headers: &[String],
        request: &MappingRequest,
    ) -> Result<Chosen> {
        let saved = match request.saved.as_deref().map(str::trim) {
            Some(name) if !name.is_empty() && name != "auto" => {
                Some(self.saved_mapping(kind, name)?.ok_or_else(|| {
                    CoreError::new(
                        ErrorCode::NotFound,
                        format!("There is no saved mapping named \"{name}\"."),
                    )
                })?)
            }
            Some(_) => None,
            None => self.mapping_for_headers(kind, headers)?,
        };
        let mut choices = Choices::new();
        let mut name = None;
        if let Some(s) = saved {
            // A saved mapping may name columns this file lacks: only its own columns count.
            choices.extend(
                s.choices
                    .into_iter()
                    .filter(|(h, _)| headers.iter().any(|x| x.trim() == h.trim())),
            );
            name = Some(s.name);
        }
        choices.extend(request.choices.clone());
        Ok(Chosen {
            choices,
            saved: name,
        })
    }

    /// Saves the mapping a file is imported with under `name` (replacing one of that name).
    pub fn save_mapping(
        &mut self,
        kind: ImportKind,
        name: &str,
        headers: &[String],
        choices: &Choices,
    ) -> Result<()> {
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 100 {
            return Err(CoreError::validation(
                "save_as",
                "Name the mapping (at most 100 characters).",
            ));
        }
        // Stored whole: every column with its field, so it maps the same next time.
        let mapping = resolve(kind, headers, choices)?;
        let whole: Choices = headers
            .iter()
            .zip(&mapping)
            .map(|(h, m)| (h.trim().to_string(), m.map(str::to_string)))
            .collect();
        let json = serde_json::to_string(&whole).map_err(|e| internal(e.to_string()))?;
        self.write(|tx| {
            tx.execute(
                "INSERT INTO import_mappings (kind, name, header_key, choices, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT (kind, name) DO UPDATE SET header_key = excluded.header_key,
                    choices = excluded.choices, created_at = excluded.created_at",
                params![kind.as_str(), name, header_line_key(headers), json, now()],
            )
            .db()?;
            Ok(())
        })
    }

    /// After an import: saves its mapping when the request names one to save.
    pub fn remember_mapping(
        &mut self,
        kind: ImportKind,
        bytes: &[u8],
        request: &MappingRequest,
    ) -> Result<()> {
        let Some(name) = request.save_as.as_deref().filter(|n| !n.trim().is_empty()) else {
            return Ok(());
        };
        let headers = file_headers(bytes)?;
        let chosen = self.mapping_choices(kind, &headers, request)?;
        self.save_mapping(kind, name, &headers, &chosen.choices)
    }

    pub fn saved_mapping(&self, kind: ImportKind, name: &str) -> Result<Option<SavedMapping>> {
        self.conn()
            .query_row(
                "SELECT name, choices FROM import_mappings WHERE kind = ?1 AND name = ?2",
                params![kind.as_str(), name.trim()],
                |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)),
            )
            .optional()
            .db()?
            .map(parse_saved)
            .transpose()
    }

    /// The most recently saved mapping for this header line, if any.
    pub fn mapping_for_headers(
        &self,
        kind: ImportKind,
        headers: &[String],
    ) -> Result<Option<SavedMapping>> {
        self.conn()
            .query_row(
                "SELECT name, choices FROM import_mappings WHERE kind = ?1 AND header_key = ?2
                 ORDER BY created_at DESC, id DESC LIMIT 1",
                params![kind.as_str(), header_line_key(headers)],
                |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)),
            )
            .optional()
            .db()?
            .map(parse_saved)
            .transpose()
    }

    /// Every saved mapping of a kind, by name.
    pub fn list_mappings(&self, kind: ImportKind) -> Result<Vec<SavedMapping>> {
        crate::all_rows::<(String, String)>(
            self.conn(),
            "SELECT name, choices FROM import_mappings WHERE kind = ?1 ORDER BY name",
            [kind.as_str()],
        )?
        .into_iter()
        .map(parse_saved)
        .collect()
    }
}

fn parse_saved((name, json): (String, String)) -> Result<SavedMapping> {
    let choices = serde_json::from_str(&json).map_err(|_| {
        CoreError::new(
            ErrorCode::Conflict,
            format!("The saved mapping \"{name}\" is damaged: save it again."),
        )
    })?;
    Ok(SavedMapping { name, choices })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::profiled_store;

    #[test]
    fn a_saved_mapping_is_offered_again_for_the_same_header_line() {
        let (_dir, mut store) = profiled_store();
        let headers: Vec<String> = ["Kundenname", "Stadt", "Spalte X"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let mut choices = Choices::new();
        choices.insert("Spalte X".into(), Some("notes".into()));
        store
            .save_mapping(ImportKind::Customers, "Altes ERP", &headers, &choices)
            .unwrap();
        let chosen = store
            .mapping_choices(ImportKind::Customers, &headers, &MappingRequest::default())
            .unwrap();
        assert_eq!(chosen.saved.as_deref(), Some("Altes ERP"));
        assert_eq!(chosen.choices["Spalte X"].as_deref(), Some("notes"));
        assert_eq!(chosen.choices["Kundenname"].as_deref(), Some("name"));
        // "auto" ignores it; an unknown name is refused.
        let auto = MappingRequest {
            saved: Some("auto".into()),
            ..Default::default()
        };
        let chosen = store
            .mapping_choices(ImportKind::Customers, &headers, &auto)
            .unwrap();
        assert!(chosen.choices.is_empty() && chosen.saved.is_none());
        let missing = MappingRequest {
            saved: Some("Xero".into()),
            ..Default::default()
        };
        assert!(store
            .mapping_choices(ImportKind::Customers, &headers, &missing)
            .is_err());
        assert_eq!(store.list_mappings(ImportKind::Customers).unwrap().len(), 1);
    }
}
