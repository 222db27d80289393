//! ifconfig: show or configure network interfaces with the classic ioctls,
//! in BusyBox's (net-tools 1.60) output format.

use ibex::Status;
use ibex::io::Out;
use ibex::put::Put;
use ibex::sys::{self, IfReq, req};
use std::ffi::OsString;
use std::os::fd::{AsRawFd, RawFd};
use std::os::unix::ffi::OsStrExt;

const USAGE: ibex::usage::Usage = ibex::usage!(
    ifconfig,
    "ifconfig [-a] [IFACE] [ADDRESS[/PREFIX]] [OPTIONS]...

Configure a network interface

\t-a\tShow all interfaces, not only those that are up
\tADDRESS[/PREFIX]\tSet the IPv4 address (and bring the interface up)
\tadd|del ADDR[/PREFIX]\tAdd or remove an IPv6 address
\tnetmask MASK\tSet the netmask
\tbroadcast ADDR | -broadcast\tSet or clear the broadcast address
\tpointopoint ADDR | -pointopoint\tSet or clear the point-to-point peer
\thw ether MAC\tSet the hardware address
\tmtu N, metric N, txqueuelen N
\tup | down | [-]arp | [-]promisc | [-]allmulti | [-]multicast"
);

const IFF_UP: u32 = 0x1;
const IFF_BROADCAST: u32 = 0x2;
const IFF_POINTOPOINT: u32 = 0x10;
const IFF_RUNNING: u32 = 0x40;
const IFF_NOARP: u32 = 0x80;
const IFF_PROMISC: u32 = 0x100;
const IFF_ALLMULTI: u32 = 0x200;
const IFF_MULTICAST: u32 = 0x1000;
const IFF_NOTRAILERS: u32 = 0x20;
const IFF_DYNAMIC: u32 = 0x8000;

const FLAG_NAMES: &[(u32, &str)] = &[
    (0x1, "UP"),
    (0x2, "BROADCAST"),
    (0x4, "DEBUG"),
    (0x8, "LOOPBACK"),
    (0x10, "POINTOPOINT"),
    (0x20, "NOTRAILERS"),
    (0x40, "RUNNING"),
    (0x80, "NOARP"),
    (0x100, "PROMISC"),
    (0x200, "ALLMULTI"),
    (0x800, "SLAVE"),
    (0x400, "MASTER"),
    (0x1000, "MULTICAST"),
    (0x8000, "DYNAMIC"),
];

fn ifreq(name: &[u8]) -> IfReq {
    let mut r = [0u8; sys::IFREQ_SIZE];
    let n = name.len().min(15);
    r[..n].copy_from_slice(&name[..n]);
    r
}

fn get_int(r: &IfReq) -> i32 {
    i32::from_ne_bytes([r[16], r[17], r[18], r[19]])
}

fn put_int(r: &mut IfReq, v: i32) {
    r[16..20].copy_from_slice(&v.to_ne_bytes());
}

fn get_in(r: &IfReq) -> [u8; 4] {
    [r[20], r[21], r[22], r[23]]
}

fn put_in(r: &mut IfReq, a: [u8; 4]) {
    r[16..18].copy_from_slice(&(libc::AF_INET as u16).to_ne_bytes());
    r[18..20].copy_from_slice(&[0, 0]);
    r[20..24].copy_from_slice(&a);
}

/// One interface's state, as the listing shows it.
struct Ife {
    name: Vec<u8>,
    flags: u32,
    hwtype: u16,
    hw: [u8; 14],
    metric: i32,
    mtu: i32,
    txqlen: Option<i32>,
    addr: Option<[u8; 4]>,
    dst: [u8; 4],
    brd: [u8; 4],
    mask: [u8; 4],
    map: [u8; 24],
}

