//! mknod: make block (`b`) or character (`c`, `u`) special files with a
//! MAJOR and MINOR number (decimal, 0x hex or 0 octal), or FIFOs (`p`).
//! Mode 0666 less the umask, or exactly MODE with `-m`.

use ibex::Status;
use ibex::args::{self, Long, Parser, Spec, optional, value};
use ibex::mode;
use ibex::sys::{self, Dir};
use std::ffi::OsString;
use std::os::unix::ffi::OsStrExt;

const CONTEXT: u32 = 256;

const LONGS: &[Long] = &[value("mode", 'm' as u32), optional("context", CONTEXT)];

const SPEC: Spec = Spec::new(
    "m:Z",
    LONGS,
    ibex::usage!(
        mknod,
        "mknod [-m MODE] NAME TYPE [MAJOR MINOR]

Create a special file

\t-m MODE\tMode (default a=rw less the umask)
TYPE:
\tb\tBlock device
\tc or u\tCharacter device
\tp\tNamed pipe (MAJOR MINOR must be omitted)"
    ),
);

/// A device number as strtoul with base 0 reads it (decimal, 0x.., 0..).
fn dev_number(s: &[u8]) -> Option<u32> {
    let (digits, radix) = if let Some(h) = s.strip_prefix(b"0x").or_else(|| s.strip_prefix(b"0X")) {
        (h, 16)
    } else if s.len() > 1 && s.starts_with(b"0") {
        (&s[1..], 8)
    } else {
        (s, 10)
    };
    if digits.is_empty() {
        return None;
    }
    let text = std::str::from_utf8(digits).ok()?;
    if !text.bytes().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    u32::from_str_radix(text, radix).ok()
}

/// A name as GNU's quotef shows it: bare when nothing in it needs quoting.
fn quote_if_needed(name: &[u8]) -> Vec<u8> {
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

fn usage(parts: &[&[u8]], extra: Option<&str>) -> ibex::Exit {
    match extra {
        None => args::usage_error(&SPEC, parts),
        Some(line) => {
            let mut m = ibex::error::start();
            for p in parts {
                m.extend_from_slice(p);
            }
            m.push(b'\n');
            m.extend_from_slice(line.as_bytes());
            m.extend_from_slice(b"\nUsage: ");
            m.extend_from_slice(&SPEC.usage.synopsis());
            ibex::error::emit(m);
            ibex::Exit(1)
        }
    }
}

pub fn main(argv: &[OsString]) -> Status {
    let mut mode_arg = None;
    let mut p = Parser::new(argv, &SPEC);
    while let Some((id, val)) = p.next()? {
        if id == 'm' as u32 {
            mode_arg = val;
        }
    }
    let umask = sys::get_umask();
    let mut exact = None;
    if let Some(m) = mode_arg {
        let Some(m) = mode::parse(m.as_bytes()) else {
            ibex::msg!("invalid mode");
            return Err(ibex::Exit(1));
        };
        let bits = m.apply(0o666, false, umask);
        if bits & !0o777 != 0 {
            ibex::msg!("mode must specify only file permission bits");
            return Err(ibex::Exit(1));
        }
        exact = Some(bits);
    }
    let ops = p.operands();
    let q = |s: &[u8]| ibex::copy::quote(s);
    let (name, kind) = match ops.as_slice() {
        [] => return Err(args::missing_operand(&SPEC)),
        [n] => return Err(usage(&[b"missing operand after ", &q(n.as_bytes())], None)),
        [n, k, ..] => (n.as_bytes(), k.as_bytes()),
    };
    let fifo = kind == b"p";
    let file_type = match kind {
        b"b" => sys::S_IFBLK,
        b"c" | b"u" => sys::S_IFCHR,
        b"p" => sys::S_IFIFO,
        _ => return Err(usage(&[b"invalid device type ", &q(kind)], None)),
    };
    let dev = if fifo {
        if let Some(extra) = ops.get(2) {
            return Err(usage(
                &[b"extra operand ", &q(extra.as_bytes())],
                Some("Fifos do not have major and minor device numbers."),
            ));
        }
        0
    } else {
        match ops.len() {
            2 => {
                return Err(usage(
                    &[b"missing operand after ", &q(kind)],
                    Some("Special files require major and minor device numbers."),
                ));
            }
            3 => {
                return Err(usage(
                    &[b"missing operand after ", &q(ops[2].as_bytes())],
                    None,
                ));
            }
            4 => {}
            _ => {
                return Err(usage(&[b"extra operand ", &q(ops[4].as_bytes())], None));
            }
        }
        let (ma, mi) = (ops[2].as_bytes(), ops[3].as_bytes());
        let Some(major) = dev_number(ma) else {
            ibex::msg!("invalid major device number ", q(ma));
            return Err(ibex::Exit(1));
        };
        let Some(minor) = dev_number(mi) else {
            ibex::msg!("invalid minor device number ", q(mi));
            return Err(ibex::Exit(1));
        };
        sys::makedev(major, minor)
    };
    let mode = exact.unwrap_or(0o666);
    if let Err(e) = sys::mknodat(Dir::CWD, name, file_type | mode, dev) {
        ibex::msg!(quote_if_needed(name), ": ", e);
        return Ok(1);
    }
    if let Some(m) = exact
        && m & umask != 0
        && let Err(e) = sys::fchmodat(Dir::CWD, name, m)
    {
        ibex::msg!("cannot set permissions of ", q(name), ": ", e);
        return Ok(1);
    }
    Ok(0)
}
