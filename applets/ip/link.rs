//! ip link: show, set, add, delete.

use super::*;

const FLAG_NAMES: &[(u32, &str)] = &[
    (0x8, "LOOPBACK"),
    (0x2, "BROADCAST"),
    (0x10, "POINTOPOINT"),
    (0x1000, "MULTICAST"),
    (0x80, "NOARP"),
    (0x200, "ALLMULTI"),
    (0x100, "PROMISC"),
    (0x20, "NOTRAILERS"),
    (0x4, "DEBUG"),
    (0x8000, "DYNAMIC"),
    (0x4000, "AUTOMEDIA"),
    (0x2000, "PORTSEL"),
    (0x400, "MASTER"),
    (0x800, "SLAVE"),
    (0x1, "UP"),
    (0x10000, "LOWER_UP"),
    (0x20000, "DORMANT"),
    (0x40000, "ECHO"),
];

/// Append the flags of `l`, with `M-DOWN` when its peer link is down.
pub fn put_link_flags(t: &mut Vec<u8>, l: &Link, all: &[Link]) {
    let mdown = match l.link {
        Some(p) if p != l.index && p != 0 && l.netnsid.is_none() => {
            all.iter().any(|o| o.index == p && o.flags & 1 == 0)
        }
        _ => false,
    };
    put_flags(t, l.flags, mdown)
}

/// `<BROADCAST,MULTICAST,UP,LOWER_UP>`.
fn put_flags(t: &mut Vec<u8>, flags: u32, mdown: bool) {
    t.push(b'<');
    let start = t.len();
    let sep = |t: &mut Vec<u8>| {
        if t.len() > start {
            t.push(b',');
        }
    };
    if flags & 1 != 0 && flags & 0x40 == 0 {
        t.s("NO-CARRIER");
    }
    let mut rest = flags & !0x40;
    for &(bit, name) in FLAG_NAMES {
        if rest & bit != 0 {
            sep(t);
            t.s(name);
            rest &= !bit;
        }
    }
    if rest != 0 {
        sep(t);
        t.hex(rest.into(), 0);
    }
    if mdown {
        sep(t);
        t.s("M-DOWN");
    }
    t.push(b'>');
}

/// A link-layer address: tunnels carry IP addresses, the rest hex bytes.
fn put_ll_addr(t: &mut Vec<u8>, ltype: u16, a: &[u8]) {
    match (ltype, a.len()) {
        (768 | 776 | 778, 4) | (769 | 823, 16) => ibex::inet::put_addr(t, a),
        _ => ibex::inet::put_mac(t, a),
    }
}

pub fn state_name(s: u8) -> &'static str {
    match s {
        1 => "NOTPRESENT",
        2 => "DOWN",
        3 => "LOWERLAYERDOWN",
        4 => "TESTING",
        5 => "DORMANT",
        6 => "UP",
        _ => "UNKNOWN",
    }
}

fn put_type(t: &mut Vec<u8>, ty: u16) {
    let name = match ty {
        1 => "ether",
        772 => "loopback",
        776 => "sit",
        768 => "ipip",
        769 => "tunnel6",
        778 => "gre",
        823 => "gre6",
        512 => "ppp",
        65534 => "none",
        65535 => "void",
        32 => "infiniband",
        24 => "ieee1394",
        n => {
            t.c(b'[').u(n.into()).c(b']');
            return;
        }
    };
    t.s(name);
}

