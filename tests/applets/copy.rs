//! cp, mv, install, ln.

use crate::harness::*;
use std::os::unix::fs::{FileTypeExt, MetadataExt, PermissionsExt};
use std::path::Path;

fn meta(p: impl AsRef<Path>) -> std::fs::Metadata {
    std::fs::symlink_metadata(p).unwrap()
}

fn mode(p: impl AsRef<Path>) -> u32 {
    meta(p).mode() & 0o7777
}

fn chmod(p: impl AsRef<Path>, m: u32) {
    std::fs::set_permissions(p, std::fs::Permissions::from_mode(m)).unwrap();
}

fn link_text(p: impl AsRef<Path>) -> String {
    std::fs::read_link(p)
        .unwrap()
        .to_string_lossy()
        .into_owned()
}

const CP_USAGE: &str = "Usage: cp [-arRdPLHpfinulsTvx] [-t DIR] [-S SUF] SOURCE... DEST\n";
const MV_USAGE: &str = "Usage: mv [-finTuv] [-t DIR] [-b] [-S SUF] SOURCE... DEST\n";
const LN_USAGE: &str = "Usage: ln [-sfnbrvTLP] [-S SUF] [-t DIR] TARGET... LINK|DIR\n";
const INSTALL_USAGE: &str =
    "Usage: install [-cdDpsCv] [-m MODE] [-o USER] [-g GRP] [-t DIR] [SOURCE]... DEST\n";

// ---------------------------------------------------------------- cp

#[test]
fn cp_copies_contents_and_mode_under_umask() {
    let d = Dir::new();
    d.write("a", "hello\n");
    chmod(d.p("a"), 0o4755);
    d.sh("umask 022; cp a b && umask 077 && cp a c").ok("");
    assert_eq!(d.read("b"), b"hello\n");
    // The set-id bits are not copied without -p; the umask applies.
    assert_eq!(mode(d.p("b")), 0o755);
    assert_eq!(mode(d.p("c")), 0o700);
    // An existing destination is truncated in place and keeps its mode.
    d.write("e", "a much longer old content\n");
    chmod(d.p("e"), 0o600);
    let ino = meta(d.p("e")).ino();
    d.run("cp", &["a", "e"]).ok("");
    assert_eq!(d.read("e"), b"hello\n");
    assert_eq!(mode(d.p("e")), 0o600);
    assert_eq!(meta(d.p("e")).ino(), ino);
    // Empty files and names that are not UTF-8.
    d.write("empty", "");
    d.run("cp", &["empty", "empty2"]).ok("");
    assert_eq!(d.read("empty2"), b"");
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    std::fs::write(d.path.join(OsStr::from_bytes(b"\xff")), "x").unwrap();
    d.run("cp", &["-v"])
        .args_os(&[OsStr::from_bytes(b"\xff"), OsStr::new("n")])
        .ok("''$'\\377' -> 'n'\n");
    assert_eq!(d.read("n"), b"x");
}

#[test]
fn cp_same_file_is_refused() {
    let d = Dir::new();
    d.write("a", "data");
    d.run("cp", &["a", "a"])
        .fails(1, "cp: 'a' and 'a' are the same file\n");
    d.run("cp", &["a", "./a"])
        .fails(1, "cp: 'a' and './a' are the same file\n");
    std::os::unix::fs::symlink("a", d.p("l")).unwrap();
    d.run("cp", &["l", "a"])
        .fails(1, "cp: 'l' and 'a' are the same file\n");
    std::fs::hard_link(d.p("a"), d.p("h")).unwrap();
    d.run("cp", &["a", "h"])
        .fails(1, "cp: 'a' and 'h' are the same file\n");
    d.mkdir("dir");
    d.run("cp", &["-rT", "dir", "dir"])
        .fails(1, "cp: 'dir' and 'dir' are the same file\n");
    assert_eq!(d.read("a"), b"data");
}

#[test]
fn cp_directory_into_itself_is_refused_before_copying() {
    let d = Dir::new();
    d.write("d/b/f", "x");
    d.run("cp", &["-r", "d", "d/b"]).fails(
        1,
        "cp: cannot copy a directory, 'd', into itself, 'd/b/d'\n",
    );
    assert!(!d.exists("d/b/d"));
    d.run("cp", &["-rT", "d", "d/new"]).fails(
        1,
        "cp: cannot copy a directory, 'd', into itself, 'd/new'\n",
    );
    assert!(!d.exists("d/new"));
    d.run("cp", &["-a", ".", "sub"])
        .fails(1, "cp: cannot copy a directory, '.', into itself, 'sub'\n");
}

#[test]
fn cp_needs_r_for_directories_and_reports_each_operand() {
    let d = Dir::new();
    d.mkdir("dir");
    d.write("a", "A");
    d.write("b", "B");
    d.mkdir("t");
    d.run("cp", &["dir", "x"])
        .fails(1, "cp: omitting directory 'dir'\n");
    assert!(!d.exists("x"));
    // A bad operand is reported; the others are still copied.
    d.run("cp", &["nope", "a", "dir", "b", "t"]).fails(
        1,
        "cp: cannot stat 'nope': No such file or directory\n\
         cp: omitting directory 'dir'\n",
    );
    assert_eq!(d.read("t/a"), b"A");
    assert_eq!(d.read("t/b"), b"B");
    assert!(!d.exists("t/dir"));
    d.run("cp", &["nope", "x"])
        .fails(1, "cp: cannot stat 'nope': No such file or directory\n");
}

#[test]
fn cp_operand_errors() {
    let d = Dir::new();
    d.write("a", "A");
    d.write("b", "B");
    d.run("cp", &[])
        .fails(1, format!("cp: missing file operand\n{CP_USAGE}"));
    d.run("cp", &["a"]).fails(
        1,
        format!("cp: missing destination file operand after 'a'\n{CP_USAGE}"),
    );
    d.run("cp", &["a", "b", "c"])
        .fails(1, "cp: target 'c': No such file or directory\n");
    d.run("cp", &["a", "b", "b"])
        .fails(1, "cp: target 'b' is not a directory\n");
    d.run("cp", &["-T", "a", "b", "c"])
        .fails(1, format!("cp: extra operand 'c'\n{CP_USAGE}"));
    d.run("cp", &["-t"]).fails(
        1,
        format!("cp: option requires an argument -- 't'\n{CP_USAGE}"),
    );
    d.run("cp", &["-t", "a", "b"])
        .fails(1, "cp: target directory 'a': Not a directory\n");
    d.run("cp", &["-t", "nodir", "a"]).fails(
        1,
        "cp: target directory 'nodir': No such file or directory\n",
    );
    d.run("cp", &["-t", ".", "-T", "a", "b"]).fails(
        1,
        format!(
            "cp: cannot combine --target-directory (-t) and --no-target-directory (-T)\n{CP_USAGE}"
        ),
    );
    d.run("cp", &["-z", "a", "b"])
        .fails(1, format!("cp: invalid option -- 'z'\n{CP_USAGE}"));
    d.run("cp", &["--preserve=foo", "a", "x"]).fails(
        1,
        format!(
            "cp: invalid argument 'foo' for '--preserve'\nValid arguments are:\n  - 'mode'\n  \
             - 'timestamps'\n  - 'ownership'\n  - 'links'\n  - 'context'\n  - 'xattr'\n  \
             - 'all'\n{CP_USAGE}"
        ),
    );
    d.run("cp", &["--sparse=x", "a", "x"]).fails(
        1,
        format!(
            "cp: invalid argument 'x' for '--sparse'\nValid arguments are:\n  - 'never'\n  \
             - 'auto'\n  - 'always'\n{CP_USAGE}"
        ),
    );
    d.run("cp", &["a", "nod/"]).fails(
        1,
        "cp: cannot create regular file 'nod/': Not a directory\n",
    );
    d.run("cp", &["a", "a/x"])
        .fails(1, "cp: cannot stat 'a/x': Not a directory\n");
    d.run("cp", &["a", "nod/x"]).fails(
        1,
        "cp: cannot create regular file 'nod/x': No such file or directory\n",
    );
    assert!(!d.exists("x"));
    let o = d.run("cp", &["--help"]).go();
    assert_eq!(o.code, 0);
    assert!(o.out().starts_with(CP_USAGE), "{}", o.out());
}

