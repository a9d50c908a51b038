//! Slugs: the ids that data IRIs are built from (`{base}{entity-id}`,
//! `{base}graph/{dataset-id}`). One rule for every id, whether a person
//! wrote it in a timeline or an import made it from someone else's name.

/// Whether `id` is a slug: ASCII lowercase letters, digits, `-`, `_` and
/// `.`, starting with a letter or a digit.
pub fn is_slug(id: &str) -> bool {
    id.chars().next().is_some_and(|c| c.is_ascii_alphanumeric())
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | '_' | '.'))
}

/// `None` when `id` is a slug, else why not, naming it as `what` ("dataset id").
pub fn not_a_slug(id: &str, what: &str) -> Option<String> {
    (!is_slug(id)).then(|| {
        format!(
            "{what} '{id}' is not a slug; expected lowercase letters, digits, '-', '_' or '.', starting with a letter or digit"
        )
    })
}

/// A slug made from any text: lowercased, every run of characters other
/// than ASCII letters, digits, `_` and `.` turned into one `-`, and only
/// letters or digits at either end (empty when `text` has none). Letters
/// with accents lose them only by becoming `-`: ids stay ASCII so IRIs stay
/// readable; names keep every character.
pub fn slugify(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii_alphanumeric() || c == '_' || c == '.' {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches(|c: char| !c.is_ascii_alphanumeric())
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_made_from_any_text() {
        for (text, slug) in [
            ("Allied Irish Banks Plc", "allied-irish-banks-plc"),
            ("  24SEVENOFFICE ASA ", "24sevenoffice-asa"),
            ("Grete Rustad-Ølberg", "grete-rustad-lberg"),
            ("person-122", "person-122"),
            ("_hidden.", "hidden"),
            ("board_seats.2024", "board_seats.2024"),
            ("!!!", ""),
        ] {
            assert_eq!(slugify(text), slug, "{text}");
            assert!(slug.is_empty() || is_slug(slug), "{slug}");
        }
    }

    #[test]
    fn the_rule() {
        for (id, ok) in [
            ("netflix", true),
            ("reed-hastings", true),
            ("2013.api_v2", true),
            ("", false),
            ("-lead", false),
            (".dot", false),
            ("Netflix", false),
            ("leaks 2024", false),
            ("façade", false),
        ] {
            assert_eq!(is_slug(id), ok, "{id}");
            assert_eq!(not_a_slug(id, "entity id").is_none(), ok, "{id}");
        }
        assert_eq!(
            not_a_slug("Boards!", "dataset id").unwrap(),
            "dataset id 'Boards!' is not a slug; expected lowercase letters, digits, '-', '_' or '.', starting with a letter or digit"
        );
    }
}
