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
/// letters or digits at either end (empty when `text` has none).
///
/// Ids stay ASCII so IRIs stay readable, and two texts that differ in
/// more than case and punctuation never share a slug: letters and digits
/// outside ASCII are transliterated (`Ølberg` → `olberg`, `帖书文` →
/// `tie-shu-wen`) and followed by a short hash of the text as written
/// (case-folded), since transliterations collide (`Ølberg` and `Olberg`;
/// Chinese names of one reading). Names keep every character.
pub fn slugify(text: &str) -> String {
    let unicode = unicode_slug(text);
    if unicode.is_ascii() {
        return unicode;
    }
    let ascii = ascii_slug(&deunicode::deunicode(text));
    let hash = fnv1a(unicode.as_bytes()) & 0xff_ffff_ffff;
    if ascii.is_empty() {
        format!("{hash:010x}")
    } else {
        format!("{ascii}-{hash:010x}")
    }
}

/// [`slugify`] of ASCII text: every other character a separator.
fn ascii_slug(text: &str) -> String {
    slug_by(text, |c| c.is_ascii_alphanumeric())
}

/// The same rule over Unicode letters and digits: what two texts must share
/// to be one id.
fn unicode_slug(text: &str) -> String {
    slug_by(text, char::is_alphanumeric)
}

/// `text` lowercased, its letters and digits (as `alphanumeric` says), `_`
/// and `.` kept, every run of other characters one `-`, and only letters
/// or digits at either end.
fn slug_by(text: &str, alphanumeric: fn(char) -> bool) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if alphanumeric(c) || c == '_' || c == '.' {
            out.extend(c.to_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches(|c: char| !alphanumeric(c)).to_string()
}

/// FNV-1a, 64 bits: a hash that never changes between builds or machines.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, b| {
        (hash ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_made_from_any_text() {
        for (text, slug) in [
            ("Allied Irish Banks Plc", "allied-irish-banks-plc"),
            ("  24SEVENOFFICE ASA ", "24sevenoffice-asa"),
            ("Grete Rustad-Ølberg", "grete-rustad-olberg-6c13789a3e"),
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
    fn texts_that_differ_beyond_case_and_punctuation_never_share_a_slug() {
        let distinct = [
            "Grete Rustad-Ølberg",
            "Grete Rustad-Olberg",
            "帖书文",
            "铁书文",
            "帖书文 1981",
            "Bjørn",
            "Bjorn",
            "Björn",
        ];
        let slugs: Vec<String> = distinct.iter().map(|t| slugify(t)).collect();
        for (i, a) in slugs.iter().enumerate() {
            assert!(is_slug(a), "{a}");
            for b in &slugs[i + 1..] {
                assert_ne!(a, b);
            }
        }
        // Case and punctuation alone do not make another id, in any script.
        assert_eq!(
            slugify("GRETE RUSTAD-ØLBERG"),
            slugify("Grete  Rustad Ølberg")
        );
        assert_eq!(slugify("Mr Liu Hong-Ling"), slugify("MR  LIU HONG LING"));
        assert!(
            slugify("帖书文").starts_with("tie-shu-wen-"),
            "{}",
            slugify("帖书文")
        );
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
