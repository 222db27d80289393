//! Starting a child program with extra environment variables and a chosen
//! standard input (split --filter, install --strip-program), without the
//! weight of std::process.
#![allow(unsafe_code)]

use super::*;
use std::ffi::{CString, OsStr};

/// Start a program as a child process: the file `path` when given (argv[0]
/// is then only the name it sees), else argv[0] searched in PATH. The
/// child gets the variables `env` added to its environment and, when
/// `stdin` is given, that descriptor as its standard input. Returns the
/// child's pid, or why it could not be run (the child has then been
/// reaped).
pub fn spawn_with(
    path: Option<&[u8]>,
    argv: &[OsString],
    env: &[(&OsStr, &OsStr)],
    stdin: Option<RawFd>,
) -> io::Result<i32> {
    spawn_reporting(
        || {
            if let Some(fd) = stdin {
                dup2(fd, 0)?;
            }
            for (k, v) in env {
                use std::os::unix::ffi::OsStrExt;
                let (Ok(k), Ok(v)) = (CString::new(k.as_bytes()), CString::new(v.as_bytes()))
                else {
                    return Err(io::Error::from_raw_os_error(libc::EINVAL));
                };
                // SAFETY: both strings are NUL-terminated; the child of a
                // fork has a single thread.
                unsafe { libc::setenv(k.as_ptr(), v.as_ptr(), 1) };
            }
            Ok(())
        },
        || match path {
            Some(p) => execv(p, argv),
            None => execvp_posix(argv),
        },
    )
}

/// Fork; in the child run `prepare`, then `exec` (which returns only on
/// failure), with SIGPIPE at its default. A failure in the child comes back
/// to the parent as an error through a close-on-exec pipe, so "cannot
/// run" (126/127) is told apart from the program's own status.
pub(super) fn spawn_reporting(
    prepare: impl FnOnce() -> io::Result<()>,
    exec: impl FnOnce() -> io::Error,
) -> io::Result<i32> {
    let (r, w) = pipe()?;
    let pid = super::fork()?;
    if pid == 0 {
        drop(r);
        signal_default(SIGPIPE);
        let e = match prepare() {
            Ok(()) => exec(),
            Err(e) => e,
        };
        let code = e.raw_os_error().unwrap_or(libc::ENOENT);
        let _ = write_all(w.as_raw_fd(), &code.to_ne_bytes());
        super::exit_now(127);
    }
    drop(w);
    let mut buf = [0u8; 4];
    let mut got = 0;
    while got < 4 {
        match read(r.as_raw_fd(), &mut buf[got..]) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(e) if e.raw_os_error() == Some(libc::EINTR) => {}
            Err(_) => break,
        }
    }
    if got == 4 {
        let _ = super::waitpid(pid, 0, false);
        return Err(io::Error::from_raw_os_error(i32::from_ne_bytes(buf)));
    }
    Ok(pid)
}
