//! Error reporting: `applet: subject: reason` on stderr, the system's reason
//! text (glibc's wording, so messages match GNU and BusyBox on Debian), and
//! the `Exit` status an applet returns after it has printed its message.

use std::cell::Cell;
use std::ffi::{OsStr, OsString};
use std::io;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

thread_local! {
    static APPLET: Cell<&'static str> = const { Cell::new("ibex") };
}

/// The name messages are prefixed with.
pub fn applet() -> &'static str {
    APPLET.with(|a| a.get())
}

pub fn set_applet(name: &'static str) {
    APPLET.with(|a| a.set(name));
}

/// An exit status whose message has already been printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Exit(pub i32);

/// What an applet's `main` returns: its status, or an early exit.
pub type Status = Result<i32, Exit>;

/// Text of errno values 1..=133, as glibc words them.
static ERRNO_TEXT: [&str; 133] = [
    "Operation not permitted",
    "No such file or directory",
    "No such process",
    "Interrupted system call",
    "Input/output error",
    "No such device or address",
    "Argument list too long",
    "Exec format error",
    "Bad file descriptor",
    "No child processes",
    "Resource temporarily unavailable",
    "Cannot allocate memory",
    "Permission denied",
    "Bad address",
    "Block device required",
    "Device or resource busy",
    "File exists",
    "Invalid cross-device link",
    "No such device",
    "Not a directory",
    "Is a directory",
    "Invalid argument",
    "Too many open files in system",
    "Too many open files",
    "Inappropriate ioctl for device",
    "Text file busy",
    "File too large",
    "No space left on device",
    "Illegal seek",
    "Read-only file system",
    "Too many links",
    "Broken pipe",
    "Numerical argument out of domain",
    "Numerical result out of range",
    "Resource deadlock avoided",
    "File name too long",
    "No locks available",
    "Function not implemented",
    "Directory not empty",
    "Too many levels of symbolic links",
    "Unknown error 41",
    "No message of desired type",
    "Identifier removed",
    "Channel number out of range",
    "Level 2 not synchronized",
    "Level 3 halted",
    "Level 3 reset",
    "Link number out of range",
    "Protocol driver not attached",
    "No CSI structure available",
    "Level 2 halted",
    "Invalid exchange",
    "Invalid request descriptor",
    "Exchange full",
    "No anode",
    "Invalid request code",
    "Invalid slot",
    "Unknown error 58",
    "Bad font file format",
    "Device not a stream",
    "No data available",
    "Timer expired",
    "Out of streams resources",
    "Machine is not on the network",
    "Package not installed",
    "Object is remote",
    "Link has been severed",
    "Advertise error",
    "Srmount error",
    "Communication error on send",
    "Protocol error",
    "Multihop attempted",
    "RFS specific error",
    "Bad message",
    "Value too large for defined data type",
    "Name not unique on network",
    "File descriptor in bad state",
    "Remote address changed",
    "Can not access a needed shared library",
    "Accessing a corrupted shared library",
    ".lib section in a.out corrupted",
    "Attempting to link in too many shared libraries",
    "Cannot exec a shared library directly",
    "Invalid or incomplete multibyte or wide character",
    "Interrupted system call should be restarted",
    "Streams pipe error",
    "Too many users",
    "Socket operation on non-socket",
    "Destination address required",
    "Message too long",
    "Protocol wrong type for socket",
    "Protocol not available",
    "Protocol not supported",
    "Socket type not supported",
    "Operation not supported",
    "Protocol family not supported",
    "Address family not supported by protocol",
    "Address already in use",
    "Cannot assign requested address",
    "Network is down",
    "Network is unreachable",
    "Network dropped connection on reset",
    "Software caused connection abort",
    "Connection reset by peer",
    "No buffer space available",
    "Transport endpoint is already connected",
    "Transport endpoint is not connected",
    "Cannot send after transport endpoint shutdown",
    "Too many references: cannot splice",
    "Connection timed out",
    "Connection refused",
    "Host is down",
    "No route to host",
    "Operation already in progress",
    "Operation now in progress",
    "Stale file handle",
    "Structure needs cleaning",
    "Not a XENIX named type file",
    "No XENIX semaphores available",
    "Is a named type file",
    "Remote I/O error",
    "Disk quota exceeded",
    "No medium found",
    "Wrong medium type",
    "Operation canceled",
    "Required key not available",
    "Key has expired",
    "Key has been revoked",
    "Key was rejected by service",
    "Owner died",
    "State not recoverable",
    "Operation not possible due to RF-kill",
    "Memory page has hardware error",
];

