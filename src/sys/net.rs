//! Network configuration calls: sockets, interface ioctls (SIOCGIF*/SIOCSIF*),
//! routing ioctls (SIOCADDRT/SIOCDELRT) and rtnetlink sockets.

use std::io;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};

fn ck(ret: libc::c_int) -> io::Result<libc::c_int> {
    if ret < 0 {
        Err(io::Error::last_os_error())
    } else {
        Ok(ret)
    }
}

/// Size of `struct ifreq`.
pub const IFREQ_SIZE: usize = 40;
/// A raw `struct ifreq`: the name in bytes 0..16, the union from 16.
pub type IfReq = [u8; IFREQ_SIZE];

/// A datagram socket of `family` (AF_INET or AF_INET6) for ioctls.
pub fn dgram_socket(family: i32) -> io::Result<OwnedFd> {
    // SAFETY: plain system call; the descriptor is owned on success.
    let fd = ck(unsafe { libc::socket(family, libc::SOCK_DGRAM | libc::SOCK_CLOEXEC, 0) })?;
    // SAFETY: fd is a fresh descriptor we own.
    Ok(unsafe { OwnedFd::from_raw_fd(fd) })
}

/// The interface ioctl request numbers.
pub mod req {
    pub const SIOCGIFFLAGS: u64 = 0x8913;
    pub const SIOCSIFFLAGS: u64 = 0x8914;
    pub const SIOCGIFADDR: u64 = 0x8915;
    pub const SIOCSIFADDR: u64 = 0x8916;
    pub const SIOCGIFDSTADDR: u64 = 0x8917;
    pub const SIOCSIFDSTADDR: u64 = 0x8918;
    pub const SIOCGIFBRDADDR: u64 = 0x8919;
    pub const SIOCSIFBRDADDR: u64 = 0x891a;
    pub const SIOCGIFNETMASK: u64 = 0x891b;
    pub const SIOCSIFNETMASK: u64 = 0x891c;
    pub const SIOCGIFMETRIC: u64 = 0x891d;
    pub const SIOCSIFMETRIC: u64 = 0x891e;
    pub const SIOCGIFMTU: u64 = 0x8921;
    pub const SIOCSIFMTU: u64 = 0x8922;
    pub const SIOCSIFHWADDR: u64 = 0x8924;
    pub const SIOCGIFHWADDR: u64 = 0x8927;
    pub const SIOCGIFINDEX: u64 = 0x8933;
    pub const SIOCDIFADDR: u64 = 0x8936;
    pub const SIOCGIFTXQLEN: u64 = 0x8942;
    pub const SIOCSIFTXQLEN: u64 = 0x8943;
    pub const SIOCGIFMAP: u64 = 0x8970;
    pub const SIOCADDRT: u64 = 0x890B;
    pub const SIOCDELRT: u64 = 0x890C;
}

/// An ioctl on an `ifreq` (or any buffer of at least its size).
pub fn ifreq_ioctl(fd: RawFd, request: u64, ifr: &mut IfReq) -> io::Result<()> {
    // SAFETY: the buffer is as large as `struct ifreq`, which every
    // interface ioctl used here reads or writes.
    ck(unsafe { libc::ioctl(fd, request as _, ifr.as_mut_ptr()) }).map(|_| ())
}

/// SIOCSIFADDR/SIOCDIFADDR on an AF_INET6 socket: `struct in6_ifreq`.
pub fn in6_ifreq(
    fd: RawFd,
    request: u64,
    addr: [u8; 16],
    prefix: u32,
    ifindex: i32,
) -> io::Result<()> {
    let mut buf = [0u8; 24];
    buf[..16].copy_from_slice(&addr);
    buf[16..20].copy_from_slice(&prefix.to_ne_bytes());
    buf[20..24].copy_from_slice(&ifindex.to_ne_bytes());
    // SAFETY: buf has the layout and size of `struct in6_ifreq`.
    ck(unsafe { libc::ioctl(fd, request as _, buf.as_mut_ptr()) }).map(|_| ())
}

