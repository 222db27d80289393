//! route: show the kernel routing tables (/proc/net/route, -A inet6 from
//! /proc/net/ipv6_route) and add or delete IPv4 routes with
//! SIOCADDRT/SIOCDELRT, in BusyBox's format.

use ibex::Status;
use ibex::args::{self, Parser, Spec};
use ibex::io::Out;
use ibex::put::Put;
use ibex::sys;
use std::ffi::OsString;
use std::os::fd::AsRawFd;
use std::os::unix::ffi::OsStrExt;

const USAGE: ibex::usage::Usage = ibex::usage!(
    route,
    "route [-ne] [-A inet[6]] [{add|del} [-net|-host] TARGET [netmask MASK]
\t[gw GATEWAY] [metric N] [mss BYTES] [window BYTES] [irtt MS] [reject] [[dev] IFACE]]

Show or edit kernel routing tables

\t-n\tDon't resolve names
\t-e\tDisplay other/more information
\t-A inet[6]\tSelect address family"
);

const SPEC: Spec = Spec::new("+neA:", &[], USAGE);

const RTF_UP: u16 = 0x1;
const RTF_GATEWAY: u16 = 0x2;
const RTF_HOST: u16 = 0x4;
const RTF_REJECT: u16 = 0x200;

/// Letters for the route flags after U (or `!` for reject routes).
const LETTERS: &[(u32, char)] = &[(0x2, 'G'), (0x4, 'H'), (0x8, 'R'), (0x10, 'D'), (0x20, 'M')];
const LETTERS6: &[(u32, char)] = &[
    (0x10000, 'D'),
    (0x40000, 'A'),
    (0x1000000, 'C'),
    (0x200000, 'n'),
];

/// Append the flag letters, padded to `width` columns.
fn put_flags(s: &mut Vec<u8>, f: u32, v6: bool, width: usize) {
    let start = s.len();
    if f & u32::from(RTF_REJECT) != 0 {
        s.push(b'!');
    } else if f & 1 != 0 {
        s.push(b'U');
    }
    for &(bit, c) in LETTERS.iter().chain(if v6 { LETTERS6 } else { &[] }) {
        if f & bit != 0 {
            s.push(c as u8);
        }
    }
    s.pad(start, width);
}

fn hex(w: &[u8]) -> u32 {
    ibex::inet::hex(w)
        .and_then(|n| u32::try_from(n).ok())
        .unwrap_or(0)
}

fn dec(w: &[u8]) -> i64 {
    ibex::num::parse_i64(w).unwrap_or(0)
}

/// Append a signed number left-aligned in `width` columns.
fn i_left(t: &mut Vec<u8>, n: i64, width: usize) {
    let start = t.len();
    t.i(n).pad(start, width);
}

/// Append a signed number right-aligned in `width` columns.
fn i_right(t: &mut Vec<u8>, n: i64, width: usize) {
    let mut v = Vec::new();
    v.i(n);
    t.right(&v, width);
}

fn show4(numeric: bool, extended: bool) -> Status {
    let data = match ibex::io::read_file(b"/proc/net/route") {
        Ok(d) => d,
        Err(e) => return Ok(fail("/proc/net/route", &e)),
    };
    let mut out = Out::stdout();
    out.str("Kernel IP routing table\n");
    if extended {
        out.str("Destination     Gateway         Genmask         Flags   MSS Window  irtt Iface\n");
    } else {
        out.str("Destination     Gateway         Genmask         Flags Metric Ref    Use Iface\n");
    }
    for line in data.split(|&b| b == b'\n').skip(1) {
        let f: Vec<&[u8]> = line
            .split(|b| b.is_ascii_whitespace())
            .filter(|w| !w.is_empty())
            .collect();
        if f.len() < 11 {
            continue;
        }
        let flags = hex(f[3]);
        if flags & u32::from(RTF_UP) == 0 {
            continue;
        }
        let dst = hex(f[1]).to_le_bytes();
        let gw = hex(f[2]).to_le_bytes();
        let mask = hex(f[7]).to_le_bytes();
        let mut t = Vec::new();
        ibex::inet::put_route_v4(&mut t, dst, gw, mask, numeric);
        put_flags(&mut t, flags, false, 6);
        if extended {
            i_right(&mut t, dec(f[8]), 5);
            t.push(b' ');
            i_left(&mut t, dec(f[9]), 6);
            i_right(&mut t, dec(f[10]), 6);
        } else {
            i_left(&mut t, dec(f[6]), 6);
            t.push(b' ');
            i_left(&mut t, dec(f[4]), 2);
            t.push(b' ');
            i_right(&mut t, dec(f[5]), 7);
        }
        t.c(b' ').b(f[0]).c(b'\n');
        out.write(&t);
    }
    out.done(0)
}

