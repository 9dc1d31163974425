//! The engine's error: a stable code, a plain sentence, and the field it concerns.

use serde::Serialize;

/// The closed set of error codes the UI and CLI branch on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    Validation,
    NotFound,
    /// The change clashes with the state of the books (a quote no longer editable, a
    /// draft already issued, a constraint of the database).
    Conflict,
    /// The data is in use by another VarDesk (the app, or a command still running).
    AlreadyOpen,
    /// The database file is not SQLite, or its pages are damaged: a backup can replace it.
    DamagedData,
    DbTooNew,
    Internal,
}

impl ErrorCode {
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::Validation => "validation",
            ErrorCode::NotFound => "not_found",
            ErrorCode::Conflict => "conflict",
            ErrorCode::AlreadyOpen => "already_open",
            ErrorCode::DamagedData => "damaged_data",
            ErrorCode::DbTooNew => "db_too_new",
            ErrorCode::Internal => "internal",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, specta::Type)]
#[error("{message}")]
pub struct CoreError {
    pub code: ErrorCode,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// Every field that is wrong, when a whole form was checked.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldError>,
}

/// One wrong field of a form, with a sentence saying what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl From<Vec<FieldError>> for CoreError {
    fn from(fields: Vec<FieldError>) -> Self {
        let first = fields.first().cloned().unwrap_or(FieldError {
            field: String::new(),
            message: "The form has errors.".into(),
        });
        CoreError {
            code: ErrorCode::Validation,
            message: first.message,
            field: Some(first.field),
            fields,
        }
    }
}

impl CoreError {
    pub fn validation(field: &str, message: impl Into<String>) -> Self {
        CoreError {
            code: ErrorCode::Validation,
            message: message.into(),
            field: Some(field.to_string()),
            fields: Vec::new(),
        }
    }

    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        CoreError {
            code,
            message: message.into(),
            field: None,
            fields: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ipc_shape_is_pinned() {
        let e = CoreError::validation("email", "\"x\" is not an e-mail address.");
        assert_eq!(
            serde_json::to_string(&e).unwrap(),
            r#"{"code":"validation","message":"\"x\" is not an e-mail address.","field":"email"}"#
        );
        let e = CoreError::new(ErrorCode::DbTooNew, "Update VarDesk.");
        assert_eq!(
            serde_json::to_string(&e).unwrap(),
            r#"{"code":"db_too_new","message":"Update VarDesk."}"#
        );
        let form: CoreError = vec![
            FieldError {
                field: "name".into(),
                message: "The name is required.".into(),
            },
            FieldError {
                field: "email".into(),
                message: "Bad e-mail.".into(),
            },
        ]
        .into();
        let json = serde_json::to_value(&form).unwrap();
        assert_eq!(json["message"], "The name is required.");
        assert_eq!(json["field"], "name");
        assert_eq!(json["fields"][1]["field"], "email");
    }
}
