//! xxd: vim's hex dump and its reverse. Default lines `OFFSET: hhhh hhhh
//! ...  text`; `-p` plain hex, `-i` a C array (named after the file, `-n
//! NAME`, `-C` capitals), `-b` bits, `-e` little-endian groups, `-r`
//! (with `-p`) turns a dump back into bytes (seeking in an output file, so
//! it patches), `-c COLS`, `-g BYTES`, `-l LEN`, `-s [+][-]OFFSET`, `-o
//! OFFSET`, `-d` decimal offsets, `-u` upper case, `-a` `*` for runs of
//! zero lines, `-E` EBCDIC text. Options are xxd's: they come before the
//! files, may be spelled out (`-cols 8`, `--len 4`) and take values
//! attached or separate, in C notation (`0x10`).

use ibex::Status;
use ibex::io::Out;
use ibex::sys;
use std::ffi::OsString;
use std::os::fd::{AsRawFd, RawFd};
use std::os::unix::ffi::OsStrExt;

const USAGE: ibex::usage::Usage = ibex::usage!(
    xxd,
    "xxd [OPTIONS] [INFILE [OUTFILE]]\n\
     \x20  or: xxd -r [-s [-]OFFSET] [-c COLS] [-ps] [INFILE [OUTFILE]]\n\n\
     Make a hex dump of INFILE (or stdin), or turn a hex dump back into bytes.\n\n\
     \t-a\tToggle autoskip: a single '*' replaces runs of zero lines\n\
     \t-b\tBits (binary digits) instead of hex\n\
     \t-C\tCapitalize variable names with -i\n\
     \t-c COLS\tBytes per line (default 16; -i 12, -p 30, -b 6)\n\
     \t-d\tOffsets in decimal\n\
     \t-E\tText column in EBCDIC\n\
     \t-e\tLittle-endian groups (default 4 bytes)\n\
     \t-g BYTES\tBytes per group (default 2; -e 4, -b 1)\n\
     \t-i\tC include file style\n\
     \t-l LEN\tStop after LEN bytes\n\
     \t-n NAME\tVariable name for -i\n\
     \t-o OFF\tAdd OFF to the displayed offsets\n\
     \t-p\tPlain hex dump (postscript style)\n\
     \t-r\tReverse: hex dump to binary (patches OUTFILE in place)\n\
     \t-s [+][-]OFF\tStart at OFF (+: relative to the current position, -: from the end)\n\
     \t-u\tUpper case hex digits\n\
     \t-v\tShow the version"
);

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Normal,
    Plain,
    Include,
    Bits,
    Little,
}

struct Opts {
    kind: Kind,
    autoskip: bool,
    upper: bool,
    capitalize: bool,
    decimal: bool,
    revert: bool,
    ebcdic: bool,
    cols: Option<i64>,
    group: Option<i64>,
    length: Option<i64>,
    seek: i64,
    rel_seek: bool,
    neg_seek: bool,
    display_off: u64,
    name: Option<Vec<u8>>,
}

fn usage_error(what: &[u8]) -> ibex::Exit {
    let mut m = ibex::error::start();
    m.extend_from_slice(what);
    m.extend_from_slice(b"\nUsage: ");
    m.extend_from_slice(&USAGE.synopsis());
    ibex::error::emit(m);
    ibex::Exit(1)
}

/// C's strtol(s, NULL, 0): a number prefix, 0 when there is none.
fn strtol(s: &[u8]) -> i64 {
    ibex::cformat::strtoimax(s).value
}

