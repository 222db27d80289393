//! uniq: report or omit repeated adjacent lines. -c counts, -d only
//! repeated, -u only unique, -D / --all-repeated[=none|prepend|separate]
//! every repeated line, --group[=separate|prepend|append|both], compared
//! after skipping -f fields and -s bytes, at most -w bytes, -i without
//! case, -z for NUL-ended lines. Obsolete `-N` and `+N` skip fields and
//! bytes.

use ibex::Status;
use ibex::args::{Long, Parser, Spec, flag, optional, usage_error, value};
use ibex::copy::{bad_choice, choose};
use ibex::dump::quotef;
use ibex::error::Exit;
use ibex::fields::{LineOut, READ_SLACK, find_eol, same_bytes, skip_fields};
use ibex::sys;
use std::ffi::{OsStr, OsString};
use std::os::fd::AsRawFd;
use std::os::unix::ffi::OsStrExt;

const ALL_REPEATED: u32 = 300;
const GROUP: u32 = 301;
const DIGITS: u32 = 302;

const LONGS: &[Long] = &[
    flag("count", 'c' as u32),
    flag("repeated", 'd' as u32),
    optional("all-repeated", ALL_REPEATED),
    value("skip-fields", 'f' as u32),
    optional("group", GROUP),
    flag("ignore-case", 'i' as u32),
    value("skip-chars", 's' as u32),
    flag("unique", 'u' as u32),
    flag("zero-terminated", 'z' as u32),
    value("check-chars", 'w' as u32),
];

const USAGE: ibex::usage::Usage = ibex::usage!(
    uniq,
    "uniq [-cdDiuz] [-f,s,w N] [INPUT [OUTPUT]]

Discard duplicate adjacent lines

\t-c\tPrefix lines by the number of occurrences
\t-d\tOnly print duplicate lines, one for each group
\t-D\tPrint all duplicate lines (--all-repeated[=none|prepend|separate])
\t-u\tOnly print unique lines
\t-i\tIgnore case
\t-f N\tSkip first N fields
\t-s N\tSkip first N chars (after any skipped fields)
\t-w N\tCompare at most N chars
\t-z\tLines end with NUL
\t--group[=separate|prepend|append|both]\tShow all lines, groups separated"
);

const SPEC: Spec = Spec::new("cdDf:is:uw:z", LONGS, USAGE).digits(DIGITS);

#[derive(Clone, Copy, PartialEq, Eq)]
enum Delimit {
    None,
    Prepend,
    Separate,
    Append,
    Both,
}

fn number(v: &[u8], what: &str) -> Result<u64, Exit> {
    let t = ibex::num::trim_start(v);
    match ibex::num::parse_u64(t) {
        Ok(n) => Ok(n),
        Err(ibex::num::NumError::Range) => Ok(u64::MAX),
        Err(_) => {
            ibex::msg!(v, ": invalid number of ", what);
            Err(Exit(1))
        }
    }
}

struct Opts {
    count: bool,
    unique: bool,
    first: bool,
    later: bool,
    fields: u64,
    chars: u64,
    width: u64,
    icase: bool,
    /// Whole lines are compared (no -f, -s, -w).
    whole: bool,
    delimit: Delimit,
    group: Option<Delimit>,
    eol: u8,
}

impl Opts {
    fn key<'a>(&self, line: &'a [u8]) -> &'a [u8] {
        if self.whole {
            return line;
        }
        let mut k = if self.fields > 0 {
            skip_fields(line, self.fields)
        } else {
            line
        };
        let s = usize::try_from(self.chars)
            .unwrap_or(usize::MAX)
            .min(k.len());
        k = &k[s..];
        let w = usize::try_from(self.width)
            .unwrap_or(usize::MAX)
            .min(k.len());
        &k[..w]
    }

    fn same(&self, a: &[u8], b: &[u8]) -> bool {
        let (x, y) = (self.key(a), self.key(b));
        if self.icase {
            x.eq_ignore_ascii_case(y)
        } else {
            same_bytes(x, y)
        }
    }
}

