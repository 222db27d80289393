//! seq, md5sum/sha1sum/sha256sum/sha512sum, cksum, base64/base32, dd.
//! Expected results were checked against GNU coreutils 9.1.

use crate::harness::*;

// ---------- seq ----------

const SEQ_USAGE: &str = "Usage: seq [-w] [-s SEP] [-f FMT] [FIRST [INC]] LAST\n";

#[test]
fn seq_integers() {
    run("seq", &["3"]).ok("1\n2\n3\n");
    run("seq", &["2", "5"]).ok("2\n3\n4\n5\n");
    run("seq", &["1", "2", "10"]).ok("1\n3\n5\n7\n9\n");
    run("seq", &["10", "-3", "1"]).ok("10\n7\n4\n1\n");
    run("seq", &["-2", "-1", "-4"]).ok("-2\n-3\n-4\n");
    run("seq", &["--", "-1", "1"]).ok("-1\n0\n1\n");
    run("seq", &["+2", "+3"]).ok("2\n3\n");
    run("seq", &[" 3"]).ok("1\n2\n3\n");
    run("seq", &["1e2", "1e2", "3e2"]).ok("100\n200\n300\n");
    run("seq", &["0x10", "0x12"]).ok("16\n17\n18\n");
    // Empty ranges print nothing.
    run("seq", &["5", "1"]).ok("");
    run("seq", &["-3"]).ok("");
    run("seq", &["1", "-1", "1"]).ok("1\n");
    // Beyond 64 bits.
    run("seq", &["18446744073709551614", "18446744073709551616"])
        .ok("18446744073709551614\n18446744073709551615\n18446744073709551616\n");
    run("seq", &["99999999999999999999", "100000000000000000000"])
        .ok("99999999999999999999\n100000000000000000000\n");
    // A long run, checked by its length and ends.
    let o = run("seq", &["100000"]).go();
    assert_eq!(o.code, 0);
    assert_eq!(o.stdout.len(), 588895);
    assert!(o.out().starts_with("1\n2\n") && o.out().ends_with("\n99999\n100000\n"));
}

#[test]
fn seq_fractions() {
    run("seq", &["0", "0.1", "0.5"]).ok("0.0\n0.1\n0.2\n0.3\n0.4\n0.5\n");
    run("seq", &["1", "-0.5", "-1"]).ok("1.0\n0.5\n0.0\n-0.5\n-1.0\n");
    run("seq", &["1", "0.3", "2"]).ok("1.0\n1.3\n1.6\n1.9\n");
    run("seq", &["0.1", "0.1", "0.3"]).ok("0.1\n0.2\n0.3\n");
    run("seq", &["1.5", "3"]).ok("1.5\n2.5\n");
    run("seq", &[".5", "1.5"]).ok("0.5\n1.5\n");
    run("seq", &["1."]).ok("1\n");
    run("seq", &["1e-1", "0.05", "0.2"]).ok("0.10\n0.15\n0.20\n");
    run("seq", &["inf", "1"]).ok("");
}

#[test]
fn seq_separator_width_format() {
    run("seq", &["-s,", "5"]).ok("1,2,3,4,5\n");
    run("seq", &["-s", "", "3"]).ok("123\n");
    run("seq", &["-s", ": ", "-w", "9", "11"]).ok("09: 10: 11\n");
    run("seq", &["-s", "\\t", "3"]).ok("1\\t2\\t3\n");
    run("seq", &["--separator=-", "--equal-width", "9", "10"]).ok("09-10\n");
    run("seq", &["-w", "8", "11"]).ok("08\n09\n10\n11\n");
    run("seq", &["-w", "-1", "-1", "-3"]).ok("-1\n-2\n-3\n");
    run("seq", &["-w", "-1", "-1", "-10"]).ok("-01\n-02\n-03\n-04\n-05\n-06\n-07\n-08\n-09\n-10\n");
    run("seq", &["-w", "-2", "2"]).ok("-2\n-1\n00\n01\n02\n");
    run("seq", &["-w", "1.5", "0.25", "2.5"]).ok("1.50\n1.75\n2.00\n2.25\n2.50\n");
    run("seq", &["-w", "-0.5", "0.5", "1"]).ok("-0.5\n00.0\n00.5\n01.0\n");
    run("seq", &["-f", "%.2f", "1", "3"]).ok("1.00\n2.00\n3.00\n");
    run("seq", &["-f", "x%gy", "1", "0.5", "2"]).ok("x1y\nx1.5y\nx2y\n");
    run("seq", &["-f", "%05.1f", "1", "1.5", "4"]).ok("001.0\n002.5\n004.0\n");
    run("seq", &["-f", "%%%g%%", "2"]).ok("%1%\n%2%\n");
    run("seq", &["-f", "%-3g|", "2"]).ok("1  |\n2  |\n");
    run("seq", &["-f", "%+g", "-1", "1"]).ok("-1\n+0\n+1\n");
    run("seq", &["-f", "%e", "1", "2"]).ok("1.000000e+00\n2.000000e+00\n");
    run("seq", &["-f", "%G", "1e10", "1e10"]).ok("1E+10\n");
    run("seq", &["--format=%.1f", "2"]).ok("1.0\n2.0\n");
}

