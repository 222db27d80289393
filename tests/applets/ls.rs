//! ls: formats, columns, long listings, sorting, operands, recursion,
//! quoting, colours and errors, checked byte for byte against what GNU ls
//! prints in the C locale.

use crate::harness::*;
use ibex::sys::{self, SetTime, Timespec};
use std::ffi::OsStr;
use std::fs;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::Path;

// ---------------------------------------------------------------- helpers

/// 2020-01-02 03:04:05 UTC: shown as "Jan  2  2020".
const OLD: i64 = 1_577_934_245;

fn bytes(p: &Path) -> &[u8] {
    p.as_os_str().as_bytes()
}

/// Set access and modification times without following a symlink.
fn set_times(p: &Path, atime: i64, mtime: i64) {
    let ts = |s| SetTime::At(Timespec { sec: s, nsec: 0 });
    sys::utimensat(
        sys::Dir::CWD,
        bytes(p),
        ts(atime),
        ts(mtime),
        sys::AT_SYMLINK_NOFOLLOW,
    )
    .unwrap();
}

fn set_mtime(p: &Path, mtime: i64) {
    set_times(p, mtime, mtime);
}

fn chmod(p: &Path, mode: u32) {
    fs::set_permissions(p, fs::Permissions::from_mode(mode)).unwrap();
}

fn symlink(target: &str, p: &Path) {
    std::os::unix::fs::symlink(target, p).unwrap();
}

fn mkfifo(p: &Path) {
    sys::mknodat(sys::Dir::CWD, bytes(p), sys::S_IFIFO | 0o644, 0).unwrap();
}

/// A file of `size` bytes, mode `mode`, modified at `mtime`.
fn file(d: &Dir, name: &str, size: usize, mode: u32, mtime: i64) {
    let p = d.write(name, vec![b'x'; size]);
    chmod(&p, mode);
    set_mtime(&p, mtime);
}

fn now() -> i64 {
    sys::now().sec
}

/// A timestamp formatted as ls shows it (TZ=UTC in the tests).
fn stamp(sec: i64, fmt: &str) -> String {
    let tm = ibex::time::utc(Timespec { sec, nsec: 0 }).unwrap();
    let mut v = Vec::new();
    ibex::time::strftime(fmt.as_bytes(), &tm, &mut v);
    String::from_utf8(v).unwrap()
}

fn ls(d: &Dir, args: &[&str]) -> Run {
    d.run("ls", args)
}

/// Runs `ls` with byte-string arguments.
fn ls_os(d: &Dir, args: &[&[u8]]) -> Run {
    let a: Vec<&OsStr> = args.iter().map(|b| OsStr::from_bytes(b)).collect();
    d.run("ls", &[]).args_os(&a)
}

/// The standard small tree: regular files of known sizes and modes,
/// a directory, symlinks (good, to a directory, dangling), a fifo and a
/// hidden file, all dated 2020-01-02.
fn tree() -> Dir {
    let d = Dir::new();
    file(&d, "a", 3, 0o644, OLD);
    file(&d, "b.txt", 2000, 0o755, OLD);
    file(&d, ".hidden", 1, 0o600, OLD);
    let dir = d.mkdir("d");
    d.write("d/inner", "x");
    set_mtime(&d.p("d/inner"), OLD);
    set_mtime(&dir, OLD);
    symlink("a", &d.p("l"));
    symlink("d", &d.p("dl"));
    symlink("nowhere", &d.p("br"));
    mkfifo(&d.p("p"));
    for n in ["l", "dl", "br", "p"] {
        set_mtime(&d.p(n), OLD);
    }
    d
}

// ---------------------------------------------------------------- names and hidden files

#[test]
fn one_per_line_in_byte_order_when_not_a_terminal() {
    let d = tree();
    ls(&d, &[]).ok("a\nb.txt\nbr\nd\ndl\nl\np\n");
    ls(&d, &["-1"]).ok("a\nb.txt\nbr\nd\ndl\nl\np\n");
    ls(&d, &["-a"]).ok(".\n..\n.hidden\na\nb.txt\nbr\nd\ndl\nl\np\n");
    ls(&d, &["-A"]).ok(".hidden\na\nb.txt\nbr\nd\ndl\nl\np\n");
    ls(&d, &["--all", "--almost-all"]).ok(".hidden\na\nb.txt\nbr\nd\ndl\nl\np\n");
    // Upper case sorts before lower case, digits before letters (C locale).
    let e = Dir::new();
    for n in ["b", "B", "a", "_x", "10", "9", "A1"] {
        e.write(n, "");
    }
    ls(&e, &[]).ok("10\n9\nA1\nB\n_x\na\nb\n");
}

#[test]
fn ignore_patterns() {
    let d = Dir::new();
    for n in ["a.c", "a.o", "b~", ".c~", "keep", ".dot"] {
        d.write(n, "");
    }
    ls(&d, &["-B"]).ok("a.c\na.o\nkeep\n");
    ls(&d, &["-aB"]).ok(".\n..\n.dot\na.c\na.o\nkeep\n");
    ls(&d, &["-I", "*.o"]).ok("a.c\nb~\nkeep\n");
    ls(&d, &["--ignore=[ab]*", "-I", "k?ep"]).ok("");
    // A leading dot is matched only by a literal dot.
    ls(&d, &["-A", "-I", "*"]).ok(".c~\n.dot\n");
    ls(&d, &["-A", "-I", ".*"]).ok("a.c\na.o\nb~\nkeep\n");
    // --hide is overridden by -a and -A; -I is not.
    ls(&d, &["--hide=*.o"]).ok("a.c\nb~\nkeep\n");
    ls(&d, &["-A", "--hide=*.o"]).ok(".c~\n.dot\na.c\na.o\nb~\nkeep\n");
}

// ---------------------------------------------------------------- columns

/// Names of the given lengths: "a", "bb", "ccc", ...
fn names_dir(lens: &[usize]) -> Dir {
    let d = Dir::new();
    for (i, &n) in lens.iter().enumerate() {
        let c = (b'a' + i as u8) as char;
        d.write(&c.to_string().repeat(n), "");
    }
    d
}

#[test]
fn columns_fit_the_width_column_major() {
    let d = names_dir(&[1, 2, 3, 4, 5, 6, 7]);
    // Widest column decides; 2 spaces between, tabs to reach tab stops.
    ls(&d, &["-C", "-w", "80"]).ok("a  bb  ccc  dddd  eeeee  ffffff  ggggggg\n");
    ls(&d, &["-C", "-w", "30"]).ok("a   ccc   eeeee   ggggggg\nbb  dddd  ffffff\n");
    ls(&d, &["-C", "-w", "20"]).ok("a     eeeee\nbb    ffffff\nccc   ggggggg\ndddd\n");
    ls(&d, &["-C", "-w", "12"]).ok("a\nbb\nccc\ndddd\neeeee\nffffff\nggggggg\n");
    // Tab stops every 8 columns (-T, TABSIZE); -T 0: spaces only.
    ls(&d, &["-C", "-w", "20", "-T", "4"]).ok("a\t  eeeee\nbb\t  ffffff\nccc   ggggggg\ndddd\n");
    ls(&d, &["-C", "-w", "20"])
        .env("TABSIZE", "4")
        .ok("a\t  eeeee\nbb\t  ffffff\nccc   ggggggg\ndddd\n");
    ls(&d, &["-C", "-w", "20", "-T", "0"]).ok("a     eeeee\nbb    ffffff\nccc   ggggggg\ndddd\n");
    // Line length must stay below the width: 80 characters need -w 81.
    let w = Dir::new();
    w.write(&"a".repeat(38), "");
    w.write(&"b".repeat(40), "");
    let two = format!("{}\t{}\n", "a".repeat(38), "b".repeat(40));
    let one = format!("{}\n{}\n", "a".repeat(38), "b".repeat(40));
    ls(&w, &["-C", "-w", "81"]).ok(&two);
    ls(&w, &["-C", "-w", "80"]).ok(&one);
}

