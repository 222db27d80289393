//! POSIX regular expressions (BRE and ERE, with GNU's extensions), shared
//! by grep, sed, awk, expr and find.
//!
//! ```text
//! let re = Regex::new(b"\\(ab*\\)c", Flags::default())?;      // BRE
//! let re = Regex::new(b"(ab*)c", Flags { extended: true, ..Flags::default() })?;
//! re.is_match(hay);                       // anywhere in hay?
//! re.find_at(hay, start)                  // leftmost-longest Match at/after start
//! re.captures_at(hay, start)              // ... with sub-matches (regexec's pmatch)
//! re.find_iter(hay) / re.captures_iter(hay)   // successive matches, sed's s///g rules
//! re.shortest_end(hay, start)             // end of the first match to end (grep)
//! ```
//!
//! Positions are byte offsets in `hay`. Searching from `start > 0` sees the
//! bytes before `start` as context (`^`, `\<`, `\b` look at them), which is
//! what sed's `g` flag needs; [`Exec`] gives REG_NOTBOL/REG_NOTEOL.
//!
//! Semantics: the match is the leftmost, then longest (POSIX). Sub-matches
//! follow glibc: alternatives are tried in order and loops are greedy,
//! under the constraint that the whole match is the leftmost-longest one;
//! a repeated group reports its last iteration; a group that did not take
//! part reports `None`. Back-references `\1`..`\9` work in BRE and ERE. The
//! C locale: bytes, ASCII classes, `[=a=]` and `[.a.]` single characters.
//! The empty pattern matches the empty string; "reuse the last regex" is
//! for callers to decide.
//!
//! Syntax errors carry glibc's messages (`Error::message`), and GNU grep's
//! warnings ("* at start of expression") are in [`Regex::warnings`].
//!
//! # How it searches
//!
//! 1. A pattern that is one literal string is found with `memmem`
//!    (SIMD), or, ignoring case, with a Horspool search over folded bytes.
//! 2. Otherwise a literal that every match contains ("required literal")
//!    is searched first; in line mode (grep) only the lines holding it are
//!    run through the automaton, elsewhere its absence rejects the text.
//! 3. A lazily built DFA (`dfa.rs`) finds where the first match ends;
//!    a second DFA that orders threads by start position finds the end of
//!    the leftmost-longest match, and a DFA of the reversed pattern run
//!    backwards from there finds its start. All linear in the text.
//! 4. Sub-match positions come from a backtracker bounded by a visited set
//!    (linear too). Back-references need real backtracking (worst case
//!    exponential, as in every POSIX implementation); a DFA for the
//!    pattern with `\N` replaced by "any text" first rejects most lines.
//!
//! # Measurements
//!
//! MEASUREMENTS
//!
//! # Choices
//!
//! The regex crate was not used: it costs 0.7-1.2 MB, has neither
//! leftmost-longest POSIX semantics nor back-references. musl's
//! regcomp/regexec (TRE) is POSIX and small but slow on big inputs (see the
//! figures); it also reports some sub-matches differently from glibc.

mod backtrack;
mod compile;
mod dfa;
mod literal;
mod parse;

use compile::Prog;
use dfa::{Classes, Dfa, Mode};
use parse::{ByteSet, Node};
use std::cell::Cell;

/// Compilation flags.
#[derive(Clone, Copy, Debug)]
pub struct Flags {
    /// Extended syntax (REG_EXTENDED); basic (BRE) otherwise.
    pub extended: bool,
    /// The pattern is a plain string, not a regex (grep -F).
    pub fixed: bool,
    /// Ignore case (REG_ICASE), ASCII letters.
    pub icase: bool,
    /// REG_NEWLINE: `.` and `[^...]` do not match `terminator`; `^` and `$`
    /// also match after and before it.
    pub newline: bool,
    /// Line mode (grep): as `newline`, and nothing at all matches the
    /// terminator, so a match never spans two lines.
    pub lines: bool,
    /// The byte `newline`/`lines` apply to: `\n` (grep -z uses NUL).
    pub terminator: u8,
    /// Match only whole words: not preceded or followed by a word
    /// character (grep -w).
    pub word: bool,
    /// Match only whole lines (grep -x).
    pub whole_line: bool,
    /// No sub-match positions wanted (REG_NOSUB); only speeds things up.
    pub nosub: bool,
}

