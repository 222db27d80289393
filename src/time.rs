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

#[derive(Clone, Copy, PartialEq, Eq)]
enum Pad {
    Default,
    None,
    Space,
    Zero,
}

struct Field<'a> {
    out: &'a mut Vec<u8>,
    pad: Pad,
    width: Option<usize>,
    upper: bool,
    swap: bool,
}

impl Field<'_> {
    fn num(&mut self, n: i64, default_width: usize, default_pad: u8) {
        let pad = match self.pad {
            Pad::Default => default_pad,
            Pad::None => 0,
            Pad::Space => b' ',
            Pad::Zero => b'0',
        };
        let width = self
            .width
            .unwrap_or(if pad == 0 { 0 } else { default_width });
        let digits = n.unsigned_abs().to_string();
        let sign = if n < 0 { "-" } else { "" };
        let len = sign.len() + digits.len();
        let fill = width.saturating_sub(len);
        if pad == b'0' || (pad == 0 && fill > 0) {
            self.out.extend_from_slice(sign.as_bytes());
            self.out.extend(std::iter::repeat_n(b'0', fill));
        } else {
            self.out.extend(std::iter::repeat_n(b' ', fill));
            self.out.extend_from_slice(sign.as_bytes());
        }
        self.out.extend_from_slice(digits.as_bytes());
    }

    fn text(&mut self, s: &[u8]) {
        let width = self.width.unwrap_or(0);
        let fill = width.saturating_sub(s.len());
        let padc = if self.pad == Pad::Zero { b'0' } else { b' ' };
        self.out.extend(std::iter::repeat_n(padc, fill));
        for &c in s {
            let c = if self.upper {
                c.to_ascii_uppercase()
            } else if self.swap {
                if c.is_ascii_uppercase() {
                    c.to_ascii_lowercase()
                } else {
                    c.to_ascii_uppercase()
                }
            } else {
                c
            };
            self.out.push(c);
        }
    }
}

