//! stat: show file or filesystem status, in GNU's default layout, tersely
//! (-t), or by a format with GNU's directives and printf-style flags,
//! widths and precisions (-c, --printf with backslash escapes).

use ibex::Status;
use ibex::args::{Parser, Spec, flag, value};
use ibex::io::Out;
use ibex::put::Put;
use ibex::sys::{self, Dir, Stat, StatFs, Timespec};
use std::ffi::{OsStr, OsString};
use std::os::unix::ffi::OsStrExt;

const PRINTF: u32 = 256;
const CACHED: u32 = 257;

const LONGS: &[ibex::args::Long] = &[
    flag("dereference", 'L' as u32),
    flag("file-system", 'f' as u32),
    value("format", 'c' as u32),
    value("printf", PRINTF),
    flag("terse", 't' as u32),
    value("cached", CACHED),
];

const USAGE: ibex::usage::Usage = ibex::usage!(
    stat,
    "stat [-Lft] [-c FMT | --printf=FMT] FILE...

Display file or filesystem status

\t-L\tFollow links
\t-f\tDisplay filesystem status
\t-t\tTerse output
\t-c FMT\tUse FMT, then a newline, instead of the default (--format)
\t--printf=FMT\tLike -c, with backslash escapes and no added newline

FMT for files: %a octal mode %A mode string %b blocks %B block unit
%d %D device (decimal, hex) %Hd %Ld its major, minor %f raw mode (hex)
%F file type %g %G group id, name %h links %i inode %m mount point
%n name %N quoted name (-> target) %o I/O block %s size
%r %R %Hr %Lr %t %T device type (decimal, hex, major, minor, hex major, hex minor)
%u %U user id, name %w %x %y %z birth, access, modify, change time
%W %X %Y %Z the same in seconds since the epoch
FMT for filesystems (-f): %a blocks for users %b blocks %c inodes %d free
inodes %f free blocks %i id %l name length %n name %s block size
%S fundamental block size %t type (hex) %T type"
);

const SPEC: Spec = Spec::new("Lfc:t", LONGS, USAGE);

const FILE_FORMAT: &str = "  File: %N\n  Size: %-10s\tBlocks: %-10b IO Block: %-6o %F\n\
Device: %Hd,%Ld\tInode: %-11i Links: %h\n\
Access: (%04a/%10.10A)  Uid: (%5u/%8U)   Gid: (%5g/%8G)\n\
Access: %x\nModify: %y\nChange: %z\n Birth: %w";
const DEV_FORMAT: &str = "  File: %N\n  Size: %-10s\tBlocks: %-10b IO Block: %-6o %F\n\
Device: %Hd,%Ld\tInode: %-11i Links: %-5h Device type: %Hr,%Lr\n\
Access: (%04a/%10.10A)  Uid: (%5u/%8U)   Gid: (%5g/%8G)\n\
Access: %x\nModify: %y\nChange: %z\n Birth: %w";
const FILE_TERSE: &str = "%n %s %b %f %u %g %D %i %h %t %T %X %Y %Z %W %o";
const FS_FORMAT: &str = "  File: \"%n\"\n    ID: %-8i Namelen: %-7l Type: %T\n\
Block size: %-10s Fundamental block size: %S\n\
Blocks: Total: %-10b Free: %-10f Available: %a\n\
Inodes: Total: %-10c Free: %d";
const FS_TERSE: &str = "%n %i %l %t %s %S %b %f %a %c %d";

