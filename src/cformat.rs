//! C printf, one conversion at a time: parse a directive (`%-08.3f`),
//! then format one integer, float or string value exactly as C's printf
//! does for `double` and `intmax_t` values (glibc's output: `%g` trailing-zero
//! removal, at least two exponent digits, round-half-even on the exact binary
//! value, `inf`/`nan`/`-nan`, `%a` hex floats). Also the C library's
//! `strtoimax`/`strtoumax`/`strtod` prefix parsers, which printf-like tools
//! use for their arguments. Used by printf, seq, awk and the shell.
//!
//! The `'` (thousands grouping) flag is accepted and, as in the C locale,
//! groups nothing.

/// The flag characters of a directive.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Flags {
    /// `-`: left-justify.
    pub minus: bool,
    /// `+`: always a sign on signed conversions.
    pub plus: bool,
    /// ` `: a space where a `+` would go.
    pub space: bool,
    /// `#`: alternate form (`0x`, leading `0`, always a decimal point).
    pub alt: bool,
    /// `0`: pad numbers with zeros.
    pub zero: bool,
    /// `'`: group thousands (no grouping in the C locale).
    pub group: bool,
}

/// A width or precision as written in a directive.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Count {
    /// Not given.
    None,
    /// Digits in the directive (saturated at `usize::MAX`).
    Num(usize),
    /// `*`: taken from an argument.
    Star,
}

/// A parsed conversion specification.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Directive {
    pub flags: Flags,
    pub width: Count,
    /// `Num(0)` for a lone `.`.
    pub prec: Count,
    /// The conversion character, whatever byte it is (the caller decides
    /// which ones it supports).
    pub conv: u8,
    /// Bytes used after the `%`, through the conversion character.
    pub len: usize,
}

/// A directive with its widths resolved: what the formatters take.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Spec {
    pub flags: Flags,
    pub width: usize,
    pub prec: Option<usize>,
    pub conv: u8,
}

impl Spec {
    /// A plain `%c`-style spec for conversion `conv`.
    pub fn new(conv: u8) -> Spec {
        Spec {
            flags: Flags::default(),
            width: 0,
            prec: None,
            conv,
        }
    }
}

/// Length modifiers, accepted and ignored (values are already 64-bit).
const LENGTH_MODIFIERS: &[u8] = b"hlLjzt";

fn digits_at(s: &[u8], mut i: usize) -> (usize, usize) {
    let mut n: usize = 0;
    while let Some(&c) = s.get(i) {
        if !c.is_ascii_digit() {
            break;
        }
        n = n.saturating_mul(10).saturating_add(usize::from(c - b'0'));
        i += 1;
    }
    (n, i)
}

/// Parse the directive that follows a `%` in `s` (`s` starts after the
/// `%`). None when `s` ends before a conversion character.
pub fn parse(s: &[u8]) -> Option<Directive> {
    let mut flags = Flags::default();
    let mut i = 0;
    while let Some(&c) = s.get(i) {
        match c {
            b'-' => flags.minus = true,
            b'+' => flags.plus = true,
            b' ' => flags.space = true,
            b'#' => flags.alt = true,
            b'0' => flags.zero = true,
            b'\'' => flags.group = true,
            _ => break,
        }
        i += 1;
    }
    let width = if s.get(i) == Some(&b'*') {
        i += 1;
        Count::Star
    } else if s.get(i).is_some_and(u8::is_ascii_digit) {
        let (n, j) = digits_at(s, i);
        i = j;
        Count::Num(n)
    } else {
        Count::None
    };
    let prec = if s.get(i) == Some(&b'.') {
        i += 1;
        if s.get(i) == Some(&b'*') {
            i += 1;
            Count::Star
        } else {
            let (n, j) = digits_at(s, i);
            i = j;
            Count::Num(n)
        }
    } else {
        Count::None
    };
    while s.get(i).is_some_and(|c| LENGTH_MODIFIERS.contains(c)) {
        i += 1;
    }
    let conv = *s.get(i)?;
    Some(Directive {
        flags,
        width,
        prec,
        conv,
        len: i + 1,
    })
}

impl Directive {
    /// Resolve into a [`Spec`]; `star_width`/`star_prec` are the values of
    /// the `*` arguments (ignored when the directive has none). A negative
    /// `*` width left-justifies; a negative `*` precision means none.
    pub fn spec(&self, star_width: i64, star_prec: i64) -> Spec {
        let mut flags = self.flags;
        let width = match self.width {
            Count::None => 0,
            Count::Num(n) => n,
            Count::Star => {
                if star_width < 0 {
                    flags.minus = true;
                }
                usize::try_from(star_width.unsigned_abs()).unwrap_or(usize::MAX)
            }
        };
        let prec = match self.prec {
            Count::None => None,
            Count::Num(n) => Some(n),
            Count::Star => usize::try_from(star_prec).ok(),
        };
        Spec {
            flags,
            width,
            prec,
            conv: self.conv,
        }
    }
}

