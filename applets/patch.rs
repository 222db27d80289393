//! patch: apply a diff to files. Unified, context and normal diffs and
//! ed scripts (several files in one patch), `-p N` (default: the base
//! name), `-R` reverse, `-N` skip hunks already applied, `-i FILE`, `-o
//! FILE` (`-` for stdout), `-d DIR`, `--dry-run`, `-b` backups (`.orig`,
//! `-z SUFFIX`), and GNU's backup when a patch does not apply exactly
//! (unless `--no-backup-if-mismatch` or POSIXLY_CORRECT), `-E` remove
//! empty files, `-r FILE` rejects, `-F N` fuzz (2), `-f`/`-t`, `-s` quiet.
//! Each hunk is looked for at its line and then further away, then with
//! up to F lines of context ignored, silently as BusyBox. Failures are
//! reported as BusyBox does, on stderr: `Hunk 2 FAILED 12/12.` and the
//! hunk's lines, after `Possibly reversed hunk 2 at L` (L: one past the
//! end of the file) when the hunk fits the other way round; no `.rej`
//! file unless `-r` asks for one. `creating FILE` for a creation,
//! `can't open 'FILE': ...` when the file to patch is missing (status 1).
//! Files are created (from /dev/null), deleted (to /dev/null) and written
//! through a temporary file and a rename. There is no dialogue.

use ibex::Status;
use ibex::args::{Parser, Spec, flag, value};
use ibex::io::Out;
use ibex::sys;
use std::ffi::{OsStr, OsString};
use std::os::fd::AsRawFd;
use std::os::unix::ffi::OsStrExt;

const DRY_RUN: u32 = 256;
const NO_BACKUP_MISMATCH: u32 = 257;
const BACKUP_MISMATCH: u32 = 258;
const POSIX: u32 = 259;
const VERBOSE: u32 = 260;

const LONGS: &[ibex::args::Long] = &[
    flag("backup", 'b' as u32),
    flag("remove-empty-files", 'E' as u32),
    flag("force", 'f' as u32),
    value("fuzz", 'F' as u32),
    value("input", 'i' as u32),
    value("directory", 'd' as u32),
    flag("forward", 'N' as u32),
    value("output", 'o' as u32),
    value("strip", 'p' as u32),
    value("reject-file", 'r' as u32),
    flag("reverse", 'R' as u32),
    flag("quiet", 's' as u32),
    flag("silent", 's' as u32),
    flag("batch", 't' as u32),
    value("suffix", 'z' as u32),
    flag("dry-run", DRY_RUN),
    flag("no-backup-if-mismatch", NO_BACKUP_MISMATCH),
    flag("backup-if-mismatch", BACKUP_MISMATCH),
    flag("posix", POSIX),
    flag("verbose", VERBOSE),
    flag("unified", 'u' as u32),
    flag("context", 'c' as u32),
    flag("normal", 'n' as u32),
    flag("ignore-whitespace", 'l' as u32),
];

const SPEC: Spec = Spec::new(
    "bcd:EfF:i:lNno:p:r:Rstuz:",
    LONGS,
    ibex::usage!(
        patch,
        "patch [-bEflNRst] [-p N] [-i DIFF] [-o OUT] [-d DIR] [-r REJ] [-F N] [FILE [DIFF]]\n\n\
     Apply a diff (unified, context or normal) to files.\n\n\
     \t-p N\tStrip N leading path components from file names (--strip)\n\
     \t-i DIFF\tRead the patch from DIFF (--input)\n\
     \t-o OUT\tWrite the result to OUT, - for stdout (--output)\n\
     \t-d DIR\tChange to DIR first (--directory)\n\
     \t-R\tReverse the patch (--reverse)\n\
     \t-N\tSkip hunks that seem already applied (--forward)\n\
     \t-E\tRemove files left empty (--remove-empty-files)\n\
     \t-b\tBack up the original as FILE.orig (--backup; -z SUFFIX)\n\
     \t-r REJ\tAlso save failed hunks in REJ (--reject-file)\n\
     \t-F N\tAllow N lines of context not to match (--fuzz; 2)\n\
     \t-l\tCompare white space loosely (--ignore-whitespace)\n\
     \t-f\tDon't look for reversed hunks (--force)\n\
     \t-t\tUndo hunks that seem already applied (--batch)\n\
     \t-s\tOnly report errors (--quiet)\n\
     \t--dry-run\tReport what would happen, change nothing\n\
     \t--no-backup-if-mismatch\tNo .orig when a patch does not apply exactly"
    ),
)
.status(2);

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    Context,
    Del,
    Add,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Format {
    Unified,
    ContextDiff,
    Normal,
    Ed,
}

/// An ed command: lines `a..=b` (1-based; `a` alone for append after it)
/// with the text that replaces or follows them.
#[derive(Clone, Debug)]
struct EdCmd {
    a: usize,
    b: usize,
    cmd: u8,
    text: Vec<Vec<u8>>,
}

#[derive(Clone, Debug)]
struct Hunk {
    /// First old line (1-based; for an empty old side, the line before
    /// which the new lines go).
    old_start: usize,
    old_len: usize,
    new_start: usize,
    new_len: usize,
    lines: Vec<(Kind, Vec<u8>)>,
}

impl Hunk {
    fn swap(&mut self) {
        std::mem::swap(&mut self.old_start, &mut self.new_start);
        std::mem::swap(&mut self.old_len, &mut self.new_len);
        for l in &mut self.lines {
            l.0 = match l.0 {
                Kind::Del => Kind::Add,
                Kind::Add => Kind::Del,
                Kind::Context => Kind::Context,
            };
        }
        // Keep deletions before additions within each run of changes.
        let mut i = 0;
        while i < self.lines.len() {
            if self.lines[i].0 == Kind::Context {
                i += 1;
                continue;
            }
            let start = i;
            while i < self.lines.len() && self.lines[i].0 != Kind::Context {
                i += 1;
            }
            ibex::order::sort_by_key(&mut self.lines[start..i], |l| l.0 == Kind::Add);
        }
    }

