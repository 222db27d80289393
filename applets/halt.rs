//! halt, poweroff, reboot: ask init (PID 1 of this PID namespace) to stop
//! the system: SIGUSR1 halts, SIGUSR2 powers off, SIGTERM reboots, as
//! BusyBox's init (and ibex's) expect. `-f` calls reboot(2) at once instead,
//! `-n` skips the sync, `-d` waits first, `-w` only writes the wtmp record
//! (which every form writes when /var/log/wtmp exists).

use ibex::args::{Parser, Spec};
use ibex::sys::{self, RebootCmd};
use ibex::{Exit, Status, msg};
use std::ffi::OsString;
use std::os::unix::ffi::OsStrExt;

const OPTS: &str = "d:nfwi";
const HALT: Spec = Spec::new(
    OPTS,
    &[],
    ibex::usage!(
        halt,
        "halt [-d DELAY] [-nfw]\n\nHalt the system\n\n\
         \t-d SEC\tDelay interval\n\t-n\tDo not sync\n\
         \t-f\tForce (don't go through init)\n\t-w\tOnly write a wtmp record"
    ),
);
const POWEROFF: Spec = Spec::new(
    OPTS,
    &[],
    ibex::usage!(
        poweroff,
        "poweroff [-d DELAY] [-nfw]\n\nHalt and shut off power\n\n\
         \t-d SEC\tDelay interval\n\t-n\tDo not sync\n\
         \t-f\tForce (don't go through init)\n\t-w\tOnly write a wtmp record"
    ),
);
const REBOOT: Spec = Spec::new(
    OPTS,
    &[],
    ibex::usage!(
        reboot,
        "reboot [-d DELAY] [-nfw]\n\nReboot the system\n\n\
         \t-d SEC\tDelay interval\n\t-n\tDo not sync\n\
         \t-f\tForce (don't go through init)\n\t-w\tOnly write a wtmp record"
    ),
);

pub fn main(argv: &[OsString]) -> Status {
    let name = argv
        .first()
        .map(|a| ibex::path::basename(a.as_bytes()))
        .unwrap_or(b"halt");
    let name = name.strip_prefix(b"-").unwrap_or(name);
    let (spec, sig, cmd) = match name {
        b"poweroff" => (&POWEROFF, libc::SIGUSR2, RebootCmd::PowerOff),
        b"reboot" => (&REBOOT, libc::SIGTERM, RebootCmd::Restart),
        _ => (&HALT, libc::SIGUSR1, RebootCmd::Halt),
    };
    let mut p = Parser::new(argv, spec);
    let (mut delay, mut no_sync, mut force, mut wtmp_only) = ((0, 0), false, false, false);
    while let Some((id, val)) = p.next()? {
        match char::from_u32(id) {
            Some('d') => {
                let v = val.unwrap_or_default();
                delay = match seconds(v.as_bytes()) {
                    Some(d) => d,
                    None => {
                        msg!("invalid number '", v, "'");
                        return Err(Exit(1));
                    }
                };
            }
            Some('n') => no_sync = true,
            Some('f') => force = true,
            Some('w') => wtmp_only = true,
            _ => {} // -i (take network interfaces down): accepted, ignored
        }
    }
    if delay != (0, 0) {
        let _ = sys::nanosleep(delay.0, delay.1);
    }
    write_wtmp();
    if wtmp_only {
        return Ok(0);
    }
    if !no_sync {
        sys::sync();
    }
    let r = if force {
        sys::reboot(cmd)
    } else {
        sys::kill(1, sig)
    };
    match r {
        Ok(()) => Ok(0),
        Err(e) => {
            msg!(e);
            Ok(1)
        }
    }
}

/// Seconds as `N` or `N.FRACTION`: (seconds, nanoseconds).
fn seconds(s: &[u8]) -> Option<(u64, u32)> {
    let (int, frac) = match memchr::memchr(b'.', s) {
        Some(i) => (&s[..i], &s[i + 1..]),
        None => (s, &b""[..]),
    };
    if (int.is_empty() && frac.is_empty()) || !int.iter().chain(frac).all(u8::is_ascii_digit) {
        return None;
    }
    let secs = if int.is_empty() {
        0
    } else {
        std::str::from_utf8(int).ok()?.parse().ok()?
    };
    let mut nanos = 0u32;
    for i in 0..9 {
        nanos = nanos * 10 + frac.get(i).map_or(0, |d| u32::from(d - b'0'));
    }
    Some((secs, nanos))
}

/// Append a shutdown record (`struct utmp` as glibc lays it out on 64-bit
/// Linux: RUN_LVL, line and id `~~`, user `shutdown`, host the kernel
/// release) to /var/log/wtmp when that file exists.
fn write_wtmp() {
    let Ok(fd) = sys::open(b"/var/log/wtmp", sys::O_WRONLY | sys::O_APPEND, 0) else {
        return;
    };
    let mut rec = [0u8; 384];
    rec[0..2].copy_from_slice(&1i16.to_ne_bytes()); // ut_type = RUN_LVL
    rec[8..10].copy_from_slice(b"~~"); // ut_line
    rec[40..42].copy_from_slice(b"~~"); // ut_id
    rec[44..52].copy_from_slice(b"shutdown"); // ut_user
    if let Ok(u) = sys::uname() {
        let n = u.release.len().min(255);
        rec[76..76 + n].copy_from_slice(&u.release[..n]); // ut_host
    }
    let now = sys::now();
    rec[340..344].copy_from_slice(&(now.sec as i32).to_ne_bytes()); // ut_tv
    rec[344..348].copy_from_slice(&((now.nsec / 1000) as i32).to_ne_bytes());
    let _ = sys::write_all(std::os::fd::AsRawFd::as_raw_fd(&fd), &rec);
}
