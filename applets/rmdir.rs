//! rmdir: remove empty directories. `-p` also removes each parent named in
//! the operand, `--ignore-fail-on-non-empty` is quiet about directories
//! that still hold files, `-v` tells what is removed. Messages are GNU's.

use ibex::Status;
use ibex::args::{self, Long, Parser, Spec, flag};
use ibex::copy::quote;
use ibex::io::Out;
use ibex::sys::{self, Dir};
use std::ffi::OsString;
use std::io;
use std::os::fd::AsRawFd;
use std::os::unix::ffi::OsStrExt;

const IGNORE: u32 = 256;

const LONGS: &[Long] = &[
    flag("parents", 'p' as u32),
    flag("ignore-fail-on-non-empty", IGNORE),
    flag("verbose", 'v' as u32),
];

const SPEC: Spec = Spec::new(
    "pv",
    LONGS,
    ibex::usage!(
        rmdir,
        "rmdir [-pv] DIRECTORY...

Remove DIRECTORY if it is empty

\t-p\tInclude parents
\t-v\tExplain what is being done
\t--ignore-fail-on-non-empty\tDon't report directories that are not empty"
    ),
);

struct Opts {
    parents: bool,
    ignore_non_empty: bool,
    verbose: bool,
}

pub fn main(argv: &[OsString]) -> Status {
    let mut o = Opts {
        parents: false,
        ignore_non_empty: false,
        verbose: false,
    };
    let mut p = Parser::new(argv, &SPEC);
    while let Some((id, _)) = p.next()? {
        match id {
            0x70 => o.parents = true,
            0x76 => o.verbose = true,
            IGNORE => o.ignore_non_empty = true,
            _ => {}
        }
    }
    let ops = p.operands();
    if ops.is_empty() {
        return Err(args::missing_operand(&SPEC));
    }
    let mut out = Out::stdout();
    let mut status = 0;
    for op in ops {
        if !remove(&o, op.as_bytes(), &mut out) {
            status = 1;
        }
    }
    out.done(status)
}

/// Whether a failure to remove `dir` is one --ignore-fail-on-non-empty hides.
fn non_empty(e: &io::Error, dir: &[u8]) -> bool {
    match e.raw_os_error() {
        Some(libc::ENOTEMPTY) | Some(libc::EEXIST) => true,
        // Other refusals (permissions, busy) hide it only when the
        // directory really is not empty.
        Some(libc::EACCES | libc::EPERM | libc::EROFS | libc::EBUSY) => {
            let flags = sys::O_RDONLY | sys::O_DIRECTORY | sys::O_NOCTTY;
            match sys::openat(Dir::CWD, dir, flags, 0) {
                Ok(fd) => {
                    let mut v = Vec::new();
                    sys::read_dir(fd.as_raw_fd(), &mut v).is_ok() && !v.is_empty()
                }
                Err(_) => false,
            }
        }
        _ => false,
    }
}

fn remove(o: &Opts, arg: &[u8], out: &mut Out) -> bool {
    let mut dir = arg;
    let mut first = true;
    loop {
        if o.verbose {
            out.str("rmdir: removing directory, ");
            out.write(&quote(dir));
            out.byte(b'\n');
        }
        if let Err(e) = sys::unlinkat(Dir::CWD, dir, sys::AT_REMOVEDIR) {
            if o.ignore_non_empty && non_empty(&e, dir) {
                return true;
            }
            out.flush();
            if first {
                ibex::msg!("failed to remove ", quote(dir), ": ", e);
            } else {
                ibex::msg!("failed to remove directory ", quote(dir), ": ", e);
            }
            return false;
        }
        first = false;
        if !o.parents {
            return true;
        }
        // Up one component: drop trailing slashes, the last name, and the
        // slashes before it.
        let t = ibex::path::trim_trailing_slashes(dir);
        let Some(i) = memchr::memrchr(b'/', t) else {
            return true;
        };
        let parent = ibex::path::trim_trailing_slashes(&t[..i]);
        if parent.is_empty() {
            return true;
        }
        dir = parent;
    }
}
