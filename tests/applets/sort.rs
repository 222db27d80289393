//! sort and uniq.

use crate::harness::*;
use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const SORT_USAGE: &str = "Usage: sort [-bcCdfghiMmnRrsuVz] [-k POS1[,POS2]]... [-t SEP] [-o FILE] [-S SIZE] [-T DIR] [FILE]...\n";
const UNIQ_USAGE: &str = "Usage: uniq [-cdDiuz] [-f,s,w N] [INPUT [OUTPUT]]\n";

// ---------------------------------------------------------------- sort

#[test]
fn sort_byte_order_files_and_stdin() {
    let mixed = "banana\napple\nCherry\n  date\n10\n9\n-3\n1e2\n0x10\n\napple\n";
    run("sort", &[])
        .stdin(mixed)
        .ok("\n  date\n-3\n0x10\n10\n1e2\n9\nCherry\napple\napple\nbanana\n");
    // No final newline: one is added; empty input gives nothing.
    run("sort", &[]).stdin("c\nb\na").ok("a\nb\nc\n");
    run("sort", &[]).stdin("").ok("");
    run("sort", &[]).stdin("\n\n").ok("\n\n");
    // NUL bytes are data; bytes above 127 sort after ASCII.
    run("sort", &[])
        .stdin(b"b\0a\nz\na\0b\n\xe9\n")
        .ok(b"a\0b\nb\0a\nz\n\xe9\n");
    let d = Dir::new();
    d.write("m1", "a\nc\ne\n");
    d.write("m2", "d\nb");
    d.run("sort", &["m1", "-", "m2"])
        .stdin("f\n0\n")
        .ok("0\na\nb\nc\nd\ne\nf\n");
    d.run("sort", &["--", "m2"]).ok("b\nd\n");
    // A long line is kept whole.
    let long = "x".repeat(300_000);
    run("sort", &[])
        .stdin(format!("{long}\nb\n{long}a\na\n"))
        .ok(format!("a\nb\n{long}\n{long}a\n"));
}

#[test]
fn sort_reverse_unique_stable_and_last_resort() {
    let s = "b 1\nA 1\na 1\nc 0\nB 1\n";
    // Equal keys fall back to comparing whole lines, unless -s.
    run("sort", &["-k2,2"])
        .stdin(s)
        .ok("c 0\nA 1\nB 1\na 1\nb 1\n");
    run("sort", &["-k2,2", "-s"])
        .stdin(s)
        .ok("c 0\nb 1\nA 1\na 1\nB 1\n");
    // -r reverses the last-resort comparison too, but not input order.
    run("sort", &["-k2,2", "-r"])
        .stdin(s)
        .ok("b 1\na 1\nB 1\nA 1\nc 0\n");
    run("sort", &["-k2,2", "-rs"])
        .stdin(s)
        .ok("b 1\nA 1\na 1\nB 1\nc 0\n");
    // A key's own r does not reverse the last resort.
    run("sort", &["-k2,2r"])
        .stdin(s)
        .ok("A 1\nB 1\na 1\nb 1\nc 0\n");
    run("sort", &["-f"])
        .stdin(s)
        .ok("A 1\na 1\nB 1\nb 1\nc 0\n");
    run("sort", &["-fs"])
        .stdin(s)
        .ok("A 1\na 1\nb 1\nB 1\nc 0\n");
    run("sort", &["-frs"])
        .stdin(s)
        .ok("c 0\nb 1\nB 1\nA 1\na 1\n");
    run("sort", &["-n"])
        .stdin(s)
        .ok("A 1\nB 1\na 1\nb 1\nc 0\n");
    run("sort", &["-ns"])
        .stdin(s)
        .ok("b 1\nA 1\na 1\nc 0\nB 1\n");
    run("sort", &["-k2,2n", "-k1,1f", "-s"])
        .stdin(s)
        .ok("c 0\nA 1\na 1\nb 1\nB 1\n");
    // -u keeps the first of each run of equal keys.
    run("sort", &["-u"]).stdin("b\na\nb\na\n").ok("a\nb\n");
    run("sort", &["-fu"]).stdin(s).ok("A 1\nb 1\nc 0\n");
    run("sort", &["-fur"]).stdin(s).ok("c 0\nb 1\nA 1\n");
    run("sort", &["-k2,2", "-u"]).stdin(s).ok("c 0\nb 1\n");
    run("sort", &["-k2,2", "-ur"]).stdin(s).ok("b 1\nc 0\n");
    run("sort", &["-k2,2n", "-k1,1f", "-u"])
        .stdin(s)
        .ok("c 0\nA 1\nb 1\n");
    run("sort", &["--unique", "--reverse", "--stable"])
        .stdin("x\ny\nx\n")
        .ok("y\nx\n");
}

#[test]
fn sort_fold_dictionary_nonprinting_blanks() {
    let s = b"a-b\nab\na b\na\tc\n\x01ac\na\x7fa\n\xe9a\nA.b\n_a\n";
    run("sort", &["-d"])
        .stdin(s)
        .ok(b"A.b\n_a\n\xe9a\na\tc\na b\na\x7fa\na-b\nab\n\x01ac\n");
    run("sort", &["-i"])
        .stdin(s)
        .ok(b"A.b\n_a\n\xe9a\na b\na-b\na\x7fa\nab\n\x01ac\na\tc\n");
    run("sort", &["-df"])
        .stdin(s)
        .ok(b"_a\n\xe9a\na\tc\na b\na\x7fa\nA.b\na-b\nab\n\x01ac\n");
    run("sort", &["-du"])
        .stdin(s)
        .ok(b"A.b\n\xe9a\na\tc\na b\na\x7fa\na-b\n\x01ac\n");
    run("sort", &["-iu"])
        .stdin(s)
        .ok(b"A.b\n_a\n\xe9a\na b\na-b\na\x7fa\nab\na\tc\n");
    run(
        "sort",
        &["--dictionary-order", "--ignore-case", "--reverse"],
    )
    .stdin("b\nA\n-a\n")
    .ok("b\nA\n-a\n");
    run("sort", &["--ignore-nonprinting"])
        .stdin(b"\x02b\na\n")
        .ok(b"a\n\x02b\n");
    let b = "\tb\n  a\n \tc\nb\n a\n";
    run("sort", &[]).stdin(b).ok("\tb\n \tc\n  a\n a\nb\n");
    run("sort", &["-b"]).stdin(b).ok("  a\n a\n\tb\nb\n \tc\n");
    run("sort", &["--ignore-leading-blanks"])
        .stdin(b)
        .ok("  a\n a\n\tb\nb\n \tc\n");
    run("sort", &["-bf"]).stdin("  B\nc\na\n").ok("a\n  B\nc\n");
}

