//! Work cut into numbered pieces, run on every core, gathered in order.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

/// `work(i, state)` for every `i` in `0..count`, on as many threads as
/// there are cores (each with its own `state()`, reused from piece to
/// piece); the results in the order of `i`, whichever thread ran them.
pub(crate) fn map_in_order<S, R: Send>(
    count: usize,
    state: impl Fn() -> S + Sync,
    work: impl Fn(usize, &mut S) -> R + Sync,
) -> Vec<R> {
    let results: Mutex<Vec<Option<R>>> = Mutex::new((0..count).map(|_| None).collect());
    let taken = AtomicUsize::new(0);
    let threads = std::thread::available_parallelism()
        .map_or(1, std::num::NonZero::get)
        .min(count);
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| {
                let mut state = state();
                loop {
                    let i = taken.fetch_add(1, Ordering::Relaxed);
                    if i >= count {
                        return;
                    }
                    let out = work(i, &mut state);
                    results
                        .lock()
                        .unwrap_or_else(std::sync::PoisonError::into_inner)[i] = Some(out);
                }
            });
        }
    });
    results
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .into_iter()
        .map(|r| r.expect("every piece was run"))
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn results_come_in_order_whatever_the_threads() {
        let squares = super::map_in_order(
            1000,
            || 0usize,
            |i, runs| {
                *runs += 1;
                i * i
            },
        );
        assert_eq!(squares, (0..1000).map(|i| i * i).collect::<Vec<_>>());
        assert!(super::map_in_order(0, || (), |i, ()| i).is_empty());
    }
}