#[test]
fn cp_into_directory_and_target_options() {
    let d = Dir::new();
    d.write("a", "A");
    d.write("b", "B");
    d.mkdir("t");
    d.run("cp", &["a", "b", "t"]).ok("");
    assert_eq!(d.read("t/a"), b"A");
    d.mkdir("u");
    d.run("cp", &["-t", "u", "a", "b"]).ok("");
    assert_eq!(d.read("u/b"), b"B");
    // Trailing slashes on a source are ignored for the name.
    d.write("src/f", "F");
    d.run("cp", &["-r", "src/", "t"]).ok("");
    assert_eq!(d.read("t/src/f"), b"F");
    // -T: the directory destination is not entered.
    d.run("cp", &["-T", "a", "t"])
        .fails(1, "cp: cannot overwrite directory 't' with non-directory\n");
    d.run("cp", &["-r", "src", "a"]).fails(
        1,
        "cp: cannot overwrite non-directory 'a' with directory 'src'\n",
    );
    // -rT merges into an existing directory.
    d.write("m/old", "o");
    d.run("cp", &["-rT", "src", "m"]).ok("");
    assert_eq!(d.read("m/f"), b"F");
    assert_eq!(d.read("m/old"), b"o");
    // A new directory name: the copy gets that name.
    d.run("cp", &["-r", "src", "newdir"]).ok("");
    assert_eq!(d.read("newdir/f"), b"F");
}

#[test]
fn cp_verbose() {
    let d = Dir::new();
    d.write("a", "A");
    d.write("t/x", "X");
    d.run("cp", &["-v", "a", "b"]).ok("'a' -> 'b'\n");
    d.run("cp", &["-vr", "t", "t2"])
        .ok("'t' -> 't2'\n't/x' -> 't2/x'\n");
    // Merging into an existing directory names only what is copied.
    d.run("cp", &["-vrT", "t", "t2"]).ok("'t/x' -> 't2/x'\n");
    d.run("cp", &["-vr", "t", "t2"])
        .ok("'t' -> 't2/t'\n't/x' -> 't2/t/x'\n");
    d.write("it's", "q");
    d.run("cp", &["-v", "it's", "with space"])
        .ok("\"it's\" -> 'with space'\n");
}

#[test]
fn cp_interactive_reads_answers_from_stdin() {
    let d = Dir::new();
    d.write("a", "new");
    d.write("b", "old");
    d.run("cp", &["-i", "a", "b"])
        .stdin("n\n")
        .go()
        .expect(0, b"", b"cp: overwrite 'b'? ");
    assert_eq!(d.read("b"), b"old");
    d.run("cp", &["-i", "a", "b"])
        .stdin("y\n")
        .go()
        .expect(0, b"", b"cp: overwrite 'b'? ");
    assert_eq!(d.read("b"), b"new");
    // One line per question; end of input means no.
    d.write("t/a", "old");
    d.write("t/b", "old");
    d.write("b", "newb");
    d.run("cp", &["-i", "a", "b", "t"])
        .stdin("no\nYes\n")
        .go()
        .expect(0, b"", b"cp: overwrite 't/a'? cp: overwrite 't/b'? ");
    assert_eq!(d.read("t/a"), b"old");
    assert_eq!(d.read("t/b"), b"newb");
    d.write("t/a", "old");
    d.run("cp", &["-i", "a", "t"])
        .go()
        .expect(0, b"", b"cp: overwrite 't/a'? ");
    assert_eq!(d.read("t/a"), b"old");
    // No question when the destination does not exist; -n after -i wins.
    d.run("cp", &["-i", "a", "fresh"]).ok("");
    d.run("cp", &["-i", "-n", "a", "t/a"]).ok("");
    assert_eq!(d.read("t/a"), b"old");
}

#[test]
fn cp_no_clobber_and_update() {
    let d = Dir::new();
    d.write("a", "new");
    d.write("b", "old");
    d.run("cp", &["-n", "a", "b"]).ok("");
    assert_eq!(d.read("b"), b"old");
    d.run("cp", &["--no-clobber", "a", "c"]).ok("");
    assert_eq!(d.read("c"), b"new");
    // -u: the destination is newer, so nothing happens.
    d.sh("touch -d 2000-01-01 a && touch -d 2001-01-01 b")
        .ok("");
    d.run("cp", &["-u", "a", "b"]).ok("");
    assert_eq!(d.read("b"), b"old");
    // The source is newer: copied.
    d.sh("touch -d 2002-01-01 a").ok("");
    d.run("cp", &["-uv", "a", "b"]).ok("'a' -> 'b'\n");
    assert_eq!(d.read("b"), b"new");
    d.run("cp", &["--update", "a", "missing"]).ok("");
    assert_eq!(d.read("missing"), b"new");
}

#[test]
fn cp_force_and_remove_destination() {
    let d = Dir::new();
    d.write("a", "new");
    d.write("b", "old");
    std::fs::hard_link(d.p("b"), d.p("b2")).unwrap();
    // By default the file is rewritten in place: the other link sees it.
    d.run("cp", &["a", "b"]).ok("");
    assert_eq!(d.read("b2"), b"new");
    d.write("b", "old");
    d.run("cp", &["--remove-destination", "a", "b"]).ok("");
    assert_eq!(d.read("b"), b"new");
    assert_eq!(d.read("b2"), b"old");
    // A running program cannot be opened for writing; -f removes it first.
    let o = d
        .sh("cp /bin/sleep prog && ./prog 5 & sleep 0.5; \
             cp a prog; echo $?; cp -f a prog; echo $?; cat prog; echo; kill $! 2>/dev/null; true")
        .go();
    o.expect(
        0,
        b"1\n0\nnew\n",
        b"cp: cannot create regular file 'prog': Text file busy\n",
    );
}

#[test]
fn cp_dangling_symlink_destination() {
    let d = Dir::new();
    d.write("a", "A");
    std::os::unix::fs::symlink("nowhere", d.p("dang")).unwrap();
    d.run("cp", &["a", "dang"])
        .fails(1, "cp: not writing through dangling symlink 'dang'\n");
    assert!(!d.exists("nowhere"));
    d.run("cp", &["-f", "a", "dang"]).ok("");
    assert!(meta(d.p("dang")).is_file());
    assert_eq!(d.read("dang"), b"A");
    // A symlink to an existing file is written through.
    std::os::unix::fs::symlink("target", d.p("l")).unwrap();
    d.write("target", "old");
    d.run("cp", &["a", "l"]).ok("");
    assert_eq!(d.read("target"), b"A");
    assert!(meta(d.p("l")).file_type().is_symlink());
}

#[test]
fn cp_preserve_mode_and_nanosecond_times() {
    let d = Dir::new();
    d.write("a", "A");
    chmod(d.p("a"), 0o4751);
    d.sh("touch -d '2001-02-03 04:05:06.123456789' a").ok("");
    let ma = meta(d.p("a"));
    d.run("cp", &["-p", "a", "b"]).ok("");
    let mb = meta(d.p("b"));
    assert_eq!(mb.mode() & 0o7777, 0o4751);
    assert_eq!((mb.mtime(), mb.mtime_nsec()), (ma.mtime(), ma.mtime_nsec()));
    assert_eq!(mb.mtime_nsec(), 123456789);
    assert_eq!((mb.atime(), mb.atime_nsec()), (ma.atime(), ma.atime_nsec()));
    // Without -p the time is now.
    d.run("cp", &["a", "c"]).ok("");
    assert_ne!(meta(d.p("c")).mtime(), ma.mtime());
    // --preserve=LIST and --no-preserve.
    d.sh("umask 022; cp --preserve=timestamps a t && cp -a --no-preserve=mode a m")
        .ok("");
    assert_eq!(meta(d.p("t")).mtime(), ma.mtime());
    assert_eq!(mode(d.p("t")), 0o751);
    assert_eq!(mode(d.p("m")), 0o751);
    assert_eq!(meta(d.p("m")).mtime(), ma.mtime());
    // Directories get their times after their contents are written.
    d.write("dir/f", "x");
    chmod(d.p("dir"), 0o750);
    d.sh("touch -d '2003-01-01 00:00:00.5' dir").ok("");
    d.run("cp", &["-rp", "dir", "dir2"]).ok("");
    let m = meta(d.p("dir2"));
    assert_eq!((m.mtime_nsec(), m.mode() & 0o7777), (500_000_000, 0o750));
    assert_eq!(m.mtime(), meta(d.p("dir")).mtime());
}