/// Parse xxd's options; returns the options and the remaining operands.
fn parse(argv: &[OsString]) -> Result<(Opts, Vec<Vec<u8>>), ibex::Exit> {
    let mut o = Opts {
        kind: Kind::Normal,
        autoskip: false,
        upper: false,
        capitalize: false,
        decimal: false,
        revert: false,
        ebcdic: false,
        cols: None,
        group: None,
        length: None,
        seek: 0,
        rel_seek: false,
        neg_seek: false,
        display_off: 0,
        name: None,
    };
    let args: Vec<&[u8]> = argv.iter().skip(1).map(|a| a.as_bytes()).collect();
    let mut i = 0;
    while let Some(&arg) = args.get(i) {
        // `--name` is the same as `-name`.
        let pp: &[u8] = if arg.starts_with(b"--") && arg.len() > 2 {
            &arg[1..]
        } else {
            arg
        };
        if pp == b"-" || pp.first() != Some(&b'-') {
            break;
        }
        if arg == b"--" {
            i += 1;
            break;
        }
        if pp == b"-help" || pp == b"-h" {
            let mut out = Out::stdout();
            out.str("Usage: ");
            out.write(&USAGE.text());
            out.byte(b'\n');
            return Err(ibex::Exit(out.finish(0)));
        }
        let letter = pp.get(1).copied().unwrap_or(0);
        let tail = &pp[2..];
        // A value attached (`-c8`) unless the rest spells the long name.
        let mut value = |long: &[u8]| -> Result<&[u8], ibex::Exit> {
            if !tail.is_empty() && !tail.starts_with(long) {
                Ok(tail)
            } else {
                i += 1;
                args.get(i).copied().ok_or_else(|| {
                    usage_error(
                        &[b"option requires an argument -- '", &[letter][..], b"'"].concat(),
                    )
                })
            }
        };
        match letter {
            b'a' => o.autoskip = !o.autoskip,
            b'b' => o.kind = Kind::Bits,
            b'e' => o.kind = Kind::Little,
            b'u' => o.upper = true,
            b'p' => o.kind = Kind::Plain,
            b'i' => o.kind = Kind::Include,
            b'C' => o.capitalize = true,
            b'd' => o.decimal = true,
            b'r' => o.revert = true,
            b'E' => o.ebcdic = true,
            b'v' => {
                ibex::msg!("ibex ", ibex::VERSION);
                return Err(ibex::Exit(0));
            }
            b'c' => {
                if tail.starts_with(b"apitalize") {
                    o.capitalize = true;
                } else {
                    o.cols = Some(strtol(value(b"ols")?));
                }
            }
            b'g' => o.group = Some(strtol(value(b"roup")?)),
            b'o' => {
                let v = value(b"ffset")?;
                let rel = usize::from(v.first() == Some(&b'+'));
                let neg = v.get(rel) == Some(&b'-');
                let n = ibex::cformat::strtoumax(&v[rel + usize::from(neg)..]).value;
                o.display_off = if neg { n.wrapping_neg() } else { n };
            }
            b's' => {
                let long =
                    !tail.is_empty() && (tail.starts_with(b"kip") || tail.starts_with(b"eek"));
                let v = if !tail.is_empty() && !long {
                    tail
                } else {
                    i += 1;
                    args.get(i)
                        .copied()
                        .ok_or_else(|| usage_error(b"option requires an argument -- 's'"))?
                };
                o.rel_seek = v.first() == Some(&b'+');
                let r = usize::from(o.rel_seek);
                o.neg_seek = v.get(r) == Some(&b'-');
                o.seek = strtol(&v[r + usize::from(o.neg_seek)..]);
            }
            b'l' => o.length = Some(strtol(value(b"en")?)),
            b'n' => o.name = Some(value(b"ame")?.to_vec()),
            _ => {
                return Err(usage_error(
                    &[b"invalid option -- '", &pp[1..], b"'"].concat(),
                ));
            }
        }
        i += 1;
    }
    let rest: Vec<Vec<u8>> = args[i.min(args.len())..]
        .iter()
        .map(|a| a.to_vec())
        .collect();
    Ok((o, rest))
}

fn die(code: i32, what: &str) -> ibex::Exit {
    ibex::msg!(what);
    ibex::Exit(code)
}

/// Buffered byte reader over a descriptor.
struct Reader {
    fd: RawFd,
    buf: Vec<u8>,
    pos: usize,
    end: usize,
}

impl Reader {
    fn new(fd: RawFd) -> Reader {
        Reader {
            fd,
            buf: vec![0; 64 * 1024],
            pos: 0,
            end: 0,
        }
    }

    /// The next chunk of input (empty at the end).
    fn chunk(&mut self) -> Result<&[u8], ibex::Exit> {
        if self.pos == self.end {
            self.pos = 0;
            self.end = match sys::read(self.fd, &mut self.buf) {
                Ok(n) => n,
                Err(e) => {
                    ibex::msg!(e);
                    return Err(ibex::Exit(2));
                }
            };
        }
        let c = &self.buf[self.pos..self.end];
        self.pos = self.end;
        Ok(c)
    }

    fn give_back(&mut self, n: usize) {
        self.pos -= n;
    }
}

