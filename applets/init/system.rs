//! System mode: init as PID 1 with /etc/inittab, as BusyBox's init.
//!
//! Start-up: stdio stays on the console the kernel opened (or `$CONSOLE`;
//! /dev/console or /dev/null when closed), sane terminal modes, HOME, PATH,
//! SHELL, USER and TERM set when missing, Ctrl-Alt-Del turned into SIGINT.
//! Then the `sysinit` entries run one after the other, each waited for,
//! then the `wait` entries the same way, then the `once` entries start; the
//! `respawn` and `askfirst` entries are started and restarted whenever they
//! end. One that ended within a second waits before it restarts: 1 s, then
//! twice as long each time up to 60 s, back to no wait once a run lasted a
//! second.
//!
//! Signals (blocked, taken with sigtimedwait, so every child is reaped as
//! soon as SIGCHLD arrives, orphans included): SIGUSR1 halts, SIGUSR2 powers
//! off, SIGTERM reboots, SIGINT runs the `ctrlaltdel` entries, SIGQUIT
//! re-executes the `restart` entry, SIGHUP re-reads the inittab (new
//! respawn entries start, removed ones get SIGTERM).
//!
//! Shutdown: the `shutdown` entries run (each waited for), every process
//! gets SIGTERM (and SIGHUP for the sessions on terminals, SIGCONT for the
//! stopped), init reaps until no child is left or 3 seconds passed, then
//! SIGKILL for the rest, sync, and reboot(2) from a child process (so a
//! kernel that returns from halting ends that child, not init). If reboot(2)
//! is refused (a container without CAP_SYS_BOOT) init exits with 0, which
//! ends the container.
//!
//! `$IBEX_INITTAB` names another inittab (for tests and rescue setups).

use super::container::wait_set;
use super::inittab::{self, Action, Entry};
use ibex::sys::{self, Disposition, RebootCmd, SigSet};
use ibex::{Exit, Status, msg};
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::time::{Duration, Instant};

/// How long processes get between SIGTERM and SIGKILL at shutdown.
const GRACE: Duration = Duration::from_secs(3);
/// A respawned process that lived less than this is restarted after a wait.
const MIN_LIFE: Duration = Duration::from_secs(1);
const FIRST_DELAY: Duration = Duration::from_secs(1);
const MAX_DELAY: Duration = Duration::from_secs(60);

const PROMPT: &[u8] = b"\nPlease press Enter to activate this console. ";

struct Proc {
    entry: Entry,
    /// The running process, 0 when none.
    pid: i32,
    started: Instant,
    /// The wait before the next restart (zero: none).
    delay: Duration,
    /// When a respawn entry may start again.
    next: Instant,
}

impl Proc {
    fn new(entry: Entry) -> Proc {
        let now = Instant::now();
        Proc {
            entry,
            pid: 0,
            started: now,
            delay: Duration::ZERO,
            next: now,
        }
    }
}

struct Init {
    procs: Vec<Proc>,
    set: SigSet,
    shutting_down: bool,
    in_ctrlaltdel: bool,
    reload_pending: bool,
    /// Processes some caller is waiting for, and those of them reaped.
    waiting: Vec<i32>,
    exited: Vec<i32>,
}

type R<T = ()> = Result<T, Exit>;

pub fn run(single: bool) -> Status {
    let set = wait_set();
    sys::set_sigmask(&set);
    let _ = sys::set_disposition(libc::SIGCHLD, Disposition::Default, true);
    let _ = sys::set_disposition(libc::SIGTTIN, Disposition::Ignore, true);
    let _ = sys::set_disposition(libc::SIGTTOU, Disposition::Ignore, true);
    console_init();
    set_env_default("HOME", "/");
    set_env_default("PATH", "/sbin:/usr/sbin:/bin:/usr/bin");
    set_env_default("SHELL", "/bin/sh");
    set_env_default("USER", "root");
    let _ = sys::change_dir(b"/");
    let _ = sys::setsid();
    // Ctrl-Alt-Del: SIGINT to init rather than an immediate reboot.
    let _ = sys::reboot(RebootCmd::CadOff);
    msg!("ibex init started");

    let entries = if single {
        inittab::single_user()
    } else {
        load_inittab()
    };
    let mut init = Init {
        procs: entries.into_iter().map(Proc::new).collect(),
        set,
        shutting_down: false,
        in_ctrlaltdel: false,
        reload_pending: false,
        waiting: Vec::new(),
        exited: Vec::new(),
    };
    match init.main_loop() {
        Err(e) => Err(e),
        Ok(never) => match never {},
    }
}

