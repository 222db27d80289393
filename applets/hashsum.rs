//! md5sum, sha1sum, sha256sum, sha512sum: print or check message digests
//! (the name the applet is run by picks the algorithm). GNU's formats:
//! `HEX  NAME` (`*NAME` in binary mode), BSD-style `ALGO (NAME) = HEX`
//! with --tag, names holding a backslash, newline or carriage return
//! escaped behind a leading `\`, NUL-terminated lines with -z; -c checks
//! lists in either format with GNU's messages and counts.

use ibex::Status;
use ibex::args::{Parser, Spec, flag, usage_error};
use ibex::hash::{Algo, Digest, hex};
use ibex::io::{Input, LineReader, Out};
use std::ffi::OsString;
use std::os::unix::ffi::OsStrExt;

const OPTS: &str = "bctwz";

const TAG: u32 = 256;
const IGNORE_MISSING: u32 = 257;
const QUIET: u32 = 258;
const STATUS: u32 = 259;
const STRICT: u32 = 260;

const LONGS: &[ibex::args::Long] = &[
    flag("binary", 'b' as u32),
    flag("check", 'c' as u32),
    flag("text", 't' as u32),
    flag("zero", 'z' as u32),
    flag("warn", 'w' as u32),
    flag("tag", TAG),
    flag("ignore-missing", IGNORE_MISSING),
    flag("quiet", QUIET),
    flag("status", STATUS),
    flag("strict", STRICT),
];

const MD5: Spec = Spec::new(
    OPTS,
    LONGS,
    ibex::usage!(
        md5sum,
        "md5sum [-bctwz] [--tag] [FILE]...\n\n\
         Print or check MD5 (128-bit) checksums\n\n\
         \t-b\tRead in binary mode\n\
         \t-c\tCheck sums against list in FILEs\n\
         \t-t\tRead in text mode (default)\n\
         \t-z\tEnd each output line with NUL, not newline; no name escaping\n\
         \t--tag\tCreate a BSD-style checksum\n\
         \t--ignore-missing\tDon't fail or report status for missing files (-c)\n\
         \t--quiet\tDon't print OK for each verified file (-c)\n\
         \t--status\tNo output, exit status shows success (-c)\n\
         \t--strict\tExit non-zero for improperly formatted lines (-c)\n\
         \t-w\tWarn about improperly formatted lines (-c)"
    ),
);
const SHA1: Spec = Spec::new(
    OPTS,
    LONGS,
    ibex::usage!(
        sha1sum,
        "sha1sum [-bctwz] [--tag] [FILE]...\n\n\
         Print or check SHA1 (160-bit) checksums\n\n\
         \t-b\tRead in binary mode\n\
         \t-c\tCheck sums against list in FILEs\n\
         \t-t\tRead in text mode (default)\n\
         \t-z\tEnd each output line with NUL, not newline; no name escaping\n\
         \t--tag\tCreate a BSD-style checksum\n\
         \t--ignore-missing\tDon't fail or report status for missing files (-c)\n\
         \t--quiet\tDon't print OK for each verified file (-c)\n\
         \t--status\tNo output, exit status shows success (-c)\n\
         \t--strict\tExit non-zero for improperly formatted lines (-c)\n\
         \t-w\tWarn about improperly formatted lines (-c)"
    ),
);
const SHA256: Spec = Spec::new(
    OPTS,
    LONGS,
    ibex::usage!(
        sha256sum,
        "sha256sum [-bctwz] [--tag] [FILE]...\n\n\
         Print or check SHA256 (256-bit) checksums\n\n\
         \t-b\tRead in binary mode\n\
         \t-c\tCheck sums against list in FILEs\n\
         \t-t\tRead in text mode (default)\n\
         \t-z\tEnd each output line with NUL, not newline; no name escaping\n\
         \t--tag\tCreate a BSD-style checksum\n\
         \t--ignore-missing\tDon't fail or report status for missing files (-c)\n\
         \t--quiet\tDon't print OK for each verified file (-c)\n\
         \t--status\tNo output, exit status shows success (-c)\n\
         \t--strict\tExit non-zero for improperly formatted lines (-c)\n\
         \t-w\tWarn about improperly formatted lines (-c)"
    ),
);
const SHA512: Spec = Spec::new(
    OPTS,
    LONGS,
    ibex::usage!(
        sha512sum,
        "sha512sum [-bctwz] [--tag] [FILE]...\n\n\
         Print or check SHA512 (512-bit) checksums\n\n\
         \t-b\tRead in binary mode\n\
         \t-c\tCheck sums against list in FILEs\n\
         \t-t\tRead in text mode (default)\n\
         \t-z\tEnd each output line with NUL, not newline; no name escaping\n\
         \t--tag\tCreate a BSD-style checksum\n\
         \t--ignore-missing\tDon't fail or report status for missing files (-c)\n\
         \t--quiet\tDon't print OK for each verified file (-c)\n\
         \t--status\tNo output, exit status shows success (-c)\n\
         \t--strict\tExit non-zero for improperly formatted lines (-c)\n\
         \t-w\tWarn about improperly formatted lines (-c)"
    ),
);

