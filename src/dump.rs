//! Pieces od, hexdump and xxd share: GNU-style byte counts (`0x10`, `1K`,
//! `2b`), the input files read as one stream with a skip and a limit, and
//! the character names and escapes of `od -c`/`hexdump -c`.

use crate::io::Input;
use crate::sys;
use std::io;

/// Why a byte count was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SizeError {
    /// No number at all: `invalid -j argument 'x'`.
    Invalid,
    /// A number followed by junk: `invalid suffix in -j argument '1x'`.
    Suffix,
    /// Too large for 64 bits: `-j argument '...' too large`.
    Range,
}

/// A count as GNU's `xstrtoumax` reads it: leading blanks, digits in base
/// 10, or with `base0` C's rules (`0x` hex, leading `0` octal), then an
/// optional multiplier: `b` 512, `K`/`KiB` 1024, `KB` 1000, and M G T P E
/// (Z and Y overflow). With `suffixes` false only the number is allowed.
pub fn parse_count(s: &[u8], base0: bool, suffixes: bool) -> Result<u64, SizeError> {
    let s = crate::num::trim_start(s);
    if s.first() == Some(&b'-') {
        return Err(SizeError::Invalid);
    }
    let s = s.strip_prefix(b"+").unwrap_or(s);
    let (base, digits): (u64, &[u8]) = if base0 {
        if s.len() > 2 && (s.starts_with(b"0x") || s.starts_with(b"0X")) && s[2].is_ascii_hexdigit()
        {
            (16, &s[2..])
        } else if s.first() == Some(&b'0') {
            (8, s)
        } else {
            (10, s)
        }
    } else {
        (10, s)
    };
    let n_digits = digits
        .iter()
        .take_while(|&&c| (c as char).is_digit(base as u32))
        .count();
    if n_digits == 0 && !(suffixes && !digits.is_empty() && multiplier(digits).is_some()) {
        // A suffix alone means one unit (`K` is 1024), as in GNU.
        return Err(SizeError::Invalid);
    }
    let mut n: u64 = u64::from(n_digits == 0);
    let mut overflow = false;
    for &c in &digits[..n_digits] {
        let d = u64::from((c as char).to_digit(base as u32).unwrap_or(0));
        match n.checked_mul(base).and_then(|v| v.checked_add(d)) {
            Some(v) => n = v,
            None => overflow = true,
        }
    }
    let rest = &digits[n_digits..];
    let mult = if rest.is_empty() {
        1
    } else if !suffixes {
        return Err(SizeError::Suffix);
    } else {
        match multiplier(rest) {
            Some(Some(m)) => m,
            Some(None) => return Err(SizeError::Range),
            None => return Err(SizeError::Suffix),
        }
    };
    if overflow {
        return Err(SizeError::Range);
    }
    n.checked_mul(mult).ok_or(SizeError::Range)
}

/// The value of a multiplier suffix: None if it is not one, Some(None) if
/// it overflows 64 bits.
fn multiplier(suf: &[u8]) -> Option<Option<u64>> {
    if suf == b"b" {
        return Some(Some(512));
    }
    let power = match suf.first()? {
        b'k' | b'K' => 1,
        b'm' | b'M' => 2,
        b'g' | b'G' => 3,
        b't' | b'T' => 4,
        b'p' | b'P' => 5,
        b'e' | b'E' => 6,
        b'z' | b'Z' => 7,
        b'y' | b'Y' => 8,
        _ => return None,
    };
    let base: u64 = match &suf[1..] {
        b"" | b"iB" => 1024,
        b"B" => 1000,
        _ => return None,
    };
    Some(base.checked_pow(power))
}

/// A name as GNU's `quotef` shows it in messages: as is when it needs no
/// quoting, else shell-quoted.
pub fn quotef(name: &[u8]) -> Vec<u8> {
    let plain = !name.is_empty()
        && name
            .iter()
            .all(|&b| b.is_ascii_alphanumeric() || b"-_./,+:@%^=".contains(&b));
    if plain {
        name.to_vec()
    } else {
        crate::copy::quote(name)
    }
}

/// The input files as one stream (`-` or no files is standard input).
/// Files that cannot be opened or read are reported and skipped; `failed`
/// tells whether any was.
pub struct Inputs {
    names: Vec<Vec<u8>>,
    next: usize,
    cur: Option<(Input, Vec<u8>)>,
    pub failed: bool,
    /// How many files could be opened.
    pub opened: usize,
    /// Report files as `'standard input'` (GNU) rather than `-`.
    stdin_name: &'static [u8],
    /// GNU od reports read errors as `name: reason`; this is the prefix.
    read_error: &'static [u8],
}

impl Inputs {
    pub fn new(names: Vec<Vec<u8>>) -> Inputs {
        let names = if names.is_empty() {
            vec![b"-".to_vec()]
        } else {
            names
        };
        Inputs {
            names,
            next: 0,
            cur: None,
            failed: false,
            opened: 0,
            stdin_name: b"'standard input'",
            read_error: b"",
        }
    }

    /// How standard input is named in messages.
    pub fn stdin_name(mut self, name: &'static [u8]) -> Inputs {
        self.stdin_name = name;
        self
    }

    fn shown(&self, name: &[u8]) -> Vec<u8> {
        if name == b"-" {
            self.stdin_name.to_vec()
        } else {
            quotef(name)
        }
    }

    /// Make sure a file is open; false when all are used up.
    fn open_next(&mut self) -> bool {
        while self.cur.is_none() {
            let Some(name) = self.names.get(self.next).cloned() else {
                return false;
            };
            self.next += 1;
            match Input::open(&name) {
                Ok(i) => {
                    self.opened += 1;
                    self.cur = Some((i, name));
                }
                Err(e) => {
                    let shown = self.shown(&name);
                    crate::error::io_error(&shown, &e);
                    self.failed = true;
                }
            }
        }
        true
    }

