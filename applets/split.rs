//! split: cut a file into pieces named PREFIX (default `x`) plus a
//! suffix: `-l N` lines (also `-N`), `-b SIZE` bytes, `-C SIZE` at most
//! SIZE bytes of whole lines, `-n N|K/N|l/N|l/K/N|r/N|r/K/N` chunks (K:
//! only chunk K, to standard output). Suffixes: `-a N` letters (default 2,
//! growing as GNU does: ...yz, zaaa...), `-d`/`--numeric-suffixes[=FROM]`,
//! `-x`/`--hex-suffixes[=FROM]`, `--additional-suffix`; `-e` no empty
//! files with `-n`, `-t SEP` record separator, `--filter=CMD` (sh -c with
//! $FILE), `--verbose`, `-u`. Messages and statuses as GNU.

use ibex::Status;
use ibex::args::{Parser, Spec, flag, optional, usage_error, value};
use ibex::sys;
use std::ffi::{OsStr, OsString};
use std::io;
use std::os::fd::{AsRawFd, OwnedFd, RawFd};
use std::os::unix::ffi::OsStrExt;

const NUMERIC: u32 = 256;
const HEX: u32 = 257;
const ADDITIONAL: u32 = 258;
const FILTER: u32 = 259;
const VERBOSE: u32 = 260;

const LONGS: &[ibex::args::Long] = &[
    value("suffix-length", 'a' as u32),
    value("bytes", 'b' as u32),
    value("line-bytes", 'C' as u32),
    value("lines", 'l' as u32),
    value("number", 'n' as u32),
    optional("numeric-suffixes", NUMERIC),
    optional("hex-suffixes", HEX),
    value("additional-suffix", ADDITIONAL),
    flag("elide-empty-files", 'e' as u32),
    value("filter", FILTER),
    value("separator", 't' as u32),
    flag("unbuffered", 'u' as u32),
    flag("verbose", VERBOSE),
];

const SPEC: Spec = Spec::new(
    "a:b:C:l:n:dxeut:",
    LONGS,
    ibex::usage!(
        split,
        "split [OPTION]... [FILE [PREFIX]]\n\n\
         Split FILE (or standard input) into pieces PREFIXaa, PREFIXab...\n\n\
         \t-l N\tN lines per file (default 1000) (--lines; also -N)\n\
         \t-b SIZE\tSIZE bytes per file, SIZE may end in K, M, G... (--bytes)\n\
         \t-C SIZE\tAt most SIZE bytes of whole lines per file (--line-bytes)\n\
         \t-n CHUNKS\tN, K/N, l/N, l/K/N, r/N or r/K/N chunks (--number)\n\
         \t-a N\tSuffixes of N characters (--suffix-length)\n\
         \t-d\tNumeric suffixes (--numeric-suffixes[=FROM])\n\
         \t-x\tHexadecimal suffixes (--hex-suffixes[=FROM])\n\
         \t--additional-suffix=SUF\tAppend SUF to file names\n\
         \t-e\tDon't write empty files with -n (--elide-empty-files)\n\
         \t-t SEP\tRecord separator instead of newline (--separator)\n\
         \t-u\tCopy input immediately with -n r/... (--unbuffered)\n\
         \t--filter=CMD\tWrite to shell command CMD; the file name is in $FILE\n\
         \t--verbose\tSay which files are created"
    ),
)
.digits('l' as u32);

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Lines(u64),
    Bytes(u64),
    LineBytes(u64),
    /// -n: kind (b'b' bytes, b'l' lines, b'r' round robin), K, N.
    Chunks(u8, u64, u64),
}

fn die(parts: &[&[u8]]) -> ibex::Exit {
    let mut m = ibex::error::start();
    for p in parts {
        m.extend_from_slice(p);
    }
    ibex::error::emit(m);
    ibex::Exit(1)
}

