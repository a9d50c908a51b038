//! Long SELECTs read page by page, for stores that cap the rows of one
//! answer (Virtuoso's `ResultSetMaxRows`, and its 2^20 rows over HTTP
//! whatever the setting): the query's own pattern with `ORDER BY` (its own,
//! or every projected variable, so that pages do not overlap) and a
//! `LIMIT`/`OFFSET` for each page.

use spargebra::algebra::{Expression, GraphPattern, OrderExpression};
use spargebra::{Query, SparqlParser};

/// The text of page `number` of `size` rows of `text` (parsed as `query`),
/// or `None` past the query's own `LIMIT` (or for a query that is not a
/// SELECT). Where it can, the page is the query's own text with `ORDER BY`
/// and `LIMIT`/`OFFSET` after it, which the store plans as it plans the
/// query itself; else (the query has its own slice, or ends with `VALUES`)
/// the query put together again from its algebra.
pub(crate) fn page_text(text: &str, query: &Query, number: usize, size: usize) -> Option<String> {
    let paged = page(query, number, size)?;
    if let Query::Select {
        pattern, base_iri, ..
    } = query
        && !matches!(pattern, GraphPattern::Slice { .. })
    {
        let order = match ordered_by(pattern) {
            Some(_) => String::new(),
            None => {
                let variables: Vec<String> =
                    projected(pattern).iter().map(|v| v.to_string()).collect();
                format!("ORDER BY {}", variables.join(" "))
            }
        };
        let appended = format!("{text}\n{order} LIMIT {size} OFFSET {}", number * size);
        let mut parser = SparqlParser::new();
        if let Some(base) = base_iri {
            parser = parser.with_base_iri(base.as_str()).ok()?;
        }
        if parser.parse_query(&appended).is_ok() {
            return Some(appended);
        }
    }
    Some(paged.to_string())
}

/// Page `number` of `size` rows of a SELECT as a sub-select in order, the
/// slice outside it: what Virtuoso asks for past its `MaxSortedTopRows`
/// (it sorts at most that many rows for `ORDER BY … LIMIT … OFFSET`, and
/// keeps a sub-select's order). `None` as for [`page`].
pub(crate) fn nested_page(query: &Query, number: usize, size: usize) -> Option<String> {
    let Query::Select {
        dataset,
        pattern:
            GraphPattern::Slice {
                inner,
                start,
                length,
            },
        base_iri,
    } = page(query, number, size)?
    else {
        return None;
    };
    let variables = projected(&inner);
    let pattern = GraphPattern::Slice {
        inner: Box::new(GraphPattern::Project { inner, variables }),
        start,
        length,
    };
    let nested = Query::Select {
        dataset,
        pattern,
        base_iri,
    };
    Some(nested.to_string())
}

/// The query's own `ORDER BY`, if it has one.
fn ordered_by(pattern: &GraphPattern) -> Option<&[OrderExpression]> {
    match pattern {
        GraphPattern::Distinct { inner }
        | GraphPattern::Reduced { inner }
        | GraphPattern::Slice { inner, .. } => ordered_by(inner),
        GraphPattern::Project { inner, .. } => match inner.as_ref() {
            GraphPattern::OrderBy { expression, .. } => Some(expression),
            _ => None,
        },
        _ => None,
    }
}

/// The variables a SELECT's pattern projects.
pub(crate) fn projected(pattern: &GraphPattern) -> Vec<spargebra::term::Variable> {
    match pattern {
        GraphPattern::Project { variables, .. } => variables.clone(),
        GraphPattern::Distinct { inner }
        | GraphPattern::Reduced { inner }
        | GraphPattern::Slice { inner, .. } => projected(inner),
        _ => Vec::new(),
    }
}

