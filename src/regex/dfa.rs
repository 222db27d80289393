//! A lazily built DFA over a program: states are sets of NFA instructions,
//! made on first use and kept in a bounded cache (cleared when full, so
//! memory stays bounded and time stays linear in the text).
//!
//! Assertions (`^ $ \b \< ...`) depend on the bytes on both sides of a
//! position. A state remembers the kind of byte before it (its context);
//! its transition on the next byte first takes the epsilon closure with
//! both sides known, notes whether `Match` is in it (a match ends *before*
//! that byte: the MATCH flag of the transition), then steps over the byte.
//! The end of the text is one more "byte class" (EOT).
//!
//! Modes: `Earliest` (unanchored; stop at the first position where any
//! match ends), `Anchored` (longest match from the start), and
//! `Leftmost` (unanchored leftmost-longest: the state is a list of
//! instruction sets ordered by the start of the threads in them, separated
//! by MARK; an instruction already held by an earlier-starting set is
//! dropped from a later one, and once a set matches, later ones are cut).

use super::compile::{Inst, Prog};
use super::parse::{Look, is_word};
use std::collections::HashMap;

pub const MATCH: u32 = 1 << 31;
pub const DEAD: u32 = 1 << 30;
const UNKNOWN: u32 = u32::MAX;
const IDX: u32 = DEAD - 1;
const MARK: u32 = u32::MAX;
/// Cache budget: table entries before the cache is cleared.
const MAX_TABLE: usize = 1 << 20;

/// Context of a position's neighbour: the edge of the text, the edge with
/// REG_NOTBOL/REG_NOTEOL, the line terminator, a word byte, anything else.
pub const C_EDGE: u8 = 0;
pub const C_EDGE_NOT: u8 = 1;
pub const C_TERM: u8 = 2;
pub const C_WORD: u8 = 3;
pub const C_OTHER: u8 = 4;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Mode {
    Earliest,
    Anchored,
    Leftmost,
}

/// Does assertion `l` hold between neighbours `prev` and `next`?
pub fn look_ok(l: Look, prev: u8, next: u8) -> bool {
    let pw = prev == C_WORD;
    let nw = next == C_WORD;
    match l {
        Look::Bol => prev == C_EDGE || prev == C_TERM,
        Look::Eol => next == C_EDGE || next == C_TERM,
        Look::TextStart => prev <= C_EDGE_NOT,
        Look::TextEnd => next <= C_EDGE_NOT,
        Look::Word => pw != nw,
        Look::NotWord => pw == nw,
        Look::WordStart => !pw && nw,
        Look::WordEnd => pw && !nw,
        Look::NoWordBefore => !pw,
        Look::NoWordAfter => !nw,
    }
}

/// Byte classes shared by a program's DFAs.
pub struct Classes {
    pub map: [u8; 256],
    pub count: usize,
    /// Context of each class (C_TERM, C_WORD or C_OTHER).
    pub ctx: Vec<u8>,
}

impl Classes {
    pub fn new(progs: &[&Prog], term: Option<u8>) -> Classes {
        let mut map = [0u8; 256];
        let mut count = 1usize;
        let refine = |pred: &dyn Fn(u8) -> bool, map: &mut [u8; 256], count: &mut usize| {
            let mut remap = [u16::MAX; 512];
            let mut n = 0u16;
            for b in 0..=255u8 {
                let key = usize::from(map[usize::from(b)]) * 2 + usize::from(pred(b));
                if remap[key] == u16::MAX {
                    remap[key] = n;
                    n += 1;
                }
                map[usize::from(b)] = remap[key] as u8;
            }
            *count = usize::from(n);
        };
        let has_look = progs.iter().any(|p| p.has_look);
        if let Some(t) = term {
            refine(&|b| b == t, &mut map, &mut count);
        }
        if has_look {
            refine(&is_word, &mut map, &mut count);
        }
        let mut seen_bytes = [false; 256];
        let mut sets = Vec::new();
        for p in progs {
            for i in &p.insts {
                if let Inst::Byte(b, _) = i {
                    seen_bytes[usize::from(*b)] = true;
                }
            }
            for s in &p.sets {
                if !sets.contains(s) {
                    sets.push(*s);
                }
            }
        }
        for b in 0..=255u8 {
            if seen_bytes[usize::from(b)] {
                refine(&|x| x == b, &mut map, &mut count);
            }
        }
        for s in &sets {
            refine(&|x| s.has(x), &mut map, &mut count);
        }
        let mut ctx = vec![C_OTHER; count];
        for b in 0..=255u8 {
            let c = &mut ctx[usize::from(map[usize::from(b)])];
            if term == Some(b) {
                *c = C_TERM;
            } else if has_look && is_word(b) {
                *c = C_WORD;
            }
        }
        Classes { map, count, ctx }
    }
}

#[derive(Clone, PartialEq, Eq, Hash)]
struct Key {
    insts: Box<[u32]>,
    ctx: u8,
    matched: bool,
}