/// Append the first line(s) of a link: `N: NAME: <FLAGS> mtu ... \n    link/...`.
pub fn header(t: &mut Vec<u8>, l: &Link, all: &[Link], link_cmd: bool, family: u8) {
    t.u(l.index.into()).s(": ");
    put_link_name(t, l, all);
    t.s(": ");
    put_link_flags(t, l, all);
    if let Some(m) = l.mtu {
        t.s(" mtu ").u(m.into());
    }
    if let Some(q) = &l.qdisc
        && family != AF_INET6
    {
        t.s(" qdisc ").b(q);
    }
    if let Some(m) = l.master {
        t.s(" master ");
        put_name(t, m, all);
    }
    if let Some(st) = l.operstate {
        t.s(" state ").s(state_name(st));
    }
    if link_cmd && let Some(m) = l.linkmode {
        t.s(if m == 1 {
            " mode DORMANT"
        } else {
            " mode DEFAULT"
        });
    }
    if let Some(g) = l.group
        && family != AF_INET6
    {
        if g == 0 {
            t.s(" group default");
        } else {
            t.s(" group ").u(g.into());
        }
    }
    if let Some(q) = l.txqlen {
        t.s(" qlen ").u(q.into());
    }
    if family == AF_INET || family == AF_INET6 {
        if let Some(n) = l.netnsid {
            t.s(" link-netnsid ").i(n.into());
        }
        t.push(b'\n');
        return;
    }
    t.s("\n    link/");
    put_type(t, l.ltype);
    t.push(b' ');
    if let Some(a) = &l.address {
        put_ll_addr(t, l.ltype, a);
    }
    if let Some(b) = &l.broadcast {
        t.s(if l.flags & 0x10 != 0 {
            " peer "
        } else {
            " brd "
        });
        put_ll_addr(t, l.ltype, b);
    }
    if let Some(n) = l.netnsid {
        t.s(" link-netnsid ").i(n.into());
    }
    t.push(b'\n');
    for a in &l.altnames {
        t.s("    altname ").b(a).c(b'\n');
    }
}

/// The `-s` statistics block (iproute2's column layout).
/// Direction, values, headers, error-row values, error-row headers.
type StatRow<'a> = (&'a str, [u64; 6], [&'a str; 6], [u64; 6], [&'a str; 5]);

pub fn stats(t: &mut Vec<u8>, l: &Link, level: u32) {
    let Some(st) = l.stats else {
        return;
    };
    // rtnl_link_stats64: rx_packets, tx_packets, rx_bytes, tx_bytes,
    // rx_errors, tx_errors, rx_dropped, tx_dropped, multicast, collisions,
    // rx_length, rx_over, rx_crc, rx_frame, rx_fifo, rx_missed,
    // tx_aborted, tx_carrier, tx_fifo, tx_heartbeat, tx_window, ...
    let rx = [st[2], st[0], st[4], st[6], st[15], st[8]];
    let tx = [st[3], st[1], st[5], st[7], st[17], st[9]];
    // The error rows use the columns after the first.
    let rxe = [0, st[10], st[12], st[13], st[14], st[11]];
    let txe = [
        0,
        st[16],
        st[18],
        st[20],
        st[19],
        u64::from(l.carrier_changes.unwrap_or(0)),
    ];
    let len = |v: u64| {
        let mut b = [0u8; 20];
        ibex::io::fmt_u64(v, &mut b).len()
    };
    let mut w = [10, 7, 6, 7, 7, 7];
    for (i, wi) in w.iter_mut().enumerate() {
        *wi = (*wi).max(len(rx[i])).max(len(tx[i]));
        if level > 1 && i > 0 {
            *wi = (*wi).max(len(rxe[i])).max(len(txe[i]));
        }
    }
    let rows: [StatRow; 2] = [
        (
            "RX",
            rx,
            ["bytes", "packets", "errors", "dropped", "missed", "mcast"],
            rxe,
            ["length", "crc", "frame", "fifo", "overrun"],
        ),
        (
            "TX",
            tx,
            [
                "bytes", "packets", "errors", "dropped", "carrier", "collsns",
            ],
            txe,
            ["aborted", "fifo", "window", "heartbt", "transns"],
        ),
    ];
    for (dir, vals, heads, evals, eheads) in rows {
        t.s("    ")
            .s(dir)
            .s(": ")
            .right(heads[0].as_bytes(), w[0] - 4);
        for i in 1..6 {
            t.push(b' ');
            t.right(heads[i].as_bytes(), w[i]);
        }
        t.s("           \n    ");
        for i in 0..6 {
            if i > 0 {
                t.push(b' ');
            }
            t.u_right(vals[i], w[i]);
        }
        t.s(" \n");
        if level > 1 {
            t.s("    ").s(dir).s(" errors:");
            for i in 1..6 {
                t.push(b' ');
                t.right(eheads[i - 1].as_bytes(), w[i]);
            }
            t.s("\n    ").right(b"", w[0]);
            for i in 1..6 {
                t.push(b' ');
                t.u_right(evals[i], w[i]);
            }
            t.s(" \n");
        }
    }
}

