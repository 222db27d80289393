//! Vector search for literal candidates (the regex layer's prefilter):
//! for up to four literals, two bytes of each (at fixed offsets, each
//! optionally compared case-insensitively through an OR mask) are tested at
//! sixteen (SSE2) or thirty-two (AVX2) start positions at once.
#![allow(unsafe_code)]

/// Two probe bytes of one literal: a text byte `t` at `start + off`
/// matches when `t | mask == byte`.
#[derive(Clone, Copy, Debug)]
pub struct PairProbe {
    pub off1: usize,
    pub byte1: u8,
    pub mask1: u8,
    pub off2: usize,
    pub byte2: u8,
    pub mask2: u8,
}

/// Most probes `pair_scan` takes.
pub const MAX_PROBES: usize = 4;

/// Scan start positions from `from` in blocks. Returns `(block, bits)`:
/// bit k of `bits` set when some probe pair matches at start `block + k`
/// (bits may name false candidates, never miss one); `bits == 0` means no
/// candidate up to `block`, where the blocks stopped fitting in `hay` and
/// the caller goes on by itself. Takes at most MAX_PROBES probes.
pub fn pair_scan(hay: &[u8], from: usize, probes: &[PairProbe]) -> (usize, u64) {
    let probes = &probes[..probes.len().min(MAX_PROBES)];
    #[cfg(target_arch = "x86_64")]
    {
        if std::is_x86_feature_detected!("avx2") {
            // SAFETY: the CPU has AVX2.
            return unsafe { scan_avx2(hay, from, probes) };
        }
        // SAFETY: SSE2 is part of x86_64.
        unsafe { scan_sse2(hay, from, probes) }
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        let _ = probes;
        (from, 0)
    }
}

fn reach(probes: &[PairProbe], width: usize) -> usize {
    probes.iter().map(|p| p.off1.max(p.off2)).max().unwrap_or(0) + width
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "sse2")]
fn scan_sse2(hay: &[u8], from: usize, probes: &[PairProbe]) -> (usize, u64) {
    use std::arch::x86_64::*;
    let reach = reach(probes, 16);
    let n = probes.len();
    let zero = _mm_setzero_si128();
    let mut k = [[zero; 4]; MAX_PROBES];
    for (j, p) in probes.iter().enumerate() {
        k[j] = [
            _mm_set1_epi8(p.byte1 as i8),
            _mm_set1_epi8(p.mask1 as i8),
            _mm_set1_epi8(p.byte2 as i8),
            _mm_set1_epi8(p.mask2 as i8),
        ];
    }
    let mut i = from;
    let ptr = hay.as_ptr();
    while i + reach <= hay.len() {
        let mut any = zero;
        for (j, p) in probes.iter().enumerate().take(n) {
            // SAFETY: i + off + 16 <= i + reach <= hay.len(): in bounds.
            let (a, b) = unsafe {
                (
                    _mm_loadu_si128(ptr.add(i + p.off1).cast::<__m128i>()),
                    _mm_loadu_si128(ptr.add(i + p.off2).cast::<__m128i>()),
                )
            };
            let ea = _mm_cmpeq_epi8(_mm_or_si128(a, k[j][1]), k[j][0]);
            let eb = _mm_cmpeq_epi8(_mm_or_si128(b, k[j][3]), k[j][2]);
            any = _mm_or_si128(any, _mm_and_si128(ea, eb));
        }
        let bits = _mm_movemask_epi8(any) as u32;
        if bits != 0 {
            return (i, u64::from(bits));
        }
        i += 16;
    }
    (i, 0)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn scan_avx2(hay: &[u8], from: usize, probes: &[PairProbe]) -> (usize, u64) {
    use std::arch::x86_64::*;
    let reach = reach(probes, 32);
    let n = probes.len();
    let zero = _mm256_setzero_si256();
    let mut k = [[zero; 4]; MAX_PROBES];
    for (j, p) in probes.iter().enumerate() {
        k[j] = [
            _mm256_set1_epi8(p.byte1 as i8),
            _mm256_set1_epi8(p.mask1 as i8),
            _mm256_set1_epi8(p.byte2 as i8),
            _mm256_set1_epi8(p.mask2 as i8),
        ];
    }
    let mut i = from;
    let ptr = hay.as_ptr();
    while i + reach <= hay.len() {
        let mut any = zero;
        for (j, p) in probes.iter().enumerate().take(n) {
            // SAFETY: i + off + 32 <= i + reach <= hay.len(): in bounds.
            let (a, b) = unsafe {
                (
                    _mm256_loadu_si256(ptr.add(i + p.off1).cast::<__m256i>()),
                    _mm256_loadu_si256(ptr.add(i + p.off2).cast::<__m256i>()),
                )
            };
            let ea = _mm256_cmpeq_epi8(_mm256_or_si256(a, k[j][1]), k[j][0]);
            let eb = _mm256_cmpeq_epi8(_mm256_or_si256(b, k[j][3]), k[j][2]);
            any = _mm256_or_si256(any, _mm256_and_si256(ea, eb));
        }
        let bits = _mm256_movemask_epi8(any) as u32;
        if bits != 0 {
            return (i, u64::from(bits));
        }
        i += 32;
    }
    (i, 0)
}

#[cfg(test)]
mod pair_tests {
    use super::*;

    #[test]
    fn finds_candidates_and_stops_at_the_tail() {
        let mut hay = vec![b'x'; 100];
        hay[70] = b'F';
        hay[72] = b'o';
        let p = PairProbe {
            off1: 0,
            byte1: b'f',
            mask1: 0x20,
            off2: 2,
            byte2: b'o',
            mask2: 0,
        };
        let (block, bits) = pair_scan(&hay, 0, &[p]);
        assert!(bits != 0);
        assert_eq!(block + bits.trailing_zeros() as usize, 70);
        let (end, bits) = pair_scan(&hay, 71, &[p]);
        assert_eq!(bits, 0);
        assert!(end <= 100 - 2);
    }
}