fn v6_of(w: &[u8]) -> [u8; 16] {
    let mut a = [0u8; 16];
    for (i, c) in w.chunks(2).take(16).enumerate() {
        a[i] = hex(c) as u8;
    }
    a
}

fn show6() -> Status {
    let data = match ibex::io::read_file(b"/proc/net/ipv6_route") {
        Ok(d) => d,
        Err(e) => return Ok(fail("/proc/net/ipv6_route", &e)),
    };
    let mut out = Out::stdout();
    out.str("Kernel IPv6 routing table\n");
    let mut t = Vec::new();
    t.left(b"Destination", 43).c(b' ').left(b"Next Hop", 39);
    t.s(" Flags Metric Ref    Use Iface\n");
    for line in data.split(|&b| b == b'\n') {
        let f: Vec<&[u8]> = line
            .split(|b| b.is_ascii_whitespace())
            .filter(|w| !w.is_empty())
            .collect();
        if f.len() < 10 || f[0].len() != 32 {
            continue;
        }
        let flags = hex(f[8]);
        let start = t.len();
        ibex::inet::put_v6(&mut t, v6_of(f[0]));
        t.c(b'/').u(hex(f[1]).into()).pad(start, 43).c(b' ');
        let start = t.len();
        ibex::inet::put_v6(&mut t, v6_of(f[4]));
        t.pad(start, 39).c(b' ');
        put_flags(&mut t, flags, true, 5);
        t.push(b' ');
        i_left(&mut t, (hex(f[5]) as i32).into(), 6);
        t.push(b' ');
        i_left(&mut t, (hex(f[6]) as i32).into(), 2);
        t.push(b' ');
        i_right(&mut t, (hex(f[7]) as i32).into(), 7);
        t.c(b' ').left(f[9], 8).c(b'\n');
    }
    out.write(&t);
    out.done(0)
}

fn fail(what: &str, e: &std::io::Error) -> i32 {
    ibex::error::io_error(what, e);
    1
}

/// inet_aton's dotted forms: `a.b.c.d`, `a.b.c` (c 16 bits), `a.b`, `a`.
fn parse_aton(s: &[u8]) -> Option<[u8; 4]> {
    let parts: Vec<u64> = s
        .split(|&b| b == b'.')
        .map(|p| {
            if p.is_empty() || p.len() > 10 || !p.iter().all(u8::is_ascii_digit) {
                None
            } else {
                ibex::num::parse_u64(p).ok()
            }
        })
        .collect::<Option<Vec<u64>>>()?;
    let (last, head) = parts.split_last()?;
    if head.len() > 3 || head.iter().any(|&p| p > 255) {
        return None;
    }
    let room = 8 * (4 - head.len() as u32);
    if room < 64 && *last >= 1u64 << room {
        return None;
    }
    let mut v: u32 = 0;
    for (i, &p) in head.iter().enumerate() {
        v |= (p as u32) << (24 - 8 * i);
    }
    v |= *last as u32;
    Some(v.to_be_bytes())
}

