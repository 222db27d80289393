//! expr: evaluate an expression given as arguments and print its value.
//! Operators, loosest first: `|`, `&`, comparisons (`< <= = == != >= >`,
//! numeric when both sides are integers, else byte order), `+ -`,
//! `* / %`, `:` (anchored BRE match: `\1` or the match length), then
//! `match`, `substr`, `index`, `length`, `+ TOKEN` and parentheses.
//! Integers are 128-bit; overflow is an error. Exit 0 when the value is
//! neither empty nor 0, 1 when it is, 2 for a bad expression, 3 on other
//! errors.

use ibex::Status;
use ibex::io::Out;
use ibex::records::cquote;
use ibex::regex::{Flags, Regex};
use std::ffi::OsString;
use std::os::unix::ffi::OsStrExt;

const USAGE: ibex::usage::Usage = ibex::usage!(
    expr,
    "expr EXPRESSION\n\n\
     Print the value of EXPRESSION\n\n\
     \tARG1 | ARG2\tARG1 if it is neither null nor 0, otherwise ARG2\n\
     \tARG1 & ARG2\tARG1 if neither argument is null or 0, otherwise 0\n\
     \tARG1 < <= = == != >= > ARG2\tComparison, 1 or 0\n\
     \tARG1 + - * / % ARG2\tInteger arithmetic\n\
     \tSTRING : REGEXP\tAnchored match: \\1 or the length matched\n\
     \tmatch STRING REGEXP\tSame as STRING : REGEXP\n\
     \tsubstr STRING POS LENGTH\tSubstring, POS counted from 1\n\
     \tindex STRING CHARS\tPosition of the first of CHARS in STRING, or 0\n\
     \tlength STRING\tLength of STRING\n\
     \t+ TOKEN\tTOKEN as a string, even if it is a keyword"
);

#[derive(Clone)]
enum Val {
    Int(i128),
    Str(Vec<u8>),
}

/// Why evaluation stopped: a message and the exit status.
struct Fail(Vec<u8>, i32);

type R = Result<Val, Fail>;

fn syntax(parts: &[&[u8]]) -> Fail {
    let mut m = b"syntax error: ".to_vec();
    for p in parts {
        m.extend_from_slice(p);
    }
    Fail(m, 2)
}

/// An optional minus and one or more digits.
fn integer_like(s: &[u8]) -> bool {
    let d = s.strip_prefix(b"-").unwrap_or(s);
    !d.is_empty() && d.iter().all(u8::is_ascii_digit)
}

fn range_error(what: &[u8]) -> Fail {
    let mut m = what.to_vec();
    m.extend_from_slice(b": Numerical result out of range");
    Fail(m, 3)
}

impl Val {
    fn bytes(&self) -> Vec<u8> {
        match self {
            Val::Int(n) => n.to_string().into_bytes(),
            Val::Str(s) => s.clone(),
        }
    }

    /// The value as an integer: None if it is not one, an error if it is
    /// one too large.
    fn int(&self) -> Result<Option<i128>, Fail> {
        match self {
            Val::Int(n) => Ok(Some(*n)),
            Val::Str(s) if integer_like(s) => {
                let neg = s.first() == Some(&b'-');
                let mut n: i128 = 0;
                for &c in &s[usize::from(neg)..] {
                    let d = i128::from(c - b'0');
                    n = n
                        .checked_mul(10)
                        .and_then(|n| {
                            if neg {
                                n.checked_sub(d)
                            } else {
                                n.checked_add(d)
                            }
                        })
                        .ok_or_else(|| range_error(s))?;
                }
                Ok(Some(n))
            }
            Val::Str(_) => Ok(None),
        }
    }

    fn need_int(&self) -> Result<i128, Fail> {
        self.int()?
            .ok_or_else(|| Fail(b"non-integer argument".to_vec(), 2))
    }

    /// Empty, or 0 (also as a string of zeros, with an optional minus).
    fn null(&self) -> bool {
        match self {
            Val::Int(n) => *n == 0,
            Val::Str(s) => {
                let d = s.strip_prefix(b"-").unwrap_or(s);
                s.is_empty() || (!d.is_empty() && d.iter().all(|&c| c == b'0'))
            }
        }
    }
}

