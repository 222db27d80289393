//! Signal names and numbers as kill(1), init and tini spell them: `TERM`,
//! `SIGTERM`, `term`, `15`, `RTMIN+2`, `RTMAX-1`.

use crate::sys;

/// Signals 1..=31 by number (x86-64 Linux), BusyBox's and procps' names.
const NAMES: [&str; 31] = [
    "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL", "USR1", "SEGV", "USR2",
    "PIPE", "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU", "URG",
    "XCPU", "XFSZ", "VTALRM", "PROF", "WINCH", "POLL", "PWR", "SYS",
];

/// Other names users write.
const ALIASES: [(&str, i32); 4] = [("IOT", 6), ("CLD", 17), ("IO", 29), ("UNUSED", 31)];

/// The highest signal number.
pub fn max() -> i32 {
    sys::sigrt_range().1
}

/// The name of signal `sig` without `SIG` (`RTMIN+3` for real-time ones),
/// None for numbers that are no signal.
pub fn name(sig: i32) -> Option<String> {
    let (lo, hi) = sys::sigrt_range();
    if (1..=31).contains(&sig) {
        return NAMES.get(sig as usize - 1).map(|s| s.to_string());
    }
    if sig == lo {
        return Some("RTMIN".into());
    }
    if sig == hi {
        return Some("RTMAX".into());
    }
    if sig > lo && sig < hi {
        let (base, n) = if sig - lo <= (hi - lo) / 2 {
            ("RTMIN+", sig - lo)
        } else {
            ("RTMAX-", hi - sig)
        };
        let mut v = base.as_bytes().to_vec();
        crate::put::Put::i(&mut v, i64::from(n));
        return String::from_utf8(v).ok();
    }
    None
}

/// The number of a signal given by name (with or without `SIG`, any case)
/// or number (0..=max). None when it names no signal.
pub fn number(text: &[u8]) -> Option<i32> {
    if !text.is_empty() && text.iter().all(u8::is_ascii_digit) {
        let n: i32 = std::str::from_utf8(text).ok()?.parse().ok()?;
        return (n <= max()).then_some(n);
    }
    let upper = text.to_ascii_uppercase();
    let n = upper.strip_prefix(b"SIG").unwrap_or(&upper);
    if let Some(i) = NAMES.iter().position(|s| s.as_bytes() == n) {
        return Some(i as i32 + 1);
    }
    if let Some(&(_, v)) = ALIASES.iter().find(|(s, _)| s.as_bytes() == n) {
        return Some(v);
    }
    let (lo, hi) = sys::sigrt_range();
    let offset = |rest: &[u8]| -> Option<i32> {
        if rest.is_empty() || rest.len() > 3 || !rest.iter().all(u8::is_ascii_digit) {
            return None;
        }
        std::str::from_utf8(rest).ok()?.parse().ok()
    };
    let sig = if n == b"RTMIN" {
        lo
    } else if n == b"RTMAX" {
        hi
    } else if let Some(rest) = n.strip_prefix(b"RTMIN+") {
        lo + offset(rest)?
    } else if let Some(rest) = n.strip_prefix(b"RTMAX-") {
        hi - offset(rest)?
    } else {
        return None;
    };
    (lo..=hi).contains(&sig).then_some(sig)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_numbers() {
        assert_eq!(number(b"TERM"), Some(15));
        assert_eq!(number(b"sigterm"), Some(15));
        assert_eq!(number(b"SigKill"), Some(9));
        assert_eq!(number(b"0"), Some(0));
        assert_eq!(number(b"64"), Some(64));
        assert_eq!(number(b"65"), None);
        assert_eq!(number(b"IO"), Some(29));
        assert_eq!(number(b"POLL"), Some(29));
        assert_eq!(number(b"FOO"), None);
        assert_eq!(number(b""), None);
        assert_eq!(number(b"SIG"), None);
        assert_eq!(number(b"-9"), None);
        let (lo, hi) = sys::sigrt_range();
        assert_eq!(number(b"RTMIN"), Some(lo));
        assert_eq!(number(b"RTMIN+2"), Some(lo + 2));
        assert_eq!(number(b"RTMAX-1"), Some(hi - 1));
        assert_eq!(number(b"RTMAX+1"), None);
        assert_eq!(number(b"RTMIN+99"), None);
        assert_eq!(name(15).as_deref(), Some("TERM"));
        assert_eq!(name(29).as_deref(), Some("POLL"));
        assert_eq!(name(0), None);
        assert_eq!(name(32), None);
        assert_eq!(name(lo).as_deref(), Some("RTMIN"));
        assert_eq!(name(lo + 1).as_deref(), Some("RTMIN+1"));
        assert_eq!(name(hi - 1).as_deref(), Some("RTMAX-1"));
        assert_eq!(name(hi).as_deref(), Some("RTMAX"));
        for s in 1..=hi {
            if let Some(n) = name(s) {
                assert_eq!(number(n.as_bytes()), Some(s), "{n}");
            }
        }
    }
}
