//! Running commands for find -exec and xargs: fork, exec with the exec
//! error sent back through a close-on-exec pipe, and the system's
//! argument-size limit.
#![allow(unsafe_code)]

use super::*;

/// The room for arguments and environment of a new program: Linux allows
/// a quarter of the stack limit (sysconf(_SC_ARG_MAX) at least).
pub fn arg_max() -> usize {
    // SAFETY: sysconf has no memory arguments.
    let n = unsafe { libc::sysconf(libc::_SC_ARG_MAX) };
    let n = if n > 0 { n as usize } else { 4096 };
    let stack = match super::getrlimit(libc::RLIMIT_STACK) {
        Ok((s, _)) if s != u64::MAX => usize::try_from(s / 4).unwrap_or(usize::MAX),
        _ => 2 << 20,
    };
    n.max(stack.min(6 << 20))
}

/// Start `argv` (searched in PATH) as a child process, in the directory
/// `dir` when given, with standard input from /dev/null when `null_stdin`.
/// Returns the child's pid, or why it could not be run (the child has
/// then been reaped).
pub fn spawn(argv: &[OsString], dir: Option<RawFd>, null_stdin: bool) -> io::Result<i32> {
    super::spawnx::spawn_reporting(
        || {
            if let Some(fd) = dir {
                super::fchdir(fd)?;
            }
            if null_stdin {
                let fd = open(b"/dev/null", O_RDONLY, 0)?;
                dup2(fd.as_raw_fd(), 0)?;
            }
            Ok(())
        },
        || execvp_posix(argv),
    )
}

/// [`read_dir`] with a buffer the caller keeps between calls: a tree walk
/// then costs no allocation (and no fresh, zeroed pages) per directory.
pub fn read_dir_buf(fd: RawFd, out: &mut Vec<DirEntry>, buf: &mut Vec<u8>) -> io::Result<()> {
    if buf.len() < 32 * 1024 {
        buf.resize(32 * 1024, 0);
    }
    loop {
        let n = retry(|| {
            // SAFETY: the buffer is valid for writes of its length.
            let r = unsafe { libc::syscall(libc::SYS_getdents64, fd, buf.as_mut_ptr(), buf.len()) };
            if r < 0 { Err(last()) } else { Ok(r as usize) }
        })?;
        if n == 0 {
            return Ok(());
        }
        let mut off = 0;
        // struct linux_dirent64 { u64 ino; i64 off; u16 reclen; u8 type; char name[]; }
        while let Some(rec) = buf.get(off..n) {
            if rec.len() < 19 {
                break;
            }
            let ino = u64::from_ne_bytes(rec[0..8].try_into().unwrap_or([0; 8]));
            let reclen = u16::from_ne_bytes([rec[16], rec[17]]) as usize;
            if reclen < 19 || reclen > rec.len() {
                return Err(io::Error::from_raw_os_error(libc::EIO));
            }
            let name_area = &rec[19..reclen];
            let len = memchr::memchr(0, name_area).unwrap_or(name_area.len());
            let name = &name_area[..len];
            if name != b"." && name != b".." {
                out.push(DirEntry {
                    ino,
                    kind: rec[18],
                    name: name.into(),
                });
            }
            off += reclen;
        }
    }
}
