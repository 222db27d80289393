//! mdev: create /dev nodes from sysfs, as BusyBox's mdev. `mdev -s` walks
//! /sys/dev/{block,char} (or /sys/class/*/*/dev and /sys/block on old
//! kernels); without -s it is a hotplug helper reading ACTION, DEVPATH,
//! SUBSYSTEM, MAJOR, MINOR and DEVNAME from the environment. Node names
//! come from the uevent's DEVNAME (`input/event0`), else the sysfs name.
//! /etc/mdev.conf (or $IBEX_MDEV_CONF) rules:
//! `[-]NAME_REGEX|@MAJ,MIN[-MIN2]|$VAR=REGEX  UID:GID  MODE  [>PATH|=PATH|!]  [@|$|*COMMAND]`.
//! Regular expressions are POSIX EREs matched against the whole name (a
//! small matcher of its own until the shared regex module is ready). With
//! no matching rule a node gets the uevent's DEVMODE, else 0660, root:root.

use ibex::Status;
use ibex::args::{Parser, Spec};
use ibex::sys;
use std::ffi::OsString;
use std::os::unix::ffi::OsStringExt;

const USAGE: ibex::usage::Usage = ibex::usage!(
    mdev,
    "mdev [-s]

Create device nodes in /dev

\t-s\tScan /sys and populate /dev (at boot)
\tWithout -s: hotplug helper, driven by ACTION, DEVPATH, SUBSYSTEM,
\tMAJOR, MINOR and DEVNAME in the environment

Rules in /etc/mdev.conf: [-]DEVNAME_REGEX UID:GID MODE [>PATH|=PATH|!] [@|$|*CMD]"
);

const SPEC: Spec = Spec::new("sdf", &[], USAGE);

/// One device to create or remove.
struct Device {
    name: Vec<u8>,
    block: bool,
    major: u32,
    minor: u32,
    subsystem: Vec<u8>,
    mode: Option<u32>,
}

pub fn main(argv: &[OsString]) -> Status {
    let mut p = Parser::new(argv, &SPEC);
    let mut scan = false;
    while let Some((id, _)) = p.next()? {
        if id == 's' as u32 {
            scan = true;
        }
    }
    if !p.operands().is_empty() {
        return Err(ibex::args::usage_error(&SPEC, &[b"too many arguments"]));
    }
    let conf_path = std::env::var_os("IBEX_MDEV_CONF")
        .map(OsString::into_vec)
        .unwrap_or_else(|| b"/etc/mdev.conf".to_vec());
    let rules = ibex::io::read_file(&conf_path)
        .map(|d| parse_rules(&d))
        .unwrap_or_default();
    if scan {
        let mut devs = Vec::new();
        scan_sys(&mut devs);
        for d in &devs {
            make(d, &rules, b"add");
        }
        // As BusyBox: /dev/root names the block device holding "/".
        if let Ok(root) = sys::stat(b"/")
            && let Some(d) = devs
                .iter()
                .find(|d| d.block && sys::makedev(d.major, d.minor) == root.dev)
        {
            let _ = sys::symlinkat(&d.name, sys::Dir::CWD, b"/dev/root");
        }
        return Ok(0);
    }
    let env = |k: &str| std::env::var_os(k).map(OsString::into_vec);
    let (Some(action), Some(devpath)) = (env("ACTION"), env("DEVPATH")) else {
        return Err(ibex::args::usage_error(
            &SPEC,
            &[b"no -s and no ACTION/DEVPATH in the environment"],
        ));
    };
    let subsystem = env("SUBSYSTEM").unwrap_or_default();
    let num = |k: &str| {
        env(k)
            .and_then(|v| ibex::num::parse_u64(&v).ok())
            .and_then(|n| u32::try_from(n).ok())
    };
    let mut sysdir = b"/sys".to_vec();
    sysdir.extend_from_slice(&devpath);
    let (major, minor) = match (num("MAJOR"), num("MINOR")) {
        (Some(a), Some(b)) => (a, b),
        _ => match read_dev(&sysdir) {
            Some(d) => d,
            None => return Ok(0), // not a device node event
        },
    };
    // The uevent file knows what the environment may not say.
    let (ev_name, ev_mode) = uevent(&sysdir);
    let name = env("DEVNAME")
        .filter(|n| !n.is_empty())
        .or(ev_name)
        .unwrap_or_else(|| ibex::path::basename(&devpath).to_vec());
    let dev = Device {
        name,
        block: subsystem == b"block",
        major,
        minor,
        subsystem,
        mode: env("DEVMODE")
            .and_then(|m| ibex::fstab::parse_octal(&m))
            .or(ev_mode),
    };
    match &action[..] {
        b"add" | b"change" => make(&dev, &rules, &action),
        b"remove" => remove(&dev, &rules),
        _ => {}
    }
    Ok(0)
}

