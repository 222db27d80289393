//! join, comm, shuf, truncate, factor, nproc, expr.

use crate::harness::*;

// ---------- join ----------

#[test]
fn join_basic_and_unpaired() {
    let d = Dir::new();
    d.write("f1", "a 1 2\nb\nd 4\n");
    d.write("f2", "a p\nb q r\nc s\n");
    d.run("join", &["f1", "f2"]).ok("a 1 2 p\nb q r\n");
    d.run("join", &["-a1", "f1", "f2"])
        .ok("a 1 2 p\nb q r\nd 4\n");
    d.run("join", &["-a", "2", "f1", "f2"])
        .ok("a 1 2 p\nb q r\nc s\n");
    d.run("join", &["-v2", "f1", "f2"]).ok("c s\n");
    d.run("join", &["-v1", "-v2", "f1", "f2"]).ok("c s\nd 4\n");
}

#[test]
fn join_output_formats_and_empty() {
    let d = Dir::new();
    d.write("f1", "a 1 2\nb\nd 4\n");
    d.write("f2", "a p\nb q r\nc s\n");
    d.run("join", &["-a1", "-a2", "-e", "X", "-o", "auto", "f1", "f2"])
        .ok("a 1 2 p\nb X X q\nc X X s\nd 4 X X\n");
    d.run(
        "join",
        &["-a1", "-a2", "-e", "X", "-o", "0,1.2,2.2,2.3", "f1", "f2"],
    )
    .ok("a 1 p X\nb X q r\nc X s X\nd 4 X X\n");
    d.run("join", &["-o", "1.1 2.2", "-o", "1.2", "f1", "f2"])
        .ok("a p 1\nb q \n");
    // -e without -o only fills empty or missing join fields.
    d.run("join", &["-e", "X", "f1", "f2"])
        .ok("a 1 2 p\nb q r\n");
}

#[test]
fn join_fields_and_separators() {
    let d = Dir::new();
    d.write("s1", "a 1\nb 2\nc 3\n");
    d.write("s", "a x\nb y\nc z\n");
    d.run("join", &["-1", "2", "-2", "1", "s1", "s"]).ok("");
    d.run("join", &["-j", "1", "s1", "s"])
        .ok("a 1 x\nb 2 y\nc 3 z\n");
    d.run("join", &["-j", "2", "s1", "s1"])
        .ok("1 a a\n2 b b\n3 c c\n");
    d.write("t1", "a:1:\n:b:2\n");
    d.write("t2", "a:x\n:y\n");
    d.run("join", &["-t:", "t1", "t2"]).ok("a:1::x\n:b:2:y\n");
    d.run(
        "join",
        &["-t:", "-e", "E", "-o", "1.1,1.2,1.3,2.2", "t1", "t2"],
    )
    .ok("a:1:E:x\nE:b:2:y\n");
    // Blank runs separate; trailing blanks leave an empty last field.
    d.write("b1", "  a   1  \n");
    d.write("b2", "a\t x\n");
    d.run("join", &["b1", "b2"]).ok("a 1  x\n");
    d.write("z1", "a 1\0b 2\0");
    d.write("z2", "a x\0b y\0");
    d.run("join", &["-z", "z1", "z2"]).ok("a 1 x\0b 2 y\0");
    d.write("e", "a b\nc d\n");
    d.run("join", &["-t", "", "e", "e"]).ok("a b\nc d\n");
}

