//! An iterative directory-tree walker.
//!
//! Directories are opened relative to their parent's descriptor with
//! O_NOFOLLOW (unless following symlinks), and checked against the dev/ino
//! that was reported, so a directory swapped for a symlink mid-walk cannot
//! redirect the walk. The walk keeps an explicit stack, never the call stack,
//! and keeps only the deepest [`MAX_OPEN`] directories open: when it climbs
//! back to a closed one it reopens it through `..` of its child and checks its
//! identity again. So a tree 100,000 levels deep needs neither deep recursion
//! nor 100,000 descriptors.

use crate::sys::{self, Dir, DirEntry, Stat};
use std::io;
use std::os::fd::{AsRawFd, OwnedFd};

/// Directories kept open at once (the walk's descriptor budget).
pub const MAX_OPEN: usize = 48;

/// Which symbolic links to follow: never (-P), only the root (-H), all (-L).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Follow {
    Never,
    Root,
    Always,
}

#[derive(Clone, Copy, Debug)]
pub struct Options {
    pub follow: Follow,
    /// Do not descend into directories on another filesystem than the root.
    pub xdev: bool,
    /// Report directories again after their contents (`Visit::Post`).
    pub post: bool,
    /// Visit each directory's entries in byte order of their names.
    pub sorted: bool,
    /// Stat every entry; when false, entries whose type the directory
    /// reports (and that are not followed links) get no `stat`.
    pub stat_all: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            follow: Follow::Never,
            xdev: false,
            post: false,
            sorted: false,
            stat_all: true,
        }
    }
}

/// What is being reported about an entry.
#[derive(Debug)]
pub enum Visit {
    /// A directory, before its contents. Call [`Walker::prune`] to skip them.
    Pre,
    /// A directory, after its contents.
    Post,
    /// Anything that is not a directory being entered.
    File,
    /// A directory whose contents could not be read. `Post` still follows
    /// when requested.
    DirError(io::Error),
    /// The entry could not be stat'ed; `stat` is `None`.
    StatError(io::Error),
    /// A directory that is its own ancestor (only when following links).
    Loop,
}

/// One reported entry, borrowed from the walker until the next call.
pub struct Entry<'a> {
    pub visit: &'a Visit,
    /// Path from the root as given, for messages and output.
    pub path: &'a [u8],
    /// Name relative to `parent` (the whole root path at depth 0).
    pub name: &'a [u8],
    /// Directory descriptor `name` is relative to.
    pub parent: Dir,
    pub depth: usize,
    pub stat: Option<&'a Stat>,
    /// The file type bits (S_IFMT) when known from stat or the directory.
    pub kind: u32,
}

impl Entry<'_> {
    pub fn is_dir(&self) -> bool {
        self.kind == sys::S_IFDIR
    }
}

struct Frame {
    fd: Option<OwnedFd>,
    dev: u64,
    ino: u64,
    /// Entries still to visit, taken from the end.
    entries: Vec<DirEntry>,
    /// Length of the walker's path buffer for this directory's own path.
    path_len: usize,
    name: Box<[u8]>,
    stat: Option<Stat>,
    kind: u32,
}

enum State {
    Start,
    /// The last entry returned was a directory's `Pre`: enter it next.
    Descend,
    Walk,
    Done,
}

pub struct Walker {
    opts: Options,
    state: State,
    frames: Vec<Frame>,
    path: Vec<u8>,
    root_dev: u64,
    pruned: bool,
    // The entry being reported.
    visit: Visit,
    name: Box<[u8]>,
    stat: Option<Stat>,
    kind: u32,
    depth: usize,
    /// A Post to report after a DirError.
    post_pending: bool,
    /// getdents64 buffer, kept from one directory to the next.
    dirbuf: Vec<u8>,
}

fn dtype_kind(d: u8) -> u32 {
    match d {
        sys::DT_DIR => sys::S_IFDIR,
        sys::DT_REG => sys::S_IFREG,
        sys::DT_LNK => sys::S_IFLNK,
        sys::DT_CHR => sys::S_IFCHR,
        sys::DT_BLK => sys::S_IFBLK,
        sys::DT_FIFO => sys::S_IFIFO,
        sys::DT_SOCK => sys::S_IFSOCK,
        _ => 0,
    }
}

fn changed() -> io::Error {
    crate::ioerr::other("directory changed during traversal")
}

impl Walker {
    pub fn new(root: &[u8], opts: Options) -> Walker {
        Walker {
            opts,
            state: State::Start,
            frames: Vec::new(),
            path: root.to_vec(),
            root_dev: 0,
            pruned: false,
            visit: Visit::File,
            name: Box::from(root),
            stat: None,
            kind: 0,
            depth: 0,
            post_pending: false,
            dirbuf: Vec::new(),
        }
    }

