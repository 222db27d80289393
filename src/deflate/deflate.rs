//! DEFLATE compression: LZ77 over a 32 KiB window with hash chains
//! (greedy for levels 1-3, lazy matching for 4-9), and each block sent
//! as whichever of stored, fixed or dynamic Huffman is smallest.

use super::inflate::{CL_ORDER, DIST_BASE, DIST_EXTRA, LEN_BASE, LEN_EXTRA};
use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::io;

const WSIZE: usize = 32 * 1024;
const WMASK: usize = WSIZE - 1;
const MIN_MATCH: usize = 3;
const MAX_MATCH: usize = 258;
const MIN_LOOKAHEAD: usize = MAX_MATCH + MIN_MATCH + 1;
const MAX_DIST: usize = WSIZE - MIN_LOOKAHEAD;
const HBITS: u32 = 15;
const SYM_MAX: usize = 16 * 1024 - 1;
const TOO_FAR: usize = 4096;

/// (good length, lazy length, nice length, chain) per level, 1 to 9.
const LEVELS: [(usize, usize, usize, usize); 9] = [
    (4, 4, 8, 4),
    (4, 5, 16, 8),
    (4, 6, 32, 32),
    (4, 4, 16, 16),
    (8, 16, 32, 32),
    (8, 16, 128, 128),
    (8, 32, 128, 256),
    (32, 128, 258, 1024),
    (32, 258, 258, 4096),
];

#[derive(Clone, Copy)]
struct Sym {
    /// Literal/length code (0-285).
    lc: u16,
    lextra: u16,
    /// Distance code, or 0xff for a literal.
    dc: u8,
    dextra: u16,
}

struct Bits {
    out: Vec<u8>,
    acc: u64,
    n: u32,
}

impl Bits {
    #[inline]
    fn put(&mut self, v: u32, n: u32) {
        self.acc |= u64::from(v) << self.n;
        self.n += n;
        if self.n >= 32 {
            self.out.extend_from_slice(&(self.acc as u32).to_le_bytes());
            self.acc >>= 32;
            self.n -= 32;
        }
    }
    fn align(&mut self) {
        while self.n > 0 {
            self.out.push(self.acc as u8);
            self.acc >>= 8;
            self.n = self.n.saturating_sub(8);
        }
        self.acc = 0;
    }
}

struct Lz {
    win: Vec<u8>,
    head: Vec<u32>,
    prev: Vec<u32>,
    strstart: usize,
    lookahead: usize,
    /// Start of the data the pending block covers (negative once slid away).
    block_start: isize,
    /// End of the data covered by the symbols so far.
    covered: usize,
    eof: bool,
    syms: Vec<Sym>,
    bits: Bits,
    good: usize,
    lazy: usize,
    nice: usize,
    chain: usize,
}

#[inline]
fn hash(w: &[u8], p: usize) -> usize {
    let v = u32::from(w[p]) | u32::from(w[p + 1]) << 8 | u32::from(w[p + 2]) << 16;
    (v.wrapping_mul(0x9E37_79B1) >> (32 - HBITS)) as usize
}

fn len_code(len: usize) -> (u16, u16) {
    let i = LEN_BASE.partition_point(|&b| usize::from(b) <= len) - 1;
    (257 + i as u16, (len - usize::from(LEN_BASE[i])) as u16)
}

fn dist_code(d: usize) -> (u8, u16) {
    let i = DIST_BASE.partition_point(|&b| usize::from(b) <= d) - 1;
    (i as u8, (d - usize::from(DIST_BASE[i])) as u16)
}

impl Lz {
    fn fill(&mut self, read: &mut dyn FnMut(&mut [u8]) -> io::Result<usize>) -> io::Result<()> {
        if self.strstart >= WSIZE + MAX_DIST {
            self.win.copy_within(WSIZE..2 * WSIZE, 0);
            self.strstart -= WSIZE;
            self.covered -= WSIZE;
            self.block_start -= WSIZE as isize;
            for h in self.head.iter_mut().chain(self.prev.iter_mut()) {
                *h = h.saturating_sub(WSIZE as u32);
            }
        }
        while !self.eof && self.lookahead < MIN_LOOKAHEAD {
            let at = self.strstart + self.lookahead;
            if at >= 2 * WSIZE {
                break;
            }
            let n = loop {
                match read(&mut self.win[at..2 * WSIZE]) {
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                    r => break r?,
                }
            };
            if n == 0 {
                self.eof = true;
            }
            self.lookahead += n;
        }
        Ok(())
    }

