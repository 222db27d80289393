//! fmt: fill and join paragraphs. Breaks lines the way GNU fmt does: a
//! paragraph's line breaks are chosen together (dynamic programming over
//! word positions) to minimise a cost that prefers lines near the goal
//! width (93% of the maximum), lines of similar length, breaks after
//! sentences and punctuation, and avoids one-word last lines and breaks
//! right after a sentence's first word. Options: `-w WIDTH` (`-WIDTH`),
//! `-g GOAL`, `-p PREFIX`, `-s` split only, `-u` uniform spacing, `-c`
//! crown margin, `-t` tagged paragraphs. Indentation is kept; tabs are
//! used in output indentation when the input had any.

use ibex::Status;
use ibex::args::{Parser, Spec, flag, value};
use ibex::io::Out;
use ibex::sys;
use std::ffi::{OsStr, OsString};
use std::os::unix::ffi::OsStrExt;

const LONGS: &[ibex::args::Long] = &[
    flag("crown-margin", 'c' as u32),
    value("prefix", 'p' as u32),
    flag("split-only", 's' as u32),
    flag("tagged-paragraph", 't' as u32),
    flag("uniform-spacing", 'u' as u32),
    value("width", 'w' as u32),
    value("goal", 'g' as u32),
];

const SPEC: Spec = Spec::new(
    "cp:stuw:g:",
    LONGS,
    ibex::usage!(
        fmt,
        "fmt [-WIDTH] [-cstu] [-w WIDTH] [-g GOAL] [-p PREFIX] [FILE]...\n\n\
         Reformat paragraphs of FILEs to standard output\n\n\
         \t-c\tKeep the indentation of the first two lines (--crown-margin)\n\
         \t-p STR\tOnly reformat lines starting with STR, keeping it (--prefix)\n\
         \t-s\tSplit long lines but don't join short ones (--split-only)\n\
         \t-t\tFirst line indented differently from the second (--tagged-paragraph)\n\
         \t-u\tOne space between words, two after sentences (--uniform-spacing)\n\
         \t-w N\tMaximum line width, default 75 (--width)\n\
         \t-g N\tGoal width, default 93% of the width (--goal)"
    ),
)
.digits('w' as u32);

/// Longest paragraph held at once, in words and bytes; longer ones are
/// written in pieces.
const MAX_WORDS: usize = 1000;
const MAX_CHARS: usize = 5000;
const TAB: usize = 8;

type Cost = i64;

const fn equiv(n: i64) -> Cost {
    n * n
}
const fn short_cost(n: i64) -> Cost {
    equiv(n * 10)
}
const fn ragged_cost(n: i64) -> Cost {
    short_cost(n) / 2
}
const LINE_COST: Cost = equiv(70);
const SENTENCE_BONUS: Cost = equiv(50);
const NOBREAK_COST: Cost = equiv(600);
const PAREN_BONUS: Cost = equiv(40);
const PUNCT_BONUS: Cost = equiv(40);
const fn widow_cost(n: usize) -> Cost {
    equiv(200) / (n as i64 + 2)
}
const fn orphan_cost(n: usize) -> Cost {
    equiv(150) / (n as i64 + 2)
}

#[derive(Clone, Copy, Default)]
struct Word {
    /// Offset and length in the paragraph text.
    at: usize,
    len: usize,
    /// Columns of space after the word.
    space: usize,
    paren: bool,
    punct: bool,
    period: bool,
    /// Ends a sentence.
    last: bool,
    /// The best line starting here: its length, where the next line
    /// starts, and the cost of this line and all after it.
    line_len: usize,
    next: usize,
    best: Cost,
}

/// Input with one byte of lookahead, as the paragraph reader wants it.
struct Input {
    fd: i32,
    buf: Vec<u8>,
    pos: usize,
    end: usize,
    err: Option<std::io::Error>,
}

