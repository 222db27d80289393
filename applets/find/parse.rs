//! The find expression: tokens to a tree, with GNU's precedence
//! (`!` > `-a`/juxtaposition > `-o` > `,`), positional options collected
//! into [`Config`], and every argument checked before the walk starts.

use super::printf::{self, Piece};
use ibex::Exit;
use ibex::regex::{Flags as ReFlags, Regex};
use ibex::sys::{self, Timespec};
use ibex::walk::Follow;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cmp {
    Lt,
    Eq,
    Gt,
}

#[derive(Clone, Copy, Debug)]
pub struct Num {
    pub cmp: Cmp,
    pub n: i64,
}

impl Num {
    pub fn test(&self, v: i64) -> bool {
        match self.cmp {
            Cmp::Lt => v < self.n,
            Cmp::Eq => v == self.n,
            Cmp::Gt => v > self.n,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PermHow {
    Exact,
    All,
    Any,
}

/// Which time stamp of a file: a(ccess), c(hange), m(odification), B(irth).
pub type Which = u8;

pub enum Node {
    And(Box<Node>, Box<Node>),
    Or(Box<Node>, Box<Node>),
    Comma(Box<Node>, Box<Node>),
    Not(Box<Node>),
    True,
    False,
    Name {
        pat: Vec<u8>,
        icase: bool,
    },
    Path {
        pat: Vec<u8>,
        icase: bool,
    },
    Lname {
        pat: Vec<u8>,
        icase: bool,
    },
    Regex(Box<Regex>),
    /// A set of S_IFMT kinds; `follow` for -xtype.
    Type {
        kinds: Vec<u32>,
        x: bool,
    },
    Perm {
        mode: u32,
        how: PermHow,
    },
    Uid(Num),
    Gid(Num),
    NoUser,
    NoGroup,
    Size {
        num: Num,
        unit: u64,
    },
    Time {
        which: Which,
        num: Num,
        unit: i64,
    },
    Newer {
        which: Which,
        ts: Timespec,
    },
    Links(Num),
    Inum(Num),
    Empty,
    Access(i32),
    SameFile {
        dev: u64,
        ino: u64,
    },
    Print {
        out: usize,
        nul: bool,
    },
    Printf {
        out: usize,
        fmt: Vec<Piece>,
    },
    Ls {
        out: usize,
    },
    Delete,
    Prune,
    Quit,
    Exec(usize),
}

/// One -exec/-execdir/-ok/-okdir.
pub struct ExecSpec {
    pub argv: Vec<Vec<u8>>,
    /// `{} +`: batch many names per command.
    pub plus: bool,
    pub dir: bool,
    pub ok: bool,
}

pub struct Config {
    pub follow: Follow,
    pub depth: bool,
    pub mindepth: usize,
    pub maxdepth: usize,
    pub xdev: bool,
    pub needs_stat: bool,
    pub files: Vec<Vec<u8>>,
    pub execs: Vec<ExecSpec>,
    pub now: Timespec,
    pub daystart: bool,
}

enum Syntax {
    Emacs,
    Basic,
    Extended,
}

struct P<'a> {
    args: &'a [&'a [u8]],
    pos: usize,
    cfg: Config,
    has_action: bool,
    syntax: Syntax,
}

fn q(s: &[u8]) -> Vec<u8> {
    let mut v = Vec::with_capacity(s.len() + 2);
    v.push(b'\'');
    v.extend_from_slice(s);
    v.push(b'\'');
    v
}

fn fail<T>(parts: &[&[u8]]) -> Result<T, Exit> {
    let mut m = ibex::error::start();
    for p in parts {
        m.extend_from_slice(p);
    }
    ibex::error::emit(m);
    Err(Exit(1))
}

/// Parse `[+-]N` (a decimal integer).
fn parse_num(s: &[u8]) -> Option<Num> {
    let (cmp, rest) = match s.first() {
        Some(b'+') => (Cmp::Gt, &s[1..]),
        Some(b'-') => (Cmp::Lt, &s[1..]),
        _ => (Cmp::Eq, s),
    };
    if rest.is_empty() || !rest.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let n = std::str::from_utf8(rest).ok()?.parse::<i64>().ok()?;
    Some(Num { cmp, n })
}

fn kind_of(c: u8) -> Option<u32> {
    Some(match c {
        b'b' => sys::S_IFBLK,
        b'c' => sys::S_IFCHR,
        b'd' => sys::S_IFDIR,
        b'p' => sys::S_IFIFO,
        b'f' => sys::S_IFREG,
        b'l' => sys::S_IFLNK,
        b's' => sys::S_IFSOCK,
        _ => return None,
    })
}

/// Translate GNU find's default (emacs) regex syntax to ERE: `\(`, `\)`
/// and `\|` are the operators, `(`, `)`, `|`, `{`, `}` plain characters.
fn emacs_to_ere(p: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(p.len() + 8);
    let mut i = 0;
    while i < p.len() {
        let c = p[i];
        match c {
            b'\\' => match p.get(i + 1) {
                Some(&d @ (b'(' | b')' | b'|')) => {
                    out.push(d);
                    i += 1;
                }
                Some(&d) => {
                    out.push(b'\\');
                    out.push(d);
                    i += 1;
                }
                None => out.push(b'\\'),
            },
            b'(' | b')' | b'|' | b'{' | b'}' => {
                out.push(b'\\');
                out.push(c);
            }
            b'[' => {
                // Copy a bracket expression as it is.
                let start = i;
                let mut j = i + 1;
                if p.get(j) == Some(&b'^') {
                    j += 1;
                }
                if p.get(j) == Some(&b']') {
                    j += 1;
                }
                while j < p.len() && p[j] != b']' {
                    if p[j] == b'[' && matches!(p.get(j + 1), Some(b':' | b'.' | b'=')) {
                        let close = p[j + 1];
                        j += 2;
                        while j + 1 < p.len() && !(p[j] == close && p[j + 1] == b']') {
                            j += 1;
                        }
                        j += 1;
                    }
                    j += 1;
                }
                let end = (j + 1).min(p.len());
                out.extend_from_slice(&p[start..end]);
                i = end;
                continue;
            }
            _ => out.push(c),
        }
        i += 1;
    }
    out
}

impl<'a> P<'a> {
    fn peek(&self) -> Option<&'a [u8]> {
        self.args.get(self.pos).copied()
    }

