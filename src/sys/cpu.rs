//! The CPUs: how many the process may run on (sched_getaffinity), and the
//! x86 SHA extensions for SHA-1 and SHA-256 (used by `crate::hash` when
//! the CPU has them; each entry point checks and returns false if not).
#![allow(unsafe_code)]

/// The number of CPUs in the process's affinity mask, if the kernel tells.
pub fn affinity_cpus() -> Option<u64> {
    // Start with room for 1024 CPUs; grow while the kernel says EINVAL
    // (the mask is smaller than its own).
    let mut words = 16usize;
    while words <= 1 << 16 {
        let mut mask = vec![0u64; words];
        // SAFETY: the buffer holds `words * 8` bytes.
        let r =
            unsafe { libc::syscall(libc::SYS_sched_getaffinity, 0, words * 8, mask.as_mut_ptr()) };
        if r > 0 {
            let bytes = (r as usize).min(words * 8) / 8;
            let n: u32 = mask[..bytes.max(1)].iter().map(|w| w.count_ones()).sum();
            return (n > 0).then_some(u64::from(n));
        }
        if std::io::Error::last_os_error().raw_os_error() != Some(libc::EINVAL) {
            return None;
        }
        words *= 2;
    }
    None
}

/// sysconf(_SC_NPROCESSORS_ONLN) and (_SC_NPROCESSORS_CONF).
pub fn sysconf_cpus(configured: bool) -> Option<u64> {
    let name = if configured {
        libc::_SC_NPROCESSORS_CONF
    } else {
        libc::_SC_NPROCESSORS_ONLN
    };
    // SAFETY: sysconf has no memory arguments.
    let n = unsafe { libc::sysconf(name) };
    (n > 0).then_some(n as u64)
}

#[cfg(target_arch = "x86_64")]
fn has_sha_ni() -> bool {
    std::is_x86_feature_detected!("sha")
        && std::is_x86_feature_detected!("sse4.1")
        && std::is_x86_feature_detected!("ssse3")
}

/// SHA-256 compression of whole 64-byte blocks with the SHA extensions.
/// Returns false (and does nothing) when the CPU lacks them.
pub fn sha256_blocks_ni(state: &mut [u32; 8], blocks: &[u8]) -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        if has_sha_ni() {
            // SAFETY: the CPU has the features the function is compiled for.
            unsafe { x86::sha256(state, blocks) };
            return true;
        }
    }
    let _ = (state, blocks);
    false
}

/// SHA-1 compression of whole 64-byte blocks with the SHA extensions.
/// Returns false (and does nothing) when the CPU lacks them.
pub fn sha1_blocks_ni(state: &mut [u32; 5], blocks: &[u8]) -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        if has_sha_ni() {
            // SAFETY: the CPU has the features the function is compiled for.
            unsafe { x86::sha1(state, blocks) };
            return true;
        }
    }
    let _ = (state, blocks);
    false
}

#[cfg(target_arch = "x86_64")]
mod x86 {
    use std::arch::x86_64::*;

    #[inline(always)]
    fn load(block: &[u8], i: usize, mask: __m128i) -> __m128i {
        let mut b = [0u8; 16];
        b.copy_from_slice(&block[i * 16..i * 16 + 16]);
        // SAFETY: `b` is 16 readable bytes; SSE2/SSSE3 are enabled by the
        // callers' target features.
        unsafe { _mm_shuffle_epi8(_mm_loadu_si128(b.as_ptr().cast()), mask) }
    }

    #[target_feature(enable = "sha,sse2,ssse3,sse4.1")]
    #[allow(unused_assignments)] // the last groups' message updates are unused
    pub(super) unsafe fn sha256(state: &mut [u32; 8], blocks: &[u8]) {
        let k = &crate::hash::sha256::K;
        let mask = _mm_set_epi64x(0x0c0d0e0f08090a0b, 0x0405060700010203);
        // SAFETY: the state is 8 u32s: two 16-byte loads in bounds.
        let (abcd, efgh) = unsafe {
            (
                _mm_loadu_si128(state.as_ptr().cast()),
                _mm_loadu_si128(state.as_ptr().add(4).cast()),
            )
        };
        let tmp = _mm_shuffle_epi32::<0xB1>(abcd); // CDAB
        let efgh = _mm_shuffle_epi32::<0x1B>(efgh); // HGFE
        let mut s0 = _mm_alignr_epi8::<8>(tmp, efgh); // ABEF
        let mut s1 = _mm_blend_epi16::<0xF0>(efgh, tmp); // CDGH
        for block in blocks.chunks_exact(64) {
            let (save0, save1) = (s0, s1);
            let mut m = [_mm_setzero_si128(); 4];
            macro_rules! group {
                ($g:expr) => {{
                    if $g < 4 {
                        m[$g % 4] = load(block, $g, mask);
                    }
                    let kk = _mm_set_epi32(
                        k[4 * $g + 3] as i32,
                        k[4 * $g + 2] as i32,
                        k[4 * $g + 1] as i32,
                        k[4 * $g] as i32,
                    );
                    let mut msg = _mm_add_epi32(m[$g % 4], kk);
                    s1 = _mm_sha256rnds2_epu32(s1, s0, msg);
                    if $g >= 3 && $g <= 14 {
                        let t = _mm_alignr_epi8::<4>(m[$g % 4], m[($g + 3) % 4]);
                        let n = _mm_add_epi32(m[($g + 1) % 4], t);
                        m[($g + 1) % 4] = _mm_sha256msg2_epu32(n, m[$g % 4]);
                    }
                    msg = _mm_shuffle_epi32::<0x0E>(msg);
                    s0 = _mm_sha256rnds2_epu32(s0, s1, msg);
                    if $g >= 1 && $g <= 12 {
                        m[($g + 3) % 4] = _mm_sha256msg1_epu32(m[($g + 3) % 4], m[$g % 4]);
                    }
                }};
            }
            group!(0);
            group!(1);
            group!(2);
            group!(3);
            group!(4);
            group!(5);
            group!(6);
            group!(7);
            group!(8);
            group!(9);
            group!(10);
            group!(11);
            group!(12);
            group!(13);
            group!(14);
            group!(15);
            s0 = _mm_add_epi32(s0, save0);
            s1 = _mm_add_epi32(s1, save1);
        }
        let tmp = _mm_shuffle_epi32::<0x1B>(s0); // FEBA
        let s1 = _mm_shuffle_epi32::<0xB1>(s1); // DCHG
        let abcd = _mm_blend_epi16::<0xF0>(tmp, s1); // DCBA
        let efgh = _mm_alignr_epi8::<8>(s1, tmp); // HGFE
        // SAFETY: as for the loads.
        unsafe {
            _mm_storeu_si128(state.as_mut_ptr().cast(), abcd);
            _mm_storeu_si128(state.as_mut_ptr().add(4).cast(), efgh);
        }
    }

