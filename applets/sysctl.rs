//! sysctl: read and write kernel parameters under /proc/sys, printed as
//! `name = value`. Names use dots (`kernel.hostname`) or slashes
//! (`kernel/hostname`, where dots stay part of a component). Messages are
//! BusyBox's (`error: 'x' is an unknown key`); status 1 after any error.

use ibex::Status;
use ibex::args::{Parser, Spec, flag};
use ibex::io::Out;
use ibex::sys;
use std::ffi::OsString;
use std::os::fd::AsRawFd;
use std::os::unix::ffi::OsStrExt;

const LONGS: &[ibex::args::Long] = &[
    flag("all", 'a' as u32),
    flag("ignore", 'e' as u32),
    flag("names", 'N' as u32),
    flag("values", 'n' as u32),
    flag("load", 'p' as u32),
    flag("quiet", 'q' as u32),
    flag("write", 'w' as u32),
];

const USAGE: ibex::usage::Usage = ibex::usage!(
    sysctl,
    "sysctl -p [-enq] [FILE...] / [-enqaw] [KEY[=VALUE]]...

Show or set kernel parameters

\t-p\tSet values from FILEs (default /etc/sysctl.conf)
\t-a\tShow all values
\t-w\tSet values (KEY=VALUE)
\t-n\tPrint values only; -N: names only
\t-e\tDon't warn about unknown keys
\t-q\tDon't show values set"
);

const SPEC: Spec = Spec::new("aAeNnpqwX", LONGS, USAGE);

struct Opts {
    ignore: bool,
    values_only: bool,
    names_only: bool,
    quiet: bool,
}

pub fn main(argv: &[OsString]) -> Status {
    let mut p = Parser::new(argv, &SPEC);
    let mut o = Opts {
        ignore: false,
        values_only: false,
        names_only: false,
        quiet: false,
    };
    let (mut all, mut load, mut write) = (false, false, false);
    while let Some((id, _)) = p.next()? {
        match char::from_u32(id) {
            Some('a' | 'A' | 'X') => all = true,
            Some('e') => o.ignore = true,
            Some('N') => o.names_only = true,
            Some('n') => o.values_only = true,
            Some('p') => load = true,
            Some('q') => o.quiet = true,
            Some('w') => write = true,
            _ => {}
        }
    }
    let ops = p.operands();
    let mut out = Out::stdout();
    let mut status = 0;
    if load {
        let files: Vec<&[u8]> = if ops.is_empty() {
            vec![b"/etc/sysctl.conf"]
        } else {
            ops.iter().map(|f| f.as_bytes()).collect()
        };
        for f in files {
            status |= load_file(&mut out, &o, f);
        }
        return out.done(status);
    }
    if all {
        show_all(&mut out, &o);
        return out.done(0);
    }
    if ops.is_empty() {
        return Err(ibex::args::usage_error(&SPEC, &[b"no keys given"]));
    }
    for arg in ops {
        let arg = arg.as_bytes();
        match memchr::memchr(b'=', arg) {
            Some(i) => status |= set(&mut out, &o, &arg[..i], &arg[i + 1..], false),
            None if write => {
                out.flush();
                ibex::msg!("error: '", arg, "' must be of the form name=value");
                status = 1;
            }
            None => status |= show(&mut out, &o, arg),
        }
    }
    out.done(status)
}

/// `/proc/sys/...` for a key with dots or slashes; None for a key that
/// would name something outside /proc/sys (`..`, empty components).
fn key_path(key: &[u8]) -> Option<Vec<u8>> {
    let mut p = b"/proc/sys/".to_vec();
    let key = key.trim_ascii();
    let slashes = key.contains(&b'/');
    for &c in key {
        p.push(if !slashes && c == b'.' { b'/' } else { c });
    }
    let rel = &p[b"/proc/sys/".len()..];
    let bad = rel.is_empty()
        || rel
            .split(|&c| c == b'/')
            .any(|c| c.is_empty() || c == b"." || c == b"..");
    (!bad).then_some(p)
}

/// The dotted name shown for a key (slashes turned into dots).
fn display_name(key: &[u8]) -> Vec<u8> {
    let key = key.trim_ascii();
    if key.contains(&b'/') {
        key.iter()
            .map(|&c| if c == b'/' { b'.' } else { c })
            .collect()
    } else {
        key.to_vec()
    }
}

fn print_value(out: &mut Out, o: &Opts, name: &[u8], value: &[u8]) {
    let value = value.strip_suffix(b"\n").unwrap_or(value);
    if o.names_only {
        out.write(name);
        out.byte(b'\n');
        return;
    }
    // A value of several lines is shown one line each.
    for line in value.split(|&c| c == b'\n') {
        if !o.values_only {
            out.write(name);
            out.str(" = ");
        }
        out.write(line);
        out.byte(b'\n');
    }
}

fn unknown(out: &mut Out, o: &Opts, name: &[u8]) -> i32 {
    if o.ignore {
        return 0;
    }
    out.flush();
    ibex::msg!("error: '", name, "' is an unknown key");
    1
}

