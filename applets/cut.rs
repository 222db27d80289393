//! cut: print selected bytes, characters or fields of each line.
//! `-b LIST`, `-c LIST` (UTF-8 characters, as BusyBox and toybox count
//! them; a byte that is not part of a valid sequence counts as one),
//! `-f LIST` with `-d DELIM`, `-s`, `--complement`, `--output-delimiter`
//! (`-O`), `-z`; `-n` is ignored. The BusyBox/toybox extensions: `-F LIST`
//! (fields separated by matches of the ERE `-d`, default runs of
//! blanks, joined by `-O`, default one space) and `-D` (keep the LIST's
//! order and repeats; a line without delimiter is one field).
//! Lists are merged and sorted as GNU does: overlapping ranges join,
//! touching ones stay apart (an output delimiter goes between them).
//! Input is processed a buffer of lines at a time, fields found with one
//! memchr2 pass, and contiguous selected fields copied as one slice.

use ibex::Status;
use ibex::args::{Parser, Spec, flag, usage_error, value};
use ibex::io::Input;
use ibex::records::Sink;
use std::ffi::{OsStr, OsString};
use std::os::unix::ffi::OsStrExt;

const COMPLEMENT: u32 = 256;

const LONGS: &[ibex::args::Long] = &[
    value("bytes", 'b' as u32),
    value("characters", 'c' as u32),
    value("delimiter", 'd' as u32),
    value("fields", 'f' as u32),
    flag("complement", COMPLEMENT),
    flag("only-delimited", 's' as u32),
    value("output-delimiter", 'O' as u32),
    flag("zero-terminated", 'z' as u32),
];

const SPEC: Spec = Spec::new(
    "b:c:d:f:F:nszDO:",
    LONGS,
    ibex::usage!(
        cut,
        "cut [-b LIST | -c LIST | -f LIST [-d DELIM] [-s] | -F LIST [-d ERE]] [-Dnz] \
         [-O STR] [--complement] [FILE]...\n\n\
         Print selected parts of lines from each FILE to standard output\n\n\
         \t-b LIST\tSelect only these bytes (--bytes)\n\
         \t-c LIST\tSelect only these UTF-8 characters (--characters)\n\
         \t-f LIST\tSelect only these fields (--fields)\n\
         \t-d DELIM\tField delimiter instead of TAB (--delimiter)\n\
         \t-F LIST\tSelect fields separated by the ERE DELIM (default: blanks)\n\
         \t-D\tKeep LIST's order and repeats; no whole delimiter-less lines\n\
         \t-s\tDon't print lines without delimiters (--only-delimited)\n\
         \t-z\tLines end with NUL, not newline (--zero-terminated)\n\
         \t-n\tIgnored\n\
         \t--complement\tSelect what is not in LIST\n\
         \t-O STR\tSeparate output fields or ranges with STR (--output-delimiter)\n\n\
         LIST is ranges separated by commas: N, N-, N-M or -M (numbered from 1)"
    ),
);

/// One range of positions, 1-based and inclusive; `hi` may be `u64::MAX`.
type Range = (u64, u64);

fn list_error(msg: &[&[u8]]) -> ibex::Exit {
    usage_error(&SPEC, msg)
}

