//! test / [ / [[, readlink, realpath, stat, du, df.

use crate::harness::*;
use std::fs;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::Path;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

// ---------------------------------------------------------------- helpers

/// Run `applet args` and check status and stderr; stdout must be empty.
fn status(applet: &str, args: &[&str], code: i32, err: &str) {
    let o = run(applet, args).go();
    assert_eq!(
        (o.code, o.out(), o.err()),
        (code, String::new(), err.to_string()),
        "{applet} {args:?}"
    );
}

fn ok_t(args: &[&str]) {
    status("test", args, 0, "");
}

fn no_t(args: &[&str]) {
    status("test", args, 1, "");
}

fn bad_t(args: &[&str], msg: &str) {
    status("test", args, 2, &format!("test: {msg}\n"));
}

fn chmod(p: &Path, mode: u32) {
    fs::set_permissions(p, fs::Permissions::from_mode(mode)).unwrap();
}

fn at(sec: u64, nsec: u32) -> SystemTime {
    UNIX_EPOCH + Duration::new(sec, nsec)
}

/// Set a file's access and modification times.
fn set_times(p: &Path, atime: SystemTime, mtime: SystemTime) {
    let f = fs::File::options().write(true).open(p).unwrap();
    f.set_times(fs::FileTimes::new().set_accessed(atime).set_modified(mtime))
        .unwrap();
}

fn major(dev: u64) -> u64 {
    ((dev >> 8) & 0xfff) | ((dev >> 32) & !0xfff)
}

fn minor(dev: u64) -> u64 {
    (dev & 0xff) | ((dev >> 12) & !0xff)
}

/// `YYYY-MM-DD HH:MM:SS.NNNNNNNNN +0000` (the tests run with TZ=UTC).
fn utc(sec: i64, nsec: i64) -> String {
    let days = sec.div_euclid(86400);
    let rem = sec.rem_euclid(86400);
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02}.{nsec:09} +0000",
        rem / 3600,
        rem / 60 % 60,
        rem % 60
    )
}

fn lines_sorted(s: &str) -> Vec<String> {
    let mut v: Vec<String> = s.lines().map(String::from).collect();
    v.sort();
    v
}

// ---------------------------------------------------------------- test

#[test]
fn test_argument_count_rules() {
    // 0 and 1 arguments.
    no_t(&[]);
    no_t(&[""]);
    ok_t(&["x"]);
    ok_t(&["-n"]);
    ok_t(&["-z"]);
    ok_t(&["!"]);
    ok_t(&["("]);
    ok_t(&[")"]);
    ok_t(&["="]);
    ok_t(&["-t"]);
    ok_t(&["--help"]);
    // 2: negation or a unary operator.
    no_t(&["!", "-n"]);
    no_t(&["!", "x"]);
    ok_t(&["!", ""]);
    no_t(&["!", "!"]);
    ok_t(&["-n", "x"]);
    no_t(&["-n", ""]);
    ok_t(&["-z", ""]);
    bad_t(&["x", "y"], "missing argument after 'y'");
    bad_t(&["-q", "x"], "'-q': unary operator expected");
    bad_t(&["--", "x"], "'--': unary operator expected");
    // 3: a binary operator first, then !, then parentheses.
    ok_t(&["!", "=", "!"]);
    ok_t(&["=", "=", "="]);
    ok_t(&["(", "x", ")"]);
    no_t(&["(", "", ")"]);
    ok_t(&["-a", "-a", "-a"]);
    ok_t(&["-o", "-o", "-o"]);
    no_t(&["", "-a", "x"]);
    ok_t(&["", "-o", "x"]);
    ok_t(&["!", "!", "!"]);
    ok_t(&["!", "-z", "x"]);
    no_t(&["!", "-n", "x"]);
    bad_t(&["x", "y", "z"], "'y': binary operator expected");
    bad_t(&["-n", "x", "y"], "'x': binary operator expected");
    bad_t(&["!", "x", "y"], "missing argument after 'y'");
    // 4: ! then three, ( two ), else the grammar.
    no_t(&["!", "x", "=", "x"]);
    ok_t(&["!", "x", "=", "y"]);
    ok_t(&["(", "-n", "x", ")"]);
    ok_t(&["(", "!", "", ")"]);
    ok_t(&["x", "-a", "!", ""]);
    bad_t(&["(", "x", "y", ")"], "missing argument after ')'");
    bad_t(&["(", "x", "=", "x"], "')' expected");
}

#[test]
fn test_grammar_precedence_and_parentheses() {
    // -a binds tighter than -o: x -o (y -a "").
    ok_t(&["x", "-o", "y", "-a", ""]);
    no_t(&["", "-o", "x", "-a", ""]);
    ok_t(&["x", "-a", "y", "-o", ""]);
    // ! binds tighter than -a.
    no_t(&["!", "x", "-a", "y", "-a", "z"]);
    ok_t(&["-n", "x", "-a", "!", "-z", "y"]);
    no_t(&["!", "-z", "", "-a", "x", "-a", ""]);
    // Parentheses group.
    ok_t(&[
        "(", "1", "-eq", "2", "-o", "2", "-eq", "2", ")", "-a", "3", "-gt", "2",
    ]);
    no_t(&["(", "x", ")", "-a", "(", "", ")"]);
    no_t(&["!", "(", "x", "=", "x", ")", "-o", ""]);
    ok_t(&["(", "(", "x", ")", ")"]);
    ok_t(&["(", "!", ")", "-a", "(", "-n", ")"]);
    ok_t(&["(", "x", "=", "x", "-o", "y", ")"]);
    ok_t(&[
        "5", "-ge", "5", "-a", "4", "-le", "4", "-o", "!", "1", "-ne", "1",
    ]);
    // Syntax errors.
    bad_t(&["-f", "x", "-a"], "'x': binary operator expected");
    bad_t(&["-n", "x", "-a", "y", "-a"], "missing argument after '-a'");
    bad_t(&["x", "-a", "y", "-a", "-f"], "missing argument after '-f'");
    bad_t(&["x", "-a", "y", "-f", "z"], "extra argument '-f'");
    bad_t(&["x", "=", "x", "=", "x"], "extra argument '='");
    bad_t(
        &["(", "x", "=", "y", "z", "-a", "w"],
        "')' expected, found 'z'",
    );
    bad_t(&["x", "-a", "(", "x", "=", "y"], "')' expected");
    bad_t(
        &["(", "x", "-a", "y", "-a", "z", "-a"],
        "missing argument after '-a'",
    );
    ok_t(&["x", "-a", "!"]);
    bad_t(&["x", "-a", "y", "-a", "!"], "missing argument after '!'");
    bad_t(
        &["x", "-a", "-q", "y", "z"],
        "'-q': unary operator expected",
    );
    bad_t(
        &["(", "x", "=", "y", "-o", "z", ")", ")"],
        "extra argument ')'",
    );
    bad_t(
        &["1", "-eq", "1", "-o", "x", "-eq", "1"],
        "invalid integer 'x'",
    );
}