// ---------------------------------------------------------------- sysfs

fn read_dev(dir: &[u8]) -> Option<(u32, u32)> {
    let d = ibex::io::read_file(&ibex::path::join(dir, b"dev")).ok()?;
    let d = d.trim_ascii();
    let i = memchr::memchr(b':', d)?;
    let ma = ibex::num::parse_u64(&d[..i]).ok()?;
    let mi = ibex::num::parse_u64(&d[i + 1..]).ok()?;
    Some((u32::try_from(ma).ok()?, u32::try_from(mi).ok()?))
}

/// DEVNAME and DEVMODE from a sysfs device directory's uevent.
fn uevent(dir: &[u8]) -> (Option<Vec<u8>>, Option<u32>) {
    let Ok(d) = ibex::io::read_file(&ibex::path::join(dir, b"uevent")) else {
        return (None, None);
    };
    let (mut name, mut mode) = (None, None);
    for line in d.split(|&c| c == b'\n') {
        if let Some(v) = line.strip_prefix(b"DEVNAME=") {
            name = Some(v.to_vec());
        } else if let Some(v) = line.strip_prefix(b"DEVMODE=") {
            mode = ibex::fstab::parse_octal(v);
        }
    }
    (name.filter(|n| !n.is_empty()), mode)
}

fn list_dir(path: &[u8]) -> Vec<Box<[u8]>> {
    let Ok(fd) = sys::open(path, sys::O_RDONLY | sys::O_DIRECTORY, 0) else {
        return Vec::new();
    };
    let mut v = Vec::new();
    let _ = sys::read_dir(std::os::fd::AsRawFd::as_raw_fd(&fd), &mut v);
    let mut names: Vec<Box<[u8]>> = v.into_iter().map(|e| e.name).collect();
    ibex::order::sort(&mut names);
    names
}

fn device_at(dir: &[u8], block: bool) -> Option<Device> {
    let (major, minor) = read_dev(dir)?;
    let (devname, mode) = uevent(dir);
    // The real directory's name when DEVNAME is missing (resolving the
    // link costs a lookup per path component in sysfs).
    let name = devname.unwrap_or_else(|| {
        let real = ibex::canon::canonicalize(dir, ibex::canon::Options::default())
            .unwrap_or_else(|_| dir.to_vec());
        ibex::path::basename(&real).to_vec()
    });
    let subsystem = sys::readlink(&ibex::path::join(dir, b"subsystem"))
        .map(|l| ibex::path::basename(&l).to_vec())
        .unwrap_or_else(|_| if block { b"block".to_vec() } else { Vec::new() });
    Some(Device {
        name,
        block,
        major,
        minor,
        subsystem,
        mode,
    })
}

fn scan_sys(devs: &mut Vec<Device>) {
    let mut found = false;
    for (dir, block) in [(&b"/sys/dev/block"[..], true), (b"/sys/dev/char", false)] {
        for e in list_dir(dir) {
            found = true;
            if let Some(d) = device_at(&ibex::path::join(dir, &e), block) {
                devs.push(d);
            }
        }
    }
    if found {
        return;
    }
    // Kernels before 2.6.27: /sys/block/*[/*]/dev and /sys/class/*/*/dev.
    for disk in list_dir(b"/sys/block") {
        let dp = ibex::path::join(b"/sys/block", &disk);
        if let Some(d) = device_at(&dp, true) {
            devs.push(d);
        }
        for part in list_dir(&dp) {
            let pp = ibex::path::join(&dp, &part);
            if sys::stat(&ibex::path::join(&pp, b"dev")).is_ok()
                && let Some(d) = device_at(&pp, true)
            {
                devs.push(d);
            }
        }
    }
    for class in list_dir(b"/sys/class") {
        let cp = ibex::path::join(b"/sys/class", &class);
        for dev in list_dir(&cp) {
            let dp = ibex::path::join(&cp, &dev);
            if let Some(d) = device_at(&dp, &class[..] == b"block") {
                devs.push(d);
            }
        }
    }
}

