//! nice: run a command with an adjusted niceness, or print the current
//! niceness. `-n N` / `--adjustment=N` / the old `-N` and `--N` forms
//! (default 10); the result is clamped to -20..19 as the kernel does.
//! Raising priority without privilege only warns and still runs the
//! command, as GNU does. Status: 125 nice's own errors, 126 command not
//! runnable, 127 not found, else the command's.

use ibex::Status;
use ibex::args::{Parser, Spec, usage_error, value};
use ibex::io::Out;
use std::ffi::OsString;
use std::os::unix::ffi::OsStrExt;

const SPEC: Spec = Spec::new(
    "+n:",
    &[value("adjustment", 'n' as u32)],
    ibex::usage!(
        nice,
        "nice [-n ADJUST] [COMMAND [ARG]...]\n\n\
         Run COMMAND with an adjusted niceness, or print the current niceness\n\n\
         \t-n N\tAdd N to the niceness (default 10)"
    ),
)
.status(125);

/// An adjustment like strtol reads it, clamped to a sane range on overflow.
fn parse_adjustment(s: &[u8]) -> Option<i64> {
    let t = s.trim_ascii_start();
    let (neg, digits) = match t.first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let mut n: i64 = 0;
    for &c in digits {
        n = n.saturating_mul(10).saturating_add(i64::from(c - b'0'));
    }
    Some(if neg { -n } else { n })
}

/// The old `-N`, `--N`, `-+N` forms rewritten as `-n VALUE`.
fn normalize(argv: &[OsString]) -> Vec<OsString> {
    let mut v: Vec<OsString> = argv.iter().take(1).cloned().collect();
    let mut i = 1;
    while let Some(a) = argv.get(i) {
        let s = a.as_bytes();
        let skip = usize::from(matches!(s.get(1), Some(b'-' | b'+')));
        if s.first() == Some(&b'-') && s.get(1 + skip).is_some_and(u8::is_ascii_digit) {
            v.push("-n".into());
            v.push(ibex::sys::os(&s[1..]).to_os_string());
            i += 1;
            continue;
        }
        let takes_value =
            s == b"-n" || (s.len() > 2 && s.starts_with(b"--") && b"--adjustment".starts_with(s));
        if takes_value {
            v.extend(argv[i..].iter().take(2).cloned());
            i += 2;
        } else if s.len() > 1 && s.first() == Some(&b'-') && s != b"--" {
            v.push(a.clone());
            i += 1;
        } else {
            v.extend(argv[i..].iter().cloned());
            break;
        }
    }
    v
}

pub fn main(argv: &[OsString]) -> Status {
    let args = normalize(argv);
    let mut p = Parser::new(&args, &SPEC);
    let mut adjust: Option<i64> = None;
    while let Some((id, val)) = p.next()? {
        if id == 'n' as u32 {
            let val = val.unwrap_or_default();
            match parse_adjustment(val.as_bytes()) {
                Some(n) => adjust = Some(n),
                None => {
                    ibex::msg!("invalid adjustment '", val, "'");
                    return Ok(125);
                }
            }
        }
    }
    let command: Vec<OsString> = p.operands().iter().map(|s| s.to_os_string()).collect();
    let current = match ibex::sys::get_niceness() {
        Ok(n) => n,
        Err(e) => {
            ibex::msg!("cannot get niceness: ", e);
            return Ok(125);
        }
    };
    if command.is_empty() {
        if adjust.is_some() {
            return Err(usage_error(
                &SPEC,
                &[b"a command must be given with an adjustment"],
            ));
        }
        let mut out = Out::stdout();
        let mut b = [0u8; 20];
        if current < 0 {
            out.byte(b'-');
        }
        out.write(ibex::io::fmt_u64(current.unsigned_abs().into(), &mut b));
        out.byte(b'\n');
        return out.done(0);
    }
    let adjust = adjust.unwrap_or(10).clamp(-40, 40);
    let target = (i64::from(current) + adjust).clamp(-20, 19) as i32;
    if let Err(e) = ibex::sys::set_niceness(target) {
        ibex::msg!("cannot set niceness: ", e);
        if !matches!(e.raw_os_error(), Some(libc::EPERM | libc::EACCES)) {
            return Ok(125);
        }
    }
    let e = ibex::sys::execvp_posix(&command);
    let code = if e.raw_os_error() == Some(libc::ENOENT) {
        127
    } else {
        126
    };
    ibex::msg!("'", command[0].as_os_str(), "': ", e);
    Ok(code)
}
