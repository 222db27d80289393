//! Sort keys: `-k POS1[,POS2]` and obsolete `+POS1 -POS2` specs, finding a
//! key in a line, the orderings (text, -n, -g, -h, -M, -V, -R with -b -d
//! -f -i -r), and a 64-bit prefix of the first key for fast comparisons.

use std::cmp::Ordering;

pub use ibex::fields::is_blank;

fn is_space(c: u8) -> bool {
    c == b' ' || (b'\t'..=b'\r').contains(&c)
}

/// What a key ignores: nothing, all but blanks and alphanumerics (-d), or
/// the non-printing bytes (-i).
#[derive(Clone, Copy, PartialEq, Eq, Default, Debug)]
pub enum Ignore {
    #[default]
    Nothing,
    NonDict,
    NonPrint,
}

impl Ignore {
    fn skips(self, c: u8) -> bool {
        match self {
            Ignore::Nothing => false,
            Ignore::NonDict => !(c.is_ascii_alphanumeric() || is_blank(c)),
            Ignore::NonPrint => !(0x20..0x7f).contains(&c),
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Default, Debug)]
pub enum Kind {
    #[default]
    Text,
    Numeric,
    General,
    Human,
    Month,
    Version,
    Random,
}

/// The ordering options of a key (or the global ones).
#[derive(Clone, Copy, Default, Debug)]
pub struct Order {
    pub numeric: bool,
    pub general: bool,
    pub human: bool,
    pub month: bool,
    pub version: bool,
    pub random: bool,
    pub ignore: Ignore,
    pub fold: bool,
    pub reverse: bool,
    pub blank_start: bool,
    pub blank_end: bool,
}

impl Order {
    /// Set the option letter `c`; false when it is not one. `end` says the
    /// letter follows POS2 (where `b` means skipping blanks at the end).
    pub fn set(&mut self, c: u8, end: bool) -> bool {
        match c {
            b'b' if end => self.blank_end = true,
            b'b' => self.blank_start = true,
            b'd' => self.ignore = Ignore::NonDict,
            b'i' if self.ignore == Ignore::Nothing => self.ignore = Ignore::NonPrint,
            b'i' => {}
            b'f' => self.fold = true,
            b'g' => self.general = true,
            b'h' => self.human = true,
            b'M' => self.month = true,
            b'n' => self.numeric = true,
            b'R' => self.random = true,
            b'V' => self.version = true,
            b'r' => self.reverse = true,
            _ => return false,
        }
        true
    }

    /// Whether any option is set (a key with none inherits the global ones).
    pub fn any(&self) -> bool {
        self.numeric
            || self.general
            || self.human
            || self.month
            || self.version
            || self.random
            || self.ignore != Ignore::Nothing
            || self.fold
            || self.reverse
            || self.blank_start
            || self.blank_end
    }

    pub fn kind(&self) -> Kind {
        if self.numeric {
            Kind::Numeric
        } else if self.general {
            Kind::General
        } else if self.human {
            Kind::Human
        } else if self.month {
            Kind::Month
        } else if self.version {
            Kind::Version
        } else if self.random {
            Kind::Random
        } else {
            Kind::Text
        }
    }