pub fn main(argv: &[OsString]) -> Status {
    let mut p = Parser::new(argv, &SPEC);
    let mut follow = false;
    let mut fs = false;
    let mut terse = false;
    let mut format: Option<(&OsStr, bool)> = None;
    while let Some((id, v)) = p.next()? {
        match id {
            PRINTF => format = v.map(|f| (f, true)),
            CACHED => {
                let ok =
                    v.is_some_and(|m| matches!(m.as_bytes(), b"always" | b"never" | b"default"));
                if !ok {
                    let m = v.unwrap_or_default().as_bytes();
                    return Err(ibex::args::usage_error(
                        &SPEC,
                        &[b"invalid argument '", m, b"' for '--cached'"],
                    ));
                }
            }
            _ => match char::from_u32(id) {
                Some('L') => follow = true,
                Some('f') => fs = true,
                Some('t') => terse = true,
                _ => format = v.map(|f| (f, false)),
            },
        }
    }
    let files = p.operands();
    if files.is_empty() {
        return Err(ibex::args::missing_operand(&SPEC));
    }
    let mut out = Out::stdout();
    let mut status = 0;
    let mut buf = Vec::new();
    for f in &files {
        let name = f.as_bytes();
        buf.clear();
        let res = if fs {
            fs_status(name, format, terse, &mut buf, &mut out)
        } else {
            file_status(name, follow, format, terse, &mut buf, &mut out)
        };
        match res {
            Ok(true) => out.write(&buf),
            Ok(false) => status = 1,
            Err(bad) => {
                out.write(&buf);
                out.flush();
                ibex::msg!(quote(&bad), ": invalid directive");
                return out.done(1);
            }
        }
    }
    out.done(status)
}

/// The format to use and whether escapes are interpreted and no newline
/// is added.
fn choose<'a>(
    format: Option<(&'a OsStr, bool)>,
    terse: bool,
    default: &'a str,
    short: &'a str,
) -> (&'a [u8], bool) {
    match format {
        Some((f, printf)) => (f.as_bytes(), printf),
        None if terse => (short.as_bytes(), false),
        None => (default.as_bytes(), false),
    }
}

/// Stat one file and format it into `buf`. Ok(false) after a reported
/// error; Err(directive) for an invalid directive.
fn file_status(
    name: &[u8],
    follow: bool,
    format: Option<(&OsStr, bool)>,
    terse: bool,
    buf: &mut Vec<u8>,
    out: &mut Out,
) -> Result<bool, Vec<u8>> {
    let stdin = name == b"-";
    let res = if stdin {
        sys::fstat(0)
    } else {
        let flags = if follow { 0 } else { sys::AT_SYMLINK_NOFOLLOW };
        sys::fstatat(Dir::CWD, name, flags)
    };
    let st = match res {
        Ok(st) => st,
        Err(e) => {
            out.flush();
            ibex::msg!("cannot stat ", quote(name), ": ", e);
            return Ok(false);
        }
    };
    let is_dev = matches!(st.kind(), sys::S_IFCHR | sys::S_IFBLK);
    let default = if is_dev { DEV_FORMAT } else { FILE_FORMAT };
    let (fmt, printf) = choose(format, terse, default, FILE_TERSE);
    let file = File {
        name,
        st,
        follow,
        stdin,
        literal: format.is_none(),
    };
    expand(fmt, printf, &mut |conv, pre| file.value(conv, pre), buf)?;
    if !printf {
        buf.push(b'\n');
    }
    Ok(true)
}

fn fs_status(
    name: &[u8],
    format: Option<(&OsStr, bool)>,
    terse: bool,
    buf: &mut Vec<u8>,
    out: &mut Out,
) -> Result<bool, Vec<u8>> {
    if name == b"-" {
        out.flush();
        ibex::msg!("using '-' to denote standard input does not work in file system mode");
        return Ok(false);
    }
    let sfs = match sys::statfs(name) {
        Ok(s) => s,
        Err(e) => {
            out.flush();
            ibex::msg!(
                "cannot read file system information for ",
                quote(name),
                ": ",
                e
            );
            return Ok(false);
        }
    };
    let (fmt, printf) = choose(format, terse, FS_FORMAT, FS_TERSE);
    expand(
        fmt,
        printf,
        &mut |conv, pre| fs_value(name, &sfs, conv, pre),
        buf,
    )?;
    if !printf {
        buf.push(b'\n');
    }
    Ok(true)
}

// ---------------------------------------------------------------- values