/// The reason text for an errno value.
pub fn strerror(errno: i32) -> String {
    match usize::try_from(errno)
        .ok()
        .and_then(|i| i.checked_sub(1))
        .and_then(|i| ERRNO_TEXT.get(i))
    {
        Some(s) => (*s).to_string(),
        None => {
            let mut v = b"Unknown error ".to_vec();
            crate::put::Put::i(&mut v, i64::from(errno));
            String::from_utf8(v).unwrap_or_default()
        }
    }
}

/// The reason text of an I/O error, without Rust's "(os error N)" suffix.
pub fn reason(e: &io::Error) -> String {
    match e.raw_os_error() {
        Some(n) => strerror(n),
        None => e.to_string(),
    }
}

/// A piece of a message: text, bytes, paths, numbers or an error's reason.
pub trait Part {
    fn put(&self, out: &mut Vec<u8>);
}

impl Part for str {
    fn put(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(self.as_bytes());
    }
}
impl Part for [u8] {
    fn put(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(self);
    }
}
impl<const N: usize> Part for [u8; N] {
    fn put(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(self);
    }
}
impl Part for OsStr {
    fn put(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(self.as_bytes());
    }
}
impl Part for Path {
    fn put(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(self.as_os_str().as_bytes());
    }
}
impl Part for String {
    fn put(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(self.as_bytes());
    }
}
impl Part for Vec<u8> {
    fn put(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(self);
    }
}
impl Part for OsString {
    fn put(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(self.as_bytes());
    }
}
impl Part for PathBuf {
    fn put(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(self.as_os_str().as_bytes());
    }
}
impl Part for io::Error {
    fn put(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(reason(self).as_bytes());
    }
}
impl Part for char {
    fn put(&self, out: &mut Vec<u8>) {
        let mut b = [0; 4];
        out.extend_from_slice(self.encode_utf8(&mut b).as_bytes());
    }
}
// Numbers go through Put's digits (one function for each signedness),
// not a Display impl and a String for each type.
macro_rules! part_num {
    ($put:ident, $wide:ty: $($t:ty),*) => {$(
        impl Part for $t {
            fn put(&self, out: &mut Vec<u8>) {
                crate::put::Put::$put(out, *self as $wide);
            }
        }
    )*};
}
part_num!(u, u64: u8, u16, u32, u64, usize);
part_num!(i, i64: i32, i64, isize);
impl<T: Part + ?Sized> Part for &T {
    fn put(&self, out: &mut Vec<u8>) {
        (**self).put(out)
    }
}

/// Start a message: `applet: `.
pub fn start() -> Vec<u8> {
    let mut m = Vec::with_capacity(128);
    m.extend_from_slice(applet().as_bytes());
    m.extend_from_slice(b": ");
    m
}

/// Finish a message with a newline and write it to stderr in one call.
pub fn emit(mut m: Vec<u8>) {
    m.push(b'\n');
    // Nothing useful can be done if stderr itself fails.
    let _ = crate::sys::write_all(2, &m);
}

/// `applet: subject: reason`.
pub fn io_error(subject: impl Part, e: &io::Error) {
    let mut m = start();
    subject.put(&mut m);
    m.extend_from_slice(b": ");
    e.put(&mut m);
    emit(m);
}

/// Print `applet: ` followed by the parts, then a newline, on stderr.
/// `msg!("can't remove '", path, "': ", err)`.
#[macro_export]
macro_rules! msg {
    ($($p:expr),+ $(,)?) => {{
        let mut __m = $crate::error::start();
        $( $crate::error::Part::put(&$p, &mut __m); )+
        $crate::error::emit(__m);
    }};
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_use_glibc_wording() {
        assert_eq!(strerror(2), "No such file or directory");
        assert_eq!(strerror(18), "Invalid cross-device link");
        assert_eq!(strerror(39), "Directory not empty");
        assert_eq!(strerror(0), "Unknown error 0");
        assert_eq!(strerror(-5), "Unknown error -5");
        assert_eq!(strerror(9999), "Unknown error 9999");
        let e = io::Error::from_raw_os_error(13);
        assert_eq!(reason(&e), "Permission denied");
    }

    #[test]
    fn parts_concatenate_bytes() {
        let mut v = Vec::new();
        "a".put(&mut v);
        b"\xff".put(&mut v);
        OsStr::new("c").put(&mut v);
        42u32.put(&mut v);
        assert_eq!(v, b"a\xffc42");
    }
}
