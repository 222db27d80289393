//! Number parsing for option values and operands: strict decimal integers,
//! sizes with GNU multiplier suffixes (`10K`, `1MiB`, `2MB`, `b`), and
//! durations (`1.5`, `2m`, `1h`, `inf`).

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NumError {
    /// Not a number at all: `invalid number 'x'`.
    Invalid,
    /// A number too large for the type: `... Numerical result out of range`.
    Range,
}

/// A strict unsigned decimal (an optional leading `+` is allowed).
pub fn parse_u64(s: &[u8]) -> Result<u64, NumError> {
    let s = s.strip_prefix(b"+").unwrap_or(s);
    if s.is_empty() {
        return Err(NumError::Invalid);
    }
    let mut n: u64 = 0;
    let mut overflow = false;
    for &c in s {
        if !c.is_ascii_digit() {
            return Err(NumError::Invalid);
        }
        match n
            .checked_mul(10)
            .and_then(|n| n.checked_add(u64::from(c - b'0')))
        {
            Some(v) => n = v,
            None => overflow = true,
        }
    }
    if overflow {
        Err(NumError::Range)
    } else {
        Ok(n)
    }
}

/// A strict signed decimal.
pub fn parse_i64(s: &[u8]) -> Result<i64, NumError> {
    let (neg, digits) = match s.first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    if digits.first() == Some(&b'+') {
        return Err(NumError::Invalid);
    }
    let mag = parse_u64(digits)?;
    if neg {
        if mag <= i64::MAX as u64 + 1 {
            Ok((mag as i64).wrapping_neg())
        } else {
            Err(NumError::Range)
        }
    } else {
        i64::try_from(mag).map_err(|_| NumError::Range)
    }
}

/// Leading whitespace is allowed by strtol-based tools; skip it.
pub fn trim_start(s: &[u8]) -> &[u8] {
    let n = s.iter().take_while(|c| c.is_ascii_whitespace()).count();
    &s[n..]
}

/// The multiplier of a GNU size suffix: `b` 512, `K`/`KiB` 1024, `kB`/`KB`
/// 1000, and so on for M G T P E.
pub fn suffix_multiplier(suf: &[u8]) -> Option<u64> {
    if suf.is_empty() {
        return Some(1);
    }
    if suf == b"b" {
        return Some(512);
    }
    let (letter, rest) = (suf[0], &suf[1..]);
    let power = match letter.to_ascii_uppercase() {
        b'K' => 1,
        b'M' => 2,
        b'G' => 3,
        b'T' => 4,
        b'P' => 5,
        b'E' => 6,
        _ => return None,
    };
    let base: u64 = match rest {
        b"" | b"iB" => 1024,
        b"B" => 1000,
        _ => return None,
    };
    base.checked_pow(power)
}

/// A size: decimal digits followed by an optional multiplier suffix.
pub fn parse_size(s: &[u8]) -> Result<u64, NumError> {
    let s = s.strip_prefix(b"+").unwrap_or(s);
    let digits = s.iter().take_while(|c| c.is_ascii_digit()).count();
    if digits == 0 {
        return Err(NumError::Invalid);
    }
    let n = parse_u64(&s[..digits])?;
    let mult = suffix_multiplier(&s[digits..]).ok_or(NumError::Invalid)?;
    n.checked_mul(mult).ok_or(NumError::Range)
}

/// A duration in seconds for sleep/timeout: a decimal fraction with an
/// optional unit `s`, `m`, `h` or `d`; `inf`/`infinity` is `f64::INFINITY`.
pub fn parse_duration(s: &[u8]) -> Result<f64, NumError> {
    let text = std::str::from_utf8(s).map_err(|_| NumError::Invalid)?;
    let (num, mult) = match text.as_bytes().last() {
        Some(b's') => (&text[..text.len() - 1], 1.0),
        Some(b'm') => (&text[..text.len() - 1], 60.0),
        Some(b'h') => (&text[..text.len() - 1], 3600.0),
        Some(b'd') => (&text[..text.len() - 1], 86400.0),
        _ => (text, 1.0),
    };
    let lower = num.to_ascii_lowercase();
    if lower == "inf" || lower == "infinity" {
        return Ok(f64::INFINITY);
    }
    // Only plain decimal forms: digits with at most one point.
    let ok_chars = num.bytes().all(|c| c.is_ascii_digit() || c == b'.');
    let points = num.bytes().filter(|&c| c == b'.').count();
    if num.is_empty() || !ok_chars || points > 1 || num == "." {
        return Err(NumError::Invalid);
    }
    let v = crate::sys::parse_f64(num.as_bytes()).ok_or(NumError::Invalid)?;
    Ok(v * mult)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unsigned() {
        assert_eq!(parse_u64(b"0"), Ok(0));
        assert_eq!(parse_u64(b"+12"), Ok(12));
        assert_eq!(parse_u64(b"18446744073709551615"), Ok(u64::MAX));
        assert_eq!(parse_u64(b"18446744073709551616"), Err(NumError::Range));
        assert_eq!(parse_u64(b""), Err(NumError::Invalid));
        assert_eq!(parse_u64(b"1x"), Err(NumError::Invalid));
        assert_eq!(parse_u64(b"-1"), Err(NumError::Invalid));
        assert_eq!(parse_u64(b" 1"), Err(NumError::Invalid));
    }

    #[test]
    fn signed() {
        assert_eq!(parse_i64(b"-9223372036854775808"), Ok(i64::MIN));
        assert_eq!(parse_i64(b"9223372036854775807"), Ok(i64::MAX));
        assert_eq!(parse_i64(b"9223372036854775808"), Err(NumError::Range));
        assert_eq!(parse_i64(b"-"), Err(NumError::Invalid));
        assert_eq!(parse_i64(b"+-1"), Err(NumError::Invalid));
    }

    #[test]
    fn sizes() {
        assert_eq!(parse_size(b"10"), Ok(10));
        assert_eq!(parse_size(b"2b"), Ok(1024));
        assert_eq!(parse_size(b"1K"), Ok(1024));
        assert_eq!(parse_size(b"1k"), Ok(1024));
        assert_eq!(parse_size(b"1KiB"), Ok(1024));
        assert_eq!(parse_size(b"1kB"), Ok(1000));
        assert_eq!(parse_size(b"3M"), Ok(3 << 20));
        assert_eq!(parse_size(b"1MB"), Ok(1_000_000));
        assert_eq!(parse_size(b"1G"), Ok(1 << 30));
        assert_eq!(parse_size(b"16E"), Err(NumError::Range));
        assert_eq!(parse_size(b"1Q"), Err(NumError::Invalid));
        assert_eq!(parse_size(b"K"), Err(NumError::Invalid));
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration(b"1.5"), Ok(1.5));
        assert_eq!(parse_duration(b"2m"), Ok(120.0));
        assert_eq!(parse_duration(b"1h"), Ok(3600.0));
        assert_eq!(parse_duration(b".5s"), Ok(0.5));
        assert_eq!(parse_duration(b"inf"), Ok(f64::INFINITY));
        assert_eq!(parse_duration(b"x"), Err(NumError::Invalid));
        assert_eq!(parse_duration(b"1..2"), Err(NumError::Invalid));
        assert_eq!(parse_duration(b"-1"), Err(NumError::Invalid));
        assert_eq!(parse_duration(b""), Err(NumError::Invalid));
    }
}

