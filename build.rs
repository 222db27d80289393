//! Build script: packs the applets' usage texts.
//!
//! Every usage text is written next to its applet's options as
//! `ibex::usage!(NAME, "text")`; the macro expands to a small handle
//! (`ibex::usage::Usage`), never to the string. This script finds those
//! calls in applets/, keeps the texts of the applets the enabled cargo
//! features compile (per the `#[cfg(...)] mod NAME;` lines of
//! applets/mod.rs), joins them with NUL bytes and compresses the lot into
//! one raw DEFLATE blob (src/deflate/deflate.rs, level 9), which `--help`
//! and usage errors inflate on demand. It writes `$OUT_DIR/usage.rs`: the
//! blob, whether it is compressed, and one id constant per text (texts of
//! applets left out of the build get `Usage::NONE`).
//!
//! Small builds, whose texts would not pay for the inflate code, store the
//! blob as plain bytes (see `worth_packing`).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::{env, fs};

/// The RFC 1951 tables deflate.rs takes from its sibling inflate.rs
/// (which needs the rest of the library, so is not included here).
#[allow(dead_code)]
mod inflate {
    pub static LEN_BASE: [u16; 29] = [
        3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115,
        131, 163, 195, 227, 258,
    ];
    pub static LEN_EXTRA: [u8; 29] = [
        0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
    ];
    pub static DIST_BASE: [u16; 30] = [
        1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537,
        2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577,
    ];
    pub static DIST_EXTRA: [u8; 30] = [
        0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12,
        13, 13,
    ];
    pub static CL_ORDER: [usize; 19] = [
        16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15,
    ];
}

#[allow(dead_code)]
#[path = "src/deflate/deflate.rs"]
mod deflate;

/// Roughly what the inflate code costs in a binary that does not have it
/// already (measured: cat and ls with a packed blob, +6.1 KB code and
/// +0.5 KB tables).
const INFLATE_COST: usize = 6500;

fn main() {
    let root = PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let applets = root.join("applets");
    println!("cargo:rerun-if-changed=applets");
    println!("cargo:rerun-if-changed=src/deflate/deflate.rs");
    println!("cargo:rerun-if-env-changed=IBEX_USAGE_PACK");

    let enabled = |f: &str| {
        let var = format!("CARGO_FEATURE_{}", f.to_ascii_uppercase().replace('-', "_"));
        env::var_os(var).is_some()
    };
    let mods = match fs::read_to_string(applets.join("mod.rs")) {
        Ok(s) => module_cfgs(&s),
        Err(e) => fail(&format!("applets/mod.rs: {e}")),
    };

    let mut files = Vec::new();
    rust_files(&applets, &mut files);
    files.sort();
    // name -> (text, compiled in this build)
    let mut texts: BTreeMap<String, (Vec<u8>, bool)> = BTreeMap::new();
    for file in &files {
        let src = match fs::read(file) {
            Ok(s) => s,
            Err(e) => fail(&format!("{}: {e}", file.display())),
        };
        let rel = file.strip_prefix(&applets).unwrap_or(file);
        // applets/NAME.rs or applets/NAME/...: compiled if mod.rs says so
        // (files mod.rs does not name are taken as always compiled).
        let top = rel
            .components()
            .next()
            .map(|c| {
                c.as_os_str()
                    .to_string_lossy()
                    .trim_end_matches(".rs")
                    .to_string()
            })
            .unwrap_or_default();
        let on = mods.get(&top).is_none_or(|cfg| eval_cfg(cfg, &enabled));
        for (name, text) in usage_calls(&src, &rel.display().to_string()) {
            if text.contains(&0) {
                fail(&format!("usage text {name} contains a NUL byte"));
            }
            if texts.insert(name.clone(), (text, on)).is_some() {
                fail(&format!("usage text {name} is defined twice"));
            }
        }
    }

    let mut raw = Vec::new();
    let mut ids = String::new();
    let mut n = 0u16;
    for (name, (text, on)) in &texts {
        if *on {
            if n > 0 {
                raw.push(0);
            }
            raw.extend_from_slice(text);
            let _ = writeln!(ids, "    pub const {name}: Usage = Usage({n});");
            n += 1;
        } else {
            let _ = writeln!(ids, "    pub const {name}: Usage = Usage::NONE;");
        }
    }
    let packed_blob = deflate::compress_vec(9, &raw);
    let pack = match env::var("IBEX_USAGE_PACK").as_deref() {
        Ok("0") => false,
        Ok("1") => true,
        _ => worth_packing(&enabled, raw.len(), packed_blob.len()),
    };
    let blob = if pack { packed_blob } else { raw.clone() };

    let mut out = String::new();
    let _ = writeln!(
        out,
        "// Generated by build.rs: {} usage texts, {} bytes{}.",
        n,
        raw.len(),
        if pack {
            format!(", {} compressed", blob.len())
        } else {
            String::new()
        }
    );
    let _ = writeln!(out, "const PACKED: bool = {pack};");
    // A static, not a const: a build without texts compares against 0.
    let _ = writeln!(out, "static COUNT: usize = {n};");
    let _ = writeln!(
        out,
        "static BLOB: [u8; {}] = *include_bytes!(\"usage.bin\");",
        blob.len()
    );
    let _ = writeln!(
        out,
        "/// One handle per usage text, named as in its `usage!` call."
    );
    let _ = writeln!(
        out,
        "#[allow(non_upper_case_globals)]\npub mod id {{\n    use super::Usage;"
    );
    out.push_str(&ids);
    out.push_str("}\n");

    let dir = PathBuf::from(env::var_os("OUT_DIR").unwrap_or_default());
    write(&dir.join("usage.bin"), &blob);
    write(&dir.join("usage.rs"), out.as_bytes());
}