fn fetch(fd: RawFd, name: &[u8]) -> std::io::Result<Ife> {
    let mut r = ifreq(name);
    sys::ifreq_ioctl(fd, req::SIOCGIFFLAGS, &mut r)?;
    let flags = u32::from(u16::from_ne_bytes([r[16], r[17]]));
    let mut ife = Ife {
        name: name.to_vec(),
        flags,
        hwtype: 0,
        hw: [0; 14],
        metric: 0,
        mtu: 0,
        txqlen: None,
        addr: None,
        dst: [0; 4],
        brd: [0; 4],
        mask: [0; 4],
        map: [0; 24],
    };
    let mut r = ifreq(name);
    if sys::ifreq_ioctl(fd, req::SIOCGIFHWADDR, &mut r).is_ok() {
        ife.hwtype = u16::from_ne_bytes([r[16], r[17]]);
        ife.hw.copy_from_slice(&r[18..32]);
    }
    let mut r = ifreq(name);
    if sys::ifreq_ioctl(fd, req::SIOCGIFMETRIC, &mut r).is_ok() {
        ife.metric = get_int(&r);
    }
    let mut r = ifreq(name);
    if sys::ifreq_ioctl(fd, req::SIOCGIFMTU, &mut r).is_ok() {
        ife.mtu = get_int(&r);
    }
    let mut r = ifreq(name);
    if sys::ifreq_ioctl(fd, req::SIOCGIFTXQLEN, &mut r).is_ok() {
        ife.txqlen = Some(get_int(&r));
    }
    let mut r = ifreq(name);
    if sys::ifreq_ioctl(fd, req::SIOCGIFMAP, &mut r).is_ok() {
        ife.map.copy_from_slice(&r[16..40]);
    }
    let mut r = ifreq(name);
    if sys::ifreq_ioctl(fd, req::SIOCGIFADDR, &mut r).is_ok() {
        ife.addr = Some(get_in(&r));
        for (rq, slot) in [
            (req::SIOCGIFDSTADDR, &mut ife.dst),
            (req::SIOCGIFBRDADDR, &mut ife.brd),
            (req::SIOCGIFNETMASK, &mut ife.mask),
        ] {
            let mut r = ifreq(name);
            if sys::ifreq_ioctl(fd, rq, &mut r).is_ok() {
                *slot = get_in(&r);
            }
        }
    }
    Ok(ife)
}

/// Counters per interface from /proc/net/dev: 16 numbers.
fn proc_net_dev() -> Vec<(Vec<u8>, [u64; 16])> {
    let data = ibex::io::read_file(b"/proc/net/dev").unwrap_or_default();
    let mut out = Vec::new();
    for line in data.split(|&b| b == b'\n').skip(2) {
        let Some(colon) = line.iter().position(|&b| b == b':') else {
            continue;
        };
        let name = line[..colon].trim_ascii();
        let mut st = [0u64; 16];
        for (i, w) in line[colon + 1..]
            .split(|b| b.is_ascii_whitespace())
            .filter(|w| !w.is_empty())
            .take(16)
            .enumerate()
        {
            st[i] = ibex::num::parse_u64(w).unwrap_or(0);
        }
        out.push((name.to_vec(), st));
    }
    out
}

/// Compare names with embedded numbers by value (`eth2` < `eth10`).
fn nstrcmp(a: &[u8], b: &[u8]) -> std::cmp::Ordering {
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        if a[i].is_ascii_digit() && b[j].is_ascii_digit() {
            let si = i;
            while i < a.len() && a[i].is_ascii_digit() {
                i += 1;
            }
            let sj = j;
            while j < b.len() && b[j].is_ascii_digit() {
                j += 1;
            }
            let x = ibex::num::parse_u64(&a[si..i]).ok();
            let y = ibex::num::parse_u64(&b[sj..j]).ok();
            match x.cmp(&y) {
                std::cmp::Ordering::Equal => continue,
                o => return o,
            }
        }
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Equal => {
                i += 1;
                j += 1;
            }
            o => return o,
        }
    }
    (a.len() - i).cmp(&(b.len() - j))
}

fn scaled(t: &mut Vec<u8>, n: u64) {
    let units = ["", "Ki", "Mi", "Gi", "Ti"];
    let (mut int, mut frac, mut i) = (n, 0, 0);
    while int >= 1024 && i < 4 {
        frac = ((int % 1024) * 10) / 1024;
        int /= 1024;
        i += 1;
    }
    t.u(int).c(b'.').u(frac).c(b' ').s(units[i]).c(b'B');
}

/// Upper-case hex bytes joined by `sep`.
fn hw_hex(t: &mut Vec<u8>, hw: &[u8], sep: u8) {
    for (i, &b) in hw.iter().enumerate() {
        if i > 0 {
            t.push(sep);
        }
        t.push(b"0123456789ABCDEF"[usize::from(b >> 4)]);
        t.push(b"0123456789ABCDEF"[usize::from(b & 15)]);
    }
}

fn hw_title(t: u16) -> &'static str {
    match t {
        1 => "Ethernet",
        772 => "Local Loopback",
        512 => "Point-to-Point Protocol",
        776 => "IPv6-in-IPv4",
        768 => "IPIP Tunnel",
        0 => "NET/ROM",
        256 => "Serial Line IP",
        32 => "InfiniBand",
        _ => "UNSPEC",
    }
}

