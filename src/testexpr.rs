//! The expression language of test, `[` and `[[` (shared by the applet and
//! the shell's builtin). Up to four arguments follow POSIX's rules by
//! argument count; longer expressions use the XSI grammar (`!` binds tighter
//! than `-a`, which binds tighter than `-o`; parentheses group). Messages use
//! GNU's wording. No state outside the call.

use crate::sys::{self, Dir, Stat};

/// A syntax or operand error, as the message after `test: `.
pub type Res<T> = Result<T, Vec<u8>>;

fn quoted(before: &str, arg: &[u8], after: &str) -> Vec<u8> {
    let mut m = Vec::with_capacity(before.len() + arg.len() + after.len() + 2);
    m.extend_from_slice(before.as_bytes());
    m.push(b'\'');
    m.extend_from_slice(arg);
    m.push(b'\'');
    m.extend_from_slice(after.as_bytes());
    m
}

/// Run test as `name` (`test`, `[` or `[[`) on `args`: true/false, or the
/// message of a syntax error (exit status 2).
pub fn test(name: &[u8], args: &[&[u8]]) -> Res<bool> {
    let close: &[u8] = match name {
        b"[" => b"]",
        b"[[" => b"]]",
        _ => b"",
    };
    let mut args = args;
    if !close.is_empty() {
        match args.split_last() {
            Some((l, rest)) if *l == close => args = rest,
            _ => return Err(quoted("missing ", close, "")),
        }
    }
    let last = args.last().copied().unwrap_or(b"");
    evaluate(args, last)
}

/// Evaluate an expression: by argument count up to four, else the grammar.
/// `last` is the whole expression's last argument, named when one is missing.
fn evaluate(a: &[&[u8]], last: &[u8]) -> Res<bool> {
    match a {
        [] => Ok(false),
        [x] => Ok(!x.is_empty()),
        [x, y] => two(x, y, last),
        [x, y, z] => three(x, y, z, last),
        [w, x, y, z] => {
            if *w == b"!" {
                Ok(!three(x, y, z, last)?)
            } else if *w == b"(" && *z == b")" {
                two(x, y, last)
            } else {
                grammar(a, last)
            }
        }
        _ => grammar(a, last),
    }
}

fn two(x: &[u8], y: &[u8], last: &[u8]) -> Res<bool> {
    if x == b"!" {
        return Ok(y.is_empty());
    }
    if is_dash_letter(x) {
        return unary(x, y);
    }
    Err(quoted("missing argument after ", last, ""))
}

fn three(x: &[u8], y: &[u8], z: &[u8], last: &[u8]) -> Res<bool> {
    if is_binary(y) {
        return binary(x, y, z);
    }
    match y {
        b"-a" => return Ok(!x.is_empty() && !z.is_empty()),
        b"-o" => return Ok(!x.is_empty() || !z.is_empty()),
        _ => {}
    }
    if x == b"!" {
        return Ok(!two(y, z, last)?);
    }
    if x == b"(" && z == b")" {
        return Ok(!y.is_empty());
    }
    Err(quoted("", y, ": binary operator expected"))
}

/// `-X`: the shape of a unary operator.
fn is_dash_letter(s: &[u8]) -> bool {
    s.len() == 2 && s[0] == b'-'
}

fn is_binary(op: &[u8]) -> bool {
    matches!(
        op,
        b"=" | b"=="
            | b"!="
            | b"<"
            | b">"
            | b"-eq"
            | b"-ne"
            | b"-gt"
            | b"-ge"
            | b"-lt"
            | b"-le"
            | b"-nt"
            | b"-ot"
            | b"-ef"
    )
}

fn is_unary(op: &[u8]) -> bool {
    is_dash_letter(op) && b"bcdefghkLnNpOGrsStuwxz".contains(&op[1])
}

/// Recursive descent over the whole argument list, with an explicit
/// position; what is left over is an error.
fn grammar(a: &[&[u8]], last: &[u8]) -> Res<bool> {
    let mut p = Parser { a, pos: 0, last };
    let v = p.or()?;
    match a.get(p.pos) {
        None => Ok(v),
        Some(extra) => Err(quoted("extra argument ", extra, "")),
    }
}

struct Parser<'a, 'b> {
    a: &'a [&'b [u8]],
    pos: usize,
    last: &'a [u8],
}