#[test]
fn sort_numeric() {
    let s = "1.5\n+2\n-0\n0\n.5\n-.5\n1,000\n007\n 3\n-\nabc\n1.50\n2e1\n-10\n";
    run("sort", &["-n"])
        .stdin(s)
        .ok("-10\n-.5\n+2\n-\n-0\n0\nabc\n.5\n1,000\n1.5\n1.50\n2e1\n 3\n007\n");
    run("sort", &["-nr"])
        .stdin(s)
        .ok("007\n 3\n2e1\n1.50\n1.5\n1,000\n.5\nabc\n0\n-0\n-\n+2\n-.5\n-10\n");
    run("sort", &["-ns"])
        .stdin(s)
        .ok("-10\n-.5\n+2\n-0\n0\n-\nabc\n.5\n1,000\n1.5\n1.50\n2e1\n 3\n007\n");
    run("sort", &["-nu"])
        .stdin(s)
        .ok("-10\n-.5\n+2\n.5\n1,000\n1.5\n2e1\n 3\n007\n");
    // Digits beyond any machine integer, and tiny fractions.
    let big = "123456789012345678901234567890\n123456789012345678901234567889\n\
               -99999999999999999999999\n-99999999999999999999998\n\
               0.000000000000000000001\n0.0000000000000000000009\n-0.0\n.\n-.\n00\n1.\n";
    run("sort", &["--numeric-sort"]).stdin(big).ok(
        "-99999999999999999999999\n-99999999999999999999998\n-.\n-0.0\n.\n00\n\
         0.0000000000000000000009\n0.000000000000000000001\n1.\n\
         123456789012345678901234567889\n123456789012345678901234567890\n",
    );
    run("sort", &["-nu"]).stdin(big).ok(
        "-99999999999999999999999\n-99999999999999999999998\n-0.0\n\
         0.0000000000000000000009\n0.000000000000000000001\n1.\n\
         123456789012345678901234567889\n123456789012345678901234567890\n",
    );
    run("sort", &["--sort=numeric"])
        .stdin("10\n9\n")
        .ok("9\n10\n");
}

#[test]
fn sort_general_numeric() {
    let s = "1.5\n+2\n-0\n0\n.5\n-.5\n1,000\n007\n 3\n-\nabc\n1.50\n2e1\n-10\n";
    run("sort", &["-g"])
        .stdin(s)
        .ok("-\nabc\n-10\n-.5\n-0\n0\n.5\n1,000\n1.5\n1.50\n+2\n 3\n007\n2e1\n");
    run("sort", &["-gu"])
        .stdin(s)
        .ok("-\n-10\n-.5\n-0\n.5\n1,000\n1.5\n+2\n 3\n007\n2e1\n");
    // Non-numbers first, then NaN, -inf, numbers (hex too), inf.
    let f = "inf\n-inf\nnan\n1e308\n0x1p3\n5\n-5e-1\n1.0e0\n1\n-INF\n\nx\n";
    run("sort", &["-g"])
        .stdin(f)
        .ok("\nx\nnan\n-INF\n-inf\n-5e-1\n1\n1.0e0\n5\n0x1p3\n1e308\ninf\n");
    run("sort", &["-gs"])
        .stdin(f)
        .ok("\nx\nnan\n-inf\n-INF\n-5e-1\n1.0e0\n1\n5\n0x1p3\n1e308\ninf\n");
    run("sort", &["-gr"])
        .stdin(f)
        .ok("inf\n1e308\n0x1p3\n5\n1.0e0\n1\n-5e-1\n-inf\n-INF\nnan\nx\n\n");
    run("sort", &["--general-numeric-sort"])
        .stdin("1e3\n999\n")
        .ok("999\n1e3\n");
}

#[test]
fn sort_human_numeric() {
    let s = "1K\n2M\n1G\n512\n1k\n-1K\n0.5M\n1.5K\n1T\n1E\n2P\n1Z\n1Y\n10\nK\n1Ki\n 3M\n";
    run("sort", &["-h"])
        .stdin(s)
        .ok("-1K\nK\n10\n512\n1K\n1Ki\n1k\n1.5K\n0.5M\n2M\n 3M\n1G\n1T\n2P\n1E\n1Z\n1Y\n");
    run("sort", &["-hr"])
        .stdin(s)
        .ok("1Y\n1Z\n1E\n2P\n1T\n1G\n 3M\n2M\n0.5M\n1.5K\n1k\n1Ki\n1K\n512\n10\nK\n-1K\n");
    run("sort", &["-hs"])
        .stdin(s)
        .ok("-1K\nK\n10\n512\n1K\n1k\n1Ki\n1.5K\n0.5M\n2M\n 3M\n1G\n1T\n2P\n1E\n1Z\n1Y\n");
    run("sort", &["--human-numeric-sort", "-u"])
        .stdin(s)
        .ok("-1K\nK\n10\n512\n1K\n1.5K\n0.5M\n2M\n 3M\n1G\n1T\n2P\n1E\n1Z\n1Y\n");
}

#[test]
fn sort_month() {
    let s = "FEB\njan\n  Mar\ndec\nxyz\nJune\nJUN\nsep x\nmay\n\nAPRIL\n";
    run("sort", &["-M"])
        .stdin(s)
        .ok("\nxyz\njan\nFEB\n  Mar\nAPRIL\nmay\nJUN\nJune\nsep x\ndec\n");
    run("sort", &["-Mr"])
        .stdin(s)
        .ok("dec\nsep x\nJune\nJUN\nmay\nAPRIL\n  Mar\nFEB\njan\nxyz\n\n");
    run("sort", &["-Ms"])
        .stdin(s)
        .ok("xyz\n\njan\nFEB\n  Mar\nAPRIL\nmay\nJune\nJUN\nsep x\ndec\n");
    run("sort", &["--month-sort", "-u"])
        .stdin(s)
        .ok("xyz\njan\nFEB\n  Mar\nAPRIL\nmay\nJune\nsep x\ndec\n");
}

