//! mkdir: make directories. `-p` makes missing parents (mode u+wx on top of
//! the umask, as GNU) and accepts existing directories, `-m MODE` sets the
//! mode (octal or symbolic, applied as chmod does, umask ignored), `-v`
//! tells each directory made.

use ibex::Status;
use ibex::args::{self, Long, Parser, Spec, flag, optional, value};
use ibex::copy::quote;
use ibex::io::Out;
use ibex::mode;
use ibex::sys::{self, Dir};
use std::ffi::OsString;
use std::io;
use std::os::unix::ffi::OsStrExt;

const CONTEXT: u32 = 256;

const LONGS: &[Long] = &[
    value("mode", 'm' as u32),
    flag("parents", 'p' as u32),
    flag("verbose", 'v' as u32),
    optional("context", CONTEXT),
];

const SPEC: Spec = Spec::new(
    "m:pvZ",
    LONGS,
    ibex::usage!(
        mkdir,
        "mkdir [-m MODE] [-pv] DIRECTORY...

Create DIRECTORY

\t-m MODE\tMode (octal or symbolic, as chmod)
\t-p\tNo error if exists; make parent directories as needed
\t-v\tPrint a message for each created directory"
    ),
);

struct Opts {
    /// The exact mode to give the last component, when -m was given.
    mode: Option<u32>,
    parents: bool,
    verbose: bool,
    umask: u32,
}

pub fn main(argv: &[OsString]) -> Status {
    let mut mode_arg = None;
    let mut o = Opts {
        mode: None,
        parents: false,
        verbose: false,
        umask: sys::get_umask(),
    };
    let mut p = Parser::new(argv, &SPEC);
    while let Some((id, val)) = p.next()? {
        match id {
            0x6d => mode_arg = val,
            0x70 => o.parents = true,
            0x76 => o.verbose = true,
            _ => {}
        }
    }
    if let Some(m) = mode_arg {
        match mode::parse(m.as_bytes()) {
            Some(m) => o.mode = Some(m.apply(0o777, true, o.umask)),
            None => {
                ibex::msg!("invalid mode ", quote(m.as_bytes()));
                return Err(ibex::Exit(1));
            }
        }
    }
    let ops = p.operands();
    if ops.is_empty() {
        return Err(args::missing_operand(&SPEC));
    }
    let mut out = Out::stdout();
    let mut status = 0;
    for op in ops {
        if let Err(fail) = make(&o, op.as_bytes(), &mut out) {
            if let Some((name, e)) = fail {
                out.flush();
                ibex::msg!("cannot create directory ", quote(&name), ": ", e);
            }
            status = 1;
        }
    }
    out.done(status)
}

fn created(o: &Opts, out: &mut Out, name: &[u8]) {
    if o.verbose {
        out.str("mkdir: created directory ");
        out.write(&quote(name));
        out.byte(b'\n');
    }
}

fn is_dir(name: &[u8]) -> bool {
    sys::stat(name).is_ok_and(|s| s.is_dir())
}

/// What could not be created and why, or None when already reported.
type Fail = Option<(Vec<u8>, io::Error)>;

fn make(o: &Opts, path: &[u8], out: &mut Out) -> Result<(), Fail> {
    if o.parents {
        // Each leading component, then the whole path.
        let parent_mode = (0o777 & !o.umask) | 0o300;
        let mut i = 0;
        while let Some(off) = memchr::memchr(b'/', &path[i..]) {
            let end = i + off;
            // Skip the run of slashes.
            i = end;
            while path.get(i) == Some(&b'/') {
                i += 1;
            }
            if end == 0 || i >= path.len() {
                continue;
            }
            let prefix = &path[..end];
            match sys::mkdirat(Dir::CWD, prefix, parent_mode) {
                Ok(()) => {
                    created(o, out, prefix);
                    // mkdir(2) applied the umask; parents keep u+wx.
                    if o.umask & 0o300 != 0
                        && let Err(e) = sys::fchmodat(Dir::CWD, prefix, parent_mode)
                    {
                        out.flush();
                        ibex::msg!("cannot set permissions of ", quote(prefix), ": ", e);
                        return Err(None);
                    }
                }
                Err(e) => match sys::stat(prefix) {
                    Ok(st) if st.is_dir() => {}
                    Ok(_) => {
                        return Err(Some((
                            prefix.to_vec(),
                            io::Error::from_raw_os_error(libc::ENOTDIR),
                        )));
                    }
                    Err(_) => return Err(Some((prefix.to_vec(), e))),
                },
            }
        }
    }
    let base = o.mode.map_or(0o777, |m| m & 0o777);
    match sys::mkdirat(Dir::CWD, path, base) {
        Ok(()) => {
            created(o, out, path);
            if let Some(m) = o.mode {
                // mkdir(2) honours the umask and may drop special bits.
                if (m & !0o777 != 0 || m & o.umask != 0)
                    && let Err(e) = sys::fchmodat(Dir::CWD, path, m)
                {
                    out.flush();
                    ibex::msg!("cannot set permissions of ", quote(path), ": ", e);
                    return Err(None);
                }
            }
            Ok(())
        }
        Err(e) => {
            if o.parents && e.raw_os_error() == Some(libc::EEXIST) && is_dir(path) {
                return Ok(());
            }
            Err(Some((path.to_vec(), e)))
        }
    }
}
