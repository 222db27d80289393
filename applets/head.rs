//! head: the first lines or bytes of files. `-n N`/`-c N` (multiplier
//! suffixes), `-n -N`/`-c -N` all but the last N (streamed through a bounded
//! buffer, so pipes work), `-q`/`-v` headers, `-z` NUL-terminated lines, and
//! the old forms `head -5`, `head -5c`. Reading stops as soon as the count is
//! reached, and a seekable input is left positioned just after the data used
//! (POSIX: `{ head -n1; cat; } < file`).

use ibex::Status;
use ibex::args::{Parser, Spec, flag, value};
use ibex::io::{Input, Out};
use ibex::num::NumError;
use ibex::sys;
use std::collections::VecDeque;
use std::ffi::{OsStr, OsString};
use std::os::unix::ffi::OsStrExt;

const LONGS: &[ibex::args::Long] = &[
    value("bytes", 'c' as u32),
    value("lines", 'n' as u32),
    flag("quiet", 'q' as u32),
    flag("silent", 'q' as u32),
    flag("verbose", 'v' as u32),
    flag("zero-terminated", 'z' as u32),
];

const SPEC: Spec = Spec::new(
    "c:n:qvz",
    LONGS,
    ibex::usage!(
        head,
        "head [OPTIONS] [FILE]...\n\n\
         Print first 10 lines of FILEs (or standard input) to standard output.\n\
         With more than one FILE, precede each with a filename header.\n\n\
         \t-n N[kbm]\tPrint first N lines; -n -N: all but the last N (--lines)\n\
         \t-c N[kbm]\tPrint first N bytes; -c -N: all but the last N (--bytes)\n\
         \t-q\tNever print headers (--quiet, --silent)\n\
         \t-v\tAlways print headers (--verbose)\n\
         \t-z\tLines end with NUL, not newline (--zero-terminated)"
    ),
)
.digits('n' as u32);

const BUF: usize = 128 * 1024;

#[derive(Clone, Copy)]
enum Mode {
    Lines(u64),
    Bytes(u64),
    AllButLines(u64),
    AllButBytes(u64),
}

/// Parse a count: optional blanks, an optional sign (`-` = all but the
/// last), digits and a size suffix.
fn count(spec: &Spec, what: &str, val: &OsStr, lines: bool) -> Result<Mode, ibex::Exit> {
    let raw = ibex::num::trim_start(val.as_bytes());
    let (neg, digits) = match raw.first() {
        Some(b'-') => (true, &raw[1..]),
        _ => (false, raw),
    };
    let shown = if neg { digits } else { val.as_bytes() };
    match ibex::num::parse_size(digits) {
        Ok(n) => Ok(match (lines, neg) {
            (true, false) => Mode::Lines(n),
            (true, true) => Mode::AllButLines(n),
            (false, false) => Mode::Bytes(n),
            (false, true) => Mode::AllButBytes(n),
        }),
        Err(NumError::Range) => {
            ibex::msg!(
                "invalid number of ",
                what,
                ": '",
                shown,
                "': Value too large for defined data type"
            );
            Err(ibex::Exit(spec.error_status))
        }
        Err(NumError::Invalid) => Err(ibex::args::invalid(
            spec,
            &format!("number of {what}:"),
            sys::os(shown),
        )),
    }
}

/// The old form as first argument: `-NUM[bkm][cqvlz]...`. Returns the
/// arguments rewritten into the modern options, or None when not that form.
fn obsolete(argv: &[OsString]) -> Result<Option<Vec<OsString>>, ibex::Exit> {
    let Some(a) = argv.get(1) else {
        return Ok(None);
    };
    let b = a.as_bytes();
    if b.len() < 3 || b[0] != b'-' || !b[1].is_ascii_digit() {
        return Ok(None);
    }
    let nd = b[1..].iter().take_while(|c| c.is_ascii_digit()).count();
    let mut rest = &b[1 + nd..];
    let mut num = b[1..1 + nd].to_vec();
    match rest.first() {
        Some(b'b') => num.push(b'b'),
        Some(b'k') => num.push(b'K'),
        Some(b'm') => num.push(b'M'),
        _ => {}
    }
    if num.len() > nd {
        rest = &rest[1..];
    }
    let mut opt = b"-n".to_vec();
    let mut out = vec![argv[0].clone()];
    for &c in rest {
        match c {
            b'c' => opt = b"-c".to_vec(),
            b'l' => opt = b"-n".to_vec(),
            b'q' | b'v' | b'z' => out.push(sys::os_string(vec![b'-', c])),
            _ => {
                return Err(ibex::args::usage_error(
                    &SPEC,
                    &[b"invalid trailing option -- ", &[c]],
                ));
            }
        }
    }
    out.push(sys::os_string(opt));
    out.push(sys::os_string(num));
    out.extend(argv[2..].iter().cloned());
    Ok(Some(out))
}

