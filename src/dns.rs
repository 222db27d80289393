//! A small stub resolver: /etc/resolv.conf (nameserver, search, domain,
//! options ndots/timeout/attempts), /etc/hosts, queries over UDP with a TCP
//! retry when the answer is truncated, and parsing of the common record
//! types. Used by nslookup, ping, nc and wget (no reliance on libc's
//! resolver).

use crate::put::Put;
use crate::sys;
use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::os::fd::AsRawFd;

pub const A: u16 = 1;
pub const NS: u16 = 2;
pub const CNAME: u16 = 5;
pub const SOA: u16 = 6;
pub const PTR: u16 = 12;
pub const MX: u16 = 15;
pub const TXT: u16 = 16;
pub const AAAA: u16 = 28;
pub const SRV: u16 = 33;
pub const ANY: u16 = 255;

/// Record type names and numbers.
pub const TYPES: &[(&str, u16)] = &[
    ("A", A),
    ("NS", NS),
    ("CNAME", CNAME),
    ("SOA", SOA),
    ("PTR", PTR),
    ("MX", MX),
    ("TXT", TXT),
    ("AAAA", AAAA),
    ("SRV", SRV),
    ("ANY", ANY),
];

/// The type number for a name such as `mx` (any case).
pub fn type_by_name(name: &[u8]) -> Option<u16> {
    TYPES
        .iter()
        .find(|(n, _)| n.as_bytes().eq_ignore_ascii_case(name))
        .map(|&(_, t)| t)
}

/// Resolver settings.
#[derive(Clone, Debug)]
pub struct Config {
    pub servers: Vec<IpAddr>,
    pub search: Vec<Vec<u8>>,
    pub ndots: usize,
    pub timeout: u32,
    pub attempts: u32,
}

impl Config {
    /// /etc/resolv.conf, with the usual defaults when absent.
    pub fn load() -> Config {
        Config::parse(&crate::io::read_file(b"/etc/resolv.conf").unwrap_or_default())
    }

    pub fn parse(text: &[u8]) -> Config {
        let mut c = Config {
            servers: Vec::new(),
            search: Vec::new(),
            ndots: 1,
            timeout: 5,
            attempts: 2,
        };
        for line in text.split(|&b| b == b'\n') {
            let mut w = line
                .split(|b| b.is_ascii_whitespace())
                .filter(|w| !w.is_empty());
            let Some(key) = w.next() else { continue };
            match key {
                b"nameserver" => {
                    if let Some(ip) = w.next().and_then(parse_ip) {
                        c.servers.push(ip);
                    }
                }
                b"search" | b"domain" => {
                    c.search = w.map(|d| d.to_vec()).collect();
                }
                b"options" => {
                    for o in w {
                        let num = |p: &[u8]| -> Option<u32> {
                            let v = o.strip_prefix(p)?;
                            u32::try_from(crate::num::parse_u64(v).ok()?).ok()
                        };
                        if let Some(n) = num(b"ndots:") {
                            c.ndots = n.min(15) as usize;
                        } else if let Some(n) = num(b"timeout:") {
                            c.timeout = n.clamp(1, 30);
                        } else if let Some(n) = num(b"attempts:") {
                            c.attempts = n.clamp(1, 5);
                        }
                    }
                }
                _ => {}
            }
        }
        if c.servers.is_empty() {
            c.servers.push(IpAddr::V4(Ipv4Addr::LOCALHOST));
        }
        c
    }

    /// The names to try for `name`, in order: as is first when it has at
    /// least `ndots` dots (or ends in a dot), then with each search domain.
    pub fn candidates(&self, name: &[u8]) -> Vec<Vec<u8>> {
        if let Some(abs) = name.strip_suffix(b".") {
            return vec![abs.to_vec()];
        }
        let dots = name.iter().filter(|&&b| b == b'.').count();
        let mut v = Vec::new();
        if dots >= self.ndots {
            v.push(name.to_vec());
        }
        for d in &self.search {
            let mut n = name.to_vec();
            n.push(b'.');
            n.extend_from_slice(d.strip_suffix(b".").unwrap_or(d));
            v.push(n);
        }
        if dots < self.ndots {
            v.push(name.to_vec());
        }
        v
    }
}

