//! Filesystem probing from superblocks, for `mount` without `-t` and
//! `LABEL=`/`UUID=` sources: ext2/3/4, vfat, swap, iso9660, btrfs, xfs,
//! squashfs and erofs. Devices to search come from /proc/partitions.

use crate::sys;
use std::io;
use std::os::fd::AsRawFd;

/// What a superblock says about a filesystem.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Probe {
    /// The type name mount(2) knows it by (`ext4`, `vfat`, `swap`, ...).
    pub fstype: &'static str,
    pub label: Option<Vec<u8>>,
    /// The UUID as blkid prints it (lowercase 8-4-4-4-12 hex; `XXXX-XXXX`
    /// for FAT; a date for ISO 9660).
    pub uuid: Option<Vec<u8>>,
}

/// Bytes read from the start of a device: enough for every format here
/// (btrfs keeps its superblock at 64 KiB).
const SPAN: usize = 0x10000 + 0x1000;

fn le16(b: &[u8], at: usize) -> u16 {
    b.get(at..at + 2)
        .map_or(0, |s| u16::from_le_bytes([s[0], s[1]]))
}

fn le32(b: &[u8], at: usize) -> u32 {
    b.get(at..at + 4)
        .map_or(0, |s| u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
}

fn field(b: &[u8], at: usize, len: usize) -> &[u8] {
    b.get(at..at + len).unwrap_or(&[])
}

/// A label field: up to the first NUL, trailing spaces removed, None if empty.
fn label(raw: &[u8]) -> Option<Vec<u8>> {
    let end = memchr::memchr(0, raw).unwrap_or(raw.len());
    let mut s = &raw[..end];
    while let [rest @ .., b' '] = s {
        s = rest;
    }
    if s.is_empty() { None } else { Some(s.to_vec()) }
}

/// A 16-byte UUID in the usual 8-4-4-4-12 form; None if all zero.
fn uuid16(raw: &[u8]) -> Option<Vec<u8>> {
    if raw.len() != 16 || raw.iter().all(|&b| b == 0) {
        return None;
    }
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut s = Vec::with_capacity(36);
    for (i, &b) in raw.iter().enumerate() {
        if matches!(i, 4 | 6 | 8 | 10) {
            s.push(b'-');
        }
        s.push(HEX[usize::from(b >> 4)]);
        s.push(HEX[usize::from(b & 15)]);
    }
    Some(s)
}

fn ext(b: &[u8]) -> Option<Probe> {
    const SB: usize = 1024;
    if le16(b, SB + 0x38) != 0xEF53 {
        return None;
    }
    let compat = le32(b, SB + 0x5C);
    let incompat = le32(b, SB + 0x60);
    let ro_compat = le32(b, SB + 0x64);
    const JOURNAL_DEV: u32 = 0x8;
    // Features ext2/ext3 also have: filetype, recover, meta_bg; sparse_super,
    // large_file, btree_dir.
    let fstype = if incompat & JOURNAL_DEV != 0 {
        "jbd"
    } else if incompat & !(0x2 | 0x4 | 0x10) != 0 || ro_compat & !(0x1 | 0x2 | 0x4) != 0 {
        "ext4"
    } else if compat & 0x4 != 0 {
        "ext3"
    } else {
        "ext2"
    };
    Some(Probe {
        fstype,
        label: label(field(b, SB + 0x78, 16)),
        uuid: uuid16(field(b, SB + 0x68, 16)),
    })
}

fn vfat(b: &[u8]) -> Option<Probe> {
    if field(b, 510, 2) != [0x55, 0xAA] {
        return None;
    }
    let sector = le16(b, 0x0B);
    let cluster = *b.get(0x0D)?;
    let reserved = le16(b, 0x0E);
    let fats = *b.get(0x10)?;
    if !sector.is_power_of_two()
        || !(512..=4096).contains(&sector)
        || !cluster.is_power_of_two()
        || reserved == 0
        || fats == 0
    {
        return None;
    }
    let fat32 = field(b, 0x52, 5) == b"FAT32";
    let (lab, id) = if fat32 {
        (0x47, 0x43)
    } else if field(b, 0x36, 3) == b"FAT" || field(b, 0x03, 5) == b"MSDOS" || b[0x26] == 0x29 {
        (0x2B, 0x27)
    } else {
        return None;
    };
    let label = label(field(b, lab, 11)).filter(|l| l != b"NO NAME");
    let serial = le32(b, id);
    let uuid = (serial != 0).then(|| {
        use crate::put::Put;
        let mut v = Vec::with_capacity(9);
        v.hex(u64::from(serial >> 16), 4)
            .c(b'-')
            .hex(u64::from(serial & 0xffff), 4);
        v.make_ascii_uppercase();
        v
    });
    Some(Probe {
        fstype: "vfat",
        label,
        uuid,
    })
}

fn swap(b: &[u8]) -> Option<Probe> {
    for page in [4096usize, 8192, 16384, 65536] {
        let magic = field(b, page - 10, 10);
        if magic == b"SWAPSPACE2" {
            return Some(Probe {
                fstype: "swap",
                label: label(field(b, 1024 + 28, 16)),
                uuid: uuid16(field(b, 1024 + 12, 16)),
            });
        }
        if magic == b"SWAP-SPACE" {
            return Some(Probe {
                fstype: "swap",
                ..Probe::default()
            });
        }
    }
    None
}

fn iso9660(b: &[u8]) -> Option<Probe> {
    const PVD: usize = 0x8000;
    if b.get(PVD) != Some(&1) || field(b, PVD + 1, 5) != b"CD001" {
        return None;
    }
    // blkid's UUID for ISO 9660: the creation date, YYYY-MM-DD-HH-MM-SS-cc.
    let date = field(b, PVD + 813, 16);
    let uuid = (date.len() == 16 && date.iter().all(u8::is_ascii_digit) && date != [b'0'; 16])
        .then(|| {
            let mut s = Vec::with_capacity(22);
            for (i, part) in [0..4, 4..6, 6..8, 8..10, 10..12, 12..14, 14..16]
                .into_iter()
                .enumerate()
            {
                if i > 0 {
                    s.push(b'-');
                }
                s.extend_from_slice(&date[part]);
            }
            s
        });
    Some(Probe {
        fstype: "iso9660",
        label: label(field(b, PVD + 40, 32)),
        uuid,
    })
}

fn btrfs(b: &[u8]) -> Option<Probe> {
    const SB: usize = 0x10000;
    if field(b, SB + 0x40, 8) != b"_BHRfS_M" {
        return None;
    }
    Some(Probe {
        fstype: "btrfs",
        label: label(field(b, SB + 0x12B, 256)),
        uuid: uuid16(field(b, SB + 0x20, 16)),
    })
}

fn xfs(b: &[u8]) -> Option<Probe> {
    if field(b, 0, 4) != b"XFSB" {
        return None;
    }
    Some(Probe {
        fstype: "xfs",
        label: label(field(b, 108, 12)),
        uuid: uuid16(field(b, 32, 16)),
    })
}

fn squashfs_erofs(b: &[u8]) -> Option<Probe> {
    let fstype = if field(b, 0, 4) == b"hsqs" {
        "squashfs"
    } else if le32(b, 1024) == 0xE0F5_E1E2 {
        "erofs"
    } else {
        return None;
    };
    Some(Probe {
        fstype,
        ..Probe::default()
    })
}

/// Identify the filesystem in the first bytes of a device or image.
pub fn probe_bytes(b: &[u8]) -> Option<Probe> {
    // Formats with a distinctive magic first; FAT's boot sector is the
    // weakest signature, so it comes last.
    ext(b)
        .or_else(|| btrfs(b))
        .or_else(|| xfs(b))
        .or_else(|| squashfs_erofs(b))
        .or_else(|| iso9660(b))
        .or_else(|| swap(b))
        .or_else(|| vfat(b))
}

/// Read the start of an open device or image.
pub fn read_start(fd: i32) -> io::Result<Vec<u8>> {
    let mut buf = vec![0u8; SPAN];
    let mut got = 0;
    while got < SPAN {
        let n = sys::pread(fd, &mut buf[got..], got as u64)?;
        if n == 0 {
            break;
        }
        got += n;
    }
    buf.truncate(got);
    Ok(buf)
}

/// Probe a device or image file by name.
pub fn probe(path: &[u8]) -> io::Result<Option<Probe>> {
    let fd = sys::open(path, sys::O_RDONLY | sys::O_NONBLOCK, 0)?;
    Ok(probe_bytes(&read_start(fd.as_raw_fd())?))
}

/// The block devices the kernel knows (`/dev/NAME` for each line of
/// /proc/partitions), whole disks and partitions alike.
pub fn partitions() -> Vec<Vec<u8>> {
    let Ok(data) = crate::io::read_file(b"/proc/partitions") else {
        return Vec::new();
    };
    let mut v = Vec::new();
    for line in data.split(|&c| c == b'\n') {
        let f: Vec<&[u8]> = line
            .split(|&c| c == b' ' || c == b'\t')
            .filter(|x| !x.is_empty())
            .collect();
        let [ma, mi, _, name] = f[..] else { continue };
        if !ma.iter().all(u8::is_ascii_digit) {
            continue;
        }
        let dev = crate::path::join(b"/dev", name);
        if sys::lstat(&dev).is_ok() {
            v.push(dev);
        } else {
            // No node under its name (no devtmpfs): try /dev/block/MAJ:MIN.
            let mut alt = b"/dev/block/".to_vec();
            alt.extend_from_slice(ma);
            alt.push(b':');
            alt.extend_from_slice(mi);
            v.push(alt);
        }
    }
    v
}

/// Which tag a `LABEL=`/`UUID=` source names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tag {
    Label,
    Uuid,
}