#[test]
fn join_groups_case_and_header() {
    let d = Dir::new();
    d.write("g1", "x 1\nx 2\ny 3\n");
    d.write("g2", "x a\nx b\nz c\n");
    d.run("join", &["g1", "g2"])
        .ok("x 1 a\nx 1 b\nx 2 a\nx 2 b\n");
    d.write("i1", "A 1\nb 2\n");
    d.write("i2", "a x\nB y\n");
    d.run("join", &["-i", "i1", "i2"]).ok("A 1 x\nb 2 y\n");
    d.write("h1", "K V\na 1\nb 2\n");
    d.write("h2", "K W\na x\nc z\n");
    d.run("join", &["--header", "h1", "h2"])
        .ok("K V W\na 1 x\n");
    d.run("join", &["--header", "-a2", "-o", "auto", "h1", "h2"])
        .ok("K V W\na 1 x\nc  z\n");
    d.write("empty", "");
    d.run("join", &["-a2", "empty", "h1"]).ok("K V\na 1\nb 2\n");
    d.run("join", &["-", "h1"]).stdin("a Q\n").ok("a Q 1\n");
}

#[test]
fn join_order_checks() {
    let d = Dir::new();
    d.write("u", "a 1\nc 3\nb 2\n");
    d.write("s", "a x\nb y\nc z\n");
    d.run("join", &["u", "s"]).go().expect(
        1,
        b"a 1 x\nc 3 z\n",
        b"join: u:3: is not sorted: b 2\njoin: input is not in sorted order\n",
    );
    d.run("join", &["--check-order", "u", "s"]).go().expect(
        1,
        b"a 1 x\n",
        b"join: u:3: is not sorted: b 2\n",
    );
    d.run("join", &["--nocheck-order", "u", "s"])
        .ok("a 1 x\nc 3 z\n");
    // The line read right after the first unpairable one is not checked.
    d.write("h", "a 1\nd 4\n");
    d.write("c", "a x\nc y\nb z\n");
    d.run("join", &["h", "c"]).ok("a 1 x\n");
    // Unsorted but all pairable: only --check-order notices.
    d.write("u2", "b 1\na 2\n");
    d.run("join", &["u2", "u2"]).ok("b 1 1\na 2 2\n");
    d.run("join", &["--check-order", "u2", "u2"])
        .fails(1, "join: u2:2: is not sorted: a 2\n");
}

#[test]
fn join_errors() {
    let d = Dir::new();
    d.write("f", "a\n");
    d.run("join", &["-a", "3", "f", "f"])
        .fails(1, "join: invalid field number: '3'\n");
    d.run("join", &["-o", "3.1", "f", "f"])
        .fails(1, "join: invalid file number in field spec: '3.1'\n");
    d.run("join", &["-o", "1.0", "f", "f"])
        .fails(1, "join: invalid field number: '0'\n");
    d.run("join", &["-o", "0.1", "f", "f"])
        .fails(1, "join: invalid field specifier: '0.1'\n");
    d.run("join", &["-j", "x", "f", "f"])
        .fails(1, "join: invalid field number: 'x'\n");
    d.run("join", &["-t", "ab", "f", "f"])
        .fails(1, "join: multi-character tab 'ab'\n");
    d.run("join", &["f"]).fails(
        1,
        "join: missing operand after 'f'\nUsage: join [OPTIONS] FILE1 FILE2\n",
    );
    d.run("join", &["f", "f", "g"]).fails(
        1,
        "join: extra operand 'g'\nUsage: join [OPTIONS] FILE1 FILE2\n",
    );
    d.run("join", &["nope", "f"])
        .fails(1, "join: nope: No such file or directory\n");
    d.run("join", &["-", "-"])
        .fails(1, "join: both files cannot be standard input\n");
}

// ---------- comm ----------

