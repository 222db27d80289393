//! ln: make hard or symbolic links. `-f` replaces an existing name
//! atomically: the link is made under a temporary name in the same
//! directory and renamed over the old one, so the name never disappears.

use ibex::Status;
use ibex::args::{Parser, Spec, flag, optional, value};
use ibex::copy::{self, BackupKind, quote};
use ibex::io::Out;
use ibex::sys::{self, Dir};
use std::ffi::{OsStr, OsString};
use std::io;
use std::os::unix::ffi::OsStrExt;

const BACKUP: u32 = 256;

const LONGS: &[ibex::args::Long] = &[
    optional("backup", BACKUP),
    flag("directory", 'd' as u32),
    flag("force", 'f' as u32),
    flag("interactive", 'i' as u32),
    flag("logical", 'L' as u32),
    flag("no-dereference", 'n' as u32),
    flag("no-target-directory", 'T' as u32),
    flag("physical", 'P' as u32),
    flag("relative", 'r' as u32),
    value("suffix", 'S' as u32),
    flag("symbolic", 's' as u32),
    value("target-directory", 't' as u32),
    flag("verbose", 'v' as u32),
];

const SPEC: Spec = Spec::new(
    "bdFfiLnPrsS:t:Tv",
    LONGS,
    ibex::usage!(
        ln,
        "ln [-sfnbrvTLP] [-S SUF] [-t DIR] TARGET... LINK|DIR\n\
         \n\
         Create a link LINK or DIR/TARGET to the specified TARGET(s)\n\
         \n\
         \t-s\tMake symlinks instead of hard links\n\
         \t-f\tReplace existing destinations (atomically)\n\
         \t-i\tAsk before replacing\n\
         \t-n\tDon't dereference symlinks - treat like normal file\n\
         \t-r\tMake symlinks relative to the link's directory\n\
         \t-b\tMake a backup of each existing destination\n\
         \t-S SUF\tBackup suffix\n\
         \t-t DIR\tCreate links in DIR\n\
         \t-T\tTreat LINK as a normal file\n\
         \t-L\tHard-link to the targets of symlinks\n\
         \t-P\tHard-link to symlinks themselves (default)\n\
         \t-v\tVerbose"
    ),
);

struct Ln {
    symbolic: bool,
    force: bool,
    interactive: bool,
    no_deref: bool,
    relative: bool,
    logical: bool,
    dir_links: bool,
    verbose: bool,
    backup: copy::Backup,
    out: Out,
}

fn errno(e: &io::Error) -> i32 {
    e.raw_os_error().unwrap_or(0)
}