/// Split `LABEL=x` / `UUID=x` (value may be quoted) into its tag and value.
pub fn parse_tag(spec: &[u8]) -> Option<(Tag, &[u8])> {
    let (tag, rest) = if let Some(r) = spec.strip_prefix(b"LABEL=") {
        (Tag::Label, r)
    } else if let Some(r) = spec.strip_prefix(b"UUID=") {
        (Tag::Uuid, r)
    } else {
        return None;
    };
    let rest = match rest {
        [q @ (b'"' | b'\''), inner @ .., e] if q == e => inner,
        r => r,
    };
    Some((tag, rest))
}

/// The first device whose filesystem has this label or UUID (UUIDs compare
/// without regard to case).
pub fn find(tag: Tag, value: &[u8]) -> Option<Vec<u8>> {
    // udev's symlinks first, when they exist.
    let dir: &[u8] = match tag {
        Tag::Label => b"/dev/disk/by-label/",
        Tag::Uuid => b"/dev/disk/by-uuid/",
    };
    if !value.contains(&b'/') {
        let mut link = dir.to_vec();
        link.extend_from_slice(value);
        if let Ok(real) = crate::canon::canonicalize(&link, crate::canon::Options::default())
            && sys::stat(&real).is_ok_and(|s| s.kind() == sys::S_IFBLK)
        {
            return Some(real);
        }
    }
    partitions().into_iter().find(|dev| {
        let Ok(Some(p)) = probe(dev) else {
            return false;
        };
        match tag {
            Tag::Label => p.label.as_deref() == Some(value),
            Tag::Uuid => p.uuid.is_some_and(|u| u.eq_ignore_ascii_case(value)),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn image() -> Vec<u8> {
        vec![0u8; SPAN]
    }

    #[test]
    fn ext_variants() {
        let mut b = image();
        b[1024 + 0x38] = 0x53;
        b[1024 + 0x39] = 0xEF;
        b[1024 + 0x78..1024 + 0x7d].copy_from_slice(b"root\0");
        b[1024 + 0x68..1024 + 0x78].copy_from_slice(&[
            0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0, 1, 2, 3, 4, 5, 6, 7, 8,
        ]);
        let p = probe_bytes(&b).unwrap();
        assert_eq!(p.fstype, "ext2");
        assert_eq!(p.label.as_deref(), Some(&b"root"[..]));
        assert_eq!(
            p.uuid.as_deref(),
            Some(&b"12345678-9abc-def0-0102-030405060708"[..])
        );
        b[1024 + 0x5C] = 0x4;
        assert_eq!(probe_bytes(&b).unwrap().fstype, "ext3");
        b[1024 + 0x60] = 0x40;
        assert_eq!(probe_bytes(&b).unwrap().fstype, "ext4");
    }

    #[test]
    fn fat_and_others() {
        let mut b = image();
        b[510] = 0x55;
        b[511] = 0xAA;
        b[0x0B] = 0;
        b[0x0C] = 2; // 512-byte sectors
        b[0x0D] = 4;
        b[0x0E] = 32;
        b[0x10] = 2;
        b[0x52..0x57].copy_from_slice(b"FAT32");
        b[0x43..0x47].copy_from_slice(&0x1234_abcdu32.to_le_bytes());
        b[0x47..0x52].copy_from_slice(b"BOOT       ");
        let p = probe_bytes(&b).unwrap();
        assert_eq!(
            (p.fstype, p.label.as_deref(), p.uuid.as_deref()),
            ("vfat", Some(&b"BOOT"[..]), Some(&b"1234-ABCD"[..]))
        );
        b[0x47..0x52].copy_from_slice(b"NO NAME    ");
        assert_eq!(probe_bytes(&b).unwrap().label, None);

        let mut s = image();
        s[4096 - 10..4096].copy_from_slice(b"SWAPSPACE2");
        s[1024 + 28..1024 + 32].copy_from_slice(b"swp1");
        assert_eq!(probe_bytes(&s).unwrap().fstype, "swap");
        assert_eq!(
            probe_bytes(&s).unwrap().label.as_deref(),
            Some(&b"swp1"[..])
        );

        let mut x = image();
        x[0..4].copy_from_slice(b"XFSB");
        x[108..112].copy_from_slice(b"data");
        assert_eq!(probe_bytes(&x).unwrap().fstype, "xfs");

        let mut bt = image();
        bt[0x10040..0x10048].copy_from_slice(b"_BHRfS_M");
        bt[0x1012B..0x1012F].copy_from_slice(b"pool");
        let p = probe_bytes(&bt).unwrap();
        assert_eq!(
            (p.fstype, p.label.as_deref()),
            ("btrfs", Some(&b"pool"[..]))
        );

        let mut iso = image();
        iso[0x8000] = 1;
        iso[0x8001..0x8006].copy_from_slice(b"CD001");
        iso[0x8000 + 40..0x8000 + 72].copy_from_slice(&[b' '; 32]);
        iso[0x8000 + 40..0x8000 + 45].copy_from_slice(b"DISC1");
        iso[0x8000 + 813..0x8000 + 829].copy_from_slice(b"2024010212304500");
        let p = probe_bytes(&iso).unwrap();
        assert_eq!(p.label.as_deref(), Some(&b"DISC1"[..]));
        assert_eq!(p.uuid.as_deref(), Some(&b"2024-01-02-12-30-45-00"[..]));

        assert_eq!(probe_bytes(&image()), None);
        assert_eq!(probe_bytes(b"short"), None);
    }

    #[test]
    fn tags() {
        assert_eq!(parse_tag(b"LABEL=root"), Some((Tag::Label, &b"root"[..])));
        assert_eq!(
            parse_tag(b"UUID=\"ab-cd\""),
            Some((Tag::Uuid, &b"ab-cd"[..]))
        );
        assert_eq!(parse_tag(b"/dev/sda1"), None);
    }
}
