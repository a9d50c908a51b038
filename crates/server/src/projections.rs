//! The store's projection and entity search index, each built once and
//! kept until the next write.
//!
//! The projection comes from the copy kept beside the store when the store
//! is still in the state it was made from (about two seconds at a million
//! relationships), else it is built (two to three minutes there, a few
//! milliseconds for the seed) and a copy kept; the analyses then take
//! milliseconds. The server is the store's only writer while it runs
//! (RocksDB's lock keeps other processes out), so the projection stays true
//! until a write through this server, which counts itself here. Windowed
//! and per-kind projections are derived from the full one in memory
//! ([`Projection::filtered`]).

use interlock_graph::{EntityIndex, Filter, GraphError, Origin, Projection};
use interlock_store::Store;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

/// A value derived from the store, and how many writes it has seen.
type Kept<T> = Mutex<Option<(u64, Arc<T>)>>;

/// The full projection and the entity search index, each with how many
/// writes it has seen.
#[derive(Default)]
pub(crate) struct Projections {
    writes: AtomicU64,
    built: Kept<Projection>,
    index: Kept<EntityIndex>,
}

impl Projections {
    /// Marks the kept projection stale. Call it once a write has finished,
    /// so that a projection built during the write is not kept as current.
    pub fn written(&self) {
        self.writes.fetch_add(1, Ordering::SeqCst);
    }

    /// How many writes were counted since the server started.
    pub fn writes(&self) -> u64 {
        self.writes.load(Ordering::SeqCst)
    }

    /// The projection of `store` with `filter`: derived from the kept full
    /// projection, which is built first if there is none since the last write.
    /// Requests arriving during a build wait for it rather than build again.
    pub fn get(&self, store: &Store, filter: &Filter) -> Result<Arc<Projection>, GraphError> {
        let full = self.kept(&self.built, || {
            let started = std::time::Instant::now();
            let (projection, origin) = Projection::current(store)?;
            log_origin("projection", origin, started);
            Ok(projection)
        })?;
        Ok(if filter.keeps_everything() {
            full
        } else {
            Arc::new(full.filtered(filter))
        })
    }

    /// The entity search index of `store`, built first if there is none
    /// since the last write.
    pub fn index(&self, store: &Store) -> Result<Arc<EntityIndex>, GraphError> {
        self.kept(&self.index, || {
            let started = std::time::Instant::now();
            let (index, origin) = EntityIndex::current(store)?;
            log_origin("search index", origin, started);
            Ok(index)
        })
    }

    /// What `slot` keeps, built by `build` if it was built before the last
    /// write. Requests arriving during a build wait for it rather than build again.
    fn kept<T>(
        &self,
        slot: &Kept<T>,
        build: impl FnOnce() -> Result<T, GraphError>,
    ) -> Result<Arc<T>, GraphError> {
        let mut built = slot.lock().unwrap_or_else(PoisonError::into_inner);
        let writes = self.writes.load(Ordering::SeqCst);
        match &*built {
            Some((seen, value)) if *seen == writes => Ok(value.clone()),
            _ => {
                let value = Arc::new(build()?);
                *built = Some((writes, value.clone()));
                Ok(value)
            }
        }
    }
}

/// Logs how `what` came to be and how long it took.
fn log_origin(what: &str, origin: Origin, started: std::time::Instant) {
    let seconds = started.elapsed().as_secs_f64();
    match origin {
        Origin::Kept => tracing::info!("{what} read from its kept copy in {seconds:.1} s"),
        Origin::Built { kept } => {
            tracing::info!("{what} built in {seconds:.1} s (copy kept: {kept})");
        }
    }
}
