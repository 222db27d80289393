//! join: join the lines of two files sorted on a join field. `-1 F`,
//! `-2 F`, `-j F` choose the fields; `-a N` also prints unpairable lines
//! of file N, `-v N` only those; `-e S` fills missing fields; `-o LIST`
//! (FILE.FIELD or 0, or `auto`) chooses the output fields; `-t C` the
//! separator (default: runs of blanks); `-i` ignores case; `--header`
//! joins the first lines unconditionally; `-z` uses NUL line ends.
//! Unsorted input is reported as GNU does (`--check-order` makes it fatal).

use ibex::Status;
use ibex::args::{Parser, Spec, flag};
use ibex::io::{Input, LineReader, Out};
use ibex::records::cquote;
use std::cmp::Ordering;
use std::ffi::{OsStr, OsString};
use std::os::unix::ffi::OsStrExt;

const CHECK: u32 = 256;
const NOCHECK: u32 = 257;
const HEADER: u32 = 258;

const SPEC: Spec = Spec::new(
    "a:e:i1:2:j:o:t:v:z",
    &[
        flag("ignore-case", 'i' as u32),
        flag("check-order", CHECK),
        flag("nocheck-order", NOCHECK),
        flag("header", HEADER),
        flag("zero-terminated", 'z' as u32),
    ],
    ibex::usage!(
        join,
        "join [OPTIONS] FILE1 FILE2\n\n\
         Join lines of two files on a common field\n\n\
         \t-a FILENUM\tAlso print unpairable lines from FILENUM (1 or 2)\n\
         \t-v FILENUM\tOnly print unpairable lines from FILENUM\n\
         \t-e EMPTY\tReplace missing input fields with EMPTY\n\
         \t-i\t\tIgnore case when comparing fields\n\
         \t-j FIELD\tJoin on FIELD of both files\n\
         \t-1 FIELD\tJoin on FIELD of file 1\n\
         \t-2 FIELD\tJoin on FIELD of file 2\n\
         \t-o FORMAT\tOutput fields FILENUM.FIELD or 0 (the join field), or 'auto'\n\
         \t-t CHAR\t\tField separator\n\
         \t--check-order\tFail on unsorted input\n\
         \t--nocheck-order\tDo not check the order\n\
         \t--header\tTreat the first lines as headers\n\
         \t-z\t\tLines end with NUL"
    ),
);

#[derive(Clone, Copy, PartialEq, Eq)]
enum Check {
    Default,
    On,
    Off,
}

/// One input line (without its terminator) and its fields.
#[derive(Default, Clone)]
struct Line {
    buf: Vec<u8>,
    fields: Vec<(usize, usize)>,
}

impl Line {
    fn field(&self, n: usize) -> Option<&[u8]> {
        self.fields.get(n).map(|&(s, e)| &self.buf[s..e])
    }
}

struct Opts {
    tab: Option<u8>,
    eol: u8,
    jf: [usize; 2],
    unpaired: [bool; 2],
    joined: bool,
    empty: Option<Vec<u8>>,
    /// (file, field) with file 0 meaning the join field.
    format: Vec<(u8, usize)>,
    auto: bool,
    autocount: [usize; 2],
    icase: bool,
    check: Check,
    header: bool,
}

/// Fields as GNU join sees them: with a separator, every occurrence
/// splits; otherwise runs of blanks do, leading blanks are skipped, and
/// trailing blanks leave an empty last field.
fn split(line: &mut Line, tab: Option<u8>) {
    let b = &line.buf;
    let f = &mut line.fields;
    f.clear();
    let len = b.len();
    if let Some(t) = tab {
        let mut s = 0;
        for i in memchr::memchr_iter(t, b) {
            f.push((s, i));
            s = i + 1;
        }
        f.push((s, len));
        return;
    }
    let sep = |c: u8| c == b' ' || c == b'\t' || c == b'\n';
    let mut p = 0;
    while p < len && sep(b[p]) {
        p += 1;
    }
    if p == len {
        return;
    }
    loop {
        let s = p;
        while p < len && !sep(b[p]) {
            p += 1;
        }
        f.push((s, p));
        if p == len {
            return;
        }
        while p < len && sep(b[p]) {
            p += 1;
        }
        if p == len {
            f.push((len, len));
            return;
        }
    }
}

