//! mount: attach filesystems, list mounts, mount what /etc/fstab names.
//! Messages and exit codes follow util-linux: `mount: TARGET: reason.`,
//! 1 for bad usage (and a source not found in fstab), 32 when a mount
//! fails, 64 when `-a` mounted some and failed some.

use ibex::Status;
use ibex::args::{Parser, Spec, flag, value};
use ibex::fstab::{self, MountOptions};
use ibex::io::Out;
use ibex::mounts::{self, Mount};
use ibex::sys::{self, MS_BIND, MS_MOVE, MS_RDONLY, MS_REC, MS_REMOUNT};
use std::ffi::OsString;
use std::io;
use std::os::fd::OwnedFd;
use std::os::unix::ffi::OsStrExt;

const EX_USAGE: i32 = 1;
const EX_FAIL: i32 = 32;
const EX_SOME: i32 = 64;

const SOURCE: u32 = 256;
const TARGET: u32 = 257;
const NOCANON: u32 = 258;
const MAKE: u32 = 300; // + index into MAKE_NAMES

const MAKE_NAMES: [&str; 8] = [
    "make-shared",
    "make-slave",
    "make-private",
    "make-unbindable",
    "make-rshared",
    "make-rslave",
    "make-rprivate",
    "make-runbindable",
];

const LONGS: &[ibex::args::Long] = &[
    flag("all", 'a' as u32),
    flag("fake", 'f' as u32),
    flag("fork", 'F' as u32),
    flag("internal-only", 'i' as u32),
    flag("show-labels", 'l' as u32),
    flag("no-mtab", 'n' as u32),
    value("options", 'o' as u32),
    value("test-opts", 'O' as u32),
    flag("read-only", 'r' as u32),
    flag("sloppy", 's' as u32),
    value("fstab", 'T' as u32),
    value("types", 't' as u32),
    flag("verbose", 'v' as u32),
    flag("rw", 'w' as u32),
    flag("read-write", 'w' as u32),
    value("label", 'L' as u32),
    value("uuid", 'U' as u32),
    flag("bind", 'B' as u32),
    flag("rbind", 'R' as u32),
    flag("move", 'M' as u32),
    value("source", SOURCE),
    value("target", TARGET),
    flag("no-canonicalize", NOCANON),
    flag("make-shared", MAKE),
    flag("make-slave", MAKE + 1),
    flag("make-private", MAKE + 2),
    flag("make-unbindable", MAKE + 3),
    flag("make-rshared", MAKE + 4),
    flag("make-rslave", MAKE + 5),
    flag("make-rprivate", MAKE + 6),
    flag("make-runbindable", MAKE + 7),
];

const USAGE: ibex::usage::Usage = ibex::usage!(
    mount,
    "mount [-afFilnrsvw] [-t TYPE] [-o OPT] [-O OPT] [-T FSTAB] [DEVICE] [DIR]

Mount a filesystem (no operands: list the mounted ones)

\t-a\tMount everything in /etc/fstab (not noauto, not yet mounted)
\t-t TYPE\tFilesystem type(s), comma-separated; `noT1,T2` excludes (with -a or listing)
\t-o OPT\tOptions: ro rw [no]suid [no]dev [no]exec [a]sync dirsync remount bind rbind
\t\tmove [no]atime [no]relatime strictatime [no]diratime [no]lazytime [no]mand
\t\tsilent loud [r]shared [r]slave [r]private [r]unbindable loop[=DEV] offset=N
\t\tsizelimit=N X-mount.mkdir[=MODE] defaults auto noauto user nouser _netdev
\t\tnofail; others are passed to the filesystem
\t-O OPT\tWith -a: only entries with (or, as noOPT, without) these options
\t-T FSTAB\tRead FSTAB instead of /etc/fstab ($IBEX_FSTAB also works)
\t-L LABEL\tMount the filesystem with this label; -U UUID: with this UUID
\t-B\tBind mount (--bind); -R: recursive bind (--rbind); -M: move (--move)
\t--make-[r]{shared,slave,private,unbindable} DIR\tChange propagation
\t-r\tRead-only; -w: read-write
\t-l\tList labels too
\t-f\tDo everything but the mount system call
\t-v\tVerbose
\t-n -i -s -F\tAccepted and ignored"
);

