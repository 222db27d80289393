//! SHA-256 (FIPS 180-4): the CPU's SHA instructions when present, else an
//! unrolled portable version.

use super::Blocks;

pub(crate) const K: [u32; 64] = [
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
];

#[derive(Clone)]
pub struct Sha256 {
    state: [u32; 8],
    blocks: Blocks<64>,
}

impl Default for Sha256 {
    fn default() -> Self {
        Self::new()
    }
}

impl Sha256 {
    pub const fn new() -> Sha256 {
        Sha256 {
            state: [
                0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab,
                0x5be0cd19,
            ],
            blocks: Blocks::new(),
        }
    }

    pub fn update(&mut self, data: &[u8]) {
        let state = &mut self.state;
        self.blocks.update(data, |b| compress(state, b));
    }

    pub fn finish(mut self) -> [u8; 32] {
        let state = &mut self.state;
        self.blocks.pad(8, true, |b| compress(state, b));
        let mut out = [0u8; 32];
        for (o, s) in out.chunks_exact_mut(4).zip(self.state) {
            o.copy_from_slice(&s.to_be_bytes());
        }
        out
    }
}

/// Run the compression function over whole 64-byte blocks.
pub fn compress(state: &mut [u32; 8], blocks: &[u8]) {
    if crate::sys::sha256_blocks_ni(state, blocks) {
        return;
    }
    portable(state, blocks);
}

/// The portable compression function.
#[allow(unused_assignments)] // the ring's last words are not read
pub fn portable(state: &mut [u32; 8], blocks: &[u8]) {
    let mut h = *state;
    for block in blocks.chunks_exact(64) {
        let mut w = [0u32; 16];
        for (x, c) in w.iter_mut().zip(block.chunks_exact(4)) {
            *x = u32::from_be_bytes([c[0], c[1], c[2], c[3]]);
        }
        let [mut a, mut b, mut c, mut d, mut e, mut f, mut g, mut hh] = h;
        macro_rules! wt {
            ($t:expr) => {{
                if $t < 16 {
                    w[$t & 15]
                } else {
                    let x = w[($t + 1) & 15];
                    let y = w[($t + 14) & 15];
                    let s0 = x.rotate_right(7) ^ x.rotate_right(18) ^ (x >> 3);
                    let s1 = y.rotate_right(17) ^ y.rotate_right(19) ^ (y >> 10);
                    let v = w[$t & 15]
                        .wrapping_add(s0)
                        .wrapping_add(w[($t + 9) & 15])
                        .wrapping_add(s1);
                    w[$t & 15] = v;
                    v
                }
            }};
        }
        macro_rules! round {
            ($a:ident, $b:ident, $c:ident, $d:ident, $e:ident, $f:ident, $g:ident, $h:ident, $t:expr) => {
                let t1 = $h
                    .wrapping_add($e.rotate_right(6) ^ $e.rotate_right(11) ^ $e.rotate_right(25))
                    .wrapping_add($g ^ ($e & ($f ^ $g)))
                    .wrapping_add(K[$t])
                    .wrapping_add(wt!($t));
                let t2 = ($a.rotate_right(2) ^ $a.rotate_right(13) ^ $a.rotate_right(22))
                    .wrapping_add(($a & $b) | ($c & ($a | $b)));
                $d = $d.wrapping_add(t1);
                $h = t1.wrapping_add(t2);
            };
        }
        macro_rules! eight {
            ($t:expr) => {
                round!(a, b, c, d, e, f, g, hh, $t);
                round!(hh, a, b, c, d, e, f, g, $t + 1);
                round!(g, hh, a, b, c, d, e, f, $t + 2);
                round!(f, g, hh, a, b, c, d, e, $t + 3);
                round!(e, f, g, hh, a, b, c, d, $t + 4);
                round!(d, e, f, g, hh, a, b, c, $t + 5);
                round!(c, d, e, f, g, hh, a, b, $t + 6);
                round!(b, c, d, e, f, g, hh, a, $t + 7);
            };
        }
        // Eight rounds unrolled (the registers rotate back into place), the
        // rest a loop: a tenth of the code of full unrolling, nearly as fast.
        let mut t = 0;
        while t < 64 {
            eight!(t);
            t += 8;
        }
        for (s, v) in h.iter_mut().zip([a, b, c, d, e, f, g, hh]) {
            *s = s.wrapping_add(v);
        }
    }
    *state = h;
}

#[cfg(test)]
mod tests {
    #[test]
    fn accelerated_matches_portable() {
        let data: Vec<u8> = (0..64 * 9).map(|i| (i * 31 + 7) as u8).collect();
        let mut a = [1u32, 2, 3, 4, 5, 6, 7, 8];
        let mut b = a;
        super::portable(&mut a, &data);
        if crate::sys::sha256_blocks_ni(&mut b, &data) {
            assert_eq!(a, b);
        }
    }
}
