//! tac: write each FILE with its records in reverse order. Records end
//! with the separator (newline, or `-s SEP`), or begin with it under
//! `-b`. Regular files are read backwards in growing blocks, so huge
//! files need memory for one record at a time; other inputs are read into
//! memory, spilling to an unlinked temporary file past 64 MiB.
//! `-r`: the separator is a POSIX basic regular expression; its matches
//! are found scanning forward (leftmost-longest, empty matches skip), so
//! variable-length patterns may split differently from GNU tac, which
//! uses Emacs regex syntax and a backward search. With -r the input is
//! held in memory.

use ibex::Status;
use ibex::args::{Parser, Spec, flag, value};
use ibex::io::Out;
use ibex::sys;
use std::ffi::{OsStr, OsString};
use std::os::fd::{AsRawFd, OwnedFd, RawFd};
use std::os::unix::ffi::OsStrExt;

const LONGS: &[ibex::args::Long] = &[
    flag("before", 'b' as u32),
    flag("regex", 'r' as u32),
    value("separator", 's' as u32),
];

const SPEC: Spec = Spec::new(
    "brs:",
    LONGS,
    ibex::usage!(
        tac,
        "tac [-b] [-s SEP] [FILE]...\n\n\
         Concatenate FILEs and print them in reverse, record by record\n\n\
         \t-b\tAttach the separator before the record, not after (--before)\n\
         \t-s SEP\tUse SEP as the record separator, not newline (--separator)\n\
         \t-r\tSEP is a basic regular expression (--regex)"
    ),
);

/// Where records split.
struct Sep<'a> {
    sep: &'a [u8],
    before: bool,
}

impl Sep<'_> {
    /// The start of the last record of `data[..end]`, or None when it
    /// reaches back to the start of `data` (there may be more before).
    fn last_record(&self, data: &[u8], end: usize) -> Option<usize> {
        let n = self.sep.len();
        if self.before {
            // The record starts at the last separator fully inside it.
            let hay = &data[..end];
            if n == 1 {
                memchr::memrchr(self.sep[0], hay)
            } else {
                memchr::memmem::rfind(hay, self.sep)
            }
        } else {
            // The record starts after the last separator that ends
            // before `end`.
            let hay = &data[..end.saturating_sub(1)];
            let m = if n == 1 {
                memchr::memrchr(self.sep[0], hay)
            } else {
                memchr::memmem::rfind(hay, self.sep)
            };
            m.map(|m| m + n)
        }
    }
}

pub fn main(argv: &[OsString]) -> Status {
    let mut before = false;
    let mut regex = false;
    let mut sep: &[u8] = b"\n";
    let mut p = Parser::new(argv, &SPEC);
    while let Some((id, v)) = p.next()? {
        match char::from_u32(id).unwrap_or('\0') {
            'b' => before = true,
            'r' => regex = true,
            _ => sep = v.map_or(b"\n".as_slice(), |v| v.as_bytes()),
        }
    }
    if sep.is_empty() {
        // As GNU: an empty separator is the NUL byte (as a C string).
        if regex {
            ibex::msg!("separator cannot be empty");
            return Ok(1);
        }
        sep = b"\0";
    }
    let re = if regex {
        match ibex::regex::Regex::new(sep, ibex::regex::Flags::default()) {
            Ok(r) => Some(r),
            Err(e) => {
                ibex::msg!(e.message());
                return Ok(1);
            }
        }
    } else {
        None
    };
    let sep = Sep { sep, before };
    let mut files = p.operands();
    if files.is_empty() {
        files.push(OsStr::new("-"));
    }
    let mut out = Out::stdout();
    let mut status = 0;
    for name in files {
        let name = name.as_bytes();
        let input = match ibex::io::Input::open(name) {
            Ok(i) => i,
            Err(e) => {
                // BusyBox's and toybox's wording (the common one).
                ibex::error::io_error(name, &e);
                status = 1;
                continue;
            }
        };
        let fd = input.fd();
        let regular = sys::fstat(fd).is_ok_and(|s| s.is_reg());
        let res = if let Some(re) = &re {
            ibex::io::read_all(fd).map(|data| by_regex(&data, re, before, &mut out))
        } else if regular {
            backwards(fd, &sep, &mut out)
        } else {
            piped(fd, &sep, &mut out)
        };
        if let Err(e) = res {
            let shown: &[u8] = if name == b"-" { b"-" } else { name };
            ibex::msg!(shown, ": read error: ", e);
            status = 1;
        }
        if out.failed() {
            break;
        }
    }
    out.done(status)
}

/// Reverse the records of `data`, which is all there is.
fn whole(data: &[u8], sep: &Sep, out: &mut Out) {
    if sep.sep.is_empty() {
        out.write(data);
        return;
    }
    let mut end = data.len();
    while end > 0 {
        let start = sep.last_record(data, end).unwrap_or(0);
        out.write(&data[start..end]);
        end = start;
    }
}