const SPEC: Spec = Spec::new("afFhilL:nO:o:rsT:t:U:vVwBRM", LONGS, USAGE);

struct Ctx {
    fake: bool,
    verbose: bool,
    /// -t, as given.
    types: Option<Vec<u8>>,
    /// Options from the command line (-o, -r, -w, -B, ...), in order.
    user_opts: Vec<u8>,
    fstab_path: Vec<u8>,
}

fn push_opt(list: &mut Vec<u8>, opt: &[u8]) {
    if !list.is_empty() {
        list.push(b',');
    }
    list.extend_from_slice(opt);
}

pub fn main(argv: &[OsString]) -> Status {
    let mut p = Parser::new(argv, &SPEC);
    let mut ctx = Ctx {
        fake: false,
        verbose: false,
        types: None,
        user_opts: Vec::new(),
        fstab_path: fstab::default_path(),
    };
    let mut all = false;
    let mut labels = false;
    let mut test_opts: Option<Vec<u8>> = None;
    let mut source: Option<Vec<u8>> = None;
    let mut target: Option<Vec<u8>> = None;
    while let Some((id, v)) = p.next()? {
        let val = v.map(|v| v.as_bytes().to_vec()).unwrap_or_default();
        match id {
            SOURCE => source = Some(val),
            TARGET => target = Some(val),
            NOCANON => {}
            _ if (MAKE..MAKE + 8).contains(&id) => {
                let name = MAKE_NAMES[(id - MAKE) as usize];
                push_opt(&mut ctx.user_opts, &name.as_bytes()[5..]);
            }
            _ => match char::from_u32(id) {
                Some('a') => all = true,
                Some('f') => ctx.fake = true,
                Some('h') => {
                    ibex::args::print_usage(&SPEC);
                    return Ok(0);
                }
                Some('V') => {
                    let mut out = Out::stdout();
                    out.str("mount (ibex ");
                    out.str(ibex::VERSION);
                    out.str(")\n");
                    return out.done(0);
                }
                Some('l') => labels = true,
                Some('o') => push_opt(&mut ctx.user_opts, &val),
                Some('O') => test_opts = Some(val),
                Some('r') => push_opt(&mut ctx.user_opts, b"ro"),
                Some('w') => push_opt(&mut ctx.user_opts, b"rw"),
                Some('T') => ctx.fstab_path = val,
                Some('t') => ctx.types = Some(val),
                Some('v') => ctx.verbose = true,
                Some('L') => source = Some([&b"LABEL="[..], &val].concat()),
                Some('U') => source = Some([&b"UUID="[..], &val].concat()),
                Some('B') => push_opt(&mut ctx.user_opts, b"bind"),
                Some('R') => push_opt(&mut ctx.user_opts, b"rbind"),
                Some('M') => push_opt(&mut ctx.user_opts, b"move"),
                _ => {} // -F -i -n -s
            },
        }
    }
    let mut ops: Vec<Vec<u8>> = p.operands().iter().map(|o| o.as_bytes().to_vec()).collect();
    // Check the options once, so a bad one is a usage error.
    let user = match MountOptions::parse(&ctx.user_opts) {
        Ok(o) => o,
        Err(bad) => {
            ibex::msg!("invalid option value: ", bad);
            return Ok(EX_USAGE);
        }
    };
    if all {
        if !ops.is_empty() || source.is_some() || target.is_some() {
            return Err(bad_usage());
        }
        return Ok(mount_all(&ctx, test_opts.as_deref()));
    }
    // --source/--target/-L/-U fill in the operands.
    match (source, target) {
        (Some(s), Some(t)) => ops.splice(0..0, [s, t]).for_each(drop),
        (Some(s), None) => ops.insert(0, s),
        (None, Some(t)) => ops.push(t),
        (None, None) => {}
    }
    match ops.len() {
        0 => {
            if !ctx.user_opts.is_empty() {
                return Err(bad_usage());
            }
            list(ctx.types.as_deref(), labels)
        }
        1 => Ok(one_operand(&ctx, &user, &ops[0])),
        2 => {
            let opts = ctx.user_opts.clone();
            Ok(
                mount_one(&ctx, Some(&ops[0]), &ops[1], ctx.types.as_deref(), &opts)
                    .unwrap_or_else(|c| c),
            )
        }
        _ => Err(bad_usage()),
    }
}