fn print_ife(out: &mut Out, ife: &Ife, stats: Option<&[u64; 16]>, inet6: &[u8]) {
    use ibex::inet::put_v4;
    let mut t = Vec::new();
    t.left(&ife.name, 9)
        .s(" Link encap:")
        .s(hw_title(ife.hwtype))
        .s("  ");
    if ife.hwtype == 1 {
        t.s("HWaddr ");
        hw_hex(&mut t, &ife.hw[..6], b':');
        t.s("  ");
    } else if hw_title(ife.hwtype) == "UNSPEC" {
        t.s("HWaddr ");
        hw_hex(&mut t, &ife.hw, b'-');
        t.s("-00-00  ");
    }
    t.push(b'\n');
    if let Some(a) = ife.addr {
        t.s("          inet addr:");
        put_v4(&mut t, a);
        t.push(b' ');
        if ife.flags & IFF_POINTOPOINT != 0 {
            t.s(" P-t-P:");
            put_v4(&mut t, ife.dst);
            t.push(b' ');
        }
        if ife.flags & IFF_BROADCAST != 0 {
            t.s(" Bcast:");
            put_v4(&mut t, ife.brd);
            t.push(b' ');
        }
        t.s(" Mask:");
        put_v4(&mut t, ife.mask);
        t.push(b'\n');
    }
    for line in inet6.split(|&b| b == b'\n') {
        let f: Vec<&[u8]> = line
            .split(|b| *b == b' ')
            .filter(|w| !w.is_empty())
            .collect();
        if f.len() < 6 || f[5] != ife.name.as_slice() || f[0].len() != 32 {
            continue;
        }
        let mut a = [0u8; 16];
        for (i, c) in f[0].chunks(2).enumerate() {
            a[i] = ibex::inet::hex(c).map_or(0, |n| n as u8);
        }
        let hex = |w: &[u8]| ibex::inet::hex(w).unwrap_or(0);
        let scope = match hex(f[3]) & 0xf0 {
            0 => "Global",
            0x10 => "Host",
            0x20 => "Link",
            0x40 => "Site",
            0x80 => "Compat",
            _ => "Unknown",
        };
        t.s("          inet6 addr: ");
        ibex::inet::put_v6(&mut t, a);
        t.c(b'/').u(hex(f[2])).s(" Scope:").s(scope).c(b'\n');
    }
    t.s("          ");
    let mut any = false;
    for &(bit, name) in FLAG_NAMES {
        if ife.flags & bit != 0 {
            t.s(name).c(b' ');
            any = true;
        }
    }
    if !any {
        t.s("[NO FLAGS] ");
    }
    t.s(" MTU:").i(ife.mtu.into()).s("  Metric:");
    t.i(if ife.metric == 0 { 1 } else { ife.metric }.into());
    t.c(b'\n');
    if let Some(st) = stats {
        // rx: bytes packets errs drop fifo frame compressed multicast
        // tx: bytes packets errs drop fifo colls carrier compressed
        let row = |t: &mut Vec<u8>, names: [&str; 5], idx: [usize; 5]| {
            t.s("          ");
            for (n, i) in names.into_iter().zip(idx) {
                t.s(n).u(st[i]);
            }
            t.c(b'\n');
        };
        row(
            &mut t,
            [
                "RX packets:",
                " errors:",
                " dropped:",
                " overruns:",
                " frame:",
            ],
            [1, 2, 3, 4, 5],
        );
        row(
            &mut t,
            [
                "TX packets:",
                " errors:",
                " dropped:",
                " overruns:",
                " carrier:",
            ],
            [9, 10, 11, 12, 14],
        );
        t.s("          collisions:").u(st[13]).s(" txqueuelen:");
        t.i(ife.txqlen.unwrap_or(0).into()).s(" \n");
        t.s("          RX bytes:").u(st[0]).s(" (");
        scaled(&mut t, st[0]);
        t.s(")  TX bytes:").u(st[8]).s(" (");
        scaled(&mut t, st[8]);
        t.s(")\n");
    }
    let m = &ife.map;
    let mem_start = u64::from_ne_bytes(m[0..8].try_into().unwrap_or([0; 8]));
    let mem_end = u64::from_ne_bytes(m[8..16].try_into().unwrap_or([0; 8]));
    let base = u16::from_ne_bytes([m[16], m[17]]);
    let (irq, dma) = (m[18], m[19]);
    if irq != 0 || mem_start != 0 || dma != 0 || base != 0 {
        t.s("          ");
        if irq != 0 {
            t.s("Interrupt:").u(irq.into()).c(b' ');
        }
        if base >= 0x100 {
            t.s("Base address:0x").hex(base.into(), 0).c(b' ');
        }
        if mem_start != 0 {
            t.s("Memory:")
                .hex(mem_start, 0)
                .c(b'-')
                .hex(mem_end, 0)
                .c(b' ');
        }
        if dma != 0 {
            t.s("DMA chan:").hex(dma.into(), 0).c(b' ');
        }
        t.push(b'\n');
    }
    t.push(b'\n');
    out.write(&t);
}

