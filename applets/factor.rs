//! factor: print the prime factors of each number (operands, or the
//! whitespace-separated words of standard input), as `12: 2 2 3`. Numbers
//! up to 2^128-1: trial division by small primes, then Miller-Rabin and
//! Pollard's rho (Brent's variant) in Montgomery arithmetic. `-h` prints
//! repeated factors as `p^e`; `-x` prints in hexadecimal (toybox).

use ibex::Status;
use ibex::args::{Parser, Spec, flag};
use ibex::io::{LineReader, Out};
use std::ffi::OsString;
use std::os::unix::ffi::OsStrExt;

const SPEC: Spec = Spec::new(
    "hx",
    &[flag("exponents", 'h' as u32)],
    ibex::usage!(
        factor,
        "factor [-hx] [NUMBER]...\n\n\
         Print prime factors\n\n\
         \t-h, --exponents\tPrint repeated factors as p^e\n\
         \t-x\tPrint the numbers in hexadecimal"
    ),
);

/// a * b as (high, low) halves.
fn mul_wide(a: u128, b: u128) -> (u128, u128) {
    let m = u128::from(u64::MAX);
    let (a0, a1, b0, b1) = (a & m, a >> 64, b & m, b >> 64);
    let (p00, p01, p10, p11) = (a0 * b0, a0 * b1, a1 * b0, a1 * b1);
    let mid = (p00 >> 64) + (p01 & m) + (p10 & m);
    let lo = (p00 & m) | (mid << 64);
    let hi = p11 + (p01 >> 64) + (p10 >> 64) + (mid >> 64);
    (hi, lo)
}

/// Montgomery arithmetic modulo an odd n (numbers kept as a*R mod n,
/// R = 2^128).
struct Mont {
    n: u128,
    /// -n^-1 mod R.
    ninv: u128,
    /// R mod n (1 in Montgomery form).
    one: u128,
    /// R^2 mod n.
    r2: u128,
}

impl Mont {
    fn new(n: u128) -> Mont {
        let mut inv: u128 = 1;
        for _ in 0..7 {
            inv = inv.wrapping_mul(2u128.wrapping_sub(n.wrapping_mul(inv)));
        }
        let one = (u128::MAX % n + 1) % n;
        // R^2 mod n by doubling R mod n 128 times.
        let mut r2 = one;
        for _ in 0..128 {
            r2 = add_mod(r2, r2, n);
        }
        Mont {
            n,
            ninv: inv.wrapping_neg(),
            one,
            r2,
        }
    }

    fn redc(&self, hi: u128, lo: u128) -> u128 {
        let m = lo.wrapping_mul(self.ninv);
        let (mh, ml) = mul_wide(m, self.n);
        let (_, carry) = lo.overflowing_add(ml);
        let (t, o1) = hi.overflowing_add(mh);
        let (t, o2) = t.overflowing_add(u128::from(carry));
        if o1 || o2 || t >= self.n {
            t.wrapping_sub(self.n)
        } else {
            t
        }
    }

    fn mul(&self, a: u128, b: u128) -> u128 {
        let (h, l) = mul_wide(a, b);
        self.redc(h, l)
    }

    fn to(&self, a: u128) -> u128 {
        self.mul(a % self.n, self.r2)
    }

    fn pow(&self, mut b: u128, mut e: u128) -> u128 {
        let mut r = self.one;
        while e > 0 {
            if e & 1 == 1 {
                r = self.mul(r, b);
            }
            b = self.mul(b, b);
            e >>= 1;
        }
        r
    }
}

fn add_mod(a: u128, b: u128, n: u128) -> u128 {
    let (s, o) = a.overflowing_add(b);
    if o || s >= n { s.wrapping_sub(n) } else { s }
}

fn sub_mod(a: u128, b: u128, n: u128) -> u128 {
    if a >= b {
        a - b
    } else {
        a.wrapping_sub(b).wrapping_add(n)
    }
}

fn gcd(mut a: u128, mut b: u128) -> u128 {
    if a == 0 {
        return b;
    }
    if b == 0 {
        return a;
    }
    let shift = (a | b).trailing_zeros();
    a >>= a.trailing_zeros();
    loop {
        b >>= b.trailing_zeros();
        if a > b {
            std::mem::swap(&mut a, &mut b);
        }
        b -= a;
        if b == 0 {
            return a << shift;
        }
    }
}

const SMALL: [u32; 25] = [
    2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73, 79, 83, 89, 97,
];

