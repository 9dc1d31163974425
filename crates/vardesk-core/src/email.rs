//! A document sent by e-mail, as a draft the partner's own mail app opens and sends: an
//! RFC 5322 message with MIME attachments (RFC 2045–2047, 2231), marked `X-Unsent: 1` so
//! Outlook, Apple Mail and Thunderbird open it as a new message rather than a received one.

use base64::Engine;
use chrono::{DateTime, FixedOffset};

/// One attached file.
#[derive(Debug, Clone, PartialEq)]
pub struct Attachment {
    pub file_name: String,
    /// e.g. `application/pdf`, `application/xml`.
    pub media_type: &'static str,
    pub bytes: Vec<u8>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    /// The company's name and address (may be empty: the mail app fills in its account).
    pub from_name: String,
    pub from_address: String,
    pub to_name: String,
    pub to_address: String,
    pub subject: String,
    pub body: String,
    pub attachments: Vec<Attachment>,
    pub date: DateTime<FixedOffset>,
    /// Unique per message and stable for the same document and time (`<…@vardesk>`).
    pub message_id: String,
}

/// The message as `.eml` bytes (CRLF line ends, 7-bit: every part is encoded).
pub fn to_eml(d: &Draft) -> Vec<u8> {
    let boundary = format!("=_vardesk_{}", hex(d.message_id.as_bytes()));
    let mut m = String::new();
    let mut header = |name: &str, value: &str| {
        m.push_str(name);
        m.push_str(": ");
        m.push_str(value);
        m.push_str("\r\n");
    };
    header("MIME-Version", "1.0");
    header("Date", &d.date.to_rfc2822());
    header("Message-ID", &format!("<{}>", d.message_id));
    if !d.from_address.is_empty() {
        header("From", &mailbox(&d.from_name, &d.from_address));
    }
    header("To", &mailbox(&d.to_name, &d.to_address));
    header("Subject", &encoded_words(&d.subject));
    header("X-Unsent", "1");
    header(
        "Content-Type",
        &format!("multipart/mixed;\r\n boundary=\"{boundary}\""),
    );
    m.push_str("\r\n");
    m.push_str(&format!("--{boundary}\r\n"));
    m.push_str("Content-Type: text/plain; charset=utf-8\r\n");
    m.push_str("Content-Transfer-Encoding: base64\r\n\r\n");
    m.push_str(&wrapped_base64(
        d.body
            .replace("\r\n", "\n")
            .replace('\n', "\r\n")
            .as_bytes(),
    ));
    for a in &d.attachments {
        m.push_str(&format!("--{boundary}\r\n"));
        m.push_str(&format!(
            "Content-Type: {};\r\n name=\"{}\"\r\n",
            a.media_type,
            ascii_fallback(&a.file_name)
        ));
        m.push_str("Content-Transfer-Encoding: base64\r\n");
        m.push_str(&format!(
            "Content-Disposition: attachment;\r\n filename=\"{}\";\r\n{}\r\n\r\n",
            ascii_fallback(&a.file_name),
            rfc2231("filename", &a.file_name)
        ));
        m.push_str(&wrapped_base64(&a.bytes));
    }
    m.push_str(&format!("--{boundary}--\r\n"));
    m.into_bytes()
}

/// `"Name" <address>`, the name as encoded words when it is not plain ASCII.
fn mailbox(name: &str, address: &str) -> String {
    let name = name.trim();
    if name.is_empty() {
        format!("<{address}>")
    } else if name.is_ascii() {
        let quoted = name.replace('\\', "\\\\").replace('"', "\\\"");
        format!("\"{quoted}\" <{address}>")
    } else {
        format!("{}\r\n <{address}>", encoded_words(name))
    }
}

/// RFC 2047: ASCII text stays as it is; anything else becomes `=?utf-8?B?…?=` words of
/// whole characters, short enough for a header line.
fn encoded_words(text: &str) -> String {
    let text: String = text.chars().filter(|c| !c.is_control()).collect();
    if text.is_ascii() {
        return text;
    }
    let mut words = Vec::new();
    let mut chunk = String::new();
    for c in text.chars() {
        if chunk.len() + c.len_utf8() > 30 {
            words.push(std::mem::take(&mut chunk));
        }
        chunk.push(c);
    }
    words.push(chunk);
    words
        .iter()
        .map(|w| {
            format!(
                "=?utf-8?B?{}?=",
                base64::engine::general_purpose::STANDARD.encode(w)
            )
        })
        .collect::<Vec<_>>()
        .join("\r\n ")
}