/// Append the `-br` start of a line: name and state in their columns.
pub fn brief_start(t: &mut Vec<u8>, l: &Link, all: &[Link]) {
    let start = t.len();
    put_link_name(t, l, all);
    t.pad(start, 16).c(b' ');
    t.left(state_name(l.operstate.unwrap_or(0)).as_bytes(), 14)
        .c(b' ');
}

fn brief(t: &mut Vec<u8>, l: &Link, all: &[Link]) {
    brief_start(t, l, all);
    if let Some(a) = &l.address {
        put_ll_addr(t, l.ltype, a);
        t.push(b' ');
    }
    put_link_flags(t, l, all);
    t.s(" \n");
}

fn show(o: Opts, args: &[&[u8]]) -> Status {
    let mut dev: Option<&[u8]> = None;
    let mut kind: Option<&[u8]> = None;
    let mut master: Option<u32> = None;
    let mut up = false;
    let mut it = args.iter();
    while let Some(&a) = it.next() {
        match a {
            b"dev" => dev = Some(next_arg(&mut it)?),
            b"up" => up = true,
            b"type" => kind = Some(next_arg(&mut it)?),
            b"master" => master = Some(dev_index(next_arg(&mut it)?)?),
            _ => {
                if dev.is_some() {
                    return Err(garbage("dev", a));
                }
                dev = Some(a)
            }
        }
    }
    if let Some(d) = dev {
        no_device(d)?;
    }
    let mut sock = open()?;
    let all = match links(&mut sock, 0) {
        Ok(l) => l,
        Err(e) => return nl_fail(&e),
    };
    let mut out = Out::stdout();
    for l in &all {
        if dev.is_some_and(|d| d != l.name.as_slice()) || (up && l.flags & 1 == 0) {
            continue;
        }
        if (kind.is_some() && kind != l.kind.as_deref()) || (master.is_some() && master != l.master)
        {
            continue;
        }
        let mut t = Vec::new();
        if o.brief {
            brief(&mut t, l, &all);
            out.write(&t);
            continue;
        }
        header(&mut t, l, &all, true, 0);
        if o.stats > 0 {
            stats(&mut t, l, o.stats);
        }
        emit(&mut out, &t, o.oneline);
    }
    out.done(0)
}

fn on_off(it: &mut std::slice::Iter<'_, &[u8]>, key: &str) -> Result<bool, ibex::error::Exit> {
    let v = next_arg(it)?;
    match v {
        b"on" => Ok(true),
        b"off" => Ok(false),
        _ => {
            err(&[
                b"Error: argument of \"",
                key.as_bytes(),
                b"\" must be \"on\" or \"off\", not \"",
                v,
                b"\"",
            ]);
            Err(ibex::error::Exit(1))
        }
    }
}

/// Settings shared by `set` and `add`; returns the flag mask/values.
struct Settings<'a> {
    flags: u32,
    change: u32,
    dev: Option<&'a [u8]>,
    name: Option<&'a [u8]>,
    kind: Option<&'a [u8]>,
    peer: Option<&'a [u8]>,
    vlan_id: Option<u16>,
    parent: Option<&'a [u8]>,
}

fn set_flag(st: &mut Settings<'_>, bit: u32, on: bool) {
    st.change |= bit;
    if on {
        st.flags |= bit;
    } else {
        st.flags &= !bit;
    }
}

