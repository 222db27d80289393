//! rm: remove files and directory trees. `-f` ignore missing files and never
//! prompt, `-i` prompt for every removal, `-I` prompt once, `-r`/`-R`
//! recursive (an iterative walk that unlinks relative to each parent's
//! descriptor, so any depth and any directory size work), `-d` remove empty
//! directories, `-v` verbose, `--one-file-system`, `--preserve-root[=all]`
//! (the default) and `--no-preserve-root`. Messages and prompts are GNU's.

use ibex::Status;
use ibex::args::{self, Long, Parser, Spec, flag, optional};
use ibex::copy::{ask, quote};
use ibex::io::Out;
use ibex::sys::{self, Dir, Stat};
use ibex::walk::{Follow, Options, Visit, Walker};
use std::ffi::OsString;
use std::io;
use std::os::fd::AsRawFd;
use std::os::unix::ffi::OsStrExt;

const INTERACTIVE: u32 = 256;
const PRESERVE: u32 = 257;
const NO_PRESERVE: u32 = 258;
const ONE_FS: u32 = 259;

const LONGS: &[Long] = &[
    flag("force", 'f' as u32),
    optional("interactive", INTERACTIVE),
    flag("recursive", 'r' as u32),
    flag("dir", 'd' as u32),
    flag("verbose", 'v' as u32),
    optional("preserve-root", PRESERVE),
    flag("no-preserve-root", NO_PRESERVE),
    flag("one-file-system", ONE_FS),
];

const SPEC: Spec = Spec::new(
    "fiIrRdv",
    LONGS,
    ibex::usage!(
        rm,
        "rm [-irfdvI] FILE...

Remove (unlink) FILEs

\t-i\tAlways prompt before removing
\t-I\tPrompt once before removing more than three files, or recursively
\t-f\tNever prompt, ignore missing files
\t-R,-r\tRemove directories recursively
\t-d\tRemove empty directories
\t-v\tExplain what is being done
\t--interactive[=WHEN]\tPrompt never, once or always
\t--one-file-system\tSkip directories on other filesystems
\t--preserve-root[=all]\tDo not remove '/' (the default); with 'all',
\t\talso skip operands on another filesystem than their parent
\t--no-preserve-root\tDo not treat '/' specially"
    ),
);

#[derive(Clone, Copy, PartialEq, Eq)]
enum Ask {
    Never,
    Sometimes,
    Always,
}

struct Rm {
    ask: Ask,
    ignore_missing: bool,
    recursive: bool,
    dirs: bool,
    verbose: bool,
    preserve_root: bool,
    preserve_all: bool,
    one_fs: bool,
    stdin_tty: bool,
    root: Option<Stat>,
    out: Out,
}

/// Per-directory state during a walk.
struct Frame {
    /// A child was kept (failed or declined): leave this directory.
    kept: bool,
    /// This directory was dealt with at its pre-order visit.
    done: bool,
    /// Why its contents could not be read.
    err: Option<io::Error>,
}

enum Outcome {
    Ok,
    Declined,
    Error,
}

