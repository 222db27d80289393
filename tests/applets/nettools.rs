//! ping, netstat, arp, nslookup, nc and wget. Tests needing a network
//! namespace run as root inside `unshare --net` (lo brought up with the
//! host's /bin/ip); HTTP and DNS servers for wget and nslookup run as
//! threads of the test on the host's loopback.

use crate::harness::*;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream, UdpSocket};

/// Run `script` in a fresh network namespace with lo up. None (and a
/// printed reason) when that is not possible here.
fn netns(what: &str, script: &str) -> Option<Out> {
    if skip_unless_root(what) {
        return None;
    }
    let d = Dir::new();
    d.write(
        "t.sh",
        format!("/bin/ip link set lo up || exit 99\nexport PATH=\"$B:$PATH\"\n{script}\n"),
    );
    let o = d.sh("exec unshare --net /bin/sh ./t.sh").go();
    if o.code == 99 || o.err().starts_with("unshare:") {
        eprintln!("SKIPPED {what}: unshare --net does not work here");
        return None;
    }
    Some(o)
}

/// Replace the digits of round-trip times with `T`.
fn mask_times(s: &str) -> String {
    let mut out = String::new();
    for line in s.lines() {
        if let Some(i) = line.find("time=") {
            let end = line[i..].find(" ms").map_or(line.len(), |e| i + e);
            out.push_str(&line[..i + 5]);
            out.push('T');
            out.push_str(&line[end..]);
        } else if let Some(rest) = line.strip_prefix("round-trip min/avg/max = ") {
            assert!(rest.ends_with(" ms"), "{line}");
            let nums: Vec<&str> = rest.trim_end_matches(" ms").split('/').collect();
            assert_eq!(nums.len(), 3, "{line}");
            for n in nums {
                let (a, b) = n.split_once('.').unwrap();
                assert!(a.parse::<u64>().is_ok() && b.len() == 3, "{line}");
            }
            out.push_str("round-trip min/avg/max = T/T/T ms");
        } else {
            out.push_str(line);
        }
        out.push('\n');
    }
    out
}

// ---------------------------------------------------------------- ping

#[test]
fn ping_loopback_summary() {
    let Some(o) = netns("ping_loopback_summary", "ping -c 2 -i 0.2 127.0.0.1") else {
        return;
    };
    assert_eq!((o.code, o.err()), (0, String::new()));
    assert_eq!(
        mask_times(&o.out()),
        "PING 127.0.0.1 (127.0.0.1): 56 data bytes\n\
         64 bytes from 127.0.0.1: seq=0 ttl=64 time=T ms\n\
         64 bytes from 127.0.0.1: seq=1 ttl=64 time=T ms\n\
         \n\
         --- 127.0.0.1 ping statistics ---\n\
         2 packets transmitted, 2 packets received, 0% packet loss\n\
         round-trip min/avg/max = T/T/T ms\n"
    );
}

#[test]
fn ping_datagram_socket_interface_and_interrupt() {
    // With ping_group_range open, the unprivileged ICMP socket is used.
    let Some(o) = netns(
        "ping_datagram_socket_interface_and_interrupt",
        "/sbin/sysctl -qw net.ipv4.ping_group_range='0 2147483647' || exit 99\n\
         ping -c 1 -I lo 127.0.0.1; echo rc=$?\n\
         ping -c 1 -I 127.0.0.1 -6 ::1 >/dev/null; echo rc=$?\n\
         ping -c 1 -I nosuch 127.0.0.1; echo rc=$?\n\
         /usr/bin/timeout --preserve-status -s INT 1.3 ping -i 0.5 127.0.0.1 >out; echo rc=$?\n\
         tail -3 out | /bin/sed -E 's/^([0-9]+) packets transmitted, \\1 /N packets transmitted, N /'",
    ) else {
        return;
    };
    assert_eq!(
        (o.code, mask_times(&o.out()), o.err()),
        (
            0,
            "PING 127.0.0.1 (127.0.0.1): 56 data bytes\n\
             64 bytes from 127.0.0.1: seq=0 ttl=64 time=T ms\n\
             \n\
             --- 127.0.0.1 ping statistics ---\n\
             1 packets transmitted, 1 packets received, 0% packet loss\n\
             round-trip min/avg/max = T/T/T ms\n\
             rc=0\n\
             rc=2\n\
             rc=2\n\
             rc=0\n\
             --- 127.0.0.1 ping statistics ---\n\
             N packets transmitted, N packets received, 0% packet loss\n\
             round-trip min/avg/max = T/T/T ms\n"
                .to_string(),
            "ping: bind: Invalid argument\n\
             ping: setsockopt(SO_BINDTODEVICE): No such device\n"
                .to_string()
        )
    );
}