pub fn main(argv: &[OsString]) -> Status {
    let (mut o, files) = parse(argv)?;
    if files.len() > 2 {
        return Err(usage_error(b"too many arguments"));
    }
    let cols = match o.cols {
        Some(c) if c != 0 || o.kind == Kind::Plain => c,
        _ => match o.kind {
            Kind::Plain => 30,
            Kind::Include => 12,
            Kind::Bits => 6,
            _ => 16,
        },
    };
    let mut group = o.group.unwrap_or(match o.kind {
        Kind::Bits => 1,
        Kind::Normal => 2,
        Kind::Little => 4,
        _ => 0,
    });
    if (o.kind == Kind::Plain && cols < 0) || (o.kind != Kind::Plain && !(1..=256).contains(&cols))
    {
        return Err(die(1, "invalid number of columns (max. 256)."));
    }
    if group < 1 || group > cols {
        group = cols;
    } else if o.kind == Kind::Little && group & (group - 1) != 0 {
        return Err(die(
            1,
            "number of octets per group must be a power of 2 with -e.",
        ));
    }
    let infile = files.first().filter(|f| f.as_slice() != b"-");
    let outfile = files.get(1).filter(|f| f.as_slice() != b"-");
    let in_fd = match infile {
        Some(name) => match sys::open(name, sys::O_RDONLY, 0) {
            Ok(fd) => Some(fd),
            Err(e) => {
                ibex::error::io_error(name, &e);
                return Err(ibex::Exit(2));
            }
        },
        None => None,
    };
    let out_fd = match outfile {
        Some(name) => {
            let trunc = if o.revert { 0 } else { libc::O_TRUNC };
            match sys::open(name, sys::O_WRONLY | libc::O_CREAT | trunc, 0o666) {
                Ok(fd) => Some(fd),
                Err(e) => {
                    ibex::error::io_error(name, &e);
                    return Err(ibex::Exit(3));
                }
            }
        }
        None => None,
    };
    let ifd = in_fd.as_ref().map_or(0, |f| f.as_raw_fd());
    let ofd = out_fd.as_ref().map_or(1, |f| f.as_raw_fd());
    if o.revert {
        if !matches!(o.kind, Kind::Normal | Kind::Plain) {
            return Err(die(255, "Sorry, cannot revert this type of hexdump"));
        }
        let base = if o.neg_seek { -o.seek } else { o.seek };
        return revert(ifd, ofd, cols, o.kind == Kind::Plain, base);
    }
    let mut reader = Reader::new(ifd);
    // Seek: absolute, relative to the current position (+), from the end (-).
    let mut seek = o.seek;
    if o.seek != 0 || o.neg_seek || !o.rel_seek {
        let off = if o.neg_seek { -o.seek } else { o.seek };
        let whence = if o.rel_seek {
            sys::SEEK_CUR
        } else if o.neg_seek {
            sys::SEEK_END
        } else {
            sys::SEEK_SET
        };
        match sys::lseek(ifd, off, whence) {
            Ok(pos) => seek = pos as i64,
            Err(_) if o.neg_seek || off < 0 => return Err(die(4, "Sorry, cannot seek.")),
            Err(_) => {
                let mut left = off as u64;
                while left > 0 {
                    let c = reader.chunk()?;
                    if c.is_empty() {
                        return Err(die(4, "Sorry, cannot seek."));
                    }
                    let used = c.len().min(usize::try_from(left).unwrap_or(usize::MAX));
                    let n = c.len();
                    left -= used as u64;
                    reader.give_back(n - used);
                }
            }
        }
    }
    let limit = match o.length {
        Some(l) if l >= 0 => l as u64,
        _ => u64::MAX,
    };
    let mut out = Out::new(ofd);
    let hex: &[u8; 16] = if o.upper {
        b"0123456789ABCDEF"
    } else {
        b"0123456789abcdef"
    };
    let name_src = o.name.take().or_else(|| infile.cloned());
    let status = match o.kind {
        Kind::Include => include(&mut reader, &mut out, &o, name_src, cols, limit, hex)?,
        Kind::Plain => plain(&mut reader, &mut out, cols, limit, hex)?,
        _ => {
            let d = Dump {
                bits: o.kind == Kind::Bits,
                little: o.kind == Kind::Little,
                cols: cols as usize,
                group: group as usize,
                hex,
                decimal: o.decimal,
                ebcdic: o.ebcdic,
                autoskip: o.autoskip,
                base: (seek as u64).wrapping_add(o.display_off),
            };
            d.run(&mut reader, &mut out, limit)?
        }
    };
    out.done(status)
}