/// A number option: GNU's `invalid number of WHAT: 'V'` messages.
fn number(v: &[u8], what: &str, size: bool) -> Result<u64, ibex::Exit> {
    let q = ibex::copy::quote(v);
    let r = if size {
        ibex::num::parse_size(v)
    } else {
        ibex::num::parse_u64(v)
    };
    match r {
        Ok(0) => Err(die(&[
            b"invalid number of ",
            what.as_bytes(),
            b": ",
            &q,
            b": Numerical result out of range",
        ])),
        Ok(n) => Ok(n),
        Err(ibex::num::NumError::Range) => Err(die(&[
            b"invalid number of ",
            what.as_bytes(),
            b": ",
            &q,
            b": Value too large for defined data type",
        ])),
        Err(_) => Err(die(&[b"invalid number of ", what.as_bytes(), b": ", &q])),
    }
}

fn chunks(v: &[u8]) -> Result<Mode, ibex::Exit> {
    let (kind, rest) = match v {
        [k @ (b'l' | b'r'), b'/', rest @ ..] => (*k, rest),
        _ => (b'b', v),
    };
    let (k, n) = match memchr::memchr(b'/', rest) {
        Some(i) => (Some(&rest[..i]), &rest[i + 1..]),
        None => (None, rest),
    };
    let n = number(n, "chunks", false)?;
    let k = match k {
        None => 0,
        Some(k) => {
            let q = ibex::copy::quote(k);
            match ibex::num::parse_u64(k) {
                Ok(x) if x >= 1 && x <= n => x,
                Ok(_) => {
                    return Err(die(&[
                        b"invalid chunk number: ",
                        &q,
                        b": Numerical result out of range",
                    ]));
                }
                Err(_) => return Err(die(&[b"invalid chunk number: ", &q])),
            }
        }
    };
    Ok(Mode::Chunks(kind, k, n))
}

/// Output file names: prefix, suffix digits, additional suffix.
struct Names {
    prefix: Vec<u8>,
    extra: Vec<u8>,
    alphabet: &'static [u8],
    /// The part of the suffix frozen by widening (`z`, `zz`...).
    fixed: Vec<u8>,
    digits: Vec<usize>,
    /// Widen the suffix instead of running out (no -a, no FROM).
    auto: bool,
    done: bool,
}

impl Names {
    fn next(&mut self) -> Option<Vec<u8>> {
        if self.done {
            return None;
        }
        let mut name = self.prefix.clone();
        name.extend_from_slice(&self.fixed);
        name.extend(self.digits.iter().map(|&d| self.alphabet[d]));
        name.extend_from_slice(&self.extra);
        // Step to the next suffix.
        let base = self.alphabet.len();
        let mut i = self.digits.len();
        loop {
            if i == 0 {
                self.done = true;
                break;
            }
            i -= 1;
            self.digits[i] += 1;
            if self.digits[i] < base {
                break;
            }
            self.digits[i] = 0;
        }
        if self.auto && self.digits.first() == Some(&(base - 1)) {
            self.fixed.push(self.alphabet[base - 1]);
            let n = self.digits.len() + 1;
            self.digits = vec![0; n];
        }
        Some(name)
    }
}

/// The current output: a file or a filter's pipe.
struct Sink {
    fd: Option<OwnedFd>,
    child: Option<i32>,
    name: Vec<u8>,
}

struct Split {
    names: Names,
    filter: Option<OsString>,
    verbose: bool,
    /// The input's identity, to refuse overwriting it.
    input_id: Option<sys::Stat>,
    cur: Option<Sink>,
    /// Exit status of a failed filter.
    filter_status: i32,
}

/// A write or open failure already reported, with the status to exit with.
struct Failed(i32);

impl Split {
    /// Close the current output and open the next one.
    fn open_next(&mut self) -> Result<(), Failed> {
        self.close()?;
        let Some(name) = self.names.next() else {
            ibex::msg!("output file suffixes exhausted");
            return Err(Failed(1));
        };
        self.cur = Some(self.open(name)?);
        Ok(())
    }

