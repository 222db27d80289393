//! rm, rmdir, mkdir, touch, chmod, chown, chgrp, mknod, mkfifo, mktemp.

use crate::harness::*;
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
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

fn symlink(target: &str, link: impl AsRef<Path>) {
    std::os::unix::fs::symlink(target, link).unwrap();
}

fn have(tool: &str) -> bool {
    ["/usr/bin/", "/bin/", "/usr/sbin/", "/sbin/"]
        .iter()
        .any(|d| Path::new(&format!("{d}{tool}")).exists())
}

/// The command prefix that runs as `nobody`, when that can be done here
/// (as root, with setpriv): tests of permission refusals use it, since
/// root is refused nothing.
fn as_nobody(what: &str) -> Option<&'static str> {
    if !is_root() || !have("setpriv") {
        eprintln!("SKIPPED {what}: needs root and setpriv to run as nobody");
        return None;
    }
    Some("setpriv --reuid 65534 --regid 65534 --clear-groups")
}

/// A scratch directory that nobody may write in.
fn open_dir() -> Dir {
    let d = Dir::new();
    chmod(&d.path, 0o777);
    d
}

fn chown(p: impl AsRef<Path>, uid: u32, gid: u32) {
    std::os::unix::fs::lchown(p, Some(uid), Some(gid)).unwrap();
}

const RM_USAGE: &str = "Usage: rm [-irfdvI] FILE...\n";
const RMDIR_USAGE: &str = "Usage: rmdir [-pv] DIRECTORY...\n";
const MKDIR_USAGE: &str = "Usage: mkdir [-m MODE] [-pv] DIRECTORY...\n";
const TOUCH_USAGE: &str = "Usage: touch [-c] [-d DATE] [-t DATE] [-r FILE] [-ahm] FILE...\n";
const CHMOD_USAGE: &str = "Usage: chmod [-Rcvf] MODE[,MODE]... FILE...\n";
const CHOWN_USAGE: &str = "Usage: chown [-RhLHPcvf] [OWNER][:[GROUP]] FILE...\n";
const CHGRP_USAGE: &str = "Usage: chgrp [-RhLHPcvf] GROUP FILE...\n";
const MKNOD_USAGE: &str = "Usage: mknod [-m MODE] NAME TYPE [MAJOR MINOR]\n";
const MKFIFO_USAGE: &str = "Usage: mkfifo [-m MODE] NAME...\n";
const MKTEMP_USAGE: &str = "Usage: mktemp [-dqtu] [-p DIR] [--suffix=SUFF] [TEMPLATE]\n";

#[test]
fn usage_errors_and_help() {
    for (applet, usage) in [
        ("rm", RM_USAGE),
        ("rmdir", RMDIR_USAGE),
        ("mkdir", MKDIR_USAGE),
        ("touch", TOUCH_USAGE),
        ("chmod", CHMOD_USAGE),
        ("chown", CHOWN_USAGE),
        ("chgrp", CHGRP_USAGE),
        ("mknod", MKNOD_USAGE),
        ("mkfifo", MKFIFO_USAGE),
        ("mktemp", MKTEMP_USAGE),
    ] {
        run(applet, &["-z", "x"]).fails(1, format!("{applet}: invalid option -- 'z'\n{usage}"));
        run(applet, &["--bogus"]).fails(
            1,
            format!("{applet}: unrecognized option '--bogus'\n{usage}"),
        );
        let o = run(applet, &["--help"]).go();
        assert_eq!(o.code, 0, "{applet}");
        assert!(o.out().starts_with(usage), "{applet}: {}", o.out());
    }
}

// ---------------------------------------------------------------- rm

#[test]
fn rm_files_and_missing_operands() {
    let d = Dir::new();
    d.run("rm", &[])
        .fails(1, format!("rm: missing operand\n{RM_USAGE}"));
    d.run("rm", &["-f"]).ok("");
    d.run("rm", &["nope"])
        .fails(1, "rm: cannot remove 'nope': No such file or directory\n");
    d.run("rm", &["-f", "nope"]).ok("");
    d.run("rm", &[""])
        .fails(1, "rm: cannot remove '': No such file or directory\n");
    d.write("a", "x");
    d.write("b", "");
    d.run("rm", &["a", "nope", "b"])
        .fails(1, "rm: cannot remove 'nope': No such file or directory\n");
    assert!(!d.exists("a") && !d.exists("b"));
    d.write("c", "");
    d.run("rm", &["-v", "c"]).ok("removed 'c'\n");
    // A symbolic link is removed, not its target.
    d.write("t", "");
    symlink("t", d.p("l"));
    symlink("nowhere", d.p("dangling"));
    d.run("rm", &["l", "dangling"]).ok("");
    assert!(d.exists("t") && !d.exists("l") && !d.exists("dangling"));
}

#[test]
fn rm_directories_need_r_or_d() {
    let d = Dir::new();
    d.mkdir("e");
    d.write("full/f", "");
    d.run("rm", &["e"])
        .fails(1, "rm: cannot remove 'e': Is a directory\n");
    d.run("rm", &["-d", "full"])
        .fails(1, "rm: cannot remove 'full': Directory not empty\n");
    d.run("rm", &["-dv", "e"]).ok("removed directory 'e'\n");
    assert!(!d.exists("e"));
    d.run("rm", &["-d", "."])
        .fails(1, "rm: cannot remove '.': Directory not empty\n");
    d.run("rm", &["."])
        .fails(1, "rm: cannot remove '.': Is a directory\n");
    // A file named with a trailing slash is not a directory; -f hides that.
    d.write("f", "");
    d.run("rm", &["f/"])
        .fails(1, "rm: cannot remove 'f/': Not a directory\n");
    d.run("rm", &["-rf", "f/"]).ok("");
    d.run("rm", &["f///"])
        .fails(1, "rm: cannot remove 'f/': Not a directory\n");
    assert!(d.exists("f"));
}

#[test]
fn rm_recursive_verbose_is_post_order() {
    let d = Dir::new();
    d.write("a/b/c/f", "x");
    d.run("rm", &["-rv", "a"]).ok(
        "removed 'a/b/c/f'\nremoved directory 'a/b/c'\nremoved directory 'a/b'\nremoved directory 'a'\n",
    );
    assert!(!d.exists("a"));
    // Several trailing slashes show as one.
    d.write("t/u", "");
    d.run("rm", &["-Rv", "t///"])
        .ok("removed 't/u'\nremoved directory 't/'\n");
    d.write("s/u", "");
    d.run("rm", &["--recursive", "--verbose", "s/"])
        .ok("removed 's/u'\nremoved directory 's/'\n");
    // Symbolic links inside are removed, never followed.
    d.write("keep/k", "");
    d.mkdir("tree");
    symlink("../keep", d.p("tree/link"));
    d.run("rm", &["-r", "tree"]).ok("");
    assert!(d.exists("keep/k") && !d.exists("tree"));
}

#[test]
fn rm_refuses_dot_dotdot_and_root() {
    let d = Dir::new();
    d.mkdir("d");
    for op in [".", "..", "d/..", "d/.", "d/./", "./"] {
        d.run("rm", &["-r", op]).fails(
            1,
            format!("rm: refusing to remove '.' or '..' directory: skipping '{op}'\n"),
        );
    }
    d.run("rm", &["-rf", "."]).fails(
        1,
        "rm: refusing to remove '.' or '..' directory: skipping '.'\n",
    );
    assert!(d.exists("d"));
    // `/` is refused before anything else happens. As a safeguard should
    // that check ever break, these run with -i answering "n", and as
    // nobody when we are root.
    let guard = if !is_root() {
        ""
    } else if let Some(nobody) = as_nobody("rm of '/'") {
        nobody
    } else {
        return;
    };
    let danger = "rm: use --no-preserve-root to override this failsafe\n";
    let rm_slash = |args: &str| d.sh(&format!("echo n | {guard} $B/rm {args}"));
    rm_slash("-ri /").fails(
        1,
        format!("rm: it is dangerous to operate recursively on '/'\n{danger}"),
    );
    rm_slash("-ri //").fails(
        1,
        format!("rm: it is dangerous to operate recursively on '//' (same as '/')\n{danger}"),
    );
    rm_slash("-ri ///").fails(
        1,
        format!("rm: it is dangerous to operate recursively on '/'\n{danger}"),
    );
    symlink("/", d.p("r"));
    rm_slash("-ri --preserve-root r/").fails(
        1,
        format!("rm: it is dangerous to operate recursively on 'r/' (same as '/')\n{danger}"),
    );
    // Without the failsafe it asks (and "n" keeps everything).
    rm_slash("-ri --no-preserve-root /").go().expect(
        0,
        b"",
        b"rm: descend into write-protected directory '/'? ",
    );
    // The link itself is just a link.
    d.run("rm", &["-r", "r"]).ok("");
    assert!(!d.exists("r"));
    d.run("rm", &["--preserve-root=some", "x"])
        .fails(1, "rm: unrecognized --preserve-root argument: 'some'\n");
}