/// A directive's value, which decides how flags apply to it.
enum Val {
    /// Unsigned decimal.
    U(u64),
    /// Signed decimal (`+` and space flags apply).
    I(i64),
    /// Octal (`#` gives a leading 0).
    Oct(u64),
    /// Hexadecimal (`#` gives `0x`).
    Hex(u64),
    /// Text (precision truncates).
    S(Vec<u8>),
    /// Seconds since the epoch; a precision adds that many fraction digits.
    Time(Timespec),
}

struct File<'a> {
    name: &'a [u8],
    st: Stat,
    follow: bool,
    stdin: bool,
    /// %N without quotes (GNU's default layout shows names as they are).
    literal: bool,
}

impl File<'_> {
    fn value(&self, conv: u8, pre: u8) -> Option<Val> {
        let st = &self.st;
        if pre != 0 {
            let n = if conv == b'd' { st.dev } else { st.rdev };
            let part = if pre == b'H' {
                sys::major(n)
            } else {
                sys::minor(n)
            };
            return Some(Val::U(part.into()));
        }
        Some(match conv {
            b'a' => Val::Oct(u64::from(st.mode & 0o7777)),
            b'A' => Val::S(ibex::mode::mode_string(st.mode).to_vec()),
            b'b' => Val::U(st.blocks),
            b'B' => Val::U(512),
            b'C' => Val::S(b"?".to_vec()),
            b'd' => Val::U(st.dev),
            b'D' => Val::Hex(st.dev),
            b'f' => Val::Hex(st.mode.into()),
            b'F' => Val::S(type_name(st).as_bytes().to_vec()),
            b'g' => Val::U(st.gid.into()),
            b'G' => Val::S(ibex::users::group_name(st.gid).unwrap_or_else(|| b"UNKNOWN".to_vec())),
            b'h' => Val::U(st.nlink),
            b'i' => Val::U(st.ino),
            b'm' => Val::S(self.mount_point()),
            b'n' => Val::S(self.name.to_vec()),
            b'N' => Val::S(self.quoted_name()),
            b'o' => Val::U(st.blksize),
            b's' => Val::I(st.size as i64),
            b'r' => Val::U(st.rdev),
            b'R' => Val::Hex(st.rdev),
            b't' => Val::Hex(sys::major(st.rdev).into()),
            b'T' => Val::Hex(sys::minor(st.rdev).into()),
            b'u' => Val::U(st.uid.into()),
            b'U' => Val::S(ibex::users::user_name(st.uid).unwrap_or_else(|| b"UNKNOWN".to_vec())),
            b'w' => Val::S(self.birth().map_or_else(|| b"-".to_vec(), human_time)),
            b'W' => self.birth().map_or(Val::I(0), Val::Time),
            b'x' => Val::S(human_time(st.atime)),
            b'X' => Val::Time(st.atime),
            b'y' => Val::S(human_time(st.mtime)),
            b'Y' => Val::Time(st.mtime),
            b'z' => Val::S(human_time(st.ctime)),
            b'Z' => Val::Time(st.ctime),
            _ => return None,
        })
    }

    fn birth(&self) -> Option<Timespec> {
        if self.stdin {
            let fd = sys::borrowed(0);
            return sys::birth_time(Dir::of(&fd), b"", sys::AT_EMPTY_PATH);
        }
        let flags = if self.follow {
            0
        } else {
            sys::AT_SYMLINK_NOFOLLOW
        };
        sys::birth_time(Dir::CWD, self.name, flags)
    }

    /// `'name'`, and ` -> 'target'` for a symbolic link.
    fn quoted_name(&self) -> Vec<u8> {
        let q = |s: &[u8]| if self.literal { s.to_vec() } else { quote(s) };
        let mut v = q(self.name);
        if self.st.is_lnk()
            && !self.stdin
            && let Ok(target) = sys::readlink(self.name)
        {
            v.extend_from_slice(b" -> ");
            v.extend_from_slice(&q(&target));
        }
        v
    }

    /// The mount point of the filesystem holding the file: the mount table
    /// entry that is the longest prefix of its canonical path, checked by
    /// device; else the highest ancestor on the same device.
    fn mount_point(&self) -> Vec<u8> {
        let path = if self.stdin {
            None
        } else {
            let opts = ibex::canon::Options {
                missing: ibex::canon::Missing::Any,
                ..Default::default()
            };
            let dir = ibex::path::dirname(self.name);
            let base = ibex::path::basename(self.name);
            if self.follow || self.st.is_dir() {
                ibex::canon::canonicalize(self.name, opts).ok()
            } else {
                ibex::canon::canonicalize(dir, opts)
                    .ok()
                    .map(|d| ibex::path::join(&d, base))
            }
        };
        let Some(path) = path else {
            return b"?".to_vec();
        };
        if let Ok(mounts) = ibex::mounts::read() {
            let mut dev = Some(self.st.dev);
            while let Some(i) = ibex::mounts::containing(&mounts, &path, dev) {
                let point = &mounts[i].point;
                if sys::stat(point).is_ok_and(|s| s.dev == self.st.dev) {
                    return point.clone();
                }
                if dev.is_none() {
                    break;
                }
                dev = None;
            }
        }
        // Climb while the parent is on the same device.
        let mut cur = path;
        loop {
            let parent = ibex::path::dirname(&cur).to_vec();
            if parent == cur || !sys::stat(&parent).is_ok_and(|s| s.dev == self.st.dev) {
                return cur;
            }
            cur = parent;
        }
    }
}

