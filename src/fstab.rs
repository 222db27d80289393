//! /etc/fstab: `source target type options freq passno` per line, `#`
//! comments, octal escapes (`\040`) as in the mount table. `$IBEX_FSTAB`
//! names another file (for tests and chroots).

use crate::mounts::unescape;
use std::io;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Entry {
    pub source: Vec<u8>,
    pub target: Vec<u8>,
    pub fstype: Vec<u8>,
    pub options: Vec<u8>,
    pub freq: u32,
    pub passno: u32,
}

impl Entry {
    /// Whether the comma-separated options contain `opt` (exactly, or as
    /// `opt=value` when `opt` ends with `=`).
    pub fn has_option(&self, opt: &[u8]) -> bool {
        self.options
            .split(|&c| c == b',')
            .any(|o| o == opt || (opt.ends_with(b"=") && o.starts_with(opt)))
    }
}

/// The fstab to use: `$IBEX_FSTAB`, else /etc/fstab.
pub fn default_path() -> Vec<u8> {
    use std::os::unix::ffi::OsStringExt;
    std::env::var_os("IBEX_FSTAB")
        .filter(|p| !p.is_empty())
        .map(|p| p.into_vec())
        .unwrap_or_else(|| b"/etc/fstab".to_vec())
}

/// Parse fstab text; lines with fewer than two fields are skipped. A
/// missing type is `auto`, missing options `defaults`.
pub fn parse(data: &[u8]) -> Vec<Entry> {
    let mut v = Vec::new();
    for line in data.split(|&c| c == b'\n') {
        let mut f = line
            .split(|&c| c == b' ' || c == b'\t' || c == b'\r')
            .filter(|x| !x.is_empty());
        let Some(source) = f.next() else { continue };
        if source.starts_with(b"#") {
            continue;
        }
        let Some(target) = f.next() else { continue };
        let num = |x: Option<&[u8]>| {
            x.and_then(|n| crate::num::parse_u64(n).ok())
                .map_or(0, |n| u32::try_from(n).unwrap_or(u32::MAX))
        };
        v.push(Entry {
            source: unescape(source),
            target: unescape(target),
            fstype: f.next().map_or_else(|| b"auto".to_vec(), unescape),
            options: f.next().map_or_else(|| b"defaults".to_vec(), unescape),
            freq: num(f.next()),
            passno: num(f.next()),
        });
    }
    v
}

/// Read and parse an fstab file.
pub fn read(path: &[u8]) -> io::Result<Vec<Entry>> {
    Ok(parse(&crate::io::read_file(path)?))
}

/// Mount options sorted into what mount(2) takes: flags, filesystem data,
/// propagation changes (each a separate call), and the options mount
/// itself acts on (loop, noauto, nofail, X-mount.mkdir).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MountOptions {
    /// MS_* flags to set.
    pub flags: u64,
    /// Filesystem options for the data argument, comma-separated.
    pub data: Vec<u8>,
    /// MS_SHARED, MS_PRIVATE, ... (with MS_REC), in the order given.
    pub propagation: Vec<u64>,
    /// `loop` (`Some(empty)`) or `loop=/dev/loopN`.
    pub loop_dev: Option<Vec<u8>>,
    pub offset: u64,
    pub sizelimit: u64,
    pub noauto: bool,
    pub nofail: bool,
    /// `X-mount.mkdir[=MODE]`: create the mount point (mode, 0o755 default).
    pub mkdir: Option<u32>,
}

use crate::sys::{
    MS_BIND, MS_DIRSYNC, MS_LAZYTIME, MS_MANDLOCK, MS_MOVE, MS_NOATIME, MS_NODEV, MS_NODIRATIME,
    MS_NOEXEC, MS_NOSUID, MS_PRIVATE, MS_RDONLY, MS_REC, MS_RELATIME, MS_REMOUNT, MS_SHARED,
    MS_SILENT, MS_SLAVE, MS_STRICTATIME, MS_SYNCHRONOUS, MS_UNBINDABLE,
};