fn keycmp(a: &[u8], b: &[u8], icase: bool) -> Ordering {
    if icase {
        let n = a.len().min(b.len());
        for i in 0..n {
            let (x, y) = (a[i].to_ascii_uppercase(), b[i].to_ascii_uppercase());
            if x != y {
                return x.cmp(&y);
            }
        }
        a.len().cmp(&b.len())
    } else {
        a.cmp(b)
    }
}

struct File<'a> {
    name: &'a [u8],
    reader: LineReader,
    lineno: u64,
    warned: bool,
    /// The last line read (for order checks).
    prev: Line,
    has_prev: bool,
}

/// Why the join stopped early.
enum Stop {
    Read(Vec<u8>, std::io::Error),
    Unsorted,
}

struct Join<'a> {
    o: Opts,
    files: [File<'a>; 2],
    seen_unpairable: bool,
    out: Out,
}

fn field_out(out: &mut Out, o: &Opts, line: Option<&Line>, n: usize) {
    match line.and_then(|l| l.field(n)) {
        Some(f) if !f.is_empty() => out.write(f),
        _ => {
            if let Some(e) = &o.empty {
                out.write(e);
            }
        }
    }
}

/// Print a joined pair, or an unpaired line (the other side None).
fn print(out: &mut Out, o: &Opts, l1: Option<&Line>, l2: Option<&Line>) {
    let sep = o.tab.unwrap_or(b' ');
    let (jl, jn) = match l1 {
        Some(l) => (Some(l), o.jf[0]),
        None => (l2, o.jf[1]),
    };
    if !o.format.is_empty() {
        for (k, &(file, n)) in o.format.iter().enumerate() {
            if k > 0 {
                out.byte(sep);
            }
            match file {
                0 => field_out(out, o, jl, jn),
                1 => field_out(out, o, l1, n),
                _ => field_out(out, o, l2, n),
            }
        }
    } else {
        field_out(out, o, jl, jn);
        for (i, l) in [l1, l2].into_iter().enumerate() {
            let count = if o.auto {
                o.autocount[i]
            } else {
                l.map_or(0, |l| l.fields.len())
            };
            for n in (0..count).filter(|&n| n != o.jf[i]) {
                out.byte(sep);
                field_out(out, o, l, n);
            }
        }
    }
    out.byte(o.eol);
}