fn fs_value(name: &[u8], s: &StatFs, conv: u8, pre: u8) -> Option<Val> {
    if pre != 0 {
        return None;
    }
    Some(match conv {
        b'a' => Val::U(s.bavail),
        b'b' => Val::U(s.blocks),
        b'c' => Val::U(s.files),
        b'd' => Val::U(s.ffree),
        b'f' => Val::U(s.bfree),
        b'i' => Val::Hex(s.fsid),
        b'l' => Val::U(s.namelen),
        b'n' => Val::S(name.to_vec()),
        b's' => Val::U(s.bsize),
        b'S' => Val::U(s.frsize),
        b't' => Val::Hex(s.fs_type),
        b'T' => Val::S(fs_type_name(s.fs_type)),
        _ => return None,
    })
}

/// GNU's name for a file's type.
fn type_name(st: &Stat) -> &'static str {
    match st.kind() {
        sys::S_IFREG if st.size == 0 => "regular empty file",
        sys::S_IFREG => "regular file",
        sys::S_IFDIR => "directory",
        sys::S_IFLNK => "symbolic link",
        sys::S_IFIFO => "fifo",
        sys::S_IFCHR => "character special file",
        sys::S_IFBLK => "block special file",
        sys::S_IFSOCK => "socket",
        _ => "weird file",
    }
}

