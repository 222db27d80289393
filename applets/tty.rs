//! tty: print the name of the terminal on standard input. `-s` prints
//! nothing and only sets the status: 0 a terminal, 1 not one, 2 usage
//! error, 3 write error (as GNU).

use ibex::Status;
use ibex::args::{Parser, Spec, flag, usage_error};
use ibex::io::Out;
use std::ffi::OsString;
use std::os::unix::ffi::OsStrExt;

const SPEC: Spec = Spec::new(
    "s",
    &[flag("silent", 's' as u32), flag("quiet", 's' as u32)],
    ibex::usage!(
        tty,
        "tty [-s]\n\n\
         Print the file name of the terminal connected to standard input\n\n\
         \t-s\tPrint nothing, only return an exit status"
    ),
)
.status(2);

pub fn main(argv: &[OsString]) -> Status {
    let mut silent = false;
    let mut p = Parser::new(argv, &SPEC);
    while let Some((id, _)) = p.next()? {
        if id == 's' as u32 {
            silent = true;
        }
    }
    if let Some(extra) = p.operands().first() {
        return Err(usage_error(
            &SPEC,
            &[b"extra operand '", extra.as_bytes(), b"'"],
        ));
    }
    let name = ibex::sys::ttyname(0);
    if silent {
        return Ok(if ibex::sys::isatty(0) { 0 } else { 1 });
    }
    let mut out = Out::stdout();
    let status = match name {
        Ok(n) => {
            out.write(&n);
            0
        }
        Err(_) => {
            out.str("not a tty");
            1
        }
    };
    out.byte(b'\n');
    if out.flush() {
        Ok(status)
    } else {
        Ok(out.finish(3))
    }
}