#[test]
fn columns_minimum_width_and_many_short_names() {
    let d = Dir::new();
    for c in b'A'..b'A' + 40 {
        d.write(&(c as char).to_string(), "");
    }
    let row1: Vec<String> = (0..20)
        .map(|i| ((b'A' + 2 * i) as char).to_string())
        .collect();
    let row2: Vec<String> = (0..20)
        .map(|i| ((b'A' + 2 * i + 1) as char).to_string())
        .collect();
    // 20 columns of 3 (a tab lands where a stop is crossed).
    let fmt = |r: &[String]| {
        let mut s = String::new();
        let mut pos = 0;
        for (i, n) in r.iter().enumerate() {
            if i > 0 {
                let to = pos + 3;
                let mut from = pos + 1;
                while from < to {
                    if to / 8 > (from + 1) / 8 {
                        s.push('\t');
                        from += 8 - from % 8;
                    } else {
                        s.push(' ');
                        from += 1;
                    }
                }
                pos = to;
            }
            s.push_str(n);
        }
        s.push('\n');
        s
    };
    ls(&d, &["-C"]).ok(format!("{}{}", fmt(&row1), fmt(&row2)));
    let o = ls(&d, &["-C", "-w", "4"]).go();
    assert!(o.out().starts_with("A  U\nB  V\n"), "{}", o.out());
    ls(&names_dir(&[1, 1, 1]), &["-C", "-w", "7"]).ok("a  b  c\n");
    ls(&names_dir(&[1, 1, 1]), &["-C", "-w", "6"]).ok("a  c\nb\n");
}

#[test]
fn across_commas_and_unlimited_width() {
    let d = names_dir(&[1, 2, 3, 4, 5, 6, 7]);
    ls(&d, &["-x", "-w", "20"]).ok("a\t bb\nccc\t dddd\neeeee\t ffffff\nggggggg\n");
    ls(&d, &["-x", "-w", "30"]).ok("a      bb      ccc\tdddd\neeeee  ffffff  ggggggg\n");
    ls(&d, &["-m", "-w", "20"]).ok("a, bb, ccc, dddd,\neeeee, ffffff,\nggggggg\n");
    ls(&d, &["-m"]).ok("a, bb, ccc, dddd, eeeee, ffffff, ggggggg\n");
    // Width 0: no limit, everything on one line.
    ls(&d, &["-C", "-w", "0"]).ok("a  bb  ccc  dddd  eeeee  ffffff  ggggggg\n");
    ls(&d, &["-m", "-w", "0"]).ok("a, bb, ccc, dddd, eeeee, ffffff, ggggggg\n");
    ls(&d, &["--format=commas", "-w", "12"]).ok("a, bb, ccc,\ndddd, eeeee,\nffffff,\nggggggg\n");
    ls(&d, &["--format=across", "-w", "20"]).ok("a\t bb\nccc\t dddd\neeeee\t ffffff\nggggggg\n");
    ls(&d, &["--format=vertical", "-w", "30"]).ok("a   ccc   eeeee   ggggggg\nbb  dddd  ffffff\n");
    ls(&d, &["-l", "--format=single-column"]).ok("a\nbb\nccc\ndddd\neeeee\nffffff\nggggggg\n");
}

#[test]
fn columns_from_the_environment() {
    let d = names_dir(&[1, 2, 3, 4, 5, 6, 7]);
    ls(&d, &["-C"])
        .env("COLUMNS", "20")
        .ok("a     eeeee\nbb    ffffff\nccc   ggggggg\ndddd\n");
    // -w wins over COLUMNS.
    ls(&d, &["-C", "-w", "80"])
        .env("COLUMNS", "20")
        .ok("a  bb  ccc  dddd  eeeee  ffffff  ggggggg\n");
    ls(&d, &["-C"]).env("COLUMNS", "abc").go().expect(
        0,
        b"a  bb  ccc  dddd  eeeee  ffffff  ggggggg\n",
        b"ls: ignoring invalid width in environment variable COLUMNS: 'abc'\n",
    );
    // COLUMNS is not even read for one-per-line output.
    ls(&d, &["-1"])
        .env("COLUMNS", "abc")
        .ok("a\nbb\nccc\ndddd\neeeee\nffffff\nggggggg\n");
    ls(&d, &["-C"])
        .env("COLUMNS", "0")
        .ok("a  bb  ccc  dddd  eeeee  ffffff  ggggggg\n");
}

#[test]
fn columns_with_inode_and_size_frills() {
    let d = Dir::new();
    file(&d, "x", 1, 0o644, OLD);
    file(&d, "yy", 5000, 0o644, OLD);
    let bx = fs::metadata(d.p("x")).unwrap().blocks().div_ceil(2);
    let by = fs::metadata(d.p("yy")).unwrap().blocks().div_ceil(2);
    let w = bx.to_string().len().max(by.to_string().len());
    let total = bx + by;
    ls(&d, &["-s", "-C"]).ok(format!("total {total}\n{bx:>w$} x  {by:>w$} yy\n"));
    ls(&d, &["-s", "-m"]).ok(format!("total {total}\n{bx} x, {by} yy\n"));
    let ix = fs::metadata(d.p("x")).unwrap().ino();
    let iy = fs::metadata(d.p("yy")).unwrap().ino();
    let iw = ix.to_string().len().max(iy.to_string().len());
    ls(&d, &["-i"]).ok(format!("{ix:>iw$} x\n{iy:>iw$} yy\n"));
}

// ---------------------------------------------------------------- long format

