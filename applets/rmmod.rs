//! rmmod: unload kernel modules (delete_module with O_NONBLOCK; `-f`
//! adds O_TRUNC to force). A module is named as it is loaded or by its file
//! name (`x.ko`, `/path/x-y.ko` -> `x_y`). Refused when the module is not
//! loaded or other modules use it (from /proc/modules).

use ibex::Status;
use ibex::args::{Parser, Spec, flag};
use ibex::kmod;
use std::ffi::OsString;
use std::os::unix::ffi::OsStrExt;

const USAGE: ibex::usage::Usage = ibex::usage!(
    rmmod,
    "rmmod [-fsv] MODULE...

Unload kernel modules

\t-f\tForce unload (dangerous)
\t-s\tAccepted for compatibility (messages go to stderr)
\t-v\tVerbose"
);

const LONGS: &[ibex::args::Long] = &[
    flag("force", 'f' as u32),
    flag("syslog", 's' as u32),
    flag("verbose", 'v' as u32),
];

const SPEC: Spec = Spec::new("fsv", LONGS, USAGE);

pub fn main(argv: &[OsString]) -> Status {
    let mut p = Parser::new(argv, &SPEC);
    let (mut force, mut verbose) = (false, false);
    while let Some((id, _)) = p.next()? {
        match char::from_u32(id).unwrap_or('?') {
            'f' => force = true,
            'v' => verbose = true,
            _ => {}
        }
    }
    let names = p.operands();
    if names.is_empty() {
        ibex::msg!("ERROR: missing module name.");
        return Ok(1);
    }
    let loaded = kmod::loaded().unwrap_or_default();
    let mut status = 0;
    for arg in names {
        let name = kmod::name_of_path(arg.as_bytes());
        let Some(m) = loaded.iter().find(|m| m.name == name) else {
            ibex::msg!("ERROR: Module ", &name[..], " is not currently loaded");
            status = 1;
            continue;
        };
        if !force {
            if !m.users.is_empty() {
                let users: Vec<&[u8]> = m.users.iter().map(Vec::as_slice).collect();
                ibex::msg!(
                    "ERROR: Module ",
                    &name[..],
                    " is in use by: ",
                    &users.join(&b' ')[..]
                );
                status = 1;
                continue;
            }
            if m.refcnt > 0 {
                ibex::msg!("ERROR: Module ", &name[..], " is in use");
                status = 1;
                continue;
            }
        }
        if verbose {
            ibex::msg!("rmmod ", &name[..]);
        }
        let flags = libc::O_NONBLOCK | if force { libc::O_TRUNC } else { 0 };
        if let Err(e) = ibex::sys::delete_module(&name, flags) {
            ibex::msg!("ERROR: could not remove module ", &name[..], ": ", e);
            status = 1;
        }
    }
    Ok(status)
}
