//! diff: compare files line by line, as GNU diff. Normal, context (`-c`,
//! `-C N`), unified (`-u`, `-U N`) and ed (`-e`) output, `-q` brief, `-s`
//! report identical files, `-r` recursive directory comparison ("Only in",
//! "Common subdirectories"), `-N` absent files as empty, `-a` text, `-b -w
//! -Z -E -i --strip-trailing-cr` comparison options, `-B` ignore changes of
//! blank lines, `-d` minimal, `-t` expand tabs, `-T` initial tab, `--label`,
//! `-x PAT`/`-X FILE` excludes, `--horizon-lines`, `-F RE`/`-p` function
//! lines in hunk headers, `--line-format`, `--old-line-format`,
//! `--new-line-format`, `--unchanged-line-format` (`%l %L %% %c'C'`).
//! Special files met by `-r` are skipped, never opened. Binary files (a NUL in
//! the first 4 KiB) are reported as differing. The matching is the
//! algorithm GNU diff uses (see ibex::difflib), so hunks come out the same.
//! Not supported: `-y` side by side, `-D` ifdef output, `-n` RCS, `-I RE`,
//! `--color`, group formats, `%` conversions other than the above.

use ibex::Status;
use ibex::args::{Parser, Spec, flag, optional, value};
use ibex::difflib::{self, Change};
use ibex::io::Out;
use ibex::sys::{self, Stat, Timespec};
use std::collections::HashMap;
use std::ffi::{OsStr, OsString};
use std::hash::{BuildHasherDefault, Hasher};
use std::os::unix::ffi::OsStrExt;

const NORMAL: u32 = 256;
const LABEL: u32 = 257;
const STRIP_CR: u32 = 258;
const HORIZON: u32 = 259;
const SPEED: u32 = 260;
const NO_DEREF: u32 = 261;
const UNIDIRECTIONAL: u32 = 262;
const COLOR: u32 = 263;
const CONTEXT: u32 = 264;
const UNIFIED: u32 = 265;
const DIGITS: u32 = 266;
const LINE_FMT: u32 = 267;
const UNCHANGED_FMT: u32 = 268;
const OLD_FMT: u32 = 269;
const NEW_FMT: u32 = 270;

const LONGS: &[ibex::args::Long] = &[
    flag("normal", NORMAL),
    optional("context", CONTEXT),
    optional("unified", UNIFIED),
    flag("ed", 'e' as u32),
    flag("brief", 'q' as u32),
    flag("report-identical-files", 's' as u32),
    flag("recursive", 'r' as u32),
    flag("new-file", 'N' as u32),
    flag("unidirectional-new-file", UNIDIRECTIONAL),
    flag("text", 'a' as u32),
    flag("ignore-case", 'i' as u32),
    flag("ignore-tab-expansion", 'E' as u32),
    flag("ignore-trailing-space", 'Z' as u32),
    flag("ignore-space-change", 'b' as u32),
    flag("ignore-all-space", 'w' as u32),
    flag("ignore-blank-lines", 'B' as u32),
    flag("strip-trailing-cr", STRIP_CR),
    flag("minimal", 'd' as u32),
    flag("expand-tabs", 't' as u32),
    flag("initial-tab", 'T' as u32),
    value("label", LABEL),
    value("exclude", 'x' as u32),
    value("exclude-from", 'X' as u32),
    value("horizon-lines", HORIZON),
    flag("speed-large-files", SPEED),
    flag("no-dereference", NO_DEREF),
    optional("color", COLOR),
    value("line-format", LINE_FMT),
    value("unchanged-line-format", UNCHANGED_FMT),
    value("old-line-format", OLD_FMT),
    value("new-line-format", NEW_FMT),
    value("show-function-line", 'F' as u32),
    flag("show-c-function", 'p' as u32),
];

const SPEC: Spec = Spec::new(
    "abBcC:dEeF:iL:NpqrsTtuU:wx:X:Z",
    LONGS,
    ibex::usage!(
        diff,
        "diff [-abBcdEeiNqrsTtuwZ] [-C N|-U N] [-L LABEL] [-x PAT] [-X FILE] FILE1 FILE2\n\n\
         Compare files line by line (directories: the files in them).\n\n\
         \t-u, -U N\tUnified format, N (3) lines of context (--unified)\n\
         \t-c, -C N\tContext format, N (3) lines of context (--context)\n\
         \t-e\tEd script (--ed)\n\
         \t-q\tOnly say whether files differ (--brief)\n\
         \t-s\tSay when files are identical (--report-identical-files)\n\
         \t-r\tCompare directories recursively (--recursive)\n\
         \t-N\tAbsent files are empty (--new-file)\n\
         \t-a\tTreat all files as text (--text)\n\
         \t-i\tIgnore case (--ignore-case)\n\
         \t-b\tIgnore changes in the amount of white space (--ignore-space-change)\n\
         \t-w\tIgnore all white space (--ignore-all-space)\n\
         \t-Z\tIgnore white space at line end (--ignore-trailing-space)\n\
         \t-E\tIgnore changes due to tab expansion (--ignore-tab-expansion)\n\
         \t-B\tIgnore changes whose lines are all blank (--ignore-blank-lines)\n\
         \t--strip-trailing-cr\tIgnore a carriage return at line end\n\
         \t-d\tFind a minimal set of changes (--minimal)\n\
         \t-t\tExpand tabs in output (--expand-tabs)\n\
         \t-T\tStart lines with a tab (--initial-tab)\n\
         \t-L LABEL\tUse LABEL instead of a file name and time (--label)\n\
         \t-x PAT\tSkip files matching PAT (--exclude)\n\
         \t-X FILE\tSkip files matching a pattern in FILE (--exclude-from)"
    ),
)
.status(2)
.digits(DIGITS);

#[derive(Clone, Copy, PartialEq, Eq)]
enum Format {
    Normal,
    Context,
    Unified,
    Ed,
    /// --LTYPE-line-format: each line through its format.
    Lines,
}

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Space {
    None,
    TabExpansion,
    Trailing,
    Change,
    All,
}

