//! hexdump: util-linux's format-driven dump. `-b -c -C -d -o -x` are the
//! usual canned formats, `-e FORMAT` and `-f FILE` give format strings of
//! units `[ITERATIONS][/BYTES] "TEXT"` with printf conversions (`%d %i %o
//! %u %x %X` of 1 2 4 8 bytes, `%e %E %f %g %G` of 4 or 8, `%c`, `%s` with
//! a precision or byte count) and hexdump's own `%_a[dox]` (offset),
//! `%_A[dox]` (offset after the input), `%_c` (character or escape),
//! `%_p` (printable or `.`), `%_u` (ASCII names). `-n LEN`, `-s OFFSET`
//! (suffixes K KiB KB M ..., 0x hex, leading-0 octal), `-v` keeps repeated
//! blocks that are otherwise shown as one `*`. Not supported: `%_L` colour
//! (`-L` is accepted and ignored) and multibyte characters in `%_c`.

use ibex::Status;
use ibex::args::{Parser, Spec, flag, optional, value};
use ibex::cformat;
use ibex::dump::Inputs;
use ibex::io::Out;
use std::ffi::OsString;
use std::os::unix::ffi::OsStrExt;

const LONGS: &[ibex::args::Long] = &[
    flag("one-byte-octal", 'b' as u32),
    flag("one-byte-char", 'c' as u32),
    flag("canonical", 'C' as u32),
    flag("two-bytes-decimal", 'd' as u32),
    value("format", 'e' as u32),
    value("format-file", 'f' as u32),
    optional("color", 'L' as u32),
    value("length", 'n' as u32),
    flag("two-bytes-octal", 'o' as u32),
    value("skip", 's' as u32),
    flag("no-squeezing", 'v' as u32),
    flag("two-bytes-hex", 'x' as u32),
];

const SPEC: Spec = Spec::new(
    "bcCde:f:L::n:os:vx",
    LONGS,
    ibex::usage!(
        hexdump,
        "hexdump [-bcCdovx] [-e FORMAT] [-f FILE] [-n LENGTH] [-s OFFSET] [FILE]...\n\n\
         Display FILEs (or stdin) in a user-specified format.\n\n\
         \t-b\tOne-byte octal display (--one-byte-octal)\n\
         \t-c\tOne-byte character display (--one-byte-char)\n\
         \t-C\tCanonical hex+ASCII display (--canonical)\n\
         \t-d\tTwo-byte decimal display (--two-bytes-decimal)\n\
         \t-o\tTwo-byte octal display (--two-bytes-octal)\n\
         \t-x\tTwo-byte hexadecimal display (--two-bytes-hex)\n\
         \t-e FORMAT\tFormat string to display data (--format)\n\
         \t-f FILE\tFile of format strings, one per line (--format-file)\n\
         \t-n LENGTH\tInterpret only LENGTH bytes of input (--length)\n\
         \t-s OFFSET\tSkip OFFSET bytes from the beginning (--skip)\n\
         \t-v\tDisplay all input data, no * for repeats (--no-squeezing)\n\
         \t-L[WHEN]\tColour (accepted, ignored) (--color)"
    ),
);

const ADDR_END_B: &str = "\"%07.7_Ax\\n\"";

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Conv {
    Text,
    Addr,
    Char,
    CharC,
    CharP,
    CharU,
    Int,
    Uint,
    Float,
    Str,
}

/// One conversion with the text before it (or only text).
#[derive(Clone, Debug)]
struct Pr {
    text: Vec<u8>,
    conv: Conv,
    spec: cformat::Spec,
    bcnt: usize,
    /// Drop the final (whitespace) byte on a unit's last iteration.
    nospace: bool,
    /// Past the end of the data: print as many spaces as the field takes.
    bpad: bool,
}

/// A format unit: an iteration count, a byte count and its conversions.
#[derive(Clone, Debug)]
struct Fu {
    reps: usize,
    set_reps: bool,
    bcnt: usize,
    prs: Vec<Pr>,
    /// Holds `%_A`: the rest of its format string only prints at the end.
    ignore: bool,
}

