//! The copy engine shared by cp, mv and install: file data copied by the
//! kernel (copy_file_range) with read/write as the fallback, holes kept
//! (SEEK_DATA/SEEK_HOLE) or made (`--sparse=always`), trees copied with the
//! iterative walker and fd-relative calls on both sides, hard links kept
//! together, attributes (mode, ownership, nanosecond times, xattrs)
//! preserved on request. Also the pieces those applets and ln share:
//! GNU-style quoting of names, the `overwrite 'x'?` prompt and backups.

use crate::io::{CopyError, Out};
use crate::sys::{self, Dir, SetTime, Stat};
use crate::walk::{self, Follow, Visit, Walker};
use std::collections::{HashMap, HashSet};
use std::ffi::CString;
use std::io;
use std::os::fd::{AsRawFd, IntoRawFd, OwnedFd, RawFd};

const S_ISUID: u32 = 0o4000;
const S_ISGID: u32 = 0o2000;
const BUF: usize = 128 * 1024;
/// Destination directories kept open at once (the walker keeps its own).
const MAX_OPEN: usize = 32;

// ---------------------------------------------------------------- quoting

fn printable(b: u8) -> bool {
    (0x20..0x7f).contains(&b)
}

fn quote_printable(s: &[u8], out: &mut Vec<u8>) {
    if !s.contains(&b'\'') {
        out.push(b'\'');
        out.extend_from_slice(s);
        out.push(b'\'');
    } else if !s.iter().any(|b| b"\"$`\\!".contains(b)) {
        out.push(b'"');
        out.extend_from_slice(s);
        out.push(b'"');
    } else {
        out.push(b'\'');
        for &b in s {
            if b == b'\'' {
                out.extend_from_slice(b"'\\''");
            } else {
                out.push(b);
            }
        }
        out.push(b'\'');
    }
}

/// A name quoted the way GNU tools show it in messages: `'a b'`,
/// `"it's"`, and `$'\n'` for bytes that are not printable ASCII.
pub fn quote(s: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len() + 2);
    if s.iter().all(|&b| printable(b)) {
        quote_printable(s, &mut out);
        return out;
    }
    // Single quotes, switching to $'...' for the bytes that need escapes.
    out.push(b'\'');
    let mut dollar = false;
    for &b in s {
        if printable(b) {
            if dollar {
                out.extend_from_slice(b"''");
                dollar = false;
            }
            if b == b'\'' {
                out.extend_from_slice(b"'\\''");
            } else {
                out.push(b);
            }
            continue;
        }
        if !dollar {
            out.extend_from_slice(b"'$'");
            dollar = true;
        }
        match b {
            7 => out.extend_from_slice(b"\\a"),
            8 => out.extend_from_slice(b"\\b"),
            b'\t' => out.extend_from_slice(b"\\t"),
            b'\n' => out.extend_from_slice(b"\\n"),
            11 => out.extend_from_slice(b"\\v"),
            12 => out.extend_from_slice(b"\\f"),
            b'\r' => out.extend_from_slice(b"\\r"),
            _ => {
                out.push(b'\\');
                out.push(b'0' + (b >> 6));
                out.push(b'0' + ((b >> 3) & 7));
                out.push(b'0' + (b & 7));
            }
        }
    }
    out.push(b'\'');
    out
}

// ---------------------------------------------------------------- prompts

/// Print `applet: PROMPT` on stderr (no newline) and read one line of
/// standard input: true when it starts with `y` or `Y`.
pub fn ask(prompt: &[u8]) -> bool {
    let mut m = crate::error::start();
    m.extend_from_slice(prompt);
    let _ = sys::write_all(2, &m);
    // Read byte by byte so later prompts get the following lines.
    let mut first = None;
    let mut b = [0u8; 1];
    while let Ok(1) = sys::read(0, &mut b) {
        if b[0] == b'\n' {
            break;
        }
        if first.is_none() {
            first = Some(b[0]);
        }
    }
    matches!(first, Some(b'y') | Some(b'Y'))
}

// ---------------------------------------------------------------- choices

/// Match `val` against the names of `choices` (each a group of synonyms),
/// exactly or by unique prefix. `Err(true)` when ambiguous.
pub fn choose(val: &[u8], choices: &[&[&str]]) -> Result<usize, bool> {
    for (i, group) in choices.iter().enumerate() {
        if group.iter().any(|n| n.as_bytes() == val) {
            return Ok(i);
        }
    }
    let mut found = None;
    for (i, group) in choices.iter().enumerate() {
        if !val.is_empty() && group.iter().any(|n| n.as_bytes().starts_with(val)) {
            match found {
                None => found = Some(i),
                Some(f) if f == i => {}
                Some(_) => return Err(true),
            }
        }
    }
    found.ok_or(false)
}

/// Report a bad choice GNU's way: `invalid argument 'x' for 'what'` (or
/// `ambiguous argument`), the valid arguments, then the usage line.
pub fn bad_choice(
    spec: &crate::args::Spec,
    what: &str,
    val: &[u8],
    choices: &[&[&str]],
    ambiguous: bool,
) -> crate::Exit {
    let mut m: Vec<u8> = Vec::new();
    m.extend_from_slice(if ambiguous {
        b"ambiguous argument "
    } else {
        b"invalid argument "
    });
    m.extend_from_slice(&quote(val));
    m.extend_from_slice(b" for ");
    m.extend_from_slice(&quote(what.as_bytes()));
    m.extend_from_slice(b"\nValid arguments are:");
    for group in choices {
        m.extend_from_slice(b"\n  - ");
        for (i, n) in group.iter().enumerate() {
            if i > 0 {
                m.extend_from_slice(b", ");
            }
            m.extend_from_slice(&quote(n.as_bytes()));
        }
    }
    crate::args::usage_error(spec, &[&m])
}

// ---------------------------------------------------------------- backups

/// How existing destinations are backed up (`--backup=CONTROL`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BackupKind {
    None,
    Simple,
    Numbered,
    Existing,
}

pub const BACKUP_CHOICES: &[&[&str]] = &[
    &["none", "off"],
    &["simple", "never"],
    &["existing", "nil"],
    &["numbered", "t"],
];

/// The kind named by a `--backup` value; `None` (plain `-b`/`--backup`)
/// reads $VERSION_CONTROL and defaults to `existing`. `Err` carries the
/// bad value, what it was for, and whether it was ambiguous.
pub fn backup_kind(val: Option<&[u8]>) -> Result<BackupKind, (Vec<u8>, &'static str, bool)> {
    let (v, what) = match val {
        Some(v) => (v.to_vec(), "backup type"),
        None => match std::env::var_os("VERSION_CONTROL") {
            Some(v) if !v.is_empty() => (
                std::os::unix::ffi::OsStringExt::into_vec(v),
                "$VERSION_CONTROL",
            ),
            _ => return Ok(BackupKind::Existing),
        },
    };
    match choose(&v, BACKUP_CHOICES) {
        Ok(0) => Ok(BackupKind::None),
        Ok(1) => Ok(BackupKind::Simple),
        Ok(2) => Ok(BackupKind::Existing),
        Ok(_) => Ok(BackupKind::Numbered),
        Err(amb) => Err((v, what, amb)),
    }
}

