//! grep, egrep, fgrep: print lines that match patterns.
//!
//! The whole buffer (≥128 KiB) is searched for the pattern at once and line
//! boundaries are found only around matches, as GNU grep does; lines are
//! never split out one by one unless context, -v or -n need them. The
//! regular expressions are ibex::regex (POSIX BRE/ERE with GNU's
//! extensions). Output follows GNU grep 3.8: prefixes, `--` group
//! separators, GREP_COLORS, "binary file matches" on stderr, exit status
//! 0 (a line selected; with -L, a file listed, as BusyBox), 1 (none), 2
//! (trouble, unless -q found a match).

use ibex::Status;
use ibex::args::{Long, Parser, Spec, flag, optional, value};
use ibex::fnmatch;
use ibex::io::Out;
use ibex::regex::{Flags, Regex};
use ibex::sys;
use ibex::walk::{Follow, Options, Visit, Walker};
use std::ffi::{OsStr, OsString};
use std::io;
use std::os::fd::{AsRawFd, RawFd};
use std::os::unix::ffi::OsStrExt;

const USAGE: ibex::usage::Usage = ibex::usage!(grep, "grep [-HhnlLoqvsrRiwFEGxzZcbTaI] [-m N] [-A|-B|-C N] { PATTERN | -e PATTERN... | -f FILE... } [FILE]...

Search for PATTERN in FILEs (or stdin)

\t-E\tPATTERN is an extended regular expression (egrep)
\t-F\tPATTERN is a set of fixed strings (fgrep)
\t-G\tPATTERN is a basic regular expression (default)
\t-e PTRN\tPattern to match (may be repeated; newlines separate patterns)
\t-f FILE\tRead patterns from FILE, one per line
\t-i\tIgnore case (-y is the same)
\t-w\tMatch whole words only
\t-x\tMatch whole lines only
\t-v\tSelect non-matching lines
\t-c\tOnly print the count of selected lines
\t-l\tOnly print names of files with selected lines
\t-L\tOnly print names of files without selected lines
\t-o\tShow only the matching parts of lines
\t-q\tQuiet: exit 0 on the first selected line
\t-s\tSuppress messages about missing or unreadable files
\t-n\tPrefix output with line numbers
\t-b\tPrefix output with byte offsets
\t-H\tPrefix output with file names
\t-h\tNo file name prefixes
\t-T\tAlign content on a tab stop after the prefixes
\t-Z\tEnd file names with a NUL byte (--null)
\t-z\tInput lines end with NUL (--null-data)
\t-r\tSearch directories recursively (skip symlinks met on the way)
\t-R\tSearch directories recursively, following all symlinks
\t-m N\tStop after N selected lines
\t-A N\tPrint N lines of trailing context
\t-B N\tPrint N lines of leading context
\t-C N\tPrint N lines of context (-NUM is the same)
\t-a\tTreat binary files as text
\t-I\tSkip binary files
\t-d ACT\tDirectories: read, skip or recurse
\t-D ACT\tDevices, FIFOs, sockets: read or skip
\t--color[=WHEN]\tHighlight matches: never, always or auto (GREP_COLORS)
\t--include=GLOB, --exclude=GLOB, --exclude-dir=GLOB, --exclude-from=FILE
\t--label=NAME\tName for standard input
\t--binary-files=TYPE\tbinary, text or without-match
\t--line-buffered\tFlush after each line
\t--group-separator=SEP, --no-group-separator");

const O_NO_ICASE: u32 = 256;
const O_BINARY_FILES: u32 = 257;
const O_COLOR: u32 = 258;
const O_INCLUDE: u32 = 259;
const O_EXCLUDE: u32 = 260;
const O_EXCLUDE_DIR: u32 = 261;
const O_EXCLUDE_FROM: u32 = 262;
const O_LABEL: u32 = 263;
const O_LINE_BUFFERED: u32 = 264;
const O_GROUP_SEP: u32 = 265;
const O_NO_GROUP_SEP: u32 = 266;
const O_NUM: u32 = 267;

const fn c(ch: char) -> u32 {
    ch as u32
}

const LONGS: &[Long] = &[
    flag("extended-regexp", c('E')),
    flag("fixed-strings", c('F')),
    flag("basic-regexp", c('G')),
    flag("perl-regexp", c('P')),
    value("regexp", c('e')),
    value("file", c('f')),
    flag("ignore-case", c('i')),
    flag("no-ignore-case", O_NO_ICASE),
    flag("word-regexp", c('w')),
    flag("line-regexp", c('x')),
    flag("null-data", c('z')),
    flag("no-messages", c('s')),
    flag("invert-match", c('v')),
    flag("version", c('V')),
    value("max-count", c('m')),
    flag("byte-offset", c('b')),
    flag("line-number", c('n')),
    flag("line-buffered", O_LINE_BUFFERED),
    flag("with-filename", c('H')),
    flag("no-filename", c('h')),
    value("label", O_LABEL),
    flag("only-matching", c('o')),
    flag("quiet", c('q')),
    flag("silent", c('q')),
    value("binary-files", O_BINARY_FILES),
    flag("text", c('a')),
    value("directories", c('d')),
    value("devices", c('D')),
    flag("recursive", c('r')),
    flag("dereference-recursive", c('R')),
    value("include", O_INCLUDE),
    value("exclude", O_EXCLUDE),
    value("exclude-from", O_EXCLUDE_FROM),
    value("exclude-dir", O_EXCLUDE_DIR),
    flag("files-without-match", c('L')),
    flag("files-with-matches", c('l')),
    flag("count", c('c')),
    flag("initial-tab", c('T')),
    flag("null", c('Z')),
    value("before-context", c('B')),
    value("after-context", c('A')),
    value("context", c('C')),
    value("group-separator", O_GROUP_SEP),
    flag("no-group-separator", O_NO_GROUP_SEP),
    optional("color", O_COLOR),
    optional("colour", O_COLOR),
    flag("binary", c('U')),
];

const SPEC: Spec = Spec::new("EFGPe:f:iywxzsvVm:bnHhoqaId:D:rRLlcTZB:A:C:U", LONGS, USAGE)
    .status(2)
    .digits(O_NUM);

#[derive(Clone, Copy, PartialEq, Eq)]
#[allow(clippy::enum_variant_names)] // the --binary-files=TYPE names
enum Binary {
    Binary,
    Text,
    WithoutMatch,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum List {
    None,
    With,
    Without,
}

struct Opts {
    invert: bool,
    count: bool,
    list: List,
    number: bool,
    byte_offset: bool,
    only: bool,
    quiet: bool,
    no_messages: bool,
    max_count: u64,
    before: Option<u64>,
    after: Option<u64>,
    binary: Binary,
    null: bool,
    tab: bool,
    label: Vec<u8>,
    group_sep: Option<Vec<u8>>,
    recurse: Option<Follow>,
    skip_dirs: bool,
    skip_devices: bool,
    /// (include?, glob) in command-line order.
    file_globs: Vec<(bool, Vec<u8>)>,
    dir_globs: Vec<Vec<u8>>,
    term: u8,
}

/// GREP_COLORS capabilities.
struct Colors {
    ms: Vec<u8>,
    mc: Vec<u8>,
    sl: Vec<u8>,
    cx: Vec<u8>,
    fname: Vec<u8>,
    ln: Vec<u8>,
    bn: Vec<u8>,
    se: Vec<u8>,
    rv: bool,
    ne: bool,
}

impl Colors {
    fn from_env() -> Colors {
        let mut c = Colors {
            ms: b"01;31".to_vec(),
            mc: b"01;31".to_vec(),
            sl: Vec::new(),
            cx: Vec::new(),
            fname: b"35".to_vec(),
            ln: b"32".to_vec(),
            bn: b"32".to_vec(),
            se: b"36".to_vec(),
            rv: false,
            ne: false,
        };
        let Some(env) = std::env::var_os("GREP_COLORS") else {
            return c;
        };
        for item in env.as_bytes().split(|&b| b == b':') {
            let (k, v) = match memchr::memchr(b'=', item) {
                Some(i) => (&item[..i], Some(item[i + 1..].to_vec())),
                None => (item, None),
            };
            match (k, v) {
                (b"mt", Some(v)) => {
                    c.ms = v.clone();
                    c.mc = v;
                }
                (b"ms", Some(v)) => c.ms = v,
                (b"mc", Some(v)) => c.mc = v,
                (b"sl", Some(v)) => c.sl = v,
                (b"cx", Some(v)) => c.cx = v,
                (b"fn", Some(v)) => c.fname = v,
                (b"ln", Some(v)) => c.ln = v,
                (b"bn", Some(v)) => c.bn = v,
                (b"se", Some(v)) => c.se = v,
                (b"rv", None) => c.rv = true,
                (b"ne", None) => c.ne = true,
                _ => {}
            }
        }
        c
    }
}

fn os(b: &OsStr) -> &[u8] {
    b.as_bytes()
}

/// A context length: a non-negative decimal number (saturating).
fn context_arg(v: &[u8]) -> Option<u64> {
    if v.is_empty() || !v.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(v.iter().fold(0u64, |n, &d| {
        n.saturating_mul(10).saturating_add(u64::from(d - b'0'))
    }))
}

fn bad(msg: &[&[u8]]) -> ibex::Exit {
    let mut m = ibex::error::start();
    for p in msg {
        m.extend_from_slice(p);
    }
    ibex::error::emit(m);
    ibex::Exit(2)
}

fn split_lines(p: &[u8], into: &mut Vec<Vec<u8>>) {
    into.extend(p.split(|&b| b == b'\n').map(<[u8]>::to_vec));
}

pub fn main(argv: &[OsString]) -> Status {
    let name = argv
        .first()
        .map(|a| ibex::path::basename(a.as_bytes()).to_vec())
        .unwrap_or_default();
    // The matcher egrep/fgrep imply; -E/-F/-G given explicitly.
    let mut matcher: Option<u8> = match name.as_slice() {
        b"egrep" => Some(b'E'),
        b"fgrep" => Some(b'F'),
        _ => None,
    };
    let implied = matcher.is_some();
    let mut explicit: Option<u8> = None;
    let mut patterns: Vec<Vec<u8>> = Vec::new();
    let mut have_patterns = false;
    let mut icase = false;
    let mut word = false;
    let mut line = false;
    let mut with_filename: Option<bool> = None;
    let mut color_when: &[u8] = b"never";
    let mut o = Opts {
        invert: false,
        count: false,
        list: List::None,
        number: false,
        byte_offset: false,
        only: false,
        quiet: false,
        no_messages: false,
        max_count: u64::MAX,
        before: None,
        after: None,
        binary: Binary::Binary,
        null: false,
        tab: false,
        label: b"(standard input)".to_vec(),
        group_sep: Some(b"--".to_vec()),
        recurse: None,
        skip_dirs: false,
        skip_devices: false,
        file_globs: Vec::new(),
        dir_globs: Vec::new(),
        term: b'\n',
    };
    let mut context: Option<u64> = None;
    let mut line_buf = false;
    let mut p = Parser::new(argv, &SPEC);
    while let Some((id, v)) = p.next()? {
        let val = v.map(os).unwrap_or(b"");
        match id {
            0x45 | 0x46 | 0x47 | 0x50 => {
                let m = id as u8;
                if let Some(prev) = explicit
                    && prev != m
                {
                    return Err(bad(&[b"conflicting matchers specified"]));
                }
                if implied && matcher != Some(m) {
                    return Err(bad(&[b"conflicting matchers specified"]));
                }
                explicit = Some(m);
                matcher = Some(m);
            }
            0x65 => {
                split_lines(val, &mut patterns);
                have_patterns = true;
            }
            0x66 => {
                let data = if val == b"-" {
                    ibex::io::read_all(0)
                } else {
                    ibex::io::read_file(val)
                };
                match data {
                    Ok(mut d) => {
                        if d.last() == Some(&b'\n') {
                            d.pop();
                            split_lines(&d, &mut patterns);
                        } else if !d.is_empty() {
                            split_lines(&d, &mut patterns);
                        }
                    }
                    Err(e) => {
                        ibex::error::io_error(val, &e);
                        return Err(ibex::Exit(2));
                    }
                }
                have_patterns = true;
            }
            0x69 | 0x79 => icase = true,
            O_NO_ICASE => icase = false,
            0x77 => word = true,
            0x78 => line = true,
            0x7a => o.term = 0,
            0x73 => o.no_messages = true,
            0x76 => o.invert = true,
            0x56 => {
                let mut out = Out::stdout();
                out.str("grep (ibex) ");
                out.str(ibex::VERSION);
                out.byte(b'\n');
                return out.done(0);
            }
            0x6d => {
                o.max_count = match val.strip_prefix(b"-") {
                    Some(n) if context_arg(n).is_some() => u64::MAX,
                    _ => context_arg(val).ok_or_else(|| bad(&[b"invalid max count"]))?,
                }
            }
            0x62 => o.byte_offset = true,
            0x6e => o.number = true,
            O_LINE_BUFFERED => line_buf = true,
            0x48 => with_filename = Some(true),
            0x68 => with_filename = Some(false),
            O_LABEL => o.label = val.to_vec(),
            0x6f => o.only = true,
            0x71 => o.quiet = true,
            O_BINARY_FILES => {
                o.binary = match val {
                    b"binary" => Binary::Binary,
                    b"text" => Binary::Text,
                    b"without-match" => Binary::WithoutMatch,
                    _ => return Err(bad(&[b"unknown binary-files type"])),
                }
            }
            0x61 => o.binary = Binary::Text,
            0x49 => o.binary = Binary::WithoutMatch,
            0x64 => match val {
                b"read" => {
                    o.skip_dirs = false;
                    o.recurse = None;
                }
                b"skip" => {
                    o.skip_dirs = true;
                    o.recurse = None;
                }
                b"recurse" => o.recurse = Some(Follow::Root),
                _ => {
                    let e = invalid_choice(val, "--directories", &["read", "recurse", "skip"]);
                    return Err(ibex::Exit(e.0 - 1));
                }
            },
            0x44 => match val {
                b"read" => o.skip_devices = false,
                b"skip" => o.skip_devices = true,
                _ => return Err(bad(&[b"unknown devices method"])),
            },
            0x72 => o.recurse = Some(Follow::Root),
            0x52 => o.recurse = Some(Follow::Always),
            O_INCLUDE => o.file_globs.push((true, val.to_vec())),
            O_EXCLUDE => o.file_globs.push((false, val.to_vec())),
            O_EXCLUDE_DIR => o.dir_globs.push(val.to_vec()),
            O_EXCLUDE_FROM => match ibex::io::read_file(val) {
                Ok(d) => {
                    for g in d.split(|&b| b == b'\n').filter(|g| !g.is_empty()) {
                        o.file_globs.push((false, g.to_vec()));
                    }
                }
                Err(e) => {
                    ibex::error::io_error(val, &e);
                    return Err(ibex::Exit(2));
                }
            },
            0x4c => o.list = List::Without,
            0x6c => o.list = List::With,
            0x63 => o.count = true,
            0x54 => o.tab = true,
            0x5a => o.null = true,
            0x42 | 0x41 | 0x43 | O_NUM => {
                let n = context_arg(val)
                    .ok_or_else(|| bad(&[val, b": invalid context length argument"]))?;
                match id {
                    0x42 => o.before = Some(n),
                    0x41 => o.after = Some(n),
                    _ => context = Some(n),
                }
            }
            O_GROUP_SEP => o.group_sep = Some(val.to_vec()),
            O_NO_GROUP_SEP => o.group_sep = None,
            O_COLOR => {
                color_when = match v.map(os) {
                    None => b"auto",
                    Some(b"always" | b"yes" | b"force") => b"always",
                    Some(b"never" | b"no" | b"none") => b"never",
                    Some(b"auto" | b"tty" | b"if-tty") => b"auto",
                    Some(other) => {
                        return Err(invalid_choice(
                            other,
                            "--color",
                            &["always", "never", "auto"],
                        ));
                    }
                }
            }
            0x55 => {}
            _ => {}
        }
    }
    let mut operands: Vec<&OsStr> = p.operands();
    if !have_patterns {
        if operands.is_empty() {
            ibex::error::emit(
                b"Usage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information."
                    .to_vec(),
            );
            return Err(ibex::Exit(2));
        }
        split_lines(os(operands.remove(0)), &mut patterns);
    }
    if matcher == Some(b'P') {
        return Err(bad(&[
            b"support for the -P option is not compiled into this --disable-perl-regexp binary",
        ]));
    }
    o.before = o.before.or(context);
    o.after = o.after.or(context);
    let flags = Flags {
        extended: matcher == Some(b'E'),
        fixed: matcher == Some(b'F'),
        icase,
        lines: true,
        terminator: o.term,
        word: word && !line,
        whole_line: line,
        nosub: true,
        ..Flags::default()
    };
    let pats: Vec<&[u8]> = patterns.iter().map(Vec::as_slice).collect();
    let re = match Regex::with_patterns(&pats, flags) {
        Ok(r) => r,
        Err(e) => return Err(bad(&[e.message().as_bytes()])),
    };
    for w in re.warnings() {
        ibex::msg!("warning: ", *w);
    }
    let mut out = Out::stdout();
    let color = match color_when {
        b"always" => true,
        b"auto" => out.is_terminal() && std::env::var_os("TERM").is_some_and(|t| t != "dumb"),
        _ => false,
    };
    if line_buf {
        out.set_line_buffered(true);
    }
    let out_stat = sys::fstat(1).ok();
    let dev_null = out_stat
        .as_ref()
        .is_some_and(|s| s.kind() == sys::S_IFCHR && s.rdev == sys::makedev(1, 3));
    if dev_null {
        // Nothing will be seen: stop at the first selected line, like -q.
        o.quiet = true;
    }
    let recursive = o.recurse.is_some();
    if operands.is_empty() {
        operands.push(OsStr::new(if recursive { "." } else { "-" }));
    }
    let implicit_dot = recursive && p_is_implicit(&operands, argv);
    let show_names = match with_filename {
        Some(b) => Shown::from(b),
        None if operands.len() > 1 => Shown::Always,
        None if recursive => Shown::InDirs,
        None => Shown::Never,
    };
    let mut g = Grep {
        re,
        o,
        out,
        colors: color.then(Colors::from_env),
        show_names,
        any_output: false,
        matched: false,
        trouble: false,
        done: false,
        out_stat: out_stat.filter(|s| s.is_reg()),
        buf: Vec::new(),
    };
    // GNU: when nothing can be selected, end at once, silently.
    let nothing = g.o.max_count == 0
        || (g.o.invert && !word && !line && patterns.len() == 1 && patterns[0].is_empty())
        || (!g.o.invert && patterns.is_empty());
    if nothing && g.o.list != List::Without {
        return g.out.done(1);
    }
    for op in &operands {
        if g.done {
            break;
        }
        g.operand(os(op), implicit_dot);
    }
    let status = if g.o.quiet && g.matched {
        0
    } else if g.trouble {
        2
    } else if g.matched {
        0
    } else {
        1
    };
    g.out.done(status)
}

fn p_is_implicit(operands: &[&OsStr], argv: &[OsString]) -> bool {
    operands.len() == 1 && operands[0] == "." && !argv.iter().skip(1).any(|a| a == ".")
}

fn invalid_choice(val: &[u8], opt: &str, valid: &[&str]) -> ibex::Exit {
    let mut m = ibex::error::start();
    m.extend_from_slice(b"invalid argument '");
    m.extend_from_slice(val);
    m.extend_from_slice(b"' for '");
    m.extend_from_slice(opt.as_bytes());
    m.extend_from_slice(b"'\nValid arguments are:");
    for v in valid {
        m.extend_from_slice(b"\n  - '");
        m.extend_from_slice(v.as_bytes());
        m.push(b'\'');
    }
    m.extend_from_slice(
        b"\nUsage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.",
    );
    ibex::error::emit(m);
    ibex::Exit(2)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Shown {
    Always,
    Never,
    /// Only for files found inside a directory (-r with one operand).
    InDirs,
}

impl From<bool> for Shown {
    fn from(b: bool) -> Shown {
        if b { Shown::Always } else { Shown::Never }
    }
}

struct Grep {
    re: Regex,
    o: Opts,
    out: Out,
    colors: Option<Colors>,
    show_names: Shown,
    /// Something was printed (for `--` between groups, also across files).
    any_output: bool,
    matched: bool,
    trouble: bool,
    /// -q found a match: stop everything.
    done: bool,
    /// Standard output, when it is a regular file.
    out_stat: Option<sys::Stat>,
    buf: Vec<u8>,
}

/// "name suffix" matching of GNU's --exclude for command-line names: the
/// whole name or any part after a slash.
fn suffix_match(glob: &[u8], name: &[u8]) -> bool {
    let f = fnmatch::Flags::default();
    if fnmatch::fnmatch(glob, name, f) {
        return true;
    }
    name.iter()
        .enumerate()
        .filter(|&(i, &b)| b == b'/' && name.get(i + 1).is_some_and(|&c| c != b'/'))
        .any(|(i, _)| fnmatch::fnmatch(glob, &name[i + 1..], f))
}

impl Grep {
    fn warn_io(&mut self, name: &[u8], e: &io::Error) {
        self.trouble = true;
        if !self.o.no_messages {
            self.out.flush();
            ibex::error::io_error(name, e);
        }
    }

    /// Is a file with this name to be skipped by --include/--exclude?
    fn file_excluded(&self, name: &[u8], command_line: bool) -> bool {
        let globs = &self.o.file_globs;
        let Some(first) = globs.first() else {
            return false;
        };
        let m = |g: &[u8]| {
            if command_line {
                suffix_match(g, name)
            } else {
                fnmatch::fnmatch(g, name, fnmatch::Flags::default())
            }
        };
        match globs.iter().rev().find(|(_, g)| m(g)) {
            Some((include, _)) => !include,
            None => first.0,
        }
    }

    fn dir_excluded(&self, name: &[u8], command_line: bool) -> bool {
        self.o.dir_globs.iter().any(|g| {
            if command_line {
                suffix_match(g, name)
            } else {
                fnmatch::fnmatch(g, name, fnmatch::Flags::default())
            }
        })
    }

    fn operand(&mut self, name: &[u8], implicit_dot: bool) {
        if name == b"-" {
            if self.file_excluded(name, true) {
                return;
            }
            let label = self.o.label.clone();
            self.file(0, &label, false, None);
            return;
        }
        if let Some(follow) = self.o.recurse {
            let st = sys::stat(name);
            if let Ok(st) = &st
                && st.is_dir()
            {
                if self.dir_excluded(name, true) {
                    return;
                }
                self.walk(name, follow, implicit_dot);
                return;
            }
        }
        if self.file_excluded(name, true) {
            return;
        }
        match sys::open(name, sys::O_RDONLY | sys::O_NOCTTY, 0) {
            Ok(fd) => {
                let st = sys::fstat(fd.as_raw_fd()).ok();
                if let Some(st) = &st {
                    if st.is_dir() && self.o.skip_dirs {
                        return;
                    }
                    if self.o.skip_devices && is_device(st) {
                        return;
                    }
                }
                self.file(fd.as_raw_fd(), name, false, st);
            }
            Err(e) => self.warn_io(name, &e),
        }
    }

    fn walk(&mut self, root: &[u8], follow: Follow, implicit_dot: bool) {
        let opts = Options {
            follow,
            sorted: true,
            stat_all: false,
            ..Options::default()
        };
        let mut w = Walker::new(root, opts);
        while let Some(e) = w.next() {
            if self.done {
                return;
            }
            let shown: Vec<u8> = match e.path.strip_prefix(b"./") {
                Some(rest) if implicit_dot => rest.to_vec(),
                _ => e.path.to_vec(),
            };
            match e.visit {
                Visit::Pre => {
                    if e.depth > 0 && self.dir_excluded(e.name, false) {
                        w.prune();
                    }
                }
                Visit::Post => {}
                Visit::Loop => {
                    self.out.flush();
                    ibex::msg!(shown, ": warning: recursive directory loop");
                }
                Visit::DirError(err) | Visit::StatError(err) => {
                    let err = io::Error::from_raw_os_error(err.raw_os_error().unwrap_or(libc::EIO));
                    self.warn_io(&shown, &err);
                }
                Visit::File => {
                    if e.depth == 0 {
                        // A non-directory root: searched as a plain operand.
                        continue;
                    }
                    // -r skips symlinks met in the walk; devices are skipped
                    // when recursing.
                    if e.kind == sys::S_IFLNK
                        || matches!(
                            e.kind,
                            sys::S_IFCHR | sys::S_IFBLK | sys::S_IFIFO | sys::S_IFSOCK
                        )
                    {
                        continue;
                    }
                    if self.file_excluded(e.name, false) {
                        continue;
                    }
                    let flags = sys::O_RDONLY | sys::O_NOCTTY | sys::O_NONBLOCK;
                    match sys::openat(e.parent, e.name, flags, 0) {
                        Ok(fd) => {
                            let st = sys::fstat(fd.as_raw_fd()).ok();
                            if st.as_ref().is_some_and(is_device) {
                                continue;
                            }
                            let _ = sys::fcntl_setfl(fd.as_raw_fd(), 0);
                            self.file(fd.as_raw_fd(), &shown, true, st);
                        }
                        Err(err) => self.warn_io(&shown, &err),
                    }
                }
            }
        }
    }

    /// Search one open file and print what it asks for.
    fn file(&mut self, fd: RawFd, name: &[u8], in_dir: bool, st: Option<sys::Stat>) {
        let with_name = match self.show_names {
            Shown::Always => true,
            Shown::Never => false,
            Shown::InDirs => in_dir,
        };
        if let (Some(st), Some(out)) = (&st, &self.out_stat)
            && st.is_reg()
            && st.same_file(out)
            && !self.o.quiet
            && self.o.list == List::None
            && !self.o.count
            && self.o.max_count > 1
        {
            if !self.o.no_messages {
                ibex::msg!(name, ": input file is also the output");
            }
            self.trouble = true;
            return;
        }
        // -T pads numbers to the width of the file size (GNU).
        let width = if self.o.tab {
            let mut n = match &st {
                Some(s) if s.is_reg() => s.size,
                _ => i64::MAX as u64,
            };
            if self.o.number && n < i64::MAX as u64 {
                n += 1;
            }
            let mut w = 1;
            while n >= 10 {
                n /= 10;
                w += 1;
            }
            w
        } else {
            0
        };
        if self.o.max_count == 0 {
            // -L -m0: no file has selected lines.
            if self.o.list == List::Without {
                self.matched = true;
                self.filename(name);
                self.out.byte(if self.o.null { 0 } else { b'\n' });
            }
            return;
        }
        let mut buf = std::mem::take(&mut self.buf);
        let r = {
            let mut s = Search {
                g: self,
                name,
                with_name,
                width,
                fd,
                base: 0,
                len: 0,
                eof: false,
                binary: false,
                count: 0,
                lastout: None,
                after_left: 0,
                lc_pos: 0,
                lc_no: 1,
                stop: false,
                pending_tail: 0,
            };
            let r = s.run(&mut buf);
            (r, s.count)
        };
        self.buf = buf;
        let (r, count) = r;
        if let Err(e) = r {
            self.warn_io(name, &e);
        }
        // -L succeeds when it lists a file (BusyBox; GNU 3.5+ looks at lines).
        let hit = if self.o.list == List::Without && !self.o.quiet {
            count == 0
        } else {
            count > 0
        };
        if hit {
            self.matched = true;
            if self.o.quiet {
                self.done = true;
            }
        }
        if self.o.quiet {
            return;
        }
        if self.o.count {
            if with_name {
                self.filename(name);
                self.name_sep(b':');
            }
            self.out.num(count);
            self.out.byte(b'\n');
        }
        let listed = match self.o.list {
            List::With => count > 0,
            List::Without => count == 0,
            List::None => false,
        };
        if listed {
            self.filename(name);
            self.out.byte(if self.o.null { 0 } else { b'\n' });
        }
    }

    fn sgr_start(&mut self, which: fn(&Colors) -> &Vec<u8>) {
        if let Some(c) = &self.colors {
            let code = which(c);
            if !code.is_empty() {
                self.out.write(b"\x1b[");
                self.out.write(code);
                self.out.write(if c.ne { b"m" } else { b"m\x1b[K" });
            }
        }
    }

    fn sgr_end(&mut self, which: fn(&Colors) -> &Vec<u8>) {
        if let Some(c) = &self.colors
            && !which(c).is_empty()
        {
            self.out
                .write(if c.ne { b"\x1b[m" } else { b"\x1b[m\x1b[K" });
        }
    }

    fn filename(&mut self, name: &[u8]) {
        self.sgr_start(|c| &c.fname);
        self.out.write(name);
        self.sgr_end(|c| &c.fname);
    }

    /// The separator after a file name: `sep`, or NUL with -Z.
    fn name_sep(&mut self, sep: u8) {
        if self.o.null {
            self.out.byte(0);
        } else {
            self.sep(sep);
        }
    }

    fn sep(&mut self, sep: u8) {
        self.sgr_start(|c| &c.se);
        self.out.byte(sep);
        self.sgr_end(|c| &c.se);
    }
}

fn is_device(st: &sys::Stat) -> bool {
    matches!(
        st.kind(),
        sys::S_IFCHR | sys::S_IFBLK | sys::S_IFIFO | sys::S_IFSOCK
    )
}

const READ_SIZE: usize = 128 * 1024;

/// The search of one file.
struct Search<'a> {
    g: &'a mut Grep,
    name: &'a [u8],
    with_name: bool,
    width: usize,
    fd: RawFd,
    /// File offset of buf[0].
    base: u64,
    len: usize,
    eof: bool,
    binary: bool,
    count: u64,
    /// End of the last line printed, in the buffer.
    lastout: Option<usize>,
    after_left: u64,
    /// Line number `lc_no` is that of the line starting at `lc_pos`.
    lc_pos: usize,
    lc_no: u64,
    stop: bool,
    /// -m reached: only trailing context lines are still printed.
    pending_tail: u64,
}

impl Search<'_> {
    fn quiet_output(&self) -> bool {
        let o = &self.g.o;
        o.quiet || o.count || o.list != List::None
    }

    fn context(&self) -> bool {
        self.g.o.before.is_some() || self.g.o.after.is_some()
    }

    fn run(&mut self, buf: &mut Vec<u8>) -> io::Result<()> {
        let term = self.g.o.term;
        if buf.len() < READ_SIZE * 2 {
            buf.resize(READ_SIZE * 2, 0);
        }
        // Lines before `scan` are done; data is buf[..len].
        let mut scan = 0usize;
        loop {
            // Fill: keep reading until there is a complete line or EOF.
            let keep_from = self.keep_from(buf, scan);
            if keep_from > 0 {
                if self.g.o.number && self.lc_pos < keep_from {
                    self.lc_no += sys::count_byte(&buf[self.lc_pos..keep_from], term) as u64;
                }
                self.lc_pos = self.lc_pos.saturating_sub(keep_from);
                buf.copy_within(keep_from..self.len, 0);
                self.len -= keep_from;
                scan -= keep_from;
                self.base += keep_from as u64;
                self.lastout = self.lastout.and_then(|l| l.checked_sub(keep_from));
            }
            let mut limit;
            loop {
                if self.eof {
                    limit = self.len;
                    break;
                }
                if buf.len() - self.len < READ_SIZE {
                    let n = (buf.len() * 2).max(self.len + READ_SIZE);
                    buf.resize(n, 0);
                }
                let n = match sys::read(self.fd, &mut buf[self.len..]) {
                    Ok(n) => n,
                    Err(e) if e.raw_os_error() == Some(libc::EINTR) => continue,
                    Err(e) => {
                        self.eof = true;
                        // Finish what was read, then report.
                        self.finish_region(buf, scan, self.len)?;
                        return Err(e);
                    }
                };
                let new = &buf[self.len..self.len + n];
                if n == 0 {
                    self.eof = true;
                } else if !self.binary
                    && self.g.o.binary != Binary::Text
                    && term != 0
                    && memchr::memchr(0, new).is_some()
                {
                    self.binary = true;
                    if self.g.o.binary == Binary::WithoutMatch {
                        return Ok(());
                    }
                }
                let old = self.len;
                self.len += n;
                if let Some(i) = memchr::memrchr(term, &buf[old..self.len]) {
                    limit = old + i + 1;
                    if self.len - scan >= READ_SIZE || self.eof {
                        break;
                    }
                    // Read a bit more before searching: fewer, larger runs.
                    continue;
                }
            }
            self.finish_region(buf, scan, limit)?;
            if self.stop || self.eof {
                return Ok(());
            }
            scan = limit;
        }
    }

    /// Where the data to keep starts: the unfinished line at `scan`, and
    /// the lines before it that may still be printed as leading context.
    fn keep_from(&self, buf: &[u8], scan: usize) -> usize {
        let b = self.g.o.before.unwrap_or(0);
        if b == 0 {
            return scan;
        }
        let floor = self.lastout.unwrap_or(0);
        let mut p = scan;
        for _ in 0..b {
            if p <= floor {
                break;
            }
            p = memchr::memrchr(self.g.o.term, &buf[floor..p - 1]).map_or(floor, |i| floor + i + 1);
        }
        p.max(floor).min(scan)
    }

    fn line_no(&mut self, buf: &[u8], p: usize) -> u64 {
        let term = self.g.o.term;
        if p >= self.lc_pos {
            self.lc_no += sys::count_byte(&buf[self.lc_pos..p], term) as u64;
            self.lc_pos = p;
            self.lc_no
        } else {
            self.lc_no - sys::count_byte(&buf[p..self.lc_pos], term) as u64
        }
    }

    /// Process the complete lines of buf[scan..limit].
    fn finish_region(&mut self, buf: &[u8], mut scan: usize, limit: usize) -> io::Result<()> {
        let term = self.g.o.term;
        let hay = &buf[..limit];
        while scan < limit && !self.stop {
            if self.pending_tail > 0 {
                // After -m: trailing context only.
                let e = line_end(hay, scan, term);
                self.print_line(buf, scan, e, b'-');
                self.pending_tail -= 1;
                scan = e;
                if self.pending_tail == 0 {
                    self.stop = true;
                }
                continue;
            }
            let found = self.g.re.shortest_end(hay, scan).filter(|&e| {
                // An empty match after the final terminator is no line.
                !(e == limit && limit > 0 && hay[limit - 1] == term)
            });
            let (ls, next) = match found {
                Some(e) => {
                    let ls = memchr::memrchr(term, &hay[scan..e]).map_or(scan, |i| scan + i + 1);
                    (ls, line_end(hay, e, term))
                }
                None => (limit, limit),
            };
            if self.g.o.invert {
                // Lines in [scan, ls) are selected, [ls, next) is context.
                let mut p = scan;
                while p < ls && !self.stop && self.pending_tail == 0 {
                    let e = line_end(hay, p, term);
                    self.selected(buf, p, e)?;
                    p = e;
                }
                if self.stop {
                    return Ok(());
                }
                if p < ls || self.pending_tail > 0 {
                    scan = p;
                    continue;
                }
                if ls < next {
                    self.unselected(buf, ls, next);
                }
            } else {
                self.unselected(buf, scan, ls);
                if ls < next {
                    self.selected(buf, ls, next)?;
                }
            }
            scan = next;
        }
        Ok(())
    }

    /// Lines [a, b) are not selected: trailing context of the last
    /// selected line, if any is owed.
    fn unselected(&mut self, buf: &[u8], mut a: usize, b: usize) {
        let term = self.g.o.term;
        while self.after_left > 0 && a < b {
            let e = line_end(&buf[..b], a, term);
            self.print_line(buf, a, e, b'-');
            self.after_left -= 1;
            a = e;
        }
    }

    /// Line [ls, le) is selected.
    fn selected(&mut self, buf: &[u8], ls: usize, le: usize) -> io::Result<()> {
        self.count += 1;
        let o = &self.g.o;
        if o.quiet || o.list != List::None {
            self.stop = true;
            return Ok(());
        }
        if self.count >= o.max_count {
            self.stop = true;
            if !o.count && o.after.unwrap_or(0) > 0 {
                self.stop = false;
                self.pending_tail = o.after.unwrap_or(0);
            }
        }
        if self.g.o.count {
            return Ok(());
        }
        if self.binary {
            self.g.out.flush();
            ibex::msg!(self.name, ": binary file matches");
            self.stop = true;
            self.pending_tail = 0;
            return Ok(());
        }
        // Leading context.
        if let Some(b) = self.g.o.before.filter(|&b| b > 0) {
            let term = self.g.o.term;
            let floor = self.lastout.unwrap_or(0);
            let mut starts = Vec::new();
            let mut p = ls;
            while (starts.len() as u64) < b && p > floor {
                p = memchr::memrchr(term, &buf[floor..p - 1]).map_or(floor, |i| floor + i + 1);
                starts.push(p);
            }
            let mut end = ls;
            let mut lines: Vec<(usize, usize)> = Vec::with_capacity(starts.len());
            for &s in &starts {
                lines.push((s, end));
                end = s;
            }
            for &(s, e) in lines.iter().rev() {
                self.print_line(buf, s, e, b'-');
            }
        }
        self.print_line(buf, ls, le, b':');
        if self.pending_tail == 0 {
            self.after_left = self.g.o.after.unwrap_or(0);
        }
        Ok(())
    }

    /// Print line [ls, le) (le past the terminator, or the end of data)
    /// as selected (`:`) or context (`-`).
    fn print_line(&mut self, buf: &[u8], ls: usize, le: usize, sep: u8) {
        if self.quiet_output() {
            return;
        }
        let term = self.g.o.term;
        if self.context()
            && self.lastout != Some(ls)
            && self.g.any_output
            && let Some(gs) = self.g.o.group_sep.clone()
        {
            self.g.sgr_start(|c| &c.se);
            self.g.out.write(&gs);
            self.g.sgr_end(|c| &c.se);
            self.g.out.byte(b'\n');
        }
        self.g.any_output = true;
        self.lastout = Some(le);
        let content_end = if le > ls && buf[le - 1] == term {
            le - 1
        } else {
            le
        };
        let line = &buf[ls..content_end];
        let lineno = if self.g.o.number {
            self.line_no(buf, ls)
        } else {
            0
        };
        let matching = (sep == b':') != self.g.o.invert;
        if self.g.o.only {
            // Context lines are not shown, but still delimit groups.
            if !matching || sep == b'-' {
                return;
            }
            let mut pos = 0;
            while pos <= line.len() {
                let Some(m) = self.g.re.find_at(line, pos) else {
                    break;
                };
                if m.is_empty() {
                    pos = m.end + 1;
                    continue;
                }
                self.head(lineno, self.base + (ls + m.start) as u64, sep, true);
                let mcol: fn(&Colors) -> &Vec<u8> = if sep == b':' { |c| &c.ms } else { |c| &c.mc };
                self.g.sgr_start(mcol);
                self.g.out.write(&line[m.start..m.end]);
                self.g.sgr_end(mcol);
                self.g.out.byte(term);
                pos = m.end;
            }
            return;
        }
        self.head(lineno, self.base + ls as u64, sep, !line.is_empty());
        let Some(colors) = &self.g.colors else {
            if le > content_end {
                self.g.out.write(&buf[ls..le]);
            } else {
                self.g.out.write(line);
                self.g.out.byte(term);
            }
            return;
        };
        let selected_color = (sep == b':') != (self.g.o.invert && colors.rv);
        let line_color: fn(&Colors) -> &Vec<u8> =
            if selected_color { |c| &c.sl } else { |c| &c.cx };
        let match_color: fn(&Colors) -> &Vec<u8> = if sep == b':' { |c| &c.ms } else { |c| &c.mc };
        let has_match_color = !match_color(colors).is_empty();
        let has_line_color = !line_color(colors).is_empty();
        let mut cur = 0;
        if matching && has_match_color {
            let mut pos = 0;
            while pos <= line.len() {
                let Some(m) = self.g.re.find_at(line, pos) else {
                    break;
                };
                if m.is_empty() {
                    pos = m.end + 1;
                    continue;
                }
                self.g.sgr_start(line_color);
                self.g.out.write(&line[cur..m.start]);
                self.g.sgr_start(match_color);
                self.g.out.write(&line[m.start..m.end]);
                self.g.sgr_end(match_color);
                cur = m.end;
                pos = m.end;
            }
        }
        if has_line_color && cur < line.len() {
            self.g.sgr_start(line_color);
            self.g.out.write(&line[cur..]);
            self.g.sgr_end(line_color);
            cur = line.len();
        }
        self.g.out.write(&line[cur..]);
        self.g.out.byte(term);
    }

    /// File name, line number and byte offset prefixes.
    fn head(&mut self, lineno: u64, offset: u64, sep: u8, nonempty: bool) {
        let o = &self.g.o;
        let (number, bytes, tab) = (o.number, o.byte_offset, o.tab);
        if self.with_name {
            self.g.filename(self.name);
            self.g.name_sep(sep);
        }
        if number {
            self.g.sgr_start(|c| &c.ln);
            self.g.out.num_width(lineno, self.width);
            self.g.sgr_end(|c| &c.ln);
            self.g.sep(sep);
        }
        if bytes {
            self.g.sgr_start(|c| &c.bn);
            self.g.out.num_width(offset, self.width);
            self.g.sgr_end(|c| &c.bn);
            self.g.sep(sep);
        }
        if tab && (self.with_name || number || bytes) && nonempty {
            self.g.out.byte(b'\t');
        }
    }
}

/// Index just past the line containing `p` (past its terminator).
fn line_end(hay: &[u8], p: usize, term: u8) -> usize {
    match memchr::memchr(term, &hay[p.min(hay.len())..]) {
        Some(i) => p + i + 1,
        None => hay.len(),
    }
}
