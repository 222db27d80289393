//! -printf formats: parsed once into pieces, rendered per file.

use super::eval::Ent;
use ibex::sys::{self, Timespec};

pub enum Piece {
    Lit(Vec<u8>),
    Conv {
        conv: u8,
        /// The time field letter of %A, %C, %T.
        sub: u8,
        left: bool,
        alt: bool,
        width: usize,
        prec: Option<usize>,
    },
    /// `\c`: stop here, and flush.
    Stop,
}

impl Piece {
    pub fn needs_stat(&self) -> bool {
        match self {
            Piece::Conv { conv, .. } => {
                !matches!(conv, b'p' | b'f' | b'h' | b'P' | b'H' | b'd' | b'y' | b'l')
            }
            _ => false,
        }
    }
}

fn push_lit(v: &mut Vec<Piece>, b: &[u8]) {
    if let Some(Piece::Lit(l)) = v.last_mut() {
        l.extend_from_slice(b);
    } else {
        v.push(Piece::Lit(b.to_vec()));
    }
}

pub fn parse(f: &[u8]) -> Vec<Piece> {
    let mut v = Vec::new();
    let mut i = 0;
    while i < f.len() {
        let c = f[i];
        i += 1;
        if c == b'\\' {
            let Some(&e) = f.get(i) else {
                push_lit(&mut v, b"\\");
                break;
            };
            i += 1;
            let b = match e {
                b'a' => 7,
                b'b' => 8,
                b'f' => 12,
                b'n' => b'\n',
                b'r' => b'\r',
                b't' => b'\t',
                b'v' => 11,
                b'\\' => b'\\',
                b'c' => {
                    v.push(Piece::Stop);
                    break;
                }
                b'0'..=b'7' => {
                    let mut n = u32::from(e - b'0');
                    let mut k = 1;
                    while k < 3 {
                        match f.get(i) {
                            Some(&d @ b'0'..=b'7') => {
                                n = n * 8 + u32::from(d - b'0');
                                i += 1;
                                k += 1;
                            }
                            _ => break,
                        }
                    }
                    (n & 0xff) as u8
                }
                _ => {
                    ibex::msg!("warning: unrecognized escape '\\", &[e][..], "'");
                    push_lit(&mut v, &[b'\\', e]);
                    continue;
                }
            };
            push_lit(&mut v, &[b]);
            continue;
        }
        if c != b'%' {
            push_lit(&mut v, &[c]);
            continue;
        }
        let start = i - 1;
        let (mut left, mut alt) = (false, false);
        while let Some(&fl) = f.get(i) {
            match fl {
                b'-' => left = true,
                b'#' => alt = true,
                b'+' | b' ' | b'0' => {}
                _ => break,
            }
            i += 1;
        }
        let mut width = 0usize;
        while let Some(d @ b'0'..=b'9') = f.get(i) {
            width = width
                .saturating_mul(10)
                .saturating_add(usize::from(d - b'0'));
            i += 1;
        }
        let mut prec = None;
        if f.get(i) == Some(&b'.') {
            i += 1;
            let mut p = 0usize;
            while let Some(d @ b'0'..=b'9') = f.get(i) {
                p = p.saturating_mul(10).saturating_add(usize::from(d - b'0'));
                i += 1;
            }
            prec = Some(p);
        }
        let Some(&conv) = f.get(i) else {
            push_lit(&mut v, &f[start..]);
            break;
        };
        i += 1;
        let mut sub = 0;
        match conv {
            b'%' => {
                push_lit(&mut v, b"%");
                continue;
            }
            b'A' | b'C' | b'T' => match f.get(i) {
                Some(&s) => {
                    sub = s;
                    i += 1;
                }
                None => {
                    push_lit(&mut v, &f[start..]);
                    break;
                }
            },
            b'a' | b'b' | b'c' | b'd' | b'D' | b'f' | b'F' | b'g' | b'G' | b'h' | b'H' | b'i'
            | b'k' | b'l' | b'm' | b'M' | b'n' | b'p' | b'P' | b's' | b'S' | b't' | b'u' | b'U'
            | b'y' | b'Y' => {}
            _ => {
                ibex::msg!(
                    "warning: unrecognized format directive '%",
                    &[conv][..],
                    "'"
                );
                push_lit(&mut v, &f[start..i]);
                continue;
            }
        }
        v.push(Piece::Conv {
            conv,
            sub,
            left,
            alt,
            width,
            prec,
        });
    }
    v
}

