//! find and xargs (the xargs tests need the xargs feature too).

use crate::harness::*;

/// A small tree:
/// a/ a/b/ a/b/e.h (empty) a/f.txt ("hello\n", 0600) c/ c/big (5000 bytes,
/// 4755) emp/ la -> a, broken -> nope.
fn tree() -> Dir {
    let d = Dir::new();
    d.mkdir("t/a/b");
    d.mkdir("t/emp");
    d.write("t/a/b/e.h", "");
    d.write("t/a/f.txt", "hello\n");
    d.write("t/c/big", vec![0u8; 5000]);
    std::os::unix::fs::symlink("a", d.p("t/la")).unwrap();
    std::os::unix::fs::symlink("nope", d.p("t/broken")).unwrap();
    d.sh("chmod 600 t/a/f.txt; chmod 4755 t/c/big; chmod 755 t t/a t/a/b t/c t/emp; chmod 644 t/a/b/e.h")
        .ok("");
    d
}

/// Run find (through sh) with sorted output.
fn sorted(d: &Dir, args: &str) -> Out {
    d.sh(&format!("$B/find {args} | LC_ALL=C sort")).go()
}

fn find_sorted(d: &Dir, args: &str, want: &str) {
    sorted(d, args).expect(0, want.as_bytes(), b"");
}

const ALL: &str = "t\nt/a\nt/a/b\nt/a/b/e.h\nt/a/f.txt\nt/broken\nt/c\nt/c/big\nt/emp\nt/la\n";

#[test]
fn prints_everything_by_default() {
    let d = tree();
    find_sorted(&d, "t", ALL);
    find_sorted(&d, "t -print", ALL);
    // No path: the current directory.
    d.mkdir("one/x");
    let o = d.sh("cd one && $B/find").go();
    o.expect(0, b".\n./x\n", b"");
    // Several paths, in order; a trailing slash is kept.
    d.run("find", &["t/emp", "t/a/b/", "t/emp/"])
        .ok("t/emp\nt/a/b/\nt/a/b/e.h\nt/emp/\n");
    run("find", &["--help"]).go().code(0);
}

#[test]
fn name_path_and_case() {
    let d = tree();
    find_sorted(&d, "t -name '*.h'", "t/a/b/e.h\n");
    find_sorted(&d, "t -name 'E*'", "");
    find_sorted(&d, "t -iname 'E*'", "t/a/b/e.h\nt/emp\n");
    find_sorted(&d, "t -name '[ab]*'", "t/a\nt/a/b\nt/broken\nt/c/big\n");
    // -path sees the whole path; * matches /.
    find_sorted(&d, "t -path 't/a*h'", "t/a/b/e.h\n");
    find_sorted(&d, "t -ipath 'T/A/F*'", "t/a/f.txt\n");
    find_sorted(&d, "t -wholename '*/b/*'", "t/a/b/e.h\n");
    // The root's name is its last component, trailing slashes aside.
    d.run("find", &["t/a/", "-maxdepth", "0", "-name", "a"])
        .ok("t/a/\n");
    // Hidden files match * (unlike the shell).
    d.write("h/.x", "");
    d.run("find", &["h", "-name", "*x"]).ok("h/.x\n");
}

#[test]
fn types() {
    let d = tree();
    find_sorted(&d, "t -type f", "t/a/b/e.h\nt/a/f.txt\nt/c/big\n");
    find_sorted(&d, "t -type d", "t\nt/a\nt/a/b\nt/c\nt/emp\n");
    find_sorted(&d, "t -type l", "t/broken\nt/la\n");
    find_sorted(&d, "t -type l,f -name '[bl]*'", "t/broken\nt/c/big\nt/la\n");
    // -xtype looks through links; a dangling one stays l.
    find_sorted(&d, "t -xtype d -name l*", "t/la\n");
    find_sorted(&d, "t -xtype l", "t/broken\n");
    // With -L the link is followed; -xtype then tests the link itself.
    find_sorted(&d, "-L t -type l", "t/broken\n");
    find_sorted(&d, "-L t -xtype l", "t/broken\nt/la\n");
    find_sorted(&d, "-L t -name '*.h'", "t/a/b/e.h\nt/la/b/e.h\n");
    find_sorted(&d, "t -follow -name f.txt", "t/a/f.txt\nt/la/f.txt\n");
    // -H follows only the command line.
    d.run("find", &["t/la"]).ok("t/la\n");
    find_sorted(&d, "-H t/la", "t/la\nt/la/b\nt/la/b/e.h\nt/la/f.txt\n");
    d.mkfifo_via_sh();
    d.run("find", &["fifo", "-type", "p"]).ok("fifo\n");
    d.run("find", &["t", "-type", "q"])
        .fails(1, "find: Unknown argument to -type: q\n");
    d.run("find", &["t", "-type", "f,"]).fails(
        1,
        "find: Last file type in list argument to -type is missing, i.e., list is ending on: ','\n",
    );
}

trait Fifo {
    fn mkfifo_via_sh(&self);
}

impl Fifo for Dir {
    fn mkfifo_via_sh(&self) {
        self.sh("mkfifo fifo").ok("");
    }
}

