//! expand: convert tabs to spaces. `-t N` or `-t LIST` (with GNU's `/N`
//! and `+N` forms, and the obsolete `-N` / `-N,M`), `-i` only tabs in the
//! leading blanks. A backspace moves back a column; past the last stop
//! of a list a tab becomes one space.

use ibex::Status;
use ibex::args::{Parser, Spec, flag, value};
use ibex::io::Out;
use ibex::tabs::TabStops;
use std::ffi::{OsStr, OsString};
use std::os::unix::ffi::OsStrExt;

const LONGS: &[ibex::args::Long] = &[flag("initial", 'i' as u32), value("tabs", 't' as u32)];

const SPEC: Spec = Spec::new(
    "it:",
    LONGS,
    "expand [-i] [-t N|LIST] [FILE]...\n\n\
     Convert tabs to spaces, writing to standard output\n\n\
     \t-i\tOnly convert tabs in the leading blanks (--initial)\n\
     \t-t N\tTabs are N columns apart, not 8 (--tabs)\n\
     \t-t LIST\tComma-separated tab positions; the last may be /N (then\n\
     \t\tevery N columns) or +N (every N after the last position)",
);

pub fn main(argv: &[OsString]) -> Status {
    let argv = ibex::tabs::obsolete_args(argv);
    let mut initial = false;
    let mut lists: Vec<&[u8]> = Vec::new();
    let mut p = Parser::new(&argv, &SPEC);
    while let Some((id, v)) = p.next()? {
        match char::from_u32(id).unwrap_or('\0') {
            'i' => initial = true,
            _ => lists.push(v.unwrap_or_default().as_bytes()),
        }
    }
    let tabs = match TabStops::parse(&lists) {
        Ok(t) => t,
        Err(e) => {
            ibex::msg!(e.0);
            return Err(ibex::Exit(1));
        }
    };
    let mut files = p.operands();
    if files.is_empty() {
        files.push(OsStr::new("-"));
    }
    let mut out = Out::stdout();
    let mut status = 0;
    let mut acc = Vec::with_capacity(300 * 1024);
    for name in files {
        let Some(input) = ibex::io::open_or_report(name.as_bytes()) else {
            status = 1;
            continue;
        };
        let res = ibex::records::blocks(input.fd(), b'\n', |run| {
            acc.clear();
            ibex::records::each(run, b'\n', |line, eol| {
                expand(line, &tabs, initial, &mut acc);
                if eol {
                    acc.push(b'\n');
                }
            });
            out.write(&acc);
            !out.failed()
        });
        if let Err(e) = res {
            ibex::error::io_error(name.as_bytes(), &e);
            status = 1;
        }
        if out.failed() {
            break;
        }
    }
    out.done(status)
}

fn expand(line: &[u8], tabs: &TabStops, initial: bool, out: &mut Vec<u8>) {
    let mut col: u64 = 0;
    let mut start = 0;
    for (i, &c) in line.iter().enumerate() {
        match c {
            b'\t' => {
                out.extend_from_slice(&line[start..i]);
                start = i + 1;
                let to = tabs.next(col).unwrap_or(col + 1);
                for _ in col..to {
                    out.push(b' ');
                }
                col = to;
            }
            b' ' => col += 1,
            _ => {
                if c == 8 {
                    col = col.saturating_sub(1);
                } else {
                    col += 1;
                }
                if initial {
                    out.extend_from_slice(&line[start..]);
                    return;
                }
            }
        }
    }
    out.extend_from_slice(&line[start..]);
}