/// Reverse records separated by the matches of `re`.
fn by_regex(data: &[u8], re: &ibex::regex::Regex, before: bool, out: &mut Out) {
    // Record boundaries: after each match, or at its start with -b.
    let mut cuts: Vec<usize> = re
        .find_iter(data)
        .filter(|m| !m.is_empty())
        .map(|m| if before { m.start } else { m.end })
        .filter(|&c| c > 0 && c < data.len())
        .collect();
    cuts.dedup();
    let mut end = data.len();
    for &c in cuts.iter().rev() {
        out.write(&data[c..end]);
        end = c;
    }
    out.write(&data[..end]);
}

/// A seekable file: read blocks from the end, keeping only the part of
/// the file whose records are not yet written.
fn backwards(fd: RawFd, sep: &Sep, out: &mut Out) -> std::io::Result<()> {
    let size = sys::lseek(fd, 0, sys::SEEK_END)?;
    if sep.sep.is_empty() {
        sys::lseek(fd, 0, sys::SEEK_SET)?;
        return copy_rest(fd, out);
    }
    const BLOCK: usize = 256 * 1024;
    // buf holds the file's bytes [pos, pos + buf.len()).
    let mut buf: Vec<u8> = Vec::new();
    let mut pos = size;
    while pos > 0 {
        // Read the block before `pos` in front of what is held.
        let want = (BLOCK.max(buf.len()) as u64).min(pos) as usize;
        let mut next = vec![0u8; want + buf.len()];
        next[want..].copy_from_slice(&buf);
        pos -= want as u64;
        read_exact_at(fd, &mut next[..want], pos)?;
        buf = next;
        // Records whose separator lies wholly inside the buffer are
        // complete; the first one may reach back before it.
        let mut end = buf.len();
        while let Some(start) = sep.last_record(&buf, end) {
            out.write(&buf[start..end]);
            end = start;
            if out.failed() {
                return Ok(());
            }
        }
        buf.truncate(end);
    }
    out.write(&buf);
    Ok(())
}

fn read_exact_at(fd: RawFd, mut buf: &mut [u8], mut off: u64) -> std::io::Result<()> {
    while !buf.is_empty() {
        match sys::pread(fd, buf, off) {
            Ok(0) => return Err(std::io::Error::from_raw_os_error(libc::EIO)),
            Ok(n) => {
                buf = &mut buf[n..];
                off += n as u64;
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

fn copy_rest(fd: RawFd, out: &mut Out) -> std::io::Result<()> {
    let mut buf = vec![0u8; 128 * 1024];
    loop {
        let n = sys::read(fd, &mut buf)?;
        if n == 0 {
            return Ok(());
        }
        out.write(&buf[..n]);
    }
}

const SPILL: usize = 64 << 20;

/// A pipe or other unseekable input: keep it in memory, or past SPILL
/// bytes in an unlinked temporary file read backwards.
fn piped(fd: RawFd, sep: &Sep, out: &mut Out) -> std::io::Result<()> {
    let mut data = Vec::new();
    let mut chunk = vec![0u8; 128 * 1024];
    loop {
        let n = match sys::read(fd, &mut chunk) {
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if n == 0 {
            whole(&data, sep, out);
            return Ok(());
        }
        data.extend_from_slice(&chunk[..n]);
        if data.len() >= SPILL {
            let tmp = match temp_file() {
                Ok(t) => t,
                Err(e) => {
                    ibex::msg!("cannot create temporary file: ", e);
                    return Err(e);
                }
            };
            let t = tmp.as_raw_fd();
            sys::write_all(t, &data)?;
            drop(data);
            loop {
                let n = sys::read(fd, &mut chunk)?;
                if n == 0 {
                    break;
                }
                sys::write_all(t, &chunk[..n])?;
            }
            return backwards(t, sep, out);
        }
    }
}

/// An anonymous file in $TMPDIR (or /tmp): created O_EXCL, mode 0600,
/// and unlinked at once.
fn temp_file() -> std::io::Result<OwnedFd> {
    let dir = std::env::var_os("TMPDIR")
        .filter(|d| !d.is_empty())
        .map_or(b"/tmp".to_vec(), |d| d.as_bytes().to_vec());
    let mut rnd = [0u8; 8];
    let mut last = std::io::Error::from_raw_os_error(libc::EEXIST);
    for _ in 0..100 {
        sys::getrandom(&mut rnd)?;
        let mut path = dir.clone();
        path.extend_from_slice(b"/tacXXXX");
        for b in rnd {
            path.push(b"abcdefghijklmnopqrstuvwxyz012345"[(b & 31) as usize]);
        }
        match sys::open(
            &path,
            sys::O_RDWR | sys::O_CREAT | sys::O_EXCL | sys::O_NOFOLLOW,
            0o600,
        ) {
            Ok(fd) => {
                let _ = sys::unlinkat(sys::Dir::CWD, &path, 0);
                return Ok(fd);
            }
            Err(e) if e.raw_os_error() == Some(libc::EEXIST) => last = e,
            Err(e) => return Err(e),
        }
    }
    Err(last)
}