    fn arg(&mut self, pred: &[u8]) -> Result<&'a [u8], Exit> {
        match self.args.get(self.pos) {
            Some(a) => {
                self.pos += 1;
                Ok(a)
            }
            None => fail(&[b"missing argument to ", &q(pred)]),
        }
    }

    fn num_arg(&mut self, pred: &[u8]) -> Result<Num, Exit> {
        let a = self.arg(pred)?;
        match parse_num(a) {
            Some(n) => Ok(n),
            None => fail(&[b"invalid argument ", &q(a), b" to ", &q(pred)]),
        }
    }

    fn depth_arg(&mut self, pred: &[u8]) -> Result<usize, Exit> {
        let a = self.arg(pred)?;
        match std::str::from_utf8(a)
            .ok()
            .and_then(|s| s.parse::<usize>().ok())
        {
            Some(n) if !a.starts_with(b"+") => Ok(n),
            _ => fail(&[
                b"Expected a positive decimal integer argument to ",
                pred,
                b", but got ",
                &q(a),
            ]),
        }
    }

    fn ref_stat(&self, file: &[u8]) -> Result<sys::Stat, Exit> {
        let flags = if self.cfg.follow == Follow::Never {
            sys::AT_SYMLINK_NOFOLLOW
        } else {
            0
        };
        sys::fstatat(sys::Dir::CWD, file, flags).map_err(|e| {
            ibex::error::io_error(&q(file)[..], &e);
            Exit(1)
        })
    }

    fn open_out(&mut self, pred: &[u8]) -> Result<usize, Exit> {
        let f = self.arg(pred)?;
        if f == b"/dev/stdout" {
            return Ok(0);
        }
        if let Some(i) = self.cfg.files.iter().position(|x| x == f) {
            return Ok(i + 1);
        }
        self.cfg.files.push(f.to_vec());
        Ok(self.cfg.files.len())
    }

    // expr := or (',' or)*
    fn comma(&mut self) -> Result<Node, Exit> {
        let mut left = self.or()?;
        while self.peek() == Some(b",") {
            self.pos += 1;
            let right = self.or()?;
            left = Node::Comma(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn or(&mut self) -> Result<Node, Exit> {
        let mut left = self.and()?;
        while matches!(self.peek(), Some(b"-o" | b"-or")) {
            let op = self.args[self.pos];
            self.pos += 1;
            if self.at_end_of_operand() {
                return fail(&[
                    b"invalid expression; you have used a binary operator ",
                    &q(op),
                    b" with nothing after it.",
                ]);
            }
            let right = self.and()?;
            left = Node::Or(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn at_end_of_operand(&self) -> bool {
        matches!(
            self.peek(),
            None | Some(b")" | b"," | b"-o" | b"-or" | b"-a" | b"-and")
        )
    }

    fn and(&mut self) -> Result<Node, Exit> {
        let mut left = self.unary()?;
        loop {
            match self.peek() {
                None | Some(b")" | b"," | b"-o" | b"-or") => return Ok(left),
                Some(op @ (b"-a" | b"-and")) => {
                    self.pos += 1;
                    if self.at_end_of_operand() {
                        return fail(&[
                            b"invalid expression; you have used a binary operator ",
                            &q(op),
                            b" with nothing after it.",
                        ]);
                    }
                }
                _ => {}
            }
            let right = self.unary()?;
            left = Node::And(Box::new(left), Box::new(right));
        }
    }

    fn unary(&mut self) -> Result<Node, Exit> {
        match self.peek() {
            Some(b"!" | b"-not") => {
                self.pos += 1;
                if self.at_end_of_operand() {
                    return fail(&[b"invalid expression; you have used a binary operator '!' with nothing after it."]);
                }
                Ok(Node::Not(Box::new(self.unary()?)))
            }
            Some(b"(") => {
                self.pos += 1;
                if self.peek() == Some(b")") {
                    return fail(&[b"invalid expression; empty parentheses are not allowed."]);
                }
                let e = self.comma()?;
                if self.peek() != Some(b")") {
                    return fail(&[b"invalid expression; I was expecting to find a ')' somewhere but did not see one."]);
                }
                self.pos += 1;
                Ok(e)
            }
            Some(b")") => fail(&[b"invalid expression; you have too many ')'"]),
            Some(_) => self.primary(),
            None => fail(&[b"invalid expression"]),
        }
    }

    fn primary(&mut self) -> Result<Node, Exit> {
        let tok = self.args[self.pos];
        self.pos += 1;
        fn stat(p: &mut P<'_>, n: Node) -> Result<Node, Exit> {
            p.cfg.needs_stat = true;
            Ok(n)
        }
        let node = match tok {
            b"-true" => Node::True,
            b"-false" => Node::False,
            b"-name" | b"-iname" => {
                let pat = self.arg(tok)?.to_vec();
                Node::Name {
                    pat,
                    icase: tok == b"-iname",
                }
            }
            b"-path" | b"-ipath" | b"-wholename" | b"-iwholename" => {
                let pat = self.arg(tok)?.to_vec();
                Node::Path {
                    pat,
                    icase: tok.starts_with(b"-i"),
                }
            }
            b"-lname" | b"-ilname" => {
                let pat = self.arg(tok)?.to_vec();
                Node::Lname {
                    pat,
                    icase: tok == b"-ilname",
                }
            }
            b"-regex" | b"-iregex" => {
                let pat = self.arg(tok)?;
                let (text, extended) = match self.syntax {
                    Syntax::Emacs => (emacs_to_ere(pat), true),
                    Syntax::Basic => (pat.to_vec(), false),
                    Syntax::Extended => (pat.to_vec(), true),
                };
                let flags = ReFlags {
                    extended,
                    icase: tok == b"-iregex",
                    nosub: true,
                    ..ReFlags::default()
                };
                match Regex::new(&text, flags) {
                    Ok(re) => Node::Regex(Box::new(re)),
                    Err(e) => {
                        return fail(&[
                            b"failed to compile regular expression ",
                            &q(pat),
                            b": ",
                            e.message().as_bytes(),
                        ]);
                    }
                }
            }
            b"-regextype" => {
                let t = self.arg(tok)?;
                self.syntax = match t {
                    b"emacs" | b"findutils-default" => Syntax::Emacs,
                    b"posix-basic" | b"grep" | b"ed" | b"sed" => Syntax::Basic,
                    b"posix-extended" | b"posix-egrep" | b"egrep" | b"awk" | b"posix-awk"
                    | b"gnu-awk" => Syntax::Extended,
                    _ => return fail(&[b"Unknown regular expression type ", &q(t), b"; valid types are 'findutils-default', 'emacs', 'posix-basic', 'posix-extended', 'egrep', 'grep', 'awk', 'posix-awk', 'gnu-awk', 'posix-egrep', 'ed' and 'sed'."]),
                };
                Node::True
            }
            b"-type" | b"-xtype" => {
                let a = self.arg(tok)?;
                let mut kinds = Vec::new();
                for part in a.split(|&c| c == b',') {
                    let k = match part {
                        [c] => kind_of(*c),
                        _ => None,
                    };
                    match k {
                        Some(k) if !kinds.contains(&k) => kinds.push(k),
                        Some(_) => {
                            return fail(&[
                                b"Duplicate file type '",
                                part,
                                b"' in the argument list to ",
                                tok,
                                b".",
                            ]);
                        }
                        None if part.is_empty() => {
                            return fail(&[
                                b"Last file type in list argument to ",
                                tok,
                                b" is missing, i.e., list is ending on: ','",
                            ]);
                        }
                        None if part.len() > 1 && !a.contains(&b',') => {
                            return fail(&[
                                b"Must separate multiple arguments to ",
                                tok,
                                b" using: ','",
                            ]);
                        }
                        None => return fail(&[b"Unknown argument to ", tok, b": ", part]),
                    }
                }
                let x = tok == b"-xtype";
                if x {
                    self.cfg.needs_stat = true;
                }
                Node::Type { kinds, x }
            }
            b"-perm" => {
                let a = self.arg(tok)?;
                let (how, m) = match a.first() {
                    Some(b'-') => (PermHow::All, &a[1..]),
                    Some(b'/') => (PermHow::Any, &a[1..]),
                    Some(b'+') if a.len() > 1 && a[1..].iter().all(u8::is_ascii_digit) => {
                        (PermHow::Any, &a[1..])
                    }
                    _ => (PermHow::Exact, a),
                };
                let mode = match ibex::mode::parse(m) {
                    Some(md) => md.apply(0, false, 0),
                    None => return fail(&[b"invalid mode ", &q(m)]),
                };
                return stat(self, Node::Perm { mode, how });
            }
            b"-user" => {
                let a = self.arg(tok)?;
                match ibex::users::resolve_uid(a) {
                    Some(u) => {
                        return stat(
                            self,
                            Node::Uid(Num {
                                cmp: Cmp::Eq,
                                n: i64::from(u),
                            }),
                        );
                    }
                    None => return fail(&[&q(a), b" is not the name of a known user"]),
                }
            }
            b"-group" => {
                let a = self.arg(tok)?;
                match ibex::users::resolve_gid(a) {
                    Some(g) => {
                        return stat(
                            self,
                            Node::Gid(Num {
                                cmp: Cmp::Eq,
                                n: i64::from(g),
                            }),
                        );
                    }
                    None => return fail(&[&q(a), b" is not the name of an existing group"]),
                }
            }
            b"-uid" => {
                let n = self.num_arg(tok)?;
                return stat(self, Node::Uid(n));
            }
            b"-gid" => {
                let n = self.num_arg(tok)?;
                return stat(self, Node::Gid(n));
            }
            b"-nouser" => return stat(self, Node::NoUser),
            b"-nogroup" => return stat(self, Node::NoGroup),
            b"-size" => {
                let a = self.arg(tok)?;
                let (digits, unit) = match a.last() {
                    Some(c) if c.is_ascii_digit() => (a, 512),
                    Some(&c) => {
                        let unit = match c {
                            b'b' => 512,
                            b'c' => 1,
                            b'w' => 2,
                            b'k' => 1024,
                            b'M' => 1 << 20,
                            b'G' => 1 << 30,
                            _ => return fail(&[b"invalid -size type '", &[c], b"'"]),
                        };
                        (&a[..a.len() - 1], unit)
                    }
                    None => (a, 512),
                };
                match parse_num(digits) {
                    Some(num) => return stat(self, Node::Size { num, unit }),
                    None => return fail(&[b"Invalid argument ", &q(a), b" to -size"]),
                }
            }
            b"-mtime" | b"-atime" | b"-ctime" | b"-mmin" | b"-amin" | b"-cmin" => {
                let num = self.num_arg(tok)?;
                let unit = if tok.ends_with(b"min") { 60 } else { 86400 };
                return stat(
                    self,
                    Node::Time {
                        which: tok[1],
                        num,
                        unit,
                    },
                );
            }
            b"-newer" | b"-anewer" | b"-cnewer" => {
                let f = self.arg(tok)?;
                let st = self.ref_stat(f)?;
                let which = if tok == b"-newer" { b'm' } else { tok[1] };
                return stat(
                    self,
                    Node::Newer {
                        which,
                        ts: st.mtime,
                    },
                );
            }
            _ if tok.len() == 8 && tok.starts_with(b"-newer") => {
                let (x, y) = (tok[6], tok[7]);
                if !matches!(x, b'a' | b'B' | b'c' | b'm')
                    || !matches!(y, b'a' | b'B' | b'c' | b'm' | b't')
                {
                    return fail(&[b"unknown predicate ", &q(tok)]);
                }
                let f = self.arg(tok)?;
                let ts = if y == b't' {
                    match ibex::datetime::parse(f, self.cfg.now) {
                        Some(ts) => ts,
                        None => {
                            return fail(&[
                                b"I cannot figure out how to interpret ",
                                &q(f),
                                b" as a date or time",
                            ]);
                        }
                    }
                } else if y == b'B' {
                    let flags = if self.cfg.follow == Follow::Never {
                        sys::AT_SYMLINK_NOFOLLOW
                    } else {
                        0
                    };
                    self.ref_stat(f)?;
                    match sys::birth_time(sys::Dir::CWD, f, flags) {
                        Some(ts) => ts,
                        None => return fail(&[b"Cannot obtain birth time of file ", &q(f)]),
                    }
                } else {
                    let st = self.ref_stat(f)?;
                    match y {
                        b'a' => st.atime,
                        b'c' => st.ctime,
                        _ => st.mtime,
                    }
                };
                return stat(self, Node::Newer { which: x, ts });
            }
            b"-links" => {
                let n = self.num_arg(tok)?;
                return stat(self, Node::Links(n));
            }
            b"-inum" => {
                let n = self.num_arg(tok)?;
                return stat(self, Node::Inum(n));
            }
            b"-samefile" => {
                let f = self.arg(tok)?;
                let st = self.ref_stat(f)?;
                return stat(
                    self,
                    Node::SameFile {
                        dev: st.dev,
                        ino: st.ino,
                    },
                );
            }
            b"-empty" => return stat(self, Node::Empty),
            b"-readable" => Node::Access(sys::R_OK),
            b"-writable" => Node::Access(sys::W_OK),
            b"-executable" => Node::Access(sys::X_OK),
            b"-print" | b"-print0" => {
                self.has_action = true;
                Node::Print {
                    out: 0,
                    nul: tok == b"-print0",
                }
            }
            b"-fprint" | b"-fprint0" => {
                self.has_action = true;
                let out = self.open_out(tok)?;
                Node::Print {
                    out,
                    nul: tok == b"-fprint0",
                }
            }
            b"-printf" | b"-fprintf" => {
                self.has_action = true;
                let out = if tok == b"-fprintf" {
                    self.open_out(tok)?
                } else {
                    0
                };
                let f = self.arg(tok)?;
                let fmt = printf::parse(f);
                if fmt.iter().any(Piece::needs_stat) {
                    self.cfg.needs_stat = true;
                }
                Node::Printf { out, fmt }
            }
            b"-ls" | b"-fls" => {
                self.has_action = true;
                let out = if tok == b"-fls" {
                    self.open_out(tok)?
                } else {
                    0
                };
                return stat(self, Node::Ls { out });
            }
            b"-delete" => {
                self.has_action = true;
                self.cfg.depth = true;
                Node::Delete
            }
            b"-prune" => Node::Prune,
            b"-quit" => Node::Quit,
            b"-exec" | b"-execdir" | b"-ok" | b"-okdir" => {
                self.has_action = true;
                let start = self.pos;
                let mut end = start;
                let mut plus = false;
                loop {
                    match self.args.get(end) {
                        None => return fail(&[b"missing argument to ", &q(tok)]),
                        Some(&b";") => break,
                        Some(&b"+") if end > start && self.args[end - 1] == b"{}" => {
                            plus = !tok.starts_with(b"-ok");
                            if plus {
                                break;
                            }
                        }
                        _ => {}
                    }
                    end += 1;
                }
                if end == start {
                    return fail(&[b"missing argument to ", &q(tok)]);
                }
                let argv: Vec<Vec<u8>> = self.args[start..end].iter().map(|a| a.to_vec()).collect();
                if plus
                    && argv[..argv.len() - 1]
                        .iter()
                        .any(|a| a.windows(2).any(|w| w == b"{}"))
                {
                    return fail(&[
                        b"Only one instance of {} is supported with ",
                        tok,
                        b" ... +",
                    ]);
                }
                self.pos = end + 1;
                self.cfg.execs.push(ExecSpec {
                    argv,
                    plus,
                    dir: tok.ends_with(b"dir"),
                    ok: tok.starts_with(b"-ok"),
                });
                Node::Exec(self.cfg.execs.len() - 1)
            }
            // Options: they hold everywhere, whatever their position.
            b"-depth" | b"-d" => {
                self.cfg.depth = true;
                Node::True
            }
            b"-maxdepth" => {
                self.cfg.maxdepth = self.depth_arg(tok)?;
                Node::True
            }
            b"-mindepth" => {
                self.cfg.mindepth = self.depth_arg(tok)?;
                Node::True
            }
            b"-xdev" | b"-mount" => {
                self.cfg.xdev = true;
                Node::True
            }
            b"-follow" => {
                self.cfg.follow = Follow::Always;
                Node::True
            }
            b"-daystart" => {
                self.cfg.daystart = true;
                Node::True
            }
            b"-noleaf"
            | b"-ignore_readdir_race"
            | b"-noignore_readdir_race"
            | b"-warn"
            | b"-nowarn" => Node::True,
            _ if tok.starts_with(b"-") && tok.len() > 1 => {
                return fail(&[b"unknown predicate ", &q(tok)]);
            }
            _ => return fail(&[b"paths must precede expression: ", &q(tok)]),
        };
        Ok(node)
    }
}

/// Whether a command-line word starts the expression.
pub fn starts_expr(a: &[u8]) -> bool {
    (a.starts_with(b"-") && a.len() > 1) || a == b"(" || a == b"!"
}

/// Parse the expression words; `None` for an empty expression.
pub fn parse(args: &[&[u8]], follow: Follow) -> Result<(Node, Config), Exit> {
    let mut p = P {
        args,
        pos: 0,
        cfg: Config {
            follow,
            depth: false,
            mindepth: 0,
            maxdepth: usize::MAX,
            xdev: false,
            needs_stat: false,
            files: Vec::new(),
            execs: Vec::new(),
            now: sys::now(),
            daystart: false,
        },
        has_action: false,
        syntax: Syntax::Emacs,
    };
    let mut node = if args.is_empty() {
        Node::True
    } else {
        p.comma()?
    };
    if p.pos < args.len() {
        let tok = args[p.pos];
        if tok == b")" {
            return fail(&[b"invalid expression; you have too many ')'"]);
        }
        return fail(&[b"paths must precede expression: ", &q(tok)]);
    }
    if !p.has_action {
        node = Node::And(Box::new(node), Box::new(Node::Print { out: 0, nul: false }));
    }
    Ok((node, p.cfg))
}
