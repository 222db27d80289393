//! The mount table: `/proc/self/mountinfo` (with device numbers and the
//! root of each mount), else `/proc/mounts` or `/etc/mtab`. Fields are
//! decoded from the kernel's octal escapes (`\040` for a space). Used by
//! df and stat now, mount/umount later.

use std::io;

/// One mounted filesystem.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Mount {
    /// What was mounted: a device path, or a name like `tmpfs`.
    pub source: Vec<u8>,
    /// Where it is mounted.
    pub point: Vec<u8>,
    /// Filesystem type, e.g. `ext4` (`fuse.sshfs` for FUSE subtypes).
    pub fstype: Vec<u8>,
    /// Per-mount options (`rw,relatime`).
    pub options: Vec<u8>,
    /// Filesystem-wide options from mountinfo; empty from /proc/mounts.
    pub super_options: Vec<u8>,
    /// Directory of the filesystem that is mounted (`/` unless a bind
    /// mount of a subdirectory); `/` when unknown.
    pub root: Vec<u8>,
    /// Device number (major, minor) when the table gives it.
    pub dev: Option<(u32, u32)>,
    /// Mount id and parent id from mountinfo, 0 when unknown.
    pub id: u32,
    pub parent: u32,
    /// mountinfo's optional fields, space-separated (`shared:5 master:1`,
    /// `unbindable`); empty for a private mount or from /proc/mounts.
    pub propagation: Vec<u8>,
}

impl Mount {
    /// The device number as `st_dev` holds it, when known.
    pub fn st_dev(&self) -> Option<u64> {
        self.dev.map(|(ma, mi)| crate::sys::makedev(ma, mi))
    }

    /// Whether an option appears in the mount's or the filesystem's options.
    pub fn has_option(&self, opt: &[u8]) -> bool {
        let has = |list: &[u8]| list.split(|&c| c == b',').any(|o| o == opt);
        has(&self.options) || has(&self.super_options)
    }

    /// The options as /proc/mounts shows them: the mount's options, then
    /// the filesystem's own (without their leading `rw`/`ro`).
    pub fn combined_options(&self) -> Vec<u8> {
        let mut v = self.options.clone();
        for o in self.super_options.split(|&c| c == b',') {
            if o.is_empty()
                || o == b"rw"
                || o == b"ro"
                || self.options.split(|&c| c == b',').any(|x| x == o)
            {
                continue;
            }
            if !v.is_empty() {
                v.push(b',');
            }
            v.extend_from_slice(o);
        }
        v
    }

    /// A pseudo filesystem with no storage of its own (proc, sysfs, ...),
    /// hidden by `df` unless `-a`.
    pub fn is_pseudo(&self) -> bool {
        const PSEUDO: &[&[u8]] = &[
            b"autofs",
            b"binfmt_misc",
            b"bpf",
            b"cgroup",
            b"cgroup2",
            b"configfs",
            b"debugfs",
            b"devfs",
            b"devpts",
            b"efivarfs",
            b"fuse.portal",
            b"fusectl",
            b"hugetlbfs",
            b"ignore",
            b"kernfs",
            b"mqueue",
            b"nsfs",
            b"proc",
            b"pstore",
            b"rpc_pipefs",
            b"securityfs",
            b"selinuxfs",
            b"subfs",
            b"sysfs",
            b"tracefs",
        ];
        PSEUDO.contains(&self.fstype.as_slice())
    }

    /// A network filesystem (for `df -l`): `host:path` and `//host/share`
    /// sources, and the network filesystem types.
    pub fn is_remote(&self) -> bool {
        const REMOTE: &[&[u8]] = &[
            b"9p",
            b"acfs",
            b"afs",
            b"auristorfs",
            b"ceph",
            b"cifs",
            b"coda",
            b"fhgfs",
            b"fuse.sshfs",
            b"glusterfs",
            b"gpfs",
            b"ibrix",
            b"lustre",
            b"ncpfs",
            b"nfs",
            b"nfs4",
            b"ocfs2",
            b"smb3",
            b"smbfs",
            b"sshfs",
            b"vxfs",
        ];
        memchr::memchr(b':', &self.source).is_some()
            || self.source.starts_with(b"//")
            || self.source == b"-hosts"
            || REMOTE.contains(&self.fstype.as_slice())
    }
}

