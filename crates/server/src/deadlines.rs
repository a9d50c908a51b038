//! Query deadlines, kept by a thread of their own.
//!
//! A query evaluated on its connection's thread cannot watch the clock while
//! it runs, so this thread does. At the deadline it cancels the query
//! (Oxigraph looks at the token at every read from the store, and the
//! result writer at every result). If the evaluation is still running
//! [`GRACE`] later — deep in an in-memory join, where Oxigraph does not look
//! at the token — it answers the client itself with 503 on the connection's
//! socket and closes it, so that no client waits past its deadline; the
//! evaluation's thread is then lost until the evaluation ends.
//!
//! Registering a query wakes the keeper only when its deadline comes before
//! the keeper's next look; with one timeout for all queries that is never,
//! so a query costs a lock and a map insertion, not a thread wake-up.

use crate::connections::ConnectionSocket;
use interlock_store::StoreError;
use oxigraph::sparql::CancellationToken;
use std::collections::HashMap;
use std::io::Write;
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError, Weak};
use std::time::{Duration, Instant};

/// How long an evaluation may take to notice its cancellation before its
/// client is answered without it.
const GRACE: Duration = Duration::from_millis(250);

/// How long the keeper sleeps at most: it ends within this once the server is gone.
const LONGEST_SLEEP: Duration = Duration::from_secs(1);

/// The deadlines of the queries being evaluated.
#[derive(Clone)]
pub(crate) struct Deadlines {
    shared: Arc<Shared>,
}

struct Shared {
    pending: Mutex<Pending>,
    wake: Condvar,
}

#[derive(Default)]
struct Pending {
    queries: HashMap<u64, Query>,
    next_id: u64,
    /// When the keeper looks next.
    next_look: Option<Instant>,
}

struct Query {
    deadline: Instant,
    cancel: CancellationToken,
    socket: Option<ConnectionSocket>,
    /// The query's time limit, told to the client if the evaluation ignores
    /// its cancellation.
    timeout: Duration,
}

/// A query under watch, until [`Watch::finish`] (or drop).
pub(crate) struct Watch {
    id: Option<u64>,
    shared: Arc<Shared>,
}

impl Deadlines {
    /// Starts the keeper thread; it ends once every clone of this is dropped.
    pub fn start() -> std::io::Result<Deadlines> {
        let shared = Arc::new(Shared {
            pending: Mutex::new(Pending::default()),
            wake: Condvar::new(),
        });
        let weak = Arc::downgrade(&shared);
        std::thread::Builder::new()
            .name("interlock-deadlines".into())
            .spawn(move || keep(&weak))?;
        Ok(Deadlines { shared })
    }

    /// Cancels `cancel` `timeout` after `started`; answers 503 on `socket`
    /// if the evaluation has not ended [`GRACE`] later.
    pub fn watch(
        &self,
        started: Instant,
        timeout: Duration,
        cancel: CancellationToken,
        socket: Option<ConnectionSocket>,
    ) -> Watch {
        let deadline = started + timeout;
        let mut pending = lock(&self.shared);
        let id = pending.next_id;
        pending.next_id += 1;
        pending.queries.insert(
            id,
            Query {
                deadline,
                cancel,
                socket,
                timeout,
            },
        );
        if pending.next_look.is_none_or(|look| deadline < look) {
            self.shared.wake.notify_one();
        }
        Watch {
            id: Some(id),
            shared: self.shared.clone(),
        }
    }
}

impl Watch {
    /// Ends the watch. False if the client was already answered with 503 by
    /// the keeper: the evaluation ran on past its deadline and grace.
    pub fn finish(mut self) -> bool {
        self.remove()
    }

    fn remove(&mut self) -> bool {
        match self.id.take() {
            Some(id) => lock(&self.shared).queries.remove(&id).is_some(),
            None => true,
        }
    }
}

impl Drop for Watch {
    fn drop(&mut self) {
        self.remove();
    }
}

fn lock(shared: &Shared) -> MutexGuard<'_, Pending> {
    shared
        .pending
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
}

/// The keeper thread.
fn keep(weak: &Weak<Shared>) {
    while let Some(shared) = weak.upgrade() {
        let mut pending = lock(&shared);
        let now = Instant::now();
        let mut next = now + LONGEST_SLEEP;
        let mut overdue = Vec::new();
        for (id, query) in &pending.queries {
            if query.deadline <= now {
                query.cancel.cancel();
            }
            let answer_at = query.deadline + GRACE;
            if answer_at <= now {
                overdue.push(*id);
            } else {
                next = next.min(if query.deadline <= now {
                    answer_at
                } else {
                    query.deadline
                });
            }
        }
        for id in overdue {
            if let Some(query) = pending.queries.remove(&id) {
                tracing::warn!(
                    "a query ran past its deadline without noticing its cancellation; \
                     its client was answered 503 and its evaluation goes on"
                );
                if let Some(socket) = query.socket {
                    let message = StoreError::Timeout(query.timeout).to_string();
                    answer_unavailable(&socket, &message);
                }
            }
        }
        pending.next_look = Some(next);
        let wait = next.saturating_duration_since(now);
        let _ = shared
            .wake
            .wait_timeout(pending, wait)
            .unwrap_or_else(PoisonError::into_inner);
    }
}

/// Writes a whole 503 response on `socket` and closes it. Nothing of this
/// request's response was written yet: its handler is still evaluating.
fn answer_unavailable(socket: &ConnectionSocket, message: &str) {
    let body = format!("{message}\n");
    let response = format!(
        "HTTP/1.1 503 Service Unavailable\r\n\
         content-type: text/plain; charset=utf-8\r\n\
         content-length: {}\r\n\
         access-control-allow-origin: *\r\n\
         connection: close\r\n\r\n{body}",
        body.len()
    );
    let mut stream = &*socket.0;
    let _ = stream.write_all(response.as_bytes());
    let _ = socket.0.shutdown(std::net::Shutdown::Both);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_query_is_cancelled_at_its_deadline_and_not_before() {
        let deadlines = Deadlines::start().unwrap();
        let cancel = CancellationToken::new();
        let timeout = Duration::from_millis(300);
        let watch = deadlines.watch(Instant::now(), timeout, cancel.clone(), None);
        std::thread::sleep(Duration::from_millis(150));
        assert!(!cancel.is_cancelled());
        std::thread::sleep(Duration::from_millis(300));
        assert!(cancel.is_cancelled());
        // Past the grace too: the keeper has answered for it.
        std::thread::sleep(GRACE);
        assert!(!watch.finish());
    }

    #[test]
    fn a_finished_query_is_left_alone() {
        let deadlines = Deadlines::start().unwrap();
        let cancel = CancellationToken::new();
        let watch = deadlines.watch(
            Instant::now(),
            Duration::from_millis(100),
            cancel.clone(),
            None,
        );
        assert!(watch.finish());
        std::thread::sleep(Duration::from_millis(200));
        assert!(!cancel.is_cancelled());
    }
}
