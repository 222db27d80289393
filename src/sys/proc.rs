//! Processes and signals for the shell and init: fork, exec, wait, signal
//! dispositions and pending-signal bookkeeping, process groups, limits.
#![allow(unsafe_code)]

use super::*;
pub fn fork() -> std::io::Result<i32> {
    let pid = unsafe { libc::fork() };
    if pid < 0 {
        Err(std::io::Error::last_os_error())
    } else {
        Ok(pid)
    }
}

/// End the process at once, without flushing or destructors (child side of
/// a fork, after exec failed).
pub fn exit_now(code: i32) -> ! {
    unsafe { libc::_exit(code) }
}

/// execve(2) with byte-string arguments; returns only on failure.
pub fn execve(path: &[u8], argv: &[Vec<u8>], envp: &[Vec<u8>]) -> std::io::Error {
    fn cstrings(v: &[Vec<u8>]) -> Option<Vec<std::ffi::CString>> {
        v.iter()
            .map(|s| std::ffi::CString::new(s.as_slice()).ok())
            .collect()
    }
    let (Some(a), Some(e), Ok(p)) = (cstrings(argv), cstrings(envp), std::ffi::CString::new(path))
    else {
        return std::io::Error::from_raw_os_error(libc::EINVAL);
    };
    let mut ap: Vec<*const libc::c_char> = a.iter().map(|c| c.as_ptr()).collect();
    ap.push(std::ptr::null());
    let mut ep: Vec<*const libc::c_char> = e.iter().map(|c| c.as_ptr()).collect();
    ep.push(std::ptr::null());
    unsafe { libc::execve(p.as_ptr(), ap.as_ptr(), ep.as_ptr()) };
    std::io::Error::last_os_error()
}

/// How a waited-for child changed state.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WaitStatus {
    Exited(i32),
    Signaled(i32, bool),
    Stopped(i32),
    Continued,
}

impl WaitStatus {
    /// The shell's `$?` for this status: the exit code, or 128 + signal.
    pub fn code(self) -> i32 {
        match self {
            WaitStatus::Exited(c) => c,
            WaitStatus::Signaled(s, _) | WaitStatus::Stopped(s) => 128 + s,
            WaitStatus::Continued => 0,
        }
    }
}

pub const WNOHANG: i32 = libc::WNOHANG;
pub const WUNTRACED: i32 = libc::WUNTRACED;
pub const WCONTINUED: i32 = libc::WCONTINUED;

/// waitpid(2), retried on EINTR unless `interruptible`. Ok(None) with
/// WNOHANG when no child has changed.
pub fn waitpid(
    pid: i32,
    flags: i32,
    interruptible: bool,
) -> std::io::Result<Option<(i32, WaitStatus)>> {
    loop {
        let mut st: libc::c_int = 0;
        let r = unsafe { libc::waitpid(pid, &mut st, flags) };
        if r < 0 {
            let e = std::io::Error::last_os_error();
            if e.raw_os_error() == Some(libc::EINTR) && !interruptible {
                continue;
            }
            return Err(e);
        }
        if r == 0 {
            return Ok(None);
        }
        let ws = if libc::WIFEXITED(st) {
            WaitStatus::Exited(libc::WEXITSTATUS(st))
        } else if libc::WIFSIGNALED(st) {
            WaitStatus::Signaled(libc::WTERMSIG(st), libc::WCOREDUMP(st))
        } else if libc::WIFSTOPPED(st) {
            WaitStatus::Stopped(libc::WSTOPSIG(st))
        } else {
            WaitStatus::Continued
        };
        return Ok(Some((r, ws)));
    }
}

/// Signals delivered to handlers installed with `catch_signal`, not yet
/// taken by `take_signal`.
static PENDING_SIGNALS: [std::sync::atomic::AtomicBool; 65] =
    [const { std::sync::atomic::AtomicBool::new(false) }; 65];
static ANY_PENDING: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

extern "C" fn record_signal(sig: libc::c_int) {
    if let Some(flag) = usize::try_from(sig)
        .ok()
        .and_then(|s| PENDING_SIGNALS.get(s))
    {
        flag.store(true, std::sync::atomic::Ordering::SeqCst);
        ANY_PENDING.store(true, std::sync::atomic::Ordering::SeqCst);
    }
}

/// What a signal does: the default action, ignored, or caught.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Disposition {
    Default,
    Ignore,
    Catch,
}

fn set_action(sig: i32, handler: libc::sighandler_t, restart: bool) -> std::io::Result<()> {
    let mut sa: libc::sigaction = unsafe { std::mem::zeroed() };
    sa.sa_sigaction = handler;
    sa.sa_flags = if restart { libc::SA_RESTART } else { 0 };
    unsafe { libc::sigemptyset(&mut sa.sa_mask) };
    let r = unsafe { libc::sigaction(sig, &sa, std::ptr::null_mut()) };
    if r < 0 {
        Err(std::io::Error::last_os_error())
    } else {
        Ok(())
    }
}

