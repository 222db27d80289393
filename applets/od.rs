//! od: dump files in octal and other formats, as GNU od does. `-A RADIX`,
//! `-t TYPE` (a c d o u x with sizes 1 2 4 8 or C S I L, f with 4 8 16 or
//! F D L, `z` for the characters at the end of the line), `-j SKIP`,
//! `-N COUNT`, `-S LEN` strings, `-v`, `-w[N]`, `--endian`, the traditional
//! letters (`-a -b -c -d -f -i -l -o -s -x` and the hidden `-B -D -e -F -h
//! -H -I -L -O -X`), and the old offset operands (`od FILE +OFFSET`,
//! `--traditional FILE OFFSET LABEL`). Columns of different types line up
//! the way GNU lays them out; `*` stands for repeated lines unless `-v`.
//! `fL` (long double) is decoded exactly but printed at double precision.

use ibex::Status;
use ibex::args::{Parser, Spec, flag, optional, value};
use ibex::dump::{Inputs, SizeError, parse_count};
use ibex::io::Out;
use std::ffi::{OsStr, OsString};
use std::os::unix::ffi::OsStrExt;

const TRADITIONAL: u32 = 256;
const ENDIAN: u32 = 257;
const STRINGS: u32 = 258;

const LONGS: &[ibex::args::Long] = &[
    value("address-radix", 'A' as u32),
    value("endian", ENDIAN),
    value("skip-bytes", 'j' as u32),
    value("read-bytes", 'N' as u32),
    optional("strings", STRINGS),
    value("format", 't' as u32),
    flag("output-duplicates", 'v' as u32),
    optional("width", 'w' as u32),
    flag("traditional", TRADITIONAL),
];

const SPEC: Spec = Spec::new(
    "A:aBbcDdeFfHhIij:LlN:OoS:st:vw::Xx",
    LONGS,
    ibex::usage!(
        od,
        "od [-abcdfilosxv] [-t TYPE] [-A RADIX] [-j SKIP] [-N COUNT] [-S LEN] [-w[N]] [FILE]...\n\
     \x20  or: od [-abcdfilosx]... [FILE] [[+]OFFSET[.][b]]\n\n\
     Write an unambiguous representation of FILEs (or stdin), octal 2-byte units by default.\n\n\
     \t-A RADIX\tOffsets in d(ecimal), o(ctal), x (hex) or n(one) (--address-radix)\n\
     \t-t TYPE\tOutput format: a, c, d[SIZE], f[SIZE], o[SIZE], u[SIZE], x[SIZE],\n\
     \t\tSIZE 1 2 4 8 (f: 4 8 16) or C S I L (f: F D L); z adds the characters\n\
     \t-a\tSame as -t a (named characters)\n\
     \t-b\tSame as -t o1\n\
     \t-c\tSame as -t c (characters or escapes)\n\
     \t-d\tSame as -t u2\n\
     \t-f\tSame as -t fF\n\
     \t-i\tSame as -t dI\n\
     \t-l\tSame as -t dL\n\
     \t-o\tSame as -t o2\n\
     \t-s\tSame as -t d2\n\
     \t-x\tSame as -t x2\n\
     \t-j SKIP\tSkip SKIP input bytes (0x hex, suffixes b K KB M...) (--skip-bytes)\n\
     \t-N COUNT\tDump at most COUNT bytes (--read-bytes)\n\
     \t-S LEN\tOutput strings of at least LEN printable characters (--strings)\n\
     \t-v\tShow repeated lines, not * (--output-duplicates)\n\
     \t-w[N]\tN bytes per line, 32 without N (--width)\n\
     \t--endian=big|little\tByte order of multi-byte values\n\
     \t--traditional\tAccept FILE [[+]OFFSET[.][b] [+][LABEL][.][b]]"
    ),
);

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Named,
    Char,
    Signed,
    Unsigned,
    Octal,
    Hex,
    Float,
}

#[derive(Clone, Copy)]
struct Fmt {
    kind: Kind,
    size: usize,
    width: usize,
    z: bool,
    /// Spaces shared out before the fields of a line (separators included).
    pad: usize,
}

