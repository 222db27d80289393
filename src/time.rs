//! Time formatting: broken-down local time with the zone's real name (the C
//! library reads TZ, /etc/localtime and the zoneinfo files), and a strftime
//! with the GNU extensions `date` users rely on (`%N`, `%:z`, `%-d`, `%_H`,
//! `%^a`, widths).

use crate::sys::{self, Timespec};

/// A broken-down time with nanoseconds and its epoch seconds.
#[derive(Clone, Debug)]
pub struct Tm {
    pub year: i64,
    /// 0..=11
    pub mon: u32,
    pub mday: u32,
    pub hour: u32,
    pub min: u32,
    pub sec: u32,
    pub nsec: u32,
    /// 0 = Sunday
    pub wday: u32,
    /// 0..=365
    pub yday: u32,
    pub isdst: bool,
    /// Seconds east of UTC.
    pub gmtoff: i64,
    pub zone: Vec<u8>,
    pub epoch: i64,
}

fn from_sys(t: sys::LocalTm, ts: Timespec) -> Tm {
    Tm {
        year: t.year,
        mon: t.mon,
        mday: t.mday,
        hour: t.hour,
        min: t.min,
        sec: t.sec,
        nsec: ts.nsec.clamp(0, 999_999_999) as u32,
        wday: t.wday,
        yday: t.yday,
        isdst: t.isdst,
        gmtoff: t.gmtoff,
        zone: t.zone,
        epoch: ts.sec,
    }
}

/// Local time (per TZ) of a timestamp.
pub fn local(ts: Timespec) -> Option<Tm> {
    sys::localtime(ts.sec, false).map(|t| from_sys(t, ts))
}

/// UTC time of a timestamp, zone "UTC".
pub fn utc(ts: Timespec) -> Option<Tm> {
    sys::localtime(ts.sec, true).map(|t| {
        let mut tm = from_sys(t, ts);
        tm.zone = b"UTC".to_vec();
        tm
    })
}

const DAYS: [&str; 7] = [
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
];
const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

pub fn month_abbr(mon: u32) -> &'static str {
    MONTHS.get(mon as usize).map_or("???", |m| &m[..3])
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

/// ISO 8601 week-based year and week number.
fn iso_week(tm: &Tm) -> (i64, u32) {
    let wday = (tm.wday + 6) % 7; // Monday = 0
    let yday = tm.yday as i64;
    // The Thursday of this week decides the year.
    let thursday = yday - wday as i64 + 3;
    let year_len = |y: i64| if is_leap(y) { 366 } else { 365 };
    if thursday < 0 {
        let y = tm.year - 1;
        let t = thursday + year_len(y);
        (y, (t / 7 + 1) as u32)
    } else if thursday >= year_len(tm.year) {
        (tm.year + 1, 1)
    } else {
        (tm.year, (thursday / 7 + 1) as u32)
    }
}

/// One conversion's flags: `pad` is 0 (none given), `-`, `_`, `0` or `+`.
struct Conv<'a> {
    out: &'a mut Vec<u8>,
    pad: u8,
    width: Option<usize>,
    upper: bool,
    lower: bool,
}

impl Conv<'_> {
    fn fill(&mut self, n: usize, zero: bool) {
        let c = if zero { b'0' } else { b' ' };
        self.out.extend(std::iter::repeat_n(c, n));
    }

    /// Text padded to the width (zeros with `0`/`+`, none with `-`),
    /// case-converted.
    fn text(&mut self, s: &[u8]) {
        let w = if self.pad == b'-' {
            0
        } else {
            self.width.unwrap_or(0)
        };
        let zero = matches!(self.pad, b'0' | b'+');
        self.fill(w.saturating_sub(s.len()), zero);
        for &c in s {
            self.out.push(if self.lower {
                c.to_ascii_lowercase()
            } else if self.upper {
                c.to_ascii_uppercase()
            } else {
                c
            });
        }
    }

    /// A number the way glibc's strftime pads it: `digits` is the default
    /// width, `colons` a bit mask of where `:` goes (for `%:z`), `sign`
    /// forces a `+` on non-negative values.
    fn number(&mut self, digits: usize, v: i64, colons: u32, sign: bool) {
        let mut buf = [0u8; 40];
        let mut i = buf.len();
        let mut u = v.unsigned_abs();
        let mut mask = colons;
        loop {
            if mask & 1 != 0 {
                i -= 1;
                buf[i] = b':';
            }
            mask >>= 1;
            i -= 1;
            buf[i] = b'0' + (u % 10) as u8;
            u /= 10;
            if u == 0 && mask == 0 {
                break;
            }
        }
        let body = &buf[i..];
        let pad = if self.pad == 0 { b'0' } else { self.pad };
        let mut width = self.width.unwrap_or(digits);
        let sign_char = if v < 0 {
            Some(b'-')
        } else if sign {
            Some(b'+')
        } else {
            None
        };
        if let Some(sc) = sign_char {
            let shortage = width.saturating_sub(1 + body.len());
            if pad == b'_' {
                self.fill(shortage, false);
                width -= shortage;
            }
            self.out.push(sc);
            width = width.saturating_sub(1);
        }
        if pad != b'-' {
            self.fill(width.saturating_sub(body.len()), pad != b'_');
        }
        self.out.extend_from_slice(body);
    }

    /// Years and centuries: `+` adds a sign to values wider than
    /// `digits`, or when the width leaves room for one.
    fn yearish(&mut self, digits: usize, v: i64) {
        let limit = if digits == 2 { 99 } else { 9999 };
        let sign = self.pad == b'+' && (v > limit || self.width.is_some_and(|w| digits < w));
        self.number(digits, v, 0, sign);
    }

    fn spacepad(&mut self, v: i64) {
        if self.pad == 0 {
            self.pad = b'_';
        }
        self.number(2, v, 0, false);
    }

    /// A composite conversion, padded as one field.
    fn sub(&mut self, fmt: &[u8], tm: &Tm) {
        let mut s = Vec::with_capacity(32);
        strftime(fmt, tm, &mut s);
        self.text(&s);
    }
}

