//! wget: fetch http:// URLs with HTTP/1.1 GET (or POST) to a file or
//! stdout; redirects, chunked transfer coding, `-c` resume with Range,
//! basic authentication from the URL, http_proxy/no_proxy.

use ibex::args::{self, Parser, Spec, flag, value};
use ibex::put::Put;
use ibex::{Exit, Status, dns, msg, sys};
use std::ffi::{OsStr, OsString};
use std::io;
use std::net::SocketAddr;
use std::os::fd::{AsRawFd, OwnedFd, RawFd};
use std::os::unix::ffi::OsStrExt;

const USAGE: ibex::usage::Usage = ibex::usage!(wget, "wget [-cqS] [--spider] [-O FILE] [-P DIR] [-T SEC] [--header STR] [--post-data STR] [-U AGENT] [-Y on/off] URL...

Retrieve files via HTTP

\t--spider\tOnly check URL existence: $? is 0 if exists
\t-c\t\tContinue retrieval of aborted transfer
\t-q\t\tQuiet
\t-S\t\tShow server response
\t-O FILE\t\tSave to FILE ('-' for stdout)
\t-P DIR\t\tSave to DIR (default .)
\t-T SEC\t\tNetwork read timeout is SEC seconds
\t--header STR\tAdd STR (of form 'header: value') to headers
\t--post-data STR\tSend STR with POST
\t-U STR\t\tUse STR for User-Agent header
\t-Y on/off\tUse proxy ($http_proxy, default on)");

const LONGS: &[args::Long] = &[
    flag("continue", b'c' as u32),
    flag("quiet", b'q' as u32),
    flag("server-response", b'S' as u32),
    value("output-document", b'O' as u32),
    value("directory-prefix", b'P' as u32),
    value("timeout", b'T' as u32),
    value("user-agent", b'U' as u32),
    value("proxy", b'Y' as u32),
    value("header", 256),
    flag("spider", 257),
    flag("no-check-certificate", 258),
    value("tries", b't' as u32),
    flag("no-verbose", b'q' as u32),
    value("post-data", 259),
];

const SPEC: Spec = Spec::new("cqSO:P:T:U:Y:t:", LONGS, USAGE);

struct Opts<'a> {
    cont: bool,
    quiet: bool,
    show: bool,
    spider: bool,
    output: Option<&'a [u8]>,
    dir: Option<&'a [u8]>,
    timeout_ms: i32,
    agent: &'a [u8],
    headers: Vec<&'a [u8]>,
    post: Option<&'a [u8]>,
    proxy: Option<Url>,
}

struct Url {
    host: Vec<u8>,
    port: u16,
    /// The host header value (host[:port]).
    hostport: Vec<u8>,
    path: Vec<u8>,
    /// user:password before the `@`.
    user: Option<Vec<u8>>,
}

fn parse_url(u: &[u8]) -> Result<Url, Exit> {
    let Some(rest) = u
        .get(..7)
        .filter(|s| s.eq_ignore_ascii_case(b"http://"))
        .and_then(|_| u.get(7..))
    else {
        if u.len() > 8 && u[..8].eq_ignore_ascii_case(b"https://") {
            msg!("https is not supported: ", u);
        } else {
            msg!("not an http url: ", u);
        }
        return Err(Exit(1));
    };
    let end = rest
        .iter()
        .position(|&b| b == b'/' || b == b'?' || b == b'#')
        .unwrap_or(rest.len());
    let (mut auth, path) = rest.split_at(end);
    let mut user = None;
    if let Some(at) = auth.iter().rposition(|&b| b == b'@') {
        user = Some(auth[..at].to_vec());
        auth = &auth[at + 1..];
    }
    let (host, port) = if let Some(r) = auth.strip_prefix(b"[") {
        let close = r.iter().position(|&b| b == b']').unwrap_or(r.len());
        (
            &r[..close],
            r.get(close + 1..).and_then(|p| p.strip_prefix(b":")),
        )
    } else {
        match auth.iter().rposition(|&b| b == b':') {
            Some(i) => (&auth[..i], Some(&auth[i + 1..])),
            None => (auth, None),
        }
    };
    let port = match port {
        None | Some(b"") => 80,
        Some(p) => match dns::port(p, b"tcp") {
            Some(n) if n > 0 && p.iter().all(u8::is_ascii_digit) => n,
            _ => {
                msg!("bad port '", p, "'");
                return Err(Exit(1));
            }
        },
    };
    let mut path = path.split(|&b| b == b'#').next().unwrap_or(b"").to_vec();
    if !path.starts_with(b"/") {
        path.insert(0, b'/');
    }
    Ok(Url {
        host: host.to_vec(),
        port,
        hostport: auth.to_vec(),
        path,
        user,
    })
}