/// Write `prefix` and `body` padded to the spec's width: spaces on the
/// left, spaces on the right (`-`), or zeros between prefix and body.
fn pad(out: &mut Vec<u8>, spec: &Spec, zero: bool, prefix: &[u8], body: &[u8]) {
    let len = prefix.len() + body.len();
    let fill = spec.width.saturating_sub(len);
    out.reserve(len + fill);
    if spec.flags.minus {
        out.extend_from_slice(prefix);
        out.extend_from_slice(body);
        out.resize(out.len() + fill, b' ');
    } else if zero {
        out.extend_from_slice(prefix);
        out.resize(out.len() + fill, b'0');
        out.extend_from_slice(body);
    } else {
        out.resize(out.len() + fill, b' ');
        out.extend_from_slice(prefix);
        out.extend_from_slice(body);
    }
}

/// `%s` (precision truncates) and `%c` (pass the character's bytes).
pub fn format_str(out: &mut Vec<u8>, spec: &Spec, s: &[u8]) {
    let s = match spec.prec {
        Some(p) if spec.conv != b'c' && p < s.len() => &s[..p],
        _ => s,
    };
    pad(out, spec, false, b"", s);
}

/// `%d %i` of a signed value (`%o %u %x %X` take its two's complement).
pub fn format_signed(out: &mut Vec<u8>, spec: &Spec, v: i64) {
    if matches!(spec.conv, b'd' | b'i') {
        integer(out, spec, v < 0, v.unsigned_abs());
    } else {
        integer(out, spec, false, v as u64);
    }
}

/// `%o %u %x %X` of an unsigned value (`%d %i` print it as unsigned too).
pub fn format_unsigned(out: &mut Vec<u8>, spec: &Spec, v: u64) {
    integer(out, spec, false, v);
}

fn integer(out: &mut Vec<u8>, spec: &Spec, neg: bool, mag: u64) {
    let (base, upper): (u64, bool) = match spec.conv {
        b'o' => (8, false),
        b'x' => (16, false),
        b'X' => (16, true),
        _ => (10, false),
    };
    let signed = matches!(spec.conv, b'd' | b'i');
    let table: &[u8; 16] = if upper {
        b"0123456789ABCDEF"
    } else {
        b"0123456789abcdef"
    };
    let mut buf = [0u8; 64];
    let mut i = buf.len();
    let mut n = mag;
    while n > 0 {
        i -= 1;
        buf[i] = table[(n % base) as usize];
        n /= base;
    }
    let digits = &buf[i..];
    let mut body: Vec<u8> = Vec::with_capacity(digits.len() + 2);
    // Precision: the minimum number of digits; the value 0 with precision 0
    // prints no digits. Without a precision, at least one digit.
    let min = spec.prec.unwrap_or(1);
    if min > digits.len() {
        body.resize(min - digits.len(), b'0');
    }
    body.extend_from_slice(digits);
    if spec.conv == b'o' && spec.flags.alt && body.first() != Some(&b'0') {
        body.insert(0, b'0');
    }
    let mut prefix: Vec<u8> = Vec::new();
    if signed {
        if neg {
            prefix.push(b'-');
        } else if spec.flags.plus {
            prefix.push(b'+');
        } else if spec.flags.space {
            prefix.push(b' ');
        }
    }
    if base == 16 && spec.flags.alt && mag != 0 {
        prefix.extend_from_slice(if upper { b"0X" } else { b"0x" });
    }
    let zero = spec.flags.zero && !spec.flags.minus && spec.prec.is_none();
    pad(out, spec, zero, &prefix, &body);
}

/// The decimal digits of `a` (finite, not negative) rounded to `prec + 1`
/// significant digits, and the decimal exponent of the first one.
fn sci_digits(a: f64, prec: usize) -> (Vec<u8>, i32) {
    // The C library's `%e` is exact and rounds half to even on the exact
    // binary value, as glibc does.
    let s = crate::sys::format_c(b'e', prec, a);
    let at = s.iter().position(|&c| c == b'e').unwrap_or(s.len());
    let digits: Vec<u8> = s[..at].iter().copied().filter(u8::is_ascii_digit).collect();
    let exp = s.get(at + 1..).unwrap_or_default();
    let (neg, mag) = match exp.split_first() {
        Some((b'-', m)) => (true, m),
        Some((b'+', m)) => (false, m),
        _ => (false, exp),
    };
    let e = mag.iter().fold(0i32, |n, &c| {
        n.saturating_mul(10).saturating_add(i32::from(c - b'0'))
    });
    (digits, if neg { -e } else { e })
}

fn push_exponent(body: &mut Vec<u8>, marker: u8, exp: i32, min_digits: usize) {
    body.push(marker);
    body.push(if exp < 0 { b'-' } else { b'+' });
    let s = exp.unsigned_abs().to_string();
    for _ in s.len()..min_digits {
        body.push(b'0');
    }
    body.extend_from_slice(s.as_bytes());
}

/// `%e`: d.ddde±XX from `prec + 1` digits.
fn exp_style(body: &mut Vec<u8>, digits: &[u8], exp: i32, alt: bool, upper: bool) {
    let (first, rest) = digits.split_first().unwrap_or((&b'0', &[]));
    body.push(*first);
    if !rest.is_empty() || alt {
        body.push(b'.');
    }
    body.extend_from_slice(rest);
    push_exponent(body, if upper { b'E' } else { b'e' }, exp, 2);
}

