//! Base64 and base32 (RFC 4648): block encoding with padding, and a
//! streaming decoder that takes input in any pieces, skips newlines (and
//! with `ignore_garbage` every byte outside the alphabet), accepts
//! concatenated padded groups, and on bad input stops after writing the
//! bytes the complete part of the group gave, as GNU's base64 does.

/// Which encoding.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Base64,
    Base32,
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const B32: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

impl Kind {
    /// Input bytes per encoded group (3 or 5).
    pub fn group_bytes(self) -> usize {
        match self {
            Kind::Base64 => 3,
            Kind::Base32 => 5,
        }
    }

    /// Characters per encoded group (4 or 8).
    pub fn group_chars(self) -> usize {
        match self {
            Kind::Base64 => 4,
            Kind::Base32 => 8,
        }
    }

    fn bits(self) -> u32 {
        match self {
            Kind::Base64 => 6,
            Kind::Base32 => 5,
        }
    }

    /// The value of an alphabet character, 0xff for others.
    fn table(self) -> [u8; 256] {
        let mut t = [0xffu8; 256];
        let alphabet: &[u8] = match self {
            Kind::Base64 => B64,
            Kind::Base32 => B32,
        };
        for (i, &c) in alphabet.iter().enumerate() {
            t[usize::from(c)] = i as u8;
        }
        t
    }
}

/// Append the encoding of `input` to `out`, padded. Feed whole groups
/// (multiples of `kind.group_bytes()`) until the last piece, which may be
/// any length.
pub fn encode(kind: Kind, input: &[u8], out: &mut Vec<u8>) {
    match kind {
        Kind::Base64 => encode64(input, out),
        Kind::Base32 => encode32(input, out),
    }
}

// The encoders write through indices into space made up front: no
// per-group copies (small memcpy calls are slow in musl).
fn encode64(input: &[u8], out: &mut Vec<u8>) {
    let start = out.len();
    let groups = input.len().div_ceil(3);
    out.resize(start + groups * 4, b'=');
    let dst = &mut out[start..];
    let whole = input.len() / 3;
    for g in 0..whole {
        let (i, o) = (g * 3, g * 4);
        let n = u32::from(input[i]) << 16 | u32::from(input[i + 1]) << 8 | u32::from(input[i + 2]);
        dst[o] = B64[(n >> 18) as usize & 63];
        dst[o + 1] = B64[(n >> 12) as usize & 63];
        dst[o + 2] = B64[(n >> 6) as usize & 63];
        dst[o + 3] = B64[n as usize & 63];
    }
    let rest = &input[whole * 3..];
    if !rest.is_empty() {
        let o = whole * 4;
        let b1 = rest.get(1).copied().unwrap_or(0);
        let n = u32::from(rest[0]) << 16 | u32::from(b1) << 8;
        dst[o] = B64[(n >> 18) as usize & 63];
        dst[o + 1] = B64[(n >> 12) as usize & 63];
        if rest.len() == 2 {
            dst[o + 2] = B64[(n >> 6) as usize & 63];
        }
    }
}

fn encode32(input: &[u8], out: &mut Vec<u8>) {
    let start = out.len();
    let groups = input.len().div_ceil(5);
    out.resize(start + groups * 8, b'=');
    let dst = &mut out[start..];
    let whole = input.len() / 5;
    let put = |dst: &mut [u8], g: usize, n: u64, used: usize| {
        for i in 0..used {
            dst[g * 8 + i] = B32[(n >> (35 - 5 * i)) as usize & 31];
        }
    };
    for g in 0..whole {
        let c = &input[g * 5..g * 5 + 5];
        let n = u64::from(c[0]) << 32
            | u64::from(c[1]) << 24
            | u64::from(c[2]) << 16
            | u64::from(c[3]) << 8
            | u64::from(c[4]);
        let o = &mut dst[g * 8..g * 8 + 8];
        o[0] = B32[(n >> 35) as usize & 31];
        o[1] = B32[(n >> 30) as usize & 31];
        o[2] = B32[(n >> 25) as usize & 31];
        o[3] = B32[(n >> 20) as usize & 31];
        o[4] = B32[(n >> 15) as usize & 31];
        o[5] = B32[(n >> 10) as usize & 31];
        o[6] = B32[(n >> 5) as usize & 31];
        o[7] = B32[n as usize & 31];
    }
    let rest = &input[whole * 5..];
    if !rest.is_empty() {
        let mut n = 0u64;
        for k in 0..5 {
            n = n << 8 | u64::from(rest.get(k).copied().unwrap_or(0));
        }
        // Characters that carry at least one input bit.
        put(dst, whole, n, (rest.len() * 8).div_ceil(5));
    }
}