pub fn main(argv: &[OsString]) -> Status {
    let mut rm = Rm {
        ask: Ask::Sometimes,
        ignore_missing: false,
        recursive: false,
        dirs: false,
        verbose: false,
        preserve_root: true,
        preserve_all: false,
        one_fs: false,
        stdin_tty: sys::isatty(0),
        root: None,
        out: Out::stdout(),
    };
    let mut once = false;
    let mut p = Parser::new(argv, &SPEC);
    while let Some((id, val)) = p.next()? {
        match id {
            0x66 => {
                // -f
                rm.ask = Ask::Never;
                rm.ignore_missing = true;
                once = false;
            }
            0x69 => {
                rm.ask = Ask::Always;
                rm.ignore_missing = false;
                once = false;
            }
            0x49 => {
                rm.ask = Ask::Sometimes;
                rm.ignore_missing = false;
                once = true;
            }
            INTERACTIVE => {
                let when = val.map_or(&b"always"[..], |v| v.as_bytes());
                match interactive_arg(when) {
                    Some(0) => {
                        rm.ask = Ask::Never;
                        once = false;
                    }
                    Some(1) => {
                        rm.ask = Ask::Sometimes;
                        rm.ignore_missing = false;
                        once = true;
                    }
                    Some(_) => {
                        rm.ask = Ask::Always;
                        rm.ignore_missing = false;
                        once = false;
                    }
                    None => return Err(bad_interactive(when)),
                }
            }
            0x72 | 0x52 => rm.recursive = true,
            0x64 => rm.dirs = true,
            0x76 => rm.verbose = true,
            PRESERVE => match val.map(|v| v.as_bytes()) {
                None => rm.preserve_root = true,
                Some(b"all") => {
                    rm.preserve_root = true;
                    rm.preserve_all = true;
                }
                Some(v) => {
                    ibex::msg!("unrecognized --preserve-root argument: ", quote(v));
                    return Err(ibex::Exit(1));
                }
            },
            NO_PRESERVE => {
                rm.preserve_root = false;
                rm.preserve_all = false;
            }
            ONE_FS => rm.one_fs = true,
            _ => {}
        }
    }
    let ops = p.operands();
    if ops.is_empty() {
        if rm.ignore_missing {
            return Ok(0);
        }
        return Err(args::missing_operand(&SPEC));
    }
    if once && (rm.recursive || ops.len() > 3) {
        let n = ops.len();
        let mut q = format!("remove {n} argument{}", if n == 1 { "" } else { "s" });
        if rm.recursive {
            q.push_str(" recursively");
        }
        q.push_str("? ");
        if !ask(q.as_bytes()) {
            return Ok(0);
        }
    }
    if rm.recursive && rm.preserve_root {
        rm.root = sys::stat(b"/").ok();
    }
    let mut failed = false;
    for op in ops {
        if !rm.operand(op.as_bytes()) {
            failed = true;
        }
    }
    rm.out.done(i32::from(failed))
}

/// GNU's argmatch over never/no/none, once, always/yes, with prefixes.
fn interactive_arg(v: &[u8]) -> Option<u8> {
    const WORDS: &[(&[u8], u8)] = &[
        (b"never", 0),
        (b"no", 0),
        (b"none", 0),
        (b"once", 1),
        (b"always", 2),
        (b"yes", 2),
    ];
    if let Some(&(_, k)) = WORDS.iter().find(|(w, _)| *w == v) {
        return Some(k);
    }
    let mut found = None;
    for &(w, k) in WORDS {
        if !v.is_empty() && w.starts_with(v) {
            match found {
                None => found = Some(k),
                Some(f) if f == k => {}
                Some(_) => return None,
            }
        }
    }
    found
}

fn bad_interactive(v: &[u8]) -> ibex::Exit {
    // Words that share a prefix mean the same: no prefix is ambiguous.
    ibex::msg!("invalid argument ", quote(v), " for '--interactive'");
    let mut e =
        b"Valid arguments are:\n  - 'never', 'no', 'none'\n  - 'once'\n  - 'always', 'yes'\n"
            .to_vec();
    e.extend_from_slice(b"Usage: ");
    e.extend_from_slice(&SPEC.usage.synopsis());
    e.push(b'\n');
    let _ = sys::write_all(2, &e);
    ibex::Exit(1)
}

/// Name of a file's type as GNU's prompts say it.
fn file_type(st: &Stat) -> &'static str {
    match st.kind() {
        sys::S_IFREG if st.size == 0 => "regular empty file",
        sys::S_IFREG => "regular file",
        sys::S_IFDIR => "directory",
        sys::S_IFLNK => "symbolic link",
        sys::S_IFBLK => "block special file",
        sys::S_IFCHR => "character special file",
        sys::S_IFIFO => "fifo",
        sys::S_IFSOCK => "socket",
        _ => "weird file",
    }
}

