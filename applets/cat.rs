//! cat: concatenate files to standard output. Without formatting options
//! the copy is done by the kernel (copy_file_range/sendfile); `-n -b -s -v
//! -E -T` (and `-A -e -t`) format the stream, with line numbers, squeezing
//! and pending `\r` carried across files as GNU does. Formatted output is
//! written after every read, so a slow pipe is not held back; `-u` is
//! accepted and ignored.

use ibex::Status;
use ibex::args::{Parser, Spec, flag};
use ibex::io::{CopyError, Input, Out, copy_fd};
use ibex::sys;
use std::ffi::{OsStr, OsString};
use std::os::unix::ffi::OsStrExt;

const LONGS: &[ibex::args::Long] = &[
    flag("show-all", 'A' as u32),
    flag("number-nonblank", 'b' as u32),
    flag("show-ends", 'E' as u32),
    flag("number", 'n' as u32),
    flag("squeeze-blank", 's' as u32),
    flag("show-tabs", 'T' as u32),
    flag("show-nonprinting", 'v' as u32),
];

const SPEC: Spec = Spec::new(
    "AbeEnstTuv",
    LONGS,
    ibex::usage!(
        cat,
        "cat [-nbvteAEsTu] [FILE]...\n\n\
         Concatenate FILEs (or standard input, for - or none) to standard output\n\n\
         \t-n\tNumber output lines (--number)\n\
         \t-b\tNumber nonempty lines (--number-nonblank)\n\
         \t-s\tSqueeze repeated empty lines (--squeeze-blank)\n\
         \t-v\tShow nonprinting characters as ^x or M-x (--show-nonprinting)\n\
         \t-E\tShow $ at the end of each line (--show-ends)\n\
         \t-T\tShow tabs as ^I (--show-tabs)\n\
         \t-A\tSame as -vET (--show-all)\n\
         \t-e\tSame as -vE\n\
         \t-t\tSame as -vT\n\
         \t-u\tIgnored"
    ),
);

#[derive(Default)]
struct Opts {
    number: bool,
    nonblank: bool,
    squeeze: bool,
    nonprint: bool,
    ends: bool,
    tabs: bool,
}

impl Opts {
    fn plain(&self) -> bool {
        !(self.number || self.nonblank || self.squeeze || self.nonprint || self.ends || self.tabs)
    }
}

/// Formatting state carried from one file to the next.
struct State {
    line: LineNo,
    at_start: bool,
    /// Empty lines seen in a row just before this point.
    blanks: u32,
    /// A `\r` held back under -E, to be shown as `^M` if a newline follows.
    cr: bool,
}

