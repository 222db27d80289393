//! Sockets for ping, nc, wget and nslookup: creation, connect with a
//! timeout, bind/listen/accept, datagrams (with the received TTL), socket
//! options and poll. Addresses are `std::net::SocketAddr`.
#![allow(unsafe_code)]

use super::*;
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr, SocketAddrV4, SocketAddrV6};

use libc::{
    AF_INET, AF_INET6, IPPROTO_IP, IPPROTO_IPV6, POLLOUT, SO_ERROR, SOCK_DGRAM, SOL_SOCKET,
};

fn to_raw(a: &SocketAddr) -> (libc::sockaddr_storage, libc::socklen_t) {
    let mut s: libc::sockaddr_storage = unsafe { std::mem::zeroed() };
    let len = match a {
        SocketAddr::V4(v) => {
            let p = &mut s as *mut _ as *mut libc::sockaddr_in;
            // SAFETY: sockaddr_storage is large and aligned enough for sockaddr_in.
            unsafe {
                (*p).sin_family = AF_INET as libc::sa_family_t;
                (*p).sin_port = v.port().to_be();
                (*p).sin_addr.s_addr = u32::from_ne_bytes(v.ip().octets());
            }
            std::mem::size_of::<libc::sockaddr_in>()
        }
        SocketAddr::V6(v) => {
            let p = &mut s as *mut _ as *mut libc::sockaddr_in6;
            // SAFETY: as above, for sockaddr_in6.
            unsafe {
                (*p).sin6_family = AF_INET6 as libc::sa_family_t;
                (*p).sin6_port = v.port().to_be();
                (*p).sin6_addr.s6_addr = v.ip().octets();
                (*p).sin6_flowinfo = v.flowinfo();
                (*p).sin6_scope_id = v.scope_id();
            }
            std::mem::size_of::<libc::sockaddr_in6>()
        }
    };
    (s, len as libc::socklen_t)
}

fn from_raw(s: &libc::sockaddr_storage) -> Option<SocketAddr> {
    match s.ss_family as i32 {
        AF_INET => {
            // SAFETY: the family says the storage holds a sockaddr_in.
            let v = unsafe { &*(s as *const _ as *const libc::sockaddr_in) };
            let ip = Ipv4Addr::from(v.sin_addr.s_addr.to_ne_bytes());
            Some(SocketAddr::V4(SocketAddrV4::new(
                ip,
                u16::from_be(v.sin_port),
            )))
        }
        AF_INET6 => {
            // SAFETY: the family says the storage holds a sockaddr_in6.
            let v = unsafe { &*(s as *const _ as *const libc::sockaddr_in6) };
            let ip = Ipv6Addr::from(v.sin6_addr.s6_addr);
            Some(SocketAddr::V6(SocketAddrV6::new(
                ip,
                u16::from_be(v.sin6_port),
                v.sin6_flowinfo,
                v.sin6_scope_id,
            )))
        }
        _ => None,
    }
}

/// socket(2), close-on-exec.
pub fn sock_new(domain: i32, ty: i32, proto: i32) -> io::Result<OwnedFd> {
    let fd = check(unsafe { libc::socket(domain, ty | libc::SOCK_CLOEXEC, proto) })?;
    // SAFETY: a fresh descriptor we own.
    Ok(unsafe { OwnedFd::from_raw_fd(fd) })
}

/// The address family for an address.
pub fn sock_family(a: &SocketAddr) -> i32 {
    if a.is_ipv4() { AF_INET } else { AF_INET6 }
}

pub fn sock_connect(fd: RawFd, addr: &SocketAddr) -> io::Result<()> {
    let (s, len) = to_raw(addr);
    check(unsafe { libc::connect(fd, &s as *const _ as *const libc::sockaddr, len) }).map(drop)
}

/// Connect, giving up after `timeout_ms` (negative: no limit). The socket
/// is left blocking.
pub fn connect_timeout(fd: RawFd, addr: &SocketAddr, timeout_ms: i32) -> io::Result<()> {
    if timeout_ms < 0 {
        return retry(|| sock_connect(fd, addr)).or_else(|e| {
            if e.raw_os_error() == Some(libc::EISCONN) {
                Ok(())
            } else {
                Err(e)
            }
        });
    }
    let fl = fcntl_getfl(fd)?;
    fcntl_setfl(fd, fl | O_NONBLOCK)?;
    let r = match sock_connect(fd, addr) {
        Ok(()) => Ok(()),
        Err(e) if e.raw_os_error() == Some(libc::EINPROGRESS) => {
            let mut p = [(fd, POLLOUT, 0)];
            if poll_fds(&mut p, timeout_ms)? == 0 {
                Err(io::Error::from_raw_os_error(libc::ETIMEDOUT))
            } else {
                match getsockopt_int(fd, SOL_SOCKET, SO_ERROR)? {
                    0 => Ok(()),
                    n => Err(io::Error::from_raw_os_error(n)),
                }
            }
        }
        Err(e) => Err(e),
    };
    fcntl_setfl(fd, fl)?;
    r
}

