//! id: print user and group IDs. With no option `uid=0(root) gid=0(root)
//! groups=0(root),...` (plus euid=/egid= when they differ from the real
//! ones); `-u`, `-g`, `-G` print only that, `-n` as names, `-r` the real
//! IDs, `-z` NUL-delimited. USER operands (names, or numeric uids) are
//! looked up in /etc/passwd and /etc/group; without one the process's own
//! IDs and supplementary groups are shown.

use ibex::Status;
use ibex::args::{Parser, Spec, flag};
use ibex::io::Out;
use ibex::users::{User, group_name, user_name};
use std::ffi::OsString;
use std::os::unix::ffi::OsStrExt;

const SPEC: Spec = Spec::new(
    "aZgGnruz",
    &[
        flag("context", 'Z' as u32),
        flag("group", 'g' as u32),
        flag("groups", 'G' as u32),
        flag("name", 'n' as u32),
        flag("real", 'r' as u32),
        flag("user", 'u' as u32),
        flag("zero", 'z' as u32),
    ],
    ibex::usage!(
        id,
        "id [-Z] [-ugGnrz] [USER]...\n\n\
         Print information about each USER or the current process\n\n\
         \t-u\tUser ID\n\
         \t-g\tGroup ID\n\
         \t-G\tSupplementary group IDs\n\
         \t-n\tPrint names instead of numbers\n\
         \t-r\tPrint real ID instead of effective ID\n\
         \t-z\tEnd entries with NUL, not whitespace (with -ugG)\n\
         \t-Z\tSecurity context (SELinux only)"
    ),
);

#[derive(Clone, Copy, PartialEq)]
enum Only {
    All,
    User,
    Group,
    Groups,
}

struct Ids {
    ruid: u32,
    euid: u32,
    rgid: u32,
    egid: u32,
}

/// One ID as a number or a name; a missing name prints the number and
/// a message, and makes the status 1.
fn put_id(out: &mut Out, id: u32, names: bool, user: bool, ok: &mut bool) {
    if names {
        let name = if user { user_name(id) } else { group_name(id) };
        match name {
            Some(n) => return out.write(&n),
            None => {
                out.flush();
                let what = if user { "user" } else { "group" };
                ibex::msg!("cannot find name for ", what, " ID ", id);
                *ok = false;
            }
        }
    }
    out.num(id.into());
}

/// `N(name)`, or `N` when the ID has no name.
fn put_both(out: &mut Out, id: u32, user: bool) {
    out.num(id.into());
    let name = if user { user_name(id) } else { group_name(id) };
    if let Some(n) = name {
        out.byte(b'(');
        out.write(&n);
        out.byte(b')');
    }
}

fn show(
    out: &mut Out,
    who: Option<&User>,
    only: Only,
    names: bool,
    real: bool,
    zero: bool,
) -> bool {
    let ids = match who {
        Some(u) => Ids {
            ruid: u.uid,
            euid: u.uid,
            rgid: u.gid,
            egid: u.gid,
        },
        None => Ids {
            ruid: ibex::sys::getuid(),
            euid: ibex::sys::geteuid(),
            rgid: ibex::sys::getgid(),
            egid: ibex::sys::getegid(),
        },
    };
    let mut ok = true;
    let end = if zero { 0 } else { b'\n' };
    match only {
        Only::User => put_id(
            out,
            if real { ids.ruid } else { ids.euid },
            names,
            true,
            &mut ok,
        ),
        Only::Group => put_id(
            out,
            if real { ids.rgid } else { ids.egid },
            names,
            false,
            &mut ok,
        ),
        Only::Groups => {
            let delim = if zero { 0 } else { b' ' };
            for (i, g) in ibex::ids::shown_groups(who).into_iter().enumerate() {
                if i > 0 {
                    out.byte(delim);
                }
                put_id(out, g, names, false, &mut ok);
            }
        }
        Only::All => {
            out.str("uid=");
            put_both(out, ids.ruid, true);
            out.str(" gid=");
            put_both(out, ids.rgid, false);
            if ids.euid != ids.ruid {
                out.str(" euid=");
                put_both(out, ids.euid, true);
            }
            if ids.egid != ids.rgid {
                out.str(" egid=");
                put_both(out, ids.egid, false);
            }
            out.str(" groups=");
            for (i, g) in ibex::ids::group_ids(who).into_iter().enumerate() {
                if i > 0 {
                    out.byte(b',');
                }
                put_both(out, g, false);
            }
        }
    }
    out.byte(end);
    ok
}

pub fn main(argv: &[OsString]) -> Status {
    let mut p = Parser::new(argv, &SPEC);
    let (mut names, mut real, mut zero, mut context) = (false, false, false, false);
    let mut only = Vec::new();
    while let Some((id, _)) = p.next()? {
        match char::from_u32(id) {
            Some('u') => only.push(Only::User),
            Some('g') => only.push(Only::Group),
            Some('G') => only.push(Only::Groups),
            Some('n') => names = true,
            Some('r') => real = true,
            Some('z') => zero = true,
            Some('Z') => context = true,
            _ => {}
        }
    }
    only.dedup();
    let users = p.operands();
    if context {
        ibex::msg!("--context (-Z) works only on an SELinux-enabled kernel");
        return Ok(1);
    }
    if only.len() > 1 {
        ibex::msg!("cannot print \"only\" of more than one choice");
        return Ok(1);
    }
    let only = only.first().copied().unwrap_or(Only::All);
    if only == Only::All && (names || real) {
        ibex::msg!("cannot print only names or real IDs in default format");
        return Ok(1);
    }
    if only == Only::All && zero {
        ibex::msg!("option --zero not permitted in default format");
        return Ok(1);
    }
    let mut out = Out::stdout();
    let mut status = 0;
    if users.is_empty() && !show(&mut out, None, only, names, real, zero) {
        status = 1;
    }
    for arg in users {
        match ibex::ids::find_user(arg.as_bytes()) {
            Some(u) => {
                if !show(&mut out, Some(&u), only, names, real, zero) {
                    status = 1;
                }
            }
            None => {
                out.flush();
                ibex::msg!("'", arg, "': no such user");
                status = 1;
            }
        }
    }
    out.done(status)
}