#[derive(Clone, Debug)]
struct Fs {
    fus: Vec<Fu>,
    bcnt: usize,
}

fn bad(what: &[u8]) -> ibex::Exit {
    ibex::msg!(what);
    ibex::Exit(1)
}

fn skip_ws(s: &[u8], mut i: usize) -> usize {
    while s.get(i).is_some_and(u8::is_ascii_whitespace) {
        i += 1;
    }
    i
}

/// Backslash escapes of a format's text.
fn unescape(s: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        if s[i] == b'\\' && i + 1 < s.len() {
            i += 1;
            let e = match s[i] {
                b'a' => 7,
                b'b' => 8,
                b'f' => 12,
                b'n' => b'\n',
                b'r' => b'\r',
                b't' => b'\t',
                b'v' => 11,
                b'0' => 0,
                c => {
                    out.push(b'\\');
                    c
                }
            };
            out.push(e);
        } else {
            out.push(s[i]);
        }
        i += 1;
    }
    out
}

/// Parse one format string into its units.
fn parse_fs(s: &[u8]) -> Result<Fs, ibex::Exit> {
    let mut fus = Vec::new();
    let bad_format = || {
        let mut m = b"bad format {".to_vec();
        m.extend_from_slice(s);
        m.push(b'}');
        bad(&m)
    };
    let mut i = skip_ws(s, 0);
    while i < s.len() {
        let mut fu = Fu {
            reps: 1,
            set_reps: false,
            bcnt: 0,
            prs: Vec::new(),
            ignore: false,
        };
        if s[i].is_ascii_digit() {
            let n = s[i..].iter().take_while(|c| c.is_ascii_digit()).count();
            fu.reps = ibex::num::parse_u64(&s[i..i + n])
                .ok()
                .and_then(|v| usize::try_from(v).ok())
                .unwrap_or(usize::MAX);
            fu.set_reps = true;
            i = skip_ws(s, i + n);
        }
        let mut explicit_bcnt = 0;
        if s.get(i) == Some(&b'/') {
            i = skip_ws(s, i + 1);
            let n = s[i..].iter().take_while(|c| c.is_ascii_digit()).count();
            if n == 0 {
                return Err(bad_format());
            }
            explicit_bcnt = ibex::num::parse_u64(&s[i..i + n])
                .ok()
                .and_then(|v| usize::try_from(v).ok())
                .unwrap_or(usize::MAX);
            i = skip_ws(s, i + n);
        }
        if s.get(i) != Some(&b'"') {
            return Err(bad_format());
        }
        let Some(len) = memchr::memchr(b'"', &s[i + 1..]) else {
            return Err(bad_format());
        };
        let text = unescape(&s[i + 1..i + 1 + len]);
        i = skip_ws(s, i + len + 2);
        fu.bcnt = explicit_bcnt;
        parse_prs(&mut fu, &text)?;
        fus.push(fu);
    }
    Ok(Fs { fus, bcnt: 0 })
}

fn bad_conv(c: &[u8]) -> ibex::Exit {
    let mut m = b"bad conversion character %".to_vec();
    m.extend_from_slice(c);
    bad(&m)
}

fn bad_count(c: &[u8]) -> ibex::Exit {
    let mut m = b"bad byte count for conversion character ".to_vec();
    m.extend_from_slice(c);
    bad(&m)
}

