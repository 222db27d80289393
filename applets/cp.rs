//! cp: copy files and directory trees. The work is done by the shared
//! engine in `ibex::copy`; this file parses options, works out the
//! destination of each operand (`-t`, `-T`, `--parents`) and builds the
//! `--parents` directories.

use ibex::Status;
use ibex::args::{Parser, Spec, flag, optional, value};
use ibex::copy::{self, BackupKind, Copier, Deref, Options, Preserve, Sparse, quote};
use ibex::sys::{self, Dir, SetTime};
use std::ffi::{OsStr, OsString};
use std::os::fd::AsRawFd;
use std::os::unix::ffi::OsStrExt;

const PRESERVE: u32 = 256;
const NO_PRESERVE: u32 = 257;
const PARENTS: u32 = 258;
const SPARSE: u32 = 259;
const REMOVE_DEST: u32 = 260;
const ATTR_ONLY: u32 = 261;
const BACKUP: u32 = 262;
const COPY_CONTENTS: u32 = 263;
const REFLINK: u32 = 264;
const STRIP_SLASHES: u32 = 265;
const UPDATE: u32 = 266;
const CONTEXT: u32 = 267;
const DEBUG: u32 = 268;

const LONGS: &[ibex::args::Long] = &[
    flag("archive", 'a' as u32),
    flag("attributes-only", ATTR_ONLY),
    optional("backup", BACKUP),
    flag("copy-contents", COPY_CONTENTS),
    flag("debug", DEBUG),
    flag("dereference", 'L' as u32),
    flag("force", 'f' as u32),
    flag("interactive", 'i' as u32),
    flag("link", 'l' as u32),
    flag("no-clobber", 'n' as u32),
    flag("no-dereference", 'P' as u32),
    value("no-preserve", NO_PRESERVE),
    flag("no-target-directory", 'T' as u32),
    flag("one-file-system", 'x' as u32),
    flag("parents", PARENTS),
    optional("preserve", PRESERVE),
    flag("recursive", 'R' as u32),
    optional("reflink", REFLINK),
    flag("remove-destination", REMOVE_DEST),
    value("sparse", SPARSE),
    flag("strip-trailing-slashes", STRIP_SLASHES),
    value("suffix", 'S' as u32),
    flag("symbolic-link", 's' as u32),
    value("target-directory", 't' as u32),
    optional("update", UPDATE),
    flag("verbose", 'v' as u32),
    optional("context", CONTEXT),
];

const SPEC: Spec = Spec::new(
    "abdfHilLnPpRrsS:t:TuvxZ",
    LONGS,
    ibex::usage!(
        cp,
        "cp [-arRdPLHpfinulsTvx] [-t DIR] [-S SUF] SOURCE... DEST\n\
         \n\
         Copy SOURCEs to DEST, or several SOURCEs into directory DEST\n\
         \n\
         \t-a\tSame as -dR --preserve=all\n\
         \t-R,-r\tRecurse into directories\n\
         \t-d,-P\tCopy symlinks as links (-d also keeps hard links)\n\
         \t-L\tFollow all symlinks\n\
         \t-H\tFollow symlinks given on the command line\n\
         \t-p\tPreserve mode, ownership and timestamps\n\
         \t--preserve[=LIST]\tPreserve mode,ownership,timestamps,links,xattr,all\n\
         \t--no-preserve=LIST\tDon't preserve these attributes\n\
         \t-f\tRemove a destination that cannot be opened and retry\n\
         \t--remove-destination\tRemove each existing destination first\n\
         \t-i\tAsk before overwriting\n\
         \t-n\tDon't overwrite\n\
         \t-u\tCopy only when SOURCE is newer than DEST or DEST is missing\n\
         \t-l,-s\tMake hard or symbolic links instead of copying\n\
         \t-t DIR\tCopy all SOURCEs into DIR\n\
         \t-T\tTreat DEST as a normal file\n\
         \t--parents\tAppend SOURCE's path to directory DEST\n\
         \t--sparse=WHEN\tauto (keep holes), always (also make them), never\n\
         \t--attributes-only\tCopy attributes but not data\n\
         \t-b,--backup[=CONTROL]\tBack up existing destinations\n\
         \t-S SUF\tBackup suffix\n\
         \t-x\tStay on one filesystem\n\
         \t-v\tExplain what is done"
    ),
);

const PRESERVE_CHOICES: &[&[&str]] = &[
    &["mode"],
    &["timestamps"],
    &["ownership"],
    &["links"],
    &["context"],
    &["xattr"],
    &["all"],
];