pub fn main(argv: &[OsString]) -> Status {
    let mut ln = Ln {
        symbolic: false,
        force: false,
        interactive: false,
        no_deref: false,
        relative: false,
        logical: false,
        dir_links: false,
        verbose: false,
        backup: copy::Backup::default(),
        out: Out::stdout(),
    };
    let mut target: Option<&OsStr> = None;
    let mut no_target = false;
    let mut backup: Option<Option<&OsStr>> = None;
    let mut suffix: Option<&OsStr> = None;
    let mut p = Parser::new(argv, &SPEC);
    while let Some((id, val)) = p.next()? {
        match id {
            0x73 /* s */ => ln.symbolic = true,
            0x66 /* f */ => {
                ln.force = true;
                ln.interactive = false;
            }
            0x69 /* i */ => {
                ln.interactive = true;
                ln.force = false;
            }
            0x6e /* n */ => ln.no_deref = true,
            0x72 /* r */ => ln.relative = true,
            0x4c /* L */ => ln.logical = true,
            0x50 /* P */ => ln.logical = false,
            0x64 | 0x46 /* d F */ => ln.dir_links = true,
            0x76 /* v */ => ln.verbose = true,
            0x74 /* t */ => target = val,
            0x54 /* T */ => no_target = true,
            BACKUP => backup = Some(val),
            0x62 /* b */ => backup = Some(None),
            0x53 /* S */ => {
                suffix = val;
                backup.get_or_insert(None);
            }
            _ => {}
        }
    }
    let ops = p.operands();
    if let Some(v) = backup {
        ln.backup.kind = match copy::backup_kind(v.map(OsStr::as_bytes)) {
            Ok(k) => k,
            Err((v, what, amb)) => {
                return Err(copy::bad_choice(&SPEC, what, &v, copy::BACKUP_CHOICES, amb));
            }
        };
        ln.backup.suffix = copy::backup_suffix(suffix.map(OsStr::as_bytes));
    }
    if ln.relative && !ln.symbolic {
        return Err(ibex::args::usage_error(
            &SPEC,
            &[b"cannot do --relative without --symbolic"],
        ));
    }
    if target.is_some() && no_target {
        return Err(ibex::args::usage_error(
            &SPEC,
            &[b"cannot combine --target-directory and --no-target-directory"],
        ));
    }
    if ops.is_empty() {
        return Err(ibex::args::usage_error(&SPEC, &[b"missing file operand"]));
    }
    let is_dir = |p: &[u8], no_deref: bool| -> io::Result<bool> {
        if no_deref && sys::lstat(p)?.is_lnk() {
            return Ok(false);
        }
        Ok(sys::stat(p)?.is_dir())
    };
    let (targets, dir, dest): (&[&OsStr], Option<&[u8]>, &[u8]) = if let Some(t) = target {
        let t = t.as_bytes();
        match is_dir(t, false) {
            Ok(true) => (&ops[..], Some(t), b""),
            Ok(false) => {
                ibex::msg!("target ", quote(t), " is not a directory");
                return Ok(1);
            }
            Err(e) => {
                ibex::msg!("failed to access ", quote(t), ": ", e);
                return Ok(1);
            }
        }
    } else if no_target {
        match ops.as_slice() {
            [one] => {
                let mut m = b"missing destination file operand after ".to_vec();
                m.extend_from_slice(&quote(one.as_bytes()));
                return Err(ibex::args::usage_error(&SPEC, &[&m]));
            }
            [t, d] => (std::slice::from_ref(t), None, d.as_bytes()),
            [_, _, extra, ..] => {
                let mut m = b"extra operand ".to_vec();
                m.extend_from_slice(&quote(extra.as_bytes()));
                return Err(ibex::args::usage_error(&SPEC, &[&m]));
            }
            [] => return Err(ibex::args::usage_error(&SPEC, &[b"missing file operand"])),
        }
    } else if ops.len() == 1 {
        (&ops[..], Some(&b"."[..]), b"")
    } else {
        let Some((last, rest)) = ops.split_last() else {
            return Err(ibex::args::usage_error(&SPEC, &[b"missing file operand"]));
        };
        let last = last.as_bytes();
        match is_dir(last, ln.no_deref) {
            Ok(true) => (rest, Some(last), b""),
            Ok(false) if rest.len() > 1 => {
                ibex::msg!("target ", quote(last), " is not a directory");
                return Ok(1);
            }
            Err(e) if rest.len() > 1 => {
                ibex::msg!("target ", quote(last), ": ", e);
                return Ok(1);
            }
            _ => (rest, None, last),
        }
    };
    let mut status = 0;
    for t in targets {
        let t = t.as_bytes();
        let ok = match dir {
            Some(d) => {
                let name = ibex::path::join(d, ibex::path::basename(t));
                ln.link(t, &name)
            }
            None => ln.link(t, dest),
        };
        if !ok {
            status = 1;
        }
    }
    let out = std::mem::replace(&mut ln.out, Out::stdout());
    out.done(status)
}

impl Ln {
    fn create(&self, target: &[u8], at: &[u8]) -> io::Result<()> {
        if self.symbolic {
            sys::symlinkat(target, Dir::CWD, at)
        } else {
            let flags = if self.logical {
                sys::AT_SYMLINK_FOLLOW
            } else {
                0
            };
            sys::linkat(Dir::CWD, target, Dir::CWD, at, flags)
        }
    }

    fn failed(&self, dst: &[u8], target: &[u8], e: &io::Error) {
        let n = errno(e);
        if self.symbolic {
            if n != libc::ENAMETOOLONG && !target.is_empty() {
                ibex::msg!("failed to create symbolic link ", quote(dst), ": ", e);
            } else {
                ibex::msg!(
                    "failed to create symbolic link ",
                    quote(dst),
                    " -> ",
                    quote(target),
                    ": ",
                    e
                );
            }
        } else if n == libc::EMLINK {
            ibex::msg!("failed to create hard link to ", quote(target), ": ", e);
        } else if matches!(n, libc::EDQUOT | libc::EEXIST | libc::ENOSPC | libc::EROFS) {
            ibex::msg!("failed to create hard link ", quote(dst), ": ", e);
        } else {
            ibex::msg!(
                "failed to create hard link ",
                quote(dst),
                " => ",
                quote(target),
                ": ",
                e
            );
        }
    }

    /// The symlink text for `-r`: `target` relative to the link's directory.
    fn relative_target(&self, target: &[u8], dst: &[u8]) -> io::Result<Vec<u8>> {
        use ibex::canon::{Missing, Options, canonicalize, relative};
        let any = Options {
            missing: Missing::Any,
            ..Options::default()
        };
        let t = canonicalize(target, any)?;
        let trimmed = ibex::path::trim_trailing_slashes(dst);
        let d = canonicalize(
            ibex::path::dirname(if trimmed.is_empty() { dst } else { trimmed }),
            any,
        )?;
        Ok(relative(&t, &d))
    }