    fn open(&mut self, name: Vec<u8>) -> Result<Sink, Failed> {
        if let Some(cmd) = &self.filter {
            let (r, w) = match sys::pipe() {
                Ok(p) => p,
                Err(e) => {
                    ibex::msg!("cannot run sh: ", e);
                    return Err(Failed(1));
                }
            };
            let argv = [OsString::from("sh"), OsString::from("-c"), cmd.clone()];
            let env = [(OsStr::new("FILE"), OsStr::from_bytes(&name))];
            let child = sys::spawn_with(Some(b"/bin/sh"), &argv, &env, Some(r.as_raw_fd()));
            drop(r);
            return match child {
                Ok(pid) => Ok(Sink {
                    fd: Some(w),
                    child: Some(pid),
                    name,
                }),
                Err(e) => {
                    ibex::msg!("cannot run sh: ", e);
                    Err(Failed(1))
                }
            };
        }
        if self.verbose {
            let mut out = ibex::io::Out::stdout();
            out.write(b"creating file ");
            out.write(&ibex::copy::quote(&name));
            out.byte(b'\n');
            out.flush();
        }
        if let Some(id) = &self.input_id
            && let Ok(st) = sys::stat(&name)
            && st.same_file(id)
        {
            ibex::msg!(ibex::copy::quote(&name), " would overwrite input; aborting");
            return Err(Failed(1));
        }
        let flags = sys::O_WRONLY | sys::O_CREAT | sys::O_TRUNC | sys::O_NOCTTY;
        match sys::open(&name, flags, 0o666) {
            Ok(fd) => Ok(Sink {
                fd: Some(fd),
                child: None,
                name,
            }),
            Err(e) => {
                ibex::error::io_error(quotef(&name), &e);
                Err(Failed(1))
            }
        }
    }

    fn close(&mut self) -> Result<(), Failed> {
        let Some(mut s) = self.cur.take() else {
            return Ok(());
        };
        if let Some(fd) = s.fd.take() {
            let raw = std::os::fd::IntoRawFd::into_raw_fd(fd);
            if let Err(e) = sys::close(raw) {
                ibex::error::io_error(quotef(&s.name), &e);
                return Err(Failed(1));
            }
        }
        if let Some(pid) = s.child.take() {
            match sys::waitpid(pid, 0, false) {
                Ok(st) => {
                    let (code, sig) = match st {
                        Some((_, sys::WaitStatus::Exited(c))) => (c, None),
                        Some((_, sys::WaitStatus::Signaled(g, _))) => (128 + g, Some(g)),
                        _ => (1, None),
                    };
                    if code != 0 && sig != Some(libc::SIGPIPE) {
                        let mut m = ibex::error::start();
                        m.extend_from_slice(b"with FILE=");
                        m.extend_from_slice(&quotef(&s.name));
                        m.extend_from_slice(b", exit ");
                        m.extend_from_slice(code.to_string().as_bytes());
                        m.extend_from_slice(b" from command: ");
                        m.extend_from_slice(self.filter.as_deref().unwrap_or_default().as_bytes());
                        ibex::error::emit(m);
                        self.filter_status = code;
                        return Err(Failed(code));
                    }
                }
                Err(e) => {
                    ibex::msg!("waiting for child process: ", e);
                    return Err(Failed(1));
                }
            }
        }
        Ok(())
    }

    fn write(&mut self, data: &[u8]) -> Result<(), Failed> {
        let Some(s) = &self.cur else {
            return Ok(());
        };
        let fd = s.fd.as_ref().map_or(-1, |f| f.as_raw_fd());
        match sys::write_all(fd, data) {
            Ok(()) => Ok(()),
            // A filter that stopped reading is not an error.
            Err(e) if s.child.is_some() && e.raw_os_error() == Some(libc::EPIPE) => Ok(()),
            Err(e) => {
                ibex::error::io_error(quotef(&s.name), &e);
                Err(Failed(1))
            }
        }
    }
}

