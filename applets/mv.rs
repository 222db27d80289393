//! mv: rename files. Within a filesystem, rename(2) (RENAME_NOREPLACE for
//! -n); across filesystems the source is copied with everything preserved
//! (the shared engine in `ibex::copy`) to a temporary name next to the
//! destination, renamed into place, and only then removed. A failed copy
//! removes the partial copy and leaves the source as it was.

use ibex::Status;
use ibex::args::{Parser, Spec, flag, optional, value};
use ibex::copy::{self, BackupKind, Copier, Deref, Options, Preserve, quote};
use ibex::io::Out;
use ibex::sys::{self, Dir, Stat};
use std::ffi::{OsStr, OsString};
use std::io;
use std::os::unix::ffi::OsStrExt;

const BACKUP: u32 = 256;
const STRIP_SLASHES: u32 = 257;
const UPDATE: u32 = 258;
const CONTEXT: u32 = 259;
const DEBUG: u32 = 260;

const LONGS: &[ibex::args::Long] = &[
    optional("backup", BACKUP),
    flag("debug", DEBUG),
    flag("force", 'f' as u32),
    flag("interactive", 'i' as u32),
    flag("no-clobber", 'n' as u32),
    flag("no-target-directory", 'T' as u32),
    flag("strip-trailing-slashes", STRIP_SLASHES),
    value("suffix", 'S' as u32),
    value("target-directory", 't' as u32),
    optional("update", UPDATE),
    flag("verbose", 'v' as u32),
    optional("context", CONTEXT),
];

const SPEC: Spec = Spec::new(
    "bfinS:t:TuvZ",
    LONGS,
    ibex::usage!(
        mv,
        "mv [-finTuv] [-t DIR] [-b] [-S SUF] SOURCE... DEST\n\
         \n\
         Rename SOURCE to DEST, or move SOURCEs into directory DEST\n\
         \n\
         \t-f\tDon't prompt before overwriting\n\
         \t-i\tPrompt before overwriting\n\
         \t-n\tDon't overwrite an existing file\n\
         \t-u\tMove only when SOURCE is newer than DEST or DEST is missing\n\
         \t-t DIR\tMove all SOURCEs into DIR\n\
         \t-T\tTreat DEST as a normal file\n\
         \t-b,--backup[=CONTROL]\tBack up existing destinations\n\
         \t-S SUF\tBackup suffix\n\
         \t-v\tExplain what is done"
    ),
);

#[derive(Clone, Copy, PartialEq, Eq)]
enum Ask {
    /// -f: never ask.
    Force,
    /// Default: ask only about unwritable destinations on a terminal.
    Default,
    /// -i
    Always,
    /// -n
    Never,
}

struct Mv {
    ask: Ask,
    update: bool,
    verbose: bool,
    backup: copy::Backup,
    out: Out,
    copier: Option<Copier>,
}