#[test]
fn test_strings_and_integers() {
    ok_t(&["abc", "=", "abc"]);
    ok_t(&["abc", "==", "abc"]);
    no_t(&["abc", "=", "abd"]);
    ok_t(&["abc", "!=", "abd"]);
    ok_t(&["abc", "<", "abd"]);
    no_t(&["b", "<", "a"]);
    ok_t(&["b", ">", "a"]);
    no_t(&["a", ">", "a"]);
    ok_t(&["1", "-eq", "1"]);
    ok_t(&["010", "-eq", "10"]);
    no_t(&["010", "-eq", "8"]);
    ok_t(&[" 1 ", "-eq", "1"]);
    ok_t(&["\t1\t", "-eq", "+1"]);
    ok_t(&["-0", "-eq", "0"]);
    ok_t(&[" -5 ", "-lt", "-4"]);
    ok_t(&["2", "-ne", "3"]);
    ok_t(&["3", "-gt", "2"]);
    no_t(&["2", "-gt", "2"]);
    ok_t(&["2", "-ge", "2"]);
    ok_t(&["1", "-le", "1"]);
    no_t(&["1", "-lt", "1"]);
    ok_t(&["-9223372036854775808", "-lt", "9223372036854775807"]);
    bad_t(&["x", "-eq", "1"], "invalid integer 'x'");
    bad_t(&["1", "-eq", ""], "invalid integer ''");
    bad_t(&["1x", "-eq", "1"], "invalid integer '1x'");
    bad_t(&["0x10", "-eq", "16"], "invalid integer '0x10'");
    bad_t(&["- 1", "-eq", "1"], "invalid integer '- 1'");
    bad_t(&["--1", "-eq", "1"], "invalid integer '--1'");
    bad_t(&["1\n", "-eq", "1"], "invalid integer '1\n'");
    bad_t(
        &["9223372036854775808", "-gt", "1"],
        "integer out of range '9223372036854775808'",
    );
    bad_t(&["1", "-eq", "1", "x"], "extra argument 'x'");
    bad_t(&["-t", "x"], "invalid integer 'x'");
    no_t(&["-t", "99"]);
    no_t(&["-t", "1000000000000"]);
    // Standard input is /dev/null here: not a terminal.
    no_t(&["-t", "0"]);
}

#[test]
fn test_file_primaries() {
    let d = Dir::new();
    let f = d.write("f", "data");
    let empty = d.write("empty", "");
    d.mkdir("dir");
    std::os::unix::fs::symlink("f", d.p("lf")).unwrap();
    std::os::unix::fs::symlink("nowhere", d.p("dangling")).unwrap();
    fs::hard_link(&f, d.p("hard")).unwrap();
    let p = |n: &str| d.p(n).to_str().unwrap().to_string();
    let t = |args: &[&str], code: i32| {
        let o = d.run("test", args).go();
        assert_eq!((o.code, o.err()), (code, String::new()), "test {args:?}");
    };
    t(&["-e", "f"], 0);
    t(&["-e", "nope"], 1);
    t(&["-e", "dangling"], 1);
    t(&["-h", "dangling"], 0);
    t(&["-L", "lf"], 0);
    t(&["-h", "f"], 1);
    t(&["-f", "f"], 0);
    t(&["-f", "lf"], 0);
    t(&["-f", "dir"], 1);
    t(&["-d", "dir"], 0);
    t(&["-d", "f"], 1);
    t(&["-s", "f"], 0);
    t(&["-s", "empty"], 1);
    t(&["-s", "nope"], 1);
    t(&["-c", "/dev/null"], 0);
    t(&["-c", "f"], 1);
    t(&["-b", "/dev/null"], 1);
    t(&["-p", "f"], 1);
    t(&["-S", "f"], 1);
    t(&["f", "-ef", "hard"], 0);
    t(&["f", "-ef", "lf"], 0);
    t(&["f", "-ef", "empty"], 1);
    t(&["f", "-ef", "nope"], 1);
    // Modification times, with nanoseconds.
    set_times(&f, at(1_000_000_000, 0), at(1_000_000_000, 500));
    set_times(&empty, at(1_000_000_000, 0), at(1_000_000_000, 400));
    t(&["f", "-nt", "empty"], 0);
    t(&["empty", "-nt", "f"], 1);
    t(&["empty", "-ot", "f"], 0);
    t(&["f", "-ot", "empty"], 1);
    t(&["f", "-nt", "nope"], 0);
    t(&["nope", "-nt", "f"], 1);
    t(&["nope", "-ot", "f"], 0);
    t(&["f", "-ot", "nope"], 1);
    // -N: modified since last read.
    t(&["-N", "f"], 0);
    set_times(&f, at(1_000_000_001, 0), at(1_000_000_000, 0));
    t(&["-N", "f"], 1);
    // Permission bits.
    chmod(&f, 0o4755);
    t(&["-u", "f"], 0);
    t(&["-g", "f"], 1);
    chmod(&f, 0o2644);
    t(&["-g", "f"], 0);
    t(&["-u", "f"], 1);
    chmod(&d.p("dir"), 0o1777);
    t(&["-k", "dir"], 0);
    t(&["-k", "f"], 1);
    // Ownership: the files are ours.
    t(&["-O", "f"], 0);
    t(&["-G", "f"], 0);
    t(&["-O", "nope"], 1);
    // Access: even root may not execute a file without an x bit.
    chmod(&f, 0o644);
    t(&["-x", "f"], 1);
    t(&["-r", "f"], 0);
    t(&["-w", "f"], 0);
    chmod(&f, 0o744);
    t(&["-x", "f"], 0);
    t(&["-x", "nope"], 1);
    t(&["-r", "nope"], 1);
    chmod(&f, 0o000);
    t(&["-r", "f"], if is_root() { 0 } else { 1 });
    t(&["-w", "f"], if is_root() { 0 } else { 1 });
    t(&["-x", "f"], 1);
    chmod(&f, 0o644);
    // Absolute paths work the same.
    t(&["-f", &p("f")], 0);
    // A socket and a fifo.
    let _sock = std::os::unix::net::UnixListener::bind(d.p("sock")).unwrap();
    t(&["-S", "sock"], 0);
    t(&["-p", "sock"], 1);
    if std::process::Command::new("mkfifo")
        .arg(d.p("fifo"))
        .status()
        .is_ok_and(|s| s.success())
    {
        t(&["-p", "fifo"], 0);
        t(&["-f", "fifo"], 1);
    }
    // A block device, if the system has one.
    let block = fs::read_dir("/dev").ok().and_then(|rd| {
        use std::os::unix::fs::FileTypeExt;
        rd.flatten()
            .find(|e| e.file_type().is_ok_and(|t| t.is_block_device()))
            .map(|e| e.path())
    });
    if let Some(b) = block {
        t(&["-b", b.to_str().unwrap()], 0);
        t(&["-c", b.to_str().unwrap()], 1);
    }
}

#[test]
fn brackets_need_their_closing_argument() {
    status("[", &["x", "]"], 0, "");
    status("[", &["]"], 1, "");
    status("[", &["", "]"], 1, "");
    status("[", &["-n", "]", "]"], 0, "");
    status("[", &["x"], 2, "[: missing ']'\n");
    status("[", &[], 2, "[: missing ']'\n");
    status("[", &["x", "]]"], 2, "[: missing ']'\n");
    status("[", &["1", "-eq", "x", "]"], 2, "[: invalid integer 'x'\n");
    status(
        "[",
        &["(", "x", "=", "x", ")", "-a", "!", "-z", "y", "]"],
        0,
        "",
    );
    status("[[", &["x", "]]"], 0, "");
    status("[[", &["", "]]"], 1, "");
    status("[[", &["a", "<", "b", "]]"], 0, "");
    status("[[", &["x", "]"], 2, "[[: missing ']]'\n");
    status("[[", &["x"], 2, "[[: missing ']]'\n");
    // The shell runs it by name too.
    let d = Dir::new();
    d.sh("$B/[ a = a ] && $B/[ a != b ] && ! $B/[ a = b ] && echo yes")
        .ok("yes\n");
}

// ---------------------------------------------------------------- readlink, realpath

fn canon_dir(d: &Dir) -> String {
    fs::canonicalize(&d.path)
        .unwrap()
        .to_str()
        .unwrap()
        .to_string()
}

