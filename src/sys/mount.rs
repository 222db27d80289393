//! System calls of the mount applets: mount(2), umount2(2), pivot_root,
//! chroot, the loop-device ioctls, the kernel log (syslog(2)), host and
//! domain names, block device sizes, and the ids `chroot --userspec` sets.
#![allow(unsafe_code)]

use super::*;

pub use libc::{
    MNT_DETACH, MNT_EXPIRE, MNT_FORCE, MS_BIND, MS_DIRSYNC, MS_LAZYTIME, MS_MANDLOCK, MS_MOVE,
    MS_NOATIME, MS_NODEV, MS_NODIRATIME, MS_NOEXEC, MS_NOSUID, MS_PRIVATE, MS_RDONLY, MS_REC,
    MS_RELATIME, MS_REMOUNT, MS_SHARED, MS_SILENT, MS_SLAVE, MS_STRICTATIME, MS_SYNCHRONOUS,
    MS_UNBINDABLE, UMOUNT_NOFOLLOW,
};

/// statfs(2) `f_type` values of the filesystems the applets look for.
pub const RAMFS_MAGIC: u64 = 0x8584_58f6;
pub const TMPFS_MAGIC: u64 = 0x0102_1994;
pub const PROC_MAGIC: u64 = 0x9fa0;
pub const SYSFS_MAGIC: u64 = 0x6265_6572;

fn opt_cstr(s: Option<&[u8]>) -> io::Result<Option<std::ffi::CString>> {
    match s {
        None => Ok(None),
        Some(b) => std::ffi::CString::new(b)
            .map(Some)
            .map_err(|_| io::Error::from_raw_os_error(libc::EINVAL)),
    }
}

fn ptr(c: &Option<std::ffi::CString>) -> *const libc::c_char {
    c.as_ref().map_or(std::ptr::null(), |c| c.as_ptr())
}

/// mount(2). `source`, `fstype` and `data` may be absent (NULL).
pub fn mount(
    source: Option<&[u8]>,
    target: &[u8],
    fstype: Option<&[u8]>,
    flags: u64,
    data: Option<&[u8]>,
) -> io::Result<()> {
    let (s, t, d) = (opt_cstr(source)?, opt_cstr(fstype)?, opt_cstr(data)?);
    with_cstr(target, |tc| {
        check(unsafe {
            libc::mount(
                ptr(&s),
                tc.as_ptr(),
                ptr(&t),
                flags as libc::c_ulong,
                ptr(&d).cast(),
            )
        })
        .map(drop)
    })
}

/// umount2(2) with MNT_* / UMOUNT_* flags.
pub fn umount2(target: &[u8], flags: i32) -> io::Result<()> {
    with_cstr(target, |c| {
        check(unsafe { libc::umount2(c.as_ptr(), flags) }).map(drop)
    })
}

pub fn pivot_root(new_root: &[u8], put_old: &[u8]) -> io::Result<()> {
    with_cstr(new_root, |a| {
        with_cstr(put_old, |b| {
            check(unsafe { libc::syscall(libc::SYS_pivot_root, a.as_ptr(), b.as_ptr()) } as i32)
                .map(drop)
        })
    })
}

pub fn chroot(path: &[u8]) -> io::Result<()> {
    with_cstr(path, |c| {
        check(unsafe { libc::chroot(c.as_ptr()) }).map(drop)
    })
}

/// chdir(2) (named so it cannot clash with another area's wrapper).
pub fn change_dir(path: &[u8]) -> io::Result<()> {
    with_cstr(path, |c| {
        check(unsafe { libc::chdir(c.as_ptr()) }).map(drop)
    })
}

pub fn fchdir(fd: RawFd) -> io::Result<()> {
    check(unsafe { libc::fchdir(fd) }).map(drop)
}

pub fn sethostname(name: &[u8]) -> io::Result<()> {
    check(unsafe { libc::sethostname(name.as_ptr().cast(), name.len()) }).map(drop)
}

pub fn setdomainname(name: &[u8]) -> io::Result<()> {
    check(unsafe { libc::setdomainname(name.as_ptr().cast(), name.len()) }).map(drop)
}