#[test]
fn rm_interactive_prompts() {
    let d = Dir::new();
    d.write("empty", "");
    d.write("full", "data");
    symlink("full", d.p("link"));
    d.sh("mkfifo fifo").ok("");
    d.run("rm", &["-i", "empty", "full", "link", "fifo"])
        .stdin("n\nno\nN\nx\n")
        .go()
        .expect(
            0,
            b"",
            b"rm: remove regular empty file 'empty'? rm: remove regular file 'full'? \
rm: remove symbolic link 'link'? rm: remove fifo 'fifo'? ",
        );
    assert!(d.exists("empty") && d.exists("full") && d.exists("link") && d.exists("fifo"));
    d.run("rm", &["-i", "empty", "full"])
        .stdin("y\nYes\n")
        .go()
        .expect(
            0,
            b"",
            b"rm: remove regular empty file 'empty'? rm: remove regular file 'full'? ",
        );
    assert!(!d.exists("empty") && !d.exists("full"));
    // End of input means no.
    d.run("rm", &["-i", "fifo"])
        .go()
        .expect(0, b"", b"rm: remove fifo 'fifo'? ");
    assert!(d.exists("fifo"));
    // Directories: -i without -r refuses before asking; -d asks.
    d.mkdir("e");
    d.run("rm", &["-i", "e"])
        .stdin("y\n")
        .fails(1, "rm: cannot remove 'e': Is a directory\n");
    d.run("rm", &["-di", "e"])
        .stdin("y\n")
        .go()
        .expect(0, b"", b"rm: remove directory 'e'? ");
    assert!(!d.exists("e"));
    // -f after -i turns prompting off; -i after -f turns it on.
    d.run("rm", &["-i", "-f", "fifo", "nope"]).ok("");
    assert!(!d.exists("fifo"));
    d.write("g", "");
    d.run("rm", &["-f", "-i", "g", "nope"])
        .stdin("y\n")
        .go()
        .expect(
        1,
        b"",
        b"rm: remove regular empty file 'g'? rm: cannot remove 'nope': No such file or directory\n",
    );
    assert!(!d.exists("g"));
}

#[test]
fn rm_interactive_recursive() {
    let d = Dir::new();
    d.write("d/f", "");
    d.mkdir("d/e");
    // Declining a child keeps its parent, silently.
    d.sh("printf 'y\\nn\\nn\\n' | rm -ri d/e d/f; rm -ri d < /dev/null")
        .go()
        .expect(
            0,
            b"",
            b"rm: remove directory 'd/e'? rm: remove regular empty file 'd/f'? \
rm: descend into directory 'd'? ",
        );
    assert!(!d.exists("d/e") && d.exists("d/f"));
    d.run("rm", &["-ri", "d"]).stdin("y\nn\n").go().expect(
        0,
        b"",
        b"rm: descend into directory 'd'? rm: remove regular empty file 'd/f'? ",
    );
    assert!(d.exists("d/f"));
    d.run("rm", &["-ri", "d"]).stdin("y\ny\ny\n").go().expect(
        0,
        b"",
        b"rm: descend into directory 'd'? rm: remove regular empty file 'd/f'? \
rm: remove directory 'd'? ",
    );
    assert!(!d.exists("d"));
    // Declining to descend keeps the whole tree.
    d.write("x/y/z", "");
    d.run("rm", &["-r", "--interactive", "x"])
        .stdin("y\nn\ny\n")
        .go()
        .expect(
            0,
            b"",
            b"rm: descend into directory 'x'? rm: descend into directory 'x/y'? ",
        );
    assert!(d.exists("x/y/z"));
}

#[test]
fn rm_prompt_once() {
    let d = Dir::new();
    for f in ["a", "b", "c", "d"] {
        d.write(f, "");
    }
    d.run("rm", &["-I", "a", "b", "c", "d"])
        .stdin("n\n")
        .go()
        .expect(0, b"", b"rm: remove 4 arguments? ");
    assert!(d.exists("a"));
    // Three or fewer files: no question.
    d.run("rm", &["-I", "a", "b", "c"]).ok("");
    assert!(!d.exists("a") && d.exists("d"));
    d.write("t/f", "");
    d.run("rm", &["-rI", "t"]).stdin("n\n").go().expect(
        0,
        b"",
        b"rm: remove 1 argument recursively? ",
    );
    assert!(d.exists("t/f"));
    d.run("rm", &["-r", "--interactive=once", "t", "d"])
        .stdin("y\n")
        .go()
        .expect(0, b"", b"rm: remove 2 arguments recursively? ");
    assert!(!d.exists("t") && !d.exists("d"));
    // --interactive=never and its synonyms and prefixes.
    for w in ["never", "no", "none", "n"] {
        d.write("x", "");
        d.run("rm", &[&format!("--interactive={w}"), "x"]).ok("");
        assert!(!d.exists("x"));
    }
    d.write("x", "");
    d.run("rm", &["--interactive=always", "x"])
        .stdin("n\n")
        .go()
        .expect(0, b"", b"rm: remove regular empty file 'x'? ");
    d.run("rm", &["--interactive=sometimes", "x"]).fails(
        1,
        format!(
            "rm: invalid argument 'sometimes' for '--interactive'\n\
Valid arguments are:\n  - 'never', 'no', 'none'\n  - 'once'\n  - 'always', 'yes'\n{RM_USAGE}"
        ),
    );
    assert!(d.exists("x"));
}

#[test]
fn rm_quotes_names_like_gnu() {
    let d = Dir::new();
    for f in ["a b", "it's", "q\"'"] {
        d.write(f, "");
    }
    d.run("rm", &["-v", "a b", "it's", "q\"'"])
        .ok("removed 'a b'\nremoved \"it's\"\nremoved 'q\"'\\'''\n");
    let odd = OsStr::from_bytes(b"x\xffy\nz");
    std::fs::write(d.path.join(odd), "").unwrap();
    let o = d.run("rm", &["-v"]).args_os(&[odd]).go();
    o.expect(0, b"removed 'x'$'\\377''y'$'\\n''z'\n", b"");
    d.run("rm", &["no\tpe"]).fails(
        1,
        "rm: cannot remove 'no'$'\\t''pe': No such file or directory\n",
    );
}

/// Make a chain of `depth` directories named `d` under `root` without
/// recursion or long paths: each is made and opened through the previous
/// one's descriptor (via /proc/self/fd).
fn deep_tree(root: &Path, depth: usize) {
    let mut cur = std::fs::File::open(root).unwrap();
    for _ in 0..depth {
        let fd = std::os::fd::AsRawFd::as_raw_fd(&cur);
        let p = format!("/proc/self/fd/{fd}/d");
        std::fs::create_dir(&p).unwrap();
        cur = std::fs::File::open(&p).unwrap();
    }
    let fd = std::os::fd::AsRawFd::as_raw_fd(&cur);
    std::fs::write(format!("/proc/self/fd/{fd}/leaf"), "x").unwrap();
}

#[test]
fn rm_deep_tree() {
    if !Path::new("/proc/self/fd").exists() {
        eprintln!("SKIPPED rm_deep_tree: no /proc");
        return;
    }
    let d = Dir::new();
    d.mkdir("deep");
    deep_tree(&d.p("deep"), 10_000);
    // A descriptor limit well below the depth shows none are kept per level.
    d.sh("ulimit -n 64; rm -r deep").ok("");
    assert!(!d.exists("deep"));
}

#[test]
fn rm_wide_directory() {
    let d = Dir::new();
    let w = d.mkdir("wide");
    for i in 0..100_000 {
        std::fs::File::create(w.join(format!("file-{i}"))).unwrap();
    }
    d.run("rm", &["-r", "wide"]).ok("");
    assert!(!d.exists("wide"));
}

#[test]
fn rm_permission_refusals() {
    let Some(nobody) = as_nobody("rm_permission_refusals") else {
        return;
    };
    let d = open_dir();
    d.write("d/u/x", "");
    d.write("d/w/y", "");
    d.write("d/ok", "");
    chmod(d.p("d/u"), 0o000);
    chmod(d.p("d/w"), 0o555);
    for p in ["d", "d/u", "d/u/x", "d/w", "d/w/y", "d/ok"] {
        chown(d.p(p), 65534, 65534);
    }
    let o = d.sh(&format!("{nobody} $B/rm -r d")).go();
    assert_eq!(o.code, 1);
    let mut lines: Vec<&str> = std::str::from_utf8(&o.stderr).unwrap().lines().collect();
    lines.sort_unstable();
    assert_eq!(
        lines,
        [
            "rm: cannot remove 'd/u': Permission denied",
            "rm: cannot remove 'd/w/y': Permission denied"
        ]
    );
    // What could go, went; the parents of what could not, stayed.
    assert!(!d.exists("d/ok") && d.exists("d/w/y") && d.exists("d/u"));
    // A file in a directory nobody may not write.
    d.write("rootdir/f", "");
    d.sh(&format!("{nobody} $B/rm rootdir/f"))
        .fails(1, "rm: cannot remove 'rootdir/f': Permission denied\n");
    d.sh(&format!("{nobody} $B/rm -rf rootdir"))
        .fails(1, "rm: cannot remove 'rootdir/f': Permission denied\n");
}

