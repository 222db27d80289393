//! switch_root: leave the initramfs for the real root, as BusyBox does.
//! Run as PID 1 with NEW_ROOT a mount point: checks that / is a ramfs or
//! tmpfs holding /init and that NEW_INIT is executable inside NEW_ROOT,
//! deletes everything on the initramfs (fd-relative, never following
//! symlinks, never leaving the root's filesystem), moves NEW_ROOT onto /,
//! chroots into it and execs NEW_INIT, optionally on a new console.

use ibex::Status;
use ibex::args::{Parser, Spec};
use ibex::sys::{self, DirEntry};
use std::ffi::OsString;
use std::os::fd::{AsRawFd, OwnedFd};
use std::os::unix::ffi::OsStrExt;

const USAGE: ibex::usage::Usage = ibex::usage!(
    switch_root,
    "switch_root [-c CONSOLE] [-n] NEW_ROOT NEW_INIT [ARGS]

Free initramfs and switch to another root fs:
chroot to NEW_ROOT, delete all in /, move NEW_ROOT to /,
execute NEW_INIT. PID must be 1. NEW_ROOT must be a mountpoint.

\t-c DEV\tReopen stdio to DEV after switch
\t-n\tDry run: check, do not delete, move or exec"
);

const SPEC: Spec = Spec::new("+c:n", &[], USAGE);

pub fn main(argv: &[OsString]) -> Status {
    let mut p = Parser::new(argv, &SPEC);
    let mut console: Option<Vec<u8>> = None;
    let mut dry_run = false;
    while let Some((id, v)) = p.next()? {
        match char::from_u32(id) {
            Some('c') => console = v.map(|v| v.as_bytes().to_vec()),
            Some('n') => dry_run = true,
            _ => {}
        }
    }
    let ops = p.operands();
    if ops.len() < 2 {
        return Err(ibex::args::usage_error(&SPEC, &[b"missing operand"]));
    }
    let new_root = ops[0].as_bytes();
    let init: Vec<OsString> = ops[1..].iter().map(|s| s.to_os_string()).collect();
    let init_path = ops[1].as_bytes();

    if let Err(e) = sys::change_dir(new_root) {
        ibex::msg!("can't change directory to '", new_root, "': ", e);
        return Ok(1);
    }
    let (root, here) = match (sys::stat(b"/"), sys::stat(b".")) {
        (Ok(r), Ok(h)) => (r, h),
        (Err(e), _) | (_, Err(e)) => {
            ibex::msg!("can't stat '", new_root, "': ", e);
            return Ok(1);
        }
    };
    if root.dev == here.dev {
        return Err(ibex::args::usage_error(
            &SPEC,
            &[b"NEW_ROOT must be a mountpoint"],
        ));
    }
    if !dry_run && sys::getpid() != 1 {
        return Err(ibex::args::usage_error(&SPEC, &[b"PID must be 1"]));
    }
    // We are about to empty /: be sure it is an initramfs.
    if !sys::stat(b"/init").is_ok_and(|s| s.is_reg()) {
        ibex::msg!("can't stat '/init'");
        return Ok(1);
    }
    match sys::statfs(b"/") {
        Ok(fs) if fs.fs_type == sys::RAMFS_MAGIC || fs.fs_type == sys::TMPFS_MAGIC => {}
        _ => {
            ibex::msg!("root filesystem is not ramfs/tmpfs");
            return Ok(1);
        }
    }
    // NEW_INIT must be executable as the new root sees it (its symbolic
    // links resolve inside NEW_ROOT): check from a chrooted child.
    if let Err(e) = check_init(init_path) {
        ibex::msg!("can't execute '", init_path, "': ", e);
        return Ok(1);
    }
    if dry_run {
        return Ok(0);
    }
    match sys::open(b"/", sys::O_RDONLY | sys::O_DIRECTORY | sys::O_NOFOLLOW, 0) {
        Ok(fd) => delete_contents(fd, root.dev),
        Err(e) => ibex::msg!("can't open '/': ", e),
    }
    if let Err(e) = sys::mount(Some(b"."), b"/", None, sys::MS_MOVE, None) {
        ibex::msg!("error moving root: ", e);
        return Ok(1);
    }
    if let Err(e) = sys::chroot(b".") {
        ibex::msg!("can't change root directory to '.': ", e);
        return Ok(1);
    }
    if let Err(e) = sys::change_dir(b"/") {
        ibex::msg!("can't change directory to '/': ", e);
        return Ok(1);
    }
    if let Some(c) = console {
        match sys::open(&c, sys::O_RDWR | sys::O_NOCTTY, 0) {
            Ok(fd) => {
                for n in 0..3 {
                    let _ = sys::dup2(fd.as_raw_fd(), n);
                }
            }
            Err(e) => ibex::msg!("can't open '", c, "': ", e),
        }
    }
    let e = sys::execv(init_path, &init);
    ibex::msg!("can't execute '", init_path, "': ", e);
    Ok(1)
}

