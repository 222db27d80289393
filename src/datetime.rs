//! Free-form date parsing for `touch -d` and `date -d`, in the spirit of GNU
//! `parse_datetime`: `@EPOCH[.frac]`, ISO dates and times (`2020-01-02`,
//! `2020-01-02 03:04[:05[.frac]]`, `2020-01-02T03:04:05Z`), US and written
//! dates (`1/2/2020`, `Jan 2 2020`, `2 Jan 2020`), zones (`Z`, `UTC`, `EST`,
//! `+05:30`, `-0200`, military letters), `now`/`today`/`yesterday`/
//! `tomorrow`, relative items (`+3 days`, `-2 hours`, `1 week ago`, `next
//! week`, `last year`) and weekdays (`monday`, `next monday`, `last fri`).
//! Local times use the process's TZ through the C library's `mktime`.
//! Also the POSIX `touch -t` stamp `[[CC]YY]MMDDhhmm[.ss]`.

use crate::sys::{self, Timespec};

#[derive(Clone, Debug, PartialEq, Eq)]
enum Tok {
    /// Digits, with the sign written before them (0 none, 1 `+`, -1 `-`).
    Num {
        digits: Vec<u8>,
        sign: i8,
    },
    Word(Vec<u8>),
    Colon,
    Slash,
    Comma,
    Dot,
    Minus,
    Plus,
}

/// Tokens with whether whitespace preceded them.
fn lex(s: &[u8]) -> Option<Vec<(Tok, bool)>> {
    let mut out = Vec::new();
    let mut i = 0;
    let mut space = true;
    while let Some(&c) = s.get(i) {
        if c.is_ascii_whitespace() {
            space = true;
            i += 1;
            continue;
        }
        if c == b'(' {
            // Comments nest.
            let mut depth = 0usize;
            while let Some(&c) = s.get(i) {
                i += 1;
                if c == b'(' {
                    depth += 1;
                } else if c == b')' {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                }
            }
            if depth != 0 {
                return None;
            }
            space = true;
            continue;
        }
        let tok = if c.is_ascii_digit() {
            let n = s[i..].iter().take_while(|c| c.is_ascii_digit()).count();
            let t = Tok::Num {
                digits: s[i..i + n].to_vec(),
                sign: 0,
            };
            i += n;
            t
        } else if c == b'+' || c == b'-' {
            let mut j = i + 1;
            while s.get(j).is_some_and(|c| c.is_ascii_whitespace()) {
                j += 1;
            }
            let n = s
                .get(j..)
                .unwrap_or_default()
                .iter()
                .take_while(|c| c.is_ascii_digit())
                .count();
            if n > 0 {
                let t = Tok::Num {
                    digits: s[j..j + n].to_vec(),
                    sign: if c == b'-' { -1 } else { 1 },
                };
                i = j + n;
                t
            } else {
                i += 1;
                if c == b'-' { Tok::Minus } else { Tok::Plus }
            }
        } else if c.is_ascii_alphabetic() {
            let n = s[i..]
                .iter()
                .take_while(|c| c.is_ascii_alphabetic() || **c == b'.')
                .count();
            let w: Vec<u8> = s[i..i + n]
                .iter()
                .filter(|&&c| c != b'.')
                .map(u8::to_ascii_lowercase)
                .collect();
            i += n;
            Tok::Word(w)
        } else {
            i += 1;
            match c {
                b':' => Tok::Colon,
                b'/' => Tok::Slash,
                b',' => Tok::Comma,
                b'.' => Tok::Dot,
                _ => return None,
            }
        };
        out.push((tok, space));
        space = false;
    }
    Some(out)
}

fn num_value(d: &[u8]) -> Option<i64> {
    if d.is_empty() || d.len() > 18 {
        return None;
    }
    let mut n: i64 = 0;
    for &c in d {
        n = n * 10 + i64::from(c - b'0');
    }
    Some(n)
}

/// Nanoseconds from fraction digits (extra digits are dropped).
fn frac_ns(d: &[u8]) -> i64 {
    let mut ns: i64 = 0;
    for i in 0..9 {
        ns = ns * 10 + d.get(i).map_or(0, |&c| i64::from(c - b'0'));
    }
    ns
}

const MONTHS: [&[u8]; 12] = [
    b"january",
    b"february",
    b"march",
    b"april",
    b"may",
    b"june",
    b"july",
    b"august",
    b"september",
    b"october",
    b"november",
    b"december",
];
const DAYS: [&[u8]; 7] = [
    b"sunday",
    b"monday",
    b"tuesday",
    b"wednesday",
    b"thursday",
    b"friday",
    b"saturday",
];

/// Full name or its three-letter abbreviation.
fn lookup(table: &[&[u8]], w: &[u8]) -> Option<usize> {
    table
        .iter()
        .position(|name| *name == w || (w.len() == 3 && name.starts_with(w)))
}

fn month_word(w: &[u8]) -> Option<i64> {
    if w == b"sept" {
        return Some(9);
    }
    lookup(&MONTHS, w).map(|i| i as i64 + 1)
}

fn day_word(w: &[u8]) -> Option<i64> {
    match w {
        b"tues" => Some(2),
        b"wednes" | b"weds" => Some(3),
        b"thur" | b"thurs" => Some(4),
        _ => lookup(&DAYS, w).map(|i| i as i64),
    }
}

#[derive(Clone, Copy)]
enum Unit {
    Year,
    Month,
    Day(i64),
    Second(i64),
}