fn include(
    r: &mut Reader,
    out: &mut Out,
    o: &Opts,
    name: Option<Vec<u8>>,
    cols: i64,
    limit: u64,
    hex: &[u8; 16],
) -> Result<i32, ibex::Exit> {
    let var = name.map(|n| {
        let mut v = Vec::new();
        if n.first().is_some_and(u8::is_ascii_digit) {
            v.extend_from_slice(b"__");
        }
        for &c in &n {
            v.push(if !c.is_ascii_alphanumeric() {
                b'_'
            } else if o.capitalize {
                c.to_ascii_uppercase()
            } else {
                c
            });
        }
        v
    });
    if let Some(v) = &var {
        out.str("unsigned char ");
        out.write(v);
        out.str("[] = {\n");
    }
    let cols = cols.max(1) as u64;
    let mut n: u64 = 0;
    let mut line = Vec::new();
    'outer: loop {
        let c = r.chunk()?;
        if c.is_empty() {
            break;
        }
        line.clear();
        for &b in c {
            if n >= limit {
                out.write(&line);
                break 'outer;
            }
            line.extend_from_slice(if !n.is_multiple_of(cols) {
                b", "
            } else if n == 0 {
                b"  "
            } else {
                b",\n  "
            });
            line.extend_from_slice(if o.upper { b"0X" } else { b"0x" });
            line.push(hex[usize::from(b >> 4)]);
            line.push(hex[usize::from(b & 15)]);
            n += 1;
        }
        out.write(&line);
    }
    if n > 0 {
        out.byte(b'\n');
    }
    if let Some(v) = &var {
        out.str("};\nunsigned int ");
        out.write(v);
        out.str(if o.capitalize { "_LEN = " } else { "_len = " });
        out.num(n);
        out.str(";\n");
    }
    Ok(0)
}

fn plain(
    r: &mut Reader,
    out: &mut Out,
    cols: i64,
    limit: u64,
    hex: &[u8; 16],
) -> Result<i32, ibex::Exit> {
    let cols = cols as u64;
    let mut n: u64 = 0;
    let mut p = cols;
    let mut line = Vec::new();
    'outer: loop {
        let c = r.chunk()?;
        if c.is_empty() {
            break;
        }
        line.clear();
        for &b in c {
            if n >= limit {
                out.write(&line);
                break 'outer;
            }
            line.push(hex[usize::from(b >> 4)]);
            line.push(hex[usize::from(b & 15)]);
            n += 1;
            if cols != 0 {
                p -= 1;
                if p == 0 {
                    line.push(b'\n');
                    p = cols;
                }
            }
        }
        out.write(&line);
    }
    if cols == 0 || p < cols {
        out.byte(b'\n');
    }
    Ok(0)
}

/// EBCDIC to ASCII for the text column (code points 64 and up).
const ETOA64: [u8; 192] = [
    0o040, 0o240, 0o241, 0o242, 0o243, 0o244, 0o245, 0o246, 0o247, 0o250, 0o325, 0o056, 0o074,
    0o050, 0o053, 0o174, 0o046, 0o251, 0o252, 0o253, 0o254, 0o255, 0o256, 0o257, 0o260, 0o261,
    0o041, 0o044, 0o052, 0o051, 0o073, 0o176, 0o055, 0o057, 0o262, 0o263, 0o264, 0o265, 0o266,
    0o267, 0o270, 0o271, 0o313, 0o054, 0o045, 0o137, 0o076, 0o077, 0o272, 0o273, 0o274, 0o275,
    0o276, 0o277, 0o300, 0o301, 0o302, 0o140, 0o072, 0o043, 0o100, 0o047, 0o075, 0o042, 0o303,
    0o141, 0o142, 0o143, 0o144, 0o145, 0o146, 0o147, 0o150, 0o151, 0o304, 0o305, 0o306, 0o307,
    0o310, 0o311, 0o312, 0o152, 0o153, 0o154, 0o155, 0o156, 0o157, 0o160, 0o161, 0o162, 0o136,
    0o314, 0o315, 0o316, 0o317, 0o320, 0o321, 0o345, 0o163, 0o164, 0o165, 0o166, 0o167, 0o170,
    0o171, 0o172, 0o322, 0o323, 0o324, 0o133, 0o326, 0o327, 0o330, 0o331, 0o332, 0o333, 0o334,
    0o335, 0o336, 0o337, 0o340, 0o341, 0o342, 0o343, 0o344, 0o135, 0o346, 0o347, 0o173, 0o101,
    0o102, 0o103, 0o104, 0o105, 0o106, 0o107, 0o110, 0o111, 0o350, 0o351, 0o352, 0o353, 0o354,
    0o355, 0o175, 0o112, 0o113, 0o114, 0o115, 0o116, 0o117, 0o120, 0o121, 0o122, 0o356, 0o357,
    0o360, 0o361, 0o362, 0o363, 0o134, 0o237, 0o123, 0o124, 0o125, 0o126, 0o127, 0o130, 0o131,
    0o132, 0o364, 0o365, 0o366, 0o367, 0o370, 0o371, 0o060, 0o061, 0o062, 0o063, 0o064, 0o065,
    0o066, 0o067, 0o070, 0o071, 0o372, 0o373, 0o374, 0o375, 0o376, 0o377,
];