pub fn sock_bind(fd: RawFd, addr: &SocketAddr) -> io::Result<()> {
    let (s, len) = to_raw(addr);
    check(unsafe { libc::bind(fd, &s as *const _ as *const libc::sockaddr, len) }).map(drop)
}

pub fn sock_listen(fd: RawFd, backlog: i32) -> io::Result<()> {
    check(unsafe { libc::listen(fd, backlog) }).map(drop)
}

/// accept(2), close-on-exec; also returns the peer's address.
pub fn sock_accept(fd: RawFd) -> io::Result<(OwnedFd, Option<SocketAddr>)> {
    let mut s: libc::sockaddr_storage = unsafe { std::mem::zeroed() };
    let mut len = std::mem::size_of::<libc::sockaddr_storage>() as libc::socklen_t;
    let r = retry(|| {
        check(unsafe {
            libc::accept4(
                fd,
                &mut s as *mut _ as *mut libc::sockaddr,
                &mut len,
                libc::SOCK_CLOEXEC,
            )
        })
    })?;
    // SAFETY: a fresh descriptor we own.
    Ok((unsafe { OwnedFd::from_raw_fd(r) }, from_raw(&s)))
}

/// sendto(2); `to` None sends on a connected socket.
pub fn sendto(fd: RawFd, buf: &[u8], to: Option<&SocketAddr>) -> io::Result<usize> {
    let r = match to {
        Some(a) => {
            let (s, len) = to_raw(a);
            unsafe {
                libc::sendto(
                    fd,
                    buf.as_ptr().cast(),
                    buf.len(),
                    libc::MSG_NOSIGNAL,
                    &s as *const _ as *const libc::sockaddr,
                    len,
                )
            }
        }
        None => unsafe { libc::send(fd, buf.as_ptr().cast(), buf.len(), libc::MSG_NOSIGNAL) },
    };
    check_size(r)
}

/// recvfrom(2): the length and the sender.
pub fn recvfrom(fd: RawFd, buf: &mut [u8]) -> io::Result<(usize, Option<SocketAddr>)> {
    recvfrom_flags(fd, buf, 0)
}

/// recvfrom(2) with MSG_PEEK: the datagram stays queued.
pub fn recvfrom_peek(fd: RawFd, buf: &mut [u8]) -> io::Result<(usize, Option<SocketAddr>)> {
    recvfrom_flags(fd, buf, libc::MSG_PEEK)
}

fn recvfrom_flags(
    fd: RawFd,
    buf: &mut [u8],
    flags: i32,
) -> io::Result<(usize, Option<SocketAddr>)> {
    let mut s: libc::sockaddr_storage = unsafe { std::mem::zeroed() };
    let mut len = std::mem::size_of::<libc::sockaddr_storage>() as libc::socklen_t;
    let n = check_size(unsafe {
        libc::recvfrom(
            fd,
            buf.as_mut_ptr().cast(),
            buf.len(),
            flags,
            &mut s as *mut _ as *mut libc::sockaddr,
            &mut len,
        )
    })?;
    Ok((n, from_raw(&s)))
}

/// recvmsg(2) that also returns the TTL / hop limit carried as ancillary
/// data (after IP_RECVTTL or IPV6_RECVHOPLIMIT was enabled).
pub fn recv_ttl(fd: RawFd, buf: &mut [u8]) -> io::Result<(usize, Option<SocketAddr>, Option<i32>)> {
    let mut s: libc::sockaddr_storage = unsafe { std::mem::zeroed() };
    let mut iov = libc::iovec {
        iov_base: buf.as_mut_ptr().cast(),
        iov_len: buf.len(),
    };
    let mut ctl = [0u64; 16];
    let mut m: libc::msghdr = unsafe { std::mem::zeroed() };
    m.msg_name = (&mut s as *mut libc::sockaddr_storage).cast();
    m.msg_namelen = std::mem::size_of::<libc::sockaddr_storage>() as libc::socklen_t;
    m.msg_iov = &mut iov;
    m.msg_iovlen = 1;
    m.msg_control = ctl.as_mut_ptr().cast();
    m.msg_controllen = std::mem::size_of_val(&ctl) as _;
    let n = check_size(unsafe { libc::recvmsg(fd, &mut m, 0) })?;
    let mut ttl = None;
    // SAFETY: walking the control buffer the kernel filled, with the libc macros.
    unsafe {
        let mut c = libc::CMSG_FIRSTHDR(&m);
        while !c.is_null() {
            let (lvl, ty) = ((*c).cmsg_level, (*c).cmsg_type);
            if (lvl == IPPROTO_IP && ty == libc::IP_TTL)
                || (lvl == IPPROTO_IPV6 && ty == libc::IPV6_HOPLIMIT)
            {
                ttl = Some(std::ptr::read_unaligned(libc::CMSG_DATA(c) as *const i32));
            }
            c = libc::CMSG_NXTHDR(&m, c);
        }
    }
    Ok((n, from_raw(&s), ttl))
}