impl Input {
    fn getc(&mut self) -> Option<u8> {
        if self.pos == self.end {
            if self.err.is_some() {
                return None;
            }
            loop {
                match sys::read(self.fd, &mut self.buf) {
                    Ok(0) => return None,
                    Ok(n) => {
                        self.pos = 0;
                        self.end = n;
                        break;
                    }
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                    Err(e) => {
                        self.err = Some(e);
                        return None;
                    }
                }
            }
        }
        let c = self.buf[self.pos];
        self.pos += 1;
        Some(c)
    }
}

struct Fmt {
    // Options.
    width: usize,
    goal: usize,
    split: bool,
    uniform: bool,
    crown: bool,
    tagged: bool,
    /// The prefix without leading blanks, its length with and without
    /// trailing blanks, and how many leading blanks it had.
    prefix: Vec<u8>,
    prefix_full: usize,
    prefix_lead: usize,
    // Input state.
    tabs: bool,
    in_column: usize,
    next_prefix_indent: usize,
    prefix_indent: usize,
    first_indent: usize,
    other_indent: usize,
    out_column: usize,
    text: Vec<u8>,
    words: Vec<Word>,
    out: Out,
}

fn width_arg(v: &OsStr, max: usize) -> Result<usize, ibex::Exit> {
    let b = v.as_bytes();
    let q = ibex::copy::quote(b);
    match ibex::num::parse_u64(ibex::num::trim_start(b)) {
        Ok(n) if n <= max as u64 => Ok(n as usize),
        Ok(_) | Err(ibex::num::NumError::Range) => {
            ibex::msg!("invalid width: ", q, ": Numerical result out of range");
            Err(ibex::Exit(1))
        }
        Err(_) => {
            ibex::msg!("invalid width: ", q);
            Err(ibex::Exit(1))
        }
    }
}

pub fn main(argv: &[OsString]) -> Status {
    let mut f = Fmt {
        width: 75,
        goal: 0,
        split: false,
        uniform: false,
        crown: false,
        tagged: false,
        prefix: Vec::new(),
        prefix_full: 0,
        prefix_lead: 0,
        tabs: false,
        in_column: 0,
        next_prefix_indent: 0,
        prefix_indent: 0,
        first_indent: 0,
        other_indent: 0,
        out_column: 0,
        text: Vec::new(),
        words: Vec::new(),
        out: Out::stdout(),
    };
    let mut width: Option<&OsStr> = None;
    let mut goal: Option<&OsStr> = None;
    let mut p = Parser::new(argv, &SPEC);
    while let Some((id, v)) = p.next()? {
        match char::from_u32(id).unwrap_or('\0') {
            'c' => f.crown = true,
            's' => f.split = true,
            't' => f.tagged = true,
            'u' => f.uniform = true,
            'w' => width = v,
            'g' => goal = v,
            _ => {
                let v = v.unwrap_or_default().as_bytes();
                f.prefix_lead = v.iter().take_while(|&&c| c == b' ').count();
                let rest = &v[f.prefix_lead..];
                f.prefix_full = rest.len();
                let trimmed = rest.len() - rest.iter().rev().take_while(|&&c| c == b' ').count();
                f.prefix = rest[..trimmed].to_vec();
            }
        }
    }
    if let Some(w) = width {
        f.width = width_arg(w, MAX_CHARS / 2)?;
    }
    match goal {
        Some(g) => {
            f.goal = width_arg(g, f.width)?;
            if width.is_none() {
                f.width = f.goal + 10;
            }
        }
        None => f.goal = f.width * 187 / 200,
    }
    let mut files = p.operands();
    if files.is_empty() {
        files.push(OsStr::new("-"));
    }
    let mut status = 0;
    for name in files {
        let input = match ibex::io::Input::open(name.as_bytes()) {
            Ok(i) => i,
            Err(e) => {
                ibex::msg!(
                    "cannot open ",
                    ibex::copy::quote(name.as_bytes()),
                    " for reading: ",
                    e
                );
                status = 1;
                continue;
            }
        };
        let mut inp = Input {
            fd: input.fd(),
            buf: vec![0; 64 * 1024],
            pos: 0,
            end: 0,
            err: None,
        };
        f.file(&mut inp);
        if let Some(e) = inp.err {
            let shown: &[u8] = if name.as_bytes() == b"-" {
                b"-"
            } else {
                name.as_bytes()
            };
            ibex::msg!("read error: ", ibex::copy::quote(shown), ": ", e);
            status = 1;
        }
        if f.out.failed() {
            break;
        }
    }
    f.out.done(status)
}

