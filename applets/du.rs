//! du: summarize disk usage of each FILE, recursively for directories.
//! Sizes are allocated blocks (st_blocks * 512) or apparent sizes, shown
//! in 1K units rounded up by default; hard-linked files and directories
//! met again are counted once. The walk is iterative, so any depth works.

use ibex::Status;
use ibex::args::{Parser, Spec, flag, value};
use ibex::io::Out;
use ibex::num::BlockSizeError;
use ibex::sys::Stat;
use ibex::walk::{Follow, Options, Visit, Walker};
use std::collections::HashSet;
use std::ffi::{OsStr, OsString};
use std::os::unix::ffi::OsStrExt;

const APPARENT: u32 = 256;
const BLOCK_SIZE: u32 = 257;
const INODES: u32 = 258;
const SI: u32 = 259;
const EXCLUDE: u32 = 260;
const THRESHOLD: u32 = 261;

const LONGS: &[ibex::args::Long] = &[
    flag("null", '0' as u32),
    flag("all", 'a' as u32),
    flag("apparent-size", APPARENT),
    value("block-size", BLOCK_SIZE),
    flag("bytes", 'b' as u32),
    flag("total", 'c' as u32),
    flag("dereference-args", 'D' as u32),
    value("max-depth", 'd' as u32),
    flag("human-readable", 'h' as u32),
    flag("inodes", INODES),
    flag("dereference", 'L' as u32),
    flag("count-links", 'l' as u32),
    flag("no-dereference", 'P' as u32),
    flag("separate-dirs", 'S' as u32),
    flag("si", SI),
    flag("summarize", 's' as u32),
    value("threshold", THRESHOLD),
    flag("one-file-system", 'x' as u32),
    value("exclude-from", 'X' as u32),
    value("exclude", EXCLUDE),
];

const USAGE: ibex::usage::Usage = ibex::usage!(
    du,
    "du [-0abcDHhkLlmPSsx] [-B SIZE] [-d N] [-t SIZE] [--exclude=PATTERN] [FILE]...

Summarize disk usage of each FILE, recursively for directories

\t-a\tShow files as well as directories
\t-s\tShow only a total for each argument
\t-c\tShow a grand total
\t-d N\tShow only entries N or fewer levels below the arguments (--max-depth)
\t-h\tSizes in human readable form (1K 243M 2G); --si: powers of 1000
\t-k\tSizes in 1024-byte blocks (default)
\t-m\tSizes in megabytes
\t-B SIZE\tSizes in units of SIZE (K, M, G, kB, MB, ...)
\t-b\tApparent sizes in bytes (--apparent-size --block-size=1)
\t--apparent-size\tFile sizes rather than allocated space
\t--inodes\tCount inodes rather than space
\t-l\tCount hard-linked files every time they are met
\t-S\tDon't include subdirectories in a directory's size
\t-t SIZE\tHide entries smaller than SIZE (or larger, if negative)
\t-x\tStay on the filesystem of each argument
\t-L\tFollow all symlinks
\t-H\tFollow symlinks named on the command line (-D)
\t-P\tDon't follow symlinks (default)
\t-0\tEnd each output line with NUL, not newline
\t-X FILE\tExclude names matching any pattern in FILE
\t--exclude=PATTERN\tExclude names matching PATTERN"
);

const SPEC: Spec = Spec::new("0aB:bcDd:HhkLlmPSst:xX:", LONGS, USAGE);

