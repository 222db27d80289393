//! Word expansion in POSIX order: tilde, parameter, command substitution and
//! arithmetic; then field splitting on IFS, pathname expansion and quote
//! removal. Fields remember which bytes were quoted, so globbing and
//! pattern matching see quoted characters as literal.

use super::arith;
use super::ast::*;
use super::exec::{Flow, Shell};
use super::parse::is_name;

/// A field being built: bytes plus the spans that were quoted.
#[derive(Default, Debug)]
struct Field {
    bytes: Vec<u8>,
    quoted: Vec<(usize, usize)>,
    /// An unquoted pattern character is present: try pathname expansion.
    glob: bool,
}

impl Field {
    fn push_quoted(&mut self, s: &[u8]) {
        let start = self.bytes.len();
        self.bytes.extend_from_slice(s);
        if let Some(last) = self.quoted.last_mut()
            && last.1 == start
        {
            last.1 = self.bytes.len();
            return;
        }
        if !s.is_empty() {
            self.quoted.push((start, self.bytes.len()));
        }
    }

    fn push_unquoted(&mut self, s: &[u8]) {
        if !self.glob && s.iter().any(|c| matches!(c, b'*' | b'?' | b'[')) {
            self.glob = true;
        }
        self.bytes.extend_from_slice(s);
    }

    /// The field as a pattern: quoted bytes escaped. A backslash from an
    /// unquoted expansion still escapes the next character (as in bash).
    fn pattern(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.bytes.len() + 8);
        let mut q = self.quoted.iter().peekable();
        for (i, &c) in self.bytes.iter().enumerate() {
            while q.peek().is_some_and(|&&(_, e)| e <= i) {
                q.next();
            }
            let quoted = q.peek().is_some_and(|&&(s, e)| s <= i && i < e);
            // A slash is never special; escaping it would hide it from the
            // pathname component split.
            if quoted && c != b'/' {
                out.push(b'\\');
            }
            out.push(c);
        }
        out
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Split fields and expand pathnames (command words).
    Fields,
    /// One string, quotes removed (assignments, redirections, case word).
    String,
    /// One string keeping pattern characters active unless quoted.
    Pattern,
}

/// The IFS characters as a set.
#[derive(Clone, Copy)]
struct Ifs {
    set: [u64; 4],
    empty: bool,
}

impl Ifs {
    fn new(chars: &[u8]) -> Ifs {
        let mut set = [0u64; 4];
        for &c in chars {
            set[usize::from(c >> 6)] |= 1 << (c & 63);
        }
        Ifs {
            set,
            empty: chars.is_empty(),
        }
    }
    fn contains(&self, c: u8) -> bool {
        self.set[usize::from(c >> 6)] & (1 << (c & 63)) != 0
    }
    fn is_empty(&self) -> bool {
        self.empty
    }
}

struct Builder {
    fields: Vec<Field>,
    cur: Field,
    /// The current field exists even if empty (something quoted was seen).
    has_cur: bool,
    mode: Mode,
    ifs: Ifs,
    /// The last bytes split were IFS whitespace that ended a field.
    after_ws: bool,
}

fn is_ifs_ws(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n')
}

impl Builder {
    fn new(mode: Mode, ifs: Ifs) -> Builder {
        Builder {
            fields: Vec::new(),
            cur: Field::default(),
            has_cur: false,
            mode,
            ifs,
            after_ws: false,
        }
    }

    /// Literal text from the script (never split).
    fn lit(&mut self, s: &[u8]) {
        if s.is_empty() {
            return;
        }
        self.has_cur = true;
        self.after_ws = false;
        self.cur.push_unquoted(s);
    }

    fn quoted(&mut self, s: &[u8]) {
        self.has_cur = true;
        self.after_ws = false;
        self.cur.push_quoted(s);
    }

    /// The result of an expansion: split on IFS unless quoted.
    fn expansion(&mut self, s: &[u8], quoted: bool) {
        if quoted {
            self.quoted(s);
            return;
        }
        if self.mode != Mode::Fields || self.ifs.is_empty() {
            if !s.is_empty() {
                self.has_cur = true;
                self.after_ws = false;
                self.cur.push_unquoted(s);
            }
            return;
        }
        let mut start = 0;
        for (i, &c) in s.iter().enumerate() {
            if !self.ifs.contains(c) {
                continue;
            }
            if i > start {
                self.has_cur = true;
                self.after_ws = false;
                self.cur.push_unquoted(&s[start..i]);
            }
            start = i + 1;
            if is_ifs_ws(c) {
                if self.has_cur {
                    self.end_field();
                    self.after_ws = true;
                }
            } else if self.after_ws {
                // Whitespace next to a non-whitespace delimiter is one delimiter.
                self.after_ws = false;
            } else {
                self.has_cur = true;
                self.end_field();
            }
        }
        if start < s.len() {
            self.has_cur = true;
            self.after_ws = false;
            self.cur.push_unquoted(&s[start..]);
        }
    }

    fn end_field(&mut self) {
        if self.has_cur {
            let f = std::mem::take(&mut self.cur);
            self.fields.push(f);
        }
        self.has_cur = false;
    }

    /// Separate fields unconditionally (between "$@" elements).
    fn force_break(&mut self) {
        if self.mode != Mode::Fields {
            // One string ("$@" in an assignment or redirection): join with spaces.
            self.cur.push_quoted(b" ");
            return;
        }
        let f = std::mem::take(&mut self.cur);
        self.fields.push(f);
        self.has_cur = false;
        self.after_ws = false;
    }

    fn finish(mut self) -> Vec<Field> {
        self.end_field();
        self.fields
    }
}

/// Does a Lit part's text need tilde expansion handling?
fn tilde_prefix(s: &[u8]) -> Option<(&[u8], &[u8])> {
    let rest = s.strip_prefix(b"~")?;
    let end = rest.iter().position(|&c| c == b'/').unwrap_or(rest.len());
    Some((&rest[..end], &rest[end..]))
}

/// One unit of a word for brace expansion: an unquoted literal byte, or
/// any other part (quoted text, expansions), which braces never split.
#[derive(Clone, Copy)]
enum Atom<'a> {
    B(u8),
    P(&'a Part),
}

