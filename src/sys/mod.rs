//! Thin wrappers over the system calls ibex needs: the only module with
//! `unsafe`. Every wrapper takes byte paths, returns `io::Result`, and keeps
//! the raw errno so callers can print the system's reason text.
#![allow(unsafe_code)]

use std::ffi::{CStr, OsStr, OsString};
use std::io;
use std::mem::MaybeUninit;
use std::os::fd::{AsRawFd, BorrowedFd, FromRawFd, OwnedFd, RawFd};
use std::os::unix::ffi::{OsStrExt, OsStringExt};

pub use libc::{
    AT_EACCESS, AT_EMPTY_PATH, AT_FDCWD, AT_REMOVEDIR, AT_SYMLINK_FOLLOW, AT_SYMLINK_NOFOLLOW,
    O_APPEND, O_CLOEXEC, O_CREAT, O_DIRECTORY, O_EXCL, O_NOCTTY, O_NOFOLLOW, O_NONBLOCK, O_PATH,
    O_RDONLY, O_RDWR, O_TRUNC, O_WRONLY, S_IFBLK, S_IFCHR, S_IFDIR, S_IFIFO, S_IFLNK, S_IFMT,
    S_IFREG, S_IFSOCK, mode_t,
};

/// The errno of the last failed call as an `io::Error`.
fn last() -> io::Error {
    io::Error::last_os_error()
}

fn check(ret: libc::c_int) -> io::Result<libc::c_int> {
    if ret < 0 { Err(last()) } else { Ok(ret) }
}

fn check_size(ret: isize) -> io::Result<usize> {
    if ret < 0 {
        Err(last())
    } else {
        Ok(ret as usize)
    }
}

/// Retry a call while it fails with EINTR.
fn retry<T>(mut f: impl FnMut() -> io::Result<T>) -> io::Result<T> {
    loop {
        match f() {
            Err(e) if e.raw_os_error() == Some(libc::EINTR) => continue,
            r => return r,
        }
    }
}

/// Run `f` with `path` as a NUL-terminated C string, on the stack when short.
/// The conversion is not generic ([`to_cstr`]): each caller's copy is just
/// the buffers and the call.
pub fn with_cstr<T>(path: &[u8], f: impl FnOnce(&CStr) -> io::Result<T>) -> io::Result<T> {
    let mut buf = [0u8; CSTR_STACK];
    let mut heap = Vec::new();
    f(to_cstr(path, &mut buf, &mut heap)?)
}

const CSTR_STACK: usize = 384;

/// `path` as a C string in `buf` when it fits, else in `heap`; EINVAL for
/// a path holding a NUL.
#[inline(never)]
fn to_cstr<'a>(
    path: &[u8],
    buf: &'a mut [u8; CSTR_STACK],
    heap: &'a mut Vec<u8>,
) -> io::Result<&'a CStr> {
    let bytes: &[u8] = match buf.get_mut(..=path.len()) {
        Some(b) => {
            b[..path.len()].copy_from_slice(path);
            b
        }
        None => {
            heap.reserve_exact(path.len() + 1);
            heap.extend_from_slice(path);
            heap.push(0);
            heap
        }
    };
    CStr::from_bytes_with_nul(bytes).map_err(|_| io::Error::from_raw_os_error(libc::EINVAL))
}

/// A directory descriptor argument: `AT_FDCWD` or an open directory.
#[derive(Clone, Copy)]
pub struct Dir(RawFd);

impl Dir {
    pub const CWD: Dir = Dir(libc::AT_FDCWD);
    pub fn of(fd: &impl AsRawFd) -> Dir {
        Dir(fd.as_raw_fd())
    }
    pub fn raw(self) -> RawFd {
        self.0
    }
}

// ---------------------------------------------------------------- files

pub fn openat(dir: Dir, path: &[u8], flags: i32, mode: mode_t) -> io::Result<OwnedFd> {
    with_cstr(path, |c| {
        retry(|| {
            let fd = check(unsafe {
                libc::openat(dir.0, c.as_ptr(), flags | O_CLOEXEC, mode as libc::c_uint)
            })?;
            Ok(unsafe { OwnedFd::from_raw_fd(fd) })
        })
    })
}

pub fn open(path: &[u8], flags: i32, mode: mode_t) -> io::Result<OwnedFd> {
    openat(Dir::CWD, path, flags, mode)
}

pub fn read(fd: RawFd, buf: &mut [u8]) -> io::Result<usize> {
    retry(|| check_size(unsafe { libc::read(fd, buf.as_mut_ptr().cast(), buf.len()) }))
}

pub fn pread(fd: RawFd, buf: &mut [u8], off: u64) -> io::Result<usize> {
    retry(|| check_size(unsafe { libc::pread(fd, buf.as_mut_ptr().cast(), buf.len(), off as i64) }))
}

pub fn write(fd: RawFd, buf: &[u8]) -> io::Result<usize> {
    retry(|| check_size(unsafe { libc::write(fd, buf.as_ptr().cast(), buf.len()) }))
}

/// Write all of `buf`, retrying short writes.
pub fn write_all(fd: RawFd, mut buf: &[u8]) -> io::Result<()> {
    while !buf.is_empty() {
        let n = write(fd, buf)?;
        if n == 0 {
            return Err(io::Error::from_raw_os_error(libc::EIO));
        }
        buf = &buf[n..];
    }
    Ok(())
}

pub fn close(fd: RawFd) -> io::Result<()> {
    check(unsafe { libc::close(fd) }).map(drop)
}