pub struct Dfa {
    mode: Mode,
    /// Classes + EOT + EOT with not_eol.
    stride: usize,
    table: Vec<u32>,
    keys: Vec<Key>,
    map: HashMap<Key, u32>,
    starts: [u32; 5],
    // Scratch for closures.
    seen: Vec<u32>,
    gen_: u32,
    stack: Vec<u32>,
    /// Consuming instructions of the closure, per set (MARK between sets).
    consume: Vec<u32>,
}

impl Dfa {
    pub fn new(mode: Mode, classes: &Classes, prog_len: usize) -> Dfa {
        Dfa {
            mode,
            stride: classes.count + 2,
            table: Vec::new(),
            keys: Vec::new(),
            map: HashMap::new(),
            starts: [UNKNOWN; 5],
            seen: vec![0; prog_len],
            gen_: 0,
            stack: Vec::new(),
            consume: Vec::new(),
        }
    }

    fn clear(&mut self) {
        self.table.clear();
        self.keys.clear();
        self.map.clear();
        self.starts = [UNKNOWN; 5];
    }

    fn add(&mut self, key: Key) -> u32 {
        if let Some(&id) = self.map.get(&key) {
            return id;
        }
        let id = self.table.len() as u32;
        self.table.resize(self.table.len() + self.stride, UNKNOWN);
        self.keys.push(key.clone());
        self.map.insert(key, id);
        id
    }

    fn full(&self) -> bool {
        self.table.len() + self.stride > MAX_TABLE.max(self.stride * 16)
    }

    /// The start state for a text whose preceding context is `ctx`.
    pub fn start(&mut self, prog: &Prog, ctx: u8) -> u32 {
        let ctx = if prog.has_look { ctx } else { 0 };
        let s = self.starts[usize::from(ctx)];
        if s != UNKNOWN {
            return s;
        }
        if self.full() {
            self.clear();
        }
        let id = self.add(Key {
            insts: Box::new([prog.start]),
            ctx,
            matched: false,
        });
        self.starts[usize::from(ctx)] = id;
        id
    }

    /// Epsilon closure of `pc` into `self.consume`; returns whether Match
    /// was reached.
    fn closure(&mut self, prog: &Prog, pc: u32, prev: u8, next: u8) -> bool {
        let mut matched = false;
        self.stack.push(pc);
        while let Some(pc) = self.stack.pop() {
            let Some(slot) = self.seen.get_mut(pc as usize) else {
                continue;
            };
            if *slot == self.gen_ {
                continue;
            }
            *slot = self.gen_;
            match prog.insts.get(pc as usize) {
                Some(Inst::Byte(..) | Inst::Set(..)) => self.consume.push(pc),
                Some(&Inst::Split(a, b)) => {
                    self.stack.push(b);
                    self.stack.push(a);
                }
                Some(&Inst::Look(l, n)) if look_ok(l, prev, next) => self.stack.push(n),
                Some(Inst::Look(..)) => {}
                Some(
                    &Inst::Save(_, n)
                    | &Inst::Mark(_, n)
                    | &Inst::Check(_, n)
                    | &Inst::Backref(_, n),
                ) => self.stack.push(n),
                Some(Inst::Match) => matched = true,
                None => {}
            }
        }
        matched
    }

    fn new_gen(&mut self) {
        self.gen_ = self.gen_.wrapping_add(1);
        if self.gen_ == 0 {
            self.seen.iter_mut().for_each(|s| *s = u32::MAX);
            self.gen_ = 1;
        }
    }

    /// Compute (and cache) the transition of state `s` on class `cls`.
    #[cold]
    #[inline(never)]
    pub fn compute(&mut self, prog: &Prog, cl: &Classes, s: u32, cls: usize) -> u32 {
        let Some(key) = self.keys.get((s as usize) / self.stride).cloned() else {
            return DEAD;
        };
        let eot = cls >= cl.count;
        let next_ctx = if eot {
            if cls == cl.count { C_EDGE } else { C_EDGE_NOT }
        } else {
            cl.ctx[cls]
        };
        // A representative byte of the class.
        let byte = (0..=255u8).find(|&b| usize::from(cl.map[usize::from(b)]) == cls);
        self.new_gen();
        self.consume.clear();
        let mut matched = false;
        for &pc in key.insts.iter() {
            if pc == MARK {
                if self.mode == Mode::Leftmost && matched {
                    break;
                }
                self.consume.push(MARK);
                continue;
            }
            if self.closure(prog, pc, key.ctx, next_ctx) {
                matched = true;
            }
        }
        // Step over the byte.
        let mut insts: Vec<u32> = Vec::new();
        if let (false, Some(b)) = (eot, byte) {
            self.new_gen();
            let mut group_start = 0;
            for &pc in self.consume.iter() {
                if pc == MARK {
                    if insts.len() > group_start {
                        insts[group_start..].sort_unstable();
                        insts.push(MARK);
                        group_start = insts.len();
                    }
                    continue;
                }
                if let Some(n) = prog.accepts(pc as usize, b)
                    && let Some(slot) = self.seen.get_mut(n as usize)
                    && *slot != self.gen_
                {
                    *slot = self.gen_;
                    insts.push(n);
                }
            }
            insts[group_start..].sort_unstable();
            if insts.last() == Some(&MARK) {
                insts.pop();
            }
            let restart = match self.mode {
                Mode::Anchored => false,
                Mode::Earliest => true,
                Mode::Leftmost => !matched && !key.matched,
            };
            if restart && !insts.contains(&prog.start) {
                if self.mode == Mode::Leftmost && !insts.is_empty() {
                    insts.push(MARK);
                }
                insts.push(prog.start);
                if self.mode == Mode::Earliest {
                    insts.sort_unstable();
                }
            }
        }
        let flag = if matched { MATCH } else { 0 };
        if insts.is_empty() {
            let t = DEAD | flag;
            if let Some(e) = self.table.get_mut(s as usize + cls) {
                *e = t;
            }
            return t;
        }
        let ctx = if prog.has_look { next_ctx } else { 0 };
        let nkey = Key {
            insts: insts.into_boxed_slice(),
            ctx,
            matched: key.matched || (matched && self.mode == Mode::Leftmost),
        };
        let mut from = s;
        if !self.map.contains_key(&nkey) && self.full() {
            self.clear();
            from = self.add(key);
        }
        let id = self.add(nkey);
        let t = id | flag;
        if let Some(e) = self.table.get_mut(from as usize + cls) {
            *e = t;
        }
        t
    }

