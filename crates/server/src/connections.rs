//! Serving each connection on a thread of its own, as Oxigraph's server does.
//!
//! A query is evaluated on the thread that read its request, and answered
//! from there: no hand-over between threads. On this project's machines a
//! hand-over (waking a blocking thread, then the runtime again) cost more
//! than a small query does (BENCHMARKS.md). Each thread runs a
//! single-threaded tokio runtime for its connection's I/O and timers, so
//! the axum router and its layers work as anywhere else; a thread that is
//! done with a connection waits for the next one for a while before it ends.
//!
//! The accept loop runs on the caller's runtime. At most [`MAX_CONNECTIONS`]
//! connections are served at once. When all are taken, a new connection
//! takes the place of the oldest one that answers nothing — idle between
//! requests, or still waiting for a request's head — so clients that open
//! connections and never finish a request cannot lock others out; if every
//! connection is answering a request, the new one waits in the listen queue.
//! A request's head must arrive within [`HEAD_DEADLINE`], its body within
//! [`BODY_DEADLINE`](crate::bodies::BODY_DEADLINE).

use crate::bodies::{DeadlineBody, InFlight, InFlightBody};
use axum::Router;
use axum::body::Body;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use std::collections::BTreeMap;
use std::future::Future;
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::time::Duration;
use tokio::sync::{Notify, Semaphore, watch};

/// How many connections are served at once.
pub const MAX_CONNECTIONS: usize = 512;

/// How long a client may take to send a request's head (request line and
/// headers).
pub const HEAD_DEADLINE: Duration = Duration::from_secs(10);

/// How long a thread waits for another connection before it ends.
const IDLE_THREAD_LIFETIME: Duration = Duration::from_secs(60);

/// The socket a request came on, for the deadline keeper to answer on when
/// the evaluation cannot be interrupted (see `deadlines`).
#[derive(Clone)]
pub(crate) struct ConnectionSocket(pub Arc<std::net::TcpStream>);

/// One accepted connection and what serving it needs.
struct Connection {
    tcp: std::net::TcpStream,
    router: Router,
    closing: watch::Receiver<bool>,
    /// Its entry among the live connections, which it leaves when dropped.
    live: LiveEntry,
    /// Held while the connection is served: its place among [`MAX_CONNECTIONS`].
    _slot: tokio::sync::OwnedSemaphorePermit,
}

/// The connections being served, oldest first, for [`Live::evict_oldest_idle`].
#[derive(Clone, Default)]
struct Live {
    shared: Arc<Mutex<LiveState>>,
}

#[derive(Default)]
struct LiveState {
    next_id: u64,
    connections: BTreeMap<u64, (InFlight, Arc<Notify>)>,
}

/// One connection's place in [`Live`]: its requests in flight, and the
/// signal that tells it to make room.
struct LiveEntry {
    id: u64,
    in_flight: InFlight,
    evict: Arc<Notify>,
    live: Live,
}

impl Live {
    fn lock(&self) -> std::sync::MutexGuard<'_, LiveState> {
        self.shared.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn add(&self) -> LiveEntry {
        let (in_flight, evict) = (InFlight::default(), Arc::new(Notify::new()));
        let mut state = self.lock();
        let id = state.next_id;
        state.next_id += 1;
        state
            .connections
            .insert(id, (in_flight.clone(), evict.clone()));
        LiveEntry {
            id,
            in_flight,
            evict,
            live: self.clone(),
        }
    }

    /// Tells the oldest connection that is answering no request to close
    /// (none is told if every connection is answering one).
    fn evict_oldest_idle(&self) {
        let mut state = self.lock();
        let oldest = state
            .connections
            .iter()
            .find(|(_, (in_flight, _))| in_flight.is_idle())
            .map(|(id, _)| *id);
        if let Some((_, evict)) = oldest.and_then(|id| state.connections.remove(&id)) {
            evict.notify_one();
        }
    }
}

impl Drop for LiveEntry {
    fn drop(&mut self) {
        self.live.lock().connections.remove(&self.id);
    }
}

/// Accepts connections on `listener` and serves each with `router` on a
/// thread of its own, until `shutdown` completes; then lets the requests in
/// flight finish (waiting at most `grace` for them) and returns.
pub async fn serve(
    listener: tokio::net::TcpListener,
    router: Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
    grace: Duration,
) -> std::io::Result<()> {
    let slots = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    let threads = Threads::default();
    let live = Live::default();
    let (closing, closing_rx) = watch::channel(false);
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            () = &mut shutdown => break,
        };
        let tcp = match accepted {
            Ok((tcp, _)) => tcp,
            // The client gave up before we took its connection: nothing to do.
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::ConnectionAborted | std::io::ErrorKind::ConnectionReset
                ) =>
            {
                continue;
            }
            Err(e) => {
                // Out of file descriptors and the like: wait rather than spin.
                tracing::error!(error = %e, "cannot accept a connection");
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            }
        };
        // Without TCP_NODELAY, a response written in two pieces (headers, then
        // the streamed body) waits for the client's delayed ACK: ~40 ms each.
        let _ = tcp.set_nodelay(true);
        let Ok(tcp) = tcp.into_std() else { continue };
        let slot = match slots.clone().try_acquire_owned() {
            Ok(slot) => slot,
            Err(_) => {
                // Every place is taken: one that answers nothing makes room.
                live.evict_oldest_idle();
                tokio::select! {
                    slot = slots.clone().acquire_owned() => slot.expect("the semaphore is never closed"),
                    () = &mut shutdown => break,
                }
            }
        };
        threads.run(Connection {
            tcp,
            router: router.clone(),
            closing: closing_rx.clone(),
            live: live.add(),
            _slot: slot,
        });
    }
    let _ = closing.send(true);
    // Every connection gives its slot back when it ends; one stuck in an
    // evaluation that ignores its cancellation must not hold the exit up.
    let all = u32::try_from(MAX_CONNECTIONS).unwrap_or(u32::MAX);
    let _ = tokio::time::timeout(grace, slots.acquire_many(all)).await;
    Ok(())
}

