//! install: copy files and set their attributes, or create directories.
//! Each file is copied to a temporary file in the target directory, then
//! stripped, chowned and chmoded, and renamed over the destination, so a
//! running program can be replaced and a failure leaves the old one.

use ibex::Status;
use ibex::args::{Parser, Spec, flag, optional, value};
use ibex::copy::{self, BackupKind, Sparse, quote};
use ibex::io::{CopyError, Out};
use ibex::sys::{self, Dir, SetTime, Stat};
use std::ffi::{OsStr, OsString};
use std::io;
use std::os::fd::{AsRawFd, IntoRawFd, OwnedFd};
use std::os::unix::ffi::OsStrExt;

const BACKUP: u32 = 256;
const STRIP_PROGRAM: u32 = 257;
const CONTEXT: u32 = 258;
const PRESERVE_CONTEXT: u32 = 259;
const DEBUG: u32 = 260;

const LONGS: &[ibex::args::Long] = &[
    optional("backup", BACKUP),
    flag("compare", 'C' as u32),
    flag("debug", DEBUG),
    flag("directory", 'd' as u32),
    value("group", 'g' as u32),
    value("mode", 'm' as u32),
    value("owner", 'o' as u32),
    flag("preserve-timestamps", 'p' as u32),
    flag("strip", 's' as u32),
    value("strip-program", STRIP_PROGRAM),
    value("suffix", 'S' as u32),
    value("target-directory", 't' as u32),
    flag("no-target-directory", 'T' as u32),
    flag("verbose", 'v' as u32),
    optional("context", CONTEXT),
    flag("preserve-context", PRESERVE_CONTEXT),
];

const SPEC: Spec = Spec::new(
    "bcCdDg:m:o:psS:t:TvZ",
    LONGS,
    ibex::usage!(
        install,
        "install [-cdDpsCv] [-m MODE] [-o USER] [-g GRP] [-t DIR] [SOURCE]... DEST\n\
         \n\
         Copy files and set attributes\n\
         \n\
         \t-c\tJust copy (default)\n\
         \t-d\tCreate directories\n\
         \t-D\tCreate leading target directories\n\
         \t-s\tStrip symbol table (strip, or $STRIPPROG / --strip-program)\n\
         \t-C\tDon't replace a DEST that is already identical\n\
         \t-p\tPreserve access and modification times\n\
         \t-o USER\tSet ownership\n\
         \t-g GRP\tSet group ownership\n\
         \t-m MODE\tSet permissions (default 755)\n\
         \t-t DIR\tInstall all SOURCEs into DIR\n\
         \t-T\tTreat DEST as a normal file\n\
         \t-b\tBack up existing destinations (-S SUF: suffix)\n\
         \t-v\tVerbose"
    ),
);

struct Install {
    mode: u32,
    dir_mode: u32,
    uid: u32,
    gid: u32,
    strip: Option<OsString>,
    compare: bool,
    preserve_times: bool,
    leading: bool,
    verbose: bool,
    backup: copy::Backup,
    out: Out,
}

fn errno(e: &io::Error) -> i32 {
    e.raw_os_error().unwrap_or(0)
}