#[test]
fn cp_directory_modes_without_preserve() {
    let d = Dir::new();
    d.write("sd/f", "x");
    chmod(d.p("sd"), 0o3755);
    d.sh("umask 022; cp -r sd sd2; umask 077; cp -r sd sd3")
        .ok("");
    // setgid is dropped, sticky kept, umask applied.
    assert_eq!(mode(d.p("sd2")), 0o1755);
    assert_eq!(mode(d.p("sd3")), 0o1700);
    if !is_root() {
        return;
    }
    // An unreadable-by-mode directory is still filled, then gets its mode.
    chmod(d.p("sd"), 0o000);
    d.run("cp", &["-r", "sd", "sd4"]).ok("");
    assert_eq!(mode(d.p("sd4")), 0o000);
    chmod(d.p("sd4"), 0o755);
    assert_eq!(d.read("sd4/f"), b"x");
}

#[test]
fn cp_archive_copies_links_specials_and_hard_links() {
    let d = Dir::new();
    d.write("t/f", "data");
    chmod(d.p("t/f"), 0o4750);
    std::fs::hard_link(d.p("t/f"), d.p("t/g")).unwrap();
    d.write("t/sub/h", "h");
    std::fs::hard_link(d.p("t/f"), d.p("t/sub/f3")).unwrap();
    std::os::unix::fs::symlink("f", d.p("t/l")).unwrap();
    std::os::unix::fs::symlink("nowhere", d.p("t/dangling")).unwrap();
    d.sh("mkfifo t/p && touch -h -d '2001-01-01 01:01:01.5' t/l")
        .ok("");
    d.run("cp", &["-a", "t", "u"]).ok("");
    assert_eq!(d.read("u/f"), b"data");
    assert_eq!(mode(d.p("u/f")), 0o4750);
    // Hard links stay together, and apart from the source's inode.
    let (f, g, f3) = (meta(d.p("u/f")), meta(d.p("u/g")), meta(d.p("u/sub/f3")));
    assert_eq!(f.ino(), g.ino());
    assert_eq!(f.ino(), f3.ino());
    assert_ne!(f.ino(), meta(d.p("t/f")).ino());
    assert_eq!(f.nlink(), 3);
    assert_eq!(link_text(d.p("u/l")), "f");
    assert_eq!(link_text(d.p("u/dangling")), "nowhere");
    let l = meta(d.p("u/l"));
    assert_eq!((l.mtime(), l.mtime_nsec()), (978310861, 500_000_000));
    assert!(meta(d.p("u/p")).file_type().is_fifo());
    // -R alone: links as links, fifos as fifos, but hard links are split.
    d.run("cp", &["-R", "t", "r"]).ok("");
    assert_eq!(link_text(d.p("r/l")), "f");
    assert!(meta(d.p("r/p")).file_type().is_fifo());
    assert_ne!(meta(d.p("r/f")).ino(), meta(d.p("r/g")).ino());
    // --preserve=links alone keeps them together.
    d.run("cp", &["-R", "--preserve=links", "t", "pl"]).ok("");
    assert_eq!(meta(d.p("pl/f")).ino(), meta(d.p("pl/g")).ino());
    // -L copies what the links point to.
    d.mkdir("lcopy");
    d.run("cp", &["-RL", "t/l", "lcopy"]).ok("");
    assert!(meta(d.p("lcopy/l")).is_file());
    assert_eq!(d.read("lcopy/l"), b"data");
}

#[test]
fn cp_symlink_dereference_options() {
    let d = Dir::new();
    d.write("real/f", "F");
    std::os::unix::fs::symlink("real", d.p("link")).unwrap();
    d.write("file", "x");
    std::os::unix::fs::symlink("file", d.p("flink")).unwrap();
    // Without -R, links are followed.
    d.run("cp", &["flink", "c1"]).ok("");
    assert!(meta(d.p("c1")).is_file());
    // -P and -d copy the link itself.
    d.run("cp", &["-P", "flink", "c2"]).ok("");
    assert_eq!(link_text(d.p("c2")), "file");
    d.run("cp", &["-d", "flink", "c3"]).ok("");
    assert_eq!(link_text(d.p("c3")), "file");
    // -R: a command-line link to a directory is copied as a link...
    d.run("cp", &["-R", "link", "r1"]).ok("");
    assert_eq!(link_text(d.p("r1")), "real");
    // ... unless -H (or -L) follows it.
    d.run("cp", &["-RH", "link", "r2"]).ok("");
    assert_eq!(d.read("r2/f"), b"F");
    // -H follows only command-line links.
    std::os::unix::fs::symlink("f", d.p("real/inner")).unwrap();
    d.run("cp", &["-RH", "link", "r3"]).ok("");
    assert_eq!(link_text(d.p("r3/inner")), "f");
    d.run("cp", &["-RL", "link", "r4"]).ok("");
    assert!(meta(d.p("r4/inner")).is_file());
    // A link copied onto the file it points to would destroy it.
    d.run("cp", &["-P", "flink", "file"])
        .fails(1, "cp: 'flink' and 'file' are the same file\n");
    assert_eq!(d.read("file"), b"x");
}

#[test]
fn cp_device_nodes_as_root() {
    if skip_unless_root("cp_device_nodes_as_root") {
        return;
    }
    let d = Dir::new();
    d.mkdir("t");
    d.sh("mknod t/null c 1 3 && mknod t/blk b 7 200").ok("");
    d.run("cp", &["-a", "t", "u"]).ok("");
    let m = meta(d.p("u/null"));
    assert!(m.file_type().is_char_device());
    assert_eq!(m.rdev(), meta(d.p("t/null")).rdev());
    assert!(meta(d.p("u/blk")).file_type().is_block_device());
    // -a overwrites an existing file with a device node.
    d.write("v", "x");
    d.run("cp", &["-a", "t/null", "v"]).ok("");
    assert!(meta(d.p("v")).file_type().is_char_device());
    // Without -R (or with --copy-contents) a device is read like a file.
    d.run("cp", &["t/null", "empty"]).ok("");
    assert!(meta(d.p("empty")).is_file());
    assert_eq!(d.read("empty"), b"");
    d.run("cp", &["-R", "--copy-contents", "t/null", "empty2"])
        .ok("");
    assert!(meta(d.p("empty2")).is_file());
}

#[test]
fn cp_ownership_as_root() {
    if skip_unless_root("cp_ownership_as_root") {
        return;
    }
    let d = Dir::new();
    d.write("a", "A");
    d.sh("chown 1234:4321 a").ok("");
    d.run("cp", &["-p", "a", "b"]).ok("");
    assert_eq!((meta(d.p("b")).uid(), meta(d.p("b")).gid()), (1234, 4321));
    d.run("cp", &["a", "c"]).ok("");
    assert_eq!(meta(d.p("c")).uid(), 0);
    std::os::unix::fs::symlink("a", d.p("l")).unwrap();
    d.sh("chown -h 99:98 l").ok("");
    d.run("cp", &["-a", "l", "l2"]).ok("");
    assert_eq!((meta(d.p("l2")).uid(), meta(d.p("l2")).gid()), (99, 98));
}

