//! ip address: show, add, del, flush.

use super::link::{header, stats};
use super::*;

/// An address as RTM_NEWADDR describes it.
pub struct Addr {
    pub family: u8,
    pub prefix: u8,
    pub flags: u32,
    pub scope: u8,
    pub index: u32,
    pub address: Option<IpBytes>,
    pub local: Option<IpBytes>,
    pub broadcast: Option<IpBytes>,
    pub label: Option<Vec<u8>>,
    pub valid: Option<(u32, u32)>,
}

fn parse_addr(body: &[u8]) -> Option<Addr> {
    let h = body.get(..8)?;
    let mut a = Addr {
        family: h[0],
        prefix: h[1],
        flags: u32::from(h[2]),
        scope: h[3],
        index: u32::from_ne_bytes([h[4], h[5], h[6], h[7]]),
        address: None,
        local: None,
        broadcast: None,
        label: None,
        valid: None,
    };
    for (ty, p) in netlink::attrs(&body[8..]) {
        match ty {
            1 => a.address = Some(IpBytes::new(p)),
            2 => a.local = Some(IpBytes::new(p)),
            3 => a.label = Some(cstr(p).to_vec()),
            4 => a.broadcast = Some(IpBytes::new(p)),
            6 => {
                if let (Some(pref), Some(valid)) =
                    (netlink::u32_of(p), p.get(4..).and_then(netlink::u32_of))
                {
                    a.valid = Some((valid, pref));
                }
            }
            8 => {
                if let Some(f) = netlink::u32_of(p) {
                    a.flags = f;
                }
            }
            _ => {}
        }
    }
    Some(a)
}

pub fn addrs(sock: &mut Socket, family: u8) -> Result<Vec<Addr>, NlError> {
    let mut m = Msg::new(netlink::RTM_GETADDR, netlink::F_DUMP);
    m.fixed(&[family, 0, 0, 0, 0, 0, 0, 0]);
    let mut out = Vec::new();
    sock.talk(&mut m, |ty, body| {
        if ty == netlink::RTM_NEWADDR
            && let Some(a) = parse_addr(body)
        {
            out.push(a);
        }
    })?;
    Ok(out)
}

const IFA_FLAGS: &[(u32, &str, bool)] = &[
    (0x01, "secondary", false),
    (0x01, "temporary", true),
    (0x02, "nodad", true),
    (0x04, "optimistic", true),
    (0x08, "dadfailed", true),
    (0x10, "home", true),
    (0x20, "deprecated", true),
    (0x40, "tentative", true),
    (0x80, "permanent", false),
    (0x100, "mngtmpaddr", true),
    (0x200, "noprefixroute", false),
    (0x400, "autojoin", false),
    (0x800, "stable-privacy", true),
];

fn lft(t: &mut Vec<u8>, v: u32) {
    if v == u32::MAX {
        t.s("forever");
    } else {
        t.u(v.into()).s("sec");
    }
}

/// Append an address and its peer: `10.0.0.1 peer 10.0.0.2`.
fn put_local(t: &mut Vec<u8>, a: &Addr) -> bool {
    let Some(x) = a.local.as_ref().or(a.address.as_ref()) else {
        return false;
    };
    ibex::inet::put_addr(t, x);
    if let (Some(l), Some(p)) = (&a.local, &a.address)
        && l != p
    {
        t.s(" peer ");
        ibex::inet::put_addr(t, p);
    }
    true
}

/// `    inet 10.0.0.1/24 brd ... scope global v0\n       valid_lft ...\n`.
fn addr_text(t: &mut Vec<u8>, a: &Addr) {
    let v6 = a.family == AF_INET6;
    t.s(if v6 { "    inet6 " } else { "    inet " });
    put_local(t, a);
    t.c(b'/').u(a.prefix.into()).c(b' ');
    if let Some(b) = &a.broadcast {
        t.s("brd ");
        ibex::inet::put_addr(t, b);
        t.push(b' ');
    }
    t.s("scope ");
    put_scope(t, a.scope);
    t.push(b' ');
    let mut rest = a.flags;
    for &(bit, name, v6only) in IFA_FLAGS {
        if v6only != v6 && (v6only || name == "secondary" && v6) {
            continue;
        }
        if bit == 0x80 {
            if a.flags & 0x80 == 0 {
                t.s("dynamic ");
            }
        } else if a.flags & bit != 0 {
            t.s(name).c(b' ');
        }
        rest &= !bit;
    }
    if rest != 0 {
        t.s("flags ").hex(rest.into(), 2).c(b' ');
    }
    if !v6 && let Some(l) = &a.label {
        t.b(l);
    }
    t.push(b'\n');
    if let Some((valid, pref)) = a.valid {
        t.s("       valid_lft ");
        lft(t, valid);
        t.s(" preferred_lft ");
        lft(t, pref);
        t.push(b'\n');
    }
}

