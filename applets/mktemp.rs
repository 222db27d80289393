//! mktemp: create a file (mode 0600, O_EXCL) or with `-d` a directory (0700)
//! from TEMPLATE, whose trailing run of at least three X's (before an
//! optional suffix) becomes random letters and digits, and print its name.
//! With no TEMPLATE, `tmp.XXXXXXXXXX` in $TMPDIR or /tmp. `-p DIR` /
//! `--tmpdir[=DIR]` put a relative template in DIR ($TMPDIR, else /tmp);
//! `-t` (deprecated) takes a bare name in $TMPDIR, else -p's DIR, else /tmp.
//! `-u` only prints a name, `-q` hides errors, `--suffix=SUFF`.

use ibex::Status;
use ibex::args::{self, Long, Parser, Spec, flag, optional};
use ibex::copy::quote;
use ibex::io::Out;
use ibex::sys::{self, Dir};
use std::ffi::{OsStr, OsString};
use std::io;
use std::os::unix::ffi::OsStrExt;

const SUFFIX: u32 = 256;
const TMPDIR: u32 = 257;

const LONGS: &[Long] = &[
    flag("directory", 'd' as u32),
    flag("dry-run", 'u' as u32),
    flag("quiet", 'q' as u32),
    args::value("suffix", SUFFIX),
    optional("tmpdir", TMPDIR),
];