/// Miller-Rabin for an odd n > 97 with no factor below 100. Deterministic
/// below 3.3e24 (the first 13 prime bases); the 25 prime bases used above
/// that have no known strong pseudoprime below 2^128.
fn is_prime(n: u128) -> bool {
    let mo = Mont::new(n);
    let d = (n - 1) >> (n - 1).trailing_zeros();
    let s = (n - 1).trailing_zeros();
    let minus1 = sub_mod(0, mo.one, n);
    let bases = if n < 3_317_044_064_679_887_385_961_981 {
        13
    } else {
        25
    };
    'base: for &a in &SMALL[..bases] {
        let mut x = mo.pow(mo.to(u128::from(a)), d);
        if x == mo.one || x == minus1 {
            continue;
        }
        for _ in 1..s {
            x = mo.mul(x, x);
            if x == minus1 {
                continue 'base;
            }
        }
        return false;
    }
    true
}

/// A non-trivial factor of an odd composite n (Brent's rho).
fn rho(n: u128) -> u128 {
    let mo = Mont::new(n);
    let mut c = mo.one;
    loop {
        let f = |x: u128| add_mod(mo.mul(x, x), c, n);
        let (mut x, mut y, mut q) = (mo.to(2), mo.to(2), mo.one);
        let mut ys = y;
        let mut g = 1;
        let mut r = 1u64;
        while g == 1 {
            x = y;
            for _ in 0..r {
                y = f(y);
            }
            let mut k = 0;
            while k < r && g == 1 {
                ys = y;
                for _ in 0..128.min(r - k) {
                    y = f(y);
                    q = mo.mul(q, sub_mod(x, y, n));
                }
                g = gcd(q, n);
                k += 128;
            }
            r *= 2;
        }
        if g == n {
            // The batch overshot: step one at a time from its start.
            loop {
                ys = f(ys);
                g = gcd(sub_mod(x, ys, n), n);
                if g > 1 {
                    break;
                }
            }
        }
        if g != n {
            return g;
        }
        c = add_mod(c, mo.one, n);
    }
}

/// The primes below 1000, for trial division.
const PRIMES: [u16; 168] = {
    let mut t = [0u16; 168];
    let mut n = 0;
    let mut c = 2u16;
    while c < 1000 {
        let mut d = 2;
        while d * d <= c && !c.is_multiple_of(d) {
            d += 1;
        }
        if d * d > c {
            t[n] = c;
            n += 1;
        }
        c += 1;
    }
    t
};

/// For each odd prime p of [`PRIMES`]: p^-1 mod 2^64 and u64::MAX / p.
/// n is a multiple of p exactly when n * p^-1 <= u64::MAX / p, and then
/// n * p^-1 is n / p: a multiplication instead of a division.
const INVERSES: [(u64, u64); 167] = {
    let mut t = [(0u64, 0u64); 167];
    let mut i = 0;
    while i < 167 {
        let p = PRIMES[i + 1] as u64;
        let mut inv = p;
        let mut k = 0;
        while k < 6 {
            inv = inv.wrapping_mul(2u64.wrapping_sub(p.wrapping_mul(inv)));
            k += 1;
        }
        t[i] = (inv, u64::MAX / p);
        i += 1;
    }
    t
};

/// Divide out the primes below 1000 (in 64-bit arithmetic when n fits:
/// 128-bit division is a slow library call).
fn trial(n: u128, out: &mut Vec<u128>) -> u128 {
    if let Ok(mut m) = u64::try_from(n) {
        if m == 0 {
            return 0;
        }
        for _ in 0..m.trailing_zeros() {
            out.push(2);
        }
        m >>= m.trailing_zeros();
        for (&p, &(inv, lim)) in PRIMES[1..].iter().zip(&INVERSES) {
            let p = u64::from(p);
            if p * p > m {
                break;
            }
            while m.wrapping_mul(inv) <= lim {
                out.push(u128::from(p));
                m = m.wrapping_mul(inv);
            }
        }
        return u128::from(m);
    }
    let mut n = n;
    for &p in &PRIMES {
        let p = u128::from(p);
        while n.is_multiple_of(p) {
            out.push(p);
            n /= p;
        }
    }
    n
}

fn factor(n: u128, out: &mut Vec<u128>) {
    let n = trial(n, out);
    if n == 1 {
        return;
    }
    let start = out.len();
    let mut stack = vec![n];
    while let Some(m) = stack.pop() {
        if m < 1_000_000 || is_prime(m) {
            out.push(m);
        } else {
            let d = rho(m);
            stack.push(d);
            stack.push(m / d);
        }
    }
    ibex::order::sort(&mut out[start..]);
}