pub fn dup(fd: RawFd) -> io::Result<OwnedFd> {
    let n = check(unsafe { libc::fcntl(fd, libc::F_DUPFD_CLOEXEC, 0) })?;
    Ok(unsafe { OwnedFd::from_raw_fd(n) })
}

pub fn dup2(from: RawFd, to: RawFd) -> io::Result<()> {
    retry(|| check(unsafe { libc::dup2(from, to) })).map(drop)
}

pub const SEEK_SET: i32 = libc::SEEK_SET;
pub const SEEK_CUR: i32 = libc::SEEK_CUR;
pub const SEEK_END: i32 = libc::SEEK_END;
pub const SEEK_DATA: i32 = libc::SEEK_DATA;
pub const SEEK_HOLE: i32 = libc::SEEK_HOLE;

pub fn lseek(fd: RawFd, off: i64, whence: i32) -> io::Result<u64> {
    let r = unsafe { libc::lseek(fd, off, whence) };
    if r < 0 { Err(last()) } else { Ok(r as u64) }
}

pub fn ftruncate(fd: RawFd, len: u64) -> io::Result<()> {
    retry(|| check(unsafe { libc::ftruncate(fd, len as i64) })).map(drop)
}

pub fn fsync(fd: RawFd) -> io::Result<()> {
    retry(|| check(unsafe { libc::fsync(fd) })).map(drop)
}

pub fn fdatasync(fd: RawFd) -> io::Result<()> {
    retry(|| check(unsafe { libc::fdatasync(fd) })).map(drop)
}

pub fn syncfs(fd: RawFd) -> io::Result<()> {
    check(unsafe { libc::syncfs(fd) }).map(drop)
}

pub fn sync() {
    unsafe { libc::sync() }
}

/// copy_file_range(2) between the current offsets of two descriptors.
pub fn copy_file_range(from: RawFd, to: RawFd, len: usize) -> io::Result<usize> {
    retry(|| {
        check_size(unsafe {
            libc::copy_file_range(from, std::ptr::null_mut(), to, std::ptr::null_mut(), len, 0)
        })
    })
}

pub fn sendfile(to: RawFd, from: RawFd, len: usize) -> io::Result<usize> {
    retry(|| check_size(unsafe { libc::sendfile(to, from, std::ptr::null_mut(), len) }))
}

pub fn splice(from: RawFd, to: RawFd, len: usize) -> io::Result<usize> {
    retry(|| {
        check_size(unsafe {
            libc::splice(
                from,
                std::ptr::null_mut(),
                to,
                std::ptr::null_mut(),
                len,
                libc::SPLICE_F_MOVE,
            )
        })
    })
}

pub fn fallocate(fd: RawFd, mode: i32, off: u64, len: u64) -> io::Result<()> {
    check(unsafe { libc::fallocate(fd, mode, off as i64, len as i64) }).map(drop)
}

pub fn pipe() -> io::Result<(OwnedFd, OwnedFd)> {
    let mut fds = [0; 2];
    check(unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) })?;
    Ok(unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) })
}

pub fn set_cloexec(fd: RawFd, on: bool) -> io::Result<()> {
    let flags = check(unsafe { libc::fcntl(fd, libc::F_GETFD) })?;
    let new = if on {
        flags | libc::FD_CLOEXEC
    } else {
        flags & !libc::FD_CLOEXEC
    };
    check(unsafe { libc::fcntl(fd, libc::F_SETFD, new) }).map(drop)
}

pub fn fcntl_getfl(fd: RawFd) -> io::Result<i32> {
    check(unsafe { libc::fcntl(fd, libc::F_GETFL) })
}

pub fn fcntl_setfl(fd: RawFd, flags: i32) -> io::Result<()> {
    check(unsafe { libc::fcntl(fd, libc::F_SETFL, flags) }).map(drop)
}

// ---------------------------------------------------------------- stat

/// The fields of `struct stat` ibex uses.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stat {
    pub dev: u64,
    pub ino: u64,
    pub mode: u32,
    pub nlink: u64,
    pub uid: u32,
    pub gid: u32,
    pub rdev: u64,
    pub size: u64,
    pub blksize: u64,
    pub blocks: u64,
    pub atime: Timespec,
    pub mtime: Timespec,
    pub ctime: Timespec,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Timespec {
    pub sec: i64,
    pub nsec: i64,
}

impl Stat {
    pub fn kind(&self) -> u32 {
        self.mode & S_IFMT
    }
    pub fn is_dir(&self) -> bool {
        self.kind() == S_IFDIR
    }
    pub fn is_reg(&self) -> bool {
        self.kind() == S_IFREG
    }
    pub fn is_lnk(&self) -> bool {
        self.kind() == S_IFLNK
    }
    pub fn same_file(&self, o: &Stat) -> bool {
        self.dev == o.dev && self.ino == o.ino
    }
}

fn from_libc(s: &libc::stat) -> Stat {
    Stat {
        dev: s.st_dev,
        ino: s.st_ino,
        mode: s.st_mode,
        nlink: s.st_nlink,
        uid: s.st_uid,
        gid: s.st_gid,
        rdev: s.st_rdev,
        size: s.st_size as u64,
        blksize: s.st_blksize as u64,
        blocks: s.st_blocks as u64,
        atime: Timespec {
            sec: s.st_atime,
            nsec: s.st_atime_nsec,
        },
        mtime: Timespec {
            sec: s.st_mtime,
            nsec: s.st_mtime_nsec,
        },
        ctime: Timespec {
            sec: s.st_ctime,
            nsec: s.st_ctime_nsec,
        },
    }
}

