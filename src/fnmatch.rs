//! Shell pattern matching (POSIX XCU 2.13): `*`, `?`, bracket expressions
//! with ranges, `!`/`^` negation and `[:class:]`, `[=c=]`, `[.c.]`, and
//! backslash escapes. Used by the shell (case, `${x#pat}`, globbing) and by
//! find. No allocation; `*` backtracks to its last position only, which is
//! enough because `*` matches any run.

#[derive(Clone, Copy, Debug, Default)]
pub struct Flags {
    /// `/` in the string must be matched by a `/` in the pattern.
    pub pathname: bool,
    /// A leading `.` must be matched explicitly (also after `/` with pathname).
    pub period: bool,
    /// Backslash is an ordinary character.
    pub noescape: bool,
    /// Compare letters without regard to case.
    pub casefold: bool,
}

/// Whether `pat` has any unescaped special character (`* ? [`).
pub fn has_magic(pat: &[u8]) -> bool {
    let mut i = 0;
    while i < pat.len() {
        match pat[i] {
            b'\\' => i += 1,
            b'*' | b'?' => return true,
            b'[' if bracket_end(pat, i).is_some() => return true,
            _ => {}
        }
        i += 1;
    }
    false
}

/// Index just past the `]` closing the bracket expression at `pat[start]`.
fn bracket_end(pat: &[u8], start: usize) -> Option<usize> {
    let mut i = start + 1;
    if matches!(pat.get(i), Some(b'!' | b'^')) {
        i += 1;
    }
    if pat.get(i) == Some(&b']') {
        i += 1;
    }
    while i < pat.len() {
        match pat[i] {
            b']' => return Some(i + 1),
            b'[' if matches!(pat.get(i + 1), Some(b':' | b'=' | b'.')) => {
                let kind = pat[i + 1];
                let mut j = i + 2;
                while j + 1 < pat.len() && !(pat[j] == kind && pat[j + 1] == b']') {
                    j += 1;
                }
                if j + 1 >= pat.len() {
                    return None;
                }
                i = j + 2;
                continue;
            }
            b'\\' => i += 1,
            _ => {}
        }
        i += 1;
    }
    None
}

fn class_matches(name: &[u8], c: u8) -> bool {
    match name {
        b"alpha" => c.is_ascii_alphabetic(),
        b"digit" => c.is_ascii_digit(),
        b"alnum" => c.is_ascii_alphanumeric(),
        b"upper" => c.is_ascii_uppercase(),
        b"lower" => c.is_ascii_lowercase(),
        b"space" => matches!(c, b' ' | b'\t' | b'\n' | b'\r' | 11 | 12),
        b"blank" => c == b' ' || c == b'\t',
        b"punct" => c.is_ascii_punctuation(),
        b"print" => (0x20..0x7f).contains(&c),
        b"graph" => (0x21..0x7f).contains(&c),
        b"cntrl" => c < 0x20 || c == 0x7f,
        b"xdigit" => c.is_ascii_hexdigit(),
        _ => false,
    }
}

/// Match `c` against the bracket expression `pat[start..end]` (including
/// the brackets). Returns None if the expression is malformed.
fn bracket_matches(
    pat: &[u8],
    start: usize,
    end: usize,
    c: u8,
    casefold: bool,
    noescape: bool,
) -> bool {
    let mut i = start + 1;
    let negate = matches!(pat.get(i), Some(b'!' | b'^'));
    if negate {
        i += 1;
    }
    let body_end = end - 1;
    let mut matched = false;
    let fold = |x: u8| if casefold { x.to_ascii_lowercase() } else { x };
    let cf = fold(c);
    while i < body_end {
        // One element: a class, an equivalence/collating symbol, or a char.
        let lo: u8;
        if pat[i] == b'[' && matches!(pat.get(i + 1), Some(b':' | b'=' | b'.')) {
            let kind = pat[i + 1];
            let mut j = i + 2;
            while j + 1 < body_end + 1 && !(pat[j] == kind && pat.get(j + 1) == Some(&b']')) {
                j += 1;
            }
            let name = &pat[i + 2..j];
            i = j + 2;
            if kind == b':' {
                if class_matches(name, c)
                    || (casefold
                        && (class_matches(name, c.to_ascii_lowercase())
                            || class_matches(name, c.to_ascii_uppercase())))
                {
                    matched = true;
                }
                continue;
            }
            // [=c=] and [.c.]: a single character in the C locale.
            match name {
                [x] => lo = *x,
                _ => {
                    continue;
                }
            }
        } else if pat[i] == b'\\' && !noescape && i + 1 < body_end {
            lo = pat[i + 1];
            i += 2;
        } else {
            lo = pat[i];
            i += 1;
        }
        // A range lo-hi (a '-' last in the list is literal).
        if i + 1 < body_end && pat[i] == b'-' {
            let mut j = i + 1;
            let hi = if pat[j] == b'\\' && !noescape && j + 1 < body_end {
                j += 1;
                pat[j]
            } else if pat[j] == b'[' && pat.get(j + 1) == Some(&b'.') {
                // [.x.] as a range end
                let k = j + 2;
                let x = pat.get(k).copied().unwrap_or(0);
                j = k + 2;
                x
            } else {
                pat[j]
            };
            i = j + 1;
            if (lo <= c && c <= hi)
                || (casefold && lo <= cf && cf <= hi)
                || (casefold && lo <= c.to_ascii_uppercase() && c.to_ascii_uppercase() <= hi)
            {
                matched = true;
            }
            continue;
        }
        if fold(lo) == cf {
            matched = true;
        }
    }
    matched != negate
}

