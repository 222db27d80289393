//! whoami: print the user name of the effective user ID (`id -un`).

use ibex::Status;
use ibex::args::{Parser, Spec, usage_error};
use ibex::io::Out;
use std::ffi::OsString;
use std::os::unix::ffi::OsStrExt;

const SPEC: Spec = Spec::new(
    "",
    &[],
    ibex::usage!(
        whoami,
        "whoami\n\n\
         Print the user name associated with the current effective user ID"
    ),
);

pub fn main(argv: &[OsString]) -> Status {
    let mut p = Parser::new(argv, &SPEC);
    while p.next()?.is_some() {}
    if let Some(extra) = p.operands().first() {
        return Err(usage_error(
            &SPEC,
            &[b"extra operand '", extra.as_bytes(), b"'"],
        ));
    }
    let uid = ibex::sys::geteuid();
    let Some(name) = ibex::users::user_name(uid) else {
        ibex::msg!("cannot find name for user ID ", uid);
        return Ok(1);
    };
    let mut out = Out::stdout();
    out.write(&name);
    out.byte(b'\n');
    out.done(0)
}
