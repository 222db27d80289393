//! ping: send ICMP (or ICMPv6) echo requests and report the replies, in
//! BusyBox's format. Uses an unprivileged ICMP datagram socket when
//! net.ipv4.ping_group_range allows it, else a raw socket (root).
//! Exit status: 0 if any reply came, 1 if none, 2 on errors.

use ibex::args::{self, Parser, Spec};
use ibex::io::Out;
use ibex::put::Put;
use ibex::{Exit, Status, dns, sys};
use std::ffi::{OsStr, OsString};
use std::net::{IpAddr, SocketAddr};
use std::os::fd::{AsRawFd, OwnedFd};
use std::os::unix::ffi::OsStrExt;
use std::time::{Duration, Instant};

const USAGE: ibex::usage::Usage = ibex::usage!(
    ping,
    "ping [OPTIONS] HOST

Send ICMP ECHO_REQUESTs to HOST

\t-4,-6\t\tForce IP or IPv6 name resolution
\t-c CNT\t\tSend only CNT pings
\t-s SIZE\t\tSend SIZE data bytes in packets (default 56)
\t-i SECS\t\tInterval
\t-A\t\tPing as soon as reply is received
\t-t TTL\t\tSet TTL
\t-I IFACE/IP\tSource interface or IP address
\t-W SEC\t\tSeconds to wait for the first response (default 10)
\t\t\t(after all -c CNT packets are sent)
\t-w SEC\t\tSeconds until ping exits (default:infinite)
\t\t\t(can exit earlier with -c CNT)
\t-q\t\tQuiet, only display output at start/finish
\t-p HEXBYTE\tPayload pattern"
);

const SPEC: Spec = Spec::new("46c:s:i:At:I:W:w:qp:", &[], USAGE).status(2);

fn number(v: &OsStr, max: u64) -> Result<u64, Exit> {
    ibex::num::parse_u64(v.as_bytes())
        .ok()
        .filter(|&n| n <= max)
        .ok_or_else(|| args::invalid(&SPEC, "number", v))
}

fn seconds(v: &OsStr) -> Result<Duration, Exit> {
    ibex::num::parse_duration(v.as_bytes())
        .ok()
        .filter(|s| s.is_finite() && *s >= 0.0 && *s < 1e9)
        .map(Duration::from_secs_f64)
        .ok_or_else(|| args::invalid(&SPEC, "number", v))
}

struct Opts {
    count: u64,
    size: usize,
    interval: Duration,
    adaptive: bool,
    ttl: Option<u64>,
    wait: Duration,
    deadline: Option<Duration>,
    quiet: bool,
    pattern: u8,
}