#[test]
fn comm_columns() {
    let d = Dir::new();
    d.write("c1", "a\nb\nd\n");
    d.write("c2", "b\nc\nd\ne\n");
    d.run("comm", &["c1", "c2"])
        .ok("a\n\t\tb\n\tc\n\t\td\n\te\n");
    d.run("comm", &["-12", "c1", "c2"]).ok("b\nd\n");
    d.run("comm", &["-3", "c1", "c2"]).ok("a\n\tc\n\te\n");
    d.run("comm", &["-13", "c1", "c2"]).ok("c\ne\n");
    d.run("comm", &["-123", "c1", "c2"]).ok("");
    d.run("comm", &["--output-delimiter=XY", "c1", "c2"])
        .ok("a\nXYXYb\nXYc\nXYXYd\nXYe\n");
    d.run("comm", &["--output-delimiter=", "c1", "c2"])
        .ok("a\n\0\0b\n\0c\n\0\0d\n\0e\n");
    d.run("comm", &["--total", "-12", "c1", "c2"])
        .ok("b\nd\n1\t2\t2\ttotal\n");
    d.run(
        "comm",
        &["--total", "--output-delimiter=:", "-123", "c1", "c2"],
    )
    .ok("1:2:2:total\n");
    d.run("comm", &["-z", "c1", "c2"])
        .ok("a\nb\nd\n\0\tb\nc\nd\ne\n\0");
    d.write("nn", "a\nb");
    d.run("comm", &["nn", "c2"]).ok("a\n\t\tb\n\tc\n\td\n\te\n");
    d.write("empty", "");
    d.run("comm", &["empty", "c1"]).ok("\ta\n\tb\n\td\n");
    d.run("comm", &["-", "c1"])
        .stdin("b\n")
        .ok("\ta\n\t\tb\n\td\n");
    d.write("i1", "A\nb\nC\n");
    d.write("i2", "a\nB\nc\n");
    d.run("comm", &["-i", "i1", "i2"])
        .ok("\t\tA\n\t\tb\n\t\tC\n");
}

#[test]
fn comm_order_and_errors() {
    let d = Dir::new();
    d.write("d1", "a\nc\nb\n");
    d.write("d2", "b\nc\n");
    d.run("comm", &["d1", "d2"]).go().expect(
        1,
        b"a\n\tb\n\t\tc\nb\n",
        b"comm: file 1 is not in sorted order\ncomm: input is not in sorted order\n",
    );
    d.run("comm", &["--check-order", "d1", "d2"]).go().expect(
        1,
        b"a\n\tb\n\t\tc\n",
        b"comm: file 1 is not in sorted order\n",
    );
    d.run("comm", &["--nocheck-order", "d1", "d2"])
        .ok("a\n\tb\n\t\tc\nb\n");
    d.write("u", "b\na\n");
    d.run("comm", &["u", "u"]).ok("\t\tb\n\t\ta\n");
    d.run("comm", &["--check-order", "u", "u"]).go().expect(
        1,
        b"\t\tb\n",
        b"comm: file 1 is not in sorted order\n",
    );
    // At the end of a file, its last two lines are checked again.
    d.write("ba", "b\na\n");
    d.write("b", "b\n");
    d.run("comm", &["ba", "b"]).go().expect(
        1,
        b"\t\tb\na\n",
        b"comm: file 1 is not in sorted order\ncomm: input is not in sorted order\n",
    );
    d.run("comm", &["d1"]).fails(
        1,
        "comm: missing operand after 'd1'\nUsage: comm [-123iz] FILE1 FILE2\n",
    );
    d.run("comm", &["-x", "d1", "d2"]).fails(
        1,
        "comm: invalid option -- 'x'\nUsage: comm [-123iz] FILE1 FILE2\n",
    );
    d.run("comm", &["nope", "d1"])
        .fails(1, "comm: nope: No such file or directory\n");
}

// ---------- shuf ----------

fn sorted_lines(b: &[u8]) -> Vec<String> {
    let mut v: Vec<String> = String::from_utf8_lossy(b)
        .lines()
        .map(String::from)
        .collect();
    v.sort();
    v
}