#[test]
fn sort_version() {
    let s = "a-1.10\na-1.9\na-1.9a\na-1.9~rc1\na-1.09\nfoo.tar.gz\nfoo-2.0.tar.gz\n\
             1.2.3\n1.2.10\n.hidden\n~x\nb\n10\n2\n1.0~beta\n1.0\n";
    run("sort", &["-V"]).stdin(s).ok(
        ".hidden\n~x\n1.0~beta\n1.0\n1.2.3\n1.2.10\n2\n10\na-1.9~rc1\na-1.09\na-1.9\n\
         a-1.9a\na-1.10\nb\nfoo.tar.gz\nfoo-2.0.tar.gz\n",
    );
    run("sort", &["-Vs"]).stdin(s).ok(
        ".hidden\n~x\n1.0~beta\n1.0\n1.2.3\n1.2.10\n2\n10\na-1.9~rc1\na-1.9\na-1.09\n\
         a-1.9a\na-1.10\nb\nfoo.tar.gz\nfoo-2.0.tar.gz\n",
    );
    run("sort", &["-Vr"]).stdin(s).ok(
        "foo-2.0.tar.gz\nfoo.tar.gz\nb\na-1.10\na-1.9a\na-1.9\na-1.09\na-1.9~rc1\n10\n2\n\
         1.2.10\n1.2.3\n1.0\n1.0~beta\n~x\n.hidden\n",
    );
    run("sort", &["--version-sort", "-u"]).stdin(s).ok(
        ".hidden\n~x\n1.0~beta\n1.0\n1.2.3\n1.2.10\n2\n10\na-1.9~rc1\na-1.9\n\
         a-1.9a\na-1.10\nb\nfoo.tar.gz\nfoo-2.0.tar.gz\n",
    );
    run("sort", &["--sort=version"])
        .stdin("v10\nv9\n")
        .ok("v9\nv10\n");
}

#[test]
fn sort_keys_fields_chars_and_flags() {
    let k = "b 2 x9\na  10 y1\nc 2 z3\na 1  w7\nd\n  e 3 q0\nb 2 x1\n";
    let t = |args: &[&str], want: &str| run("sort", args).stdin(k).ok(want);
    // A field keeps its leading blanks unless b is given.
    t(
        &["-k2"],
        "d\na  10 y1\na 1  w7\nb 2 x1\nb 2 x9\nc 2 z3\n  e 3 q0\n",
    );
    t(
        &["-k2,2"],
        "d\na  10 y1\na 1  w7\nb 2 x1\nb 2 x9\nc 2 z3\n  e 3 q0\n",
    );
    t(
        &["-k2b,2"],
        "d\na 1  w7\na  10 y1\nb 2 x1\nb 2 x9\nc 2 z3\n  e 3 q0\n",
    );
    t(
        &["-bk2,2"],
        "d\na 1  w7\na  10 y1\nb 2 x1\nb 2 x9\nc 2 z3\n  e 3 q0\n",
    );
    t(
        &["-k2n"],
        "d\na 1  w7\nb 2 x1\nb 2 x9\nc 2 z3\n  e 3 q0\na  10 y1\n",
    );
    t(
        &["-k2,2n"],
        "d\na 1  w7\nb 2 x1\nb 2 x9\nc 2 z3\n  e 3 q0\na  10 y1\n",
    );
    // Several keys, each with its own flags.
    t(
        &["-k2,2nr", "-k1,1"],
        "a  10 y1\n  e 3 q0\nb 2 x1\nb 2 x9\nc 2 z3\na 1  w7\nd\n",
    );
    t(
        &["-k3,3r", "-k1"],
        "c 2 z3\na  10 y1\nb 2 x9\nb 2 x1\n  e 3 q0\na 1  w7\nd\n",
    );
    t(
        &["-k2,2", "-k1,1r"],
        "d\na  10 y1\na 1  w7\nc 2 z3\nb 2 x1\nb 2 x9\n  e 3 q0\n",
    );
    // Global options apply to keys without flags of their own.
    t(
        &["-r", "-k2,2n"],
        "d\na 1  w7\nc 2 z3\nb 2 x9\nb 2 x1\n  e 3 q0\na  10 y1\n",
    );
    // Character positions.
    t(
        &["-k3.2,3.2"],
        "d\na 1  w7\n  e 3 q0\nb 2 x1\nb 2 x9\na  10 y1\nc 2 z3\n",
    );
    t(
        &["-k3.2n"],
        "  e 3 q0\na  10 y1\na 1  w7\nb 2 x1\nb 2 x9\nc 2 z3\nd\n",
    );
    t(
        &["-k1.1,1.1"],
        "  e 3 q0\na  10 y1\na 1  w7\nb 2 x1\nb 2 x9\nc 2 z3\nd\n",
    );
    t(
        &["-k2.1b,2.1"],
        "  e 3 q0\na  10 y1\na 1  w7\nb 2 x1\nb 2 x9\nc 2 z3\nd\n",
    );
    t(
        &["-k3.3"],
        "d\n  e 3 q0\na  10 y1\nb 2 x1\nc 2 z3\nb 2 x9\na 1  w7\n",
    );
    t(
        &["--key", "2,2.1"],
        "d\n  e 3 q0\na  10 y1\na 1  w7\nb 2 x1\nb 2 x9\nc 2 z3\n",
    );
    // Keys past the end of the line, or ending before they start, are empty.
    t(
        &["-k4"],
        "  e 3 q0\na  10 y1\na 1  w7\nb 2 x1\nb 2 x9\nc 2 z3\nd\n",
    );
    t(
        &["-k2.2,2.1"],
        "  e 3 q0\na  10 y1\na 1  w7\nb 2 x1\nb 2 x9\nc 2 z3\nd\n",
    );
    t(
        &["-k3.10"],
        "  e 3 q0\na  10 y1\na 1  w7\nb 2 x1\nb 2 x9\nc 2 z3\nd\n",
    );
    t(
        &["-k2,2", "-s"],
        "d\na  10 y1\na 1  w7\nb 2 x9\nc 2 z3\nb 2 x1\n  e 3 q0\n",
    );
    t(
        &["-k2n,2", "-u"],
        "d\na 1  w7\nb 2 x9\n  e 3 q0\na  10 y1\n",
    );
}