#[test]
fn long_format_columns_align_as_gnu() {
    let d = Dir::new();
    file(&d, "a", 3, 0o644, OLD);
    file(&d, "big", 123_456, 0o750, OLD);
    file(&d, "s", 0, 0o4755, OLD);
    file(&d, "t", 0, 0o1000, OLD);
    fs::hard_link(d.p("a"), d.p("a2")).unwrap();
    ls(&d, &["-n"]).ok("total 128\n\
         -rw-r--r-- 2 0 0      3 Jan  2  2020 a\n\
         -rw-r--r-- 2 0 0      3 Jan  2  2020 a2\n\
         -rwxr-x--- 1 0 0 123456 Jan  2  2020 big\n\
         -rwsr-xr-x 1 0 0      0 Jan  2  2020 s\n\
         ---------T 1 0 0      0 Jan  2  2020 t\n"
        .replace(
            "total 128",
            &format!("total {}", total_kib(&d, &["a", "a2", "big", "s", "t"])),
        )
        .replace(" 0 0 ", &format!(" {} {} ", uid(&d), gid(&d))));
    // -g drops the owner, -o the group, -G the group too.
    ls(&d, &["-g", "a"]).ok(format!("-rw-r--r-- 2 {} 3 Jan  2  2020 a\n", gname(&d)));
    ls(&d, &["-o", "a"]).ok(format!("-rw-r--r-- 2 {} 3 Jan  2  2020 a\n", uname(&d)));
    ls(&d, &["-lG", "a"]).ok(format!("-rw-r--r-- 2 {} 3 Jan  2  2020 a\n", uname(&d)));
    ls(&d, &["-og", "a"]).ok("-rw-r--r-- 2 3 Jan  2  2020 a\n");
    ls(&d, &["-l", "--author", "a"]).ok(format!(
        "-rw-r--r-- 2 {u} {g} {u} 3 Jan  2  2020 a\n",
        u = uname(&d),
        g = gname(&d)
    ));
    ls(&d, &["-lZ", "a"]).ok(format!(
        "-rw-r--r-- 2 {} {} ? 3 Jan  2  2020 a\n",
        uname(&d),
        gname(&d)
    ));
}

fn uid(d: &Dir) -> u32 {
    fs::metadata(&d.path).unwrap().uid()
}
fn gid(d: &Dir) -> u32 {
    fs::metadata(&d.path).unwrap().gid()
}
/// Owner and group names as ls finds them (numbers when unknown).
fn uname(d: &Dir) -> String {
    name_of("/etc/passwd", uid(d))
}
fn gname(d: &Dir) -> String {
    name_of("/etc/group", gid(d))
}
fn name_of(db: &str, id: u32) -> String {
    let text = fs::read_to_string(db).unwrap_or_default();
    text.lines()
        .map(|l| l.split(':').collect::<Vec<_>>())
        .find(|f| f.len() > 2 && f[2] == id.to_string())
        .map_or(id.to_string(), |f| f[0].to_string())
}
/// The "total" of 1K blocks for these names.
fn total_kib(d: &Dir, names: &[&str]) -> u64 {
    let blocks: u64 = names
        .iter()
        .map(|n| fs::symlink_metadata(d.p(n)).unwrap().blocks())
        .sum();
    blocks.div_ceil(2)
}

#[test]
fn long_format_owner_names_and_numbers() {
    if skip_unless_root("long_format_owner_names_and_numbers") {
        return;
    }
    let d = Dir::new();
    file(&d, "mine", 1, 0o644, OLD);
    file(&d, "theirs", 22, 0o644, OLD);
    sys::fchownat(sys::Dir::CWD, bytes(&d.p("theirs")), 99999, 5678, 0).unwrap();
    // Names left-aligned, unknown ids as numbers right-aligned.
    ls(&d, &["-l", "mine", "theirs"]).ok("-rw-r--r-- 1 root  root  1 Jan  2  2020 mine\n\
         -rw-r--r-- 1 99999 5678 22 Jan  2  2020 theirs\n");
    ls(&d, &["-n", "mine", "theirs"]).ok("-rw-r--r-- 1     0    0  1 Jan  2  2020 mine\n\
         -rw-r--r-- 1 99999 5678 22 Jan  2  2020 theirs\n");
}

#[test]
fn long_format_devices() {
    if skip_unless_root("long_format_devices") {
        return;
    }
    let d = Dir::new();
    let mk = |n: &str, kind, maj, min| {
        sys::mknodat(
            sys::Dir::CWD,
            bytes(&d.p(n)),
            kind | 0o640,
            sys::makedev(maj, min),
        )
        .unwrap();
        set_mtime(&d.p(n), OLD);
    };
    mk("blk", sys::S_IFBLK, 7, 0);
    mk("chr", sys::S_IFCHR, 1, 3);
    mk("wide", sys::S_IFCHR, 136, 12);
    file(&d, "f", 5, 0o644, OLD);
    ls(&d, &["-n", "blk", "chr", "wide", "f"]).ok("brw-r----- 1 0 0   7,  0 Jan  2  2020 blk\n\
         crw-r----- 1 0 0   1,  3 Jan  2  2020 chr\n\
         -rw-r--r-- 1 0 0       5 Jan  2  2020 f\n\
         crw-r----- 1 0 0 136, 12 Jan  2  2020 wide\n");
    ls(&d, &["-F", "blk", "chr"]).ok("blk\nchr\n");
}

#[test]
fn long_format_dates() {
    let d = Dir::new();
    let n = now();
    file(&d, "old", 0, 0o644, OLD);
    file(&d, "recent", 0, 0o644, n - 3600);
    file(&d, "future", 0, 0o644, n + 400 * 86400);
    file(&d, "halfyear", 0, 0o644, n - 200 * 86400);
    let recent = stamp(n - 3600, "%b %e %H:%M");
    let future = stamp(n + 400 * 86400, "%b %e  %Y");
    let half = stamp(n - 200 * 86400, "%b %e  %Y");
    ls(&d, &["-og"]).ok(format!(
        "total 0\n\
         -rw-r--r-- 1 0 {future} future\n\
         -rw-r--r-- 1 0 {half} halfyear\n\
         -rw-r--r-- 1 0 Jan  2  2020 old\n\
         -rw-r--r-- 1 0 {recent} recent\n"
    ));
    ls(&d, &["-og", "--full-time", "old"])
        .ok("-rw-r--r-- 1 0 2020-01-02 03:04:05.000000000 +0000 old\n");
    ls(&d, &["-og", "--time-style=long-iso", "old"]).ok("-rw-r--r-- 1 0 2020-01-02 03:04 old\n");
    ls(&d, &["-og", "--time-style=full-iso", "old"])
        .ok("-rw-r--r-- 1 0 2020-01-02 03:04:05.000000000 +0000 old\n");
    // iso: a date for old files, month-day and time for recent ones.
    ls(&d, &["-og", "--time-style=iso", "old", "recent"]).ok(format!(
        "-rw-r--r-- 1 0 2020-01-02  old\n-rw-r--r-- 1 0 {} recent\n",
        stamp(n - 3600, "%m-%d %H:%M")
    ));
    ls(&d, &["-og", "--time-style=+%s|%Y", "old"]).ok("-rw-r--r-- 1 0 1577934245|2020 old\n");
    ls(&d, &["-og", "--time-style=+OLD\nNEW", "old", "recent"])
        .ok("-rw-r--r-- 1 0 OLD old\n-rw-r--r-- 1 0 NEW recent\n");
    ls(&d, &["-og", "--time-style=locale", "old"]).ok("-rw-r--r-- 1 0 Jan  2  2020 old\n");
    ls(&d, &["-og", "--time-style=posix-long-iso", "old"]).ok("-rw-r--r-- 1 0 Jan  2  2020 old\n");
    ls(&d, &["-og", "old"])
        .env("TIME_STYLE", "long-iso")
        .ok("-rw-r--r-- 1 0 2020-01-02 03:04 old\n");
    // A zone from TZ.
    ls(&d, &["-og", "--full-time", "old"])
        .env("TZ", "EST5")
        .ok("-rw-r--r-- 1 0 2020-01-01 22:04:05.000000000 -0500 old\n");
    ls(&d, &["-og", "--time-style=bogus", "old"]).go().expect(
        2,
        b"",
        b"ls: invalid argument 'bogus' for 'time style'\nValid arguments are:\n  - [posix-]full-iso\n  - [posix-]long-iso\n  - [posix-]iso\n  - [posix-]locale\n  - +FORMAT (e.g., +%H:%M) for a 'date'-style format\nUsage: ls [-1AaCxdLHRFplinshrSXvctu] [-w WIDTH] [FILE]...\n",
    );
    // The style is only checked for long listings.
    ls(&d, &["--time-style=bogus", "old"]).ok("old\n");
    ls(&d, &["-og", "--time-style=+a\nb\nc", "old"])
        .fails(2, "ls: invalid time style format 'a\\nb\\nc'\n");
}

