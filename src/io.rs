//! Output buffering with write-error detection, input files (`-` is stdin),
//! a line reader that does not allocate per line, and fast fd-to-fd copying.

use crate::error::{Exit, Part};
use crate::sys;
use std::io;
use std::os::fd::{AsRawFd, OwnedFd, RawFd};

const OUT_BUF: usize = 64 * 1024;

/// Buffered output to a descriptor. Block-buffered, or line-buffered when the
/// descriptor is a terminal. The first write error is kept and reported by
/// [`Out::finish`]; later writes are dropped.
pub struct Out {
    fd: RawFd,
    buf: Vec<u8>,
    /// Line-buffered: None until it matters.
    line: Option<bool>,
    err: Option<io::Error>,
}

impl Out {
    pub fn stdout() -> Out {
        Out::new(1)
    }

    pub fn new(fd: RawFd) -> Out {
        // The buffer grows on demand and the terminal check waits for the
        // first newline: builtins that print one line stay cheap.
        Out {
            fd,
            buf: Vec::new(),
            line: None,
            err: None,
        }
    }

    /// Force line buffering on or off (e.g. `--line-buffered`).
    pub fn set_line_buffered(&mut self, on: bool) {
        self.line = Some(on);
    }

    pub fn is_terminal(&self) -> bool {
        sys::isatty(self.fd)
    }

    pub fn write(&mut self, data: &[u8]) {
        if self.err.is_some() {
            return;
        }
        if self.buf.len() + data.len() > OUT_BUF {
            self.flush();
            if data.len() >= OUT_BUF {
                if let Err(e) = sys::write_all(self.fd, data) {
                    self.err = Some(e);
                }
                return;
            }
        }
        self.buf.extend_from_slice(data);
        if memchr::memchr(b'\n', data).is_some() && self.line_buffered() {
            self.flush();
        }
    }

    fn line_buffered(&mut self) -> bool {
        let fd = self.fd;
        *self.line.get_or_insert_with(|| sys::isatty(fd))
    }

    pub fn byte(&mut self, b: u8) {
        if self.buf.len() < OUT_BUF && (b != b'\n' || !self.line_buffered()) {
            self.buf.push(b);
        } else {
            self.write(&[b]);
        }
    }

    pub fn str(&mut self, s: &str) {
        self.write(s.as_bytes());
    }

    /// Write a decimal number without going through `fmt`.
    pub fn num(&mut self, n: u64) {
        let mut b = [0u8; 20];
        self.write(fmt_u64(n, &mut b));
    }

    /// Write `n` right-aligned in `width` columns.
    pub fn num_width(&mut self, n: u64, width: usize) {
        let mut b = [0u8; 20];
        let s = fmt_u64(n, &mut b);
        for _ in s.len()..width {
            self.byte(b' ');
        }
        self.write(s);
    }

    pub fn flush(&mut self) -> bool {
        if self.err.is_none()
            && !self.buf.is_empty()
            && let Err(e) = sys::write_all(self.fd, &self.buf)
        {
            self.err = Some(e);
        }
        self.buf.clear();
        self.err.is_none()
    }

    pub fn failed(&self) -> bool {
        self.err.is_some()
    }

    /// Flush and report a write error as `applet: write error: reason`.
    /// Returns `status`, or 1 when writing failed and `status` was 0.
    pub fn finish(mut self, status: i32) -> i32 {
        self.flush();
        match self.err.take() {
            Some(e) => {
                crate::msg!("write error: ", e);
                if status == 0 { 1 } else { status }
            }
            None => status,
        }
    }

    /// `finish` for applets that return a `Status`.
    pub fn done(self, status: i32) -> crate::error::Status {
        Ok(self.finish(status))
    }
}

impl io::Write for Out {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        Out::write(self, data);
        Ok(data.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Out::flush(self);
        Ok(())
    }
}

impl Drop for Out {
    fn drop(&mut self) {
        self.flush();
    }
}

/// Format `n` in decimal into `buf`, returning the digits.
pub fn fmt_u64(mut n: u64, buf: &mut [u8; 20]) -> &[u8] {
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    &buf[i..]
}

