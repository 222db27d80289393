//! netstat: sockets from /proc/net/{tcp,tcp6,udp,udp6,raw,raw6,unix} and
//! the routing table from /proc/net/route, in net-tools/BusyBox columns.
//! Names come from /etc/hosts and /etc/services only (no DNS queries).

use ibex::args::{Spec, parse};
use ibex::inet::{hex, put_ip};
use ibex::io::{Out, read_file};
use ibex::put::Put;
use ibex::{Status, dns, msg};
use std::ffi::OsString;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

const USAGE: ibex::usage::Usage = ibex::usage!(
    netstat,
    "netstat [-ral] [-tuwx] [-np]

Display networking information

\t-r\tRouting table
\t-a\tAll sockets
\t-l\tListening sockets
\t\tElse: connected sockets
\t-t\tTCP sockets
\t-u\tUDP sockets
\t-w\tRaw sockets
\t-x\tUnix sockets
\t\tElse: all socket types
\t-n\tDon't resolve names
\t-p\tShow PID/program name for sockets"
);

const SPEC: Spec = Spec::new("raltuwxnpe", &[], USAGE);

const TCP_STATES: [&str; 12] = [
    "",
    "ESTABLISHED",
    "SYN_SENT",
    "SYN_RECV",
    "FIN_WAIT1",
    "FIN_WAIT2",
    "TIME_WAIT",
    "CLOSE",
    "CLOSE_WAIT",
    "LAST_ACK",
    "LISTEN",
    "CLOSING",
];

struct Opts {
    all: bool,
    listening: bool,
    numeric: bool,
    pids: Option<Vec<(u64, Vec<u8>)>>,
}

pub fn main(argv: &[OsString]) -> Status {
    let mut f = [false; 256];
    let ops = parse(argv, &SPEC, |id, _| {
        f[id as usize & 255] = true;
        Ok(())
    })?;
    if let Some(op) = ops.first() {
        use std::os::unix::ffi::OsStrExt;
        return Err(ibex::args::usage_error(
            &SPEC,
            &[b"extra operand '", op.as_bytes(), b"'"],
        ));
    }
    let mut out = Out::stdout();
    let o = Opts {
        all: f[b'a' as usize],
        listening: f[b'l' as usize] && !f[b'a' as usize],
        numeric: f[b'n' as usize],
        pids: f[b'p' as usize].then(socket_owners),
    };
    if f[b'r' as usize] {
        return match routes(&mut out, o.numeric) {
            Ok(()) => out.done(0),
            Err(c) => Ok(c),
        };
    }
    let any = [b't', b'u', b'w', b'x'].iter().any(|&c| f[c as usize]);
    let want = |c: u8| !any || f[c as usize];
    let which = if o.all {
        "servers and established"
    } else if o.listening {
        "only servers"
    } else {
        "w/o servers"
    };
    let mut status = 0;
    if want(b't') || want(b'u') || want(b'w') {
        out.str("Active Internet connections (");
        out.str(which);
        out.str(
            ")\nProto Recv-Q Send-Q Local Address           Foreign Address         State       ",
        );
        if o.pids.is_some() {
            out.str(" PID/Program name");
        }
        out.byte(b'\n');
        for (c, name, file) in [
            (b't', "tcp", &b"/proc/net/tcp"[..]),
            (b't', "tcp", b"/proc/net/tcp6"),
            (b'u', "udp", b"/proc/net/udp"),
            (b'u', "udp", b"/proc/net/udp6"),
            (b'w', "raw", b"/proc/net/raw"),
            (b'w', "raw", b"/proc/net/raw6"),
        ] {
            if want(c) && inet(&mut out, &o, name, file).is_err() {
                status = 1;
            }
        }
    }
    if want(b'x') {
        out.str("Active UNIX domain sockets (");
        out.str(which);
        out.str(")\nProto RefCnt Flags       Type       State         I-Node");
        if o.pids.is_some() {
            out.str(" PID/Program name   ");
        }
        out.str(" Path\n");
        if unix(&mut out, &o).is_err() {
            status = 1;
        }
    }
    out.done(status)
}

fn read_proc(file: &[u8]) -> Result<Vec<u8>, ()> {
    read_file(file).map_err(|e| {
        // A missing family (no IPv6) is not an error.
        if e.raw_os_error() != Some(libc::ENOENT) {
            ibex::error::io_error(file, &e);
        }
    })
}

/// An address from /proc/net: hex words in host byte order.
fn parse_addr(s: &[u8]) -> Option<(IpAddr, u16)> {
    let colon = s.iter().position(|&b| b == b':')?;
    let hex = |h: &[u8]| hex(h).and_then(|n| u32::try_from(n).ok());
    let port = hex(&s[colon + 1..])? as u16;
    let a = &s[..colon];
    let ip = match a.len() {
        8 => IpAddr::V4(Ipv4Addr::from(hex(a)?.to_ne_bytes())),
        32 => {
            let mut b = [0u8; 16];
            for i in 0..4 {
                b[i * 4..i * 4 + 4].copy_from_slice(&hex(&a[i * 8..i * 8 + 8])?.to_ne_bytes());
            }
            IpAddr::V6(Ipv6Addr::from(b))
        }
        _ => return None,
    };
    Some((ip, port))
}