/// Brace expansion (bash, ksh): `a{b,c}d` gives `abd acd`, `{1..3}` and
/// `{a..c}` sequences; None when the word has nothing to expand.
fn brace_expand(w: &Word) -> Option<Vec<Word>> {
    let has_brace = w
        .parts
        .iter()
        .any(|p| matches!(p, Part::Lit(l) if l.contains(&b'{')));
    if !has_brace {
        return None;
    }
    let mut atoms = Vec::new();
    for p in &w.parts {
        match p {
            Part::Lit(l) => atoms.extend(l.iter().map(|&b| Atom::B(b))),
            other => atoms.push(Atom::P(other)),
        }
    }
    let mut outs = Vec::new();
    if !brace_atoms(&atoms, &mut outs, 0) {
        return None;
    }
    Some(
        outs.into_iter()
            .map(|a| {
                let mut parts = Vec::new();
                let mut lit = Vec::new();
                for x in a {
                    match x {
                        Atom::B(b) => lit.push(b),
                        Atom::P(p) => {
                            if !lit.is_empty() {
                                parts.push(Part::Lit(std::mem::take(&mut lit).into()));
                            }
                            parts.push(p.clone());
                        }
                    }
                }
                if !lit.is_empty() {
                    parts.push(Part::Lit(lit.into()));
                }
                Word { parts }
            })
            .collect(),
    )
}

/// Expand the first brace group of `atoms` into `out`; false when there is
/// none (the atoms are then pushed unchanged).
fn brace_atoms<'a>(atoms: &[Atom<'a>], out: &mut Vec<Vec<Atom<'a>>>, depth: usize) -> bool {
    let is = |a: &Atom, c: u8| matches!(a, Atom::B(b) if *b == c);
    if depth > 64 || out.len() > 1_000_000 {
        out.push(atoms.to_vec());
        return false;
    }
    for i in 0..atoms.len() {
        if !is(&atoms[i], b'{') {
            continue;
        }
        // The matching close and the top-level commas.
        let mut level = 0;
        let mut commas = Vec::new();
        let mut close = None;
        for (j, a) in atoms.iter().enumerate().skip(i + 1) {
            if is(a, b'{') {
                level += 1;
            } else if is(a, b'}') {
                if level == 0 {
                    close = Some(j);
                    break;
                }
                level -= 1;
            } else if is(a, b',') && level == 0 {
                commas.push(j);
            }
        }
        let Some(j) = close else { continue };
        let (pre, inner, post) = (&atoms[..i], &atoms[i + 1..j], &atoms[j + 1..]);
        let alts: Vec<Vec<Atom>> = if commas.is_empty() {
            match brace_sequence(inner) {
                Some(items) => items
                    .into_iter()
                    .map(|t| t.into_iter().map(Atom::B).collect())
                    .collect(),
                None => continue,
            }
        } else {
            let mut v = Vec::new();
            let mut st = i + 1;
            for &c in commas.iter().chain(std::iter::once(&j)) {
                v.push(atoms[st..c].to_vec());
                st = c + 1;
            }
            v
        };
        for alt in alts {
            let mut w = pre.to_vec();
            w.extend(alt);
            w.extend_from_slice(post);
            brace_atoms(&w, out, depth + 1);
        }
        return true;
    }
    out.push(atoms.to_vec());
    false
}

/// `{1..5}`, `{5..1..2}`, `{a..e}`: the items, or None.
fn brace_sequence(inner: &[Atom]) -> Option<Vec<Vec<u8>>> {
    let text: Vec<u8> = inner
        .iter()
        .map(|a| match a {
            Atom::B(b) => Some(*b),
            Atom::P(_) => None,
        })
        .collect::<Option<_>>()?;
    let t = std::str::from_utf8(&text).ok()?;
    let f: Vec<&str> = t.split("..").collect();
    if f.len() != 2 && f.len() != 3 {
        return None;
    }
    let step: i64 = match f.get(2) {
        Some(s) => s.parse::<i64>().ok()?.checked_abs()?.max(1),
        None => 1,
    };
    let mut items = Vec::new();
    if let (Ok(a), Ok(b)) = (f[0].parse::<i64>(), f[1].parse::<i64>()) {
        // Zero padding when either end has a leading zero.
        let pad = |s: &str| {
            s.trim_start_matches('-').len() > 1 && s.trim_start_matches('-').starts_with('0')
        };
        let width = if pad(f[0]) || pad(f[1]) {
            f[0].len().max(f[1].len())
        } else {
            0
        };
        let mut x = a;
        loop {
            items.push(format!("{x:0width$}").into_bytes());
            if items.len() >= 1_000_000 || x == b {
                break;
            }
            let next = if a <= b {
                x.checked_add(step)?
            } else {
                x.checked_sub(step)?
            };
            if (a <= b && next > b) || (a > b && next < b) {
                break;
            }
            x = next;
        }
        return Some(items);
    }
    let (a, b) = (f[0].as_bytes(), f[1].as_bytes());
    if a.len() == 1 && b.len() == 1 && a[0].is_ascii_alphabetic() && b[0].is_ascii_alphabetic() {
        let (a, b) = (i64::from(a[0]), i64::from(b[0]));
        let mut x = a;
        loop {
            items.push(vec![x as u8]);
            if x == b {
                break;
            }
            let next = if a <= b { x + step } else { x - step };
            if (a <= b && next > b) || (a > b && next < b) {
                break;
            }
            x = next;
        }
        return Some(items);
    }
    None
}

/// The name of a word that is only `$name` or `"$name"` (a plain variable
/// expansion), and whether it is quoted.
fn plain_var(w: &Word) -> Option<(&[u8], bool)> {
    let (p, quoted) = match w.parts.as_slice() {
        [Part::Param(p)] => (p, false),
        [Part::Double(inner)] => match inner.as_slice() {
            [Part::Param(p)] => (p, true),
            _ => return None,
        },
        _ => return None,
    };
    match &p.name {
        ParamName::Var(n) if p.op == ParamOp::Plain && &**n != b"LINENO" => Some((n, quoted)),
        _ => None,
    }
}