const SPEC: Spec = Spec::new(
    "dqtup:",
    LONGS,
    ibex::usage!(
        mktemp,
        "mktemp [-dqtu] [-p DIR] [--suffix=SUFF] [TEMPLATE]

Create a temporary file from TEMPLATE (its last 3+ X's made random), print its name

\t-d\tMake directory, not file
\t-q\tFail silently on errors
\t-u\tDo not create anything; print a name
\t-p DIR\tTEMPLATE is relative to DIR
\t--tmpdir[=DIR]\tTEMPLATE is relative to DIR, $TMPDIR or /tmp
\t-t\tTEMPLATE is a name in $TMPDIR, -p DIR or /tmp (deprecated)
\t--suffix=SUFF\tAppend SUFF to TEMPLATE
Default TEMPLATE: tmp.XXXXXXXXXX in $TMPDIR or /tmp"
    ),
);

const CHARS: &[u8; 62] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/// How many names to try before giving up (GNU tries 62^3).
const ATTEMPTS: u32 = 62 * 62 * 62;

pub fn main(argv: &[OsString]) -> Status {
    let mut dir_mode = false;
    let mut dry = false;
    let mut quiet = false;
    let mut t_opt = false;
    let mut use_tmpdir = false;
    let mut tmpdir: Option<&OsStr> = None;
    let mut suffix: Option<&OsStr> = None;
    let mut p = Parser::new(argv, &SPEC);
    while let Some((id, val)) = p.next()? {
        match id {
            0x64 => dir_mode = true,
            0x75 => dry = true,
            0x71 => quiet = true,
            0x74 => {
                t_opt = true;
                use_tmpdir = true;
            }
            0x70 | TMPDIR => {
                use_tmpdir = true;
                // `--tmpdir` without a value keeps an earlier -p DIR.
                if val.is_some() {
                    tmpdir = val;
                }
            }
            SUFFIX => suffix = val,
            _ => {}
        }
    }
    let ops = p.operands();
    if ops.len() > 1 {
        return Err(args::usage_error(&SPEC, &[b"too many templates"]));
    }
    let fail = |parts: &[&[u8]]| -> Status {
        if !quiet {
            let mut m = ibex::error::start();
            for p in parts {
                m.extend_from_slice(p);
            }
            ibex::error::emit(m);
        }
        Err(ibex::Exit(1))
    };
    let template: Vec<u8> = match ops.first() {
        Some(t) => t.as_bytes().to_vec(),
        None => {
            use_tmpdir = true;
            b"tmp.XXXXXXXXXX".to_vec()
        }
    };
    // Split off the suffix: --suffix, or whatever follows the last X.
    let (mut stem, suff) = match suffix {
        Some(s) => {
            let s = s.as_bytes();
            if s.contains(&b'/') {
                return fail(&[
                    b"invalid suffix ",
                    &quote(s),
                    b", contains directory separator",
                ]);
            }
            if !template.ends_with(b"X") {
                return fail(&[
                    b"with --suffix, template ",
                    &quote(&template),
                    b" must end in X",
                ]);
            }
            (template.clone(), s.to_vec())
        }
        None => {
            let end = memchr::memrchr(b'X', &template).map_or(0, |i| i + 1);
            (template[..end].to_vec(), template[end..].to_vec())
        }
    };
    if suffix.is_none() && suff.contains(&b'/') {
        return fail(&[
            b"invalid suffix ",
            &quote(&suff),
            b", contains directory separator",
        ]);
    }
    let x_count = stem.iter().rev().take_while(|&&c| c == b'X').count();
    let whole = [&stem[..], &suff[..]].concat();
    if x_count < 3 {
        return fail(&[b"too few X's in template ", &quote(&whole)]);
    }
    if use_tmpdir {
        let base: Vec<u8> = if t_opt {
            match std::env::var_os("TMPDIR").filter(|d| !d.is_empty()) {
                Some(d) => d.into_encoded_bytes(),
                None => tmpdir
                    .filter(|d| !d.is_empty())
                    .map_or(b"/tmp".to_vec(), |d| d.as_bytes().to_vec()),
            }
        } else {
            match tmpdir.filter(|d| !d.is_empty()) {
                Some(d) => d.as_bytes().to_vec(),
                None => std::env::var_os("TMPDIR")
                    .filter(|d| !d.is_empty())
                    .map_or(b"/tmp".to_vec(), OsString::into_encoded_bytes),
            }
        };
        if t_opt && whole.contains(&b'/') {
            return fail(&[
                b"invalid template, ",
                &quote(&whole),
                b", contains directory separator",
            ]);
        }
        if !t_opt && whole.starts_with(b"/") {
            return fail(&[
                b"invalid template, ",
                &quote(&whole),
                b"; with --tmpdir, it may not be absolute",
            ]);
        }
        stem = ibex::path::join(&base, &stem);
    }
    let whole = [&stem[..], &suff[..]].concat();
    match create(&stem, &suff, x_count, dir_mode, dry) {
        Ok(name) => {
            let mut out = Out::stdout();
            out.write(&name);
            out.byte(b'\n');
            out.done(0)
        }
        Err(e) => {
            let what: &[u8] = if dir_mode {
                b"failed to create directory via template "
            } else {
                b"failed to create file via template "
            };
            let reason = ibex::error::reason(&e);
            fail(&[what, &quote(&whole), b": ", reason.as_bytes()])
        }
    }
}

/// Fill the X's with random characters until a new name is made.
fn create(stem: &[u8], suffix: &[u8], xs: usize, dir: bool, dry: bool) -> io::Result<Vec<u8>> {
    let start = stem.len() - xs;
    let mut name = [stem, suffix].concat();
    let mut rnd = vec![0u8; xs];
    for _ in 0..ATTEMPTS {
        sys::getrandom(&mut rnd)?;
        for (slot, r) in name[start..start + xs].iter_mut().zip(&rnd) {
            // 62 * 4 = 248: reject the top bytes so each character is
            // equally likely.
            let mut b = *r;
            while b >= 248 {
                let mut one = [0u8; 1];
                sys::getrandom(&mut one)?;
                b = one[0];
            }
            *slot = CHARS[usize::from(b % 62)];
        }
        let r = if dry {
            match sys::fstatat(Dir::CWD, &name, sys::AT_SYMLINK_NOFOLLOW) {
                Ok(_) => Err(io::Error::from_raw_os_error(libc::EEXIST)),
                Err(e) if e.raw_os_error() == Some(libc::ENOENT) => Ok(()),
                Err(e) => Err(e),
            }
        } else if dir {
            sys::mkdirat(Dir::CWD, &name, 0o700)
        } else {
            sys::openat(
                Dir::CWD,
                &name,
                sys::O_RDWR | sys::O_CREAT | sys::O_EXCL,
                0o600,
            )
            .map(drop)
        };
        match r {
            Ok(()) => return Ok(name),
            Err(e) if e.raw_os_error() == Some(libc::EEXIST) => continue,
            Err(e) => return Err(e),
        }
    }
    Err(io::Error::from_raw_os_error(libc::EEXIST))
}