/// Output gathered byte by byte (musl's memcpy is slow for the few bytes
/// of each number) and handed to `Out` in big blocks.
struct Lines {
    buf: Vec<u8>,
    out: Out,
    hex: bool,
}

impl Lines {
    fn byte(&mut self, b: u8) {
        self.buf.push(b);
    }

    /// `n` in decimal, or in hexadecimal when `self.hex`.
    fn num(&mut self, n: u128) {
        if self.hex {
            let digits = (128 - n.leading_zeros()).div_ceil(4).max(1);
            for k in (0..digits).rev() {
                self.buf
                    .push(b"0123456789abcdef"[((n >> (4 * k)) & 15) as usize]);
            }
            return;
        }
        let mut d = [0u8; 40];
        let mut i = 0;
        if let Ok(mut n) = u64::try_from(n) {
            loop {
                d[i] = b'0' + (n % 10) as u8;
                n /= 10;
                i += 1;
                if n == 0 {
                    break;
                }
            }
        } else {
            let mut n = n;
            while n > 0 && i < d.len() {
                d[i] = b'0' + (n % 10) as u8;
                n /= 10;
                i += 1;
            }
        }
        while i > 0 {
            i -= 1;
            self.buf.push(d[i]);
        }
    }

    fn end_line(&mut self) {
        self.buf.push(b'\n');
        if self.buf.len() >= 1 << 15 {
            self.out.write(&self.buf);
            self.buf.clear();
        }
    }

    /// Everything out, before a message on stderr.
    fn flush(&mut self) {
        self.out.write(&self.buf);
        self.buf.clear();
        self.out.flush();
    }
}

/// Factor one word; false after a message.
fn one(word: &[u8], exp: bool, out: &mut Lines, fs: &mut Vec<u128>) -> bool {
    let s = ibex::num::trim_start(word);
    let s = s.strip_prefix(b"+").unwrap_or(s);
    let mut n: u128 = 0;
    let mut big = false;
    for &c in s {
        if !c.is_ascii_digit() {
            big = false;
            n = 0;
            break;
        }
        match n
            .checked_mul(10)
            .and_then(|v| v.checked_add(u128::from(c - b'0')))
        {
            Some(v) => n = v,
            None => big = true,
        }
    }
    let valid = !s.is_empty() && s.iter().all(u8::is_ascii_digit);
    if !valid {
        out.flush();
        ibex::msg!(
            ibex::records::cquote(word),
            " is not a valid positive integer"
        );
        return false;
    }
    if big {
        out.flush();
        ibex::msg!(ibex::records::cquote(word), " is too large");
        return false;
    }
    fs.clear();
    if n > 1 {
        factor(n, fs);
    }
    out.num(n);
    out.byte(b':');
    let mut i = 0;
    while let Some(&p) = fs.get(i) {
        let mut e = 1;
        if exp {
            while fs.get(i + e) == Some(&p) {
                e += 1;
            }
        }
        out.byte(b' ');
        out.num(p);
        if e > 1 {
            out.byte(b'^');
            // The exponent stays decimal.
            let hex = std::mem::replace(&mut out.hex, false);
            out.num(e as u128);
            out.hex = hex;
        }
        i += e;
    }
    out.end_line();
    true
}

pub fn main(argv: &[OsString]) -> Status {
    let (mut exp, mut hex) = (false, false);
    let mut p = Parser::new(argv, &SPEC);
    while let Some((id, _)) = p.next()? {
        if id == 'x' as u32 {
            hex = true;
        } else {
            exp = true;
        }
    }
    let ops = p.operands();
    let mut out = Lines {
        buf: Vec::with_capacity(1 << 16),
        out: Out::stdout(),
        hex,
    };
    let mut fs = Vec::new();
    let mut status = 0;
    if !ops.is_empty() {
        for w in &ops {
            if !one(w.as_bytes(), exp, &mut out, &mut fs) {
                status = 1;
            }
        }
        out.flush();
        return out.out.done(status);
    }
    let mut r = LineReader::new(0);
    loop {
        match r.next_line() {
            Ok(Some(line)) => {
                for w in line
                    .split(u8::is_ascii_whitespace)
                    .filter(|w| !w.is_empty())
                {
                    if !one(w, exp, &mut out, &mut fs) {
                        status = 1;
                    }
                }
            }
            Ok(None) => break,
            Err(e) => {
                out.flush();
                ibex::error::io_error("-", &e);
                status = 1;
                break;
            }
        }
    }
    out.flush();
    out.out.done(status)
}