// ---------------------------------------------------------------- rules

enum Matcher {
    Name(Regex),
    Env(Vec<u8>, Regex),
    Numbers(u32, u32, u32),
}

enum Place {
    Default,
    /// `=path`: create under this name (a directory when it ends in `/`).
    Move(Vec<u8>),
    /// `>path`: create there and link the usual name to it.
    MoveLink(Vec<u8>),
    /// `!`: no node.
    None,
}

struct Rule {
    keep_going: bool,
    matcher: Matcher,
    uid: u32,
    gid: u32,
    mode: u32,
    place: Place,
    /// (when: b'@' after creating, b'$' before removing, b'*' both; command)
    command: Option<(u8, Vec<u8>)>,
}

fn parse_rules(data: &[u8]) -> Vec<Rule> {
    let mut v = Vec::new();
    for (n, line) in data.split(|&c| c == b'\n').enumerate() {
        let line = line.trim_ascii();
        if line.is_empty() || line.starts_with(b"#") {
            continue;
        }
        match parse_rule(line) {
            Some(r) => v.push(r),
            None => ibex::msg!("bad line ", n + 1, " in mdev.conf"),
        }
    }
    v
}

fn parse_rule(line: &[u8]) -> Option<Rule> {
    let mut fields = line
        .split(|&c| c == b' ' || c == b'\t')
        .filter(|f| !f.is_empty());
    let mut first = fields.next()?;
    let keep_going = first.starts_with(b"-");
    if keep_going {
        first = &first[1..];
    }
    let matcher = if let Some(nums) = first.strip_prefix(b"@") {
        let (ma, rest) = nums.split_at(memchr::memchr(b',', nums)?);
        let rest = &rest[1..];
        let (lo, hi) = match memchr::memchr(b'-', rest) {
            Some(i) => (&rest[..i], &rest[i + 1..]),
            None => (rest, rest),
        };
        let n = |s: &[u8]| {
            ibex::num::parse_u64(s)
                .ok()
                .and_then(|x| u32::try_from(x).ok())
        };
        Matcher::Numbers(n(ma)?, n(lo)?, n(hi)?)
    } else if let Some(ev) = first.strip_prefix(b"$") {
        let i = memchr::memchr(b'=', ev)?;
        Matcher::Env(ev[..i].to_vec(), Regex::new(&ev[i + 1..])?)
    } else {
        Matcher::Name(Regex::new(first)?)
    };
    let owner = fields.next()?;
    let i = memchr::memchr(b':', owner)?;
    let uid = ibex::users::resolve_uid(&owner[..i])?;
    let gid = ibex::users::resolve_gid(&owner[i + 1..])?;
    let mode = ibex::fstab::parse_octal(fields.next()?)?;
    let mut place = Place::Default;
    let mut command = None;
    let rest: Vec<&[u8]> = fields.collect();
    let mut idx = 0;
    if let Some(f) = rest.first() {
        let p = match f.first() {
            Some(b'=') => Some(Place::Move(f[1..].to_vec())),
            Some(b'>') => Some(Place::MoveLink(f[1..].to_vec())),
            Some(b'!') => Some(Place::None),
            _ => None,
        };
        if let Some(p) = p {
            place = p;
            idx = 1;
        }
    }
    if let Some(f) = rest.get(idx)
        && let Some(&when @ (b'@' | b'$' | b'*')) = f.first()
    {
        // The command is the rest of the line after the marker.
        let start = (f.as_ptr() as usize).saturating_sub(line.as_ptr() as usize);
        let cmd = line
            .get(start + 1..)
            .unwrap_or_default()
            .trim_ascii()
            .to_vec();
        command = Some((when, cmd));
    }
    Some(Rule {
        keep_going,
        matcher,
        uid,
        gid,
        mode,
        place,
        command,
    })
}

fn rule_matches(r: &Rule, d: &Device) -> bool {
    match &r.matcher {
        Matcher::Name(re) => re.full_match(&d.name) || re.full_match(ibex::path::basename(&d.name)),
        Matcher::Env(var, re) => {
            let val = if var == b"SUBSYSTEM" {
                Some(d.subsystem.clone())
            } else {
                std::env::var_os(sys::os(var)).map(OsString::into_vec)
            };
            val.is_some_and(|v| re.full_match(&v))
        }
        Matcher::Numbers(ma, lo, hi) => d.major == *ma && (*lo..=*hi).contains(&d.minor),
    }
}