/// A literal IPv4 or IPv6 address (dotted parts without leading zeros).
pub fn parse_ip(s: &[u8]) -> Option<IpAddr> {
    let last = s.rsplit(|&b| b == b':').next().unwrap_or(s);
    if last.contains(&b'.')
        && last
            .split(|&b| b == b'.')
            .any(|p| p.len() > 1 && p[0] == b'0')
    {
        return None;
    }
    if s.contains(&b':') {
        crate::inet::parse_v6(s).map(|a| IpAddr::V6(a.into()))
    } else {
        crate::inet::parse_v4(s).map(|a| IpAddr::V4(a.into()))
    }
}

/// Addresses for `name` in /etc/hosts.
pub fn hosts_lookup(name: &[u8]) -> Vec<IpAddr> {
    let text = crate::io::read_file(b"/etc/hosts").unwrap_or_default();
    let mut v = Vec::new();
    for line in text.split(|&b| b == b'\n') {
        let line = line.split(|&b| b == b'#').next().unwrap_or(b"");
        let mut w = line
            .split(|b| b.is_ascii_whitespace())
            .filter(|w| !w.is_empty());
        let Some(ip) = w.next().and_then(parse_ip) else {
            continue;
        };
        if w.any(|n| n.eq_ignore_ascii_case(name)) && !v.contains(&ip) {
            v.push(ip);
        }
    }
    v
}

/// The name for an address in /etc/hosts.
pub fn hosts_name(ip: IpAddr) -> Option<Vec<u8>> {
    let text = crate::io::read_file(b"/etc/hosts").ok()?;
    for line in text.split(|&b| b == b'\n') {
        let line = line.split(|&b| b == b'#').next().unwrap_or(b"");
        let mut w = line
            .split(|b| b.is_ascii_whitespace())
            .filter(|w| !w.is_empty());
        if w.next().and_then(parse_ip) == Some(ip)
            && let Some(n) = w.next()
        {
            return Some(n.to_vec());
        }
    }
    None
}

/// The PTR name of an address (`4.3.2.1.in-addr.arpa`, nibbles for IPv6).
pub fn reverse_name(ip: IpAddr) -> Vec<u8> {
    let mut s = Vec::new();
    match ip {
        IpAddr::V4(a) => {
            for &o in a.octets().iter().rev() {
                s.u(o.into()).c(b'.');
            }
            s.s("in-addr.arpa");
        }
        IpAddr::V6(a) => {
            for &o in a.octets().iter().rev() {
                s.hex((o & 15).into(), 0)
                    .c(b'.')
                    .hex((o >> 4).into(), 0)
                    .c(b'.');
            }
            s.s("ip6.arpa");
        }
    }
    s
}

/// The data of a resource record.
#[derive(Clone, Debug, PartialEq)]
pub enum Data {
    A(Ipv4Addr),
    Aaaa(Ipv6Addr),
    /// CNAME, NS, PTR: a domain name.
    Name(Vec<u8>),
    Mx(u16, Vec<u8>),
    Txt(Vec<Vec<u8>>),
    Soa {
        mname: Vec<u8>,
        rname: Vec<u8>,
        serial: u32,
        refresh: u32,
        retry: u32,
        expire: u32,
        minimum: u32,
    },
    Srv {
        prio: u16,
        weight: u16,
        port: u16,
        target: Vec<u8>,
    },
    Other(Vec<u8>),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Record {
    pub name: Vec<u8>,
    pub rtype: u16,
    pub ttl: u32,
    pub data: Data,
}

/// A parsed response.
#[derive(Clone, Debug, Default)]
pub struct Message {
    pub id: u16,
    pub rcode: u8,
    pub truncated: bool,
    pub authoritative: bool,
    pub answers: Vec<Record>,
    pub authority: Vec<Record>,
    pub additional: Vec<Record>,
}

/// The text of a response code (`NXDOMAIN`, ...).
pub fn rcode_name(rcode: u8) -> &'static str {
    match rcode {
        0 => "NOERROR",
        1 => "FORMERR",
        2 => "SERVFAIL",
        3 => "NXDOMAIN",
        4 => "NOTIMP",
        5 => "REFUSED",
        _ => "UNKNOWN",
    }
}

