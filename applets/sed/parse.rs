//! The sed script compiler: text -> a flat list of commands, with blocks
//! and branches resolved to indices, regexes compiled once.

use ibex::regex::{Flags, Regex};

/// Where a piece of the script came from, for error messages.
pub enum Source {
    Expr(usize),
    File(Vec<u8>),
}

/// The script being compiled: all `-e`/`-f` pieces joined by newlines.
pub struct Text {
    pub buf: Vec<u8>,
    /// (start offset in buf, source), in order.
    pub chunks: Vec<(usize, Source)>,
}

impl Text {
    pub fn new() -> Text {
        Text {
            buf: Vec::new(),
            chunks: Vec::new(),
        }
    }
    pub fn add(&mut self, data: &[u8], src: Source) {
        if !self.chunks.is_empty() {
            self.buf.push(b'\n');
        }
        self.chunks.push((self.buf.len(), src));
        self.buf.extend_from_slice(data);
        // A file's last newline does not make a new (empty) line.
        if matches!(self.chunks.last(), Some((_, Source::File(_)))) && data.ends_with(b"\n") {
            self.buf.pop();
        }
    }

    /// "-e expression #1, char 3" / "file F line 2" for offset `pos`
    /// (the number of bytes consumed); `None` = at the very end.
    fn location(&self, pos: Option<usize>) -> Vec<u8> {
        let p = pos.unwrap_or(self.buf.len());
        let idx = self
            .chunks
            .iter()
            .rposition(|(s, _)| *s <= p.saturating_sub(1) || *s == 0)
            .unwrap_or(0);
        let Some((start, src)) = self.chunks.get(idx) else {
            return b"-e expression #1, char 0".to_vec();
        };
        let end = self
            .chunks
            .get(idx + 1)
            .map_or(self.buf.len(), |c| c.0.saturating_sub(1));
        let p = p.min(end);
        let mut m = Vec::new();
        match src {
            Source::Expr(n) => {
                m.extend_from_slice(b"-e expression #");
                m.extend_from_slice(n.to_string().as_bytes());
                m.extend_from_slice(b", char ");
                let c = if pos.is_none() {
                    0
                } else {
                    p.saturating_sub(*start)
                };
                m.extend_from_slice(c.to_string().as_bytes());
            }
            Source::File(name) => {
                m.extend_from_slice(b"file ");
                m.extend_from_slice(name);
                m.extend_from_slice(b" line ");
                let seg = self.buf.get(*start..p).unwrap_or(b"");
                let mut line = 1 + seg.iter().filter(|&&b| b == b'\n').count();
                if pos.is_some() && seg.ends_with(b"\n") {
                    line -= 1;
                }
                m.extend_from_slice(line.to_string().as_bytes());
            }
        }
        m
    }
}

#[derive(Clone, Copy, Debug)]
pub enum Addr {
    Line(u64),
    Last,
    /// Index into `Script::regexes`, or None for "the last regex used".
    Re(Option<usize>),
    Step(u64, u64),
    Zero,
}