    fn pattern(&self) -> impl Iterator<Item = &[u8]> {
        self.lines
            .iter()
            .filter(|l| l.0 != Kind::Add)
            .map(|l| l.1.as_slice())
    }

    fn prefix_context(&self) -> usize {
        self.lines
            .iter()
            .take_while(|l| l.0 == Kind::Context)
            .count()
    }

    fn suffix_context(&self) -> usize {
        self.lines
            .iter()
            .rev()
            .take_while(|l| l.0 == Kind::Context)
            .count()
    }
}

/// The patch for one file.
#[derive(Debug)]
struct FilePatch {
    format: Format,
    old: Option<Vec<u8>>,
    new: Option<Vec<u8>>,
    /// The header lines as they appear (for rejects).
    old_header: Vec<u8>,
    new_header: Vec<u8>,
    hunks: Vec<Hunk>,
    ed: Vec<EdCmd>,
}

impl FilePatch {
    /// A file's patch; `headers` are the
    /// `---`/`+++` (or `***`/`---`) lines of the formats that have them.
    fn new(format: Format, headers: Option<(&[u8], &[u8])>) -> FilePatch {
        let (old, new) = headers.unwrap_or((b"", b""));
        FilePatch {
            format,
            old: headers.map(|_| header_name(old, 4)),
            new: headers.map(|_| header_name(new, 4)),
            old_header: old.to_vec(),
            new_header: new.to_vec(),
            hunks: Vec::new(),
            ed: Vec::new(),
        }
    }
}

struct Opts {
    strip: Option<usize>,
    reverse: bool,
    forward: bool,
    output: Option<Vec<u8>>,
    dry_run: bool,
    backup: bool,
    backup_mismatch: bool,
    remove_empty: bool,
    quiet: bool,
    force: bool,
    batch: bool,
    fuzz: usize,
    reject: Option<Vec<u8>>,
    suffix: Vec<u8>,
    loose: bool,
}

/// Lines of a text, each with its newline (the last maybe without).
fn lines_of(d: &[u8]) -> Vec<&[u8]> {
    let mut v = Vec::new();
    let mut s = 0;
    for i in memchr::memchr_iter(b'\n', d) {
        v.push(&d[s..=i]);
        s = i + 1;
    }
    if s < d.len() {
        v.push(&d[s..]);
    }
    v
}

fn num_at(s: &[u8], i: &mut usize) -> Option<usize> {
    let n = s[*i..].iter().take_while(|c| c.is_ascii_digit()).count();
    if n == 0 {
        return None;
    }
    let v: usize = std::str::from_utf8(&s[*i..*i + n]).ok()?.parse().ok()?;
    *i += n;
    // Line numbers beyond any real file are not a hunk header.
    (v < 1 << 40).then_some(v)
}

/// `A[,B]` at `*i`.
fn range_at(s: &[u8], i: &mut usize) -> Option<(usize, Option<usize>)> {
    let a = num_at(s, i)?;
    if s.get(*i) == Some(&b',') {
        *i += 1;
        let b = num_at(s, i)?;
        return Some((a, Some(b)));
    }
    Some((a, None))
}

/// `@@ -a[,b] +c[,d] @@`.
fn unified_header(l: &[u8]) -> Option<(usize, usize, usize, usize)> {
    let mut i = 0;
    if !l.starts_with(b"@@ -") {
        return None;
    }
    i += 4;
    let (a, b) = range_at(l, &mut i)?;
    if l.get(i..i + 2) != Some(b" +") {
        return None;
    }
    i += 2;
    let (c, d) = range_at(l, &mut i)?;
    if !l[i..].starts_with(b" @@") {
        return None;
    }
    Some((a, b.unwrap_or(1), c, d.unwrap_or(1)))
}

/// `A[,B]{a,c,d}C[,D]`.
fn normal_header(l: &[u8]) -> Option<(usize, usize, u8, usize, usize)> {
    let body = l.strip_suffix(b"\n").unwrap_or(l);
    let mut i = 0;
    let (a, b) = range_at(body, &mut i)?;
    let cmd = *body.get(i)?;
    if !matches!(cmd, b'a' | b'c' | b'd') {
        return None;
    }
    i += 1;
    let (c, d) = range_at(body, &mut i)?;
    if i != body.len() {
        return None;
    }
    Some((a, b.unwrap_or(a), cmd, c, d.unwrap_or(c)))
}

/// The file name in a `--- name\tdate` header line.
fn header_name(l: &[u8], skip: usize) -> Vec<u8> {
    let rest = l.get(skip..).unwrap_or(b"");
    let rest = rest.strip_suffix(b"\n").unwrap_or(rest);
    let rest = rest.strip_suffix(b"\r").unwrap_or(rest);
    let end = memchr::memchr(b'\t', rest).unwrap_or(rest.len());
    let mut name = &rest[..end];
    // Without a tab, a date after spaces may follow; keep names with spaces
    // only when no date is there (good enough for the usual diffs).
    if end == rest.len()
        && let Some(p) = find_date(name)
    {
        name = &name[..p];
    }
    if name.len() > 1 && name.starts_with(b"\"") && name.ends_with(b"\"") {
        name = &name[1..name.len() - 1];
    }
    name.to_vec()
}

/// Where a ` YYYY-MM-DD ` or ` Www Mmm ` timestamp starts, if any.
fn find_date(s: &[u8]) -> Option<usize> {
    for (i, w) in s.windows(2).enumerate() {
        if w[0] == b' ' {
            let rest = &s[i + 1..];
            let iso = rest.len() >= 10
                && rest[..4].iter().all(u8::is_ascii_digit)
                && rest[4] == b'-'
                && rest[7] == b'-';
            let day = rest.len() >= 8
                && rest[..3].iter().all(u8::is_ascii_alphabetic)
                && rest[3] == b' '
                && rest[4..7].iter().all(u8::is_ascii_alphabetic);
            if iso || day {
                return Some(i);
            }
        }
    }
    None
}

