//! df: report filesystem space and inode usage, from the mount table and
//! statfs, in GNU's column layout. Pseudo and empty filesystems and
//! duplicate mounts of one device are hidden unless -a; FILE operands show
//! the filesystem holding each FILE.

use ibex::Status;
use ibex::args::{Parser, Spec, flag, optional, value};
use ibex::io::Out;
use ibex::mounts::{self, Mount};
use ibex::num::BlockSizeError;
use ibex::put::Put;
use ibex::sys::{self, StatFs};
use std::ffi::{OsStr, OsString};
use std::os::unix::ffi::OsStrExt;

const BLOCK_SIZE: u32 = 256;
const TOTAL: u32 = 257;
const OUTPUT: u32 = 258;
const SYNC: u32 = 259;
const NO_SYNC: u32 = 260;

const LONGS: &[ibex::args::Long] = &[
    flag("all", 'a' as u32),
    value("block-size", BLOCK_SIZE),
    flag("human-readable", 'h' as u32),
    flag("si", 'H' as u32),
    flag("inodes", 'i' as u32),
    flag("local", 'l' as u32),
    flag("no-sync", NO_SYNC),
    optional("output", OUTPUT),
    flag("portability", 'P' as u32),
    flag("sync", SYNC),
    flag("total", TOTAL),
    value("type", 't' as u32),
    flag("print-type", 'T' as u32),
    value("exclude-type", 'x' as u32),
];

const USAGE: ibex::usage::Usage = ibex::usage!(
    df,
    "df [-ahHiklmPTv] [-B SIZE] [-t TYPE] [-x TYPE] [--total] [--output[=FIELDS]] [FILE]...

Print filesystem usage statistics

\t-a\tShow all filesystems, also pseudo, empty and duplicate ones
\t-h\tSizes in human readable form (powers of 1024); -H: powers of 1000
\t-k\tSizes in 1024-byte blocks (default)
\t-m\tSizes in megabytes
\t-B SIZE\tSizes in units of SIZE (K, M, G, kB, MB, ...)
\t-i\tShow inodes instead of blocks
\t-l\tOnly local filesystems
\t-P\tPOSIX output format
\t-T\tShow filesystem type
\t-t TYPE\tOnly filesystems of TYPE
\t-x TYPE\tNo filesystems of TYPE
\t--total\tAdd a grand total
\t--output[=FIELDS]\tShow FIELDS: source,fstype,itotal,iused,iavail,ipcent,
\t\tsize,used,avail,pcent,file,target (all by default)"
);

const SPEC: Spec = Spec::new("aB:hHiklmPTt:vx:", LONGS, USAGE);

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Field {
    Source,
    Fstype,
    Itotal,
    Iused,
    Iavail,
    Ipcent,
    Size,
    Used,
    Avail,
    Pcent,
    File,
    Target,
}

const ALL_FIELDS: [(&str, Field); 12] = [
    ("source", Field::Source),
    ("fstype", Field::Fstype),
    ("itotal", Field::Itotal),
    ("iused", Field::Iused),
    ("iavail", Field::Iavail),
    ("ipcent", Field::Ipcent),
    ("size", Field::Size),
    ("used", Field::Used),
    ("avail", Field::Avail),
    ("pcent", Field::Pcent),
    ("file", Field::File),
    ("target", Field::Target),
];

impl Field {
    /// Minimum width, and whether the column is left-aligned.
    fn layout(self) -> (usize, bool) {
        match self {
            Field::Source => (14, true),
            Field::Fstype | Field::File => (4, true),
            Field::Target => (0, true),
            Field::Pcent | Field::Ipcent => (4, false),
            _ => (5, false),
        }
    }
}

#[derive(Clone, Copy)]
enum Scale {
    /// Units of this many bytes; with a unit name to append to each
    /// number when the size was given as a unit alone (`-B K` shows `12K`).
    Blocks(u64, &'static str),
    Human {
        si: bool,
    },
}

/// Usage numbers of one row, in bytes and inodes.
#[derive(Clone, Copy, Default)]
struct Usage {
    size: u128,
    used: u128,
    avail: u128,
    files: u128,
    ifree: u128,
}

impl Usage {
    fn of(s: &StatFs) -> Usage {
        let bs = u128::from(s.frsize);
        Usage {
            size: u128::from(s.blocks) * bs,
            used: u128::from(s.blocks.saturating_sub(s.bfree)) * bs,
            avail: u128::from(s.bavail) * bs,
            files: u128::from(s.files),
            ifree: u128::from(s.ffree),
        }
    }

