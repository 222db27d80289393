//! shuf: write a random permutation of the input lines (a FILE or stdin),
//! of the operands (`-e`) or of a range of numbers (`-i LO-HI`). `-n N`
//! stops after N lines, `-r` picks with repetition (forever without -n),
//! `-o FILE` writes to FILE (opened after reading, so it may be the
//! input), `-z` uses NUL line ends. Randomness comes from getrandom
//! (xoshiro256**), or from the bytes of `--random-source=FILE`, which
//! makes the output reproducible.

use ibex::Status;
use ibex::args::{Parser, Spec, flag, usage_error, value};
use ibex::io::Out;
use ibex::records::cquote;
use ibex::sys;
use std::collections::HashMap;
use std::ffi::OsString;
use std::os::fd::{AsRawFd, OwnedFd};
use std::os::unix::ffi::OsStrExt;

const RANDOM_SOURCE: u32 = 256;

const SPEC: Spec = Spec::new(
    "ei:n:o:rz",
    &[
        flag("echo", 'e' as u32),
        value("input-range", 'i' as u32),
        value("head-count", 'n' as u32),
        value("output", 'o' as u32),
        value("random-source", RANDOM_SOURCE),
        flag("repeat", 'r' as u32),
        flag("zero-terminated", 'z' as u32),
    ],
    ibex::usage!(
        shuf,
        "shuf [-e|-i LO-HI] [-n NUM] [-o FILE] [-rz] [FILE | ARG...]\n\n\
         Randomly permute lines\n\n\
         \t-e\t\tTreat ARGs as lines\n\
         \t-i LO-HI\tTreat numbers LO through HI as lines\n\
         \t-n NUM\t\tOutput at most NUM lines\n\
         \t-o FILE\t\tWrite to FILE, not standard output\n\
         \t-r\t\tRepeat: lines may be output more than once\n\
         \t--random-source=FILE\tTake random bytes from FILE\n\
         \t-z\t\tLines end with NUL"
    ),
);

enum Rng {
    Xoshiro([u64; 4]),
    /// Bytes from a file: the descriptor, a buffer and the read position.
    Source(OwnedFd, Vec<u8>, usize, Vec<u8>),
}

/// End of the random source file (already reported).
struct Exhausted;

impl Rng {
    fn xoshiro() -> Rng {
        let mut seed = [0u8; 32];
        if sys::getrandom(&mut seed).is_err() {
            // No getrandom: fall back on time and pid.
            let t = sys::now();
            seed[..8].copy_from_slice(&(t.sec as u64 ^ (t.nsec as u64) << 32).to_le_bytes());
            seed[8..12].copy_from_slice(&(sys::getpid() as u32).to_le_bytes());
        }
        let mut s = [0u64; 4];
        let mut sm = 0u64;
        for (i, w) in s.iter_mut().enumerate() {
            let mut b = [0u8; 8];
            b.copy_from_slice(&seed[i * 8..i * 8 + 8]);
            // splitmix64 over the seed words, so no state is all zeros.
            sm = sm
                .wrapping_add(u64::from_le_bytes(b))
                .wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = sm;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            *w = z ^ (z >> 31);
        }
        Rng::Xoshiro(s)
    }

    fn next_u64(s: &mut [u64; 4]) -> u64 {
        let r = s[1].wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let t = s[1] << 17;
        s[2] ^= s[0];
        s[3] ^= s[1];
        s[1] ^= s[2];
        s[0] ^= s[3];
        s[2] ^= t;
        s[3] = s[3].rotate_left(45);
        r
    }

    fn byte(&mut self) -> Result<u8, Exhausted> {
        let Rng::Source(fd, buf, pos, name) = self else {
            return Ok(0);
        };
        if *pos >= buf.len() {
            buf.resize(4096, 0);
            let n = loop {
                match sys::read(fd.as_raw_fd(), buf) {
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                    Err(e) => {
                        ibex::error::io_error(ibex::copy::quote(name), &e);
                        return Err(Exhausted);
                    }
                    Ok(n) => break n,
                }
            };
            if n == 0 {
                ibex::msg!(ibex::copy::quote(name), ": end of file");
                return Err(Exhausted);
            }
            buf.truncate(n);
            *pos = 0;
        }
        *pos += 1;
        Ok(buf[*pos - 1])
    }