impl Join<'_> {
    /// Read the next line of file `i` into `line`; false at its end.
    fn read(&mut self, i: usize, line: &mut Line) -> Result<bool, Stop> {
        let f = &mut self.files[i];
        let got = match f.reader.next_line() {
            Ok(Some(l)) => l,
            Ok(None) => return Ok(false),
            Err(e) => return Err(Stop::Read(f.name.to_vec(), e)),
        };
        let body = got.strip_suffix(&[self.o.eol]).unwrap_or(got);
        line.buf.clear();
        line.buf.extend_from_slice(body);
        split(line, self.o.tab);
        f.lineno += 1;
        Ok(true)
    }

    /// Check `line` against the previous line of file `i`, then remember it.
    fn check(&mut self, i: usize, line: &Line) -> Result<(), Stop> {
        let o = &self.o;
        let f = &mut self.files[i];
        let active = match o.check {
            Check::Off => false,
            Check::On => true,
            Check::Default => self.seen_unpairable,
        };
        if active && f.has_prev && !f.warned {
            let jf = o.jf[i];
            let a = f.prev.field(jf).unwrap_or(b"");
            let b = line.field(jf).unwrap_or(b"");
            if keycmp(a, b, o.icase) == Ordering::Greater {
                self.out.flush();
                ibex::msg!(f.name, ":", f.lineno, ": is not sorted: ", line.buf);
                f.warned = true;
                if o.check == Check::On {
                    return Err(Stop::Unsorted);
                }
            }
        }
        f.prev.buf.clone_from(&line.buf);
        f.prev.fields.clone_from(&line.fields);
        f.has_prev = true;
        Ok(())
    }

    /// Read and check the next line of file `i`; false at its end.
    fn advance(&mut self, i: usize, line: &mut Line) -> Result<bool, Stop> {
        if !self.read(i, line)? {
            return Ok(false);
        }
        self.check(i, line)?;
        Ok(true)
    }

    /// Print the line of file `i` alone.
    fn unpaired(&mut self, i: usize, l: &Line) {
        if i == 0 {
            print(&mut self.out, &self.o, Some(l), None);
        } else {
            print(&mut self.out, &self.o, None, Some(l));
        }
    }

    fn key<'l>(&self, i: usize, l: &'l Line) -> &'l [u8] {
        l.field(self.o.jf[i]).unwrap_or(b"")
    }

    fn run(&mut self) -> Result<(), Stop> {
        let mut cur = [Line::default(), Line::default()];
        let mut have = [false, false];
        for (i, l) in cur.iter_mut().enumerate() {
            have[i] = self.read(i, l)?;
        }
        if self.o.auto {
            self.o.autocount = [cur[0].fields.len(), cur[1].fields.len()];
        }
        if self.o.header && (have[0] || have[1]) {
            let (a, b) = (have[0].then_some(&cur[0]), have[1].then_some(&cur[1]));
            print(&mut self.out, &self.o, a, b);
            for (i, l) in cur.iter_mut().enumerate() {
                if have[i] {
                    have[i] = self.read(i, l)?;
                }
            }
        }
        for (i, l) in cur.iter().enumerate() {
            if have[i] {
                self.check(i, l)?;
            }
        }
        let icase = self.o.icase;
        let mut groups: [Vec<Line>; 2] = [Vec::new(), Vec::new()];
        while have[0] && have[1] {
            let ord = keycmp(self.key(0, &cur[0]), self.key(1, &cur[1]), icase);
            if ord != Ordering::Equal {
                let i = usize::from(ord == Ordering::Greater);
                if self.o.unpaired[i] {
                    self.unpaired(i, &cur[i]);
                }
                // As GNU: the line read right after it is not yet checked.
                have[i] = self.advance(i, &mut cur[i])?;
                self.seen_unpairable = true;
                continue;
            }
            // Gather the runs of equal keys on both sides.
            for (i, g) in groups.iter_mut().enumerate() {
                g.clear();
                loop {
                    let mut next = Line::default();
                    let more = self.advance(i, &mut next)?;
                    g.push(std::mem::replace(&mut cur[i], next));
                    if !more {
                        have[i] = false;
                        break;
                    }
                    let first = g.first().map_or(&b""[..], |f| self.key(i, f));
                    if keycmp(first, self.key(i, &cur[i]), icase) != Ordering::Equal {
                        break;
                    }
                }
            }
            if self.o.joined {
                for a in &groups[0] {
                    for b in &groups[1] {
                        print(&mut self.out, &self.o, Some(a), Some(b));
                    }
                }
            }
        }
        // What is left of either file is unpairable.
        for (i, l) in cur.iter_mut().enumerate() {
            if !have[i] || (!self.o.unpaired[i] && self.o.check == Check::Off) {
                continue;
            }
            loop {
                if self.o.unpaired[i] {
                    self.unpaired(i, l);
                }
                if !self.advance(i, l)? {
                    break;
                }
            }
        }
        Ok(())
    }
}

fn file<'a>(name: &'a OsStr, input: &Input, eol: u8) -> File<'a> {
    File {
        name: name.as_bytes(),
        reader: LineReader::with_delim(input.fd(), eol),
        lineno: 0,
        warned: false,
        prev: Line::default(),
        has_prev: false,
    }
}

/// A field number (from 1), as an index.
fn field_num(v: &[u8]) -> Result<usize, Vec<u8>> {
    match ibex::num::parse_u64(v) {
        Ok(n) if n >= 1 => Ok(usize::try_from(n - 1).unwrap_or(usize::MAX - 1)),
        Err(ibex::num::NumError::Range) => Ok(usize::MAX - 1),
        _ => {
            let mut m = b"invalid field number: ".to_vec();
            m.extend_from_slice(&cquote(v));
            Err(m)
        }
    }
}

