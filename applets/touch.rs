//! touch: set the access and modification times of files, creating them
//! (mode 0666 less the umask) unless `-c`. `-a`/`-m`/`--time=WORD` pick one
//! time, `-d DATE` (free-form, see ibex::datetime), `-t STAMP`
//! (`[[CC]YY]MMDDhhmm[.ss]`) or `-r FILE` give it, `-h` changes a symbolic
//! link itself. `-` is standard output.

use ibex::Status;
use ibex::args::{self, Long, Parser, Spec, flag, value};
use ibex::copy::quote;
use ibex::datetime;
use ibex::sys::{self, Dir, SetTime, Timespec};
use std::ffi::{OsStr, OsString};
use std::os::fd::AsRawFd;
use std::os::unix::ffi::OsStrExt;

const TIME: u32 = 256;

const LONGS: &[Long] = &[
    flag("no-create", 'c' as u32),
    value("date", 'd' as u32),
    value("reference", 'r' as u32),
    flag("no-dereference", 'h' as u32),
    value("time", TIME),
];

const SPEC: Spec = Spec::new(
    "acd:fhmr:t:",
    LONGS,
    ibex::usage!(
        touch,
        "touch [-c] [-d DATE] [-t DATE] [-r FILE] [-ahm] FILE...

Update the last-modified date on the given FILE[s]

\t-c\tDon't create files
\t-h\tDon't follow links
\t-a\tChange only atime
\t-m\tChange only mtime
\t-d DT\tDate/time to use
\t-t DT\tDate/time to use, [[CC]YY]MMDDhhmm[.ss]
\t-r FILE\tUse FILE's date/time
\t--time=WORD\tChange atime (atime, access, use) or mtime (mtime, modify)"
    ),
);

pub fn main(argv: &[OsString]) -> Status {
    let mut atime = false;
    let mut mtime = false;
    let mut no_create = false;
    let mut no_deref = false;
    let mut date: Option<&OsStr> = None;
    let mut stamp: Option<&OsStr> = None;
    let mut reference: Option<&OsStr> = None;
    let mut p = Parser::new(argv, &SPEC);
    while let Some((id, val)) = p.next()? {
        match id {
            0x61 => atime = true,
            0x6d => mtime = true,
            0x63 => no_create = true,
            0x68 => no_deref = true,
            0x64 => date = val,
            0x74 => stamp = val,
            0x72 => reference = val,
            TIME => {
                let v = val.map_or(&b""[..], |v| v.as_bytes());
                match time_word(v) {
                    Some(true) => atime = true,
                    Some(false) => mtime = true,
                    None => return Err(bad_time(v)),
                }
            }
            _ => {} // -f: ignored, for BSD compatibility
        }
    }
    if stamp.is_some() && (date.is_some() || reference.is_some()) {
        return Err(args::usage_error(
            &SPEC,
            &[b"cannot specify times from more than one source"],
        ));
    }
    let now = sys::now();
    // The times to set: (atime, mtime), None meaning "now".
    let mut times: Option<(Timespec, Timespec)> = None;
    if let Some(r) = reference {
        let flags = if no_deref {
            sys::AT_SYMLINK_NOFOLLOW
        } else {
            0
        };
        match sys::fstatat(Dir::CWD, r.as_bytes(), flags) {
            Ok(st) => times = Some((st.atime, st.mtime)),
            Err(e) => {
                ibex::msg!("failed to get attributes of ", quote(r.as_bytes()), ": ", e);
                return Err(ibex::Exit(1));
            }
        }
    }
    if let Some(d) = date {
        let parsed = match times {
            Some((a, m)) => datetime::parse(d.as_bytes(), a)
                .and_then(|a| Some((a, datetime::parse(d.as_bytes(), m)?))),
            None => datetime::parse(d.as_bytes(), now).map(|t| (t, t)),
        };
        match parsed {
            Some(t) => times = Some(t),
            None => {
                ibex::msg!("invalid date format ", quote(d.as_bytes()));
                return Err(ibex::Exit(1));
            }
        }
    }
    if let Some(t) = stamp {
        match datetime::parse_touch_stamp(t.as_bytes(), now.sec, false) {
            Some(sec) => {
                let ts = Timespec { sec, nsec: 0 };
                times = Some((ts, ts));
            }
            None => {
                ibex::msg!("invalid date format ", quote(t.as_bytes()));
                return Err(ibex::Exit(1));
            }
        }
    }
    let ops = p.operands();
    if ops.is_empty() {
        return Err(args::usage_error(&SPEC, &[b"missing file operand"]));
    }
    if !atime && !mtime {
        atime = true;
        mtime = true;
    }
    let (a, m) = match times {
        Some((a, m)) => (SetTime::At(a), SetTime::At(m)),
        None => (SetTime::Now, SetTime::Now),
    };
    let a = if atime { a } else { SetTime::Omit };
    let m = if mtime { m } else { SetTime::Omit };
    let mut status = 0;
    for op in ops {
        if !touch(op.as_bytes(), a, m, no_create, no_deref) {
            status = 1;
        }
    }
    Ok(status)
}