    /// A uniform number in 0..n (n > 0).
    fn below(&mut self, n: u64) -> Result<u64, Exhausted> {
        if n <= 1 {
            return Ok(0);
        }
        match self {
            Rng::Xoshiro(s) => {
                // Lemire's multiply-and-reject.
                let mut m = u128::from(Rng::next_u64(s)) * u128::from(n);
                if (m as u64) < n {
                    let t = n.wrapping_neg() % n;
                    while (m as u64) < t {
                        m = u128::from(Rng::next_u64(s)) * u128::from(n);
                    }
                }
                Ok((m >> 64) as u64)
            }
            Rng::Source(..) => {
                // As few bytes as the range needs, big-endian, rejecting
                // values past the last whole multiple of n.
                let bytes = (64 - (n - 1).leading_zeros()).div_ceil(8);
                let span: u128 = 1u128 << (8 * bytes);
                let limit = span - span % u128::from(n);
                loop {
                    let mut v: u128 = 0;
                    for _ in 0..bytes {
                        v = (v << 8) | u128::from(self.byte()?);
                    }
                    if v < limit {
                        return Ok((v % u128::from(n)) as u64);
                    }
                }
            }
        }
    }
}

/// What is shuffled.
enum Items<'a> {
    /// Lines: slices of the input or the operands.
    Lines(Vec<&'a [u8]>),
    Range(u64, u64),
}

impl Items<'_> {
    fn len(&self) -> u64 {
        match self {
            Items::Lines(v) => v.len() as u64,
            Items::Range(lo, hi) => hi.wrapping_sub(*lo).wrapping_add(1),
        }
    }
}

fn put(out: &mut Out, items: &Items, i: u64, eol: u8) {
    match items {
        Items::Lines(v) => out.write(v.get(i as usize).copied().unwrap_or(b"")),
        Items::Range(lo, _) => out.num(lo + i),
    }
    out.byte(eol);
}

/// `LO-HI` (HI may be LO-1 for an empty range).
fn parse_range(v: &[u8]) -> Result<(u64, u64), Vec<u8>> {
    let bad = |what: &[u8], range: bool| {
        let mut m = b"invalid input range: ".to_vec();
        m.extend_from_slice(&cquote(what));
        if range {
            m.extend_from_slice(b": Value too large for defined data type");
        }
        m
    };
    let Some(dash) = memchr::memchr(b'-', v) else {
        return Err(bad(v, false));
    };
    let num = |s: &[u8]| match ibex::num::parse_u64(s) {
        Ok(n) if !s.starts_with(b"+") => Ok(n),
        Err(ibex::num::NumError::Range) => Err(bad(s, true)),
        _ => Err(bad(v, false)),
    };
    let lo = num(&v[..dash])?;
    let hi = num(&v[dash + 1..])?;
    if (lo > hi && lo - hi != 1) || (lo == 0 && hi == u64::MAX) {
        return Err(bad(v, false));
    }
    Ok((lo, hi))
}

