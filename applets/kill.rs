//! kill: send a signal to processes, or list signal names.
//!
//! `kill [-s SIG | -n SIG | -SIG] [-q VALUE] [--] PID...`, `kill -l [SIG|STATUS]...`,
//! `kill -L`. A PID below -1 names a process group, -1 every process the
//! caller may signal. Messages are BusyBox's (`kill: can't kill pid 123: No
//! such process`); the status is 1 when any PID failed.

use ibex::args::{self, Spec};
use ibex::io::Out;
use ibex::{Status, msg, signame, sys};
use std::ffi::{OsStr, OsString};
use std::os::unix::ffi::OsStrExt;

const SPEC: Spec = Spec::new(
    "",
    &[],
    ibex::usage!(
        kill,
        "kill [-l [SIG|STATUS]...] [-L] [-s SIG | -SIG] [-q VALUE] PID...\n\n\
         Send a signal (default: TERM) to given PIDs (-PGID: a process group)\n\n\
         \t-l\tList all signal names and numbers, or convert SIG/STATUS\n\
         \t-L\tList all signal names and numbers in a table\n\
         \t-s SIG\tSignal to send, by name or number (also -n SIG, -SIG)\n\
         \t-q VALUE\tSend VALUE with the signal (sigqueue)"
    ),
);

pub fn main(argv: &[OsString]) -> Status {
    let args: Vec<&[u8]> = argv.iter().skip(1).map(|a| a.as_bytes()).collect();
    let mut sig = libc::SIGTERM;
    let mut sig_set = false;
    let mut queue: Option<i32> = None;
    let mut i = 0;
    while let Some(&a) = args.get(i) {
        if a == b"--" {
            i += 1;
            break;
        }
        if !a.starts_with(b"-") || a.len() < 2 || (sig_set && a != b"-q") {
            break;
        }
        match a {
            b"--help" => {
                args::print_usage(&SPEC);
                return Ok(0);
            }
            b"-l" | b"--list" => return Ok(list(&args[i + 1..])),
            b"-L" | b"--table" => return Ok(table()),
            b"-s" | b"-n" | b"--signal" | b"-q" | b"--queue" => {
                let Some(&v) = args.get(i + 1) else {
                    let letter = if a.starts_with(b"--") {
                        &a[2..3]
                    } else {
                        &a[1..2]
                    };
                    return Err(args::usage_error(
                        &SPEC,
                        &[b"option requires an argument -- '", letter, b"'"],
                    ));
                };
                if a == b"-q" || a == b"--queue" {
                    queue = Some(parse_num(v).ok_or_else(|| bad_number(v))?);
                } else {
                    sig = signal(v)?;
                    sig_set = true;
                }
                i += 2;
                continue;
            }
            _ => {}
        }
        if let Some(v) = a.strip_prefix(b"--list=") {
            return Ok(list(&[v]));
        }
        if let Some(v) = a.strip_prefix(b"--signal=") {
            sig = signal(v)?;
        } else {
            sig = signal(&a[1..])?;
        }
        sig_set = true;
        i += 1;
    }
    let pids = &args[i.min(args.len())..];
    if pids.is_empty() {
        msg!("you need to specify whom to kill");
        return Ok(1);
    }
    let mut status = 0;
    for &p in pids {
        let Some(pid) = parse_num(p) else {
            bad_number(p);
            status = 1;
            continue;
        };
        let r = match queue {
            Some(v) => sys::sigqueue(pid, sig, v),
            None => sys::kill(pid, sig),
        };
        if let Err(e) = r {
            msg!("can't kill pid ", OsStr::from_bytes(p), ": ", e);
            status = 1;
        }
    }
    Ok(status)
}

fn signal(name: &[u8]) -> Result<i32, ibex::Exit> {
    signame::number(name).ok_or_else(|| {
        msg!("bad signal name '", OsStr::from_bytes(name), "'");
        ibex::Exit(1)
    })
}

fn bad_number(v: &[u8]) -> ibex::Exit {
    msg!("invalid number '", OsStr::from_bytes(v), "'");
    ibex::Exit(1)
}

/// A PID (or value): an optional minus sign and decimal digits.
fn parse_num(v: &[u8]) -> Option<i32> {
    let digits = v.strip_prefix(b"-").unwrap_or(v);
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    std::str::from_utf8(v).ok()?.parse().ok()
}

/// `kill -l`: every signal as ` N) NAME`, or each operand converted (a
/// number or exit status to its name, a name to its number).
fn list(ops: &[&[u8]]) -> i32 {
    let mut out = Out::stdout();
    if ops.is_empty() {
        for sig in 1..=31 {
            if let Some(n) = signame::name(sig) {
                out.str(&format!("{sig:2}) {n}\n"));
            }
        }
        return out.finish(0);
    }
    let mut status = 0;
    for &op in ops {
        let found = if !op.is_empty() && op.iter().all(u8::is_ascii_digit) {
            parse_num(op)
                .map(|n| if n > 128 { n - 128 } else { n })
                .and_then(|n| {
                    if n == 0 {
                        Some("EXIT".into())
                    } else {
                        signame::name(n)
                    }
                })
                .map(|n| n.into_bytes())
        } else {
            signame::number(op)
                .filter(|&n| n > 0)
                .map(|n| n.to_string().into_bytes())
        };
        match found {
            Some(text) => {
                out.write(&text);
                out.byte(b'\n');
            }
            None => {
                out.flush();
                msg!("unknown signal '", OsStr::from_bytes(op), "'");
                status = 1;
            }
        }
    }
    out.finish(status)
}

/// `kill -L`: the signals in a table, seven to a line.
fn table() -> i32 {
    let mut out = Out::stdout();
    for sig in 1..=31 {
        let name = signame::name(sig).unwrap_or_default();
        if sig % 7 == 0 {
            out.str(&format!("{sig:2} {name}\n"));
        } else {
            out.str(&format!("{sig:2} {name:<8}"));
        }
    }
    out.byte(b'\n');
    out.finish(0)
}