/// An IPv4 route for SIOCADDRT/SIOCDELRT. Addresses in network order.
#[derive(Default, Clone)]
pub struct Route4 {
    pub dst: [u8; 4],
    pub gateway: [u8; 4],
    pub mask: [u8; 4],
    pub flags: u16,
    pub metric: i16,
    pub mss: u64,
    pub window: u64,
    pub irtt: u16,
    pub dev: Option<Vec<u8>>,
}

fn sin(a: [u8; 4]) -> libc::sockaddr {
    // SAFETY: sockaddr is plain data; all-zero is valid.
    let mut s: libc::sockaddr = unsafe { std::mem::zeroed() };
    s.sa_family = libc::AF_INET as libc::sa_family_t;
    for (i, b) in a.iter().enumerate() {
        s.sa_data[2 + i] = *b as libc::c_char;
    }
    s
}

/// Add (`add`) or delete a route with SIOCADDRT/SIOCDELRT.
pub fn route4(fd: RawFd, add: bool, r: &Route4) -> io::Result<()> {
    // SAFETY: rtentry is plain data; all-zero is valid.
    let mut rt: libc::rtentry = unsafe { std::mem::zeroed() };
    rt.rt_dst = sin(r.dst);
    rt.rt_gateway = sin(r.gateway);
    rt.rt_genmask = sin(r.mask);
    rt.rt_flags = r.flags as _;
    rt.rt_metric = r.metric as _;
    rt.rt_mtu = r.mss as _;
    rt.rt_window = r.window as _;
    rt.rt_irtt = r.irtt as _;
    let mut dev = Vec::new();
    if let Some(d) = &r.dev {
        dev.extend_from_slice(d);
        dev.push(0);
        rt.rt_dev = dev.as_mut_ptr() as *mut libc::c_char;
    }
    let request = if add { req::SIOCADDRT } else { req::SIOCDELRT };
    // SAFETY: rt is a valid rtentry; rt_dev (if set) points to a
    // NUL-terminated buffer alive for the call.
    ck(unsafe { libc::ioctl(fd, request as _, &mut rt as *mut libc::rtentry) }).map(|_| ())
}

/// An rtnetlink socket bound to the kernel.
pub fn netlink_route() -> io::Result<OwnedFd> {
    // SAFETY: plain system call.
    let fd = ck(unsafe {
        libc::socket(
            libc::AF_NETLINK,
            libc::SOCK_RAW | libc::SOCK_CLOEXEC,
            libc::NETLINK_ROUTE,
        )
    })?;
    // SAFETY: fd is fresh and ours.
    let owned = unsafe { OwnedFd::from_raw_fd(fd) };
    // SAFETY: sockaddr_nl is plain data.
    let mut sa: libc::sockaddr_nl = unsafe { std::mem::zeroed() };
    sa.nl_family = libc::AF_NETLINK as libc::sa_family_t;
    let one: libc::c_int = 1;
    // SAFETY: a valid option pointer and length. NETLINK_EXT_ACK (11) asks
    // for the kernel's error text; failing to set it only loses that.
    unsafe {
        libc::setsockopt(
            owned.as_raw_fd(),
            libc::SOL_NETLINK,
            11,
            &one as *const libc::c_int as *const libc::c_void,
            std::mem::size_of::<libc::c_int>() as libc::socklen_t,
        );
    }
    // SAFETY: sa is a valid sockaddr_nl of the given length.
    ck(unsafe {
        libc::bind(
            owned.as_raw_fd(),
            &sa as *const libc::sockaddr_nl as *const libc::sockaddr,
            std::mem::size_of::<libc::sockaddr_nl>() as libc::socklen_t,
        )
    })?;
    Ok(owned)
}

