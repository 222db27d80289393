//! inotify: change notification for `tail -f`.

use super::{check, with_cstr};
use std::io;
use std::os::fd::{FromRawFd, OwnedFd, RawFd};

pub use libc::{IN_ATTRIB, IN_DELETE_SELF, IN_MODIFY, IN_MOVE_SELF};

/// A non-blocking, close-on-exec inotify descriptor.
pub fn inotify_init() -> io::Result<OwnedFd> {
    let fd = check(unsafe { libc::inotify_init1(libc::IN_NONBLOCK | libc::IN_CLOEXEC) })?;
    Ok(unsafe { OwnedFd::from_raw_fd(fd) })
}

/// Watch `path` for the events in `mask`; the watch descriptor.
pub fn inotify_watch(fd: RawFd, path: &[u8], mask: u32) -> io::Result<i32> {
    with_cstr(path, |c| {
        check(unsafe { libc::inotify_add_watch(fd, c.as_ptr(), mask) })
    })
}

/// The watch descriptors of the events in `buf` (as filled by a read of
/// an inotify descriptor), in order.
pub fn inotify_wds(buf: &[u8], out: &mut Vec<i32>) {
    let mut i = 0;
    // struct inotify_event: wd, mask, cookie, len, then len bytes of name.
    while let Some(head) = buf.get(i..i + 16) {
        let wd = i32::from_ne_bytes([head[0], head[1], head[2], head[3]]);
        let len = u32::from_ne_bytes([head[12], head[13], head[14], head[15]]) as usize;
        out.push(wd);
        i += 16 + len;
    }
}
