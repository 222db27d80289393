//! Literal analysis and fast literal search: a pattern that is one literal
//! string (exact or ignoring case) is searched without any automaton, and
//! a literal every match must contain ("required literal") lets the search
//! skip text where it does not occur.

use super::parse::{ByteSet, Node};
use crate::sys;
use memchr::memmem;

/// One position of a literal: an exact byte, or a letter in either case.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
enum Unit {
    Byte(u8),
    Fold(u8),
}

fn unit_of_set(s: &ByteSet) -> Option<Unit> {
    match s.count() {
        1 => s.bytes().next().map(Unit::Byte),
        2 => {
            let mut it = s.bytes();
            let (a, b) = (it.next()?, it.next()?);
            (a.is_ascii_uppercase() && b == a.to_ascii_lowercase()).then_some(Unit::Fold(b))
        }
        _ => None,
    }
}

/// The literal units of `n` if it matches exactly one string (groups
/// allowed), else None.
fn exact(n: &Node, out: &mut Vec<Unit>) -> bool {
    match n {
        Node::Empty => true,
        Node::Lit(b) => {
            out.push(Unit::Byte(*b));
            true
        }
        Node::Set(s) => match unit_of_set(s) {
            Some(u) => {
                out.push(u);
                true
            }
            None => false,
        },
        Node::Cat(v) => v.iter().all(|x| exact(x, out)),
        Node::Group(x, _) => exact(x, out),
        Node::Rep(x, min, max) if min == max && *min <= 16 => {
            let start = out.len();
            if !exact(x, out) {
                return false;
            }
            let one = out[start..].to_vec();
            for _ in 1..*min {
                out.extend_from_slice(&one);
            }
            if *min == 0 {
                out.truncate(start);
            }
            true
        }
        _ => false,
    }
}

type Lit = Vec<Unit>;

/// A set of literals, one of which every match contains.
#[derive(Clone, Default)]
struct Req {
    lits: Vec<Lit>,
}

impl Req {
    fn one(l: Lit) -> Req {
        if l.is_empty() {
            Req::default()
        } else {
            Req { lits: vec![l] }
        }
    }
    /// How useful as a filter: its weakest literal counts, and a set is
    /// a little worse than one literal.
    fn score(&self) -> usize {
        let m = self.lits.iter().map(|l| score(l)).min().unwrap_or(0);
        if self.lits.len() > 1 {
            m.saturating_sub(1)
        } else {
            m
        }
    }
}

/// Literals every match of `n` must contain, and whether `n` is exactly
/// one literal (then it may be glued to its neighbours).
fn required(n: &Node) -> (Req, Option<Lit>) {
    let mut v = Vec::new();
    if exact(n, &mut v) {
        return (Req::one(v.clone()), Some(v));
    }
    match n {
        Node::Group(x, _) => (required(x).0, None),
        Node::Rep(x, min, _) if *min >= 1 => (required(x).0, None),
        Node::Alt(branches) => {
            let mut lits = Vec::new();
            for b in branches {
                let r = required(b).0;
                if r.lits.is_empty() || lits.len() + r.lits.len() > 64 {
                    return (Req::default(), None);
                }
                lits.extend(r.lits);
            }
            crate::order::sort(&mut lits);
            lits.dedup();
            (Req { lits }, None)
        }
        Node::Cat(v) => {
            let mut best = Req::default();
            let mut run: Lit = Vec::new();
            for x in v {
                if let Node::Look(_) = x {
                    continue;
                }
                let (r, ex) = required(x);
                if let Some(l) = ex {
                    run.extend_from_slice(&l);
                    continue;
                }
                let done = Req::one(std::mem::take(&mut run));
                for cand in [done, r] {
                    if cand.score() > best.score() {
                        best = cand;
                    }
                }
            }
            let done = Req::one(run);
            if done.score() > best.score() {
                best = done;
            }
            (best, None)
        }
        _ => (Req::default(), None),
    }
}

/// How useful a literal is as a filter: longer is better; case-folded
/// units count less.
fn score(v: &[Unit]) -> usize {
    v.iter()
        .map(|u| match u {
            Unit::Byte(_) => 4,
            Unit::Fold(_) => 3,
        })
        .sum()
}