// ---------------------------------------------------------------- nodes

fn dev_path(name: &[u8]) -> Vec<u8> {
    ibex::path::join(b"/dev", name)
}

fn mkdir_parents(path: &[u8]) {
    let parent = ibex::path::dirname(path);
    if parent.len() <= 1 || sys::stat(parent).is_ok() {
        return;
    }
    mkdir_parents(parent);
    let _ = sys::mkdirat(sys::Dir::CWD, parent, 0o755);
}

/// Where a device's node goes under a rule, and the link to make.
fn node_path(d: &Device, place: &Place) -> (Option<Vec<u8>>, Option<Vec<u8>>) {
    let base = ibex::path::basename(&d.name);
    let moved = |p: &[u8]| {
        if p.ends_with(b"/") {
            let mut v = p.to_vec();
            v.extend_from_slice(base);
            v
        } else {
            p.to_vec()
        }
    };
    match place {
        Place::Default => (Some(d.name.clone()), None),
        Place::Move(p) => (Some(moved(p)), None),
        Place::MoveLink(p) => (Some(moved(p)), Some(d.name.clone())),
        Place::None => (None, None),
    }
}

fn make(d: &Device, rules: &[Rule], action: &[u8]) {
    let mut applied = false;
    for r in rules {
        if !rule_matches(r, d) {
            continue;
        }
        applied = true;
        let (node, link) = node_path(d, &r.place);
        if let Some(n) = &node {
            create(d, n, r.mode, r.uid, r.gid);
            if let Some(l) = link {
                let target =
                    ibex::canon::relative(&dev_path(n), ibex::path::dirname(&dev_path(&l)));
                let lp = dev_path(&l);
                mkdir_parents(&lp);
                let _ = sys::symlinkat(&target, sys::Dir::CWD, &lp);
            }
        }
        if let Some((b'@' | b'*', cmd)) = &r.command {
            run(cmd, d, node.as_deref().unwrap_or(&d.name), action);
        }
        if !r.keep_going {
            break;
        }
    }
    if !applied {
        create(d, &d.name, d.mode.unwrap_or(0o660), 0, 0);
    }
}

fn create(d: &Device, name: &[u8], mode: u32, uid: u32, gid: u32) {
    let path = dev_path(name);
    let kind = if d.block { sys::S_IFBLK } else { sys::S_IFCHR };
    let rdev = sys::makedev(d.major, d.minor);
    mkdir_parents(&path);
    if let Ok(st) = sys::lstat(&path) {
        if st.kind() == kind && st.rdev == rdev {
            let _ = sys::fchmodat(sys::Dir::CWD, &path, mode & 0o7777);
            let _ = sys::fchownat(sys::Dir::CWD, &path, uid, gid, sys::AT_SYMLINK_NOFOLLOW);
            return;
        }
        let _ = sys::unlinkat(sys::Dir::CWD, &path, 0);
    }
    match sys::mknodat(sys::Dir::CWD, &path, kind | (mode & 0o7777), rdev) {
        Ok(()) => {
            // mknod applied the umask: set the exact mode.
            let _ = sys::fchmodat(sys::Dir::CWD, &path, mode & 0o7777);
            let _ = sys::fchownat(sys::Dir::CWD, &path, uid, gid, sys::AT_SYMLINK_NOFOLLOW);
        }
        Err(e) => ibex::msg!("can't create '", path, "': ", e),
    }
}

fn remove(d: &Device, rules: &[Rule]) {
    let mut applied = false;
    for r in rules {
        if !rule_matches(r, d) {
            continue;
        }
        applied = true;
        let (node, link) = node_path(d, &r.place);
        if let Some((b'$' | b'*', cmd)) = &r.command {
            run(cmd, d, node.as_deref().unwrap_or(&d.name), b"remove");
        }
        if let Some(l) = link {
            let _ = sys::unlinkat(sys::Dir::CWD, &dev_path(&l), 0);
        }
        if let Some(n) = node {
            let _ = sys::unlinkat(sys::Dir::CWD, &dev_path(&n), 0);
        }
        if !r.keep_going {
            break;
        }
    }
    if !applied {
        let path = dev_path(&d.name);
        // Only a node of this device: never a file that replaced it.
        if sys::lstat(&path).is_ok_and(|s| s.rdev == sys::makedev(d.major, d.minor)) {
            let _ = sys::unlinkat(sys::Dir::CWD, &path, 0);
        }
    }
}