/// `%g`'s fixed style from the significant digits and their exponent.
fn fixed_from_digits(body: &mut Vec<u8>, digits: &[u8], exp: i32, alt: bool) {
    if exp >= 0 {
        let int_len = (exp as usize + 1).min(digits.len());
        body.extend_from_slice(&digits[..int_len]);
        for _ in digits.len()..exp as usize + 1 {
            body.push(b'0');
        }
        let frac = &digits[int_len..];
        if !frac.is_empty() || alt {
            body.push(b'.');
        }
        body.extend_from_slice(frac);
    } else {
        body.extend_from_slice(b"0.");
        for _ in 0..(-exp - 1) {
            body.push(b'0');
        }
        body.extend_from_slice(digits);
    }
}

/// `%e %E %f %F %g %G %a %A` of a double.
pub fn format_float(out: &mut Vec<u8>, spec: &Spec, v: f64) {
    let upper = spec.conv.is_ascii_uppercase();
    let f = spec.flags;
    let mut prefix: Vec<u8> = Vec::with_capacity(3);
    if v.is_sign_negative() {
        prefix.push(b'-');
    } else if f.plus {
        prefix.push(b'+');
    } else if f.space {
        prefix.push(b' ');
    }
    if !v.is_finite() {
        let word: &[u8] = match (v.is_nan(), upper) {
            (true, false) => b"nan",
            (true, true) => b"NAN",
            (false, false) => b"inf",
            (false, true) => b"INF",
        };
        pad(out, spec, false, &prefix, word);
        return;
    }
    let a = v.abs();
    let mut body: Vec<u8> = Vec::new();
    match spec.conv.to_ascii_lowercase() {
        b'f' => {
            let p = spec.prec.unwrap_or(6);
            body.extend_from_slice(&crate::sys::format_c(b'f', p, a));
            if p == 0 && f.alt {
                body.push(b'.');
            }
        }
        b'e' => {
            let p = spec.prec.unwrap_or(6);
            let (digits, exp) = sci_digits(a, p);
            exp_style(&mut body, &digits, exp, f.alt, upper);
        }
        b'a' => {
            prefix.extend_from_slice(if upper { b"0X" } else { b"0x" });
            hex_float(&mut body, a, spec.prec, f.alt, upper);
        }
        _ => {
            // %g: the style depends on the exponent after rounding to P
            // significant digits.
            let p = match spec.prec {
                None => 6,
                Some(0) => 1,
                Some(p) => p,
            };
            let (digits, exp) = sci_digits(a, p - 1);
            let fixed = exp >= -4 && i64::from(exp) < p as i64;
            if fixed {
                fixed_from_digits(&mut body, &digits, exp, f.alt);
            } else {
                exp_style(&mut body, &digits, exp, f.alt, upper);
            }
            if !f.alt {
                strip_fraction_zeros(&mut body);
            }
        }
    }
    let zero = f.zero && !f.minus;
    pad(out, spec, zero, &prefix, &body);
}

/// Remove trailing zeros of the fraction (and a bare decimal point), keeping
/// any exponent that follows.
fn strip_fraction_zeros(body: &mut Vec<u8>) {
    let Some(dot) = memchr::memchr(b'.', body) else {
        return;
    };
    let end = body
        .iter()
        .position(|&c| c == b'e' || c == b'E')
        .unwrap_or(body.len());
    let mut cut = end;
    while cut > dot + 1 && body[cut - 1] == b'0' {
        cut -= 1;
    }
    if cut == dot + 1 {
        cut = dot;
    }
    body.drain(cut..end);
}

/// `%a` of a finite, non-negative double, glibc's layout: `1.hhhp+E` for
/// normal numbers, `0.hhhp-1022` for subnormal ones, `0p+0` for zero.
fn hex_float(body: &mut Vec<u8>, a: f64, prec: Option<usize>, alt: bool, upper: bool) {
    let bits = a.to_bits();
    let biased = ((bits >> 52) & 0x7ff) as i32;
    let mut frac = bits & ((1u64 << 52) - 1);
    let (mut lead, exp): (u64, i32) = if a == 0.0 {
        (0, 0)
    } else if biased == 0 {
        (0, -1022)
    } else {
        (1, biased - 1023)
    };
    let mut ndigits = 13usize;
    match prec {
        None => {
            while ndigits > 0 && frac & 0xf == 0 {
                frac >>= 4;
                ndigits -= 1;
            }
        }
        Some(p) if p < 13 => {
            let shift = (13 - p) * 4;
            let keep = frac >> shift;
            let rem = frac & ((1u64 << shift) - 1);
            let half = 1u64 << (shift - 1);
            // Round half to even; with no fraction digits kept, the
            // leading digit decides.
            let last = if p == 0 { lead } else { keep };
            let mut kept = keep;
            if rem > half || (rem == half && last & 1 == 1) {
                kept += 1;
                if p == 0 || kept >> (p * 4) != 0 {
                    lead += 1;
                    kept = if p == 0 {
                        0
                    } else {
                        kept & ((1u64 << (p * 4)) - 1)
                    };
                }
            }
            frac = kept;
            ndigits = p;
        }
        Some(_) => {}
    }
    let table: &[u8; 16] = if upper {
        b"0123456789ABCDEF"
    } else {
        b"0123456789abcdef"
    };
    body.push(table[(lead & 0xf) as usize]);
    if ndigits > 0 || alt {
        body.push(b'.');
    }
    for i in (0..ndigits).rev() {
        body.push(table[((frac >> (i * 4)) & 0xf) as usize]);
    }
    if let Some(p) = prec {
        for _ in ndigits..p {
            body.push(b'0');
        }
    }
    push_exponent(body, if upper { b'P' } else { b'p' }, exp, 1);
}