/// Drop to `uid`/`gid` with supplementary `groups` (for `chroot --userspec`);
/// `None` leaves that part unchanged.
pub fn set_identity(uid: Option<u32>, gid: Option<u32>, groups: Option<&[u32]>) -> io::Result<()> {
    if let Some(g) = groups {
        check(unsafe { libc::setgroups(g.len(), g.as_ptr()) })?;
    }
    if let Some(g) = gid {
        check(unsafe { libc::setgid(g) })?;
    }
    if let Some(u) = uid {
        check(unsafe { libc::setuid(u) })?;
    }
    Ok(())
}

// ---------------------------------------------------------------- kernel log

/// syslog(2) actions (klogctl).
pub const SYSLOG_READ_ALL: i32 = 3;
pub const SYSLOG_READ_CLEAR: i32 = 4;
pub const SYSLOG_CLEAR: i32 = 5;
pub const SYSLOG_CONSOLE_LEVEL: i32 = 8;
pub const SYSLOG_SIZE_BUFFER: i32 = 10;

/// syslog(2) with a buffer (read actions); returns the count.
pub fn klogctl_read(action: i32, buf: &mut [u8]) -> io::Result<usize> {
    let len = i32::try_from(buf.len()).unwrap_or(i32::MAX);
    let r = unsafe { libc::syscall(libc::SYS_syslog, action, buf.as_mut_ptr(), len) };
    if r < 0 { Err(last()) } else { Ok(r as usize) }
}

/// syslog(2) without a buffer (clear, console level, size queries).
pub fn klogctl(action: i32, arg: i32) -> io::Result<usize> {
    let r = unsafe { libc::syscall(libc::SYS_syslog, action, std::ptr::null_mut::<u8>(), arg) };
    if r < 0 { Err(last()) } else { Ok(r as usize) }
}

// ---------------------------------------------------------------- block devices

/// Size in bytes of an open block device (BLKGETSIZE64), or of a file.
pub fn device_size(fd: RawFd) -> io::Result<u64> {
    const BLKGETSIZE64: libc::c_ulong = 0x8008_1272;
    let st = fstat(fd)?;
    if st.kind() != S_IFBLK {
        return Ok(st.size);
    }
    let mut n: u64 = 0;
    check(unsafe { libc::ioctl(fd, BLKGETSIZE64 as _, &mut n as *mut u64) })?;
    Ok(n)
}

// ---------------------------------------------------------------- loop devices

const LOOP_SET_FD: libc::c_ulong = 0x4C00;
const LOOP_CLR_FD: libc::c_ulong = 0x4C01;
const LOOP_SET_STATUS64: libc::c_ulong = 0x4C04;
const LOOP_GET_STATUS64: libc::c_ulong = 0x4C05;
const LOOP_SET_CAPACITY: libc::c_ulong = 0x4C07;
const LOOP_CONFIGURE: libc::c_ulong = 0x4C0A;
const LOOP_CTL_GET_FREE: libc::c_ulong = 0x4C82;

pub const LO_FLAGS_READ_ONLY: u32 = 1;
pub const LO_FLAGS_AUTOCLEAR: u32 = 4;
pub const LO_FLAGS_PARTSCAN: u32 = 8;
pub const LO_FLAGS_DIRECT_IO: u32 = 16;

/// `struct loop_info64`.
#[repr(C)]
#[derive(Clone, Copy)]
struct LoopInfo64 {
    device: u64,
    inode: u64,
    rdevice: u64,
    offset: u64,
    sizelimit: u64,
    number: u32,
    encrypt_type: u32,
    encrypt_key_size: u32,
    flags: u32,
    file_name: [u8; 64],
    crypt_name: [u8; 64],
    encrypt_key: [u8; 32],
    init: [u64; 2],
}

/// `struct loop_config` (LOOP_CONFIGURE, Linux 5.8).
#[repr(C)]
struct LoopConfig {
    fd: u32,
    block_size: u32,
    info: LoopInfo64,
    reserved: [u64; 8],
}

/// The state of an attached loop device.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LoopStatus {
    /// Device and inode of the backing file (st_dev in the kernel's
    /// "huge" encoding, as util-linux prints it).
    pub device: u64,
    pub inode: u64,
    pub offset: u64,
    pub sizelimit: u64,
    pub number: u32,
    pub flags: u32,
    /// The backing file's name as recorded at setup (at most 63 bytes).
    pub file_name: Vec<u8>,
}

