//! gzip, gunzip, zcat: compress and decompress gzip files (RFC 1952).
//! Files are replaced by their compressed (or decompressed) form, keeping
//! mode, owner and times; `-c` writes to stdout, `-k` keeps the input.
//! Status: 0, 1 on an error, 2 on a warning (when there was no error).

use ibex::Status;
use ibex::args::{Parser, Spec, flag, value};
use ibex::deflate::{self, Error, Input, Start, inflate::Window};
use ibex::sys::{self, Dir, SetTime, Stat};
use std::ffi::OsString;
use std::io;
use std::os::fd::{AsRawFd, IntoRawFd, OwnedFd, RawFd};
use std::os::unix::ffi::OsStrExt;

const LONGS: &[ibex::args::Long] = &[
    flag("stdout", 'c' as u32),
    flag("to-stdout", 'c' as u32),
    flag("decompress", 'd' as u32),
    flag("uncompress", 'd' as u32),
    flag("force", 'f' as u32),
    flag("keep", 'k' as u32),
    flag("list", 'l' as u32),
    flag("no-name", 'n' as u32),
    flag("name", 'N' as u32),
    flag("quiet", 'q' as u32),
    flag("silent", 'q' as u32),
    flag("recursive", 'r' as u32),
    value("suffix", 'S' as u32),
    flag("test", 't' as u32),
    flag("verbose", 'v' as u32),
    flag("fast", '1' as u32),
    flag("best", '9' as u32),
];

const USAGE: ibex::usage::Usage = ibex::usage!(
    gzip,
    "gzip [-cdfklnNqrtv19] [-S SUF] [FILE]...

Compress FILEs (or stdin) with DEFLATE, replacing each with FILE.gz.

\t-1..-9\tCompression level (--fast, --best; default 6)
\t-c\tWrite to stdout, keep the files
\t-d\tDecompress
\t-f\tForce: overwrite, compress links, pass non-gzip data with -dc
\t-k\tKeep the input files
\t-l\tList compressed and uncompressed sizes
\t-n\tDon't save (or restore) the name and time
\t-N\tSave (or restore) the name and time
\t-q\tNo warnings
\t-r\tRecurse into directories
\t-S SUF\tSuffix instead of .gz
\t-t\tTest integrity
\t-v\tVerbose"
);

const SPEC: Spec = Spec::new("cdfhklnNqrS:tv123456789", LONGS, USAGE);

#[derive(Default)]
struct Opts {
    decompress: bool,
    stdout: bool,
    force: bool,
    keep: bool,
    list: bool,
    /// -N (Some(true)) or -n (Some(false)).
    name: Option<bool>,
    quiet: bool,
    recursive: bool,
    test: bool,
    verbose: bool,
    level: u32,
    suffix: Vec<u8>,
}

struct Gz {
    o: Opts,
    status: i32,
    win: Window,
    listed: u32,
    total_in: u64,
    total_out: u64,
    total_payload: u64,
}

#[cfg(feature = "gzip")]
pub fn main(argv: &[OsString]) -> Status {
    run(argv, false, false)
}

#[cfg(feature = "gunzip")]
pub fn gunzip(argv: &[OsString]) -> Status {
    run(argv, true, false)
}

#[cfg(feature = "zcat")]
pub fn zcat(argv: &[OsString]) -> Status {
    run(argv, true, true)
}

