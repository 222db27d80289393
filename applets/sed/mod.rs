//! sed: the stream editor. Every POSIX command plus GNU's common ones
//! (Q, T, F, z, W, R, one-line a/i/c, `l N`, `q EXIT`), GNU addresses
//! (`0,/re/`, `first~step`, `addr,+N`, `addr,~N`, `I`/`M`), `s` flags
//! `g p N I M w`, case conversion, -n -e -f -E/-r -i[SUFFIX] -s -z -u -l
//! --posix. Errors and exit codes follow GNU sed (1 script, 2 input, 4 I/O).
//!
//! parse.rs compiles the script; exec.rs runs it. Each line is copied once
//! into the pattern space (buffers are swapped and reused, no allocation
//! per line); one line of look-ahead, read only when `$` or n/N ask, tells
//! whether a line is the last. Output goes through a buffer that copies
//! short lines in fixed-size moves (musl's memcpy is slow for them).
//! Regexes go through ibex::regex (literal patterns: memmem).
//!
//! Not done: the `e` command and `s///e` (they run a shell), `--debug`
//! (accepted, ignored), GNU regex extensions are not disabled by --posix.
//! `w /dev/stdout` has its own missing-newline state, as in GNU sed.
//!
//! Measured (release build, 200 MB of words, user time, noisy 2-core box):
//! `s/foo/bar/` 1.1x GNU sed 4.9; 50 MB: `s/foo/bar/g` 1.0x, `-n p` 1.5x.

mod exec;
mod parse;

use exec::{Exec, Fatal, Opts, Output, Sink, Stream};
use ibex::Status;
use ibex::args::{Long, Parser, Spec, flag, optional, value};
use ibex::io::{Input, Out};
use ibex::sys;
use parse::{Options, Source, Text};
use std::ffi::OsString;
use std::os::fd::AsRawFd;
use std::os::unix::ffi::OsStrExt;

const POSIX: u32 = 256;
const DEBUG: u32 = 257;
const FOLLOW: u32 = 258;
const SANDBOX: u32 = 259;
const VERSION: u32 = 260;

const LONGS: &[Long] = &[
    flag("quiet", 'n' as u32),
    flag("silent", 'n' as u32),
    value("expression", 'e' as u32),
    value("file", 'f' as u32),
    flag("regexp-extended", 'E' as u32),
    optional("in-place", 'i' as u32),
    value("line-length", 'l' as u32),
    flag("separate", 's' as u32),
    flag("null-data", 'z' as u32),
    flag("zero-terminated", 'z' as u32),
    flag("unbuffered", 'u' as u32),
    flag("posix", POSIX),
    flag("debug", DEBUG),
    flag("follow-symlinks", FOLLOW),
    flag("sandbox", SANDBOX),
    flag("version", VERSION),
];