pub fn main(argv: &[OsString]) -> Status {
    let mut dirs = false;
    let mut mode: Option<&OsStr> = None;
    let mut owner: Option<&OsStr> = None;
    let mut group: Option<&OsStr> = None;
    let mut strip = false;
    let mut strip_prog: Option<&OsStr> = None;
    let mut target: Option<&OsStr> = None;
    let mut no_target = false;
    let mut backup: Option<Option<&OsStr>> = None;
    let mut suffix: Option<&OsStr> = None;
    let mut ins = Install {
        mode: 0o755,
        dir_mode: 0o755,
        uid: u32::MAX,
        gid: u32::MAX,
        strip: None,
        compare: false,
        preserve_times: false,
        leading: false,
        verbose: false,
        backup: copy::Backup::default(),
        out: Out::stdout(),
    };
    let mut p = Parser::new(argv, &SPEC);
    while let Some((id, val)) = p.next()? {
        match id {
            0x64 /* d */ => dirs = true,
            0x44 /* D */ => ins.leading = true,
            0x6d /* m */ => mode = val,
            0x6f /* o */ => owner = val,
            0x67 /* g */ => group = val,
            0x73 /* s */ => strip = true,
            STRIP_PROGRAM => strip_prog = val,
            0x43 /* C */ => ins.compare = true,
            0x70 /* p */ => ins.preserve_times = true,
            0x74 /* t */ => target = val,
            0x54 /* T */ => no_target = true,
            0x76 /* v */ => ins.verbose = true,
            BACKUP => backup = Some(val),
            0x62 /* b */ => backup = Some(None),
            0x53 /* S */ => {
                suffix = val;
                backup.get_or_insert(None);
            }
            _ => {} // -c, -Z, --context, --preserve-context, --debug
        }
    }
    let ops = p.operands();
    if let Some(m) = mode {
        match ibex::mode::parse(m.as_bytes()) {
            Some(parsed) => {
                ins.mode = parsed.apply(0, false, 0);
                ins.dir_mode = parsed.apply(0, true, 0);
            }
            None => {
                ibex::msg!("invalid mode ", quote(m.as_bytes()));
                return Ok(1);
            }
        }
    }
    if let Some(o) = owner {
        match ibex::users::resolve_uid(o.as_bytes()) {
            Some(u) => ins.uid = u,
            None => {
                ibex::msg!("invalid user ", quote(o.as_bytes()));
                return Ok(1);
            }
        }
    }
    if let Some(g) = group {
        match ibex::users::resolve_gid(g.as_bytes()) {
            Some(id) => ins.gid = id,
            None => {
                ibex::msg!("invalid group ", quote(g.as_bytes()));
                return Ok(1);
            }
        }
    }
    if strip {
        ins.strip = Some(match strip_prog {
            Some(p) => p.to_os_string(),
            None => std::env::var_os("STRIPPROG")
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| OsString::from("strip")),
        });
    }
    if let Some(v) = backup {
        ins.backup.kind = match copy::backup_kind(v.map(OsStr::as_bytes)) {
            Ok(k) => k,
            Err((v, what, amb)) => {
                return Err(copy::bad_choice(&SPEC, what, &v, copy::BACKUP_CHOICES, amb));
            }
        };
        ins.backup.suffix = copy::backup_suffix(suffix.map(OsStr::as_bytes));
    }
    if ops.is_empty() {
        return Err(ibex::args::usage_error(&SPEC, &[b"missing file operand"]));
    }
    if dirs {
        if target.is_some() || no_target {
            return Err(ibex::args::usage_error(
                &SPEC,
                &[b"target directory not allowed when installing a directory"],
            ));
        }
        let mut status = 0;
        for d in &ops {
            if !ins.make_dir(d.as_bytes()) {
                status = 1;
            }
        }
        return ins.out.done(status);
    }
    if target.is_some() && no_target {
        return Err(ibex::args::usage_error(
            &SPEC,
            &[b"cannot combine --target-directory (-t) and --no-target-directory (-T)"],
        ));
    }
    let (srcs, dir, dest): (&[&OsStr], Option<&[u8]>, &[u8]) = if let Some(t) = target {
        let t = t.as_bytes();
        if ins.leading && !ins.parents(t, true) {
            return ins.out.done(1);
        }
        match sys::stat(t) {
            Ok(st) if st.is_dir() => (&ops[..], Some(t), b""),
            r => {
                let e = r
                    .err()
                    .unwrap_or_else(|| io::Error::from_raw_os_error(libc::ENOTDIR));
                ibex::msg!("failed to access ", quote(t), ": ", e);
                return Ok(1);
            }
        }
    } else {
        let Some((last, rest)) = ops.split_last().filter(|(_, r)| !r.is_empty()) else {
            let mut m = b"missing destination file operand after ".to_vec();
            m.extend_from_slice(&quote(ops.first().map_or(&b""[..], |o| o.as_bytes())));
            return Err(ibex::args::usage_error(&SPEC, &[&m]));
        };
        let last = last.as_bytes();
        if no_target {
            if rest.len() > 1 {
                let mut m = b"extra operand ".to_vec();
                m.extend_from_slice(&quote(last));
                return Err(ibex::args::usage_error(&SPEC, &[&m]));
            }
            (rest, None, last)
        } else {
            match sys::stat(last) {
                Ok(st) if st.is_dir() => (rest, Some(last), b""),
                r if rest.len() > 1 => {
                    let e = r
                        .err()
                        .unwrap_or_else(|| io::Error::from_raw_os_error(libc::ENOTDIR));
                    ibex::msg!("target ", quote(last), ": ", e);
                    return Ok(1);
                }
                _ => (rest, None, last),
            }
        }
    };
    let mut status = 0;
    for s in srcs {
        let s = s.as_bytes();
        let ok = match dir {
            Some(d) => ins.file(s, &ibex::path::join(d, ibex::path::basename(s))),
            None => {
                (!ins.leading || ins.parents(ibex::path::dirname(dest), true)) && ins.file(s, dest)
            }
        };
        if !ok {
            status = 1;
        }
    }
    let out = std::mem::replace(&mut ins.out, Out::stdout());
    out.done(status)
}

