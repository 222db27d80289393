//! The global allocator: size-class free lists for small blocks, carved
//! from large chunks, in front of the C library's malloc for the rest.
//!
//! musl's allocator is compact but slow (a shell loop spent half its time in
//! malloc/free). Small blocks (≤ 2 KiB, alignment ≤ 16) need no header: Rust
//! passes the size back on free, which selects the class. Freed blocks are
//! kept for reuse, not returned to the system — right for short-lived
//! command-line tools and a shell. Medium blocks (up to 64 KiB: read
//! buffers, directory buffers) come from malloc once per power-of-two class
//! and are kept too: musl maps and unmaps them on every malloc/free, which
//! costs page faults and TLB flushes (an mmap/munmap pair per sysfs file
//! read by mdev). A spin lock keeps it correct if an
//! applet uses threads; uncontended, it costs one atomic swap.
//! This is the one module besides `sys` that uses `unsafe`.
#![allow(unsafe_code)]

use std::alloc::{GlobalAlloc, Layout};
use std::cell::UnsafeCell;
use std::sync::atomic::{AtomicBool, Ordering};

const MAX_SMALL: usize = 2048;
const CHUNK: usize = 256 * 1024;
/// Medium classes: 4 KiB, 8 KiB, ... 64 KiB.
const MEDIUM_SHIFT: [u32; 5] = [12, 13, 14, 15, 16];
const MAX_MEDIUM: usize = 1 << 16;

/// Class sizes: steps of 16 to 128, then four steps per doubling.
const SIZES: [usize; 24] = [
    16, 32, 48, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384, 448, 512, 640, 768, 896, 1024,
    1280, 1536, 1792, 2048,
];

/// Class index for each size rounded up to 16 (index = (size + 15) / 16).
const CLASS_OF: [u8; MAX_SMALL / 16 + 1] = {
    let mut t = [0u8; MAX_SMALL / 16 + 1];
    let mut i = 0;
    while i < t.len() {
        let size = i * 16;
        let mut c = 0;
        while SIZES[c] < size {
            c += 1;
        }
        t[i] = c as u8;
        i += 1;
    }
    t
};

struct State {
    free: [*mut u8; SIZES.len() + MEDIUM_SHIFT.len()],
    bump: *mut u8,
    end: *mut u8,
}

pub struct Alloc {
    lock: AtomicBool,
    state: UnsafeCell<State>,
}

// SAFETY: all access to `state` happens with `lock` held.
unsafe impl Sync for Alloc {}

impl Alloc {
    pub const fn new() -> Alloc {
        Alloc {
            lock: AtomicBool::new(false),
            state: UnsafeCell::new(State {
                free: [std::ptr::null_mut(); SIZES.len() + MEDIUM_SHIFT.len()],
                bump: std::ptr::null_mut(),
                end: std::ptr::null_mut(),
            }),
        }
    }

    fn with<T>(&self, f: impl FnOnce(&mut State) -> T) -> T {
        while self.lock.swap(true, Ordering::Acquire) {
            std::hint::spin_loop();
        }
        // SAFETY: the lock gives exclusive access.
        let r = f(unsafe { &mut *self.state.get() });
        self.lock.store(false, Ordering::Release);
        r
    }
}

impl Default for Alloc {
    fn default() -> Self {
        Alloc::new()
    }
}

/// The class of a block kept by this allocator: small classes first, then
/// the medium ones.
fn small(layout: &Layout) -> Option<usize> {
    if layout.align() > 16 {
        None
    } else if layout.size() <= MAX_SMALL {
        Some(usize::from(CLASS_OF[layout.size().div_ceil(16).max(1)]))
    } else if layout.size() <= MAX_MEDIUM {
        let shift = layout.size().next_power_of_two().trailing_zeros();
        Some(SIZES.len() + (shift - MEDIUM_SHIFT[0]) as usize)
    } else {
        None
    }
}

fn class_size(class: usize) -> usize {
    match SIZES.get(class) {
        Some(&size) => size,
        None => 1 << MEDIUM_SHIFT[class - SIZES.len()],
    }
}

unsafe fn big_alloc(layout: Layout) -> *mut u8 {
    unsafe {
        if layout.align() <= 16 {
            libc::malloc(layout.size().max(1)).cast()
        } else {
            let mut p: *mut libc::c_void = std::ptr::null_mut();
            if libc::posix_memalign(&mut p, layout.align(), layout.size().max(1)) != 0 {
                return std::ptr::null_mut();
            }
            p.cast()
        }
    }
}

