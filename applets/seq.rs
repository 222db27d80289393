//! seq: print numbers from FIRST to LAST in steps of INCREMENT.
//!
//! Decimal operands are stepped exactly, as scaled integers (no binary
//! floating-point drift: `seq 0 0.1 1` ends at 1.0); the output has the
//! larger number of fraction digits of FIRST and INCREMENT, as in GNU.
//! Non-negative integer runs take a fast path that counts in ASCII. Hex,
//! `inf` and out-of-range operands fall back to binary floating point.

use ibex::Status;
use ibex::args::{Parser, Spec, flag, usage_error, value};
use ibex::cformat;
use std::ffi::OsString;
use std::os::unix::ffi::OsStrExt;

const LONGS: &[ibex::args::Long] = &[
    value("format", 'f' as u32),
    value("separator", 's' as u32),
    flag("equal-width", 'w' as u32),
];

const SPEC: Spec = Spec::new(
    "+f:s:w",
    LONGS,
    ibex::usage!(
        seq,
        "seq [-w] [-s SEP] [-f FMT] [FIRST [INC]] LAST\n\n\
         Print numbers from FIRST to LAST, in steps of INC.\n\
         FIRST, INC default to 1.\n\n\
         \t-w\tPad numbers with leading zeros to equal width\n\
         \t-s SEP\tString separator (default: newline)\n\
         \t-f FMT\tprintf-style floating point format (%e, %f or %g)"
    ),
);

/// An operand as written: sign, digits before and after the point, and
/// the exponent, when it is a plain decimal number.
struct Decimal {
    neg: bool,
    int: Vec<u8>,
    frac: Vec<u8>,
    exp: i64,
}

