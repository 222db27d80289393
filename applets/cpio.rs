//! cpio: copy files into (-o) and out of (-i) archives, or between
//! directories (-p). Writes newc (the default), crc and odc; reads those
//! and the old binary format (either byte order). Hard links in newc are
//! grouped with the data on the last link; `--renumber-inodes`,
//! `--ignore-devno` and `-R` make images reproducible.

use ibex::Status;
use ibex::args::{Parser, Spec, flag, value};
use ibex::put::Put;
use ibex::sys::{self, Dir, SetTime, Stat};
use std::collections::HashMap;
use std::ffi::OsString;
use std::io;
use std::os::fd::{AsRawFd, OwnedFd, RawFd};
use std::os::unix::ffi::OsStrExt;

const NO_ABS: u32 = 256;
const RENUMBER: u32 = 257;
const IGNORE_DEVNO: u32 = 258;
const REPRODUCIBLE: u32 = 259;
const QUIET: u32 = 260;
const TO_STDOUT: u32 = 261;

const LONGS: &[ibex::args::Long] = &[
    flag("create", 'o' as u32),
    flag("extract", 'i' as u32),
    flag("pass-through", 'p' as u32),
    flag("list", 't' as u32),
    flag("verbose", 'v' as u32),
    flag("make-directories", 'd' as u32),
    flag("preserve-modification-time", 'm' as u32),
    flag("unconditional", 'u' as u32),
    flag("null", '0' as u32),
    value("format", 'H' as u32),
    value("file", 'F' as u32),
    value("directory", 'D' as u32),
    value("owner", 'R' as u32),
    flag("dereference", 'L' as u32),
    flag("link", 'l' as u32),
    flag("nonmatching", 'f' as u32),
    flag("numeric-uid-gid", 'n' as u32),
    value("pattern-file", 'E' as u32),
    flag("no-absolute-filenames", NO_ABS),
    flag("renumber-inodes", RENUMBER),
    flag("ignore-devno", IGNORE_DEVNO),
    flag("reproducible", REPRODUCIBLE),
    flag("quiet", QUIET),
    flag("to-stdout", TO_STDOUT),
];