impl Default for Flags {
    fn default() -> Flags {
        Flags {
            extended: false,
            fixed: false,
            icase: false,
            newline: false,
            lines: false,
            terminator: b'\n',
            word: false,
            whole_line: false,
            nosub: false,
        }
    }
}

/// A syntax error, with glibc's wording.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Error {
    UnmatchedBracket,
    UnmatchedParen,
    UnmatchedRParen,
    BadRepeat,
    TrailingBackslash,
    BadBackref,
    BadBrace,
    BadRange,
    BadClass,
    BadCollation,
    UnmatchedBrace,
    TooBig,
    BadPattern,
}

impl Error {
    pub fn message(self) -> &'static str {
        match self {
            Error::UnmatchedBracket => "Unmatched [, [^, [:, [., or [=",
            Error::UnmatchedParen => "Unmatched ( or \\(",
            Error::UnmatchedRParen => "Unmatched ) or \\)",
            Error::BadRepeat => "Invalid preceding regular expression",
            Error::TrailingBackslash => "Trailing backslash",
            Error::BadBackref => "Invalid back reference",
            Error::BadBrace => "Invalid content of \\{\\}",
            Error::BadRange => "Invalid range end",
            Error::BadClass => "Invalid character class name",
            Error::BadCollation => "Invalid collation character",
            Error::UnmatchedBrace => "Unmatched \\{",
            Error::TooBig => "Regular expression too big",
            Error::BadPattern => "Invalid regular expression",
        }
    }
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.message())
    }
}

impl std::error::Error for Error {}

/// Execution flags (regexec's eflags).
#[derive(Clone, Copy, Debug, Default)]
pub struct Exec {
    /// The start of `hay` is not the start of a line (REG_NOTBOL).
    pub not_bol: bool,
    /// The end of `hay` is not the end of a line (REG_NOTEOL).
    pub not_eol: bool,
}

/// A match: `hay[start..end]`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Match {
    pub start: usize,
    pub end: usize,
}

impl Match {
    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }
    pub fn len(&self) -> usize {
        self.end - self.start
    }
}

/// The whole match (index 0) and each group's span, as regexec's pmatch.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Captures {
    slots: Vec<usize>,
}

impl Captures {
    /// Span of group `i` (0 = whole match), None if it did not take part.
    pub fn get(&self, i: usize) -> Option<Match> {
        match (self.slots.get(2 * i), self.slots.get(2 * i + 1)) {
            (Some(&s), Some(&e)) if s != backtrack::NONE && e != backtrack::NONE => {
                Some(Match { start: s, end: e })
            }
            _ => None,
        }
    }
    /// Number of entries (groups + 1).
    pub fn len(&self) -> usize {
        self.slots.len() / 2
    }
    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }
    pub fn whole(&self) -> Match {
        self.get(0).unwrap_or(Match { start: 0, end: 0 })
    }
}

struct Caches {
    earliest: Dfa,
    leftmost: Dfa,
    reverse: Dfa,
}

/// A compiled regular expression.
pub struct Regex {
    flags: Flags,
    groups: u32,
    /// The exact forward program (captures, back-references).
    prog: Prog,
    /// The DFA's forward program: `prog`, or a superset when the pattern
    /// has back-references.
    approx: Option<Prog>,
    rev: Prog,
    classes: Classes,
    lits: literal::Literals,
    term: Option<u8>,
    cache: Cell<Option<Box<Caches>>>,
    warnings: Vec<&'static str>,
}

impl std::fmt::Debug for Regex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Regex({} groups)", self.groups)
    }
}