#[derive(Clone, Copy, Debug)]
pub enum End {
    Addr(Addr),
    Plus(u64),
    Mult(u64),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Case {
    Upper,
    Lower,
    UpperOne,
    LowerOne,
    End,
}

#[derive(Debug)]
pub enum Piece {
    Lit(Vec<u8>),
    Group(usize),
    Case(Case),
}

#[derive(Debug)]
pub struct Subst {
    pub re: Option<usize>,
    pub repl: Vec<Piece>,
    pub global: bool,
    pub nth: u64,
    pub print: bool,
    pub write: Option<usize>,
    /// The replacement refers to groups or changes case.
    pub complex: bool,
    pub max_group: usize,
}

#[derive(Debug)]
pub enum Kind {
    /// `{`: index of the command after the matching `}`.
    Open(usize),
    Close,
    Eq,
    Append(Vec<u8>),
    Insert(Vec<u8>),
    Change(Vec<u8>),
    /// b, t, T: target index (None until resolved = end of script).
    Branch(u8, usize),
    Delete,
    DeleteFirst,
    FileName,
    Get,
    GetAppend,
    Hold,
    HoldAppend,
    List(Option<usize>),
    Next,
    NextAppend,
    Print,
    PrintFirst,
    Quit(i32),
    QuitSilent(i32),
    Read(Vec<u8>),
    ReadLine(usize),
    Subst(Box<Subst>),
    Write(usize),
    WriteFirst(usize),
    Exchange,
    Trans(Box<[u8; 256]>),
    Zap,
    Nop,
}

#[derive(Debug)]
pub struct Cmd {
    pub a1: Option<Addr>,
    pub a2: Option<End>,
    pub neg: bool,
    pub kind: Kind,
}

pub struct Script {
    pub cmds: Vec<Cmd>,
    pub regexes: Vec<Regex>,
    /// Output files of w/W and s///w, by name.
    pub wfiles: Vec<Vec<u8>>,
    /// Input files of R, by name.
    pub rfiles: Vec<Vec<u8>>,
}

/// A compile error: message already formatted; status 1 (or 4 for labels).
pub struct Error(pub Vec<u8>, pub i32);

const SANDBOX: &str = "e/r/w commands disabled in sandbox mode";

pub struct Options {
    pub delim: u8,
    pub sandbox: bool,
    pub extended: bool,
    pub posix: bool,
}

struct P<'a> {
    t: &'a Text,
    s: &'a [u8],
    i: usize,
    opt: &'a Options,
    script: Script,
    labels: Vec<(Vec<u8>, usize)>,
    /// (command index, label) for branches to resolve.
    jumps: Vec<(usize, Vec<u8>)>,
    blocks: Vec<(usize, usize)>,
}

pub fn compile(t: &Text, opt: &Options) -> Result<Script, Error> {
    let mut p = P {
        t,
        s: &t.buf,
        i: 0,
        opt,
        script: Script {
            cmds: Vec::new(),
            regexes: Vec::new(),
            wfiles: Vec::new(),
            rfiles: Vec::new(),
        },
        labels: Vec::new(),
        jumps: Vec::new(),
        blocks: Vec::new(),
    };
    p.run()?;
    if !p.blocks.is_empty() {
        return Err(p.err_at(None, "unmatched `{'"));
    }
    let jumps = std::mem::take(&mut p.jumps);
    for (ci, label) in jumps {
        let target = if label.is_empty() {
            p.script.cmds.len()
        } else {
            match p.labels.iter().find(|(l, _)| *l == label) {
                Some(&(_, t)) => t,
                None => {
                    let mut m = b"can't find label for jump to `".to_vec();
                    m.extend_from_slice(&label);
                    m.push(b'\'');
                    return Err(Error(m, 4));
                }
            }
        };
        if let Some(Cmd {
            kind: Kind::Branch(_, t),
            ..
        }) = p.script.cmds.get_mut(ci)
        {
            *t = target;
        }
    }
    Ok(p.script)
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | 0x0b | 0x0c)
}