fn list(fd: RawFd, all: bool, only: Option<&[u8]>) -> Status {
    let stats = proc_net_dev();
    let inet6 = ibex::io::read_file(b"/proc/net/if_inet6").unwrap_or_default();
    let mut names: Vec<Vec<u8>> = stats.iter().map(|s| s.0.clone()).collect();
    if let Ok(conf) = sys::ifconf(fd) {
        for r in conf {
            let n = r[..16].split(|&b| b == 0).next().unwrap_or(&[]).to_vec();
            if !n.is_empty() && !names.contains(&n) {
                names.push(n);
            }
        }
    }
    ibex::order::sort_by(&mut names, |a, b| nstrcmp(a, b));
    let mut out = Out::stdout();
    if let Some(name) = only {
        match fetch(fd, name) {
            Ok(ife) => {
                let st = stats.iter().find(|s| s.0 == name).map(|s| &s.1);
                print_ife(&mut out, &ife, st, &inet6);
            }
            Err(_) => {
                out.flush();
                ibex::msg!(
                    name,
                    ": error fetching interface information: Device not found"
                );
                return out.done(1);
            }
        }
        return out.done(0);
    }
    for n in &names {
        let Ok(ife) = fetch(fd, n) else {
            continue;
        };
        if !all && ife.flags & IFF_UP == 0 {
            continue;
        }
        let st = stats.iter().find(|s| &s.0 == n).map(|s| &s.1);
        print_ife(&mut out, &ife, st, &inet6);
    }
    out.done(0)
}

fn fail(what: &str, e: &std::io::Error) -> Status {
    ibex::error::io_error(what, e);
    Ok(1)
}

fn bad_addr(a: &[u8]) -> Status {
    ibex::msg!("bad address '", a, "'");
    Ok(1)
}

fn number(a: &[u8]) -> Option<i32> {
    let (neg, d) = match a.strip_prefix(b"-") {
        Some(d) if !d.starts_with(b"+") => (true, d),
        Some(_) => return None,
        None => (false, a),
    };
    let n = i64::try_from(ibex::num::parse_u64(d).ok()?).ok()?;
    i32::try_from(if neg { -n } else { n }).ok()
}

/// Change flags: set `on`, clear `off`.
fn set_flags(
    fd: RawFd,
    name: &[u8],
    on: u32,
    off: u32,
) -> Result<(), (&'static str, std::io::Error)> {
    let mut r = ifreq(name);
    sys::ifreq_ioctl(fd, req::SIOCGIFFLAGS, &mut r).map_err(|e| ("SIOCGIFFLAGS", e))?;
    let f = u32::from(u16::from_ne_bytes([r[16], r[17]]));
    let nf = ((f | on) & !off) as u16;
    r[16..18].copy_from_slice(&nf.to_ne_bytes());
    sys::ifreq_ioctl(fd, req::SIOCSIFFLAGS, &mut r).map_err(|e| ("SIOCSIFFLAGS", e))
}

fn set_in(
    fd: RawFd,
    name: &[u8],
    rq: u64,
    what: &'static str,
    a: [u8; 4],
) -> Result<(), (&'static str, std::io::Error)> {
    let mut r = ifreq(name);
    put_in(&mut r, a);
    sys::ifreq_ioctl(fd, rq, &mut r).map_err(|e| (what, e))
}

fn set_int(
    fd: RawFd,
    name: &[u8],
    rq: u64,
    what: &'static str,
    v: i32,
) -> Result<(), (&'static str, std::io::Error)> {
    let mut r = ifreq(name);
    put_int(&mut r, v);
    sys::ifreq_ioctl(fd, rq, &mut r).map_err(|e| (what, e))
}