#[test]
fn permissions() {
    let d = tree();
    find_sorted(&d, "t -perm 600", "t/a/f.txt\n");
    find_sorted(&d, "t -perm -4000", "t/c/big\n");
    find_sorted(
        &d,
        "t -type f -perm -u=rw",
        "t/a/b/e.h\nt/a/f.txt\nt/c/big\n",
    );
    find_sorted(&d, "t -type f -perm /o=r", "t/a/b/e.h\nt/c/big\n");
    find_sorted(&d, "t -type f -perm /111", "t/c/big\n");
    find_sorted(&d, "t -type f -perm u=rw,go=r", "t/a/b/e.h\n");
    d.run("find", &["t", "-perm", "999"])
        .fails(1, "find: invalid mode '999'\n");
}

#[test]
fn sizes_and_empty() {
    let d = tree();
    find_sorted(&d, "t -type f -size 6c", "t/a/f.txt\n");
    find_sorted(&d, "t -type f -size +9", "t/c/big\n");
    find_sorted(&d, "t -type f -size 10", "t/c/big\n");
    find_sorted(&d, "t -type f -size -5k", "t/a/b/e.h\nt/a/f.txt\n");
    find_sorted(&d, "t -type f -size 5k", "t/c/big\n");
    // Sizes round up: -size -1M matches only empty files.
    find_sorted(&d, "t -type f -size -1M", "t/a/b/e.h\n");
    find_sorted(&d, "t -size 3w", "t/a/f.txt\n");
    find_sorted(&d, "t -type f -size +1G", "");
    // Rounded up, every non-empty file is 1G.
    find_sorted(&d, "t -type f -size 1G", "t/a/f.txt\nt/c/big\n");
    find_sorted(&d, "t -empty", "t/a/b/e.h\nt/emp\n");
    d.run("find", &["t", "-size", "3q"])
        .fails(1, "find: invalid -size type 'q'\n");
    d.run("find", &["t", "-size", "x"])
        .fails(1, "find: invalid -size type 'x'\n");
    d.run("find", &["t", "-size", "1x2"])
        .fails(1, "find: Invalid argument '1x2' to -size\n");
}

#[test]
fn times() {
    let d = Dir::new();
    d.sh(
        "touch -d '2020-01-01 00:00' old; touch -d '90 minutes ago' mid; touch new; \
          touch -a -d '2019-01-01' new",
    )
    .ok("");
    d.run("find", &[".", "-type", "f", "-mtime", "+100"])
        .ok("./old\n");
    find_sorted(&d, ". -type f -mtime -1", "./mid\n./new\n");
    find_sorted(&d, ". -type f -mtime 0", "./mid\n./new\n");
    d.run(
        "find",
        &[".", "-type", "f", "-mmin", "+60", "-mmin", "-120"],
    )
    .ok("./mid\n");
    d.run("find", &[".", "-type", "f", "-mmin", "-10"])
        .ok("./new\n");
    d.run(
        "find",
        &[".", "-type", "f", "-atime", "+400", "-newer", "mid"],
    )
    .ok("./new\n");
    find_sorted(&d, ". -type f -amin -100", "./mid\n");
    find_sorted(&d, ". -type f -cmin -10", "./mid\n./new\n./old\n");
    find_sorted(&d, ". -type f -newer old", "./mid\n./new\n");
    find_sorted(&d, ". -type f ! -newer mid", "./mid\n./old\n");
    find_sorted(&d, ". -type f -anewer old", "./mid\n");
    find_sorted(&d, ". -type f -cnewer old", "./mid\n./new\n./old\n");
    find_sorted(&d, ". -type f -newermt 2021-06-01", "./mid\n./new\n");
    find_sorted(&d, ". -type f -newerma old", "./mid\n./new\n");
    // Birth times, where the filesystem keeps them: all files were born now.
    if d.sh("stat -c %W old").go().out().trim() != "0" {
        find_sorted(
            &d,
            ". -type f -newerBt '2000-01-01'",
            "./mid\n./new\n./old\n",
        );
        find_sorted(&d, ". -type f -newermB new", "");
    }
    // /dev/stdout is standard output itself, in order.
    d.run("find", &["old", "-print", "-fprint", "/dev/stdout"])
        .ok("old\nold\n");
    // -daystart measures from the start of today.
    find_sorted(&d, ". -type f -daystart -mtime +1000", "./old\n");
    find_sorted(&d, ". -type f -daystart -mtime +5000", "");
    d.run("find", &[".", "-mtime", "x"])
        .fails(1, "find: invalid argument 'x' to '-mtime'\n");
    d.run("find", &[".", "-newer", "nope"])
        .fails(1, "find: 'nope': No such file or directory\n");
    d.run("find", &[".", "-newermt", "not a date"]).fails(
        1,
        "find: I cannot figure out how to interpret 'not a date' as a date or time\n",
    );
}

