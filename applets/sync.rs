//! sync [-d|-f] [FILE]...: write cached data to storage. Without files the
//! whole system (sync(2)); with files each one (fsync, or fdatasync with
//! -d), or the file system holding it (syncfs, -f). Errors are reported per
//! file and make the status 1.

use ibex::Status;
use ibex::args::{Parser, Spec, flag};
use std::ffi::OsString;
use std::os::fd::AsRawFd;
use std::os::unix::ffi::OsStrExt;

const SPEC: Spec = Spec::new(
    "df",
    &[flag("data", 'd' as u32), flag("file-system", 'f' as u32)],
    ibex::usage!(
        sync,
        "sync [-d|-f] [FILE]...\n\n\
         Write all buffered blocks (in FILEs) to disk\n\n\
         \t-d, --data\tSync only file data, no unneeded metadata\n\
         \t-f, --file-system\tSync the file systems that contain the FILEs"
    ),
);

#[derive(Clone, Copy, PartialEq)]
enum How {
    File,
    Data,
    FileSystem,
}

fn sync_one(name: &[u8], how: How) -> bool {
    let flags = libc::O_RDONLY | libc::O_NONBLOCK | libc::O_CLOEXEC;
    let fd = match ibex::sys::open(name, flags, 0) {
        Ok(fd) => fd,
        // A file that can be written but not read (or a directory).
        Err(e) if matches!(e.raw_os_error(), Some(libc::EACCES | libc::EISDIR)) => {
            match ibex::sys::open(name, libc::O_WRONLY | libc::O_NONBLOCK | libc::O_CLOEXEC, 0) {
                Ok(fd) => fd,
                Err(_) => {
                    ibex::msg!("error opening '", name, "': ", e);
                    return false;
                }
            }
        }
        Err(e) => {
            ibex::msg!("error opening '", name, "': ", e);
            return false;
        }
    };
    let fd_raw = fd.as_raw_fd();
    let r = match how {
        How::File => ibex::sys::fsync(fd_raw),
        How::Data => ibex::sys::fdatasync(fd_raw),
        How::FileSystem => ibex::sys::syncfs(fd_raw),
    };
    if let Err(e) = r {
        ibex::msg!("error syncing '", name, "': ", e);
        return false;
    }
    true
}

pub fn main(argv: &[OsString]) -> Status {
    let (mut data, mut fs) = (false, false);
    let mut p = Parser::new(argv, &SPEC);
    while let Some((id, _)) = p.next()? {
        match char::from_u32(id) {
            Some('d') => data = true,
            Some('f') => fs = true,
            _ => {}
        }
    }
    let files = p.operands();
    if data && fs {
        ibex::msg!("cannot specify both --data and --file-system");
        return Ok(1);
    }
    if data && files.is_empty() {
        ibex::msg!("--data needs at least one argument");
        return Ok(1);
    }
    if files.is_empty() {
        ibex::sys::sync();
        return Ok(0);
    }
    let how = if data {
        How::Data
    } else if fs {
        How::FileSystem
    } else {
        How::File
    };
    let mut status = 0;
    for f in &files {
        if !sync_one(f.as_bytes(), how) {
            status = 1;
        }
    }
    Ok(status)
}