unsafe impl GlobalAlloc for Alloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let Some(class) = small(&layout) else {
            return unsafe { big_alloc(layout) };
        };
        self.with(|st| unsafe {
            let head = st.free[class];
            if !head.is_null() {
                // A free block holds the pointer to the next one.
                st.free[class] = *(head as *mut *mut u8);
                return head;
            }
            let size = class_size(class);
            if size > MAX_SMALL {
                return libc::malloc(size).cast();
            }
            if st.bump.is_null() || (st.end as usize) - (st.bump as usize) < size {
                let chunk: *mut u8 = libc::malloc(CHUNK).cast();
                if chunk.is_null() {
                    return std::ptr::null_mut();
                }
                // malloc returns 16-byte aligned memory on x86_64.
                st.bump = chunk;
                st.end = chunk.add(CHUNK);
            }
            let p = st.bump;
            st.bump = p.add(size);
            p
        })
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        match small(&layout) {
            None => unsafe { libc::free(ptr.cast()) },
            Some(class) => self.with(|st| unsafe {
                *(ptr as *mut *mut u8) = st.free[class];
                st.free[class] = ptr;
            }),
        }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        unsafe {
            let new_layout = Layout::from_size_align_unchecked(new_size, layout.align());
            match (small(&layout), small(&new_layout)) {
                (Some(a), Some(b)) if a == b => ptr,
                (None, None) if layout.align() <= 16 => {
                    libc::realloc(ptr.cast(), new_size.max(1)).cast()
                }
                _ => {
                    let new = self.alloc(new_layout);
                    if !new.is_null() {
                        std::ptr::copy_nonoverlapping(ptr, new, layout.size().min(new_size));
                        self.dealloc(ptr, layout);
                    }
                    new
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn medium_classes_are_powers_of_two() {
        for (size, want) in [(2049, 4096), (4096, 4096), (4097, 8192), (65_536, 65_536)] {
            let class = small(&Layout::from_size_align(size, 8).unwrap()).unwrap();
            assert_eq!(class_size(class), want, "{size}");
        }
        assert_eq!(small(&Layout::from_size_align(65_537, 8).unwrap()), None);
        assert_eq!(small(&Layout::from_size_align(4096, 32).unwrap()), None);
    }

    #[test]
    fn classes_cover_sizes() {
        for size in 1..=MAX_SMALL {
            let c = usize::from(CLASS_OF[size.div_ceil(16)]);
            assert!(SIZES[c] >= size, "{size}");
            if c > 0 {
                assert!(SIZES[c - 1] < size, "{size}");
            }
        }
    }

    #[test]
    fn reuses_and_grows() {
        let a = Alloc::new();
        unsafe {
            let l = Layout::from_size_align(24, 8).unwrap();
            let p = a.alloc(l);
            p.write_bytes(7, 24);
            a.dealloc(p, l);
            let q = a.alloc(l);
            assert_eq!(p, q);
            q.write_bytes(7, 24);
            // Grow across classes and into the large path, keeping contents.
            let r = a.realloc(q, l, 100);
            assert_eq!(*r, 7);
            let l2 = Layout::from_size_align(100, 8).unwrap();
            let s = a.realloc(r, l2, 10_000);
            assert_eq!(*s.add(23), 7);
            // A medium block is kept and reused by its power-of-two class.
            let m = Layout::from_size_align(5_000, 8).unwrap();
            assert_eq!(s, {
                a.dealloc(s, Layout::from_size_align(10_000, 8).unwrap());
                a.alloc(Layout::from_size_align(16_000, 8).unwrap())
            });
            let u = a.alloc(m);
            u.write_bytes(9, 5_000);
            // Past 64 KiB, blocks go to the C library, contents kept.
            let v = a.realloc(u, m, 100_000);
            assert_eq!(*v.add(4_999), 9);
            a.dealloc(v, Layout::from_size_align(100_000, 8).unwrap());
            a.dealloc(s, Layout::from_size_align(16_000, 8).unwrap());
            // Over-aligned requests are honoured.
            let la = Layout::from_size_align(64, 64).unwrap();
            let t = a.alloc(la);
            assert_eq!(t as usize % 64, 0);
            a.dealloc(t, la);
        }
    }
}