#[test]
fn cp_xattrs() {
    let d = Dir::new();
    d.write("a", "A");
    let name = std::ffi::CString::new("user.ibex").unwrap();
    use std::os::unix::ffi::OsStrExt;
    let pa = d.p("a");
    if let Err(e) = ibex::sys::lsetxattr(pa.as_os_str().as_bytes(), &name, b"hello") {
        eprintln!("SKIPPED cp_xattrs: user xattrs not supported here: {e}");
        return;
    }
    d.write("dir/f", "x");
    let pd = d.p("dir");
    ibex::sys::lsetxattr(pd.as_os_str().as_bytes(), &name, b"dirval").unwrap();
    d.run("cp", &["-a", "a", "b"]).ok("");
    d.run("cp", &["--preserve=xattr", "a", "c"]).ok("");
    d.run("cp", &["-p", "a", "n"]).ok("");
    d.run("cp", &["-a", "dir", "dir2"]).ok("");
    let get = |p: &str| ibex::sys::lgetxattr(d.p(p).as_os_str().as_bytes(), &name);
    assert_eq!(get("b").unwrap(), b"hello");
    assert_eq!(get("c").unwrap(), b"hello");
    assert!(get("n").is_err());
    assert_eq!(get("dir2").unwrap(), b"dirval");
}

#[test]
fn cp_sparse_1gib_stays_sparse() {
    let d = Dir::new();
    let f = std::fs::File::create(d.p("big")).unwrap();
    f.set_len(1 << 30).unwrap();
    drop(f);
    let src_blocks = meta(d.p("big")).blocks();
    if src_blocks > 8 {
        eprintln!("SKIPPED cp_sparse_1gib_stays_sparse: no sparse files here");
        return;
    }
    d.run("cp", &["big", "copy"]).ok("");
    let m = meta(d.p("copy"));
    assert_eq!(m.len(), 1 << 30);
    assert!(m.blocks() <= 8, "blocks {}", m.blocks());
}

/// A 64 MiB file with data at a few places and holes elsewhere.
fn islands(d: &Dir, name: &str) -> Vec<(u64, Vec<u8>)> {
    use std::io::{Seek, SeekFrom, Write};
    let mut f = std::fs::File::create(d.p(name)).unwrap();
    let parts: Vec<(u64, Vec<u8>)> = vec![
        (0, b"start".to_vec()),
        (5 << 20, vec![0xab; 100_000]),
        (17 << 20, b"middle".to_vec()),
        ((40 << 20) + 123, vec![7; 9000]),
        ((64 << 20) - 3, b"end".to_vec()),
    ];
    for (off, data) in &parts {
        f.seek(SeekFrom::Start(*off)).unwrap();
        f.write_all(data).unwrap();
    }
    parts
}

#[test]
fn cp_sparse_islands_byte_identical() {
    let d = Dir::new();
    islands(&d, "src");
    let src = meta(d.p("src"));
    assert_eq!(src.len(), 64 << 20);
    for (args, name) in [
        (&["src", "auto"][..], "auto"),
        (&["--sparse=always", "src", "always"][..], "always"),
        (&["--sparse=never", "src", "never"][..], "never"),
    ] {
        d.run("cp", args).ok("");
        assert_eq!(d.read(name), d.read("src"), "{name}");
    }
    if src.blocks() * 512 < src.len() / 2 {
        // Holes kept: about as many blocks as the source.
        assert!(meta(d.p("auto")).blocks() <= src.blocks() + 64);
        assert!(meta(d.p("always")).blocks() <= src.blocks() + 64);
        // never writes every byte.
        assert!(meta(d.p("never")).blocks() * 512 >= 60 << 20);
    } else {
        eprintln!("cp_sparse_islands_byte_identical: no sparse files here, blocks not checked");
    }
}

#[test]
fn cp_sparse_always_punches_zero_blocks() {
    let d = Dir::new();
    let mut data = vec![0u8; 4 << 20];
    data[..5].copy_from_slice(b"hello");
    data[(3 << 20)..(3 << 20) + 5].copy_from_slice(b"world");
    d.write("full", &data);
    let full_blocks = meta(d.p("full")).blocks();
    d.run("cp", &["--sparse=always", "full", "holey"]).ok("");
    d.run("cp", &["full", "plain"]).ok("");
    assert_eq!(d.read("holey"), data);
    assert_eq!(d.read("plain"), data);
    let holey = meta(d.p("holey")).blocks();
    assert!(holey * 8 < full_blocks, "holey {holey} full {full_blocks}");
    // auto keeps a fully written file fully written.
    assert!(meta(d.p("plain")).blocks() * 2 > full_blocks);
    // Trailing zeros still give the right length.
    let mut tail = b"x".to_vec();
    tail.resize(1 << 20, 0);
    d.write("tail", &tail);
    d.run("cp", &["--sparse=always", "tail", "tail2"]).ok("");
    assert_eq!(d.read("tail2"), tail);
}

#[test]
fn cp_write_error_leaves_source_intact() {
    if !Path::new("/dev/full").exists() {
        eprintln!("SKIPPED cp_write_error_leaves_source_intact: no /dev/full");
        return;
    }
    let d = Dir::new();
    d.write("a", "precious");
    d.run("cp", &["a", "/dev/full"]).fails(
        1,
        "cp: error writing '/dev/full': No space left on device\n",
    );
    assert_eq!(d.read("a"), b"precious");
}

#[test]
fn cp_parents() {
    let d = Dir::new();
    d.write("a/b/c", "C");
    chmod(d.p("a"), 0o700);
    d.mkdir("t");
    d.run("cp", &["-v", "--parents", "a/b/c", "t"])
        .ok("a -> t/a\na/b -> t/a/b\n'a/b/c' -> 't/a/b/c'\n");
    assert_eq!(d.read("t/a/b/c"), b"C");
    assert_eq!(mode(d.p("t/a")), 0o700);
    // Existing directories are reused silently.
    d.run("cp", &["-v", "--parents", "a/b/c", "t"])
        .ok("'a/b/c' -> 't/a/b/c'\n");
    d.run("cp", &["-r", "--parents", "a/b", "u"]).fails(
        1,
        format!("cp: with --parents, the destination must be a directory\n{CP_USAGE}"),
    );
    d.run("cp", &["-rp", "--parents", "a/b", "t"]).ok("");
    assert_eq!(d.read("t/a/b/c"), b"C");
}

#[test]
fn cp_hard_and_symbolic_links_instead_of_copies() {
    let d = Dir::new();
    d.write("a", "A");
    d.write("b", "B");
    d.run("cp", &["-l", "a", "hl"]).ok("");
    assert_eq!(meta(d.p("hl")).ino(), meta(d.p("a")).ino());
    // Already the same file: nothing to do.
    d.run("cp", &["-l", "a", "hl"]).ok("");
    d.run("cp", &["-l", "a", "b"])
        .fails(1, "cp: cannot create hard link 'b' to 'a': File exists\n");
    d.run("cp", &["-lf", "a", "b"]).ok("");
    assert_eq!(meta(d.p("b")).ino(), meta(d.p("a")).ino());
    d.run("cp", &["-s", "a", "sl"]).ok("");
    assert_eq!(link_text(d.p("sl")), "a");
    d.mkdir("d");
    d.run("cp", &["-s", "a", "d/x"]).fails(
        1,
        "cp: d/x: can make relative symbolic links only in current directory\n",
    );
    let abs = d.p("a");
    d.run("cp", &["-s", abs.to_str().unwrap(), "d/x"]).ok("");
    assert_eq!(link_text(d.p("d/x")), abs.to_str().unwrap());
    // -rl: directories are made, files linked.
    d.write("tree/f", "F");
    d.run("cp", &["-rl", "tree", "tree2"]).ok("");
    assert_eq!(meta(d.p("tree2/f")).ino(), meta(d.p("tree/f")).ino());
    assert!(meta(d.p("tree2")).is_dir());
}

#[test]
fn cp_refuses_to_overwrite_just_created_files() {
    let d = Dir::new();
    d.write("x/f", "1");
    d.write("y/f", "2");
    d.mkdir("t");
    d.run("cp", &["x/f", "y/f", "t"])
        .fails(1, "cp: will not overwrite just-created 't/f' with 'y/f'\n");
    assert_eq!(d.read("t/f"), b"1");
}