/// Parse the whole patch into per-file patches. `garbage` tells whether
/// anything else than patches was seen.
fn parse(text: &[u8]) -> Vec<FilePatch> {
    let lines = lines_of(text);
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let l = lines[i];
        let next = lines.get(i + 1).copied().unwrap_or(b"");
        let third = lines.get(i + 2).copied().unwrap_or(b"");
        if l.starts_with(b"--- ") && next.starts_with(b"+++ ") && third.starts_with(b"@@ -") {
            let mut fp = FilePatch::new(Format::Unified, Some((l, next)));
            i += 2;
            while i < lines.len() {
                let Some((a, b, c, d)) = unified_header(lines[i]) else {
                    break;
                };
                i += 1;
                let mut h = Hunk {
                    old_start: if b == 0 { a + 1 } else { a },
                    old_len: b,
                    new_start: if d == 0 { c + 1 } else { c },
                    new_len: d,
                    lines: Vec::new(),
                };
                let (mut o, mut n) = (0, 0);
                while (o < b || n < d) && i < lines.len() {
                    let hl = lines[i];
                    let (kind, body): (Kind, &[u8]) = match hl.first() {
                        Some(b' ') => (Kind::Context, &hl[1..]),
                        Some(b'-') => (Kind::Del, &hl[1..]),
                        Some(b'+') => (Kind::Add, &hl[1..]),
                        Some(b'\n') => (Kind::Context, b"\n"),
                        Some(b'\\') => {
                            strip_last_newline(&mut h);
                            i += 1;
                            continue;
                        }
                        _ => break,
                    };
                    match kind {
                        Kind::Context => {
                            o += 1;
                            n += 1;
                        }
                        Kind::Del => o += 1,
                        Kind::Add => n += 1,
                    }
                    h.lines.push((kind, body.to_vec()));
                    i += 1;
                }
                if lines.get(i).is_some_and(|l| l.starts_with(b"\\")) {
                    strip_last_newline(&mut h);
                    i += 1;
                }
                fp.hunks.push(h);
            }
            out.push(fp);
            continue;
        }
        if l.starts_with(b"*** ")
            && next.starts_with(b"--- ")
            && third.starts_with(b"***************")
        {
            let mut fp = FilePatch::new(Format::ContextDiff, Some((l, next)));
            i += 2;
            while i < lines.len() && lines[i].starts_with(b"***************") {
                match context_hunk(&lines, &mut i) {
                    Some(h) => fp.hunks.push(h),
                    None => break,
                }
            }
            out.push(fp);
            continue;
        }
        if normal_header(l).is_some() {
            let mut fp = FilePatch::new(Format::Normal, None);
            while i < lines.len() {
                let Some((a, b, cmd, c, d)) = normal_header(lines[i]) else {
                    break;
                };
                i += 1;
                let (old_len, new_len) = match cmd {
                    b'a' => (0, (d + 1).saturating_sub(c)),
                    b'd' => ((b + 1).saturating_sub(a), 0),
                    _ => ((b + 1).saturating_sub(a), (d + 1).saturating_sub(c)),
                };
                let mut h = Hunk {
                    old_start: if cmd == b'a' { a + 1 } else { a },
                    old_len,
                    new_start: if cmd == b'd' { c + 1 } else { c },
                    new_len,
                    lines: Vec::new(),
                };
                for _ in 0..old_len {
                    match lines.get(i).and_then(|l| l.strip_prefix(b"< ")) {
                        Some(body) => h.lines.push((Kind::Del, body.to_vec())),
                        None => break,
                    }
                    i += 1;
                    if lines.get(i).is_some_and(|l| l.starts_with(b"\\")) {
                        strip_last_newline(&mut h);
                        i += 1;
                    }
                }
                if cmd == b'c' && lines.get(i).is_some_and(|l| l.starts_with(b"---")) {
                    i += 1;
                }
                for _ in 0..new_len {
                    match lines.get(i).and_then(|l| l.strip_prefix(b"> ")) {
                        Some(body) => h.lines.push((Kind::Add, body.to_vec())),
                        None => break,
                    }
                    i += 1;
                    if lines.get(i).is_some_and(|l| l.starts_with(b"\\")) {
                        strip_last_newline(&mut h);
                        i += 1;
                    }
                }
                fp.hunks.push(h);
            }
            out.push(fp);
            continue;
        }
        if ed_command(l).is_some() {
            let mut fp = FilePatch::new(Format::Ed, None);
            while let Some((a, b, cmd)) = lines.get(i).and_then(|l| ed_command(l)) {
                i += 1;
                let mut text = Vec::new();
                if cmd != b'd' {
                    ed_text(&lines, &mut i, &mut text);
                    // `..`, `.`, `s/.//`, `a`: a line that is just a dot.
                    while lines.get(i).is_some_and(|l| *l == b"s/.//\n") {
                        i += 1;
                        if let Some(last) = text.last_mut()
                            && last.first() == Some(&b'.')
                        {
                            last.remove(0);
                        }
                        if lines.get(i).is_some_and(|l| *l == b"a\n") {
                            i += 1;
                            ed_text(&lines, &mut i, &mut text);
                        }
                    }
                }
                fp.ed.push(EdCmd { a, b, cmd, text });
            }
            out.push(fp);
            continue;
        }
        i += 1;
    }
    out
}

/// The text of an ed `a` or `c` command, up to the `.` line.
fn ed_text(lines: &[&[u8]], i: &mut usize, text: &mut Vec<Vec<u8>>) {
    while let Some(&t) = lines.get(*i) {
        *i += 1;
        if t == b".\n" || t == b"." {
            break;
        }
        text.push(t.to_vec());
    }
}

