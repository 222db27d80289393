//! POSIX BRE/ERE syntax (with GNU's extensions) to an abstract syntax tree.
//!
//! Case folding and the newline rule are applied here: a literal letter
//! becomes a two-byte set under `icase`, and `.` / `[^...]` lose the line
//! terminator under `newline`, so later stages never think about them.

use super::{Error, Flags};

/// The largest repetition count of an interval (glibc's RE_DUP_MAX).
pub const DUP_MAX: u32 = 0x7fff;
/// Upper bound for `Rep::max` meaning "no limit".
pub const INF: u32 = u32::MAX;

/// A set of bytes.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Default)]
pub struct ByteSet(pub [u64; 4]);

impl ByteSet {
    pub fn has(&self, b: u8) -> bool {
        self.0[usize::from(b >> 6)] >> (b & 63) & 1 != 0
    }
    pub fn add(&mut self, b: u8) {
        self.0[usize::from(b >> 6)] |= 1 << (b & 63);
    }
    pub fn add_range(&mut self, lo: u8, hi: u8) {
        for b in lo..=hi {
            self.add(b);
        }
    }
    pub fn del(&mut self, b: u8) {
        self.0[usize::from(b >> 6)] &= !(1 << (b & 63));
    }
    pub fn negate(&mut self) {
        for w in &mut self.0 {
            *w = !*w;
        }
    }
    pub fn full() -> ByteSet {
        ByteSet([!0; 4])
    }
    pub fn count(&self) -> u32 {
        self.0.iter().map(|w| w.count_ones()).sum()
    }
    /// Add the other case of every ASCII letter in the set.
    pub fn fold(&mut self) {
        for b in b'A'..=b'Z' {
            if self.has(b) || self.has(b | 0x20) {
                self.add(b);
                self.add(b | 0x20);
            }
        }
    }
    pub fn bytes(&self) -> impl Iterator<Item = u8> + '_ {
        (0..=255u8).filter(|&b| self.has(b))
    }
}

/// Zero-width assertions.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Look {
    /// `^`: start of text (unless not_bol) or after the terminator (newline mode).
    Bol,
    /// `$`
    Eol,
    /// `` \` `` and `\'`: start and end of the whole text.
    TextStart,
    TextEnd,
    /// `\b`, `\B`, `\<`, `\>`.
    Word,
    NotWord,
    WordStart,
    WordEnd,
    /// Not preceded / not followed by a word character (grep -w).
    NoWordBefore,
    NoWordAfter,
}

impl Look {
    /// The same assertion seen when the text is read backwards.
    pub fn reversed(self) -> Look {
        match self {
            Look::Bol => Look::Eol,
            Look::Eol => Look::Bol,
            Look::TextStart => Look::TextEnd,
            Look::TextEnd => Look::TextStart,
            Look::WordStart => Look::WordEnd,
            Look::WordEnd => Look::WordStart,
            Look::NoWordBefore => Look::NoWordAfter,
            Look::NoWordAfter => Look::NoWordBefore,
            l => l,
        }
    }
}

#[derive(Clone, Debug)]
pub enum Node {
    Empty,
    Lit(u8),
    Set(Box<ByteSet>),
    Cat(Vec<Node>),
    Alt(Vec<Node>),
    /// `node{min,max}`; max is INF for no limit.
    Rep(Box<Node>, u32, u32),
    /// A parenthesized subexpression and its number (1-based).
    Group(Box<Node>, u32),
    Backref(u32),
    Look(Look),
}

impl Node {
    /// Can it match the empty string (ignoring assertions)?
    pub fn nullable(&self) -> bool {
        match self {
            Node::Empty | Node::Look(_) => true,
            Node::Lit(_) | Node::Set(_) => false,
            Node::Cat(v) => v.iter().all(Node::nullable),
            Node::Alt(v) => v.iter().any(Node::nullable),
            Node::Rep(n, min, _) => *min == 0 || n.nullable(),
            Node::Group(n, _) => n.nullable(),
            // The group it repeats may be empty.
            Node::Backref(_) => true,
        }
    }
}

