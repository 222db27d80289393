//! ip neigh show.

use super::*;

const RTM_DELNEIGH: u16 = 29;

const STATES: &[(u16, &str)] = &[
    (0x01, "INCOMPLETE"),
    (0x02, "REACHABLE"),
    (0x04, "STALE"),
    (0x08, "DELAY"),
    (0x10, "PROBE"),
    (0x20, "FAILED"),
    (0x40, "NOARP"),
    (0x80, "PERMANENT"),
];

fn show(o: Opts, args: &[&[u8]], flush: bool) -> Status {
    let mut dev: Option<u32> = None;
    let mut to: Option<Prefix> = None;
    let mut it = args.iter();
    while let Some(&a) = it.next() {
        match a {
            b"dev" => dev = Some(dev_index(next_arg(&mut it)?)?),
            b"nud" => {
                next_arg(&mut it)?;
            }
            b"all" => {}
            _ => {
                let v = if a == b"to" { next_arg(&mut it)? } else { a };
                to = Some(
                    parse_prefix(v, o.family, true)
                        .ok_or_else(|| expected("any valid prefix", v))?,
                );
            }
        }
    }
    let mut sock = open()?;
    let all = match links(&mut sock, 0) {
        Ok(l) => l,
        Err(e) => return nl_fail(&e),
    };
    let mut m = Msg::new(netlink::RTM_GETNEIGH, netlink::F_DUMP);
    m.fixed(&[o.family, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    let mut lines: Vec<u8> = Vec::new();
    let mut victims: Vec<(u8, u32, Vec<u8>)> = Vec::new();
    let r = sock.talk(&mut m, |ty, body| {
        if ty != netlink::RTM_NEWNEIGH {
            return;
        }
        let Some(h) = body.get(..12) else {
            return;
        };
        let family = h[0];
        let index = u32::from_ne_bytes([h[4], h[5], h[6], h[7]]);
        let state = u16::from_ne_bytes([h[8], h[9]]);
        let flags = h[10];
        if state & 0x40 != 0 || (family != AF_INET && family != AF_INET6) {
            return;
        }
        if dev.is_some_and(|d| d != index) {
            return;
        }
        let dst = netlink::find(&body[12..], 1);
        if let (Some(p), Some(d)) = (&to, dst)
            && d != &p.addr[..]
        {
            return;
        }
        if flush {
            // Flush leaves permanent entries alone, as iproute2 does.
            if state & 0x80 == 0
                && let Some(d) = dst
            {
                victims.push((family, index, d.to_vec()));
            }
            return;
        }
        let t = &mut lines;
        if let Some(d) = dst {
            ibex::inet::put_addr(t, d);
            t.push(b' ');
        }
        if dev.is_none() {
            t.s("dev ");
            put_name(t, index, &all);
            t.push(b' ');
        }
        if let Some(ll) = netlink::find(&body[12..], 2) {
            t.s("lladdr ");
            ibex::inet::put_mac(t, ll);
            t.push(b' ');
        }
        if flags & 0x80 != 0 {
            t.s("router ");
        }
        if flags & 0x08 != 0 {
            t.s("proxy ");
        }
        let mut any = false;
        for s in STATES.iter().filter(|s| state & s.0 != 0) {
            if any {
                t.push(b',');
            }
            t.s(s.1);
            any = true;
        }
        t.s(if any { " \n" } else { "NONE \n" });
    });
    if let Err(e) = r {
        return nl_fail(&e);
    }
    for (family, index, d) in victims {
        let mut hdr = [family, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        hdr[4..8].copy_from_slice(&index.to_ne_bytes());
        let mut m = Msg::new(RTM_DELNEIGH, netlink::F_ACK);
        m.fixed(&hdr);
        m.attr(1, &d);
        if let Err(e) = sock.talk(&mut m, |_, _| {})
            && e.errno != libc::ENOENT
        {
            return nl_fail(&e);
        }
    }
    let mut out = Out::stdout();
    out.write(&lines);
    out.done(0)
}

fn modify(o: Opts, args: &[&[u8]], cmd: u16, flags: u16) -> Status {
    let mut dst: Option<Prefix> = None;
    let mut lladdr: Option<Vec<u8>> = None;
    let mut dev: Option<&[u8]> = None;
    let mut state: u16 = 0x80;
    let mut ntf: u8 = 0;
    let mut it = args.iter();
    while let Some(&a) = it.next() {
        match a {
            b"lladdr" => {
                let v = next_arg(&mut it)?;
                lladdr = Some(ibex::inet::parse_mac(v).ok_or_else(|| {
                    err(&[b"\"", v, b"\" is invalid lladdr."]);
                    ibex::error::Exit(1)
                })?);
            }
            b"dev" => dev = Some(next_arg(&mut it)?),
            b"nud" => {
                let v = next_arg(&mut it)?;
                let up = v.to_ascii_uppercase();
                state = match STATES.iter().find(|st| st.1.as_bytes() == up.as_slice()) {
                    Some(st) => st.0,
                    None if v == b"none" => 0,
                    None => return Err(wrong(v, "nud state is bad")),
                };
            }
            b"router" => ntf |= 0x80,
            b"proxy" => ntf |= 0x08,
            _ => {
                let v = if a == b"to" { next_arg(&mut it)? } else { a };
                if dst.is_some() {
                    return Err(garbage("to", v));
                }
                dst = Some(
                    parse_prefix(v, o.family, false)
                        .filter(|p| !p.explicit)
                        .ok_or_else(|| expected("any valid address", v))?,
                );
            }
        }
    }
    let (Some(dst), Some(dev)) = (dst, dev) else {
        err(&[b"Device and destination are required arguments."]);
        return Ok(255);
    };
    let index = dev_index(dev)?;
    let mut hdr = [dst.family, 0, 0, 0, 0, 0, 0, 0, 0, 0, ntf, 0];
    hdr[4..8].copy_from_slice(&index.to_ne_bytes());
    hdr[8..10].copy_from_slice(&state.to_ne_bytes());
    let mut m = Msg::new(cmd, flags | netlink::F_ACK);
    m.fixed(&hdr);
    m.attr(1, &dst.addr);
    if let Some(l) = &lladdr {
        m.attr(2, l);
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
    use netlink::{F_CREATE, F_EXCL, F_REPLACE};
    if matches(cmd, "show") || matches(cmd, "list") || cmd == b"lst" {
        show(o, rest, false)
    } else if matches(cmd, "flush") {
        if rest.is_empty() {
            err(&[b"Flush requires arguments."]);
            return Ok(1);
        }
        show(o, rest, true)
    } else if matches(cmd, "add") {
        modify(o, rest, netlink::RTM_NEWNEIGH, F_CREATE | F_EXCL)
    } else if matches(cmd, "replace") {
        modify(o, rest, netlink::RTM_NEWNEIGH, F_CREATE | F_REPLACE)
    } else if matches(cmd, "change") {
        modify(o, rest, netlink::RTM_NEWNEIGH, F_REPLACE)
    } else if matches(cmd, "delete") {
        modify(o, rest, RTM_DELNEIGH, 0)
    } else {
        err(&[b"Command \"", cmd, b"\" is unknown, try \"ip neigh help\"."]);
        Ok(255)
    }
}