/// The backup suffix: `-S` if given, else $SIMPLE_BACKUP_SUFFIX, else `~`.
pub fn backup_suffix(given: Option<&[u8]>) -> Vec<u8> {
    if let Some(s) = given {
        return s.to_vec();
    }
    match std::env::var_os("SIMPLE_BACKUP_SUFFIX") {
        Some(s) if !s.is_empty() && !s.as_encoded_bytes().contains(&b'/') => {
            std::os::unix::ffi::OsStringExt::into_vec(s)
        }
        _ => b"~".to_vec(),
    }
}

#[derive(Clone, Debug)]
pub struct Backup {
    pub kind: BackupKind,
    pub suffix: Vec<u8>,
}

impl Default for Backup {
    fn default() -> Self {
        Backup {
            kind: BackupKind::None,
            suffix: b"~".to_vec(),
        }
    }
}

/// Highest N among `NAME.~N~` next to `name` (0 when none).
fn highest_backup(dir: Dir, name: &[u8]) -> u64 {
    let parent = crate::path::dirname(name);
    let base = crate::path::basename(name);
    let Ok(fd) = sys::openat(dir, parent, sys::O_RDONLY | sys::O_DIRECTORY, 0) else {
        return 0;
    };
    let mut entries = Vec::new();
    if sys::read_dir(fd.as_raw_fd(), &mut entries).is_err() {
        return 0;
    }
    let mut best = 0;
    for e in &entries {
        let Some(rest) = e.name.strip_prefix(base) else {
            continue;
        };
        let Some(num) = rest.strip_prefix(b".~").and_then(|r| r.strip_suffix(b"~")) else {
            continue;
        };
        if num.is_empty() || num[0] == b'0' || !num.iter().all(u8::is_ascii_digit) {
            continue;
        }
        if let Ok(n) = crate::num::parse_u64(num) {
            best = best.max(n);
        }
    }
    best
}

/// Rename `name` (relative to `dir`) out of the way as its backup; returns
/// the backup's name, or `None` when backups are off.
pub fn make_backup(dir: Dir, name: &[u8], b: &Backup) -> io::Result<Option<Vec<u8>>> {
    let trimmed = crate::path::trim_trailing_slashes(name);
    let name = if trimmed.is_empty() { name } else { trimmed };
    let numbered = |n: u64| {
        let mut v = name.to_vec();
        v.extend_from_slice(b".~");
        crate::put::Put::u(&mut v, n + 1).push(b'~');
        v
    };
    let simple = || {
        let mut v = name.to_vec();
        v.extend_from_slice(&b.suffix);
        v
    };
    let new = match b.kind {
        BackupKind::None => return Ok(None),
        BackupKind::Simple => simple(),
        BackupKind::Numbered => numbered(highest_backup(dir, name)),
        BackupKind::Existing => match highest_backup(dir, name) {
            0 => simple(),
            n => numbered(n),
        },
    };
    sys::renameat2(dir, name, dir, &new, 0)?;
    Ok(Some(new))
}

// ---------------------------------------------------------------- data

/// How holes are handled (`--sparse=WHEN`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sparse {
    /// Write every byte.
    Never,
    /// Keep the source's holes.
    Auto,
    /// Keep holes and turn zero blocks into holes too.
    Always,
}

fn write_error(e: io::Error) -> CopyError {
    CopyError::Write(e)
}

/// Whether a failed kernel-side copy was the writing side's fault.
fn classify(e: io::Error, to: RawFd) -> CopyError {
    match e.raw_os_error() {
        Some(libc::ENOSPC) | Some(libc::EDQUOT) | Some(libc::EFBIG) | Some(libc::EPIPE) => {
            CopyError::Write(e)
        }
        _ => {
            if sys::write(to, &[]).is_err() {
                CopyError::Write(e)
            } else {
                CopyError::Read(e)
            }
        }
    }
}

struct Data {
    from: RawFd,
    to: RawFd,
    /// The kernel-side copy still works.
    kernel: bool,
    /// Zero blocks become holes (`--sparse=always`).
    punch: bool,
    block: usize,
    buf: Vec<u8>,
}

impl Data {
    /// Write `data` at the current offset, seeking over whole zero blocks.
    fn write_sparse(&mut self, data: &[u8]) -> Result<(), CopyError> {
        if !self.punch {
            return sys::write_all(self.to, data).map_err(write_error);
        }
        let mut start = 0;
        let mut i = 0;
        while i < data.len() {
            let end = (i + self.block).min(data.len());
            let chunk = &data[i..end];
            if chunk.iter().all(|&b| b == 0) {
                if start < i {
                    sys::write_all(self.to, &data[start..i]).map_err(write_error)?;
                }
                sys::lseek(self.to, chunk.len() as i64, sys::SEEK_CUR).map_err(write_error)?;
                start = end;
            }
            i = end;
        }
        if start < data.len() {
            sys::write_all(self.to, &data[start..]).map_err(write_error)?;
        }
        Ok(())
    }

    /// Copy up to `len` bytes (all that remains when `None`) from the
    /// current offsets. Returns the bytes copied; fewer at end of file.
    fn range(&mut self, len: Option<u64>) -> Result<u64, CopyError> {
        let mut done = 0u64;
        let want = |done: u64| len.map_or(1 << 30, |l| (l - done).min(1 << 30)) as usize;
        if self.kernel && !self.punch {
            loop {
                if len.is_some_and(|l| done >= l) {
                    return Ok(done);
                }
                match sys::copy_file_range(self.from, self.to, want(done)) {
                    Ok(0) if done == 0 => {
                        // Some filesystems (procfs, sysfs) report 0 at once:
                        // let read() decide whether this is the end.
                        self.kernel = false;
                        break;
                    }
                    Ok(0) => return Ok(done),
                    Ok(n) => done += n as u64,
                    Err(_) if done == 0 => {
                        self.kernel = false;
                        break;
                    }
                    Err(e) => return Err(classify(e, self.to)),
                }
            }
        }
        if self.buf.is_empty() {
            self.buf = vec![0u8; BUF];
        }
        loop {
            if len.is_some_and(|l| done >= l) {
                return Ok(done);
            }
            let n = want(done).min(self.buf.len());
            let got = sys::read(self.from, &mut self.buf[..n]).map_err(CopyError::Read)?;
            if got == 0 {
                return Ok(done);
            }
            let chunk = std::mem::take(&mut self.buf);
            let r = self.write_sparse(&chunk[..got]);
            self.buf = chunk;
            r?;
            done += got as u64;
        }
    }
}