pub fn main(argv: &[OsString]) -> Status {
    let mut ask = Ask::Default;
    let mut update = false;
    let mut verbose = false;
    let mut target: Option<&OsStr> = None;
    let mut no_target = false;
    let mut backup: Option<Option<&OsStr>> = None;
    let mut suffix: Option<&OsStr> = None;
    let mut strip_slashes = false;
    let mut p = Parser::new(argv, &SPEC);
    while let Some((id, val)) = p.next()? {
        match id {
            0x66 /* f */ => ask = Ask::Force,
            0x69 /* i */ => ask = Ask::Always,
            0x6e /* n */ => ask = Ask::Never,
            0x75 /* u */ => update = true,
            UPDATE => match val.map(OsStr::as_bytes) {
                None => update = true,
                Some(v) => {
                    const CH: &[&[&str]] = &[&["all"], &["none"], &["older"]];
                    match copy::choose(v, CH) {
                        Ok(0) => update = false,
                        Ok(1) => ask = Ask::Never,
                        Ok(_) => update = true,
                        Err(amb) => return Err(copy::bad_choice(&SPEC, "--update", v, CH, amb)),
                    }
                }
            },
            0x76 /* v */ => verbose = true,
            0x74 /* t */ => target = val,
            0x54 /* T */ => no_target = true,
            BACKUP => backup = Some(val),
            0x62 /* b */ => backup = Some(None),
            0x53 /* S */ => {
                suffix = val;
                backup.get_or_insert(None);
            }
            STRIP_SLASHES => strip_slashes = true,
            _ => {}
        }
    }
    let ops = p.operands();
    let mut b = copy::Backup::default();
    if let Some(v) = backup {
        b.kind = match copy::backup_kind(v.map(OsStr::as_bytes)) {
            Ok(k) => k,
            Err((v, what, amb)) => {
                return Err(copy::bad_choice(&SPEC, what, &v, copy::BACKUP_CHOICES, amb));
            }
        };
        b.suffix = copy::backup_suffix(suffix.map(OsStr::as_bytes));
        if ask == Ask::Never && b.kind != BackupKind::None {
            return Err(ibex::args::usage_error(
                &SPEC,
                &[b"options --backup and --no-clobber are mutually exclusive"],
            ));
        }
    }
    if target.is_some() && no_target {
        return Err(ibex::args::usage_error(
            &SPEC,
            &[b"cannot combine --target-directory (-t) and --no-target-directory (-T)"],
        ));
    }
    if ops.is_empty() {
        return Err(ibex::args::usage_error(&SPEC, &[b"missing file operand"]));
    }
    // Sources, and the directory to move them into or the one destination.
    let (srcs, dir, dest): (&[&OsStr], Option<&[u8]>, &[u8]) = if let Some(t) = target {
        let t = t.as_bytes();
        match sys::stat(t) {
            Ok(st) if st.is_dir() => {}
            r => {
                let e = r
                    .err()
                    .unwrap_or_else(|| io::Error::from_raw_os_error(libc::ENOTDIR));
                ibex::msg!("target directory ", quote(t), ": ", e);
                return Ok(1);
            }
        }
        (&ops[..], Some(t), b"")
    } else {
        let Some((last, srcs)) = ops.split_last().filter(|(_, s)| !s.is_empty()) else {
            let mut m = b"missing destination file operand after ".to_vec();
            m.extend_from_slice(&quote(ops.first().map_or(&b""[..], |o| o.as_bytes())));
            return Err(ibex::args::usage_error(&SPEC, &[&m]));
        };
        let last = last.as_bytes();
        if no_target {
            if srcs.len() > 1 {
                let mut m = b"extra operand ".to_vec();
                m.extend_from_slice(&quote(last));
                return Err(ibex::args::usage_error(&SPEC, &[&m]));
            }
            (srcs, None, last)
        } else {
            match sys::stat(last) {
                Ok(st) if st.is_dir() => (srcs, Some(last), b""),
                Ok(_) if srcs.len() > 1 => {
                    ibex::msg!("target ", quote(last), " is not a directory");
                    return Ok(1);
                }
                Err(e) if srcs.len() > 1 => {
                    ibex::msg!("target ", quote(last), ": ", e);
                    return Ok(1);
                }
                _ => (srcs, None, last),
            }
        }
    };
    let mut mv = Mv {
        ask,
        update,
        verbose,
        backup: b,
        out: Out::stdout(),
        copier: None,
    };
    let mut status = 0;
    for src in srcs {
        let mut src = src.as_bytes();
        if strip_slashes {
            let t = ibex::path::trim_trailing_slashes(src);
            if !t.is_empty() {
                src = t;
            }
        }
        let ok = match dir {
            Some(d) => {
                let to = ibex::path::join(d, ibex::path::basename(src));
                mv.one(src, &to)
            }
            None => mv.one(src, dest),
        };
        if !ok {
            status = 1;
        }
    }
    if let Some(c) = mv.copier.take() {
        status = c.finish(status);
    }
    Ok(mv.out.finish(status))
}

fn errno(e: &io::Error) -> i32 {
    e.raw_os_error().unwrap_or(0)
}

