//! Message digests and checksums, written for throughput: MD5, SHA-1,
//! SHA-256, SHA-512 (SHA-1 and SHA-256 use the CPU's SHA instructions
//! when it has them, see `sys::sha1_blocks_ni`), and CRC-32 in both bit
//! orders (POSIX `cksum` and the zlib/gzip one).
//!
//! Every digest has the same shape: `new()`, `update(&[u8])` any number of
//! times, `finish()` for the digest bytes. [`Digest`] wraps them for tools
//! that pick the algorithm at run time.

pub mod crc32;
pub mod md5;
pub mod sha1;
pub mod sha256;
pub mod sha512;

/// The block buffer of a Merkle–Damgård hash with `B`-byte blocks: whole
/// blocks of the input go straight to the compression function in one
/// call; only a partial block is copied.
#[derive(Clone)]
pub(crate) struct Blocks<const B: usize> {
    buf: [u8; B],
    len: usize,
    /// Bytes hashed so far.
    total: u128,
}

impl<const B: usize> Blocks<B> {
    pub(crate) const fn new() -> Self {
        Blocks {
            buf: [0; B],
            len: 0,
            total: 0,
        }
    }

    /// Feed `data`; `compress` gets a non-empty run of whole blocks.
    #[inline]
    pub(crate) fn update(&mut self, mut data: &[u8], mut compress: impl FnMut(&[u8])) {
        self.total += data.len() as u128;
        if self.len > 0 {
            let take = (B - self.len).min(data.len());
            self.buf[self.len..self.len + take].copy_from_slice(&data[..take]);
            self.len += take;
            data = &data[take..];
            if self.len < B {
                return;
            }
            compress(&self.buf);
            self.len = 0;
        }
        let whole = data.len() - data.len() % B;
        if whole > 0 {
            compress(&data[..whole]);
        }
        let rest = &data[whole..];
        self.buf[..rest.len()].copy_from_slice(rest);
        self.len = rest.len();
    }

    /// Pad with 0x80, zeros and the bit length in `len_bytes` bytes
    /// (big- or little-endian), compressing the last block(s).
    pub(crate) fn pad(
        &mut self,
        len_bytes: usize,
        big_endian: bool,
        mut compress: impl FnMut(&[u8]),
    ) {
        let bits = self.total.wrapping_mul(8);
        let mut tail = [0u8; 256];
        let n = self.len;
        tail[..n].copy_from_slice(&self.buf[..n]);
        tail[n] = 0x80;
        let blocks = if n + 1 + len_bytes <= B { 1 } else { 2 };
        let end = blocks * B;
        let lenb = bits.to_be_bytes();
        let lenl = bits.to_le_bytes();
        for i in 0..len_bytes {
            tail[end - len_bytes + i] = if big_endian {
                lenb[16 - len_bytes + i]
            } else {
                lenl[i]
            };
        }
        compress(&tail[..end]);
        self.len = 0;
    }
}

/// The digest algorithms of the `*sum` tools.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Algo {
    Md5,
    Sha1,
    Sha256,
    Sha512,
}

impl Algo {
    /// Digest length in bytes.
    pub fn digest_len(self) -> usize {
        match self {
            Algo::Md5 => 16,
            Algo::Sha1 => 20,
            Algo::Sha256 => 32,
            Algo::Sha512 => 64,
        }
    }

    /// The name in BSD-style (`--tag`) lines: `MD5`, `SHA1`, `SHA256`, `SHA512`.
    pub fn tag(self) -> &'static str {
        match self {
            Algo::Md5 => "MD5",
            Algo::Sha1 => "SHA1",
            Algo::Sha256 => "SHA256",
            Algo::Sha512 => "SHA512",
        }
    }
}

/// One running digest of a run-time chosen algorithm.
#[derive(Clone)]
pub enum Digest {
    Md5(md5::Md5),
    Sha1(sha1::Sha1),
    Sha256(sha256::Sha256),
    Sha512(sha512::Sha512),
}

impl Digest {
    pub fn new(algo: Algo) -> Digest {
        match algo {
            Algo::Md5 => Digest::Md5(md5::Md5::new()),
            Algo::Sha1 => Digest::Sha1(sha1::Sha1::new()),
            Algo::Sha256 => Digest::Sha256(sha256::Sha256::new()),
            Algo::Sha512 => Digest::Sha512(sha512::Sha512::new()),
        }
    }