#[test]
fn links_inodes_owners() {
    let d = tree();
    std::fs::hard_link(d.p("t/a/f.txt"), d.p("t/hard")).unwrap();
    find_sorted(&d, "t -type f -links 2", "t/a/f.txt\nt/hard\n");
    find_sorted(&d, "t -type f -links -2", "t/a/b/e.h\nt/c/big\n");
    find_sorted(&d, "t -samefile t/hard", "t/a/f.txt\nt/hard\n");
    let ino = d.sh("stat -c %i t/c/big").go().out();
    find_sorted(&d, &format!("t -inum {}", ino.trim()), "t/c/big\n");
    let uid = d.sh("id -u").go().out();
    let gid = d.sh("id -g").go().out();
    let user = d.sh("id -un").go().out();
    find_sorted(&d, &format!("t/c -uid {}", uid.trim()), "t/c\nt/c/big\n");
    find_sorted(&d, &format!("t/c -gid {}", gid.trim()), "t/c\nt/c/big\n");
    find_sorted(&d, &format!("t/c -user {}", user.trim()), "t/c\nt/c/big\n");
    find_sorted(&d, &format!("t/c -user {}", uid.trim()), "t/c\nt/c/big\n");
    find_sorted(&d, "t -nouser", "");
    find_sorted(&d, "t -nogroup", "");
    if is_root() {
        d.sh("chown 54321:54321 t/c/big").ok("");
        find_sorted(&d, "t -nouser", "t/c/big\n");
        find_sorted(&d, "t -nogroup", "t/c/big\n");
        find_sorted(&d, "t -uid +54320", "t/c/big\n");
    }
    d.run("find", &["t", "-user", "no-such-user"])
        .fails(1, "find: 'no-such-user' is not the name of a known user\n");
    d.run("find", &["t", "-group", "no-such-group"]).fails(
        1,
        "find: 'no-such-group' is not the name of an existing group\n",
    );
}

#[test]
fn access_tests() {
    let d = tree();
    find_sorted(&d, "t -type f -executable", "t/c/big\n");
    find_sorted(
        &d,
        "t/a -readable -writable",
        "t/a\nt/a/b\nt/a/b/e.h\nt/a/f.txt\n",
    );
    if is_root() && std::path::Path::new("/usr/bin/setpriv").exists() {
        d.sh("chmod 755 .").ok("");
        let o = d
            .sh("setpriv --reuid=65534 --regid=65534 --clear-groups $B/find t/a ! -readable")
            .go();
        o.expect(0, b"t/a/f.txt\n", b"");
        let o = d
            .sh("setpriv --reuid=65534 --regid=65534 --clear-groups $B/find t/a -writable")
            .go();
        o.expect(0, b"", b"");
    }
}

#[test]
fn depth_limits_and_order() {
    let d = Dir::new();
    d.write("x/y/z/f", "");
    d.run("find", &["x"]).ok("x\nx/y\nx/y/z\nx/y/z/f\n");
    d.run("find", &["x", "-depth"])
        .ok("x/y/z/f\nx/y/z\nx/y\nx\n");
    d.run("find", &["x", "-maxdepth", "1"]).ok("x\nx/y\n");
    d.run("find", &["x", "-maxdepth", "0"]).ok("x\n");
    d.run("find", &["x", "-mindepth", "2"])
        .ok("x/y/z\nx/y/z/f\n");
    d.run("find", &["x", "-mindepth", "1", "-maxdepth", "2"])
        .ok("x/y\nx/y/z\n");
    d.run("find", &["x", "-depth", "-maxdepth", "1"])
        .ok("x/y\nx\n");
    // Options apply wherever they appear.
    d.run("find", &["x", "-name", "z", "-o", "-maxdepth", "1"])
        .ok("x\nx/y\n");
    d.run("find", &["x", "-maxdepth", "x"]).fails(
        1,
        "find: Expected a positive decimal integer argument to -maxdepth, but got 'x'\n",
    );
    d.run("find", &["x", "-mindepth", "-1"]).fails(
        1,
        "find: Expected a positive decimal integer argument to -mindepth, but got '-1'\n",
    );
}

#[test]
fn prune_and_quit() {
    let d = tree();
    find_sorted(
        &d,
        "t -name a -prune -o -print",
        "t\nt/broken\nt/c\nt/c/big\nt/emp\nt/la\n",
    );
    find_sorted(&d, "t -path t/a -prune -o -type f -print", "t/c/big\n");
    // -prune is true and prints with the default action.
    find_sorted(&d, "t -name a -prune", "t/a\n");
    d.write("q/x/y", "");
    d.run("find", &["q", "-name", "x", "-print", "-quit"])
        .ok("q/x\n");
    d.run("find", &["q", "-quit"]).ok("");
    d.run("find", &["q", "q", "-print", "-quit"]).ok("q\n");
}

#[test]
fn operators() {
    let d = tree();
    find_sorted(&d, "t -name a -o -name c", "t/a\nt/c\n");
    find_sorted(&d, "t \\( -name a -or -name c \\) -print", "t/a\nt/c\n");
    find_sorted(&d, "t -type d -a -name 'e*'", "t/emp\n");
    find_sorted(&d, "t -type d -and ! -name '[tabc]'", "t/emp\n");
    find_sorted(&d, "t -type d -not -name '[tabc]'", "t/emp\n");
    // -a binds tighter than -o: this prints only c's entries.
    find_sorted(&d, "t -name a -o -path 't/c*' -print", "t/c\nt/c/big\n");
    // The comma evaluates both sides; its value is the right one's.
    find_sorted(
        &d,
        "t -maxdepth 1 -name a -print , -name c -print",
        "t/a\nt/c\n",
    );
    find_sorted(&d, "t -false", "");
    find_sorted(&d, "t -maxdepth 0 -true", "t\n");
    find_sorted(&d, "t ! -true", "");
    d.run("find", &["t", "(", "-name", "a"]).fails(
        1,
        "find: invalid expression; I was expecting to find a ')' somewhere but did not see one.\n",
    );
    d.run("find", &["t", "-name", "a", ")"])
        .fails(1, "find: invalid expression; you have too many ')'\n");
    d.run("find", &["t", "(", ")"]).fails(
        1,
        "find: invalid expression; empty parentheses are not allowed.\n",
    );
    d.run("find", &["t", "-name", "a", "-o"]).fails(
        1,
        "find: invalid expression; you have used a binary operator '-o' with nothing after it.\n",
    );
}

