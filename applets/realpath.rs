//! realpath: print canonical absolute file names, optionally relative to
//! a directory (--relative-to) or only below one (--relative-base).

use ibex::Status;
use ibex::args::{Parser, Spec, flag, value};
use ibex::canon::{self, Missing};
use ibex::io::Out;
use std::ffi::OsString;
use std::io;
use std::os::unix::ffi::OsStrExt;

const RELATIVE_TO: u32 = 256;
const RELATIVE_BASE: u32 = 257;

const LONGS: &[ibex::args::Long] = &[
    flag("canonicalize-existing", 'e' as u32),
    flag("canonicalize-missing", 'm' as u32),
    flag("logical", 'L' as u32),
    flag("physical", 'P' as u32),
    flag("quiet", 'q' as u32),
    flag("strip", 's' as u32),
    flag("no-symlinks", 's' as u32),
    flag("zero", 'z' as u32),
    value("relative-to", RELATIVE_TO),
    value("relative-base", RELATIVE_BASE),
];

const USAGE: ibex::usage::Usage = ibex::usage!(
    realpath,
    "realpath [-em] [-LP] [-qsz] [--relative-to=DIR] [--relative-base=DIR] FILE...

Print the resolved absolute path of each FILE

\t-e\tAll components must exist
\t-m\tNo component need exist
\t-L\tResolve '..' before symlinks
\t-P\tResolve symlinks as met (default)
\t-q\tDon't report errors
\t-s\tDon't expand symlinks (--strip, --no-symlinks)
\t-z\tEnd each output with NUL, not newline
\t--relative-to=DIR\tPrint paths relative to DIR
\t--relative-base=DIR\tPrint paths below DIR relative to it, others absolute"
);

const SPEC: Spec = Spec::new("emLPqsz", LONGS, USAGE);

/// Canonicalize, with GNU's rule that a trailing slash requires a
/// directory (unless any component may be missing).
fn canonical(path: &[u8], opts: canon::Options) -> io::Result<Vec<u8>> {
    let out = if opts.resolve {
        canon::canonicalize(path, opts)?
    } else {
        unresolved(path, opts.missing)?
    };
    if path.ends_with(b"/") && opts.missing != Missing::Any {
        match ibex::sys::stat(&out) {
            Ok(st) if !st.is_dir() => return Err(io::Error::from_raw_os_error(libc::ENOTDIR)),
            _ => {}
        }
    }
    Ok(out)
}

/// `-s`: no link is expanded, so `.` and `..` are applied to the text;
/// then the result is checked as the mode asks (a missing last part or,
/// as GNU allows, a missing directory is fine unless -e).
fn unresolved(path: &[u8], missing: Missing) -> io::Result<Vec<u8>> {
    if path.is_empty() {
        return Err(io::Error::from_raw_os_error(libc::ENOENT));
    }
    let mut abs = Vec::new();
    if !path.starts_with(b"/") {
        abs = std::env::current_dir()?
            .into_os_string()
            .into_encoded_bytes();
    }
    abs.push(b'/');
    abs.extend_from_slice(path);
    let mut parts: Vec<&[u8]> = Vec::new();
    for c in abs.split(|&b| b == b'/') {
        match c {
            b"" | b"." => {}
            b".." => {
                parts.pop();
            }
            _ => parts.push(c),
        }
    }
    let mut out = Vec::with_capacity(abs.len());
    for c in &parts {
        out.push(b'/');
        out.extend_from_slice(c);
    }
    if out.is_empty() {
        out.push(b'/');
    }
    match (missing, ibex::sys::stat(&out)) {
        (Missing::Any, _) | (_, Ok(_)) => Ok(out),
        (Missing::Last, Err(e)) if e.raw_os_error() == Some(libc::ENOENT) => Ok(out),
        (_, Err(e)) => Err(e),
    }
}

/// Whether canonical `path` is `base` or below it.
fn below(path: &[u8], base: &[u8]) -> bool {
    base == b"/" || path == base || (path.starts_with(base) && path.get(base.len()) == Some(&b'/'))
}

pub fn main(argv: &[OsString]) -> Status {
    let mut p = Parser::new(argv, &SPEC);
    let mut opts = canon::Options::default();
    let mut quiet = false;
    let mut delim = b'\n';
    let mut rel_to = None;
    let mut rel_base = None;
    while let Some((id, v)) = p.next()? {
        match id {
            RELATIVE_TO => rel_to = v,
            RELATIVE_BASE => rel_base = v,
            _ => match char::from_u32(id) {
                Some('e') => opts.missing = Missing::None,
                Some('m') => opts.missing = Missing::Any,
                Some('L') => opts.logical = true,
                Some('P') => opts.logical = false,
                Some('q') => quiet = true,
                Some('s') => opts.resolve = false,
                _ => delim = 0,
            },
        }
    }
    let files = p.operands();
    if files.is_empty() {
        return Err(ibex::args::missing_operand(&SPEC));
    }
    let dir = |d: Option<&std::ffi::OsStr>| -> Result<Option<Vec<u8>>, ibex::Exit> {
        match d {
            None => Ok(None),
            Some(d) => canonical(d.as_bytes(), opts)
                .map(Some)
                .map_err(|e| ibex::io::fail(d, &e)),
        }
    };
    let mut base = dir(rel_base)?;
    let mut to = dir(rel_to)?;
    if to.is_none() {
        to.clone_from(&base);
    }
    if let (Some(t), Some(b)) = (&to, &base)
        && !below(t, b)
    {
        to = None;
        base = None;
    }
    let mut out = Out::stdout();
    let mut status = 0;
    for f in &files {
        match canonical(f.as_bytes(), opts) {
            Ok(path) => {
                let shown = match (&to, &base) {
                    (Some(_), Some(b)) if !below(&path, b) => path,
                    (Some(t), _) => canon::relative(&path, t),
                    (None, _) => path,
                };
                out.write(&shown);
                out.byte(delim);
            }
            Err(e) => {
                status = 1;
                if !quiet {
                    out.flush();
                    ibex::error::io_error(f, &e);
                }
            }
        }
    }
    out.done(status)
}
