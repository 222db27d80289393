//! Floating point to and from decimal text through the C library (strtod,
//! snprintf): both exact and correctly rounded, as core's are, and already
//! in the binary, where core's parser and formatters cost ~25 KB more.

/// `text` as an f64 when all of it is a number strtod accepts (decimal or
/// hexadecimal, exponent, inf, nan); no leading or trailing blanks.
pub fn parse_f64(text: &[u8]) -> Option<f64> {
    if text.first().is_none_or(u8::is_ascii_whitespace) || text.contains(&0) {
        return None;
    }
    let mut c = Vec::with_capacity(text.len() + 1);
    c.extend_from_slice(text);
    c.push(0);
    let start = c.as_ptr().cast::<libc::c_char>();
    let mut end: *mut libc::c_char = std::ptr::null_mut();
    // SAFETY: `c` is NUL-terminated; strtod reads up to the NUL and sets
    // `end` inside it.
    let v = unsafe { libc::strtod(start, &mut end) };
    let used = (end as usize).wrapping_sub(start as usize);
    (used == text.len()).then_some(v)
}

/// `v` as C's `%.PRECe` (conv `e`) or `%.PRECf` (conv `f`) would print it.
pub fn format_c(conv: u8, prec: usize, v: f64) -> Vec<u8> {
    let fmt: &[u8] = if conv == b'f' { b"%.*f\0" } else { b"%.*e\0" };
    let prec = prec.min(1 << 20) as libc::c_int;
    let fmt = fmt.as_ptr().cast::<libc::c_char>();
    // SAFETY: a NULL buffer of size 0 only measures.
    let n = unsafe { libc::snprintf(std::ptr::null_mut(), 0, fmt, prec, v) };
    let Ok(n) = usize::try_from(n) else {
        return Vec::new();
    };
    let mut buf = vec![0u8; n + 1];
    // SAFETY: `buf` holds the n bytes measured above and the NUL.
    unsafe { libc::snprintf(buf.as_mut_ptr().cast(), n + 1, fmt, prec, v) };
    buf.truncate(n);
    buf
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn c_formats() {
        assert_eq!(format_c(b'e', 3, 1234.5678), b"1.235e+03");
        assert_eq!(format_c(b'f', 2, 2.675), b"2.67");
        assert_eq!(format_c(b'f', 0, 0.5), b"0");
        assert_eq!(format_c(b'e', 0, 0.0), b"0e+00");
        assert_eq!(format_c(b'f', 1, 1e20), b"100000000000000000000.0");
    }

    #[test]
    fn whole_text_only() {
        assert_eq!(parse_f64(b"1.5"), Some(1.5));
        assert_eq!(parse_f64(b"-2e3"), Some(-2000.0));
        assert_eq!(parse_f64(b".25"), Some(0.25));
        assert_eq!(parse_f64(b"0x10"), Some(16.0));
        assert_eq!(parse_f64(b"inf"), Some(f64::INFINITY));
        assert!(parse_f64(b"nan").is_some_and(f64::is_nan));
        assert_eq!(parse_f64(b"0.1"), Some(0.1));
        assert_eq!(parse_f64(b"1e400"), Some(f64::INFINITY));
        for bad in [&b""[..], b" 1", b"1 ", b"1x", b"abc", b"1\x002", b"."] {
            assert_eq!(parse_f64(bad), None, "{bad:?}");
        }
    }
}