#[test]
fn rm_write_protected_prompts() {
    let Some(nobody) = as_nobody("rm_write_protected_prompts") else {
        return;
    };
    let d = open_dir();
    for f in ["a", "b", "c"] {
        d.write(f, "");
        chmod(d.p(f), 0o444);
        chown(d.p(f), 65534, 65534);
    }
    d.write("wd/f", "");
    chmod(d.p("wd"), 0o555);
    chown(d.p("wd"), 65534, 65534);
    chown(d.p("wd/f"), 65534, 65534);
    // -i names write-protected files and directories as such.
    d.sh(&format!("echo n | {nobody} $B/rm -i a")).go().expect(
        0,
        b"",
        b"rm: remove write-protected regular empty file 'a'? ",
    );
    d.sh(&format!("echo n | {nobody} $B/rm -ri wd"))
        .go()
        .expect(0, b"", b"rm: descend into write-protected directory 'wd'? ");
    // Without -i and with standard input not a terminal: no question.
    d.sh(&format!("{nobody} $B/rm a")).ok("");
    assert!(!d.exists("a"));
    // On a terminal it asks, as GNU rm does; -f never asks.
    if have("script") {
        let o = d
            .sh(&format!(
                "echo n | {nobody} script -qec '$B/rm b; echo rc=$?' /dev/null"
            ))
            .go();
        assert!(
            o.out()
                .contains("rm: remove write-protected regular empty file 'b'? "),
            "{}",
            o.out()
        );
        assert!(o.out().contains("rc=0"), "{}", o.out());
        assert!(d.exists("b"));
        let o = d
            .sh(&format!(
                "echo n | {nobody} script -qec '$B/rm -f b c' /dev/null"
            ))
            .go();
        assert!(!o.out().contains("remove"), "{}", o.out());
        assert!(!d.exists("b") && !d.exists("c"));
    } else {
        eprintln!("SKIPPED rm on a terminal: no script(1)");
    }
}

/// Run a script in a private mount namespace (to mount a tmpfs), or say
/// why not.
fn in_mount_ns(d: &Dir, what: &str, script: &str) -> Option<Out> {
    if !is_root() || !have("unshare") {
        eprintln!("SKIPPED {what}: needs root and unshare");
        return None;
    }
    if d.sh("unshare -m true").go().code != 0 {
        eprintln!("SKIPPED {what}: cannot make a mount namespace");
        return None;
    }
    let probe = d.sh("unshare -m sh -c 'mount -t tmpfs none .'").go();
    if probe.code != 0 {
        eprintln!("SKIPPED {what}: cannot mount a tmpfs: {}", probe.err());
        return None;
    }
    Some(d.sh(&format!("unshare -m sh -c '{script}'")).go())
}

#[test]
fn rm_mount_points() {
    let d = Dir::new();
    d.mkdir("d/m");
    d.write("d/x/f", "");
    let Some(o) = in_mount_ns(
        &d,
        "rm_mount_points",
        "mount -t tmpfs none d/m && touch d/m/inner && \
         $B/rm -r --one-file-system d; echo rc=$?; \
         test -e d/x || echo x gone; test -e d/m/inner && echo inner kept; \
         $B/rm -rf --preserve-root=all d/m; echo rc=$?; \
         $B/rm -r d; echo rc=$?; test -d d/m && echo m kept; test -e d/m/inner || echo inner gone",
    ) else {
        return;
    };
    o.expect(
        0,
        b"rc=1\nx gone\ninner kept\nrc=1\nrc=1\nm kept\ninner gone\n",
        b"rm: skipping 'd/m', since it's on a different device\n\
rm: skipping 'd/m', since it's on a different device\n\
rm: and --preserve-root=all is in effect\n\
rm: cannot remove 'd/m': Device or resource busy\n",
    );
}

// ---------------------------------------------------------------- rmdir

#[test]
fn rmdir_basics() {
    let d = Dir::new();
    d.run("rmdir", &[])
        .fails(1, format!("rmdir: missing operand\n{RMDIR_USAGE}"));
    d.mkdir("e");
    d.write("full/f", "");
    d.write("file", "");
    d.run("rmdir", &["e"]).ok("");
    assert!(!d.exists("e"));
    d.run("rmdir", &["full", "nope", "file"]).fails(
        1,
        "rmdir: failed to remove 'full': Directory not empty\n\
rmdir: failed to remove 'nope': No such file or directory\n\
rmdir: failed to remove 'file': Not a directory\n",
    );
    d.run("rmdir", &["--ignore-fail-on-non-empty", "full"])
        .ok("");
    assert!(d.exists("full/f"));
    d.mkdir("v");
    d.run("rmdir", &["-v", "v/"])
        .ok("rmdir: removing directory, 'v/'\n");
}

#[test]
fn rmdir_parents() {
    let d = Dir::new();
    d.mkdir("a/b/c");
    d.run("rmdir", &["-pv", "a/b/c"]).ok(
        "rmdir: removing directory, 'a/b/c'\nrmdir: removing directory, 'a/b'\nrmdir: removing directory, 'a'\n",
    );
    assert!(!d.exists("a"));
    d.mkdir("m/n");
    d.run("rmdir", &["-p", "m//n//"]).ok("");
    assert!(!d.exists("m"));
    d.mkdir("x/y/z");
    d.write("x/f", "");
    d.run("rmdir", &["-p", "x/y/z"]).fails(
        1,
        "rmdir: failed to remove directory 'x': Directory not empty\n",
    );
    assert!(d.exists("x/f") && !d.exists("x/y"));
    d.mkdir("x/y/z");
    d.run("rmdir", &["-pv", "--ignore-fail-on-non-empty", "x/y/z"])
        .ok("rmdir: removing directory, 'x/y/z'\nrmdir: removing directory, 'x/y'\nrmdir: removing directory, 'x'\n");
    assert!(d.exists("x/f"));
    d.run("rmdir", &["-p", "x/gone/z"]).fails(
        1,
        "rmdir: failed to remove 'x/gone/z': No such file or directory\n",
    );
}

#[test]
fn rmdir_ignore_non_empty_when_refused() {
    let Some(nobody) = as_nobody("rmdir_ignore_non_empty_when_refused") else {
        return;
    };
    let d = open_dir();
    d.write("p/full/f", "");
    d.mkdir("p/empty");
    chmod(d.p("p"), 0o555);
    d.sh(&format!(
        "{nobody} $B/rmdir --ignore-fail-on-non-empty p/full"
    ))
    .ok("");
    d.sh(&format!(
        "{nobody} $B/rmdir --ignore-fail-on-non-empty p/empty"
    ))
    .fails(1, "rmdir: failed to remove 'p/empty': Permission denied\n");
}

// ---------------------------------------------------------------- mkdir

#[test]
fn mkdir_basics() {
    let d = Dir::new();
    d.run("mkdir", &[])
        .fails(1, format!("mkdir: missing operand\n{MKDIR_USAGE}"));
    d.sh("umask 022; mkdir a").ok("");
    assert_eq!(mode(d.p("a")), 0o755);
    assert!(meta(d.p("a")).is_dir());
    d.sh("umask 027; mkdir -v b c/")
        .ok("mkdir: created directory 'b'\nmkdir: created directory 'c/'\n");
    assert_eq!(mode(d.p("b")), 0o750);
    d.run("mkdir", &["a"])
        .fails(1, "mkdir: cannot create directory 'a': File exists\n");
    d.run("mkdir", &["x/y"]).fails(
        1,
        "mkdir: cannot create directory 'x/y': No such file or directory\n",
    );
    d.run("mkdir", &[""]).fails(
        1,
        "mkdir: cannot create directory '': No such file or directory\n",
    );
    d.write("f", "");
    d.run("mkdir", &["f/g"])
        .fails(1, "mkdir: cannot create directory 'f/g': Not a directory\n");
}

#[test]
fn mkdir_parents() {
    let d = Dir::new();
    d.run("mkdir", &["-pv", "a/b/c"]).ok(
        "mkdir: created directory 'a'\nmkdir: created directory 'a/b'\nmkdir: created directory 'a/b/c'\n",
    );
    d.run("mkdir", &["-p", "a/b/c", "a"]).ok("");
    d.run("mkdir", &["--parents", "--verbose", "a//x/", "a/../y", "./z/./w/."])
        .ok("mkdir: created directory 'a//x/'\nmkdir: created directory 'a/../y'\nmkdir: created directory './z'\nmkdir: created directory './z/./w'\n");
    assert!(d.exists("a/x") && d.exists("y") && d.exists("z/w"));
    d.write("f", "");
    d.run("mkdir", &["-p", "f"])
        .fails(1, "mkdir: cannot create directory 'f': File exists\n");
    d.run("mkdir", &["-p", "f/g/h"])
        .fails(1, "mkdir: cannot create directory 'f': Not a directory\n");
    symlink("nowhere", d.p("dl"));
    d.run("mkdir", &["-p", "dl/x"])
        .fails(1, "mkdir: cannot create directory 'dl': File exists\n");
    // Through a symlink to a directory is fine.
    symlink("a", d.p("al"));
    d.run("mkdir", &["-p", "al/q/r"]).ok("");
    assert!(d.exists("a/q/r"));
    // Parents get u+wx on top of the umask; -m applies to the last only.
    d.sh("umask 077; mkdir -p -m 755 p/q/r; umask 277; mkdir -p s/t")
        .ok("");
    assert_eq!(mode(d.p("p")), 0o700);
    assert_eq!(mode(d.p("p/q")), 0o700);
    assert_eq!(mode(d.p("p/q/r")), 0o755);
    assert_eq!(mode(d.p("s")), 0o700);
    assert_eq!(mode(d.p("s/t")), 0o500);
}