/// The Internet checksum.
fn checksum(data: &[u8]) -> u16 {
    let mut sum = 0u32;
    for c in data.chunks(2) {
        let w = u16::from_be_bytes([c[0], c.get(1).copied().unwrap_or(0)]);
        sum += w as u32;
    }
    while sum >> 16 != 0 {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    !(sum as u16)
}

fn fail(what: &str, e: &std::io::Error) -> Exit {
    ibex::error::io_error(what, e);
    Exit(2)
}

/// An ICMP socket: datagram if allowed, raw otherwise. Returns whether
/// it is raw.
fn open_socket(v6: bool) -> Result<(OwnedFd, bool), Exit> {
    let (fam, proto) = if v6 {
        (libc::AF_INET6, libc::IPPROTO_ICMPV6)
    } else {
        (libc::AF_INET, libc::IPPROTO_ICMP)
    };
    if let Ok(s) = sys::sock_new(fam, libc::SOCK_DGRAM, proto) {
        return Ok((s, false));
    }
    match sys::sock_new(fam, libc::SOCK_RAW, proto) {
        Ok(s) => Ok((s, true)),
        Err(e) => Err(fail("socket", &e)),
    }
}

/// Append microseconds as milliseconds with three decimals.
fn ms(t: &mut Vec<u8>, us: u64) {
    t.u(us / 1000).c(b'.');
    let f = us % 1000;
    if f < 100 {
        t.push(b'0');
    }
    if f < 10 {
        t.push(b'0');
    }
    t.u(f);
}

pub fn main(argv: &[OsString]) -> Status {
    let mut p = Parser::new(argv, &SPEC);
    let mut o = Opts {
        count: 0,
        size: 56,
        interval: Duration::from_secs(1),
        adaptive: false,
        ttl: None,
        wait: Duration::from_secs(10),
        deadline: None,
        quiet: false,
        pattern: 0,
    };
    let mut family = libc::AF_UNSPEC;
    let mut iface: Option<&OsStr> = None;
    while let Some((id, v)) = p.next()? {
        let v = v.unwrap_or_default();
        match id as u8 {
            b'4' => family = libc::AF_INET,
            b'6' => family = libc::AF_INET6,
            b'c' => o.count = number(v, u64::MAX)?,
            b's' => o.size = number(v, 65500)? as usize,
            b'i' => o.interval = seconds(v)?,
            b'A' => o.adaptive = true,
            b't' => o.ttl = Some(number(v, 255)?),
            b'I' => iface = Some(v),
            b'W' => o.wait = seconds(v)?,
            b'w' => o.deadline = Some(seconds(v)?),
            b'q' => o.quiet = true,
            b'p' => {
                o.pattern = ibex::inet::hex(v.as_bytes())
                    .and_then(|n| u8::try_from(n).ok())
                    .ok_or_else(|| args::invalid(&SPEC, "number", v))?
            }
            _ => {}
        }
    }
    let ops = p.operands();
    let [host] = ops[..] else {
        return Err(if ops.is_empty() {
            args::missing_operand(&SPEC)
        } else {
            args::usage_error(&SPEC, &[b"extra operand '", ops[1].as_bytes(), b"'"])
        });
    };
    let host = host.as_bytes();
    let Some(ips) = dns::resolve_or_report(host, family) else {
        return Ok(2);
    };
    let ip = ips[0];
    let v6 = ip.is_ipv6();
    let (sock, raw) = open_socket(v6)?;
    let fd = sock.as_raw_fd();
    if let Some(i) = iface {
        match dns::parse_ip(i.as_bytes()) {
            Some(src) => {
                sys::sock_bind(fd, &SocketAddr::new(src, 0)).map_err(|e| fail("bind", &e))?
            }
            None => {
                sys::setsockopt_bytes(fd, libc::SOL_SOCKET, libc::SO_BINDTODEVICE, i.as_bytes())
                    .map_err(|e| fail("setsockopt(SO_BINDTODEVICE)", &e))?
            }
        }
    }
    if let Some(t) = o.ttl {
        let r = if v6 {
            sys::setsockopt_int(fd, libc::IPPROTO_IPV6, libc::IPV6_UNICAST_HOPS, t as i32)
        } else {
            sys::setsockopt_int(fd, libc::IPPROTO_IP, libc::IP_TTL, t as i32)
        };
        r.map_err(|e| fail("setsockopt(TTL)", &e))?;
    }
    let _ = if v6 {
        sys::setsockopt_int(fd, libc::IPPROTO_IPV6, libc::IPV6_RECVHOPLIMIT, 1)
    } else {
        sys::setsockopt_int(fd, libc::IPPROTO_IP, libc::IP_RECVTTL, 1)
    };
    let _ = sys::setsockopt_int(fd, libc::SOL_SOCKET, libc::SO_RCVBUF, 256 * 1024);
    let old = sys::get_disposition(libc::SIGINT);
    if old != sys::Disposition::Ignore {
        let _ = sys::set_disposition(libc::SIGINT, sys::Disposition::Catch, false);
    }
    let r = run(&o, host, ip, &sock, raw);
    if old != sys::Disposition::Ignore {
        let _ = sys::set_disposition(libc::SIGINT, old, true);
    }
    r
}

#[derive(Default)]
struct Stats {
    sent: u64,
    received: u64,
    dups: u64,
    min: u64,
    max: u64,
    total: u64,
}

fn run(o: &Opts, host: &[u8], ip: IpAddr, sock: &OwnedFd, raw: bool) -> Status {
    let fd = sock.as_raw_fd();
    let v6 = ip.is_ipv6();
    let dest = SocketAddr::new(ip, 0);
    let ident = (sys::getpid() as u16).to_be_bytes();
    let mut out = Out::stdout();
    out.str("PING ");
    out.write(host);
    let mut t = Vec::new();
    t.s(" (");
    ibex::inet::put_ip(&mut t, ip);
    t.s("): ").u(o.size as u64).s(" data bytes\n");
    out.write(&t);
    out.flush();
    let start = Instant::now();
    let mut st = Stats {
        min: u64::MAX,
        ..Stats::default()
    };
    // Send times by sequence number, for round trips and duplicates.
    let mut sent_at: Vec<Option<Instant>> = Vec::new();
    let mut seen: Vec<bool> = Vec::new();
    let mut pkt = vec![0u8; 8 + o.size];
    let mut buf = vec![0u8; 65536 + 128];
    let mut next_send = start;
    let mut last_send = start;
    let mut finishing = false;
    loop {
        let now = Instant::now();
        if o.deadline.is_some_and(|d| now >= start + d) {
            break;
        }
        if sys::take_signal().is_some() {
            break;
        }
        if !finishing && now >= next_send {
            let seq = st.sent as u16;
            pkt.fill(o.pattern);
            pkt[0] = if v6 { 128 } else { 8 };
            pkt[1] = 0;
            pkt[2] = 0;
            pkt[3] = 0;
            pkt[4..6].copy_from_slice(&ident);
            pkt[6..8].copy_from_slice(&seq.to_be_bytes());
            if !v6 {
                let c = checksum(&pkt);
                pkt[2..4].copy_from_slice(&c.to_be_bytes());
            }
            let t = Instant::now();
            if let Err(e) = sys::sendto(fd, &pkt, Some(&dest)) {
                out.flush();
                ibex::error::io_error("sendto", &e);
                return Ok(if st.received > 0 { 0 } else { 1 });
            }
            let slot = st.sent as usize % 65536;
            if sent_at.len() <= slot {
                sent_at.resize(slot + 1, None);
                seen.resize(slot + 1, false);
            }
            sent_at[slot] = Some(t);
            seen[slot] = false;
            st.sent += 1;
            last_send = t;
            next_send = t + o.interval;
            if o.count > 0 && st.sent >= o.count {
                finishing = true;
            }
        }
        if finishing && (st.received >= o.count || Instant::now() >= last_send + o.wait) {
            break;
        }
        // Wait for a reply until the next thing to do.
        let mut until = if finishing {
            last_send + o.wait
        } else {
            next_send
        };
        if let Some(d) = o.deadline {
            until = until.min(start + d);
        }
        let left = until.saturating_duration_since(Instant::now());
        let mut pf = [(fd, libc::POLLIN, 0)];
        let ready = sys::poll_fds(&mut pf, left.as_millis().min(i32::MAX as u128) as i32 + 1)
            .map_err(|e| fail("poll", &e))?;
        if ready == 0 {
            continue;
        }
        let Ok((n, from, ttl)) = sys::recv_ttl(fd, &mut buf) else {
            continue;
        };
        let recv_time = Instant::now();
        let mut icmp = &buf[..n];
        let mut ttl = ttl;
        if raw && !v6 {
            // A raw IPv4 socket delivers the IP header too.
            let ihl = (icmp.first().copied().unwrap_or(0) & 15) as usize * 4;
            ttl = icmp.get(8).map(|&t| t as i32);
            icmp = icmp.get(ihl..).unwrap_or(&[]);
        }
        if icmp.len() < 8 || icmp[0] != if v6 { 129 } else { 0 } {
            continue;
        }
        if raw && icmp[4..6] != ident {
            continue;
        }
        let seq = u16::from_be_bytes([icmp[6], icmp[7]]);
        let slot = seq as usize;
        let Some(Some(t0)) = sent_at.get(slot).copied() else {
            continue;
        };
        let us = recv_time.duration_since(t0).as_micros() as u64;
        let dup = seen.get(slot).copied().unwrap_or(false);
        if dup {
            st.dups += 1;
        } else {
            if let Some(s) = seen.get_mut(slot) {
                *s = true;
            }
            st.received += 1;
            st.total += us;
            st.min = st.min.min(us);
            st.max = st.max.max(us);
        }
        if !o.quiet {
            let from = from.map_or(ip, |a| a.ip());
            let mut t = Vec::new();
            t.u(icmp.len() as u64).s(" bytes from ");
            ibex::inet::put_ip(&mut t, from);
            t.s(": seq=").u(seq.into());
            if let Some(ttl) = ttl {
                t.s(" ttl=").i(ttl.into());
            }
            t.s(" time=");
            ms(&mut t, us);
            t.s(if dup { " ms (DUP!)\n" } else { " ms\n" });
            out.write(&t);
            out.flush();
        }
        if o.adaptive && !finishing {
            next_send = Instant::now();
        }
    }
    out.str("\n--- ");
    out.write(host);
    out.str(" ping statistics ---\n");
    let mut t = Vec::new();
    t.u(st.sent).s(" packets transmitted, ");
    t.u(st.received).s(" packets received, ");
    if st.dups > 0 {
        t.u(st.dups).s(" duplicates, ");
    }
    let loss = ((st.sent - st.received.min(st.sent)) * 100)
        .checked_div(st.sent)
        .unwrap_or(0);
    t.u(loss).s("% packet loss\n");
    if let Some(avg) = st.total.checked_div(st.received) {
        t.s("round-trip min/avg/max = ");
        ms(&mut t, st.min);
        t.push(b'/');
        ms(&mut t, avg);
        t.push(b'/');
        ms(&mut t, st.max);
        t.s(" ms\n");
    }
    out.write(&t);
    let code = if st.received > 0 { 0 } else { 1 };
    out.done(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checksum_of_echo_request() {
        let p = [8, 0, 0, 0, 0, 1, 0, 1];
        assert_eq!(checksum(&p), !0x0802);
    }
}