/// How sizes are shown.
#[derive(Clone, Copy)]
enum Scale {
    /// Units of this many bytes; with a unit name to append to each
    /// number when the size was given as a unit alone (`-B K` shows `12K`).
    Blocks(u64, &'static str),
    Human {
        si: bool,
    },
}

/// A block size from the environment (DU_BLOCK_SIZE, BLOCK_SIZE,
/// BLOCKSIZE), else 512 under POSIXLY_CORRECT, else 1K.
fn env_scale() -> Scale {
    for var in ["DU_BLOCK_SIZE", "BLOCK_SIZE", "BLOCKSIZE"] {
        if let Some(v) = std::env::var_os(var) {
            match v.as_bytes() {
                b"human-readable" => return Scale::Human { si: false },
                b"si" => return Scale::Human { si: true },
                b => {
                    if let Ok(n) = ibex::num::parse_block_size(b) {
                        return Scale::Blocks(n, unit_name(b));
                    }
                }
            }
        }
    }
    if std::env::var_os("POSIXLY_CORRECT").is_some() {
        Scale::Blocks(512, "")
    } else {
        Scale::Blocks(1024, "")
    }
}

/// Parse a -B value (or `human-readable`/`si`), or print GNU's message.
/// The unit to append for a size given without digits (`K`, `MiB`, `kB`).
fn unit_name(arg: &[u8]) -> &'static str {
    const UNITS: [&str; 24] = [
        "K", "M", "G", "T", "P", "E", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "kB", "KB", "MB",
        "GB", "TB", "PB", "EB", "k", "m", "g", "t", "p",
    ];
    UNITS
        .iter()
        .find(|u| u.as_bytes() == arg)
        .copied()
        .unwrap_or("")
}

fn block_size(opt: &str, v: &OsStr) -> Result<Scale, ibex::Exit> {
    match v.as_bytes() {
        b"human-readable" => return Ok(Scale::Human { si: false }),
        b"si" => return Ok(Scale::Human { si: true }),
        _ => {}
    }
    match ibex::num::parse_block_size(v.as_bytes()) {
        Ok(n) => Ok(Scale::Blocks(n, unit_name(v.as_bytes()))),
        Err(e) => {
            let v = v.as_bytes();
            match e {
                BlockSizeError::Invalid => ibex::msg!("invalid ", opt, " argument '", v, "'"),
                BlockSizeError::Suffix => {
                    ibex::msg!("invalid suffix in ", opt, " argument '", v, "'")
                }
                BlockSizeError::TooLarge => ibex::msg!(opt, " argument '", v, "' too large"),
            }
            Err(ibex::Exit(1))
        }
    }
}

/// `-t SIZE`: a size with an optional minus sign (0 is allowed).
fn threshold(opt: &str, v: &OsStr) -> Result<i128, ibex::Exit> {
    let b = v.as_bytes();
    let (neg, mag) = match b.strip_prefix(b"-") {
        Some(m) => (true, m),
        None => (false, b),
    };
    let n = if mag == b"0" && !neg {
        Ok(0)
    } else {
        ibex::num::parse_block_size(mag)
    };
    match n {
        Ok(n) => Ok(if neg { -i128::from(n) } else { i128::from(n) }),
        Err(_) => {
            ibex::msg!("invalid ", opt, " argument '", b, "'");
            Err(ibex::Exit(1))
        }
    }
}

struct Du {
    all: bool,
    apparent: bool,
    inodes: bool,
    count_links: bool,
    separate: bool,
    xdev: bool,
    max_depth: usize,
    threshold: i128,
    scale: Scale,
    end: u8,
    excludes: Vec<Vec<u8>>,
    seen: HashSet<(u64, u64)>,
    status: i32,
}

impl Du {
    fn size(&self, st: &Stat) -> u64 {
        if self.inodes {
            1
        } else if self.apparent {
            st.size
        } else {
            st.blocks.saturating_mul(512)
        }
    }

    /// Whether a pattern matches the path, or its part after any `/`.
    fn excluded(&self, name: &[u8]) -> bool {
        if self.excludes.is_empty() {
            return false;
        }
        let flags = ibex::fnmatch::Flags::default();
        let mut tails = vec![name];
        for (i, &c) in name.iter().enumerate() {
            if c == b'/' && i + 1 < name.len() && name[i + 1] != b'/' {
                tails.push(&name[i + 1..]);
            }
        }
        self.excludes
            .iter()
            .any(|p| tails.iter().any(|t| ibex::fnmatch::fnmatch(p, t, flags)))
    }