/// Encode a query for `name`/`qtype` with recursion desired.
pub fn build_query(id: u16, name: &[u8], qtype: u16) -> Option<Vec<u8>> {
    let mut q = Vec::with_capacity(name.len() + 18);
    q.extend_from_slice(&id.to_be_bytes());
    q.extend_from_slice(&[1, 0, 0, 1, 0, 0, 0, 0, 0, 0]);
    let name = name.strip_suffix(b".").unwrap_or(name);
    if !name.is_empty() {
        for label in name.split(|&b| b == b'.') {
            if label.is_empty() || label.len() > 63 {
                return None;
            }
            q.push(label.len() as u8);
            q.extend_from_slice(label);
        }
    }
    q.push(0);
    if q.len() > 12 + 255 {
        return None;
    }
    q.extend_from_slice(&qtype.to_be_bytes());
    q.extend_from_slice(&[0, 1]);
    Some(q)
}

fn be16(m: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes([*m.get(at)?, *m.get(at + 1)?]))
}

fn be32(m: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(m.get(at..at + 4)?.try_into().ok()?))
}

/// Read a possibly compressed name at `at`; returns it and the offset after it.
fn read_name(m: &[u8], mut at: usize) -> Option<(Vec<u8>, usize)> {
    let mut name = Vec::new();
    let mut end = None;
    let mut jumps = 0;
    loop {
        let len = *m.get(at)? as usize;
        if len == 0 {
            return Some((name, end.unwrap_or(at + 1)));
        }
        if len & 0xc0 == 0xc0 {
            jumps += 1;
            if jumps > 64 {
                return None;
            }
            end.get_or_insert(at + 2);
            at = ((len & 0x3f) << 8) | *m.get(at + 1)? as usize;
            continue;
        }
        if len > 63 {
            return None;
        }
        if !name.is_empty() {
            name.push(b'.');
        }
        name.extend_from_slice(m.get(at + 1..at + 1 + len)?);
        at += 1 + len;
        if name.len() > 1024 {
            return None;
        }
    }
}

fn read_record(m: &[u8], at: usize) -> Option<(Record, usize)> {
    let (name, p) = read_name(m, at)?;
    let rtype = be16(m, p)?;
    let ttl = be32(m, p + 4)?;
    let len = be16(m, p + 8)? as usize;
    let start = p + 10;
    let rd = m.get(start..start + len)?;
    let data = match rtype {
        A if len == 4 => Data::A(Ipv4Addr::new(rd[0], rd[1], rd[2], rd[3])),
        AAAA if len == 16 => Data::Aaaa(Ipv6Addr::from(<[u8; 16]>::try_from(rd).ok()?)),
        CNAME | NS | PTR => Data::Name(read_name(m, start)?.0),
        MX => Data::Mx(be16(m, start)?, read_name(m, start + 2)?.0),
        TXT => {
            let mut v = Vec::new();
            let mut i = 0;
            while i < rd.len() {
                let l = rd[i] as usize;
                v.push(rd.get(i + 1..i + 1 + l)?.to_vec());
                i += 1 + l;
            }
            Data::Txt(v)
        }
        SOA => {
            let (mname, q) = read_name(m, start)?;
            let (rname, q) = read_name(m, q)?;
            Data::Soa {
                mname,
                rname,
                serial: be32(m, q)?,
                refresh: be32(m, q + 4)?,
                retry: be32(m, q + 8)?,
                expire: be32(m, q + 12)?,
                minimum: be32(m, q + 16)?,
            }
        }
        SRV => Data::Srv {
            prio: be16(m, start)?,
            weight: be16(m, start + 2)?,
            port: be16(m, start + 4)?,
            target: read_name(m, start + 6)?.0,
        },
        _ => Data::Other(rd.to_vec()),
    };
    Some((
        Record {
            name,
            rtype,
            ttl,
            data,
        },
        start + len,
    ))
}

