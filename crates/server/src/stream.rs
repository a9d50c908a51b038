//! Running a query on a blocking thread and answering with its results:
//! whole when they fit in the first chunk (the common case, one hand-over
//! between threads), streamed chunk by chunk when they do not. The status is
//! decided before the first byte is sent, so an error in the first chunk's
//! worth of results is still a proper 4xx/5xx.

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
use tokio::sync::{mpsc, oneshot};

/// How much is buffered before the answer starts streaming.
const CHUNK: usize = 64 * 1024;

/// How the answer begins.
enum Start {
    /// Every result, in one body.
    Complete(&'static str, Vec<u8>),
    /// The first chunk is ready; the rest follows on the channel.
    Streaming(&'static str, Bytes),
    /// No result could be given.
    Failed(ApiError),
}

type Chunk = Result<Bytes, std::io::Error>;

/// Buffers the first chunk, then streams; refuses to write once the query is
/// cancelled. Results are serialized one by one, so this stops a query at its
/// deadline even where Oxigraph would go on producing solutions without
/// reading the store.
struct ResultWriter {
    media: &'static str,
    start: Option<oneshot::Sender<Start>>,
    tx: mpsc::Sender<Chunk>,
    buffer: Vec<u8>,
    cancel: CancellationToken,
}

impl ResultWriter {
    fn send_chunk(&mut self) -> std::io::Result<()> {
        let chunk = Bytes::from(std::mem::take(&mut self.buffer));
        let gone = || std::io::Error::new(std::io::ErrorKind::BrokenPipe, "client went away");
        match self.start.take() {
            Some(start) => start
                .send(Start::Streaming(self.media, chunk))
                .map_err(|_| gone()),
            None => self.tx.blocking_send(Ok(chunk)).map_err(|_| gone()),
        }
    }

    /// Sends what is left: the whole answer if nothing was sent yet.
    fn finish(mut self) -> std::io::Result<()> {
        match self.start.take() {
            Some(start) => {
                let _ = start.send(Start::Complete(
                    self.media,
                    std::mem::take(&mut self.buffer),
                ));
                Ok(())
            }
            None if self.buffer.is_empty() => Ok(()),
            None => self.send_chunk(),
        }
    }

    /// Reports an error: as the status if nothing was sent yet, else by
    /// breaking the body off.
    fn fail(mut self, error: StoreError) {
        match self.start.take() {
            Some(start) => {
                let _ = start.send(Start::Failed(error.into()));
            }
            None => {
                tracing::warn!(error = %error, "query results cut short");
                let _ = self
                    .tx
                    .blocking_send(Err(std::io::Error::other(error.to_string())));
            }
        }
    }
}

impl Write for ResultWriter {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        if self.cancel.is_cancelled() {
            return Err(std::io::Error::new(
                std::io::ErrorKind::TimedOut,
                "query time limit reached",
            ));
        }
        self.buffer.extend_from_slice(data);
        if self.buffer.len() >= CHUNK {
            self.send_chunk()?;
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
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

/// Cancels the query if the request is dropped (the client went away) before
/// an answer was handed over.
struct CancelOnDrop(Option<CancellationToken>);

impl Drop for CancelOnDrop {
    fn drop(&mut self) {
        if let Some(token) = self.0.take() {
            token.cancel();
        }
    }
}

/// Evaluates the query and answers with its results in the format `accept`
/// prefers. The query is cancelled at its timeout (answered with 503 if no
/// result came yet); a client that goes away stops the streaming.
pub async fn run_query(store: Store, request: QueryRequest, accept: Option<String>) -> Response {
    let (start_tx, start_rx) = oneshot::channel::<Start>();
    let (tx, rx) = mpsc::channel::<Chunk>(4);
    let cancel = request.cancel.clone();
    let timeout = request.timeout;
    let deadline = tokio::time::Instant::now() + timeout;
    let mut guard = CancelOnDrop(Some(cancel.clone()));
    tokio::task::spawn_blocking(move || {
        evaluate(&store, &request, accept.as_deref(), start_tx, tx)
    });
    // Oxigraph checks the cancellation token whenever it reads from the
    // store; deep in an in-memory join it may run on past the deadline, so
    // the client is answered at the deadline whatever the evaluation does.
    match tokio::time::timeout_at(deadline, start_rx).await {
        Err(_) => {
            cancel.cancel();
            ApiError::from(StoreError::Timeout(timeout)).into_response()
        }
        Ok(Ok(Start::Complete(media, body))) => {
            guard.0 = None;
            ([(header::CONTENT_TYPE, content_type(media))], body).into_response()
        }
        Ok(Ok(Start::Streaming(media, first))) => {
            guard.0 = None;
            // The rest streams after this handler returns: cancel it at the deadline.
            tokio::spawn(async move {
                tokio::time::sleep_until(deadline).await;
                cancel.cancel();
            });
            let rest = tokio_stream::wrappers::ReceiverStream::new(rx);
            let body = tokio_stream::StreamExt::chain(tokio_stream::once(Ok(first)), rest);
            (
                [(header::CONTENT_TYPE, content_type(media))],
                Body::from_stream(body),
            )
                .into_response()
        }
        Ok(Ok(Start::Failed(e))) => e.into_response(),
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
    tx: mpsc::Sender<Chunk>,
) {
    let results = match store.query(request) {
        Ok(r) => r,
        Err(e) => {
            let _ = start.send(Start::Failed(e.into()));
            return;
        }
    };
    let offers = match results {
        QueryResults::Graph(_) => graph_offers(),
        _ => solution_offers(),
    };
    let Some(media) = negotiate(accept, &offers) else {
        let _ = start.send(Start::Failed(ApiError::not_acceptable(&offers)));
        return;
    };
    let mut writer = ResultWriter {
        media,
        start: Some(start),
        tx,
        buffer: Vec::new(),
        cancel: request.cancel.clone(),
    };
    let timeout = request.timeout;
    let outcome = match results {
        QueryResults::Boolean(value) => write_boolean(value, solution_format(media), &mut writer),
        QueryResults::Solutions(solutions) => {
            let variables = solutions.variables().to_vec();
            write_solutions(
                variables,
                solutions,
                solution_format(media),
                &mut writer,
                timeout,
            )
        }
        QueryResults::Graph(triples) => {
            let format = GraphFormat::ALL
                .into_iter()
                .find(|f| f.media_type() == media)
                .unwrap_or(GraphFormat::ALL[0]);
            write_triples(triples, format, &mut writer, timeout)
        }
    };
    match outcome {
        Ok(()) => {
            if let Err(e) = writer.finish() {
                tracing::debug!(error = %e, "client went away");
            }
        }
        Err(e) => {
            // A write refused at the deadline surfaces as an I/O error: report the timeout.
            let e = if request.cancel.is_cancelled() {
                StoreError::Timeout(timeout)
            } else {
                e
            };
            writer.fail(e);
        }
    }
}

fn solution_format(media: &str) -> SolutionFormat {
    SolutionFormat::ALL
        .into_iter()
        .find(|f| f.media_type() == media)
        .unwrap_or(SolutionFormat::Json)
}