pub fn main(argv: &[OsString]) -> Status {
    let mut o = Opts::default();
    let mut p = Parser::new(argv, &SPEC);
    while let Some((id, _)) = p.next()? {
        match char::from_u32(id).unwrap_or('\0') {
            'A' => {
                o.nonprint = true;
                o.ends = true;
                o.tabs = true;
            }
            'b' => o.nonblank = true,
            'e' => {
                o.nonprint = true;
                o.ends = true;
            }
            'E' => o.ends = true,
            'n' => o.number = true,
            's' => o.squeeze = true,
            't' => {
                o.nonprint = true;
                o.tabs = true;
            }
            'T' => o.tabs = true,
            'v' => o.nonprint = true,
            _ => {} // -u
        }
    }
    if o.nonblank {
        o.number = false;
    }
    let mut files = p.operands();
    let dash = OsStr::new("-");
    if files.is_empty() {
        files.push(dash);
    }
    // Where output goes, to refuse copying a file into itself.
    let out_id = sys::fstat(1).ok().filter(|s| s.is_reg());
    let mut out = Out::stdout();
    let mut st = State {
        line: LineNo::new(),
        at_start: true,
        blanks: 0,
        cr: false,
    };
    let mut status = 0;
    let mut buf: Vec<u8> = Vec::new();
    // Formatted output of one read.
    let mut ob = Sink::default();
    let table = if o.nonprint || o.tabs {
        Some(show_table(&o))
    } else {
        None
    };
    for name in files {
        let name = name.as_bytes();
        let input = match Input::open(name) {
            Ok(i) => i,
            Err(e) => {
                ibex::error::io_error(name, &e);
                status = 1;
                continue;
            }
        };
        let fd = input.fd();
        if let (Some(os), Ok(is)) = (&out_id, sys::fstat(fd))
            && is.same_file(os)
            && sys::lseek(fd, 0, sys::SEEK_CUR).unwrap_or(0) < is.size
        {
            ibex::msg!(name, ": input file is output file");
            status = 1;
            continue;
        }
        if o.plain() {
            if !out.flush() {
                break;
            }
            match copy_fd(fd, 1) {
                Ok(_) => {}
                Err(CopyError::Read(e)) => {
                    ibex::error::io_error(name, &e);
                    status = 1;
                }
                Err(CopyError::Write(e)) => {
                    ibex::msg!("write error: ", e);
                    return Ok(1);
                }
            }
            continue;
        }
        if buf.is_empty() {
            buf = vec![0; 128 * 1024];
        }
        loop {
            let n = match sys::read(fd, &mut buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) => {
                    ibex::error::io_error(name, &e);
                    status = 1;
                    break;
                }
            };
            ob.pos = 0;
            format(&buf[..n], &o, table.as_deref(), &mut st, &mut ob);
            out.write(ob.done());
            if !out.flush() {
                return out.done(1);
            }
        }
    }
    if st.cr {
        ob.pos = 0;
        put(b"\r", table.as_deref(), &mut ob);
        out.write(ob.done());
    }
    out.done(status)
}

/// A line number kept as text ("%6d\t"), incremented in place.
struct LineNo {
    /// The text ends at index 23 (the tab); the rest is slack so that the
    /// text can be copied as one 16-byte move.
    buf: [u8; 40],
    start: usize,
}

impl LineNo {
    fn new() -> LineNo {
        let mut buf = [b' '; 40];
        buf[23] = b'\t';
        buf[22] = b'0';
        LineNo { buf, start: 17 }
    }

    fn next(&mut self) {
        let mut i = 22;
        loop {
            match self.buf[i] {
                b'9' => {
                    self.buf[i] = b'0';
                    if i == 0 {
                        break;
                    }
                    i -= 1;
                }
                b' ' => {
                    self.buf[i] = b'1';
                    break;
                }
                c => {
                    self.buf[i] = c + 1;
                    break;
                }
            }
        }
        self.start = self.start.min(i);
    }
}

/// The formatted output of one read: a buffer written by index (fast
/// without inlining-heavy Vec calls).
#[derive(Default)]
struct Sink {
    buf: Vec<u8>,
    pos: usize,
}

impl Sink {
    /// Make room for `n` more bytes.
    #[inline(always)]
    fn room(&mut self, n: usize) {
        if self.pos + n > self.buf.len() {
            let want = (self.pos + n).max(2 * self.buf.len()).max(256 * 1024);
            self.buf.resize(want, 0);
        }
    }

    #[inline(always)]
    fn put(&mut self, s: &[u8]) {
        self.room(s.len());
        self.buf[self.pos..self.pos + s.len()].copy_from_slice(s);
        self.pos += s.len();
    }

