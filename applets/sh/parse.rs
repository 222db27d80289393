//! Lexer and recursive-descent parser for the POSIX shell language
//! (XCU 2.3 token recognition, 2.10 grammar). The parser reads one complete
//! command at a time, so aliases defined by one line apply to the next and a
//! script read from a pipe is read only as far as needed.

use super::ast::*;
use std::collections::HashMap;
use std::rc::Rc;

/// Alias names and their values.
pub type Aliases = HashMap<Vec<u8>, Vec<u8>>;

/// Supplies more input, a line at a time; `None` at end of input.
pub type Reader<'a> = &'a mut dyn FnMut() -> Option<Vec<u8>>;

#[derive(Debug)]
pub struct ParseError {
    pub msg: Vec<u8>,
    pub line: u32,
    /// The input ended inside a construct (an interactive shell would ask
    /// for more).
    pub eof: bool,
}

type PResult<T> = Result<T, ParseError>;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Op {
    AndIf,
    OrIf,
    Semi,
    DSemi,
    SemiAnd,
    Amp,
    Pipe,
    LParen,
    RParen,
    Less,
    Great,
    DGreat,
    LessAnd,
    GreatAnd,
    LessGreat,
    DLess,
    DLessDash,
    /// `<<<`, bash's here-string (also in BusyBox ash).
    TLess,
    Clobber,
    AndGreat,
    AndDGreat,
    PipeAmp,
    DSemiAnd,
}

impl Op {
    fn text(self) -> &'static str {
        match self {
            Op::AndIf => "&&",
            Op::OrIf => "||",
            Op::Semi => ";",
            Op::DSemi => ";;",
            Op::SemiAnd => ";&",
            Op::Amp => "&",
            Op::Pipe => "|",
            Op::LParen => "(",
            Op::RParen => ")",
            Op::Less => "<",
            Op::Great => ">",
            Op::DGreat => ">>",
            Op::LessAnd => "<&",
            Op::GreatAnd => ">&",
            Op::LessGreat => "<>",
            Op::DLess => "<<",
            Op::DLessDash => "<<-",
            Op::TLess => "<<<",
            Op::Clobber => ">|",
            Op::AndGreat => "&>",
            Op::AndDGreat => "&>>",
            Op::PipeAmp => "|&",
            Op::DSemiAnd => ";;&",
        }
    }

    fn redir(self) -> Option<RedirOp> {
        Some(match self {
            Op::Less => RedirOp::In,
            Op::Great => RedirOp::Out,
            Op::DGreat => RedirOp::Append,
            Op::LessAnd => RedirOp::DupIn,
            Op::GreatAnd => RedirOp::DupOut,
            Op::LessGreat => RedirOp::ReadWrite,
            Op::DLess | Op::DLessDash => RedirOp::HereDoc,
            Op::TLess => RedirOp::HereString,
            Op::Clobber => RedirOp::Clobber,
            Op::AndGreat => RedirOp::OutErr,
            Op::AndDGreat => RedirOp::AppendErr,
            _ => return None,
        })
    }
}

#[derive(Debug)]
enum Tok {
    Word(Word),
    IoNumber(i32),
    Op(Op),
    Newline,
    Eof,
}

struct Frame {
    text: Vec<u8>,
    pos: usize,
    /// The alias whose value this frame holds, and the aliases whose text
    /// produced it: none of them is substituted again inside.
    chain: Vec<Box<[u8]>>,
}

struct PendingHereDoc {
    doc: Rc<HereDoc>,
    delim: Vec<u8>,
    strip_tabs: bool,
}

const RESERVED: &[&str] = &[
    "!", "{", "}", "case", "do", "done", "elif", "else", "esac", "fi", "for", "if", "in", "then",
    "until", "while",
];

/// Whether a word is one of the shell's reserved words.
pub fn is_reserved_word(w: &[u8]) -> bool {
    RESERVED.iter().any(|r| r.as_bytes() == w)
}

pub fn is_name_start(c: u8) -> bool {
    c.is_ascii_alphabetic() || c == b'_'
}

pub fn is_name_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

pub fn is_name(s: &[u8]) -> bool {
    matches!(s.first(), Some(&c) if is_name_start(c)) && s.iter().all(|&c| is_name_char(c))
}

pub fn is_special_param(c: u8) -> bool {
    matches!(c, b'@' | b'*' | b'#' | b'?' | b'-' | b'$' | b'!' | b'0')
}

/// Accumulates word parts, merging adjacent literal text of one kind.
#[derive(Default)]
struct Parts {
    parts: Vec<Part>,
    buf: Vec<u8>,
    quoted: bool,
}

impl Parts {
    fn flush(&mut self) {
        if !self.buf.is_empty() {
            let text = std::mem::take(&mut self.buf).into_boxed_slice();
            self.parts.push(if self.quoted {
                Part::Quoted(text)
            } else {
                Part::Lit(text)
            });
        }
    }
    fn lit(&mut self, c: u8) {
        if self.quoted {
            self.flush();
            self.quoted = false;
        }
        self.buf.push(c);
    }
    fn quoted(&mut self, c: u8) {
        if !self.quoted {
            self.flush();
            self.quoted = true;
        }
        self.buf.push(c);
    }
    fn quoted_bytes(&mut self, s: &[u8]) {
        if !self.quoted {
            self.flush();
            self.quoted = true;
        }
        self.buf.extend_from_slice(s);
    }
    fn part(&mut self, p: Part) {
        self.flush();
        self.parts.push(p);
    }
    fn finish(mut self) -> Vec<Part> {
        self.flush();
        self.parts
    }
    fn is_empty(&self) -> bool {
        self.parts.is_empty() && self.buf.is_empty()
    }
}

/// Where a run of word text is being read, which decides what is special.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Ctx {
    /// Inside double quotes.
    Double,
    /// A here-document body: like double quotes, but `"` is ordinary.
    HereDoc,
    /// Inside `$(( ))`.
    Arith,
    /// Inside bash's old `$[ ]`.
    ArithBracket,
}

pub struct Parser<'a> {
    frames: Vec<Frame>,
    reader: Option<Reader<'a>>,
    aliases: Option<Rc<Aliases>>,
    pub line: u32,
    tok: Option<Tok>,
    /// Line of the peeked token's start.
    tok_line: u32,
    heredocs: Vec<PendingHereDoc>,
    /// The last alias substituted ended in a blank: check the next word too.
    /// After an alias whose value ends in a blank: the depth of its frame;
    /// the first word after that text is checked for an alias too.
    alias_next: usize,
    /// Aliases whose text ended while the current token was read: still
    /// not to be substituted again for this token.
    expired: Vec<Box<[u8]>>,
    /// Nesting of `$(`, so `)` can end a command substitution.
    depth: u32,
}

