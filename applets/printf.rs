//! printf FORMAT [ARGUMENT]...: format and print the arguments as C's
//! printf would, reusing FORMAT while arguments remain (GNU coreutils'
//! behaviour). Conversions d i o u x X c s b e E f F g G a A and `%%`;
//! flags `-+ #0'`, width, precision and `*`; escapes in FORMAT and in `%b`
//! arguments (`\c` stops all output). Numeric arguments are C constants:
//! `0x` hex, `0` octal, a sign, `'c` for a character's value; a bad one is
//! reported (between the output around it), printed as 0 and makes the
//! status 1, as BusyBox does; one out of range is clamped, as GNU does.
//! `--help` is an option only as the sole argument.

use ibex::Status;
use ibex::args::{Spec, missing_operand, print_usage};
use ibex::cformat::{self, Count, Directive, Flags, Parsed};
use ibex::io::Out;
use std::ffi::OsString;
use std::os::unix::ffi::OsStrExt;

const SPEC: Spec = Spec::new(
    "",
    &[],
    ibex::usage!(
        printf,
        "printf FORMAT [ARGUMENT]...\n\n\
         Format and print ARGUMENT(s) according to FORMAT (a-la C printf)"
    ),
);

/// How processing goes on after a piece of the format.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Flow {
    Go,
    /// `\c`: no further output at all.
    Stop,
    /// A fatal error, already reported.
    Fatal,
}

struct Printer<'a> {
    out: Out,
    args: &'a [OsString],
    next: usize,
    status: i32,
    utf8: bool,
}

/// `'ARG'` quoted the way GNU's messages quote it in the C locale.
fn quote(s: &[u8]) -> Vec<u8> {
    let mut q = Vec::with_capacity(s.len() + 2);
    q.push(b'\'');
    for &c in s {
        let esc = match c {
            b'\\' => Some(b'\\'),
            b'\'' => Some(b'\''),
            7 => Some(b'a'),
            8 => Some(b'b'),
            12 => Some(b'f'),
            b'\n' => Some(b'n'),
            b'\r' => Some(b'r'),
            b'\t' => Some(b't'),
            11 => Some(b'v'),
            _ => None,
        };
        if let Some(e) = esc {
            q.push(b'\\');
            q.push(e);
        } else if (0x20..0x7f).contains(&c) {
            q.push(c);
        } else {
            q.push(b'\\');
            q.push(b'0' + (c >> 6));
            q.push(b'0' + ((c >> 3) & 7));
            q.push(b'0' + (c & 7));
        }
    }
    q.push(b'\'');
    q
}

/// Decode one UTF-8 character at the start of `s`: (code point, length).
fn decode_utf8(s: &[u8]) -> Option<(u32, usize)> {
    let n = match s.first()? {
        0..=0x7f => 1,
        0xc2..=0xdf => 2,
        0xe0..=0xef => 3,
        0xf0..=0xf4 => 4,
        _ => return None,
    };
    let c = std::str::from_utf8(s.get(..n)?).ok()?.chars().next()?;
    Some((c as u32, n))
}

fn hex_value(c: u8) -> Option<u32> {
    (c as char).to_digit(16)
}