/// Length in characters (UTF-8 locales) or bytes.
fn char_len(s: &[u8], utf8: bool) -> usize {
    if utf8 && let Ok(t) = std::str::from_utf8(s) {
        return t.chars().count();
    }
    s.len()
}

impl Shell {
    fn ifs(&self) -> Ifs {
        let (set, empty) = self.vars.ifs_set();
        Ifs { set, empty }
    }

    /// Expand command words into fields.
    pub fn expand_words(&mut self, words: &[Word], out: &mut Vec<Vec<u8>>) -> Result<(), Flow> {
        for w in words {
            self.expand_word_fields(w, out)?;
        }
        Ok(())
    }

    /// Like `expand_words`, but the arguments of `export`, `readonly` and
    /// `local` that look like assignments are expanded as assignments.
    pub fn expand_command_words(
        &mut self,
        words: &[Word],
        out: &mut Vec<Vec<u8>>,
    ) -> Result<(), Flow> {
        let Some(first) = words.first() else {
            return Ok(());
        };
        // Fast path: a plain literal word needs no expansion machinery.
        self.expand_word_fields(first, out)?;
        let decl = matches!(
            out.first().map(Vec::as_slice),
            Some(b"export" | b"readonly" | b"local")
        ) && out.len() == 1;
        for w in &words[1..] {
            if decl && let Some(a) = super::parse::split_assignment(w) {
                let mut v = a.name.to_vec();
                v.push(b'=');
                v.extend_from_slice(&self.expand_assign(&a.value)?);
                out.push(v);
                continue;
            }
            self.expand_word_fields(w, out)?;
        }
        Ok(())
    }

    fn expand_word_fields(&mut self, w: &Word, out: &mut Vec<Vec<u8>>) -> Result<(), Flow> {
        if let Some(lit) = w.as_literal()
            && !lit
                .iter()
                .any(|c| matches!(c, b'*' | b'?' | b'[' | b'~' | b'{'))
        {
            out.push(lit.to_vec());
            return Ok(());
        }
        if let Some(words) = brace_expand(w) {
            // An empty alternative leaves no field.
            for w in words.iter().filter(|w| !w.parts.is_empty()) {
                self.expand_word_fields_after_braces(w, out)?;
            }
            return Ok(());
        }
        self.expand_word_fields_after_braces(w, out)
    }

    fn expand_word_fields_after_braces(
        &mut self,
        w: &Word,
        out: &mut Vec<Vec<u8>>,
    ) -> Result<(), Flow> {
        if let Some(lit) = w.as_literal()
            && !lit.iter().any(|c| matches!(c, b'*' | b'?' | b'[' | b'~'))
        {
            out.push(lit.to_vec());
            return Ok(());
        }
        // `$name` or `"$name"`, set: one field unless the value needs
        // splitting or globbing.
        if let Some((n, quoted)) = plain_var(w)
            && let Some(v) = self.vars.get(n)
        {
            if quoted {
                out.push(v.to_vec());
                return Ok(());
            }
            let ifs = self.ifs();
            if !v
                .iter()
                .any(|&c| ifs.contains(c) || matches!(c, b'*' | b'?' | b'['))
            {
                if !v.is_empty() {
                    out.push(v.to_vec());
                }
                return Ok(());
            }
        }
        // `$((...))`: a number, one field unless IFS holds one of its bytes.
        if let [Part::Arith(a)] = w.parts.as_slice() {
            let v = self.arith(a)?;
            let mut buf = [0u8; 20];
            let t = fmt_i64(v, &mut buf);
            let ifs = self.ifs();
            if !t.iter().any(|&c| ifs.contains(c)) {
                out.push(t.to_vec());
                return Ok(());
            }
            let mut b = Builder::new(Mode::Fields, ifs);
            b.expansion(t, false);
            out.extend(b.finish().into_iter().map(|f| f.bytes));
            return Ok(());
        }
        let mut b = Builder::new(Mode::Fields, self.ifs());
        self.expand_parts(&w.parts, &mut b, false, true, false)?;
        for f in b.finish() {
            if f.glob && !self.opts.noglob {
                // No wildcard (say a lone `[`): nothing to look up.
                let pattern = f.pattern();
                let matches = if ibex::fnmatch::has_magic(&pattern) {
                    ibex::glob::glob(&pattern)
                } else {
                    Vec::new()
                };
                if !matches.is_empty() {
                    out.extend(matches);
                    continue;
                }
                if self.opts.shopt != 0
                    && self.opts.shopt_on("nullglob")
                    && ibex::fnmatch::has_magic(&pattern)
                {
                    continue;
                }
            }
            out.push(f.bytes);
        }
        Ok(())
    }

    /// Expand to a single string without splitting or globbing.
    pub fn expand_string(&mut self, w: &Word) -> Result<Vec<u8>, Flow> {
        if let Some(lit) = w.as_literal()
            && !lit.starts_with(b"~")
        {
            return Ok(lit.to_vec());
        }
        if let Some(v) = self.expand_single(w)? {
            return Ok(v);
        }
        if let Some(v) = self.concat_simple(w) {
            return Ok(v);
        }
        let mut b = Builder::new(Mode::String, Ifs::new(b""));
        self.expand_parts(&w.parts, &mut b, false, true, false)?;
        let mut fields = b.finish();
        Ok(if fields.is_empty() {
            Vec::new()
        } else {
            std::mem::take(&mut fields[0].bytes)
        })
    }

    /// A word of text and plain `$name`/`$N` expansions of set parameters
    /// as one string (arithmetic text like `$1 + $2`); None otherwise.
    fn concat_simple(&self, w: &Word) -> Option<Vec<u8>> {
        let mut out = Vec::new();
        for (i, part) in w.parts.iter().enumerate() {
            match part {
                Part::Lit(s) if !(i == 0 && s.starts_with(b"~")) => out.extend_from_slice(s),
                Part::Quoted(s) => out.extend_from_slice(s),
                Part::Param(p) if p.op == ParamOp::Plain => match &p.name {
                    ParamName::Var(n) if &**n != b"LINENO" => {
                        out.extend_from_slice(self.vars.get(n)?)
                    }
                    ParamName::Positional(k) => {
                        out.extend_from_slice(self.params.get(k.checked_sub(1)?)?)
                    }
                    _ => return None,
                },
                _ => return None,
            }
        }
        Some(out)
    }