    pub fn update(&mut self, data: &[u8]) {
        match self {
            Digest::Md5(h) => h.update(data),
            Digest::Sha1(h) => h.update(data),
            Digest::Sha256(h) => h.update(data),
            Digest::Sha512(h) => h.update(data),
        }
    }

    /// The digest bytes (`algo.digest_len()` of them).
    pub fn finish(self) -> Vec<u8> {
        match self {
            Digest::Md5(h) => h.finish().to_vec(),
            Digest::Sha1(h) => h.finish().to_vec(),
            Digest::Sha256(h) => h.finish().to_vec(),
            Digest::Sha512(h) => h.finish().to_vec(),
        }
    }
}

/// Lower-case hexadecimal of `bytes`.
pub fn hex(bytes: &[u8]) -> Vec<u8> {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut v = Vec::with_capacity(bytes.len() * 2);
    for &b in bytes {
        v.push(DIGITS[usize::from(b >> 4)]);
        v.push(DIGITS[usize::from(b & 15)]);
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    fn digest(algo: Algo, data: &[u8]) -> String {
        let mut d = Digest::new(algo);
        d.update(data);
        String::from_utf8(hex(&d.finish())).unwrap()
    }

    /// Feeding in pieces of every size gives the one-shot digest.
    #[test]
    fn split_updates_agree() {
        let data: Vec<u8> = (0..1000u32).map(|i| (i * 7 + i / 13) as u8).collect();
        for algo in [Algo::Md5, Algo::Sha1, Algo::Sha256, Algo::Sha512] {
            let whole = digest(algo, &data);
            for step in [1, 3, 63, 64, 65, 127, 128, 129, 500] {
                let mut d = Digest::new(algo);
                for c in data.chunks(step) {
                    d.update(c);
                }
                assert_eq!(String::from_utf8(hex(&d.finish())).unwrap(), whole);
            }
        }
    }

    #[test]
    fn padding_edges() {
        // Lengths around the padding boundary (55, 56, 64; 111, 112, 128).
        let md5 = [
            (55, "ef1772b6dff9a122358552954ad0df65"),
            (56, "3b0c8ac703f828b04c6c197006d17218"),
            (64, "014842d480b571495a4a0363793f7367"),
        ];
        for (n, want) in md5 {
            assert_eq!(digest(Algo::Md5, &vec![b'a'; n]), want, "md5 {n}");
        }
        let sha512 = [
            (
                111,
                "fa9121c7b32b9e01733d034cfc78cbf67f926c7ed83e82200ef86818196921760b4beff48404df811b953828274461673c68d04e297b0eb7b2b4d60fc6b566a2",
            ),
            (
                112,
                "c01d080efd492776a1c43bd23dd99d0a2e626d481e16782e75d54c2503b5dc32bd05f0f1ba33e568b88fd2d970929b719ecbb152f58f130a407c8830604b70ca",
            ),
        ];
        for (n, want) in sha512 {
            assert_eq!(digest(Algo::Sha512, &vec![b'a'; n]), want, "sha512 {n}");
        }
    }

    #[test]
    fn known_vectors() {
        let abc = b"abc";
        assert_eq!(digest(Algo::Md5, b""), "d41d8cd98f00b204e9800998ecf8427e");
        assert_eq!(digest(Algo::Md5, abc), "900150983cd24fb0d6963f7d28e17f72");
        assert_eq!(
            digest(Algo::Sha1, abc),
            "a9993e364706816aba3e25717850c26c9cd0d89d"
        );
        assert_eq!(
            digest(Algo::Sha256, abc),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(
            digest(Algo::Sha512, abc),
            "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f"
        );
        let long = b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
        assert_eq!(
            digest(Algo::Sha1, long),
            "84983e441c3bd26ebaae4aa1f95129e5e54670f1"
        );
        assert_eq!(
            digest(Algo::Sha256, long),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
        );
    }

    #[test]
    fn million_a() {
        let m = vec![b'a'; 1_000_000];
        assert_eq!(digest(Algo::Md5, &m), "7707d6ae4e027c70eea2a935c2296f21");
        assert_eq!(
            digest(Algo::Sha1, &m),
            "34aa973cd4c4daa4f61eeb2bdbad27316534016f"
        );
        assert_eq!(
            digest(Algo::Sha256, &m),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"
        );
        assert_eq!(
            digest(Algo::Sha512, &m),
            "e718483d0ce769644e2e42c7bc15b4638e1f98b13b2044285632a803afa973ebde0ff244877ea60a4cb0432ce577c31beb009c5c2c49aa2e4eadb217ad8cc09b"
        );
    }
}