struct Opts {
    format: Format,
    context: usize,
    context_given: Option<usize>,
    brief: bool,
    identical: bool,
    recursive: bool,
    new_file: bool,
    unidirectional: bool,
    text: bool,
    ignore_case: bool,
    space: Space,
    blank: bool,
    strip_cr: bool,
    minimal: bool,
    expand_tabs: bool,
    initial_tab: bool,
    labels: Vec<Vec<u8>>,
    excludes: Vec<Vec<u8>>,
    horizon: usize,
    /// The options as given, for `diff -r a/x b/x` headers.
    switches: Vec<u8>,
    /// Line formats: unchanged, old, new.
    line_formats: [Vec<u8>; 3],
    /// -F RE / -p: show the last matching line before each hunk.
    function: Option<ibex::regex::Regex>,
}

/// A fast hash for line keys (FNV-1a over 8-byte words).
#[derive(Default)]
struct LineHasher(u64);

impl Hasher for LineHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut h = self.0 ^ 0xcbf2_9ce4_8422_2325;
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            h = (h ^ u64::from_le_bytes(w)).wrapping_mul(0x0100_0000_01b3);
            h ^= h >> 29;
        }
        for &b in chunks.remainder() {
            h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

type Map<K> = HashMap<K, u32, BuildHasherDefault<LineHasher>>;

pub fn main(argv: &[OsString]) -> Status {
    let mut p = Parser::new(argv, &SPEC);
    let mut o = Opts {
        format: Format::Normal,
        context: 3,
        context_given: None,
        brief: false,
        identical: false,
        recursive: false,
        new_file: false,
        unidirectional: false,
        text: false,
        ignore_case: false,
        space: Space::None,
        blank: false,
        strip_cr: false,
        minimal: false,
        expand_tabs: false,
        initial_tab: false,
        labels: Vec::new(),
        excludes: Vec::new(),
        horizon: 0,
        switches: Vec::new(),
        line_formats: [b"%L".to_vec(), b"%L".to_vec(), b"%L".to_vec()],
        function: None,
    };
    let bad_context =
        |v: &[u8]| ibex::args::usage_error(&SPEC, &[b"invalid context length '", v, b"'"]);
    let context_value = |v: &[u8]| -> Result<usize, ibex::Exit> {
        ibex::num::parse_u64(v)
            .ok()
            .and_then(|n| usize::try_from(n).ok())
            .ok_or_else(|| bad_context(v))
    };
    let set_format = |o: &mut Opts, f: Format| -> Result<(), ibex::Exit> {
        if o.format != Format::Normal && o.format != f {
            return Err(ibex::args::usage_error(
                &SPEC,
                &[b"conflicting output style options"],
            ));
        }
        o.format = f;
        Ok(())
    };
    let mut c_function = false;
    while let Some((id, val)) = p.next()? {
        let v = val.map(OsStr::as_bytes).unwrap_or_default();
        match id {
            NORMAL => o.format = Format::Normal,
            LABEL => o.labels.push(v.to_vec()),
            STRIP_CR => o.strip_cr = true,
            HORIZON => o.horizon = context_value(v)?,
            SPEED | NO_DEREF | COLOR => {}
            UNIDIRECTIONAL => o.unidirectional = true,
            LINE_FMT..=NEW_FMT => {
                if o.format != Format::Lines {
                    set_format(&mut o, Format::Lines)?;
                }
                for k in 0..3 {
                    if id == LINE_FMT || id == UNCHANGED_FMT + k as u32 {
                        o.line_formats[k] = v.to_vec();
                    }
                }
            }
            CONTEXT | UNIFIED => {
                let f = if id == CONTEXT {
                    Format::Context
                } else {
                    Format::Unified
                };
                set_format(&mut o, f)?;
                if val.is_some() {
                    o.context_given = Some(context_value(v)?);
                }
            }
            DIGITS => o.context_given = Some(context_value(v)?),
            _ => match char::from_u32(id).unwrap_or(' ') {
                'a' => o.text = true,
                'b' => o.space = o.space.max(Space::Change),
                'B' => o.blank = true,
                'c' => set_format(&mut o, Format::Context)?,
                'C' => {
                    set_format(&mut o, Format::Context)?;
                    o.context_given = Some(context_value(v)?);
                }
                'u' => set_format(&mut o, Format::Unified)?,
                'U' => {
                    set_format(&mut o, Format::Unified)?;
                    o.context_given = Some(context_value(v)?);
                }
                'd' => o.minimal = true,
                'F' | 'p' => {
                    c_function |= id == 'p' as u32;
                    let re: &[u8] = if id == 'p' as u32 {
                        b"^[[:alpha:]$_]"
                    } else {
                        v
                    };
                    match ibex::regex::Regex::new(re, ibex::regex::Flags::default()) {
                        Ok(r) => o.function = Some(r),
                        Err(e) => {
                            ibex::msg!(e.message());
                            return Err(ibex::Exit(2));
                        }
                    }
                }
                'E' => o.space = o.space.max(Space::TabExpansion),
                'e' => set_format(&mut o, Format::Ed)?,
                'i' => o.ignore_case = true,
                'L' => o.labels.push(v.to_vec()),
                'N' => o.new_file = true,
                'q' => o.brief = true,
                'r' => o.recursive = true,
                's' => o.identical = true,
                'T' => o.initial_tab = true,
                't' => o.expand_tabs = true,
                'w' => o.space = Space::All,
                'x' => o.excludes.push(v.to_vec()),
                'X' => match ibex::io::read_file(v) {
                    Ok(data) => {
                        for l in data.split(|&b| b == b'\n').filter(|l| !l.is_empty()) {
                            o.excludes.push(l.to_vec());
                        }
                    }
                    Err(e) => {
                        ibex::error::io_error(v, &e);
                        return Err(ibex::Exit(2));
                    }
                },
                'Z' => o.space = o.space.max(Space::Trailing),
                _ => {}
            },
        }
    }
    if o.labels.len() > 2 {
        ibex::msg!("too many file label options");
        return Err(ibex::Exit(2));
    }
    // -p alone asks for a context diff, as GNU.
    if c_function && o.format == Format::Normal {
        o.format = Format::Context;
    }
    if let Some(c) = o.context_given {
        o.context = c;
    }
    if matches!(o.format, Format::Normal | Format::Ed) {
        o.context = 0;
    }
    o.horizon = o.horizon.max(o.context);
    let ops = p.operands();
    // The options as typed, for the headers of files in directories.
    let mut is_operand = vec![false; argv.len()];
    {
        let mut k = 0;
        for (i, a) in argv.iter().enumerate().skip(1) {
            if k < ops.len() && a.as_os_str() == ops[k] {
                is_operand[i] = true;
                k += 1;
            }
        }
    }
    for (i, a) in argv.iter().enumerate().skip(1) {
        if !is_operand[i] && a.as_bytes() != b"--" {
            o.switches.push(b' ');
            o.switches
                .extend_from_slice(&ibex::dump::quotef(a.as_bytes()));
        }
    }
    match ops.len() {
        0 => {
            return Err(ibex::args::usage_error(
                &SPEC,
                &[b"missing operand after 'diff'"],
            ));
        }
        1 => {
            return Err(ibex::args::usage_error(
                &SPEC,
                &[b"missing operand after '", ops[0].as_bytes(), b"'"],
            ));
        }
        2 => {}
        _ => {
            return Err(ibex::args::usage_error(
                &SPEC,
                &[b"extra operand '", ops[2].as_bytes(), b"'"],
            ));
        }
    }
    let mut d = Diff {
        o,
        out: Out::stdout(),
        scanned: (0, None),
    };
    let status = d.top(ops[0].as_bytes(), ops[1].as_bytes());
    // Trouble writing is trouble: status 2.
    let failed = d.out.failed() || !d.out.flush();
    let status = d.out.finish(status);
    Ok(if failed { 2 } else { status })
}

/// One side of a comparison: its name, contents and time.
struct Side {
    name: Vec<u8>,
    data: Vec<u8>,
    mtime: Timespec,
}

fn stat_of(name: &[u8]) -> std::io::Result<Stat> {
    if name == b"-" {
        sys::fstat(0)
    } else {
        sys::stat(name)
    }
}

fn kind_name(st: &Stat) -> &'static str {
    match st.kind() {
        sys::S_IFDIR => "directory",
        sys::S_IFREG if st.size == 0 => "regular empty file",
        sys::S_IFREG => "regular file",
        sys::S_IFLNK => "symbolic link",
        sys::S_IFIFO => "fifo",
        sys::S_IFCHR => "character special file",
        sys::S_IFBLK => "block special file",
        sys::S_IFSOCK => "socket",
        _ => "weird file",
    }
}

