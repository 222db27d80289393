//! tee: copy standard input to standard output and to each FILE.
//! `-a` append, `-i` ignore SIGINT, `-p` and `--output-error[=MODE]`
//! (warn, warn-nopipe, exit, exit-nopipe) as GNU. Every output gets what
//! each read returned at once (no buffering); an output that fails is
//! dropped, the others go on; any error makes the status 1.

use ibex::Status;
use ibex::args::{Parser, Spec, flag, optional};
use ibex::sys;
use std::ffi::OsString;
use std::os::fd::{AsRawFd, OwnedFd};
use std::os::unix::ffi::OsStrExt;

const OUTPUT_ERROR: u32 = 256;

const LONGS: &[ibex::args::Long] = &[
    flag("append", 'a' as u32),
    flag("ignore-interrupts", 'i' as u32),
    optional("output-error", OUTPUT_ERROR),
];

const SPEC: Spec = Spec::new(
    "aip",
    LONGS,
    ibex::usage!(
        tee,
        "tee [-aip] [--output-error[=MODE]] [FILE]...\n\n\
         Copy standard input to each FILE, and also to standard output\n\n\
         \t-a\tAppend to the FILEs, don't overwrite (--append)\n\
         \t-i\tIgnore interrupt signals (--ignore-interrupts)\n\
         \t-p\tDiagnose errors writing to non pipes (--output-error=warn-nopipe)\n\
         \t--output-error[=MODE]\tOn write errors: warn, warn-nopipe, exit, exit-nopipe"
    ),
);

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// No option: SIGPIPE kills, other errors are reported.
    Default,
    Warn,
    WarnNopipe,
    Exit,
    ExitNopipe,
}

const MODES: &[&[&str]] = &[&["warn"], &["warn-nopipe"], &["exit"], &["exit-nopipe"]];

/// A name as GNU's quotef shows it: as is when it needs no quoting.
fn quotef(name: &[u8]) -> Vec<u8> {
    let plain = !name.is_empty()
        && name
            .iter()
            .all(|&b| b.is_ascii_alphanumeric() || b"-_./,+:@%^=".contains(&b));
    if plain {
        name.to_vec()
    } else {
        ibex::copy::quote(name)
    }
}

struct Output {
    fd: Option<OwnedFd>,
    name: Vec<u8>,
    live: bool,
}

pub fn main(argv: &[OsString]) -> Status {
    let (mut append, mut ignore_int) = (false, false);
    let mut mode = Mode::Default;
    let mut p = Parser::new(argv, &SPEC);
    while let Some((id, v)) = p.next()? {
        match id {
            OUTPUT_ERROR => {
                mode = match v {
                    None => Mode::WarnNopipe,
                    Some(v) => match ibex::copy::choose(v.as_bytes(), MODES) {
                        Ok(0) => Mode::Warn,
                        Ok(1) => Mode::WarnNopipe,
                        Ok(2) => Mode::Exit,
                        Ok(_) => Mode::ExitNopipe,
                        Err(amb) => {
                            return Err(ibex::copy::bad_choice(
                                &SPEC,
                                "--output-error",
                                v.as_bytes(),
                                MODES,
                                amb,
                            ));
                        }
                    },
                }
            }
            _ => match char::from_u32(id).unwrap_or('\0') {
                'a' => append = true,
                'i' => ignore_int = true,
                _ => mode = Mode::WarnNopipe,
            },
        }
    }
    if ignore_int {
        sys::signal_ignore(sys::SIGINT);
    }
    if mode != Mode::Default {
        sys::signal_ignore(sys::SIGPIPE);
    }
    let status = tee(&p.operands(), append, mode);
    if mode != Mode::Default {
        sys::signal_default(sys::SIGPIPE);
    }
    if ignore_int {
        sys::signal_default(sys::SIGINT);
    }
    Ok(status)
}

fn tee(files: &[&std::ffi::OsStr], append: bool, mode: Mode) -> i32 {
    let mut status = 0;
    let mut outs = vec![Output {
        fd: None,
        name: b"'standard output'".to_vec(),
        live: true,
    }];
    let flags = sys::O_WRONLY
        | sys::O_CREAT
        | sys::O_NOCTTY
        | if append { sys::O_APPEND } else { sys::O_TRUNC };
    for f in files {
        let name = f.as_bytes();
        match sys::open(name, flags, 0o666) {
            Ok(fd) => outs.push(Output {
                fd: Some(fd),
                name: quotef(name),
                live: true,
            }),
            Err(e) => {
                ibex::error::io_error(quotef(name), &e);
                status = 1;
            }
        }
    }
    let mut buf = vec![0u8; 128 * 1024];
    loop {
        let n = match sys::read(0, &mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => {
                ibex::msg!("read error: ", e);
                return 1;
            }
        };
        let mut any = false;
        for o in outs.iter_mut().filter(|o| o.live) {
            let fd = o.fd.as_ref().map_or(1, |f| f.as_raw_fd());
            if let Err(e) = sys::write_all(fd, &buf[..n]) {
                o.live = false;
                let pipe = e.raw_os_error() == Some(libc::EPIPE);
                let quiet = pipe && matches!(mode, Mode::WarnNopipe | Mode::ExitNopipe);
                if !quiet {
                    ibex::error::io_error(&o.name, &e);
                    status = 1;
                    if matches!(mode, Mode::Exit | Mode::ExitNopipe) {
                        return 1;
                    }
                }
            } else {
                any = true;
            }
        }
        if !any {
            break;
        }
    }
    for o in outs.iter_mut() {
        if let Some(fd) = o.fd.take()
            && let Err(e) = sys::close(fd_into_raw(fd))
        {
            ibex::error::io_error(&o.name, &e);
            status = 1;
        }
    }
    status
}

fn fd_into_raw(fd: OwnedFd) -> i32 {
    std::os::fd::IntoRawFd::into_raw_fd(fd)
}
