//! Backslash escapes as `echo -e` and `printf` interpret them.

/// Result of expanding escapes: the bytes, and whether `\c` asked to stop
/// all further output.
pub struct Unescaped {
    pub bytes: Vec<u8>,
    pub stop: bool,
}

/// How octal escapes are written: `echo -e` and `printf %b` take `\0NNN`
/// and `\NNN`, the printf format `\NNN` only.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Octal {
    /// `\0` followed by up to three octal digits only.
    ZeroPrefixed,
    /// `\NNN` with one to three digits; `\0NNN` also takes up to 3 after 0
    /// (echo -e, %b).
    Both,
    /// `\NNN` with one to three digits only (printf format).
    Plain,
}

fn octal_run(s: &[u8], max: usize) -> (u32, usize) {
    let mut v = 0u32;
    let mut n = 0;
    while n < max {
        match s.get(n) {
            Some(&c @ b'0'..=b'7') => {
                v = v * 8 + u32::from(c - b'0');
                n += 1;
            }
            _ => break,
        }
    }
    (v, n)
}

fn hex_digit(c: u8) -> Option<u32> {
    (c as char).to_digit(16)
}

/// Expand backslash escapes in `s`.
pub fn unescape(s: &[u8], octal: Octal) -> Unescaped {
    let mut out = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        let c = s[i];
        if c != b'\\' || i + 1 >= s.len() {
            out.push(c);
            i += 1;
            continue;
        }
        let e = s[i + 1];
        i += 2;
        let simple = match e {
            b'\\' => Some(b'\\'),
            b'a' => Some(7),
            b'b' => Some(8),
            b'e' | b'E' => Some(0x1b),
            b'f' => Some(12),
            b'n' => Some(b'\n'),
            b'r' => Some(b'\r'),
            b't' => Some(b'\t'),
            b'v' => Some(11),
            _ => None,
        };
        if let Some(b) = simple {
            out.push(b);
            continue;
        }
        match e {
            b'c' => {
                return Unescaped {
                    bytes: out,
                    stop: true,
                };
            }
            b'x' => {
                let mut v = 0;
                let mut n = 0;
                while n < 2 {
                    match s.get(i + n).copied().and_then(hex_digit) {
                        Some(d) => v = v * 16 + d,
                        None => break,
                    }
                    n += 1;
                }
                if n == 0 {
                    out.extend_from_slice(b"\\x");
                } else {
                    out.push(v as u8);
                    i += n;
                }
            }
            b'0' if octal != Octal::Plain => {
                let (v, n) = octal_run(&s[i..], 3);
                out.push(v as u8);
                i += n;
            }
            b'0'..=b'7' if octal != Octal::ZeroPrefixed => {
                let (v, n) = octal_run(&s[i - 1..], 3);
                out.push(v as u8);
                i += n - 1;
            }
            _ => {
                out.push(b'\\');
                out.push(e);
            }
        }
    }
    Unescaped {
        bytes: out,
        stop: false,
    }
}

/// echo's behaviour: leading arguments made only of `-n`, `-e`, `-E`
/// letters are options; the rest are written separated by spaces, with
/// escapes under `-e` (octal as `\0NNN` or `\NNN`, as GNU and BusyBox),
/// and a newline unless `-n` or `\c`.
pub fn echo(args: &[&[u8]], out: &mut Vec<u8>) {
    let mut newline = true;
    let mut escapes = false;
    let mut first = 0;
    for a in args {
        let is_opt = a.len() > 1 && a[0] == b'-' && a[1..].iter().all(|c| b"neE".contains(c));
        if !is_opt {
            break;
        }
        for &c in &a[1..] {
            match c {
                b'n' => newline = false,
                b'e' => escapes = true,
                _ => escapes = false,
            }
        }
        first += 1;
    }
    for (i, a) in args.iter().skip(first).enumerate() {
        if i > 0 {
            out.push(b' ');
        }
        if escapes {
            let u = unescape(a, Octal::Both);
            out.extend_from_slice(&u.bytes);
            if u.stop {
                return;
            }
        } else {
            out.extend_from_slice(a);
        }
    }
    if newline {
        out.push(b'\n');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn echo(s: &str) -> (Vec<u8>, bool) {
        let u = unescape(s.as_bytes(), Octal::ZeroPrefixed);
        (u.bytes, u.stop)
    }

    #[test]
    fn simple_escapes() {
        assert_eq!(echo(r"a\tb\nc\\"), (b"a\tb\nc\\".to_vec(), false));
        assert_eq!(echo(r"\a\b\e\f\r\v"), (vec![7, 8, 27, 12, 13, 11], false));
    }

    #[test]
    fn stop_and_unknown() {
        assert_eq!(echo(r"ab\cde"), (b"ab".to_vec(), true));
        assert_eq!(echo(r"\q\"), (b"\\q\\".to_vec(), false));
    }

    #[test]
    fn numeric_escapes() {
        assert_eq!(echo(r"\0101\x41\x4a4\xZ"), (b"AAJ4\\xZ".to_vec(), false));
        assert_eq!(echo(r"\101"), (b"\\101".to_vec(), false));
        assert_eq!(echo(r"\0"), (vec![0], false));
        let p = unescape(br"\101\0101\7", Octal::Plain);
        assert_eq!(p.bytes, b"A\x081\x07");
        let b = unescape(br"\101\0101", Octal::Both);
        assert_eq!(b.bytes, b"AA");
    }
}
