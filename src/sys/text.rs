//! Text helpers that need the C library or CPU intrinsics: character
//! widths and classes (musl's Unicode tables), fast byte counting, moving
//! a range of byte values (tr).
#![allow(unsafe_code)]

unsafe extern "C" {
    #[link_name = "wcwidth"]
    fn ibex_c_wcwidth(c: libc::wchar_t) -> libc::c_int;
    #[link_name = "iswspace"]
    fn ibex_c_iswspace(c: u32) -> libc::c_int;
    #[link_name = "iswprint"]
    fn ibex_c_iswprint(c: u32) -> libc::c_int;
}

/// Is the character type locale UTF-8, by LC_ALL, LC_CTYPE or LANG (the
/// first one set and not empty)? musl knows only C and UTF-8.
pub fn utf8_locale() -> bool {
    for var in ["LC_ALL", "LC_CTYPE", "LANG"] {
        if let Some(v) = std::env::var_os(var)
            && !v.is_empty()
        {
            let v = std::os::unix::ffi::OsStrExt::as_bytes(v.as_os_str()).to_ascii_lowercase();
            return memchr::memmem::find(&v, b"utf-8").is_some()
                || memchr::memmem::find(&v, b"utf8").is_some();
        }
    }
    false
}

/// Display columns of a Unicode character (-1 for non-printable).
pub fn wide_width(c: u32) -> i32 {
    unsafe { ibex_c_wcwidth(c as libc::wchar_t) }
}

/// Is the Unicode character white space?
pub fn wide_is_space(c: u32) -> bool {
    unsafe { ibex_c_iswspace(c) != 0 }
}

/// Is the Unicode character printable?
pub fn wide_is_print(c: u32) -> bool {
    unsafe { ibex_c_iswprint(c) != 0 }
}

// --- Counting one byte value (wc -l): a vector compare-and-subtract per
// 32 (AVX2) or 16 (SSE2) bytes, summed before the byte counters overflow.
/// How many times `needle` occurs in `hay`.
pub fn count_byte(hay: &[u8], needle: u8) -> usize {
    #[cfg(target_arch = "x86_64")]
    {
        if std::is_x86_feature_detected!("avx2") {
            // SAFETY: the CPU has AVX2.
            return unsafe { count_byte_avx2(hay, needle) };
        }
        // SAFETY: SSE2 is part of x86_64.
        unsafe { count_byte_sse2(hay, needle) }
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        hay.iter().filter(|&&b| b == needle).count()
    }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn count_byte_avx2(hay: &[u8], needle: u8) -> usize {
    use std::arch::x86_64::*;
    let chunks = hay.chunks_exact(32);
    let rest = chunks.remainder();
    let nv = _mm256_set1_epi8(needle as i8);
    let zero = _mm256_setzero_si256();
    let mut acc = zero;
    let mut sums = zero;
    let mut n = 0;
    for c in chunks {
        // SAFETY: `c` is 32 readable bytes; loadu has no alignment need.
        let v = unsafe { _mm256_loadu_si256(c.as_ptr().cast::<__m256i>()) };
        acc = _mm256_sub_epi8(acc, _mm256_cmpeq_epi8(v, nv));
        n += 1;
        if n == 255 {
            sums = _mm256_add_epi64(sums, _mm256_sad_epu8(acc, zero));
            acc = zero;
            n = 0;
        }
    }
    sums = _mm256_add_epi64(sums, _mm256_sad_epu8(acc, zero));
    let mut lanes = [0u64; 4];
    // SAFETY: `lanes` is 32 writable bytes.
    unsafe { _mm256_storeu_si256(lanes.as_mut_ptr().cast::<__m256i>(), sums) };
    let vec: u64 = lanes.iter().sum();
    vec as usize + rest.iter().filter(|&&b| b == needle).count()
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "sse2")]
fn count_byte_sse2(hay: &[u8], needle: u8) -> usize {
    use std::arch::x86_64::*;
    let chunks = hay.chunks_exact(16);
    let rest = chunks.remainder();
    let nv = _mm_set1_epi8(needle as i8);
    let zero = _mm_setzero_si128();
    let mut acc = zero;
    let mut sums = zero;
    let mut n = 0;
    for c in chunks {
        // SAFETY: `c` is 16 readable bytes; loadu has no alignment need.
        let v = unsafe { _mm_loadu_si128(c.as_ptr().cast::<__m128i>()) };
        acc = _mm_sub_epi8(acc, _mm_cmpeq_epi8(v, nv));
        n += 1;
        if n == 255 {
            sums = _mm_add_epi64(sums, _mm_sad_epu8(acc, zero));
            acc = zero;
            n = 0;
        }
    }
    sums = _mm_add_epi64(sums, _mm_sad_epu8(acc, zero));
    let mut lanes = [0u64; 2];
    // SAFETY: `lanes` is 16 writable bytes.
    unsafe { _mm_storeu_si128(lanes.as_mut_ptr().cast::<__m128i>(), sums) };
    let vec: u64 = lanes.iter().sum();
    vec as usize + rest.iter().filter(|&&b| b == needle).count()
}