    /// Insert position `p` into the hash chains; the previous head.
    #[inline]
    fn insert(&mut self, p: usize) -> usize {
        if p + MIN_MATCH > self.strstart + self.lookahead {
            return 0;
        }
        let h = hash(&self.win, p);
        let old = self.head[h];
        self.prev[p & WMASK] = old;
        self.head[h] = p as u32;
        old as usize
    }

    fn longest(&self, mut cur: usize, prev_len: usize) -> (usize, usize) {
        let s = self.strstart;
        let w = &self.win;
        let mut chain = self.chain;
        if prev_len >= self.good {
            chain >>= 2;
        }
        let maxlen = MAX_MATCH.min(self.lookahead);
        let nice = self.nice.min(maxlen);
        let limit = s.saturating_sub(MAX_DIST);
        let mut best = prev_len;
        let mut start = 0;
        if best >= maxlen {
            return (0, 0);
        }
        loop {
            if w[cur + best] == w[s + best]
                && w[cur + best - 1] == w[s + best - 1]
                && w[cur] == w[s]
                && w[cur + 1] == w[s + 1]
            {
                let mut n = 2;
                loop {
                    if n + 8 <= maxlen {
                        let mut a = [0u8; 8];
                        let mut b = [0u8; 8];
                        a.copy_from_slice(&w[s + n..s + n + 8]);
                        b.copy_from_slice(&w[cur + n..cur + n + 8]);
                        let x = u64::from_le_bytes(a) ^ u64::from_le_bytes(b);
                        if x != 0 {
                            n += (x.trailing_zeros() / 8) as usize;
                            break;
                        }
                        n += 8;
                    } else {
                        while n < maxlen && w[s + n] == w[cur + n] {
                            n += 1;
                        }
                        break;
                    }
                }
                if n > best {
                    best = n;
                    start = cur;
                    if n >= nice {
                        break;
                    }
                }
            }
            let next = self.prev[cur & WMASK] as usize;
            chain -= 1;
            if next <= limit || next >= cur || chain == 0 {
                break;
            }
            cur = next;
        }
        if start == 0 { (0, 0) } else { (best, start) }
    }

    fn literal(&mut self, b: u8) {
        self.syms.push(Sym {
            lc: u16::from(b),
            lextra: 0,
            dc: 0xff,
            dextra: 0,
        });
        self.covered += 1;
    }

    fn matched(&mut self, dist: usize, len: usize) {
        let (lc, lextra) = len_code(len);
        let (dc, dextra) = dist_code(dist);
        self.syms.push(Sym {
            lc,
            lextra,
            dc,
            dextra,
        });
        self.covered += len;
    }

    fn maybe_flush(&mut self, sink: &mut dyn FnMut(&[u8]) -> io::Result<()>) -> io::Result<()> {
        if self.syms.len() >= SYM_MAX {
            self.block(false);
            sink(&self.bits.out)?;
            self.bits.out.clear();
        }
        Ok(())
    }

