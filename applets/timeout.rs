//! timeout: run a command and signal it if it still runs after DURATION.
//! DURATION is a decimal number (fractions and exponents allowed) with
//! an optional unit s, m, h or d; 0 disables the timeout. `-s SIG` picks
//! the signal (TERM), `-k DURATION` sends KILL that long after it,
//! `--preserve-status` returns the command's status even on timeout,
//! `--foreground` leaves the command in timeout's process group (it can
//! use the terminal; its children are not signalled), `-v` reports each
//! signal sent. Otherwise the command runs in a process group of its own
//! and the whole group is signalled. INT, QUIT, HUP and TERM received by
//! timeout are passed on to the command.
//!
//! Status: 124 timed out (137 when it had to be killed with KILL), 125
//! timeout's own failure, 126 command not runnable, 127 not found, else
//! the command's status (128+N when it died of signal N).

use ibex::Status;
use ibex::args::{Parser, Spec, flag, usage_error, value};
use ibex::copy::quote;
use ibex::sys::{self, WaitStatus};
use std::ffi::{OsStr, OsString};
use std::os::unix::ffi::OsStrExt;
use std::time::{Duration, Instant};

const PRESERVE: u32 = 256;
const FOREGROUND: u32 = 257;

const SPEC: Spec = Spec::new(
    "+k:s:v",
    &[
        value("kill-after", 'k' as u32),
        value("signal", 's' as u32),
        flag("verbose", 'v' as u32),
        flag("preserve-status", PRESERVE),
        flag("foreground", FOREGROUND),
    ],
    ibex::usage!(timeout, "timeout [-v] [-s SIG] [-k DURATION] [--preserve-status] [--foreground] DURATION COMMAND [ARG]...\n\n\
                           Run COMMAND and signal it if it still runs after DURATION\n\n\
                           \t-s SIG\tSignal to send (default TERM)\n\
                           \t-k DUR\tSend KILL if still running DUR after the first signal\n\
                           \t-v\tReport each signal sent\n\
                           \t--preserve-status\tExit with the command's status even on timeout\n\
                           \t--foreground\tLeave COMMAND in the foreground process group\n\n\
                           DURATION is a number with an optional unit: s (default), m, h or d"),
)
.status(125);

/// A duration in seconds: a non-negative decimal number (exponent
/// allowed), `inf`, and an optional unit. None if malformed.
fn parse_duration(s: &[u8]) -> Option<f64> {
    let text = std::str::from_utf8(s).ok()?;
    let (num, mult) = match text.as_bytes().last() {
        Some(b's') => (&text[..text.len() - 1], 1.0),
        Some(b'm') => (&text[..text.len() - 1], 60.0),
        Some(b'h') => (&text[..text.len() - 1], 3600.0),
        Some(b'd') => (&text[..text.len() - 1], 86400.0),
        _ => (text, 1.0),
    };
    let num = num.trim_start();
    if num.is_empty() || num.starts_with('-') {
        return None;
    }
    let v = ibex::sys::parse_f64(num.as_bytes())?;
    if v.is_nan() || v < 0.0 {
        return None;
    }
    Some(v * mult)
}

/// A signal name (with or without SIG, any case) or number.
fn parse_signal(s: &[u8]) -> Option<i32> {
    let text = std::str::from_utf8(s).ok()?.to_ascii_uppercase();
    if !text.is_empty() && text.bytes().all(|c| c.is_ascii_digit()) {
        let n: i32 = text.parse().ok()?;
        return (0..=64).contains(&n).then_some(n);
    }
    let name = text.strip_prefix("SIG").unwrap_or(&text);
    if let Some(&(_, n)) = sys::signal_name_list().iter().find(|(nm, _)| *nm == name) {
        return Some(n);
    }
    let (base, off) = if let Some(r) = name.strip_prefix("RTMIN") {
        (34, r)
    } else if let Some(r) = name.strip_prefix("RTMAX") {
        (64, r)
    } else {
        return None;
    };
    let n = match off.as_bytes().first() {
        None => base,
        Some(b'+') => base + off[1..].parse::<i32>().ok()?,
        Some(b'-') => base - off[1..].parse::<i32>().ok()?,
        _ => return None,
    };
    (34..=64).contains(&n).then_some(n)
}

