//! umount: detach filesystems, by mount point or by source. Messages and
//! exit codes follow util-linux (`umount: /x: not mounted.`, 32 on
//! failure, 64 when `-a` unmounted some and failed some).

use ibex::Status;
use ibex::args::{Parser, Spec, flag, value};
use ibex::fstab;
use ibex::mounts::{self, Mount};
use ibex::sys;
use std::ffi::OsString;
use std::io;
use std::os::unix::ffi::OsStrExt;

const EX_FAIL: i32 = 32;
const EX_SOME: i32 = 64;

const LONGS: &[ibex::args::Long] = &[
    flag("all", 'a' as u32),
    flag("all-targets", 'A' as u32),
    flag("no-canonicalize", 'c' as u32),
    flag("detach-loop", 'd' as u32),
    flag("fake", 256),
    flag("force", 'f' as u32),
    flag("internal-only", 'i' as u32),
    flag("no-mtab", 'n' as u32),
    flag("lazy", 'l' as u32),
    value("test-opts", 'O' as u32),
    flag("quiet", 'q' as u32),
    flag("recursive", 'R' as u32),
    flag("read-only", 'r' as u32),
    value("types", 't' as u32),
    flag("verbose", 'v' as u32),
];

const USAGE: ibex::usage::Usage = ibex::usage!(
    umount,
    "umount [-aAdflnrRqv] [-t TYPE] [-O OPT] DIR|DEVICE...

Unmount filesystems

\t-a\tUnmount everything in the mount table (not / or /proc)
\t-A\tUnmount every mount point of a device
\t-R\tUnmount the mounts below each DIR too
\t-l\tLazy: detach now, clean up when no longer busy
\t-f\tForce (unreachable network filesystems)
\t-r\tRemount read-only if unmounting fails
\t-d\tFree the loop device after unmounting
\t-t TYPE\tOnly these types (with -a); -O OPT: only with these options
\t-q\tNo \"not mounted\" messages
\t-v\tVerbose
\t-n -i -c\tAccepted and ignored"
);

const SPEC: Spec = Spec::new("aAcdfhilnO:qRrt:vV", LONGS, USAGE);

struct Opts {
    flags: i32,
    read_only: bool,
    loop_free: bool,
    quiet: bool,
    verbose: bool,
    fake: bool,
    all_targets: bool,
    recursive: bool,
}

pub fn main(argv: &[OsString]) -> Status {
    let mut p = Parser::new(argv, &SPEC);
    let mut o = Opts {
        flags: 0,
        read_only: false,
        loop_free: false,
        quiet: false,
        verbose: false,
        fake: false,
        all_targets: false,
        recursive: false,
    };
    let mut all = false;
    let mut types: Option<Vec<u8>> = None;
    let mut test_opts: Option<Vec<u8>> = None;
    while let Some((id, v)) = p.next()? {
        let val = v.map(|v| v.as_bytes().to_vec()).unwrap_or_default();
        match id {
            256 => o.fake = true,
            _ => match char::from_u32(id) {
                Some('a') => all = true,
                Some('A') => o.all_targets = true,
                Some('d') => o.loop_free = true,
                Some('f') => o.flags |= sys::MNT_FORCE,
                Some('l') => o.flags |= sys::MNT_DETACH,
                Some('r') => o.read_only = true,
                Some('R') => o.recursive = true,
                Some('q') => o.quiet = true,
                Some('v') => o.verbose = true,
                Some('t') => types = Some(val),
                Some('O') => test_opts = Some(val),
                Some('h') => {
                    ibex::args::print_usage(&SPEC);
                    return Ok(0);
                }
                Some('V') => {
                    let mut out = ibex::io::Out::stdout();
                    out.str("umount (ibex ");
                    out.str(ibex::VERSION);
                    out.str(")\n");
                    return out.done(0);
                }
                _ => {} // -c -i -n
            },
        }
    }
    let ops = p.operands();
    let table = mounts::read().unwrap_or_default();
    if all {
        if !ops.is_empty() {
            return Err(ibex::args::usage_error(&SPEC, &[b"bad usage"]));
        }
        return Ok(umount_all(
            &o,
            &table,
            types.as_deref(),
            test_opts.as_deref(),
        ));
    }
    if ops.is_empty() {
        return Err(ibex::args::usage_error(&SPEC, &[b"bad usage"]));
    }
    let mut status = 0;
    for arg in ops {
        if let Err(code) = umount_arg(&o, arg.as_bytes(), types.as_deref()) {
            status = code;
        }
    }
    Ok(status)
}