#[test]
fn mkdir_modes() {
    let d = Dir::new();
    for (i, (m, want)) in [
        ("700", 0o700),
        ("u=rwx,g=,o=", 0o700),
        ("1777", 0o1777),
        ("=w", 0o200),
        ("g+s", 0o2777),
        ("-w", 0o577),
        ("a-w", 0o555),
        ("+x", 0o777),
        ("0", 0o000),
    ]
    .into_iter()
    .enumerate()
    {
        let name = format!("m{i}");
        d.sh(&format!("umask 022; mkdir -m '{m}' {name}")).ok("");
        assert_eq!(mode(d.p(&name)), want, "{m}");
    }
    d.sh("umask 022; mkdir --mode=750 long").ok("");
    assert_eq!(mode(d.p("long")), 0o750);
    d.run("mkdir", &["-m", "bad", "z"])
        .fails(1, "mkdir: invalid mode 'bad'\n");
    d.run("mkdir", &["-m", "8", "z"])
        .fails(1, "mkdir: invalid mode '8'\n");
    assert!(!d.exists("z"));
}

// ---------------------------------------------------------------- touch

fn times(p: impl AsRef<Path>) -> (i64, i64, i64, i64) {
    let m = meta(p);
    (m.atime(), m.atime_nsec(), m.mtime(), m.mtime_nsec())
}

#[test]
fn touch_creates_and_updates() {
    let d = Dir::new();
    d.run("touch", &[])
        .fails(1, format!("touch: missing file operand\n{TOUCH_USAGE}"));
    d.sh("umask 022; touch a b; umask 077; touch c").ok("");
    assert_eq!(mode(d.p("a")), 0o644);
    assert_eq!(mode(d.p("c")), 0o600);
    assert_eq!(meta(d.p("a")).len(), 0);
    // An existing file keeps its data; its times become now.
    d.write("old", "data");
    d.run("touch", &["-d", "@1000", "old"]).ok("");
    let before = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    d.run("touch", &["old"]).ok("");
    let (a, _, m, _) = times(d.p("old"));
    assert!(a >= before && m >= before, "{a} {m} {before}");
    assert_eq!(d.read("old"), b"data");
    // -c: no file made, no error.
    d.run("touch", &["-c", "new"]).ok("");
    d.run("touch", &["--no-create", "new"]).ok("");
    assert!(!d.exists("new"));
    d.run("touch", &["nodir/x"]).fails(
        1,
        "touch: cannot touch 'nodir/x': No such file or directory\n",
    );
    d.write("file", "");
    d.run("touch", &["file/"])
        .fails(1, "touch: setting times of 'file/': Not a directory\n");
    d.run("touch", &["-h", "nope"]).fails(
        1,
        "touch: setting times of 'nope': No such file or directory\n",
    );
    // A directory is touched too.
    d.mkdir("dir");
    d.run("touch", &["-d", "@3", "dir"]).ok("");
    assert_eq!(times(d.p("dir")), (3, 0, 3, 0));
    // `-` is standard output.
    d.write("out", "");
    d.sh("touch -d @7 - > out").ok("");
    assert_eq!(times(d.p("out")).2, 7);
}

#[test]
fn touch_dates() {
    let d = Dir::new();
    d.write("f", "");
    let cases: &[(&str, i64, i64)] = &[
        ("@0", 0, 0),
        ("@1.5", 1, 500_000_000),
        ("@-1", -1, 0),
        ("2020-01-02", 1_577_923_200, 0),
        ("2020-01-02 03:04", 1_577_934_240, 0),
        ("2020-01-02 03:04:05.123456789", 1_577_934_245, 123_456_789),
        ("2020-01-02T03:04:05", 1_577_934_245, 0),
        ("2020-01-02T03:04:05Z", 1_577_934_245, 0),
        ("2020-01-02 03:04:05 UTC", 1_577_934_245, 0),
        ("2020-01-02 03:04:05+01:00", 1_577_930_645, 0),
        ("2020-01-02 03:04:05 -0200", 1_577_941_445, 0),
        ("2020-01-02 +3 days", 1_578_182_400, 0),
        ("2020-01-02 -2 hours", 1_577_916_000, 0),
        ("2020-01-02 1 week ago", 1_577_318_400, 0),
        ("2020-01-02 12:00 next hour", 1_577_970_000, 0),
        ("Jan 2 2020", 1_577_923_200, 0),
        ("2 Jan 2020 10:00", 1_577_959_200, 0),
        ("01/02/2020", 1_577_923_200, 0),
        ("20200102", 1_577_923_200, 0),
        ("2020-01-31 +1 month", 1_583_107_200, 0),
    ];
    for &(date, sec, nsec) in cases {
        d.run("touch", &["-d", date, "f"]).ok("");
        assert_eq!(times(d.p("f")), (sec, nsec, sec, nsec), "{date}");
    }
    // The process's TZ gives local times.
    d.run("touch", &["-d", "2020-06-01 12:00", "f"])
        .env("TZ", "America/New_York")
        .ok("");
    assert_eq!(times(d.p("f")).2, 1_591_027_200);
    d.run("touch", &["--date=2020-01-01", "f"])
        .env("TZ", "Asia/Kolkata")
        .ok("");
    assert_eq!(times(d.p("f")).2, 1_577_817_000);
    for bad in [
        "xyz",
        "2020-02-30",
        "2020-13-01",
        "25:00",
        "1 day ago ago",
        "@1 day",
    ] {
        d.run("touch", &["-d", bad, "f"])
            .fails(1, format!("touch: invalid date format '{bad}'\n"));
    }
}

#[test]
fn touch_relative_dates() {
    let d = Dir::new();
    d.write("f", "");
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let close = |got: i64, want: i64| (got - want).abs() <= 5;
    for (date, offset) in [
        ("now", 0),
        ("today", 0),
        ("yesterday", -86400),
        ("tomorrow", 86400),
        ("+3 days", 3 * 86400),
        ("-2 hours", -7200),
        ("1 week ago", -7 * 86400),
        ("next week", 7 * 86400),
        ("10 sec ago", -10),
    ] {
        d.run("touch", &["-d", date, "f"]).ok("");
        let m = times(d.p("f")).2;
        assert!(close(m, now + offset), "{date}: {m} vs {}", now + offset);
    }
    // Weekdays land on midnight of that day, within the coming (or, with
    // `last`, the past) week.
    for (date, lo, hi) in [
        ("next monday", 1, 7),
        ("last friday", -7, -1),
        ("monday", 0, 6),
    ] {
        d.run("touch", &["-d", date, "f"]).ok("");
        let m = times(d.p("f")).2;
        assert_eq!(m % 86400, 0, "{date}");
        let days = (m - (now - now % 86400)) / 86400;
        assert!((lo..=hi).contains(&days), "{date}: {days}");
        // 1970-01-01 was a Thursday; weekday of m:
        let wday = (m / 86400 + 4) % 7;
        let want = if date.ends_with("friday") { 5 } else { 1 };
        assert_eq!(wday, want, "{date}");
    }
}

/// Days since 1970-01-01 of a Gregorian date.
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * ((m + 9) % 12) + 2) / 5 + d - 1;
    era * 146_097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719_468
}

/// The year of a day number.
fn civil_year(days: i64) -> i64 {
    let mut y = 1970 + days / 366;
    while days_from_civil(y + 1, 1, 1) <= days {
        y += 1;
    }
    y
}

#[test]
fn touch_stamps_and_references() {
    let d = Dir::new();
    d.write("f", "");
    for (stamp, sec) in [
        ("202001020304", 1_577_934_240),
        ("202001020304.05", 1_577_934_245),
        ("2001020304", 1_577_934_240),
        ("6901010000", -31_536_000),
        ("197001010000", 0),
        ("202012312359.60", 1_609_459_200),
    ] {
        d.run("touch", &["-t", stamp, "f"]).ok("");
        assert_eq!(times(d.p("f")), (sec, 0, sec, 0), "{stamp}");
    }
    // MMDDhhmm: this year.
    d.run("touch", &["-t", "01020304", "f"]).ok("");
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let year = civil_year(now / 86400);
    let want = days_from_civil(year, 1, 2) * 86400 + 3 * 3600 + 4 * 60;
    assert_eq!(times(d.p("f")).2, want);
    for bad in [
        "1",
        "202013010000",
        "202002300000",
        "202012312359.61",
        "2020010100000",
    ] {
        d.run("touch", &["-t", bad, "f"])
            .fails(1, format!("touch: invalid date format '{bad}'\n"));
    }
    d.run("touch", &["-d", "@1", "-t", "200001010000", "f"])
        .fails(
            1,
            format!("touch: cannot specify times from more than one source\n{TOUCH_USAGE}"),
        );
    // -r copies both times, with nanoseconds; -d is then relative to them.
    d.write("ref", "");
    d.run("touch", &["-d", "2000-01-01 00:00:00.25", "ref"])
        .ok("");
    d.run("touch", &["-a", "-d", "@5", "ref"]).ok("");
    d.run("touch", &["-r", "ref", "f"]).ok("");
    assert_eq!(times(d.p("f")), (5, 0, 946_684_800, 250_000_000));
    d.run("touch", &["--reference=ref", "-d", "+1 day", "f"])
        .ok("");
    assert_eq!(times(d.p("f")), (86405, 0, 946_771_200, 250_000_000));
    d.run("touch", &["-r", "nope", "f"]).fails(
        1,
        "touch: failed to get attributes of 'nope': No such file or directory\n",
    );
}