/// Split a unit's text into conversions, each with the text before it.
fn parse_prs(fu: &mut Fu, text: &[u8]) -> Result<(), ibex::Exit> {
    let explicit = fu.bcnt;
    let mut nconv = 0;
    let mut rest = text;
    loop {
        let Some(pct) = memchr::memchr(b'%', rest) else {
            if !rest.is_empty() {
                fu.prs.push(Pr {
                    text: rest.to_vec(),
                    conv: Conv::Text,
                    spec: cformat::Spec::new(b's'),
                    bcnt: 0,
                    nospace: false,
                    bpad: false,
                });
            }
            break;
        };
        let lead = &rest[..pct];
        let after = &rest[pct + 1..];
        let nflags = after
            .iter()
            .take_while(|c| b".#-+ 0123456789".contains(c))
            .count();
        let flags = &after[..nflags];
        let mut d = flags.to_vec();
        d.push(b'd');
        let parsed = cformat::parse(&d);
        let mut spec = parsed.map_or(cformat::Spec::new(b'd'), |p| p.spec(0, 0));
        let prec = parsed.and_then(|p| match p.prec {
            cformat::Count::Num(n) => Some(n),
            _ => None,
        });
        let conv_at = &after[nflags..];
        let Some(&c) = conv_at.first() else {
            return Err(bad_conv(b""));
        };
        let mut used = nflags + 1;
        let (conv, bcnt, name): (Conv, usize, &[u8]) = match c {
            b'c' => (Conv::Char, count(explicit, &[1], 1, b"c")?, b"c"),
            b'd' | b'i' => (Conv::Int, count(explicit, &[1, 2, 4, 8], 4, &[c])?, &[]),
            b'o' | b'u' | b'x' | b'X' => {
                (Conv::Uint, count(explicit, &[1, 2, 4, 8], 4, &[c])?, &[])
            }
            b'e' | b'E' | b'f' | b'g' | b'G' => {
                (Conv::Float, count(explicit, &[4, 8], 8, &[c])?, &[])
            }
            b's' => {
                let n = if explicit > 0 {
                    explicit
                } else if let Some(p) = prec {
                    p
                } else {
                    return Err(bad(b"%s requires a precision or a byte count"));
                };
                (Conv::Str, n, &[])
            }
            b'_' => {
                let sub = conv_at.get(1).copied().unwrap_or(0);
                used += 1;
                match sub {
                    b'a' | b'A' => {
                        let radix = conv_at.get(2).copied().unwrap_or(0);
                        if !matches!(radix, b'd' | b'o' | b'x') {
                            let n = conv_at.len().min(3);
                            return Err(bad_conv(&conv_at[..n]));
                        }
                        used += 1;
                        spec.conv = radix;
                        if sub == b'A' {
                            fu.ignore = true;
                        }
                        (Conv::Addr, 0, &[])
                    }
                    b'c' => (Conv::CharC, count(explicit, &[1], 1, b"_c")?, &[]),
                    b'p' => (Conv::CharP, count(explicit, &[1], 1, b"_p")?, &[]),
                    b'u' => (Conv::CharU, count(explicit, &[1], 1, b"_u")?, &[]),
                    _ => return Err(bad_conv(&conv_at[..conv_at.len().min(2)])),
                }
            }
            _ => return Err(bad_conv(&[c])),
        };
        let _ = name;
        if conv != Conv::Addr {
            if explicit > 0 && nconv > 0 {
                return Err(bad(b"byte count with multiple conversion characters"));
            }
            nconv += 1;
        }
        if matches!(conv, Conv::Int | Conv::Uint | Conv::Float) {
            spec.conv = c;
        } else if conv == Conv::Str {
            spec.conv = b's';
            spec.prec = Some(prec.map_or(bcnt, |p| p.min(bcnt)));
        }
        fu.prs.push(Pr {
            text: lead.to_vec(),
            conv,
            spec,
            bcnt,
            nospace: false,
            bpad: false,
        });
        rest = &after[used..];
    }
    if fu.bcnt == 0 {
        fu.bcnt = fu.prs.iter().map(|p| p.bcnt).sum();
    }
    Ok(())
}

/// The byte count of a conversion: the unit's, which must be one of
/// `allowed`, or the default.
fn count(
    explicit: usize,
    allowed: &[usize],
    default: usize,
    name: &[u8],
) -> Result<usize, ibex::Exit> {
    if explicit == 0 {
        Ok(default)
    } else if allowed.contains(&explicit) {
        Ok(explicit)
    } else {
        Err(bad_count(name))
    }
}

