//! nc: open a TCP or UDP connection (or listen for one) and copy stdin to
//! it and it to stdout. `-z` only checks whether ports are open.

use ibex::args::{self, Parser, Spec};
use ibex::put::Put;
use ibex::{Exit, Status, dns, msg, sys};
use std::ffi::OsString;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::os::fd::{AsRawFd, OwnedFd, RawFd};
use std::os::unix::ffi::OsStrExt;
use std::time::{Duration, Instant};

const USAGE: ibex::usage::Usage = ibex::usage!(
    nc,
    "nc [-46lnuvz] [-w SECS] [-q SECS] [-p PORT] [-s ADDR] [HOST] [PORT[-PORT]]...

Open a pipe to HOST:PORT, or listen for one

\t-4,-6\tUse IPv4 / IPv6 only
\t-l\tListen mode, for an inbound connection
\t-p PORT\tLocal port
\t-s ADDR\tLocal address
\t-u\tUDP
\t-n\tDon't resolve names (numeric addresses only)
\t-w SECS\tTimeout for connecting (and for -z)
\t-q SECS\tQuit SECS after EOF on stdin
\t-z\tOnly scan for open ports, send no data
\t-v\tVerbose"
);

const SPEC: Spec = Spec::new("46lnuvzw:q:p:s:", &[], USAGE);

struct Opts {
    family: i32,
    udp: bool,
    numeric: bool,
    verbose: bool,
    wait_ms: i32,
    quit_ms: Option<i64>,
}

fn secs(v: &std::ffi::OsStr) -> Result<f64, Exit> {
    ibex::num::parse_duration(v.as_bytes())
        .ok()
        .filter(|s| s.is_finite())
        .ok_or_else(|| args::invalid(&SPEC, "number", v))
}

fn bad_port(p: &[u8]) -> Exit {
    msg!("bad port '", p, "'");
    Exit(1)
}

fn resolve(o: &Opts, host: &[u8]) -> Result<Vec<IpAddr>, Exit> {
    if o.numeric && dns::parse_ip(host).is_none() {
        msg!("bad address '", host, "'");
        return Err(Exit(1));
    }
    dns::resolve_or_report(host, o.family).ok_or(Exit(1))
}

