//! wc: count lines, words, characters and bytes, and the longest line's
//! display width. Columns are right-aligned to one width computed the way
//! GNU does (from the sizes of the regular files named, at least 7 when one
//! is not a regular file, 1 for a single column of a single input). `-m`
//! counts UTF-8 characters whatever the locale, as BusyBox and toybox do
//! (bytes not in a valid sequence are not characters); `-w` and `-L` use
//! Unicode spaces and widths when LC_ALL/LC_CTYPE/LANG names a UTF-8
//! locale (or with `-m`). `--files0-from`, `--total=auto|always|only|never`.
//! `wc -l` counts newlines with a vectorised memchr count.

use ibex::Status;
use ibex::args::{Parser, Spec, flag, value};
use ibex::io::Out;
use ibex::sys;
use std::ffi::{OsStr, OsString};
use std::io;
use std::os::unix::ffi::OsStrExt;

const FILES0: u32 = 300;
const TOTAL: u32 = 301;

const LONGS: &[ibex::args::Long] = &[
    flag("bytes", 'c' as u32),
    flag("chars", 'm' as u32),
    value("files0-from", FILES0),
    flag("lines", 'l' as u32),
    flag("max-line-length", 'L' as u32),
    value("total", TOTAL),
    flag("words", 'w' as u32),
];

const SPEC: Spec = Spec::new(
    "clLmw",
    LONGS,
    ibex::usage!(
        wc,
        "wc [-cmlwL] [FILE]...\n\n\
         Count lines, words, and bytes for FILEs (or standard input)\n\n\
         \t-c\tCount bytes (--bytes)\n\
         \t-m\tCount characters (--chars)\n\
         \t-l\tCount newlines (--lines)\n\
         \t-L\tPrint longest line length (--max-line-length)\n\
         \t-w\tCount words (--words)\n\
         \t--files0-from=F\tRead NUL-terminated file names from F (- for stdin)\n\
         \t--total=WHEN\tPrint a total line: auto, always, only, never"
    ),
);

const BUF: usize = 128 * 1024;

#[derive(Clone, Copy, PartialEq)]
enum Total {
    Auto,
    Always,
    Only,
    Never,
}

#[derive(Clone, Copy, Default)]
struct Want {
    lines: bool,
    words: bool,
    chars: bool,
    bytes: bool,
    longest: bool,
}

#[derive(Clone, Copy, Default)]
struct Counts {
    lines: u64,
    words: u64,
    chars: u64,
    bytes: u64,
    longest: u64,
}