/// Compare two integer-looking strings numerically, at any length.
fn cmp_numeric(a: &[u8], b: &[u8]) -> std::cmp::Ordering {
    use std::cmp::Ordering;
    let norm = |s: &[u8]| -> (bool, Vec<u8>) {
        let neg = s.first() == Some(&b'-');
        let d = &s[usize::from(neg)..];
        let z = d.iter().take_while(|&&c| c == b'0').count();
        let d = d[z..].to_vec();
        (neg && !d.is_empty(), d)
    };
    let (na, da) = norm(a);
    let (nb, db) = norm(b);
    let mag = da.len().cmp(&db.len()).then_with(|| da.cmp(&db));
    match (na, nb) {
        (false, true) => Ordering::Greater,
        (true, false) => Ordering::Less,
        (false, false) => mag,
        (true, true) => mag.reverse(),
    }
}

struct Ev<'a> {
    args: &'a [&'a [u8]],
    pos: usize,
}

impl<'a> Ev<'a> {
    fn peek(&self) -> Option<&'a [u8]> {
        self.args.get(self.pos).copied()
    }

    fn next_is(&mut self, op: &[u8]) -> bool {
        if self.peek() == Some(op) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    /// The next argument if it is one of `ops`.
    fn next_of(&mut self, ops: &[&[u8]]) -> Option<&'a [u8]> {
        let a = self.peek()?;
        if ops.contains(&a) {
            self.pos += 1;
            Some(a)
        } else {
            None
        }
    }

    fn prev(&self) -> &'a [u8] {
        self.args
            .get(self.pos.wrapping_sub(1))
            .copied()
            .unwrap_or(b"")
    }

    fn or(&mut self, run: bool) -> R {
        let mut l = self.and(run)?;
        while self.next_is(b"|") {
            let r = self.and(run && l.null())?;
            if run && l.null() {
                l = if r.null() { Val::Int(0) } else { r };
            }
        }
        Ok(l)
    }

    fn and(&mut self, run: bool) -> R {
        let mut l = self.compare(run)?;
        while self.next_is(b"&") {
            let r = self.compare(run && !l.null())?;
            if run && (l.null() || r.null()) {
                l = Val::Int(0);
            }
        }
        Ok(l)
    }

    fn compare(&mut self, run: bool) -> R {
        let mut l = self.additive(run)?;
        while let Some(op) = self.next_of(&[b"<", b"<=", b"=", b"==", b"!=", b">=", b">"]) {
            let r = self.additive(run)?;
            if !run {
                continue;
            }
            let (a, b) = (l.bytes(), r.bytes());
            let ord = if integer_like(&a) && integer_like(&b) {
                cmp_numeric(&a, &b)
            } else {
                a.cmp(&b)
            };
            use std::cmp::Ordering::*;
            let t = match op {
                b"<" => ord == Less,
                b"<=" => ord != Greater,
                b"=" | b"==" => ord == Equal,
                b"!=" => ord != Equal,
                b">=" => ord != Less,
                _ => ord == Greater,
            };
            l = Val::Int(i128::from(t));
        }
        Ok(l)
    }

    fn additive(&mut self, run: bool) -> R {
        let mut l = self.multiplicative(run)?;
        while let Some(op) = self.next_of(&[b"+", b"-"]) {
            let r = self.multiplicative(run)?;
            if run {
                let (a, b) = (l.need_int()?, r.need_int()?);
                let v = if op == b"+" {
                    a.checked_add(b)
                } else {
                    a.checked_sub(b)
                };
                l = Val::Int(v.ok_or_else(|| range_error(op))?);
            }
        }
        Ok(l)
    }

    fn multiplicative(&mut self, run: bool) -> R {
        let mut l = self.colon(run)?;
        while let Some(op) = self.next_of(&[b"*", b"/", b"%"]) {
            let r = self.colon(run)?;
            if run {
                let (a, b) = (l.need_int()?, r.need_int()?);
                if op != b"*" && b == 0 {
                    return Err(Fail(b"division by zero".to_vec(), 2));
                }
                let v = match op {
                    b"*" => a.checked_mul(b),
                    b"/" => a.checked_div(b),
                    _ => a.checked_rem(b),
                };
                l = Val::Int(v.ok_or_else(|| range_error(op))?);
            }
        }
        Ok(l)
    }

    fn colon(&mut self, run: bool) -> R {
        let mut l = self.unary(run)?;
        while self.next_is(b":") {
            let r = self.unary(run)?;
            if run {
                l = matches(&l, &r)?;
            }
        }
        Ok(l)
    }

    fn unary(&mut self, run: bool) -> R {
        if self.next_is(b"+") {
            return match self.peek() {
                Some(a) => {
                    self.pos += 1;
                    Ok(Val::Str(a.to_vec()))
                }
                None => Err(syntax(&[b"missing argument after ", &cquote(b"+")])),
            };
        }
        if self.next_is(b"length") {
            let s = self.unary(run)?;
            return Ok(Val::Int(s.bytes().len() as i128));
        }
        if self.next_is(b"match") {
            let s = self.unary(run)?;
            let re = self.unary(run)?;
            return if run { matches(&s, &re) } else { Ok(s) };
        }
        if self.next_is(b"index") {
            let s = self.unary(run)?.bytes();
            let set = self.unary(run)?.bytes();
            let at = s.iter().position(|c| set.contains(c)).map_or(0, |i| i + 1);
            return Ok(Val::Int(at as i128));
        }
        if self.next_is(b"substr") {
            let s = self.unary(run)?.bytes();
            let p = self.unary(run)?;
            let n = self.unary(run)?;
            let (Ok(Some(p)), Ok(Some(n))) = (p.int(), n.int()) else {
                return Ok(Val::Str(Vec::new()));
            };
            if p < 1 || n < 1 || p > s.len() as i128 {
                return Ok(Val::Str(Vec::new()));
            }
            let start = (p - 1) as usize;
            let len = n.min((s.len() - start) as i128) as usize;
            return Ok(Val::Str(s[start..start + len].to_vec()));
        }
        self.primary(run)
    }

    fn primary(&mut self, run: bool) -> R {
        let Some(a) = self.peek() else {
            return Err(syntax(&[b"missing argument after ", &cquote(self.prev())]));
        };
        self.pos += 1;
        if a == b"(" {
            let v = self.or(run)?;
            return match self.peek() {
                None => Err(syntax(&[b"expecting ')' after ", &cquote(self.prev())])),
                Some(b")") => {
                    self.pos += 1;
                    Ok(v)
                }
                Some(x) => Err(syntax(&[b"expecting ')' instead of ", &cquote(x)])),
            };
        }
        if a == b")" {
            return Err(syntax(&[b"unexpected ')'"]));
        }
        Ok(Val::Str(a.to_vec()))
    }
}