/// Match the whole of `s` against `pat`.
pub fn fnmatch(pat: &[u8], s: &[u8], flags: Flags) -> bool {
    let period_at = |i: usize| {
        flags.period && s.get(i) == Some(&b'.') && (i == 0 || (flags.pathname && s[i - 1] == b'/'))
    };
    let (mut p, mut i) = (0usize, 0usize);
    // After a mismatch, retry from the last `*` with one more byte eaten:
    // (pattern index after the star, string index it has eaten up to).
    let mut star: Option<(usize, usize)> = None;
    loop {
        let advanced = if p < pat.len() {
            match pat[p] {
                b'*' => {
                    while pat.get(p) == Some(&b'*') {
                        p += 1;
                    }
                    if period_at(i) {
                        // The star matches nothing; the period must be explicit.
                        star = None;
                        continue;
                    }
                    if p == pat.len() {
                        return !flags.pathname || !s[i..].contains(&b'/');
                    }
                    star = Some((p, i));
                    continue;
                }
                b'?' => {
                    let ok = i < s.len() && !(flags.pathname && s[i] == b'/') && !period_at(i);
                    if ok {
                        p += 1;
                        i += 1;
                    }
                    ok
                }
                b'[' if bracket_end(pat, p).is_some() => {
                    let end = bracket_end(pat, p).unwrap_or(p + 1);
                    let ok = i < s.len()
                        && !(flags.pathname && s[i] == b'/')
                        && !period_at(i)
                        && bracket_matches(pat, p, end, s[i], flags.casefold, flags.noescape);
                    if ok {
                        p = end;
                        i += 1;
                    }
                    ok
                }
                c => {
                    let (lit, width) = if c == b'\\' && !flags.noescape && p + 1 < pat.len() {
                        (pat[p + 1], 2)
                    } else {
                        (c, 1)
                    };
                    let ok = i < s.len()
                        && (s[i] == lit || (flags.casefold && s[i].eq_ignore_ascii_case(&lit)));
                    if ok {
                        p += width;
                        i += 1;
                    }
                    ok
                }
            }
        } else {
            if i == s.len() {
                return true;
            }
            false
        };
        if advanced {
            continue;
        }
        match star {
            Some((sp, si)) if si < s.len() && !(flags.pathname && s[si] == b'/') => {
                star = Some((sp, si + 1));
                p = sp;
                i = si + 1;
            }
            _ => return false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(p: &str, s: &str) -> bool {
        fnmatch(p.as_bytes(), s.as_bytes(), Flags::default())
    }

    #[test]
    fn stars_and_questions() {
        assert!(m("*", ""));
        assert!(m("*", "abc"));
        assert!(m("a*", "abc"));
        assert!(m("*c", "abc"));
        assert!(m("a*c", "abbbc"));
        assert!(!m("a*c", "abbbd"));
        assert!(m("a*b*c", "axxbyyc"));
        assert!(m("*a*", "banana"));
        assert!(!m("?", ""));
        assert!(m("??", "ab"));
        assert!(!m("???", "ab"));
        assert!(m("a?c", "abc"));
        assert!(m("**x", "aax"));
        assert!(!m("", "a"));
        assert!(m("", ""));
    }

    #[test]
    fn brackets() {
        assert!(m("[abc]", "b"));
        assert!(!m("[abc]", "d"));
        assert!(m("[!abc]", "d"));
        assert!(m("[^abc]", "d"));
        assert!(m("[a-c]x", "bx"));
        assert!(!m("[a-c]", "-"));
        assert!(m("[a-]", "-"));
        assert!(m("[]a]", "]"));
        assert!(m("[!]a]", "b"));
        assert!(m("[[:digit:]]*", "1abc"));
        assert!(!m("[[:digit:]]", "a"));
        assert!(m("[[:alpha:][:digit:]]", "7"));
        assert!(m("[![:space:]]", "x"));
        assert!(m("[[=a=]]", "a"));
        assert!(m("[[.-.]]", "-"));
        // An unclosed bracket is literal.
        assert!(m("[ab", "[ab"));
        assert!(m("a[", "a["));
    }

    #[test]
    fn escapes() {
        assert!(m("\\*", "*"));
        assert!(!m("\\*", "a"));
        assert!(m("a\\?c", "a?c"));
        assert!(m("[\\]]", "]"));
        assert!(m("\\", "\\"));
    }

    #[test]
    fn pathname_and_period() {
        let f = Flags {
            pathname: true,
            period: true,
            ..Flags::default()
        };
        assert!(!fnmatch(b"*", b".hidden", f));
        assert!(fnmatch(b".*", b".hidden", f));
        assert!(!fnmatch(b"a*", b"a/b", f));
        assert!(fnmatch(b"a/*", b"a/b", f));
        assert!(!fnmatch(b"a/*", b"a/.b", f));
        assert!(!fnmatch(b"?", b".", f));
        assert!(!fnmatch(b"[.]x", b".x", f));
        assert!(fnmatch(b"*", b"x.y", f));
    }

    #[test]
    fn casefold() {
        let f = Flags {
            casefold: true,
            ..Flags::default()
        };
        assert!(fnmatch(b"ABC", b"abc", f));
        assert!(fnmatch(b"[a-c]", b"B", f));
        assert!(fnmatch(b"*.TXT", b"x.txt", f));
    }

    #[test]
    fn magic() {
        assert!(has_magic(b"a*"));
        assert!(has_magic(b"[ab]"));
        assert!(!has_magic(b"a\\*"));
        assert!(!has_magic(b"[ab"));
        assert!(!has_magic(b"plain"));
    }
}