fn service(port: u16, proto: &str) -> Option<Vec<u8>> {
    let text = read_file(b"/etc/services").ok()?;
    let mut want = Vec::new();
    want.u(port.into()).c(b'/').s(proto);
    for line in text.split(|&b| b == b'\n') {
        let mut w = line
            .split(|b| b.is_ascii_whitespace())
            .filter(|w| !w.is_empty());
        if let (Some(name), Some(pp)) = (w.next(), w.next())
            && pp == want
            && !name.starts_with(b"#")
        {
            return Some(name.to_vec());
        }
    }
    None
}

/// Append `host:port` padded to 23 columns, and a space.
fn show_addr(s: &mut Vec<u8>, ip: IpAddr, port: u16, numeric: bool, proto: &str) {
    let start = s.len();
    match (!numeric && !ip.is_unspecified())
        .then(|| dns::hosts_name(ip))
        .flatten()
    {
        Some(n) => s.extend_from_slice(&n),
        None => put_ip(s, ip),
    }
    s.push(b':');
    if port == 0 {
        s.push(b'*');
    } else if let Some(n) = (!numeric).then(|| service(port, proto)).flatten() {
        s.b(&n);
    } else {
        s.u(port.into());
    }
    s.pad(start, 23).c(b' ');
}

/// The owner of socket `inode`, or `-`.
fn owner<'a>(pids: &'a [(u64, Vec<u8>)], inode: &[u8]) -> &'a [u8] {
    let n = ibex::num::parse_u64(inode).unwrap_or(0);
    match pids.binary_search_by_key(&n, |p| p.0) {
        Ok(i) => &pids[i].1,
        Err(_) => b"-",
    }
}

fn inet(out: &mut Out, o: &Opts, proto: &str, file: &[u8]) -> Result<(), ()> {
    let text = read_proc(file)?;
    for line in text.split(|&b| b == b'\n').skip(1) {
        let w: Vec<&[u8]> = line
            .split(|b| b.is_ascii_whitespace())
            .filter(|w| !w.is_empty())
            .collect();
        if w.len() < 10 {
            continue;
        }
        let (Some((lip, lport)), Some((rip, rport))) = (parse_addr(w[1]), parse_addr(w[2])) else {
            continue;
        };
        let st = hex(w[3]).map_or(0, |n| n as u8);
        let mut q = w[4].split(|&b| b == b':');
        let mut hexq = || q.next().and_then(hex).unwrap_or(0);
        let (tx, rx) = (hexq(), hexq());
        let listen = st == if proto == "tcp" { 10 } else { 7 };
        if (o.listening && !listen) || (!o.all && !o.listening && listen) {
            continue;
        }
        let mut t = Vec::new();
        t.left(proto.as_bytes(), 4)
            .s("  ")
            .u_right(rx, 6)
            .c(b' ')
            .u_right(tx, 6)
            .c(b' ');
        show_addr(&mut t, lip, lport, o.numeric, proto);
        show_addr(&mut t, rip, rport, o.numeric, proto);
        let start = t.len();
        match proto {
            "tcp" => {
                t.s(TCP_STATES.get(st as usize).copied().unwrap_or("UNKNOWN"));
            }
            "udp" => {
                if st == 1 {
                    t.s("ESTABLISHED");
                }
            }
            _ => {
                t.u(st.into());
            }
        }
        t.pad(start, 12);
        if let Some(p) = &o.pids {
            t.c(b' ').b(owner(p, w[9]));
        }
        t.push(b'\n');
        out.write(&t);
    }
    Ok(())
}

fn unix(out: &mut Out, o: &Opts) -> Result<(), ()> {
    let text = read_proc(b"/proc/net/unix")?;
    for line in text.split(|&b| b == b'\n').skip(1) {
        let f: Vec<&[u8]> = line
            .split(|&b| b == b' ')
            .filter(|w| !w.is_empty())
            .take(7)
            .collect();
        if f.len() < 7 {
            continue;
        }
        let path = unix_path(line);
        let hex = |h: &[u8]| hex(h).unwrap_or(0);
        let refcnt = hex(f[1]);
        let flags = hex(f[3]);
        let ty = hex(f[4]);
        let st = hex(f[5]);
        let inode = f[6];
        let acc = flags & 0x10000 != 0;
        if (o.listening && !acc) || (!o.all && !o.listening && acc) {
            continue;
        }
        let ty = match ty {
            1 => "STREAM",
            2 => "DGRAM",
            3 => "RAW",
            4 => "RDM",
            5 => "SEQPACKET",
            _ => "UNKNOWN",
        };
        let state = match st {
            0 => "FREE",
            1 if acc => "LISTENING",
            1 => "",
            2 => "CONNECTING",
            3 => "CONNECTED",
            4 => "DISCONNECTING",
            _ => "UNKNOWN",
        };
        let flags = if acc { "[ ACC ]" } else { "[ ]" };
        let mut t = Vec::new();
        t.s("unix  ");
        let start = t.len();
        t.u(refcnt).pad(start, 6).c(b' ');
        t.left(flags.as_bytes(), 11).c(b' ');
        t.left(ty.as_bytes(), 10).c(b' ');
        t.left(state.as_bytes(), 13).c(b' ');
        t.right(inode, 6);
        if let Some(p) = &o.pids {
            t.c(b' ').left(owner(p, inode), 19);
        }
        t.c(b' ').b(&path).c(b'\n');
        out.write(&t);
    }
    Ok(())
}