const USAGE: ibex::usage::Usage = ibex::usage!(cpio, "cpio -o|-i|-p [-dmutv0lLfn] [-H newc|crc|odc] [-F FILE] [-D DIR] [-R USER[:GROUP]] [PATTERN]... [DIR]

Copy files into or out of a cpio archive, or between directory trees.

\t-o\tCreate an archive of the files named on stdin
\t-i\tExtract files (matching PATTERNs) from an archive on stdin
\t-t\tList the archive's contents
\t-p DIR\tCopy the files named on stdin into DIR
\t-d\tMake leading directories as needed
\t-m\tKeep the modification times
\t-u\tReplace existing files unconditionally
\t-v\tList the files processed (-tv: long listing)
\t-0\tFile names on stdin end with NUL (--null)
\t-H FMT\tArchive format: newc (default), crc, odc (bin is read too)
\t-F FILE\tArchive file instead of stdin or stdout (also -O, -I)
\t-E FILE\tRead more PATTERNs from FILE
\t-D DIR\tWork relative to DIR
\t-R U:G\tSet owner and group (--owner)
\t-L\tFollow symbolic links
\t-l\tLink instead of copying (-p)
\t-f\tSelect the files that do NOT match the PATTERNs
\t--no-absolute-filenames\tExtract absolute names relative to the directory
\t--renumber-inodes\tNumber inodes from 1 in the archive
\t--ignore-devno\tStore device numbers as 0
\t--reproducible\tBoth of the above; mtimes capped at $SOURCE_DATE_EPOCH
\t--quiet\tDon't print the block count
\t--to-stdout\tExtract file data to stdout");

const SPEC: Spec = Spec::new("oiptvdmu0H:F:O:I:D:R:E:Llfn", LONGS, USAGE).status(2);

#[derive(Clone, Copy, PartialEq, Eq)]
enum Format {
    Newc,
    Crc,
    Odc,
    Bin,
}

#[derive(Default, Clone)]
struct Entry {
    name: Vec<u8>,
    ino: u64,
    mode: u32,
    uid: u32,
    gid: u32,
    nlink: u32,
    mtime: i64,
    size: u64,
    dev_major: u32,
    dev_minor: u32,
    rdev_major: u32,
    rdev_minor: u32,
    check: u32,
}

struct Cpio {
    format: Format,
    verbose: bool,
    list: bool,
    make_dirs: bool,
    keep_mtime: bool,
    unconditional: bool,
    nonmatching: bool,
    no_abs: bool,
    renumber: bool,
    ignore_devno: bool,
    quiet: bool,
    deref: bool,
    link: bool,
    to_stdout: bool,
    owner: Option<(Option<u32>, Option<u32>)>,
    base: Dir,
    status: i32,
    /// Extraction: hard links by (dev major << 32 | dev minor, inode): the name
    /// created, or names waiting for the data.
    made: HashMap<(u64, u64), Vec<u8>>,
    waiting: Vec<((u64, u64), Entry)>,
    /// Directories whose mode and time are set at the end.
    dirs: Vec<(Vec<u8>, u32, i64)>,
    inodes: HashMap<(u64, u64), u64>,
    /// --reproducible with SOURCE_DATE_EPOCH: no mtime later than this.
    epoch: Option<i64>,
    /// Extraction: symbolic links are made at the end.
    defer_links: bool,
    /// Standard output: listings, and names extracted with -iv.
    out: ibex::io::Out,
    symlinks: Vec<(Vec<u8>, Vec<u8>, Entry)>,
}

pub fn main(argv: &[OsString]) -> Status {
    let mut c = Cpio {
        format: Format::Newc,
        verbose: false,
        list: false,
        make_dirs: false,
        keep_mtime: false,
        unconditional: false,
        nonmatching: false,
        no_abs: false,
        renumber: false,
        ignore_devno: false,
        quiet: false,
        deref: false,
        link: false,
        to_stdout: false,
        owner: None,
        base: Dir::CWD,
        status: 0,
        made: HashMap::new(),
        waiting: Vec::new(),
        dirs: Vec::new(),
        inodes: HashMap::new(),
        epoch: None,
        defer_links: false,
        out: ibex::io::Out::stdout(),
        symlinks: Vec::new(),
    };
    let mut mode = 0u8;
    let mut null = false;
    let mut file: Option<&[u8]> = None;
    let mut pattern_file = Vec::new();
    let mut dir: Option<&[u8]> = None;
    let mut p = Parser::new(argv, &SPEC);
    while let Some((id, val)) = p.next()? {
        let v = val.map(|v| v.as_bytes()).unwrap_or(b"");
        match id {
            NO_ABS => c.no_abs = true,
            RENUMBER => c.renumber = true,
            IGNORE_DEVNO => c.ignore_devno = true,
            REPRODUCIBLE => {
                c.renumber = true;
                c.ignore_devno = true;
                c.epoch = std::env::var_os("SOURCE_DATE_EPOCH")
                    .and_then(|v| v.to_str().and_then(|s| s.parse::<i64>().ok()));
            }
            QUIET => c.quiet = true,
            TO_STDOUT => c.to_stdout = true,
            _ => match char::from_u32(id).unwrap_or('\0') {
                m @ ('o' | 'i' | 'p') => {
                    if mode != 0 && mode != m as u8 {
                        ibex::msg!("only one of -o, -i, -p may be given");
                        return Ok(2);
                    }
                    mode = m as u8;
                }
                't' => c.list = true,
                'v' => c.verbose = true,
                'd' => c.make_dirs = true,
                'm' => c.keep_mtime = true,
                'u' => c.unconditional = true,
                '0' => null = true,
                'H' => {
                    c.format = match v.to_ascii_lowercase().as_slice() {
                        b"newc" => Format::Newc,
                        b"crc" => Format::Crc,
                        b"odc" => Format::Odc,
                        b"bin" => Format::Bin,
                        _ => {
                            ibex::msg!(
                                "invalid archive format '",
                                v,
                                "'; valid formats are: newc crc odc bin"
                            );
                            return Ok(2);
                        }
                    }
                }
                'F' | 'O' | 'I' => file = Some(v),
                'E' => match ibex::io::read_file(v) {
                    Ok(data) => pattern_file = data,
                    Err(e) => {
                        ibex::error::io_error(v, &e);
                        return Ok(2);
                    }
                },
                'D' => dir = Some(v),
                'R' => match parse_owner(v) {
                    Some(o) => c.owner = Some(o),
                    None => {
                        ibex::msg!("invalid owner '", v, "'");
                        return Ok(2);
                    }
                },
                'L' => c.deref = true,
                'l' => c.link = true,
                'f' => c.nonmatching = true,
                _ => {}
            },
        }
    }
    if c.list && mode == 0 {
        mode = b'i';
    }
    let mut ops: Vec<&[u8]> = p.operands().iter().map(|a| a.as_bytes()).collect();
    if mode == b'i' {
        ops.extend(
            pattern_file
                .split(|&b| b == b'\n')
                .filter(|l| !l.is_empty()),
        );
    }
    let _dir_fd: Option<OwnedFd> = match dir {
        Some(d) => match sys::open(d, sys::O_RDONLY | sys::O_DIRECTORY, 0) {
            Ok(f) => {
                c.base = Dir::of(&f);
                Some(f)
            }
            Err(e) => {
                ibex::msg!(d, ": Cannot change directory: ", e);
                return Ok(2);
            }
        },
        None => None,
    };
    match mode {
        b'o' => {
            if !ops.is_empty() {
                let e = ibex::args::usage_error(&SPEC, &[b"too many arguments"]);
                return Ok(e.0);
            }
            let out = match file {
                Some(f) => match sys::open(f, sys::O_WRONLY | sys::O_CREAT | sys::O_TRUNC, 0o666) {
                    Ok(fd) => Some(fd),
                    Err(e) => {
                        ibex::error::io_error(f, &e);
                        return Ok(2);
                    }
                },
                None => None,
            };
            let fd = out.as_ref().map_or(1, |f| f.as_raw_fd());
            c.create(null, fd);
        }
        b'i' => {
            let input = match file {
                Some(f) => match sys::open(f, sys::O_RDONLY, 0) {
                    Ok(fd) => Some(fd),
                    Err(e) => {
                        ibex::error::io_error(f, &e);
                        return Ok(2);
                    }
                },
                None => None,
            };
            let fd = input.as_ref().map_or(0, |f| f.as_raw_fd());
            c.extract(fd, &ops);
        }
        b'p' => {
            let [d] = ops[..] else {
                let e = ibex::args::usage_error(&SPEC, &[b"-p needs exactly one directory"]);
                return Ok(e.0);
            };
            c.pass(null, d);
        }
        _ => {
            let e = ibex::args::usage_error(&SPEC, &[b"you must specify one of -oipt options"]);
            return Ok(e.0);
        }
    }
    Ok(c.status)
}

/// `USER`, `USER:GROUP`, `USER:` (the user's group), `:GROUP`; `.` may
/// stand for `:`.
fn parse_owner(s: &[u8]) -> Option<(Option<u32>, Option<u32>)> {
    let sep = s.iter().position(|&b| b == b':').or_else(|| {
        ibex::users::user_by_name(s)
            .is_none()
            .then(|| s.iter().position(|&b| b == b'.'))
            .flatten()
    });
    let (u, g) = match sep {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    };
    let uid = if u.is_empty() {
        None
    } else {
        Some(ibex::users::resolve_uid(u)?)
    };
    let gid = match g {
        None => None,
        Some([]) => Some(ibex::users::user_by_name(u).map(|x| x.gid).or(uid)?),
        Some(g) => Some(ibex::users::resolve_gid(g)?),
    };
    if uid.is_none() && gid.is_none() {
        return None;
    }
    Some((uid, gid))
}

fn blocks_message(bytes: u64) {
    let n = bytes.div_ceil(512);
    let mut m = Vec::new();
    m.u(n).s(" blocks\n");
    let _ = sys::write_all(2, &m);
}

// ---------------------------------------------------------------- reading

struct Reader {
    fd: RawFd,
    buf: Vec<u8>,
    pos: usize,
    end: usize,
    total: u64,
    /// Sum of the data bytes taken (the crc format's checksum).
    sum: u32,
}

impl Reader {
    fn fill(&mut self) -> io::Result<bool> {
        if self.pos < self.end {
            return Ok(true);
        }
        self.pos = 0;
        self.end = 0;
        loop {
            match sys::read(self.fd, &mut self.buf) {
                Ok(n) => {
                    self.end = n;
                    return Ok(n > 0);
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
    }

    /// Fill `out` completely; false if the input ended first.
    fn exact(&mut self, out: &mut [u8]) -> io::Result<bool> {
        let mut n = 0;
        while n < out.len() {
            if !self.fill()? {
                return Ok(false);
            }
            let k = (out.len() - n).min(self.end - self.pos);
            out[n..n + k].copy_from_slice(&self.buf[self.pos..self.pos + k]);
            self.pos += k;
            n += k;
        }
        self.total += n as u64;
        Ok(true)
    }

    /// Pass `n` bytes to `f` in pieces; false if the input ended first.
    fn take(&mut self, mut n: u64, f: &mut dyn FnMut(&[u8]) -> io::Result<()>) -> io::Result<bool> {
        while n > 0 {
            if !self.fill()? {
                return Ok(false);
            }
            let k = (self.end - self.pos).min(n.min(usize::MAX as u64) as usize);
            let piece = &self.buf[self.pos..self.pos + k];
            self.sum = piece
                .iter()
                .fold(self.sum, |s, &b| s.wrapping_add(u32::from(b)));
            f(piece)?;
            self.pos += k;
            self.total += k as u64;
            n -= k as u64;
        }
        Ok(true)
    }

    fn skip(&mut self, n: u64) -> io::Result<bool> {
        self.take(n, &mut |_| Ok(()))
    }
}

fn hex(b: &[u8]) -> Option<u64> {
    let s = std::str::from_utf8(b).ok()?;
    u64::from_str_radix(s, 16).ok()
}

fn octal(b: &[u8]) -> Option<u64> {
    let s = std::str::from_utf8(b).ok()?;
    u64::from_str_radix(s, 8).ok()
}

enum Header {
    Entry(Entry, Format),
    End,
    Bad(&'static str),
}

fn pad(n: u64, to: u64) -> u64 {
    (to - n % to) % to
}

fn read_header(r: &mut Reader) -> io::Result<Header> {
    let mut m = [0u8; 6];
    if !r.exact(&mut m[..2])? {
        return Ok(Header::End);
    }
    let mut e = Entry::default();
    let (fmt, namesize) = if m[..2] == [0xc7, 0x71] || m[..2] == [0x71, 0xc7] {
        let le = m[0] == 0xc7;
        let mut h = [0u8; 24];
        if !r.exact(&mut h)? {
            return Ok(Header::End);
        }
        let w = |i: usize| {
            let b = [h[2 * i], h[2 * i + 1]];
            u64::from(if le {
                u16::from_le_bytes(b)
            } else {
                u16::from_be_bytes(b)
            })
        };
        e.dev_major = w(0) as u32 >> 8;
        e.dev_minor = w(0) as u32 & 0xff;
        e.ino = w(1);
        e.mode = w(2) as u32;
        e.uid = w(3) as u32;
        e.gid = w(4) as u32;
        e.nlink = w(5) as u32;
        e.rdev_major = w(6) as u32 >> 8;
        e.rdev_minor = w(6) as u32 & 0xff;
        e.mtime = (w(7) << 16 | w(8)) as i64;
        e.size = w(10) << 16 | w(11);
        (Format::Bin, w(9))
    } else {
        if !r.exact(&mut m[2..])? {
            return Ok(Header::End);
        }
        match &m {
            b"070701" | b"070702" => {
                let mut h = [0u8; 104];
                if !r.exact(&mut h)? {
                    return Ok(Header::End);
                }
                let mut f = [0u64; 13];
                for (i, v) in f.iter_mut().enumerate() {
                    match hex(&h[8 * i..8 * i + 8]) {
                        Some(x) => *v = x,
                        None => return Ok(Header::Bad("invalid header: bad number")),
                    }
                }
                e.ino = f[0];
                e.mode = f[1] as u32;
                e.uid = f[2] as u32;
                e.gid = f[3] as u32;
                e.nlink = f[4] as u32;
                e.mtime = f[5] as i64;
                e.size = f[6];
                e.dev_major = f[7] as u32;
                e.dev_minor = f[8] as u32;
                e.rdev_major = f[9] as u32;
                e.rdev_minor = f[10] as u32;
                e.check = f[12] as u32;
                let fmt = if m[5] == b'2' {
                    Format::Crc
                } else {
                    Format::Newc
                };
                (fmt, f[11])
            }
            b"070707" => {
                let mut h = [0u8; 70];
                if !r.exact(&mut h)? {
                    return Ok(Header::End);
                }
                let widths = [6, 6, 6, 6, 6, 6, 6, 11, 6, 11];
                let mut f = [0u64; 10];
                let mut at = 0;
                for (i, &w) in widths.iter().enumerate() {
                    match octal(&h[at..at + w]) {
                        Some(x) => f[i] = x,
                        None => return Ok(Header::Bad("invalid header: bad number")),
                    }
                    at += w;
                }
                e.dev_major = sys::major(f[0]);
                e.dev_minor = sys::minor(f[0]);
                e.ino = f[1];
                e.mode = f[2] as u32;
                e.uid = f[3] as u32;
                e.gid = f[4] as u32;
                e.nlink = f[5] as u32;
                e.rdev_major = sys::major(f[6]);
                e.rdev_minor = sys::minor(f[6]);
                e.mtime = f[7] as i64;
                e.size = f[9];
                (Format::Odc, f[8])
            }
            _ => return Ok(Header::Bad("unrecognized archive format")),
        }
    };
    if namesize == 0 || namesize > 65536 {
        return Ok(Header::Bad("invalid header: bad name size"));
    }
    let mut name = vec![0u8; namesize as usize];
    if !r.exact(&mut name)? {
        return Ok(Header::End);
    }
    let skip = match fmt {
        Format::Newc | Format::Crc => pad(110 + namesize, 4),
        Format::Bin => namesize % 2,
        Format::Odc => 0,
    };
    if !r.skip(skip)? {
        return Ok(Header::End);
    }
    if name.last() == Some(&0) {
        name.pop();
    }
    e.name = name;
    Ok(Header::Entry(e, fmt))
}

fn data_pad(fmt: Format, size: u64) -> u64 {
    match fmt {
        Format::Newc | Format::Crc => pad(size, 4),
        Format::Bin => size % 2,
        Format::Odc => 0,
    }
}

// ---------------------------------------------------------------- listing

/// BusyBox's `-tv` line: mode, numeric owner, size, local date and time.
fn list_line(e: &Entry, target: &[u8], out: &mut ibex::io::Out) {
    let mut l = Vec::with_capacity(80);
    l.extend_from_slice(&ibex::mode::mode_string(e.mode));
    l.c(b' ').u(u64::from(e.uid)).c(b'/').u(u64::from(e.gid));
    l.c(b' ').u_right(e.size, 9);
    let t = sys::Timespec {
        sec: e.mtime,
        nsec: 0,
    };
    l.c(b' ')
        .b(&ibex::time::format_local(b"%Y-%m-%d %H:%M:%S", t))
        .c(b' ')
        .b(&e.name);
    if e.mode & sys::S_IFMT == sys::S_IFLNK {
        l.s(" -> ").b(target);
    }
    l.push(b'\n');
    out.write(&l);
}

// ---------------------------------------------------------------- writing

/// `n` in base `radix` (upper-case digits), padded to `width` with `fill`.
fn num(out: &mut Vec<u8>, mut n: u64, width: usize, radix: u64, fill: u8) {
    let mut d = [0u8; 24];
    let mut i = d.len();
    loop {
        i -= 1;
        d[i] = b"0123456789ABCDEF"[(n % radix) as usize];
        n /= radix;
        if n == 0 {
            break;
        }
    }
    let digits = &d[i..];
    out.resize(out.len() + width.saturating_sub(digits.len()), fill);
    out.extend_from_slice(digits);
}

fn header(fmt: Format, e: &Entry, out: &mut Vec<u8>) {
    let namesize = e.name.len() as u64 + 1;
    match fmt {
        Format::Newc | Format::Crc | Format::Bin => {
            let magic = if fmt == Format::Crc {
                "070702"
            } else {
                "070701"
            };
            let fields = [
                e.ino,
                u64::from(e.mode),
                u64::from(e.uid),
                u64::from(e.gid),
                u64::from(e.nlink),
                e.mtime.clamp(0, u32::MAX as i64) as u64,
                e.size,
                u64::from(e.dev_major),
                u64::from(e.dev_minor),
                u64::from(e.rdev_major),
                u64::from(e.rdev_minor),
                namesize,
                u64::from(e.check),
            ];
            out.extend_from_slice(magic.as_bytes());
            for f in fields {
                num(out, f & 0xffff_ffff, 8, 16, b'0');
            }
            out.extend_from_slice(&e.name);
            out.push(0);
            out.resize(out.len() + pad(110 + namesize, 4) as usize, 0);
        }
        Format::Odc => {
            let dev = sys::makedev(e.dev_major, e.dev_minor);
            let rdev = sys::makedev(e.rdev_major, e.rdev_minor);
            out.extend_from_slice(b"070707");
            for v in [
                dev,
                e.ino,
                u64::from(e.mode),
                u64::from(e.uid),
                u64::from(e.gid),
                u64::from(e.nlink),
                rdev,
            ] {
                num(out, v & 0o777777, 6, 8, b'0');
            }
            num(out, e.mtime.max(0) as u64 & 0o777_7777_7777, 11, 8, b'0');
            num(out, namesize & 0o777777, 6, 8, b'0');
            num(out, e.size & 0o777_7777_7777, 11, 8, b'0');
            out.extend_from_slice(&e.name);
            out.push(0);
        }
    }
}

/// Hard links being collected: device, inode, (entry, path) so far.
type Group = (u64, u64, Vec<(Entry, Vec<u8>)>);

struct Writer {
    fd: RawFd,
    buf: Vec<u8>,
    total: u64,
    err: Option<io::Error>,
}

impl Writer {
    fn put(&mut self, d: &[u8]) {
        self.buf.extend_from_slice(d);
        self.total += d.len() as u64;
        if self.buf.len() >= 64 * 1024 {
            self.flush();
        }
    }
    fn flush(&mut self) {
        if self.err.is_none()
            && let Err(e) = sys::write_all(self.fd, &self.buf)
        {
            self.err = Some(e);
        }
        self.buf.clear();
    }
}

impl Cpio {
    /// -v: the name handled, on stdout when extracting (as BusyBox), else
    /// on stderr (as GNU).
    fn said(&mut self, name: &[u8]) {
        if self.defer_links {
            self.out.write(name);
            self.out.byte(b'\n');
        } else {
            ibex::error::emit(name.to_vec());
        }
    }

    fn fail(&mut self, name: &[u8], what: &[u8], e: &io::Error) {
        ibex::msg!(name, ": ", what, ": ", e);
        self.status = 2;
    }

    fn names(&mut self, null: bool, mut f: impl FnMut(&mut Cpio, &[u8])) {
        let mut lr = ibex::io::LineReader::with_delim(0, if null { 0 } else { b'\n' });
        loop {
            match lr.next_line() {
                Ok(Some(l)) => {
                    let l = l
                        .strip_suffix(if null { b"\0" } else { b"\n" })
                        .unwrap_or(l);
                    if !l.is_empty() {
                        f(self, l);
                    }
                }
                Ok(None) => break,
                Err(e) => {
                    ibex::error::io_error("stdin", &e);
                    self.status = 2;
                    break;
                }
            }
        }
    }

    /// The archive entry describing a file on disk.
    fn entry_of(&mut self, name: &[u8], st: &Stat) -> Entry {
        let ino = if self.renumber {
            let next = self.inodes.len() as u64 + 1;
            *self.inodes.entry((st.dev, st.ino)).or_insert(next)
        } else {
            st.ino
        };
        let (dmaj, dmin) = if self.ignore_devno {
            (0, 0)
        } else {
            (sys::major(st.dev), sys::minor(st.dev))
        };
        let mut uid = st.uid;
        let mut gid = st.gid;
        if let Some((u, g)) = self.owner {
            uid = u.unwrap_or(uid);
            gid = g.unwrap_or(gid);
        }
        let kind = st.kind();
        let mtime = match self.epoch {
            Some(t) => st.mtime.sec.min(t),
            None => st.mtime.sec,
        };
        Entry {
            name: name.to_vec(),
            ino,
            mode: st.mode,
            uid,
            gid,
            nlink: st.nlink as u32,
            mtime,
            size: if kind == sys::S_IFREG || kind == sys::S_IFLNK {
                st.size
            } else {
                0
            },
            dev_major: dmaj,
            dev_minor: dmin,
            rdev_major: if kind == sys::S_IFCHR || kind == sys::S_IFBLK {
                sys::major(st.rdev)
            } else {
                0
            },
            rdev_minor: if kind == sys::S_IFCHR || kind == sys::S_IFBLK {
                sys::minor(st.rdev)
            } else {
                0
            },
            check: 0,
        }
    }

    fn create(&mut self, null: bool, fd: RawFd) {
        let mut w = Writer {
            fd,
            buf: Vec::with_capacity(128 * 1024),
            total: 0,
            err: None,
        };
        let mut groups: Vec<Group> = Vec::new();
        let fmt = self.format;
        self.names(null, |c, name| {
            let flags = if c.deref { 0 } else { sys::AT_SYMLINK_NOFOLLOW };
            let st = match sys::fstatat(c.base, name, flags) {
                Ok(s) => s,
                Err(e) => return c.fail(name, b"Cannot stat", &e),
            };
            let mut shown = name;
            while shown.len() > 2 && shown.starts_with(b"./") {
                shown = &shown[2..];
            }
            let e = c.entry_of(shown, &st);
            if c.verbose {
                ibex::error::emit(name.to_vec());
            }
            if st.is_reg() && st.nlink > 1 && matches!(fmt, Format::Newc | Format::Crc) {
                let i = match groups.iter().position(|g| g.0 == st.dev && g.1 == st.ino) {
                    Some(i) => i,
                    None => {
                        groups.push((st.dev, st.ino, Vec::new()));
                        groups.len() - 1
                    }
                };
                groups[i].2.push((e, name.to_vec()));
                if groups[i].2.len() as u64 >= st.nlink {
                    let g = groups.remove(i);
                    c.write_group(&mut w, g.2);
                }
                return;
            }
            c.write_entry(&mut w, e, name);
        });
        for g in std::mem::take(&mut groups) {
            self.write_group(&mut w, g.2);
        }
        let trailer = Entry {
            name: b"TRAILER!!!".to_vec(),
            nlink: 1,
            ..Entry::default()
        };
        let mut h = Vec::new();
        header(fmt, &trailer, &mut h);
        w.put(&h);
        let padding = pad(w.total, 512);
        w.put(&vec![0u8; padding as usize]);
        w.flush();
        if let Some(e) = w.err.take() {
            ibex::msg!("write error: ", e);
            self.status = 2;
        }
        if !self.quiet {
            blocks_message(w.total);
        }
    }

    /// Hard links: every name but the last with no data.
    fn write_group(&mut self, w: &mut Writer, mut g: Vec<(Entry, Vec<u8>)>) {
        let n = g.len();
        for (i, (mut e, path)) in g.drain(..).enumerate() {
            if i + 1 < n {
                e.size = 0;
            }
            self.write_entry(w, e, &path);
        }
    }

    fn write_entry(&mut self, w: &mut Writer, mut e: Entry, path: &[u8]) {
        let kind = e.mode & sys::S_IFMT;
        let mut data: Vec<u8> = Vec::new();
        let mut file: Option<OwnedFd> = None;
        if kind == sys::S_IFLNK && !self.deref {
            match sys::readlinkat(self.base, path) {
                Ok(t) => {
                    e.size = t.len() as u64;
                    data = t;
                }
                Err(err) => return self.fail(path, b"Cannot read link", &err),
            }
        } else if kind == sys::S_IFREG && e.size > 0 {
            match sys::openat(self.base, path, sys::O_RDONLY | sys::O_NOCTTY, 0) {
                Ok(f) => file = Some(f),
                Err(err) => return self.fail(path, b"Cannot open", &err),
            }
        }
        if self.format == Format::Crc
            && let Some(f) = &file
        {
            let mut sum = 0u32;
            let r = copy_exact(f.as_raw_fd(), e.size, &mut |d| {
                sum = d.iter().fold(sum, |s, &b| s.wrapping_add(u32::from(b)));
            });
            if r.is_err() || sys::lseek(f.as_raw_fd(), 0, sys::SEEK_SET).is_err() {
                sum = 0;
            }
            e.check = sum;
        }
        let mut h = Vec::with_capacity(256);
        header(self.format, &e, &mut h);
        w.put(&h);
        if let Some(f) = file {
            let mut done = 0u64;
            let r = copy_exact(f.as_raw_fd(), e.size, &mut |d| {
                done += d.len() as u64;
                w.put(d);
            });
            let missing = e.size - done;
            match r {
                Err(err) => self.fail(path, b"Read error", &err),
                Ok(_) if missing > 0 => {
                    ibex::msg!(
                        path,
                        ": File shrank by ",
                        missing,
                        " bytes; padding with zeros"
                    );
                    self.status = 2;
                }
                Ok(_) => {}
            }
            // The header promised `size` bytes: keep the archive readable.
            let zeros = [0u8; 4096];
            let mut left = missing;
            while left > 0 {
                let k = left.min(zeros.len() as u64) as usize;
                w.put(&zeros[..k]);
                left -= k as u64;
            }
        } else {
            w.put(&data);
        }
        let p = data_pad(self.format, e.size);
        w.put(&[0u8; 4][..p as usize]);
    }
}

/// Read exactly `size` bytes of `fd` (less if it ends first) into `f`;
/// how many bytes were missing.
fn copy_exact(fd: RawFd, size: u64, f: &mut dyn FnMut(&[u8])) -> io::Result<u64> {
    let mut buf = vec![0u8; (size.min(128 * 1024) as usize).max(1)];
    let mut left = size;
    while left > 0 {
        let want = left.min(buf.len() as u64) as usize;
        let n = match sys::read(fd, &mut buf[..want]) {
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if n == 0 {
            break;
        }
        f(&buf[..n]);
        left -= n as u64;
    }
    Ok(left)
}

// ---------------------------------------------------------------- extracting

/// Where an extracted file's data comes from.
enum Source<'a> {
    Archive(&'a mut Reader),
    File(RawFd),
}

impl Source<'_> {
    /// Send `size` bytes to `f`; Ok(false) when the archive ended early.
    fn copy(&mut self, size: u64, f: &mut dyn FnMut(&[u8]) -> io::Result<()>) -> io::Result<bool> {
        match self {
            Source::Archive(r) => r.take(size, f),
            Source::File(fd) => {
                let mut err = None;
                let short = copy_exact(*fd, size, &mut |d| {
                    if err.is_none()
                        && let Err(e) = f(d)
                    {
                        err = Some(e);
                    }
                })?;
                if let Some(e) = err {
                    return Err(e);
                }
                Ok(short == 0)
            }
        }
    }

    fn read_all(&mut self, size: u64) -> io::Result<Option<Vec<u8>>> {
        let mut v = Vec::new();
        let ok = self.copy(size, &mut |d| {
            v.extend_from_slice(d);
            Ok(())
        })?;
        Ok(ok.then_some(v))
    }
}

fn has_dotdot(name: &[u8]) -> bool {
    name.split(|&b| b == b'/').any(|c| c == b"..")
}

impl Cpio {
    fn selected(&self, name: &[u8], patterns: &[&[u8]]) -> bool {
        if patterns.is_empty() {
            return true;
        }
        let flags = ibex::fnmatch::Flags::default();
        let m = patterns
            .iter()
            .any(|p| ibex::fnmatch::fnmatch(p, name, flags));
        m != self.nonmatching
    }

    fn extract(&mut self, fd: RawFd, patterns: &[&[u8]]) {
        self.defer_links = true;
        let mut r = Reader {
            fd,
            buf: vec![0; 128 * 1024],
            pos: 0,
            end: 0,
            total: 0,
            sum: 0,
        };
        let mut damaged = false;
        loop {
            let (mut e, fmt) = match read_header(&mut r) {
                Ok(Header::Entry(e, f)) => (e, f),
                Ok(Header::End) => {
                    ibex::msg!("premature end of archive");
                    self.status = 2;
                    damaged = true;
                    break;
                }
                Ok(Header::Bad(m)) => {
                    ibex::msg!(m);
                    self.status = 2;
                    damaged = true;
                    break;
                }
                Err(err) => {
                    ibex::error::io_error("read error", &err);
                    self.status = 2;
                    damaged = true;
                    break;
                }
            };
            if e.name == b"TRAILER!!!" {
                break;
            }
            let padding = data_pad(fmt, e.size);
            let chosen = self.selected(&e.name, patterns);
            let ok = if !chosen {
                r.skip(e.size).unwrap_or(false)
            } else if self.list {
                let target = if e.mode & sys::S_IFMT == sys::S_IFLNK && self.verbose {
                    match Source::Archive(&mut r).read_all(e.size) {
                        Ok(Some(t)) => Some(t),
                        _ => None,
                    }
                } else {
                    r.skip(e.size).ok().filter(|&b| b).map(|_| Vec::new())
                };
                match target {
                    Some(t) => {
                        if self.verbose {
                            if let Some((u, g)) = self.owner {
                                e.uid = u.unwrap_or(e.uid);
                                e.gid = g.unwrap_or(e.gid);
                            }
                            list_line(&e, &t, &mut self.out);
                        } else {
                            self.out.write(&e.name);
                            self.out.byte(b'\n');
                        }
                        true
                    }
                    None => false,
                }
            } else if self.to_stdout {
                let kind = e.mode & sys::S_IFMT;
                if kind == sys::S_IFREG {
                    self.out.flush();
                    r.take(e.size, &mut |d| sys::write_all(1, d))
                        .unwrap_or(false)
                } else {
                    r.skip(e.size).unwrap_or(false)
                }
            } else {
                if self.no_abs {
                    let trimmed = e.name.iter().take_while(|&&b| b == b'/').count();
                    e.name.drain(..trimmed);
                    if e.name.is_empty() {
                        e.name = b".".to_vec();
                    }
                }
                let name = e.name.clone();
                if has_dotdot(&name) {
                    ibex::msg!(&name[..], ": refusing a name with '..'");
                    self.status = 2;
                    r.skip(e.size).unwrap_or(false)
                } else {
                    r.sum = 0;
                    let ok = self.place(&name, &e, Source::Archive(&mut r));
                    let reg = e.mode & sys::S_IFMT == sys::S_IFREG;
                    if ok && fmt == Format::Crc && reg && e.size > 0 && r.sum != e.check {
                        let mut m = Vec::new();
                        m.s("checksum error (0x").hex(u64::from(r.sum), 0);
                        m.s(", should be 0x").hex(u64::from(e.check), 0).c(b')');
                        ibex::msg!(&name[..], ": ", &m[..]);
                        self.status = 2;
                    }
                    ok
                }
            };
            if !ok || !r.skip(padding).unwrap_or(false) {
                ibex::msg!("premature end of archive");
                self.status = 2;
                damaged = true;
                break;
            }
        }
        self.finish_links();
        for (path, target, e) in std::mem::take(&mut self.symlinks) {
            if self.replace_existing(&path, &e) {
                self.make_symlink(&path, &target, &e);
            }
        }
        self.finish_dirs();
        self.out.flush();
        // A damaged archive ends without the count, as GNU cpio does.
        if !self.quiet && !damaged {
            blocks_message(r.total);
        }
    }

    /// Extracted hard links whose data never came: one empty file, the
    /// other names linked to it.
    fn finish_links(&mut self) {
        for (_, mut e) in std::mem::take(&mut self.waiting) {
            e.size = 0;
            let name = e.name.clone();
            self.place(&name, &e, Source::File(-1));
        }
    }

    fn finish_dirs(&mut self) {
        for (path, mode, mtime) in std::mem::take(&mut self.dirs).into_iter().rev() {
            let _ = sys::fchmodat(self.base, &path, mode & 0o7777);
            if self.keep_mtime {
                let t = sys::Timespec {
                    sec: mtime,
                    nsec: 0,
                };
                let _ = sys::utimensat(self.base, &path, SetTime::At(t), SetTime::At(t), 0);
            }
        }
    }

    fn make_parents(&mut self, path: &[u8]) {
        let mut i = 0;
        while let Some(k) = path[i..].iter().position(|&b| b == b'/') {
            let end = i + k;
            i = end + 1;
            if end == 0 {
                continue;
            }
            let _ = sys::mkdirat(self.base, &path[..end], 0o777);
        }
    }

    /// Create `path` as described by `e`, with data from `src`. Returns
    /// false only when the archive ended early (so reading must stop).
    fn place(&mut self, path: &[u8], e: &Entry, mut src: Source) -> bool {
        let kind = e.mode & sys::S_IFMT;
        if self.make_dirs {
            self.make_parents(path);
        }
        let key = (
            (u64::from(e.dev_major) << 32) | u64::from(e.dev_minor),
            e.ino,
        );
        let linkable = kind == sys::S_IFREG && e.nlink > 1;
        if linkable && let Some(first) = self.made.get(&key).cloned() {
            if self.replace_existing(path, e) {
                match sys::linkat(self.base, &first, self.base, path, 0) {
                    Ok(()) => {
                        if self.verbose {
                            self.said(path);
                        }
                    }
                    Err(err) => {
                        let mut what = b"Cannot link to ".to_vec();
                        what.extend_from_slice(&first);
                        self.fail(path, &what, &err);
                    }
                }
            }
            return src.copy(e.size, &mut |_| Ok(())).unwrap_or(false);
        }
        if linkable && e.size == 0 && matches!(src, Source::Archive(_)) && e.nlink > 1 {
            let mut w = e.clone();
            w.name = path.to_vec();
            self.waiting.push((key, w));
            return true;
        }
        if !self.replace_existing(path, e) {
            return src.copy(e.size, &mut |_| Ok(())).unwrap_or(false);
        }
        let mut ok = true;
        let created = match kind {
            sys::S_IFDIR => {
                match sys::mkdirat(self.base, path, 0o700) {
                    Ok(()) => {}
                    Err(err) if err.kind() == io::ErrorKind::AlreadyExists => {}
                    Err(err) => {
                        self.fail(path, b"Cannot mkdir", &err);
                        return src.copy(e.size, &mut |_| Ok(())).unwrap_or(false);
                    }
                }
                self.dirs.push((path.to_vec(), e.mode, e.mtime));
                ok = src.copy(e.size, &mut |_| Ok(())).unwrap_or(false);
                false
            }
            sys::S_IFLNK => {
                let target = match src.read_all(e.size) {
                    Ok(Some(t)) => t,
                    _ => return false,
                };
                if self.defer_links {
                    // Made last, so no later entry can be written through
                    // a link the archive itself planted.
                    self.symlinks.push((path.to_vec(), target, e.clone()));
                    if self.verbose {
                        self.said(path);
                    }
                    return true;
                }
                self.make_symlink(path, &target, e);
                false
            }
            sys::S_IFREG => {
                let flags = sys::O_WRONLY | sys::O_CREAT | sys::O_EXCL | sys::O_NOFOLLOW;
                match sys::openat(self.base, path, flags, 0o600) {
                    Ok(f) => {
                        let fd = f.as_raw_fd();
                        let mut werr = None;
                        ok = src
                            .copy(e.size, &mut |d| {
                                if werr.is_none()
                                    && let Err(x) = sys::write_all(fd, d)
                                {
                                    werr = Some(x);
                                }
                                Ok(())
                            })
                            .unwrap_or(false);
                        if let Some(err) = werr {
                            self.fail(path, b"Write error", &err);
                        }
                        self.attrs_fd(fd, e);
                        if linkable {
                            self.made.insert(key, path.to_vec());
                            self.link_waiting(key, path);
                        }
                        true
                    }
                    Err(err) => {
                        self.fail(path, b"Cannot open", &err);
                        return src.copy(e.size, &mut |_| Ok(())).unwrap_or(false);
                    }
                }
            }
            _ => {
                let dev = sys::makedev(e.rdev_major, e.rdev_minor);
                match sys::mknodat(self.base, path, e.mode & (sys::S_IFMT | 0o777), dev) {
                    Ok(()) => {
                        let (u, g) = self.owner_of(e);
                        if let Some((u, g)) = u.zip(g) {
                            let _ = sys::fchownat(self.base, path, u, g, sys::AT_SYMLINK_NOFOLLOW);
                        }
                        let _ = sys::fchmodat(self.base, path, e.mode & 0o7777);
                        self.set_time(path, e);
                    }
                    Err(err) => self.fail(path, b"Cannot mknod", &err),
                }
                ok = src.copy(e.size, &mut |_| Ok(())).unwrap_or(false);
                false
            }
        };
        let _ = created;
        if self.verbose {
            self.said(path);
        }
        ok
    }

    fn make_symlink(&mut self, path: &[u8], target: &[u8], e: &Entry) {
        match sys::symlinkat(target, self.base, path) {
            Ok(()) => {
                let (u, g) = self.owner_of(e);
                if let Some((u, g)) = u.zip(g) {
                    let _ = sys::fchownat(self.base, path, u, g, sys::AT_SYMLINK_NOFOLLOW);
                }
                self.set_time(path, e);
            }
            Err(err) => {
                let mut what = b"Cannot symlink to '".to_vec();
                what.b(target).c(b'\'');
                self.fail(path, &what, &err);
            }
        }
    }

    fn owner_of(&self, e: &Entry) -> (Option<u32>, Option<u32>) {
        match self.owner {
            Some((u, g)) => (Some(u.unwrap_or(e.uid)), Some(g.unwrap_or(e.gid))),
            None if sys::geteuid() == 0 => (Some(e.uid), Some(e.gid)),
            None => (None, None),
        }
    }

    fn attrs_fd(&mut self, fd: RawFd, e: &Entry) {
        let (u, g) = self.owner_of(e);
        if let Some((u, g)) = u.zip(g) {
            let _ = sys::fchown(fd, u, g);
        }
        let _ = sys::fchmod(fd, e.mode & 0o7777);
        if self.keep_mtime {
            let t = sys::Timespec {
                sec: e.mtime,
                nsec: 0,
            };
            let _ = sys::futimens(fd, SetTime::At(t), SetTime::At(t));
        }
    }

    fn set_time(&self, path: &[u8], e: &Entry) {
        if self.keep_mtime {
            let t = sys::Timespec {
                sec: e.mtime,
                nsec: 0,
            };
            let _ = sys::utimensat(
                self.base,
                path,
                SetTime::At(t),
                SetTime::At(t),
                sys::AT_SYMLINK_NOFOLLOW,
            );
        }
    }

    /// Link the names that waited for this hard link's data.
    fn link_waiting(&mut self, key: (u64, u64), first: &[u8]) {
        let (now, later): (Vec<_>, Vec<_>) = std::mem::take(&mut self.waiting)
            .into_iter()
            .partition(|(k, _)| *k == key);
        self.waiting = later;
        for (_, w) in now {
            if !self.replace_existing(&w.name, &w) {
                continue;
            }
            match sys::linkat(self.base, first, self.base, &w.name, 0) {
                Ok(()) => {
                    if self.verbose {
                        self.said(&w.name);
                    }
                }
                Err(err) => {
                    let mut what = b"Cannot link to ".to_vec();
                    what.extend_from_slice(first);
                    self.fail(&w.name, &what, &err);
                }
            }
        }
    }

    /// Make room for `path`: false when an existing file is kept.
    fn replace_existing(&mut self, path: &[u8], e: &Entry) -> bool {
        let Ok(st) = sys::fstatat(self.base, path, sys::AT_SYMLINK_NOFOLLOW) else {
            return true;
        };
        let kind = e.mode & sys::S_IFMT;
        if st.is_dir() && kind == sys::S_IFDIR {
            return true;
        }
        if !self.unconditional && st.mtime.sec >= e.mtime {
            ibex::msg!(path, " not created: newer or same age version exists");
            return false;
        }
        let flags = if st.is_dir() { sys::AT_REMOVEDIR } else { 0 };
        if let Err(err) = sys::unlinkat(self.base, path, flags) {
            self.fail(path, b"Cannot remove", &err);
            return false;
        }
        true
    }

    // ------------------------------------------------------------ pass

    fn pass(&mut self, null: bool, dir: &[u8]) {
        match sys::stat(dir) {
            Ok(st) if st.is_dir() => {}
            Ok(_) => {
                ibex::msg!(dir, ": Not a directory");
                self.status = 2;
                return;
            }
            Err(e) => {
                ibex::error::io_error(dir, &e);
                self.status = 2;
                return;
            }
        }
        let mut copied = 0u64;
        let mut seen: HashMap<(u64, u64), Vec<u8>> = HashMap::new();
        self.names(null, |c, name| {
            let flags = if c.deref { 0 } else { sys::AT_SYMLINK_NOFOLLOW };
            let st = match sys::fstatat(c.base, name, flags) {
                Ok(s) => s,
                Err(e) => return c.fail(name, b"Cannot stat", &e),
            };
            let rel: &[u8] = {
                let t = name.iter().take_while(|&&b| b == b'/').count();
                &name[t..]
            };
            let target = if rel.is_empty() {
                dir.to_vec()
            } else {
                ibex::path::join(dir, rel)
            };
            let mut e = c.entry_of(&target, &st);
            e.nlink = 1;
            if !st.is_dir() && (c.link || (st.nlink > 1 && st.is_reg())) {
                let from = if c.link {
                    Some(name.to_vec())
                } else {
                    seen.get(&(st.dev, st.ino)).cloned()
                };
                if let Some(from) = from {
                    if c.make_dirs {
                        c.make_parents(&target);
                    }
                    if c.replace_existing(&target, &e)
                        && sys::linkat(c.base, &from, Dir::CWD, &target, 0).is_ok()
                    {
                        if c.verbose {
                            ibex::error::emit(target.clone());
                        }
                        return;
                    }
                }
                seen.insert((st.dev, st.ino), target.clone());
            }
            let saved = c.base;
            if st.is_reg() {
                let f = match sys::openat(c.base, name, sys::O_RDONLY | sys::O_NOCTTY, 0) {
                    Ok(f) => f,
                    Err(err) => return c.fail(name, b"Cannot open", &err),
                };
                copied += st.size;
                c.base = Dir::CWD;
                c.place(&target, &e, Source::File(f.as_raw_fd()));
            } else if st.is_lnk() {
                let t = match sys::readlinkat(c.base, name) {
                    Ok(t) => t,
                    Err(err) => return c.fail(name, b"Cannot read link", &err),
                };
                e.size = t.len() as u64;
                let mut r = Reader {
                    fd: -1,
                    buf: t,
                    pos: 0,
                    end: e.size as usize,
                    total: 0,
                    sum: 0,
                };
                c.base = Dir::CWD;
                c.place(&target, &e, Source::Archive(&mut r));
            } else {
                c.base = Dir::CWD;
                let mut r = Reader {
                    fd: -1,
                    buf: Vec::new(),
                    pos: 0,
                    end: 0,
                    total: 0,
                    sum: 0,
                };
                e.size = 0;
                c.place(&target, &e, Source::Archive(&mut r));
            }
            c.base = saved;
        });
        let saved = self.base;
        self.base = Dir::CWD;
        self.finish_dirs();
        self.base = saved;
        if !self.quiet {
            blocks_message(copied);
        }
    }
}