/// Parse a LIST the way GNU does, with its messages.
fn parse_list(s: &[u8], fields: bool, keep: bool) -> Result<Vec<Range>, ibex::Exit> {
    let (what_from1, bad_value, bad_range, too_large): (&[u8], &[u8], &[u8], &[u8]) = if fields {
        (
            b"fields are numbered from 1",
            b"invalid field value ",
            b"invalid field range",
            b"field number ",
        )
    } else {
        (
            b"byte/character positions are numbered from 1",
            b"invalid byte/character position ",
            b"invalid byte or character range",
            b"byte/character offset ",
        )
    };
    let mut ranges = Vec::new();
    let mut i = 0;
    loop {
        // One element: [N][-[M]], ended by ',', blank or the end.
        let mut lo: Option<u64> = None;
        let mut hi: Option<u64> = None;
        let mut dash = false;
        loop {
            match s.get(i) {
                Some(&c) if c.is_ascii_digit() => {
                    let start = i;
                    while s.get(i).is_some_and(|c| c.is_ascii_digit()) {
                        i += 1;
                    }
                    let digits = &s[start..i];
                    let n = match ibex::num::parse_u64(digits) {
                        Ok(n) if n < u64::MAX => n,
                        _ => {
                            return Err(list_error(&[
                                too_large,
                                &ibex::records::cquote(digits),
                                b" is too large",
                            ]));
                        }
                    };
                    if dash {
                        hi = Some(n);
                    } else {
                        lo = Some(n);
                    }
                }
                Some(b'-') => {
                    if dash {
                        return Err(list_error(&[bad_range]));
                    }
                    if lo == Some(0) {
                        return Err(list_error(&[what_from1]));
                    }
                    dash = true;
                    i += 1;
                }
                Some(b',' | b' ' | b'\t') | None => break,
                Some(_) => return Err(list_error(&[bad_value, &ibex::records::cquote(&s[i..])])),
            }
        }
        let range = if dash {
            let from = lo.unwrap_or(1);
            match hi {
                None if lo.is_none() => {
                    return Err(list_error(&[b"invalid range with no endpoint: -"]));
                }
                None => (from, u64::MAX),
                Some(to) if to < from => return Err(list_error(&[b"invalid decreasing range"])),
                Some(to) => (from, to),
            }
        } else {
            match lo {
                Some(n) if n > 0 => (n, n),
                _ => return Err(list_error(&[what_from1])),
            }
        };
        ranges.push(range);
        if i >= s.len() {
            break;
        }
        i += 1;
    }
    if keep {
        return Ok(ranges);
    }
    ibex::order::sort(&mut ranges);
    let mut merged: Vec<Range> = Vec::with_capacity(ranges.len());
    for r in ranges {
        match merged.last_mut() {
            Some(last) if r.0 <= last.1 => last.1 = last.1.max(r.1),
            _ => merged.push(r),
        }
    }
    Ok(merged)
}

/// The positions not in `ranges` (which are sorted and disjoint).
fn complement(ranges: &[Range]) -> Vec<Range> {
    let mut out = Vec::new();
    let mut next = 1u64;
    for &(lo, hi) in ranges {
        if lo > next {
            out.push((next, lo - 1));
        }
        if hi == u64::MAX {
            return out;
        }
        next = hi + 1;
    }
    out.push((next, u64::MAX));
    out
}

#[derive(Clone, Copy, PartialEq)]
enum Mode {
    Bytes,
    Chars,
    Fields,
    /// -F: fields separated by regex matches.
    Regex,
}

struct Cut {
    ranges: Vec<Range>,
    fields: bool,
    mode: Mode,
    /// -D: ranges in the given order; no whole-line output.
    keep: bool,
    re: Option<ibex::regex::Regex>,
    /// The units (characters or fields) of the current line, reused.
    units: Vec<(usize, usize)>,
    delim: u8,
    /// The output delimiter when given (for bytes), or the field
    /// delimiter; followed by padding for Sink::put_in.
    out_delim: Vec<u8>,
    delim_len: usize,
    out_delim_given: bool,
    only_delimited: bool,
    eol: u8,
    out: Sink,
}

