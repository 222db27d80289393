//! Container mode, as tini: start CMD in its own process group (in the
//! foreground of the terminal, if any), forward every signal that can be
//! forwarded to it (to its group with -g), reap every zombie, and exit with
//! CMD's status (128+N when signal N killed it; -e CODE maps CODE to 0).
//!
//! Signals are blocked and taken with sigtimedwait, so nothing is lost
//! between waits; the synchronous ones (SEGV, FPE, ...) keep their default
//! action, SIGTTIN/SIGTTOU are ignored so init cannot be stopped by the
//! terminal, SIGCHLD gets its default action (ignored, the kernel would
//! reap the children itself). CMD gets the signal mask and the TTIN, TTOU
//! and CHLD dispositions init started with.

use super::system;
use ibex::sys::{self, Disposition, SigSet, WaitStatus};
use ibex::{Exit, Status, msg};
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

pub struct Opts {
    pub subreaper: bool,
    pub group: bool,
    /// Exit codes reported as 0.
    pub remap: [bool; 256],
    pub pdeathsig: i32,
    /// 0 quiet, 1 warnings (the default), 2 information, 3 debugging.
    pub verbosity: u32,
    pub warn_reap: bool,
}

impl Default for Opts {
    fn default() -> Opts {
        Opts {
            subreaper: false,
            group: false,
            remap: [false; 256],
            pdeathsig: 0,
            verbosity: 1,
            warn_reap: false,
        }
    }
}

/// Signals that stay with init: faults of its own, and terminal stops.
pub const NOT_FORWARDED: [i32; 9] = [
    libc::SIGFPE,
    libc::SIGILL,
    libc::SIGSEGV,
    libc::SIGBUS,
    libc::SIGABRT,
    libc::SIGTRAP,
    libc::SIGSYS,
    libc::SIGTTIN,
    libc::SIGTTOU,
];

/// The set of signals init blocks and waits for.
pub fn wait_set() -> SigSet {
    let mut set = SigSet::full();
    for s in NOT_FORWARDED {
        set.remove(s);
    }
    set
}