/// Remove the terminator from everything that could match it.
fn strip_term(n: &mut Node, t: u8) {
    match n {
        Node::Lit(b) if *b == t => *n = Node::Set(Box::default()),
        Node::Set(s) => s.del(t),
        Node::Cat(v) | Node::Alt(v) => v.iter_mut().for_each(|x| strip_term(x, t)),
        Node::Rep(x, ..) | Node::Group(x, _) => strip_term(x, t),
        Node::Look(l @ parse::Look::TextStart) => *l = parse::Look::Bol,
        Node::Look(l @ parse::Look::TextEnd) => *l = parse::Look::Eol,
        _ => {}
    }
}

fn fixed_node(p: &[u8], icase: bool) -> Node {
    let v = p
        .iter()
        .map(|&b| {
            if icase && b.is_ascii_alphabetic() {
                let mut s = ByteSet::default();
                s.add(b.to_ascii_lowercase());
                s.add(b.to_ascii_uppercase());
                Node::Set(Box::new(s))
            } else {
                Node::Lit(b)
            }
        })
        .collect();
    Node::Cat(v)
}

impl Regex {
    /// Compile one pattern.
    pub fn new(pattern: &[u8], flags: Flags) -> Result<Regex, Error> {
        Regex::with_patterns(&[pattern], flags)
    }

    /// Compile several patterns into one regex that matches where any of
    /// them does (grep's `-e A -e B`). Each keeps its own group numbers for
    /// its back-references; captures are numbered across all of them.
    pub fn with_patterns(patterns: &[&[u8]], mut flags: Flags) -> Result<Regex, Error> {
        if flags.lines {
            flags.newline = true;
        }
        let mut alts = Vec::with_capacity(patterns.len());
        let mut groups = 0;
        let mut warnings = Vec::new();
        for p in patterns {
            if flags.fixed {
                alts.push(fixed_node(p, flags.icase));
                continue;
            }
            let parsed = parse::parse(p, flags, groups)?;
            groups = parsed.groups;
            warnings.extend(parsed.warnings);
            alts.push(parsed.node);
        }
        let mut node = match alts.len() {
            0 => Node::Set(Box::default()),
            1 => alts.pop().unwrap_or(Node::Empty),
            _ => Node::Alt(alts),
        };
        let term = flags.newline.then_some(flags.terminator);
        if flags.lines {
            // Each line is a text of its own: \` and \' are ^ and $.
            strip_term(&mut node, flags.terminator);
        }
        if flags.whole_line {
            node = Node::Cat(vec![
                Node::Look(parse::Look::Bol),
                node,
                Node::Look(parse::Look::Eol),
            ]);
        } else if flags.word {
            node = Node::Cat(vec![
                Node::Look(parse::Look::NoWordBefore),
                node,
                Node::Look(parse::Look::NoWordAfter),
            ]);
        }
        let mut any = ByteSet::full();
        if let Some(t) = term {
            any.del(t);
        }
        let prog = compile::compile(&node, false, false, any)?;
        let approx = if prog.has_backref {
            Some(compile::compile(&node, false, true, any)?)
        } else {
            None
        };
        let rev = compile::compile(&node, true, true, any)?;
        let classes = {
            let mut ps: Vec<&Prog> = vec![&prog, &rev];
            if let Some(a) = &approx {
                ps.push(a);
            }
            Classes::new(&ps, term)
        };
        let lits = literal::analyze(&node);
        Ok(Regex {
            flags,
            groups,
            prog,
            approx,
            rev,
            classes,
            lits,
            term,
            cache: Cell::new(None),
            warnings,
        })
    }

    /// Number of parenthesized subexpressions.
    pub fn groups(&self) -> usize {
        self.groups as usize
    }

    /// GNU grep's warnings about the pattern (e.g. "* at start of expression").
    pub fn warnings(&self) -> &[&'static str] {
        &self.warnings
    }

    pub fn flags(&self) -> Flags {
        self.flags
    }

    fn dfa_prog(&self) -> &Prog {
        self.approx.as_ref().unwrap_or(&self.prog)
    }