/// Flag options: (name, flags set, flags cleared).
const FLAG_OPTIONS: &[(&str, u64, u64)] = &[
    ("ro", MS_RDONLY, 0),
    ("rw", 0, MS_RDONLY),
    ("nosuid", MS_NOSUID, 0),
    ("suid", 0, MS_NOSUID),
    ("nodev", MS_NODEV, 0),
    ("dev", 0, MS_NODEV),
    ("noexec", MS_NOEXEC, 0),
    ("exec", 0, MS_NOEXEC),
    ("sync", MS_SYNCHRONOUS, 0),
    ("async", 0, MS_SYNCHRONOUS),
    ("dirsync", MS_DIRSYNC, 0),
    ("remount", MS_REMOUNT, 0),
    ("bind", MS_BIND, 0),
    ("rbind", MS_BIND | MS_REC, 0),
    ("move", MS_MOVE, 0),
    ("mand", MS_MANDLOCK, 0),
    ("nomand", 0, MS_MANDLOCK),
    ("silent", MS_SILENT, 0),
    ("loud", 0, MS_SILENT),
    ("noatime", MS_NOATIME, MS_RELATIME | MS_STRICTATIME),
    ("atime", 0, MS_NOATIME),
    ("relatime", MS_RELATIME, MS_NOATIME | MS_STRICTATIME),
    ("norelatime", 0, MS_RELATIME),
    ("strictatime", MS_STRICTATIME, MS_NOATIME | MS_RELATIME),
    ("nostrictatime", 0, MS_STRICTATIME),
    ("nodiratime", MS_NODIRATIME, 0),
    ("diratime", 0, MS_NODIRATIME),
    ("lazytime", MS_LAZYTIME, 0),
    ("nolazytime", 0, MS_LAZYTIME),
];

/// Propagation options and their flags.
const PROPAGATION: &[(&str, u64)] = &[
    ("shared", MS_SHARED),
    ("private", MS_PRIVATE),
    ("slave", MS_SLAVE),
    ("unbindable", MS_UNBINDABLE),
    ("rshared", MS_SHARED | MS_REC),
    ("rprivate", MS_PRIVATE | MS_REC),
    ("rslave", MS_SLAVE | MS_REC),
    ("runbindable", MS_UNBINDABLE | MS_REC),
];

/// Options that only mean something to mount, fsck or the boot scripts.
const IGNORED: &[&str] = &[
    "defaults",
    "auto",
    "user",
    "users",
    "nouser",
    "owner",
    "noowner",
    "group",
    "nogroup",
    "_netdev",
    "nodelalloc_dummy",
    "sw",
    "noquota",
];

/// An octal mode (`0755`), at most 0o7777.
pub fn parse_octal(s: &[u8]) -> Option<u32> {
    if s.is_empty() || s.len() > 6 || !s.iter().all(|c| (b'0'..=b'7').contains(c)) {
        return None;
    }
    let v = s.iter().fold(0u32, |a, &c| a * 8 + u32::from(c - b'0'));
    (v <= 0o7777).then_some(v)
}

/// Split an option list at commas outside double quotes.
pub fn split_options(list: &[u8]) -> Vec<&[u8]> {
    let mut v = Vec::new();
    let mut start = 0;
    let mut quoted = false;
    for (i, &c) in list.iter().enumerate() {
        match c {
            b'"' => quoted = !quoted,
            b',' if !quoted => {
                if i > start {
                    v.push(&list[start..i]);
                }
                start = i + 1;
            }
            _ => {}
        }
    }
    if list.len() > start {
        v.push(&list[start..]);
    }
    v
}

/// The flag an option name sets (for showing and matching), if it is one.
pub fn flag_option(name: &[u8]) -> Option<(u64, u64)> {
    FLAG_OPTIONS
        .iter()
        .find(|(n, _, _)| n.as_bytes() == name)
        .map(|&(_, s, c)| (s, c))
}

/// The propagation flags a name stands for (`shared`, `rprivate`, ...).
pub fn propagation_option(name: &[u8]) -> Option<u64> {
    let name = name.strip_prefix(b"make-").unwrap_or(name);
    PROPAGATION
        .iter()
        .find(|(n, _)| n.as_bytes() == name)
        .map(|&(_, f)| f)
}