impl<'b> Parser<'_, 'b> {
    fn peek(&self) -> Option<&'b [u8]> {
        self.a.get(self.pos).copied()
    }

    /// Ran out of arguments: name the last one.
    fn beyond(&self) -> Vec<u8> {
        quoted("missing argument after ", self.last, "")
    }

    fn or(&mut self) -> Res<bool> {
        let mut v = self.and()?;
        while self.peek() == Some(b"-o") {
            self.pos += 1;
            let r = self.and()?;
            v = v || r;
        }
        Ok(v)
    }

    fn and(&mut self) -> Res<bool> {
        let mut v = self.term()?;
        while self.peek() == Some(b"-a") {
            self.pos += 1;
            let r = self.term()?;
            v = v && r;
        }
        Ok(v)
    }

    fn term(&mut self) -> Res<bool> {
        let mut negate = false;
        while self.peek() == Some(b"!") {
            self.pos += 1;
            negate = !negate;
        }
        let Some(tok) = self.peek() else {
            return Err(self.beyond());
        };
        let left = self.a.len() - self.pos;
        let v = if tok == b"(" {
            self.pos += 1;
            self.paren()?
        } else if left >= 3 && is_binary(self.a[self.pos + 1]) {
            let (x, op, y) = (tok, self.a[self.pos + 1], self.a[self.pos + 2]);
            self.pos += 3;
            binary(x, op, y)?
        } else if is_dash_letter(tok) {
            if !is_unary(tok) {
                return Err(quoted("", tok, ": unary operator expected"));
            }
            let Some(&operand) = self.a.get(self.pos + 1) else {
                return Err(self.beyond());
            };
            self.pos += 2;
            unary(tok, operand)?
        } else {
            self.pos += 1;
            !tok.is_empty()
        };
        Ok(v != negate)
    }

    /// After `(`: up to four arguments before the first `)` are judged by
    /// POSIX's count rules (so `( ! )` and `( -n )` work), anything else by
    /// the grammar, which also handles nested parentheses.
    fn paren(&mut self) -> Res<bool> {
        if self.pos >= self.a.len() {
            return Err(self.beyond());
        }
        let start = self.pos;
        let close = self.a[start + 1..]
            .iter()
            .position(|t| *t == b")")
            .map(|i| start + 1 + i);
        let mut first_err = None;
        if let Some(end) = close.filter(|e| e - start <= 4) {
            match evaluate(&self.a[start..end], self.last) {
                Ok(v) => {
                    self.pos = end + 1;
                    return Ok(v);
                }
                Err(e) => first_err = Some(e),
            }
        }
        let r = self.or().and_then(|v| match self.peek() {
            Some(b")") => {
                self.pos += 1;
                Ok(v)
            }
            Some(other) => Err(quoted("')' expected, found ", other, "")),
            None => Err(b"')' expected".to_vec()),
        });
        match (r, first_err) {
            (Ok(v), _) => Ok(v),
            (Err(_), Some(e)) | (Err(e), None) => Err(e),
        }
    }
}

/// A decimal integer: blanks around, an optional sign, digits.
fn integer(s: &[u8]) -> Res<i64> {
    let blank = |c: &u8| *c == b' ' || *c == b'\t';
    let lead = s.iter().take_while(|c| blank(c)).count();
    let trail = s[lead..].iter().rev().take_while(|c| blank(c)).count();
    let core = &s[lead..s.len() - trail];
    let digits = core
        .strip_prefix(b"-")
        .or(core.strip_prefix(b"+"))
        .unwrap_or(core);
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return Err(quoted("invalid integer ", s, ""));
    }
    let core = core.strip_prefix(b"+").unwrap_or(core);
    crate::num::parse_i64(core).map_err(|_| quoted("integer out of range ", s, ""))
}

fn binary(x: &[u8], op: &[u8], y: &[u8]) -> Res<bool> {
    Ok(match op {
        b"=" | b"==" => x == y,
        b"!=" => x != y,
        b"<" => x < y,
        b">" => x > y,
        b"-nt" | b"-ot" => {
            let (a, b) = (sys::stat(x).ok(), sys::stat(y).ok());
            let (newer, older) = if op == b"-nt" { (a, b) } else { (b, a) };
            match (newer, older) {
                (Some(n), Some(o)) => n.mtime > o.mtime,
                (Some(_), None) => true,
                _ => false,
            }
        }
        b"-ef" => match (sys::stat(x), sys::stat(y)) {
            (Ok(a), Ok(b)) => a.same_file(&b),
            _ => false,
        },
        _ => {
            let (a, b) = (integer(x)?, integer(y)?);
            match op {
                b"-eq" => a == b,
                b"-ne" => a != b,
                b"-gt" => a > b,
                b"-ge" => a >= b,
                b"-lt" => a < b,
                _ => a <= b,
            }
        }
    })
}

fn unary(op: &[u8], arg: &[u8]) -> Res<bool> {
    let Some(&letter) = op.get(1).filter(|_| is_unary(op)) else {
        return Err(quoted("", op, ": unary operator expected"));
    };
    let st = |f: fn(&Stat) -> bool| sys::stat(arg).map(|s| f(&s)).unwrap_or(false);
    let access = |mode: i32| sys::faccessat(Dir::CWD, arg, mode, sys::AT_EACCESS).is_ok();
    Ok(match letter {
        b'n' => !arg.is_empty(),
        b'z' => arg.is_empty(),
        b't' => {
            let fd = integer(arg)?;
            i32::try_from(fd).is_ok_and(sys::isatty)
        }
        b'h' | b'L' => sys::lstat(arg).is_ok_and(|s| s.is_lnk()),
        b'e' => sys::stat(arg).is_ok(),
        b'f' => st(|s| s.is_reg()),
        b'd' => st(|s| s.is_dir()),
        b'b' => st(|s| s.kind() == sys::S_IFBLK),
        b'c' => st(|s| s.kind() == sys::S_IFCHR),
        b'p' => st(|s| s.kind() == sys::S_IFIFO),
        b'S' => st(|s| s.kind() == sys::S_IFSOCK),
        b's' => st(|s| s.size > 0),
        b'g' => st(|s| s.mode & 0o2000 != 0),
        b'u' => st(|s| s.mode & 0o4000 != 0),
        b'k' => st(|s| s.mode & 0o1000 != 0),
        b'N' => st(|s| s.mtime > s.atime),
        b'O' => sys::stat(arg).is_ok_and(|s| s.uid == sys::geteuid()),
        b'G' => sys::stat(arg).is_ok_and(|s| s.gid == sys::getegid()),
        b'r' => access(sys::R_OK),
        b'w' => access(sys::W_OK),
        _ => access(sys::X_OK),
    })
}