/// An ed command line `A[,B]{a,c,d}`.
fn ed_command(l: &[u8]) -> Option<(usize, usize, u8)> {
    let body = l.strip_suffix(b"\n")?;
    let mut i = 0;
    let (a, b) = range_at(body, &mut i)?;
    let cmd = *body.get(i)?;
    if i + 1 != body.len() || !matches!(cmd, b'a' | b'c' | b'd') {
        return None;
    }
    Some((a, b.unwrap_or(a), cmd))
}

/// Run an ed script on the lines of a file.
fn apply_ed(cmds: &[EdCmd], input: &[&[u8]]) -> Option<Vec<u8>> {
    let mut lines: Vec<Vec<u8>> = input.iter().map(|l| l.to_vec()).collect();
    for c in cmds {
        let (a, b) = (c.a, c.b);
        if c.cmd == b'a' {
            if a > lines.len() {
                return None;
            }
            lines.splice(a..a, c.text.iter().cloned());
        } else {
            if a == 0 || b < a || b > lines.len() {
                return None;
            }
            lines.splice(a - 1..b, c.text.iter().cloned());
        }
    }
    Some(lines.concat())
}

fn strip_last_newline(h: &mut Hunk) {
    if let Some(l) = h.lines.last_mut()
        && l.1.ends_with(b"\n")
    {
        l.1.pop();
    }
}

/// A context-diff hunk: `***************`, `*** a,b ****` and old lines,
/// `--- c,d ----` and new lines (either side may be left out when it
/// would show only context).
fn context_hunk(lines: &[&[u8]], i: &mut usize) -> Option<Hunk> {
    *i += 1;
    let l = lines.get(*i)?;
    let mut k = 4;
    if !l.starts_with(b"*** ") {
        return None;
    }
    let (a, b) = range_at(l, &mut k)?;
    let (a, b) = (a, b.unwrap_or(a));
    *i += 1;
    let mut old: Vec<(u8, Vec<u8>)> = Vec::new();
    while let Some(&l) = lines.get(*i) {
        if l.starts_with(b"--- ") && l.trim_ascii_end().ends_with(b"----") {
            break;
        }
        match l.first() {
            Some(b'\\') => {
                if let Some(last) = old.last_mut()
                    && last.1.ends_with(b"\n")
                {
                    last.1.pop();
                }
            }
            Some(&c @ (b' ' | b'-' | b'!')) if l.get(1) == Some(&b' ') || l.len() == 2 => {
                old.push((c, l.get(2..).unwrap_or(b"\n").to_vec()));
            }
            _ => return None,
        }
        *i += 1;
    }
    let l = lines.get(*i)?;
    let mut k = 4;
    let (c, d) = range_at(l, &mut k)?;
    let (c, d) = (c, d.unwrap_or(c));
    *i += 1;
    let mut new: Vec<(u8, Vec<u8>)> = Vec::new();
    while let Some(&l) = lines.get(*i) {
        match l.first() {
            Some(b'\\') => {
                if let Some(last) = new.last_mut()
                    && last.1.ends_with(b"\n")
                {
                    last.1.pop();
                }
            }
            Some(&ch @ (b' ' | b'+' | b'!')) if l.get(1) == Some(&b' ') => {
                new.push((ch, l.get(2..).unwrap_or(b"\n").to_vec()));
            }
            _ => break,
        }
        *i += 1;
    }
    let old_len = if a == 0 && b == 0 {
        0
    } else {
        (b + 1).saturating_sub(a)
    };
    let new_len = if c == 0 && d == 0 {
        0
    } else {
        (d + 1).saturating_sub(c)
    };
    // A side that was left out is all context: take it from the other.
    if old.is_empty() && old_len > 0 {
        old = new.iter().filter(|l| l.0 == b' ').cloned().collect();
    }
    if new.is_empty() && new_len > 0 {
        new = old.iter().filter(|l| l.0 == b' ').cloned().collect();
    }
    let mut h = Hunk {
        old_start: if old_len == 0 { a + 1 } else { a },
        old_len,
        new_start: if new_len == 0 { c + 1 } else { c },
        new_len,
        lines: Vec::new(),
    };
    let (mut x, mut y) = (0, 0);
    while x < old.len() || y < new.len() {
        match (old.get(x), new.get(y)) {
            (Some(o), _) if o.0 == b'-' => {
                h.lines.push((Kind::Del, o.1.clone()));
                x += 1;
            }
            (_, Some(n)) if n.0 == b'+' => {
                h.lines.push((Kind::Add, n.1.clone()));
                y += 1;
            }
            (Some(o), Some(n)) if o.0 == b'!' || n.0 == b'!' => {
                while old.get(x).is_some_and(|o| o.0 == b'!') {
                    h.lines.push((Kind::Del, old[x].1.clone()));
                    x += 1;
                }
                while new.get(y).is_some_and(|n| n.0 == b'!') {
                    h.lines.push((Kind::Add, new[y].1.clone()));
                    y += 1;
                }
            }
            (Some(o), Some(_)) => {
                h.lines.push((Kind::Context, o.1.clone()));
                x += 1;
                y += 1;
            }
            (Some(o), None) => {
                h.lines.push((
                    if o.0 == b' ' {
                        Kind::Context
                    } else {
                        Kind::Del
                    },
                    o.1.clone(),
                ));
                x += 1;
            }
            (None, Some(n)) => {
                h.lines.push((
                    if n.0 == b' ' {
                        Kind::Context
                    } else {
                        Kind::Add
                    },
                    n.1.clone(),
                ));
                y += 1;
            }
            (None, None) => break,
        }
    }
    Some(h)
}

