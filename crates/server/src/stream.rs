//! Running a query on a blocking thread and streaming its results as the
//! response body, with the status decided before the first byte is sent.

use crate::error::ApiError;
use crate::negotiate::negotiate;
use axum::body::{Body, Bytes};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use interlock_store::{
    GraphFormat, QueryRequest, SolutionFormat, Store, StoreError, write_boolean, write_solutions,
    write_triples,
};
use oxigraph::sparql::{CancellationToken, QueryResults};
use std::io::Write;
use std::time::Duration;
use tokio::sync::{mpsc, oneshot};

/// Sends what is written as body chunks of about 64 KiB, and refuses to
/// write once the query is cancelled: results are serialized one by one, so
/// this stops a streaming query at its deadline even where Oxigraph would
/// produce more solutions without reading the store.
struct ChannelWriter {
    tx: mpsc::Sender<Result<Bytes, std::io::Error>>,
    buffer: Vec<u8>,
    cancel: CancellationToken,
}

impl Write for ChannelWriter {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        if self.cancel.is_cancelled() {
            return Err(std::io::Error::new(
                std::io::ErrorKind::TimedOut,
                "query time limit reached",
            ));
        }
        self.buffer.extend_from_slice(data);
        if self.buffer.len() >= 64 * 1024 {
            self.flush()?;
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        if self.buffer.is_empty() {
            return Ok(());
        }
        let chunk = Bytes::from(std::mem::take(&mut self.buffer));
        self.tx
            .blocking_send(Ok(chunk))
            .map_err(|_| std::io::Error::new(std::io::ErrorKind::BrokenPipe, "client went away"))
    }
}

/// The media types offered for SELECT/ASK and for CONSTRUCT/DESCRIBE, our preference first.
pub fn solution_offers() -> Vec<&'static str> {
    SolutionFormat::ALL.iter().map(|f| f.media_type()).collect()
}

/// See [`solution_offers`].
pub fn graph_offers() -> Vec<&'static str> {
    GraphFormat::ALL.iter().map(|f| f.media_type()).collect()
}

fn content_type(media: &str) -> String {
    if media.starts_with("text/") {
        format!("{media}; charset=utf-8")
    } else {
        media.to_string()
    }
}

enum Start {
    Ok(String),
    Err(ApiError),
}

/// Evaluates the query and answers with its results in the format `accept`
/// prefers. The query is cancelled at its timeout (answered with 503 if no
/// result came yet); a client that goes away stops the streaming.
pub async fn run_query(store: Store, request: QueryRequest, accept: Option<String>) -> Response {
    let (start_tx, start_rx) = oneshot::channel::<Start>();
    let (tx, rx) = mpsc::channel::<Result<Bytes, std::io::Error>>(4);
    let cancel = request.cancel.clone();
    let timeout = request.timeout;
    let watchdog = tokio::spawn({
        let cancel = cancel.clone();
        async move {
            tokio::time::sleep(timeout).await;
            cancel.cancel();
        }
    });
    let evaluation = tokio::task::spawn_blocking(move || {
        evaluate(&store, &request, accept.as_deref(), start_tx, tx);
    });
    // A client that goes away closes the channel, which stops the writer;
    // the watchdog stops everything else. It is dropped once evaluation ends.
    tokio::spawn(async move {
        let _ = evaluation.await;
        watchdog.abort();
    });
    // Oxigraph checks the cancellation token whenever it reads from the
    // store; deep in an in-memory join it may run on past the deadline, so
    // the client is answered at the deadline whatever the evaluation does.
    let start = tokio::time::timeout(timeout + Duration::from_millis(250), start_rx).await;
    match start {
        Err(_) => ApiError::from(StoreError::Timeout(timeout)).into_response(),
        Ok(Ok(Start::Ok(media))) => (
            [(header::CONTENT_TYPE, content_type(&media))],
            Body::from_stream(tokio_stream::wrappers::ReceiverStream::new(rx)),
        )
            .into_response(),
        Ok(Ok(Start::Err(e))) => e.into_response(),
        Ok(Err(_)) => ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "query evaluation stopped",
        )
        .into_response(),
    }
}

fn evaluate(
    store: &Store,
    request: &QueryRequest,
    accept: Option<&str>,
    start: oneshot::Sender<Start>,
    tx: mpsc::Sender<Result<Bytes, std::io::Error>>,
) {
    let fail = |start: oneshot::Sender<Start>, e: ApiError| {
        let _ = start.send(Start::Err(e));
    };
    let results = match store.query(request) {
        Ok(r) => r,
        Err(e) => return fail(start, e.into()),
    };
    let timeout = request.timeout;
    let mut writer = ChannelWriter {
        tx: tx.clone(),
        buffer: Vec::new(),
        cancel: request.cancel.clone(),
    };
    let outcome = match results {
        QueryResults::Boolean(value) => {
            let offers = solution_offers();
            let Some(media) = negotiate(accept, &offers) else {
                return fail(start, ApiError::not_acceptable(&offers));
            };
            let format = format_of_solutions(media);
            let _ = start.send(Start::Ok(media.to_string()));
            write_boolean(value, format, &mut writer)
        }
        QueryResults::Solutions(mut solutions) => {
            let offers = solution_offers();
            let Some(media) = negotiate(accept, &offers) else {
                return fail(start, ApiError::not_acceptable(&offers));
            };
            let format = format_of_solutions(media);
            let variables = solutions.variables().to_vec();
            // Evaluate up to the first solution before choosing the status.
            let first = solutions.next();
            if let Some(Err(e)) = first {
                return fail(start, StoreError::from_evaluation(e, timeout).into());
            }
            let _ = start.send(Start::Ok(media.to_string()));
            write_solutions(
                variables,
                first.into_iter().chain(solutions),
                format,
                &mut writer,
                timeout,
            )
        }
        QueryResults::Graph(mut triples) => {
            let offers = graph_offers();
            let Some(media) = negotiate(accept, &offers) else {
                return fail(start, ApiError::not_acceptable(&offers));
            };
            let format = GraphFormat::ALL
                .into_iter()
                .find(|f| f.media_type() == media)
                .unwrap_or(GraphFormat::ALL[0]);
            let first = triples.next();
            if let Some(Err(e)) = first {
                return fail(start, StoreError::from_evaluation(e, timeout).into());
            }
            let _ = start.send(Start::Ok(media.to_string()));
            write_triples(
                first.into_iter().chain(triples),
                format,
                &mut writer,
                timeout,
            )
        }
    };
    let outcome = outcome.and_then(|()| {
        writer
            .flush()
            .map_err(|e| StoreError::Evaluation(e.to_string()))
    });
    if let Err(e) = outcome {
        // Headers are sent: all that is left is to break the body off.
        tracing::warn!(error = %e, "query results cut short");
        let _ = tx.blocking_send(Err(std::io::Error::other(e.to_string())));
    }
}

fn format_of_solutions(media: &str) -> SolutionFormat {
    SolutionFormat::ALL
        .into_iter()
        .find(|f| f.media_type() == media)
        .unwrap_or(SolutionFormat::Json)
}
