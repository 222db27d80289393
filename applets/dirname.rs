//! dirname: print each NAME without its last component (`.` when it has
//! no slash, `/` for the root); -z ends each line with NUL.

use ibex::Status;
use ibex::args::{Parser, Spec, flag, missing_operand};
use ibex::io::Out;
use std::ffi::OsString;
use std::os::unix::ffi::OsStrExt;

const SPEC: Spec = Spec::new(
    "z",
    &[flag("zero", 'z' as u32)],
    ibex::usage!(
        dirname,
        "dirname [-z] NAME...\n\n\
         Strip the last component from each NAME\n\n\
         \t-z, --zero\tEnd each output line with NUL, not newline"
    ),
);

pub fn main(argv: &[OsString]) -> Status {
    let mut end = b'\n';
    let mut p = Parser::new(argv, &SPEC);
    while let Some((id, _)) = p.next()? {
        if id == 'z' as u32 {
            end = 0;
        }
    }
    let ops = p.operands();
    if ops.is_empty() {
        return Err(missing_operand(&SPEC));
    }
    let mut out = Out::stdout();
    for name in &ops {
        out.write(ibex::path::dirname(name.as_bytes()));
        out.byte(end);
    }
    out.done(0)
}
