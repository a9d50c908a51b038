//! Readable tables for the terminal.

use anyhow::Result;
use interlock_model::vocab;
use interlock_store::StoreError;
use oxigraph::model::Term;
use oxigraph::sparql::QueryResults;
use std::io::Write;
use std::time::Duration;

/// Prefixes used to shorten IRIs in tables.
const PREFIXES: &[(&str, &str)] = &[
    ("il:", vocab::IL),
    ("id:", vocab::DEFAULT_BASE),
    ("xsd:", vocab::XSD),
    ("rdf:", vocab::RDF),
    ("rdfs:", vocab::RDFS),
    ("schema:", vocab::SCHEMA),
    ("dcterms:", vocab::DCTERMS),
];

/// A term as a person reads it: literals by their value, IRIs shortened.
pub fn show_term(term: &Term) -> String {
    match term {
        Term::NamedNode(n) => {
            let iri = n.as_str();
            PREFIXES
                .iter()
                .find_map(|(p, ns)| iri.strip_prefix(ns).map(|rest| format!("{p}{rest}")))
                .unwrap_or_else(|| format!("<{iri}>"))
        }
        Term::BlankNode(b) => b.to_string(),
        Term::Literal(l) => l.value().to_string(),
        #[allow(unreachable_patterns, reason = "Term has more variants with rdf-12")]
        other => other.to_string(),
    }
}

/// Prints rows under a header, columns padded to their widest cell.
pub fn print(header: &[&str], rows: &[Vec<String>], out: &mut impl Write) -> Result<()> {
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: Vec<&str>| -> String {
        cells
            .iter()
            .zip(&widths)
            .map(|(c, w)| format!("{c:<w$}"))
            .collect::<Vec<_>>()
            .join("  ")
            .trim_end()
            .to_string()
    };
    writeln!(out, "{}", line(header.to_vec()))?;
    writeln!(
        out,
        "{}",
        widths
            .iter()
            .map(|w| "-".repeat(*w))
            .collect::<Vec<_>>()
            .join("  ")
    )?;
    for row in rows {
        writeln!(out, "{}", line(row.iter().map(String::as_str).collect()))?;
    }
    Ok(())
}

/// Writes query results as a table (SELECT), `yes`/`no` (ASK) or Turtle (graphs).
pub fn write_query_results(
    results: QueryResults<'static>,
    out: &mut impl Write,
    timeout: Duration,
) -> Result<()> {
    match results {
        QueryResults::Boolean(b) => writeln!(out, "{}", if b { "yes" } else { "no" })?,
        QueryResults::Solutions(solutions) => {
            let header: Vec<String> = solutions
                .variables()
                .iter()
                .map(|v| v.as_str().to_string())
                .collect();
            let mut rows = Vec::new();
            for solution in solutions {
                let solution = solution.map_err(|e| StoreError::from_evaluation(e, timeout))?;
                rows.push(
                    solution
                        .values()
                        .iter()
                        .map(|v| v.as_ref().map(show_term).unwrap_or_default())
                        .collect(),
                );
            }
            let header: Vec<&str> = header.iter().map(String::as_str).collect();
            print(&header, &rows, out)?;
            writeln!(
                out,
                "({} row{})",
                rows.len(),
                if rows.len() == 1 { "" } else { "s" }
            )?;
        }
        graph @ QueryResults::Graph(_) => {
            interlock_store::write_results(
                graph,
                interlock_store::ResultsFormat::Graph(interlock_store::GraphFormat::Turtle),
                out,
                timeout,
            )?;
        }
    }
    Ok(())
}