impl Mv {
    /// Move one source to one destination name.
    fn one(&mut self, src: &[u8], dst: &[u8]) -> bool {
        let st = match sys::lstat(src) {
            Ok(s) => s,
            Err(e) => {
                ibex::msg!("cannot stat ", quote(src), ": ", e);
                return false;
            }
        };
        let existing = match sys::lstat(dst) {
            Ok(d) => Some(d),
            Err(e) if errno(&e) == libc::ENOENT => None,
            Err(e) => {
                ibex::msg!("cannot stat ", quote(dst), ": ", e);
                return false;
            }
        };
        if st.is_dir() && copy::into_itself(src, dst) {
            ibex::msg!(
                "cannot move ",
                quote(src),
                " to a subdirectory of itself, ",
                quote(dst)
            );
            return false;
        }
        let mut backup = None;
        if let Some(d) = existing {
            let mut same = d.same_file(&st);
            if !same && st.is_lnk() {
                same = sys::stat(src).is_ok_and(|t| t.same_file(&d));
            }
            if same {
                ibex::msg!(quote(src), " and ", quote(dst), " are the same file");
                return false;
            }
            if self.ask == Ask::Never {
                return true;
            }
            if st.is_dir() && !d.is_dir() {
                ibex::msg!(
                    "cannot overwrite non-directory ",
                    quote(dst),
                    " with directory ",
                    quote(src)
                );
                return false;
            }
            if !st.is_dir() && d.is_dir() {
                ibex::msg!(
                    "cannot overwrite directory ",
                    quote(dst),
                    " with non-directory"
                );
                return false;
            }
            if self.update && !d.is_dir() && d.mtime >= st.mtime {
                return true;
            }
            if !self.confirm(dst, &d) {
                return true;
            }
            if self.backup.kind != BackupKind::None {
                match copy::make_backup(Dir::CWD, dst, &self.backup) {
                    Ok(b) => backup = b,
                    Err(e) => {
                        ibex::msg!("cannot backup ", quote(dst), ": ", e);
                        return false;
                    }
                }
            }
        }
        let flags = if self.ask == Ask::Never {
            sys::RENAME_NOREPLACE
        } else {
            0
        };
        let mut r = sys::renameat2(Dir::CWD, src, Dir::CWD, dst, flags);
        if flags != 0
            && let Err(e) = &r
            && matches!(errno(e), libc::EINVAL | libc::ENOSYS)
        {
            // No RENAME_NOREPLACE here: the lstat above has to do.
            r = sys::renameat2(Dir::CWD, src, Dir::CWD, dst, 0);
        }
        match r {
            Ok(()) => {
                self.said("renamed ", src, dst, backup.as_deref());
                true
            }
            Err(e) if errno(&e) == libc::EEXIST && flags != 0 => true,
            Err(e) if errno(&e) == libc::EXDEV => {
                self.across(src, &st, dst, existing.is_some() && backup.is_none())
            }
            Err(e) => {
                ibex::msg!("cannot move ", quote(src), " to ", quote(dst), ": ", e);
                false
            }
        }
    }

    /// Ask before overwriting `dst`, as -i (always) or by default (when
    /// it is not writable and stdin is a terminal) wants.
    fn confirm(&self, dst: &[u8], d: &Stat) -> bool {
        match self.ask {
            Ask::Always => {
                let mut p = b"overwrite ".to_vec();
                p.extend_from_slice(&quote(dst));
                p.extend_from_slice(b"? ");
                copy::ask(&p)
            }
            Ask::Default
                if !d.is_lnk()
                    && sys::isatty(0)
                    && sys::faccessat(Dir::CWD, dst, sys::W_OK, sys::AT_EACCESS).is_err() =>
            {
                let ms = ibex::mode::mode_string(d.mode);
                let mut p = b"replace ".to_vec();
                p.extend_from_slice(&quote(dst));
                p.extend_from_slice(
                    format!(", overriding mode {:04o} (", d.mode & 0o7777).as_bytes(),
                );
                p.extend_from_slice(ms.get(1..).unwrap_or_default());
                p.extend_from_slice(b")? ");
                copy::ask(&p)
            }
            _ => true,
        }
    }