/// Strip `n` leading components (None: keep only the base name).
fn strip_name(name: &[u8], n: Option<usize>) -> Vec<u8> {
    match n {
        None => ibex::path::basename(name).to_vec(),
        Some(0) => name.to_vec(),
        Some(n) => {
            let mut rest = name;
            for _ in 0..n {
                match memchr::memchr(b'/', rest) {
                    Some(k) => {
                        rest = &rest[k + 1..];
                        while rest.first() == Some(&b'/') {
                            rest = &rest[1..];
                        }
                    }
                    None => return Vec::new(),
                }
            }
            rest.to_vec()
        }
    }
}

fn is_null(name: &[u8]) -> bool {
    name == b"/dev/null"
}

fn exists(name: &[u8]) -> bool {
    !name.is_empty() && sys::lstat(name).is_ok()
}

pub fn main(argv: &[OsString]) -> Status {
    let mut p = Parser::new(argv, &SPEC);
    let mut o = Opts {
        strip: None,
        reverse: false,
        forward: false,
        output: None,
        dry_run: false,
        backup: false,
        backup_mismatch: std::env::var_os("POSIXLY_CORRECT").is_none(),
        remove_empty: false,
        quiet: false,
        force: false,
        batch: false,
        fuzz: 2,
        reject: None,
        suffix: b".orig".to_vec(),
        loose: false,
    };
    let mut input: Option<Vec<u8>> = None;
    let mut dir: Option<Vec<u8>> = None;
    while let Some((id, val)) = p.next()? {
        let v = val.map(OsStr::as_bytes).unwrap_or_default();
        let number = || -> Result<usize, ibex::Exit> {
            ibex::num::parse_u64(v)
                .ok()
                .and_then(|n| usize::try_from(n).ok())
                .ok_or_else(|| {
                    ibex::msg!("invalid number '", v, "'");
                    ibex::Exit(2)
                })
        };
        match id {
            DRY_RUN => o.dry_run = true,
            NO_BACKUP_MISMATCH => o.backup_mismatch = false,
            BACKUP_MISMATCH => o.backup_mismatch = true,
            POSIX => o.backup_mismatch = false,
            VERBOSE => {}
            _ => match char::from_u32(id).unwrap_or(' ') {
                'b' => o.backup = true,
                'E' => o.remove_empty = true,
                'f' => o.force = true,
                'F' => o.fuzz = number()?,
                'i' => input = Some(v.to_vec()),
                'd' => dir = Some(v.to_vec()),
                'N' => o.forward = true,
                'o' => o.output = Some(v.to_vec()),
                'p' => o.strip = Some(number()?),
                'r' => o.reject = Some(v.to_vec()),
                'R' => o.reverse = true,
                's' => o.quiet = true,
                't' => o.batch = true,
                'z' => {
                    o.suffix = v.to_vec();
                    o.backup = true;
                }
                'l' => o.loose = true,
                _ => {}
            },
        }
    }
    let ops = p.operands();
    if ops.len() > 2 {
        return Err(ibex::args::usage_error(
            &SPEC,
            &[b"extra operand '", ops[2].as_bytes(), b"'"],
        ));
    }
    let target = ops.first().map(|s| s.as_bytes().to_vec());
    if let Some(f) = ops.get(1) {
        input = Some(f.as_bytes().to_vec());
    }
    if let Some(d) = &dir
        && let Err(e) = std::env::set_current_dir(OsStr::from_bytes(d))
    {
        ibex::msg!("can't change directory to '", d, "': ", e);
        return Err(ibex::Exit(2));
    }
    // -d applies before the patch file is opened, as in GNU patch.
    let text = match &input {
        Some(name) if name.as_slice() != b"-" => match ibex::io::read_file(name) {
            Ok(t) => t,
            Err(e) => {
                ibex::msg!("can't open '", name, "': ", e);
                return Err(ibex::Exit(2));
            }
        },
        _ => match ibex::io::read_all(0) {
            Ok(t) => t,
            Err(e) => {
                ibex::msg!("read error: ", e);
                return Err(ibex::Exit(2));
            }
        },
    };
    let patches = parse(&text);
    // Messages go to stdout, or stderr when the result does.
    let to_stdout = o.output.as_deref() == Some(b"-");
    let mut out = Out::new(if to_stdout { 2 } else { 1 });
    if patches.is_empty() {
        if text.iter().any(|c| !c.is_ascii_whitespace()) {
            out.flush();
            ibex::msg!("**** Only garbage was found in the patch input.");
            return Err(ibex::Exit(out.finish(2)));
        }
        return out.done(0);
    }
    let mut status = 0;
    let mut result_out = if to_stdout { Some(Out::stdout()) } else { None };
    for fp in patches {
        let s = apply_file(&o, &fp, target.as_deref(), &mut out, result_out.as_mut());
        status = status.max(s);
    }
    if let Some(r) = result_out {
        status = status.max(r.finish(0));
    }
    Ok(out.finish(status))
}

/// Pick the file a patch is for: an existing one among the old and new
/// names (fewest components, then shortest), else the new name for a
/// creation, else the best name (to report as missing).
fn choose_name(o: &Opts, fp: &FilePatch) -> (Vec<u8>, bool) {
    let strip = |n: &Option<Vec<u8>>| -> Option<Vec<u8>> {
        n.as_ref()
            .filter(|n| !is_null(n))
            .map(|n| strip_name(n, o.strip))
            .filter(|n| !n.is_empty())
    };
    let (old, new) = if o.reverse {
        (&fp.new, &fp.old)
    } else {
        (&fp.old, &fp.new)
    };
    let creating = old.as_deref().is_some_and(is_null)
        || matches!(fp.hunks.as_slice(), [h] if {
            let (len, start) = if o.reverse { (h.new_len, h.new_start) } else { (h.old_len, h.old_start) };
            len == 0 && start <= 1
        });
    // GNU patch no longer takes names from `Index:` lines by default.
    let mut cands: Vec<Vec<u8>> = [strip(old), strip(new)].into_iter().flatten().collect();
    let better = |a: &Vec<u8>, b: &Vec<u8>| {
        let comps = |n: &Vec<u8>| n.iter().filter(|&&c| c == b'/').count();
        (comps(a), ibex::path::basename(a).len(), a.len())
            < (comps(b), ibex::path::basename(b).len(), b.len())
    };
    let mut best: Option<&Vec<u8>> = None;
    for c in cands.iter().filter(|c| exists(c)) {
        if best.is_none_or(|b| better(c, b)) {
            best = Some(c);
        }
    }
    if let Some(b) = best {
        return (b.clone(), creating);
    }
    if creating && let Some(n) = strip(new) {
        return (n, true);
    }
    if cands.is_empty() {
        // Stripped to nothing: report the name as written.
        cands.extend(
            [new, old]
                .into_iter()
                .flatten()
                .filter(|n| !is_null(n))
                .cloned(),
        );
    }
    let mut best: Option<&Vec<u8>> = None;
    for c in &cands {
        if best.is_none_or(|b| better(c, b)) {
            best = Some(c);
        }
    }
    (best.cloned().unwrap_or_default(), false)
}