/// A tree for path tests: f, d/, l -> target (missing), lf -> f,
/// ld -> d, loop -> loop, rel -> d/../f.
fn link_tree() -> (Dir, String) {
    let d = Dir::new();
    d.write("f", "x");
    d.mkdir("d/sub");
    d.write("d/f2", "y");
    for (target, name) in [
        ("target", "l"),
        ("f", "lf"),
        ("d", "ld"),
        ("loop", "loop"),
        ("d/../f", "rel"),
    ] {
        std::os::unix::fs::symlink(target, d.p(name)).unwrap();
    }
    let base = canon_dir(&d);
    (d, base)
}

#[test]
fn readlink_prints_targets() {
    let (d, _base) = link_tree();
    d.run("readlink", &["l"]).ok("target\n");
    d.run("readlink", &["lf", "ld"]).ok("f\nd\n");
    d.run("readlink", &["-n", "lf"]).ok("f");
    let o = d.run("readlink", &["-z", "lf", "ld"]).go();
    assert_eq!(o.stdout, b"f\0d\0");
    // Not a link, or missing: status 1, quiet unless -v.
    d.run("readlink", &["f"]).fails(1, "");
    d.run("readlink", &["nope"]).fails(1, "");
    d.run("readlink", &["-v", "f"])
        .fails(1, "readlink: f: Invalid argument\n");
    d.run("readlink", &["-v", "nope"])
        .fails(1, "readlink: nope: No such file or directory\n");
    d.run("readlink", &["-v", "-q", "nope"]).fails(1, "");
    d.run("readlink", &["-s", "-v", "lf/"])
        .fails(1, "readlink: lf/: Not a directory\n");
    d.run("readlink", &["-v", "lf", "f", "ld"]).go().expect(
        1,
        b"f\nd\n",
        b"readlink: f: Invalid argument\n",
    );
    d.run("readlink", &["-n", "lf", "ld"]).go().expect(
        0,
        b"f\nd\n",
        b"readlink: ignoring --no-newline with multiple arguments\n",
    );
    let o = d.run("readlink", &[]).go();
    assert_eq!(o.code, 1);
    assert!(
        o.err().starts_with("readlink: missing operand\n"),
        "{}",
        o.err()
    );
}

#[test]
fn readlink_canonicalizes() {
    let (d, base) = link_tree();
    let r = |args: &[&str], out: &str| {
        d.run("readlink", args).ok(format!("{out}\n"));
    };
    r(&["-f", "l"], &format!("{base}/target"));
    r(&["-f", "lf"], &format!("{base}/f"));
    r(&["-f", "rel"], &format!("{base}/f"));
    r(&["-f", "ld/sub/.."], &format!("{base}/d"));
    r(&["-f", "ld/"], &format!("{base}/d"));
    r(&["-f", "nope"], &format!("{base}/nope"));
    r(&["-f", "nope/"], &format!("{base}/nope"));
    r(&["-f", "."], &base);
    r(&["-f", "/"], "/");
    r(&["-e", "lf"], &format!("{base}/f"));
    r(&["-m", "nope/x/../y"], &format!("{base}/nope/y"));
    r(&["-m", "lf/"], &format!("{base}/f"));
    r(
        &["--canonicalize-missing", "l/x"],
        &format!("{base}/target/x"),
    );
    d.run("readlink", &["-f", "nope/x"]).fails(1, "");
    d.run("readlink", &["-fv", "nope/x"])
        .fails(1, "readlink: nope/x: No such file or directory\n");
    d.run("readlink", &["-ev", "l"])
        .fails(1, "readlink: l: No such file or directory\n");
    d.run("readlink", &["-fv", "loop"])
        .fails(1, "readlink: loop: Too many levels of symbolic links\n");
    d.run("readlink", &["-fv", "f/x"])
        .fails(1, "readlink: f/x: Not a directory\n");
    d.run("readlink", &["-fv", "lf/"])
        .fails(1, "readlink: lf/: Not a directory\n");
    d.run("readlink", &["-fv", ""])
        .fails(1, "readlink: : No such file or directory\n");
}

#[test]
fn realpath_resolves() {
    let (d, base) = link_tree();
    let r = |args: &[&str], out: &str| {
        d.run("realpath", args).ok(out);
    };
    r(
        &["l", "lf", "ld/sub"],
        &format!("{base}/target\n{base}/f\n{base}/d/sub\n"),
    );
    r(&["nope"], &format!("{base}/nope\n"));
    r(&["/", "//", "///x"], "/\n/\n/x\n");
    r(&["-m", "nope/x"], &format!("{base}/nope/x\n"));
    r(&["-e", "lf"], &format!("{base}/f\n"));
    r(&["-s", "lf"], &format!("{base}/lf\n"));
    r(&["--strip", "ld/sub/.."], &format!("{base}/ld\n"));
    r(&["--no-symlinks", "./ld/../f"], &format!("{base}/f\n"));
    r(&["-s", "ld/nope"], &format!("{base}/ld/nope\n"));
    r(&["-L", "ld/sub/.."], &format!("{base}/d\n"));
    r(&["-P", "ld/sub/.."], &format!("{base}/d\n"));
    r(&["ld/.."], &format!("{base}\n"));
    r(&["-L", "ld/.."], &format!("{base}\n"));
    let o = d.run("realpath", &["-z", "f", "lf"]).go();
    assert_eq!(o.stdout, format!("{base}/f\0{base}/f\0").into_bytes());
    // Errors.
    d.run("realpath", &["nope/x"])
        .fails(1, "realpath: nope/x: No such file or directory\n");
    d.run("realpath", &["-e", "nope"])
        .fails(1, "realpath: nope: No such file or directory\n");
    d.run("realpath", &["loop"])
        .fails(1, "realpath: loop: Too many levels of symbolic links\n");
    d.run("realpath", &["f/"])
        .fails(1, "realpath: f/: Not a directory\n");
    d.run("realpath", &["lf/"])
        .fails(1, "realpath: lf/: Not a directory\n");
    d.run("realpath", &["-s", "f/x"])
        .fails(1, "realpath: f/x: Not a directory\n");
    d.run("realpath", &[""])
        .fails(1, "realpath: : No such file or directory\n");
    d.run("realpath", &["-q", "loop", "nope/x", "f"])
        .go()
        .expect(1, format!("{base}/f\n").as_bytes(), b"");
    d.run("realpath", &["nope/x", "f"]).go().expect(
        1,
        format!("{base}/f\n").as_bytes(),
        b"realpath: nope/x: No such file or directory\n",
    );
    let o = d.run("realpath", &["-E", "f"]).go();
    assert_eq!(o.code, 1);
    assert!(o.err().starts_with("realpath: invalid option -- 'E'\n"));
}

#[test]
fn realpath_relative() {
    let (d, base) = link_tree();
    let r = |args: &[&str], out: &str| {
        d.run("realpath", args).ok(out);
    };
    r(&["--relative-to=d", "f", "d/sub", "d"], "../f\nsub\n.\n");
    r(&["--relative-to=d/sub", "f"], "../../f\n");
    r(&["--relative-to=/", "/", "/usr"], ".\nusr\n");
    r(&["--relative-to=nope", "f"], "../f\n");
    r(&["-m", "--relative-to=nope/x", "f"], "../../f\n");
    r(
        &["--relative-base=d", "f", "d/f2", "d"],
        &format!("{base}/f\nf2\n.\n"),
    );
    r(
        &[
            "--relative-to=d/sub",
            "--relative-base=d",
            "d/sub",
            "d/f2",
            "f",
        ],
        &format!(".\n../f2\n{base}/f\n"),
    );
    // relative-to outside relative-base: everything absolute.
    r(
        &["--relative-to=/", "--relative-base=d", "d/f2"],
        &format!("{base}/d/f2\n"),
    );
    r(&["-s", "--relative-to=.", "lf"], "lf\n");
    d.run("realpath", &["--relative-to=nope/x", "f"])
        .fails(1, "realpath: nope/x: No such file or directory\n");
}