fn unit_word(w: &[u8]) -> Option<Unit> {
    let w = w.strip_suffix(b"s").filter(|r| r.len() > 1).unwrap_or(w);
    Some(match w {
        b"year" => Unit::Year,
        b"month" => Unit::Month,
        b"fortnight" => Unit::Day(14),
        b"week" => Unit::Day(7),
        b"day" => Unit::Day(1),
        b"hour" => Unit::Second(3600),
        b"minute" | b"min" => Unit::Second(60),
        b"second" | b"sec" => Unit::Second(1),
        _ => return None,
    })
}

fn ordinal_word(w: &[u8]) -> Option<i64> {
    Some(match w {
        b"last" => -1,
        b"this" => 0,
        b"next" | b"first" => 1,
        b"third" => 3,
        b"fourth" => 4,
        b"fifth" => 5,
        b"sixth" => 6,
        b"seventh" => 7,
        b"eighth" => 8,
        b"ninth" => 9,
        b"tenth" => 10,
        b"eleventh" => 11,
        b"twelfth" => 12,
        _ => return None,
    })
}

/// Offsets in minutes east of UTC.
fn zone_word(w: &[u8]) -> Option<i64> {
    const ZONES: &[(&[u8], i64)] = &[
        (b"gmt", 0),
        (b"ut", 0),
        (b"utc", 0),
        (b"wet", 0),
        (b"west", 60),
        (b"bst", 60),
        (b"art", -180),
        (b"brt", -180),
        (b"brst", -120),
        (b"nst", -210),
        (b"ndt", -150),
        (b"ast", -240),
        (b"adt", -180),
        (b"est", -300),
        (b"edt", -240),
        (b"cst", -360),
        (b"cdt", -300),
        (b"mst", -420),
        (b"mdt", -360),
        (b"pst", -480),
        (b"pdt", -420),
        (b"akst", -540),
        (b"akdt", -480),
        (b"hst", -600),
        (b"hast", -600),
        (b"hadt", -540),
        (b"sst", -660),
        (b"wat", 60),
        (b"cet", 60),
        (b"cest", 120),
        (b"met", 60),
        (b"mez", 60),
        (b"mest", 120),
        (b"mesz", 120),
        (b"eet", 120),
        (b"eest", 180),
        (b"cat", 120),
        (b"sast", 120),
        (b"eat", 180),
        (b"msk", 180),
        (b"msd", 240),
        (b"ist", 330),
        (b"sgt", 480),
        (b"kst", 540),
        (b"jst", 540),
        (b"gst", 600),
        (b"nzst", 720),
        (b"nzdt", 780),
    ];
    if let Some(&(_, off)) = ZONES.iter().find(|(n, _)| *n == w) {
        return Some(off);
    }
    // Military zones: A..I = +1..+9, K..M = +10..+12, N..Y = -1..-12, Z = 0.
    match w {
        [c @ b'a'..=b'i'] => Some(i64::from(c - b'a' + 1) * 60),
        [c @ b'k'..=b'm'] => Some(i64::from(c - b'k' + 10) * 60),
        [c @ b'n'..=b'y'] => Some(-i64::from(c - b'n' + 1) * 60),
        [b'z'] => Some(0),
        _ => None,
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Meridian {
    H24,
    Am,
    Pm,
}

#[derive(Default)]
struct Rel {
    year: i64,
    month: i64,
    day: i64,
    second: i64,
}

struct Parsed {
    year: Option<(i64, usize)>,
    month: i64,
    day: i64,
    hour: i64,
    min: i64,
    sec: i64,
    nsec: i64,
    meridian: Meridian,
    dates: u32,
    times: u32,
    days: u32,
    zones: u32,
    rels: bool,
    day_ordinal: i64,
    day_number: i64,
    zone: i64,
    /// A zone name of the local time zone was given: whether it is the
    /// daylight-saving one.
    local_isdst: Option<(bool, i64)>,
    rel: Rel,
}

/// A local zone abbreviation (lowercase), whether it is daylight time,
/// and its offset.
type LocalName = (Vec<u8>, bool, i64);

struct P<'a> {
    toks: &'a [(Tok, bool)],
    local_names: &'a [LocalName],
    i: usize,
    pc: Parsed,
}

impl P<'_> {
    fn peek(&self, k: usize) -> Option<&Tok> {
        self.toks.get(self.i + k).map(|(t, _)| t)
    }
    fn spaced(&self, k: usize) -> bool {
        self.toks.get(self.i + k).is_some_and(|(_, s)| *s)
    }
    fn unsigned(&self, k: usize) -> Option<&[u8]> {
        match self.peek(k) {
            Some(Tok::Num { digits, sign: 0 }) => Some(digits),
            _ => None,
        }
    }
    fn word(&self, k: usize) -> Option<&[u8]> {
        match self.peek(k) {
            Some(Tok::Word(w)) => Some(w),
            _ => None,
        }
    }

    fn add_rel(&mut self, unit: Unit, n: i64) -> Option<()> {
        let r = &mut self.pc.rel;
        match unit {
            Unit::Year => r.year = r.year.checked_add(n)?,
            Unit::Month => r.month = r.month.checked_add(n)?,
            Unit::Day(d) => r.day = r.day.checked_add(n.checked_mul(d)?)?,
            Unit::Second(s) => r.second = r.second.checked_add(n.checked_mul(s)?)?,
        }
        self.pc.rels = true;
        Some(())
    }

    /// A relative unit word just consumed with count `n`; `ago` negates it.
    fn rel_item(&mut self, unit: Unit, n: i64) -> Option<()> {
        let n = if self.word(0) == Some(b"ago") {
            self.i += 1;
            n.checked_neg()?
        } else {
            n
        };
        self.add_rel(unit, n)
    }

    /// `+HH`, `+HHMM`, `+HH:MM` as minutes.
    fn zone_offset(&mut self, digits: &[u8], sign: i8) -> Option<i64> {
        let v = num_value(digits)?;
        let minutes = if self.peek(0) == Some(&Tok::Colon) {
            let mm = num_value(self.unsigned(1)?)?;
            self.i += 2;
            if mm > 59 {
                return None;
            }
            v.checked_mul(60)? + mm
        } else if digits.len() <= 2 {
            v * 60
        } else if digits.len() <= 4 {
            (v / 100) * 60 + v % 100
        } else {
            return None;
        };
        if minutes > 24 * 60 {
            return None;
        }
        Some(if sign < 0 { -minutes } else { minutes })
    }

    fn set_zone(&mut self, minutes: i64) {
        self.pc.zone = minutes * 60;
        self.pc.zones += 1;
    }

    fn meridian(&mut self) -> Meridian {
        let m = match self.word(0) {
            Some(b"am") => Meridian::Am,
            Some(b"pm") => Meridian::Pm,
            _ => return Meridian::H24,
        };
        self.i += 1;
        m
    }

    /// `H:M[:S[.frac]] [am|pm | zone offset]`, at a number followed by `:`.
    fn time(&mut self) -> Option<()> {
        let h = num_value(self.unsigned(0)?)?;
        let m = num_value(self.unsigned(2)?)?;
        self.i += 3;
        let mut s = 0;
        let mut ns = 0;
        if self.peek(0) == Some(&Tok::Colon) {
            s = num_value(self.unsigned(1)?)?;
            self.i += 2;
            if matches!(self.peek(0), Some(Tok::Dot) | Some(Tok::Comma))
                && !self.spaced(0)
                && !self.spaced(1)
                && let Some(f) = self.unsigned(1)
            {
                ns = frac_ns(f);
                self.i += 2;
            }
        }
        let meridian = self.meridian();
        let pc = &mut self.pc;
        pc.hour = h;
        pc.min = m;
        pc.sec = s;
        pc.nsec = ns;
        pc.times += 1;
        pc.meridian = meridian;
        if self.pc.meridian == Meridian::H24
            && let Some(Tok::Num { digits, sign }) = self.peek(0).cloned()
            && sign != 0
        {
            self.i += 1;
            let off = self.zone_offset(&digits, sign)?;
            self.set_zone(off);
        }
        Some(())
    }

    fn set_date(&mut self, year: Option<&[u8]>, month: i64, day: i64) -> Option<()> {
        if let Some(y) = year {
            self.pc.year = Some((num_value(y)?, y.len()));
        }
        self.pc.month = month;
        self.pc.day = day;
        self.pc.dates += 1;
        // ISO 8601 `T` between date and time.
        if self.word(0) == Some(b"t")
            && self.unsigned(1).is_some()
            && self.peek(2) == Some(&Tok::Colon)
        {
            self.i += 1;
        }
        Some(())
    }

    fn item(&mut self) -> Option<()> {
        let t0 = self.peek(0)?.clone();
        match t0 {
            Tok::Comma => {
                self.i += 1;
                Some(())
            }
            Tok::Num { digits, sign } => {
                let n = num_value(&digits)?;
                let signed_n = if sign < 0 { -n } else { n };
                // N unit [ago]
                if let Some(u) = self.word(1).and_then(unit_word) {
                    self.i += 2;
                    return self.rel_item(u, signed_n);
                }
                if sign != 0 {
                    return None;
                }
                match self.peek(1) {
                    Some(Tok::Colon) => return self.time(),
                    Some(Tok::Slash) => {
                        let b = num_value(self.unsigned(2)?)?;
                        self.i += 3;
                        if digits.len() >= 3 {
                            // Y/M/D
                            let c = num_value(self.unsigned(1)?)?;
                            if self.peek(0) != Some(&Tok::Slash) {
                                return None;
                            }
                            self.i += 2;
                            return self.set_date(Some(&digits), b, c);
                        }
                        if self.peek(0) == Some(&Tok::Slash) {
                            let y = self.unsigned(1)?.to_vec();
                            self.i += 2;
                            return self.set_date(Some(&y), n, b);
                        }
                        return self.set_date(None, n, b);
                    }
                    Some(Tok::Num {
                        digits: m,
                        sign: -1,
                    }) => {
                        // Y-M-D
                        let m = num_value(m)?;
                        let d = match self.peek(2) {
                            Some(Tok::Num { digits, sign: -1 }) => num_value(digits)?,
                            _ => return None,
                        };
                        self.i += 3;
                        return self.set_date(Some(&digits), m, d);
                    }
                    _ => {}
                }
                // D [-] Month [[-]Year]
                let mut k = 1;
                if self.peek(1) == Some(&Tok::Minus) {
                    k = 2;
                }
                if let Some(mon) = self.word(k).and_then(month_word) {
                    self.i += k + 1;
                    let year = match self.peek(0) {
                        Some(Tok::Num { digits, sign }) if *sign <= 0 => {
                            let is_time = self.peek(1) == Some(&Tok::Colon);
                            if is_time && *sign == 0 {
                                None
                            } else {
                                let y = digits.clone();
                                self.i += 1;
                                Some(y)
                            }
                        }
                        _ => None,
                    };
                    return self.set_date(year.as_deref(), mon, n);
                }
                // N am/pm
                if let Some(w) = self.word(1)
                    && (w == b"am" || w == b"pm")
                {
                    self.i += 1;
                    let meridian = self.meridian();
                    let pc = &mut self.pc;
                    pc.hour = n;
                    pc.min = 0;
                    pc.sec = 0;
                    pc.nsec = 0;
                    pc.times += 1;
                    pc.meridian = meridian;
                    return Some(());
                }
                // N weekday: an ordinal day.
                if let Some(d) = self.word(1).and_then(day_word) {
                    self.i += 2;
                    if self.peek(0) == Some(&Tok::Comma) {
                        self.i += 1;
                    }
                    self.pc.day_ordinal = n;
                    self.pc.day_number = d;
                    self.pc.days += 1;
                    return Some(());
                }
                self.i += 1;
                self.number(&digits, n);
                Some(())
            }
            Tok::Word(w) => {
                self.i += 1;
                match w.as_slice() {
                    b"now" | b"today" => {
                        self.pc.rels = true;
                        return Some(());
                    }
                    b"yesterday" => return self.add_rel(Unit::Day(1), -1),
                    b"tomorrow" => return self.add_rel(Unit::Day(1), 1),
                    _ => {}
                }
                if let Some(ord) = ordinal_word(&w) {
                    if let Some(u) = self.word(0).and_then(unit_word) {
                        self.i += 1;
                        return self.rel_item(u, ord);
                    }
                    if let Some(d) = self.word(0).and_then(day_word) {
                        self.i += 1;
                        if self.peek(0) == Some(&Tok::Comma) {
                            self.i += 1;
                        }
                        self.pc.day_ordinal = ord;
                        self.pc.day_number = d;
                        self.pc.days += 1;
                        return Some(());
                    }
                    return None;
                }
                if let Some(u) = unit_word(&w) {
                    return self.rel_item(u, 1);
                }
                if let Some(d) = day_word(&w) {
                    if self.peek(0) == Some(&Tok::Comma) {
                        self.i += 1;
                    }
                    self.pc.day_ordinal = 0;
                    self.pc.day_number = d;
                    self.pc.days += 1;
                    return Some(());
                }
                if let Some(mon) = month_word(&w) {
                    // Month D [[,] Year]
                    let day = num_value(self.unsigned(0)?)?;
                    self.i += 1;
                    let mut year = None;
                    let mut k = 0;
                    if self.peek(0) == Some(&Tok::Comma) {
                        k = 1;
                    }
                    if let Some(y) = self.unsigned(k)
                        && self.peek(k + 1) != Some(&Tok::Colon)
                    {
                        year = Some(y.to_vec());
                        self.i += k + 1;
                    }
                    return self.set_date(year.as_deref(), mon, day);
                }
                let universal = matches!(w.as_slice(), b"gmt" | b"ut" | b"utc" | b"z");
                if let Some((_, isdst, off)) =
                    self.local_names.iter().find(|n| n.0 == w && !universal)
                {
                    if self.pc.local_isdst.is_some() {
                        return None;
                    }
                    self.pc.local_isdst = Some((*isdst, *off));
                    return Some(());
                }
                if let Some(mut off) = zone_word(&w) {
                    if let Some(Tok::Num { digits, sign }) = self.peek(0).cloned()
                        && sign != 0
                    {
                        self.i += 1;
                        off += self.zone_offset(&digits, sign)?;
                    }
                    if self.word(0) == Some(b"dst") {
                        self.i += 1;
                        off += 60;
                    }
                    self.set_zone(off);
                    return Some(());
                }
                None
            }
            _ => None,
        }
    }

    /// A bare number: a year after a date, YYYYMMDD, or HH / HHMM.
    fn number(&mut self, digits: &[u8], n: i64) {
        let pc = &mut self.pc;
        if pc.dates > 0 && pc.year.is_none() && !pc.rels && (pc.times > 0 || digits.len() > 2) {
            pc.year = Some((n, digits.len()));
        } else if digits.len() > 4 {
            pc.day = n % 100;
            pc.month = (n / 100) % 100;
            pc.year = Some((n / 10000, digits.len() - 4));
            pc.dates += 1;
        } else {
            if digits.len() <= 2 {
                pc.hour = n;
                pc.min = 0;
            } else {
                pc.hour = n / 100;
                pc.min = n % 100;
            }
            pc.sec = 0;
            pc.nsec = 0;
            pc.meridian = Meridian::H24;
            pc.times += 1;
        }
    }
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date.
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Seconds since the epoch of broken-down fields (normalized like mktime),
/// in local time or UTC.
#[allow(clippy::too_many_arguments)]
fn mk(year: i64, mon0: i64, mday: i64, hour: i64, min: i64, sec: i64, utc: bool) -> Option<i64> {
    let i = |v: i64| i32::try_from(v).ok();
    // Fold months into years so the month fits.
    let year = year.checked_add(mon0.div_euclid(12))?;
    let mon0 = mon0.rem_euclid(12);
    if utc {
        // Pure arithmetic: no range limit from the C library.
        let days = days_from_civil(year, mon0 + 1, 1).checked_add(mday - 1)?;
        return days
            .checked_mul(86_400)?
            .checked_add(hour.checked_mul(3600)?)?
            .checked_add(min.checked_mul(60)?)?
            .checked_add(sec);
    }
    sys::mktime(
        year,
        i(mon0)?,
        i(mday)?,
        i(hour)?,
        i(min)?,
        i(sec)?,
        -1,
        false,
    )
}

/// The local zone's abbreviations in the year of `t` (from its first days
/// of January and July), for zone names like `EST` or `CEST` in input.
fn local_zone_names(t: i64) -> Vec<LocalName> {
    let mut v: Vec<LocalName> = Vec::new();
    let Some(now) = sys::localtime(t, false) else {
        return v;
    };
    let jan = days_from_civil(now.year, 1, 1) * 86_400 + 43_200;
    for at in [jan, jan + 181 * 86_400] {
        if let Some(tm) = sys::localtime(at, false)
            && tm.zone.iter().all(u8::is_ascii_alphabetic)
            && !tm.zone.is_empty()
        {
            let name = tm.zone.to_ascii_lowercase();
            if !v.iter().any(|n| n.0 == name) {
                v.push((name, tm.isdst, tm.gmtoff));
            }
        }
    }
    v
}

/// Local fields to seconds since the epoch and the UTC offset used, the
/// way glibc's mktime finds them: starting from the offset `guess`,
/// follow the zone's offsets until they agree. An ambiguous time (when
/// clocks go back) resolves to the one the search meets first; a time
/// skipped when clocks go forward is read with the `guess` offset.
#[allow(clippy::too_many_arguments)]
fn local_mk(
    year: i64,
    mon0: i64,
    mday: i64,
    hour: i64,
    min: i64,
    sec: i64,
    guess: i64,
) -> Option<(i64, i64)> {
    let target = mk(year, mon0, mday, hour, min, sec, true)?;
    let mut t = target.checked_sub(guess)?;
    let mut prev = None;
    for _ in 0..8 {
        let off = sys::localtime(t, false)?.gmtoff;
        let next = target.checked_sub(off)?;
        if next == t {
            return Some((t, off));
        }
        if prev == Some(next) {
            break;
        }
        prev = Some(t);
        t = next;
    }
    Some((target.checked_sub(guess)?, guess))
}

/// Broken-down (year, month 1-12, day, hour, min, sec) of `t`.
fn broken(t: i64, utc: bool) -> Option<(i64, i64, i64, i64, i64, i64)> {
    let tm = sys::localtime(t, utc)?;
    Some((
        tm.year,
        i64::from(tm.mon) + 1,
        i64::from(tm.mday),
        i64::from(tm.hour),
        i64::from(tm.min),
        i64::from(tm.sec),
    ))
}

fn parse_epoch(s: &[u8]) -> Option<Timespec> {
    let (neg, rest) = match s.first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let n = rest.iter().take_while(|c| c.is_ascii_digit()).count();
    let secs = num_value(&rest[..n])?;
    let mut tail = &rest[n..];
    let mut ns = 0;
    if let Some(t) = tail.strip_prefix(b".").or_else(|| tail.strip_prefix(b",")) {
        let f = t.iter().take_while(|c| c.is_ascii_digit()).count();
        ns = frac_ns(&t[..f]);
        tail = &t[f..];
    }
    if !tail.iter().all(u8::is_ascii_whitespace) {
        return None;
    }
    if neg {
        // -1.5 is 1.5 seconds before the epoch.
        if ns > 0 {
            Some(Timespec {
                sec: -secs - 1,
                nsec: 1_000_000_000 - ns,
            })
        } else {
            Some(Timespec {
                sec: -secs,
                nsec: 0,
            })
        }
    } else {
        Some(Timespec {
            sec: secs,
            nsec: ns,
        })
    }
}

/// Parse a date relative to `base` (usually now) in the local time zone.
pub fn parse(s: &[u8], base: Timespec) -> Option<Timespec> {
    parse_in(s, base, false)
}

/// Parse a date; `utc` makes local time UTC (as `date -u` does).
pub fn parse_in(s: &[u8], base: Timespec, utc: bool) -> Option<Timespec> {
    let trimmed = {
        let start = s.iter().take_while(|c| c.is_ascii_whitespace()).count();
        &s[start..]
    };
    if let Some(rest) = trimmed.strip_prefix(b"@") {
        return parse_epoch(rest.trim_ascii_start());
    }
    if let Some(rest) = trimmed.strip_prefix(b"TZ=\"") {
        return parse_with_zone(rest, base);
    }
    let toks = lex(s)?;
    let local_names = if utc {
        Vec::new()
    } else {
        local_zone_names(base.sec)
    };
    let mut p = P {
        toks: &toks,
        local_names: &local_names,
        i: 0,
        pc: Parsed {
            year: None,
            month: 0,
            day: 0,
            hour: 0,
            min: 0,
            sec: 0,
            nsec: 0,
            meridian: Meridian::H24,
            dates: 0,
            times: 0,
            days: 0,
            zones: 0,
            rels: false,
            day_ordinal: 0,
            day_number: 0,
            zone: 0,
            local_isdst: None,
            rel: Rel::default(),
        },
    };
    while p.i < toks.len() {
        p.item()?;
    }
    let pc = p.pc;
    if pc.dates > 1 || pc.times > 1 || pc.days > 1 || pc.zones > 1 {
        return None;
    }
    let zoned = pc.zones > 0 || utc;
    let zone = if pc.zones > 0 { pc.zone } else { 0 };
    // The base time's fields as the local clock shows them (read in the
    // given zone, if any, as GNU does).
    let (by, bm, bd, bh, bmin, bs) = broken(base.sec, utc)?;
    let (mut year, month, day) = if pc.dates > 0 {
        let (y, m, d) = match pc.year {
            Some((y, digits)) if digits <= 2 => {
                (if y < 69 { y + 2000 } else { y + 1900 }, pc.month, pc.day)
            }
            Some((y, _)) => (y, pc.month, pc.day),
            None => (by, pc.month, pc.day),
        };
        if !(1..=12).contains(&m) || d < 1 || d > days_in_month(y, m) {
            return None;
        }
        (y, m, d)
    } else {
        (by, bm, bd)
    };
    let (hour, min, sec, nsec) = if pc.times > 0 {
        let h = match pc.meridian {
            Meridian::H24 if pc.hour <= 23 => pc.hour,
            Meridian::Am if (1..=12).contains(&pc.hour) => pc.hour % 12,
            Meridian::Pm if (1..=12).contains(&pc.hour) => pc.hour % 12 + 12,
            _ => return None,
        };
        if pc.min > 59 || pc.sec > 59 {
            return None;
        }
        (h, pc.min, pc.sec, pc.nsec)
    } else if pc.dates == 0 && pc.days == 0 && pc.rels {
        (bh, bmin, bs, base.nsec)
    } else {
        (0, 0, 0, 0)
    };
    // A local wall-clock time must exist (not fall in a DST gap), as in
    // GNU; its offset guides the later conversions (glibc's mktime keeps
    // the last offset as its first guess, which picks among ambiguous
    // times the way GNU date does).
    // Relative items alone keep the base's daylight-saving state (GNU
    // hands mktime the base's tm_isdst): a day count across a change of
    // clocks moves the hour.
    let mut guess = 0;
    let mut keep_dst = None;
    if !zoned {
        if pc.dates > 0 || pc.times > 0 || pc.days > 0 {
            let first_guess = pc.local_isdst.map_or(0, |(_, off)| off);
            let (t0, off) = local_mk(year, month - 1, day, hour, min, sec, first_guess)?;
            if broken(t0, false)? != (year, month, day, hour, min, sec) {
                return None;
            }
            // `EDT` given for a date in standard time.
            if let Some((want, _)) = pc.local_isdst
                && sys::localtime(t0, false)?.isdst != want
            {
                return None;
            }
            guess = off;
        } else {
            let b = sys::localtime(base.sec, false)?;
            guess = b.gmtoff;
            keep_dst = Some((b.isdst, b.gmtoff));
        }
    }
    let mut mday = day;
    if pc.days > 0 && pc.dates == 0 {
        let wday = (days_from_civil(year, month, day) + 4).rem_euclid(7);
        let ord = pc.day_ordinal;
        let diff = (pc.day_number - wday + 7) % 7;
        let extra = ord - i64::from(ord > 0 && wday != pc.day_number);
        mday = mday.checked_add(diff.checked_add(extra.checked_mul(7)?)?)?;
    }
    year = year.checked_add(pc.rel.year)?;
    let mon0 = (month - 1).checked_add(pc.rel.month)?;
    mday = mday.checked_add(pc.rel.day)?;
    let t = if zoned {
        mk(year, mon0, mday, hour, min, sec, true)?
    } else {
        let (t, _) = local_mk(year, mon0, mday, hour, min, sec, guess)?;
        match keep_dst {
            Some((isdst, off)) if sys::localtime(t, false)?.isdst != isdst => {
                mk(year, mon0, mday, hour, min, sec, true)?.checked_sub(off)?
            }
            _ => t,
        }
    };
    let t = t.checked_add(pc.rel.second)?.checked_sub(zone)?;
    Some(Timespec { sec: t, nsec })
}

/// `TZ="ZONE" rest`: parse `rest` in ZONE (backslash escapes `\\` and
/// `\"` inside the quotes), with TZ set only for the parse.
fn parse_with_zone(s: &[u8], base: Timespec) -> Option<Timespec> {
    let mut zone = Vec::new();
    let mut i = 0;
    loop {
        match *s.get(i)? {
            b'"' => break,
            b'\\' if matches!(s.get(i + 1), Some(b'\\' | b'"')) => {
                zone.push(s[i + 1]);
                i += 2;
            }
            c => {
                zone.push(c);
                i += 1;
            }
        }
    }
    let rest = &s[i + 1..];
    let key = std::ffi::OsStr::new("TZ");
    let saved = std::env::var_os(key);
    sys::set_env(key, sys::os(&zone));
    let r = parse_in(rest, base, false);
    match saved {
        Some(v) => sys::set_env(key, &v),
        None => sys::unset_env(key),
    }
    r
}

/// The `date` stamp `MMDDhhmm[[CC]YY][.ss]` as seconds since the epoch
/// (local time, or UTC when `utc`). `now` supplies the year when omitted.
pub fn parse_date_stamp(s: &[u8], now: i64, utc: bool) -> Option<i64> {
    let (main, secs) = match memchr::memchr(b'.', s) {
        Some(i) => (&s[..i], &s[i..]),
        None => (s, &b""[..]),
    };
    if main.len() < 8 {
        return None;
    }
    let (md, year) = main.split_at(8);
    if !matches!(year.len(), 0 | 2 | 4) {
        return None;
    }
    let mut t = year.to_vec();
    t.extend_from_slice(md);
    t.extend_from_slice(secs);
    parse_touch_stamp(&t, now, utc)
}

/// The `touch -t` stamp `[[CC]YY]MMDDhhmm[.ss]` as seconds since the epoch
/// (local time, or UTC when `utc`). `now` supplies the year when omitted.
pub fn parse_touch_stamp(s: &[u8], now: i64, utc: bool) -> Option<i64> {
    let (main, secs) = match memchr::memchr(b'.', s) {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    };
    if !main.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let sec = match secs {
        Some(d) if d.len() == 2 && d.iter().all(u8::is_ascii_digit) => num_value(d)?,
        Some(_) => return None,
        None => 0,
    };
    let two = |i: usize| num_value(main.get(i..i + 2)?);
    let (year, rest) = match main.len() {
        12 => (num_value(&main[..4])?, 4),
        10 => {
            let yy = two(0)?;
            (if yy < 69 { 2000 + yy } else { 1900 + yy }, 2)
        }
        8 => (broken(now, utc)?.0, 0),
        _ => return None,
    };
    let (mon, day, hour, min) = (two(rest)?, two(rest + 2)?, two(rest + 4)?, two(rest + 6)?);
    if !(1..=12).contains(&mon)
        || day < 1
        || day > days_in_month(year, mon)
        || hour > 23
        || min > 59
        || sec > 60
    {
        return None;
    }
    mk(year, mon - 1, day, hour, min, sec, utc)
}

#[cfg(test)]
mod tests {
    use super::*;

    // 2026-11-22 16:28:33.25 UTC, a Sunday.
    const NOW: Timespec = Timespec {
        sec: 1_795_364_913,
        nsec: 250_000_000,
    };

    fn p(s: &str) -> Option<(i64, i64)> {
        parse_in(s.as_bytes(), NOW, true).map(|t| (t.sec, t.nsec))
    }

    fn at(y: i64, m: i64, d: i64, h: i64, mi: i64, s: i64) -> i64 {
        days_from_civil(y, m, d) * 86400 + h * 3600 + mi * 60 + s
    }

    #[test]
    fn base_is_a_sunday() {
        assert_eq!(NOW.sec, at(2026, 11, 22, 16, 28, 33));
        assert_eq!((days_from_civil(2026, 11, 22) + 4) % 7, 0);
    }

    #[test]
    fn epochs() {
        assert_eq!(p("@0"), Some((0, 0)));
        assert_eq!(p("@1.5"), Some((1, 500_000_000)));
        assert_eq!(p("@-1"), Some((-1, 0)));
        assert_eq!(p("@-1.25"), Some((-2, 750_000_000)));
        assert_eq!(p(" @12 "), Some((12, 0)));
        assert_eq!(p("@1 day"), None);
        assert_eq!(p("@"), None);
    }

    #[test]
    fn iso_dates_and_times() {
        let d = at(2020, 1, 2, 0, 0, 0);
        assert_eq!(p("2020-01-02"), Some((d, 0)));
        assert_eq!(p("2020-1-2"), Some((d, 0)));
        assert_eq!(p("2020-01-02 03:04"), Some((d + 3 * 3600 + 240, 0)));
        assert_eq!(
            p("2020-01-02 03:04:05.123456789"),
            Some((d + 3 * 3600 + 245, 123_456_789))
        );
        assert_eq!(p("2020-01-02 03:04:05,5"), Some((d + 11045, 500_000_000)));
        assert_eq!(p("2020-01-02T03:04:05"), Some((d + 11045, 0)));
        assert_eq!(p("2020-01-02t03:04:05"), Some((d + 11045, 0)));
        assert_eq!(p("2020-01-02T03:04:05Z"), Some((d + 11045, 0)));
        assert_eq!(p("2020-01-02 03:04:05 UTC"), Some((d + 11045, 0)));
        assert_eq!(p("2020-01-02T03:04:05+01:00"), Some((d + 11045 - 3600, 0)));
        assert_eq!(p("2020-01-02 03:04:05 -0200"), Some((d + 11045 + 7200, 0)));
        assert_eq!(p("2020-01-02 03:04 +05:30"), Some((d + 11040 - 19800, 0)));
        assert_eq!(p("2020-01-02 03:04 +01"), Some((d + 11040 - 3600, 0)));
        assert_eq!(p("2020-01-02 03:04 EST"), Some((d + 11040 + 5 * 3600, 0)));
        assert_eq!(p("2020-01-02 03:04 UTC+2"), Some((d + 11040 - 7200, 0)));
        assert_eq!(p("20200102"), Some((d, 0)));
        assert_eq!(p("2020-01-02 1030"), Some((d + 37800, 0)));
        assert_eq!(p("10:00 2020-01-02"), Some((d + 36000, 0)));
    }

    #[test]
    fn other_date_forms() {
        let d = at(2020, 1, 2, 0, 0, 0);
        assert_eq!(p("01/02/2020"), Some((d, 0)));
        assert_eq!(p("2020/01/02"), Some((d, 0)));
        assert_eq!(p("Jan 2 2020"), Some((d, 0)));
        assert_eq!(p("january 2, 2020 10:00"), Some((d + 36000, 0)));
        assert_eq!(p("2 Jan 2020"), Some((d, 0)));
        assert_eq!(p("2-Jan-2020"), Some((d, 0)));
        assert_eq!(p("Jan 2"), Some((at(2026, 1, 2, 0, 0, 0), 0)));
        assert_eq!(p("1/2"), Some((at(2026, 1, 2, 0, 0, 0), 0)));
        assert_eq!(p("20-01-02"), Some((d, 0)));
        assert_eq!(p("70-01-02"), Some((at(1970, 1, 2, 0, 0, 0), 0)));
        assert_eq!(p("2020-01-02 3pm"), Some((d + 15 * 3600, 0)));
        assert_eq!(p("2020-01-02 12:00 am"), Some((d, 0)));
        assert_eq!(p("2020-01-02 12:30 pm"), Some((d + 12 * 3600 + 1800, 0)));
    }

    #[test]
    fn times_alone_use_todays_date() {
        let today = at(2026, 11, 22, 0, 0, 0);
        assert_eq!(p("10:00"), Some((today + 36000, 0)));
        assert_eq!(p("10"), Some((today + 36000, 0)));
        assert_eq!(p("2020"), Some((today + 20 * 3600 + 1200, 0)));
        assert_eq!(p("10pm"), Some((today + 22 * 3600, 0)));
        assert_eq!(p(""), Some((today, 0)));
        assert_eq!(p("UTC"), Some((today, 0)));
    }

    #[test]
    fn relative_items() {
        let now = (NOW.sec, NOW.nsec);
        assert_eq!(p("now"), Some(now));
        assert_eq!(p("today"), Some(now));
        assert_eq!(p("yesterday"), Some((NOW.sec - 86400, NOW.nsec)));
        assert_eq!(p("tomorrow"), Some((NOW.sec + 86400, NOW.nsec)));
        assert_eq!(p("+3 days"), Some((NOW.sec + 3 * 86400, NOW.nsec)));
        assert_eq!(p("3 days"), Some((NOW.sec + 3 * 86400, NOW.nsec)));
        assert_eq!(p("-2 hours"), Some((NOW.sec - 7200, NOW.nsec)));
        assert_eq!(p("1 week ago"), Some((NOW.sec - 7 * 86400, NOW.nsec)));
        assert_eq!(p("-1 day ago"), Some((NOW.sec + 86400, NOW.nsec)));
        assert_eq!(p("10 sec ago"), Some((NOW.sec - 10, NOW.nsec)));
        assert_eq!(p("now + 1 day"), Some((NOW.sec + 86400, NOW.nsec)));
        assert_eq!(p("1 day 2 hours"), Some((NOW.sec + 86400 + 7200, NOW.nsec)));
        assert_eq!(p("next week"), Some((NOW.sec + 7 * 86400, NOW.nsec)));
        assert_eq!(p("fortnight"), Some((NOW.sec + 14 * 86400, NOW.nsec)));
        assert_eq!(p("second"), Some((NOW.sec + 1, NOW.nsec)));
        assert_eq!(
            p("last year"),
            Some((at(2025, 11, 22, 16, 28, 33), NOW.nsec))
        );
        assert_eq!(p("2020-01-31 +1 month"), Some((at(2020, 3, 2, 0, 0, 0), 0)));
        assert_eq!(
            p("2020-01-01 2 days 3 hours ago"),
            Some((at(2020, 1, 2, 21, 0, 0), 0))
        );
        assert_eq!(
            p("2020-01-01 12:00 next hour"),
            Some((at(2020, 1, 1, 13, 0, 0), 0))
        );
        assert_eq!(p("tomorrow 10:00"), Some((at(2026, 11, 23, 10, 0, 0), 0)));
    }

    #[test]
    fn weekdays() {
        // NOW is a Sunday.
        let day = |d| Some((at(2026, 11, d, 0, 0, 0), 0));
        assert_eq!(p("monday"), day(23));
        assert_eq!(p("sunday"), day(22));
        assert_eq!(p("next sunday"), day(29));
        assert_eq!(p("next monday"), day(23));
        assert_eq!(p("last friday"), day(20));
        assert_eq!(p("last sunday"), day(15));
        assert_eq!(p("this thursday"), day(26));
        assert_eq!(p("thu"), day(26));
        assert_eq!(p("tues"), day(24));
        assert_eq!(p("third monday"), Some((at(2026, 12, 7, 0, 0, 0), 0)));
        assert_eq!(p("monday next week"), day(30));
        assert_eq!(p("next mon 10:00"), Some((at(2026, 11, 23, 10, 0, 0), 0)));
        // A weekday with a date is ignored, as GNU does.
        assert_eq!(
            p("2020-01-01 next monday"),
            Some((at(2020, 1, 1, 0, 0, 0), 0))
        );
    }

    #[test]
    fn invalid() {
        for s in [
            "xyz",
            "2020-02-30",
            "2020-13-01",
            "2020-01-01 24:00",
            "2020-01-01 23:59:60",
            "2020-01-01 +1",
            "1 day ago ago",
            "2 mondays",
            "102030",
            "2020-01-01 10:00 +12345",
            "10:00 11:00",
            "next",
            "13pm",
            "jan",
            "?",
        ] {
            assert_eq!(p(s), None, "{s}");
        }
    }

    #[test]
    fn gnu_zone_quirks() {
        // A signed number after a time is a zone, as in GNU.
        assert_eq!(
            p("2020-01-01 10:00 -1 day"),
            Some((at(2020, 1, 2, 11, 0, 0), 0))
        );
        assert_eq!(p("a"), Some((at(2026, 11, 21, 23, 0, 0), 0)));
        assert_eq!(p("T10:00"), Some((at(2026, 11, 22, 17, 0, 0), 0)));
    }

    #[test]
    fn date_stamps() {
        let t = |s: &str| parse_date_stamp(s.as_bytes(), NOW.sec, true);
        assert_eq!(t("01020304"), Some(at(2026, 1, 2, 3, 4, 0)));
        assert_eq!(t("0102030420"), Some(at(2020, 1, 2, 3, 4, 0)));
        assert_eq!(t("010203041999.30"), Some(at(1999, 1, 2, 3, 4, 30)));
        for bad in [
            "0102030",
            "010203041",
            "13020304",
            "01020304.5",
            "0102030420a0",
        ] {
            assert_eq!(t(bad), None, "{bad}");
        }
    }

    #[test]
    fn epoch_blanks() {
        // (TZ="..." prefixes change the environment: tested through the
        // date applet, not here among threads.)
        assert_eq!(p("@ 7"), Some((7, 0)));
        assert_eq!(p("@\t-7"), Some((-7, 0)));
    }

    #[test]
    fn touch_stamps() {
        let t = |s: &str| parse_touch_stamp(s.as_bytes(), NOW.sec, true);
        assert_eq!(t("202001020304"), Some(at(2020, 1, 2, 3, 4, 0)));
        assert_eq!(t("202001020304.05"), Some(at(2020, 1, 2, 3, 4, 5)));
        assert_eq!(t("2001020304"), Some(at(2020, 1, 2, 3, 4, 0)));
        assert_eq!(t("6901010000"), Some(at(1969, 1, 1, 0, 0, 0)));
        assert_eq!(t("01020304"), Some(at(2026, 1, 2, 3, 4, 0)));
        assert_eq!(t("202012312359.60"), Some(at(2021, 1, 1, 0, 0, 0)));
        for bad in [
            "1",
            "202013010000",
            "202002300000",
            "202001012400",
            "202012312359.61",
            "202001010000.5",
            "20200101000",
            "2020010100a0",
        ] {
            assert_eq!(t(bad), None, "{bad}");
        }
    }
}