fn modify(args: &[&[u8]], cmd: u16) -> Status {
    let mut st = Settings {
        flags: 0,
        change: 0,
        dev: None,
        name: None,
        kind: None,
        peer: None,
        parent: None,
        vlan_id: None,
    };
    // Attributes in netlink form, appended to the request at the end.
    let mut attrs = Msg::empty();
    let mut it = args.iter();
    while let Some(&a) = it.next() {
        match a {
            b"up" => set_flag(&mut st, 1, true),
            b"down" => set_flag(&mut st, 1, false),
            b"dev" => st.dev = Some(next_arg(&mut it)?),
            b"name" => st.name = Some(next_arg(&mut it)?),
            b"type" => {
                st.kind = Some(next_arg(&mut it)?);
                // The rest belongs to the type: `peer name X`.
                while let Some(&b) = it.next() {
                    match b {
                        b"peer" => {}
                        b"name" => st.peer = Some(next_arg(&mut it)?),
                        b"id" => {
                            let v = next_arg(&mut it)?;
                            let id = parse_u32(v)
                                .and_then(|n| u16::try_from(n).ok())
                                .filter(|&n| n < 4096)
                                .ok_or_else(|| wrong(v, "id is invalid"))?;
                            st.vlan_id = Some(id);
                        }
                        _ => return Err(garbage("type", b)),
                    }
                }
            }
            b"link" => st.parent = Some(next_arg(&mut it)?),
            b"master" => {
                let v = next_arg(&mut it)?;
                let i = dev_index(v)?;
                attrs.attr_u32(10, i);
            }
            b"nomaster" => {
                attrs.attr_u32(10, 0);
            }
            b"mtu" => {
                let v = next_arg(&mut it)?;
                let n = parse_u32(v).ok_or_else(|| wrong(v, "Invalid \"mtu\" value\n"))?;
                attrs.attr_u32(4, n);
            }
            b"txqueuelen" | b"qlen" | b"txqlen" => {
                let v = next_arg(&mut it)?;
                let n = parse_u32(v).ok_or_else(|| wrong(v, "Invalid \"txqueuelen\" value\n"))?;
                attrs.attr_u32(13, n);
            }
            b"address" | b"addr" => {
                let v = next_arg(&mut it)?;
                let mac = ibex::inet::parse_mac(v).ok_or_else(|| {
                    err(&[b"\"", v, b"\" is invalid lladdr."]);
                    ibex::error::Exit(1)
                })?;
                attrs.attr(1, &mac);
            }
            b"broadcast" | b"brd" => {
                let v = next_arg(&mut it)?;
                let mac = ibex::inet::parse_mac(v).ok_or_else(|| {
                    err(&[b"\"", v, b"\" is invalid lladdr."]);
                    ibex::error::Exit(1)
                })?;
                attrs.attr(2, &mac);
            }
            b"netns" => {
                let v = next_arg(&mut it)?;
                let pid = parse_u32(v).ok_or_else(|| wrong(v, "Invalid \"netns\" value\n"))?;
                attrs.attr_u32(19, pid);
            }
            b"promisc" => {
                let on = on_off(&mut it, "promisc")?;
                set_flag(&mut st, 0x100, on)
            }
            b"arp" => {
                let on = on_off(&mut it, "arp")?;
                set_flag(&mut st, 0x80, !on)
            }
            b"multicast" => {
                let on = on_off(&mut it, "multicast")?;
                set_flag(&mut st, 0x1000, on)
            }
            b"allmulticast" | b"allmulti" => {
                let on = on_off(&mut it, "allmulticast")?;
                set_flag(&mut st, 0x200, on)
            }
            _ => {
                if st.dev.is_some() {
                    return Err(garbage("dev", a));
                }
                st.dev = Some(a);
            }
        }
    }
    let mut sock = open()?;
    let mut index = 0;
    if cmd == netlink::RTM_NEWLINK {
        // `ip link add NAME` or `ip link add name NAME`.
        let name = st.name.take().or(st.dev.take());
        let Some(name) = name else {
            err(&[b"Not enough information: \"dev\" argument is required."]);
            return Ok(1);
        };
        if st.kind.is_none() {
            err(&[b"Not enough information: \"type\" argument is required"]);
            return Ok(1);
        }
        attrs.attr_str(3, name);
    } else {
        let Some(dev) = &st.dev else {
            err(&[b"Not enough information: \"dev\" argument is required."]);
            return Ok(1);
        };
        index = dev_index(dev)?;
        if let Some(n) = st.name.take() {
            attrs.attr_str(3, n);
        }
    }
    let flags = if cmd == netlink::RTM_NEWLINK {
        netlink::F_ACK | netlink::F_CREATE | netlink::F_EXCL
    } else {
        netlink::F_ACK
    };
    let msg_type = if cmd == netlink::RTM_SETLINK {
        netlink::RTM_NEWLINK
    } else {
        cmd
    };
    let mut m = Msg::new(msg_type, flags);
    let mut hdr = [0u8; 16];
    hdr[4..8].copy_from_slice(&index.to_ne_bytes());
    hdr[8..12].copy_from_slice(&st.flags.to_ne_bytes());
    hdr[12..16].copy_from_slice(&st.change.to_ne_bytes());
    m.fixed(&hdr);
    if let Some(p) = &st.parent {
        let pi = dev_index(p)?;
        m.attr_u32(5, pi);
    }
    m.append(&attrs);
    if let Some(kind) = &st.kind {
        let li = m.begin_nest(18);
        m.attr(1, kind);
        if let Some(peer) = &st.peer {
            let data = m.begin_nest(2);
            let pe = m.begin_nest(1);
            m.fixed(&[0u8; 16]);
            m.attr_str(3, peer);
            m.end_nest(pe);
            m.end_nest(data);
        } else if let Some(id) = st.vlan_id {
            let data = m.begin_nest(2);
            m.attr(1, &id.to_ne_bytes());
            m.end_nest(data);
        }
        m.end_nest(li);
    }
    match sock.talk(&mut m, |_, _| {}) {
        Ok(()) => Ok(0),
        Err(e) => nl_fail(&e),
    }
}

