//! How request fields are read from text (a query string, a form): an empty
//! optional field is a field not given, as HTML forms send them.

use serde::{Deserialize, Deserializer};

/// An optional text where empty means absent.
pub(crate) fn blank_is_none<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let text = Option::<String>::deserialize(d)?;
    Ok(text.filter(|t| !t.is_empty()))
}

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