#[test]
fn seq_errors() {
    let u = |m: &str| format!("seq: {m}\n{SEQ_USAGE}");
    run("seq", &[]).fails(1, u("missing operand"));
    run("seq", &["1", "2", "3", "4"]).fails(1, u("extra operand '4'"));
    run("seq", &["a"]).fails(1, u("invalid floating point argument: 'a'"));
    run("seq", &["1", "a"]).fails(1, u("invalid floating point argument: 'a'"));
    run("seq", &[""]).fails(1, u("invalid floating point argument: ''"));
    run("seq", &["3 "]).fails(1, u("invalid floating point argument: '3 '"));
    run("seq", &["nan"]).fails(1, u("invalid 'not-a-number' argument: 'nan'"));
    // A zero step repeats FIRST (as BusyBox), or prints nothing past LAST.
    let d = Dir::new();
    d.sh("$B/seq 1 0 3 | head -n 3; $B/seq -w 1.5 0 3 | head -n 2")
        .ok("1\n1\n1\n1.5\n1.5\n");
    run("seq", &["3", "0", "1"]).ok("");
    run("seq", &["3", "-0", "1"]).ok("");
    run("seq", &["-q"]).fails(1, u("invalid option -- 'q'"));
    run("seq", &["-s"]).fails(1, u("option requires an argument -- 's'"));
    run("seq", &["-f"]).fails(1, u("option requires an argument -- 'f'"));
    run("seq", &["-f", "%d", "1"]).fails(1, "seq: format '%d' has unknown %d directive\n");
    run("seq", &["-f", "%g %g", "1"]).fails(1, "seq: format '%g %g' has too many % directives\n");
    run("seq", &["-f", "abc", "1"]).fails(1, "seq: format 'abc' has no % directive\n");
}

// ---------- md5sum, sha1sum, sha256sum, sha512sum ----------

const SIZES: [usize; 9] = [0, 55, 56, 63, 64, 111, 112, 127, 128];

/// Files a0, a55, ... of that many 'a' bytes (block and padding edges of
/// the 64- and 128-byte block algorithms).
fn sized_files(d: &Dir) -> Vec<String> {
    SIZES
        .iter()
        .map(|&n| {
            let name = format!("a{n}");
            d.write(&name, "a".repeat(n));
            name
        })
        .collect()
}

fn check_known(applet: &str, digests: [&str; 9]) {
    let d = Dir::new();
    let names = sized_files(&d);
    let args: Vec<&str> = names.iter().map(|s| s.as_str()).collect();
    let want: String = digests
        .iter()
        .zip(&names)
        .map(|(h, n)| format!("{h}  {n}\n"))
        .collect();
    d.run(applet, &args).ok(want);
    // The same through standard input, in one piece.
    let big = "a".repeat(128);
    run(applet, &[])
        .stdin(&big)
        .ok(format!("{}  -\n", digests[8]));
    run(applet, &["-"])
        .stdin("")
        .ok(format!("{}  -\n", digests[0]));
}

#[test]
fn md5sum_known_digests() {
    check_known(
        "md5sum",
        [
            "d41d8cd98f00b204e9800998ecf8427e",
            "ef1772b6dff9a122358552954ad0df65",
            "3b0c8ac703f828b04c6c197006d17218",
            "b06521f39153d618550606be297466d5",
            "014842d480b571495a4a0363793f7367",
            "089f243d1e831c5879aa375ee364a06e",
            "9146ef3527c7cfcc66dc615c3986e391",
            "020406e1d05cdc2aa287641f7ae2cc39",
            "e510683b3f5ffe4093d021808bc6ff70",
        ],
    );
    run("md5sum", &[])
        .stdin("abc")
        .ok("900150983cd24fb0d6963f7d28e17f72  -\n");
}

#[test]
fn sha1sum_known_digests() {
    check_known(
        "sha1sum",
        [
            "da39a3ee5e6b4b0d3255bfef95601890afd80709",
            "c1c8bbdc22796e28c0e15163d20899b65621d65a",
            "c2db330f6083854c99d4b5bfb6e8f29f201be699",
            "03f09f5b158a7a8cdad920bddc29b81c18a551f5",
            "0098ba824b5c16427bd7a1122a5a442a25ec644d",
            "ac877859d427d9192054eea8feb3b8a403ef83a5",
            "689993727ba37386bb032495e9dbdfb4dd1ba744",
            "89d95fa32ed44a7c610b7ee38517ddf57e0bb975",
            "ad5b3fdbcb526778c2839d2f151ea753995e26a0",
        ],
    );
    run("sha1sum", &[])
        .stdin("abc")
        .ok("a9993e364706816aba3e25717850c26c9cd0d89d  -\n");
}

#[test]
fn sha256sum_known_digests() {
    check_known(
        "sha256sum",
        [
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318",
            "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a",
            "7d3e74a05d7db15bce4ad9ec0658ea98e3f06eeecf16b4c6fff2da457ddc2f34",
            "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb",
            "6374f73208854473827f6f6a3f43b1f53eaa3b82c21c1a6d69a2110b2a79baad",
            "f54353008a2553262ecdc4a34749563ba0950e8b0fc8652780b0a614b99683c1",
            "c57e9278af78fa3cab38667bef4ce29d783787a2f731d4e12200270f0c32320a",
            "6836cf13bac400e9105071cd6af47084dfacad4e5e302c94bfed24e013afb73e",
        ],
    );
    run("sha256sum", &[])
        .stdin("abc")
        .ok("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad  -\n");
}

#[test]
fn sha512sum_known_digests() {
    check_known(
        "sha512sum",
        [
            "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e",
            "b0220c772cbf6c1822e2cb38a437d0e1d58772417a4bbb21c961364f8b6143e05aa6316dca8d1d7b19e16448419076395f6086cb55101fbd6d5497b148e1745f",
            "962b64aae357d2a4fee3ded8b539bdc9d325081822b0bfc55583133aab44f18bafe11d72a7ae16c79ce2ba620ae2242d5144809161945f1367f41b3972e26e04",
            "c1b0f5c6d3b03dfe4a2602e67242f54e344090b66e01100a469b129f583f016c7e27dddeaa438393dcc7ec54b0b57c9ba7af007f9b56db5f6fb677d972a31362",
            "01d35c10c6c38c2dcf48f7eebb3235fb5ad74a65ec4cd016e2354c637a8fb49b695ef3c1d6f7ae4cd74d78cc9c9bcac9d4f23a73019998a7f73038a5c9b2dbde",
            "fa9121c7b32b9e01733d034cfc78cbf67f926c7ed83e82200ef86818196921760b4beff48404df811b953828274461673c68d04e297b0eb7b2b4d60fc6b566a2",
            "c01d080efd492776a1c43bd23dd99d0a2e626d481e16782e75d54c2503b5dc32bd05f0f1ba33e568b88fd2d970929b719ecbb152f58f130a407c8830604b70ca",
            "828613968b501dc00a97e08c73b118aa8876c26b8aac93df128502ab360f91bab50a51e088769a5c1eff4782ace147dce3642554199876374291f5d921629502",
            "b73d1929aa615934e61a871596b3f3b33359f42b8175602e89f7e06e5f658a243667807ed300314b95cacdd579f3e33abdfbe351909519a846d465c59582f321",
        ],
    );
}