/// util-linux's size parser: a number (0x hex, leading-0 octal), an
/// optional decimal fraction and a suffix K M G T P E (`iB` 1024, `B` 1000).
fn strtosize(s: &[u8]) -> Result<u64, i32> {
    let s = ibex::num::trim_start(s);
    if s.first() == Some(&b'-') {
        return Err(libc::EINVAL);
    }
    let p = cformat::strtoumax(s);
    let (mut n, mut i) = (p.value, p.used);
    if i == 0 {
        return Err(libc::EINVAL);
    }
    if p.range {
        return Err(libc::ERANGE);
    }
    let mut frac: (u64, u64) = (0, 1);
    if s.get(i) == Some(&b'.') {
        i += 1;
        while let Some(&c) = s.get(i).filter(|c| c.is_ascii_digit()) {
            if frac.1 < 1_000_000_000_000 {
                frac = (frac.0 * 10 + u64::from(c - b'0'), frac.1 * 10);
            }
            i += 1;
        }
    }
    let suf = &s[i..];
    if suf.is_empty() {
        return Ok(n);
    }
    let power = match suf[0].to_ascii_uppercase() {
        b'K' => 1,
        b'M' => 2,
        b'G' => 3,
        b'T' => 4,
        b'P' => 5,
        b'E' => 6,
        b'Z' => 7,
        b'Y' => 8,
        _ => return Err(libc::EINVAL),
    };
    let base: u64 = match &suf[1..] {
        b"" | b"iB" | b"ib" => 1024,
        b"B" | b"b" => 1000,
        _ => return Err(libc::EINVAL),
    };
    let mult = base.checked_pow(power).ok_or(libc::ERANGE)?;
    n = n.checked_mul(mult).ok_or(libc::ERANGE)?;
    let extra = u128::from(frac.0) * u128::from(mult) / u128::from(frac.1);
    n.checked_add(u64::try_from(extra).map_err(|_| libc::ERANGE)?)
        .ok_or(libc::ERANGE)
}

fn size_arg(what: &str, v: &[u8]) -> Result<u64, ibex::Exit> {
    strtosize(v).map_err(|e| {
        ibex::msg!(
            "failed to parse ",
            what,
            ": '",
            v,
            "': ",
            ibex::error::strerror(e)
        );
        ibex::Exit(1)
    })
}

pub fn main(argv: &[OsString]) -> Status {
    let mut p = Parser::new(argv, &SPEC);
    let mut formats: Vec<Vec<u8>> = Vec::new();
    let mut length: Option<u64> = None;
    let mut skip = 0u64;
    let mut verbose = false;
    let canned = |f: &mut Vec<Vec<u8>>, body: &str| {
        f.push(ADDR_END_B.as_bytes().to_vec());
        f.push(body.as_bytes().to_vec());
    };
    while let Some((id, val)) = p.next()? {
        let v = val.map(|v| v.as_bytes()).unwrap_or_default();
        match char::from_u32(id).unwrap_or(' ') {
            'b' => canned(&mut formats, "\"%07.7_ax \" 16/1 \"%03o \" \"\\n\""),
            'c' => canned(&mut formats, "\"%07.7_ax \" 16/1 \"%3_c \" \"\\n\""),
            'C' => {
                formats.push(b"\"%08.8_Ax\\n\"".to_vec());
                formats.push(b"\"%08.8_ax  \" 8/1 \"%02x \" \"  \" 8/1 \"%02x \" ".to_vec());
                formats.push(b"\"  |\" 16/1 \"%_p\" \"|\\n\"".to_vec());
            }
            'd' => canned(&mut formats, "\"%07.7_ax \" 8/2 \"  %05u \" \"\\n\""),
            'o' => canned(&mut formats, "\"%07.7_ax \" 8/2 \" %06o \" \"\\n\""),
            'x' => canned(&mut formats, "\"%07.7_ax \" 8/2 \"   %04x \" \"\\n\""),
            'e' => formats.push(v.to_vec()),
            'f' => {
                let data = match ibex::io::read_file(v) {
                    Ok(d) => d,
                    Err(e) => {
                        ibex::msg!("can't read ", v, ": ", e);
                        return Err(ibex::Exit(1));
                    }
                };
                for line in data.split(|&b| b == b'\n') {
                    let t = ibex::num::trim_start(line);
                    if !t.is_empty() && t[0] != b'#' {
                        formats.push(line.to_vec());
                    }
                }
            }
            'n' => length = Some(size_arg("length", v)?),
            's' => skip = size_arg("offset", v)?,
            'v' => verbose = true,
            _ => {}
        }
    }
    if formats.is_empty() {
        canned(&mut formats, "\"%07.7_ax \" 8/2 \"%04x \" \"\\n\"");
    }
    let mut fss = Vec::new();
    for f in &formats {
        fss.push(parse_fs(f)?);
    }
    let names: Vec<Vec<u8>> = p.operands().iter().map(|o| o.as_bytes().to_vec()).collect();
    let all_named = names.len();
    let h_block: usize = fss
        .iter()
        .map(|f| {
            f.fus
                .iter()
                .map(|u| u.bcnt.saturating_mul(u.reps))
                .fold(0usize, usize::saturating_add)
        })
        .max()
        .unwrap_or(0);
    if h_block > 1 << 26 {
        ibex::msg!("format block too large: ", h_block, " bytes");
        return Err(ibex::Exit(1));
    }
    let mut h = Hexdump::new(fss);
    let mut inputs = Inputs::new(names).stdin_name(b"stdin");
    let mut out = Out::stdout();
    h.run(&mut inputs, &mut out, skip, length, verbose);
    let mut status = i32::from(inputs.failed);
    if inputs.opened == 0 && all_named > 0 && inputs.failed {
        out.flush();
        ibex::msg!("all input file arguments failed");
        status = 1;
    }
    out.done(status)
}

