//! Internet addresses as text: IPv4 dotted quads, IPv6 with RFC 5952
//! compression, prefixes and netmasks, and MAC addresses.

use crate::put::Put;

/// Parse a dotted quad `a.b.c.d` (each part 0..=255, decimal).
pub fn parse_v4(s: &[u8]) -> Option<[u8; 4]> {
    let mut out = [0u8; 4];
    let mut n = 0;
    for part in s.split(|&b| b == b'.') {
        if n == 4 || part.is_empty() || part.len() > 3 || !part.iter().all(u8::is_ascii_digit) {
            return None;
        }
        let v = part.iter().fold(0u32, |a, &d| a * 10 + u32::from(d - b'0'));
        out[n] = u8::try_from(v).ok()?;
        n += 1;
    }
    (n == 4).then_some(out)
}

/// Parse an IPv4 network the way iproute2 does: 1 to 4 parts (`10`, `10.1`),
/// missing parts zero.
pub fn parse_v4_loose(s: &[u8]) -> Option<[u8; 4]> {
    let mut out = [0u8; 4];
    for (n, part) in s.split(|&b| b == b'.').enumerate() {
        if n == 4 || part.is_empty() || part.len() > 3 || !part.iter().all(u8::is_ascii_digit) {
            return None;
        }
        let v = part.iter().fold(0u32, |a, &d| a * 10 + u32::from(d - b'0'));
        out[n] = u8::try_from(v).ok()?;
    }
    Some(out)
}

fn hexval(b: u8) -> Option<u16> {
    (b as char).to_digit(16).map(|d| d as u16)
}

/// Parse an IPv6 address (with `::` and an optional trailing dotted quad).
pub fn parse_v6(s: &[u8]) -> Option<[u8; 16]> {
    let mut head: Vec<u16> = Vec::new();
    let mut tail: Vec<u16> = Vec::new();
    let mut gap = false;
    let (first, rest) = match find2(s, b"::") {
        Some(i) => {
            gap = true;
            (&s[..i], Some(&s[i + 2..]))
        }
        None => (s, None),
    };
    let groups = |part: &[u8], v: &mut Vec<u16>, last_may_v4: bool| -> Option<()> {
        if part.is_empty() {
            return Some(());
        }
        let pieces: Vec<&[u8]> = part.split(|&b| b == b':').collect();
        let count = pieces.len();
        for (i, p) in pieces.into_iter().enumerate() {
            if last_may_v4 && i + 1 == count && p.contains(&b'.') {
                let a = parse_v4(p)?;
                v.push(u16::from_be_bytes([a[0], a[1]]));
                v.push(u16::from_be_bytes([a[2], a[3]]));
                continue;
            }
            if p.is_empty() || p.len() > 4 {
                return None;
            }
            let mut x = 0u16;
            for &b in p {
                x = (x << 4) | hexval(b)?;
            }
            v.push(x);
        }
        Some(())
    };
    groups(first, &mut head, rest.is_none())?;
    if let Some(r) = rest {
        if find2(r, b"::").is_some() {
            return None;
        }
        groups(r, &mut tail, true)?;
    }
    let total = head.len() + tail.len();
    if (gap && total > 7) || (!gap && total != 8) {
        return None;
    }
    let mut w = [0u16; 8];
    w[..head.len()].copy_from_slice(&head);
    w[8 - tail.len()..].copy_from_slice(&tail);
    let mut out = [0u8; 16];
    for (i, x) in w.iter().enumerate() {
        out[2 * i..2 * i + 2].copy_from_slice(&x.to_be_bytes());
    }
    Some(out)
}

fn find2(s: &[u8], pat: &[u8; 2]) -> Option<usize> {
    s.windows(2).position(|w| w == pat)
}

/// Append an IPv4 address.
pub fn put_v4(t: &mut Vec<u8>, a: [u8; 4]) {
    for (i, b) in a.into_iter().enumerate() {
        if i > 0 {
            t.push(b'.');
        }
        t.u(u64::from(b));
    }
}

/// The Destination, Gateway and Genmask columns of a kernel IPv4 route as
/// `route` and `netstat -r` print them (`default` and `*` unless numeric).
pub fn put_route_v4(t: &mut Vec<u8>, dst: [u8; 4], gw: [u8; 4], mask: [u8; 4], numeric: bool) {
    if !numeric && dst == [0; 4] {
        t.s("default");
    } else {
        put_v4(t, dst);
    }
    t.pad(0, 15).c(b' ');
    if !numeric && gw == [0; 4] {
        t.s("*");
    } else {
        put_v4(t, gw);
    }
    t.pad(16, 15).c(b' ');
    put_v4(t, mask);
    t.pad(32, 16);
}

/// Append an IPv6 address per RFC 5952 (longest run of two or more zero
/// groups as `::`, lower-case hex, IPv4-mapped addresses dotted).
pub fn put_v6(t: &mut Vec<u8>, a: [u8; 16]) {
    let mut w = [0u16; 8];
    for (i, x) in w.iter_mut().enumerate() {
        *x = u16::from_be_bytes([a[2 * i], a[2 * i + 1]]);
    }
    if w[..5] == [0; 5] && w[5] == 0xffff {
        t.s("::ffff:");
        return put_v4(t, [a[12], a[13], a[14], a[15]]);
    }
    let (mut best, mut best_len) = (8, 0);
    let mut i = 0;
    while i < 8 {
        if w[i] == 0 {
            let start = i;
            while i < 8 && w[i] == 0 {
                i += 1;
            }
            if i - start > best_len {
                best = start;
                best_len = i - start;
            }
        } else {
            i += 1;
        }
    }
    if best_len < 2 {
        best = 8;
    }
    let mut i = 0;
    while i < 8 {
        if i == best {
            t.s("::");
            i += best_len;
            continue;
        }
        if i > 0 && i != best + best_len {
            t.push(b':');
        }
        t.hex(u64::from(w[i]), 0);
        i += 1;
    }
}