#[test]
fn ping_ipv6_quiet_size_ttl() {
    let Some(o) = netns(
        "ping_ipv6_quiet_size_ttl",
        "ping -6 -q -c 2 -i 0.1 -s 100 -t 3 ::1; echo rc=$?; ping -c 1 -s 8 localhost | head -2",
    ) else {
        return;
    };
    assert_eq!(
        mask_times(&o.out()),
        "PING ::1 (::1): 100 data bytes\n\
         \n\
         --- ::1 ping statistics ---\n\
         2 packets transmitted, 2 packets received, 0% packet loss\n\
         round-trip min/avg/max = T/T/T ms\n\
         rc=0\n\
         PING localhost (127.0.0.1): 8 data bytes\n\
         16 bytes from 127.0.0.1: seq=0 ttl=64 time=T ms\n"
    );
}

#[test]
fn ping_without_reply_exits_1() {
    let Some(o) = netns(
        "ping_without_reply_exits_1",
        "ping -c 1 10.9.9.9; echo rc=$?\n\
         /sbin/sysctl -qw net.ipv4.icmp_echo_ignore_all=1 || exit 99\n\
         ping -c 2 -i 0.1 -W 0.3 127.0.0.1; echo rc=$?\n\
         ping -w 0.5 -i 0.2 -q 127.0.0.1 >out; echo rc=$?\n\
         tail -2 out | /bin/sed -E 's/^[0-9]+ packets/N packets/'",
    ) else {
        return;
    };
    o.expect(
        0,
        b"PING 10.9.9.9 (10.9.9.9): 56 data bytes\nrc=1\n\
          PING 127.0.0.1 (127.0.0.1): 56 data bytes\n\n\
          --- 127.0.0.1 ping statistics ---\n\
          2 packets transmitted, 0 packets received, 100% packet loss\nrc=1\n\
          rc=1\n--- 127.0.0.1 ping statistics ---\n\
          N packets transmitted, 0 packets received, 100% packet loss\n",
        b"ping: sendto: Network is unreachable\n",
    );
}

#[test]
fn ping_errors() {
    run("ping", &[]).fails(2, "ping: missing operand\nUsage: ping [OPTIONS] HOST\n");
    run("ping", &["-c", "x", "1.2.3.4"]).fails(2, "ping: invalid number 'x'\n");
    run("ping", &["-t", "300", "1.2.3.4"]).fails(2, "ping: invalid number '300'\n");
    run("ping", &["-Z", "1.2.3.4"]).fails(
        2,
        "ping: invalid option -- 'Z'\nUsage: ping [OPTIONS] HOST\n",
    );
    run("ping", &["a", "b"]).fails(2, "ping: extra operand 'b'\nUsage: ping [OPTIONS] HOST\n");
    run("ping", &["-4", "-c", "1", "::1"]).fails(2, "ping: bad address '::1'\n");
    if let Some(o) = netns("ping_bad_host", "ping -c 1 nosuch.invalid") {
        o.expect(2, b"", b"ping: bad address 'nosuch.invalid'\n");
    }
}

// ---------------------------------------------------------------- nc

/// Wait (in the namespace script) until something listens on port $1
/// (TCP, or the protocol letter $2 of netstat).
const WAIT_LISTEN: &str = "waitl() { i=0; until netstat -${2:-t}ln | grep -q \":$1 \"; do \
                           i=$((i+1)); [ $i -gt 100 ] && return 1; sleep 0.05; done; }\n";

#[test]
fn nc_both_directions() {
    let script = format!(
        "{WAIT_LISTEN}nc -l -p 5555 > got & waitl 5555\n\
         printf 'hello\\nworld\\n' | nc 127.0.0.1 5555; echo c=$?; wait; cat got\n\
         printf 'reply' | nc -l 5556 & waitl 5556\n\
         nc -n 127.0.0.1 5556 </dev/null; echo; echo c=$?; wait\n\
         nc -l -p 5557 -q 0 </dev/null >/dev/null & waitl 5557\n\
         nc -z 127.0.0.1 5557; echo z=$?; wait\n\
         nc -z 127.0.0.1 1-3; echo z=$?\n\
         nc -z -v 127.0.0.1 4 2>&1; echo z=$?"
    );
    let Some(o) = netns("nc_both_directions", &script) else {
        return;
    };
    o.expect(
        0,
        b"c=0\nhello\nworld\nreply\nc=0\nz=0\nz=1\n\
          nc: can't connect to remote host (127.0.0.1:4): Connection refused\nz=1\n",
        b"",
    );
}

