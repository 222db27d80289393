//! unexpand: convert runs of blanks to tabs. By default, as BusyBox, the
//! blanks up to the end of the first run of blanks (leading blanks, or
//! those after the first word); `-a` all blanks that reach a tab stop (as
//! GNU: a single space before a stop becomes a tab only when another blank
//! follows); `-f`/`--first-only` only leading blanks (POSIX's default); a
//! UTF-8 character is one column; `-t N|LIST` (implies `-a`, with GNU's
//! `/N` and `+N` forms, and the obsolete `-N`).

use ibex::Status;
use ibex::args::{Parser, Spec, flag, value};
use ibex::tabs::TabStops;
use std::ffi::OsString;
use std::os::unix::ffi::OsStrExt;

const LONGS: &[ibex::args::Long] = &[
    flag("all", 'a' as u32),
    flag("first-only", 'f' as u32),
    value("tabs", 't' as u32),
];

const SPEC: Spec = Spec::new(
    "aft:",
    LONGS,
    ibex::usage!(
        unexpand,
        "unexpand [-af] [-t N|LIST] [FILE]...\n\n\
     Convert blanks to tabs, writing to standard output\n\n\
     \t-a\tConvert all blanks, not just leading ones (--all)\n\
     \t-f\tConvert only leading blanks, overriding -a (--first-only)\n\
     \t-t N\tTabs are N columns apart, not 8; implies -a (--tabs)\n\
     \t-t LIST\tComma-separated tab positions; the last may be /N (then\n\
     \t\tevery N columns) or +N (every N after the last position)"
    ),
);

pub fn main(argv: &[OsString]) -> Status {
    let args = ibex::tabs::obsolete_args(argv);
    // As GNU, only a real -t implies -a, not the obsolete -N.
    let mut obsolete = argv.iter().zip(&args).filter(|(a, b)| a != b).count();
    let argv = args;
    let (mut all, mut first_only) = (false, false);
    let mut lists: Vec<&[u8]> = Vec::new();
    let mut p = Parser::new(&argv, &SPEC);
    while let Some((id, v)) = p.next()? {
        match char::from_u32(id).unwrap_or('\0') {
            'a' => all = true,
            'f' => first_only = true,
            _ => {
                if obsolete == 0 {
                    all = true;
                }
                obsolete = obsolete.saturating_sub(1);
                lists.push(v.unwrap_or_default().as_bytes());
            }
        }
    }
    let mode = if first_only {
        Mode::Leading
    } else if all {
        Mode::All
    } else {
        Mode::FirstRun
    };
    let tabs = match TabStops::parse(&lists) {
        Ok(t) => t,
        Err(e) => {
            ibex::msg!(e.0);
            return Err(ibex::Exit(1));
        }
    };
    let files = p.operands();
    ibex::records::map_lines(&files, |line, acc| {
        unexpand(line, &tabs, mode, acc);
        true
    })
}

#[derive(Clone, Copy, PartialEq)]
enum Mode {
    All,
    /// Only blanks before the first non-blank.
    Leading,
    /// Up to the first non-blank after a blank (BusyBox's default).
    FirstRun,
}

/// The GNU state machine: blanks are held back until they reach a tab
/// stop; a single space that reaches a stop after a non-blank stays a
/// space unless more blanks follow it.
fn unexpand(line: &[u8], tabs: &TabStops, mode: Mode, out: &mut Vec<u8>) {
    let mut col: u64 = 0;
    let mut convert = true;
    let mut pending: Vec<u8> = Vec::new();
    let mut prev_blank = true;
    let mut one_blank = false;
    let mut seen_blank = false;
    for &c in line {
        let mut c = c;
        let blank = c == b' ' || c == b'\t';
        if blank {
            seen_blank = true;
            let stop = tabs.next(col);
            if stop.is_none() {
                convert = false;
            }
            if let (true, Some(next)) = (convert, stop) {
                if c == b'\t' {
                    col = next;
                } else {
                    col += 1;
                    if !(prev_blank && col == next) {
                        if col == next {
                            one_blank = true;
                        }
                        pending.push(c);
                        prev_blank = true;
                        continue;
                    }
                    c = b'\t';
                }
                if let Some(first) = pending.first_mut() {
                    *first = b'\t';
                }
                pending.truncate(usize::from(one_blank));
            }
        } else if c == 8 {
            col = col.saturating_sub(1);
        } else if c & 0xc0 != 0x80 {
            // A UTF-8 continuation byte takes no column of its own.
            col += 1;
        }
        flush(&mut pending, &mut one_blank, out);
        prev_blank = blank;
        convert &= match mode {
            Mode::All => true,
            Mode::Leading => blank,
            Mode::FirstRun => blank || !seen_blank,
        };
        out.push(c);
    }
    flush(&mut pending, &mut one_blank, out);
}

fn flush(pending: &mut Vec<u8>, one_blank: &mut bool, out: &mut Vec<u8>) {
    if pending.len() > 1 && *one_blank {
        pending[0] = b'\t';
    }
    out.extend_from_slice(pending);
    pending.clear();
    *one_blank = false;
}