/// Copy a file's data from `from` to `to` (both at offset 0, `to` empty),
/// `st` being the source's stat. Holes are found with SEEK_DATA/SEEK_HOLE
/// and recreated by seeking and a final ftruncate.
pub fn copy_data(from: RawFd, to: RawFd, st: &Stat, sparse: Sparse) -> Result<(), CopyError> {
    let mut d = Data {
        from,
        to,
        kernel: sparse != Sparse::Never && st.size > 0,
        punch: sparse == Sparse::Always,
        block: (st.blksize as usize).clamp(512, 1 << 20),
        buf: Vec::new(),
    };
    let maybe_sparse = st.is_reg() && st.blocks.saturating_mul(512) < st.size;
    let walk_extents =
        st.is_reg() && (sparse == Sparse::Always || (sparse == Sparse::Auto && maybe_sparse));
    if !walk_extents {
        d.range(None)?;
        return Ok(());
    }
    let mut pos = 0u64;
    loop {
        let data = match sys::lseek(from, pos as i64, sys::SEEK_DATA) {
            Ok(off) => off,
            Err(e) if e.raw_os_error() == Some(libc::ENXIO) => break,
            Err(_) if pos == 0 => {
                // No SEEK_DATA here: copy everything (punching zeros if asked).
                d.range(None)?;
                let end = sys::lseek(to, 0, sys::SEEK_CUR).map_err(write_error)?;
                return sys::ftruncate(to, end).map_err(write_error);
            }
            Err(e) => return Err(CopyError::Read(e)),
        };
        let hole = sys::lseek(from, data as i64, sys::SEEK_HOLE).map_err(CopyError::Read)?;
        sys::lseek(from, data as i64, sys::SEEK_SET).map_err(CopyError::Read)?;
        sys::lseek(to, data as i64, sys::SEEK_SET).map_err(write_error)?;
        let want = hole.saturating_sub(data);
        let got = d.range(Some(want))?;
        pos = data + got;
        if got < want {
            break; // the file shrank
        }
    }
    let end = sys::lseek(from, 0, sys::SEEK_END)
        .map_err(CopyError::Read)?
        .max(pos);
    sys::ftruncate(to, end).map_err(write_error)
}

// ---------------------------------------------------------------- xattrs

/// Names in a NUL-separated xattr list.
fn xattr_names(list: &[u8]) -> impl Iterator<Item = &[u8]> {
    list.split(|&b| b == 0).filter(|n| !n.is_empty())
}

fn unsupported(e: &io::Error) -> bool {
    matches!(
        e.raw_os_error(),
        Some(libc::ENOTSUP) | Some(libc::ENOSYS) | Some(libc::ENODATA)
    )
}

/// Copy every extended attribute from one open file to another.
fn copy_xattrs_fd(from: RawFd, to: RawFd) -> io::Result<()> {
    let list = match sys::flistxattr(from) {
        Ok(l) => l,
        Err(e) if unsupported(&e) => return Ok(()),
        Err(e) => return Err(e),
    };
    let mut first_err = None;
    for name in xattr_names(&list) {
        let Ok(c) = CString::new(name) else { continue };
        let r = sys::fgetxattr(from, &c).and_then(|v| sys::fsetxattr(to, &c, &v));
        if let Err(e) = r
            && !unsupported(&e)
            && first_err.is_none()
        {
            first_err = Some(e);
        }
    }
    first_err.map_or(Ok(()), Err)
}

/// The same by path, without following symbolic links.
fn copy_xattrs_path(from: &[u8], to: &[u8]) -> io::Result<()> {
    let list = match sys::llistxattr(from) {
        Ok(l) => l,
        Err(e) if unsupported(&e) => return Ok(()),
        Err(e) => return Err(e),
    };
    let mut first_err = None;
    for name in xattr_names(&list) {
        let Ok(c) = CString::new(name) else { continue };
        let r = sys::lgetxattr(from, &c).and_then(|v| sys::lsetxattr(to, &c, &v));
        if let Err(e) = r
            && !unsupported(&e)
            && !matches!(e.raw_os_error(), Some(libc::EPERM))
            && first_err.is_none()
        {
            first_err = Some(e);
        }
    }
    first_err.map_or(Ok(()), Err)
}

// ---------------------------------------------------------------- the copier

/// Which symbolic links to follow in the sources.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Deref {
    /// Copy links as links (-P, -d, the default with -R).
    Never,
    /// Follow links named on the command line (-H).
    Args,
    /// Follow all links (-L, the default without -R).
    Always,
}

/// Attributes to carry over (`--preserve=...`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Preserve {
    pub mode: bool,
    pub ownership: bool,
    pub timestamps: bool,
    pub links: bool,
    pub xattr: bool,
}

impl Preserve {
    pub fn all() -> Preserve {
        Preserve {
            mode: true,
            ownership: true,
            timestamps: true,
            links: true,
            xattr: true,
        }
    }
}

#[derive(Clone, Debug)]
pub struct Options {
    pub recursive: bool,
    pub deref: Deref,
    pub preserve: Preserve,
    /// Report failures to copy xattrs (asked for by name, not via -a).
    pub xattr_required: bool,
    pub sparse: Sparse,
    /// Remove a destination that cannot be opened, and try again (-f).
    pub force: bool,
    /// Remove an existing destination before copying.
    pub remove_destination: bool,
    pub interactive: bool,
    pub no_clobber: bool,
    /// Copy only when the source is newer than the destination (-u).
    pub update: bool,
    pub verbose: bool,
    /// Make hard links instead of copies (-l).
    pub hard_link: bool,
    /// Make symbolic links instead of copies (-s).
    pub symbolic_link: bool,
    /// Copy attributes but not data.
    pub attributes_only: bool,
    /// Stay on the filesystem of each source (-x).
    pub one_file_system: bool,
    /// Read special files like regular files even when recursive.
    pub copy_contents: bool,
    pub backup: Backup,
    /// Copying for mv: verbose lines say `created directory`/`copied`.
    pub moving: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            recursive: false,
            deref: Deref::Always,
            preserve: Preserve::default(),
            xattr_required: false,
            sparse: Sparse::Auto,
            force: false,
            remove_destination: false,
            interactive: false,
            no_clobber: false,
            update: false,
            verbose: false,
            hard_link: false,
            symbolic_link: false,
            attributes_only: false,
            one_file_system: false,
            copy_contents: false,
            backup: Backup::default(),
            moving: false,
        }
    }
}

