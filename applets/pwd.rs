//! pwd: print the current directory. -P (the default, as GNU's without
//! POSIXLY_CORRECT) resolves symlinks; -L prints $PWD when it is an
//! absolute name of the current directory without `.` or `..` components.

use ibex::Status;
use ibex::args::{Parser, Spec, flag};
use ibex::io::Out;
use std::ffi::OsString;
use std::os::unix::ffi::{OsStrExt, OsStringExt};

const SPEC: Spec = Spec::new(
    "LP",
    &[flag("logical", 'L' as u32), flag("physical", 'P' as u32)],
    ibex::usage!(
        pwd,
        "pwd [-LP]\n\n\
         Print the full name of the current directory\n\n\
         \t-L, --logical\tUse $PWD, even if it contains symlinks\n\
         \t-P, --physical\tResolve all symlinks (default)"
    ),
);

/// $PWD when it names the current directory in the form -L accepts.
fn logical() -> Option<Vec<u8>> {
    let pwd = std::env::var_os("PWD")?.into_vec();
    if !pwd.starts_with(b"/") {
        return None;
    }
    if pwd.split(|&c| c == b'/').any(|c| c == b"." || c == b"..") {
        return None;
    }
    let named = ibex::sys::stat(&pwd).ok()?;
    let here = ibex::sys::stat(b".").ok()?;
    named.same_file(&here).then_some(pwd)
}

pub fn main(argv: &[OsString]) -> Status {
    let mut logical_mode = std::env::var_os("POSIXLY_CORRECT").is_some();
    let mut p = Parser::new(argv, &SPEC);
    while let Some((id, _)) = p.next()? {
        logical_mode = id == 'L' as u32;
    }
    if !p.operands().is_empty() {
        ibex::msg!("ignoring non-option arguments");
    }
    let dir = match logical_mode.then(logical).flatten() {
        Some(d) => d,
        None => match std::env::current_dir() {
            Ok(d) if d.as_os_str().as_bytes().starts_with(b"/") => d.into_os_string().into_vec(),
            Ok(_) => {
                ibex::msg!("getcwd: ", std::io::Error::from_raw_os_error(libc::ENOENT));
                return Ok(1);
            }
            Err(e) => {
                ibex::msg!("getcwd: ", e);
                return Ok(1);
            }
        },
    };
    let mut out = Out::stdout();
    out.write(&dir);
    out.byte(b'\n');
    out.done(0)
}
