//! ip route: show, add, del, replace, change, append, get.

use super::*;

const TYPES: &[(u8, &str)] = &[
    (0, "none"),
    (1, "unicast"),
    (2, "local"),
    (3, "broadcast"),
    (4, "anycast"),
    (5, "multicast"),
    (6, "blackhole"),
    (7, "unreachable"),
    (8, "prohibit"),
    (9, "throw"),
    (10, "nat"),
    (11, "xresolve"),
];

const PROTOS: &[(u8, &str)] = &[
    (0, "unspec"),
    (1, "redirect"),
    (2, "kernel"),
    (3, "boot"),
    (4, "static"),
    (8, "gated"),
    (9, "ra"),
    (10, "mrt"),
    (11, "zebra"),
    (12, "bird"),
    (13, "dnrouted"),
    (14, "xorp"),
    (15, "ntk"),
    (16, "dhcp"),
    (18, "keepalived"),
    (42, "babel"),
    (99, "openr"),
    (186, "bgp"),
    (187, "isis"),
    (188, "ospf"),
    (189, "rip"),
    (192, "eigrp"),
];

fn lookup(t: &mut Vec<u8>, table: &[(u8, &str)], v: u8) {
    match table.iter().find(|e| e.0 == v) {
        Some(e) => t.s(e.1),
        None => t.u(v.into()),
    };
}

fn rlookup(table: &[(u8, &str)], name: &[u8]) -> Option<u8> {
    table
        .iter()
        .find(|e| e.1.as_bytes() == name)
        .map(|e| e.0)
        .or_else(|| u8::try_from(parse_u32(name)?).ok())
}

fn put_table(t: &mut Vec<u8>, table: u32) {
    match table {
        253 => t.s("default"),
        254 => t.s("main"),
        255 => t.s("local"),
        n => t.u(n.into()),
    };
}

fn parse_table(a: &[u8]) -> Option<u32> {
    match a {
        b"default" => Some(253),
        b"main" => Some(254),
        b"local" => Some(255),
        b"all" => Some(0),
        _ => parse_u32(a),
    }
}

struct Route {
    family: u8,
    dst_len: u8,
    src_len: u8,
    table: u32,
    proto: u8,
    scope: u8,
    rtype: u8,
    flags: u32,
    dst: Option<IpBytes>,
    src: Option<IpBytes>,
    oif: Option<u32>,
    gateway: Option<IpBytes>,
    priority: Option<u32>,
    prefsrc: Option<IpBytes>,
    pref: Option<u8>,
    uid: Option<u32>,
    metrics: Vec<(u16, u32)>,
}

fn parse_route(body: &[u8]) -> Option<Route> {
    let h = body.get(..12)?;
    let mut r = Route {
        family: h[0],
        dst_len: h[1],
        src_len: h[2],
        table: u32::from(h[4]),
        proto: h[5],
        scope: h[6],
        rtype: h[7],
        flags: u32::from_ne_bytes([h[8], h[9], h[10], h[11]]),
        dst: None,
        src: None,
        oif: None,
        gateway: None,
        priority: None,
        prefsrc: None,
        pref: None,
        uid: None,
        metrics: Vec::new(),
    };
    for (ty, p) in netlink::attrs(&body[12..]) {
        match ty {
            1 => r.dst = Some(IpBytes::new(p)),
            2 => r.src = Some(IpBytes::new(p)),
            4 => r.oif = netlink::u32_of(p),
            5 => r.gateway = Some(IpBytes::new(p)),
            6 => r.priority = netlink::u32_of(p),
            7 => r.prefsrc = Some(IpBytes::new(p)),
            15 => {
                if let Some(t) = netlink::u32_of(p) {
                    r.table = t;
                }
            }
            8 => {
                for (k, v) in netlink::attrs(p) {
                    if let Some(v) = netlink::u32_of(v) {
                        r.metrics.push((k, v));
                    }
                }
            }
            20 => r.pref = p.first().copied(),
            25 => r.uid = netlink::u32_of(p),
            _ => {}
        }
    }
    Some(r)
}

/// Fields a filter fixed, which iproute2 then leaves out.
#[derive(Default, Clone, Copy)]
struct Hide {
    table: bool,
    dev: bool,
    proto: bool,
    scope: bool,
    via: bool,
}