#[test]
fn shuf_permutes() {
    let d = Dir::new();
    let input: String = (1..=50).map(|i| format!("{i}\n")).collect();
    d.write("in", &input);
    let o = d.run("shuf", &["in"]).go().code(0);
    assert_eq!(sorted_lines(&o.stdout), sorted_lines(input.as_bytes()));
    let o = d.run("shuf", &[]).stdin("x\ny").go().code(0);
    assert_eq!(sorted_lines(&o.stdout), ["x", "y"]);
    assert!(o.stdout.ends_with(b"\n"));
    let o = run("shuf", &["-e", "a", "b", "c"]).go().code(0);
    assert_eq!(sorted_lines(&o.stdout), ["a", "b", "c"]);
    let o = run("shuf", &["-i", "1-10"]).go().code(0);
    let mut v: Vec<u32> = o.out().lines().map(|l| l.parse().unwrap()).collect();
    v.sort();
    assert_eq!(v, (1..=10).collect::<Vec<_>>());
    let o = run("shuf", &["-z", "-e", "a", "b"]).go().code(0);
    assert!(o.stdout == b"a\0b\0" || o.stdout == b"b\0a\0");
    run("shuf", &["-e"]).ok("");
    run("shuf", &["-i", "5-4"]).ok("");
    run("shuf", &["-i", "7-7"]).ok("7\n");
    run("shuf", &[]).stdin("").ok("");
}

#[test]
fn shuf_counts_and_repeat() {
    let o = run("shuf", &["-n", "3", "-i", "1-100"]).go().code(0);
    let v: Vec<u32> = o.out().lines().map(|l| l.parse().unwrap()).collect();
    assert_eq!(v.len(), 3);
    assert!(v.iter().all(|n| (1..=100).contains(n)));
    assert!(v[0] != v[1] && v[1] != v[2] && v[0] != v[2]);
    // The smallest -n wins; -n 0 prints nothing.
    let o = run("shuf", &["-n", "5", "-n", "1", "-e", "a", "b", "c"])
        .go()
        .code(0);
    assert_eq!(o.stdout.len(), 2);
    run("shuf", &["-n", "0", "-e", "a"]).ok("");
    let o = run("shuf", &["-r", "-n", "200", "-e", "x", "y"])
        .go()
        .code(0);
    let v = sorted_lines(&o.stdout);
    assert_eq!(v.len(), 200);
    assert!(v.iter().all(|l| l == "x" || l == "y"));
    run("shuf", &["-r", "-n", "4", "-i", "3-3"]).ok("3\n3\n3\n3\n");
    // A huge range does not need memory for all of it.
    let o = run("shuf", &["-n", "2", "-i", "1-18446744073709551615"])
        .go()
        .code(0);
    assert_eq!(o.out().lines().count(), 2);
}

#[test]
fn shuf_random_source_and_output() {
    let d = Dir::new();
    let bytes: Vec<u8> = (0..200u32).map(|i| (i * 97 % 251) as u8).collect();
    d.write("rs", &bytes);
    let a = d
        .run("shuf", &["--random-source=rs", "-i", "1-20"])
        .go()
        .code(0);
    let b = d
        .run("shuf", &["--random-source=rs", "-i", "1-20"])
        .go()
        .code(0);
    assert_eq!(a.stdout, b.stdout);
    d.write("zero", vec![0u8; 64]);
    d.run("shuf", &["--random-source=zero", "-e", "a", "b", "c"])
        .ok("a\nb\nc\n");
    d.write("empty", "");
    d.run("shuf", &["--random-source=empty", "-e", "a", "b"])
        .fails(1, "shuf: 'empty': end of file\n");
    d.write("in", "1\n2\n3\n");
    d.run("shuf", &["-o", "in", "in"]).ok("");
    assert_eq!(sorted_lines(&d.read("in")), ["1", "2", "3"]);
}

