//! test, `[` and `[[`: evaluate a conditional expression. Exit 0 true,
//! 1 false, 2 on a syntax error. Up to four arguments follow POSIX's rules
//! by argument count; longer expressions use the XSI grammar (`!` binds
//! tighter than `-a`, which binds tighter than `-o`; parentheses group).
//! `[` needs a last `]`, `[[` a last `]]`. Messages use GNU's wording.
//! No state outside the call: the shell runs this as its builtin.

use ibex::Status;
use std::ffi::OsString;
use std::os::unix::ffi::OsStrExt;

pub fn main(argv: &[OsString]) -> Status {
    let name = argv
        .first()
        .map_or(&b"test"[..], |a| ibex::path::basename(a.as_bytes()));
    let args: Vec<&[u8]> = argv.iter().skip(1).map(|a| a.as_bytes()).collect();
    match ibex::testexpr::test(name, &args) {
        Ok(true) => Ok(0),
        Ok(false) => Ok(1),
        Err(m) => {
            ibex::msg!(m);
            Ok(2)
        }
    }
}