pub fn fstatat(dir: Dir, path: &[u8], flags: i32) -> io::Result<Stat> {
    with_cstr(path, |c| {
        let mut st = MaybeUninit::<libc::stat>::uninit();
        check(unsafe { libc::fstatat(dir.0, c.as_ptr(), st.as_mut_ptr(), flags) })?;
        Ok(from_libc(unsafe { st.assume_init_ref() }))
    })
}

pub fn stat(path: &[u8]) -> io::Result<Stat> {
    fstatat(Dir::CWD, path, 0)
}

pub fn lstat(path: &[u8]) -> io::Result<Stat> {
    fstatat(Dir::CWD, path, AT_SYMLINK_NOFOLLOW)
}

pub fn fstat(fd: RawFd) -> io::Result<Stat> {
    let mut st = MaybeUninit::<libc::stat>::uninit();
    check(unsafe { libc::fstat(fd, st.as_mut_ptr()) })?;
    Ok(from_libc(unsafe { st.assume_init_ref() }))
}

/// Birth time from statx, when the filesystem records it.
pub fn birth_time(dir: Dir, path: &[u8], flags: i32) -> Option<Timespec> {
    with_cstr(path, |c| {
        let mut sx = MaybeUninit::<libc::statx>::zeroed();
        check(unsafe {
            libc::statx(dir.0, c.as_ptr(), flags, libc::STATX_BTIME, sx.as_mut_ptr())
        })?;
        let sx = unsafe { sx.assume_init_ref() };
        if sx.stx_mask & libc::STATX_BTIME == 0 {
            return Err(io::Error::from_raw_os_error(libc::ENODATA));
        }
        Ok(Timespec {
            sec: sx.stx_btime.tv_sec,
            nsec: sx.stx_btime.tv_nsec as i64,
        })
    })
    .ok()
}

pub fn faccessat(dir: Dir, path: &[u8], mode: i32, flags: i32) -> io::Result<()> {
    with_cstr(path, |c| {
        check(unsafe { libc::faccessat(dir.0, c.as_ptr(), mode, flags) }).map(drop)
    })
}
pub use libc::{F_OK, R_OK, W_OK, X_OK};

// ---------------------------------------------------------------- directories

/// One entry from getdents64. `kind` is the d_type (DT_*), 0 when unknown.
#[derive(Clone, Debug)]
pub struct DirEntry {
    pub ino: u64,
    pub kind: u8,
    pub name: Box<[u8]>,
}

pub use libc::{DT_BLK, DT_CHR, DT_DIR, DT_FIFO, DT_LNK, DT_REG, DT_SOCK, DT_UNKNOWN};

/// Read every entry of an open directory (except `.` and `..`), in large
/// getdents64 batches.
pub fn read_dir(fd: RawFd, out: &mut Vec<DirEntry>) -> io::Result<()> {
    let mut buf = vec![0u8; 32 * 1024];
    loop {
        let n = retry(|| {
            let r = unsafe { libc::syscall(libc::SYS_getdents64, fd, buf.as_mut_ptr(), buf.len()) };
            if r < 0 { Err(last()) } else { Ok(r as usize) }
        })?;
        if n == 0 {
            return Ok(());
        }
        let mut off = 0;
        // struct linux_dirent64 { u64 ino; i64 off; u16 reclen; u8 type; char name[]; }
        while off + 19 <= n {
            let rec = &buf[off..n];
            let ino = u64::from_ne_bytes(rec[0..8].try_into().unwrap_or([0; 8]));
            let reclen = u16::from_ne_bytes([rec[16], rec[17]]) as usize;
            if reclen < 19 || reclen > rec.len() {
                return Err(io::Error::from_raw_os_error(libc::EIO));
            }
            let kind = rec[18];
            let name_area = &rec[19..reclen];
            let len = memchr::memchr(0, name_area).unwrap_or(name_area.len());
            let name = &name_area[..len];
            if name != b"." && name != b".." {
                out.push(DirEntry {
                    ino,
                    kind,
                    name: name.into(),
                });
            }
            off += reclen;
        }
    }
}

pub fn mkdirat(dir: Dir, path: &[u8], mode: mode_t) -> io::Result<()> {
    with_cstr(path, |c| {
        check(unsafe { libc::mkdirat(dir.0, c.as_ptr(), mode) }).map(drop)
    })
}

pub fn unlinkat(dir: Dir, path: &[u8], flags: i32) -> io::Result<()> {
    with_cstr(path, |c| {
        check(unsafe { libc::unlinkat(dir.0, c.as_ptr(), flags) }).map(drop)
    })
}

pub const RENAME_NOREPLACE: u32 = 1;
pub const RENAME_EXCHANGE: u32 = 2;

pub fn renameat2(from_dir: Dir, from: &[u8], to_dir: Dir, to: &[u8], flags: u32) -> io::Result<()> {
    with_cstr(from, |a| {
        with_cstr(to, |b| {
            let r = unsafe {
                if flags == 0 {
                    libc::renameat(from_dir.0, a.as_ptr(), to_dir.0, b.as_ptr())
                } else {
                    libc::syscall(
                        libc::SYS_renameat2,
                        from_dir.0,
                        a.as_ptr(),
                        to_dir.0,
                        b.as_ptr(),
                        flags,
                    ) as libc::c_int
                }
            };
            check(r).map(drop)
        })
    })
}