// ---------------------------------------------------------------- stat

#[test]
fn stat_format_directives() {
    let d = Dir::new();
    let f = d.write("f", "hello");
    chmod(&f, 0o640);
    set_times(
        &f,
        at(1_234_567_890, 123_456_789),
        at(1_000_000_000, 500_000_000),
    );
    let m = fs::metadata(&f).unwrap();
    let fmt = "%n|%s|%a|%A|%F|%h|%u|%g|%X|%Y|%x|%y|%.3Y|%.X|%i|%d|%D|%f|%o|%B|%b|%t|%T|%Hd|%Ld";
    let want = format!(
        "f|5|640|-rw-r-----|regular file|1|{}|{}|1234567890|1000000000|\
         2009-02-13 23:31:30.123456789 +0000|2001-09-09 01:46:40.500000000 +0000|\
         1000000000.500|1234567890.123456789|{}|{}|{:x}|81a0|{}|512|{}|0|0|{}|{}\n",
        m.uid(),
        m.gid(),
        m.ino(),
        m.dev(),
        m.dev(),
        m.blksize(),
        m.blocks(),
        major(m.dev()),
        minor(m.dev()),
    );
    d.run("stat", &["-c", fmt, "f"]).ok(want);
    // Ctime and its seconds agree with the metadata.
    d.run("stat", &["-c", "%Z|%z", "f"]).ok(format!(
        "{}|{}\n",
        m.ctime(),
        utc(m.ctime(), m.ctime_nsec())
    ));
    // Widths, flags and precision, printf-style.
    d.run(
        "stat",
        &[
            "-c",
            "[%8n|%-8n|%08s|%-4s|%+s|% s|%#a|%#o|%05a|%.1n|%5.2n|%.4s|%%|%q|%H|%Hx]",
            "f",
        ],
    )
    .ok(format!(
        "[       f|f       |00000005|5   |+5| 5|0640|{}|00640|f|    f|0005|%|?|?|?x]\n",
        m.blksize()
    ));
    d.run(
        "stat",
        &["-c", "%#f|%#x|%10.3Y|%-16.2X|%015.1Y|%.0Y|%.12Y", "f"],
    )
    .ok(
        "0x81a0|2009-02-13 23:31:30.123456789 +0000|1000000000.500|1234567890.12   |\
             0001000000000.5|1000000000|1000000000.500000000000\n",
    );
    d.run("stat", &["-c", "%.3x|%20.4y|", "f"])
        .ok("200|                2001|\n");
    // Several files, one line each.
    d.run("stat", &["-c", "%n %s", "f", "f"]).ok("f 5\nf 5\n");
    // A trailing lone % is printed; an unfinished directive is an error.
    d.run("stat", &["-c", "100%", "f"]).ok("100%\n");
    d.run("stat", &["-c", "x %-", "f"])
        .go()
        .expect(1, b"x ", b"stat: '%-': invalid directive\n");
    d.run("stat", &["-c", "%5%", "f"])
        .go()
        .expect(1, b"", b"stat: '%5%': invalid directive\n");
    // The user and group names of root, when the test runs as root.
    if m.uid() == 0 && m.gid() == 0 {
        d.run("stat", &["-c", "%U:%G|%8U|%-6G|", "f"])
            .ok("root:root|    root|root  |\n");
    }
}

#[test]
fn stat_printf_escapes() {
    let d = Dir::new();
    d.write("f", "abc");
    d.write("g", "");
    d.run("stat", &["--printf=%n\\t%s\\n", "f", "g"])
        .ok("f\t3\ng\t0\n");
    d.run("stat", &["--printf=%n", "f", "g"]).ok("fg");
    d.run("stat", &["--printf=\\101\\x42\\0103\\\"\\\\\\e|", "f"])
        .ok("AB\x083\"\\\x1b|");
    // %%-escapes produce no directive.
    d.run("stat", &["--printf=\\045n\\n", "f"]).ok("%n\n");
    d.run("stat", &["--printf=[\\q]", "f"]).go().expect(
        0,
        b"[q]",
        b"stat: warning: unrecognized escape '\\q'\n",
    );
    d.run("stat", &["--printf=x\\", "f"]).go().expect(
        0,
        b"x\\",
        b"stat: warning: backslash at end of format\n",
    );
    // -c does not interpret escapes.
    d.run("stat", &["-c", "%n\\t", "f"]).ok("f\\t\n");
    // The last format given wins.
    d.run("stat", &["-c", "%s", "--format=%n", "f"]).ok("f\n");
}

#[test]
fn stat_file_types_and_names() {
    let d = Dir::new();
    d.write("f", "x");
    d.write("empty", "");
    d.mkdir("dir");
    d.write("it's", "");
    d.write("a b", "");
    std::os::unix::fs::symlink("f", d.p("l")).unwrap();
    std::os::unix::fs::symlink("it's", d.p("lq")).unwrap();
    std::os::unix::fs::symlink("nowhere", d.p("dangling")).unwrap();
    let _sock = std::os::unix::net::UnixListener::bind(d.p("sock")).unwrap();
    d.run("stat", &["-c", "%F", "f", "empty", "dir", "l", "sock", "/dev/null"])
        .ok("regular file\nregular empty file\ndirectory\nsymbolic link\nsocket\ncharacter special file\n");
    d.run("stat", &["-L", "-c", "%F|%N", "l"])
        .ok("regular file|'l'\n");
    d.run(
        "stat",
        &["-c", "%N", "l", "f", "it's", "a b", "lq", "dangling"],
    )
    .ok("'l' -> 'f'\n'f'\n\"it's\"\n'a b'\n'lq' -> \"it's\"\n'dangling' -> 'nowhere'\n");
    d.run("stat", &["-c", "%t %T %Hr,%Lr %r", "/dev/null"])
        .ok(format!(
            "1 3 1,3 {}\n",
            fs::metadata("/dev/null").unwrap().rdev()
        ));
    // A name with a newline in %N.
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    d.write("a\nb", "");
    let o = d
        .run("stat", &["-c", "%N"])
        .args_os(&[OsStr::from_bytes(b"a\nb")])
        .go();
    assert_eq!(o.out(), "'a'$'\\n''b'\n");
    if std::process::Command::new("mkfifo")
        .arg(d.p("fifo"))
        .status()
        .is_ok_and(|s| s.success())
    {
        d.run("stat", &["-c", "%F %a", "fifo"]).ok(format!(
            "fifo {:o}\n",
            fs::metadata(d.p("fifo")).unwrap().mode() & 0o7777
        ));
    }
    // Errors: keep going, status 1.
    d.run("stat", &["-c", "%n", "nope", "f", "dangling"])
        .go()
        .expect(
            1,
            b"f\ndangling\n",
            b"stat: cannot stat 'nope': No such file or directory\n",
        );
    d.run("stat", &["-L", "-c", "%n", "dangling"]).fails(
        1,
        "stat: cannot stat 'dangling': No such file or directory\n",
    );
    d.run("stat", &["-c", "%n", "f/x"])
        .fails(1, "stat: cannot stat 'f/x': Not a directory\n");
    let o = d.run("stat", &[]).go();
    assert_eq!(o.code, 1);
    assert!(
        o.err().starts_with("stat: missing operand\n"),
        "{}",
        o.err()
    );
    let o = d.run("stat", &["--cached=sometimes", "f"]).go();
    assert_eq!(o.code, 1);
    assert!(
        o.err()
            .starts_with("stat: invalid argument 'sometimes' for '--cached'\n")
    );
    d.run("stat", &["--cached=never", "-c", "%n", "f"])
        .ok("f\n");
    // Standard input.
    d.run("stat", &["-c", "%n %F", "-"])
        .ok("- character special file\n");
}