    /// Send the pending symbols as one block.
    fn block(&mut self, last: bool) {
        let mut lf = [0u32; 286];
        let mut df = [0u32; 30];
        let mut extra_bits = 0u64;
        for s in &self.syms {
            lf[usize::from(s.lc)] += 1;
            if s.dc != 0xff {
                df[usize::from(s.dc)] += 1;
                extra_bits += u64::from(LEN_EXTRA[usize::from(s.lc - 257)])
                    + u64::from(DIST_EXTRA[usize::from(s.dc)]);
            }
        }
        lf[256] = 1;
        let mut ll = [0u8; 286];
        let mut dl = [0u8; 30];
        lengths(&lf, 15, &mut ll);
        let mut df2 = df;
        if df2.iter().filter(|&&f| f > 0).count() < 2 {
            df2[0] = df2[0].max(1);
            df2[1] = df2[1].max(1);
        }
        lengths(&df2, 15, &mut dl);
        let hlit = 257.max(ll.iter().rposition(|&l| l > 0).map_or(0, |i| i + 1));
        let hdist = 1.max(dl.iter().rposition(|&l| l > 0).map_or(0, |i| i + 1));
        let mut all = Vec::with_capacity(hlit + hdist);
        all.extend_from_slice(&ll[..hlit]);
        all.extend_from_slice(&dl[..hdist]);
        let rle = run_lengths(&all);
        let mut cf = [0u32; 19];
        for &(c, _) in &rle {
            cf[usize::from(c)] += 1;
        }
        let mut cl = [0u8; 19];
        lengths(&cf, 7, &mut cl);
        let hclen = 4.max(
            CL_ORDER
                .iter()
                .rposition(|&i| cl[i] > 0)
                .map_or(0, |i| i + 1),
        );
        let cost = |l: &[u8], d: &[u8]| -> u64 {
            let mut c = extra_bits + u64::from(l[256]);
            for s in &self.syms {
                c += u64::from(l[usize::from(s.lc)]);
                if s.dc != 0xff {
                    c += u64::from(d[usize::from(s.dc)]);
                }
            }
            c
        };
        let mut dyn_cost = 3 + 14 + 3 * hclen as u64 + cost(&ll, &dl);
        for &(c, _) in &rle {
            dyn_cost += u64::from(cl[usize::from(c)])
                + match c {
                    16 => 2,
                    17 => 3,
                    18 => 7,
                    _ => 0,
                };
        }
        let (fl, fd) = fixed_lengths();
        let fixed_cost = 3 + cost(&fl, &fd);
        let raw_len = self.covered as isize - self.block_start;
        let stored_cost = if self.block_start >= 0 {
            let chunks = (raw_len as u64).div_ceil(65535).max(1);
            (raw_len as u64 + 4 * chunks) * 8 + 10 * chunks
        } else {
            u64::MAX
        };
        let lastbit = u32::from(last);
        if stored_cost <= fixed_cost.min(dyn_cost) {
            let start = self.block_start as usize;
            let data = &self.win[start..start + raw_len as usize];
            let mut chunks = data.chunks(65535).peekable();
            if data.is_empty() {
                self.bits.put(lastbit, 3);
                self.bits.align();
                self.bits.out.extend_from_slice(&[0, 0, 0xff, 0xff]);
            }
            while let Some(c) = chunks.next() {
                let fin = lastbit & u32::from(chunks.peek().is_none());
                self.bits.put(fin, 3);
                self.bits.align();
                let n = c.len() as u16;
                self.bits.out.extend_from_slice(&n.to_le_bytes());
                self.bits.out.extend_from_slice(&(!n).to_le_bytes());
                self.bits.out.extend_from_slice(c);
            }
        } else if fixed_cost <= dyn_cost {
            self.bits.put(lastbit | 2, 3);
            self.symbols(&fl, &fd);
        } else {
            self.bits.put(lastbit | 4, 3);
            self.bits.put(hlit as u32 - 257, 5);
            self.bits.put(hdist as u32 - 1, 5);
            self.bits.put(hclen as u32 - 4, 4);
            for &i in &CL_ORDER[..hclen] {
                self.bits.put(u32::from(cl[i]), 3);
            }
            let cc = codes(&cl);
            for &(c, x) in &rle {
                let i = usize::from(c);
                self.bits.put(cc[i], u32::from(cl[i]));
                match c {
                    16 => self.bits.put(u32::from(x), 2),
                    17 => self.bits.put(u32::from(x), 3),
                    18 => self.bits.put(u32::from(x), 7),
                    _ => {}
                }
            }
            self.symbols(&ll, &dl);
        }
        if last {
            self.bits.align();
        }
        self.syms.clear();
        self.block_start = self.covered as isize;
    }

    fn symbols(&mut self, l: &[u8], d: &[u8]) {
        let lc = codes(l);
        let dc = codes(d);
        for s in &self.syms {
            let i = usize::from(s.lc);
            self.bits.put(lc[i], u32::from(l[i]));
            if s.dc != 0xff {
                self.bits
                    .put(u32::from(s.lextra), u32::from(LEN_EXTRA[i - 257]));
                let j = usize::from(s.dc);
                self.bits.put(dc[j], u32::from(d[j]));
                self.bits.put(u32::from(s.dextra), u32::from(DIST_EXTRA[j]));
            }
        }
        self.bits.put(lc[256], u32::from(l[256]));
    }
}

fn fixed_lengths() -> ([u8; 288], [u8; 30]) {
    let mut l = [8u8; 288];
    l[144..256].fill(9);
    l[256..280].fill(7);
    (l, [5u8; 30])
}