fn run(argv: &[OsString], decompress: bool, to_stdout: bool) -> Status {
    let mut o = Opts {
        decompress,
        stdout: to_stdout,
        level: 6,
        suffix: b".gz".to_vec(),
        ..Opts::default()
    };
    let mut p = Parser::new(argv, &SPEC);
    while let Some((id, val)) = p.next()? {
        match char::from_u32(id).unwrap_or('\0') {
            'c' => o.stdout = true,
            'd' => o.decompress = true,
            'f' => o.force = true,
            'h' => {
                ibex::args::print_usage(&SPEC);
                return Ok(0);
            }
            'k' => o.keep = true,
            'l' => o.list = true,
            'n' => o.name = Some(false),
            'N' => o.name = Some(true),
            'q' => o.quiet = true,
            'r' => o.recursive = true,
            'S' => {
                let s = val.map(|v| v.as_bytes()).unwrap_or(b"");
                if s.is_empty() || s.contains(&b'/') {
                    ibex::msg!("invalid suffix '", s, "'");
                    return Ok(1);
                }
                o.suffix = s.to_vec();
            }
            't' => o.test = true,
            'v' => o.verbose = true,
            c @ '1'..='9' => o.level = u32::from(c as u8 - b'0'),
            _ => {}
        }
    }
    if o.test || o.list {
        o.decompress = true;
    }
    let mut files: Vec<&[u8]> = p.operands().iter().map(|a| a.as_bytes()).collect();
    if files.is_empty() {
        files.push(b"-");
    }
    let mut g = Gz {
        o,
        status: 0,
        win: Window::new(),
        listed: 0,
        total_in: 0,
        total_out: 0,
        total_payload: 0,
    };
    for f in files {
        g.file(f);
    }
    if g.o.list && g.listed > 1 {
        list_line(g.total_in, g.total_out, g.total_payload, b"(totals)");
    }
    Ok(g.status)
}

fn ratio(uncompressed: u64, compressed: u64) -> Vec<u8> {
    // Percent saved to a tenth, rounded, as " 50.0%" or "-33.3%".
    let mut tenths = 0i128;
    if uncompressed > 0 {
        let u = i128::from(uncompressed);
        let num = (u - i128::from(compressed)) * 1000;
        tenths = num / u;
        if 2 * (num % u).abs() >= u {
            tenths += num.signum();
        }
    }
    let a = tenths.unsigned_abs();
    let mut s = Vec::new();
    if tenths < 0 {
        s.push(b'-');
    }
    s.extend_from_slice((a / 10).to_string().as_bytes());
    s.push(b'.');
    s.push(b'0' + (a % 10) as u8);
    let mut out = vec![b' '; 5usize.saturating_sub(s.len())];
    out.extend_from_slice(&s);
    out.push(b'%');
    out
}

fn list_line(compressed: u64, uncompressed: u64, payload: u64, name: &[u8]) {
    let mut out = ibex::io::Out::stdout();
    out.num_width(compressed, 19);
    out.byte(b' ');
    out.num_width(uncompressed, 19);
    out.byte(b' ');
    out.write(&ratio(uncompressed, payload));
    out.byte(b' ');
    out.write(name);
    out.byte(b'\n');
    out.finish(0);
}

/// Where the output of one file goes.
enum Dest {
    Stdout,
    Null,
    File(OwnedFd),
}

impl Dest {
    fn fd(&self) -> Option<RawFd> {
        match self {
            Dest::Stdout => Some(1),
            Dest::Null => None,
            Dest::File(f) => Some(f.as_raw_fd()),
        }
    }
}

/// How processing one input failed.
enum Fail {
    Read(io::Error),
    Write(io::Error),
    Data(&'static str),
    Eof,
    NotGzip,
}

impl Gz {
    fn warn(&mut self, parts: &[&[u8]]) {
        if !self.o.quiet {
            let mut m = ibex::error::start();
            for p in parts {
                m.extend_from_slice(p);
            }
            ibex::error::emit(m);
        }
        if self.status == 0 {
            self.status = 2;
        }
    }

    fn error(&mut self, name: &[u8], what: &Fail) {
        let shown: &[u8] = if name == b"-" { b"stdin" } else { name };
        match what {
            Fail::Read(e) => ibex::error::io_error(shown, e),
            Fail::Write(e) => {
                let dest: &[u8] = if self.o.stdout || name == b"-" {
                    b"stdout"
                } else {
                    shown
                };
                ibex::error::io_error(dest, e)
            }
            Fail::Data(m) => ibex::msg!(shown, ": ", *m),
            Fail::Eof => ibex::msg!(shown, ": unexpected end of file"),
            Fail::NotGzip => ibex::msg!(shown, ": not in gzip format"),
        }
        self.status = 1;
    }