    /// A word that is just `$name` (set, plain), `"$name"` or `$((...))`:
    /// its value as one string, without the field builder.
    fn expand_single(&mut self, w: &Word) -> Result<Option<Vec<u8>>, Flow> {
        if let [Part::Arith(a)] = w.parts.as_slice() {
            let v = self.arith(a)?;
            let mut buf = [0u8; 20];
            return Ok(Some(fmt_i64(v, &mut buf).to_vec()));
        }
        if let Some((n, _)) = plain_var(w)
            && let Some(v) = self.vars.get(n)
        {
            return Ok(Some(v.to_vec()));
        }
        // `${#name}` and `${name#text}` (`%`, `##`, `%%`) with a literal
        // pattern, name set: nothing else to expand.
        if let [Part::Param(p)] = w.parts.as_slice()
            && let ParamName::Var(n) = &p.name
            && &**n != b"LINENO"
            && let Some(v) = self.vars.get(n)
        {
            let pat: &[u8] = match p.arg.as_ref().map(Word::as_literal) {
                None => b"",
                Some(Some(lit)) if !lit.starts_with(b"~") => lit,
                Some(_) => return Ok(None),
            };
            match p.op {
                ParamOp::Length => {
                    let mut buf = [0u8; 20];
                    let n = char_len(v, self.vars.utf8_locale());
                    return Ok(Some(fmt_i64(n as i64, &mut buf).to_vec()));
                }
                ParamOp::TrimSmallSuffix
                | ParamOp::TrimLargeSuffix
                | ParamOp::TrimSmallPrefix
                | ParamOp::TrimLargePrefix => return Ok(Some(trim(v, pat, p.op))),
                _ => {}
            }
        }
        Ok(None)
    }

    /// Expand an assignment value: tilde after `=` and each unquoted `:`.
    pub fn expand_assign(&mut self, w: &Word) -> Result<Vec<u8>, Flow> {
        if let Some(lit) = w.as_literal()
            && !lit.contains(&b'~')
        {
            return Ok(lit.to_vec());
        }
        if let Some(v) = self.expand_single(w)? {
            return Ok(v);
        }
        let mut b = Builder::new(Mode::String, Ifs::new(b""));
        self.expand_parts(&w.parts, &mut b, false, true, true)?;
        let mut fields = b.finish();
        Ok(if fields.is_empty() {
            Vec::new()
        } else {
            std::mem::take(&mut fields[0].bytes)
        })
    }

    /// Expand to a pattern: quoted characters escaped with backslashes.
    pub fn expand_pattern(&mut self, w: &Word) -> Result<Vec<u8>, Flow> {
        if let Some(lit) = w.as_literal()
            && !lit.starts_with(b"~")
        {
            return Ok(lit.to_vec());
        }
        let mut b = Builder::new(Mode::Pattern, Ifs::new(b""));
        self.expand_parts(&w.parts, &mut b, false, true, false)?;
        let fields = b.finish();
        Ok(fields.first().map(Field::pattern).unwrap_or_default())
    }

    /// Expand a prompt string (PS1, PS4): parameters, substitutions,
    /// arithmetic.
    pub fn expand_prompt(&mut self, text: &[u8]) -> Vec<u8> {
        let mut p = super::parse::Parser::new(text.to_vec(), None, self.lineno);
        match p.parse_heredoc_text() {
            Ok(w) => self.expand_string(&w).unwrap_or_else(|_| text.to_vec()),
            Err(_) => text.to_vec(),
        }
    }

    fn expand_parts(
        &mut self,
        parts: &[Part],
        b: &mut Builder,
        quoted: bool,
        word_start: bool,
        assign: bool,
    ) -> Result<(), Flow> {
        if !super::stack::has_room(3) {
            self.error(&[b"nesting too deep"]);
            self.status = 2;
            return Err(Flow::Fatal(2));
        }
        for (i, part) in parts.iter().enumerate() {
            match part {
                Part::Lit(s) => {
                    let at_start = word_start && i == 0;
                    if assign {
                        self.lit_with_tildes(s, at_start, b, parts.len() == i + 1);
                    } else if at_start && let Some((user, rest)) = tilde_prefix(s) {
                        if rest.is_empty() && i + 1 < parts.len() {
                            // A quoted part continues the prefix: no expansion.
                            b.lit(s);
                        } else {
                            match self.tilde(user) {
                                Some(home) => {
                                    b.quoted(&home);
                                    b.lit(rest);
                                }
                                None => b.lit(s),
                            }
                        }
                    } else if quoted {
                        b.quoted(s);
                    } else {
                        b.lit(s);
                    }
                }
                Part::Quoted(s) => b.quoted(s),
                Part::Double(inner) => {
                    // A quoted section makes a field even when empty, except
                    // "$@" with no parameters.
                    let has_at = inner
                        .iter()
                        .any(|p| matches!(p, Part::Param(x) if x.name == ParamName::Special(b'@')));
                    if !has_at {
                        b.quoted(b"");
                    }
                    self.expand_parts(inner, b, true, false, false)?
                }
                Part::Param(p) => self.expand_param(p, b, quoted)?,
                Part::CmdSub(prog) => {
                    let out = self.command_subst(prog)?;
                    b.expansion(&out, quoted);
                }
                Part::Arith(w) => {
                    let v = self.arith(w)?;
                    let mut buf = [0u8; 20];
                    b.expansion(fmt_i64(v, &mut buf), quoted);
                }
            }
        }
        Ok(())
    }

