//! groups: print the groups of the current process, or `USER : g1 g2 ...`
//! for each named USER (from /etc/passwd and /etc/group).

use ibex::Status;
use ibex::args::{Parser, Spec};
use ibex::io::Out;
use std::ffi::OsString;
use std::os::unix::ffi::OsStrExt;

const SPEC: Spec = Spec::new(
    "",
    &[],
    ibex::usage!(
        groups,
        "groups [USER]...\n\n\
         Print the group memberships of each USER or of the current process"
    ),
);

/// The group names (numbers when a group has none) separated by spaces.
fn put_groups(out: &mut Out, user: Option<&ibex::users::User>) -> bool {
    let mut ok = true;
    for (i, g) in ibex::ids::shown_groups(user).into_iter().enumerate() {
        if i > 0 {
            out.byte(b' ');
        }
        match ibex::users::group_name(g) {
            Some(n) => out.write(&n),
            None => {
                out.flush();
                ibex::msg!("cannot find name for group ID ", g);
                ok = false;
                out.num(g.into());
            }
        }
    }
    out.byte(b'\n');
    ok
}

pub fn main(argv: &[OsString]) -> Status {
    let mut p = Parser::new(argv, &SPEC);
    while p.next()?.is_some() {}
    let users = p.operands();
    let mut out = Out::stdout();
    let mut status = 0;
    if users.is_empty() && !put_groups(&mut out, None) {
        status = 1;
    }
    for arg in users {
        match ibex::ids::find_user(arg.as_bytes()) {
            Some(u) => {
                out.write(arg.as_bytes());
                out.str(" : ");
                if !put_groups(&mut out, Some(&u)) {
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
