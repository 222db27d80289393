//! DEFLATE decompression: stored, fixed and dynamic Huffman blocks,
//! decoded with two-level lookup tables into a sliding 32 KiB window.

use super::{Error, Input};
use std::io;

const WSIZE: usize = 32 * 1024;
const WBUF: usize = 4 * WSIZE;
const MAX_MATCH: usize = 258;

const LIT_PRIMARY: u32 = 10;
const DIST_PRIMARY: u32 = 8;

// Table entry: bits 0-7 code length, 8-11 subtable bits, bit 12 link to a
// subtable, bit 13 valid; the symbol (or subtable offset) in bits 16-31.
const LINK: u32 = 1 << 12;
const VALID: u32 = 1 << 13;

pub(super) static LEN_BASE: [u16; 29] = [
    3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131,
    163, 195, 227, 258,
];
pub(super) static LEN_EXTRA: [u8; 29] = [
    0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
];
pub(super) static DIST_BASE: [u16; 30] = [
    1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537,
    2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577,
];
pub(super) static DIST_EXTRA: [u8; 30] = [
    0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13,
    13,
];
pub(super) static CL_ORDER: [usize; 19] = [
    16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15,
];

/// The output window: decoded bytes go here and are handed to the sink
/// in large pieces; the last 32 KiB stay for back-references.
pub struct Window {
    buf: Vec<u8>,
    op: usize,
    flushed: usize,
}

impl Default for Window {
    fn default() -> Self {
        Window::new()
    }
}

impl Window {
    pub fn new() -> Window {
        Window {
            buf: vec![0; WBUF + 8],
            op: 0,
            flushed: 0,
        }
    }

    fn flush(&mut self, sink: &mut dyn FnMut(&[u8]) -> io::Result<()>) -> io::Result<()> {
        if self.op > self.flushed {
            sink(&self.buf[self.flushed..self.op])?;
        }
        if self.op > WSIZE {
            self.buf.copy_within(self.op - WSIZE..self.op, 0);
            self.op = WSIZE;
        }
        self.flushed = self.op;
        Ok(())
    }
}

/// Build a decoding table from code lengths. Over-subscribed codes are
/// refused; unused entries of incomplete codes stay invalid.
fn build(lens: &[u8], primary: u32, t: &mut Vec<u32>) -> Result<(), Error> {
    let mut count = [0u32; 16];
    for &l in lens {
        count[usize::from(l & 15)] += 1;
    }
    count[0] = 0;
    let mut left: i32 = 1;
    for &c in &count[1..] {
        left = (left << 1) - c as i32;
        if left < 0 {
            return Err(Error::Corrupt("invalid compressed data--format violated"));
        }
    }
    let mut next = [0u32; 16];
    let mut code = 0;
    for bits in 1..16 {
        code = (code + count[bits - 1]) << 1;
        next[bits] = code;
    }
    let psize = 1usize << primary;
    let pmask = psize as u32 - 1;
    t.clear();
    t.resize(psize, 0);
    // Codes of each symbol, bit-reversed, and the longest code under each
    // primary prefix.
    let mut codes = [0u32; 288];
    let mut longest = vec![0u8; psize];
    for (sym, &l) in lens.iter().enumerate() {
        if l == 0 {
            continue;
        }
        let c = next[usize::from(l)];
        next[usize::from(l)] += 1;
        let rev = c.reverse_bits() >> (32 - u32::from(l));
        if let Some(slot) = codes.get_mut(sym) {
            *slot = rev;
        }
        if u32::from(l) > primary {
            let p = (rev & pmask) as usize;
            longest[p] = longest[p].max(l);
        }
    }
    for (p, &l) in longest.iter().enumerate() {
        if l != 0 {
            let sub = u32::from(l) - primary;
            let off = t.len() as u32;
            t[p] = off << 16 | LINK | sub << 8 | VALID | primary;
            t.resize(t.len() + (1 << sub), 0);
        }
    }
    for (sym, &l) in lens.iter().enumerate() {
        if l == 0 {
            continue;
        }
        let l = u32::from(l);
        let rev = codes.get(sym).copied().unwrap_or(0);
        let e = (sym as u32) << 16 | VALID | l;
        if l <= primary {
            let mut k = rev as usize;
            while k < psize {
                t[k] = e;
                k += 1 << l;
            }
        } else {
            let link = t[(rev & pmask) as usize];
            let off = (link >> 16) as usize;
            let sub = (link >> 8) & 15;
            let mut k = (rev >> primary) as usize;
            while k < 1 << sub {
                if let Some(slot) = t.get_mut(off + k) {
                    *slot = e;
                }
                k += 1 << (l - primary);
            }
        }
    }
    Ok(())
}