#[test]
fn nc_udp() {
    let script = format!(
        "{WAIT_LISTEN}(waitl 5600 u; printf 'dgram' | nc -u -q 0.5 127.0.0.1 5600) &\n\
         nc -u -l -p 5600 -w 5 -q 0.3 </dev/null; echo; echo rc=$?; wait"
    );
    let Some(o) = netns("nc_udp", &script) else {
        return;
    };
    o.expect(0, b"dgram\nrc=0\n", b"");
}

#[test]
fn nc_errors() {
    run("nc", &["127.0.0.1", "abc"]).fails(1, "nc: bad port 'abc'\n");
    run("nc", &["127.0.0.1", "70000"]).fails(1, "nc: bad port '70000'\n");
    run("nc", &["127.0.0.1"]).fails(
        1,
        "nc: missing operand\nUsage: nc [-46lnuvz] [-w SECS] [-q SECS] [-p PORT] [-s ADDR] [HOST] [PORT[-PORT]]...\n",
    );
    run("nc", &["-w", "x", "h", "1"]).fails(1, "nc: invalid number 'x'\n");
    run("nc", &["-n", "localhost", "1"]).fails(1, "nc: bad address 'localhost'\n");
    // A port nobody listens on: bind one, note it, close it.
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    run("nc", &["127.0.0.1", &port.to_string()]).fails(
        1,
        "nc: can't connect to remote host (127.0.0.1): Connection refused\n",
    );
}

#[test]
fn nc_connects_to_host_listener() {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    let t = std::thread::spawn(move || {
        let (mut s, _) = l.accept().unwrap();
        let mut got = Vec::new();
        s.read_to_end(&mut got).unwrap();
        s.write_all(b"back\n").unwrap();
        got
    });
    run("nc", &["127.0.0.1", &port.to_string()])
        .stdin("to server\n")
        .ok("back\n");
    assert_eq!(t.join().unwrap(), b"to server\n");
}

// ---------------------------------------------------------------- wget

/// A tiny HTTP server: serves `n` connections on a thread; returns its
/// port and the requests it saw.
fn http_server(n: usize) -> (u16, std::thread::JoinHandle<Vec<String>>) {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    let t = std::thread::spawn(move || {
        let mut seen = Vec::new();
        for _ in 0..n {
            let (s, _) = l.accept().unwrap();
            let mut r = BufReader::new(s.try_clone().unwrap());
            let mut req = String::new();
            loop {
                let mut line = String::new();
                if r.read_line(&mut line).unwrap() == 0 || line == "\r\n" {
                    break;
                }
                req.push_str(&line);
            }
            let len = req
                .lines()
                .find_map(|l| l.strip_prefix("Content-Length: "))
                .map_or(0, |n| n.trim().parse::<usize>().unwrap());
            if len > 0 {
                let mut body = vec![0u8; len];
                r.read_exact(&mut body).unwrap();
                req.push_str("\r\n");
                req.push_str(std::str::from_utf8(&body).unwrap());
            }
            respond(s, &req, port);
            seen.push(req);
        }
        seen
    });
    (port, t)
}

fn respond(mut s: TcpStream, req: &str, port: u16) {
    let path = req.split(' ').nth(1).unwrap_or("");
    // A proxy request names the whole URL.
    let path = match path.strip_prefix("http://") {
        Some(p) => &p[p.find('/').unwrap_or(p.len())..],
        None => path,
    };
    let range = req
        .lines()
        .find_map(|l| l.strip_prefix("Range: bytes="))
        .map(|r| r.trim_end_matches('-').parse::<usize>().unwrap());
    let body = "0123456789abcdef";
    let resp = match path {
        "/file.txt" | "/" | "/dir/" => format!(
            "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nContent-Type: text/plain\r\n\r\n{body}",
            body.len()
        ),
        "/resume" => match range {
            Some(n) => format!(
                "HTTP/1.1 206 Partial Content\r\nContent-Length: {}\r\n\r\n{}",
                body.len() - n,
                &body[n..]
            ),
            None => format!("HTTP/1.1 200 OK\r\nContent-Length: 16\r\n\r\n{body}"),
        },
        "/done" => "HTTP/1.1 416 Range Not Satisfiable\r\nContent-Length: 0\r\n\r\n".into(),
        "/chunked" => "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n\
                       5\r\nhello\r\n7;ext=1\r\n, world\r\n1\r\n\n\r\n0\r\nX-Trailer: 1\r\n\r\n"
            .into(),
        "/eof" => {
            "HTTP/1.1 100 Continue\r\nX-A: b\r\n\r\nHTTP/1.0 200 OK\r\n\r\nuntil the end\n".into()
        }
        "/short" => "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly this".into(),
        "/redir" => {
            "HTTP/1.1 302 Found\r\nLocation: /dir/target\r\nContent-Length: 0\r\n\r\n".into()
        }
        "/dir/target" => {
            format!("HTTP/1.1 301 Moved\r\nLocation: http://127.0.0.1:{port}/file.txt\r\n\r\n")
        }
        "/loop" => "HTTP/1.1 307 Again\r\nLocation: loop\r\n\r\n".into(),
        "/echo" => format!(
            "HTTP/1.1 200 OK\r\nContent-Length: {}\r\n\r\n{req}",
            req.len()
        ),
        _ => "HTTP/1.1 404 Not Found\r\nContent-Length: 9\r\n\r\nnot found".into(),
    };
    let _ = s.write_all(resp.as_bytes());
}