#[test]
fn access_and_change_times() {
    let d = Dir::new();
    file(&d, "x", 0, 0o644, OLD);
    file(&d, "y", 0, 0o644, OLD);
    set_times(&d.p("x"), OLD + 86400 * 40, OLD);
    set_times(&d.p("y"), OLD + 86400 * 10, OLD + 5);
    ls(&d, &["-og", "-u"])
        .ok("total 0\n-rw-r--r-- 1 0 Feb 11  2020 x\n-rw-r--r-- 1 0 Jan 12  2020 y\n");
    // -u alone sorts by access time, newest first; -t by mtime.
    ls(&d, &["-u"]).ok("x\ny\n");
    ls(&d, &["-t"]).ok("y\nx\n");
    ls(&d, &["-tu"]).ok("x\ny\n");
    ls(&d, &["--time=access", "-1"]).ok("x\ny\n");
    ls(&d, &["--time=atime", "-l", "-o", "-g"])
        .ok("total 0\n-rw-r--r-- 1 0 Feb 11  2020 x\n-rw-r--r-- 1 0 Jan 12  2020 y\n");
    // -c: change times (now, for both): with -l sorted by name, else by ctime.
    let o = ls(&d, &["-c", "-1"]).go();
    assert_eq!(o.code, 0);
    assert_eq!(o.out().lines().count(), 2);
    let o = ls(&d, &["-lc", "-og"]).go();
    assert!(o.out().contains(&stamp(now(), "%b %e")), "{}", o.out());
}

// ---------------------------------------------------------------- symlinks and indicators

#[test]
fn symlinks_in_long_format() {
    let d = tree();
    let line = |name: &str, target: &str| {
        let len = target.len();
        format!("lrwxrwxrwx 1 {len} Jan  2  2020 {name} -> {target}")
    };
    ls(&d, &["-og", "l", "dl", "br"]).ok(format!(
        "{}\n{}\n{}\n",
        line("br", "nowhere"),
        line("dl", "d"),
        line("l", "a")
    ));
    // -F marks the target, not the link.
    ls(&d, &["-ogF", "l", "dl", "br"]).ok(format!(
        "{}\n{}/\n{}\n",
        line("br", "nowhere"),
        line("dl", "d"),
        line("l", "a")
    ));
    // -L shows the target itself; a dangling link cannot be followed.
    ls(&d, &["-ogL", "l"]).ok("-rw-r--r-- 1 3 Jan  2  2020 l\n");
    ls(&d, &["-ogL", "br"]).fails(2, "ls: cannot access 'br': No such file or directory\n");
}

#[test]
fn indicators() {
    let d = tree();
    file(&d, "sock-not", 0, 0o644, OLD);
    ls(&d, &["-F"]).ok("a\nb.txt*\nbr@\nd/\ndl@\nl@\np|\nsock-not\n");
    ls(&d, &["--classify"]).ok("a\nb.txt*\nbr@\nd/\ndl@\nl@\np|\nsock-not\n");
    ls(&d, &["--file-type"]).ok("a\nb.txt\nbr@\nd/\ndl@\nl@\np|\nsock-not\n");
    ls(&d, &["-p"]).ok("a\nb.txt\nbr\nd/\ndl\nl\np\nsock-not\n");
    ls(&d, &["--indicator-style=classify"]).ok("a\nb.txt*\nbr@\nd/\ndl@\nl@\np|\nsock-not\n");
    ls(&d, &["--indicator-style=none", "-d", "d"]).ok("d\n");
    ls(&d, &["--classify=never", "-d", "d"]).ok("d\n");
    // Not a terminal: auto means never.
    ls(&d, &["--classify=auto", "-d", "d"]).ok("d\n");
    // The indicator counts in column widths.
    ls(&d, &["-F", "-C", "-w", "30"]).ok("a\tbr@  dl@  p|\nb.txt*\td/   l@   sock-not\n");
    // -L shows what links point to; a dangling one is reported (status 1
    // inside a directory) and keeps its own type.
    ls(&d, &["-LF", "l", "dl/.."]).go().expect(
        1,
        b"l\n\ndl/..:\na\nb.txt*\nbr@\nd/\ndl/\nl\np|\nsock-not\n",
        b"ls: cannot access 'dl/../br': No such file or directory\n",
    );
}

// ---------------------------------------------------------------- sorting

#[test]
fn sort_by_time_size_extension_version() {
    let d = Dir::new();
    file(&d, "new", 10, 0o644, OLD + 300);
    file(&d, "mid1", 30, 0o644, OLD + 200);
    file(&d, "mid2", 30, 0o644, OLD + 200);
    file(&d, "old", 20, 0o644, OLD + 100);
    ls(&d, &["-t"]).ok("new\nmid1\nmid2\nold\n");
    ls(&d, &["-tr"]).ok("old\nmid2\nmid1\nnew\n");
    ls(&d, &["--sort=time"]).ok("new\nmid1\nmid2\nold\n");
    ls(&d, &["-S"]).ok("mid1\nmid2\nold\nnew\n");
    ls(&d, &["-Sr"]).ok("new\nold\nmid2\nmid1\n");
    ls(&d, &["--sort=size"]).ok("mid1\nmid2\nold\nnew\n");
    ls(&d, &["-r"]).ok("old\nnew\nmid2\nmid1\n");
    let e = Dir::new();
    for n in ["b.c", "a.h", "z", "a.c", ".x.a", "c.tar.gz", "d.gz"] {
        e.write(n, "");
    }
    ls(&e, &["-X"]).ok("z\na.c\nb.c\nc.tar.gz\nd.gz\na.h\n");
    ls(&e, &["-AX"]).ok("z\n.x.a\na.c\nb.c\nc.tar.gz\nd.gz\na.h\n");
    ls(&e, &["--sort=extension", "-r"]).ok("a.h\nd.gz\nc.tar.gz\nb.c\na.c\nz\n");
    let v = Dir::new();
    for n in [
        "a10",
        "a2",
        "a1",
        "a02",
        "a1.tar.gz",
        "b1.10",
        "b1.9",
        "x~",
        "x",
        ".h2",
        ".h10",
    ] {
        v.write(n, "");
    }
    ls(&v, &["-v"]).ok("a1\na1.tar.gz\na02\na2\na10\nb1.9\nb1.10\nx~\nx\n");
    ls(&v, &["-vA"]).ok(".h2\n.h10\na1\na1.tar.gz\na02\na2\na10\nb1.9\nb1.10\nx~\nx\n");
    ls(&v, &["--sort=version", "-r"]).ok("x\nx~\nb1.10\nb1.9\na10\na2\na02\na1.tar.gz\na1\n");
    ls(&v, &["--sort=width", "-I", "*.*"]).ok("x\na1\na2\nx~\na02\na10\n");
}