struct Dump<'a> {
    bits: bool,
    little: bool,
    cols: usize,
    group: usize,
    hex: &'a [u8; 16],
    decimal: bool,
    ebcdic: bool,
    autoskip: bool,
    base: u64,
}

/// Autoskip state: how many zero lines in a row, and the second one.
struct Skip {
    seen: u32,
    saved: Vec<u8>,
}

impl Dump<'_> {
    fn run(&self, r: &mut Reader, out: &mut Out, limit: u64) -> Result<i32, ibex::Exit> {
        let grplen = if self.bits {
            8 * self.group + 1
        } else {
            2 * self.group + 1
        };
        let ascii_col = (grplen * self.cols - 1) / self.group;
        let mut line = vec![b' '; 32 + ascii_col + self.cols + 2];
        let mut addrlen = 0;
        let mut p = 0usize;
        let mut n: u64 = 0;
        let mut nonzero = false;
        let mut end = 0;
        let mut skip = Skip {
            seen: 0,
            saved: Vec::new(),
        };
        'outer: loop {
            let chunk = r.chunk()?;
            if chunk.is_empty() {
                break;
            }
            for &e in chunk {
                if n >= limit {
                    break 'outer;
                }
                if p == 0 {
                    line.fill(b' ');
                    let a = self.base.wrapping_add(n);
                    let s = if self.decimal {
                        format!("{a:08}:")
                    } else {
                        format!("{a:08x}:")
                    };
                    addrlen = s.len();
                    line[..addrlen].copy_from_slice(s.as_bytes());
                }
                let x = if self.little { p ^ (self.group - 1) } else { p };
                let mut c = addrlen + 1 + (grplen * x) / self.group;
                if self.bits {
                    for i in (0..8).rev() {
                        line[c] = if e & (1 << i) != 0 { b'1' } else { b'0' };
                        c += 1;
                    }
                } else {
                    line[c] = self.hex[usize::from(e >> 4)];
                    line[c + 1] = self.hex[usize::from(e & 15)];
                }
                if e != 0 {
                    nonzero = true;
                }
                let t = if self.ebcdic {
                    if e < 64 {
                        b'.'
                    } else {
                        ETOA64[usize::from(e - 64)]
                    }
                } else {
                    e
                };
                let c = addrlen + 3 + ascii_col + p;
                line[c] = if t > 31 && t < 127 { t } else { b'.' };
                end = c + 1;
                n += 1;
                p += 1;
                if p == self.cols {
                    line[end] = b'\n';
                    let nz = if self.autoskip { i32::from(nonzero) } else { 1 };
                    xxdline(out, &line[..end + 1], nz, &mut skip);
                    nonzero = false;
                    p = 0;
                }
            }
        }
        if p > 0 {
            line[end] = b'\n';
            xxdline(out, &line[..end + 1], 1, &mut skip);
        } else if self.autoskip && end > 0 {
            xxdline(out, &line[..end + 1], -1, &mut skip);
        }
        Ok(0)
    }
}

/// Print a line, folding runs of zero lines (`nz` 0) into `*`: the
/// first of a run is shown, then `*` (or the second line when the run
/// has just two), then the last one. `nz` -1 flushes at the end.
fn xxdline(out: &mut Out, l: &[u8], nz: i32, s: &mut Skip) {
    if nz == 0 && s.seen == 1 {
        s.saved.clear();
        s.saved.extend_from_slice(l);
    }
    let first = s.seen == 0;
    if nz == 0 {
        s.seen += 1;
    }
    if nz != 0 || first {
        if nz != 0 {
            if nz < 0 {
                s.seen = s.seen.saturating_sub(1);
            }
            if s.seen == 2 {
                out.write(&s.saved);
            }
            if s.seen > 2 {
                out.write(b"*\n");
            }
        }
        if nz >= 0 || s.seen > 0 {
            out.write(l);
        }
        if nz != 0 {
            s.seen = 0;
        }
    }
}