/// A name as GNU's quotef shows it: as is when it needs no quoting.
fn quotef(name: &[u8]) -> Vec<u8> {
    let plain = !name.is_empty()
        && name
            .iter()
            .all(|&b| b.is_ascii_alphanumeric() || b"-_./,+:@%^=".contains(&b));
    if plain {
        name.to_vec()
    } else {
        ibex::copy::quote(name)
    }
}

pub fn main(argv: &[OsString]) -> Status {
    let mut mode: Option<Mode> = None;
    let mut suffix_len: Option<u64> = None;
    let mut alphabet: &'static [u8] = b"abcdefghijklmnopqrstuvwxyz";
    let mut from: Option<&[u8]> = None;
    let mut extra: &[u8] = b"";
    let (mut elide, mut verbose) = (false, false);
    let mut sep = b'\n';
    let mut filter: Option<OsString> = None;
    let mut p = Parser::new(argv, &SPEC);
    while let Some((id, v)) = p.next()? {
        let vb = v.unwrap_or_default().as_bytes();
        let m = match id {
            NUMERIC | HEX => {
                alphabet = if id == HEX {
                    b"0123456789abcdef"
                } else {
                    b"0123456789"
                };
                from = v.map(|v| v.as_bytes());
                None
            }
            ADDITIONAL => {
                if memchr::memchr(b'/', vb).is_some() {
                    return Err(usage_error(
                        &SPEC,
                        &[
                            b"invalid suffix ",
                            &ibex::copy::quote(vb),
                            b", contains directory separator",
                        ],
                    ));
                }
                extra = vb;
                None
            }
            FILTER => {
                filter = v.map(|v| v.to_os_string());
                None
            }
            VERBOSE => {
                verbose = true;
                None
            }
            _ => match char::from_u32(id).unwrap_or('\0') {
                'a' => {
                    suffix_len = match ibex::num::parse_u64(vb) {
                        Ok(n) if n < 1 << 20 => Some(n),
                        _ => {
                            return Err(die(&[b"invalid suffix length: ", &ibex::copy::quote(vb)]));
                        }
                    };
                    None
                }
                'b' => Some(Mode::Bytes(number(vb, "bytes", true)?)),
                'C' => Some(Mode::LineBytes(number(vb, "bytes", true)?)),
                'l' => Some(Mode::Lines(number(vb, "lines", false)?)),
                'n' => Some(chunks(vb)?),
                'd' => {
                    alphabet = b"0123456789";
                    None
                }
                'x' => {
                    alphabet = b"0123456789abcdef";
                    None
                }
                'e' => {
                    elide = true;
                    None
                }
                't' => {
                    sep = match vb {
                        [c] => *c,
                        b"\\0" => 0,
                        [] => {
                            return Err(die(&[b"empty record separator"]));
                        }
                        _ => {
                            return Err(die(&[
                                b"multi-character separator ",
                                &ibex::records::cquote(vb),
                            ]));
                        }
                    };
                    None
                }
                _ => None, // -u: output is never held back
            },
        };
        if let Some(m) = m {
            // -l after -l (or -NUM) just replaces it.
            let same_kind = matches!(
                (mode, m),
                (Some(Mode::Lines(_)), Mode::Lines(_))
                    | (Some(Mode::Bytes(_)), Mode::Bytes(_))
                    | (Some(Mode::LineBytes(_)), Mode::LineBytes(_))
                    | (Some(Mode::Chunks(..)), Mode::Chunks(..))
            );
            if mode.is_some() && !same_kind {
                return Err(usage_error(&SPEC, &[b"cannot split in more than one way"]));
            }
            mode = Some(m);
        }
    }
    let ops = p.operands();
    if ops.len() > 2 {
        return Err(usage_error(
            &SPEC,
            &[b"extra operand ", &ibex::copy::quote(ops[2].as_bytes())],
        ));
    }
    let input: &[u8] = ops.first().map_or(b"-", |o| o.as_bytes());
    let prefix: &[u8] = ops.get(1).map_or(b"x", |o| o.as_bytes());
    let mode = mode.unwrap_or(Mode::Lines(1000));

    // Suffix length and start.
    let base = alphabet.len() as u64;
    let needed = match mode {
        Mode::Chunks(_, 0, n) => {
            let mut len = 1u64;
            let mut cap = base;
            while cap < n {
                len += 1;
                cap = cap.saturating_mul(base);
            }
            len
        }
        _ => 1,
    };
    let start: u64 = match from {
        Some(f) => match std::str::from_utf8(f)
            .ok()
            .and_then(|t| u64::from_str_radix(t, base as u32).ok())
        {
            Some(n) => n,
            None => {
                let what: &[u8] = if base == 16 {
                    b"hexadecimal"
                } else {
                    b"numerical"
                };
                return Err(usage_error(
                    &SPEC,
                    &[
                        &ibex::copy::quote(f),
                        b": invalid start value for ",
                        what,
                        b" suffix",
                    ],
                ));
            }
        },
        None => 0,
    };
    // The suffix widens only when nothing fixes its length.
    let auto =
        suffix_len.is_none_or(|n| n == 0) && from.is_none() && !matches!(mode, Mode::Chunks(..));
    let len = match suffix_len {
        Some(n) if n > 0 => {
            if n < needed {
                return Err(die(&[
                    b"the suffix length needs to be at least ",
                    needed.to_string().as_bytes(),
                ]));
            }
            n
        }
        _ => needed.max(2),
    };
    let mut digits = Vec::new();
    let mut s = start;
    while s > 0 {
        digits.push((s % base) as usize);
        s /= base;
    }
    if digits.len() as u64 > len {
        return Err(usage_error(
            &SPEC,
            &[b"numerical suffix start value is too large for the suffix length"],
        ));
    }
    digits.resize(len as usize, 0);
    digits.reverse();
    let names = Names {
        prefix: prefix.to_vec(),
        extra: extra.to_vec(),
        alphabet,
        fixed: Vec::new(),
        digits,
        auto,
        done: false,
    };

    let fd_in = match ibex::io::Input::open(input) {
        Ok(i) => i,
        Err(e) => {
            ibex::msg!(
                "cannot open ",
                ibex::copy::quote(input),
                " for reading: ",
                e
            );
            return Ok(1);
        }
    };
    let fd = fd_in.fd();
    let st = sys::fstat(fd).ok();
    let mut sp = Split {
        names,
        filter,
        verbose,
        input_id: st.filter(|s| s.is_reg()),
        cur: None,
        filter_status: 0,
    };
    if sp.filter.is_some() {
        sys::signal_ignore(sys::SIGPIPE);
    }
    let res = run(&mut sp, fd, input, mode, sep, elide);
    let res = res.and_then(|()| sp.close());
    if sp.filter.is_some() {
        sys::signal_default(sys::SIGPIPE);
    }
    match res {
        Ok(()) => Ok(0),
        Err(Failed(code)) => {
            let _ = sp.close();
            Ok(code)
        }
    }
}