    /// GNU's `options '-dn' are incompatible` check: the letters when the
    /// options conflict.
    pub fn conflict(&self) -> Option<String> {
        let n = usize::from(self.numeric)
            + usize::from(self.general)
            + usize::from(self.human)
            + usize::from(self.month)
            + usize::from(self.version || self.random || self.ignore != Ignore::Nothing);
        if n < 2 {
            return None;
        }
        let mut s = String::from("-");
        let flags = [
            (self.ignore == Ignore::NonDict, 'd'),
            (self.fold, 'f'),
            (self.general, 'g'),
            (self.human, 'h'),
            (self.ignore == Ignore::NonPrint, 'i'),
            (self.month, 'M'),
            (self.numeric, 'n'),
            (self.random, 'R'),
            (self.version, 'V'),
        ];
        for (on, c) in flags {
            if on {
                s.push(c);
            }
        }
        Some(s)
    }
}

/// Where a key ends.
#[derive(Clone, Copy, Debug)]
pub enum End {
    /// At the end of the line.
    Line,
    /// After skipping `skip` fields: the end of that field when `chars` is
    /// 0, else `chars` characters into it.
    Field { skip: usize, chars: usize },
}

#[derive(Clone, Copy, Debug)]
pub struct Key {
    /// Fields and then characters skipped to reach the start.
    pub skip: usize,
    pub chars: usize,
    pub end: End,
    pub ord: Order,
}

/// A key-spec error: GNU's message.
pub type SpecError = Vec<u8>;

fn spec_err(what: &str, spec: &[u8]) -> SpecError {
    let mut m = what.as_bytes().to_vec();
    m.extend_from_slice(b": invalid field specification '");
    m.extend_from_slice(spec);
    m.push(b'\'');
    m
}

fn count_err(what: &str, rest: &[u8]) -> SpecError {
    let mut m = what.as_bytes().to_vec();
    m.extend_from_slice(b": invalid count at start of '");
    m.extend_from_slice(rest);
    m.push(b'\'');
    m
}

/// A count as strtoumax reads it: leading white space and `+` allowed,
/// saturating on overflow. Returns the value and the rest.
fn count(s: &[u8]) -> Option<(usize, &[u8])> {
    let mut i = s.iter().take_while(|&&c| is_space(c)).count();
    if s.get(i) == Some(&b'+') {
        i += 1;
    }
    let d = s[i..].iter().take_while(|c| c.is_ascii_digit()).count();
    if d == 0 {
        return None;
    }
    let mut n: usize = 0;
    for &c in &s[i..i + d] {
        n = n.saturating_mul(10).saturating_add(usize::from(c - b'0'));
    }
    Some((n, &s[i + d..]))
}

fn flags<'a>(mut s: &'a [u8], ord: &mut Order, end: bool) -> &'a [u8] {
    while let Some(&c) = s.first() {
        if !ord.set(c, end) {
            break;
        }
        s = &s[1..];
    }
    s
}

/// Parse a `-k` argument.
pub fn parse_key(spec: &[u8]) -> Result<Key, SpecError> {
    let mut ord = Order::default();
    let (f, rest) = count(spec).ok_or_else(|| count_err("invalid number at field start", spec))?;
    if f == 0 {
        return Err(spec_err("field number is zero", spec));
    }
    let mut rest = rest;
    let mut chars = 0;
    if let Some(r) = rest.strip_prefix(b".") {
        let (c, r) = count(r).ok_or_else(|| count_err("invalid number after '.'", r))?;
        if c == 0 {
            return Err(spec_err("character offset is zero", spec));
        }
        chars = c - 1;
        rest = r;
    }
    rest = flags(rest, &mut ord, false);
    let mut end = End::Line;
    if let Some(r) = rest.strip_prefix(b",") {
        let (f2, r) = count(r).ok_or_else(|| count_err("invalid number after ','", r))?;
        if f2 == 0 {
            return Err(spec_err("field number is zero", spec));
        }
        rest = r;
        let mut c2 = 0;
        if let Some(r) = rest.strip_prefix(b".") {
            let (c, r) = count(r).ok_or_else(|| count_err("invalid number after '.'", r))?;
            c2 = c;
            rest = r;
        }
        end = End::Field {
            skip: f2 - 1,
            chars: c2,
        };
        rest = flags(rest, &mut ord, true);
    }
    if !rest.is_empty() {
        return Err(spec_err("stray character in field spec", spec));
    }
    Ok(Key {
        skip: f - 1,
        chars,
        end,
        ord,
    })
}

