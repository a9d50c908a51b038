//! Ids for imported things: whatever the source calls them, made into the
//! slugs interlock IRIs are built from.

/// `text` lowercased, with every run of characters other than ASCII letters,
/// digits, `_` and `.` turned into one `-`, and no `-` at either end.
/// Letters with accents lose them only by becoming `-`: ids stay ASCII so
/// IRIs stay readable; names keep every character.
pub(crate) fn slug(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii_alphanumeric() || c == '_' || c == '.' {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let trimmed = out.trim_matches(|c| c == '-' || c == '.' || c == '_');
    trimmed.to_string()
}

/// `None` when `id` is a slug as [`slug`] makes them, else why it is not,
/// naming it as `what` ("dataset id").
pub(crate) fn not_a_slug(id: &str, what: &str) -> Option<String> {
    (id.is_empty() || slug(id) != id).then(|| {
        format!("{what} '{id}' is not a slug; expected lowercase letters, digits, '-', '_' or '.'")
    })
}

#[cfg(test)]
mod tests {
    use super::slug;

    #[test]
    fn slugs() {
        assert_eq!(slug("Allied Irish Banks Plc"), "allied-irish-banks-plc");
        assert_eq!(slug("  24SEVENOFFICE ASA "), "24sevenoffice-asa");
        assert_eq!(slug("Grete Rustad-Ølberg"), "grete-rustad-lberg");
        assert_eq!(slug("person-122"), "person-122");
    }
}