/// The expected default layout of `stat FILE`, from std's metadata; the
/// birth time (which std cannot read here) is passed in.
fn default_stat(
    name: &str,
    m: &fs::Metadata,
    kind: &str,
    link: Option<&str>,
    birth: &str,
) -> String {
    let mode = m.mode();
    let perms = {
        let mut s = String::new();
        s.push(match mode & 0o170000 {
            0o040000 => 'd',
            0o120000 => 'l',
            0o020000 => 'c',
            _ => '-',
        });
        for (shift, special, lower, upper) in [
            (6, 0o4000, 's', 'S'),
            (3, 0o2000, 's', 'S'),
            (0, 0o1000, 't', 'T'),
        ] {
            let b = (mode >> shift) & 7;
            s.push(if b & 4 != 0 { 'r' } else { '-' });
            s.push(if b & 2 != 0 { 'w' } else { '-' });
            s.push(match (b & 1 != 0, mode & special != 0) {
                (true, true) => lower,
                (false, true) => upper,
                (true, false) => 'x',
                (false, false) => '-',
            });
        }
        s
    };
    let file = match link {
        Some(t) => format!("{name} -> {t}"),
        None => name.to_string(),
    };
    format!(
        "  File: {file}\n  Size: {:<10}\tBlocks: {:<10} IO Block: {:<6} {kind}\n\
         Device: {},{}\tInode: {:<11} Links: {}\n\
         Access: ({:04o}/{perms})  Uid: ({:>5}/{:>8})   Gid: ({:>5}/{:>8})\n\
         Access: {}\nModify: {}\nChange: {}\n Birth: {birth}\n",
        m.size(),
        m.blocks(),
        m.blksize(),
        major(m.dev()),
        minor(m.dev()),
        m.ino(),
        m.nlink(),
        mode & 0o7777,
        m.uid(),
        if m.uid() == 0 { "root" } else { "?" },
        m.gid(),
        if m.gid() == 0 { "root" } else { "?" },
        utc(m.atime(), m.atime_nsec()),
        utc(m.mtime(), m.mtime_nsec()),
        utc(m.ctime(), m.ctime_nsec()),
    )
}

/// `stat -c %W|%w`: the birth time in seconds and as text, checked to be
/// either unknown (`0|-`) or a recent time that both forms agree on.
fn birth(d: &Dir, name: &str, follow: bool) -> (u64, String) {
    let args: &[&str] = if follow {
        &["-L", "-c", "%W|%.9W|%w", name]
    } else {
        &["-c", "%W|%.9W|%w", name]
    };
    let o = d.run("stat", args).go();
    assert_eq!(o.code, 0, "{}", o.err());
    let out = o.out();
    let parts: Vec<&str> = out.trim_end().splitn(3, '|').collect();
    let secs: u64 = parts[0].parse().unwrap();
    if secs == 0 {
        assert_eq!(&parts[1..], ["0", "-"]);
        return (0, "-".to_string());
    }
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs();
    assert!(secs <= now && secs + 3600 > now, "{out}");
    let (s, ns) = parts[1].split_once('.').unwrap();
    assert_eq!(s, parts[0]);
    let text = utc(secs as i64, ns.parse().unwrap());
    assert_eq!(parts[2], text);
    (secs, text)
}

#[test]
fn stat_default_layout() {
    if !is_root() {
        // The expected owner names are only known for root's files.
        eprintln!("SKIPPED stat_default_layout: needs root-owned files");
        return;
    }
    let d = Dir::new();
    let f = d.write("f", "twelve bytes");
    chmod(&f, 0o4751);
    set_times(&f, at(1_234_567_890, 123_456_789), at(1_000_000_000, 0));
    std::os::unix::fs::symlink("f", d.p("l")).unwrap();
    let m = fs::metadata(&f).unwrap();
    let (born, btext) = birth(&d, "f", false);
    d.run("stat", &["f"])
        .ok(default_stat("f", &m, "regular file", None, &btext));
    let lm = fs::symlink_metadata(d.p("l")).unwrap();
    let (_, ltext) = birth(&d, "l", false);
    d.run("stat", &["l"])
        .ok(default_stat("l", &lm, "symbolic link", Some("f"), &ltext));
    let m = fs::metadata(d.p("l")).unwrap();
    d.run("stat", &["-L", "l"])
        .ok(default_stat("l", &m, "regular file", None, &btext));
    // A device shows its type numbers.
    let o = run("stat", &["/dev/null"]).go();
    assert_eq!(o.code, 0);
    let line = o.out().lines().nth(2).unwrap().to_string();
    assert!(line.ends_with("Links: 1     Device type: 1,3"), "{line}");
    assert!(
        o.out()
            .starts_with("  File: /dev/null\n  Size: 0         \tBlocks: 0          IO Block: ")
    );
    // Terse.
    let m = fs::metadata(&f).unwrap();
    d.run("stat", &["-t", "f"]).ok(format!(
        "f 12 {} 89e9 0 0 {:x} {} 1 0 0 1234567890 1000000000 {} {born} {}\n",
        m.blocks(),
        m.dev(),
        m.ino(),
        m.ctime(),
        m.blksize()
    ));
}

#[test]
fn stat_birth_and_mount_point() {
    let d = Dir::new();
    d.write("f", "");
    birth(&d, "f", false);
    run("stat", &["-c", "%m", "/"]).ok("/\n");
    if Path::new("/proc/self").exists() {
        run("stat", &["-c", "%m", "/proc/self/status"]).ok("/proc\n");
    }
}

#[test]
fn stat_file_system() {
    let d = Dir::new();
    d.write("f", "");
    let o = d.run("stat", &["-f", "f"]).go();
    assert_eq!(o.code, 0, "{}", o.err());
    let out = o.out();
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 5, "{out}");
    assert_eq!(lines[0], "  File: \"f\"");
    assert!(lines[1].starts_with("    ID: ") && lines[1].contains(" Namelen: "));
    assert!(lines[2].starts_with("Block size: ") && lines[2].contains(" Fundamental block size: "));
    assert!(lines[3].starts_with("Blocks: Total: "));
    assert!(lines[4].starts_with("Inodes: Total: "));
    let o = d.run("stat", &["-f", "-t", "f"]).go();
    assert_eq!(o.out().split_whitespace().count(), 11, "{}", o.out());
    assert!(o.out().starts_with("f "));
    d.run("stat", &["-f", "-c", "%n %l", "/"]).ok("/ 255\n");
    if Path::new("/proc/self").exists() {
        run("stat", &["-f", "-c", "%T %t", "/proc"]).ok("proc 9fa0\n");
    }
    d.run("stat", &["-f", "nope"]).fails(
        1,
        "stat: cannot read file system information for 'nope': No such file or directory\n",
    );
    d.run("stat", &["-f", "-"]).fails(
        1,
        "stat: using '-' to denote standard input does not work in file system mode\n",
    );
}

// ---------------------------------------------------------------- du

/// A tree: a/ (f1: 5000 bytes, b/ (f2: 100 bytes)), c/ (hl: hard link to
/// a/f1, sl -> ../a), empty.
fn du_tree() -> Dir {
    let d = Dir::new();
    d.write("t/a/f1", vec![7u8; 5000]);
    d.write("t/a/b/f2", vec![1u8; 100]);
    d.mkdir("t/c");
    fs::hard_link(d.p("t/a/f1"), d.p("t/c/hl")).unwrap();
    std::os::unix::fs::symlink("../a", d.p("t/c/sl")).unwrap();
    d.write("t/empty", "");
    d
}