const USAGE: ibex::usage::Usage = ibex::usage!(
    sed,
    "sed [-i[SUFFIX]] [-nrEsuz] [-l N] [-e SCRIPT]... [-f FILE]... [SCRIPT] [FILE]...

Stream editor: apply SCRIPT to each line of the FILEs (standard input if none)

\t-e SCRIPT\tAdd SCRIPT to the commands to run
\t-f FILE\tAdd the commands in FILE (- for standard input)
\t-i[SUFFIX]\tEdit files in place (keep a backup with SUFFIX; * = file name)
\t-n\tSuppress automatic printing of the pattern space
\t-r,-E\tExtended regular expressions
\t-s\tTreat the files as separate streams
\t-u\tFlush output after every line
\t-z\tLines end in NUL, not newline
\t-l N\tWrap `l' output at N characters (0: never)
\t--posix\tDisable GNU extensions
\t--follow-symlinks\tEdit the target of a symlink in place
\t--sandbox\tRefuse the r, R, w and W commands"
);

const SPEC: Spec = Spec::new("nrsuzEe:f:i::l:", LONGS, USAGE);

pub fn main(argv: &[OsString]) -> Status {
    let mut text = Text::new();
    let mut nexpr = 0;
    let mut quiet = false;
    let mut extended = false;
    let mut inplace: Option<Vec<u8>> = None;
    let mut separate = false;
    let mut zero = false;
    let mut unbuffered = false;
    let mut posix = false;
    let mut follow = false;
    let mut sandbox = false;
    let mut line_len = 70;
    let mut p = Parser::new(argv, &SPEC);
    while let Some((id, val)) = p.next()? {
        let v = val.map_or(&b""[..], |v| v.as_bytes());
        match id {
            0x6e => quiet = true,
            0x72 | 0x45 => extended = true,
            0x73 => separate = true,
            0x75 => unbuffered = true,
            0x7a => zero = true,
            0x65 => {
                nexpr += 1;
                text.add(v, Source::Expr(nexpr));
            }
            0x66 => {
                let data = if v == b"-" {
                    ibex::io::read_all(0)
                } else {
                    ibex::io::read_file(v)
                };
                match data {
                    Ok(d) => text.add(&d, Source::File(v.to_vec())),
                    Err(e) => {
                        ibex::msg!("couldn't open file ", v, ": ", e);
                        return Ok(4);
                    }
                }
            }
            0x69 => {
                inplace = Some(v.to_vec());
                separate = true;
            }
            0x6c => {
                let digits = v.iter().take_while(|b| b.is_ascii_digit()).count();
                line_len = std::str::from_utf8(&v[..digits])
                    .ok()
                    .and_then(|s| s.parse().ok())
                    .unwrap_or(0);
            }
            POSIX => posix = true,
            FOLLOW => follow = true,
            SANDBOX => sandbox = true,
            VERSION => {
                // configure scripts grep this line to accept a sed as
                // capable as GNU's (BusyBox answers the same way).
                let mut out = Out::stdout();
                out.str("sed (ibex) ");
                out.str(ibex::VERSION);
                out.str("\nThis is not GNU sed version 4.0\n");
                return out.done(0);
            }
            _ => {}
        }
    }
    let mut operands: Vec<&[u8]> = p.operands().iter().map(|o| o.as_bytes()).collect();
    if text.chunks.is_empty() {
        if operands.is_empty() {
            let mut e = Out::new(2);
            e.str("Usage: ");
            e.write(&USAGE.synopsis());
            e.byte(b'\n');
            e.finish(0);
            return Ok(1);
        }
        let s = operands.remove(0);
        text.add(s, Source::Expr(1));
    }
    // `#n` alone on the script's first line is -n.
    if text.buf.get(..2) == Some(b"#n") && matches!(text.buf.get(2), None | Some(b'\n')) {
        quiet = true;
    }
    let script = match parse::compile(
        &text,
        &Options {
            delim: if zero { 0 } else { b'\n' },
            sandbox,
            extended,
            posix,
        },
    ) {
        Ok(s) => s,
        Err(parse::Error(m, code)) => {
            ibex::msg!(m.as_slice());
            return Ok(code);
        }
    };
    let opts = Opts {
        quiet,
        delim: if zero { 0 } else { b'\n' },
        // Interactive output is flushed line by line, as with stdio.
        unbuffered: unbuffered || sys::isatty(1),
        line_len,
        posix,
    };
    let mut files: Vec<Vec<u8>> = operands.iter().map(|o| o.to_vec()).collect();
    if files.is_empty() {
        if inplace.is_some() {
            ibex::msg!("no input files");
            return Ok(4);
        }
        files.push(b"-".to_vec());
    }
    let stream = Stream::new(files.clone(), opts.delim, separate);
    let Ok(mut ex) = Exec::new(&script, &opts, stream) else {
        return Ok(4);
    };
    let r = match &inplace {
        Some(suffix) => in_place(&mut ex, &files, suffix, follow),
        None if separate => (|| {
            while ex.stream.advance()? {
                ex.new_file();
                ex.run()?;
                if ex.quit.is_some() {
                    break;
                }
            }
            Ok(0)
        })(),
        None => ex.run().map(|()| 0),
    };
    // An unreadable input (2) outranks q's exit code, as in GNU sed.
    let mut status = match r {
        Ok(0) => ex.quit.unwrap_or(0),
        Ok(s) => s,
        Err(Fatal) => 4,
    };
    if ex.stream.status != 0 && status != 4 {
        status = ex.stream.status;
    }
    if !ex.close_files() {
        status = 4;
    }
    if !ex.stdout.out.finish(b"stdout") {
        status = 4;
    }
    Ok(status)
}