    fn show(&self, out: &mut Out, size: u64, path: &[u8]) {
        let s = i128::from(size);
        let hidden = if self.threshold < 0 {
            s > -self.threshold
        } else {
            s < self.threshold
        };
        if hidden {
            return;
        }
        match self.scale {
            Scale::Human { si } => out.str(&ibex::human::human(size, si)),
            Scale::Blocks(bs, unit) => {
                out.num(size.div_ceil(bs.max(1)));
                out.str(unit);
            }
        }
        out.byte(b'\t');
        out.write(path);
        out.byte(self.end);
    }

    /// Walk one operand; returns its total.
    fn walk(&mut self, root: &[u8], follow: Follow, out: &mut Out) -> u64 {
        let opts = Options {
            follow,
            xdev: false,
            post: true,
            sorted: false,
            stat_all: true,
        };
        let mut w = Walker::new(root, opts);
        // Directories being summed, by depth: (size shown, size with every
        // subdirectory, which -S leaves out of the first); None = skipped.
        let mut sums: Vec<Option<(u64, u64)>> = Vec::new();
        let mut root_dev = 0;
        let mut total = 0;
        while let Some(e) = w.next() {
            let depth = e.depth;
            match e.visit {
                Visit::StatError(err) => {
                    out.flush();
                    ibex::msg!("cannot access '", e.path, "': ", err);
                    self.status = 1;
                }
                Visit::DirError(err) => {
                    out.flush();
                    ibex::msg!("cannot read directory '", e.path, "': ", err);
                    self.status = 1;
                }
                Visit::Loop => {}
                Visit::Pre => {
                    let Some(st) = e.stat.copied() else { continue };
                    if depth == 0 {
                        root_dev = st.dev;
                    }
                    let skip = (self.xdev && st.dev != root_dev)
                        || self.excluded(e.path)
                        || !self.seen.insert((st.dev, st.ino));
                    sums.truncate(depth);
                    if skip {
                        sums.push(None);
                        w.prune();
                    } else {
                        let own = self.size(&st);
                        sums.push(Some((own, own)));
                    }
                }
                Visit::Post => {
                    sums.truncate(depth + 1);
                    let Some(Some((shown, full))) = sums.pop() else {
                        continue;
                    };
                    if depth <= self.max_depth {
                        self.show(out, shown, e.path);
                    }
                    if depth == 0 {
                        total = full;
                    } else if let Some(Some(parent)) = sums.get_mut(depth - 1) {
                        if !self.separate {
                            parent.0 = parent.0.saturating_add(full);
                        }
                        parent.1 = parent.1.saturating_add(full);
                    }
                }
                Visit::File => {
                    let Some(st) = e.stat.copied() else { continue };
                    if depth == 0 {
                        root_dev = st.dev;
                    }
                    let followed = match follow {
                        Follow::Always => true,
                        Follow::Root => depth == 0,
                        Follow::Never => false,
                    };
                    if followed && st.is_lnk() {
                        // A link that was to be followed leads nowhere.
                        out.flush();
                        let err = std::io::Error::from_raw_os_error(libc::ENOENT);
                        ibex::msg!("cannot access '", e.path, "': ", err);
                        self.status = 1;
                        continue;
                    }
                    if (self.xdev && st.dev != root_dev) || self.excluded(e.path) {
                        continue;
                    }
                    // Through followed links one file can be met by many
                    // names: then every file is remembered.
                    let once = st.nlink > 1 || follow == Follow::Always;
                    if !self.count_links && once && !self.seen.insert((st.dev, st.ino)) {
                        continue;
                    }
                    let size = self.size(&st);
                    if depth == 0 {
                        self.show(out, size, e.path);
                        total = size;
                    } else {
                        if self.all && depth <= self.max_depth {
                            self.show(out, size, e.path);
                        }
                        if let Some(Some(parent)) = sums.get_mut(depth - 1) {
                            parent.0 = parent.0.saturating_add(size);
                            parent.1 = parent.1.saturating_add(size);
                        }
                    }
                }
            }
        }
        total
    }
}

/// A root as the walk shows it: trailing slashes reduced to one.
fn root_path(p: &[u8]) -> &[u8] {
    let trimmed = ibex::path::trim_trailing_slashes(p);
    if trimmed.len() == p.len() || trimmed.is_empty() {
        p
    } else {
        &p[..trimmed.len() + 1]
    }
}