/// The operand as a tree walk names it: several trailing slashes become one
/// (except in a two-byte name), as GNU's fts does.
fn root_name(p: &[u8]) -> &[u8] {
    let mut len = p.len();
    if len > 2 && p[len - 1] == b'/' {
        while len > 1 && p[len - 2] == b'/' {
            len -= 1;
        }
    }
    &p[..len]
}

/// Whether the last component (trailing slashes ignored) is `.` or `..`.
fn is_dot(p: &[u8]) -> bool {
    let t = ibex::path::trim_trailing_slashes(p);
    let last = match memchr::memrchr(b'/', t) {
        Some(i) => &t[i + 1..],
        None => t,
    };
    last == b"." || last == b".."
}

fn is_empty_dir(dir: Dir, name: &[u8]) -> bool {
    let flags = sys::O_RDONLY | sys::O_DIRECTORY | sys::O_NOFOLLOW | sys::O_NOCTTY;
    let Ok(fd) = sys::openat(dir, name, flags, 0) else {
        return false;
    };
    let mut v = Vec::new();
    sys::read_dir(fd.as_raw_fd(), &mut v).is_ok() && v.is_empty()
}

impl Rm {
    fn ignorable(&self, e: &io::Error) -> bool {
        self.ignore_missing && matches!(e.raw_os_error(), Some(libc::ENOENT) | Some(libc::ENOTDIR))
    }

    /// 1 write-protected, 0 not, Err when that cannot be told.
    fn write_protected(&self, dir: Dir, name: &[u8]) -> io::Result<bool> {
        if sys::geteuid() == 0 {
            // Root may write anything (a read-only filesystem shows later).
            return sys::fstatat(dir, name, sys::AT_SYMLINK_NOFOLLOW).map(|_| false);
        }
        match sys::faccessat(dir, name, sys::W_OK, sys::AT_EACCESS) {
            Ok(()) => Ok(false),
            Err(e) if e.raw_os_error() == Some(libc::EACCES) => Ok(true),
            Err(e) => Err(e),
        }
    }

    /// Ask before removing (or, with `descend`, entering) an entry, when the
    /// options call for it. `empty` reports whether a directory was found
    /// empty (so it can be removed at once).
    fn prompt(
        &self,
        dir: Dir,
        name: &[u8],
        path: &[u8],
        is_dir: bool,
        descend: bool,
        empty: &mut bool,
    ) -> Outcome {
        *empty = false;
        if self.ask == Ask::Never {
            return Outcome::Ok;
        }
        let lst = sys::fstatat(dir, name, sys::AT_SYMLINK_NOFOLLOW);
        let is_link = matches!(&lst, Ok(st) if st.is_lnk());
        let mut wp = Ok(false);
        if !self.ignore_missing && (self.ask == Ask::Always || self.stdin_tty) && !is_link {
            wp = self.write_protected(dir, name);
        }
        let protected = matches!(wp, Ok(true));
        if !protected && self.ask != Ask::Always {
            return Outcome::Ok;
        }
        let st = match (wp, lst) {
            (Err(e), _) | (_, Err(e)) => {
                ibex::msg!("cannot remove ", quote(path), ": ", e);
                return Outcome::Error;
            }
            (Ok(_), Ok(st)) => st,
        };
        if is_link && self.ask != Ask::Always {
            return Outcome::Ok;
        }
        let is_dir = is_dir || st.is_dir();
        if is_dir && !(self.recursive || (self.dirs && is_empty_dir(dir, name))) {
            ibex::msg!("cannot remove ", quote(path), ": Is a directory");
            return Outcome::Error;
        }
        let wp_word = if protected { "write-protected " } else { "" };
        let q = if is_dir && descend && !is_empty_dir(dir, name) {
            format!("descend into {wp_word}directory ")
        } else {
            *empty = is_dir && descend;
            format!("remove {wp_word}{} ", file_type(&st))
        };
        let mut q = q.into_bytes();
        q.extend_from_slice(&quote(path));
        q.extend_from_slice(b"? ");
        if ask(&q) {
            Outcome::Ok
        } else {
            Outcome::Declined
        }
    }