/// Apply a `--preserve` / `--no-preserve` list.
fn preserve_list(
    list: &[u8],
    on: bool,
    p: &mut Preserve,
    xattr_required: &mut bool,
) -> Result<(), ibex::Exit> {
    for item in list.split(|&b| b == b',') {
        let what = match copy::choose(item, PRESERVE_CHOICES) {
            Ok(i) => i,
            Err(amb) => {
                let name = if on { "--preserve" } else { "--no-preserve" };
                return Err(copy::bad_choice(&SPEC, name, item, PRESERVE_CHOICES, amb));
            }
        };
        match what {
            0 => p.mode = on,
            1 => p.timestamps = on,
            2 => p.ownership = on,
            3 => p.links = on,
            4 => {} // SELinux contexts: not supported, accepted
            5 => {
                p.xattr = on;
                *xattr_required = on;
            }
            _ => {
                *p = if on {
                    Preserve::all()
                } else {
                    Preserve::default()
                };
                if !on {
                    *xattr_required = false;
                }
            }
        }
    }
    Ok(())
}

/// -L beats -H, which beats -P/-d/-a, whatever their order (as BusyBox).
fn pick(d: &mut Option<Deref>, new: Deref) {
    if d.is_none_or(|old| new as u8 >= old as u8) {
        *d = Some(new);
    }
}

pub fn main(argv: &[OsString]) -> Status {
    let mut o = Options::default();
    let mut deref: Option<Deref> = None;
    let mut target: Option<&OsStr> = None;
    let mut no_target = false;
    let mut parents = false;
    let mut backup: Option<Option<&OsStr>> = None;
    let mut suffix: Option<&OsStr> = None;
    let mut strip_slashes = false;
    let mut p = Parser::new(argv, &SPEC);
    while let Some((id, val)) = p.next()? {
        let v = val.map(OsStr::as_bytes);
        match id {
            0x61 /* a */ => {
                o.recursive = true;
                pick(&mut deref, Deref::Never);
                o.preserve = Preserve::all();
            }
            0x64 /* d */ => {
                pick(&mut deref, Deref::Never);
                o.preserve.links = true;
            }
            0x52 | 0x72 /* R r */ => o.recursive = true,
            0x50 /* P */ => pick(&mut deref, Deref::Never),
            0x4c /* L */ => pick(&mut deref, Deref::Always),
            0x48 /* H */ => pick(&mut deref, Deref::Args),
            0x70 /* p */ => {
                o.preserve.mode = true;
                o.preserve.ownership = true;
                o.preserve.timestamps = true;
            }
            PRESERVE => match v {
                None => {
                    o.preserve.mode = true;
                    o.preserve.ownership = true;
                    o.preserve.timestamps = true;
                }
                Some(list) => preserve_list(list, true, &mut o.preserve, &mut o.xattr_required)?,
            },
            NO_PRESERVE => preserve_list(
                v.unwrap_or_default(),
                false,
                &mut o.preserve,
                &mut o.xattr_required,
            )?,
            0x66 /* f */ => o.force = true,
            REMOVE_DEST => o.remove_destination = true,
            0x69 /* i */ => {
                o.interactive = true;
                o.no_clobber = false;
            }
            0x6e /* n */ => {
                o.no_clobber = true;
                o.interactive = false;
            }
            0x75 /* u */ => o.update = true,
            UPDATE => match v {
                None => o.update = true,
                Some(val) => {
                    const CH: &[&[&str]] = &[&["all"], &["none"], &["older"]];
                    match copy::choose(val, CH) {
                        Ok(0) => o.update = false,
                        Ok(1) => o.no_clobber = true,
                        Ok(_) => o.update = true,
                        Err(amb) => return Err(copy::bad_choice(&SPEC, "--update", val, CH, amb)),
                    }
                }
            },
            0x6c /* l */ => o.hard_link = true,
            0x73 /* s */ => o.symbolic_link = true,
            0x74 /* t */ => target = val,
            0x54 /* T */ => no_target = true,
            0x76 /* v */ => o.verbose = true,
            0x78 /* x */ => o.one_file_system = true,
            PARENTS => parents = true,
            SPARSE => {
                const CH: &[&[&str]] = &[&["never"], &["auto"], &["always"]];
                let val = v.unwrap_or_default();
                o.sparse = match copy::choose(val, CH) {
                    Ok(0) => Sparse::Never,
                    Ok(1) => Sparse::Auto,
                    Ok(_) => Sparse::Always,
                    Err(amb) => return Err(copy::bad_choice(&SPEC, "--sparse", val, CH, amb)),
                };
            }
            REFLINK => {
                const CH: &[&[&str]] = &[&["auto"], &["always"], &["never"]];
                if let Some(val) = v {
                    match copy::choose(val, CH) {
                        Ok(1) => {
                            ibex::msg!("--reflink=always is not supported");
                            return Ok(1);
                        }
                        Ok(_) => {}
                        Err(amb) => {
                            return Err(copy::bad_choice(&SPEC, "--reflink", val, CH, amb));
                        }
                    }
                }
            }
            ATTR_ONLY => o.attributes_only = true,
            COPY_CONTENTS => o.copy_contents = true,
            BACKUP => backup = Some(val),
            0x62 /* b */ => backup = Some(None),
            0x53 /* S */ => {
                suffix = val;
                backup.get_or_insert(None);
            }
            STRIP_SLASHES => strip_slashes = true,
            _ => {} // -Z, --context, --debug: accepted, nothing to do
        }
    }
    let operands = p.operands();
    o.deref = deref.unwrap_or(if o.recursive {
        Deref::Never
    } else {
        Deref::Always
    });
    if o.hard_link && o.symbolic_link {
        return Err(ibex::args::usage_error(
            &SPEC,
            &[b"cannot make both hard and symbolic links"],
        ));
    }
    if let Some(b) = backup {
        o.backup.kind = match copy::backup_kind(b.map(OsStr::as_bytes)) {
            Ok(k) => k,
            Err((v, what, amb)) => {
                return Err(copy::bad_choice(&SPEC, what, &v, copy::BACKUP_CHOICES, amb));
            }
        };
        o.backup.suffix = copy::backup_suffix(suffix.map(OsStr::as_bytes));
        if o.no_clobber && o.backup.kind != BackupKind::None {
            return Err(ibex::args::usage_error(
                &SPEC,
                &[b"options --backup and --no-clobber are mutually exclusive"],
            ));
        }
    }
    let plan = match plan(&operands, target, no_target, parents)? {
        Some(p) => p,
        None => return Ok(1),
    };
    let mut c = Copier::new(o);
    if plan.sources.len() > 1 {
        c.remember_created();
    }
    let mut status = 0;
    for src in &plan.sources {
        let src = src.as_bytes();
        let src: &[u8] = if strip_slashes {
            let t = ibex::path::trim_trailing_slashes(src);
            if t.is_empty() { src } else { t }
        } else {
            src
        };
        let ok = match &plan.dir {
            None => c.copy(src, plan.dest),
            Some(dir) if parents => copy_parents(&mut c, src, dir),
            Some(dir) => {
                let base = ibex::path::basename(src);
                c.copy(src, &ibex::path::join(dir, base))
            }
        };
        if !ok {
            status = 1;
        }
    }
    Ok(c.finish(status))
}