fn bad_usage() -> ibex::Exit {
    ibex::args::usage_error(&SPEC, &[b"bad usage"])
}

// ---------------------------------------------------------------- listing

fn list(types: Option<&[u8]>, labels: bool) -> Status {
    let table = match mounts::read() {
        Ok(t) => t,
        Err(e) => {
            ibex::msg!("failed to read mount table: ", e);
            return Ok(EX_FAIL);
        }
    };
    let mut out = Out::stdout();
    for m in &table {
        if let Some(t) = types
            && !fstab::match_types(t, &m.fstype)
        {
            continue;
        }
        out.write(if m.source.is_empty() {
            b"none"
        } else {
            &m.source
        });
        out.str(" on ");
        out.write(&m.point);
        out.str(" type ");
        out.write(&m.fstype);
        out.str(" (");
        out.write(&m.combined_options());
        out.byte(b')');
        if labels
            && m.source.starts_with(b"/dev/")
            && let Ok(Some(p)) = ibex::blkid::probe(&m.source)
            && let Some(l) = p.label
        {
            out.str(" [");
            out.write(&l);
            out.byte(b']');
        }
        out.byte(b'\n');
    }
    out.done(0)
}

// ---------------------------------------------------------------- one operand

fn canonical(path: &[u8]) -> Option<Vec<u8>> {
    let opts = ibex::canon::Options {
        missing: ibex::canon::Missing::None,
        ..Default::default()
    };
    ibex::canon::canonicalize(path, opts).ok()
}

/// The last mount whose mount point is `point`.
fn mounted_at<'a>(table: &'a [Mount], point: &[u8]) -> Option<&'a Mount> {
    table.iter().rev().find(|m| m.point == point)
}

fn one_operand(ctx: &Ctx, user: &MountOptions, arg: &[u8]) -> i32 {
    // Remounts, moves without a source and propagation changes act on the
    // mount point itself.
    if user.flags & MS_REMOUNT != 0
        || (user.flags & (MS_BIND | MS_MOVE) == 0 && !user.propagation.is_empty())
    {
        let table = mounts::read().unwrap_or_default();
        let canon = canonical(arg).unwrap_or_else(|| arg.to_vec());
        let remount = user.flags & MS_REMOUNT != 0;
        let src = mounted_at(&table, &canon)
            .filter(|_| remount)
            .map(|m| m.source.clone());
        // A remount applies fstab's flag options for the mount point first.
        let mut opts = Vec::new();
        if remount
            && let Ok(tab) = fstab::read(&ctx.fstab_path)
            && let Some(e) = tab
                .iter()
                .find(|e| canonical(&e.target).as_deref() == Some(&canon))
        {
            push_opt(&mut opts, &without_data(&e.options));
        }
        push_opt(&mut opts, &ctx.user_opts);
        return mount_one(ctx, src.as_deref(), arg, None, &opts).unwrap_or_else(|c| c);
    }
    let tab = match fstab::read(&ctx.fstab_path) {
        Ok(t) => t,
        Err(e) => {
            ibex::msg!(ctx.fstab_path, ": ", e);
            return EX_USAGE;
        }
    };
    let canon = canonical(arg);
    let found = tab
        .iter()
        .rev()
        .find(|e| e.target == arg || (canon.is_some() && canonical(&e.target) == canon))
        .or_else(|| {
            tab.iter()
                .rev()
                .find(|e| e.source == arg || (canon.is_some() && canonical(&e.source) == canon))
        });
    let Some(e) = found else {
        ibex::msg!(arg, ": can't find in ", ctx.fstab_path, ".");
        return EX_USAGE;
    };
    let mut opts = e.options.clone();
    push_opt(&mut opts, &ctx.user_opts);
    let fstype = ctx.types.as_deref().unwrap_or(&e.fstype);
    mount_one(ctx, Some(&e.source), &e.target, Some(fstype), &opts).unwrap_or_else(|c| c)
}

