//! strings: print the runs of printable characters in files, as GNU
//! binutils does: at least 4 (`-n N`, `-N`) characters, the whole file
//! is scanned (`-a`; `-d` is accepted and scans the whole file too),
//! `-t o|d|x` (`-o`) offsets, `-f` file names, `-w` all white space counts,
//! `-s SEP` after each string, `-e s|S|b|l|B|L` character size and order.

use ibex::Status;
use ibex::args::{Parser, Spec, flag, usage_error, value};
use ibex::io::Out;
use std::ffi::{OsStr, OsString};
use std::os::unix::ffi::OsStrExt;

const LONGS: &[ibex::args::Long] = &[
    flag("all", 'a' as u32),
    value("bytes", 'n' as u32),
    flag("data", 'd' as u32),
    value("encoding", 'e' as u32),
    flag("include-all-whitespace", 'w' as u32),
    value("output-separator", 's' as u32),
    flag("print-file-name", 'f' as u32),
    value("radix", 't' as u32),
    value("target", 'T' as u32),
];

const SPEC: Spec = Spec::new(
    "adfn:ot:T:we:s:",
    LONGS,
    ibex::usage!(
        strings,
        "strings [-afow] [-n LEN] [-t o|d|x] [-e ENC] [-s SEP] [FILE]...\n\n\
         Print the sequences of printable characters in FILEs\n\n\
         \t-a\tScan the whole file (the default) (--all)\n\
         \t-f\tPrecede each string with the file name (--print-file-name)\n\
         \t-n LEN\tAt least LEN characters, default 4 (also -LEN) (--bytes)\n\
         \t-t RADIX\tPrint offsets in o(ctal), d(ecimal) or x (hex) (--radix)\n\
         \t-o\tSame as -t o\n\
         \t-w\tCount all white space as printable (--include-all-whitespace)\n\
         \t-e ENC\ts 7-bit, S 8-bit, b/l 16-bit big/little endian,\n\
         \t\tB/L 32-bit (--encoding)\n\
         \t-s SEP\tWrite SEP after each string, not newline (--output-separator)"
    ),
)
.digits('n' as u32);

struct Strings {
    min: usize,
    radix: Option<u8>,
    names: bool,
    sep: Vec<u8>,
    /// Bytes per character and whether the first byte is the high one.
    unit: usize,
    big: bool,
    graphic: [bool; 256],
}

pub fn main(argv: &[OsString]) -> Status {
    let mut s = Strings {
        min: 4,
        radix: None,
        names: false,
        sep: b"\n".to_vec(),
        unit: 1,
        big: false,
        graphic: [false; 256],
    };
    let (mut eight, mut white) = (false, false);
    let mut p = Parser::new(argv, &SPEC);
    while let Some((id, v)) = p.next()? {
        let v = v.unwrap_or_default().as_bytes();
        match char::from_u32(id).unwrap_or('\0') {
            'f' => s.names = true,
            'n' => {
                let n = match ibex::num::parse_u64(v) {
                    Ok(n) => n,
                    Err(_) => {
                        return Err(usage_error(&SPEC, &[b"invalid integer argument ", v]));
                    }
                };
                if n == 0 || n > (1 << 30) {
                    ibex::msg!("invalid minimum string length ", v);
                    return Err(ibex::Exit(1));
                }
                s.min = n as usize;
            }
            'o' => s.radix = Some(b'o'),
            't' => match v {
                [r @ (b'o' | b'd' | b'x')] => s.radix = Some(*r),
                _ => return Err(usage_error(&SPEC, &[b"invalid radix ", v])),
            },
            'w' => white = true,
            's' => s.sep = v.to_vec(),
            'e' => {
                (s.unit, s.big, eight) = match v {
                    b"s" => (1, false, false),
                    b"S" => (1, false, true),
                    b"b" => (2, true, false),
                    b"l" => (2, false, false),
                    b"B" => (4, true, false),
                    b"L" => (4, false, false),
                    _ => return Err(usage_error(&SPEC, &[b"invalid encoding ", v])),
                }
            }
            _ => {} // -a -d -T
        }
    }
    for c in 0..=255u8 {
        s.graphic[c as usize] = (32..127).contains(&c)
            || c == b'\t'
            || (eight && c > 127)
            || (white && (c == b'\n' || c == 11 || c == 12 || c == b'\r'));
    }
    let mut files = p.operands();
    let stdin = files.is_empty();
    if stdin {
        files.push(OsStr::new("-"));
    }
    let mut out = Out::stdout();
    let mut status = 0;
    for name in files {
        let name = name.as_bytes();
        let shown: &[u8] = if stdin { b"{standard input}" } else { name };
        let input = if stdin {
            ibex::io::Input::Stdin
        } else {
            match open(name) {
                Some(i) => i,
                None => {
                    status = 1;
                    continue;
                }
            }
        };
        let res = if s.unit == 1 {
            s.bytes(input.fd(), shown, &mut out)
        } else {
            ibex::io::read_all(input.fd()).map(|data| s.wide(&data, shown, &mut out))
        };
        if let Err(e) = res {
            ibex::error::io_error(name, &e);
            status = 1;
        }
        if out.failed() {
            break;
        }
    }
    out.done(status)
}