pub fn rename(from: &[u8], to: &[u8]) -> io::Result<()> {
    renameat2(Dir::CWD, from, Dir::CWD, to, 0)
}

pub fn linkat(from_dir: Dir, from: &[u8], to_dir: Dir, to: &[u8], flags: i32) -> io::Result<()> {
    with_cstr(from, |a| {
        with_cstr(to, |b| {
            check(unsafe { libc::linkat(from_dir.0, a.as_ptr(), to_dir.0, b.as_ptr(), flags) })
                .map(drop)
        })
    })
}

pub fn symlinkat(target: &[u8], dir: Dir, path: &[u8]) -> io::Result<()> {
    with_cstr(target, |t| {
        with_cstr(path, |p| {
            check(unsafe { libc::symlinkat(t.as_ptr(), dir.0, p.as_ptr()) }).map(drop)
        })
    })
}

pub fn readlinkat(dir: Dir, path: &[u8]) -> io::Result<Vec<u8>> {
    with_cstr(path, |c| {
        let mut cap = 256;
        loop {
            let mut buf = vec![0u8; cap];
            let n = check_size(unsafe {
                libc::readlinkat(dir.0, c.as_ptr(), buf.as_mut_ptr().cast(), cap)
            })?;
            if n < cap {
                buf.truncate(n);
                return Ok(buf);
            }
            cap *= 4;
            if cap > 1 << 20 {
                return Err(io::Error::from_raw_os_error(libc::ENAMETOOLONG));
            }
        }
    })
}

pub fn readlink(path: &[u8]) -> io::Result<Vec<u8>> {
    readlinkat(Dir::CWD, path)
}

pub fn mknodat(dir: Dir, path: &[u8], mode: mode_t, dev: u64) -> io::Result<()> {
    with_cstr(path, |c| {
        check(unsafe { libc::mknodat(dir.0, c.as_ptr(), mode, dev) }).map(drop)
    })
}

pub fn makedev(major: u32, minor: u32) -> u64 {
    libc::makedev(major, minor)
}
pub fn major(dev: u64) -> u32 {
    libc::major(dev)
}
pub fn minor(dev: u64) -> u32 {
    libc::minor(dev)
}

// ---------------------------------------------------------------- metadata

pub fn fchmodat(dir: Dir, path: &[u8], mode: mode_t) -> io::Result<()> {
    with_cstr(path, |c| {
        check(unsafe { libc::fchmodat(dir.0, c.as_ptr(), mode, 0) }).map(drop)
    })
}

pub fn fchmod(fd: RawFd, mode: mode_t) -> io::Result<()> {
    check(unsafe { libc::fchmod(fd, mode) }).map(drop)
}

/// `uid`/`gid` of `u32::MAX` leave that id unchanged.
pub fn fchownat(dir: Dir, path: &[u8], uid: u32, gid: u32, flags: i32) -> io::Result<()> {
    with_cstr(path, |c| {
        check(unsafe { libc::fchownat(dir.0, c.as_ptr(), uid, gid, flags) }).map(drop)
    })
}

pub fn fchown(fd: RawFd, uid: u32, gid: u32) -> io::Result<()> {
    check(unsafe { libc::fchown(fd, uid, gid) }).map(drop)
}

/// A time to set with utimensat: a value, now, or leave unchanged.
#[derive(Clone, Copy, Debug)]
pub enum SetTime {
    At(Timespec),
    Now,
    Omit,
}

fn to_timespec(t: SetTime) -> libc::timespec {
    match t {
        SetTime::At(t) => libc::timespec {
            tv_sec: t.sec,
            tv_nsec: t.nsec,
        },
        SetTime::Now => libc::timespec {
            tv_sec: 0,
            tv_nsec: libc::UTIME_NOW,
        },
        SetTime::Omit => libc::timespec {
            tv_sec: 0,
            tv_nsec: libc::UTIME_OMIT,
        },
    }
}

pub fn utimensat(
    dir: Dir,
    path: &[u8],
    atime: SetTime,
    mtime: SetTime,
    flags: i32,
) -> io::Result<()> {
    let ts = [to_timespec(atime), to_timespec(mtime)];
    with_cstr(path, |c| {
        check(unsafe { libc::utimensat(dir.0, c.as_ptr(), ts.as_ptr(), flags) }).map(drop)
    })
}

pub fn futimens(fd: RawFd, atime: SetTime, mtime: SetTime) -> io::Result<()> {
    let ts = [to_timespec(atime), to_timespec(mtime)];
    check(unsafe { libc::futimens(fd, ts.as_ptr()) }).map(drop)
}

pub fn umask(mask: mode_t) -> mode_t {
    unsafe { libc::umask(mask) }
}

/// The current umask, read without changing it for longer than a moment.
pub fn get_umask() -> mode_t {
    let m = umask(0o022);
    umask(m);
    m
}

/// Extended attributes: names of `path`'s attributes (NUL-separated list).
pub fn llistxattr(path: &[u8]) -> io::Result<Vec<u8>> {
    with_cstr(path, |c| {
        let n = check_size(unsafe { libc::llistxattr(c.as_ptr(), std::ptr::null_mut(), 0) })?;
        let mut buf = vec![0u8; n];
        let n = check_size(unsafe { libc::llistxattr(c.as_ptr(), buf.as_mut_ptr().cast(), n) })?;
        buf.truncate(n);
        Ok(buf)
    })
}