fn modify(add: bool, args: &[&[u8]]) -> Status {
    let mut r = sys::Route4 {
        flags: RTF_UP,
        ..Default::default()
    };
    let mut it = args.iter().peekable();
    let mut kind = 0; // 1 net, 2 host
    match it.peek() {
        Some(&&b"-net") => {
            kind = 1;
            it.next();
        }
        Some(&&b"-host") => {
            kind = 2;
            it.next();
        }
        _ => {}
    }
    let Some(&target) = it.next() else {
        return Err(args::usage_error(&SPEC, &[b"missing TARGET"]));
    };
    let mut mask: Option<[u8; 4]> = None;
    if target == b"default" {
        kind = 1;
        mask = Some([0; 4]);
    } else {
        let (a, p) = match target.iter().position(|&b| b == b'/') {
            Some(i) => (&target[..i], Some(&target[i + 1..])),
            None => (target, None),
        };
        let Some(addr) = parse_aton(a) else {
            ibex::msg!("resolving ", target);
            return Ok(1);
        };
        r.dst = addr;
        if let Some(p) = p {
            let Some(n) = ibex::inet::parse_prefix(p, 32) else {
                ibex::msg!("bad prefix '", p, "'");
                return Ok(1);
            };
            mask = Some(ibex::inet::mask_v4(n));
        }
    }
    while let Some(&a) = it.next() {
        let mut val = || -> Result<&[u8], ibex::error::Exit> {
            it.next()
                .copied()
                .ok_or_else(|| args::usage_error(&SPEC, &[b"missing argument for '", a, b"'"]))
        };
        match a {
            b"netmask" | b"genmask" => {
                let v = val()?;
                let Some(m) = ibex::inet::parse_v4(v) else {
                    ibex::msg!("resolving ", v);
                    return Ok(1);
                };
                if ibex::inet::mask_prefix(m).is_none() {
                    ibex::msg!("bogus netmask ", v);
                    return Ok(1);
                }
                mask = Some(m);
            }
            b"gw" | b"gateway" => {
                let v = val()?;
                let Some(g) = parse_aton(v) else {
                    ibex::msg!("resolving ", v);
                    return Ok(1);
                };
                r.gateway = g;
                r.flags |= RTF_GATEWAY;
            }
            b"metric" | b"mss" | b"window" | b"irtt" => {
                let v = val()?;
                let Some(n) = ibex::num::parse_u64(v)
                    .ok()
                    .and_then(|n| u32::try_from(n).ok())
                else {
                    ibex::msg!("invalid number '", v, "'");
                    return Ok(1);
                };
                match a {
                    b"metric" => r.metric = n.saturating_add(1).min(i16::MAX as u32) as i16,
                    b"mss" => {
                        r.mss = u64::from(n);
                        r.flags |= 0x40;
                    }
                    b"window" => {
                        r.window = u64::from(n);
                        r.flags |= 0x80;
                    }
                    _ => {
                        r.irtt = n.min(u32::from(u16::MAX)) as u16;
                        r.flags |= 0x100;
                    }
                }
            }
            b"reject" => r.flags |= RTF_REJECT,
            b"mod" => r.flags |= 0x20,
            b"dyn" => r.flags |= 0x10,
            b"reinstate" => r.flags |= 0x8,
            b"dev" | b"device" => r.dev = Some(val()?.to_vec()),
            _ => {
                if it.peek().is_none() && r.dev.is_none() {
                    r.dev = Some(a.to_vec());
                } else {
                    return Err(args::usage_error(&SPEC, &[b"invalid argument '", a, b"'"]));
                }
            }
        }
    }
    if kind == 0 {
        kind = 2;
    }
    let m = if kind == 2 {
        if let Some(m) = mask
            && m != [255; 4]
        {
            let le = u32::from_le_bytes(m);
            let mut h = Vec::new();
            h.hex(le.into(), 8);
            ibex::msg!("netmask ", &h[..], " and host route conflict");
            return Ok(1);
        }
        r.flags |= RTF_HOST;
        [255; 4]
    } else {
        mask.unwrap_or([0; 4])
    };
    let (d, mm) = (u32::from_be_bytes(r.dst), u32::from_be_bytes(m));
    if mask.is_some() && d & !mm != 0 {
        ibex::msg!("netmask and route address conflict");
        return Ok(1);
    }
    r.mask = m;
    let fd = match sys::dgram_socket(libc::AF_INET) {
        Ok(f) => f,
        Err(e) => return Ok(fail("socket", &e)),
    };
    match sys::route4(fd.as_raw_fd(), add, &r) {
        Ok(()) => Ok(0),
        Err(e) => Ok(fail(if add { "SIOCADDRT" } else { "SIOCDELRT" }, &e)),
    }
}