#[test]
fn cp_backups() {
    let d = Dir::new();
    d.write("a", "A");
    d.write("b", "B");
    d.run("cp", &["-b", "a", "b"]).ok("");
    assert_eq!(d.read("b~"), b"B");
    assert_eq!(d.read("b"), b"A");
    d.run("cp", &["--backup=numbered", "a", "b"]).ok("");
    d.run("cp", &["--backup=numbered", "-v", "a", "b"])
        .ok("'a' -> 'b' (backup: 'b.~2~')\n");
    assert!(d.exists("b.~1~"));
    // existing: numbered because numbered backups exist.
    d.run("cp", &["--backup", "-v", "a", "b"])
        .ok("'a' -> 'b' (backup: 'b.~3~')\n");
    d.run("cp", &["-S", ".bak", "a", "b"]).ok("");
    assert!(d.exists("b.~4~"));
    d.write("c", "C");
    d.run("cp", &["--backup=simple", "-S", ".bak", "a", "c"])
        .ok("");
    assert_eq!(d.read("c.bak"), b"C");
    d.run("cp", &["--backup=bogus", "a", "b"]).fails(
        1,
        format!(
            "cp: invalid argument 'bogus' for 'backup type'\nValid arguments are:\n  \
             - 'none', 'off'\n  - 'simple', 'never'\n  - 'existing', 'nil'\n  \
             - 'numbered', 't'\n{CP_USAGE}"
        ),
    );
    d.run("cp", &["--backup=n", "a", "b"]).fails(
        1,
        format!(
            "cp: ambiguous argument 'n' for 'backup type'\nValid arguments are:\n  \
             - 'none', 'off'\n  - 'simple', 'never'\n  - 'existing', 'nil'\n  \
             - 'numbered', 't'\n{CP_USAGE}"
        ),
    );
}

#[test]
fn cp_attributes_only() {
    let d = Dir::new();
    d.write("a", "long content");
    chmod(d.p("a"), 0o640);
    d.write("b", "keep");
    d.run("cp", &["--attributes-only", "-p", "a", "b"]).ok("");
    assert_eq!(d.read("b"), b"keep");
    assert_eq!(mode(d.p("b")), 0o640);
    d.run("cp", &["--attributes-only", "a", "new"]).ok("");
    assert_eq!(d.read("new"), b"");
}

#[test]
fn cp_deep_tree() {
    let d = Dir::new();
    let mut rel = String::from("deep");
    for _ in 0..200 {
        rel.push_str("/d");
    }
    d.write(&format!("{rel}/leaf"), "L");
    d.run("cp", &["-a", "deep", "copy"]).ok("");
    let copied = rel.replacen("deep", "copy", 1);
    assert_eq!(d.read(&format!("{copied}/leaf")), b"L");
}

#[test]
fn cp_cyclic_links_with_dereference() {
    let d = Dir::new();
    d.write("d/e/f", "F");
    std::os::unix::fs::symlink("..", d.p("d/e/up")).unwrap();
    d.run("cp", &["-rL", "d", "x"])
        .fails(1, "cp: cannot copy cyclic symbolic link 'd/e/up'\n");
    assert_eq!(d.read("x/e/f"), b"F");
    assert!(!d.exists("x/e/up"));
}

#[test]
fn cp_one_file_system() {
    if skip_unless_root("cp_one_file_system") {
        return;
    }
    let d = Dir::new();
    d.write("src/f", "F");
    d.mkdir("src/mnt");
    let o = d
        .sh(
            "unshare -m sh -c 'mount -t tmpfs ibex src/mnt || exit 99; echo x > src/mnt/inner; \
             cp -ax src one && cp -a src all && ls -A one/mnt && echo -- && ls -A all/mnt'",
        )
        .go();
    if o.code == 99 {
        eprintln!("SKIPPED cp_one_file_system: cannot mount tmpfs");
        return;
    }
    o.expect(0, b"--\ninner\n", b"");
    assert_eq!(d.read("one/f"), b"F");
}

#[test]
fn cp_misc_options() {
    let d = Dir::new();
    d.write("src/f", "F");
    d.run("cp", &["-r", "--strip-trailing-slashes", "src/", "x"])
        .ok("");
    assert_eq!(d.read("x/f"), b"F");
    d.run("cp", &["--reflink=auto", "src/f", "r1"]).ok("");
    assert_eq!(d.read("r1"), b"F");
    d.run("cp", &["--reflink", "src/f", "r2"]).ok("");
    d.run("cp", &["--reflink=always", "src/f", "r3"])
        .fails(1, "cp: --reflink=always is not supported\n");
    d.run("cp", &["-l", "-s", "src/f", "r4"]).fails(
        1,
        format!("cp: cannot make both hard and symbolic links\n{CP_USAGE}"),
    );
    d.run("cp", &["-n", "-b", "src/f", "r1"]).fails(
        1,
        format!("cp: options --backup and --no-clobber are mutually exclusive\n{CP_USAGE}"),
    );
    d.run("cp", &["--update=none", "src/f", "r1"]).ok("");
    // -Z / --context are accepted and ignored.
    d.run("cp", &["-Z", "src/f", "r5"]).ok("");
}

#[test]
fn cp_fifo_and_socket_with_r() {
    let d = Dir::new();
    d.sh("mkfifo p").ok("");
    d.run("cp", &["-R", "p", "p2"]).ok("");
    assert!(meta(d.p("p2")).file_type().is_fifo());
    let _sock = std::os::unix::net::UnixListener::bind(d.p("s")).unwrap();
    d.run("cp", &["-a", "s", "s2"]).ok("");
    assert!(meta(d.p("s2")).file_type().is_socket());
}

// ---------------------------------------------------------------- mv

#[test]
fn mv_renames() {
    let d = Dir::new();
    d.write("a", "A");
    d.run("mv", &["a", "b"]).ok("");
    assert!(!d.exists("a"));
    assert_eq!(d.read("b"), b"A");
    d.run("mv", &["-v", "b", "c"]).ok("renamed 'b' -> 'c'\n");
    d.mkdir("t");
    d.write("x", "X");
    d.run("mv", &["-v", "c", "x", "t"])
        .ok("renamed 'c' -> 't/c'\nrenamed 'x' -> 't/x'\n");
    d.mkdir("u");
    d.run("mv", &["-t", "u", "t/c"]).ok("");
    assert_eq!(d.read("u/c"), b"A");
    // -T: rename a directory onto an empty one.
    d.mkdir("empty");
    d.run("mv", &["-T", "t", "empty"]).ok("");
    assert_eq!(d.read("empty/x"), b"X");
    // Overwriting a file replaces it.
    d.write("p", "P");
    d.write("q", "Q");
    d.run("mv", &["p", "q"]).ok("");
    assert_eq!(d.read("q"), b"P");
}