pub fn run(mut o: Opts, cmd: &[&OsStr]) -> Status {
    if std::env::var_os("TINI_SUBREAPER").is_some() {
        o.subreaper = true;
    }
    if std::env::var_os("TINI_KILL_PROCESS_GROUP").is_some() {
        o.group = true;
    }
    if let Some(v) = std::env::var_os("TINI_VERBOSITY") {
        // As atoi: leading digits, anything else 0.
        let digits: Vec<u8> = v
            .as_bytes()
            .iter()
            .copied()
            .take_while(u8::is_ascii_digit)
            .collect();
        o.verbosity = std::str::from_utf8(&digits)
            .ok()
            .and_then(|t| t.parse().ok())
            .unwrap_or(0);
    }
    let set = wait_set();
    let child_mask = sys::set_sigmask(&set);
    let ttin = sys::get_disposition(libc::SIGTTIN);
    let ttou = sys::get_disposition(libc::SIGTTOU);
    let chld = sys::get_disposition(libc::SIGCHLD);
    // An ignored SIGCHLD (inherited) would make the kernel reap children
    // itself, and their statuses would be lost.
    let _ = sys::set_disposition(libc::SIGCHLD, Disposition::Default, true);
    let _ = sys::set_disposition(libc::SIGTTIN, Disposition::Ignore, true);
    let _ = sys::set_disposition(libc::SIGTTOU, Disposition::Ignore, true);

    if o.pdeathsig != 0
        && let Err(e) = sys::set_parent_death_signal(o.pdeathsig)
    {
        msg!("can't set the parent death signal: ", e);
        return Err(Exit(1));
    }
    if o.subreaper {
        if let Err(e) = sys::set_child_subreaper() {
            msg!("can't register as a child subreaper: ", e);
            return Err(Exit(1));
        }
        if o.verbosity > 2 {
            msg!("registered as a child subreaper");
        }
    }
    let pid1 = sys::getpid() == 1;
    if !pid1 && !sys::is_child_subreaper().unwrap_or(false) && o.verbosity > 0 {
        msg!(
            "warning: not running as PID 1 and isn't registered as a child subreaper.\n\
             Zombie processes will not be re-parented to init, so zombie reaping won't work.\n\
             To fix the problem, use the -s option or set the environment variable \
             TINI_SUBREAPER to register init as a child subreaper, or run init as PID 1."
        );
    }

    let argv: Vec<Vec<u8>> = cmd.iter().map(|c| c.as_bytes().to_vec()).collect();
    let child = match sys::fork() {
        Ok(0) => {
            // The child: its own process group, in the foreground of the
            // terminal (TTOU is still ignored, so this works from the
            // background too), then the signal state init started with.
            let _ = sys::setpgid(0, 0);
            let _ = sys::tcsetpgrp(0, sys::getpgrp());
            sys::set_sigmask(&child_mask);
            let _ = sys::set_disposition(libc::SIGTTIN, ttin, true);
            let _ = sys::set_disposition(libc::SIGTTOU, ttou, true);
            let _ = sys::set_disposition(libc::SIGCHLD, chld, true);
            let e = sys::exec_with_argv0(cmd[0].as_bytes(), &argv);
            msg!("can't execute '", cmd[0], "': ", e);
            let code = match e.raw_os_error() {
                Some(libc::ENOENT | libc::ENOTDIR) => 127,
                _ => 126,
            };
            sys::exit_now(code);
        }
        Ok(pid) => pid,
        Err(e) => {
            msg!("can't fork: ", e);
            return Err(Exit(1));
        }
    };
    // Also here, so a signal forwarded at once reaches the group.
    let _ = sys::setpgid(child, child);
    if o.verbosity > 1 {
        msg!("spawned child process '", cmd[0], "' with pid ", child);
    }

    loop {
        if let Some(sig) = sys::sigtimedwait(&set, None)
            && sig != libc::SIGCHLD
        {
            forward(&o, child, sig);
        }
        if let Some(code) = reap(&o, child) {
            if pid1 && system::initial_namespace() {
                // PID 1 of the machine must not exit: stop it instead.
                msg!("'", cmd[0], "' exited with status ", code, ": powering off");
                system::kill_everything(&[]);
                return Err(system::low_level_reboot(sys::RebootCmd::PowerOff));
            }
            return Ok(code);
        }
    }
}

fn forward(o: &Opts, child: i32, sig: i32) {
    if o.verbosity > 2 {
        let name = ibex::signame::name(sig).unwrap_or_else(|| sig.to_string());
        msg!("passing signal SIG", name);
    }
    let target = if o.group { -child } else { child };
    if let Err(e) = sys::kill(target, sig) {
        if e.raw_os_error() == Some(libc::ESRCH) {
            if o.verbosity > 0 {
                msg!("child was dead when forwarding signal");
            }
        } else {
            msg!("can't forward signal: ", e);
        }
    }
}

/// Reap every exited child; the main child's exit code once it is gone.
fn reap(o: &Opts, child: i32) -> Option<i32> {
    let mut code = None;
    while let Ok(Some((pid, st))) = sys::waitpid(-1, sys::WNOHANG, false) {
        if o.verbosity > 2 {
            msg!("reaped child with pid ", pid);
        }
        if pid != child {
            if o.warn_reap && o.verbosity > 0 {
                msg!("reaped zombie process with pid=", pid);
            }
            continue;
        }
        let c = match st {
            WaitStatus::Exited(c) => {
                if o.verbosity > 1 {
                    msg!("main child exited normally (with status '", c, "')");
                }
                c
            }
            WaitStatus::Signaled(s, _) => {
                if o.verbosity > 1 {
                    let name = ibex::signame::name(s).unwrap_or_else(|| s.to_string());
                    msg!(
                        "main child exited with signal (with signal 'SIG",
                        name,
                        "')"
                    );
                }
                128 + s
            }
            _ => continue,
        };
        let c = (c & 0xff) as usize;
        code = Some(if o.remap[c] { 0 } else { c as i32 });
    }
    code
}
