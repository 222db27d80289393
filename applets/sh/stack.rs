//! A guard against deep nesting: parsing, expansion and execution recurse,
//! so `$($($(...)))` or `((((...))))` thousands deep would overflow the
//! stack. The shell notes where its stack starts and stops nesting with an
//! error well before the limit runs out.

use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

/// The stack address when the shell started.
static TOP: AtomicUsize = AtomicUsize::new(0);
/// Bytes of stack the shell may use (a share of RLIMIT_STACK).
static ROOM: AtomicUsize = AtomicUsize::new(0);

/// Note the top of the stack (call once, from the shell's main).
pub fn note_top() {
    let here = 0u8;
    TOP.store(std::ptr::addr_of!(here) as usize, Relaxed);
    let limit = match ibex::sys::getrlimit(libc::RLIMIT_STACK) {
        Ok((cur, _)) if cur > 0 && cur < 64 << 20 => cur as usize,
        _ => 8 << 20,
    };
    ROOM.store(limit.min(64 << 20), Relaxed);
}

/// Whether less than `share` quarters of the room is used: parsing stops at
/// 1 (deeper input is an error), execution and expansion at 3.
pub fn has_room(share: usize) -> bool {
    let here = 0u8;
    let top = TOP.load(Relaxed);
    if top == 0 {
        return true;
    }
    let used = top.saturating_sub(std::ptr::addr_of!(here) as usize);
    used < ROOM.load(Relaxed) / 4 * share
}