#[test]
fn sort_field_separator() {
    let s = "a:b:3\nx::1\n:z:2\nb:a:10\nb:a\n";
    run("sort", &["-t:", "-k2"])
        .stdin(s)
        .ok("x::1\nb:a\nb:a:10\na:b:3\n:z:2\n");
    run("sort", &["-t", ":", "-k3n"])
        .stdin(s)
        .ok("b:a\nx::1\n:z:2\na:b:3\nb:a:10\n");
    run("sort", &["-t:", "-k3,3nr"])
        .stdin(s)
        .ok("b:a:10\na:b:3\n:z:2\nx::1\nb:a\n");
    run("sort", &["--field-separator=:", "-k2.2"])
        .stdin(s)
        .ok("b:a\nx::1\nb:a:10\n:z:2\na:b:3\n");
    run("sort", &["-t:", "-t:", "-k2,2"])
        .stdin(s)
        .ok("x::1\nb:a\nb:a:10\na:b:3\n:z:2\n");
    // A tab of '\0' splits at NUL bytes.
    run("sort", &["-t", "\\0", "-k2"])
        .stdin(b"z\nb\0a\na\0b\n")
        .ok(b"z\nb\0a\na\0b\n");
    // With -t a blank is an ordinary character.
    run("sort", &["-t", " ", "-k2"])
        .stdin("a  b\nb c\n")
        .ok("a  b\nb c\n");
    run("sort", &["-t", " ", "-k2b"])
        .stdin("a  c\nb b\n")
        .ok("b b\na  c\n");
    let e = |args: &[&str], msg: &str| {
        run("sort", args)
            .stdin("x\n")
            .fails(2, format!("sort: {msg}\n"));
    };
    e(&["-t", "::"], "multi-character tab '::'");
    e(&["-t", ""], "empty tab");
    e(&["-t:", "-t,"], "incompatible tabs");
}

#[test]
fn sort_obsolete_keys() {
    let s = "a:b:3\nx::1\n:z:2\nb:a:10\nb:a\n";
    run("sort", &["+0.1", "-0.3"])
        .stdin(s)
        .ok("x::1\nb:a\nb:a:10\na:b:3\n:z:2\n");
    run("sort", &["-t:", "+2n"])
        .stdin(s)
        .ok("b:a\nx::1\n:z:2\na:b:3\nb:a:10\n");
    run("sort", &["-t:", "+1", "-2"])
        .stdin(s)
        .ok("x::1\nb:a\nb:a:10\na:b:3\n:z:2\n");
    run("sort", &["+1"]).stdin("x 2\ny 1\n").ok("y 1\nx 2\n");
}

#[test]
fn sort_key_and_option_errors() {
    let e = |args: &[&str], code: i32, msg: &str| {
        run("sort", args).stdin("x\n").fails(code, msg);
    };
    e(
        &["-k0"],
        2,
        "sort: field number is zero: invalid field specification '0'\n",
    );
    e(
        &["-k1.0"],
        2,
        "sort: character offset is zero: invalid field specification '1.0'\n",
    );
    e(
        &["-k1,0"],
        2,
        "sort: field number is zero: invalid field specification '1,0'\n",
    );
    e(
        &["-kx"],
        2,
        "sort: invalid number at field start: invalid count at start of 'x'\n",
    );
    e(
        &["-k-1"],
        2,
        "sort: invalid number at field start: invalid count at start of '-1'\n",
    );
    e(
        &["-k1,x"],
        2,
        "sort: invalid number after ',': invalid count at start of 'x'\n",
    );
    e(
        &["-k1."],
        2,
        "sort: invalid number after '.': invalid count at start of ''\n",
    );
    e(
        &["-k1,1q"],
        2,
        "sort: stray character in field spec: invalid field specification '1,1q'\n",
    );
    e(&["-k1,1nM"], 2, "sort: options '-Mn' are incompatible\n");
    e(&["-gn"], 2, "sort: options '-gn' are incompatible\n");
    e(&["-dn"], 2, "sort: options '-dn' are incompatible\n");
    e(&["-k1", "-nh"], 2, "sort: options '-hn' are incompatible\n");
    e(&["-R", "-n"], 2, "sort: options '-nR' are incompatible\n");
    e(
        &["-Q"],
        2,
        &format!("sort: invalid option -- 'Q'\n{SORT_USAGE}"),
    );
    e(
        &["--bogus"],
        2,
        &format!("sort: unrecognized option '--bogus'\n{SORT_USAGE}"),
    );
    e(
        &["-o"],
        2,
        &format!("sort: option requires an argument -- 'o'\n{SORT_USAGE}"),
    );
    e(
        &["--sort=bogus"],
        1,
        &format!(
            "sort: invalid argument 'bogus' for '--sort'\nValid arguments are:\n  \
             - 'general-numeric'\n  - 'human-numeric'\n  - 'month'\n  - 'numeric'\n  \
             - 'random'\n  - 'version'\n{SORT_USAGE}"
        ),
    );
    e(
        &["-o", "a", "-o", "b"],
        2,
        "sort: multiple output files specified\n",
    );
    e(
        &["--parallel=0"],
        2,
        "sort: number in parallel must be nonzero\n",
    );
    e(
        &["--parallel=x"],
        2,
        "sort: invalid --parallel argument 'x'\n",
    );
    e(
        &["--batch-size=1"],
        2,
        "sort: invalid --batch-size argument '1'\nsort: minimum --batch-size argument is '2'\n",
    );
    run("sort", &["--parallel=3", "--batch-size=2"])
        .stdin("b\na\n")
        .ok("a\nb\n");
}

#[test]
fn sort_zero_terminated() {
    let z = b"b\nx\0a\0c 2\0c 1";
    run("sort", &["-z"]).stdin(z).ok(b"a\0b\nx\0c 1\0c 2\0");
    run("sort", &["-zr"]).stdin(z).ok(b"c 2\0c 1\0b\nx\0a\0");
    // Newline is a blank between fields.
    run("sort", &["-z", "-k2"])
        .stdin(z)
        .ok(b"a\0b\nx\0c 1\0c 2\0");
    run("sort", &["--zero-terminated", "-u"])
        .stdin(b"a\0a\0")
        .ok(b"a\0");
    // The disorder message ends as the line did.
    run("sort", &["-zc"])
        .stdin(z)
        .go()
        .expect(1, b"", b"sort: -:2: disorder: a\0");
}