    /// Unlink or rmdir one entry; `dir_err` is why its contents could not
    /// be read, shown instead of a less telling rmdir error.
    fn excise(
        &mut self,
        dir: Dir,
        name: &[u8],
        path: &[u8],
        is_dir: bool,
        dir_err: Option<&io::Error>,
    ) -> bool {
        let flags = if is_dir { sys::AT_REMOVEDIR } else { 0 };
        match sys::unlinkat(dir, name, flags) {
            Ok(()) => {
                if self.verbose {
                    self.out.str(if is_dir {
                        "removed directory "
                    } else {
                        "removed "
                    });
                    self.out.write(&quote(path));
                    self.out.byte(b'\n');
                }
                true
            }
            Err(mut e) => {
                if e.raw_os_error() == Some(libc::EROFS)
                    && matches!(sys::fstatat(dir, name, sys::AT_SYMLINK_NOFOLLOW), Err(ref s) if s.raw_os_error() == Some(libc::ENOENT))
                {
                    e = io::Error::from_raw_os_error(libc::ENOENT);
                }
                if self.ignorable(&e) {
                    return true;
                }
                if let Some(de) = dir_err
                    && matches!(
                        e.raw_os_error(),
                        Some(libc::ENOTEMPTY | libc::EISDIR | libc::ENOTDIR | libc::EEXIST)
                    )
                    && matches!(de.raw_os_error(), Some(libc::EPERM | libc::EACCES))
                {
                    e = io::Error::from_raw_os_error(de.raw_os_error().unwrap_or(libc::EACCES));
                }
                ibex::msg!("cannot remove ", quote(path), ": ", e);
                false
            }
        }
    }