#[test]
fn mv_errors() {
    let d = Dir::new();
    d.write("a", "A");
    d.mkdir("dir/sub");
    d.write("k", "K");
    d.run("mv", &["a", "a"])
        .fails(1, "mv: 'a' and 'a' are the same file\n");
    std::fs::hard_link(d.p("a"), d.p("h")).unwrap();
    d.run("mv", &["a", "h"])
        .fails(1, "mv: 'a' and 'h' are the same file\n");
    std::os::unix::fs::symlink("a", d.p("sl")).unwrap();
    d.run("mv", &["sl", "a"])
        .fails(1, "mv: 'sl' and 'a' are the same file\n");
    d.run("mv", &["dir", "dir/sub"]).fails(
        1,
        "mv: cannot move 'dir' to a subdirectory of itself, 'dir/sub/dir'\n",
    );
    d.run("mv", &["-T", "dir", "dir/x"]).fails(
        1,
        "mv: cannot move 'dir' to a subdirectory of itself, 'dir/x'\n",
    );
    d.run("mv", &["-T", "dir", "k"]).fails(
        1,
        "mv: cannot overwrite non-directory 'k' with directory 'dir'\n",
    );
    d.run("mv", &["-T", "k", "dir"]).fails(
        1,
        "mv: cannot overwrite directory 'dir' with non-directory\n",
    );
    d.mkdir("other/dir/full");
    d.run("mv", &["dir", "other"]).fails(
        1,
        "mv: cannot move 'dir' to 'other/dir': Directory not empty\n",
    );
    d.run("mv", &["nope", "x"])
        .fails(1, "mv: cannot stat 'nope': No such file or directory\n");
    d.run("mv", &[])
        .fails(1, format!("mv: missing file operand\n{MV_USAGE}"));
    d.run("mv", &["a"]).fails(
        1,
        format!("mv: missing destination file operand after 'a'\n{MV_USAGE}"),
    );
    d.run("mv", &["-T", "a", "k", "x"])
        .fails(1, format!("mv: extra operand 'x'\n{MV_USAGE}"));
    d.run("mv", &["-t", "k", "a"])
        .fails(1, "mv: target directory 'k': Not a directory\n");
    d.run("mv", &["a", "k", "l"])
        .fails(1, "mv: target 'l': No such file or directory\n");
    d.run("mv", &["a", "h", "k"])
        .fails(1, "mv: target 'k' is not a directory\n");
    // A failing operand does not stop the others.
    d.mkdir("t");
    d.run("mv", &["nope", "k", "t"])
        .fails(1, "mv: cannot stat 'nope': No such file or directory\n");
    assert_eq!(d.read("t/k"), b"K");
    assert_eq!(d.read("a"), b"A");
}

#[test]
fn mv_no_clobber_interactive_update() {
    let d = Dir::new();
    d.write("a", "A");
    d.write("b", "B");
    d.run("mv", &["-n", "a", "b"]).ok("");
    assert_eq!((d.read("a"), d.read("b")), (b"A".to_vec(), b"B".to_vec()));
    d.run("mv", &["-i", "a", "b"])
        .stdin("n\n")
        .go()
        .expect(0, b"", b"mv: overwrite 'b'? ");
    assert!(d.exists("a"));
    d.run("mv", &["-i", "a", "b"])
        .stdin("y\n")
        .go()
        .expect(0, b"", b"mv: overwrite 'b'? ");
    assert!(!d.exists("a"));
    assert_eq!(d.read("b"), b"A");
    // -f after -i: no question.
    d.write("c", "C");
    d.run("mv", &["-i", "-f", "c", "b"]).ok("");
    assert_eq!(d.read("b"), b"C");
    // -u keeps a newer destination.
    d.write("old", "old");
    d.write("new", "new");
    d.sh("touch -d 2000-01-01 old && touch -d 2001-01-01 new")
        .ok("");
    d.run("mv", &["-u", "old", "new"]).ok("");
    assert_eq!(d.read("new"), b"new");
    assert!(d.exists("old"));
    d.run("mv", &["-u", "new", "old"]).ok("");
    assert_eq!(d.read("old"), b"new");
    // Backups.
    d.write("x", "X");
    d.write("y", "Y");
    d.run("mv", &["-b", "-v", "x", "y"])
        .ok("renamed 'x' -> 'y' (backup: 'y~')\n");
    assert_eq!(d.read("y~"), b"Y");
}

/// A directory on another filesystem than the scratch directories, or None.
fn other_fs(d: &Dir) -> Option<std::path::PathBuf> {
    let shm = Path::new("/dev/shm");
    let m = std::fs::metadata(shm).ok()?;
    if !m.is_dir() || m.dev() == meta(&d.path).dev() {
        return None;
    }
    let p = shm.join(format!(
        "ibex-mv-{}-{}",
        std::process::id(),
        d.path.file_name()?.to_string_lossy()
    ));
    let _ = std::fs::remove_dir_all(&p);
    std::fs::create_dir(&p).ok()?;
    Some(p)
}

