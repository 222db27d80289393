//! Evaluating the expression for one file, and running commands.

use super::parse::{Cmp, ExecSpec, Node, Num, PermHow};
use super::printf;
use ibex::fnmatch::{Flags, fnmatch};
use ibex::io::Out;
use ibex::sys::{self, Dir, Stat, Timespec};
use std::ffi::OsString;
use std::os::fd::{AsRawFd, OwnedFd, RawFd};
use std::os::unix::ffi::OsStringExt;

/// The file being looked at, with its stat fetched on demand.
pub struct Ent<'a> {
    pub path: &'a [u8],
    /// Name relative to `parent`.
    pub name: &'a [u8],
    pub parent: Dir,
    pub depth: usize,
    /// S_IFMT kind (0 when unknown until stat'ed).
    pub kind: u32,
    pub root: &'a [u8],
    pub st: Option<Stat>,
    pub follow: bool,
    tried: bool,
    pub failed: bool,
}

impl<'a> Ent<'a> {
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        path: &'a [u8],
        name: &'a [u8],
        parent: Dir,
        depth: usize,
        kind: u32,
        root: &'a [u8],
        st: Option<Stat>,
        follow: bool,
    ) -> Ent<'a> {
        Ent {
            path,
            name,
            parent,
            depth,
            kind,
            root,
            st,
            follow,
            tried: false,
            failed: false,
        }
    }

    pub fn stat(&mut self) -> Option<Stat> {
        if self.st.is_none() && !self.tried {
            self.tried = true;
            let flags = if self.follow {
                0
            } else {
                sys::AT_SYMLINK_NOFOLLOW
            };
            let mut r = sys::fstatat(self.parent, self.name, flags);
            if self.follow && r.is_err() {
                r = sys::fstatat(self.parent, self.name, sys::AT_SYMLINK_NOFOLLOW);
            }
            match r {
                Ok(s) => {
                    self.kind = s.kind();
                    self.st = Some(s);
                }
                Err(e) => {
                    ibex::error::io_error(&quote(self.path)[..], &e);
                    self.failed = true;
                }
            }
        }
        self.st
    }

    fn kind(&mut self) -> u32 {
        if self.kind == 0 {
            self.stat();
        }
        self.kind
    }

    /// The file's base name (of the root path: its last component).
    pub fn base(&self) -> &'a [u8] {
        if self.depth > 0 {
            return self.name;
        }
        let mut p = self.path;
        while p.len() > 1 && p.ends_with(b"/") {
            p = &p[..p.len() - 1];
        }
        if p == b"/" {
            return p;
        }
        match memchr::memrchr(b'/', p) {
            Some(i) => &p[i + 1..],
            None => p,
        }
    }

    /// The leading directories of the path (`%h`), as GNU find shows
    /// them: `/etc` gives the empty string, a name without `/` gives `.`.
    pub fn dirname(&self) -> &'a [u8] {
        let p = self.path;
        if self.depth == 0 {
            let mut q = p;
            while q.len() > 1 && q.ends_with(b"/") {
                q = &q[..q.len() - 1];
            }
            return match memchr::memrchr(b'/', q) {
                Some(i) => &q[..i],
                None => b".",
            };
        }
        let d = &p[..p.len().saturating_sub(self.name.len())];
        d.strip_suffix(b"/").unwrap_or(d)
    }

    /// The path below the root (`%P`).
    pub fn rel(&self) -> &'a [u8] {
        let mut r = self.path.get(self.root.len()..).unwrap_or(b"");
        while r.first() == Some(&b'/') {
            r = &r[1..];
        }
        r
    }
}

pub fn quote(s: &[u8]) -> Vec<u8> {
    let mut v = Vec::with_capacity(s.len() + 2);
    v.push(b'\'');
    v.extend_from_slice(s);
    v.push(b'\'');
    v
}

pub struct ExecState {
    pub spec: ExecSpec,
    batch: Vec<Vec<u8>>,
    size: usize,
    /// For -execdir +: the directory the batch belongs to.
    dir_key: Vec<u8>,
    dir_fd: Option<OwnedFd>,
}

impl ExecState {
    pub fn new(spec: ExecSpec) -> ExecState {
        ExecState {
            spec,
            batch: Vec::new(),
            size: 0,
            dir_key: Vec::new(),
            dir_fd: None,
        }
    }
}

pub struct State {
    pub outs: Vec<Out>,
    pub execs: Vec<ExecState>,
    pub status: i32,
    pub prune: bool,
    pub quit: bool,
    pub now: Timespec,
    pub limit: usize,
    pub buf: Vec<u8>,
    /// Device numbers and filesystem types, read for the first %F.
    pub mounts: Option<Vec<(u64, Vec<u8>)>>,
}

