//! chown and chgrp: change the owner and/or group of files.
//! chown takes `OWNER[:[GROUP]]`, `:GROUP`, `OWNER.GROUP` (old form, with a
//! warning), names or numbers (`+N` is always a number); chgrp takes a
//! GROUP. `-R` walks trees (`-P` no symlinks, the default; `-H` command-line
//! ones; `-L` all), `-h` changes symbolic links themselves (without it a
//! symlink operand's referent is changed), `-v`/`-c` report, `-f` is quiet,
//! `--from=OWNER:GROUP` changes only matching files, `--reference=FILE`.

use ibex::Status;
use ibex::args::{self, Long, Parser, Spec, flag, value};
use ibex::copy::quote;
use ibex::io::Out;
use ibex::sys::{self, Dir, Stat};
use ibex::users;
use ibex::walk::{Follow, Options, Visit, Walker};
use std::ffi::OsString;
use std::os::unix::ffi::OsStrExt;

const DEREFERENCE: u32 = 256;
const FROM: u32 = 257;
const PRESERVE: u32 = 258;
const NO_PRESERVE: u32 = 259;
const REFERENCE: u32 = 260;

const LONGS: &[Long] = &[
    flag("changes", 'c' as u32),
    flag("silent", 'f' as u32),
    flag("quiet", 'f' as u32),
    flag("verbose", 'v' as u32),
    flag("dereference", DEREFERENCE),
    flag("no-dereference", 'h' as u32),
    value("from", FROM),
    flag("preserve-root", PRESERVE),
    flag("no-preserve-root", NO_PRESERVE),
    value("reference", REFERENCE),
    flag("recursive", 'R' as u32),
];

#[cfg_attr(not(feature = "chown"), allow(dead_code))]
const CHOWN: Spec = Spec::new(
    "RHLPcfhv",
    LONGS,
    ibex::usage!(
        chown,
        "chown [-RhLHPcvf] [OWNER][:[GROUP]] FILE...

Change the owner and/or group of FILEs to OWNER and/or GROUP

\t-h\tAffect symlinks instead of symlink targets
\t-L\tTraverse all symlinks to directories
\t-H\tTraverse symlinks on command line only
\t-P\tDon't traverse symlinks (default)
\t-R\tRecurse
\t-c\tList changed files
\t-v\tList all files
\t-f\tHide errors
\t--from=OWNER:GROUP\tChange only files with this owner and group
\t--reference=RFILE\tUse RFILE's owner and group"
    ),
);

#[cfg_attr(not(feature = "chgrp"), allow(dead_code))]
const CHGRP: Spec = Spec::new(
    "RHLPcfhv",
    LONGS,
    ibex::usage!(
        chgrp,
        "chgrp [-RhLHPcvf] GROUP FILE...

Change the group membership of FILEs to GROUP

\t-h\tAffect symlinks instead of symlink targets
\t-L\tTraverse all symlinks to directories
\t-H\tTraverse symlinks on command line only
\t-P\tDon't traverse symlinks (default)
\t-R\tRecurse
\t-c\tList changed files
\t-v\tList all files
\t-f\tHide errors
\t--from=OWNER:GROUP\tChange only files with this owner and group
\t--reference=RFILE\tUse RFILE's group"
    ),
);

#[derive(Clone, Copy, PartialEq, Eq)]
enum Verbosity {
    Off,
    Changes,
    High,
}

/// A parsed `OWNER[:GROUP]`: the ids to set and the names to show.
#[derive(Default)]
struct Spec2 {
    uid: Option<u32>,
    gid: Option<u32>,
    user_name: Option<Vec<u8>>,
    group_name: Option<Vec<u8>>,
}

/// An id given as a number (`+N` forces a number): decimal, fitting in
/// 32 bits, and not -1.
fn number(s: &[u8]) -> Option<u32> {
    let d = s.strip_prefix(b"+").unwrap_or(s);
    if d.is_empty() || !d.iter().all(u8::is_ascii_digit) {
        return None;
    }
    ibex::num::parse_u64(d)
        .ok()
        .and_then(|n| u32::try_from(n).ok())
        .filter(|&n| n != u32::MAX)
}

enum SpecError {
    User,
    Group,
    Spec,
}

