//! DEFLATE (RFC 1951) compression and decompression and the gzip file
//! format (RFC 1952). Decompression streams with a 32 KiB window and
//! bounded memory; every malformed stream ends in an [`Error`].

#[allow(clippy::module_inception)]
pub mod deflate;
pub mod inflate;

use crate::sys;
use std::io;
use std::os::fd::RawFd;

pub use crate::hash::crc32::zlib_update as crc32;

const IN_BUF: usize = 128 * 1024;

/// Why decompression failed.
#[derive(Debug)]
pub enum Error {
    /// The input ended inside a stream.
    Truncated,
    /// The data is not valid: a short description.
    Corrupt(&'static str),
    /// Reading or writing failed.
    Io(io::Error),
}

impl From<io::Error> for Error {
    fn from(e: io::Error) -> Error {
        Error::Io(e)
    }
}

/// Buffered input with a bit reader (least significant bit first, as
/// DEFLATE packs its bits). Reads a descriptor, or holds all its bytes.
pub struct Input {
    fd: Option<RawFd>,
    buf: Vec<u8>,
    pos: usize,
    end: usize,
    eof: bool,
    bits: u64,
    nbits: u32,
    /// Bytes consumed so far (whole bytes taken out of the buffer).
    consumed: u64,
}

impl Input {
    pub fn from_fd(fd: RawFd) -> Input {
        Input {
            fd: Some(fd),
            buf: vec![0; IN_BUF],
            pos: 0,
            end: 0,
            eof: false,
            bits: 0,
            nbits: 0,
            consumed: 0,
        }
    }

    pub fn from_vec(data: Vec<u8>) -> Input {
        let end = data.len();
        Input {
            fd: None,
            buf: data,
            pos: 0,
            end,
            eof: true,
            bits: 0,
            nbits: 0,
            consumed: 0,
        }
    }