/// A destination directory being filled.
struct Frame {
    /// Walk depth of the source directory.
    depth: usize,
    fd: Option<OwnedFd>,
    /// Name relative to the parent frame (the whole path for the first).
    name: Box<[u8]>,
    /// Length of `Copier::dpath` holding this directory's path.
    path_len: usize,
    dev: u64,
    ino: u64,
    src: Stat,
    created: bool,
    /// Mode the directory got when created.
    got_mode: u32,
}

/// Where an entry's attributes are set: an open file or a name.
#[derive(Clone, Copy)]
enum At<'a> {
    Fd(RawFd),
    Name(Dir, &'a [u8], bool),
}

/// The source of attributes: an open file or a path.
#[derive(Clone, Copy)]
enum SrcRef<'a> {
    Fd(RawFd),
    Path(&'a [u8]),
}

enum Step {
    Descend,
    Prune,
}

/// Copies files and trees; keeps what must persist across operands (the
/// hard-link map, files just created) and the verbose output.
pub struct Copier {
    pub opt: Options,
    umask: u32,
    root: bool,
    links: HashMap<(u64, u64), Vec<u8>>,
    created: Option<HashSet<(u64, u64)>>,
    made_dirs: HashSet<(u64, u64)>,
    out: Out,
    display: Option<(Vec<u8>, Vec<u8>)>,
    frames: Vec<Frame>,
    /// Path of the destination entry being handled.
    dpath: Vec<u8>,
}

fn errno(e: &io::Error) -> i32 {
    e.raw_os_error().unwrap_or(0)
}

impl Copier {
    pub fn new(opt: Options) -> Copier {
        Copier {
            opt,
            umask: sys::get_umask(),
            root: sys::geteuid() == 0,
            links: HashMap::new(),
            created: None,
            made_dirs: HashSet::new(),
            out: Out::stdout(),
            display: None,
            frames: Vec::new(),
            dpath: Vec::new(),
        }
    }

    /// Refuse to overwrite files this copier created (several sources
    /// with the same name: `will not overwrite just-created`).
    pub fn remember_created(&mut self) {
        self.created = Some(HashSet::new());
    }

    /// The verbose output stream (for lines the applet adds).
    pub fn out(&mut self) -> &mut Out {
        &mut self.out
    }

    /// Flush the verbose output; `status`, or 1 if writing it failed.
    pub fn finish(self, status: i32) -> i32 {
        self.out.finish(status)
    }

    /// Show destination paths under `real` as if they were under `shown`
    /// (mv copies to a temporary name, then renames it).
    pub fn set_display(&mut self, real: &[u8], shown: &[u8]) {
        self.display = Some((real.to_vec(), shown.to_vec()));
    }

    pub fn clear_display(&mut self) {
        self.display = None;
    }

    /// Destinations remembered under `old` are now under `new`.
    pub fn rename_links(&mut self, old: &[u8], new: &[u8]) {
        for v in self.links.values_mut() {
            if v.starts_with(old) && (v.len() == old.len() || v.get(old.len()) == Some(&b'/')) {
                let mut n = new.to_vec();
                n.extend_from_slice(&v[old.len()..]);
                *v = n;
            }
        }
    }

    /// The destination path as shown to the user.
    fn shown(&self, p: &[u8]) -> Vec<u8> {
        if let Some((real, shown)) = &self.display
            && let Some(rest) = p.strip_prefix(real.as_slice())
        {
            let mut v = shown.clone();
            v.extend_from_slice(rest);
            return quote(&v);
        }
        quote(p)
    }

    fn dshown(&self) -> Vec<u8> {
        self.shown(&self.dpath)
    }

    /// Copy `src` to `dst` (both as given, relative to the current
    /// directory). Reports each problem; returns false if any occurred.
    pub fn copy(&mut self, src: &[u8], dst: &[u8]) -> bool {
        let follow = match self.opt.deref {
            Deref::Never => Follow::Never,
            Deref::Args => Follow::Root,
            Deref::Always => Follow::Always,
        };
        let mut w = Walker::new(
            src,
            walk::Options {
                follow,
                xdev: self.opt.one_file_system,
                post: true,
                sorted: false,
                stat_all: true,
            },
        );
        self.frames.clear();
        let mut ok = true;
        while let Some(e) = w.next() {
            let step = match e.visit {
                Visit::StatError(err) => {
                    crate::msg!("cannot stat ", quote(e.path), ": ", err);
                    ok = false;
                    None
                }
                Visit::Loop => {
                    crate::msg!("cannot copy cyclic symbolic link ", quote(e.path));
                    ok = false;
                    None
                }
                Visit::DirError(err) => {
                    crate::msg!("cannot open directory ", quote(e.path), ": ", err);
                    ok = false;
                    None
                }
                Visit::Post => {
                    if self.frames.last().is_some_and(|f| f.depth == e.depth)
                        && !self.leave_dir(e.path)
                    {
                        ok = false;
                    }
                    None
                }
                Visit::Pre => {
                    let Some(st) = e.stat.copied() else { continue };
                    let step = self.enter_dir(e.depth, e.path, e.name, &st, dst);
                    if step.is_none() {
                        ok = false;
                    }
                    Some(step.unwrap_or(Step::Prune))
                }
                Visit::File => {
                    let Some(st) = e.stat.copied() else { continue };
                    let follow_here = match follow {
                        Follow::Never => false,
                        Follow::Root => e.depth == 0,
                        Follow::Always => true,
                    };
                    if !self.nondir(e.depth, e.parent, e.name, e.path, &st, dst, follow_here) {
                        ok = false;
                    }
                    None
                }
            };
            if let Some(Step::Prune) = step {
                w.prune();
            }
        }
        // Directories left open by an early end still get their attributes.
        while !self.frames.is_empty() {
            if !self.leave_dir(b"") {
                ok = false;
            }
        }
        ok
    }

    /// Whether the destination directory of entries at `depth` was made
    /// by this copy (so nothing can be in the way there).
    fn fresh(&self, depth: usize) -> bool {
        depth > 0 && self.frames.last().is_some_and(|f| f.created)
    }