#[test]
fn hashsum_big_input_matches_across_read_sizes() {
    // 3 MB in one file and through a pipe must agree (the file is read in
    // big blocks, the pipe in whatever pieces arrive).
    let d = Dir::new();
    let data: Vec<u8> = (0..3_000_000u32).map(|i| (i * 7 % 251) as u8).collect();
    d.write("big", &data);
    for applet in ["md5sum", "sha1sum", "sha256sum", "sha512sum"] {
        let f = d.run(applet, &["big"]).go();
        assert_eq!(f.code, 0);
        let p = run(applet, &[]).stdin(&data).go();
        let hex = f.out().split(' ').next().unwrap_or("").to_string();
        assert_eq!(p.out(), format!("{hex}  -\n"), "{applet}");
    }
}

#[test]
fn hashsum_output_forms() {
    let d = Dir::new();
    d.write("abc", "abc");
    d.write("new\nline", "x\ny");
    d.write("back\\slash", "z");
    d.write("nul", "a\0b\n");
    let abc = "900150983cd24fb0d6963f7d28e17f72";
    d.run("md5sum", &["abc"]).ok(format!("{abc}  abc\n"));
    d.run("md5sum", &["-b", "abc"]).ok(format!("{abc} *abc\n"));
    d.run("md5sum", &["--binary", "-t", "abc"])
        .ok(format!("{abc}  abc\n"));
    d.run("md5sum", &["--tag", "abc"])
        .ok(format!("MD5 (abc) = {abc}\n"));
    d.run("md5sum", &["--tag", "-b", "abc"])
        .ok(format!("MD5 (abc) = {abc}\n"));
    d.run("sha1sum", &["--tag", "abc"])
        .ok("SHA1 (abc) = a9993e364706816aba3e25717850c26c9cd0d89d\n");
    d.run("sha256sum", &["--tag", "abc"])
        .ok("SHA256 (abc) = ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad\n");
    d.run("sha512sum", &["--tag", "nul"]).ok("SHA512 (nul) = 2c14c1fd4f3965c3a5989346e13c5625d0a731ec830a638922b31d8c718ffd8cf911f092d98c7ebfbfdee08cfc41cbf4dcb66d04ffa5df32b4e38380ce86d5c4\n");
    // Names with a newline or backslash are escaped behind a leading `\`.
    d.run("md5sum", &["new\nline", "back\\slash"])
        .ok("\\16151ff14c884e2d18c9903202288ba0  new\\nline\n\
         \\fbade9e36a3f36d3d676c1b808451dd7  back\\\\slash\n");
    d.run("md5sum", &["--tag", "new\nline"])
        .ok("\\MD5 (new\\nline) = 16151ff14c884e2d18c9903202288ba0\n");
    // -z: NUL-terminated lines, no escaping.
    d.run("md5sum", &["-z", "abc", "new\nline"]).ok(format!(
        "{abc}  abc\016151ff14c884e2d18c9903202288ba0  new\nline\0"
    ));
    run("md5sum", &["-z", "-"])
        .stdin("abc")
        .ok(format!("{abc}  -\0"));
}

#[test]
fn hashsum_errors() {
    let d = Dir::new();
    d.write("abc", "abc");
    let u = "Usage: md5sum [-bctwz] [--tag] [FILE]...\n";
    d.run("md5sum", &["missing", "abc"]).go().expect(
        1,
        b"900150983cd24fb0d6963f7d28e17f72  abc\n",
        b"md5sum: missing: No such file or directory\n",
    );
    d.run("sha256sum", &["."])
        .fails(1, "sha256sum: .: Is a directory\n");
    d.run("md5sum", &["-x"])
        .fails(1, format!("md5sum: invalid option -- 'x'\n{u}"));
    d.run("md5sum", &["--bogus"])
        .fails(1, format!("md5sum: unrecognized option '--bogus'\n{u}"));
    d.run("md5sum", &["--tag", "-c", "abc"]).fails(
        1,
        format!("md5sum: the --tag option is meaningless when verifying checksums\n{u}"),
    );
    d.run("md5sum", &["-z", "-c", "abc"]).fails(
        1,
        format!("md5sum: the --zero option is not supported when verifying checksums\n{u}"),
    );
    d.run("sha1sum", &["-q"]).fails(
        1,
        "sha1sum: invalid option -- 'q'\nUsage: sha1sum [-bctwz] [--tag] [FILE]...\n",
    );
}

/// A directory with files abc, h, empty and the check lists used below.
fn check_dir() -> Dir {
    let d = Dir::new();
    d.write("abc", "abc");
    d.write("h", "hello\n");
    d.write("empty", "");
    let abc = "900150983cd24fb0d6963f7d28e17f72";
    let h = "b1946ac92492d2347c6235b4d2611184";
    let e = "d41d8cd98f00b204e9800998ecf8427e";
    d.write("good", format!("{abc}  abc\n{h}  h\n{e}  empty\n"));
    d.write(
        "bad",
        format!("000150983cd24fb0d6963f7d28e17f72  abc\n{h}  h\n"),
    );
    d.write(
        "mixed",
        format!("{abc}  abc\n{h}  h\n{e}  empty\ngarbage line\n{e}  gone\n"),
    );
    d
}