#[test]
fn unsorted_and_directories_first() {
    let d = tree();
    // -U keeps the directory's order: the same names, some order.
    let o = ls(&d, &["-U"]).go();
    let mut got: Vec<&str> = o
        .stdout
        .split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .map(|l| std::str::from_utf8(l).unwrap())
        .collect();
    got.sort_unstable();
    assert_eq!(got, ["a", "b.txt", "br", "d", "dl", "l", "p"]);
    let o = ls(&d, &["-f"]).go();
    assert_eq!(o.out().lines().count(), 10, "-f implies -a");
    ls(&d, &["--group-directories-first"]).ok("d\ndl\na\nb.txt\nbr\nl\np\n");
    ls(&d, &["--group-directories-first", "-r"]).ok("dl\nd\np\nl\nbr\nb.txt\na\n");
    ls(&d, &["--group-directories-first", "-S", "a", "b.txt", "d"]).ok("b.txt\na\n\nd:\ninner\n");
}

// ---------------------------------------------------------------- operands

#[test]
fn files_first_then_directories_with_headers() {
    let d = tree();
    d.mkdir("e");
    // One directory: no header.
    ls(&d, &["d"]).ok("inner\n");
    ls(&d, &["e"]).ok("");
    // Files first (sorted), a blank line, then each directory.
    ls(&d, &["e", "d", "b.txt", "a"]).ok("a\nb.txt\n\nd:\ninner\n\ne:\n");
    ls(&d, &["d", "e"]).ok("d:\ninner\n\ne:\n");
    ls(&d, &["-l", "e"]).ok("total 0\n");
    ls(&d, &["a", "a"]).ok("a\na\n");
    ls(&d, &["-d", "d", "e", "a"]).ok("a\nd\ne\n");
    ls(&d, &["-d"]).ok(".\n");
    ls(&d, &["-dR", "d"]).ok("d\n");
    ls(&d, &["d/"]).ok("inner\n");
    ls(&d, &["-d", "d/", "d//"]).ok("d/\nd//\n");
}

#[test]
fn missing_operands_are_reported_and_others_listed() {
    let d = tree();
    ls(&d, &["nope"]).fails(2, "ls: cannot access 'nope': No such file or directory\n");
    ls(&d, &["nope", "a", "d"]).go().expect(
        2,
        b"a\n\nd:\ninner\n",
        b"ls: cannot access 'nope': No such file or directory\n",
    );
    // A missing operand still makes the directory get a header.
    ls(&d, &["nope", "d"]).go().expect(
        2,
        b"d:\ninner\n",
        b"ls: cannot access 'nope': No such file or directory\n",
    );
    ls(&d, &[""]).fails(2, "ls: cannot access '': No such file or directory\n");
    ls(&d, &["a/x"]).fails(2, "ls: cannot access 'a/x': Not a directory\n");
    // Names in messages are shell-quoted.
    ls(&d, &["it's", "a b", "x\ny"]).go().expect(
        2,
        b"",
        b"ls: cannot access \"it's\": No such file or directory\nls: cannot access 'a b': No such file or directory\nls: cannot access 'x'$'\\n''y': No such file or directory\n",
    );
}

#[test]
fn command_line_symlinks_to_directories() {
    let d = tree();
    // Followed by default...
    ls(&d, &["dl"]).ok("inner\n");
    ls(&d, &["-p", "dl"]).ok("inner\n");
    // ...but not with -l, -d or -F (GNU's rule)...
    ls(&d, &["-og", "dl"]).ok("lrwxrwxrwx 1 1 Jan  2  2020 dl -> d\n");
    ls(&d, &["-d", "dl"]).ok("dl\n");
    ls(&d, &["-F", "dl"]).ok("dl@\n");
    // ...unless asked with -H, -L or --dereference-command-line-symlink-to-dir.
    ls(&d, &["-H", "-1", "-F", "dl"]).ok("inner\n");
    ls(&d, &["-Ll", "-o", "-g", "dl"]).ok("total 4\n-rw-r--r-- 1 1 Jan  2  2020 inner\n"
        .replace("total 4", &format!("total {}", total_kib(&d, &["d/inner"]))));
    ls(
        &d,
        &["--dereference-command-line-symlink-to-dir", "-og", "dl"],
    )
    .ok("total 4\n-rw-r--r-- 1 1 Jan  2  2020 inner\n"
        .replace("total 4", &format!("total {}", total_kib(&d, &["d/inner"]))));
    // A trailing slash follows too.
    ls(&d, &["-og", "dl/"]).ok("total 4\n-rw-r--r-- 1 1 Jan  2  2020 inner\n"
        .replace("total 4", &format!("total {}", total_kib(&d, &["d/inner"]))));
    // Inside directories, links are never followed without -L.
    ls(&d, &["-R", "."]).ok(".:\na\nb.txt\nbr\nd\ndl\nl\np\n\n./d:\ninner\n");
}

// ---------------------------------------------------------------- recursion

#[test]
fn recursive_layout() {
    let d = Dir::new();
    for p in ["t/a/x/y", "t/b/c/z", "t/f", "t/a/.hid/h"] {
        d.write(p, "");
    }
    d.mkdir("t/e");
    ls(&d, &["-R", "t"])
        .ok("t:\na\nb\ne\nf\n\nt/a:\nx\n\nt/a/x:\ny\n\nt/b:\nc\n\nt/b/c:\nz\n\nt/e:\n");
    ls(&d, &["-R", "t/"])
        .ok("t/:\na\nb\ne\nf\n\nt/a:\nx\n\nt/a/x:\ny\n\nt/b:\nc\n\nt/b/c:\nz\n\nt/e:\n");
    ls(&d, &["-RA", "t/a"]).ok("t/a:\n.hid\nx\n\nt/a/.hid:\nh\n\nt/a/x:\ny\n");
    ls(&d, &["-Ra", "t/a"]).ok("t/a:\n.\n..\n.hid\nx\n\nt/a/.hid:\n.\n..\nh\n\nt/a/x:\n.\n..\ny\n");
    ls(&d, &["-Rr", "t/b"]).ok("t/b:\nc\n\nt/b/c:\nz\n");
    ls(&d, &["-R", "t/f", "t/e", "t/b"]).ok("t/f\n\nt/b:\nc\n\nt/b/c:\nz\n\nt/e:\n");
    let cwd = Dir::new();
    cwd.write("s/f", "");
    ls(&cwd, &["-R"]).ok(".:\ns\n\n./s:\nf\n");
    // Depth on an explicit stack: a deep chain lists without trouble.
    let deep = Dir::new();
    let mut p = std::path::PathBuf::from("r");
    for _ in 0..200 {
        p.push("d");
    }
    deep.mkdir(p.to_str().unwrap());
    let o = ls(&deep, &["-R", "r"]).go();
    assert_eq!(o.code, 0, "{}", o.err());
    assert_eq!(o.out().matches(":\n").count(), 201);
}

