//! cat, head, tail, wc.

use crate::harness::*;
use std::io::Read;
use std::process::{Child, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

fn lines(from: u32, to: u32) -> String {
    (from..=to).map(|i| format!("{i}\n")).collect()
}

// ---------------------------------------------------------------- cat

#[test]
fn cat_copies_files_and_stdin() {
    let d = Dir::new();
    d.write("a", "one\n");
    d.write("b", "two");
    d.run("cat", &["a", "b"]).ok("one\ntwo");
    d.run("cat", &[]).stdin("in\n").ok("in\n");
    d.run("cat", &["a", "-", "b"])
        .stdin("mid\n")
        .ok("one\nmid\ntwo");
    // A second `-` finds standard input at its end.
    d.run("cat", &["-", "a", "-"]).stdin("x\n").ok("x\none\n");
    d.run("cat", &["--", "a"]).ok("one\n");
    d.write("e", "");
    d.run("cat", &["e", "e"]).ok("");
    d.run("cat", &["-u", "a"]).ok("one\n");
}

#[test]
fn cat_binary_and_large_data_is_copied_exactly() {
    let d = Dir::new();
    let data: Vec<u8> = (0..3_000_000u32).map(|i| (i * 7 % 251) as u8).collect();
    d.write("big", &data);
    // To a pipe, to a regular file and from a pipe.
    let o = d.run("cat", &["big"]).go();
    assert_eq!(o.code, 0);
    assert!(o.stdout == data, "pipe copy differs");
    d.sh("$B/cat big big > out").ok("");
    let mut twice = data.clone();
    twice.extend_from_slice(&data);
    assert!(d.read("out") == twice, "file copy differs");
    let o = d.run("cat", &[]).stdin(&data).go();
    assert!(o.stdout == data && o.code == 0);
    // Appending to another file works with the kernel copy too.
    d.write("log", "head\n");
    d.write("small", "tail\n");
    d.sh("$B/cat small >> log").ok("");
    assert_eq!(d.read("log"), b"head\ntail\n");
}

#[test]
fn cat_missing_file_and_directory_continue() {
    let d = Dir::new();
    d.write("a", "A\n");
    d.mkdir("dir");
    d.run("cat", &["nope", "a", "dir", "a"]).go().expect(
        1,
        b"A\nA\n",
        b"cat: nope: No such file or directory\ncat: dir: Is a directory\n",
    );
    d.run("cat", &["-n", "dir", "a"])
        .go()
        .expect(1, b"     1\tA\n", b"cat: dir: Is a directory\n");
}

#[test]
fn cat_refuses_input_that_is_the_output() {
    let d = Dir::new();
    d.write("f", "data\n");
    d.sh("$B/cat f >> f")
        .fails(1, "cat: f: input file is output file\n");
    assert_eq!(d.read("f"), b"data\n");
    d.sh("$B/cat - < f >> f")
        .fails(1, "cat: -: input file is output file\n");
    d.sh("$B/cat -n f >> f")
        .fails(1, "cat: f: input file is output file\n");
    // Other files are still copied.
    d.write("g", "g\n");
    d.sh("$B/cat g f g >> f")
        .fails(1, "cat: f: input file is output file\n");
    assert_eq!(d.read("f"), b"data\ng\ng\n");
    // An empty input cannot loop: allowed, as GNU does.
    d.write("e", "");
    d.sh("$B/cat e >> e").ok("");
    // `> f` truncates first, so f is empty when read.
    d.sh("$B/cat f > f").ok("");
    assert_eq!(d.read("f"), b"");
}

#[test]
fn cat_number_lines() {
    let input = "a\n\nb\n";
    run("cat", &["-n"])
        .stdin(input)
        .ok("     1\ta\n     2\t\n     3\tb\n");
    run("cat", &["--number"]).stdin("x").ok("     1\tx");
    run("cat", &["-b"])
        .stdin(input)
        .ok("     1\ta\n\n     2\tb\n");
    run("cat", &["--number-nonblank"])
        .stdin(input)
        .ok("     1\ta\n\n     2\tb\n");
    // -b wins over -n whatever the order.
    run("cat", &["-bn"])
        .stdin(input)
        .ok("     1\ta\n\n     2\tb\n");
    run("cat", &["-nb"])
        .stdin(input)
        .ok("     1\ta\n\n     2\tb\n");
    run("cat", &["-n"]).stdin("").ok("");
    let many: String = (0..1_000_000).map(|_| "\n").collect();
    let o = run("cat", &["-n"]).stdin(&many).go();
    assert!(o.stdout.ends_with(b"999999\t\n1000000\t\n"));
}

#[test]
fn cat_numbering_continues_across_files() {
    let d = Dir::new();
    d.write("a", "a1\na2\n");
    d.write("p", "part");
    d.write("b", "b1\n");
    d.run("cat", &["-n", "a", "b"])
        .ok("     1\ta1\n     2\ta2\n     3\tb1\n");
    // A partial last line is continued by the next file, not renumbered.
    d.run("cat", &["-n", "p", "b", "p"])
        .ok("     1\tpartb1\n     2\tpart");
}

#[test]
fn cat_squeeze_blank() {
    run("cat", &["-s"]).stdin("a\n\n\n\nb\n\n").ok("a\n\nb\n\n");
    run("cat", &["--squeeze-blank"])
        .stdin("\n\n\na\n")
        .ok("\na\n");
    run("cat", &["-sn"])
        .stdin("a\n\n\nb")
        .ok("     1\ta\n     2\t\n     3\tb");
    run("cat", &["-sb"]).stdin("\n\n\nx\n").ok("\n     1\tx\n");
    // Squeezing carries across files.
    let d = Dir::new();
    d.write("h", "a\n\n\n");
    d.write("i", "\n\nb\n");
    d.run("cat", &["-s", "h", "i"]).ok("a\n\nb\n");
    d.run("cat", &["-n", "h", "i"])
        .ok("     1\ta\n     2\t\n     3\t\n     4\t\n     5\t\n     6\tb\n");
}

#[test]
fn cat_show_ends_tabs_and_nonprinting() {
    let input = b"a\tb\n\nc\x01\x7f\x80\xff\xa0 d\x89\x9b\n";
    run("cat", &["-E"])
        .stdin(&input[..])
        .ok(b"a\tb$\n$\nc\x01\x7f\x80\xff\xa0 d\x89\x9b$\n".as_slice());
    run("cat", &["-T"])
        .stdin(&input[..])
        .ok(b"a^Ib\n\nc\x01\x7f\x80\xff\xa0 d\x89\x9b\n".as_slice());
    run("cat", &["-v"])
        .stdin(&input[..])
        .ok("a\tb\n\nc^A^?M-^@M-^?M-  dM-^IM-^[\n");
    run("cat", &["-A"])
        .stdin(&input[..])
        .ok("a^Ib$\n$\nc^A^?M-^@M-^?M-  dM-^IM-^[$\n");
    run("cat", &["--show-all"])
        .stdin(&input[..])
        .ok("a^Ib$\n$\nc^A^?M-^@M-^?M-  dM-^IM-^[$\n");
    run("cat", &["-e"])
        .stdin(&input[..])
        .ok("a\tb$\n$\nc^A^?M-^@M-^?M-  dM-^IM-^[$\n");
    run("cat", &["-t"])
        .stdin(&input[..])
        .ok("a^Ib\n\nc^A^?M-^@M-^?M-  dM-^IM-^[\n");
    run("cat", &["--show-nonprinting", "--show-ends", "--show-tabs"])
        .stdin("\x00\x1f~\x7e\n")
        .ok("^@^_~~$\n");
    run("cat", &["-vn"])
        .stdin("\x1b[0m\n")
        .ok("     1\t^[[0m\n");
    // Every byte value.
    let all: Vec<u8> = (0..=255u8).collect();
    let o = run("cat", &["-v"]).stdin(&all).go();
    let s = String::from_utf8(o.stdout).unwrap();
    assert!(s.starts_with("^@^A^B^C^D^E^F^G^H\t\n^K^L^M^N"), "{s}");
    assert!(s.contains(" !\"#") && s.contains("}~^?M-^@M-^A"), "{s}");
    assert!(s.ends_with("M-}M-~M-^?"), "{s}");
}

#[test]
fn cat_show_ends_marks_carriage_return_before_newline() {
    run("cat", &["-E"]).stdin("a\r\nb\r").ok("a^M$\nb\r");
    run("cat", &["-E"]).stdin("a\rb\n").ok("a\rb$\n");
    run("cat", &["-A"]).stdin("a\r\nb\r").ok("a^M$\nb^M");
    // The \r and its newline in different files.
    let d = Dir::new();
    d.write("x", "a\r");
    d.write("y", "\n");
    d.run("cat", &["-E", "x", "y"]).ok("a^M$\n");
    // Split across reads of a pipe.
    d.sh("{ printf 'a\\r'; sleep 0.2; printf '\\nb\\n'; } | $B/cat -E")
        .ok("a^M$\nb$\n");
}

#[test]
fn cat_long_lines_and_no_trailing_newline() {
    let long = "x".repeat(1_000_000);
    let o = run("cat", &["-nE"]).stdin(&long).go();
    assert_eq!(o.code, 0);
    assert_eq!(o.stdout.len(), 7 + 1_000_000);
    assert!(o.stdout.starts_with(b"     1\txxx"));
    let o = run("cat", &["-A"]).stdin(format!("{long}\n{long}")).go();
    assert_eq!(o.stdout.len(), 2 * 1_000_000 + 2);
}

#[test]
fn cat_bad_option() {
    run("cat", &["-z"]).fails(
        1,
        "cat: invalid option -- 'z'\nUsage: cat [-nbvteAEsTu] [FILE]...\n",
    );
    run("cat", &["--nope"]).fails(
        1,
        "cat: unrecognized option '--nope'\nUsage: cat [-nbvteAEsTu] [FILE]...\n",
    );
    let o = run("cat", &["--help"]).go();
    assert_eq!(o.code, 0);
    assert!(o.out().starts_with("Usage: cat [-nbvteAEsTu] [FILE]...\n"));
}

// ---------------------------------------------------------------- head

const HEAD_USAGE: &str = "Usage: head [OPTIONS] [FILE]...\n";

#[test]
fn head_default_and_counts() {
    let d = Dir::new();
    d.write("f", lines(1, 20));
    d.run("head", &["f"]).ok(lines(1, 10));
    d.run("head", &["-n", "3", "f"]).ok(lines(1, 3));
    d.run("head", &["-n3", "f"]).ok(lines(1, 3));
    d.run("head", &["--lines=2", "f"]).ok(lines(1, 2));
    d.run("head", &["--lines", "2", "f"]).ok(lines(1, 2));
    d.run("head", &["-n", "+2", "f"]).ok(lines(1, 2));
    d.run("head", &["-n", " 2", "f"]).ok(lines(1, 2));
    d.run("head", &["-n", "0", "f"]).ok("");
    d.run("head", &["-n", "100", "f"]).ok(lines(1, 20));
    d.run("head", &["-c", "5", "f"]).ok("1\n2\n3");
    d.run("head", &["--bytes=5", "f"]).ok("1\n2\n3");
    d.run("head", &["-c", "0", "f"]).ok("");
    // The last option wins.
    d.run("head", &["-c", "1", "-n", "2", "f"]).ok("1\n2\n");
    d.run("head", &["-n", "1", "-c", "3", "f"]).ok("1\n2");
    d.run("head", &["-n", "2", "-"])
        .stdin("a\nb\nc\n")
        .ok("a\nb\n");
    d.run("head", &[]).stdin("").ok("");
    d.run("head", &["-n", "1"])
        .stdin("no newline")
        .ok("no newline");
}

#[test]
fn head_multiplier_suffixes() {
    let data: String = lines(1, 3000);
    run("head", &["-c", "1K"]).stdin(&data).ok(&data[..1024]);
    run("head", &["-c", "1kB"]).stdin(&data).ok(&data[..1000]);
    run("head", &["-c", "2b"]).stdin(&data).ok(&data[..1024]);
    run("head", &["-c", "1KiB"]).stdin(&data).ok(&data[..1024]);
    run("head", &["-n", "1k"]).stdin(&data).ok(lines(1, 1024));
    run("head", &["-n", "18446744073709551615"])
        .stdin("a\n")
        .ok("a\n");
}

#[test]
fn head_old_style_options() {
    let d = Dir::new();
    d.write("f", lines(1, 20));
    d.run("head", &["-3", "f"]).ok(lines(1, 3));
    d.run("head", &["-3c", "f"]).ok("1\n2");
    d.run("head", &["-3l", "f"]).ok(lines(1, 3));
    d.run("head", &["-1v", "f"]).ok("==> f <==\n1\n");
    d.run("head", &["-1q", "f", "f"]).ok("1\n1\n");
    d.run("head", &["-2kc", "f"]).ok(lines(1, 20));
    d.run("head", &["-q", "-2", "f"]).ok(lines(1, 2));
    d.run("head", &["-5x", "f"]).fails(
        1,
        format!("head: invalid trailing option -- x\n{HEAD_USAGE}"),
    );
}

#[test]
fn head_all_but_last() {
    let d = Dir::new();
    d.write("f", lines(1, 10));
    d.write("nt", "a\nb\nc");
    d.run("head", &["-n", "-3", "f"]).ok(lines(1, 7));
    d.run("head", &["-n", "-0", "f"]).ok(lines(1, 10));
    d.run("head", &["-n", "-10", "f"]).ok("");
    d.run("head", &["-n", "-11", "f"]).ok("");
    d.run("head", &["-c", "-4", "f"]).ok(lines(1, 8) + "9");
    d.run("head", &["-c", "-100", "f"]).ok("");
    d.run("head", &["-c", "-0", "f"]).ok(lines(1, 10));
    // A last line without newline counts as a line.
    d.run("head", &["-n", "-1", "nt"]).ok("a\nb\n");
    d.run("head", &["-n", "-2", "nt"]).ok("a\n");
    d.run("head", &["-n", "-1"]).stdin("").ok("");
    // Through a pipe, with more data than one read.
    let big = lines(1, 200_000);
    let o = run("head", &["-n", "-150000"]).stdin(&big).go();
    assert!(o.stdout == lines(1, 50_000).as_bytes() && o.code == 0);
    let o = run("head", &["-c", "-1000000"]).stdin(&big).go();
    assert!(o.stdout == big.as_bytes()[..big.len() - 1_000_000]);
    let o = run("head", &["-n", "-1"]).stdin(&big).go();
    assert!(o.stdout == lines(1, 199_999).as_bytes());
    // Slow writer: data arriving in small pieces.
    d.sh("for i in 1 2 3 4 5; do echo $i; sleep 0.05; done | $B/head -n -2")
        .ok("1\n2\n3\n");
    d.sh("for i in 1 2 3 4 5; do echo $i; sleep 0.05; done | $B/head -c -3")
        .ok("1\n2\n3\n4");
}

#[test]
fn head_headers_between_files() {
    let d = Dir::new();
    d.write("a", "a1\na2\n");
    d.write("b", "b1\n");
    d.run("head", &["-n", "1", "a", "b"])
        .ok("==> a <==\na1\n\n==> b <==\nb1\n");
    d.run("head", &["-q", "a", "b"]).ok("a1\na2\nb1\n");
    d.run("head", &["--quiet", "a", "b"]).ok("a1\na2\nb1\n");
    d.run("head", &["--silent", "a", "b"]).ok("a1\na2\nb1\n");
    d.run("head", &["-v", "a"]).ok("==> a <==\na1\na2\n");
    d.run("head", &["--verbose", "-"])
        .stdin("s\n")
        .ok("==> standard input <==\ns\n");
    d.run("head", &["-n1", "a", "-", "b"])
        .stdin("s\n")
        .ok("==> a <==\na1\n\n==> standard input <==\ns\n\n==> b <==\nb1\n");
    // A missing file gets no header; a directory does.
    d.mkdir("dir");
    d.run("head", &["-n1", "a", "nope", "dir", "b"])
        .go()
        .expect(
            1,
            b"==> a <==\na1\n\n==> dir <==\n\n==> b <==\nb1\n",
            b"head: cannot open 'nope' for reading: No such file or directory\n\
          head: error reading 'dir': Is a directory\n",
        );
}

#[test]
fn head_zero_terminated() {
    run("head", &["-z", "-n", "2"])
        .stdin("a\0b\nc\0d\0")
        .ok("a\0b\nc\0");
    run("head", &["--zero-terminated", "-n", "-1"])
        .stdin("a\0b\0c\0")
        .ok("a\0b\0");
    let d = Dir::new();
    d.write("f", "x\0");
    d.run("head", &["-zv", "f"]).ok("==> f <==\nx\0");
}

#[test]
fn head_bad_numbers_and_options() {
    run("head", &["-n", "x"]).fails(1, "head: invalid number of lines: 'x'\n");
    run("head", &["-n", "1x"]).fails(1, "head: invalid number of lines: '1x'\n");
    run("head", &["-n", ""]).fails(1, "head: invalid number of lines: ''\n");
    run("head", &["-n", "-x"]).fails(1, "head: invalid number of lines: 'x'\n");
    run("head", &["-n", "3.0"]).fails(1, "head: invalid number of lines: '3.0'\n");
    run("head", &["-c", "x"]).fails(1, "head: invalid number of bytes: 'x'\n");
    run("head", &["-c", "1Q"]).fails(1, "head: invalid number of bytes: '1Q'\n");
    run("head", &["-n", "99999999999999999999"]).fails(
        1,
        "head: invalid number of lines: '99999999999999999999': \
         Value too large for defined data type\n",
    );
    run("head", &["-c", "-99999999999999999999"]).fails(
        1,
        "head: invalid number of bytes: '99999999999999999999': \
         Value too large for defined data type\n",
    );
    run("head", &["-n"]).fails(
        1,
        format!("head: option requires an argument -- 'n'\n{HEAD_USAGE}"),
    );
    run("head", &["--lines"]).fails(
        1,
        format!("head: option '--lines' requires an argument\n{HEAD_USAGE}"),
    );
    run("head", &["-x"]).fails(1, format!("head: invalid option -- 'x'\n{HEAD_USAGE}"));
    run("head", &["nope"]).fails(
        1,
        "head: cannot open 'nope' for reading: No such file or directory\n",
    );
}

#[test]
fn head_leaves_offset_after_data_used() {
    let d = Dir::new();
    d.write("f", lines(1, 5));
    d.sh("{ $B/head -n1; $B/cat; } < f").ok(lines(1, 5));
    d.sh("{ $B/head -n2 >/dev/null; $B/cat; } < f")
        .ok(lines(3, 5));
    d.sh("{ $B/head -c3; echo; $B/head -n1; $B/cat; } < f")
        .ok("1\n2\n\n3\n4\n5\n");
    d.sh("{ $B/head -n 0; $B/cat; } < f").ok(lines(1, 5));
    // A file bigger than one read.
    let big = lines(1, 100_000);
    d.write("big", &big);
    let o = d.sh("{ $B/head -n 1 >/dev/null; $B/cat; } < big").go();
    assert!(o.stdout == big.as_bytes()[2..] && o.code == 0);
    let o = d
        .sh("{ $B/head -n 50000 >/dev/null; $B/wc -l; } < big")
        .go();
    o.expect(0, b"50000\n", b"");
}

#[test]
fn head_does_not_read_more_than_needed() {
    // An endless input: head must stop on its own.
    let d = Dir::new();
    d.sh("$B/yes | $B/head -n 2").ok("y\ny\n");
    d.sh("$B/head -c 4 /dev/zero | od -An -c")
        .ok("  \\0  \\0  \\0  \\0\n");
    // From a pipe that stays open, head ends once it has its lines.
    let mut r = d.run("head", &["-n", "1"]);
    r.cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = r.cmd.spawn().unwrap();
    let mut stdin = child.stdin.take().unwrap();
    std::io::Write::write_all(&mut stdin, b"a\nb\n").unwrap();
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "head kept reading"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    drop(stdin);
    let o = child.wait_with_output().unwrap();
    assert_eq!(
        (o.status.code(), o.stdout.as_slice()),
        (Some(0), b"a\n".as_slice())
    );
}

// ---------------------------------------------------------------- tail

const TAIL_USAGE: &str = "Usage: tail [OPTIONS] [FILE]...\n";

#[test]
fn tail_last_lines_and_bytes() {
    let d = Dir::new();
    d.write("f", lines(1, 20));
    d.run("tail", &["f"]).ok(lines(11, 20));
    d.run("tail", &["-n", "3", "f"]).ok(lines(18, 20));
    d.run("tail", &["-n", "-3", "f"]).ok(lines(18, 20));
    d.run("tail", &["--lines=2", "f"]).ok(lines(19, 20));
    d.run("tail", &["-n", "0", "f"]).ok("");
    d.run("tail", &["-n", "100", "f"]).ok(lines(1, 20));
    d.run("tail", &["-c", "6", "f"]).ok("19\n20\n");
    d.run("tail", &["--bytes=3", "f"]).ok("20\n");
    d.run("tail", &["-c", "0", "f"]).ok("");
    d.run("tail", &["-c", "1000", "f"]).ok(lines(1, 20));
    d.run("tail", &["-n", "1k", "f"]).ok(lines(1, 20));
    d.run("tail", &["-c", "1b", "f"]).ok(lines(1, 20));
    d.write("nt", "a\nb\nc");
    d.run("tail", &["-n", "1", "nt"]).ok("c");
    d.run("tail", &["-n", "2", "nt"]).ok("b\nc");
    d.write("e", "");
    d.run("tail", &["e"]).ok("");
    d.write("nl", "\n\n");
    d.run("tail", &["-n", "1", "nl"]).ok("\n");
    // The same through a pipe.
    d.run("tail", &["-n", "3"])
        .stdin(lines(1, 20))
        .ok(lines(18, 20));
    d.run("tail", &["-c", "6"])
        .stdin(lines(1, 20))
        .ok("19\n20\n");
    d.run("tail", &["-n", "2"]).stdin("a\nb\nc").ok("b\nc");
    d.run("tail", &["-n", "0"]).stdin("a\n").ok("");
    d.run("tail", &[]).stdin("").ok("");
}

#[test]
fn tail_from_start() {
    let d = Dir::new();
    d.write("f", lines(1, 20));
    d.run("tail", &["-n", "+18", "f"]).ok(lines(18, 20));
    d.run("tail", &["-n", "+0", "f"]).ok(lines(1, 20));
    d.run("tail", &["-n", "+1", "f"]).ok(lines(1, 20));
    d.run("tail", &["-n", "+21", "f"]).ok("");
    d.run("tail", &["-c", "+46", "f"]).ok("19\n20\n");
    d.run("tail", &["-c", "+1", "f"]).ok(lines(1, 20));
    d.run("tail", &["-c", "+1000", "f"]).ok("");
    d.run("tail", &["-n", "+18"])
        .stdin(lines(1, 20))
        .ok(lines(18, 20));
    d.run("tail", &["-c", "+46"])
        .stdin(lines(1, 20))
        .ok("19\n20\n");
}

#[test]
fn tail_old_style_options() {
    let d = Dir::new();
    d.write("f", lines(1, 20));
    d.run("tail", &["-3", "f"]).ok(lines(18, 20));
    d.run("tail", &["+18", "f"]).ok(lines(18, 20));
    d.run("tail", &["-6c", "f"]).ok("19\n20\n");
    d.run("tail", &["+46c", "f"]).ok("19\n20\n");
    d.run("tail", &["-2l", "f"]).ok(lines(19, 20));
    d.run("tail", &["-1b", "f"]).ok(lines(1, 20));
    d.run("tail", &["-3", "--", "f"]).ok(lines(18, 20));
    d.run("tail", &["-2"]).stdin("a\nb\nc\n").ok("b\nc\n");
    d.run("tail", &["+2"]).stdin("a\nb\nc\n").ok("b\nc\n");
    // -NUM also among other options.
    d.run("tail", &["-q", "-2", "f"]).ok(lines(19, 20));
    // With an option before it, +N is a file name, as in GNU tail.
    d.run("tail", &["-v", "+3"]).fails(
        1,
        "tail: cannot open '+3' for reading: No such file or directory\n",
    );
}

#[test]
fn tail_reads_a_big_file_from_the_end() {
    let d = Dir::new();
    let big = lines(1, 300_000);
    d.write("big", &big);
    d.run("tail", &["-n", "1", "big"]).ok("300000\n");
    d.run("tail", &["-n", "2", "big"]).ok("299999\n300000\n");
    let o = d.run("tail", &["-n", "250000", "big"]).go();
    assert!(o.stdout == lines(50_001, 300_000).as_bytes() && o.code == 0);
    let o = d.run("tail", &["-n", "250000"]).stdin(&big).go();
    assert!(o.stdout == lines(50_001, 300_000).as_bytes() && o.code == 0);
    let o = d.run("tail", &["-c", "1000000"]).stdin(&big).go();
    assert!(o.stdout == big.as_bytes()[big.len() - 1_000_000..]);
    let o = d.run("tail", &["-n", "+100000", "big"]).go();
    assert!(o.stdout == lines(100_000, 300_000).as_bytes());
    // A very long last line.
    let long = format!("a\n{}\n", "x".repeat(500_000));
    d.write("long", &long);
    d.run("tail", &["-n", "1", "long"]).ok(&long[2..]);
    d.run("tail", &["-n", "1"]).stdin(&long).ok(&long[2..]);
    // Redirected standard input starts at its current offset.
    d.write("f", lines(1, 5));
    d.sh("{ $B/head -n 3 >/dev/null; $B/tail -n 10; } < f")
        .ok(lines(4, 5));
    d.sh("$B/tail -n 2 < f").ok(lines(4, 5));
    d.sh("$B/tail -c 2 < f").ok("5\n");
}

#[test]
fn tail_headers_and_errors() {
    let d = Dir::new();
    d.write("a", "a1\na2\n");
    d.write("b", "b1\n");
    d.run("tail", &["-n", "1", "a", "b"])
        .ok("==> a <==\na2\n\n==> b <==\nb1\n");
    d.run("tail", &["-q", "-n1", "a", "b"]).ok("a2\nb1\n");
    d.run("tail", &["--silent", "-n1", "a", "b"]).ok("a2\nb1\n");
    d.run("tail", &["-v", "-n1", "a"]).ok("==> a <==\na2\n");
    d.run("tail", &["-n1", "a", "-"])
        .stdin("s\n")
        .ok("==> a <==\na2\n\n==> standard input <==\ns\n");
    d.mkdir("dir");
    d.run("tail", &["-n1", "nope", "dir", "b"]).go().expect(
        1,
        b"==> dir <==\n\n==> b <==\nb1\n",
        b"tail: cannot open 'nope' for reading: No such file or directory\n\
          tail: error reading 'dir': Is a directory\n",
    );
}

#[test]
fn tail_zero_terminated() {
    run("tail", &["-z", "-n", "2"])
        .stdin("a\0b\nc\0d\0")
        .ok("b\nc\0d\0");
    let d = Dir::new();
    d.write("f", "a\0b\0c");
    d.run("tail", &["--zero-terminated", "-n", "1", "f"])
        .ok("c");
    d.run("tail", &["-z", "-n", "+2", "f"]).ok("b\0c");
}

#[test]
fn tail_bad_numbers_and_options() {
    run("tail", &["-n", "x"]).fails(1, "tail: invalid number of lines: 'x'\n");
    run("tail", &["-n", "-x"]).fails(1, "tail: invalid number of lines: 'x'\n");
    run("tail", &["-n", "+x"]).fails(1, "tail: invalid number of lines: '+x'\n");
    run("tail", &["-c", "1y"]).fails(1, "tail: invalid number of bytes: '1y'\n");
    run("tail", &["-n", "99999999999999999999"]).fails(
        1,
        "tail: invalid number of lines: '99999999999999999999': \
         Value too large for defined data type\n",
    );
    run("tail", &["-s", "x", "-f"]).fails(1, "tail: invalid number of seconds: 'x'\n");
    run("tail", &["-s", "-1", "-f"]).fails(1, "tail: invalid number of seconds: '-1'\n");
    run("tail", &["--pid=x", "-f"]).fails(1, "tail: invalid PID: 'x'\n");
    run("tail", &["--follow=x"]).fails(
        1,
        format!(
            "tail: invalid argument 'x' for '--follow'\nValid arguments are:\n  \
             - 'descriptor'\n  - 'name'\n{TAIL_USAGE}"
        ),
    );
    run("tail", &["-x"]).fails(1, format!("tail: invalid option -- 'x'\n{TAIL_USAGE}"));
    run("tail", &["-n"]).fails(
        1,
        format!("tail: option requires an argument -- 'n'\n{TAIL_USAGE}"),
    );
    // Options that only matter when following.
    run("tail", &["--pid=1", "-n1"])
        .stdin("a\nb\n")
        .go()
        .expect(
            0,
            b"b\n",
            b"tail: warning: PID ignored; --pid=PID is useful only when following\n",
        );
    run("tail", &["--retry", "-n1"])
        .stdin("a\nb\n")
        .go()
        .expect(
            0,
            b"b\n",
            b"tail: warning: --retry ignored; --retry is useful only when following\n",
        );
}

/// A process whose output is collected in the background.
struct Bg {
    child: Child,
    out: Arc<Mutex<Vec<u8>>>,
    err: Arc<Mutex<Vec<u8>>>,
}

impl Bg {
    fn start(d: &Dir, applet: &str, args: &[&str]) -> Bg {
        let mut r = d.run(applet, args);
        r.cmd
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = r.cmd.spawn().unwrap();
        let collect = |mut s: Box<dyn Read + Send>| {
            let buf = Arc::new(Mutex::new(Vec::new()));
            let b2 = buf.clone();
            std::thread::spawn(move || {
                let mut chunk = [0u8; 4096];
                while let Ok(n) = s.read(&mut chunk) {
                    if n == 0 {
                        break;
                    }
                    b2.lock().unwrap().extend_from_slice(&chunk[..n]);
                }
            });
            buf
        };
        let out = collect(Box::new(child.stdout.take().unwrap()));
        let err = collect(Box::new(child.stderr.take().unwrap()));
        Bg { child, out, err }
    }

    /// Wait (at most 10 s) until stdout and stderr are exactly these.
    fn wait_for(&self, out: &str, err: &str) {
        let start = Instant::now();
        loop {
            let o = String::from_utf8_lossy(&self.out.lock().unwrap()).into_owned();
            let e = String::from_utf8_lossy(&self.err.lock().unwrap()).into_owned();
            if o == out && e == err {
                return;
            }
            if start.elapsed() > Duration::from_secs(10) {
                panic!("timed out: stdout {o:?} (want {out:?}), stderr {e:?} (want {err:?})");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Wait (at most 10 s) for the process to end by itself.
    fn wait_exit(&mut self) -> i32 {
        let start = Instant::now();
        loop {
            if let Some(st) = self.child.try_wait().unwrap() {
                return st.code().unwrap_or(-1);
            }
            if start.elapsed() > Duration::from_secs(10) {
                panic!("process did not end");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Bg {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn append(d: &Dir, name: &str, data: &str) {
    use std::io::Write;
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .open(d.p(name))
        .unwrap();
    f.write_all(data.as_bytes()).unwrap();
}

#[test]
fn tail_follow_sees_appends_and_truncation() {
    let d = Dir::new();
    d.write("log", "1\n2\n3\n");
    let bg = Bg::start(&d, "tail", &["-f", "-s", "0.05", "-n", "2", "log"]);
    bg.wait_for("2\n3\n", "");
    append(&d, "log", "4\n");
    bg.wait_for("2\n3\n4\n", "");
    append(&d, "log", "partial");
    bg.wait_for("2\n3\n4\npartial", "");
    append(&d, "log", " line\n");
    bg.wait_for("2\n3\n4\npartial line\n", "");
    // Truncated: report it and go on from the start.
    d.write("log", "new\n");
    bg.wait_for(
        "2\n3\n4\npartial line\nnew\n",
        "tail: log: file truncated\n",
    );
    // Descriptor mode keeps following the file after a rename.
    std::fs::rename(d.p("log"), d.p("log.1")).unwrap();
    append(&d, "log.1", "moved\n");
    bg.wait_for(
        "2\n3\n4\npartial line\nnew\nmoved\n",
        "tail: log: file truncated\n",
    );
}

#[test]
fn tail_follow_default_interval_is_prompt() {
    // Without -s, appends show up well within a second.
    let d = Dir::new();
    d.write("log", "one\n");
    d.sh("$B/tail -f log & sleep 0.5; echo two >> log; sleep 0.5; kill $!")
        .ok("one\ntwo\n");
    // Changes are printed in the order they happened (inotify), not in
    // the order of the operands.
    d.write("a", "a1\n");
    d.write("b", "b1\n");
    d.sh("$B/tail -f a b & sleep 0.5; echo b2 >> b; echo a2 >> a; sleep 0.5; kill $!")
        .ok("==> a <==\na1\n\n==> b <==\nb1\nb2\n\n==> a <==\na2\n");
}

#[test]
fn tail_follow_several_files_with_headers() {
    let d = Dir::new();
    d.write("a", "a1\n");
    d.write("b", "b1\n");
    let bg = Bg::start(&d, "tail", &["--follow", "-s", "0.05", "a", "b"]);
    bg.wait_for("==> a <==\na1\n\n==> b <==\nb1\n", "");
    append(&d, "b", "b2\n");
    bg.wait_for("==> a <==\na1\n\n==> b <==\nb1\nb2\n", "");
    append(&d, "a", "a2\n");
    bg.wait_for("==> a <==\na1\n\n==> b <==\nb1\nb2\n\n==> a <==\na2\n", "");
}

#[test]
fn tail_follow_name_handles_rotation_and_missing_files() {
    let d = Dir::new();
    d.write("log", "1\n");
    let bg = Bg::start(&d, "tail", &["-F", "-s", "0.05", "log"]);
    bg.wait_for("1\n", "");
    // Replaced by a rename over it.
    d.write("log.new", "2\n");
    std::fs::rename(d.p("log.new"), d.p("log")).unwrap();
    bg.wait_for(
        "1\n2\n",
        "tail: 'log' has been replaced;  following new file\n",
    );
    // Removed, then created again.
    std::fs::remove_file(d.p("log")).unwrap();
    let e1 = "tail: 'log' has been replaced;  following new file\n\
              tail: 'log' has become inaccessible: No such file or directory\n";
    bg.wait_for("1\n2\n", e1);
    d.write("log", "3\n");
    let e2 = format!("{e1}tail: 'log' has appeared;  following new file\n");
    bg.wait_for("1\n2\n3\n", &e2);
    append(&d, "log", "4\n");
    bg.wait_for("1\n2\n3\n4\n", &e2);

    // A file missing at the start is waited for.
    let bg = Bg::start(&d, "tail", &["-F", "-s", "0.05", "later"]);
    let e = "tail: cannot open 'later' for reading: No such file or directory\n";
    bg.wait_for("", e);
    d.write("later", "here\n");
    bg.wait_for(
        "here\n",
        &format!("{e}tail: 'later' has appeared;  following new file\n"),
    );
    // --follow=name --retry is the same as -F.
    let bg = Bg::start(
        &d,
        "tail",
        &["--follow=name", "--retry", "-s", "0.05", "later"],
    );
    bg.wait_for("here\n", "");
}

#[test]
fn tail_follow_ends_when_pid_dies() {
    let d = Dir::new();
    d.write("f", "x\n");
    let mut sleeper = std::process::Command::new("sleep")
        .arg("0.5")
        .spawn()
        .unwrap();
    let pid = sleeper.id().to_string();
    let mut bg = Bg::start(
        &d,
        "tail",
        &["-f", "-s", "0.05", &format!("--pid={pid}"), "f"],
    );
    bg.wait_for("x\n", "");
    sleeper.wait().unwrap();
    assert_eq!(bg.wait_exit(), 0);
    bg.wait_for("x\n", "");
    // Already dead: one look at the files, then the end.
    d.sh("$B/tail -f --pid=999999999 f").ok("x\n");
}

#[test]
fn tail_follow_gives_up_on_what_cannot_be_followed() {
    let d = Dir::new();
    // A pipe is not followed: tail ends at its end.
    d.sh("echo x | $B/tail -f").ok("x\n");
    d.run("tail", &["-f", "nope"]).fails(
        1,
        "tail: cannot open 'nope' for reading: No such file or directory\n\
         tail: no files remaining\n",
    );
    let mut bg = Bg::start(&d, "tail", &["--follow=name", "-s", "0.05", "nope"]);
    assert_eq!(bg.wait_exit(), 1);
    bg.wait_for(
        "",
        "tail: cannot open 'nope' for reading: No such file or directory\n\
         tail: no files remaining\n",
    );
}

// ---------------------------------------------------------------- wc

const WC_USAGE: &str = "Usage: wc [-cmlwL] [FILE]...\n";

#[test]
fn wc_counts_and_widths() {
    let d = Dir::new();
    d.write("s", lines(1, 5));
    d.write("t", lines(1, 10));
    d.run("wc", &["s"]).ok(" 5  5 10 s\n");
    d.run("wc", &["s", "t"])
        .ok(" 5  5 10 s\n10 10 21 t\n15 15 31 total\n");
    // One column of one file: no padding.
    d.run("wc", &["-l", "s"]).ok("5 s\n");
    d.run("wc", &["-l", "s", "t"]).ok(" 5 s\n10 t\n15 total\n");
    d.run("wc", &["-lc", "s"]).ok(" 5 10 s\n");
    d.run("wc", &["--lines", "--bytes", "--words", "s"])
        .ok(" 5  5 10 s\n");
    // Standard input: a pipe is at least 7 wide, a file its size's digits.
    d.run("wc", &[])
        .stdin("x\n")
        .ok("      1       1       2\n");
    d.run("wc", &["-l"]).stdin("x\n").ok("1\n");
    d.run("wc", &["-lw"]).stdin("x\n").ok("      1       1\n");
    d.run("wc", &["-", "s"]).stdin("x\n").ok(
        "      1       1       2 -\n      5       5      10 s\n      6       6      12 total\n",
    );
    d.sh("$B/wc < s").ok(" 5  5 10\n");
    d.sh("$B/wc -l < s").ok("5\n");
    d.sh("$B/wc -l - < s").ok("5 -\n");
    d.sh("$B/wc - t < s")
        .ok(" 5  5 10 -\n10 10 21 t\n15 15 31 total\n");
    // Empty input.
    d.write("e", "");
    d.run("wc", &["e"]).ok("0 0 0 e\n");
    d.run("wc", &[]).stdin("").ok("      0       0       0\n");
    // No trailing newline.
    d.run("wc", &[])
        .stdin("a b")
        .ok("      0       2       3\n");
}

#[test]
fn wc_errors_continue_with_other_files() {
    let d = Dir::new();
    d.write("s", lines(1, 5));
    d.mkdir("dir");
    d.run("wc", &["nope", "s"]).go().expect(
        1,
        b" 5  5 10 s\n 5  5 10 total\n",
        b"wc: nope: No such file or directory\n",
    );
    d.run("wc", &["-l", "nope"])
        .fails(1, "wc: nope: No such file or directory\n");
    d.run("wc", &["dir"]).go().expect(
        1,
        b"      0       0       0 dir\n",
        b"wc: dir: Is a directory\n",
    );
    d.run("wc", &["-z"])
        .fails(1, format!("wc: invalid option -- 'z'\n{WC_USAGE}"));
}

#[test]
fn wc_words_and_longest_line() {
    run("wc", &["-w"])
        .stdin("  a  b\tc\nd\x0be\x0cf\rg  ")
        .ok("7\n");
    // Bytes that are not printable neither start nor end a word (C locale).
    run("wc", &["-w"]).stdin("\x01 \x01").ok("0\n");
    run("wc", &["-w"]).stdin("a\x01b \x00c").ok("2\n");
    run("wc", &["-w"]).stdin(b"\xff \xa0".as_slice()).ok("0\n");
    run("wc", &["-L"]).stdin("ab\nabcd\nabc").ok("4\n");
    run("wc", &["-L"]).stdin("a\tb\n").ok("9\n");
    run("wc", &["-L"]).stdin("abc\rd\n").ok("3\n");
    run("wc", &["-L"])
        .stdin(b"\x01\x02\xff\n".as_slice())
        .ok("0\n");
    run("wc", &["--max-line-length"]).stdin("").ok("0\n");
    let long = "y".repeat(300_000);
    run("wc", &["-L"])
        .stdin(format!("{long}\nx\n"))
        .ok("300000\n");
    run("wc", &["-Lw"])
        .stdin(format!("{long} {long}"))
        .ok("      2  600001\n");
}

#[test]
fn wc_chars_are_utf8_words_follow_the_locale() {
    let text = "h\u{e9}llo w\u{f6}rld\n\u{4f60}\u{597d}\u{3000}x\n";
    // Characters are UTF-8 even in the C locale (as BusyBox and toybox).
    run("wc", &["-mc"]).stdin(text).ok("     17      25\n");
    run("wc", &["-mlw"])
        .stdin("hello, \u{4e16}\u{754c}!\n")
        .ok("      1       2      11\n");
    run("wc", &["-m"])
        .env("LC_ALL", "C.UTF-8")
        .stdin(text)
        .ok("17\n");
    run("wc", &["-m"])
        .env("LC_ALL", "")
        .env("LANG", "en_US.utf8")
        .stdin(text)
        .ok("17\n");
    // Words split at Unicode spaces; width counts double-width characters.
    run("wc", &["-wL"])
        .env("LC_ALL", "C.UTF-8")
        .stdin(text)
        .ok("      4      11\n");
    run("wc", &["-wL"]).stdin(text).ok("      3       9\n");
    // Invalid bytes are not characters.
    run("wc", &["-mc"])
        .env("LC_ALL", "C.UTF-8")
        .stdin(b"a\xffb\xc3".as_slice())
        .ok("      2       4\n");
    run("wc", &["-m"]).stdin(b"a\xffb\xc3".as_slice()).ok("2\n");
    // A character split between two reads of a pipe is still one.
    let d = Dir::new();
    d.sh("{ printf 'a\\303'; sleep 0.2; printf '\\251b'; } | LC_ALL=C.UTF-8 $B/wc -m")
        .ok("3\n");
}

#[test]
fn wc_large_input() {
    let d = Dir::new();
    let big = lines(1, 200_000);
    d.write("big", &big);
    d.run("wc", &["-l", "big"]).ok("200000 big\n");
    d.run("wc", &["big"]).ok(" 200000  200000 1288895 big\n");
    d.run("wc", &["-c", "big"]).ok("1288895 big\n");
    d.run("wc", &["-c"]).stdin(&big).ok("1288895\n");
    d.run("wc", &["-lwc"])
        .stdin(&big)
        .ok(" 200000  200000 1288895\n");
    // -c of a redirected file counts from the current offset.
    d.sh("{ $B/head -c 95 >/dev/null; $B/wc -c; } < big")
        .ok("1288800\n");
}

#[test]
fn wc_files0_from() {
    let d = Dir::new();
    d.write("s", lines(1, 5));
    d.write("t", lines(1, 10));
    d.write("list", "s\0t\0");
    d.run("wc", &["--files0-from=list"])
        .ok(" 5  5 10 s\n10 10 21 t\n15 15 31 total\n");
    // From a pipe the names cannot be stat'ed up front: no alignment.
    d.run("wc", &["--files0-from=-"])
        .stdin("s\0t")
        .ok("5 5 10 s\n10 10 21 t\n15 15 31 total\n");
    d.run("wc", &["--files0-from", "-", "-l"])
        .stdin("s\0")
        .ok("5 s\n");
    d.run("wc", &["--files0-from=-"]).stdin("").ok("");
    d.run("wc", &["--files0-from=-"])
        .stdin("s\0\0t\0")
        .go()
        .expect(
            1,
            b"5 5 10 s\n10 10 21 t\n15 15 31 total\n",
            b"wc: -:2: invalid zero-length file name\n",
        );
    d.run("wc", &["--files0-from=-"]).stdin("-\0").fails(
        1,
        "wc: when reading file names from stdin, no file name of '-' allowed\n",
    );
    d.run("wc", &["--files0-from=nope"]).fails(
        1,
        "wc: cannot open 'nope' for reading: No such file or directory\n",
    );
    d.run("wc", &["--files0-from=list", "s"]).fails(
        1,
        format!(
            "wc: extra operand 's'\nfile operands cannot be combined with --files0-from\n{WC_USAGE}"
        ),
    );
}

#[test]
fn wc_total_modes() {
    let d = Dir::new();
    d.write("s", lines(1, 5));
    d.write("t", lines(1, 10));
    d.run("wc", &["--total=always", "s"])
        .ok(" 5  5 10 s\n 5  5 10 total\n");
    d.run("wc", &["--total=never", "s", "t"])
        .ok(" 5  5 10 s\n10 10 21 t\n");
    d.run("wc", &["--total=auto", "s"]).ok(" 5  5 10 s\n");
    d.run("wc", &["--total=only", "s", "t"]).ok("15 15 31\n");
    d.run("wc", &["--total=only", "-l", "s", "t"]).ok("15\n");
    d.run("wc", &["--total=on", "-l", "s"]).ok("5\n");
    d.run("wc", &["--total=x"]).fails(
        1,
        format!(
            "wc: invalid argument 'x' for '--total'\nValid arguments are:\n  - 'auto'\n  \
             - 'always'\n  - 'only'\n  - 'never'\n{WC_USAGE}"
        ),
    );
    d.run("wc", &["--total=a"]).fails(
        1,
        format!(
            "wc: ambiguous argument 'a' for '--total'\nValid arguments are:\n  - 'auto'\n  \
             - 'always'\n  - 'only'\n  - 'never'\n{WC_USAGE}"
        ),
    );
}

#[test]
fn wc_lines_of_a_big_file_in_parts() {
    // Over 32 MB, a regular file's lines are counted by several threads
    // reading parts of it; the sum and the file offset left behind must be
    // what one reader gives, from wherever the offset started.
    let d = Dir::new();
    let mut data = Vec::with_capacity(40 << 20);
    let mut i = 0u64;
    while data.len() < 40 << 20 {
        data.extend(std::iter::repeat_n(b'x', (i * 7919 % 200) as usize));
        data.push(b'\n');
        i += 1;
    }
    data.extend_from_slice(b"no newline at the end");
    let lines = i;
    let p = d.write("big", &data);
    let name = p.display().to_string();
    d.run("wc", &["-l", &name]).ok(format!("{lines} {name}\n"));
    let size = data.len();
    d.run("wc", &["-lc", "big"])
        .ok(format!("{lines:>8} {size} big\n"));
    d.run("wc", &["-l"]).stdin(&data).ok(format!("{lines}\n"));
    // The offset ends at the end of the file, and counting starts at it.
    let skipped = data[..100_000].iter().filter(|&&b| b == b'\n').count() as u64;
    d.sh("(wc -l; wc -c) < big; (dd bs=100000 count=1 of=/dev/null 2>/dev/null; wc -lc) < big")
        .ok(format!(
            "{lines}\n0\n{:>8} {}\n",
            lines - skipped,
            size - 100_000
        ));
}