fn type_char(kind: u32) -> u8 {
    match kind {
        sys::S_IFREG => b'f',
        sys::S_IFDIR => b'd',
        sys::S_IFLNK => b'l',
        sys::S_IFBLK => b'b',
        sys::S_IFCHR => b'c',
        sys::S_IFIFO => b'p',
        sys::S_IFSOCK => b's',
        _ => b'U',
    }
}

fn frac(ts: Timespec, v: &mut Vec<u8>) {
    let n = ts.nsec.clamp(0, 999_999_999);
    v.extend_from_slice(format!(".{n:09}0").as_bytes());
}

fn time(ts: Timespec, sub: u8, v: &mut Vec<u8>) {
    if sub == b'@' {
        v.extend_from_slice(ts.sec.to_string().as_bytes());
        frac(ts, v);
        return;
    }
    let Some(tm) = ibex::time::local(ts) else {
        return;
    };
    let fmt: &[u8] = match sub {
        0 => b"%a %b %e %H:%M:%S",
        b'+' => b"%Y-%m-%d+%H:%M:%S",
        b'T' => b"%H:%M:%S",
        b'S' => b"%S",
        _ => {
            ibex::time::strftime(&[b'%', sub], &tm, v);
            return;
        }
    };
    ibex::time::strftime(fmt, &tm, v);
    frac(ts, v);
    if sub == 0 {
        v.push(b' ');
        ibex::time::strftime(b"%Y", &tm, v);
    }
}

/// `num / den` as C's `%g` shows it (6 significant digits), in integer
/// arithmetic (no float formatting code in the binary).
fn general(num: u128, den: u128, v: &mut Vec<u8>) {
    if den == 0 {
        v.push(b'0');
        return;
    }
    let ip = num / den;
    let decimals = if ip > 0 {
        6usize.saturating_sub(ip.to_string().len())
    } else {
        // Leading zeros after the point do not count as significant.
        let mut zeros = 0;
        let mut r = num;
        while r > 0 && r * 10 < den && zeros < 30 {
            r *= 10;
            zeros += 1;
        }
        6 + zeros
    };
    let scale = 10u128.pow(decimals as u32);
    let scaled = (num * scale + den / 2) / den;
    let mut digits = scaled.to_string().into_bytes();
    if decimals > 0 {
        if digits.len() <= decimals {
            let mut z = vec![b'0'; decimals + 1 - digits.len()];
            z.extend_from_slice(&digits);
            digits = z;
        }
        let point = digits.len() - decimals;
        let (int, frac) = digits.split_at(point);
        let frac = match frac.iter().rposition(|&c| c != b'0') {
            Some(i) => &frac[..=i],
            None => &[],
        };
        v.extend_from_slice(int);
        if !frac.is_empty() {
            v.push(b'.');
            v.extend_from_slice(frac);
        }
    } else {
        v.extend_from_slice(&digits);
    }
}

fn num(v: &mut Vec<u8>, n: u64) {
    v.extend_from_slice(n.to_string().as_bytes());
}