#[test]
fn recursive_loops_through_symlinks_with_l() {
    let d = Dir::new();
    d.mkdir("a/b");
    symlink("..", &d.p("a/b/up"));
    ls(&d, &["-RL", "a"]).go().expect(
        2,
        b"a:\nb\n\na/b:\nup\n",
        b"ls: a/b/up: not listing already-listed directory\n",
    );
    // Without -L the link is just listed.
    ls(&d, &["-R", "a"]).ok("a:\nb\n\na/b:\nup\n");
}

#[test]
fn unreadable_directories_statuses() {
    // Root reads everything: run as nobody when setpriv exists.
    if !is_root() || !Path::new("/usr/bin/setpriv").exists() {
        eprintln!("SKIPPED unreadable_directories_statuses: needs root and setpriv");
        return;
    }
    let d = Dir::new();
    chmod(&d.path, 0o755);
    d.write("top/ok/f", "");
    d.write("top/sub/g", "");
    chmod(&d.p("top/sub"), 0o000);
    let as_nobody = |args: &str| {
        d.sh(&format!(
            "exec setpriv --reuid=65534 --regid=65534 --clear-groups $B/ls {args}"
        ))
        .go()
    };
    // A subdirectory that cannot be read: status 1.
    as_nobody("-R top").expect(
        1,
        b"top:\nok\nsub\n\ntop/ok:\nf\n",
        b"ls: cannot open directory 'top/sub': Permission denied\n",
    );
    // A command-line directory: status 2, the others still listed.
    as_nobody("top/sub top/ok").expect(
        2,
        b"top/ok:\nf\n",
        b"ls: cannot open directory 'top/sub': Permission denied\n",
    );
    // Readable but not searchable: names listed, details unknown.
    chmod(&d.p("top/sub"), 0o644);
    as_nobody("-l top/sub").expect(
        1,
        b"total 0\n-????????? ? ? ? ?            ? g\n",
        b"ls: cannot access 'top/sub/g': Permission denied\n",
    );
    as_nobody("top/sub").expect(0, b"g\n", b"");
    as_nobody("-i top/sub").expect(
        1,
        b"? g\n",
        b"ls: cannot access 'top/sub/g': Permission denied\n",
    );
}

// ---------------------------------------------------------------- names

#[test]
fn nonprintable_and_non_utf8_names() {
    let d = Dir::new();
    for n in [&b"a\x01b"[..], b"caf\xe9", b"n\nl", b"sp ace", b"plain"] {
        fs::write(d.path.join(OsStr::from_bytes(n)), "").unwrap();
    }
    // Not a terminal: raw bytes.
    ls(&d, &[])
        .go()
        .expect(0, b"a\x01b\ncaf\xe9\nn\nl\nplain\nsp ace\n", b"");
    ls(&d, &["-q"]).ok("a?b\ncaf?\nn?l\nplain\nsp ace\n");
    ls(&d, &["--hide-control-chars"]).ok("a?b\ncaf?\nn?l\nplain\nsp ace\n");
    ls(&d, &["-q", "--show-control-chars"]).go().expect(
        0,
        b"a\x01b\ncaf\xe9\nn\nl\nplain\nsp ace\n",
        b"",
    );
    ls(&d, &["-b"]).ok("a\\001b\ncaf\\351\nn\\nl\nplain\nsp\\ ace\n");
    ls(&d, &["--escape"]).ok("a\\001b\ncaf\\351\nn\\nl\nplain\nsp\\ ace\n");
    ls(&d, &["-Q"]).ok("\"a\\001b\"\n\"caf\\351\"\n\"n\\nl\"\n\"plain\"\n\"sp ace\"\n");
    ls(&d, &["-N", "-q"]).ok("a?b\ncaf?\nn?l\nplain\nsp ace\n");
    ls(&d, &["--quoting-style=shell-escape"])
        .ok("'a'$'\\001''b'\n'caf'$'\\351'\n'n'$'\\n''l'\nplain\n'sp ace'\n");
    ls(&d, &["--quoting-style=shell-always"]).go().expect(
        0,
        b"'a\x01b'\n'caf\xe9'\n'n\nl'\n'plain'\n'sp ace'\n",
        b"",
    );
    ls(&d, &["--quoting-style=shell", "-q"]).ok("a?b\ncaf?\n'n?l'\nplain\n'sp ace'\n");
    ls(&d, &["--quoting-style=c-maybe"])
        .ok("\"a\\001b\"\n\"caf\\351\"\n\"n\\nl\"\nplain\nsp ace\n");
    ls(&d, &["--quoting-style=locale"]).ok("'a\\001b'\n'caf\\351'\n'n\\nl'\n'plain'\n'sp ace'\n");
    // Shell quoting in long listings pads unquoted names to line up.
    let o = ls(
        &d,
        &["-og", "--quoting-style=shell-escape", "plain", "sp ace"],
    )
    .go();
    assert_eq!(
        o.out(),
        "-rw-r--r-- 1 0 Jan  1  1970  plain\n-rw-r--r-- 1 0 Jan  1  1970 'sp ace'\n".replace(
            "Jan  1  1970",
            &stamp(fs::metadata(d.p("plain")).unwrap().mtime(), "%b %e %H:%M")
        )
    );
    // Widths in columns count printable bytes only, unless -q.
    ls(&d, &["-C", "-w", "30"])
        .go()
        .expect(0, b"a\x01b  caf\xe9  n\nl  plain  sp ace\n", b"");
    ls(&d, &["-qC", "-w", "30"]).ok("a?b  caf?  n?l\tplain  sp ace\n");
    ls(&d, &["-qC", "-w", "25"]).ok("a?b   n?l    sp ace\ncaf?  plain\n");
    // Byte-string operands too.
    ls_os(&d, &[b"caf\xe9", b"nope\xff"]).go().expect(
        2,
        b"caf\xe9\n",
        b"ls: cannot access 'nope'$'\\377': No such file or directory\n",
    );
}

#[test]
fn quoting_headers_and_special_characters() {
    let d = Dir::new();
    d.write("di:r/x y", "");
    ls(&d, &["-R", "-b"]).ok(".:\ndi:r\n\n./di\\:r:\nx\\ y\n");
    // Only headers quote ':'.
    ls(&d, &["-R", "--quoting-style=shell-escape"]).ok(".:\ndi:r\n\n'./di:r':\n'x y'\n");
    ls(&d, &["-R", "-Q"]).ok("\".\":\n\"di:r\"\n\n\"./di\\:r\":\n\"x y\"\n");
    let e = Dir::new();
    for n in ["it's", "x*", "-dash", "#h", "a#"] {
        e.write(n, "");
    }
    ls(&e, &["--quoting-style=shell"]).ok("'#h'\n-dash\na#\n\"it's\"\n'x*'\n");
    ls(&e, &["--quoting-style=c"]).ok("\"#h\"\n\"-dash\"\n\"a#\"\n\"it's\"\n\"x*\"\n");
    ls(&e, &["--quoting-style=escape"]).ok("#h\n-dash\na#\nit's\nx*\n");
    ls(&e, &["--quoting-style=c-maybe", "--file-type"]).ok("#h\n-dash\na#\nit's\n\"x*\"\n");
    ls(&e, &[])
        .env("QUOTING_STYLE", "c")
        .ok("\"#h\"\n\"-dash\"\n\"a#\"\n\"it's\"\n\"x*\"\n");
    ls(&e, &["-N"])
        .env("QUOTING_STYLE", "c")
        .ok("#h\n-dash\na#\nit's\nx*\n");
    ls(&e, &[]).env("QUOTING_STYLE", "bad").go().expect(
        0,
        b"#h\n-dash\na#\nit's\nx*\n",
        b"ls: ignoring invalid value of environment variable QUOTING_STYLE: 'bad'\n",
    );
}

