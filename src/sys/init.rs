//! System calls for init, halt/poweroff/reboot and kill: reboot(2), child
//! subreaper and parent-death signal (prctl), sessions and controlling
//! terminals, terminal modes, signal sets and synchronous signal waits.
#![allow(unsafe_code)]

use super::*;
use std::time::Duration;

/// What reboot(2) should do. Inside a PID namespace other than the first,
/// `Halt`/`PowerOff` end the namespace (its init dies of SIGINT) and
/// `Restart` too (SIGHUP); the Ctrl-Alt-Del settings fail there with EINVAL.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RebootCmd {
    Halt,
    PowerOff,
    Restart,
    /// Ctrl-Alt-Del sends SIGINT to init instead of rebooting at once.
    CadOff,
    CadOn,
}

/// reboot(2). Returns only when the kernel refused (or, for a halt the
/// machine cannot do, after the kernel gave up).
pub fn reboot(cmd: RebootCmd) -> io::Result<()> {
    let how = match cmd {
        RebootCmd::Halt => libc::RB_HALT_SYSTEM,
        RebootCmd::PowerOff => libc::RB_POWER_OFF,
        RebootCmd::Restart => libc::RB_AUTOBOOT,
        RebootCmd::CadOff => libc::RB_DISABLE_CAD,
        RebootCmd::CadOn => libc::RB_ENABLE_CAD,
    };
    check(unsafe { libc::reboot(how) }).map(drop)
}

/// Become a child subreaper: orphaned descendants are re-parented to us.
pub fn set_child_subreaper() -> io::Result<()> {
    check(unsafe { libc::prctl(libc::PR_SET_CHILD_SUBREAPER, 1 as libc::c_ulong) }).map(drop)
}

pub fn is_child_subreaper() -> io::Result<bool> {
    let mut v: libc::c_int = 0;
    check(unsafe { libc::prctl(libc::PR_GET_CHILD_SUBREAPER, &mut v as *mut libc::c_int) })?;
    Ok(v != 0)
}

/// The signal this process gets when its parent dies (0: none).
pub fn set_parent_death_signal(sig: i32) -> io::Result<()> {
    check(unsafe { libc::prctl(libc::PR_SET_PDEATHSIG, sig as libc::c_ulong) }).map(drop)
}

pub fn setsid() -> io::Result<i32> {
    check(unsafe { libc::setsid() })
}

/// Make the terminal on `fd` the controlling terminal of this session
/// (TIOCSCTTY); `steal` takes it from another session (root only).
pub fn set_controlling_tty(fd: RawFd, steal: bool) -> io::Result<()> {
    check(unsafe { libc::ioctl(fd, libc::TIOCSCTTY, steal as libc::c_int) }).map(drop)
}

/// Whether `fd` is a serial line (TIOCGSERIAL answers).
pub fn is_serial_tty(fd: RawFd) -> bool {
    let mut buf = [0u8; 256]; // larger than struct serial_struct
    unsafe { libc::ioctl(fd, libc::TIOCGSERIAL, buf.as_mut_ptr()) == 0 }
}

/// Put the terminal on `fd` in a sane interactive state: the usual control
/// characters, canonical input with echo, CR to NL on input, NL to CR-NL on
/// output, 8-bit characters, the line speed and parity kept.
pub fn sane_term(fd: RawFd) -> io::Result<()> {
    let mut t = MaybeUninit::<libc::termios>::zeroed();
    check(unsafe { libc::tcgetattr(fd, t.as_mut_ptr()) })?;
    let mut t = unsafe { t.assume_init() };
    let ctrl = |c: u8| c & 0x1f;
    let cc = &mut t.c_cc;
    cc[libc::VINTR] = ctrl(b'C');
    cc[libc::VQUIT] = ctrl(b'\\');
    cc[libc::VERASE] = 0x7f;
    cc[libc::VKILL] = ctrl(b'U');
    cc[libc::VEOF] = ctrl(b'D');
    cc[libc::VSTART] = ctrl(b'Q');
    cc[libc::VSTOP] = ctrl(b'S');
    cc[libc::VSUSP] = ctrl(b'Z');
    cc[libc::VREPRINT] = ctrl(b'R');
    cc[libc::VWERASE] = ctrl(b'W');
    cc[libc::VLNEXT] = ctrl(b'V');
    cc[libc::VMIN] = 1;
    cc[libc::VTIME] = 0;
    t.c_cflag &= libc::CBAUD
        | libc::CBAUDEX
        | libc::CSIZE
        | libc::CSTOPB
        | libc::PARENB
        | libc::PARODD
        | libc::CRTSCTS;
    t.c_cflag |= libc::CREAD | libc::HUPCL | libc::CLOCAL;
    t.c_iflag = libc::ICRNL | libc::IXON | libc::IXOFF;
    t.c_oflag = libc::OPOST | libc::ONLCR;
    t.c_lflag = libc::ISIG
        | libc::ICANON
        | libc::ECHO
        | libc::ECHOE
        | libc::ECHOK
        | libc::ECHOCTL
        | libc::ECHOKE
        | libc::IEXTEN;
    retry(|| check(unsafe { libc::tcsetattr(fd, libc::TCSADRAIN, &t) })).map(drop)
}