pub fn main(argv: &[OsString]) -> Status {
    let rewritten = obsolete(argv)?;
    let argv = rewritten.as_deref().unwrap_or(argv);
    let mut mode = Mode::Lines(10);
    let mut headers: Option<bool> = None;
    let mut delim = b'\n';
    let mut p = Parser::new(argv, &SPEC);
    while let Some((id, v)) = p.next()? {
        let v = v.unwrap_or_default();
        match char::from_u32(id).unwrap_or('\0') {
            'c' => mode = count(&SPEC, "bytes", v, false)?,
            'n' => mode = count(&SPEC, "lines", v, true)?,
            'q' => headers = Some(false),
            'v' => headers = Some(true),
            _ => delim = 0,
        }
    }
    let mut files = p.operands();
    if files.is_empty() {
        files.push(OsStr::new("-"));
    }
    let headers = headers.unwrap_or(files.len() > 1);
    let mut out = Out::stdout();
    let mut buf = vec![0u8; BUF];
    let mut status = 0;
    let mut first = true;
    for name in files {
        let name = name.as_bytes();
        let shown: &[u8] = if name == b"-" {
            b"standard input"
        } else {
            name
        };
        let input = match Input::open(name) {
            Ok(i) => i,
            Err(e) => {
                ibex::msg!("cannot open '", shown, "' for reading: ", e);
                status = 1;
                continue;
            }
        };
        if headers {
            if !first {
                out.byte(b'\n');
            }
            out.write(b"==> ");
            out.write(shown);
            out.write(b" <==\n");
        }
        first = false;
        let r = match mode {
            Mode::Lines(n) => lines(input.fd(), n, delim, &mut buf, &mut out),
            Mode::Bytes(n) => bytes(input.fd(), n, &mut buf, &mut out),
            Mode::AllButLines(n) => all_but(input.fd(), n, Some(delim), &mut buf, &mut out),
            Mode::AllButBytes(n) => all_but(input.fd(), n, None, &mut buf, &mut out),
        };
        if let Err(e) = r {
            ibex::msg!("error reading '", shown, "': ", e);
            status = 1;
        }
        if out.failed() {
            break;
        }
    }
    out.done(status)
}

/// The first `n` lines; the unused rest of the last read is given back to a
/// seekable input.
fn lines(fd: i32, mut n: u64, delim: u8, buf: &mut [u8], out: &mut Out) -> std::io::Result<()> {
    while n > 0 {
        let got = sys::read(fd, buf)?;
        if got == 0 {
            break;
        }
        let data = &buf[..got];
        let mut end = None;
        for i in memchr::memchr_iter(delim, data) {
            n -= 1;
            if n == 0 {
                end = Some(i + 1);
                break;
            }
        }
        match end {
            Some(e) => {
                out.write(&data[..e]);
                let back = (got - e) as i64;
                if back > 0 {
                    // Not seekable (a pipe): nothing to give back.
                    let _ = sys::lseek(fd, -back, sys::SEEK_CUR);
                }
            }
            None => out.write(data),
        }
        if out.failed() {
            break;
        }
    }
    Ok(())
}

/// The first `n` bytes, never reading past them.
fn bytes(fd: i32, mut n: u64, buf: &mut [u8], out: &mut Out) -> std::io::Result<()> {
    while n > 0 {
        let want = usize::try_from(n).unwrap_or(usize::MAX).min(buf.len());
        let got = sys::read(fd, &mut buf[..want])?;
        if got == 0 {
            break;
        }
        out.write(&buf[..got]);
        n -= got as u64;
        if out.failed() {
            break;
        }
    }
    Ok(())
}

