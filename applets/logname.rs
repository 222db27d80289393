//! logname: print the user's login name, as the C library's getlogin()
//! finds it: the login uid the kernel keeps for the session
//! (/proc/self/loginuid), else the utmp entry of the terminal on standard
//! input. Not $LOGNAME, which anyone can set (GNU agrees).

use ibex::Status;
use ibex::args::{Parser, Spec, usage_error};
use ibex::io::Out;
use std::ffi::OsString;
use std::os::unix::ffi::OsStrExt;

const SPEC: Spec = Spec::new(
    "",
    &[],
    ibex::usage!(
        logname,
        "logname\n\n\
         Print the name of the current user's login"
    ),
);

/// The user of the session's login uid, if the kernel has one.
fn from_loginuid() -> Option<Vec<u8>> {
    let data = ibex::io::read_file(b"/proc/self/loginuid").ok()?;
    let text = std::str::from_utf8(&data).ok()?.trim();
    let uid: u32 = text.parse().ok()?;
    if uid == u32::MAX {
        return None;
    }
    ibex::users::user_name(uid)
}

/// The utmp USER_PROCESS record for the terminal on standard input.
fn from_utmp() -> Option<Vec<u8>> {
    let tty = ibex::sys::ttyname(0).ok()?;
    let line = tty.strip_prefix(b"/dev/").unwrap_or(&tty);
    // struct utmp on Linux: type (i16, padded to 4), pid (i32), line[32],
    // id[4], user[32], host[256], ... 384 bytes in all.
    const SIZE: usize = 384;
    let data = ibex::io::read_file(b"/var/run/utmp").ok()?;
    let field = |rec: &[u8], at: usize, len: usize| -> Vec<u8> {
        let f = &rec[at..at + len];
        let n = memchr::memchr(0, f).unwrap_or(len);
        f[..n].to_vec()
    };
    data.chunks_exact(SIZE)
        .filter(|rec| i16::from_ne_bytes([rec[0], rec[1]]) == 7)
        .find(|rec| field(rec, 8, 32) == line)
        .map(|rec| field(rec, 44, 32))
        .filter(|u| !u.is_empty())
}

pub fn main(argv: &[OsString]) -> Status {
    let mut p = Parser::new(argv, &SPEC);
    while p.next()?.is_some() {}
    if let Some(extra) = p.operands().first() {
        return Err(usage_error(
            &SPEC,
            &[b"extra operand '", extra.as_bytes(), b"'"],
        ));
    }
    let Some(name) = from_loginuid().or_else(from_utmp) else {
        ibex::msg!("no login name");
        return Ok(1);
    };
    let mut out = Out::stdout();
    out.write(&name);
    out.byte(b'\n');
    out.done(0)
}
