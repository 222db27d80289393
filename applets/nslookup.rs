//! nslookup: query a DNS server (the first nameserver of /etc/resolv.conf,
//! or the one named) with ibex's own resolver, in BusyBox's output format.
//! Options are bind-style single-dash words: -type= (-query=), -port=,
//! -timeout=, -retry=, -debug.

use ibex::args::{self, Spec};
use ibex::dns::{self, Data, Record};
use ibex::io::Out;
use ibex::put::Put;
use ibex::{Status, msg};
use std::ffi::OsString;
use std::net::{IpAddr, SocketAddr};
use std::os::unix::ffi::OsStrExt;

const USAGE: ibex::usage::Usage = ibex::usage!(
    nslookup,
    "nslookup [-type=QUERY_TYPE] [-port=PORT] [-debug] HOST [DNS_SERVER]

Query DNS about HOST

QUERY_TYPE: soa,ns,a,aaaa,cname,mx,txt,ptr,srv,any"
);

const SPEC: Spec = Spec::new("", &[], USAGE);

fn value<'a>(a: &'a [u8], names: &[&[u8]]) -> Option<&'a [u8]> {
    let eq = a.iter().position(|&b| b == b'=')?;
    let key = a.get(1..eq)?;
    names
        .iter()
        .any(|n| n.eq_ignore_ascii_case(key))
        .then(|| &a[eq + 1..])
}

fn num(v: &[u8], a: &[u8]) -> Result<u32, ibex::Exit> {
    ibex::num::parse_u64(v)
        .ok()
        .and_then(|n| u32::try_from(n).ok())
        .ok_or_else(|| args::invalid(&SPEC, "number", ibex::sys::os(a)))
}

pub fn main(argv: &[OsString]) -> Status {
    let mut qtype = None;
    let mut port = 53u16;
    let mut cfg = dns::Config::load();
    let mut ops = Vec::new();
    let mut only_ops = false;
    for a in argv.iter().skip(1).map(|a| a.as_bytes()) {
        if only_ops || !a.starts_with(b"-") || a.len() == 1 {
            ops.push(a);
        } else if a == b"--" {
            only_ops = true;
        } else if a == b"--help" {
            args::print_usage(&SPEC);
            return Ok(0);
        } else if let Some(t) = value(a, &[b"type", b"query", b"q", b"querytype", b"t"]) {
            match dns::type_by_name(t) {
                Some(t) => qtype = Some(t),
                None => {
                    msg!("invalid query type '", t, "'");
                    return Ok(1);
                }
            }
        } else if let Some(v) = value(a, &[b"port"]) {
            port = u16::try_from(num(v, a)?)
                .map_err(|_| args::invalid(&SPEC, "number", ibex::sys::os(a)))?;
        } else if let Some(v) = value(a, &[b"timeout"]) {
            cfg.timeout = num(v, a)?.max(1);
        } else if let Some(v) = value(a, &[b"retry"]) {
            cfg.attempts = num(v, a)?.max(1);
        } else if a == b"-debug" || a == b"-nodebug" || a == b"-d2" {
        } else {
            return Err(args::usage_error(
                &SPEC,
                &[b"unrecognized option '", a, b"'"],
            ));
        }
    }
    let (host, server) = match ops[..] {
        [h] => (h, None),
        [h, s] => (h, Some(s)),
        [] => return Err(args::missing_operand(&SPEC)),
        _ => return Err(args::usage_error(&SPEC, &[b"too many operands"])),
    };
    let server_ip: IpAddr = match server {
        Some(s) => {
            // SERVER#PORT picks a port too.
            let (s, p) = match s.iter().rposition(|&b| b == b'#') {
                Some(i) => (&s[..i], Some(&s[i + 1..])),
                None => (s, None),
            };
            if let Some(p) = p {
                port = dns::port(p, b"udp")
                    .ok_or_else(|| args::invalid(&SPEC, "port", ibex::sys::os(p)))?;
            }
            match dns::resolve_or_report(s, libc::AF_UNSPEC) {
                Some(v) => v[0],
                None => return Ok(1),
            }
        }
        None => cfg.servers[0],
    };
    let server = SocketAddr::new(server_ip, port);
    let mut out = Out::stdout();
    out.str("Server:\t\t");
    out.write(&ibex::inet::ip_text(server_ip));
    out.str("\nAddress:\t");
    out.write(&dns::addr_port(server_ip, port));
    out.str("\n\n");

    // An address is looked up in reverse; otherwise A then AAAA by default.
    let (names, types): (Vec<Vec<u8>>, Vec<u16>) = match dns::parse_ip(host) {
        Some(ip) => (vec![dns::reverse_name(ip)], vec![qtype.unwrap_or(dns::PTR)]),
        None => (
            cfg.candidates(host),
            match qtype {
                Some(t) => vec![t],
                None => vec![dns::A, dns::AAAA],
            },
        ),
    };
    let mut status = 0;
    for t in types {
        let mut result = None;
        for name in &names {
            match dns::query(&server, name, t, cfg.timeout, cfg.attempts) {
                Ok(m) if m.rcode == 3 && names.len() > 1 => result = Some(Ok(m)),
                r => {
                    result = Some(r);
                    break;
                }
            }
        }
        match result {
            Some(Ok(m)) if m.rcode == 0 => {
                let shown: Vec<&Record> = m
                    .answers
                    .iter()
                    .filter(|r| t == dns::ANY || r.rtype == t || r.rtype == dns::CNAME)
                    .collect();
                if shown.is_empty() {
                    out.str("*** Can't find ");
                    out.write(host);
                    out.str(": No answer\n\n");
                    continue;
                }
                if !m.authoritative {
                    out.str("Non-authoritative answer:\n");
                }
                for r in shown {
                    record(&mut out, r);
                }
                out.byte(b'\n');
            }
            Some(Ok(m)) => {
                out.str("** server can't find ");
                out.write(host);
                out.str(": ");
                out.str(dns::rcode_name(m.rcode));
                out.str("\n\n");
                status = 1;
            }
            Some(Err(e)) => {
                if e.raw_os_error() != Some(libc::ETIMEDOUT) {
                    out.flush();
                    ibex::error::io_error(&ibex::inet::ip_text(server_ip)[..], &e);
                }
                out.str(";; connection timed out; no servers could be reached\n\n");
                out.flush();
                return out.done(1);
            }
            None => status = 1,
        }
    }
    out.done(status)
}