#[test]
fn wget_to_file_and_stdout() {
    let (port, t) = http_server(4);
    let d = Dir::new();
    let base = format!("http://127.0.0.1:{port}");
    d.run("wget", &[&format!("{base}/file.txt")]).go().expect(
        0,
        b"",
        format!(
            "Connecting to 127.0.0.1:{port} (127.0.0.1:{port})\nsaving to 'file.txt'\n'file.txt' saved\n"
        )
        .as_bytes(),
    );
    assert_eq!(d.read("file.txt"), b"0123456789abcdef");
    d.run("wget", &["-q", "-O", "-", &format!("{base}/file.txt")])
        .ok("0123456789abcdef");
    d.run("wget", &["-q", "-O", "out", &format!("{base}/")])
        .ok("");
    assert_eq!(d.read("out"), b"0123456789abcdef");
    d.mkdir("sub");
    d.run("wget", &["-q", "-P", "sub", &format!("{base}/dir/")])
        .ok("");
    assert_eq!(d.read("sub/index.html"), b"0123456789abcdef");
    let reqs = t.join().unwrap();
    assert_eq!(
        reqs[0],
        format!(
            "GET /file.txt HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUser-Agent: Wget\r\nConnection: close\r\n"
        )
    );
}

#[test]
fn wget_chunked_eof_redirects() {
    let (port, t) = http_server(6);
    let base = format!("http://127.0.0.1:{port}");
    run("wget", &["-q", "-O", "-", &format!("{base}/chunked")]).ok("hello, world\n");
    // An interim 100 response first; then no length: the body ends at EOF.
    run("wget", &["-qSO-", &format!("{base}/eof")]).go().expect(
        0,
        b"until the end\n",
        b"  HTTP/1.1 100 Continue\n  X-A: b\n  HTTP/1.0 200 OK\n",
    );
    // 302 (relative) then 301 (absolute) then the file.
    run("wget", &["-q", "-O", "-", &format!("{base}/redir")]).ok("0123456789abcdef");
    // What did arrive is kept.
    run("wget", &["-q", "-O", "-", &format!("{base}/short")])
        .go()
        .expect(1, b"only this", b"wget: connection closed prematurely\n");
    t.join().unwrap();
}

#[test]
fn wget_redirect_limit() {
    let (port, t) = http_server(21);
    run(
        "wget",
        &["-q", "-O", "-", &format!("http://127.0.0.1:{port}/loop")],
    )
    .fails(1, "wget: too many redirections\n");
    t.join().unwrap();
}

