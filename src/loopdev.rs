//! Loop devices for mount, umount and losetup: find a free device
//! (/dev/loop-control, else a scan), attach a file (LOOP_CONFIGURE, else
//! LOOP_SET_FD + LOOP_SET_STATUS64), read status and backing files, detach.

use crate::sys::{self, LoopSetup, LoopStatus};
use std::io;
use std::os::fd::{AsRawFd, OwnedFd};

/// The block major of loop devices.
pub const LOOP_MAJOR: u32 = 7;

/// How to attach.
#[derive(Clone, Debug, Default)]
pub struct Attach {
    pub offset: u64,
    pub sizelimit: u64,
    pub read_only: bool,
    pub autoclear: bool,
    pub partscan: bool,
    pub direct_io: bool,
}

fn err(code: i32) -> io::Error {
    io::Error::from_raw_os_error(code)
}

/// `/dev/loopN`.
pub fn dev_path(n: u32) -> Vec<u8> {
    let mut v = b"/dev/loop".to_vec();
    crate::put::Put::u(&mut v, u64::from(n));
    v
}

/// The loop number of a device node (its minor), if it is a loop device.
pub fn number_of(path: &[u8]) -> Option<u32> {
    let st = sys::stat(path).ok()?;
    (st.kind() == sys::S_IFBLK && sys::major(st.rdev) == LOOP_MAJOR).then(|| sys::minor(st.rdev))
}

/// Open `/dev/loopN`, creating the node when /dev lacks it (no devtmpfs).
fn open_number(n: u32, flags: i32) -> io::Result<OwnedFd> {
    let path = dev_path(n);
    match sys::open(&path, flags, 0) {
        Err(e) if e.raw_os_error() == Some(libc::ENOENT) => {
            let dev = sys::makedev(LOOP_MAJOR, n);
            match sys::mknodat(sys::Dir::CWD, &path, sys::S_IFBLK | 0o660, dev) {
                Ok(()) => {}
                Err(e) if e.raw_os_error() == Some(libc::EEXIST) => {}
                Err(_) => return Err(e),
            }
            sys::open(&path, flags, 0)
        }
        r => r,
    }
}

/// Whether loop device `n` is free (not attached).
fn is_free(fd: &OwnedFd) -> bool {
    matches!(sys::loop_status(fd.as_raw_fd()), Err(e) if e.raw_os_error() == Some(libc::ENXIO))
}

/// The number of a free loop device: LOOP_CTL_GET_FREE, else the first of
/// /dev/loop0..255 that is not attached.
pub fn find_free() -> io::Result<u32> {
    match sys::open(b"/dev/loop-control", sys::O_RDWR, 0) {
        Ok(ctl) => sys::loop_get_free(ctl.as_raw_fd()),
        Err(first) => {
            for n in 0..256 {
                match open_number(n, sys::O_RDONLY) {
                    Ok(fd) if is_free(&fd) => return Ok(n),
                    Ok(_) => {}
                    Err(_) if n > 7 => break,
                    Err(_) => {}
                }
            }
            Err(if first.raw_os_error() == Some(libc::ENOENT) {
                err(libc::ENODEV)
            } else {
                first
            })
        }
    }
}

/// A device set up by [`attach`].
pub struct Attached {
    /// `/dev/loopN`.
    pub path: Vec<u8>,
    /// Keep it open until the device is in use: with autoclear, closing
    /// the last descriptor of an unused device frees it.
    pub fd: OwnedFd,
    /// The file could only be opened read-only, so the device is too.
    pub read_only: bool,
}