/// Decode the kernel's `\ooo` escapes (space, tab, newline, backslash).
pub fn unescape(field: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(field.len());
    let mut i = 0;
    while i < field.len() {
        let c = field[i];
        if c == b'\\'
            && let Some(d) = field.get(i + 1..i + 4)
            && d.iter().all(|x| (b'0'..=b'7').contains(x))
        {
            let v = d.iter().fold(0u32, |acc, &x| acc * 8 + u32::from(x - b'0'));
            if let Ok(b) = u8::try_from(v) {
                out.push(b);
                i += 4;
                continue;
            }
        }
        out.push(c);
        i += 1;
    }
    out
}

fn fields(line: &[u8]) -> impl Iterator<Item = &[u8]> {
    line.split(|&c| c == b' ' || c == b'\t')
        .filter(|f| !f.is_empty())
}

fn parse_dev(s: &[u8]) -> Option<(u32, u32)> {
    let i = memchr::memchr(b':', s)?;
    let ma = crate::num::parse_u64(&s[..i]).ok()?;
    let mi = crate::num::parse_u64(&s[i + 1..]).ok()?;
    Some((u32::try_from(ma).ok()?, u32::try_from(mi).ok()?))
}

/// Parse `/proc/self/mountinfo`; malformed lines are skipped.
pub fn parse_mountinfo(data: &[u8]) -> Vec<Mount> {
    let mut v = Vec::new();
    for line in data.split(|&c| c == b'\n') {
        let f: Vec<&[u8]> = fields(line).collect();
        // id parent maj:min root point options [optional...] - type source super
        let Some(sep) = f.iter().skip(6).position(|x| *x == b"-").map(|p| p + 6) else {
            continue;
        };
        let (Some(fstype), Some(source)) = (f.get(sep + 1), f.get(sep + 2)) else {
            continue;
        };
        let num = |x: &[u8]| {
            crate::num::parse_u64(x)
                .ok()
                .and_then(|n| u32::try_from(n).ok())
        };
        let (Some(id), Some(parent)) = (num(f[0]), num(f[1])) else {
            continue;
        };
        v.push(Mount {
            source: unescape(source),
            point: unescape(f[4]),
            fstype: unescape(fstype),
            options: unescape(f[5]),
            super_options: f.get(sep + 3).map(|s| unescape(s)).unwrap_or_default(),
            root: unescape(f[3]),
            dev: parse_dev(f[2]),
            id,
            parent,
            propagation: f[6..sep].join(&b' '),
        });
    }
    v
}

/// Parse the `/proc/mounts` / `/etc/mtab` format
/// (`source point type options freq passno`).
pub fn parse_mounts(data: &[u8]) -> Vec<Mount> {
    let mut v = Vec::new();
    for line in data.split(|&c| c == b'\n') {
        if line.first() == Some(&b'#') {
            continue;
        }
        let mut f = fields(line);
        let (Some(source), Some(point), Some(fstype)) = (f.next(), f.next(), f.next()) else {
            continue;
        };
        v.push(Mount {
            source: unescape(source),
            point: unescape(point),
            fstype: unescape(fstype),
            options: f.next().map(unescape).unwrap_or_default(),
            root: b"/".to_vec(),
            ..Mount::default()
        });
    }
    v
}

/// The current mount table, in mount order.
pub fn read() -> io::Result<Vec<Mount>> {
    match crate::io::read_file(b"/proc/self/mountinfo") {
        Ok(d) => Ok(parse_mountinfo(&d)),
        Err(first) => {
            for path in [&b"/proc/mounts"[..], b"/etc/mtab"] {
                if let Ok(d) = crate::io::read_file(path) {
                    return Ok(parse_mounts(&d));
                }
            }
            Err(first)
        }
    }
}

/// Whether absolute path `path` is `point` or lies below it.
pub fn is_below(path: &[u8], point: &[u8]) -> bool {
    point == b"/"
        || path == point
        || (path.starts_with(point) && path.get(point.len()) == Some(&b'/'))
}