#[test]
fn hashsum_check_results() {
    let d = check_dir();
    d.run("md5sum", &["-c", "good"])
        .ok("abc: OK\nh: OK\nempty: OK\n");
    d.run("md5sum", &["--check", "bad"]).go().expect(
        1,
        b"abc: FAILED\nh: OK\n",
        b"md5sum: WARNING: 1 computed checksum did NOT match\n",
    );
    d.run("md5sum", &["-c", "mixed"]).go().expect(
        1,
        b"abc: OK\nh: OK\nempty: OK\ngone: FAILED open or read\n",
        b"md5sum: gone: No such file or directory\n\
md5sum: WARNING: 1 line is improperly formatted\n\
md5sum: WARNING: 1 listed file could not be read\n",
    );
    // Several lists add up.
    d.run("md5sum", &["-c", "good", "bad"]).go().expect(
        1,
        b"abc: OK\nh: OK\nempty: OK\nabc: FAILED\nh: OK\n",
        b"md5sum: WARNING: 1 computed checksum did NOT match\n",
    );
    // The list from standard input.
    let mut r = run("md5sum", &["-c", "-"]).stdin("900150983cd24fb0d6963f7d28e17f72  abc\n");
    r.cmd.current_dir(&d.path);
    r.ok("abc: OK\n");
}

#[test]
fn hashsum_check_verbosity() {
    let d = check_dir();
    d.run("md5sum", &["-c", "--quiet", "good"]).ok("");
    d.run("md5sum", &["-c", "--quiet", "bad"]).go().expect(
        1,
        b"abc: FAILED\n",
        b"md5sum: WARNING: 1 computed checksum did NOT match\n",
    );
    d.run("md5sum", &["-c", "--status", "good"]).ok("");
    d.run("md5sum", &["-c", "--status", "bad"]).fails(1, "");
    // --status still reports unreadable files.
    d.run("md5sum", &["-c", "--status", "mixed"])
        .fails(1, "md5sum: gone: No such file or directory\n");
    // The last of --status/--quiet wins.
    d.run("md5sum", &["-c", "--quiet", "--status", "bad"])
        .fails(1, "");
    d.run("md5sum", &["-c", "--status", "--quiet", "bad"])
        .go()
        .expect(
            1,
            b"abc: FAILED\n",
            b"md5sum: WARNING: 1 computed checksum did NOT match\n",
        );
    // -w names each bad line.
    d.run("md5sum", &["-c", "-w", "mixed"]).go().expect(
        1,
        b"abc: OK\nh: OK\nempty: OK\ngone: FAILED open or read\n",
        b"md5sum: mixed: 4: improperly formatted MD5 checksum line\n\
md5sum: gone: No such file or directory\n\
md5sum: WARNING: 1 line is improperly formatted\n\
md5sum: WARNING: 1 listed file could not be read\n",
    );
}

#[test]
fn hashsum_check_strict_and_missing() {
    let d = check_dir();
    let abc = "900150983cd24fb0d6963f7d28e17f72";
    d.write("strict", format!("{abc}  abc\nbad\n"));
    // Improperly formatted lines alone do not fail, unless --strict.
    d.run("md5sum", &["-c", "strict"]).go().expect(
        0,
        b"abc: OK\n",
        b"md5sum: WARNING: 1 line is improperly formatted\n",
    );
    d.run("md5sum", &["-c", "--strict", "strict"]).go().expect(
        1,
        b"abc: OK\n",
        b"md5sum: WARNING: 1 line is improperly formatted\n",
    );
    d.write("gonelist", "d41d8cd98f00b204e9800998ecf8427e  gone\n");
    d.run("md5sum", &["-c", "gonelist"]).go().expect(
        1,
        b"gone: FAILED open or read\n",
        b"md5sum: gone: No such file or directory\n\
md5sum: WARNING: 1 listed file could not be read\n",
    );
    d.run("md5sum", &["-c", "--ignore-missing", "gonelist"])
        .fails(1, "md5sum: gonelist: no file was verified\n");
    d.run("md5sum", &["-c", "--ignore-missing", "mixed"])
        .go()
        .expect(
            0,
            b"abc: OK\nh: OK\nempty: OK\n",
            b"md5sum: WARNING: 1 line is improperly formatted\n",
        );
    d.run("md5sum", &["-c", "nolist"])
        .fails(1, "md5sum: nolist: No such file or directory\n");
}

#[test]
fn hashsum_check_formats() {
    let d = check_dir();
    let abc = "900150983cd24fb0d6963f7d28e17f72";
    // BSD-style tags, binary markers, upper-case hex and CRLF endings.
    d.write(
        "tag",
        format!("MD5 (abc) = {abc}\nMD5 (h) = b1946ac92492d2347c6235b4d2611184\n"),
    );
    d.run("md5sum", &["-c", "tag"]).ok("abc: OK\nh: OK\n");
    d.write("bin", format!("{abc} *abc\n"));
    d.run("md5sum", &["-c", "bin"]).ok("abc: OK\n");
    d.write("crlf", "900150983CD24FB0D6963F7D28E17F72  abc\r\n");
    d.run("md5sum", &["-c", "crlf"]).ok("abc: OK\n");
    // Escaped names are unescaped, and the escape shown again.
    d.write("new\nline", "x\ny");
    d.write("back\\slash", "z");
    d.write(
        "esc",
        "\\af5b2e48be4c5366f9bafaddcb4e4fd70815d2e3  new\\nline\n\
         \\395df8f7c51f007019cb30201c49e884b46b92fa  back\\\\slash\n",
    );
    d.run("sha1sum", &["-c", "esc"])
        .ok("\\new\\nline: OK\nback\\slash: OK\n");
    // No usable line at all.
    d.write("junk", "junk\nmore junk\n");
    d.run("md5sum", &["-c", "junk"]).fails(
        1,
        "md5sum: junk: no properly formatted checksum lines found\n",
    );
    d.write("emptylist", "");
    d.run("md5sum", &["-c", "emptylist"]).fails(
        1,
        "md5sum: emptylist: no properly formatted checksum lines found\n",
    );
    d.write("short", "900150983cd24fb0d6963f7d28e17f7  abc\n");
    d.run("md5sum", &["-c", "short"]).fails(
        1,
        "md5sum: short: no properly formatted checksum lines found\n",
    );
    // Another algorithm's tags are not ours.
    d.write(
        "sha1tag",
        "SHA1 (abc) = a9993e364706816aba3e25717850c26c9cd0d89d\n",
    );
    d.run("md5sum", &["-c", "sha1tag"]).fails(
        1,
        "md5sum: sha1tag: no properly formatted checksum lines found\n",
    );
    d.run("sha1sum", &["-c", "sha1tag"]).ok("abc: OK\n");
}