    /// Literal text of an assignment value, with tilde prefixes after the
    /// start and after each `:`.
    fn lit_with_tildes(&mut self, s: &[u8], at_start: bool, b: &mut Builder, last_part: bool) {
        let mut segs = s.split(|&c| c == b':').peekable();
        let mut first = true;
        while let Some(seg) = segs.next() {
            if !first {
                b.lit(b":");
            }
            let may = at_start || !first;
            first = false;
            let ends_here = segs.peek().is_none();
            if may && let Some((user, rest)) = tilde_prefix(seg) {
                if rest.is_empty() && ends_here && !last_part {
                    b.lit(seg);
                    continue;
                }
                match self.tilde(user) {
                    Some(home) => {
                        b.quoted(&home);
                        b.lit(rest);
                    }
                    None => b.lit(seg),
                }
                continue;
            }
            b.lit(seg);
        }
    }

    /// `~` or `~user`: the home directory, if known.
    fn tilde(&self, user: &[u8]) -> Option<Vec<u8>> {
        if user.is_empty() {
            if let Some(h) = self.get_var(b"HOME") {
                return Some(h.to_vec());
            }
            return ibex::users::user_by_uid(ibex::sys::getuid()).map(|u| u.home);
        }
        ibex::users::user_by_name(user).map(|u| u.home)
    }

