//! truncate: shrink or extend files to a size. `-s SIZE` with an optional
//! modifier (`+` extend by, `-` reduce by, `<` at most, `>` at least, `/`
//! round down to a multiple, `%` round up to one) and K/M/G/T/P/E/Z/Y
//! suffixes (KB = 1000, K = KiB = 1024); `-r FILE` takes the base size from
//! a file; `-o` counts SIZE in I/O blocks; `-c` creates no files.

use ibex::Status;
use ibex::args::{Parser, Spec, flag, usage_error, value};
use ibex::copy::quote;
use ibex::records::cquote;
use ibex::sys;
use std::ffi::OsString;
use std::os::fd::AsRawFd;
use std::os::unix::ffi::OsStrExt;

const SPEC: Spec = Spec::new(
    "cor:s:",
    &[
        flag("no-create", 'c' as u32),
        flag("io-blocks", 'o' as u32),
        value("reference", 'r' as u32),
        value("size", 's' as u32),
    ],
    ibex::usage!(
        truncate,
        "truncate [-c] [-o] [-r RFILE] [-s SIZE] FILE...\n\n\
         Shrink or extend the size of each FILE to the specified size\n\n\
         \t-c, --no-create\tDo not create files\n\
         \t-o, --io-blocks\tSIZE counts I/O blocks, not bytes\n\
         \t-r, --reference=RFILE\tBase the size on RFILE\n\
         \t-s, --size=[+-<>/%]SIZE\tSet or adjust the size (K,M,G,T,P,E: x1024; KB,MB..: x1000)"
    ),
);

#[derive(Clone, Copy, PartialEq, Eq)]
enum Rel {
    Abs,
    Add,
    AtMost,
    AtLeast,
    RoundDown,
    RoundUp,
}

fn skip_space(s: &[u8]) -> &[u8] {
    ibex::num::trim_start(s)
}

/// A signed size with truncate's suffixes; Err(true) when out of range.
fn parse_size(s: &[u8]) -> Result<i64, bool> {
    let (neg, body) = match s.first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let digits = body.iter().take_while(|c| c.is_ascii_digit()).count();
    let suffix = &body[digits..];
    let mult: i128 = if suffix.is_empty() {
        1
    } else {
        let power = match suffix[0] {
            b'k' | b'K' => 1,
            b'm' | b'M' => 2,
            b'g' | b'G' => 3,
            b't' | b'T' => 4,
            b'P' => 5,
            b'E' => 6,
            b'Z' => 7,
            b'Y' => 8,
            _ => return Err(false),
        };
        let base: i128 = match &suffix[1..] {
            b"" | b"iB" => 1024,
            b"B" => 1000,
            _ => return Err(false),
        };
        base.pow(power)
    };
    let n: i128 = if digits == 0 {
        if suffix.is_empty() {
            return Err(false);
        }
        1
    } else {
        let mut n: i128 = 0;
        for &c in &body[..digits] {
            n = (n * 10 + i128::from(c - b'0')).min(1 << 100);
        }
        n
    };
    let v = n.saturating_mul(mult);
    let v = if neg { -v } else { v };
    i64::try_from(v).map_err(|_| true)
}