pub fn lgetxattr(path: &[u8], name: &CStr) -> io::Result<Vec<u8>> {
    with_cstr(path, |c| {
        let n = check_size(unsafe {
            libc::lgetxattr(c.as_ptr(), name.as_ptr(), std::ptr::null_mut(), 0)
        })?;
        let mut buf = vec![0u8; n];
        let n = check_size(unsafe {
            libc::lgetxattr(c.as_ptr(), name.as_ptr(), buf.as_mut_ptr().cast(), n)
        })?;
        buf.truncate(n);
        Ok(buf)
    })
}

pub fn lsetxattr(path: &[u8], name: &CStr, value: &[u8]) -> io::Result<()> {
    with_cstr(path, |c| {
        check(unsafe {
            libc::lsetxattr(
                c.as_ptr(),
                name.as_ptr(),
                value.as_ptr().cast(),
                value.len(),
                0,
            )
        })
        .map(drop)
    })
}

// ---------------------------------------------------------------- process

pub fn getuid() -> u32 {
    unsafe { libc::getuid() }
}
pub fn geteuid() -> u32 {
    unsafe { libc::geteuid() }
}
pub fn getgid() -> u32 {
    unsafe { libc::getgid() }
}
pub fn getegid() -> u32 {
    unsafe { libc::getegid() }
}
pub fn getpid() -> i32 {
    unsafe { libc::getpid() }
}
pub fn getppid() -> i32 {
    unsafe { libc::getppid() }
}

pub fn getgroups() -> Vec<u32> {
    let n = unsafe { libc::getgroups(0, std::ptr::null_mut()) };
    if n <= 0 {
        return Vec::new();
    }
    let mut v = vec![0u32; n as usize];
    let n = unsafe { libc::getgroups(n, v.as_mut_ptr()) };
    v.truncate(n.max(0) as usize);
    v
}

pub fn kill(pid: i32, sig: i32) -> io::Result<()> {
    check(unsafe { libc::kill(pid, sig) }).map(drop)
}

/// Restore the default action of a signal (Rust's runtime ignores SIGPIPE).
pub fn signal_default(sig: i32) {
    unsafe {
        libc::signal(sig, libc::SIG_DFL);
    }
}

pub fn signal_ignore(sig: i32) {
    unsafe {
        libc::signal(sig, libc::SIG_IGN);
    }
}

pub use libc::{SIGHUP, SIGINT, SIGKILL, SIGPIPE, SIGQUIT, SIGTERM};

/// Replace the process image, searching PATH like execvp. Returns only on error.
pub fn execvp(argv: &[OsString]) -> io::Error {
    let mut cs = Vec::with_capacity(argv.len());
    for a in argv {
        match std::ffi::CString::new(a.as_bytes()) {
            Ok(c) => cs.push(c),
            Err(_) => return io::Error::from_raw_os_error(libc::EINVAL),
        }
    }
    let Some(file) = cs.first() else {
        return io::Error::from_raw_os_error(libc::ENOENT);
    };
    let mut ptrs: Vec<*const libc::c_char> = cs.iter().map(|c| c.as_ptr()).collect();
    ptrs.push(std::ptr::null());
    unsafe { libc::execvp(file.as_ptr(), ptrs.as_ptr()) };
    last()
}

/// Clear the whole environment (for `env -i`).
pub fn clear_env() {
    for (k, _) in std::env::vars_os() {
        // SAFETY: ibex applets are single-threaded when they edit the environment.
        unsafe { std::env::remove_var(k) };
    }
}

pub fn set_env(key: &OsStr, val: &OsStr) {
    // SAFETY: single-threaded at this point (see clear_env).
    unsafe { std::env::set_var(key, val) };
}

pub fn unset_env(key: &OsStr) {
    // SAFETY: single-threaded at this point (see clear_env).
    unsafe { std::env::remove_var(key) };
}

// ---------------------------------------------------------------- terminal

pub fn isatty(fd: RawFd) -> bool {
    unsafe { libc::isatty(fd) == 1 }
}

/// Terminal width in columns of `fd`, if it is a terminal that reports one.
pub fn term_width(fd: RawFd) -> Option<u16> {
    let mut ws = MaybeUninit::<libc::winsize>::zeroed();
    let r = unsafe { libc::ioctl(fd, libc::TIOCGWINSZ, ws.as_mut_ptr()) };
    let ws = unsafe { ws.assume_init() };
    if r == 0 && ws.ws_col > 0 {
        Some(ws.ws_col)
    } else {
        None
    }
}

// ---------------------------------------------------------------- system

pub struct Uname {
    pub sysname: Vec<u8>,
    pub nodename: Vec<u8>,
    pub release: Vec<u8>,
    pub version: Vec<u8>,
    pub machine: Vec<u8>,
    pub domainname: Vec<u8>,
}

pub fn uname() -> io::Result<Uname> {
    let mut u = MaybeUninit::<libc::utsname>::zeroed();
    check(unsafe { libc::uname(u.as_mut_ptr()) })?;
    let u = unsafe { u.assume_init_ref() };
    fn field(f: &[libc::c_char]) -> Vec<u8> {
        f.iter()
            .take_while(|&&c| c != 0)
            .map(|&c| c as u8)
            .collect()
    }
    Ok(Uname {
        sysname: field(&u.sysname),
        nodename: field(&u.nodename),
        release: field(&u.release),
        version: field(&u.version),
        machine: field(&u.machine),
        domainname: field(&u.domainname),
    })
}