/// Page `number` (from 0) of `size` rows of a SELECT, or `None` when the
/// query's own `LIMIT` ends before it (or the query is not a SELECT).
pub(crate) fn page(query: &Query, number: usize, size: usize) -> Option<Query> {
    let Query::Select {
        dataset,
        pattern,
        base_iri,
    } = query
    else {
        return None;
    };
    let offset = number.checked_mul(size)?;
    let pattern = match pattern {
        GraphPattern::Slice {
            inner,
            start,
            length,
        } => {
            let length = match length {
                Some(length) if offset >= *length => return None,
                Some(length) => size.min(length - offset),
                None => size,
            };
            GraphPattern::Slice {
                inner: Box::new(ordered(inner)),
                start: start + offset,
                length: Some(length),
            }
        }
        other => GraphPattern::Slice {
            inner: Box::new(ordered(other)),
            start: offset,
            length: Some(size),
        },
    };
    Some(Query::Select {
        dataset: dataset.clone(),
        pattern,
        base_iri: base_iri.clone(),
    })
}

/// The pattern with an order: its own `ORDER BY` if it has one, else one by
/// every projected variable, put under the projection.
fn ordered(pattern: &GraphPattern) -> GraphPattern {
    match pattern {
        GraphPattern::Distinct { inner } => GraphPattern::Distinct {
            inner: Box::new(ordered(inner)),
        },
        GraphPattern::Reduced { inner } => GraphPattern::Reduced {
            inner: Box::new(ordered(inner)),
        },
        GraphPattern::Project { inner, variables } => match inner.as_ref() {
            GraphPattern::OrderBy { .. } => pattern.clone(),
            _ => GraphPattern::Project {
                inner: Box::new(GraphPattern::OrderBy {
                    inner: inner.clone(),
                    expression: variables
                        .iter()
                        .map(|v| OrderExpression::Asc(Expression::Variable(v.clone())))
                        .collect(),
                }),
                variables: variables.clone(),
            },
        },
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use spargebra::SparqlParser;

    fn paged(query: &str, number: usize, size: usize) -> Option<String> {
        let query = SparqlParser::new().parse_query(query).unwrap();
        page(&query, number, size).map(|q| unnamed(&q.to_string()))
    }

    fn parsed(query: &str) -> String {
        unnamed(&SparqlParser::new().parse_query(query).unwrap().to_string())
    }

    /// The text with the random names the parser gives aggregates made one.
    fn unnamed(text: &str) -> String {
        let mut out = String::new();
        let mut rest = text;
        while let Some(at) = rest.find('?') {
            out.push_str(&rest[..=at]);
            rest = &rest[at + 1..];
            // 32 hexadecimal digits, or fewer when they start with zeros.
            let hex = rest.bytes().take_while(u8::is_ascii_hexdigit).count();
            if hex >= 24 {
                out.push_str("aggregate");
                rest = &rest[hex..];
            }
        }
        out + rest
    }

    #[test]
    fn pages_keep_the_query_text_where_they_can() {
        let cases = [
            (
                "SELECT ?s WHERE { ?s ?p ?o } # a comment",
                1,
                Some("SELECT ?s WHERE { ?s ?p ?o } # a comment\nORDER BY ?s LIMIT 10 OFFSET 10"),
            ),
            (
                "SELECT ?s WHERE { ?s ?p ?o } ORDER BY DESC(?o)",
                0,
                Some("SELECT ?s WHERE { ?s ?p ?o } ORDER BY DESC(?o)\n LIMIT 10 OFFSET 0"),
            ),
            // Its own slice, or a VALUES at the end: put together again.
            (
                "SELECT ?s WHERE { ?s ?p ?o } LIMIT 15",
                1,
                Some("SELECT ?s WHERE { ?s ?p ?o . } ORDER BY ASC(?s) OFFSET 10 LIMIT 5"),
            ),
            (
                "SELECT ?s WHERE { ?s ?p ?o } VALUES ?s { <http://e/a> }",
                0,
                None,
            ),
            ("ASK { ?s ?p ?o }", 0, None),
        ];
        for (text, number, expected) in cases {
            let query = SparqlParser::new().parse_query(text).unwrap();
            let got = page_text(text, &query, number, 10);
            match expected {
                Some(expected) => assert_eq!(got.as_deref(), Some(expected), "{text}"),
                // Put together from the algebra: the same query as `page`'s.
                None if text.starts_with("SELECT") => {
                    assert_eq!(
                        got,
                        page(&query, number, 10).map(|q| q.to_string()),
                        "{text}"
                    )
                }
                None => assert_eq!(got, None, "{text}"),
            }
        }
    }

    #[test]
    fn nested_pages_slice_an_ordered_sub_select() {
        let cases = [
            (
                "SELECT ?s ?o WHERE { ?s <http://e/p> ?o }",
                2,
                10,
                Some(
                    "SELECT ?s ?o WHERE { { SELECT ?s ?o WHERE { ?s <http://e/p> ?o } ORDER BY ?s ?o } } OFFSET 20 LIMIT 10",
                ),
            ),
            (
                "SELECT DISTINCT ?s FROM <http://e/g> WHERE { ?s a ?t } ORDER BY DESC(?s)",
                1,
                3,
                Some(
                    "SELECT ?s FROM <http://e/g> WHERE { { SELECT DISTINCT ?s WHERE { ?s a ?t } ORDER BY DESC(?s) } } OFFSET 3 LIMIT 3",
                ),
            ),
            ("SELECT ?s WHERE { ?s ?p ?o } LIMIT 20", 2, 10, None),
        ];
        for (query, number, size, expected) in cases {
            let query = SparqlParser::new().parse_query(query).unwrap();
            assert_eq!(
                nested_page(&query, number, size).map(|q| unnamed(&q)),
                expected.map(parsed),
                "page {number} of {size} of {query}"
            );
        }
    }

    #[test]
    fn pages_are_ordered_and_sliced() {
        let cases = [
            // (query, page, size, same as)
            (
                "SELECT ?s ?o WHERE { ?s <http://e/p> ?o }",
                0,
                10,
                Some("SELECT ?s ?o WHERE { ?s <http://e/p> ?o } ORDER BY ?s ?o LIMIT 10"),
            ),
            (
                "SELECT ?s ?o WHERE { ?s <http://e/p> ?o }",
                2,
                10,
                Some("SELECT ?s ?o WHERE { ?s <http://e/p> ?o } ORDER BY ?s ?o OFFSET 20 LIMIT 10"),
            ),
            // Its own order is kept.
            (
                "SELECT ?s WHERE { ?s <http://e/p> ?o } ORDER BY DESC(?o)",
                1,
                5,
                Some("SELECT ?s WHERE { ?s <http://e/p> ?o } ORDER BY DESC(?o) OFFSET 5 LIMIT 5"),
            ),
            (
                "SELECT DISTINCT ?s WHERE { ?s a ?t }",
                1,
                3,
                Some("SELECT DISTINCT ?s WHERE { ?s a ?t } ORDER BY ?s OFFSET 3 LIMIT 3"),
            ),
            // Its own slice: pages within it, and none past it.
            (
                "SELECT ?s WHERE { ?s ?p ?o } OFFSET 4 LIMIT 25",
                2,
                10,
                Some("SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s OFFSET 24 LIMIT 5"),
            ),
            ("SELECT ?s WHERE { ?s ?p ?o } LIMIT 20", 2, 10, None),
            // Aggregates page too.
            (
                "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
                0,
                100,
                Some(
                    "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g ?n LIMIT 100",
                ),
            ),
            ("ASK { ?s ?p ?o }", 0, 10, None),
        ];
        for (query, number, size, expected) in cases {
            assert_eq!(
                paged(query, number, size),
                expected.map(parsed),
                "page {number} of {size} of {query}"
            );
        }
    }
}