#[test]
fn shuf_errors() {
    let u = "Usage: shuf [-e|-i LO-HI] [-n NUM] [-o FILE] [-rz] [FILE | ARG...]\n";
    run("shuf", &["-i", "5-x"]).fails(1, "shuf: invalid input range: '5-x'\n");
    run("shuf", &["-i", "5-3"]).fails(1, "shuf: invalid input range: '5-3'\n");
    run("shuf", &["-i", "1-18446744073709551616"]).fails(
        1,
        "shuf: invalid input range: '18446744073709551616': Value too large for defined data type\n",
    );
    run("shuf", &["-n", "x"]).fails(1, "shuf: invalid line count: 'x'\n");
    run("shuf", &["-e", "-i", "1-3"])
        .fails(1, format!("shuf: cannot combine -e and -i options\n{u}"));
    run("shuf", &["a", "b"]).fails(1, format!("shuf: extra operand 'b'\n{u}"));
    run("shuf", &["-r"])
        .stdin("")
        .fails(1, "shuf: no lines to repeat\n");
    run("shuf", &["/nonexistent"]).fails(1, "shuf: /nonexistent: No such file or directory\n");
}

// ---------- truncate ----------

fn size(d: &Dir, f: &str) -> u64 {
    std::fs::metadata(d.p(f)).unwrap().len()
}

#[test]
fn truncate_sizes() {
    let d = Dir::new();
    let steps: &[(&str, u64)] = &[
        ("10", 10),
        ("+5", 15),
        ("-3", 12),
        ("<5", 5),
        (">20", 20),
        ("/8", 16),
        ("%7", 21),
        ("1K", 1024),
        ("1KB", 1000),
        ("1KiB", 1024),
        ("1kB", 1000),
        (" +2", 1002),
        ("> 5", 1002),
        ("010", 10),
        ("-5K", 0),
        ("K", 1024),
        ("+1M", 1024 + 1048576),
        ("0", 0),
    ];
    for (s, want) in steps {
        d.run("truncate", &["-s", s, "f"]).ok("");
        assert_eq!(size(&d, "f"), *want, "-s {s}");
    }
}

#[test]
fn truncate_reference_blocks_and_create() {
    let d = Dir::new();
    d.write("g", "hello");
    d.run("truncate", &["-r", "g", "f"]).ok("");
    assert_eq!(size(&d, "f"), 5);
    d.run("truncate", &["-r", "g", "-s", "+10", "f"]).ok("");
    assert_eq!(size(&d, "f"), 15);
    d.run("truncate", &["-o", "-s", "2", "f"]).ok("");
    assert!(size(&d, "f") >= 1024 && size(&d, "f").is_multiple_of(512));
    d.run("truncate", &["-c", "-s", "3", "nope"]).ok("");
    assert!(!d.exists("nope"));
    d.run("truncate", &["-s", "3", "a", "b"]).ok("");
    assert_eq!((size(&d, "a"), size(&d, "b")), (3, 3));
    d.write("data", "abcdef");
    d.run("truncate", &["-s", "2", "data"]).ok("");
    assert_eq!(d.read("data"), b"ab");
}