fn show(o: Opts, args: &[&[u8]], flush: bool) -> Status {
    let mut dev: Option<&[u8]> = None;
    let mut up = false;
    let mut scope: Option<u8> = None;
    let mut to: Option<Prefix> = None;
    let mut label: Option<&[u8]> = None;
    let mut it = args.iter();
    while let Some(&a) = it.next() {
        match a {
            b"dev" => dev = Some(next_arg(&mut it)?),
            b"up" => up = true,
            b"scope" => {
                let v = next_arg(&mut it)?;
                scope = Some(parse_scope(v).ok_or_else(|| expected("invalid \"scope\"", v))?);
            }
            b"label" => label = Some(next_arg(&mut it)?),
            b"to" => {
                let v = next_arg(&mut it)?;
                to = Some(
                    parse_prefix(v, o.family, true)
                        .ok_or_else(|| expected("any valid prefix", v))?,
                );
            }
            b"permanent" | b"dynamic" | b"primary" | b"secondary" | b"tentative" => {}
            _ => {
                if dev.is_some() {
                    return Err(garbage("dev", a));
                }
                dev = Some(a)
            }
        }
    }
    if flush && dev.is_none() && to.is_none() && scope.is_none() && label.is_none() {
        err(&[b"Flush requires arguments."]);
        return Ok(1);
    }
    if let Some(d) = dev {
        no_device(d)?;
    }
    let mut sock = open()?;
    let family = if o.family == libc::AF_PACKET as u8 {
        0
    } else {
        o.family
    };
    let all = match links(&mut sock, 0) {
        Ok(l) => l,
        Err(e) => return nl_fail(&e),
    };
    let list = if o.family == libc::AF_PACKET as u8 {
        Vec::new()
    } else {
        match addrs(&mut sock, family) {
            Ok(l) => l,
            Err(e) => return nl_fail(&e),
        }
    };
    let keep = |a: &Addr| {
        if o.family != 0 && a.family != o.family {
            return false;
        }
        if scope.is_some_and(|sc| sc != a.scope) {
            return false;
        }
        if let Some(l) = label
            && a.label.as_deref() != Some(l)
        {
            return false;
        }
        if let Some(p) = &to {
            let Some(mine) = a.local.as_ref().or(a.address.as_ref()) else {
                return false;
            };
            if p.family != a.family || !prefix_match(mine, &p.addr, p.len) {
                return false;
            }
        }
        true
    };
    if flush {
        let mut status = 0;
        for a in list.iter().filter(|a| keep(a)) {
            if dev.is_some_and(|d| name_of(a.index, &all) != Some(d)) {
                continue;
            }
            let mut hdr = [a.family, a.prefix, 0, a.scope, 0, 0, 0, 0];
            hdr[4..8].copy_from_slice(&a.index.to_ne_bytes());
            let mut m2 = Msg::new(netlink::RTM_DELADDR, netlink::F_ACK);
            m2.fixed(&hdr);
            if let Some(l) = &a.local {
                m2.attr(2, l);
            }
            if let Some(p) = &a.address {
                m2.attr(1, p);
            }
            if let Err(e) = sock.talk(&mut m2, |_, _| {}) {
                // Secondaries go with their primary: ignore "not found".
                if e.errno != libc::EADDRNOTAVAIL {
                    status = nl_fail(&e)?;
                }
            }
        }
        return Ok(status);
    }
    let mut out = Out::stdout();
    for l in &all {
        if dev.is_some_and(|d| d != l.name.as_slice()) || (up && l.flags & 1 == 0) {
            continue;
        }
        let mine: Vec<&Addr> = list
            .iter()
            .filter(|a| a.index == l.index && keep(a))
            .collect();
        let filtering = o.family != 0 && o.family != libc::AF_PACKET as u8
            || scope.is_some()
            || to.is_some()
            || label.is_some();
        if filtering && mine.is_empty() {
            continue;
        }
        let mut t = Vec::new();
        if o.brief {
            super::link::brief_start(&mut t, l, &all);
            for a in &mine {
                if put_local(&mut t, a) {
                    t.c(b'/').u(a.prefix.into()).c(b' ');
                }
            }
            t.push(b'\n');
            out.write(&t);
            continue;
        }
        if o.oneline {
            if o.family == libc::AF_PACKET as u8 || mine.is_empty() && o.family == 0 {
                if o.family == libc::AF_PACKET as u8 {
                    header(&mut t, l, &all, false, o.family);
                    emit(&mut out, &t, true);
                }
                continue;
            }
            for a in &mine {
                t.clear();
                t.u(l.index.into()).s(": ").b(&l.name);
                addr_text(&mut t, a);
                emit(&mut out, &t, true);
            }
            continue;
        }
        // With a device named, iproute2 shows the full header line.
        let hf = if dev.is_some() && o.family == AF_INET6 {
            AF_INET
        } else if o.family == 0
            && let Some(p) = &to
        {
            p.family
        } else {
            o.family
        };
        // With a label filter, iproute2 prints the addresses alone.
        if label.is_none() {
            header(&mut t, l, &all, false, hf);
        }
        for a in &mine {
            addr_text(&mut t, a);
        }
        if o.stats > 0 {
            stats(&mut t, l, o.stats);
        }
        out.write(&t);
    }
    out.done(0)
}

