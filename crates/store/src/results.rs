//! Query results in the standard formats. Each format owns its name (as
//! the command line and the page give it) and its media type (as HTTP
//! negotiates it); nothing else names them.

use crate::StoreError;
use oxigraph::io::{JsonLdProfileSet, RdfFormat, RdfSerializer};
use oxigraph::model::Triple;
use oxigraph::sparql::results::{QueryResultsFormat, QueryResultsSerializer};
use oxigraph::sparql::{QueryEvaluationError, QueryResults, QuerySolution, Variable};
use std::io::Write;
use std::time::Duration;

/// A format for SELECT and ASK results.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SolutionFormat {
    /// `application/sparql-results+json`
    Json,
    /// `application/sparql-results+xml`
    Xml,
    /// `text/csv`
    Csv,
    /// `text/tab-separated-values`
    Tsv,
}

impl SolutionFormat {
    /// Every solution format, the preferred first.
    pub const ALL: [SolutionFormat; 4] = [
        SolutionFormat::Json,
        SolutionFormat::Xml,
        SolutionFormat::Csv,
        SolutionFormat::Tsv,
    ];

    /// Its media type, without parameters.
    pub fn media_type(self) -> &'static str {
        match self {
            SolutionFormat::Json => "application/sparql-results+json",
            SolutionFormat::Xml => "application/sparql-results+xml",
            SolutionFormat::Csv => "text/csv",
            SolutionFormat::Tsv => "text/tab-separated-values",
        }
    }

    /// Its name (`json`, `xml`, `csv`, `tsv`).
    pub fn name(self) -> &'static str {
        match self {
            SolutionFormat::Json => "json",
            SolutionFormat::Xml => "xml",
            SolutionFormat::Csv => "csv",
            SolutionFormat::Tsv => "tsv",
        }
    }

    /// The format with this media type (no parameters), if any.
    pub fn from_media_type(media: &str) -> Option<SolutionFormat> {
        Self::ALL.into_iter().find(|f| f.media_type() == media)
    }

    fn oxigraph(self) -> QueryResultsFormat {
        match self {
            SolutionFormat::Json => QueryResultsFormat::Json,
            SolutionFormat::Xml => QueryResultsFormat::Xml,
            SolutionFormat::Csv => QueryResultsFormat::Csv,
            SolutionFormat::Tsv => QueryResultsFormat::Tsv,
        }
    }
}

/// A format for CONSTRUCT and DESCRIBE results.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GraphFormat {
    /// Turtle.
    Turtle,
    /// N-Triples.
    NTriples,
    /// RDF/XML.
    RdfXml,
    /// JSON-LD.
    JsonLd,
    /// N-Quads.
    NQuads,
    /// TriG.
    TriG,
}

impl GraphFormat {
    /// Every graph format, the preferred first.
    pub const ALL: [GraphFormat; 6] = [
        GraphFormat::Turtle,
        GraphFormat::NTriples,
        GraphFormat::RdfXml,
        GraphFormat::JsonLd,
        GraphFormat::NQuads,
        GraphFormat::TriG,
    ];

    /// Its media type, without parameters.
    pub fn media_type(self) -> &'static str {
        self.rdf_format().media_type()
    }

    /// Its name (`turtle`, `ntriples`, `rdfxml`, `jsonld`, `nquads`, `trig`).
    pub fn name(self) -> &'static str {
        match self {
            GraphFormat::Turtle => "turtle",
            GraphFormat::NTriples => "ntriples",
            GraphFormat::RdfXml => "rdfxml",
            GraphFormat::JsonLd => "jsonld",
            GraphFormat::NQuads => "nquads",
            GraphFormat::TriG => "trig",
        }
    }

    /// The format with this media type (no parameters), if any.
    pub fn from_media_type(media: &str) -> Option<GraphFormat> {
        Self::ALL.into_iter().find(|f| f.media_type() == media)
    }

    /// The RDF syntax it is.
    pub fn rdf_format(self) -> RdfFormat {
        match self {
            GraphFormat::Turtle => RdfFormat::Turtle,
            GraphFormat::NTriples => RdfFormat::NTriples,
            GraphFormat::RdfXml => RdfFormat::RdfXml,
            GraphFormat::JsonLd => RdfFormat::JsonLd {
                profile: JsonLdProfileSet::empty(),
            },
            GraphFormat::NQuads => RdfFormat::NQuads,
            GraphFormat::TriG => RdfFormat::TriG,
        }
    }
}

/// The format to write results in: one for solutions, or one for graphs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResultsFormat {
    /// For SELECT and ASK.
    Solutions(SolutionFormat),
    /// For CONSTRUCT and DESCRIBE.
    Graph(GraphFormat),
}

impl ResultsFormat {
    /// Every results format: the solution formats, then the graph formats.
    pub fn all() -> impl Iterator<Item = ResultsFormat> {
        let solutions = SolutionFormat::ALL
            .into_iter()
            .map(ResultsFormat::Solutions);
        solutions.chain(GraphFormat::ALL.into_iter().map(ResultsFormat::Graph))
    }

    /// Its name.
    pub fn name(self) -> &'static str {
        match self {
            ResultsFormat::Solutions(f) => f.name(),
            ResultsFormat::Graph(f) => f.name(),
        }
    }

    /// The format named `name`, if any.
    pub fn from_name(name: &str) -> Option<ResultsFormat> {
        Self::all().find(|f| f.name() == name)
    }

    /// Every name, comma-separated, for messages.
    pub fn names() -> String {
        Self::all().map(Self::name).collect::<Vec<_>>().join(", ")
    }
}