#[derive(Clone, Copy, Debug, Default)]
pub struct StatFs {
    pub fs_type: u64,
    pub bsize: u64,
    pub frsize: u64,
    pub blocks: u64,
    pub bfree: u64,
    pub bavail: u64,
    pub files: u64,
    pub ffree: u64,
    pub fsid: u64,
    pub namelen: u64,
}

#[allow(clippy::unnecessary_cast)] // field types differ between libcs
pub fn statfs(path: &[u8]) -> io::Result<StatFs> {
    with_cstr(path, |c| {
        let mut s = MaybeUninit::<libc::statfs>::zeroed();
        check(unsafe { libc::statfs(c.as_ptr(), s.as_mut_ptr()) })?;
        let s = unsafe { s.assume_init_ref() };
        // fsid is an opaque pair of ints; fold it into one number.
        let fsid: [i32; 2] = unsafe { std::mem::transmute(s.f_fsid) };
        Ok(StatFs {
            fs_type: s.f_type as u64,
            bsize: s.f_bsize as u64,
            frsize: if s.f_frsize > 0 {
                s.f_frsize as u64
            } else {
                s.f_bsize as u64
            },
            blocks: s.f_blocks,
            bfree: s.f_bfree,
            bavail: s.f_bavail,
            files: s.f_files,
            ffree: s.f_ffree,
            fsid: ((fsid[0] as u32 as u64) << 32) | fsid[1] as u32 as u64,
            namelen: s.f_namelen as u64,
        })
    })
}

/// Current time of the realtime clock.
pub fn now() -> Timespec {
    let mut ts = MaybeUninit::<libc::timespec>::zeroed();
    unsafe { libc::clock_gettime(libc::CLOCK_REALTIME, ts.as_mut_ptr()) };
    let ts = unsafe { ts.assume_init() };
    Timespec {
        sec: ts.tv_sec,
        nsec: ts.tv_nsec,
    }
}

/// Broken-down local time from the C library (which reads TZ, /etc/localtime
/// and /usr/share/zoneinfo), with the zone's abbreviation.
pub struct LocalTm {
    pub year: i64,
    pub mon: u32,
    pub mday: u32,
    pub hour: u32,
    pub min: u32,
    pub sec: u32,
    pub wday: u32,
    pub yday: u32,
    pub isdst: bool,
    pub gmtoff: i64,
    pub zone: Vec<u8>,
}

pub fn localtime(t: i64, utc: bool) -> Option<LocalTm> {
    #[allow(deprecated)] // time_t is 64-bit on x86_64 whatever musl version
    let tt: libc::time_t = t;
    let mut tm = MaybeUninit::<libc::tm>::zeroed();
    let r = unsafe {
        if utc {
            libc::gmtime_r(&tt, tm.as_mut_ptr())
        } else {
            libc::localtime_r(&tt, tm.as_mut_ptr())
        }
    };
    if r.is_null() {
        return None;
    }
    let tm = unsafe { tm.assume_init() };
    let zone = if tm.tm_zone.is_null() {
        Vec::new()
    } else {
        unsafe { CStr::from_ptr(tm.tm_zone) }.to_bytes().to_vec()
    };
    Some(LocalTm {
        year: tm.tm_year as i64 + 1900,
        mon: tm.tm_mon as u32,
        mday: tm.tm_mday as u32,
        hour: tm.tm_hour as u32,
        min: tm.tm_min as u32,
        sec: tm.tm_sec as u32,
        wday: tm.tm_wday as u32,
        yday: tm.tm_yday as u32,
        isdst: tm.tm_isdst > 0,
        gmtoff: tm.tm_gmtoff,
        zone,
    })
}

/// mktime(3): local broken-down time to seconds since the epoch.
/// `isdst` < 0 lets the library decide.
#[allow(clippy::too_many_arguments)]
pub fn mktime(
    year: i64,
    mon: i32,
    mday: i32,
    hour: i32,
    min: i32,
    sec: i32,
    isdst: i32,
    utc: bool,
) -> Option<i64> {
    let mut tm: libc::tm = unsafe { std::mem::zeroed() };
    tm.tm_year = (year - 1900) as i32;
    tm.tm_mon = mon;
    tm.tm_mday = mday;
    tm.tm_hour = hour;
    tm.tm_min = min;
    tm.tm_sec = sec;
    tm.tm_isdst = isdst;
    let r = unsafe {
        if utc {
            libc::timegm(&mut tm)
        } else {
            libc::mktime(&mut tm)
        }
    };
    if r == -1 && !(year == 1969 && mon == 11 && mday == 31) {
        None
    } else {
        Some(r)
    }
}

pub fn gethostname() -> io::Result<Vec<u8>> {
    let mut buf = [0u8; 256];
    check(unsafe { libc::gethostname(buf.as_mut_ptr().cast(), buf.len()) })?;
    let n = memchr::memchr(0, &buf).unwrap_or(buf.len());
    Ok(buf[..n].to_vec())
}