/// Set a signal's disposition. Caught signals are recorded for
/// `take_signal`; `restart` restarts interrupted system calls.
pub fn set_disposition(sig: i32, d: Disposition, restart: bool) -> std::io::Result<()> {
    let h = match d {
        Disposition::Default => libc::SIG_DFL,
        Disposition::Ignore => libc::SIG_IGN,
        Disposition::Catch => record_signal as extern "C" fn(libc::c_int) as libc::sighandler_t,
    };
    set_action(sig, h, restart)
}

/// The disposition a signal had when the process started (or now).
pub fn get_disposition(sig: i32) -> Disposition {
    let mut old: libc::sigaction = unsafe { std::mem::zeroed() };
    let r = unsafe { libc::sigaction(sig, std::ptr::null(), &mut old) };
    if r < 0 || old.sa_sigaction == libc::SIG_DFL {
        Disposition::Default
    } else if old.sa_sigaction == libc::SIG_IGN {
        Disposition::Ignore
    } else {
        Disposition::Catch
    }
}

/// Take one pending caught signal, if any.
pub fn take_signal() -> Option<i32> {
    if !ANY_PENDING.swap(false, std::sync::atomic::Ordering::SeqCst) {
        return None;
    }
    let mut found = None;
    for (i, f) in PENDING_SIGNALS.iter().enumerate() {
        if found.is_none() {
            if f.swap(false, std::sync::atomic::Ordering::SeqCst) {
                found = Some(i as i32);
            }
        } else if f.load(std::sync::atomic::Ordering::SeqCst) {
            // More are waiting: keep the summary flag set.
            ANY_PENDING.store(true, std::sync::atomic::Ordering::SeqCst);
            break;
        }
    }
    found
}

/// Whether a caught signal is waiting (cheap check between commands).
pub fn signal_pending() -> bool {
    ANY_PENDING.load(std::sync::atomic::Ordering::SeqCst)
}

/// Block or unblock all signals (around fork, so a child starts clean).
pub fn block_all_signals(block: bool) -> libc::sigset_t {
    let mut set: libc::sigset_t = unsafe { std::mem::zeroed() };
    let mut old: libc::sigset_t = unsafe { std::mem::zeroed() };
    unsafe {
        libc::sigfillset(&mut set);
        libc::sigprocmask(
            if block {
                libc::SIG_BLOCK
            } else {
                libc::SIG_UNBLOCK
            },
            &set,
            &mut old,
        );
    }
    old
}

pub fn set_signal_mask(mask: &libc::sigset_t) {
    unsafe { libc::sigprocmask(libc::SIG_SETMASK, mask, std::ptr::null_mut()) };
}

/// Wait until a signal arrives (for the `wait` builtin with traps).
pub fn pause() {
    unsafe { libc::pause() };
}

pub fn setpgid(pid: i32, pgid: i32) -> std::io::Result<()> {
    let r = unsafe { libc::setpgid(pid, pgid) };
    if r < 0 {
        Err(std::io::Error::last_os_error())
    } else {
        Ok(())
    }
}

pub fn getpgrp() -> i32 {
    unsafe { libc::getpgrp() }
}

pub fn tcsetpgrp(fd: i32, pgid: i32) -> std::io::Result<()> {
    let r = unsafe { libc::tcsetpgrp(fd, pgid) };
    if r < 0 {
        Err(std::io::Error::last_os_error())
    } else {
        Ok(())
    }
}

pub fn tcgetpgrp(fd: i32) -> i32 {
    unsafe { libc::tcgetpgrp(fd) }
}

/// Resource limits for `ulimit`: (soft, hard), `u64::MAX` meaning unlimited.
pub fn getrlimit(resource: i32) -> std::io::Result<(u64, u64)> {
    let mut rl: libc::rlimit = unsafe { std::mem::zeroed() };
    let r = unsafe { libc::getrlimit(resource as _, &mut rl) };
    if r < 0 {
        return Err(std::io::Error::last_os_error());
    }
    let conv = |v: libc::rlim_t| {
        if v == libc::RLIM_INFINITY {
            u64::MAX
        } else {
            v
        }
    };
    Ok((conv(rl.rlim_cur), conv(rl.rlim_max)))
}

