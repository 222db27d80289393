//! init: the first process.
//!
//! Without a command, as PID 1: system mode, BusyBox's init (see
//! `system.rs`): /etc/inittab (or `$IBEX_INITTAB`), or BusyBox's built-in
//! default when there is none. With a command: container mode, what tini
//! does (see `container.rs`): run the command, forward signals to it, reap
//! every zombie, exit with its status.

mod container;
mod inittab;
mod system;

use ibex::args::{self, Parser, Spec};
use ibex::{Exit, Status, msg, signame, sys};
use std::ffi::{OsStr, OsString};
use std::os::unix::ffi::OsStrExt;

const SPEC: Spec = Spec::new(
    "+sgvwe:p:",
    &[],
    ibex::usage!(
        init,
        "init [-sgvw] [-e CODE]... [-p SIG] [--] [CMD [ARG]...]\n\n\
         Boot the system from /etc/inittab as PID 1, or run CMD as a container's init\n\n\
         \t-s\tRegister as a child subreaper (PID 1 without CMD: single-user shell)\n\
         \t-g\tSend forwarded signals to CMD's process group\n\
         \t-e CODE\tExit with 0 when CMD exits with CODE (repeatable)\n\
         \t-p SIG\tGet signal SIG when the parent dies\n\
         \t-v\tMore messages (-vv: debugging ones too)\n\
         \t-w\tWarn about every reaped zombie"
    ),
);

/// Arguments the kernel passes to init for runlevels: system mode, not a
/// command to run. The first five mean single-user.
const RUNLEVELS: &[&[u8]] = &[
    b"single",
    b"emergency",
    b"s",
    b"S",
    b"1",
    b"0",
    b"2",
    b"3",
    b"4",
    b"5",
    b"6",
    b"auto",
];

pub fn main(argv: &[OsString]) -> Status {
    let mut o = container::Opts::default();
    let mut p = Parser::new(argv, &SPEC);
    while let Some((id, val)) = p.next()? {
        let val = val.unwrap_or_default();
        match char::from_u32(id) {
            Some('s') => o.subreaper = true,
            Some('g') => o.group = true,
            Some('v') => o.verbosity += 1,
            Some('w') => o.warn_reap = true,
            Some('e') => {
                let code = std::str::from_utf8(val.as_bytes())
                    .ok()
                    .filter(|t| t.bytes().all(|c| c.is_ascii_digit()))
                    .and_then(|t| t.parse::<u8>().ok());
                match code {
                    Some(c) => o.remap[c as usize] = true,
                    None => return Err(args::invalid(&SPEC, "exit code", val)),
                }
            }
            Some('p') => match signame::number(val.as_bytes()).filter(|&s| s > 0) {
                Some(s) => o.pdeathsig = s,
                None => return Err(args::invalid(&SPEC, "signal", val)),
            },
            _ => {}
        }
    }
    let cmd: Vec<&OsStr> = p.operands();
    let pid1 = sys::getpid() == 1;
    let first = cmd.first().map(|c| c.as_bytes());
    if cmd.is_empty() || (pid1 && first.is_some_and(|f| RUNLEVELS.contains(&f))) {
        if !pid1 {
            msg!("must be run as PID 1");
            return Err(Exit(1));
        }
        let single = o.subreaper || first.is_some_and(|f| RUNLEVELS[..5].contains(&f));
        return system::run(single);
    }
    container::run(o, &cmd)
}