fn route_text(t: &mut Vec<u8>, r: &Route, all: &[Link], get: bool, hide: Hide) {
    // A `get` answer from the IPv4 route cache has its own short form.
    let get = get && r.flags & 0x200 != 0;
    if r.rtype != 1 {
        lookup(t, TYPES, r.rtype);
        t.push(b' ');
    }
    let max = if r.family == AF_INET6 { 128 } else { 32 };
    match &r.dst {
        Some(d) => {
            ibex::inet::put_addr(t, d);
            if u32::from(r.dst_len) != max {
                t.c(b'/').u(r.dst_len.into());
            }
        }
        None if r.dst_len != 0 => {
            t.s("0/").u(r.dst_len.into());
        }
        None => {
            t.s("default");
        }
    }
    t.push(b' ');
    if let Some(sa) = &r.src {
        t.s("from ");
        ibex::inet::put_addr(t, sa);
        if u32::from(r.src_len) != max {
            t.c(b'/').u(r.src_len.into());
        }
        t.push(b' ');
    }
    if let Some(g) = &r.gateway
        && !hide.via
    {
        t.s("via ");
        ibex::inet::put_addr(t, g);
        t.push(b' ');
    }
    if let Some(o) = r.oif
        && !hide.dev
    {
        t.s("dev ");
        put_name(t, o, all);
        t.push(b' ');
    }
    if !get {
        if r.table != 254 && !hide.table {
            t.s("table ");
            put_table(t, r.table);
            t.push(b' ');
        }
        if r.proto != 3 && !hide.proto {
            t.s("proto ");
            lookup(t, PROTOS, r.proto);
            t.push(b' ');
        }
        if r.scope != 0 && !hide.scope {
            t.s("scope ");
            put_scope(t, r.scope);
            t.push(b' ');
        }
    }
    if let Some(p) = &r.prefsrc {
        t.s("src ");
        ibex::inet::put_addr(t, p);
        t.push(b' ');
    }
    if let Some(m) = r.priority
        && !get
    {
        t.s("metric ").u(m.into()).c(b' ');
    }
    for (bit, name) in [
        (1u32, "dead "),
        (4, "onlink "),
        (2, "pervasive "),
        (8, "offload "),
        (0x40, "trap "),
        (0x10, "linkdown "),
        (0x20, "unresolved "),
    ] {
        if r.flags & bit != 0 {
            t.s(name);
        }
    }
    let mut metrics = Vec::new();
    for (k, name) in [
        (2u16, "mtu "),
        (3, "window "),
        (8, "advmss "),
        (10, "hoplimit "),
    ] {
        if let Some(v) = r.metrics.iter().find(|m| m.0 == k) {
            metrics.s(name).u(v.1.into()).c(b' ');
        }
    }
    if !get {
        t.b(&metrics);
    }
    if let Some(u) = r.uid
        && get
    {
        t.s("uid ").u(u.into()).c(b' ');
    }
    if let Some(p) = r.pref {
        t.s(match p {
            1 => "pref high",
            3 => "pref low",
            0 => "pref medium",
            _ => "pref unknown",
        });
    }
    if get {
        t.s("\n    cache ");
        let mut sep = b'<';
        for (bit, name) in [
            (0x8000_0000u32, "local"),
            (0x1000_0000, "brd"),
            (0x2000_0000, "mc"),
        ] {
            if r.flags & bit != 0 {
                t.c(sep).s(name);
                sep = b',';
            }
        }
        if sep == b',' {
            t.s("> ");
        }
        t.b(&metrics);
    }
    t.push(b'\n');
}