struct Hexdump {
    fss: Vec<Fs>,
    blocksize: usize,
    /// (format string, unit) holding the last `%_A`.
    endfu: Option<(usize, usize)>,
    buf: Vec<u8>,
}

impl Hexdump {
    fn new(mut fss: Vec<Fs>) -> Hexdump {
        let mut endfu = None;
        for (si, fs) in fss.iter_mut().enumerate() {
            fs.bcnt = fs
                .fus
                .iter()
                .map(|f| f.bcnt.saturating_mul(f.reps))
                .fold(0usize, usize::saturating_add);
            for (ui, fu) in fs.fus.iter().enumerate() {
                if fu.ignore {
                    endfu = Some((si, ui));
                }
            }
        }
        let blocksize = fss.iter().map(|f| f.bcnt).max().unwrap_or(0);
        for fs in &mut fss {
            let total = fs.bcnt;
            let n = fs.fus.len();
            for (ui, fu) in fs.fus.iter_mut().enumerate() {
                // The last unit, when it has no count of its own, repeats
                // to fill the block.
                if ui + 1 == n && total < blocksize && !fu.set_reps && fu.bcnt > 0 {
                    fu.reps += (blocksize - total) / fu.bcnt;
                }
                if fu.reps > 1
                    && let Some(last) = fu.prs.last_mut()
                    && last.conv == Conv::Text
                    && last.text.last().is_some_and(u8::is_ascii_whitespace)
                {
                    last.nospace = true;
                }
            }
        }
        Hexdump {
            fss,
            blocksize,
            endfu,
            buf: Vec::with_capacity(4096),
        }
    }