/// Whether compressing pays: always when the inflate code is in the binary
/// anyway (gzip, gunzip, zcat), else when the bytes saved exceed its cost.
fn worth_packing(enabled: &dyn Fn(&str) -> bool, raw: usize, packed: usize) -> bool {
    ["gzip", "gunzip", "zcat"].iter().any(|f| enabled(f)) || packed + INFLATE_COST < raw
}

fn write(path: &Path, data: &[u8]) {
    // Leave an unchanged file alone so nothing rebuilds for it.
    if fs::read(path).is_ok_and(|old| old == data) {
        return;
    }
    if let Err(e) = fs::write(path, data) {
        fail(&format!("{}: {e}", path.display()));
    }
}

fn fail(msg: &str) -> ! {
    eprintln!("build.rs: {msg}");
    std::process::exit(1);
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = fs::read_dir(dir) else {
        fail(&format!("cannot read {}", dir.display()));
    };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The `#[cfg(...)]` predicate of each `mod NAME;` in applets/mod.rs.
fn module_cfgs(src: &str) -> BTreeMap<String, String> {
    let mut map = BTreeMap::new();
    let mut rest = src;
    while let Some(i) = rest.find("#[cfg(") {
        rest = &rest[i + 6..];
        // The predicate runs to the parenthesis that closes "cfg(".
        let mut depth = 1;
        let mut end = 0;
        for (k, c) in rest.char_indices() {
            match c {
                '(' => depth += 1,
                ')' => depth -= 1,
                _ => {}
            }
            if depth == 0 {
                end = k;
                break;
            }
        }
        let pred = &rest[..end];
        let after = rest[end..].trim_start_matches(')').trim_start_matches(']');
        let after = after.trim_start();
        if let Some(m) = after.strip_prefix("mod ") {
            let m = m.trim_start_matches("r#");
            let len = m
                .find(|c: char| !c.is_ascii_alphanumeric() && c != '_')
                .unwrap_or(m.len());
            if m[len..].trim_start().starts_with(';') {
                map.insert(m[..len].to_string(), pred.to_string());
            }
        }
        rest = &rest[end..];
    }
    map
}

/// Evaluate a cfg predicate made of `feature = "x"`, `any`, `all`, `not`.
fn eval_cfg(pred: &str, enabled: &dyn Fn(&str) -> bool) -> bool {
    let p = pred.trim().trim_end_matches(',').trim();
    for (word, all) in [("any", false), ("all", true)] {
        if let Some(inner) = p.strip_prefix(word).map(str::trim_start)
            && let Some(inner) = inner.strip_prefix('(').and_then(|s| s.strip_suffix(')'))
        {
            let mut parts = split_top(inner)
                .into_iter()
                .filter(|s| !s.trim().is_empty());
            return if all {
                parts.all(|s| eval_cfg(s, enabled))
            } else {
                parts.any(|s| eval_cfg(s, enabled))
            };
        }
    }
    if let Some(inner) = p.strip_prefix("not").map(str::trim_start)
        && let Some(inner) = inner.strip_prefix('(').and_then(|s| s.strip_suffix(')'))
    {
        return !eval_cfg(inner, enabled);
    }
    if let Some(v) = p.strip_prefix("feature").map(str::trim_start)
        && let Some(v) = v.strip_prefix('=')
    {
        return enabled(v.trim().trim_matches('"'));
    }
    // Anything else (target cfgs): assume compiled.
    true
}

/// Split at the commas not inside parentheses.
fn split_top(s: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0, 0);
    for (i, c) in s.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&s[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&s[start..]);
    parts
}