/// A value for [`format`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Arg<'a> {
    Int(i64),
    Uint(u64),
    Float(f64),
    Str(&'a [u8]),
}

/// Format `arg` under `spec`, converting it the way C would after an
/// explicit cast to the conversion's type: floats truncate (saturating) for
/// integer conversions, numbers print in decimal for `%s`, `%c` prints the
/// first byte of a string (a NUL for an empty one) or the byte of a number.
/// Conversions other than `d i o u x X c s e E f F g G a A` print `arg` as
/// `%s` would.
pub fn format(out: &mut Vec<u8>, spec: &Spec, arg: Arg) {
    match spec.conv {
        b'd' | b'i' => match arg {
            Arg::Int(v) => format_signed(out, spec, v),
            Arg::Uint(v) => format_unsigned(out, spec, v),
            Arg::Float(v) => format_signed(out, spec, v as i64),
            Arg::Str(s) => format_signed(out, spec, strtoimax(s).value),
        },
        b'o' | b'u' | b'x' | b'X' => match arg {
            Arg::Int(v) => format_signed(out, spec, v),
            Arg::Uint(v) => format_unsigned(out, spec, v),
            Arg::Float(v) if v < 0.0 => format_signed(out, spec, v as i64),
            Arg::Float(v) => format_unsigned(out, spec, v as u64),
            Arg::Str(s) => format_unsigned(out, spec, strtoumax(s).value),
        },
        b'e' | b'E' | b'f' | b'F' | b'g' | b'G' | b'a' | b'A' => match arg {
            Arg::Int(v) => format_float(out, spec, v as f64),
            Arg::Uint(v) => format_float(out, spec, v as f64),
            Arg::Float(v) => format_float(out, spec, v),
            Arg::Str(s) => format_float(out, spec, strtod(s).value),
        },
        b'c' => {
            let byte = match arg {
                Arg::Int(v) => v as u8,
                Arg::Uint(v) => v as u8,
                Arg::Float(v) => v as i64 as u8,
                Arg::Str(s) => s.first().copied().unwrap_or(0),
            };
            format_str(out, spec, &[byte]);
        }
        _ => match arg {
            Arg::Str(s) => format_str(out, spec, s),
            Arg::Int(v) => format_str(out, spec, v.to_string().as_bytes()),
            Arg::Uint(v) => format_str(out, spec, v.to_string().as_bytes()),
            Arg::Float(v) => {
                let mut g = Vec::new();
                format_float(&mut g, &Spec::new(b'g'), v);
                format_str(out, spec, &g);
            }
        },
    }
}

// ---------------------------------------------------------------- parsing

/// What a C `strto*` function returns: the value, how many bytes it used
/// (0: no number at all), and whether the value was out of range (ERANGE;
/// the value is then saturated, or 0/inf for floats).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Parsed<T> {
    pub value: T,
    pub used: usize,
    pub range: bool,
}

fn is_c_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
}

/// Leading white space, a sign, then digits in base 0 (`0x` hex, `0`
/// octal, else decimal): (negative, magnitude, overflowed, bytes used).
fn strto_base0(s: &[u8]) -> (bool, u64, bool, usize) {
    let mut i = s.iter().take_while(|&&c| is_c_space(c)).count();
    let mut neg = false;
    if let Some(&c @ (b'+' | b'-')) = s.get(i) {
        neg = c == b'-';
        i += 1;
    }
    let mut base = 10u64;
    if s.get(i) == Some(&b'0')
        && matches!(s.get(i + 1), Some(b'x' | b'X'))
        && s.get(i + 2).is_some_and(u8::is_ascii_hexdigit)
    {
        base = 16;
        i += 2;
    } else if s.get(i) == Some(&b'0') {
        base = 8;
    }
    let start = i;
    let mut mag: u64 = 0;
    let mut over = false;
    while let Some(d) = s.get(i).and_then(|&c| (c as char).to_digit(base as u32)) {
        match mag
            .checked_mul(base)
            .and_then(|m| m.checked_add(u64::from(d)))
        {
            Some(m) => mag = m,
            None => over = true,
        }
        i += 1;
    }
    if i == start {
        return (false, 0, false, 0);
    }
    (neg, mag, over, i)
}

/// C's `strtoimax(s, &end, 0)`.
pub fn strtoimax(s: &[u8]) -> Parsed<i64> {
    let (neg, mag, over, used) = strto_base0(s);
    let limit = if neg {
        i64::MIN.unsigned_abs()
    } else {
        i64::MAX as u64
    };
    if over || mag > limit {
        let value = if neg { i64::MIN } else { i64::MAX };
        return Parsed {
            value,
            used,
            range: true,
        };
    }
    let value = if neg {
        (mag as i64).wrapping_neg()
    } else {
        mag as i64
    };
    Parsed {
        value,
        used,
        range: false,
    }
}

/// C's `strtoumax(s, &end, 0)`: a `-` negates in unsigned arithmetic.
pub fn strtoumax(s: &[u8]) -> Parsed<u64> {
    let (neg, mag, over, used) = strto_base0(s);
    if over {
        return Parsed {
            value: u64::MAX,
            used,
            range: true,
        };
    }
    Parsed {
        value: if neg { mag.wrapping_neg() } else { mag },
        used,
        range: false,
    }
}

