//! CRC-32 with the polynomial 0x04C11DB7 in both bit orders: the POSIX
//! `cksum` one (most significant bit first, length appended, complemented)
//! and the reflected one of zlib, gzip, zip and PNG. Slicing-by-8 tables,
//! built on first use (no table bytes in the binary).

use std::sync::OnceLock;

type Tables = [[u32; 256]; 8];

fn posix_tables() -> &'static Tables {
    static T: OnceLock<Box<Tables>> = OnceLock::new();
    T.get_or_init(|| {
        let mut t = Box::new([[0u32; 256]; 8]);
        for i in 0..256u32 {
            let mut c = i << 24;
            for _ in 0..8 {
                c = if c & 0x8000_0000 != 0 {
                    (c << 1) ^ 0x04C1_1DB7
                } else {
                    c << 1
                };
            }
            t[0][i as usize] = c;
        }
        for k in 1..8 {
            for i in 0..256 {
                let prev = t[k - 1][i];
                t[k][i] = (prev << 8) ^ t[0][(prev >> 24) as usize];
            }
        }
        t
    })
}

fn zlib_tables() -> &'static Tables {
    static T: OnceLock<Box<Tables>> = OnceLock::new();
    T.get_or_init(|| {
        let mut t = Box::new([[0u32; 256]; 8]);
        for i in 0..256u32 {
            let mut c = i;
            for _ in 0..8 {
                c = if c & 1 != 0 {
                    (c >> 1) ^ 0xEDB8_8320
                } else {
                    c >> 1
                };
            }
            t[0][i as usize] = c;
        }
        for k in 1..8 {
            for i in 0..256 {
                let prev = t[k - 1][i];
                t[k][i] = (prev >> 8) ^ t[0][(prev & 0xff) as usize];
            }
        }
        t
    })
}

/// The raw most-significant-bit-first CRC register after `data`.
pub fn posix_update(mut crc: u32, data: &[u8]) -> u32 {
    let t = posix_tables();
    let mut chunks = data.chunks_exact(8);
    for c in &mut chunks {
        let x = crc ^ u32::from_be_bytes([c[0], c[1], c[2], c[3]]);
        crc = t[7][(x >> 24) as usize]
            ^ t[6][((x >> 16) & 0xff) as usize]
            ^ t[5][((x >> 8) & 0xff) as usize]
            ^ t[4][(x & 0xff) as usize]
            ^ t[3][c[4] as usize]
            ^ t[2][c[5] as usize]
            ^ t[1][c[6] as usize]
            ^ t[0][c[7] as usize];
    }
    for &b in chunks.remainder() {
        crc = (crc << 8) ^ t[0][((crc >> 24) ^ u32::from(b)) as usize];
    }
    crc
}

/// The POSIX `cksum` CRC: the data, then its length in as few bytes as
/// it takes (least significant first), complemented.
#[derive(Clone, Default)]
pub struct Cksum {
    crc: u32,
    len: u64,
}

impl Cksum {
    pub fn new() -> Cksum {
        Cksum::default()
    }

    pub fn update(&mut self, data: &[u8]) {
        self.crc = posix_update(self.crc, data);
        self.len += data.len() as u64;
    }

    /// Bytes seen so far.
    pub fn len(&self) -> u64 {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    pub fn finish(&self) -> u32 {
        let mut n = self.len;
        let mut bytes = [0u8; 8];
        let mut k = 0;
        while n > 0 {
            bytes[k] = n as u8;
            n >>= 8;
            k += 1;
        }
        !posix_update(self.crc, &bytes[..k])
    }
}

/// Continue the zlib CRC-32 `crc` (0 to start; the value returned so far
/// otherwise) over `data`.
pub fn zlib_update(crc: u32, data: &[u8]) -> u32 {
    let t = zlib_tables();
    let mut crc = !crc;
    let mut chunks = data.chunks_exact(8);
    for c in &mut chunks {
        let x = crc ^ u32::from_le_bytes([c[0], c[1], c[2], c[3]]);
        crc = t[7][(x & 0xff) as usize]
            ^ t[6][((x >> 8) & 0xff) as usize]
            ^ t[5][((x >> 16) & 0xff) as usize]
            ^ t[4][(x >> 24) as usize]
            ^ t[3][c[4] as usize]
            ^ t[2][c[5] as usize]
            ^ t[1][c[6] as usize]
            ^ t[0][c[7] as usize];
    }
    for &b in chunks.remainder() {
        crc = (crc >> 8) ^ t[0][((crc ^ u32::from(b)) & 0xff) as usize];
    }
    !crc
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cksum_values() {
        let sum = |d: &[u8]| {
            let mut c = Cksum::new();
            c.update(d);
            c.finish()
        };
        assert_eq!(sum(b""), 4294967295);
        assert_eq!(sum(b"abc"), 1219131554);
        assert_eq!(sum(b"123456789"), 930766865);
        // Split updates agree with one.
        let data: Vec<u8> = (0..1000u32).map(|i| (i * 13) as u8).collect();
        let mut c = Cksum::new();
        for piece in data.chunks(7) {
            c.update(piece);
        }
        assert_eq!(c.finish(), sum(&data));
    }

    #[test]
    fn zlib_values() {
        assert_eq!(zlib_update(0, b""), 0);
        assert_eq!(zlib_update(0, b"123456789"), 0xCBF4_3926);
        let data: Vec<u8> = (0..1000u32).map(|i| (i * 13) as u8).collect();
        let whole = zlib_update(0, &data);
        let mut c = 0;
        for piece in data.chunks(11) {
            c = zlib_update(c, piece);
        }
        assert_eq!(c, whole);
    }
}
