//! The engine's memory limit, so that a program that allocates without end
//! gets a `MemoryError` instead of taking the engine down.
//!
//! RustPython raises `MemoryError` where a large buffer cannot be had (a
//! `bytearray(n)`, a list grown by `try_reserve`); everything else aborts
//! when the allocator says no. So a program that fills memory with large
//! objects gets its `MemoryError` from the allocation that does not fit,
//! and then the engine dies anyway: describing the error, unwinding and
//! ending the program need small allocations too, and none are left. Two
//! things prevent that:
//!
//! - a *reserve*, allocated at start-up and given back to the allocator as
//!   soon as a large allocation is refused: the room the engine needs to
//!   raise, report and clean up. It is taken again once memory is free
//!   (after the program's memory is released, see `Session`);
//! - natively, a *limit* on large allocations: with overcommit the system
//!   hands out address space long after memory is gone, so the same limit
//!   as the browser's (its module's maximum memory) applies here.
//!
//! Only allocations of at least `LARGE` bytes are counted and checked: the
//! engine's countless small ones cost nothing more. (Every allocation is
//! also reported to `allocation_count`, which counts only while a memory
//! profile measures.)

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicPtr, AtomicUsize, Ordering};

use crate::allocation_count;

/// Memory the engine may use, in MiB: the browser build's maximum memory
/// (wasm32-wasip1-threads links with `--max-memory` of 1 GiB), and the
/// limit on large allocations natively.
pub const LIMIT_MIB: usize = 1024;
const LIMIT: usize = LIMIT_MIB << 20;
/// Allocations from this size on are counted and may be refused.
const LARGE: usize = 1 << 20;
/// Room kept back for the engine once a program has used the rest.
const RESERVE: usize = 32 << 20;
const RESERVE_LAYOUT: Layout = match Layout::from_size_align(RESERVE, 16) {
    Ok(layout) => layout,
    Err(_) => panic!("the reserve's layout is valid"),
};

/// Bytes in large allocations now.
static LARGE_IN_USE: AtomicUsize = AtomicUsize::new(0);
/// The reserve while it is held (null once given back).
static RESERVE_BLOCK: AtomicPtr<u8> = AtomicPtr::new(std::ptr::null_mut());

/// The global allocator of the `pyrace` binary: the system's, limited.
pub struct LimitedAllocator;

impl LimitedAllocator {
    /// Counts `size` bytes of a large allocation; false (and nothing
    /// counted, the reserve given back) when they would pass the limit.
    fn admit(size: usize) -> bool {
        size < LARGE || Self::count(size)
    }

    fn count(bytes: usize) -> bool {
        // In the browser the module's maximum memory is the limit.
        let limited = cfg!(not(target_arch = "wasm32"));
        let counted = LARGE_IN_USE
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |used| {
                match used.checked_add(bytes) {
                    Some(total) if !limited || total <= LIMIT => Some(total),
                    _ => None,
                }
            })
            .is_ok();
        if !counted {
            give_back_reserve();
        }
        counted
    }

    fn uncount(bytes: usize) {
        LARGE_IN_USE.fetch_sub(bytes, Ordering::AcqRel);
    }

    /// The bytes of a block of `size` that count.
    fn counted(size: usize) -> usize {
        if size >= LARGE { size } else { 0 }
    }

    /// What an allocation that the system refused leaves: not counted, and
    /// the reserve given back for what follows.
    fn refused(counted: usize) -> *mut u8 {
        Self::uncount(counted);
        give_back_reserve();
        std::ptr::null_mut()
    }
}

// SAFETY: every request goes to `System` unchanged or is refused with null,
// as `GlobalAlloc` allows; the counting never touches the memory.
unsafe impl GlobalAlloc for LimitedAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if !Self::admit(layout.size()) {
            return std::ptr::null_mut();
        }
        // SAFETY: the caller's layout, passed on.
        let ptr = unsafe { System.alloc(layout) };
        if ptr.is_null() {
            Self::refused(Self::counted(layout.size()))
        } else {
            allocation_count::allocated(layout.size());
            ptr
        }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if !Self::admit(layout.size()) {
            return std::ptr::null_mut();
        }
        // SAFETY: the caller's layout, passed on.
        let ptr = unsafe { System.alloc_zeroed(layout) };
        if ptr.is_null() {
            Self::refused(Self::counted(layout.size()))
        } else {
            allocation_count::allocated(layout.size());
            ptr
        }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` came from `System` with this layout.
        unsafe { System.dealloc(ptr, layout) };
        Self::uncount(Self::counted(layout.size()));
        allocation_count::released(layout.size());
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let (old, new) = (Self::counted(layout.size()), Self::counted(new_size));
        if new > old && !Self::count(new - old) {
            return std::ptr::null_mut();
        }
        // SAFETY: the caller's pointer, layout and size, passed on.
        let moved = unsafe { System.realloc(ptr, layout, new_size) };
        if moved.is_null() {
            return Self::refused(new.saturating_sub(old));
        }
        Self::uncount(old.saturating_sub(new));
        // A move to a new block: the old one released, a new one allocated.
        allocation_count::released(layout.size());
        allocation_count::allocated(new_size);
        moved
    }
}

fn give_back_reserve() {
    let block = RESERVE_BLOCK.swap(std::ptr::null_mut(), Ordering::AcqRel);
    if !block.is_null() {
        // SAFETY: the reserve was allocated from `System` with this layout.
        unsafe { System.dealloc(block, RESERVE_LAYOUT) };
    }
}

/// Takes the reserve (again): at start-up, and once a program's memory has
/// been released after it ran out. Without room for it nothing happens; the
/// next call tries again.
pub fn keep_reserve() {
    if !RESERVE_BLOCK.load(Ordering::Acquire).is_null() {
        return;
    }
    // SAFETY: a valid, non-zero layout.
    let block = unsafe { System.alloc(RESERVE_LAYOUT) };
    if block.is_null() {
        return;
    }
    if RESERVE_BLOCK
        .compare_exchange(
            std::ptr::null_mut(),
            block,
            Ordering::AcqRel,
            Ordering::Acquire,
        )
        .is_err()
    {
        // SAFETY: allocated just above with this layout, never shared.
        unsafe { System.dealloc(block, RESERVE_LAYOUT) };
    }
}

/// Whether the reserve has been given back and not taken again: memory ran
/// out since.
pub fn ran_out() -> bool {
    RESERVE_BLOCK.load(Ordering::Acquire).is_null()
}