const BUF: usize = 256 * 1024;

/// How check results are reported (--status, --quiet, --warn: the last
/// one given wins).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Verbosity {
    Normal,
    Status,
    Quiet,
    Warn,
}

struct Opts {
    algo: Algo,
    /// None: not given; Some(true) -b; Some(false) -t.
    binary: Option<bool>,
    zero: bool,
    tag: bool,
    ignore_missing: bool,
    verbosity: Verbosity,
    strict: bool,
}

pub fn main(argv: &[OsString]) -> Status {
    let invoked = argv
        .first()
        .map(|a| ibex::path::basename(a.as_bytes()))
        .unwrap_or(b"");
    let name = if invoked.is_empty() {
        ibex::error::applet().as_bytes()
    } else {
        invoked
    };
    let (algo, spec) = match name {
        b"sha1sum" => (Algo::Sha1, &SHA1),
        b"sha256sum" => (Algo::Sha256, &SHA256),
        b"sha512sum" => (Algo::Sha512, &SHA512),
        _ => (Algo::Md5, &MD5),
    };
    let mut o = Opts {
        algo,
        binary: None,
        zero: false,
        tag: false,
        ignore_missing: false,
        verbosity: Verbosity::Normal,
        strict: false,
    };
    let mut check = false;
    let mut p = Parser::new(argv, spec);
    while let Some((id, _)) = p.next()? {
        match id {
            0x62 => o.binary = Some(true),
            0x74 => o.binary = Some(false),
            0x63 => check = true,
            0x7a => o.zero = true,
            0x77 => o.verbosity = Verbosity::Warn,
            TAG => {
                o.tag = true;
                o.binary = Some(true);
            }
            IGNORE_MISSING => o.ignore_missing = true,
            QUIET => o.verbosity = Verbosity::Quiet,
            STATUS => o.verbosity = Verbosity::Status,
            STRICT => o.strict = true,
            _ => {}
        }
    }
    let files = p.operands();
    let bad = |m: &str| Err(usage_error(spec, &[m.as_bytes()]));
    if o.tag && o.binary == Some(false) {
        return bad("--tag does not support --text mode");
    }
    if check {
        if o.zero {
            return bad("the --zero option is not supported when verifying checksums");
        }
        if o.tag {
            return bad("the --tag option is meaningless when verifying checksums");
        }
        if o.binary.is_some() {
            return bad("the --binary and --text options are meaningless when verifying checksums");
        }
    } else {
        if o.ignore_missing {
            return bad("the --ignore-missing option is meaningful only when verifying checksums");
        }
        match o.verbosity {
            Verbosity::Status => {
                return bad("the --status option is meaningful only when verifying checksums");
            }
            Verbosity::Warn => {
                return bad("the --warn option is meaningful only when verifying checksums");
            }
            Verbosity::Quiet => {
                return bad("the --quiet option is meaningful only when verifying checksums");
            }
            Verbosity::Normal => {}
        }
        if o.strict {
            return bad("the --strict option is meaningful only when verifying checksums");
        }
    }
    let stdin = [std::ffi::OsStr::new("-")];
    let files: &[&std::ffi::OsStr] = if files.is_empty() { &stdin } else { &files };
    let mut out = Out::stdout();
    let mut buf = vec![0u8; BUF];
    let mut status = 0;
    for f in files {
        let ok = if check {
            check_list(&o, f.as_bytes(), &mut out, &mut buf)
        } else {
            print_sum(&o, f.as_bytes(), &mut out, &mut buf)
        };
        if !ok {
            status = 1;
        }
    }
    out.done(status)
}