impl P<'_> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }
    fn get(&mut self) -> Option<u8> {
        let c = self.peek()?;
        self.i += 1;
        Some(c)
    }
    fn skip_ws(&mut self) {
        while self.peek().is_some_and(is_space) {
            self.i += 1;
        }
    }
    fn err_at(&self, pos: Option<usize>, msg: &str) -> Error {
        let mut m = self.t.location(pos);
        m.extend_from_slice(b": ");
        m.extend_from_slice(msg.as_bytes());
        Error(m, 1)
    }
    fn err(&self, msg: &str) -> Error {
        self.err_at(Some(self.i), msg)
    }

    fn run(&mut self) -> Result<(), Error> {
        loop {
            while self
                .peek()
                .is_some_and(|b| is_space(b) || b == b'\n' || b == b';')
            {
                self.i += 1;
            }
            let Some(c) = self.peek() else {
                return Ok(());
            };
            if c == b'#' {
                self.skip_line();
                continue;
            }
            self.command()?;
        }
    }

    fn skip_line(&mut self) {
        while let Some(c) = self.get() {
            if c == b'\n' {
                break;
            }
        }
    }

    fn number(&mut self) -> Option<u64> {
        let st = self.i;
        let mut n: u64 = 0;
        while let Some(d) = self.peek().filter(u8::is_ascii_digit) {
            n = n.saturating_mul(10).saturating_add(u64::from(d - b'0'));
            self.i += 1;
        }
        (self.i > st).then_some(n)
    }

    fn address(&mut self) -> Result<Option<Addr>, Error> {
        let Some(c) = self.peek() else {
            return Ok(None);
        };
        if c.is_ascii_digit() {
            let n = self.number().unwrap_or(0);
            if self.peek() == Some(b'~') && !self.opt.posix {
                self.i += 1;
                let step = self.number().unwrap_or(0);
                return Ok(Some(Addr::Step(n, step)));
            }
            return Ok(Some(if n == 0 { Addr::Zero } else { Addr::Line(n) }));
        }
        if c == b'$' {
            self.i += 1;
            return Ok(Some(Addr::Last));
        }
        if c == b'/' || c == b'\\' {
            self.i += 1;
            let delim = if c == b'\\' {
                match self.get() {
                    Some(d) if d != b'\n' && d != b'\\' => d,
                    _ => return Err(self.err("unterminated address regex")),
                }
            } else {
                b'/'
            };
            let Some(raw) = self.delimited(delim, true) else {
                return Err(self.err("unterminated address regex"));
            };
            let mut icase = false;
            let mut multi = false;
            while !self.opt.posix {
                match self.peek() {
                    Some(b'I') => icase = true,
                    Some(b'M') => multi = true,
                    _ => break,
                }
                self.i += 1;
            }
            let re = self.regex(&raw, icase, multi)?;
            return Ok(Some(Addr::Re(re)));
        }
        Ok(None)
    }

    /// Read up to the unescaped `delim`; `\delim` becomes `delim`, `\n` a
    /// newline (in regexes), other escapes are kept. None if unterminated.
    fn delimited(&mut self, delim: u8, regex: bool) -> Option<Vec<u8>> {
        let mut v = Vec::new();
        // Inside a bracket expression (regexes only): where it began.
        let mut bracket: Option<usize> = None;
        loop {
            let c = self.get()?;
            if c == b'\n' && regex {
                return None;
            }
            if c == b'\\' {
                let d = self.get()?;
                if d == delim && (regex || delim != b'&') {
                    v.push(d);
                } else if d == b'n' && regex {
                    v.push(b'\n');
                } else if d == b'\n' && !regex {
                    v.extend_from_slice(b"\\\n");
                } else {
                    v.push(b'\\');
                    v.push(d);
                }
                continue;
            }
            if let Some(st) = bracket {
                v.push(c);
                let first = v.len() == st + 1 || (v.len() == st + 2 && v.get(st) == Some(&b'^'));
                if c == b']' && !first {
                    bracket = None;
                } else if c == b'[' && matches!(self.peek(), Some(b':' | b'.' | b'=')) {
                    // [:class:], [.x.], [=x=]: up to the closing pair.
                    let k = self.get()?;
                    v.push(k);
                    loop {
                        let e = self.get()?;
                        v.push(e);
                        if e == k && self.peek() == Some(b']') {
                            self.i += 1;
                            v.push(b']');
                            break;
                        }
                    }
                }
                continue;
            }
            if c == delim {
                return Some(v);
            }
            v.push(c);
            if c == b'[' && regex {
                bracket = Some(v.len());
            }
        }
    }

    fn regex(&mut self, raw: &[u8], icase: bool, multi: bool) -> Result<Option<usize>, Error> {
        if raw.is_empty() {
            if icase || multi || self.script.regexes.is_empty() {
                return Err(self.err_at(None, "no previous regular expression"));
            }
            return Ok(None);
        }
        let pat = convert_escapes(raw);
        let flags = Flags {
            extended: self.opt.extended,
            icase,
            newline: multi,
            terminator: self.opt.delim,
            ..Flags::default()
        };
        match Regex::new(&pat, flags) {
            Ok(re) => {
                self.script.regexes.push(re);
                Ok(Some(self.script.regexes.len() - 1))
            }
            Err(e) => Err(self.err(e.message())),
        }
    }

    fn command(&mut self) -> Result<(), Error> {
        let mut a1 = self.address()?;
        let mut a2 = None;
        if a1.is_some() {
            self.skip_ws();
            if self.peek() == Some(b',') {
                self.i += 1;
                self.skip_ws();
                let e = match self.peek() {
                    Some(b'+') if !self.opt.posix => {
                        self.i += 1;
                        End::Plus(self.number().unwrap_or(0))
                    }
                    Some(b'~') if !self.opt.posix => {
                        self.i += 1;
                        End::Mult(self.number().unwrap_or(0))
                    }
                    _ => match self.address()? {
                        Some(Addr::Zero) => End::Addr(Addr::Line(0)),
                        Some(Addr::Step(n, _)) => End::Addr(Addr::Line(n)),
                        Some(a) => End::Addr(a),
                        None => {
                            if self.peek().is_some() {
                                self.i += 1;
                            }
                            return Err(self.err("unexpected `,'"));
                        }
                    },
                };
                a2 = Some(e);
            }
        }
        self.skip_ws();
        let mut neg = false;
        while self.peek() == Some(b'!') {
            self.i += 1;
            if neg {
                return Err(self.err("multiple `!'s"));
            }
            neg = true;
            self.skip_ws();
        }
        let Some(c) = self.get() else {
            return Err(self.err("missing command"));
        };
        if let Some(Addr::Zero) = a1
            && (!matches!(a2, Some(End::Addr(Addr::Re(_)))) || self.opt.posix)
        {
            return Err(self.err("invalid usage of line address 0"));
        }
        let naddr = usize::from(a1.is_some()) + usize::from(a2.is_some());
        // GNU's own commands do not exist in POSIX mode.
        let given = c;
        let c = if self.opt.posix && b"FzQTRWv".contains(&c) {
            0
        } else {
            c
        };
        let kind = match c {
            b'{' => {
                self.blocks.push((self.script.cmds.len(), self.i));
                Kind::Open(0)
            }
            b'}' => {
                if naddr > 0 {
                    return Err(self.err("unexpected `}'"));
                }
                let Some((open, _)) = self.blocks.pop() else {
                    return Err(self.err("unexpected `}'"));
                };
                let here = self.script.cmds.len();
                if let Some(Cmd {
                    kind: Kind::Open(t),
                    ..
                }) = self.script.cmds.get_mut(open)
                {
                    *t = here + 1;
                }
                self.end_cmd()?;
                Kind::Close
            }
            b':' => {
                if naddr > 0 {
                    return Err(self.err(": doesn't want any addresses"));
                }
                self.skip_ws();
                let l = self.label();
                if l.is_empty() {
                    return Err(self.err("\":\" lacks a label"));
                }
                self.labels.push((l, self.script.cmds.len()));
                Kind::Nop
            }
            b'#' => {
                if naddr > 0 {
                    return Err(self.err("comments don't accept any addresses"));
                }
                self.skip_line();
                Kind::Nop
            }
            b'=' | b'd' | b'D' | b'F' | b'g' | b'G' | b'h' | b'H' | b'n' | b'N' | b'p' | b'P'
            | b'x' | b'z' => {
                self.end_cmd()?;
                match c {
                    b'=' => Kind::Eq,
                    b'd' => Kind::Delete,
                    b'D' => Kind::DeleteFirst,
                    b'F' => Kind::FileName,
                    b'g' => Kind::Get,
                    b'G' => Kind::GetAppend,
                    b'h' => Kind::Hold,
                    b'H' => Kind::HoldAppend,
                    b'n' => Kind::Next,
                    b'N' => Kind::NextAppend,
                    b'p' => Kind::Print,
                    b'P' => Kind::PrintFirst,
                    b'x' => Kind::Exchange,
                    _ => Kind::Zap,
                }
            }
            b'a' | b'i' | b'c' => {
                if c == b'i' && self.opt.posix && naddr > 1 {
                    return Err(self.err("command only uses one address"));
                }
                let text = self.text()?;
                match c {
                    b'a' => Kind::Append(text),
                    b'i' => Kind::Insert(text),
                    _ => Kind::Change(text),
                }
            }
            b'b' | b't' | b'T' => {
                self.skip_ws();
                let l = self.label();
                self.jumps.push((self.script.cmds.len(), l));
                Kind::Branch(c, 0)
            }
            b'l' | b'q' | b'Q' => {
                if matches!(c, b'q' | b'Q') && naddr > 1 {
                    return Err(self.err("command only uses one address"));
                }
                self.skip_ws();
                let n = if self.opt.posix { None } else { self.number() };
                self.end_cmd()?;
                match c {
                    b'l' => Kind::List(n.map(|n| n as usize)),
                    b'q' => Kind::Quit(n.unwrap_or(0) as i32),
                    _ => Kind::QuitSilent(n.unwrap_or(0) as i32),
                }
            }
            b'r' | b'R' | b'w' | b'W' => {
                if self.opt.sandbox {
                    return Err(self.err(SANDBOX));
                }
                let name = self.filename()?;
                match c {
                    b'r' => Kind::Read(name),
                    b'R' => Kind::ReadLine(intern(&mut self.script.rfiles, name)),
                    b'w' => Kind::Write(intern(&mut self.script.wfiles, name)),
                    _ => Kind::WriteFirst(intern(&mut self.script.wfiles, name)),
                }
            }
            b's' => Kind::Subst(Box::new(self.subst()?)),
            b'y' => Kind::Trans(self.trans()?),
            b'v' => {
                self.skip_ws();
                while self
                    .peek()
                    .is_some_and(|b| !matches!(b, b';' | b'\n' | b'}'))
                    && !self.peek().is_some_and(is_space)
                {
                    self.i += 1;
                }
                self.end_cmd()?;
                Kind::Nop
            }
            _ => {
                let mut m = b"unknown command: `".to_vec();
                m.push(given);
                m.push(b'\'');
                let mut e = self.t.location(Some(self.i));
                e.extend_from_slice(b": ");
                e.extend_from_slice(&m);
                return Err(Error(e, 1));
            }
        };
        if a1.is_none() {
            a2 = None;
        }
        if let Some(Addr::Step(n, 0)) = a1 {
            a1 = Some(Addr::Line(n));
        }
        self.script.cmds.push(Cmd { a1, a2, neg, kind });
        Ok(())
    }

    /// After a command: spaces, then `;`, newline, `#`, `}` or the end.
    fn end_cmd(&mut self) -> Result<(), Error> {
        self.skip_ws();
        match self.peek() {
            None | Some(b'}') | Some(b'#') => Ok(()),
            Some(b';') | Some(b'\n') => {
                self.i += 1;
                Ok(())
            }
            Some(_) => {
                self.i += 1;
                Err(self.err("extra characters after command"))
            }
        }
    }

    /// A label: up to whitespace, `;`, newline or `}` (as GNU sed 4.9);
    /// a `;` after it is consumed, anything else is the next command.
    fn label(&mut self) -> Vec<u8> {
        let st = self.i;
        while self
            .peek()
            .is_some_and(|b| !matches!(b, b'\n' | b';' | b'}') && !is_space(b))
        {
            self.i += 1;
        }
        let l = self.s[st..self.i].to_vec();
        if self.peek() == Some(b';') {
            self.i += 1;
        }
        l
    }

    fn filename(&mut self) -> Result<Vec<u8>, Error> {
        self.skip_ws();
        let st = self.i;
        while self.peek().is_some_and(|b| b != b'\n') {
            self.i += 1;
        }
        let name = self.s[st..self.i].to_vec();
        if name.is_empty() {
            return Err(self.err("missing filename in r/R/w/W commands"));
        }
        Ok(name)
    }

    /// Text of a, i, c (both the POSIX `a\` form and GNU's one-liner).
    fn text(&mut self) -> Result<Vec<u8>, Error> {
        self.skip_ws();
        match self.peek() {
            None => return Err(self.err("expected \\ after `a', `c' or `i'")),
            Some(b'\\') => {
                self.i += 1;
                if self.peek() == Some(b'\n') {
                    self.i += 1;
                } else if self.opt.posix {
                    return Err(self.err("expected \\ after `a', `c' or `i'"));
                }
            }
            Some(_) if self.opt.posix => {
                self.i += 1;
                return Err(self.err("expected \\ after `a', `c' or `i'"));
            }
            Some(_) => {}
        }
        let mut v = Vec::new();
        while let Some(c) = self.get() {
            match c {
                b'\n' => break,
                b'\\' => match self.get() {
                    Some(d) => push_escape(&mut v, d, self.s, &mut self.i),
                    None => break,
                },
                _ => v.push(c),
            }
        }
        if !v.is_empty() {
            v.push(b'\n');
        }
        Ok(v)
    }

    fn subst(&mut self) -> Result<Subst, Error> {
        let delim = match self.get() {
            Some(d) if d != b'\n' && d != b'\\' => d,
            _ => return Err(self.err("unterminated `s' command")),
        };
        let Some(pat) = self.delimited(delim, true) else {
            return Err(self.err("unterminated `s' command"));
        };
        let Some(rep) = self.delimited(delim, false) else {
            return Err(self.err("unterminated `s' command"));
        };
        let mut s = Subst {
            re: None,
            repl: Vec::new(),
            global: false,
            nth: 0,
            print: false,
            write: None,
            complex: false,
            max_group: 0,
        };
        let (mut icase, mut multi) = (false, false);
        while let Some(c) = self.get() {
            match c {
                b'g' => {
                    if s.global {
                        return Err(self.err("multiple `g' options to `s' command"));
                    }
                    s.global = true;
                }
                b'p' => {
                    if s.print {
                        return Err(self.err("multiple `p' options to `s' command"));
                    }
                    s.print = true;
                }
                b'i' | b'I' => icase = true,
                b'm' | b'M' => multi = true,
                b'0'..=b'9' => {
                    if s.nth != 0 {
                        return Err(self.err("multiple number options to `s' command"));
                    }
                    self.i -= 1;
                    let n = self.number().unwrap_or(0);
                    if n == 0 {
                        return Err(self.err("number option to `s' command may not be zero"));
                    }
                    s.nth = n;
                }
                b'w' => {
                    if self.opt.sandbox {
                        return Err(self.err(SANDBOX));
                    }
                    let name = self.filename()?;
                    s.write = Some(intern(&mut self.script.wfiles, name));
                    break;
                }
                b';' | b'\n' => break,
                b'}' | b'#' => {
                    self.i -= 1;
                    break;
                }
                c if is_space(c) => {}
                _ => return Err(self.err("unknown option to `s'")),
            }
        }
        s.re = self.regex(&pat, icase, multi)?;
        s.repl = replacement(&rep);
        for p in &s.repl {
            match p {
                Piece::Group(g) => {
                    s.complex = true;
                    s.max_group = s.max_group.max(*g);
                }
                Piece::Case(_) => s.complex = true,
                Piece::Lit(_) => {}
            }
        }
        if s.max_group > 0
            && let Some(ri) = s.re
            && let Some(re) = self.script.regexes.get(ri)
            && re.groups() < s.max_group
        {
            let m = format!("invalid reference \\{} on `s' command's RHS", s.max_group);
            return Err(self.err(&m));
        }
        if s.nth == 0 {
            s.nth = 1;
        }
        Ok(s)
    }

    fn trans(&mut self) -> Result<Box<[u8; 256]>, Error> {
        let delim = match self.get() {
            Some(d) if d != b'\n' && d != b'\\' => d,
            _ => return Err(self.err("unterminated `y' command")),
        };
        let mut sides = [Vec::new(), Vec::new()];
        for side in &mut sides {
            loop {
                let Some(c) = self.get() else {
                    return Err(self.err("unterminated `y' command"));
                };
                if c == delim {
                    break;
                }
                if c == b'\\' {
                    match self.get() {
                        Some(d) if d == delim => side.push(d),
                        Some(b'\\') => side.push(b'\\'),
                        Some(b'\n') => side.push(b'\n'),
                        Some(d) => push_escape(side, d, self.s, &mut self.i),
                        None => return Err(self.err("unterminated `y' command")),
                    }
                } else {
                    side.push(c);
                }
            }
        }
        let [from, to] = sides;
        if from.len() != to.len() {
            return Err(self.err("strings for `y' command are different lengths"));
        }
        let mut map = Box::new([0u8; 256]);
        for (i, m) in map.iter_mut().enumerate() {
            *m = i as u8;
        }
        for (&f, &t) in from.iter().zip(&to) {
            map[usize::from(f)] = t;
        }
        self.end_cmd()?;
        Ok(map)
    }
}