    fn file(&mut self, name: &[u8]) {
        if name == b"-" {
            self.stdin();
            return;
        }
        let follow = self.o.force || self.o.stdout;
        let flags = sys::O_RDONLY | sys::O_NOCTTY | if follow { 0 } else { sys::O_NOFOLLOW };
        let fd = match sys::open(name, flags | sys::O_NONBLOCK, 0) {
            Ok(f) => f,
            Err(e) => {
                ibex::error::io_error(name, &e);
                self.status = 1;
                return;
            }
        };
        let st = match sys::fstat(fd.as_raw_fd()) {
            Ok(s) => s,
            Err(e) => {
                ibex::error::io_error(name, &e);
                self.status = 1;
                return;
            }
        };
        if st.is_dir() {
            drop(fd);
            if self.o.recursive {
                self.tree(name);
            } else {
                self.warn(&[name, b" is a directory -- ignored"]);
            }
            return;
        }
        if !(st.is_reg() || self.o.stdout && self.o.force) {
            self.warn(&[name, b" is not a directory or a regular file - ignored"]);
            return;
        }
        let _ = sys::fcntl_getfl(fd.as_raw_fd())
            .and_then(|fl| sys::fcntl_setfl(fd.as_raw_fd(), fl & !sys::O_NONBLOCK));
        let to_file = !self.o.stdout && !self.o.test && !self.o.list;
        if to_file && st.nlink > 1 && !self.o.force {
            let n = st.nlink - 1;
            let s: &[u8] = if n == 1 { b"" } else { b"s" };
            let n = n.to_string();
            self.warn(&[
                name,
                b" has ",
                n.as_bytes(),
                b" other link",
                s,
                b" -- file ignored",
            ]);
            return;
        }
        if self.o.decompress {
            self.decompress_file(name, fd, &st, to_file);
        } else {
            self.compress_file(name, fd, &st, to_file);
        }
    }

    fn tree(&mut self, root: &[u8]) {
        let opts = ibex::walk::Options {
            sorted: true,
            ..Default::default()
        };
        let mut w = ibex::walk::Walker::new(root, opts);
        let mut files = Vec::new();
        while let Some(e) = w.next() {
            match e.visit {
                ibex::walk::Visit::File => files.push(e.path.to_vec()),
                ibex::walk::Visit::DirError(err) | ibex::walk::Visit::StatError(err) => {
                    ibex::error::io_error(e.path, err);
                    self.status = 1;
                }
                _ => {}
            }
        }
        for f in files {
            if !self.o.decompress && self.has_suffix(&f).is_some() {
                continue;
            }
            if self.o.decompress && !self.o.stdout && self.has_suffix(&f).is_none() {
                continue;
            }
            self.file(&f);
        }
    }

    /// The length of the compressed-file suffix `name` ends with.
    fn has_suffix(&self, name: &[u8]) -> Option<usize> {
        let base = ibex::path::basename(name);
        let known: [&[u8]; 8] = [
            &self.o.suffix,
            b".gz",
            b"-gz",
            b".z",
            b"-z",
            b"_z",
            b".tgz",
            b".taz",
        ];
        known
            .iter()
            .find(|s| base.len() > s.len() && base.ends_with(s))
            .map(|s| s.len())
    }

    fn stdin(&mut self) {
        if self.o.decompress {
            if !self.o.force && !self.o.list && sys::isatty(0) {
                ibex::msg!(
                    "compressed data not read from a terminal. Use -f to force decompression."
                );
                self.status = 1;
                return;
            }
            let st = sys::fstat(0).unwrap_or_default();
            self.decompress(b"-", 0, &st, Vec::new());
        } else {
            if !self.o.force && sys::isatty(1) {
                ibex::msg!(
                    "compressed data not written to a terminal. Use -f to force compression."
                );
                self.status = 1;
                return;
            }
            let st = sys::fstat(0).unwrap_or_default();
            let mtime = if st.is_reg() && self.o.name != Some(false) {
                st.mtime.sec as u32
            } else {
                0
            };
            let mut hdr = Vec::new();
            deflate::write_header(&mut hdr, None, mtime, self.o.level);
            if let Err(f) = compress_to(0, 1, hdr, self.o.level) {
                self.error(b"-", &f);
            }
        }
    }