fn field_width(kind: Kind, size: usize) -> usize {
    match (kind, size) {
        (Kind::Named | Kind::Char, _) => 3,
        (Kind::Signed, 1) => 4,
        (Kind::Signed, 2) => 6,
        (Kind::Signed, 4) => 11,
        (Kind::Unsigned, 1) => 3,
        (Kind::Unsigned, 2) => 5,
        (Kind::Unsigned, 4) => 10,
        (Kind::Signed | Kind::Unsigned, _) => 20,
        (Kind::Octal, 1) => 3,
        (Kind::Octal, 2) => 6,
        (Kind::Octal, 4) => 11,
        (Kind::Octal, _) => 22,
        (Kind::Hex, s) => 2 * s,
        (Kind::Float, 4) => 15,
        (Kind::Float, _) => 23,
    }
}

fn fmt(kind: Kind, size: usize, z: bool) -> Fmt {
    Fmt {
        kind,
        size,
        width: field_width(kind, size),
        z,
        pad: 0,
    }
}

fn type_error(text: &[u8], detail: &str) -> ibex::Exit {
    ibex::msg!("invalid type string '", text, "'", detail);
    ibex::Exit(1)
}

/// Parse a `-t` argument (one or more types) onto `fmts`.
fn parse_types(text: &[u8], fmts: &mut Vec<Fmt>) -> Result<(), ibex::Exit> {
    let mut i = 0;
    while let Some(&c) = text.get(i) {
        i += 1;
        let kind = match c {
            b'a' => Kind::Named,
            b'c' => Kind::Char,
            b'd' => Kind::Signed,
            b'u' => Kind::Unsigned,
            b'o' => Kind::Octal,
            b'x' => Kind::Hex,
            b'f' => Kind::Float,
            _ => {
                ibex::msg!("invalid character '", [c], "' in type string '", text, "'");
                return Err(ibex::Exit(1));
            }
        };
        let float = kind == Kind::Float;
        let size = match (kind, text.get(i)) {
            (Kind::Named | Kind::Char, _) => 1,
            (_, Some(b'C')) if !float => {
                i += 1;
                1
            }
            (_, Some(b'S')) if !float => {
                i += 1;
                2
            }
            (_, Some(b'I')) if !float => {
                i += 1;
                4
            }
            (_, Some(b'L')) if !float => {
                i += 1;
                8
            }
            (_, Some(b'F')) if float => {
                i += 1;
                4
            }
            (_, Some(b'D')) if float => {
                i += 1;
                8
            }
            (_, Some(b'L')) if float => {
                i += 1;
                16
            }
            (_, Some(d)) if d.is_ascii_digit() => {
                let n = text[i..].iter().take_while(|d| d.is_ascii_digit()).count();
                let digits = &text[i..i + n];
                i += n;
                let Ok(size) = ibex::num::parse_u64(digits) else {
                    return Err(type_error(text, ""));
                };
                let ok = if float {
                    matches!(size, 4 | 8 | 16)
                } else {
                    matches!(size, 1 | 2 | 4 | 8)
                };
                if !ok {
                    let what = if float { "floating point" } else { "integral" };
                    return Err(type_error(
                        text,
                        &format!(";\nthis system doesn't provide a {size}-byte {what} type"),
                    ));
                }
                size as usize
            }
            (_, _) => {
                if float {
                    8
                } else {
                    4
                }
            }
        };
        let z = text.get(i) == Some(&b'z');
        if z {
            i += 1;
        }
        fmts.push(fmt(kind, size, z));
    }
    Ok(())
}

fn size_error(what: &str, val: &OsStr, e: SizeError) -> ibex::Exit {
    let v = val.as_bytes();
    match e {
        SizeError::Invalid => ibex::msg!("invalid ", what, " argument '", v, "'"),
        SizeError::Suffix => ibex::msg!("invalid suffix in ", what, " argument '", v, "'"),
        SizeError::Range => ibex::msg!(what, " argument '", v, "' too large"),
    }
    ibex::Exit(1)
}