/// Canonical codes for `lens`, bit-reversed for LSB-first output.
fn codes(lens: &[u8]) -> Vec<u32> {
    let mut count = [0u32; 16];
    for &l in lens {
        count[usize::from(l)] += 1;
    }
    count[0] = 0;
    let mut next = [0u32; 16];
    let mut code = 0;
    for b in 1..16 {
        code = (code + count[b - 1]) << 1;
        next[b] = code;
    }
    lens.iter()
        .map(|&l| {
            if l == 0 {
                return 0;
            }
            let c = next[usize::from(l)];
            next[usize::from(l)] += 1;
            c.reverse_bits() >> (32 - u32::from(l))
        })
        .collect()
}

/// Huffman code lengths for `freq`, no longer than `limit` (frequencies
/// are flattened until the code fits).
fn lengths(freq: &[u32], limit: u8, out: &mut [u8]) {
    let mut f: Vec<u32> = freq.to_vec();
    loop {
        out.fill(0);
        let used: Vec<usize> = (0..f.len()).filter(|&i| f[i] > 0).collect();
        if used.len() == 1 {
            out[used[0]] = 1;
            return;
        }
        if used.is_empty() {
            return;
        }
        // Nodes: leaves 0..n, internal after; parent links.
        let n = used.len();
        let mut parent = vec![0usize; 2 * n - 1];
        let mut heap: BinaryHeap<Reverse<(u64, usize)>> = used
            .iter()
            .enumerate()
            .map(|(k, &i)| Reverse((u64::from(f[i]), k)))
            .collect();
        let mut next = n;
        while let (Some(Reverse((fa, a))), Some(Reverse((fb, b)))) = (heap.pop(), heap.pop()) {
            parent[a] = next;
            parent[b] = next;
            heap.push(Reverse((fa + fb, next)));
            next += 1;
        }
        // Depths: the root is the last node; parents come after children.
        let mut depth = vec![0u8; 2 * n - 1];
        for k in (0..2 * n - 2).rev() {
            depth[k] = depth[parent[k]].saturating_add(1);
        }
        let max = depth[..n].iter().copied().max().unwrap_or(0);
        if max <= limit {
            for (k, &i) in used.iter().enumerate() {
                out[i] = depth[k];
            }
            return;
        }
        for x in f.iter_mut() {
            if *x > 0 {
                *x = x.div_ceil(2);
            }
        }
    }
}

/// Run-length encode code lengths with the code-length alphabet:
/// (symbol, extra value).
fn run_lengths(lens: &[u8]) -> Vec<(u8, u8)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < lens.len() {
        let v = lens[i];
        let run = lens[i..].iter().take_while(|&&x| x == v).count();
        let mut left = run;
        if v == 0 {
            while left >= 11 {
                let k = left.min(138);
                out.push((18, (k - 11) as u8));
                left -= k;
            }
            if left >= 3 {
                out.push((17, (left - 3) as u8));
                left = 0;
            }
        } else {
            out.push((v, 0));
            left -= 1;
            while left >= 3 {
                let k = left.min(6);
                out.push((16, (k - 3) as u8));
                left -= k;
            }
        }
        for _ in 0..left {
            out.push((v, 0));
        }
        i += run;
    }
    out
}

/// Compress everything `read` gives into a raw DEFLATE stream passed to
/// `sink` in pieces. `level` is 1 (fastest) to 9 (smallest).
pub fn compress(
    level: u32,
    read: &mut dyn FnMut(&mut [u8]) -> io::Result<usize>,
    sink: &mut dyn FnMut(&[u8]) -> io::Result<()>,
) -> io::Result<()> {
    let (good, lazy, nice, chain) = LEVELS[(level.clamp(1, 9) - 1) as usize];
    let mut z = Lz {
        win: vec![0; 2 * WSIZE + MAX_MATCH + 8],
        head: vec![0; 1 << HBITS],
        prev: vec![0; WSIZE],
        strstart: 0,
        lookahead: 0,
        block_start: 0,
        covered: 0,
        eof: false,
        syms: Vec::with_capacity(SYM_MAX + 1),
        bits: Bits {
            out: Vec::with_capacity(64 * 1024),
            acc: 0,
            n: 0,
        },
        good,
        lazy,
        nice,
        chain,
    };
    if level <= 3 {
        greedy(&mut z, read, sink)?;
    } else {
        lazy_loop(&mut z, read, sink)?;
    }
    z.block(true);
    sink(&z.bits.out)
}