#[test]
fn touch_one_time_and_links() {
    let d = Dir::new();
    d.write("f", "");
    d.run("touch", &["-d", "@100", "f"]).ok("");
    d.run("touch", &["-a", "-d", "@5", "f"]).ok("");
    assert_eq!(times(d.p("f")), (5, 0, 100, 0));
    d.run("touch", &["-m", "-t", "202101010101.30", "f"]).ok("");
    assert_eq!(times(d.p("f")), (5, 0, 1_609_462_890, 0));
    d.run("touch", &["--time=access", "-d", "@6", "f"]).ok("");
    d.run("touch", &["--time=mt", "-d", "@7", "f"]).ok("");
    assert_eq!(times(d.p("f")), (6, 0, 7, 0));
    for w in ["atime", "use", "mtime", "modify"] {
        d.run("touch", &[&format!("--time={w}"), "-d", "@9", "f"])
            .ok("");
    }
    assert_eq!(times(d.p("f")), (9, 0, 9, 0));
    d.run("touch", &["--time=bad", "f"]).fails(
        1,
        format!(
            "touch: invalid argument 'bad' for '--time'\nValid arguments are:\n  \
- 'atime', 'access', 'use'\n  - 'mtime', 'modify'\n{TOUCH_USAGE}"
        ),
    );
    // Unique prefixes (or ones meaning the same) are enough.
    d.run("touch", &["--time=a", "-d", "@1", "f"]).ok("");
    d.run("touch", &["--time=mo", "-d", "@2", "f"]).ok("");
    assert_eq!(times(d.p("f")), (1, 0, 2, 0));
    // -h changes the link, not its target; without it, the target.
    d.write("t", "");
    d.run("touch", &["-d", "@50", "t"]).ok("");
    symlink("t", d.p("l"));
    symlink("nowhere", d.p("dangling"));
    d.run("touch", &["-h", "-d", "@9", "l", "dangling"]).ok("");
    assert_eq!(times(d.p("l")).2, 9);
    assert_eq!(times(d.p("dangling")).2, 9);
    assert_eq!(times(d.p("t")).2, 50);
    d.run("touch", &["-d", "@11", "l"]).ok("");
    assert_eq!(times(d.p("t")).2, 11);
    // -f is accepted and ignored.
    d.run("touch", &["-f", "-d", "@12", "t"]).ok("");
    assert_eq!(times(d.p("t")).2, 12);
}

#[test]
fn touch_refused() {
    let Some(nobody) = as_nobody("touch_refused") else {
        return;
    };
    let d = open_dir();
    d.write("rootf", "");
    d.mkdir("rd");
    chmod(d.p("rd"), 0o755);
    d.sh(&format!("{nobody} $B/touch rootf"))
        .fails(1, "touch: cannot touch 'rootf': Permission denied\n");
    d.sh(&format!("{nobody} $B/touch rd/new"))
        .fails(1, "touch: cannot touch 'rd/new': Permission denied\n");
    d.sh(&format!("{nobody} $B/touch -c -d @5 rootf")).fails(
        1,
        "touch: setting times of 'rootf': Operation not permitted\n",
    );
}

// ---------------------------------------------------------------- chmod

#[test]
fn chmod_modes() {
    let d = Dir::new();
    d.write("f", "");
    for (m, from, want) in [
        ("755", 0o644, 0o755),
        ("0644", 0o777, 0o644),
        ("4755", 0o644, 0o4755),
        ("u+x", 0o644, 0o744),
        ("go-r", 0o644, 0o600),
        ("a=r", 0o777, 0o444),
        ("u=rwx,g=rx,o=", 0o000, 0o750),
        ("o+t", 0o755, 0o1755),
        ("ug+s", 0o755, 0o6755),
        ("g=u", 0o640, 0o660),
        ("a+X", 0o644, 0o644),
        ("a+X", 0o744, 0o755),
        ("u+r-w", 0o200, 0o400),
        ("=", 0o777, 0o000),
    ] {
        chmod(d.p("f"), from);
        d.sh(&format!("umask 022; chmod '{m}' f")).ok("");
        assert_eq!(mode(d.p("f")), want, "{m} on {from:o}");
    }
    // Without a who, the umask limits the change.
    chmod(d.p("f"), 0o444);
    d.sh("umask 022; chmod +w f").ok("");
    assert_eq!(mode(d.p("f")), 0o644);
    // Modes that look like options are modes.
    chmod(d.p("f"), 0o755);
    d.run("chmod", &["-x", "f"]).ok("");
    assert_eq!(mode(d.p("f")), 0o644);
    chmod(d.p("f"), 0o200);
    d.run("chmod", &["-w,+r", "f"]).ok("");
    assert_eq!(mode(d.p("f")), 0o444);
    d.run("chmod", &["-v", "-rwx", "f"])
        .ok("mode of 'f' changed from 0444 (r--r--r--) to 0000 (---------)\n");
    chmod(d.p("f"), 0o755);
    d.run("chmod", &["--", "-x", "f"]).ok("");
    assert_eq!(mode(d.p("f")), 0o644);
    d.write("-x", "");
    chmod(d.p("-x"), 0o600);
    d.run("chmod", &["644", "--", "-x"]).ok("");
    assert_eq!(mode(d.p("-x")), 0o644);
    // Directories keep set-id bits under a short octal mode.
    d.mkdir("sd");
    chmod(d.p("sd"), 0o2755);
    d.run("chmod", &["750", "sd"]).ok("");
    assert_eq!(mode(d.p("sd")), 0o2750);
    d.run("chmod", &["00750", "sd"]).ok("");
    assert_eq!(mode(d.p("sd")), 0o750);
}

#[test]
fn chmod_errors() {
    let d = Dir::new();
    d.write("f", "");
    d.run("chmod", &[])
        .fails(1, format!("chmod: missing operand\n{CHMOD_USAGE}"));
    d.run("chmod", &["755"]).fails(
        1,
        format!("chmod: missing operand after '755'\n{CHMOD_USAGE}"),
    );
    d.run("chmod", &["x", "f"])
        .fails(1, format!("chmod: invalid mode: 'x'\n{CHMOD_USAGE}"));
    d.run("chmod", &["u+q", "f"])
        .fails(1, format!("chmod: invalid mode: 'u+q'\n{CHMOD_USAGE}"));
    d.run("chmod", &["-755", "f"])
        .fails(1, format!("chmod: invalid mode: '-755'\n{CHMOD_USAGE}"));
    d.run("chmod", &["755", "nope", "f"]).fails(
        1,
        "chmod: cannot access 'nope': No such file or directory\n",
    );
    d.run("chmod", &["-f", "755", "nope"]).fails(1, "");
    d.run("chmod", &["--quiet", "755", "nope"]).fails(1, "");
    d.run("chmod", &["-v", "755", "nope"]).go().expect(
        1,
        b"'nope' could not be accessed\n",
        b"chmod: cannot access 'nope': No such file or directory\n",
    );
    d.run("chmod", &["--reference=nope", "f"]).fails(
        1,
        "chmod: failed to get attributes of 'nope': No such file or directory\n",
    );
    d.run("chmod", &["--reference=f", "-x", "f"]).fails(
        1,
        format!("chmod: cannot combine mode and --reference options\n{CHMOD_USAGE}"),
    );
    symlink("nowhere", d.p("dangling"));
    d.run("chmod", &["644", "dangling"])
        .fails(1, "chmod: cannot operate on dangling symlink 'dangling'\n");
    d.run("chmod", &["-v", "644", "dangling"]).go().expect(
        1,
        b"'dangling' could not be accessed\n",
        b"chmod: cannot operate on dangling symlink 'dangling'\n",
    );
}

#[test]
fn chmod_verbose_and_changes() {
    let d = Dir::new();
    d.write("f", "");
    chmod(d.p("f"), 0o644);
    d.run("chmod", &["-v", "755", "f"])
        .ok("mode of 'f' changed from 0644 (rw-r--r--) to 0755 (rwxr-xr-x)\n");
    d.run("chmod", &["-v", "755", "f"])
        .ok("mode of 'f' retained as 0755 (rwxr-xr-x)\n");
    d.run("chmod", &["-c", "755", "f"]).ok("");
    d.run("chmod", &["--changes", "644", "f"])
        .ok("mode of 'f' changed from 0755 (rwxr-xr-x) to 0644 (rw-r--r--)\n");
    d.run("chmod", &["-c", "u+s", "f"])
        .ok("mode of 'f' changed from 0644 (rw-r--r--) to 4644 (rwSr--r--)\n");
    d.run("chmod", &["--verbose", "a-w,+t", "f"])
        .ok("mode of 'f' changed from 4644 (rwSr--r--) to 5444 (r-Sr--r-T)\n");
    d.write("a b", "");
    chmod(d.p("a b"), 0o600);
    d.run("chmod", &["-c", "g+r", "a b"])
        .ok("mode of 'a b' changed from 0600 (rw-------) to 0640 (rw-r-----)\n");
}

#[test]
fn chmod_umask_surprise_is_diagnosed() {
    let d = Dir::new();
    d.write("f", "");
    chmod(d.p("f"), 0o666);
    d.sh("umask 022; chmod -w f").fails(
        1,
        "chmod: f: new permissions are r--rw-rw-, not r--r--r--\n",
    );
    assert_eq!(mode(d.p("f")), 0o466);
    // Only for modes given like options, and even with -f.
    chmod(d.p("f"), 0o666);
    d.sh("umask 022; chmod u+r,-w f").ok("");
    chmod(d.p("f"), 0o666);
    d.sh("umask 022; chmod -f -w f").fails(
        1,
        "chmod: f: new permissions are r--rw-rw-, not r--r--r--\n",
    );
    chmod(d.p("f"), 0o666);
    d.sh("umask 0; chmod -w f").ok("");
    assert_eq!(mode(d.p("f")), 0o444);
}

