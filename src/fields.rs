//! Lines and fields for sort, uniq, comm and join: GNU's blank field
//! separators, field splitting, and a buffered writer of whole lines that
//! keeps the first write error.

use crate::sys;
use std::io;
use std::os::fd::RawFd;

/// A field separator when none is given: blank, tab, or newline (which
/// only occurs inside a record with -z).
#[inline]
pub fn is_blank(c: u8) -> bool {
    c == b' ' || c == b'\t' || c == b'\n'
}

/// The rest of `line` after `n` fields, each a run of blanks followed by
/// a run of non-blanks (uniq -f).
pub fn skip_fields(line: &[u8], n: u64) -> &[u8] {
    let mut p = 0;
    let len = line.len();
    let mut left = n;
    while left > 0 && p < len {
        while p < len && is_blank(line[p]) {
            p += 1;
        }
        while p < len && !is_blank(line[p]) {
            p += 1;
        }
        left -= 1;
    }
    &line[p..]
}

/// Split `line` into fields as join does: at each `tab` byte, or (None)
/// at runs of blanks, leading and trailing blanks ignored. The fields are
/// stored as (start, end) offsets in `out`.
pub fn split(line: &[u8], tab: Option<u8>, out: &mut Vec<(usize, usize)>) {
    out.clear();
    match tab {
        Some(t) => {
            let mut start = 0;
            for i in memchr::memchr_iter(t, line) {
                out.push((start, i));
                start = i + 1;
            }
            out.push((start, line.len()));
        }
        None => {
            let mut p = 0;
            let len = line.len();
            loop {
                while p < len && is_blank(line[p]) {
                    p += 1;
                }
                if p == len {
                    return;
                }
                let s = p;
                while p < len && !is_blank(line[p]) {
                    p += 1;
                }
                out.push((s, p));
            }
        }
    }
}

const WBUF: usize = 128 * 1024;
/// Room past the buffered data for copies made in 16-byte steps.
const SLACK: usize = 64;

/// Bytes that must be readable after a slice given to
/// [`LineOut::write_at`] for its fast copy.
pub const READ_SLACK: usize = 16;

/// Buffered output for line-oriented tools: no terminal check or scan per
/// write, short lines copied without a call to memcpy; the first error is
/// kept and later writes are dropped.
pub struct LineOut {
    fd: RawFd,
    buf: Vec<u8>,
    pos: usize,
    err: Option<io::Error>,
    /// Whether the error came from a flush before the end.
    pub err_early: bool,
}

impl LineOut {
    pub fn new(fd: RawFd) -> LineOut {
        LineOut {
            fd,
            buf: vec![0; WBUF + SLACK],
            pos: 0,
            err: None,
            err_early: false,
        }
    }

    #[inline]
    pub fn write(&mut self, data: &[u8]) {
        if self.pos + data.len() > WBUF {
            self.flush_early();
            if data.len() > WBUF {
                self.raw(data);
                return;
            }
        }
        self.buf[self.pos..self.pos + data.len()].copy_from_slice(data);
        self.pos += data.len();
    }

    /// Write `src[start..start + len]`, copying 16 bytes at a time when
    /// `src` has [`READ_SLACK`] readable bytes after that range.
    #[inline]
    pub fn write_at(&mut self, src: &[u8], start: usize, len: usize) {
        if len > 256 || start + len + READ_SLACK > src.len() {
            self.write(&src[start..start + len]);
            return;
        }
        if self.pos + len > WBUF {
            self.flush_early();
        }
        let mut i = 0;
        while i < len {
            let (d, s) = (self.pos + i, start + i);
            self.buf[d..d + 16].copy_from_slice(&src[s..s + 16]);
            i += 16;
        }
        self.pos += len;
    }

    #[inline]
    pub fn byte(&mut self, b: u8) {
        if self.pos >= WBUF {
            self.flush_early();
        }
        self.buf[self.pos] = b;
        self.pos += 1;
    }

    /// `n` right-aligned in `width` columns.
    pub fn num(&mut self, n: u64, width: usize) {
        let mut b = [0u8; 20];
        let s = crate::io::fmt_u64(n, &mut b);
        for _ in s.len()..width {
            self.byte(b' ');
        }
        self.write(s);
    }

    pub fn failed(&self) -> bool {
        self.err.is_some()
    }

    fn raw(&mut self, data: &[u8]) {
        if self.err.is_none()
            && let Err(e) = sys::write_all(self.fd, data)
        {
            self.err = Some(e);
            self.err_early = true;
        }
    }

    fn flush_early(&mut self) {
        let b = std::mem::take(&mut self.buf);
        self.raw(&b[..self.pos]);
        self.buf = b;
        self.pos = 0;
    }

    /// Flush what is left; the first error, if any.
    pub fn finish(&mut self) -> Option<io::Error> {
        if self.err.is_none()
            && self.pos > 0
            && let Err(e) = sys::write_all(self.fd, &self.buf[..self.pos])
        {
            self.err = Some(e);
        }
        self.pos = 0;
        self.err.take()
    }

    /// Flush and report an error as `applet: write error: reason`; the
    /// status, made 1 when writing failed.
    pub fn done(mut self, status: i32) -> i32 {
        match self.finish() {
            Some(e) => {
                crate::msg!("write error: ", e);
                if status == 0 { 1 } else { status }
            }
            None => status,
        }
    }
}

/// Byte equality, 8 bytes at a time (no call for short slices).
#[inline]
pub fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i + 8 <= a.len() {
        if a[i..i + 8] != b[i..i + 8] {
            return false;
        }
        i += 8;
    }
    a[i..].iter().zip(&b[i..]).all(|(x, y)| x == y)
}

/// The first `eol` in `buf[from..]`: a word at a time for the first 16
/// bytes (lines are often short), then memchr.
#[inline]
pub fn find_eol(buf: &[u8], from: usize, eol: u8) -> Option<usize> {
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    let pat = LO * u64::from(eol);
    let mut p = from;
    for _ in 0..2 {
        let Some(w) = buf.get(p..p + 8) else {
            break;
        };
        let mut a = [0u8; 8];
        a.copy_from_slice(w);
        let x = u64::from_le_bytes(a) ^ pat;
        let t = x.wrapping_sub(LO) & !x & HI;
        if t != 0 {
            return Some(p + (t.trailing_zeros() / 8) as usize);
        }
        p += 8;
    }
    memchr::memchr(eol, buf.get(p..)?).map(|i| p + i)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skips_fields() {
        assert_eq!(skip_fields(b"  a b\tc", 1), b" b\tc");
        assert_eq!(skip_fields(b"a b", 5), b"");
        assert_eq!(skip_fields(b"a b", 0), b"a b");
    }

    #[test]
    fn splits_fields() {
        let mut v = Vec::new();
        split(b"  a  b ", None, &mut v);
        assert_eq!(v, vec![(2, 3), (5, 6)]);
        split(b",a,", Some(b','), &mut v);
        assert_eq!(v, vec![(0, 0), (1, 2), (3, 3)]);
    }

    #[test]
    fn finds_line_ends() {
        let b = b"abc\ndefghijklmnopqrstuvwxyz\nxyz";
        assert_eq!(find_eol(b, 0, b'\n'), Some(3));
        assert_eq!(find_eol(b, 4, b'\n'), Some(27));
        assert_eq!(find_eol(b, 28, b'\n'), None);
        assert_eq!(find_eol(b, 31, b'\n'), None);
        assert!(same_bytes(b"0123456789", b"0123456789"));
        assert!(!same_bytes(b"0123456789", b"0123456788"));
    }
}
