//! Running a query and answering with its results.
//!
//! On a connection thread (see `connections`) a query is evaluated right
//! where its request was read, the way a thread-per-connection server does:
//! most answers are small and go out whole, with no hand-over between
//! threads; the deadline keeper (`deadlines`) cancels it at its timeout. An
//! answer that outgrows the first chunk is started again on a blocking
//! thread, from which it streams chunk by chunk: Oxigraph's result iterators
//! cannot move between threads, so the evaluation cannot be handed over
//! half-way. Elsewhere (a router served some other way) every query takes
//! that second path. The status is decided before the first byte is sent,
//! so an error within the first chunk's worth of results is still a proper
//! 4xx/5xx.

use crate::connections::ConnectionSocket;
use crate::deadlines::Deadlines;
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

/// How an evaluation ended.
enum Outcome {
    /// Every result fit in one chunk: here it is, nothing was sent.
    Whole(&'static str, Vec<u8>),
    /// Every result was handed to the chunk sink.
    Sent,
    /// The evaluation failed; `sent` says whether chunks had gone out.
    Failed { error: ApiError, sent: bool },
}

/// Where full chunks go, with their media type.
type ChunkSink<'a> = dyn FnMut(&'static str, Bytes) -> std::io::Result<()> + 'a;

/// Buffers results and hands each full chunk to its sink; refuses to write
/// once the query is cancelled. Results are serialized one by one, so this
/// stops a query at its deadline even where Oxigraph would go on producing
/// solutions without reading the store.
struct ResultWriter<'a> {
    media: &'static str,
    buffer: Vec<u8>,
    sent: bool,
    cancel: CancellationToken,
    sink: &'a mut ChunkSink<'a>,
}

impl ResultWriter<'_> {
    fn send_chunk(&mut self) -> std::io::Result<()> {
        let chunk = Bytes::from(std::mem::take(&mut self.buffer));
        self.sent = true;
        (self.sink)(self.media, chunk)
    }
}

impl Write for ResultWriter<'_> {
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
/// result was sent yet); a client that goes away stops the streaming.
/// `socket` is the connection's, when the request came on a connection thread.
pub async fn run_query(
    store: Store,
    request: QueryRequest,
    accept: Option<String>,
    deadlines: &Deadlines,
    socket: Option<ConnectionSocket>,
) -> Response {
    let started = std::time::Instant::now();
    let deadline = started + request.timeout;
    // Only connection threads give their socket, and only there may a query
    // hold the thread it runs on.
    if socket.is_none() {
        return stream_query(store, request, accept, deadline.into()).await;
    }
    let watch = deadlines.watch(started, request.timeout, request.cancel.clone(), socket);
    let mut overflow = |_: &'static str, _: Bytes| {
        Err(std::io::Error::other("the answer outgrew the first chunk"))
    };
    let outcome = evaluate(&store, &request, accept.as_deref(), &mut overflow);
    if !watch.finish() {
        // The deadline keeper answered the client already and closed the connection.
        return ApiError::from(StoreError::Timeout(request.timeout)).into_response();
    }
    match outcome {
        Outcome::Whole(media, body) => {
            ([(header::CONTENT_TYPE, content_type(media))], body).into_response()
        }
        Outcome::Failed { sent: false, error } => error.into_response(),
        // Too big for one chunk (the only way the inline sink fails once a
        // chunk was offered): start again where it can stream.
        Outcome::Failed { sent: true, .. } | Outcome::Sent => {
            stream_query(store, request, accept, deadline.into()).await
        }
    }
}

/// How a streamed answer begins.
enum Start {
    /// Every result, in one body.
    Complete(&'static str, Vec<u8>),
    /// The first chunk is ready; the rest follows on the channel.
    Streaming(&'static str, Bytes),
    /// No result could be given.
    Failed(ApiError),
}

type Chunk = Result<Bytes, std::io::Error>;

/// Evaluates the query on a blocking thread and streams its results,
/// cancelling it at `deadline`.
async fn stream_query(
    store: Store,
    request: QueryRequest,
    accept: Option<String>,
    deadline: tokio::time::Instant,
) -> Response {
    let (start_tx, start_rx) = oneshot::channel::<Start>();
    let (tx, rx) = mpsc::channel::<Chunk>(4);
    let cancel = request.cancel.clone();
    let timeout = request.timeout;
    let mut guard = CancelOnDrop(Some(cancel.clone()));
    tokio::task::spawn_blocking(move || {
        let mut start = Some(start_tx);
        let gone = || std::io::Error::new(std::io::ErrorKind::BrokenPipe, "client went away");
        // The first chunk starts the answer; the rest follow on the channel.
        let mut sink = |media: &'static str, chunk: Bytes| match start.take() {
            Some(start) => start
                .send(Start::Streaming(media, chunk))
                .map_err(|_| gone()),
            None => tx.blocking_send(Ok(chunk)).map_err(|_| gone()),
        };
        match evaluate(&store, &request, accept.as_deref(), &mut sink) {
            Outcome::Whole(media, body) => {
                if let Some(start) = start.take() {
                    let _ = start.send(Start::Complete(media, body));
                }
            }
            Outcome::Sent => {}
            Outcome::Failed { error, sent: false } => {
                if let Some(start) = start.take() {
                    let _ = start.send(Start::Failed(error));
                }
            }
            Outcome::Failed { error, sent: true } => {
                tracing::warn!(error = %error.message, "query results cut short");
                let _ = tx.blocking_send(Err(std::io::Error::other(error.message.to_string())));
            }
        }
    });
    // Oxigraph may run on past the deadline deep in an in-memory join, where
    // it does not look at the token: the client is answered at the deadline
    // whatever the evaluation does.
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

/// Evaluates the query, writing its results in the negotiated format: whole
/// if they fit in one chunk, else chunk by chunk into `sink`.
fn evaluate<'a>(
    store: &Store,
    request: &QueryRequest,
    accept: Option<&str>,
    sink: &'a mut ChunkSink<'a>,
) -> Outcome {
    let failed = |error: ApiError| Outcome::Failed { error, sent: false };
    let results = match store.query(request) {
        Ok(r) => r,
        Err(e) => return failed(e.into()),
    };
    let offers = match results {
        QueryResults::Graph(_) => graph_offers(),
        _ => solution_offers(),
    };
    let Some(media) = negotiate(accept, &offers) else {
        return failed(ApiError::not_acceptable(&offers));
    };
    let mut writer = ResultWriter {
        media,
        buffer: Vec::new(),
        sent: false,
        cancel: request.cancel.clone(),
        sink,
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
            let format = GraphFormat::from_media_type(media).unwrap_or(GraphFormat::Turtle);
            write_triples(triples, format, &mut writer, timeout)
        }
    };
    let sent = writer.sent;
    match outcome {
        Ok(()) if !sent => Outcome::Whole(media, writer.buffer),
        Ok(()) => match writer.buffer.is_empty() {
            true => Outcome::Sent,
            false => match writer.send_chunk() {
                Ok(()) => Outcome::Sent,
                Err(e) => Outcome::Failed {
                    error: ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()),
                    sent,
                },
            },
        },
        Err(e) => {
            // A write refused at the deadline surfaces as an I/O error: report the timeout.
            let e = if request.cancel.is_cancelled() {
                StoreError::Timeout(timeout)
            } else {
                e
            };
            Outcome::Failed {
                error: e.into(),
                sent,
            }
        }
    }
}

fn solution_format(media: &str) -> SolutionFormat {
    SolutionFormat::from_media_type(media).unwrap_or(SolutionFormat::Json)
}
