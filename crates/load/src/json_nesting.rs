//! A reader that stops JSON nested too deep before a JSON-LD parser sees it.
//!
//! Oxigraph's JSON-LD parser takes time and memory quadratic in nesting
//! depth (measured: 5,000 levels, 40 KB of input, took 8 s and 5 GB;
//! 10,000 levels 36 s and 19 GB). Real JSON-LD nests a few levels, so a
//! document deeper than [`MAX_JSON_LD_NESTING`] is refused as it streams
//! in, with where the limit was passed.

use oxigraph::io::RdfFormat;
use std::io::Read;

/// The deepest a JSON-LD document may nest objects and arrays: 1,000
/// levels cost the parser 0.4 s and 200 MB, 256 a few MB.
pub const MAX_JSON_LD_NESTING: usize = 256;

/// Wraps a reader of JSON; reading fails with `InvalidData` once objects
/// and arrays nest deeper than [`MAX_JSON_LD_NESTING`].
pub struct JsonNestingLimit<R> {
    inner: R,
    depth: usize,
    in_string: bool,
    escaped: bool,
    offset: u64,
}

impl<R: Read> JsonNestingLimit<R> {
    /// Reads `inner` through the limit.
    pub fn new(inner: R) -> Self {
        JsonNestingLimit {
            inner,
            depth: 0,
            in_string: false,
            escaped: false,
            offset: 0,
        }
    }

    fn track(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        for &b in bytes {
            self.offset += 1;
            if self.in_string {
                match (self.escaped, b) {
                    (true, _) => self.escaped = false,
                    (false, b'\\') => self.escaped = true,
                    (false, b'"') => self.in_string = false,
                    _ => {}
                }
                continue;
            }
            match b {
                b'"' => self.in_string = true,
                b'{' | b'[' => {
                    self.depth += 1;
                    if self.depth > MAX_JSON_LD_NESTING {
                        return Err(std::io::Error::new(
                            std::io::ErrorKind::InvalidData,
                            format!(
                                "JSON-LD nests deeper than the limit of {MAX_JSON_LD_NESTING} levels at byte {}",
                                self.offset
                            ),
                        ));
                    }
                }
                b'}' | b']' => self.depth = self.depth.saturating_sub(1),
                _ => {}
            }
        }
        Ok(())
    }
}

/// `reader` as an RDF parser of `format` should read it: JSON-LD through
/// [`JsonNestingLimit`], every other format as it is.
pub fn rdf_reader<'a>(reader: impl Read + 'a, format: RdfFormat) -> Box<dyn Read + 'a> {
    match format {
        RdfFormat::JsonLd { .. } => Box::new(JsonNestingLimit::new(reader)),
        _ => Box::new(reader),
    }
}

impl<R: Read> Read for JsonNestingLimit<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.track(&buf[..n])?;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_all(text: &str) -> Result<usize, String> {
        let mut out = Vec::new();
        JsonNestingLimit::new(text.as_bytes())
            .read_to_end(&mut out)
            .map_err(|e| e.to_string())
    }

    #[test]
    fn nesting_past_the_limit_is_refused_where_it_passes() {
        let deep = |n: usize| format!("{}1{}", "[".repeat(n), "]".repeat(n));
        let table: Vec<(String, Result<usize, String>)> = vec![
            (deep(256), Ok(513)),
            (
                deep(257),
                Err("JSON-LD nests deeper than the limit of 256 levels at byte 257".into()),
            ),
            // Brackets in strings, escaped quotes included, do not count.
            (
                format!(
                    "{{\"a\": \"{}\\\"{}\"}}",
                    "[".repeat(1_000),
                    "{".repeat(1_000)
                ),
                Ok(2_011),
            ),
            // Siblings do not add up.
            (vec![deep(200); 100].join(","), Ok(100 * 401 + 99)),
        ];
        for (text, expected) in table {
            assert_eq!(read_all(&text), expected, "{}", &text[..40.min(text.len())]);
        }
    }
}