#[test]
fn wget_errors_and_spider() {
    let (port, t) = http_server(3);
    let base = format!("http://127.0.0.1:{port}");
    let d = Dir::new();
    d.run("wget", &["-q", &format!("{base}/missing")])
        .fails(1, "wget: server returned error: HTTP/1.1 404 Not Found\n");
    assert!(!d.exists("missing"));
    d.run("wget", &["-q", "--spider", &format!("{base}/file.txt")])
        .ok("");
    d.run("wget", &["--spider", &format!("{base}/nope")])
        .go()
        .expect(
            1,
            b"",
            format!(
                "Connecting to 127.0.0.1:{port} (127.0.0.1:{port})\n\
             wget: server returned error: HTTP/1.1 404 Not Found\n"
            )
            .as_bytes(),
        );
    assert!(!d.exists("file.txt"));
    t.join().unwrap();
    run("wget", &["https://example.com/"])
        .fails(1, "wget: https is not supported: https://example.com/\n");
    run("wget", &["ftp://example.com/"]).fails(1, "wget: not an http url: ftp://example.com/\n");
    run("wget", &["http://127.0.0.1:abc/"]).fails(1, "wget: bad port 'abc'\n");
    run("wget", &[]).fails(
        1,
        "wget: missing operand\nUsage: wget [-cqS] [--spider] [-O FILE] [-P DIR] [-T SEC] [--header STR] [--post-data STR] [-U AGENT] [-Y on/off] URL...\n",
    );
    run("wget", &["-T", "x", "http://h/"]).fails(1, "wget: invalid number 'x'\n");
    let free = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    run("wget", &["-q", &format!("http://127.0.0.1:{free}/")]).fails(
        1,
        "wget: can't connect to remote host (127.0.0.1): Connection refused\n",
    );
    let d = Dir::new();
    let (port, t) = http_server(1);
    d.run(
        "wget",
        &[
            "-q",
            "-O",
            "no/such/dir",
            &format!("http://127.0.0.1:{port}/file.txt"),
        ],
    )
    .fails(
        1,
        "wget: can't open 'no/such/dir': No such file or directory\n",
    );
    t.join().unwrap();
    if let Some(o) = netns("wget_bad_host", "wget -q http://nosuch.invalid/") {
        o.expect(1, b"", b"wget: bad address 'nosuch.invalid'\n");
    }
}

#[test]
fn wget_continue_headers_agent() {
    let (port, t) = http_server(5);
    let base = format!("http://127.0.0.1:{port}");
    let d = Dir::new();
    d.write("resume", "0123456");
    d.run("wget", &["-c", "-q", &format!("{base}/resume")])
        .ok("");
    assert_eq!(d.read("resume"), b"0123456789abcdef");
    d.write("done", "complete");
    d.run("wget", &["-c", "-q", &format!("{base}/done")]).ok("");
    assert_eq!(d.read("done"), b"complete");
    // Without -c the file is replaced.
    d.run("wget", &["-q", &format!("{base}/resume")]).ok("");
    assert_eq!(d.read("resume"), b"0123456789abcdef");
    let o = d
        .run(
            "wget",
            &[
                "-q",
                "-O",
                "-",
                "--header",
                "X-Test: yes",
                "-U",
                "agent/1",
                &format!("{base}/echo"),
            ],
        )
        .go();
    assert_eq!(o.code, 0);
    assert_eq!(
        o.out(),
        format!(
            "GET /echo HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUser-Agent: agent/1\r\nConnection: close\r\nX-Test: yes\r\n"
        )
    );
    d.run("wget", &["-O", "-", &format!("{base}/file.txt")]).go().expect(
        0,
        b"0123456789abcdef",
        format!(
            "Connecting to 127.0.0.1:{port} (127.0.0.1:{port})\nwriting to stdout\nwritten to stdout\n"
        )
        .as_bytes(),
    );
    let reqs = t.join().unwrap();
    assert!(reqs[0].contains("Range: bytes=7-\r\n"), "{}", reqs[0]);
    assert!(reqs[1].contains("Range: bytes=8-\r\n"), "{}", reqs[1]);
    assert!(!reqs[2].contains("Range"), "{}", reqs[2]);
}

// ---------------------------------------------------------------- nslookup

fn dns_name(q: &[u8], mut at: usize) -> (String, usize) {
    let mut n = String::new();
    while q[at] != 0 {
        let l = q[at] as usize;
        if !n.is_empty() {
            n.push('.');
        }
        n.push_str(std::str::from_utf8(&q[at + 1..at + 1 + l]).unwrap());
        at += 1 + l;
    }
    (n, at + 1)
}

fn enc(name: &str) -> Vec<u8> {
    let mut v = Vec::new();
    for l in name.split('.') {
        v.push(l.len() as u8);
        v.extend_from_slice(l.as_bytes());
    }
    v.push(0);
    v
}