#[test]
fn truncate_errors() {
    let d = Dir::new();
    let u = "Usage: truncate [-c] [-o] [-r RFILE] [-s SIZE] FILE...\n";
    d.run("truncate", &["-s", "x", "f"])
        .fails(1, "truncate: Invalid number: 'x'\n");
    d.run("truncate", &["-s", "+-2", "f"])
        .fails(1, "truncate: Invalid number: '+-2'\n");
    d.run("truncate", &["-s", "10b", "f"])
        .fails(1, "truncate: Invalid number: '10b'\n");
    d.run("truncate", &["-s", "9E", "f"]).fails(
        1,
        "truncate: Invalid number: '9E': Value too large for defined data type\n",
    );
    d.run("truncate", &["-s", "/0", "f"])
        .fails(1, "truncate: division by zero\n");
    d.run("truncate", &["-s", ">-5", "f"]).fails(
        1,
        format!("truncate: multiple relative modifiers specified\n{u}"),
    );
    d.run("truncate", &["f"]).fails(
        1,
        format!("truncate: you must specify either '--size' or '--reference'\n{u}"),
    );
    d.run("truncate", &["-s", "5"])
        .fails(1, format!("truncate: missing file operand\n{u}"));
    d.run("truncate", &["-s", "5", "-r", "f", "f"]).fails(
        1,
        format!("truncate: you must specify a relative '--size' with '--reference'\n{u}"),
    );
    d.run("truncate", &["-o", "-r", "f", "f"]).fails(
        1,
        format!("truncate: '--io-blocks' was specified but '--size' was not\n{u}"),
    );
    d.run("truncate", &["-r", "nope", "f"]).fails(
        1,
        "truncate: cannot stat 'nope': No such file or directory\n",
    );
    d.run("truncate", &["-s", "1", "no/x"]).fails(
        1,
        "truncate: cannot open 'no/x' for writing: No such file or directory\n",
    );
    d.mkdir("dir");
    d.run("truncate", &["-s", "1", "dir", "ok"]).fails(
        1,
        "truncate: cannot open 'dir' for writing: Is a directory\n",
    );
    assert!(d.exists("ok"));
    run("truncate", &["-s", "5", "/dev/null"]).fails(
        1,
        "truncate: failed to truncate '/dev/null' at 5 bytes: Invalid argument\n",
    );
}

// ---------- factor ----------

#[test]
fn factor_numbers() {
    run("factor", &["12", "1", "0", "97", " 36", "+8"])
        .ok("12: 2 2 3\n1:\n0:\n97: 97\n36: 2 2 3 3\n8: 2 2 2\n");
    run("factor", &["18446744073709551615"])
        .ok("18446744073709551615: 3 5 17 257 641 65537 6700417\n");
    run("factor", &["18446744073709551557"]).ok("18446744073709551557: 18446744073709551557\n");
    run("factor", &["4611686014132420609"]).ok("4611686014132420609: 2147483647 2147483647\n");
    run("factor", &["340282366920938463463374607431768211455"]).ok(
        "340282366920938463463374607431768211455: 3 5 17 257 641 65537 274177 6700417 67280421310721\n",
    );
    run("factor", &["170141183460469231731687303715884105727"])
        .ok("170141183460469231731687303715884105727: 170141183460469231731687303715884105727\n");
    run("factor", &["1267650600228229401496703205653"])
        .ok("1267650600228229401496703205653: 1267650600228229401496703205653\n");
    run("factor", &["1000000016000000063"]).ok("1000000016000000063: 1000000007 1000000009\n");
    run("factor", &["-h", "1024", "360"]).ok("1024: 2^10\n360: 2^3 3^2 5\n");
    // -x: hexadecimal (toybox); exponents stay decimal.
    run("factor", &["-x", "9223372036854775788", "1", "255"])
        .ok("7fffffffffffffec: 2 2 3 283 43f2ba978e663\n1:\nff: 3 5 11\n");
    run("factor", &["-xh", "4096"]).ok("1000: 2^12\n");
    run("factor", &[])
        .stdin(" 6 8\n\n10\t 12")
        .ok("6: 2 3\n8: 2 2 2\n10: 2 5\n12: 2 2 3\n");
}

#[test]
fn factor_errors() {
    run("factor", &["x"]).fails(1, "factor: 'x' is not a valid positive integer\n");
    run("factor", &["12 "]).fails(1, "factor: '12 ' is not a valid positive integer\n");
    run("factor", &[""]).fails(1, "factor: '' is not a valid positive integer\n");
    run("factor", &["340282366920938463463374607431768211456"]).fails(
        1,
        "factor: '340282366920938463463374607431768211456' is too large\n",
    );
    run("factor", &["6", "0x10", "9"]).go().expect(
        1,
        b"6: 2 3\n9: 3 3\n",
        b"factor: '0x10' is not a valid positive integer\n",
    );
    run("factor", &[]).stdin("4 9x 5\n").go().expect(
        1,
        b"4: 2 2\n5: 5\n",
        b"factor: '9x' is not a valid positive integer\n",
    );
}