impl Install {
    /// Create `path` and its missing ancestors (mode 755), saying so with -v.
    /// With `all` false the last component is left to the caller.
    fn parents(&mut self, path: &[u8], all: bool) -> bool {
        let mut ends = Vec::new();
        let mut i = 0;
        while i < path.len() {
            while path.get(i) == Some(&b'/') {
                i += 1;
            }
            let start = i;
            while i < path.len() && path.get(i) != Some(&b'/') {
                i += 1;
            }
            if start < i {
                ends.push(i);
            }
        }
        if !all {
            ends.pop();
        }
        for end in ends {
            let p = &path[..end];
            if !self.mkdir(p, 0o755, false) {
                return false;
            }
        }
        true
    }

    /// Make one directory (mode `mode`) unless a directory is there.
    fn mkdir(&mut self, p: &[u8], mode: u32, last: bool) -> bool {
        if p == b"." || p == b".." || p.ends_with(b"/.") || p.ends_with(b"/..") {
            return true;
        }
        match sys::mkdirat(Dir::CWD, p, 0o700) {
            Ok(()) => {
                if self.verbose {
                    self.out.flush();
                    let mut m = ibex::error::start();
                    m.extend_from_slice(b"creating directory ");
                    m.extend_from_slice(&quote(p));
                    m.push(b'\n');
                    self.out.write(&m);
                }
                if let Err(e) = sys::fchmodat(Dir::CWD, p, mode) {
                    ibex::msg!("cannot change permissions of ", quote(p), ": ", e);
                    return false;
                }
                true
            }
            Err(e) if errno(&e) == libc::EEXIST => match sys::stat(p) {
                Ok(st) if st.is_dir() => true,
                _ => {
                    // A file where a leading directory should be.
                    let e = if last {
                        e
                    } else {
                        io::Error::from_raw_os_error(libc::ENOTDIR)
                    };
                    ibex::msg!("cannot create directory ", quote(p), ": ", e);
                    false
                }
            },
            Err(e) => {
                ibex::msg!("cannot create directory ", quote(p), ": ", e);
                false
            }
        }
    }

    /// `install -d DIR`: the directory and its ancestors, then its mode and
    /// owner (also when it already existed).
    fn make_dir(&mut self, d: &[u8]) -> bool {
        if !self.parents(d, false) {
            return false;
        }
        let trimmed = ibex::path::trim_trailing_slashes(d);
        let p = if trimmed.is_empty() { d } else { trimmed };
        if !self.mkdir(p, self.dir_mode, true) {
            return false;
        }
        if (self.uid != u32::MAX || self.gid != u32::MAX)
            && let Err(e) = sys::fchownat(Dir::CWD, p, self.uid, self.gid, 0)
        {
            ibex::msg!("cannot change ownership of ", quote(p), ": ", e);
            return false;
        }
        if let Err(e) = sys::fchmodat(Dir::CWD, p, self.dir_mode) {
            ibex::msg!("cannot change permissions of ", quote(p), ": ", e);
            return false;
        }
        true
    }