fn signal_name(sig: i32) -> String {
    match sys::signal_name_list().iter().find(|(_, n)| *n == sig) {
        Some((name, _)) => (*name).to_string(),
        None if (34..=64).contains(&sig) => format!("RTMIN+{}", sig - 34),
        None => sig.to_string(),
    }
}

fn to_duration(secs: f64) -> Option<Duration> {
    if secs <= 0.0 {
        return None;
    }
    // Past ~300 years the timer is as good as infinite.
    Duration::try_from_secs_f64(secs.min(1e10)).ok()
}

struct Child<'a> {
    pid: i32,
    foreground: bool,
    verbose: bool,
    command: &'a OsStr,
}

impl Child<'_> {
    fn send(&self, sig: i32) {
        if self.verbose {
            ibex::msg!(
                "sending signal ",
                signal_name(sig).as_str(),
                " to command ",
                quote(self.command.as_bytes())
            );
        }
        let _ = sys::kill(self.pid, sig);
        if !self.foreground {
            let _ = sys::kill(-self.pid, sig);
        }
        if sig != sys::SIGKILL && sig != sys::SIGCONT {
            let _ = sys::kill(self.pid, sys::SIGCONT);
            if !self.foreground {
                let _ = sys::kill(-self.pid, sys::SIGCONT);
            }
        }
    }
}

pub fn main(argv: &[OsString]) -> Status {
    let mut p = Parser::new(argv, &SPEC);
    let (mut verbose, mut preserve, mut foreground) = (false, false, false);
    let mut term_signal = sys::SIGTERM;
    let mut kill_after = None;
    while let Some((id, val)) = p.next()? {
        let val = val.unwrap_or_default();
        match id {
            PRESERVE => preserve = true,
            FOREGROUND => foreground = true,
            _ => match char::from_u32(id) {
                Some('v') => verbose = true,
                Some('k') => match parse_duration(val.as_bytes()) {
                    Some(d) => kill_after = to_duration(d),
                    None => {
                        return Err(usage_error(
                            &SPEC,
                            &[b"invalid time interval '", val.as_bytes(), b"'"],
                        ));
                    }
                },
                Some('s') => match parse_signal(val.as_bytes()) {
                    Some(s) => term_signal = s,
                    None => {
                        return Err(usage_error(
                            &SPEC,
                            &[b"'", val.as_bytes(), b"': invalid signal"],
                        ));
                    }
                },
                _ => {}
            },
        }
    }
    let ops: Vec<OsString> = p.rest().to_vec();
    let ops = if ops.is_empty() {
        p.operands().iter().map(|s| s.to_os_string()).collect()
    } else {
        ops
    };
    let [duration, command @ ..] = ops.as_slice() else {
        return Err(usage_error(&SPEC, &[b"missing operand"]));
    };
    if command.is_empty() {
        return Err(usage_error(
            &SPEC,
            &[b"missing operand after '", duration.as_bytes(), b"'"],
        ));
    }
    let Some(secs) = parse_duration(duration.as_bytes()) else {
        return Err(usage_error(
            &SPEC,
            &[b"invalid time interval '", duration.as_bytes(), b"'"],
        ));
    };
    run(
        command,
        to_duration(secs),
        kill_after,
        term_signal,
        verbose,
        preserve,
        foreground,
    )
}

