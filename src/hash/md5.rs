//! MD5 (RFC 1321), fully unrolled.

use super::Blocks;

#[derive(Clone)]
pub struct Md5 {
    state: [u32; 4],
    blocks: Blocks<64>,
}

impl Default for Md5 {
    fn default() -> Self {
        Self::new()
    }
}

impl Md5 {
    pub const fn new() -> Md5 {
        Md5 {
            state: [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476],
            blocks: Blocks::new(),
        }
    }

    pub fn update(&mut self, data: &[u8]) {
        let state = &mut self.state;
        self.blocks.update(data, |b| compress(state, b));
    }

    pub fn finish(mut self) -> [u8; 16] {
        let state = &mut self.state;
        self.blocks.pad(8, false, |b| compress(state, b));
        let mut out = [0u8; 16];
        for (o, s) in out.chunks_exact_mut(4).zip(self.state) {
            o.copy_from_slice(&s.to_le_bytes());
        }
        out
    }
}

macro_rules! step {
    ($f:ident, $a:ident, $b:ident, $c:ident, $d:ident, $x:expr, $k:expr, $s:expr) => {
        // The message word and constant are added to `a` before `b` is
        // known; the barrier keeps the optimizer from moving them after
        // the round function.
        $a = crate::sys::opaque_u32($a.wrapping_add($x).wrapping_add($k));
        $a = $f!($a, $b, $c, $d).rotate_left($s).wrapping_add($b);
    };
}
// Each round function is added to `a`, the operations that wait for `b`
// (the newest value) last.
macro_rules! ff {
    ($a:expr, $b:expr, $c:expr, $d:expr) => {
        $a.wrapping_add(($b & ($c ^ $d)) ^ $d)
    };
}
macro_rules! gg {
    ($a:expr, $b:expr, $c:expr, $d:expr) => {
        crate::sys::opaque_u32($a.wrapping_add($c & !$d)).wrapping_add($b & $d)
    };
}
macro_rules! hh {
    ($a:expr, $b:expr, $c:expr, $d:expr) => {
        $a.wrapping_add($b ^ ($c ^ $d))
    };
}
macro_rules! ii {
    ($a:expr, $b:expr, $c:expr, $d:expr) => {
        $a.wrapping_add(($b | !$d) ^ $c)
    };
}