#[inline]
fn decode(inp: &mut Input, t: &[u32], primary: u32) -> Result<u32, Error> {
    if inp.nbits < 15 {
        inp.refill()?;
    }
    let mut e = t
        .get((inp.bits & ((1 << primary) - 1)) as usize)
        .copied()
        .unwrap_or(0);
    if e & LINK != 0 {
        let sub = (e >> 8) & 15;
        let idx = (e >> 16) as usize + ((inp.bits >> primary) & ((1 << sub) - 1)) as usize;
        e = t.get(idx).copied().unwrap_or(0);
    }
    let len = e & 0xff;
    if e & VALID == 0 || len > inp.nbits {
        if inp.nbits < 15 {
            return Err(Error::Truncated);
        }
        return Err(Error::Corrupt("invalid compressed data--format violated"));
    }
    inp.drop_bits(len);
    Ok(e >> 16)
}

const BAD: Error = Error::Corrupt("invalid compressed data--format violated");

/// Read a dynamic block's code lengths and build its two tables.
fn dynamic(inp: &mut Input, lit: &mut Vec<u32>, dist: &mut Vec<u32>) -> Result<(), Error> {
    let hlit = inp.take(5)? as usize + 257;
    let hdist = inp.take(5)? as usize + 1;
    let hclen = inp.take(4)? as usize + 4;
    if hlit > 286 || hdist > 30 {
        return Err(BAD);
    }
    let mut cl = [0u8; 19];
    for &i in &CL_ORDER[..hclen] {
        cl[i] = inp.take(3)? as u8;
    }
    let mut clt = Vec::new();
    build(&cl, 7, &mut clt)?;
    let mut lens = [0u8; 316];
    let total = hlit + hdist;
    let mut i = 0;
    while i < total {
        let sym = decode(inp, &clt, 7)?;
        let (val, n) = match sym {
            0..=15 => (sym as u8, 1),
            16 => {
                if i == 0 {
                    return Err(BAD);
                }
                (lens[i - 1], 3 + inp.take(2)? as usize)
            }
            17 => (0, 3 + inp.take(3)? as usize),
            _ => (0, 11 + inp.take(7)? as usize),
        };
        if i + n > total {
            return Err(BAD);
        }
        lens[i..i + n].fill(val);
        i += n;
    }
    if lens[256] == 0 {
        return Err(BAD);
    }
    build(&lens[..hlit], LIT_PRIMARY, lit)?;
    build(&lens[hlit..total], DIST_PRIMARY, dist)
}

fn fixed(lit: &mut Vec<u32>, dist: &mut Vec<u32>) -> Result<(), Error> {
    let mut l = [0u8; 288];
    l[..144].fill(8);
    l[144..256].fill(9);
    l[256..280].fill(7);
    l[280..].fill(8);
    build(&l, LIT_PRIMARY, lit)?;
    build(&[5u8; 30], DIST_PRIMARY, dist)
}

/// Decode one DEFLATE stream from `inp`, passing the output to `sink`.
/// The input is left just after the stream's last bit.
pub fn inflate(
    inp: &mut Input,
    win: &mut Window,
    sink: &mut dyn FnMut(&[u8]) -> io::Result<()>,
) -> Result<(), Error> {
    win.op = 0;
    win.flushed = 0;
    let r = blocks(inp, win, sink);
    if r.is_err() {
        // Hand over what was decoded before the damage.
        let _ = win.flush(sink);
    }
    r?;
    win.flush(sink)?;
    Ok(())
}

fn blocks(
    inp: &mut Input,
    win: &mut Window,
    sink: &mut dyn FnMut(&[u8]) -> io::Result<()>,
) -> Result<(), Error> {
    let mut lit = Vec::new();
    let mut dist = Vec::new();
    loop {
        let last = inp.take(1)?;
        match inp.take(2)? {
            0 => stored(inp, win, sink)?,
            1 => {
                fixed(&mut lit, &mut dist)?;
                codes(inp, win, sink, &lit, &dist)?;
            }
            2 => {
                dynamic(inp, &mut lit, &mut dist)?;
                codes(inp, win, sink, &lit, &dist)?;
            }
            _ => return Err(Error::Corrupt("invalid compressed data--format violated")),
        }
        if last == 1 {
            return Ok(());
        }
    }
}

fn stored(
    inp: &mut Input,
    win: &mut Window,
    sink: &mut dyn FnMut(&[u8]) -> io::Result<()>,
) -> Result<(), Error> {
    inp.align();
    let mut h = [0u8; 4];
    for b in h.iter_mut() {
        *b = inp.need()?;
    }
    let len = u16::from_le_bytes([h[0], h[1]]);
    if len != !u16::from_le_bytes([h[2], h[3]]) {
        return Err(Error::Corrupt("invalid compressed data--format violated"));
    }
    let mut left = usize::from(len);
    while left > 0 {
        if win.op + MAX_MATCH >= WBUF {
            win.flush(sink)?;
        }
        let k = left.min(WBUF - win.op);
        let got = inp.bytes(&mut win.buf[win.op..win.op + k])?;
        if got == 0 {
            return Err(Error::Truncated);
        }
        win.op += got;
        left -= got;
    }
    Ok(())
}