pub fn main(argv: &[OsString]) -> Status {
    let mut w = Want::default();
    let mut total = Total::Auto;
    let mut files0: Option<&OsStr> = None;
    let mut p = Parser::new(argv, &SPEC);
    while let Some((id, v)) = p.next()? {
        match id {
            FILES0 => files0 = v,
            TOTAL => total = total_mode(v.unwrap_or_default())?,
            _ => match char::from_u32(id).unwrap_or('\0') {
                'c' => w.bytes = true,
                'm' => w.chars = true,
                'l' => w.lines = true,
                'L' => w.longest = true,
                _ => w.words = true,
            },
        }
    }
    if !(w.lines || w.words || w.chars || w.bytes || w.longest) {
        w.lines = true;
        w.words = true;
        w.bytes = true;
    }
    let operands = p.operands();
    let mut status = 0;
    // The names, and whether they can be stat'ed for the width up front.
    let mut names: Vec<Vec<u8>> = Vec::new();
    let mut no_operand = false;
    let mut list_streamed = false;
    let mut list_name: &[u8] = b"";
    if let Some(f) = files0 {
        if let Some(extra) = operands.first() {
            let mut m = b"extra operand '".to_vec();
            m.extend_from_slice(extra.as_bytes());
            m.extend_from_slice(b"'\nfile operands cannot be combined with --files0-from");
            return Err(ibex::args::usage_error(&SPEC, &[&m]));
        }
        list_name = f.as_bytes();
        let (data, streamed) = match read_list(list_name) {
            Ok(d) => d,
            Err(e) => {
                ibex::msg!("cannot open '", list_name, "' for reading: ", e);
                return Ok(1);
            }
        };
        list_streamed = streamed;
        let body = data.strip_suffix(b"\0").unwrap_or(&data);
        if !data.is_empty() {
            names = body.split(|&b| b == 0).map(<[u8]>::to_vec).collect();
        }
    } else if operands.is_empty() {
        names.push(b"-".to_vec());
        no_operand = true;
    } else {
        names = operands.iter().map(|o| o.as_bytes().to_vec()).collect();
    }
    let columns = [w.lines, w.words, w.chars, w.bytes, w.longest]
        .iter()
        .filter(|&&b| b)
        .count();
    let width = if total == Total::Only || list_streamed || (names.len() == 1 && columns == 1) {
        1
    } else {
        number_width(&names)
    };
    let utf8 = w.chars || ((w.words || w.longest) && ibex::sys::utf8_locale());
    let mut out = Out::stdout();
    let mut sum = Counts::default();
    let mut buf = vec![0u8; BUF];
    for (i, name) in names.iter().enumerate() {
        if files0.is_some() {
            if name.is_empty() {
                ibex::msg!(list_name, ":", i + 1, ": invalid zero-length file name");
                status = 1;
                continue;
            }
            if name == b"-" && list_name == b"-" {
                ibex::msg!("when reading file names from stdin, no file name of '-' allowed");
                status = 1;
                continue;
            }
        }
        let input = match ibex::io::Input::open(name) {
            Ok(i) => i,
            Err(e) => {
                ibex::error::io_error(name.as_slice(), &e);
                status = 1;
                continue;
            }
        };
        let mut c = Counts::default();
        if let Err(e) = count(input.fd(), w, utf8, &mut buf, &mut c) {
            ibex::error::io_error(name.as_slice(), &e);
            status = 1;
        }
        drop(input);
        sum.lines += c.lines;
        sum.words += c.words;
        sum.chars += c.chars;
        sum.bytes += c.bytes;
        sum.longest = sum.longest.max(c.longest);
        if total != Total::Only {
            let shown = if no_operand {
                None
            } else {
                Some(name.as_slice())
            };
            line(&mut out, &c, w, width, shown);
        }
        if out.failed() {
            break;
        }
    }
    let show_total = match total {
        Total::Auto => names.len() > 1,
        Total::Always => true,
        Total::Only => true,
        Total::Never => false,
    };
    if show_total {
        let label: Option<&[u8]> = (total != Total::Only).then_some(b"total");
        line(&mut out, &sum, w, width, label);
    }
    out.done(status)
}

fn total_mode(v: &OsStr) -> Result<Total, ibex::Exit> {
    let b = v.as_bytes();
    let modes = [
        ("auto", Total::Auto),
        ("always", Total::Always),
        ("only", Total::Only),
        ("never", Total::Never),
    ];
    let hits: Vec<_> = modes
        .iter()
        .filter(|(n, _)| !b.is_empty() && n.as_bytes().starts_with(b))
        .collect();
    match hits.as_slice() {
        [(_, t)] => Ok(*t),
        _ => {
            let what = if hits.is_empty() {
                "invalid"
            } else {
                "ambiguous"
            };
            let mut m = what.as_bytes().to_vec();
            m.extend_from_slice(b" argument '");
            m.extend_from_slice(b);
            m.extend_from_slice(
                b"' for '--total'\nValid arguments are:\n  - 'auto'\n  - 'always'\n  - 'only'\n  - 'never'",
            );
            Err(ibex::args::usage_error(&SPEC, &[&m]))
        }
    }
}

/// The file-name list of --files0-from, and whether it came from something
/// other than a regular file (then GNU prints without alignment).
fn read_list(name: &[u8]) -> io::Result<(Vec<u8>, bool)> {
    let input = ibex::io::Input::open(name)?;
    let fd = input.fd();
    let regular = sys::fstat(fd).is_ok_and(|s| s.is_reg());
    Ok((ibex::io::read_all(fd)?, !regular))
}

