//! ls: list directory contents, as GNU ls does in the C locale (and
//! BusyBox ls where the two agree).
//!
//! Formats: long (-l -n -g -o), columns (-C, the default on a terminal),
//! across (-x), commas (-m), one per line (-1, the default otherwise), with
//! GNU's column fitting, tab stops and long-format alignment. Names are
//! quoted with GNU's quoting styles (literal off a terminal, shell-escape
//! on one), coloured with GNU's built-in colours or LS_COLORS, and marked
//! with -F/-p indicators. Sorting by name (byte order), time, size,
//! extension, version or width; -R walks with an explicit stack.
//!
//! A directory is read in getdents batches, entries are stat'ed relative to
//! the directory's descriptor and only when the output needs it (a plain
//! `ls` uses the directory's own file types), and all output goes through
//! one buffered `Out`.

use ibex::args::{Long, Parser, Spec, flag, optional, value};
use ibex::error::Exit;
use ibex::io::Out;
use ibex::sys::{self, Dir, Stat, Timespec};
use ibex::{Status, human, mode, time, users};
use std::collections::HashSet;
use std::ffi::{OsStr, OsString};
use std::os::fd::{AsRawFd, OwnedFd};
use std::os::unix::ffi::OsStrExt;

const O_AUTHOR: u32 = 256;
const O_BLOCK_SIZE: u32 = 257;
const O_COLOR: u32 = 258;
const O_FILE_TYPE: u32 = 259;
const O_FORMAT: u32 = 260;
const O_FULL_TIME: u32 = 261;
const O_GROUP_DIRS: u32 = 262;
const O_SI: u32 = 263;
const O_DEREF_DIRS: u32 = 264;
const O_HIDE: u32 = 265;
const O_INDICATOR: u32 = 266;
const O_SHOW_CTRL: u32 = 267;
const O_QUOTING: u32 = 268;
const O_SORT: u32 = 269;
const O_TIME: u32 = 270;
const O_TIME_STYLE: u32 = 271;
const O_ZERO: u32 = 272;
const O_VERSION: u32 = 273;

const fn c(ch: char) -> u32 {
    ch as u32
}

const LONGS: &[Long] = &[
    // In GNU's order, so ambiguous abbreviations list the same way.
    flag("all", c('a')),
    flag("escape", c('b')),
    flag("directory", c('d')),
    flag("full-time", O_FULL_TIME),
    flag("group-directories-first", O_GROUP_DIRS),
    flag("human-readable", c('h')),
    flag("inode", c('i')),
    flag("kibibytes", c('k')),
    flag("numeric-uid-gid", c('n')),
    flag("no-group", c('G')),
    flag("hide-control-chars", c('q')),
    flag("reverse", c('r')),
    flag("size", c('s')),
    value("width", c('w')),
    flag("almost-all", c('A')),
    flag("ignore-backups", c('B')),
    optional("classify", c('F')),
    flag("file-type", O_FILE_TYPE),
    flag("si", O_SI),
    flag("dereference-command-line", c('H')),
    flag("dereference-command-line-symlink-to-dir", O_DEREF_DIRS),
    value("hide", O_HIDE),
    value("ignore", c('I')),
    value("indicator-style", O_INDICATOR),
    flag("dereference", c('L')),
    flag("literal", c('N')),
    flag("quote-name", c('Q')),
    value("quoting-style", O_QUOTING),
    flag("recursive", c('R')),
    value("format", O_FORMAT),
    flag("show-control-chars", O_SHOW_CTRL),
    value("sort", O_SORT),
    value("tabsize", c('T')),
    value("time", O_TIME),
    value("time-style", O_TIME_STYLE),
    flag("zero", O_ZERO),
    optional("color", O_COLOR),
    value("block-size", O_BLOCK_SIZE),
    flag("context", c('Z')),
    flag("author", O_AUTHOR),
    flag("version", O_VERSION),
    optional("colour", O_COLOR),
];

