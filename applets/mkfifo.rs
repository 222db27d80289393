//! mkfifo: make named pipes (FIFOs), mode 0666 less the umask, or exactly
//! MODE with `-m` (octal or symbolic, permission bits only).

use ibex::Status;
use ibex::args::{self, Long, Parser, Spec, optional, value};
use ibex::copy::quote;
use ibex::mode;
use ibex::sys::{self, Dir};
use std::ffi::OsString;
use std::os::unix::ffi::OsStrExt;

const CONTEXT: u32 = 256;

const LONGS: &[Long] = &[value("mode", 'm' as u32), optional("context", CONTEXT)];

const SPEC: Spec = Spec::new(
    "m:Z",
    LONGS,
    ibex::usage!(
        mkfifo,
        "mkfifo [-m MODE] NAME...

Create named pipe

\t-m MODE\tMode (default a=rw less the umask)"
    ),
);

pub fn main(argv: &[OsString]) -> Status {
    let mut mode_arg = None;
    let mut p = Parser::new(argv, &SPEC);
    while let Some((id, val)) = p.next()? {
        if id == 'm' as u32 {
            mode_arg = val;
        }
    }
    let umask = sys::get_umask();
    let mut exact = None;
    if let Some(m) = mode_arg {
        let Some(m) = mode::parse(m.as_bytes()) else {
            ibex::msg!("invalid mode");
            return Err(ibex::Exit(1));
        };
        let bits = m.apply(0o666, false, umask);
        if bits & !0o777 != 0 {
            ibex::msg!("mode must specify only file permission bits");
            return Err(ibex::Exit(1));
        }
        exact = Some(bits);
    }
    let ops = p.operands();
    if ops.is_empty() {
        return Err(args::missing_operand(&SPEC));
    }
    let mut status = 0;
    for op in ops {
        let name = op.as_bytes();
        let mode = exact.unwrap_or(0o666);
        if let Err(e) = sys::mknodat(Dir::CWD, name, sys::S_IFIFO | mode, 0) {
            ibex::msg!("cannot create fifo ", quote(name), ": ", e);
            status = 1;
            continue;
        }
        if let Some(m) = exact
            && m & umask != 0
            && let Err(e) = sys::fchmodat(Dir::CWD, name, m)
        {
            ibex::msg!("cannot set permissions of ", quote(name), ": ", e);
            status = 1;
        }
    }
    Ok(status)
}