/// GNU's width: digits of the total size of the regular files, at least 7
/// when any input is not a regular file; inputs that cannot be stat'ed are
/// left out.
fn number_width(names: &[Vec<u8>]) -> usize {
    let mut min = 1;
    let mut size = 0u64;
    for n in names {
        let st = if n == b"-" {
            sys::fstat(0)
        } else {
            sys::stat(n)
        };
        match st {
            Ok(s) if s.is_reg() => size = size.saturating_add(s.size),
            Ok(_) => min = 7,
            Err(_) => {}
        }
    }
    let mut digits = 1;
    while size >= 10 {
        size /= 10;
        digits += 1;
    }
    digits.max(min)
}

fn line(out: &mut Out, c: &Counts, w: Want, width: usize, name: Option<&[u8]>) {
    let mut first = true;
    let cols = [
        (w.lines, c.lines),
        (w.words, c.words),
        (w.chars, c.chars),
        (w.bytes, c.bytes),
        (w.longest, c.longest),
    ];
    for (on, n) in cols {
        if !on {
            continue;
        }
        if !first {
            out.byte(b' ');
        }
        first = false;
        out.num_width(n, width);
    }
    if let Some(name) = name {
        out.byte(b' ');
        out.write(name);
    }
    out.byte(b'\n');
}

/// Lines and bytes of a big regular file, its parts read and counted by
/// one process per CPU (up to 4): reading is the kernel copying the page
/// cache, and one core alone is bound by it. Forked children, not threads:
/// std's thread machinery would add ~20 KB to the binary. None when not
/// worth it.
fn parallel_lines(fd: i32) -> io::Result<Option<(u64, u64)>> {
    const MIN: u64 = 32 << 20;
    let Ok(st) = sys::fstat(fd) else {
        return Ok(None);
    };
    let Ok(start) = sys::lseek(fd, 0, sys::SEEK_CUR) else {
        return Ok(None);
    };
    if !st.is_reg() || st.size < start.saturating_add(MIN) {
        return Ok(None);
    }
    let parts = sys::affinity_cpus().unwrap_or(1).min(4);
    if parts < 2 {
        return Ok(None);
    }
    let len = (st.size - start).div_ceil(parts);
    let range = |i: u64| (start + i * len, (start + (i + 1) * len).min(st.size));
    // Parts 1.. in children, each answering on a pipe; a part whose child
    // could not be started is counted here.
    let mut children = Vec::new();
    let mut here = vec![0];
    for i in 1..parts {
        let (from, end) = range(i);
        let Ok((r, w)) = sys::pipe() else {
            here.push(i);
            continue;
        };
        match sys::fork() {
            Ok(0) => {
                drop(r);
                let mut msg = [0u8; 17];
                match count_part(fd, from, end) {
                    Ok((l, b)) => {
                        msg[1..9].copy_from_slice(&l.to_le_bytes());
                        msg[9..].copy_from_slice(&b.to_le_bytes());
                    }
                    Err(e) => msg[0] = e.raw_os_error().unwrap_or(libc::EIO).clamp(1, 255) as u8,
                }
                let _ = sys::write_all(std::os::fd::AsRawFd::as_raw_fd(&w), &msg);
                sys::exit_now(0);
            }
            Ok(pid) => children.push((pid, r)),
            Err(_) => here.push(i),
        }
    }
    let (mut lines, mut bytes, mut error) = (0, 0, None);
    for i in here {
        let (from, end) = range(i);
        match count_part(fd, from, end) {
            Ok((l, b)) => (lines, bytes) = (lines + l, bytes + b),
            Err(e) => error = Some(e),
        }
    }
    for (pid, r) in children {
        let mut msg = [0u8; 17];
        let got = sys::read(std::os::fd::AsRawFd::as_raw_fd(&r), &mut msg);
        let _ = sys::waitpid(pid, 0, false);
        match got {
            Ok(17) if msg[0] == 0 => {
                let num = |b: &[u8]| u64::from_le_bytes(b.try_into().unwrap_or([0; 8]));
                lines += num(&msg[1..9]);
                bytes += num(&msg[9..]);
            }
            Ok(17) => error = Some(io::Error::from_raw_os_error(i32::from(msg[0]))),
            _ => error = Some(io::Error::from_raw_os_error(libc::EIO)),
        }
    }
    if let Some(e) = error {
        return Err(e);
    }
    // Leave the offset where reading it would have (`(wc; cat) < file`).
    let _ = sys::lseek(fd, (start + bytes) as i64, sys::SEEK_SET);
    Ok(Some((lines, bytes)))
}

