//! expand: convert tabs to spaces. `-t N` or `-t LIST` (with GNU's `/N`
//! and `+N` forms, and the obsolete `-N` / `-N,M`), `-i` only tabs in the
//! leading blanks. A UTF-8 character takes one column, a backspace moves
//! back one; past the last stop
//! of a list a tab becomes one space.

use ibex::Status;
use ibex::args::{Parser, Spec, flag, value};
use ibex::tabs::TabStops;
use std::ffi::OsString;
use std::os::unix::ffi::OsStrExt;

const LONGS: &[ibex::args::Long] = &[flag("initial", 'i' as u32), value("tabs", 't' as u32)];

const SPEC: Spec = Spec::new(
    "it:",
    LONGS,
    ibex::usage!(
        expand,
        "expand [-i] [-t N|LIST] [FILE]...\n\n\
         Convert tabs to spaces, writing to standard output\n\n\
         \t-i\tOnly convert tabs in the leading blanks (--initial)\n\
         \t-t N\tTabs are N columns apart, not 8 (--tabs)\n\
         \t-t LIST\tComma-separated tab positions; the last may be /N (then\n\
         \t\tevery N columns) or +N (every N after the last position)"
    ),
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
    let files = p.operands();
    ibex::records::map_lines(&files, |line, acc| {
        expand(line, &tabs, initial, acc);
        true
    })
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
                } else if c & 0xc0 != 0x80 {
                    // A UTF-8 continuation byte takes no column of its own.
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