/// How to attach a file to a loop device.
#[derive(Clone, Debug, Default)]
pub struct LoopSetup<'a> {
    pub offset: u64,
    pub sizelimit: u64,
    pub flags: u32,
    /// Recorded as the device's file name (truncated to 63 bytes).
    pub name: &'a [u8],
}

fn zero_info() -> LoopInfo64 {
    // SAFETY: plain integers and byte arrays; all zeroes is valid.
    unsafe { std::mem::zeroed() }
}

/// LOOP_CTL_GET_FREE on /dev/loop-control: the number of a free device.
pub fn loop_get_free(control: RawFd) -> io::Result<u32> {
    let r = check(unsafe { libc::ioctl(control, LOOP_CTL_GET_FREE as _) })?;
    Ok(r as u32)
}

/// Attach the open file `file` to the open loop device `dev`: LOOP_CONFIGURE,
/// or LOOP_SET_FD + LOOP_SET_STATUS64 on kernels without it.
pub fn loop_attach(dev: RawFd, file: RawFd, setup: &LoopSetup) -> io::Result<()> {
    let mut info = zero_info();
    info.offset = setup.offset;
    info.sizelimit = setup.sizelimit;
    info.flags = setup.flags;
    let n = setup.name.len().min(63);
    info.file_name[..n].copy_from_slice(&setup.name[..n]);
    let cfg = LoopConfig {
        fd: file as u32,
        block_size: 0,
        info,
        reserved: [0; 8],
    };
    let r = unsafe { libc::ioctl(dev, LOOP_CONFIGURE as _, &cfg as *const LoopConfig) };
    if r == 0 {
        return Ok(());
    }
    let e = last();
    if !matches!(e.raw_os_error(), Some(libc::EINVAL) | Some(libc::ENOTTY)) {
        return Err(e);
    }
    check(unsafe { libc::ioctl(dev, LOOP_SET_FD as _, file as libc::c_ulong) })?;
    // LOOP_SET_STATUS64 ignores READ_ONLY (it comes from the fd's mode).
    let r = unsafe { libc::ioctl(dev, LOOP_SET_STATUS64 as _, &info as *const LoopInfo64) };
    if r < 0 {
        let e = last();
        unsafe { libc::ioctl(dev, LOOP_CLR_FD as _, 0) };
        return Err(e);
    }
    Ok(())
}

/// LOOP_GET_STATUS64: ENXIO when the device is not attached.
pub fn loop_status(dev: RawFd) -> io::Result<LoopStatus> {
    let mut info = zero_info();
    check(unsafe { libc::ioctl(dev, LOOP_GET_STATUS64 as _, &mut info as *mut LoopInfo64) })?;
    let n = memchr::memchr(0, &info.file_name).unwrap_or(info.file_name.len());
    Ok(LoopStatus {
        device: info.device,
        inode: info.inode,
        offset: info.offset,
        sizelimit: info.sizelimit,
        number: info.number,
        flags: info.flags,
        file_name: info.file_name[..n].to_vec(),
    })
}

/// LOOP_CLR_FD: detach (deferred while the device is still in use).
pub fn loop_detach(dev: RawFd) -> io::Result<()> {
    check(unsafe { libc::ioctl(dev, LOOP_CLR_FD as _, 0) }).map(drop)
}

/// Turn on autoclear for an attached device (detach after the last close).
pub fn loop_set_autoclear(dev: RawFd) -> io::Result<()> {
    let mut info = zero_info();
    check(unsafe { libc::ioctl(dev, LOOP_GET_STATUS64 as _, &mut info as *mut LoopInfo64) })?;
    info.flags |= LO_FLAGS_AUTOCLEAR;
    check(unsafe { libc::ioctl(dev, LOOP_SET_STATUS64 as _, &info as *const LoopInfo64) }).map(drop)
}

/// LOOP_SET_CAPACITY: re-read the backing file's size (`losetup -c`).
pub fn loop_set_capacity(dev: RawFd) -> io::Result<()> {
    check(unsafe { libc::ioctl(dev, LOOP_SET_CAPACITY as _, 0) }).map(drop)
}