/// Format `tm` by `fmt` into `out`, as GNU date does (glibc/gnulib
/// strftime in the C locale): flags `-` `_` `0` `+` `^` `#`, a width,
/// the `E`/`O` modifiers, `%N`, `%q`, `%P`, `%:z` `%::z` `%:::z`.
/// Invalid conversions are copied as they are.
pub fn strftime(fmt: &[u8], tm: &Tm, out: &mut Vec<u8>) {
    let mut i = 0;
    while i < fmt.len() {
        let Some(n) = memchr::memchr(b'%', &fmt[i..]) else {
            out.extend_from_slice(&fmt[i..]);
            break;
        };
        out.extend_from_slice(&fmt[i..i + n]);
        i += n;
        let start = i;
        i += 1;
        let mut c = Conv {
            out: &mut *out,
            pad: 0,
            width: None,
            upper: false,
            lower: false,
        };
        let mut change_case = false;
        while let Some(&fl) = fmt.get(i) {
            match fl {
                b'-' | b'_' | b'0' | b'+' => c.pad = fl,
                b'^' => c.upper = true,
                b'#' => change_case = true,
                _ => break,
            }
            i += 1;
        }
        let wstart = i;
        while fmt.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        if i > wstart {
            let w = fmt[wstart..i].iter().fold(0usize, |a, &d| {
                a.saturating_mul(10).saturating_add(usize::from(d - b'0'))
            });
            c.width = Some(w.min(1 << 16));
        }
        let mut colons = 0;
        while fmt.get(i) == Some(&b':') {
            colons += 1;
            i += 1;
        }
        let modifier = match fmt.get(i) {
            Some(&m @ (b'E' | b'O')) => {
                i += 1;
                m
            }
            _ => 0,
        };
        let Some(&conv) = fmt.get(i) else {
            c.text(&fmt[start..]);
            break;
        };
        i += 1;
        if modifier == b'E' && matches!(conv, b'Y' | b'C') && c.pad == 0 {
            // The C library's alternative years are not zero-padded.
            c.pad = b'-';
        }
        let plain = c.pad == 0 && c.width.is_none() && !c.upper && !change_case;
        let valid = match (colons, modifier) {
            _ if conv == b'%' => plain && colons == 0 && modifier == 0,
            (0, 0) => true,
            (1..=3, 0) => conv == b'z',
            (0, b'E') => b"cCxXyYz".contains(&conv),
            (0, _) => b"deHImMSUuVwWyz".contains(&conv),
            _ => false,
        };
        if !valid {
            c.text(&fmt[start..i]);
            continue;
        }
        let hour12 = match tm.hour % 12 {
            0 => 12,
            h => h,
        };
        match conv {
            b'a' | b'A' => {
                let day = DAYS.get(tm.wday as usize).copied().unwrap_or("???");
                c.upper |= change_case;
                c.text(if conv == b'a' {
                    &day.as_bytes()[..3]
                } else {
                    day.as_bytes()
                });
            }
            b'b' | b'h' | b'B' => {
                let month = MONTHS.get(tm.mon as usize).copied().unwrap_or("???");
                c.upper |= change_case;
                c.text(if conv == b'B' {
                    month.as_bytes()
                } else {
                    &month.as_bytes()[..3]
                });
            }
            b'c' => c.sub(b"%a %b %e %H:%M:%S %-Y", tm),
            b'C' => c.yearish(2, tm.year.div_euclid(100)),
            b'd' => c.number(2, tm.mday.into(), 0, false),
            b'D' | b'x' => c.sub(b"%m/%d/%y", tm),
            b'e' => c.spacepad(tm.mday.into()),
            b'F' => {
                let (pad, width) = (c.pad, c.width);
                if pad == 0 && width.is_none() {
                    c.pad = b'+';
                } else {
                    c.width = width.map(|w| w.saturating_sub(6)).filter(|&w| w > 0);
                }
                c.yearish(4, tm.year);
                c.pad = 0;
                c.width = None;
                c.out.push(b'-');
                c.number(2, i64::from(tm.mon) + 1, 0, false);
                c.out.push(b'-');
                c.number(2, tm.mday.into(), 0, false);
            }
            b'g' => c.yearish(2, iso_week(tm).0.rem_euclid(100)),
            b'G' => c.yearish(4, iso_week(tm).0),
            b'H' => c.number(2, tm.hour.into(), 0, false),
            b'I' => c.number(2, hour12.into(), 0, false),
            b'j' => c.number(3, i64::from(tm.yday) + 1, 0, false),
            b'k' => c.spacepad(tm.hour.into()),
            b'l' => c.spacepad(hour12.into()),
            b'm' => c.number(2, i64::from(tm.mon) + 1, 0, false),
            b'M' => c.number(2, tm.min.into(), 0, false),
            b'n' => c.text(b"\n"),
            b'N' => {
                // The width is the number of digits (default 9); past 9
                // the fraction is padded on the right.
                let mut digits = [b'0'; 9];
                let mut ns = tm.nsec.min(999_999_999);
                for d in digits.iter_mut().rev() {
                    *d = b'0' + (ns % 10) as u8;
                    ns /= 10;
                }
                // With a width and `-` or `_`, trailing zeros are dropped
                // (`_` pads with blanks instead).
                let w = c.width.unwrap_or(9);
                let mut d = &digits[..w.clamp(1, 9)];
                if c.width.is_some() && matches!(c.pad, b'-' | b'_') {
                    while d.len() > 1 && d.last() == Some(&b'0') {
                        d = &d[..d.len() - 1];
                    }
                }
                c.out.extend_from_slice(d);
                if c.pad != b'-' {
                    c.fill(w.saturating_sub(d.len()), c.pad != b'_');
                }
            }
            b'p' | b'P' => {
                if conv == b'P' || change_case {
                    c.lower = true;
                }
                c.text(if tm.hour < 12 { b"AM" } else { b"PM" });
            }
            b'q' => c.number(1, i64::from(tm.mon / 3 + 1), 0, false),
            b'r' => c.sub(b"%I:%M:%S %p", tm),
            b'R' => c.sub(b"%H:%M", tm),
            b's' => c.number(1, tm.epoch, 0, false),
            b'S' => c.number(2, tm.sec.into(), 0, false),
            b't' => c.text(b"\t"),
            b'T' | b'X' => c.sub(b"%H:%M:%S", tm),
            b'u' => c.number(1, if tm.wday == 0 { 7 } else { tm.wday.into() }, 0, false),
            b'U' => c.number(2, ((tm.yday + 7 - tm.wday) / 7).into(), 0, false),
            b'V' => c.number(2, iso_week(tm).1.into(), 0, false),
            b'w' => c.number(1, tm.wday.into(), 0, false),
            b'W' => c.number(2, ((tm.yday + 7 - (tm.wday + 6) % 7) / 7).into(), 0, false),
            b'y' => c.yearish(2, tm.year.rem_euclid(100)),
            b'Y' => c.yearish(4, tm.year),
            b'z' => {
                let off = tm.gmtoff;
                let (h, m, s) = (off / 3600, (off / 60) % 60, off % 60);
                let neg = off < 0;
                let signed = |v: i64| if neg { -v.abs() } else { v.abs() };
                match colons {
                    0 => c.number(5, signed(h * 100 + m), 0, true),
                    1 => c.number(6, signed(h * 100 + m), 0b100, true),
                    2 => c.number(9, signed(h * 10000 + m * 100 + s), 0b10100, true),
                    _ if s != 0 => c.number(9, signed(h * 10000 + m * 100 + s), 0b10100, true),
                    _ if m != 0 => c.number(6, signed(h * 100 + m), 0b100, true),
                    _ => c.number(3, signed(h), 0, true),
                }
            }
            b'Z' => {
                if change_case {
                    c.lower = true;
                }
                let z = &tm.zone;
                c.text(z);
            }
            b'%' => c.text(b"%"),
            _ => c.text(&fmt[start..i]),
        }
    }
}