fn parse_with(user: Option<&[u8]>, group: Option<&[u8]>, sep: bool) -> Result<Spec2, SpecError> {
    let mut s = Spec2::default();
    if let Some(u) = user {
        let by_name = if u.starts_with(b"+") {
            None
        } else {
            users::user_by_name(u)
        };
        match by_name {
            Some(pw) => {
                s.uid = Some(pw.uid);
                s.user_name = Some(u.to_vec());
                if group.is_none() && sep {
                    // `user:` means the user's login group.
                    s.gid = Some(pw.gid);
                    s.group_name = Some(
                        users::group_name(pw.gid)
                            .unwrap_or_else(|| pw.gid.to_string().into_bytes()),
                    );
                }
            }
            None => {
                s.uid = Some(number(u).ok_or(SpecError::User)?);
                if group.is_none() && sep {
                    return Err(SpecError::Spec);
                }
            }
        }
    }
    if let Some(g) = group {
        let by_name = if g.starts_with(b"+") {
            None
        } else {
            users::group_by_name(g)
        };
        match by_name {
            Some(gr) => {
                s.gid = Some(gr.gid);
                s.group_name = Some(g.to_vec());
            }
            None => s.gid = Some(number(g).ok_or(SpecError::Group)?),
        }
    }
    Ok(s)
}

fn split_at_sep(spec: &[u8], sep: usize) -> (Option<&[u8]>, Option<&[u8]>) {
    let u = &spec[..sep];
    let g = &spec[sep + 1..];
    ((!u.is_empty()).then_some(u), (!g.is_empty()).then_some(g))
}

/// Parse an owner spec; prints the error and returns None when invalid.
fn parse_owner(spec: &[u8]) -> Option<Spec2> {
    let colon = memchr::memchr(b':', spec);
    let first = match colon {
        Some(i) => {
            let (u, g) = split_at_sep(spec, i);
            parse_with(u, g, true)
        }
        None => parse_with((!spec.is_empty()).then_some(spec), None, false),
    };
    let err = match first {
        Ok(s) => return Some(finish(s)),
        Err(e) => e,
    };
    if colon.is_none()
        && let Some(dot) = memchr::memchr(b'.', spec)
    {
        let (u, g) = split_at_sep(spec, dot);
        if let Ok(s) = parse_with(u, g, true) {
            ibex::msg!("warning: '.' should be ':': ", quote(spec));
            return Some(finish(s));
        }
    }
    let what = match err {
        SpecError::User => "invalid user: ",
        SpecError::Group => "invalid group: ",
        SpecError::Spec => "invalid spec: ",
    };
    ibex::msg!(what, quote(spec));
    None
}

/// A named group with no user reads as "ownership of ... :GROUP", as GNU.
fn finish(mut s: Spec2) -> Spec2 {
    if s.user_name.is_none() && s.uid.is_none() && s.group_name.is_some() {
        s.user_name = Some(Vec::new());
    }
    s
}

fn uid_name(uid: u32) -> Vec<u8> {
    users::user_name(uid).unwrap_or_else(|| uid.to_string().into_bytes())
}

fn gid_name(gid: u32) -> Vec<u8> {
    users::group_name(gid).unwrap_or_else(|| gid.to_string().into_bytes())
}

fn user_group(u: Option<&[u8]>, g: Option<&[u8]>) -> Vec<u8> {
    match (u, g) {
        (Some(u), Some(g)) => [u, b":", g].concat(),
        (Some(u), None) => u.to_vec(),
        (None, Some(g)) => g.to_vec(),
        (None, None) => Vec::new(),
    }
}

struct Chown {
    uid: Option<u32>,
    gid: Option<u32>,
    /// What to show as the new owner and group.
    new_user: Option<Vec<u8>>,
    new_group: Option<Vec<u8>>,
    from_uid: Option<u32>,
    from_gid: Option<u32>,
    verbosity: Verbosity,
    quiet: bool,
    recursive: bool,
    /// Change a symbolic link's referent rather than the link.
    dereference: bool,
    follow: Follow,
    root: Option<Stat>,
    out: Out,
}

#[cfg_attr(not(feature = "chown"), allow(dead_code))]
pub fn main(argv: &[OsString]) -> Status {
    run(argv, false)
}

#[cfg_attr(not(feature = "chgrp"), allow(dead_code))]
pub fn chgrp(argv: &[OsString]) -> Status {
    run(argv, true)
}