enum Never {}

fn set_env_default(key: &str, val: &str) {
    if std::env::var_os(key).is_none() {
        sys::set_env(OsStr::new(key), OsStr::new(val));
    }
}

/// Stdio on the console: `$CONSOLE` (or `$console`) when set, else what the
/// kernel opened; a closed descriptor gets /dev/console, or /dev/null.
fn console_init() {
    let named = std::env::var_os("CONSOLE").or_else(|| std::env::var_os("console"));
    if let Some(name) = named
        && let Ok(fd) = sys::open_raw(
            name.as_bytes(),
            libc::O_RDWR | libc::O_NONBLOCK | libc::O_NOCTTY,
            0,
        )
    {
        // Opened without blocking (a modem line without carrier), used
        // blocking.
        if let Ok(fl) = sys::fcntl_getfl(fd) {
            let _ = sys::fcntl_setfl(fd, fl & !libc::O_NONBLOCK);
        }
        for to in 0..3 {
            if fd != to {
                let _ = sys::dup2(fd, to);
            }
        }
        if fd > 2 {
            sys::close_raw(fd);
        }
    }
    for fd in 0..3 {
        if !sys::fd_is_open(fd) {
            let opened = sys::open_raw(b"/dev/console", libc::O_RDWR | libc::O_NOCTTY, 0)
                .or_else(|_| sys::open_raw(b"/dev/null", libc::O_RDWR, 0));
            if let Ok(new) = opened
                && new != fd
            {
                let _ = sys::dup2(new, fd);
                sys::close_raw(new);
            }
        }
    }
    let term = std::env::var_os("TERM");
    if sys::is_serial_tty(0) {
        if term.as_ref().is_none_or(|t| t == "linux") {
            sys::set_env(OsStr::new("TERM"), OsStr::new("vt102"));
        }
    } else if term.is_none() {
        sys::set_env(OsStr::new("TERM"), OsStr::new("linux"));
    }
    if sys::isatty(0) {
        let _ = sys::sane_term(0);
    }
}

fn inittab_path() -> Vec<u8> {
    std::env::var_os("IBEX_INITTAB")
        .filter(|p| !p.is_empty())
        .map_or_else(|| b"/etc/inittab".to_vec(), |p| p.as_bytes().to_vec())
}

/// The inittab's entries, or BusyBox's defaults when there is none.
fn load_inittab() -> Vec<Entry> {
    let path = inittab_path();
    match ibex::io::read_file(&path) {
        Ok(text) => inittab::parse(&text, &mut |line| {
            msg!("bad inittab entry at line ", line);
        }),
        Err(e) => {
            if e.raw_os_error() != Some(libc::ENOENT) {
                msg!("can't read ", path, ": ", e);
            }
            inittab::defaults()
        }
    }
}

impl Init {
    fn main_loop(&mut self) -> R<Never> {
        self.run_and_wait(Action::Sysinit)?;
        self.run_and_wait(Action::Wait)?;
        for e in self.entries_of(Action::Once) {
            spawn(&e);
        }
        loop {
            if self.reload_pending {
                self.reload();
            }
            let now = Instant::now();
            let mut wake: Option<Instant> = None;
            for p in &mut self.procs {
                if !p.entry.action.respawns() || p.pid != 0 {
                    continue;
                }
                if p.next <= now {
                    p.pid = spawn(&p.entry);
                    p.started = now;
                    if p.pid == 0 {
                        p.next = now + FIRST_DELAY;
                    }
                }
                if p.pid == 0 {
                    wake = Some(wake.map_or(p.next, |w| w.min(p.next)));
                }
            }
            self.step(wake.map(|w| w.saturating_duration_since(now)))?;
        }
    }