pub fn setrlimit(resource: i32, soft: u64, hard: u64) -> std::io::Result<()> {
    let conv = |v: u64| {
        if v == u64::MAX {
            libc::RLIM_INFINITY
        } else {
            v
        }
    };
    let rl = libc::rlimit {
        rlim_cur: conv(soft),
        rlim_max: conv(hard),
    };
    let r = unsafe { libc::setrlimit(resource as _, &rl) };
    if r < 0 {
        Err(std::io::Error::last_os_error())
    } else {
        Ok(())
    }
}

/// CPU times of the process and its waited-for children, in clock ticks,
/// and the ticks per second: (user, system, children user, children system, hz).
pub fn times() -> (u64, u64, u64, u64, u64) {
    let mut t: libc::tms = unsafe { std::mem::zeroed() };
    unsafe { libc::times(&mut t) };
    let hz = unsafe { libc::sysconf(libc::_SC_CLK_TCK) };
    let hz = if hz > 0 { hz as u64 } else { 100 };
    (
        t.tms_utime as u64,
        t.tms_stime as u64,
        t.tms_cutime as u64,
        t.tms_cstime as u64,
        hz,
    )
}

/// The lowest descriptor ≥ `min` that is a duplicate of `fd`, close-on-exec.
pub fn dup_at_least(fd: i32, min: i32) -> std::io::Result<i32> {
    let r = unsafe { libc::fcntl(fd, libc::F_DUPFD_CLOEXEC, min) };
    if r < 0 {
        Err(std::io::Error::last_os_error())
    } else {
        Ok(r)
    }
}

/// Whether `fd` is an open descriptor.
pub fn fd_is_open(fd: i32) -> bool {
    unsafe { libc::fcntl(fd, libc::F_GETFD) >= 0 }
}

/// Close a raw descriptor the caller owns (redirection bookkeeping).
pub fn close_raw(fd: i32) {
    unsafe { libc::close(fd) };
}

/// Open returning a raw descriptor (for redirections that land on a fixed
/// descriptor number and are managed by the shell).
pub fn open_raw(path: &[u8], flags: i32, mode: libc::mode_t) -> std::io::Result<i32> {
    with_cstr(path, |c| {
        retry(|| {
            let fd = unsafe { libc::open(c.as_ptr(), flags, mode as libc::c_uint) };
            if fd < 0 {
                Err(std::io::Error::last_os_error())
            } else {
                Ok(fd)
            }
        })
    })
}

/// A pipe as raw descriptors (read, write), close-on-exec.
pub fn pipe_raw() -> std::io::Result<(i32, i32)> {
    let mut fds = [0; 2];
    let r = unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) };
    if r < 0 {
        Err(std::io::Error::last_os_error())
    } else {
        Ok((fds[0], fds[1]))
    }
}

pub fn signal_name_list() -> &'static [(&'static str, i32)] {
    &[
        ("HUP", libc::SIGHUP),
        ("INT", libc::SIGINT),
        ("QUIT", libc::SIGQUIT),
        ("ILL", libc::SIGILL),
        ("TRAP", libc::SIGTRAP),
        ("ABRT", libc::SIGABRT),
        ("BUS", libc::SIGBUS),
        ("FPE", libc::SIGFPE),
        ("KILL", libc::SIGKILL),
        ("USR1", libc::SIGUSR1),
        ("SEGV", libc::SIGSEGV),
        ("USR2", libc::SIGUSR2),
        ("PIPE", libc::SIGPIPE),
        ("ALRM", libc::SIGALRM),
        ("TERM", libc::SIGTERM),
        ("STKFLT", libc::SIGSTKFLT),
        ("CHLD", libc::SIGCHLD),
        ("CONT", libc::SIGCONT),
        ("STOP", libc::SIGSTOP),
        ("TSTP", libc::SIGTSTP),
        ("TTIN", libc::SIGTTIN),
        ("TTOU", libc::SIGTTOU),
        ("URG", libc::SIGURG),
        ("XCPU", libc::SIGXCPU),
        ("XFSZ", libc::SIGXFSZ),
        ("VTALRM", libc::SIGVTALRM),
        ("PROF", libc::SIGPROF),
        ("WINCH", libc::SIGWINCH),
        ("IO", libc::SIGIO),
        ("PWR", libc::SIGPWR),
        ("SYS", libc::SIGSYS),
    ]
}

/// Wait up to `timeout_ms` (negative: forever) for `fd` to be readable.
pub fn poll_readable(fd: i32, timeout_ms: i32) -> std::io::Result<bool> {
    let mut p = libc::pollfd {
        fd,
        events: libc::POLLIN,
        revents: 0,
    };
    loop {
        let r = unsafe { libc::poll(&mut p, 1, timeout_ms) };
        if r < 0 {
            let e = std::io::Error::last_os_error();
            if e.raw_os_error() == Some(libc::EINTR) {
                continue;
            }
            return Err(e);
        }
        return Ok(r > 0);
    }
}