/// A literal searcher.
pub enum Finder {
    Exact(memmem::Finder<'static>),
    Probe(Probed),
    Set(Multi),
}

#[allow(clippy::len_without_is_empty)]
impl Finder {
    fn new(units: &[Unit]) -> Finder {
        if units.iter().all(|u| matches!(u, Unit::Byte(_))) {
            let bytes: Vec<u8> = units
                .iter()
                .map(|u| match u {
                    Unit::Byte(b) | Unit::Fold(b) => *b,
                })
                .collect();
            Finder::Exact(memmem::Finder::new(&bytes).into_owned())
        } else {
            Finder::Probe(Probed::new(vec![masks(units)]))
        }
    }

    fn of(req: &Req) -> Finder {
        match req.lits.as_slice() {
            [one] => Finder::new(one),
            many if many.len() <= sys::MAX_PROBES => {
                Finder::Probe(Probed::new(many.iter().map(|l| masks(l)).collect()))
            }
            many => Finder::Set(Multi::new(many.iter().map(|l| masks(l)).collect())),
        }
    }

    /// Start of the first occurrence in `hay`.
    pub fn find(&self, hay: &[u8]) -> Option<usize> {
        match self {
            Finder::Exact(f) => f.find(hay),
            Finder::Probe(f) => f.find(hay),
            Finder::Set(f) => f.find(hay),
        }
    }

    /// Length of the literal (the shortest one of a set).
    pub fn len(&self) -> usize {
        match self {
            Finder::Exact(f) => f.needle().len(),
            Finder::Probe(f) => f.pats.iter().map(Vec::len).min().unwrap_or(0),
            Finder::Set(f) => f.m,
        }
    }
}

/// (byte, or-mask): a text byte `t` matches when `t | mask == byte`.
fn masks(units: &[Unit]) -> Vec<(u8, u8)> {
    units
        .iter()
        .map(|u| match *u {
            Unit::Byte(b) => (b, 0),
            Unit::Fold(b) => (b.to_ascii_lowercase(), 0x20),
        })
        .collect()
}

fn is_at(hay: &[u8], pat: &[(u8, u8)]) -> bool {
    hay.len() >= pat.len() && hay.iter().zip(pat).all(|(&t, &(b, m))| t | m == b)
}

/// Up to four literals found by probing two rare bytes of each with
/// vector compares (`sys::pair_scan`), candidates then checked in full.
pub struct Probed {
    pats: Vec<Vec<(u8, u8)>>,
    probes: Vec<sys::PairProbe>,
}

impl Probed {
    fn new(pats: Vec<Vec<(u8, u8)>>) -> Probed {
        let probes = pats
            .iter()
            .map(|pat| {
                let mut order: Vec<usize> = (0..pat.len()).collect();
                crate::order::sort_by_key(&mut order, |&i| (freq_rank(pat[i].0), i));
                let i1 = order.first().copied().unwrap_or(0);
                let i2 = order
                    .iter()
                    .copied()
                    .find(|&i| pat[i].0 != pat[i1].0)
                    .or(order.get(1).copied())
                    .unwrap_or(i1);
                let at = |i: usize| pat.get(i).copied().unwrap_or((0, 0));
                sys::PairProbe {
                    off1: i1,
                    byte1: at(i1).0,
                    mask1: at(i1).1,
                    off2: i2,
                    byte2: at(i2).0,
                    mask2: at(i2).1,
                }
            })
            .collect();
        Probed { pats, probes }
    }

    fn any_at(&self, hay: &[u8], k: usize) -> bool {
        self.pats.iter().any(|p| is_at(&hay[k..], p))
    }

    /// The leftmost start of any of the literals.
    pub fn find(&self, hay: &[u8]) -> Option<usize> {
        if self.pats.iter().any(Vec::is_empty) {
            return Some(0);
        }
        let mut from = 0;
        loop {
            let (block, bits) = sys::pair_scan(hay, from, &self.probes);
            if bits == 0 {
                return (block..hay.len()).find(|&k| self.any_at(hay, k));
            }
            let mut b = bits;
            while b != 0 {
                let k = block + b.trailing_zeros() as usize;
                if self.any_at(hay, k) {
                    return Some(k);
                }
                b &= b - 1;
            }
            from = block + (64 - bits.leading_zeros()) as usize;
        }
    }
}

/// Many literals: Horspool over the shortest length, candidates checked
/// against every literal.
pub struct Multi {
    pats: Vec<Vec<(u8, u8)>>,
    m: usize,
    shift: [u8; 256],
}

impl Multi {
    fn new(pats: Vec<Vec<(u8, u8)>>) -> Multi {
        let m = pats.iter().map(Vec::len).min().unwrap_or(0).min(255);
        let mut shift = [m as u8; 256];
        for p in &pats {
            for (j, &(b, mask)) in p.iter().enumerate().take(m) {
                let d = (m - 1 - j) as u8;
                for t in [b, b & !mask] {
                    let s = &mut shift[usize::from(t)];
                    *s = (*s).min(d);
                }
            }
        }
        Multi { pats, m, shift }
    }

