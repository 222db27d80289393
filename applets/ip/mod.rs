//! ip: show and change links, addresses, routes and neighbours over
//! rtnetlink, in iproute2's output format.
//!
//! `ip [-4|-6] [-o] [-s] [-br] [-d] OBJECT COMMAND ...` with OBJECT one of
//! address, link, route, neighbour (any prefix: `ip a`, `ip r`, `ip l`).

mod addr;
mod link;
mod neigh;
mod route;

use ibex::Status;
use ibex::io::Out;
use ibex::netlink::{self, Msg, NlError, Socket};
pub use ibex::put::Put;
use std::ffi::OsString;
use std::os::unix::ffi::OsStrExt;

const USAGE: ibex::usage::Usage = ibex::usage!(
    ip,
    "Usage: ip [OPTIONS] address|link|route|neigh [COMMAND [ARGS]]

OPTIONS := -4 | -6 | -o[neline] | -s[tatistics] | -br[ief] | -d[etails]
address show|add|del|flush [dev IFACE] [PREFIX] [peer P] [broadcast B] [scope S] [label L]
link show|set|add|del [dev] IFACE [up|down] [mtu N] [name NEW] [address MAC]
\t[promisc on|off] [arp on|off] [multicast on|off] [allmulticast on|off]
\t[txqueuelen N] [netns PID] [type veth|dummy|bridge [peer name NAME]]
route show|add|del|replace|change|append|get [default|PREFIX] [via ADDR] [dev IFACE]
\t[src ADDR] [metric N] [table N|main|local|all] [proto P] [scope S]
neigh show [dev IFACE] [to PREFIX]
"
);

/// Global options shared by the subcommands.
#[derive(Default, Clone, Copy)]
pub struct Opts {
    /// 0 any, AF_INET, AF_INET6.
    pub family: u8,
    pub oneline: bool,
    pub stats: u32,
    pub brief: bool,
    pub details: bool,
}

pub const AF_INET: u8 = libc::AF_INET as u8;
pub const AF_INET6: u8 = libc::AF_INET6 as u8;

/// Write an iproute2-style message (no applet prefix) to stderr: the parts
/// joined, then a newline.
pub fn err(parts: &[&[u8]]) {
    let mut m = parts.concat();
    m.push(b'\n');
    let _ = ibex::sys::write_all(2, &m);
}

/// Report a netlink failure the way iproute2 does; status 2.
pub fn nl_fail(e: &NlError) -> Status {
    match &e.msg {
        Some(m) if !m.is_empty() => {
            let dot: &[u8] = if m.ends_with(b".") { b"" } else { b"." };
            err(&[b"Error: ", m, dot]);
        }
        _ => err(&[
            b"RTNETLINK answers: ",
            ibex::error::reason(&e.io()).as_bytes(),
        ]),
    }
    Ok(2)
}

pub fn open() -> Result<Socket, ibex::error::Exit> {
    Socket::open().map_err(|e| {
        err(&[
            b"Cannot open netlink socket: ",
            ibex::error::reason(&e).as_bytes(),
        ]);
        ibex::error::Exit(1)
    })
}

/// `matches(word, full)`: word is a non-empty prefix of full.
pub fn matches(word: &[u8], full: &str) -> bool {
    !word.is_empty() && full.as_bytes().starts_with(word)
}

/// The index of a device, or `Cannot find device "x"` and status 1.
pub fn dev_index(name: &[u8]) -> Result<u32, ibex::error::Exit> {
    ibex::sys::if_index(name).ok_or_else(|| {
        err(&[b"Cannot find device \"", name, b"\""]);
        ibex::error::Exit(1)
    })
}

/// For show commands: `Device "x" does not exist.`, status 1.
pub fn no_device(name: &[u8]) -> Result<u32, ibex::error::Exit> {
    ibex::sys::if_index(name).ok_or_else(|| {
        err(&[b"Device \"", name, b"\" does not exist."]);
        ibex::error::Exit(1)
    })
}

