//! readlink: print the target of symbolic links, or with -f/-e/-m their
//! canonical path. Quiet by default: a file that is not a link gives
//! status 1 without a message unless -v.

use ibex::Status;
use ibex::args::{Parser, Spec, flag};
use ibex::canon::{self, Missing};
use ibex::io::Out;
use std::ffi::OsString;
use std::io;
use std::os::unix::ffi::OsStrExt;

const LONGS: &[ibex::args::Long] = &[
    flag("canonicalize", 'f' as u32),
    flag("canonicalize-existing", 'e' as u32),
    flag("canonicalize-missing", 'm' as u32),
    flag("no-newline", 'n' as u32),
    flag("quiet", 'q' as u32),
    flag("silent", 's' as u32),
    flag("verbose", 'v' as u32),
    flag("zero", 'z' as u32),
];

const USAGE: ibex::usage::Usage = ibex::usage!(
    readlink,
    "readlink [-fem] [-nqsvz] FILE...

Print the target of symbolic links, or canonical file names

\t-f\tCanonicalize by following every symlink; all but the last component must exist
\t-e\tCanonicalize; every component must exist
\t-m\tCanonicalize; components may be missing
\t-n\tDon't output the trailing newline
\t-q,-s\tDon't report errors (the default)
\t-v\tReport errors
\t-z\tEnd each output with NUL, not newline"
);

const SPEC: Spec = Spec::new("femnqsvz", LONGS, USAGE);

/// Canonicalize like `readlink -f` / `realpath`, including GNU's rule that
/// a trailing slash requires a directory (unless any part may be missing).
fn canonical(path: &[u8], opts: canon::Options) -> io::Result<Vec<u8>> {
    let out = canon::canonicalize(path, opts)?;
    if path.ends_with(b"/") && opts.missing != Missing::Any {
        match ibex::sys::stat(&out) {
            Ok(st) if !st.is_dir() => return Err(io::Error::from_raw_os_error(libc::ENOTDIR)),
            _ => {}
        }
    }
    Ok(out)
}

pub fn main(argv: &[OsString]) -> Status {
    let mut p = Parser::new(argv, &SPEC);
    let mut missing = None;
    let mut newline = true;
    let mut verbose = false;
    let mut delim = b'\n';
    while let Some((id, _)) = p.next()? {
        match char::from_u32(id) {
            Some('f') => missing = Some(Missing::Last),
            Some('e') => missing = Some(Missing::None),
            Some('m') => missing = Some(Missing::Any),
            Some('n') => newline = false,
            Some('q') | Some('s') => verbose = false,
            Some('v') => verbose = true,
            _ => delim = 0,
        }
    }
    let files = p.operands();
    if files.is_empty() {
        return Err(ibex::args::missing_operand(&SPEC));
    }
    if !newline && files.len() > 1 {
        ibex::msg!("ignoring --no-newline with multiple arguments");
        newline = true;
    }
    let mut out = Out::stdout();
    let mut status = 0;
    for f in &files {
        let f = f.as_bytes();
        let res = match missing {
            None => ibex::sys::readlink(f),
            Some(m) => canonical(
                f,
                canon::Options {
                    missing: m,
                    ..Default::default()
                },
            ),
        };
        match res {
            Ok(target) => {
                out.write(&target);
                if newline {
                    out.byte(delim);
                }
            }
            Err(e) => {
                status = 1;
                if verbose {
                    out.flush();
                    ibex::error::io_error(f, &e);
                }
            }
        }
    }
    out.done(status)
}