    /// Copy `src[at..at + n]`. Short spans are copied in 16-byte moves
    /// (reading past the span where `src` goes on) instead of memcpy calls,
    /// which are slow for a few bytes.
    #[inline(always)]
    fn put_from(&mut self, src: &[u8], at: usize, n: usize) {
        self.room(n + 16);
        let mut i = 0;
        while i < n {
            let s: Option<&[u8; 16]> = src.get(at + i..at + i + 16).and_then(|s| s.try_into().ok());
            let d: Option<&mut [u8; 16]> = self
                .buf
                .get_mut(self.pos + i..self.pos + i + 16)
                .and_then(|d| d.try_into().ok());
            match (s, d) {
                (Some(s), Some(d)) => *d = *s,
                _ => {
                    let rest = &src[at + i..at + n];
                    self.buf[self.pos + i..self.pos + n].copy_from_slice(rest);
                    break;
                }
            }
            i += 16;
        }
        self.pos += n;
    }

    #[inline(always)]
    fn put_number(&mut self, l: &LineNo) {
        let n = 24 - l.start;
        if n <= 16 {
            self.put_from(&l.buf, l.start, n);
        } else {
            self.put(&l.buf[l.start..24]);
        }
    }

    fn done(&self) -> &[u8] {
        &self.buf[..self.pos]
    }
}

/// How each byte is shown under -v/-T: up to 4 bytes, and how many.
type Shown = [([u8; 4], u8); 256];

fn show_table(o: &Opts) -> Box<Shown> {
    let mut t = Box::new([([0u8; 4], 1u8); 256]);
    for (b, slot) in t.iter_mut().enumerate() {
        let b = b as u8;
        let mut r = Vec::with_capacity(4);
        let mut c = b;
        if b == b'\t' {
            if o.tabs {
                r.extend_from_slice(b"^I");
            } else {
                r.push(b);
            }
        } else if !o.nonprint {
            r.push(b);
        } else {
            if c >= 128 {
                r.extend_from_slice(b"M-");
                c -= 128;
            }
            match c {
                0..=31 => r.extend_from_slice(&[b'^', c + 64]),
                127 => r.extend_from_slice(b"^?"),
                _ => r.push(c),
            }
        }
        slot.0[..r.len()].copy_from_slice(&r);
        slot.1 = r.len() as u8;
    }
    t
}

/// Append `data` to `ob` with the formatting options applied, continuing `st`.
fn format(data: &[u8], o: &Opts, table: Option<&Shown>, st: &mut State, ob: &mut Sink) {
    if let Some(t) = table
        && o.nonprint
    {
        return format_v(data, o, t, st, ob);
    }
    let mut at = 0;
    while at < data.len() {
        let rest = &data[at..];
        let nl = memchr::memchr(b'\n', rest);
        let (len, has_nl) = match nl {
            Some(i) => (i, true),
            None => (rest.len(), false),
        };
        let start = at;
        at += len + usize::from(has_nl);
        if st.at_start {
            if len == 0 && has_nl {
                // An empty line (a partial line cannot be empty here).
                st.blanks += 1;
                if o.squeeze && st.blanks > 1 {
                    continue;
                }
                if o.number {
                    st.line.next();
                    ob.put_number(&st.line);
                }
                end_line(o, st, ob);
                continue;
            }
            st.blanks = 0;
            if o.number || o.nonblank {
                st.line.next();
                ob.put_number(&st.line);
            }
        } else if len > 0 {
            st.blanks = 0;
            if st.cr {
                // The held `\r` did not end the line: show it as it is.
                st.cr = false;
                put(b"\r", table, ob);
            }
        }
        let mut len = len;
        if o.ends && len > 0 && data[start + len - 1] == b'\r' {
            len -= 1;
            st.cr = true;
        }
        match table {
            Some(_) => put(&data[start..start + len], table, ob),
            None => ob.put_from(data, start, len),
        }
        if has_nl {
            end_line(o, st, ob);
        } else {
            st.at_start = false;
        }
    }
}