pub fn main(argv: &[OsString]) -> Status {
    let mut p = Parser::new(argv, &SPEC);
    let mut o = Opts {
        family: libc::AF_UNSPEC,
        udp: false,
        numeric: false,
        verbose: false,
        wait_ms: -1,
        quit_ms: None,
    };
    let (mut listen, mut scan) = (false, false);
    let mut lport = None;
    let mut laddr = None;
    while let Some((id, v)) = p.next()? {
        match (id as u8, v) {
            (b'4', _) => o.family = libc::AF_INET,
            (b'6', _) => o.family = libc::AF_INET6,
            (b'l', _) => listen = true,
            (b'n', _) => o.numeric = true,
            (b'u', _) => o.udp = true,
            (b'v', _) => o.verbose = true,
            (b'z', _) => scan = true,
            (b'w', Some(v)) => o.wait_ms = (secs(v)? * 1000.0).min(i32::MAX as f64) as i32,
            (b'q', Some(v)) => o.quit_ms = Some((secs(v)? * 1000.0) as i64),
            (b'p', Some(v)) => {
                let proto: &[u8] = if o.udp { b"udp" } else { b"tcp" };
                lport = Some(dns::port(v.as_bytes(), proto).ok_or_else(|| bad_port(v.as_bytes()))?);
            }
            (b's', Some(v)) => laddr = Some(v),
            _ => {}
        }
    }
    let ops = p.operands();
    let proto: &[u8] = if o.udp { b"udp" } else { b"tcp" };
    if listen {
        if ops.len() > 2 || scan {
            return Err(args::usage_error(&SPEC, &[b"bad arguments for -l"]));
        }
        if let Some(last) = ops.last()
            && (ops.len() == 2 || dns::parse_ip(last.as_bytes()).is_none())
        {
            lport =
                Some(dns::port(last.as_bytes(), proto).ok_or_else(|| bad_port(last.as_bytes()))?);
        }
        let host = if ops.len() == 2 {
            ops.first().copied()
        } else {
            laddr
        };
        let ip = match host {
            Some(h) => *resolve(&o, h.as_bytes())?.first().ok_or(Exit(1))?,
            None if o.family == libc::AF_INET6 => IpAddr::V6(Ipv6Addr::UNSPECIFIED),
            None => IpAddr::V4(Ipv4Addr::UNSPECIFIED),
        };
        let sock = do_listen(&o, SocketAddr::new(ip, lport.unwrap_or(0)))?;
        return relay(&o, sock.as_raw_fd());
    }
    let (Some(host), Some(_)) = (ops.first(), ops.get(1)) else {
        return Err(args::missing_operand(&SPEC));
    };
    let mut ports = Vec::new();
    for spec in &ops[1..] {
        let b = spec.as_bytes();
        let (lo, hi) = match b.iter().position(|&c| c == b'-') {
            Some(i) if i > 0 => (&b[..i], &b[i + 1..]),
            _ => (b, b),
        };
        let lo = dns::port(lo, proto).ok_or_else(|| bad_port(b))?;
        let hi = dns::port(hi, proto).ok_or_else(|| bad_port(b))?;
        if lo > hi {
            return Err(bad_port(b));
        }
        ports.push((lo, hi));
    }
    if !scan && (ports.len() > 1 || ports[0].0 != ports[0].1) {
        return Err(args::usage_error(&SPEC, &[b"only one port without -z"]));
    }
    let ips = resolve(&o, host.as_bytes())?;
    let local = laddr
        .map(|a| resolve(&o, a.as_bytes()).map(|v| v[0]))
        .transpose()?;
    let mut status = 1;
    for &(lo, hi) in &ports {
        for port in lo..=hi {
            match connect(&o, &ips, port, local, lport) {
                Ok(s) => {
                    if o.verbose {
                        msg!(
                            "connection to ",
                            host.as_bytes(),
                            " (",
                            &dns::addr_port(ips[0], port)[..],
                            ") succeeded"
                        );
                    }
                    if !scan {
                        return relay(&o, s.as_raw_fd());
                    }
                    status = 0;
                }
                Err(e) => {
                    if !scan || o.verbose {
                        let mut subj = b"can't connect to remote host (".to_vec();
                        ibex::inet::put_ip(&mut subj, ips[0]);
                        if scan {
                            subj.push(b':');
                            subj.u(port.into());
                        }
                        subj.push(b')');
                        ibex::error::io_error(&subj[..], &e);
                    }
                    if !scan {
                        return Ok(1);
                    }
                }
            }
        }
    }
    Ok(status)
}

fn connect(
    o: &Opts,
    ips: &[IpAddr],
    port: u16,
    local: Option<IpAddr>,
    lport: Option<u16>,
) -> std::io::Result<OwnedFd> {
    let mut last = std::io::Error::from_raw_os_error(libc::EHOSTUNREACH);
    for &ip in ips {
        let sa = SocketAddr::new(ip, port);
        let ty = if o.udp {
            libc::SOCK_DGRAM
        } else {
            libc::SOCK_STREAM
        };
        let s = sys::sock_new(sys::sock_family(&sa), ty, 0)?;
        let fd = s.as_raw_fd();
        if local.is_some() || lport.is_some() {
            let _ = sys::setsockopt_int(fd, libc::SOL_SOCKET, libc::SO_REUSEADDR, 1);
            let lip = local.unwrap_or(if ip.is_ipv4() {
                IpAddr::V4(Ipv4Addr::UNSPECIFIED)
            } else {
                IpAddr::V6(Ipv6Addr::UNSPECIFIED)
            });
            sys::sock_bind(fd, &SocketAddr::new(lip, lport.unwrap_or(0)))?;
        }
        match sys::connect_timeout(fd, &sa, o.wait_ms) {
            Ok(()) => return Ok(s),
            Err(e) => last = e,
        }
    }
    Err(last)
}