fn delete(args: &[&[u8]]) -> Status {
    let mut dev: Option<&[u8]> = None;
    let mut it = args.iter();
    while let Some(&a) = it.next() {
        match a {
            b"dev" => dev = Some(next_arg(&mut it)?),
            b"type" => {
                next_arg(&mut it)?;
            }
            _ => dev = Some(a),
        }
    }
    let Some(dev) = dev else {
        err(&[b"Not enough information: \"dev\" argument is required."]);
        return Ok(1);
    };
    let index = dev_index(dev)?;
    let mut sock = open()?;
    let mut m = Msg::new(netlink::RTM_DELLINK, netlink::F_ACK);
    let mut hdr = [0u8; 16];
    hdr[4..8].copy_from_slice(&index.to_ne_bytes());
    m.fixed(&hdr);
    match sock.talk(&mut m, |_, _| {}) {
        Ok(()) => Ok(0),
        Err(e) => nl_fail(&e),
    }
}

pub fn main(o: Opts, args: &[&[u8]]) -> Status {
    let Some((&cmd, rest)) = args.split_first() else {
        return show(o, &[]);
    };
    if matches(cmd, "add") {
        modify(rest, netlink::RTM_NEWLINK)
    } else if matches(cmd, "set") || matches(cmd, "change") {
        modify(rest, netlink::RTM_SETLINK)
    } else if matches(cmd, "show") || matches(cmd, "list") || cmd == b"lst" {
        show(o, rest)
    } else if matches(cmd, "delete") {
        delete(rest)
    } else if cmd == b"help" {
        let mut out = Out::stdout();
        out.write(&USAGE.text());
        out.done(0)
    } else {
        err(&[b"Command \"", cmd, b"\" is unknown, try \"ip link help\"."]);
        Ok(255)
    }
}