/// One `-o` list: items separated by commas or blanks.
fn parse_format(v: &[u8], o: &mut Opts) -> Result<(), Vec<u8>> {
    if v == b"auto" {
        o.auto = true;
        return Ok(());
    }
    for item in v.split(|&c| c == b',' || c == b' ' || c == b'\t') {
        if item == b"0" {
            o.format.push((0, 0));
            continue;
        }
        let bad = |what: &[u8]| {
            let mut m = what.to_vec();
            m.extend_from_slice(&cquote(item));
            m
        };
        let (file, rest) = match item {
            [f @ (b'1' | b'2'), b'.', rest @ ..] => (*f - b'0', rest),
            [b'0', ..] => return Err(bad(b"invalid field specifier: ")),
            _ => return Err(bad(b"invalid file number in field spec: ")),
        };
        o.format.push((file, field_num(rest)?));
    }
    Ok(())
}

pub fn main(argv: &[OsString]) -> Status {
    let mut o = Opts {
        tab: None,
        eol: b'\n',
        jf: [0, 0],
        unpaired: [false, false],
        joined: true,
        empty: None,
        format: Vec::new(),
        auto: false,
        autocount: [0, 0],
        icase: false,
        check: Check::Default,
        header: false,
    };
    let mut p = Parser::new(argv, &SPEC);
    while let Some((id, val)) = p.next()? {
        let v = val.map_or(&b""[..], |v| v.as_bytes());
        let r: Result<(), Vec<u8>> = match id {
            CHECK => {
                o.check = Check::On;
                Ok(())
            }
            NOCHECK => {
                o.check = Check::Off;
                Ok(())
            }
            HEADER => {
                o.header = true;
                Ok(())
            }
            _ => match char::from_u32(id) {
                Some('i') => {
                    o.icase = true;
                    Ok(())
                }
                Some('z') => {
                    o.eol = 0;
                    Ok(())
                }
                Some('e') => {
                    o.empty = Some(v.to_vec());
                    Ok(())
                }
                Some('t') => match v {
                    [] => {
                        o.tab = Some(b'\n');
                        Ok(())
                    }
                    [c] => {
                        o.tab = Some(*c);
                        Ok(())
                    }
                    b"\\0" => {
                        o.tab = Some(0);
                        Ok(())
                    }
                    _ => {
                        let mut m = b"multi-character tab ".to_vec();
                        m.extend_from_slice(&cquote(v));
                        Err(m)
                    }
                },
                Some(c @ ('a' | 'v')) => match v {
                    b"1" | b"2" => {
                        o.unpaired[usize::from(v == b"2")] = true;
                        if c == 'v' {
                            o.joined = false;
                        }
                        Ok(())
                    }
                    _ => {
                        let mut m = b"invalid field number: ".to_vec();
                        m.extend_from_slice(&cquote(v));
                        Err(m)
                    }
                },
                Some('1') => field_num(v).map(|n| o.jf[0] = n),
                Some('2') => field_num(v).map(|n| o.jf[1] = n),
                Some('j') => field_num(v).map(|n| o.jf = [n, n]),
                Some('o') => parse_format(v, &mut o),
                _ => Ok(()),
            },
        };
        if let Err(m) = r {
            ibex::msg!(m);
            return Ok(1);
        }
    }
    let ops = p.operands();
    ibex::records::two_inputs(&SPEC, &ops)?;
    let open = |n: &OsStr| ibex::io::open_or_report(n.as_bytes()).ok_or(ibex::Exit(1));
    let in1: Input = open(ops[0])?;
    let in2: Input = open(ops[1])?;
    let eol = o.eol;
    let files = [file(ops[0], &in1, eol), file(ops[1], &in2, eol)];
    let mut j = Join {
        o,
        files,
        seen_unpairable: false,
        out: Out::stdout(),
    };
    let r = j.run();
    let mut status = 0;
    match r {
        Ok(()) => {
            if j.files.iter().any(|f| f.warned) {
                j.out.flush();
                ibex::msg!("input is not in sorted order");
                status = 1;
            }
        }
        Err(Stop::Unsorted) => status = 1,
        Err(Stop::Read(name, e)) => {
            j.out.flush();
            ibex::error::io_error(name, &e);
            status = 1;
        }
    }
    j.out.done(status)
}