    #[target_feature(enable = "sha,sse2,ssse3,sse4.1")]
    #[allow(unused_assignments)] // the last groups' message updates are unused
    pub(super) unsafe fn sha1(state: &mut [u32; 5], blocks: &[u8]) {
        let mask = _mm_set_epi64x(0x0001020304050607, 0x08090a0b0c0d0e0f);
        // SAFETY: the state is 5 u32s: the first four are in bounds.
        let abcd = unsafe { _mm_loadu_si128(state.as_ptr().cast()) };
        let mut abcd = _mm_shuffle_epi32::<0x1B>(abcd);
        let mut e0 = _mm_set_epi32(state[4] as i32, 0, 0, 0);
        for block in blocks.chunks_exact(64) {
            let (save_abcd, save_e) = (abcd, e0);
            let mut m = [_mm_setzero_si128(); 4];
            let mut e1 = _mm_setzero_si128();
            macro_rules! group {
                ($g:expr, $cur:ident, $other:ident, $f:expr) => {{
                    if $g < 4 {
                        m[$g % 4] = load(block, $g, mask);
                    }
                    if $g == 0 {
                        $cur = _mm_add_epi32($cur, m[0]);
                    } else {
                        $cur = _mm_sha1nexte_epu32($cur, m[$g % 4]);
                    }
                    $other = abcd;
                    if $g >= 3 && $g <= 18 {
                        m[($g + 1) % 4] = _mm_sha1msg2_epu32(m[($g + 1) % 4], m[$g % 4]);
                    }
                    abcd = _mm_sha1rnds4_epu32::<$f>(abcd, $cur);
                    if $g >= 1 && $g <= 16 {
                        m[($g + 3) % 4] = _mm_sha1msg1_epu32(m[($g + 3) % 4], m[$g % 4]);
                    }
                    if $g >= 2 && $g <= 17 {
                        m[($g + 2) % 4] = _mm_xor_si128(m[($g + 2) % 4], m[$g % 4]);
                    }
                }};
            }
            group!(0, e0, e1, 0);
            group!(1, e1, e0, 0);
            group!(2, e0, e1, 0);
            group!(3, e1, e0, 0);
            group!(4, e0, e1, 0);
            group!(5, e1, e0, 1);
            group!(6, e0, e1, 1);
            group!(7, e1, e0, 1);
            group!(8, e0, e1, 1);
            group!(9, e1, e0, 1);
            group!(10, e0, e1, 2);
            group!(11, e1, e0, 2);
            group!(12, e0, e1, 2);
            group!(13, e1, e0, 2);
            group!(14, e0, e1, 2);
            group!(15, e1, e0, 3);
            group!(16, e0, e1, 3);
            group!(17, e1, e0, 3);
            group!(18, e0, e1, 3);
            group!(19, e1, e0, 3);
            e0 = _mm_sha1nexte_epu32(e0, save_e);
            abcd = _mm_add_epi32(abcd, save_abcd);
        }
        let abcd = _mm_shuffle_epi32::<0x1B>(abcd);
        // SAFETY: as for the load.
        unsafe { _mm_storeu_si128(state.as_mut_ptr().cast(), abcd) };
        state[4] = _mm_extract_epi32::<3>(e0) as u32;
    }
}

/// `x`, unchanged, hidden from the optimizer: it cannot merge the sum
/// that made `x` with what follows (LLVM's reassociation otherwise puts
/// constant and message additions of MD5 after the round function, on
/// the critical path). Costs no instruction.
#[inline(always)]
pub fn opaque_u32(mut x: u32) -> u32 {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: an empty asm block that only claims to change a register.
    unsafe {
        std::arch::asm!("/* {0:e} */", inout(reg) x, options(pure, nomem, nostack, preserves_flags));
    }
    x
}

/// [`opaque_u32`] for 64-bit values.
#[inline(always)]
pub fn opaque_u64(mut x: u64) -> u64 {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: an empty asm block that only claims to change a register.
    unsafe {
        std::arch::asm!("/* {0} */", inout(reg) x, options(pure, nomem, nostack, preserves_flags));
    }
    x
}