fn join(dir: &[u8], name: &[u8]) -> Vec<u8> {
    let mut p = dir.to_vec();
    if !p.ends_with(b"/") {
        p.push(b'/');
    }
    p.extend_from_slice(name);
    p
}

fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
}

struct Diff {
    o: Opts,
    out: Out,
    /// -F: lines of the first file scanned so far, and the last match.
    scanned: (usize, Option<usize>),
}

/// A directory being compared: its entries (name, in first, in second)
/// and how far the comparison got.
struct Frame {
    d0: Vec<u8>,
    d1: Vec<u8>,
    entries: Vec<(Vec<u8>, bool, bool)>,
    next: usize,
}

impl Diff {
    fn top(&mut self, a: &[u8], b: &[u8]) -> i32 {
        let st0 = stat_of(a);
        let st1 = stat_of(b);
        let dir0 = st0.as_ref().is_ok_and(Stat::is_dir);
        let dir1 = st1.as_ref().is_ok_and(Stat::is_dir);
        if dir0 && dir1 {
            if a == b"-" || b == b"-" {
                ibex::msg!("cannot compare '-' to a directory");
                return 2;
            }
            return self.dirs(a, b);
        }
        if dir0 != dir1 {
            let (dir, file) = if dir0 { (a, b) } else { (b, a) };
            if file == b"-" || dir == b"-" {
                ibex::msg!("cannot compare '-' to a directory");
                return 2;
            }
            let inside = join(dir, ibex::path::basename(file));
            return if dir0 {
                self.files(&inside, b, false)
            } else {
                self.files(a, &inside, false)
            };
        }
        self.files(a, b, false)
    }

    fn excluded(&self, name: &[u8]) -> bool {
        self.o
            .excludes
            .iter()
            .any(|p| ibex::fnmatch::fnmatch(p, name, ibex::fnmatch::Flags::default()))
    }

    fn list(&self, dir: &[u8]) -> Result<Vec<Vec<u8>>, std::io::Error> {
        let fd = sys::open(dir, sys::O_RDONLY | libc::O_DIRECTORY, 0)?;
        let mut ents = Vec::new();
        sys::read_dir(std::os::fd::AsRawFd::as_raw_fd(&fd), &mut ents)?;
        let mut names: Vec<Vec<u8>> = ents
            .into_iter()
            .map(|e| e.name.into_vec())
            .filter(|n| !self.excluded(n))
            .collect();
        ibex::order::sort(&mut names);
        Ok(names)
    }