/// An input: stdin (for `-`) or an opened file.
pub enum Input {
    Stdin,
    File(OwnedFd),
}

impl Input {
    /// Open `name` for reading; `-` means standard input.
    pub fn open(name: &[u8]) -> io::Result<Input> {
        if name == b"-" {
            Ok(Input::Stdin)
        } else {
            Ok(Input::File(sys::open(
                name,
                sys::O_RDONLY | sys::O_NOCTTY,
                0,
            )?))
        }
    }

    pub fn fd(&self) -> RawFd {
        match self {
            Input::Stdin => 0,
            Input::File(f) => f.as_raw_fd(),
        }
    }
}

/// Open `name` for reading or print `applet: name: reason` and return `None`.
pub fn open_or_report(name: &[u8]) -> Option<Input> {
    match Input::open(name) {
        Ok(i) => Some(i),
        Err(e) => {
            crate::error::io_error(name, &e);
            None
        }
    }
}

/// Reads records ending in `delim` from a descriptor through one large
/// buffer; a record is borrowed from the buffer until the next call.
pub struct LineReader {
    fd: RawFd,
    buf: Vec<u8>,
    start: usize,
    end: usize,
    eof: bool,
    delim: u8,
    /// The last read filled the buffer: the input is big, read more at once.
    grow: bool,
}

const READ_BUF: usize = 128 * 1024;
/// Where reading buffers start: small files (sysfs, /etc) cost no 128 KiB
/// zeroed allocation (an mmap, 32 page faults and an munmap per file).
const FIRST_READ: usize = 4096;

impl LineReader {
    pub fn new(fd: RawFd) -> LineReader {
        LineReader::with_delim(fd, b'\n')
    }

    pub fn with_delim(fd: RawFd, delim: u8) -> LineReader {
        LineReader {
            fd,
            buf: vec![0; FIRST_READ],
            start: 0,
            end: 0,
            eof: false,
            delim,
            grow: false,
        }
    }

    /// The next record including its delimiter (the last may lack one), or
    /// `None` at end of input.
    pub fn next_line(&mut self) -> io::Result<Option<&[u8]>> {
        let mut scan = self.start;
        loop {
            if let Some(i) = memchr::memchr(self.delim, &self.buf[scan..self.end]) {
                let s = self.start;
                self.start = scan + i + 1;
                return Ok(Some(&self.buf[s..self.start]));
            }
            if self.eof {
                if self.start == self.end {
                    return Ok(None);
                }
                let s = self.start;
                self.start = self.end;
                return Ok(Some(&self.buf[s..self.end]));
            }
            scan = self.end;
            // Make room: move the partial record to the front, grow if full.
            if self.start > 0 {
                self.buf.copy_within(self.start..self.end, 0);
                scan -= self.start;
                self.end -= self.start;
                self.start = 0;
            }
            if self.end == self.buf.len() || (self.grow && self.buf.len() < READ_BUF) {
                let new_len = self.buf.len() * 2;
                self.buf.resize(new_len, 0);
            }
            let want = self.buf.len() - self.end;
            let n = sys::read(self.fd, &mut self.buf[self.end..])?;
            if n == 0 {
                self.eof = true;
            }
            self.grow = n == want;
            self.end += n;
        }
    }

    /// Hand out whatever is buffered but unread (for applets that switch
    /// from line mode to raw copying).
    pub fn take_buffered(&mut self) -> &[u8] {
        let s = self.start;
        self.start = self.end;
        &self.buf[s..self.end]
    }
}

/// Read all of a descriptor into memory.
pub fn read_all(fd: RawFd) -> io::Result<Vec<u8>> {
    let mut v = Vec::new();
    let mut len = 0;
    let mut want = FIRST_READ;
    loop {
        v.resize(len + want, 0);
        let n = sys::read(fd, &mut v[len..])?;
        if n == 0 {
            v.truncate(len);
            return Ok(v);
        }
        len += n;
        if n == want && want < READ_BUF {
            want *= 2;
        }
    }
}

