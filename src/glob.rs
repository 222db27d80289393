//! Pathname expansion (POSIX XCU 2.13.3): a pattern with `/`-separated
//! components is matched against the filesystem one component at a time.
//! Results are sorted in byte order; a leading `.` must be matched
//! explicitly; components without special characters are taken literally.

use crate::fnmatch::{self, Flags};
use crate::sys;
use std::os::fd::AsRawFd;

/// Remove backslash escapes from a pattern component without magic.
fn unescape(s: &[u8]) -> Vec<u8> {
    let mut v = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        if s[i] == b'\\' && i + 1 < s.len() {
            i += 1;
        }
        v.push(s[i]);
        i += 1;
    }
    v
}

/// Names in `dir` (an empty `dir` is the current directory).
fn list(dir: &[u8]) -> Vec<Box<[u8]>> {
    let path: &[u8] = if dir.is_empty() { b"." } else { dir };
    let Ok(fd) = sys::open(path, sys::O_RDONLY | sys::O_DIRECTORY, 0) else {
        return Vec::new();
    };
    let mut entries = Vec::new();
    if sys::read_dir(fd.as_raw_fd(), &mut entries).is_err() {
        return Vec::new();
    }
    entries.into_iter().map(|e| e.name).collect()
}

/// Expand `pattern`; an empty result means nothing matched.
pub fn glob(pattern: &[u8]) -> Vec<Vec<u8>> {
    let absolute = pattern.starts_with(b"/");
    // Components, keeping empty ones out (runs of slashes collapse), but
    // remember a trailing slash: it restricts matches to directories.
    let trailing = pattern.ends_with(b"/");
    let comps: Vec<&[u8]> = pattern
        .split(|&c| c == b'/')
        .filter(|c| !c.is_empty())
        .collect();
    let mut paths: Vec<Vec<u8>> = vec![if absolute { b"/".to_vec() } else { Vec::new() }];
    let flags = Flags {
        pathname: true,
        period: true,
        ..Flags::default()
    };
    for (i, comp) in comps.iter().enumerate() {
        let last = i + 1 == comps.len();
        let mut next = Vec::new();
        if fnmatch::has_magic(comp) {
            for base in &paths {
                let mut names = list(base);
                crate::order::sort(&mut names);
                for name in names {
                    if fnmatch::fnmatch(comp, &name, flags) {
                        let mut p = base.clone();
                        if !p.is_empty() && !p.ends_with(b"/") {
                            p.push(b'/');
                        }
                        p.extend_from_slice(&name);
                        if !last || trailing {
                            // Must be a directory to continue through it.
                            if !sys::stat(&p).is_ok_and(|st| st.is_dir()) {
                                continue;
                            }
                        }
                        next.push(p);
                    }
                }
            }
        } else {
            let lit = unescape(comp);
            for base in &paths {
                let mut p = base.clone();
                if !p.is_empty() && !p.ends_with(b"/") {
                    p.push(b'/');
                }
                p.extend_from_slice(&lit);
                if sys::lstat(&p).is_ok() {
                    next.push(p);
                }
            }
        }
        paths = next;
        if paths.is_empty() {
            return paths;
        }
    }
    if trailing {
        for p in &mut paths {
            p.push(b'/');
        }
    }
    if comps.is_empty() {
        return Vec::new();
    }
    paths
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::ffi::OsStrExt;

    #[test]
    fn expands_sorted_with_hidden_rule() {
        let d = std::env::temp_dir().join(format!("ibex-glob-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(d.join("sub/deeper")).unwrap();
        for f in [
            "b.txt",
            "a.txt",
            ".hidden.txt",
            "c.log",
            "sub/x.txt",
            "sub/deeper/y.txt",
        ] {
            std::fs::write(d.join(f), "").unwrap();
        }
        let base = d.as_os_str().as_bytes();
        let g = |p: &str| -> Vec<String> {
            let pat = [base, b"/", p.as_bytes()].concat();
            glob(&pat)
                .iter()
                .map(|m| String::from_utf8_lossy(&m[base.len() + 1..]).into_owned())
                .collect()
        };
        assert_eq!(g("*.txt"), ["a.txt", "b.txt"]);
        assert_eq!(g(".*.txt"), [".hidden.txt"]);
        assert_eq!(g("*/*.txt"), ["sub/x.txt"]);
        assert_eq!(g("s*/d*/*"), ["sub/deeper/y.txt"]);
        assert_eq!(g("*/"), ["sub/"]);
        assert_eq!(g("[ab].txt"), ["a.txt", "b.txt"]);
        assert!(g("*.none").is_empty());
        assert!(g("nodir/*").is_empty());
        assert_eq!(g("sub/x.t?t"), ["sub/x.txt"]);
        std::fs::remove_dir_all(&d).unwrap();
    }
}
