//! cmp: compare two files byte by byte, as GNU cmp. The first difference
//! (`a b differ: char 3, line 1`, POSIX and BusyBox wording), `-b` with the differing bytes, `-l`
//! every difference (offset and octal values), `-s` status only, `-n
//! LIMIT`, `-i SKIP[:SKIP2]` or SKIP operands (0x hex, leading-0 octal,
//! K/KB/KiB... suffixes). A shorter file gets `cmp: EOF on a after byte 3,
//! line 1` on stderr. Exit 0 same, 1 different, 2 trouble.

use ibex::Status;
use ibex::args::{Parser, Spec, flag, value};
use ibex::dump::{SizeError, parse_count};
use ibex::io::{Input, Out};
use ibex::sys;
use std::ffi::{OsStr, OsString};
use std::os::unix::ffi::OsStrExt;

const LONGS: &[ibex::args::Long] = &[
    flag("print-bytes", 'b' as u32),
    value("ignore-initial", 'i' as u32),
    flag("verbose", 'l' as u32),
    value("bytes", 'n' as u32),
    flag("quiet", 's' as u32),
    flag("silent", 's' as u32),
];

const SPEC: Spec = Spec::new(
    "bi:ln:s",
    LONGS,
    ibex::usage!(
        cmp,
        "cmp [-bls] [-i SKIP1[:SKIP2]] [-n LIMIT] FILE1 [FILE2 [SKIP1 [SKIP2]]]\n\n\
         Compare FILE1 with FILE2 (or stdin) byte by byte.\n\n\
         \t-b\tPrint the differing bytes (--print-bytes)\n\
         \t-i SKIP\tSkip the first SKIP bytes of both (SKIP1:SKIP2 each) (--ignore-initial)\n\
         \t-l\tList every difference: offset and octal values (--verbose)\n\
         \t-n LIMIT\tCompare at most LIMIT bytes (--bytes)\n\
         \t-s\tPrint nothing, only the exit status (--quiet, --silent)"
    ),
)
.status(2);

const BUF: usize = 64 * 1024;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    First,
    All,
    Status,
}

fn skip_value(s: &[u8]) -> Result<u64, SizeError> {
    if s.ends_with(b"b") && !s.ends_with(b"B") && !s.ends_with(b"iB") {
        return Err(SizeError::Suffix);
    }
    parse_count(s, true, true)
}

fn bad_value(what: &str, v: &[u8]) -> ibex::Exit {
    ibex::args::usage_error(
        &SPEC,
        &[b"invalid --", what.as_bytes(), b" value '", v, b"'"],
    )
}

/// `-i SKIP1[:SKIP2]`.
fn parse_ignore(v: &[u8]) -> Result<(u64, u64), ibex::Exit> {
    let (a, b) = match memchr::memchr(b':', v) {
        Some(i) => (&v[..i], Some(&v[i + 1..])),
        None => (v, None),
    };
    let s1 = skip_value(a).map_err(|_| bad_value("ignore-initial", v))?;
    let s2 = match b {
        Some(b) => skip_value(b).map_err(|_| bad_value("ignore-initial", b))?,
        None => s1,
    };
    Ok((s1, s2))
}

/// `^X`, `M-x` notation of a byte, as cmp -b shows it.
fn show_byte(b: u8, out: &mut Vec<u8>) {
    let mut c = b;
    if c >= 128 {
        out.extend_from_slice(b"M-");
        c -= 128;
    }
    if c < 32 {
        out.push(b'^');
        out.push(c + 64);
    } else if c == 127 {
        out.extend_from_slice(b"^?");
    } else {
        out.push(c);
    }
}

fn octal3(b: u8, out: &mut Vec<u8>) {
    let s = format!("{b:3o}");
    out.extend_from_slice(s.as_bytes());
}

/// Read until `buf` is full or the input ends.
fn fill(fd: i32, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut got = 0;
    while got < buf.len() {
        let n = sys::read(fd, &mut buf[got..])?;
        if n == 0 {
            break;
        }
        got += n;
    }
    Ok(got)
}

/// Skip `n` bytes of an input: seek a regular file, read through others.
fn skip_input(fd: i32, n: u64) -> std::io::Result<()> {
    if n == 0 {
        return Ok(());
    }
    if let Ok(st) = sys::fstat(fd)
        && st.is_reg()
        && let Ok(k) = i64::try_from(n)
        && sys::lseek(fd, k, sys::SEEK_CUR).is_ok()
    {
        return Ok(());
    }
    let mut buf = vec![0u8; BUF];
    let mut left = n;
    while left > 0 {
        let want = buf.len().min(usize::try_from(left).unwrap_or(usize::MAX));
        let k = sys::read(fd, &mut buf[..want])?;
        if k == 0 {
            break;
        }
        left -= k as u64;
    }
    Ok(())
}