/// Filesystem names by statfs magic, as GNU stat words them.
fn fs_type_name(magic: u64) -> Vec<u8> {
    let name = match magic {
        0x5346_414f => "afs",
        0x6164_6673 => "acfs",
        0xadf5 => "adfs",
        0xadff => "affs",
        0x0904_1934 => "anon-inode FS",
        0x6175_6673 => "aufs",
        0x0187 => "autofs",
        0x4246_5331 => "befs",
        0x6264_6576 => "bdevfs",
        0x1bad_face => "bfs",
        0xcafe_4a11 => "bpf_fs",
        0x4249_4e4d => "binfmt_misc",
        0x9123_683e => "btrfs",
        0x7372_7279 => "btrfs_test",
        0x00c3_6400 => "ceph",
        0x0027_e0eb => "cgroupfs",
        0x6367_7270 => "cgroup2fs",
        0xff53_4d42 => "cifs",
        0x7375_7245 => "coda",
        0x012f_f7b7 => "coh",
        0x6265_6570 => "configfs",
        0x28cd_3d45 => "cramfs",
        0x453d_cd28 => "cramfs-wend",
        0x6462_6720 => "debugfs",
        0x1373 => "devfs",
        0x1cd1 => "devpts",
        0xf15f => "ecryptfs",
        0xde5e_81e4 => "efivarfs",
        0x0041_4a53 => "efs",
        0x2011_bab0 => "exfat",
        0x4558_4653 => "exfs",
        0x137d => "ext",
        0xef51 => "ext2",
        0xef53 => "ext2/ext3",
        0xf2f5_2010 => "f2fs",
        0x4006 => "fat",
        0x1983_0326 => "fhgfs",
        0x6573_5546 => "fuseblk",
        0x6573_5543 => "fusectl",
        0x0bad_1dea => "futexfs",
        0x0116_1970 => "gfs/gfs2",
        0x4750_4653 => "gpfs",
        0x4244 => "hfs",
        0x482b => "hfs+",
        0x4858 => "hfsx",
        0x00c0_ffee => "hostfs",
        0xf995_e849 => "hpfs",
        0x9584_58f6 => "hugetlbfs",
        0x1130_7854 => "inodefs",
        0x0013_1111 => "ibrix",
        0x2bad_1dea => "inotifyfs",
        0x9660 => "isofs",
        0x4004 => "isofs",
        0x4000 => "isofs",
        0x07c0 => "jffs",
        0x72b6 => "jffs2",
        0x3153_464a => "jfs",
        0x6b41_4653 => "k-afs",
        0xc97e_8168 => "logfs",
        0x0bd0_0bd0 => "lustre",
        0x5346_314d => "m1fs",
        0x137f => "minix",
        0x138f => "minix (30 char.)",
        0x2468 => "minix v2",
        0x2478 => "minix v2 (30 char.)",
        0x4d5a => "minix3",
        0x1980_0202 => "mqueue",
        0x4d44 => "msdos",
        0x564c => "novell",
        0x6969 => "nfs",
        0x6e66_7364 => "nfsd",
        0x3434 => "nilfs",
        0x6e73_6673 => "nsfs",
        0x5346_544e => "ntfs",
        0x0000_9fa1 => "openprom",
        0x7461_636f => "ocfs2",
        0x794c_7630 => "overlayfs",
        0xaad7_aaea => "panfs",
        0x5049_5045 => "pipefs",
        0xc757_1590 => "ppc-cmm-fs",
        0x7c7c_6673 => "prl_fs",
        0x9fa0 => "proc",
        0x6165_676c => "pstorefs",
        0x002f => "qnx4",
        0x6819_1122 => "qnx6",
        0x8584_58f6 => "ramfs",
        0x0765_5821 => "rdt",
        0x5265_4973 => "reiserfs",
        0x7275 => "romfs",
        0x6759_6969 => "rpc_pipefs",
        0x5db8_8501 => "sdcardfs",
        0x7363_6673 => "securityfs",
        0xf97c_ff8c => "selinux",
        0x4341_5d53 => "smackfs",
        0x517b => "smb",
        0xfe53_4d42 => "smb2",
        0xbeef_dead => "snfs",
        0x534f_434b => "sockfs",
        0x7371_7368 => "squashfs",
        0x6265_6572 => "sysfs",
        0x012f_f7b6 => "sysv2",
        0x012f_f7b5 => "sysv4",
        0x0102_1994 => "tmpfs",
        0x7472_6163 => "tracefs",
        0x2405_1905 => "ubifs",
        0x1501_3346 => "udf",
        0x0001_1954 => "ufs",
        0x5419_0100 => "ufs",
        0x9fa2 => "usbdevfs",
        0x0102_1997 => "v9fs",
        0xbacb_acbc => "vmhgfs",
        0xa501_fcf5 => "vxfs",
        0x565a_4653 => "vzfs",
        0x5346_4846 => "wslfs",
        0xabba_1974 => "xenfs",
        0x012f_f7b4 => "xenix",
        0x5846_5342 => "xfs",
        0x012f_d16d => "xia",
        0x2fc1_2fc1 => "zfs",
        0x5a4f_4653 => "zonefs",
        _ => {
            let mut v = b"UNKNOWN (0x".to_vec();
            v.hex(magic, 0).c(b')');
            return v;
        }
    };
    name.as_bytes().to_vec()
}