/// `STRING : REGEXP`, anchored at the start of STRING.
fn matches(s: &Val, re: &Val) -> R {
    let (s, pat) = (s.bytes(), re.bytes());
    let re = Regex::new(&pat, Flags::default()).map_err(|e| Fail(e.message().into(), 2))?;
    let caps = re.captures_at(&s, 0).filter(|c| c.whole().start == 0);
    Ok(if re.groups() > 0 {
        let g = caps.as_ref().and_then(|c| c.get(1));
        Val::Str(g.map_or(Vec::new(), |m| s[m.start..m.end].to_vec()))
    } else {
        Val::Int(caps.map_or(0, |c| c.whole().len() as i128))
    })
}

pub fn main(argv: &[OsString]) -> Status {
    let mut args: Vec<&[u8]> = argv.iter().skip(1).map(|a| a.as_bytes()).collect();
    match args.first() {
        Some(&b"--help") if args.len() == 1 => {
            ibex::args::print_usage(&ibex::args::Spec::new("", &[], USAGE));
            return Ok(0);
        }
        Some(&b"--") => {
            args.remove(0);
        }
        _ => {}
    }
    if args.is_empty() {
        ibex::msg!("missing operand\nUsage: ", USAGE.synopsis().as_slice());
        return Ok(2);
    }
    let mut ev = Ev {
        args: &args,
        pos: 0,
    };
    let v = ev.or(true).and_then(|v| match ev.peek() {
        Some(extra) => Err(syntax(&[b"unexpected argument ", &cquote(extra)])),
        None => Ok(v),
    });
    match v {
        Ok(v) => {
            let mut out = Out::stdout();
            out.write(&v.bytes());
            out.byte(b'\n');
            out.done(i32::from(v.null()))
        }
        Err(Fail(m, code)) => {
            ibex::msg!(m);
            Ok(code)
        }
    }
}