/// IPv6 add/del through an AF_INET6 socket and `struct in6_ifreq`.
fn inet6(
    name: &[u8],
    arg: &[u8],
    add: bool,
) -> Result<Result<(), (&'static str, std::io::Error)>, ()> {
    let (a, p) = match arg.iter().position(|&b| b == b'/') {
        Some(i) => (&arg[..i], Some(&arg[i + 1..])),
        None => (arg, None),
    };
    let Some(addr) = ibex::inet::parse_v6(a) else {
        return Err(());
    };
    let prefix = match p {
        Some(p) => ibex::inet::parse_prefix(p, 128).ok_or(())?,
        None => 128,
    };
    let what = if add { "SIOCSIFADDR" } else { "SIOCDIFADDR" };
    let fd6 = match sys::dgram_socket(libc::AF_INET6) {
        Ok(f) => f,
        Err(e) => return Ok(Err(("socket", e))),
    };
    // Aliases share their parent's index.
    let base = name.split(|&b| b == b':').next().unwrap_or(name);
    let mut r = ifreq(base);
    if let Err(e) = sys::ifreq_ioctl(fd6.as_raw_fd(), req::SIOCGIFINDEX, &mut r) {
        return Ok(Err(("SIOCGIFINDEX", e)));
    }
    let index = get_int(&r);
    let rq = if add {
        req::SIOCSIFADDR
    } else {
        req::SIOCDIFADDR
    };
    Ok(sys::in6_ifreq(fd6.as_raw_fd(), rq, addr, prefix, index).map_err(|e| (what, e)))
}

fn configure(fd: RawFd, name: &[u8], args: &[&[u8]]) -> Status {
    let mut it = args.iter();
    while let Some(&a) = it.next() {
        let r: Result<(), (&'static str, std::io::Error)> = match a {
            // net-tools' address family words: `ifconfig eth0 inet6 add ...`.
            b"inet" | b"inet6" => Ok(()),
            b"up" => set_flags(fd, name, IFF_UP | IFF_RUNNING, 0),
            b"down" => set_flags(fd, name, 0, IFF_UP),
            b"arp" => set_flags(fd, name, 0, IFF_NOARP),
            b"-arp" => set_flags(fd, name, IFF_NOARP, 0),
            b"promisc" => set_flags(fd, name, IFF_PROMISC, 0),
            b"-promisc" => set_flags(fd, name, 0, IFF_PROMISC),
            b"allmulti" => set_flags(fd, name, IFF_ALLMULTI, 0),
            b"-allmulti" => set_flags(fd, name, 0, IFF_ALLMULTI),
            b"multicast" => set_flags(fd, name, IFF_MULTICAST, 0),
            b"-multicast" => set_flags(fd, name, 0, IFF_MULTICAST),
            b"trailers" => set_flags(fd, name, 0, IFF_NOTRAILERS),
            b"-trailers" => set_flags(fd, name, IFF_NOTRAILERS, 0),
            b"dynamic" => set_flags(fd, name, IFF_DYNAMIC, 0),
            b"-dynamic" => set_flags(fd, name, 0, IFF_DYNAMIC),
            b"-broadcast" => set_flags(fd, name, 0, IFF_BROADCAST),
            b"-pointopoint" => set_flags(fd, name, 0, IFF_POINTOPOINT),
            b"mtu" | b"metric" | b"txqueuelen" => {
                let Some(&v) = it.next() else {
                    return missing(a);
                };
                let Some(n) = number(v) else {
                    ibex::msg!("invalid number '", v, "'");
                    return Ok(1);
                };
                match a {
                    b"mtu" => set_int(fd, name, req::SIOCSIFMTU, "SIOCSIFMTU", n),
                    b"metric" => set_int(fd, name, req::SIOCSIFMETRIC, "SIOCSIFMETRIC", n),
                    _ => set_int(fd, name, req::SIOCSIFTXQLEN, "SIOCSIFTXQLEN", n),
                }
            }
            b"netmask" | b"broadcast" | b"pointopoint" | b"dstaddr" => {
                let Some(&v) = it.next() else {
                    return missing(a);
                };
                let Some(addr) = ibex::inet::parse_v4(v) else {
                    return bad_addr(v);
                };
                match a {
                    b"netmask" => set_in(fd, name, req::SIOCSIFNETMASK, "SIOCSIFNETMASK", addr),
                    b"broadcast" => set_in(fd, name, req::SIOCSIFBRDADDR, "SIOCSIFBRDADDR", addr)
                        .and_then(|()| set_flags(fd, name, IFF_BROADCAST, 0)),
                    _ => set_in(fd, name, req::SIOCSIFDSTADDR, "SIOCSIFDSTADDR", addr)
                        .and_then(|()| set_flags(fd, name, IFF_POINTOPOINT, 0)),
                }
            }
            b"hw" => {
                let (Some(&class), Some(&v)) = (it.next(), it.next()) else {
                    return missing(a);
                };
                if class != b"ether" {
                    ibex::msg!("unknown hardware type '", class, "'");
                    return Ok(1);
                }
                let Some(mac) = ibex::inet::parse_mac(v).filter(|m| m.len() == 6) else {
                    ibex::msg!("invalid hw-addr ", v);
                    return Ok(1);
                };
                let mut r = ifreq(name);
                r[16..18].copy_from_slice(&1u16.to_ne_bytes());
                r[18..24].copy_from_slice(&mac);
                sys::ifreq_ioctl(fd, req::SIOCSIFHWADDR, &mut r).map_err(|e| ("SIOCSIFHWADDR", e))
            }
            b"add" | b"del" => {
                let Some(&v) = it.next() else {
                    return missing(a);
                };
                match inet6(name, v, a == b"add") {
                    Ok(r) => r,
                    Err(()) => return bad_addr(v),
                }
            }
            _ => {
                // An address: IPv4 (optionally /prefix), or IPv6 (added).
                let (addr, plen) = match a.iter().position(|&b| b == b'/') {
                    Some(i) => (&a[..i], Some(&a[i + 1..])),
                    None => (a, None),
                };
                if let Some(v4) = ibex::inet::parse_v4(addr) {
                    let mask = match plen {
                        Some(p) => match ibex::inet::parse_prefix(p, 32) {
                            Some(n) => Some(ibex::inet::mask_v4(n)),
                            None => return bad_addr(a),
                        },
                        None => None,
                    };
                    set_in(fd, name, req::SIOCSIFADDR, "SIOCSIFADDR", v4)
                        .and_then(|()| match mask {
                            Some(m) => set_in(fd, name, req::SIOCSIFNETMASK, "SIOCSIFNETMASK", m),
                            None => Ok(()),
                        })
                        .and_then(|()| {
                            if v4 == [0; 4] {
                                Ok(())
                            } else {
                                set_flags(fd, name, IFF_UP | IFF_RUNNING, 0)
                            }
                        })
                } else if ibex::inet::parse_v6(addr).is_some() {
                    match inet6(name, a, true) {
                        Ok(r) => r,
                        Err(()) => return bad_addr(a),
                    }
                } else {
                    return bad_addr(a);
                }
            }
        };
        if let Err((what, e)) = r {
            return fail(what, &e);
        }
    }
    Ok(0)
}

