//! netstat: sockets from /proc/net/{tcp,tcp6,udp,udp6,raw,raw6,unix} and
//! the routing table from /proc/net/route, in net-tools/BusyBox columns.
//! Names come from /etc/hosts and /etc/services only (no DNS queries).

use ibex::args::{Spec, parse};
use ibex::io::{Out, read_file};
use ibex::{Status, dns, msg};
use std::collections::HashMap;
use std::ffi::OsString;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

const USAGE: &str = "netstat [-ral] [-tuwx] [-np]

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
\t-p\tShow PID/program name for sockets";

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
    pids: Option<HashMap<u64, String>>,
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
    let hex = |h: &[u8]| u32::from_str_radix(std::str::from_utf8(h).ok()?, 16).ok();
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
    let want = format!("{port}/{proto}");
    for line in text.split(|&b| b == b'\n') {
        let mut w = line
            .split(|b| b.is_ascii_whitespace())
            .filter(|w| !w.is_empty());
        if let (Some(name), Some(pp)) = (w.next(), w.next())
            && pp == want.as_bytes()
            && !name.starts_with(b"#")
        {
            return Some(name.to_vec());
        }
    }
    None
}

fn show_addr(ip: IpAddr, port: u16, numeric: bool, proto: &str) -> Vec<u8> {
    let mut s = if !numeric && !ip.is_unspecified() {
        dns::hosts_name(ip).unwrap_or_else(|| ip.to_string().into_bytes())
    } else {
        ip.to_string().into_bytes()
    };
    s.push(b':');
    if port == 0 {
        s.push(b'*');
    } else if let Some(n) = (!numeric).then(|| service(port, proto)).flatten() {
        s.extend_from_slice(&n);
    } else {
        s.extend_from_slice(port.to_string().as_bytes());
    }
    s
}

fn pad(out: &mut Out, s: &[u8], width: usize) {
    out.write(s);
    for _ in s.len()..width {
        out.byte(b' ');
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
        let st = u8::from_str_radix(std::str::from_utf8(w[3]).unwrap_or(""), 16).unwrap_or(0);
        let mut q = w[4].split(|&b| b == b':');
        let hexq = |h: Option<&[u8]>| {
            u64::from_str_radix(std::str::from_utf8(h.unwrap_or(b"0")).unwrap_or("0"), 16)
                .unwrap_or(0)
        };
        let (tx, rx) = (hexq(q.next()), hexq(q.next()));
        let (listen, state) = match proto {
            "tcp" => (
                st == 10,
                TCP_STATES
                    .get(st as usize)
                    .copied()
                    .unwrap_or("UNKNOWN")
                    .to_string(),
            ),
            "udp" => (
                st == 7,
                if st == 1 {
                    "ESTABLISHED".to_string()
                } else {
                    String::new()
                },
            ),
            _ => (st == 7, st.to_string()),
        };
        if (o.listening && !listen) || (!o.all && !o.listening && listen) {
            continue;
        }
        let sp = if proto == "raw" { "raw" } else { proto };
        out.str(&format!("{proto:<4}  {rx:>6} {tx:>6} "));
        pad(out, &show_addr(lip, lport, o.numeric, sp), 23);
        out.byte(b' ');
        pad(out, &show_addr(rip, rport, o.numeric, sp), 23);
        out.byte(b' ');
        pad(out, state.as_bytes(), 12);
        if let Some(p) = &o.pids {
            let inode: u64 = std::str::from_utf8(w[9])
                .ok()
                .and_then(|s| s.parse().ok())
                .unwrap_or(0);
            out.byte(b' ');
            out.str(p.get(&inode).map_or("-", |s| s.as_str()));
        }
        out.byte(b'\n');
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
        let hex =
            |h: &[u8]| u64::from_str_radix(std::str::from_utf8(h).unwrap_or(""), 16).unwrap_or(0);
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
        out.str(&format!(
            "unix  {refcnt:<6} {flags:<11} {ty:<10} {state:<13} "
        ));
        let ino = String::from_utf8_lossy(inode);
        out.str(&format!("{ino:>6}"));
        if let Some(p) = &o.pids {
            let n: u64 = ino.parse().unwrap_or(0);
            out.byte(b' ');
            pad(out, p.get(&n).map_or("-", |s| s.as_str()).as_bytes(), 19);
        }
        out.byte(b' ');
        out.write(&path);
        out.byte(b'\n');
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

/// Socket inode -> "PID/name", from /proc/PID/fd links.
fn socket_owners() -> HashMap<u64, String> {
    let mut map = HashMap::new();
    let Ok(procs) = std::fs::read_dir("/proc") else {
        return map;
    };
    for p in procs.flatten() {
        let pid = p.file_name();
        let Some(pid) = pid
            .to_str()
            .filter(|s| s.bytes().all(|b| b.is_ascii_digit()))
        else {
            continue;
        };
        let Ok(fds) = std::fs::read_dir(format!("/proc/{pid}/fd")) else {
            continue;
        };
        let mut name = None;
        for fd in fds.flatten() {
            let Ok(l) = std::fs::read_link(fd.path()) else {
                continue;
            };
            let Some(ino) = l
                .to_str()
                .and_then(|s| s.strip_prefix("socket:["))
                .and_then(|s| s.strip_suffix(']'))
                .and_then(|s| s.parse::<u64>().ok())
            else {
                continue;
            };
            let name = name.get_or_insert_with(|| {
                let cmd = read_file(format!("/proc/{pid}/cmdline").as_bytes()).unwrap_or_default();
                let arg0 = cmd.split(|&b| b == 0).next().unwrap_or(b"");
                let base = arg0.rsplit(|&b| b == b'/').next().unwrap_or(b"");
                format!("{pid}/{}", String::from_utf8_lossy(base))
            });
            map.entry(ino).or_insert_with(|| name.clone());
        }
    }
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
        let hex =
            |h: &[u8]| u32::from_str_radix(std::str::from_utf8(h).unwrap_or(""), 16).unwrap_or(0);
        let ip = |h: &[u8]| Ipv4Addr::from(hex(h).to_ne_bytes());
        let (dst, gw, mask) = (ip(w[1]), ip(w[2]), ip(w[7]));
        let flags = hex(w[3]);
        if flags & 1 == 0 {
            continue;
        }
        let mut fl = String::new();
        for (bit, c) in [
            (1, 'U'),
            (2, 'G'),
            (4, 'H'),
            (8, 'R'),
            (0x10, 'D'),
            (0x20, 'M'),
            (0x200, '!'),
        ] {
            if flags & bit != 0 {
                fl.push(c);
            }
        }
        let d = if !numeric && dst.is_unspecified() {
            "default".to_string()
        } else {
            dst.to_string()
        };
        let g = if !numeric && gw.is_unspecified() {
            "*".to_string()
        } else {
            gw.to_string()
        };
        let dec = |h: &[u8]| String::from_utf8_lossy(h).parse::<u64>().unwrap_or(0);
        out.str(&format!(
            "{d:<15} {g:<15} {:<16}{fl:<6}{:>5} {:<6} {:>5} ",
            mask.to_string(),
            dec(w[8]),
            dec(w[9]),
            dec(w[10])
        ));
        out.write(w[0]);
        out.byte(b'\n');
    }
    Ok(())
}
