//! Helpers for the text filters: whole records in big blocks (for
//! filters that do their own per-line work over many lines at once: cut,
//! rev, fold, expand), a buffered sink that copies short pieces without
//! memcpy, and GNU's C-style quoting of values in messages.

use crate::sys;
use std::io;
use std::os::fd::RawFd;

const BLOCK: usize = 256 * 1024;

/// Read `fd` to its end, calling `f` with runs of whole records, each
/// ending with `eol`; only the last run (at end of input) may end with an
/// unterminated record. A record longer than the buffer makes it grow.
/// `f` returns false to stop early (e.g. after a write error).
pub fn blocks(fd: RawFd, eol: u8, mut f: impl FnMut(&[u8]) -> bool) -> io::Result<()> {
    let mut buf = vec![0u8; BLOCK];
    let mut have = 0;
    loop {
        if have == buf.len() {
            let n = buf.len() * 2;
            buf.resize(n, 0);
        }
        let n = match sys::read(fd, &mut buf[have..]) {
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if n == 0 {
            if have > 0 {
                f(&buf[..have]);
            }
            return Ok(());
        }
        let scan = have;
        have += n;
        let Some(last) = memchr::memrchr(eol, &buf[scan..have]) else {
            continue;
        };
        let whole = scan + last + 1;
        if !f(&buf[..whole]) {
            return Ok(());
        }
        buf.copy_within(whole..have, 0);
        have -= whole;
    }
}

/// The driver of the line filters (expand, unexpand, fold, rev): every
/// line of `files` (standard input when there are none, or for `-`) goes
/// through `line`, which appends its output without the newline and says
/// whether the newline follows; the results go to standard output. Returns the exit status: 1 when a file
/// could not be opened or read.
pub fn map_lines(
    files: &[&std::ffi::OsStr],
    mut line: impl FnMut(&[u8], &mut Vec<u8>) -> bool,
) -> crate::Status {
    use std::os::unix::ffi::OsStrExt;
    let stdin = [std::ffi::OsStr::new("-")];
    let files = if files.is_empty() { &stdin[..] } else { files };
    let mut out = crate::io::Out::stdout();
    let mut status = 0;
    let mut acc = Vec::with_capacity(BLOCK + BLOCK / 4);
    for name in files {
        let Some(input) = crate::io::open_or_report(name.as_bytes()) else {
            status = 1;
            continue;
        };
        let res = blocks(input.fd(), b'\n', |run| {
            acc.clear();
            each(run, b'\n', |l, eol| {
                if line(l, &mut acc) && eol {
                    acc.push(b'\n');
                }
            });
            out.write(&acc);
            !out.failed()
        });
        if let Err(e) = res {
            crate::error::io_error(name.as_bytes(), &e);
            status = 1;
        }
        if out.failed() {
            break;
        }
    }
    out.done(status)
}

/// Split a run from [`blocks`] into records without their `eol`, telling
/// whether each had one.
pub fn each(data: &[u8], eol: u8, mut f: impl FnMut(&[u8], bool)) {
    let mut start = 0;
    while start < data.len() {
        match memchr::memchr(eol, &data[start..]) {
            Some(i) => {
                f(&data[start..start + i], true);
                start += i + 1;
            }
            None => {
                f(&data[start..], false);
                return;
            }
        }
    }
}

/// Buffered output for per-field and per-line copying. Short pieces are
/// copied in fixed 16-byte steps (reading past the piece, inside the
/// source slice) instead of through memcpy, whose start-up cost dominates
/// for pieces of a few bytes. The first write error is kept.
pub struct Sink {
    fd: RawFd,
    buf: Vec<u8>,
    len: usize,
    err: Option<io::Error>,
}

const SINK: usize = 128 * 1024;
/// Room kept free past `len` for the 16-byte steps.
const SLACK: usize = 64;

impl Sink {
    pub fn new(fd: RawFd) -> Sink {
        Sink {
            fd,
            buf: vec![0; SINK + SLACK],
            len: 0,
            err: None,
        }
    }

    /// Make room for `n` more bytes (plus the slack), flushing if needed.
    #[inline]
    fn room(&mut self, n: usize) {
        if self.len + n + SLACK > self.buf.len() {
            self.flush();
            if n + SLACK > self.buf.len() {
                self.buf.resize(n + SLACK, 0);
            }
        }
    }

    /// Append `data[a..b]`; bytes of `data` after `b` may be read.
    #[inline]
    pub fn put_in(&mut self, data: &[u8], a: usize, b: usize) {
        let n = b - a;
        self.room(n);
        let l = self.len;
        if n <= 48 && a + 48 <= data.len() {
            let mut k = 0;
            while k < n {
                self.buf[l + k..l + k + 16].copy_from_slice(&data[a + k..a + k + 16]);
                k += 16;
            }
        } else {
            self.buf[l..l + n].copy_from_slice(&data[a..b]);
        }
        self.len += n;
    }

    /// Append `s`.
    pub fn put(&mut self, s: &[u8]) {
        self.room(s.len());
        self.buf[self.len..self.len + s.len()].copy_from_slice(s);
        self.len += s.len();
    }

    #[inline]
    pub fn byte(&mut self, c: u8) {
        self.room(1);
        self.buf[self.len] = c;
        self.len += 1;
    }

    /// The last `n` bytes written (still buffered), for in-place edits.
    pub fn tail_mut(&mut self, n: usize) -> &mut [u8] {
        let l = self.len;
        &mut self.buf[l - n.min(l)..l]
    }

    /// Write out what is buffered when more than `above` bytes are.
    pub fn flush_above(&mut self, above: usize) {
        if self.len > above {
            self.flush();
        }
    }

    pub fn flush(&mut self) {
        if self.err.is_none()
            && self.len > 0
            && let Err(e) = sys::write_all(self.fd, &self.buf[..self.len])
        {
            self.err = Some(e);
        }
        self.len = 0;
    }

    pub fn failed(&self) -> bool {
        self.err.is_some()
    }

    /// Flush and report a write error as `applet: write error: reason`;
    /// returns `status`, or 1 when writing failed and `status` was 0.
    pub fn finish(mut self, status: i32) -> i32 {
        self.flush();
        match self.err.take() {
            Some(e) => {
                crate::msg!("write error: ", e);
                if status == 0 { 1 } else { status }
            }
            None => status,
        }
    }
}

/// The two FILE operands of comm and join: exactly two, not both `-`.
/// Usage errors (missing or extra operands) come back as Err, as do two
/// standard inputs (reported here, status 1).
pub fn two_inputs(
    spec: &crate::args::Spec,
    ops: &[&std::ffi::OsStr],
) -> Result<(), crate::error::Exit> {
    use crate::args::usage_error;
    use std::os::unix::ffi::OsStrExt;
    match ops {
        [] => Err(usage_error(spec, &[b"missing operand"])),
        [one] => Err(usage_error(
            spec,
            &[b"missing operand after ", &cquote(one.as_bytes())],
        )),
        [a, b] if a.as_bytes() == b"-" && b.as_bytes() == b"-" => {
            crate::msg!("both files cannot be standard input");
            Err(crate::error::Exit(1))
        }
        [_, _] => Ok(()),
        [_, _, extra, ..] => Err(usage_error(
            spec,
            &[b"extra operand ", &cquote(extra.as_bytes())],
        )),
    }
}

/// `'TEXT'` quoted as GNU's `quote` does in the C locale, for values in
/// messages: C escapes for backslash, quote and unprintable bytes.
pub fn cquote(s: &[u8]) -> Vec<u8> {
    let mut q = vec![b'\''];
    for &c in s {
        let e = match c {
            b'\\' | b'\'' => c,
            7 => b'a',
            8 => b'b',
            12 => b'f',
            b'\n' => b'n',
            b'\r' => b'r',
            b'\t' => b't',
            11 => b'v',
            32..=126 => {
                q.push(c);
                continue;
            }
            _ => {
                q.extend_from_slice(&[
                    b'\\',
                    b'0' + (c >> 6),
                    b'0' + ((c >> 3) & 7),
                    b'0' + (c & 7),
                ]);
                continue;
            }
        };
        q.extend_from_slice(&[b'\\', e]);
    }
    q.push(b'\'');
    q
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::fd::AsRawFd;

    #[test]
    fn runs_hold_whole_records_and_long_ones_grow() {
        let (r, w) = sys::pipe().unwrap();
        let writer = std::thread::spawn(move || {
            sys::write_all(w.as_raw_fd(), b"a\nbb\n").unwrap();
            sys::write_all(w.as_raw_fd(), &vec![b'x'; 600_000]).unwrap();
            sys::write_all(w.as_raw_fd(), b"\nend").unwrap();
        });
        let mut recs: Vec<(usize, bool)> = Vec::new();
        blocks(r.as_raw_fd(), b'\n', |run| {
            assert!(run.ends_with(b"\n") || run.ends_with(b"end"));
            each(run, b'\n', |rec, eol| recs.push((rec.len(), eol)));
            true
        })
        .unwrap();
        writer.join().unwrap();
        assert_eq!(recs, [(1, true), (2, true), (600_000, true), (3, false)]);
    }

    #[test]
    fn cquote_escapes_like_gnu() {
        assert_eq!(cquote(b"a\\b"), b"'a\\\\b'");
        assert_eq!(cquote(b"it's\t\xff"), b"'it\\'s\\t\\377'");
    }

    #[test]
    fn sink_copies_pieces_of_every_length() {
        let (r, w) = sys::pipe().unwrap();
        let data: Vec<u8> = (0..200u8).collect();
        let reader = std::thread::spawn(move || {
            let mut got = Vec::new();
            let mut b = [0u8; 4096];
            loop {
                let n = sys::read(r.as_raw_fd(), &mut b).unwrap();
                if n == 0 {
                    return got;
                }
                got.extend_from_slice(&b[..n]);
            }
        });
        let mut want = Vec::new();
        let mut s = Sink::new(w.as_raw_fd());
        for round in 0..2000 {
            for (a, b) in [(0, 0), (3, 4), (10, 27), (150, 199), (190, 200), (0, 200)] {
                s.put_in(&data, a, b);
                want.extend_from_slice(&data[a..b]);
            }
            s.byte(b'\n');
            s.put(b"xy");
            s.tail_mut(2).reverse();
            want.extend_from_slice(b"\nyx");
            if round % 500 == 0 {
                s.flush_above(0);
            }
        }
        assert_eq!(s.finish(0), 0);
        drop(w);
        assert_eq!(reader.join().unwrap(), want);
    }
}