// ---------------------------------------------------------------- signal sets

/// A set of signals (sigset_t).
#[derive(Clone, Copy)]
pub struct SigSet(libc::sigset_t);

impl SigSet {
    pub fn empty() -> SigSet {
        let mut s = MaybeUninit::<libc::sigset_t>::zeroed();
        unsafe { libc::sigemptyset(s.as_mut_ptr()) };
        SigSet(unsafe { s.assume_init() })
    }
    /// Every signal (the C library's internal ones excepted).
    pub fn full() -> SigSet {
        let mut s = MaybeUninit::<libc::sigset_t>::zeroed();
        unsafe { libc::sigfillset(s.as_mut_ptr()) };
        SigSet(unsafe { s.assume_init() })
    }
    pub fn add(&mut self, sig: i32) {
        unsafe { libc::sigaddset(&mut self.0, sig) };
    }
    pub fn remove(&mut self, sig: i32) {
        unsafe { libc::sigdelset(&mut self.0, sig) };
    }
    pub fn contains(&self, sig: i32) -> bool {
        unsafe { libc::sigismember(&self.0, sig) == 1 }
    }
}

/// Replace the signal mask; returns the old one.
pub fn set_sigmask(set: &SigSet) -> SigSet {
    let mut old = SigSet::empty();
    unsafe { libc::sigprocmask(libc::SIG_SETMASK, &set.0, &mut old.0) };
    old
}

/// Wait for one of the (blocked) signals in `set`, at most `timeout`
/// (forever when None). None when the time ran out or a handler ran.
pub fn sigtimedwait(set: &SigSet, timeout: Option<Duration>) -> Option<i32> {
    let ts = timeout.map(|d| libc::timespec {
        tv_sec: d.as_secs().min(i64::MAX as u64) as i64,
        tv_nsec: d.subsec_nanos() as i64,
    });
    let tp = ts
        .as_ref()
        .map_or(std::ptr::null(), |t| t as *const libc::timespec);
    let r = unsafe { libc::sigtimedwait(&set.0, std::ptr::null_mut(), tp) };
    if r > 0 { Some(r) } else { None }
}

/// Every catchable signal back to its default action (before exec in a
/// child of init).
pub fn reset_all_signals() {
    for sig in 1..=libc::SIGRTMAX() {
        if sig == libc::SIGKILL || sig == libc::SIGSTOP || (32..libc::SIGRTMIN()).contains(&sig) {
            continue;
        }
        unsafe { libc::signal(sig, libc::SIG_DFL) };
    }
}

/// The first and last real-time signal numbers of this C library.
pub fn sigrt_range() -> (i32, i32) {
    (libc::SIGRTMIN(), libc::SIGRTMAX())
}

/// sigqueue(3): send a signal with an integer value.
pub fn sigqueue(pid: i32, sig: i32, value: i32) -> io::Result<()> {
    let v = libc::sigval {
        sival_ptr: value as isize as *mut libc::c_void,
    };
    check(unsafe { libc::sigqueue(pid, sig, v) }).map(drop)
}

/// execvp with an argv[0] of the caller's choosing: run `file` (searched in
/// $PATH unless it has a slash) with `argv`; a script without `#!` runs
/// with /bin/sh. Returns only on error.
pub fn exec_with_argv0(file: &[u8], argv: &[Vec<u8>]) -> io::Error {
    let os: Vec<OsString> = argv.iter().map(|a| OsString::from_vec(a.clone())).collect();
    let run = |path: &[u8]| -> io::Error {
        let e = execv(path, &os);
        if e.raw_os_error() == Some(libc::ENOEXEC) {
            let mut sh: Vec<OsString> = vec!["/bin/sh".into(), OsStr::from_bytes(path).into()];
            sh.extend(os.iter().skip(1).cloned());
            execv(b"/bin/sh", &sh);
        }
        e
    };
    if file.is_empty() {
        return io::Error::from_raw_os_error(libc::ENOENT);
    }
    if file.contains(&b'/') {
        return run(file);
    }
    let path = std::env::var_os("PATH").unwrap_or_else(|| "/sbin:/usr/sbin:/bin:/usr/bin".into());
    let mut denied = None;
    let mut last = io::Error::from_raw_os_error(libc::ENOENT);
    for dir in path.as_bytes().split(|&c| c == b':') {
        let mut full = Vec::with_capacity(dir.len() + 1 + file.len());
        if !dir.is_empty() {
            full.extend_from_slice(dir);
            full.push(b'/');
        }
        full.extend_from_slice(file);
        let e = run(&full);
        match e.raw_os_error() {
            Some(libc::EACCES) => denied = Some(e),
            Some(
                libc::ENOENT
                | libc::ENOTDIR
                | libc::ELOOP
                | libc::ENAMETOOLONG
                | libc::ESTALE
                | libc::ENODEV
                | libc::ETIMEDOUT,
            ) => last = e,
            _ => return e,
        }
    }
    denied.unwrap_or(last)
}