/// The mount that holds the absolute, canonical `path`: the one whose mount
/// point is the longest prefix of it, the latest such when mounted over.
/// When `dev` is given, an entry with that device is preferred.
pub fn containing(mounts: &[Mount], path: &[u8], dev: Option<u64>) -> Option<usize> {
    let mut best: Option<(usize, bool, usize)> = None; // (len, dev matches, index)
    for (i, m) in mounts.iter().enumerate() {
        if !is_below(path, &m.point) {
            continue;
        }
        let len = m.point.len();
        let dev_ok = match (dev, m.st_dev()) {
            (Some(d), Some(md)) => d == md,
            _ => false,
        };
        let better = match best {
            None => true,
            Some((blen, bdev, _)) => {
                if dev.is_some() && dev_ok != bdev {
                    dev_ok
                } else {
                    len >= blen
                }
            }
        };
        if better {
            best = Some((len, dev_ok, i));
        }
    }
    best.map(|(_, _, i)| i)
}

#[cfg(test)]
mod tests {
    use super::*;

    const INFO: &[u8] = b"22 27 0:21 / /proc rw,relatime - proc proc rw\n\
27 1 254:0 / / rw,relatime - ext4 /dev/vda rw,discard\n\
30 27 0:27 / /mnt/with\\040space rw shared:5 master:1 - tmpfs my\\134src rw,size=4k\n\
bad line\n\
31 27 8:1 /sub /bind rw - ext4 /dev/sda1 rw\n";

    #[test]
    fn parses_mountinfo_with_escapes_and_optional_fields() {
        let m = parse_mountinfo(INFO);
        assert_eq!(m.len(), 4);
        assert_eq!(m[0].point, b"/proc");
        assert_eq!(m[0].fstype, b"proc");
        assert!(m[0].is_pseudo());
        assert_eq!(m[1].dev, Some((254, 0)));
        assert_eq!(m[1].source, b"/dev/vda");
        assert_eq!(m[1].super_options, b"rw,discard");
        assert!(m[1].has_option(b"discard"));
        assert!(m[1].has_option(b"relatime"));
        assert_eq!(m[2].point, b"/mnt/with space");
        assert_eq!(m[2].source, b"my\\src");
        assert_eq!(m[2].fstype, b"tmpfs");
        assert_eq!((m[2].id, m[2].parent), (30, 27));
        assert_eq!(m[3].root, b"/sub");
        assert_eq!(m[2].propagation, b"shared:5 master:1");
        assert_eq!(m[1].propagation, b"");
        assert_eq!(m[1].combined_options(), b"rw,relatime,discard");
        assert_eq!(m[2].combined_options(), b"rw,size=4k");
    }

    #[test]
    fn parses_proc_mounts() {
        let m = parse_mounts(
            b"# comment\n/dev/sda1 / ext4 rw 0 0\nhost:/x /n\\011t nfs rw 0 0\nshort line\n",
        );
        assert_eq!(m.len(), 2);
        assert_eq!(m[0].source, b"/dev/sda1");
        assert_eq!(m[1].point, b"/n\tt");
        assert!(m[1].is_remote());
        assert!(!m[0].is_remote());
        assert_eq!(m[0].dev, None);
    }

    #[test]
    fn unescape_leaves_bad_escapes() {
        assert_eq!(unescape(b"a\\040b\\0"), b"a b\\0");
        assert_eq!(unescape(b"\\777x"), b"\\777x");
        assert_eq!(unescape(b"\\\\"), b"\\\\");
    }

    #[test]
    fn finds_the_containing_mount() {
        let m = parse_mountinfo(INFO);
        assert_eq!(containing(&m, b"/proc/1/stat", None), Some(0));
        assert_eq!(containing(&m, b"/procx", None), Some(1));
        assert_eq!(containing(&m, b"/", None), Some(1));
        assert_eq!(containing(&m, b"/mnt/with space/f", None), Some(2));
        assert!(is_below(b"/a/b", b"/a"));
        assert!(!is_below(b"/ab", b"/a"));
    }
}
