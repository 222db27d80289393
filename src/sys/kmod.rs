//! Kernel module system calls: finit_module, init_module, delete_module.

use super::{check, with_cstr};
use std::io;
use std::os::fd::RawFd;

/// Load a module from an open file (`finit_module(2)`); `params` is the
/// space-separated parameter string.
pub fn finit_module(fd: RawFd, params: &[u8], flags: i32) -> io::Result<()> {
    with_cstr(params, |p| {
        let r = unsafe { libc::syscall(libc::SYS_finit_module, fd, p.as_ptr(), flags) };
        check(r as libc::c_int).map(drop)
    })
}

/// Load a module image from memory (`init_module(2)`).
pub fn init_module(image: &[u8], params: &[u8]) -> io::Result<()> {
    with_cstr(params, |p| {
        let r = unsafe {
            libc::syscall(
                libc::SYS_init_module,
                image.as_ptr(),
                image.len() as libc::c_ulong,
                p.as_ptr(),
            )
        };
        check(r as libc::c_int).map(drop)
    })
}

/// Unload a module by name (`delete_module(2)`); flags are O_NONBLOCK and
/// O_TRUNC (force).
pub fn delete_module(name: &[u8], flags: i32) -> io::Result<()> {
    with_cstr(name, |n| {
        let r = unsafe { libc::syscall(libc::SYS_delete_module, n.as_ptr(), flags) };
        check(r as libc::c_int).map(drop)
    })
}