/// `Error: argument "ARG" is wrong: WHAT`, status 255.
pub fn wrong(arg: &[u8], what: &str) -> ibex::error::Exit {
    err(&[
        b"Error: argument \"",
        arg,
        b"\" is wrong: ",
        what.as_bytes(),
    ]);
    ibex::error::Exit(255)
}

/// The value after a keyword, or iproute2's complaint.
pub fn next_arg<'a>(
    args: &mut std::slice::Iter<'_, &'a [u8]>,
) -> Result<&'a [u8], ibex::error::Exit> {
    match args.next() {
        Some(a) => Ok(a),
        None => {
            err(&[b"Command line is not complete. Try option \"help\""]);
            Err(ibex::error::Exit(1))
        }
    }
}

/// How iproute2 names an expected prefix of a family.
pub fn prefix_word(family: u8) -> &'static str {
    match family {
        AF_INET => "inet prefix",
        AF_INET6 => "inet6 prefix",
        _ => "any valid prefix",
    }
}

/// `Error: WHAT is expected rather than "ARG".`, status 1.
pub fn expected(what: &str, arg: &[u8]) -> ibex::error::Exit {
    err(&[
        b"Error: ",
        what.as_bytes(),
        b" is expected rather than \"",
        arg,
        b"\".",
    ]);
    ibex::error::Exit(1)
}

/// `Error: either "KEY" is duplicate, or "ARG" is a garbage.`, status 1.
pub fn garbage(key: &str, arg: &[u8]) -> ibex::error::Exit {
    err(&[
        b"Error: either \"",
        key.as_bytes(),
        b"\" is duplicate, or \"",
        arg,
        b"\" is a garbage.",
    ]);
    ibex::error::Exit(255)
}

pub fn parse_u32(a: &[u8]) -> Option<u32> {
    let n = match a.strip_prefix(b"0x") {
        Some(h) => ibex::inet::hex(h)?,
        None => ibex::num::parse_u64(a).ok()?,
    };
    u32::try_from(n).ok()
}

/// An interface as RTM_NEWLINK describes it.
#[derive(Default, Clone)]
pub struct Link {
    pub index: u32,
    pub ltype: u16,
    pub flags: u32,
    pub name: Vec<u8>,
    pub mtu: Option<u32>,
    pub qdisc: Option<Vec<u8>>,
    pub operstate: Option<u8>,
    pub linkmode: Option<u8>,
    pub txqlen: Option<u32>,
    pub group: Option<u32>,
    pub master: Option<u32>,
    pub link: Option<u32>,
    pub netnsid: Option<i32>,
    pub address: Option<Vec<u8>>,
    pub broadcast: Option<Vec<u8>>,
    pub stats: Option<[u64; 24]>,
    pub kind: Option<Vec<u8>>,
    pub carrier_changes: Option<u32>,
    pub altnames: Vec<Vec<u8>>,
}

pub fn parse_link(body: &[u8]) -> Option<Link> {
    let hdr = body.get(..16)?;
    let mut l = Link {
        ltype: u16::from_ne_bytes([hdr[2], hdr[3]]),
        index: u32::from_ne_bytes([hdr[4], hdr[5], hdr[6], hdr[7]]),
        flags: u32::from_ne_bytes([hdr[8], hdr[9], hdr[10], hdr[11]]),
        ..Link::default()
    };
    for (ty, p) in netlink::attrs(&body[16..]) {
        match ty {
            1 => l.address = Some(p.to_vec()),
            2 => l.broadcast = Some(p.to_vec()),
            3 => l.name = cstr(p).to_vec(),
            4 => l.mtu = netlink::u32_of(p),
            5 => l.link = netlink::u32_of(p),
            6 => l.qdisc = Some(cstr(p).to_vec()),
            10 => l.master = netlink::u32_of(p),
            13 => l.txqlen = netlink::u32_of(p),
            16 => l.operstate = p.first().copied(),
            17 => l.linkmode = p.first().copied(),
            23 => {
                let mut st = [0u64; 24];
                for (i, c) in p.chunks_exact(8).take(24).enumerate() {
                    st[i] = u64::from_ne_bytes(c.try_into().unwrap_or([0; 8]));
                }
                l.stats = Some(st);
            }
            18 => l.kind = netlink::find(p, 1).map(|k| cstr(k).to_vec()),
            27 => l.group = netlink::u32_of(p),
            35 => l.carrier_changes = netlink::u32_of(p),
            52 => {
                for (t, n) in netlink::attrs(p) {
                    if t == 53 {
                        l.altnames.push(cstr(n).to_vec());
                    }
                }
            }
            37 => l.netnsid = netlink::u32_of(p).map(|v| v as i32),
            _ => {}
        }
    }
    Some(l)
}