/// Digits, optionally `.` and digits: an obsolete position's numbers.
fn obsolete_pos(s: &[u8]) -> Option<(usize, usize, &[u8])> {
    let d = s.iter().take_while(|c| c.is_ascii_digit()).count();
    if d == 0 {
        return None;
    }
    let (f, _) = count(&s[..d])?;
    let mut rest = &s[d..];
    let mut c = 0;
    if let Some(r) = rest.strip_prefix(b".") {
        let d = r.iter().take_while(|c| c.is_ascii_digit()).count();
        if d == 0 {
            return None;
        }
        c = count(&r[..d])?.0;
        rest = &r[d..];
    }
    Some((f, c, rest))
}

/// An obsolete `+POS1` (fields and characters counted from 0), or None
/// when the argument is not one (it is then a file name).
pub fn parse_obsolete_start(arg: &[u8]) -> Option<Key> {
    let (f, c, rest) = obsolete_pos(arg.strip_prefix(b"+")?)?;
    let mut ord = Order::default();
    if !flags(rest, &mut ord, false).is_empty() {
        return None;
    }
    Some(Key {
        skip: f,
        chars: c,
        end: End::Line,
        ord,
    })
}

/// Apply an obsolete `-POS2` to `key`.
pub fn parse_obsolete_end(arg: &[u8], key: &mut Key) -> Result<(), SpecError> {
    let bad = || spec_err("stray character in field spec", arg);
    let (f, c, rest) = obsolete_pos(arg.strip_prefix(b"-").ok_or_else(bad)?).ok_or_else(bad)?;
    if !flags(rest, &mut key.ord, true).is_empty() {
        return Err(bad());
    }
    key.end = if c == 0 {
        End::Field {
            skip: f.saturating_sub(1),
            chars: 0,
        }
    } else {
        End::Field { skip: f, chars: c }
    };
    Ok(())
}

/// Skip `n` fields from `p`: past `n` separators with -t, else past `n`
/// runs of blanks followed by non-blanks.
fn skip_fields(line: &[u8], mut p: usize, n: usize, tab: Option<u8>) -> usize {
    let len = line.len();
    match tab {
        Some(t) => {
            for _ in 0..n {
                match memchr::memchr(t, &line[p..]) {
                    Some(i) => p += i + 1,
                    None => return len,
                }
            }
        }
        None => {
            for _ in 0..n {
                if p >= len {
                    break;
                }
                while p < len && is_blank(line[p]) {
                    p += 1;
                }
                while p < len && !is_blank(line[p]) {
                    p += 1;
                }
            }
        }
    }
    p
}

fn skip_blanks(line: &[u8], mut p: usize) -> usize {
    while p < line.len() && is_blank(line[p]) {
        p += 1;
    }
    p
}