fn blocks(d: &Dir, p: &str) -> u64 {
    fs::symlink_metadata(d.p(p)).unwrap().blocks() * 512
}

fn apparent(d: &Dir, p: &str) -> u64 {
    fs::symlink_metadata(d.p(p)).unwrap().len()
}

fn kib(n: u64) -> u64 {
    n.div_ceil(1024)
}

#[test]
fn du_counts_blocks_and_hard_links_once() {
    let d = du_tree();
    let b = |p: &str| blocks(&d, p);
    let ab = b("t/a/b") + b("t/a/b/f2");
    let a = b("t/a") + b("t/a/f1") + ab;
    let c = b("t/c") + b("t/c/sl");
    let t = b("t") + a + c + b("t/empty");
    // a is walked after c or before it; the hard link is counted for
    // whichever comes first, so compare totals and the dirs without it.
    let o = d.run("du", &["-s", "t"]).go();
    o.expect(0, format!("{}\tt\n", kib(t)).as_bytes(), b"");
    d.run("du", &["t/a"])
        .ok(format!("{}\tt/a/b\n{}\tt/a\n", kib(ab), kib(a)));
    d.run("du", &["-s", "t/a", "t/c"])
        .ok(format!("{}\tt/a\n{}\tt/c\n", kib(a), kib(c)));
    // -l counts the link again.
    d.run("du", &["-sl", "t/a", "t/c"]).ok(format!(
        "{}\tt/a\n{}\tt/c\n",
        kib(a),
        kib(c + b("t/c/hl"))
    ));
    // A file operand is shown; the same file again is not.
    d.run("du", &["t/a/f1", "t/c/hl"])
        .ok(format!("{}\tt/a/f1\n", kib(b("t/a/f1"))));
    // The same directory twice, or inside another operand: once.
    d.run("du", &["-s", "t/a", "t/a"])
        .ok(format!("{}\tt/a\n", kib(a)));
    d.run("du", &["-s", "t", "t/a"])
        .ok(format!("{}\tt\n", kib(t)));
    // Grand total.
    d.run("du", &["-c", "-s", "t/a", "t/c"]).ok(format!(
        "{}\tt/a\n{}\tt/c\n{}\ttotal\n",
        kib(a),
        kib(c),
        kib(a + c)
    ));
}

#[test]
fn du_all_depth_and_sizes() {
    let d = du_tree();
    let ap = |p: &str| apparent(&d, p);
    let ab = ap("t/a/b") + 100;
    let a = ap("t/a") + 5000 + ab;
    let c = ap("t/c") + ap("t/c/sl");
    let t_without_link = ap("t") + a + c + ap("t/empty");
    // -b: apparent sizes in bytes; -a lists files too.
    let o = d.run("du", &["-ab", "t/a"]).go();
    assert_eq!(
        lines_sorted(&o.out()),
        lines_sorted(&format!(
            "5000\tt/a/f1\n100\tt/a/b/f2\n{ab}\tt/a/b\n{a}\tt/a\n"
        ))
    );
    d.run("du", &["--apparent-size", "--block-size=1", "-s", "t/a"])
        .ok(format!("{a}\tt/a\n"));
    d.run("du", &["--apparent-size", "-s", "t/a"])
        .ok(format!("{}\tt/a\n", kib(a)));
    d.run("du", &["-sb", "t"])
        .ok(format!("{t_without_link}\tt\n"));
    // -d 1 shows the first level only. The hard-linked file counts in
    // whichever of a/ and c/ the walk meets first.
    let o = d.run("du", &["-b", "-d", "1", "t"]).go();
    let got = lines_sorted(&o.out());
    let c_hl = c + 5000;
    let a_no = a - 5000;
    assert!(
        got == lines_sorted(&format!("{a}\tt/a\n{c}\tt/c\n{t_without_link}\tt\n"))
            || got == lines_sorted(&format!("{a_no}\tt/a\n{c_hl}\tt/c\n{t_without_link}\tt\n")),
        "{got:?}"
    );
    d.run("du", &["-b", "-d", "1", "t/a"])
        .ok(format!("{ab}\tt/a/b\n{a}\tt/a\n"));
    d.run("du", &["-b", "--max-depth=0", "t/a"])
        .ok(format!("{a}\tt/a\n"));
    // -S leaves subdirectories out of a directory's size; the total
    // still counts everything.
    d.run("du", &["-bSc", "t/a"]).ok(format!(
        "{ab}\tt/a/b\n{}\tt/a\n{a}\ttotal\n",
        ap("t/a") + 5000
    ));
    // Units.
    d.run("du", &["-sb", "-B", "1000", "t/a"])
        .ok(format!("{}\tt/a\n", a.div_ceil(1000)));
    d.run("du", &["-b", "-B", "K", "-s", "t/a"])
        .ok(format!("{}K\tt/a\n", kib(a)));
    d.run("du", &["-bm", "-s", "t/a"])
        .ok(format!("{}\tt/a\n", a.div_ceil(1 << 20)));
    d.run("du", &["-b", "-h", "t/a/b/f2"]).ok("100\tt/a/b/f2\n");
    d.run("du", &["-b", "-h", "t/a/f1"]).ok("4.9K\tt/a/f1\n");
    d.run("du", &["-b", "--si", "t/a/f1"]).ok("5.0k\tt/a/f1\n");
    // -0 ends lines with NUL.
    let o = d.run("du", &["-0b", "t/a/f1"]).go();
    assert_eq!(o.stdout, b"5000\tt/a/f1\0");
    // --inodes counts entries: a, f1, b, f2.
    d.run("du", &["--inodes", "-s", "t/a"]).ok("4\tt/a\n");
    // Thresholds.
    d.run("du", &["-ab", "-t", "200", "t/a/b"])
        .ok(format!("{ab}\tt/a/b\n"));
    d.run("du", &["-ab", "-t", "-200", "t/a/b"])
        .ok("100\tt/a/b/f2\n");
    // Exclusion by name or path tail.
    d.run("du", &["-ab", "--exclude=f?", "t/a"]).ok(format!(
        "{}\tt/a/b\n{}\tt/a\n",
        ap("t/a/b"),
        ap("t/a") + ap("t/a/b")
    ));
    d.run("du", &["-sb", "--exclude=a/b", "t/a"])
        .ok(format!("{}\tt/a\n", ap("t/a") + 5000));
    fs::write(d.p("patterns"), "b\n").unwrap();
    d.run("du", &["-sb", "-X", "patterns", "t/a"])
        .ok(format!("{}\tt/a\n", ap("t/a") + 5000));
    // Trailing slashes of an operand are kept as one.
    d.run("du", &["-b", "t/a/b//"])
        .ok(format!("{ab}\tt/a/b/\n"));
}