/// A new file `dir/sedXXXXXX`, mode 0600.
fn temp_file(dir: &[u8]) -> std::io::Result<(std::os::fd::OwnedFd, Vec<u8>)> {
    const CHARS: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    let mut last = None;
    for _ in 0..100 {
        let mut rnd = [0u8; 6];
        if sys::getrandom(&mut rnd).is_err() {
            let t = sys::now();
            let seed = (t.nsec as u64) ^ (sys::getpid() as u64) << 20;
            for (i, r) in rnd.iter_mut().enumerate() {
                *r = (seed >> (i * 5)) as u8;
            }
        }
        let mut name = dir.to_vec();
        name.extend_from_slice(b"/sed");
        name.extend(rnd.iter().map(|&r| CHARS[usize::from(r) % CHARS.len()]));
        match sys::open(
            &name,
            sys::O_WRONLY | sys::O_CREAT | sys::O_EXCL | sys::O_CLOEXEC | sys::O_NOCTTY,
            0o600,
        ) {
            Ok(fd) => return Ok((fd, name)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => last = Some(e),
            Err(e) => return Err(e),
        }
    }
    Err(last.unwrap_or_else(|| std::io::Error::from_raw_os_error(17)))
}

/// The backup name for `name`: SUFFIX appended, or with `*` in SUFFIX,
/// each `*` replaced by the file's base name (in the file's directory).
fn backup_name(name: &[u8], suffix: &[u8]) -> Vec<u8> {
    if !suffix.contains(&b'*') {
        let mut b = name.to_vec();
        b.extend_from_slice(suffix);
        return b;
    }
    let base = ibex::path::basename(name);
    let mut exp = Vec::new();
    for &c in suffix {
        if c == b'*' {
            exp.extend_from_slice(base);
        } else {
            exp.push(c);
        }
    }
    match memchr::memrchr(b'/', name) {
        Some(i) => {
            let mut b = name[..=i].to_vec();
            b.extend_from_slice(&exp);
            b
        }
        None => exp,
    }
}

fn in_place(ex: &mut Exec, files: &[Vec<u8>], suffix: &[u8], follow: bool) -> Result<i32, Fatal> {
    let mut status = 0;
    for (idx, given) in files.iter().enumerate() {
        let name = if follow {
            ibex::canon::canonicalize(given, Default::default()).unwrap_or_else(|_| given.clone())
        } else {
            given.clone()
        };
        // `-` is a file name here, not standard input.
        let input = match sys::open(&name, sys::O_RDONLY | sys::O_NOCTTY, 0).map(Input::File) {
            Ok(i) => i,
            Err(e) => {
                ibex::msg!("can't read ", given.as_slice(), ": ", e);
                status = status.max(2);
                continue;
            }
        };
        let st = match sys::fstat(input.fd()) {
            Ok(st) if st.is_reg() => st,
            Ok(_) => {
                ibex::msg!("couldn't edit ", given.as_slice(), ": not a regular file");
                status = 4;
                continue;
            }
            Err(e) => {
                ibex::msg!("can't read ", given.as_slice(), ": ", e);
                status = status.max(2);
                continue;
            }
        };
        let dir = match ibex::path::dirname(&name) {
            b"" => &b"."[..],
            d => d,
        };
        let (fd, tmp) = match temp_file(dir) {
            Ok(t) => t,
            Err(e) => {
                ibex::msg!("couldn't open temporary file ", dir, "/sedXXXXXX: ", e);
                return Err(Fatal);
            }
        };
        // Keep the owner and mode (the group first: chown may clear set-id bits).
        let _ = sys::fchown(fd.as_raw_fd(), st.uid, st.gid);
        let _ = sys::fchmod(fd.as_raw_fd(), st.mode & 0o7777);
        ex.inplace = Some(Output::new(Sink::new(fd.as_raw_fd())));
        ex.stream.set_file(input, idx);
        ex.new_file();
        let r = ex.run();
        let out = ex.inplace.take();
        let wrote = out.is_some_and(|mut o| o.out.finish(&tmp));
        if r.is_err() || !wrote {
            let _ = sys::unlinkat(sys::Dir::CWD, &tmp, 0);
            return Err(Fatal);
        }
        if let Err(e) = sys::close(std::os::fd::IntoRawFd::into_raw_fd(fd)) {
            ibex::msg!("couldn't close ", tmp.as_slice(), ": ", e);
            let _ = sys::unlinkat(sys::Dir::CWD, &tmp, 0);
            return Err(Fatal);
        }
        if !suffix.is_empty() {
            let b = backup_name(&name, suffix);
            let _ = sys::unlinkat(sys::Dir::CWD, &b, 0);
            if sys::linkat(sys::Dir::CWD, &name, sys::Dir::CWD, &b, 0).is_err()
                && let Err(e) = sys::rename(&name, &b)
            {
                ibex::msg!("cannot rename ", name.as_slice(), ": ", e);
                let _ = sys::unlinkat(sys::Dir::CWD, &tmp, 0);
                return Err(Fatal);
            }
        }
        if let Err(e) = sys::rename(&tmp, &name) {
            ibex::msg!("cannot rename ", tmp.as_slice(), ": ", e);
            let _ = sys::unlinkat(sys::Dir::CWD, &tmp, 0);
            return Err(Fatal);
        }
        if ex.quit.is_some() {
            break;
        }
    }
    Ok(status)
}