/// Digest of a file (`-` is standard input), read in large blocks.
fn digest_file(algo: Algo, name: &[u8], buf: &mut [u8]) -> std::io::Result<Vec<u8>> {
    let input = Input::open(name)?;
    let fd = input.fd();
    let mut d = Digest::new(algo);
    loop {
        let n = ibex::sys::read(fd, buf)?;
        if n == 0 {
            break;
        }
        d.update(&buf[..n]);
    }
    Ok(d.finish())
}

/// Does the name need GNU's `\` escaping in output lines?
fn needs_escape(name: &[u8]) -> bool {
    name.iter().any(|&c| matches!(c, b'\\' | b'\n' | b'\r'))
}

fn write_escaped(out: &mut Out, name: &[u8]) {
    for &c in name {
        match c {
            b'\\' => out.write(b"\\\\"),
            b'\n' => out.write(b"\\n"),
            b'\r' => out.write(b"\\r"),
            _ => out.byte(c),
        }
    }
}

/// A name in a message, quoted the way GNU's quotef does: only when it
/// has characters a shell would treat specially.
fn quotef(name: &[u8]) -> Vec<u8> {
    let plain = !name.is_empty()
        && name
            .iter()
            .all(|&c| c.is_ascii_alphanumeric() || b"%+,-./:=@_^".contains(&c));
    if plain {
        name.to_vec()
    } else {
        ibex::copy::quote(name)
    }
}

fn print_sum(o: &Opts, name: &[u8], out: &mut Out, buf: &mut [u8]) -> bool {
    let sum = match digest_file(o.algo, name, buf) {
        Ok(s) => s,
        Err(e) => {
            out.flush();
            ibex::msg!(quotef(name), ": ", e);
            return false;
        }
    };
    let escape = !o.zero && needs_escape(name);
    if escape {
        out.byte(b'\\');
    }
    if o.tag {
        out.str(o.algo.tag());
        out.write(b" (");
    } else {
        out.write(&hex(&sum));
        out.write(if o.binary == Some(true) { b" *" } else { b"  " });
    }
    if escape {
        write_escaped(out, name);
    } else {
        out.write(name);
    }
    if o.tag {
        out.write(b") = ");
        out.write(&hex(&sum));
    }
    out.byte(if o.zero { 0 } else { b'\n' });
    true
}

/// Undo the `\\`, `\n` and `\r` escapes of a listed name; None for any
/// other backslash sequence.
fn unescape(s: &[u8]) -> Option<Vec<u8>> {
    let mut v = Vec::with_capacity(s.len());
    let mut it = s.iter();
    while let Some(&c) = it.next() {
        if c != b'\\' {
            v.push(c);
            continue;
        }
        match it.next() {
            Some(b'\\') => v.push(b'\\'),
            Some(b'n') => v.push(b'\n'),
            Some(b'r') => v.push(b'\r'),
            _ => return None,
        }
    }
    Some(v)
}

fn parse_hex(s: &[u8]) -> Option<Vec<u8>> {
    fn val(c: u8) -> Option<u8> {
        (c as char).to_digit(16).map(|d| d as u8)
    }
    if !s.len().is_multiple_of(2) {
        return None;
    }
    s.chunks_exact(2)
        .map(|p| Some(val(p[0])? << 4 | val(p[1])?))
        .collect()
}

/// Split a checksum line into (digest, file name); None when it is not
/// in either format.
fn parse_line(algo: Algo, line: &[u8]) -> Option<(Vec<u8>, Vec<u8>)> {
    let start = line
        .iter()
        .take_while(|&&c| c == b' ' || c == b'\t')
        .count();
    let mut s = &line[start..];
    let escaped = s.first() == Some(&b'\\');
    if escaped {
        s = &s[1..];
    }
    let hexlen = algo.digest_len() * 2;
    let tag = algo.tag().as_bytes();
    let (sum, name): (&[u8], &[u8]) = if let Some(rest) = s.strip_prefix(tag)
        && matches!(rest.first(), Some(b' ' | b'('))
    {
        // BSD style: ALGO (NAME) = HEX, the name up to the last ')'.
        let rest = rest.strip_prefix(b" ").unwrap_or(rest);
        let rest = rest.strip_prefix(b"(")?;
        let close = rest.iter().rposition(|&c| c == b')')?;
        let name = &rest[..close];
        let mut tail = &rest[close + 1..];
        tail = tail.strip_prefix(b" ").unwrap_or(tail);
        tail = tail.strip_prefix(b"=")?;
        tail = tail.strip_prefix(b" ").unwrap_or(tail);
        (tail, name)
    } else {
        let digits = s.get(..hexlen)?;
        let sep = *s.get(hexlen)?;
        if sep != b' ' && sep != b'\t' {
            return None;
        }
        let mut name = &s[hexlen + 1..];
        if matches!(name.first(), Some(b' ' | b'*')) && name.len() > 1 {
            name = &name[1..];
        }
        if name.is_empty() {
            return None;
        }
        (digits, name)
    };
    if sum.len() != hexlen {
        return None;
    }
    let sum = parse_hex(sum)?;
    let name = if escaped {
        unescape(name)?
    } else {
        name.to_vec()
    };
    Some((sum, name))
}