/// An old-style offset operand: `[+]NUM[.][b]`, octal unless `.` or `0x`.
fn old_offset(s: &[u8]) -> Option<u64> {
    let s = s.strip_prefix(b"+").unwrap_or(s);
    let (s, mult) = match s.strip_suffix(b"b") {
        Some(r) if !(s.starts_with(b"0x") || s.starts_with(b"0X")) => (r, 512),
        _ => (s, 1),
    };
    let (digits, base) = if let Some(h) = s.strip_prefix(b"0x").or(s.strip_prefix(b"0X")) {
        (h, 16)
    } else if let Some(d) = s.strip_suffix(b".") {
        (d, 10)
    } else {
        (s, 8)
    };
    if digits.is_empty() {
        return None;
    }
    let text = std::str::from_utf8(digits).ok()?;
    if !text.bytes().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    u64::from_str_radix(text, base).ok()?.checked_mul(mult)
}

fn looks_like_offset(s: &[u8], digit_ok: bool) -> bool {
    s.first() == Some(&b'+') || (digit_ok && s.first().is_some_and(u8::is_ascii_digit))
}

struct Dumper {
    radix: u8,
    /// Where the dump starts (the label counts from there).
    start: u64,
    fmts: Vec<Fmt>,
    bpb: usize,
    big_endian: bool,
    label: Option<u64>,
    line: Vec<u8>,
}

pub fn main(argv: &[OsString]) -> Status {
    let mut p = Parser::new(argv, &SPEC);
    let mut radix = b'o';
    let mut fmts: Vec<Fmt> = Vec::new();
    let mut skip: u64 = 0;
    let mut limit: Option<u64> = None;
    let mut verbose = false;
    let mut width: Option<u64> = None;
    let mut strings: Option<u64> = None;
    let mut traditional = false;
    let mut modern = false;
    let mut big_endian = false;
    while let Some((id, val)) = p.next()? {
        let v = val.unwrap_or_default();
        let vb = v.as_bytes();
        match id {
            0x41 => {
                modern = true;
                radix = match vb.first() {
                    Some(&c @ (b'd' | b'o' | b'x' | b'n')) => c,
                    c => {
                        ibex::msg!(
                            "invalid output address radix '",
                            [c.copied().unwrap_or(b' ')],
                            "'; it must be one character from [doxn]"
                        );
                        return Err(ibex::Exit(1));
                    }
                };
            }
            0x6a => {
                modern = true;
                skip = parse_count(vb, true, true).map_err(|e| size_error("-j", v, e))?;
            }
            0x4e => {
                modern = true;
                limit = Some(parse_count(vb, true, true).map_err(|e| size_error("-N", v, e))?);
            }
            0x53 | STRINGS => {
                modern = true;
                strings = Some(match val {
                    None => 3,
                    Some(_) => parse_count(vb, true, true).map_err(|e| size_error("-S", v, e))?,
                });
            }
            0x74 => {
                modern = true;
                parse_types(vb, &mut fmts)?;
            }
            0x76 => {
                modern = true;
                verbose = true;
            }
            0x77 => {
                modern = true;
                width = Some(match val {
                    None => 32,
                    Some(_) => parse_count(vb, false, false).map_err(|e| size_error("-w", v, e))?,
                });
            }
            ENDIAN => {
                modern = true;
                big_endian = match ibex::copy::choose(vb, &[&["little"], &["big"]]) {
                    Ok(0) => false,
                    Ok(_) => true,
                    Err(ambiguous) => {
                        let kind: &[u8] = if ambiguous { b"ambiguous" } else { b"invalid" };
                        return Err(ibex::args::usage_error(
                            &SPEC,
                            &[
                                kind,
                                b" argument '",
                                vb,
                                b"' for '--endian'\nValid arguments are:\n  - 'little'\n  - 'big'",
                            ],
                        ));
                    }
                };
            }
            TRADITIONAL => traditional = true,
            c => {
                let t: &[u8] = match char::from_u32(c).unwrap_or(' ') {
                    'a' => b"a",
                    'B' | 'o' => b"o2",
                    'b' => b"o1",
                    'c' => b"c",
                    'D' => b"u4",
                    'd' => b"u2",
                    'e' | 'F' => b"fD",
                    'f' => b"fF",
                    'H' | 'X' => b"x4",
                    'h' | 'x' => b"x2",
                    'I' | 'L' | 'l' => b"dL",
                    'i' => b"dI",
                    'O' => b"o4",
                    's' => b"d2",
                    _ => b"",
                };
                parse_types(t, &mut fmts)?;
            }
        }
    }
    let mut names: Vec<&[u8]> = p.operands().iter().map(|o| o.as_bytes()).collect();
    let mut label = None;
    // The old forms: FILE [+]OFFSET, and with --traditional a LABEL too.
    if traditional {
        let offs = |s: &[u8]| -> Result<u64, ibex::Exit> {
            old_offset(s).ok_or_else(|| {
                ibex::msg!("invalid offset '", s, "'");
                ibex::Exit(1)
            })
        };
        match names.len() {
            0 => {}
            1 => {
                if looks_like_offset(names[0], false) {
                    skip = offs(names[0])?;
                    names.clear();
                }
            }
            2 => {
                if looks_like_offset(names[1], true) {
                    if looks_like_offset(names[0], false) {
                        skip = offs(names[0])?;
                        label = Some(offs(names[1])?);
                        names.clear();
                    } else {
                        skip = offs(names[1])?;
                        names.truncate(1);
                    }
                }
            }
            3 => {
                skip = offs(names[1])?;
                label = Some(offs(names[2])?);
                names.truncate(1);
            }
            _ => {
                ibex::msg!("compatibility mode supports at most one file");
                return Err(ibex::args::usage_error(&SPEC, &[b"extra operand"]));
            }
        }
    } else if !modern {
        let n = names.len();
        if (n == 1 || n == 2)
            && looks_like_offset(names[n - 1], n == 2)
            && let Some(off) = old_offset(names[n - 1])
        {
            skip = off;
            names.pop();
        }
    }
    if fmts.is_empty() {
        fmts.push(fmt(Kind::Octal, 2, false));
    }
    let names: Vec<Vec<u8>> = names.iter().map(|n| n.to_vec()).collect();
    let mut inputs = Inputs::new(names);
    let mut out = Out::stdout();
    let left = inputs.skip(skip);
    if left > 0 {
        if !inputs.failed {
            out.flush();
        }
        ibex::msg!("cannot skip past end of combined input");
        return out.done(1);
    }
    let lcm = fmts.iter().map(|f| f.size).max().unwrap_or(1);
    let bpb = match width {
        Some(w) if w != 0 && w % lcm as u64 == 0 => usize::try_from(w).unwrap_or(usize::MAX),
        Some(w) => {
            ibex::msg!("warning: invalid width ", w, "; using ", lcm, " instead");
            lcm
        }
        None => lcm.max(16),
    };
    if bpb > 1 << 24 {
        ibex::msg!("-w argument '", bpb, "' too large");
        return Err(ibex::Exit(1));
    }
    let widest = fmts
        .iter()
        .map(|f| (f.width + 1) * (bpb / f.size))
        .max()
        .unwrap_or(0);
    for f in &mut fmts {
        f.pad = widest - f.width * (bpb / f.size);
    }
    let mut d = Dumper {
        radix,
        start: skip,
        fmts,
        bpb,
        big_endian,
        label,
        line: Vec::with_capacity(4096),
    };
    match strings {
        Some(min) => d.strings(&mut inputs, &mut out, skip, limit, min),
        None => d.dump(&mut inputs, &mut out, skip, limit, verbose),
    }
    out.done(i32::from(inputs.failed))
}