fn read_error(name: &[u8], e: &io::Error) -> Failed {
    ibex::error::io_error(quotef(name), e);
    Failed(1)
}

fn run(
    sp: &mut Split,
    fd: RawFd,
    name: &[u8],
    mode: Mode,
    sep: u8,
    elide: bool,
) -> Result<(), Failed> {
    match mode {
        Mode::Lines(n) => {
            // Lines left in the current file (0: open a new one first).
            let mut left = 0u64;
            blocks(fd, name, |data| {
                let mut pos = 0;
                while pos < data.len() {
                    if left == 0 {
                        sp.open_next()?;
                        left = n;
                    }
                    // Find the end of `left` more records in data[pos..].
                    let mut end = data.len();
                    for i in memchr::memchr_iter(sep, &data[pos..]) {
                        left -= 1;
                        if left == 0 {
                            end = pos + i + 1;
                            break;
                        }
                    }
                    sp.write(&data[pos..end])?;
                    pos = end;
                }
                Ok(())
            })
        }
        Mode::Bytes(n) => {
            let mut left = 0u64;
            blocks(fd, name, |data| {
                let mut pos = 0;
                while pos < data.len() {
                    if left == 0 {
                        sp.open_next()?;
                        left = n;
                    }
                    let take = (data.len() - pos).min(usize::try_from(left).unwrap_or(usize::MAX));
                    sp.write(&data[pos..pos + take])?;
                    pos += take;
                    left -= take as u64;
                }
                Ok(())
            })
        }
        Mode::LineBytes(n) => line_bytes(sp, fd, name, n, sep),
        Mode::Chunks(b'r', k, n) => round_robin(sp, fd, name, k, n, sep, elide),
        Mode::Chunks(kind, k, n) => {
            let size = match sys::fstat(fd) {
                Ok(st) if st.is_reg() => st.size,
                _ => {
                    ibex::msg!(quotef(name), ": cannot determine file size");
                    return Err(Failed(1));
                }
            };
            let here = sys::lseek(fd, 0, sys::SEEK_CUR).unwrap_or(0);
            let size = size.saturating_sub(here);
            byte_chunks(sp, fd, name, kind == b'l', k, n, size, sep, elide)
        }
    }
}