// ---------------------------------------------------------------- sizes and blocks

#[test]
fn block_sizes_and_human_sizes() {
    let d = Dir::new();
    file(&d, "small", 3, 0o644, OLD);
    file(&d, "k2", 2000, 0o644, OLD);
    file(&d, "m", 1_500_000, 0o644, OLD);
    let kib = |n: &str| fs::metadata(d.p(n)).unwrap().blocks().div_ceil(2);
    let total = kib("small") + kib("k2") + kib("m");
    let o = ls(&d, &["-s"]).go();
    let w = total.to_string().len().max(kib("m").to_string().len());
    let _ = w;
    assert_eq!(
        o.out(),
        format!(
            "total {total}\n{:>a$} k2\n{:>a$} m\n{:>a$} small\n",
            kib("k2"),
            kib("m"),
            kib("small"),
            a = kib("m").to_string().len()
        )
    );
    ls(&d, &["-sk", "small"]).ok(format!("{} small\n", kib("small")));
    // Sizes in long listings: bytes, or human units.
    ls(&d, &["-og", "-h"]).ok(format!(
        "total {}\n-rw-r--r-- 1 2.0K Jan  2  2020 k2\n-rw-r--r-- 1 1.5M Jan  2  2020 m\n-rw-r--r-- 1    3 Jan  2  2020 small\n",
        human_kib(total)
    ));
    ls(&d, &["-og", "--si", "k2", "m", "small"]).ok(
        "-rw-r--r-- 1 2.0k Jan  2  2020 k2\n-rw-r--r-- 1 1.5M Jan  2  2020 m\n-rw-r--r-- 1    3 Jan  2  2020 small\n",
    );
    ls(&d, &["-og", "--block-size=K", "k2", "small"])
        .ok("-rw-r--r-- 1 2K Jan  2  2020 k2\n-rw-r--r-- 1 1K Jan  2  2020 small\n");
    ls(&d, &["-og", "--block-size=1K", "k2"]).ok("-rw-r--r-- 1 2 Jan  2  2020 k2\n");
    ls(&d, &["-og", "--block-size=KB", "k2"]).ok("-rw-r--r-- 1 2kB Jan  2  2020 k2\n");
    ls(&d, &["-og", "--block-size=KiB", "k2"]).ok("-rw-r--r-- 1 2KiB Jan  2  2020 k2\n");
    ls(&d, &["-og", "--block-size=M", "m"]).ok("-rw-r--r-- 1 2M Jan  2  2020 m\n");
    ls(&d, &["-og", "k2"])
        .env("BLOCK_SIZE", "K")
        .ok("-rw-r--r-- 1 2K Jan  2  2020 k2\n");
    ls(&d, &["--block-size=0"]).fails(2, "ls: invalid --block-size argument '0'\n");
    ls(&d, &["--block-size=x"]).fails(2, "ls: invalid --block-size argument 'x'\n");
    ls(&d, &["--block-size=99999999999Y"])
        .fails(2, "ls: --block-size argument '99999999999Y' too large\n");
}

/// A KiB count as `ls -h` shows it.
fn human_kib(k: u64) -> String {
    ibex::human::human(k * 1024, false)
}

// ---------------------------------------------------------------- colour

#[test]
fn color_uses_gnu_defaults() {
    let d = tree();
    file(&d, "exe", 0, 0o755, OLD);
    // --color needs a known terminal type when LS_COLORS is unset.
    let col = |args: &[&str]| ls(&d, args).env("TERM", "xterm");
    col(&["--color=always"]).ok(
        "a\n\x1b[0m\x1b[01;32mb.txt\x1b[0m\n\x1b[01;36mbr\x1b[0m\n\x1b[01;34md\x1b[0m\n\x1b[01;36mdl\x1b[0m\n\x1b[01;32mexe\x1b[0m\n\x1b[01;36ml\x1b[0m\n\x1b[33mp\x1b[0m\n",
    );
    col(&["--color"]).ok(
        "a\n\x1b[0m\x1b[01;32mb.txt\x1b[0m\n\x1b[01;36mbr\x1b[0m\n\x1b[01;34md\x1b[0m\n\x1b[01;36mdl\x1b[0m\n\x1b[01;32mexe\x1b[0m\n\x1b[01;36ml\x1b[0m\n\x1b[33mp\x1b[0m\n",
    );
    col(&["--color=always", "-F", "d", "p"]).ok("\x1b[0m\x1b[33mp\x1b[0m|\n\nd:\ninner\n");
    col(&["--color=always", "-og", "l"])
        .ok("lrwxrwxrwx 1 1 Jan  2  2020 \x1b[0m\x1b[01;36ml\x1b[0m -> a\n");
    // Columns are padded with spaces, not tabs, when colouring.
    col(&["--color=always", "-C", "-w", "20", "a", "b.txt", "exe"])
        .ok("a  \x1b[0m\x1b[01;32mb.txt\x1b[0m  \x1b[01;32mexe\x1b[0m\n");
    col(&["--color=never"]).ok("a\nb.txt\nbr\nd\ndl\nexe\nl\np\n");
    col(&["--color=auto"]).ok("a\nb.txt\nbr\nd\ndl\nexe\nl\np\n");
    ls(&d, &["--color=always", "a", "exe"]).ok("a\nexe\n");
    ls(&d, &["--color=always", "exe"])
        .env("COLORTERM", "truecolor")
        .ok("\x1b[0m\x1b[01;32mexe\x1b[0m\n");
    ls(&d, &["--color=bogus"]).go().expect(
        1,
        b"",
        b"ls: invalid argument 'bogus' for '--color'\nValid arguments are:\n  - 'always', 'yes', 'force'\n  - 'never', 'no', 'none'\n  - 'auto', 'tty', 'if-tty'\nUsage: ls [-1AaCxdLHRFplinshrSXvctu] [-w WIDTH] [FILE]...\n",
    );
}

