//! paste: join corresponding lines of FILEs with TABs (or the `-d LIST`
//! delimiters, used in turn, with `\n \t \\ \0` escapes; each a UTF-8
//! character with any combining marks before it, as toybox), or with `-s` each
//! file's lines into one line. `-` may be given several times: each reads
//! the next line of standard input. `-z`: lines end with NUL.

use ibex::Status;
use ibex::args::{Parser, Spec, flag, value};
use ibex::io::{Input, LineReader, Out};
use std::ffi::{OsStr, OsString};
use std::os::unix::ffi::OsStrExt;

const LONGS: &[ibex::args::Long] = &[
    value("delimiters", 'd' as u32),
    flag("serial", 's' as u32),
    flag("zero-terminated", 'z' as u32),
];

const SPEC: Spec = Spec::new(
    "d:sz",
    LONGS,
    ibex::usage!(
        paste,
        "paste [-sz] [-d LIST] [FILE]...\n\n\
         Merge lines of FILEs side by side, separated by TABs\n\n\
         \t-d LIST\tUse the characters of LIST in turn instead of TAB (--delimiters)\n\
         \t-s\tPaste each file's lines into one line (--serial)\n\
         \t-z\tLines end with NUL, not newline (--zero-terminated)"
    ),
);

/// The UTF-8 character at the start of `s` (not empty): its length (1
/// for a byte that starts no valid sequence) and whether it is a
/// combining mark.
fn utf8_char(s: &[u8]) -> (usize, bool) {
    let n = match s.first() {
        Some(0xc2..=0xdf) => 2,
        Some(0xe0..=0xef) => 3,
        Some(0xf0..=0xf4) => 4,
        _ => return (1, false),
    };
    match s.get(..n).and_then(|c| std::str::from_utf8(c).ok()) {
        Some(c) => {
            let cp = c.chars().next().map_or(0, u32::from);
            let combining = matches!(cp, 0x300..=0x36f | 0x1ab0..=0x1aff | 0x1dc0..=0x1dff
                | 0x20d0..=0x20ff | 0xfe20..=0xfe2f);
            (n, combining)
        }
        None => (1, false),
    }
}

/// The delimiter list: each entry a character (empty for `\0`).
fn delimiters(s: &[u8]) -> Result<Vec<Vec<u8>>, ibex::Exit> {
    let mut v = Vec::new();
    let mut i = 0;
    while i < s.len() {
        let c = s[i];
        if c != b'\\' {
            let start = i;
            loop {
                let (n, combining) = utf8_char(&s[i..]);
                i += n;
                if !combining || i >= s.len() {
                    break;
                }
            }
            v.push(s[start..i].to_vec());
            continue;
        }
        i += 1;
        let Some(&e) = s.get(i) else {
            ibex::msg!("delimiter list ends with an unescaped backslash: ", s);
            return Err(ibex::Exit(1));
        };
        i += 1;
        v.push(match e {
            b'0' => vec![],
            b'n' => vec![b'\n'],
            b't' => vec![b'\t'],
            b'b' => vec![8],
            b'f' => vec![12],
            b'r' => vec![b'\r'],
            b'v' => vec![11],
            other => vec![other],
        });
    }
    if v.is_empty() {
        v.push(vec![]);
    }
    Ok(v)
}

pub fn main(argv: &[OsString]) -> Status {
    let mut delims: Vec<Vec<u8>> = vec![vec![b'\t']];
    let (mut serial, mut zero) = (false, false);
    let mut p = Parser::new(argv, &SPEC);
    while let Some((id, v)) = p.next()? {
        match char::from_u32(id).unwrap_or('\0') {
            'd' => delims = delimiters(v.unwrap_or_default().as_bytes())?,
            's' => serial = true,
            _ => zero = true,
        }
    }
    let eol = if zero { 0 } else { b'\n' };
    let mut files = p.operands();
    if files.is_empty() {
        files.push(OsStr::new("-"));
    }
    let mut out = Out::stdout();
    let status = if serial {
        paste_serial(&files, &delims, eol, &mut out)
    } else {
        paste_parallel(&files, &delims, eol, &mut out)?
    };
    out.done(status)
}

fn paste_serial(files: &[&OsStr], delims: &[Vec<u8>], eol: u8, out: &mut Out) -> i32 {
    let mut status = 0;
    for name in files {
        let Some(input) = ibex::io::open_or_report(name.as_bytes()) else {
            status = 1;
            continue;
        };
        let mut lr = LineReader::with_delim(input.fd(), eol);
        let mut k = 0;
        let mut first = true;
        loop {
            match lr.next_line() {
                Ok(Some(line)) => {
                    if !first {
                        out.write(&delims[k]);
                        k = (k + 1) % delims.len();
                    }
                    first = false;
                    out.write(line.strip_suffix(&[eol]).unwrap_or(line));
                }
                Ok(None) => break,
                Err(e) => {
                    ibex::error::io_error(name.as_bytes(), &e);
                    status = 1;
                    break;
                }
            }
        }
        out.byte(eol);
        if out.failed() {
            break;
        }
    }
    status
}

fn paste_parallel(
    files: &[&OsStr],
    delims: &[Vec<u8>],
    eol: u8,
    out: &mut Out,
) -> Result<i32, ibex::Exit> {
    // One reader per file; every `-` shares the reader of stdin.
    let mut inputs: Vec<Input> = Vec::new();
    let mut readers: Vec<(LineReader, bool)> = Vec::new();
    let mut which: Vec<usize> = Vec::new();
    let mut stdin_reader: Option<usize> = None;
    for name in files {
        let name = name.as_bytes();
        if name == b"-"
            && let Some(r) = stdin_reader
        {
            which.push(r);
            continue;
        }
        let input = match Input::open(name) {
            Ok(i) => i,
            Err(e) => {
                ibex::error::io_error(name, &e);
                return Err(ibex::Exit(1));
            }
        };
        readers.push((LineReader::with_delim(input.fd(), eol), false));
        inputs.push(input);
        which.push(readers.len() - 1);
        if name == b"-" {
            stdin_reader = Some(readers.len() - 1);
        }
    }
    let mut status = 0;
    let mut line: Vec<u8> = Vec::new();
    loop {
        line.clear();
        let mut any = false;
        for (i, &r) in which.iter().enumerate() {
            let (reader, done) = &mut readers[r];
            if !*done {
                match reader.next_line() {
                    Ok(Some(l)) => {
                        any = true;
                        line.extend_from_slice(l.strip_suffix(&[eol]).unwrap_or(l));
                    }
                    Ok(None) => *done = true,
                    Err(e) => {
                        ibex::error::io_error(files[i].as_bytes(), &e);
                        status = 1;
                        *done = true;
                    }
                }
            }
            if i + 1 < which.len() {
                line.extend_from_slice(&delims[i % delims.len()]);
            }
        }
        if !any {
            break;
        }
        line.push(eol);
        out.write(&line);
        if out.failed() {
            break;
        }
    }
    drop(inputs);
    Ok(status)
}