fn is_open(c: u8) -> bool {
    b"(['`\"".contains(&c)
}
fn is_close(c: u8) -> bool {
    b")]'\"".contains(&c)
}
fn is_period(c: u8) -> bool {
    b".?!".contains(&c)
}

impl Fmt {
    fn file(&mut self, inp: &mut Input) {
        self.tabs = false;
        self.other_indent = 0;
        let mut c = self.prefix_of(inp);
        while let Some(next) = self.paragraph(inp, c) {
            c = next;
            self.fill();
            self.put_paragraph(self.words.len() - 1);
            if self.out.failed() {
                return;
            }
        }
    }

    /// Skip blanks, counting columns.
    fn blanks(&mut self, inp: &mut Input, mut c: Option<u8>) -> Option<u8> {
        loop {
            match c {
                Some(b' ') => self.in_column += 1,
                Some(b'\t') => {
                    self.tabs = true;
                    self.in_column = (self.in_column / TAB + 1) * TAB;
                }
                _ => return c,
            }
            c = inp.getc();
        }
    }

    /// Read a line's indentation and prefix; returns the next byte.
    fn prefix_of(&mut self, inp: &mut Input) -> Option<u8> {
        self.in_column = 0;
        let first = inp.getc();
        let mut c = self.blanks(inp, first);
        if self.prefix.is_empty() {
            self.next_prefix_indent = self.prefix_lead.min(self.in_column);
        } else {
            self.next_prefix_indent = self.in_column;
            for i in 0..self.prefix.len() {
                if c != Some(self.prefix[i]) {
                    return c;
                }
                self.in_column += 1;
                c = inp.getc();
            }
            c = self.blanks(inp, c);
        }
        c
    }

    fn same_paragraph(&self, c: Option<u8>) -> bool {
        self.next_prefix_indent == self.prefix_indent
            && self.in_column >= self.next_prefix_indent + self.prefix_full
            && c.is_some_and(|c| c != b'\n')
    }

    /// Read the next paragraph into `words` (with an end sentinel), copying
    /// the blank and unprefixed lines before it. Returns the byte after
    /// it, or None at the end of input.
    fn paragraph(&mut self, inp: &mut Input, mut c: Option<u8>) -> Option<Option<u8>> {
        while c.is_none()
            || c == Some(b'\n')
            || self.next_prefix_indent < self.prefix_lead
            || self.in_column < self.next_prefix_indent + self.prefix_full
        {
            c = self.copy_rest(inp, c);
            c?;
            self.out.byte(b'\n');
            c = self.prefix_of(inp);
        }
        self.prefix_indent = self.next_prefix_indent;
        self.first_indent = self.in_column;
        self.text.clear();
        self.words.clear();
        c = self.line(inp, c);
        let same = self.same_paragraph(c);
        self.set_other_indent(same);
        if self.split {
        } else if self.crown {
            if self.same_paragraph(c) {
                loop {
                    c = self.line(inp, c);
                    if !(self.same_paragraph(c) && self.in_column == self.other_indent) {
                        break;
                    }
                }
            }
        } else if self.tagged {
            if self.same_paragraph(c) && self.in_column != self.first_indent {
                loop {
                    c = self.line(inp, c);
                    if !(self.same_paragraph(c) && self.in_column == self.other_indent) {
                        break;
                    }
                }
            }
        } else {
            while self.same_paragraph(c) && self.in_column == self.other_indent {
                c = self.line(inp, c);
            }
        }
        // The paragraph's last word ends it like a sentence would.
        if let Some(w) = self.words.last_mut() {
            w.last = true;
        }
        self.words.push(Word::default());
        Some(c)
    }