/// All but the last `n` lines (`delim` given) or bytes. Only about `n`
/// units plus a read's worth are held at a time.
fn all_but(
    fd: i32,
    n: u64,
    delim: Option<u8>,
    buf: &mut [u8],
    out: &mut Out,
) -> std::io::Result<()> {
    if n == 0 {
        return lines(fd, u64::MAX, b'\n', buf, out);
    }
    if let Some(r) = all_but_seekable(fd, n, delim, buf, out) {
        return r;
    }
    let units = |d: &[u8]| match delim {
        Some(c) => sys::count_byte(d, c) as u64,
        None => d.len() as u64,
    };
    // Held chunks with their unit counts, and the total.
    let mut held: VecDeque<(Vec<u8>, u64)> = VecDeque::new();
    let mut total = 0u64;
    // A line needs one more delimiter to be known not to be among the last n.
    let keep = if delim.is_some() {
        n.saturating_add(1)
    } else {
        n
    };
    loop {
        let got = sys::read(fd, buf)?;
        if got == 0 {
            break;
        }
        let data = &buf[..got];
        let u = units(data);
        total += u;
        match held.back_mut() {
            Some((v, c)) if v.len() + got <= BUF => {
                v.extend_from_slice(data);
                *c += u;
            }
            _ => {
                let mut v = Vec::with_capacity(BUF.max(got));
                v.extend_from_slice(data);
                held.push_back((v, u));
            }
        }
        while held.len() > 1 {
            let front = held.front().map_or(0, |f| f.1);
            if total - front < keep {
                break;
            }
            if let Some((v, c)) = held.pop_front() {
                out.write(&v);
                total -= c;
            }
        }
        if out.failed() {
            return Ok(());
        }
    }
    // Now the end is known: cut exactly.
    let ends_with_delim = match (delim, held.back()) {
        (Some(c), Some((v, _))) => v.last() == Some(&c),
        _ => true,
    };
    let mut left = if ends_with_delim {
        total.saturating_sub(n)
    } else {
        (total + 1).saturating_sub(n)
    };
    for (v, c) in &held {
        if left == 0 {
            break;
        }
        if *c <= left && (delim.is_none() || *c < left) {
            out.write(v);
            left -= c;
            continue;
        }
        let cut = match delim {
            None => left as usize,
            Some(d) => memchr::memchr_iter(d, v)
                .nth((left - 1) as usize)
                .map_or(v.len(), |i| i + 1),
        };
        out.write(&v[..cut.min(v.len())]);
        break;
    }
    Ok(())
}

/// All but the last `n` units of a regular file: find where they start
/// (reading backwards from the end for lines) and copy up to there.
/// None when the input is not a seekable regular file.
fn all_but_seekable(
    fd: i32,
    n: u64,
    delim: Option<u8>,
    buf: &mut [u8],
    out: &mut Out,
) -> Option<std::io::Result<()>> {
    let st = sys::fstat(fd).ok()?;
    if !st.is_reg() || st.size == 0 {
        return None;
    }
    let cur = sys::lseek(fd, 0, sys::SEEK_CUR).ok()?;
    let end = match delim {
        None => st.size.saturating_sub(n).max(cur),
        Some(d) => match last_lines_start(fd, cur, st.size, n, d, buf) {
            Ok(e) => e,
            Err(e) => return Some(Err(e)),
        },
    };
    Some(copy_len(fd, end.saturating_sub(cur), buf, out))
}

/// Where the last `n` lines of `[lo, size)` begin, read backwards in
/// blocks. A last line without its delimiter counts.
fn last_lines_start(
    fd: i32,
    lo: u64,
    size: u64,
    n: u64,
    d: u8,
    buf: &mut [u8],
) -> std::io::Result<u64> {
    let mut end = size;
    let mut left = n;
    let mut first = true;
    let bs = buf.len() as u64;
    while end > lo {
        let start = ((end - 1) / bs * bs).max(lo);
        let len = (end - start) as usize;
        let mut got = 0;
        while got < len {
            let r = sys::pread(fd, &mut buf[got..len], start + got as u64)?;
            if r == 0 {
                break;
            }
            got += r;
        }
        let mut block = &buf[..got];
        if first {
            first = false;
            // The delimiter ending the last line does not start one.
            if block.last() == Some(&d) {
                block = &block[..block.len() - 1];
            }
        }
        for i in memchr::memrchr_iter(d, block) {
            left -= 1;
            if left == 0 {
                return Ok(start + i as u64 + 1);
            }
        }
        end = start;
    }
    Ok(lo)
}

/// Copy `len` bytes from the current offset of `fd` to standard output,
/// by the kernel when it can.
fn copy_len(fd: i32, mut len: u64, buf: &mut [u8], out: &mut Out) -> std::io::Result<()> {
    if !out.flush() {
        return Ok(());
    }
    let chunk = |len: u64| usize::try_from(len).unwrap_or(usize::MAX).min(1 << 30);
    while len > 0 {
        match sys::copy_file_range(fd, 1, chunk(len)) {
            Ok(0) => return Ok(()),
            Ok(k) => len -= k as u64,
            Err(_) => break,
        }
    }
    while len > 0 {
        match sys::sendfile(1, fd, chunk(len)) {
            Ok(0) => return Ok(()),
            Ok(k) => len -= k as u64,
            Err(_) => break,
        }
    }
    while len > 0 {
        let want = chunk(len).min(buf.len());
        let got = sys::read(fd, &mut buf[..want])?;
        if got == 0 {
            break;
        }
        out.write(&buf[..got]);
        if !out.flush() {
            break;
        }
        len -= got as u64;
    }
    Ok(())
}