    /// Whether `dst` already is what installing `src` would make (-C).
    fn same_content(&self, src: &OwnedFd, st: &Stat, dst: &[u8]) -> bool {
        if self.strip.is_some() {
            return false;
        }
        let Ok(d) = sys::lstat(dst) else { return false };
        let uid = if self.uid == u32::MAX {
            sys::geteuid()
        } else {
            self.uid
        };
        let gid = if self.gid == u32::MAX {
            d.gid
        } else {
            self.gid
        };
        if !d.is_reg()
            || d.size != st.size
            || d.mode & 0o7777 != self.mode
            || d.uid != uid
            || d.gid != gid
        {
            return false;
        }
        let Ok(dfd) = sys::open(dst, sys::O_RDONLY | sys::O_NOCTTY | sys::O_NOFOLLOW, 0) else {
            return false;
        };
        let mut a = vec![0u8; 64 * 1024];
        let mut b = vec![0u8; 64 * 1024];
        let mut off = 0u64;
        loop {
            let Ok(n) = sys::pread(src.as_raw_fd(), &mut a, off) else {
                return false;
            };
            if n == 0 {
                // Both at the end only if dst has nothing more either.
                return sys::pread(dfd.as_raw_fd(), &mut b[..1], off).is_ok_and(|m| m == 0);
            }
            let mut got = 0;
            while got < n {
                match sys::pread(dfd.as_raw_fd(), &mut b[got..n], off + got as u64) {
                    Ok(0) | Err(_) => return false,
                    Ok(m) => got += m,
                }
            }
            if a[..n] != b[..n] {
                return false;
            }
            off += n as u64;
        }
    }

    /// Install one file.
    fn file(&mut self, src: &[u8], dst: &[u8]) -> bool {
        let st = match sys::stat(src) {
            Ok(s) => s,
            Err(e) => {
                ibex::msg!("cannot stat ", quote(src), ": ", e);
                return false;
            }
        };
        if st.is_dir() {
            ibex::msg!("omitting directory ", quote(src));
            return false;
        }
        if let Ok(d) = sys::stat(dst) {
            if d.same_file(&st) {
                ibex::msg!(quote(src), " and ", quote(dst), " are the same file");
                return false;
            }
            if d.is_dir() {
                ibex::msg!(
                    "cannot overwrite directory ",
                    quote(dst),
                    " with non-directory"
                );
                return false;
            }
        }
        let sfd = match sys::open(src, sys::O_RDONLY | sys::O_NOCTTY, 0) {
            Ok(fd) => fd,
            Err(e) => {
                ibex::msg!("cannot open ", quote(src), " for reading: ", e);
                return false;
            }
        };
        if self.compare && self.same_content(&sfd, &st, dst) {
            return true;
        }
        let trimmed = ibex::path::trim_trailing_slashes(dst);
        let dir = ibex::path::dirname(if trimmed.is_empty() { dst } else { trimmed });
        let (tmp, tfd) = match temp_file(dir) {
            Ok(t) => t,
            Err(e) => {
                ibex::msg!("cannot create regular file ", quote(dst), ": ", e);
                return false;
            }
        };
        let ok = self.fill(&sfd, &st, src, &tmp, tfd, dst);
        if !ok {
            let _ = sys::unlinkat(Dir::CWD, &tmp, 0);
            return false;
        }
        let mut backup = None;
        if self.backup.kind != BackupKind::None && sys::lstat(dst).is_ok() {
            match copy::make_backup(Dir::CWD, dst, &self.backup) {
                Ok(b) => backup = b,
                Err(e) => {
                    ibex::msg!("cannot backup ", quote(dst), ": ", e);
                    let _ = sys::unlinkat(Dir::CWD, &tmp, 0);
                    return false;
                }
            }
        }
        if let Err(e) = sys::rename(&tmp, dst) {
            let _ = sys::unlinkat(Dir::CWD, &tmp, 0);
            ibex::msg!("cannot create regular file ", quote(dst), ": ", e);
            return false;
        }
        if self.verbose {
            self.out.write(&quote(src));
            self.out.str(" -> ");
            self.out.write(&quote(dst));
            if let Some(b) = backup {
                self.out.str(" (backup: ");
                self.out.write(&quote(&b));
                self.out.byte(b')');
            }
            self.out.byte(b'\n');
        }
        true
    }