/// The bytes before the first NUL.
pub fn cstr(p: &[u8]) -> &[u8] {
    p.split(|&b| b == 0).next().unwrap_or(p)
}

/// Dump every link (in the kernel's order).
pub fn links(sock: &mut Socket, family: u8) -> Result<Vec<Link>, NlError> {
    let mut m = Msg::new(netlink::RTM_GETLINK, netlink::F_DUMP);
    let mut hdr = [0u8; 16];
    hdr[0] = family;
    m.fixed(&hdr);
    // IFLA_EXT_MASK: RTEXT_FILTER_VF is not needed; ask for nothing extra.
    let mut out = Vec::new();
    sock.talk(&mut m, |ty, body| {
        if ty == netlink::RTM_NEWLINK
            && let Some(l) = parse_link(body)
        {
            out.push(l);
        }
    })?;
    Ok(out)
}

/// Append a link's name as iproute2 shows it: `v0@v1`, `v0@if5`, `v0@NONE`.
pub fn put_link_name(t: &mut Vec<u8>, l: &Link, all: &[Link]) {
    t.b(&l.name);
    if let Some(peer) = l.link
        && peer != l.index
    {
        t.push(b'@');
        if peer == 0 {
            t.s("NONE");
        } else if l.netnsid.is_some() {
            t.s("if").u(peer.into());
        } else {
            put_name(t, peer, all);
        }
    }
}

/// The name of interface `index` among `all`.
pub fn name_of(index: u32, all: &[Link]) -> Option<&[u8]> {
    all.iter().find(|l| l.index == index).map(|l| &l.name[..])
}

/// Append the name of interface `index` among `all`, or `if<N>`.
pub fn put_name(t: &mut Vec<u8>, index: u32, all: &[Link]) {
    match name_of(index, all) {
        Some(n) => t.b(n),
        None => t.s("if").u(index.into()),
    };
}

/// Append a scope's name or number.
pub fn put_scope(t: &mut Vec<u8>, scope: u8) {
    match scope {
        0 => t.s("global"),
        200 => t.s("site"),
        253 => t.s("link"),
        254 => t.s("host"),
        255 => t.s("nowhere"),
        n => t.u(n.into()),
    };
}

pub fn parse_scope(a: &[u8]) -> Option<u8> {
    Some(match a {
        b"global" | b"universe" => 0,
        b"site" => 200,
        b"link" => 253,
        b"host" => 254,
        b"nowhere" => 255,
        _ => u8::try_from(parse_u32(a)?).ok()?,
    })
}

/// An IPv4 or IPv6 address's bytes, kept inline (no allocation to drop).
#[derive(Clone, Copy, PartialEq)]
pub struct IpBytes {
    b: [u8; 16],
    n: u8,
}

impl IpBytes {
    pub fn new(a: &[u8]) -> IpBytes {
        let mut b = [0u8; 16];
        let n = a.len().min(16);
        b[..n].copy_from_slice(&a[..n]);
        IpBytes { b, n: n as u8 }
    }
}

impl std::ops::Deref for IpBytes {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        &self.b[..usize::from(self.n)]
    }
}

/// An address with optional /prefix: (family, bytes, prefix, had prefix).
pub struct Prefix {
    pub family: u8,
    pub addr: IpBytes,
    pub len: u32,
    pub explicit: bool,
}

