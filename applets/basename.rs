//! basename: strip the directory part (and a SUFFIX) from file names.
//! `basename NAME [SUFFIX]`, or with -a/-s any number of names; -z ends
//! each output line with NUL. A suffix is not removed when it is the whole
//! name.

use ibex::Status;
use ibex::args::{Parser, Spec, flag, missing_operand, usage_error, value};
use ibex::io::Out;
use std::ffi::{OsStr, OsString};
use std::os::unix::ffi::OsStrExt;

const SPEC: Spec = Spec::new(
    "as:z",
    &[
        flag("multiple", 'a' as u32),
        value("suffix", 's' as u32),
        flag("zero", 'z' as u32),
    ],
    ibex::usage!(
        basename,
        "basename NAME [SUFFIX]\n   or: basename OPTION... NAME...\n\n\
         Strip directory and suffix from names\n\n\
         \t-a, --multiple\tEach argument is a NAME\n\
         \t-s, --suffix=SUF\tRemove the suffix SUF (implies -a)\n\
         \t-z, --zero\tEnd each output line with NUL, not newline"
    ),
);

/// The last component of `name` without `suffix` (unless that is all of it).
fn strip<'a>(name: &'a [u8], suffix: &[u8]) -> &'a [u8] {
    let base = ibex::path::basename(name);
    match base.strip_suffix(suffix) {
        Some(rest) if !rest.is_empty() => rest,
        _ => base,
    }
}

pub fn main(argv: &[OsString]) -> Status {
    let mut multiple = false;
    let mut suffix: Option<&OsStr> = None;
    let mut end = b'\n';
    let mut p = Parser::new(argv, &SPEC);
    while let Some((id, val)) = p.next()? {
        match char::from_u32(id) {
            Some('a') => multiple = true,
            Some('s') => {
                multiple = true;
                suffix = val;
            }
            Some('z') => end = 0,
            _ => {}
        }
    }
    let ops = p.operands();
    if ops.is_empty() {
        return Err(missing_operand(&SPEC));
    }
    let mut out = Out::stdout();
    if multiple {
        let suf = suffix.map_or(&b""[..], |s| s.as_bytes());
        for name in &ops {
            out.write(strip(name.as_bytes(), suf));
            out.byte(end);
        }
    } else {
        if let Some(extra) = ops.get(2) {
            return Err(usage_error(
                &SPEC,
                &[b"extra operand '", extra.as_bytes(), b"'"],
            ));
        }
        let suf = ops.get(1).map_or(&b""[..], |s| s.as_bytes());
        out.write(strip(ops[0].as_bytes(), suf));
        out.byte(end);
    }
    out.done(0)
}
