//! hostname: show or set the system's host name, as BusyBox's and
//! net-tools' hostname; -f, -d and -i look the name up in /etc/hosts
//! (there is no resolver library to ask).

use ibex::Status;
use ibex::args::{Parser, Spec, flag, value};
use ibex::io::Out;
use ibex::sys;
use std::ffi::OsString;
use std::os::unix::ffi::OsStrExt;

const LONGS: &[ibex::args::Long] = &[
    flag("short", 's' as u32),
    flag("ip-address", 'i' as u32),
    flag("domain", 'd' as u32),
    flag("fqdn", 'f' as u32),
    flag("long", 'f' as u32),
    value("file", 'F' as u32),
];

const USAGE: ibex::usage::Usage = ibex::usage!(
    hostname,
    "hostname [-sidf] [HOSTNAME | -F FILE]

Show or set the hostname

\t-F FILE\tSet the hostname to the first line of FILE
\t-s\tShort name (up to the first dot)
\t-i\tAddresses for the hostname (from /etc/hosts)
\t-d\tDNS domain name
\t-f\tFully qualified domain name"
);

const SPEC: Spec = Spec::new("sidfF:", LONGS, USAGE);

pub fn main(argv: &[OsString]) -> Status {
    let mut p = Parser::new(argv, &SPEC);
    let mut show: Option<char> = None;
    let mut file: Option<Vec<u8>> = None;
    while let Some((id, v)) = p.next()? {
        match char::from_u32(id) {
            Some('F') => file = v.map(|v| v.as_bytes().to_vec()),
            Some(c) => show = Some(c),
            None => {}
        }
    }
    let ops = p.operands();
    if ops.len() > 1 || (ops.len() == 1 && file.is_some()) {
        return Err(ibex::args::usage_error(&SPEC, &[b"too many arguments"]));
    }
    let new_name = match (&file, ops.first()) {
        (Some(f), _) => {
            let data = match ibex::io::read_file(f) {
                Ok(d) => d,
                Err(e) => return Err(ibex::io::fail(f, &e)),
            };
            let line = data
                .split(|&c| c == b'\n')
                .map(<[u8]>::trim_ascii)
                .find(|l| !l.is_empty() && !l.starts_with(b"#"))
                .unwrap_or_default()
                .to_vec();
            Some(line)
        }
        (None, Some(n)) => Some(n.as_bytes().to_vec()),
        (None, None) => None,
    };
    if let Some(name) = new_name {
        if name.is_empty() || name.len() > 64 {
            ibex::msg!("the specified hostname is invalid");
            return Ok(1);
        }
        return match sys::sethostname(&name) {
            Ok(()) => Ok(0),
            Err(e) => {
                ibex::msg!("sethostname: ", e);
                Ok(1)
            }
        };
    }
    let host = match sys::gethostname() {
        Ok(h) => h,
        Err(e) => return Err(ibex::io::fail("gethostname", &e)),
    };
    let mut out = Out::stdout();
    match show {
        Some('s') => {
            let end = memchr::memchr(b'.', &host).unwrap_or(host.len());
            out.write(&host[..end]);
        }
        Some('f') | Some('d') => {
            let fqdn = lookup(&host).map(|(_, name)| name).unwrap_or(host);
            if show == Some('f') {
                out.write(&fqdn);
            } else if let Some(i) = memchr::memchr(b'.', &fqdn) {
                out.write(&fqdn[i + 1..]);
            }
        }
        Some('i') => {
            let addrs = addresses(&host);
            if addrs.is_empty() {
                ibex::msg!(host, ": Name or service not known");
                return Ok(1);
            }
            for (i, a) in addrs.iter().enumerate() {
                if i > 0 {
                    out.byte(b' ');
                }
                out.write(a);
            }
        }
        _ => out.write(&host),
    }
    out.byte(b'\n');
    out.done(0)
}

/// Lines of /etc/hosts: (address, names).
fn hosts() -> Vec<(Vec<u8>, Vec<Vec<u8>>)> {
    let data = ibex::io::read_file(b"/etc/hosts").unwrap_or_default();
    let mut v = Vec::new();
    for line in data.split(|&c| c == b'\n') {
        let line = &line[..memchr::memchr(b'#', line).unwrap_or(line.len())];
        let mut f = line
            .split(|&c| c == b' ' || c == b'\t')
            .filter(|x| !x.is_empty());
        let Some(addr) = f.next() else { continue };
        let names: Vec<Vec<u8>> = f.map(<[u8]>::to_vec).collect();
        if !names.is_empty() {
            v.push((addr.to_vec(), names));
        }
    }
    v
}

/// The first /etc/hosts line naming `host`: its address and canonical name.
fn lookup(host: &[u8]) -> Option<(Vec<u8>, Vec<u8>)> {
    hosts()
        .into_iter()
        .find(|(_, names)| names.iter().any(|n| n.eq_ignore_ascii_case(host)))
        .and_then(|(a, names)| names.into_iter().next().map(|n| (a, n)))
}

fn addresses(host: &[u8]) -> Vec<Vec<u8>> {
    let mut v: Vec<Vec<u8>> = Vec::new();
    for (a, names) in hosts() {
        if names.iter().any(|n| n.eq_ignore_ascii_case(host)) && !v.contains(&a) {
            v.push(a);
        }
    }
    v
}
