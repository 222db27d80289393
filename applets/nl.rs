//! nl: number the lines of FILEs. Numbering styles for body, header and
//! footer (`a` all, `t` non-empty, `n` none, `pBRE` lines matching a basic
//! regular expression), logical page sections marked by lines of `\:\:\:`,
//! `\:\:` and `\:` (`-d CC` changes the characters; numbering restarts at
//! each section unless `-p`), formats `ln`/`rn`/`rz`, width, separator,
//! start, increment, and `-l N` to number only every Nth blank line in a
//! row. As GNU: numbering runs on across files, a last line without a
//! newline gets one.

use ibex::Status;
use ibex::args::{Parser, Spec, flag, usage_error, value};
use ibex::io::Out;
use ibex::regex::{Flags, Regex};
use std::ffi::{OsStr, OsString};
use std::os::unix::ffi::OsStrExt;

const LONGS: &[ibex::args::Long] = &[
    value("body-numbering", 'b' as u32),
    value("section-delimiter", 'd' as u32),
    value("footer-numbering", 'f' as u32),
    value("header-numbering", 'h' as u32),
    value("line-increment", 'i' as u32),
    value("join-blank-lines", 'l' as u32),
    value("number-format", 'n' as u32),
    flag("no-renumber", 'p' as u32),
    value("number-separator", 's' as u32),
    value("starting-line-number", 'v' as u32),
    value("number-width", 'w' as u32),
];

const SPEC: Spec = Spec::new(
    "b:d:f:h:i:l:n:ps:v:w:",
    LONGS,
    ibex::usage!(
        nl,
        "nl [-p] [-b STYLE] [-h STYLE] [-f STYLE] [-d CC] [-i N] [-l N] [-n FORMAT] \
         [-s STR] [-v N] [-w N] [FILE]...\n\n\
         Write FILEs to standard output with line numbers added\n\n\
         \t-b STYLE\tNumber body lines: a all, t non-empty (default), n none,\n\
         \t\tpBRE lines matching BRE (--body-numbering)\n\
         \t-h STYLE\tNumber header lines, default n (--header-numbering)\n\
         \t-f STYLE\tNumber footer lines, default n (--footer-numbering)\n\
         \t-d CC\tSection delimiter characters, default \\: (--section-delimiter)\n\
         \t-i N\tLine number increment (--line-increment)\n\
         \t-l N\tNumber only every Nth empty line in a row (--join-blank-lines)\n\
         \t-n FMT\tln, rn (default) or rz (--number-format)\n\
         \t-p\tDon't restart numbering at sections (--no-renumber)\n\
         \t-s STR\tSeparator after the number, default TAB (--number-separator)\n\
         \t-v N\tFirst line number (--starting-line-number)\n\
         \t-w N\tWidth of line numbers (--number-width)"
    ),
);