pub fn main(argv: &[OsString]) -> Status {
    let mut list: Option<(&OsStr, Mode)> = None;
    let mut keep = false;
    let mut delim: Option<&OsStr> = None;
    let mut out_delim: Option<&OsStr> = None;
    let (mut only, mut compl, mut zero) = (false, false, false);
    let mut p = Parser::new(argv, &SPEC);
    while let Some((id, v)) = p.next()? {
        match id {
            COMPLEMENT => compl = true,
            _ => match char::from_u32(id).unwrap_or('\0') {
                c @ ('b' | 'c' | 'f' | 'F') => {
                    if list.is_some() {
                        return Err(usage_error(&SPEC, &[b"only one list may be specified"]));
                    }
                    let mode = match c {
                        'b' => Mode::Bytes,
                        'c' => Mode::Chars,
                        'f' => Mode::Fields,
                        _ => Mode::Regex,
                    };
                    list = Some((v.unwrap_or_default(), mode));
                }
                'O' => out_delim = v,
                'D' => keep = true,
                'd' => delim = v,
                's' => only = true,
                'z' => zero = true,
                _ => {} // -n
            },
        }
    }
    let Some((list, mode)) = list else {
        return Err(usage_error(
            &SPEC,
            &[b"you must specify a list of bytes, characters, or fields"],
        ));
    };
    let fields = matches!(mode, Mode::Fields | Mode::Regex);
    if delim.is_some() && !fields {
        return Err(usage_error(
            &SPEC,
            &[b"an input delimiter may be specified only when operating on fields"],
        ));
    }
    if only && !fields {
        return Err(usage_error(
            &SPEC,
            &[b"suppressing non-delimited lines makes sense\n\tonly when operating on fields"],
        ));
    }
    let out_delim_given = out_delim.is_some();
    let mut re = None;
    if mode == Mode::Regex {
        let pat = delim.map_or(&b"[[:space:]]+"[..], |d| d.as_bytes());
        let flags = ibex::regex::Flags {
            extended: true,
            ..Default::default()
        };
        match ibex::regex::Regex::new(pat, flags) {
            Ok(r) => re = Some(r),
            Err(e) => {
                ibex::msg!("bad regex '", pat, "': ", e.message());
                return Err(ibex::Exit(1));
            }
        }
    }
    let delim = match delim.map(|d| d.as_bytes()) {
        _ if mode == Mode::Regex => b' ',
        None => b'\t',
        Some([]) => 0,
        Some([c]) => *c,
        Some(_) => {
            return Err(usage_error(
                &SPEC,
                &[b"the delimiter must be a single character"],
            ));
        }
    };
    let mut ranges = parse_list(list.as_bytes(), fields, keep)?;
    if compl {
        if keep {
            ranges = parse_list(list.as_bytes(), fields, false)?;
        }
        ranges = complement(&ranges);
    }
    let mut out_delim = match out_delim {
        // GNU: an empty output delimiter is a NUL byte.
        Some(d) if d.is_empty() => vec![0],
        Some(d) => d.as_bytes().to_vec(),
        None => vec![delim],
    };
    let delim_len = out_delim.len();
    out_delim.resize(delim_len + 64, 0);
    let mut cut = Cut {
        ranges,
        fields,
        mode,
        keep,
        re,
        units: Vec::new(),
        delim,
        out_delim,
        delim_len,
        out_delim_given,
        only_delimited: only,
        eol: if zero { 0 } else { b'\n' },
        out: Sink::new(1),
    };
    let mut files = p.operands();
    if files.is_empty() {
        files.push(OsStr::new("-"));
    }
    let mut status = 0;
    for name in files {
        let Some(input) = ibex::io::open_or_report(name.as_bytes()) else {
            status = 1;
            continue;
        };
        if let Err(e) = cut.file(&input) {
            ibex::error::io_error(name.as_bytes(), &e);
            status = 1;
        }
        if cut.out.failed() {
            break;
        }
    }
    Ok(cut.out.finish(status))
}

/// Where field mode is in the current line.
struct Line {
    start: usize,
    field: u64,
    field_start: usize,
    /// Index of the first range that may hold `field`.
    range: usize,
    /// Selected input [a, b) not yet copied out.
    run: Option<(usize, usize)>,
    delimited: bool,
    /// Past the last selected field: only the line end matters.
    skipping: bool,
}

impl Line {
    fn new(start: usize) -> Line {
        Line {
            start,
            field: 1,
            field_start: start,
            range: 0,
            run: None,
            delimited: false,
            skipping: false,
        }
    }
}