/// The file name a URL saves to: its last path component, or index.html.
fn file_name(path: &[u8]) -> Vec<u8> {
    let p = path.split(|&b| b == b'?').next().unwrap_or(b"");
    match p.rsplit(|&b| b == b'/').next() {
        Some(n) if !n.is_empty() => n.to_vec(),
        _ => b"index.html".to_vec(),
    }
}

pub fn main(argv: &[OsString]) -> Status {
    let mut p = Parser::new(argv, &SPEC);
    let mut o = Opts {
        cont: false,
        quiet: false,
        show: false,
        spider: false,
        output: None,
        dir: None,
        timeout_ms: 900_000,
        agent: b"Wget",
        headers: Vec::new(),
        post: None,
        proxy: None,
    };
    let mut use_proxy = true;
    while let Some((id, v)) = p.next()? {
        let v: &OsStr = v.unwrap_or_default();
        match id {
            0x63 => o.cont = true,
            0x71 => o.quiet = true,
            0x53 => o.show = true,
            0x4f => o.output = Some(v.as_bytes()),
            0x50 => o.dir = Some(v.as_bytes()),
            0x54 => {
                let s = ibex::num::parse_duration(v.as_bytes())
                    .ok()
                    .filter(|s| s.is_finite())
                    .ok_or_else(|| args::invalid(&SPEC, "number", v))?;
                o.timeout_ms = if s == 0.0 {
                    -1
                } else {
                    (s * 1000.0).clamp(1.0, i32::MAX as f64) as i32
                };
            }
            0x55 => o.agent = v.as_bytes(),
            256 => o.headers.push(v.as_bytes()),
            257 => o.spider = true,
            259 => o.post = Some(v.as_bytes()),
            0x59 => use_proxy = v.as_bytes() != b"off",
            _ => {}
        }
    }
    let urls = p.operands();
    if urls.is_empty() {
        return Err(args::missing_operand(&SPEC));
    }
    let proxy_env = ["http_proxy", "HTTP_PROXY"]
        .iter()
        .find_map(|k| std::env::var_os(k).filter(|v| !v.is_empty()));
    if let Some(p) = proxy_env.filter(|_| use_proxy) {
        let p = p.as_bytes();
        let mut full = p.to_vec();
        if !p.windows(3).take(12).any(|w| w == b"://") {
            full.splice(0..0, b"http://".iter().copied());
        }
        o.proxy = Some(parse_url(&full)?);
    }
    let mut status = 0;
    for u in urls {
        if let Err(Exit(c)) = fetch(&o, u.as_bytes()) {
            status = c;
        }
    }
    Ok(status)
}

/// Whether no_proxy names this host (a list of names or domain suffixes).
fn no_proxy(host: &[u8]) -> bool {
    let Some(list) = std::env::var_os("no_proxy").or_else(|| std::env::var_os("NO_PROXY")) else {
        return false;
    };
    list.as_bytes()
        .split(|&b| b == b',' || b == b' ')
        .map(|d| d.strip_prefix(b".").unwrap_or(d))
        .filter(|d| !d.is_empty())
        .any(|d| {
            d == b"*"
                || host.eq_ignore_ascii_case(d)
                || (host.len() > d.len()
                    && host[host.len() - d.len()..].eq_ignore_ascii_case(d)
                    && host[host.len() - d.len() - 1] == b'.')
        })
}