/// The canned answer for a query; `tcp` answers in full what UDP truncates.
fn dns_answer(q: &[u8], tcp: bool) -> Vec<u8> {
    let (name, end) = dns_name(q, 12);
    let qtype = u16::from_be_bytes([q[end], q[end + 1]]);
    let mut answers: Vec<(u16, Vec<u8>)> = Vec::new();
    let mut rcode = 0;
    let mut tc = false;
    match (name.as_str(), qtype) {
        (n, _) if n.starts_with("nx") => rcode = 3,
        ("big.test", 1) if !tcp => tc = true,
        ("big.test", 1) => {
            for i in 1..=3 {
                answers.push((1, vec![10, 0, 0, i]));
            }
        }
        ("host.test", 1) | ("short.test.example", 1) => answers.push((1, vec![192, 0, 2, 1])),
        ("host.test", 28) => {
            let mut a = vec![0x20, 1, 0x0d, 0xb8];
            a.extend_from_slice(&[0; 11]);
            a.push(1);
            answers.push((28, a));
        }
        ("host.test", 15) => {
            let mut d = vec![0, 10];
            d.extend(enc("mail.test"));
            answers.push((15, d));
        }
        ("host.test", 16) => answers.push((16, b"\x05hello\x05world".to_vec())),
        ("host.test", 2) => answers.push((2, enc("ns1.test"))),
        ("host.test", 5) => answers.push((5, enc("real.test"))),
        ("host.test", 6) => {
            let mut d = enc("ns1.test");
            d.extend(enc("admin.test"));
            for v in [7u32, 3600, 600, 86400, 60] {
                d.extend_from_slice(&v.to_be_bytes());
            }
            answers.push((6, d));
        }
        ("4.3.2.1.in-addr.arpa", 12) => answers.push((12, enc("one.test"))),
        ("localhost", 1) => answers.push((1, vec![192, 0, 2, 9])),
        _ => {}
    }
    let mut r = q[..2].to_vec();
    r.push(0x81 | if tc { 2 } else { 0 });
    r.push(0x80 | rcode);
    r.extend_from_slice(&[0, 1, 0, answers.len() as u8, 0, 0, 0, 0]);
    r.extend_from_slice(&q[12..end + 4]);
    for (t, d) in answers {
        r.extend_from_slice(&[0xc0, 12]);
        r.extend_from_slice(&t.to_be_bytes());
        r.extend_from_slice(&[0, 1, 0, 0, 0x0e, 0x10]);
        r.extend_from_slice(&(d.len() as u16).to_be_bytes());
        r.extend(d);
    }
    r
}

/// A DNS server on 127.0.0.1 (UDP and TCP on the same port), answering
/// forever on background threads.
fn dns_server() -> u16 {
    let (udp, tcp) = loop {
        let u = UdpSocket::bind("127.0.0.1:0").unwrap();
        let port = u.local_addr().unwrap().port();
        if let Ok(t) = TcpListener::bind(("127.0.0.1", port)) {
            break (u, t);
        }
    };
    let port = udp.local_addr().unwrap().port();
    std::thread::spawn(move || {
        let mut buf = [0u8; 512];
        loop {
            let (n, from) = udp.recv_from(&mut buf).unwrap();
            let _ = udp.send_to(&dns_answer(&buf[..n], false), from);
        }
    });
    std::thread::spawn(move || {
        for s in tcp.incoming() {
            let mut s = s.unwrap();
            let mut len = [0u8; 2];
            s.read_exact(&mut len).unwrap();
            let mut q = vec![0u8; u16::from_be_bytes(len) as usize];
            s.read_exact(&mut q).unwrap();
            let a = dns_answer(&q, true);
            let _ = s.write_all(&(a.len() as u16).to_be_bytes());
            let _ = s.write_all(&a);
        }
    });
    port
}

fn header(port: u16) -> String {
    format!("Server:\t\t127.0.0.1\nAddress:\t127.0.0.1:{port}\n\n")
}

#[test]
fn nslookup_default_and_types() {
    let port = dns_server();
    let p = format!("-port={port}");
    let h = header(port);
    run("nslookup", &[&p, "host.test", "127.0.0.1"]).ok(format!(
        "{h}Non-authoritative answer:\nName:\thost.test\nAddress: 192.0.2.1\n\n\
         Non-authoritative answer:\nName:\thost.test\nAddress: 2001:db8::1\n\n"
    ));
    let cases = [
        ("-type=a", "Name:\thost.test\nAddress: 192.0.2.1\n"),
        ("-query=AAAA", "Name:\thost.test\nAddress: 2001:db8::1\n"),
        ("-type=mx", "host.test\tmail exchanger = 10 mail.test\n"),
        ("-type=txt", "host.test\ttext = \"hello\" \"world\"\n"),
        ("-type=ns", "host.test\tnameserver = ns1.test\n"),
        ("-type=cname", "host.test\tcanonical name = real.test\n"),
        (
            "-type=soa",
            "host.test\n\torigin = ns1.test\n\tmail addr = admin.test\n\tserial = 7\n\
             \trefresh = 3600\n\tretry = 600\n\texpire = 86400\n\tminimum = 60\n",
        ),
    ];
    for (opt, want) in cases {
        run("nslookup", &[opt, &p, "host.test", "127.0.0.1"])
            .ok(format!("{h}Non-authoritative answer:\n{want}\n"));
    }
    // Server given as ADDR#PORT; reverse lookup of an address.
    run("nslookup", &["1.2.3.4", &format!("127.0.0.1#{port}")]).ok(format!(
        "{h}Non-authoritative answer:\n4.3.2.1.in-addr.arpa\tname = one.test\n\n"
    ));
    // The server is asked even for names /etc/hosts knows.
    run("nslookup", &["-type=a", &p, "localhost", "127.0.0.1"]).ok(format!(
        "{h}Non-authoritative answer:\nName:\tlocalhost\nAddress: 192.0.2.9\n\n"
    ));
    run("nslookup", &["-type=mx", &p, "1.2.3.4", "127.0.0.1"])
        .ok(format!("{h}*** Can't find 1.2.3.4: No answer\n\n"));
}