// ---------- cksum ----------

#[test]
fn cksum_crc() {
    let d = Dir::new();
    d.write("abc", "abc");
    d.write("empty", "");
    d.write("h", "hello\n");
    d.write("nul", "a\0b\n");
    d.write("a1000", "a".repeat(1000));
    d.run("cksum", &["abc", "empty", "h", "nul", "a1000"]).ok(
        "1219131554 3 abc\n4294967295 0 empty\n3015617425 6 h\n3295467820 4 nul\n\
145108180 1000 a1000\n",
    );
    run("cksum", &[]).stdin("").ok("4294967295 0\n");
    run("cksum", &[]).stdin("abc").ok("1219131554 3\n");
    run("cksum", &["-"]).stdin("abc").ok("1219131554 3 -\n");
    d.run("cksum", &["missing", "abc"]).go().expect(
        1,
        b"1219131554 3 abc\n",
        b"cksum: missing: No such file or directory\n",
    );
    d.run("cksum", &["-x"]).fails(
        1,
        "cksum: invalid option -- 'x'\n\
Usage: cksum [-z] [-a ALGORITHM] [--untagged] [FILE]...\n",
    );
}

#[test]
fn cksum_algorithms() {
    let d = Dir::new();
    d.write("abc", "abc");
    d.write("h", "hello\n");
    d.run("cksum", &["-a", "bsd", "abc", "h"])
        .ok("16556     1 abc\n36979     1 h\n");
    d.run("cksum", &["-a", "sysv", "abc", "h"])
        .ok("294 1 abc\n542 1 h\n");
    d.run("cksum", &["-a", "crc", "--tag", "abc"])
        .ok("1219131554 3 abc\n");
    d.run("cksum", &["-a", "md5", "abc"])
        .ok("MD5 (abc) = 900150983cd24fb0d6963f7d28e17f72\n");
    d.run("cksum", &["--algorithm=sha1", "abc"])
        .ok("SHA1 (abc) = a9993e364706816aba3e25717850c26c9cd0d89d\n");
    d.run("cksum", &["-a", "sha256", "--untagged", "abc"])
        .ok("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad  abc\n");
    d.run("cksum", &["-a", "md5", "-z", "abc"])
        .ok("MD5 (abc) = 900150983cd24fb0d6963f7d28e17f72\0");
    d.run("cksum", &["-a", "foo", "abc"]).fails(
        1,
        "cksum: invalid argument 'foo' for '--algorithm'\nValid arguments are:\n  - 'bsd'\n  - 'sysv'\n  - 'crc'\n  - 'md5'\n  - 'sha1'\n  - 'sha256'\n  - 'sha512'\n\
Usage: cksum [-z] [-a ALGORITHM] [--untagged] [FILE]...\n",
    );
}

// ---------- base64, base32 ----------

#[test]
fn base64_encode_and_wrap() {
    let d = Dir::new();
    d.write("abc", "abc");
    d.write("a55", "a".repeat(55));
    run("base64", &[]).stdin("abc").ok("YWJj\n");
    run("base64", &[]).stdin("ab").ok("YWI=\n");
    run("base64", &[]).stdin("a").ok("YQ==\n");
    run("base64", &[]).stdin("").ok("");
    run("base64", &[]).stdin(b"\0\x01\x02\xff").ok("AAEC/w==\n");
    d.run("base64", &["abc"]).ok("YWJj\n");
    let full = "YWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYQ==";
    d.run("base64", &["a55"]).ok(format!("{full}\n"));
    // Default wrap at 76 columns.
    let o = run("base64", &[]).stdin("a".repeat(120)).go();
    let lens: Vec<usize> = o.stdout.split(|&b| b == b'\n').map(|l| l.len()).collect();
    assert_eq!((o.code, lens), (0, vec![76, 76, 8, 0]));
    d.run("base64", &["-w", "10", "a55"]).ok(
        "YWFhYWFhYW\nFhYWFhYWFh\nYWFhYWFhYW\nFhYWFhYWFh\nYWFhYWFhYW\nFhYWFhYWFh\nYWFhYWFhYW\nFhYQ==\n",
    );
    d.run("base64", &["-w0", "a55"]).ok(full);
    d.run("base64", &["--wrap=4", "abc"]).ok("YWJj\n");
    d.run("base64", &["-w", "1", "abc"]).ok("Y\nW\nJ\nj\n");
}

#[test]
fn base64_decode() {
    run("base64", &["-d"]).stdin("YWJj").ok("abc");
    run("base64", &["-d"]).stdin("YWJj\n").ok("abc");
    run("base64", &["--decode"]).stdin("YWI=\n").ok("ab");
    run("base64", &["-d"]).stdin("YQ==").ok("a");
    run("base64", &["-d"]).stdin("YW\nJj\n").ok("abc");
    run("base64", &["-d"]).stdin("YQ==YWJj").ok("aabc");
    run("base64", &["-d"]).stdin("").ok("");
    run("base64", &["-d"]).stdin("\n\n").ok("");
    run("base64", &["-d"])
        .stdin("AAEC/w==")
        .ok(b"\0\x01\x02\xff");
    // -i skips bytes outside the alphabet.
    run("base64", &["-d", "-i"]).stdin("Y*W!J j\r\n").ok("abc");
    run("base64", &["--decode", "--ignore-garbage"])
        .stdin("YW*Jj")
        .ok("abc");
    // Round trip of every byte value.
    let all: Vec<u8> = (0..=255u8).cycle().take(5000).collect();
    let enc = run("base64", &[]).stdin(&all).go();
    run("base64", &["-d"]).stdin(&enc.stdout).ok(&all);
}