    fn with_cache<T>(&self, f: impl FnOnce(&mut Caches) -> T) -> T {
        let mut c = self.cache.take().unwrap_or_else(|| {
            let n = self.prog.insts.len().max(self.rev.insts.len());
            let n = n.max(self.approx.as_ref().map_or(0, |a| a.insts.len()));
            Box::new(Caches {
                earliest: Dfa::new(Mode::Earliest, &self.classes, n),
                leftmost: Dfa::new(Mode::Leftmost, &self.classes, n),
                reverse: Dfa::new(Mode::Anchored, &self.classes, n),
            })
        });
        let r = f(&mut c);
        self.cache.set(Some(c));
        r
    }

    fn cx<'h>(&self, hay: &'h [u8], ex: Exec) -> backtrack::Ctx<'h> {
        backtrack::Ctx {
            hay,
            not_bol: ex.not_bol,
            not_eol: ex.not_eol,
            term: self.term,
            icase: self.flags.icase,
        }
    }

    /// Class to feed after the last byte of a forward scan ending at `end`.
    fn tail_fwd(&self, hay: &[u8], end: usize, ex: Exec) -> usize {
        match hay.get(end) {
            Some(&b) => usize::from(self.classes.map[usize::from(b)]),
            None => self.classes.count + usize::from(ex.not_eol),
        }
    }

    /// Does the pattern match anywhere in `hay`?
    pub fn is_match(&self, hay: &[u8]) -> bool {
        self.shortest_end(hay, 0).is_some()
    }

    /// The end of the match that ends first, at or after `start`.
    pub fn shortest_end(&self, hay: &[u8], start: usize) -> Option<usize> {
        self.shortest_end_with(hay, start, Exec::default())
    }

    pub fn shortest_end_with(&self, hay: &[u8], start: usize, ex: Exec) -> Option<usize> {
        if start > hay.len() {
            return None;
        }
        if let Some(f) = &self.lits.whole {
            return f.find(&hay[start..]).map(|p| start + p + f.len());
        }
        if self.prog.has_backref {
            return self.backref_search(hay, start, ex).map(|(_, e)| e);
        }
        self.earliest(hay, start, ex)
    }

    /// The earliest match end by DFA (a superset when back-references),
    /// using the required literal to skip text.
    fn earliest(&self, hay: &[u8], start: usize, ex: Exec) -> Option<usize> {
        let prog = self.dfa_prog();
        let cx = self.cx(hay, ex);
        let Some(req) = &self.lits.required else {
            let tail = self.tail_fwd(hay, hay.len(), ex);
            return self.with_cache(|c| {
                let s = c.earliest.start(prog, cx.prev(start));
                c.earliest
                    .earliest_fwd(prog, &self.classes, s, hay, start, hay.len(), tail)
            });
        };
        let Some(t) = self.term.filter(|_| self.flags.lines) else {
            // Not line mode: the literal only tells whether to look at all.
            req.find(&hay[start..])?;
            let tail = self.tail_fwd(hay, hay.len(), ex);
            return self.with_cache(|c| {
                let s = c.earliest.start(prog, cx.prev(start));
                c.earliest
                    .earliest_fwd(prog, &self.classes, s, hay, start, hay.len(), tail)
            });
        };
        // Line mode: run the DFA only on lines holding the literal; when
        // that covers much of the text, scan everything instead.
        let mut pos = start;
        let mut verified = 0usize;
        while pos <= hay.len() {
            let h = pos + req.find(&hay[pos..])?;
            let ls = memchr::memrchr(t, &hay[pos..h]).map_or(pos, |i| pos + i + 1);
            let le = memchr::memchr(t, &hay[h..]).map_or(hay.len(), |i| h + i);
            verified += le - ls;
            let tail = self.tail_fwd(hay, le, ex);
            let found = self.with_cache(|c| {
                let s = c.earliest.start(prog, cx.prev(ls));
                c.earliest
                    .earliest_fwd(prog, &self.classes, s, hay, ls, le, tail)
            });
            if found.is_some() {
                return found;
            }
            pos = le + 1;
            if verified > 4096 && verified * 2 > pos - start {
                // The literal is too common to help.
                if pos > hay.len() {
                    return None;
                }
                let tail = self.tail_fwd(hay, hay.len(), ex);
                return self.with_cache(|c| {
                    let s = c.earliest.start(prog, cx.prev(pos));
                    c.earliest
                        .earliest_fwd(prog, &self.classes, s, hay, pos, hay.len(), tail)
                });
            }
        }
        None
    }

    /// Leftmost-longest match at or after `start`.
    pub fn find_at(&self, hay: &[u8], start: usize) -> Option<Match> {
        self.find_with(hay, start, Exec::default())
    }

    pub fn find_with(&self, hay: &[u8], start: usize, ex: Exec) -> Option<Match> {
        if start > hay.len() {
            return None;
        }
        if let Some(f) = &self.lits.whole {
            let p = start + f.find(&hay[start..])?;
            return Some(Match {
                start: p,
                end: p + f.len(),
            });
        }
        if self.prog.has_backref {
            return self
                .backref_search(hay, start, ex)
                .map(|(start, end)| Match { start, end });
        }
        let first_end = self.earliest(hay, start, ex)?;
        // In line mode the match lies in the line where the first one ended.
        let from = match self.term.filter(|_| self.flags.lines) {
            Some(t) => memchr::memrchr(t, &hay[start..first_end]).map_or(start, |i| start + i + 1),
            None => start,
        };
        let cx = self.cx(hay, ex);
        let prog = &self.prog;
        let end = self.with_cache(|c| {
            let s = c.leftmost.start(prog, cx.prev(from));
            let tail = self.tail_fwd(hay, hay.len(), ex);
            c.leftmost
                .run(prog, &self.classes, s, hay[from..].iter().copied(), tail)
        })? + from;
        let begin = self.with_cache(|c| {
            let s = c.reverse.start(&self.rev, cx.next(end));
            let tail = match from.checked_sub(1) {
                Some(i) => usize::from(self.classes.map[usize::from(hay[i])]),
                None => self.classes.count + usize::from(ex.not_bol),
            };
            c.reverse.run(
                &self.rev,
                &self.classes,
                s,
                hay[from..end].iter().rev().copied(),
                tail,
            )
        });
        let begin = end - begin.unwrap_or(0);
        Some(Match { start: begin, end })
    }

    /// Back-references: try each start, longest end by backtracking.
    fn backref_search(&self, hay: &[u8], start: usize, ex: Exec) -> Option<(usize, usize)> {
        let cx = self.cx(hay, ex);
        let mut slots = vec![backtrack::NONE; 2 * (self.groups as usize + 1)];
        let mut pos = start;
        while pos <= hay.len() {
            // The superset DFA says where a match could end first; in line
            // mode, only that line can hold the next match.
            let e = self.earliest(hay, pos, ex)?;
            let (lo, hi) = match self.term.filter(|_| self.flags.lines) {
                Some(t) => (
                    memchr::memrchr(t, &hay[pos..e]).map_or(pos, |i| pos + i + 1),
                    memchr::memchr(t, &hay[e..]).map_or(hay.len(), |i| e + i),
                ),
                None => (pos, hay.len()),
            };
            for s in lo..=hi {
                if let Some(end) = backtrack::run(&self.prog, &cx, s, None, &mut slots) {
                    return Some((s, end));
                }
            }
            pos = hi + 1;
        }
        None
    }

    /// Leftmost-longest match with sub-match positions.
    pub fn captures_at(&self, hay: &[u8], start: usize) -> Option<Captures> {
        self.captures_with(hay, start, Exec::default())
    }

    pub fn captures_with(&self, hay: &[u8], start: usize, ex: Exec) -> Option<Captures> {
        let m = self.find_with(hay, start, ex)?;
        let mut slots = vec![backtrack::NONE; 2 * (self.groups as usize + 1)];
        if self.groups > 0 && !self.flags.nosub {
            let cx = self.cx(hay, ex);
            backtrack::run(&self.prog, &cx, m.start, Some(m.end), &mut slots);
        }
        slots[0] = m.start;
        slots[1] = m.end;
        Some(Captures { slots })
    }

    /// Successive matches, as sed's `s///g` and grep -o take them: after a
    /// match, the search goes on where it ended; an empty match right
    /// where the previous match ended is skipped.
    pub fn find_iter<'r, 'h>(&'r self, hay: &'h [u8]) -> Matches<'r, 'h> {
        Matches {
            re: self,
            hay,
            pos: 0,
            last_end: None,
            ex: Exec::default(),
        }
    }

    /// As `find_iter`, with sub-matches.
    pub fn captures_iter<'r, 'h>(&'r self, hay: &'h [u8]) -> CaptureMatches<'r, 'h> {
        CaptureMatches(self.find_iter(hay))
    }
}