fn connect(o: &Opts, url: &Url) -> Result<OwnedFd, Exit> {
    let ips = dns::resolve_or_report(&url.host, libc::AF_UNSPEC).ok_or(Exit(1))?;
    if !o.quiet {
        msg_raw(&[
            b"Connecting to ",
            &url.hostport,
            b" (",
            &dns::addr_port(ips[0], url.port),
            b")\n",
        ]);
    }
    let mut err = io::Error::from_raw_os_error(libc::EHOSTUNREACH);
    for ip in &ips {
        let sa = SocketAddr::new(*ip, url.port);
        let s = sys::sock_new(sys::sock_family(&sa), libc::SOCK_STREAM, 0).map_err(|e| {
            ibex::error::io_error("socket", &e);
            Exit(1)
        })?;
        match sys::connect_timeout(s.as_raw_fd(), &sa, o.timeout_ms) {
            Ok(()) => return Ok(s),
            Err(e) => err = e,
        }
    }
    let mut subj = b"can't connect to remote host (".to_vec();
    ibex::inet::put_ip(&mut subj, ips[0]);
    subj.push(b')');
    ibex::error::io_error(&subj[..], &err);
    Err(Exit(1))
}

/// Write parts to stderr as they are (progress lines have no applet prefix).
fn msg_raw(parts: &[&[u8]]) {
    let _ = sys::write_all(2, &parts.concat());
}

/// Buffered reading from the connection with the read timeout.
struct Conn {
    fd: OwnedFd,
    buf: Vec<u8>,
    pos: usize,
    timeout_ms: i32,
}

impl Conn {
    fn fill(&mut self) -> io::Result<bool> {
        if self.pos > 0 {
            self.buf.drain(..self.pos);
            self.pos = 0;
        }
        let fd = self.fd.as_raw_fd();
        let mut p = [(fd, libc::POLLIN, 0)];
        if sys::poll_fds(&mut p, self.timeout_ms)? == 0 {
            return Err(io::Error::from_raw_os_error(libc::ETIMEDOUT));
        }
        let old = self.buf.len();
        self.buf.resize(old + 65536, 0);
        let r = sys::read(fd, &mut self.buf[old..]);
        let n = *r.as_ref().unwrap_or(&0);
        self.buf.truncate(old + n);
        r.map(|n| n > 0)
    }

    /// The next CRLF- or LF-ended line, without its end.
    fn line(&mut self) -> io::Result<Option<Vec<u8>>> {
        loop {
            if let Some(i) = memchr::memchr(b'\n', &self.buf[self.pos..]) {
                let l = &self.buf[self.pos..self.pos + i];
                let l = l.strip_suffix(b"\r").unwrap_or(l).to_vec();
                self.pos += i + 1;
                return Ok(Some(l));
            }
            if self.buf.len() - self.pos > 65536 {
                return Err(io::Error::from_raw_os_error(libc::EMSGSIZE));
            }
            if !self.fill()? {
                return Ok(None);
            }
        }
    }

    /// Up to `max` bytes of body, or an empty slice at EOF.
    fn chunk(&mut self, max: u64) -> io::Result<&[u8]> {
        if self.pos == self.buf.len() && !self.fill()? {
            return Ok(&[]);
        }
        let n = ((self.buf.len() - self.pos) as u64).min(max) as usize;
        let start = self.pos;
        self.pos += n;
        Ok(&self.buf[start..start + n])
    }
}

fn read_err(e: &io::Error) -> Exit {
    ibex::error::io_error("error getting response", e);
    Exit(1)
}