impl Key {
    /// The key's part of `line` (which excludes the line's delimiter).
    pub fn find<'a>(&self, line: &'a [u8], tab: Option<u8>) -> &'a [u8] {
        let len = line.len();
        let mut b = skip_fields(line, 0, self.skip, tab);
        if self.ord.blank_start {
            b = skip_blanks(line, b);
        }
        b = b.saturating_add(self.chars).min(len);
        let e = match self.end {
            End::Line => len,
            End::Field { skip, chars } => {
                let mut p = skip_fields(line, 0, skip, tab);
                if chars == 0 {
                    match tab {
                        Some(t) => memchr::memchr(t, &line[p..]).map_or(len, |i| p + i),
                        None => {
                            p = skip_blanks(line, p);
                            while p < len && !is_blank(line[p]) {
                                p += 1;
                            }
                            p
                        }
                    }
                } else {
                    if self.ord.blank_end {
                        p = skip_blanks(line, p);
                    }
                    p.saturating_add(chars).min(len)
                }
            }
        };
        if e <= b { &line[b..b] } else { &line[b..e] }
    }

    /// Compare two keys' texts by this key's ordering (reverse included).
    pub fn compare(&self, a: &[u8], b: &[u8], salt: &Salt) -> Ordering {
        let o = match self.ord.kind() {
            Kind::Text => text_cmp(a, b, self.ord.ignore, self.ord.fold),
            Kind::Numeric => num_cmp(a, b),
            Kind::General => general_cmp(a, b),
            Kind::Human if self.ord.fold => {
                let (x, y) = (self.transform(a), self.transform(b));
                human_cmp(&x, &y)
            }
            Kind::Human => human_cmp(a, b),
            Kind::Month => month(a).cmp(&month(b)),
            Kind::Version if self.ord.ignore != Ignore::Nothing || self.ord.fold => {
                let (x, y) = (self.transform(a), self.transform(b));
                version_cmp(&x, &y)
            }
            Kind::Version => version_cmp(a, b),
            Kind::Random => random_cmp(a, b, &self.ord, salt),
        };
        if self.ord.reverse { o.reverse() } else { o }
    }

    /// The key with ignored bytes left out and case folded.
    fn transform(&self, k: &[u8]) -> Vec<u8> {
        k.iter()
            .filter(|&&c| !self.ord.ignore.skips(c))
            .map(|&c| {
                if self.ord.fold {
                    c.to_ascii_uppercase()
                } else {
                    c
                }
            })
            .collect()
    }

    /// A 64-bit value that orders like the key where it differs: keys
    /// with different prefixes compare as their prefixes do.
    pub fn prefix(&self, k: &[u8], salt: &Salt) -> u64 {
        let p = match self.ord.kind() {
            Kind::Text => {
                if self.ord.ignore == Ignore::Nothing && !self.ord.fold {
                    bytes_prefix(k)
                } else {
                    filtered_prefix(k, self.ord.ignore, self.ord.fold)
                }
            }
            Kind::Numeric => num_prefix(k),
            Kind::General => general_prefix(k),
            Kind::Month => u64::from(month(k)),
            Kind::Random => salt.hash(k, &self.ord),
            Kind::Human | Kind::Version => 0,
        };
        if self.ord.reverse { !p } else { p }
    }
}

/// The first 8 bytes, big-endian, padded with zeros.
pub fn bytes_prefix(k: &[u8]) -> u64 {
    match k.get(..8) {
        Some(b) => {
            let mut a = [0u8; 8];
            a.copy_from_slice(b);
            u64::from_be_bytes(a)
        }
        None => {
            let mut a = [0u8; 8];
            a[..k.len()].copy_from_slice(k);
            u64::from_be_bytes(a)
        }
    }
}

fn filtered_prefix(k: &[u8], ignore: Ignore, fold: bool) -> u64 {
    let mut p = 0u64;
    let mut n = 0;
    for &c in k {
        if ignore.skips(c) {
            continue;
        }
        let c = if fold { c.to_ascii_uppercase() } else { c };
        p = p << 8 | u64::from(c);
        n += 1;
        if n == 8 {
            return p;
        }
    }
    if n == 0 { 0 } else { p << (8 * (8 - n)) }
}

/// Byte-wise comparison, 8 bytes at a time.
pub fn bytes_cmp(a: &[u8], b: &[u8]) -> Ordering {
    let n = a.len().min(b.len());
    let mut i = 0;
    while i + 8 <= n {
        let (x, y) = (bytes_prefix(&a[i..i + 8]), bytes_prefix(&b[i..i + 8]));
        if x != y {
            return x.cmp(&y);
        }
        i += 8;
    }
    a[i..n].cmp(&b[i..n]).then(a.len().cmp(&b.len()))
}

fn text_cmp(a: &[u8], b: &[u8], ignore: Ignore, fold: bool) -> Ordering {
    if ignore == Ignore::Nothing && !fold {
        return bytes_cmp(a, b);
    }
    let (mut i, mut j) = (0, 0);
    loop {
        while i < a.len() && ignore.skips(a[i]) {
            i += 1;
        }
        while j < b.len() && ignore.skips(b[j]) {
            j += 1;
        }
        if i == a.len() || j == b.len() {
            return (i < a.len()).cmp(&(j < b.len()));
        }
        let (x, y) = if fold {
            (a[i].to_ascii_uppercase(), b[j].to_ascii_uppercase())
        } else {
            (a[i], b[j])
        };
        if x != y {
            return x.cmp(&y);
        }
        i += 1;
        j += 1;
    }
}