/// Read TZ the way glibc does: a name such as `EST5EDT` or `CET` that is
/// also a zoneinfo file means the file (with the zone's real rules), not
/// the bare POSIX string musl would make of it (`EST5EDT` without rules
/// would be EDT all year). Sets TZ to `:NAME` when so and returns the old
/// value, for `restore_tz`.
pub fn prefer_zone_files() -> Option<std::ffi::OsString> {
    use std::os::unix::ffi::OsStrExt;
    let tz = std::env::var_os("TZ")?;
    let name = tz.as_bytes();
    if name.is_empty() || name[0] == b':' || name.contains(&b'/') || name.contains(&b',') {
        return None;
    }
    for dir in [
        &b"/usr/share/zoneinfo/"[..],
        b"/share/zoneinfo/",
        b"/etc/zoneinfo/",
    ] {
        let mut path = dir.to_vec();
        path.extend_from_slice(name);
        if sys::stat(&path).is_ok_and(|st| st.is_reg()) {
            let mut v = b":".to_vec();
            v.extend_from_slice(name);
            sys::set_env(std::ffi::OsStr::new("TZ"), sys::os(&v));
            return Some(tz);
        }
    }
    None
}

/// Undo `prefer_zone_files`.
pub fn restore_tz(old: Option<std::ffi::OsString>) {
    if let Some(v) = old {
        sys::set_env(std::ffi::OsStr::new("TZ"), &v);
    }
}