impl Cut {
    fn file(&mut self, input: &Input) -> std::io::Result<()> {
        let fd = input.fd();
        if self.mode == Mode::Fields && self.delim == self.eol && !self.keep {
            return self.one_record(fd);
        }
        let eol = self.eol;
        ibex::records::blocks(fd, eol, |run| {
            let generic = self.keep
                || match self.mode {
                    Mode::Regex => true,
                    Mode::Chars => !run.is_ascii(),
                    _ => false,
                };
            if generic {
                ibex::records::each(run, eol, |line, _| self.generic_line(line));
            } else if self.fields {
                self.field_lines(run);
            } else {
                self.byte_lines(run);
            }
            !self.out.failed()
        })
    }

    /// `-d` equal to the line end: the whole input is one line.
    fn one_record(&mut self, fd: i32) -> std::io::Result<()> {
        let all = ibex::io::read_all(fd)?;
        if all.is_empty() {
            return Ok(());
        }
        let line = all.strip_suffix(&[self.eol]).unwrap_or(&all);
        if memchr::memchr(self.delim, line).is_none() {
            if !self.only_delimited {
                self.out.put(line);
                self.out.byte(self.eol);
            }
            return Ok(());
        }
        let mut printed = false;
        let mut r = 0;
        for (i, f) in line.split(|&b| b == self.delim).enumerate() {
            let n = i as u64 + 1;
            while r < self.ranges.len() && self.ranges[r].1 < n {
                r += 1;
            }
            if r < self.ranges.len() && self.ranges[r].0 <= n {
                if printed {
                    self.out.put(&self.out_delim[..self.delim_len]);
                }
                self.out.put(f);
                printed = true;
            }
        }
        self.out.byte(self.eol);
        Ok(())
    }

    /// Split `line` into its units (bytes, characters or fields) in
    /// `self.units`; false for a field line without delimiter.
    fn split_units(&mut self, line: &[u8]) -> bool {
        let units = &mut self.units;
        units.clear();
        match self.mode {
            Mode::Bytes => units.extend((0..line.len()).map(|i| (i, i + 1))),
            Mode::Chars => {
                let mut i = 0;
                while i < line.len() {
                    let n = utf8_len(&line[i..]);
                    units.push((i, i + n));
                    i += n;
                }
            }
            Mode::Fields => {
                let mut start = 0;
                for pos in memchr::memchr_iter(self.delim, line) {
                    units.push((start, pos));
                    start = pos + 1;
                }
                units.push((start, line.len()));
            }
            Mode::Regex => {
                let mut start = 0;
                if let Some(re) = &self.re {
                    let mut at = 0;
                    while let Some(m) = re.find_at(line, at) {
                        if m.is_empty() {
                            break;
                        }
                        units.push((start, m.start));
                        start = m.end;
                        at = m.end;
                    }
                }
                units.push((start, line.len()));
            }
        }
        !self.fields || units.len() > 1
    }

    /// The general path, a line at a time: -D, -F, and -c on non-ASCII.
    fn generic_line(&mut self, line: &[u8]) {
        if !self.split_units(line) && !self.keep {
            if !self.only_delimited {
                self.out.put(line);
                self.out.byte(self.eol);
            }
            return;
        }
        if self.fields && self.only_delimited && self.units.len() < 2 {
            return;
        }
        let n = self.units.len() as u64;
        let mut printed = false;
        for &(lo, hi) in &self.ranges {
            if lo > n {
                continue;
            }
            let hi = hi.min(n);
            let (a, b) = ((lo - 1) as usize, (hi - 1) as usize);
            if self.fields {
                for &(fa, fb) in self.units.get(a..=b).unwrap_or(&[]) {
                    if printed {
                        self.out.put(&self.out_delim[..self.delim_len]);
                    }
                    self.out.put(line.get(fa..fb).unwrap_or(&[]));
                    printed = true;
                }
            } else if let (Some(&(ua, _)), Some(&(_, ub))) = (self.units.get(a), self.units.get(b))
            {
                if printed && self.out_delim_given {
                    self.out.put(&self.out_delim[..self.delim_len]);
                }
                self.out.put(line.get(ua..ub).unwrap_or(&[]));
                printed = true;
            }
        }
        self.out.byte(self.eol);
    }

