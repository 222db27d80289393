//! cal: print a calendar. `cal` the current month, `cal YEAR` the whole
//! year, `cal MONTH YEAR` one month (MONTH a number or a name), `cal DAY
//! MONTH YEAR` that month. `-1` one month, `-3` the months before and
//! after too, `-y` the whole year, `-j` days numbered within the year,
//! `-m` weeks starting on Monday (`-s` Sunday, the default).
//!
//! Layout: util-linux's and BusyBox's (20 columns a month, 27 with -j,
//! six week rows, two blanks between months, three months a row in a year,
//! two with -j), with trailing blanks removed from each line. The
//! Julian calendar is used before the Gregorian reform of September 1752
//! (2 September is followed by 14 September), as both do. Today is shown
//! in reverse video when standard output is a terminal.

use ibex::Status;
use ibex::args::{Parser, Spec, flag, usage_error};
use ibex::io::Out;
use std::ffi::OsString;
use std::os::unix::ffi::OsStrExt;

const SPEC: Spec = Spec::new(
    "13yjms",
    &[
        flag("one", '1' as u32),
        flag("three", '3' as u32),
        flag("year", 'y' as u32),
        flag("julian", 'j' as u32),
        flag("monday", 'm' as u32),
        flag("sunday", 's' as u32),
    ],
    ibex::usage!(
        cal,
        "cal [-13yjms] [[[DAY] MONTH] YEAR]\n\n\
         Display a calendar\n\n\
         \t-1\tOne month (the default)\n\
         \t-3\tPrevious, current and next month\n\
         \t-y\tThe entire year\n\
         \t-j\tNumber days within the year\n\
         \t-m\tWeeks start on Monday\n\
         \t-s\tWeeks start on Sunday (the default)"
    ),
);

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
const DAYS: [&str; 7] = ["Su", "Mo", "Tu", "We", "Th", "Fr", "Sa"];