#[test]
fn chmod_recursive() {
    let d = Dir::new();
    d.write("d/e/g", "");
    d.write("outside", "");
    chmod(d.p("outside"), 0o644);
    chmod(d.p("d"), 0o755);
    chmod(d.p("d/e"), 0o755);
    chmod(d.p("d/e/g"), 0o644);
    symlink("../outside", d.p("d/e/l"));
    // Pre-order; symbolic links met on the way are left alone.
    let o = d.run("chmod", &["-Rv", "700", "d"]).go();
    assert_eq!(o.code, 0);
    let out = o.out();
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines[0],
        "mode of 'd' changed from 0755 (rwxr-xr-x) to 0700 (rwx------)"
    );
    assert_eq!(
        lines[1],
        "mode of 'd/e' changed from 0755 (rwxr-xr-x) to 0700 (rwx------)"
    );
    let mut rest = lines[2..].to_vec();
    rest.sort_unstable();
    assert_eq!(
        rest,
        [
            "mode of 'd/e/g' changed from 0644 (rw-r--r--) to 0700 (rwx------)",
            "neither symbolic link 'd/e/l' nor referent has been changed"
        ]
    );
    assert_eq!(mode(d.p("outside")), 0o644);
    d.run("chmod", &["--recursive", "-c", "u=rwx,go=", "d"])
        .ok("");
    d.run("chmod", &["-R", "a+X,u-x", "d"]).ok("");
    assert_eq!(mode(d.p("d/e")), 0o611);
    assert_eq!(mode(d.p("d/e/g")), 0o611);
    // A symlink operand is followed, even with -R.
    symlink("d", d.p("dl"));
    d.run("chmod", &["-R", "755", "dl"]).ok("");
    assert_eq!(mode(d.p("d/e/g")), 0o755);
    assert_eq!(meta(d.p("dl")).mode() & 0o777, 0o777);
    symlink("outside", d.p("ol"));
    d.run("chmod", &["-v", "600", "ol"])
        .ok("mode of 'ol' changed from 0644 (rw-r--r--) to 0600 (rw-------)\n");
    assert_eq!(mode(d.p("outside")), 0o600);
    // --reference copies the whole mode, special bits too.
    chmod(d.p("outside"), 0o4751);
    d.run("chmod", &["-R", "--reference=outside", "d"]).ok("");
    assert_eq!(mode(d.p("d/e/g")), 0o4751);
    d.run("chmod", &["-v", "644", "d//"])
        .ok("mode of 'd/' changed from 4751 (rwsr-x--x) to 4644 (rwSr--r--)\n");
}

#[test]
fn chmod_refusals() {
    let Some(nobody) = as_nobody("chmod_refusals") else {
        return;
    };
    let d = open_dir();
    d.write("rootf", "");
    chmod(d.p("rootf"), 0o644);
    d.sh(&format!("{nobody} $B/chmod 755 rootf")).fails(
        1,
        "chmod: changing permissions of 'rootf': Operation not permitted\n",
    );
    d.sh(&format!("{nobody} $B/chmod -f 755 rootf"))
        .fails(1, "");
    d.sh(&format!("{nobody} $B/chmod -v 755 rootf"))
        .go()
        .expect(
            1,
            b"failed to change mode of 'rootf' from 0644 (rw-r--r--) to 0755 (rwxr-xr-x)\n",
            b"chmod: changing permissions of 'rootf': Operation not permitted\n",
        );
    d.sh(&format!("{nobody} $B/chmod -c 755 rootf")).fails(
        1,
        "chmod: changing permissions of 'rootf': Operation not permitted\n",
    );
    // --preserve-root, run as nobody so that a broken check could not
    // change anything of consequence.
    let danger = "chmod: use --no-preserve-root to override this failsafe\n";
    d.sh(&format!("{nobody} $B/chmod --preserve-root -R u+r /"))
        .fails(
            1,
            format!("chmod: it is dangerous to operate recursively on '/'\n{danger}"),
        );
    symlink("/", d.p("r"));
    d.sh(&format!("{nobody} $B/chmod --preserve-root -R u+r r"))
        .fails(
            1,
            format!("chmod: it is dangerous to operate recursively on 'r' (same as '/')\n{danger}"),
        );
    // An unreadable directory (nobody's own) is changed, then reported.
    d.write("mine/u/x", "");
    for p in ["mine", "mine/u", "mine/u/x"] {
        chown(d.p(p), 65534, 65534);
    }
    chmod(d.p("mine/u"), 0o300);
    d.sh(&format!("{nobody} $B/chmod -R a-w mine")).fails(
        1,
        "chmod: cannot read directory 'mine/u': Permission denied\n",
    );
    assert_eq!(mode(d.p("mine/u")), 0o100);
}

// ---------------------------------------------------------------- chown

/// A passwd and group file for name lookups that do not depend on the
/// system's.
fn user_db(d: &Dir) -> (String, String) {
    d.write(
        "passwd",
        "root:x:0:0:root:/root:/bin/sh\nalice:x:1000:1000::/home/alice:/bin/sh\n\
bob:x:1001:100::/home/bob:/bin/sh\n42:x:4242:4242::/:/bin/sh\nnogrp:x:2000:3333::/:/bin/sh\n",
    );
    d.write(
        "group",
        "root:x:0:\nalice:x:1000:\nusers:x:100:bob\nstaff:x:50:\n77:x:7777:\n",
    );
    (
        d.p("passwd").to_string_lossy().into_owned(),
        d.p("group").to_string_lossy().into_owned(),
    )
}

fn owner(p: impl AsRef<Path>) -> (u32, u32) {
    let m = meta(p);
    (m.uid(), m.gid())
}

#[test]
fn chown_specs() {
    if skip_unless_root("chown_specs") {
        return;
    }
    let d = Dir::new();
    let (pw, gr) = user_db(&d);
    d.write("f", "");
    let ch = |args: &[&str]| {
        d.run("chown", args)
            .env("IBEX_PASSWD", &pw)
            .env("IBEX_GROUP", &gr)
    };
    for (spec, want) in [
        ("alice", (1000, 0)),
        ("bob:staff", (1001, 50)),
        ("0:0", (0, 0)),
        ("1234:5678", (1234, 5678)),
        (":users", (1234, 100)),
        ("alice:", (1000, 1000)),
        ("bob:", (1001, 100)),
        ("+42", (42, 100)),
        ("42", (4242, 100)),
        (":+77", (4242, 77)),
        (":77", (4242, 7777)),
        (":", (4242, 7777)),
        ("", (4242, 7777)),
        ("root:root", (0, 0)),
    ] {
        ch(&[spec, "f"]).ok("");
        assert_eq!(owner(d.p("f")), want, "{spec}");
    }
    ch(&["alice.staff", "f"]).fails(0, "chown: warning: '.' should be ':': 'alice.staff'\n");
    assert_eq!(owner(d.p("f")), (1000, 50));
    ch(&[".users", "f"]).fails(0, "chown: warning: '.' should be ':': '.users'\n");
    assert_eq!(owner(d.p("f")), (1000, 100));
    for (spec, err) in [
        ("nobody-here", "invalid user: 'nobody-here'"),
        ("bogus:bogus", "invalid user: 'bogus:bogus'"),
        (":bogus", "invalid group: ':bogus'"),
        ("alice:bogus", "invalid group: 'alice:bogus'"),
        ("1:2:3", "invalid group: '1:2:3'"),
        ("1234:", "invalid spec: '1234:'"),
        ("0.", "invalid user: '0.'"),
        ("4294967295", "invalid user: '4294967295'"),
        ("99999999999", "invalid user: '99999999999'"),
        ("+x", "invalid user: '+x'"),
    ] {
        ch(&[spec, "f"]).fails(1, format!("chown: {err}\n"));
    }
    ch(&["4294967294", "f"]).ok("");
    assert_eq!(owner(d.p("f")).0, 4_294_967_294);
    ch(&[]).fails(1, format!("chown: missing operand\n{CHOWN_USAGE}"));
    ch(&["alice"]).fails(
        1,
        format!("chown: missing operand after 'alice'\n{CHOWN_USAGE}"),
    );
    ch(&["alice", "nope"]).fails(
        1,
        "chown: cannot access 'nope': No such file or directory\n",
    );
    ch(&["-f", "alice", "nope"]).fails(1, "");
}