#[test]
fn base64_errors() {
    let d = Dir::new();
    d.write("abc", "abc");
    let bad = "base64: invalid input\n";
    run("base64", &["-d"]).stdin("Y").fails(1, bad);
    run("base64", &["-d"])
        .stdin("YQ=\n")
        .go()
        .expect(1, b"a", bad.as_bytes());
    run("base64", &["-d"])
        .stdin("YQ===")
        .go()
        .expect(1, b"a", bad.as_bytes());
    // An unpadded final group is decoded, then reported.
    run("base64", &["-d"])
        .stdin("YWI")
        .go()
        .expect(1, b"ab", bad.as_bytes());
    run("base64", &["-d"]).stdin("====").fails(1, bad);
    run("base64", &["-d"]).stdin("-_-_").fails(1, bad);
    // What decoded before the bad byte is written.
    run("base64", &["-d"])
        .stdin("YW Jj")
        .go()
        .expect(1, b"a", bad.as_bytes());
    run("base64", &["-d"])
        .stdin("YWJj*")
        .go()
        .expect(1, b"abc", bad.as_bytes());
    run("base64", &["-d"])
        .stdin("YWJjY")
        .go()
        .expect(1, b"abc", bad.as_bytes());
    d.run("base64", &["missing"])
        .fails(1, "base64: missing: No such file or directory\n");
    d.run("base64", &["-d", "missing"])
        .fails(1, "base64: missing: No such file or directory\n");
    d.run("base64", &["."])
        .fails(1, "base64: read error: Is a directory\n");
    d.run("base64", &["-w", "x", "abc"])
        .fails(1, "base64: invalid wrap size: 'x'\n");
    d.run("base64", &["-w", "-1", "abc"])
        .fails(1, "base64: invalid wrap size: '-1'\n");
    let u = "Usage: base64 [-di] [-w COLS] [FILE]\n";
    d.run("base64", &["abc", "abc"])
        .fails(1, format!("base64: extra operand 'abc'\n{u}"));
    d.run("base64", &["-x"])
        .fails(1, format!("base64: invalid option -- 'x'\n{u}"));
}

#[test]
fn base32_encode_decode() {
    run("base32", &[]).stdin("abc").ok("MFRGG===\n");
    run("base32", &[]).stdin("foobar").ok("MZXW6YTBOI======\n");
    run("base32", &[]).stdin("").ok("");
    run("base32", &["-w", "4"])
        .stdin("foobar")
        .ok("MZXW\n6YTB\nOI==\n====\n");
    run("base32", &["-w0"])
        .stdin("a".repeat(50))
        .ok("MFQWCYLBMFQWCYLBMFQWCYLBMFQWCYLBMFQWCYLBMFQWCYLBMFQWCYLBMFQWCYLBMFQWCYLBMFQWCYLB");
    run("base32", &["-d"]).stdin("MFRGG===\n").ok("abc");
    run("base32", &["-d"]).stdin("MFR\nGG===\n").ok("abc");
    run("base32", &["-d"])
        .stdin("MFRGG===MFRGG===")
        .ok("abcabc");
    run("base32", &["-d"])
        .stdin("MFRGGZDFMZTWQ2LK")
        .ok("abcdefghij");
    run("base32", &["-d", "-i"]).stdin("MFR-GG=== \n").ok("abc");
    let bad = "base32: invalid input\n";
    run("base32", &["-d"]).stdin("MFRG").fails(1, bad);
    run("base32", &["-d"]).stdin("mfrgg===").fails(1, bad);
    run("base32", &["-d"]).stdin("========").fails(1, bad);
    run("base32", &["-d"])
        .stdin("MFRGG===M")
        .go()
        .expect(1, b"abc", bad.as_bytes());
    run("base32", &["-d"])
        .stdin("MFRGG=== ")
        .go()
        .expect(1, b"abc", bad.as_bytes());
    run("base32", &["-x"]).fails(
        1,
        "base32: invalid option -- 'x'\nUsage: base32 [-di] [-w COLS] [FILE]\n",
    );
}

// ---------- dd ----------

/// Replace the timing part of GNU's last statistics line
/// (`N bytes ... copied, T s, R/s`) by `copied, T`.
fn mask_time(err: &str) -> String {
    err.lines()
        .map(|l| match l.find(" copied, ") {
            Some(i) => format!("{} copied, T\n", &l[..i]),
            None => format!("{l}\n"),
        })
        .collect()
}

#[test]
fn dd_statistics() {
    let d = Dir::new();
    d.write("abc", "abc");
    d.write("k", "x".repeat(2048));
    let o = d.run("dd", &["if=abc"]).go();
    assert_eq!((o.code, o.out()), (0, "abc".into()));
    assert_eq!(
        mask_time(&o.err()),
        "0+1 records in\n0+1 records out\n3 bytes copied, T\n"
    );
    // The time part itself: `T s, R/s`.
    let last = o.err().lines().last().unwrap_or("").to_string();
    let t = last.split(" copied, ").nth(1).unwrap_or("");
    assert!(t.contains(" s, ") && t.ends_with("B/s"), "{last}");
    let o = d.run("dd", &["if=k", "of=out"]).go();
    assert_eq!(
        mask_time(&o.err()),
        "4+0 records in\n4+0 records out\n2048 bytes (2.0 kB, 2.0 KiB) copied, T\n"
    );
    let o = d.run("dd", &["if=k", "of=out", "bs=1000", "count=1"]).go();
    assert_eq!(
        mask_time(&o.err()),
        "1+0 records in\n1+0 records out\n1000 bytes (1.0 kB) copied, T\n"
    );
    let o = d.run("dd", &["if=abc", "bs=1", "count=1", "of=out"]).go();
    assert_eq!(
        mask_time(&o.err()),
        "1+0 records in\n1+0 records out\n1 byte copied, T\n"
    );
    d.run("dd", &["if=abc", "status=none"]).ok("abc");
    d.run("dd", &["if=abc", "status=noxfer"]).go().expect(
        0,
        b"abc",
        b"0+1 records in\n0+1 records out\n",
    );
    // status=progress prints no progress line for a quick copy.
    let o = d.run("dd", &["if=abc", "status=progress"]).go();
    assert_eq!(
        mask_time(&o.err()),
        "0+1 records in\n0+1 records out\n3 bytes copied, T\n"
    );
    run("dd", &["status=noxfer"]).stdin("").go().expect(
        0,
        b"",
        b"0+0 records in\n0+0 records out\n",
    );
}