impl Dumper {
    fn address(&mut self, addr: u64) {
        let (radix, w) = match self.radix {
            b'd' => (10, 7),
            b'x' => (16, 6),
            b'n' => return,
            _ => (8, 7),
        };
        push_radix(&mut self.line, addr, radix, w, b'0');
        if let Some(l) = self.label {
            self.line.extend_from_slice(b" (");
            push_radix(
                &mut self.line,
                l.wrapping_add(addr - self.start),
                radix,
                w,
                b'0',
            );
            self.line.push(b')');
        }
    }

    fn address_width(&self) -> usize {
        let w = match self.radix {
            b'd' | b'o' => 7,
            b'x' => 6,
            _ => 0,
        };
        if self.label.is_some() && w > 0 {
            2 * w + 3
        } else {
            w
        }
    }

    fn dump(
        &mut self,
        inputs: &mut Inputs,
        out: &mut Out,
        mut addr: u64,
        limit: Option<u64>,
        verbose: bool,
    ) {
        let start = addr;
        let bpb = self.bpb;
        let mut block = vec![0u8; bpb];
        let mut prev = vec![0u8; bpb];
        let mut have_prev = false;
        let mut starred = false;
        loop {
            let want = match limit {
                Some(l) => bpb.min(usize::try_from(l - (addr - start)).unwrap_or(bpb)),
                None => bpb,
            };
            if want == 0 {
                break;
            }
            let n = inputs.fill(&mut block[..want]);
            if n == 0 {
                break;
            }
            block[n..].fill(0);
            if !verbose && have_prev && n == bpb && block == prev {
                if !starred {
                    out.write(b"*\n");
                    starred = true;
                }
            } else {
                starred = false;
                self.line.clear();
                self.block(addr, &block, n);
                out.write(&self.line);
            }
            std::mem::swap(&mut block, &mut prev);
            have_prev = true;
            addr += n as u64;
            if n < want {
                break;
            }
        }
        if self.radix != b'n' {
            self.line.clear();
            self.address(addr);
            self.line.push(b'\n');
            out.write(&self.line);
        }
    }