/// Iterator over successive matches (see [`Regex::find_iter`]).
pub struct Matches<'r, 'h> {
    re: &'r Regex,
    hay: &'h [u8],
    pos: usize,
    last_end: Option<usize>,
    ex: Exec,
}

impl Matches<'_, '_> {
    /// Start at `pos` instead of 0, with `ex` as execution flags.
    pub fn from(mut self, pos: usize, ex: Exec) -> Self {
        self.pos = pos;
        self.ex = ex;
        self
    }

    fn next_with(&mut self, caps: bool) -> Option<Captures> {
        loop {
            if self.pos > self.hay.len() {
                return None;
            }
            let c = if caps {
                self.re.captures_with(self.hay, self.pos, self.ex)?
            } else {
                let m = self.re.find_with(self.hay, self.pos, self.ex)?;
                Captures {
                    slots: vec![m.start, m.end],
                }
            };
            let m = c.whole();
            if m.is_empty() && Some(m.start) == self.last_end {
                self.pos = m.start + 1;
                continue;
            }
            self.last_end = Some(m.end);
            self.pos = if m.is_empty() { m.end + 1 } else { m.end };
            return Some(c);
        }
    }
}

impl Iterator for Matches<'_, '_> {
    type Item = Match;
    fn next(&mut self) -> Option<Match> {
        self.next_with(false).map(|c| c.whole())
    }
}