fn show(out: &mut Out, o: &Opts, key: &[u8]) -> i32 {
    let name = display_name(key);
    let Some(path) = key_path(key) else {
        return unknown(out, o, &name);
    };
    match sys::stat(&path) {
        Err(_) => return unknown(out, o, &name),
        Ok(st) if st.is_dir() => {
            // A directory: everything below it, like -a for one subtree.
            walk(out, o, &path);
            return 0;
        }
        Ok(_) => {}
    }
    match ibex::io::read_file(&path) {
        Ok(v) => {
            print_value(out, o, &name, &v);
            0
        }
        Err(e) => {
            out.flush();
            ibex::msg!("error reading key '", name, "': ", e);
            1
        }
    }
}

fn set(out: &mut Out, o: &Opts, key: &[u8], value: &[u8], from_file: bool) -> i32 {
    let key = key.trim_ascii();
    let value = value.trim_ascii();
    if key.is_empty() {
        out.flush();
        ibex::msg!("error: malformed setting '", key, "=", value, "'");
        return 1;
    }
    let name = display_name(key);
    let Some(path) = key_path(key).filter(|p| sys::stat(p).is_ok()) else {
        return unknown(out, o, &name);
    };
    let r = sys::open(&path, sys::O_WRONLY | sys::O_TRUNC, 0)
        .and_then(|fd| sys::write_all(fd.as_raw_fd(), value));
    match r {
        Ok(()) => {
            if !o.quiet {
                print_value(out, o, &name, value);
            }
            0
        }
        Err(e) => {
            out.flush();
            if from_file && e.raw_os_error() == Some(libc::ENOENT) {
                return unknown(out, o, &name);
            }
            ibex::msg!("error setting key '", name, "': ", e);
            1
        }
    }
}

/// `-p`: `key = value` lines; `#` and `;` start comments; a key written
/// `-key` may fail silently.
fn load_file(out: &mut Out, o: &Opts, file: &[u8]) -> i32 {
    let data = if file == b"-" {
        ibex::io::read_all(0)
    } else {
        ibex::io::read_file(file)
    };
    let data = match data {
        Ok(d) => d,
        Err(e) => {
            out.flush();
            ibex::msg!("can't open '", file, "': ", e);
            return 1;
        }
    };
    let mut status = 0;
    for line in data.split(|&c| c == b'\n') {
        let line = line.trim_ascii();
        if line.is_empty() || line.starts_with(b"#") || line.starts_with(b";") {
            continue;
        }
        let Some(i) = memchr::memchr(b'=', line) else {
            out.flush();
            ibex::msg!("warning: '", line, "' is not of the form name=value");
            status = 1;
            continue;
        };
        let (key, value) = (&line[..i], &line[i + 1..]);
        match key.trim_ascii().strip_prefix(b"-") {
            Some(k) => {
                let quiet = Opts { ignore: true, ..*o };
                let _ = set(out, &quiet, k, value, true);
            }
            None => status |= set(out, o, key, value, true),
        }
    }
    status
}

fn show_all(out: &mut Out, o: &Opts) {
    walk(out, o, b"/proc/sys");
}

/// The entries of a directory as (name, is_dir), in reverse name order
/// (so popping gives them in order).
fn entries(dir: &[u8]) -> Vec<(Box<[u8]>, bool)> {
    let Ok(fd) = sys::open(dir, sys::O_RDONLY | sys::O_DIRECTORY, 0) else {
        return Vec::new();
    };
    let mut ents = Vec::new();
    let _ = sys::read_dir(fd.as_raw_fd(), &mut ents);
    ibex::order::sort_by(&mut ents, |a, b| b.name.cmp(&a.name));
    ents.into_iter()
        .map(|e| {
            let is_dir = match e.kind {
                sys::DT_DIR => true,
                sys::DT_UNKNOWN => {
                    sys::lstat(&ibex::path::join(dir, &e.name)).is_ok_and(|s| s.is_dir())
                }
                _ => false,
            };
            (e.name, is_dir)
        })
        .collect()
}

/// Every readable file under `dir`, in name order, with an explicit stack.
fn walk(out: &mut Out, o: &Opts, dir: &[u8]) {
    let mut stack = vec![(dir.to_vec(), entries(dir))];
    while let Some((d, ents)) = stack.last_mut() {
        let Some((name, is_dir)) = ents.pop() else {
            stack.pop();
            continue;
        };
        let path = ibex::path::join(d, &name);
        if is_dir {
            let e = entries(&path);
            stack.push((path, e));
        } else {
            show_file(out, o, &path);
        }
    }
}

fn show_file(out: &mut Out, o: &Opts, path: &[u8]) {
    // Write-only parameters (no read permission) are skipped.
    if !sys::stat(path).is_ok_and(|s| s.mode & 0o444 != 0) {
        return;
    }
    let Ok(v) = ibex::io::read_file(path) else {
        return;
    };
    let name: Vec<u8> = path[b"/proc/sys/".len().min(path.len())..]
        .iter()
        .map(|&c| if c == b'/' { b'.' } else { c })
        .collect();
    print_value(out, o, &name, &v);
}