#[test]
fn dd_block_sizes_count_skip() {
    let d = Dir::new();
    let nums: String = (1..=2000).map(|i| format!("{i}\n")).collect();
    d.write("nums", &nums);
    let nb = nums.as_bytes();
    let q = |args: &[&str], out: &[u8], err: &str| {
        let mut a = args.to_vec();
        a.push("status=noxfer");
        d.run("dd", &a).go().expect(0, out, err.as_bytes());
    };
    q(
        &["if=nums", "bs=100", "count=3"],
        &nb[..300],
        "3+0 records in\n3+0 records out\n",
    );
    // Leading blanks in a number are allowed, as strtoul allows them.
    q(
        &["if=nums", "bs= 100", "count= 2x1"],
        &nb[..200],
        "2+0 records in\n2+0 records out\n",
    );
    q(
        &["if=nums", "ibs=7", "obs=10", "count=5"],
        &nb[..35],
        "5+0 records in\n3+1 records out\n",
    );
    q(
        &["if=nums", "bs=5", "skip=2", "count=2"],
        &nb[10..20],
        "2+0 records in\n2+0 records out\n",
    );
    q(
        &[
            "if=nums",
            "bs=1",
            "skip=3",
            "count=5",
            "iflag=skip_bytes,count_bytes",
        ],
        &nb[3..8],
        "5+0 records in\n5+0 records out\n",
    );
    q(
        &["if=nums", "bs=4", "count=10", "iflag=count_bytes"],
        &nb[..10],
        "2+1 records in\n2+1 records out\n",
    );
    q(
        &["if=nums", "ibs=1K", "count=1"],
        &nb[..1024],
        "1+0 records in\n2+0 records out\n",
    );
    q(
        &["if=nums", "bs=2x3", "count=2"],
        &nb[..12],
        "2+0 records in\n2+0 records out\n",
    );
    q(
        &["if=nums", "bs=1w", "count=1"],
        &nb[..2],
        "1+0 records in\n1+0 records out\n",
    );
    q(
        &["if=nums", "bs=1b", "count=1"],
        &nb[..512],
        "1+0 records in\n1+0 records out\n",
    );
    // Skipping past the end.
    d.run("dd", &["if=nums", "bs=1M", "skip=1", "status=noxfer"])
        .go()
        .expect(
            0,
            b"",
            b"dd: nums: cannot skip to specified offset\n0+0 records in\n0+0 records out\n",
        );
    // Skip on a pipe reads and discards.
    run("dd", &["bs=2", "skip=2", "status=none"])
        .stdin("abcdefg")
        .ok("efg");
}

#[test]
fn dd_output_files_seek_notrunc() {
    let d = Dir::new();
    d.write("abc", "abc");
    d.write("o", "0123456789");
    d.run("dd", &["if=abc", "of=o", "status=none"]).ok("");
    assert_eq!(d.read("o"), b"abc");
    d.write("o", "0123456789");
    d.run("dd", &["if=abc", "of=o", "conv=notrunc", "status=none"])
        .ok("");
    assert_eq!(d.read("o"), b"abc3456789");
    d.write("o", "0123456789");
    d.run("dd", &["if=abc", "of=o", "bs=2", "seek=1", "status=none"])
        .ok("");
    assert_eq!(d.read("o"), b"01abc");
    d.write("o", "0123456789");
    d.run(
        "dd",
        &[
            "if=abc",
            "of=o",
            "bs=2",
            "seek=1",
            "conv=notrunc",
            "status=none",
        ],
    )
    .ok("");
    assert_eq!(d.read("o"), b"01abc56789");
    d.write("o", "0123456789");
    d.run(
        "dd",
        &[
            "if=abc",
            "of=o",
            "seek=3",
            "oflag=seek_bytes",
            "conv=notrunc",
            "status=none",
        ],
    )
    .ok("");
    assert_eq!(d.read("o"), b"012abc6789");
    // Seeking past the end leaves a hole of zeros.
    d.run(
        "dd",
        &["if=abc", "of=hole", "bs=4", "seek=1", "status=none"],
    )
    .ok("");
    assert_eq!(d.read("hole"), b"\0\0\0\0abc");
    // oflag=append (without notrunc the file is truncated first, as GNU).
    d.write("o", "012");
    d.run(
        "dd",
        &[
            "if=abc",
            "of=o",
            "oflag=append",
            "conv=notrunc",
            "status=none",
        ],
    )
    .ok("");
    assert_eq!(d.read("o"), b"012abc");
    d.run("dd", &["if=abc", "of=o", "oflag=append", "status=none"])
        .fails(0, "dd: you probably want conv=notrunc with oflag=append\n");
    assert_eq!(d.read("o"), b"abc");
    // excl, nocreat.
    d.run("dd", &["if=abc", "of=o", "conv=excl"])
        .fails(1, "dd: failed to open 'o': File exists\n");
    d.run("dd", &["if=abc", "of=new", "conv=excl", "status=none"])
        .ok("");
    assert_eq!(d.read("new"), b"abc");
    d.run("dd", &["if=abc", "of=nope", "conv=nocreat"])
        .fails(1, "dd: failed to open 'nope': No such file or directory\n");
    assert!(!d.exists("nope"));
    d.run(
        "dd",
        &["if=abc", "of=o", "conv=nocreat,fsync", "status=none"],
    )
    .ok("");
    d.run(
        "dd",
        &[
            "if=abc",
            "of=o2",
            "conv=fdatasync",
            "oflag=sync",
            "status=none",
        ],
    )
    .ok("");
    assert_eq!(d.read("o2"), b"abc");
    d.run(
        "dd",
        &[
            "if=abc",
            "of=o3",
            "oflag=dsync",
            "iflag=nocache",
            "status=none",
        ],
    )
    .ok("");
    assert_eq!(d.read("o3"), b"abc");
}