#[test]
fn du_symlinks() {
    let d = du_tree();
    let b = |p: &str| blocks(&d, p);
    // The link itself, unless -H or -L follows it.
    d.run("du", &["t/c/sl"])
        .ok(format!("{}\tt/c/sl\n", kib(b("t/c/sl"))));
    let ab = b("t/a/b") + b("t/a/b/f2");
    let a = b("t/a") + b("t/a/f1") + ab;
    d.run("du", &["-H", "t/c/sl"])
        .ok(format!("{}\tt/c/sl/b\n{}\tt/c/sl\n", kib(ab), kib(a)));
    d.run("du", &["-Ls", "t/c/sl"])
        .ok(format!("{}\tt/c/sl\n", kib(a)));
    // -L through a/ twice (as t/a and t/c/sl): counted once.
    let o = d.run("du", &["-Ls", "t"]).go();
    let t = b("t") + a + b("t/c") + b("t/empty");
    o.expect(0, format!("{}\tt\n", kib(t)).as_bytes(), b"");
    // A dangling link that was to be followed is an error.
    std::os::unix::fs::symlink("nowhere", d.p("dang")).unwrap();
    d.run("du", &["-L", "dang"])
        .fails(1, "du: cannot access 'dang': No such file or directory\n");
    d.run("du", &["dang"])
        .ok(format!("{}\tdang\n", kib(b("dang"))));
}

#[test]
fn du_errors() {
    let d = du_tree();
    d.run("du", &["nope"])
        .fails(1, "du: cannot access 'nope': No such file or directory\n");
    let o = d.run("du", &["-b", "nope", "t/a/b/f2"]).go();
    o.expect(
        1,
        b"100\tt/a/b/f2\n",
        b"du: cannot access 'nope': No such file or directory\n",
    );
    let usage_err = |args: &[&str], first: &str| {
        let o = d.run("du", args).go();
        assert_eq!(o.code, 1, "{args:?}");
        assert!(o.out().is_empty());
        assert!(o.err().starts_with(first), "{args:?}: {}", o.err());
    };
    usage_err(&["-d", "x"], "du: invalid maximum depth 'x'\nUsage: du ");
    usage_err(&["-sa"], "du: cannot both summarize and show all entries\n");
    usage_err(
        &["-s", "-d", "1"],
        "du: warning: summarizing conflicts with --max-depth=1\n",
    );
    usage_err(&["-z"], "du: invalid option -- 'z'\n");
    d.run("du", &["-B", "1x", "t"])
        .fails(1, "du: invalid suffix in -B argument '1x'\n");
    d.run("du", &["-B", "0", "t"])
        .fails(1, "du: invalid -B argument '0'\n");
    d.run("du", &["--block-size=2Z", "t"])
        .fails(1, "du: --block-size argument '2Z' too large\n");
    d.run("du", &["-t", "x", "t"])
        .fails(1, "du: invalid -t argument 'x'\n");
    d.run("du", &["-s", "-d", "0", "-b", "t/a/b/f2"])
        .go()
        .expect(
            0,
            b"100\tt/a/b/f2\n",
            b"du: warning: summarizing is the same as using --max-depth=0\n",
        );
    // An unreadable directory: reported, counted, and the walk goes on.
    if is_root() {
        eprintln!("SKIPPED du unreadable directory: root reads everything");
    } else {
        chmod(&d.p("t/a/b"), 0o000);
        let o = d.run("du", &["-s", "t/a"]).go();
        assert_eq!(o.code, 1);
        assert_eq!(
            o.err(),
            "du: cannot read directory 't/a/b': Permission denied\n"
        );
        chmod(&d.p("t/a/b"), 0o755);
    }
}

#[test]
fn du_deep_tree() {
    let d = Dir::new();
    let mut p = d.p("deep");
    for _ in 0..300 {
        p.push("d");
    }
    fs::create_dir_all(&p).unwrap();
    fs::write(p.join("leaf"), "x").unwrap();
    let o = d.run("du", &["-s", "--inodes", "deep"]).go();
    o.expect(0, b"302\tdeep\n", b"");
    let o = d.run("du", &["deep"]).go();
    assert_eq!(o.code, 0);
    assert_eq!(o.out().lines().count(), 301);
}

// ---------------------------------------------------------------- df

/// The mount table as (source, point, type), later entries last.
fn mounts() -> Vec<(String, String, String)> {
    let data = fs::read_to_string("/proc/self/mountinfo").unwrap_or_default();
    data.lines()
        .filter_map(|l| {
            let f: Vec<&str> = l.split(' ').collect();
            let sep = f.iter().position(|x| *x == "-")?;
            let unesc = |s: &str| s.replace("\\040", " ");
            Some((
                unesc(f.get(sep + 2)?),
                unesc(f.get(4)?),
                f.get(sep + 1)?.to_string(),
            ))
        })
        .collect()
}

#[test]
fn df_headers_and_file_operands() {
    let root = mounts().into_iter().rev().find(|m| m.1 == "/");
    let o = run("df", &["-P", "/"]).go();
    assert_eq!(o.code, 0, "{}", o.err());
    let out = o.out();
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2, "{out}");
    let head: Vec<&str> = lines[0].split_whitespace().collect();
    assert_eq!(
        head,
        [
            "Filesystem",
            "1024-blocks",
            "Used",
            "Available",
            "Capacity",
            "Mounted",
            "on"
        ]
    );
    assert!(lines[0].starts_with("Filesystem     "));
    let row: Vec<&str> = lines[1].split_whitespace().collect();
    assert_eq!(row.len(), 6, "{out}");
    assert_eq!(row[5], "/");
    assert!(row[4].ends_with('%'));
    if let Some((src, _, fstype)) = &root {
        assert_eq!(row[0], src);
        // Columns line up: the size column ends where its header ends.
        let end = lines[0].find("1024-blocks").unwrap() + "1024-blocks".len();
        let size_end = lines[1].find(row[1]).unwrap() + row[1].len();
        assert_eq!(end, size_end, "{out}");
        let o = run("df", &["-T", "/"]).go();
        let row: Vec<String> = o
            .out()
            .lines()
            .nth(1)
            .unwrap()
            .split_whitespace()
            .map(String::from)
            .collect();
        assert_eq!(&row[1], fstype);
        let o = run("df", &["--output=source,target", "/"]).go();
        let w = src.len().max(14);
        o.expect(
            0,
            format!("{:<w$} Mounted on\n{:<w$} /\n", "Filesystem", src).as_bytes(),
            b"",
        );
    }
    // Total blocks are what statfs reports (as stat -f shows them).
    let s = run("stat", &["-f", "-c", "%S %b", "/"]).go().out();
    let nums: Vec<u64> = s.split_whitespace().map(|x| x.parse().unwrap()).collect();
    let size = (nums[0] * nums[1]).div_ceil(1024);
    assert_eq!(row[1], size.to_string());
    // Headers of the other layouts.
    let header = |args: &[&str]| -> Vec<String> {
        let o = run("df", args).go();
        assert_eq!(o.code, 0, "{args:?}: {}", o.err());
        o.out()
            .lines()
            .next()
            .unwrap()
            .split_whitespace()
            .map(String::from)
            .collect()
    };
    assert_eq!(
        header(&["/"]),
        [
            "Filesystem",
            "1K-blocks",
            "Used",
            "Available",
            "Use%",
            "Mounted",
            "on"
        ]
    );
    assert_eq!(
        header(&["-h", "/"]),
        [
            "Filesystem",
            "Size",
            "Used",
            "Avail",
            "Use%",
            "Mounted",
            "on"
        ]
    );
    assert_eq!(
        header(&["-H", "/"]),
        [
            "Filesystem",
            "Size",
            "Used",
            "Avail",
            "Use%",
            "Mounted",
            "on"
        ]
    );
    assert_eq!(
        header(&["-T", "/"]),
        [
            "Filesystem",
            "Type",
            "1K-blocks",
            "Used",
            "Available",
            "Use%",
            "Mounted",
            "on"
        ]
    );
    assert_eq!(
        header(&["-i", "/"]),
        [
            "Filesystem",
            "Inodes",
            "IUsed",
            "IFree",
            "IUse%",
            "Mounted",
            "on"
        ]
    );
    assert_eq!(header(&["-m", "/"])[1], "1M-blocks");
    assert_eq!(header(&["-B", "1000", "/"])[1], "1kB-blocks");
    assert_eq!(header(&["-B", "2K", "/"])[1], "2K-blocks");
    assert_eq!(header(&["-B", "512", "/"])[1], "512B-blocks");
    assert_eq!(header(&["-B", "1536", "/"])[1], "1.6kB-blocks");
    assert_eq!(header(&["-P", "-B", "2K", "/"])[1], "2048-blocks");
    assert_eq!(
        header(&["--output", "/"]),
        [
            "Filesystem",
            "Type",
            "Inodes",
            "IUsed",
            "IFree",
            "IUse%",
            "1K-blocks",
            "Used",
            "Avail",
            "Use%",
            "File",
            "Mounted",
            "on"
        ]
    );
    // A file operand shows the filesystem holding it, and --total sums.
    let d = Dir::new();
    d.write("f", "");
    let o = d.run("df", &["--output=file,target", "f", "/"]).go();
    let out = o.out();
    let mut lines = out.lines();
    assert_eq!(lines.next(), Some("File Mounted on"));
    assert!(lines.next().unwrap().starts_with("f    /"), "{out}");
    assert_eq!(lines.next(), Some("/    /"));
    let o = run("df", &["--total", "--output=source,target", "/"]).go();
    assert!(
        o.out().ends_with("\ntotal          -\n") || o.out().contains("\ntotal "),
        "{}",
        o.out()
    );
    let o = run("df", &["--total", "--output=target", "/"]).go();
    o.expect(0, b"Mounted on\n/\ntotal\n", b"");
}

