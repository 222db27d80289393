//! What `ibex` does when called by its own name: help, the applet lists,
//! `--install`.

use crate::applets::{self, APPLETS};
use ibex::io::Out;
use ibex::path::join;
use ibex::sys;
use std::ffi::OsString;
use std::os::fd::AsRawFd;
use std::os::unix::ffi::OsStrExt;

const HELP: &str = "\
Usage: ibex [function [arguments]...]
   or: ibex --list[-full]
   or: ibex --install [-s] DIR
   or: ibex --version
   or: function [arguments]...

\tibex is a multi-call binary that combines many common Unix
\tutilities into a single executable. Create a link to ibex named
\tafter each function (ibex --install does this) and ibex will act
\tlike whatever it was invoked as.
";

pub fn main(argv: &[OsString]) -> i32 {
    let arg = argv.get(1).map(|a| a.as_bytes());
    match arg {
        None | Some(b"--help") | Some(b"-h") => help(),
        Some(b"--list") => list(false),
        Some(b"--list-full") => list(true),
        Some(b"--version") => {
            let mut out = Out::stdout();
            out.str("ibex ");
            out.str(ibex::VERSION);
            out.byte(b'\n');
            out.finish(0)
        }
        Some(b"--install") => install(argv.get(2..).unwrap_or(&[]), argv[0].as_bytes()),
        Some(other) => {
            ibex::msg!("applet not found: ", other);
            127
        }
    }
}

fn help() -> i32 {
    let mut out = Out::stdout();
    out.str(&ibex::args::banner());
    out.str("\n\n");
    out.str(HELP);
    out.str("\nCurrently defined functions:\n");
    // Comma-separated, wrapped under a tab as BusyBox prints it.
    let mut line: Vec<u8> = Vec::new();
    for (i, a) in APPLETS.iter().enumerate() {
        let last = i + 1 == APPLETS.len();
        // The item is "NAME, " (or "NAME" last); its trailing space does
        // not count towards the width.
        let item_len = a.name.len() + usize::from(!last);
        if !line.is_empty() && 8 + line.len() + item_len > 78 {
            out.byte(b'\t');
            out.write(line.trim_ascii_end());
            out.byte(b'\n');
            line.clear();
        }
        line.extend_from_slice(a.name.as_bytes());
        if !last {
            line.extend_from_slice(b", ");
        }
    }
    if !line.is_empty() {
        out.byte(b'\t');
        out.write(&line);
        out.byte(b'\n');
    }
    out.finish(0)
}

fn list(full: bool) -> i32 {
    let mut out = Out::stdout();
    for a in APPLETS {
        if full {
            out.str(a.dir.path());
            out.byte(b'/');
        }
        out.str(a.name);
        out.byte(b'\n');
    }
    out.finish(0)
}

/// Create `dir` and its parents.
fn mkdir_p(dir: &[u8]) -> std::io::Result<()> {
    let mut end = 0;
    while end < dir.len() {
        end = memchr::memchr(b'/', &dir[end + 1..]).map_or(dir.len(), |i| end + 1 + i);
        match sys::mkdirat(sys::Dir::CWD, &dir[..end], 0o755) {
            Ok(()) => {}
            Err(e) if e.raw_os_error() == Some(libc::EEXIST) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// Put the running binary at DIR/bin/ibex: a hard link when possible, a
/// copy otherwise.
fn place_binary(target: &[u8], argv0: &[u8]) -> std::io::Result<()> {
    // Without /proc (early initramfs), argv[0] names the binary.
    let exe = sys::readlink(b"/proc/self/exe").or_else(|e| {
        if argv0.contains(&b'/') {
            Ok(argv0.to_vec())
        } else {
            Err(e)
        }
    })?;
    let exe_st = sys::stat(&exe)?;
    if let Ok(st) = sys::stat(target)
        && st.same_file(&exe_st)
    {
        return Ok(());
    }
    let tmp = [target, b".new"].concat();
    let _ = sys::unlinkat(sys::Dir::CWD, &tmp, 0);
    if sys::linkat(sys::Dir::CWD, &exe, sys::Dir::CWD, &tmp, 0).is_err() {
        let src = sys::open(&exe, sys::O_RDONLY, 0)?;
        let dst = sys::open(&tmp, sys::O_WRONLY | sys::O_CREAT | sys::O_EXCL, 0o755)?;
        ibex::io::copy_fd(src.as_raw_fd(), dst.as_raw_fd()).map_err(|e| match e {
            ibex::io::CopyError::Read(e) | ibex::io::CopyError::Write(e) => e,
        })?;
        sys::fchmod(dst.as_raw_fd(), 0o755)?;
    }
    sys::rename(&tmp, target)
}

/// Whether `path` already is an ibex link: the same file as the binary, or a
/// symlink to it.
fn is_ibex(path: &[u8], binary: &[u8]) -> bool {
    match (sys::stat(path), sys::stat(binary)) {
        (Ok(a), Ok(b)) => a.same_file(&b),
        _ => sys::readlink(path).is_ok_and(|t| ibex::path::basename(&t) == b"ibex"),
    }
}

fn install(args: &[OsString], argv0: &[u8]) -> i32 {
    let mut symlinks = false;
    let mut dir: Option<&[u8]> = None;
    for a in args {
        match a.as_bytes() {
            b"-s" if dir.is_none() => symlinks = true,
            d if dir.is_none() => dir = Some(d),
            _ => dir = None,
        }
    }
    let Some(dir) = dir.filter(|_| args.len() <= 2) else {
        ibex::msg!("usage: ibex --install [-s] DIR");
        return 1;
    };
    let bin = join(dir, b"bin");
    let binary = join(&bin, b"ibex");
    if let Err(e) = mkdir_p(&bin).and_then(|()| place_binary(&binary, argv0)) {
        ibex::error::io_error(&binary, &e);
        return 1;
    }
    let mut status = 0;
    for a in APPLETS {
        let sub = join(dir, a.dir.path().as_bytes());
        let link = join(&sub, a.name.as_bytes());
        if let Err(e) = mkdir_p(&sub) {
            ibex::error::io_error(&sub, &e);
            status = 1;
            continue;
        }
        if sys::lstat(&link).is_ok() {
            if is_ibex(&link, &binary) {
                continue;
            }
            ibex::msg!(link, ": exists and is not ibex, left alone");
            continue;
        }
        let made = if symlinks {
            // Relative, so the tree can be moved into an image.
            let depth = a.dir.path().split('/').count();
            let target = [&"../".repeat(depth)[..], "bin/ibex"].concat();
            let target = if a.dir == applets::Dir::Bin {
                "ibex".to_string()
            } else {
                target
            };
            sys::symlinkat(target.as_bytes(), sys::Dir::CWD, &link)
        } else {
            sys::linkat(sys::Dir::CWD, &binary, sys::Dir::CWD, &link, 0)
        };
        if let Err(e) = made {
            ibex::error::io_error(&link, &e);
            status = 1;
        }
    }
    status
}