#[test]
fn dd_conversions() {
    let d = Dir::new();
    d.write("mix", "Hello, World 123\n");
    let q = |args: &[&str], out: &[u8]| {
        let mut a = vec!["if=mix", "status=none"];
        a.extend_from_slice(args);
        d.run("dd", &a).ok(out);
    };
    q(&["conv=ucase"], b"HELLO, WORLD 123\n");
    q(&["conv=lcase"], b"hello, world 123\n");
    q(&["conv=swab"], b"eHll,oW rodl1 32\n");
    q(&["bs=8", "count=1", "conv=sync"], b"Hello, W");
    q(&["bs=8", "conv=sync"], b"Hello, World 123\n\0\0\0\0\0\0\0");
    q(
        &["bs=8", "conv=sync,ucase"],
        b"HELLO, WORLD 123\n\0\0\0\0\0\0\0",
    );
    d.write("abc", "abc");
    d.run("dd", &["if=abc", "bs=8", "conv=sync", "status=noxfer"])
        .go()
        .expect(0, b"abc\0\0\0\0\0", b"0+1 records in\n1+0 records out\n");
    // conv=sparse keeps the size, data and holes.
    let mut data = vec![0u8; 8192];
    data.extend_from_slice(b"end");
    d.write("sp", &data);
    d.run(
        "dd",
        &["if=sp", "of=sp2", "bs=4096", "conv=sparse", "status=none"],
    )
    .ok("");
    assert_eq!(d.read("sp2"), data);
    // conv=noerror: a read error is reported and the copy goes on.
    let o = d
        .run("dd", &["if=.", "count=2", "conv=noerror", "status=noxfer"])
        .go();
    assert_eq!(
        o.err(),
        "dd: error reading '.': Is a directory\ndd: error reading '.': Is a directory\n\
0+2 records in\n0+0 records out\n"
    );
    d.run("dd", &["if=.", "status=noxfer"]).fails(
        1,
        "dd: error reading '.': Is a directory\n0+0 records in\n0+0 records out\n",
    );
}

#[test]
fn dd_short_reads_and_fullblock() {
    let d = Dir::new();
    // Two pieces through a pipe: bs= writes each read as it comes, without
    // bs= the output is gathered into blocks; iflag=fullblock fills them.
    let two = "(printf ab; sleep 0.2; printf cd) | $B/dd status=noxfer";
    d.sh(&format!("{two} bs=4"))
        .go()
        .expect(0, b"abcd", b"0+2 records in\n0+2 records out\n");
    d.sh(two)
        .go()
        .expect(0, b"abcd", b"0+2 records in\n0+1 records out\n");
    d.sh(&format!("{two} bs=4 iflag=fullblock")).go().expect(
        0,
        b"abcd",
        b"1+0 records in\n1+0 records out\n",
    );
    d.sh(&format!("{two} bs=4 conv=ucase")).go().expect(
        0,
        b"ABCD",
        b"0+2 records in\n1+0 records out\n",
    );
    d.sh(&format!("{two} bs=4 count=2")).go().expect(
        0,
        b"abcd",
        b"dd: warning: partial read (2 bytes); suggest iflag=fullblock\n\
0+2 records in\n0+2 records out\n",
    );
}

#[test]
fn dd_errors() {
    let d = Dir::new();
    d.write("abc", "abc");
    let u = "Usage: dd [if=F] [of=F] [bs=N] [ibs=N] [obs=N] [count=N] [skip=N] [seek=N]\n";
    d.run("dd", &["if=missing"]).fails(
        1,
        "dd: failed to open 'missing': No such file or directory\n",
    );
    d.run("dd", &["if=abc", "of=no/x"])
        .fails(1, "dd: failed to open 'no/x': No such file or directory\n");
    d.run("dd", &["foo=bar"])
        .fails(1, format!("dd: unrecognized operand 'foo=bar'\n{u}"));
    d.run("dd", &["if"])
        .fails(1, format!("dd: unrecognized operand 'if'\n{u}"));
    d.run("dd", &["-x"])
        .fails(1, format!("dd: invalid option -- 'x'\n{u}"));
    d.run("dd", &["conv=bogus"])
        .fails(1, format!("dd: invalid conversion: 'bogus'\n{u}"));
    d.run("dd", &["iflag=bogus"])
        .fails(1, format!("dd: invalid input flag: 'bogus'\n{u}"));
    d.run("dd", &["oflag=fullblock"])
        .fails(1, format!("dd: invalid output flag: 'fullblock'\n{u}"));
    d.run("dd", &["status=bogus"])
        .fails(1, format!("dd: invalid status level: 'bogus'\n{u}"));
    d.run("dd", &["bs=x"]).fails(1, "dd: invalid number: 'x'\n");
    d.run("dd", &["bs=0"]).fails(1, "dd: invalid number: '0'\n");
    d.run("dd", &["count=1Q"])
        .fails(1, "dd: invalid number: '1Q'\n");
    d.run("dd", &["conv=lcase,ucase"])
        .fails(1, "dd: cannot combine lcase and ucase\n");
    d.run("dd", &["conv=excl", "conv=nocreat"])
        .fails(1, "dd: cannot combine excl and nocreat\n");
}