/// Random bytes from the kernel, for temporary names and seeds. Never
/// waits for the entropy pool: early in boot a plain getrandom blocks until
/// the kernel's generator is seeded (a second under QEMU, longer on
/// boards), so `sed -i` in an init script would stall. GRND_INSECURE
/// (Linux 5.6) does not wait; older kernels get GRND_NONBLOCK, then
/// /dev/urandom.
pub fn getrandom(buf: &mut [u8]) -> io::Result<()> {
    const GRND_INSECURE: libc::c_uint = 4;
    let mut flags = GRND_INSECURE;
    let mut done = 0;
    while done < buf.len() {
        let rest = &mut buf[done..];
        match retry(|| {
            check_size(unsafe { libc::getrandom(rest.as_mut_ptr().cast(), rest.len(), flags) })
        }) {
            Ok(n) => done += n,
            Err(e) if flags == GRND_INSECURE && e.raw_os_error() == Some(libc::EINVAL) => {
                flags = libc::GRND_NONBLOCK;
            }
            Err(e)
                if e.raw_os_error() == Some(libc::EAGAIN)
                    || e.raw_os_error() == Some(libc::ENOSYS) =>
            {
                let fd = open(b"/dev/urandom", O_RDONLY, 0)?;
                let n = read(std::os::fd::AsRawFd::as_raw_fd(&fd), rest)?;
                if n == 0 {
                    return Err(io::Error::from_raw_os_error(libc::EIO));
                }
                done += n;
            }
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// The strerror-independent errno value of an io::Error, if any.
pub fn errno_of(e: &io::Error) -> Option<i32> {
    e.raw_os_error()
}

pub fn nanosleep(sec: u64, nsec: u32) -> io::Result<()> {
    let mut req = libc::timespec {
        tv_sec: sec.min(i64::MAX as u64) as i64,
        tv_nsec: nsec as i64,
    };
    loop {
        let mut rem = MaybeUninit::<libc::timespec>::zeroed();
        let r = unsafe { libc::nanosleep(&req, rem.as_mut_ptr()) };
        if r == 0 {
            return Ok(());
        }
        let e = last();
        if e.raw_os_error() != Some(libc::EINTR) {
            return Err(e);
        }
        req = unsafe { rem.assume_init() };
    }
}

pub fn borrowed(fd: RawFd) -> BorrowedFd<'static> {
    // SAFETY: used only for the standard descriptors 0, 1 and 2, open for the
    // life of the process.
    unsafe { BorrowedFd::borrow_raw(fd) }
}

pub fn os(bytes: &[u8]) -> &OsStr {
    OsStr::from_bytes(bytes)
}

pub fn os_string(bytes: Vec<u8>) -> OsString {
    OsString::from_vec(bytes)
}

// ---------------------------------------------------------------- xattrs on descriptors (copy)

/// Names of the extended attributes of an open file (NUL-separated list).
pub fn flistxattr(fd: RawFd) -> std::io::Result<Vec<u8>> {
    loop {
        let n = check_size(unsafe { libc::flistxattr(fd, std::ptr::null_mut(), 0) })?;
        let mut buf = vec![0u8; n];
        match check_size(unsafe { libc::flistxattr(fd, buf.as_mut_ptr().cast(), n) }) {
            Ok(got) => {
                buf.truncate(got);
                return Ok(buf);
            }
            // The list grew between the two calls: ask again.
            Err(e) if e.raw_os_error() == Some(libc::ERANGE) => continue,
            Err(e) => return Err(e),
        }
    }
}

/// The value of one extended attribute of an open file.
pub fn fgetxattr(fd: RawFd, name: &std::ffi::CStr) -> std::io::Result<Vec<u8>> {
    loop {
        let n = check_size(unsafe { libc::fgetxattr(fd, name.as_ptr(), std::ptr::null_mut(), 0) })?;
        let mut buf = vec![0u8; n];
        match check_size(unsafe { libc::fgetxattr(fd, name.as_ptr(), buf.as_mut_ptr().cast(), n) })
        {
            Ok(got) => {
                buf.truncate(got);
                return Ok(buf);
            }
            Err(e) if e.raw_os_error() == Some(libc::ERANGE) => continue,
            Err(e) => return Err(e),
        }
    }
}

/// Set one extended attribute of an open file.
pub fn fsetxattr(fd: RawFd, name: &std::ffi::CStr, value: &[u8]) -> std::io::Result<()> {
    check(unsafe { libc::fsetxattr(fd, name.as_ptr(), value.as_ptr().cast(), value.len(), 0) })
        .map(drop)
}

/// Empty the environment entirely, malformed entries included (`env -i`).
pub fn clear_environ() {
    // SAFETY: ibex applets are single-threaded when they edit the environment.
    unsafe {
        libc::clearenv();
    }
}

/// execv(2): run the file at `path` with arguments `argv` (argv[0] as the
/// program sees it). Returns only on error.
pub fn execv(path: &[u8], argv: &[std::ffi::OsString]) -> std::io::Error {
    use std::os::unix::ffi::OsStrExt;
    let mut cs = Vec::with_capacity(argv.len());
    for a in argv {
        match std::ffi::CString::new(a.as_bytes()) {
            Ok(c) => cs.push(c),
            Err(_) => return std::io::Error::from_raw_os_error(libc::EINVAL),
        }
    }
    let Ok(file) = std::ffi::CString::new(path) else {
        return std::io::Error::from_raw_os_error(libc::ENOENT);
    };
    let mut ptrs: Vec<*const libc::c_char> = cs.iter().map(|c| c.as_ptr()).collect();
    ptrs.push(std::ptr::null());
    // SAFETY: both arrays are NUL-terminated and outlive the call.
    unsafe { libc::execv(file.as_ptr(), ptrs.as_ptr()) };
    std::io::Error::last_os_error()
}

/// execvp as POSIX specifies it, whatever the C library does: search
/// $PATH (`/bin:/usr/bin` when unset; an empty entry is the current
/// directory) unless the name has a slash, and run a file the kernel
/// refuses as ENOEXEC (a script without `#!`) with /bin/sh, as glibc does
/// and musl does not. Returns only on error: EACCES when something was
/// found but could not be run, else the reason the name was not found.
pub fn execvp_posix(argv: &[std::ffi::OsString]) -> std::io::Error {
    use std::os::unix::ffi::OsStrExt;
    let enoent = || std::io::Error::from_raw_os_error(libc::ENOENT);
    let Some(name) = argv.first().map(|n| n.as_bytes()) else {
        return enoent();
    };
    if name.is_empty() {
        return enoent();
    }
    let run = |path: &[u8]| -> std::io::Error {
        let e = execv(path, argv);
        if e.raw_os_error() != Some(libc::ENOEXEC) {
            return e;
        }
        let mut sh: Vec<std::ffi::OsString> = Vec::with_capacity(argv.len() + 1);
        sh.push("/bin/sh".into());
        sh.push(std::ffi::OsStr::from_bytes(path).to_os_string());
        sh.extend(argv.iter().skip(1).cloned());
        execv(b"/bin/sh", &sh);
        e
    };
    if name.contains(&b'/') {
        return run(name);
    }
    let path = std::env::var_os("PATH").unwrap_or_else(|| "/bin:/usr/bin".into());
    let mut denied: Option<std::io::Error> = None;
    let mut last = enoent();
    for dir in path.as_bytes().split(|&c| c == b':') {
        let mut full = Vec::with_capacity(dir.len() + 1 + name.len());
        if !dir.is_empty() {
            full.extend_from_slice(dir);
            full.push(b'/');
        }
        full.extend_from_slice(name);
        let e = run(&full);
        match e.raw_os_error() {
            Some(libc::EACCES) => denied = Some(e),
            Some(
                libc::ENOENT
                | libc::ENOTDIR
                | libc::ESTALE
                | libc::ELOOP
                | libc::ENAMETOOLONG
                | libc::ENODEV
                | libc::ETIMEDOUT,
            ) => last = e,
            _ => return e,
        }
    }
    denied.unwrap_or(last)
}

/// Like [`read_dir`], but keeps `.` and `..` where the directory lists them
/// (for `ls -a -U`, which shows the directory's own order).
pub fn read_dir_all(fd: std::os::fd::RawFd, out: &mut Vec<DirEntry>) -> std::io::Result<()> {
    let mut buf = vec![0u8; 32 * 1024];
    loop {
        let n = retry(|| {
            let r = unsafe { libc::syscall(libc::SYS_getdents64, fd, buf.as_mut_ptr(), buf.len()) };
            if r < 0 { Err(last()) } else { Ok(r as usize) }
        })?;
        if n == 0 {
            return Ok(());
        }
        let mut off = 0;
        while off + 19 <= n {
            let rec = &buf[off..n];
            let ino = u64::from_ne_bytes(rec[0..8].try_into().unwrap_or([0; 8]));
            let reclen = u16::from_ne_bytes([rec[16], rec[17]]) as usize;
            if reclen < 19 || reclen > rec.len() {
                return Err(std::io::Error::from_raw_os_error(libc::EIO));
            }
            let name_area = &rec[19..reclen];
            let len = memchr::memchr(0, name_area).unwrap_or(name_area.len());
            out.push(DirEntry {
                ino,
                kind: rec[18],
                name: name_area[..len].into(),
            });
            off += reclen;
        }
    }
}

// --- Wide-character classes (wc -m/-w/-L in a UTF-8 locale). musl's
// tables do not depend on setlocale: they always describe Unicode.

// Areas in their own files (each may use `unsafe`; see the module docs).
mod init;
mod mount;
mod proc;
mod text;
pub use init::*;
pub use mount::*;
pub use proc::*;
pub use text::*;
mod misc2;
pub use misc2::*;
mod cpu;
pub use cpu::*;
mod pairs;
pub use pairs::*;
mod sock;
pub use sock::*;
mod findx;
pub use findx::*;
mod net;
pub use net::*;
mod kmod;
pub use kmod::*;
mod spawnx;
pub use spawnx::*;
mod shspawn;
pub use shspawn::*;
mod inotify;
pub use inotify::*;
mod float;
pub use float::*;

#[cfg(test)]
mod tests {
    #[test]
    fn getrandom_fills_the_buffer() {
        let (mut a, mut b) = ([0u8; 300], [0u8; 300]);
        super::getrandom(&mut a).unwrap();
        super::getrandom(&mut b).unwrap();
        assert_ne!(a, b);
        assert!(a.iter().filter(|&&x| x == 0).count() < 20);
        super::getrandom(&mut []).unwrap();
    }

    #[test]
    fn shift_range_moves_exactly_the_range() {
        // Every byte value, at every offset of the vector loop and the tail.
        let all: Vec<u8> = (0..=255u8).chain(0..=255u8).chain(0..7).collect();
        for (lo, span, delta) in [
            (b'a', 25, 0xe0),
            (0xf8, 7, 0x08),
            (0, 0, 1),
            (0x80, 0x7f, 0x80),
        ] {
            let mut got = all.clone();
            super::shift_range(&mut got, lo, span, delta);
            let want: Vec<u8> = all
                .iter()
                .map(|&b| {
                    if b.wrapping_sub(lo) <= span {
                        b.wrapping_add(delta)
                    } else {
                        b
                    }
                })
                .collect();
            assert_eq!(got, want, "{lo} {span} {delta}");
        }
    }
}