/// Send one netlink message to the kernel.
pub fn netlink_send(fd: RawFd, msg: &[u8]) -> io::Result<()> {
    // SAFETY: sockaddr_nl is plain data.
    let mut sa: libc::sockaddr_nl = unsafe { std::mem::zeroed() };
    sa.nl_family = libc::AF_NETLINK as libc::sa_family_t;
    loop {
        // SAFETY: msg is a valid buffer; sa a valid address.
        let r = unsafe {
            libc::sendto(
                fd,
                msg.as_ptr() as *const libc::c_void,
                msg.len(),
                0,
                &sa as *const libc::sockaddr_nl as *const libc::sockaddr,
                std::mem::size_of::<libc::sockaddr_nl>() as libc::socklen_t,
            )
        };
        if r >= 0 {
            return Ok(());
        }
        let e = io::Error::last_os_error();
        if e.raw_os_error() != Some(libc::EINTR) {
            return Err(e);
        }
    }
}

/// Receive one datagram of netlink messages.
pub fn netlink_recv(fd: RawFd, buf: &mut [u8]) -> io::Result<usize> {
    loop {
        // SAFETY: buf is a valid writable buffer.
        let r = unsafe { libc::recv(fd, buf.as_mut_ptr() as *mut libc::c_void, buf.len(), 0) };
        if r >= 0 {
            return Ok(r as usize);
        }
        let e = io::Error::last_os_error();
        if e.raw_os_error() != Some(libc::EINTR) {
            return Err(e);
        }
    }
}

/// The index of the interface called `name`, or None.
pub fn if_index(name: &[u8]) -> Option<u32> {
    if name.is_empty() || name.len() >= 16 {
        return None;
    }
    let mut buf = [0u8; 16];
    buf[..name.len()].copy_from_slice(name);
    // SAFETY: buf is NUL-terminated.
    let i = unsafe { libc::if_nametoindex(buf.as_ptr() as *const libc::c_char) };
    (i != 0).then_some(i)
}

/// `struct ifconf`.
#[repr(C)]
struct IfConf {
    len: libc::c_int,
    buf: *mut u8,
}

/// SIOCGIFCONF: the interfaces with an IPv4 address (aliases included),
/// as raw `ifreq`s.
pub fn ifconf(fd: RawFd) -> io::Result<Vec<IfReq>> {
    let mut n = 32;
    loop {
        let mut buf = vec![0u8; n * IFREQ_SIZE];
        let mut ifc = IfConf {
            len: buf.len() as libc::c_int,
            buf: buf.as_mut_ptr(),
        };
        // SAFETY: ifc describes buf, which outlives the call.
        ck(unsafe { libc::ioctl(fd, 0x8912 as _, &mut ifc as *mut IfConf) })?;
        let len = (ifc.len.max(0) as usize).min(buf.len());
        if len + IFREQ_SIZE * 2 > buf.len() && n < 65536 {
            n *= 4;
            continue;
        }
        let mut out = Vec::new();
        for c in buf[..len].chunks_exact(IFREQ_SIZE) {
            let mut r = [0u8; IFREQ_SIZE];
            r.copy_from_slice(c);
            out.push(r);
        }
        return Ok(out);
    }
}

/// Add or delete an IPv6 route with SIOCADDRT/SIOCDELRT on an AF_INET6
/// socket (`struct in6_rtmsg`).
#[allow(clippy::too_many_arguments)]
pub fn route6(
    fd: RawFd,
    add: bool,
    dst: [u8; 16],
    dst_len: u16,
    gateway: [u8; 16],
    metric: u32,
    flags: u32,
    ifindex: i32,
) -> io::Result<()> {
    let mut m = [0u8; 80];
    m[0..16].copy_from_slice(&dst);
    m[32..48].copy_from_slice(&gateway);
    m[48..52].copy_from_slice(&1u32.to_ne_bytes());
    m[52..54].copy_from_slice(&dst_len.to_ne_bytes());
    m[56..60].copy_from_slice(&metric.to_ne_bytes());
    m[72..76].copy_from_slice(&flags.to_ne_bytes());
    m[76..80].copy_from_slice(&ifindex.to_ne_bytes());
    let request = if add { req::SIOCADDRT } else { req::SIOCDELRT };
    // SAFETY: m has the layout and size of `struct in6_rtmsg` on 64-bit Linux.
    ck(unsafe { libc::ioctl(fd, request as _, m.as_mut_ptr()) }).map(|_| ())
}