    fn entries_of(&self, action: Action) -> Vec<Entry> {
        self.procs
            .iter()
            .filter(|p| p.entry.action == action)
            .map(|p| p.entry.clone())
            .collect()
    }

    /// Run each entry of this kind in order, waiting for each.
    fn run_and_wait(&mut self, action: Action) -> R {
        for e in self.entries_of(action) {
            let pid = spawn(&e);
            self.wait_for(pid)?;
        }
        Ok(())
    }

    /// Wait until `pid` has ended, handling signals and reaping meanwhile.
    fn wait_for(&mut self, pid: i32) -> R {
        if pid <= 0 {
            return Ok(());
        }
        self.waiting.push(pid);
        loop {
            if let Some(i) = self.exited.iter().position(|&p| p == pid) {
                self.exited.swap_remove(i);
                break;
            }
            // Reap first: it may have ended before we got here.
            self.reap();
            if self.exited.contains(&pid) {
                continue;
            }
            self.step(None)?;
        }
        self.waiting.retain(|&p| p != pid);
        Ok(())
    }

    /// Wait for a signal (at most `timeout`), act on it, reap children.
    fn step(&mut self, timeout: Option<Duration>) -> R {
        if let Some(sig) = sys::sigtimedwait(&self.set, timeout) {
            self.on_signal(sig)?;
        }
        self.reap();
        Ok(())
    }

    fn reap(&mut self) {
        while let Ok(Some((pid, _))) = sys::waitpid(-1, sys::WNOHANG, false) {
            if self.waiting.contains(&pid) {
                self.exited.push(pid);
            }
            let Some(p) = self.procs.iter_mut().find(|p| p.pid == pid) else {
                continue;
            };
            p.pid = 0;
            let now = Instant::now();
            if now.duration_since(p.started) >= MIN_LIFE {
                p.delay = Duration::ZERO;
                p.next = now;
            } else if !self.shutting_down && p.entry.action.respawns() {
                p.delay = if p.delay.is_zero() {
                    FIRST_DELAY
                } else {
                    (p.delay * 2).min(MAX_DELAY)
                };
                p.next = now + p.delay;
                msg!(
                    "'",
                    p.entry.cmd,
                    "' respawning too fast: waiting ",
                    p.delay.as_secs(),
                    " s"
                );
            }
        }
    }

    fn on_signal(&mut self, sig: i32) -> R {
        if self.shutting_down {
            return Ok(());
        }
        match sig {
            libc::SIGUSR1 => self.shutdown(RebootCmd::Halt),
            libc::SIGUSR2 => self.shutdown(RebootCmd::PowerOff),
            libc::SIGTERM => self.shutdown(RebootCmd::Restart),
            libc::SIGQUIT => self.restart(),
            libc::SIGHUP => {
                self.reload_pending = true;
                Ok(())
            }
            libc::SIGINT if !self.in_ctrlaltdel => {
                self.in_ctrlaltdel = true;
                let r = self.run_and_wait(Action::Ctrlaltdel);
                self.in_ctrlaltdel = false;
                r
            }
            _ => Ok(()),
        }
    }

    /// Run the shutdown entries and stop every process.
    fn stop_everything(&mut self) -> R {
        self.shutting_down = true;
        self.run_and_wait(Action::Shutdown)?;
        let ttys: Vec<i32> = self
            .procs
            .iter()
            .filter(|p| p.pid > 0 && p.entry.action.respawns())
            .map(|p| p.pid)
            .collect();
        kill_everything(&ttys);
        Ok(())
    }