#[test]
fn regex() {
    let d = tree();
    // The default (emacs) syntax: \| alternation, \( \) groups, + operator.
    find_sorted(
        &d,
        "t -regex '.*/\\(e\\.h\\|big\\)'",
        "t/a/b/e.h\nt/c/big\n",
    );
    find_sorted(&d, "t -regex 't/[a-c]+'", "t/a\nt/c\n");
    // The whole path must match.
    find_sorted(&d, "t -regex 'e.h'", "");
    find_sorted(&d, "t -iregex '.*/F\\.TXT'", "t/a/f.txt\n");
    find_sorted(
        &d,
        "t -regextype posix-extended -regex '.*/(emp|la)'",
        "t/emp\nt/la\n",
    );
    find_sorted(
        &d,
        "t -regextype posix-basic -regex '.*/\\(emp\\|la\\)'",
        "t/emp\nt/la\n",
    );
    find_sorted(&d, "t -regextype posix-basic -regex 't/a\\{1\\}'", "t/a\n");
    d.run(
        "find",
        &["t", "-regextype", "posix-extended", "-regex", "("],
    )
    .fails(
        1,
        "find: failed to compile regular expression '(': Unmatched ( or \\(\n",
    );
    d.run("find", &["t", "-regextype", "perl"]).go().code(1);
    find_sorted(&d, "t -lname 'n*'", "t/broken\n");
    find_sorted(&d, "t -ilname 'A'", "t/la\n");
}

#[test]
fn printf_directives() {
    let d = Dir::new();
    d.write("r/s/file", "12345");
    d.sh("chmod 640 r/s/file; ln -s file r/s/ln; touch -d '2021-02-03 04:05:06' r/s/file")
        .ok("");
    d.run(
        "find",
        &[
            "r",
            "-name",
            "file",
            "-printf",
            "%p|%f|%h|%P|%H|%d|%s|%m|%#m|%M|%y|%n\\n",
        ],
    )
    .ok("r/s/file|file|r/s|s/file|r|2|5|640|0640|-rw-r-----|f|1\n");
    d.run("find", &["r/s/ln", "-printf", "%y %Y %l|\\n"])
        .ok("l f file|\n");
    d.run(
        "find",
        &["r", "-maxdepth", "0", "-printf", "[%P][%h][%f]\\n"],
    )
    .ok("[][.][r]\n");
    d.run(
        "find",
        &["r/s/file", "-printf", "%t\\n%TY-%Tm-%Td %TH:%TM %T@ %Tk\\n"],
    )
    .ok("Wed Feb  3 04:05:06.0000000000 2021\n2021-02-03 04:05 1612325106.0000000000  4\n");
    d.run("find", &["r/s/file", "-printf", "%T+\\n"])
        .ok("2021-02-03+04:05:06.0000000000\n");
    let ctime = d.sh("stat -c %Z r/s/file").go().out();
    let o = d
        .run("find", &["r/s/file", "-printf", "%A@ %C@ %AY %a\\n"])
        .go();
    let want = format!("1612325106.0000000000 {}.", ctime.trim());
    assert!(o.out().starts_with(&want), "{}", o.out());
    assert!(
        o.out()
            .ends_with(" 2021 Wed Feb  3 04:05:06.0000000000 2021\n"),
        "{}",
        o.out()
    );
    // Widths, left alignment, precision.
    d.run(
        "find",
        &["r/s/file", "-printf", "[%6s][%-6s][%.2f][%8f]\\n"],
    )
    .ok("[     5][5     ][fi][    file]\n");
    // Escapes, %%, \c stops the output.
    d.run("find", &["r/s/file", "-printf", "a\\tb\\101%%\\0z\\cnot"])
        .ok("a\tbA%\0z");
    let uid = d.sh("id -u").go().out();
    let user = d.sh("id -un").go().out();
    d.run("find", &["r/s/file", "-printf", "%U %u\\n"])
        .ok(format!("{} {}\n", uid.trim(), user.trim()));
    let blocks: u64 = d
        .sh("stat -c %b r/s/file")
        .go()
        .out()
        .trim()
        .parse()
        .unwrap();
    d.run("find", &["r/s/file", "-printf", "%k %b\\n"])
        .ok(format!("{} {blocks}\n", blocks.div_ceil(2)));
    // %S: sparseness, as %g.
    std::fs::File::create(d.p("sparse"))
        .unwrap()
        .set_len(3_000_000)
        .unwrap();
    d.run("find", &["sparse", "-printf", "%S %s\\n"])
        .ok("0 3000000\n");
    let ino = d.sh("stat -c %i r/s/file").go().out();
    d.run("find", &["r/s/file", "-printf", "%i\\n"]).ok(ino);
    d.run("find", &["r/s/file", "-printf", "%Q\\n"])
        .go()
        .expect(
            0,
            b"%Q\n",
            b"find: warning: unrecognized format directive '%Q'\n",
        );
}

#[test]
fn print0_and_files() {
    let d = Dir::new();
    d.write("p/x", "");
    d.run("find", &["p", "-print0"]).ok("p\0p/x\0");
    d.run("find", &["p", "-fprint", "out1", "-fprint0", "out0"])
        .ok("");
    assert_eq!(d.read("out1"), b"p\np/x\n");
    assert_eq!(d.read("out0"), b"p\0p/x\0");
    d.run("find", &["p", "-name", "x", "-fprintf", "out2", "<%f>\\n"])
        .ok("");
    assert_eq!(d.read("out2"), b"<x>\n");
    // The file is created even when nothing matches.
    d.run("find", &["p", "-false", "-fprint", "out3"]).ok("");
    assert_eq!(d.read("out3"), b"");
    d.run("find", &["p", "-fprint", "nodir/f"])
        .fails(1, "find: 'nodir/f': No such file or directory\n");
}

