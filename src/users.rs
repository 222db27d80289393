//! Users and groups from /etc/passwd and /etc/group, read directly (no NSS),
//! with a per-process cache so `ls -l` of a large directory reads each file
//! once.

use std::cell::RefCell;
use std::collections::HashMap;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct User {
    pub name: Vec<u8>,
    pub uid: u32,
    pub gid: u32,
    pub gecos: Vec<u8>,
    pub home: Vec<u8>,
    pub shell: Vec<u8>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Group {
    pub name: Vec<u8>,
    pub gid: u32,
    pub members: Vec<Vec<u8>>,
}

/// The path of the passwd file (overridable for tests of other roots).
fn passwd_path() -> Vec<u8> {
    std::env::var_os("IBEX_PASSWD")
        .map(std::os::unix::ffi::OsStringExt::into_vec)
        .unwrap_or_else(|| b"/etc/passwd".to_vec())
}

fn group_path() -> Vec<u8> {
    std::env::var_os("IBEX_GROUP")
        .map(std::os::unix::ffi::OsStringExt::into_vec)
        .unwrap_or_else(|| b"/etc/group".to_vec())
}

fn parse_id(b: &[u8]) -> Option<u32> {
    if b.is_empty() || b.len() > 10 {
        return None;
    }
    let mut n: u64 = 0;
    for &c in b {
        if !c.is_ascii_digit() {
            return None;
        }
        n = n * 10 + u64::from(c - b'0');
    }
    u32::try_from(n).ok()
}

/// Parse passwd lines: `name:pw:uid:gid:gecos:home:shell`. Bad lines are skipped.
pub fn parse_passwd(data: &[u8]) -> Vec<User> {
    data.split(|&b| b == b'\n')
        .filter_map(|line| {
            let f: Vec<&[u8]> = line.split(|&b| b == b':').collect();
            if f.len() < 7 || f[0].is_empty() {
                return None;
            }
            Some(User {
                name: f[0].to_vec(),
                uid: parse_id(f[2])?,
                gid: parse_id(f[3])?,
                gecos: f[4].to_vec(),
                home: f[5].to_vec(),
                shell: f[6].to_vec(),
            })
        })
        .collect()
}

/// Parse group lines: `name:pw:gid:member,member`.
pub fn parse_group(data: &[u8]) -> Vec<Group> {
    data.split(|&b| b == b'\n')
        .filter_map(|line| {
            let f: Vec<&[u8]> = line.split(|&b| b == b':').collect();
            if f.len() < 3 || f[0].is_empty() {
                return None;
            }
            let members = match f.get(3) {
                Some(m) if !m.is_empty() => m.split(|&b| b == b',').map(<[u8]>::to_vec).collect(),
                _ => Vec::new(),
            };
            Some(Group {
                name: f[0].to_vec(),
                gid: parse_id(f[2])?,
                members,
            })
        })
        .collect()
}

struct Db {
    users: Option<Vec<User>>,
    groups: Option<Vec<Group>>,
    uid_names: HashMap<u32, Option<Vec<u8>>>,
    gid_names: HashMap<u32, Option<Vec<u8>>>,
}

thread_local! {
    static DB: RefCell<Db> = RefCell::new(Db {
        users: None,
        groups: None,
        uid_names: HashMap::new(),
        gid_names: HashMap::new(),
    });
}

fn with_users<T>(f: impl FnOnce(&[User]) -> T) -> T {
    DB.with(|db| {
        let mut db = db.borrow_mut();
        let users = db.users.get_or_insert_with(|| {
            crate::io::read_file(&passwd_path())
                .map(|d| parse_passwd(&d))
                .unwrap_or_default()
        });
        f(users)
    })
}

fn with_groups<T>(f: impl FnOnce(&[Group]) -> T) -> T {
    DB.with(|db| {
        let mut db = db.borrow_mut();
        let groups = db.groups.get_or_insert_with(|| {
            crate::io::read_file(&group_path())
                .map(|d| parse_group(&d))
                .unwrap_or_default()
        });
        f(groups)
    })
}

pub fn user_by_uid(uid: u32) -> Option<User> {
    with_users(|u| u.iter().find(|u| u.uid == uid).cloned())
}

pub fn user_by_name(name: &[u8]) -> Option<User> {
    with_users(|u| u.iter().find(|u| u.name == name).cloned())
}

pub fn group_by_gid(gid: u32) -> Option<Group> {
    with_groups(|g| g.iter().find(|g| g.gid == gid).cloned())
}

pub fn group_by_name(name: &[u8]) -> Option<Group> {
    with_groups(|g| g.iter().find(|g| g.name == name).cloned())
}

/// Cached user name of a uid.
pub fn user_name(uid: u32) -> Option<Vec<u8>> {
    if let Some(hit) = DB.with(|db| db.borrow().uid_names.get(&uid).cloned()) {
        return hit;
    }
    let name = user_by_uid(uid).map(|u| u.name);
    DB.with(|db| db.borrow_mut().uid_names.insert(uid, name.clone()));
    name
}

/// Cached group name of a gid.
pub fn group_name(gid: u32) -> Option<Vec<u8>> {
    if let Some(hit) = DB.with(|db| db.borrow().gid_names.get(&gid).cloned()) {
        return hit;
    }
    let name = group_by_gid(gid).map(|g| g.name);
    DB.with(|db| db.borrow_mut().gid_names.insert(gid, name.clone()));
    name
}

/// A user given by name or number (`chown 1000 f`): the name wins, as in
/// POSIX chown.
pub fn resolve_uid(spec: &[u8]) -> Option<u32> {
    user_by_name(spec).map(|u| u.uid).or_else(|| parse_id(spec))
}

pub fn resolve_gid(spec: &[u8]) -> Option<u32> {
    group_by_name(spec)
        .map(|g| g.gid)
        .or_else(|| parse_id(spec))
}

/// Supplementary groups of a user: every group listing them, plus `gid`.
pub fn groups_of(name: &[u8], gid: u32) -> Vec<u32> {
    let mut v = vec![gid];
    with_groups(|gs| {
        for g in gs {
            if g.members.iter().any(|m| m == name) && !v.contains(&g.gid) {
                v.push(g.gid);
            }
        }
    });
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_passwd_and_skips_bad_lines() {
        let u = parse_passwd(b"root:x:0:0:root:/root:/bin/sh\nbad line\nbob:x:1000:100::/home/bob:\nx:x:notnum:1:::\n");
        assert_eq!(u.len(), 2);
        assert_eq!(u[0].name, b"root");
        assert_eq!(u[1].uid, 1000);
        assert_eq!(u[1].gid, 100);
        assert_eq!(u[1].shell, b"");
    }

    #[test]
    fn parses_groups_with_members() {
        let g = parse_group(b"wheel:x:10:alice,bob\nempty:x:11:\nshort:x:12\n");
        assert_eq!(g.len(), 3);
        assert_eq!(g[0].members, vec![b"alice".to_vec(), b"bob".to_vec()]);
        assert!(g[1].members.is_empty());
        assert_eq!(g[2].gid, 12);
    }

    #[test]
    fn ids_are_bounded() {
        assert_eq!(parse_id(b"4294967295"), Some(u32::MAX));
        assert_eq!(parse_id(b"4294967296"), None);
        assert_eq!(parse_id(b""), None);
        assert_eq!(parse_id(b"-1"), None);
    }
}