/// Attach `file` to `device` (or to a free device). On failure, the name
/// of what failed (the file, the device or /dev/loop-control) and why.
pub fn attach(
    file: &[u8],
    device: Option<&[u8]>,
    how: &Attach,
) -> Result<Attached, (Vec<u8>, io::Error)> {
    let mut read_only = how.read_only;
    let ffd = if read_only {
        sys::open(file, sys::O_RDONLY, 0)
    } else {
        match sys::open(file, sys::O_RDWR, 0) {
            Err(e) if matches!(e.raw_os_error(), Some(libc::EROFS) | Some(libc::EACCES)) => {
                read_only = true;
                sys::open(file, sys::O_RDONLY, 0)
            }
            r => r,
        }
    }
    .map_err(|e| (file.to_vec(), e))?;
    let name = crate::canon::canonicalize(file, crate::canon::Options::default())
        .unwrap_or_else(|_| file.to_vec());
    let mut flags = 0;
    if read_only {
        flags |= sys::LO_FLAGS_READ_ONLY;
    }
    if how.autoclear {
        flags |= sys::LO_FLAGS_AUTOCLEAR;
    }
    if how.partscan {
        flags |= sys::LO_FLAGS_PARTSCAN;
    }
    if how.direct_io {
        flags |= sys::LO_FLAGS_DIRECT_IO;
    }
    let setup = LoopSetup {
        offset: how.offset,
        sizelimit: how.sizelimit,
        flags,
        name: &name,
    };
    let mode = if read_only {
        sys::O_RDONLY
    } else {
        sys::O_RDWR
    };
    if let Some(dev) = device {
        let dfd = sys::open(dev, mode, 0).map_err(|e| (dev.to_vec(), e))?;
        sys::loop_attach(dfd.as_raw_fd(), ffd.as_raw_fd(), &setup)
            .map_err(|e| (dev.to_vec(), e))?;
        return Ok(Attached {
            path: dev.to_vec(),
            fd: dfd,
            read_only,
        });
    }
    // Another process may take the free device first: try again.
    let mut last = err(libc::EBUSY);
    for _ in 0..16 {
        let n = find_free().map_err(|e| (b"/dev/loop-control".to_vec(), e))?;
        let path = dev_path(n);
        let dfd = open_number(n, mode).map_err(|e| (path.clone(), e))?;
        match sys::loop_attach(dfd.as_raw_fd(), ffd.as_raw_fd(), &setup) {
            Ok(()) => {
                return Ok(Attached {
                    path,
                    fd: dfd,
                    read_only,
                });
            }
            Err(e) if e.raw_os_error() == Some(libc::EBUSY) => last = e,
            Err(e) => return Err((path, e)),
        }
    }
    Err((b"/dev/loop-control".to_vec(), last))
}

/// The status of an attached device (ENXIO when it is free).
pub fn status(device: &[u8]) -> io::Result<LoopStatus> {
    let fd = sys::open(device, sys::O_RDONLY, 0)?;
    sys::loop_status(fd.as_raw_fd())
}

/// The backing file of loop device `n`: sysfs has the whole path; the
/// status only the first 63 bytes.
pub fn backing_file(n: u32, st: &LoopStatus) -> Vec<u8> {
    let mut path = b"/sys/block/loop".to_vec();
    crate::put::Put::u(&mut path, u64::from(n)).extend_from_slice(b"/loop/backing_file");
    match crate::io::read_file(&path) {
        Ok(mut v) => {
            while v.last() == Some(&b'\n') {
                v.pop();
            }
            v
        }
        Err(_) => st.file_name.clone(),
    }
}

/// Every attached loop device, in number order.
pub fn list() -> Vec<(u32, LoopStatus)> {
    let mut nums: Vec<u32> = Vec::new();
    if let Ok(dir) = sys::open(b"/sys/block", sys::O_RDONLY | sys::O_DIRECTORY, 0) {
        let mut ents = Vec::new();
        if sys::read_dir(dir.as_raw_fd(), &mut ents).is_ok() {
            for e in ents {
                if let Some(n) = e.name.strip_prefix(b"loop")
                    && let Ok(n) = crate::num::parse_u64(n)
                    && let Ok(n) = u32::try_from(n)
                {
                    nums.push(n);
                }
            }
        }
    }
    if nums.is_empty() {
        nums.extend(0..256);
    }
    crate::order::sort(&mut nums);
    let mut v = Vec::new();
    for n in nums {
        let Ok(fd) = sys::open(&dev_path(n), sys::O_RDONLY, 0) else {
            continue;
        };
        if let Ok(st) = sys::loop_status(fd.as_raw_fd()) {
            v.push((n, st));
        }
    }
    v
}

/// Detach a loop device.
pub fn detach(device: &[u8]) -> io::Result<()> {
    let fd = sys::open(device, sys::O_RDONLY, 0)?;
    sys::loop_detach(fd.as_raw_fd())
}