pub fn main(argv: &[OsString]) -> Status {
    // Obsolete `+N`: skip N bytes.
    let mut args: Vec<OsString> = Vec::with_capacity(argv.len());
    let mut options = true;
    for (i, a) in argv.iter().enumerate() {
        let b = a.as_bytes();
        if b == b"--" {
            options = false;
        }
        if options && i > 0 && b.len() > 1 && b[0] == b'+' && b[1..].iter().all(u8::is_ascii_digit)
        {
            let mut s = OsString::from("--skip-chars=");
            s.push(OsStr::from_bytes(&b[1..]));
            args.push(s);
            continue;
        }
        args.push(a.clone());
    }
    let mut o = Opts {
        count: false,
        unique: true,
        first: true,
        later: false,
        fields: 0,
        chars: 0,
        width: u64::MAX,
        icase: false,
        whole: false,
        delimit: Delimit::None,
        group: None,
        eol: b'\n',
    };
    let mut all_repeated = false;
    let mut p = Parser::new(&args, &SPEC);
    while let Some((id, val)) = p.next()? {
        let v = val.map_or(&b""[..], OsStr::as_bytes);
        match id {
            _ if id == 'c' as u32 => o.count = true,
            _ if id == 'd' as u32 => o.unique = false,
            _ if id == 'D' as u32 => {
                all_repeated = true;
                o.unique = false;
                o.later = true;
            }
            ALL_REPEATED => {
                all_repeated = true;
                o.unique = false;
                o.later = true;
                if val.is_some() {
                    const CHOICES: &[&[&str]] = &[&["none"], &["prepend"], &["separate"]];
                    match choose(v, CHOICES) {
                        Ok(i) => {
                            o.delimit = [Delimit::None, Delimit::Prepend, Delimit::Separate][i]
                        }
                        Err(amb) => {
                            return Err(bad_choice(&SPEC, "--all-repeated", v, CHOICES, amb));
                        }
                    }
                }
            }
            GROUP => {
                o.group = Some(Delimit::Separate);
                if val.is_some() {
                    const CHOICES: &[&[&str]] =
                        &[&["prepend"], &["append"], &["separate"], &["both"]];
                    match choose(v, CHOICES) {
                        Ok(i) => {
                            o.group = Some(
                                [
                                    Delimit::Prepend,
                                    Delimit::Append,
                                    Delimit::Separate,
                                    Delimit::Both,
                                ][i],
                            )
                        }
                        Err(amb) => return Err(bad_choice(&SPEC, "--group", v, CHOICES, amb)),
                    }
                }
            }
            _ if id == 'f' as u32 => o.fields = number(v, "fields to skip")?,
            DIGITS => o.fields = number(v, "fields to skip")?,
            _ if id == 's' as u32 => o.chars = number(v, "bytes to skip")?,
            _ if id == 'w' as u32 => o.width = number(v, "bytes to compare")?,
            _ if id == 'i' as u32 => o.icase = true,
            _ if id == 'u' as u32 => o.first = false,
            _ if id == 'z' as u32 => o.eol = 0,
            _ => {}
        }
    }
    let ops = p.operands();
    o.whole = o.fields == 0 && o.chars == 0 && o.width == u64::MAX;
    if ops.len() > 2 {
        return Err(usage_error(
            &SPEC,
            &[b"extra operand ", &ibex::copy::quote(ops[2].as_bytes())],
        ));
    }
    if o.group.is_some() && (o.count || !o.unique || !o.first || o.later) {
        return Err(usage_error(
            &SPEC,
            &[b"--group is mutually exclusive with -c/-d/-D/-u"],
        ));
    }
    if o.count && all_repeated {
        return Err(usage_error(
            &SPEC,
            &[b"printing all duplicated lines and repeat counts is meaningless"],
        ));
    }
    let input = ops.first().map_or(&b"-"[..], |s| s.as_bytes());
    let output = ops.get(1).map(|s| s.as_bytes());
    let inp = match ibex::io::Input::open(input) {
        Ok(i) => i,
        Err(e) => {
            ibex::error::io_error(quotef(input), &e);
            return Ok(1);
        }
    };
    let out_fd = match output {
        None | Some(b"-") => None,
        Some(name) => {
            let flags = sys::O_WRONLY | sys::O_CREAT | sys::O_TRUNC | sys::O_CLOEXEC;
            match sys::open(name, flags, 0o666) {
                Ok(fd) => Some(fd),
                Err(e) => {
                    ibex::error::io_error(quotef(name), &e);
                    return Ok(1);
                }
            }
        }
    };
    let mut out = LineOut::new(out_fd.as_ref().map_or(1, |f| f.as_raw_fd()));
    let status = match run(&o, inp.fd(), &mut out) {
        Ok(()) => 0,
        Err(e) => {
            ibex::error::io_error(quotef(input), &e);
            1
        }
    };
    Ok(out.done(status))
}

/// Where the current group's first line is kept.
#[derive(Clone, Copy)]
enum Rep {
    None,
    /// In the read buffer at (start, len).
    At(usize, usize),
    /// Copied out into `held`.
    Held,
}