/// `route -A inet6 add|del TARGET[/LEN]|default [gw GW] [metric N] [[dev] IF]`.
fn modify6(add: bool, args: &[&[u8]]) -> Status {
    let mut it = args.iter().peekable();
    if matches!(it.peek(), Some(&&b"-net") | Some(&&b"-host")) {
        it.next();
    }
    let Some(&target) = it.next() else {
        return Err(args::usage_error(&SPEC, &[b"missing TARGET"]));
    };
    let (dst, len) = if target == b"default" {
        ([0u8; 16], 0)
    } else {
        let (a, p) = match target.iter().position(|&b| b == b'/') {
            Some(i) => (&target[..i], Some(&target[i + 1..])),
            None => (target, None),
        };
        let Some(addr) = ibex::inet::parse_v6(a) else {
            ibex::msg!("resolving ", target);
            return Ok(1);
        };
        let len = match p {
            Some(p) => match ibex::inet::parse_prefix(p, 128) {
                Some(n) => n,
                None => {
                    ibex::msg!("bad prefix '", p, "'");
                    return Ok(1);
                }
            },
            None => 128,
        };
        (addr, len)
    };
    let mut flags = u32::from(RTF_UP);
    if len == 128 {
        flags |= u32::from(RTF_HOST);
    }
    let mut gw = [0u8; 16];
    let mut metric = 1;
    let mut dev: Option<&[u8]> = None;
    while let Some(&a) = it.next() {
        let mut val = || -> Result<&[u8], ibex::error::Exit> {
            it.next()
                .copied()
                .ok_or_else(|| args::usage_error(&SPEC, &[b"missing argument for '", a, b"'"]))
        };
        match a {
            b"gw" | b"gateway" => {
                let v = val()?;
                let Some(g) = ibex::inet::parse_v6(v) else {
                    ibex::msg!("resolving ", v);
                    return Ok(1);
                };
                gw = g;
                flags |= u32::from(RTF_GATEWAY);
            }
            b"metric" => {
                let v = val()?;
                let Some(n) = ibex::num::parse_u64(v)
                    .ok()
                    .and_then(|n| u32::try_from(n).ok())
                else {
                    ibex::msg!("invalid number '", v, "'");
                    return Ok(1);
                };
                metric = n;
            }
            b"dev" | b"device" => dev = Some(val()?),
            _ if it.peek().is_none() && dev.is_none() => dev = Some(a),
            _ => return Err(args::usage_error(&SPEC, &[b"invalid argument '", a, b"'"])),
        }
    }
    let ifindex = match dev {
        Some(d) => match sys::if_index(d) {
            Some(i) => i as i32,
            None => {
                ibex::error::io_error(
                    "SIOCGIFINDEX",
                    &std::io::Error::from_raw_os_error(libc::ENODEV),
                );
                return Ok(1);
            }
        },
        None => 0,
    };
    let fd = match sys::dgram_socket(libc::AF_INET6) {
        Ok(f) => f,
        Err(e) => return Ok(fail("socket", &e)),
    };
    match sys::route6(
        fd.as_raw_fd(),
        add,
        dst,
        len as u16,
        gw,
        metric,
        flags,
        ifindex,
    ) {
        Ok(()) => Ok(0),
        Err(e) => Ok(fail(if add { "SIOCADDRT" } else { "SIOCDELRT" }, &e)),
    }
}

pub fn main(argv: &[OsString]) -> Status {
    let mut numeric = false;
    let mut extended = false;
    let mut v6 = false;
    let mut p = Parser::new(argv, &SPEC);
    while let Some((id, val)) = p.next()? {
        match id {
            0x6e => numeric = true,
            0x65 => extended = true,
            _ => match val.map(|v| v.as_bytes()) {
                Some(b"inet") => v6 = false,
                Some(b"inet6") => v6 = true,
                Some(v) => {
                    ibex::msg!("unsupported address family '", v, "'");
                    return Ok(1);
                }
                None => {}
            },
        }
    }
    let ops = p.operands();
    let ops: Vec<&[u8]> = ops.iter().map(|o| o.as_bytes()).collect();
    match ops.split_first() {
        None if v6 => show6(),
        None => show4(numeric, extended),
        Some((&cmd, rest)) if cmd == b"add" || cmd == b"del" || cmd == b"delete" => {
            if v6 {
                return modify6(cmd == b"add", rest);
            }
            modify(cmd == b"add", rest)
        }
        Some((&cmd, _)) => Err(args::usage_error(&SPEC, &[b"invalid command '", cmd, b"'"])),
    }
}