    /// Destination directory and name for an entry at `depth`; sets dpath.
    fn dest<'n>(&mut self, depth: usize, name: &'n [u8], top: &'n [u8]) -> Option<(Dir, &'n [u8])> {
        if depth == 0 {
            self.dpath.clear();
            self.dpath.extend_from_slice(top);
            return Some((Dir::CWD, top));
        }
        let idx = self.frames.len().checked_sub(1)?;
        let (fdepth, len) = self.frames.get(idx).map(|f| (f.depth, f.path_len))?;
        if fdepth + 1 != depth {
            return None;
        }
        self.dpath.truncate(len);
        let dir = match self.frame_fd(idx) {
            Ok(d) => d,
            Err(e) => {
                crate::msg!("cannot access ", self.dshown(), ": ", e);
                return None;
            }
        };
        if !self.dpath.ends_with(b"/") {
            self.dpath.push(b'/');
        }
        self.dpath.extend_from_slice(name);
        Some((dir, name))
    }

    /// The descriptor of frame `idx`, reopening it (and closed ancestors
    /// below the nearest open one) by name with identity checks.
    fn frame_fd(&mut self, idx: usize) -> io::Result<Dir> {
        if let Some(fd) = self.frames.get(idx).and_then(|f| f.fd.as_ref()) {
            return Ok(Dir::of(fd));
        }
        let mut j = idx;
        while j > 0 && self.frames.get(j).is_some_and(|f| f.fd.is_none()) {
            j -= 1;
        }
        let gone = || crate::ioerr::other("directory changed during copy");
        for k in j + 1..=idx {
            let parent = self
                .frames
                .get(k - 1)
                .and_then(|f| f.fd.as_ref())
                .map(Dir::of)
                .ok_or_else(gone)?;
            let f = self.frames.get_mut(k).ok_or_else(gone)?;
            let fd = sys::openat(
                parent,
                &f.name,
                sys::O_RDONLY | sys::O_DIRECTORY | sys::O_NOFOLLOW | sys::O_NOCTTY,
                0,
            )?;
            let st = sys::fstat(fd.as_raw_fd())?;
            if st.dev != f.dev || st.ino != f.ino {
                return Err(gone());
            }
            f.fd = Some(fd);
        }
        self.frames
            .get(idx)
            .and_then(|f| f.fd.as_ref())
            .map(Dir::of)
            .ok_or_else(gone)
    }

    fn verbose_line(&mut self, src: &[u8], backup: Option<&[u8]>, dir: bool) {
        if !self.opt.verbose {
            return;
        }
        let d = self.dshown();
        if self.opt.moving {
            if dir {
                self.out.str("created directory ");
                self.out.write(&d);
            } else {
                self.out.str("copied ");
                self.out.write(&quote(src));
                self.out.str(" -> ");
                self.out.write(&d);
            }
        } else {
            self.out.write(&quote(src));
            self.out.str(" -> ");
            self.out.write(&d);
        }
        if let Some(b) = backup {
            self.out.str(" (backup: ");
            let shown = self.shown(b);
            self.out.write(&shown);
            self.out.byte(b')');
        }
        self.out.byte(b'\n');
    }

    /// A directory before its contents: create or reuse the destination.
    fn enter_dir(
        &mut self,
        depth: usize,
        spath: &[u8],
        sname: &[u8],
        st: &Stat,
        top: &[u8],
    ) -> Option<Step> {
        if depth == 0 && !self.opt.recursive {
            crate::msg!("omitting directory ", quote(spath));
            return None;
        }
        let (ddir, dname) = self.dest(depth, sname, top)?;
        if self.made_dirs.contains(&(st.dev, st.ino)) {
            crate::msg!(
                "cannot copy a directory, ",
                quote(spath),
                ", into itself, ",
                self.dshown()
            );
            return None;
        }
        if depth == 0 && !self.opt.moving && into_itself(spath, top) {
            crate::msg!(
                "cannot copy a directory, ",
                quote(spath),
                ", into itself, ",
                self.dshown()
            );
            return None;
        }
        let mut created = false;
        let found = if self.fresh(depth) {
            Err(io::Error::from_raw_os_error(libc::ENOENT))
        } else {
            sys::fstatat(ddir, dname, sys::AT_SYMLINK_NOFOLLOW)
        };
        match found {
            Ok(_) if depth == 0 && self.opt.moving => {
                let e = io::Error::from_raw_os_error(libc::EEXIST);
                crate::msg!("cannot create directory ", self.dshown(), ": ", e);
                return None;
            }
            Ok(d) if d.is_dir() => {
                if d.same_file(st) {
                    crate::msg!(quote(spath), " and ", self.dshown(), " are the same file");
                    return None;
                }
            }
            Ok(_) => {
                crate::msg!(
                    "cannot overwrite non-directory ",
                    self.dshown(),
                    " with directory ",
                    quote(spath)
                );
                return None;
            }
            Err(e) if errno(&e) == libc::ENOENT => {
                if let Err(e) = sys::mkdirat(ddir, dname, (st.mode & 0o777) | 0o700) {
                    crate::msg!("cannot create directory ", self.dshown(), ": ", e);
                    return None;
                }
                created = true;
            }
            Err(e) => {
                crate::msg!("cannot stat ", self.dshown(), ": ", e);
                return None;
            }
        }
        let fd = match sys::openat(
            ddir,
            dname,
            sys::O_RDONLY | sys::O_DIRECTORY | sys::O_NOFOLLOW | sys::O_NOCTTY,
            0,
        ) {
            Ok(fd) => fd,
            Err(e) => {
                crate::msg!("cannot access ", self.dshown(), ": ", e);
                return None;
            }
        };
        let dst = match sys::fstat(fd.as_raw_fd()) {
            Ok(s) => s,
            Err(e) => {
                crate::msg!("cannot stat ", self.dshown(), ": ", e);
                return None;
            }
        };
        if created {
            self.made_dirs.insert((dst.dev, dst.ino));
            self.verbose_line(spath, None, true);
        }
        let name: Box<[u8]> = if depth == 0 {
            Box::from(top)
        } else {
            Box::from(sname)
        };
        self.frames.push(Frame {
            depth,
            fd: Some(fd),
            name,
            path_len: self.dpath.len(),
            dev: dst.dev,
            ino: dst.ino,
            src: *st,
            created,
            got_mode: dst.mode & 0o7777,
        });
        let n = self.frames.len();
        if n > MAX_OPEN
            && let Some(f) = self.frames.get_mut(n - MAX_OPEN)
            && n - MAX_OPEN > 0
        {
            f.fd = None;
        }
        Some(Step::Descend)
    }

    /// A directory after its contents: set its attributes.
    fn leave_dir(&mut self, spath: &[u8]) -> bool {
        let idx = self.frames.len().saturating_sub(1);
        let fd = self.frame_fd(idx);
        let Some(f) = self.frames.pop() else {
            return true;
        };
        self.dpath.truncate(f.path_len);
        let fd = match fd {
            Ok(d) => d.raw(),
            Err(e) => {
                crate::msg!("cannot access ", self.dshown(), ": ", e);
                return false;
            }
        };
        let p = self.opt.preserve;
        if !f.created && !p.mode && !p.ownership && !p.timestamps && !p.xattr {
            return true;
        }
        let mut ok = true;
        let mut mode = f.src.mode & 0o7777;
        if p.xattr {
            let r = sys::open(spath, sys::O_RDONLY | sys::O_DIRECTORY | sys::O_NOCTTY, 0)
                .and_then(|s| copy_xattrs_fd(s.as_raw_fd(), fd));
            if !self.xattrs(r) {
                ok = false;
            }
        }
        if p.ownership && !self.chown(At::Fd(fd), &f.src) {
            mode &= !(S_ISUID | S_ISGID);
            if self.root {
                ok = false;
            }
        }
        let want = if p.mode {
            Some(mode)
        } else if f.created {
            Some((f.src.mode & 0o1777 & !self.umask) | (f.got_mode & S_ISGID))
        } else {
            None
        };
        if let Some(m) = want
            && (m != f.got_mode || p.mode)
            && let Err(e) = sys::fchmod(fd, m)
        {
            crate::msg!("preserving permissions for ", self.dshown(), ": ", e);
            ok = false;
        }
        if p.timestamps && !self.times(At::Fd(fd), &f.src) {
            ok = false;
        }
        drop(f);
        ok
    }

    /// Change ownership as the source's; false when it failed (messages
    /// only when running as root, as GNU does).
    fn chown(&mut self, at: At, st: &Stat) -> bool {
        let r = match at {
            At::Fd(fd) => sys::fchown(fd, st.uid, st.gid),
            At::Name(d, n, _) => sys::fchownat(d, n, st.uid, st.gid, sys::AT_SYMLINK_NOFOLLOW),
        };
        let Err(e) = r else { return true };
        let quiet = matches!(errno(&e), libc::EPERM | libc::EINVAL) && !self.root;
        if quiet {
            // Maybe the group alone can be kept.
            let _ = match at {
                At::Fd(fd) => sys::fchown(fd, u32::MAX, st.gid),
                At::Name(d, n, _) => {
                    sys::fchownat(d, n, u32::MAX, st.gid, sys::AT_SYMLINK_NOFOLLOW)
                }
            };
        } else {
            crate::msg!("failed to preserve ownership for ", self.dshown(), ": ", e);
        }
        false
    }

    fn times(&mut self, at: At, st: &Stat) -> bool {
        let (a, m) = (SetTime::At(st.atime), SetTime::At(st.mtime));
        let r = match at {
            At::Fd(fd) => sys::futimens(fd, a, m),
            At::Name(d, n, _) => sys::utimensat(d, n, a, m, sys::AT_SYMLINK_NOFOLLOW),
        };
        match r {
            Ok(()) => true,
            Err(e) => {
                crate::msg!("preserving times for ", self.dshown(), ": ", e);
                false
            }
        }
    }

    /// Report a failure to copy xattrs when they were asked for by name.
    fn xattrs(&mut self, r: io::Result<()>) -> bool {
        match r {
            Ok(()) => true,
            Err(e) => {
                if self.opt.xattr_required {
                    crate::msg!("setting attributes for ", self.dshown(), ": ", e);
                    return false;
                }
                true
            }
        }
    }

    /// Attributes of a new or overwritten non-directory.
    fn attrs(&mut self, at: At, st: &Stat, created: bool, src: Option<SrcRef>) -> bool {
        let p = self.opt.preserve;
        let symlink = matches!(at, At::Name(_, _, true));
        let mut ok = true;
        if p.xattr {
            let r = match (at, src) {
                (At::Fd(to), Some(SrcRef::Fd(from))) => copy_xattrs_fd(from, to),
                (_, Some(SrcRef::Path(spath))) => copy_xattrs_path(spath, &self.dpath),
                _ => Ok(()),
            };
            if !self.xattrs(r) {
                ok = false;
            }
        }
        let mut mode = st.mode & 0o7777;
        if p.ownership && !self.chown(at, st) {
            mode &= !(S_ISUID | S_ISGID);
            if self.root {
                ok = false;
            }
        }
        let want = if p.mode {
            Some(mode)
        } else if created && p.ownership {
            // Created owner-only while ownership was being changed.
            Some(st.mode & 0o777 & !self.umask)
        } else {
            None
        };
        if let Some(m) = want
            && !symlink
        {
            let r = match at {
                At::Fd(fd) => sys::fchmod(fd, m),
                At::Name(d, n, _) => sys::fchmodat(d, n, m),
            };
            if let Err(e) = r {
                crate::msg!("preserving permissions for ", self.dshown(), ": ", e);
                ok = false;
            }
        }
        if p.timestamps && !self.times(at, st) {
            ok = false;
        }
        ok
    }

    /// Copy anything but a directory being descended into.
    #[allow(clippy::too_many_arguments)]
    fn nondir(
        &mut self,
        depth: usize,
        sdir: Dir,
        sname: &[u8],
        spath: &[u8],
        st: &Stat,
        top: &[u8],
        follow: bool,
    ) -> bool {
        let Some((ddir, dname)) = self.dest(depth, sname, top) else {
            return false;
        };
        let o = &self.opt;
        let kind = st.kind();
        let as_regular = kind == sys::S_IFREG
            || ((!o.recursive || o.copy_contents)
                && matches!(kind, sys::S_IFIFO | sys::S_IFCHR | sys::S_IFBLK));
        let use_lstat = !as_regular
            || o.moving
            || o.symbolic_link
            || o.hard_link
            || o.backup.kind != BackupKind::None
            || o.remove_destination;
        let flags = if use_lstat {
            sys::AT_SYMLINK_NOFOLLOW
        } else {
            0
        };
        let fresh = self.fresh(depth);
        let found = if fresh {
            Err(io::Error::from_raw_os_error(libc::ENOENT))
        } else {
            sys::fstatat(ddir, dname, flags)
        };
        let mut existing = match found {
            Ok(d) => Some(d),
            Err(e) if errno(&e) == libc::ENOENT => {
                if !use_lstat
                    && !fresh
                    && let Ok(l) = sys::fstatat(ddir, dname, sys::AT_SYMLINK_NOFOLLOW)
                    && l.is_lnk()
                {
                    if !self.opt.force {
                        crate::msg!("not writing through dangling symlink ", self.dshown());
                        return false;
                    }
                    if let Err(e) = sys::unlinkat(ddir, dname, 0) {
                        crate::msg!("cannot remove ", self.dshown(), ": ", e);
                        return false;
                    }
                }
                if depth == 0 && dname.ends_with(b"/") {
                    let e = io::Error::from_raw_os_error(libc::ENOTDIR);
                    self.create_error(kind, as_regular, &e);
                    return false;
                }
                None
            }
            Err(e) => {
                crate::msg!("cannot stat ", self.dshown(), ": ", e);
                return false;
            }
        };
        let mut backup = None;
        if existing.is_some() && depth == 0 && self.opt.moving {
            // mv copies to a fresh temporary name: never write through
            // something that appeared there.
            let e = io::Error::from_raw_os_error(libc::EEXIST);
            self.create_error(kind, as_regular, &e);
            return false;
        }
        if let Some(d) = existing {
            let o = &self.opt;
            let mut same = d.same_file(st);
            if !same && kind == sys::S_IFLNK && !follow {
                // A link onto its own target would leave a link to itself.
                same = sys::fstatat(sdir, sname, 0).is_ok_and(|t| t.same_file(&d));
            }
            if same {
                if o.hard_link && !o.symbolic_link {
                    return true;
                }
                crate::msg!(quote(spath), " and ", self.dshown(), " are the same file");
                return false;
            }
            if d.is_dir() {
                crate::msg!(
                    "cannot overwrite directory ",
                    self.dshown(),
                    " with non-directory"
                );
                return false;
            }
            if let Some(c) = &self.created
                && c.contains(&(d.dev, d.ino))
            {
                crate::msg!(
                    "will not overwrite just-created ",
                    self.dshown(),
                    " with ",
                    quote(spath)
                );
                return false;
            }
            if o.no_clobber {
                return true;
            }
            if o.update && d.mtime >= st.mtime {
                return true;
            }
            if o.interactive {
                let mut p = b"overwrite ".to_vec();
                p.extend_from_slice(&self.dshown());
                p.extend_from_slice(b"? ");
                if !ask(&p) {
                    return true;
                }
            }
            let o = &self.opt;
            if o.backup.kind != BackupKind::None {
                match make_backup(ddir, dname, &o.backup) {
                    Ok(b) => {
                        backup = b.map(|b| {
                            let keep = self.dpath.len().saturating_sub(dname.len());
                            let mut v = self.dpath.get(..keep).unwrap_or_default().to_vec();
                            v.extend_from_slice(&b);
                            v
                        })
                    }
                    Err(e) => {
                        crate::msg!("cannot backup ", self.dshown(), ": ", e);
                        return false;
                    }
                }
                existing = None;
            } else if o.remove_destination
                || !as_regular
                || ((o.hard_link || o.symbolic_link) && o.force)
                || (o.preserve.links && d.nlink > 1 && !o.hard_link && !o.symbolic_link)
            {
                if let Err(e) = sys::unlinkat(ddir, dname, 0) {
                    crate::msg!("cannot remove ", self.dshown(), ": ", e);
                    return false;
                }
                existing = None;
            }
        }
        let backup = backup.as_deref();
        let o = &self.opt;
        // Files already copied under another name become hard links.
        let keep_links = (o.preserve.links || o.moving) && st.nlink > 1;
        if keep_links && let Some(first) = self.links.get(&(st.dev, st.ino)) {
            let first = first.clone();
            return match sys::linkat(Dir::CWD, &first, ddir, dname, 0) {
                Ok(()) => {
                    self.verbose_line(spath, backup, false);
                    true
                }
                Err(e) => {
                    crate::msg!(
                        "cannot create hard link ",
                        self.dshown(),
                        " to ",
                        self.shown(&first),
                        ": ",
                        e
                    );
                    false
                }
            };
        }
        let ok = if o.hard_link {
            let flags = if follow { sys::AT_SYMLINK_FOLLOW } else { 0 };
            match sys::linkat(sdir, sname, ddir, dname, flags) {
                Ok(()) => true,
                Err(e) => {
                    crate::msg!(
                        "cannot create hard link ",
                        self.dshown(),
                        " to ",
                        quote(spath),
                        ": ",
                        e
                    );
                    false
                }
            }
        } else if o.symbolic_link {
            if !spath.starts_with(b"/") && crate::path::dirname(&self.dpath) != b"." {
                crate::msg!(
                    self.dpath,
                    ": can make relative symbolic links only in current directory"
                );
                return false;
            }
            match sys::symlinkat(spath, ddir, dname) {
                Ok(()) => true,
                Err(e) => {
                    crate::msg!(
                        "cannot create symbolic link ",
                        self.dshown(),
                        " to ",
                        quote(spath),
                        ": ",
                        e
                    );
                    false
                }
            }
        } else if as_regular {
            self.regular(
                sdir,
                sname,
                spath,
                st,
                ddir,
                dname,
                existing.is_some(),
                follow,
            )
        } else if kind == sys::S_IFLNK {
            self.symlink(sdir, sname, spath, st, ddir, dname)
        } else {
            self.special(spath, st, ddir, dname, kind)
        };
        if !ok {
            return false;
        }
        if keep_links || self.created.is_some() {
            if keep_links {
                self.links.insert((st.dev, st.ino), self.dpath.clone());
            }
            if let Some(c) = &mut self.created
                && let Ok(d) = sys::fstatat(ddir, dname, sys::AT_SYMLINK_NOFOLLOW)
            {
                c.insert((d.dev, d.ino));
            }
        }
        self.verbose_line(spath, backup, false);
        true
    }

    fn create_error(&self, kind: u32, as_regular: bool, e: &io::Error) {
        let what = if as_regular {
            "regular file "
        } else {
            match kind {
                sys::S_IFLNK => "symbolic link ",
                sys::S_IFIFO => "fifo ",
                _ => "special file ",
            }
        };
        crate::msg!("cannot create ", what, self.dshown(), ": ", e);
    }

    #[allow(clippy::too_many_arguments)]
    fn regular(
        &mut self,
        sdir: Dir,
        sname: &[u8],
        spath: &[u8],
        st: &Stat,
        ddir: Dir,
        dname: &[u8],
        exists: bool,
        follow: bool,
    ) -> bool {
        let mut flags = sys::O_RDONLY | sys::O_NOCTTY;
        if !follow {
            flags |= sys::O_NOFOLLOW;
        }
        let src = match sys::openat(sdir, sname, flags, 0) {
            Ok(fd) => fd,
            Err(e) => {
                crate::msg!("cannot open ", quote(spath), " for reading: ", e);
                return false;
            }
        };
        let sfd = src.as_raw_fd();
        match sys::fstat(sfd) {
            Ok(now) if now.same_file(st) => {}
            Ok(_) => {
                crate::msg!(
                    "skipping file ",
                    quote(spath),
                    ", as it was replaced while being copied"
                );
                return false;
            }
            Err(e) => {
                crate::msg!("cannot fstat ", quote(spath), ": ", e);
                return false;
            }
        }
        let p = self.opt.preserve;
        let mut create_mode = st.mode & 0o777;
        if p.ownership {
            create_mode &= 0o700;
        }
        let mut created = !exists;
        let trunc = if self.opt.attributes_only {
            0
        } else {
            sys::O_TRUNC
        };
        let mut dst = None;
        if exists {
            match sys::openat(ddir, dname, sys::O_WRONLY | trunc | sys::O_NOCTTY, 0) {
                Ok(fd) => dst = Some(fd),
                Err(_) if self.opt.force => {
                    if let Err(e) = sys::unlinkat(ddir, dname, 0) {
                        crate::msg!("cannot remove ", self.dshown(), ": ", e);
                        return false;
                    }
                    created = true;
                }
                Err(e) => {
                    self.create_error(sys::S_IFREG, true, &e);
                    return false;
                }
            }
        }
        let dst = match dst {
            Some(fd) => fd,
            None => match sys::openat(
                ddir,
                dname,
                sys::O_WRONLY | sys::O_CREAT | sys::O_EXCL | sys::O_NOCTTY,
                create_mode,
            ) {
                Ok(fd) => fd,
                Err(e) => {
                    self.create_error(sys::S_IFREG, true, &e);
                    return false;
                }
            },
        };
        let dfd = dst.as_raw_fd();
        if !self.opt.attributes_only {
            match copy_data(sfd, dfd, st, self.opt.sparse) {
                Ok(()) => {}
                Err(CopyError::Read(e)) => {
                    crate::msg!("error reading ", quote(spath), ": ", e);
                    return false;
                }
                Err(CopyError::Write(e)) => {
                    crate::msg!("error writing ", self.dshown(), ": ", e);
                    return false;
                }
            }
        }
        let mut ok = self.attrs(At::Fd(dfd), st, created, Some(SrcRef::Fd(sfd)));
        if let Err(e) = sys::close(dst.into_raw_fd()) {
            crate::msg!("failed to close ", self.dshown(), ": ", e);
            ok = false;
        }
        ok
    }

    fn symlink(
        &mut self,
        sdir: Dir,
        sname: &[u8],
        spath: &[u8],
        st: &Stat,
        ddir: Dir,
        dname: &[u8],
    ) -> bool {
        let target = match sys::readlinkat(sdir, sname) {
            Ok(t) => t,
            Err(e) => {
                crate::msg!("cannot read symbolic link ", quote(spath), ": ", e);
                return false;
            }
        };
        if let Err(e) = sys::symlinkat(&target, ddir, dname) {
            self.create_error(sys::S_IFLNK, false, &e);
            return false;
        }
        self.attrs(
            At::Name(ddir, dname, true),
            st,
            true,
            Some(SrcRef::Path(spath)),
        )
    }

    fn special(&mut self, spath: &[u8], st: &Stat, ddir: Dir, dname: &[u8], kind: u32) -> bool {
        let mode = kind | (st.mode & 0o777);
        if let Err(e) = sys::mknodat(ddir, dname, mode, st.rdev) {
            self.create_error(kind, false, &e);
            return false;
        }
        self.attrs(
            At::Name(ddir, dname, false),
            st,
            true,
            Some(SrcRef::Path(spath)),
        )
    }
}

