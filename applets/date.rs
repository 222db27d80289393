//! date: print or set the system date and time.
//!
//! `date [-u] [-d STRING | -f FILE | -r FILE] [+FORMAT]` prints a time
//! (now, a date STRING in the free-form syntax of GNU date, each line of
//! FILE, or a file's modification time) by FORMAT (the strftime
//! conversions and GNU flags; default `%a %b %e %H:%M:%S %Z %Y`), or by
//! `-I[date|hours|minutes|seconds|ns]`, `-R` or `--rfc-3339=date|seconds|ns`.
//! `-u` uses UTC. `-s STRING` or an operand `MMDDhhmm[[CC]YY][.ss]` sets
//! the clock, then prints the time set.
//!
//! A STRING GNU's syntax rejects may be in BusyBox's forms:
//! `[YYYY.]MM.DD-hh:mm[:ss]` or `[[[[[CC]YY]MM]DD]hh]mm[.ss]`.
//!
//! Messages and status follow GNU: `date: invalid date 'x'` and status 1
//! for a date that does not parse, 1 for usage errors.

use ibex::Status;
use ibex::args::{Parser, Spec, flag, optional, usage_error, value};
use ibex::copy::{bad_choice, choose};
use ibex::io::Out;
use ibex::sys::{self, Timespec};
use std::ffi::{OsStr, OsString};
use std::os::unix::ffi::OsStrExt;

const RFC3339: u32 = 256;

const SPEC: Spec = Spec::new(
    "d:f:I::r:Rs:u",
    &[
        value("date", 'd' as u32),
        value("file", 'f' as u32),
        optional("iso-8601", 'I' as u32),
        value("reference", 'r' as u32),
        flag("rfc-email", 'R' as u32),
        flag("rfc-822", 'R' as u32),
        flag("rfc-2822", 'R' as u32),
        value("rfc-3339", RFC3339),
        value("set", 's' as u32),
        flag("utc", 'u' as u32),
        flag("universal", 'u' as u32),
        flag("uct", 'u' as u32),
    ],
    ibex::usage!(
        date,
        "date [-uR] [-I[FMT]] [-d STRING | -f FILE | -r FILE | -s STRING] [+FORMAT]\n\
     \x20 or:  date [-u] MMDDhhmm[[CC]YY][.ss]\n\n\
     Display the time (in FORMAT) or set the system time\n\n\
     \t-d STRING\tDisplay the time described by STRING, not now\n\
     \t-f FILE\tLike -d for each line of FILE (- for standard input)\n\
     \t-r FILE\tDisplay the last modification time of FILE\n\
     \t-s STRING\tSet the time described by STRING\n\
     \t-u\tUse UTC (Coordinated Universal Time)\n\
     \t-I[FMT]\tISO 8601 output: date (default), hours, minutes, seconds or ns\n\
     \t-R\tRFC 5322 output (Mon, 14 Aug 2006 02:34:56 -0600)\n\
     \t--rfc-3339=FMT\tRFC 3339 output: date, seconds or ns"
    ),
);

const ISO_CHOICES: &[&[&str]] = &[&["hours"], &["minutes"], &["date"], &["seconds"], &["ns"]];
const ISO_FORMATS: [&str; 5] = [
    "%Y-%m-%dT%H%:z",
    "%Y-%m-%dT%H:%M%:z",
    "%Y-%m-%d",
    "%Y-%m-%dT%H:%M:%S%:z",
    "%Y-%m-%dT%H:%M:%S,%N%:z",
];
const RFC3339_CHOICES: &[&[&str]] = &[&["date"], &["seconds"], &["ns"]];
const RFC3339_FORMATS: [&str; 3] = [
    "%Y-%m-%d",
    "%Y-%m-%d %H:%M:%S%:z",
    "%Y-%m-%d %H:%M:%S.%N%:z",
];
const DEFAULT_FORMAT: &[u8] = b"%a %b %e %H:%M:%S %Z %Y";

