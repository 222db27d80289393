//! nohup: run a command immune to hangups. When standard input is a
//! terminal it is replaced by /dev/null (opened write-only, so reads
//! fail); when standard output is a terminal output is appended to
//! `nohup.out` (or `$HOME/nohup.out`), created with mode 0600; when
//! standard error is a terminal it goes where standard output goes.
//! Status: 125 nohup's own errors (127 with POSIXLY_CORRECT), 126
//! command not runnable, 127 not found, else the command's.

use ibex::Status;
use ibex::args::{Parser, Spec, usage_error};
use ibex::copy::quote;
use ibex::sys;
use std::ffi::OsString;
use std::os::fd::{AsRawFd, IntoRawFd};
use std::os::unix::ffi::OsStrExt;

const SPEC: Spec = Spec::new(
    "+",
    &[],
    ibex::usage!(
        nohup,
        "nohup COMMAND [ARG]...\n\n\
         Run COMMAND, ignoring hangup signals; output goes to nohup.out when\n\
         standard output is a terminal"
    ),
)
.status(125);

/// Open (appending, mode 0600 whatever the umask) the output file: onto
/// fd 1 when `onto_stdout`, else anywhere.
fn open_out(path: &[u8], onto_stdout: bool) -> std::io::Result<i32> {
    let old = sys::umask(0o077);
    let r = sys::open(path, sys::O_CREAT | sys::O_WRONLY | sys::O_APPEND, 0o600);
    sys::umask(old);
    let fd = r?;
    if onto_stdout {
        if fd.as_raw_fd() != 1 {
            sys::dup2(fd.as_raw_fd(), 1)?;
        } else {
            let _ = fd.into_raw_fd();
        }
        Ok(1)
    } else {
        Ok(fd.into_raw_fd())
    }
}

pub fn main(argv: &[OsString]) -> Status {
    let failure = if std::env::var_os("POSIXLY_CORRECT").is_some() {
        127
    } else {
        125
    };
    let mut p = Parser::new(argv, &SPEC);
    while p.next()?.is_some() {}
    let command: Vec<OsString> = p.operands().iter().map(|s| s.to_os_string()).collect();
    if command.is_empty() {
        let e = usage_error(&SPEC, &[b"missing operand"]);
        return Err(ibex::Exit(if failure == 127 { 127 } else { e.0 }));
    }
    let ignoring_input = sys::isatty(0);
    let redirecting_stdout = sys::isatty(1);
    let stdout_closed = !redirecting_stdout && !sys::fd_is_open(1);
    let redirecting_stderr = sys::isatty(2);

    if ignoring_input {
        match sys::open(b"/dev/null", sys::O_WRONLY, 0) {
            Ok(fd) => {
                if fd.as_raw_fd() != 0 {
                    if let Err(e) = sys::dup2(fd.as_raw_fd(), 0) {
                        ibex::msg!("failed to render standard input unusable: ", e);
                        return Ok(failure);
                    }
                } else {
                    let _ = fd.into_raw_fd();
                }
            }
            Err(e) => {
                ibex::msg!("failed to render standard input unusable: ", e);
                return Ok(failure);
            }
        }
        if !redirecting_stdout && !redirecting_stderr {
            ibex::msg!("ignoring input");
        }
    }

    let mut out_fd = 1;
    if redirecting_stdout || (redirecting_stderr && stdout_closed) {
        let mut file = b"nohup.out".to_vec();
        match open_out(&file, redirecting_stdout) {
            Ok(fd) => out_fd = fd,
            Err(e) => {
                let home = std::env::var_os("HOME").map(|h| h.as_bytes().to_vec());
                let second = home.map(|h| {
                    let p = ibex::path::join(&h, &file);
                    let r = open_out(&p, redirecting_stdout);
                    (p, r)
                });
                match second {
                    Some((p, Ok(fd))) => {
                        out_fd = fd;
                        file = p;
                    }
                    Some((p, Err(e2))) => {
                        ibex::msg!("failed to open ", quote(&file), ": ", e);
                        ibex::msg!("failed to open ", quote(&p), ": ", e2);
                        return Ok(failure);
                    }
                    None => {
                        ibex::msg!("failed to open ", quote(&file), ": ", e);
                        return Ok(failure);
                    }
                }
            }
        }
        if ignoring_input {
            ibex::msg!("ignoring input and appending output to ", quote(&file));
        } else {
            ibex::msg!("appending output to ", quote(&file));
        }
    }

    // The original stderr, to report a failed exec where it would have gone.
    let mut saved_stderr = 2;
    if redirecting_stderr {
        saved_stderr = sys::dup_at_least(2, 3).unwrap_or(-1);
        if !redirecting_stdout {
            if ignoring_input {
                ibex::msg!("ignoring input and redirecting stderr to stdout");
            } else {
                ibex::msg!("redirecting stderr to stdout");
            }
        }
        if let Err(e) = sys::dup2(out_fd, 2) {
            ibex::msg!("failed to redirect standard error: ", e);
            return Ok(failure);
        }
        if stdout_closed {
            sys::close_raw(out_fd);
        }
    }

    sys::signal_ignore(sys::SIGHUP);
    let e = sys::execvp_posix(&command);
    let code = if e.raw_os_error() == Some(libc::ENOENT) {
        127
    } else {
        126
    };
    if saved_stderr >= 0 && (saved_stderr == 2 || sys::dup2(saved_stderr, 2).is_ok()) {
        ibex::msg!(
            "failed to run command ",
            quote(command[0].as_bytes()),
            ": ",
            e
        );
    }
    Ok(code)
}