/// Run a rule's command with /bin/sh in /dev, MDEV naming the node, and
/// wait for it.
fn run(cmd: &[u8], d: &Device, node: &[u8], action: &[u8]) {
    let pid = match sys::fork() {
        Ok(p) => p,
        Err(e) => {
            ibex::msg!("can't fork: ", e);
            return;
        }
    };
    if pid == 0 {
        sys::set_env(sys::os(b"MDEV"), sys::os(node));
        sys::set_env(sys::os(b"ACTION"), sys::os(action));
        sys::set_env(sys::os(b"SUBSYSTEM"), sys::os(&d.subsystem));
        let _ = sys::change_dir(b"/dev");
        let argv = [
            OsString::from("sh"),
            OsString::from("-c"),
            sys::os(cmd).to_os_string(),
        ];
        let e = sys::execv(b"/bin/sh", &argv);
        ibex::msg!("can't run '/bin/sh': ", e);
        sys::exit_now(127);
    }
    let _ = sys::waitpid(pid, 0, false);
}

// ---------------------------------------------------------------- regex

/// A POSIX ERE subset for device names: literals, `\x`, `.`, brackets
/// (ranges, negation, `[:class:]`), `* + ? {m,n}`, groups and `|`, `^` and
/// `$` (the match is of the whole name anyway). Backtracking on short names.
struct Regex {
    alts: Vec<Vec<Piece>>,
}

#[derive(Clone)]
enum Atom {
    Byte(u8),
    Any,
    Set(Box<[bool; 256]>),
    Group(Vec<Vec<Piece>>),
    Empty,
}

#[derive(Clone)]
struct Piece {
    atom: Atom,
    min: u32,
    max: u32,
}

impl Regex {
    fn new(pat: &[u8]) -> Option<Regex> {
        let mut pos = 0;
        let alts = parse_alts(pat, &mut pos)?;
        (pos == pat.len()).then_some(Regex { alts })
    }

    fn full_match(&self, s: &[u8]) -> bool {
        match_alts(&self.alts, s, 0, &mut |end| end == s.len())
    }
}

fn parse_alts(p: &[u8], pos: &mut usize) -> Option<Vec<Vec<Piece>>> {
    let mut alts = vec![Vec::new()];
    while *pos < p.len() {
        let c = p[*pos];
        match c {
            b'|' => {
                *pos += 1;
                alts.push(Vec::new());
                continue;
            }
            b')' => break,
            _ => {}
        }
        *pos += 1;
        let atom = match c {
            b'.' => Atom::Any,
            b'^' | b'$' => Atom::Empty,
            b'\\' => {
                let e = *p.get(*pos)?;
                *pos += 1;
                Atom::Byte(e)
            }
            b'(' => {
                let inner = parse_alts(p, pos)?;
                if p.get(*pos) != Some(&b')') {
                    return None;
                }
                *pos += 1;
                Atom::Group(inner)
            }
            b'[' => Atom::Set(parse_set(p, pos)?),
            b'*' | b'+' | b'?' | b'{' => return None,
            _ => Atom::Byte(c),
        };
        let (mut min, mut max) = (1, 1);
        loop {
            match p.get(*pos) {
                Some(b'*') => (min, max) = (0, u32::MAX),
                Some(b'+') => (min, max) = (min.min(1), u32::MAX),
                Some(b'?') => min = 0,
                Some(b'{') => {
                    let end = *pos + memchr::memchr(b'}', &p[*pos..])?;
                    let body = &p[*pos + 1..end];
                    let num = |s: &[u8]| {
                        ibex::num::parse_u64(s)
                            .ok()
                            .and_then(|n| u32::try_from(n).ok())
                    };
                    match memchr::memchr(b',', body) {
                        None => {
                            min = num(body)?;
                            max = min;
                        }
                        Some(i) => {
                            min = num(&body[..i])?;
                            max = if i + 1 == body.len() {
                                u32::MAX
                            } else {
                                num(&body[i + 1..])?
                            };
                        }
                    }
                    *pos = end;
                }
                _ => break,
            }
            *pos += 1;
        }
        if let Some(last) = alts.last_mut() {
            last.push(Piece { atom, min, max });
        }
    }
    Some(alts)
}

