//! File modes: chmod-style octal and symbolic modes (`u+rwx,g-w,o=r,a+X`,
//! `+t`, `g=u`), and the `ls -l` rendering `drwxr-xr-x`.

use crate::sys;

const S_ISUID: u32 = 0o4000;
const S_ISGID: u32 = 0o2000;
const S_ISVTX: u32 = 0o1000;
const USR: u32 = 0o4700;
const GRP: u32 = 0o2070;
const OTH: u32 = 0o1007;
const ALL: u32 = 0o7777;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Op {
    Add,
    Remove,
    Set,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Perms {
    /// Bits from `rwxst` (expressed for all of u/g/o), plus X.
    Bits { bits: u32, cond_x: bool },
    /// Copy of the current u, g or o bits (`g=u`).
    Copy(u32),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Action {
    /// Who the clause names, or 0 for "all, except umask'ed bits".
    who: u32,
    op: Op,
    perms: Perms,
}

/// A parsed mode argument.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Octal mode and the number of digits given (5 digits clear a
    /// directory's set-id bits; fewer keep them).
    Octal(u32, usize),
    Symbolic(Vec<Action>),
}

/// Parse an octal or symbolic mode; `None` when invalid.
pub fn parse(s: &[u8]) -> Option<Mode> {
    if s.is_empty() {
        return None;
    }
    if s.iter().all(|c| (b'0'..=b'7').contains(c)) {
        let mut n: u32 = 0;
        for &c in s {
            n = n.checked_mul(8)?.checked_add(u32::from(c - b'0'))?;
        }
        if n > ALL {
            return None;
        }
        return Some(Mode::Octal(n, s.len()));
    }
    let mut actions = Vec::new();
    for clause in s.split(|&c| c == b',') {
        let mut i = 0;
        let mut who = 0;
        while let Some(&c) = clause.get(i) {
            who |= match c {
                b'u' => USR,
                b'g' => GRP,
                b'o' => OTH,
                b'a' => ALL,
                _ => break,
            };
            i += 1;
        }
        // At least one action must follow.
        let mut any = false;
        while let Some(&c) = clause.get(i) {
            let op = match c {
                b'+' => Op::Add,
                b'-' => Op::Remove,
                b'=' => Op::Set,
                _ => return None,
            };
            i += 1;
            let perms = match clause.get(i) {
                Some(b'u') => {
                    i += 1;
                    Perms::Copy(USR & 0o700)
                }
                Some(b'g') => {
                    i += 1;
                    Perms::Copy(GRP & 0o070)
                }
                Some(b'o') => {
                    i += 1;
                    Perms::Copy(OTH & 0o007)
                }
                _ => {
                    let mut bits = 0;
                    let mut cond_x = false;
                    while let Some(&c) = clause.get(i) {
                        match c {
                            b'r' => bits |= 0o444,
                            b'w' => bits |= 0o222,
                            b'x' => bits |= 0o111,
                            b'X' => cond_x = true,
                            b's' => bits |= S_ISUID | S_ISGID,
                            b't' => bits |= S_ISVTX,
                            _ => break,
                        }
                        i += 1;
                    }
                    Perms::Bits { bits, cond_x }
                }
            };
            actions.push(Action { who, op, perms });
            any = true;
        }
        if !any {
            return None;
        }
    }
    Some(Mode::Symbolic(actions))
}

impl Mode {
    /// The new permission bits for a file with mode `old` (only its low
    /// 12 bits are used). `umask` limits clauses that name no one.
    pub fn apply(&self, old: u32, is_dir: bool, umask: u32) -> u32 {
        let old = old & ALL;
        match self {
            Mode::Octal(n, digits) => {
                if is_dir && *digits < 5 {
                    // GNU: a short numeric mode keeps a directory's set-id bits
                    // unless it sets them.
                    n | (old & (S_ISUID | S_ISGID))
                } else {
                    *n
                }
            }
            Mode::Symbolic(actions) => {
                let mut m = old;
                for a in actions {
                    m = a.apply(m, is_dir, umask);
                }
                m
            }
        }
    }

    /// Whether this mode mentions the bits that a plain `chmod` must not
    /// reset (for GNU's "new permissions are ..." warnings; unused otherwise).
    pub fn is_octal(&self) -> bool {
        matches!(self, Mode::Octal(..))
    }
}

impl Action {
    fn apply(&self, m: u32, is_dir: bool, umask: u32) -> u32 {
        let (who, limit) = if self.who == 0 {
            (ALL, !umask & ALL)
        } else {
            (self.who, ALL)
        };
        let bits = match self.perms {
            Perms::Bits { bits, cond_x } => {
                let x = if cond_x && (is_dir || m & 0o111 != 0) {
                    0o111
                } else {
                    0
                };
                bits | x
            }
            Perms::Copy(src) => {
                let v = m & src;
                // Spread the three copied bits over u, g and o positions.
                let rwx = if src == 0o700 {
                    v >> 6
                } else if src == 0o070 {
                    v >> 3
                } else {
                    v
                };
                rwx * 0o111
            }
        };
        let mut mask = who & bits & limit;
        // Sticky applies only through o (or all); set-id through u and g.
        if who & OTH == 0 {
            mask &= !S_ISVTX;
        }
        match self.op {
            Op::Add => m | mask,
            Op::Remove => m & !mask,
            Op::Set => {
                let mut clear = who;
                if is_dir && !matches!(self.perms, Perms::Bits { bits, .. } if bits & S_ISUID != 0)
                {
                    // Directories keep set-id bits unless `s` is named.
                    clear &= !(S_ISUID | S_ISGID);
                }
                if who & OTH == 0 {
                    clear &= !S_ISVTX;
                }
                (m & !clear) | mask
            }
        }
    }
}

/// The 10-character `ls -l` mode string, e.g. `drwxr-sr-t`.
pub fn mode_string(mode: u32) -> [u8; 10] {
    let mut s = *b"----------";
    s[0] = type_char(mode);
    let rwx = |shift: u32, s: &mut [u8]| {
        if mode & (0o4 << shift) != 0 {
            s[0] = b'r';
        }
        if mode & (0o2 << shift) != 0 {
            s[1] = b'w';
        }
        if mode & (0o1 << shift) != 0 {
            s[2] = b'x';
        }
    };
    rwx(6, &mut s[1..4]);
    rwx(3, &mut s[4..7]);
    rwx(0, &mut s[7..10]);
    let special = |bit: u32, idx: usize, lower: u8, upper: u8, s: &mut [u8; 10]| {
        if mode & bit != 0 {
            s[idx] = if s[idx] == b'x' { lower } else { upper };
        }
    };
    special(S_ISUID, 3, b's', b'S', &mut s);
    special(S_ISGID, 6, b's', b'S', &mut s);
    special(S_ISVTX, 9, b't', b'T', &mut s);
    s
}

/// The `ls -l` type letter of a mode.
pub fn type_char(mode: u32) -> u8 {
    match mode & sys::S_IFMT {
        sys::S_IFDIR => b'd',
        sys::S_IFLNK => b'l',
        sys::S_IFCHR => b'c',
        sys::S_IFBLK => b'b',
        sys::S_IFIFO => b'p',
        sys::S_IFSOCK => b's',
        _ => b'-',
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ap(s: &str, old: u32) -> u32 {
        parse(s.as_bytes()).unwrap().apply(old, false, 0o022)
    }

    #[test]
    fn octal() {
        assert_eq!(ap("755", 0), 0o755);
        assert_eq!(ap("0644", 0o777), 0o644);
        assert_eq!(ap("4755", 0), 0o4755);
        assert!(parse(b"8").is_none());
        assert!(parse(b"77777").is_none());
        // Directories keep set-id bits with short numeric modes.
        assert_eq!(parse(b"755").unwrap().apply(0o2755, true, 0), 0o2755);
        assert_eq!(parse(b"00755").unwrap().apply(0o2755, true, 0), 0o755);
    }

    #[test]
    fn symbolic_basic() {
        assert_eq!(ap("u+x", 0o644), 0o744);
        assert_eq!(ap("go-r", 0o644), 0o600);
        assert_eq!(ap("a=r", 0o777), 0o444);
        assert_eq!(ap("u=rwx,g=rx,o=", 0o000), 0o750);
        assert_eq!(ap("o+t", 0o755), 0o1755);
        assert_eq!(ap("u+s,g+s", 0o755), 0o6755);
        assert_eq!(ap("ug+s", 0o755), 0o6755);
        assert_eq!(ap("u-s", 0o4755), 0o755);
    }

    #[test]
    fn no_who_respects_umask() {
        // umask 022: "+w" adds only the user's write bit.
        assert_eq!(ap("+w", 0o444), 0o644);
        assert_eq!(ap("-w", 0o666), 0o466);
        assert_eq!(ap("=rw", 0o777), 0o644);
        assert_eq!(ap("+x", 0o644), 0o755);
    }

    #[test]
    fn conditional_x() {
        assert_eq!(ap("a+X", 0o644), 0o644);
        assert_eq!(ap("a+X", 0o744), 0o755);
        assert_eq!(parse(b"a+X").unwrap().apply(0o644, true, 0), 0o755);
    }

    #[test]
    fn copies() {
        assert_eq!(ap("g=u", 0o640), 0o660);
        assert_eq!(ap("o=g", 0o750), 0o755);
        assert_eq!(ap("u+o", 0o004), 0o404);
    }

    #[test]
    fn multiple_actions_in_one_clause() {
        assert_eq!(ap("u+r-w", 0o200), 0o400);
        assert_eq!(ap("a=,u+rw", 0o777), 0o600);
    }

    #[test]
    fn bad_modes() {
        for bad in ["", "x", "u", "u+q", "z+x", "u+x,", ",u+x", "+-w9"] {
            assert!(parse(bad.as_bytes()).is_none(), "{bad}");
        }
    }

    #[test]
    fn strings() {
        assert_eq!(&mode_string(0o40755), b"drwxr-xr-x");
        assert_eq!(&mode_string(0o100644), b"-rw-r--r--");
        assert_eq!(&mode_string(0o104755), b"-rwsr-xr-x");
        assert_eq!(&mode_string(0o102644), b"-rw-r-Sr--");
        assert_eq!(&mode_string(0o41777), b"drwxrwxrwt");
        assert_eq!(&mode_string(0o41776), b"drwxrwxrwT");
        assert_eq!(&mode_string(0o120777), b"lrwxrwxrwx");
        assert_eq!(&mode_string(0o020620), b"crw--w----");
    }
}