// ---------- nproc ----------

#[test]
fn nproc_counts() {
    let all = run("nproc", &["--all"]).go().code(0);
    let all: u64 = all.out().trim().parse().unwrap();
    let cur: u64 = run("nproc", &[]).go().code(0).out().trim().parse().unwrap();
    assert!(cur >= 1 && all >= 1);
    run("nproc", &["--ignore=100000"]).ok("1\n");
    let less: u64 = run("nproc", &["--ignore", "1"])
        .go()
        .code(0)
        .out()
        .trim()
        .parse()
        .unwrap();
    assert_eq!(less, (cur - 1).max(1));
    run("nproc", &[]).env("OMP_NUM_THREADS", "5").ok("5\n");
    run("nproc", &[]).env("OMP_NUM_THREADS", "5,2").ok("5\n");
    run("nproc", &[])
        .env("OMP_NUM_THREADS", "5")
        .env("OMP_THREAD_LIMIT", "3")
        .ok("3\n");
    run("nproc", &["--ignore=2"])
        .env("OMP_NUM_THREADS", "5")
        .ok("3\n");
    run("nproc", &[])
        .env("OMP_NUM_THREADS", "x")
        .ok(format!("{cur}\n"));
    run("nproc", &["--all"])
        .env("OMP_NUM_THREADS", "99")
        .ok(format!("{all}\n"));
}

#[test]
fn nproc_errors() {
    run("nproc", &["--ignore=x"]).fails(1, "nproc: invalid number: 'x'\n");
    run("nproc", &["--ignore=-1"]).fails(1, "nproc: invalid number: '-1'\n");
    run("nproc", &["x"]).fails(
        1,
        "nproc: extra operand 'x'\nUsage: nproc [--all] [--ignore=N]\n",
    );
}

// ---------- expr ----------

fn expr(args: &[&str], out: &str, code: i32) {
    run("expr", args).go().expect(code, out.as_bytes(), b"");
}

fn expr_err(args: &[&str], err: &str, code: i32) {
    run("expr", args).fails(code, err);
}

#[test]
fn expr_arithmetic() {
    expr(&["3", "*", "4"], "12\n", 0);
    expr(&["-7", "/", "2"], "-3\n", 0);
    expr(&["-7", "%", "2"], "-1\n", 0);
    expr(&["3", "-", "-2"], "5\n", 0);
    expr(&["1", "+", "2", "*", "3"], "7\n", 0);
    expr(&["(", "1", "+", "2", ")", "*", "3"], "9\n", 0);
    expr(&["2", "-", "2"], "0\n", 1);
    expr(
        &["9223372036854775807", "+", "1"],
        "9223372036854775808\n",
        0,
    );
    expr(
        &["-9223372036854775808", "-", "1"],
        "-9223372036854775809\n",
        0,
    );
    expr_err(&["7", "/", "0"], "expr: division by zero\n", 2);
    expr_err(&["7", "%", "0"], "expr: division by zero\n", 2);
    expr_err(&["a", "+", "1"], "expr: non-integer argument\n", 2);
    expr_err(&["+1", "+", "1"], "expr: non-integer argument\n", 2);
    let max = "170141183460469231731687303715884105727";
    expr_err(
        &[max, "+", "1"],
        "expr: +: Numerical result out of range\n",
        3,
    );
    expr_err(
        &[max, "*", "2"],
        "expr: *: Numerical result out of range\n",
        3,
    );
}