    fn set_other_indent(&mut self, same: bool) {
        if self.split {
            self.other_indent = self.first_indent;
        } else if self.crown {
            self.other_indent = if same {
                self.in_column
            } else {
                self.first_indent
            };
        } else if self.tagged {
            if same && self.in_column != self.first_indent {
                self.other_indent = self.in_column;
            } else if self.other_indent == self.first_indent {
                self.other_indent = if self.first_indent == 0 { 3 } else { 0 };
            }
        } else {
            self.other_indent = self.first_indent;
        }
    }

    /// Copy the rest of a line that is not reformatted.
    fn copy_rest(&mut self, inp: &mut Input, mut c: Option<u8>) -> Option<u8> {
        self.out_column = 0;
        if self.in_column > self.next_prefix_indent || c.is_some_and(|c| c != b'\n') {
            self.put_space(self.next_prefix_indent);
            let mut i = 0;
            while self.out_column != self.in_column && i < self.prefix.len() {
                self.out.byte(self.prefix[i]);
                i += 1;
                self.out_column += 1;
            }
            if c.is_some_and(|c| c != b'\n') {
                self.put_space(self.in_column - self.out_column);
            }
            if c.is_none() && self.in_column >= self.next_prefix_indent + self.prefix.len() {
                self.out.byte(b'\n');
            }
        }
        while let Some(ch) = c {
            if ch == b'\n' {
                break;
            }
            self.out.byte(ch);
            c = inp.getc();
        }
        c
    }

    /// Read the words of one line; returns the byte after the next
    /// line's prefix.
    fn line(&mut self, inp: &mut Input, mut c: Option<u8>) -> Option<u8> {
        loop {
            let mut at = self.text.len();
            // A word runs to white space (it has at least one byte).
            while let Some(ch) = c {
                if self.text.len() >= MAX_CHARS {
                    self.set_other_indent(true);
                    at = self.flush_paragraph(at);
                }
                self.text.push(ch);
                c = inp.getc();
                if c.is_none_or(|c| c.is_ascii_whitespace()) {
                    break;
                }
            }
            let mut w = Word {
                at,
                len: self.text.len() - at,
                ..Word::default()
            };
            if w.len > 0 {
                let t = &self.text[at..];
                w.paren = is_open(t[0]);
                w.punct = t[t.len() - 1].is_ascii_punctuation();
                let mut fin = t.len() - 1;
                while fin > 0 && is_close(t[fin]) {
                    fin -= 1;
                }
                w.period = is_period(t[fin]);
            }
            self.in_column += w.len;
            let start = self.in_column;
            c = self.blanks(inp, c);
            w.space = self.in_column - start;
            w.last = c.is_none() || (w.period && (c == Some(b'\n') || w.space > 1));
            if c.is_none() || c == Some(b'\n') || self.uniform {
                w.space = if w.last { 2 } else { 1 };
            }
            if self.words.len() == MAX_WORDS {
                // Too many words: this one stays for the next piece.
                self.set_other_indent(true);
                w.at = self.flush_paragraph(w.at);
            }
            self.words.push(w);
            if c.is_none() || c == Some(b'\n') {
                break;
            }
        }
        self.prefix_of(inp)
    }

    /// The cost of a line of length `len` ending before word `next`.
    fn line_cost(&self, next: usize, len: usize) -> Cost {
        let end = self.words.len() - 1;
        if next == end {
            return 0;
        }
        let mut cost = short_cost(self.goal as i64 - len as i64);
        if self.words[next].next != end {
            cost += ragged_cost(len as i64 - self.words[next].line_len as i64);
        }
        cost
    }