fn missing(a: &[u8]) -> Status {
    ibex::msg!("'", a, "' needs an argument");
    Ok(1)
}

pub fn main(argv: &[OsString]) -> Status {
    let args: Vec<&[u8]> = argv.iter().skip(1).map(|a| a.as_bytes()).collect();
    let mut all = false;
    let mut i = 0;
    while let Some(&a) = args.get(i) {
        match a {
            b"-a" => all = true,
            b"--help" | b"-h" => {
                let mut out = Out::stdout();
                out.str("Usage: ");
                out.write(&USAGE.text());
                out.byte(b'\n');
                return out.done(0);
            }
            b"--" => {
                i += 1;
                break;
            }
            _ if a.len() > 1 && a[0] == b'-' && i == 0 => {
                ibex::msg!("invalid option -- '", &a[1..2], "'");
                let mut m = b"Usage: ".to_vec();
                m.extend_from_slice(&USAGE.synopsis());
                m.push(b'\n');
                let _ = sys::write_all(2, &m);
                return Ok(1);
            }
            _ => break,
        }
        i += 1;
    }
    let rest = args.get(i..).unwrap_or(&[]);
    let fd = match sys::dgram_socket(libc::AF_INET) {
        Ok(f) => f,
        Err(e) => return fail("socket", &e),
    };
    if let Some(name) = rest.first()
        && name.len() >= 16
    {
        // ifreq holds 15 bytes: never act on a truncated name.
        ibex::error::io_error(*name, &std::io::Error::from_raw_os_error(libc::ENODEV));
        return Ok(1);
    }
    match rest {
        [] => list(fd.as_raw_fd(), all, None),
        [name] => list(fd.as_raw_fd(), true, Some(name)),
        [name, settings @ ..] => configure(fd.as_raw_fd(), name, settings),
    }
}