#[test]
fn chown_verbose() {
    if skip_unless_root("chown_verbose") {
        return;
    }
    let d = Dir::new();
    let (pw, gr) = user_db(&d);
    d.write("f", "");
    chown(d.p("f"), 0, 0);
    let ch = |args: &[&str]| {
        d.run("chown", args)
            .env("IBEX_PASSWD", &pw)
            .env("IBEX_GROUP", &gr)
    };
    ch(&["-v", "alice", "f"]).ok("changed ownership of 'f' from root to alice\n");
    ch(&["-v", "alice", "f"]).ok("ownership of 'f' retained as alice\n");
    ch(&["-c", "alice", "f"]).ok("");
    ch(&["-c", "root:root", "f"]).ok("changed ownership of 'f' from alice:root to root:root\n");
    ch(&["-v", "1234:5678", "f"]).ok("changed ownership of 'f' from root:root to 1234:5678\n");
    // A numeric group alone reads as a group change; a named one as
    // ownership with an empty owner (GNU's wording).
    ch(&["-v", ":0", "f"]).ok("changed group of 'f' from 5678 to 0\n");
    ch(&["-v", ":users", "f"]).ok("changed ownership of 'f' from 1234:root to :users\n");
    ch(&["-v", "bob:", "f"]).ok("changed ownership of 'f' from 1234:users to bob:users\n");
    ch(&["-v", "0", "f"]).ok("changed ownership of 'f' from bob to 0\n");
    ch(&["-v", "0", "f"]).ok("ownership of 'f' retained as root\n");
    ch(&["-v", "root:100", "f"]).ok("ownership of 'f' retained as root:users\n");
    ch(&["-v", ":", "f"]).ok("ownership of 'f' retained\n");
    ch(&["--verbose", "--from=alice", "bob", "f"]).ok("ownership of 'f' retained as root\n");
    ch(&["--changes", "--from=root:users", "bob", "f"])
        .ok("changed ownership of 'f' from root to bob\n");
    ch(&["-c", "--from=:0", "alice", "f"]).ok("");
    assert_eq!(owner(d.p("f")), (1001, 100));
    d.write("r", "");
    chown(d.p("r"), 1000, 50);
    ch(&["-v", "--reference=r", "f"])
        .ok("changed ownership of 'f' from bob:users to alice:staff\n");
    ch(&["--reference=nope", "f"]).fails(
        1,
        "chown: failed to get attributes of 'nope': No such file or directory\n",
    );
}

#[test]
fn chown_links_and_recursion() {
    if skip_unless_root("chown_links_and_recursion") {
        return;
    }
    let d = Dir::new();
    d.write("f", "");
    d.write("d/e/g", "");
    symlink("../f", d.p("d/l"));
    symlink("f", d.p("fl"));
    symlink("d", d.p("dl"));
    // A symlink operand: its referent, unless -h.
    d.run("chown", &["7", "fl"]).ok("");
    assert_eq!(owner(d.p("f")).0, 7);
    assert_eq!(owner(d.p("fl")).0, 0);
    d.run("chown", &["-h", "8", "fl"]).ok("");
    assert_eq!(owner(d.p("fl")).0, 8);
    assert_eq!(owner(d.p("f")).0, 7);
    d.run("chown", &["--no-dereference", "--dereference", "9", "fl"])
        .ok("");
    assert_eq!(owner(d.p("f")).0, 9);
    // -R: post-order, links inside changed themselves (not followed).
    let o = d.run("chown", &["-Rv", "11", "d"]).go();
    assert_eq!(o.code, 0);
    let out = o.out();
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines.last(),
        Some(&"changed ownership of 'd' from root to 11")
    );
    let pos = |s: &str| lines.iter().position(|l| l.contains(s)).unwrap();
    assert!(pos("'d/e/g'") < pos("'d/e'"));
    assert_eq!(owner(d.p("d/l")).0, 11);
    assert_eq!(owner(d.p("f")).0, 9);
    // -R on a symlink operand: -P changes the link, -H goes through it.
    d.run("chown", &["-R", "12", "dl"]).ok("");
    assert_eq!(owner(d.p("dl")).0, 12);
    assert_eq!(owner(d.p("d")).0, 11);
    d.run("chown", &["-RH", "13", "dl"]).ok("");
    assert_eq!(owner(d.p("d/e/g")).0, 13);
    assert_eq!(owner(d.p("dl")).0, 12);
    // -H changes links met inside through them; -L too.
    assert_eq!(owner(d.p("f")).0, 13);
    d.run("chown", &["-RL", "14", "dl"]).ok("");
    assert_eq!(owner(d.p("d/e")).0, 14);
    assert_eq!(owner(d.p("f")).0, 14);
    d.run("chown", &["-RP", "-h", "15", "d"]).ok("");
    assert_eq!(owner(d.p("d/l")).0, 15);
    assert_eq!(owner(d.p("f")).0, 14);
    // A dangling link: its referent cannot be changed; the link can.
    symlink("nowhere", d.p("dangling"));
    d.run("chown", &["-v", "16", "dangling"]).go().expect(
        1,
        b"failed to change ownership of 'dangling' from root to 16\n",
        b"chown: cannot dereference 'dangling': No such file or directory\n",
    );
    d.run("chown", &["-hv", "16", "dangling"])
        .ok("changed ownership of 'dangling' from root to 16\n");
    d.run("chown", &["-R", "--dereference", "0", "d"])
        .fails(1, "chown: -R --dereference requires either -H or -L\n");
    // --preserve-root (run with -v so a failure shows; as root, with an
    // unchanged owner, a broken check would still change nothing).
    let danger = "chown: use --no-preserve-root to override this failsafe\n";
    d.run(
        "chown",
        &["--preserve-root", "-R", "--from=4242:4242", "0", "/"],
    )
    .fails(
        1,
        format!("chown: it is dangerous to operate recursively on '/'\n{danger}"),
    );
}

#[test]
fn chgrp_works() {
    if skip_unless_root("chgrp_works") {
        return;
    }
    let d = Dir::new();
    let (pw, gr) = user_db(&d);
    d.write("f", "");
    d.write("d/g", "");
    chown(d.p("f"), 0, 0);
    let cg = |args: &[&str]| {
        d.run("chgrp", args)
            .env("IBEX_PASSWD", &pw)
            .env("IBEX_GROUP", &gr)
    };
    cg(&["-v", "users", "f"]).ok("changed group of 'f' from root to users\n");
    cg(&["-v", "users", "f"]).ok("group of 'f' retained as users\n");
    cg(&["-c", "0", "f"]).ok("changed group of 'f' from users to 0\n");
    cg(&["77", "f"]).ok("");
    assert_eq!(owner(d.p("f")).1, 7777);
    cg(&["+77", "f"]).ok("");
    assert_eq!(owner(d.p("f")).1, 77);
    cg(&["-R", "staff", "d"]).ok("");
    assert_eq!(owner(d.p("d/g")).1, 50);
    assert_eq!(owner(d.p("d")).1, 50);
    cg(&["--reference=f", "d"]).ok("");
    assert_eq!(owner(d.p("d")).1, 77);
    cg(&["-v", "", "f"]).ok("ownership of 'f' retained\n");
    cg(&["bogus", "f"]).fails(1, "chgrp: invalid group: 'bogus'\n");
    cg(&[]).fails(1, format!("chgrp: missing operand\n{CHGRP_USAGE}"));
    cg(&["staff"]).fails(
        1,
        format!("chgrp: missing operand after 'staff'\n{CHGRP_USAGE}"),
    );
    cg(&["staff", "nope"]).fails(
        1,
        "chgrp: cannot access 'nope': No such file or directory\n",
    );
}

#[test]
fn chown_refused() {
    let Some(nobody) = as_nobody("chown_refused") else {
        return;
    };
    let d = open_dir();
    d.write("rootf", "");
    chown(d.p("rootf"), 0, 0);
    let (pw, gr) = user_db(&d);
    let env = format!("IBEX_PASSWD={pw} IBEX_GROUP={gr}");
    d.sh(&format!("{env} {nobody} $B/chown -v alice rootf"))
        .go()
        .expect(
            1,
            b"failed to change ownership of 'rootf' from root to alice\n",
            b"chown: changing ownership of 'rootf': Operation not permitted\n",
        );
    d.sh(&format!("{env} {nobody} $B/chgrp users rootf")).fails(
        1,
        "chgrp: changing group of 'rootf': Operation not permitted\n",
    );
    d.sh(&format!("{env} {nobody} $B/chown -f alice rootf"))
        .fails(1, "");
}

// ---------------------------------------------------------------- mknod, mkfifo

#[test]
fn mknod_fifos_and_errors() {
    let d = Dir::new();
    d.run("mknod", &[])
        .fails(1, format!("mknod: missing operand\n{MKNOD_USAGE}"));
    d.run("mknod", &["p"]).fails(
        1,
        format!("mknod: missing operand after 'p'\n{MKNOD_USAGE}"),
    );
    d.sh("umask 022; mknod p p").ok("");
    assert!(meta(d.p("p")).file_type().is_fifo());
    assert_eq!(mode(d.p("p")), 0o644);
    d.run("mknod", &["p2", "p", "1", "2"]).fails(
        1,
        format!(
            "mknod: extra operand '1'\nFifos do not have major and minor device numbers.\n{MKNOD_USAGE}"
        ),
    );
    d.run("mknod", &["c1", "c"]).fails(
        1,
        format!(
            "mknod: missing operand after 'c'\nSpecial files require major and minor device numbers.\n{MKNOD_USAGE}"
        ),
    );
    d.run("mknod", &["c1", "c", "1"]).fails(
        1,
        format!("mknod: missing operand after '1'\n{MKNOD_USAGE}"),
    );
    d.run("mknod", &["c2", "c", "1", "3", "4"])
        .fails(1, format!("mknod: extra operand '4'\n{MKNOD_USAGE}"));
    d.run("mknod", &["x", "z", "1", "2"])
        .fails(1, format!("mknod: invalid device type 'z'\n{MKNOD_USAGE}"));
    d.run("mknod", &["c3", "c", "x", "1"])
        .fails(1, "mknod: invalid major device number 'x'\n");
    d.run("mknod", &["c3", "c", "1", "y"])
        .fails(1, "mknod: invalid minor device number 'y'\n");
    d.run("mknod", &["c3", "c", "99999999999", "1"])
        .fails(1, "mknod: invalid major device number '99999999999'\n");
    d.run("mknod", &["p", "p"])
        .fails(1, "mknod: p: File exists\n");
    d.run("mknod", &["a b", "p"]).ok("");
    d.run("mknod", &["a b", "p"])
        .fails(1, "mknod: 'a b': File exists\n");
    d.run("mknod", &["nodir/q", "p"])
        .fails(1, "mknod: nodir/q: No such file or directory\n");
    d.run("mknod", &["-m", "bad", "q", "p"])
        .fails(1, "mknod: invalid mode\n");
    d.run("mknod", &["-m", "1777", "q", "p"])
        .fails(1, "mknod: mode must specify only file permission bits\n");
    assert!(!d.exists("q"));
    d.sh("umask 077; mknod -m 666 q p; umask 022; mknod --mode=+x q2 p; mknod -m u=rw,go= q3 p")
        .ok("");
    assert_eq!(mode(d.p("q")), 0o666);
    assert_eq!(mode(d.p("q2")), 0o777);
    assert_eq!(mode(d.p("q3")), 0o600);
}