#[test]
fn ls_action() {
    let d = Dir::new();
    d.write("l/f", "abc");
    d.sh("chmod 644 l/f; touch -d '2021-02-03 04:05' l/f; ln -s 'a b' l/s")
        .ok("");
    let info = d.sh("stat -c '%i %b %U %G' l/f").go().out();
    let v: Vec<&str> = info.split_whitespace().collect();
    let blocks: u64 = v[1].parse().unwrap();
    d.run("find", &["l/f", "-ls"]).ok(format!(
        "{:>9} {:>6} -rw-r--r--   1 {:<8} {:<8} {:>8} Feb  3  2021 l/f\n",
        v[0],
        blocks.div_ceil(2),
        v[2],
        v[3],
        3
    ));
    // Spaces and unprintable bytes are escaped; the link target is shown.
    let o = d.run("find", &["l/s", "-ls"]).go();
    assert!(o.out().ends_with(" l/s -> a\\ b\n"), "{}", o.out());
    d.run("find", &["l/f", "-fls", "lsout"]).ok("");
    assert!(d.read("lsout").ends_with(b" l/f\n"));
}

#[test]
fn exec_forms() {
    let d = tree();
    find_sorted(
        &d,
        "t -name '*.h' -exec echo found {} \\;",
        "found t/a/b/e.h\n",
    );
    // {} inside a word is replaced too.
    d.run("find", &["t/emp", "-exec", "echo", "<{}>", "{}{}", ";"])
        .ok("<t/emp> t/empt/emp\n");
    // The exit status is the test's value.
    find_sorted(
        &d,
        "t -type f -exec test -s {} \\; -print",
        "t/a/f.txt\nt/c/big\n",
    );
    // {} + batches: one command for all names.
    let o = d
        .sh("$B/find t -type f -exec echo {} + | tr ' ' '\\n' | LC_ALL=C sort")
        .go();
    o.expect(0, b"t/a/b/e.h\nt/a/f.txt\nt/c/big\n", b"");
    d.run(
        "find",
        &["t/a/b", "-type", "f", "-exec", "echo", "x", "{}", "+"],
    )
    .ok("x t/a/b/e.h\n");
    // -execdir runs in the file's directory with ./name.
    find_sorted(
        &d,
        "t/a -execdir sh -c 'echo $(basename $PWD) $1' sh {} \\;",
        "a ./b\na ./f.txt\nb ./e.h\nt ./a\n",
    );
    find_sorted(&d, "t/a -type f -execdir echo {} +", "./e.h\n./f.txt\n");
    // Output before a command is flushed first.
    d.run(
        "find",
        &["t/emp", "-print", "-exec", "echo", "run", "{}", ";"],
    )
    .ok("t/emp\nrun t/emp\n");
    // A failing {} + makes the status 1; a failing ; is only false.
    d.run("find", &["t/emp", "-exec", "false", "{}", "+"])
        .fails(1, "");
    d.run("find", &["t/emp", "-exec", "false", ";"])
        .fails(0, "");
    d.run("find", &["t/emp", "-exec", "no-such-cmd", ";"])
        .fails(0, "find: 'no-such-cmd': No such file or directory\n");
    d.run("find", &["t/emp", "-exec", "no-such-cmd", "{}", "+"])
        .fails(1, "find: 'no-such-cmd': No such file or directory\n");
    d.run("find", &["t", "-exec", "echo"])
        .fails(1, "find: missing argument to '-exec'\n");
    d.run("find", &["t", "-exec", ";"])
        .fails(1, "find: missing argument to '-exec'\n");
    d.run("find", &["t", "-exec", "echo", "{}", "{}", "+"])
        .fails(
            1,
            "find: Only one instance of {} is supported with -exec ... +\n",
        );
}

#[test]
fn exec_plus_splits_long_lists() {
    let d = Dir::new();
    d.mkdir("many");
    let long = "n".repeat(100);
    for i in 0..3000 {
        std::fs::write(d.p(&format!("many/{long}{i}")), "").unwrap();
    }
    // A small stack makes ARG_MAX 128 KiB: 300 KB of names need several
    // commands, and every name is passed exactly once.
    let o = d
        .sh(
            "ulimit -s 256; $B/find many -type f -exec sh -c 'echo $#' sh {} + > counts; \
             wc -l < counts; awk '{s+=$1} END {print s}' counts",
        )
        .go();
    let out = o.out();
    let mut it = out.lines();
    let cmds: u32 = it.next().unwrap().trim().parse().unwrap();
    assert!(cmds >= 3, "{out}");
    assert_eq!(it.next(), Some("3000"));
}

#[test]
fn ok_asks_on_stdin() {
    let d = Dir::new();
    d.write("k/a", "");
    d.write("k/b", "");
    let o = d
        .run(
            "find",
            &[
                "k", "-type", "f", "-name", "a", "-ok", "echo", "yes", "{}", ";",
            ],
        )
        .stdin("y\n")
        .go();
    o.expect(0, b"yes k/a\n", b"< echo yes k/a > ? ");
    let o = d
        .run("find", &["k", "-name", "b", "-ok", "echo", "{}", ";"])
        .stdin("n\n")
        .go();
    o.expect(0, b"", b"< echo k/b > ? ");
    let o = d
        .run("find", &["k", "-name", "b", "-okdir", "echo", "{}", ";"])
        .stdin("yes\n")
        .go();
    o.expect(0, b"./b\n", b"< echo ./b > ? ");
}