#[test]
fn sort_check() {
    let d = Dir::new();
    d.write("sorted", "a\nb\nb\nc\n");
    d.write("unsorted", "a\nc\nb\n");
    d.write("nonl", "b\na");
    d.write("u x", "b\na\n");
    d.write("empty", "");
    d.run("sort", &["-c", "sorted"]).ok("");
    d.run("sort", &["-c", "empty"]).ok("");
    d.run("sort", &["-C", "sorted"]).ok("");
    d.run("sort", &["--check", "unsorted"])
        .go()
        .expect(1, b"", b"sort: unsorted:3: disorder: b\n");
    d.run("sort", &["-c", "nonl"])
        .go()
        .expect(1, b"", b"sort: nonl:2: disorder: a\n");
    d.run("sort", &["-c", "u x"])
        .go()
        .expect(1, b"", b"sort: u x:2: disorder: a\n");
    d.run("sort", &["-c"])
        .stdin("b\na\n")
        .go()
        .expect(1, b"", b"sort: -:2: disorder: a\n");
    // -u makes equal neighbours a disorder; -r and keys are honoured.
    d.run("sort", &["-cu", "sorted"])
        .go()
        .expect(1, b"", b"sort: sorted:3: disorder: b\n");
    d.run("sort", &["-c", "-r", "sorted"])
        .go()
        .expect(1, b"", b"sort: sorted:2: disorder: b\n");
    d.run("sort", &["-c", "-r", "nonl"]).ok("");
    d.run("sort", &["-c", "-n"]).stdin("9\n10\n").ok("");
    d.run("sort", &["-c", "-t:", "-k2"])
        .stdin("x:1\na:2\n")
        .ok("");
    // Quiet forms: status only.
    for q in ["-C", "--check=quiet", "--check=silent", "-Cu"] {
        d.run("sort", &[q, "unsorted"]).go().expect(1, b"", b"");
    }
    d.run("sort", &["--check=diagnose-first", "unsorted"])
        .go()
        .expect(1, b"", b"sort: unsorted:3: disorder: b\n");
    d.run("sort", &["-c", "sorted", "unsorted"])
        .fails(2, "sort: extra operand 'unsorted' not allowed with -c\n");
    d.run("sort", &["-c", "nope"])
        .fails(2, "sort: open failed: nope: No such file or directory\n");
    d.run("sort", &["-C", "no pe"])
        .fails(2, "sort: open failed: 'no pe': No such file or directory\n");
    d.run("sort", &["-c", "."])
        .fails(2, "sort: read failed: .: Is a directory\n");
    d.run("sort", &["-cC", "sorted"])
        .fails(2, "sort: options '-cC' are incompatible\n");
    d.run("sort", &["-c", "-o", "x", "sorted"])
        .fails(2, "sort: options '-co' are incompatible\n");
    d.run("sort", &["-C", "-o", "x", "sorted"])
        .fails(2, "sort: options '-Co' are incompatible\n");
    d.run("sort", &["--check=bogus", "sorted"]).fails(
        1,
        format!(
            "sort: invalid argument 'bogus' for '--check'\nValid arguments are:\n  \
             - 'quiet', 'silent'\n  - 'diagnose-first'\n{SORT_USAGE}"
        ),
    );
    assert!(!d.exists("x"));
}

#[test]
fn sort_merge() {
    let d = Dir::new();
    d.write("m1", "a\nc\ne\n");
    d.write("m2", "b\nd\n");
    d.write("m3", "c\na\n");
    d.run("sort", &["-m", "m1", "m2"]).ok("a\nb\nc\nd\ne\n");
    d.run("sort", &["--merge", "m2", "m1", "-"])
        .stdin("c\nb\na")
        .ok("a\nb\nc\nc\nb\na\nd\ne\n");
    // Unsorted input is merged as it comes, not sorted.
    d.run("sort", &["-m", "m1", "m3"]).ok("a\nc\nc\na\ne\n");
    d.run("sort", &["-mu", "m1", "m1"]).ok("a\nc\ne\n");
    d.run("sort", &["-mr", "m2", "m1"]).ok("b\nd\na\nc\ne\n");
    d.run("sort", &["-m", "--batch-size=2", "m1", "m2", "m2", "m1"])
        .ok("a\na\nb\nb\nc\nc\nd\nd\ne\ne\n");
    d.run("sort", &["-m", "-k2n", "-t,"])
        .stdin("x,1\nb,3\n")
        .ok("x,1\nb,3\n");
    // The output may be one of the inputs.
    d.run("sort", &["-m", "-o", "m2", "m1", "m2"]).ok("");
    assert_eq!(d.read("m2"), b"a\nb\nc\nd\ne\n");
    d.run("sort", &["-m", "m1", "nope"])
        .fails(2, "sort: cannot read: nope: No such file or directory\n");
}

#[test]
fn sort_output_file() {
    let d = Dir::new();
    d.write("f", "c\na\nb\n");
    d.write("g", "z\ny\n");
    d.run("sort", &["-o", "out", "f"]).ok("");
    assert_eq!(d.read("out"), b"a\nb\nc\n");
    // -o naming an input: read fully before the output replaces it.
    d.run("sort", &["-o", "f", "f"]).ok("");
    assert_eq!(d.read("f"), b"a\nb\nc\n");
    d.run("sort", &["-r", "--output=g", "f", "g"]).ok("");
    assert_eq!(d.read("g"), b"z\ny\nc\nb\na\n");
    d.run("sort", &["-o", "g", "-o", "g", "-u", "g", "g"])
        .ok("");
    assert_eq!(d.read("g"), b"a\nb\nc\ny\nz\n");
    // Through a symbolic link, the file it names is replaced; modes stay.
    d.write("t", "3\n1\n2\n");
    std::os::unix::fs::symlink("t", d.p("lnk")).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(d.p("t"), std::fs::Permissions::from_mode(0o640)).unwrap();
    d.run("sort", &["-o", "lnk", "lnk"]).ok("");
    assert_eq!(d.read("t"), b"1\n2\n3\n");
    assert!(d.p("lnk").symlink_metadata().unwrap().is_symlink());
    let mode = std::fs::metadata(d.p("t")).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o640);
    // Nothing is left behind by the temporary output.
    let mut names: Vec<String> = std::fs::read_dir(&d.path)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["f", "g", "lnk", "out", "t"]);
    d.run("sort", &["-o", "no/x", "f"])
        .fails(2, "sort: open failed: no/x: No such file or directory\n");
    d.run("sort", &["-o", "no/ x", "f"])
        .fails(2, "sort: open failed: 'no/ x': No such file or directory\n");
    d.run("sort", &["-o", ".", "f"])
        .fails(2, "sort: open failed: .: Is a directory\n");
    d.run("sort", &["-o", "/dev/full", "f"]).fails(
        2,
        "sort: fflush failed: /dev/full: No space left on device\nsort: write error\n",
    );
    d.sh("$B/sort f > /dev/full").fails(
        2,
        "sort: fflush failed: 'standard output': No space left on device\nsort: write error\n",
    );
    // A failed sort leaves the output untouched.
    d.run("sort", &["-o", "out", "f", "nope"])
        .fails(2, "sort: cannot read: nope: No such file or directory\n");
    assert_eq!(d.read("out"), b"a\nb\nc\n");
}