    /// Compare two directories, depth first in name order, on an
    /// explicit stack.
    fn dirs(&mut self, a: &[u8], b: &[u8]) -> i32 {
        let mut status = 0;
        let mut stack: Vec<Frame> = Vec::new();
        match self.frame(a, b, true, true) {
            Ok(f) => stack.push(f),
            Err(s) => return s,
        }
        let mut ancestors: Vec<(u64, u64)> = Vec::new();
        while let Some(top) = stack.last_mut() {
            let Some((name, in0, in1)) = top.entries.get(top.next).cloned() else {
                stack.pop();
                ancestors.pop();
                continue;
            };
            top.next += 1;
            let p0 = join(&top.d0, &name);
            let p1 = join(&top.d1, &name);
            let (d0, d1) = (top.d0.clone(), top.d1.clone());
            if !(in0 && in1) {
                let absent_ok = self.o.new_file || (self.o.unidirectional && !in0);
                if !absent_ok {
                    let dir = if in0 { &d0 } else { &d1 };
                    self.out.str("Only in ");
                    self.out.write(dir);
                    self.out.str(": ");
                    self.out.write(&name);
                    self.out.byte(b'\n');
                    status = status.max(1);
                    continue;
                }
            }
            let st0 = if in0 {
                sys::stat(&p0)
            } else {
                Err(std::io::Error::from_raw_os_error(libc::ENOENT))
            };
            let st1 = if in1 {
                sys::stat(&p1)
            } else {
                Err(std::io::Error::from_raw_os_error(libc::ENOENT))
            };
            let (st0, st1) = match (st0, st1, in0, in1) {
                (Err(e), _, true, _) => {
                    ibex::error::io_error(&p0, &e);
                    status = 2;
                    continue;
                }
                (_, Err(e), _, true) => {
                    ibex::error::io_error(&p1, &e);
                    status = 2;
                    continue;
                }
                (s0, s1, _, _) => (s0.ok(), s1.ok()),
            };
            let isdir0 = st0.as_ref().is_some_and(Stat::is_dir);
            let isdir1 = st1.as_ref().is_some_and(Stat::is_dir);
            let (sd0, sd1) = (st0.is_none() && isdir1, st1.is_none() && isdir0);
            if (isdir0 || sd0) && (isdir1 || sd1) {
                if !self.o.recursive {
                    self.out.str("Common subdirectories: ");
                    self.out.write(&p0);
                    self.out.str(" and ");
                    self.out.write(&p1);
                    self.out.byte(b'\n');
                    continue;
                }
                let id = st0.as_ref().or(st1.as_ref()).map(|s| (s.dev, s.ino));
                if let Some(id) = id
                    && ancestors.contains(&id)
                {
                    ibex::msg!(&p0, ": recursive directory loop");
                    status = 2;
                    continue;
                }
                match self.frame(&p0, &p1, in0, in1) {
                    Ok(f) => {
                        ancestors.push(id.unwrap_or((0, 0)));
                        stack.push(f);
                    }
                    Err(s) => status = status.max(s),
                }
                continue;
            }
            // A special file (fifo, device, socket) is never opened: that
            // could block or consume data. BusyBox's wording beside a
            // directory, GNU's otherwise.
            let special =
                |st: &Option<Stat>| st.as_ref().is_some_and(|s| !s.is_dir() && !s.is_reg());
            if (isdir0 && special(&st1)) || (isdir1 && special(&st0)) {
                self.out.str("Only in ");
                self.out.write(if isdir0 { &d1 } else { &d0 });
                self.out.str(": ");
                self.out.write(&name);
                self.out.byte(b'\n');
                status = status.max(1);
                continue;
            }
            if special(&st0) || special(&st1) {
                for (st, p) in [(&st0, &p0), (&st1, &p1)] {
                    if special(st) {
                        self.out.str("File ");
                        self.out.write(p);
                        self.out
                            .str(" is not a regular file or directory and was skipped\n");
                    }
                }
                status = status.max(1);
                continue;
            }
            if isdir0 != isdir1 && st0.is_some() && st1.is_some() {
                let (k0, k1) = match (&st0, &st1) {
                    (Some(s0), Some(s1)) => (kind_name(s0), kind_name(s1)),
                    _ => ("", ""),
                };
                self.out.str("File ");
                self.out.write(&p0);
                self.out.str(" is a ");
                self.out.str(k0);
                self.out.str(" while file ");
                self.out.write(&p1);
                self.out.str(" is a ");
                self.out.str(k1);
                self.out.byte(b'\n');
                status = status.max(1);
                continue;
            }
            let s = self.files(&p0, &p1, true);
            status = status.max(s);
        }
        status
    }

    fn frame(&mut self, d0: &[u8], d1: &[u8], in0: bool, in1: bool) -> Result<Frame, i32> {
        let read = |this: &Self, d: &[u8], present: bool| -> Result<Vec<Vec<u8>>, i32> {
            if !present {
                return Ok(Vec::new());
            }
            this.list(d).map_err(|e| {
                ibex::error::io_error(d, &e);
                2
            })
        };
        let n0 = read(self, d0, in0)?;
        let n1 = read(self, d1, in1)?;
        let mut entries = Vec::with_capacity(n0.len().max(n1.len()));
        let (mut i, mut j) = (0, 0);
        while i < n0.len() || j < n1.len() {
            match (n0.get(i), n1.get(j)) {
                (Some(x), Some(y)) if x == y => {
                    entries.push((x.clone(), true, true));
                    i += 1;
                    j += 1;
                }
                (Some(x), Some(y)) if x < y => {
                    entries.push((x.clone(), true, false));
                    i += 1;
                }
                (Some(x), None) => {
                    entries.push((x.clone(), true, false));
                    i += 1;
                }
                (_, Some(y)) => {
                    entries.push((y.clone(), false, true));
                    j += 1;
                }
                (None, None) => break,
            }
        }
        Ok(Frame {
            d0: d0.to_vec(),
            d1: d1.to_vec(),
            entries,
            next: 0,
        })
    }

    /// Open one side and read its first 4 KiB (enough to tell binary
    /// files); the rest is read by `rest` or compared by `stream_equal`.
    fn open_side(&self, name: &[u8], absent: bool) -> Result<Opened, ()> {
        if absent {
            return Ok(Opened {
                fd: None,
                raw: -1,
                size: Some(0),
                side: Side {
                    name: name.to_vec(),
                    data: Vec::new(),
                    mtime: Timespec::default(),
                },
                eof: true,
            });
        }
        let opened = if name == b"-" {
            Ok(None)
        } else {
            sys::open(name, sys::O_RDONLY, 0).map(Some)
        };
        let res = opened.and_then(|fd| {
            let raw = fd.as_ref().map_or(0, std::os::fd::AsRawFd::as_raw_fd);
            let st = sys::fstat(raw)?;
            let mut o = Opened {
                fd,
                raw,
                size: st.is_reg().then_some(st.size),
                side: Side {
                    name: name.to_vec(),
                    data: Vec::new(),
                    mtime: if st.is_reg() { st.mtime } else { sys::now() },
                },
                eof: false,
            };
            o.top_up(4096)?;
            Ok(o)
        });
        res.map_err(|e| ibex::error::io_error(name, &e))
    }

    fn identical(&mut self, a: &[u8], b: &[u8]) -> i32 {
        if self.o.identical {
            self.out.str("Files ");
            self.out.write(a);
            self.out.str(" and ");
            self.out.write(b);
            self.out.str(" are identical\n");
        }
        0
    }