#[test]
fn nslookup_nxdomain_and_tcp_fallback() {
    let port = dns_server();
    let p = format!("-port={port}");
    let h = header(port);
    run("nslookup", &[&p, "nxhost.test", "127.0.0.1"]).go().expect(
        1,
        format!(
            "{h}** server can't find nxhost.test: NXDOMAIN\n\n** server can't find nxhost.test: NXDOMAIN\n\n"
        )
        .as_bytes(),
        b"",
    );
    run("nslookup", &["-type=a", &p, "big.test", "127.0.0.1"]).ok(format!(
        "{h}Non-authoritative answer:\nName:\tbig.test\nAddress: 10.0.0.1\n\
         Name:\tbig.test\nAddress: 10.0.0.2\nName:\tbig.test\nAddress: 10.0.0.3\n\n"
    ));
}

#[test]
fn nslookup_errors() {
    let usage = "Usage: nslookup [-type=QUERY_TYPE] [-port=PORT] [-debug] HOST [DNS_SERVER]\n";
    run("nslookup", &[]).fails(1, format!("nslookup: missing operand\n{usage}"));
    run("nslookup", &["-type=bogus", "x"]).fails(1, "nslookup: invalid query type 'bogus'\n");
    run("nslookup", &["-zap", "x"])
        .fails(1, format!("nslookup: unrecognized option '-zap'\n{usage}"));
    run("nslookup", &["-port=x", "x"]).fails(1, "nslookup: invalid number '-port=x'\n");
    run("nslookup", &["a", "b", "c"]).fails(1, format!("nslookup: too many operands\n{usage}"));
    // Nobody answers on a closed port: refused.
    let free = UdpSocket::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    run(
        "nslookup",
        &[&format!("-port={free}"), "x.test", "127.0.0.1"],
    )
    .go()
    .expect(
        1,
        format!(
            "{};; connection timed out; no servers could be reached\n\n",
            header(free)
        )
        .as_bytes(),
        b"nslookup: 127.0.0.1: Connection refused\n",
    );
}

#[test]
fn nslookup_search_domains() {
    let port = dns_server();
    let d = Dir::new();
    // The search list comes from /etc/resolv.conf, which the test cannot
    // replace; check it in a mount namespace when root.
    if !is_root() {
        eprintln!("SKIPPED nslookup_search_domains: needs root");
        return;
    }
    d.write(
        "resolv.conf",
        "nameserver 127.0.0.1\nsearch test.example\noptions ndots:1\n",
    );
    let o = d
        .sh(&format!(
            "exec unshare --mount sh -c 'mount --bind resolv.conf /etc/resolv.conf || exit 99; \
             $B/nslookup -type=a -port={port} short'"
        ))
        .go();
    if o.code == 99 {
        eprintln!("SKIPPED nslookup_search_domains: cannot bind-mount /etc/resolv.conf");
        return;
    }
    o.expect(
        0,
        format!(
            "{}Non-authoritative answer:\nName:\tshort.test.example\nAddress: 192.0.2.1\n\n",
            header(port)
        )
        .as_bytes(),
        b"",
    );
}

// ---------------------------------------------------------------- netstat

#[test]
fn netstat_shows_listeners() {
    let script = format!(
        "{WAIT_LISTEN}nc -l -p 5555 -q 0 </dev/null >/dev/null & waitl 5555\n\
         netstat -tln; netstat -tn; netstat -tlnp | grep -c '[0-9]/nc$'\n\
         nc -z 127.0.0.1 5555; wait\n\
         netstat -rn; netstat -r"
    );
    let Some(o) = netns("netstat_shows_listeners", &script) else {
        return;
    };
    let hdr = "Proto Recv-Q Send-Q Local Address           Foreign Address         State       \n";
    let rt = "Kernel IP routing table\n\
              Destination     Gateway         Genmask         Flags   MSS Window  irtt Iface\n";
    o.expect(
        0,
        format!(
            "Active Internet connections (only servers)\n{hdr}\
             tcp        0      0 0.0.0.0:5555            0.0.0.0:*               LISTEN      \n\
             Active Internet connections (w/o servers)\n{hdr}\
             1\n{rt}{rt}"
        )
        .as_bytes(),
        b"",
    );
}