#[test]
fn sort_input_errors() {
    let d = Dir::new();
    d.write("a", "b\na\n");
    d.mkdir("d x");
    d.run("sort", &["nope"])
        .fails(2, "sort: cannot read: nope: No such file or directory\n");
    d.run("sort", &["a", "no pe", "a"])
        .fails(2, "sort: cannot read: 'no pe': No such file or directory\n");
    d.run("sort", &["."])
        .fails(2, "sort: read failed: .: Is a directory\n");
    d.run("sort", &["d x"])
        .fails(2, "sort: read failed: 'd x': Is a directory\n");
    if is_root() {
        eprintln!("SKIPPED sort EACCES case: running as root");
    } else {
        d.write("secret", "x\n");
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(d.p("secret"), std::fs::Permissions::from_mode(0o000)).unwrap();
        d.run("sort", &["secret"])
            .fails(2, "sort: cannot read: secret: Permission denied\n");
    }
    // --files0-from names the inputs.
    d.write("list", "a\0a\0");
    d.run("sort", &["--files0-from=list"]).ok("a\na\nb\nb\n");
    d.run("sort", &["--files0-from=-"])
        .stdin("a\0")
        .ok("a\nb\n");
    d.write("bad", "a\0\0");
    d.run("sort", &["--files0-from=bad"])
        .fails(2, "sort: bad:2: invalid zero-length file name\n");
    d.write("none", "");
    d.run("sort", &["--files0-from=none"])
        .fails(2, "sort: no input from 'none'\n");
    d.run("sort", &["--files0-from=nope"])
        .fails(2, "sort: open failed: nope: No such file or directory\n");
    d.run("sort", &["--files0-from=list", "a"]).fails(
        2,
        format!(
            "sort: extra operand 'a'\nfile operands cannot be combined with --files0-from\n{SORT_USAGE}"
        ),
    );
}

#[test]
fn sort_buffer_size_and_temp_dir_arguments() {
    let d = Dir::new();
    let e = |args: &[&str], msg: &str| {
        run("sort", args)
            .stdin("x\n")
            .fails(2, format!("sort: {msg}\n"));
    };
    e(&["-S", "x"], "invalid -S argument 'x'");
    e(&["-S", ""], "invalid -S argument ''");
    e(&["-S", "1Q"], "invalid suffix in -S argument '1Q'");
    e(&["--buffer-size=1x"], "invalid suffix in -S argument '1x'");
    e(
        &["-S", "99999999999999999999999"],
        "-S argument '99999999999999999999999' too large",
    );
    for s in ["1", "1b", "10K", "2M", "1G", "5%", "100%"] {
        run("sort", &["-S", s]).stdin("b\na\n").ok("a\nb\n");
    }
    // A small input needs no temporary file, so a bad -T goes unnoticed.
    run("sort", &["-T", "/nonexistent", "-S", "1b"])
        .stdin("b\na\n")
        .ok("a\nb\n");
    // One that does not fit reports the directory.
    let many: String = (0..20000).map(|i| format!("{i}\n")).collect();
    d.write("many", &many);
    d.run("sort", &["-T", "/nonexistent", "-S", "10K", "many"])
        .fails(
            2,
            "sort: cannot create temporary file in '/nonexistent': No such file or directory\n",
        );
    d.mkdir("tmp");
    let mut want: Vec<&str> = many.lines().collect();
    want.sort();
    let want: String = want.iter().map(|l| format!("{l}\n")).collect();
    d.run("sort", &["--temporary-directory=tmp", "-S", "1b", "many"])
        .ok(&want);
    d.run("sort", &["-n", "-T", "tmp", "-S", "10K", "many"])
        .ok(&many);
    assert_eq!(std::fs::read_dir(d.p("tmp")).unwrap().count(), 0);
}

/// Deterministic pseudo-random lines, about 20 bytes each.
fn random_lines(n: usize) -> Vec<Vec<u8>> {
    let mut x: u64 = 0x2545_f491_4f6c_dd1d;
    (0..n)
        .map(|i| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            format!("{:08x} {i} line\n", x as u32).into_bytes()
        })
        .collect()
}

fn vm_hwm_kb(pid: u32) -> u64 {
    // Peak resident memory minus the file-backed part (the binary's own
    // pages, which depend on the build, not on the input).
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let field = |name: &str| -> u64 {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|n| n.parse().ok())
            .unwrap()
    };
    field("VmHWM:").saturating_sub(field("RssFile:"))
}

/// The paths the process has open under `dir`.
fn open_under(pid: u32, dir: &std::path::Path) -> Vec<String> {
    let Ok(fds) = std::fs::read_dir(format!("/proc/{pid}/fd")) else {
        return Vec::new();
    };
    let prefix = format!("{}/", dir.display());
    fds.filter_map(|e| std::fs::read_link(e.ok()?.path()).ok())
        .map(|p| p.to_string_lossy().into_owned())
        .filter(|p| p.starts_with(&prefix))
        .collect()
}

#[test]
fn sort_larger_than_buffer_spills_and_merges() {
    let d = Dir::new();
    let tmp = d.mkdir("tmp");
    let lines = random_lines(150_000);
    let input: Vec<u8> = lines.concat();
    assert!(input.len() > 3_000_000);
    let mut sorted = lines.clone();
    sorted.sort();
    let want = sorted.concat();

    let mut child = Command::new(bin_dir().join("sort"))
        .args(["-S", "1M", "-T"])
        .arg(&tmp)
        .env_clear()
        .env("LC_ALL", "C")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id();
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(&input).unwrap();
    // All input is read but standard input is still open: the sorted runs
    // must be in temporary files in -T DIR (unlinked, so only /proc shows
    // them), and memory must stay far below the input's size.
    let start = Instant::now();
    let mut temps = open_under(pid, &tmp);
    while temps.is_empty() && start.elapsed() < Duration::from_secs(10) {
        std::thread::sleep(Duration::from_millis(20));
        temps = open_under(pid, &tmp);
    }
    assert!(!temps.is_empty(), "no temporary file open in -T DIR");
    assert!(temps.iter().all(|p| p.ends_with(" (deleted)")), "{temps:?}");
    let hwm = vm_hwm_kb(pid);
    assert!(
        hwm * 1024 < input.len() as u64,
        "peak RSS {hwm} kB for a {} byte input with -S 1M",
        input.len()
    );
    drop(stdin);
    let mut out = Vec::new();
    child.stdout.take().unwrap().read_to_end(&mut out).unwrap();
    let mut err = Vec::new();
    child.stderr.take().unwrap().read_to_end(&mut err).unwrap();
    let status = child.wait().unwrap();
    assert_eq!(String::from_utf8_lossy(&err), "");
    assert_eq!(status.code(), Some(0));
    assert!(out == want, "spilled sort differs from the in-memory order");
    assert_eq!(std::fs::read_dir(&tmp).unwrap().count(), 0);
}