fn wrapped_base64(bytes: &[u8]) -> String {
    let encoded = base64::engine::general_purpose::STANDARD.encode(bytes);
    let mut out = String::with_capacity(encoded.len() + encoded.len() / 38 + 2);
    for line in encoded.as_bytes().chunks(76) {
        out.push_str(std::str::from_utf8(line).unwrap_or_default());
        out.push_str("\r\n");
    }
    out
}

/// The file name for mail apps that do not read RFC 2231: ASCII, no quotes.
fn ascii_fallback(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// An RFC 2231 parameter in UTF-8: unreserved characters as they are, every other byte
/// `%XX`, continued over folded lines (`name*0*=…; name*1*=…`) when long.
fn rfc2231(name: &str, value: &str) -> String {
    let pieces: Vec<String> = value
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    let mut sections = vec![String::new()];
    for piece in pieces {
        if sections.last().is_some_and(|s| s.len() + piece.len() > 54) {
            sections.push(String::new());
        }
        if let Some(last) = sections.last_mut() {
            last.push_str(&piece);
        }
    }
    if sections.len() == 1 {
        return format!(" {name}*=UTF-8''{}", sections[0]);
    }
    sections
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let charset = if i == 0 { "UTF-8''" } else { "" };
            format!(" {name}*{i}*={charset}{s}")
        })
        .collect::<Vec<_>>()
        .join(";\r\n")
}

fn hex(bytes: &[u8]) -> String {
    // Short and boundary-safe: a boundary may not appear in the encoded parts, and base64
    // never contains "=_".
    bytes.iter().take(20).map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft() -> Draft {
        Draft {
            from_name: "Müller \"IT\" & Söhne".into(),
            from_address: "billing@mueller.de".into(),
            to_name: "Zoë Ångström".into(),
            to_address: "zoe@angstrom.se".into(),
            subject: "Rechnung INV-2026-0001 von Müller & Söhne GmbH — Dezember".into(),
            body: "Guten Tag,\nanbei die Rechnung.\n\nMit freundlichen Grüßen".into(),
            attachments: vec![Attachment {
                file_name: "Rechnung INV-2026-0001 Müller.pdf".into(),
                media_type: "application/pdf",
                bytes: (0..=255u8).cycle().take(5000).collect(),
            }],
            date: DateTime::parse_from_rfc3339("2026-11-27T10:15:00+01:00").unwrap(),
            message_id: "inv-17-20261127101500@vardesk".into(),
        }
    }

    #[test]
    fn the_message_is_seven_bit_with_crlf_lines_under_the_limit() {
        let eml = to_eml(&draft());
        assert!(eml.is_ascii());
        let text = String::from_utf8(eml).unwrap();
        assert!(!text.replace("\r\n", "").contains('\n'), "bare LF");
        let long: Vec<&str> = text.lines().filter(|l| l.len() > 78).collect();
        assert!(long.is_empty(), "lines over 78: {long:?}");
        assert!(text.contains("\r\nX-Unsent: 1\r\n"));
        assert!(text.contains(" filename*=UTF-8''Rechnung%20INV-2026-0001%20M%C3%BCller.pdf"));
        assert!(text.contains("From: =?utf-8?B?"));
        assert!(text.ends_with("--\r\n"));
    }

    #[test]
    fn encoded_words_decode_back_to_the_subject() {
        let subject = draft().subject;
        let words = encoded_words(&subject);
        let decoded: String = words
            .split("\r\n ")
            .map(|w| {
                let inner = w.trim_start_matches("=?utf-8?B?").trim_end_matches("?=");
                let bytes = base64::engine::general_purpose::STANDARD
                    .decode(inner)
                    .unwrap();
                String::from_utf8(bytes).expect("whole characters per word")
            })
            .collect();
        assert_eq!(decoded, subject);
        assert_eq!(encoded_words("Invoice INV-1"), "Invoice INV-1");
        // A header cannot be split by a line break typed into a name.
        assert_eq!(encoded_words("Evil\r\nBcc: x@y"), "EvilBcc: x@y");
        assert_eq!(mailbox("A \"B\"", "a@b.c"), "\"A \\\"B\\\"\" <a@b.c>");
    }
}