fn canonical(path: &[u8]) -> Option<Vec<u8>> {
    let opts = ibex::canon::Options {
        missing: ibex::canon::Missing::None,
        ..Default::default()
    };
    ibex::canon::canonicalize(path, opts).ok()
}

/// Unmount what `arg` names: a mount point, or a source (device, file of
/// a loop mount, LABEL=/UUID=), the last one mounted.
fn umount_arg(o: &Opts, arg: &[u8], types: Option<&[u8]>) -> Result<(), i32> {
    let table = mounts::read().unwrap_or_default();
    let mut name = arg.to_vec();
    if let Some((tag, value)) = ibex::blkid::parse_tag(arg)
        && let Some(dev) = ibex::blkid::find(tag, value)
    {
        name = dev;
    }
    let canon = canonical(&name);
    let key = canon.as_deref().unwrap_or(&name);
    // A mount point first, then a source.
    let mut targets: Vec<&Mount> = Vec::new();
    if let Some(m) = table.iter().rev().find(|m| m.point == key) {
        targets.push(m);
    } else {
        let rdev = sys::stat(key)
            .ok()
            .filter(|s| s.kind() == sys::S_IFBLK)
            .map(|s| s.rdev);
        let loops: Vec<Vec<u8>> = loop_devices_of(key);
        let by_source = |m: &&Mount| {
            m.source == key
                || m.source == arg
                || (rdev.is_some() && m.st_dev() == rdev && m.root == b"/")
                || loops.contains(&m.source)
        };
        if o.all_targets {
            targets.extend(table.iter().rev().filter(by_source));
        } else if let Some(m) = table.iter().rev().find(by_source) {
            targets.push(m);
        }
    }
    if targets.is_empty() {
        // Not in the table (or no table): let the kernel decide.
        let Some(c) = canon else {
            ibex::msg!(arg, ": no mount point specified.");
            return Err(EX_FAIL);
        };
        return umount_one(o, &c, arg, None, &table);
    }
    let mut result = Ok(());
    for m in targets {
        if let Some(t) = types
            && !fstab::match_types(t, &m.fstype)
        {
            if !o.quiet {
                ibex::msg!(arg, ": not mounted.");
            }
            result = Err(EX_FAIL);
            continue;
        }
        let point = m.point.clone();
        if o.recursive {
            // Deepest first: every mount at or below the point, newest first.
            let below: Vec<Vec<u8>> = table
                .iter()
                .rev()
                .filter(|x| mounts::is_below(&x.point, &point) && x.point != point)
                .map(|x| x.point.clone())
                .collect();
            for b in below {
                let cur = mounts::read().unwrap_or_default();
                if let Some(x) = cur.iter().rev().find(|x| x.point == b)
                    && let Err(c) = umount_one(o, &b, &b, Some(x), &cur)
                {
                    return Err(c);
                }
            }
        }
        if let Err(c) = umount_one(o, &point, &point, Some(m), &table) {
            result = Err(c);
        }
    }
    result
}

/// The loop devices whose backing file is `file`.
fn loop_devices_of(file: &[u8]) -> Vec<Vec<u8>> {
    if !sys::stat(file).is_ok_and(|s| s.is_reg()) {
        return Vec::new();
    }
    ibex::loopdev::list()
        .into_iter()
        .filter(|(n, st)| ibex::loopdev::backing_file(*n, st) == file)
        .map(|(n, _)| ibex::loopdev::dev_path(n))
        .collect()
}