fn codes(
    inp: &mut Input,
    win: &mut Window,
    sink: &mut dyn FnMut(&[u8]) -> io::Result<()>,
    lit: &[u32],
    dist: &[u32],
) -> Result<(), Error> {
    loop {
        if win.op + MAX_MATCH >= WBUF {
            win.flush(sink)?;
        }
        if inp.nbits < 48 {
            inp.refill()?;
        }
        let sym = decode(inp, lit, LIT_PRIMARY)? as usize;
        if sym < 256 {
            win.buf[win.op] = sym as u8;
            win.op += 1;
            continue;
        }
        if sym == 256 {
            return Ok(());
        }
        let i = sym - 257;
        let (Some(&base), Some(&extra)) = (LEN_BASE.get(i), LEN_EXTRA.get(i)) else {
            return Err(BAD);
        };
        let len = usize::from(base) + inp.take(u32::from(extra))? as usize;
        let ds = decode(inp, dist, DIST_PRIMARY)? as usize;
        let (Some(&base), Some(&extra)) = (DIST_BASE.get(ds), DIST_EXTRA.get(ds)) else {
            return Err(BAD);
        };
        let d = usize::from(base) + inp.take(u32::from(extra))? as usize;
        if d > win.op {
            return Err(BAD);
        }
        let from = win.op - d;
        let to = win.op;
        let buf = &mut win.buf[..];
        if d >= 8 {
            // Whole words, each read from bytes already final; the last
            // may run up to 7 bytes past the match (the buffer has room).
            let mut k = 0;
            while k < len {
                let mut w = [0u8; 8];
                w.copy_from_slice(&buf[from + k..from + k + 8]);
                buf[to + k..to + k + 8].copy_from_slice(&w);
                k += 8;
            }
        } else if d == 1 {
            let b = buf[from];
            buf[to..to + len].fill(b);
        } else {
            for k in 0..len {
                buf[to + k] = buf[from + k];
            }
        }
        win.op += len;
    }
}

/// Decompress a whole raw DEFLATE stream held in memory (for tests and
/// small uses).
pub fn inflate_vec(data: &[u8]) -> Result<Vec<u8>, Error> {
    let mut inp = Input::from_vec(data.to_vec());
    let mut win = Window::new();
    let mut out = Vec::new();
    inflate(&mut inp, &mut win, &mut |d: &[u8]| {
        out.extend_from_slice(d);
        Ok(())
    })?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_and_fixed() {
        // A stored block "hi", final.
        let s = [1, 2, 0, 0xfd, 0xff, b'h', b'i'];
        assert_eq!(inflate_vec(&s).unwrap(), b"hi");
        // Fixed-Huffman "a" (zlib output for "a" without header).
        let f = [0x4b, 0x04, 0x00];
        assert_eq!(inflate_vec(&f).unwrap(), b"a");
        assert!(matches!(
            inflate_vec(&[1, 2, 0, 0, 0]),
            Err(Error::Corrupt(_))
        ));
        assert!(matches!(inflate_vec(&[]), Err(Error::Truncated)));
        assert!(matches!(inflate_vec(&[7]), Err(Error::Corrupt(_))));
    }

    #[test]
    fn damaged_streams_end_in_errors() {
        let mut text = Vec::new();
        for i in 0..3000u32 {
            text.extend_from_slice(format!("{} {}\n", i, i * 7 % 13).as_bytes());
        }
        let good = super::super::deflate::compress_vec(6, &text);
        assert_eq!(inflate_vec(&good).unwrap(), text);
        // Every truncation is an error.
        for cut in (0..good.len()).step_by(5) {
            assert!(inflate_vec(&good[..cut]).is_err(), "cut {cut}");
        }
        // Bit flips and random data decode or fail, never panic or hang.
        let mut x = 0x2545_f491_4f6c_dd1du64;
        let mut rnd = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        for _ in 0..1000 {
            let mut b = good.clone();
            for _ in 0..1 + rnd() % 3 {
                let p = (rnd() % b.len() as u64) as usize;
                b[p] ^= 1 << (rnd() % 8);
            }
            let _ = inflate_vec(&b);
        }
        for n in 0..2000 {
            let junk: Vec<u8> = (0..n % 300).map(|_| rnd() as u8).collect();
            let _ = inflate_vec(&junk);
        }
    }
}
