//! The `stackcraft` command: the library's command line with the built-in
//! blueprints (see `stackcraft::cli::run_with` to add your own).

use std::alloc::{GlobalAlloc, Layout};

/// mimalloc instead of the system allocator: synthesis builds and frees
/// millions of small JSON nodes (a 1,000-service `micro` holds ~100 MB of
/// them at once), and glibc's malloc spent more time consolidating and
/// unlinking free chunks than the synthesis did (1.17 s -> 0.50 s for that
/// run on one core; `synth micro --stdout` 11.5 -> 8.4 ms of CPU). Set
/// here, not in the library, so programs built on the library keep their
/// own choice. [`Allocator`] adds the huge-page policy.
#[global_allocator]
static ALLOCATOR: Allocator = Allocator;

fn main() -> std::process::ExitCode {
    stackcraft::cli::main()
}

/// mimalloc, with transparent huge pages only once a run is big.
///
/// mimalloc asks the kernel for huge pages on its whole arena
/// (`madvise(MADV_HUGEPAGE)`), so the first touch of each 2 MiB region
/// zeroes all of it. `synth todo` allocates 1.2 MB in total and touched
/// three such regions: 0.6 ms of a 4 ms run. A 1,000-service `micro`
/// allocates 530 MB, where huge pages save TLB misses and page faults (20%
/// of its time). So huge pages stay off (`PR_SET_THP_DISABLE`, for this
/// process only) until a thread has allocated [`BIG_RUN`] bytes; the
/// kernel honours mimalloc's advice again from then on. A process started
/// with huge pages already off keeps them off.
struct Allocator;

// SAFETY: every call is passed to mimalloc unchanged; `huge_pages::note`
// neither allocates nor unwinds.
unsafe impl GlobalAlloc for Allocator {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        huge_pages::note(layout.size());
        // SAFETY: forwarded with the caller's guarantees.
        unsafe { mimalloc::MiMalloc.alloc(layout) }
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        huge_pages::note(layout.size());
        // SAFETY: forwarded with the caller's guarantees.
        unsafe { mimalloc::MiMalloc.alloc_zeroed(layout) }
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: forwarded with the caller's guarantees.
        unsafe { mimalloc::MiMalloc.dealloc(ptr, layout) }
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        huge_pages::note(new_size);
        // SAFETY: forwarded with the caller's guarantees.
        unsafe { mimalloc::MiMalloc.realloc(ptr, layout, new_size) }
    }
}

/// Bytes a thread allocates before the run counts as big: `synth todo`,
/// `blog` and `micro` and `check --all` allocate 1-8 MB, 100 generated
/// services 54 MB.
const BIG_RUN: usize = 8 << 20;

#[cfg(target_os = "linux")]
mod huge_pages {
    use std::cell::Cell;
    use std::sync::atomic::{AtomicU8, Ordering};

    const UNSET: u8 = 0;
    const SMALL: u8 = 1;
    const BIG: u8 = 2;
    /// Huge pages were off before this process started (a launcher's
    /// `PR_SET_THP_DISABLE` is inherited): that choice is kept.
    const OFF: u8 = 3;

    static STATE: AtomicU8 = AtomicU8::new(UNSET);

    thread_local! {
        // Per thread, so counting costs no shared cache line; const and
        // without a destructor, so it is usable inside the allocator.
        static ALLOCATED: Cell<usize> = const { Cell::new(0) };
    }

    /// Counts an allocation of `size` bytes; switches huge pages off on the
    /// first call and on again once this thread has allocated `BIG_RUN`.
    #[inline]
    pub fn note(size: usize) {
        match STATE.load(Ordering::Relaxed) {
            BIG | OFF => {}
            UNSET => start(),
            _ => {
                let total = ALLOCATED.with(|a| {
                    let t = a.get().saturating_add(size);
                    a.set(t);
                    t
                });
                if total >= super::BIG_RUN
                    && STATE
                        .compare_exchange(SMALL, BIG, Ordering::Relaxed, Ordering::Relaxed)
                        .is_ok()
                {
                    set(true);
                }
            }
        }
    }

    /// The first allocation: huge pages off, unless they already were.
    #[cold]
    fn start() {
        let inherited = rustix::thread::transparent_huge_pages_are_disabled().unwrap_or(true);
        let next = if inherited { OFF } else { SMALL };
        if STATE
            .compare_exchange(UNSET, next, Ordering::Relaxed, Ordering::Relaxed)
            .is_ok()
            && next == SMALL
        {
            set(false);
        }
    }

    /// Allows or forbids huge pages for this process. The kernel reads the
    /// flag at each page fault (Linux 4.13 and later), so pages faulted
    /// while it was set stay small; an older kernel keeps its default,
    /// which only costs time.
    fn set(allowed: bool) {
        let _ = rustix::thread::disable_transparent_huge_pages(!allowed);
    }
}

#[cfg(not(target_os = "linux"))]
mod huge_pages {
    /// Other systems keep mimalloc's defaults.
    #[inline]
    pub fn note(_size: usize) {}
}