/// What to copy where: into a directory, or one source to one name.
struct Plan<'a> {
    sources: Vec<&'a OsStr>,
    dir: Option<Vec<u8>>,
    dest: &'a [u8],
}

/// Work out the destination from the operands as GNU cp does. `None`
/// when an error was reported (status 1).
fn plan<'a>(
    ops: &[&'a OsStr],
    target: Option<&'a OsStr>,
    no_target: bool,
    parents: bool,
) -> Result<Option<Plan<'a>>, ibex::Exit> {
    if target.is_some() && no_target {
        return Err(ibex::args::usage_error(
            &SPEC,
            &[b"cannot combine --target-directory (-t) and --no-target-directory (-T)"],
        ));
    }
    if ops.is_empty() {
        return Err(ibex::args::usage_error(&SPEC, &[b"missing file operand"]));
    }
    if let Some(t) = target {
        let t = t.as_bytes();
        match sys::stat(t) {
            Ok(st) if st.is_dir() => {}
            Ok(_) => {
                let e = std::io::Error::from_raw_os_error(libc::ENOTDIR);
                ibex::msg!("target directory ", quote(t), ": ", e);
                return Ok(None);
            }
            Err(e) => {
                ibex::msg!("target directory ", quote(t), ": ", e);
                return Ok(None);
            }
        }
        return Ok(Some(Plan {
            sources: ops.to_vec(),
            dir: Some(t.to_vec()),
            dest: b"",
        }));
    }
    let (last, srcs) = match ops.split_last() {
        Some((l, s)) if !s.is_empty() => (l.as_bytes(), s),
        _ => {
            let mut m = b"missing destination file operand after ".to_vec();
            m.extend_from_slice(&quote(ops.first().map_or(&b""[..], |o| o.as_bytes())));
            return Err(ibex::args::usage_error(&SPEC, &[&m]));
        }
    };
    if no_target {
        if srcs.len() > 1 {
            let mut m = b"extra operand ".to_vec();
            m.extend_from_slice(&quote(last));
            return Err(ibex::args::usage_error(&SPEC, &[&m]));
        }
        return Ok(Some(Plan {
            sources: srcs.to_vec(),
            dir: None,
            dest: last,
        }));
    }
    let is_dir = sys::stat(last);
    match is_dir {
        Ok(st) if st.is_dir() => Ok(Some(Plan {
            sources: srcs.to_vec(),
            dir: Some(last.to_vec()),
            dest: b"",
        })),
        _ if parents => Err(ibex::args::usage_error(
            &SPEC,
            &[b"with --parents, the destination must be a directory"],
        )),
        Ok(_) if srcs.len() > 1 => {
            ibex::msg!("target ", quote(last), " is not a directory");
            Ok(None)
        }
        Err(e) if srcs.len() > 1 => {
            ibex::msg!("target ", quote(last), ": ", e);
            Ok(None)
        }
        _ => Ok(Some(Plan {
            sources: srcs.to_vec(),
            dir: None,
            dest: last,
        })),
    }
}