/// Where the time to print comes from.
enum Source<'a> {
    Now,
    Date(&'a OsStr),
    File(&'a OsStr),
    Reference(&'a OsStr),
}

fn invalid_date(s: &[u8]) {
    ibex::msg!("invalid date '", s, "'");
}

/// Print `ts` by `format`; false (with a message) when it is out of range.
fn show(out: &mut Out, ts: Timespec, format: &[u8], utc: bool) -> bool {
    let tm = if utc {
        ibex::time::utc(ts)
    } else {
        ibex::time::local(ts)
    };
    let Some(tm) = tm else {
        out.flush();
        ibex::msg!("time '", ts.sec, "' is out of range");
        return false;
    };
    let mut buf = Vec::with_capacity(64);
    ibex::time::strftime(format, &tm, &mut buf);
    buf.push(b'\n');
    out.write(&buf);
    true
}

/// `date -f`: one time per line; bad lines get a message and status 1.
fn batch(out: &mut Out, name: &OsStr, format: &[u8], utc: bool) -> i32 {
    let name = name.as_bytes();
    let input = if name == b"-" {
        None
    } else {
        match ibex::io::Input::open(name) {
            Ok(i) => Some(i),
            Err(e) => {
                ibex::error::io_error(name, &e);
                return 1;
            }
        }
    };
    let fd = input.as_ref().map_or(0, |i| i.fd());
    let mut lines = ibex::io::LineReader::new(fd);
    let mut status = 0;
    loop {
        let line = match lines.next_line() {
            Ok(Some(l)) => l.strip_suffix(b"\n").unwrap_or(l).to_vec(),
            Ok(None) => break,
            Err(e) => {
                out.flush();
                ibex::error::io_error(name, &e);
                return 1;
            }
        };
        match ibex::datetime::parse_in(&line, sys::now(), utc) {
            Some(ts) => {
                if !show(out, ts, format, utc) {
                    status = 1;
                }
            }
            None => {
                out.flush();
                invalid_date(&line);
                status = 1;
            }
        }
    }
    status
}

pub fn main(argv: &[OsString]) -> Status {
    let old_tz = ibex::time::prefer_zone_files();
    let r = run(argv);
    ibex::time::restore_tz(old_tz);
    r
}

fn run(argv: &[OsString]) -> Status {
    let mut p = Parser::new(argv, &SPEC);
    let mut source = Source::Now;
    let mut sources = [false; 3];
    let mut set: Option<&OsStr> = None;
    let mut utc = false;
    let mut format: Option<Vec<u8>> = None;
    let mut formats = 0;
    while let Some((id, val)) = p.next()? {
        let v = val.unwrap_or_default();
        match id {
            RFC3339 => {
                let i = choose(v.as_bytes(), RFC3339_CHOICES).map_err(|amb| {
                    bad_choice(&SPEC, "--rfc-3339", v.as_bytes(), RFC3339_CHOICES, amb)
                })?;
                format = Some(RFC3339_FORMATS[i].as_bytes().to_vec());
                formats += 1;
            }
            _ => match char::from_u32(id) {
                Some('d') => {
                    source = Source::Date(v);
                    sources[0] = true;
                }
                Some('f') => {
                    source = Source::File(v);
                    sources[1] = true;
                }
                Some('r') => {
                    source = Source::Reference(v);
                    sources[2] = true;
                }
                Some('s') => set = Some(v),
                Some('u') => utc = true,
                Some('R') => {
                    format = Some(b"%a, %d %b %Y %H:%M:%S %z".to_vec());
                    formats += 1;
                }
                Some('I') => {
                    let i = match val {
                        None => 2,
                        Some(v) => choose(v.as_bytes(), ISO_CHOICES).map_err(|amb| {
                            bad_choice(&SPEC, "--iso-8601", v.as_bytes(), ISO_CHOICES, amb)
                        })?,
                    };
                    format = Some(ISO_FORMATS[i].as_bytes().to_vec());
                    formats += 1;
                }
                _ => {}
            },
        }
    }
    let ops = p.operands();
    let specified = sources.iter().filter(|&&b| b).count();
    if specified > 1 {
        return Err(usage_error(
            &SPEC,
            &[b"the options to specify dates for printing are mutually exclusive"],
        ));
    }
    if set.is_some() && specified > 0 {
        return Err(usage_error(
            &SPEC,
            &[b"the options to print and set the time may not be used together"],
        ));
    }
    if formats > 1 {
        ibex::msg!("multiple output formats specified");
        return Ok(1);
    }
    if let Some(extra) = ops.get(1) {
        return Err(usage_error(
            &SPEC,
            &[b"extra operand '", extra.as_bytes(), b"'"],
        ));
    }
    let mut stamp = None;
    if let Some(op) = ops.first() {
        if let Some(f) = op.as_bytes().strip_prefix(b"+") {
            if format.is_some() {
                ibex::msg!("multiple output formats specified");
                return Ok(1);
            }
            format = Some(f.to_vec());
        } else if set.is_some() || specified > 0 {
            // BusyBox shows its usage here; GNU explains that a format
            // must start with '+'.
            return Err(ibex::args::show_usage(&SPEC));
        } else {
            stamp = Some(*op);
        }
    }
    let format = format.unwrap_or_else(|| DEFAULT_FORMAT.to_vec());
    let mut out = Out::stdout();
    if let Source::File(name) = source {
        let status = batch(&mut out, name, &format, utc);
        return out.done(status);
    }
    let now = sys::now();
    let when = if let Some(s) = stamp {
        ibex::datetime::parse_date_stamp(s.as_bytes(), now.sec, utc)
            .map(|sec| Timespec { sec, nsec: 0 })
    } else if let Some(s) = set {
        parse_date(s.as_bytes(), now, utc)
    } else {
        match source {
            Source::Date(s) => parse_date(s.as_bytes(), now, utc),
            Source::Reference(f) => match sys::stat(f.as_bytes()) {
                Ok(st) => Some(st.mtime),
                Err(e) => {
                    ibex::error::io_error(f, &e);
                    return Ok(1);
                }
            },
            _ => Some(now),
        }
    };
    let Some(when) = when else {
        let text = stamp.or(set).or(match source {
            Source::Date(s) => Some(s),
            _ => None,
        });
        invalid_date(text.map_or(&b""[..], |t| t.as_bytes()));
        return Ok(1);
    };
    let mut status = 0;
    if (stamp.is_some() || set.is_some())
        && let Err(e) = sys::set_clock(when)
    {
        ibex::msg!("cannot set date: ", e);
        status = 1;
    }
    if !show(&mut out, when, &format, utc) {
        status = 1;
    }
    out.done(status)
}

/// A `-d`/`-s` STRING: GNU's free form, else one of BusyBox's forms.
fn parse_date(s: &[u8], now: Timespec, utc: bool) -> Option<Timespec> {
    ibex::datetime::parse_in(s, now, utc).or_else(|| {
        let sec = busybox_form(s, now.sec, utc)?;
        Some(Timespec { sec, nsec: 0 })
    })
}

/// BusyBox's `[YYYY.]MM.DD-hh:mm[:ss]` and `[[[[[CC]YY]MM]DD]hh]mm[.ss]`;
/// the fields left out are today's.
fn busybox_form(s: &[u8], now: i64, utc: bool) -> Option<i64> {
    let tm = sys::localtime(now, utc)?;
    // Year, month, day, hour, minute, second.
    let mut f = [tm.year, i64::from(tm.mon) + 1, i64::from(tm.mday), 0, 0, 0];
    let num = |d: &[u8]| -> Option<i64> {
        if d.is_empty() || d.len() > 4 || !d.iter().all(u8::is_ascii_digit) {
            return None;
        }
        Some(d.iter().fold(0, |n, &c| n * 10 + i64::from(c - b'0')))
    };
    if let Some(dash) = memchr::memchr(b'-', s) {
        let (date, time) = (&s[..dash], &s[dash + 1..]);
        let d: Vec<&[u8]> = date.split(|&c| c == b'.').collect();
        let t: Vec<&[u8]> = time.split(|&c| c == b':').collect();
        let (y, md) = match d.as_slice() {
            [y, m, d] => (Some(num(y)?), [num(m)?, num(d)?]),
            [m, d] => (None, [num(m)?, num(d)?]),
            _ => return None,
        };
        if let Some(y) = y {
            f[0] = y;
        }
        [f[1], f[2]] = md;
        match t.as_slice() {
            [h, m] => [f[3], f[4]] = [num(h)?, num(m)?],
            [h, m, sec] => [f[3], f[4], f[5]] = [num(h)?, num(m)?, num(sec)?],
            _ => return None,
        }
    } else {
        let (digits, secs) = match memchr::memchr(b'.', s) {
            Some(i) => (&s[..i], Some(&s[i + 1..])),
            None => (s, None),
        };
        if digits.len() % 2 != 0 || !(2..=12).contains(&digits.len()) {
            return None;
        }
        if let Some(sec) = secs {
            if sec.len() != 2 {
                return None;
            }
            f[5] = num(sec)?;
        }
        // From the right: minutes, hours, day, month, then the year.
        let pairs: Vec<i64> = digits.chunks(2).map(num).collect::<Option<Vec<i64>>>()?;
        let mut k = 4;
        for &v in pairs.iter().rev() {
            if k == 0 {
                break;
            }
            f[k] = v;
            k -= 1;
        }
        match pairs.len() {
            5 => f[0] = if pairs[0] < 69 { 2000 } else { 1900 } + pairs[0],
            6 => f[0] = pairs[0] * 100 + pairs[1],
            _ => {}
        }
    }
    let stamp = format!(
        "{:04}{:02}{:02}{:02}{:02}.{:02}",
        f[0], f[1], f[2], f[3], f[4], f[5]
    );
    if f.iter().any(|&v| v < 0) || stamp.len() != 15 {
        return None;
    }
    ibex::datetime::parse_touch_stamp(stamp.as_bytes(), now, utc)
}
