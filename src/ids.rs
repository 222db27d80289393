//! Group lists as `id` and `groups` print them (GNU's order): the real
//! group, the effective group when different, then the supplementary
//! groups (of the process, or of a named user from /etc/group).

use crate::users::{self, User};

/// Supplementary groups with `first` at the head and no repeats of it:
/// the process's own from getgroups(), or a named user's from /etc/group.
pub fn group_ids(user: Option<&User>) -> Vec<u32> {
    let (first, rest) = match user {
        Some(u) => (u.gid, users::groups_of(&u.name, u.gid)),
        None => (crate::sys::getegid(), crate::sys::getgroups()),
    };
    let mut v = vec![first];
    for g in rest {
        if g != first && v.last() != Some(&g) {
            v.push(g);
        }
    }
    v
}

/// The groups `id -G` and `groups` show: real, effective (when it
/// differs), then the others, without repeating those two.
pub fn shown_groups(user: Option<&User>) -> Vec<u32> {
    let (rgid, egid) = match user {
        Some(u) => (u.gid, u.gid),
        None => (crate::sys::getgid(), crate::sys::getegid()),
    };
    let mut v = vec![rgid];
    if egid != rgid {
        v.push(egid);
    }
    v.extend(
        group_ids(user)
            .into_iter()
            .filter(|&g| g != rgid && g != egid),
    );
    v
}

/// A user named on the command line: a name, or else a numeric uid.
pub fn find_user(arg: &[u8]) -> Option<User> {
    users::user_by_name(arg).or_else(|| {
        let s = std::str::from_utf8(arg).ok()?;
        let s = s.strip_prefix('+').unwrap_or(s);
        if s.is_empty() || !s.bytes().all(|c| c.is_ascii_digit()) {
            return None;
        }
        users::user_by_uid(s.parse().ok()?)
    })
}