pub fn main(argv: &[OsString]) -> Status {
    let mut echo = false;
    let mut range: Option<(u64, u64)> = None;
    let mut count: Option<u64> = None;
    let mut output: Option<&[u8]> = None;
    let mut source: Option<&[u8]> = None;
    let mut repeat = false;
    let mut eol = b'\n';
    let mut p = Parser::new(argv, &SPEC);
    while let Some((id, val)) = p.next()? {
        let v = val.map_or(&b""[..], |v| v.as_bytes());
        match id {
            RANDOM_SOURCE => source = Some(v),
            _ => match char::from_u32(id) {
                Some('e') => echo = true,
                Some('i') => match parse_range(v) {
                    Ok(r) => range = Some(r),
                    Err(m) => {
                        ibex::msg!(m);
                        return Ok(1);
                    }
                },
                Some('n') => match ibex::num::parse_u64(v) {
                    Ok(n) => count = Some(count.map_or(n, |c| c.min(n))),
                    Err(ibex::num::NumError::Range) => {}
                    Err(_) => {
                        ibex::msg!("invalid line count: ", cquote(v));
                        return Ok(1);
                    }
                },
                Some('o') => output = Some(v),
                Some('r') => repeat = true,
                Some('z') => eol = 0,
                _ => {}
            },
        }
    }
    let ops = p.operands();
    if echo && range.is_some() {
        return Err(usage_error(&SPEC, &[b"cannot combine -e and -i options"]));
    }
    if !echo && ops.len() > usize::from(range.is_none()) {
        let extra = ops[usize::from(range.is_none())];
        return Err(usage_error(
            &SPEC,
            &[b"extra operand ", &cquote(extra.as_bytes())],
        ));
    }
    if count == Some(0) {
        return Ok(0);
    }
    let data;
    let items = if let Some((lo, hi)) = range {
        Items::Range(lo, hi)
    } else if echo {
        Items::Lines(ops.iter().map(|o| o.as_bytes()).collect())
    } else {
        let name = ops.first().map_or(&b"-"[..], |o| o.as_bytes());
        let Some(input) = ibex::io::open_or_report(name) else {
            return Ok(1);
        };
        data = match ibex::io::read_all(input.fd()) {
            Ok(d) => d,
            Err(e) => {
                ibex::error::io_error(name, &e);
                return Ok(1);
            }
        };
        let body = data.strip_suffix(&[eol]).unwrap_or(&data);
        if data.is_empty() {
            Items::Lines(Vec::new())
        } else {
            Items::Lines(body.split(|&c| c == eol).collect())
        }
    };
    let mut rng = match source {
        Some(s) => match sys::open(s, sys::O_RDONLY, 0) {
            Ok(fd) => Rng::Source(fd, Vec::new(), 0, s.to_vec()),
            Err(e) => {
                ibex::error::io_error(s, &e);
                return Ok(1);
            }
        },
        None => Rng::xoshiro(),
    };
    let _out_fd;
    let mut out = match output {
        Some(name) => {
            let fl = sys::O_WRONLY | sys::O_CREAT | sys::O_TRUNC | sys::O_NOCTTY;
            match sys::open(name, fl, 0o666) {
                Ok(fd) => {
                    let o = Out::new(fd.as_raw_fd());
                    _out_fd = fd;
                    o
                }
                Err(e) => {
                    ibex::error::io_error(name, &e);
                    return Ok(1);
                }
            }
        }
        None => Out::stdout(),
    };
    let n = items.len();
    let r = if repeat {
        if n == 0 {
            ibex::msg!("no lines to repeat");
            return Ok(1);
        }
        let mut left = count;
        (|| {
            while left != Some(0) {
                put(&mut out, &items, rng.below(n)?, eol);
                left = left.map(|l| l - 1);
                if out.failed() {
                    break;
                }
            }
            Ok(())
        })()
    } else {
        shuffle(
            &items,
            n,
            count.unwrap_or(u64::MAX).min(n),
            &mut rng,
            &mut out,
            eol,
        )
    };
    let status = i32::from(r.is_err());
    out.done(status)
}

/// The first `k` of a random permutation of `0..n` (Fisher-Yates from
/// the front; a sparse swap table when the range is large).
fn shuffle(
    items: &Items,
    n: u64,
    k: u64,
    rng: &mut Rng,
    out: &mut Out,
    eol: u8,
) -> Result<(), Exhausted> {
    if n <= 1 << 24 {
        let mut v: Vec<u64> = (0..n).collect();
        for i in 0..k as usize {
            let j = i + rng.below(n - i as u64)? as usize;
            v.swap(i, j);
            put(out, items, v[i], eol);
        }
        return Ok(());
    }
    let mut moved: HashMap<u64, u64> = HashMap::new();
    for i in 0..k {
        let j = i + rng.below(n - i)?;
        let vj = moved.get(&j).copied().unwrap_or(j);
        let vi = moved.get(&i).copied().unwrap_or(i);
        moved.insert(j, vi);
        put(out, items, vj, eol);
        if out.failed() {
            break;
        }
    }
    Ok(())
}