fn octal_digits(s: &[u8], max: usize) -> (u32, usize) {
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

/// Whether the directive is one GNU printf accepts: a known conversion,
/// with only the flags, width and precision that it takes.
fn allowed(d: &Directive, text: &[u8]) -> bool {
    let f = d.flags;
    let no_alt_zero = !f.alt && !f.zero && !f.group;
    let (flags_ok, prec_ok, width_ok) = match d.conv {
        b'd' | b'i' | b'u' => (!f.alt, true, true),
        b'o' | b'x' | b'X' | b'e' | b'E' | b'a' | b'A' => (!f.group, true, true),
        b'f' | b'F' | b'g' | b'G' => (true, true, true),
        b'c' => (no_alt_zero, false, true),
        b's' => (no_alt_zero, true, true),
        // %b takes nothing at all, not even a length modifier.
        b'b' => (f == Flags::default() && text.len() == 2, false, false),
        _ => return false,
    };
    let small = |c: Count| match c {
        Count::Num(n) => n <= i32::MAX as usize,
        _ => true,
    };
    flags_ok
        && (prec_ok || d.prec == Count::None)
        && (width_ok || d.width == Count::None)
        && small(d.width)
        && small(d.prec)
}

impl<'a> Printer<'a> {
    fn arg(&mut self) -> Option<&'a [u8]> {
        let a = self.args.get(self.next)?;
        self.next += 1;
        Some(a.as_bytes())
    }

    /// A numeric argument: a character constant, or a C number parsed by
    /// `parse`; errors are reported and make the status 1.
    fn number<T: Copy>(
        &mut self,
        arg: &[u8],
        parse: impl Fn(&[u8]) -> Parsed<T>,
        from_char: impl Fn(u32) -> T,
    ) -> T {
        if let [b'\'' | b'"', rest @ ..] = arg
            && !rest.is_empty()
        {
            // Characters after the first are ignored silently (BusyBox).
            let code = match self.utf8.then(|| decode_utf8(rest)).flatten() {
                Some((c, _)) => c,
                None => u32::from(rest[0]),
            };
            return from_char(code);
        }
        let p = parse(arg);
        if p.range || p.used < arg.len() {
            // Messages go between the output they interrupt, as BusyBox's.
            self.out.flush();
            self.status = 1;
            if !p.range {
                ibex::msg!("invalid number ", quote(arg));
                return from_char(0);
            }
            ibex::msg!(quote(arg), ": Numerical result out of range");
        }
        p.value
    }

    fn int_arg(&mut self) -> (i64, &'a [u8]) {
        let a = self.arg().unwrap_or(b"");
        (self.number(a, cformat::strtoimax, i64::from), a)
    }

    /// One escape sequence at `s[0] == '\\'` into `dst`: the bytes used, or
    /// how output ends (`\c`, or a fatal error already reported).
    fn escape(&self, s: &[u8], in_b: bool, dst: &mut Vec<u8>) -> Result<usize, Flow> {
        let Some(&e) = s.get(1) else {
            dst.push(b'\\');
            return Ok(1);
        };
        let simple = match e {
            b'"' => Some(b'"'),
            b'\\' => Some(b'\\'),
            b'a' => Some(7),
            b'b' => Some(8),
            b'e' => Some(0x1b),
            b'f' => Some(12),
            b'n' => Some(b'\n'),
            b'r' => Some(b'\r'),
            b't' => Some(b'\t'),
            b'v' => Some(11),
            _ => None,
        };
        if let Some(b) = simple {
            dst.push(b);
            return Ok(2);
        }
        match e {
            b'c' => Err(Flow::Stop),
            b'x' => {
                let mut v = 0u32;
                let mut n = 0;
                while n < 2 {
                    match s.get(2 + n).copied().and_then(hex_value) {
                        Some(d) => v = v * 16 + d,
                        None => break,
                    }
                    n += 1;
                }
                if n == 0 {
                    ibex::msg!("missing hexadecimal number in escape");
                    return Err(Flow::Fatal);
                }
                dst.push(v as u8);
                Ok(2 + n)
            }
            // %b: \0 then up to three digits, or one to three digits.
            b'0' if in_b => {
                let (v, n) = octal_digits(&s[2..], 3);
                dst.push(v as u8);
                Ok(2 + n)
            }
            b'0'..=b'7' => {
                let (v, n) = octal_digits(&s[1..], 3);
                dst.push(v as u8);
                Ok(1 + n)
            }
            b'u' | b'U' => {
                let want = if e == b'u' { 4 } else { 8 };
                let mut v = 0u32;
                for k in 0..want {
                    match s.get(2 + k).copied().and_then(hex_value) {
                        Some(d) => v = v << 4 | d,
                        None => {
                            ibex::msg!("missing hexadecimal number in escape");
                            return Err(Flow::Fatal);
                        }
                    }
                }
                let invalid = (v < 0xa0 && v != 0x24 && v != 0x40 && v != 0x60)
                    || (0xd800..=0xdfff).contains(&v);
                if invalid {
                    let shown = if e == b'u' {
                        format!("\\u{v:04x}")
                    } else {
                        format!("\\U{v:08x}")
                    };
                    ibex::msg!("invalid universal character name ", shown);
                    return Err(Flow::Fatal);
                }
                match char::from_u32(v).filter(|_| self.utf8 || v < 0x80) {
                    Some(c) => {
                        let mut b = [0u8; 4];
                        dst.extend_from_slice(c.encode_utf8(&mut b).as_bytes());
                    }
                    // Not representable in the locale: GNU writes it back.
                    None if v > 0xffff => dst.extend_from_slice(format!("\\U{v:08X}").as_bytes()),
                    None => dst.extend_from_slice(format!("\\u{v:04X}").as_bytes()),
                }
                Ok(2 + want)
            }
            _ => {
                dst.push(b'\\');
                dst.push(e);
                Ok(2)
            }
        }
    }

    /// A `*` width or precision from the next argument.
    fn star(&mut self, width: bool) -> Result<i64, Flow> {
        let (v, a) = self.int_arg();
        let bad = if width {
            v.unsigned_abs() > i32::MAX as u64
        } else {
            v > i64::from(i32::MAX)
        };
        if bad {
            let what = if width { "field width" } else { "precision" };
            ibex::msg!("invalid ", what, ": ", quote(a));
            return Err(Flow::Fatal);
        }
        Ok(v)
    }

    /// One directive's output into `buf`.
    fn directive(&mut self, d: &Directive, buf: &mut Vec<u8>) -> Flow {
        let w = match d.width {
            Count::Star => match self.star(true) {
                Ok(v) => v,
                Err(f) => return f,
            },
            _ => 0,
        };
        let p = match d.prec {
            Count::Star => match self.star(false) {
                Ok(v) => v,
                Err(f) => return f,
            },
            _ => 0,
        };
        let spec = d.spec(w, p);
        match d.conv {
            b'd' | b'i' => {
                let (v, _) = self.int_arg();
                cformat::format_signed(buf, &spec, v);
            }
            b'o' | b'u' | b'x' | b'X' => {
                let a = self.arg().unwrap_or(b"");
                let v = self.number(a, cformat::strtoumax, u64::from);
                cformat::format_unsigned(buf, &spec, v);
            }
            b'c' => {
                let a = self.arg().unwrap_or(b"");
                let c = a.first().copied().unwrap_or(0);
                cformat::format_str(buf, &spec, &[c]);
            }
            b's' => {
                let a = self.arg().unwrap_or(b"");
                cformat::format_str(buf, &spec, a);
            }
            b'b' => {
                let a = self.arg().unwrap_or(b"");
                return self.unescape_into(a, true, buf);
            }
            _ => {
                let a = self.arg().unwrap_or(b"");
                let v = self.number(a, cformat::strtod, f64::from);
                cformat::format_float(buf, &spec, v);
            }
        }
        Flow::Go
    }

    /// Copy `s` into `dst` expanding escapes.
    fn unescape_into(&self, s: &[u8], in_b: bool, dst: &mut Vec<u8>) -> Flow {
        let mut i = 0;
        while i < s.len() {
            match memchr::memchr(b'\\', &s[i..]) {
                None => {
                    dst.extend_from_slice(&s[i..]);
                    break;
                }
                Some(n) => {
                    dst.extend_from_slice(&s[i..i + n]);
                    i += n;
                    match self.escape(&s[i..], in_b, dst) {
                        Ok(used) => i += used,
                        Err(f) => return f,
                    }
                }
            }
        }
        Flow::Go
    }

    /// One pass over the format.
    fn pass(&mut self, fmt: &[u8]) -> Flow {
        let mut buf = Vec::new();
        let mut i = 0;
        while i < fmt.len() {
            let c = fmt[i];
            if c == b'\\' {
                buf.clear();
                let r = self.escape(&fmt[i..], false, &mut buf);
                self.out.write(&buf);
                match r {
                    Ok(used) => i += used,
                    Err(f) => return f,
                }
                continue;
            }
            if c != b'%' {
                let end = memchr::memchr2(b'%', b'\\', &fmt[i..]).map_or(fmt.len(), |n| i + n);
                self.out.write(&fmt[i..end]);
                i = end;
                continue;
            }
            let Some(d) = cformat::parse(&fmt[i + 1..]) else {
                ibex::msg!(&fmt[i..], ": invalid format");
                return Flow::Fatal;
            };
            let text = &fmt[i..i + 1 + d.len];
            i += 1 + d.len;
            if text == b"%%" {
                self.out.byte(b'%');
                continue;
            }
            if !allowed(&d, text) {
                ibex::msg!(text, ": invalid format");
                return Flow::Fatal;
            }
            buf.clear();
            let r = self.directive(&d, &mut buf);
            self.out.write(&buf);
            if r != Flow::Go {
                return r;
            }
        }
        Flow::Go
    }
}

pub fn main(argv: &[OsString]) -> Status {
    let mut args = argv.get(1..).unwrap_or(&[]);
    if args.len() == 1 && args[0] == "--help" {
        print_usage(&SPEC);
        return Ok(0);
    }
    if args.first().is_some_and(|a| a == "--") {
        args = &args[1..];
    }
    let Some((fmt, rest)) = args.split_first() else {
        return Err(missing_operand(&SPEC));
    };
    let mut p = Printer {
        out: Out::stdout(),
        args: rest,
        next: 0,
        status: 0,
        utf8: ibex::sys::utf8_locale(),
    };
    loop {
        let before = p.next;
        match p.pass(fmt.as_bytes()) {
            Flow::Go => {}
            Flow::Stop => break,
            Flow::Fatal => return p.out.done(1),
        }
        if p.next >= rest.len() {
            break;
        }
        if p.next == before {
            let first = rest[p.next].as_bytes();
            ibex::msg!(
                "warning: ignoring excess arguments, starting with ",
                quote(first)
            );
            break;
        }
    }
    let status = p.status;
    p.out.done(status)
}