fn umount_one(
    o: &Opts,
    target: &[u8],
    shown: &[u8],
    m: Option<&Mount>,
    _table: &[Mount],
) -> Result<(), i32> {
    let r = if o.fake {
        Ok(())
    } else {
        sys::umount2(target, o.flags)
    };
    match r {
        Ok(()) => {
            if o.verbose {
                let mut out = ibex::io::Out::stdout();
                out.str("umount: ");
                out.write(target);
                out.str(" unmounted\n");
                out.finish(0);
            }
            if let Some(m) = m
                && o.loop_free
                && m.source.starts_with(b"/dev/loop")
                && !o.fake
            {
                // Autoclear devices are already gone: ignore ENXIO.
                if let Err(e) = ibex::loopdev::detach(&m.source)
                    && e.raw_os_error() != Some(libc::ENXIO)
                {
                    ibex::msg!(m.source, ": failed to free loop device: ", e);
                }
            }
            Ok(())
        }
        Err(e) => {
            let code = e.raw_os_error().unwrap_or(0);
            if code == libc::EBUSY && o.read_only {
                match sys::mount(None, target, None, sys::MS_REMOUNT | sys::MS_RDONLY, None) {
                    Ok(()) => {
                        ibex::msg!(shown, ": target is busy, remounted read-only.");
                        return Ok(());
                    }
                    Err(e2) => {
                        ibex::msg!(
                            shown,
                            ": target is busy; remount read-only failed: ",
                            e2,
                            "."
                        );
                        return Err(EX_FAIL);
                    }
                }
            }
            report(shown, &e, o.quiet);
            Err(EX_FAIL)
        }
    }
}

fn report(target: &[u8], e: &io::Error, quiet: bool) {
    match e.raw_os_error().unwrap_or(0) {
        libc::EINVAL => {
            if !quiet {
                ibex::msg!(target, ": not mounted.")
            }
        }
        libc::EBUSY => ibex::msg!(target, ": target is busy."),
        libc::ENOENT => ibex::msg!(target, ": mountpoint not found."),
        libc::EPERM if sys::geteuid() != 0 => {
            ibex::msg!(target, ": must be superuser to unmount.")
        }
        libc::EPERM | libc::EACCES => ibex::msg!(target, ": permission denied."),
        libc::EIO => ibex::msg!(target, ": filesystem is not responding (I/O error)."),
        _ => ibex::msg!(target, ": umount failed: ", e, "."),
    }
}

/// `-a`: everything in the table, newest first, except the root and (as
/// util-linux) proc, devfs, devpts, sysfs, rpc_pipefs and nfsd unless -t
/// names their type.
fn umount_all(o: &Opts, table: &[Mount], types: Option<&[u8]>, test: Option<&[u8]>) -> i32 {
    let (mut ok, mut failed) = (0, 0);
    for m in table.iter().rev() {
        if m.point == b"/" {
            continue;
        }
        match types {
            Some(t) => {
                if !fstab::match_types(t, &m.fstype) {
                    continue;
                }
            }
            None => {
                if [
                    &b"proc"[..],
                    b"devfs",
                    b"devpts",
                    b"sysfs",
                    b"rpc_pipefs",
                    b"nfsd",
                ]
                .contains(&&m.fstype[..])
                {
                    continue;
                }
            }
        }
        if let Some(t) = test
            && !fstab::match_options(t, &m.combined_options())
        {
            continue;
        }
        // Already gone (under a lazily detached tree, or stacked twice).
        let cur = mounts::read().unwrap_or_default();
        if !cur.iter().any(|x| x.point == m.point) {
            continue;
        }
        match umount_one(o, &m.point, &m.point, Some(m), &cur) {
            Ok(()) => ok += 1,
            Err(_) => failed += 1,
        }
    }
    match (ok, failed) {
        (_, 0) => 0,
        (0, _) => EX_FAIL,
        _ => EX_SOME,
    }
}