impl<'a> Parser<'a> {
    pub fn new(text: Vec<u8>, reader: Option<Reader<'a>>, line: u32) -> Parser<'a> {
        Parser {
            frames: vec![Frame {
                text,
                pos: 0,
                chain: Vec::new(),
            }],
            reader,
            aliases: None,
            line,
            tok: None,
            tok_line: line,
            heredocs: Vec::new(),
            alias_next: 0,
            expired: Vec::new(),
            depth: 0,
        }
    }

    /// Use these aliases from now on (the shell passes its current set
    /// before each command, so `alias` on one line affects the next).
    pub fn set_aliases(&mut self, aliases: &Rc<Aliases>) {
        self.aliases = if aliases.is_empty() {
            None
        } else {
            Some(aliases.clone())
        };
    }

    // ------------------------------------------------------------ input

    fn refill(&mut self) -> bool {
        let Some(reader) = self.reader.as_mut() else {
            return false;
        };
        match reader() {
            Some(more) if !more.is_empty() => {
                if let Some(f) = self.frames.first_mut() {
                    f.text.extend_from_slice(&more);
                }
                true
            }
            _ => {
                self.reader = None;
                false
            }
        }
    }

    fn peek(&mut self) -> Option<u8> {
        loop {
            let n = self.frames.len();
            let f = self.frames.last()?;
            if f.pos < f.text.len() {
                return f.text.get(f.pos).copied();
            }
            if n > 1 {
                if let Some(f) = self.frames.pop() {
                    self.expired.extend(f.chain);
                }
                continue;
            }
            if !self.refill() {
                return None;
            }
        }
    }

    /// The byte `n` places after the current one.
    fn peek_at(&mut self, n: usize) -> Option<u8> {
        self.peek()?;
        let mut need = n;
        let mut i = self.frames.len();
        while i > 0 {
            i -= 1;
            let f = &self.frames[i];
            let avail = f.text.len() - f.pos;
            if need < avail {
                return f.text.get(f.pos + need).copied();
            }
            need -= avail;
            if i == 0 {
                if !self.refill() {
                    return None;
                }
                i = 1; // look at the bottom frame again
            }
        }
        None
    }

    fn bump(&mut self) -> Option<u8> {
        let c = self.peek()?;
        let bottom = self.frames.len() == 1;
        if let Some(f) = self.frames.last_mut() {
            f.pos += 1;
        }
        if c == b'\n' && bottom {
            self.line += 1;
        }
        Some(c)
    }

    /// Skip backslash-newline pairs (line continuations) at this point.
    fn skip_continuations(&mut self) {
        while self.peek() == Some(b'\\') && self.peek_at(1) == Some(b'\n') {
            self.bump();
            self.bump();
        }
    }

    fn error(&self, msg: impl AsRef<[u8]>) -> ParseError {
        ParseError {
            msg: msg.as_ref().to_vec(),
            line: self.line,
            eof: false,
        }
    }

    fn eof_error(&self, what: &str) -> ParseError {
        ParseError {
            msg: format!("end of file unexpected ({what})").into_bytes(),
            line: self.line,
            eof: true,
        }
    }

    fn unexpected(&self, tok: &Tok) -> ParseError {
        let text: Vec<u8> = match tok {
            Tok::Word(w) => w.unquoted_text(),
            Tok::IoNumber(n) => n.to_string().into_bytes(),
            Tok::Op(op) => op.text().as_bytes().to_vec(),
            Tok::Newline => b"newline".to_vec(),
            Tok::Eof => return self.eof_error("expecting a command"),
        };
        let mut m = b"\"".to_vec();
        m.extend_from_slice(&text);
        m.extend_from_slice(b"\" unexpected");
        self.error(m)
    }

    // ------------------------------------------------------------ tokens

    fn peek_tok(&mut self) -> PResult<&Tok> {
        if self.tok.is_none() {
            let t = self.lex()?;
            self.tok = Some(t);
        }
        Ok(self.tok.get_or_insert(Tok::Eof))
    }

    fn next_tok(&mut self) -> PResult<Tok> {
        match self.tok.take() {
            Some(t) => Ok(t),
            None => self.lex(),
        }
    }

    /// Peek the next token in command position: aliases are substituted.
    fn peek_cmd_tok(&mut self) -> PResult<&Tok> {
        loop {
            self.peek_tok()?;
            if !self.try_alias() {
                break;
            }
        }
        self.peek_tok()
    }

    /// If the peeked token is an alias, replace it by the alias value.
    fn try_alias(&mut self) -> bool {
        let Some(aliases) = self.aliases.clone() else {
            return false;
        };
        let Some(Tok::Word(w)) = &self.tok else {
            return false;
        };
        let Some(name) = w.as_literal() else {
            return false;
        };
        if RESERVED.iter().any(|r| r.as_bytes() == name) {
            return false;
        }
        let Some(value) = aliases.get(name) else {
            return false;
        };
        if self
            .frames
            .iter()
            .any(|f| f.chain.iter().any(|c| &**c == name))
            || self.expired.iter().any(|e| &**e == name)
        {
            return false;
        }
        let blank = matches!(value.last(), Some(b' ' | b'\t'));
        let mut chain = vec![Box::from(name)];
        chain.extend(self.expired.iter().cloned());
        let frame = Frame {
            text: value.clone(),
            pos: 0,
            chain,
        };
        self.tok = None;
        self.frames.push(frame);
        self.alias_next = if blank { self.frames.len() } else { 0 };
        true
    }

    fn is_reserved(tok: &Tok, word: &str) -> bool {
        matches!(tok, Tok::Word(w) if w.as_literal() == Some(word.as_bytes()))
    }

    fn lex(&mut self) -> PResult<Tok> {
        loop {
            match self.peek() {
                Some(b' ' | b'\t') => {
                    self.bump();
                }
                Some(b'\\') if self.peek_at(1) == Some(b'\n') => {
                    self.bump();
                    self.bump();
                }
                Some(b'#') => {
                    while !matches!(self.peek(), None | Some(b'\n')) {
                        self.bump();
                    }
                }
                _ => break,
            }
        }
        self.tok_line = self.line;
        let Some(c) = self.peek() else {
            return Ok(Tok::Eof);
        };
        self.expired.clear();
        if c == b'\n' {
            self.bump();
            self.read_heredocs()?;
            return Ok(Tok::Newline);
        }
        if let Some(op) = self.lex_op(c) {
            return Ok(Tok::Op(op));
        }
        let word = self.lex_word()?;
        if let Some(digits) = word.as_literal()
            && digits.iter().all(u8::is_ascii_digit)
            && matches!(self.peek(), Some(b'<' | b'>'))
        {
            let n = std::str::from_utf8(digits)
                .ok()
                .and_then(|s| s.parse::<i32>().ok());
            return match n {
                Some(n) => Ok(Tok::IoNumber(n)),
                None => Err(self.error("bad file descriptor number")),
            };
        }
        Ok(Tok::Word(word))
    }

    fn lex_op(&mut self, c: u8) -> Option<Op> {
        let next = |p: &mut Self| {
            p.skip_continuations_after_first();
            p.peek_at(1)
        };
        let op = match c {
            b'&' => match next(self) {
                Some(b'&') => Op::AndIf,
                Some(b'>') => {
                    self.bump();
                    self.skip_continuations_after_first();
                    if self.peek_at(1) == Some(b'>') {
                        self.bump();
                        self.bump();
                        return Some(Op::AndDGreat);
                    }
                    self.bump();
                    return Some(Op::AndGreat);
                }
                _ => Op::Amp,
            },
            b'|' => match next(self) {
                Some(b'|') => Op::OrIf,
                Some(b'&') => Op::PipeAmp,
                _ => Op::Pipe,
            },
            b';' => match next(self) {
                Some(b';') if self.peek_at(2) == Some(b'&') => {
                    self.bump();
                    self.bump();
                    self.bump();
                    return Some(Op::DSemiAnd);
                }
                Some(b';') => Op::DSemi,
                Some(b'&') => Op::SemiAnd,
                _ => Op::Semi,
            },
            b'(' => Op::LParen,
            b')' => Op::RParen,
            b'<' => match next(self) {
                Some(b'&') => Op::LessAnd,
                Some(b'>') => Op::LessGreat,
                Some(b'<') => {
                    self.bump();
                    self.bump();
                    self.skip_continuations();
                    match self.peek() {
                        Some(b'-') => {
                            self.bump();
                            return Some(Op::DLessDash);
                        }
                        Some(b'<') => {
                            self.bump();
                            return Some(Op::TLess);
                        }
                        _ => return Some(Op::DLess),
                    }
                }
                _ => Op::Less,
            },
            b'>' => match next(self) {
                Some(b'>') => Op::DGreat,
                Some(b'&') => Op::GreatAnd,
                Some(b'|') => Op::Clobber,
                _ => Op::Great,
            },
            _ => return None,
        };
        for _ in 0..op.text().len() {
            self.bump();
        }
        Some(op)
    }

    /// Remove line continuations right after the current byte (so `&\` +
    /// newline + `&` is still `&&`).
    fn skip_continuations_after_first(&mut self) {
        while self.peek_at(1) == Some(b'\\') && self.peek_at(2) == Some(b'\n') {
            // Drop the two bytes after the current one.
            if let Some(f) = self.frames.last_mut()
                && f.pos + 2 < f.text.len()
            {
                f.text.drain(f.pos + 1..f.pos + 3);
                self.line += u32::from(self.frames.len() == 1);
                continue;
            }
            break;
        }
    }

    // ------------------------------------------------------------ words

    fn lex_word(&mut self) -> PResult<Word> {
        let mut parts = Parts::default();
        while let Some(c) = self.peek() {
            match c {
                b' ' | b'\t' | b'\n' | b';' | b'&' | b'|' | b'<' | b'>' | b'(' | b')' => break,
                b'\\' => {
                    self.bump();
                    match self.bump() {
                        Some(b'\n') => {}
                        Some(e) => parts.quoted(e),
                        None => parts.lit(b'\\'),
                    }
                }
                b'\'' => {
                    self.bump();
                    let mut text = Vec::new();
                    loop {
                        match self.bump() {
                            Some(b'\'') => break,
                            Some(c) => text.push(c),
                            None => return Err(self.eof_error("expecting \"'\"")),
                        }
                    }
                    if text.is_empty() {
                        parts.part(Part::Quoted(Box::from(&b""[..])));
                    } else {
                        parts.quoted_bytes(&text);
                    }
                }
                b'"' => {
                    self.bump();
                    let inner = self.lex_quoted(Ctx::Double)?;
                    parts.part(Part::Double(inner));
                }
                b'$' if self.peek_at(1) == Some(b'\'') => {
                    self.bump();
                    self.bump();
                    let text = self.lex_ansi_c()?;
                    parts.part(Part::Quoted(text.into()));
                }
                b'$' if self.peek_at(1) == Some(b'"') => {
                    // `$"..."` (bash's locale translation): a plain "...".
                    self.bump();
                    self.bump();
                    let inner = self.lex_quoted(Ctx::Double)?;
                    parts.part(Part::Double(inner));
                }
                b'$' => {
                    self.bump();
                    match self.lex_dollar(false)? {
                        Some(p) => parts.part(p),
                        None => parts.lit(b'$'),
                    }
                }
                b'`' => {
                    self.bump();
                    let p = self.lex_backquote(false)?;
                    parts.part(p);
                }
                _ => {
                    self.bump();
                    parts.lit(c);
                }
            }
        }
        Ok(Word {
            parts: parts.finish(),
        })
    }

    /// `$'...'` (POSIX 2024, bash, ash): text with C-style escapes.
    fn lex_ansi_c(&mut self) -> PResult<Vec<u8>> {
        let mut out = Vec::new();
        loop {
            let c = match self.bump() {
                Some(b'\'') => {
                    // A NUL ends the string, as in bash.
                    if let Some(p) = out.iter().position(|&b| b == 0) {
                        out.truncate(p);
                    }
                    return Ok(out);
                }
                Some(c) => c,
                None => return Err(self.eof_error("expecting \"'\"")),
            };
            if c != b'\\' {
                out.push(c);
                continue;
            }
            let Some(e) = self.bump() else {
                return Err(self.eof_error("expecting \"'\""));
            };
            let digits = |p: &mut Self, max: usize, radix: u32| {
                let mut v: u32 = 0;
                let mut n = 0;
                while n < max {
                    match p.peek().and_then(|d| (d as char).to_digit(radix)) {
                        Some(d) => {
                            p.bump();
                            v = v.wrapping_mul(radix).wrapping_add(d);
                            n += 1;
                        }
                        None => break,
                    }
                }
                (v, n)
            };
            match e {
                b'a' => out.push(7),
                b'b' => out.push(8),
                b'e' | b'E' => out.push(27),
                b'f' => out.push(12),
                b'n' => out.push(b'\n'),
                b'r' => out.push(b'\r'),
                b't' => out.push(b'\t'),
                b'v' => out.push(11),
                b'\\' | b'\'' | b'"' | b'?' => out.push(e),
                b'0'..=b'7' => {
                    let (rest, n) = digits(self, 2, 8);
                    let v = u32::from(e - b'0') * 8u32.pow(n as u32) + rest;
                    out.push(v as u8);
                }
                b'x' => match digits(self, 2, 16) {
                    (_, 0) => out.extend_from_slice(b"\\x"),
                    (v, _) => out.push(v as u8),
                },
                b'u' | b'U' => {
                    let (v, n) = digits(self, if e == b'u' { 4 } else { 8 }, 16);
                    match char::from_u32(v).filter(|_| n > 0) {
                        Some(ch) => {
                            let mut buf = [0u8; 4];
                            out.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
                        }
                        None => {
                            out.push(b'\\');
                            out.push(e);
                        }
                    }
                }
                b'c' => match self.bump() {
                    Some(x) => out.push(x.to_ascii_uppercase() ^ 0x40),
                    None => return Err(self.eof_error("expecting \"'\"")),
                },
                other => {
                    out.push(b'\\');
                    out.push(other);
                }
            }
        }
    }

    /// Text inside double quotes (up to the closing `"`), a here-doc body
    /// (to the end of input), or an arithmetic expression (up to `))`).
    fn lex_quoted(&mut self, ctx: Ctx) -> PResult<Vec<Part>> {
        let mut parts = Parts::default();
        let mut parens = 0u32;
        loop {
            let Some(c) = self.peek() else {
                return match ctx {
                    Ctx::HereDoc => Ok(parts.finish()),
                    Ctx::Double => Err(self.eof_error("expecting '\"'")),
                    Ctx::Arith => Err(self.eof_error("expecting \"))\"")),
                    Ctx::ArithBracket => Err(self.eof_error("expecting \"]\"")),
                };
            };
            match c {
                b'"' if ctx == Ctx::Double => {
                    self.bump();
                    let empty = parts.is_empty();
                    let mut v = parts.finish();
                    if empty {
                        v.push(Part::Quoted(Box::from(&b""[..])));
                    }
                    return Ok(v);
                }
                b'\\' => {
                    self.bump();
                    match self.peek() {
                        Some(b'\n') => {
                            self.bump();
                        }
                        Some(e @ (b'$' | b'`' | b'\\')) => {
                            self.bump();
                            parts.quoted(e);
                        }
                        Some(b'"') if ctx != Ctx::HereDoc => {
                            self.bump();
                            parts.quoted(b'"');
                        }
                        _ => parts.quoted(b'\\'),
                    }
                }
                b'$' => {
                    self.bump();
                    match self.lex_dollar(!matches!(ctx, Ctx::Arith | Ctx::ArithBracket))? {
                        Some(p) => parts.part(p),
                        None => parts.quoted(b'$'),
                    }
                }
                b'`' => {
                    self.bump();
                    let p = self.lex_backquote(ctx == Ctx::Double)?;
                    parts.part(p);
                }
                b'[' if ctx == Ctx::ArithBracket => {
                    self.bump();
                    parens += 1;
                    parts.lit(b'[');
                }
                b']' if ctx == Ctx::ArithBracket => {
                    self.bump();
                    if parens == 0 {
                        return Ok(parts.finish());
                    }
                    parens -= 1;
                    parts.lit(b']');
                }
                b'(' if ctx == Ctx::Arith => {
                    self.bump();
                    parens += 1;
                    parts.lit(b'(');
                }
                b')' if ctx == Ctx::Arith => {
                    if parens == 0 {
                        self.skip_continuations_after_first();
                    }
                    if parens > 0 {
                        self.bump();
                        parens -= 1;
                        parts.lit(b')');
                    } else if self.peek_at(1) == Some(b')') {
                        self.bump();
                        self.bump();
                        return Ok(parts.finish());
                    } else {
                        return Err(self.error("not arithmetic"));
                    }
                }
                _ => {
                    self.bump();
                    if matches!(ctx, Ctx::Arith | Ctx::ArithBracket) {
                        parts.lit(c);
                    } else {
                        parts.quoted(c);
                    }
                }
            }
        }
    }

    /// After a `$`: a parameter, command substitution or arithmetic, or
    /// `None` for a literal `$`.
    fn lex_dollar(&mut self, in_double: bool) -> PResult<Option<Part>> {
        if !super::stack::has_room(1) {
            return Err(self.error("nesting too deep"));
        }
        self.skip_continuations();
        let Some(c) = self.peek() else {
            return Ok(None);
        };
        match c {
            b'{' => {
                self.bump();
                self.lex_brace_param(in_double).map(Some)
            }
            b'[' => {
                // `$[EXPR]` (bash): arithmetic; literal when unclosed.
                let saved = self.save();
                self.bump();
                match self.lex_quoted(Ctx::ArithBracket) {
                    Ok(parts) => Ok(Some(Part::Arith(Word { parts }))),
                    Err(_) => {
                        self.restore(saved);
                        Ok(None)
                    }
                }
            }
            b'(' => {
                self.bump();
                self.skip_continuations();
                if self.peek() == Some(b'(') {
                    // Try arithmetic; fall back to a command substitution
                    // starting with a subshell.
                    let saved = self.save();
                    self.bump();
                    match self.lex_quoted(Ctx::Arith) {
                        Ok(parts) => return Ok(Some(Part::Arith(Word { parts }))),
                        Err(e) if e.eof => return Err(e),
                        Err(_) => self.restore(saved),
                    }
                }
                self.lex_cmdsub().map(Some)
            }
            b'0'..=b'9' => {
                self.bump();
                let name = if c == b'0' {
                    ParamName::Special(b'0')
                } else {
                    ParamName::Positional(usize::from(c - b'0'))
                };
                Ok(Some(simple_param(name)))
            }
            c if is_special_param(c) => {
                self.bump();
                Ok(Some(simple_param(ParamName::Special(c))))
            }
            c if is_name_start(c) => {
                let mut name = Vec::new();
                while let Some(c) = self.peek() {
                    if !is_name_char(c) {
                        break;
                    }
                    name.push(c);
                    self.bump();
                    self.skip_continuations();
                }
                Ok(Some(simple_param(ParamName::Var(name.into()))))
            }
            _ => Ok(None),
        }
    }

    fn save(&self) -> (usize, usize, u32, Vec<u8>) {
        let f = self.frames.last().map_or(0, |f| f.pos);
        let text = self
            .frames
            .last()
            .map(|f| f.text.clone())
            .unwrap_or_default();
        (self.frames.len(), f, self.line, text)
    }

    fn restore(&mut self, (n, pos, line, text): (usize, usize, u32, Vec<u8>)) {
        self.frames.truncate(n);
        if let Some(f) = self.frames.last_mut() {
            // Keep text read since (refills only append).
            if f.text.len() < text.len() {
                f.text = text;
            }
            f.pos = pos;
        }
        self.line = line;
    }

    fn lex_cmdsub(&mut self) -> PResult<Part> {
        let outer_tok = self.tok.take();
        self.depth += 1;
        let prog = self.parse_list(&|t| matches!(t, Tok::Op(Op::RParen)), true);
        self.depth -= 1;
        let prog = prog?;
        match self.next_tok()? {
            Tok::Op(Op::RParen) => {}
            Tok::Eof => return Err(self.eof_error("expecting \")\"")),
            t => return Err(self.unexpected(&t)),
        }
        self.tok = outer_tok;
        Ok(Part::CmdSub(Rc::new(prog)))
    }

    fn lex_backquote(&mut self, in_double: bool) -> PResult<Part> {
        let mut text = Vec::new();
        loop {
            match self.bump() {
                None => return Err(self.eof_error("expecting \"`\"")),
                Some(b'`') => break,
                Some(b'\\') => match self.peek() {
                    Some(e @ (b'$' | b'`' | b'\\')) => {
                        self.bump();
                        text.push(e);
                    }
                    Some(b'"') if in_double => {
                        self.bump();
                        text.push(b'"');
                    }
                    _ => text.push(b'\\'),
                },
                Some(c) => text.push(c),
            }
        }
        let mut sub = Parser::new(text, None, self.line);
        sub.aliases = self.aliases.clone();
        let prog = sub.parse_all()?;
        Ok(Part::CmdSub(Rc::new(prog)))
    }

    fn lex_brace_param(&mut self, in_double: bool) -> PResult<Part> {
        let bad = |p: &Self| p.error("bad substitution");
        if self.peek() == Some(b'!')
            && self
                .peek_at(1)
                .is_some_and(|c| is_name_start(c) || c.is_ascii_digit())
        {
            // `${!name}`: indirection (bash).
            self.bump();
            let mut name = Vec::new();
            while let Some(c) = self.peek().filter(|&c| is_name_char(c)) {
                self.bump();
                name.push(c);
            }
            if self.bump() != Some(b'}') {
                return Err(bad(self));
            }
            return Ok(Part::Param(Box::new(Param {
                name: ParamName::Var(name.into()),
                op: ParamOp::Indirect,
                colon: false,
                arg: None,
                arg2: None,
            })));
        }
        let mut length = false;
        if self.peek() == Some(b'#') {
            // ${#} is $#; ${#x} is a length; ${#-…} etc. are $# with an operator.
            let next = self.peek_at(1);
            let after = self.peek_at(2);
            let op_follows = matches!(next, Some(b':' | b'-' | b'=' | b'?' | b'+' | b'%' | b'#'))
                && after != Some(b'}');
            if next != Some(b'}') && !op_follows {
                self.bump();
                length = true;
            }
        }
        let name = match self.peek() {
            Some(c) if c.is_ascii_digit() => {
                let mut n: usize = 0;
                while let Some(d) = self.peek().filter(u8::is_ascii_digit) {
                    self.bump();
                    n = n.saturating_mul(10).saturating_add(usize::from(d - b'0'));
                }
                if n == 0 {
                    ParamName::Special(b'0')
                } else {
                    ParamName::Positional(n)
                }
            }
            Some(c) if is_special_param(c) => {
                self.bump();
                ParamName::Special(c)
            }
            Some(c) if is_name_start(c) => {
                let mut name = Vec::new();
                while let Some(c) = self.peek().filter(|&c| is_name_char(c)) {
                    self.bump();
                    name.push(c);
                }
                ParamName::Var(name.into())
            }
            None => return Err(self.eof_error("expecting \"}\"")),
            _ => return Err(bad(self)),
        };
        if length {
            return match self.bump() {
                Some(b'}') => Ok(Part::Param(Box::new(Param {
                    name,
                    op: ParamOp::Length,
                    colon: false,
                    arg: None,
                    arg2: None,
                }))),
                None => Err(self.eof_error("expecting \"}\"")),
                _ => Err(bad(self)),
            };
        }
        let mut colon = false;
        let two = |name, op, arg, arg2| {
            Ok(Part::Param(Box::new(Param {
                name,
                op,
                colon: false,
                arg: Some(arg),
                arg2,
            })))
        };
        let op = match self.bump() {
            Some(b'}') => return Ok(simple_param(name)),
            Some(b':') => {
                colon = true;
                match self.peek() {
                    Some(b'-') => ParamOp::Default,
                    Some(b'=') => ParamOp::Assign,
                    Some(b'?') => ParamOp::Error,
                    Some(b'+') => ParamOp::Alternative,
                    _ => {
                        // ${x:offset[:length]}: arithmetic words.
                        let (off, end) = self.lex_brace_arg(false, false, b":")?;
                        let len = if end == b':' {
                            Some(self.lex_brace_arg(false, false, b"")?.0)
                        } else {
                            None
                        };
                        return two(name, ParamOp::Substring, off, len);
                    }
                }
            }
            Some(b'/') => {
                let op = match self.peek() {
                    Some(b'/') => ParamOp::ReplaceAll,
                    Some(b'#') => ParamOp::ReplacePrefix,
                    Some(b'%') => ParamOp::ReplaceSuffix,
                    _ => ParamOp::ReplaceFirst,
                };
                if op != ParamOp::ReplaceFirst {
                    self.bump();
                }
                // The pattern's first character is never the separator
                // (`${v////-}` replaces every slash).
                let lead = if self.peek() == Some(b'/') {
                    self.bump();
                    Some(Part::Lit(Box::from(&b"/"[..])))
                } else {
                    None
                };
                let (mut pat, end) = self.lex_brace_arg(false, false, b"/")?;
                if let Some(l) = lead {
                    pat.parts.insert(0, l);
                }
                // The replacement loses its backslashes even inside "…" (bash).
                let rep = if end == b'/' {
                    Some(self.lex_brace_arg(false, in_double, b"")?.0)
                } else {
                    None
                };
                return two(name, op, pat, rep);
            }
            Some(c @ (b'^' | b',')) => {
                let all = self.peek() == Some(c);
                if all {
                    self.bump();
                }
                let op = match (c, all) {
                    (b'^', false) => ParamOp::UpperFirst,
                    (b'^', true) => ParamOp::UpperAll,
                    (_, false) => ParamOp::LowerFirst,
                    _ => ParamOp::LowerAll,
                };
                let arg = self.lex_brace_arg(false, false, b"")?.0;
                return two(name, op, arg, None);
            }
            Some(b'-') => ParamOp::Default,
            Some(b'=') => ParamOp::Assign,
            Some(b'?') => ParamOp::Error,
            Some(b'+') => ParamOp::Alternative,
            Some(b'%') => {
                if self.peek() == Some(b'%') {
                    self.bump();
                    ParamOp::TrimLargeSuffix
                } else {
                    ParamOp::TrimSmallSuffix
                }
            }
            Some(b'#') => {
                if self.peek() == Some(b'#') {
                    self.bump();
                    ParamOp::TrimLargePrefix
                } else {
                    ParamOp::TrimSmallPrefix
                }
            }
            None => return Err(self.eof_error("expecting \"}\"")),
            _ => return Err(bad(self)),
        };
        let pattern = matches!(
            op,
            ParamOp::TrimSmallSuffix
                | ParamOp::TrimLargeSuffix
                | ParamOp::TrimSmallPrefix
                | ParamOp::TrimLargePrefix
        );
        // A pattern is lexed as if unquoted even inside "…": only its own
        // quotes make characters literal.
        if colon {
            self.bump(); // the operator after ':'
        }
        let arg = if pattern {
            self.lex_brace_arg(false, false, b"")?.0
        } else {
            self.lex_brace_arg(in_double, in_double, b"")?.0
        };
        Ok(Part::Param(Box::new(Param {
            name,
            op,
            colon,
            arg: Some(arg),
            arg2: None,
        })))
    }

    /// The word inside `${name OP word}`, up to the matching `}`. Inside
    /// double quotes (and not a pattern), single quotes are ordinary.
    /// Also stops at an unquoted byte of `stops`; returns the terminator.
    fn lex_brace_arg(
        &mut self,
        dq_rules: bool,
        in_double: bool,
        stops: &[u8],
    ) -> PResult<(Word, u8)> {
        let mut parts = Parts::default();
        let end;
        loop {
            let Some(c) = self.peek() else {
                return Err(self.eof_error("expecting \"}\""));
            };
            match c {
                b'}' => {
                    self.bump();
                    end = c;
                    break;
                }
                c if stops.contains(&c) => {
                    self.bump();
                    end = c;
                    break;
                }
                b'\\' => {
                    self.bump();
                    match self.bump() {
                        Some(b'\n') => {}
                        Some(e) => {
                            if dq_rules && !matches!(e, b'$' | b'`' | b'\\' | b'"' | b'}') {
                                parts.quoted(b'\\');
                            }
                            parts.quoted(e)
                        }
                        None => return Err(self.eof_error("expecting \"}\"")),
                    }
                }
                b'\'' if !dq_rules => {
                    self.bump();
                    let mut text = Vec::new();
                    loop {
                        match self.bump() {
                            Some(b'\'') => break,
                            Some(c) => text.push(c),
                            None => return Err(self.eof_error("expecting \"'\"")),
                        }
                    }
                    parts.quoted_bytes(&text);
                    if text.is_empty() {
                        parts.part(Part::Quoted(Box::from(&b""[..])));
                    }
                }
                b'"' => {
                    self.bump();
                    let inner = self.lex_quoted(Ctx::Double)?;
                    parts.part(Part::Double(inner));
                }
                b'$' if !dq_rules && self.peek_at(1) == Some(b'\'') => {
                    self.bump();
                    self.bump();
                    let text = self.lex_ansi_c()?;
                    parts.part(Part::Quoted(text.into()));
                }
                b'$' => {
                    self.bump();
                    match self.lex_dollar(in_double)? {
                        Some(p) => parts.part(p),
                        None => {
                            if in_double {
                                parts.quoted(b'$')
                            } else {
                                parts.lit(b'$')
                            }
                        }
                    }
                }
                b'`' => {
                    self.bump();
                    let p = self.lex_backquote(in_double)?;
                    parts.part(p);
                }
                _ => {
                    self.bump();
                    if in_double {
                        parts.quoted(c);
                    } else {
                        parts.lit(c);
                    }
                }
            }
        }
        let mut w = Word {
            parts: parts.finish(),
        };
        if in_double {
            // Everything in a double-quoted ${} word is quoted text.
            w = Word {
                parts: vec![Part::Double(w.parts)],
            };
        }
        Ok((w, end))
    }

    // ------------------------------------------------------------ here-docs

    /// Read the bodies of here-documents whose operators were on the line
    /// that just ended.
    fn read_heredocs(&mut self) -> PResult<()> {
        let pending = std::mem::take(&mut self.heredocs);
        for h in pending {
            let mut body = Vec::new();
            loop {
                let mut line = Vec::new();
                let mut ended = true;
                loop {
                    match self.bump() {
                        None => {
                            ended = false;
                            break;
                        }
                        Some(b'\n') => break,
                        Some(b'\\') if !h.doc.literal && self.peek() == Some(b'\n') => {
                            // A continuation joins lines before the delimiter check.
                            line.push(b'\\');
                            line.push(b'\n');
                            self.bump();
                        }
                        Some(c) => line.push(c),
                    }
                }
                let mut text: &[u8] = &line;
                if h.strip_tabs {
                    let n = text.iter().take_while(|&&c| c == b'\t').count();
                    text = &text[n..];
                }
                let check = if h.doc.literal {
                    text.to_vec()
                } else {
                    remove_continuations(text)
                };
                if check == h.delim {
                    break;
                }
                body.extend_from_slice(text);
                body.push(b'\n');
                if !ended {
                    break;
                }
            }
            let word = if h.doc.literal {
                Word {
                    parts: vec![Part::Quoted(body.into())],
                }
            } else {
                let mut sub = Parser::new(body, None, self.line);
                let parts = sub.lex_quoted(Ctx::HereDoc)?;
                Word { parts }
            };
            let _ = h.doc.body.set(word);
        }
        Ok(())
    }

    /// The here-doc delimiter word as raw text with quotes removed.
    fn lex_heredoc_delim(&mut self) -> PResult<(Vec<u8>, bool)> {
        // Skip blanks before the word.
        while matches!(self.peek(), Some(b' ' | b'\t')) {
            self.bump();
        }
        let mut text = Vec::new();
        let mut quoted = false;
        while let Some(c) = self.peek() {
            match c {
                b' ' | b'\t' | b'\n' | b';' | b'&' | b'|' | b'<' | b'>' | b'(' | b')' => break,
                b'\\' => {
                    self.bump();
                    quoted = true;
                    match self.bump() {
                        Some(b'\n') => {}
                        Some(e) => text.push(e),
                        None => {}
                    }
                }
                b'\'' | b'"' => {
                    self.bump();
                    quoted = true;
                    loop {
                        match self.bump() {
                            Some(q) if q == c => break,
                            Some(b'\\')
                                if c == b'"'
                                    && matches!(self.peek(), Some(b'$' | b'`' | b'"' | b'\\')) =>
                            {
                                if let Some(e) = self.bump() {
                                    text.push(e);
                                }
                            }
                            Some(x) => text.push(x),
                            None => return Err(self.eof_error("expecting a quote")),
                        }
                    }
                }
                _ => {
                    self.bump();
                    text.push(c);
                }
            }
        }
        if text.is_empty() && !quoted {
            let t = self.next_tok()?;
            return Err(self.unexpected(&t));
        }
        Ok((text, quoted))
    }

    // ------------------------------------------------------------ grammar

    /// The whole input as here-document text (prompt strings).
    pub fn parse_heredoc_text(&mut self) -> PResult<Word> {
        let parts = self.lex_quoted(Ctx::HereDoc)?;
        Ok(Word { parts })
    }

    /// Parse everything (for `-c` strings, backquotes, `eval`).
    pub fn parse_all(&mut self) -> PResult<Program> {
        let mut prog = Program::default();
        while let Some(p) = self.parse_next()? {
            prog.items.extend(p.items);
        }
        Ok(prog)
    }

    /// The next complete command (up to a newline), or `None` at the end.
    pub fn parse_next(&mut self) -> PResult<Option<Program>> {
        self.compact();
        loop {
            match self.peek_cmd_tok()? {
                Tok::Newline => {
                    self.next_tok()?;
                }
                Tok::Eof => return Ok(None),
                _ => break,
            }
        }
        let mut prog = Program::default();
        loop {
            let and_or = self.parse_and_or()?;
            let (background, separated) = match self.peek_tok()? {
                Tok::Op(Op::Amp) => (true, true),
                Tok::Op(Op::Semi) => (false, true),
                _ => (false, false),
            };
            if separated {
                self.next_tok()?;
            }
            prog.items.push(Item { and_or, background });
            let t = if separated {
                self.peek_cmd_tok()?
            } else {
                self.peek_tok()?
            };
            match t {
                Tok::Newline => {
                    self.next_tok()?;
                    return Ok(Some(prog));
                }
                Tok::Eof => return Ok(Some(prog)),
                _ if separated => {}
                _ => {
                    let t = self.next_tok()?;
                    return Err(self.unexpected(&t));
                }
            }
        }
    }

    /// Drop consumed input of the main source.
    /// Forget everything read but not parsed (an interactive shell drops
    /// the rest of a line with a syntax error and starts afresh).
    pub fn discard_input(&mut self) {
        self.frames.truncate(1);
        if let Some(f) = self.frames.first_mut() {
            let rest = f.text.get(f.pos..).unwrap_or_default();
            self.line += memchr::memchr_iter(b'\n', rest).count() as u32;
            f.text.clear();
            f.pos = 0;
        }
        self.tok = None;
        self.heredocs.clear();
        self.alias_next = 0;
        self.expired.clear();
        self.depth = 0;
    }

    fn compact(&mut self) {
        if self.frames.len() == 1
            && self.tok.is_none()
            && let Some(f) = self.frames.first_mut()
            && f.pos > 4096
        {
            f.text.drain(..f.pos);
            f.pos = 0;
        }
    }

    /// A compound list: and-or lists separated by `;`, `&` or newlines, up
    /// to a token that `stop` accepts (not consumed). `allow_empty` for the
    /// body of `$( )`.
    fn parse_list(&mut self, stop: &dyn Fn(&Tok) -> bool, allow_empty: bool) -> PResult<Program> {
        let mut prog = Program::default();
        loop {
            loop {
                let t = self.peek_cmd_tok()?;
                if matches!(t, Tok::Newline) {
                    self.next_tok()?;
                } else {
                    break;
                }
            }
            let t = self.peek_cmd_tok()?;
            if stop(t) {
                break;
            }
            if matches!(t, Tok::Eof) {
                return Err(self.eof_error("expecting a closing keyword"));
            }
            let and_or = self.parse_and_or()?;
            let mut background = false;
            let t = self.peek_tok()?;
            match t {
                Tok::Op(Op::Semi) => {
                    self.next_tok()?;
                }
                Tok::Op(Op::Amp) => {
                    self.next_tok()?;
                    background = true;
                }
                Tok::Newline => {
                    self.next_tok()?;
                }
                t if stop(t) => {}
                Tok::Eof => return Err(self.eof_error("expecting a closing keyword")),
                _ => {
                    prog.items.push(Item { and_or, background });
                    let t = self.next_tok()?;
                    return Err(self.unexpected(&t));
                }
            }
            prog.items.push(Item { and_or, background });
        }
        if prog.items.is_empty() && !allow_empty {
            let t = self.next_tok()?;
            return Err(self.unexpected(&t));
        }
        Ok(prog)
    }

    fn parse_and_or(&mut self) -> PResult<AndOr> {
        let first = self.parse_pipeline()?;
        let mut rest = Vec::new();
        loop {
            let conn = match self.peek_tok()? {
                Tok::Op(Op::AndIf) => Connector::And,
                Tok::Op(Op::OrIf) => Connector::Or,
                _ => break,
            };
            self.next_tok()?;
            self.skip_newlines()?;
            rest.push((conn, self.parse_pipeline()?));
        }
        Ok(AndOr { first, rest })
    }

    fn skip_newlines(&mut self) -> PResult<()> {
        while matches!(self.peek_cmd_tok()?, Tok::Newline) {
            self.next_tok()?;
        }
        Ok(())
    }

    fn parse_pipeline(&mut self) -> PResult<Pipeline> {
        let mut time = self.parse_time()?;
        let mut bang = false;
        if Self::is_reserved(self.peek_cmd_tok()?, "!") {
            self.next_tok()?;
            bang = true;
            if time.is_none() {
                time = self.parse_time()?;
            }
        }
        let mut cmds = vec![self.parse_command()?];
        while let Tok::Op(op @ (Op::Pipe | Op::PipeAmp)) = *self.peek_tok()? {
            self.next_tok()?;
            if op == Op::PipeAmp {
                // `a |& b` (bash): `a 2>&1 | b`.
                let dup = Redir {
                    fd: Some(2),
                    op: RedirOp::DupOut,
                    target: RedirTarget::Word(Word {
                        parts: vec![Part::Lit(Box::from(&b"1"[..]))],
                    }),
                };
                match cmds.last_mut() {
                    Some(Command::Simple(c)) => c.redirs.push(dup),
                    Some(Command::Compound(_, r)) => r.push(dup),
                    _ => return Err(self.error("\"|&\" unexpected")),
                }
            }
            self.skip_newlines()?;
            cmds.push(self.parse_command()?);
        }
        Ok(Pipeline { bang, cmds, time })
    }

    /// `time [-p]` before a pipeline: Some(posix format).
    fn parse_time(&mut self) -> PResult<Option<bool>> {
        if !Self::is_reserved(self.peek_cmd_tok()?, "time") {
            return Ok(None);
        }
        self.next_tok()?;
        let posix = Self::is_reserved(self.peek_tok()?, "-p");
        if posix {
            self.next_tok()?;
        }
        Ok(Some(posix))
    }

    fn parse_command(&mut self) -> PResult<Command> {
        if !super::stack::has_room(1) {
            return Err(self.error("nesting too deep"));
        }
        let line = self.line;
        let t = self.peek_cmd_tok()?;
        if Self::is_reserved(t, "function") {
            return self.parse_function_keyword();
        }
        let t = self.peek_cmd_tok()?;
        let compound = match t {
            Tok::Op(Op::LParen) => {
                self.next_tok()?;
                if self.peek() == Some(b'(') {
                    // `((` starts an arithmetic command unless what follows
                    // does not end in `))`: then it is nested subshells.
                    let saved = self.save();
                    self.bump();
                    match self.lex_quoted(Ctx::Arith) {
                        Ok(parts) => {
                            let c = Compound::Arith(Word { parts });
                            let redirs = self.parse_redirs()?;
                            return Ok(Command::Compound(Box::new(c), redirs));
                        }
                        Err(e) if e.eof => return Err(e),
                        Err(_) => self.restore(saved),
                    }
                }
                let body = self.parse_list(&|t| matches!(t, Tok::Op(Op::RParen)), false)?;
                self.expect_op(Op::RParen)?;
                Some(Compound::Subshell(body))
            }
            Tok::Word(w) => match w.as_literal() {
                Some(b"{") => {
                    self.next_tok()?;
                    let body = self.parse_list(&|t| Self::is_reserved(t, "}"), false)?;
                    self.expect_word("}")?;
                    Some(Compound::Brace(body))
                }
                Some(b"[[") => {
                    self.next_tok()?;
                    let e = self.parse_cond_or()?;
                    match self.next_tok()? {
                        Tok::Word(w) if w.as_literal() == Some(b"]]") => {}
                        t => return Err(self.unexpected(&t)),
                    }
                    Some(Compound::Cond(e))
                }
                Some(b"if") => Some(self.parse_if()?),
                Some(b"while") => Some(self.parse_loop(false)?),
                Some(b"until") => Some(self.parse_loop(true)?),
                Some(b"for") => Some(self.parse_for()?),
                Some(b"case") => Some(self.parse_case()?),
                Some(r) if RESERVED.iter().any(|x| x.as_bytes() == r) && r != b"!" => {
                    let t = self.next_tok()?;
                    return Err(self.unexpected(&t));
                }
                _ => None,
            },
            Tok::Eof => return Err(self.eof_error("expecting a command")),
            _ => None,
        };
        if let Some(c) = compound {
            let redirs = self.parse_redirs()?;
            return Ok(Command::Compound(Box::new(c), redirs));
        }
        self.parse_simple(line)
    }

    // ------------------------------------------------------------ [[ ]]

    fn cond_word(&mut self) -> PResult<Word> {
        while matches!(self.peek_tok()?, Tok::Newline) {
            self.next_tok()?;
        }
        match self.next_tok()? {
            Tok::Word(w) if w.as_literal() != Some(b"]]") => Ok(w),
            t => Err(self.unexpected(&t)),
        }
    }

    fn skip_cond_newlines(&mut self) -> PResult<()> {
        while matches!(self.peek_tok()?, Tok::Newline) {
            self.next_tok()?;
        }
        Ok(())
    }

    fn parse_cond_or(&mut self) -> PResult<CondExpr> {
        let mut e = self.parse_cond_and()?;
        self.skip_cond_newlines()?;
        while matches!(self.peek_tok()?, Tok::Op(Op::OrIf)) {
            self.next_tok()?;
            let r = self.parse_cond_and()?;
            e = CondExpr::Or(Box::new(e), Box::new(r));
            self.skip_cond_newlines()?;
        }
        Ok(e)
    }

    fn parse_cond_and(&mut self) -> PResult<CondExpr> {
        let mut e = self.parse_cond_not()?;
        self.skip_cond_newlines()?;
        while matches!(self.peek_tok()?, Tok::Op(Op::AndIf)) {
            self.next_tok()?;
            let r = self.parse_cond_not()?;
            e = CondExpr::And(Box::new(e), Box::new(r));
            self.skip_cond_newlines()?;
        }
        Ok(e)
    }

    fn parse_cond_not(&mut self) -> PResult<CondExpr> {
        if !super::stack::has_room(1) {
            return Err(self.error("nesting too deep"));
        }
        while matches!(self.peek_tok()?, Tok::Newline) {
            self.next_tok()?;
        }
        if Self::is_reserved(self.peek_tok()?, "!") {
            self.next_tok()?;
            return Ok(CondExpr::Not(Box::new(self.parse_cond_not()?)));
        }
        if matches!(self.peek_tok()?, Tok::Op(Op::LParen)) {
            self.next_tok()?;
            let e = self.parse_cond_or()?;
            while matches!(self.peek_tok()?, Tok::Newline) {
                self.next_tok()?;
            }
            self.expect_op(Op::RParen)?;
            return Ok(e);
        }
        let first = self.cond_word()?;
        if let Some(op) = first.as_literal()
            && op.len() == 2
            && op[0] == b'-'
            && b"abcdefghknoprstuvwxzGLNOSR".contains(&op[1])
            && matches!(self.peek_tok()?, Tok::Word(w) if w.as_literal() == Some(b"]]"))
        {
            return Err(self.error("unary operator without an operand"));
        }
        if let Some(op) = first.as_literal()
            && op.len() == 2
            && op[0] == b'-'
            && op[1].is_ascii_alphabetic()
            && !matches!(self.peek_tok()?, Tok::Op(Op::AndIf | Op::OrIf | Op::RParen))
            && !matches!(self.peek_tok()?, Tok::Word(w) if w.as_literal() == Some(b"]]"))
        {
            let operand = self.cond_word()?;
            return Ok(CondExpr::Unary(op.into(), operand));
        }
        let op: Option<Box<[u8]>> = match self.peek_tok()? {
            Tok::Op(Op::Less) => Some(Box::from(&b"<"[..])),
            Tok::Op(Op::Great) => Some(Box::from(&b">"[..])),
            Tok::Word(w) => match w.as_literal() {
                Some(
                    o @ (b"=" | b"==" | b"!=" | b"=~" | b"-eq" | b"-ne" | b"-lt" | b"-le" | b"-gt"
                    | b"-ge" | b"-nt" | b"-ot" | b"-ef"),
                ) => Some(o.into()),
                _ => None,
            },
            _ => None,
        };
        let Some(op) = op else {
            return Ok(CondExpr::Word(first));
        };
        self.next_tok()?;
        let rhs = if &*op == b"=~" {
            self.cond_regex()?
        } else {
            self.cond_word()?
        };
        Ok(CondExpr::Binary(op, first, rhs))
    }

    /// The operand of `=~`: `(`, `)` and `|` are part of it, up to a blank.
    fn cond_regex(&mut self) -> PResult<Word> {
        let mut parts = Vec::new();
        let mut depth = 0u32;
        while matches!(self.peek(), Some(b' ' | b'\t')) {
            self.bump();
        }
        loop {
            match self.peek() {
                Some(c @ (b'(' | b')' | b'|')) => {
                    if c == b')' && depth == 0 {
                        break;
                    }
                    if c == b'(' {
                        depth += 1;
                    } else if c == b')' {
                        depth -= 1;
                    }
                    self.bump();
                    parts.push(Part::Lit(Box::from(&[c][..])));
                }
                Some(b' ' | b'\t' | b'\n') | None if depth == 0 => break,
                Some(b' ' | b'\t' | b'\n') => {
                    let c = self.bump().unwrap_or(b' ');
                    parts.push(Part::Quoted(Box::from(&[c][..])));
                }
                _ => {
                    let w = self.lex_word()?;
                    if w.parts.is_empty() {
                        break;
                    }
                    parts.extend(w.parts);
                }
            }
        }
        if parts.is_empty() {
            let t = self.next_tok()?;
            return Err(self.unexpected(&t));
        }
        Ok(Word { parts })
    }

    /// `function NAME [()] BODY` (bash, ksh, ash).
    fn parse_function_keyword(&mut self) -> PResult<Command> {
        self.next_tok()?;
        let name: Box<[u8]> = match self.next_tok()? {
            Tok::Word(w) => match w.as_literal() {
                Some(n) if is_fn_name(n) => n.into(),
                _ => return Err(self.error("bad function name")),
            },
            t => return Err(self.unexpected(&t)),
        };
        if matches!(self.peek_tok()?, Tok::Op(Op::LParen)) {
            self.next_tok()?;
            self.expect_op(Op::RParen)?;
        }
        self.skip_newlines()?;
        let body = self.parse_command()?;
        if !matches!(body, Command::Compound(..)) {
            return Err(self.error("function body must be a compound command"));
        }
        Ok(Command::Function(Rc::new(Function { name, body })))
    }

    fn expect_op(&mut self, op: Op) -> PResult<()> {
        match self.next_tok()? {
            Tok::Op(o) if o == op => Ok(()),
            t => Err(self.unexpected(&t)),
        }
    }

    fn expect_word(&mut self, w: &str) -> PResult<()> {
        let t = self.peek_cmd_tok()?;
        if Self::is_reserved(t, w) {
            self.next_tok()?;
            Ok(())
        } else {
            let t = self.next_tok()?;
            Err(self.unexpected(&t))
        }
    }

    fn parse_if(&mut self) -> PResult<Compound> {
        self.next_tok()?; // if
        let mut branches = Vec::new();
        let mut otherwise = None;
        loop {
            let cond = self.parse_list(&|t| Self::is_reserved(t, "then"), false)?;
            self.expect_word("then")?;
            let body = self.parse_list(
                &|t| {
                    Self::is_reserved(t, "elif")
                        || Self::is_reserved(t, "else")
                        || Self::is_reserved(t, "fi")
                },
                false,
            )?;
            branches.push((cond, body));
            let t = self.next_tok()?;
            if Self::is_reserved(&t, "elif") {
                continue;
            }
            if Self::is_reserved(&t, "else") {
                otherwise = Some(self.parse_list(&|t| Self::is_reserved(t, "fi"), false)?);
                self.expect_word("fi")?;
            }
            break;
        }
        Ok(Compound::If {
            branches,
            otherwise,
        })
    }

    fn parse_loop(&mut self, until: bool) -> PResult<Compound> {
        self.next_tok()?;
        let cond = self.parse_list(&|t| Self::is_reserved(t, "do"), false)?;
        let body = self.parse_do_group()?;
        Ok(Compound::Loop { until, cond, body })
    }

    fn parse_do_group(&mut self) -> PResult<Program> {
        self.expect_word("do")?;
        let body = self.parse_list(&|t| Self::is_reserved(t, "done"), false)?;
        self.expect_word("done")?;
        Ok(body)
    }

    fn parse_for(&mut self) -> PResult<Compound> {
        let line = self.line;
        self.next_tok()?; // for
        let var = match self.next_tok()? {
            Tok::Word(w) => match w.as_literal() {
                Some(n) if is_name(n) => Box::from(n),
                _ => return Err(self.error("bad for loop variable")),
            },
            t => return Err(self.unexpected(&t)),
        };
        // `for x do`, `for x; do`, `for x in ...; do`
        let mut words = None;
        loop {
            let t = self.peek_cmd_tok()?;
            if matches!(t, Tok::Newline) {
                self.next_tok()?;
                continue;
            }
            break;
        }
        let t = self.peek_cmd_tok()?;
        if Self::is_reserved(t, "in") {
            self.next_tok()?;
            let mut list = Vec::new();
            loop {
                match self.next_tok()? {
                    Tok::Word(w) => list.push(w),
                    Tok::Op(Op::Semi) | Tok::Newline => break,
                    t => return Err(self.unexpected(&t)),
                }
            }
            words = Some(list);
        } else if matches!(t, Tok::Op(Op::Semi)) {
            self.next_tok()?;
        }
        self.skip_newlines()?;
        let body = self.parse_do_group()?;
        Ok(Compound::For {
            var,
            words,
            body,
            line,
        })
    }

    fn parse_case(&mut self) -> PResult<Compound> {
        let line = self.line;
        self.next_tok()?; // case
        let word = match self.next_tok()? {
            Tok::Word(w) => w,
            t => return Err(self.unexpected(&t)),
        };
        self.skip_newlines()?;
        self.expect_word("in")?;
        let mut arms = Vec::new();
        loop {
            // Patterns are not command words: no alias substitution.
            while matches!(self.peek_tok()?, Tok::Newline) {
                self.next_tok()?;
            }
            let t = self.peek_tok()?;
            if Self::is_reserved(t, "esac") {
                self.next_tok()?;
                break;
            }
            if matches!(t, Tok::Op(Op::LParen)) {
                self.next_tok()?;
            }
            let mut patterns = Vec::new();
            loop {
                match self.next_tok()? {
                    Tok::Word(w) => patterns.push(w),
                    t => return Err(self.unexpected(&t)),
                }
                match self.next_tok()? {
                    Tok::Op(Op::Pipe) => continue,
                    Tok::Op(Op::RParen) => break,
                    t => return Err(self.unexpected(&t)),
                }
            }
            let body = self.parse_list(
                &|t| {
                    matches!(t, Tok::Op(Op::DSemi | Op::SemiAnd | Op::DSemiAnd))
                        || Self::is_reserved(t, "esac")
                },
                true,
            )?;
            let (fallthrough, test_next) = match self.peek_tok()? {
                Tok::Op(Op::DSemi) => {
                    self.next_tok()?;
                    (false, false)
                }
                Tok::Op(Op::SemiAnd) => {
                    self.next_tok()?;
                    (true, false)
                }
                Tok::Op(Op::DSemiAnd) => {
                    self.next_tok()?;
                    (false, true)
                }
                _ => (false, false), // esac follows
            };
            arms.push(CaseArm {
                patterns,
                body,
                fallthrough,
                test_next,
            });
        }
        Ok(Compound::Case { word, arms, line })
    }

    fn parse_redirs(&mut self) -> PResult<Vec<Redir>> {
        let mut v = Vec::new();
        while let Some(r) = self.try_redir()? {
            v.push(r);
        }
        Ok(v)
    }

    /// A redirection if one starts here.
    fn try_redir(&mut self) -> PResult<Option<Redir>> {
        let fd = match self.peek_tok()? {
            Tok::IoNumber(n) => Some(*n),
            Tok::Op(op) if op.redir().is_some() => None,
            _ => return Ok(None),
        };
        if fd.is_some() {
            self.next_tok()?;
        }
        let op = match self.next_tok()? {
            Tok::Op(op) => op,
            t => return Err(self.unexpected(&t)),
        };
        let Some(rop) = op.redir() else {
            return Err(self.unexpected(&Tok::Op(op)));
        };
        if rop == RedirOp::HereDoc {
            let (delim, quoted) = self.lex_heredoc_delim()?;
            let doc = Rc::new(HereDoc {
                literal: quoted,
                body: Default::default(),
            });
            self.heredocs.push(PendingHereDoc {
                doc: doc.clone(),
                delim,
                strip_tabs: op == Op::DLessDash,
            });
            return Ok(Some(Redir {
                fd,
                op: rop,
                target: RedirTarget::HereDoc(doc),
            }));
        }
        match self.next_tok()? {
            Tok::Word(w) => Ok(Some(Redir {
                fd,
                op: rop,
                target: RedirTarget::Word(w),
            })),
            t => Err(self.unexpected(&t)),
        }
    }

    fn parse_simple(&mut self, line: u32) -> PResult<Command> {
        let mut cmd = Simple {
            assigns: Vec::new(),
            words: Vec::new(),
            redirs: Vec::new(),
            line,
        };
        loop {
            if let Some(r) = self.try_redir()? {
                cmd.redirs.push(r);
                continue;
            }
            let mut after_blank_alias = false;
            if self.alias_next > 0 && !cmd.words.is_empty() {
                // Only once the alias text is used up.
                self.peek_tok()?;
                if self.frames.len() < self.alias_next {
                    self.alias_next = 0;
                    after_blank_alias = true;
                }
            }
            let check_alias = cmd.words.is_empty() || after_blank_alias;
            let t = if check_alias {
                self.peek_cmd_tok()?
            } else {
                self.peek_tok()?
            };
            let Tok::Word(_) = t else { break };
            let Ok(Tok::Word(w)) = self.next_tok() else {
                break;
            };
            if cmd.words.is_empty()
                && let Some(a) = split_assignment(&w)
            {
                cmd.assigns.push(a);
                continue;
            }
            if cmd.words.is_empty() && cmd.assigns.is_empty() && cmd.redirs.is_empty() {
                // NAME ( ) is a function definition.
                if let Some(name) = w.as_literal().filter(|n| is_fn_name(n))
                    && matches!(self.peek_tok()?, Tok::Op(Op::LParen))
                {
                    self.next_tok()?;
                    self.expect_op(Op::RParen)?;
                    self.skip_newlines()?;
                    // A simple command as the body is accepted (as dash).
                    let body = self.parse_command()?;
                    if matches!(body, Command::Function(_)) {
                        return Err(self.error("function body must be a compound command"));
                    }
                    return Ok(Command::Function(Rc::new(Function {
                        name: name.into(),
                        body,
                    })));
                }
            }
            cmd.words.push(w);
        }
        self.alias_next = 0;
        if cmd.words.is_empty() && cmd.assigns.is_empty() && cmd.redirs.is_empty() {
            let t = self.next_tok()?;
            return Err(self.unexpected(&t));
        }
        Ok(Command::Simple(cmd))
    }
}

fn is_fn_name(n: &[u8]) -> bool {
    // POSIX requires a name; shells accept more (e.g. `foo-bar`).
    !n.is_empty()
        && !RESERVED.iter().any(|r| r.as_bytes() == n)
        && n.iter()
            .all(|&c| is_name_char(c) || matches!(c, b'-' | b'.' | b':' | b'+' | b'@' | b'%'))
        && !n[0].is_ascii_digit()
}

fn simple_param(name: ParamName) -> Part {
    Part::Param(Box::new(Param {
        name,
        op: ParamOp::Plain,
        colon: false,
        arg: None,
        arg2: None,
    }))
}

fn remove_continuations(s: &[u8]) -> Vec<u8> {
    let mut v = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        if s[i] == b'\\' && s.get(i + 1) == Some(&b'\n') {
            i += 2;
            continue;
        }
        v.push(s[i]);
        i += 1;
    }
    v
}

/// `NAME=value` as an assignment, if the word has that shape.
pub fn split_assignment(w: &Word) -> Option<Assign> {
    let Some(Part::Lit(first)) = w.parts.first() else {
        return None;
    };
    let eq = first.iter().position(|&c| c == b'=')?;
    let name = &first[..eq];
    if !is_name(name) {
        return None;
    }
    let mut parts = Vec::with_capacity(w.parts.len());
    if eq + 1 < first.len() {
        parts.push(Part::Lit(first[eq + 1..].into()));
    }
    parts.extend(w.parts.iter().skip(1).cloned());
    Some(Assign {
        name: name.into(),
        value: Word { parts },
    })
}
