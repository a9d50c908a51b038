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
use interlock_store::Store;
use std::sync::{Arc, Weak};
use std::time::Duration;

/// How often a writable server flushes the store's write buffers, if
/// anything was written since the last time.
pub const FLUSH_INTERVAL: Duration = Duration::from_secs(120);

/// Spawns the task that flushes `store` every `every` in which
/// `projections` counted a write. The task ends with the router that owns
/// `projections`.
pub(crate) fn flush_after_writes(store: Store, projections: &Arc<Projections>, every: Duration) {
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
            let store = store.clone();
            match tokio::task::spawn_blocking(move || store.flush()).await {
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
    use interlock_store::UpdateRequest;
    use std::path::Path;

    fn table_files(dir: &Path) -> usize {
        std::fs::read_dir(dir)
            .unwrap()
            .filter(|e| {
                e.as_ref()
                    .unwrap()
                    .path()
                    .extension()
                    .is_some_and(|x| x == "sst")
            })
            .count()
    }

    fn write(store: &Store, projections: &Projections, n: usize) {
        let update = format!(
            "INSERT DATA {{ GRAPH <http://example.org/g> {{ <http://example.org/s{n}> <http://example.org/p> {n} }} }}"
        );
        store
            .update(&UpdateRequest {
                update,
                ..UpdateRequest::default()
            })
            .unwrap();
        projections.written();
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn writes_are_flushed_within_an_interval_and_nothing_else_is() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let projections = Arc::new(Projections::default());
        let every = Duration::from_millis(200);
        flush_after_writes(store.clone(), &projections, every);
        let settle = || tokio::time::sleep(every * 3);

        settle().await;
        let at_start = table_files(dir.path());
        write(&store, &projections, 1);
        settle().await;
        let after_a_write = table_files(dir.path());
        assert!(
            after_a_write > at_start,
            "{at_start} table files, then {after_a_write}"
        );
        settle().await;
        assert_eq!(
            table_files(dir.path()),
            after_a_write,
            "flushed with nothing written"
        );
        write(&store, &projections, 2);
        settle().await;
        assert!(table_files(dir.path()) > after_a_write);
    }
}
