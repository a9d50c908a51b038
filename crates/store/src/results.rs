//! Writing query results in the standard formats.

use crate::StoreError;
use oxigraph::io::{RdfFormat, RdfSerializer};
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
    /// Every solution format.
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

    /// The name used on the command line (`json`, `xml`, `csv`, `tsv`).
    pub fn name(self) -> &'static str {
        match self {
            SolutionFormat::Json => "json",
            SolutionFormat::Xml => "xml",
            SolutionFormat::Csv => "csv",
            SolutionFormat::Tsv => "tsv",
        }
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
pub struct GraphFormat(pub RdfFormat);

impl GraphFormat {
    /// Every graph format, Turtle first.
    pub const ALL: [GraphFormat; 6] = [
        GraphFormat(RdfFormat::Turtle),
        GraphFormat(RdfFormat::NTriples),
        GraphFormat(RdfFormat::RdfXml),
        GraphFormat(RdfFormat::JsonLd {
            profile: oxigraph::io::JsonLdProfileSet::empty(),
        }),
        GraphFormat(RdfFormat::NQuads),
        GraphFormat(RdfFormat::TriG),
    ];

    /// Its media type.
    pub fn media_type(self) -> &'static str {
        self.0.media_type()
    }

    /// The name used on the command line.
    pub fn name(self) -> &'static str {
        match self.0 {
            RdfFormat::Turtle => "turtle",
            RdfFormat::NTriples => "ntriples",
            RdfFormat::RdfXml => "rdfxml",
            RdfFormat::NQuads => "nquads",
            RdfFormat::TriG => "trig",
            RdfFormat::N3 => "n3",
            _ => "jsonld",
        }
    }
}

/// The format to write results in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ResultFormat {
    /// For SELECT and ASK.
    pub solutions: SolutionFormat,
    /// For CONSTRUCT and DESCRIBE.
    pub graph: GraphFormat,
}

/// Writes results to `out`, streaming: solutions and triples are written
/// as they come. `timeout` is only used to report a cancelled query.
pub fn write_results(
    results: QueryResults<'static>,
    format: ResultFormat,
    out: impl Write,
    timeout: Duration,
) -> Result<(), StoreError> {
    match results {
        QueryResults::Boolean(value) => write_boolean(value, format.solutions, out),
        QueryResults::Solutions(solutions) => {
            let variables = solutions.variables().to_vec();
            write_solutions(variables, solutions, format.solutions, out, timeout)
        }
        QueryResults::Graph(triples) => write_triples(triples, format.graph, out, timeout),
    }
}

fn io_error(e: std::io::Error) -> StoreError {
    StoreError::Evaluation(format!("cannot write results: {e}"))
}

/// Writes an ASK answer.
pub fn write_boolean(
    value: bool,
    format: SolutionFormat,
    out: impl Write,
) -> Result<(), StoreError> {
    QueryResultsSerializer::from_format(format.oxigraph())
        .serialize_boolean_to_writer(out, value)
        .map_err(io_error)?;
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
        .serialize_solutions_to_writer(out, variables)
        .map_err(io_error)?;
    for solution in solutions {
        let solution = solution.map_err(|e| StoreError::from_evaluation(e, timeout))?;
        writer.serialize(&solution).map_err(io_error)?;
    }
    writer.finish().map_err(io_error)?;
    Ok(())
}

/// Writes CONSTRUCT or DESCRIBE triples as they come from `triples`.
pub fn write_triples(
    triples: impl Iterator<Item = Result<Triple, QueryEvaluationError>>,
    format: GraphFormat,
    out: impl Write,
    timeout: Duration,
) -> Result<(), StoreError> {
    let mut writer = RdfSerializer::from_format(format.0)
        .with_prefix("il", interlock_model::vocab::IL)
        .map_err(|e| StoreError::Evaluation(e.to_string()))?
        .for_writer(out);
    for triple in triples {
        let triple = triple.map_err(|e| StoreError::from_evaluation(e, timeout))?;
        writer.serialize_triple(&triple).map_err(io_error)?;
    }
    writer.finish().map_err(io_error)?;
    Ok(())
}