/// Format `tm` by `fmt` into `out`. Unknown conversions are copied as is.
pub fn strftime(fmt: &[u8], tm: &Tm, out: &mut Vec<u8>) {
    let mut i = 0;
    while i < fmt.len() {
        let c = fmt[i];
        if c != b'%' {
            out.push(c);
            i += 1;
            continue;
        }
        let start = i;
        i += 1;
        let mut f = Field {
            out: &mut *out,
            pad: Pad::Default,
            width: None,
            upper: false,
            swap: false,
        };
        while let Some(&fl) = fmt.get(i) {
            match fl {
                b'-' => f.pad = Pad::None,
                b'_' => f.pad = Pad::Space,
                b'0' => f.pad = Pad::Zero,
                b'^' => f.upper = true,
                b'#' => f.swap = true,
                _ => break,
            }
            i += 1;
        }
        let wstart = i;
        while fmt.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        if i > wstart {
            f.width = std::str::from_utf8(&fmt[wstart..i])
                .ok()
                .and_then(|w| w.parse().ok());
        }
        let mut colons = 0;
        while fmt.get(i) == Some(&b':') {
            colons += 1;
            i += 1;
        }
        while matches!(fmt.get(i), Some(b'E') | Some(b'O')) {
            i += 1;
        }
        let Some(&conv) = fmt.get(i) else {
            f.out.extend_from_slice(&fmt[start..]);
            break;
        };
        i += 1;
        if colons > 0 && conv != b'z' {
            f.out.extend_from_slice(&fmt[start..i]);
            continue;
        }
        let day = DAYS.get(tm.wday as usize).copied().unwrap_or("???");
        let month = MONTHS.get(tm.mon as usize).copied().unwrap_or("???");
        let hour12 = if tm.hour.is_multiple_of(12) {
            12
        } else {
            tm.hour % 12
        };
        match conv {
            b'a' => f.text(&day.as_bytes()[..3]),
            b'A' => f.text(day.as_bytes()),
            b'b' | b'h' => f.text(&month.as_bytes()[..3]),
            b'B' => f.text(month.as_bytes()),
            b'c' => {
                let mut s = Vec::new();
                strftime(b"%a %b %e %H:%M:%S %Y", tm, &mut s);
                f.text(&s);
            }
            b'C' => f.num(tm.year.div_euclid(100), 2, b'0'),
            b'd' => f.num(tm.mday.into(), 2, b'0'),
            b'D' => sub(b"%m/%d/%y", tm, &mut f),
            b'e' => f.num(tm.mday.into(), 2, b' '),
            b'F' => {
                let mut s = Vec::new();
                let mut g = Field {
                    out: &mut s,
                    pad: f.pad,
                    width: None,
                    upper: false,
                    swap: false,
                };
                g.num(tm.year, 4, b'0');
                strftime(b"-%m-%d", tm, &mut s);
                f.text(&s);
            }
            b'g' => f.num(iso_week(tm).0.rem_euclid(100), 2, b'0'),
            b'G' => f.num(iso_week(tm).0, 4, b'0'),
            b'H' => f.num(tm.hour.into(), 2, b'0'),
            b'I' => f.num(hour12.into(), 2, b'0'),
            b'j' => f.num(i64::from(tm.yday) + 1, 3, b'0'),
            b'k' => f.num(tm.hour.into(), 2, b' '),
            b'l' => f.num(hour12.into(), 2, b' '),
            b'm' => f.num(i64::from(tm.mon) + 1, 2, b'0'),
            b'M' => f.num(tm.min.into(), 2, b'0'),
            b'n' => f.text(b"\n"),
            b'N' => {
                // Width selects precision (digits), default nanoseconds.
                let digits = format!("{:09}", tm.nsec);
                let w = f.width.unwrap_or(9).clamp(1, 9);
                f.out.extend_from_slice(&digits.as_bytes()[..w]);
            }
            b'p' => f.text(if tm.hour < 12 { b"AM" } else { b"PM" }),
            b'P' => f.text(if tm.hour < 12 { b"am" } else { b"pm" }),
            b'r' => sub(b"%I:%M:%S %p", tm, &mut f),
            b'R' => sub(b"%H:%M", tm, &mut f),
            b's' => f.num(tm.epoch, 1, b'0'),
            b'S' => f.num(tm.sec.into(), 2, b'0'),
            b't' => f.text(b"\t"),
            b'T' => sub(b"%H:%M:%S", tm, &mut f),
            b'u' => f.num(if tm.wday == 0 { 7 } else { tm.wday.into() }, 1, b'0'),
            b'U' => f.num(((tm.yday + 7 - tm.wday) / 7).into(), 2, b'0'),
            b'V' => f.num(iso_week(tm).1.into(), 2, b'0'),
            b'w' => f.num(tm.wday.into(), 1, b'0'),
            b'W' => f.num(((tm.yday + 7 - (tm.wday + 6) % 7) / 7).into(), 2, b'0'),
            b'x' => sub(b"%m/%d/%y", tm, &mut f),
            b'X' => sub(b"%H:%M:%S", tm, &mut f),
            b'y' => f.num(tm.year.rem_euclid(100), 2, b'0'),
            b'Y' => f.num(tm.year, 1, b'0'),
            b'z' => {
                let off = tm.gmtoff;
                let sign = if off < 0 { '-' } else { '+' };
                let a = off.unsigned_abs();
                let (h, m, s) = (a / 3600, (a / 60) % 60, a % 60);
                let text = match colons {
                    0 => format!("{sign}{h:02}{m:02}"),
                    1 => format!("{sign}{h:02}:{m:02}"),
                    2 => format!("{sign}{h:02}:{m:02}:{s:02}"),
                    _ if s != 0 => format!("{sign}{h:02}:{m:02}:{s:02}"),
                    _ if m != 0 => format!("{sign}{h:02}:{m:02}"),
                    _ => format!("{sign}{h:02}"),
                };
                f.text(text.as_bytes());
            }
            b'Z' => {
                let z = tm.zone.clone();
                f.text(&z);
            }
            b'+' => sub(b"%a %b %e %H:%M:%S %Z %Y", tm, &mut f),
            b'%' => f.text(b"%"),
            _ => f.out.extend_from_slice(&fmt[start..i]),
        }
    }
}

/// Expand a composite conversion and pad the result as one field.
fn sub(fmt: &[u8], tm: &Tm, f: &mut Field) {
    let mut s = Vec::new();
    strftime(fmt, tm, &mut s);
    f.text(&s);
}

/// Format a timestamp in local time; an empty result if it is out of range.
pub fn format_local(fmt: &[u8], ts: Timespec) -> Vec<u8> {
    let mut out = Vec::new();
    if let Some(tm) = local(ts) {
        strftime(fmt, &tm, &mut out);
    } else {
        out.extend_from_slice(ts.sec.to_string().as_bytes());
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
        assert_eq!(f("%+", &t), "Fri Feb 13 23:31:30 UTC 2009");
        assert_eq!(f("100%% %q", &t), "100% %q");
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