    fn block(&mut self, addr: u64, data: &[u8], n: usize) {
        let aw = self.address_width();
        for fi in 0..self.fmts.len() {
            let f = self.fmts[fi];
            if fi == 0 {
                self.address(addr);
            } else {
                self.line.resize(self.line.len() + aw, b' ');
            }
            let fields = self.bpb / f.size;
            let shown = n.div_ceil(f.size);
            let mut cell = [0u8; 40];
            for k in 0..shown {
                let extra = f.pad * (fields - k) / fields - f.pad * (fields - k - 1) / fields;
                let bytes = &data[k * f.size..(k + 1) * f.size];
                let len = self.cell(&f, bytes, &mut cell);
                let w = f.width + extra;
                self.line
                    .resize(self.line.len() + w.saturating_sub(len), b' ');
                self.line.extend_from_slice(&cell[40 - len..]);
            }
            if f.z {
                let blank = (self.bpb - n) / f.size;
                let spaces = blank * f.width + f.pad * blank / fields;
                self.line.resize(self.line.len() + spaces, b' ');
                self.line.extend_from_slice(b"  >");
                for &b in &data[..n] {
                    self.line
                        .push(if ibex::dump::printable(b) { b } else { b'.' });
                }
                self.line.push(b'<');
            }
            self.line.push(b'\n');
        }
    }

    /// Format one field right-aligned at the end of `cell`; returns its
    /// length.
    fn cell(&self, f: &Fmt, bytes: &[u8], cell: &mut [u8; 40]) -> usize {
        let mut v: u128 = 0;
        if self.big_endian {
            for &b in bytes {
                v = (v << 8) | u128::from(b);
            }
        } else {
            for &b in bytes.iter().rev() {
                v = (v << 8) | u128::from(b);
            }
        }
        let end = cell.len();
        let put = |cell: &mut [u8; 40], s: &[u8]| {
            let n = s.len().min(end);
            cell[end - n..].copy_from_slice(&s[s.len() - n..]);
            n
        };
        match f.kind {
            Kind::Named => put(cell, ibex::dump::ascii_name(v as u8)),
            Kind::Char => {
                let b = v as u8;
                if ibex::dump::printable(b) {
                    put(cell, &[b])
                } else if let Some(e) = ibex::dump::c_escape(b) {
                    put(cell, e)
                } else {
                    let mut t = [0u8; 40];
                    let n = radix_into(&mut t, u64::from(b), 8, 3, b'0');
                    put(cell, &t[40 - n..])
                }
            }
            Kind::Octal => radix_into(cell, v as u64, 8, f.width, b'0'),
            Kind::Hex => radix_into(cell, v as u64, 16, f.width, b'0'),
            Kind::Unsigned => radix_into(cell, v as u64, 10, 1, b'0'),
            Kind::Signed => {
                let bits = 8 * f.size as u32;
                let raw = v as u64;
                let neg = bits < 128 && (raw >> (bits - 1)) & 1 == 1;
                let mag = if neg {
                    (!raw).wrapping_add(1) & mask(bits)
                } else {
                    raw
                };
                let n = radix_into(cell, mag, 10, 1, b'0');
                if neg {
                    cell[end - n - 1] = b'-';
                    n + 1
                } else {
                    n
                }
            }
            Kind::Float => {
                // `%.7e`/`%.15e` as BusyBox and GNU before 9.0 (9.x
                // prints the shortest form that reads back).
                let s = match f.size {
                    4 => ibex::sys::format_c(b'e', 7, f64::from(f32::from_bits(v as u32))),
                    8 => ibex::sys::format_c(b'e', 15, f64::from_bits(v as u64)),
                    _ => ibex::sys::format_c(b'e', 15, long_double(v)),
                };
                put(cell, &s)
            }
        }
    }