/// Leap year in the calendar in force: Julian up to 1752, then Gregorian.
fn leap(y: i64) -> bool {
    if y <= 1752 {
        y % 4 == 0
    } else {
        (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
    }
}

fn month_len(y: i64, m: usize) -> i64 {
    match m {
        1 if leap(y) => 29,
        1 => 28,
        3 | 5 | 8 | 10 => 30,
        _ => 31,
    }
}

/// Day of the week (0 = Sunday) of a date, Julian before 14 Sep 1752.
fn weekday(y: i64, m: usize, d: i64) -> i64 {
    let mon = m as i64 + 1;
    let a = (14 - mon) / 12;
    let yy = y + 4800 - a;
    let mm = mon + 12 * a - 3;
    let base = d + (153 * mm + 2) / 5 + 365 * yy + yy / 4;
    let jdn = if (y, m, d) < (1752, 8, 14) {
        base - 32083
    } else {
        base - yy / 100 + yy / 400 - 32045
    };
    (jdn + 1).rem_euclid(7)
}

struct Opts {
    julian: bool,
    monday: bool,
    today: Option<(i64, usize, i64)>,
}

impl Opts {
    fn width(&self) -> usize {
        if self.julian { 27 } else { 20 }
    }
}

/// The eight lines of one month (title, weekdays, six weeks), each
/// exactly `width` columns wide (not counting highlight escapes).
fn month_lines(y: i64, m: usize, with_year: bool, o: &Opts) -> Vec<Vec<u8>> {
    let w = o.width();
    let cell = if o.julian { 3 } else { 2 };
    let mut lines = Vec::with_capacity(8);
    let title = if with_year {
        format!("{} {}", MONTHS[m], y)
    } else {
        MONTHS[m].to_string()
    };
    lines.push(center(title.as_bytes(), w));
    let mut head = Vec::new();
    for i in 0..7 {
        if i > 0 {
            head.push(b' ');
        }
        if o.julian {
            head.push(b' ');
        }
        head.extend_from_slice(DAYS[(i + usize::from(o.monday)) % 7].as_bytes());
    }
    lines.push(head);
    let first = weekday(y, m, 1);
    let start = if o.monday { (first + 6) % 7 } else { first };
    let before: i64 = (0..m).map(|k| month_len(y, k)).sum();
    let mut days: Vec<i64> = (1..=month_len(y, m)).collect();
    if y == 1752 && m == 8 {
        days.retain(|&d| !(3..=13).contains(&d));
    }
    let mut slots: Vec<Option<i64>> = vec![None; start as usize];
    slots.extend(days.into_iter().map(Some));
    slots.resize(42, None);
    for week in slots.chunks(7) {
        let mut line = Vec::with_capacity(w + 8);
        for (i, day) in week.iter().enumerate() {
            if i > 0 {
                line.push(b' ');
            }
            match day {
                None => line.extend(std::iter::repeat_n(b' ', cell)),
                Some(d) => {
                    let n = if o.julian { before + d } else { *d };
                    let text = format!("{n:>cell$}");
                    if o.today == Some((y, m, *d)) {
                        line.extend_from_slice(b"\x1b[7m");
                        line.extend_from_slice(text.as_bytes());
                        line.extend_from_slice(b"\x1b[27m");
                    } else {
                        line.extend_from_slice(text.as_bytes());
                    }
                }
            }
        }
        lines.push(line);
    }
    lines
}

fn center(s: &[u8], w: usize) -> Vec<u8> {
    let left = w.saturating_sub(s.len()) / 2;
    let mut v = vec![b' '; left];
    v.extend_from_slice(s);
    let right = w.saturating_sub(v.len());
    v.extend(std::iter::repeat_n(b' ', right));
    v
}

/// Print months side by side, two blanks apart, trailing blanks trimmed.
fn print_row(out: &mut Out, months: &[Vec<Vec<u8>>]) {
    for i in 0..8 {
        let mut line = Vec::new();
        for (k, m) in months.iter().enumerate() {
            if k > 0 {
                line.extend_from_slice(b"  ");
            }
            if let Some(l) = m.get(i) {
                line.extend_from_slice(l);
            }
        }
        let n = line.iter().rev().take_while(|&&c| c == b' ').count();
        line.truncate(line.len() - n);
        out.write(&line);
        out.byte(b'\n');
    }
}

fn parse_num(s: &[u8]) -> Option<i64> {
    if s.is_empty() || s.len() > 9 || !s.iter().all(u8::is_ascii_digit) {
        return None;
    }
    std::str::from_utf8(s).ok()?.parse().ok()
}

fn parse_month(s: &[u8]) -> Option<usize> {
    if let Some(n) = parse_num(s) {
        return (1..=12).contains(&n).then(|| n as usize - 1);
    }
    let lower = s.to_ascii_lowercase();
    if lower.len() < 3 {
        return None;
    }
    MONTHS
        .iter()
        .position(|m| m.to_ascii_lowercase().as_bytes().starts_with(&lower))
}

fn bad_month() -> ibex::Exit {
    ibex::msg!("illegal month value: use 1-12");
    ibex::Exit(1)
}

fn bad_year() -> ibex::Exit {
    ibex::msg!("illegal year value: use 1-9999");
    ibex::Exit(1)
}

fn parse_year(s: &[u8]) -> Result<i64, ibex::Exit> {
    parse_num(s)
        .filter(|y| (1..=9999).contains(y))
        .ok_or_else(bad_year)
}

#[derive(Clone, Copy, PartialEq)]
enum Mode {
    Default,
    One,
    Three,
}

pub fn main(argv: &[OsString]) -> Status {
    let mut p = Parser::new(argv, &SPEC);
    let mut mode = Mode::Default;
    let mut year_flag = false;
    let mut o = Opts {
        julian: false,
        monday: false,
        today: None,
    };
    while let Some((id, _)) = p.next()? {
        match char::from_u32(id) {
            Some('1') => mode = Mode::One,
            Some('3') => mode = Mode::Three,
            Some('y') => year_flag = true,
            Some('j') => o.julian = true,
            Some('m') => o.monday = true,
            Some('s') => o.monday = false,
            _ => {}
        }
    }
    let ops = p.operands();
    let now = ibex::time::local(ibex::sys::now());
    let (cur_y, cur_m, cur_d) = now.as_ref().map_or((1970, 0, 1), |t| {
        (t.year, t.mon as usize, i64::from(t.mday))
    });
    let (year, month) = match ops.as_slice() {
        [] => (cur_y, Some(cur_m)),
        [one] => match parse_num(one.as_bytes()) {
            Some(_) => (parse_year(one.as_bytes())?, None),
            None => (
                cur_y,
                Some(parse_month(one.as_bytes()).ok_or_else(bad_month)?),
            ),
        },
        [m, y] | [_, m, y] => {
            let m = parse_month(m.as_bytes()).ok_or_else(bad_month)?;
            (parse_year(y.as_bytes())?, Some(m))
        }
        [_, _, _, extra, ..] => {
            return Err(usage_error(
                &SPEC,
                &[b"extra operand '", extra.as_bytes(), b"'"],
            ));
        }
    };
    if let [d, m, _] = ops.as_slice()
        && let (Some(month), Some(day)) = (parse_month(m.as_bytes()), parse_num(d.as_bytes()))
        && !(1..=month_len(year, month)).contains(&day)
    {
        ibex::msg!("illegal day value: use 1-", month_len(year, month));
        return Ok(1);
    }
    let mut out = Out::stdout();
    if out.is_terminal() {
        o.today = Some((cur_y, cur_m, cur_d));
    }
    let whole_year = year_flag || (month.is_none() && mode == Mode::Default);
    let month = month.unwrap_or(0);
    if whole_year {
        let per_row = if o.julian { 2 } else { 3 };
        let total = o.width() * per_row + 2 * (per_row - 1);
        let title = center(year.to_string().as_bytes(), total);
        out.write(title.trim_ascii_end());
        out.write(b"\n\n");
        for chunk in (0..12).collect::<Vec<_>>().chunks(per_row) {
            let months: Vec<_> = chunk
                .iter()
                .map(|&m| month_lines(year, m, false, &o))
                .collect();
            print_row(&mut out, &months);
        }
    } else if mode == Mode::Three {
        let prev = if month == 0 {
            (year - 1, 11)
        } else {
            (year, month - 1)
        };
        let next = if month == 11 {
            (year + 1, 0)
        } else {
            (year, month + 1)
        };
        let months: Vec<_> = [prev, (year, month), next]
            .into_iter()
            .filter(|(y, _)| (1..=9999).contains(y))
            .map(|(y, m)| month_lines(y, m, true, &o))
            .collect();
        print_row(&mut out, &months);
    } else {
        print_row(&mut out, &[month_lines(year, month, true, &o)]);
    }
    out.done(0)
}