/// Word characters for `\w`, `\b`, `\<`, `\>`: alphanumerics and `_`.
pub fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

pub fn class_set(name: &[u8]) -> Option<ByteSet> {
    let test: fn(u8) -> bool = match name {
        b"alpha" => |c| c.is_ascii_alphabetic(),
        b"digit" => |c| c.is_ascii_digit(),
        b"alnum" => |c| c.is_ascii_alphanumeric(),
        b"upper" => |c| c.is_ascii_uppercase(),
        b"lower" => |c| c.is_ascii_lowercase(),
        b"space" => |c| matches!(c, b' ' | b'\t' | b'\n' | b'\r' | 11 | 12),
        b"blank" => |c| c == b' ' || c == b'\t',
        b"punct" => |c| c.is_ascii_punctuation(),
        b"print" => |c| (0x20..0x7f).contains(&c),
        b"graph" => |c| (0x21..0x7f).contains(&c),
        b"cntrl" => |c| c < 0x20 || c == 0x7f,
        b"xdigit" => |c| c.is_ascii_hexdigit(),
        _ => return None,
    };
    let mut s = ByteSet::default();
    for b in 0..=255u8 {
        if test(b) {
            s.add(b);
        }
    }
    Some(s)
}

pub struct Parsed {
    pub node: Node,
    /// Number of the last group.
    pub groups: u32,
    /// GNU grep's warnings ("* at start of expression").
    pub warnings: Vec<&'static str>,
}

struct Parser<'a> {
    p: &'a [u8],
    i: usize,
    flags: Flags,
    /// Groups are numbered from `base + 1` (several patterns in one regex).
    ngroups: u32,
    /// Groups whose `)` has been seen (back-references need them).
    closed: Vec<bool>,
    base: u32,
    depth: u32,
    warnings: Vec<&'static str>,
}

/// Parse `pattern`; its groups are numbered from `base + 1`.
pub fn parse(pattern: &[u8], flags: Flags, base: u32) -> Result<Parsed, Error> {
    let mut p = Parser {
        p: pattern,
        i: 0,
        flags,
        ngroups: base,
        closed: Vec::new(),
        base,
        depth: 0,
        warnings: Vec::new(),
    };
    let node = p.alt()?;
    if p.i < p.p.len() {
        // Only a BRE `\)` without its `\(` stops the top level early.
        return Err(Error::UnmatchedRParen);
    }
    Ok(Parsed {
        node,
        groups: p.ngroups,
        warnings: p.warnings,
    })
}

fn simplify_cat(mut v: Vec<Node>) -> Node {
    match v.len() {
        0 => Node::Empty,
        1 => v.pop().unwrap_or(Node::Empty),
        _ => Node::Cat(v),
    }
}