struct Cleanup(std::path::PathBuf);
impl Drop for Cleanup {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[test]
fn mv_across_filesystems() {
    let d = Dir::new();
    let Some(far) = other_fs(&d) else {
        eprintln!("SKIPPED mv_across_filesystems: /dev/shm is missing or on the same filesystem");
        return;
    };
    let _c = Cleanup(far.clone());
    let fars = far.to_str().unwrap();
    // A file: contents, mode and times come along; the source goes.
    d.write("f", "file data");
    chmod(d.p("f"), 0o640);
    d.sh("touch -d '2001-01-01 00:00:00.25' f").ok("");
    d.run("mv", &["-v", "f", fars])
        .ok(format!("copied 'f' -> '{fars}/f'\nremoved 'f'\n"));
    assert!(!d.exists("f"));
    let m = meta(far.join("f"));
    assert_eq!((m.mode() & 0o7777, m.mtime_nsec()), (0o640, 250_000_000));
    assert_eq!(std::fs::read(far.join("f")).unwrap(), b"file data");
    // A tree with links, a fifo, hard links, modes and times.
    d.write("t/a", "A");
    d.write("t/sub/b", "B");
    std::fs::hard_link(d.p("t/a"), d.p("t/sub/a3")).unwrap();
    std::os::unix::fs::symlink("a", d.p("t/l")).unwrap();
    d.sh("mkfifo t/p && chmod 750 t/sub && touch -d 2002-02-02 t/sub")
        .ok("");
    d.run("mv", &["t", &format!("{fars}/t")]).ok("");
    assert!(!d.exists("t"));
    let t = far.join("t");
    assert_eq!(std::fs::read(t.join("sub/b")).unwrap(), b"B");
    assert_eq!(meta(t.join("a")).ino(), meta(t.join("sub/a3")).ino());
    assert_eq!(link_text(t.join("l")), "a");
    assert!(meta(t.join("p")).file_type().is_fifo());
    assert_eq!(meta(t.join("sub")).mode() & 0o7777, 0o750);
    assert_eq!(meta(t.join("sub")).mtime(), 1012608000);
    // Replacing an existing file over there, and moving back.
    d.write("g", "new");
    std::fs::write(far.join("g"), "old").unwrap();
    d.run("mv", &["g", fars]).ok("");
    assert_eq!(std::fs::read(far.join("g")).unwrap(), b"new");
    d.run("mv", &[&format!("{fars}/g"), "back"]).ok("");
    assert_eq!(d.read("back"), b"new");
    // -n leaves an existing destination alone.
    d.write("h", "here");
    std::fs::write(far.join("h"), "there").unwrap();
    d.run("mv", &["-n", "h", fars]).ok("");
    assert_eq!(d.read("h"), b"here");
    // A non-empty directory there is not replaced.
    d.write("dd/x", "x");
    std::fs::create_dir_all(far.join("dd/y")).unwrap();
    d.run("mv", &["dd", fars]).fails(
        1,
        format!(
            "mv: inter-device move failed: 'dd' to '{fars}/dd'; unable to remove target: \
             Directory not empty\n"
        ),
    );
    assert_eq!(d.read("dd/x"), b"x");
    // No temporary names are left behind.
    let left: Vec<_> = std::fs::read_dir(&far)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn mv_failed_copy_leaves_source_intact() {
    if skip_unless_root("mv_failed_copy_leaves_source_intact") {
        return;
    }
    if std::process::Command::new("unshare")
        .args(["-m", "true"])
        .status()
        .map(|s| !s.success())
        .unwrap_or(true)
    {
        eprintln!("SKIPPED mv_failed_copy_leaves_source_intact: unshare -m does not work here");
        return;
    }
    let d = Dir::new();
    d.mkdir("small");
    d.write("tree/a", "A");
    d.write("tree/big", vec![1u8; 1 << 20]);
    d.write("big", vec![2u8; 1 << 20]);
    // A 256 KiB tmpfs in a private mount namespace: the copies cannot fit.
    let o = d
        .sh(
            "unshare -m sh -c 'mount -t tmpfs -o size=256k ibex small || exit 99; \
             $B/mv big small/; echo $?; $B/mv tree small/; echo $?; ls -A small'",
        )
        .go();
    if o.code == 99 {
        eprintln!("SKIPPED mv_failed_copy_leaves_source_intact: cannot mount tmpfs");
        return;
    }
    o.expect(
        0,
        b"1\n1\n",
        b"mv: error writing 'small/big': No space left on device\n\
          mv: error writing 'small/tree/big': No space left on device\n",
    );
    assert_eq!(d.read("big"), vec![2u8; 1 << 20]);
    assert_eq!(d.read("tree/big"), vec![1u8; 1 << 20]);
    assert_eq!(d.read("tree/a"), b"A");
}

// ---------------------------------------------------------------- install

#[test]
fn install_files_with_modes() {
    let d = Dir::new();
    d.write("a", "A");
    chmod(d.p("a"), 0o600);
    d.run("install", &["a", "b"]).ok("");
    assert_eq!(mode(d.p("b")), 0o755);
    assert_eq!(d.read("b"), b"A");
    d.run("install", &["-m", "644", "a", "c"]).ok("");
    assert_eq!(mode(d.p("c")), 0o644);
    d.run("install", &["-m", "u+x,g=r", "a", "s"]).ok("");
    assert_eq!(mode(d.p("s")), 0o140);
    d.run("install", &["-m", "4755", "a", "suid"]).ok("");
    assert_eq!(mode(d.p("suid")), 0o4755);
    d.run("install", &["-c", "a", "cc"]).ok("");
    assert_eq!(mode(d.p("cc")), 0o755);
    d.run("install", &["-m", "zz", "a", "x"])
        .fails(1, "install: invalid mode 'zz'\n");
    d.run("install", &["-o", "nosuchuser", "a", "x"])
        .fails(1, "install: invalid user 'nosuchuser'\n");
    d.run("install", &["-g", "nosuchgroup", "a", "x"])
        .fails(1, "install: invalid group 'nosuchgroup'\n");
    assert!(!d.exists("x"));
    // -p keeps the times.
    d.sh("touch -d '2001-01-01 00:00:00.5' a").ok("");
    d.run("install", &["-p", "a", "p"]).ok("");
    assert_eq!(meta(d.p("p")).mtime_nsec(), 500_000_000);
    assert_eq!(meta(d.p("p")).mtime(), meta(d.p("a")).mtime());
    // Replacing makes a new file (by rename): other links keep the old data.
    std::fs::hard_link(d.p("b"), d.p("b2")).unwrap();
    d.write("a2", "A2");
    d.run("install", &["-v", "a2", "b"]).ok("'a2' -> 'b'\n");
    assert_eq!(d.read("b"), b"A2");
    assert_eq!(d.read("b2"), b"A");
    let left: Vec<_> = std::fs::read_dir(&d.path)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn install_replaces_a_running_program() {
    let d = Dir::new();
    d.write("a", "new");
    let o = d
        .sh("cp /bin/sleep prog && ./prog 5 & sleep 0.5; \
             install a prog; echo $?; cat prog; echo; kill $! 2>/dev/null; true")
        .go();
    o.expect(0, b"0\nnew\n", b"");
}

#[test]
fn install_directories() {
    let d = Dir::new();
    d.sh("umask 077; install -d x/y/z").ok("");
    assert_eq!(mode(d.p("x")), 0o755);
    assert_eq!(mode(d.p("x/y/z")), 0o755);
    d.run("install", &["-d", "-m", "700", "md"]).ok("");
    assert_eq!(mode(d.p("md")), 0o700);
    // An existing directory gets the mode too.
    d.run("install", &["-d", "md"]).ok("");
    assert_eq!(mode(d.p("md")), 0o755);
    d.run("install", &["-vd", "v1/v2"])
        .ok("install: creating directory 'v1'\ninstall: creating directory 'v1/v2'\n");
    d.write("f", "");
    d.run("install", &["-d", "f"])
        .fails(1, "install: cannot create directory 'f': File exists\n");
    d.run("install", &["-d", "f/sub"])
        .fails(1, "install: cannot create directory 'f': Not a directory\n");
    d.run("install", &["-d"])
        .fails(1, format!("install: missing file operand\n{INSTALL_USAGE}"));
}

#[test]
fn install_leading_directories_and_targets() {
    let d = Dir::new();
    d.write("a", "A");
    d.write("b", "B");
    d.sh("umask 077; install -D a p/q/r").ok("");
    assert_eq!(d.read("p/q/r"), b"A");
    assert_eq!(mode(d.p("p/q")), 0o755);
    d.run("install", &["-vD", "a", "n/m/o"])
        .ok("install: creating directory 'n'\ninstall: creating directory 'n/m'\n'a' -> 'n/m/o'\n");
    d.run("install", &["-Dt", "t/u", "a", "b"]).ok("");
    assert_eq!(d.read("t/u/b"), b"B");
    d.run("install", &["-t", "t", "a"]).ok("");
    assert_eq!(d.read("t/a"), b"A");
    d.run("install", &["a", "b", "t/u"]).ok("");
    d.run("install", &["-t", "nod", "a"]).fails(
        1,
        "install: failed to access 'nod': No such file or directory\n",
    );
    d.run("install", &["a", "b", "c"])
        .fails(1, "install: target 'c': No such file or directory\n");
    d.run("install", &["-T", "a", "t"]).fails(
        1,
        "install: cannot overwrite directory 't' with non-directory\n",
    );
    d.run("install", &["t", "x"])
        .fails(1, "install: omitting directory 't'\n");
    d.run("install", &["a", "a"])
        .fails(1, "install: 'a' and 'a' are the same file\n");
    d.run("install", &["nope", "x"]).fails(
        1,
        "install: cannot stat 'nope': No such file or directory\n",
    );
    d.run("install", &["a"]).fails(
        1,
        format!("install: missing destination file operand after 'a'\n{INSTALL_USAGE}"),
    );
    d.run("install", &["a", "nod/x"]).fails(
        1,
        "install: cannot create regular file 'nod/x': No such file or directory\n",
    );
}

#[test]
fn install_compare_backup_owner_strip() {
    let d = Dir::new();
    d.write("a", "A");
    d.run("install", &["-C", "-v", "a", "b"]).ok("'a' -> 'b'\n");
    let ino = meta(d.p("b")).ino();
    d.run("install", &["-C", "-v", "a", "b"]).ok("");
    assert_eq!(meta(d.p("b")).ino(), ino);
    // A different mode means a new install.
    d.run("install", &["-C", "-m", "644", "-v", "a", "b"])
        .ok("'a' -> 'b'\n");
    d.run("install", &["-b", "-v", "a", "b"])
        .ok("'a' -> 'b' (backup: 'b~')\n");
    assert!(d.exists("b~"));
    if is_root() {
        d.run("install", &["-o", "12", "-g", "34", "a", "own"])
            .ok("");
        assert_eq!((meta(d.p("own")).uid(), meta(d.p("own")).gid()), (12, 34));
        d.run("install", &["-d", "-o", "12", "-g", "34", "owndir"])
            .ok("");
        assert_eq!(meta(d.p("owndir")).uid(), 12);
    }
    // -s runs $STRIPPROG (or strip) on the new file, before it is renamed.
    d.write("strip.sh", "#!/bin/sh\necho stripped > \"$1\"\n");
    chmod(d.p("strip.sh"), 0o755);
    let prog = d.p("strip.sh");
    d.run("install", &["-s", "a", "s1"])
        .env("STRIPPROG", &prog)
        .ok("");
    assert_eq!(d.read("s1"), b"stripped\n");
    assert_eq!(mode(d.p("s1")), 0o755);
    d.run("install", &["-s", "--strip-program=false", "a", "s2"])
        .fails(1, "install: strip process terminated abnormally\n");
    assert!(!d.exists("s2"));
}

// ---------------------------------------------------------------- ln

#[test]
fn ln_hard_and_symbolic() {
    let d = Dir::new();
    d.write("a", "A");
    d.run("ln", &["a", "h"]).ok("");
    assert_eq!(meta(d.p("h")).ino(), meta(d.p("a")).ino());
    d.run("ln", &["-v", "a", "h2"]).ok("'h2' => 'a'\n");
    d.run("ln", &["-s", "a", "s"]).ok("");
    assert_eq!(link_text(d.p("s")), "a");
    d.run("ln", &["-sv", "anything", "s2"])
        .ok("'s2' -> 'anything'\n");
    // One operand: a link of the same name here.
    d.mkdir("sub");
    d.run("ln", &["-s", "/x/y"]).ok("");
    assert_eq!(link_text(d.p("y")), "/x/y");
    d.run("ln", &["-s", "a"])
        .fails(1, "ln: failed to create symbolic link './a': File exists\n");
    // -L / -P for hard links to symlinks.
    d.run("ln", &["s", "hs"]).ok("");
    assert!(meta(d.p("hs")).file_type().is_symlink());
    d.run("ln", &["-L", "s", "hl"]).ok("");
    assert_eq!(meta(d.p("hl")).ino(), meta(d.p("a")).ino());
}

#[test]
fn ln_force_replaces_atomically() {
    let d = Dir::new();
    d.write("a", "A");
    d.write("b", "B");
    d.run("ln", &["a", "b"])
        .fails(1, "ln: failed to create hard link 'b': File exists\n");
    d.run("ln", &["-s", "a", "b"])
        .fails(1, "ln: failed to create symbolic link 'b': File exists\n");
    d.run("ln", &["-sf", "a", "b"]).ok("");
    assert_eq!(link_text(d.p("b")), "a");
    d.run("ln", &["-f", "a", "b"]).ok("");
    assert_eq!(meta(d.p("b")).ino(), meta(d.p("a")).ino());
    // Already linked: fine, and nothing left behind.
    d.run("ln", &["-f", "a", "b"]).ok("");
    d.run("ln", &["-f", "a", "a"])
        .fails(1, "ln: 'a' and 'a' are the same file\n");
    d.run("ln", &["-sf", "a", "./a"])
        .fails(1, "ln: 'a' and './a' are the same file\n");
    assert_eq!(d.read("a"), b"A");
    let left: Vec<_> = std::fs::read_dir(&d.path)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(left.is_empty(), "{left:?}");
    // -i
    d.write("c", "C");
    d.run("ln", &["-si", "a", "c"])
        .stdin("n\n")
        .go()
        .expect(0, b"", b"ln: replace 'c'? ");
    assert_eq!(d.read("c"), b"C");
    d.run("ln", &["-si", "a", "c"])
        .stdin("y\n")
        .go()
        .expect(0, b"", b"ln: replace 'c'? ");
    assert_eq!(link_text(d.p("c")), "a");
    // -b
    d.write("e", "E");
    d.run("ln", &["-sbv", "a", "e"]).ok("'e~' ~ 'e' -> 'a'\n");
    assert_eq!(d.read("e~"), b"E");
}

#[test]
fn ln_directories_and_no_dereference() {
    let d = Dir::new();
    d.write("a", "A");
    d.mkdir("d");
    d.run("ln", &["d", "dl"])
        .fails(1, "ln: d: hard link not allowed for directory\n");
    d.run("ln", &["-s", "d", "dlink"]).ok("");
    // A symlink to a directory is entered...
    d.run("ln", &["-s", "a", "dlink"]).ok("");
    assert_eq!(link_text(d.p("d/a")), "a");
    // ... unless -n treats it as a file.
    d.run("ln", &["-sn", "a", "dlink"]).fails(
        1,
        "ln: failed to create symbolic link 'dlink': File exists\n",
    );
    d.run("ln", &["-sfn", "a", "dlink"]).ok("");
    assert_eq!(link_text(d.p("dlink")), "a");
    d.run("ln", &["-sfT", "a", "d"])
        .fails(1, "ln: d: cannot overwrite directory\n");
    d.run("ln", &["-T", "a", "d"])
        .fails(1, "ln: failed to create hard link 'd': File exists\n");
}

#[test]
fn ln_relative_and_targets() {
    let d = Dir::new();
    d.write("a", "A");
    d.mkdir("d/e");
    d.run("ln", &["-sr", "a", "d/e/rel"]).ok("");
    assert_eq!(link_text(d.p("d/e/rel")), "../../a");
    assert_eq!(d.read("d/e/rel"), b"A");
    d.run("ln", &["-srv", "d/../a", "d/r2"])
        .ok("'d/r2' -> '../a'\n");
    d.run("ln", &["-sr", "a", "here"]).ok("");
    assert_eq!(link_text(d.p("here")), "a");
    d.run("ln", &["-sr", "nowhere/x", "d/r3"]).ok("");
    assert_eq!(link_text(d.p("d/r3")), "../nowhere/x");
    d.write("b", "B");
    d.run("ln", &["-t", "d", "a", "b"]).ok("");
    assert_eq!(meta(d.p("d/b")).ino(), meta(d.p("b")).ino());
    d.run("ln", &["-sv", "a", "b", "d/e"])
        .ok("'d/e/a' -> 'a'\n'd/e/b' -> 'b'\n");
    d.run("ln", &["-sT", "a", "newname"]).ok("");
    assert_eq!(link_text(d.p("newname")), "a");
}

#[test]
fn ln_errors() {
    let d = Dir::new();
    d.write("a", "A");
    d.run("ln", &[])
        .fails(1, format!("ln: missing file operand\n{LN_USAGE}"));
    d.run("ln", &["nope", "z"]).fails(
        1,
        "ln: failed to access 'nope': No such file or directory\n",
    );
    d.run("ln", &["-s", "a", "b", "c"])
        .fails(1, "ln: target 'c': No such file or directory\n");
    d.run("ln", &["-s", "a", "b", "a"])
        .fails(1, "ln: target 'a' is not a directory\n");
    d.run("ln", &["-t", "a", "b"])
        .fails(1, "ln: target 'a' is not a directory\n");
    d.run("ln", &["-t", "nod", "a"])
        .fails(1, "ln: failed to access 'nod': No such file or directory\n");
    d.run("ln", &["-T", "a"]).fails(
        1,
        format!("ln: missing destination file operand after 'a'\n{LN_USAGE}"),
    );
    d.run("ln", &["-r", "a", "x"]).fails(
        1,
        format!("ln: cannot do --relative without --symbolic\n{LN_USAGE}"),
    );
    d.run("ln", &["-s", "a", "nod/x"]).fails(
        1,
        "ln: failed to create symbolic link 'nod/x': No such file or directory\n",
    );
    d.run("ln", &["a", "nod/x"]).fails(
        1,
        "ln: failed to create hard link 'nod/x' => 'a': No such file or directory\n",
    );
    d.run("ln", &["-s", "", "e"]).fails(
        1,
        "ln: failed to create symbolic link 'e' -> '': No such file or directory\n",
    );
    d.run("ln", &["-q", "a", "x"])
        .fails(1, format!("ln: invalid option -- 'q'\n{LN_USAGE}"));
    if let Some(far) = other_fs(&d) {
        let _c = Cleanup(far.clone());
        let x = far.join("x");
        d.run("ln", &["a", x.to_str().unwrap()]).fails(
            1,
            format!(
                "ln: failed to create hard link '{}' => 'a': Invalid cross-device link\n",
                x.display()
            ),
        );
    }
}

#[test]
fn cp_link_options_rank_not_order() {
    // -L beats -H, -H beats -P/-d/-a, whichever comes last (as BusyBox).
    let d = Dir::new();
    d.write("s/f", "x");
    d.mkdir("s/d");
    d.sh("ln -s f s/l && ln -s d s/dl && ln -s s/f top").ok("");
    let kinds = "for f in top s/l s/dl; do [ -L o/$f ] && printf L || printf F; done";
    for (opts, want) in [
        ("-RLP", "FFF"),
        ("-RPL", "FFF"),
        ("-RLH", "FFF"),
        ("-RHL", "FFF"),
        ("-RHP", "FLL"),
        ("-RPH", "FLL"),
        ("-RHd", "FLL"),
        ("-aH", "FLL"),
        ("-RLd", "FFF"),
        ("-RP", "LLL"),
        ("-R", "LLL"),
    ] {
        d.sh(&format!(
            "rm -rf o && mkdir o && $B/cp {opts} s top o && {kinds}"
        ))
        .ok(want);
    }
}