struct State {
    /// Lines in the current group.
    n: u64,
    /// Whether a group was printed (for separators).
    printed: bool,
}

fn run(o: &Opts, fd: i32, out: &mut LineOut) -> std::io::Result<()> {
    let mut buf = vec![0u8; 256 * 1024];
    let (mut pos, mut end) = (0usize, 0usize);
    let mut eof = false;
    let mut rep = Rep::None;
    let mut held: Vec<u8> = Vec::new();
    let mut st = State {
        n: 0,
        printed: false,
    };
    loop {
        let (ls, le) = match find_eol(&buf[..end], pos, o.eol) {
            Some(i) => (pos, i),
            None if eof => {
                if pos == end {
                    break;
                }
                (pos, end)
            }
            None => {
                // Keep the group's first line if it is near; else copy it.
                let mut keep = pos;
                if let Rep::At(s, l) = rep {
                    if pos - s > buf.len() / 2 {
                        held.clear();
                        held.extend_from_slice(&buf[s..s + l]);
                        rep = Rep::Held;
                    } else {
                        keep = s;
                    }
                }
                buf.copy_within(keep..end, 0);
                end -= keep;
                pos -= keep;
                if let Rep::At(s, l) = rep {
                    rep = Rep::At(s - keep, l);
                }
                if end + READ_SLACK >= buf.len() {
                    let n = buf.len() * 2;
                    buf.resize(n, 0);
                }
                let room = buf.len() - READ_SLACK;
                let n = sys::read(fd, &mut buf[end..room])?;
                if n == 0 {
                    eof = true;
                }
                end += n;
                continue;
            }
        };
        pos = (le + 1).min(end);
        let line = &buf[ls..le];
        let same = match rep {
            Rep::None => false,
            Rep::At(s, l) => o.same(&buf[s..s + l], line),
            Rep::Held => o.same(&held, line),
        };
        if same {
            st.n += 1;
            if o.group.is_some() {
                put_at(out, &buf, ls, le - ls, o.eol);
            } else {
                if st.n == 2
                    && (o.delimit == Delimit::Prepend
                        || (o.delimit == Delimit::Separate && st.printed))
                {
                    out.byte(o.eol);
                }
                if o.later {
                    // GNU's order: on a repeat the previous line is shown,
                    // so the group's last line is the one -u leaves out.
                    match rep {
                        Rep::At(s, l) => put_at(out, &buf, s, l, o.eol),
                        _ => put(out, &held, o.eol),
                    }
                    rep = Rep::At(ls, le - ls);
                }
                st.printed = true;
            }
        } else {
            let had = match rep {
                Rep::None => false,
                Rep::At(s, l) => {
                    end_group(o, &mut st, &buf, s, l, out);
                    true
                }
                Rep::Held => {
                    end_group(o, &mut st, &held, 0, held.len(), out);
                    true
                }
            };
            if let Some(g) = o.group {
                if matches!(g, Delimit::Prepend | Delimit::Both) || (g == Delimit::Separate && had)
                {
                    out.byte(o.eol);
                }
                put_at(out, &buf, ls, le - ls, o.eol);
            }
            rep = Rep::At(ls, le - ls);
            st.n = 1;
        }
        if out.failed() {
            return Ok(());
        }
    }
    let last = match rep {
        Rep::None => None,
        Rep::At(s, l) => Some((&buf[..], s, l)),
        Rep::Held => Some((&held[..], 0, held.len())),
    };
    if let Some((src, s, l)) = last {
        end_group(o, &mut st, src, s, l, out);
        if o.group == Some(Delimit::Both) {
            out.byte(o.eol);
        }
    }
    Ok(())
}

fn put(out: &mut LineOut, line: &[u8], eol: u8) {
    out.write(line);
    out.byte(eol);
}

/// Put `buf[s..s + l]` and the delimiter, fast when it is in the buffer.
fn put_at(out: &mut LineOut, buf: &[u8], s: usize, l: usize, eol: u8) {
    out.write_at(buf, s, l);
    out.byte(eol);
}

/// A group ends: print what the options ask for that was not printed yet.
fn end_group(o: &Opts, st: &mut State, src: &[u8], s: usize, l: usize, out: &mut LineOut) {
    if let Some(g) = o.group {
        if g == Delimit::Append {
            out.byte(o.eol);
        }
        return;
    }
    if (st.n == 1 && o.unique) || (st.n > 1 && o.first) {
        if o.count {
            out.num(st.n, 7);
            out.byte(b' ');
        }
        put_at(out, src, s, l, o.eol);
    }
}
