//! Byte-string path helpers with POSIX basename/dirname semantics.

/// POSIX basename: trailing slashes ignored; `/` for all-slash paths.
pub fn basename(p: &[u8]) -> &[u8] {
    let trimmed = trim_trailing_slashes(p);
    if trimmed.is_empty() {
        return if p.is_empty() { b"" } else { b"/" };
    }
    match memchr::memrchr(b'/', trimmed) {
        Some(i) => &trimmed[i + 1..],
        None => trimmed,
    }
}

/// POSIX dirname: `.` when there is no slash, `/` at the root.
pub fn dirname(p: &[u8]) -> &[u8] {
    let trimmed = trim_trailing_slashes(p);
    if trimmed.is_empty() {
        return if p.is_empty() { b"." } else { b"/" };
    }
    match memchr::memrchr(b'/', trimmed) {
        None => b".",
        Some(i) => {
            let head = trim_trailing_slashes(&trimmed[..i]);
            if head.is_empty() { b"/" } else { head }
        }
    }
}

/// `p` without trailing slashes (empty for an all-slash path).
pub fn trim_trailing_slashes(p: &[u8]) -> &[u8] {
    let n = p.iter().rev().take_while(|&&c| c == b'/').count();
    &p[..p.len() - n]
}

/// `dir/name`, without doubling a slash that `dir` already ends with.
pub fn join(dir: &[u8], name: &[u8]) -> Vec<u8> {
    let mut v = Vec::with_capacity(dir.len() + 1 + name.len());
    v.extend_from_slice(dir);
    if !dir.is_empty() && !dir.ends_with(b"/") {
        v.push(b'/');
    }
    v.extend_from_slice(name);
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basenames() {
        for (p, b) in [
            ("/usr/lib", "lib"),
            ("/usr/", "usr"),
            ("usr", "usr"),
            ("/", "/"),
            ("//", "/"),
            (".", "."),
            ("..", ".."),
            ("", ""),
            ("a//b//", "b"),
        ] {
            assert_eq!(basename(p.as_bytes()), b.as_bytes(), "{p}");
        }
    }

    #[test]
    fn dirnames() {
        for (p, d) in [
            ("/usr/lib", "/usr"),
            ("/usr/", "/"),
            ("usr", "."),
            ("/", "/"),
            ("//", "/"),
            (".", "."),
            ("", "."),
            ("a//b//", "a"),
            ("/a", "/"),
            ("a/b/c", "a/b"),
        ] {
            assert_eq!(dirname(p.as_bytes()), d.as_bytes(), "{p}");
        }
    }

    #[test]
    fn joins() {
        assert_eq!(join(b"a", b"b"), b"a/b");
        assert_eq!(join(b"a/", b"b"), b"a/b");
        assert_eq!(join(b"/", b"b"), b"/b");
        assert_eq!(join(b"", b"b"), b"b");
    }
}