/// Parse `ADDR[/LEN]` of `family` (0: either). `loose` allows `10/8`.
pub fn parse_prefix(a: &[u8], family: u8, loose: bool) -> Option<Prefix> {
    let (addr, len) = match a.iter().position(|&b| b == b'/') {
        Some(i) => (&a[..i], Some(&a[i + 1..])),
        None => (a, None),
    };
    let (fam, bytes, max) = if family != AF_INET6
        && let Some(v4) = if loose {
            ibex::inet::parse_v4_loose(addr)
        } else {
            ibex::inet::parse_v4(addr)
        } {
        (AF_INET, IpBytes::new(&v4), 32)
    } else if family != AF_INET
        && let Some(v6) = ibex::inet::parse_v6(addr)
    {
        (AF_INET6, IpBytes::new(&v6), 128)
    } else {
        return None;
    };
    let plen = match len {
        Some(l) => ibex::inet::parse_prefix(l, max)?,
        None => max,
    };
    Some(Prefix {
        family: fam,
        addr: bytes,
        len: plen,
        explicit: len.is_some(),
    })
}

/// Print one output record; in one-line mode, newlines inside become `\`.
pub fn emit(out: &mut Out, text: &[u8], oneline: bool) {
    if oneline {
        let body = text.strip_suffix(b"\n").unwrap_or(text);
        for &b in body {
            out.byte(if b == b'\n' { b'\\' } else { b });
        }
        out.byte(b'\n');
    } else {
        out.write(text);
    }
}

pub fn main(argv: &[OsString]) -> Status {
    let args: Vec<&[u8]> = argv.iter().skip(1).map(|a| a.as_bytes()).collect();
    let mut o = Opts::default();
    let mut i = 0;
    while let Some(&a) = args.get(i) {
        if a.len() < 2 || a[0] != b'-' {
            break;
        }
        let opt = a.strip_prefix(b"--").unwrap_or(&a[1..]);
        match opt {
            b"4" => o.family = AF_INET,
            b"6" => o.family = AF_INET6,
            b"0" => o.family = libc::AF_PACKET as u8,
            // -h is iproute2's -human-readable; -N, -r, -c change nothing here.
            b"h" | b"human" | b"human-readable" | b"N" | b"Numeric" | b"r" | b"resolve" | b"c"
            | b"color" | b"iec" => {}
            b"V" | b"Version" => {
                let mut out = Out::stdout();
                out.str("ip utility, ibex\n");
                return out.done(0);
            }
            b"help" => {
                let mut out = Out::stdout();
                out.write(&USAGE.text());
                return out.done(0);
            }
            _ if matches(opt, "oneline") => o.oneline = true,
            _ if matches(opt, "statistics") || opt == b"stats" => o.stats += 1,
            _ if opt.len() >= 2 && matches(opt, "brief") => o.brief = true,
            _ if matches(opt, "details") => o.details = true,
            _ if matches(opt, "family") => {
                i += 1;
                o.family = match args.get(i).copied() {
                    Some(b"inet") => AF_INET,
                    Some(b"inet6") => AF_INET6,
                    Some(b"link") => libc::AF_PACKET as u8,
                    Some(f) => {
                        err(&[
                            b"Error: argument \"",
                            f,
                            b"\" is wrong: invalid protocol family",
                        ]);
                        return Ok(255);
                    }
                    None => {
                        err(&[b"Command line is not complete. Try option \"help\""]);
                        return Ok(255);
                    }
                };
            }
            _ => {
                err(&[b"Option \"", a, b"\" is unknown, try \"ip -help\"."]);
                return Ok(255);
            }
        }
        i += 1;
    }
    let rest = args.get(i + 1..).unwrap_or(&[]);
    let Some(&obj) = args.get(i) else {
        let _ = ibex::sys::write_all(2, &USAGE.text());
        return Ok(255);
    };
    if matches(obj, "address") {
        addr::main(o, rest)
    } else if matches(obj, "route") {
        route::main(o, rest)
    } else if matches(obj, "neighbour") || matches(obj, "neighbor") {
        neigh::main(o, rest)
    } else if matches(obj, "link") {
        link::main(o, rest)
    } else if obj == b"help" {
        let _ = ibex::sys::write_all(2, &USAGE.text());
        Ok(255)
    } else {
        err(&[b"Object \"", obj, b"\" is unknown, try \"ip help\"."]);
        Ok(1)
    }
}