fn starts_with_ci(s: &[u8], word: &[u8]) -> bool {
    s.len() >= word.len() && s[..word.len()].eq_ignore_ascii_case(word)
}

/// C's `strtod`: white space, sign, then a decimal or `0x` hex float,
/// `inf`, `infinity` or `nan`, `nan(chars)`; the longest prefix that is a
/// number. Overflow gives ±inf and `range`; underflow to zero too.
pub fn strtod(s: &[u8]) -> Parsed<f64> {
    let none = Parsed {
        value: 0.0,
        used: 0,
        range: false,
    };
    let mut i = s.iter().take_while(|&&c| is_c_space(c)).count();
    let mut neg = false;
    if let Some(&c @ (b'+' | b'-')) = s.get(i) {
        neg = c == b'-';
        i += 1;
    }
    let sign = |v: f64| if neg { -v } else { v };
    let rest = &s[i..];
    if starts_with_ci(rest, b"infinity") {
        return Parsed {
            value: sign(f64::INFINITY),
            used: i + 8,
            range: false,
        };
    }
    if starts_with_ci(rest, b"inf") {
        return Parsed {
            value: sign(f64::INFINITY),
            used: i + 3,
            range: false,
        };
    }
    if starts_with_ci(rest, b"nan") {
        let mut used = i + 3;
        if s.get(used) == Some(&b'(') {
            let inner = s[used + 1..]
                .iter()
                .take_while(|c| c.is_ascii_alphanumeric() || **c == b'_')
                .count();
            if s.get(used + 1 + inner) == Some(&b')') {
                used += inner + 2;
            }
        }
        return Parsed {
            value: sign(f64::NAN),
            used,
            range: false,
        };
    }
    if rest.first() == Some(&b'0')
        && matches!(rest.get(1), Some(b'x' | b'X'))
        && let Some(p) = hex_float_prefix(&rest[2..])
    {
        return Parsed {
            value: sign(p.value),
            used: i + 2 + p.used,
            range: p.range,
        };
    }
    // Decimal: digits [. digits] [e [sign] digits], at least one digit.
    let start = i;
    let int = s[i..].iter().take_while(|c| c.is_ascii_digit()).count();
    i += int;
    let mut frac = 0;
    if s.get(i) == Some(&b'.') {
        frac = s[i + 1..].iter().take_while(|c| c.is_ascii_digit()).count();
        if int + frac > 0 {
            i += 1 + frac;
        }
    }
    if int + frac == 0 {
        return none;
    }
    let mantissa_end = i;
    if matches!(s.get(i), Some(b'e' | b'E')) {
        let mut j = i + 1;
        if matches!(s.get(j), Some(b'+' | b'-')) {
            j += 1;
        }
        let n = s[j..].iter().take_while(|c| c.is_ascii_digit()).count();
        if n > 0 {
            i = j + n;
        }
    }
    let text = std::str::from_utf8(&s[start..i]).unwrap_or("0");
    let v = crate::sys::parse_f64(text.as_bytes()).unwrap_or(0.0);
    let nonzero = s[start..mantissa_end]
        .iter()
        .any(|c| (b'1'..=b'9').contains(c));
    Parsed {
        value: sign(v),
        used: i,
        range: v.is_infinite() || (v == 0.0 && nonzero),
    }
}

/// A hex float after `0x`: hex digits [. hex digits] [p [sign] digits],
/// correctly rounded (half to even). None if no hex digit.
fn hex_float_prefix(s: &[u8]) -> Option<Parsed<f64>> {
    let mut i = 0;
    let mut mant: u64 = 0;
    let mut sticky = false;
    let mut exp: i64 = 0;
    let mut any = false;
    let mut seen_point = false;
    while let Some(&c) = s.get(i) {
        if c == b'.' && !seen_point {
            seen_point = true;
            i += 1;
            continue;
        }
        let Some(d) = (c as char).to_digit(16) else {
            break;
        };
        any = true;
        if mant >> 60 == 0 {
            mant = mant << 4 | u64::from(d);
            if seen_point {
                exp -= 4;
            }
        } else {
            sticky |= d != 0;
            if !seen_point {
                exp += 4;
            }
        }
        i += 1;
    }
    if !any {
        return None;
    }
    if matches!(s.get(i), Some(b'p' | b'P')) {
        let mut j = i + 1;
        let mut eneg = false;
        if let Some(&c @ (b'+' | b'-')) = s.get(j) {
            eneg = c == b'-';
            j += 1;
        }
        let n = s[j..].iter().take_while(|c| c.is_ascii_digit()).count();
        if n > 0 {
            let mut e: i64 = 0;
            for &c in &s[j..j + n] {
                e = (e * 10 + i64::from(c - b'0')).min(1 << 40);
            }
            exp += if eneg { -e } else { e };
            i = j + n;
        }
    }
    let (value, range) = compose(mant, sticky, exp);
    Some(Parsed {
        value,
        used: i,
        range,
    })
}

