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