fn hex_digit(c: u8) -> i32 {
    match c {
        b'0'..=b'9' => i32::from(c - b'0'),
        b'a'..=b'f' => i32::from(c - b'a' + 10),
        b'A'..=b'F' => i32::from(c - b'A' + 10),
        _ => -1,
    }
}

/// Output of `-r`: buffered, seeking forward (or back, in a file) to
/// the offsets the dump names; zeros fill the gap where it cannot seek.
struct RevOut {
    fd: RawFd,
    buf: Vec<u8>,
    have: i64,
}

impl RevOut {
    fn flush(&mut self) -> Result<(), ibex::Exit> {
        if !self.buf.is_empty() {
            if let Err(e) = sys::write_all(self.fd, &self.buf) {
                ibex::msg!(e);
                return Err(ibex::Exit(3));
            }
            self.buf.clear();
        }
        Ok(())
    }

    fn put(&mut self, b: u8) -> Result<(), ibex::Exit> {
        self.buf.push(b);
        self.have += 1;
        if self.buf.len() >= 64 * 1024 {
            self.flush()?;
        }
        Ok(())
    }

    fn go_to(&mut self, want: i64) -> Result<(), ibex::Exit> {
        if want == self.have {
            return Ok(());
        }
        self.flush()?;
        if let Some(delta) = want.checked_sub(self.have)
            && sys::lseek(self.fd, delta, sys::SEEK_CUR).is_ok()
        {
            self.have = want;
        }
        if want < self.have {
            return Err(die(5, "Sorry, cannot seek backwards."));
        }
        while self.have < want {
            self.put(0)?;
        }
        Ok(())
    }
}

/// `-r`: read a dump (offset, hex pairs, text) or, with `-p`, plain hex
/// pairs anywhere, and write the bytes.
fn revert(ifd: RawFd, ofd: RawFd, cols: i64, plain: bool, base: i64) -> Status {
    let input = match ibex::io::read_all(ifd) {
        Ok(d) => d,
        Err(e) => {
            ibex::msg!(e);
            return Err(ibex::Exit(2));
        }
    };
    let mut out = RevOut {
        fd: ofd,
        buf: Vec::new(),
        have: 0,
    };
    let (mut n1, mut n2): (i32, i32) = (-1, 0);
    let mut n3: i32;
    let mut ign_garb = true;
    let mut p = cols;
    let mut want: i64 = 0;
    let mut i = 0;
    while i < input.len() {
        let c = input[i];
        i += 1;
        if c == b'\r' {
            continue;
        }
        if plain && matches!(c, b' ' | b'\n' | b'\t') {
            continue;
        }
        n3 = n2;
        n2 = n1;
        n1 = hex_digit(c);
        if n1 == -1 && ign_garb {
            continue;
        }
        ign_garb = false;
        if !plain && p >= cols {
            if n1 < 0 {
                p = 0;
                continue;
            }
            want = want.wrapping_shl(4) | i64::from(n1);
            continue;
        }
        if base.wrapping_add(want) != out.have {
            out.go_to(base.wrapping_add(want))?;
        }
        let mut c = i32::from(c);
        if n2 >= 0 && n1 >= 0 {
            out.put(((n2 << 4) | n1) as u8)?;
            want = want.wrapping_add(1);
            n1 = -1;
            if !plain {
                p += 1;
                if p >= cols {
                    c = skip_to_eol(&input, &mut i, c);
                }
            }
        } else if n1 < 0 && n2 < 0 && n3 < 0 {
            c = skip_to_eol(&input, &mut i, c);
        }
        if c == i32::from(b'\n') {
            if !plain {
                want = 0;
            }
            p = cols;
            ign_garb = true;
        }
    }
    out.flush()?;
    let _ = sys::lseek(ofd, 0, sys::SEEK_END);
    Ok(0)
}

/// Skip the rest of a line: returns `\n` when one ended it, -1 at the
/// end of the input.
fn skip_to_eol(input: &[u8], i: &mut usize, c: i32) -> i32 {
    if c == i32::from(b'\n') {
        return c;
    }
    match memchr::memchr(b'\n', &input[*i..]) {
        Some(k) => {
            *i += k + 1;
            i32::from(b'\n')
        }
        None => {
            *i = input.len();
            -1
        }
    }
}
