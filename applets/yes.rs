//! yes: print a line (`y`, or the arguments joined by spaces) forever.

use ibex::Status;
use ibex::args::{Parser, Spec};
use std::ffi::OsString;
use std::os::unix::ffi::OsStrExt;

const SPEC: Spec = Spec::new(
    "",
    &[],
    ibex::usage!(
        yes,
        "yes [STRING]...\n\nRepeatedly output a line with all specified STRING(s), or 'y'"
    ),
);

pub fn main(argv: &[OsString]) -> Status {
    let mut p = Parser::new(argv, &SPEC);
    while p.next()?.is_some() {}
    let words = p.operands();
    let mut line = Vec::new();
    if words.is_empty() {
        line.extend_from_slice(b"y");
    }
    for (i, w) in words.iter().enumerate() {
        if i > 0 {
            line.push(b' ');
        }
        line.extend_from_slice(w.as_bytes());
    }
    line.push(b'\n');
    // Fill a buffer with whole lines so each write carries many of them.
    let mut buf = Vec::with_capacity(64 * 1024);
    while buf.len() + line.len() <= 64 * 1024 || buf.is_empty() {
        buf.extend_from_slice(&line);
    }
    loop {
        if let Err(e) = ibex::sys::write_all(1, &buf) {
            ibex::msg!("standard output: ", e);
            return Ok(1);
        }
    }
}