fn do_listen(o: &Opts, addr: SocketAddr) -> Result<OwnedFd, Exit> {
    let fail = |what: &str, e: std::io::Error| {
        ibex::error::io_error(what, &e);
        Exit(1)
    };
    let ty = if o.udp {
        libc::SOCK_DGRAM
    } else {
        libc::SOCK_STREAM
    };
    let s = sys::sock_new(sys::sock_family(&addr), ty, 0).map_err(|e| fail("socket", e))?;
    let fd = s.as_raw_fd();
    let _ = sys::setsockopt_int(fd, libc::SOL_SOCKET, libc::SO_REUSEADDR, 1);
    sys::sock_bind(fd, &addr).map_err(|e| fail("bind", e))?;
    if !o.udp {
        sys::sock_listen(fd, 1).map_err(|e| fail("listen", e))?;
    }
    if o.verbose {
        let a = sys::getsockname(fd).ok().flatten().unwrap_or(addr);
        msg!(
            "listening on ",
            &dns::addr_port(a.ip(), a.port())[..],
            " ..."
        );
    }
    let mut p = [(fd, libc::POLLIN, 0)];
    if sys::poll_fds(&mut p, o.wait_ms).map_err(|e| fail("poll", e))? == 0 {
        msg!("timeout");
        return Err(Exit(1));
    }
    if o.udp {
        // The first datagram's sender becomes the peer; the datagram is
        // left queued for the relay.
        let mut b = [0u8; 1];
        let peer = peek_sender(fd, &mut b).map_err(|e| fail("recvfrom", e))?;
        sys::sock_connect(fd, &peer).map_err(|e| fail("connect", e))?;
        if o.verbose {
            msg!("connect from ", &dns::addr_port(peer.ip(), peer.port())[..]);
        }
        return Ok(s);
    }
    let (c, peer) = sys::sock_accept(fd).map_err(|e| fail("accept", e))?;
    if let (true, Some(peer)) = (o.verbose, peer) {
        msg!("connect from ", &dns::addr_port(peer.ip(), peer.port())[..]);
    }
    Ok(c)
}

/// The sender of the next datagram, without consuming it.
fn peek_sender(fd: RawFd, b: &mut [u8]) -> std::io::Result<SocketAddr> {
    sys::recvfrom_peek(fd, b)?
        .1
        .ok_or_else(|| std::io::Error::from_raw_os_error(libc::EINVAL))
}

/// Copy stdin to the socket and the socket to stdout until both the
/// peer and stdin have ended (or -q's delay after stdin's end has passed).
fn relay(o: &Opts, sock: RawFd) -> Status {
    let mut buf = vec![0u8; 65536];
    let (mut stdin_open, mut sock_open) = (true, true);
    let mut quit_at: Option<Instant> = None;
    while stdin_open || sock_open {
        let mut fds = [(0, libc::POLLIN, 0), (sock, libc::POLLIN, 0)];
        if !stdin_open {
            fds[0].0 = -1;
        }
        if !sock_open {
            fds[1].0 = -1;
        }
        let timeout = match quit_at {
            Some(t) => t
                .saturating_duration_since(Instant::now())
                .as_millis()
                .min(i32::MAX as u128) as i32,
            None => -1,
        };
        let ready = sys::poll_fds(&mut fds, timeout).map_err(|e| {
            ibex::error::io_error("poll", &e);
            Exit(1)
        })?;
        if ready == 0 && quit_at.is_some_and(|t| Instant::now() >= t) {
            return Ok(0);
        }
        if fds[0].2 != 0 {
            match sys::read(0, &mut buf) {
                Ok(0) | Err(_) => {
                    stdin_open = false;
                    if !o.udp {
                        let _ = sys::sock_shutdown(sock, libc::SHUT_WR);
                    }
                    if let Some(q) = o.quit_ms {
                        if q <= 0 {
                            return Ok(0);
                        }
                        quit_at = Some(Instant::now() + Duration::from_millis(q as u64));
                    }
                }
                Ok(k) => {
                    if let Err(e) = write_sock(sock, &buf[..k]) {
                        ibex::error::io_error("write error", &e);
                        return Ok(1);
                    }
                }
            }
        }
        if fds[1].2 != 0 {
            match sys::read(sock, &mut buf) {
                Ok(0) => sock_open = false,
                Ok(k) => {
                    if let Err(e) = sys::write_all(1, &buf[..k]) {
                        ibex::error::io_error("write error", &e);
                        return Ok(1);
                    }
                }
                Err(e) if e.raw_os_error() == Some(libc::EINTR) => {}
                Err(e) if e.raw_os_error() == Some(libc::ECONNREFUSED) && o.udp => {}
                Err(e) if e.raw_os_error() == Some(libc::ECONNRESET) => sock_open = false,
                Err(e) => {
                    ibex::error::io_error("read error", &e);
                    return Ok(1);
                }
            }
        }
    }
    Ok(0)
}

fn write_sock(sock: RawFd, mut data: &[u8]) -> std::io::Result<()> {
    while !data.is_empty() {
        match sys::sendto(sock, data, None) {
            Ok(n) => data = data.get(n..).unwrap_or(&[]),
            Err(e) if e.raw_os_error() == Some(libc::EINTR) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}