#[test]
fn mknod_devices() {
    if skip_unless_root("mknod_devices") {
        return;
    }
    let d = Dir::new();
    d.sh("umask 022; mknod c1 c 1 3 && mknod -m 600 b1 b 7 0 && mknod u1 u 0x10 010")
        .ok("");
    let c1 = meta(d.p("c1"));
    assert!(c1.file_type().is_char_device());
    assert_eq!(c1.rdev(), (1 << 8) | 3);
    assert_eq!(mode(d.p("c1")), 0o644);
    let b1 = meta(d.p("b1"));
    assert!(b1.file_type().is_block_device());
    assert_eq!(b1.rdev(), 7 << 8);
    assert_eq!(mode(d.p("b1")), 0o600);
    let u1 = meta(d.p("u1"));
    assert!(u1.file_type().is_char_device());
    assert_eq!(u1.rdev(), (16 << 8) | 8);
    // A character device made here works (1,3 is /dev/null).
    d.sh("echo hi > c1 && cat c1").ok("");
}

#[test]
fn mkfifo_works() {
    let d = Dir::new();
    d.run("mkfifo", &[])
        .fails(1, format!("mkfifo: missing operand\n{MKFIFO_USAGE}"));
    d.sh("umask 022; mkfifo a b; mkfifo -m 600 c; umask 077; mkfifo --mode=644 e; mkfifo -Z f")
        .ok("");
    for (f, m) in [
        ("a", 0o644),
        ("b", 0o644),
        ("c", 0o600),
        ("e", 0o644),
        ("f", 0o600),
    ] {
        assert!(meta(d.p(f)).file_type().is_fifo(), "{f}");
        assert_eq!(mode(d.p(f)), m, "{f}");
    }
    d.run("mkfifo", &["a", "g", "nodir/x"]).fails(
        1,
        "mkfifo: cannot create fifo 'a': File exists\n\
mkfifo: cannot create fifo 'nodir/x': No such file or directory\n",
    );
    assert!(d.exists("g"));
    d.run("mkfifo", &["-m", "bad", "h"])
        .fails(1, "mkfifo: invalid mode\n");
    d.run("mkfifo", &["-m", "g+s", "h"])
        .fails(1, "mkfifo: mode must specify only file permission bits\n");
    assert!(!d.exists("h"));
    // Data goes through.
    d.sh("(echo through > a &) ; cat a").ok("through\n");
}

// ---------------------------------------------------------------- mktemp

fn tmp_run(d: &Dir, args: &[&str]) -> Run {
    d.run("mktemp", args).env("TMPDIR", &d.path)
}

fn random_part_ok(s: &str) -> bool {
    s.bytes().all(|c| c.is_ascii_alphanumeric())
}

#[test]
fn mktemp_files_and_dirs() {
    let d = Dir::new();
    let base = d.path.to_string_lossy().into_owned();
    let o = tmp_run(&d, &[]).go();
    assert_eq!(o.code, 0, "{}", o.err());
    let name = o.out();
    let name = name.trim_end();
    let rest = name.strip_prefix(&format!("{base}/tmp.")).unwrap();
    assert_eq!(rest.len(), 10);
    assert!(random_part_ok(rest), "{name}");
    assert!(meta(name).is_file());
    assert_eq!(mode(name), 0o600);
    // Modes ignore a permissive umask.
    let o = d.sh("umask 0; TMPDIR=. mktemp -d").go();
    let dir = o.out();
    assert_eq!(mode(d.p(dir.trim_end())), 0o700);
    assert!(meta(d.p(dir.trim_end())).is_dir());
    // A relative template is made in the current directory.
    let o = d.run("mktemp", &["fooXXX"]).go();
    let f = o.out();
    let f = f.trim_end();
    assert!(f.starts_with("foo") && f.len() == 6 && random_part_ok(&f[3..]));
    assert!(d.exists(f));
    let o = d.run("mktemp", &["-d", "dirXXXXXX"]).go();
    assert!(meta(d.p(o.out().trim_end())).is_dir());
    // Only the last run of X's changes.
    let o = d.run("mktemp", &["XXXaXXX"]).go();
    assert!(o.out().starts_with("XXXa"));
    // Many names, all different.
    let mut seen = std::collections::HashSet::new();
    for _ in 0..50 {
        let o = d.run("mktemp", &["uXXX"]).go();
        assert_eq!(o.code, 0);
        assert!(seen.insert(o.out()), "duplicate {}", o.out());
    }
}

#[test]
fn mktemp_directories_and_suffixes() {
    let d = Dir::new();
    let base = d.path.to_string_lossy().into_owned();
    d.mkdir("sub");
    let check = |args: &[&str], prefix: &str, suffix: &str| {
        let o = tmp_run(&d, args).go();
        assert_eq!(o.code, 0, "{args:?}: {}", o.err());
        let out = o.out();
        let name = out.trim_end();
        assert!(
            name.starts_with(prefix) && name.ends_with(suffix),
            "{args:?}: {name}"
        );
        let middle = &name[prefix.len()..name.len() - suffix.len()];
        assert!(random_part_ok(middle) && middle.len() >= 3, "{name}");
        name.to_string()
    };
    let sub = format!("{base}/sub/");
    check(&["-p", "sub", "xXXX"], "sub/x", "");
    check(&["--tmpdir=sub", "yXXX"], "sub/y", "");
    check(
        &["-p", &format!("{base}/sub"), "zXXX"],
        &format!("{sub}z"),
        "",
    );
    check(&["--tmpdir", "wXXX"], &format!("{base}/w"), "");
    check(&["-t", "tXXX"], &format!("{base}/t"), "");
    check(&["--suffix=.txt", "sXXX"], "s", ".txt");
    check(&["sXXX.txt"], "s", ".txt");
    check(&["sXX.XXX.b"], "sXX.", ".b");
    let n = check(&["-u", "uXXXX"], "u", "");
    assert!(!d.exists(&n), "-u made {n}");
    check(&["-u", "nodir/XXX"], "nodir/", "");
    // -t: TMPDIR wins over -p; -p wins over TMPDIR otherwise.
    let o = d
        .run("mktemp", &["-t", "-p", "sub", "aXXX"])
        .env("TMPDIR", "/tmp/nonexistent-ibex")
        .go();
    assert_eq!(o.code, 1);
    let o = d
        .run("mktemp", &["-p", "sub", "aXXX"])
        .env("TMPDIR", "/tmp/nonexistent-ibex")
        .go();
    assert!(o.out().starts_with("sub/a"), "{}", o.out());
    let o = d
        .run("mktemp", &["-t", "-p", "sub", "bXXX"])
        .env("TMPDIR", "")
        .go();
    assert!(o.out().starts_with("sub/b"), "{}", o.out());
}

#[test]
fn mktemp_errors() {
    let d = Dir::new();
    tmp_run(&d, &["fooXX"]).fails(1, "mktemp: too few X's in template 'fooXX'\n");
    tmp_run(&d, &["foo"]).fails(1, "mktemp: too few X's in template 'foo'\n");
    tmp_run(&d, &["-t", "tmp.XX"]).fails(1, "mktemp: too few X's in template 'tmp.XX'\n");
    tmp_run(&d, &["--suffix=.txt", "sXXX.c"]).fails(
        1,
        "mktemp: with --suffix, template 'sXXX.c' must end in X\n",
    );
    tmp_run(&d, &["--suffix=/x", "sXXX"]).fails(
        1,
        "mktemp: invalid suffix '/x', contains directory separator\n",
    );
    tmp_run(&d, &["-p", "sub", "/abs/XXX"]).fails(
        1,
        "mktemp: invalid template, '/abs/XXX'; with --tmpdir, it may not be absolute\n",
    );
    tmp_run(&d, &["-t", "a/XXX"]).fails(
        1,
        "mktemp: invalid template, 'a/XXX', contains directory separator\n",
    );
    tmp_run(&d, &["a", "b"]).fails(1, format!("mktemp: too many templates\n{MKTEMP_USAGE}"));
    tmp_run(&d, &["nodir/bXXX"]).fails(
        1,
        "mktemp: failed to create file via template 'nodir/bXXX': No such file or directory\n",
    );
    tmp_run(&d, &["-d", "-p", "nodir"]).fails(
        1,
        "mktemp: failed to create directory via template 'nodir/tmp.XXXXXXXXXX': No such file or directory\n",
    );
    // -q hides the reasons, not the status.
    tmp_run(&d, &["-q", "nodir/bXXX"]).fails(1, "");
    tmp_run(&d, &["-dq", "nodir/XXX"]).fails(1, "");
    tmp_run(&d, &["-q", "foo"]).fails(1, "");
}