#[test]
fn expr_logic_and_comparison() {
    expr(&["1", "|", "2"], "1\n", 0);
    expr(&["0", "|", "2"], "2\n", 0);
    expr(&["0", "|", ""], "0\n", 1);
    expr(&["00", "|", "a"], "a\n", 0);
    expr(&["-0", "&", "1"], "0\n", 1);
    expr(&["-", "&", "1"], "-\n", 0);
    expr(&["2", "&", "3"], "2\n", 0);
    expr(&["1", "|", "1", "/", "0"], "1\n", 0);
    expr(&["0", "&", "1", "/", "0"], "0\n", 1);
    expr(&["10", "<", "9"], "0\n", 1);
    expr(&["10", "<", "9a"], "1\n", 0);
    expr(&["01", "=", "1"], "1\n", 0);
    expr(&["-00", "=", "0"], "1\n", 0);
    expr(&["2", "==", "2"], "1\n", 0);
    expr(&["2", "!=", "3"], "1\n", 0);
    expr(&["2", ">=", "3"], "0\n", 1);
    expr(&["3", "<=", "3"], "1\n", 0);
    expr(&["a", ">", "A"], "1\n", 0);
    let big = "99999999999999999999999999999999999999999";
    expr(
        &[big, ">", "99999999999999999999999999999999999999998"],
        "1\n",
        0,
    );
    expr(&["5", "=", "5", "=", "1"], "1\n", 0);
}

#[test]
fn expr_strings_and_regex() {
    expr(&["abc", ":", "^a"], "1\n", 0);
    expr(&["abc", ":", "b"], "0\n", 1);
    expr(&["a^c", ":", "a^c"], "3\n", 0);
    expr(&["abc", ":", ".*"], "3\n", 0);
    expr(&["abc", ":", "\\(a\\)"], "a\n", 0);
    expr(&["abc", ":", "\\(b\\)"], "\n", 1);
    expr(&["abc", ":", "a\\(x*\\)"], "\n", 1);
    expr(&["x\ny", ":", "x.y"], "3\n", 0);
    expr(&["aaa", ":", "a*", "+", "1"], "4\n", 0);
    expr(&["match", "abc", "a\\(.\\)"], "b\n", 0);
    expr(&["substr", "abcde", "2", "3"], "bcd\n", 0);
    expr(&["substr", "abcde", "2", "99"], "bcde\n", 0);
    expr(&["substr", "abcde", "0", "3"], "\n", 1);
    expr(&["substr", "abcde", "x", "3"], "\n", 1);
    expr(&["substr", "abcde", "6", "1"], "\n", 1);
    expr(&["index", "abcde", "dc"], "3\n", 0);
    expr(&["index", "abc", "x"], "0\n", 1);
    expr(&["length", "abcde"], "5\n", 0);
    expr(&["length", "+", "1"], "1\n", 0);
    expr(&["+", "length"], "length\n", 0);
    expr(&["quote"], "quote\n", 0);
    expr(&["--", "-5"], "-5\n", 0);
    expr(&["--foo"], "--foo\n", 0);
    expr(&[""], "\n", 1);
    expr(&["0"], "0\n", 1);
    expr(&["--", "-0"], "-0\n", 1);
}

#[test]
fn expr_syntax_errors() {
    expr_err(
        &["length"],
        "expr: syntax error: missing argument after 'length'\n",
        2,
    );
    expr_err(
        &["1", "+"],
        "expr: syntax error: missing argument after '+'\n",
        2,
    );
    expr_err(
        &["(", "1", "+", "2"],
        "expr: syntax error: expecting ')' after '2'\n",
        2,
    );
    expr_err(
        &["(", "1", "+", "2", "3"],
        "expr: syntax error: expecting ')' instead of '3'\n",
        2,
    );
    expr_err(&[")"], "expr: syntax error: unexpected ')'\n", 2);
    expr_err(
        &["1", "2", "3"],
        "expr: syntax error: unexpected argument '2'\n",
        2,
    );
    expr_err(&[], "expr: missing operand\nUsage: expr EXPRESSION\n", 2);
    expr_err(&["abc", ":", "\\("], "expr: Unmatched ( or \\(\n", 2);
    expr_err(&["abc", ":", "a\\{1"], "expr: Unmatched \\{\n", 2);
}