/// `2009-02-13 23:31:30.123456789 +0000` in local time.
fn human_time(ts: Timespec) -> Vec<u8> {
    match ibex::time::local(ts) {
        Some(tm) => {
            let mut v = Vec::with_capacity(36);
            ibex::time::strftime(b"%Y-%m-%d %H:%M:%S.%N %z", &tm, &mut v);
            v
        }
        None => {
            let mut v = Vec::new();
            v.i(ts.sec);
            v
        }
    }
}

// ---------------------------------------------------------------- quoting

/// GNU's shell-escape-always quoting, as `stat %N` and its messages use:
/// `'a b'`, `"it's"`, `'a'\''b$'`, and `$'\n'` for control bytes.
fn quote(s: &[u8]) -> Vec<u8> {
    let special = |c: u8| !(0x20..0x7f).contains(&c);
    let mut out = Vec::with_capacity(s.len() + 2);
    if !s.iter().any(|&c| special(c)) {
        if !s.contains(&b'\'') {
            out.push(b'\'');
            out.extend_from_slice(s);
            out.push(b'\'');
            return out;
        }
        if !s.iter().any(|c| b"\"$`\\".contains(c)) {
            out.push(b'"');
            out.extend_from_slice(s);
            out.push(b'"');
            return out;
        }
    }
    // Runs of printable bytes in '...', others in $'...'.
    let mut in_quote = true;
    let mut in_dollar = false;
    out.push(b'\'');
    for &c in s {
        if special(c) {
            if in_quote {
                out.push(b'\'');
                in_quote = false;
            }
            if !in_dollar {
                out.extend_from_slice(b"$'");
                in_dollar = true;
            }
            match c {
                7 => out.extend_from_slice(b"\\a"),
                8 => out.extend_from_slice(b"\\b"),
                b'\t' => out.extend_from_slice(b"\\t"),
                b'\n' => out.extend_from_slice(b"\\n"),
                11 => out.extend_from_slice(b"\\v"),
                12 => out.extend_from_slice(b"\\f"),
                b'\r' => out.extend_from_slice(b"\\r"),
                _ => {
                    out.push(b'\\');
                    out.push(b'0' + (c >> 6));
                    out.push(b'0' + ((c >> 3) & 7));
                    out.push(b'0' + (c & 7));
                }
            }
        } else {
            if in_dollar {
                out.push(b'\'');
                in_dollar = false;
            }
            if !in_quote {
                out.push(b'\'');
                in_quote = true;
            }
            if c == b'\'' {
                out.extend_from_slice(b"'\\''");
            } else {
                out.push(c);
            }
        }
    }
    if in_quote || in_dollar {
        out.push(b'\'');
    }
    out
}

// ---------------------------------------------------------------- formats

/// The flags, width and precision of one directive.
#[derive(Default)]
struct Directive {
    minus: bool,
    zero: bool,
    plus: bool,
    space: bool,
    alt: bool,
    width: usize,
    /// `.` seen, with its digits if any.
    prec: Option<Option<usize>>,
}