#[test]
fn color_from_ls_colors() {
    let d = tree();
    file(&d, "x.tar.gz", 0, 0o644, OLD);
    file(&d, "y.GZ", 0, 0o644, OLD);
    let col = |spec: &str, args: &[&str]| ls(&d, args).env("LS_COLORS", spec);
    col(
        "di=32:*.gz=31",
        &["--color=always", "d", "x.tar.gz", "y.GZ", "a"],
    )
    .ok("a\n\x1b[0m\x1b[31mx.tar.gz\x1b[0m\n\x1b[31my.GZ\x1b[0m\n\nd:\ninner\n");
    col("*.gz=31:*.tar.gz=32", &["--color=always", "x.tar.gz"])
        .ok("\x1b[0m\x1b[32mx.tar.gz\x1b[0m\n");
    col("di=\\e[1:ex=^[[4", &["--color=always", "-d", "d", "b.txt"])
        .ok("\x1b[0m\x1b[\x1b[4mb.txt\x1b[0m\n\x1b[\x1b[1md\x1b[0m\n");
    // Dangling links in the orphan colour, missing targets in mi.
    col("or=31:mi=33", &["--color=always", "-og", "br"])
        .ok("lrwxrwxrwx 1 7 Jan  2  2020 \x1b[0m\x1b[31mbr\x1b[0m -> \x1b[33mnowhere\x1b[0m\n");
    col("ln=target", &["--color=always", "-d", "l", "dl"]).ok("\x1b[0m\x1b[01;34mdl\x1b[0m\nl\n");
    col("no=35", &["--color=always", "-d", "a", "d"])
        .ok("\x1b[0m\x1b[35ma\x1b[0m\n\x1b[35m\x1b[m\x1b[01;34md\x1b[0m\n");
    col("lc=<:rc=>:ec=E", &["--color=always", "-d", "a", "d"]).ok("a\nE<01;34>dE\n<>");
    col("xx=31", &["--color=always", "-d", "d"]).go().expect(
        0,
        b"d\n",
        b"ls: unrecognized prefix: 'xx'\nls: unparsable value for LS_COLORS environment variable\n",
    );
}

// ---------------------------------------------------------------- options

#[test]
fn option_errors() {
    let d = tree();
    let usage = "Usage: ls [-1AaCxdLHRFplinshrSXvctu] [-w WIDTH] [FILE]...\n";
    ls(&d, &["-y"]).fails(2, format!("ls: invalid option -- 'y'\n{usage}"));
    ls(&d, &["--bogus"]).fails(2, format!("ls: unrecognized option '--bogus'\n{usage}"));
    ls(&d, &["-w"]).fails(
        2,
        format!("ls: option requires an argument -- 'w'\n{usage}"),
    );
    ls(&d, &["-w", "abc"]).fails(2, "ls: invalid line width: 'abc'\n");
    ls(&d, &["-w", "-1"]).fails(2, "ls: invalid line width: '-1'\n");
    ls(&d, &["-T", "x"]).fails(2, "ls: invalid tab size: 'x'\n");
    ls(&d, &["--sort=bogus"]).go().expect(
        1,
        b"",
        b"ls: invalid argument 'bogus' for '--sort'\nValid arguments are:\n  - 'none'\n  - 'time'\n  - 'size'\n  - 'extension'\n  - 'version'\n  - 'width'\nUsage: ls [-1AaCxdLHRFplinshrSXvctu] [-w WIDTH] [FILE]...\n",
    );
    ls(&d, &["--format=bogus"]).go().code(1);
    ls(&d, &["--time=bogus"]).go().code(1);
    ls(&d, &["--quoting-style=bogus"]).go().code(1);
    ls(&d, &["--indicator-style=bogus"]).go().code(1);
    ls(&d, &["--al"]).fails(
        2,
        format!("ls: option '--al' is ambiguous; possibilities: '--all' '--almost-all'\n{usage}"),
    );
    // Unique abbreviations work, for options and their values.
    ls(&d, &["--form=comm", "--sort=s", "a", "b.txt"]).ok("b.txt, a\n");
    let o = ls(&d, &["--help"]).go();
    assert_eq!(o.code, 0);
    assert!(
        o.out().starts_with(&format!("Usage: {}", &usage[7..])),
        "{}",
        o.out()
    );
    ls(&d, &["--", "-y"]).fails(2, "ls: cannot access '-y': No such file or directory\n");
    // Later format options win; -1 does not undo -l.
    ls(&d, &["-l", "-1", "-og", "a"]).ok("-rw-r--r-- 1 3 Jan  2  2020 a\n");
    ls(&d, &["-m", "-1", "a", "b.txt"]).ok("a\nb.txt\n");
    ls(&d, &["-1", "-m", "a", "b.txt"]).ok("a, b.txt\n");
}

#[test]
fn zero_terminated_lines() {
    let d = tree();
    ls(&d, &["--zero", "a", "b.txt"])
        .go()
        .expect(0, b"a\0b.txt\0", b"");
    // --zero turns columns into one per line, unless a later option asks.
    ls(&d, &["-C", "--zero", "a", "b.txt"])
        .go()
        .expect(0, b"a\0b.txt\0", b"");
    ls(&d, &["--zero", "-og", "a"])
        .go()
        .expect(0, b"-rw-r--r-- 1 3 Jan  2  2020 a\0", b"");
    // Section headers keep their newline.
    ls(&d, &["--zero", "a", "d"])
        .go()
        .expect(0, b"a\0\nd:\ninner\0", b"");
}

#[test]
fn on_a_terminal_columns_quoting_and_question_marks() {
    if !Path::new("/usr/bin/script").exists() {
        eprintln!("SKIPPED on_a_terminal_columns_quoting_and_question_marks: no script(1)");
        return;
    }
    let d = Dir::new();
    for n in [&b"a\x01b"[..], b"sp ace", b"plain", b"x"] {
        fs::write(d.path.join(OsStr::from_bytes(n)), "").unwrap();
    }
    let o = d
        .sh("script -qec 'stty cols 40; $B/ls; $B/ls -q --quoting-style=literal; COLUMNS=10 $B/ls -w 20 -N' /dev/null </dev/null")
        .go();
    assert_eq!(
        o.out(),
        "'a'$'\\001''b'   plain  'sp ace'   x\r\n\
         a?b  plain  sp ace  x\r\n\
         a?b    sp ace\r\nplain  x\r\n",
        "{:?}",
        o.out()
    );
}

// ---------------------------------------------------------------- big directories

#[test]
fn a_hundred_thousand_entries() {
    let d = Dir::new();
    let big = d.mkdir("big");
    let n = 100_000;
    for i in 0..n {
        fs::File::create(big.join(format!("f{i:06}"))).unwrap();
    }
    let start = std::time::Instant::now();
    let o = ls(&d, &["big"]).go();
    let took = start.elapsed();
    assert_eq!(o.code, 0);
    assert_eq!(o.stdout.iter().filter(|&&b| b == b'\n').count(), n);
    assert!(o.out().starts_with("f000000\nf000001\n"));
    assert!(took.as_secs() < 10, "ls of {n} entries took {took:?}");
    let start = std::time::Instant::now();
    let o = ls(&d, &["-l", "big"]).go();
    let took = start.elapsed();
    assert_eq!(o.code, 0);
    assert_eq!(o.stdout.iter().filter(|&&b| b == b'\n').count(), n + 1);
    assert!(took.as_secs() < 20, "ls -l of {n} entries took {took:?}");
}

#[test]
fn write_errors_and_broken_pipes() {
    let d = tree();
    if Path::new("/dev/full").exists() {
        d.sh("$B/ls > /dev/full").go().expect(
            2,
            b"",
            b"ls: write error: No space left on device\n",
        );
    }
    // A closed pipe ends ls quietly.
    let big = d.mkdir("many");
    for i in 0..3000 {
        fs::File::create(big.join(format!("entry-with-a-long-name-{i:05}"))).unwrap();
    }
    d.sh("$B/ls -l many | head -1; echo \"${PIPESTATUS:-done}\"")
        .ok("total 0\ndone\n");
    ls(&d, &["--version"]).ok(format!("ls (ibex) {}\n", ibex::VERSION));
}