/// Append an address of 4 or 16 bytes; other lengths as hex bytes.
pub fn put_addr(t: &mut Vec<u8>, a: &[u8]) {
    if let Ok(v4) = <[u8; 4]>::try_from(a) {
        put_v4(t, v4)
    } else if let Ok(v6) = <[u8; 16]>::try_from(a) {
        put_v6(t, v6)
    } else {
        put_mac(t, a)
    }
}

/// Append a hardware address as lower-case hex bytes joined by ':'.
pub fn put_mac(t: &mut Vec<u8>, a: &[u8]) {
    for (i, &b) in a.iter().enumerate() {
        if i > 0 {
            t.push(b':');
        }
        t.hex(u64::from(b), 2);
    }
}

/// Append a `std::net` address (as its Display would, without core::fmt).
pub fn put_ip(t: &mut Vec<u8>, ip: std::net::IpAddr) {
    match ip {
        std::net::IpAddr::V4(a) => put_v4(t, a.octets()),
        std::net::IpAddr::V6(a) => put_v6(t, a.octets()),
    }
}

/// A whole hex number (1 to 16 digits, either case), as in /proc files.
pub fn hex(s: &[u8]) -> Option<u64> {
    if s.is_empty() || s.len() > 16 {
        return None;
    }
    s.iter()
        .try_fold(0u64, |n, &b| Some(n << 4 | u64::from(hexval(b)?)))
}

/// A `std::net` address as text.
pub fn ip_text(ip: std::net::IpAddr) -> Vec<u8> {
    let mut t = Vec::new();
    put_ip(&mut t, ip);
    t
}

fn text(f: impl FnOnce(&mut Vec<u8>)) -> String {
    let mut t = Vec::new();
    f(&mut t);
    String::from_utf8(t).unwrap_or_default()
}

/// Format an IPv4 address.
pub fn fmt_v4(a: [u8; 4]) -> String {
    text(|t| put_v4(t, a))
}

/// Format an IPv6 address (see [`put_v6`]).
pub fn fmt_v6(a: [u8; 16]) -> String {
    text(|t| put_v6(t, a))
}

/// Format an address of 4 or 16 bytes; other lengths as hex bytes.
pub fn fmt_addr(a: &[u8]) -> String {
    text(|t| put_addr(t, a))
}

/// Format a hardware address as lower-case hex bytes joined by ':'.
pub fn fmt_mac(a: &[u8]) -> String {
    text(|t| put_mac(t, a))
}

/// The netmask of a prefix length (0..=32).
pub fn mask_v4(prefix: u32) -> [u8; 4] {
    let m = if prefix == 0 {
        0
    } else {
        u32::MAX << (32 - prefix.min(32))
    };
    m.to_be_bytes()
}

/// The prefix length of a contiguous netmask, None if not contiguous.
pub fn mask_prefix(m: [u8; 4]) -> Option<u32> {
    let v = u32::from_be_bytes(m);
    let ones = v.leading_ones();
    (v.checked_shl(ones).unwrap_or(0) == 0).then_some(ones)
}

/// Parse `xx:xx:xx:xx:xx:xx` (1 or 2 hex digits per byte, any count 1..=32).
pub fn parse_mac(s: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    for part in s.split(|&b| b == b':') {
        if part.is_empty() || part.len() > 2 {
            return None;
        }
        let mut x = 0u16;
        for &b in part {
            x = (x << 4) | hexval(b)?;
        }
        out.push(x as u8);
    }
    (out.len() <= 32).then_some(out)
}

/// Parse a prefix length in 0..=max.
pub fn parse_prefix(s: &[u8], max: u32) -> Option<u32> {
    if s.is_empty() || s.len() > 3 || !s.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let v = s.iter().fold(0u32, |a, &d| a * 10 + u32::from(d - b'0'));
    (v <= max).then_some(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn v6_round_trip() {
        for s in [
            "::",
            "::1",
            "2001:db8::1",
            "fe80::1459:71ff:fe4a:e2da",
            "2001:db8:0:1:1:1:1:1",
            "2001:0:0:1::1",
            "1::",
            "::ffff:1.2.3.4",
        ] {
            let a = parse_v6(s.as_bytes()).unwrap();
            assert_eq!(fmt_v6(a), s);
        }
        assert_eq!(
            fmt_v6(parse_v6(b"2001:db8:0:0:1:0:0:1").unwrap()),
            "2001:db8::1:0:0:1"
        );
        assert!(parse_v6(b"1::2::3").is_none());
        assert!(parse_v6(b"1:2:3:4:5:6:7").is_none());
        assert!(parse_v6(b"12345::").is_none());
    }

    #[test]
    fn v4_and_masks() {
        assert_eq!(parse_v4(b"10.0.0.1"), Some([10, 0, 0, 1]));
        assert_eq!(parse_v4(b"10.0.0"), None);
        assert_eq!(parse_v4(b"10.0.0.256"), None);
        assert_eq!(parse_v4_loose(b"10"), Some([10, 0, 0, 0]));
        assert_eq!(mask_v4(24), [255, 255, 255, 0]);
        assert_eq!(mask_v4(0), [0, 0, 0, 0]);
        assert_eq!(mask_prefix([255, 255, 254, 0]), Some(23));
        assert_eq!(mask_prefix([255, 0, 255, 0]), None);
        assert_eq!(mask_prefix([255; 4]), Some(32));
        assert_eq!(parse_mac(b"02:aB:0:1:2:3"), Some(vec![2, 0xab, 0, 1, 2, 3]));
    }
}