fn fetch(o: &Opts, first: &[u8]) -> Result<(), Exit> {
    let mut url_text = first.to_vec();
    let mut url = parse_url(first)?;
    let name = match o.output {
        Some(n) => n.to_vec(),
        None => {
            let n = file_name(&url.path);
            match o.dir {
                Some(d) => {
                    let mut p = d.to_vec();
                    if !p.ends_with(b"/") {
                        p.push(b'/');
                    }
                    p.extend_from_slice(&n);
                    p
                }
                None => n,
            }
        }
    };
    let to_stdout = name == b"-";
    let mut offset = 0u64;
    if o.cont && !to_stdout && !o.spider {
        offset = sys::stat(&name).map(|s| s.size).unwrap_or(0);
    }
    let mut post = o.post;
    for _redirect in 0..=20 {
        let proxy = o.proxy.as_ref().filter(|_| !no_proxy(&url.host));
        let sock = connect(o, proxy.unwrap_or(&url))?;
        let mut req = Vec::with_capacity(256);
        req.extend_from_slice(if post.is_some() { b"POST " } else { b"GET " });
        if proxy.is_some() {
            req.extend_from_slice(b"http://");
            req.extend_from_slice(&url.hostport);
        }
        req.extend_from_slice(&url.path);
        req.extend_from_slice(b" HTTP/1.1\r\nHost: ");
        req.extend_from_slice(&url.hostport);
        req.extend_from_slice(b"\r\nUser-Agent: ");
        req.extend_from_slice(o.agent);
        req.extend_from_slice(b"\r\nConnection: close\r\n");
        if offset > 0 {
            req.s("Range: bytes=").u(offset).s("-\r\n");
        }
        for (what, u) in [
            (&b"Authorization"[..], Some(&url)),
            (b"Proxy-Authorization", proxy),
        ] {
            if let Some(user) = u.and_then(|u| u.user.as_ref()) {
                req.extend_from_slice(what);
                req.extend_from_slice(b": Basic ");
                ibex::baseenc::encode(ibex::baseenc::Kind::Base64, user, &mut req);
                req.extend_from_slice(b"\r\n");
            }
        }
        if let Some(data) = post {
            req.s("Content-Type: application/x-www-form-urlencoded\r\nContent-Length: ")
                .u(data.len() as u64)
                .s("\r\n");
        }
        for h in &o.headers {
            req.extend_from_slice(h);
            req.extend_from_slice(b"\r\n");
        }
        req.extend_from_slice(b"\r\n");
        req.extend_from_slice(post.unwrap_or_default());
        if let Err(e) = sys::write_all(sock.as_raw_fd(), &req) {
            ibex::error::io_error("error sending request", &e);
            return Err(Exit(1));
        }
        let mut c = Conn {
            fd: sock,
            buf: Vec::new(),
            pos: 0,
            timeout_ms: o.timeout_ms,
        };
        // Interim 1xx responses (with their headers) come before the real one.
        let (status_line, code) = loop {
            let Some(line) = c.line().map_err(|e| read_err(&e))? else {
                msg!("no response from server");
                return Err(Exit(1));
            };
            if o.show {
                msg_raw(&[b"  ", &line, b"\n"]);
            }
            let code = line
                .split(|&b| b == b' ')
                .nth(1)
                .and_then(|c| u32::try_from(ibex::num::parse_u64(c).ok()?).ok())
                .unwrap_or(0);
            if !(100..200).contains(&code) {
                break (line, code);
            }
            while let Some(h) = c.line().map_err(|e| read_err(&e))?
                && !h.is_empty()
            {
                if o.show {
                    msg_raw(&[b"  ", &h, b"\n"]);
                }
            }
        };
        if !status_line.starts_with(b"HTTP/") || code == 0 {
            msg!("server returned error: ", &status_line[..]);
            return Err(Exit(1));
        }
        let mut length: Option<u64> = None;
        let mut chunked = false;
        let mut location = None;
        loop {
            let Some(h) = c.line().map_err(|e| read_err(&e))? else {
                msg!("connection closed prematurely");
                return Err(Exit(1));
            };
            if h.is_empty() {
                break;
            }
            if o.show {
                msg_raw(&[b"  ", &h, b"\n"]);
            }
            let Some(colon) = h.iter().position(|&b| b == b':') else {
                continue;
            };
            let key = &h[..colon];
            let val = h[colon + 1..].trim_ascii();
            if key.eq_ignore_ascii_case(b"content-length") {
                length = ibex::num::parse_u64(val).ok();
            } else if key.eq_ignore_ascii_case(b"transfer-encoding") {
                chunked = val.eq_ignore_ascii_case(b"chunked");
            } else if key.eq_ignore_ascii_case(b"location") {
                location = Some(val.to_vec());
            }
        }
        match code {
            200..=299 => {}
            301 | 302 | 303 | 307 | 308 if location.is_some() => {
                let loc = location.unwrap_or_default();
                if code == 303 || ((code == 301 || code == 302) && post.is_some()) {
                    post = None;
                }
                url_text = join_url(&url_text, &url, &loc);
                url = parse_url(&url_text)?;
                continue;
            }
            416 if offset > 0 => {
                // Already complete.
                if !o.quiet {
                    msg_raw(&[b"'", &name, b"' already fully retrieved\n"]);
                }
                return Ok(());
            }
            _ => {
                msg!("server returned error: ", &status_line[..]);
                return Err(Exit(1));
            }
        }
        if o.spider {
            if !o.quiet {
                msg_raw(&[b"remote file exists\n"]);
            }
            return Ok(());
        }
        let resumed = offset > 0 && code == 206;
        let out = open_output(o, &name, to_stdout, resumed)?;
        let fd = out.as_ref().map_or(1, |f| f.as_raw_fd());
        body(&mut c, fd, chunked, length, &name, to_stdout)?;
        if !o.quiet {
            if to_stdout {
                msg_raw(&[b"written to stdout\n"]);
            } else {
                msg_raw(&[b"'", &name, b"' saved\n"]);
            }
        }
        return Ok(());
    }
    msg!("too many redirections");
    Err(Exit(1))
}

