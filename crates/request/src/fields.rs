//! How request fields are read from text (a query string, a form) where
//! serde's own reading does not fit.

use serde::{Deserialize, Deserializer};

/// A comma-separated list (`a,b`), empty items left out; also a sequence.
pub(crate) fn comma_list<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Given {
        Text(String),
        List(Vec<String>),
    }
    let items = match Option::<Given>::deserialize(d)? {
        None => Vec::new(),
        Some(Given::Text(text)) => text.split(',').map(str::to_string).collect(),
        Some(Given::List(list)) => list,
    };
    Ok(items
        .into_iter()
        .map(|i| i.trim().to_string())
        .filter(|i| !i.is_empty())
        .collect())
}
