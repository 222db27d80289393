//! SHA-1 (FIPS 180-4): the CPU's SHA instructions when present, else an
//! unrolled portable version.

use super::Blocks;

#[derive(Clone)]
pub struct Sha1 {
    state: [u32; 5],
    blocks: Blocks<64>,
}

impl Default for Sha1 {
    fn default() -> Self {
        Self::new()
    }
}

impl Sha1 {
    pub const fn new() -> Sha1 {
        Sha1 {
            state: [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0],
            blocks: Blocks::new(),
        }
    }

    pub fn update(&mut self, data: &[u8]) {
        let state = &mut self.state;
        self.blocks.update(data, |b| compress(state, b));
    }

    pub fn finish(mut self) -> [u8; 20] {
        let state = &mut self.state;
        self.blocks.pad(8, true, |b| compress(state, b));
        let mut out = [0u8; 20];
        for (o, s) in out.chunks_exact_mut(4).zip(self.state) {
            o.copy_from_slice(&s.to_be_bytes());
        }
        out
    }
}

/// Run the compression function over whole 64-byte blocks.
pub fn compress(state: &mut [u32; 5], blocks: &[u8]) {
    if crate::sys::sha1_blocks_ni(state, blocks) {
        return;
    }
    portable(state, blocks);
}

macro_rules! round {
    ($a:ident, $b:ident, $c:ident, $d:ident, $e:ident, $f:expr, $k:expr, $w:expr) => {
        $e = $e
            .wrapping_add($a.rotate_left(5))
            .wrapping_add($f)
            .wrapping_add($k)
            .wrapping_add($w);
        $b = $b.rotate_left(30);
    };
}

/// The portable compression function (also the reference for the
/// accelerated one).
#[allow(unused_assignments)] // the ring's last words are not read
pub fn portable(state: &mut [u32; 5], blocks: &[u8]) {
    let [mut h0, mut h1, mut h2, mut h3, mut h4] = *state;
    for block in blocks.chunks_exact(64) {
        let mut w = [0u32; 16];
        for (x, c) in w.iter_mut().zip(block.chunks_exact(4)) {
            *x = u32::from_be_bytes([c[0], c[1], c[2], c[3]]);
        }
        let (mut a, mut b, mut c, mut d, mut e) = (h0, h1, h2, h3, h4);
        // Message word t: the first 16 are the block, then each one is
        // computed in place in a 16-word ring.
        macro_rules! wt {
            ($t:expr) => {{
                if $t < 16 {
                    w[$t & 15]
                } else {
                    let v = (w[($t + 13) & 15] ^ w[($t + 8) & 15] ^ w[($t + 2) & 15] ^ w[$t & 15])
                        .rotate_left(1);
                    w[$t & 15] = v;
                    v
                }
            }};
        }
        macro_rules! five {
            ($t:expr, $f:ident, $k:expr) => {
                round!(a, b, c, d, e, $f!(b, c, d), $k, wt!($t));
                round!(e, a, b, c, d, $f!(a, b, c), $k, wt!($t + 1));
                round!(d, e, a, b, c, $f!(e, a, b), $k, wt!($t + 2));
                round!(c, d, e, a, b, $f!(d, e, a), $k, wt!($t + 3));
                round!(b, c, d, e, a, $f!(c, d, e), $k, wt!($t + 4));
            };
        }
        macro_rules! ch {
            ($x:expr, $y:expr, $z:expr) => {
                $z ^ ($x & ($y ^ $z))
            };
        }
        macro_rules! parity {
            ($x:expr, $y:expr, $z:expr) => {
                $x ^ $y ^ $z
            };
        }
        macro_rules! maj {
            ($x:expr, $y:expr, $z:expr) => {
                ($x & $y) | ($z & ($x | $y))
            };
        }
        five!(0, ch, 0x5a827999);
        five!(5, ch, 0x5a827999);
        five!(10, ch, 0x5a827999);
        five!(15, ch, 0x5a827999);
        five!(20, parity, 0x6ed9eba1);
        five!(25, parity, 0x6ed9eba1);
        five!(30, parity, 0x6ed9eba1);
        five!(35, parity, 0x6ed9eba1);
        five!(40, maj, 0x8f1bbcdc);
        five!(45, maj, 0x8f1bbcdc);
        five!(50, maj, 0x8f1bbcdc);
        five!(55, maj, 0x8f1bbcdc);
        five!(60, parity, 0xca62c1d6);
        five!(65, parity, 0xca62c1d6);
        five!(70, parity, 0xca62c1d6);
        five!(75, parity, 0xca62c1d6);
        h0 = h0.wrapping_add(a);
        h1 = h1.wrapping_add(b);
        h2 = h2.wrapping_add(c);
        h3 = h3.wrapping_add(d);
        h4 = h4.wrapping_add(e);
    }
    *state = [h0, h1, h2, h3, h4];
}

#[cfg(test)]
mod tests {
    #[test]
    fn accelerated_matches_portable() {
        let data: Vec<u8> = (0..64 * 9).map(|i| (i * 31 + 7) as u8).collect();
        let mut a = [1u32, 2, 3, 4, 5];
        let mut b = a;
        super::portable(&mut a, &data);
        if crate::sys::sha1_blocks_ni(&mut b, &data) {
            assert_eq!(a, b);
        }
    }
}