/// Where a hunk's pattern fits: GNU's search outward from the expected
/// line, with `fuzz` lines of context at each end allowed not to match.
struct Search<'a> {
    input: &'a [&'a [u8]],
    loose: bool,
}

impl Search<'_> {
    fn same(&self, a: &[u8], b: &[u8]) -> bool {
        if !self.loose {
            return a == b;
        }
        let mut x = a.iter().filter(|c| !c.is_ascii_whitespace());
        let mut y = b.iter().filter(|c| !c.is_ascii_whitespace());
        loop {
            match (x.next(), y.next()) {
                (None, None) => return true,
                (Some(p), Some(q)) if p == q => {}
                _ => return false,
            }
        }
    }

    /// Whether the pattern matches at line `at` (1-based), skipping
    /// `pre` lines at its start and `suf` at its end.
    fn matches(&self, pat: &[&[u8]], at: usize, pre: usize, suf: usize) -> bool {
        let end = pat.len().saturating_sub(suf);
        (pre..end).all(|k| {
            at + k >= 1
                && self
                    .input
                    .get(at + k - 1)
                    .is_some_and(|l| self.same(pat[k], l))
        })
    }

    /// Returns the line where the hunk starts, and the new offset.
    fn locate(
        &self,
        h: &Hunk,
        in_offset: isize,
        frozen: usize,
        fuzz: usize,
    ) -> Option<(usize, isize)> {
        let pat: Vec<&[u8]> = h.pattern().collect();
        let first_guess = h.old_start as isize + in_offset;
        if pat.is_empty() {
            return Some((first_guess.max(1) as usize, in_offset));
        }
        let n_in = self.input.len() as isize;
        let pat_len = pat.len() as isize;
        let pre_ctx = h.prefix_context() as isize;
        let suf_ctx = h.suffix_context() as isize;
        let context = pre_ctx.max(suf_ctx);
        let fuzz = fuzz as isize;
        let mut pre_fuzz = fuzz + pre_ctx - context;
        let suf_fuzz = fuzz + suf_ctx - context;
        let try_at = |at: isize, pre: isize, suf: isize| {
            at >= 1 && self.matches(&pat, at as usize, pre.max(0) as usize, suf.max(0) as usize)
        };
        let frozen = frozen as isize;
        if pre_fuzz < 0 && h.old_start <= 1 {
            // Fewer lines of context before than after: only the start of
            // the file will do (and with none after either, all of it).
            if suf_fuzz < 0 && (pat_len != n_in || pre_ctx < frozen) {
                return None;
            }
            if frozen <= pre_ctx
                && 1 + pat_len - suf_fuzz.max(0) - 1 <= n_in
                && try_at(1, 0, suf_fuzz)
            {
                return Some((1, in_offset + 1 - first_guess));
            }
            return None;
        }
        pre_fuzz = pre_fuzz.max(0);
        if suf_fuzz < 0 {
            // Fewer after than before: only the end of the file will do.
            let at = n_in - pat_len + 1;
            if at >= 1 && at + pre_fuzz > frozen && try_at(at, pre_fuzz, 0) {
                return Some((at as usize, in_offset + at - first_guess));
            }
            return None;
        }
        let max_where = n_in - (pat_len - suf_fuzz) + 1;
        let min_where = frozen + 1 - (pre_ctx - pre_fuzz);
        let max_pos = max_where - first_guess;
        let mut max_neg = first_guess - min_where;
        let max_off = max_pos.max(max_neg);
        if first_guess <= max_neg {
            max_neg = first_guess - 1;
        }
        // Only offsets that put the hunk inside the file can match: skip
        // straight to them (a wild line number must not mean a long loop).
        let pos_lo = (1 - first_guess).max(0);
        let neg_lo = (first_guess - max_where).max(1);
        let mut off = match (pos_lo <= max_pos, neg_lo <= max_neg) {
            (true, true) => pos_lo.min(neg_lo),
            (true, false) => pos_lo,
            (false, true) => neg_lo,
            (false, false) => return None,
        };
        let max_off = max_off.min(max_pos.max(max_neg));
        while off <= max_off {
            if off <= max_pos && try_at(first_guess + off, pre_fuzz, suf_fuzz) {
                return Some(((first_guess + off) as usize, in_offset + off));
            }
            if off > 0 && off <= max_neg && try_at(first_guess - off, pre_fuzz, suf_fuzz) {
                return Some(((first_guess - off) as usize, in_offset - off));
            }
            off += 1;
        }
        None
    }
}

fn say(out: &mut Out, o: &Opts, text: &[u8]) {
    if !o.quiet {
        out.write(text);
    }
}

/// `patch: can't WHAT 'NAME': reason` (BusyBox's wording), after the
/// notes so far.
fn cant(out: &mut Out, what: &str, name: &[u8], e: &std::io::Error) {
    out.flush();
    ibex::msg!("can't ", what, " '", name, "': ", e);
}