fn parse_set(p: &[u8], pos: &mut usize) -> Option<Box<[bool; 256]>> {
    let mut set = Box::new([false; 256]);
    let negate = p.get(*pos) == Some(&b'^');
    if negate {
        *pos += 1;
    }
    let mut first = true;
    loop {
        let c = *p.get(*pos)?;
        if c == b']' && !first {
            *pos += 1;
            break;
        }
        first = false;
        if c == b'['
            && p.get(*pos + 1) == Some(&b':')
            && let Some(end) = memchr::memmem::find(&p[*pos + 2..], b":]")
        {
            let name = &p[*pos + 2..*pos + 2 + end];
            for b in 0..=255u8 {
                let hit = match name {
                    b"digit" => b.is_ascii_digit(),
                    b"alpha" => b.is_ascii_alphabetic(),
                    b"alnum" => b.is_ascii_alphanumeric(),
                    b"upper" => b.is_ascii_uppercase(),
                    b"lower" => b.is_ascii_lowercase(),
                    b"space" => b.is_ascii_whitespace(),
                    b"xdigit" => b.is_ascii_hexdigit(),
                    b"punct" => b.is_ascii_punctuation(),
                    _ => return None,
                };
                if hit {
                    set[usize::from(b)] = true;
                }
            }
            *pos += end + 4;
            continue;
        }
        *pos += 1;
        if p.get(*pos) == Some(&b'-') && p.get(*pos + 1).is_some_and(|&e| e != b']') {
            let hi = p[*pos + 1];
            for b in c..=hi {
                set[usize::from(b)] = true;
            }
            *pos += 2;
        } else {
            set[usize::from(c)] = true;
        }
    }
    if negate {
        for x in set.iter_mut() {
            *x = !*x;
        }
    }
    Some(set)
}

fn match_alts(alts: &[Vec<Piece>], s: &[u8], at: usize, k: &mut dyn FnMut(usize) -> bool) -> bool {
    alts.iter().any(|seq| match_seq(seq, s, at, k))
}

fn match_seq(seq: &[Piece], s: &[u8], at: usize, k: &mut dyn FnMut(usize) -> bool) -> bool {
    let Some((first, rest)) = seq.split_first() else {
        return k(at);
    };
    match_piece(first, 0, s, at, &mut |end| match_seq(rest, s, end, k))
}

/// Match `piece` having already matched it `count` times, greedily.
fn match_piece(
    piece: &Piece,
    count: u32,
    s: &[u8],
    at: usize,
    k: &mut dyn FnMut(usize) -> bool,
) -> bool {
    if count < piece.max {
        let more = |end: usize, k: &mut dyn FnMut(usize) -> bool| {
            // An empty iteration cannot make progress: stop repeating.
            end != at && match_piece(piece, count + 1, s, end, k)
        };
        let tried = match &piece.atom {
            Atom::Byte(b) => s.get(at) == Some(b) && more(at + 1, k),
            Atom::Any => at < s.len() && more(at + 1, k),
            Atom::Set(set) => s.get(at).is_some_and(|&c| set[usize::from(c)]) && more(at + 1, k),
            Atom::Empty => false,
            Atom::Group(g) => match_alts(g, s, at, &mut |end| more(end, k)),
        };
        if tried {
            return true;
        }
    }
    if count >= piece.min || matches!(piece.atom, Atom::Empty) {
        return k(at);
    }
    // A group that can match empty satisfies its minimum with empty matches.
    if let Atom::Group(g) = &piece.atom {
        return match_alts(g, s, at, &mut |end| end == at && k(at));
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(p: &str, s: &str) -> bool {
        Regex::new(p.as_bytes()).unwrap().full_match(s.as_bytes())
    }

    #[test]
    fn regex_subset() {
        assert!(m("null", "null"));
        assert!(!m("null", "nullx"));
        assert!(m("tty[0-9]*", "tty"));
        assert!(m("tty[0-9]*", "tty12"));
        assert!(!m("tty[0-9]+", "tty"));
        assert!(m("sd[a-z][0-9]?", "sda1"));
        assert!(m("(tun|tap)", "tap"));
        assert!(m("input/event[[:digit:]]+", "input/event3"));
        assert!(m("snd/.*", "snd/controlC0"));
        assert!(m("^hd.$", "hda"));
        assert!(m("a{2,3}", "aaa"));
        assert!(!m("a{2,3}", "aaaa"));
        assert!(m("[^a]x", "bx"));
        assert!(m("(ab)*c", "ababc"));
        assert!(m("(a|)*b", "aab"));
        assert!(Regex::new(b"(ab").is_none());
        assert!(Regex::new(b"*a").is_none());
    }
}
