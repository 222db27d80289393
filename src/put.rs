//! Building output text in a byte buffer without `core::fmt`: decimal and
//! hex numbers, padding to a column. Each `format!` call site costs code
//! (argument tables, a String, its drop); these calls are one small call
//! each, and the text stays bytes (names are never lossy-converted).

/// Text building on `Vec<u8>`; every method returns the buffer to chain.
pub trait Put {
    /// Append bytes.
    fn b(&mut self, b: &[u8]) -> &mut Self;
    /// Append a string.
    fn s(&mut self, s: &str) -> &mut Self;
    /// Append one byte.
    fn c(&mut self, c: u8) -> &mut Self;
    /// Append a decimal number.
    fn u(&mut self, n: u64) -> &mut Self;
    /// Append a signed decimal number.
    fn i(&mut self, n: i64) -> &mut Self;
    /// Append a number in lower-case hex, at least `width` digits
    /// (zero-padded).
    fn hex(&mut self, n: u64, width: usize) -> &mut Self;
    /// Pad with spaces until `len() - start >= width` (`{:<width}` for the
    /// text appended since `start`).
    fn pad(&mut self, start: usize, width: usize) -> &mut Self;
    /// Append `b` right-aligned in `width` columns (`{:>width}`).
    fn right(&mut self, b: &[u8], width: usize) -> &mut Self;
    /// Append `b` left-aligned in `width` columns (`{:<width}`).
    fn left(&mut self, b: &[u8], width: usize) -> &mut Self;
    /// Append a decimal number right-aligned in `width` columns.
    fn u_right(&mut self, n: u64, width: usize) -> &mut Self;
}

impl Put for Vec<u8> {
    fn b(&mut self, b: &[u8]) -> &mut Self {
        self.extend_from_slice(b);
        self
    }

    fn s(&mut self, s: &str) -> &mut Self {
        self.b(s.as_bytes())
    }

    fn c(&mut self, c: u8) -> &mut Self {
        self.push(c);
        self
    }

    fn u(&mut self, n: u64) -> &mut Self {
        let mut buf = [0u8; 20];
        self.b(crate::io::fmt_u64(n, &mut buf))
    }

    fn i(&mut self, n: i64) -> &mut Self {
        if n < 0 {
            self.push(b'-');
        }
        self.u(n.unsigned_abs())
    }

    fn hex(&mut self, mut n: u64, width: usize) -> &mut Self {
        let mut buf = [0u8; 16];
        let mut i = buf.len();
        loop {
            i -= 1;
            buf[i] = b"0123456789abcdef"[(n & 15) as usize];
            n >>= 4;
            if n == 0 {
                break;
            }
        }
        for _ in buf.len() - i..width {
            self.push(b'0');
        }
        self.b(&buf[i..])
    }

    fn pad(&mut self, start: usize, width: usize) -> &mut Self {
        while self.len() < start + width {
            self.push(b' ');
        }
        self
    }

    fn right(&mut self, b: &[u8], width: usize) -> &mut Self {
        for _ in b.len()..width {
            self.push(b' ');
        }
        self.b(b)
    }

    fn left(&mut self, b: &[u8], width: usize) -> &mut Self {
        let start = self.len();
        self.b(b).pad(start, width)
    }

    fn u_right(&mut self, n: u64, width: usize) -> &mut Self {
        let mut buf = [0u8; 20];
        self.right(crate::io::fmt_u64(n, &mut buf), width)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn put() {
        let mut v = Vec::new();
        v.s("a")
            .u(0)
            .c(b' ')
            .i(-12)
            .c(b' ')
            .hex(0xab, 4)
            .c(b' ')
            .hex(0, 0);
        v.c(b'|')
            .left(b"xy", 4)
            .c(b'|')
            .right(b"z", 3)
            .c(b'|')
            .u_right(42, 1);
        assert_eq!(v, b"a0 -12 00ab 0|xy  |  z|42");
    }
}
