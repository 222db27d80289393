//! A backtracking matcher over the forward program, for what a DFA cannot
//! do: sub-match positions and back-references. It tries branches in
//! priority order (first alternative first, greedy loops), with an
//! explicit stack (no recursion). Without back-references a visited set of
//! (instruction, position) pairs makes it linear: a pair that failed once
//! fails again.

use super::compile::{Inst, Prog};
use super::dfa::{C_EDGE, C_EDGE_NOT, C_OTHER, C_TERM, C_WORD, look_ok};
use super::parse::is_word;

pub const NONE: usize = usize::MAX;

/// Largest visited set (bits) before going without one.
const MAX_VISITED: usize = 1 << 26;

pub struct Ctx<'a> {
    pub hay: &'a [u8],
    pub not_bol: bool,
    pub not_eol: bool,
    pub term: Option<u8>,
    pub icase: bool,
}

impl Ctx<'_> {
    pub fn byte_ctx(&self, b: u8) -> u8 {
        if Some(b) == self.term {
            C_TERM
        } else if is_word(b) {
            C_WORD
        } else {
            C_OTHER
        }
    }
    pub fn prev(&self, pos: usize) -> u8 {
        match pos.checked_sub(1).and_then(|i| self.hay.get(i)) {
            Some(&b) => self.byte_ctx(b),
            None if self.not_bol => C_EDGE_NOT,
            None => C_EDGE,
        }
    }
    pub fn next(&self, pos: usize) -> u8 {
        match self.hay.get(pos) {
            Some(&b) => self.byte_ctx(b),
            None if self.not_eol => C_EDGE_NOT,
            None => C_EDGE,
        }
    }
}

enum Job {
    Step(u32, usize),
    Slot(usize, usize),
    Mark(usize, usize),
}

/// Match the program anchored at `start`. With `end = Some(e)` the match
/// must end exactly at `e` and the first one in priority order fills
/// `slots`; with `None` every path is explored and the longest end is
/// returned (slots then hold nothing useful).
pub fn run(
    prog: &Prog,
    cx: &Ctx,
    start: usize,
    end: Option<usize>,
    slots: &mut [usize],
) -> Option<usize> {
    let hay = cx.hay;
    let limit = end.unwrap_or(hay.len());
    let width = limit - start.min(limit) + 1;
    let memo = !prog.has_backref && prog.insts.len().saturating_mul(width) <= MAX_VISITED;
    let mut visited = if memo {
        vec![0u64; (prog.insts.len() * width).div_ceil(64)]
    } else {
        Vec::new()
    };
    let mut marks = vec![NONE; prog.marks as usize];
    slots.iter_mut().for_each(|s| *s = NONE);
    let mut best = None;
    let mut stack = vec![Job::Step(prog.start, start)];
    while let Some(job) = stack.pop() {
        let (mut pc, mut pos) = match job {
            Job::Step(pc, pos) => (pc, pos),
            Job::Slot(k, v) => {
                if let Some(s) = slots.get_mut(k) {
                    *s = v;
                }
                continue;
            }
            Job::Mark(k, v) => {
                if let Some(m) = marks.get_mut(k) {
                    *m = v;
                }
                continue;
            }
        };
        loop {
            if memo {
                let bit = pc as usize * width + (pos - start);
                let w = &mut visited[bit / 64];
                if *w >> (bit % 64) & 1 != 0 {
                    break;
                }
                *w |= 1 << (bit % 64);
            }
            match prog.insts.get(pc as usize) {
                Some(Inst::Byte(..) | Inst::Set(..)) => {
                    match hay.get(pos).filter(|_| pos < limit) {
                        Some(&b) => match prog.accepts(pc as usize, b) {
                            Some(n) => {
                                pc = n;
                                pos += 1;
                            }
                            None => break,
                        },
                        None => break,
                    }
                }
                Some(&Inst::Split(a, b)) => {
                    stack.push(Job::Step(b, pos));
                    pc = a;
                }
                Some(&Inst::Look(l, n)) => {
                    if !look_ok(l, cx.prev(pos), cx.next(pos)) {
                        break;
                    }
                    pc = n;
                }
                Some(&Inst::Save(k, n)) => {
                    let k = k as usize;
                    if let Some(s) = slots.get_mut(k) {
                        stack.push(Job::Slot(k, *s));
                        *s = pos;
                    }
                    pc = n;
                }
                Some(&Inst::Mark(k, n)) => {
                    let k = k as usize;
                    if let Some(m) = marks.get_mut(k) {
                        stack.push(Job::Mark(k, *m));
                        *m = pos;
                    }
                    pc = n;
                }
                Some(&Inst::Check(k, n)) => {
                    if marks.get(k as usize) == Some(&pos) {
                        break;
                    }
                    pc = n;
                }
                Some(&Inst::Backref(g, n)) => {
                    let g = g as usize;
                    let (s, e) = match (slots.get(2 * g), slots.get(2 * g + 1)) {
                        (Some(&s), Some(&e)) if s != NONE && e != NONE && s <= e => (s, e),
                        _ => break,
                    };
                    let len = e - s;
                    if pos + len > limit {
                        break;
                    }
                    let (Some(a), Some(b)) = (hay.get(s..e), hay.get(pos..pos + len)) else {
                        break;
                    };
                    let same = if cx.icase {
                        a.eq_ignore_ascii_case(b)
                    } else {
                        a == b
                    };
                    if !same {
                        break;
                    }
                    pos += len;
                    pc = n;
                }
                Some(Inst::Match) => {
                    match end {
                        Some(e) => {
                            if pos == e {
                                return Some(pos);
                            }
                        }
                        None => {
                            if best.is_none_or(|b| pos > b) {
                                best = Some(pos);
                                if pos == limit {
                                    return best;
                                }
                            }
                        }
                    }
                    break;
                }
                None => break,
            }
        }
    }
    best
}
