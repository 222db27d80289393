//! Tab stops for expand and unexpand: `-t N`, `-t LIST` with GNU's `/N`
//! (every N columns after the last stop) and `+N` (every N columns
//! counted from the last stop) forms, and the obsolete `-N`/`-N,M`
//! arguments. Columns count from 0.

use std::ffi::OsString;
use std::os::unix::ffi::{OsStrExt, OsStringExt};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TabStops {
    /// Explicit stops, ascending.
    stops: Vec<u64>,
    /// Size of the repeat after the last stop (`/N` or a single N).
    every: u64,
    /// The repeat counts from the last stop (`+N`) rather than from 0.
    relative: bool,
}

/// A stop list that is not acceptable, with GNU's message.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct TabError(pub Vec<u8>);

fn err(parts: &[&[u8]]) -> TabError {
    TabError(parts.concat())
}

impl Default for TabStops {
    fn default() -> TabStops {
        TabStops::new()
    }
}

impl TabStops {
    /// Tabs every 8 columns.
    pub fn new() -> TabStops {
        TabStops {
            stops: Vec::new(),
            every: 8,
            relative: false,
        }
    }

    /// Parse the values of every `-t` given, in order, as one list.
    pub fn parse(lists: &[&[u8]]) -> Result<TabStops, TabError> {
        let mut stops: Vec<u64> = Vec::new();
        let mut prefixed: Option<(u8, u64)> = None;
        for list in lists {
            let mut i = 0;
            while i <= list.len() {
                // One value: [/+]digits, ended by ',', blank or the end.
                let mut prefix = 0u8;
                let mut digits = 0;
                let start = i;
                let mut val: u64 = 0;
                while let Some(&c) = list.get(i) {
                    match c {
                        b',' | b' ' | b'\t' => break,
                        b'/' | b'+' => {
                            if digits > 0 {
                                return Err(err(&[
                                    b"'",
                                    &[c],
                                    b"' specifier not at start of number: ",
                                    &crate::copy::quote(&list[i..]),
                                ]));
                            }
                            prefix = c;
                        }
                        b'0'..=b'9' => {
                            digits += 1;
                            val = match val
                                .checked_mul(10)
                                .and_then(|v| v.checked_add(u64::from(c - b'0')))
                            {
                                Some(v) => v,
                                None => {
                                    let end = list[i..]
                                        .iter()
                                        .position(|c| !c.is_ascii_digit())
                                        .map_or(list.len(), |n| i + n);
                                    let num_start = start + usize::from(prefix != 0);
                                    return Err(err(&[
                                        b"tab stop is too large ",
                                        &crate::copy::quote(&list[num_start..end]),
                                    ]));
                                }
                            };
                        }
                        _ => {
                            return Err(err(&[
                                b"tab size contains invalid character(s): ",
                                &crate::copy::quote(&list[i..]),
                            ]));
                        }
                    }
                    i += 1;
                }
                i += 1;
                if digits == 0 {
                    continue;
                }
                if let Some((p, _)) = prefixed {
                    return Err(err(&[
                        b"'",
                        &[p],
                        b"' specifier only allowed with the last value",
                    ]));
                }
                if prefix != 0 {
                    prefixed = Some((prefix, val));
                    continue;
                }
                if val == 0 {
                    return Err(err(&[b"tab size cannot be 0"]));
                }
                if stops.last().is_some_and(|&l| l >= val) {
                    return Err(err(&[b"tab sizes must be ascending"]));
                }
                stops.push(val);
            }
        }
        let mut t = TabStops {
            stops,
            every: 0,
            relative: false,
        };
        match prefixed {
            Some((p, n)) => {
                t.every = n;
                t.relative = p == b'+';
            }
            None if t.stops.len() == 1 => {
                t.every = t.stops[0];
                t.stops.clear();
            }
            None if t.stops.is_empty() => t.every = 8,
            None => {}
        }
        Ok(t)
    }