fn kind_of_time(st: &Stat, which: u8) -> Timespec {
    match which {
        b'a' => st.atime,
        b'c' => st.ctime,
        _ => st.mtime,
    }
}

fn num_test(n: &Num, v: u64) -> bool {
    n.test(i64::try_from(v).unwrap_or(i64::MAX))
}

impl State {
    pub fn flush_outs(&mut self) {
        for o in &mut self.outs {
            o.flush();
        }
    }

    fn out(&mut self, i: usize) -> Option<&mut Out> {
        self.outs.get_mut(i)
    }

    pub fn eval(&mut self, n: &Node, e: &mut Ent) -> bool {
        match n {
            Node::And(a, b) => self.eval(a, e) && !self.quit && self.eval(b, e),
            Node::Or(a, b) => self.eval(a, e) || (!self.quit && self.eval(b, e)),
            Node::Comma(a, b) => {
                self.eval(a, e);
                !self.quit && self.eval(b, e)
            }
            Node::Not(a) => !self.eval(a, e),
            Node::True => true,
            Node::False => false,
            Node::Name { pat, icase } => fnmatch(
                pat,
                e.base(),
                Flags {
                    casefold: *icase,
                    ..Flags::default()
                },
            ),
            Node::Path { pat, icase } => fnmatch(
                pat,
                e.path,
                Flags {
                    casefold: *icase,
                    ..Flags::default()
                },
            ),
            Node::Lname { pat, icase } => {
                if e.kind() != sys::S_IFLNK {
                    return false;
                }
                match sys::readlinkat(e.parent, e.name) {
                    Ok(t) => fnmatch(
                        pat,
                        &t,
                        Flags {
                            casefold: *icase,
                            ..Flags::default()
                        },
                    ),
                    Err(_) => false,
                }
            }
            Node::Regex(re) => {
                matches!(re.find_at(e.path, 0), Some(m) if m.start == 0 && m.end == e.path.len())
            }
            Node::Type { kinds, x } => {
                let k = e.kind();
                let k = if !*x {
                    k
                } else if !e.follow {
                    if k == sys::S_IFLNK {
                        sys::fstatat(e.parent, e.name, 0).map_or(k, |s| s.kind())
                    } else {
                        k
                    }
                } else if k == sys::S_IFLNK {
                    k
                } else {
                    sys::fstatat(e.parent, e.name, sys::AT_SYMLINK_NOFOLLOW).map_or(k, |s| s.kind())
                };
                kinds.contains(&k)
            }
            _ => {
                let Some(st) = e.stat() else {
                    return self.eval_nostat(n, e);
                };
                self.eval_stat(n, e, &st)
            }
        }
    }

    fn eval_stat(&mut self, n: &Node, e: &mut Ent, st: &Stat) -> bool {
        match n {
            Node::Perm { mode, how } => {
                let m = st.mode & 0o7777;
                match how {
                    PermHow::Exact => m == *mode,
                    PermHow::All => m & mode == *mode,
                    PermHow::Any => *mode == 0 || m & mode != 0,
                }
            }
            Node::Uid(num) => num.test(i64::from(st.uid)),
            Node::Gid(num) => num.test(i64::from(st.gid)),
            Node::NoUser => ibex::users::user_name(st.uid).is_none(),
            Node::NoGroup => ibex::users::group_name(st.gid).is_none(),
            Node::Size { num, unit } => {
                let v = st.size.div_ceil(*unit);
                num_test(num, v)
            }
            Node::Time { which, num, unit } => {
                let t = kind_of_time(st, *which);
                let ns = (i128::from(self.now.sec) - i128::from(t.sec)) * 1_000_000_000
                    + (i128::from(self.now.nsec) - i128::from(t.nsec));
                let per = i128::from(*unit) * 1_000_000_000;
                let v = ns.div_euclid(per);
                let n = i128::from(num.n);
                match num.cmp {
                    Cmp::Lt => v < n,
                    Cmp::Eq => v == n,
                    Cmp::Gt => v > n,
                }
            }
            Node::Newer { which: b'B', ts } => {
                let flags = if e.follow {
                    0
                } else {
                    sys::AT_SYMLINK_NOFOLLOW
                };
                sys::birth_time(e.parent, e.name, flags).is_some_and(|b| b > *ts)
            }
            Node::Newer { which, ts } => kind_of_time(st, *which) > *ts,
            Node::Links(num) => num_test(num, st.nlink),
            Node::Inum(num) => num_test(num, st.ino),
            Node::SameFile { dev, ino } => st.dev == *dev && st.ino == *ino,
            Node::Empty => {
                if st.is_reg() {
                    st.size == 0
                } else if st.is_dir() {
                    let flags = sys::O_RDONLY | sys::O_DIRECTORY | sys::O_NOCTTY;
                    match sys::openat(e.parent, e.name, flags, 0) {
                        Ok(fd) => {
                            let mut v = Vec::new();
                            match sys::read_dir(fd.as_raw_fd(), &mut v) {
                                Ok(()) => v.is_empty(),
                                Err(err) => {
                                    ibex::error::io_error(&quote(e.path)[..], &err);
                                    self.status = 1;
                                    false
                                }
                            }
                        }
                        Err(err) => {
                            ibex::error::io_error(&quote(e.path)[..], &err);
                            self.status = 1;
                            false
                        }
                    }
                } else {
                    false
                }
            }
            Node::Ls { out } => {
                self.ls(*out, e, st);
                true
            }
            _ => self.eval_nostat(n, e),
        }
    }