    /// Remove one operand (a whole tree with -r). False when anything failed.
    fn operand(&mut self, arg: &[u8]) -> bool {
        let name = root_name(arg);
        let mut w = Walker::new(
            name,
            Options {
                follow: Follow::Never,
                xdev: false,
                post: true,
                sorted: false,
                stat_all: false,
            },
        );
        let mut frames: Vec<Frame> = Vec::new();
        let mut ok = true;
        let mut root_dev = 0;
        while let Some(e) = w.next() {
            let (dir, name, depth) = (e.parent, e.name, e.depth);
            let path = e.path.to_vec();
            match e.visit {
                Visit::Pre => {
                    let st = e.stat.copied().unwrap_or_default();
                    let mut done = false;
                    let mut fail = false;
                    let mut keep = false;
                    if depth == 0 {
                        root_dev = st.dev;
                    }
                    if !(self.recursive || (self.dirs && is_empty_dir(dir, name))) {
                        let why = if self.dirs {
                            "Directory not empty"
                        } else {
                            "Is a directory"
                        };
                        ibex::msg!("cannot remove ", quote(&path), ": ", why);
                        fail = true;
                    } else if depth == 0 && is_dot(name) {
                        ibex::msg!(
                            "refusing to remove '.' or '..' directory: skipping ",
                            quote(&path)
                        );
                        fail = true;
                    } else if depth == 0
                        && self.preserve_root
                        && self.root.is_some_and(|r| r.same_file(&st))
                    {
                        refuse_slash(&path);
                        fail = true;
                    } else if depth == 0 && self.preserve_all && !self.same_fs_as_parent(name, &st)
                    {
                        fail = true;
                    } else if depth > 0 && self.one_fs && st.dev != root_dev {
                        ibex::msg!(
                            "skipping ",
                            quote(&path),
                            ", since it's on a different device"
                        );
                        fail = true;
                    } else {
                        let mut empty = false;
                        match self.prompt(dir, name, &path, true, true, &mut empty) {
                            Outcome::Ok if empty => {
                                done = true;
                                if !self.excise(dir, name, &path, true, None) {
                                    fail = true;
                                }
                            }
                            Outcome::Ok => {}
                            Outcome::Declined => keep = true,
                            Outcome::Error => fail = true,
                        }
                    }
                    if fail || keep {
                        ok &= !fail;
                        done = true;
                        if let Some(parent) = frames.last_mut() {
                            parent.kept = true;
                        }
                    }
                    if done {
                        w.prune();
                    }
                    frames.push(Frame {
                        kept: false,
                        done,
                        err: None,
                    });
                }
                Visit::DirError(err) => {
                    if let Some(f) = frames.last_mut() {
                        f.err = Some(io::Error::from_raw_os_error(
                            err.raw_os_error().unwrap_or(libc::EIO),
                        ));
                        if err.raw_os_error().is_none() {
                            ibex::msg!("cannot remove ", quote(&path), ": ", err);
                            f.kept = true;
                            ok = false;
                        }
                    }
                }
                Visit::Post => {
                    // Frames of directories the walk abandoned.
                    while frames.len() > depth + 1 {
                        frames.pop();
                        if let Some(parent) = frames.last_mut() {
                            parent.kept = true;
                        }
                    }
                    let Some(f) = frames.pop() else { continue };
                    if f.done {
                        continue;
                    }
                    let removed = !f.kept && {
                        let mut empty = false;
                        match self.prompt(dir, name, &path, true, false, &mut empty) {
                            Outcome::Ok => {
                                let r = self.excise(dir, name, &path, true, f.err.as_ref());
                                ok &= r;
                                r
                            }
                            Outcome::Declined => false,
                            Outcome::Error => {
                                ok = false;
                                false
                            }
                        }
                    };
                    if !removed && let Some(parent) = frames.last_mut() {
                        parent.kept = true;
                    }
                }
                Visit::StatError(err) if depth == 0 => {
                    if !self.ignorable(err) {
                        ibex::msg!("cannot remove ", quote(&path), ": ", err);
                        ok = false;
                    }
                }
                Visit::File | Visit::StatError(_) | Visit::Loop => {
                    let mut empty = false;
                    let removed = match self.prompt(dir, name, &path, false, false, &mut empty) {
                        Outcome::Ok => {
                            let r = self.excise(dir, name, &path, false, None);
                            ok &= r;
                            r
                        }
                        Outcome::Declined => false,
                        Outcome::Error => {
                            ok = false;
                            false
                        }
                    };
                    if !removed && let Some(parent) = frames.last_mut() {
                        parent.kept = true;
                    }
                }
            }
        }
        ok
    }

    /// `--preserve-root=all`: an operand on another filesystem than its
    /// parent directory is skipped (with a message).
    fn same_fs_as_parent(&self, name: &[u8], st: &Stat) -> bool {
        let mut parent = name.to_vec();
        if !parent.ends_with(b"/") {
            parent.push(b'/');
        }
        parent.extend_from_slice(b"..");
        match sys::lstat(&parent) {
            Ok(p) if p.dev == st.dev => true,
            Ok(_) => {
                ibex::msg!(
                    "skipping ",
                    quote(name),
                    ", since it's on a different device"
                );
                ibex::msg!("and --preserve-root=all is in effect");
                false
            }
            Err(_) => {
                ibex::msg!(
                    "failed to stat ",
                    quote(&parent),
                    ": skipping ",
                    quote(name)
                );
                false
            }
        }
    }
}

/// The refusal to work recursively on `/` (named `path`), as GNU words it.
fn refuse_slash(path: &[u8]) {
    if path == b"/" {
        ibex::msg!("it is dangerous to operate recursively on '/'");
    } else {
        ibex::msg!(
            "it is dangerous to operate recursively on ",
            quote(path),
            " (same as '/')"
        );
    }
    ibex::msg!("use --no-preserve-root to override this failsafe");
}