fn dump(sock: &mut Socket, family: u8) -> Result<Vec<Route>, NlError> {
    let mut m = Msg::new(netlink::RTM_GETROUTE, netlink::F_DUMP);
    m.fixed(&[family, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    let mut out = Vec::new();
    sock.talk(&mut m, |ty, body| {
        if ty == 24
            && let Some(r) = parse_route(body)
        {
            out.push(r);
        }
    })?;
    Ok(out)
}

/// The options of add/del/show/get, as parsed.
#[derive(Default)]
struct Spec {
    /// `cache`: the IPv4 route cache, long gone from Linux: always empty.
    cache: bool,
    dst: Option<Prefix>,
    default: bool,
    from: Option<Prefix>,
    via: Option<Prefix>,
    dev: Option<Vec<u8>>,
    src: Option<Prefix>,
    metric: Option<u32>,
    table: Option<u32>,
    proto: Option<u8>,
    scope: Option<u8>,
    rtype: Option<u8>,
    onlink: bool,
    mtu: Option<u32>,
}

fn parse_spec(o: Opts, args: &[&[u8]]) -> Result<Spec, ibex::error::Exit> {
    let mut sp = Spec::default();
    let mut fam = o.family;
    let mut it = args.iter();
    while let Some(&a) = it.next() {
        match a {
            b"via" | b"gw" => {
                let v = next_arg(&mut it)?;
                let p = parse_prefix(v, fam, false)
                    .filter(|p| !p.explicit)
                    .ok_or_else(|| expected("inet address", v))?;
                sp.via = Some(p);
            }
            b"dev" | b"oif" => sp.dev = Some(next_arg(&mut it)?.to_vec()),
            b"src" => {
                let v = next_arg(&mut it)?;
                let p = parse_prefix(v, fam, false)
                    .filter(|p| !p.explicit)
                    .ok_or_else(|| expected("inet address", v))?;
                sp.src = Some(p);
            }
            b"from" => {
                let v = next_arg(&mut it)?;
                sp.from =
                    Some(parse_prefix(v, fam, true).ok_or_else(|| expected("inet prefix", v))?);
            }
            b"metric" | b"priority" | b"preference" => {
                let v = next_arg(&mut it)?;
                sp.metric =
                    Some(parse_u32(v).ok_or_else(|| wrong(v, "\"metric\" value is invalid\n"))?);
            }
            b"table" => {
                let v = next_arg(&mut it)?;
                sp.table =
                    Some(parse_table(v).ok_or_else(|| wrong(v, "\"table\" value is invalid\n"))?);
            }
            b"proto" | b"protocol" => {
                let v = next_arg(&mut it)?;
                sp.proto = Some(
                    rlookup(PROTOS, v)
                        .ok_or_else(|| wrong(v, "\"protocol\" value is invalid\n"))?,
                );
            }
            b"scope" => {
                let v = next_arg(&mut it)?;
                sp.scope =
                    Some(parse_scope(v).ok_or_else(|| wrong(v, "invalid \"scope\" value\n"))?);
            }
            b"mtu" => {
                let v = next_arg(&mut it)?;
                sp.mtu = Some(parse_u32(v).ok_or_else(|| expected("mtu", v))?);
            }
            b"onlink" => sp.onlink = true,
            b"cache" | b"cached" => sp.cache = true,
            b"type" => {
                let v = next_arg(&mut it)?;
                sp.rtype = Some(rlookup(TYPES, v).ok_or_else(|| expected("route type", v))?);
            }
            _ => {
                let mut v = if a == b"to" { next_arg(&mut it)? } else { a };
                if let Some(t) = TYPES.iter().find(|t| t.1.as_bytes() == v && t.0 > 1) {
                    sp.rtype = Some(t.0);
                    v = next_arg(&mut it)?;
                }
                if sp.dst.is_some() || sp.default {
                    return Err(garbage("to", v));
                }
                if v == b"default" || v == b"all" || v == b"any" {
                    sp.default = true;
                } else {
                    let p = parse_prefix(v, fam, true)
                        .ok_or_else(|| expected("any valid prefix", v))?;
                    // A host route's address must have no bits past the prefix.
                    fam = p.family;
                    sp.dst = Some(p);
                }
            }
        }
        if fam == 0 {
            fam = sp
                .via
                .as_ref()
                .or(sp.src.as_ref())
                .map(|p| p.family)
                .unwrap_or(0);
        }
    }
    Ok(sp)
}

fn family_of(o: Opts, sp: &Spec) -> u8 {
    if o.family == AF_INET || o.family == AF_INET6 {
        return o.family;
    }
    [&sp.dst, &sp.via, &sp.src, &sp.from]
        .into_iter()
        .flatten()
        .next()
        .map(|p| p.family)
        .unwrap_or(AF_INET)
}

fn show(o: Opts, args: &[&[u8]], flush: bool) -> Status {
    let sp = parse_spec(o, args)?;
    if sp.cache {
        return Ok(0);
    }
    let dev_idx = match &sp.dev {
        Some(d) => Some(dev_index(d)?),
        None => None,
    };
    let table = sp.table.unwrap_or(254);
    let fam = if table == 0 && o.family == 0 && sp.dst.is_none() && sp.via.is_none() {
        0
    } else {
        family_of(o, &sp)
    };
    let mut sock = open()?;
    let all = match links(&mut sock, 0) {
        Ok(l) => l,
        Err(e) => return nl_fail(&e),
    };
    let routes = match dump(&mut sock, fam) {
        Ok(r) => r,
        Err(e) => return nl_fail(&e),
    };
    let mut out = Out::stdout();
    let mut status = 0;
    for r in &routes {
        if (fam != 0 && r.family != fam) || (table != 0 && r.table != table) || r.flags & 0x200 != 0
        {
            continue;
        }
        if dev_idx.is_some() && r.oif != dev_idx {
            continue;
        }
        if let Some(p) = &sp.proto
            && *p != r.proto
        {
            continue;
        }
        if let Some(sc) = sp.scope
            && sc != r.scope
        {
            continue;
        }
        if let Some(t) = sp.rtype
            && t != r.rtype
        {
            continue;
        }
        if let Some(v) = &sp.via
            && r.gateway.as_deref() != Some(&v.addr[..])
        {
            continue;
        }
        if let Some(d) = &sp.dst
            && (d.len as u8 != r.dst_len || r.dst.as_deref().unwrap_or(&[]) != &d.addr[..])
            && !(r.dst.is_none() && d.len == 0)
        {
            continue;
        }
        if sp.default && r.dst_len != 0 {
            continue;
        }
        if flush {
            let mut m = Msg::new(netlink::RTM_DELROUTE, netlink::F_ACK);
            let t8 = if r.table < 256 { r.table as u8 } else { 0 };
            m.fixed(&[
                r.family, r.dst_len, r.src_len, 0, t8, r.proto, r.scope, r.rtype, 0, 0, 0, 0,
            ]);
            if let Some(d) = &r.dst {
                m.attr(1, d);
            }
            if let Some(o) = r.oif {
                m.attr_u32(4, o);
            }
            if let Some(g) = &r.gateway {
                m.attr(5, g);
            }
            if let Some(p) = r.priority {
                m.attr_u32(6, p);
            }
            if r.table >= 256 {
                m.attr_u32(15, r.table);
            }
            if let Err(e) = sock.talk(&mut m, |_, _| {}) {
                status = nl_fail(&e)?;
            }
            continue;
        }
        let hide = Hide {
            table: table != 0,
            dev: dev_idx.is_some(),
            proto: sp.proto.is_some(),
            scope: sp.scope.is_some(),
            via: sp.via.is_some(),
        };
        let mut t = Vec::new();
        route_text(&mut t, r, &all, false, hide);
        out.write(&t);
    }
    out.done(status)
}

fn modify(o: Opts, args: &[&[u8]], cmd: u16, flags: u16) -> Status {
    let sp = parse_spec(o, args)?;
    if sp.dst.is_none() && !sp.default {
        err(&[b"Not enough information: \"to\" argument is required."]);
        return Ok(1);
    }
    let fam = family_of(o, &sp);
    let oif = match &sp.dev {
        Some(d) => Some(dev_index(d)?),
        None => None,
    };
    let del = cmd == netlink::RTM_DELROUTE;
    let rtype = sp.rtype.unwrap_or(if del { 0 } else { 1 });
    let scope = sp.scope.unwrap_or(match rtype {
        2 | 10 => 254,
        3..=5 => 253,
        _ if del => 255,
        _ if sp.via.is_none() && rtype == 1 => 253,
        _ => 0,
    });
    let table = sp.table.unwrap_or(254);
    let proto = sp.proto.unwrap_or(if del { 0 } else { 3 });
    let (dlen, daddr) = match &sp.dst {
        Some(d) => (d.len as u8, Some(d.addr)),
        None => (0, None),
    };
    let t8 = if table < 256 { table as u8 } else { 0 };
    let mut m = Msg::new(cmd, flags | netlink::F_ACK);
    let rflags: u32 = if sp.onlink { 4 } else { 0 };
    let mut hdr = [fam, dlen, 0, 0, t8, proto, scope, rtype, 0, 0, 0, 0];
    hdr[8..12].copy_from_slice(&rflags.to_ne_bytes());
    m.fixed(&hdr);
    if let Some(d) = &daddr
        && dlen != 0
    {
        m.attr(1, d);
    }
    if let Some(g) = &sp.via {
        m.attr(5, &g.addr);
    }
    if let Some(i) = oif {
        m.attr_u32(4, i);
    }
    if let Some(p) = &sp.src {
        m.attr(7, &p.addr);
    }
    if let Some(mt) = sp.metric {
        m.attr_u32(6, mt);
    }
    if table >= 256 {
        m.attr_u32(15, table);
    }
    if let Some(mtu) = sp.mtu {
        let n = m.begin_nest(8);
        m.attr_u32(2, mtu);
        m.end_nest(n);
    }
    let mut sock = open()?;
    match sock.talk(&mut m, |_, _| {}) {
        Ok(()) => Ok(0),
        Err(e) => nl_fail(&e),
    }
}

fn get(o: Opts, args: &[&[u8]]) -> Status {
    let sp = parse_spec(o, args)?;
    let Some(dst) = &sp.dst else {
        err(&[b"need at least a destination address"]);
        return Ok(1);
    };
    let fam = dst.family;
    let mut m = Msg::new(netlink::RTM_GETROUTE, netlink::F_ACK);
    let slen = sp.from.as_ref().map(|p| p.len as u8).unwrap_or(0);
    m.fixed(&[fam, dst.len as u8, slen, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    m.attr(1, &dst.addr);
    if let Some(f) = &sp.from {
        m.attr(2, &f.addr);
    }
    if let Some(d) = &sp.dev {
        let i = dev_index(d)?;
        m.attr_u32(4, i);
    }
    let mut sock = open()?;
    let all = match links(&mut sock, 0) {
        Ok(l) => l,
        Err(e) => return nl_fail(&e),
    };
    let mut found = None;
    let r = sock.talk(&mut m, |ty, body| {
        if ty == 24 {
            found = parse_route(body);
        }
    });
    if let Err(e) = r {
        return nl_fail(&e);
    }
    let mut out = Out::stdout();
    if let Some(r) = found {
        let mut t = Vec::new();
        route_text(&mut t, &r, &all, true, Hide::default());
        out.write(&t);
    }
    out.done(0)
}

pub fn main(o: Opts, args: &[&[u8]]) -> Status {
    let Some((&cmd, rest)) = args.split_first() else {
        return show(o, &[], false);
    };
    use netlink::{F_CREATE, F_EXCL, F_REPLACE, RTM_DELROUTE, RTM_NEWROUTE};
    if matches(cmd, "show") || matches(cmd, "list") || cmd == b"lst" {
        show(o, rest, false)
    } else if matches(cmd, "add") {
        modify(o, rest, RTM_NEWROUTE, F_CREATE | F_EXCL)
    } else if matches(cmd, "replace") {
        modify(o, rest, RTM_NEWROUTE, F_CREATE | F_REPLACE)
    } else if matches(cmd, "change") || cmd == b"chg" {
        modify(o, rest, RTM_NEWROUTE, F_REPLACE)
    } else if matches(cmd, "append") {
        modify(o, rest, RTM_NEWROUTE, F_CREATE | 0x800)
    } else if matches(cmd, "delete") {
        modify(o, rest, RTM_DELROUTE, 0)
    } else if matches(cmd, "get") {
        get(o, rest)
    } else if matches(cmd, "flush") {
        show(o, rest, true)
    } else if cmd == b"help" {
        let mut out = Out::stdout();
        out.write(&USAGE.text());
        out.done(0)
    } else {
        err(&[b"Command \"", cmd, b"\" is unknown, try \"ip route help\"."]);
        Ok(255)
    }
}