/// `--time=WORD`: Some(true) for the access time, Some(false) for the
/// modification time (unique prefixes allowed, as GNU's argmatch).
fn time_word(v: &[u8]) -> Option<bool> {
    const WORDS: &[(&[u8], bool)] = &[
        (b"atime", true),
        (b"access", true),
        (b"use", true),
        (b"mtime", false),
        (b"modify", false),
    ];
    if let Some(&(_, k)) = WORDS.iter().find(|(w, _)| *w == v) {
        return Some(k);
    }
    let mut found = None;
    for &(w, k) in WORDS {
        if !v.is_empty() && w.starts_with(v) {
            match found {
                None => found = Some(k),
                Some(f) if f == k => {}
                Some(_) => return None,
            }
        }
    }
    found
}

fn bad_time(v: &[u8]) -> ibex::Exit {
    // Words that share a prefix mean the same: no prefix is ambiguous.
    ibex::msg!("invalid argument ", quote(v), " for '--time'");
    let mut e =
        b"Valid arguments are:\n  - 'atime', 'access', 'use'\n  - 'mtime', 'modify'\nUsage: "
            .to_vec();
    e.extend_from_slice(&SPEC.usage.synopsis());
    e.push(b'\n');
    let _ = sys::write_all(2, &e);
    ibex::Exit(1)
}

fn touch(name: &[u8], a: SetTime, m: SetTime, no_create: bool, no_deref: bool) -> bool {
    if name == b"-" {
        return match sys::futimens(1, a, m) {
            Ok(()) => true,
            Err(e) => {
                ibex::msg!("setting times of '-': ", e);
                false
            }
        };
    }
    let mut open_err = None;
    let mut fd = None;
    if !no_create && !no_deref {
        let flags = sys::O_WRONLY | sys::O_CREAT | sys::O_NONBLOCK | sys::O_NOCTTY;
        match sys::openat(Dir::CWD, name, flags, 0o666) {
            Ok(f) => fd = Some(f),
            Err(e) => open_err = Some(e),
        }
    }
    let r = match &fd {
        Some(f) => sys::futimens(f.as_raw_fd(), a, m),
        None => {
            let flags = if no_deref {
                sys::AT_SYMLINK_NOFOLLOW
            } else {
                0
            };
            sys::utimensat(Dir::CWD, name, a, m, flags)
        }
    };
    match r {
        Ok(()) => true,
        Err(e) => {
            // (A directory cannot be opened for writing; that is no reason.)
            if let Some(oe) = open_err
                && oe.raw_os_error() != Some(libc::EISDIR)
            {
                ibex::msg!("cannot touch ", quote(name), ": ", oe);
                return false;
            }
            if no_create && e.raw_os_error() == Some(libc::ENOENT) {
                return true;
            }
            ibex::msg!("setting times of ", quote(name), ": ", e);
            false
        }
    }
}