    fn add(&mut self, o: &Usage) {
        self.size += o.size;
        self.used += o.used;
        self.avail += o.avail;
        self.files += o.files;
        self.ifree += o.ifree;
    }
}

/// Percent used, rounded up as GNU does; `-` when nothing is usable.
fn percent(used: u128, total: u128) -> Vec<u8> {
    if total == 0 {
        return b"-".to_vec();
    }
    let mut v = Vec::new();
    dec(&mut v, (used * 100).div_ceil(total));
    v.push(b'%');
    v
}

/// Append `n` in decimal (u64 digits unless it does not fit).
fn dec(v: &mut Vec<u8>, n: u128) {
    match u64::try_from(n) {
        Ok(n) => {
            v.u(n);
        }
        Err(_) => {
            let start = v.len();
            let mut n = n;
            while n > 0 {
                v.push(b'0' + (n % 10) as u8);
                n /= 10;
            }
            if let Some(d) = v.get_mut(start..) {
                d.reverse();
            }
        }
    }
}

struct Row {
    /// False for a mount hidden under another one: its numbers are `-`.
    known: bool,
    source: Vec<u8>,
    fstype: Vec<u8>,
    target: Vec<u8>,
    file: Vec<u8>,
    usage: Usage,
}

struct Df {
    all: bool,
    local: bool,
    types: Vec<Vec<u8>>,
    excluded: Vec<Vec<u8>>,
    scale: Scale,
    status: i32,
}

impl Df {
    fn wanted(&self, m: &Mount) -> bool {
        (self.types.is_empty() || self.types.contains(&m.fstype))
            && !self.excluded.contains(&m.fstype)
            && !(self.local && m.is_remote())
    }

    /// Every mounted filesystem worth showing, duplicates folded unless -a.
    fn listing(&mut self, table: &[Mount], out: &mut Out) -> Vec<Row> {
        // (mount, device of its mount point)
        let mut kept: Vec<(&Mount, Option<u64>)> = Vec::new();
        for m in table {
            if !self.wanted(m) || (!self.all && m.is_pseudo()) {
                continue;
            }
            let dev = sys::stat(&m.point).ok().map(|s| s.dev);
            if !self.all
                && let Some(d) = dev
                && let Some(slot) = kept.iter_mut().find(|(_, kd)| *kd == Some(d))
            {
                if prefer(m, slot.0) {
                    slot.0 = m;
                }
                continue;
            }
            kept.push((m, dev));
        }
        let mut rows = Vec::new();
        for (m, dev) in kept {
            if let (Some(d), Some(md)) = (dev, m.st_dev())
                && d != md
            {
                rows.push(Row {
                    known: false,
                    source: m.source.clone(),
                    fstype: m.fstype.clone(),
                    target: m.point.clone(),
                    file: b"-".to_vec(),
                    usage: Usage::default(),
                });
                continue;
            }
            match sys::statfs(&m.point) {
                Ok(s) => {
                    if !self.all && s.blocks == 0 {
                        continue;
                    }
                    rows.push(Row {
                        known: true,
                        source: m.source.clone(),
                        fstype: m.fstype.clone(),
                        target: m.point.clone(),
                        file: b"-".to_vec(),
                        usage: Usage::of(&s),
                    });
                }
                Err(e) => {
                    if self.all || !matches!(e.raw_os_error(), Some(libc::EACCES | libc::ENOENT)) {
                        out.flush();
                        ibex::error::io_error(&m.point, &e);
                        self.status = 1;
                    }
                }
            }
        }
        rows
    }