pub fn setsockopt_int(fd: RawFd, level: i32, name: i32, val: i32) -> io::Result<()> {
    setsockopt_bytes(fd, level, name, &val.to_ne_bytes())
}

pub fn setsockopt_bytes(fd: RawFd, level: i32, name: i32, val: &[u8]) -> io::Result<()> {
    check(unsafe {
        libc::setsockopt(
            fd,
            level,
            name,
            val.as_ptr().cast(),
            val.len() as libc::socklen_t,
        )
    })
    .map(drop)
}

pub fn getsockopt_int(fd: RawFd, level: i32, name: i32) -> io::Result<i32> {
    let mut v: i32 = 0;
    let mut len = 4 as libc::socklen_t;
    check(unsafe { libc::getsockopt(fd, level, name, (&mut v as *mut i32).cast(), &mut len) })?;
    Ok(v)
}

/// The socket's own address.
pub fn getsockname(fd: RawFd) -> io::Result<Option<SocketAddr>> {
    let mut s: libc::sockaddr_storage = unsafe { std::mem::zeroed() };
    let mut len = std::mem::size_of::<libc::sockaddr_storage>() as libc::socklen_t;
    check(unsafe { libc::getsockname(fd, &mut s as *mut _ as *mut libc::sockaddr, &mut len) })?;
    Ok(from_raw(&s))
}

pub fn sock_shutdown(fd: RawFd, how: i32) -> io::Result<()> {
    check(unsafe { libc::shutdown(fd, how) }).map(drop)
}

/// poll(2) over (fd, events, revents) triples; returns how many are ready
/// (0 on timeout). EINTR counts as 0 ready.
pub fn poll_fds(fds: &mut [(RawFd, i16, i16)], timeout_ms: i32) -> io::Result<usize> {
    let mut p: Vec<libc::pollfd> = fds
        .iter()
        .map(|&(fd, events, _)| libc::pollfd {
            fd,
            events,
            revents: 0,
        })
        .collect();
    let r = unsafe { libc::poll(p.as_mut_ptr(), p.len() as libc::nfds_t, timeout_ms) };
    if r < 0 {
        let e = last();
        return if e.raw_os_error() == Some(libc::EINTR) {
            Ok(0)
        } else {
            Err(e)
        };
    }
    for (f, q) in fds.iter_mut().zip(&p) {
        f.2 = q.revents;
    }
    Ok(r as usize)
}

/// Set (SIOCSARP) or delete (SIOCDARP) an ARP entry for an IPv4 address.
pub fn arp_ioctl(set: bool, ip: Ipv4Addr, mac: &[u8; 6], dev: &[u8], flags: i32) -> io::Result<()> {
    let mut r: libc::arpreq = unsafe { std::mem::zeroed() };
    let (s, _) = to_raw(&SocketAddr::V4(SocketAddrV4::new(ip, 0)));
    // SAFETY: sockaddr_in fits in the sockaddr of arpreq (both 16 bytes).
    unsafe {
        std::ptr::copy_nonoverlapping(
            &s as *const _ as *const u8,
            &mut r.arp_pa as *mut _ as *mut u8,
            std::mem::size_of::<libc::sockaddr>(),
        )
    };
    r.arp_ha.sa_family = libc::ARPHRD_ETHER;
    for (d, &b) in r.arp_ha.sa_data.iter_mut().zip(mac) {
        *d = b as libc::c_char;
    }
    r.arp_flags = flags;
    for (d, &b) in r.arp_dev.iter_mut().zip(dev.iter().take(15)) {
        *d = b as libc::c_char;
    }
    let fd = sock_new(AF_INET, SOCK_DGRAM, 0)?;
    let req = if set { libc::SIOCSARP } else { libc::SIOCDARP };
    check(unsafe { libc::ioctl(fd.as_raw_fd(), req as _, &mut r) }).map(drop)
}