/// `format` for -v: one pass finds the newlines and converts the bytes.
/// (A `\r` needs no holding back: -v shows it as `^M` anyway.)
fn format_v(data: &[u8], o: &Opts, t: &Shown, st: &mut State, ob: &mut Sink) {
    let mut at = 0;
    while at < data.len() {
        if st.at_start {
            if data[at] == b'\n' {
                at += 1;
                st.blanks += 1;
                if o.squeeze && st.blanks > 1 {
                    continue;
                }
                if o.number {
                    st.line.next();
                    ob.put_number(&st.line);
                }
                end_line(o, st, ob);
                continue;
            }
            st.blanks = 0;
            if o.number || o.nonblank {
                st.line.next();
                ob.put_number(&st.line);
            }
        }
        let (n, nl) = scan_line(&data[at..], t, ob);
        at += n;
        if nl {
            at += 1;
            end_line(o, st, ob);
        } else {
            st.at_start = false;
        }
    }
}

/// Convert bytes up to the next newline; returns how many were used and
/// whether the newline was found.
fn scan_line(s: &[u8], t: &Shown, ob: &mut Sink) -> (usize, bool) {
    ob.room(s.len() * 4 + 8);
    let out = &mut ob.buf[ob.pos..];
    let mut p = 0;
    let mut i = 0;
    let mut nl = false;
    while i < s.len() {
        // Runs of printable text are copied eight bytes at a time.
        if let Some(chunk) = s.get(i..i + 8).and_then(|c| <&[u8; 8]>::try_from(c).ok())
            && printable8(u64::from_le_bytes(*chunk))
            && let Some(dst) = out
                .get_mut(p..p + 8)
                .and_then(|d| <&mut [u8; 8]>::try_from(d).ok())
        {
            *dst = *chunk;
            p += 8;
            i += 8;
            continue;
        }
        let c = s[i];
        if c == b'\n' {
            nl = true;
            break;
        }
        let (r, n) = t[c as usize];
        if let Some(dst) = out.get_mut(p..p + 4) {
            dst[0] = r[0];
            dst[1] = r[1];
            dst[2] = r[2];
            dst[3] = r[3];
        }
        p += n as usize;
        i += 1;
    }
    ob.pos += p;
    (i, nl)
}

#[inline(always)]
fn end_line(o: &Opts, st: &mut State, ob: &mut Sink) {
    if st.cr {
        st.cr = false;
        ob.put(b"^M");
    }
    ob.room(2);
    if o.ends {
        ob.buf[ob.pos] = b'$';
        ob.pos += 1;
    }
    ob.buf[ob.pos] = b'\n';
    ob.pos += 1;
    st.at_start = true;
}

/// Are all 8 bytes printable ASCII (0x20..=0x7e)? May say no for some
/// that are (a carry across bytes), never yes for some that are not.
#[inline(always)]
fn printable8(x: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let below = x.wrapping_sub(ONES * 0x20) & !x & HIGH;
    let above = (x.wrapping_add(ONES) | x) & HIGH;
    below | above == 0
}

/// Line content without its newline, with -v and -T applied.
fn put(s: &[u8], table: Option<&Shown>, ob: &mut Sink) {
    let Some(t) = table else {
        ob.put(s);
        return;
    };
    ob.room(s.len() * 4 + 8);
    let out = &mut ob.buf[ob.pos..];
    let mut p = 0;
    let mut i = 0;
    while i < s.len() {
        // Runs of printable text are copied eight bytes at a time.
        if let Some(chunk) = s.get(i..i + 8).and_then(|c| <&[u8; 8]>::try_from(c).ok())
            && printable8(u64::from_le_bytes(*chunk))
            && let Some(dst) = out
                .get_mut(p..p + 8)
                .and_then(|d| <&mut [u8; 8]>::try_from(d).ok())
        {
            *dst = *chunk;
            p += 8;
            i += 8;
            continue;
        }
        let (r, n) = t[s[i] as usize];
        if let Some(dst) = out.get_mut(p..p + 4) {
            dst[0] = r[0];
            dst[1] = r[1];
            dst[2] = r[2];
            dst[3] = r[3];
        }
        p += n as usize;
        i += 1;
    }
    ob.pos += p;
}