/// `mant * 2^exp` (plus a sticky bit below it) rounded to a double.
fn compose(mant: u64, sticky: bool, exp: i64) -> (f64, bool) {
    if mant == 0 {
        return (0.0, false);
    }
    let lz = mant.leading_zeros();
    let m = mant << lz;
    // The value is m / 2^63 * 2^e with m's top bit set.
    let e = exp - i64::from(lz) + 63;
    if e > 1023 {
        return (f64::INFINITY, true);
    }
    if e < -1075 {
        return (0.0, true);
    }
    let keep: i64 = if e >= -1022 { 53 } else { 53 - (-1022 - e) };
    let wide: u128 = (u128::from(m) << 1) | u128::from(sticky);
    let shift = (64 - keep + 1) as u32;
    let mut kept = (wide >> shift) as u64;
    let rem = wide & ((1u128 << shift) - 1);
    let half = 1u128 << (shift - 1);
    if rem > half || (rem == half && kept & 1 == 1) {
        kept += 1;
    }
    if e >= -1022 {
        let mut e = e;
        if kept == 1 << 53 {
            kept >>= 1;
            e += 1;
        }
        if e > 1023 {
            return (f64::INFINITY, true);
        }
        let bits = (((e + 1023) as u64) << 52) | (kept & ((1u64 << 52) - 1));
        (f64::from_bits(bits), false)
    } else {
        // Subnormal: the kept bits are the multiple of 2^-1074 (a carry into
        // bit 52 gives the smallest normal number, as it should).
        (f64::from_bits(kept), kept == 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fmt(directive: &str, arg: Arg) -> String {
        let rest = &directive.as_bytes()[1..];
        let d = parse(rest).unwrap();
        let mut out = Vec::new();
        format(&mut out, &d.spec(0, 0), arg);
        out.extend_from_slice(&rest[d.len..]);
        String::from_utf8(out).unwrap()
    }

    fn f(directive: &str, v: f64) -> String {
        fmt(directive, Arg::Float(v))
    }

    #[test]
    fn parses_directives() {
        let d = parse(b"-+ #0'12.5lld rest").unwrap();
        assert!(d.flags.minus && d.flags.plus && d.flags.space);
        assert!(d.flags.alt && d.flags.zero && d.flags.group);
        assert_eq!(d.width, Count::Num(12));
        assert_eq!(d.prec, Count::Num(5));
        assert_eq!((d.conv, d.len), (b'd', 13));
        let d = parse(b"*.*f").unwrap();
        assert_eq!((d.width, d.prec, d.conv), (Count::Star, Count::Star, b'f'));
        let d = parse(b".s").unwrap();
        assert_eq!(d.prec, Count::Num(0));
        assert_eq!(parse(b"5"), None);
        assert_eq!(parse(b""), None);
        assert_eq!(parse(b"5y").unwrap().conv, b'y');
        assert_eq!(parse(b"5z"), None);
        assert_eq!(
            parse(b"99999999999999999999999d").unwrap().width,
            Count::Num(usize::MAX)
        );
    }

    #[test]
    fn star_resolution() {
        let d = parse(b"*.*d").unwrap();
        let s = d.spec(-5, -1);
        assert!(s.flags.minus);
        assert_eq!((s.width, s.prec), (5, None));
        let s = d.spec(3, 2);
        assert_eq!((s.width, s.prec), (3, Some(2)));
    }

    #[test]
    fn integers() {
        let cases: &[(&str, i64, &str)] = &[
            ("%d", 0, "0"),
            ("%d", -42, "-42"),
            ("%5d", 42, "   42"),
            ("%-5d|", 42, "42   |"),
            ("%05d", -42, "-0042"),
            ("%+d", 42, "+42"),
            ("% d", 42, " 42"),
            ("%+ d", 42, "+42"),
            ("%.3d", 7, "007"),
            ("%.0d", 0, ""),
            ("%5.0d|", 0, "     |"),
            ("%08.3d", 7, "     007"),
            ("%-08d|", 7, "7       |"),
            ("%x", 255, "ff"),
            ("%X", 255, "FF"),
            ("%#x", 255, "0xff"),
            ("%#X", 255, "0XFF"),
            ("%#x", 0, "0"),
            ("%#08x", 255, "0x0000ff"),
            ("%#.4x", 255, "0x00ff"),
            ("%o", 8, "10"),
            ("%#o", 8, "010"),
            ("%#o", 0, "0"),
            ("%#.0o", 0, "0"),
            ("%#.3o", 8, "010"),
            ("%u", -1, "18446744073709551615"),
            ("%x", -1, "ffffffffffffffff"),
            ("%+u", 5, "5"),
            ("%d", i64::MIN, "-9223372036854775808"),
            ("%'d", 1234567, "1234567"),
            ("%lld", 5, "5"),
            ("%hhd", 300, "300"),
        ];
        for &(d, v, want) in cases {
            assert_eq!(fmt(d, Arg::Int(v)), want, "{d} {v}");
        }
        assert_eq!(fmt("%d", Arg::Uint(u64::MAX)), "18446744073709551615");
        assert_eq!(fmt("%d", Arg::Float(-3.9)), "-3");
        assert_eq!(fmt("%d", Arg::Float(1e30)), "9223372036854775807");
        assert_eq!(fmt("%x", Arg::Float(255.5)), "ff");
    }

    #[test]
    fn strings_and_chars() {
        assert_eq!(fmt("%s", Arg::Str(b"abc")), "abc");
        assert_eq!(fmt("%5s|", Arg::Str(b"abc")), "  abc|");
        assert_eq!(fmt("%-5s|", Arg::Str(b"abc")), "abc  |");
        assert_eq!(fmt("%.2s|", Arg::Str(b"abc")), "ab|");
        assert_eq!(fmt("%5.1s|", Arg::Str(b"abc")), "    a|");
        assert_eq!(fmt("%.s|", Arg::Str(b"abc")), "|");
        assert_eq!(fmt("%c", Arg::Str(b"xyz")), "x");
        assert_eq!(fmt("%3c|", Arg::Str(b"xyz")), "  x|");
        assert_eq!(fmt("%c", Arg::Int(65)), "A");
        assert_eq!(fmt("%c", Arg::Str(b"")), "\0");
        assert_eq!(fmt("%s", Arg::Int(-5)), "-5");
        assert_eq!(fmt("%s", Arg::Float(0.5)), "0.5");
        assert_eq!(fmt("%d", Arg::Str(b"0x10")), "16");
    }

    /// Expected strings from glibc's printf with a `double` argument.
    #[test]
    fn floats_match_glibc() {
        let cases: &[(&str, f64, &str)] = &[
            ("%f", 0.5, "0.500000"),
            ("%.0f", 0.5, "0"),
            ("%.0f", 1.5, "2"),
            ("%.0f", 2.5, "2"),
            ("%.0f", 3.5, "4"),
            ("%.0f", -0.5, "-0"),
            ("%.1f", 0.25, "0.2"),
            ("%.1f", 0.35, "0.3"),
            ("%.2f", 1.005, "1.00"),
            ("%.2f", 2.675, "2.67"),
            ("%f", 1e-5, "0.000010"),
            ("%f", 123456789.0, "123456789.000000"),
            ("%f", -0.0, "-0.000000"),
            ("%#.0f", 3.0, "3."),
            ("%.20f", 0.1, "0.10000000000000000555"),
            (
                "%.3f",
                1e300,
                "1000000000000000052504760255204420248704468581108159154915854115511802457988908195786371375080447864043704443832883878176942523235360430575644792184786706982848387200926575803737830233794788090059368953234970799945081119038967640880074652742780142494579258788820056842838115669472196386865459400540160.000",
            ),
            ("%e", 0.5, "5.000000e-01"),
            ("%e", 0.0, "0.000000e+00"),
            ("%e", -0.0, "-0.000000e+00"),
            ("%.0e", 2.5, "2e+00"),
            ("%.0e", 3.5, "4e+00"),
            ("%#.0e", 2.5, "2.e+00"),
            ("%e", 1e-5, "1.000000e-05"),
            ("%e", 1e300, "1.000000e+300"),
            ("%E", 123456789.0, "1.234568E+08"),
            ("%.3e", 1.0005, "1.000e+00"),
            ("%e", 5e-324, "4.940656e-324"),
            ("%e", f64::MAX, "1.797693e+308"),
            ("%g", 0.5, "0.5"),
            ("%g", 1.5, "1.5"),
            ("%g", 2.5, "2.5"),
            ("%g", 0.0, "0"),
            ("%g", -0.0, "-0"),
            ("%g", 1e-5, "1e-05"),
            ("%g", 1e-4, "0.0001"),
            ("%g", 0.00012345678, "0.000123457"),
            ("%g", 123456.0, "123456"),
            ("%g", 1234567.0, "1.23457e+06"),
            ("%g", 123456789.0, "1.23457e+08"),
            ("%g", 999999.5, "1e+06"),
            ("%g", 999999.4, "999999"),
            ("%g", 1e300, "1e+300"),
            ("%g", 100.0, "100"),
            ("%g", 0.1, "0.1"),
            ("%G", 1e-10, "1E-10"),
            ("%.0g", 2.5, "2"),
            ("%.1g", 0.05, "0.05"),
            ("%.2g", 0.000125, "0.00013"),
            ("%.3g", 2.5e-5, "2.5e-05"),
            ("%#g", 1.0, "1.00000"),
            ("%#g", 1e-5, "1.00000e-05"),
            ("%#.0g", 1.0, "1."),
            ("%#g", 0.0, "0.00000"),
            ("%.15g", 0.1, "0.1"),
            ("%.17g", 0.1, "0.10000000000000001"),
            ("%.20g", 1e300, "1.0000000000000000525e+300"),
            ("%10.3f|", 1.23456, "     1.235|"),
            ("%-10.3f|", 1.23456, "1.235     |"),
            ("%010.3f", -1.23456, "-00001.235"),
            ("%+.2f", 1.0, "+1.00"),
            ("% .2f", 1.0, " 1.00"),
            ("%+e", 0.0, "+0.000000e+00"),
            ("%012e", 1.5, "1.500000e+00"),
            ("%013e", -1.5, "-1.500000e+00"),
            ("%015e", -1.5, "-001.500000e+00"),
            ("%08g", -2.5, "-00002.5"),
            ("%f", f64::INFINITY, "inf"),
            ("%F", f64::INFINITY, "INF"),
            ("%e", f64::NEG_INFINITY, "-inf"),
            ("%g", f64::NAN, "nan"),
            ("%G", -f64::NAN, "-NAN"),
            ("%+f", f64::INFINITY, "+inf"),
            ("%06f", f64::INFINITY, "   inf"),
            ("%-6f|", f64::NAN, "nan   |"),
            ("% f", f64::NAN, " nan"),
            ("%a", 1.0, "0x1p+0"),
            ("%a", 0.0, "0x0p+0"),
            ("%a", -0.0, "-0x0p+0"),
            ("%a", 0.1, "0x1.999999999999ap-4"),
            ("%A", 0.1, "0X1.999999999999AP-4"),
            ("%a", 255.0, "0x1.fep+7"),
            ("%.2a", 1.0, "0x1.00p+0"),
            ("%.0a", 1.5, "0x2p+0"),
            ("%.0a", 2.5, "0x1p+1"),
            ("%.1a", 0.1, "0x1.ap-4"),
            ("%.1a", 1.96875, "0x2.0p+0"),
            ("%#a", 1.0, "0x1.p+0"),
            ("%a", 5e-324, "0x0.0000000000001p-1022"),
            ("%a", 2.2250738585072014e-308, "0x1p-1022"),
            ("%a", f64::MAX, "0x1.fffffffffffffp+1023"),
            ("%012a", 1.0, "0x0000001p+0"),
            ("%a", f64::INFINITY, "inf"),
            ("%A", f64::NAN, "NAN"),
        ];
        for &(d, v, want) in cases {
            assert_eq!(f(d, v), want, "{d} {v:e}");
        }
    }

    #[test]
    fn integer_parsing() {
        let p = |s: &str| {
            let r = strtoimax(s.as_bytes());
            (r.value, r.used, r.range)
        };
        assert_eq!(p("42"), (42, 2, false));
        assert_eq!(p("  -42x"), (-42, 5, false));
        assert_eq!(p("+7"), (7, 2, false));
        assert_eq!(p("0x1F"), (31, 4, false));
        assert_eq!(p("0X1fg"), (31, 4, false));
        assert_eq!(p("0x"), (0, 1, false));
        assert_eq!(p("010"), (8, 3, false));
        assert_eq!(p("08"), (0, 1, false));
        assert_eq!(p("x"), (0, 0, false));
        assert_eq!(p(""), (0, 0, false));
        assert_eq!(p("-"), (0, 0, false));
        assert_eq!(p("+-1"), (0, 0, false));
        assert_eq!(p("9223372036854775807"), (i64::MAX, 19, false));
        assert_eq!(p("9223372036854775808"), (i64::MAX, 19, true));
        assert_eq!(p("-9223372036854775808"), (i64::MIN, 20, false));
        assert_eq!(p("-99999999999999999999"), (i64::MIN, 21, true));
        let u = |s: &str| {
            let r = strtoumax(s.as_bytes());
            (r.value, r.used, r.range)
        };
        assert_eq!(u("-1"), (u64::MAX, 2, false));
        assert_eq!(u("18446744073709551615"), (u64::MAX, 20, false));
        assert_eq!(u("18446744073709551616"), (u64::MAX, 20, true));
        assert_eq!(u("-99999999999999999999"), (u64::MAX, 21, true));
        assert_eq!(u("0xffffffffffffffff"), (u64::MAX, 18, false));
    }

    #[test]
    fn float_parsing() {
        let p = |s: &str| {
            let r = strtod(s.as_bytes());
            (r.value, r.used, r.range)
        };
        assert_eq!(p("1.5"), (1.5, 3, false));
        assert_eq!(p(" -2.5e3x"), (-2500.0, 7, false));
        assert_eq!(p("1e"), (1.0, 1, false));
        assert_eq!(p("1e+"), (1.0, 1, false));
        assert_eq!(p(".5"), (0.5, 2, false));
        assert_eq!(p("5."), (5.0, 2, false));
        assert_eq!(p("."), (0.0, 0, false));
        assert_eq!(p("abc"), (0.0, 0, false));
        assert_eq!(p("inf"), (f64::INFINITY, 3, false));
        assert_eq!(p("-Infinity"), (f64::NEG_INFINITY, 9, false));
        assert_eq!(p("infinit"), (f64::INFINITY, 3, false));
        assert_eq!(p("1e400"), (f64::INFINITY, 5, true));
        assert_eq!(p("1e-400"), (0.0, 6, true));
        assert_eq!(p("0e-400"), (0.0, 6, false));
        assert_eq!(p("0x1p3"), (8.0, 5, false));
        assert_eq!(p("0x1.8"), (1.5, 5, false));
        assert_eq!(p("-0x.8p1"), (-1.0, 7, false));
        assert_eq!(p("0xAp-1"), (5.0, 6, false));
        assert_eq!(p("0x1p"), (1.0, 3, false));
        assert_eq!(p("0x"), (0.0, 1, false));
        assert_eq!(p("0xg"), (0.0, 1, false));
        assert_eq!(p("0x1p-1074"), (5e-324, 9, false));
        assert_eq!(p("0x1p-1075"), (0.0, 9, true));
        assert_eq!(p("0x1.8p-1075"), (5e-324, 11, false));
        assert_eq!(p("0x1p1024"), (f64::INFINITY, 8, true));
        assert_eq!(p("0x1.fffffffffffff8p0"), (2.0, 20, false));
        assert_eq!(p("0x1.fffffffffffff7ffp0").0, 1.9999999999999998);
        assert_eq!(p("0x123456789abcdef0123p0").0, 5.373003642731685e21);
        let n = strtod(b"nan(0x1f)");
        assert!(n.value.is_nan());
        assert_eq!(n.used, 9);
        assert_eq!(strtod(b"nan(a-b)").used, 3);
        let n = strtod(b"-nan(abc_1)z");
        assert!(n.value.is_nan() && n.value.is_sign_negative());
        assert_eq!(n.used, 11);
    }
}