/// A hunk's lines as they appear in a unified patch.
fn hunk_body(t: &mut Vec<u8>, h: &Hunk) {
    for (k, body) in &h.lines {
        t.push(match k {
            Kind::Context => b' ',
            Kind::Del => b'-',
            Kind::Add => b'+',
        });
        t.extend_from_slice(body);
        if !body.ends_with(b"\n") {
            t.extend_from_slice(b"\n\\ No newline at end of file\n");
        }
    }
}

/// Apply the hunks of one file patch; returns 0, 1 (hunks failed, or no
/// file to patch) or 2 (the result could not be written).
fn apply_file(
    o: &Opts,
    fp: &FilePatch,
    target: Option<&[u8]>,
    out: &mut Out,
    result: Option<&mut Out>,
) -> i32 {
    let (name, creating) = match target {
        Some(t) => (t.to_vec(), false),
        None => choose_name(o, fp),
    };
    let outname = o.output.clone().unwrap_or_else(|| name.clone());
    if fp.format != Format::Ed {
        let mut m = if creating {
            b"creating ".to_vec()
        } else {
            b"patching file ".to_vec()
        };
        m.extend_from_slice(&outname);
        m.push(b'\n');
        say(out, o, &m);
    }
    let data = match ibex::io::read_file(&name) {
        Ok(d) if creating && !d.is_empty() => {
            cant(
                out,
                "open",
                &name,
                &std::io::Error::from_raw_os_error(libc::EEXIST),
            );
            return 1;
        }
        Ok(d) => d,
        Err(e) if creating && e.raw_os_error() == Some(libc::ENOENT) => Vec::new(),
        Err(e) => {
            cant(out, "open", &name, &e);
            return 1;
        }
    };
    let input = lines_of(&data);
    if fp.format == Format::Ed {
        let Some(newdata) = apply_ed(&fp.ed, &input) else {
            out.flush();
            ibex::msg!("**** ed script does not fit ", &name);
            return 2;
        };
        if o.dry_run {
            return 0;
        }
        if let Some(r) = result {
            r.write(&newdata);
            return 0;
        }
        return match write_result(
            &outname,
            &name,
            &newdata,
            o.backup.then_some(o.suffix.as_slice()),
        ) {
            Ok(()) => 0,
            Err(e) => {
                cant(out, "create", &outname, &e);
                2
            }
        };
    }
    let mut hunks = fp.hunks.clone();
    if o.reverse {
        for h in &mut hunks {
            h.swap();
        }
    }
    let search = Search {
        input: &input,
        loose: o.loose,
    };
    let mut newdata: Vec<u8> = Vec::with_capacity(data.len() + 1024);
    let mut frozen = 0usize; // input lines already copied
    let mut in_offset: isize = 0;
    let mut out_offset: isize = 0;
    let mut failed: Vec<(usize, isize)> = Vec::new();
    let mut mismatch = false;
    // Failure reports, for stderr after the "patching file" line.
    let mut err = Vec::new();
    for (hi, h) in hunks.iter_mut().enumerate() {
        let number = hi + 1;
        let mut at = None;
        let mut back = false;
        let max = o.fuzz.min(h.prefix_context().max(h.suffix_context()));
        for fuzz in 0..=max {
            if let Some((w, off)) = search.locate(h, in_offset, frozen, fuzz) {
                in_offset = off;
                mismatch |= fuzz > 0 || off != 0;
                at = Some(w);
                break;
            }
            if fuzz == 0 && !o.force {
                // Does it fit the other way round (already applied)? Then
                // no fuzzy match either.
                let mut sw = h.clone();
                sw.swap();
                if let Some((w, off)) = search.locate(&sw, in_offset, frozen, 0) {
                    back = true;
                    if o.batch {
                        *h = sw;
                        in_offset = off;
                        at = Some(w);
                        mismatch = true;
                    }
                    break;
                }
            }
        }
        if back && at.is_none() {
            if o.forward {
                continue;
            }
            if !o.quiet {
                err.extend_from_slice(
                    format!("Possibly reversed hunk {number} at {}\n", input.len() + 1).as_bytes(),
                );
            }
        }
        let Some(at) = at else {
            failed.push((hi, out_offset));
            mismatch = true;
            // As BusyBox: the numbers and lines as in the patch.
            let h = &fp.hunks[hi];
            err.extend_from_slice(
                format!(
                    "Hunk {number} FAILED {}/{}.\n",
                    h.old_start - usize::from(h.old_len == 0),
                    h.new_start - usize::from(h.new_len == 0)
                )
                .as_bytes(),
            );
            hunk_body(&mut err, h);
            continue;
        };
        // Copy up to the hunk, then walk it. Lines already written for the
        // previous hunk (a fuzzy match may overlap it) are not written
        // again; an insertion past the end of the file goes at the end.
        let start = at - 1;
        for l in input.get(frozen..start.min(input.len())).unwrap_or(&[]) {
            newdata.extend_from_slice(l);
        }
        let mut pos = start;
        for (kind, text) in &h.lines {
            match kind {
                Kind::Context => {
                    if pos >= frozen
                        && let Some(l) = input.get(pos)
                    {
                        newdata.extend_from_slice(l);
                    }
                    pos += 1;
                }
                Kind::Del => pos += 1,
                Kind::Add => newdata.extend_from_slice(text),
            }
        }
        frozen = pos.min(input.len()).max(frozen);
        out_offset += h.new_len as isize - h.old_len as isize;
    }
    if !err.is_empty() {
        out.flush();
        let _ = sys::write_all(2, &err);
    }
    for l in input.get(frozen..).unwrap_or(&[]) {
        newdata.extend_from_slice(l);
    }
    let deleting = {
        let new = if o.reverse { &fp.old } else { &fp.new };
        new.as_deref().is_some_and(is_null)
    };
    if deleting && !newdata.is_empty() {
        let mut m = b"Not deleting file ".to_vec();
        m.extend_from_slice(&outname);
        m.extend_from_slice(b" as content differs from patch\n");
        out.write(&m);
    }
    let mut status = 0;
    if !failed.is_empty() {
        status = 1;
        // BusyBox keeps no rejects; -r asks for them.
        if let Some(rej) = &o.reject
            && !o.dry_run
            && let Err(e) = std::fs::write(
                OsStr::from_bytes(rej),
                rejects(fp, &hunks, &failed, o.reverse, &name),
            )
        {
            cant(out, "create", rej, &e);
            status = 2;
        }
    }
    if o.dry_run {
        return status;
    }
    // Write the result.
    if let Some(r) = result {
        r.write(&newdata);
        return status;
    }
    if (o.remove_empty || deleting) && newdata.is_empty() && o.output.is_none() {
        if (o.backup || (o.backup_mismatch && mismatch)) && exists(&name) {
            let mut b = name.clone();
            b.extend_from_slice(&o.suffix);
            let _ = sys::rename(&name, &b);
        } else if let Err(e) = sys::unlinkat(sys::Dir::CWD, &name, 0)
            && e.raw_os_error() != Some(libc::ENOENT)
        {
            cant(out, "remove", &name, &e);
            return 2;
        }
        return status;
    }
    let backup = o.backup || (o.backup_mismatch && mismatch);
    match write_result(
        &outname,
        &name,
        &newdata,
        backup.then_some(o.suffix.as_slice()),
    ) {
        Ok(()) => status,
        Err(e) => {
            cant(out, "create", &outname, &e);
            2
        }
    }
}