/// Append the rendering of `fmt` for `e` to `out`; false after `\c`.
pub fn render(
    fmt: &[Piece],
    e: &mut Ent,
    out: &mut Vec<u8>,
    mounts: &mut Option<Vec<(u64, Vec<u8>)>>,
) -> bool {
    let mut v = Vec::new();
    for p in fmt {
        let (conv, sub, left, alt, width, prec) = match p {
            Piece::Lit(l) => {
                out.extend_from_slice(l);
                continue;
            }
            Piece::Stop => return false,
            Piece::Conv {
                conv,
                sub,
                left,
                alt,
                width,
                prec,
            } => (*conv, *sub, *left, *alt, *width, *prec),
        };
        v.clear();
        let st = if p.needs_stat() { e.stat() } else { None };
        let st = st.unwrap_or_default();
        match conv {
            b'p' => v.extend_from_slice(e.path),
            b'f' => v.extend_from_slice(e.base()),
            b'h' => v.extend_from_slice(e.dirname()),
            b'P' => v.extend_from_slice(e.rel()),
            b'H' => v.extend_from_slice(e.root),
            b'd' => num(&mut v, e.depth as u64),
            b'D' => num(&mut v, st.dev),
            b'i' => num(&mut v, st.ino),
            b'n' => num(&mut v, st.nlink),
            b's' => num(&mut v, st.size),
            b'b' => num(&mut v, st.blocks),
            b'k' => num(&mut v, st.blocks.div_ceil(2)),
            b'S' => {
                if st.size == 0 {
                    v.push(b'1');
                } else {
                    general(u128::from(st.blocks) * 512, u128::from(st.size), &mut v);
                }
            }
            b'm' => {
                let m = st.mode & 0o7777;
                v.extend_from_slice(
                    if alt {
                        format!("{m:#o}").replace("0o", "0")
                    } else {
                        format!("{m:o}")
                    }
                    .as_bytes(),
                );
            }
            b'M' => v.extend_from_slice(&ibex::mode::mode_string(st.mode)),
            b'u' => match ibex::users::user_name(st.uid) {
                Some(n) => v.extend_from_slice(&n),
                None => num(&mut v, u64::from(st.uid)),
            },
            b'g' => match ibex::users::group_name(st.gid) {
                Some(n) => v.extend_from_slice(&n),
                None => num(&mut v, u64::from(st.gid)),
            },
            b'U' => num(&mut v, u64::from(st.uid)),
            b'G' => num(&mut v, u64::from(st.gid)),
            b'F' => {
                let table = mounts.get_or_insert_with(|| {
                    ibex::mounts::read()
                        .unwrap_or_default()
                        .into_iter()
                        .filter_map(|m| Some((m.st_dev()?, m.fstype)))
                        .collect()
                });
                // The last mount of a device is the one visible.
                match table.iter().rev().find(|m| m.0 == st.dev) {
                    Some((_, t)) => v.extend_from_slice(t),
                    None => v.extend_from_slice(b"unknown"),
                }
            }
            b'l' => {
                if e.kind == sys::S_IFLNK
                    && let Ok(t) = sys::readlinkat(e.parent, e.name)
                {
                    v.extend_from_slice(&t);
                }
            }
            b'y' => v.push(type_char(e.kind)),
            b'Y' => {
                if e.kind == sys::S_IFLNK {
                    match sys::fstatat(e.parent, e.name, 0) {
                        Ok(s) => v.push(type_char(s.kind())),
                        Err(err) => v.push(match err.raw_os_error() {
                            Some(libc::ELOOP) => b'L',
                            Some(libc::ENOENT) => b'N',
                            _ => b'?',
                        }),
                    }
                } else {
                    v.push(type_char(e.kind));
                }
            }
            b'a' => time(st.atime, 0, &mut v),
            b'c' => time(st.ctime, 0, &mut v),
            b't' => time(st.mtime, 0, &mut v),
            b'A' => time(st.atime, sub, &mut v),
            b'C' => time(st.ctime, sub, &mut v),
            b'T' => time(st.mtime, sub, &mut v),
            _ => {}
        }
        if let Some(pr) = prec
            && !matches!(
                conv,
                b'd' | b'D' | b'i' | b'n' | b's' | b'b' | b'k' | b'm' | b'U' | b'G'
            )
        {
            v.truncate(pr);
        }
        let pad = width.saturating_sub(v.len());
        if !left {
            out.resize(out.len() + pad, b' ');
        }
        out.extend_from_slice(&v);
        if left {
            out.resize(out.len() + pad, b' ');
        }
    }
    true
}