fn intern(v: &mut Vec<Vec<u8>>, name: Vec<u8>) -> usize {
    if let Some(i) = v.iter().position(|n| *n == name) {
        return i;
    }
    v.push(name);
    v.len() - 1
}

/// The value of a character escape (`\t`, `\x41`, `\d065`, `\o101`, `\cA`)
/// whose letter `d` was just read; `i` is just past it.
fn char_escape(d: u8, s: &[u8], i: &mut usize) -> Option<u8> {
    let num = |i: &mut usize, radix: u32, max: usize| -> Option<u8> {
        let mut v: u32 = 0;
        let mut n = 0;
        while n < max {
            let Some(dv) = s.get(*i).and_then(|&c| (c as char).to_digit(radix)) else {
                break;
            };
            v = v * radix + dv;
            *i += 1;
            n += 1;
        }
        (n > 0).then_some(v as u8)
    };
    Some(match d {
        b'a' => 7,
        b'f' => 12,
        b'n' => b'\n',
        b'r' => b'\r',
        b't' => b'\t',
        b'v' => 11,
        b'd' => return num(i, 10, 3),
        b'o' => return num(i, 8, 3),
        b'x' => return num(i, 16, 2),
        b'c' => {
            let c = *s.get(*i)?;
            *i += 1;
            c.to_ascii_uppercase() ^ 0x40
        }
        _ => return None,
    })
}