    fn read_failed(&mut self, e: &io::Error) {
        if let Some((_, name)) = self.cur.take() {
            let mut subject = self.shown(&name);
            subject.extend_from_slice(self.read_error);
            crate::error::io_error(&subject, e);
        }
        self.failed = true;
    }

    /// Skip `n` bytes; returns how many could not be skipped because the
    /// input ended first. Regular files are skipped by seeking.
    pub fn skip(&mut self, mut n: u64) -> u64 {
        let mut buf = Vec::new();
        while n > 0 && self.open_next() {
            let Some((input, _)) = &self.cur else {
                break;
            };
            let fd = input.fd();
            if let Ok(st) = sys::fstat(fd)
                && st.is_reg()
                && let Ok(pos) = sys::lseek(fd, 0, sys::SEEK_CUR)
            {
                let left = st.size.saturating_sub(pos);
                if n >= left {
                    n -= left;
                    self.cur = None;
                    continue;
                }
                if i64::try_from(n)
                    .ok()
                    .and_then(|k| sys::lseek(fd, k, sys::SEEK_CUR).ok())
                    .is_some()
                {
                    return 0;
                }
            }
            if buf.is_empty() {
                buf = vec![0u8; 64 * 1024];
            }
            let want = buf.len().min(usize::try_from(n).unwrap_or(usize::MAX));
            match sys::read(fd, &mut buf[..want]) {
                Ok(0) => self.cur = None,
                Ok(k) => n -= k as u64,
                Err(e) => self.read_failed(&e),
            }
        }
        n
    }

    /// Fill `buf` from the inputs; less than its length only at the end.
    pub fn fill(&mut self, buf: &mut [u8]) -> usize {
        let mut got = 0;
        while got < buf.len() && self.open_next() {
            let Some((input, _)) = &self.cur else {
                break;
            };
            match sys::read(input.fd(), &mut buf[got..]) {
                Ok(0) => self.cur = None,
                Ok(k) => got += k,
                Err(e) => self.read_failed(&e),
            }
        }
        got
    }

    /// Read errors are shown as `name: read error: reason`? (GNU od shows
    /// plain `name: reason`.)
    pub fn read_error_prefix(mut self, p: &'static [u8]) -> Inputs {
        self.read_error = p;
        self
    }
}

/// `\0 \a \b \f \n \r \t \v` for the bytes that have a C escape.
pub fn c_escape(b: u8) -> Option<&'static [u8]> {
    Some(match b {
        0 => b"\\0",
        7 => b"\\a",
        8 => b"\\b",
        12 => b"\\f",
        b'\n' => b"\\n",
        b'\r' => b"\\r",
        b'\t' => b"\\t",
        11 => b"\\v",
        _ => return None,
    })
}

/// Printable ASCII (what `isprint` says in the C locale).
pub fn printable(b: u8) -> bool {
    (0x20..0x7f).contains(&b)
}

/// The ASCII names of `od -t a` (high bit ignored); `sp` for space and
/// the character itself for other printable ones.
pub fn ascii_name(b: u8) -> &'static [u8] {
    const NAMES: [&[u8]; 33] = [
        b"nul", b"soh", b"stx", b"etx", b"eot", b"enq", b"ack", b"bel", b"bs", b"ht", b"nl", b"vt",
        b"ff", b"cr", b"so", b"si", b"dle", b"dc1", b"dc2", b"dc3", b"dc4", b"nak", b"syn", b"etb",
        b"can", b"em", b"sub", b"esc", b"fs", b"gs", b"rs", b"us", b"sp",
    ];
    const PRINT: &[u8; 95] = b" !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~";
    let b = b & 0x7f;
    match b {
        0x7f => b"del",
        0..=0x20 => NAMES[b as usize],
        _ => {
            let i = (b - 0x20) as usize;
            &PRINT[i..i + 1]
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts() {
        assert_eq!(parse_count(b"10", true, true), Ok(10));
        assert_eq!(parse_count(b"010", true, true), Ok(8));
        assert_eq!(parse_count(b"0x10", true, true), Ok(16));
        assert_eq!(parse_count(b" 3", true, true), Ok(3));
        assert_eq!(parse_count(b"2b", true, true), Ok(1024));
        assert_eq!(parse_count(b"1K", true, true), Ok(1024));
        assert_eq!(parse_count(b"1KB", true, true), Ok(1000));
        assert_eq!(parse_count(b"1MiB", true, true), Ok(1 << 20));
        assert_eq!(parse_count(b"3x", true, true), Err(SizeError::Suffix));
        assert_eq!(parse_count(b"", true, true), Err(SizeError::Invalid));
        assert_eq!(parse_count(b"-1", true, true), Err(SizeError::Invalid));
        assert_eq!(parse_count(b"1Z", true, true), Err(SizeError::Range));
        assert_eq!(
            parse_count(b"99999999999999999999", true, true),
            Err(SizeError::Range)
        );
        assert_eq!(parse_count(b"010", false, false), Ok(10));
        assert_eq!(parse_count(b"0x8", false, false), Err(SizeError::Suffix));
    }

    #[test]
    fn names() {
        assert_eq!(ascii_name(0), b"nul");
        assert_eq!(ascii_name(b' '), b"sp");
        assert_eq!(ascii_name(b'a'), b"a");
        assert_eq!(ascii_name(0xff), b"del");
        assert_eq!(ascii_name(0x8a), b"nl");
        assert_eq!(quotef(b"a b"), b"'a b'");
        assert_eq!(quotef(b"ab.c"), b"ab.c");
    }
}