fn prefix_match(a: &[u8], p: &[u8], len: u32) -> bool {
    let full = (len / 8) as usize;
    let bits = len % 8;
    if a.len() != p.len() || a.get(..full) != p.get(..full) {
        return false;
    }
    if bits == 0 {
        return true;
    }
    let mask = 0xffu8 << (8 - bits);
    match (a.get(full), p.get(full)) {
        (Some(x), Some(y)) => x & mask == y & mask,
        _ => false,
    }
}

fn modify(o: Opts, args: &[&[u8]], cmd: u16, flags: u16) -> Status {
    let mut local: Option<Prefix> = None;
    let mut peer: Option<Prefix> = None;
    let mut brd: Option<IpBytes> = None;
    let mut brd_auto = 0; // 1 '+', 2 '-'
    let mut label: Option<&[u8]> = None;
    let mut scope: Option<u8> = None;
    let mut dev: Option<&[u8]> = None;
    let mut ifa_flags: u32 = 0;
    let mut valid = u32::MAX;
    let mut pref = u32::MAX;
    let mut lifetimes = false;
    let mut it = args.iter();
    while let Some(&a) = it.next() {
        match a {
            b"peer" | b"remote" => {
                let v = next_arg(&mut it)?;
                let fam = local.as_ref().map(|l| l.family).unwrap_or(o.family);
                peer =
                    Some(parse_prefix(v, fam, false).ok_or_else(|| expected(prefix_word(fam), v))?);
            }
            b"broadcast" | b"brd" => {
                let v = next_arg(&mut it)?;
                match v {
                    b"+" => brd_auto = 1,
                    b"-" => brd_auto = 2,
                    _ => {
                        let p = parse_prefix(v, AF_INET, false)
                            .filter(|p| !p.explicit)
                            .ok_or_else(|| expected("inet address", v))?;
                        brd = Some(p.addr);
                    }
                }
            }
            b"label" => label = Some(next_arg(&mut it)?),
            b"scope" => {
                let v = next_arg(&mut it)?;
                scope = Some(parse_scope(v).ok_or_else(|| wrong(v, "invalid scope value."))?);
            }
            b"dev" => dev = Some(next_arg(&mut it)?),
            b"valid_lft" | b"preferred_lft" => {
                let v = next_arg(&mut it)?;
                let n = if v == b"forever" {
                    u32::MAX
                } else {
                    parse_u32(v).ok_or_else(|| {
                        err(&[b"Error: argument \"", v, b"\" is wrong: ", a, b" value"]);
                        ibex::error::Exit(1)
                    })?
                };
                if a == b"valid_lft" {
                    valid = n;
                } else {
                    pref = n;
                }
                lifetimes = true;
            }
            b"nodad" => ifa_flags |= 0x02,
            b"optimistic" => ifa_flags |= 0x04,
            b"home" => ifa_flags |= 0x10,
            b"mngtmpaddr" => ifa_flags |= 0x100,
            b"noprefixroute" => ifa_flags |= 0x200,
            b"autojoin" => ifa_flags |= 0x400,
            _ => {
                let v = if a == b"local" { next_arg(&mut it)? } else { a };
                if local.is_some() {
                    return Err(garbage("local", v));
                }
                local = Some(
                    parse_prefix(v, o.family, false)
                        .ok_or_else(|| expected(prefix_word(o.family), v))?,
                );
            }
        }
    }
    let Some(dev) = dev else {
        err(&[b"Not enough information: \"dev\" argument is required."]);
        return Ok(1);
    };
    let Some(local) = local else {
        err(&[b"Not enough information: \"local\" argument is required."]);
        return Ok(1);
    };
    let index = dev_index(dev)?;
    let plen = match &peer {
        Some(p) => p.len,
        _ => local.len,
    };
    let sc = scope.unwrap_or(
        if local.family == AF_INET && local.addr.first() == Some(&127) {
            254
        } else {
            0
        },
    );
    let mut hdr = [
        local.family,
        plen as u8,
        (ifa_flags & 0xff) as u8,
        sc,
        0,
        0,
        0,
        0,
    ];
    hdr[4..8].copy_from_slice(&index.to_ne_bytes());
    let mut m = Msg::new(cmd, flags | netlink::F_ACK);
    m.fixed(&hdr);
    m.attr(2, &local.addr);
    let wildcard =
        cmd == netlink::RTM_DELADDR && local.family == AF_INET && !local.explicit && peer.is_none();
    if wildcard {
        // Like iproute2: delete whatever prefix the address has.
        let mut a = Vec::new();
        ibex::inet::put_addr(&mut a, &local.addr);
        err(&[
            b"Warning: Executing wildcard deletion to stay compatible with old scripts.\n         \
             Explicitly specify the prefix length (",
            &a,
            b"/32) to avoid this warning.\n         \
             This special behaviour is likely to disappear in further releases,\n         \
             fix your scripts!",
        ]);
    } else {
        match &peer {
            Some(p) => m.attr(1, &p.addr),
            None => m.attr(1, &local.addr),
        };
    }
    if ifa_flags > 0xff {
        m.attr_u32(8, ifa_flags);
    }
    if local.family == AF_INET {
        if brd_auto != 0 && plen < 31 {
            let mask = u32::from_be_bytes(ibex::inet::mask_v4(plen));
            let base =
                u32::from_be_bytes([local.addr[0], local.addr[1], local.addr[2], local.addr[3]]);
            let b = if brd_auto == 1 {
                base | !mask
            } else {
                base & mask
            };
            brd = Some(IpBytes::new(&b.to_be_bytes()));
        }
        if let Some(b) = &brd {
            m.attr(4, b);
        }
        if let Some(l) = label {
            m.attr_str(3, l);
        }
    }
    if lifetimes {
        let mut ci = [0u8; 16];
        ci[0..4].copy_from_slice(&pref.to_ne_bytes());
        ci[4..8].copy_from_slice(&valid.to_ne_bytes());
        m.attr(6, &ci);
    }
    let mut sock = open()?;
    match sock.talk(&mut m, |_, _| {}) {
        Ok(()) => Ok(0),
        Err(e) => nl_fail(&e),
    }
}

pub fn main(o: Opts, args: &[&[u8]]) -> Status {
    let Some((&cmd, rest)) = args.split_first() else {
        return show(o, &[], false);
    };
    if matches(cmd, "show") || matches(cmd, "list") || cmd == b"lst" {
        show(o, rest, false)
    } else if matches(cmd, "add") {
        modify(
            o,
            rest,
            netlink::RTM_NEWADDR,
            netlink::F_CREATE | netlink::F_EXCL,
        )
    } else if matches(cmd, "replace") {
        modify(
            o,
            rest,
            netlink::RTM_NEWADDR,
            netlink::F_CREATE | netlink::F_REPLACE,
        )
    } else if matches(cmd, "change") {
        modify(o, rest, netlink::RTM_NEWADDR, netlink::F_REPLACE)
    } else if matches(cmd, "delete") {
        modify(o, rest, netlink::RTM_DELADDR, 0)
    } else if matches(cmd, "flush") {
        show(o, rest, true)
    } else if cmd == b"help" {
        let mut out = Out::stdout();
        out.write(&USAGE.text());
        out.done(0)
    } else {
        err(&[
            b"Command \"",
            cmd,
            b"\" is unknown, try \"ip address help\".",
        ]);
        Ok(255)
    }
}