/// A tiny Rust lexer: enough to find `usage!(NAME, "..." ...)` outside
/// comments, strings and character literals, and to decode the literals.
struct Lex<'a> {
    s: &'a [u8],
    i: usize,
    file: &'a str,
}

impl Lex<'_> {
    fn peek(&self, k: usize) -> u8 {
        self.s.get(self.i + k).copied().unwrap_or(0)
    }

    fn error(&self, what: &str) -> ! {
        let line = 1 + self.s[..self.i.min(self.s.len())]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        fail(&format!("applets/{}:{line}: {what}", self.file));
    }

    /// Skip whitespace and comments.
    fn skip_space(&mut self) {
        loop {
            match (self.peek(0), self.peek(1)) {
                (b' ' | b'\t' | b'\n' | b'\r', _) => self.i += 1,
                (b'/', b'/') => {
                    while self.i < self.s.len() && self.s[self.i] != b'\n' {
                        self.i += 1;
                    }
                }
                (b'/', b'*') => {
                    let mut depth = 0;
                    while self.i < self.s.len() {
                        match (self.peek(0), self.peek(1)) {
                            (b'/', b'*') => {
                                depth += 1;
                                self.i += 2;
                            }
                            (b'*', b'/') => {
                                depth -= 1;
                                self.i += 2;
                                if depth == 0 {
                                    break;
                                }
                            }
                            _ => self.i += 1,
                        }
                    }
                }
                _ => return,
            }
        }
    }

    fn ident(&mut self) -> &str {
        let start = self.i;
        while self.peek(0).is_ascii_alphanumeric() || self.peek(0) == b'_' {
            self.i += 1;
        }
        std::str::from_utf8(&self.s[start..self.i]).unwrap_or("")
    }

    /// At a string literal (`"`, `r"`, `r#"`, `b"`, `br"`, `c"`...): its
    /// decoded bytes. `None` if not at one.
    fn string(&mut self) -> Option<Vec<u8>> {
        let mut k = 0;
        if matches!(self.peek(0), b'b' | b'c') {
            k = 1;
        }
        if self.peek(k) == b'r' && matches!(self.peek(k + 1), b'"' | b'#') {
            k += 1;
            let mut hashes = 0;
            while self.peek(k + hashes) == b'#' {
                hashes += 1;
            }
            if self.peek(k + hashes) != b'"' {
                return None;
            }
            self.i += k + hashes + 1;
            let start = self.i;
            loop {
                if self.i >= self.s.len() {
                    self.error("unterminated raw string");
                }
                if self.s[self.i] == b'"'
                    && (1..=hashes).all(|h| self.s.get(self.i + h) == Some(&b'#'))
                {
                    let text = self.s[start..self.i].to_vec();
                    self.i += 1 + hashes;
                    return Some(text);
                }
                self.i += 1;
            }
        }
        if self.peek(k) != b'"' {
            return None;
        }
        self.i += k + 1;
        let mut out = Vec::new();
        loop {
            let Some(&c) = self.s.get(self.i) else {
                self.error("unterminated string");
            };
            self.i += 1;
            match c {
                b'"' => return Some(out),
                b'\\' => {
                    let e = self.peek(0);
                    self.i += 1;
                    match e {
                        b'n' => out.push(b'\n'),
                        b't' => out.push(b'\t'),
                        b'r' => out.push(b'\r'),
                        b'0' => out.push(0),
                        b'\\' | b'\'' | b'"' => out.push(e),
                        b'\n' | b'\r' => {
                            while matches!(self.peek(0), b' ' | b'\t' | b'\n' | b'\r') {
                                self.i += 1;
                            }
                        }
                        b'x' => {
                            let hex =
                                std::str::from_utf8(self.s.get(self.i..self.i + 2).unwrap_or(b""))
                                    .ok()
                                    .and_then(|h| u8::from_str_radix(h, 16).ok());
                            match hex {
                                Some(v) => out.push(v),
                                None => self.error("bad \\x escape"),
                            }
                            self.i += 2;
                        }
                        b'u' => {
                            let rest = &self.s[self.i..];
                            let close = rest.iter().position(|&b| b == b'}');
                            let ch = close
                                .and_then(|c| std::str::from_utf8(&rest[1..c]).ok())
                                .and_then(|h| u32::from_str_radix(&h.replace('_', ""), 16).ok())
                                .and_then(char::from_u32);
                            match (ch, close) {
                                (Some(ch), Some(c)) => {
                                    let mut b = [0; 4];
                                    out.extend_from_slice(ch.encode_utf8(&mut b).as_bytes());
                                    self.i += c + 1;
                                }
                                _ => self.error("bad \\u escape"),
                            }
                        }
                        _ => self.error("unknown escape"),
                    }
                }
                b'\r' if self.peek(0) == b'\n' => {}
                _ => out.push(c),
            }
        }
    }

    /// Skip a character literal or a lifetime at a `'`.
    fn quote(&mut self) {
        self.i += 1;
        if self.peek(0) == b'\\' {
            self.i += 2;
            while self.i < self.s.len() && self.s[self.i] != b'\'' {
                self.i += 1;
            }
            self.i += 1;
            return;
        }
        // One (UTF-8) character then a quote: a char literal.
        let len = match self.peek(0) {
            0xf0.. => 4,
            0xe0.. => 3,
            0xc0.. => 2,
            _ => 1,
        };
        if self.peek(len) == b'\'' {
            self.i += len + 1;
        }
    }
}

