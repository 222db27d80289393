//! Usage texts, stored compressed as BusyBox stores its own.
//!
//! An applet writes its text next to its options:
//! `const USAGE: Usage = ibex::usage!(ls, "ls [-1Aa...] [FILE]...\n\n...");`
//! The macro drops the string and leaves a [`Usage`] handle; build.rs
//! collects the texts of the applets in the build into one raw DEFLATE
//! blob (plain bytes in builds too small for that to pay), which is
//! inflated only when a text is shown: `--help` and usage errors.

/// A handle on one usage text (its index in the blob).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Usage(pub u16);

include!(concat!(env!("OUT_DIR"), "/usage.rs"));

/// `ibex::usage!(NAME, "text" [, "more text"]...)`: the handle of the
/// usage text NAME (unique over all applets). The literals are read by
/// build.rs, never compiled in.
#[macro_export]
macro_rules! usage {
    ($name:ident, $($text:literal),+ $(,)?) => {
        $crate::usage::id::$name
    };
}

impl Usage {
    /// No text (an applet left out of the build, or tests).
    pub const NONE: Usage = Usage(u16::MAX);

    /// The whole text: the synopsis line, then the description and options.
    pub fn text(self) -> Vec<u8> {
        if usize::from(self.0) >= COUNT {
            return Vec::new();
        }
        let all = if PACKED {
            crate::deflate::inflate::inflate_vec(&BLOB).unwrap_or_default()
        } else {
            BLOB.to_vec()
        };
        // Texts are separated by NULs.
        all.split(|&b| b == 0)
            .nth(usize::from(self.0))
            .map(<[u8]>::to_vec)
            .unwrap_or_default()
    }

    /// The first line: what usage errors print after `Usage: `.
    pub fn synopsis(self) -> Vec<u8> {
        let mut t = self.text();
        if let Some(n) = memchr::memchr(b'\n', &t) {
            t.truncate(n);
        }
        t
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blob_round_trips() {
        let all = if PACKED {
            crate::deflate::inflate::inflate_vec(&BLOB).unwrap()
        } else {
            BLOB.to_vec()
        };
        let n = if all.is_empty() {
            0
        } else {
            all.iter().filter(|&&b| b == 0).count() + 1
        };
        assert_eq!(n, COUNT);
        for k in 0..COUNT {
            let u = Usage(k as u16);
            let t = u.text();
            assert!(!t.is_empty(), "text {k} is empty");
            assert!(t.starts_with(&u.synopsis()));
            assert!(!u.synopsis().contains(&b'\n'));
        }
        // The texts, joined again, are the whole blob.
        let joined: Vec<Vec<u8>> = (0..COUNT).map(|k| Usage(k as u16).text()).collect();
        assert_eq!(joined.join(&0), all);
        assert!(Usage::NONE.text().is_empty());
        assert!(Usage(COUNT as u16).synopsis().is_empty());
    }
}