/// Read the input in blocks (plain reads, so pipes work as they come).
fn blocks(
    fd: RawFd,
    name: &[u8],
    mut f: impl FnMut(&[u8]) -> Result<(), Failed>,
) -> Result<(), Failed> {
    let mut buf = vec![0u8; 128 * 1024];
    loop {
        let n = match sys::read(fd, &mut buf) {
            Ok(0) => return Ok(()),
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(read_error(name, &e)),
        };
        f(&buf[..n])?;
    }
}

/// -C: whole records up to `n` bytes per file; a longer record is cut
/// into `n`-byte pieces.
fn line_bytes(sp: &mut Split, fd: RawFd, name: &[u8], n: u64, sep: u8) -> Result<(), Failed> {
    let mut used = 0u64;
    let mut open = false;
    // The record being read, when it spans reads.
    let mut rec: Vec<u8> = Vec::new();
    let put = |sp: &mut Split, r: &[u8], used: &mut u64, open: &mut bool| {
        let len = r.len() as u64;
        if *open && *used > 0 && *used + len > n {
            *open = false;
        }
        let mut r = r;
        while !r.is_empty() {
            if !*open {
                sp.open_next()?;
                *open = true;
                *used = 0;
            }
            let room = n - *used;
            let take = (r.len() as u64).min(room) as usize;
            sp.write(&r[..take])?;
            *used += take as u64;
            r = &r[take..];
            if *used == n {
                *open = false;
            }
        }
        Ok(())
    };
    blocks(fd, name, |data| {
        let mut pos = 0;
        for i in memchr::memchr_iter(sep, data) {
            let piece = &data[pos..=i];
            if rec.is_empty() {
                put(sp, piece, &mut used, &mut open)?;
            } else {
                rec.extend_from_slice(piece);
                let r = std::mem::take(&mut rec);
                put(sp, &r, &mut used, &mut open)?;
            }
            pos = i + 1;
        }
        rec.extend_from_slice(&data[pos..]);
        // Keep memory bounded: a record longer than a file is cut anyway.
        if rec.len() as u64 > n {
            let r = std::mem::take(&mut rec);
            let cut = r.len() - (r.len() as u64 % n) as usize;
            put(sp, &r[..cut], &mut used, &mut open)?;
            rec.extend_from_slice(&r[cut..]);
        }
        Ok(())
    })?;
    if !rec.is_empty() {
        // As GNU: an unterminated last record that would fill the current
        // file exactly goes to a file of its own.
        if open && used > 0 && used + rec.len() as u64 == n {
            open = false;
        }
        put(sp, &rec, &mut used, &mut open)?;
    }
    Ok(())
}