/// Writes results to `out`, streaming: solutions and triples are written
/// as they come. `timeout` is only used to report a cancelled query.
/// Refuses a format of the other kind (a graph format for solutions).
pub fn write_results(
    results: QueryResults<'static>,
    format: ResultsFormat,
    out: impl Write,
    timeout: Duration,
) -> Result<(), StoreError> {
    match (results, format) {
        (QueryResults::Boolean(value), ResultsFormat::Solutions(f)) => write_boolean(value, f, out),
        (QueryResults::Solutions(solutions), ResultsFormat::Solutions(f)) => {
            let variables = solutions.variables().to_vec();
            write_solutions(variables, solutions, f, out, timeout)
        }
        (QueryResults::Graph(triples), ResultsFormat::Graph(f)) => {
            write_triples(triples, f, out, timeout)
        }
        (QueryResults::Graph(_), ResultsFormat::Solutions(f)) => Err(StoreError::WrongFormat {
            results: "a graph (CONSTRUCT or DESCRIBE)",
            given: f.name(),
            expected: names(GraphFormat::ALL.map(GraphFormat::name)),
        }),
        (_, ResultsFormat::Graph(f)) => Err(StoreError::WrongFormat {
            results: "solutions (SELECT or ASK)",
            given: f.name(),
            expected: names(SolutionFormat::ALL.map(SolutionFormat::name)),
        }),
    }
}

fn names<const N: usize>(names: [&str; N]) -> String {
    names.join(", ")
}

/// Writes an ASK answer.
pub fn write_boolean(
    value: bool,
    format: SolutionFormat,
    out: impl Write,
) -> Result<(), StoreError> {
    QueryResultsSerializer::from_format(format.oxigraph())
        .serialize_boolean_to_writer(out, value)?;
    Ok(())
}

/// Writes SELECT solutions as they come from `solutions`.
pub fn write_solutions(
    variables: Vec<Variable>,
    solutions: impl Iterator<Item = Result<QuerySolution, QueryEvaluationError>>,
    format: SolutionFormat,
    out: impl Write,
    timeout: Duration,
) -> Result<(), StoreError> {
    let mut writer = QueryResultsSerializer::from_format(format.oxigraph())
        .serialize_solutions_to_writer(out, variables)?;
    for solution in solutions {
        let solution = solution.map_err(|e| StoreError::from_evaluation(e, timeout))?;
        writer.serialize(&solution)?;
    }
    writer.finish()?;
    Ok(())
}

/// Writes CONSTRUCT or DESCRIBE triples as they come from `triples`.
pub fn write_triples(
    triples: impl Iterator<Item = Result<Triple, QueryEvaluationError>>,
    format: GraphFormat,
    out: impl Write,
    timeout: Duration,
) -> Result<(), StoreError> {
    let mut writer = RdfSerializer::from_format(format.rdf_format())
        .with_prefix("il", interlock_model::vocab::IL)
        .expect("the interlock namespace is a valid IRI")
        .for_writer(out);
    for triple in triples {
        let triple = triple.map_err(|e| StoreError::from_evaluation(e, timeout))?;
        writer.serialize_triple(&triple)?;
    }
    writer.finish()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_media_types_go_both_ways() {
        for f in ResultsFormat::all() {
            assert_eq!(ResultsFormat::from_name(f.name()), Some(f));
        }
        for (f, media) in [
            (SolutionFormat::Json, "application/sparql-results+json"),
            (SolutionFormat::Tsv, "text/tab-separated-values"),
        ] {
            assert_eq!(f.media_type(), media);
            assert_eq!(SolutionFormat::from_media_type(media), Some(f));
        }
        for (f, media) in [
            (GraphFormat::Turtle, "text/turtle"),
            (GraphFormat::JsonLd, "application/ld+json"),
            (GraphFormat::RdfXml, "application/rdf+xml"),
        ] {
            assert_eq!(f.media_type(), media);
            assert_eq!(GraphFormat::from_media_type(media), Some(f));
        }
        assert_eq!(
            ResultsFormat::names(),
            "json, xml, csv, tsv, turtle, ntriples, rdfxml, jsonld, nquads, trig"
        );
    }

    #[test]
    fn a_format_of_the_other_kind_is_refused() {
        let store = crate::Store::in_memory();
        let ask = crate::QueryRequest::new("ASK {}");
        let results = store.query(&ask).unwrap();
        let e = write_results(
            results,
            ResultsFormat::Graph(GraphFormat::Turtle),
            Vec::new(),
            Duration::from_secs(1),
        )
        .unwrap_err();
        assert!(
            e.to_string().contains("gives solutions (SELECT or ASK)"),
            "{e}"
        );
    }

    /// A reader that went away: the writer's error, as an I/O error.
    struct Closed;

    impl Write for Closed {
        fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
            Err(std::io::ErrorKind::BrokenPipe.into())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_closed_output_stays_an_io_error() {
        let store = crate::Store::in_memory();
        let results = store
            .query(&crate::QueryRequest::new(
                "SELECT * WHERE { VALUES ?x { 1 2 3 } }",
            ))
            .unwrap();
        let format = ResultsFormat::Solutions(SolutionFormat::Csv);
        match write_results(results, format, Closed, Duration::from_secs(1)) {
            Err(StoreError::Io(e)) => assert_eq!(e.kind(), std::io::ErrorKind::BrokenPipe),
            other => panic!("expected an I/O error, got {other:?}"),
        }
    }
}