    fn run(
        &mut self,
        inputs: &mut Inputs,
        out: &mut Out,
        skip: u64,
        length: Option<u64>,
        verbose: bool,
    ) {
        let left = inputs.skip(skip);
        let mut address = skip - left;
        let bs = self.blocksize;
        let mut eaddress: Option<u64> = None;
        let mut remaining = length.unwrap_or(u64::MAX);
        if bs > 0 {
            let mut block = vec![0u8; bs];
            let mut prev = vec![0u8; bs];
            let mut have_prev = false;
            let mut waiting = false;
            loop {
                let want = bs.min(usize::try_from(remaining).unwrap_or(usize::MAX));
                if want == 0 {
                    break;
                }
                let n = inputs.fill(&mut block[..want]);
                if n == 0 {
                    break;
                }
                remaining -= n as u64;
                if n == bs {
                    if !verbose && have_prev && block == prev {
                        if waiting {
                            out.write(b"*\n");
                        }
                        waiting = false;
                        address += bs as u64;
                        continue;
                    }
                    waiting = true;
                    self.display(out, &block, address, None);
                    std::mem::swap(&mut block, &mut prev);
                    have_prev = true;
                    address += bs as u64;
                } else {
                    block[n..].fill(0);
                    let end = address + n as u64;
                    eaddress = Some(end);
                    self.display(out, &block, address, Some(end));
                    address = end;
                    break;
                }
            }
        }
        if let Some((si, ui)) = self.endfu {
            let e = match eaddress {
                Some(e) => e,
                None if address == 0 => return,
                None => address,
            };
            self.buf.clear();
            if let Some(fu) = self.fss.get(si).and_then(|fs| fs.fus.get(ui)) {
                for pr in &fu.prs {
                    match pr.conv {
                        Conv::Text => self.buf.extend_from_slice(&pr.text),
                        Conv::Addr => {
                            self.buf.extend_from_slice(&pr.text);
                            cformat::format_unsigned(&mut self.buf, &pr.spec, e);
                        }
                        _ => {}
                    }
                }
            }
            out.write(&self.buf);
        }
    }

    fn display(&mut self, out: &mut Out, block: &[u8], start: u64, end: Option<u64>) {
        self.buf.clear();
        let buf = &mut self.buf;
        for fs in &mut self.fss {
            let mut address = start;
            let mut at = 0usize;
            for fu in &mut fs.fus {
                if fu.ignore {
                    break;
                }
                for rep in (1..=fu.reps).rev() {
                    for pr in &mut fu.prs {
                        if end.is_some_and(|e| address >= e) && pr.conv != Conv::Text {
                            pr.bpad = true;
                        }
                        let data = block.get(at..at + pr.bcnt).unwrap_or(&[]);
                        print_pr(buf, pr, data, address, rep == 1);
                        address += pr.bcnt as u64;
                        at += pr.bcnt;
                    }
                }
            }
        }
        out.write(&self.buf);
    }
}

