//! The shell's syntax tree. Words keep their quoting structure so expansion
//! never re-lexes text; command substitutions are parsed at parse time.

use std::cell::OnceCell;
use std::rc::Rc;

/// A list of complete commands (a script, a brace group body, ...).
#[derive(Debug, Default)]
pub struct Program {
    pub items: Vec<Item>,
}

/// An and-or list, run in the background when `background`.
#[derive(Debug)]
pub struct Item {
    pub and_or: AndOr,
    pub background: bool,
}

#[derive(Debug)]
pub struct AndOr {
    pub first: Pipeline,
    pub rest: Vec<(Connector, Pipeline)>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Connector {
    And,
    Or,
}

#[derive(Debug)]
pub struct Pipeline {
    pub bang: bool,
    pub cmds: Vec<Command>,
    /// `time [-p] PIPELINE` (bash, ksh, ash): Some(posix format).
    pub time: Option<bool>,
}

#[derive(Debug)]
pub enum Command {
    Simple(Simple),
    Compound(Box<Compound>, Vec<Redir>),
    Function(Rc<Function>),
}

#[derive(Debug)]
pub struct Simple {
    pub assigns: Vec<Assign>,
    pub words: Vec<Word>,
    pub redirs: Vec<Redir>,
    pub line: u32,
}

#[derive(Debug)]
pub struct Assign {
    pub name: Box<[u8]>,
    pub value: Word,
}

#[derive(Debug)]
pub struct Function {
    pub name: Box<[u8]>,
    pub body: Command,
}

#[derive(Debug)]
pub enum Compound {
    Brace(Program),
    Subshell(Program),
    If {
        branches: Vec<(Program, Program)>,
        otherwise: Option<Program>,
    },
    Loop {
        until: bool,
        cond: Program,
        body: Program,
    },
    For {
        var: Box<[u8]>,
        words: Option<Vec<Word>>,
        body: Program,
        line: u32,
    },
    Case {
        word: Word,
        arms: Vec<CaseArm>,
        line: u32,
    },
    /// `(( EXPR ))` (bash, ksh, ash): status 0 when EXPR is not zero.
    Arith(Word),
    /// `[[ EXPR ]]` (bash, ksh, ash): words are not split or globbed.
    Cond(CondExpr),
}

/// An expression of `[[ ]]`.
#[derive(Debug)]
pub enum CondExpr {
    Not(Box<CondExpr>),
    And(Box<CondExpr>, Box<CondExpr>),
    Or(Box<CondExpr>, Box<CondExpr>),
    /// `-f WORD` and the like.
    Unary(Box<[u8]>, Word),
    /// `A == B`, `A -eq B`, `A =~ B`, `A < B`, ...
    Binary(Box<[u8]>, Word, Word),
    /// A lone word: true when not empty.
    Word(Word),
}

#[derive(Debug)]
pub struct CaseArm {
    pub patterns: Vec<Word>,
    pub body: Program,
    /// `;&`: fall through into the next arm's body.
    pub fallthrough: bool,
    /// `;;&` (bash): go on testing the following patterns.
    pub test_next: bool,
}

#[derive(Debug)]
pub struct Redir {
    /// The descriptor given before the operator, if any.
    pub fd: Option<i32>,
    pub op: RedirOp,
    pub target: RedirTarget,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RedirOp {
    /// `<`
    In,
    /// `>`
    Out,
    /// `>|`
    Clobber,
    /// `>>`
    Append,
    /// `<>`
    ReadWrite,
    /// `<&`
    DupIn,
    /// `>&`
    DupOut,
    /// `<<` and `<<-`
    HereDoc,
    /// `<<<`: the expanded word and a newline on standard input
    HereString,
    /// `&>`: standard output and error to a file (bash, BusyBox ash)
    OutErr,
    /// `&>>`: standard output and error appended to a file
    AppendErr,
}

#[derive(Debug)]
pub enum RedirTarget {
    Word(Word),
    /// Filled in when the body lines are read, after the command's newline.
    HereDoc(Rc<HereDoc>),
}

#[derive(Debug, Default)]
pub struct HereDoc {
    /// Quoted delimiter: the body is literal.
    pub literal: bool,
    pub body: OnceCell<Word>,
}

/// A word: parts concatenated. An empty part list is the empty word.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Word {
    pub parts: Vec<Part>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Part {
    /// Unquoted text: subject to tilde expansion (at the start), pathname
    /// expansion, and pattern matching.
    Lit(Box<[u8]>),
    /// Quoted text (single quotes, backslash escapes, literal text inside
    /// double quotes): taken as is.
    Quoted(Box<[u8]>),
    /// A double-quoted section: expansions inside are not split or globbed.
    Double(Vec<Part>),
    Param(Box<Param>),
    /// `$(...)` or backquotes; the body is parsed already.
    CmdSub(Rc<Program>),
    /// `$((...))`: the expression text after its own expansions.
    Arith(Word),
}

// Programs compare by identity: only words' shapes matter in tests.
impl PartialEq for Program {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self, other)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Param {
    pub name: ParamName,
    pub op: ParamOp,
    /// `:` given with `-`, `=`, `?` or `+`: treat empty as unset.
    pub colon: bool,
    pub arg: Option<Word>,
    /// The second word of `${x:off:len}` and `${x/pat/rep}`.
    pub arg2: Option<Word>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ParamName {
    Var(Box<[u8]>),
    /// `$1`, `${10}`
    Positional(usize),
    /// One of `@ * # ? - $ ! 0`.
    Special(u8),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParamOp {
    Plain,
    /// `${#x}`
    Length,
    /// `-`
    Default,
    /// `=`
    Assign,
    /// `?`
    Error,
    /// `+`
    Alternative,
    /// `%`
    TrimSmallSuffix,
    /// `%%`
    TrimLargeSuffix,
    /// `#`
    TrimSmallPrefix,
    /// `##`
    TrimLargePrefix,
    /// `${x:off[:len]}` (bash, ash)
    Substring,
    /// `${x/pat/rep}`
    ReplaceFirst,
    /// `${x//pat/rep}`
    ReplaceAll,
    /// `${x/#pat/rep}`
    ReplacePrefix,
    /// `${x/%pat/rep}`
    ReplaceSuffix,
    /// `${!x}` (bash): the variable x names.
    Indirect,
    /// `${x^}` `${x^^}` `${x,}` `${x,,}` (bash): case changes.
    UpperFirst,
    UpperAll,
    LowerFirst,
    LowerAll,
}

impl Word {
    /// The text of a word made only of unquoted literal text.
    pub fn as_literal(&self) -> Option<&[u8]> {
        match self.parts.as_slice() {
            [Part::Lit(s)] => Some(s),
            [] => None,
            _ => None,
        }
    }

    /// The word with quotes removed and no expansions performed (for
    /// here-doc delimiters).
    pub fn unquoted_text(&self) -> Vec<u8> {
        fn walk(parts: &[Part], out: &mut Vec<u8>) {
            for p in parts {
                match p {
                    Part::Lit(s) | Part::Quoted(s) => out.extend_from_slice(s),
                    Part::Double(inner) => walk(inner, out),
                    Part::Param(_) | Part::CmdSub(_) | Part::Arith(_) => {}
                }
            }
        }
        let mut v = Vec::new();
        walk(&self.parts, &mut v);
        v
    }
}