/// The encoded length of `n` input bytes (without line breaks).
pub fn encoded_len(kind: Kind, n: usize) -> usize {
    n.div_ceil(kind.group_bytes()) * kind.group_chars()
}

/// Why decoding stopped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Invalid;

/// A streaming decoder.
pub struct Decoder {
    kind: Kind,
    table: [u8; 256],
    ignore_garbage: bool,
    /// Bits of the current group, most significant first.
    acc: u64,
    /// Characters in the current group.
    n: usize,
    /// Padding characters still expected to close the group.
    pad_left: usize,
}

impl Decoder {
    pub fn new(kind: Kind, ignore_garbage: bool) -> Decoder {
        Decoder {
            kind,
            table: kind.table(),
            ignore_garbage,
            acc: 0,
            n: 0,
            pad_left: 0,
        }
    }

    /// Write the bytes the `n` characters of the current group give at
    /// `out[*o..]` (room was made by the caller).
    fn partial(&mut self, out: &mut [u8], o: &mut usize) {
        let bits = self.n as u32 * self.kind.bits();
        let bytes = (bits / 8) as usize;
        let v = self.acc << (64 - bits.max(1));
        for &b in v.to_be_bytes().iter().take(bytes) {
            if let Some(slot) = out.get_mut(*o) {
                *slot = b;
                *o += 1;
            }
        }
        self.acc = 0;
        self.n = 0;
    }

    fn fail(&mut self, out: &mut [u8], o: &mut usize) -> Result<(), Invalid> {
        // GNU's base64 writes what a broken group holds; base32 drops it.
        if self.kind == Kind::Base64 {
            self.partial(out, o);
        }
        Err(Invalid)
    }

    /// Decode `input`, appending to `out`. After an error the decoder
    /// must not be fed again.
    pub fn feed(&mut self, input: &[u8], out: &mut Vec<u8>) -> Result<(), Invalid> {
        let base = out.len();
        // Every 4 (or 8) characters give at most 3 (5) bytes, plus the
        // group in progress and room for one 4-byte store.
        out.resize(base + input.len() / 4 * 3 + 16, 0);
        let mut o = base;
        let r = self.run(input, out, &mut o);
        out.truncate(o);
        r
    }

    fn run(&mut self, input: &[u8], out: &mut [u8], o: &mut usize) -> Result<(), Invalid> {
        let mut i = 0;
        while i < input.len() {
            // Whole groups of alphabet characters at once, each stored as
            // one 4-byte write.
            if self.n == 0 && self.pad_left == 0 && self.kind == Kind::Base64 {
                let t = &self.table;
                while i + 4 <= input.len() && *o + 4 <= out.len() {
                    let (a, b, c, d) = (
                        t[usize::from(input[i])],
                        t[usize::from(input[i + 1])],
                        t[usize::from(input[i + 2])],
                        t[usize::from(input[i + 3])],
                    );
                    if (a | b | c | d) & 0xc0 != 0 {
                        break;
                    }
                    let v = u32::from(a) << 26
                        | u32::from(b) << 20
                        | u32::from(c) << 14
                        | u32::from(d) << 8;
                    out[*o..*o + 4].copy_from_slice(&v.to_be_bytes());
                    *o += 3;
                    i += 4;
                }
                if i >= input.len() {
                    break;
                }
            }
            let ch = input[i];
            i += 1;
            let v = self.table[usize::from(ch)];
            if v != 0xff {
                if self.pad_left > 0 {
                    return self.fail(out, o);
                }
                self.acc = self.acc << self.kind.bits() | u64::from(v);
                self.n += 1;
                if self.n == self.kind.group_chars() {
                    self.partial(out, o);
                }
            } else if ch == b'=' {
                if self.pad_left > 0 {
                    self.pad_left -= 1;
                    continue;
                }
                let ok = match self.kind {
                    Kind::Base64 => matches!(self.n, 2 | 3),
                    Kind::Base32 => matches!(self.n, 2 | 4 | 5 | 7),
                };
                if !ok {
                    return self.fail(out, o);
                }
                self.pad_left = self.kind.group_chars() - self.n - 1;
                self.partial(out, o);
            } else if ch == b'\n' || self.ignore_garbage {
                continue;
            } else {
                return self.fail(out, o);
            }
        }
        Ok(())
    }