    fn said(&mut self, what: &str, src: &[u8], dst: &[u8], backup: Option<&[u8]>) {
        if !self.verbose {
            return;
        }
        self.out.str(what);
        self.out.write(&quote(src));
        self.out.str(" -> ");
        self.out.write(&quote(dst));
        if let Some(b) = backup {
            self.out.str(" (backup: ");
            self.out.write(&quote(b));
            self.out.byte(b')');
        }
        self.out.byte(b'\n');
    }

    /// Move across filesystems: copy to a temporary name beside `dst`,
    /// rename it over `dst`, then remove `src`.
    fn across(&mut self, src: &[u8], st: &Stat, dst: &[u8], replacing: bool) -> bool {
        if replacing && st.is_dir() {
            // rename() would refuse a non-empty directory; so do we.
            let mut entries = Vec::new();
            let full = sys::open(dst, sys::O_RDONLY | sys::O_DIRECTORY, 0)
                .and_then(|fd| sys::read_dir(std::os::fd::AsRawFd::as_raw_fd(&fd), &mut entries))
                .map(|()| !entries.is_empty());
            if let Ok(true) | Err(_) = full {
                let e = full
                    .err()
                    .unwrap_or_else(|| io::Error::from_raw_os_error(libc::ENOTEMPTY));
                ibex::msg!(
                    "inter-device move failed: ",
                    quote(src),
                    " to ",
                    quote(dst),
                    "; unable to remove target: ",
                    e
                );
                return false;
            }
        }
        let tmp = match temp_name(dst) {
            Ok(t) => t,
            Err(e) => {
                ibex::msg!("cannot move ", quote(src), " to ", quote(dst), ": ", e);
                return false;
            }
        };
        let verbose = self.verbose;
        let copier = self.copier.get_or_insert_with(|| {
            Copier::new(Options {
                recursive: true,
                deref: Deref::Never,
                preserve: Preserve::all(),
                verbose,
                moving: true,
                ..Options::default()
            })
        });
        // Verbose lines from the copy and from here must stay in order.
        self.out.flush();
        copier.set_display(&tmp, dst);
        let copied = copier.copy(src, &tmp);
        copier.clear_display();
        copier.out().flush();
        if !copied {
            copy::remove_tree(&tmp, None, false);
            return false;
        }
        let flags = if self.ask == Ask::Never {
            sys::RENAME_NOREPLACE
        } else {
            0
        };
        if let Err(e) = sys::renameat2(Dir::CWD, &tmp, Dir::CWD, dst, flags) {
            copy::remove_tree(&tmp, None, false);
            if errno(&e) == libc::EEXIST && flags != 0 {
                return true;
            }
            ibex::msg!("cannot move ", quote(src), " to ", quote(dst), ": ", e);
            return false;
        }
        copier.rename_links(&tmp, dst);
        let out = if verbose { Some(copier.out()) } else { None };
        let removed = copy::remove_tree(src, out, true);
        if let Some(c) = self.copier.as_mut() {
            c.out().flush();
        }
        removed
    }
}

/// A fresh name in the directory of `dst` for the copy to go to.
fn temp_name(dst: &[u8]) -> io::Result<Vec<u8>> {
    let trimmed = ibex::path::trim_trailing_slashes(dst);
    let dir = ibex::path::dirname(if trimmed.is_empty() { dst } else { trimmed });
    for _ in 0..100 {
        let mut r = [0u8; 6];
        sys::getrandom(&mut r)?;
        let mut name = b".mv-".to_vec();
        for b in r {
            name.push(b"abcdefghijklmnopqrstuvwxyz0123456789"[usize::from(b % 36)]);
        }
        let path = ibex::path::join(dir, &name);
        match sys::lstat(&path) {
            Err(e) if errno(&e) == libc::ENOENT => return Ok(path),
            Err(e) => return Err(e),
            Ok(_) => continue,
        }
    }
    Err(io::Error::from_raw_os_error(libc::EEXIST))
}