    /// The next tab stop after column `col`, or None past the last one.
    pub fn next(&self, col: u64) -> Option<u64> {
        let i = self.stops.partition_point(|&s| s <= col);
        if let Some(&s) = self.stops.get(i) {
            return Some(s);
        }
        if self.every == 0 {
            return None;
        }
        let base = if self.relative {
            self.stops.last().copied().unwrap_or(0)
        } else {
            0
        };
        let from = col.checked_sub(base)?;
        from.checked_div(self.every)?
            .checked_add(1)?
            .checked_mul(self.every)?
            .checked_add(base)
    }
}

/// Rewrite the obsolete `-N` and `-N,M,...` arguments as `-tN...`, up to
/// `--` and skipping the values of `-t`/`--tabs`.
pub fn obsolete_args(argv: &[OsString]) -> Vec<OsString> {
    let mut out = Vec::with_capacity(argv.len());
    let mut skip = false;
    let mut done = false;
    for (i, a) in argv.iter().enumerate() {
        let b = a.as_bytes();
        if i == 0 || done || skip {
            skip = false;
            out.push(a.clone());
            continue;
        }
        if b == b"--" {
            done = true;
        } else if b == b"-t" || (b.starts_with(b"--t") && !b.contains(&b'=')) {
            skip = true;
        } else if b.len() > 1 && b[0] == b'-' && b[1].is_ascii_digit() {
            let mut v = b"-t".to_vec();
            v.extend_from_slice(&b[1..]);
            out.push(OsString::from_vec(v));
            continue;
        }
        out.push(a.clone());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Result<TabStops, String> {
        TabStops::parse(&[s.as_bytes()]).map_err(|e| String::from_utf8_lossy(&e.0).into_owned())
    }

    fn stops(s: &str, upto: u64) -> Vec<u64> {
        let t = p(s).unwrap();
        let mut v = Vec::new();
        let mut c = 0;
        while let Some(n) = t.next(c) {
            if n > upto {
                break;
            }
            v.push(n);
            c = n;
        }
        v
    }

    #[test]
    fn forms() {
        assert_eq!(stops("", 20), [8, 16]);
        assert_eq!(stops("4", 13), [4, 8, 12]);
        assert_eq!(stops("3,5", 40), [3, 5]);
        assert_eq!(stops("3,/5", 16), [3, 5, 10, 15]);
        assert_eq!(stops("3,+5", 19), [3, 8, 13, 18]);
        assert_eq!(stops("/4", 9), [4, 8]);
        assert_eq!(stops("+4", 9), [4, 8]);
        assert_eq!(stops("1 2", 9), [1, 2]);
        assert_eq!(stops("3,,4", 9), [3, 4]);
        assert_eq!(stops("3,/0", 9), [3]);
        assert_eq!(p("1,/1").unwrap().next(1), Some(2));
    }

    #[test]
    fn errors() {
        assert_eq!(p("0").unwrap_err(), "tab size cannot be 0");
        assert_eq!(p("3,2").unwrap_err(), "tab sizes must be ascending");
        assert_eq!(p("3,3").unwrap_err(), "tab sizes must be ascending");
        assert_eq!(
            p("x").unwrap_err(),
            "tab size contains invalid character(s): 'x'"
        );
        assert_eq!(
            p("-3").unwrap_err(),
            "tab size contains invalid character(s): '-3'"
        );
        assert_eq!(
            p("/3,4").unwrap_err(),
            "'/' specifier only allowed with the last value"
        );
        assert_eq!(
            p("2,+3,4").unwrap_err(),
            "'+' specifier only allowed with the last value"
        );
        assert_eq!(
            p("3/").unwrap_err(),
            "'/' specifier not at start of number: '/'"
        );
        assert_eq!(
            p("99999999999999999999").unwrap_err(),
            "tab stop is too large '99999999999999999999'"
        );
    }

    #[test]
    fn obsolete_forms() {
        let a: Vec<OsString> = ["expand", "-4", "-t", "-3", "-i2,5", "--", "-7"]
            .iter()
            .map(OsString::from)
            .collect();
        let want: Vec<OsString> = ["expand", "-t4", "-t", "-3", "-i2,5", "--", "-7"]
            .iter()
            .map(OsString::from)
            .collect();
        assert_eq!(obsolete_args(&a), want);
    }
}