#[test]
fn delete() {
    let d = Dir::new();
    d.write("del/a/b/c", "");
    d.write("del/keep", "");
    d.run("find", &["del/a", "-delete"]).ok("");
    assert!(!d.exists("del/a"));
    assert!(d.exists("del/keep"));
    // -delete implies -depth; it does not print.
    d.write("del/x/y", "");
    find_sorted(
        &d,
        "del -name y -delete -o -print",
        "del\ndel/keep\ndel/x\n",
    );
    assert!(!d.exists("del/x/y"));
    // A non-empty directory cannot go: reported, status 1.
    d.write("del/z/f", "");
    d.run("find", &["del", "-name", "z", "-delete"])
        .fails(1, "find: cannot delete 'del/z': Directory not empty\n");
    // "." is never deleted.
    d.write("dot/f", "");
    d.sh("cd dot && $B/find . -delete").ok("");
    assert!(d.exists("dot"));
    assert!(!d.exists("dot/f"));
}

#[test]
fn errors() {
    let d = Dir::new();
    d.write("e/f", "");
    d.run("find", &["/nonexistent-ibex"])
        .fails(1, "find: '/nonexistent-ibex': No such file or directory\n");
    // The walk goes on after a missing path.
    d.run("find", &["nope", "e/f"]).go().expect(
        1,
        b"e/f\n",
        b"find: 'nope': No such file or directory\n",
    );
    d.run("find", &["e", "-foo"])
        .fails(1, "find: unknown predicate '-foo'\n");
    d.run("find", &["e", "-name"])
        .fails(1, "find: missing argument to '-name'\n");
    d.run("find", &["e", "-name", "a", "b"])
        .fails(1, "find: paths must precede expression: 'b'\n");
    d.run("find", &["-L", "-foo"])
        .fails(1, "find: unknown predicate '-foo'\n");
    d.run("find", &["e/f/"])
        .fails(1, "find: 'e/f/': Not a directory\n");
}

#[test]
fn symlink_loops_and_fstype() {
    let d = Dir::new();
    d.mkdir("x/y");
    std::os::unix::fs::symlink("..", d.p("x/y/up")).unwrap();
    d.run("find", &["-L", "x"]).go().expect(
        1,
        b"x\nx/y\n",
        b"find: File system loop detected; 'x/y/up' is part of the same file system loop as 'x'.\n",
    );
    // Without -L the link is just a link.
    find_sorted(&d, "x", "x\nx/y\nx/y/up\n");
    run("find", &["/proc", "-maxdepth", "0", "-printf", "%F\\n"]).ok("proc\n");
}

#[test]
fn unreadable_directory() {
    if skip_unless_root("find unreadable_directory (uses setpriv to drop root)") {
        return;
    }
    if !std::path::Path::new("/usr/bin/setpriv").exists() {
        eprintln!("SKIPPED unreadable_directory: no setpriv");
        return;
    }
    let d = Dir::new();
    d.write("u/d/x", "");
    d.write("u/e", "");
    d.sh("chmod 755 . u; chmod 000 u/d").ok("");
    let o = d
        .sh("setpriv --reuid=65534 --regid=65534 --clear-groups $B/find u | LC_ALL=C sort")
        .go();
    o.expect(0, b"u\nu/d\nu/e\n", b"find: 'u/d': Permission denied\n");
    let o = d
        .sh("setpriv --reuid=65534 --regid=65534 --clear-groups $B/find u/d; echo $?")
        .go();
    o.expect(0, b"u/d\n1\n", b"find: 'u/d': Permission denied\n");
}

#[test]
fn xdev_stays_on_filesystem() {
    // /proc is a separate filesystem under /: -xdev lists it but not its contents.
    let o = run("find", &["/", "-maxdepth", "1", "-xdev", "-name", "proc"]).go();
    assert_eq!(o.out(), "/proc\n");
    let o = run(
        "find",
        &["/proc", "-maxdepth", "1", "-mount", "-name", "self"],
    )
    .go();
    assert_eq!(o.out(), "/proc/self\n");
    let o = run(
        "find",
        &["/", "-maxdepth", "2", "-xdev", "-path", "/proc/self"],
    )
    .go();
    assert_eq!(o.out(), "");
}

#[test]
fn non_utf8_names() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let d = Dir::new();
    d.mkdir("n");
    std::fs::write(d.p("n").join(OsStr::from_bytes(b"a\xffb")), "").unwrap();
    let o = d.run("find", &["n", "-name", "a*b"]).go();
    o.expect(0, b"n/a\xffb\n", b"");
    let o = d.run("find", &["n", "-type", "f", "-printf", "%f\\n"]).go();
    o.expect(0, b"a\xffb\n", b"");
}

#[test]
fn deep_tree() {
    // 50 levels at a time: renames keep every path short.
    let d = Dir::new();
    let script = "set -e; p=$(printf 'd/%.0s' $(seq 1 50)); mkdir -p x/$p; : > x/${p}leaf; \
        i=1; while [ $i -lt 100 ]; do mkdir -p y/$p; mv x y/$p; mv y x; i=$((i+1)); done; \
        $B/find x | wc -l; $B/find x -name leaf | wc -c; $B/find x -depth | tail -n 1";
    let o = d.sh(script).go();
    // 100 x (50 d + x) directories, the root x, the leaf.
    assert_eq!(o.out(), format!("{}\n{}\nx\n", 5101, 1 + 2 * 5099 + 5 + 1));
}