const USAGE: ibex::usage::Usage = ibex::usage!(ls, "ls [-1AaCxdLHRFplinshrSXvctu] [-w WIDTH] [FILE]...

List directory contents

\t-1\tOne column output
\t-a\tInclude names starting with .
\t-A\tLike -a, but exclude . and ..
\t-x\tList by lines
\t-C\tList by columns (the default on a terminal)
\t-m\tComma-separated list
\t-l\tLong format
\t-n\tLong format with numeric user and group IDs
\t-g\tLong format without owner
\t-o\tLong format without group
\t-G\tNo group in long format
\t-d\tList directory names, not contents
\t-R\tRecurse
\t-L\tFollow symlinks
\t-H\tFollow symlinks on the command line
\t-F\tAppend indicator (one of */=@|) to names
\t-p\tAppend / to directory names
\t-i\tList inode numbers
\t-s\tList allocated blocks
\t-k\tBlocks in 1024-byte units
\t-h\tHuman-readable sizes (1K 243M 2G)
\t-Z\tList security context (shown as ?)
\t-q\tShow nonprintable characters as ?
\t-b\tC-style escapes for nonprintable characters
\t-Q\tDouble-quote names
\t-N\tNames as they are (no quoting)
\t-r\tReverse sort order
\t-S\tSort by size, largest first
\t-t\tSort by time, newest first
\t-X\tSort by extension
\t-v\tNatural sort of version numbers in names
\t-U\tDo not sort (directory order)
\t-f\tLike -aU
\t-c\tWith -l: show ctime; with -t: sort by ctime
\t-u\tWith -l: show atime; with -t: sort by atime
\t-I PAT\tIgnore names matching PAT
\t-B\tIgnore names ending in ~
\t-T N\tTab stops every N columns (0: spaces only)
\t-w N\tOutput width (0: unlimited)
\t--color[=WHEN]\tColor names: always, auto, never
\t--format=WORD\tacross, commas, horizontal, long, single-column, verbose, vertical
\t--sort=WORD\tnone, name, size, time, version, extension, width
\t--time=WORD\tatime, access, use, ctime, status, birth, creation, mtime
\t--time-style=S\tfull-iso, long-iso, iso, locale, +FORMAT
\t--full-time\tLike -l --time-style=full-iso
\t--indicator-style=WORD\tnone, slash, file-type, classify
\t--file-type\tLike -F, without *
\t--quoting-style=WORD\tliteral, locale, shell, shell-always, shell-escape, shell-escape-always, c, escape
\t--show-control-chars\tShow nonprintable characters as they are
\t--group-directories-first\tDirectories before files
\t--block-size=SIZE\tScale sizes by SIZE
\t--si\tLike -h, in powers of 1000
\t--hide=PAT\tIgnore names matching PAT unless -a or -A
\t--author\tWith -l, show the author
\t--dereference-command-line-symlink-to-dir\tFollow command-line symlinks to directories
\t--zero\tEnd each output line with NUL");

const SPEC: Spec = Spec::new("1aAbBcCdfFgGhHiI:klLmnNopqQrRsStT:uUvw:xXZ", LONGS, USAGE).status(2);

// ---------------------------------------------------------------- options

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Format {
    Long,
    One,
    Columns,
    Across,
    Commas,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum SortBy {
    Name,
    None,
    Size,
    Time,
    Version,
    Extension,
    Width,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum TimeKind {
    Mtime,
    Atime,
    Ctime,
    Birth,
}

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
enum Indicator {
    None,
    Slash,
    FileType,
    Classify,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Deref {
    Never,
    CmdLine,
    CmdLineDirs,
    Always,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Hidden {
    /// Hide names starting with `.` (the default).
    Dots,
    /// -A: hide only `.` and `..`.
    DotDirs,
    /// -a: hide nothing.
    Nothing,
}

/// How a size or block count is shown (GNU's human_readable options).
#[derive(Clone, Copy, Debug)]
struct SizeFmt {
    /// Output unit in bytes.
    block: u64,
    /// Scale automatically (-h, --si).
    auto: bool,
    base: u64,
    /// Print the unit's letter after the number (--block-size=K).
    suffix: bool,
    /// ... followed by B or iB (--block-size=KB, KiB).
    b: bool,
}

impl SizeFmt {
    const fn plain(block: u64) -> SizeFmt {
        SizeFmt {
            block,
            auto: false,
            base: 1024,
            suffix: false,
            b: false,
        }
    }
    const fn human(si: bool) -> SizeFmt {
        SizeFmt {
            block: 1,
            auto: true,
            base: if si { 1000 } else { 1024 },
            suffix: false,
            b: false,
        }
    }

    /// Append `n` units of `from` bytes.
    fn put(&self, n: u64, from: u64, out: &mut Vec<u8>) {
        let bytes = u128::from(n) * u128::from(from);
        if self.auto {
            let v = u64::try_from(bytes).unwrap_or(u64::MAX);
            out.extend_from_slice(human::human(v, self.base == 1000).as_bytes());
            return;
        }
        let block = u128::from(self.block.max(1));
        let v = bytes.div_ceil(block);
        match u64::try_from(v) {
            Ok(v) => {
                let mut d = [0u8; 20];
                out.extend_from_slice(ibex::io::fmt_u64(v, &mut d));
            }
            Err(_) => {
                // Beyond u64: digits by hand (no u128 Display).
                let start = out.len();
                let mut v = v;
                while v > 0 {
                    out.push(b'0' + (v % 10) as u8);
                    v /= 10;
                }
                if let Some(d) = out.get_mut(start..) {
                    d.reverse();
                }
            }
        }
        if self.suffix {
            let mut e = 0;
            let mut b = block;
            while b >= u128::from(self.base) && b % u128::from(self.base) == 0 && e < 8 {
                b /= u128::from(self.base);
                e += 1;
            }
            if e > 0 {
                let letter = if self.base == 1000 && e == 1 {
                    b'k'
                } else {
                    b"KMGTPEZY"[e - 1]
                };
                out.push(letter);
            }
            if self.b {
                if self.base == 1024 && e > 0 {
                    out.push(b'i');
                }
                out.push(b'B');
            }
        }
    }
}

/// Parse a --block-size / BLOCK_SIZE value.
fn parse_block_size(spec: &[u8]) -> Result<SizeFmt, bool> {
    let spec = spec.strip_prefix(b"'").unwrap_or(spec);
    match spec {
        b"human-readable" => return Ok(SizeFmt::human(false)),
        b"si" => return Ok(SizeFmt::human(true)),
        _ => {}
    }
    let digits = spec.iter().take_while(|c| c.is_ascii_digit()).count();
    let (num, suf) = spec.split_at(digits);
    let mut n: u64 = if num.is_empty() {
        1
    } else {
        match ibex::num::parse_u64(num) {
            Ok(v) => v,
            Err(ibex::num::NumError::Range) => return Err(true),
            Err(_) => return Err(false),
        }
    };
    if num.is_empty() && suf.is_empty() {
        return Err(false);
    }
    let mut fmt = SizeFmt::plain(1);
    if !suf.is_empty() {
        let power = match suf[0] {
            b'k' | b'K' => 1,
            b'm' | b'M' => 2,
            b'g' | b'G' => 3,
            b't' | b'T' => 4,
            b'p' | b'P' => 5,
            b'e' | b'E' => 6,
            b'z' | b'Z' => 7,
            b'y' | b'Y' => 8,
            _ => return Err(false),
        };
        let (base, b) = match &suf[1..] {
            b"" => (1024u64, false),
            b"B" => (1000, true),
            b"iB" => (1024, true),
            _ => return Err(false),
        };
        for _ in 0..power {
            n = n.checked_mul(base).ok_or(true)?;
        }
        fmt.base = base;
        fmt.b = b;
        fmt.suffix = num.is_empty();
    }
    if n == 0 {
        return Err(false);
    }
    fmt.block = n;
    Ok(fmt)
}

/// Most entries in a choice table.
const MAX_CHOICES: usize = 12;

/// A table's names, and for each the index of the first entry with the
/// same value (synonyms share it). The only generic step of a lookup.
fn names_of<T: Copy + PartialEq>(
    table: &[(&'static str, T)],
) -> ([&'static str; MAX_CHOICES], [u8; MAX_CHOICES], usize) {
    let mut names = [""; MAX_CHOICES];
    let mut groups = [0u8; MAX_CHOICES];
    let n = table.len().min(MAX_CHOICES);
    for i in 0..n {
        names[i] = table[i].0;
        groups[i] = table[..i]
            .iter()
            .position(|e| e.1 == table[i].1)
            .unwrap_or(i) as u8;
    }
    (names, groups, n)
}

/// GNU argmatch: an exact match, or an unambiguous prefix.
fn argmatch<T: Copy + PartialEq>(arg: &[u8], table: &[(&'static str, T)]) -> Result<T, bool> {
    let (names, groups, n) = names_of(table);
    let i = match_index(arg, &names[..n], &groups[..n])?;
    table.get(i).map(|e| e.1).ok_or(false)
}

/// The index `arg` selects; `Err(true)` when ambiguous, `Err(false)` when
/// nothing matches.
#[inline(never)]
fn match_index(arg: &[u8], names: &[&str], groups: &[u8]) -> Result<usize, bool> {
    if let Some(i) = names.iter().position(|n| n.as_bytes() == arg) {
        return Ok(i);
    }
    let mut found: Option<usize> = None;
    for (i, n) in names.iter().enumerate() {
        if !arg.is_empty() && n.as_bytes().starts_with(arg) {
            match found {
                None => found = Some(i),
                Some(f) if groups.get(f) == groups.get(i) => {}
                Some(_) => return Err(true),
            }
        }
    }
    found.ok_or(false)
}

/// `ls: invalid argument 'x' for '--opt'` with the valid choices; GNU
/// ends these with status 1.
#[inline(never)]
fn bad_choice(what: &str, arg: &[u8], names: &[&str], groups: &[u8], ambiguous: bool) -> Exit {
    let mut m = ibex::error::start();
    m.extend_from_slice(if ambiguous {
        b"ambiguous argument "
    } else {
        b"invalid argument "
    });
    m.extend_from_slice(&quote_locale(arg));
    m.extend_from_slice(b" for '");
    m.extend_from_slice(what.as_bytes());
    m.extend_from_slice(b"'\nValid arguments are:");
    for (i, name) in names.iter().enumerate() {
        let first = i == 0 || groups.get(i) != groups.get(i - 1);
        m.extend_from_slice(if first { b"\n  - '" } else { b", '" });
        m.extend_from_slice(name.as_bytes());
        m.push(b'\'');
    }
    m.extend_from_slice(b"\nUsage: ");
    m.extend_from_slice(&SPEC.usage.synopsis());
    ibex::error::emit(m);
    Exit(1)
}

/// The value `arg` selects for option `what`, or the error message.
#[inline(never)]
fn pick(what: &str, arg: &[u8], names: &[&str], groups: &[u8]) -> Result<usize, Exit> {
    match_index(arg, names, groups).map_err(|amb| bad_choice(what, arg, names, groups, amb))
}

fn choose<T: Copy + PartialEq>(
    what: &str,
    arg: &OsStr,
    table: &[(&'static str, T)],
) -> Result<T, Exit> {
    let (names, groups, n) = names_of(table);
    let i = pick(what, arg.as_bytes(), &names[..n], &groups[..n])?;
    table.get(i).map(|e| e.1).ok_or(Exit(1))
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum When {
    Always,
    Never,
    Auto,
}

const WHEN: &[(&str, When)] = &[
    ("always", When::Always),
    ("yes", When::Always),
    ("force", When::Always),
    ("never", When::Never),
    ("no", When::Never),
    ("none", When::Never),
    ("auto", When::Auto),
    ("tty", When::Auto),
    ("if-tty", When::Auto),
];

const FORMATS: &[(&str, Format)] = &[
    ("verbose", Format::Long),
    ("long", Format::Long),
    ("commas", Format::Commas),
    ("horizontal", Format::Across),
    ("across", Format::Across),
    ("vertical", Format::Columns),
    ("single-column", Format::One),
];

const SORTS: &[(&str, SortBy)] = &[
    ("none", SortBy::None),
    ("time", SortBy::Time),
    ("size", SortBy::Size),
    ("extension", SortBy::Extension),
    ("version", SortBy::Version),
    ("width", SortBy::Width),
];

const TIMES: &[(&str, TimeKind)] = &[
    ("atime", TimeKind::Atime),
    ("access", TimeKind::Atime),
    ("use", TimeKind::Atime),
    ("ctime", TimeKind::Ctime),
    ("status", TimeKind::Ctime),
    ("birth", TimeKind::Birth),
    ("creation", TimeKind::Birth),
];

const INDICATORS: &[(&str, Indicator)] = &[
    ("none", Indicator::None),
    ("slash", Indicator::Slash),
    ("file-type", Indicator::FileType),
    ("classify", Indicator::Classify),
];

const QUOTINGS: &[(&str, QStyle)] = &[
    ("literal", QStyle::Literal),
    ("shell", QStyle::Shell),
    ("shell-always", QStyle::ShellAlways),
    ("shell-escape", QStyle::ShellEscape),
    ("shell-escape-always", QStyle::ShellEscapeAlways),
    ("c", QStyle::C),
    ("c-maybe", QStyle::CMaybe),
    ("escape", QStyle::Escape),
    ("locale", QStyle::Locale),
    ("clocale", QStyle::CLocale),
];

#[derive(Clone, Copy, PartialEq, Eq)]
enum TimeStyle {
    FullIso,
    LongIso,
    Iso,
    Locale,
}

const TIME_STYLES: &[(&str, TimeStyle)] = &[
    ("full-iso", TimeStyle::FullIso),
    ("long-iso", TimeStyle::LongIso),
    ("iso", TimeStyle::Iso),
    ("locale", TimeStyle::Locale),
];

/// Unsigned number as strtoumax reads it with base 0 (decimal, 0x hex,
/// leading-0 octal); `Err(true)` on overflow.
fn parse_umax(s: &[u8]) -> Result<u64, bool> {
    let s = ibex::num::trim_start(s);
    let s = s.strip_prefix(b"+").unwrap_or(s);
    let (digits, radix) = if let Some(h) = s.strip_prefix(b"0x").or_else(|| s.strip_prefix(b"0X")) {
        (h, 16)
    } else if s.len() > 1 && s[0] == b'0' {
        (&s[1..], 8)
    } else {
        (s, 10)
    };
    if digits.is_empty() {
        return Err(false);
    }
    let mut n: u64 = 0;
    let mut over = false;
    for &ch in digits {
        let d = match (ch as char).to_digit(radix) {
            Some(d) => u64::from(d),
            None => return Err(false),
        };
        match n
            .checked_mul(u64::from(radix))
            .and_then(|v| v.checked_add(d))
        {
            Some(v) => n = v,
            None => over = true,
        }
    }
    if over { Err(true) } else { Ok(n) }
}

/// A line width: a number, huge meaning unlimited (0).
fn parse_width(s: &[u8]) -> Option<usize> {
    match parse_umax(s) {
        Ok(n) => Some(usize::try_from(n).unwrap_or(0)),
        Err(true) => Some(0),
        Err(false) => None,
    }
}

struct Cfg {
    format: Format,
    hidden: Hidden,
    ignore: Vec<Vec<u8>>,
    hide: Vec<Vec<u8>>,
    directory: bool,
    recursive: bool,
    deref: Deref,
    sort: SortBy,
    reverse: bool,
    dirs_first: bool,
    time: TimeKind,
    inode: bool,
    blocks: bool,
    owner: bool,
    group: bool,
    author: bool,
    numeric: bool,
    context: bool,
    block_fmt: SizeFmt,
    size_fmt: SizeFmt,
    indicator: Indicator,
    style: QStyle,
    qmark: bool,
    align_quotes: bool,
    color: Option<Colors>,
    line_length: usize,
    tabsize: usize,
    eol: u8,
    /// strftime formats for old and recent files; None for the default.
    time_fmt: Option<[Vec<u8>; 2]>,
    needs_stat: bool,
    needs_type: bool,
    check_symlink_mode: bool,
}

fn stdout_tty() -> bool {
    sys::isatty(1)
}

fn parse_options(argv: &[OsString]) -> Result<(Cfg, Vec<&OsStr>), Exit> {
    let mut p = Parser::new(argv, &SPEC);
    let mut format: Option<Format> = None;
    let mut hidden = Hidden::Dots;
    let mut ignore: Vec<Vec<u8>> = Vec::new();
    let mut hide: Vec<Vec<u8>> = Vec::new();
    let mut directory = false;
    let mut recursive = false;
    let mut deref: Option<Deref> = None;
    let mut sort: Option<SortBy> = None;
    let mut explicit_time = false;
    let mut time_kind = TimeKind::Mtime;
    let mut reverse = false;
    let mut dirs_first = false;
    let (mut inode, mut blocks, mut owner, mut group, mut author, mut numeric, mut context) =
        (false, false, true, true, false, false, false);
    let mut block_opt: Option<SizeFmt> = None;
    let mut kibibytes = false;
    let mut indicator = Indicator::None;
    let mut style: Option<QStyle> = None;
    let mut qmark: Option<bool> = None;
    let mut color = false;
    let mut width: Option<usize> = None;
    let mut tab: Option<usize> = None;
    let mut eol = b'\n';
    let mut time_style: Option<Vec<u8>> = None;
    while let Some((id, val)) = p.next()? {
        let v = val.unwrap_or_default();
        let short = if id < 256 { char::from_u32(id) } else { None };
        match (short, id) {
            // -1 does not undo -l.
            (Some('1'), _) if format != Some(Format::Long) => format = Some(Format::One),
            (Some('a'), _) => hidden = Hidden::Nothing,
            (Some('A'), _) => hidden = Hidden::DotDirs,
            (Some('b'), _) => style = Some(QStyle::Escape),
            (Some('B'), _) => {
                ignore.push(b"*~".to_vec());
                ignore.push(b".*~".to_vec());
            }
            (Some('c'), _) => {
                time_kind = TimeKind::Ctime;
                explicit_time = true;
            }
            (Some('C'), _) => format = Some(Format::Columns),
            (Some('d'), _) => directory = true,
            (Some('f'), _) => {
                hidden = Hidden::Nothing;
                sort = Some(SortBy::None);
            }
            (Some('F'), _) => {
                let w = match val {
                    Some(a) => choose("--classify", a, WHEN)?,
                    None => When::Always,
                };
                if w == When::Always || (w == When::Auto && stdout_tty()) {
                    indicator = Indicator::Classify;
                }
            }
            (Some('g'), _) => {
                format = Some(Format::Long);
                owner = false;
            }
            (Some('G'), _) => group = false,
            (Some('h'), _) => block_opt = Some(SizeFmt::human(false)),
            (Some('H'), _) => deref = Some(Deref::CmdLine),
            (Some('i'), _) => inode = true,
            (Some('I'), _) => ignore.push(v.as_bytes().to_vec()),
            (Some('k'), _) => kibibytes = true,
            (Some('l'), _) => format = Some(Format::Long),
            (Some('L'), _) => deref = Some(Deref::Always),
            (Some('m'), _) => format = Some(Format::Commas),
            (Some('n'), _) => {
                numeric = true;
                format = Some(Format::Long);
            }
            (Some('N'), _) => style = Some(QStyle::Literal),
            (Some('o'), _) => {
                format = Some(Format::Long);
                group = false;
            }
            (Some('p'), _) => indicator = Indicator::Slash,
            (Some('q'), _) => qmark = Some(true),
            (Some('Q'), _) => style = Some(QStyle::C),
            (Some('r'), _) => reverse = true,
            (Some('R'), _) => recursive = true,
            (Some('s'), _) => blocks = true,
            (Some('S'), _) => sort = Some(SortBy::Size),
            (Some('t'), _) => sort = Some(SortBy::Time),
            (Some('T'), _) => match parse_umax(v.as_bytes()) {
                Ok(n) => tab = Some(usize::try_from(n).unwrap_or(usize::MAX)),
                Err(_) => {
                    ibex::msg!("invalid tab size: ", quote_locale(v.as_bytes()));
                    return Err(Exit(2));
                }
            },
            (Some('u'), _) => {
                time_kind = TimeKind::Atime;
                explicit_time = true;
            }
            (Some('U'), _) => sort = Some(SortBy::None),
            (Some('v'), _) => sort = Some(SortBy::Version),
            (Some('w'), _) => match parse_width(v.as_bytes()) {
                Some(n) => width = Some(n),
                None => {
                    ibex::msg!("invalid line width: ", quote_locale(v.as_bytes()));
                    return Err(Exit(2));
                }
            },
            (Some('x'), _) => format = Some(Format::Across),
            (Some('X'), _) => sort = Some(SortBy::Extension),
            (Some('Z'), _) => context = true,
            (_, O_AUTHOR) => author = true,
            (_, O_BLOCK_SIZE) => match parse_block_size(v.as_bytes()) {
                Ok(f) => block_opt = Some(f),
                Err(too_big) => {
                    if too_big {
                        ibex::msg!(
                            "--block-size argument ",
                            quote_locale(v.as_bytes()),
                            " too large"
                        );
                    } else {
                        ibex::msg!("invalid --block-size argument ", quote_locale(v.as_bytes()));
                    }
                    return Err(Exit(2));
                }
            },
            (_, O_COLOR) => {
                let w = match val {
                    Some(a) => choose("--color", a, WHEN)?,
                    None => When::Always,
                };
                color = w == When::Always || (w == When::Auto && stdout_tty());
            }
            (_, O_FILE_TYPE) => indicator = Indicator::FileType,
            (_, O_FORMAT) => format = Some(choose("--format", v, FORMATS)?),
            (_, O_FULL_TIME) => {
                format = Some(Format::Long);
                time_style = Some(b"full-iso".to_vec());
            }
            (_, O_GROUP_DIRS) => dirs_first = true,
            (_, O_SI) => block_opt = Some(SizeFmt::human(true)),
            (_, O_DEREF_DIRS) => deref = Some(Deref::CmdLineDirs),
            (_, O_HIDE) => hide.push(v.as_bytes().to_vec()),
            (_, O_INDICATOR) => indicator = choose("--indicator-style", v, INDICATORS)?,
            (_, O_SHOW_CTRL) => qmark = Some(false),
            (_, O_QUOTING) => style = Some(choose("--quoting-style", v, QUOTINGS)?),
            (_, O_SORT) => sort = Some(choose("--sort", v, SORTS)?),
            (_, O_TIME) => {
                time_kind = choose("--time", v, TIMES)?;
                explicit_time = true;
            }
            (_, O_TIME_STYLE) => time_style = Some(v.as_bytes().to_vec()),
            (_, O_ZERO) => {
                eol = 0;
                qmark = Some(false);
                if format != Some(Format::Long) {
                    format = Some(Format::One);
                }
                color = false;
                style = Some(QStyle::Literal);
            }
            (_, O_VERSION) => {
                let mut out = Out::stdout();
                out.str("ls (ibex) ");
                out.str(ibex::VERSION);
                out.byte(b'\n');
                return Err(Exit(out.finish(0)));
            }
            _ => {}
        }
    }
    let operands = p.operands();

    // Block sizes: options, then LS_BLOCK_SIZE / BLOCK_SIZE, then -k.
    let default_block = if std::env::var_os("POSIXLY_CORRECT").is_some() {
        512
    } else {
        1024
    };
    let (block_fmt, size_fmt) = match block_opt {
        Some(f) => (f, f),
        None => {
            let ls_env = std::env::var_os("LS_BLOCK_SIZE");
            let env = ls_env
                .clone()
                .or_else(|| std::env::var_os("BLOCK_SIZE"))
                .or_else(|| std::env::var_os("BLOCKSIZE"));
            let from_env = env
                .as_ref()
                .and_then(|e| parse_block_size(e.as_bytes()).ok());
            let mut bf = from_env.unwrap_or(SizeFmt::plain(default_block));
            let sf = if ls_env.is_some() || std::env::var_os("BLOCK_SIZE").is_some() {
                bf
            } else {
                SizeFmt::plain(1)
            };
            if kibibytes {
                bf = SizeFmt::plain(1024);
            }
            (bf, sf)
        }
    };

    let tty = stdout_tty();
    let format = format.unwrap_or(if tty { Format::Columns } else { Format::One });

    let colors = if color { Colors::from_env() } else { None };

    let mut line_length = width;
    if matches!(format, Format::Columns | Format::Across | Format::Commas) || color {
        if line_length.is_none() && tty {
            line_length = sys::term_width(1).map(usize::from);
        }
        if line_length.is_none()
            && let Some(cols) = std::env::var_os("COLUMNS")
            && !cols.is_empty()
        {
            line_length = parse_width(cols.as_bytes());
            if line_length.is_none() {
                ibex::msg!(
                    "ignoring invalid width in environment variable COLUMNS: ",
                    quote_locale(cols.as_bytes())
                );
            }
        }
    }
    let line_length = line_length.unwrap_or(80);

    let mut tabsize = 8;
    if colors.is_some() {
        // Escape sequences would throw tab stops off.
        tabsize = 0;
    } else if matches!(format, Format::Columns | Format::Across) {
        match tab {
            Some(t) => tabsize = t,
            None => {
                if let Some(t) = std::env::var_os("TABSIZE") {
                    match parse_umax(t.as_bytes()) {
                        Ok(n) => tabsize = usize::try_from(n).unwrap_or(usize::MAX),
                        Err(_) => ibex::msg!(
                            "ignoring invalid tab size in environment variable TABSIZE: ",
                            quote_locale(t.as_bytes())
                        ),
                    }
                }
            }
        }
    }

    let qmark = qmark.unwrap_or(tty);
    let style = match style {
        Some(s) => s,
        None => {
            let env = std::env::var_os("QUOTING_STYLE");
            let from_env = env.as_ref().and_then(|q| {
                let r = argmatch(q.as_bytes(), QUOTINGS).ok();
                if r.is_none() {
                    ibex::msg!(
                        "ignoring invalid value of environment variable QUOTING_STYLE: ",
                        quote_locale(q.as_bytes())
                    );
                }
                r
            });
            from_env.unwrap_or(if tty {
                QStyle::ShellEscape
            } else {
                QStyle::Literal
            })
        }
    };
    let align_quotes = (format == Format::Long
        || (matches!(format, Format::Columns | Format::Across) && line_length != 0))
        && matches!(style, QStyle::Shell | QStyle::ShellEscape | QStyle::CMaybe);

    let sort = sort.unwrap_or(if format != Format::Long && explicit_time {
        SortBy::Time
    } else {
        SortBy::Name
    });

    let deref = deref.unwrap_or(
        if directory || indicator == Indicator::Classify || format == Format::Long {
            Deref::Never
        } else {
            Deref::CmdLineDirs
        },
    );

    let time_fmt = if format == Format::Long {
        time_formats(time_style)?
    } else {
        None
    };

    let needs_stat = matches!(sort, SortBy::Time | SortBy::Size)
        || format == Format::Long
        || blocks
        || inode
        || context;
    let needs_type = !needs_stat
        && (recursive || colors.is_some() || indicator != Indicator::None || dirs_first);
    let check_symlink_mode = colors.as_ref().is_some_and(|c| {
        c.is_colored(C_ORPHAN)
            || (c.is_colored(C_EXEC) && c.link_target)
            || (c.is_colored(C_MISSING) && format == Format::Long)
    }) || dirs_first;

    Ok((
        Cfg {
            format,
            hidden,
            ignore,
            hide,
            directory,
            recursive: recursive && !directory,
            deref,
            sort,
            reverse,
            dirs_first,
            time: time_kind,
            inode,
            blocks,
            owner,
            group,
            author,
            numeric,
            context,
            block_fmt,
            size_fmt,
            indicator,
            style,
            qmark,
            align_quotes,
            color: colors,
            line_length,
            tabsize,
            eol,
            time_fmt,
            needs_stat,
            needs_type,
            check_symlink_mode,
        },
        operands,
    ))
}

/// The long-format time formats for a --time-style (or TIME_STYLE).
fn time_formats(opt: Option<Vec<u8>>) -> Result<Option<[Vec<u8>; 2]>, Exit> {
    let style = match opt {
        Some(s) => s,
        None => match std::env::var_os("TIME_STYLE") {
            Some(s) => s.as_bytes().to_vec(),
            None => return Ok(None),
        },
    };
    let mut s: &[u8] = &style;
    if s.starts_with(b"posix-") {
        // Only outside the POSIX locale; ibex always runs in it.
        return Ok(None);
    }
    if let Some(f) = s.strip_prefix(b"+") {
        s = f;
        let mut parts = s.splitn(2, |&b| b == b'\n');
        let first = parts.next().unwrap_or(b"").to_vec();
        return match parts.next() {
            None => Ok(Some([first.clone(), first])),
            Some(second) if memchr::memchr(b'\n', second).is_some() => {
                ibex::msg!("invalid time style format ", quote_locale(s));
                Err(Exit(2))
            }
            Some(second) => Ok(Some([first, second.to_vec()])),
        };
    }
    match argmatch(s, TIME_STYLES) {
        Ok(TimeStyle::FullIso) => Ok(Some([
            b"%Y-%m-%d %H:%M:%S.%N %z".to_vec(),
            b"%Y-%m-%d %H:%M:%S.%N %z".to_vec(),
        ])),
        Ok(TimeStyle::LongIso) => Ok(Some([
            b"%Y-%m-%d %H:%M".to_vec(),
            b"%Y-%m-%d %H:%M".to_vec(),
        ])),
        Ok(TimeStyle::Iso) => Ok(Some([b"%Y-%m-%d ".to_vec(), b"%m-%d %H:%M".to_vec()])),
        Ok(TimeStyle::Locale) => Ok(None),
        Err(amb) => {
            let mut m = ibex::error::start();
            m.extend_from_slice(if amb {
                b"ambiguous argument "
            } else {
                b"invalid argument "
            });
            m.extend_from_slice(&quote_locale(s));
            m.extend_from_slice(b" for 'time style'\nValid arguments are:");
            for (name, _) in TIME_STYLES {
                m.extend_from_slice(b"\n  - [posix-]");
                m.extend_from_slice(name.as_bytes());
            }
            m.extend_from_slice(b"\n  - +FORMAT (e.g., +%H:%M) for a 'date'-style format");
            m.extend_from_slice(b"\nUsage: ");
            m.extend_from_slice(&SPEC.usage.synopsis());
            ibex::error::emit(m);
            Err(Exit(2))
        }
    }
}

// ---------------------------------------------------------------- quoting

/// GNU's quoting styles (quotearg), as they behave in the C locale.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum QStyle {
    Literal,
    Shell,
    ShellAlways,
    ShellEscape,
    ShellEscapeAlways,
    C,
    CMaybe,
    Escape,
    Locale,
    CLocale,
}

/// Characters quoted on top of what the style quotes.
#[derive(Clone, Copy, Default)]
struct Extra {
    chars: &'static [u8],
}

impl Extra {
    fn has(&self, c: u8) -> bool {
        self.chars.contains(&c)
    }
}

struct QParams {
    /// Shell quoting ('...' with '\'' for quotes).
    shell: bool,
    /// Add the outer quotes only when something needs them.
    elide: bool,
    backslash: bool,
    open: &'static [u8],
    close: &'static [u8],
}

fn qparams(s: QStyle) -> QParams {
    let (shell, elide, backslash, open, close): (bool, bool, bool, &[u8], &[u8]) = match s {
        QStyle::Literal => (false, false, false, b"", b""),
        QStyle::C | QStyle::CLocale => (false, false, true, b"\"", b"\""),
        QStyle::CMaybe => (false, true, true, b"\"", b"\""),
        QStyle::Escape => (false, false, true, b"", b""),
        QStyle::Locale => (false, false, true, b"'", b"'"),
        QStyle::Shell => (true, true, false, b"'", b"'"),
        QStyle::ShellEscape => (true, true, true, b"'", b"'"),
        QStyle::ShellAlways => (true, false, false, b"'", b"'"),
        QStyle::ShellEscapeAlways => (true, false, true, b"'", b"'"),
    };
    QParams {
        shell,
        elide,
        backslash,
        open,
        close,
    }
}

enum Pass {
    /// Outer quotes are needed after all.
    Force,
    Done {
        single_quote: bool,
        all_compat: bool,
        pending: bool,
    },
}

fn is_print(c: u8) -> bool {
    (0x20..0x7f).contains(&c)
}

/// One pass over `arg` in a style; `pending` is whether a `$'...'` segment
/// is open (carried into a second pass, as GNU does).
fn quote_pass(arg: &[u8], p: &QParams, extra: Extra, out: &mut Vec<u8>, mut pending: bool) -> Pass {
    let start = out.len();
    if !p.elide {
        out.extend_from_slice(p.open);
    }
    let mut single_quote = false;
    let mut all_compat = true;
    for (i, &byte) in arg.iter().enumerate() {
        let mut ch = byte;
        let mut compat = false;
        let mut right_quote = false;
        if p.backslash && !p.shell && !p.close.is_empty() && arg[i..].starts_with(p.close) {
            if p.elide {
                return Pass::Force;
            }
            right_quote = true;
        }
        // What to do: None = store as is after the extra check,
        // Some(x) = escape as `\x` (0xff = three octal digits).
        #[derive(PartialEq)]
        enum Act {
            Check,
            Raw,
            Esc(u8),
            Octal,
        }
        let special = |p: &QParams| p.shell && p.elide;
        let act = match ch {
            b'?' => {
                if special(p) {
                    return Pass::Force;
                }
                Act::Check
            }
            0x07 | 0x08 | 0x0c | 0x0b => {
                let e = match ch {
                    0x07 => b'a',
                    0x08 => b'b',
                    0x0c => b'f',
                    _ => b'v',
                };
                if p.backslash { Act::Esc(e) } else { Act::Check }
            }
            b'\n' | b'\r' | b'\t' => {
                if special(p) {
                    return Pass::Force;
                }
                let e = match ch {
                    b'\n' => b'n',
                    b'\r' => b'r',
                    _ => b't',
                };
                if p.backslash { Act::Esc(e) } else { Act::Check }
            }
            b'\\' => {
                if p.shell {
                    if p.elide {
                        return Pass::Force;
                    }
                    Act::Raw
                } else if p.backslash && p.elide && !p.close.is_empty() {
                    Act::Raw
                } else if p.backslash {
                    Act::Esc(b'\\')
                } else {
                    Act::Check
                }
            }
            b'{' | b'}' | b'#' | b'~' | b' ' => {
                let applies = match ch {
                    b'{' | b'}' => arg.len() == 1,
                    b'#' | b'~' => i == 0,
                    _ => true,
                };
                if applies {
                    compat = true;
                    if special(p) {
                        return Pass::Force;
                    }
                }
                Act::Check
            }
            b'!' | b'"' | b'$' | b'&' | b'(' | b')' | b'*' | b';' | b'<' | b'=' | b'>' | b'['
            | b'^' | b'`' | b'|' => {
                if special(p) {
                    return Pass::Force;
                }
                Act::Check
            }
            b'\'' => {
                single_quote = true;
                compat = true;
                if p.shell {
                    if p.elide {
                        return Pass::Force;
                    }
                    out.extend_from_slice(b"'\\'");
                    pending = false;
                }
                Act::Check
            }
            b'%'
            | b'+'
            | b','
            | b'-'
            | b'.'
            | b'/'
            | b'0'..=b'9'
            | b':'
            | b'A'..=b'Z'
            | b']'
            | b'_'
            | b'a'..=b'z' => {
                compat = true;
                Act::Check
            }
            _ => {
                let printable = is_print(ch);
                compat = printable;
                if p.backslash && !printable {
                    Act::Octal
                } else {
                    Act::Check
                }
            }
        };
        let escape = match act {
            Act::Raw => false,
            Act::Check => ((p.backslash && !p.shell) || p.elide) && extra.has(ch) || right_quote,
            Act::Esc(e) => {
                ch = e;
                true
            }
            Act::Octal => true,
        };
        let mut escaping = false;
        if escape {
            if p.elide {
                return Pass::Force;
            }
            escaping = true;
            if p.shell && !pending {
                out.extend_from_slice(b"'$'");
                pending = true;
            }
            out.push(b'\\');
            if act == Act::Octal {
                out.push(b'0' + (ch >> 6));
                out.push(b'0' + ((ch >> 3) & 7));
                ch = b'0' + (ch & 7);
            }
        }
        if pending && !escaping {
            out.extend_from_slice(b"''");
            pending = false;
        }
        out.push(ch);
        if !compat {
            all_compat = false;
        }
    }
    if out.len() == start && p.shell && p.elide {
        return Pass::Force;
    }
    Pass::Done {
        single_quote,
        all_compat,
        pending,
    }
}

/// Append `arg` quoted in `style` to `out`.
fn quote_into(arg: &[u8], style: QStyle, extra: Extra, out: &mut Vec<u8>) {
    let start = out.len();
    let p = qparams(style);
    match quote_pass(arg, &p, extra, out, false) {
        Pass::Force => {
            out.truncate(start);
            let forced = match style {
                QStyle::Shell => QStyle::ShellAlways,
                QStyle::ShellEscape => QStyle::ShellEscapeAlways,
                QStyle::CMaybe => QStyle::C,
                s => s,
            };
            if forced != style {
                quote_into(arg, forced, Extra::default(), out);
            }
        }
        Pass::Done {
            single_quote,
            all_compat,
            pending,
        } => {
            if p.shell && !p.elide && single_quote {
                out.truncate(start);
                if all_compat {
                    quote_into(arg, QStyle::C, extra, out);
                    return;
                }
                let _ = quote_pass(arg, &p, extra, out, pending);
            }
            if !p.elide {
                out.extend_from_slice(p.close);
            }
        }
    }
}

fn quote_vec(arg: &[u8], style: QStyle, extra: Extra) -> Vec<u8> {
    let mut v = Vec::with_capacity(arg.len() + 2);
    quote_into(arg, style, extra, &mut v);
    v
}

/// GNU's quote(): 'x' with C escapes (the locale style in the C locale).
fn quote_locale(arg: &[u8]) -> Vec<u8> {
    quote_vec(arg, QStyle::Locale, Extra::default())
}

/// GNU's quoteaf(), for file names in messages.
fn quote_af(arg: &[u8]) -> Vec<u8> {
    quote_vec(arg, QStyle::ShellEscapeAlways, Extra::default())
}

// ---------------------------------------------------------------- colors

const C_LEFT: usize = 0;
const C_RIGHT: usize = 1;
const C_END: usize = 2;
const C_RESET: usize = 3;
const C_NORM: usize = 4;
const C_FILE: usize = 5;
const C_DIR: usize = 6;
const C_LINK: usize = 7;
const C_FIFO: usize = 8;
const C_SOCK: usize = 9;
const C_BLK: usize = 10;
const C_CHR: usize = 11;
const C_MISSING: usize = 12;
const C_ORPHAN: usize = 13;
const C_EXEC: usize = 14;
const C_SETUID: usize = 16;
const C_SETGID: usize = 17;
const C_STICKY: usize = 18;
const C_OTHER_WRITABLE: usize = 19;
const C_STICKY_OTHER_WRITABLE: usize = 20;
const C_MULTIHARDLINK: usize = 22;
const C_CLR_TO_EOL: usize = 23;

const COLOR_KEYS: [&[u8; 2]; 24] = [
    b"lc", b"rc", b"ec", b"rs", b"no", b"fi", b"di", b"ln", b"pi", b"so", b"bd", b"cd", b"mi",
    b"or", b"ex", b"do", b"su", b"sg", b"st", b"ow", b"tw", b"ca", b"mh", b"cl",
];

/// GNU ls's built-in colours (used when LS_COLORS is unset).
const COLOR_DEFAULTS: [Option<&[u8]>; 24] = [
    Some(b"\x1b["),
    Some(b"m"),
    None,
    Some(b"0"),
    None,
    None,
    Some(b"01;34"),
    Some(b"01;36"),
    Some(b"33"),
    Some(b"01;35"),
    Some(b"01;33"),
    Some(b"01;33"),
    None,
    None,
    Some(b"01;32"),
    Some(b"01;35"),
    Some(b"37;41"),
    Some(b"30;43"),
    Some(b"37;44"),
    Some(b"34;42"),
    Some(b"30;42"),
    None,
    None,
    Some(b"\x1b[K"),
];

/// Terminal types GNU colours for when LS_COLORS is not set.
const COLOR_TERMS: &[&[u8]] = &[
    b"Eterm",
    b"ansi",
    b"*color*",
    b"con[0-9]*x[0-9]*",
    b"cons25",
    b"console",
    b"cygwin",
    b"*direct*",
    b"dtterm",
    b"gnome",
    b"hurd",
    b"jfbterm",
    b"konsole",
    b"kterm",
    b"linux",
    b"linux-c",
    b"mlterm",
    b"putty",
    b"rxvt*",
    b"screen*",
    b"st",
    b"terminator",
    b"tmux*",
    b"vt100",
    b"xterm*",
];

struct Colors {
    seq: Vec<Option<Vec<u8>>>,
    /// `*.ext=...` entries, in LS_COLORS order (the last match wins).
    ext: Vec<(Vec<u8>, Option<Vec<u8>>)>,
    /// `ln=target`: colour links as what they point to.
    link_target: bool,
}

impl Colors {
    /// The colours to use, or None when colouring is off after all
    /// (unknown terminal without LS_COLORS, or a bad LS_COLORS).
    fn from_env() -> Option<Colors> {
        let mut c = Colors {
            seq: COLOR_DEFAULTS
                .iter()
                .map(|d| d.map(<[u8]>::to_vec))
                .collect(),
            ext: Vec::new(),
            link_target: false,
        };
        let spec = std::env::var_os("LS_COLORS").unwrap_or_default();
        if spec.is_empty() {
            let colorterm = std::env::var_os("COLORTERM").unwrap_or_default();
            let term = std::env::var_os("TERM").unwrap_or_default();
            let known = COLOR_TERMS
                .iter()
                .any(|pat| fnmatch(pat, term.as_bytes(), false));
            return (!colorterm.is_empty() || known).then_some(c);
        }
        if !c.parse(spec.as_bytes()) {
            ibex::msg!("unparsable value for LS_COLORS environment variable");
            return None;
        }
        if c.seq[C_LINK].as_deref() == Some(b"target") {
            c.link_target = true;
        }
        Some(c)
    }

    fn parse(&mut self, s: &[u8]) -> bool {
        let mut i = 0;
        while i < s.len() {
            match s[i] {
                b':' => i += 1,
                b'*' => {
                    i += 1;
                    let Some(ext) = funky(s, &mut i, true) else {
                        return false;
                    };
                    if s.get(i) != Some(&b'=') {
                        return false;
                    }
                    i += 1;
                    let Some(val) = funky(s, &mut i, false) else {
                        return false;
                    };
                    self.ext.push((ext, Some(val)));
                }
                _ => {
                    let Some(&b) = s.get(i + 1) else {
                        return false;
                    };
                    let label = [s[i], b];
                    i += 2;
                    if s.get(i) != Some(&b'=') {
                        return false;
                    }
                    i += 1;
                    let Some(k) = COLOR_KEYS.iter().position(|k| **k == label) else {
                        ibex::msg!("unrecognized prefix: ", quote_locale(&label));
                        return false;
                    };
                    let Some(val) = funky(s, &mut i, false) else {
                        ibex::msg!("unrecognized prefix: ", quote_locale(&label));
                        return false;
                    };
                    self.seq[k] = Some(val);
                }
            }
        }
        true
    }

    fn get(&self, k: usize) -> Option<&[u8]> {
        self.seq.get(k).and_then(|s| s.as_deref())
    }

    fn is_colored(&self, k: usize) -> bool {
        !matches!(self.get(k), None | Some(b"") | Some(b"0") | Some(b"00"))
    }
}

/// An LS_COLORS string with its escapes (`\e`, `\033`, `\x1b`, `^[`),
/// up to `:` (or `=` in a key). None when malformed.
fn funky(s: &[u8], i: &mut usize, equals_end: bool) -> Option<Vec<u8>> {
    let mut v = Vec::new();
    while let Some(&ch) = s.get(*i) {
        match ch {
            b':' => break,
            b'=' if equals_end => break,
            b'\\' => {
                *i += 1;
                let &e = s.get(*i)?;
                *i += 1;
                match e {
                    b'0'..=b'7' => {
                        let mut n = u32::from(e - b'0');
                        while let Some(&d @ b'0'..=b'7') = s.get(*i) {
                            n = (n << 3) + u32::from(d - b'0');
                            *i += 1;
                        }
                        v.push(n as u8);
                    }
                    b'x' | b'X' => {
                        let mut n = 0u32;
                        while let Some(d) = s.get(*i).and_then(|&d| (d as char).to_digit(16)) {
                            n = (n << 4) + d;
                            *i += 1;
                        }
                        v.push(n as u8);
                    }
                    b'a' => v.push(7),
                    b'b' => v.push(8),
                    b'e' => v.push(27),
                    b'f' => v.push(12),
                    b'n' => v.push(10),
                    b'r' => v.push(13),
                    b't' => v.push(9),
                    b'v' => v.push(11),
                    b'?' => v.push(127),
                    b'_' => v.push(b' '),
                    other => v.push(other),
                }
            }
            b'^' => {
                *i += 1;
                let &e = s.get(*i)?;
                *i += 1;
                match e {
                    b'@'..=b'~' => v.push(e & 0o37),
                    b'?' => v.push(127),
                    _ => return None,
                }
            }
            _ => {
                v.push(ch);
                *i += 1;
            }
        }
    }
    Some(v)
}

// ---------------------------------------------------------------- patterns

/// Shell pattern match (`*`, `?`, `[...]`, `\`), as fnmatch(3); with
/// `period`, a leading `.` must be matched by a literal `.`.
fn fnmatch(p: &[u8], s: &[u8], period: bool) -> bool {
    if period && s.first() == Some(&b'.') && !(p.first() == Some(&b'.') || p.starts_with(b"\\.")) {
        return false;
    }
    let (mut pi, mut si) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while si < s.len() {
        let mut matched = None;
        if let Some(&pc) = p.get(pi) {
            match pc {
                b'*' => {
                    star = Some((pi + 1, si));
                    pi += 1;
                    continue;
                }
                b'?' => matched = Some(pi + 1),
                b'[' => match bracket(p, pi + 1, s[si]) {
                    Some((true, next)) => matched = Some(next),
                    Some((false, _)) => {}
                    None => {
                        if s[si] == b'[' {
                            matched = Some(pi + 1)
                        }
                    }
                },
                b'\\' if pi + 1 < p.len() => {
                    if p[pi + 1] == s[si] {
                        matched = Some(pi + 2)
                    }
                }
                _ => {
                    if pc == s[si] {
                        matched = Some(pi + 1)
                    }
                }
            }
        }
        match matched {
            Some(next) => {
                pi = next;
                si += 1;
            }
            None => match star {
                Some((sp, ss)) => {
                    pi = sp;
                    si = ss + 1;
                    star = Some((sp, ss + 1));
                }
                None => return false,
            },
        }
    }
    p[pi.min(p.len())..].iter().all(|&b| b == b'*')
}

/// Match `c` against the bracket expression starting after `[` at `i`:
/// (matched, index after `]`), or None if there is no closing `]`.
fn bracket(p: &[u8], mut i: usize, c: u8) -> Option<(bool, usize)> {
    let negate = matches!(p.get(i), Some(b'!') | Some(b'^'));
    if negate {
        i += 1;
    }
    let mut hit = false;
    let mut first = true;
    loop {
        let &pc = p.get(i)?;
        if pc == b']' && !first {
            return Some((hit != negate, i + 1));
        }
        first = false;
        if pc == b'[' && p.get(i + 1) == Some(&b':') {
            let rest = p.get(i + 2..)?;
            if let Some(end) = rest.windows(2).position(|w| w == b":]") {
                let class = &rest[..end];
                let ok = match class {
                    b"alpha" => c.is_ascii_alphabetic(),
                    b"digit" => c.is_ascii_digit(),
                    b"alnum" => c.is_ascii_alphanumeric(),
                    b"upper" => c.is_ascii_uppercase(),
                    b"lower" => c.is_ascii_lowercase(),
                    b"space" => c.is_ascii_whitespace() || c == 0x0b,
                    b"blank" => c == b' ' || c == b'\t',
                    b"punct" => c.is_ascii_punctuation(),
                    b"print" => is_print(c),
                    b"graph" => c.is_ascii_graphic(),
                    b"cntrl" => c.is_ascii_control(),
                    b"xdigit" => c.is_ascii_hexdigit(),
                    _ => false,
                };
                hit |= ok;
                i += 2 + end + 2;
                continue;
            }
        }
        let (lo, next) = if pc == b'\\' {
            (*p.get(i + 1)?, i + 2)
        } else {
            (pc, i + 1)
        };
        i = next;
        if p.get(i) == Some(&b'-') && p.get(i + 1).is_some_and(|&b| b != b']') {
            let (hi, next) = if p.get(i + 1) == Some(&b'\\') {
                (*p.get(i + 2)?, i + 3)
            } else {
                (*p.get(i + 1)?, i + 2)
            };
            i = next;
            hit |= lo <= c && c <= hi;
        } else {
            hit |= lo == c;
        }
    }
}

// ---------------------------------------------------------------- entries

/// File types, as GNU's ls keeps them (from d_type or stat).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum FType {
    Unknown,
    Fifo,
    Chr,
    Dir,
    Blk,
    Reg,
    Lnk,
    Sock,
    /// A directory named on the command line (listed as a section).
    ArgDir,
}

fn ftype_of_dtype(d: u8) -> FType {
    match d {
        sys::DT_FIFO => FType::Fifo,
        sys::DT_CHR => FType::Chr,
        sys::DT_DIR => FType::Dir,
        sys::DT_BLK => FType::Blk,
        sys::DT_REG => FType::Reg,
        sys::DT_LNK => FType::Lnk,
        sys::DT_SOCK => FType::Sock,
        _ => FType::Unknown,
    }
}

fn ftype_of_mode(m: u32) -> FType {
    match m & sys::S_IFMT {
        sys::S_IFIFO => FType::Fifo,
        sys::S_IFCHR => FType::Chr,
        sys::S_IFDIR => FType::Dir,
        sys::S_IFBLK => FType::Blk,
        sys::S_IFREG => FType::Reg,
        sys::S_IFLNK => FType::Lnk,
        sys::S_IFSOCK => FType::Sock,
        _ => FType::Unknown,
    }
}

struct LinkInfo {
    target: Vec<u8>,
    ok: bool,
    mode: u32,
}

struct Ent {
    name: Box<[u8]>,
    ftype: FType,
    stat_ok: bool,
    st: Stat,
    btime: Timespec,
    link: Option<Box<LinkInfo>>,
}

impl Ent {
    fn link_mode(&self) -> u32 {
        self.link.as_ref().map_or(0, |l| l.mode)
    }
    fn is_dir(&self) -> bool {
        matches!(self.ftype, FType::Dir | FType::ArgDir)
    }
    fn is_linked_dir(&self) -> bool {
        self.is_dir() || self.link_mode() & sys::S_IFMT == sys::S_IFDIR
    }
}

const NO_TIME: Timespec = Timespec { sec: -1, nsec: -1 };

/// Everything listed together: one directory, or the command-line files.
struct Batch {
    ents: Vec<Ent>,
    total_blocks: u64,
}

#[derive(Default)]
struct Widths {
    inode: usize,
    blocks: usize,
    nlink: usize,
    owner: usize,
    group: usize,
    author: usize,
    context: usize,
    size: usize,
    major: usize,
    minor: usize,
}

fn digits(mut n: u64) -> usize {
    let mut d = 1;
    while n >= 10 {
        n /= 10;
        d += 1;
    }
    d
}

/// uid or gid to name, for the few ids a listing shows.
#[derive(Default)]
struct NameCache {
    ids: Vec<(u32, Option<Box<[u8]>>)>,
    last: usize,
}

impl NameCache {
    fn get(&mut self, id: u32, look: fn(u32) -> Option<Vec<u8>>) -> Option<&[u8]> {
        let hit = match self.ids.get(self.last) {
            Some((i, _)) if *i == id => Some(self.last),
            _ => self.ids.iter().position(|(i, _)| *i == id),
        };
        let idx = match hit {
            Some(k) => k,
            None => {
                self.ids.push((id, look(id).map(Vec::into_boxed_slice)));
                self.ids.len() - 1
            }
        };
        self.last = idx;
        self.ids.get(idx).and_then(|(_, n)| n.as_deref())
    }
}

/// A comparison of two entries.
type Cmp<'a> = dyn Fn(&Ent, &Ent) -> std::cmp::Ordering + 'a;

enum Pending {
    Dir {
        name: Vec<u8>,
        cmdline: bool,
    },
    /// A directory's listing (and its subdirectories) are done.
    Done(u64, u64),
}

// ---------------------------------------------------------------- the lister

struct Ls {
    c: Cfg,
    out: Out,
    status: i32,
    now: Timespec,
    used_color: bool,
    owners: NameCache,
    groups: NameCache,
    tmp: Vec<u8>,
    /// The last time converted for the default time format.
    last_time: Option<(i64, [u32; 5])>,
    active: HashSet<(u64, u64)>,
    pending: Vec<Pending>,
    print_dir_name: bool,
    first: bool,
    line: Vec<u8>,
    qbuf: Vec<u8>,
    /// Names in the batch being printed include quoted ones (for GNU's
    /// alignment of unquoted names after a space).
    some_quoted: bool,
    w: Widths,
}

pub fn main(argv: &[OsString]) -> Status {
    let (cfg, operands) = parse_options(argv)?;
    let mut ls = Ls {
        c: cfg,
        out: Out::stdout(),
        status: 0,
        now: sys::now(),
        used_color: false,
        owners: NameCache::default(),
        groups: NameCache::default(),
        tmp: Vec::with_capacity(64),
        last_time: None,
        active: HashSet::new(),
        pending: Vec::new(),
        print_dir_name: true,
        first: true,
        line: Vec::with_capacity(256),
        qbuf: Vec::with_capacity(256),
        some_quoted: false,
        w: Widths::default(),
    };
    ls.run(&operands);
    if ls.used_color
        && let Some(col) = &ls.c.color
        && !(col.get(C_LEFT) == Some(b"\x1b[") && col.get(C_RIGHT) == Some(b"m"))
    {
        let seq = [col.get(C_LEFT), col.get(C_RIGHT)];
        for s in seq.into_iter().flatten() {
            ls.out.write(s);
        }
    }
    // A write error is serious trouble for GNU ls (status 2).
    ls.out.flush();
    let status = if ls.out.failed() { 2 } else { ls.status };
    ls.out.done(status)
}

impl Ls {
    fn fail(&mut self, serious: bool) {
        if serious {
            self.status = 2;
        } else if self.status == 0 {
            self.status = 1;
        }
    }

    /// `ls: WHAT 'NAME': reason`, status 2 for command-line names else 1.
    fn file_failure(&mut self, serious: bool, what: &str, name: &[u8], e: &std::io::Error) {
        self.out.flush();
        ibex::msg!(what, quote_af(name), ": ", e);
        self.fail(serious);
    }

    fn run(&mut self, operands: &[&OsStr]) {
        let mut files = Batch {
            ents: Vec::new(),
            total_blocks: 0,
        };
        if operands.is_empty() {
            if self.c.directory {
                self.gobble_cmdline(b".", &mut files);
            } else {
                self.pending.push(Pending::Dir {
                    name: b".".to_vec(),
                    cmdline: true,
                });
            }
        } else {
            for op in operands {
                self.gobble_cmdline(op.as_bytes(), &mut files);
            }
        }
        let mut order = Vec::new();
        if !files.ents.is_empty() {
            order = self.sort(&files.ents);
            self.prepare_batch(&files);
            if !self.c.directory {
                // Directories become sections, in sorted order.
                for &i in order.iter().rev() {
                    if let Some(e) = files.ents.get(i as usize)
                        && e.ftype == FType::ArgDir
                    {
                        self.pending.push(Pending::Dir {
                            name: e.name.to_vec(),
                            cmdline: true,
                        });
                    }
                }
                order.retain(|&i| {
                    files
                        .ents
                        .get(i as usize)
                        .is_some_and(|e| e.ftype != FType::ArgDir)
                });
            }
        }
        if !order.is_empty() {
            let list: Vec<&Ent> = order
                .iter()
                .filter_map(|&i| files.ents.get(i as usize))
                .collect();
            self.print_batch(&list);
            if !self.pending.is_empty() {
                self.out.byte(b'\n');
            }
        } else if operands.len() <= 1 && self.pending.len() == 1 {
            self.print_dir_name = false;
        }
        while let Some(p) = self.pending.pop() {
            match p {
                Pending::Done(dev, ino) => {
                    self.active.remove(&(dev, ino));
                }
                Pending::Dir { name, cmdline } => {
                    self.print_dir(&name, cmdline);
                    self.print_dir_name = true;
                }
            }
        }
    }

    // ------------------------------------------------------------ gathering

    fn is_ignored(&self, name: &[u8]) -> bool {
        if self.c.hidden != Hidden::Nothing && name.first() == Some(&b'.') {
            if self.c.hidden == Hidden::Dots {
                return true;
            }
            if name == b"." || name == b".." {
                return true;
            }
        }
        if self.c.hidden == Hidden::Dots && self.c.hide.iter().any(|p| fnmatch(p, name, true)) {
            return true;
        }
        self.c.ignore.iter().any(|p| fnmatch(p, name, true))
    }

    fn colored(&self, k: usize) -> bool {
        self.c.color.as_ref().is_some_and(|c| c.is_colored(k))
    }

    /// Whether a directory entry must be stat'ed for this output.
    fn entry_needs_stat(&self, ft: FType) -> bool {
        let c = &self.c;
        let color = c.color.is_some();
        let link_target = c.color.as_ref().is_some_and(|c| c.link_target);
        c.needs_stat
            || (ft == FType::Dir
                && color
                && (self.colored(C_OTHER_WRITABLE)
                    || self.colored(C_STICKY)
                    || self.colored(C_STICKY_OTHER_WRITABLE)))
            || (c.needs_type
                && matches!(ft, FType::Lnk | FType::Unknown)
                && (c.deref == Deref::Always || link_target || c.check_symlink_mode))
            || (c.needs_type
                && (ft == FType::Unknown
                    || (ft == FType::Reg
                        && (c.indicator == Indicator::Classify
                            || (color
                                && (self.colored(C_EXEC)
                                    || self.colored(C_SETUID)
                                    || self.colored(C_SETGID)))))))
    }

    /// Fill in what a stat'ed entry needs: type, link target, birth time.
    /// Returns its blocks for the total.
    fn finish_entry(&mut self, e: &mut Ent, dir: Dir, dirname: Option<&[u8]>) -> u64 {
        let cmdline = dirname.is_none();
        e.stat_ok = true;
        e.ftype = ftype_of_mode(e.st.mode);
        if e.ftype == FType::Dir && cmdline && !self.c.directory {
            e.ftype = FType::ArgDir;
        }
        if self.c.time == TimeKind::Birth {
            let flags = if e.st.is_lnk() {
                sys::AT_SYMLINK_NOFOLLOW
            } else {
                0
            };
            e.btime = sys::birth_time(dir, &e.name, flags).unwrap_or(NO_TIME);
        }
        let long = self.c.format == Format::Long;
        if e.st.is_lnk() && (long || self.c.check_symlink_mode) {
            let target = if long {
                match sys::readlinkat(dir, &e.name) {
                    Ok(t) => Some(t),
                    Err(err) => {
                        let full = match dirname {
                            Some(d) => attach(d, &e.name),
                            None => e.name.to_vec(),
                        };
                        self.file_failure(cmdline, "cannot read symbolic link ", &full, &err);
                        None
                    }
                }
            } else {
                Some(Vec::new())
            };
            if let Some(target) = target {
                let mut info = LinkInfo {
                    target,
                    ok: false,
                    mode: 0,
                };
                if ((long && self.c.indicator >= Indicator::FileType) || self.c.check_symlink_mode)
                    && let Ok(t) = sys::fstatat(dir, &e.name, 0)
                {
                    info.ok = true;
                    info.mode = t.mode;
                }
                e.link = Some(Box::new(info));
            }
        }
        if long || self.c.blocks {
            e.st.blocks
        } else {
            0
        }
    }

    fn gobble_cmdline(&mut self, name: &[u8], batch: &mut Batch) {
        let res = match self.c.deref {
            Deref::Always | Deref::CmdLine => sys::stat(name),
            Deref::CmdLineDirs => match sys::stat(name) {
                Ok(st) if st.is_dir() => Ok(st),
                Err(e) if !matches!(e.raw_os_error(), Some(libc::ENOENT) | Some(libc::ELOOP)) => {
                    Err(e)
                }
                _ => sys::lstat(name),
            },
            Deref::Never => sys::lstat(name),
        };
        let st = match res {
            Ok(st) => st,
            Err(e) => {
                self.file_failure(true, "cannot access ", name, &e);
                return;
            }
        };
        let mut e = Ent {
            name: name.into(),
            ftype: FType::Unknown,
            stat_ok: true,
            st,
            btime: NO_TIME,
            link: None,
        };
        let blocks = self.finish_entry(&mut e, Dir::CWD, None);
        batch.total_blocks += blocks;
        batch.ents.push(e);
    }

    fn print_dir(&mut self, name: &[u8], cmdline: bool) {
        let mut flags = sys::O_RDONLY | sys::O_DIRECTORY | sys::O_NOCTTY;
        if !cmdline && self.c.deref != Deref::Always {
            flags |= sys::O_NOFOLLOW;
        }
        let fd = match sys::open(name, flags, 0) {
            Ok(fd) => fd,
            Err(e) => {
                self.file_failure(cmdline, "cannot open directory ", name, &e);
                return;
            }
        };
        if self.c.recursive
            && let Ok(st) = sys::fstat(fd.as_raw_fd())
        {
            if !self.active.insert((st.dev, st.ino)) {
                self.out.flush();
                let q = quote_vec(name, QStyle::ShellEscape, Extra { chars: b":" });
                ibex::msg!(q, ": not listing already-listed directory");
                self.fail(true);
                return;
            }
            // Popped after the subdirectories: the directory is done.
            self.pending.push(Pending::Done(st.dev, st.ino));
        }
        if self.c.recursive || self.print_dir_name {
            if !self.first {
                self.out.byte(b'\n');
            }
            self.first = false;
            self.some_quoted = false;
            let mut buf = std::mem::take(&mut self.qbuf);
            let (in_buf, _, _) = self.render(name, Extra { chars: b":" }, &mut buf);
            self.out.write(if in_buf { &buf } else { name });
            self.qbuf = buf;
            self.out.write(b":\n");
        }
        let batch = self.read_dir(&fd, name, cmdline);
        drop(fd);
        let order = self.sort(&batch.ents);
        let list: Vec<&Ent> = order
            .iter()
            .filter_map(|&i| batch.ents.get(i as usize))
            .collect();
        if self.c.recursive {
            for e in list.iter().rev() {
                if e.is_dir() && &*e.name != b"." && &*e.name != b".." {
                    let mut sub = Vec::with_capacity(name.len() + 1 + e.name.len());
                    sub.extend_from_slice(name);
                    if !name.ends_with(b"/") {
                        sub.push(b'/');
                    }
                    sub.extend_from_slice(&e.name);
                    self.pending.push(Pending::Dir {
                        name: sub,
                        cmdline: false,
                    });
                }
            }
        }
        if self.c.format == Format::Long || self.c.blocks {
            self.line.clear();
            self.line.extend_from_slice(b"total ");
            let mut l = std::mem::take(&mut self.line);
            self.c.block_fmt.put(batch.total_blocks, 512, &mut l);
            l.push(self.c.eol);
            self.out.write(&l);
            self.line = l;
        }
        if !list.is_empty() {
            self.prepare_batch(&batch);
            self.print_batch(&list);
        }
    }

    fn read_dir(&mut self, fd: &OwnedFd, dirname: &[u8], cmdline: bool) -> Batch {
        let mut raw = Vec::new();
        let read = if self.c.hidden == Hidden::Nothing {
            sys::read_dir_all(fd.as_raw_fd(), &mut raw)
        } else {
            sys::read_dir(fd.as_raw_fd(), &mut raw)
        };
        if let Err(e) = read {
            self.file_failure(cmdline, "reading directory ", dirname, &e);
        }
        let dir = Dir::of(fd);
        let mut batch = Batch {
            ents: Vec::with_capacity(raw.len()),
            total_blocks: 0,
        };
        for d in raw {
            if self.is_ignored(&d.name) {
                continue;
            }
            batch.ents.push(Ent {
                name: d.name,
                ftype: ftype_of_dtype(d.kind),
                stat_ok: false,
                st: Stat {
                    ino: d.ino,
                    ..Stat::default()
                },
                btime: NO_TIME,
                link: None,
            });
        }
        let stat_flags = if self.c.deref == Deref::Always {
            0
        } else {
            sys::AT_SYMLINK_NOFOLLOW
        };
        let mut ents = std::mem::take(&mut batch.ents);
        for e in ents.iter_mut() {
            if !self.entry_needs_stat(e.ftype) {
                continue;
            }
            match sys::fstatat(dir, &e.name, stat_flags) {
                Ok(st) => {
                    e.st = st;
                    batch.total_blocks += self.finish_entry(e, dir, Some(dirname));
                }
                Err(err) => {
                    e.st.ino = 0;
                    let full = attach(dirname, &e.name);
                    self.file_failure(false, "cannot access ", &full, &err);
                }
            }
        }
        batch.ents = ents;
        batch
    }

    // ------------------------------------------------------------ sorting

    fn time_of(&self, e: &Ent) -> Timespec {
        match self.c.time {
            TimeKind::Mtime => e.st.mtime,
            TimeKind::Atime => e.st.atime,
            TimeKind::Ctime => e.st.ctime,
            TimeKind::Birth => e.btime,
        }
    }

    /// The listing order of `ents`, as indices.
    fn sort(&self, ents: &[Ent]) -> Vec<u32> {
        use std::cmp::Ordering;
        let sort = self.c.sort;
        let mut order: Vec<u32> = (0..ents.len() as u32).collect();
        if sort == SortBy::None {
            return order;
        }
        let get = |i: u32| ents.get(i as usize);
        let rev = self.c.reverse;
        let dirs_first = self.c.dirs_first;
        let by_name = |a: &Ent, b: &Ent| a.name.cmp(&b.name);
        let key: Box<Cmp> = match sort {
            SortBy::Name | SortBy::None => Box::new(by_name),
            SortBy::Size => Box::new(move |a: &Ent, b: &Ent| {
                b.st.size.cmp(&a.st.size).then_with(|| by_name(a, b))
            }),
            SortBy::Time => {
                let kind = self.c.time;
                Box::new(move |a: &Ent, b: &Ent| {
                    let t = |e: &Ent| match kind {
                        TimeKind::Mtime => e.st.mtime,
                        TimeKind::Atime => e.st.atime,
                        TimeKind::Ctime => e.st.ctime,
                        TimeKind::Birth => e.btime,
                    };
                    t(b).cmp(&t(a)).then_with(|| by_name(a, b))
                })
            }
            SortBy::Version => Box::new(move |a: &Ent, b: &Ent| {
                filevercmp(&a.name, &b.name).then_with(|| by_name(a, b))
            }),
            SortBy::Extension => Box::new(move |a: &Ent, b: &Ent| {
                let ext = |n: &[u8]| -> usize { memchr::memrchr(b'.', n).unwrap_or(n.len()) };
                let (ea, eb) = (ext(&a.name), ext(&b.name));
                a.name[ea..].cmp(&b.name[eb..]).then_with(|| by_name(a, b))
            }),
            SortBy::Width => {
                // Widths are the quoted display widths of the names.
                let style = self.c.style;
                let qmark = self.c.qmark;
                let extra = self.name_extra();
                Box::new(move |a: &Ent, b: &Ent| {
                    let w = |n: &[u8]| display_width(n, style, qmark, extra);
                    w(&a.name).cmp(&w(&b.name)).then_with(|| by_name(a, b))
                })
            }
        };
        let cmp = |a: &Ent, b: &Ent| {
            if dirs_first {
                let (da, db) = (a.is_linked_dir(), b.is_linked_dir());
                if da != db {
                    return if da {
                        Ordering::Less
                    } else {
                        Ordering::Greater
                    };
                }
            }
            let o = key(a, b);
            if rev { o.reverse() } else { o }
        };
        // One sort instantiation for every order: a cached u64 key that
        // agrees with `cmp` (the first 8 bytes of the name, the size, the
        // time's seconds), then `cmp`, then the index, which makes the
        // unstable sort give the stable order.
        let name_only = sort == SortBy::Name && !dirs_first;
        let kind = self.c.time;
        let mut keyed: Vec<(u64, u32)> = ents
            .iter()
            .zip(0u32..)
            .map(|(e, i)| {
                let k = if dirs_first {
                    0
                } else {
                    match sort {
                        SortBy::Name => {
                            let mut k = [0u8; 8];
                            let n = e.name.len().min(8);
                            k[..n].copy_from_slice(&e.name[..n]);
                            u64::from_be_bytes(k)
                        }
                        SortBy::Size => !e.st.size,
                        SortBy::Time => {
                            let t = match kind {
                                TimeKind::Mtime => e.st.mtime,
                                TimeKind::Atime => e.st.atime,
                                TimeKind::Ctime => e.st.ctime,
                                TimeKind::Birth => e.btime,
                            };
                            !((t.sec as u64) ^ (1 << 63))
                        }
                        _ => 0,
                    }
                };
                (if rev { !k } else { k }, i)
            })
            .collect();
        keyed.sort_unstable_by(|a, b| {
            a.0.cmp(&b.0)
                .then_with(|| match (get(a.1), get(b.1)) {
                    (Some(x), Some(y)) if name_only => {
                        let o = x.name.cmp(&y.name);
                        if rev { o.reverse() } else { o }
                    }
                    (Some(x), Some(y)) => cmp(x, y),
                    _ => Ordering::Equal,
                })
                .then(a.1.cmp(&b.1))
        });
        order.clear();
        order.extend(keyed.iter().map(|k| k.1));
        order
    }

    // ------------------------------------------------------------ names

    /// Characters file names quote beyond their style (GNU's choices).
    fn name_extra(&self) -> Extra {
        match (self.c.style, self.c.indicator) {
            (QStyle::Escape, Indicator::Classify) => Extra { chars: b" =>@|" },
            (QStyle::Escape, Indicator::FileType) => Extra { chars: b" *=>@|" },
            (QStyle::Escape, _) => Extra { chars: b" " },
            (_, Indicator::Classify) => Extra { chars: b"=>@|" },
            (_, Indicator::FileType) => Extra { chars: b"*=>@|" },
            _ => Extra::default(),
        }
    }

    /// Quote `name` for output. Returns whether the result is in `buf`
    /// (else it is `name` itself), its display width, and whether quoting
    /// changed it.
    fn render(&self, name: &[u8], extra: Extra, buf: &mut Vec<u8>) -> (bool, usize, bool) {
        let style = self.c.style;
        let qmark =
            self.c.qmark && matches!(style, QStyle::Literal | QStyle::Shell | QStyle::ShellAlways);
        if style == QStyle::Literal && !qmark {
            let w = name.iter().filter(|&&b| is_print(b)).count();
            return (false, w, false);
        }
        buf.clear();
        quote_into(name, style, extra, buf);
        let quoted = buf.first() != name.first() || buf.len() != name.len();
        if qmark {
            for b in buf.iter_mut() {
                if !is_print(*b) {
                    *b = b'?';
                }
            }
            let w = buf.len();
            (true, w, quoted)
        } else {
            let w = buf.iter().filter(|&&b| is_print(b)).count();
            (true, w, quoted)
        }
    }

    fn name_width(&mut self, name: &[u8]) -> (usize, bool) {
        let mut buf = std::mem::take(&mut self.qbuf);
        let (_, w, q) = self.render(name, self.name_extra(), &mut buf);
        self.qbuf = buf;
        (w, q)
    }

    /// Write a colour sequence; the very first one is preceded by a reset
    /// (GNU's way of starting from a known state).
    fn put_seq(&mut self, seq: &[u8]) {
        if let Some(col) = &self.c.color {
            emit_color(&mut self.out, &mut self.used_color, col, seq);
        }
    }

    /// Write one of the colour table's sequences (nothing if it is unset).
    fn put_indicator(&mut self, k: usize) {
        if let Some(col) = &self.c.color
            && let Some(seq) = col.get(k)
        {
            emit_color(&mut self.out, &mut self.used_color, col, seq);
        }
    }

    fn prep_non_filename(&mut self) {
        if self.c.color.as_ref().and_then(|c| c.get(C_END)).is_some() {
            self.put_indicator(C_END);
        } else {
            self.put_indicator(C_LEFT);
            self.put_indicator(C_RESET);
            self.put_indicator(C_RIGHT);
        }
    }

    fn set_normal_color(&mut self) {
        if self.colored(C_NORM) {
            self.put_indicator(C_LEFT);
            self.put_indicator(C_NORM);
            self.put_indicator(C_RIGHT);
        }
    }

    /// The colour sequence for an entry (or its link target).
    fn color_of(&self, e: &Ent, target: bool) -> Option<Vec<u8>> {
        let col = self.c.color.as_ref()?;
        let link = e.link.as_deref();
        let (name, mode, linkok): (&[u8], u32, i8) = if target {
            let l = link?;
            (&l.target, l.mode, if l.ok { 0 } else { -1 })
        } else {
            let ok = link.is_some_and(|l| l.ok);
            let mode = if col.link_target && ok {
                e.link_mode()
            } else {
                e.st.mode
            };
            (&e.name, mode, i8::from(ok))
        };
        let mut k = if linkok == -1 && col.is_colored(C_MISSING) {
            C_MISSING
        } else if !e.stat_ok {
            match e.ftype {
                FType::Unknown => C_ORPHAN,
                FType::Fifo => C_FIFO,
                FType::Chr => C_CHR,
                FType::Dir | FType::ArgDir => C_DIR,
                FType::Blk => C_BLK,
                FType::Reg => C_FILE,
                FType::Lnk => C_LINK,
                FType::Sock => C_SOCK,
            }
        } else {
            match mode & sys::S_IFMT {
                sys::S_IFREG => {
                    if mode & 0o4000 != 0 && col.is_colored(C_SETUID) {
                        C_SETUID
                    } else if mode & 0o2000 != 0 && col.is_colored(C_SETGID) {
                        C_SETGID
                    } else if mode & 0o111 != 0 && col.is_colored(C_EXEC) {
                        C_EXEC
                    } else if e.st.nlink > 1 && col.is_colored(C_MULTIHARDLINK) {
                        C_MULTIHARDLINK
                    } else {
                        C_FILE
                    }
                }
                sys::S_IFDIR => {
                    if mode & 0o1000 != 0
                        && mode & 0o002 != 0
                        && col.is_colored(C_STICKY_OTHER_WRITABLE)
                    {
                        C_STICKY_OTHER_WRITABLE
                    } else if mode & 0o002 != 0 && col.is_colored(C_OTHER_WRITABLE) {
                        C_OTHER_WRITABLE
                    } else if mode & 0o1000 != 0 && col.is_colored(C_STICKY) {
                        C_STICKY
                    } else {
                        C_DIR
                    }
                }
                sys::S_IFLNK => C_LINK,
                sys::S_IFIFO => C_FIFO,
                sys::S_IFSOCK => C_SOCK,
                sys::S_IFBLK => C_BLK,
                sys::S_IFCHR => C_CHR,
                _ => C_ORPHAN,
            }
        };
        if k == C_FILE {
            for (ext, seq) in col.ext.iter().rev() {
                if ext.len() <= name.len()
                    && name[name.len() - ext.len()..].eq_ignore_ascii_case(ext)
                {
                    return seq.clone();
                }
            }
        }
        if k == C_LINK && linkok != 1 && (col.link_target || col.is_colored(C_ORPHAN)) {
            k = C_ORPHAN;
        }
        col.get(k).map(<[u8]>::to_vec)
    }

    /// Print a name (or a link's target) with its colour; returns the
    /// columns it took (bytes plus the alignment space).
    fn print_name(&mut self, e: &Ent, target: bool, start_col: usize) -> usize {
        let color = if self.c.color.is_some() {
            self.color_of(e, target)
        } else {
            None
        };
        let used = self.c.color.is_some() && (color.is_some() || self.colored(C_NORM));
        let name: &[u8] = if target {
            e.link.as_deref().map_or(&[][..], |l| &l.target)
        } else {
            &e.name
        };
        let mut buf = std::mem::take(&mut self.qbuf);
        let (in_buf, _, quoted) = self.render(name, self.name_extra(), &mut buf);
        let pad = self.c.align_quotes && self.some_quoted && !quoted;
        if pad && !target {
            self.out.byte(b' ');
        }
        if let Some(seq) = &color {
            if self.colored(C_NORM) {
                self.put_indicator(C_LEFT);
                self.put_indicator(C_RIGHT);
            }
            self.put_indicator(C_LEFT);
            self.put_seq(seq);
            self.put_indicator(C_RIGHT);
        }
        let shown: &[u8] = if in_buf { &buf } else { name };
        self.out.write(shown);
        let len = shown.len() + usize::from(pad);
        self.qbuf = buf;
        if used {
            self.prep_non_filename();
            let ll = self.c.line_length;
            if ll != 0 && len > 0 && start_col / ll != (start_col + len - 1) / ll {
                self.put_indicator(C_CLR_TO_EOL);
            }
        }
        len
    }

    /// The -F/-p character of an entry.
    fn type_indicator(&self, stat_ok: bool, mode: u32, ft: FType) -> Option<u8> {
        let ind = self.c.indicator;
        let is = |fmt: u32, t: FType| {
            if stat_ok {
                mode & sys::S_IFMT == fmt
            } else {
                ft == t
            }
        };
        if is(sys::S_IFREG, FType::Reg) {
            return (stat_ok && ind == Indicator::Classify && mode & 0o111 != 0).then_some(b'*');
        }
        let dir = if stat_ok {
            mode & sys::S_IFMT == sys::S_IFDIR
        } else {
            matches!(ft, FType::Dir | FType::ArgDir)
        };
        if dir {
            Some(b'/')
        } else if ind == Indicator::Slash {
            None
        } else if is(sys::S_IFLNK, FType::Lnk) {
            Some(b'@')
        } else if is(sys::S_IFIFO, FType::Fifo) {
            Some(b'|')
        } else if is(sys::S_IFSOCK, FType::Sock) {
            Some(b'=')
        } else {
            None
        }
    }

    fn entry_indicator(&self, e: &Ent) -> Option<u8> {
        if self.c.indicator == Indicator::None {
            return None;
        }
        self.type_indicator(e.stat_ok, e.st.mode, e.ftype)
    }

    // ------------------------------------------------------------ output

    fn block_str(&self, e: &Ent, out: &mut Vec<u8>) {
        if e.stat_ok {
            self.c.block_fmt.put(e.st.blocks, 512, out);
        } else {
            out.push(b'?');
        }
    }

    fn owner_name(&mut self, uid: u32) -> Option<&[u8]> {
        self.owners.get(uid, users::user_name)
    }

    fn group_name(&mut self, gid: u32) -> Option<&[u8]> {
        self.groups.get(gid, users::group_name)
    }

    fn owner_width(&mut self, uid: u32) -> usize {
        if self.c.numeric {
            return digits(u64::from(uid));
        }
        match self.owner_name(uid) {
            Some(n) => n.len(),
            None => digits(u64::from(uid)),
        }
    }

    fn group_width(&mut self, gid: u32) -> usize {
        if self.c.numeric {
            return digits(u64::from(gid));
        }
        match self.group_name(gid) {
            Some(n) => n.len(),
            None => digits(u64::from(gid)),
        }
    }

    fn compute_widths(&mut self, b: &Batch) {
        let mut w = Widths::default();
        let long = self.c.format == Format::Long;
        let mut tmp = Vec::new();
        for e in &b.ents {
            if !e.stat_ok {
                continue;
            }
            if self.c.inode {
                w.inode = w.inode.max(digits(e.st.ino));
            }
            if self.c.blocks {
                tmp.clear();
                self.c.block_fmt.put(e.st.blocks, 512, &mut tmp);
                w.blocks = w.blocks.max(tmp.len());
            }
            if self.c.context {
                w.context = w.context.max(1);
            }
            if long {
                w.nlink = w.nlink.max(digits(e.st.nlink));
                if self.c.owner || self.c.author {
                    let ow = self.owner_width(e.st.uid);
                    w.owner = w.owner.max(ow);
                    w.author = w.owner;
                }
                if self.c.group {
                    let gw = self.group_width(e.st.gid);
                    w.group = w.group.max(gw);
                }
                let k = e.st.mode & sys::S_IFMT;
                if k == sys::S_IFCHR || k == sys::S_IFBLK {
                    w.major = w.major.max(digits(u64::from(sys::major(e.st.rdev))));
                    w.minor = w.minor.max(digits(u64::from(sys::minor(e.st.rdev))));
                    w.size = w.size.max(w.major + 2 + w.minor);
                } else {
                    tmp.clear();
                    self.c.size_fmt.put(e.st.size, 1, &mut tmp);
                    w.size = w.size.max(tmp.len());
                }
            }
        }
        self.w = w;
    }

    /// Column widths and quoting alignment over everything gathered (GNU
    /// counts command-line directories too, before they become sections).
    fn prepare_batch(&mut self, b: &Batch) {
        self.compute_widths(b);
        self.some_quoted = false;
        if self.c.align_quotes {
            let extra = self.name_extra();
            let mut buf = std::mem::take(&mut self.qbuf);
            for e in &b.ents {
                let (_, _, q) = self.render(&e.name, extra, &mut buf);
                if q {
                    self.some_quoted = true;
                    break;
                }
            }
            self.qbuf = buf;
        }
    }

    fn print_batch(&mut self, list: &[&Ent]) {
        let eol = self.c.eol;
        match self.c.format {
            Format::One => {
                for e in list {
                    self.print_frills(e, 0, false);
                    self.out.byte(eol);
                }
            }
            Format::Long => {
                for e in list {
                    self.set_normal_color();
                    self.print_long(e);
                    self.out.byte(eol);
                }
            }
            Format::Commas => self.print_with_separator(list, b','),
            Format::Columns | Format::Across if self.c.line_length == 0 => {
                self.print_with_separator(list, b' ')
            }
            Format::Columns => self.print_columns(list, true),
            Format::Across => self.print_columns(list, false),
        }
    }

    /// Width of an entry as printed in columns: inode, blocks, name, indicator.
    fn frills_len(&mut self, e: &Ent) -> usize {
        let commas = self.c.format == Format::Commas;
        let mut len = 0;
        if self.c.inode {
            len += 1 + if commas {
                if e.stat_ok { digits(e.st.ino) } else { 1 }
            } else {
                self.w.inode
            };
        }
        if self.c.blocks {
            len += 1 + if commas {
                let mut t = Vec::new();
                self.block_str(e, &mut t);
                t.len()
            } else {
                self.w.blocks
            };
        }
        if self.c.context {
            len += 1 + if commas { 1 } else { self.w.context };
        }
        let (w, quoted) = self.name_width(&e.name);
        len += w + usize::from(self.c.align_quotes && self.some_quoted && !quoted);
        if self.entry_indicator(e).is_some() {
            len += 1;
        }
        len
    }

    fn print_frills(&mut self, e: &Ent, start_col: usize, commas: bool) -> usize {
        self.set_normal_color();
        let mut col = start_col;
        if self.c.inode {
            self.line.clear();
            if e.stat_ok {
                let mut d = [0u8; 20];
                self.line
                    .extend_from_slice(ibex::io::fmt_u64(e.st.ino, &mut d));
            } else {
                self.line.push(b'?');
            }
            let width = if commas { 0 } else { self.w.inode };
            col += self.write_right(width) + 1;
            self.out.byte(b' ');
        }
        if self.c.blocks {
            self.line.clear();
            let mut l = std::mem::take(&mut self.line);
            self.block_str(e, &mut l);
            self.line = l;
            let width = if commas { 0 } else { self.w.blocks };
            col += self.write_right(width) + 1;
            self.out.byte(b' ');
        }
        if self.c.context {
            self.line.clear();
            self.line.push(b'?');
            let width = if commas { 0 } else { self.w.context };
            col += self.write_right(width) + 1;
            self.out.byte(b' ');
        }
        let mut n = self.print_name(e, false, col);
        if let Some(ind) = self.entry_indicator(e) {
            self.out.byte(ind);
            n += 1;
        }
        col - start_col + n
    }

    /// Write `self.line` right-aligned in `width`; returns the columns used.
    fn write_right(&mut self, width: usize) -> usize {
        let len = self.line.len();
        for _ in len..width {
            self.out.byte(b' ');
        }
        self.out.write(&self.line);
        len.max(width)
    }

    fn indent(&mut self, mut from: usize, to: usize) {
        let tab = self.c.tabsize;
        while from < to {
            if tab != 0 && to / tab > (from + 1) / tab {
                self.out.byte(b'\t');
                from += tab - from % tab;
            } else {
                self.out.byte(b' ');
                from += 1;
            }
        }
    }

    fn print_with_separator(&mut self, list: &[&Ent], sep: u8) {
        let ll = self.c.line_length;
        let mut pos = 0usize;
        for (i, e) in list.iter().enumerate() {
            let len = if ll != 0 { self.frills_len(e) } else { 0 };
            if i != 0 {
                let fits = ll == 0 || pos.saturating_add(len).saturating_add(2) < ll;
                self.out.byte(sep);
                if fits {
                    pos += 2;
                    self.out.byte(b' ');
                } else {
                    pos = 0;
                    self.out.byte(self.c.eol);
                }
            }
            self.print_frills(e, pos, sep == b',');
            pos += len;
        }
        self.out.byte(self.c.eol);
    }

    fn print_columns(&mut self, list: &[&Ent], by_columns: bool) {
        let n = list.len();
        let lens: Vec<usize> = list.iter().map(|e| self.frills_len(e)).collect();
        let ll = self.c.line_length;
        let max_idx = (ll / 3 + usize::from(!ll.is_multiple_of(3))).max(1);
        let max_cols = if max_idx < n { max_idx } else { n };
        // The most columns that fit (GNU's rule: every column at least 3
        // wide, two spaces after all but the last, and a layout only
        // counts as too wide once some column had to grow).
        let mut widths = Vec::new();
        let mut cols = max_cols.max(1);
        while cols > 1 {
            if let Some(w) = column_widths(&lens, cols, by_columns, ll) {
                widths = w;
                break;
            }
            cols -= 1;
        }
        if cols == 1 {
            widths = vec![0];
        }
        let eol = self.c.eol;
        if by_columns {
            let rows = n.div_ceil(cols);
            for row in 0..rows {
                let mut col = 0;
                let mut f = row;
                let mut pos = 0;
                loop {
                    let e = list[f];
                    let w = widths.get(col).copied().unwrap_or(0);
                    col += 1;
                    self.print_frills(e, pos, false);
                    f += rows;
                    if f >= n {
                        break;
                    }
                    self.indent(pos + lens[f - rows], pos + w);
                    pos += w;
                }
                self.out.byte(eol);
            }
        } else {
            let mut pos = 0;
            for (f, e) in list.iter().enumerate() {
                let col = f % cols;
                if f > 0 {
                    if col == 0 {
                        self.out.byte(eol);
                        pos = 0;
                    } else {
                        let w = widths.get(col - 1).copied().unwrap_or(0);
                        self.indent(pos + lens[f - 1], pos + w);
                        pos += w;
                    }
                }
                self.print_frills(e, pos, false);
            }
            self.out.byte(eol);
        }
    }

    fn print_long(&mut self, e: &Ent) {
        let mut l = std::mem::take(&mut self.line);
        l.clear();
        let mut d = [0u8; 20];
        let pad_right = |l: &mut Vec<u8>, s: &[u8], w: usize| {
            l.extend(std::iter::repeat_n(b' ', w.saturating_sub(s.len())));
            l.extend_from_slice(s);
            l.push(b' ');
        };
        if self.c.inode {
            if e.stat_ok {
                pad_right(&mut l, ibex::io::fmt_u64(e.st.ino, &mut d), self.w.inode);
            } else {
                pad_right(&mut l, b"?", self.w.inode);
            }
        }
        let mut t = std::mem::take(&mut self.tmp);
        if self.c.blocks {
            t.clear();
            self.block_str(e, &mut t);
            pad_right(&mut l, &t, self.w.blocks);
        }
        if e.stat_ok {
            l.extend_from_slice(&mode::mode_string(e.st.mode));
        } else {
            l.push(match e.ftype {
                FType::Unknown => b'?',
                FType::Fifo => b'p',
                FType::Chr => b'c',
                FType::Dir | FType::ArgDir => b'd',
                FType::Blk => b'b',
                FType::Reg => b'-',
                FType::Lnk => b'l',
                FType::Sock => b's',
            });
            l.extend_from_slice(b"?????????");
        }
        l.push(b' ');
        if e.stat_ok {
            pad_right(&mut l, ibex::io::fmt_u64(e.st.nlink, &mut d), self.w.nlink);
        } else {
            pad_right(&mut l, b"?", self.w.nlink);
        }
        let user_col = |ls: &mut Ls, l: &mut Vec<u8>, id: u32, group: bool, w: usize| {
            if !e.stat_ok {
                l.push(b'?');
                l.extend(std::iter::repeat_n(b' ', w.saturating_sub(1)));
                l.push(b' ');
                return;
            }
            let name = if ls.c.numeric {
                None
            } else if group {
                ls.group_name(id)
            } else {
                ls.owner_name(id)
            };
            match name {
                Some(n) => {
                    l.extend_from_slice(n);
                    l.extend(std::iter::repeat_n(b' ', w.saturating_sub(n.len())));
                    l.push(b' ');
                }
                None => {
                    let mut d = [0u8; 20];
                    let s = ibex::io::fmt_u64(u64::from(id), &mut d);
                    l.extend(std::iter::repeat_n(b' ', w.saturating_sub(s.len())));
                    l.extend_from_slice(s);
                    l.push(b' ');
                }
            }
        };
        if self.c.owner {
            let w = self.w.owner;
            user_col(self, &mut l, e.st.uid, false, w);
        }
        if self.c.group {
            let w = self.w.group;
            user_col(self, &mut l, e.st.gid, true, w);
        }
        if self.c.author {
            let w = self.w.author;
            user_col(self, &mut l, e.st.uid, false, w);
        }
        if self.c.context {
            let w = self.w.context;
            l.push(b'?');
            l.extend(std::iter::repeat_n(b' ', w.saturating_sub(1)));
            l.push(b' ');
        }
        let k = e.st.mode & sys::S_IFMT;
        if e.stat_ok && (k == sys::S_IFCHR || k == sys::S_IFBLK) {
            let blanks = self.w.size.saturating_sub(self.w.major + 2 + self.w.minor);
            let maj = sys::major(e.st.rdev);
            let min = sys::minor(e.st.rdev);
            let s = ibex::io::fmt_u64(u64::from(maj), &mut d);
            l.extend(std::iter::repeat_n(
                b' ',
                (self.w.major + blanks).saturating_sub(s.len()),
            ));
            l.extend_from_slice(s);
            l.extend_from_slice(b", ");
            let s = ibex::io::fmt_u64(u64::from(min), &mut d);
            l.extend(std::iter::repeat_n(
                b' ',
                self.w.minor.saturating_sub(s.len()),
            ));
            l.extend_from_slice(s);
            l.push(b' ');
        } else {
            t.clear();
            if e.stat_ok {
                self.c.size_fmt.put(e.st.size, 1, &mut t);
            } else {
                t.push(b'?');
            }
            pad_right(&mut l, &t, self.w.size);
        }
        self.tmp = t;
        self.put_time(e, &mut l);
        l.push(b' ');
        self.out.write(&l);
        let start = l.len();
        self.line = l;
        let w = self.print_name(e, false, start);
        if e.ftype == FType::Lnk && e.stat_ok {
            if let Some(link) = e.link.as_deref() {
                self.out.write(b" -> ");
                self.print_name(e, true, start + w + 4);
                if self.c.indicator != Indicator::None
                    && let Some(ind) = self.type_indicator(true, link.mode, FType::Unknown)
                {
                    self.out.byte(ind);
                }
            }
        } else if let Some(ind) = self.entry_indicator(e) {
            self.out.byte(ind);
        }
    }

    /// The time column of a long listing.
    fn put_time(&mut self, e: &Ent, l: &mut Vec<u8>) {
        let t = self.time_of(e);
        let known = e.stat_ok && !(self.c.time == TimeKind::Birth && t == NO_TIME);
        if known && self.c.time_fmt.is_none() {
            // The default format from cached fields: files often share times.
            let fields = match self.last_time {
                Some((sec, f)) if sec == t.sec => Some(f),
                _ => time::local(t)
                    .filter(|tm| (0..=9999).contains(&tm.year))
                    .map(|tm| [tm.year as u32, tm.mon, tm.mday, tm.hour, tm.min]),
            };
            if let Some(f) = fields {
                self.last_time = Some((t.sec, f));
                let recent = self.is_recent(t);
                let [year, mon, mday, hour, min] = f;
                l.extend_from_slice(time::month_abbr(mon).as_bytes());
                l.push(b' ');
                if mday < 10 {
                    l.push(b' ');
                }
                let mut d = [0u8; 20];
                l.extend_from_slice(ibex::io::fmt_u64(u64::from(mday), &mut d));
                if recent {
                    l.push(b' ');
                    l.push(b'0' + (hour / 10) as u8);
                    l.push(b'0' + (hour % 10) as u8);
                    l.push(b':');
                    l.push(b'0' + (min / 10) as u8);
                    l.push(b'0' + (min % 10) as u8);
                } else {
                    l.extend_from_slice(b"  ");
                    let y = ibex::io::fmt_u64(u64::from(year), &mut d);
                    l.extend(std::iter::repeat_n(b' ', 4usize.saturating_sub(y.len())));
                    l.extend_from_slice(y);
                }
                return;
            }
        }
        let tm = if known { time::local(t) } else { None };
        let Some(tm) = tm else {
            let w = self.expected_time_width();
            let s: Vec<u8> = if e.stat_ok && !(self.c.time == TimeKind::Birth && t == NO_TIME) {
                let mut v = Vec::new();
                ibex::put::Put::i(&mut v, t.sec);
                v
            } else {
                b"?".to_vec()
            };
            l.extend(std::iter::repeat_n(b' ', w.saturating_sub(s.len())));
            l.extend_from_slice(&s);
            return;
        };
        let recent = self.is_recent(t);
        match &self.c.time_fmt {
            None => {
                let fmt: &[u8] = if recent { b"%b %e %H:%M" } else { b"%b %e  %Y" };
                time::strftime(fmt, &tm, l);
            }
            Some(f) => {
                let fmt = if recent { &f[1] } else { &f[0] };
                time::strftime(fmt, &tm, l);
            }
        }
    }

    /// GNU's rule: within the last six months (of a Gregorian year) and
    /// not in the future.
    fn is_recent(&mut self, t: Timespec) -> bool {
        if self.now < t {
            self.now = sys::now();
        }
        let six_months_ago = Timespec {
            sec: self.now.sec - 31_556_952 / 2,
            nsec: self.now.nsec,
        };
        six_months_ago < t && t < self.now
    }

    /// The width of the time column, for entries without a time.
    fn expected_time_width(&self) -> usize {
        let Some(tm) = time::local(Timespec { sec: 0, nsec: 0 }) else {
            return 0;
        };
        let mut v = Vec::new();
        let fmt: &[u8] = match &self.c.time_fmt {
            None => b"%b %e  %Y",
            Some(f) => &f[0],
        };
        time::strftime(fmt, &tm, &mut v);
        v.len()
    }
}

/// Column widths for `cols` columns, or None if they do not fit in `ll`.
fn column_widths(lens: &[usize], cols: usize, by_columns: bool, ll: usize) -> Option<Vec<usize>> {
    let rows = lens.len().div_ceil(cols);
    let mut widths = vec![3usize; cols];
    let mut line_len = cols * 3;
    for (f, &len) in lens.iter().enumerate() {
        let idx = if by_columns { f / rows } else { f % cols };
        let real = len + if idx + 1 == cols { 0 } else { 2 };
        let w = widths.get_mut(idx)?;
        if *w < real {
            line_len += real - *w;
            *w = real;
            if line_len >= ll {
                return None;
            }
        }
    }
    Some(widths)
}

fn emit_color(out: &mut Out, used: &mut bool, col: &Colors, seq: &[u8]) {
    if !*used {
        *used = true;
        match col.get(C_END) {
            Some(end) => out.write(end),
            None => {
                for k in [C_LEFT, C_RESET, C_RIGHT] {
                    if let Some(s) = col.get(k) {
                        out.write(s);
                    }
                }
            }
        }
    }
    out.write(seq);
}

/// `dir/name` as GNU builds names for messages (no `./` for `.`).
fn attach(dir: &[u8], name: &[u8]) -> Vec<u8> {
    if dir == b"." {
        return name.to_vec();
    }
    let mut v = Vec::with_capacity(dir.len() + 1 + name.len());
    v.extend_from_slice(dir);
    if !dir.is_empty() && !dir.ends_with(b"/") {
        v.push(b'/');
    }
    v.extend_from_slice(name);
    v
}

fn display_width(name: &[u8], style: QStyle, qmark: bool, extra: Extra) -> usize {
    let qmark = qmark && matches!(style, QStyle::Literal | QStyle::Shell | QStyle::ShellAlways);
    if style == QStyle::Literal {
        return if qmark {
            name.len()
        } else {
            name.iter().filter(|&&b| is_print(b)).count()
        };
    }
    let v = quote_vec(name, style, extra);
    if qmark {
        v.len()
    } else {
        v.iter().filter(|&&b| is_print(b)).count()
    }
}

// ---------------------------------------------------------------- versions

/// Length of `s` without its file suffix: the longest tail made of
/// groups of `.`, a letter or `~`, then letters, digits and `~`.
fn version_prefix_len(s: &[u8]) -> usize {
    let n = s.len();
    let mut i = 0;
    let mut run: Option<usize> = None;
    while i < n {
        if s[i] == b'.'
            && s.get(i + 1)
                .is_some_and(|&c| c.is_ascii_alphabetic() || c == b'~')
        {
            run.get_or_insert(i);
            i += 2;
            while i < n && (s[i].is_ascii_alphanumeric() || s[i] == b'~') {
                i += 1;
            }
        } else {
            run = None;
            i += 1;
        }
    }
    run.unwrap_or(n)
}

/// Sort weight of a non-digit byte in a version (end of string sorts
/// before everything but `~`).
fn ver_order(s: &[u8], pos: usize) -> i32 {
    match s.get(pos) {
        None => -1,
        Some(&c) if c.is_ascii_digit() => 0,
        Some(&c) if c.is_ascii_alphabetic() => i32::from(c),
        Some(b'~') => -2,
        Some(&c) => i32::from(c) + 256,
    }
}

/// Debian's version comparison over two byte strings.
fn verrevcmp(a: &[u8], b: &[u8]) -> i32 {
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        let mut first_diff = 0i32;
        while (i < a.len() && !a[i].is_ascii_digit()) || (j < b.len() && !b[j].is_ascii_digit()) {
            let (ac, bc) = (ver_order(a, i), ver_order(b, j));
            if ac != bc {
                return ac - bc;
            }
            i += 1;
            j += 1;
        }
        while i < a.len() && a[i] == b'0' {
            i += 1;
        }
        while j < b.len() && b[j] == b'0' {
            j += 1;
        }
        while i < a.len() && j < b.len() && a[i].is_ascii_digit() && b[j].is_ascii_digit() {
            if first_diff == 0 {
                first_diff = i32::from(a[i]) - i32::from(b[j]);
            }
            i += 1;
            j += 1;
        }
        if i < a.len() && a[i].is_ascii_digit() {
            return 1;
        }
        if j < b.len() && b[j].is_ascii_digit() {
            return -1;
        }
        if first_diff != 0 {
            return first_diff;
        }
    }
    0
}

/// GNU's version ordering of file names (`ls -v`, `sort -V`).
fn filevercmp(a: &[u8], b: &[u8]) -> std::cmp::Ordering {
    use std::cmp::Ordering::{Equal, Greater, Less};
    if a.is_empty() || b.is_empty() {
        return a.len().min(1).cmp(&b.len().min(1));
    }
    let rank = |s: &[u8]| match s {
        b"." => 0,
        b".." => 1,
        _ if s[0] == b'.' => 2,
        _ => 3,
    };
    let (ra, rb) = (rank(a), rank(b));
    if ra != rb || ra < 2 {
        return ra.cmp(&rb);
    }
    let (pa, pb) = (version_prefix_len(a), version_prefix_len(b));
    let one_pass = pa == a.len() && pb == b.len();
    let mut r = verrevcmp(&a[..pa], &b[..pb]);
    if r == 0 && !one_pass {
        r = verrevcmp(a, b);
    }
    match r {
        0 => Equal,
        x if x < 0 => Less,
        _ => Greater,
    }
}
