//! Human-readable sizes as GNU prints them (`ls -h`, `du -h`, `df -h`):
//! rounded up, one decimal below 10, powers of 1024 (or 1000 with `--si`).

const UNITS_1024: &[u8] = b"KMGTPE";
const UNITS_1000: &[u8] = b"kMGTPE";

fn ceil_div(a: u128, b: u128) -> u128 {
    a.div_ceil(b)
}

/// `n` in human units: `1023`, `1.0K`, `1.1K`, `10K`, `1.5M`.
pub fn human(n: u64, si: bool) -> String {
    use crate::put::Put;
    let base: u128 = if si { 1000 } else { 1024 };
    let units = if si { UNITS_1000 } else { UNITS_1024 };
    let n128 = u128::from(n);
    let mut v: Vec<u8> = Vec::with_capacity(8);
    // Every figure printed is below 10 * 1024 (or n itself): u64 digits.
    let num = |x: u128| u64::try_from(x).unwrap_or(u64::MAX);
    if n128 < base {
        v.u(n);
    } else {
        let mut div = 1u128;
        let mut done = false;
        for &unit in units {
            div *= base;
            let tenths = ceil_div(n128 * 10, div);
            if tenths < 100 {
                v.u(num(tenths / 10)).c(b'.').u(num(tenths % 10)).c(unit);
                done = true;
                break;
            }
            let whole = ceil_div(n128, div);
            if whole < base {
                v.u(num(whole)).c(unit);
                done = true;
                break;
            }
        }
        if !done {
            // Beyond exabytes u64 cannot go; keep the largest unit.
            v.u(num(ceil_div(n128, div))).c(b'E');
        }
    }
    String::from_utf8(v).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::human;

    #[test]
    fn rounds_up_like_gnu() {
        assert_eq!(human(0, false), "0");
        assert_eq!(human(1023, false), "1023");
        assert_eq!(human(1024, false), "1.0K");
        assert_eq!(human(1025, false), "1.1K");
        assert_eq!(human(4096, false), "4.0K");
        assert_eq!(human(10 * 1024 - 1, false), "10K");
        assert_eq!(human(10 * 1024, false), "10K");
        assert_eq!(human(10 * 1024 + 1, false), "11K");
        assert_eq!(human(1023 * 1024 + 1, false), "1.0M");
        assert_eq!(human(1536 * 1024, false), "1.5M");
        assert_eq!(human(1 << 30, false), "1.0G");
        assert_eq!(human(u64::MAX, false), "16E");
    }

    #[test]
    fn si_units() {
        assert_eq!(human(999, true), "999");
        assert_eq!(human(1000, true), "1.0k");
        assert_eq!(human(1_500_000, true), "1.5M");
    }
}
