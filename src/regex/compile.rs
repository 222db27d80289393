//! The syntax tree compiled to a Thompson NFA ("program"), forwards for
//! matching and backwards for finding where a match starts.

use super::Error;
use super::parse::{ByteSet, INF, Look, Node};

/// Largest program (instructions) before "Regular expression too big".
const MAX_INSTS: usize = 1 << 21;

#[derive(Clone, Copy, Debug)]
pub enum Inst {
    Byte(u8, u32),
    /// Consume a byte in `sets[i]`.
    Set(u32, u32),
    /// Try the first branch, then the second.
    Split(u32, u32),
    Look(Look, u32),
    /// Record the position in capture slot `k`.
    Save(u32, u32),
    /// Match the text of group `g` again.
    Backref(u32, u32),
    /// Remember the position in loop mark `k` / fail if it has not moved
    /// (an empty iteration of a loop whose body can match empty).
    Mark(u32, u32),
    Check(u32, u32),
    Match,
}

pub struct Prog {
    pub insts: Vec<Inst>,
    pub sets: Vec<ByteSet>,
    pub start: u32,
    /// Number of loop marks.
    pub marks: u32,
    pub has_look: bool,
    pub has_backref: bool,
}

impl Prog {
    /// Does consuming instruction `pc` accept `b`?
    #[inline]
    pub fn accepts(&self, pc: usize, b: u8) -> Option<u32> {
        match self.insts.get(pc) {
            Some(&Inst::Byte(x, n)) if x == b => Some(n),
            Some(&Inst::Set(s, n)) if self.sets.get(s as usize).is_some_and(|s| s.has(b)) => {
                Some(n)
            }
            _ => None,
        }
    }
}

struct Compiler {
    insts: Vec<Inst>,
    sets: Vec<ByteSet>,
    marks: u32,
    reverse: bool,
    /// Compile back-references as "any text" (for the DFA's superset).
    approx: bool,
    any: ByteSet,
    has_look: bool,
    has_backref: bool,
}

/// Compile `node`. `reverse` builds the program for the text read
/// backwards; `approx` replaces back-references by `any*` (with `any`
/// the bytes a back-reference may contain) so a DFA can run a superset.
pub fn compile(node: &Node, reverse: bool, approx: bool, any: ByteSet) -> Result<Prog, Error> {
    let mut c = Compiler {
        insts: Vec::new(),
        sets: Vec::new(),
        marks: 0,
        reverse,
        approx,
        any,
        has_look: false,
        has_backref: false,
    };
    let m = c.push(Inst::Match)?;
    let start = c.node(node, m, 0)?;
    Ok(Prog {
        insts: c.insts,
        sets: c.sets,
        start,
        marks: c.marks,
        has_look: c.has_look,
        has_backref: c.has_backref,
    })
}

impl Compiler {
    fn push(&mut self, i: Inst) -> Result<u32, Error> {
        if self.insts.len() >= MAX_INSTS {
            return Err(Error::TooBig);
        }
        self.insts.push(i);
        Ok((self.insts.len() - 1) as u32)
    }

    fn set(&mut self, s: &ByteSet) -> u32 {
        if let Some(i) = self.sets.iter().rposition(|x| x == s) {
            return i as u32;
        }
        self.sets.push(*s);
        (self.sets.len() - 1) as u32
    }

    /// Compile `n` so that it continues at `next`; returns its entry.
    fn node(&mut self, n: &Node, next: u32, depth: u32) -> Result<u32, Error> {
        if depth > 5000 {
            return Err(Error::TooBig);
        }
        let d = depth + 1;
        Ok(match n {
            Node::Empty => next,
            Node::Lit(b) => self.push(Inst::Byte(*b, next))?,
            Node::Set(s) => {
                let i = self.set(s);
                self.push(Inst::Set(i, next))?
            }
            Node::Cat(v) => {
                let mut k = next;
                if self.reverse {
                    for x in v {
                        k = self.node(x, k, d)?;
                    }
                } else {
                    for x in v.iter().rev() {
                        k = self.node(x, k, d)?;
                    }
                }
                k
            }
            Node::Alt(v) => {
                let mut entries = Vec::with_capacity(v.len());
                for x in v {
                    entries.push(self.node(x, next, d)?);
                }
                let mut k = entries.pop().unwrap_or(next);
                while let Some(e) = entries.pop() {
                    k = self.push(Inst::Split(e, k))?;
                }
                k
            }
            Node::Group(x, g) => {
                if self.reverse || self.approx {
                    self.node(x, next, d)?
                } else {
                    let close = self.push(Inst::Save(2 * g + 1, next))?;
                    let body = self.node(x, close, d)?;
                    self.push(Inst::Save(2 * g, body))?
                }
            }
            Node::Backref(g) => {
                self.has_backref = true;
                if self.approx || self.reverse {
                    let any = self.any;
                    let star = Node::Rep(Box::new(Node::Set(Box::new(any))), 0, INF);
                    self.node(&star, next, d)?
                } else {
                    self.push(Inst::Backref(*g, next))?
                }
            }
            Node::Look(l) => {
                self.has_look = true;
                let l = if self.reverse { l.reversed() } else { *l };
                self.push(Inst::Look(l, next))?
            }
            Node::Rep(x, min, max) => self.rep(x, *min, *max, next, d)?,
        })
    }

    fn rep(&mut self, x: &Node, min: u32, max: u32, next: u32, d: u32) -> Result<u32, Error> {
        let mut k = next;
        if max == INF {
            // loop: Split(body, next); body continues back at the Split.
            let split = self.push(Inst::Split(0, next))?;
            let body = if x.nullable() && !self.reverse && !self.approx {
                let m = self.marks;
                self.marks += 1;
                let check = self.push(Inst::Check(m, split))?;
                let b = self.node(x, check, d)?;
                self.push(Inst::Mark(m, b))?
            } else {
                self.node(x, split, d)?
            };
            if let Some(Inst::Split(a, _)) = self.insts.get_mut(split as usize) {
                *a = body;
            }
            k = split;
        } else {
            for _ in min..max {
                let body = self.node(x, k, d)?;
                k = self.push(Inst::Split(body, next))?;
            }
        }
        for _ in 0..min {
            k = self.node(x, k, d)?;
        }
        Ok(k)
    }
}
