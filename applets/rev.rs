//! rev: reverse the characters of each line of the FILEs (or stdin).
//! In a UTF-8 locale multibyte characters stay whole (a byte that is not
//! part of a valid character counts as one character); otherwise bytes
//! are reversed. A last line without a newline stays without one; a line
//! with a NUL ends there, without its newline (BusyBox, util-linux).

use ibex::Status;
use ibex::args::{Parser, Spec};
use std::ffi::OsString;

const SPEC: Spec = Spec::new(
    "",
    &[],
    ibex::usage!(
        rev,
        "rev [FILE]...\n\n\
     Reverse the characters of each line of FILEs (or standard input)"
    ),
);

/// Length of the valid UTF-8 character starting `s`, or 1.
fn char_len(s: &[u8]) -> usize {
    let n = match s[0] {
        0xc2..=0xdf => 2,
        0xe0..=0xef => 3,
        0xf0..=0xf4 => 4,
        _ => return 1,
    };
    match s.get(..n) {
        Some(c) if std::str::from_utf8(c).is_ok() => n,
        _ => 1,
    }
}

/// Append `line` reversed to `out`.
fn reverse(line: &[u8], utf8: bool, out: &mut Vec<u8>) {
    let start = out.len();
    out.extend_from_slice(line);
    let slot = &mut out[start..];
    slot.reverse();
    if !utf8 || line.is_ascii() {
        return;
    }
    // Put each multibyte character's bytes back in order.
    let mut i = 0;
    let len = line.len();
    while i < len {
        if line[i] < 0x80 {
            i += 1;
            continue;
        }
        let n = char_len(&line[i..]);
        if n > 1 {
            slot[len - i - n..len - i].copy_from_slice(&line[i..i + n]);
        }
        i += n;
    }
}

pub fn main(argv: &[OsString]) -> Status {
    let mut p = Parser::new(argv, &SPEC);
    while p.next()?.is_some() {}
    let files = p.operands();
    let utf8 = ibex::sys::utf8_locale();
    ibex::records::map_lines(&files, |line, acc| {
        // As BusyBox and util-linux: a NUL ends the line's text, and the
        // newline after it is not printed.
        match memchr::memchr(0, line) {
            Some(nul) => {
                reverse(&line[..nul], utf8, acc);
                false
            }
            None => {
                reverse(line, utf8, acc);
                true
            }
        }
    })
}