    fn byte_lines(&mut self, data: &[u8]) {
        let mut start = 0;
        while start < data.len() {
            let end = memchr::memchr(self.eol, &data[start..]).map_or(data.len(), |i| start + i);
            let len = (end - start) as u64;
            for (k, &(lo, hi)) in self.ranges.iter().enumerate() {
                if lo > len {
                    break;
                }
                if k > 0 && self.out_delim_given {
                    self.out.put_in(&self.out_delim, 0, self.delim_len);
                }
                let a = start + (lo - 1) as usize;
                let b = start + hi.min(len) as usize;
                self.out.put_in(data, a, b);
            }
            self.out.byte(self.eol);
            start = end + 1;
        }
    }

    /// Field mode over a block of lines: one memchr2 pass finds both the
    /// delimiters and the line ends, driving a small state machine.
    fn field_lines(&mut self, data: &[u8]) {
        let (delim, eol) = (self.delim, self.eol);
        let max_field = self.ranges.last().map_or(0, |r| r.1);
        let mut line = Line::new(0);
        for pos in memchr::memchr2_iter(delim, eol, data) {
            if data[pos] == delim {
                if line.skipping {
                    continue;
                }
                line.delimited = true;
                self.field(&mut line, data, pos);
                if line.field > max_field {
                    line.skipping = true;
                }
            } else {
                self.end_line(&mut line, data, pos, true);
                line = Line::new(pos + 1);
            }
        }
        if line.start < data.len() {
            self.end_line(&mut line, data, data.len(), false);
        }
    }

    /// The field of `line` that ends at `end` (a delimiter or line end).
    fn field(&mut self, line: &mut Line, data: &[u8], end: usize) {
        let f = line.field;
        let ranges = &self.ranges;
        let mut r = line.range;
        while r < ranges.len() && ranges[r].1 < f {
            r += 1;
        }
        line.range = r;
        if r < ranges.len() && ranges[r].0 <= f {
            let a = line.field_start;
            match &mut line.run {
                Some((_, rb)) if !self.out_delim_given && *rb + 1 == a => *rb = end,
                Some((ra, rb)) => {
                    self.out.put_in(data, *ra, *rb);
                    self.out.put_in(&self.out_delim, 0, self.delim_len);
                    line.run = Some((a, end));
                }
                None => line.run = Some((a, end)),
            }
        }
        line.field += 1;
        line.field_start = end + 1;
    }

    /// Finish `line` at `end`, where its end of line is (if `has_eol`).
    fn end_line(&mut self, line: &mut Line, data: &[u8], end: usize, has_eol: bool) {
        let eol = self.eol;
        if !line.delimited {
            if !self.only_delimited {
                if has_eol {
                    self.out.put_in(data, line.start, end + 1);
                } else {
                    self.out.put_in(data, line.start, end);
                    self.out.byte(eol);
                }
            }
            return;
        }
        if !line.skipping {
            self.field(line, data, end);
        }
        match line.run {
            // The run ends the line: copy its end of line with it.
            Some((a, b)) if b == end && has_eol => self.out.put_in(data, a, b + 1),
            Some((a, b)) => {
                self.out.put_in(data, a, b);
                self.out.byte(eol);
            }
            None => self.out.byte(eol),
        }
    }
}

/// The length of the UTF-8 character at the start of `s` (not empty), or
/// 1 for a byte that does not begin a valid sequence.
fn utf8_len(s: &[u8]) -> usize {
    let n = match s.first() {
        Some(0xc2..=0xdf) => 2,
        Some(0xe0..=0xef) => 3,
        Some(0xf0..=0xf4) => 4,
        _ => return 1,
    };
    match s.get(..n) {
        Some(seq) if std::str::from_utf8(seq).is_ok() => n,
        _ => 1,
    }
}