/// Parse a whole response.
pub fn parse_message(m: &[u8]) -> Option<Message> {
    let flags = be16(m, 2)?;
    let counts = [be16(m, 4)?, be16(m, 6)?, be16(m, 8)?, be16(m, 10)?];
    let mut msg = Message {
        id: be16(m, 0)?,
        rcode: (flags & 15) as u8,
        truncated: flags & 0x200 != 0,
        authoritative: flags & 0x400 != 0,
        ..Message::default()
    };
    let mut at = 12;
    for _ in 0..counts[0] {
        at = read_name(m, at)?.1 + 4;
    }
    for (i, &n) in counts[1..].iter().enumerate() {
        for _ in 0..n {
            let Some((r, next)) = read_record(m, at) else {
                // A truncated answer keeps what was complete.
                return Some(msg);
            };
            at = next;
            match i {
                0 => msg.answers.push(r),
                1 => msg.authority.push(r),
                _ => msg.additional.push(r),
            }
        }
    }
    Some(msg)
}

fn random_id() -> u16 {
    let mut b = [0u8; 2];
    let _ = sys::getrandom(&mut b);
    u16::from_ne_bytes(b)
}

fn timed_out() -> io::Error {
    io::Error::from_raw_os_error(libc::ETIMEDOUT)
}

/// Ask `server` over TCP (after a truncated UDP answer).
fn query_tcp(server: &SocketAddr, q: &[u8], timeout_ms: i32) -> io::Result<Vec<u8>> {
    let s = sys::sock_new(sys::sock_family(server), libc::SOCK_STREAM, 0)?;
    let fd = s.as_raw_fd();
    sys::connect_timeout(fd, server, timeout_ms)?;
    let mut out = (q.len() as u16).to_be_bytes().to_vec();
    out.extend_from_slice(q);
    sys::write_all(fd, &out)?;
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        if buf.len() >= 2 {
            let want = u16::from_be_bytes([buf[0], buf[1]]) as usize + 2;
            if buf.len() >= want {
                buf.truncate(want);
                return Ok(buf.split_off(2));
            }
        }
        let mut p = [(fd, libc::POLLIN, 0)];
        if sys::poll_fds(&mut p, timeout_ms)? == 0 {
            return Err(timed_out());
        }
        let n = sys::read(fd, &mut chunk)?;
        if n == 0 {
            return Err(io::Error::from_raw_os_error(libc::ECONNRESET));
        }
        buf.extend_from_slice(&chunk[..n]);
    }
}

/// Send one query to `server` and wait for its answer, retrying
/// `attempts` times with `timeout` seconds each; TCP when truncated.
pub fn query(
    server: &SocketAddr,
    name: &[u8],
    qtype: u16,
    timeout: u32,
    attempts: u32,
) -> io::Result<Message> {
    let id = random_id();
    let q =
        build_query(id, name, qtype).ok_or_else(|| io::Error::from_raw_os_error(libc::EINVAL))?;
    let s = sys::sock_new(sys::sock_family(server), libc::SOCK_DGRAM, 0)?;
    let fd = s.as_raw_fd();
    sys::sock_connect(fd, server)?;
    let ms = (timeout.max(1) * 1000) as i32;
    let mut buf = vec![0u8; 4096];
    for _ in 0..attempts.max(1) {
        sys::sendto(fd, &q, None)?;
        let deadline = std::time::Instant::now() + std::time::Duration::from_millis(ms as u64);
        loop {
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            let mut p = [(fd, libc::POLLIN, 0)];
            if left.is_zero() || sys::poll_fds(&mut p, left.as_millis() as i32)? == 0 {
                break;
            }
            let (n, _) = sys::recvfrom(fd, &mut buf)?;
            let Some(m) = buf.get(..n).and_then(parse_message) else {
                continue;
            };
            if m.id != id {
                continue;
            }
            if m.truncated
                && let Ok(t) = query_tcp(server, &q, ms)
                && let Some(tm) = parse_message(&t)
            {
                return Ok(tm);
            }
            return Ok(m);
        }
    }
    Err(timed_out())
}