enum Style {
    All,
    NonEmpty,
    None,
    Matching(Box<Regex>),
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Format {
    Left,
    Right,
    Zeros,
}

struct Nl {
    styles: [Style; 3], // header, body, footer
    delim: Vec<u8>,
    incr: i64,
    join: u64,
    format: Format,
    renumber: bool,
    sep: Vec<u8>,
    start: i64,
    width: usize,
    // State.
    section: usize,
    line_no: i64,
    /// The number overflowed: the next numbered line is an error.
    overflow: bool,
    blanks: u64,
}

fn style(v: &OsStr, what: &str) -> Result<Style, ibex::Exit> {
    let b = v.as_bytes();
    Ok(match b {
        b"a" => Style::All,
        b"t" => Style::NonEmpty,
        b"n" => Style::None,
        [b'p', re @ ..] => match Regex::new(re, Flags::default()) {
            Ok(r) => Style::Matching(Box::new(r)),
            Err(e) => {
                ibex::msg!(e.message());
                return Err(ibex::Exit(1));
            }
        },
        _ => {
            return Err(usage_error(
                &SPEC,
                &[
                    b"invalid ",
                    what.as_bytes(),
                    b" numbering style: ",
                    &ibex::copy::quote(b),
                ],
            ));
        }
    })
}

/// A number option: `invalid WHAT: 'V'`, with GNU's reasons for numbers
/// outside [min, max] or outside the type.
fn number(v: &OsStr, what: &str, min: i64, max: i64) -> Result<i64, ibex::Exit> {
    let b = v.as_bytes();
    let q = ibex::copy::quote(b);
    match ibex::num::parse_i64(ibex::num::trim_start(b)) {
        Ok(n) if n >= min && n <= max => Ok(n),
        Ok(_) => {
            ibex::msg!("invalid ", what, ": ", q, ": Numerical result out of range");
            Err(ibex::Exit(1))
        }
        Err(ibex::num::NumError::Range) => {
            ibex::msg!(
                "invalid ",
                what,
                ": ",
                q,
                ": Value too large for defined data type"
            );
            Err(ibex::Exit(1))
        }
        Err(_) => {
            ibex::msg!("invalid ", what, ": ", q);
            Err(ibex::Exit(1))
        }
    }
}

pub fn main(argv: &[OsString]) -> Status {
    let mut nl = Nl {
        styles: [Style::None, Style::NonEmpty, Style::None],
        delim: b"\\:".to_vec(),
        incr: 1,
        join: 1,
        format: Format::Right,
        renumber: true,
        sep: b"\t".to_vec(),
        start: 1,
        width: 6,
        section: 1,
        line_no: 1,
        overflow: false,
        blanks: 0,
    };
    let mut p = Parser::new(argv, &SPEC);
    while let Some((id, v)) = p.next()? {
        let v = v.unwrap_or_default();
        match char::from_u32(id).unwrap_or('\0') {
            'b' => nl.styles[1] = style(v, "body")?,
            'h' => nl.styles[0] = style(v, "header")?,
            'f' => nl.styles[2] = style(v, "footer")?,
            'd' => {
                nl.delim = v.as_bytes().to_vec();
                if nl.delim.len() == 1 {
                    nl.delim.push(b':');
                }
            }
            'i' => nl.incr = number(v, "line number increment", i64::MIN, i64::MAX)?,
            'l' => nl.join = number(v, "line number of blank lines", 1, i64::MAX)? as u64,
            'n' => {
                nl.format = match v.as_bytes() {
                    b"ln" => Format::Left,
                    b"rn" => Format::Right,
                    b"rz" => Format::Zeros,
                    other => {
                        return Err(usage_error(
                            &SPEC,
                            &[
                                b"invalid line numbering format: ",
                                &ibex::copy::quote(other),
                            ],
                        ));
                    }
                }
            }
            'p' => nl.renumber = false,
            's' => nl.sep = v.as_bytes().to_vec(),
            'v' => nl.start = number(v, "starting line number", i64::MIN, i64::MAX)?,
            _ => nl.width = number(v, "line number field width", 1, i32::MAX as i64)? as usize,
        }
    }
    nl.line_no = nl.start;
    let mut files = p.operands();
    if files.is_empty() {
        files.push(OsStr::new("-"));
    }
    let mut out = Out::stdout();
    let mut status = 0;
    let mut scratch = Vec::new();
    for name in files {
        let Some(input) = ibex::io::open_or_report(name.as_bytes()) else {
            status = 1;
            continue;
        };
        let mut lr = ibex::io::LineReader::new(input.fd());
        loop {
            match lr.next_line() {
                Ok(Some(line)) => {
                    let body = line.strip_suffix(b"\n").unwrap_or(line);
                    if !nl.line(body, &mut out, &mut scratch) {
                        ibex::msg!("line number overflow");
                        return out.done(1);
                    }
                }
                Ok(None) => break,
                Err(e) => {
                    ibex::error::io_error(name.as_bytes(), &e);
                    status = 1;
                    break;
                }
            }
        }
        if out.failed() {
            break;
        }
    }
    out.done(status)
}

impl Nl {
    /// Which section a delimiter line starts (0 header, 1 body, 2
    /// footer), or None for an ordinary line.
    fn section_mark(&self, line: &[u8]) -> Option<usize> {
        let d = self.delim.len();
        if d == 0 || !line.len().is_multiple_of(d) || line.len() > 3 * d {
            return None;
        }
        if !line.chunks(d).all(|c| c == self.delim.as_slice()) {
            return None;
        }
        match line.len() / d {
            3 => Some(0),
            2 => Some(1),
            1 => Some(2),
            _ => None,
        }
    }

    /// Write one line (without its newline); false on number overflow.
    fn line(&mut self, line: &[u8], out: &mut Out, scratch: &mut Vec<u8>) -> bool {
        if let Some(s) = self.section_mark(line) {
            self.section = s;
            if self.renumber {
                self.line_no = self.start;
                self.overflow = false;
            }
            self.blanks = 0;
            out.byte(b'\n');
            return true;
        }
        let numbered = match &self.styles[self.section] {
            Style::All => {
                if line.is_empty() && self.join > 1 {
                    self.blanks += 1;
                    if self.blanks == self.join {
                        self.blanks = 0;
                        true
                    } else {
                        false
                    }
                } else {
                    self.blanks = 0;
                    true
                }
            }
            Style::NonEmpty => !line.is_empty(),
            Style::None => false,
            Style::Matching(re) => re.is_match(line),
        };
        scratch.clear();
        if numbered {
            if self.overflow {
                return false;
            }
            self.number(scratch);
            scratch.extend_from_slice(&self.sep);
            match self.line_no.checked_add(self.incr) {
                Some(n) => self.line_no = n,
                None => self.overflow = true,
            }
        } else {
            scratch.resize(self.width + self.sep.len(), b' ');
        }
        scratch.extend_from_slice(line);
        scratch.push(b'\n');
        out.write(scratch);
        true
    }

    fn number(&self, buf: &mut Vec<u8>) {
        let n = self.line_no;
        let mut d = [0u8; 20];
        let digits = ibex::io::fmt_u64(n.unsigned_abs(), &mut d);
        let len = digits.len() + usize::from(n < 0);
        let pad = self.width.saturating_sub(len);
        match self.format {
            Format::Right => buf.resize(pad, b' '),
            Format::Zeros => {}
            Format::Left => {}
        }
        if n < 0 {
            buf.push(b'-');
        }
        if self.format == Format::Zeros {
            buf.resize(buf.len() + pad, b'0');
        }
        buf.extend_from_slice(digits);
        if self.format == Format::Left {
            buf.resize(buf.len() + pad, b' ');
        }
    }
}