#[allow(clippy::too_many_arguments)]
fn run(
    command: &[OsString],
    limit: Option<Duration>,
    mut kill_after: Option<Duration>,
    mut term_signal: i32,
    verbose: bool,
    mut preserve: bool,
    foreground: bool,
) -> Status {
    let forwarded = [sys::SIGINT, sys::SIGQUIT, sys::SIGHUP, sys::SIGTERM];
    let mut watched = vec![sys::SIGCHLD, sys::SIGALRM];
    watched.extend(forwarded);
    // A child's exit must be seen even if SIGCHLD was inherited ignored.
    let old_chld = sys::get_disposition(sys::SIGCHLD);
    let _ = sys::set_disposition(sys::SIGCHLD, sys::Disposition::Default, true);
    let old_mask = sys::block_signals(&watched);
    let restore = || {
        sys::set_signal_mask(&old_mask);
        let _ = sys::set_disposition(sys::SIGCHLD, old_chld, true);
    };
    let pid = match sys::fork() {
        Ok(pid) => pid,
        Err(e) => {
            restore();
            ibex::msg!("fork system call failed: ", e);
            return Ok(125);
        }
    };
    if pid == 0 {
        if !foreground {
            let _ = sys::setpgid(0, 0);
        }
        // GNU timeout catches these, so its command starts with them at
        // their default action even when timeout inherited them ignored.
        for &s in watched.iter().chain([&term_signal]) {
            if s != sys::SIGCHLD && s != sys::SIGKILL && s != sys::SIGSTOP {
                let _ = sys::set_disposition(s, sys::Disposition::Default, true);
            }
        }
        restore();
        let e = sys::execvp_posix(command);
        let code = if e.raw_os_error() == Some(libc::ENOENT) {
            127
        } else {
            126
        };
        ibex::msg!(
            "failed to run command ",
            quote(command[0].as_bytes()),
            ": ",
            e
        );
        sys::exit_now(code);
    }
    if !foreground {
        let _ = sys::setpgid(pid, pid);
    }
    // Stay able to write to the terminal from the background.
    let old_ttin = sys::get_disposition(sys::SIGTTIN);
    let old_ttou = sys::get_disposition(sys::SIGTTOU);
    let _ = sys::set_disposition(sys::SIGTTIN, sys::Disposition::Ignore, true);
    let _ = sys::set_disposition(sys::SIGTTOU, sys::Disposition::Ignore, true);
    let child = Child {
        pid,
        foreground,
        verbose,
        command: &command[0],
    };
    let mut deadline = limit.and_then(|d| Instant::now().checked_add(d));
    let mut timed_out = false;
    let status = loop {
        let left = deadline.map(|d| d.saturating_duration_since(Instant::now()));
        let got = match left {
            Some(l) if l.is_zero() => None,
            Some(l) => sys::wait_signal(&watched, Some((l.as_secs(), l.subsec_nanos()))),
            None => sys::wait_signal(&watched, None),
        };
        let sig = match got {
            Some(s) if s == sys::SIGCHLD => match sys::waitpid(pid, sys::WNOHANG, false) {
                Ok(Some((_, ws))) => break Ok(ws),
                Ok(None) => continue,
                Err(e) => break Err(e),
            },
            // SIGALRM from outside counts as the time running out, as in GNU.
            Some(s) if s != sys::SIGALRM => s,
            None if deadline.is_none() => continue,
            _ => {
                timed_out = true;
                term_signal
            }
        };
        child.send(sig);
        // The first signal sent starts the -k timer; a timeout without
        // one leaves nothing more to wait for but the command.
        if let Some(k) = kill_after.take() {
            deadline = Instant::now().checked_add(k);
            term_signal = sys::SIGKILL;
        } else if got.is_none_or(|s| s == sys::SIGALRM) {
            deadline = None;
        }
    };
    let _ = sys::set_disposition(sys::SIGTTIN, old_ttin, true);
    let _ = sys::set_disposition(sys::SIGTTOU, old_ttou, true);
    restore();
    let code = match status {
        Ok(WaitStatus::Exited(c)) => c,
        Ok(WaitStatus::Signaled(sig, core)) => {
            if core {
                ibex::msg!("the monitored command dumped core");
            }
            if timed_out && sig == sys::SIGKILL {
                preserve = true;
            }
            128 + sig
        }
        Ok(other) => other.code(),
        Err(e) => {
            ibex::msg!("error waiting for command: ", e);
            return Ok(125);
        }
    };
    Ok(if timed_out && !preserve { 124 } else { code })
}
