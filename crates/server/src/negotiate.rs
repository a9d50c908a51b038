//! Content negotiation: pick the best media type an `Accept` header allows.

/// One media range of an `Accept` header with its quality.
#[derive(Debug, Clone, PartialEq)]
struct Range {
    kind: String,
    subtype: String,
    q: f32,
    order: usize,
}

fn parse_accept(header: &str) -> Vec<Range> {
    let mut ranges = Vec::new();
    for (order, part) in header.split(',').enumerate() {
        let mut pieces = part.split(';');
        let media = pieces.next().unwrap_or("").trim().to_ascii_lowercase();
        if media.is_empty() {
            continue;
        }
        let (kind, subtype) = match media.split_once('/') {
            Some((k, s)) => (k.trim().to_string(), s.trim().to_string()),
            None if media == "*" => ("*".to_string(), "*".to_string()),
            None => continue,
        };
        let mut q = 1.0;
        for param in pieces {
            if let Some((name, value)) = param.split_once('=')
                && name.trim().eq_ignore_ascii_case("q")
            {
                q = value.trim().parse().unwrap_or(0.0);
            }
        }
        ranges.push(Range {
            kind,
            subtype,
            q,
            order,
        });
    }
    ranges
}

/// How specifically a range matches `media` (`None` when it does not):
/// exact type beats `type/*`, which beats `*/*`.
fn specificity(range: &Range, media: &str) -> Option<u8> {
    let (kind, subtype) = media.split_once('/')?;
    if range.kind == "*" && range.subtype == "*" {
        Some(0)
    } else if range.kind == kind && range.subtype == "*" {
        Some(1)
    } else if range.kind == kind && range.subtype == subtype {
        Some(2)
    } else {
        None
    }
}

/// The best of `offers` (media types, our preference first) for `accept`;
/// the first offer when there is no `Accept` header; `None` when nothing
/// acceptable is offered (406).
pub fn negotiate<'a>(accept: Option<&str>, offers: &[&'a str]) -> Option<&'a str> {
    let Some(accept) = accept.filter(|a| !a.trim().is_empty()) else {
        return offers.first().copied();
    };
    let ranges = parse_accept(accept);
    let mut best: Option<(f32, usize, usize, &str)> = None; // (q, offer rank reversed, -, media)
    for (rank, offer) in offers.iter().enumerate() {
        // The quality of an offer is that of the most specific range matching it.
        let matched = ranges
            .iter()
            .filter_map(|r| specificity(r, offer).map(|s| (s, r)))
            .max_by(|(s1, r1), (s2, r2)| s1.cmp(s2).then(r2.order.cmp(&r1.order)));
        let Some((_, range)) = matched else {
            continue;
        };
        if range.q <= 0.0 {
            continue;
        }
        let better = match best {
            None => true,
            Some((q, _, _, _)) => range.q > q,
        };
        if better {
            best = Some((range.q, rank, range.order, offer));
        }
    }
    best.map(|(_, _, _, media)| media)
}

#[cfg(test)]
mod tests {
    use super::negotiate;

    const OFFERS: &[&str] = &[
        "application/sparql-results+json",
        "application/sparql-results+xml",
        "text/csv",
        "text/tab-separated-values",
    ];

    #[test]
    fn picks_by_quality_then_our_preference() {
        assert_eq!(negotiate(None, OFFERS), Some(OFFERS[0]));
        assert_eq!(negotiate(Some("*/*"), OFFERS), Some(OFFERS[0]));
        assert_eq!(negotiate(Some("text/csv"), OFFERS), Some("text/csv"));
        assert_eq!(
            negotiate(
                Some("application/sparql-results+xml;q=0.9, application/sparql-results+json;q=0.5"),
                OFFERS
            ),
            Some("application/sparql-results+xml")
        );
        assert_eq!(
            negotiate(
                Some("application/sparql-results+xml, application/rdf+xml"),
                OFFERS
            ),
            Some("application/sparql-results+xml")
        );
        assert_eq!(
            negotiate(Some("text/*;q=0.5, */*;q=0.1"), OFFERS),
            Some("text/csv")
        );
        assert_eq!(negotiate(Some("image/png"), OFFERS), None);
        assert_eq!(
            negotiate(Some("text/csv;q=0, */*"), OFFERS),
            Some(OFFERS[0])
        );
        assert_eq!(negotiate(Some("*/*, text/csv;q=0"), &["text/csv"]), None);
    }
}