fn run(argv: &[OsString], group_only: bool) -> Status {
    let spec = if group_only { &CHGRP } else { &CHOWN };
    let mut c = Chown {
        uid: None,
        gid: None,
        new_user: None,
        new_group: None,
        from_uid: None,
        from_gid: None,
        verbosity: Verbosity::Off,
        quiet: false,
        recursive: false,
        dereference: true,
        follow: Follow::Never,
        root: None,
        out: Out::stdout(),
    };
    let mut deref: Option<bool> = None;
    let mut from = None;
    let mut reference = None;
    let mut preserve_root = false;
    let mut p = Parser::new(argv, spec);
    while let Some((id, val)) = p.next()? {
        match id {
            0x52 => c.recursive = true,
            0x48 => c.follow = Follow::Root,
            0x4c => c.follow = Follow::Always,
            0x50 => c.follow = Follow::Never,
            0x63 => c.verbosity = Verbosity::Changes,
            0x76 => c.verbosity = Verbosity::High,
            0x66 => c.quiet = true,
            0x68 => deref = Some(false),
            DEREFERENCE => deref = Some(true),
            FROM => from = val,
            REFERENCE => reference = val,
            PRESERVE => preserve_root = true,
            NO_PRESERVE => preserve_root = false,
            _ => {}
        }
    }
    if c.recursive && c.follow == Follow::Never {
        if deref == Some(true) {
            ibex::msg!("-R --dereference requires either -H or -L");
            return Err(ibex::Exit(1));
        }
        deref = Some(false);
    }
    c.dereference = deref.unwrap_or(true);
    if !c.recursive {
        c.follow = if c.dereference {
            Follow::Root
        } else {
            Follow::Never
        };
    }
    if let Some(f) = from {
        let Some(s) = parse_owner(f.as_bytes()) else {
            return Err(ibex::Exit(1));
        };
        c.from_uid = s.uid;
        c.from_gid = s.gid;
    }
    let mut ops = p.operands().into_iter();
    if let Some(r) = reference {
        match sys::stat(r.as_bytes()) {
            Ok(st) => {
                if !group_only {
                    c.uid = Some(st.uid);
                    c.new_user = Some(uid_name(st.uid));
                }
                c.gid = Some(st.gid);
                c.new_group = Some(gid_name(st.gid));
            }
            Err(e) => {
                ibex::msg!("failed to get attributes of ", quote(r.as_bytes()), ": ", e);
                return Err(ibex::Exit(1));
            }
        }
    } else {
        let Some(arg) = ops.next() else {
            return Err(args::missing_operand(spec));
        };
        let arg = arg.as_bytes();
        if group_only {
            if !arg.is_empty() {
                let by_name = if arg.starts_with(b"+") {
                    None
                } else {
                    users::group_by_name(arg)
                };
                match by_name.map(|g| g.gid).or_else(|| number(arg)) {
                    Some(gid) => {
                        c.gid = Some(gid);
                        c.new_group = Some(arg.to_vec());
                    }
                    None => {
                        ibex::msg!("invalid group: ", quote(arg));
                        return Err(ibex::Exit(1));
                    }
                }
            }
        } else {
            let Some(s) = parse_owner(arg) else {
                return Err(ibex::Exit(1));
            };
            c.uid = s.uid;
            c.gid = s.gid;
            c.new_user = s
                .user_name
                .or_else(|| s.uid.map(|u| u.to_string().into_bytes()));
            c.new_group = s
                .group_name
                .or_else(|| s.gid.map(|g| g.to_string().into_bytes()));
        }
        if ops.len() == 0 {
            return Err(args::usage_error(
                spec,
                &[b"missing operand after ", &quote(arg)],
            ));
        }
    }
    if ops.len() == 0 {
        return Err(args::missing_operand(spec));
    }
    if c.recursive && preserve_root {
        c.root = sys::stat(b"/").ok();
    }
    let mut ok = true;
    for op in ops {
        ok &= c.operand(op.as_bytes());
    }
    c.out.done(i32::from(!ok))
}

impl Chown {
    fn operand(&mut self, arg: &[u8]) -> bool {
        let name = root_name(arg);
        let mut w = Walker::new(
            name,
            Options {
                follow: self.follow,
                xdev: false,
                post: true,
                sorted: false,
                stat_all: true,
            },
        );
        let mut ok = true;
        // For each directory being walked: whether to leave it unchanged
        // (refused, or its contents could not be read).
        let mut skip: Vec<bool> = Vec::new();
        while let Some(e) = w.next() {
            match e.visit {
                Visit::StatError(err) => {
                    // A dangling symlink operand: its referent cannot be had.
                    if e.depth == 0
                        && err.raw_os_error() == Some(libc::ENOENT)
                        && let Ok(st) = sys::lstat(e.path)
                        && st.is_lnk()
                    {
                        let path = e.path.to_vec();
                        ok &= self.change(e.parent, e.name, &path, st, false);
                        continue;
                    }
                    if !self.quiet {
                        ibex::msg!("cannot access ", quote(e.path), ": ", err);
                    }
                    ok = false;
                }
                Visit::DirError(err) => {
                    if !self.quiet {
                        ibex::msg!("cannot read directory ", quote(e.path), ": ", err);
                    }
                    if let Some(s) = skip.last_mut() {
                        *s = true;
                    }
                    ok = false;
                }
                Visit::Loop => {
                    if !self.quiet {
                        ibex::msg!(
                            "WARNING: Circular directory structure.\nThis almost certainly means that you have a corrupted file system.\nNOTIFY YOUR SYSTEM MANAGER.\nThe following directory is part of the cycle:\n  ",
                            quote(e.path)
                        );
                    }
                    ok = false;
                }
                Visit::Pre => {
                    let refused = e.depth == 0
                        && e.stat
                            .is_some_and(|st| self.root.is_some_and(|r| r.same_file(st)));
                    if refused {
                        refuse_slash(e.path);
                        ok = false;
                    }
                    if refused || !self.recursive {
                        w.prune();
                    }
                    skip.push(refused);
                }
                Visit::Post | Visit::File => {
                    if matches!(e.visit, Visit::Post) && skip.pop().unwrap_or(false) {
                        continue;
                    }
                    let Some(st) = e.stat.copied() else { continue };
                    let followed = match self.follow {
                        Follow::Always => true,
                        Follow::Root => e.depth == 0,
                        Follow::Never => false,
                    };
                    let path = e.path.to_vec();
                    ok &= self.change(e.parent, e.name, &path, st, followed);
                }
            }
        }
        ok
    }