/// Serves one connection to its end (or to the end of its last request once
/// the server is closing).
async fn serve_connection(connection: Connection) {
    let Connection {
        tcp,
        router,
        mut closing,
        live,
        _slot,
    } = connection;
    let socket = match tcp.try_clone() {
        Ok(s) => ConnectionSocket(Arc::new(s)),
        Err(e) => {
            tracing::warn!(error = %e, "cannot serve a connection");
            return;
        }
    };
    let Ok(tcp) = tokio::net::TcpStream::from_std(tcp) else {
        return;
    };
    let in_flight = live.in_flight.clone();
    let service = tower::service_fn(move |request: axum::http::Request<hyper::body::Incoming>| {
        // In flight from its head until its answer is sent.
        let guard = in_flight.start();
        let mut request = request.map(|body| Body::new(DeadlineBody::new(body)));
        request.extensions_mut().insert(socket.clone());
        let answer = tower::ServiceExt::oneshot(router.clone(), request);
        async move {
            let response = answer.await?;
            Ok::<_, std::convert::Infallible>(
                response.map(|body| Body::new(InFlightBody::new(body, guard))),
            )
        }
    });
    let mut builder = hyper::server::conn::http1::Builder::new();
    // The timer bounds how long a client may take to send a request's
    // head, and how long an idle keep-alive connection holds its thread.
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(HEAD_DEADLINE);
    let connection = builder.serve_connection(TokioIo::new(tcp), TowerToHyperService::new(service));
    let mut connection = std::pin::pin!(connection);
    let mut closing_seen = *closing.borrow();
    if closing_seen {
        connection.as_mut().graceful_shutdown();
    }
    loop {
        tokio::select! {
            result = connection.as_mut() => {
                if let Err(e) = result {
                    tracing::debug!(error = %e, "connection ended");
                }
                return;
            }
            () = live.evict.notified() => {
                if live.in_flight.is_idle() {
                    // Nothing to answer: close at once, making room.
                    return;
                }
                closing_seen = true;
                connection.as_mut().graceful_shutdown();
            }
            changed = closing.changed(), if !closing_seen => {
                closing_seen = true;
                if changed.is_ok() {
                    connection.as_mut().graceful_shutdown();
                }
            }
        }
    }
}

/// The connection threads: reused while they last, started when none is free.
#[derive(Clone, Default)]
struct Threads {
    shared: Arc<ThreadsShared>,
}

#[derive(Default)]
struct ThreadsShared {
    state: Mutex<ThreadsState>,
    wake: Condvar,
}

#[derive(Default)]
struct ThreadsState {
    /// Threads waiting for a connection, less the connections already handed to them.
    idle: usize,
    /// Connections handed to waiting threads, not yet taken.
    handed: Vec<Connection>,
}

impl Threads {
    /// Serves `connection` on a waiting thread, or on a new one.
    fn run(&self, connection: Connection) {
        let mut state = self.lock();
        if state.idle > 0 {
            state.idle -= 1;
            state.handed.push(connection);
            drop(state);
            self.shared.wake.notify_one();
            return;
        }
        drop(state);
        let threads = self.clone();
        let started = std::thread::Builder::new()
            .name("interlock-connection".into())
            // Queries are parsed and evaluated on this thread (see
            // interlock_store::MAX_NESTING).
            .stack_size(interlock_store::STACK_SIZE)
            .spawn(move || threads.work(connection));
        if let Err(e) = started {
            // The connection is dropped with the closure: the client sees it closed.
            tracing::error!(error = %e, "cannot start a thread for a connection");
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, ThreadsState> {
        self.shared
            .state
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// A connection thread: serves `first`, then whatever it is handed, until
    /// it has waited [`IDLE_THREAD_LIFETIME`] for nothing.
    fn work(&self, first: Connection) {
        let runtime = match tokio::runtime::Builder::new_current_thread()
            .enable_all()
            // Large answers are evaluated again on blocking threads (stream.rs).
            .thread_stack_size(interlock_store::STACK_SIZE)
            .build()
        {
            Ok(r) => r,
            Err(e) => {
                tracing::error!(error = %e, "cannot start a connection thread's runtime");
                return;
            }
        };
        let mut next = Some(first);
        while let Some(connection) = next.take() {
            runtime.block_on(serve_connection(connection));
            let mut state = self.lock();
            state.idle += 1;
            loop {
                if let Some(c) = state.handed.pop() {
                    next = Some(c);
                    break;
                }
                let (s, waited) = self
                    .shared
                    .wake
                    .wait_timeout(state, IDLE_THREAD_LIFETIME)
                    .unwrap_or_else(PoisonError::into_inner);
                state = s;
                if waited.timed_out() && state.handed.is_empty() {
                    // Nothing was handed to this thread: it is still counted idle.
                    state.idle -= 1;
                    break;
                }
            }
        }
    }
}