    /// `-S`: strings of at least `min` printable characters ending in NUL.
    fn strings(
        &mut self,
        inputs: &mut Inputs,
        out: &mut Out,
        start: u64,
        limit: Option<u64>,
        min: u64,
    ) {
        let min = usize::try_from(min.max(1)).unwrap_or(usize::MAX);
        let mut buf = vec![0u8; 64 * 1024];
        let mut run: Vec<u8> = Vec::new();
        let mut addr = start;
        let mut run_start = start;
        let mut left = limit.unwrap_or(u64::MAX);
        let mut ended_by_limit = false;
        loop {
            let want = buf.len().min(usize::try_from(left).unwrap_or(usize::MAX));
            if want == 0 {
                ended_by_limit = limit.is_some();
                break;
            }
            let n = inputs.fill(&mut buf[..want]);
            if n == 0 {
                break;
            }
            left -= n as u64;
            for &b in &buf[..n] {
                if ibex::dump::printable(b) {
                    if run.is_empty() {
                        run_start = addr;
                    }
                    run.push(b);
                } else {
                    if b == 0 && run.len() >= min {
                        self.string_line(out, run_start, &run);
                    }
                    run.clear();
                }
                addr += 1;
            }
        }
        if ended_by_limit && run.len() >= min {
            self.string_line(out, run_start, &run);
        }
    }

    fn string_line(&mut self, out: &mut Out, addr: u64, s: &[u8]) {
        self.line.clear();
        self.address(addr);
        if self.radix != b'n' {
            self.line.push(b' ');
        }
        self.line.extend_from_slice(s);
        self.line.push(b'\n');
        out.write(&self.line);
    }
}

fn mask(bits: u32) -> u64 {
    if bits >= 64 {
        u64::MAX
    } else {
        (1u64 << bits) - 1
    }
}

/// Write `v` in `radix` right-aligned at the end of `cell`, at least
/// `min` digits (padded with `fill`); returns the length written.
fn radix_into(cell: &mut [u8; 40], mut v: u64, radix: u64, min: usize, fill: u8) -> usize {
    let mut i = cell.len();
    loop {
        i -= 1;
        cell[i] = b"0123456789abcdef"[(v % radix) as usize];
        v /= radix;
        if v == 0 {
            break;
        }
    }
    while cell.len() - i < min && i > 0 {
        i -= 1;
        cell[i] = fill;
    }
    cell.len() - i
}

fn push_radix(line: &mut Vec<u8>, v: u64, radix: u64, min: usize, fill: u8) {
    let mut cell = [0u8; 40];
    let n = radix_into(&mut cell, v, radix, min, fill);
    line.extend_from_slice(&cell[40 - n..]);
}

/// An x87 80-bit extended value (the low 10 bytes), as a double.
fn long_double(v: u128) -> f64 {
    let mant = v as u64;
    let se = (v >> 64) as u16;
    let neg = se & 0x8000 != 0;
    let exp = i32::from(se & 0x7fff);
    let sign = if neg { -1.0 } else { 1.0 };
    let r = if exp == 0x7fff {
        if mant << 1 == 0 {
            f64::INFINITY
        } else {
            f64::NAN
        }
    } else if exp != 0 && mant >> 63 == 0 {
        f64::NAN
    } else {
        let e = if exp == 0 { -16382 } else { exp - 16383 };
        // mant is 1.63 fixed point: value = mant * 2^(e - 63).
        ldexp(mant as f64, e - 63)
    };
    sign * r
}

/// `x * 2^e` without overflowing the intermediate powers.
fn ldexp(mut x: f64, mut e: i32) -> f64 {
    while e > 1000 {
        x *= 2f64.powi(1000);
        e -= 1000;
    }
    while e < -1000 {
        x *= 2f64.powi(-1000);
        e += 1000;
        if x == 0.0 {
            return x;
        }
    }
    x * 2f64.powi(e)
}
