//! insmod: load one kernel module file with parameters (`name=value`...).
//! finit_module on the file; compressed files go to the kernel as they are
//! (Linux 6.4+) or are decompressed here (gzip only).

use ibex::Status;
use ibex::args::{Parser, Spec, flag};
use ibex::kmod;
use std::ffi::OsString;
use std::os::unix::ffi::OsStrExt;

const USAGE: ibex::usage::Usage = ibex::usage!(
    insmod,
    "insmod [-fsv] FILE [SYMBOL=VALUE]...

Load a kernel module

\t-f\tForce: ignore version magic and symbol versions (dangerous)
\t-s\tAccepted for compatibility (messages go to stderr)
\t-v\tVerbose"
);

const LONGS: &[ibex::args::Long] = &[
    flag("force", 'f' as u32),
    flag("syslog", 's' as u32),
    flag("verbose", 'v' as u32),
];

const SPEC: Spec = Spec::new("+fsv", LONGS, USAGE);

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
    let ops = p.operands();
    let Some((file, params)) = ops.split_first() else {
        ibex::msg!("ERROR: missing filename.");
        return Ok(1);
    };
    let file = file.as_bytes();
    let params: Vec<&[u8]> = params.iter().map(|a| a.as_bytes()).collect();
    let params = params.join(&b' ');
    if let Err(e) = ibex::sys::stat(file) {
        ibex::msg!("ERROR: could not load module ", file, ": ", e);
        return Ok(1);
    }
    if verbose {
        ibex::msg!("insmod ", file, " ", &params[..]);
    }
    if let Err(e) = kmod::insert(file, &params, force) {
        ibex::msg!(
            "ERROR: could not insert module ",
            file,
            ": ",
            kmod::insert_reason(&e)
        );
        return Ok(1);
    }
    Ok(0)
}