/// Text of a/i/c: `\` + char -> the char or its escape value.
fn push_escape(v: &mut Vec<u8>, d: u8, s: &[u8], i: &mut usize) {
    match char_escape(d, s, i) {
        Some(c) => v.push(c),
        None => v.push(d),
    }
}

/// Turn sed's character escapes in a regex into the bytes they stand for.
fn convert_escapes(raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    let mut bracket = false;
    while let Some(&c) = raw.get(i) {
        i += 1;
        if bracket {
            // Inside [...] a backslash is literal, but sed still knows \n, \t.
            if c == b']' && !matches!(out.last(), Some(b'[') | Some(b'^')) {
                bracket = false;
            }
            if c == b'\\'
                && let Some(&d) = raw.get(i)
                && matches!(d, b't' | b'n' | b'f' | b'v' | b'a' | b'r')
            {
                i += 1;
                let mut j = i;
                out.push(char_escape(d, raw, &mut j).unwrap_or(d));
                continue;
            }
            out.push(c);
            continue;
        }
        if c == b'[' {
            bracket = true;
            out.push(c);
            if raw.get(i) == Some(&b'^') {
                out.push(b'^');
                i += 1;
            }
            if raw.get(i) == Some(&b']') {
                out.push(b']');
                i += 1;
            }
            continue;
        }
        if c != b'\\' {
            out.push(c);
            continue;
        }
        let Some(&d) = raw.get(i) else {
            out.push(c);
            break;
        };
        i += 1;
        if matches!(
            d,
            b'a' | b'f' | b'n' | b'r' | b't' | b'v' | b'd' | b'o' | b'x' | b'c'
        ) {
            let mut j = i;
            if let Some(v) = char_escape(d, raw, &mut j) {
                i = j;
                if b".[]*^$\\+?(){}|/".contains(&v) {
                    if v == b'^' || v == b'\\' {
                        out.push(b'\\');
                        out.push(v);
                    } else {
                        out.extend_from_slice(&[b'[', v, b']']);
                    }
                } else {
                    out.push(v);
                }
                continue;
            }
        }
        out.push(b'\\');
        out.push(d);
    }
    out
}