    /// Compare two files; `in_dir` adds the `diff ...` header line to
    /// normal and ed output.
    fn files(&mut self, a: &[u8], b: &[u8], in_dir: bool) -> i32 {
        let absent = |name: &[u8]| name != b"-" && sys::stat(name).is_err();
        let (ab0, ab1) = (absent(a), absent(b));
        let new0 = ab0 && (self.o.new_file || self.o.unidirectional) && !ab1;
        let new1 = ab1 && self.o.new_file && !ab0;
        let same = match (stat_of(a), stat_of(b)) {
            (Ok(x), Ok(y)) => !new0 && !new1 && x.same_file(&y),
            _ => false,
        };
        let (new0, new1) = (new0 || same, new1 || same);
        let r0 = self.open_side(a, new0);
        let r1 = self.open_side(b, new1);
        let (Ok(mut o0), Ok(mut o1)) = (r0, r1) else {
            return 2;
        };
        let binary = |d: &[u8]| memchr::memchr(0, &d[..d.len().min(4096)]).is_some();
        if !same && !self.o.text && (binary(&o0.side.data) || binary(&o1.side.data)) {
            // Binary files are only compared for equality, as a stream.
            match stream_equal(&mut o0, &mut o1) {
                Ok(true) => return self.identical(a, b),
                Ok(false) => {}
                Err((k, e)) => {
                    ibex::error::io_error(if k == 0 { a } else { b }, &e);
                    return 2;
                }
            }
            self.out.str(if self.o.brief {
                "Files "
            } else {
                "Binary files "
            });
            self.out.write(a);
            self.out.str(" and ");
            self.out.write(b);
            self.out.str(" differ\n");
            return 1;
        }
        for (o, name) in [(&mut o0, a), (&mut o1, b)] {
            if let Err(e) = o.rest() {
                ibex::error::io_error(name, &e);
                return 2;
            }
        }
        let (mut s0, mut s1) = (o0.side, o1.side);
        if same || s0.data == s1.data {
            return self.identical(a, b);
        }
        // An ed script cannot express a missing newline: warn, and
        // compare as if it were there.
        let mut trouble = false;
        if self.o.format == Format::Ed && !self.o.brief {
            for s in [&mut s0, &mut s1] {
                if s.data.last().is_some_and(|&c| c != b'\n') {
                    self.out.flush();
                    ibex::msg!(&s.name, ": No newline at end of file\n");
                    s.data.push(b'\n');
                    trouble = true;
                }
            }
            if s0.data == s1.data {
                return 2;
            }
        }
        let l0 = split_lines(&s0.data);
        let l1 = split_lines(&s1.data);
        let (c0, c1) = self.classes(&s0.data, &l0, &s1.data, &l1);
        let ends = raw_ends(&s0.data, &l0, &s1.data, &l1);
        let changes = difflib::diff(
            &c0,
            &c1,
            difflib::Options {
                minimal: self.o.minimal,
                horizon: self.o.horizon,
                ends: Some(ends),
            },
        );
        let f0 = File {
            data: &s0.data,
            lines: &l0,
        };
        let f1 = File {
            data: &s1.data,
            lines: &l1,
        };
        let ignore: Vec<bool> = changes
            .iter()
            .map(|c| self.o.blank && self.trivial(&f0, &f1, std::slice::from_ref(c)))
            .collect();
        if ignore.iter().all(|&i| i) {
            if self.o.identical && changes.is_empty() {
                self.out.str("Files ");
                self.out.write(a);
                self.out.str(" and ");
                self.out.write(b);
                self.out.str(" are identical\n");
            }
            return 0;
        }
        if self.o.brief {
            self.out.str("Files ");
            self.out.write(a);
            self.out.str(" and ");
            self.out.write(b);
            self.out.str(" differ\n");
            return 1;
        }
        // The `diff -r a/x b/x` line names the files of a normal or ed
        // diff; unified and context diffs name them in their own header
        // (and BusyBox and toybox print no such line).
        if in_dir && matches!(self.o.format, Format::Normal | Format::Ed) {
            self.out.str("diff");
            self.out.write(&self.o.switches);
            self.out.byte(b' ');
            self.out.write(a);
            self.out.byte(b' ');
            self.out.write(b);
            self.out.byte(b'\n');
        }
        self.scanned = (0, None);
        match self.o.format {
            Format::Lines => self.line_formats(&f0, &f1, &changes),
            Format::Normal => self.normal(&f0, &f1, &changes, &ignore),
            Format::Ed => self.ed(&f0, &f1, &changes, &ignore),
            Format::Context | Format::Unified => {
                self.header(&s0, &s1);
                self.context(&f0, &f1, &changes, &ignore);
            }
        }
        if trouble { 2 } else { 1 }
    }

    /// Equivalence classes of the lines of both files under the
    /// comparison options.
    fn classes(
        &self,
        d0: &[u8],
        l0: &[(usize, usize)],
        d1: &[u8],
        l1: &[(usize, usize)],
    ) -> (Vec<u32>, Vec<u32>) {
        let plain = !self.o.ignore_case && self.o.space == Space::None && !self.o.strip_cr;
        if plain {
            let mut map: Map<&[u8]> = Map::default();
            let mut out = [Vec::with_capacity(l0.len()), Vec::with_capacity(l1.len())];
            for (k, (d, l)) in [(d0, l0), (d1, l1)].into_iter().enumerate() {
                for &(s, e) in l {
                    let n = map.len() as u32;
                    out[k].push(*map.entry(&d[s..e]).or_insert(n));
                }
            }
            let [a, b] = out;
            return (a, b);
        }
        let mut map: Map<Vec<u8>> = Map::default();
        let mut out = [Vec::with_capacity(l0.len()), Vec::with_capacity(l1.len())];
        let mut key = Vec::new();
        for (k, (d, l)) in [(d0, l0), (d1, l1)].into_iter().enumerate() {
            for &(s, e) in l {
                self.normalize(&d[s..e], &mut key);
                let n = map.len() as u32;
                let c = match map.get(&key) {
                    Some(&c) => c,
                    None => {
                        map.insert(key.clone(), n);
                        n
                    }
                };
                out[k].push(c);
            }
        }
        let [a, b] = out;
        (a, b)
    }