impl Decimal {
    /// Parse `[ws][+-]digits[.digits][(e|E)[+-]digits]`.
    fn parse(s: &[u8]) -> Option<Decimal> {
        let mut i = s.iter().take_while(|c| c.is_ascii_whitespace()).count();
        let mut neg = false;
        if let Some(&c @ (b'+' | b'-')) = s.get(i) {
            neg = c == b'-';
            i += 1;
        }
        let digits = |i: usize| s[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        let n = digits(i);
        let int = s[i..i + n].to_vec();
        i += n;
        let mut frac = Vec::new();
        if s.get(i) == Some(&b'.') {
            let m = digits(i + 1);
            frac = s[i + 1..i + 1 + m].to_vec();
            i += 1 + m;
        }
        if int.is_empty() && frac.is_empty() {
            return None;
        }
        let mut exp = 0i64;
        if matches!(s.get(i), Some(b'e' | b'E')) {
            i += 1;
            let mut eneg = false;
            if let Some(&c @ (b'+' | b'-')) = s.get(i) {
                eneg = c == b'-';
                i += 1;
            }
            let m = digits(i);
            if m == 0 {
                return None;
            }
            for &d in &s[i..i + m] {
                exp = exp.saturating_mul(10).saturating_add(i64::from(d - b'0'));
            }
            if eneg {
                exp = -exp;
            }
            i += m;
        }
        if i != s.len() {
            return None;
        }
        Some(Decimal {
            neg,
            int,
            frac,
            exp,
        })
    }

    /// Digits after the decimal point once the exponent is applied.
    fn precision(&self) -> usize {
        let p = self.frac.len() as i64 - self.exp;
        p.clamp(0, 1 << 20) as usize
    }

    /// The width of the number as written with its point moved by the
    /// exponent (leading zeros kept, `.5` counted as `0.5`).
    fn width(&self) -> usize {
        let prec = self.precision();
        let int_len = (self.int.len() as i64 + self.exp).max(0) as usize;
        usize::from(self.neg) + int_len.max(1) + if prec > 0 { prec + 1 } else { 0 }
    }

    /// The value times 10^`scale`, rounded down (or up when `ceil`), if it
    /// fits in an i128.
    fn scaled(&self, scale: usize, ceil: bool) -> Option<i128> {
        let mut v: i128 = 0;
        let shift = scale as i64 + self.exp - self.frac.len() as i64;
        let all = self.int.iter().chain(self.frac.iter());
        let total = self.int.len() + self.frac.len();
        // Digits kept: all of them when shift >= 0, else drop -shift.
        let keep = if shift >= 0 {
            total
        } else {
            total.saturating_sub(shift.unsigned_abs() as usize)
        };
        let mut dropped_nonzero = false;
        for (k, &d) in all.enumerate() {
            if k < keep {
                v = v.checked_mul(10)?.checked_add(i128::from(d - b'0'))?;
            } else if d != b'0' {
                dropped_nonzero = true;
            }
        }
        if shift > 0 {
            let p = u32::try_from(shift).ok()?;
            v = v.checked_mul(10i128.checked_pow(p)?)?;
        }
        // Round toward the requested side (the sign flips the direction).
        if dropped_nonzero && (ceil != self.neg) {
            v += 1;
        }
        Some(if self.neg { -v } else { v })
    }

    fn is_zero(&self) -> bool {
        self.int.iter().chain(self.frac.iter()).all(|&d| d == b'0')
    }
}

struct Operand {
    value: f64,
    dec: Option<Decimal>,
}

fn operand(s: &std::ffi::OsStr) -> Result<Operand, ibex::Exit> {
    let text = s.as_bytes();
    let dec = Decimal::parse(text);
    let p = cformat::strtod(text);
    if text.is_empty() || p.used != text.len() {
        let mut m = b"invalid floating point argument: ".to_vec();
        m.extend_from_slice(&ibex::copy::quote(text));
        return Err(usage_error(&SPEC, &[&m]));
    }
    if p.value.is_nan() {
        let mut m = b"invalid 'not-a-number' argument: ".to_vec();
        m.extend_from_slice(&ibex::copy::quote(text));
        return Err(usage_error(&SPEC, &[&m]));
    }
    Ok(Operand {
        value: p.value,
        dec,
    })
}

/// A user's -f format: text before and after one floating conversion.
struct Format {
    prefix: Vec<u8>,
    spec: cformat::Spec,
    suffix: Vec<u8>,
}

fn format_error(fmt: &[u8], what: &[u8]) -> ibex::Exit {
    let mut m = b"format ".to_vec();
    m.extend_from_slice(&ibex::copy::quote(fmt));
    m.extend_from_slice(what);
    ibex::msg!(m);
    ibex::Exit(1)
}

fn parse_format(fmt: &[u8]) -> Result<Format, ibex::Exit> {
    let mut prefix = Vec::new();
    let mut suffix = Vec::new();
    let mut spec = None;
    let mut i = 0;
    while i < fmt.len() {
        let c = fmt[i];
        if c != b'%' {
            if spec.is_some() {
                &mut suffix
            } else {
                &mut prefix
            }
            .push(c);
            i += 1;
            continue;
        }
        if fmt.get(i + 1) == Some(&b'%') {
            if spec.is_some() {
                &mut suffix
            } else {
                &mut prefix
            }
            .push(b'%');
            i += 2;
            continue;
        }
        if spec.is_some() {
            return Err(format_error(fmt, b" has too many % directives"));
        }
        // Flags, width, precision, an optional L, then one of efgaEFGA.
        let mut j = i + 1;
        while fmt.get(j).is_some_and(|c| b"-+ #0'".contains(c)) {
            j += 1;
        }
        while fmt.get(j).is_some_and(u8::is_ascii_digit) {
            j += 1;
        }
        if fmt.get(j) == Some(&b'.') {
            j += 1;
            while fmt.get(j).is_some_and(u8::is_ascii_digit) {
                j += 1;
            }
        }
        if fmt.get(j) == Some(&b'L') {
            j += 1;
        }
        match fmt.get(j) {
            None => return Err(format_error(fmt, b" ends in %")),
            Some(&c) if b"efgaEFGA".contains(&c) => {}
            Some(&c) => {
                return Err(format_error(
                    fmt,
                    &[b" has unknown %", &[c][..], b" directive"].concat(),
                ));
            }
        }
        // The library parser reads the same directive (ignoring the L).
        let d = cformat::parse(&fmt[i + 1..=j]).ok_or_else(|| format_error(fmt, b" ends in %"))?;
        spec = Some(d.spec(0, 0));
        i = j + 1;
    }
    match spec {
        Some(spec) => Ok(Format {
            prefix,
            spec,
            suffix,
        }),
        None => Err(format_error(fmt, b" has no % directive")),
    }
}

/// Split argv where option parsing must stop: at the first operand, or
/// at an argument that looks like a negative number (`seq -1 1`).
fn option_end(argv: &[OsString]) -> usize {
    let mut i = 1;
    while let Some(a) = argv.get(i) {
        let b = a.as_bytes();
        if b == b"--" {
            return i + 1;
        }
        if b.len() < 2 || b[0] != b'-' {
            return i;
        }
        if b[1] == b'.' || b[1].is_ascii_digit() {
            return i;
        }
        if let Some(long) = b.strip_prefix(b"--") {
            let takes_value = !long.contains(&b'=')
                && !long.is_empty()
                && (b"format".starts_with(long) || b"separator".starts_with(long));
            i += if takes_value { 2 } else { 1 };
            continue;
        }
        // A cluster: -f and -s take the rest or the next argument.
        match b[1..].iter().position(|c| *c == b'f' || *c == b's') {
            Some(p) if p + 2 == b.len() => i += 2,
            _ => i += 1,
        }
    }
    i
}

pub fn main(argv: &[OsString]) -> Status {
    let end = option_end(argv);
    let head = &argv[..end.min(argv.len())];
    let mut format: Option<&[u8]> = None;
    let mut sep: &[u8] = b"\n";
    let mut equal = false;
    let mut p = Parser::new(head, &SPEC);
    while let Some((id, v)) = p.next()? {
        let v = v.map_or(&b""[..], |v| v.as_bytes());
        match id {
            0x66 => format = Some(v),
            0x73 => sep = v,
            0x77 => equal = true,
            _ => {}
        }
    }
    let mut ops = p.operands();
    ops.extend(argv.iter().skip(end).map(|a| a.as_os_str()));
    if ops.is_empty() {
        return Err(ibex::args::missing_operand(&SPEC));
    }
    if ops.len() > 3 {
        let mut m = b"extra operand ".to_vec();
        m.extend_from_slice(&ibex::copy::quote(ops[3].as_bytes()));
        return Err(usage_error(&SPEC, &[&m]));
    }
    if format.is_some() && equal {
        return Err(usage_error(
            &SPEC,
            &[b"format string may not be specified when printing equal width strings"],
        ));
    }
    let user_format = match format {
        Some(f) => Some(parse_format(f)?),
        None => None,
    };
    let one = std::ffi::OsStr::new("1");
    let first = operand(if ops.len() >= 2 { ops[0] } else { one })?;
    let step = operand(if ops.len() == 3 { ops[1] } else { one })?;
    let last = operand(ops[ops.len() - 1])?;
    let mut out = ibex::io::Out::stdout();
    let run = Run {
        first: &first,
        step: &step,
        last: &last,
        sep,
        equal,
        format: user_format.as_ref(),
    };
    // A zero step repeats FIRST without end (as BusyBox; GNU refuses it),
    // or prints nothing when FIRST is past LAST.
    if step.value == 0.0 || !run.exact(&mut out) {
        run.float(&mut out);
    }
    out.done(0)
}

struct Run<'a> {
    first: &'a Operand,
    step: &'a Operand,
    last: &'a Operand,
    sep: &'a [u8],
    equal: bool,
    format: Option<&'a Format>,
}