/// The path field of a /proc/net/unix line (the 8th, may hold spaces).
fn unix_path(line: &[u8]) -> Vec<u8> {
    let mut fields = 0;
    let mut i = 0;
    while i < line.len() && fields < 7 {
        while i < line.len() && line[i] == b' ' {
            i += 1;
        }
        while i < line.len() && line[i] != b' ' {
            i += 1;
        }
        fields += 1;
    }
    let rest = line.get(i + 1..).unwrap_or(b"");
    rest.to_vec()
}

/// Socket inode -> "PID/name", from /proc/PID/fd links; sorted by inode.
fn socket_owners() -> Vec<(u64, Vec<u8>)> {
    use ibex::sys;
    let mut map = Vec::new();
    let mut procs = Vec::new();
    let dir = |path: &[u8], v: &mut Vec<sys::DirEntry>| {
        sys::open(
            path,
            libc::O_RDONLY | libc::O_DIRECTORY | libc::O_CLOEXEC,
            0,
        )
        .and_then(|fd| sys::read_dir(std::os::fd::AsRawFd::as_raw_fd(&fd), v))
        .is_ok()
    };
    dir(b"/proc", &mut procs);
    let mut fds = Vec::new();
    for p in procs {
        let pid = &p.name[..];
        if !pid.iter().all(u8::is_ascii_digit) {
            continue;
        }
        let mut path = Vec::new();
        path.s("/proc/").b(pid).s("/fd/");
        let base = path.len();
        fds.clear();
        if !dir(&path, &mut fds) {
            continue;
        }
        let mut name: Option<Vec<u8>> = None;
        for fd in &fds {
            path.truncate(base);
            path.b(&fd.name);
            let Ok(l) = sys::readlink(&path) else {
                continue;
            };
            let Some(ino) = l
                .strip_prefix(b"socket:[")
                .and_then(|s| s.strip_suffix(b"]"))
                .and_then(|s| ibex::num::parse_u64(s).ok())
            else {
                continue;
            };
            let name = name.get_or_insert_with(|| {
                path.truncate(base - 3);
                path.s("cmdline");
                let cmd = read_file(&path).unwrap_or_default();
                let arg0 = cmd.split(|&b| b == 0).next().unwrap_or(b"");
                let prog = arg0.rsplit(|&b| b == b'/').next().unwrap_or(b"");
                let mut n = pid.to_vec();
                n.c(b'/').b(prog);
                n
            });
            map.push((ino, name.clone()));
        }
    }
    // The first owner found wins, as before.
    ibex::order::sort_by(&mut map, |a, b| a.0.cmp(&b.0));
    map.dedup_by_key(|p| p.0);
    map
}

fn routes(out: &mut Out, numeric: bool) -> Result<(), i32> {
    let text = read_file(b"/proc/net/route").map_err(|e| {
        msg!("/proc/net/route: ", e);
        1
    })?;
    out.str("Kernel IP routing table\nDestination     Gateway         Genmask         Flags   MSS Window  irtt Iface\n");
    for line in text.split(|&b| b == b'\n').skip(1) {
        let w: Vec<&[u8]> = line
            .split(|b| b.is_ascii_whitespace())
            .filter(|w| !w.is_empty())
            .collect();
        if w.len() < 11 {
            continue;
        }
        let hex = |h: &[u8]| hex(h).map_or(0, |n| n as u32);
        let ip = |h: &[u8]| hex(h).to_ne_bytes();
        let (dst, gw, mask) = (ip(w[1]), ip(w[2]), ip(w[7]));
        let flags = hex(w[3]);
        if flags & 1 == 0 {
            continue;
        }
        let mut t = Vec::new();
        ibex::inet::put_route_v4(&mut t, dst, gw, mask, numeric);
        for (bit, c) in [
            (1, b'U'),
            (2, b'G'),
            (4, b'H'),
            (8, b'R'),
            (0x10, b'D'),
            (0x20, b'M'),
            (0x200, b'!'),
        ] {
            if flags & bit != 0 {
                t.push(c);
            }
        }
        let dec = |h: &[u8]| ibex::num::parse_u64(h).unwrap_or(0);
        t.pad(48, 6).u_right(dec(w[8]), 5).c(b' ');
        let start = t.len();
        t.u(dec(w[9]))
            .pad(start, 6)
            .c(b' ')
            .u_right(dec(w[10]), 5)
            .c(b' ');
        t.b(w[0]).c(b'\n');
        out.write(&t);
    }
    Ok(())
}