    fn shutdown(&mut self, cmd: RebootCmd) -> R {
        self.stop_everything()?;
        let what = match cmd {
            RebootCmd::Halt => "halt",
            RebootCmd::PowerOff => "poweroff",
            _ => "reboot",
        };
        msg!("Requesting system ", what);
        Err(low_level_reboot(cmd))
    }

    /// SIGQUIT: shut down like for a reboot, then execute the restart
    /// entry's process in place of init.
    fn restart(&mut self) -> R {
        let Some(entry) = self
            .procs
            .iter()
            .find(|p| p.entry.action == Action::Restart)
            .map(|p| p.entry.clone())
        else {
            return Ok(());
        };
        self.stop_everything()?;
        let _ = sys::reboot(RebootCmd::CadOn);
        if open_tty(&entry.tty) {
            msg!("re-executing '", entry.cmd, "'");
            sys::reset_all_signals();
            sys::set_sigmask(&SigSet::empty());
            let e = exec(&entry.cmd);
            sys::set_sigmask(&self.set);
            msg!("can't run '", command_name(&entry.cmd), "': ", e);
        }
        Err(low_level_reboot(RebootCmd::Halt))
    }

    /// SIGHUP: read the inittab again. Respawn entries still there keep
    /// their process; the processes of removed ones get SIGTERM. Nothing
    /// else runs now (sysinit, wait and once entries ran at boot).
    fn reload(&mut self) {
        self.reload_pending = false;
        let mut procs: Vec<Proc> = load_inittab().into_iter().map(Proc::new).collect();
        for old in std::mem::take(&mut self.procs) {
            if !old.entry.action.respawns() {
                continue;
            }
            let same = procs.iter_mut().find(|n| {
                n.entry.action.respawns()
                    && n.pid == 0
                    && n.entry.cmd == old.entry.cmd
                    && n.entry.tty == old.entry.tty
            });
            match same {
                Some(n) => {
                    n.pid = old.pid;
                    n.started = old.started;
                    n.delay = old.delay;
                    n.next = old.next;
                }
                None if old.pid > 0 => {
                    if sys::kill(-old.pid, libc::SIGTERM).is_err() {
                        let _ = sys::kill(old.pid, libc::SIGTERM);
                    }
                    let _ = sys::kill(-old.pid, libc::SIGCONT);
                }
                None => {}
            }
        }
        self.procs = procs;
    }
}

/// SIGTERM to every process (SIGHUP too for the sessions in `hup`, as a
/// terminal hang-up would), reap until none is left or the grace period
/// ends, SIGKILL for the rest.
pub fn kill_everything(hup: &[i32]) {
    msg!("The system is going down NOW!");
    let _ = sys::kill(-1, libc::SIGTERM);
    for &pid in hup {
        let _ = sys::kill(-pid, libc::SIGHUP);
    }
    let _ = sys::kill(-1, libc::SIGCONT);
    msg!("Sent SIGTERM to all processes");
    sys::sync();
    if !reap_all(GRACE) {
        let _ = sys::kill(-1, libc::SIGKILL);
        msg!("Sent SIGKILL to all processes");
        reap_all(Duration::from_secs(1));
    }
    sys::sync();
}

/// Reap children until there are none (true) or `limit` passed (false).
fn reap_all(limit: Duration) -> bool {
    let deadline = Instant::now() + limit;
    let mut chld = SigSet::empty();
    chld.add(libc::SIGCHLD);
    loop {
        match sys::waitpid(-1, sys::WNOHANG, false) {
            Ok(Some(_)) => continue,
            Ok(None) => {}
            Err(_) => return true, // ECHILD: nobody left
        }
        let now = Instant::now();
        if now >= deadline {
            return false;
        }
        sys::sigtimedwait(&chld, Some(deadline - now));
    }
}

