//! `io::Error`s carrying a fixed message. `io::Error::other("text")`
//! boxes a `String` (std's private StringError, whose Debug impl and
//! conversions cost ~2 KB); a `&'static str` wrapped in [`Msg`] needs none
//! of that, and `to_string()` (what `error::reason` shows) is the text.

use std::fmt;
use std::io;

/// A fixed error message.
pub struct Msg(pub &'static str);

impl fmt::Display for Msg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

impl fmt::Debug for Msg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

impl std::error::Error for Msg {}

/// An `io::Error` of kind Other whose text is `msg`.
pub fn other(msg: &'static str) -> io::Error {
    io::Error::other(Msg(msg))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_is_the_text() {
        let e = other("directory changed");
        assert_eq!(e.to_string(), "directory changed");
        assert_eq!(e.kind(), io::ErrorKind::Other);
        assert_eq!(crate::error::reason(&e), "directory changed");
    }
}