#[test]
fn netstat_unix_and_errors() {
    let d = Dir::new();
    let sock = d.p("sock");
    let _l = std::os::unix::net::UnixListener::bind(&sock).unwrap();
    let o = run("netstat", &["-xl"]).go();
    assert_eq!(o.code, 0);
    let out = o.out();
    assert!(out.starts_with(
        "Active UNIX domain sockets (only servers)\n\
         Proto RefCnt Flags       Type       State         I-Node Path\n"
    ));
    let line = out
        .lines()
        .find(|l| l.ends_with(sock.to_str().unwrap()))
        .unwrap_or_else(|| panic!("{out}"));
    assert!(
        line.starts_with("unix  2      [ ACC ]     STREAM     LISTENING     "),
        "{line}"
    );
    run("netstat", &["-Q"]).fails(
        1,
        "netstat: invalid option -- 'Q'\nUsage: netstat [-ral] [-tuwx] [-np]\n",
    );
    run("netstat", &["x"]).fails(
        1,
        "netstat: extra operand 'x'\nUsage: netstat [-ral] [-tuwx] [-np]\n",
    );
}

// ---------------------------------------------------------------- arp

#[test]
fn arp_set_show_delete() {
    let script = "/bin/ip link add v0 type veth peer name v1 || exit 99\n\
                  /bin/ip addr add 10.1.2.3/24 dev v0; /bin/ip link set v0 up; /bin/ip link set v1 up\n\
                  arp -an; echo rc=$?\n\
                  arp -s 10.1.2.20 00:aa:bb:cc:dd:ee; echo rc=$?\n\
                  arp -an; arp -a -i v0 10.1.2.20; arp -n -i v1\n\
                  arp -d 10.1.2.20; echo rc=$?; arp -an\n\
                  arp -d 10.1.2.99; echo rc=$?\n\
                  arp -s 10.1.2.21 zz; echo rc=$?";
    let Some(o) = netns("arp_set_show_delete", script) else {
        return;
    };
    o.expect(
        0,
        b"rc=0\nrc=0\n\
          ? (10.1.2.20) at 00:aa:bb:cc:dd:ee [ether] PERM on v0\n\
          ? (10.1.2.20) at 00:aa:bb:cc:dd:ee [ether] PERM on v0\n\
          No match found in 1 entries\n\
          rc=0\nrc=1\nrc=1\n",
        b"arp: SIOCDARP: No such device or address\narp: invalid hardware address\n",
    );
}

#[test]
fn arp_errors() {
    run("arp", &["-H", "tr"]).fails(1, "arp: unknown hardware type 'tr'\n");
    run("arp", &["-s"]).fails(1, "arp: missing operand\nUsage: arp\n");
}

#[test]
fn wget_proxy_auth_post() {
    let (port, t) = http_server(4);
    let proxy = format!("127.0.0.1:{port}");
    // Through the proxy (the test server answers as one) with credentials.
    run(
        "wget",
        &["-q", "-O", "-", "http://user:pw@example.test/echo"],
    )
    .env("http_proxy", &proxy)
    .ok(
        "GET http://example.test/echo HTTP/1.1\r\nHost: example.test\r\nUser-Agent: Wget\r\n\
         Connection: close\r\nAuthorization: Basic dXNlcjpwdw==\r\n",
    );
    // no_proxy and -Y off go direct.
    let direct = format!("http://127.0.0.1:{port}/echo");
    let want = format!(
        "GET /echo HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUser-Agent: Wget\r\nConnection: close\r\n"
    );
    run("wget", &["-q", "-O", "-", &direct])
        .env("http_proxy", "http://127.0.0.1:1")
        .env("no_proxy", "localhost,127.0.0.1")
        .ok(&want);
    run("wget", &["-q", "-Y", "off", "-O", "-", &direct])
        .env("http_proxy", "127.0.0.1:1")
        .ok(&want);
    run(
        "wget",
        &["-q", "-O", "-", "--post-data", "a=1&b=2", &direct],
    )
    .ok(format!(
        "POST /echo HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUser-Agent: Wget\r\nConnection: close\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 7\r\n\r\na=1&b=2"
    ));
    let reqs = t.join().unwrap();
    assert!(
        reqs[3].ends_with("Content-Length: 7\r\n\r\na=1&b=2"),
        "{}",
        reqs[3]
    );
}