pub fn main(argv: &[OsString]) -> Status {
    let mut no_create = false;
    let mut blocks = false;
    let mut reference: Option<&[u8]> = None;
    let mut size: Option<(Rel, i64)> = None;
    let mut p = Parser::new(argv, &SPEC);
    while let Some((id, val)) = p.next()? {
        let v = val.map_or(&b""[..], |v| v.as_bytes());
        match char::from_u32(id) {
            Some('c') => no_create = true,
            Some('o') => blocks = true,
            Some('r') => reference = Some(v),
            _ => {
                let mut s = skip_space(v);
                let mut rel = match s.first() {
                    Some(b'<') => Rel::AtMost,
                    Some(b'>') => Rel::AtLeast,
                    Some(b'/') => Rel::RoundDown,
                    Some(b'%') => Rel::RoundUp,
                    _ => Rel::Abs,
                };
                if rel != Rel::Abs {
                    s = skip_space(&s[1..]);
                }
                if matches!(s.first(), Some(b'+' | b'-')) {
                    if rel != Rel::Abs {
                        return Err(usage_error(
                            &SPEC,
                            &[b"multiple relative modifiers specified"],
                        ));
                    }
                    rel = Rel::Add;
                }
                let n = match parse_size(s) {
                    Ok(n) => n,
                    Err(range) => {
                        let why: &[u8] = if range {
                            b": Value too large for defined data type"
                        } else {
                            b""
                        };
                        ibex::msg!("Invalid number: ", cquote(s), why);
                        return Ok(1);
                    }
                };
                if matches!(rel, Rel::RoundDown | Rel::RoundUp) && n == 0 {
                    ibex::msg!("division by zero");
                    return Ok(1);
                }
                size = Some((rel, n));
            }
        }
    }
    let files = p.operands();
    if blocks && size.is_none() {
        return Err(usage_error(
            &SPEC,
            &[b"'--io-blocks' was specified but '--size' was not"],
        ));
    }
    if size.is_none() && reference.is_none() {
        return Err(usage_error(
            &SPEC,
            &[b"you must specify either '--size' or '--reference'"],
        ));
    }
    if reference.is_some() && matches!(size, Some((Rel::Abs, _))) {
        return Err(usage_error(
            &SPEC,
            &[b"you must specify a relative '--size' with '--reference'"],
        ));
    }
    if files.is_empty() {
        return Err(usage_error(&SPEC, &[b"missing file operand"]));
    }
    let ref_size = match reference {
        Some(r) => match sys::stat(r) {
            Ok(st) => Some(st.size as i64),
            Err(e) => {
                ibex::msg!("cannot stat ", quote(r), ": ", e);
                return Ok(1);
            }
        },
        None => None,
    };
    let (rel, n) = match (size, ref_size) {
        (Some(s), _) => s,
        (None, r) => (Rel::Abs, r.unwrap_or(0)),
    };
    let mut status = 0;
    for f in &files {
        if !one(f.as_bytes(), no_create, blocks, rel, n, ref_size) {
            status = 1;
        }
    }
    Ok(status)
}

/// Truncate one file; false after printing a message.
fn one(name: &[u8], no_create: bool, blocks: bool, rel: Rel, n: i64, refsz: Option<i64>) -> bool {
    let flags = sys::O_WRONLY | sys::O_NONBLOCK | if no_create { 0 } else { sys::O_CREAT };
    let fd = match sys::open(name, flags, 0o666) {
        Ok(fd) => fd,
        Err(e) if no_create && e.raw_os_error() == Some(libc::ENOENT) => return true,
        Err(e) => {
            ibex::msg!("cannot open ", quote(name), " for writing: ", e);
            return false;
        }
    };
    let st = match sys::fstat(fd.as_raw_fd()) {
        Ok(st) => st,
        Err(e) => {
            ibex::msg!("cannot fstat ", quote(name), ": ", e);
            return false;
        }
    };
    let mut n = n;
    if blocks {
        let bs = i64::try_from(st.blksize).unwrap_or(1).max(1);
        match n.checked_mul(bs) {
            Some(v) => n = v,
            None => {
                ibex::msg!(
                    "overflow in ",
                    n,
                    " * ",
                    bs,
                    " byte blocks for file ",
                    quote(name)
                );
                return false;
            }
        }
    }
    let new = if rel == Rel::Abs {
        n
    } else {
        let cur = match refsz {
            Some(r) => r,
            None if st.is_reg() => st.size as i64,
            None => match sys::lseek(fd.as_raw_fd(), 0, libc::SEEK_END) {
                Ok(v) => v as i64,
                Err(e) => {
                    ibex::msg!("cannot get the size of ", quote(name), ": ", e);
                    return false;
                }
            },
        };
        match rel {
            Rel::AtMost => cur.min(n),
            Rel::AtLeast => cur.max(n),
            Rel::RoundDown => cur / n * n,
            Rel::RoundUp => {
                let r = cur % n;
                if r == 0 {
                    cur
                } else {
                    match cur.checked_add(n - r) {
                        Some(v) => v,
                        None => {
                            ibex::msg!("overflow rounding up size of file ", quote(name));
                            return false;
                        }
                    }
                }
            }
            _ => match cur.checked_add(n) {
                Some(v) => v,
                None => {
                    ibex::msg!("overflow extending size of file ", quote(name));
                    return false;
                }
            },
        }
    };
    let new = new.max(0) as u64;
    if let Err(e) = sys::ftruncate(fd.as_raw_fd(), new) {
        ibex::msg!(
            "failed to truncate ",
            quote(name),
            " at ",
            new,
            " bytes: ",
            e
        );
        return false;
    }
    true
}