/// Open a file operand, reporting problems binutils' way.
fn open(name: &[u8]) -> Option<ibex::io::Input> {
    let q = ibex::copy::quote(name);
    match ibex::sys::stat(name) {
        Err(e) if e.raw_os_error() == Some(libc::ENOENT) => {
            ibex::msg!(q, ": No such file");
            return None;
        }
        Ok(st) if st.is_dir() => {
            ibex::msg!("Warning: ", q, " is a directory");
            return None;
        }
        _ => {}
    }
    match ibex::io::Input::open(name) {
        Ok(i) => Some(i),
        Err(e) => {
            ibex::msg!(q, ": ", e);
            None
        }
    }
}

impl Strings {
    /// Start a string found at `off`: file name and offset.
    fn head(&self, name: &[u8], off: u64, out: &mut Out) {
        if self.names {
            out.write(name);
            out.write(b": ");
        }
        if let Some(r) = self.radix {
            let digits = match r {
                b'o' => format!("{off:o}"),
                b'x' => format!("{off:x}"),
                _ => off.to_string(),
            };
            for _ in digits.len()..7 {
                out.byte(b' ');
            }
            out.str(&digits);
            out.byte(b' ');
        }
    }

    /// One-byte characters, streamed through a buffer.
    fn bytes(&self, fd: i32, name: &[u8], out: &mut Out) -> std::io::Result<()> {
        let mut buf = vec![0u8; 128 * 1024];
        // The current run: its start, and its first characters while it is
        // still shorter than the minimum.
        let mut run: Vec<u8> = Vec::with_capacity(self.min);
        let mut run_start = 0u64;
        let mut printing = false;
        let mut off = 0u64;
        loop {
            let n = match ibex::sys::read(fd, &mut buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            let data = &buf[..n];
            let mut i = 0;
            while i < n {
                // The run of printable bytes at i.
                let len = data[i..]
                    .iter()
                    .position(|&c| !self.graphic[c as usize])
                    .unwrap_or(n - i);
                if len > 0 {
                    if printing {
                        out.write(&data[i..i + len]);
                    } else {
                        if run.is_empty() {
                            run_start = off + i as u64;
                        }
                        let take = len.min(self.min - run.len());
                        run.extend_from_slice(&data[i..i + take]);
                        if run.len() == self.min {
                            self.head(name, run_start, out);
                            out.write(&run);
                            out.write(&data[i + take..i + len]);
                            printing = true;
                        }
                    }
                    i += len;
                }
                if i < n {
                    // A non-printable byte ends the run.
                    if printing {
                        out.write(&self.sep);
                        printing = false;
                    }
                    run.clear();
                    i += 1;
                }
            }
            off += n as u64;
        }
        if printing {
            out.write(&self.sep);
        }
        Ok(())
    }

    /// The character of `unit` bytes at `i`, if it is printable.
    fn wide_char(&self, data: &[u8], i: usize) -> Option<u8> {
        let u = data.get(i..i + self.unit)?;
        let v = if self.big {
            u.iter().fold(0u32, |a, &b| a << 8 | u32::from(b))
        } else {
            u.iter().rev().fold(0u32, |a, &b| a << 8 | u32::from(b))
        };
        let c = u8::try_from(v).ok()?;
        self.graphic[c as usize].then_some(c)
    }

    /// 16- and 32-bit characters: after a character that is not
    /// printable, the search goes on from its second byte (as binutils).
    fn wide(&self, data: &[u8], name: &[u8], out: &mut Out) {
        let mut start = 0;
        let mut text = Vec::new();
        while start < data.len() {
            text.clear();
            let mut i = start;
            while let Some(c) = self.wide_char(data, i) {
                text.push(c);
                i += self.unit;
            }
            if text.len() >= self.min {
                self.head(name, start as u64, out);
                out.write(&text);
                out.write(&self.sep);
            }
            start = i + 1;
        }
    }
}