/// Write through a temporary file in the same directory and rename it
/// into place, keeping the old file's mode; `backup` keeps the old file
/// under that suffix.
fn write_result(
    outname: &[u8],
    source: &[u8],
    data: &[u8],
    backup: Option<&[u8]>,
) -> std::io::Result<()> {
    let dir = ibex::path::dirname(outname);
    if !dir.is_empty() && dir != b"." && sys::stat(dir).is_err() {
        std::fs::create_dir_all(OsStr::from_bytes(dir))?;
    }
    let mode = sys::stat(source)
        .or_else(|_| sys::stat(outname))
        .map(|s| s.mode & 0o7777)
        .unwrap_or(0o666 & !sys::get_umask());
    let mut tmp;
    let fd;
    let mut n = 0u32;
    loop {
        let mut rnd = [0u8; 6];
        let _ = sys::getrandom(&mut rnd);
        tmp = ibex::path::join(dir, b"");
        if dir.is_empty() || dir == b"." {
            tmp.clear();
        }
        tmp.extend_from_slice(b".patch");
        for b in rnd {
            tmp.push(b"abcdefghijklmnopqrstuvwxyz0123456789"[usize::from(b) % 36]);
        }
        match sys::open(&tmp, sys::O_WRONLY | libc::O_CREAT | libc::O_EXCL, 0o600) {
            Ok(f) => {
                fd = f;
                break;
            }
            Err(e) if e.raw_os_error() == Some(libc::EEXIST) && n < 100 => n += 1,
            Err(e) => return Err(e),
        }
    }
    let res = sys::write_all(fd.as_raw_fd(), data).and_then(|_| sys::fchmod(fd.as_raw_fd(), mode));
    drop(fd);
    if let Err(e) = res {
        let _ = sys::unlinkat(sys::Dir::CWD, &tmp, 0);
        return Err(e);
    }
    if let Some(suffix) = backup
        && exists(outname)
    {
        let mut b = outname.to_vec();
        b.extend_from_slice(suffix);
        let _ = sys::unlinkat(sys::Dir::CWD, &b, 0);
        if let Err(e) = sys::linkat(sys::Dir::CWD, outname, sys::Dir::CWD, &b, 0) {
            // No hard links here: copy instead.
            let old = ibex::io::read_file(outname).map_err(|_| e)?;
            std::fs::write(OsStr::from_bytes(&b), old)?;
        }
    } else if backup.is_some() {
        // Nothing to back up: GNU leaves an empty backup for a new file.
        let mut b = outname.to_vec();
        b.extend_from_slice(backup.unwrap_or_default());
        let _ = std::fs::write(OsStr::from_bytes(&b), b"");
    }
    sys::rename(&tmp, outname).inspect_err(|_| {
        let _ = sys::unlinkat(sys::Dir::CWD, &tmp, 0);
    })
}

/// The rejected hunks for `-r`, in unified form, numbered where they
/// would have gone.
fn rejects(
    fp: &FilePatch,
    hunks: &[Hunk],
    failed: &[(usize, isize)],
    reverse: bool,
    name: &[u8],
) -> Vec<u8> {
    let mut t = Vec::new();
    let (mut a, mut b) = (&fp.old_header, &fp.new_header);
    if reverse {
        std::mem::swap(&mut a, &mut b);
    }
    for (mark, h) in [(b"--- ", a), (b"+++ ", b)] {
        t.extend_from_slice(mark);
        match h.get(4..) {
            Some(rest) if !rest.is_empty() => t.extend_from_slice(rest),
            _ => {
                t.extend_from_slice(name);
                t.push(b'\n');
            }
        }
    }
    let range = |first: isize, len: usize| match len {
        0 => format!("{},0", first - 1),
        1 => format!("{first}"),
        _ => format!("{first},{len}"),
    };
    for &(hi, off) in failed {
        let Some(h) = hunks.get(hi) else {
            continue;
        };
        t.extend_from_slice(
            format!(
                "@@ -{} +{} @@\n",
                range(h.old_start as isize + off, h.old_len),
                range(h.new_start as isize + off, h.new_len)
            )
            .as_bytes(),
        );
        hunk_body(&mut t, h);
    }
    t
}