    /// The row for the filesystem holding FILE.
    fn for_file(&mut self, table: &[Mount], file: &[u8], out: &mut Out) -> Option<Row> {
        let fail = |e: &std::io::Error, out: &mut Out| {
            out.flush();
            ibex::error::io_error(file, e);
        };
        let st = match sys::stat(file) {
            Ok(s) => s,
            Err(e) => {
                fail(&e, out);
                self.status = 1;
                return None;
            }
        };
        let canon = ibex::canon::canonicalize(file, ibex::canon::Options::default())
            .unwrap_or_else(|_| file.to_vec());
        // A device node names the filesystem mounted from it.
        let mut found = None;
        if st.kind() == sys::S_IFBLK {
            found = table.iter().rposition(|m| {
                m.source == canon
                    || ibex::canon::canonicalize(&m.source, ibex::canon::Options::default())
                        .is_ok_and(|s| s == canon)
            });
        }
        let found = found.or_else(|| mounts::containing(table, &canon, Some(st.dev)));
        let statfs_path: &[u8] = match (found, st.kind() == sys::S_IFBLK) {
            (Some(i), true) => &table[i].point,
            _ => file,
        };
        let s = match sys::statfs(statfs_path) {
            Ok(s) => s,
            Err(e) => {
                fail(&e, out);
                self.status = 1;
                return None;
            }
        };
        let m = found.and_then(|i| table.get(i));
        if let Some(m) = m
            && !self.wanted(m)
        {
            return None;
        }
        let dash = || b"-".to_vec();
        Some(Row {
            known: true,
            source: m.map_or_else(dash, |m| m.source.clone()),
            fstype: m.map_or_else(dash, |m| m.fstype.clone()),
            target: m.map_or_else(dash, |m| m.point.clone()),
            file: file.to_vec(),
            usage: Usage::of(&s),
        })
    }

    fn amount(&self, bytes: u128) -> Vec<u8> {
        match self.scale {
            Scale::Human { si } => {
                ibex::human::human(u64::try_from(bytes).unwrap_or(u64::MAX), si).into_bytes()
            }
            Scale::Blocks(bs, unit) => {
                let mut v = Vec::new();
                dec(&mut v, bytes.div_ceil(u128::from(bs.max(1))));
                v.s(unit);
                v
            }
        }
    }

    fn count(&self, n: u128) -> Vec<u8> {
        match self.scale {
            Scale::Human { si } => {
                ibex::human::human(u64::try_from(n).unwrap_or(u64::MAX), si).into_bytes()
            }
            Scale::Blocks(..) => {
                let mut v = Vec::new();
                dec(&mut v, n);
                v
            }
        }
    }

    fn cell(&self, f: Field, r: &Row) -> Vec<u8> {
        let u = &r.usage;
        match f {
            Field::Source => r.source.clone(),
            Field::Fstype => r.fstype.clone(),
            Field::Target => r.target.clone(),
            Field::File => r.file.clone(),
            _ if !r.known => b"-".to_vec(),
            Field::Size => self.amount(u.size),
            Field::Used => self.amount(u.used),
            Field::Avail => self.amount(u.avail),
            Field::Pcent => percent(u.used, u.used + u.avail),
            Field::Itotal => self.count(u.files),
            Field::Iused => self.count(u.files.saturating_sub(u.ifree)),
            Field::Iavail => self.count(u.ifree),
            Field::Ipcent => percent(u.files.saturating_sub(u.ifree), u.files),
        }
    }
}

/// Of two mounts of one device, whether `new` should be shown instead of
/// `old`: a mount over the same point hides the older one; a real device
/// path beats a name; a mount nearer the root beats a deeper one, unless
/// it shows only a subdirectory of the filesystem (a bind mount).
fn prefer(new: &Mount, old: &Mount) -> bool {
    if new.point == old.point {
        return true;
    }
    let dev_path = |m: &Mount| m.source.contains(&b'/');
    if dev_path(new) != dev_path(old) {
        return dev_path(new);
    }
    new.point.len() < old.point.len() && new.root.len() <= old.root.len()
}

/// The `N-blocks` header: `1K`, `1M`, `512B`, `1kB`, `1.5kB`; POSIX mode
/// writes the plain number.
fn blocks_label(bs: u64, posix: bool, v: &mut Vec<u8>) {
    if posix {
        v.u(bs);
        return;
    }
    let si = !bs.is_multiple_of(1024);
    let h = ibex::human::human(bs, si);
    match h.find(".0") {
        Some(i) => v.s(&h[..i]).s(&h[i + 2..]),
        None => v.s(&h),
    };
    if si {
        v.c(b'B');
    }
}

fn env_scale() -> Scale {
    for var in ["DF_BLOCK_SIZE", "BLOCK_SIZE", "BLOCKSIZE"] {
        if let Some(v) = std::env::var_os(var) {
            match v.as_bytes() {
                b"human-readable" => return Scale::Human { si: false },
                b"si" => return Scale::Human { si: true },
                b => {
                    if let Ok(n) = ibex::num::parse_block_size(b) {
                        return Scale::Blocks(n, unit_name(b));
                    }
                }
            }
        }
    }
    if std::env::var_os("POSIXLY_CORRECT").is_some() {
        Scale::Blocks(512, "")
    } else {
        Scale::Blocks(1024, "")
    }
}

/// The unit to append for a size given without digits (`K`, `MiB`, `kB`).
fn unit_name(arg: &[u8]) -> &'static str {
    const UNITS: [&str; 24] = [
        "K", "M", "G", "T", "P", "E", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "kB", "KB", "MB",
        "GB", "TB", "PB", "EB", "k", "m", "g", "t", "p",
    ];
    UNITS
        .iter()
        .find(|u| u.as_bytes() == arg)
        .copied()
        .unwrap_or("")
}