/// Only the flag options of a list (fstab's data options do not belong in
/// a remount unless given again).
fn without_data(list: &[u8]) -> Vec<u8> {
    let mut v = Vec::new();
    for o in fstab::split_options(list) {
        if fstab::flag_option(o).is_some() {
            push_opt(&mut v, o);
        }
    }
    v
}

// ---------------------------------------------------------------- mount -a

fn mount_all(ctx: &Ctx, test_opts: Option<&[u8]>) -> i32 {
    let tab = match fstab::read(&ctx.fstab_path) {
        Ok(t) => t,
        Err(e) => {
            ibex::msg!(ctx.fstab_path, ": ", e);
            return EX_FAIL;
        }
    };
    let (mut ok, mut failed) = (0, 0);
    for e in &tab {
        let opts = MountOptions::parse(&e.options).unwrap_or_default();
        if opts.noauto
            || e.fstype == b"swap"
            || e.target == b"none"
            || e.target == b"swap"
            || e.fstype == b"ignore"
        {
            continue;
        }
        if let Some(t) = ctx.types.as_deref()
            && !fstab::match_types(t, &e.fstype)
        {
            continue;
        }
        if let Some(t) = test_opts
            && !fstab::match_options(t, &e.options)
        {
            continue;
        }
        let table = mounts::read().unwrap_or_default();
        if is_mounted(&table, e) {
            if ctx.verbose {
                report_all(&e.target, "already mounted");
            }
            continue;
        }
        let mut all_opts = e.options.clone();
        push_opt(&mut all_opts, &ctx.user_opts);
        let quiet = Ctx {
            verbose: false,
            types: None,
            user_opts: Vec::new(),
            fstab_path: Vec::new(),
            ..*ctx
        };
        match mount_one(
            &quiet,
            Some(&e.source),
            &e.target,
            Some(&e.fstype),
            &all_opts,
        ) {
            Ok(_) => {
                ok += 1;
                if ctx.verbose {
                    report_all(&e.target, "successfully mounted");
                }
            }
            Err(_) if opts.nofail => {}
            Err(_) => failed += 1,
        }
    }
    match (ok, failed) {
        (_, 0) => 0,
        (0, _) => EX_FAIL,
        _ => EX_SOME,
    }
}

/// `-a -v` lines: the target padded to 24 columns, then the outcome.
fn report_all(target: &[u8], what: &str) {
    let mut out = Out::stdout();
    out.write(target);
    for _ in target.len()..24 {
        out.byte(b' ');
    }
    out.str(": ");
    out.str(what);
    out.byte(b'\n');
    out.finish(0);
}

/// Whether an fstab entry is already mounted: something is mounted on its
/// target from the same source (by name, path or device number).
fn is_mounted(table: &[Mount], e: &fstab::Entry) -> bool {
    let target = canonical(&e.target).unwrap_or_else(|| e.target.clone());
    let source = resolve_tag(&e.source).unwrap_or_else(|| e.source.clone());
    let canon_src = canonical(&source);
    let rdev = sys::stat(&source)
        .ok()
        .filter(|s| s.kind() == sys::S_IFBLK)
        .map(|s| s.rdev);
    let bind = e.has_option(b"bind") || e.has_option(b"rbind");
    // An image file is mounted through a loop device backed by it.
    let loops: Vec<Vec<u8>> = match (&canon_src, sys::stat(&source)) {
        (Some(c), Ok(st)) if st.is_reg() => ibex::loopdev::list()
            .into_iter()
            .filter(|(n, s)| &ibex::loopdev::backing_file(*n, s) == c)
            .map(|(n, _)| ibex::loopdev::dev_path(n))
            .collect(),
        _ => Vec::new(),
    };
    table.iter().any(|m| {
        m.point == target
            && (bind
                || loops.contains(&m.source)
                || m.source == source
                || canon_src.as_deref() == Some(&m.source[..])
                || (rdev.is_some() && rdev == m.st_dev())
                || (e.fstype == m.fstype && !source.starts_with(b"/")))
    })
}