    /// The comparison key of a line.
    fn normalize(&self, line: &[u8], key: &mut Vec<u8>) {
        key.clear();
        let (body, nl) = match line.strip_suffix(b"\n") {
            Some(b) => (b, true),
            None => (line, false),
        };
        let body = if self.o.strip_cr {
            body.strip_suffix(b"\r").unwrap_or(body)
        } else {
            body
        };
        let lower = |c: u8| {
            if self.o.ignore_case {
                c.to_ascii_lowercase()
            } else {
                c
            }
        };
        match self.o.space {
            Space::All => key.extend(body.iter().filter(|&&c| !is_space(c)).map(|&c| lower(c))),
            Space::Change => {
                let mut pending = false;
                for &c in body {
                    if is_space(c) {
                        pending = true;
                    } else {
                        if pending {
                            key.push(b' ');
                        }
                        pending = false;
                        key.push(lower(c));
                    }
                }
            }
            Space::Trailing | Space::TabExpansion | Space::None => {
                let mut col = 0usize;
                for &c in body {
                    if c == b'\t' && self.o.space == Space::TabExpansion {
                        let n = 8 - col % 8;
                        key.extend(std::iter::repeat_n(b' ', n));
                        col += n;
                    } else {
                        key.push(lower(c));
                        col += 1;
                    }
                }
                if self.o.space == Space::Trailing {
                    while key.last().is_some_and(|&c| is_space(c)) {
                        key.pop();
                    }
                }
            }
        }
        // Without white-space options, a last line lacking its newline
        // only matches another such line.
        if self.o.space < Space::Trailing && nl {
            key.push(b'\n');
        } else if self.o.space < Space::Trailing {
            key.push(0);
            key.push(b'\n');
        }
    }

    /// Whether all lines of these changes are blank (`-B`).
    fn trivial(&self, f0: &File, f1: &File, changes: &[Change]) -> bool {
        let skip_ws = self.o.space >= Space::Trailing;
        let blank = |line: &[u8]| {
            let body = line.strip_suffix(b"\n").unwrap_or(line);
            if skip_ws {
                body.iter().all(|&c| is_space(c))
            } else {
                body.is_empty()
            }
        };
        changes.iter().all(|c| {
            (c.line0..c.line0 + c.deleted).all(|i| blank(f0.line(i)))
                && (c.line1..c.line1 + c.inserted).all(|j| blank(f1.line(j)))
        })
    }

    fn header(&mut self, s0: &Side, s1: &Side) {
        let (m0, m1): (&[u8], &[u8]) = if self.o.format == Format::Unified {
            (b"--- ", b"+++ ")
        } else {
            (b"*** ", b"--- ")
        };
        for (k, (mark, s)) in [(m0, s0), (m1, s1)].into_iter().enumerate() {
            self.out.write(mark);
            if let Some(l) = self.o.labels.get(k) {
                self.out.write(l);
            } else {
                self.out.write(&s.name);
                self.out.byte(b'\t');
                // POSIX's format for context diffs in the C locale.
                let fmt: &[u8] = if self.o.format == Format::Unified {
                    b"%Y-%m-%d %H:%M:%S.%N %z"
                } else {
                    b"%a %b %e %H:%M:%S %Y"
                };
                let t = ibex::time::format_local(fmt, s.mtime);
                self.out.write(&t);
            }
            self.out.byte(b'\n');
        }
    }

    /// Write one line with its mark, and the note for a missing newline.
    fn line(&mut self, mark: &[u8], line: &[u8]) {
        self.out.write(mark);
        let (body, nl) = match line.strip_suffix(b"\n") {
            Some(b) => (b, true),
            None => (line, false),
        };
        if self.o.expand_tabs && memchr::memchr(b'\t', body).is_some() {
            let mut col = 0usize;
            let mut buf = Vec::with_capacity(body.len() + 16);
            for &c in body {
                if c == b'\t' {
                    let n = 8 - col % 8;
                    buf.extend(std::iter::repeat_n(b' ', n));
                    col += n;
                } else {
                    buf.push(c);
                    col += 1;
                }
            }
            self.out.write(&buf);
        } else {
            self.out.write(body);
        }
        self.out.byte(b'\n');
        if !nl {
            self.out.str("\\ No newline at end of file\n");
        }
    }

    /// -F: append " LINE" (its first 40 bytes) for the last line before
    /// line `before` that matches the regex.
    fn function_line(&mut self, f0: &File, before: usize, h: &mut Vec<u8>) {
        let Some(re) = &self.o.function else {
            return;
        };
        let (from, mut found) = self.scanned;
        for i in from..before {
            let l = f0.line(i);
            if re.is_match(l.strip_suffix(b"\n").unwrap_or(l)) {
                found = Some(i);
            }
        }
        self.scanned = (before.max(from), found);
        if let Some(i) = found {
            let l = f0.line(i);
            let l = l.strip_suffix(b"\n").unwrap_or(l);
            h.push(b' ');
            h.extend_from_slice(&l[..l.len().min(40)]);
        }
    }

    /// --LTYPE-line-format: every line of both files through the format
    /// of its kind (unchanged, old, new).
    fn line_formats(&mut self, f0: &File, f1: &File, changes: &[Change]) {
        let fmts = std::mem::take(&mut self.o.line_formats);
        let mut i0 = 0;
        for c in changes {
            for k in i0..c.line0 {
                self.format_line(&fmts[0], f0.line(k));
            }
            for k in c.line0..c.line0 + c.deleted {
                self.format_line(&fmts[1], f0.line(k));
            }
            for k in c.line1..c.line1 + c.inserted {
                self.format_line(&fmts[2], f1.line(k));
            }
            i0 = c.line0 + c.deleted;
        }
        for k in i0..f0.lines.len() {
            self.format_line(&fmts[0], f0.line(k));
        }
        self.o.line_formats = fmts;
    }

    /// One line through a line format: `%l` the line without its newline,
    /// `%L` with it, `%%` a percent sign, `%c'C'` the character C (or
    /// `\OOO` in octal); anything else as it is.
    fn format_line(&mut self, fmt: &[u8], line: &[u8]) {
        let mut o = Vec::with_capacity(fmt.len() + line.len());
        let mut i = 0;
        while let Some(&c) = fmt.get(i) {
            i += 1;
            if c != b'%' {
                o.push(c);
                continue;
            }
            match fmt.get(i) {
                Some(b'l') => o.extend_from_slice(line.strip_suffix(b"\n").unwrap_or(line)),
                Some(b'L') => o.extend_from_slice(line),
                Some(b'%') => o.push(b'%'),
                Some(b'c') if fmt.get(i + 1) == Some(&b'\'') => {
                    let rest = &fmt[i + 2..];
                    let (ch, used) = match rest {
                        [b'\\', tail @ ..] => {
                            let n = tail
                                .iter()
                                .take(3)
                                .take_while(|d| (b'0'..=b'7').contains(d))
                                .count();
                            let v = tail[..n]
                                .iter()
                                .fold(0u32, |v, d| v * 8 + u32::from(d - b'0'));
                            (v as u8, n + 1)
                        }
                        [ch, ..] => (*ch, 1),
                        [] => (b'%', 0),
                    };
                    o.push(ch);
                    i += 1 + used;
                    if fmt.get(i + 1) == Some(&b'\'') {
                        i += 1;
                    }
                }
                Some(&other) => {
                    o.push(b'%');
                    o.push(other);
                }
                None => {
                    o.push(b'%');
                    break;
                }
            }
            i += 1;
        }
        self.out.write(&o);
    }

