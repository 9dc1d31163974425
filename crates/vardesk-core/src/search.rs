//! Search keys: what a user types should find "Zoë Ångström-Łukasiewicz AB" whether they
//! type "ångström", "ANGSTROM" or "lukasiewicz".

use unicode_normalization::UnicodeNormalization;

/// Lower-cased, accents removed, letters without a decomposition mapped by hand.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.nfd() {
        if unicode_normalization::char::is_combining_mark(c) {
            continue;
        }
        match c {
            'ł' | 'Ł' => out.push('l'),
            'ø' | 'Ø' => out.push('o'),
            'đ' | 'Đ' => out.push('d'),
            'ß' => out.push_str("ss"),
            'æ' | 'Æ' => out.push_str("ae"),
            'œ' | 'Œ' => out.push_str("oe"),
            'þ' | 'Þ' => out.push_str("th"),
            'ı' => out.push('i'),
            _ => out.extend(c.to_lowercase()),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::fold;

    #[test]
    fn folding_finds_what_people_type() {
        let name = fold("Zoë Ångström-Łukasiewicz AB");
        assert!(name.contains(&fold("ångström")));
        assert!(name.contains(&fold("ANGSTROM")));
        assert!(name.contains(&fold("łukasiewicz")));
        assert_eq!(
            fold("Müller & Söhne GmbH Ærø Straße"),
            "muller & sohne gmbh aero strasse"
        );
    }
}
