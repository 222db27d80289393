//! which: print where each COMMAND would be found in $PATH. `-a` prints
//! every match, not only the first. A name with a slash is checked as
//! is. An empty PATH entry means the current directory (printed as
//! `./NAME`); PATH unset means `/bin:/usr/bin`. Status 1 if any COMMAND
//! was not found.

use ibex::Status;
use ibex::args::{Parser, Spec, flag, usage_error};
use ibex::io::Out;
use ibex::sys;
use std::ffi::OsString;
use std::os::unix::ffi::OsStrExt;

const SPEC: Spec = Spec::new(
    "a",
    &[flag("all", 'a' as u32)],
    ibex::usage!(
        which,
        "which [-a] COMMAND...\n\n\
         Locate COMMAND\n\n\
         \t-a\tShow all matches"
    ),
);

/// An executable regular file (or a symlink to one).
fn executable(path: &[u8]) -> bool {
    sys::stat(path).is_ok_and(|st| st.is_reg())
        && sys::faccessat(sys::Dir::CWD, path, sys::X_OK, sys::AT_EACCESS).is_ok()
}

pub fn main(argv: &[OsString]) -> Status {
    let mut all = false;
    let mut p = Parser::new(argv, &SPEC);
    while let Some((id, _)) = p.next()? {
        if id == 'a' as u32 {
            all = true;
        }
    }
    let names = p.operands();
    if names.is_empty() {
        return Err(usage_error(&SPEC, &[b"missing operand"]));
    }
    let path = std::env::var_os("PATH")
        .map_or_else(|| b"/bin:/usr/bin".to_vec(), |p| p.as_bytes().to_vec());
    let mut out = Out::stdout();
    let mut status = 0;
    for name in names {
        let name = name.as_bytes();
        let mut found = false;
        if name.contains(&b'/') {
            if executable(name) {
                out.write(name);
                out.byte(b'\n');
                found = true;
            }
        } else if !name.is_empty() {
            for dir in path.split(|&c| c == b':') {
                let dir: &[u8] = if dir.is_empty() { b"." } else { dir };
                let full = ibex::path::join(dir, name);
                if executable(&full) {
                    out.write(&full);
                    out.byte(b'\n');
                    found = true;
                    if !all {
                        break;
                    }
                }
            }
        }
        if !found {
            status = 1;
        }
    }
    out.done(status)
}