/// Format a timestamp in local time; an empty result if it is out of range.
pub fn format_local(fmt: &[u8], ts: Timespec) -> Vec<u8> {
    let mut out = Vec::new();
    if let Some(tm) = local(ts) {
        strftime(fmt, &tm, &mut out);
    } else {
        crate::put::Put::i(&mut out, ts.sec);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tm(epoch: i64) -> Tm {
        utc(Timespec {
            sec: epoch,
            nsec: 123_456_789,
        })
        .unwrap()
    }

    fn f(fmt: &str, t: &Tm) -> String {
        let mut v = Vec::new();
        strftime(fmt.as_bytes(), t, &mut v);
        String::from_utf8(v).unwrap()
    }

    #[test]
    fn basic_conversions() {
        // 2009-02-13 23:31:30 UTC, a Friday.
        let t = tm(1_234_567_890);
        assert_eq!(f("%Y-%m-%d %H:%M:%S", &t), "2009-02-13 23:31:30");
        assert_eq!(f("%a %A %b %B %e %j", &t), "Fri Friday Feb February 13 044");
        assert_eq!(
            f("%F %T %Z %z %:z %::z", &t),
            "2009-02-13 23:31:30 UTC +0000 +00:00 +00:00:00"
        );
        assert_eq!(f("%s %N %3N %-N", &t), "1234567890 123456789 123 123456789");
        assert_eq!(f("%I %l %p %P %r", &t), "11 11 PM pm 11:31:30 PM");
        assert_eq!(f("%u %w %U %W %V %G %g", &t), "5 5 06 06 07 2009 09");
        assert_eq!(f("%D %R %c", &t), "02/13/09 23:31 Fri Feb 13 23:31:30 2009");
        assert_eq!(f("%+", &t), "%+");
        assert_eq!(f("100%% %q %k", &t), "100% 1 23");
    }

    #[test]
    fn flags_and_widths() {
        let t = tm(1_230_854_400); // 2009-01-02 00:00:00, Friday
        assert_eq!(f("%-d %_d %d %-m %e %-e", &t), "2  2 02 1  2 2");
        assert_eq!(f("%^a %^B %#Z", &t), "FRI JANUARY utc");
        assert_eq!(f("%10Y|%-H|%_H|%5d", &t), "0000002009|0| 0|00002");
    }

    #[test]
    fn iso_weeks_at_year_edges() {
        // 2008-12-29 (Monday) belongs to ISO week 1 of 2009.
        assert_eq!(f("%G-W%V-%u", &tm(1_230_508_800)), "2009-W01-1");
        // 2010-01-03 (Sunday) belongs to week 53 of 2009.
        assert_eq!(f("%G-W%V-%u", &tm(1_262_476_800)), "2009-W53-7");
    }

    #[test]
    fn negative_epoch() {
        let t = tm(-1);
        assert_eq!(f("%Y-%m-%d %H:%M:%S %s", &t), "1969-12-31 23:59:59 -1");
    }
}
