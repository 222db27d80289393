//! chroot: run a command with another root directory, as GNU chroot:
//! `--userspec`, `--groups`, `--skip-chdir`; the default command is
//! `$SHELL -i` (or `/bin/sh -i`); 125 when chroot fails, 126 when the
//! command cannot run, 127 when it is not found.

use ibex::Status;
use ibex::args::{Parser, Spec, value};
use ibex::sys;
use std::ffi::OsString;
use std::os::unix::ffi::OsStrExt;

const USERSPEC: u32 = 256;
const GROUPS: u32 = 257;
const SKIP_CHDIR: u32 = 258;

const LONGS: &[ibex::args::Long] = &[
    value("userspec", USERSPEC),
    value("groups", GROUPS),
    ibex::args::flag("skip-chdir", SKIP_CHDIR),
];

const USAGE: ibex::usage::Usage = ibex::usage!(
    chroot,
    "chroot [--userspec=USER:GROUP] [--groups=G,...] [--skip-chdir] NEWROOT [COMMAND [ARG]...]

Run COMMAND with root directory NEWROOT (default: $SHELL -i, or /bin/sh -i)

\t--userspec=USER:GROUP\tRun as this user and group (names or numbers)
\t--groups=G,...\tSupplementary groups (names or numbers)
\t--skip-chdir\tDo not change to the new root (NEWROOT must be /)"
);

const SPEC: Spec = Spec::new("+", LONGS, USAGE).status(125);

pub fn main(argv: &[OsString]) -> Status {
    let mut p = Parser::new(argv, &SPEC);
    let mut userspec: Option<Vec<u8>> = None;
    let mut groups: Option<Vec<u8>> = None;
    let mut skip_chdir = false;
    while let Some((id, v)) = p.next()? {
        let val = v.map(|v| v.as_bytes().to_vec()).unwrap_or_default();
        match id {
            USERSPEC => userspec = Some(val),
            GROUPS => groups = Some(val),
            SKIP_CHDIR => skip_chdir = true,
            _ => {}
        }
    }
    let ops = p.operands();
    let Some(root) = ops.first().map(|r| r.as_bytes()) else {
        return Err(ibex::args::usage_error(&SPEC, &[b"missing operand"]));
    };
    let is_old_root = sys::stat(root)
        .ok()
        .zip(sys::stat(b"/").ok())
        .is_some_and(|(a, b)| a.same_file(&b));
    if skip_chdir && !is_old_root {
        return Err(ibex::args::usage_error(
            &SPEC,
            &[b"option --skip-chdir only permitted if NEWROOT is old '/'"],
        ));
    }
    // Look the ids up before leaving the old root's /etc behind.
    let ids = match resolve_ids(userspec.as_deref(), groups.as_deref()) {
        Ok(ids) => ids,
        Err(()) => return Ok(125),
    };
    if !is_old_root || !skip_chdir {
        if let Err(e) = sys::chroot(root) {
            ibex::msg!("cannot change root directory to '", root, "': ", e);
            return Ok(125);
        }
        if !skip_chdir && let Err(e) = sys::change_dir(b"/") {
            ibex::msg!("cannot chdir to root directory: ", e);
            return Ok(125);
        }
    }
    if let Some((uid, gid, groups)) = ids
        && let Err(e) = sys::set_identity(uid, gid, groups.as_deref())
    {
        ibex::msg!("failed to set user or group: ", e);
        return Ok(125);
    }
    let cmd: Vec<OsString> = if ops.len() > 1 {
        ops[1..].iter().map(|s| s.to_os_string()).collect()
    } else {
        let shell = std::env::var_os("SHELL")
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| "/bin/sh".into());
        vec![shell, "-i".into()]
    };
    let e = sys::execvp_posix(&cmd);
    let name = cmd.first().map(|c| c.as_bytes()).unwrap_or_default();
    ibex::msg!("failed to run command '", name, "': ", e);
    Ok(if e.raw_os_error() == Some(libc::ENOENT) {
        127
    } else {
        126
    })
}

type Ids = (Option<u32>, Option<u32>, Option<Vec<u32>>);

/// `USER[:GROUP]` and `G1,G2` to ids, with GNU's messages.
fn resolve_ids(userspec: Option<&[u8]>, groups: Option<&[u8]>) -> Result<Option<Ids>, ()> {
    if userspec.is_none() && groups.is_none() {
        return Ok(None);
    }
    let (mut uid, mut gid) = (None, None);
    let mut user_name: Option<Vec<u8>> = None;
    if let Some(spec) = userspec {
        let (u, g) = match memchr::memchr(b':', spec) {
            Some(i) => (&spec[..i], Some(&spec[i + 1..])),
            None => (spec, None),
        };
        if !u.is_empty() {
            let known = ibex::users::user_by_name(u)
                .or_else(|| ibex::users::resolve_uid(u).and_then(ibex::users::user_by_uid));
            match (&known, ibex::users::resolve_uid(u)) {
                (Some(k), _) => {
                    uid = Some(k.uid);
                    user_name = Some(k.name.clone());
                    if g.is_none_or(|g| g.is_empty()) {
                        gid = Some(k.gid);
                    }
                }
                (None, Some(n)) => {
                    uid = Some(n);
                    if g.is_none_or(|g| g.is_empty()) {
                        ibex::msg!("no group specified for unknown uid: ", n);
                        return Err(());
                    }
                }
                (None, None) => {
                    ibex::msg!("invalid user");
                    return Err(());
                }
            }
        }
        if let Some(g) = g.filter(|g| !g.is_empty()) {
            match ibex::users::resolve_gid(g) {
                Some(n) => gid = Some(n),
                None => {
                    ibex::msg!("invalid group '", g, "'");
                    return Err(());
                }
            }
        }
    }
    let list = match groups {
        Some(gl) => {
            let mut v = Vec::new();
            for g in gl.split(|&c| c == b',').filter(|g| !g.is_empty()) {
                match ibex::users::resolve_gid(g) {
                    Some(n) => v.push(n),
                    None => {
                        ibex::msg!("invalid group '", g, "'");
                        return Err(());
                    }
                }
            }
            Some(v)
        }
        None => match (&user_name, gid) {
            (Some(name), Some(g)) => Some(ibex::users::groups_of(name, g)),
            (None, Some(g)) => Some(vec![g]),
            _ => None,
        },
    };
    Ok(Some((uid, gid, list)))
}