/// Expand `fmt` into `out`, asking `get` for each directive's value
/// (conversion letter and an `H`/`L` prefix or 0). Unknown directives
/// print `?`. Err(directive) for a malformed one, after writing the text
/// before it.
fn expand(
    fmt: &[u8],
    printf: bool,
    get: &mut dyn FnMut(u8, u8) -> Option<Val>,
    out: &mut Vec<u8>,
) -> Result<(), Vec<u8>> {
    let mut i = 0;
    while i < fmt.len() {
        let c = fmt[i];
        if c == b'\\' && printf {
            i = escape(fmt, i + 1, out);
            continue;
        }
        if c != b'%' {
            out.push(c);
            i += 1;
            continue;
        }
        let start = i;
        i += 1;
        let mut d = Directive::default();
        while let Some(&f) = fmt.get(i) {
            match f {
                b'-' => d.minus = true,
                b'0' => d.zero = true,
                b'+' => d.plus = true,
                b' ' => d.space = true,
                b'#' => d.alt = true,
                b'\'' | b'I' => {}
                _ => break,
            }
            i += 1;
        }
        let digits = |i: &mut usize| {
            let s = *i;
            while fmt.get(*i).is_some_and(u8::is_ascii_digit) {
                *i += 1;
            }
            std::str::from_utf8(&fmt[s..*i])
                .ok()
                .and_then(|t| t.parse::<usize>().ok())
        };
        d.width = digits(&mut i).unwrap_or(0).min(1 << 20);
        if fmt.get(i) == Some(&b'.') {
            i += 1;
            d.prec = Some(digits(&mut i).map(|p| p.min(1 << 20)));
        }
        let Some(&conv) = fmt.get(i) else {
            if i == start + 1 {
                out.push(b'%');
                return Ok(());
            }
            return Err(fmt[start..].to_vec());
        };
        i += 1;
        if conv == b'%' {
            if i - start > 2 {
                return Err(fmt[start..i].to_vec());
            }
            out.push(b'%');
            continue;
        }
        let mut pre = 0;
        let mut conv = conv;
        if conv == b'H' || conv == b'L' {
            match fmt.get(i) {
                Some(&n @ (b'd' | b'r')) => {
                    pre = conv;
                    conv = n;
                    i += 1;
                }
                _ => {
                    out.push(b'?');
                    continue;
                }
            }
        }
        match get(conv, pre) {
            Some(v) => render(&v, &d, out),
            None => out.push(b'?'),
        }
    }
    Ok(())
}

/// One backslash escape of --printf, starting after the backslash;
/// returns the index after it.
fn escape(fmt: &[u8], i: usize, out: &mut Vec<u8>) -> usize {
    let Some(&c) = fmt.get(i) else {
        ibex::msg!("warning: backslash at end of format");
        out.push(b'\\');
        return i;
    };
    let simple = match c {
        b'a' => Some(7),
        b'b' => Some(8),
        b'e' => Some(0x1b),
        b'f' => Some(12),
        b'n' => Some(b'\n'),
        b'r' => Some(b'\r'),
        b't' => Some(b'\t'),
        b'v' => Some(11),
        b'"' | b'\\' => Some(c),
        _ => None,
    };
    if let Some(b) = simple {
        out.push(b);
        return i + 1;
    }
    if (b'0'..=b'7').contains(&c) {
        let mut v = 0u32;
        let mut j = i;
        while j < i + 3 && fmt.get(j).is_some_and(|d| (b'0'..=b'7').contains(d)) {
            v = v * 8 + u32::from(fmt[j] - b'0');
            j += 1;
        }
        out.push(v as u8);
        return j;
    }
    if c == b'x' {
        let mut v = 0u32;
        let mut j = i + 1;
        while j < i + 3
            && let Some(d) = fmt.get(j).and_then(|d| (*d as char).to_digit(16))
        {
            v = v * 16 + d;
            j += 1;
        }
        if j > i + 1 {
            out.push(v as u8);
            return j;
        }
    }
    ibex::msg!("warning: unrecognized escape '\\", [c], "'");
    out.push(c);
    i + 1
}

/// Write `body` padded to the directive's width with spaces.
fn pad(body: &[u8], d: &Directive, out: &mut Vec<u8>) {
    let fill = d.width.saturating_sub(body.len());
    if !d.minus {
        out.extend(std::iter::repeat_n(b' ', fill));
    }
    out.extend_from_slice(body);
    if d.minus {
        out.extend(std::iter::repeat_n(b' ', fill));
    }
}