impl Parser<'_> {
    fn peek(&self) -> Option<u8> {
        self.p.get(self.i).copied()
    }
    fn peek2(&self) -> Option<u8> {
        self.p.get(self.i + 1).copied()
    }
    fn ere(&self) -> bool {
        self.flags.extended
    }

    /// Is the input at an alternation operator?
    fn at_bar(&self) -> bool {
        if self.ere() {
            self.peek() == Some(b'|')
        } else {
            self.peek() == Some(b'\\') && self.peek2() == Some(b'|')
        }
    }

    /// Is the input at a group close (that closes an open group)?
    fn at_close(&self) -> bool {
        if self.ere() {
            self.peek() == Some(b')') && self.depth > 0
        } else {
            self.peek() == Some(b'\\') && self.peek2() == Some(b')')
        }
    }

    fn alt(&mut self) -> Result<Node, Error> {
        // glibc: a back-reference may name only a group closed before the
        // alternation or in its own branch.
        let initial = self.closed.clone();
        let mut alts = vec![self.cat()?];
        while self.at_bar() {
            self.i += if self.ere() { 1 } else { 2 };
            let acc = std::mem::replace(&mut self.closed, initial.clone());
            alts.push(self.cat()?);
            for (i, c) in acc.into_iter().enumerate() {
                if c {
                    if self.closed.len() <= i {
                        self.closed.resize(i + 1, false);
                    }
                    self.closed[i] = true;
                }
            }
        }
        Ok(if alts.len() == 1 {
            alts.pop().unwrap_or(Node::Empty)
        } else {
            Node::Alt(alts)
        })
    }

    fn cat(&mut self) -> Result<Node, Error> {
        let mut items: Vec<Node> = Vec::new();
        // Nothing repeatable before: the start of a branch, or right after
        // an assertion. Repetition operators are not operators here.
        let mut start = true;
        // BRE: a `^` here is an anchor.
        let mut bol = true;
        loop {
            if self.i >= self.p.len() || self.at_bar() || self.at_close() {
                break;
            }
            let atom = self.atom(start, bol)?;
            bol = false;
            if let Node::Look(_) = atom {
                if self.ere() {
                    self.skip_ops()?;
                }
                items.push(atom);
                start = true;
                continue;
            }
            start = false;
            let atom = self.postfix(atom)?;
            items.push(atom);
        }
        Ok(simplify_cat(items))
    }

    /// ERE: repetition operators after an assertion are ignored (GNU),
    /// with its warnings.
    fn skip_ops(&mut self) -> Result<(), Error> {
        loop {
            let w = match self.peek() {
                Some(b'*') => "* at start of expression",
                Some(b'+') => "+ at start of expression",
                Some(b'?') => "? at start of expression",
                Some(b'{') => {
                    if self.interval(self.i + 1)?.is_none() {
                        return Ok(());
                    }
                    self.warnings.push("{...} at start of expression");
                    continue;
                }
                _ => return Ok(()),
            };
            self.warnings.push(w);
            self.i += 1;
        }
    }

    /// Parse the repetition operators after an atom.
    fn postfix(&mut self, mut atom: Node) -> Result<Node, Error> {
        loop {
            let (min, max) = match (self.peek(), self.ere()) {
                (Some(b'*'), _) => {
                    self.i += 1;
                    (0, INF)
                }
                (Some(b'+'), true) => {
                    self.i += 1;
                    (1, INF)
                }
                (Some(b'?'), true) => {
                    self.i += 1;
                    (0, 1)
                }
                (Some(b'\\'), false) if self.peek2() == Some(b'+') => {
                    self.i += 2;
                    (1, INF)
                }
                (Some(b'\\'), false) if self.peek2() == Some(b'?') => {
                    self.i += 2;
                    (0, 1)
                }
                (Some(b'{'), true) => match self.interval(self.i + 1)? {
                    Some(r) => r,
                    None => return Ok(atom),
                },
                (Some(b'\\'), false) if self.peek2() == Some(b'{') => {
                    match self.interval(self.i + 2)? {
                        Some(r) => r,
                        None => return Err(Error::UnmatchedBrace),
                    }
                }
                _ => return Ok(atom),
            };
            atom = match atom {
                // a** is a*.
                Node::Rep(n, 0, INF) if (min, max) == (0, INF) => Node::Rep(n, 0, INF),
                a => Node::Rep(Box::new(a), min, max),
            };
        }
    }

    /// Parse `m,n}` (ERE) or `m,n\}` (BRE) starting at `j`. Returns None for
    /// an ERE brace that is not an interval (then it is a literal `{`), or
    /// for an unterminated BRE interval.
    fn interval(&mut self, mut j: usize) -> Result<Option<(u32, u32)>, Error> {
        let num = |j: &mut usize| -> Option<u32> {
            let s = *j;
            let mut v: u32 = 0;
            while let Some(d) = self.p.get(*j).filter(|d| d.is_ascii_digit()) {
                v = v.saturating_mul(10).saturating_add(u32::from(d - b'0'));
                *j += 1;
            }
            (*j > s).then_some(v.min(DUP_MAX + 1))
        };
        let min = num(&mut j);
        let max = if self.p.get(j) == Some(&b',') {
            j += 1;
            num(&mut j).or(Some(INF))
        } else {
            min
        };
        let close = if self.ere() {
            self.p.get(j) == Some(&b'}')
        } else {
            self.p.get(j) == Some(&b'\\') && self.p.get(j + 1) == Some(&b'}')
        };
        if !close {
            if self.ere() {
                // GNU: `a{1,x}` and `a{` are literal text.
                return Ok(None);
            }
            // Distinguish "no closing \}" from bad content.
            let rest = &self.p[j.min(self.p.len())..];
            let has_close = rest.windows(2).any(|w| w == b"\\}");
            return Err(if has_close {
                Error::BadBrace
            } else {
                Error::UnmatchedBrace
            });
        }
        let min = min.unwrap_or(0);
        let max = max.unwrap_or(INF);
        if max != INF && min > max {
            return Err(Error::BadBrace);
        }
        if min > DUP_MAX || (max != INF && max > DUP_MAX) {
            return Err(Error::TooBig);
        }
        self.i = j + if self.ere() { 1 } else { 2 };
        Ok(Some((min, max)))
    }

    fn lit(&self, b: u8) -> Node {
        if self.flags.icase && b.is_ascii_alphabetic() {
            let mut s = ByteSet::default();
            s.add(b.to_ascii_lowercase());
            s.add(b.to_ascii_uppercase());
            Node::Set(Box::new(s))
        } else {
            Node::Lit(b)
        }
    }

    fn set(&self, mut s: ByteSet, negate: bool) -> Node {
        if self.flags.icase {
            s.fold();
        }
        if negate {
            s.negate();
            if self.flags.newline {
                s.del(self.flags.terminator);
            }
        }
        Node::Set(Box::new(s))
    }

    fn any(&self) -> Node {
        let mut s = ByteSet::full();
        if self.flags.newline {
            s.del(self.flags.terminator);
        }
        Node::Set(Box::new(s))
    }

    /// One atom. `start`: no repeatable atom before it; `bol`: at the start
    /// of a branch (where a BRE `^` is an anchor).
    fn atom(&mut self, start: bool, bol: bool) -> Result<Node, Error> {
        let Some(c) = self.peek() else {
            return Ok(Node::Empty);
        };
        let ere = self.ere();
        self.i += 1;
        match c {
            b'.' => Ok(self.any()),
            b'[' => self.bracket(),
            b'^' if ere || bol => Ok(Node::Look(Look::Bol)),
            b'$' if ere || self.at_end_of_branch() => Ok(Node::Look(Look::Eol)),
            b'*' if start => {
                if ere {
                    // GNU: a leading `*` repeats nothing.
                    self.warnings.push("* at start of expression");
                    self.i -= 1;
                    Ok(Node::Empty)
                } else {
                    Ok(Node::Lit(b'*'))
                }
            }
            b'+' | b'?' if ere && start => {
                self.warnings.push(if c == b'+' {
                    "+ at start of expression"
                } else {
                    "? at start of expression"
                });
                self.i -= 1;
                Ok(Node::Empty)
            }
            b'{' if ere && start => {
                if self.interval(self.i)?.is_some() {
                    self.warnings.push("{...} at start of expression");
                    Ok(Node::Empty)
                } else {
                    Ok(self.lit(b'{'))
                }
            }
            b'(' if ere => self.group(),
            b'\\' => self.escape(start),
            _ => Ok(self.lit(c)),
        }
    }

    /// For BRE `$`: is this the end of the pattern or of a branch/group?
    fn at_end_of_branch(&self) -> bool {
        self.i >= self.p.len() || self.at_bar() || self.at_close()
    }

    fn group(&mut self) -> Result<Node, Error> {
        self.ngroups += 1;
        let n = self.ngroups;
        self.depth += 1;
        let inner = self.alt()?;
        self.depth -= 1;
        let closed = if self.ere() {
            self.peek() == Some(b')')
        } else {
            self.peek() == Some(b'\\') && self.peek2() == Some(b')')
        };
        if !closed {
            return Err(Error::UnmatchedParen);
        }
        self.i += if self.ere() { 1 } else { 2 };
        let idx = (n - self.base - 1) as usize;
        if self.closed.len() <= idx {
            self.closed.resize(idx + 1, false);
        }
        self.closed[idx] = true;
        Ok(Node::Group(Box::new(inner), n))
    }

    fn escape(&mut self, start: bool) -> Result<Node, Error> {
        let Some(c) = self.peek() else {
            return Err(Error::TrailingBackslash);
        };
        self.i += 1;
        let ere = self.ere();
        let class = |name: &[u8], neg: bool| {
            let mut s = class_set(name).unwrap_or_default();
            if name == b"alnum" {
                s.add(b'_');
            }
            self.set(s, neg)
        };
        Ok(match c {
            b'(' if !ere => return self.group(),
            b'{' if !ere && start => Node::Lit(b'{'),
            b'{' if !ere => {
                // An interval with nothing to repeat.
                return Err(Error::BadRepeat);
            }
            b'1'..=b'9' => {
                let k = u32::from(c - b'0');
                let idx = (k - 1) as usize;
                if !self.closed.get(idx).copied().unwrap_or(false) {
                    return Err(Error::BadBackref);
                }
                Node::Backref(self.base + k)
            }
            b'w' => class(b"alnum", false),
            b'W' => class(b"alnum", true),
            b's' => class(b"space", false),
            b'S' => class(b"space", true),
            b'b' => Node::Look(Look::Word),
            b'B' => Node::Look(Look::NotWord),
            b'<' => Node::Look(Look::WordStart),
            b'>' => Node::Look(Look::WordEnd),
            b'`' => Node::Look(Look::TextStart),
            b'\'' => Node::Look(Look::TextEnd),
            _ => self.lit(c),
        })
    }

    /// A bracket expression; `self.i` is just past the `[`.
    fn bracket(&mut self) -> Result<Node, Error> {
        let mut set = ByteSet::default();
        let negate = self.peek() == Some(b'^');
        if negate {
            self.i += 1;
        }
        if self.peek().is_none() {
            return Err(Error::BadPattern);
        }
        let mut first = true;
        loop {
            let Some(c) = self.peek() else {
                return Err(Error::UnmatchedBracket);
            };
            if c == b']' && !first {
                self.i += 1;
                break;
            }
            first = false;
            // The start of a range, or a single element.
            let lo = match self.bracket_elem()? {
                Elem::Byte(b) => b,
                Elem::Class(s) => {
                    for w in 0..4 {
                        set.0[w] |= s.0[w];
                    }
                    if self.peek() == Some(b'-') && self.peek2().is_some_and(|c| c != b']') {
                        return Err(Error::BadRange);
                    }
                    continue;
                }
            };
            if self.peek() == Some(b'-') && self.peek2().is_some_and(|c| c != b']') {
                self.i += 1;
                let hi = match self.bracket_elem()? {
                    Elem::Byte(b) => b,
                    Elem::Class(_) => return Err(Error::BadRange),
                };
                if hi < lo {
                    return Err(Error::BadRange);
                }
                set.add_range(lo, hi);
                // `[a-c-e]`: a range may not start right after another.
                if self.peek() == Some(b'-') && self.peek2().is_some_and(|c| c != b']') {
                    return Err(Error::BadRange);
                }
            } else {
                set.add(lo);
            }
        }
        Ok(self.set(set, negate))
    }

    fn bracket_elem(&mut self) -> Result<Elem, Error> {
        let Some(c) = self.peek() else {
            return Err(Error::UnmatchedBracket);
        };
        if c == b'[' && matches!(self.peek2(), Some(b':' | b'=' | b'.')) {
            let kind = self.p[self.i + 1];
            let body = self.i + 2;
            let mut j = body;
            loop {
                if j + 1 >= self.p.len() {
                    return Err(Error::UnmatchedBracket);
                }
                if self.p[j] == kind && self.p[j + 1] == b']' {
                    break;
                }
                j += 1;
            }
            let name = &self.p[body..j];
            self.i = j + 2;
            return match kind {
                b':' => class_set(name).map(Elem::Class).ok_or(Error::BadClass),
                _ => match name {
                    [b] => Ok(Elem::Byte(*b)),
                    _ => Err(Error::BadCollation),
                },
            };
        }
        self.i += 1;
        Ok(Elem::Byte(c))
    }
}

enum Elem {
    Byte(u8),
    Class(ByteSet),
}