#[test]
fn df_listing_hides_pseudo_filesystems() {
    let o = run("df", &[]).go();
    assert_eq!(o.code, 0, "{}", o.err());
    let out = o.out();
    assert!(out.starts_with("Filesystem"));
    for l in out.lines().skip(1) {
        let f: Vec<&str> = l.split_whitespace().collect();
        assert!(f.len() >= 6, "{l}");
        assert_ne!(f[1], "0", "an empty filesystem is hidden: {l}");
    }
    if mounts().iter().any(|m| m.2 == "proc") {
        assert!(!out.lines().any(|l| l.ends_with(" /proc")), "{out}");
        let o = run("df", &["-a"]).go();
        assert!(
            o.out()
                .lines()
                .any(|l| l.starts_with("proc ") && l.contains(" - /proc")),
            "{}",
            o.out()
        );
        let o = run("df", &["-ai", "-t", "proc"]).go();
        assert!(
            o.out().lines().skip(1).all(|l| l.starts_with("proc ")),
            "{}",
            o.out()
        );
    }
    // Type filters.
    let targets = |s: &str| -> Vec<String> {
        s.lines()
            .map(|l| l.rsplit(' ').next().unwrap_or("").to_string())
            .collect()
    };
    let o = run("df", &["-x", "nosuchfs"]).go();
    assert_eq!(targets(&o.out()), targets(&out));
    run("df", &["-t", "nosuchfs"]).fails(1, "df: no file systems processed\n");
}

#[test]
fn df_errors() {
    run("df", &["/nonexistent/x"]).fails(1, "df: /nonexistent/x: No such file or directory\n");
    let o = run("df", &["--output=target", "nope", "/"]).go();
    o.expect(
        1,
        b"Mounted on\n/\n",
        b"df: nope: No such file or directory\n",
    );
    run("df", &["-B", "1x"]).fails(1, "df: invalid suffix in -B argument '1x'\n");
    run("df", &["-B", "0"]).fails(1, "df: invalid -B argument '0'\n");
    run("df", &["--block-size=1Z"]).fails(1, "df: --block-size argument '1Z' too large\n");
    run("df", &["-t", "ext4", "-x", "ext4"]).fails(
        1,
        "df: file system type 'ext4' both selected and excluded\n",
    );
    let usage_err = |args: &[&str], first: &str| {
        let o = run("df", args).go();
        assert_eq!(o.code, 1, "{args:?}");
        assert!(o.err().starts_with(first), "{args:?}: {}", o.err());
    };
    usage_err(
        &["--output", "-i"],
        "df: options -i and --output are mutually exclusive\nUsage: df ",
    );
    usage_err(
        &["--output=source,source"],
        "df: option --output: field 'source' used more than once\n",
    );
    usage_err(
        &["--output=foo"],
        "df: option --output: field 'foo' unknown\n",
    );
    usage_err(&["-q"], "df: invalid option -- 'q'\n");
}

/// Run a script in a private mount namespace (root only).
fn in_namespace(d: &Dir, script: &str) -> Option<Out> {
    if skip_unless_root("df/stat on a private tmpfs") {
        return None;
    }
    let probe = std::process::Command::new("unshare")
        .args(["-m", "true"])
        .status();
    if !probe.is_ok_and(|s| s.success()) {
        eprintln!("SKIPPED df/stat on a private tmpfs: unshare -m is not available");
        return None;
    }
    let full = format!("unshare -m sh -c '{script}'");
    Some(d.sh(&full).go())
}

#[test]
fn df_exact_numbers_on_a_private_tmpfs() {
    let d = Dir::new();
    d.mkdir("m");
    d.mkdir("b");
    let script = "mount -t tmpfs -o size=1M,nr_inodes=100 ibextest m || exit 9
head -c 409600 /dev/zero > m/data
mkdir m/sub
cd m
$B/df .
$B/df -h .
$B/df -i sub
$B/df -hi .
$B/df -B 4K -P data
$B/df --output=source,fstype,size,pcent,file data
cd ..
mount --bind m b
$B/df -t tmpfs --output=target | grep -e \"/m$\" -e \"/b$\"
$B/df -a -t tmpfs --output=target | grep -e \"/m$\" -e \"/b$\"
$B/stat -f -c \"%T %b %f %a %S %c\" m
$B/stat -c %m b/sub";
    let Some(o) = in_namespace(&d, script) else {
        return;
    };
    if o.code == 9 {
        eprintln!("SKIPPED df on a private tmpfs: cannot mount tmpfs");
        return;
    }
    let cwd = fs::canonicalize(&d.path).unwrap();
    let m = format!("{}/m", cwd.display());
    let bp = format!("{}/b", cwd.display());
    let want = format!(
        "Filesystem     1K-blocks  Used Available Use% Mounted on
ibextest            1024   400       624  40% {m}
Filesystem      Size  Used Avail Use% Mounted on
ibextest        1.0M  400K  624K  40% {m}
Filesystem     Inodes IUsed IFree IUse% Mounted on
ibextest          100     3    97    3% {m}
Filesystem     Inodes IUsed IFree IUse% Mounted on
ibextest          100     3    97    3% {m}
Filesystem     4096-blocks  Used Available Capacity Mounted on
ibextest               256   100       156      40% {m}
Filesystem     Type  1K-blocks Use% File
ibextest       tmpfs      1024  40% data
{m}
{m}
{bp}
tmpfs 256 156 156 4096 100
{bp}
"
    );
    o.expect(0, want.as_bytes(), b"");
}

#[test]
fn du_one_file_system() {
    let d = Dir::new();
    d.write("t/f", "x");
    d.mkdir("t/mnt");
    let script = "mount -t tmpfs ibextest t/mnt || exit 9
echo y > t/mnt/g
$B/du -s --inodes t
$B/du -sx --inodes t
$B/du -x --inodes t";
    let Some(o) = in_namespace(&d, script) else {
        return;
    };
    if o.code == 9 {
        eprintln!("SKIPPED du -x: cannot mount tmpfs");
        return;
    }
    o.expect(0, b"4\tt\n2\tt\n2\tt\n", b"");
}
