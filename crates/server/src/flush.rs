//! A writable server writes recent writes out of memory now and then.
//!
//! RocksDB keeps writes in memory (write buffers: Oxigraph gives each of
//! its tables 128 MiB) until a buffer fills; the small writes of a newsroom
//! take hours to fill them, and the server's memory grows with every write
//! meanwhile (`bench/soak.py`). So, every [`FLUSH_INTERVAL`] in which
//! something was written, the store is flushed. Not more often: each flush
//! adds small table files that range scans merge until RocksDB compacts
//! them (a flush every 30 s slowed the soak's heavy queries).

use crate::projections::Projections;
use interlock_store::StoreError;
use std::sync::{Arc, Weak};
use std::time::Duration;

/// How often a writable server flushes the store's write buffers, if
/// anything was written since the last time.
pub const FLUSH_INTERVAL: Duration = Duration::from_secs(120);

/// Spawns the task that calls `flush` (the store's [`Store::flush`]) every
/// `every` in which `projections` counted a write, on the blocking pool.
/// The task ends with the router that owns `projections`.
///
/// [`Store::flush`]: interlock_store::Store::flush
pub(crate) fn flush_after_writes<F>(projections: &Arc<Projections>, every: Duration, flush: F)
where
    F: Fn() -> Result<(), StoreError> + Clone + Send + 'static,
{
    let projections = Arc::downgrade(projections);
    tokio::spawn(async move {
        let mut flushed_at = 0;
        let mut interval = tokio::time::interval(every);
        interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        interval.tick().await; // the first tick is immediate
        loop {
            interval.tick().await;
            let Some(writes) = Weak::upgrade(&projections).map(|p| p.writes()) else {
                return;
            };
            if writes == flushed_at {
                continue;
            }
            flushed_at = writes;
            match tokio::task::spawn_blocking(flush.clone()).await {
                Ok(Ok(())) => {}
                Ok(Err(e)) => tracing::warn!("flushing the store's write buffers failed: {e}"),
                Err(e) => tracing::warn!("flushing the store's write buffers failed: {e}"),
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    // What a flush writes is `Store::flush`'s to test (crates/store/tests/flush.rs);
    // here, when the server calls it.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn writes_are_flushed_within_an_interval_and_nothing_else_is() {
        let projections = Arc::new(Projections::default());
        let flushes = Arc::new(AtomicUsize::new(0));
        let counted = flushes.clone();
        let every = Duration::from_millis(200);
        flush_after_writes(&projections, every, move || {
            counted.fetch_add(1, Ordering::SeqCst);
            Ok(())
        });
        let settle = || tokio::time::sleep(every * 3);
        let flushed = || flushes.load(Ordering::SeqCst);

        settle().await;
        assert_eq!(flushed(), 0, "flushed with nothing written");
        projections.written();
        settle().await;
        assert_eq!(flushed(), 1, "a write not flushed within an interval");
        settle().await;
        assert_eq!(flushed(), 1, "flushed again with nothing written since");
        projections.written();
        projections.written();
        settle().await;
        assert_eq!(flushed(), 2, "two writes in an interval, one flush");
        drop(projections);
        settle().await;
        assert_eq!(
            Arc::strong_count(&flushes),
            1,
            "the task outlived its router"
        );
    }
}