// ---------------------------------------------------------------- -n

/// A number as -n reads it: blanks, optional `-`, digits, optional `.`
/// and digits. Integer digits without leading zeros, fraction digits
/// without trailing zeros; the sign only when the number is not zero.
struct Num<'a> {
    neg: bool,
    int: &'a [u8],
    frac: &'a [u8],
}

fn parse_num(s: &[u8]) -> Num<'_> {
    let mut i = 0;
    while i < s.len() && is_blank(s[i]) {
        i += 1;
    }
    let neg = s.get(i) == Some(&b'-');
    if neg {
        i += 1;
    }
    while i < s.len() && s[i] == b'0' {
        i += 1;
    }
    let start = i;
    while i < s.len() && s[i].is_ascii_digit() {
        i += 1;
    }
    let int = &s[start..i];
    let mut frac: &[u8] = &[];
    if s.get(i) == Some(&b'.') {
        let fs = i + 1;
        let mut fe = fs;
        while fe < s.len() && s[fe].is_ascii_digit() {
            fe += 1;
        }
        let mut f = &s[fs..fe];
        while let Some((&b'0', r)) = f.split_last() {
            f = r;
        }
        frac = f;
    }
    let zero = int.is_empty() && frac.is_empty();
    Num {
        neg: neg && !zero,
        int,
        frac,
    }
}

fn sign(n: &Num) -> i8 {
    if n.int.is_empty() && n.frac.is_empty() {
        0
    } else if n.neg {
        -1
    } else {
        1
    }
}

fn num_cmp_parsed(x: &Num, y: &Num) -> Ordering {
    let (sx, sy) = (sign(x), sign(y));
    if sx != sy || sx == 0 {
        return sx.cmp(&sy);
    }
    let mag = x
        .int
        .len()
        .cmp(&y.int.len())
        .then_with(|| x.int.cmp(y.int))
        .then_with(|| x.frac.cmp(y.frac));
    if sx < 0 { mag.reverse() } else { mag }
}

pub fn num_cmp(a: &[u8], b: &[u8]) -> Ordering {
    num_cmp_parsed(&parse_num(a), &parse_num(b))
}

fn num_prefix(k: &[u8]) -> u64 {
    let n = parse_num(k);
    let s = sign(&n);
    if s == 0 {
        return 1 << 63;
    }
    // 10 bits of integer digit count (1023: that many or more, digits
    // left out), then 13 digits in 4 bits each.
    let mut m: u64;
    if n.int.len() >= 1023 {
        m = 1023 << 52;
    } else {
        m = (n.int.len() as u64) << 52;
        let mut shift = 48i32;
        for &d in n.int.iter().chain(n.frac.iter()) {
            if shift < 0 {
                break;
            }
            m |= u64::from(d - b'0') << shift;
            shift -= 4;
        }
    }
    if s < 0 {
        !m & ((1 << 62) - 1)
    } else {
        3 << 62 | m
    }
}

// ---------------------------------------------------------------- -h

/// The unit order of a -h number: 0 none, 1 K ... 8 Y, negative when the
/// number has a minus sign; a number that is zero has none.
fn unit_order(s: &[u8]) -> (i32, &[u8]) {
    let i = s.iter().take_while(|&&c| is_blank(c)).count();
    let t = &s[i..];
    let neg = t.first() == Some(&b'-');
    let mut j = usize::from(neg);
    let mut nonzero = false;
    let mut digits = |j: &mut usize| {
        while *j < t.len() && t[*j].is_ascii_digit() {
            nonzero |= t[*j] != b'0';
            *j += 1;
        }
    };
    digits(&mut j);
    if t.get(j) == Some(&b'.') {
        j += 1;
        digits(&mut j);
    }
    if !nonzero {
        return (0, t);
    }
    let order = match t.get(j) {
        Some(b'K' | b'k') => 1,
        Some(b'M') => 2,
        Some(b'G') => 3,
        Some(b'T') => 4,
        Some(b'P') => 5,
        Some(b'E') => 6,
        Some(b'Z') => 7,
        Some(b'Y') => 8,
        _ => 0,
    };
    (if neg { -order } else { order }, t)
}