#[test]
fn sort_spilled_runs_keep_stability_uniqueness_and_output_in_place() {
    let d = Dir::new();
    d.mkdir("tmp");
    let lines = random_lines(40_000);
    d.write("big", lines.concat());
    // A stable sort on the first two characters: ties keep input order
    // across runs, as an in-memory stable sort does.
    let mut stable = lines.clone();
    stable.sort_by(|a, b| a[..2].cmp(&b[..2]));
    let o = d
        .run(
            "sort",
            &["-s", "-k1.1,1.2", "-S", "128K", "-T", "tmp", "big"],
        )
        .go();
    assert_eq!((o.code, o.err()), (0, String::new()));
    assert!(o.stdout == stable.concat(), "stable spilled sort differs");
    // -u on the same key keeps the first line of each of the 256 keys.
    let mut uniq = stable.clone();
    uniq.dedup_by(|a, b| a[..2] == b[..2]);
    assert_eq!(uniq.len(), 256);
    let o = d
        .run(
            "sort",
            &["-u", "-k1.1,1.2", "-S", "128K", "-T", "tmp", "big"],
        )
        .go();
    assert_eq!((o.code, o.err()), (0, String::new()));
    assert!(o.stdout == uniq.concat(), "unique spilled sort differs");
    // -o naming the input, with spilling.
    let mut sorted = lines;
    sorted.sort();
    d.run("sort", &["-S", "128K", "-T", "tmp", "-o", "big", "big"])
        .ok("");
    assert!(d.read("big") == sorted.concat(), "sort -o big big differs");
    assert_eq!(std::fs::read_dir(d.p("tmp")).unwrap().count(), 0);
    // A spilled sort needs its -T directory.
    d.run("sort", &["-S", "128K", "-T", "gone", "big"]).fails(
        2,
        "sort: cannot create temporary file in 'gone': No such file or directory\n",
    );
}

#[test]
fn sort_random() {
    let s = "b\na\nc\nb\na\nb\n";
    let src = Dir::new();
    src.write("seed", "0123456789abcdef0123456789abcdef");
    let seed = src.p("seed");
    let seed = seed.to_str().unwrap();
    let arg = format!("--random-source={seed}");
    let o = run("sort", &["-R", &arg]).stdin(s).go();
    assert_eq!(o.code, 0);
    // A permutation with equal lines together, the same for the same seed.
    let out = o.out();
    let mut lines: Vec<&str> = out.lines().collect();
    let again = run("sort", &["--sort=random", &arg]).stdin(s).go();
    assert_eq!(again.out(), o.out());
    let mut groups = lines.clone();
    groups.dedup();
    assert_eq!(groups.len(), 3, "{lines:?}");
    lines.sort();
    assert_eq!(lines, ["a", "a", "b", "b", "b", "c"]);
    run("sort", &["-R", "-u", &arg]).stdin(s).go().code(0);
    run("sort", &["-R", "--random-source=no pe"])
        .stdin(s)
        .fails(2, "sort: open failed: 'no pe': No such file or directory\n");
}

// ---------------------------------------------------------------- uniq

const U: &str = "a\na\nb\nA\na\nc\nc\nc\nd\n";

#[test]
fn uniq_default_count_repeated_unique() {
    run("uniq", &[]).stdin(U).ok("a\nb\nA\na\nc\nd\n");
    run("uniq", &["-c"])
        .stdin(U)
        .ok("      2 a\n      1 b\n      1 A\n      1 a\n      3 c\n      1 d\n");
    run("uniq", &["-d"]).stdin(U).ok("a\nc\n");
    run("uniq", &["--repeated", "--count"])
        .stdin(U)
        .ok("      2 a\n      3 c\n");
    run("uniq", &["-u"]).stdin(U).ok("b\nA\na\nd\n");
    run("uniq", &["--unique", "-c"])
        .stdin(U)
        .ok("      1 b\n      1 A\n      1 a\n      1 d\n");
    run("uniq", &["-du"]).stdin(U).ok("");
    // Empty input, no final newline, NUL bytes and long lines.
    run("uniq", &[]).stdin("").ok("");
    run("uniq", &["-c"]).stdin("x\nx").ok("      2 x\n");
    run("uniq", &[]).stdin("x\nx\ny").ok("x\ny\n");
    run("uniq", &["-c"])
        .stdin(b"a\0b\na\0c\na\0c\n")
        .ok(b"      1 a\0b\n      2 a\0c\n");
    let long = "q".repeat(400_000);
    run("uniq", &["-c"])
        .stdin(format!("{long}\n{long}\n{long}x\n"))
        .ok(format!("      2 {long}\n      1 {long}x\n"));
    let many: String = (0..100_000).map(|i| format!("{}\n", i / 3)).collect();
    let o = run("uniq", &["-c"]).stdin(&many).go();
    assert_eq!(o.code, 0);
    assert_eq!(o.out().lines().count(), 33_334);
    assert_eq!(o.out().lines().last(), Some("      1 33333"));
}

#[test]
fn uniq_all_repeated_and_group() {
    run("uniq", &["-D"]).stdin(U).ok("a\na\nc\nc\nc\n");
    run("uniq", &["--all-repeated"])
        .stdin(U)
        .ok("a\na\nc\nc\nc\n");
    run("uniq", &["--all-repeated=none"])
        .stdin(U)
        .ok("a\na\nc\nc\nc\n");
    run("uniq", &["--all-repeated=prepend"])
        .stdin(U)
        .ok("\na\na\n\nc\nc\nc\n");
    run("uniq", &["--all-repeated=separate"])
        .stdin(U)
        .ok("a\na\n\nc\nc\nc\n");
    // -D -u: all repeated lines but the last of each group.
    run("uniq", &["-D", "-u"]).stdin(U).ok("a\nc\nc\n");
    run("uniq", &["--group"])
        .stdin(U)
        .ok("a\na\n\nb\n\nA\n\na\n\nc\nc\nc\n\nd\n");
    run("uniq", &["--group=separate"])
        .stdin(U)
        .ok("a\na\n\nb\n\nA\n\na\n\nc\nc\nc\n\nd\n");
    run("uniq", &["--group=prepend"])
        .stdin(U)
        .ok("\na\na\n\nb\n\nA\n\na\n\nc\nc\nc\n\nd\n");
    run("uniq", &["--group=append"])
        .stdin(U)
        .ok("a\na\n\nb\n\nA\n\na\n\nc\nc\nc\n\nd\n\n");
    run("uniq", &["--group=both"])
        .stdin(U)
        .ok("\na\na\n\nb\n\nA\n\na\n\nc\nc\nc\n\nd\n\n");
    run("uniq", &["-D", "-z"]).stdin(b"a\0a\0b\0").ok(b"a\0a\0");
    run("uniq", &["-Dc"]).stdin(U).fails(
        1,
        format!(
            "uniq: printing all duplicated lines and repeat counts is meaningless\n{UNIQ_USAGE}"
        ),
    );
    run("uniq", &["--group", "-c"]).stdin(U).fails(
        1,
        format!("uniq: --group is mutually exclusive with -c/-d/-D/-u\n{UNIQ_USAGE}"),
    );
    run("uniq", &["--group=x"]).stdin(U).fails(
        1,
        format!(
            "uniq: invalid argument 'x' for '--group'\nValid arguments are:\n  - 'prepend'\n  \
             - 'append'\n  - 'separate'\n  - 'both'\n{UNIQ_USAGE}"
        ),
    );
    run("uniq", &["--all-repeated=x"]).stdin(U).fails(
        1,
        format!(
            "uniq: invalid argument 'x' for '--all-repeated'\nValid arguments are:\n  \
             - 'none'\n  - 'prepend'\n  - 'separate'\n{UNIQ_USAGE}"
        ),
    );
}