#[cfg(test)]
mod count_byte_tests {
    #[test]
    fn counts_at_every_length_and_past_counter_overflow() {
        let mut v = vec![0u8; 300_007];
        let mut x = 12345u64;
        for b in v.iter_mut() {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            *b = (x >> 60) as u8;
        }
        for len in [0, 1, 15, 16, 17, 31, 32, 33, 8160, 8161, 24487, 300_007] {
            let h = &v[..len];
            let want = h.iter().filter(|&&b| b == 10).count();
            assert_eq!(super::count_byte(h, 10), want, "len {len}");
        }
        assert_eq!(super::count_byte(&[b'\n'; 100_000], b'\n'), 100_000);
        assert_eq!(super::wide_width(0x4f60), 2);
        assert!(super::wide_is_space(0x3000) && !super::wide_is_space(0xa0));
        assert!(super::wide_is_print(0xe9) && !super::wide_is_print(0x85));
    }
}

// --- Moving one range of byte values by a constant (tr a-z A-Z): per 16
// bytes a subtract, an unsigned compare (max == span) and a masked add.
/// Add `delta` (wrapping) to every byte in `lo..=lo+span`.
pub fn shift_range(data: &mut [u8], lo: u8, span: u8, delta: u8) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: SSE2 is part of x86_64.
    unsafe {
        shift_range_sse2(data, lo, span, delta)
    }
    #[cfg(not(target_arch = "x86_64"))]
    shift_range_bytes(data, lo, span, delta)
}

fn shift_range_bytes(data: &mut [u8], lo: u8, span: u8, delta: u8) {
    for b in data {
        if b.wrapping_sub(lo) <= span {
            *b = b.wrapping_add(delta);
        }
    }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "sse2")]
fn shift_range_sse2(data: &mut [u8], lo: u8, span: u8, delta: u8) {
    use std::arch::x86_64::*;
    let (vlo, vspan, vdelta) = (
        _mm_set1_epi8(lo as i8),
        _mm_set1_epi8(span as i8),
        _mm_set1_epi8(delta as i8),
    );
    let mut chunks = data.chunks_exact_mut(16);
    for c in &mut chunks {
        // SAFETY: `c` is 16 readable and writable bytes; loadu/storeu have
        // no alignment need.
        unsafe {
            let v = _mm_loadu_si128(c.as_ptr().cast::<__m128i>());
            let off = _mm_sub_epi8(v, vlo);
            let inside = _mm_cmpeq_epi8(_mm_max_epu8(off, vspan), vspan);
            let out = _mm_add_epi8(v, _mm_and_si128(inside, vdelta));
            _mm_storeu_si128(c.as_mut_ptr().cast::<__m128i>(), out);
        }
    }
    shift_range_bytes(chunks.into_remainder(), lo, span, delta);
}
