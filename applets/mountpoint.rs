//! mountpoint: is a directory a mount point? util-linux's behaviour and
//! statuses: 0 yes, 32 no (or, with -x, not a block device), 1 on errors.

use ibex::Status;
use ibex::args::{Parser, Spec, flag};
use ibex::io::Out;
use ibex::sys;
use std::ffi::OsString;
use std::os::unix::ffi::OsStrExt;

const NOFOLLOW: u32 = 256;

const LONGS: &[ibex::args::Long] = &[
    flag("quiet", 'q' as u32),
    flag("fs-devno", 'd' as u32),
    flag("devno", 'x' as u32),
    flag("nofollow", NOFOLLOW),
];

const USAGE: ibex::usage::Usage = ibex::usage!(
    mountpoint,
    "mountpoint [-qd] [--nofollow] DIR
  or: mountpoint [-q] -x DEVICE

Check whether DIR is a mount point (exit 0 if it is, 32 if not)

\t-q\tQuiet
\t-d\tPrint the filesystem's major:minor device number
\t-x\tPrint the major:minor of block DEVICE
\t--nofollow\tDo not follow a symbolic link DIR"
);

const SPEC: Spec = Spec::new("qdxh", LONGS, USAGE);

const NOT: i32 = 32;

pub fn main(argv: &[OsString]) -> Status {
    let mut p = Parser::new(argv, &SPEC);
    let (mut quiet, mut fs_devno, mut devno, mut nofollow) = (false, false, false, false);
    while let Some((id, _)) = p.next()? {
        match id {
            NOFOLLOW => nofollow = true,
            _ => match char::from_u32(id) {
                Some('q') => quiet = true,
                Some('d') => fs_devno = true,
                Some('x') => devno = true,
                Some('h') => {
                    ibex::args::print_usage(&SPEC);
                    return Ok(0);
                }
                _ => {}
            },
        }
    }
    let ops = p.operands();
    let [arg] = ops[..] else {
        let m: &[u8] = if ops.is_empty() {
            b"bad usage"
        } else {
            b"too many arguments"
        };
        return Err(ibex::args::usage_error(&SPEC, &[m]));
    };
    let path = arg.as_bytes();
    let st = match if nofollow {
        sys::lstat(path)
    } else {
        sys::stat(path)
    } {
        Ok(s) => s,
        Err(e) => {
            if !quiet {
                ibex::error::io_error(path, &e);
            }
            return Ok(1);
        }
    };
    let mut out = Out::stdout();
    if devno {
        if st.kind() != sys::S_IFBLK {
            if !quiet {
                ibex::msg!(path, ": not a block device");
            }
            return Ok(NOT);
        }
        if !quiet {
            print_dev(&mut out, sys::major(st.rdev), sys::minor(st.rdev));
        }
        return out.done(0);
    }
    let found = is_mountpoint(path, &st, nofollow);
    if fs_devno {
        match found {
            Some((ma, mi)) => {
                if !quiet {
                    print_dev(&mut out, ma, mi);
                }
                return out.done(0);
            }
            None => {
                if !quiet {
                    out.write(path);
                    out.str(" is not a mountpoint\n");
                }
                return out.done(NOT);
            }
        }
    }
    if !quiet {
        out.write(path);
        out.str(if found.is_some() {
            " is a mountpoint\n"
        } else {
            " is not a mountpoint\n"
        });
    }
    out.done(if found.is_some() { 0 } else { NOT })
}

fn print_dev(out: &mut Out, ma: u32, mi: u32) {
    out.num(u64::from(ma));
    out.byte(b':');
    out.num(u64::from(mi));
    out.byte(b'\n');
}

/// The device number of the filesystem mounted at `path`, if it is a mount
/// point: from the mount table, else (no /proc) a directory whose device
/// differs from its parent's, or that is its own parent (the root).
fn is_mountpoint(path: &[u8], st: &sys::Stat, nofollow: bool) -> Option<(u32, u32)> {
    let opts = ibex::canon::Options {
        missing: ibex::canon::Missing::None,
        resolve: !nofollow,
        ..Default::default()
    };
    let canon = ibex::canon::canonicalize(path, opts).ok()?;
    if let Ok(table) = ibex::mounts::read()
        && !table.is_empty()
    {
        return table
            .iter()
            .rev()
            .find(|m| m.point == canon)
            .map(|m| m.dev.unwrap_or((sys::major(st.dev), sys::minor(st.dev))));
    }
    if !st.is_dir() {
        return None;
    }
    let mut parent = path.to_vec();
    parent.extend_from_slice(b"/..");
    let pst = sys::stat(&parent).ok()?;
    (pst.dev != st.dev || pst.ino == st.ino).then(|| (sys::major(st.dev), sys::minor(st.dev)))
}