/// A number: sign, prefix (`0x`), digits; zero padding when asked for
/// and allowed (not with an integer precision).
fn number(
    sign: &[u8],
    prefix: &[u8],
    digits: &[u8],
    zero_ok: bool,
    d: &Directive,
    out: &mut Vec<u8>,
) {
    let len = sign.len() + prefix.len() + digits.len();
    if d.zero && !d.minus && zero_ok && d.width > len {
        out.extend_from_slice(sign);
        out.extend_from_slice(prefix);
        out.extend(std::iter::repeat_n(b'0', d.width - len));
        out.extend_from_slice(digits);
        return;
    }
    let mut body = Vec::with_capacity(len);
    body.extend_from_slice(sign);
    body.extend_from_slice(prefix);
    body.extend_from_slice(digits);
    pad(&body, d, out);
}

/// Apply an integer precision: at least that many digits.
fn min_digits(mut s: Vec<u8>, d: &Directive) -> Vec<u8> {
    if let Some(p) = d.prec {
        let p = p.unwrap_or(0);
        if p == 0 && s == b"0" {
            s.clear();
        } else if s.len() < p {
            let mut z = vec![b'0'; p - s.len()];
            z.extend_from_slice(&s);
            s = z;
        }
    }
    s
}

fn dec(n: u64) -> Vec<u8> {
    let mut v = Vec::new();
    v.u(n);
    v
}

fn octal(mut n: u64) -> Vec<u8> {
    let mut v = Vec::new();
    loop {
        v.push(b'0' + (n & 7) as u8);
        n >>= 3;
        if n == 0 {
            break;
        }
    }
    v.reverse();
    v
}

fn sign_of(neg: bool, d: &Directive) -> &'static [u8] {
    if neg {
        b"-"
    } else if d.plus {
        b"+"
    } else if d.space {
        b" "
    } else {
        b""
    }
}

fn render(v: &Val, d: &Directive, out: &mut Vec<u8>) {
    let int_zero_ok = d.prec.is_none();
    match v {
        Val::U(n) => {
            let s = min_digits(dec(*n), d);
            number(b"", b"", &s, int_zero_ok, d, out);
        }
        Val::I(n) => {
            let s = min_digits(dec(n.unsigned_abs()), d);
            number(sign_of(*n < 0, d), b"", &s, int_zero_ok, d, out);
        }
        Val::Oct(n) => {
            let mut s = min_digits(octal(*n), d);
            if d.alt && s.first() != Some(&b'0') {
                s.insert(0, b'0');
            }
            number(b"", b"", &s, int_zero_ok, d, out);
        }
        Val::Hex(n) => {
            let mut s = Vec::new();
            s.hex(*n, 0);
            let s = min_digits(s, d);
            let prefix: &[u8] = if d.alt && *n != 0 { b"0x" } else { b"" };
            number(b"", prefix, &s, int_zero_ok, d, out);
        }
        Val::S(s) => {
            let s = match d.prec {
                Some(p) => &s[..s.len().min(p.unwrap_or(0))],
                None => &s[..],
            };
            pad(s, d, out);
        }
        Val::Time(ts) => {
            let Some(p) = d.prec else {
                return render(&Val::I(ts.sec), d, out);
            };
            let p = p.unwrap_or(9);
            let nsec = ts.nsec.clamp(0, 999_999_999);
            let neg = ts.sec < 0;
            // Magnitude of sec + nsec/1e9.
            let (int, frac) = if ts.sec < 0 && nsec > 0 {
                ((-(ts.sec + 1)) as u64, 1_000_000_000 - nsec)
            } else {
                (ts.sec.unsigned_abs(), nsec)
            };
            let mut s = dec(int);
            if p > 0 {
                s.push(b'.');
                let mut f = Vec::new();
                f.u(frac.unsigned_abs() + 1_000_000_000);
                let take = p.min(9);
                s.extend_from_slice(f.get(1..=take).unwrap_or(b""));
                s.extend(std::iter::repeat_n(b'0', p - take));
            }
            number(sign_of(neg, d), b"", &s, true, d, out);
        }
    }
}