    /// Run from state `s` over `bytes` (forwards or backwards), then over
    /// the lookahead class `tail` (a byte's class, or an EOT class).
    /// Earliest mode returns at the first match; the others go on until the
    /// state dies and return the last match. Positions are reported as the
    /// number of bytes consumed before the match.
    #[inline]
    pub fn run<I: Iterator<Item = u8>>(
        &mut self,
        prog: &Prog,
        cl: &Classes,
        mut s: u32,
        bytes: I,
        tail: usize,
    ) -> Option<usize> {
        let mut last = None;
        let earliest = self.mode == Mode::Earliest;
        let mut count = 0;
        for (n, b) in bytes.enumerate() {
            count = n + 1;
            let cls = usize::from(cl.map[usize::from(b)]);
            let mut t = self.entry(s, cls);
            if t >= DEAD {
                if t == UNKNOWN {
                    t = self.compute(prog, cl, s, cls);
                }
                if t & MATCH != 0 {
                    last = Some(n);
                    if earliest {
                        return last;
                    }
                }
                if t & DEAD != 0 {
                    return last;
                }
            }
            s = t & IDX;
        }
        let mut t = self.entry(s, tail);
        if t == UNKNOWN {
            t = self.compute(prog, cl, s, tail);
        }
        if t & MATCH != 0 {
            return Some(count);
        }
        last
    }

    /// Earliest-mode forward scan over `hay[from..to]` (fast path): the
    /// first position where a match ends.
    #[allow(clippy::too_many_arguments)]
    pub fn earliest_fwd(
        &mut self,
        prog: &Prog,
        cl: &Classes,
        mut s: u32,
        hay: &[u8],
        from: usize,
        to: usize,
        tail: usize,
    ) -> Option<usize> {
        let map = &cl.map;
        let bytes = hay.get(from..to).unwrap_or(&[]);
        let mut k = 0;
        while k < bytes.len() {
            // Unrolled by four while nothing special happens.
            while k + 4 <= bytes.len() {
                let t0 = self.entry(s, usize::from(map[usize::from(bytes[k])]));
                if t0 >= DEAD {
                    break;
                }
                let t1 = self.entry(t0, usize::from(map[usize::from(bytes[k + 1])]));
                if t1 >= DEAD {
                    s = t0;
                    k += 1;
                    break;
                }
                let t2 = self.entry(t1, usize::from(map[usize::from(bytes[k + 2])]));
                if t2 >= DEAD {
                    s = t1;
                    k += 2;
                    break;
                }
                let t3 = self.entry(t2, usize::from(map[usize::from(bytes[k + 3])]));
                if t3 >= DEAD {
                    s = t2;
                    k += 3;
                    break;
                }
                s = t3;
                k += 4;
            }
            if k >= bytes.len() {
                break;
            }
            let cls = usize::from(map[usize::from(bytes[k])]);
            let mut t = self.entry(s, cls);
            if t == UNKNOWN {
                t = self.compute(prog, cl, s, cls);
            }
            if t & MATCH != 0 {
                return Some(from + k);
            }
            if t & DEAD != 0 {
                return None;
            }
            s = t & IDX;
            k += 1;
        }
        let mut t = self.entry(s, tail);
        if t == UNKNOWN {
            t = self.compute(prog, cl, s, tail);
        }
        (t & MATCH != 0).then_some(from + bytes.len())
    }

    #[inline(always)]
    fn entry(&self, s: u32, cls: usize) -> u32 {
        match self.table.get(s as usize + cls) {
            Some(&t) => t,
            None => UNKNOWN,
        }
    }
}