    fn compress_file(&mut self, name: &[u8], fd: OwnedFd, st: &Stat, to_file: bool) {
        let mut out_name = name.to_vec();
        if to_file {
            if self.has_suffix(name).is_some() {
                if !self.o.recursive && !self.o.quiet {
                    ibex::msg!(
                        name,
                        " already has ",
                        &self.o.suffix[..],
                        " suffix -- unchanged"
                    );
                }
                return;
            }
            out_name.extend_from_slice(&self.o.suffix);
        } else if !self.o.force && sys::isatty(1) {
            ibex::msg!("compressed data not written to a terminal. Use -f to force compression.");
            self.status = 1;
            return;
        }
        let save = self.o.name != Some(false);
        let mut hdr = Vec::new();
        let base = ibex::path::basename(name);
        let mtime = if save {
            st.mtime.sec.clamp(0, u32::MAX as i64) as u32
        } else {
            0
        };
        deflate::write_header(&mut hdr, save.then_some(base), mtime, self.o.level);
        let dest = if to_file {
            match self.create(&out_name) {
                Some(f) => Dest::File(f),
                None => return,
            }
        } else {
            Dest::Stdout
        };
        let out_fd = dest.fd().unwrap_or(1);
        match compress_to(fd.as_raw_fd(), out_fd, hdr, self.o.level) {
            Ok((i, o)) => {
                let overhead = 18 + if save { base.len() as u64 + 1 } else { 0 };
                self.finish(
                    name,
                    &out_name,
                    dest,
                    st,
                    None,
                    i,
                    o.saturating_sub(overhead),
                );
            }
            Err(f) => {
                self.error(name, &f);
                if to_file {
                    let _ = sys::unlinkat(Dir::CWD, &out_name, 0);
                }
            }
        }
    }

    fn decompress_file(&mut self, name: &[u8], fd: OwnedFd, st: &Stat, to_file: bool) {
        let mut out_name = Vec::new();
        if to_file {
            let Some(cut) = self.has_suffix(name) else {
                // An error, worded as BusyBox does.
                self.warn(&[name, b": unknown suffix - ignored"]);
                self.status = 1;
                return;
            };
            out_name = name[..name.len() - cut].to_vec();
            if name.ends_with(b".tgz") || name.ends_with(b".taz") {
                out_name.extend_from_slice(b".tar");
            }
        }
        self.decompress(name, fd.as_raw_fd(), st, out_name);
    }

    /// Decompress (or test, or list) one input; to a new file when
    /// `out_name` is not empty.
    fn decompress(&mut self, name: &[u8], fd: RawFd, st: &Stat, mut out_name: Vec<u8>) {
        let mut inp = Input::from_fd(fd);
        let hdr = match deflate::read_header(&mut inp) {
            Ok(Start::Member(h)) => h,
            Ok(Start::End) if self.o.stdout && self.o.force => return,
            Ok(Start::End) => return self.error(name, &Fail::Eof),
            Ok(Start::NotGzip(b)) if self.o.stdout && self.o.force && !self.o.test => {
                return self.pass_through(name, &mut inp, &b);
            }
            Ok(Start::NotGzip(_)) => return self.error(name, &Fail::NotGzip),
            Err(e) => return self.error(name, &from_inflate(e)),
        };
        let hdr_len = inp.offset();
        let restore = self.o.name == Some(true);
        let to_file = !out_name.is_empty();
        if to_file
            && restore
            && let Some(n) = &hdr.name
        {
            let b = ibex::path::basename(n);
            if !b.is_empty() && b != b"." && b != b".." {
                let dir = ibex::path::dirname(name);
                out_name = if name.contains(&b'/') {
                    ibex::path::join(dir, b)
                } else {
                    b.to_vec()
                };
            }
        }
        let dest = if to_file {
            match self.create(&out_name) {
                Some(f) => Dest::File(f),
                None => return,
            }
        } else if self.o.test || self.o.list {
            Dest::Null
        } else {
            Dest::Stdout
        };
        let (o, crc, garbage) = match self.members(&mut inp, &dest) {
            Ok(r) => r,
            Err(f) => {
                self.error(name, &f);
                if to_file {
                    drop(dest);
                    let _ = sys::unlinkat(Dir::CWD, &out_name, 0);
                }
                return;
            }
        };
        let i = if st.is_reg() { st.size } else { inp.offset() };
        let payload = i.saturating_sub(hdr_len + 8);
        let shown: &[u8] = if name == b"-" { b"stdin" } else { name };
        if garbage {
            self.warn(&[shown, b": decompression OK, trailing garbage ignored"]);
        }
        if self.o.list {
            let base = match self.has_suffix(name) {
                Some(cut) if name != b"-" => &name[..name.len() - cut],
                _ if name == b"-" => b"stdout",
                _ => name,
            };
            let mut out = ibex::io::Out::stdout();
            if self.listed == 0 {
                if self.o.verbose {
                    out.str("method  crc     date  time  ");
                }
                out.str("         compressed        uncompressed  ratio uncompressed_name\n");
            }
            if self.o.verbose {
                let when = if hdr.mtime != 0 {
                    ibex::sys::Timespec {
                        sec: i64::from(hdr.mtime),
                        nsec: 0,
                    }
                } else {
                    st.mtime
                };
                out.str(&format!("defla {crc:08x} "));
                out.write(&ibex::time::format_local(b"%b %e %H:%M ", when));
            }
            out.finish(0);
            list_line(i, o, payload, base);
            self.listed += 1;
            self.total_in += i;
            self.total_out += o;
            self.total_payload += payload;
            return;
        }
        if self.o.test {
            if self.o.verbose {
                ibex::error::emit([shown, b":\t OK"].concat());
            }
            return;
        }
        let mtime = (restore && hdr.mtime != 0).then_some(i64::from(hdr.mtime));
        self.finish(name, &out_name, dest, st, mtime, o, payload);
    }