/// Newlines and bytes from `from` up to `end` (or an earlier end of file).
fn count_part(fd: i32, from: u64, end: u64) -> io::Result<(u64, u64)> {
    let mut buf = vec![0u8; BUF];
    let (mut lines, mut at) = (0u64, from);
    while at < end {
        let want = (end - at).min(BUF as u64) as usize;
        let n = sys::pread(fd, &mut buf[..want], at)?;
        if n == 0 {
            break; // the file shrank
        }
        lines += sys::count_byte(&buf[..n], b'\n') as u64;
        at += n as u64;
    }
    Ok((lines, at - from))
}

/// Count one input. Counts gathered before a read error are kept.
fn count(fd: i32, w: Want, utf8: bool, buf: &mut [u8], c: &mut Counts) -> io::Result<()> {
    let chars_are_bytes = w.chars && !utf8;
    let need_scan = w.words || w.longest || (w.chars && utf8);
    if !need_scan && !w.lines {
        // Bytes only: the size of a regular file, without reading it.
        if let Ok(st) = sys::fstat(fd)
            && st.is_reg()
            && st.size > 0
            && let Ok(pos) = sys::lseek(fd, 0, sys::SEEK_CUR)
            && pos <= st.size
            && sys::lseek(fd, st.size as i64, sys::SEEK_SET).is_ok()
        {
            c.bytes = st.size - pos;
        }
    }
    if !need_scan {
        if let Some((lines, bytes)) = parallel_lines(fd)? {
            c.lines += lines;
            c.bytes += bytes;
            if chars_are_bytes {
                c.chars = c.bytes;
            }
            return Ok(());
        }
        loop {
            let n = sys::read(fd, buf)?;
            if n == 0 {
                break;
            }
            c.bytes += n as u64;
            if w.lines {
                c.lines += sys::count_byte(&buf[..n], b'\n') as u64;
            }
        }
        if chars_are_bytes {
            c.chars = c.bytes;
        }
        return Ok(());
    }
    let mut s = Scan::default();
    let r = loop {
        let n = match sys::read(fd, buf) {
            Ok(0) => break Ok(()),
            Ok(n) => n,
            Err(e) => break Err(e),
        };
        c.bytes += n as u64;
        if utf8 {
            s.utf8(&buf[..n]);
        } else {
            s.bytes(&buf[..n]);
        }
    };
    s.finish();
    c.lines = s.lines;
    c.words = s.words;
    c.chars = if utf8 { s.chars } else { c.bytes };
    c.longest = s.longest;
    r
}

/// Byte classes in the C locale.
const SPACE: u8 = 1;
const PRINT: u8 = 2;
const NEWLINE: u8 = 3;
const TAB: u8 = 4;
/// `\r` and `\f` go back to column 0.
const RESET: u8 = 5;
const OTHER: u8 = 0;

const fn class_table() -> [u8; 256] {
    let mut t = [OTHER; 256];
    let mut i = 0x21;
    while i < 0x7f {
        t[i] = PRINT;
        i += 1;
    }
    t[b' ' as usize] = SPACE;
    t[b'\n' as usize] = NEWLINE;
    t[b'\t' as usize] = TAB;
    t[b'\r' as usize] = RESET;
    t[0x0c] = RESET;
    t[0x0b] = SPACE;
    t
}

