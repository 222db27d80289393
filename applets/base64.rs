//! base64, base32: encode FILE (or standard input) in RFC 4648 base64 or
//! base32, wrapped at 76 columns (-w COLS, 0 for none), or decode it (-d;
//! newlines are skipped, and with -i every byte outside the alphabet).

use ibex::Status;
use ibex::args::{Parser, Spec, flag, usage_error, value};
use ibex::baseenc::{Decoder, Kind, encode, encoded_len};
use ibex::io::{Input, Out};
use std::ffi::OsString;
use std::os::unix::ffi::OsStrExt;

const LONGS: &[ibex::args::Long] = &[
    flag("decode", 'd' as u32),
    flag("ignore-garbage", 'i' as u32),
    value("wrap", 'w' as u32),
];

const SPEC64: Spec = Spec::new(
    "diw:",
    LONGS,
    ibex::usage!(
        base64,
        "base64 [-di] [-w COLS] [FILE]\n\n\
         Base64 encode or decode FILE to standard output\n\n\
         \t-d\tDecode data\n\
         \t-i\tWhen decoding, ignore non-alphabet characters\n\
         \t-w COLS\tWrap encoded lines after COLS characters (default 76, 0: no wrap)"
    ),
);

const SPEC32: Spec = Spec::new(
    "diw:",
    LONGS,
    ibex::usage!(
        base32,
        "base32 [-di] [-w COLS] [FILE]\n\n\
         Base32 encode or decode FILE to standard output\n\n\
         \t-d\tDecode data\n\
         \t-i\tWhen decoding, ignore non-alphabet characters\n\
         \t-w COLS\tWrap encoded lines after COLS characters (default 76, 0: no wrap)"
    ),
);

pub fn main(argv: &[OsString]) -> Status {
    run(argv, Kind::Base64, &SPEC64)
}

pub fn base32(argv: &[OsString]) -> Status {
    run(argv, Kind::Base32, &SPEC32)
}

fn run(argv: &[OsString], kind: Kind, spec: &Spec) -> Status {
    let mut decode = false;
    let mut garbage = false;
    let mut wrap: usize = 76;
    let mut p = Parser::new(argv, spec);
    while let Some((id, v)) = p.next()? {
        match id {
            0x64 => decode = true,
            0x69 => garbage = true,
            0x77 => {
                let v = v.map_or(&b""[..], |v| v.as_bytes());
                wrap = match ibex::num::parse_u64(v) {
                    Ok(n) => usize::try_from(n).unwrap_or(0),
                    // Wider than anything: never wraps.
                    Err(ibex::num::NumError::Range) => 0,
                    Err(_) => {
                        let mut m = b"invalid wrap size: ".to_vec();
                        m.extend_from_slice(&ibex::copy::quote(v));
                        ibex::msg!(m);
                        return Err(ibex::Exit(1));
                    }
                };
            }
            _ => {}
        }
    }
    let ops = p.operands();
    if ops.len() > 1 {
        let mut m = b"extra operand ".to_vec();
        m.extend_from_slice(&ibex::copy::quote(ops[1].as_bytes()));
        return Err(usage_error(spec, &[&m]));
    }
    let name = ops.first().map_or(&b"-"[..], |o| o.as_bytes());
    let input = match Input::open(name) {
        Ok(i) => i,
        Err(e) => {
            ibex::msg!(name, ": ", e);
            return Ok(1);
        }
    };
    let mut out = Out::stdout();
    let result = if decode {
        decode_all(kind, garbage, input.fd(), &mut out)
    } else {
        encode_all(kind, wrap, input.fd(), &mut out)
    };
    match result {
        Ok(()) => out.done(0),
        Err(Failure::Read(e)) => {
            out.flush();
            ibex::msg!("read error: ", e);
            Ok(out.finish(1))
        }
        Err(Failure::Invalid) => {
            out.flush();
            ibex::msg!("invalid input");
            Ok(out.finish(1))
        }
    }
}

enum Failure {
    Read(std::io::Error),
    Invalid,
}

/// Fill `buf` as far as the input allows (pipes give short reads; the
/// encoder wants whole groups). Returns the bytes read, 0 at end.
fn fill(fd: i32, buf: &mut [u8]) -> Result<usize, Failure> {
    let mut n = 0;
    while n < buf.len() {
        let r = ibex::sys::read(fd, &mut buf[n..]).map_err(Failure::Read)?;
        if r == 0 {
            break;
        }
        n += r;
    }
    Ok(n)
}

fn encode_all(kind: Kind, wrap: usize, fd: i32, out: &mut Out) -> Result<(), Failure> {
    // Whole groups per read, and whole lines when lines hold whole groups.
    let line_bytes = wrap / kind.group_chars() * kind.group_bytes();
    let by_lines = wrap > 0 && wrap.is_multiple_of(kind.group_chars());
    let unit = if by_lines { line_bytes } else { 15 };
    let mut buf = vec![0u8; (240 * 1024 / unit).max(1) * unit];
    let mut enc = Vec::with_capacity(buf.len() / 3 * 4 + 16);
    let mut lines = Vec::new();
    let mut col = 0usize;
    loop {
        let n = fill(fd, &mut buf)?;
        if n == 0 {
            break;
        }
        enc.clear();
        if by_lines && col == 0 {
            // Whole lines straight from the input (no re-copying).
            let mut rest = &buf[..n];
            while rest.len() >= line_bytes {
                encode(kind, &rest[..line_bytes], &mut enc);
                enc.push(b'\n');
                rest = &rest[line_bytes..];
            }
            if !rest.is_empty() {
                encode(kind, rest, &mut enc);
                col = encoded_len(kind, rest.len());
            }
            out.write(&enc);
        } else if wrap == 0 {
            encode(kind, &buf[..n], &mut enc);
            out.write(&enc);
        } else {
            encode(kind, &buf[..n], &mut enc);
            // Copy into lines through indices, in 8-byte moves.
            lines.clear();
            lines.resize(enc.len() + enc.len().checked_div(wrap).unwrap_or(0) + 2, 0);
            let mut o = 0;
            let mut i = 0;
            while i < enc.len() {
                let take = (wrap - col).min(enc.len() - i);
                let end = i + take;
                while i + 8 <= end {
                    lines[o..o + 8].copy_from_slice(&enc[i..i + 8]);
                    o += 8;
                    i += 8;
                }
                while i < end {
                    lines[o] = enc[i];
                    o += 1;
                    i += 1;
                }
                col += take;
                if col == wrap {
                    lines[o] = b'\n';
                    o += 1;
                    col = 0;
                }
            }
            lines.truncate(o);
            out.write(&lines);
        }
        if n < buf.len() {
            break;
        }
    }
    if wrap > 0 && col > 0 {
        out.byte(b'\n');
    }
    Ok(())
}

fn decode_all(kind: Kind, garbage: bool, fd: i32, out: &mut Out) -> Result<(), Failure> {
    let mut dec = Decoder::new(kind, garbage);
    let mut buf = vec![0u8; 256 * 1024];
    let mut plain = Vec::with_capacity(buf.len());
    loop {
        let n = ibex::sys::read(fd, &mut buf).map_err(Failure::Read)?;
        plain.clear();
        let r = if n == 0 {
            dec.finish(&mut plain)
        } else {
            dec.feed(&buf[..n], &mut plain)
        };
        out.write(&plain);
        if r.is_err() {
            return Err(Failure::Invalid);
        }
        if n == 0 {
            return Ok(());
        }
    }
}