/// Parse the replacement of `s`.
fn replacement(r: &[u8]) -> Vec<Piece> {
    let mut v: Vec<Piece> = Vec::new();
    let mut lit = Vec::new();
    let mut i = 0;
    let flush = |lit: &mut Vec<u8>, v: &mut Vec<Piece>| {
        if !lit.is_empty() {
            v.push(Piece::Lit(std::mem::take(lit)));
        }
    };
    while let Some(&c) = r.get(i) {
        i += 1;
        if c == b'&' {
            flush(&mut lit, &mut v);
            v.push(Piece::Group(0));
            continue;
        }
        if c != b'\\' {
            lit.push(c);
            continue;
        }
        let Some(&d) = r.get(i) else {
            lit.push(b'\\');
            break;
        };
        i += 1;
        match d {
            b'0'..=b'9' => {
                flush(&mut lit, &mut v);
                v.push(Piece::Group(usize::from(d - b'0')));
            }
            b'L' | b'U' | b'l' | b'u' | b'E' => {
                flush(&mut lit, &mut v);
                v.push(Piece::Case(match d {
                    b'L' => Case::Lower,
                    b'U' => Case::Upper,
                    b'l' => Case::LowerOne,
                    b'u' => Case::UpperOne,
                    _ => Case::End,
                }));
            }
            b'\n' => lit.push(b'\n'),
            _ => push_escape(&mut lit, d, r, &mut i),
        }
    }
    flush(&mut lit, &mut v);
    v
}