fn resolve_tag(spec: &[u8]) -> Option<Vec<u8>> {
    let (tag, value) = ibex::blkid::parse_tag(spec)?;
    ibex::blkid::find(tag, value)
}

// ---------------------------------------------------------------- mounting

/// What went wrong, for the message.
struct Failure {
    err: io::Error,
    /// Which call: the main mount, a propagation change, a remount.
    stage: Stage,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Stage {
    Mount,
    Remount,
    Move,
    Propagation,
}

/// Mount `source` on `target` (no source: a remount of an unlisted mount,
/// or only propagation changes). Ok(0) or Err(exit status), message printed.
fn mount_one(
    ctx: &Ctx,
    source: Option<&[u8]>,
    target: &[u8],
    types: Option<&[u8]>,
    opts: &[u8],
) -> Result<i32, i32> {
    let mut o = match MountOptions::parse(opts) {
        Ok(o) => o,
        Err(bad) => {
            ibex::msg!(target, ": invalid option value: ", bad, ".");
            return Err(EX_USAGE);
        }
    };
    // The mount point must exist (X-mount.mkdir creates it).
    let tcanon = match canonical(target) {
        Some(c) => c,
        None => {
            let made = o.mkdir.is_some_and(|mode| mkdir_p(target, mode).is_ok());
            match canonical(target).filter(|_| made) {
                Some(c) => c,
                None => {
                    ibex::msg!(target, ": mount point does not exist.");
                    return Err(EX_FAIL);
                }
            }
        }
    };
    let target = &tcanon[..];
    let propagation_only = o.flags & (MS_BIND | MS_MOVE | MS_REMOUNT) == 0 && source.is_none();
    let source_given = source.is_some();
    let mut source = source.unwrap_or(b"none").to_vec();

    // LABEL=/UUID= sources.
    if o.flags & (MS_REMOUNT | MS_MOVE) == 0 && ibex::blkid::parse_tag(&source).is_some() {
        match resolve_tag(&source) {
            Some(dev) => source = dev,
            None => {
                ibex::msg!(target, ": can't find ", source, ".");
                return Err(EX_USAGE);
            }
        }
    }
    let shown_src = canonical(&source).unwrap_or_else(|| source.clone());

    let result = if o.flags & MS_MOVE != 0 {
        call(ctx, Some(&source), target, None, MS_MOVE, None).map_err(|err| Failure {
            err,
            stage: Stage::Move,
        })
    } else if o.flags & MS_REMOUNT != 0 {
        remount(ctx, source_given.then_some(&source[..]), target, opts, &o)
    } else if propagation_only {
        Ok(())
    } else if o.flags & MS_BIND != 0 {
        bind(ctx, &source, target, opts, &o)
    } else {
        match fs_mount(ctx, &source, target, types, &mut o) {
            Ok(()) => Ok(()),
            Err(code) => return Err(code),
        }
    };
    let result = result.and_then(|()| {
        for &p in &o.propagation {
            call(ctx, None, target, None, p, None).map_err(|err| Failure {
                err,
                stage: Stage::Propagation,
            })?;
        }
        Ok(())
    });
    match result {
        Ok(()) => {
            if ctx.verbose {
                let mut out = Out::stdout();
                out.str("mount: ");
                out.write(&source);
                out.str(" mounted on ");
                out.write(target);
                out.str(".\n");
                out.finish(0);
            }
            Ok(0)
        }
        Err(f) => {
            report(&f, &shown_src, target, types, o.flags);
            Err(EX_FAIL)
        }
    }
}

fn mkdir_p(path: &[u8], mode: u32) -> io::Result<()> {
    let mut at = 0;
    while at < path.len() {
        let end = memchr::memchr(b'/', &path[at + 1..]).map_or(path.len(), |i| at + 1 + i);
        let part = &path[..end];
        if !part.is_empty() && part != b"/" {
            match sys::mkdirat(sys::Dir::CWD, part, mode) {
                Ok(()) => {}
                Err(e) if e.raw_os_error() == Some(libc::EEXIST) => {}
                Err(e) => return Err(e),
            }
        }
        at = end;
    }
    Ok(())
}

/// mount(2), unless -f.
fn call(
    ctx: &Ctx,
    source: Option<&[u8]>,
    target: &[u8],
    fstype: Option<&[u8]>,
    flags: u64,
    data: Option<&[u8]>,
) -> io::Result<()> {
    if ctx.fake {
        return Ok(());
    }
    sys::mount(source, target, fstype, flags, data)
}

fn data_of(o: &MountOptions) -> Option<&[u8]> {
    (!o.data.is_empty()).then_some(&o.data[..])
}

/// The flags the mount at `target` has now (per-mount and superblock ones),
/// so a remount changes only what it names.
fn current_flags(target: &[u8]) -> Option<u64> {
    let table = mounts::read().ok()?;
    let m = mounted_at(&table, target)?;
    let mut o = MountOptions::default();
    let _ = o.add(&m.options);
    for f in fstab::split_options(&m.super_options) {
        if matches!(f, b"sync" | b"dirsync" | b"mand" | b"lazytime") {
            let _ = o.add(f);
        }
    }
    if !m.has_option(b"noatime") && !m.has_option(b"relatime") {
        o.flags |= sys::MS_STRICTATIME;
    }
    Some(o.flags)
}

fn remount(
    ctx: &Ctx,
    source: Option<&[u8]>,
    target: &[u8],
    opts: &[u8],
    o: &MountOptions,
) -> Result<(), Failure> {
    // Start from the current flags and apply the options in order, so a
    // remount changes only what it names (MS_REMOUNT replaces them all).
    let mut merged = MountOptions {
        flags: current_flags(target).unwrap_or(0),
        ..MountOptions::default()
    };
    let _ = merged.add(opts);
    let flags = merged.flags & !(MS_MOVE | MS_REC) | MS_REMOUNT;
    call(ctx, source, target, None, flags, data_of(o)).map_err(|err| Failure {
        err,
        stage: Stage::Remount,
    })
}

fn bind(
    ctx: &Ctx,
    source: &[u8],
    target: &[u8],
    opts: &[u8],
    o: &MountOptions,
) -> Result<(), Failure> {
    let rec = o.flags & MS_REC;
    call(ctx, Some(source), target, None, MS_BIND | rec, None).map_err(|err| Failure {
        err,
        stage: Stage::Mount,
    })?;
    // mount(2) ignores the other flags of a bind: apply them by remounting
    // the new mount (MS_REMOUNT|MS_BIND changes only per-mount flags).
    let changes = fstab::split_options(opts).into_iter().any(|x| {
        fstab::flag_option(x).is_some() && !matches!(x, b"bind" | b"rbind" | b"remount" | b"move")
    });
    if changes {
        let mut merged = MountOptions {
            flags: current_flags(target).unwrap_or(0),
            ..MountOptions::default()
        };
        let _ = merged.add(opts);
        let flags = merged.flags & !(MS_MOVE | MS_REC) | MS_REMOUNT | MS_BIND;
        call(ctx, None, target, None, flags, None).map_err(|err| Failure {
            err,
            stage: Stage::Remount,
        })?;
    }
    Ok(())
}

/// The filesystem types to try: the -t list, else the probed type, else
/// every type in /proc/filesystems that needs a device.
fn candidate_types(types: Option<&[u8]>, source: &[u8]) -> Vec<Vec<u8>> {
    if let Some(t) = types
        && t != b"auto"
        && !t.is_empty()
    {
        return t
            .split(|&c| c == b',')
            .filter(|x| !x.is_empty() && *x != b"auto")
            .map(<[u8]>::to_vec)
            .collect();
    }
    if let Ok(Some(p)) = ibex::blkid::probe(source) {
        return vec![p.fstype.as_bytes().to_vec()];
    }
    let mut v = Vec::new();
    for file in [&b"/etc/filesystems"[..], b"/proc/filesystems"] {
        let Ok(data) = ibex::io::read_file(file) else {
            continue;
        };
        for line in data.split(|&c| c == b'\n') {
            let line = line.trim_ascii();
            if line.is_empty() || line.starts_with(b"#") || line == b"*" {
                continue;
            }
            if line.starts_with(b"nodev") {
                continue;
            }
            if !v.iter().any(|t: &Vec<u8>| t == line) {
                v.push(line.to_vec());
            }
        }
    }
    v
}

/// A normal mount: loop device set up when asked or when the source is a
/// regular file, each candidate type tried in turn, read-only retried for
/// write-protected devices.
fn fs_mount(
    ctx: &Ctx,
    source: &[u8],
    target: &[u8],
    types: Option<&[u8]>,
    o: &mut MountOptions,
) -> Result<(), i32> {
    let mut source = source.to_vec();
    let mut shown = canonical(&source).unwrap_or_else(|| source.clone());
    let nodev_type = types.is_some_and(is_nodev_type);
    let st = sys::stat(&source).ok();
    let mut _loop_fd: Option<OwnedFd> = None;
    if o.loop_dev.is_some() || (!nodev_type && st.as_ref().is_some_and(|s| s.is_reg())) {
        let dev = o.loop_dev.take().filter(|d| !d.is_empty());
        let how = ibex::loopdev::Attach {
            offset: o.offset,
            sizelimit: o.sizelimit,
            read_only: o.flags & MS_RDONLY != 0,
            autoclear: true,
            ..Default::default()
        };
        if !ctx.fake {
            match ibex::loopdev::attach(&source, dev.as_deref(), &how) {
                Ok(a) => {
                    if a.read_only {
                        o.flags |= MS_RDONLY;
                    }
                    source = a.path;
                    shown = source.clone();
                    _loop_fd = Some(a.fd);
                }
                Err((_, e)) => {
                    ibex::msg!(
                        target,
                        ": failed to setup loop device for ",
                        shown,
                        ": ",
                        e,
                        "."
                    );
                    return Err(EX_FAIL);
                }
            }
        }
    }
    let cands = candidate_types(types, &source);
    if cands.is_empty() {
        ibex::msg!(target, ": no filesystem type specified.");
        return Err(EX_FAIL);
    }
    let data = data_of(o).map(<[u8]>::to_vec);
    let mut best: Option<(io::Error, Vec<u8>)> = None;
    for t in &cands {
        match call(
            ctx,
            Some(&source),
            target,
            Some(t),
            o.flags,
            data.as_deref(),
        ) {
            Ok(()) => return Ok(()),
            Err(e) => {
                let code = e.raw_os_error();
                // Write-protected media: mount read-only, as util-linux does.
                if matches!(code, Some(libc::EROFS) | Some(libc::EACCES))
                    && o.flags & MS_RDONLY == 0
                    && sys::stat(&source).is_ok_and(|s| s.kind() == sys::S_IFBLK)
                    && call(
                        ctx,
                        Some(&source),
                        target,
                        Some(t),
                        o.flags | MS_RDONLY,
                        data.as_deref(),
                    )
                    .is_ok()
                {
                    ibex::msg!(
                        target,
                        ": WARNING: source write-protected, mounted read-only."
                    );
                    return Ok(());
                }
                // Keep the first telling error over "not this type".
                let replace = match &best {
                    None => true,
                    Some((b, _)) => weak_err(b) && !weak_err(&e),
                };
                if replace {
                    best = Some((e, t.clone()));
                }
            }
        }
    }
    let (err, t) = best.unwrap_or((io::Error::from_raw_os_error(libc::EINVAL), Vec::new()));
    let explicit = types.is_some_and(|t| t != b"auto");
    report(
        &Failure {
            err,
            stage: Stage::Mount,
        },
        &shown,
        target,
        if explicit { Some(&t) } else { None },
        o.flags,
    );
    Err(EX_FAIL)
}

fn weak_err(e: &io::Error) -> bool {
    matches!(e.raw_os_error(), Some(libc::EINVAL) | Some(libc::ENODEV))
}

/// Whether a type needs no device (a "nodev" line in /proc/filesystems).
fn is_nodev_type(t: &[u8]) -> bool {
    if matches!(
        t,
        b"tmpfs"
            | b"proc"
            | b"sysfs"
            | b"devtmpfs"
            | b"devpts"
            | b"ramfs"
            | b"overlay"
            | b"cgroup"
            | b"cgroup2"
    ) {
        return true;
    }
    let Ok(data) = ibex::io::read_file(b"/proc/filesystems") else {
        return false;
    };
    data.split(|&c| c == b'\n')
        .any(|l| l.starts_with(b"nodev") && l[5..].trim_ascii() == t)
}

/// util-linux's wording for a failed mount.
fn report(f: &Failure, source: &[u8], target: &[u8], fstype: Option<&[u8]>, flags: u64) {
    let code = f.err.raw_os_error().unwrap_or(0);
    let exists = |p: &[u8]| sys::stat(p).is_ok();
    // Every message is TARGET, a text, a name (or nothing), a tail: one
    // msg! call builds them all.
    let owned: Vec<u8>;
    let (text, name, tail): (&str, &[u8], &[u8]) = match (code, f.stage) {
        (libc::EINVAL, Stage::Propagation) => (": not mount point or bad option.", b"", b""),
        (libc::EINVAL, Stage::Remount) => (": mount point not mounted or bad option.", b"", b""),
        (libc::EPERM, _) if sys::geteuid() != 0 => (": must be superuser to use mount.", b"", b""),
        (libc::EPERM | libc::EACCES, _) => (": permission denied.", b"", b""),
        (libc::EBUSY, Stage::Remount) => (" is busy.", b"", b""),
        (libc::EBUSY, _) => {
            let table = mounts::read().unwrap_or_default();
            if table
                .iter()
                .any(|m| m.point == target && m.source == source)
            {
                owned = [&b" already mounted on "[..], target, b"."].concat();
                (": ", source, &owned[..])
            } else {
                (": ", source, b" already mounted or mount point busy.")
            }
        }
        (libc::ENOENT, _) if !exists(target) => (": mount point does not exist.", b"", b""),
        (libc::ENOENT, _) if !exists(source) => (": special device ", source, b" does not exist."),
        (libc::ENOTDIR, _) if sys::stat(target).is_ok_and(|s| !s.is_dir()) => {
            (": mount point is not a directory.", b"", b"")
        }
        (libc::ENOTDIR, _) => (
            ": special device ",
            source,
            b" does not exist (a path prefix is not a directory).",
        ),
        (libc::ENODEV, _) if fstype.is_some() => (
            ": unknown filesystem type '",
            fstype.unwrap_or_default(),
            b"'.",
        ),
        (libc::ENOTBLK, _) => (": ", source, b" is not a block device."),
        (libc::ENXIO, _) => (": ", source, b" is not a valid block device."),
        (libc::EIO, _) => (": can't read superblock on ", source, b"."),
        (libc::ENOMEDIUM, _) => (": no medium found on ", source, b"."),
        (libc::EROFS, _) if flags & MS_RDONLY != 0 => (": cannot mount ", source, b" read-only."),
        (libc::EROFS, _) => (
            ": ",
            source,
            b" is write-protected but explicit read-write mode requested.",
        ),
        (libc::EINVAL | libc::ENODEV, _) => (
            ": wrong fs type, bad option, bad superblock on ",
            source,
            b", missing codepage or helper program, or other error.",
        ),
        _ => {
            owned = ibex::error::reason(&f.err).into_bytes();
            (": mount(2) system call failed: ", &owned[..], b".")
        }
    };
    ibex::msg!(target, text, name, tail);
}