fn human_cmp(a: &[u8], b: &[u8]) -> Ordering {
    let (oa, ta) = unit_order(a);
    let (ob, tb) = unit_order(b);
    oa.cmp(&ob).then_with(|| num_cmp(ta, tb))
}

// ---------------------------------------------------------------- -M

fn month(k: &[u8]) -> u8 {
    const NAMES: [&[u8; 3]; 12] = [
        b"JAN", b"FEB", b"MAR", b"APR", b"MAY", b"JUN", b"JUL", b"AUG", b"SEP", b"OCT", b"NOV",
        b"DEC",
    ];
    let i = k.iter().take_while(|&&c| is_blank(c)).count();
    let Some(m) = k.get(i..i + 3) else {
        return 0;
    };
    let up = [
        m[0].to_ascii_uppercase(),
        m[1].to_ascii_uppercase(),
        m[2].to_ascii_uppercase(),
    ];
    NAMES
        .iter()
        .position(|n| **n == up)
        .map_or(0, |p| p as u8 + 1)
}

// ---------------------------------------------------------------- -g

/// The value strtod would read at the start of `s` (after white space),
/// or None when it reads nothing.
pub fn strtod(s: &[u8]) -> Option<f64> {
    let mut i = s.iter().take_while(|&&c| is_space(c)).count();
    let neg = match s.get(i) {
        Some(b'-') => {
            i += 1;
            true
        }
        Some(b'+') => {
            i += 1;
            false
        }
        _ => false,
    };
    let t = &s[i..];
    let starts = |w: &[u8]| t.len() >= w.len() && t[..w.len()].eq_ignore_ascii_case(w);
    let v = if starts(b"inf") {
        f64::INFINITY
    } else if starts(b"nan") {
        f64::NAN
    } else if (starts(b"0x")) && hex_start(&t[2..]) {
        hex_float(&t[2..])
    } else {
        let d = t.iter().take_while(|c| c.is_ascii_digit()).count();
        let mut e = d;
        let mut fd = 0;
        if t.get(e) == Some(&b'.') {
            fd = t[e + 1..].iter().take_while(|c| c.is_ascii_digit()).count();
            e += 1 + fd;
        }
        if d + fd == 0 {
            return None;
        }
        if matches!(t.get(e), Some(b'e' | b'E')) {
            let mut x = e + 1;
            if matches!(t.get(x), Some(b'+' | b'-')) {
                x += 1;
            }
            let xd = t[x.min(t.len())..]
                .iter()
                .take_while(|c| c.is_ascii_digit())
                .count();
            if xd > 0 {
                e = x + xd;
            }
        }
        ibex::sys::parse_f64(&t[..e]).unwrap_or(0.0)
    };
    Some(if neg { -v } else { v })
}

fn hex_start(t: &[u8]) -> bool {
    match t.first() {
        Some(c) if c.is_ascii_hexdigit() => true,
        Some(b'.') => t.get(1).is_some_and(|c| c.is_ascii_hexdigit()),
        _ => false,
    }
}