    /// End of input: an unfinished group is an error (its complete bytes
    /// are still written).
    pub fn finish(&mut self, out: &mut Vec<u8>) -> Result<(), Invalid> {
        if self.n != 0 || self.pad_left != 0 {
            self.pad_left = 0;
            let base = out.len();
            out.resize(base + 8, 0);
            let mut o = base;
            let r = self.fail(out, &mut o);
            out.truncate(o);
            return r;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn enc(kind: Kind, s: &[u8]) -> String {
        let mut v = Vec::new();
        encode(kind, s, &mut v);
        String::from_utf8(v).unwrap()
    }

    fn dec(kind: Kind, s: &[u8], garbage: bool) -> (Vec<u8>, bool) {
        let mut d = Decoder::new(kind, garbage);
        let mut out = Vec::new();
        let ok = d.feed(s, &mut out).is_ok() && d.finish(&mut out).is_ok();
        (out, ok)
    }

    #[test]
    fn rfc4648_vectors() {
        let cases = [
            ("", "", ""),
            ("f", "Zg==", "MY======"),
            ("fo", "Zm8=", "MZXQ===="),
            ("foo", "Zm9v", "MZXW6==="),
            ("foob", "Zm9vYg==", "MZXW6YQ="),
            ("fooba", "Zm9vYmE=", "MZXW6YTB"),
            ("foobar", "Zm9vYmFy", "MZXW6YTBOI======"),
        ];
        for (plain, b64, b32) in cases {
            assert_eq!(enc(Kind::Base64, plain.as_bytes()), b64);
            assert_eq!(enc(Kind::Base32, plain.as_bytes()), b32);
            assert_eq!(
                dec(Kind::Base64, b64.as_bytes(), false),
                (plain.into(), true)
            );
            assert_eq!(
                dec(Kind::Base32, b32.as_bytes(), false),
                (plain.into(), true)
            );
        }
    }

    #[test]
    fn decoding_edges() {
        let d = |s: &str| dec(Kind::Base64, s.as_bytes(), false);
        assert_eq!(d("YQ"), (b"a".to_vec(), false));
        assert_eq!(d("YQ="), (b"a".to_vec(), false));
        assert_eq!(d("YQ==YQ=="), (b"aa".to_vec(), true));
        assert_eq!(d("YW\nJj\n"), (b"abc".to_vec(), true));
        assert_eq!(d("YW Jj"), (b"a".to_vec(), false));
        assert_eq!(d("YWJj===="), (b"abc".to_vec(), false));
        assert_eq!(d("Y"), (b"".to_vec(), false));
        assert_eq!(d("=YQ"), (b"".to_vec(), false));
        assert_eq!(d("YR=="), (b"a".to_vec(), true));
        assert_eq!(
            dec(Kind::Base64, b"Y-W!J j\n", true),
            (b"abc".to_vec(), true)
        );
        assert_eq!(dec(Kind::Base64, b"YQ=x", true), (b"a".to_vec(), false));
        assert_eq!(dec(Kind::Base32, b"me======", false), (b"".to_vec(), false));
    }
}