    fn pass_through(&mut self, name: &[u8], inp: &mut Input, first: &[u8]) {
        let mut buf = vec![0u8; 64 * 1024];
        let mut r = sys::write_all(1, first);
        while r.is_ok() {
            match deflate::read_raw(inp, &mut buf) {
                Ok(0) => break,
                Ok(n) => r = sys::write_all(1, &buf[..n]),
                Err(e) => return self.error(name, &Fail::Read(e)),
            }
        }
        if let Err(e) = r {
            self.error(name, &Fail::Write(e));
        }
    }

    /// Decompress the first member (its header read) and any that follow.
    /// Returns the uncompressed size and whether trailing garbage was seen.
    fn members(&mut self, inp: &mut Input, dest: &Dest) -> Result<(u64, u32, bool), Fail> {
        let fd = dest.fd();
        let mut werr: Option<io::Error> = None;
        let mut total = 0u64;
        let mut crc: u32;
        loop {
            let r = deflate::gunzip_member(inp, &mut self.win, &mut |d: &[u8]| {
                if let Some(fd) = fd
                    && let Err(e) = sys::write_all(fd, d)
                {
                    let k = e.kind();
                    werr = Some(e);
                    return Err(io::Error::from(k));
                }
                Ok(())
            });
            match r {
                Ok((n, c)) => {
                    total += n;
                    crc = c;
                }
                Err(e) => {
                    if let Some(w) = werr.take() {
                        return Err(Fail::Write(w));
                    }
                    return Err(from_inflate(e));
                }
            }
            match deflate::read_header(inp) {
                Ok(Start::Member(_)) => {}
                Ok(Start::End) => return Ok((total, crc, false)),
                Ok(Start::NotGzip(b)) => {
                    // Zero padding (tape blocks) is ignored silently.
                    let mut zeros = b.iter().all(|&x| x == 0);
                    let mut buf = [0u8; 4096];
                    while zeros {
                        match deflate::read_raw(inp, &mut buf) {
                            Ok(0) => break,
                            Ok(n) => zeros = buf[..n].iter().all(|&x| x == 0),
                            Err(e) => return Err(Fail::Read(e)),
                        }
                    }
                    return Ok((total, crc, !zeros));
                }
                Err(Error::Truncated) => return Ok((total, crc, true)),
                Err(e) => return Err(from_inflate(e)),
            }
        }
    }