/// Whether directory `src` contains `dst` (so copying would recurse into
/// its own copy). Both are resolved; a missing `dst` is allowed.
pub fn into_itself(src: &[u8], dst: &[u8]) -> bool {
    use crate::canon::{Missing, Options, canonicalize};
    let Ok(s) = canonicalize(
        src,
        Options {
            missing: Missing::None,
            ..Options::default()
        },
    ) else {
        return false;
    };
    let Ok(d) = canonicalize(
        dst,
        Options {
            missing: Missing::Any,
            ..Options::default()
        },
    ) else {
        return false;
    };
    d.len() > s.len() && d.starts_with(&s) && (s == b"/" || d.get(s.len()) == Some(&b'/'))
}

// ---------------------------------------------------------------- removal

/// Remove a tree (without following links), deepest entries first.
/// With `verbose`, print `removed 'x'` / `removed directory 'x'` lines;
/// with `report`, print errors. Returns false if anything was left.
pub fn remove_tree(path: &[u8], verbose: Option<&mut Out>, report: bool) -> bool {
    let mut out = verbose;
    let mut w = Walker::new(
        path,
        walk::Options {
            follow: Follow::Never,
            xdev: false,
            post: true,
            sorted: false,
            stat_all: false,
        },
    );
    let mut ok = true;
    while let Some(e) = w.next() {
        let (flags, what) = match e.visit {
            Visit::Pre => continue,
            Visit::Post => (sys::AT_REMOVEDIR, "removed directory "),
            Visit::File | Visit::Loop => (0, "removed "),
            Visit::StatError(err) | Visit::DirError(err) => {
                if report {
                    crate::msg!("cannot remove ", quote(e.path), ": ", err);
                }
                ok = false;
                continue;
            }
        };
        match sys::unlinkat(e.parent, e.name, flags) {
            Ok(()) => {
                if let Some(o) = out.as_deref_mut() {
                    o.str(what);
                    o.write(&quote(e.path));
                    o.byte(b'\n');
                }
            }
            Err(err) => {
                // A directory whose contents could not all go stays quietly.
                let quiet = flags != 0 && !ok && errno(&err) == libc::ENOTEMPTY;
                if report && !quiet {
                    crate::msg!("cannot remove ", quote(e.path), ": ", err);
                }
                ok = false;
            }
        }
    }
    ok
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_like_gnu() {
        assert_eq!(quote(b"a b"), b"'a b'");
        assert_eq!(quote(b"it's"), b"\"it's\"");
        assert_eq!(quote(b"it's $x"), b"'it'\\''s $x'");
        assert_eq!(quote(b"a\nb"), b"'a'$'\\n''b'");
        assert_eq!(quote(b"\xff"), b"''$'\\377'");
        assert_eq!(quote(b"\nb"), b"''$'\\n''b'");
        assert_eq!(quote(b"a\n"), b"'a'$'\\n'");
        assert_eq!(quote(b"a\x01\x02b"), b"'a'$'\\001\\002''b'");
        assert_eq!(quote(b""), b"''");
    }

    #[test]
    fn chooses_by_prefix() {
        assert_eq!(choose(b"numbered", BACKUP_CHOICES), Ok(3));
        assert_eq!(choose(b"nu", BACKUP_CHOICES), Ok(3));
        assert_eq!(choose(b"t", BACKUP_CHOICES), Ok(3));
        assert_eq!(choose(b"n", BACKUP_CHOICES), Err(true));
        assert_eq!(choose(b"x", BACKUP_CHOICES), Err(false));
        assert_eq!(choose(b"", BACKUP_CHOICES), Err(false));
    }
}
