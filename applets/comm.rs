//! comm: compare two sorted files line by line, in three columns: lines
//! only in FILE1, lines only in FILE2, lines in both. `-1 -2 -3` hide
//! columns; `-i` compares ignoring case; `--output-delimiter=STR`
//! separates columns (default tab); `--total` adds a line of counts;
//! `-z` uses NUL line ends. Unsorted input is reported as GNU does.

use ibex::Status;
use ibex::args::{Parser, Spec, flag, value};
use ibex::io::{Input, LineReader, Out};
use std::cmp::Ordering;
use std::ffi::OsString;
use std::os::unix::ffi::OsStrExt;

const CHECK: u32 = 256;
const NOCHECK: u32 = 257;
const DELIM: u32 = 258;
const TOTAL: u32 = 259;

const SPEC: Spec = Spec::new(
    "123iz",
    &[
        flag("check-order", CHECK),
        flag("nocheck-order", NOCHECK),
        value("output-delimiter", DELIM),
        flag("total", TOTAL),
        flag("ignore-case", 'i' as u32),
        flag("zero-terminated", 'z' as u32),
    ],
    ibex::usage!(
        comm,
        "comm [-123iz] FILE1 FILE2\n\n\
         Compare FILE1 with FILE2\n\n\
         \t-1\tSuppress lines unique to FILE1\n\
         \t-2\tSuppress lines unique to FILE2\n\
         \t-3\tSuppress lines common to both files\n\
         \t-i\tIgnore case\n\
         \t-z\tLines end with NUL\n\
         \t--check-order\tFail on unsorted input\n\
         \t--nocheck-order\tDo not check the order\n\
         \t--output-delimiter=STR\tSeparate columns with STR\n\
         \t--total\tPrint a summary"
    ),
);

fn compare(a: &[u8], b: &[u8], icase: bool) -> Ordering {
    if !icase {
        return a.cmp(b);
    }
    let n = a.len().min(b.len());
    for i in 0..n {
        let (x, y) = (a[i].to_ascii_uppercase(), b[i].to_ascii_uppercase());
        if x != y {
            return x.cmp(&y);
        }
    }
    a.len().cmp(&b.len())
}

struct Side {
    reader: LineReader,
    cur: Vec<u8>,
    prev: Vec<u8>,
    /// The line before `prev`, for the check at the end of the file.
    prev2: Vec<u8>,
    have: bool,
    /// Lines read so far.
    count: u64,
    warned: bool,
}

impl Side {
    /// Read the next line into `cur` (the old ones move to `prev` and
    /// `prev2`).
    fn next(&mut self, eol: u8) -> std::io::Result<bool> {
        std::mem::swap(&mut self.prev2, &mut self.prev);
        std::mem::swap(&mut self.cur, &mut self.prev);
        match self.reader.next_line()? {
            Some(l) => {
                self.cur.clear();
                self.cur
                    .extend_from_slice(l.strip_suffix(&[eol]).unwrap_or(l));
                self.have = true;
                self.count += 1;
            }
            None => self.have = false,
        }
        Ok(self.have)
    }

    /// The pair of lines to check after a read, as GNU does: the new line
    /// against the one before, or at the end of the file the last two
    /// again (their order may have been ignored when the last was read).
    fn pair(&self) -> Option<(&[u8], &[u8])> {
        if self.have {
            (self.count >= 2).then_some((&self.prev[..], &self.cur[..]))
        } else {
            (self.count >= 2).then_some((&self.prev2[..], &self.prev[..]))
        }
    }
}

pub fn main(argv: &[OsString]) -> Status {
    let mut show = [true, true, true];
    let mut icase = false;
    let mut eol = b'\n';
    let mut check: Option<bool> = None;
    let mut delim: Vec<u8> = b"\t".to_vec();
    let mut total = false;
    let mut p = Parser::new(argv, &SPEC);
    while let Some((id, val)) = p.next()? {
        match id {
            CHECK => check = Some(true),
            NOCHECK => check = Some(false),
            DELIM => {
                let v = val.map_or(&b""[..], |v| v.as_bytes());
                delim = if v.is_empty() { vec![0] } else { v.to_vec() };
            }
            TOTAL => total = true,
            _ => match char::from_u32(id) {
                Some('1') => show[0] = false,
                Some('2') => show[1] = false,
                Some('3') => show[2] = false,
                Some('i') => icase = true,
                Some('z') => eol = 0,
                _ => {}
            },
        }
    }
    let ops = p.operands();
    ibex::records::two_inputs(&SPEC, &ops)?;
    let open = |i: usize| ibex::io::open_or_report(ops[i].as_bytes()).ok_or(ibex::Exit(1));
    let inputs: [Input; 2] = [open(0)?, open(1)?];
    let mut sides = inputs.each_ref().map(|inp| Side {
        reader: LineReader::with_delim(inp.fd(), eol),
        cur: Vec::new(),
        prev: Vec::new(),
        prev2: Vec::new(),
        have: false,
        count: 0,
        warned: false,
    });
    let mut out = Out::stdout();
    let mut counts = [0u64; 3];
    let mut seen_unpairable = false;
    // Column prefixes: one delimiter per shown column to the left.
    let prefix = |col: usize| -> Vec<u8> {
        let n = show[..col].iter().filter(|&&s| s).count();
        delim.repeat(n)
    };
    let prefixes = [prefix(0), prefix(1), prefix(2)];
    let mut status = 0;
    let read = |s: &mut Side, i: usize, seen: bool, out: &mut Out| -> Result<bool, i32> {
        match s.next(eol) {
            Ok(more) => {
                let active = check.unwrap_or(seen);
                let bad = s
                    .pair()
                    .is_some_and(|(a, b)| compare(a, b, icase) == Ordering::Greater);
                if active && !s.warned && bad {
                    out.flush();
                    ibex::msg!("file ", i + 1, " is not in sorted order");
                    s.warned = true;
                    if check == Some(true) {
                        return Err(1);
                    }
                }
                Ok(more)
            }
            Err(e) => {
                out.flush();
                ibex::error::io_error(ops[i], &e);
                Err(1)
            }
        }
    };
    let mut run = || -> Result<(), i32> {
        for (i, s) in sides.iter_mut().enumerate() {
            read(s, i, false, &mut out)?;
        }
        while sides[0].have || sides[1].have {
            let ord = match (sides[0].have, sides[1].have) {
                (true, true) => compare(&sides[0].cur, &sides[1].cur, icase),
                (true, false) => Ordering::Less,
                _ => Ordering::Greater,
            };
            let col = match ord {
                Ordering::Less => 0,
                Ordering::Greater => 1,
                Ordering::Equal => 2,
            };
            counts[col] += 1;
            if col != 2 {
                seen_unpairable = true;
            }
            if show[col] {
                out.write(&prefixes[col]);
                out.write(&sides[col.min(1) * usize::from(col != 2)].cur);
                out.byte(eol);
            }
            if col != 1 {
                read(&mut sides[0], 0, seen_unpairable, &mut out)?;
            }
            if col != 0 {
                read(&mut sides[1], 1, seen_unpairable, &mut out)?;
            }
        }
        Ok(())
    };
    match run() {
        Ok(()) => {
            if total {
                for c in counts {
                    out.num(c);
                    out.write(&delim);
                }
                out.str("total");
                out.byte(eol);
            }
            if sides.iter().any(|s| s.warned) {
                out.flush();
                ibex::msg!("input is not in sorted order");
                status = 1;
            }
        }
        Err(code) => status = code,
    }
    out.done(status)
}