fn block_size(opt: &str, v: &OsStr) -> Result<Scale, ibex::Exit> {
    match v.as_bytes() {
        b"human-readable" => return Ok(Scale::Human { si: false }),
        b"si" => return Ok(Scale::Human { si: true }),
        _ => {}
    }
    match ibex::num::parse_block_size(v.as_bytes()) {
        Ok(n) => Ok(Scale::Blocks(n, unit_name(v.as_bytes()))),
        Err(e) => {
            let v = v.as_bytes();
            match e {
                BlockSizeError::Invalid => ibex::msg!("invalid ", opt, " argument '", v, "'"),
                BlockSizeError::Suffix => {
                    ibex::msg!("invalid suffix in ", opt, " argument '", v, "'")
                }
                BlockSizeError::TooLarge => ibex::msg!(opt, " argument '", v, "' too large"),
            }
            Err(ibex::Exit(1))
        }
    }
}

/// `--output=a,b,c`: known fields, each once.
fn output_fields(list: &[u8], fields: &mut Vec<Field>) -> Result<(), ibex::Exit> {
    for name in list.split(|&c| c == b',') {
        let Some(&(_, f)) = ALL_FIELDS.iter().find(|(n, _)| n.as_bytes() == name) else {
            return Err(ibex::args::usage_error(
                &SPEC,
                &[b"option --output: field '", name, b"' unknown"],
            ));
        };
        if fields.contains(&f) {
            return Err(ibex::args::usage_error(
                &SPEC,
                &[b"option --output: field '", name, b"' used more than once"],
            ));
        }
        fields.push(f);
    }
    Ok(())
}

