//! Work spread over the machine's cores, results in input order.
//!
//! Synthesis of a large `micro` builds and checks hundreds of independent
//! stacks; doing them on every core is what keeps a thousand services
//! under a second. Results come back in the order of the input, so the
//! output never depends on how the threads were scheduled.

use std::sync::atomic::{AtomicUsize, Ordering};

/// Items a thread must have before another is started. A thread costs
/// more than one template is worth: for the default `micro` (four
/// services) a second thread added a quarter to the CPU time and nothing
/// to the wall time, while for ten services it cut the wall time by a
/// tenth (paired runs, `taskset -c 0` against `-c 0,1`).
const MIN_ITEMS_PER_THREAD: usize = 4;

/// `f` applied to every item, on up to [`threads`] threads (the calling
/// thread is one of them), in the items' order.
///
/// Threads take the next unclaimed item until none is left, so a few
/// expensive items do not leave the other threads idle. With fewer than
/// two threads' worth of items, or one core, no thread is started.
pub(crate) fn map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    // Too few items for two threads: no need to ask how many cores there
    // are (which reads the cgroup's CPU quota files).
    let most = items.len() / MIN_ITEMS_PER_THREAD;
    let workers = if most <= 1 { 1 } else { threads().min(most) };
    if workers <= 1 {
        return items.iter().map(f).collect();
    }
    let next = AtomicUsize::new(0);
    let work = || {
        let mut done = Vec::new();
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(item) = items.get(i) else {
                return done;
            };
            done.push((i, f(item)));
        }
    };
    let mut done: Vec<(usize, R)> = std::thread::scope(|scope| {
        let helpers: Vec<_> = (1..workers).map(|_| scope.spawn(work)).collect();
        let mut all = work();
        for h in helpers {
            // A panic in `f` is a bug; carry it to the caller as if `f`
            // had run on this thread.
            match h.join() {
                Ok(part) => all.extend(part),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        all
    });
    done.sort_unstable_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, r)| r).collect()
}

/// How many threads [`map`] uses: the cores this process may run on
/// (`std::thread::available_parallelism`, which honours CPU affinity and
/// cgroup quotas, so `taskset -c 0 stackcraft ...` runs on one).
pub(crate) fn threads() -> usize {
    // Asked once per process: the answer takes several system calls.
    static THREADS: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    *THREADS.get_or_init(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_keep_the_input_order_whatever_the_threads_do() {
        let items: Vec<u64> = (0..500).collect();
        // Uneven work, so threads finish out of order.
        let out = map(&items, |&i| {
            let spins = (i * 7919) % 1000;
            (0..spins).fold(i, |acc, _| std::hint::black_box(acc))
        });
        assert_eq!(out, items);
    }

    #[test]
    fn empty_and_single_inputs_need_no_threads() {
        assert!(map(&[] as &[u8], |&b| b).is_empty());
        assert_eq!(map(&[3u8], |&b| b * 2), vec![6]);
    }

    #[test]
    #[should_panic(expected = "boom")]
    fn a_panic_in_a_worker_reaches_the_caller() {
        let items: Vec<u32> = (0..64).collect();
        map(&items, |&i| {
            if i == 63 {
                panic!("boom");
            }
            i
        });
    }
}