/// -n N, K/N, l/N, l/K/N over a regular file of `size` bytes.
#[allow(clippy::too_many_arguments)]
fn byte_chunks(
    sp: &mut Split,
    fd: RawFd,
    name: &[u8],
    lines: bool,
    k: u64,
    n: u64,
    size: u64,
    sep: u8,
    elide: bool,
) -> Result<(), Failed> {
    let chunk = (size / n).max(1);
    let mut data = Vec::new();
    let mut buf = vec![0u8; 128 * 1024];
    // Read it all: chunks need to look ahead for line ends.
    loop {
        match sys::read(fd, &mut buf) {
            Ok(0) => break,
            Ok(r) => data.extend_from_slice(&buf[..r]),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(read_error(name, &e)),
        }
        if data.len() as u64 >= size {
            break;
        }
    }
    let total = data.len();
    let mut start = 0usize;
    let mut out = ibex::io::Out::stdout();
    for i in 1..=n {
        let nominal = if i == n {
            total
        } else {
            (i.saturating_mul(chunk)).min(total as u64) as usize
        };
        let mut end = nominal.max(start);
        if lines && i < n && end > start {
            // Extend to the end of the line holding the nominal end.
            end = match memchr::memchr(sep, &data[end - 1..]) {
                Some(j) => end + j,
                None => total,
            };
        }
        if lines && i < n && nominal <= start {
            end = start;
        }
        let piece = &data[start..end];
        start = end;
        if k != 0 {
            if i == k {
                out.write(piece);
                if out.finish(0) != 0 {
                    return Err(Failed(1));
                }
                return Ok(());
            }
            continue;
        }
        if elide && piece.is_empty() {
            continue;
        }
        sp.open_next()?;
        sp.write(piece)?;
    }
    Ok(())
}

/// -n r/N and r/K/N: records dealt out in turn.
fn round_robin(
    sp: &mut Split,
    fd: RawFd,
    name: &[u8],
    k: u64,
    n: u64,
    sep: u8,
    elide: bool,
) -> Result<(), Failed> {
    let mut out = ibex::io::Out::stdout();
    if k != 0 {
        let mut idx = 0u64;
        ibex::records::blocks(fd, sep, |run| {
            let mut pos = 0;
            while pos < run.len() {
                let end = memchr::memchr(sep, &run[pos..]).map_or(run.len(), |i| pos + i + 1);
                if idx % n == k - 1 {
                    out.write(&run[pos..end]);
                }
                idx += 1;
                pos = end;
            }
            !out.failed()
        })
        .map_err(|e| read_error(name, &e))?;
        return if out.finish(0) == 0 {
            Ok(())
        } else {
            Err(Failed(1))
        };
    }
    // All N outputs stay open; without -e they all exist even if empty.
    let count = usize::try_from(n).unwrap_or(usize::MAX);
    let mut sinks: Vec<Option<Sink>> = Vec::new();
    if !elide {
        for _ in 0..count {
            sp.open_next()?;
            sinks.push(sp.cur.take());
        }
    }
    let mut idx = 0usize;
    let mut err: Option<Failed> = None;
    let res = ibex::records::blocks(fd, sep, |run| {
        let mut pos = 0;
        while pos < run.len() {
            let end = memchr::memchr(sep, &run[pos..]).map_or(run.len(), |i| pos + i + 1);
            let slot = idx % count;
            if sinks.len() <= slot {
                // -e: open outputs as their first record comes.
                if let Err(e) = sp.open_next() {
                    err = Some(e);
                    return false;
                }
                sinks.push(sp.cur.take());
            }
            sp.cur = sinks[slot].take();
            let r = sp.write(&run[pos..end]);
            sinks[slot] = sp.cur.take();
            if let Err(e) = r {
                err = Some(e);
                return false;
            }
            idx += 1;
            pos = end;
        }
        true
    });
    let mut status = Ok(());
    for s in sinks {
        sp.cur = s;
        if let Err(e) = sp.close()
            && status.is_ok()
        {
            status = Err(e);
        }
    }
    if let Some(e) = err {
        return Err(e);
    }
    res.map_err(|e| read_error(name, &e))?;
    status
}
