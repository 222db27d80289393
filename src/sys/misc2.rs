//! System calls for date, timeout, nice, nohup, tty, id and logname:
//! the clock, scheduling priority, signal waiting, terminal names.
#![allow(unsafe_code)]

use super::*;

/// clock_settime(CLOCK_REALTIME) (`date -s`).
pub fn set_clock(ts: Timespec) -> io::Result<()> {
    let t = libc::timespec {
        tv_sec: ts.sec,
        tv_nsec: ts.nsec,
    };
    check(unsafe { libc::clock_settime(libc::CLOCK_REALTIME, &t) }).map(drop)
}

/// The niceness of this process.
pub fn get_niceness() -> io::Result<i32> {
    // getpriority may legitimately return -1: clear errno first.
    unsafe { *libc::__errno_location() = 0 };
    let r = unsafe { libc::getpriority(libc::PRIO_PROCESS, 0) };
    if r == -1 {
        let e = last();
        if e.raw_os_error().is_some_and(|n| n != 0) {
            return Err(e);
        }
    }
    Ok(r)
}

/// Set the niceness of this process (the kernel clamps it to -20..=19).
pub fn set_niceness(n: i32) -> io::Result<()> {
    check(unsafe { libc::setpriority(libc::PRIO_PROCESS, 0, n) }).map(drop)
}

fn sigset(sigs: &[i32]) -> libc::sigset_t {
    let mut set: libc::sigset_t = unsafe { std::mem::zeroed() };
    unsafe { libc::sigemptyset(&mut set) };
    for &s in sigs {
        unsafe { libc::sigaddset(&mut set, s) };
    }
    set
}

/// Block the given signals; returns the previous mask (restore it with
/// `set_signal_mask`).
pub fn block_signals(sigs: &[i32]) -> libc::sigset_t {
    let set = sigset(sigs);
    let mut old: libc::sigset_t = unsafe { std::mem::zeroed() };
    unsafe { libc::sigprocmask(libc::SIG_BLOCK, &set, &mut old) };
    old
}

/// Wait for one of the (blocked) signals, at most `timeout` (seconds,
/// nanoseconds) when given. None when the time ran out.
pub fn wait_signal(sigs: &[i32], timeout: Option<(u64, u32)>) -> Option<i32> {
    let set = sigset(sigs);
    let ts = timeout.map(|(s, ns)| libc::timespec {
        tv_sec: s.min(i64::MAX as u64) as i64,
        tv_nsec: i64::from(ns),
    });
    loop {
        let r = unsafe {
            libc::sigtimedwait(
                &set,
                std::ptr::null_mut(),
                ts.as_ref().map_or(std::ptr::null(), |t| t as *const _),
            )
        };
        if r > 0 {
            return Some(r);
        }
        match last().raw_os_error() {
            Some(libc::EINTR) => continue,
            _ => return None,
        }
    }
}

/// Send a signal to ourselves (after restoring its default action).
pub fn raise_signal(sig: i32) {
    unsafe { libc::raise(sig) };
}

pub use libc::{
    SIGABRT, SIGALRM, SIGBUS, SIGCHLD, SIGCONT, SIGFPE, SIGILL, SIGSEGV, SIGSTOP, SIGSYS, SIGTRAP,
    SIGTSTP, SIGTTIN, SIGTTOU, SIGUSR1, SIGUSR2, SIGXCPU, SIGXFSZ,
};

/// The name of the terminal open on `fd`.
pub fn ttyname(fd: RawFd) -> io::Result<Vec<u8>> {
    let mut buf = [0u8; 4096];
    let r = unsafe { libc::ttyname_r(fd, buf.as_mut_ptr().cast(), buf.len()) };
    if r != 0 {
        return Err(io::Error::from_raw_os_error(r));
    }
    let n = memchr::memchr(0, &buf).unwrap_or(buf.len());
    Ok(buf[..n].to_vec())
}

/// Disable core dumps (RLIMIT_CORE = 0), before re-raising a child's
/// fatal signal.
pub fn no_core_dumps() {
    let rl = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    unsafe { libc::setrlimit(libc::RLIMIT_CORE, &rl) };
}