    /// The leftmost start of any of the literals.
    pub fn find(&self, hay: &[u8]) -> Option<usize> {
        let m = self.m;
        if m == 0 {
            return Some(0);
        }
        let mut i = 0;
        while i + m <= hay.len() {
            let t = hay[i + m - 1];
            let sh = self.shift[usize::from(t)];
            if sh == 0 {
                if self.pats.iter().any(|p| is_at(&hay[i..], p)) {
                    return Some(i);
                }
                i += 1;
            } else {
                i += usize::from(sh);
            }
        }
        None
    }
}

/// Rough frequency rank of a byte in text (higher is more common).
fn freq_rank(b: u8) -> u8 {
    match b.to_ascii_lowercase() {
        b' ' => 255,
        b'e' => 250,
        b't' | b'a' | b'o' | b'i' | b'n' => 240,
        b's' | b'h' | b'r' => 230,
        b'd' | b'l' | b'u' | b'c' | b'm' => 210,
        b'\n' | b'\t' => 200,
        b'f' | b'w' | b'g' | b'y' | b'p' | b'b' => 190,
        b'.' | b',' | b'(' | b')' | b'_' | b';' | b':' | b'=' | b'"' | b'-' | b'/' => 170,
        b'v' | b'k' => 150,
        b'0'..=b'9' => 140,
        b'x' | b'j' | b'q' | b'z' => 100,
        _ => 60,
    }
}

/// What a regex offers to a fast search.
pub struct Literals {
    /// The whole pattern is this literal (groups allowed).
    pub whole: Option<Finder>,
    /// Every match contains this literal.
    pub required: Option<Finder>,
}

pub fn analyze(n: &Node) -> Literals {
    let mut v = Vec::new();
    if exact(n, &mut v) && !v.is_empty() {
        return Literals {
            whole: Some(Finder::new(&v)),
            required: None,
        };
    }
    let (r, _) = required(n);
    // A one-byte requirement still pays when it is rare; a set needs
    // literals of two bytes or more to skip.
    let useful = match r.lits.as_slice() {
        [] => false,
        [one] => match one.as_slice() {
            [] => false,
            [Unit::Byte(b)] => freq_rank(*b) < 200,
            [Unit::Fold(_)] => false,
            _ => true,
        },
        many => many.iter().all(|l| l.len() >= 2),
    };
    Literals {
        whole: None,
        required: useful.then(|| Finder::of(&r)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lit(s: &str, fold: bool) -> Lit {
        s.bytes()
            .map(|b| {
                if fold && b.is_ascii_alphabetic() {
                    Unit::Fold(b.to_ascii_lowercase())
                } else {
                    Unit::Byte(b)
                }
            })
            .collect()
    }

    #[test]
    fn folded_search_finds_every_case() {
        let f = Finder::new(&lit("hello", true));
        assert_eq!(f.find(b"xxxxxxxxxxxxxxxx say HeLLo there"), Some(21));
        assert_eq!(f.find(b"hell"), None);
        assert_eq!(f.find(b"HELLO"), Some(0));
        let mut hay = vec![b'a'; 200];
        hay.extend_from_slice(b"-x-hElLo");
        assert_eq!(f.find(&hay), Some(203));
    }

    #[test]
    fn literal_sets_find_the_leftmost() {
        let lits = [lit("foo", false), lit("bar", false), lit("xbaz", false)];
        let mut long = vec![b'-'; 100];
        long.extend_from_slice(b"a quick xbaz foo");
        for f in [
            Finder::of(&Req {
                lits: lits.to_vec(),
            }),
            Finder::Set(Multi::new(lits.iter().map(|l| masks(l)).collect())),
        ] {
            assert_eq!(f.find(b"a quick xbaz foo"), Some(8));
            assert_eq!(f.find(&long), Some(108));
            assert_eq!(f.find(b"zzzzzzfoobar"), Some(6));
            assert_eq!(f.find(b"nothing here"), None);
        }
    }
}