/// Why a name could not be resolved.
#[derive(Debug)]
pub enum Error {
    NotFound,
    Io(io::Error),
}

/// Addresses for a host name or literal: the literal itself, /etc/hosts,
/// then DNS (A, then AAAA) through the search list. `family` narrows to
/// `libc::AF_INET` or `libc::AF_INET6` (`libc::AF_UNSPEC`: both, IPv4 first).
pub fn resolve(name: &[u8], family: i32) -> Result<Vec<IpAddr>, Error> {
    let fits = |ip: &IpAddr| match family {
        libc::AF_INET => ip.is_ipv4(),
        libc::AF_INET6 => ip.is_ipv6(),
        _ => true,
    };
    if let Some(ip) = parse_ip(name) {
        return if fits(&ip) {
            Ok(vec![ip])
        } else {
            Err(Error::NotFound)
        };
    }
    if name.is_empty() {
        return Err(Error::NotFound);
    }
    let mut v: Vec<IpAddr> = hosts_lookup(name).into_iter().filter(fits).collect();
    if v.is_empty() && name.eq_ignore_ascii_case(b"localhost") {
        v = vec![
            IpAddr::V4(Ipv4Addr::LOCALHOST),
            IpAddr::V6(Ipv6Addr::LOCALHOST),
        ];
        v.retain(fits);
    }
    if !v.is_empty() {
        crate::order::sort_by_key(&mut v, |ip| ip.is_ipv6());
        return Ok(v);
    }
    let cfg = Config::load();
    let types: &[u16] = match family {
        libc::AF_INET => &[A],
        libc::AF_INET6 => &[AAAA],
        _ => &[A, AAAA],
    };
    let mut last = None;
    for cand in cfg.candidates(name) {
        for &t in types {
            for server in &cfg.servers {
                match query(
                    &SocketAddr::new(*server, 53),
                    &cand,
                    t,
                    cfg.timeout,
                    cfg.attempts,
                ) {
                    Ok(m) => {
                        last = None;
                        for r in &m.answers {
                            match r.data {
                                Data::A(a) => v.push(IpAddr::V4(a)),
                                Data::Aaaa(a) => v.push(IpAddr::V6(a)),
                                _ => {}
                            }
                        }
                        break;
                    }
                    Err(e) => last = Some(e),
                }
            }
        }
        if !v.is_empty() {
            return Ok(v);
        }
    }
    Err(last.map_or(Error::NotFound, Error::Io))
}

/// `resolve`, printing `applet: bad address 'NAME'` on failure.
pub fn resolve_or_report(name: &[u8], family: i32) -> Option<Vec<IpAddr>> {
    match resolve(name, family) {
        Ok(v) => Some(v),
        Err(_) => {
            crate::msg!("bad address '", name, "'");
            None
        }
    }
}

/// A port number, or a service name from /etc/services for `proto`
/// (`tcp`/`udp`).
pub fn port(s: &[u8], proto: &[u8]) -> Option<u16> {
    if s.first().is_some_and(u8::is_ascii_digit) {
        return u16::try_from(crate::num::parse_u64(s).ok()?).ok();
    }
    let text = crate::io::read_file(b"/etc/services").ok()?;
    for line in text.split(|&b| b == b'\n') {
        let line = line.split(|&b| b == b'#').next().unwrap_or(b"");
        let mut w = line
            .split(|b| b.is_ascii_whitespace())
            .filter(|w| !w.is_empty());
        let (Some(name), Some(pp)) = (w.next(), w.next()) else {
            continue;
        };
        let mut pp = pp.splitn(2, |&b| b == b'/');
        let (Some(num), Some(pr)) = (pp.next(), pp.next()) else {
            continue;
        };
        if pr == proto && (name == s || w.any(|a| a == s)) {
            return u16::try_from(crate::num::parse_u64(num).ok()?).ok();
        }
    }
    None
}