    /// Primaries that need no stat (or whose stat failed).
    fn eval_nostat(&mut self, n: &Node, e: &mut Ent) -> bool {
        match n {
            Node::Access(mode) => sys::faccessat(e.parent, e.name, *mode, 0).is_ok(),
            Node::Print { out, nul } => {
                let end = if *nul { 0 } else { b'\n' };
                if let Some(o) = self.out(*out) {
                    o.write(e.path);
                    o.byte(end);
                }
                true
            }
            Node::Printf { out, fmt } => {
                let mut buf = std::mem::take(&mut self.buf);
                buf.clear();
                let go_on = printf::render(fmt, e, &mut buf, &mut self.mounts);
                if let Some(o) = self.out(*out) {
                    o.write(&buf);
                    if !go_on {
                        o.flush();
                    }
                }
                self.buf = buf;
                true
            }
            Node::Prune => {
                self.prune = true;
                true
            }
            Node::Quit => {
                self.quit = true;
                true
            }
            Node::Delete => self.delete(e),
            Node::Exec(i) => self.exec(*i, e),
            _ => false,
        }
    }

    fn delete(&mut self, e: &mut Ent) -> bool {
        if e.depth == 0 && e.path == b"." {
            return true;
        }
        let is_dir = e.kind() == sys::S_IFDIR;
        let flags = if is_dir { sys::AT_REMOVEDIR } else { 0 };
        match sys::unlinkat(e.parent, e.name, flags) {
            Ok(()) => true,
            Err(err) => {
                let mut m = b"cannot delete ".to_vec();
                m.extend_from_slice(&quote(e.path));
                ibex::error::io_error(&m[..], &err);
                self.status = 1;
                false
            }
        }
    }

    fn ls(&mut self, out: usize, e: &mut Ent, st: &Stat) {
        let mut v = Vec::with_capacity(128);
        let user =
            ibex::users::user_name(st.uid).unwrap_or_else(|| st.uid.to_string().into_bytes());
        let group =
            ibex::users::group_name(st.gid).unwrap_or_else(|| st.gid.to_string().into_bytes());
        let size = if matches!(st.kind(), sys::S_IFBLK | sys::S_IFCHR) {
            format!("{:>3}, {:>3}", sys::major(st.rdev), sys::minor(st.rdev))
        } else {
            st.size.to_string()
        };
        v.extend_from_slice(format!("{:>9} {:>6} ", st.ino, st.blocks.div_ceil(2)).as_bytes());
        v.extend_from_slice(&ibex::mode::mode_string(st.mode));
        v.extend_from_slice(format!(" {:>3} ", st.nlink).as_bytes());
        v.extend_from_slice(&user);
        v.resize(v.len() + 9usize.saturating_sub(user.len()), b' ');
        v.extend_from_slice(&group);
        v.resize(v.len() + 9usize.saturating_sub(group.len()), b' ');
        v.extend_from_slice(format!("{size:>8} ").as_bytes());
        let recent = (self.now.sec - st.mtime.sec).abs() < 6 * 30 * 86400;
        if let Some(tm) = ibex::time::local(st.mtime) {
            let f: &[u8] = if recent { b"%b %e %H:%M" } else { b"%b %e  %Y" };
            ibex::time::strftime(f, &tm, &mut v);
        }
        v.push(b' ');
        escaped(e.path, &mut v);
        if st.is_lnk()
            && let Ok(t) = sys::readlinkat(e.parent, e.name)
        {
            v.extend_from_slice(b" -> ");
            escaped(&t, &mut v);
        }
        v.push(b'\n');
        if let Some(o) = self.out(out) {
            o.write(&v);
        }
    }

    /// The directory -execdir runs in, and the name to use there.
    fn exec_dir(e: &Ent) -> (Option<OwnedFd>, Vec<u8>) {
        let mut name = b"./".to_vec();
        name.extend_from_slice(e.base());
        if e.depth > 0 {
            return (sys::dup(e.parent.raw()).ok(), name);
        }
        let d = e.dirname();
        let fd = sys::open(d, sys::O_RDONLY | sys::O_DIRECTORY, 0).ok();
        (fd, name)
    }