/// Run the compression function over whole 64-byte blocks.
pub fn compress(state: &mut [u32; 4], blocks: &[u8]) {
    let [mut a0, mut b0, mut c0, mut d0] = *state;
    for block in blocks.as_chunks::<64>().0 {
        // Message word i, read where it is used (constant offsets).
        macro_rules! w {
            ($i:expr) => {
                u32::from_le_bytes([
                    block[4 * $i],
                    block[4 * $i + 1],
                    block[4 * $i + 2],
                    block[4 * $i + 3],
                ])
            };
        }
        let (mut a, mut b, mut c, mut d) = (a0, b0, c0, d0);
        step!(ff, a, b, c, d, w!(0), 0xd76aa478, 7);
        step!(ff, d, a, b, c, w!(1), 0xe8c7b756, 12);
        step!(ff, c, d, a, b, w!(2), 0x242070db, 17);
        step!(ff, b, c, d, a, w!(3), 0xc1bdceee, 22);
        step!(ff, a, b, c, d, w!(4), 0xf57c0faf, 7);
        step!(ff, d, a, b, c, w!(5), 0x4787c62a, 12);
        step!(ff, c, d, a, b, w!(6), 0xa8304613, 17);
        step!(ff, b, c, d, a, w!(7), 0xfd469501, 22);
        step!(ff, a, b, c, d, w!(8), 0x698098d8, 7);
        step!(ff, d, a, b, c, w!(9), 0x8b44f7af, 12);
        step!(ff, c, d, a, b, w!(10), 0xffff5bb1, 17);
        step!(ff, b, c, d, a, w!(11), 0x895cd7be, 22);
        step!(ff, a, b, c, d, w!(12), 0x6b901122, 7);
        step!(ff, d, a, b, c, w!(13), 0xfd987193, 12);
        step!(ff, c, d, a, b, w!(14), 0xa679438e, 17);
        step!(ff, b, c, d, a, w!(15), 0x49b40821, 22);

        step!(gg, a, b, c, d, w!(1), 0xf61e2562, 5);
        step!(gg, d, a, b, c, w!(6), 0xc040b340, 9);
        step!(gg, c, d, a, b, w!(11), 0x265e5a51, 14);
        step!(gg, b, c, d, a, w!(0), 0xe9b6c7aa, 20);
        step!(gg, a, b, c, d, w!(5), 0xd62f105d, 5);
        step!(gg, d, a, b, c, w!(10), 0x02441453, 9);
        step!(gg, c, d, a, b, w!(15), 0xd8a1e681, 14);
        step!(gg, b, c, d, a, w!(4), 0xe7d3fbc8, 20);
        step!(gg, a, b, c, d, w!(9), 0x21e1cde6, 5);
        step!(gg, d, a, b, c, w!(14), 0xc33707d6, 9);
        step!(gg, c, d, a, b, w!(3), 0xf4d50d87, 14);
        step!(gg, b, c, d, a, w!(8), 0x455a14ed, 20);
        step!(gg, a, b, c, d, w!(13), 0xa9e3e905, 5);
        step!(gg, d, a, b, c, w!(2), 0xfcefa3f8, 9);
        step!(gg, c, d, a, b, w!(7), 0x676f02d9, 14);
        step!(gg, b, c, d, a, w!(12), 0x8d2a4c8a, 20);

        step!(hh, a, b, c, d, w!(5), 0xfffa3942, 4);
        step!(hh, d, a, b, c, w!(8), 0x8771f681, 11);
        step!(hh, c, d, a, b, w!(11), 0x6d9d6122, 16);
        step!(hh, b, c, d, a, w!(14), 0xfde5380c, 23);
        step!(hh, a, b, c, d, w!(1), 0xa4beea44, 4);
        step!(hh, d, a, b, c, w!(4), 0x4bdecfa9, 11);
        step!(hh, c, d, a, b, w!(7), 0xf6bb4b60, 16);
        step!(hh, b, c, d, a, w!(10), 0xbebfbc70, 23);
        step!(hh, a, b, c, d, w!(13), 0x289b7ec6, 4);
        step!(hh, d, a, b, c, w!(0), 0xeaa127fa, 11);
        step!(hh, c, d, a, b, w!(3), 0xd4ef3085, 16);
        step!(hh, b, c, d, a, w!(6), 0x04881d05, 23);
        step!(hh, a, b, c, d, w!(9), 0xd9d4d039, 4);
        step!(hh, d, a, b, c, w!(12), 0xe6db99e5, 11);
        step!(hh, c, d, a, b, w!(15), 0x1fa27cf8, 16);
        step!(hh, b, c, d, a, w!(2), 0xc4ac5665, 23);

        step!(ii, a, b, c, d, w!(0), 0xf4292244, 6);
        step!(ii, d, a, b, c, w!(7), 0x432aff97, 10);
        step!(ii, c, d, a, b, w!(14), 0xab9423a7, 15);
        step!(ii, b, c, d, a, w!(5), 0xfc93a039, 21);
        step!(ii, a, b, c, d, w!(12), 0x655b59c3, 6);
        step!(ii, d, a, b, c, w!(3), 0x8f0ccc92, 10);
        step!(ii, c, d, a, b, w!(10), 0xffeff47d, 15);
        step!(ii, b, c, d, a, w!(1), 0x85845dd1, 21);
        step!(ii, a, b, c, d, w!(8), 0x6fa87e4f, 6);
        step!(ii, d, a, b, c, w!(15), 0xfe2ce6e0, 10);
        step!(ii, c, d, a, b, w!(6), 0xa3014314, 15);
        step!(ii, b, c, d, a, w!(13), 0x4e0811a1, 21);
        step!(ii, a, b, c, d, w!(4), 0xf7537e82, 6);
        step!(ii, d, a, b, c, w!(11), 0xbd3af235, 10);
        step!(ii, c, d, a, b, w!(2), 0x2ad7d2bb, 15);
        step!(ii, b, c, d, a, w!(9), 0xeb86d391, 21);

        a0 = a0.wrapping_add(a);
        b0 = b0.wrapping_add(b);
        c0 = c0.wrapping_add(c);
        d0 = d0.wrapping_add(d);
    }
    *state = [a0, b0, c0, d0];
}