fn print_pr(buf: &mut Vec<u8>, pr: &Pr, data: &[u8], address: u64, last: bool) {
    if pr.conv == Conv::Text {
        let t = if last && pr.nospace {
            &pr.text[..pr.text.len() - 1]
        } else {
            &pr.text[..]
        };
        buf.extend_from_slice(t);
        return;
    }
    buf.extend_from_slice(&pr.text);
    if pr.bpad {
        buf.resize(buf.len() + pr.spec.width, b' ');
        return;
    }
    let mut spec = pr.spec;
    let byte = data.first().copied().unwrap_or(0);
    match pr.conv {
        Conv::Text => {}
        Conv::Addr => int(buf, &spec, false, address),
        Conv::Char => {
            spec.conv = b'c';
            cformat::format_str(buf, &spec, &[byte]);
        }
        Conv::CharP if spec.width <= 1 => {
            buf.push(if ibex::dump::printable(byte) {
                byte
            } else {
                b'.'
            });
        }
        Conv::CharP => {
            spec.conv = b'c';
            let b = if ibex::dump::printable(byte) {
                byte
            } else {
                b'.'
            };
            cformat::format_str(buf, &spec, &[b]);
        }
        Conv::CharC => {
            if let Some(e) = ibex::dump::c_escape(byte) {
                spec.conv = b's';
                spec.prec = None;
                cformat::format_str(buf, &spec, e);
            } else if ibex::dump::printable(byte) {
                spec.conv = b'c';
                cformat::format_str(buf, &spec, &[byte]);
            } else {
                spec.conv = b's';
                spec.prec = None;
                let o = [
                    b'0' + (byte >> 6),
                    b'0' + ((byte >> 3) & 7),
                    b'0' + (byte & 7),
                ];
                cformat::format_str(buf, &spec, &o);
            }
        }
        Conv::CharU => {
            const NAMES: [&[u8]; 32] = [
                b"nul", b"soh", b"stx", b"etx", b"eot", b"enq", b"ack", b"bel", b"bs", b"ht",
                b"lf", b"vt", b"ff", b"cr", b"so", b"si", b"dle", b"dc1", b"dc2", b"dc3", b"dc4",
                b"nak", b"syn", b"etb", b"can", b"em", b"sub", b"esc", b"fs", b"gs", b"rs", b"us",
            ];
            if let Some(n) = NAMES.get(byte as usize) {
                spec.conv = b's';
                spec.prec = None;
                cformat::format_str(buf, &spec, n);
            } else if byte == 0x7f {
                spec.conv = b's';
                spec.prec = None;
                cformat::format_str(buf, &spec, b"del");
            } else if ibex::dump::printable(byte) {
                spec.conv = b'c';
                cformat::format_str(buf, &spec, &[byte]);
            } else {
                spec.conv = b'x';
                cformat::format_unsigned(buf, &spec, u64::from(byte));
            }
        }
        Conv::Int | Conv::Uint => {
            let mut v: u64 = 0;
            for &b in data.iter().rev() {
                v = (v << 8) | u64::from(b);
            }
            if pr.conv == Conv::Int && matches!(spec.conv, b'd' | b'i') {
                let bits = 8 * data.len().clamp(1, 8) as u32;
                let sv = ((v << (64 - bits)) as i64) >> (64 - bits);
                int(buf, &spec, sv < 0, sv.unsigned_abs());
            } else {
                int(buf, &spec, false, v);
            }
        }
        Conv::Float => {
            let v = match *data {
                [a, b, c, d] => f64::from(f32::from_le_bytes([a, b, c, d])),
                [a, b, c, d, e, f, g, h] => f64::from_le_bytes([a, b, c, d, e, f, g, h]),
                _ => 0.0,
            };
            cformat::format_float(buf, &spec, v);
        }
        Conv::Str => {
            let s = match memchr::memchr(0, data) {
                Some(i) => &data[..i],
                None => data,
            };
            cformat::format_str(buf, &spec, s);
        }
    }
}

/// C's `%d %u %o %x %X` of a value: the common flags done here without
/// allocating (the hot path of every dump); `+`, space and `#` go to
/// cformat.
fn int(buf: &mut Vec<u8>, spec: &cformat::Spec, neg: bool, mag: u64) {
    let f = spec.flags;
    if f.plus || f.space || f.alt {
        if neg {
            let v = (mag as i64).wrapping_neg();
            cformat::format_signed(buf, spec, v);
        } else {
            cformat::format_unsigned(buf, spec, mag);
        }
        return;
    }
    let (base, table): (u64, &[u8; 16]) = match spec.conv {
        b'o' => (8, b"0123456789abcdef"),
        b'x' => (16, b"0123456789abcdef"),
        b'X' => (16, b"0123456789ABCDEF"),
        _ => (10, b"0123456789abcdef"),
    };
    let mut digits = [0u8; 64];
    let mut i = digits.len();
    let mut n = mag;
    while n > 0 {
        i -= 1;
        digits[i] = table[(n % base) as usize];
        n /= base;
    }
    let min = spec.prec.unwrap_or(1).min(64);
    while digits.len() - i < min {
        i -= 1;
        digits[i] = b'0';
    }
    let body = &digits[i..];
    let len = body.len() + usize::from(neg);
    let fill = spec.width.saturating_sub(len);
    if f.minus {
        if neg {
            buf.push(b'-');
        }
        buf.extend_from_slice(body);
        buf.resize(buf.len() + fill, b' ');
    } else if f.zero && spec.prec.is_none() {
        if neg {
            buf.push(b'-');
        }
        buf.resize(buf.len() + fill, b'0');
        buf.extend_from_slice(body);
    } else {
        buf.resize(buf.len() + fill, b' ');
        if neg {
            buf.push(b'-');
        }
        buf.extend_from_slice(body);
    }
}