/// Every `usage!(NAME, "..." [, "..."]...)` in a file, texts decoded and
/// concatenated.
fn usage_calls(src: &[u8], file: &str) -> Vec<(String, Vec<u8>)> {
    let mut lx = Lex { s: src, i: 0, file };
    let mut found = Vec::new();
    while lx.i < src.len() {
        lx.skip_space();
        let c = lx.peek(0);
        if c == 0 && lx.i >= src.len() {
            break;
        }
        if lx.string().is_some() {
            continue;
        }
        if c == b'\'' {
            lx.quote();
            continue;
        }
        if c.is_ascii_alphabetic() || c == b'_' {
            if lx.ident() != "usage" {
                continue;
            }
            lx.skip_space();
            if lx.peek(0) != b'!' {
                continue;
            }
            lx.i += 1;
            lx.skip_space();
            if lx.peek(0) != b'(' {
                continue;
            }
            lx.i += 1;
            lx.skip_space();
            let name = lx.ident().to_string();
            if name.is_empty() {
                lx.error("usage!: expected a name");
            }
            let mut text = Vec::new();
            loop {
                lx.skip_space();
                match lx.peek(0) {
                    b',' => lx.i += 1,
                    b')' => {
                        lx.i += 1;
                        break;
                    }
                    _ => match lx.string() {
                        Some(t) => text.extend_from_slice(&t),
                        None => lx.error("usage!: expected string literals"),
                    },
                }
            }
            found.push((name, text));
            continue;
        }
        lx.i += 1;
    }
    found
}