/// Bytes left in a regular file after its current position.
fn remaining(fd: i32) -> Option<u64> {
    let st = sys::fstat(fd).ok()?;
    if !st.is_reg() {
        return None;
    }
    let pos = sys::lseek(fd, 0, sys::SEEK_CUR).ok()?;
    Some(st.size.saturating_sub(pos))
}

pub fn main(argv: &[OsString]) -> Status {
    let mut p = Parser::new(argv, &SPEC);
    let mut print_bytes = false;
    let mut mode = Mode::First;
    let (mut list, mut quiet) = (false, false);
    let mut limit: Option<u64> = None;
    let mut skip: Option<(u64, u64)> = None;
    while let Some((id, val)) = p.next()? {
        let v = val.map(OsStr::as_bytes).unwrap_or_default();
        match char::from_u32(id).unwrap_or(' ') {
            'b' => print_bytes = true,
            'l' => {
                mode = Mode::All;
                list = true;
            }
            's' => {
                mode = Mode::Status;
                quiet = true;
            }
            'n' => {
                limit = Some(
                    parse_count(v, true, true)
                        .ok()
                        .filter(|_| !v.ends_with(b"b"))
                        .ok_or_else(|| bad_value("bytes", v))?,
                );
            }
            'i' => skip = Some(parse_ignore(v)?),
            _ => {}
        }
    }
    if list && quiet {
        return Err(ibex::args::usage_error(
            &SPEC,
            &[b"options -l and -s are incompatible"],
        ));
    }
    let ops = p.operands();
    let name1 = match ops.first() {
        Some(n) => n.as_bytes(),
        None => {
            return Err(ibex::args::usage_error(
                &SPEC,
                &[b"missing operand after 'cmp'"],
            ));
        }
    };
    let name2 = ops.get(1).map_or(&b"-"[..], |n| n.as_bytes());
    if ops.len() > 4 {
        return Err(ibex::args::usage_error(
            &SPEC,
            &[b"extra operand '", ops[4].as_bytes(), b"'"],
        ));
    }
    let mut skips = skip.unwrap_or((0, 0));
    for (k, slot) in [(2, &mut skips.0), (3, &mut skips.1)] {
        if let Some(v) = ops.get(k) {
            *slot =
                skip_value(v.as_bytes()).map_err(|_| bad_value("ignore-initial", v.as_bytes()))?;
        }
    }
    // -s silences the errors too (as GNU, BusyBox and toybox).
    let open = |name: &[u8]| -> Result<Input, ibex::Exit> {
        Input::open(name).map_err(|e| {
            if !quiet {
                ibex::error::io_error(name, &e);
            }
            ibex::Exit(2)
        })
    };
    let in1 = open(name1)?;
    let in2 = open(name2)?;
    let (fd1, fd2) = (in1.fd(), in2.fd());
    // The same file at the same place is equal to itself.
    if let (Ok(s1), Ok(s2)) = (sys::fstat(fd1), sys::fstat(fd2))
        && s1.same_file(&s2)
        && skips.0 == skips.1
        && sys::lseek(fd1, 0, sys::SEEK_CUR).ok() == sys::lseek(fd2, 0, sys::SEEK_CUR).ok()
    {
        return Ok(0);
    }
    for (fd, n, name) in [(fd1, skips.0, name1), (fd2, skips.1, name2)] {
        if let Err(e) = skip_input(fd, n) {
            if !quiet {
                ibex::error::io_error(name, &e);
            }
            return Err(ibex::Exit(2));
        }
    }
    let r1 = remaining(fd1);
    let r2 = remaining(fd2);
    if mode == Mode::Status
        && let (Some(a), Some(b)) = (r1, r2)
        && a != b
        && limit.is_none_or(|l| l > a.min(b))
    {
        return Ok(1);
    }
    let mut width = 1;
    if mode == Mode::All {
        let mut most = limit.unwrap_or(i64::MAX as u64).min(i64::MAX as u64);
        for r in [r1, r2].into_iter().flatten() {
            most = most.min(r);
        }
        while most >= 10 {
            most /= 10;
            width += 1;
        }
    }
    let mut c = Cmp {
        out: Out::stdout(),
        mode,
        print_bytes,
        width,
        line: Vec::new(),
    };
    let status = c.run(fd1, fd2, name1, name2, limit);
    let failed = c.out.failed() || !c.out.flush();
    let status = c.out.finish(status);
    Ok(if failed { 2 } else { status })
}

struct Cmp {
    out: Out,
    mode: Mode,
    print_bytes: bool,
    width: usize,
    line: Vec<u8>,
}

