//! SHA-512 (FIPS 180-4), unrolled.

use super::Blocks;

const K: [u64; 80] = [
    0x428a2f98d728ae22,
    0x7137449123ef65cd,
    0xb5c0fbcfec4d3b2f,
    0xe9b5dba58189dbbc,
    0x3956c25bf348b538,
    0x59f111f1b605d019,
    0x923f82a4af194f9b,
    0xab1c5ed5da6d8118,
    0xd807aa98a3030242,
    0x12835b0145706fbe,
    0x243185be4ee4b28c,
    0x550c7dc3d5ffb4e2,
    0x72be5d74f27b896f,
    0x80deb1fe3b1696b1,
    0x9bdc06a725c71235,
    0xc19bf174cf692694,
    0xe49b69c19ef14ad2,
    0xefbe4786384f25e3,
    0x0fc19dc68b8cd5b5,
    0x240ca1cc77ac9c65,
    0x2de92c6f592b0275,
    0x4a7484aa6ea6e483,
    0x5cb0a9dcbd41fbd4,
    0x76f988da831153b5,
    0x983e5152ee66dfab,
    0xa831c66d2db43210,
    0xb00327c898fb213f,
    0xbf597fc7beef0ee4,
    0xc6e00bf33da88fc2,
    0xd5a79147930aa725,
    0x06ca6351e003826f,
    0x142929670a0e6e70,
    0x27b70a8546d22ffc,
    0x2e1b21385c26c926,
    0x4d2c6dfc5ac42aed,
    0x53380d139d95b3df,
    0x650a73548baf63de,
    0x766a0abb3c77b2a8,
    0x81c2c92e47edaee6,
    0x92722c851482353b,
    0xa2bfe8a14cf10364,
    0xa81a664bbc423001,
    0xc24b8b70d0f89791,
    0xc76c51a30654be30,
    0xd192e819d6ef5218,
    0xd69906245565a910,
    0xf40e35855771202a,
    0x106aa07032bbd1b8,
    0x19a4c116b8d2d0c8,
    0x1e376c085141ab53,
    0x2748774cdf8eeb99,
    0x34b0bcb5e19b48a8,
    0x391c0cb3c5c95a63,
    0x4ed8aa4ae3418acb,
    0x5b9cca4f7763e373,
    0x682e6ff3d6b2b8a3,
    0x748f82ee5defb2fc,
    0x78a5636f43172f60,
    0x84c87814a1f0ab72,
    0x8cc702081a6439ec,
    0x90befffa23631e28,
    0xa4506cebde82bde9,
    0xbef9a3f7b2c67915,
    0xc67178f2e372532b,
    0xca273eceea26619c,
    0xd186b8c721c0c207,
    0xeada7dd6cde0eb1e,
    0xf57d4f7fee6ed178,
    0x06f067aa72176fba,
    0x0a637dc5a2c898a6,
    0x113f9804bef90dae,
    0x1b710b35131c471b,
    0x28db77f523047d84,
    0x32caab7b40c72493,
    0x3c9ebe0a15c9bebc,
    0x431d67c49c100d4c,
    0x4cc5d4becb3e42b6,
    0x597f299cfc657e2a,
    0x5fcb6fab3ad6faec,
    0x6c44198c4a475817,
];

#[derive(Clone)]
pub struct Sha512 {
    state: [u64; 8],
    blocks: Blocks<128>,
}

impl Default for Sha512 {
    fn default() -> Self {
        Self::new()
    }
}

impl Sha512 {
    pub const fn new() -> Sha512 {
        Sha512 {
            state: [
                0x6a09e667f3bcc908,
                0xbb67ae8584caa73b,
                0x3c6ef372fe94f82b,
                0xa54ff53a5f1d36f1,
                0x510e527fade682d1,
                0x9b05688c2b3e6c1f,
                0x1f83d9abfb41bd6b,
                0x5be0cd19137e2179,
            ],
            blocks: Blocks::new(),
        }
    }

    pub fn update(&mut self, data: &[u8]) {
        let state = &mut self.state;
        self.blocks.update(data, |b| compress(state, b));
    }

    pub fn finish(mut self) -> [u8; 64] {
        let state = &mut self.state;
        self.blocks.pad(16, true, |b| compress(state, b));
        let mut out = [0u8; 64];
        for (o, s) in out.chunks_exact_mut(8).zip(self.state) {
            o.copy_from_slice(&s.to_be_bytes());
        }
        out
    }
}

/// Run the compression function over whole 128-byte blocks.
#[allow(unused_assignments)] // the ring's last words are not read
pub fn compress(state: &mut [u64; 8], blocks: &[u8]) {
    let mut h = *state;
    for block in blocks.as_chunks::<128>().0 {
        let mut w = [0u64; 16];
        for (i, x) in w.iter_mut().enumerate() {
            let mut b = [0u8; 8];
            b.copy_from_slice(&block[i * 8..i * 8 + 8]);
            *x = u64::from_be_bytes(b);
        }
        let [mut a, mut b, mut c, mut d, mut e, mut f, mut g, mut hh] = h;
        macro_rules! wt {
            ($t:expr) => {{
                if $t < 16 {
                    w[$t & 15]
                } else {
                    let x = w[($t + 1) & 15];
                    let y = w[($t + 14) & 15];
                    let s0 = x.rotate_right(1) ^ x.rotate_right(8) ^ (x >> 7);
                    let s1 = y.rotate_right(19) ^ y.rotate_right(61) ^ (y >> 6);
                    let v = w[$t & 15]
                        .wrapping_add(s0)
                        .wrapping_add(w[($t + 9) & 15])
                        .wrapping_add(s1);
                    w[$t & 15] = v;
                    v
                }
            }};
        }
        // Maj(a, b, c) = b ^ ((a ^ b) & (b ^ c)): this round's a ^ b is
        // the next round's b ^ c.
        let mut bc = b ^ c;
        let mut ab;
        macro_rules! round {
            ($a:ident, $b:ident, $c:ident, $d:ident, $e:ident, $f:ident, $g:ident, $h:ident, $t:expr) => {
                // Σ1 and Σ0 in nested form (one copy of the input), Ch as
                // two disjoint halves added separately.
                let s1 = (($e.rotate_right(23) ^ $e).rotate_right(4) ^ $e).rotate_right(14);
                let hkw = crate::sys::opaque_u64($h.wrapping_add(K[$t]).wrapping_add(wt!($t)));
                let t1 = hkw
                    .wrapping_add(!$e & $g)
                    .wrapping_add($e & $f)
                    .wrapping_add(s1);
                let s0 = (($a.rotate_right(5) ^ $a).rotate_right(6) ^ $a).rotate_right(28);
                ab = $a ^ $b;
                let t2 = s0.wrapping_add($b ^ (ab & bc));
                bc = ab;
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
        while t < 80 {
            eight!(t);
            t += 8;
        }
        for (s, v) in h.iter_mut().zip([a, b, c, d, e, f, g, hh]) {
            *s = s.wrapping_add(v);
        }
    }
    *state = h;
}