fn hex_float(t: &[u8]) -> f64 {
    let mut mant: u64 = 0;
    let mut exp: i64 = 0;
    let mut i = 0;
    let mut seen_dot = false;
    while i < t.len() {
        let c = t[i];
        if c == b'.' && !seen_dot {
            seen_dot = true;
        } else if let Some(v) = (c as char).to_digit(16) {
            if mant >> 60 == 0 {
                mant = mant << 4 | u64::from(v);
                if seen_dot {
                    exp -= 4;
                }
            } else if !seen_dot {
                exp += 4;
            }
        } else {
            break;
        }
        i += 1;
    }
    if matches!(t.get(i), Some(b'p' | b'P')) {
        let mut x = i + 1;
        let neg = t.get(x) == Some(&b'-');
        if matches!(t.get(x), Some(b'+' | b'-')) {
            x += 1;
        }
        let xd = t[x.min(t.len())..]
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .count();
        if xd > 0 {
            let mut e: i64 = 0;
            for &c in &t[x..x + xd] {
                e = (e * 10 + i64::from(c - b'0')).min(1 << 20);
            }
            exp += if neg { -e } else { e };
        }
    }
    let mut v = mant as f64;
    // Scale in steps that cannot overflow an i32 exponent.
    while exp > 0 {
        let s = exp.min(1000);
        v *= 2f64.powi(s as i32);
        exp -= s;
    }
    while exp < 0 {
        let s = (-exp).min(1000);
        v /= 2f64.powi(s as i32);
        exp += s;
    }
    v
}

/// Errors first, then NaNs, then numbers; -0 equals 0.
fn general_cmp(a: &[u8], b: &[u8]) -> Ordering {
    general_rank(strtod(a)).cmp(&general_rank(strtod(b)))
}

fn general_rank(v: Option<f64>) -> u64 {
    match v {
        None => 0,
        Some(x) if x.is_nan() => 1 + u64::from(x.is_sign_negative()),
        Some(x) => {
            let x = if x == 0.0 { 0.0 } else { x };
            let bits = x.to_bits();
            let m = if bits >> 63 == 1 {
                !bits
            } else {
                bits | 1 << 63
            };
            m.max(3)
        }
    }
}

fn general_prefix(k: &[u8]) -> u64 {
    general_rank(strtod(k))
}

// ---------------------------------------------------------------- -V

/// Length of `s` without its file-name suffix: the longest tail made of
/// `.` + letter-or-`~` + letters, digits and `~`.
fn prefix_len(s: &[u8]) -> usize {
    let n = s.len();
    let mut prefix = 0;
    let mut i = 0;
    loop {
        while i + 1 < n && s[i] == b'.' && (s[i + 1].is_ascii_alphabetic() || s[i + 1] == b'~') {
            i += 2;
            while i < n && (s[i].is_ascii_alphanumeric() || s[i] == b'~') {
                i += 1;
            }
        }
        if i >= n {
            return prefix;
        }
        i += 1;
        prefix = i;
    }
}

/// How a non-digit byte orders in a version: `~` first, then the end,
/// then letters, then everything else.
fn rank(s: &[u8], i: usize) -> i32 {
    match s.get(i) {
        None => -1,
        Some(&c) if c.is_ascii_digit() => 0,
        Some(&c) if c.is_ascii_alphabetic() => i32::from(c),
        Some(b'~') => -2,
        Some(&c) => i32::from(c) + 256,
    }
}

/// Debian-style version comparison of two strings.
fn ver_parts(a: &[u8], b: &[u8]) -> Ordering {
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        while (i < a.len() && !a[i].is_ascii_digit()) || (j < b.len() && !b[j].is_ascii_digit()) {
            let (x, y) = (rank(a, i), rank(b, j));
            if x != y {
                return x.cmp(&y);
            }
            i += 1;
            j += 1;
        }
        while i < a.len() && a[i] == b'0' {
            i += 1;
        }
        while j < b.len() && b[j] == b'0' {
            j += 1;
        }
        let mut first = Ordering::Equal;
        while i < a.len() && j < b.len() && a[i].is_ascii_digit() && b[j].is_ascii_digit() {
            if first == Ordering::Equal {
                first = a[i].cmp(&b[j]);
            }
            i += 1;
            j += 1;
        }
        if i < a.len() && a[i].is_ascii_digit() {
            return Ordering::Greater;
        }
        if j < b.len() && b[j].is_ascii_digit() {
            return Ordering::Less;
        }
        if first != Ordering::Equal {
            return first;
        }
    }
    Ordering::Equal
}