impl Cmp {
    fn run(&mut self, fd1: i32, fd2: i32, name1: &[u8], name2: &[u8], limit: Option<u64>) -> i32 {
        let mut b1 = vec![0u8; BUF];
        let mut b2 = vec![0u8; BUF];
        let mut offset: u64 = 0;
        let mut lines: u64 = 0;
        let mut left = limit.unwrap_or(u64::MAX);
        let mut differ = false;
        let mut last_newline = true;
        loop {
            let want = BUF.min(usize::try_from(left).unwrap_or(usize::MAX));
            if want == 0 {
                break;
            }
            let n1 = match fill(fd1, &mut b1[..want]) {
                Ok(n) => n,
                Err(e) => return self.read_error(name1, &e),
            };
            let n2 = match fill(fd2, &mut b2[..want]) {
                Ok(n) => n,
                Err(e) => return self.read_error(name2, &e),
            };
            let m = n1.min(n2);
            let (a, b) = (&b1[..m], &b2[..m]);
            if a != b {
                match self.mode {
                    Mode::Status => return 1,
                    Mode::First => {
                        let i = first_diff(a, b);
                        let line = lines + ibex::sys::count_byte(&a[..i], b'\n') as u64 + 1;
                        self.differ(name1, name2, offset + i as u64 + 1, line, a[i], b[i]);
                        return 1;
                    }
                    Mode::All => {
                        differ = true;
                        let mut start = 0;
                        while start < m {
                            let i = start + first_diff(&a[start..], &b[start..]);
                            if i >= m {
                                break;
                            }
                            self.list(offset + i as u64 + 1, a[i], b[i]);
                            start = i + 1;
                        }
                    }
                }
            }
            if self.mode == Mode::First {
                lines += ibex::sys::count_byte(a, b'\n') as u64;
            }
            if m > 0 {
                last_newline = a[m - 1] == b'\n';
            }
            offset += m as u64;
            left -= m as u64;
            if n1 != n2 {
                let short = if n1 < n2 { name1 } else { name2 };
                if self.mode != Mode::Status {
                    self.out.flush();
                    if offset == 0 {
                        ibex::msg!("EOF on ", short, " which is empty");
                    } else if self.mode == Mode::All {
                        ibex::msg!("EOF on ", short, " after byte ", offset);
                    } else if last_newline {
                        ibex::msg!("EOF on ", short, " after byte ", offset, ", line ", lines);
                    } else {
                        ibex::msg!(
                            "EOF on ",
                            short,
                            " after byte ",
                            offset,
                            ", in line ",
                            lines + 1
                        );
                    }
                }
                return 1;
            }
            if n1 < want {
                break;
            }
        }
        i32::from(differ)
    }

    fn read_error(&mut self, name: &[u8], e: &std::io::Error) -> i32 {
        self.out.flush();
        ibex::error::io_error(name, e);
        2
    }

    fn differ(&mut self, n1: &[u8], n2: &[u8], byte: u64, line: u64, c1: u8, c2: u8) {
        let l = &mut self.line;
        l.clear();
        l.extend_from_slice(n1);
        l.push(b' ');
        l.extend_from_slice(n2);
        l.extend_from_slice(b" differ: char ");
        l.extend_from_slice(byte.to_string().as_bytes());
        l.extend_from_slice(b", line ");
        l.extend_from_slice(line.to_string().as_bytes());
        if self.print_bytes {
            l.extend_from_slice(b" is ");
            octal3(c1, l);
            l.push(b' ');
            show_byte(c1, l);
            l.push(b' ');
            octal3(c2, l);
            l.push(b' ');
            show_byte(c2, l);
        }
        l.push(b'\n');
        self.out.write(&self.line);
    }

    fn list(&mut self, byte: u64, c1: u8, c2: u8) {
        let l = &mut self.line;
        l.clear();
        let mut nb = [0u8; 20];
        let digits = ibex::io::fmt_u64(byte, &mut nb);
        l.resize(self.width.saturating_sub(digits.len()), b' ');
        l.extend_from_slice(digits);
        l.push(b' ');
        octal3(c1, l);
        if self.print_bytes {
            l.push(b' ');
            let start = l.len();
            show_byte(c1, l);
            while l.len() < start + 4 {
                l.push(b' ');
            }
        }
        l.push(b' ');
        octal3(c2, l);
        if self.print_bytes {
            l.push(b' ');
            show_byte(c2, l);
        }
        l.push(b'\n');
        self.out.write(&self.line);
    }
}

/// Index of the first differing byte (the length when none differ).
fn first_diff(a: &[u8], b: &[u8]) -> usize {
    let n = a.len().min(b.len());
    let mut i = 0;
    while i + 32 <= n {
        if a[i..i + 32] != b[i..i + 32] {
            break;
        }
        i += 32;
    }
    while i < n && a[i] == b[i] {
        i += 1;
    }
    i
}
