//! Arithmetic expansion: every C integer operator POSIX names (with
//! assignment operators, `?:`, `,`, `++`/`--`), decimal/octal/hex constants,
//! and variables by name. Evaluates while parsing; branches not taken
//! (`&&`, `||`, `?:`) are parsed without side effects or errors.

/// A variable's value as arithmetic sees it.
pub enum Value {
    Unset,
    Num(i64),
    /// Not a plain number: evaluated as an expression (as bash does).
    Expr(Vec<u8>),
}

pub trait Env {
    fn get(&mut self, name: &[u8]) -> Value;
    fn set(&mut self, name: &[u8], value: i64) -> Result<(), String>;
}

struct Eval<'a> {
    s: &'a [u8],
    pos: usize,
    env: &'a mut dyn Env,
    depth: u32,
    /// The lookahead token and the position after it.
    ahead: Option<(Tok<'a>, usize)>,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Tok<'a> {
    Num(i64),
    Name(&'a [u8]),
    Op(&'static str),
    End,
}

/// The operator at the start of `s`, longest match first.
fn operator(s: &[u8]) -> Option<&'static str> {
    let c = *s.first()?;
    let n1 = s.get(1).copied();
    let n2 = s.get(2).copied();
    Some(match (c, n1) {
        (b'<', Some(b'<')) if n2 == Some(b'=') => "<<=",
        (b'>', Some(b'>')) if n2 == Some(b'=') => ">>=",
        (b'<', Some(b'<')) => "<<",
        (b'>', Some(b'>')) => ">>",
        (b'<', Some(b'=')) => "<=",
        (b'>', Some(b'=')) => ">=",
        (b'&', Some(b'&')) => "&&",
        (b'|', Some(b'|')) => "||",
        (b'=', Some(b'=')) => "==",
        (b'!', Some(b'=')) => "!=",
        (b'+', Some(b'+')) => "++",
        (b'-', Some(b'-')) => "--",
        (b'+', Some(b'=')) => "+=",
        (b'-', Some(b'=')) => "-=",
        (b'*', Some(b'*')) => "**",
        (b'*', Some(b'=')) => "*=",
        (b'/', Some(b'=')) => "/=",
        (b'%', Some(b'=')) => "%=",
        (b'&', Some(b'=')) => "&=",
        (b'^', Some(b'=')) => "^=",
        (b'|', Some(b'=')) => "|=",
        (b'+', _) => "+",
        (b'-', _) => "-",
        (b'*', _) => "*",
        (b'/', _) => "/",
        (b'%', _) => "%",
        (b'<', _) => "<",
        (b'>', _) => ">",
        (b'&', _) => "&",
        (b'|', _) => "|",
        (b'^', _) => "^",
        (b'!', _) => "!",
        (b'~', _) => "~",
        (b'?', _) => "?",
        (b':', _) => ":",
        (b'=', _) => "=",
        (b'(', _) => "(",
        (b')', _) => ")",
        (b',', _) => ",",
        _ => return None,
    })
}

/// Evaluate `expr`. Errors carry a message for `sh: arithmetic ...`.
pub fn eval(expr: &[u8], env: &mut dyn Env) -> Result<i64, String> {
    eval_depth(expr, env, 0)
}

fn eval_depth(expr: &[u8], env: &mut dyn Env, depth: u32) -> Result<i64, String> {
    if depth > 64 {
        return Err("expression recursion level exceeded".into());
    }
    let mut e = Eval {
        s: expr,
        pos: 0,
        env,
        depth,
        ahead: None,
    };
    if e.peek()? == Tok::End {
        return Ok(0);
    }
    let v = e.comma(true)?;
    match e.peek()? {
        Tok::End => Ok(v),
        _ => Err(e.syntax("expecting end of expression")),
    }
}

/// Parse an integer constant as the shell reads variable values: optional
/// blanks and sign, then decimal, 0octal or 0xhex.
pub fn parse_number(s: &[u8]) -> Option<i64> {
    let t = s.trim_ascii();
    let (neg, t) = match t.first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    let (v, n) = number_prefix(t)?;
    if n != t.len() {
        return None;
    }
    Some(if neg { v.wrapping_neg() } else { v })
}

/// A number at the start of `t`: (value, bytes used).
fn number_prefix(t: &[u8]) -> Option<(i64, usize)> {
    let first = *t.first()?;
    if !first.is_ascii_digit() {
        return None;
    }
    let (base, start) = if first == b'0' && matches!(t.get(1), Some(b'x' | b'X')) {
        (16, 2)
    } else if first == b'0' {
        (8, 1)
    } else {
        (10, 0)
    };
    let mut i = start;
    let mut v: i64 = 0;
    while let Some(&c) = t.get(i) {
        let d = match c {
            b'0'..=b'9' => i64::from(c - b'0'),
            b'a'..=b'z' => i64::from(c - b'a' + 10),
            b'A'..=b'Z' => i64::from(c - b'A' + 10),
            _ => break,
        };
        if d >= base {
            if c.is_ascii_alphanumeric() {
                return None;
            }
            break;
        }
        v = v.wrapping_mul(base).wrapping_add(d);
        i += 1;
    }
    // `base#digits` (bash): base 2..64.
    if base == 10 && t.get(i) == Some(&b'#') && (2..=64).contains(&v) {
        let b = v;
        let mut j = i + 1;
        let mut w: i64 = 0;
        let st = j;
        while let Some(&c) = t.get(j) {
            let d = match c {
                b'0'..=b'9' => i64::from(c - b'0'),
                b'a'..=b'z' => i64::from(c - b'a' + 10),
                b'A'..=b'Z' => i64::from(c - b'A') + if b <= 36 { 10 } else { 36 },
                b'@' => 62,
                b'_' => 63,
                _ => break,
            };
            if d >= b {
                return None;
            }
            w = w.wrapping_mul(b).wrapping_add(d);
            j += 1;
        }
        if j == st {
            return None;
        }
        return Some((w, j));
    }
    if start == 2 && i == 2 {
        return None;
    }
    Some((v, i))
}

impl<'a> Eval<'a> {
    fn syntax(&self, what: &str) -> String {
        format!(
            "arithmetic expression: {}: \"{}\"",
            what,
            String::from_utf8_lossy(self.s)
        )
    }

    fn skip_space(&mut self) {
        while self
            .s
            .get(self.pos)
            .is_some_and(|c| c.is_ascii_whitespace())
        {
            self.pos += 1;
        }
    }

    fn peek(&mut self) -> Result<Tok<'a>, String> {
        if let Some((t, _)) = self.ahead {
            return Ok(t);
        }
        let save = self.pos;
        let t = self.lex()?;
        self.ahead = Some((t, self.pos));
        self.pos = save;
        Ok(t)
    }

    fn next(&mut self) -> Result<Tok<'a>, String> {
        if let Some((t, end)) = self.ahead.take() {
            self.pos = end;
            return Ok(t);
        }
        self.lex()
    }

    fn lex(&mut self) -> Result<Tok<'a>, String> {
        self.skip_space();
        let s: &'a [u8] = self.s;
        let Some(&c) = s.get(self.pos) else {
            return Ok(Tok::End);
        };
        if c.is_ascii_digit() {
            let rest = &s[self.pos..];
            let Some((v, n)) = number_prefix(rest) else {
                return Err(self.syntax("bad number"));
            };
            if rest
                .get(n)
                .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_')
            {
                return Err(self.syntax("bad number"));
            }
            self.pos += n;
            return Ok(Tok::Num(v));
        }
        if c.is_ascii_alphabetic() || c == b'_' {
            let st = self.pos;
            while s
                .get(self.pos)
                .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_')
            {
                self.pos += 1;
            }
            return Ok(Tok::Name(&s[st..self.pos]));
        }
        match operator(&s[self.pos..]) {
            Some(op) => {
                self.pos += op.len();
                Ok(Tok::Op(op))
            }
            None => Err(self.syntax("unexpected character")),
        }
    }

    fn expect(&mut self, op: &str) -> Result<(), String> {
        match self.next()? {
            Tok::Op(o) if o == op => Ok(()),
            _ => Err(self.syntax(&format!("expecting '{op}'"))),
        }
    }

    fn var_value(&mut self, name: &[u8], live: bool) -> Result<i64, String> {
        if !live {
            return Ok(0);
        }
        match self.env.get(name) {
            Value::Unset => Ok(0),
            Value::Num(v) => Ok(v),
            // A value that is itself an expression (as bash evaluates it).
            Value::Expr(text) => eval_depth(&text, self.env, self.depth + 1),
        }
    }

    fn assign(&mut self, name: &[u8], v: i64, live: bool) -> Result<i64, String> {
        if live {
            self.env.set(name, v)?;
        }
        Ok(v)
    }

    fn comma(&mut self, live: bool) -> Result<i64, String> {
        let mut v = self.assignment(live)?;
        while self.peek()? == Tok::Op(",") {
            self.next()?;
            v = self.assignment(live)?;
        }
        Ok(v)
    }

    fn assignment(&mut self, live: bool) -> Result<i64, String> {
        // Only a name can start an assignment: anything else needs no
        // second look at the first token.
        if self.ahead.is_none() {
            self.skip_space();
            if !self
                .s
                .get(self.pos)
                .is_some_and(|&c| c.is_ascii_alphabetic() || c == b'_')
            {
                return self.ternary(live);
            }
        }
        let save = self.pos;
        let save_ahead = self.ahead;
        if let Tok::Name(name) = self.next()?
            && let Tok::Op(op) = self.peek()?
        {
            {
                let binop = match op {
                    "=" => Some(""),
                    "+=" | "-=" | "*=" | "/=" | "%=" | "<<=" | ">>=" | "&=" | "^=" | "|=" => {
                        Some(&op[..op.len() - 1])
                    }
                    _ => None,
                };
                if let Some(binop) = binop {
                    self.next()?;
                    let rhs = self.assignment(live)?;
                    let v = if binop.is_empty() {
                        rhs
                    } else {
                        let cur = self.var_value(name, live)?;
                        self.apply(binop, cur, rhs, live)?
                    };
                    return self.assign(name, v, live);
                }
            }
        }
        self.pos = save;
        self.ahead = save_ahead;
        self.ternary(live)
    }

    fn ternary(&mut self, live: bool) -> Result<i64, String> {
        let cond = self.binary(0, live)?;
        if self.peek()? != Tok::Op("?") {
            return Ok(cond);
        }
        self.next()?;
        let a = self.comma(live && cond != 0)?;
        self.expect(":")?;
        let b = self.assignment(live && cond == 0)?;
        Ok(if cond != 0 { a } else { b })
    }

    fn apply(&self, op: &str, a: i64, b: i64, live: bool) -> Result<i64, String> {
        Ok(match op {
            "*" => a.wrapping_mul(b),
            "/" | "%" => {
                if b == 0 {
                    if !live {
                        return Ok(0);
                    }
                    return Err("arithmetic expression: division by zero".into());
                }
                if op == "/" {
                    a.wrapping_div(b)
                } else {
                    a.wrapping_rem(b)
                }
            }
            "+" => a.wrapping_add(b),
            "-" => a.wrapping_sub(b),
            "<<" => a.wrapping_shl(b as u32),
            ">>" => a.wrapping_shr(b as u32),
            "<" => i64::from(a < b),
            "<=" => i64::from(a <= b),
            ">" => i64::from(a > b),
            ">=" => i64::from(a >= b),
            "==" => i64::from(a == b),
            "!=" => i64::from(a != b),
            "&" => a & b,
            "^" => a ^ b,
            "|" => a | b,
            _ => return Err(format!("arithmetic expression: unknown operator '{op}'")),
        })
    }

    fn binary(&mut self, min_prec: u8, live: bool) -> Result<i64, String> {
        let mut lhs = self.unary(live)?;
        while let Tok::Op(op) = self.peek()? {
            // `0++1` is 0 + +1 (no operand to increment here).
            let (op, split) = match op {
                "++" => ("+", Some("+")),
                "--" => ("-", Some("-")),
                o => (o, None),
            };
            let prec = match op {
                "||" => 1,
                "&&" => 2,
                "|" => 3,
                "^" => 4,
                "&" => 5,
                "==" | "!=" => 6,
                "<" | "<=" | ">" | ">=" => 7,
                "<<" | ">>" => 8,
                "+" | "-" => 9,
                "*" | "/" | "%" => 10,
                "**" => 11,
                _ => break,
            };
            if prec < min_prec {
                break;
            }
            self.next()?;
            match op {
                "&&" => {
                    let rhs = self.binary(prec + 1, live && lhs != 0)?;
                    lhs = i64::from(lhs != 0 && rhs != 0);
                }
                "||" => {
                    let rhs = self.binary(prec + 1, live && lhs == 0)?;
                    lhs = i64::from(lhs != 0 || rhs != 0);
                }
                // Exponentiation is right-associative (bash).
                "**" => {
                    let rhs = self.binary(prec, live)?;
                    if rhs < 0 {
                        if live {
                            return Err("arithmetic expression: exponent less than 0".into());
                        }
                        lhs = 0;
                    } else {
                        lhs = lhs.wrapping_pow(rhs.min(u32::MAX as i64) as u32);
                    }
                }
                _ => {
                    let mut rhs = self.binary(prec + 1, live)?;
                    if split == Some("-") {
                        rhs = rhs.wrapping_neg();
                    }
                    lhs = self.apply(op, lhs, rhs, live)?;
                }
            }
        }
        Ok(lhs)
    }

    fn unary(&mut self, live: bool) -> Result<i64, String> {
        if !super::stack::has_room(3) {
            return Err("expression nested too deeply".into());
        }
        match self.peek()? {
            Tok::Op(op @ ("+" | "-" | "!" | "~")) => {
                self.next()?;
                let v = self.unary(live)?;
                Ok(match op {
                    "+" => v,
                    "-" => v.wrapping_neg(),
                    "!" => i64::from(v == 0),
                    _ => !v,
                })
            }
            Tok::Op(op @ ("++" | "--")) => {
                self.next()?;
                match self.next()? {
                    Tok::Name(name) => {
                        let cur = self.var_value(name, live)?;
                        let v = if op == "++" {
                            cur.wrapping_add(1)
                        } else {
                            cur.wrapping_sub(1)
                        };
                        self.assign(name, v, live)
                    }
                    _ => Err(self.syntax("expecting a variable after ++/--")),
                }
            }
            _ => self.postfix(live),
        }
    }

    fn postfix(&mut self, live: bool) -> Result<i64, String> {
        match self.next()? {
            Tok::Num(v) => Ok(v),
            Tok::Name(name) => {
                let cur = self.var_value(name, live)?;
                if let Tok::Op(op @ ("++" | "--")) = self.peek()? {
                    self.next()?;
                    let v = if op == "++" {
                        cur.wrapping_add(1)
                    } else {
                        cur.wrapping_sub(1)
                    };
                    self.assign(name, v, live)?;
                }
                Ok(cur)
            }
            Tok::Op("(") => {
                let v = self.comma(live)?;
                self.expect(")")?;
                Ok(v)
            }
            _ => Err(self.syntax("expecting primary")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    struct M(HashMap<Vec<u8>, Vec<u8>>);
    impl Env for M {
        fn get(&mut self, n: &[u8]) -> Value {
            match self.0.get(n) {
                None => Value::Unset,
                Some(v) => match parse_number(v) {
                    Some(x) => Value::Num(x),
                    None if v.trim_ascii().is_empty() => Value::Unset,
                    None => Value::Expr(v.clone()),
                },
            }
        }
        fn set(&mut self, n: &[u8], v: i64) -> Result<(), String> {
            self.0.insert(n.to_vec(), v.to_string().into_bytes());
            Ok(())
        }
    }

    fn ev(s: &str) -> Result<i64, String> {
        eval(s.as_bytes(), &mut M(HashMap::new()))
    }

    #[test]
    fn precedence_and_operators() {
        assert_eq!(ev("1 + 2 * 3"), Ok(7));
        assert_eq!(ev("(1 + 2) * 3"), Ok(9));
        assert_eq!(ev("10 - 3 - 2"), Ok(5));
        assert_eq!(ev("2 * 3 % 4"), Ok(2));
        assert_eq!(ev("1 << 4 >> 2"), Ok(4));
        assert_eq!(ev("1 < 2 == 1"), Ok(1));
        assert_eq!(ev("6 & 3 | 8 ^ 1"), Ok(11));
        assert_eq!(ev("!0 + ~0"), Ok(0));
        assert_eq!(ev("-3 / 2"), Ok(-1));
        assert_eq!(ev("-7 % 3"), Ok(-1));
        assert_eq!(ev("1 ? 2 : 3"), Ok(2));
        assert_eq!(ev("0 ? 2 : 0 ? 3 : 4"), Ok(4));
        assert_eq!(ev("1, 2, 3"), Ok(3));
        assert_eq!(ev("0x1F + 010 + 9"), Ok(48));
        assert_eq!(ev("2#101 + 16#ff"), Ok(260));
        assert_eq!(ev(""), Ok(0));
        assert_eq!(ev("  42  "), Ok(42));
        assert_eq!(ev("9223372036854775807 + 1"), Ok(i64::MIN));
        assert_eq!(ev("0++1"), Ok(1));
        assert_eq!(ev("2**3**2"), Ok(512));
        assert_eq!(ev("-2**2"), Ok(4));
        assert!(ev("2**-1").is_err());
        assert_eq!(ev("1--1"), Ok(2));
        assert_eq!(ev("1 - -1"), Ok(2));
    }

    #[test]
    fn errors() {
        assert!(ev("1 / 0").is_err());
        assert!(ev("1 +").is_err());
        assert!(ev("(1").is_err());
        assert!(ev("1 2").is_err());
        assert!(ev("08").is_err());
        assert!(ev("0x").is_err());
        assert!(ev("1a").is_err());
        // Not evaluated: no division error.
        assert_eq!(ev("0 && 1 / 0"), Ok(0));
        assert_eq!(ev("1 || 1 / 0"), Ok(1));
        assert_eq!(ev("1 ? 5 : 1 / 0"), Ok(5));
    }

    #[test]
    fn variables_and_assignment() {
        let mut m = M(HashMap::new());
        m.0.insert(b"x".to_vec(), b"5".to_vec());
        m.0.insert(b"e".to_vec(), b"x * 2".to_vec());
        assert_eq!(eval(b"x + 1", &mut m), Ok(6));
        assert_eq!(eval(b"e + 1", &mut m), Ok(11));
        assert_eq!(eval(b"y", &mut m), Ok(0));
        assert_eq!(eval(b"y = x += 2", &mut m), Ok(7));
        assert_eq!(m.0.get(&b"y"[..]).unwrap(), b"7");
        assert_eq!(eval(b"x++ + ++x", &mut m), Ok(7 + 9));
        assert_eq!(eval(b"x--", &mut m), Ok(9));
        assert_eq!(eval(b"z <<= 2, z |= 1", &mut m), Ok(1));
        assert_eq!(eval(b"0 && (q = 5)", &mut m), Ok(0));
        assert!(!m.0.contains_key(&b"q"[..]));
    }
}