    fn change(&mut self, dir: Dir, name: &[u8], path: &[u8], mut st: Stat, followed: bool) -> bool {
        let mut flags = if followed {
            0
        } else {
            sys::AT_SYMLINK_NOFOLLOW
        };
        if st.is_lnk() && self.dereference {
            // A link to change through (met while walking with -H, or a
            // dangling one): its referent's owner is what counts.
            match sys::fstatat(dir, name, 0) {
                Ok(t) => {
                    st = t;
                    flags = 0;
                }
                Err(err) => {
                    if !self.quiet {
                        self.out.flush();
                        ibex::msg!("cannot dereference ", quote(path), ": ", err);
                    }
                    if self.verbosity == Verbosity::High {
                        self.describe(path, &st, true, false);
                    }
                    return false;
                }
            }
        }
        let matches =
            self.from_uid.is_none_or(|u| u == st.uid) && self.from_gid.is_none_or(|g| g == st.gid);
        let mut ok = true;
        let mut failed = false;
        if matches {
            let uid = self.uid.unwrap_or(u32::MAX);
            let gid = self.gid.unwrap_or(u32::MAX);
            if let Err(err) = sys::fchownat(dir, name, uid, gid, flags) {
                if !self.quiet {
                    self.out.flush();
                    let what = if self.uid.is_some() {
                        "changing ownership of "
                    } else {
                        "changing group of "
                    };
                    ibex::msg!(what, quote(path), ": ", err);
                }
                ok = false;
                failed = true;
            }
        }
        let changed = matches
            && !failed
            && (self.uid.is_some_and(|u| u != st.uid) || self.gid.is_some_and(|g| g != st.gid));
        if self.verbosity == Verbosity::High || (self.verbosity == Verbosity::Changes && changed) {
            self.describe(path, &st, failed, changed);
        }
        ok
    }

    fn describe(&mut self, path: &[u8], st: &Stat, failed: bool, changed: bool) {
        let user = self.new_user.as_deref();
        let group = self.new_group.as_deref();
        let old_user = user.map(|_| uid_name(st.uid));
        let old_group = group.map(|_| gid_name(st.gid));
        let old = user_group(old_user.as_deref(), old_group.as_deref());
        let new = user_group(user, group);
        let q = quote(path);
        let o = &mut self.out;
        let noun = if user.is_some() {
            Some("ownership of ")
        } else if group.is_some() {
            Some("group of ")
        } else {
            None
        };
        match noun {
            None => {
                o.str(if failed {
                    "failed to change ownership of "
                } else if changed {
                    "no change to ownership of "
                } else {
                    "ownership of "
                });
                o.write(&q);
                if !failed && !changed {
                    o.str(" retained");
                }
            }
            Some(noun) if failed || changed => {
                o.str(if failed {
                    "failed to change "
                } else {
                    "changed "
                });
                o.str(noun);
                o.write(&q);
                o.str(" from ");
                o.write(&old);
                o.str(" to ");
                o.write(&new);
            }
            Some(noun) => {
                o.str(noun);
                o.write(&q);
                o.str(" retained as ");
                o.write(&old);
            }
        }
        o.byte(b'\n');
    }
}

/// The operand as a tree walk names it: several trailing slashes become one
/// (except in a two-byte name), as GNU's fts does.
fn root_name(p: &[u8]) -> &[u8] {
    let mut len = p.len();
    if len > 2 && p[len - 1] == b'/' {
        while len > 1 && p[len - 2] == b'/' {
            len -= 1;
        }
    }
    &p[..len]
}

/// The refusal to work recursively on `/` (named `path`), as GNU words it.
fn refuse_slash(path: &[u8]) {
    if path == b"/" {
        ibex::msg!("it is dangerous to operate recursively on '/'");
    } else {
        ibex::msg!(
            "it is dangerous to operate recursively on ",
            quote(path),
            " (same as '/')"
        );
    }
    ibex::msg!("use --no-preserve-root to override this failsafe");
}