    /// Copy data into the temporary file, strip it, set its attributes.
    fn fill(
        &mut self,
        sfd: &OwnedFd,
        st: &Stat,
        src: &[u8],
        tmp: &[u8],
        tfd: OwnedFd,
        dst: &[u8],
    ) -> bool {
        match copy::copy_data(sfd.as_raw_fd(), tfd.as_raw_fd(), st, Sparse::Auto) {
            Ok(()) => {}
            Err(CopyError::Read(e)) => {
                ibex::msg!("error reading ", quote(src), ": ", e);
                return false;
            }
            Err(CopyError::Write(e)) => {
                ibex::msg!("error writing ", quote(dst), ": ", e);
                return false;
            }
        }
        if let Err(e) = sys::close(tfd.into_raw_fd()) {
            ibex::msg!("error writing ", quote(dst), ": ", e);
            return false;
        }
        if let Some(prog) = &self.strip {
            self.out.flush();
            let argv = [prog.clone(), OsStr::from_bytes(tmp).to_os_string()];
            let r =
                sys::spawn_with(None, &argv, &[], None).and_then(|pid| sys::waitpid(pid, 0, false));
            match r {
                Ok(Some((_, sys::WaitStatus::Exited(0)))) => {}
                Ok(_) => {
                    ibex::msg!("strip process terminated abnormally");
                    return false;
                }
                Err(e) => {
                    ibex::msg!("cannot run ", quote(prog.as_bytes()), ": ", e);
                    return false;
                }
            }
        }
        if (self.uid != u32::MAX || self.gid != u32::MAX)
            && let Err(e) =
                sys::fchownat(Dir::CWD, tmp, self.uid, self.gid, sys::AT_SYMLINK_NOFOLLOW)
        {
            ibex::msg!("cannot change ownership of ", quote(dst), ": ", e);
            return false;
        }
        if let Err(e) = sys::fchmodat(Dir::CWD, tmp, self.mode) {
            ibex::msg!("cannot change permissions of ", quote(dst), ": ", e);
            return false;
        }
        if self.preserve_times
            && let Err(e) = sys::utimensat(
                Dir::CWD,
                tmp,
                SetTime::At(st.atime),
                SetTime::At(st.mtime),
                0,
            )
        {
            ibex::msg!("cannot set timestamps for ", quote(dst), ": ", e);
            return false;
        }
        true
    }
}

/// Create a new empty file (mode 0600, O_EXCL) in `dir`.
fn temp_file(dir: &[u8]) -> io::Result<(Vec<u8>, OwnedFd)> {
    let mut last = io::Error::from_raw_os_error(libc::EEXIST);
    for _ in 0..100 {
        let mut r = [0u8; 6];
        sys::getrandom(&mut r)?;
        let mut name = b".install-".to_vec();
        for b in r {
            name.push(b"abcdefghijklmnopqrstuvwxyz0123456789"[usize::from(b % 36)]);
        }
        let path = ibex::path::join(dir, &name);
        match sys::open(
            &path,
            sys::O_WRONLY | sys::O_CREAT | sys::O_EXCL | sys::O_NOCTTY,
            0o600,
        ) {
            Ok(fd) => return Ok((path, fd)),
            Err(e) if errno(&e) == libc::EEXIST => last = e,
            Err(e) => return Err(e),
        }
    }
    Err(last)
}