fn open_output(
    o: &Opts,
    name: &[u8],
    to_stdout: bool,
    append: bool,
) -> Result<Option<OwnedFd>, Exit> {
    if to_stdout {
        if !o.quiet {
            msg_raw(&[b"writing to stdout\n"]);
        }
        return Ok(None);
    }
    if !o.quiet {
        msg_raw(&[b"saving to '", name, b"'\n"]);
    }
    let flags = libc::O_WRONLY
        | libc::O_CREAT
        | if append {
            libc::O_APPEND
        } else {
            libc::O_TRUNC
        };
    match sys::open(name, flags | libc::O_CLOEXEC, 0o666) {
        Ok(f) => Ok(Some(f)),
        Err(e) => {
            msg!("can't open '", name, "': ", e);
            Err(Exit(1))
        }
    }
}

fn put(fd: RawFd, data: &[u8], name: &[u8], to_stdout: bool) -> Result<(), Exit> {
    sys::write_all(fd, data).map_err(|e| {
        if to_stdout {
            ibex::error::io_error("write error", &e);
        } else {
            ibex::error::io_error(name, &e);
        }
        Exit(1)
    })
}

fn body(
    c: &mut Conn,
    fd: RawFd,
    chunked: bool,
    length: Option<u64>,
    name: &[u8],
    to_stdout: bool,
) -> Result<(), Exit> {
    let short = || {
        msg!("connection closed prematurely");
        Exit(1)
    };
    if !chunked {
        let mut left = length.unwrap_or(u64::MAX);
        while left > 0 {
            let d = c.chunk(left).map_err(|e| read_err(&e))?;
            if d.is_empty() {
                if length.is_some() {
                    return Err(short());
                }
                break;
            }
            left -= d.len() as u64;
            put(fd, d, name, to_stdout)?;
        }
        return Ok(());
    }
    loop {
        let Some(l) = c.line().map_err(|e| read_err(&e))? else {
            return Err(short());
        };
        let hex = l.split(|&b| b == b';').next().unwrap_or(b"").trim_ascii();
        let Some(mut left) = ibex::inet::hex(hex) else {
            msg!("bad chunk length '", &l[..], "'");
            return Err(Exit(1));
        };
        if left == 0 {
            // Trailers up to the empty line; a missing end is harmless.
            while let Ok(Some(t)) = c.line() {
                if t.is_empty() {
                    break;
                }
            }
            return Ok(());
        }
        while left > 0 {
            let d = c.chunk(left).map_err(|e| read_err(&e))?;
            if d.is_empty() {
                return Err(short());
            }
            left -= d.len() as u64;
            put(fd, d, name, to_stdout)?;
        }
        // The CRLF after the chunk data.
        if c.line().map_err(|e| read_err(&e))?.is_none() {
            return Err(short());
        }
    }
}

/// Resolve a Location against the current URL.
fn join_url(cur_text: &[u8], cur: &Url, loc: &[u8]) -> Vec<u8> {
    if loc.windows(3).take(12).any(|w| w == b"://") {
        return loc.to_vec();
    }
    let mut u = cur_text.get(..7).unwrap_or(b"http://").to_vec();
    if let Some(r) = loc.strip_prefix(b"//") {
        u.truncate(5);
        u.extend_from_slice(b"//");
        u.extend_from_slice(r);
        return u;
    }
    u.extend_from_slice(&cur.hostport);
    if loc.starts_with(b"/") {
        u.extend_from_slice(loc);
    } else {
        let p = cur.path.split(|&b| b == b'?').next().unwrap_or(b"/");
        let dir = &p[..p.iter().rposition(|&b| b == b'/').map_or(0, |i| i + 1)];
        u.extend_from_slice(dir);
        u.extend_from_slice(loc);
    }
    u
}