fn plural(n: u64, one: &str, many: &str) -> String {
    if n == 1 {
        format!("{n} {one}")
    } else {
        format!("{n} {many}")
    }
}

/// Check every line of one list; false when anything failed.
fn check_list(o: &Opts, list: &[u8], out: &mut Out, buf: &mut [u8]) -> bool {
    let shown: Vec<u8> = if list == b"-" {
        quotef(b"standard input")
    } else {
        quotef(list)
    };
    let input = match Input::open(list) {
        Ok(i) => i,
        Err(e) => {
            out.flush();
            ibex::msg!(shown, ": ", e);
            return false;
        }
    };
    let from_stdin = list == b"-";
    let mut reader = LineReader::new(input.fd());
    let (mut lineno, mut bad_lines, mut unreadable, mut mismatched) = (0u64, 0u64, 0u64, 0u64);
    let mut good_lines = false;
    let mut verified = false;
    let status_only = o.verbosity == Verbosity::Status;
    loop {
        let line = match reader.next_line() {
            Ok(Some(l)) => l,
            Ok(None) => break,
            Err(_) => {
                out.flush();
                ibex::msg!(shown, ": read error");
                return false;
            }
        };
        lineno += 1;
        let mut line = line.strip_suffix(b"\n").unwrap_or(line);
        line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.is_empty() || line[0] == b'#' {
            continue;
        }
        let parsed = parse_line(o.algo, line).filter(|(_, n)| !(from_stdin && n == b"-"));
        let Some((want, name)) = parsed else {
            bad_lines += 1;
            if o.verbosity == Verbosity::Warn {
                out.flush();
                ibex::msg!(
                    shown,
                    ": ",
                    lineno,
                    ": improperly formatted ",
                    o.algo.tag(),
                    " checksum line"
                );
            }
            continue;
        };
        good_lines = true;
        let result = digest_file(o.algo, &name, buf);
        // Check results escape only names with a newline.
        let escape = name.contains(&b'\n');
        let report = |out: &mut Out, what: &[u8]| {
            if escape {
                out.byte(b'\\');
                write_escaped(out, &name);
            } else {
                out.write(&name);
            }
            out.write(what);
        };
        match result {
            Err(e) => {
                if o.ignore_missing && e.raw_os_error() == Some(libc::ENOENT) {
                    continue;
                }
                out.flush();
                ibex::msg!(quotef(&name), ": ", e);
                unreadable += 1;
                if !status_only {
                    report(out, b": FAILED open or read\n");
                }
            }
            Ok(got) => {
                if got != want {
                    mismatched += 1;
                    if !status_only {
                        report(out, b": FAILED\n");
                    }
                } else {
                    verified = true;
                    if o.verbosity != Verbosity::Quiet && !status_only {
                        report(out, b": OK\n");
                    }
                }
            }
        }
    }
    out.flush();
    if !good_lines {
        ibex::msg!(shown, ": no properly formatted checksum lines found");
        return false;
    }
    if !status_only {
        if bad_lines > 0 {
            let what = plural(bad_lines, "line is", "lines are");
            ibex::msg!("WARNING: ", what, " improperly formatted");
        }
        if unreadable > 0 {
            let what = plural(unreadable, "listed file", "listed files");
            ibex::msg!("WARNING: ", what, " could not be read");
        }
        if mismatched > 0 {
            let what = plural(mismatched, "computed checksum", "computed checksums");
            ibex::msg!("WARNING: ", what, " did NOT match");
        }
    }
    if o.ignore_missing && !verified {
        if !status_only {
            ibex::msg!(shown, ": no file was verified");
        }
        return false;
    }
    unreadable == 0 && mismatched == 0 && !(o.strict && bad_lines > 0)
}