#[test]
fn uniq_ignore_case_and_zero() {
    run("uniq", &["-i"]).stdin(U).ok("a\nb\nA\nc\nd\n");
    run("uniq", &["--ignore-case", "-c"])
        .stdin(U)
        .ok("      2 a\n      1 b\n      2 A\n      3 c\n      1 d\n");
    run("uniq", &["-id"]).stdin(U).ok("a\nA\nc\n");
    run("uniq", &["-iD"]).stdin(U).ok("a\na\nA\na\nc\nc\nc\n");
    run("uniq", &["-iu"]).stdin(U).ok("b\nd\n");
    // With -z a newline is part of the line.
    run("uniq", &["-z"])
        .stdin(b"a\nb\0a\nb\0a\0")
        .ok(b"a\nb\0a\0");
    run("uniq", &["--zero-terminated", "-c"])
        .stdin(b"x\0x")
        .ok(b"      2 x\0");
    run("uniq", &["-z"]).stdin(U).ok(format!("{U}\0"));
}

#[test]
fn uniq_skip_fields_chars_and_width() {
    let s = "x 1 a\ny 1 a\nx  2 a\n\tz 2 b\nw 2 b\nq\n";
    let t = |args: &[&str], want: &str| run("uniq", args).stdin(s).ok(want);
    t(&["-f1"], "x 1 a\nx  2 a\n\tz 2 b\nq\n");
    t(&["-f", "2"], "x 1 a\n\tz 2 b\nq\n");
    t(&["--skip-fields=3"], "x 1 a\n");
    t(
        &["-f1", "-c"],
        "      2 x 1 a\n      1 x  2 a\n      2 \tz 2 b\n      1 q\n",
    );
    t(&["-s2"], "x 1 a\nx  2 a\n\tz 2 b\nw 2 b\nq\n");
    t(&["--skip-chars=9"], "x 1 a\n");
    t(&["-w1"], "x 1 a\ny 1 a\nx  2 a\n\tz 2 b\nw 2 b\nq\n");
    t(&["--check-chars=0"], "x 1 a\n");
    t(&["-s2", "-w1"], "x 1 a\nx  2 a\nw 2 b\nq\n");
    t(&["-f1", "-s1"], "x 1 a\nx  2 a\n\tz 2 b\nq\n");
    t(&["-f", "99999999999999999999999"], "x 1 a\n");
    // Obsolete -N (fields) and +N (chars).
    t(&["-1"], "x 1 a\nx  2 a\n\tz 2 b\nq\n");
    t(&["+2"], "x 1 a\nx  2 a\n\tz 2 b\nw 2 b\nq\n");
    t(&["-1", "+1"], "x 1 a\nx  2 a\n\tz 2 b\nq\n");
    run("uniq", &["-w1", "-c"])
        .stdin(b"a\0b\na\0c\n")
        .ok(b"      2 a\0b\n");
    let e = |args: &[&str], msg: &str| {
        run("uniq", args)
            .stdin(s)
            .fails(1, format!("uniq: {msg}\n"));
    };
    e(&["-f", "x"], "x: invalid number of fields to skip");
    e(&["-s", "-1"], "-1: invalid number of bytes to skip");
    e(&["-s", ""], ": invalid number of bytes to skip");
    e(&["-w", "1k"], "1k: invalid number of bytes to compare");
}

#[test]
fn uniq_files_and_errors() {
    let d = Dir::new();
    d.write("in", U);
    d.run("uniq", &["in", "out"]).ok("");
    assert_eq!(d.read("out"), b"a\nb\nA\na\nc\nd\n");
    d.run("uniq", &["-c", "-", "out2"]).stdin("z\nz\n").ok("");
    assert_eq!(d.read("out2"), b"      2 z\n");
    d.run("uniq", &["in", "-"]).ok("a\nb\nA\na\nc\nd\n");
    d.run("uniq", &["nope"])
        .fails(1, "uniq: nope: No such file or directory\n");
    d.run("uniq", &["no pe"])
        .fails(1, "uniq: 'no pe': No such file or directory\n");
    d.run("uniq", &["in", "no/ x"])
        .fails(1, "uniq: 'no/ x': No such file or directory\n");
    d.run("uniq", &["."]).fails(1, "uniq: .: Is a directory\n");
    d.run("uniq", &["in", "out", "extra"])
        .fails(1, format!("uniq: extra operand 'extra'\n{UNIQ_USAGE}"));
    d.run("uniq", &["-Q"])
        .fails(1, format!("uniq: invalid option -- 'Q'\n{UNIQ_USAGE}"));
    d.run("uniq", &["-f"]).fails(
        1,
        format!("uniq: option requires an argument -- 'f'\n{UNIQ_USAGE}"),
    );
    d.run("uniq", &["in", "/dev/full"])
        .fails(1, "uniq: write error: No space left on device\n");
    if is_root() {
        eprintln!("SKIPPED uniq EACCES case: running as root");
    } else {
        d.write("secret", "x\n");
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(d.p("secret"), std::fs::Permissions::from_mode(0o000)).unwrap();
        d.run("uniq", &["secret"])
            .fails(1, "uniq: secret: Permission denied\n");
    }
}