    fn exec(&mut self, i: usize, e: &mut Ent) -> bool {
        let Some(x) = self.execs.get(i) else {
            return false;
        };
        let (plus, dir, ok) = (x.spec.plus, x.spec.dir, x.spec.ok);
        if plus {
            let key = if dir {
                e.dirname().to_vec()
            } else {
                Vec::new()
            };
            let (fd, name) = if dir {
                Self::exec_dir(e)
            } else {
                (None, e.path.to_vec())
            };
            let cost = name.len() + 1 + std::mem::size_of::<usize>();
            let full = self.execs.get(i).is_some_and(|x| {
                !x.batch.is_empty() && (x.size + cost > self.limit || (dir && x.dir_key != key))
            });
            if full {
                self.run_batch(i);
            }
            if let Some(x) = self.execs.get_mut(i) {
                if x.batch.is_empty() {
                    x.dir_key = key;
                    x.dir_fd = fd;
                }
                x.size += cost;
                x.batch.push(name);
            }
            return true;
        }
        let (fd, name) = if dir {
            Self::exec_dir(e)
        } else {
            (None, e.path.to_vec())
        };
        let argv: Vec<OsString> = x
            .spec
            .argv
            .iter()
            .map(|a| OsString::from_vec(replace_braces(a, &name)))
            .collect();
        if ok && !confirm(&argv) {
            return false;
        }
        self.flush_outs();
        run(&argv, fd.as_ref().map(|f| f.as_raw_fd()), ok) == Some(0)
    }

    /// Run the pending batch of -exec ... {} + number `i`.
    pub fn run_batch(&mut self, i: usize) {
        let Some(x) = self.execs.get_mut(i) else {
            return;
        };
        if x.batch.is_empty() {
            return;
        }
        let batch = std::mem::take(&mut x.batch);
        let fd = x.dir_fd.take();
        x.size = 0;
        let n = x.spec.argv.len().saturating_sub(1);
        let mut argv: Vec<OsString> = x.spec.argv[..n]
            .iter()
            .map(|a| OsString::from_vec(a.clone()))
            .collect();
        argv.extend(batch.into_iter().map(OsString::from_vec));
        self.flush_outs();
        if run(&argv, fd.as_ref().map(|f| f.as_raw_fd()), false) != Some(0) {
            self.status = 1;
        }
    }

    pub fn finish_batches(&mut self) {
        for i in 0..self.execs.len() {
            self.run_batch(i);
        }
    }
}

/// A name as -ls shows it: space and backslash escaped, bytes that are not
/// printable ASCII as `\ooo`.
fn escaped(name: &[u8], v: &mut Vec<u8>) {
    for &b in name {
        if b == b'\\' || b == b' ' {
            v.extend_from_slice(&[b'\\', b]);
        } else if (0x20..0x7f).contains(&b) {
            v.push(b);
        } else {
            v.extend_from_slice(&[
                b'\\',
                b'0' + (b >> 6),
                b'0' + ((b >> 3) & 7),
                b'0' + (b & 7),
            ]);
        }
    }
}

fn replace_braces(a: &[u8], name: &[u8]) -> Vec<u8> {
    let mut v = Vec::with_capacity(a.len());
    let mut i = 0;
    while i < a.len() {
        if a[i..].starts_with(b"{}") {
            v.extend_from_slice(name);
            i += 2;
        } else {
            v.push(a[i]);
            i += 1;
        }
    }
    v
}

/// Ask `< cmd args... > ? ` on stderr; read the answer from stdin.
fn confirm(argv: &[OsString]) -> bool {
    let mut m = b"< ".to_vec();
    for a in argv {
        m.extend_from_slice(a.as_encoded_bytes());
        m.push(b' ');
    }
    m.extend_from_slice(b"> ? ");
    let _ = sys::write_all(2, &m);
    let mut first = None;
    let mut b = [0u8; 1];
    while let Ok(1) = sys::read(0, &mut b) {
        if first.is_none() {
            first = Some(b[0]);
        }
        if b[0] == b'\n' {
            break;
        }
    }
    matches!(first, Some(b'y' | b'Y'))
}

/// Run a command and wait: its exit status, or None when it could not be
/// run or was killed.
pub fn run(argv: &[OsString], dir: Option<RawFd>, null_stdin: bool) -> Option<i32> {
    match sys::spawn(argv, dir, null_stdin) {
        Ok(pid) => match sys::waitpid(pid, 0, false) {
            Ok(Some((_, sys::WaitStatus::Exited(c)))) => Some(c),
            _ => None,
        },
        Err(err) => {
            let name = argv.first().map(|a| a.as_encoded_bytes()).unwrap_or(b"");
            ibex::error::io_error(&quote(name)[..], &err);
            None
        }
    }
}