/// `--parents`: copy `src` to `dir/src`, first making the directories of
/// `src`'s path under `dir` (with the source directories' modes, and their
/// other attributes too when preserving).
fn copy_parents(c: &mut Copier, src: &[u8], dir: &[u8]) -> bool {
    // Where each component of `src` starts and ends.
    let mut spans = Vec::new();
    let mut i = 0;
    while i < src.len() {
        while src.get(i) == Some(&b'/') {
            i += 1;
        }
        let start = i;
        while i < src.len() && src.get(i) != Some(&b'/') {
            i += 1;
        }
        if start < i {
            spans.push((start, i));
        }
    }
    let rel_start = spans.first().map_or(src.len(), |s| s.0);
    let rel = &src[rel_start..];
    // (destination path, source stat) of the directories made.
    let mut made: Vec<(Vec<u8>, sys::Stat)> = Vec::new();
    let mut ok = true;
    for &(_, end) in spans.iter().take(spans.len().saturating_sub(1)) {
        let sprefix = &src[..end];
        let dst = ibex::path::join(dir, &src[rel_start..end]);
        match sys::stat(&dst) {
            Ok(st) if st.is_dir() => continue,
            Ok(_) => {
                let e = std::io::Error::from_raw_os_error(libc::ENOTDIR);
                ibex::msg!(quote(&dst), ": ", e);
                return false;
            }
            Err(e) if e.raw_os_error() == Some(libc::ENOENT) => {}
            Err(e) => {
                ibex::msg!(quote(&dst), ": ", e);
                return false;
            }
        }
        let st = match sys::stat(sprefix) {
            Ok(s) => s,
            Err(e) => {
                ibex::msg!("failed to get attributes of ", quote(sprefix), ": ", e);
                return false;
            }
        };
        if let Err(e) = sys::mkdirat(Dir::CWD, &dst, (st.mode & 0o777) | 0o700) {
            ibex::msg!("cannot make directory ", quote(&dst), ": ", e);
            return false;
        }
        if c.opt.verbose {
            let out = c.out();
            out.write(sprefix);
            out.str(" -> ");
            out.write(&dst);
            out.byte(b'\n');
        }
        made.push((dst, st));
    }
    let mut full = dir.to_vec();
    if !full.ends_with(b"/") {
        full.push(b'/');
    }
    full.extend_from_slice(rel);
    if !c.copy(src, &full) {
        ok = false;
    }
    // Now the attributes of the directories made, deepest first.
    let p = c.opt.preserve;
    let umask = sys::get_umask();
    for (d, st) in made.iter().rev() {
        let Ok(fd) = sys::open(d, sys::O_RDONLY | sys::O_DIRECTORY | sys::O_NOFOLLOW, 0) else {
            continue;
        };
        let mut mode = st.mode & 0o7777;
        if p.ownership && sys::fchown(fd.as_raw_fd(), st.uid, st.gid).is_err() {
            mode &= !0o6000;
        }
        let want = if p.mode {
            mode
        } else {
            st.mode & 0o1777 & !umask
        };
        if let Err(e) = sys::fchmod(fd.as_raw_fd(), want) {
            ibex::msg!("preserving permissions for ", quote(d), ": ", e);
            ok = false;
        }
        if p.timestamps
            && let Err(e) =
                sys::futimens(fd.as_raw_fd(), SetTime::At(st.atime), SetTime::At(st.mtime))
        {
            ibex::msg!("preserving times for ", quote(d), ": ", e);
            ok = false;
        }
    }
    ok
}