/// Iterator over successive matches with sub-matches.
pub struct CaptureMatches<'r, 'h>(Matches<'r, 'h>);

impl Iterator for CaptureMatches<'_, '_> {
    type Item = Captures;
    fn next(&mut self) -> Option<Captures> {
        self.0.next_with(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bre(p: &str) -> Regex {
        Regex::new(p.as_bytes(), Flags::default()).unwrap()
    }
    fn ere(p: &str) -> Regex {
        Regex::new(
            p.as_bytes(),
            Flags {
                extended: true,
                ..Flags::default()
            },
        )
        .unwrap()
    }
    fn find(re: &Regex, h: &str) -> Option<(usize, usize)> {
        re.find_at(h.as_bytes(), 0).map(|m| (m.start, m.end))
    }
    fn caps(re: &Regex, h: &str) -> Vec<Option<String>> {
        let c = re.captures_at(h.as_bytes(), 0).unwrap();
        (0..c.len())
            .map(|i| c.get(i).map(|m| h[m.start..m.end].to_string()))
            .collect()
    }
    fn err(p: &str, extended: bool) -> Error {
        Regex::new(
            p.as_bytes(),
            Flags {
                extended,
                ..Flags::default()
            },
        )
        .unwrap_err()
    }

    #[test]
    fn literals_and_leftmost_longest() {
        assert_eq!(find(&bre("abc"), "xxabcx"), Some((2, 5)));
        assert_eq!(find(&ere("abcd|c"), "abcd"), Some((0, 4)));
        assert_eq!(find(&ere("a|ab|abc"), "xabcd"), Some((1, 4)));
        assert_eq!(find(&ere("x*"), "abc"), Some((0, 0)));
        assert_eq!(find(&ere("b+"), "abbbc"), Some((1, 4)));
        assert_eq!(find(&ere("(a|ab)(c|bcd)"), "abcd"), Some((0, 4)));
        assert_eq!(find(&bre("a\\{2,3\\}"), "aaaa"), Some((0, 3)));
        assert_eq!(find(&ere("[0-9]{3}-[a-z]+"), "tel 555-abc."), Some((4, 11)));
        assert_eq!(find(&bre("nope"), "abc"), None);
    }

    #[test]
    fn submatches_follow_glibc() {
        assert_eq!(
            caps(&ere("(a|ab)(c|bcd)(d*)"), "abcd"),
            [Some("abcd"), Some("a"), Some("bcd"), Some("")].map(|s| s.map(String::from))
        );
        assert_eq!(
            caps(&ere("(a|ab)*(b*)"), "abab"),
            [Some("abab"), Some("a"), Some("b")].map(|s| s.map(String::from))
        );
        assert_eq!(
            caps(&bre("\\(x*\\)*"), "xyz"),
            [Some("x"), Some("x")].map(|s| s.map(String::from))
        );
        assert_eq!(
            caps(&ere("(a)|b"), "b"),
            [Some("b"), None].map(|s| s.map(String::from))
        );
        assert_eq!(
            caps(&bre("\\([^=]*\\)=\\(.*\\)"), "key=val=x"),
            [Some("key=val=x"), Some("key"), Some("val=x")].map(|s| s.map(String::from))
        );
    }

    #[test]
    fn back_references() {
        assert_eq!(find(&bre("\\(a*\\)b\\1"), "xaabaa"), Some((1, 6)));
        assert_eq!(find(&ere("(.)\\1"), "abccd"), Some((2, 4)));
        assert_eq!(find(&bre("\\(ab\\)\\1"), "ababx"), Some((0, 4)));
        assert_eq!(find(&bre("\\(a\\)\\1"), "ab"), None);
        let re = Regex::new(
            b"\\(a\\)\\1",
            Flags {
                icase: true,
                ..Flags::default()
            },
        )
        .unwrap();
        assert!(re.is_match(b"aA"));
    }

    #[test]
    fn anchors_bre_and_ere() {
        assert_eq!(find(&bre("a^b"), "a^b"), Some((0, 3)));
        assert_eq!(find(&bre("a$b"), "a$b"), Some((0, 3)));
        assert_eq!(find(&ere("a$b"), "a$b"), None);
        assert_eq!(find(&bre("^*a"), "*a"), Some((0, 2)));
        assert_eq!(find(&bre("\\(^a\\)"), "a"), Some((0, 1)));
        assert_eq!(find(&bre("x\\(^a\\)"), "xa"), None);
        assert_eq!(find(&bre("^$"), ""), Some((0, 0)));
        let nl = Regex::new(
            b"^b$",
            Flags {
                newline: true,
                ..Flags::default()
            },
        )
        .unwrap();
        assert_eq!(nl.find_at(b"a\nb\nc", 0), Some(Match { start: 2, end: 3 }));
        assert_eq!(bre("^b$").find_at(b"a\nb\nc", 0), None);
    }

    #[test]
    fn brackets() {
        assert!(bre("[]a]").is_match(b"]"));
        assert!(!bre("[^]a]").is_match(b"a]"));
        assert!(bre("[a-]").is_match(b"-"));
        assert!(bre("[[:digit:]x]").is_match(b"7"));
        assert!(bre("[[=e=]]").is_match(b"e"));
        assert!(bre("[[.-.]]").is_match(b"-"));
        assert!(bre("[\\]").is_match(b"\\"));
        assert!(!bre("[[:alpha:]]").is_match(b"1_"));
    }

    #[test]
    fn gnu_escapes() {
        assert_eq!(find(&bre("\\<b"), "ab b"), Some((3, 4)));
        assert_eq!(find(&bre("a\\>"), "ab a"), Some((3, 4)));
        assert_eq!(find(&bre("\\bx"), "yx x"), Some((3, 4)));
        assert_eq!(find(&bre("\\Bx"), "x yx"), Some((3, 4)));
        assert_eq!(find(&bre("\\w\\+"), "  ab_1 "), Some((2, 6)));
        assert_eq!(find(&bre("\\W"), "ab c"), Some((2, 3)));
        assert_eq!(find(&bre("\\s\\S"), "a b"), Some((1, 3)));
        assert_eq!(find(&bre("a\\|b"), "xb"), Some((1, 2)));
        assert_eq!(find(&bre("ab\\?c"), "ac"), Some((0, 2)));
        assert_eq!(find(&bre("\\`a"), "aa"), Some((0, 1)));
        assert_eq!(find(&bre("a\\'"), "aa"), Some((1, 2)));
    }

    #[test]
    fn case_insensitive() {
        let f = Flags {
            icase: true,
            ..Flags::default()
        };
        let re = Regex::new(b"hello", f).unwrap();
        assert_eq!(
            re.find_at(b"say HeLLo", 0),
            Some(Match { start: 4, end: 9 })
        );
        let re = Regex::new(b"h[a-c]x", f).unwrap();
        assert!(re.is_match(b"HBX"));
    }

    #[test]
    fn errors_use_glibc_messages() {
        assert_eq!(err("[a", false), Error::UnmatchedBracket);
        assert_eq!(err("\\(a", false), Error::UnmatchedParen);
        assert_eq!(err("(a", true), Error::UnmatchedParen);
        assert_eq!(err("a\\)", false), Error::UnmatchedRParen);
        assert_eq!(err("a\\", false), Error::TrailingBackslash);
        assert_eq!(err("\\(a\\)\\2", false), Error::BadBackref);
        assert_eq!(err("a\\{1", false), Error::UnmatchedBrace);
        assert_eq!(err("a\\{2,1\\}", false), Error::BadBrace);
        assert_eq!(err("[z-a]", false), Error::BadRange);
        assert_eq!(err("[[:nope:]]", false), Error::BadClass);
        assert_eq!(err("a{99999}", true), Error::TooBig);
        assert_eq!(err("[[.ab.]]", false), Error::BadCollation);
        assert_eq!(
            Error::UnmatchedBracket.message(),
            "Unmatched [, [^, [:, [., or [="
        );
    }

    #[test]
    fn gnu_leniencies() {
        assert_eq!(find(&ere("a{1"), "a{1"), Some((0, 3)));
        assert_eq!(find(&ere("*a"), "xa"), Some((1, 2)));
        assert_eq!(find(&ere(")"), "a)"), Some((1, 2)));
        assert_eq!(find(&bre("\\{1\\}"), "{1}"), Some((0, 3)));
        assert_eq!(ere("*a").warnings(), ["* at start of expression"]);
    }

    #[test]
    fn iteration_skips_empty_match_after_match() {
        let re = ere("b*");
        let v: Vec<(usize, usize)> = re.find_iter(b"abc").map(|m| (m.start, m.end)).collect();
        assert_eq!(v, [(0, 0), (1, 2), (3, 3)]);
        let re = ere("x*");
        assert_eq!(re.find_iter(b"ab").count(), 3);
    }

    #[test]
    fn line_mode_does_not_span_lines() {
        let f = Flags {
            lines: true,
            extended: true,
            ..Flags::default()
        };
        let re = Regex::new(b"a\\sb", f).unwrap();
        assert_eq!(re.shortest_end(b"a\nb\na b", 0), Some(7));
        let re = Regex::new(b"x$", f).unwrap();
        assert_eq!(re.find_at(b"ax\nb", 0), Some(Match { start: 1, end: 2 }));
    }

    #[test]
    fn word_and_line_flags() {
        let w = Flags {
            word: true,
            ..Flags::default()
        };
        let re = Regex::new(b"foo", w).unwrap();
        assert_eq!(
            re.find_at(b"foobar foo", 0),
            Some(Match { start: 7, end: 10 })
        );
        let re = Regex::new(b"@x", w).unwrap();
        assert!(re.is_match(b"a @x"));
        let x = Flags {
            whole_line: true,
            extended: true,
            ..Flags::default()
        };
        let re = Regex::new(b"a|aa", x).unwrap();
        assert!(re.is_match(b"aa"));
        assert!(!re.is_match(b"aaa"));
    }

    #[test]
    fn pathological_patterns_stay_linear() {
        let re = ere("(a*)*b");
        let hay = vec![b'a'; 20000];
        assert!(!re.is_match(&hay));
        assert_eq!(re.captures_at(&hay, 0), None);
        let re = ere("(x+x+)+y");
        assert!(!re.is_match(&vec![b'x'; 5000]));
    }
}