    fn normal(&mut self, f0: &File, f1: &File, changes: &[Change], ignore: &[bool]) {
        let tab = self.o.initial_tab;
        for (c, &ig) in changes.iter().zip(ignore) {
            if ig {
                continue;
            }
            let letter = match (c.deleted, c.inserted) {
                (0, _) => b'a',
                (_, 0) => b'd',
                _ => b'c',
            };
            let mut h = Vec::new();
            range_normal(&mut h, c.line0, c.deleted);
            h.push(letter);
            range_normal(&mut h, c.line1, c.inserted);
            h.push(b'\n');
            self.out.write(&h);
            let (lt, gt): (&[u8], &[u8]) = if tab {
                (b"<\t", b">\t")
            } else {
                (b"< ", b"> ")
            };
            for i in c.line0..c.line0 + c.deleted {
                self.line(lt, f0.line(i));
            }
            if letter == b'c' {
                self.out.str("---\n");
            }
            for j in c.line1..c.line1 + c.inserted {
                self.line(gt, f1.line(j));
            }
        }
    }

    fn ed(&mut self, _f0: &File, f1: &File, changes: &[Change], ignore: &[bool]) {
        for (c, &ig) in changes.iter().zip(ignore).rev() {
            if ig {
                continue;
            }
            let letter = match (c.deleted, c.inserted) {
                (0, _) => b'a',
                (_, 0) => b'd',
                _ => b'c',
            };
            let mut h = Vec::new();
            range_normal(&mut h, c.line0, c.deleted);
            h.push(letter);
            h.push(b'\n');
            self.out.write(&h);
            if c.inserted > 0 {
                let mut insert = true;
                for j in c.line1..c.line1 + c.inserted {
                    let l = f1.line(j);
                    if !insert {
                        self.out.str("a\n");
                        insert = true;
                    }
                    if l == b".\n" {
                        self.out.str("..\n.\ns/.//\n");
                        insert = false;
                    } else {
                        self.out.write(l);
                        if !l.ends_with(b"\n") {
                            self.out.byte(b'\n');
                        }
                    }
                }
                if insert {
                    self.out.str(".\n");
                }
            }
        }
    }

    /// Context and unified output: changes grouped into hunks with the
    /// context around them.
    fn context(&mut self, f0: &File, f1: &File, changes: &[Change], ignore: &[bool]) {
        let ctx = self.o.context;
        let mut k = 0;
        while k < changes.len() {
            // Grow the hunk while the next change is close enough.
            let start = k;
            loop {
                let c = changes[k];
                let top0 = c.line0 + c.deleted;
                let Some(next) = changes.get(k + 1) else {
                    break;
                };
                let thresh = if ignore[k + 1] { ctx } else { 2 * ctx + 1 };
                if next.line0 - top0 < thresh {
                    k += 1;
                } else {
                    break;
                }
            }
            let hunk = &changes[start..=k];
            k += 1;
            if self.o.blank && self.trivial(f0, f1, hunk) {
                continue;
            }
            let (Some(first), Some(last)) = (hunk.first(), hunk.last()) else {
                continue;
            };
            let n0 = f0.lines.len();
            let n1 = f1.lines.len();
            let lo0 = first.line0.saturating_sub(ctx);
            let lo1 = first.line1.saturating_sub(ctx);
            let hi0 = (last.line0 + last.deleted + ctx).min(n0);
            let hi1 = (last.line1 + last.inserted + ctx).min(n1);
            if self.o.format == Format::Unified {
                self.unified_hunk(f0, f1, hunk, (lo0, hi0), (lo1, hi1));
            } else {
                self.context_hunk(f0, f1, hunk, (lo0, hi0), (lo1, hi1));
            }
        }
    }

    fn unified_hunk(
        &mut self,
        f0: &File,
        f1: &File,
        hunk: &[Change],
        r0: (usize, usize),
        r1: (usize, usize),
    ) {
        let mut h = b"@@ -".to_vec();
        range_unified(&mut h, r0.0, r0.1 - r0.0);
        h.extend_from_slice(b" +");
        range_unified(&mut h, r1.0, r1.1 - r1.0);
        h.extend_from_slice(b" @@");
        self.function_line(f0, r0.0, &mut h);
        h.push(b'\n');
        self.out.write(&h);
        let tab = self.o.initial_tab;
        let (sp, mi, pl): (&[u8], &[u8], &[u8]) = if tab {
            (b"\t", b"-\t", b"+\t")
        } else {
            (b" ", b"-", b"+")
        };
        let (mut i, mut j) = (r0.0, r1.0);
        let mut next = 0;
        while i < r0.1 || j < r1.1 {
            match hunk.get(next) {
                Some(c) if i >= c.line0 => {
                    for _ in 0..c.deleted {
                        self.line(mi, f0.line(i));
                        i += 1;
                    }
                    for _ in 0..c.inserted {
                        self.line(pl, f1.line(j));
                        j += 1;
                    }
                    next += 1;
                }
                _ => {
                    self.line(sp, f0.line(i));
                    i += 1;
                    j += 1;
                }
            }
        }
    }