    /// The cost of breaking the line before word `i`, and of the line
    /// starting there.
    fn base_cost(&self, i: usize) -> Cost {
        let w = &self.words;
        let mut cost = LINE_COST;
        if i > 0 {
            let prev = &w[i - 1];
            if prev.period {
                if prev.last {
                    cost -= SENTENCE_BONUS;
                } else {
                    cost += NOBREAK_COST;
                }
            } else if prev.punct {
                cost -= PUNCT_BONUS;
            } else if i > 1 && w[i - 2].last {
                cost += widow_cost(prev.len);
            }
        }
        if w[i].paren {
            cost -= PAREN_BONUS;
        } else if w[i].last {
            cost += orphan_cost(w[i].len);
        }
        cost
    }

    /// Choose the line breaks of the paragraph in `words` (whose last
    /// entry is the end sentinel), from the last word back.
    fn fill(&mut self) {
        let end = self.words.len() - 1;
        self.words[end].best = 0;
        let saved = self.words[end].len;
        self.words[end].len = self.width;
        for start in (0..end).rev() {
            let mut best = Cost::MAX;
            let mut len = if start == 0 {
                self.first_indent
            } else {
                self.other_indent
            };
            len += self.words[start].len;
            let mut w = start;
            loop {
                w += 1;
                let cost = self.line_cost(w, len).saturating_add(self.words[w].best);
                if cost < best {
                    best = cost;
                    self.words[start].next = w;
                    self.words[start].line_len = len;
                }
                if w == end {
                    break;
                }
                len += self.words[w - 1].space + self.words[w].len;
                if len >= self.width {
                    break;
                }
            }
            self.words[start].best = best.saturating_add(self.base_cost(start));
        }
        self.words[end].len = saved;
    }

    /// A paragraph too long to hold: format it, write it up to a good
    /// break near the end, and keep the rest as the paragraph's start.
    /// `at` is where the word being read starts; returns where it is now.
    fn flush_paragraph(&mut self, at: usize) -> usize {
        if self.words.is_empty() {
            self.out.write(&self.text);
            self.text.clear();
            return 0;
        }
        // The word being read is the end sentinel.
        self.words.push(Word {
            at,
            ..Word::default()
        });
        self.fill();
        let end = self.words.len() - 1;
        let mut split = end;
        let mut best_break = Cost::MAX;
        let mut w = self.words[0].next;
        while w != end {
            let d = self.words[w].best - self.words[self.words[w].next].best;
            if d < best_break {
                split = w;
                best_break = d;
            }
            if best_break <= Cost::MAX - LINE_COST {
                best_break += LINE_COST;
            }
            w = self.words[w].next;
        }
        self.put_paragraph(split);
        let shift = self.words[split].at;
        self.text.drain(..shift);
        self.words.drain(..split);
        self.words.pop();
        for w in self.words.iter_mut() {
            w.at -= shift;
        }
        at - shift
    }

    fn put_paragraph(&mut self, finish: usize) {
        self.put_line(0, self.first_indent);
        let mut w = self.words[0].next;
        while w != finish {
            self.put_line(w, self.other_indent);
            w = self.words[w].next;
        }
    }

    fn put_line(&mut self, mut w: usize, indent: usize) {
        self.out_column = 0;
        self.put_space(self.prefix_indent);
        self.out.write(&self.prefix);
        self.out_column += self.prefix.len();
        self.put_space(indent.saturating_sub(self.out_column));
        let last = self.words[w].next - 1;
        while w != last {
            self.put_word(w);
            self.put_space(self.words[w].space);
            w += 1;
        }
        self.put_word(w);
        self.out.byte(b'\n');
    }

    fn put_word(&mut self, w: usize) {
        let Word { at, len, .. } = self.words[w];
        self.out.write(&self.text[at..at + len]);
        self.out_column += len;
    }

    fn put_space(&mut self, space: usize) {
        let target = self.out_column + space;
        if self.tabs {
            let tab_target = target / TAB * TAB;
            if self.out_column + 1 < tab_target {
                while self.out_column < tab_target {
                    self.out.byte(b'\t');
                    self.out_column = (self.out_column / TAB + 1) * TAB;
                }
            }
        }
        while self.out_column < target {
            self.out.byte(b' ');
            self.out_column += 1;
        }
    }
}