impl MountOptions {
    /// Add a comma-separated option list, later options overriding earlier
    /// ones. Err names an option whose value is not valid.
    pub fn add(&mut self, list: &[u8]) -> Result<(), Vec<u8>> {
        for opt in split_options(list) {
            let (name, value) = match memchr::memchr(b'=', opt) {
                Some(i) => (&opt[..i], Some(&opt[i + 1..])),
                None => (opt, None),
            };
            if value.is_none() {
                if let Some((set, clear)) = flag_option(name) {
                    self.flags = (self.flags & !clear) | set;
                    continue;
                }
                if let Some(p) = propagation_option(name) {
                    self.propagation.push(p);
                    continue;
                }
                if IGNORED.iter().any(|n| n.as_bytes() == name) {
                    continue;
                }
            }
            let num = |v: Option<&[u8]>| {
                v.and_then(|v| crate::num::parse_size(v).ok())
                    .ok_or_else(|| opt.to_vec())
            };
            match name {
                b"noauto" if value.is_none() => self.noauto = true,
                b"nofail" if value.is_none() => self.nofail = true,
                b"loop" => self.loop_dev = Some(value.unwrap_or_default().to_vec()),
                b"offset" => self.offset = num(value)?,
                b"sizelimit" => self.sizelimit = num(value)?,
                b"X-mount.mkdir" | b"x-mount.mkdir" => {
                    self.mkdir = Some(match value {
                        None => 0o755,
                        Some(m) => parse_octal(m).ok_or_else(|| opt.to_vec())?,
                    })
                }
                b"comment" | b"helper" | b"uhelper" | b"encryption" | b"pri" => {}
                _ if name.starts_with(b"x-") || name.starts_with(b"X-") => {}
                _ => {
                    if !self.data.is_empty() {
                        self.data.push(b',');
                    }
                    self.data.extend_from_slice(opt);
                }
            }
        }
        Ok(())
    }

    /// Parse a list into a fresh set of options.
    pub fn parse(list: &[u8]) -> Result<MountOptions, Vec<u8>> {
        let mut o = MountOptions::default();
        o.add(list)?;
        Ok(o)
    }
}

/// Whether a filesystem type matches a `-t` list: `ext4,vfat`; a list
/// starting with `no` (`nonfs,cifs`) matches every type not in it.
pub fn match_types(list: &[u8], fstype: &[u8]) -> bool {
    let negated = list.starts_with(b"no");
    let found = list.split(|&c| c == b',').any(|t| {
        let t = if negated {
            t.strip_prefix(b"no").unwrap_or(t)
        } else {
            t
        };
        t == fstype
    });
    found != negated
}

/// Whether an option list matches a `-O` list: each item must be present,
/// or absent when written `noITEM`.
pub fn match_options(test: &[u8], options: &[u8]) -> bool {
    let have = |o: &[u8]| {
        split_options(options)
            .iter()
            .any(|x| *x == o || (x.starts_with(o) && x.get(o.len()) == Some(&b'=')))
    };
    split_options(test)
        .iter()
        .all(|t| match t.strip_prefix(b"no") {
            Some(rest) if !have(t) => !have(rest),
            _ => have(t),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_lines() {
        let t = parse(
            b"# c\n\n/dev/sda1 / ext4 rw,noatime 0 1\nLABEL=x\t/my\\040dir vfat\nnone /t tmpfs size=1m 0 0 extra\n  # indented comment\nlonely\n",
        );
        assert_eq!(t.len(), 3);
        assert_eq!(t[0].passno, 1);
        assert!(t[0].has_option(b"noatime"));
        assert_eq!(t[1].target, b"/my dir");
        assert_eq!(t[1].options, b"defaults");
        assert!(t[2].has_option(b"size="));
        assert!(!t[2].has_option(b"siz"));
    }

    #[test]
    fn mount_options() {
        use crate::sys::*;
        let o = MountOptions::parse(b"ro,nosuid,size=1m,mode=700,noatime,rshared,loop,offset=1k,_netdev,x-y=z,context=\"a,b\"").unwrap();
        assert_eq!(o.flags, MS_RDONLY | MS_NOSUID | MS_NOATIME);
        assert_eq!(o.data, b"size=1m,mode=700,context=\"a,b\"");
        assert_eq!(o.propagation, vec![MS_SHARED | MS_REC]);
        assert_eq!(o.loop_dev.as_deref(), Some(&b""[..]));
        assert_eq!(o.offset, 1024);
        let o =
            MountOptions::parse(b"ro,rw,noatime,relatime,defaults,noauto,nofail,X-mount.mkdir=700")
                .unwrap();
        assert_eq!(o.flags, MS_RELATIME);
        assert!(o.noauto && o.nofail);
        assert_eq!(o.mkdir, Some(0o700));
        assert!(MountOptions::parse(b"offset=zz").is_err());
    }

    #[test]
    fn filters() {
        assert!(match_types(b"ext4,vfat", b"vfat"));
        assert!(!match_types(b"ext4,vfat", b"tmpfs"));
        assert!(match_types(b"nonfs,cifs", b"ext4"));
        assert!(!match_types(b"nonfs,cifs", b"cifs"));
        assert!(match_options(b"_netdev", b"rw,_netdev"));
        assert!(!match_options(b"no_netdev", b"rw,_netdev"));
        assert!(match_options(b"no_netdev,rw", b"rw,size=1"));
        assert!(match_options(b"size", b"rw,size=1"));
        assert!(match_options(b"noauto", b"noauto"));
    }
}