/// GNU's version sort (`ls -v`, `sort -V`) of two names.
pub fn version_cmp(a: &[u8], b: &[u8]) -> Ordering {
    if a.is_empty() || b.is_empty() {
        return (!a.is_empty()).cmp(&!b.is_empty());
    }
    let rank_dot = |s: &[u8]| match s {
        b"." => 0,
        b".." => 1,
        [b'.', ..] => 2,
        _ => 3,
    };
    let (ra, rb) = (rank_dot(a), rank_dot(b));
    if ra != rb || ra < 2 {
        return ra.cmp(&rb);
    }
    let (pa, pb) = (prefix_len(a), prefix_len(b));
    let o = ver_parts(&a[..pa], &b[..pb]);
    if o != Ordering::Equal || (pa == a.len() && pb == b.len()) {
        return o;
    }
    ver_parts(a, b)
}

// ---------------------------------------------------------------- -R

/// The secret that -R hashes keys with.
pub struct Salt {
    pub k0: u64,
    pub k1: u64,
}

impl Salt {
    #[allow(deprecated)]
    fn hash(&self, k: &[u8], ord: &Order) -> u64 {
        use std::hash::Hasher;
        let mut h = std::hash::SipHasher::new_with_keys(self.k0, self.k1);
        if ord.ignore == Ignore::Nothing && !ord.fold {
            h.write(k);
        } else {
            for &c in k {
                if !ord.ignore.skips(c) {
                    h.write_u8(if ord.fold { c.to_ascii_uppercase() } else { c });
                }
            }
        }
        h.finish()
    }
}

fn random_cmp(a: &[u8], b: &[u8], ord: &Order, salt: &Salt) -> Ordering {
    salt.hash(a, ord)
        .cmp(&salt.hash(b, ord))
        .then_with(|| text_cmp(a, b, ord.ignore, ord.fold))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_order() {
        let v: &[&[u8]] = &[
            b"-10", b"-9.5", b"-1", b"-0.01", b"0", b"-0", b".0", b"0.001", b"1", b"1.0", b"01",
            b"9", b"10", b"10.5",
        ];
        for w in v.windows(2) {
            let o = num_cmp(w[0], w[1]);
            assert!(o != Ordering::Greater, "{:?}", w);
            let (p, q) = (num_prefix(w[0]), num_prefix(w[1]));
            assert!(p <= q, "{:?}", w);
        }
        assert_eq!(num_cmp(b"-0", b"0"), Ordering::Equal);
        assert_eq!(num_cmp(b"1.50", b"1.5"), Ordering::Equal);
    }

    #[test]
    fn versions() {
        let v: &[&[u8]] = &[b"a", b"a1", b"a2", b"a10", b"a10.1", b"b", b"b~1", b"b1"];
        let mut s = v.to_vec();
        s.sort_by(|a, b| version_cmp(a, b));
        assert_eq!(
            s,
            vec![
                &b"a"[..],
                b"a1",
                b"a2",
                b"a10",
                b"a10.1",
                b"b~1",
                b"b",
                b"b1"
            ]
        );
    }

    #[test]
    fn strtod_forms() {
        assert_eq!(strtod(b"  1.5e3x"), Some(1500.0));
        assert_eq!(strtod(b"-inf"), Some(f64::NEG_INFINITY));
        assert_eq!(strtod(b"0x10"), Some(16.0));
        assert_eq!(strtod(b"0x1p4"), Some(16.0));
        assert_eq!(strtod(b"1e"), Some(1.0));
        assert_eq!(strtod(b"x"), None);
        assert_eq!(strtod(b"."), None);
        assert!(strtod(b"nan").is_some_and(|v| v.is_nan()));
    }
}