// ---------------------------------------------------------------- xargs

#[test]
#[cfg(feature = "xargs")]
fn xargs_default_echo_and_quoting() {
    run("xargs", &[]).stdin("a b\n  c\td\n").ok("a b c d\n");
    run("xargs", &["echo", "x"]).stdin("1 2\n").ok("x 1 2\n");
    // Quotes and backslashes group words; empty input still runs once.
    run("xargs", &["-n1"])
        .stdin("'a b' \"c d\" e\\ f g\\\\h \"it's\"\n")
        .ok("a b\nc d\ne f\ng\\h\nit's\n");
    run("xargs", &[]).stdin("").ok("\n");
    run("xargs", &["-r", "echo", "x"]).stdin("").ok("");
    run("xargs", &["--no-run-if-empty"]).stdin(" \n\n").ok("");
    run("xargs", &[]).stdin("a 'b\n").go().expect(
        1,
        b"a\n",
        b"xargs: unmatched single quote; by default quotes are special to xargs unless you use the -0 option\n",
    );
    run("xargs", &[]).stdin("\"b\n").fails(
        1,
        "xargs: unmatched double quote; by default quotes are special to xargs unless you use the -0 option\n",
    );
}

#[test]
#[cfg(feature = "xargs")]
fn xargs_delimiters() {
    run("xargs", &["-0", "-n1"])
        .stdin("a b\0c'd\0\0e")
        .ok("a b\nc'd\n\ne\n");
    run("xargs", &["--null"]).stdin("x\0y\0").ok("x y\n");
    run("xargs", &["-d", ":", "-n1"])
        .stdin("a b:c")
        .ok("a b\nc\n");
    run("xargs", &["-d", "\\n", "-n1"])
        .stdin("a b\n'c\n")
        .ok("a b\n'c\n");
    run("xargs", &["-d", "ab"]).stdin("x").fails(
        1,
        "xargs: Invalid input delimiter specification ab: the delimiter must be either a single character or an escape sequence starting with \\.\n",
    );
}

#[test]
#[cfg(feature = "xargs")]
fn xargs_counts_and_lines() {
    run("xargs", &["-n", "2"])
        .stdin("1 2 3 4 5")
        .ok("1 2\n3 4\n5\n");
    run("xargs", &["--max-args=3"])
        .stdin("1 2 3 4")
        .ok("1 2 3\n4\n");
    run("xargs", &["-L", "1"])
        .stdin("a b\n\nc\n")
        .ok("a b\nc\n");
    // A trailing blank continues the line.
    run("xargs", &["-L", "1"])
        .stdin("a \nb\nc\n")
        .ok("a b\nc\n");
    run("xargs", &["-L2"]).stdin("1\n2\n3\n").ok("1 2\n3\n");
    run("xargs", &["-l"]).stdin("1\n2\n").ok("1\n2\n");
    run("xargs", &["-n", "0"]).stdin("a").fails(
        1,
        "xargs: value 0 for -n option should be >= 1\nTry 'xargs --help' for more information.\n",
    );
    run("xargs", &["-n", "x"]).stdin("a").fails(
        1,
        "xargs: invalid number \"x\" for -n option\nTry 'xargs --help' for more information.\n",
    );
    run("xargs", &["-L", "x"]).stdin("a").go().code(1);
}

#[test]
#[cfg(feature = "xargs")]
fn xargs_replace() {
    run("xargs", &["-I", "{}", "echo", "[{}]", "x{}y"])
        .stdin("  a b\nc\n\n")
        .ok("[a b] xa by\n[c] xcy\n");
    run("xargs", &["-i", "echo", "<{}>"])
        .stdin("1\n2\n")
        .ok("<1>\n<2>\n");
    run("xargs", &["-IX", "echo", "X-X"])
        .stdin("q\n")
        .ok("q-q\n");
    run("xargs", &["--replace=@", "echo", "@"])
        .stdin("'a  b'\n")
        .ok("a  b\n");
    run("xargs", &["-I"]).go().code(1);
    // Leading white space of each line goes, \v and \f included (GNU);
    // trailing white space stays; white-space-only lines are skipped.
    run("xargs", &["-I%", "echo", "[%]"])
        .stdin(" \n2\n\n 6 6 \n \x0b \t 7\n\t\n\x0c\nx\x0b\n")
        .ok("[2]\n[6 6 ]\n[7]\n[x\x0b]\n");
}

#[test]
#[cfg(feature = "xargs")]
fn xargs_size_limits() {
    run("xargs", &["-s", "12"])
        .stdin("aa bb cc dd")
        .ok("aa bb\ncc dd\n");
    run("xargs", &["-s", "8", "-x"])
        .stdin("a b c")
        .ok("a\nb\nc\n");
    run("xargs", &["-s", "7"])
        .stdin("abc")
        .fails(1, "xargs: argument line too long\n");
    run("xargs", &["-n", "2", "-x", "-s", "8"])
        .stdin("a b c")
        .fails(1, "xargs: argument list too long\n");
    run("xargs", &["-s", "3"]).stdin("a").fails(
        1,
        "xargs: cannot fit single argument within argument list size limit\n",
    );
    run("xargs", &["-s", "0"]).stdin("a").go().code(1);
    let o = run("xargs", &["-s", "999999999"]).stdin("a").go();
    assert_eq!(o.out(), "a\n");
    assert!(
        o.err()
            .starts_with("xargs: value 999999999 for -s option should be <= ")
    );
    // The default buffer is 128 KiB: 100,000 words of 9 bytes need 7 commands.
    let words: String = (0..100_000).map(|i| format!("{i:08} ")).collect();
    let o = run("xargs", &[]).stdin(words).go();
    assert_eq!(o.code, 0);
    assert_eq!(o.out().lines().count(), 7);
    assert_eq!(o.out().split_whitespace().count(), 100_000);
}

