//! pivot_root: make NEW_ROOT the root filesystem of the calling mount
//! namespace and move the old root to PUT_OLD (util-linux's messages).

use ibex::Status;
use ibex::args::{Parser, Spec};
use std::ffi::OsString;
use std::os::unix::ffi::OsStrExt;

const USAGE: ibex::usage::Usage = ibex::usage!(
    pivot_root,
    "pivot_root NEW_ROOT PUT_OLD

Move the current root filesystem to PUT_OLD and make NEW_ROOT the root"
);

const SPEC: Spec = Spec::new("", &[], USAGE);

pub fn main(argv: &[OsString]) -> Status {
    let mut p = Parser::new(argv, &SPEC);
    while p.next()?.is_some() {}
    let ops = p.operands();
    let [new, old] = ops[..] else {
        return Err(ibex::args::usage_error(&SPEC, &[b"bad usage"]));
    };
    let (new, old) = (new.as_bytes(), old.as_bytes());
    if let Err(e) = ibex::sys::pivot_root(new, old) {
        ibex::msg!("failed to change root from `", new, "' to `", old, "': ", e);
        return Ok(1);
    }
    Ok(0)
}