    /// Make one link `dst` to `target`.
    fn link(&mut self, target: &[u8], dst: &[u8]) -> bool {
        let mut src_stat = None;
        if !self.symbolic {
            let st = if self.logical {
                sys::stat(target)
            } else {
                sys::lstat(target)
            };
            match st {
                Ok(s) if s.is_dir() && !self.dir_links => {
                    ibex::msg!(target, ": hard link not allowed for directory");
                    return false;
                }
                Ok(s) => src_stat = Some(s),
                Err(e) => {
                    ibex::msg!("failed to access ", quote(target), ": ", e);
                    return false;
                }
            }
        }
        let text = if self.relative {
            match self.relative_target(target, dst) {
                Ok(t) => t,
                Err(e) => {
                    ibex::msg!("failed to access ", quote(target), ": ", e);
                    return false;
                }
            }
        } else {
            target.to_vec()
        };
        let existing = sys::lstat(dst).ok();
        let mut backup = None;
        let mut replace = false;
        if let Some(d) = existing {
            let careful = self.force || self.interactive || self.backup.kind != BackupKind::None;
            // Refuse when replacing `dst` would remove the target itself
            // (GNU's rule: the same inode, and the only link or the same name).
            let checks = (self.force || (!self.symbolic && self.backup.kind != BackupKind::None))
                && (self.backup.kind == BackupKind::None || !self.symbolic);
            if checks {
                let seen = match src_stat {
                    Some(s) => Some(s),
                    None => sys::stat(target).ok(),
                };
                if seen.is_some_and(|s| s.same_file(&d) && (s.nlink == 1 || same_name(target, dst)))
                {
                    ibex::msg!(quote(target), " and ", quote(dst), " are the same file");
                    return false;
                }
            }
            if d.is_dir() && careful {
                ibex::msg!(dst, ": cannot overwrite directory");
                return false;
            }
            if self.interactive {
                let mut p = b"replace ".to_vec();
                p.extend_from_slice(&quote(dst));
                p.extend_from_slice(b"? ");
                if !copy::ask(&p) {
                    return true;
                }
            }
            if self.backup.kind != BackupKind::None {
                match copy::make_backup(Dir::CWD, dst, &self.backup) {
                    Ok(b) => backup = b,
                    Err(e) => {
                        ibex::msg!("cannot backup ", quote(dst), ": ", e);
                        return false;
                    }
                }
            } else if self.force || self.interactive {
                replace = true;
            }
        }
        let r = if replace && src_stat.is_some_and(|s| existing.is_some_and(|d| d.same_file(&s))) {
            // Already a hard link to the target (rename would do nothing).
            Ok(())
        } else if replace {
            self.replace(&text, dst)
        } else {
            self.create(&text, dst)
        };
        if let Err(e) = r {
            self.failed(dst, &text, &e);
            if let Some(b) = &backup {
                // Put the old file back.
                let _ = sys::rename(b, dst);
            }
            return false;
        }
        if self.verbose {
            if let Some(b) = &backup {
                self.out.write(&quote(b));
                self.out.str(" ~ ");
            }
            self.out.write(&quote(dst));
            self.out.str(if self.symbolic { " -> " } else { " => " });
            self.out.write(&quote(&text));
            self.out.byte(b'\n');
        }
        true
    }

    /// Make the link under a temporary name beside `dst`, then rename it
    /// over `dst`.
    fn replace(&self, text: &[u8], dst: &[u8]) -> io::Result<()> {
        let trimmed = ibex::path::trim_trailing_slashes(dst);
        let dir = ibex::path::dirname(if trimmed.is_empty() { dst } else { trimmed });
        let mut last = io::Error::from_raw_os_error(libc::EEXIST);
        for _ in 0..100 {
            let mut r = [0u8; 6];
            sys::getrandom(&mut r)?;
            let mut name = b".ln-".to_vec();
            for b in r {
                name.push(b"abcdefghijklmnopqrstuvwxyz0123456789"[usize::from(b % 36)]);
            }
            let tmp = ibex::path::join(dir, &name);
            match self.create(text, &tmp) {
                Ok(()) => {
                    return sys::rename(&tmp, dst).inspect_err(|_| {
                        let _ = sys::unlinkat(Dir::CWD, &tmp, 0);
                    });
                }
                Err(e) if errno(&e) == libc::EEXIST => last = e,
                Err(e) => return Err(e),
            }
        }
        Err(last)
    }
}

/// Whether two paths name the same entry of the same directory.
fn same_name(a: &[u8], b: &[u8]) -> bool {
    use ibex::path::{basename, dirname};
    basename(a) == basename(b)
        && match (sys::stat(dirname(a)), sys::stat(dirname(b))) {
            (Ok(x), Ok(y)) => x.same_file(&y),
            _ => false,
        }
}