/// reboot(2) from a child, so that a kernel that returns from halting (and
/// ends the caller) ends that child, not init. Returns the exit for init
/// when reboot(2) was refused (a container: ending init ends it); never
/// returns when the kernel did its part.
pub fn low_level_reboot(cmd: RebootCmd) -> Exit {
    let refused = match sys::fork() {
        Ok(0) => {
            let code = match sys::reboot(cmd) {
                Ok(()) => 0,
                Err(e) => e.raw_os_error().unwrap_or(libc::EPERM),
            };
            sys::exit_now(code)
        }
        Ok(pid) => match sys::waitpid(pid, 0, false) {
            Ok(Some((_, sys::WaitStatus::Exited(code)))) if code != 0 => Some(code),
            _ => None,
        },
        Err(_) => sys::reboot(cmd).err().and_then(|e| e.raw_os_error()),
    };
    if let Some(errno) = refused {
        msg!("reboot: ", std::io::Error::from_raw_os_error(errno));
        return Exit(0);
    }
    // The kernel came back without stopping: stay, reaping, forever.
    msg!("System halted");
    let set = wait_set();
    loop {
        sys::sigtimedwait(&set, None);
        while let Ok(Some(_)) = sys::waitpid(-1, sys::WNOHANG, false) {}
    }
}

/// Whether this is the machine's first PID namespace: only there does the
/// kernel accept the Ctrl-Alt-Del setting from PID 1 (elsewhere EINVAL, or
/// EPERM without CAP_SYS_BOOT).
pub fn initial_namespace() -> bool {
    sys::getpid() == 1 && sys::reboot(RebootCmd::CadOff).is_ok()
}

/// Start one entry's process; its pid, or 0 when fork failed.
fn spawn(e: &Entry) -> i32 {
    match sys::fork() {
        Ok(0) => child(e),
        Ok(pid) => pid,
        Err(err) => {
            msg!("can't fork: ", err);
            0
        }
    }
}

/// Point stdio at `tty` (nothing to do for the console).
fn open_tty(tty: &[u8]) -> bool {
    if tty.is_empty() {
        return true;
    }
    sys::close_raw(0);
    match sys::open_raw(tty, libc::O_RDWR, 0) {
        Ok(fd) => {
            if fd != 0 {
                let _ = sys::dup2(fd, 0);
                sys::close_raw(fd);
            }
            let _ = sys::dup2(0, 1);
            let _ = sys::dup2(0, 2);
            true
        }
        Err(err) => {
            msg!("can't open ", tty, ": ", err);
            false
        }
    }
}

/// The child side of `spawn`: a session of its own on the entry's
/// terminal, the default signal state, then the process field.
fn child(e: &Entry) -> ! {
    sys::reset_all_signals();
    sys::set_sigmask(&SigSet::empty());
    let _ = sys::setsid();
    if !open_tty(&e.tty) {
        sys::exit_now(1);
    }
    let interactive = e.action == Action::Askfirst
        || e.cmd.starts_with(b"-")
        || (e.action == Action::Respawn && !e.tty.is_empty());
    if interactive && sys::isatty(0) {
        let _ = sys::sane_term(0);
    }
    if e.action == Action::Askfirst {
        let _ = sys::write_all(1, PROMPT);
        let mut c = [0u8; 1];
        loop {
            match sys::read(0, &mut c) {
                Ok(1) if c[0] == b'\n' => break,
                Ok(1) => {}
                _ => sys::exit_now(0), // end of input: nobody to ask
            }
        }
    }
    if interactive {
        // Job control for the shell: its terminal becomes the controlling
        // one (unless another session has it).
        let _ = sys::set_controlling_tty(0, false);
    }
    let err = exec(&e.cmd);
    msg!("can't run '", command_name(&e.cmd), "': ", err);
    sys::exit_now(127)
}

/// Execute a process field (see `inittab::command`). Returns only on error.
fn exec(field: &[u8]) -> std::io::Error {
    let (file, argv) = inittab::command(field);
    sys::exec_with_argv0(&file, &argv)
}

/// The process field without its login-shell `-`, for messages.
fn command_name(field: &[u8]) -> &[u8] {
    field.strip_prefix(b"-").unwrap_or(field)
}
