//! Starting processes for the shell without fork's cost: external commands
//! through posix_spawn (vfork semantics: no page-table copy, no
//! copy-on-write faults), and an anonymous in-memory file to capture the
//! output of builtins run in-process for command substitution.
#![allow(unsafe_code)]

use std::ffi::CString;

/// What the child does to its descriptors before running the program, in
/// order (the shell's redirections).
pub enum FdAction<'a> {
    /// open(path, flags, 0666) onto `fd`.
    Open {
        fd: i32,
        path: &'a [u8],
        flags: i32,
    },
    /// dup2(from, fd); `from == fd` clears close-on-exec.
    Dup {
        fd: i32,
        from: i32,
    },
    Close {
        fd: i32,
    },
}

fn cstrings(v: &[Vec<u8>]) -> Option<Vec<CString>> {
    v.iter().map(|s| CString::new(s.as_slice()).ok()).collect()
}

struct Actions(libc::posix_spawn_file_actions_t);

impl Drop for Actions {
    fn drop(&mut self) {
        // SAFETY: initialised by posix_spawn_file_actions_init.
        unsafe { libc::posix_spawn_file_actions_destroy(&mut self.0) };
    }
}

/// Run `path` with `argv` and the environment `envp` as a new process,
/// after the descriptor actions. Signals the shell catches are reset to
/// their defaults in the child, ignored ones stay ignored, and the signal
/// mask is the caller's. Returns the child's pid, or the error that kept
/// the program from starting (the child is then already reaped and
/// nothing it did is visible except the files its actions created).
pub fn spawn_program(
    path: &[u8],
    argv: &[Vec<u8>],
    envp: &[Vec<u8>],
    actions: &[FdAction],
) -> std::io::Result<i32> {
    let einval = || std::io::Error::from_raw_os_error(libc::EINVAL);
    let (Some(a), Some(e), Ok(p)) = (cstrings(argv), cstrings(envp), CString::new(path)) else {
        return Err(einval());
    };
    let mut paths = Vec::new();
    for act in actions {
        if let FdAction::Open { path, .. } = act {
            paths.push(CString::new(*path).map_err(|_| einval())?);
        }
    }
    let mut ap: Vec<*mut libc::c_char> = a.iter().map(|c| c.as_ptr().cast_mut()).collect();
    ap.push(std::ptr::null_mut());
    let mut ep: Vec<*mut libc::c_char> = e.iter().map(|c| c.as_ptr().cast_mut()).collect();
    ep.push(std::ptr::null_mut());
    // SAFETY: zeroed storage is initialised by the init call before use.
    let mut fa = Actions(unsafe { std::mem::zeroed() });
    // SAFETY: fa.0 is valid storage for the object.
    let r = unsafe { libc::posix_spawn_file_actions_init(&mut fa.0) };
    if r != 0 {
        return Err(std::io::Error::from_raw_os_error(r));
    }
    let mut next_path = paths.iter();
    for act in actions {
        // SAFETY: fa is initialised; the path strings outlive the spawn.
        let r = unsafe {
            match *act {
                FdAction::Open { fd, flags, .. } => {
                    let Some(c) = next_path.next() else {
                        return Err(einval());
                    };
                    libc::posix_spawn_file_actions_addopen(&mut fa.0, fd, c.as_ptr(), flags, 0o666)
                }
                FdAction::Dup { fd, from } => {
                    libc::posix_spawn_file_actions_adddup2(&mut fa.0, from, fd)
                }
                FdAction::Close { fd } => libc::posix_spawn_file_actions_addclose(&mut fa.0, fd),
            }
        };
        if r != 0 {
            return Err(std::io::Error::from_raw_os_error(r));
        }
    }
    let mut pid: libc::pid_t = 0;
    // SAFETY: every pointer is valid and NUL-terminated arrays end in null.
    let r = unsafe {
        libc::posix_spawn(
            &mut pid,
            p.as_ptr(),
            &fa.0,
            std::ptr::null(),
            ap.as_ptr(),
            ep.as_ptr(),
        )
    };
    if r != 0 {
        return Err(std::io::Error::from_raw_os_error(r));
    }
    Ok(pid)
}

/// An anonymous in-memory file, close-on-exec.
pub fn memfd() -> std::io::Result<i32> {
    // SAFETY: the name is a NUL-terminated literal.
    let fd = unsafe { libc::memfd_create(c"ibex-sh".as_ptr(), libc::MFD_CLOEXEC) };
    if fd < 0 {
        Err(std::io::Error::last_os_error())
    } else {
        Ok(fd)
    }
}

unsafe extern "C" {
    static mut environ: *mut *mut libc::c_char;
}

/// Replace the process environment with `env` (`NAME=value` strings), for
/// a forked child that runs an applet in place of exec'ing it. The strings
/// are leaked: the process ends with the applet.
pub fn set_environ(env: &[Vec<u8>]) {
    let mut ptrs: Vec<*mut libc::c_char> = env
        .iter()
        .filter_map(|s| CString::new(s.as_slice()).ok())
        .map(CString::into_raw)
        .collect();
    ptrs.push(std::ptr::null_mut());
    let array = Box::leak(ptrs.into_boxed_slice());
    // SAFETY: the child of a fork has a single thread; the array and the
    // strings live until the process ends.
    unsafe { environ = array.as_mut_ptr() };
}

/// Close the descriptors above 2 marked close-on-exec, as exec would (for
/// a forked child that runs an applet in place of exec'ing it).
pub fn close_cloexec_fds() {
    let mut fds: Vec<i32> = Vec::new();
    match super::open(b"/proc/self/fd", libc::O_RDONLY | libc::O_DIRECTORY, 0) {
        Ok(dir) => {
            use std::os::fd::AsRawFd;
            let mut entries = Vec::new();
            if super::read_dir(dir.as_raw_fd(), &mut entries).is_ok() {
                let own = dir.as_raw_fd();
                fds.extend(
                    entries
                        .iter()
                        .filter_map(|e| std::str::from_utf8(&e.name).ok()?.parse::<i32>().ok())
                        .filter(|&fd| fd > 2 && fd != own),
                );
            }
        }
        Err(_) => fds.extend(3..256),
    }
    for fd in fds {
        // SAFETY: plain descriptor calls.
        unsafe {
            let f = libc::fcntl(fd, libc::F_GETFD);
            if f >= 0 && f & libc::FD_CLOEXEC != 0 {
                libc::close(fd);
            }
        }
    }
}

/// (device, inode) of the running binary, to recognise links to it. Looked
/// up in /proc once it is there, then remembered: it never changes.
pub fn self_exe_id() -> Option<(u64, u64)> {
    static ID: std::sync::OnceLock<(u64, u64)> = std::sync::OnceLock::new();
    if let Some(id) = ID.get() {
        return Some(*id);
    }
    let st = super::stat(b"/proc/self/exe").ok()?;
    Some(*ID.get_or_init(|| (st.dev, st.ino)))
}