/// Whether NEW_INIT is an executable file under the new root (the current
/// directory), checked in a child that chroots there.
fn check_init(init: &[u8]) -> std::io::Result<()> {
    let pid = sys::fork()?;
    if pid == 0 {
        let code = match sys::chroot(b".")
            .and_then(|()| sys::change_dir(b"/"))
            .and_then(|()| sys::faccessat(sys::Dir::CWD, init, sys::X_OK, 0))
            .and_then(|()| sys::stat(init))
        {
            Ok(st) if st.is_reg() => 0,
            Ok(_) => libc::EACCES,
            Err(e) => e.raw_os_error().unwrap_or(libc::EIO),
        };
        sys::exit_now(code);
    }
    match sys::waitpid(pid, 0, false)? {
        Some((_, sys::WaitStatus::Exited(0))) => Ok(()),
        Some((_, sys::WaitStatus::Exited(c))) => Err(std::io::Error::from_raw_os_error(c)),
        _ => Err(std::io::Error::from_raw_os_error(libc::EIO)),
    }
}

/// One directory being emptied: its descriptor, the entries left to
/// remove, and its name in the parent (None for the root).
struct Frame {
    fd: OwnedFd,
    entries: Vec<DirEntry>,
    name: Option<Box<[u8]>>,
}

/// Remove everything under the open directory `root` that is on device
/// `dev`: directories are opened with O_NOFOLLOW relative to their parent
/// and checked to be what was stat'ed; other filesystems (mount points)
/// are left alone. Iterative, so depth costs no stack.
fn delete_contents(root: OwnedFd, dev: u64) {
    let mut entries = Vec::new();
    let _ = sys::read_dir(root.as_raw_fd(), &mut entries);
    let mut stack = vec![Frame {
        fd: root,
        entries,
        name: None,
    }];
    while let Some(top) = stack.last_mut() {
        let Some(ent) = top.entries.pop() else {
            if let Some(f) = stack.pop()
                && let (Some(name), Some(parent)) = (f.name, stack.last())
            {
                drop(f.fd);
                let _ = sys::unlinkat(sys::Dir::of(&parent.fd), &name, sys::AT_REMOVEDIR);
            }
            continue;
        };
        let dir = sys::Dir::of(&top.fd);
        let Ok(st) = sys::fstatat(dir, &ent.name, sys::AT_SYMLINK_NOFOLLOW) else {
            continue;
        };
        if st.dev != dev {
            continue; // another filesystem mounted here
        }
        if !st.is_dir() {
            let _ = sys::unlinkat(dir, &ent.name, 0);
            continue;
        }
        let flags = sys::O_RDONLY | sys::O_DIRECTORY | sys::O_NOFOLLOW;
        let Ok(fd) = sys::openat(dir, &ent.name, flags, 0) else {
            continue;
        };
        if !sys::fstat(fd.as_raw_fd()).is_ok_and(|s| s.same_file(&st)) {
            continue; // replaced under us
        }
        let mut entries = Vec::new();
        let _ = sys::read_dir(fd.as_raw_fd(), &mut entries);
        stack.push(Frame {
            fd,
            entries,
            name: Some(ent.name),
        });
    }
}