pub fn main(argv: &[OsString]) -> Status {
    let mut p = Parser::new(argv, &SPEC);
    let mut du = Du {
        all: false,
        apparent: false,
        inodes: false,
        count_links: false,
        separate: false,
        xdev: false,
        max_depth: usize::MAX,
        threshold: 0,
        scale: env_scale(),
        end: b'\n',
        excludes: Vec::new(),
        seen: HashSet::new(),
        status: 0,
    };
    let mut follow = Follow::Never;
    let mut summarize = false;
    let mut total = false;
    let mut depth: Option<(usize, &OsStr)> = None;
    while let Some((id, v)) = p.next()? {
        let v = v.unwrap_or_default();
        match id {
            APPARENT => du.apparent = true,
            BLOCK_SIZE => du.scale = block_size("--block-size", v)?,
            INODES => du.inodes = true,
            SI => du.scale = Scale::Human { si: true },
            EXCLUDE => du.excludes.push(v.as_bytes().to_vec()),
            THRESHOLD => du.threshold = threshold("--threshold", v)?,
            _ => match char::from_u32(id) {
                Some('0') => du.end = 0,
                Some('a') => du.all = true,
                Some('B') => du.scale = block_size("-B", v)?,
                Some('b') => {
                    du.apparent = true;
                    du.scale = Scale::Blocks(1, "");
                }
                Some('c') => total = true,
                Some('D') | Some('H') => follow = Follow::Root,
                Some('d') => match ibex::num::parse_u64(v.as_bytes()) {
                    Ok(n) => depth = Some((usize::try_from(n).unwrap_or(usize::MAX), v)),
                    Err(_) => {
                        return Err(ibex::args::usage_error(
                            &SPEC,
                            &[b"invalid maximum depth '", v.as_bytes(), b"'"],
                        ));
                    }
                },
                Some('h') => du.scale = Scale::Human { si: false },
                Some('k') => du.scale = Scale::Blocks(1024, ""),
                Some('L') => follow = Follow::Always,
                Some('l') => du.count_links = true,
                Some('m') => du.scale = Scale::Blocks(1 << 20, ""),
                Some('P') => follow = Follow::Never,
                Some('S') => du.separate = true,
                Some('s') => summarize = true,
                Some('t') => du.threshold = threshold("-t", v)?,
                Some('x') => du.xdev = true,
                _ => match ibex::io::read_file(v.as_bytes()) {
                    Ok(data) => du.excludes.extend(
                        data.split(|&c| c == b'\n')
                            .filter(|l| !l.is_empty())
                            .map(<[u8]>::to_vec),
                    ),
                    Err(e) => return Err(ibex::io::fail(v, &e)),
                },
            },
        }
    }
    if summarize && du.all {
        return Err(ibex::args::usage_error(
            &SPEC,
            &[b"cannot both summarize and show all entries"],
        ));
    }
    du.max_depth = match (summarize, depth) {
        (true, Some((0, _))) => {
            ibex::msg!("warning: summarizing is the same as using --max-depth=0");
            0
        }
        (true, Some((_, v))) => {
            return Err(ibex::args::usage_error(
                &SPEC,
                &[
                    b"warning: summarizing conflicts with --max-depth=",
                    v.as_bytes(),
                ],
            ));
        }
        (true, None) => 0,
        (false, Some((n, _))) => n,
        (false, None) => usize::MAX,
    };
    if du.inodes && matches!(du.scale, Scale::Blocks(..)) {
        du.scale = Scale::Blocks(1, "");
    }
    let mut files = p.operands();
    if files.is_empty() {
        files.push(OsStr::new("."));
    }
    let mut out = Out::stdout();
    let mut grand: u64 = 0;
    for f in &files {
        let t = du.walk(root_path(f.as_bytes()), follow, &mut out);
        grand = grand.saturating_add(t);
    }
    if total {
        du.show(&mut out, grand, b"total");
    }
    out.done(du.status)
}