    /// Create an output file, or report why not (None).
    fn create(&mut self, path: &[u8]) -> Option<OwnedFd> {
        let flags = sys::O_WRONLY | sys::O_CREAT | sys::O_EXCL | sys::O_NOFOLLOW;
        loop {
            match sys::open(path, flags, 0o600) {
                Ok(f) => return Some(f),
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                    let overwrite = self.o.force
                        || (sys::isatty(0)
                            && !self.o.quiet
                            && ibex::copy::ask(
                                &[
                                    path,
                                    b" already exists; do you wish to overwrite (y or n)? ",
                                ]
                                .concat(),
                            ));
                    if !overwrite {
                        if !sys::isatty(0) || self.o.quiet {
                            ibex::msg!("can't open '", path, "': File exists");
                            self.status = 1;
                        } else {
                            ibex::error::emit(
                                [ibex::error::applet().as_bytes(), b":\tnot overwritten"].concat(),
                            );
                            if self.status == 0 {
                                self.status = 2;
                            }
                        }
                        return None;
                    }
                    if let Err(e) = sys::unlinkat(Dir::CWD, path, 0) {
                        ibex::error::io_error(path, &e);
                        self.status = 1;
                        return None;
                    }
                }
                Err(e) => {
                    ibex::error::io_error(path, &e);
                    self.status = 1;
                    return None;
                }
            }
        }
    }

    /// Give the new file the input's metadata, remove the input (unless
    /// -k) and say so with -v.
    #[allow(clippy::too_many_arguments)]
    fn finish(
        &mut self,
        name: &[u8],
        out_name: &[u8],
        dest: Dest,
        st: &Stat,
        mtime: Option<i64>,
        uncompressed: u64,
        payload: u64,
    ) {
        let ratio = ratio(uncompressed, payload);
        let Dest::File(f) = dest else {
            if self.o.verbose {
                let mut m = [name, b":\t"].concat();
                m.extend_from_slice(&ratio);
                m.extend_from_slice(b" -- replaced with stdout");
                ibex::error::emit(m);
            }
            return;
        };
        let fd = f.as_raw_fd();
        let _ = sys::fchown(fd, st.uid, st.gid);
        let _ = sys::fchmod(fd, st.mode & 0o7777);
        let m = match mtime {
            Some(s) => ibex::sys::Timespec { sec: s, nsec: 0 },
            None => st.mtime,
        };
        let _ = sys::futimens(fd, SetTime::At(st.atime), SetTime::At(m));
        if let Err(e) = sys::close(f.into_raw_fd()) {
            ibex::error::io_error(out_name, &e);
            self.status = 1;
            let _ = sys::unlinkat(Dir::CWD, out_name, 0);
            return;
        }
        if !self.o.keep
            && let Err(e) = sys::unlinkat(Dir::CWD, name, 0)
        {
            ibex::error::io_error(name, &e);
            self.status = 1;
        }
        if self.o.verbose {
            let mut m = [name, b":\t"].concat();
            m.extend_from_slice(&ratio);
            m.extend_from_slice(if self.o.keep {
                b" -- created "
            } else {
                b" -- replaced with "
            });
            m.extend_from_slice(out_name);
            ibex::error::emit(m);
        }
    }
}

fn from_inflate(e: Error) -> Fail {
    match e {
        Error::Truncated => Fail::Eof,
        Error::Corrupt(m) => Fail::Data(m),
        Error::Io(e) => Fail::Read(e),
    }
}

/// Compress `from` into `to` after the header `hdr`; (bytes in, bytes out).
fn compress_to(from: RawFd, to: RawFd, hdr: Vec<u8>, level: u32) -> Result<(u64, u64), Fail> {
    let mut crc = 0u32;
    let mut size = 0u64;
    let mut rerr: Option<io::Error> = None;
    let mut out_len = hdr.len() as u64;
    sys::write_all(to, &hdr).map_err(Fail::Write)?;
    deflate::deflate::compress(
        level,
        &mut |b: &mut [u8]| match sys::read(from, b) {
            Ok(n) => {
                crc = deflate::crc32(crc, &b[..n]);
                size += n as u64;
                Ok(n)
            }
            Err(e) => {
                let k = e.kind();
                rerr = Some(e);
                Err(io::Error::from(k))
            }
        },
        &mut |d: &[u8]| {
            out_len += d.len() as u64;
            sys::write_all(to, d)
        },
    )
    .map_err(|e| match rerr.take() {
        Some(r) => Fail::Read(r),
        None => Fail::Write(e),
    })?;
    let mut t = [0u8; 8];
    t[..4].copy_from_slice(&crc.to_le_bytes());
    t[4..].copy_from_slice(&(size as u32).to_le_bytes());
    sys::write_all(to, &t).map_err(Fail::Write)?;
    Ok((size, out_len + 8))
}