pub fn main(argv: &[OsString]) -> Status {
    let mut p = Parser::new(argv, &SPEC);
    let mut df = Df {
        all: false,
        local: false,
        types: Vec::new(),
        excluded: Vec::new(),
        scale: env_scale(),
        status: 0,
    };
    let mut inodes = false;
    let mut posix = false;
    let mut print_type = false;
    let mut total = false;
    let mut output: Option<Vec<Field>> = None;
    while let Some((id, v)) = p.next()? {
        let val = v.unwrap_or_default();
        match id {
            BLOCK_SIZE => df.scale = block_size("--block-size", val)?,
            TOTAL => total = true,
            SYNC | NO_SYNC => {}
            OUTPUT => {
                let mut fields = output.take().unwrap_or_default();
                match v {
                    Some(list) => output_fields(list.as_bytes(), &mut fields)?,
                    None => {
                        for &(_, f) in &ALL_FIELDS {
                            if !fields.contains(&f) {
                                fields.push(f);
                            }
                        }
                    }
                }
                output = Some(fields);
            }
            _ => match char::from_u32(id) {
                Some('a') => df.all = true,
                Some('B') => df.scale = block_size("-B", val)?,
                Some('h') => df.scale = Scale::Human { si: false },
                Some('H') => df.scale = Scale::Human { si: true },
                Some('i') => inodes = true,
                Some('k') => df.scale = Scale::Blocks(1024, ""),
                Some('l') => df.local = true,
                Some('m') => df.scale = Scale::Blocks(1 << 20, ""),
                Some('P') => posix = true,
                Some('T') => print_type = true,
                Some('t') => df.types.push(val.as_bytes().to_vec()),
                Some('x') => df.excluded.push(val.as_bytes().to_vec()),
                _ => {}
            },
        }
    }
    if output.is_some() {
        for (on, name) in [(inodes, "-i"), (posix, "-P"), (print_type, "-T")] {
            if on {
                return Err(ibex::args::usage_error(
                    &SPEC,
                    &[
                        b"options ",
                        name.as_bytes(),
                        b" and --output are mutually exclusive",
                    ],
                ));
            }
        }
    }
    if let Some(t) = df.types.iter().find(|t| df.excluded.contains(t)) {
        ibex::msg!("file system type '", t, "' both selected and excluded");
        return Ok(1);
    }
    let table = match mounts::read() {
        Ok(t) => t,
        Err(e) => {
            ibex::msg!("cannot read table of mounted file systems: ", e);
            return Ok(1);
        }
    };
    let output_mode = output.is_some();
    let fields = output.unwrap_or_else(|| {
        let mut f = vec![Field::Source];
        if print_type {
            f.push(Field::Fstype);
        }
        if inodes {
            f.extend([Field::Itotal, Field::Iused, Field::Iavail, Field::Ipcent]);
        } else {
            f.extend([Field::Size, Field::Used, Field::Avail, Field::Pcent]);
        }
        f.push(Field::Target);
        f
    });

    let mut out = Out::stdout();
    let files = p.operands();
    let mut rows = Vec::new();
    if files.is_empty() {
        rows = df.listing(&table, &mut out);
    } else {
        for f in &files {
            if let Some(r) = df.for_file(&table, f.as_bytes(), &mut out) {
                rows.push(r);
            }
        }
    }
    if rows.is_empty() {
        if files.is_empty() || df.status == 0 {
            out.flush();
            ibex::msg!("no file systems processed");
        }
        return out.done(1);
    }
    if total {
        let mut sum = Usage::default();
        for r in &rows {
            sum.add(&r.usage);
        }
        let label = |f: Field| {
            if fields.contains(&f) {
                b"total".to_vec()
            } else {
                b"-".to_vec()
            }
        };
        rows.push(Row {
            known: true,
            source: label(Field::Source),
            fstype: b"-".to_vec(),
            target: if fields.contains(&Field::Source) {
                b"-".to_vec()
            } else {
                label(Field::Target)
            },
            file: b"-".to_vec(),
            usage: sum,
        });
    }

    let human = matches!(df.scale, Scale::Human { .. });
    let header = |f: Field| -> Vec<u8> {
        let s: &[u8] = match f {
            Field::Source => b"Filesystem",
            Field::Fstype => b"Type",
            Field::Itotal => b"Inodes",
            Field::Iused => b"IUsed",
            Field::Iavail => b"IFree",
            Field::Ipcent => b"IUse%",
            Field::Size => {
                let mut v = Vec::new();
                match df.scale {
                    Scale::Human { .. } => return b"Size".to_vec(),
                    Scale::Blocks(_, unit) if !unit.is_empty() && !posix => {
                        v.c(b'1').s(unit);
                    }
                    Scale::Blocks(bs, _) => blocks_label(bs, posix, &mut v),
                }
                v.s("-blocks");
                return v;
            }
            Field::Used => b"Used",
            Field::Avail if human || output_mode => b"Avail",
            Field::Avail => b"Available",
            Field::Pcent if posix && !human => b"Capacity",
            Field::Pcent => b"Use%",
            Field::File => b"File",
            Field::Target => b"Mounted on",
        };
        s.to_vec()
    };
    let mut table_cells: Vec<Vec<Vec<u8>>> = Vec::with_capacity(rows.len() + 1);
    table_cells.push(fields.iter().map(|&f| header(f)).collect());
    for r in &rows {
        table_cells.push(fields.iter().map(|&f| df.cell(f, r)).collect());
    }
    let widths: Vec<usize> = fields
        .iter()
        .enumerate()
        .map(|(i, f)| {
            table_cells
                .iter()
                .map(|row| row.get(i).map_or(0, Vec::len))
                .max()
                .unwrap_or(0)
                .max(f.layout().0)
        })
        .collect();
    for row in &table_cells {
        let last = fields.len().saturating_sub(1);
        for (i, (cell, f)) in row.iter().zip(&fields).enumerate() {
            if i > 0 {
                out.byte(b' ');
            }
            let fill = widths[i].saturating_sub(cell.len());
            let left = f.layout().1;
            if !left {
                for _ in 0..fill {
                    out.byte(b' ');
                }
            }
            // Control characters would break the layout.
            for &c in cell {
                out.byte(if c < 0x20 || c == 0x7f { b'?' } else { c });
            }
            if left && i != last {
                for _ in 0..fill {
                    out.byte(b' ');
                }
            }
        }
        out.byte(b'\n');
    }
    let status = df.status;
    out.done(status)
}
