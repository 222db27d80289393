//! echo: write arguments separated by spaces. `-n` no newline, `-e`
//! interpret escapes, `-E` don't (the default). An argument is an option
//! only if it is made of those letters alone; `--help` is not special.

use ibex::Status;
use ibex::escape::{Octal, unescape};
use ibex::io::Out;
use std::ffi::OsString;
use std::os::unix::ffi::OsStrExt;

pub fn main(argv: &[OsString]) -> Status {
    let mut newline = true;
    let mut escapes = false;
    let mut first = 1;
    for a in argv.iter().skip(1) {
        let b = a.as_bytes();
        let is_opt = b.len() > 1 && b[0] == b'-' && b[1..].iter().all(|c| b"neE".contains(c));
        if !is_opt {
            break;
        }
        for &c in &b[1..] {
            match c {
                b'n' => newline = false,
                b'e' => escapes = true,
                _ => escapes = false,
            }
        }
        first += 1;
    }
    let mut out = Out::stdout();
    for (i, a) in argv.iter().skip(first).enumerate() {
        if i > 0 {
            out.byte(b' ');
        }
        if escapes {
            let u = unescape(a.as_bytes(), Octal::ZeroPrefixed);
            out.write(&u.bytes);
            if u.stop {
                return out.done(0);
            }
        } else {
            out.write(a.as_bytes());
        }
    }
    if newline {
        out.byte(b'\n');
    }
    out.done(0)
}