    /// Read more input into the buffer; false at end of input.
    fn fill(&mut self) -> io::Result<bool> {
        if self.pos < self.end {
            return Ok(true);
        }
        let Some(fd) = self.fd else {
            return Ok(false);
        };
        if self.eof {
            return Ok(false);
        }
        self.consumed += self.end as u64;
        self.pos = 0;
        self.end = 0;
        loop {
            match sys::read(fd, &mut self.buf) {
                Ok(0) => {
                    self.eof = true;
                    return Ok(false);
                }
                Ok(n) => {
                    self.end = n;
                    return Ok(true);
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
    }

    /// Load bits so that at least 57 are held, or all that remain.
    #[inline]
    fn refill(&mut self) -> io::Result<()> {
        if self.pos + 8 <= self.end {
            let mut w = [0u8; 8];
            w.copy_from_slice(&self.buf[self.pos..self.pos + 8]);
            self.bits |= u64::from_le_bytes(w) << self.nbits;
            self.pos += ((63 - self.nbits) >> 3) as usize;
            self.nbits |= 56;
            return Ok(());
        }
        while self.nbits <= 56 {
            if self.pos >= self.end && !self.fill()? {
                break;
            }
            self.bits |= u64::from(self.buf[self.pos]) << self.nbits;
            self.pos += 1;
            self.nbits += 8;
        }
        Ok(())
    }

    /// Take `n` (at most 32) bits.
    #[inline]
    fn take(&mut self, n: u32) -> Result<u32, Error> {
        if self.nbits < n {
            self.refill()?;
            if self.nbits < n {
                return Err(Error::Truncated);
            }
        }
        let v = (self.bits & ((1u64 << n) - 1)) as u32;
        self.bits >>= n;
        self.nbits -= n;
        Ok(v)
    }

    #[inline]
    fn drop_bits(&mut self, n: u32) {
        self.bits >>= n;
        self.nbits -= n;
    }

    /// Skip to the next byte boundary.
    pub fn align(&mut self) {
        let r = self.nbits & 7;
        self.drop_bits(r);
    }

    /// The next whole byte (after `align`), or None at end of input.
    pub fn byte(&mut self) -> io::Result<Option<u8>> {
        if self.nbits >= 8 {
            let b = self.bits as u8;
            self.drop_bits(8);
            return Ok(Some(b));
        }
        self.nbits = 0;
        self.bits = 0;
        if self.pos >= self.end && !self.fill()? {
            return Ok(None);
        }
        let b = self.buf[self.pos];
        self.pos += 1;
        Ok(Some(b))
    }

    /// A byte that must be there.
    pub fn need(&mut self) -> Result<u8, Error> {
        self.byte()?.ok_or(Error::Truncated)
    }

    /// Whether any input is left (after `align`).
    pub fn at_end(&mut self) -> io::Result<bool> {
        Ok(self.nbits < 8 && self.pos >= self.end && !self.fill()?)
    }

    /// Bytes read from the start of the input, counting held bits as unread.
    pub fn offset(&self) -> u64 {
        self.consumed + self.pos as u64 - u64::from(self.nbits / 8)
    }

    /// Copy up to `out.len()` whole bytes (after `align`); 0 at the end.
    fn bytes(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let mut n = 0;
        while n < out.len() && self.nbits >= 8 {
            out[n] = self.bits as u8;
            self.drop_bits(8);
            n += 1;
        }
        if n == out.len() {
            return Ok(n);
        }
        self.bits = 0;
        self.nbits = 0;
        if self.pos >= self.end && !self.fill()? {
            return Ok(n);
        }
        let k = (out.len() - n).min(self.end - self.pos);
        out[n..n + k].copy_from_slice(&self.buf[self.pos..self.pos + k]);
        self.pos += k;
        Ok(n + k)
    }
}

/// What a gzip member header says.
#[derive(Default, Debug)]
pub struct Header {
    pub name: Option<Vec<u8>>,
    pub mtime: u32,
    pub os: u8,
    pub xfl: u8,
}

/// The result of reading a member header.
pub enum Start {
    Member(Header),
    /// No more input.
    End,
    /// Something other than a gzip magic number (the bytes read).
    NotGzip(Vec<u8>),
}

fn le32(b: &[u8; 4]) -> u32 {
    u32::from_le_bytes(*b)
}

/// Read a gzip member header: magic, method, flags, and the optional
/// extra field, name, comment and header CRC.
pub fn read_header(inp: &mut Input) -> Result<Start, Error> {
    let Some(m0) = inp.byte()? else {
        return Ok(Start::End);
    };
    let m1 = inp.byte()?;
    if m0 != 0x1f || m1 != Some(0x8b) {
        let mut got = vec![m0];
        got.extend(m1);
        return Ok(Start::NotGzip(got));
    }
    let mut h = [0u8; 8];
    for b in h.iter_mut() {
        *b = inp.need()?;
    }
    if h[0] != 8 {
        return Err(Error::Corrupt("unknown method"));
    }
    let flags = h[1];
    if flags & 0xe0 != 0 {
        return Err(Error::Corrupt("unknown flags"));
    }
    let mut hdr = Header {
        mtime: le32(&[h[2], h[3], h[4], h[5]]),
        xfl: h[6],
        os: h[7],
        name: None,
    };
    if flags & 4 != 0 {
        let n = usize::from(inp.need()?) | usize::from(inp.need()?) << 8;
        for _ in 0..n {
            inp.need()?;
        }
    }
    if flags & 8 != 0 {
        let mut name = Vec::new();
        loop {
            match inp.need()? {
                0 => break,
                b => name.push(b),
            }
        }
        hdr.name = Some(name);
    }
    if flags & 16 != 0 {
        while inp.need()? != 0 {}
    }
    if flags & 2 != 0 {
        inp.need()?;
        inp.need()?;
    }
    Ok(Start::Member(hdr))
}

/// Decompress one gzip member body (after its header) into `sink`,
/// checking the CRC and length. Returns the uncompressed size and CRC.
pub fn gunzip_member(
    inp: &mut Input,
    win: &mut inflate::Window,
    sink: &mut dyn FnMut(&[u8]) -> io::Result<()>,
) -> Result<(u64, u32), Error> {
    let mut crc = 0u32;
    let mut size = 0u64;
    inflate::inflate(inp, win, &mut |d: &[u8]| {
        crc = crc32(crc, d);
        size += d.len() as u64;
        sink(d)
    })?;
    inp.align();
    let mut t = [0u8; 8];
    for b in t.iter_mut() {
        *b = inp.need()?;
    }
    if le32(&[t[0], t[1], t[2], t[3]]) != crc {
        return Err(Error::Corrupt("invalid compressed data--crc error"));
    }
    if le32(&[t[4], t[5], t[6], t[7]]) != size as u32 {
        return Err(Error::Corrupt("invalid compressed data--length error"));
    }
    Ok((size, crc))
}

/// Write a gzip header.
pub fn write_header(out: &mut Vec<u8>, name: Option<&[u8]>, mtime: u32, level: u32) {
    let flags = if name.is_some() { 8 } else { 0 };
    out.extend_from_slice(&[0x1f, 0x8b, 8, flags]);
    out.extend_from_slice(&mtime.to_le_bytes());
    out.push(match level {
        9 => 2,
        1 => 4,
        _ => 0,
    });
    out.push(3);
    if let Some(n) = name {
        out.extend(n.iter().filter(|&&b| b != 0));
        out.push(0);
    }
}

/// Read whole bytes from the input (after a stream ended), for callers
/// that pass data through (`zcat -f` on non-gzip data).
pub fn read_raw(inp: &mut Input, out: &mut [u8]) -> io::Result<usize> {
    inp.bytes(out)
}