fn record(out: &mut Out, r: &Record) {
    let name = &r.name[..];
    let named = |out: &mut Out, what: &str, v: &[u8]| {
        out.write(name);
        out.byte(b'\t');
        out.str(what);
        out.str(" = ");
        out.write(v);
        out.byte(b'\n');
    };
    match &r.data {
        Data::A(_) | Data::Aaaa(_) => {
            let ip = match r.data {
                Data::A(a) => IpAddr::V4(a),
                Data::Aaaa(a) => IpAddr::V6(a),
                _ => return,
            };
            out.str("Name:\t");
            out.write(name);
            out.str("\nAddress: ");
            out.write(&ibex::inet::ip_text(ip));
            out.byte(b'\n');
        }
        Data::Name(n) => {
            let what = match r.rtype {
                dns::CNAME => "canonical name",
                dns::NS => "nameserver",
                _ => "name",
            };
            named(out, what, n);
        }
        Data::Mx(pref, n) => {
            let mut v = Vec::new();
            v.u((*pref).into()).c(b' ').b(n);
            named(out, "mail exchanger", &v);
        }
        Data::Txt(parts) => {
            let mut v = Vec::new();
            for (i, p) in parts.iter().enumerate() {
                if i > 0 {
                    v.push(b' ');
                }
                v.push(b'"');
                v.extend_from_slice(p);
                v.push(b'"');
            }
            named(out, "text", &v);
        }
        Data::Srv {
            prio,
            weight,
            port,
            target,
        } => {
            let mut v = Vec::new();
            v.u((*prio).into()).c(b' ').u((*weight).into()).c(b' ');
            v.u((*port).into()).c(b' ').b(target);
            named(out, "service", &v);
        }
        Data::Soa {
            mname,
            rname,
            serial,
            refresh,
            retry,
            expire,
            minimum,
        } => {
            out.write(name);
            out.str("\n\torigin = ");
            out.write(mname);
            out.str("\n\tmail addr = ");
            out.write(rname);
            for (k, v) in [
                ("\n\tserial = ", serial),
                ("\n\trefresh = ", refresh),
                ("\n\tretry = ", retry),
                ("\n\texpire = ", expire),
                ("\n\tminimum = ", minimum),
            ] {
                out.str(k);
                out.num((*v).into());
            }
            out.byte(b'\n');
        }
        Data::Other(_) => {}
    }
}