    pub fn arith(&mut self, w: &Word) -> Result<i64, Flow> {
        // Plain text (the usual case) is evaluated in place.
        let owned;
        let text: &[u8] = match w.as_literal() {
            Some(lit) if !lit.starts_with(b"~") => lit,
            _ => {
                owned = self.expand_string(w)?;
                &owned
            }
        };
        struct Env<'s>(&'s mut Shell);
        impl arith::Env for Env<'_> {
            fn get(&mut self, name: &[u8]) -> arith::Value {
                if name == b"LINENO" {
                    return arith::Value::Num(i64::from(self.0.lineno));
                }
                match self.0.get_var(name) {
                    None => arith::Value::Unset,
                    Some(v) => match arith::parse_number(v) {
                        Some(n) => arith::Value::Num(n),
                        None if v.trim_ascii().is_empty() => arith::Value::Unset,
                        None => arith::Value::Expr(v.to_vec()),
                    },
                }
            }
            fn set(&mut self, name: &[u8], value: i64) -> Result<(), String> {
                let mut buf = [0u8; 20];
                let text = fmt_i64(value, &mut buf);
                self.0.set_var_bytes(name, text).map_err(|()| String::new())
            }
        }
        let nounset = self.opts.nounset;
        if nounset {
            // With -u, an unset variable in an expression is an error.
            let mut i = 0;
            while i < text.len() {
                if text[i].is_ascii_alphabetic() || text[i] == b'_' {
                    let st = i;
                    while i < text.len() && (text[i].is_ascii_alphanumeric() || text[i] == b'_') {
                        i += 1;
                    }
                    let name = &text[st..i];
                    if (st == 0 || !text[st - 1].is_ascii_digit()) && self.get_var(name).is_none() {
                        self.error(&[name, b": parameter not set"]);
                        self.status = 1;
                        return Err(Flow::Fatal(1));
                    }
                } else {
                    i += 1;
                }
            }
        }
        match arith::eval(text, &mut Env(self)) {
            Ok(v) => Ok(v),
            Err(msg) => {
                if !msg.is_empty() {
                    self.error(&[msg.as_bytes()]);
                }
                self.status = 1;
                Err(Flow::Fatal(1))
            }
        }
    }

    /// The value of a parameter; None when unset.
    pub fn param_value(&self, name: &ParamName) -> Option<Vec<u8>> {
        match name {
            ParamName::Var(n) => {
                if &**n == b"LINENO" {
                    return Some(self.lineno.to_string().into_bytes());
                }
                if &**n == b"_" {
                    return Some(self.last_arg.clone());
                }
                match self.get_var(n) {
                    Some(v) => Some(v.to_vec()),
                    None if &**n == b"SECONDS" => {
                        Some(self.started.elapsed().as_secs().to_string().into_bytes())
                    }
                    None if &**n == b"RANDOM" => Some(self.random().to_string().into_bytes()),
                    None if &**n == b"FUNCNAME" => self.cur_func.as_ref().map(|f| f.name.to_vec()),
                    None => None,
                }
            }
            ParamName::Positional(i) => self.params.get(i - 1).cloned(),
            ParamName::Special(c) => match c {
                b'?' => Some(self.status.to_string().into_bytes()),
                b'#' => Some(self.params.len().to_string().into_bytes()),
                b'$' => Some(self.pid.to_string().into_bytes()),
                b'!' => self.last_bg.map(|p| p.to_string().into_bytes()),
                b'-' => Some(self.opts.flags()),
                b'0' => Some(self.arg0.clone()),
                b'@' | b'*' => {
                    if self.params.is_empty() {
                        None
                    } else {
                        Some(self.join_params(b" "))
                    }
                }
                _ => None,
            },
        }
    }

    fn join_params(&self, sep: &[u8]) -> Vec<u8> {
        let mut v = Vec::new();
        for (i, p) in self.params.iter().enumerate() {
            if i > 0 {
                v.extend_from_slice(sep);
            }
            v.extend_from_slice(p);
        }
        v
    }

    /// The separator for "$*": the first character of IFS.
    fn star_sep(&self) -> Vec<u8> {
        match self.get_var(b"IFS") {
            None => b" ".to_vec(),
            Some(ifs) => ifs.first().map(|&c| vec![c]).unwrap_or_default(),
        }
    }

    fn param_name_text(name: &ParamName) -> Vec<u8> {
        match name {
            ParamName::Var(n) => n.to_vec(),
            ParamName::Positional(i) => i.to_string().into_bytes(),
            ParamName::Special(c) => vec![*c],
        }
    }

    /// Append `$@`/`$*` (or a list derived from them) to the builder.
    fn push_list(&mut self, items: &[Vec<u8>], at: bool, quoted: bool, b: &mut Builder) {
        if quoted && !at {
            let sep = self.star_sep();
            let mut joined = Vec::new();
            for (i, p) in items.iter().enumerate() {
                if i > 0 {
                    joined.extend_from_slice(&sep);
                }
                joined.extend_from_slice(p);
            }
            b.quoted(&joined);
            return;
        }
        if quoted {
            for (i, p) in items.iter().enumerate() {
                if i > 0 {
                    b.force_break();
                }
                b.quoted(p);
            }
            return;
        }
        // Unquoted $@ or $*: each parameter is split on its own.
        for (i, p) in items.iter().enumerate() {
            if i > 0 {
                if b.mode == Mode::Fields {
                    b.end_field();
                } else if at {
                    b.lit(b" ");
                } else {
                    // $* in one string joins with IFS's first character.
                    let sep = self.star_sep();
                    b.lit(&sep);
                }
            }
            b.expansion(p, false);
        }
    }

    fn expand_param(&mut self, p: &Param, b: &mut Builder, quoted: bool) -> Result<(), Flow> {
        let is_list = matches!(p.name, ParamName::Special(b'@' | b'*'));
        let at = matches!(p.name, ParamName::Special(b'@'));
        match p.op {
            ParamOp::Plain => {
                if let ParamName::Var(n) = &p.name
                    && &**n != b"LINENO"
                    && let Some(v) = self.vars.get(n)
                {
                    b.expansion(v, quoted);
                    return Ok(());
                }
                if is_list {
                    let items = self.params.clone();
                    self.push_list(&items, at, quoted, b);
                    return Ok(());
                }
                match self.param_value(&p.name) {
                    Some(v) => b.expansion(&v, quoted),
                    None => {
                        if self.opts.nounset && !matches!(p.name, ParamName::Special(_)) {
                            return Err(self.unset_error(&p.name, None));
                        }
                        if self.opts.nounset && matches!(p.name, ParamName::Special(b'!')) {
                            return Err(self.unset_error(&p.name, None));
                        }
                    }
                }
                Ok(())
            }
            ParamOp::Length => {
                let n = if is_list {
                    self.params.len()
                } else if let ParamName::Var(n) = &p.name
                    && &**n != b"LINENO"
                    && let Some(v) = self.vars.get(n)
                {
                    char_len(v, self.vars.utf8_locale())
                } else {
                    match self.param_value(&p.name) {
                        Some(v) => char_len(&v, self.vars.utf8_locale()),
                        None => {
                            if self.opts.nounset && !matches!(p.name, ParamName::Special(_)) {
                                return Err(self.unset_error(&p.name, None));
                            }
                            0
                        }
                    }
                };
                let mut buf = [0u8; 20];
                b.expansion(fmt_i64(n as i64, &mut buf), quoted);
                Ok(())
            }
            ParamOp::Default | ParamOp::Assign | ParamOp::Error | ParamOp::Alternative => {
                let value = self.param_value(&p.name);
                let set = match &value {
                    None => false,
                    Some(v) => !(p.colon && v.is_empty()),
                };
                let set = if is_list && !p.colon {
                    !self.params.is_empty()
                } else {
                    set
                };
                match p.op {
                    ParamOp::Default => {
                        if set {
                            self.push_value(p, value, at, is_list, quoted, b);
                        } else if let Some(arg) = &p.arg {
                            self.expand_arg(arg, b, quoted)?;
                        }
                    }
                    ParamOp::Alternative => {
                        if set && let Some(arg) = &p.arg {
                            self.expand_arg(arg, b, quoted)?;
                        }
                    }
                    ParamOp::Assign => {
                        if set {
                            self.push_value(p, value, at, is_list, quoted, b);
                        } else {
                            let v = match &p.arg {
                                Some(arg) => self.expand_string(arg)?,
                                None => Vec::new(),
                            };
                            match &p.name {
                                ParamName::Var(n) => {
                                    let n = n.clone();
                                    self.assign(&n, v.clone())?;
                                }
                                other => {
                                    let t = Self::param_name_text(other);
                                    self.error(&[&t, b": cannot assign in this way"]);
                                    self.status = 2;
                                    return Err(Flow::Fatal(2));
                                }
                            }
                            b.expansion(&v, quoted);
                        }
                    }
                    _ => {
                        if set {
                            self.push_value(p, value, at, is_list, quoted, b);
                        } else {
                            let msg = match &p.arg {
                                Some(arg) if !arg.parts.is_empty() => {
                                    Some(self.expand_string(arg)?)
                                }
                                _ => None,
                            };
                            return Err(self.unset_error(&p.name, msg));
                        }
                    }
                }
                Ok(())
            }
            ParamOp::Indirect => {
                let target = self.param_value(&p.name).unwrap_or_default();
                let name = if target.iter().all(u8::is_ascii_digit) && !target.is_empty() {
                    match std::str::from_utf8(&target)
                        .ok()
                        .and_then(|t| t.parse().ok())
                    {
                        Some(0) => ParamName::Special(b'0'),
                        Some(n) => ParamName::Positional(n),
                        None => return Ok(()),
                    }
                } else if target.len() == 1 && super::parse::is_special_param(target[0]) {
                    ParamName::Special(target[0])
                } else if is_name(&target) {
                    ParamName::Var(target.into())
                } else {
                    let t = Self::param_name_text(&p.name);
                    self.error(&[&t, b": bad substitution"]);
                    self.status = 1;
                    return Err(Flow::Fatal(1));
                };
                if let Some(v) = self.param_value(&name) {
                    b.expansion(&v, quoted);
                }
                Ok(())
            }
            ParamOp::UpperFirst | ParamOp::UpperAll | ParamOp::LowerFirst | ParamOp::LowerAll => {
                let mut v = self.param_value(&p.name).unwrap_or_default();
                let pat = match &p.arg {
                    Some(w) => self.expand_pattern(w)?,
                    None => Vec::new(),
                };
                let upper = matches!(p.op, ParamOp::UpperFirst | ParamOp::UpperAll);
                let all = matches!(p.op, ParamOp::UpperAll | ParamOp::LowerAll);
                let n = if all { v.len() } else { v.len().min(1) };
                for c in v.iter_mut().take(n) {
                    if pat.is_empty()
                        || ibex::fnmatch::fnmatch(&pat, &[*c], ibex::fnmatch::Flags::default())
                    {
                        *c = if upper {
                            c.to_ascii_uppercase()
                        } else {
                            c.to_ascii_lowercase()
                        };
                    }
                }
                b.expansion(&v, quoted);
                Ok(())
            }
            ParamOp::Substring => {
                let off = match &p.arg {
                    Some(w) => self.arith(w)?,
                    None => 0,
                };
                let len = match &p.arg2 {
                    Some(w) => Some(self.arith(w)?),
                    None => None,
                };
                if is_list {
                    // ${@:off:len} slices $0 $1 ... (offset 0 is $0).
                    let mut all = Vec::with_capacity(self.params.len() + 1);
                    all.push(self.arg0.clone());
                    all.extend(self.params.iter().cloned());
                    let (s, e) = slice_bounds(all.len(), off, len);
                    let items = all[s..e].to_vec();
                    self.push_list(&items, at, quoted, b);
                    return Ok(());
                }
                let value = match self.param_value(&p.name) {
                    Some(v) => v,
                    None if self.opts.nounset && !matches!(p.name, ParamName::Special(_)) => {
                        return Err(self.unset_error(&p.name, None));
                    }
                    None => Vec::new(),
                };
                let v = substring(&value, off, len, self.vars.utf8_locale());
                b.expansion(&v, quoted);
                Ok(())
            }
            ParamOp::ReplaceFirst
            | ParamOp::ReplaceAll
            | ParamOp::ReplacePrefix
            | ParamOp::ReplaceSuffix => {
                let pat = match &p.arg {
                    Some(w) => self.expand_pattern(w)?,
                    None => Vec::new(),
                };
                let rep = match &p.arg2 {
                    Some(w) => self.expand_string(w)?,
                    None => Vec::new(),
                };
                if is_list {
                    let items: Vec<Vec<u8>> = self
                        .params
                        .iter()
                        .map(|v| replace(v, &pat, &rep, p.op))
                        .collect();
                    self.push_list(&items, at, quoted, b);
                    return Ok(());
                }
                let v = match self.param_value(&p.name) {
                    Some(v) => replace(&v, &pat, &rep, p.op),
                    // An unset variable stays empty (an empty one can match).
                    None => {
                        if self.opts.nounset && !matches!(p.name, ParamName::Special(_)) {
                            return Err(self.unset_error(&p.name, None));
                        }
                        Vec::new()
                    }
                };
                b.expansion(&v, quoted);
                Ok(())
            }
            ParamOp::TrimSmallSuffix
            | ParamOp::TrimLargeSuffix
            | ParamOp::TrimSmallPrefix
            | ParamOp::TrimLargePrefix => {
                let pat = match &p.arg {
                    Some(arg) => self.expand_pattern(arg)?,
                    None => Vec::new(),
                };
                if is_list {
                    let items: Vec<Vec<u8>> =
                        self.params.iter().map(|v| trim(v, &pat, p.op)).collect();
                    self.push_list(&items, at, quoted, b);
                    return Ok(());
                }
                let value = match self.param_value(&p.name) {
                    Some(v) => v,
                    None => {
                        if self.opts.nounset && !matches!(p.name, ParamName::Special(_)) {
                            return Err(self.unset_error(&p.name, None));
                        }
                        Vec::new()
                    }
                };
                let t = trim(&value, &pat, p.op);
                b.expansion(&t, quoted);
                Ok(())
            }
        }
    }

    fn push_value(
        &mut self,
        p: &Param,
        value: Option<Vec<u8>>,
        at: bool,
        is_list: bool,
        quoted: bool,
        b: &mut Builder,
    ) {
        if is_list {
            let items = self.params.clone();
            self.push_list(&items, at, quoted, b);
        } else if let Some(v) = value {
            let _ = p;
            b.expansion(&v, quoted);
        }
    }

    /// The word of `${x-word}`: unquoted literal text in it is split like
    /// an expansion result.
    fn expand_arg(&mut self, arg: &Word, b: &mut Builder, quoted: bool) -> Result<(), Flow> {
        for part in &arg.parts {
            match part {
                Part::Lit(s) if !quoted => b.expansion(s, false),
                other => self.expand_parts(std::slice::from_ref(other), b, quoted, false, false)?,
            }
        }
        Ok(())
    }

    /// `$RANDOM`: 0 to 32767 (xorshift, seeded from the pid and clock).
    fn random(&self) -> u32 {
        let mut x = self.rng.get();
        if x == 0 {
            let t = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.subsec_nanos());
            x = (t ^ (ibex::sys::getpid() as u32).wrapping_mul(2_654_435_761)) | 1;
        }
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        self.rng.set(x);
        (x >> 8) & 0x7fff
    }

    fn unset_error(&mut self, name: &ParamName, msg: Option<Vec<u8>>) -> Flow {
        let n = Self::param_name_text(name);
        let text = msg.unwrap_or_else(|| b"parameter not set".to_vec());
        self.error(&[&n, b": ", &text]);
        self.status = 1;
        Flow::Fatal(1)
    }
}