/// Output buffer size: numbers are written into it directly.
const CHUNK: usize = 64 * 1024;

impl Run<'_> {
    /// The output precision (None when an operand is hex or infinite)
    /// and the -w width.
    fn layout(&self) -> (Option<usize>, usize) {
        let (Some(f), Some(s)) = (&self.first.dec, &self.step.dec) else {
            return (None, 0);
        };
        let prec = f.precision().max(s.precision());
        let adjust = |d: &Decimal| {
            let (w, p) = (d.width(), d.precision());
            if p <= prec {
                w + (prec - p) + usize::from(p == 0 && prec > 0)
            } else {
                w.saturating_sub(p - prec + usize::from(prec == 0))
            }
        };
        let mut width = adjust(f);
        if let Some(l) = &self.last.dec {
            width = width.max(adjust(l));
        }
        (Some(prec), width)
    }

    /// Exact decimal stepping; false when the operands do not allow it.
    fn exact(&self, out: &mut ibex::io::Out) -> bool {
        let (Some(fd), Some(sd), Some(ld)) = (&self.first.dec, &self.step.dec, &self.last.dec)
        else {
            return false;
        };
        let (Some(prec), width) = self.layout() else {
            return false;
        };
        let step_pos = !sd.neg;
        let (Some(first), Some(step), Some(last)) = (
            fd.scaled(prec, false),
            sd.scaled(prec, false),
            ld.scaled(prec, !step_pos),
        ) else {
            return false;
        };
        if step == 0 {
            return false;
        }
        if (step > 0 && first > last) || (step < 0 && first < last) {
            return true;
        }
        // How many numbers: 1 + (last - first) / step.
        let count = last
            .checked_sub(first)
            .map(|d| d / step)
            .and_then(|q| u128::try_from(q).ok())
            .and_then(|q| q.checked_add(1));
        let Some(count) = count else {
            return false;
        };
        let width = if self.equal { width } else { 0 };
        if self.format.is_none() && prec == 0 && first >= 0 && step > 0 && !fd.neg && width <= 40 {
            self.ascii_run(out, first as u128, step as u128, count, width);
            return true;
        }
        let scale = 10f64.powi(prec as i32);
        let mut buf = Vec::with_capacity(CHUNK + 256);
        let mut v = first;
        for i in 0..count {
            if i > 0 {
                buf.extend_from_slice(self.sep);
                v += step;
            }
            match self.format {
                Some(f) => {
                    let mut x = v as f64 / scale;
                    if i == 0 && fd.neg && fd.is_zero() {
                        x = -0.0;
                    }
                    buf.extend_from_slice(&f.prefix);
                    cformat::format_float(&mut buf, &f.spec, x);
                    buf.extend_from_slice(&f.suffix);
                }
                None => {
                    let neg = v < 0 || (i == 0 && fd.neg && fd.is_zero());
                    put_scaled(&mut buf, neg, v.unsigned_abs(), prec, width);
                }
            }
            if buf.len() >= CHUNK {
                out.write(&buf);
                buf.clear();
                if out.failed() {
                    return true;
                }
            }
        }
        buf.push(b'\n');
        out.write(&buf);
        true
    }

    /// Non-negative integers counted in ASCII: the number's digits are
    /// incremented in place and copied to the output in fixed-size moves.
    fn ascii_run(
        &self,
        out: &mut ibex::io::Out,
        first: u128,
        step: u128,
        count: u128,
        width: usize,
    ) {
        const SLOT: usize = 48;
        // Digits right-aligned in `num[..END]`, with room for a fixed
        // 48-byte copy starting at any digit.
        const END: usize = 48;
        let mut num = [b'0'; END + SLOT];
        let mut start = END;
        let mut f = first;
        loop {
            start -= 1;
            num[start] = b'0' + (f % 10) as u8;
            f /= 10;
            if f == 0 {
                break;
            }
        }
        while END - start < width {
            start -= 1;
            num[start] = b'0';
        }
        let mut step_digits = [0u8; 40];
        let mut nstep = 0;
        let mut s = step;
        while s > 0 {
            step_digits[nstep] = (s % 10) as u8;
            s /= 10;
            nstep += 1;
        }
        let sep = self.sep;
        let mut buf = vec![0u8; CHUNK + SLOT + sep.len() + 64];
        let mut pos = 0;
        let mut left = count;
        if step == 1 && sep.len() == 1 {
            // Each number is followed by the separator (the last one
            // becomes the newline). Numbers sharing all but the last
            // digit are written in one loop; the carry runs once per ten.
            let sep = sep[0];
            while left > 0 {
                let last = num[END - 1];
                let here = (left.min(u128::from(b'9' - last) + 1)) as u8;
                let len = END - start;
                for d in last..last + here {
                    buf[pos..pos + SLOT].copy_from_slice(&num[start..start + SLOT]);
                    buf[pos + len - 1] = d;
                    buf[pos + len] = sep;
                    pos += len + 1;
                }
                left -= u128::from(here);
                num[END - 1] = last + here - 1;
                let mut i = END - 1;
                loop {
                    if num[i] < b'9' {
                        num[i] += 1;
                        break;
                    }
                    num[i] = b'0';
                    i -= 1;
                    if i < start {
                        start = i;
                        num[i] = b'1';
                        break;
                    }
                }
                if pos >= CHUNK && left > 0 {
                    out.write(&buf[..pos]);
                    pos = 0;
                    if out.failed() {
                        return;
                    }
                }
            }
            if pos > 0 {
                buf[pos - 1] = b'\n';
            }
            out.write(&buf[..pos]);
            return;
        }
        let single = (sep.len() == 1).then(|| sep[0]);
        let mut first_number = true;
        while left > 0 {
            if !first_number {
                match single {
                    Some(c) => {
                        buf[pos] = c;
                        pos += 1;
                    }
                    None => {
                        buf[pos..pos + sep.len()].copy_from_slice(sep);
                        pos += sep.len();
                    }
                }
                // Add the step.
                let mut carry = 0u8;
                let mut k = 0;
                let mut i = END;
                while k < nstep || carry > 0 {
                    i -= 1;
                    if i < start {
                        start = i;
                        num[i] = b'0';
                    }
                    let d = num[i] - b'0' + carry + if k < nstep { step_digits[k] } else { 0 };
                    carry = u8::from(d >= 10);
                    num[i] = b'0' + d % 10;
                    k += 1;
                }
            }
            first_number = false;
            let len = END - start;
            buf[pos..pos + SLOT].copy_from_slice(&num[start..start + SLOT]);
            pos += len;
            left -= 1;
            if pos >= CHUNK {
                out.write(&buf[..pos]);
                pos = 0;
                if out.failed() {
                    return;
                }
            }
        }
        buf[pos] = b'\n';
        out.write(&buf[..pos + 1]);
    }

    /// Binary floating point, for hex, infinite and huge operands.
    fn float(&self, out: &mut ibex::io::Out) {
        let (prec, width) = self.layout();
        let spec = match (self.format, prec) {
            (Some(f), _) => f.spec,
            (None, Some(p)) => {
                let mut s = cformat::Spec::new(b'f');
                s.prec = Some(p);
                if self.equal {
                    s.width = width;
                    s.flags.zero = true;
                }
                s
            }
            (None, None) => cformat::Spec::new(b'g'),
        };
        let (first, step, last) = (self.first.value, self.step.value, self.last.value);
        let mut buf = Vec::with_capacity(CHUNK + 256);
        let mut i: u64 = 0;
        loop {
            let x = if i == 0 {
                first
            } else {
                first + i as f64 * step
            };
            if (step >= 0.0 && x > last) || (step < 0.0 && x < last) {
                break;
            }
            if i > 0 {
                buf.extend_from_slice(self.sep);
            }
            if let Some(f) = self.format {
                buf.extend_from_slice(&f.prefix);
            }
            cformat::format_float(&mut buf, &spec, x);
            if let Some(f) = self.format {
                buf.extend_from_slice(&f.suffix);
            }
            if buf.len() >= CHUNK {
                out.write(&buf);
                buf.clear();
                if out.failed() {
                    return;
                }
            }
            i += 1;
        }
        if i > 0 {
            buf.push(b'\n');
        }
        out.write(&buf);
    }
}

/// Append `mag / 10^prec` with `prec` fraction digits, zero-padded after
/// the sign to `width`.
fn put_scaled(buf: &mut Vec<u8>, neg: bool, mag: u128, prec: usize, width: usize) {
    let mut digits = [0u8; 48];
    let mut n = 0;
    let mut m = mag;
    while m > 0 || n <= prec {
        digits[n] = b'0' + (m % 10) as u8;
        m /= 10;
        n += 1;
        if n == digits.len() {
            break;
        }
    }
    let len = usize::from(neg) + n + usize::from(prec > 0);
    if neg {
        buf.push(b'-');
    }
    for _ in len..width {
        buf.push(b'0');
    }
    for k in (0..n).rev() {
        buf.push(digits[k]);
        if k == prec && prec > 0 {
            buf.push(b'.');
        }
    }
}