static CLASS: [u8; 256] = class_table();

#[derive(Default)]
struct Scan {
    lines: u64,
    words: u64,
    chars: u64,
    longest: u64,
    col: u64,
    in_word: bool,
    /// A partial UTF-8 sequence carried to the next buffer.
    pend: [u8; 4],
    npend: usize,
}

impl Scan {
    fn finish(&mut self) {
        self.longest = self.longest.max(self.col);
    }

    fn bytes(&mut self, data: &[u8]) {
        for &b in data {
            match CLASS[b as usize] {
                PRINT => {
                    if !self.in_word {
                        self.in_word = true;
                        self.words += 1;
                    }
                    self.col += 1;
                }
                SPACE => {
                    self.in_word = false;
                    if b == b' ' {
                        self.col += 1;
                    }
                }
                NEWLINE => {
                    self.in_word = false;
                    self.lines += 1;
                    self.longest = self.longest.max(self.col);
                    self.col = 0;
                }
                TAB => {
                    self.in_word = false;
                    self.col = (self.col | 7) + 1;
                }
                RESET => {
                    self.in_word = false;
                    self.longest = self.longest.max(self.col);
                    self.col = 0;
                }
                _ => {}
            }
        }
    }

    fn utf8(&mut self, mut data: &[u8]) {
        // Complete a sequence split by the previous read.
        while self.npend > 0 {
            let Some((&b, rest)) = data.split_first() else {
                return;
            };
            if b & 0xc0 != 0x80 {
                // Broken sequence: its bytes are not characters.
                self.npend = 0;
                break;
            }
            self.pend[self.npend] = b;
            self.npend += 1;
            data = rest;
            let want = seq_len(self.pend[0]);
            if self.npend == want {
                let pend = self.pend;
                let n = self.npend;
                self.npend = 0;
                self.utf8_run(&pend[..n], false);
            }
        }
        self.utf8_run(data, true);
    }

    fn utf8_run(&mut self, data: &[u8], keep_tail: bool) {
        let mut i = 0;
        while i < data.len() {
            let b = data[i];
            if b < 0x80 {
                let end = data[i..]
                    .iter()
                    .position(|&c| c >= 0x80)
                    .map_or(data.len(), |p| i + p);
                self.chars += (end - i) as u64;
                self.bytes(&data[i..end]);
                i = end;
                continue;
            }
            let len = seq_len(b);
            if len == 0 {
                i += 1;
                continue;
            }
            if i + len > data.len() {
                let tail = &data[i..];
                if keep_tail && tail[1..].iter().all(|&c| c & 0xc0 == 0x80) {
                    self.pend[..tail.len()].copy_from_slice(tail);
                    self.npend = tail.len();
                }
                return;
            }
            match std::str::from_utf8(&data[i..i + len])
                .ok()
                .and_then(|s| s.chars().next())
            {
                Some(ch) => {
                    self.chars += 1;
                    self.wide(ch as u32);
                    i += len;
                }
                None => i += 1,
            }
        }
    }

    /// A non-ASCII character: a word separator, printable (with its
    /// display width) or neither.
    fn wide(&mut self, ch: u32) {
        // GNU also separates words at the no-break spaces.
        if sys::wide_is_space(ch) || matches!(ch, 0xa0 | 0x2007 | 0x202f | 0x2060) {
            self.in_word = false;
            self.col += sys::wide_width(ch).max(0) as u64;
            return;
        }
        if sys::wide_is_print(ch) {
            if !self.in_word {
                self.in_word = true;
                self.words += 1;
            }
            self.col += sys::wide_width(ch).max(0) as u64;
        }
    }
}

/// Length of a UTF-8 sequence from its first byte; 0 if not a lead byte.
fn seq_len(b: u8) -> usize {
    match b {
        0xc2..=0xdf => 2,
        0xe0..=0xef => 3,
        0xf0..=0xf4 => 4,
        _ => 0,
    }
}