/// An address for display: IPv6 in brackets when `port` is shown.
pub fn addr_port(ip: IpAddr, port: u16) -> Vec<u8> {
    let mut t = Vec::new();
    if ip.is_ipv6() {
        t.push(b'[');
        crate::inet::put_ip(&mut t, ip);
        t.push(b']');
    } else {
        crate::inet::put_ip(&mut t, ip);
    }
    t.c(b':').u(port.into());
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_and_candidates() {
        let c = Config::parse(
            b"# x\nnameserver 10.0.0.1\nnameserver ::1\nsearch a.example b.example\noptions ndots:2 timeout:3 attempts:1\n",
        );
        assert_eq!(c.servers.len(), 2);
        assert_eq!((c.ndots, c.timeout, c.attempts), (2, 3, 1));
        assert_eq!(
            c.candidates(b"x.y"),
            vec![
                b"x.y.a.example".to_vec(),
                b"x.y.b.example".to_vec(),
                b"x.y".to_vec()
            ]
        );
        assert_eq!(c.candidates(b"x.y.z")[0], b"x.y.z".to_vec());
        assert_eq!(c.candidates(b"abs."), vec![b"abs".to_vec()]);
    }

    #[test]
    fn query_and_parse_roundtrip() {
        let mut q = build_query(0x1234, b"ex.org", MX).unwrap();
        assert_eq!(&q[12..20], b"\x02ex\x03org\x00");
        // Turn it into a response with one compressed MX answer.
        q[2] = 0x81;
        q[3] = 0x83;
        q[7] = 1;
        q.extend_from_slice(&[0xc0, 12, 0, 15, 0, 1, 0, 0, 1, 0, 0, 9, 0, 10, 4]);
        q.extend_from_slice(b"mail\xc0\x0c");
        let m = parse_message(&q).unwrap();
        assert_eq!((m.id, m.rcode), (0x1234, 3));
        assert_eq!(m.answers[0].name, b"ex.org");
        assert_eq!(m.answers[0].ttl, 256);
        assert_eq!(m.answers[0].data, Data::Mx(10, b"mail.ex.org".to_vec()));
        assert!(build_query(1, b"a..b", A).is_none());
    }

    #[test]
    fn reverse_names() {
        assert_eq!(
            reverse_name("1.2.3.4".parse().unwrap()),
            b"4.3.2.1.in-addr.arpa"
        );
        let r = reverse_name("::1".parse().unwrap());
        assert!(r.starts_with(b"1.0.0.0.") && r.ends_with(b".0.ip6.arpa"));
    }

    #[test]
    fn literal_addresses_parse_as_std_did() {
        for s in [
            "1.2.3.4",
            "0.0.0.0",
            "::",
            "::1",
            "fe80::1",
            "::ffff:1.2.3.4",
        ] {
            assert_eq!(parse_ip(s.as_bytes()), s.parse().ok(), "{s}");
        }
        for s in [
            "01.2.3.4",
            "1.2.3",
            "1.2.3.4.5",
            "256.1.1.1",
            "::ffff:1.02.3.4",
            "x",
            "",
        ] {
            assert_eq!(parse_ip(s.as_bytes()), None, "{s}");
        }
        assert_eq!(addr_port("::1".parse().unwrap(), 53), b"[::1]:53");
        assert_eq!(addr_port("10.0.0.1".parse().unwrap(), 80), b"10.0.0.1:80");
    }
}
