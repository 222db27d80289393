//! Path canonicalization as realpath(1) and `readlink -f` do it, and
//! relative paths between two canonical paths (`realpath --relative-to`,
//! `ln -r`).

use crate::sys;
use std::io;

/// Which components may be missing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Missing {
    /// Every component must exist (`-e`).
    None,
    /// All but the last must exist (the default of realpath and readlink -f).
    Last,
    /// Any may be missing (`-m`).
    Any,
}

#[derive(Clone, Copy, Debug)]
pub struct Options {
    pub missing: Missing,
    /// Resolve symbolic links (false for `realpath -s`).
    pub resolve: bool,
    /// Apply `..` before resolving links (`realpath -L`).
    pub logical: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            missing: Missing::Last,
            resolve: true,
            logical: false,
        }
    }
}

/// Symbolic links followed before giving up with ELOOP, as the kernel does.
const MAX_LINKS: usize = 40;

fn err(code: i32) -> io::Error {
    io::Error::from_raw_os_error(code)
}

fn cwd() -> io::Result<Vec<u8>> {
    use std::os::unix::ffi::OsStringExt;
    Ok(std::env::current_dir()?.into_os_string().into_vec())
}

/// Split a path into its non-empty components, in order.
fn components(p: &[u8]) -> impl DoubleEndedIterator<Item = &[u8]> {
    p.split(|&c| c == b'/').filter(|c| !c.is_empty())
}

/// Remove `.` and resolve `..` lexically.
fn lexical(p: &[u8]) -> Vec<u8> {
    let mut parts: Vec<&[u8]> = Vec::new();
    for c in components(p) {
        match c {
            b"." => {}
            b".." => {
                parts.pop();
            }
            _ => parts.push(c),
        }
    }
    let mut out = Vec::with_capacity(p.len());
    for c in &parts {
        out.push(b'/');
        out.extend_from_slice(c);
    }
    if out.is_empty() {
        out.push(b'/');
    }
    out
}

/// The canonical absolute form of `path`.
pub fn canonicalize(path: &[u8], opts: Options) -> io::Result<Vec<u8>> {
    if path.is_empty() {
        return Err(err(libc::ENOENT));
    }
    let mut abs = if path.starts_with(b"/") {
        Vec::new()
    } else {
        cwd()?
    };
    abs.push(b'/');
    abs.extend_from_slice(path);
    if opts.logical {
        abs = lexical(&abs);
    }
    // Components still to process, last first (so pop() gives the next).
    let mut todo: Vec<Vec<u8>> = components(&abs).rev().map(<[u8]>::to_vec).collect();
    let mut out: Vec<u8> = Vec::new();
    let mut links = 0;
    // Set once a component is missing: later ones cannot be links.
    let mut gone = false;
    while let Some(c) = todo.pop() {
        if c == b"." {
            continue;
        }
        if c == b".." {
            if let Some(i) = memchr::memrchr(b'/', &out) {
                out.truncate(i);
            }
            continue;
        }
        let keep = out.len();
        out.push(b'/');
        out.extend_from_slice(&c);
        if gone {
            continue;
        }
        let last = todo.is_empty();
        match sys::lstat(&out) {
            Ok(st) if st.is_lnk() && opts.resolve => {
                links += 1;
                if links > MAX_LINKS {
                    return Err(err(libc::ELOOP));
                }
                let target = sys::readlink(&out)?;
                if target.starts_with(b"/") {
                    out.clear();
                } else {
                    out.truncate(keep);
                }
                for t in components(&target).rev() {
                    todo.push(t.to_vec());
                }
            }
            Ok(st) => {
                if !last && !st.is_dir() && opts.missing != Missing::Any {
                    return Err(err(libc::ENOTDIR));
                }
            }
            Err(e) => {
                let allowed = match opts.missing {
                    Missing::None => false,
                    Missing::Last => last && e.raw_os_error() == Some(libc::ENOENT),
                    Missing::Any => true,
                };
                if !allowed {
                    return Err(e);
                }
                gone = true;
            }
        }
    }
    if out.is_empty() {
        out.push(b'/');
    }
    Ok(out)
}

/// `path` relative to directory `base`; both absolute and canonical.
pub fn relative(path: &[u8], base: &[u8]) -> Vec<u8> {
    let p: Vec<&[u8]> = components(path).collect();
    let b: Vec<&[u8]> = components(base).collect();
    let common = p.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let mut out = Vec::new();
    for _ in common..b.len() {
        if !out.is_empty() {
            out.push(b'/');
        }
        out.extend_from_slice(b"..");
    }
    for c in p.iter().skip(common) {
        if !out.is_empty() {
            out.push(b'/');
        }
        out.extend_from_slice(c);
    }
    if out.is_empty() {
        out.push(b'.');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::ffi::OsStrExt;

    #[test]
    fn lexical_cleanup() {
        assert_eq!(lexical(b"/a/./b/../c//"), b"/a/c");
        assert_eq!(lexical(b"/../.."), b"/");
    }

    #[test]
    fn relative_paths() {
        assert_eq!(relative(b"/a/b/c", b"/a"), b"b/c");
        assert_eq!(relative(b"/a", b"/a/b/c"), b"../..");
        assert_eq!(relative(b"/a/x", b"/a/y"), b"../x");
        assert_eq!(relative(b"/a", b"/a"), b".");
        assert_eq!(relative(b"/", b"/a"), b"..");
    }

    #[test]
    fn resolves_links_and_missing_modes() {
        let d = std::env::temp_dir().join(format!("ibex-canon-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(d.join("real/sub")).unwrap();
        std::os::unix::fs::symlink("real/sub", d.join("link")).unwrap();
        std::os::unix::fs::symlink("loop", d.join("loop")).unwrap();
        std::fs::write(d.join("file"), "").unwrap();
        let base = canonicalize(d.as_os_str().as_bytes(), Options::default()).unwrap();
        let c = |p: &str, m: Missing| {
            let full = [&base[..], b"/", p.as_bytes()].concat();
            canonicalize(
                &full,
                Options {
                    missing: m,
                    ..Options::default()
                },
            )
        };
        assert_eq!(
            c("link/../x", Missing::Last).unwrap(),
            [&base[..], b"/real/x"].concat()
        );
        assert_eq!(
            c("link", Missing::None).unwrap(),
            [&base[..], b"/real/sub"].concat()
        );
        assert!(c("nope", Missing::None).is_err());
        assert!(c("nope", Missing::Last).is_ok());
        assert!(c("nope/more", Missing::Last).is_err());
        assert!(c("nope/more", Missing::Any).is_ok());
        assert_eq!(
            c("file/x", Missing::Last).unwrap_err().raw_os_error(),
            Some(libc::ENOTDIR)
        );
        assert_eq!(
            c("loop", Missing::Last).unwrap_err().raw_os_error(),
            Some(libc::ELOOP)
        );
        std::fs::remove_dir_all(&d).unwrap();
    }
}
