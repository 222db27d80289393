//! arp: show the kernel's IPv4 neighbour (ARP) cache from /proc/net/arp in
//! BSD style, add permanent entries (`-s`) and delete them (`-d`) with the
//! SIOCSARP/SIOCDARP ioctls. Host names come from /etc/hosts only.

use ibex::args::{self, Parser, Spec};
use ibex::io::{Out, read_file};
use ibex::{Status, dns, msg, sys};
use std::ffi::{OsStr, OsString};
use std::net::{IpAddr, Ipv4Addr};
use std::os::unix::ffi::OsStrExt;

const USAGE: ibex::usage::Usage = ibex::usage!(
    arp,
    "arp
[-vn]\t[-H HWTYPE] [-i IF] -a [HOSTNAME]
[-v]\t\t    [-i IF] -d HOSTNAME [pub]
[-v]\t[-H HWTYPE] [-i IF] -s HOSTNAME HWADDR [temp]
[-v]\t[-H HWTYPE] [-i IF] -s HOSTNAME HWADDR [netmask MASK] pub

Manipulate ARP cache

\t-a\t\tDisplay (all) hosts
\t-d\t\tDelete ARP entry
\t-s\t\tSet new entry
\t-v\t\tVerbose
\t-n\t\tDon't resolve names
\t-i IF\t\tNetwork interface
\t-D\t\tRead HWADDR from IF
\t-A,-p AF\tProtocol family
\t-H HWTYPE\tHardware address type"
);

const SPEC: Spec = Spec::new("adsvnDi:A:p:H:t:", &[], USAGE);

const ATF_COM: u32 = 0x2;
const ATF_PERM: u32 = 0x4;
const ATF_PUBL: u32 = 0x8;

pub fn main(argv: &[OsString]) -> Status {
    let mut p = Parser::new(argv, &SPEC);
    let (mut del, mut set, mut numeric) = (false, false, false);
    let mut iface: Option<&OsStr> = None;
    while let Some((id, v)) = p.next()? {
        match id as u8 {
            b'd' => del = true,
            b's' => set = true,
            b'n' => numeric = true,
            b'i' => iface = v,
            b'H' | b't' => {
                if let Some(v) = v.filter(|v| v.as_bytes() != b"ether") {
                    msg!("unknown hardware type '", v, "'");
                    return Ok(1);
                }
            }
            b'A' | b'p' => {
                if let Some(v) = v.filter(|v| v.as_bytes() != b"inet") {
                    msg!("unknown address family '", v, "'");
                    return Ok(1);
                }
            }
            _ => {}
        }
    }
    let ops = p.operands();
    let dev = iface.map_or(&b""[..], |i| i.as_bytes());
    if del || set {
        let Some(host) = ops.first() else {
            return Err(args::missing_operand(&SPEC));
        };
        let Some(ip) = host_v4(host.as_bytes()) else {
            return Ok(1);
        };
        if set {
            let Some(mac) = ops.get(1).and_then(|m| parse_mac(m.as_bytes())) else {
                msg!("invalid hardware address");
                return Ok(1);
            };
            let mut flags = ATF_COM | ATF_PERM;
            for w in &ops[2..] {
                match w.as_bytes() {
                    b"temp" => flags &= !ATF_PERM,
                    b"pub" => flags |= ATF_PUBL,
                    b"netmask" => {}
                    _ => {}
                }
            }
            return ioctl(true, ip, &mac, dev, flags, "SIOCSARP");
        }
        let pubflag = if ops.get(1).is_some_and(|w| w.as_bytes() == b"pub") {
            ATF_PUBL
        } else {
            0
        };
        return ioctl(false, ip, &[0; 6], dev, pubflag, "SIOCDARP");
    }
    let filter = match ops.first() {
        Some(h) => match host_v4(h.as_bytes()) {
            Some(ip) => Some(ip),
            None => return Ok(1),
        },
        None => None,
    };
    show(numeric, dev, filter)
}

fn host_v4(h: &[u8]) -> Option<Ipv4Addr> {
    let ips = dns::resolve_or_report(h, libc::AF_INET)?;
    match ips.first() {
        Some(IpAddr::V4(a)) => Some(*a),
        _ => None,
    }
}

fn parse_mac(s: &[u8]) -> Option<[u8; 6]> {
    let mut mac = [0u8; 6];
    let mut parts = s.split(|&b| b == b':' || b == b'-');
    for m in mac.iter_mut() {
        let p = parts.next()?;
        if p.is_empty() || p.len() > 2 {
            return None;
        }
        *m = ibex::inet::hex(p)? as u8;
    }
    parts.next().is_none().then_some(mac)
}

fn ioctl(set: bool, ip: Ipv4Addr, mac: &[u8; 6], dev: &[u8], flags: u32, what: &str) -> Status {
    match sys::arp_ioctl(set, ip, mac, dev, flags as i32) {
        Ok(()) => Ok(0),
        Err(e) => {
            ibex::error::io_error(what, &e);
            Ok(1)
        }
    }
}

fn show(numeric: bool, dev: &[u8], filter: Option<Ipv4Addr>) -> Status {
    let text = match read_file(b"/proc/net/arp") {
        Ok(t) => t,
        Err(e) => {
            ibex::error::io_error("/proc/net/arp", &e);
            return Ok(1);
        }
    };
    let mut out = Out::stdout();
    let (mut entries, mut shown) = (0, 0);
    for line in text.split(|&b| b == b'\n').skip(1) {
        let w: Vec<&[u8]> = line
            .split(|b| b.is_ascii_whitespace())
            .filter(|w| !w.is_empty())
            .collect();
        if w.len() < 6 {
            continue;
        }
        entries += 1;
        let Some(IpAddr::V4(ip)) = dns::parse_ip(w[0]) else {
            continue;
        };
        let hex = |h: &[u8]| {
            ibex::inet::hex(h.strip_prefix(b"0x").unwrap_or(h))
                .and_then(|n| u32::try_from(n).ok())
                .unwrap_or(0)
        };
        let flags = hex(w[2]);
        if (!dev.is_empty() && w[5] != dev) || filter.is_some_and(|f| f != ip) {
            continue;
        }
        shown += 1;
        let name = if numeric {
            None
        } else {
            dns::hosts_name(IpAddr::V4(ip))
        };
        out.write(name.as_deref().unwrap_or(b"?"));
        out.str(" (");
        out.write(&ibex::inet::ip_text(IpAddr::V4(ip)));
        out.str(") at ");
        if flags & ATF_COM == 0 {
            out.str(if flags & ATF_PUBL != 0 {
                "*"
            } else {
                "<incomplete>"
            });
        } else {
            out.write(w[3]);
            out.str(if hex(w[1]) == 1 {
                " [ether]"
            } else {
                " [unknown]"
            });
        }
        out.byte(b' ');
        if flags & ATF_PERM != 0 {
            out.str("PERM");
        }
        if flags & ATF_PUBL != 0 {
            out.str(" PUB");
        }
        out.str(" on ");
        out.write(w[5]);
        out.byte(b'\n');
    }
    if shown == 0 && (filter.is_some() || !dev.is_empty()) {
        out.str("No match found in ");
        out.num(entries as u64);
        out.str(" entries\n");
    }
    out.done(0)
}