/// Read a whole file (e.g. /etc/passwd, /proc/mounts).
pub fn read_file(path: &[u8]) -> io::Result<Vec<u8>> {
    let fd = sys::open(path, sys::O_RDONLY | sys::O_NOCTTY, 0)?;
    read_all(fd.as_raw_fd())
}

/// Which side of a copy failed.
#[derive(Debug)]
pub enum CopyError {
    Read(io::Error),
    Write(io::Error),
}

/// Copy everything from `from` to `to`, using copy_file_range or sendfile
/// when the kernel can do the copy, and read/write otherwise.
/// Returns the number of bytes copied.
pub fn copy_fd(from: RawFd, to: RawFd) -> Result<u64, CopyError> {
    let mut total = 0u64;
    let big = 1 << 30;
    // Kernel-side copy first; fall back on the first refusal.
    let src_reg = sys::fstat(from).map(|s| s.is_reg()).unwrap_or(false);
    if src_reg {
        loop {
            match sys::copy_file_range(from, to, big) {
                Ok(0) => return Ok(total),
                Ok(n) => total += n as u64,
                Err(_) if total == 0 => break,
                Err(e) => return Err(classify(e, to)),
            }
        }
        loop {
            match sys::sendfile(to, from, big) {
                Ok(0) => return Ok(total),
                Ok(n) => total += n as u64,
                Err(_) if total == 0 => break,
                Err(e) => return Err(classify(e, to)),
            }
        }
    }
    let mut buf = vec![0u8; READ_BUF];
    loop {
        let n = sys::read(from, &mut buf).map_err(CopyError::Read)?;
        if n == 0 {
            return Ok(total);
        }
        sys::write_all(to, &buf[..n]).map_err(CopyError::Write)?;
        total += n as u64;
    }
}

/// Decide whether a kernel-side copy error came from the reading or writing
/// side, by checking whether the destination still accepts writes.
fn classify(e: io::Error, to: RawFd) -> CopyError {
    match e.raw_os_error() {
        Some(libc::ENOSPC) | Some(libc::EDQUOT) | Some(libc::EFBIG) | Some(libc::EPIPE) => {
            CopyError::Write(e)
        }
        _ => {
            if sys::write(to, &[]).is_err() {
                CopyError::Write(e)
            } else {
                CopyError::Read(e)
            }
        }
    }
}

/// Print `applet: subject: reason` and turn it into an exit status of 1.
pub fn fail(subject: impl Part, e: &io::Error) -> Exit {
    crate::error::io_error(subject, e);
    Exit(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_numbers() {
        let mut b = [0u8; 20];
        assert_eq!(fmt_u64(0, &mut b), b"0");
        assert_eq!(fmt_u64(1234567890, &mut b), b"1234567890");
        assert_eq!(fmt_u64(u64::MAX, &mut b), b"18446744073709551615");
    }

    #[test]
    fn line_reader_splits_and_keeps_unterminated_tail() {
        let (r, w) = sys::pipe().unwrap();
        sys::write_all(w.as_raw_fd(), b"a\nbb\n\nccc").unwrap();
        drop(w);
        let mut lr = LineReader::new(r.as_raw_fd());
        let mut got = Vec::new();
        while let Some(l) = lr.next_line().unwrap() {
            got.push(l.to_vec());
        }
        assert_eq!(
            got,
            vec![
                b"a\n".to_vec(),
                b"bb\n".to_vec(),
                b"\n".to_vec(),
                b"ccc".to_vec()
            ]
        );
    }

    #[test]
    fn line_reader_grows_for_long_lines() {
        let (r, w) = sys::pipe().unwrap();
        let writer = std::thread::spawn(move || {
            let long = vec![b'x'; 300_000];
            sys::write_all(w.as_raw_fd(), &long).unwrap();
            sys::write_all(w.as_raw_fd(), b"\nend\n").unwrap();
        });
        let mut lr = LineReader::new(r.as_raw_fd());
        assert_eq!(lr.next_line().unwrap().unwrap().len(), 300_001);
        assert_eq!(lr.next_line().unwrap().unwrap(), b"end\n");
        assert!(lr.next_line().unwrap().is_none());
        writer.join().unwrap();
    }
}