/// Why a `-B`/`--block-size` argument was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BlockSizeError {
    /// `invalid -B argument 'x'` (no number, zero).
    Invalid,
    /// `invalid suffix in -B argument '1x'`.
    Suffix,
    /// `-B argument '1Z' too large`.
    TooLarge,
}

/// A block size as df, du and ls take it: `[']`, optional digits, an
/// optional unit `K M G T P E Z Y` (1024s; `KiB` too) or `kB MB ...`
/// (1000s). `K` alone is 1024. Zero is invalid.
pub fn parse_block_size(s: &[u8]) -> Result<u64, BlockSizeError> {
    let s = s.strip_prefix(b"'").unwrap_or(s);
    let digits = s.iter().take_while(|c| c.is_ascii_digit()).count();
    let (num, suffix) = s.split_at(digits);
    let n = if digits == 0 {
        1
    } else {
        match parse_u64(num) {
            Ok(n) => n,
            Err(NumError::Range) => return Err(BlockSizeError::TooLarge),
            Err(NumError::Invalid) => return Err(BlockSizeError::Invalid),
        }
    };
    let mult = if suffix.is_empty() {
        if digits == 0 {
            return Err(BlockSizeError::Invalid);
        }
        1
    } else {
        let power: u32 = match suffix[0] {
            b'k' | b'K' => 1,
            b'M' | b'm' => 2,
            b'G' | b'g' => 3,
            b'T' | b't' => 4,
            b'P' | b'p' => 5,
            b'E' | b'e' => 6,
            b'Z' | b'z' => 7,
            b'Y' | b'y' => 8,
            _ if digits == 0 => return Err(BlockSizeError::Invalid),
            _ => return Err(BlockSizeError::Suffix),
        };
        let base: u64 = match &suffix[1..] {
            b"" | b"iB" => 1024,
            b"B" => 1000,
            _ => return Err(BlockSizeError::Suffix),
        };
        base.checked_pow(power).ok_or(BlockSizeError::TooLarge)?
    };
    match n.checked_mul(mult) {
        Some(0) => Err(BlockSizeError::Invalid),
        Some(v) => Ok(v),
        None => Err(BlockSizeError::TooLarge),
    }
}

#[cfg(test)]
mod block_size_tests {
    use super::*;

    #[test]
    fn block_sizes() {
        assert_eq!(parse_block_size(b"1"), Ok(1));
        assert_eq!(parse_block_size(b"512"), Ok(512));
        assert_eq!(parse_block_size(b"K"), Ok(1024));
        assert_eq!(parse_block_size(b"1k"), Ok(1024));
        assert_eq!(parse_block_size(b"2KiB"), Ok(2048));
        assert_eq!(parse_block_size(b"1kB"), Ok(1000));
        assert_eq!(parse_block_size(b"1MB"), Ok(1_000_000));
        assert_eq!(parse_block_size(b"'1M"), Ok(1 << 20));
        assert_eq!(parse_block_size(b"1E"), Ok(1 << 60));
        assert_eq!(parse_block_size(b"1Z"), Err(BlockSizeError::TooLarge));
        assert_eq!(
            parse_block_size(b"99999999999999999999"),
            Err(BlockSizeError::TooLarge)
        );
        assert_eq!(parse_block_size(b"0"), Err(BlockSizeError::Invalid));
        assert_eq!(parse_block_size(b""), Err(BlockSizeError::Invalid));
        assert_eq!(parse_block_size(b"x1"), Err(BlockSizeError::Invalid));
        assert_eq!(parse_block_size(b"-1"), Err(BlockSizeError::Invalid));
        assert_eq!(parse_block_size(b"1x"), Err(BlockSizeError::Suffix));
        assert_eq!(parse_block_size(b"10b"), Err(BlockSizeError::Suffix));
        assert_eq!(parse_block_size(b"1.5"), Err(BlockSizeError::Suffix));
        assert_eq!(parse_block_size(b"1KB2"), Err(BlockSizeError::Suffix));
    }
}