fn greedy(
    z: &mut Lz,
    read: &mut dyn FnMut(&mut [u8]) -> io::Result<usize>,
    sink: &mut dyn FnMut(&[u8]) -> io::Result<()>,
) -> io::Result<()> {
    loop {
        if z.lookahead < MIN_LOOKAHEAD {
            z.fill(read)?;
            if z.lookahead == 0 {
                return Ok(());
            }
        }
        let s = z.strstart;
        let head = z.insert(s);
        let (mut len, mut start) = (0, 0);
        if head != 0 && s - head <= MAX_DIST {
            (len, start) = z.longest(head, MIN_MATCH - 1);
        }
        if len >= MIN_MATCH {
            z.matched(s - start, len);
            if len <= z.lazy {
                for p in s + 1..s + len {
                    z.insert(p);
                }
            }
            z.lookahead -= len;
            z.strstart += len;
        } else {
            z.literal(z.win[s]);
            z.strstart += 1;
            z.lookahead -= 1;
        }
        z.maybe_flush(sink)?;
    }
}

fn lazy_loop(
    z: &mut Lz,
    read: &mut dyn FnMut(&mut [u8]) -> io::Result<usize>,
    sink: &mut dyn FnMut(&[u8]) -> io::Result<()>,
) -> io::Result<()> {
    let mut match_len = MIN_MATCH - 1;
    let mut match_start = 0usize;
    let mut pending = false;
    loop {
        if z.lookahead < MIN_LOOKAHEAD {
            let before = z.strstart;
            z.fill(read)?;
            // A slide moves every position back by WSIZE.
            if z.strstart < before {
                match_start = match_start.saturating_sub(WSIZE);
            }
            if z.lookahead == 0 {
                break;
            }
        }
        let s = z.strstart;
        let head = z.insert(s);
        let prev_len = match_len;
        let prev_start = match_start;
        match_len = MIN_MATCH - 1;
        if head != 0 && prev_len < z.lazy && s - head <= MAX_DIST {
            let (l, st) = z.longest(head, prev_len);
            if l > 0 {
                match_len = l;
                match_start = st;
                if match_len == MIN_MATCH && s - match_start > TOO_FAR {
                    match_len = MIN_MATCH - 1;
                }
            }
        }
        if prev_len >= MIN_MATCH && match_len <= prev_len {
            z.matched(s - 1 - prev_start, prev_len);
            for p in s + 1..s - 1 + prev_len {
                z.insert(p);
            }
            z.lookahead -= prev_len - 1;
            z.strstart = s - 1 + prev_len;
            pending = false;
            match_len = MIN_MATCH - 1;
        } else {
            if pending {
                z.literal(z.win[s - 1]);
            }
            pending = true;
            z.strstart += 1;
            z.lookahead -= 1;
        }
        z.maybe_flush(sink)?;
    }
    if pending {
        z.literal(z.win[z.strstart - 1]);
    }
    Ok(())
}

/// Compress a buffer in memory (for tests and small uses).
pub fn compress_vec(level: u32, data: &[u8]) -> Vec<u8> {
    let mut src = data;
    let mut out = Vec::new();
    let _ = compress(
        level,
        &mut |b: &mut [u8]| {
            let n = b.len().min(src.len());
            b[..n].copy_from_slice(&src[..n]);
            src = &src[n..];
            Ok(n)
        },
        &mut |d: &[u8]| {
            out.extend_from_slice(d);
            Ok(())
        },
    );
    out
}

#[cfg(test)]
mod tests {
    use super::super::inflate::inflate_vec;
    use super::*;

    #[test]
    fn round_trips() {
        let mut text = Vec::new();
        for i in 0..20000u32 {
            text.extend_from_slice(format!("line {} of {}\n", i % 97, i % 13).as_bytes());
        }
        let mut rnd = Vec::new();
        let mut x = 12345u32;
        for _ in 0..100_000 {
            x = x.wrapping_mul(1103515245).wrapping_add(12345);
            rnd.push((x >> 16) as u8);
        }
        for data in [&b""[..], b"a", b"aaaaaaaaaaaaaaaaaaaaaaaaa", &text, &rnd] {
            for level in [1, 3, 4, 6, 9] {
                let c = compress_vec(level, data);
                assert_eq!(inflate_vec(&c).unwrap(), data, "level {level}");
            }
        }
        assert!(compress_vec(6, &text).len() < text.len() / 5);
    }
}
