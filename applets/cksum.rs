//! cksum: the POSIX CRC and byte count of each file (`CRC SIZE NAME`), or
//! with -a another algorithm: `bsd` and `sysv` (the two `sum` checksums),
//! `md5`, `sha1`, `sha256`, `sha512` (BSD-style lines unless --untagged).

use ibex::Status;
use ibex::args::{Parser, Spec, flag, usage_error, value};
use ibex::hash::{Algo, Digest, crc32::Cksum, hex};
use ibex::io::{Input, Out};
use std::ffi::OsString;
use std::os::unix::ffi::OsStrExt;

const UNTAGGED: u32 = 256;
const TAG: u32 = 257;

const LONGS: &[ibex::args::Long] = &[
    value("algorithm", 'a' as u32),
    flag("zero", 'z' as u32),
    flag("untagged", UNTAGGED),
    flag("tag", TAG),
];

const SPEC: Spec = Spec::new(
    "a:z",
    LONGS,
    ibex::usage!(
        cksum,
        "cksum [-z] [-a ALGORITHM] [--untagged] [FILE]...\n\n\
         Print the CRC checksum and byte count of each FILE\n\n\
         \t-a ALG\tbsd, sysv, crc (default), md5, sha1, sha256 or sha512\n\
         \t--untagged\tHEX  NAME lines instead of ALG (NAME) = HEX\n\
         \t-z\tEnd lines with NUL, not newline; no name escaping"
    ),
);

const ALGORITHMS: &[&str] = &["bsd", "sysv", "crc", "md5", "sha1", "sha256", "sha512"];

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Bsd,
    Sysv,
    Crc,
    Digest(Algo),
}

pub fn main(argv: &[OsString]) -> Status {
    let mut kind = Kind::Crc;
    let mut untagged = false;
    let mut zero = false;
    let mut p = Parser::new(argv, &SPEC);
    while let Some((id, v)) = p.next()? {
        match id {
            0x61 => {
                let v = v.map_or(&b""[..], |v| v.as_bytes());
                kind = match v {
                    b"bsd" => Kind::Bsd,
                    b"sysv" => Kind::Sysv,
                    b"crc" => Kind::Crc,
                    b"md5" => Kind::Digest(Algo::Md5),
                    b"sha1" => Kind::Digest(Algo::Sha1),
                    b"sha256" => Kind::Digest(Algo::Sha256),
                    b"sha512" => Kind::Digest(Algo::Sha512),
                    _ => {
                        let mut m = b"invalid argument ".to_vec();
                        m.extend_from_slice(&ibex::copy::quote(v));
                        m.extend_from_slice(b" for '--algorithm'\nValid arguments are:");
                        for a in ALGORITHMS {
                            m.extend_from_slice(b"\n  - '");
                            m.extend_from_slice(a.as_bytes());
                            m.push(b'\'');
                        }
                        return Err(usage_error(&SPEC, &[&m]));
                    }
                };
            }
            0x7a => zero = true,
            UNTAGGED => untagged = true,
            TAG => untagged = false,
            _ => {}
        }
    }
    let ops = p.operands();
    let named = !ops.is_empty();
    let stdin = [std::ffi::OsStr::new("-")];
    let files: &[&std::ffi::OsStr] = if named { &ops } else { &stdin };
    let mut out = Out::stdout();
    let mut buf = vec![0u8; 256 * 1024];
    let mut status = 0;
    let end = if zero { 0 } else { b'\n' };
    for f in files {
        let name = f.as_bytes();
        let result = sum_file(kind, name, &mut buf);
        let (text, size) = match result {
            Ok(r) => r,
            Err(e) => {
                out.flush();
                ibex::msg!(quotef(name), ": ", e);
                status = 1;
                continue;
            }
        };
        match kind {
            Kind::Crc => {
                out.write(&text);
                out.byte(b' ');
                out.num(size);
                if named {
                    out.byte(b' ');
                    out.write(name);
                }
            }
            Kind::Bsd => {
                out.write(&text);
                out.byte(b' ');
                out.num_width(size.div_ceil(1024), 5);
                if named {
                    out.byte(b' ');
                    out.write(name);
                }
            }
            Kind::Sysv => {
                out.write(&text);
                out.byte(b' ');
                out.num(size.div_ceil(512));
                if named {
                    out.byte(b' ');
                    out.write(name);
                }
            }
            Kind::Digest(algo) => {
                let escape = !zero && name.iter().any(|&c| matches!(c, b'\\' | b'\n' | b'\r'));
                if escape {
                    out.byte(b'\\');
                }
                if !untagged {
                    out.str(algo.tag());
                    out.write(b" (");
                } else {
                    out.write(&text);
                    out.write(b"  ");
                }
                if escape {
                    for &c in name {
                        match c {
                            b'\\' => out.write(b"\\\\"),
                            b'\n' => out.write(b"\\n"),
                            b'\r' => out.write(b"\\r"),
                            _ => out.byte(c),
                        }
                    }
                } else {
                    out.write(name);
                }
                if !untagged {
                    out.write(b") = ");
                    out.write(&text);
                }
            }
        }
        out.byte(end);
    }
    out.done(status)
}

/// A name in a message, quoted (GNU's quotef) only when a shell would
/// need it.
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

/// The checksum text of one file and its size in bytes.
fn sum_file(kind: Kind, name: &[u8], buf: &mut [u8]) -> std::io::Result<(Vec<u8>, u64)> {
    let input = Input::open(name)?;
    let fd = input.fd();
    let mut size = 0u64;
    let mut crc = Cksum::new();
    let mut digest = match kind {
        Kind::Digest(a) => Some(Digest::new(a)),
        _ => None,
    };
    let mut bsd: u32 = 0;
    let mut sysv: u64 = 0;
    loop {
        let n = ibex::sys::read(fd, buf)?;
        if n == 0 {
            break;
        }
        let data = &buf[..n];
        size += n as u64;
        match kind {
            Kind::Crc => crc.update(data),
            Kind::Digest(_) => {
                if let Some(d) = digest.as_mut() {
                    d.update(data);
                }
            }
            Kind::Bsd => {
                for &b in data {
                    bsd = ((bsd >> 1) | ((bsd & 1) << 15)) + u32::from(b);
                    bsd &= 0xffff;
                }
            }
            Kind::Sysv => {
                sysv += data.iter().map(|&b| u64::from(b)).sum::<u64>();
            }
        }
    }
    let text = match kind {
        Kind::Crc => crc.finish().to_string().into_bytes(),
        Kind::Digest(_) => digest.map(|d| hex(&d.finish())).unwrap_or_default(),
        Kind::Bsd => format!("{bsd:05}").into_bytes(),
        Kind::Sysv => {
            let r = (sysv & 0xffff) + ((sysv & 0xffff_ffff) >> 16);
            ((r & 0xffff) + (r >> 16)).to_string().into_bytes()
        }
    };
    Ok((text, size))
}