    fn context_hunk(
        &mut self,
        f0: &File,
        f1: &File,
        hunk: &[Change],
        r0: (usize, usize),
        r1: (usize, usize),
    ) {
        let mut h = b"***************".to_vec();
        self.function_line(f0, r0.0, &mut h);
        h.extend_from_slice(b"\n*** ");
        range_context(&mut h, r0.0, r0.1 - r0.0);
        h.extend_from_slice(b" ****\n");
        self.out.write(&h);
        let tab = self.o.initial_tab;
        let mark = |c: u8| -> Vec<u8> { vec![c, if tab { b'\t' } else { b' ' }] };
        let deleted_any = hunk.iter().any(|c| c.deleted > 0);
        let inserted_any = hunk.iter().any(|c| c.inserted > 0);
        if deleted_any {
            let mut next = 0;
            for i in r0.0..r0.1 {
                while hunk.get(next).is_some_and(|c| c.line0 + c.deleted <= i) {
                    next += 1;
                }
                let m = match hunk.get(next) {
                    Some(c) if c.line0 <= i => {
                        if c.inserted > 0 {
                            b'!'
                        } else {
                            b'-'
                        }
                    }
                    _ => b' ',
                };
                self.line(&mark(m), f0.line(i));
            }
        }
        let mut h = b"--- ".to_vec();
        range_context(&mut h, r1.0, r1.1 - r1.0);
        h.extend_from_slice(b" ----\n");
        self.out.write(&h);
        if inserted_any {
            let mut next = 0;
            for j in r1.0..r1.1 {
                while hunk.get(next).is_some_and(|c| c.line1 + c.inserted <= j) {
                    next += 1;
                }
                let m = match hunk.get(next) {
                    Some(c) if c.line1 <= j => {
                        if c.deleted > 0 {
                            b'!'
                        } else {
                            b'+'
                        }
                    }
                    _ => b' ',
                };
                self.line(&mark(m), f1.line(j));
            }
        }
    }
}

struct File<'a> {
    data: &'a [u8],
    lines: &'a [(usize, usize)],
}

impl File<'_> {
    fn line(&self, i: usize) -> &[u8] {
        match self.lines.get(i) {
            Some(&(s, e)) => &self.data[s..e],
            None => b"",
        }
    }
}

/// Line boundaries (each line with its newline, the last maybe without).
fn split_lines(d: &[u8]) -> Vec<(usize, usize)> {
    let mut v = Vec::with_capacity(d.len() / 32 + 1);
    let mut s = 0;
    for i in memchr::memchr_iter(b'\n', d) {
        v.push((s, i + 1));
        s = i + 1;
    }
    if s < d.len() {
        v.push((s, d.len()));
    }
    v
}

/// Lines identical byte for byte at the start and at the end.
fn raw_ends(d0: &[u8], l0: &[(usize, usize)], d1: &[u8], l1: &[(usize, usize)]) -> (usize, usize) {
    let eq = |i: usize, j: usize| {
        let (s0, e0) = l0[i];
        let (s1, e1) = l1[j];
        d0[s0..e0] == d1[s1..e1]
    };
    let mut pre = 0;
    while pre < l0.len() && pre < l1.len() && eq(pre, pre) {
        pre += 1;
    }
    let mut suf = 0;
    while suf < l0.len() - pre && suf < l1.len() - pre && eq(l0.len() - 1 - suf, l1.len() - 1 - suf)
    {
        suf += 1;
    }
    (pre, suf)
}

/// `a,b` or `a` (normal and ed ranges; an empty range names the line
/// before it).
fn range_normal(h: &mut Vec<u8>, start: usize, len: usize) {
    if len > 1 {
        h.extend_from_slice(format!("{},{}", start + 1, start + len).as_bytes());
    } else if len == 1 {
        h.extend_from_slice((start + 1).to_string().as_bytes());
    } else {
        h.extend_from_slice(start.to_string().as_bytes());
    }
}

/// `a,count`, `a` for one line, `a-1,0` for none.
fn range_unified(h: &mut Vec<u8>, start: usize, len: usize) {
    match len {
        0 => h.extend_from_slice(format!("{start},0").as_bytes()),
        1 => h.extend_from_slice((start + 1).to_string().as_bytes()),
        _ => h.extend_from_slice(format!("{},{}", start + 1, len).as_bytes()),
    }
}

/// `a,b`, or one number for one line or none.
fn range_context(h: &mut Vec<u8>, start: usize, len: usize) {
    match len {
        0 => h.extend_from_slice(start.to_string().as_bytes()),
        1 => h.extend_from_slice((start + 1).to_string().as_bytes()),
        _ => h.extend_from_slice(format!("{},{}", start + 1, start + len).as_bytes()),
    }
}

/// One side being read: its descriptor (kept open while needed), the
/// size of a regular file, and the data read so far.
struct Opened {
    #[allow(dead_code)] // holds the descriptor open
    fd: Option<std::os::fd::OwnedFd>,
    raw: i32,
    size: Option<u64>,
    side: Side,
    eof: bool,
}

impl Opened {
    /// Read until `want` bytes are buffered or the input ends.
    fn top_up(&mut self, want: usize) -> std::io::Result<()> {
        let d = &mut self.side.data;
        while !self.eof && d.len() < want {
            let old = d.len();
            d.resize(want, 0);
            match sys::read(self.raw, &mut d[old..]) {
                Ok(0) => {
                    d.truncate(old);
                    self.eof = true;
                }
                Ok(n) => d.truncate(old + n),
                Err(e) => {
                    d.truncate(old);
                    return Err(e);
                }
            }
        }
        Ok(())
    }

    /// Read everything that is left.
    fn rest(&mut self) -> std::io::Result<()> {
        let mut want = self
            .size
            .and_then(|s| usize::try_from(s).ok())
            .unwrap_or(0)
            .max(self.side.data.len() + 64 * 1024);
        while !self.eof {
            self.top_up(want)?;
            want = want.saturating_mul(2);
        }
        Ok(())
    }
}

/// Whether two inputs hold the same bytes, read in chunks so that big
/// binary files are not held in memory. Errors say which side failed.
fn stream_equal(a: &mut Opened, b: &mut Opened) -> Result<bool, (usize, std::io::Error)> {
    if let (Some(x), Some(y)) = (a.size, b.size)
        && x != y
    {
        return Ok(false);
    }
    const CHUNK: usize = 64 * 1024;
    loop {
        a.top_up(CHUNK).map_err(|e| (0, e))?;
        b.top_up(CHUNK).map_err(|e| (1, e))?;
        let n = a.side.data.len().min(b.side.data.len());
        if a.side.data[..n] != b.side.data[..n] {
            return Ok(false);
        }
        a.side.data.drain(..n);
        b.side.data.drain(..n);
        let done_a = a.eof && a.side.data.is_empty();
        let done_b = b.eof && b.side.data.is_empty();
        if done_a || done_b {
            return Ok(done_a && done_b);
        }
    }
}