/// Decimal text of `n` in `buf`.
pub fn fmt_i64(n: i64, buf: &mut [u8; 20]) -> &[u8] {
    let mut i = buf.len();
    let mut v = n.unsigned_abs();
    loop {
        i -= 1;
        buf[i] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    if n < 0 {
        i -= 1;
        buf[i] = b'-';
    }
    &buf[i..]
}

/// Start and end indices of `${x:off:len}` in a sequence of `n` items:
/// a negative offset counts from the end, a negative length ends that far
/// from the end.
fn slice_bounds(n: usize, off: i64, len: Option<i64>) -> (usize, usize) {
    let n = n as i64;
    let start = if off < 0 {
        (n + off).max(0)
    } else {
        off.min(n)
    };
    if off < 0 && n + off < 0 {
        return (0, 0);
    }
    let end = match len {
        None => n,
        Some(l) if l < 0 => (n + l).max(start),
        Some(l) => (start.saturating_add(l)).min(n),
    };
    (start as usize, end.max(start) as usize)
}

/// `${x:off:len}` in characters (UTF-8 locales) or bytes.
fn substring(v: &[u8], off: i64, len: Option<i64>, utf8: bool) -> Vec<u8> {
    if utf8 && let Ok(t) = std::str::from_utf8(v) {
        let idx: Vec<usize> = t
            .char_indices()
            .map(|(i, _)| i)
            .chain(std::iter::once(v.len()))
            .collect();
        let (s, e) = slice_bounds(idx.len() - 1, off, len);
        return v[idx[s]..idx[e]].to_vec();
    }
    let (s, e) = slice_bounds(v.len(), off, len);
    v[s..e].to_vec()
}

/// `${x/pat/rep}` and its `//`, `/#`, `/%` forms: the longest match at the
/// first (or every) position.
fn replace(v: &[u8], pat: &[u8], rep: &[u8], op: ParamOp) -> Vec<u8> {
    use ibex::fnmatch::{Flags, fnmatch};
    let f = Flags::default();
    let n = v.len();
    match op {
        ParamOp::ReplacePrefix => {
            for j in (0..=n).rev() {
                if fnmatch(pat, &v[..j], f) {
                    return [rep, &v[j..]].concat();
                }
            }
            v.to_vec()
        }
        ParamOp::ReplaceSuffix => {
            for i in 0..=n {
                if fnmatch(pat, &v[i..], f) {
                    return [&v[..i], rep].concat();
                }
            }
            v.to_vec()
        }
        _ => {
            if pat.is_empty() {
                return v.to_vec();
            }
            if n == 0 {
                // An empty value still matches a pattern that matches nothing.
                return if fnmatch(pat, b"", f) {
                    rep.to_vec()
                } else {
                    Vec::new()
                };
            }
            let all = op == ParamOp::ReplaceAll;
            let mut out = Vec::with_capacity(n);
            let mut i = 0;
            while i < n {
                let found = (i + 1..=n).rev().find(|&j| fnmatch(pat, &v[i..j], f));
                match found {
                    Some(j) => {
                        out.extend_from_slice(rep);
                        i = j;
                        if !all {
                            out.extend_from_slice(&v[i..]);
                            return out;
                        }
                    }
                    None => {
                        out.push(v[i]);
                        i += 1;
                    }
                }
            }
            out
        }
    }
}

/// Does `s` match the pattern `pat`? Patterns that are a literal, `*lit`
/// or `lit*` are compared directly.
pub fn pattern_match(pat: &[u8], s: &[u8]) -> bool {
    let plain = |t: &[u8]| !t.iter().any(|c| matches!(c, b'*' | b'?' | b'[' | b'\\'));
    match pat {
        [b'*', rest @ ..] if plain(rest) => s.ends_with(rest),
        [rest @ .., b'*'] if plain(rest) => s.starts_with(rest),
        _ if plain(pat) => s == pat,
        _ => ibex::fnmatch::fnmatch(pat, s, ibex::fnmatch::Flags::default()),
    }
}

/// `trim` without pattern matching for the common patterns: a literal,
/// `*literal` and `literal*` (the literal free of `* ? [ \\`). The range
/// of `v` that stays, or None to match the general way.
fn trim_simple(v: &[u8], pat: &[u8], op: ParamOp) -> Option<(usize, usize)> {
    let plain = |t: &[u8]| !t.iter().any(|c| matches!(c, b'*' | b'?' | b'[' | b'\\'));
    let n = v.len();
    let (star_front, lit, star_back) = match pat {
        [b'*', rest @ ..] if plain(rest) => (true, rest, false),
        [rest @ .., b'*'] if plain(rest) => (false, rest, true),
        _ if plain(pat) => (false, pat, false),
        _ => return None,
    };
    let l = lit.len();
    let first = || memchr::memmem::find(v, lit);
    let last = || memchr::memmem::rfind(v, lit);
    let prefix = op == ParamOp::TrimSmallPrefix || op == ParamOp::TrimLargePrefix;
    let large = op == ParamOp::TrimLargePrefix || op == ParamOp::TrimLargeSuffix;
    Some(match (star_front, star_back) {
        (false, false) => {
            if prefix && v.starts_with(lit) {
                (l, n)
            } else if !prefix && v.ends_with(lit) {
                (0, n - l)
            } else {
                (0, n)
            }
        }
        // `*lit`: a prefix ends at an occurrence; a suffix is the whole
        // value (largest) or just the literal (smallest) when it ends so.
        (true, _) => {
            if prefix {
                let at = if large { last() } else { first() };
                at.map_or((0, n), |i| (i + l, n))
            } else if !v.ends_with(lit) {
                (0, n)
            } else if large {
                (0, 0)
            } else {
                (0, n - l)
            }
        }
        // `lit*`: the mirror image.
        (false, true) => {
            if !prefix {
                let at = if large { first() } else { last() };
                at.map_or((0, n), |i| (0, i))
            } else if !v.starts_with(lit) {
                (0, n)
            } else if large {
                (n, n)
            } else {
                (l, n)
            }
        }
    })
}

/// Remove the smallest/largest prefix/suffix matching `pat`.
fn trim(v: &[u8], pat: &[u8], op: ParamOp) -> Vec<u8> {
    use ibex::fnmatch::{Flags, fnmatch};
    if let Some((s, e)) = trim_simple(v, pat, op) {
        return v[s..e].to_vec();
    }
    let f = Flags::default();
    let n = v.len();
    match op {
        ParamOp::TrimSmallPrefix => {
            for i in 0..=n {
                if fnmatch(pat, &v[..i], f) {
                    return v[i..].to_vec();
                }
            }
        }
        ParamOp::TrimLargePrefix => {
            for i in (0..=n).rev() {
                if fnmatch(pat, &v[..i], f) {
                    return v[i..].to_vec();
                }
            }
        }
        ParamOp::TrimSmallSuffix => {
            for i in (0..=n).rev() {
                if fnmatch(pat, &v[i..], f) {
                    return v[..i].to_vec();
                }
            }
        }
        ParamOp::TrimLargeSuffix => {
            for i in 0..=n {
                if fnmatch(pat, &v[i..], f) {
                    return v[..i].to_vec();
                }
            }
        }
        _ => {}
    }
    v.to_vec()
}

#[allow(dead_code)]
fn valid_name(n: &[u8]) -> bool {
    is_name(n)
}