#[test]
#[cfg(feature = "xargs")]
fn xargs_eof_string() {
    run("xargs", &["-E", "END"])
        .stdin("a b END c\nd")
        .ok("a b\n");
    run("xargs", &["-eEND"]).stdin("a END b").ok("a\n");
    run("xargs", &["-e"]).stdin("a END b").ok("a END b\n");
}

#[test]
#[cfg(feature = "xargs")]
fn xargs_arg_file_and_stdin() {
    let d = Dir::new();
    d.write("list", "1 2\n3\n");
    // With -a the command keeps xargs' stdin; otherwise it reads /dev/null.
    d.run(
        "xargs",
        &["-a", "list", "sh", "-c", "cat; echo \"$@\"", "sh"],
    )
    .stdin("from stdin\n")
    .ok("from stdin\n1 2 3\n");
    d.run("xargs", &["sh", "-c", "cat; echo \"$@\"", "sh"])
        .stdin("x\n")
        .ok("x\n");
    d.run("xargs", &["--arg-file=list"]).ok("1 2 3\n");
    d.run("xargs", &["-a", "nope"]).fails(
        1,
        "xargs: Cannot open input file 'nope': No such file or directory\n",
    );
}

#[test]
#[cfg(feature = "xargs")]
fn xargs_verbose() {
    run("xargs", &["-t", "-n", "2", "echo"])
        .stdin("a b c")
        .go()
        .expect(0, b"a b\nc\n", b"echo a b\necho c\n");
}

#[test]
#[cfg(feature = "xargs")]
fn xargs_prompt_needs_a_terminal() {
    // Without a controlling terminal -p cannot ask.
    let d = Dir::new();
    let o = d.sh("echo a | setsid $B/xargs -p echo; echo $?").go();
    o.expect(
        0,
        b"1\n",
        b"echo axargs: failed to open /dev/tty for reading: No such device or address\n",
    );
}

#[test]
#[cfg(feature = "xargs")]
fn xargs_exit_codes() {
    run("xargs", &["sh", "-c", "exit 3"])
        .stdin("a")
        .fails(123, "");
    // Later commands still run after a failure.
    run("xargs", &["-n1", "sh", "-c", "echo $0; [ $0 != 1 ]"])
        .stdin("1 2")
        .go()
        .expect(123, b"1\n2\n", b"");
    run("xargs", &["-n1", "sh", "-c", "echo $0; exit 255"])
        .stdin("1 2")
        .go()
        .expect(
            124,
            b"1\n",
            b"xargs: sh: exited with status 255; aborting\n",
        );
    run("xargs", &["sh", "-c", "kill -9 $$"])
        .stdin("a")
        .fails(125, "xargs: sh: terminated by signal 9\n");
    let d = Dir::new();
    d.write("noexec", "#!/bin/sh\n");
    d.run("xargs", &["./noexec"])
        .stdin("a")
        .fails(126, "xargs: ./noexec: Permission denied\n");
    run("xargs", &["no-such-command-ibex"]).stdin("a").fails(
        127,
        "xargs: no-such-command-ibex: No such file or directory\n",
    );
    run("xargs", &["-q"]).go().code(1);
}

#[test]
#[cfg(feature = "xargs")]
fn xargs_parallel() {
    let d = Dir::new();
    let start = std::time::Instant::now();
    let o = d
        .run(
            "xargs",
            &[
                "-P",
                "4",
                "-n",
                "1",
                "--process-slot-var=SLOT",
                "sh",
                "-c",
                "sleep 0.4; echo $SLOT",
            ],
        )
        .stdin("1 2 3 4")
        .go();
    let took = start.elapsed();
    assert_eq!(o.code, 0);
    let mut slots: Vec<String> = o.out().lines().map(String::from).collect();
    slots.sort();
    assert_eq!(slots, ["0", "1", "2", "3"]);
    assert!(took < std::time::Duration::from_millis(1400), "{took:?}");
    // -P 0: as many as possible; all are waited for.
    d.run(
        "xargs",
        &["-P0", "-n1", "sh", "-c", "sleep 0.1; echo $0 > f$0"],
    )
    .stdin("a b c")
    .ok("");
    assert!(d.exists("fa") && d.exists("fb") && d.exists("fc"));
    run("xargs", &["-P", "x"]).stdin("a").fails(
        1,
        "xargs: invalid number \"x\" for -P option\nTry 'xargs --help' for more information.\n",
    );
}

#[test]
#[cfg(feature = "xargs")]
fn find_into_xargs() {
    let d = tree();
    let o = d
        .sh("$B/find t -type f -print0 | $B/xargs -0 -n1 | LC_ALL=C sort")
        .go();
    o.expect(0, b"t/a/b/e.h\nt/a/f.txt\nt/c/big\n", b"");
}