    /// Do not descend into the directory just reported with `Visit::Pre`.
    pub fn prune(&mut self) {
        self.pruned = true;
    }

    /// Descriptor of the directory holding the current entry.
    fn parent_dir(&self) -> Dir {
        match self.frames.last().and_then(|f| f.fd.as_ref()) {
            Some(fd) => Dir::of(fd),
            None => Dir::CWD,
        }
    }

    fn entry(&self) -> Entry<'_> {
        let depth = self.depth;
        Entry {
            visit: &self.visit,
            path: &self.path,
            name: &self.name,
            parent: if depth == 0 {
                Dir::CWD
            } else {
                self.parent_dir()
            },
            depth,
            stat: self.stat.as_ref(),
            kind: self.kind,
        }
    }

    /// The next entry, or `None` when the walk is over.
    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> Option<Entry<'_>> {
        loop {
            match self.state {
                State::Done => return None,
                State::Start => {
                    self.start();
                    return Some(self.entry());
                }
                State::Descend => {
                    self.state = State::Walk;
                    if std::mem::take(&mut self.pruned) {
                        if self.opts.post {
                            self.visit = Visit::Post;
                            return Some(self.entry());
                        }
                        continue;
                    }
                    if let Err(e) = self.enter() {
                        self.visit = Visit::DirError(e);
                        self.post_pending = self.opts.post;
                        return Some(self.entry());
                    }
                }
                State::Walk => {
                    if std::mem::take(&mut self.post_pending) {
                        self.visit = Visit::Post;
                        return Some(self.entry());
                    }
                    if self.step() {
                        return Some(self.entry());
                    }
                }
            }
        }
    }

    fn start(&mut self) {
        let flags = if self.opts.follow == Follow::Never {
            sys::AT_SYMLINK_NOFOLLOW
        } else {
            0
        };
        self.depth = 0;
        match sys::fstatat(Dir::CWD, &self.path, flags) {
            Ok(st) => {
                self.root_dev = st.dev;
                self.report(st);
            }
            Err(e) => {
                self.stat = None;
                self.kind = 0;
                self.visit = Visit::StatError(e);
                self.state = State::Done;
            }
        }
    }

    /// Set up the report of a stat'ed entry: Pre for a directory to enter.
    fn report(&mut self, st: Stat) {
        self.kind = st.kind();
        self.stat = Some(st);
        if st.is_dir() {
            if self
                .frames
                .iter()
                .any(|f| f.dev == st.dev && f.ino == st.ino)
            {
                self.visit = Visit::Loop;
                self.state = if self.frames.is_empty() {
                    State::Done
                } else {
                    State::Walk
                };
                return;
            }
            self.visit = Visit::Pre;
            self.pruned = self.opts.xdev && st.dev != self.root_dev;
            self.state = State::Descend;
        } else {
            self.visit = Visit::File;
            self.state = if self.frames.is_empty() {
                State::Done
            } else {
                State::Walk
            };
        }
    }

    fn follows(&self, depth: usize) -> bool {
        match self.opts.follow {
            Follow::Never => false,
            Follow::Root => depth == 0,
            Follow::Always => true,
        }
    }

    /// Open the directory just reported and push it on the stack.
    fn enter(&mut self) -> io::Result<()> {
        let mut flags = sys::O_RDONLY | sys::O_DIRECTORY | sys::O_NOCTTY;
        if !self.follows(self.depth) {
            flags |= sys::O_NOFOLLOW;
        }
        let parent = if self.depth == 0 {
            Dir::CWD
        } else {
            self.parent_dir()
        };
        let fd = sys::openat(parent, &self.name, flags, 0)?;
        let st = sys::fstat(fd.as_raw_fd())?;
        if let Some(seen) = &self.stat
            && !seen.same_file(&st)
        {
            return Err(changed());
        }
        let mut entries = Vec::new();
        sys::read_dir_buf(fd.as_raw_fd(), &mut entries, &mut self.dirbuf)?;
        if self.opts.sorted {
            entries.sort_unstable_by(|a, b| b.name.cmp(&a.name));
        } else {
            entries.reverse();
        }
        self.frames.push(Frame {
            fd: Some(fd),
            dev: st.dev,
            ino: st.ino,
            entries,
            path_len: self.path.len(),
            name: std::mem::take(&mut self.name),
            stat: self.stat.take(),
            kind: sys::S_IFDIR,
        });
        // Keep within the descriptor budget; the root stays open.
        let open = self.frames.len();
        if open > MAX_OPEN
            && let Some(f) = self.frames.get_mut(open - MAX_OPEN)
        {
            f.fd = None;
        }
        Ok(())
    }

    /// Advance to the next entry of the innermost directory, or leave it.
    /// Returns true when an entry is ready to report.
    fn step(&mut self) -> bool {
        let Some(top) = self.frames.last_mut() else {
            self.state = State::Done;
            return false;
        };
        let Some(de) = top.entries.pop() else {
            return self.leave();
        };
        let path_len = top.path_len;
        let dirfd = match &top.fd {
            Some(fd) => Dir::of(fd),
            None => Dir::CWD, // cannot happen: the innermost directory is open
        };
        self.path.truncate(path_len);
        if self.path.last() != Some(&b'/') {
            self.path.push(b'/');
        }
        self.path.extend_from_slice(&de.name);
        self.depth = self.frames.len();
        let dkind = dtype_kind(de.kind);
        let follow = self.follows(self.depth);
        let need_stat = self.opts.stat_all
            || dkind == 0
            || dkind == sys::S_IFDIR
            || (follow && dkind == sys::S_IFLNK);
        self.name = de.name;
        if !need_stat {
            self.stat = None;
            self.kind = dkind;
            self.visit = Visit::File;
            self.state = State::Walk;
            return true;
        }
        let flags = if follow { 0 } else { sys::AT_SYMLINK_NOFOLLOW };
        let mut res = sys::fstatat(dirfd, &self.name, flags);
        if follow && matches!(&res, Err(e) if e.raw_os_error() == Some(libc::ENOENT)) {
            // A dangling symlink is reported as the link itself.
            res = sys::fstatat(dirfd, &self.name, sys::AT_SYMLINK_NOFOLLOW);
        }
        match res {
            Ok(st) => self.report(st),
            Err(e) => {
                self.stat = None;
                self.kind = dkind;
                self.visit = Visit::StatError(e);
                self.state = State::Walk;
            }
        }
        true
    }

    /// Pop the innermost directory; report its Post if wanted.
    fn leave(&mut self) -> bool {
        let Some(done) = self.frames.pop() else {
            self.state = State::Done;
            return false;
        };
        // Reopen the parent if it was closed to stay within budget.
        let closed = self.frames.last().is_some_and(|p| p.fd.is_none());
        if closed {
            match self
                .reopen_via_dotdot(&done)
                .or_else(|_| self.reopen_from_root())
            {
                Ok(fd) => {
                    if let Some(parent) = self.frames.last_mut() {
                        parent.fd = Some(fd);
                    }
                }
                Err(e) => {
                    // The parent is gone from under us: report the error and
                    // abandon its remaining entries.
                    if let Some(parent) = self.frames.last_mut() {
                        parent.entries.clear();
                    }
                    self.path.truncate(done.path_len);
                    self.name = done.name;
                    self.stat = done.stat;
                    self.kind = done.kind;
                    self.depth = self.frames.len();
                    self.visit = Visit::DirError(e);
                    return true;
                }
            }
        }
        drop(done.fd);
        if !self.opts.post {
            if self.frames.is_empty() {
                self.state = State::Done;
            }
            return false;
        }
        self.path.truncate(done.path_len);
        self.name = done.name;
        self.stat = done.stat;
        self.kind = done.kind;
        self.depth = self.frames.len();
        self.visit = Visit::Post;
        true
    }

    /// Reopen the innermost directory through `..` of its child `done`.
    fn reopen_via_dotdot(&self, done: &Frame) -> io::Result<OwnedFd> {
        let parent = self.frames.last().ok_or_else(changed)?;
        let child = done.fd.as_ref().ok_or_else(changed)?;
        let fd = sys::openat(Dir::of(child), b"..", sys::O_RDONLY | sys::O_DIRECTORY, 0)?;
        let st = sys::fstat(fd.as_raw_fd())?;
        if st.dev != parent.dev || st.ino != parent.ino {
            return Err(changed());
        }
        Ok(fd)
    }

    /// Reopen the innermost closed directory by walking down from the root
    /// (for walks through symlinks, where `..` is not the parent we came from).
    fn reopen_from_root(&self) -> io::Result<OwnedFd> {
        let n = self.frames.len();
        let root = self.frames.first().ok_or_else(changed)?;
        let mut cur = sys::dup(root.fd.as_ref().ok_or_else(changed)?.as_raw_fd())?;
        for f in self.frames.iter().take(n).skip(1) {
            let mut flags = sys::O_RDONLY | sys::O_DIRECTORY;
            if self.opts.follow != Follow::Always {
                flags |= sys::O_NOFOLLOW;
            }
            cur = sys::openat(Dir::of(&cur), &f.name, flags, 0)?;
        }
        let st = sys::fstat(cur.as_raw_fd())?;
        match self.frames.last() {
            Some(f) if f.dev == st.dev && f.ino == st.ino => Ok(cur),
            _ => Err(changed()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::ffi::OsStrExt;

    fn tmp(name: &str) -> std::path::PathBuf {
        let d = std::env::temp_dir().join(format!("ibex-walk-{}-{}", name, std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    fn collect(root: &std::path::Path, opts: Options) -> Vec<String> {
        let mut w = Walker::new(root.as_os_str().as_bytes(), opts);
        let base = root.as_os_str().len();
        let mut out = Vec::new();
        while let Some(e) = w.next() {
            let tag = match e.visit {
                Visit::Pre => "pre",
                Visit::Post => "post",
                Visit::File => "file",
                Visit::DirError(_) => "direrr",
                Visit::StatError(_) => "staterr",
                Visit::Loop => "loop",
            };
            out.push(format!(
                "{} {}",
                tag,
                String::from_utf8_lossy(&e.path[base..])
            ));
        }
        out
    }

    #[test]
    fn walks_in_order_with_post() {
        let d = tmp("order");
        std::fs::create_dir_all(d.join("a/b")).unwrap();
        std::fs::write(d.join("a/f"), "x").unwrap();
        std::fs::write(d.join("z"), "x").unwrap();
        let got = collect(
            &d,
            Options {
                post: true,
                sorted: true,
                ..Options::default()
            },
        );
        assert_eq!(
            got,
            [
                "pre ",
                "pre /a",
                "pre /a/b",
                "post /a/b",
                "file /a/f",
                "post /a",
                "file /z",
                "post "
            ]
        );
        std::fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn symlinks_followed_only_when_asked() {
        let d = tmp("links");
        std::fs::create_dir_all(d.join("real")).unwrap();
        std::fs::write(d.join("real/f"), "x").unwrap();
        std::os::unix::fs::symlink("real", d.join("link")).unwrap();
        let never = collect(
            &d,
            Options {
                sorted: true,
                ..Options::default()
            },
        );
        assert_eq!(never, ["pre ", "file /link", "pre /real", "file /real/f"]);
        let always = collect(
            &d,
            Options {
                sorted: true,
                follow: Follow::Always,
                ..Options::default()
            },
        );
        assert_eq!(
            always,
            [
                "pre ",
                "pre /link",
                "file /link/f",
                "pre /real",
                "file /real/f"
            ]
        );
        // A loop through a link is detected, not followed forever.
        std::os::unix::fs::symlink("..", d.join("real/up")).unwrap();
        let looped = collect(
            &d,
            Options {
                sorted: true,
                follow: Follow::Always,
                ..Options::default()
            },
        );
        assert!(looped.contains(&"loop /real/up".to_string()), "{looped:?}");
        std::fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn deep_tree_beyond_descriptor_budget() {
        let d = tmp("deep");
        let depth = MAX_OPEN * 3 + 5;
        let mut p = d.clone();
        for _ in 0..depth {
            p.push("d");
        }
        std::fs::create_dir_all(&p).unwrap();
        std::fs::write(p.join("leaf"), "x").unwrap();
        let got = collect(
            &d,
            Options {
                post: true,
                ..Options::default()
            },
        );
        assert_eq!(
            got.iter().filter(|s| s.starts_with("pre")).count(),
            depth + 1
        );
        assert_eq!(
            got.iter().filter(|s| s.starts_with("post")).count(),
            depth + 1
        );
        assert!(!got.iter().any(|s| s.starts_with("direrr")));
        std::fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn prune_skips_contents() {
        let d = tmp("prune");
        std::fs::create_dir_all(d.join("a/b")).unwrap();
        let mut w = Walker::new(d.as_os_str().as_bytes(), Options::default());
        let mut seen = 0;
        while let Some(e) = w.next() {
            seen += 1;
            if e.depth == 1 {
                w.prune();
            }
        }
        assert_eq!(seen, 2);
        std::fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn missing_root_is_a_stat_error() {
        let mut w = Walker::new(b"/nonexistent/ibex", Options::default());
        match w.next().map(|e| matches!(e.visit, Visit::StatError(_))) {
            Some(true) => {}
            _ => panic!("expected a stat error"),
        }
        assert!(w.next().is_none());
    }
}
