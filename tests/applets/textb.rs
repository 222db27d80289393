//! cut, tr, tee, tac, rev, nl, fold, fmt, paste, split, expand, unexpand,
//! strings. Expected results were checked against GNU coreutils (and GNU
//! binutils strings); usage errors carry ibex's BusyBox-style usage line.

use crate::harness::*;

const CUT_USAGE: &str = "Usage: cut [-b LIST | -c LIST | -f LIST [-d DELIM] [-s] | -F LIST [-d ERE]] [-Dnz] [-O STR] [--complement] [FILE]...\n";
const EXPAND_USAGE: &str = "Usage: expand [-i] [-t N|LIST] [FILE]...\n";
const FMT_USAGE: &str = "Usage: fmt [-WIDTH] [-cstu] [-w WIDTH] [-g GOAL] [-p PREFIX] [FILE]...\n";
const FOLD_USAGE: &str = "Usage: fold [-bs] [-w WIDTH] [FILE]...\n";
const NL_USAGE: &str = "Usage: nl [-p] [-b STYLE] [-h STYLE] [-f STYLE] [-d CC] [-i N] [-l N] [-n FORMAT] [-s STR] [-v N] [-w N] [FILE]...\n";
const PASTE_USAGE: &str = "Usage: paste [-sz] [-d LIST] [FILE]...\n";
const REV_USAGE: &str = "Usage: rev [FILE]...\n";
const SPLIT_USAGE: &str = "Usage: split [OPTION]... [FILE [PREFIX]]\n";
const STRINGS_USAGE: &str =
    "Usage: strings [-afow] [-n LEN] [-t o|d|x] [-e ENC] [-s SEP] [FILE]...\n";
const TAC_USAGE: &str = "Usage: tac [-b] [-s SEP] [FILE]...\n";
const TEE_USAGE: &str = "Usage: tee [-aip] [--output-error[=MODE]] [FILE]...\n";
const TR_USAGE: &str = "Usage: tr [-cdst] STRING1 [STRING2]\n";
const UNEXPAND_USAGE: &str = "Usage: unexpand [-af] [-t N|LIST] [FILE]...\n";

/// Names and contents of the files in `d`, sorted: "name=content;"...
fn listing(d: &Dir) -> String {
    let mut names: Vec<String> = std::fs::read_dir(&d.path)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
        .iter()
        .map(|n| format!("{n}={};", String::from_utf8_lossy(&d.read(n))))
        .collect()
}

/// Run split in a fresh directory on `input`; check status, stdout,
/// stderr and the files it leaves.
fn split_case(
    args: &[&str],
    input: &str,
    code: i32,
    out: &str,
    err: impl AsRef<[u8]>,
    files: &str,
) {
    let d = Dir::new();
    d.run("split", args)
        .stdin(input)
        .go()
        .expect(code, out.as_bytes(), err.as_ref());
    assert_eq!(listing(&d), files, "split {args:?}");
}

/// A few MB of numbered, colon-separated lines of varying length, one
/// very long line, and a last line without a newline.
fn big_input() -> Vec<u8> {
    let mut v = Vec::new();
    for i in 0..60000u32 {
        v.extend_from_slice(format!("{i}:{}:{}\n", "x".repeat(i as usize % 50), i * 7).as_bytes());
    }
    v.extend_from_slice(&[b'y'; 200000]);
    v.extend_from_slice(b":end\nlast:nonl");
    v
}

#[test]
fn cut_big_input() {
    let data = big_input();
    let text = String::from_utf8(data.clone()).unwrap();
    let lines: Vec<&str> = text.split_terminator('\n').collect();
    let want = |f: &dyn Fn(&str) -> Option<String>| -> String {
        lines
            .iter()
            .filter_map(|l| f(l))
            .map(|s| s + "\n")
            .collect()
    };
    let f23 = want(&|l| {
        let v: Vec<&str> = l.split(':').collect();
        Some(if v.len() == 1 {
            l.to_string()
        } else {
            v[1..v.len().min(3)].join(":")
        })
    });
    run("cut", &["-d:", "-f2,3"]).stdin(&data).ok(f23);
    let f3s_only: String = lines
        .iter()
        .filter(|l| l.contains(':'))
        .map(|l| format!("{}\n", l.split(':').nth(2).unwrap_or("")))
        .collect();
    run("cut", &["-s", "-d:", "-f3"]).stdin(&data).ok(f3s_only);
    let b35: String = lines
        .iter()
        .map(|l| format!("{}\n", l.get(2..l.len().min(5)).unwrap_or("")))
        .collect();
    run("cut", &["-b3-5"]).stdin(&data).ok(b35);
}

#[test]
fn tr_big_input() {
    let data = big_input();
    let up: Vec<u8> = data.to_ascii_uppercase();
    run("tr", &["a-z", "A-Z"]).stdin(&data).ok(up);
    // Ranges moved by one distance (the vector path), wrapping past 255,
    // beside a map that is not one shift (the table path).
    let bytes: Vec<u8> = (0..=255u8).cycle().take(1000).collect();
    let wrap: Vec<u8> = bytes
        .iter()
        .map(|&b| if b >= 0xf8 { b.wrapping_add(8) } else { b })
        .collect();
    run("tr", &["\\370-\\377", "\\000-\\007"])
        .stdin(&bytes)
        .ok(wrap);
    let two: Vec<u8> = bytes
        .iter()
        .map(|&b| match b {
            b'a' => b'b',
            b'c' => b'd',
            _ => b,
        })
        .collect();
    run("tr", &["ac", "bd"]).stdin(&bytes).ok(two);
    let no_x: Vec<u8> = data.iter().copied().filter(|&c| c != b'x').collect();
    run("tr", &["-d", "x"]).stdin(&data).ok(no_x);
    let mut sq = data.clone();
    sq.dedup_by(|a, b| *a == b'y' && *b == b'y');
    run("tr", &["-s", "y"]).stdin(&data).ok(sq);
}

#[test]
fn tee_contents() {
    let d = Dir::new();
    d.write("old", "old\n");
    d.run("tee", &["a", "b"]).stdin("hello\n").ok("hello\n");
    assert_eq!(d.read("a"), b"hello\n");
    assert_eq!(d.read("b"), b"hello\n");
    // Without -a the file is truncated; with -a it is appended to.
    d.run("tee", &["a"]).stdin("x").ok("x");
    assert_eq!(d.read("a"), b"x");
    d.run("tee", &["-a", "old"]).stdin("new\n").ok("new\n");
    assert_eq!(d.read("old"), b"old\nnew\n");
    // `-` is a file name for tee, not standard output.
    d.run("tee", &["-"]).stdin("dash\n").ok("dash\n");
    assert_eq!(d.read("-"), b"dash\n");
    // An output that cannot be opened is reported; the others still get
    // everything.
    d.run("tee", &["c", "nodir/x", "e"])
        .stdin("data\n")
        .go()
        .expect(1, b"data\n", b"tee: nodir/x: No such file or directory\n");
    assert_eq!(d.read("c"), b"data\n");
    assert_eq!(d.read("e"), b"data\n");
    d.mkdir("dir");
    d.run("tee", &["dir"])
        .stdin("z\n")
        .go()
        .expect(1, b"z\n", b"tee: dir: Is a directory\n");
    // Empty input creates empty files.
    d.run("tee", &["empty"]).stdin("").ok("");
    assert_eq!(d.read("empty"), b"");
    // Big input, binary data.
    let data = big_input();
    let mut bin = data.clone();
    bin.extend_from_slice(b"\0\xff\x01");
    d.run("tee", &["big"]).stdin(&bin).ok(&bin);
    assert_eq!(d.read("big"), bin);
}

#[test]
fn tee_output_errors() {
    let d = Dir::new();
    d.write("z", vec![b'z'; 200000]);
    // -p: a closed pipe on stdout is not an error; the file gets it all.
    d.sh("$B/tee -p f < z | head -c1 >/dev/null; echo $?; wc -c < f")
        .ok("0\n200000\n");
    d.sh("$B/tee --output-error=warn-nopipe g < z | head -c1 >/dev/null; wc -c < g")
        .ok("200000\n");
    // warn: the broken pipe is reported, the file still gets it all.
    d.sh("($B/tee --output-error=warn h < z; echo rc=$? >&2) | head -c1 >/dev/null; wc -c < h")
        .go()
        .expect(
            0,
            b"200000\n",
            b"tee: 'standard output': Broken pipe\nrc=1\n",
        );
    // exit: tee stops at the first error.
    d.sh("($B/tee --output-error=exit i < z; echo rc=$? >&2) | head -c1 >/dev/null")
        .go()
        .expect(0, b"", b"tee: 'standard output': Broken pipe\nrc=1\n");
    // -p still reports errors on files that are not pipes.
    d.sh("($B/tee -p j /dev/full < z; echo rc=$? >&2) | head -c1 >/dev/null; wc -c < j")
        .go()
        .expect(
            0,
            b"200000\n",
            b"tee: /dev/full: No space left on device\nrc=1\n",
        );
    d.run("tee", &["/dev/full"]).stdin("abc\n").go().expect(
        1,
        b"abc\n",
        b"tee: /dev/full: No space left on device\n",
    );
}

#[test]
fn tee_ignore_interrupts() {
    use std::io::{Read, Write};
    use std::process::Stdio;
    let d = Dir::new();
    // Without -i, tee dies of SIGINT, unless this test inherited SIGINT
    // ignored (e.g. run as a background job): then skip that case.
    let ignored = std::fs::read_to_string("/proc/self/status")
        .unwrap()
        .lines()
        .find_map(|l| l.strip_prefix("SigIgn:"))
        .map(|m| u64::from_str_radix(m.trim(), 16).unwrap() & 2 != 0)
        .unwrap();
    for (flag, survives) in [("-i", true), ("--ignore-interrupts", true), ("-a", false)] {
        if !survives && ignored {
            eprintln!("SKIPPED tee without -i: SIGINT is ignored here");
            continue;
        }
        let mut r = d.run("tee", &[flag, "o"]);
        r.cmd
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = r.cmd.spawn().unwrap();
        let mut stdin = child.stdin.take().unwrap();
        let mut stdout = child.stdout.take().unwrap();
        // Once the first byte comes back, tee has set up its signals.
        stdin.write_all(b"a").unwrap();
        let mut b = [0u8; 1];
        stdout.read_exact(&mut b).unwrap();
        let kill = std::process::Command::new("kill")
            .arg("-INT")
            .arg(child.id().to_string())
            .status()
            .unwrap();
        assert!(kill.success());
        std::thread::sleep(std::time::Duration::from_millis(100));
        let _ = stdin.write_all(b"b\n");
        drop(stdin);
        let mut rest = Vec::new();
        let _ = stdout.read_to_end(&mut rest);
        let st = child.wait().unwrap();
        if survives {
            assert_eq!(st.code(), Some(0), "tee {flag}");
            assert_eq!(rest, b"b\n");
            assert_eq!(d.read("o"), b"ab\n");
        } else {
            use std::os::unix::process::ExitStatusExt;
            assert_eq!(st.signal(), Some(2), "tee {flag}");
        }
    }
}

#[test]
fn tac_big_files() {
    let d = Dir::new();
    let data = big_input();
    d.write("big", &data);
    let mut recs: Vec<&[u8]> = data.split_inclusive(|&c| c == b'\n').collect();
    recs.reverse();
    let want: Vec<u8> = recs.concat();
    // A regular file is read backwards; a pipe is read whole.
    d.run("tac", &["big"]).ok(&want);
    d.run("tac", &[]).stdin(&data).ok(&want);
    d.sh("cat big | $B/tac").ok(&want);
    // -b with a separator spanning block boundaries.
    let mut recs: Vec<Vec<u8>> = Vec::new();
    let mut start = 0;
    for (i, w) in data.windows(2).enumerate() {
        if w == b":e" && i > start {
            recs.push(data[start..i].to_vec());
            start = i;
        }
    }
    recs.push(data[start..].to_vec());
    recs.reverse();
    d.run("tac", &["-b", "-s", ":e", "big"]).ok(recs.concat());
}

#[test]
fn rev_bytes_and_files() {
    let d = Dir::new();
    d.write("f", "12\n");
    // C locale: bytes are reversed, NUL and high bytes included.
    run("rev", &[]).stdin(b"\x01\xffa\n").ok(b"a\xff\x01\n");
    // A NUL ends the line's text; the newline after it goes too (BusyBox,
    // util-linux).
    run("rev", &[])
        .stdin(b"ab\0cd\n\nxy\n\0\nlast\0")
        .ok(b"ba\nyx\ntsal");
    // UTF-8 locale: characters stay whole, invalid bytes count as one.
    run("rev", &[])
        .env("LC_ALL", "C.UTF-8")
        .stdin(b"h\xc3\xa9llo\xff\n")
        .ok(b"\xffoll\xc3\xa9h\n");
    d.run("rev", &["f", "nope", "-", "f"])
        .stdin("ab\n")
        .go()
        .expect(
            1,
            b"21\nba\n21\n",
            b"rev: nope: No such file or directory\n",
        );
    let long = "abc".repeat(100000) + "\n";
    let want: String = long.trim_end().chars().rev().collect::<String>() + "\n";
    run("rev", &[]).stdin(&long).ok(want);
}

#[test]
fn split_lines_bytes_chunks() {
    let d = Dir::new();
    let data = big_input();
    d.write("big", &data);
    // Pieces put back together give the input, for every mode.
    for args in [
        &["-l", "12345", "big", "L"][..],
        &["-b", "100K", "big", "B"],
        &["-C", "100000", "big", "C"],
        &["-n", "7", "big", "N"],
        &["-n", "l/5", "big", "M"],
    ] {
        d.run("split", args).ok("");
        let p = args[3];
        let mut names: Vec<String> = std::fs::read_dir(&d.path)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with(p) && n.len() == 3)
            .collect();
        names.sort();
        let joined: Vec<u8> = names.iter().flat_map(|n| d.read(n)).collect();
        assert!(joined == data, "split {args:?}: {names:?}");
        if p == "L" {
            assert_eq!(names.len(), 5);
            assert_eq!(d.read("Laa").iter().filter(|&&c| c == b'\n').count(), 12345);
        }
        if p == "C" {
            for n in &names {
                let f = d.read(n);
                assert!(f.len() <= 100000 || !f[..f.len() - 1].contains(&b'\n'));
            }
        }
        if p == "N" {
            assert_eq!(names.len(), 7);
        }
    }
    // Round robin from a pipe: lines dealt in turn.
    d.sh("printf '1\\n2\\n3\\n4\\n5\\n' | $B/split -n r/2 - R && cat Raa Rab")
        .ok("1\n3\n5\n2\n4\n");
    // -n K/N writes chunk K to stdout; byte and line chunks need a size.
    d.write("six", "1\n2\n3\n4\n5\n6\n");
    d.run("split", &["-n", "l/2/3", "six"]).ok("3\n4\n");
    d.sh("cat six | $B/split -n l/2/3")
        .fails(1, "split: -: cannot determine file size\n");
}

// ---------- cut ----------
#[test]
fn cut_fields() {
    run("cut", &["-d:", "-f2"])
        .stdin("one:two:three:four\nnodelim\n:lead\ntrail:\n")
        .ok("two\nnodelim\nlead\n\n");
    run("cut", &["-d:", "-f1,3"])
        .stdin("one:two:three:four\nnodelim\n:lead\ntrail:\n")
        .ok("one:three\nnodelim\n\ntrail\n");
    run("cut", &["-d:", "-f3-"])
        .stdin("one:two:three:four\nnodelim\n:lead\ntrail:\n")
        .ok("three:four\nnodelim\n\n\n");
    run("cut", &["-d:", "-f-2"])
        .stdin("one:two:three:four\nnodelim\n")
        .ok("one:two\nnodelim\n");
    run("cut", &["-d", ":", "-f", "3,1-2,2"])
        .stdin("one:two:three:four\n")
        .ok("one:two:three\n");
    run("cut", &["--delimiter=:", "--fields=5"])
        .stdin("one:two:three:four\n")
        .ok("\n");
    run("cut", &["-d:", "-s", "-f2"])
        .stdin("one:two:three:four\nnodelim\n:lead\ntrail:\n")
        .ok("two\nlead\n\n");
    run("cut", &["-sd:", "--only-delimited", "-f1-"])
        .stdin("x\ny:z\n")
        .ok("y:z\n");
    run("cut", &["-f2"]).stdin("a\tb\tc\nx:y\n").ok("b\nx:y\n");
    run("cut", &["-f1", "-d", ""])
        .stdin("a\0b\nc\0d\n")
        .ok("a\nc\n");
    run("cut", &["-d:", "-f2"]).stdin("a:b:c").ok("b\n");
    run("cut", &["-d:", "-f2"]).stdin("").ok("");
}

#[test]
fn cut_bytes_chars() {
    run("cut", &["-b2-4"])
        .stdin("abcdefg\nxy\n\n")
        .ok("bcd\ny\n\n");
    run("cut", &["-c1,3,5"])
        .stdin("abcdefg\nxy\n")
        .ok("ace\nx\n");
    run("cut", &["-b3-"]).stdin("abcdefg\nxy\n").ok("cdefg\n\n");
    run("cut", &["-b-3"]).stdin("abcdefg\nxy\n").ok("abc\nxy\n");
    run("cut", &["-b", "5,1-2,2-3"])
        .stdin("abcdefg\n")
        .ok("abce\n");
    run("cut", &["-n", "-b2"]).stdin("abc\n").ok("b\n");
    run("cut", &["--bytes=2", "--characters=3"])
        .stdin("abc\n")
        .fails(
            1,
            format!("cut: only one list may be specified\n{CUT_USAGE}"),
        );
    // Characters are UTF-8 (as BusyBox and toybox count them); a stray
    // byte is one character.
    run("cut", &["-c2"])
        .stdin(b"a\xc3\xa9b\n")
        .ok(b"\xc3\xa9\n");
    run("cut", &["-c2,4-"])
        .stdin(b"a\xc3\xa9b\xffc\n\xe4\xb8\x96x\n")
        .ok(b"\xc3\xa9\xffc\nx\n");
    run("cut", &["-c1-2", "-O", "|", "-F1"]).stdin("").fails(
        1,
        format!("cut: only one list may be specified\n{CUT_USAGE}"),
    );
    run("cut", &["-b2"]).stdin("abc").ok("b\n");
}

#[test]
fn cut_complement_output_delimiter() {
    run("cut", &["-d:", "-f2", "--complement"])
        .stdin("one:two:three:four\nnodelim\n")
        .ok("one:three:four\nnodelim\n");
    run("cut", &["-b1-2,5-", "--complement"])
        .stdin("abcdefg\n")
        .ok("cd\n");
    run("cut", &["-d:", "-f1,3", "--output-delimiter=+++"])
        .stdin("one:two:three:four\n")
        .ok("one+++three\n");
    run("cut", &["-d:", "-f1-2,4", "--output-delimiter="])
        .stdin("one:two:three:four\n")
        .ok("one\0two\0four\n");
    run("cut", &["-b1-2,3-4", "--output-delimiter=."])
        .stdin("abcdefg\n")
        .ok("ab.cd\n");
    run("cut", &["-b1-3,2-5", "--output-delimiter=."])
        .stdin("abcdefg\n")
        .ok("abcde\n");
    run("cut", &["-c1,3-4,6-", "--output-delimiter", "|"])
        .stdin("abcdefg\n")
        .ok("a|cd|fg\n");
    run(
        "cut",
        &["-d:", "-f2", "--complement", "--output-delimiter=-"],
    )
    .stdin("a:b:c:d\n")
    .ok("a-c-d\n");
}

#[test]
fn cut_regex_fields_and_unsorted_lists() {
    // -F: fields split on runs of blanks (or the ERE -d), joined by a space
    // (or -O); a leading blank starts an empty first field.
    run("cut", &["-F2-3"])
        .stdin("  one two\tthree\nnodelim\nx y\n")
        .ok("one two\nnodelim\ny\n");
    run("cut", &["-F", "2,1", "-d", "[0-9]+", "-O", "-"])
        .stdin("a1b22c\n")
        .ok("a-b\n");
    run("cut", &["-sF1"]).stdin("a b\nc\n").ok("a\n");
    // -D: the list's order and repeats are kept, and a line without a
    // delimiter is one field rather than printed whole.
    run("cut", &["-D", "-d:", "-f3,1,1"])
        .stdin("a:b:c\nxyz\n")
        .ok("c:a:a\nxyz:xyz\n");
    run("cut", &["-DF", "3,1"])
        .stdin("p q r\nsolo\n")
        .ok("r p\nsolo\n");
    run("cut", &["-D", "-b", "4-,1-2", "-O", "."])
        .stdin("abcdef\n")
        .ok("def.ab\n");
    // -O is --output-delimiter; overlapping byte ranges still merge.
    run("cut", &["-O", " ", "-b", "1-3,2-5,7-9,9-10"])
        .stdin("one:two:three\n")
        .ok("one:t o:th\n");
    run("cut", &["-F1", "-d", "(a"])
        .stdin("")
        .fails(1, "cut: bad regex '(a': Unmatched ( or \\(\n");
}

#[test]
fn cut_zero_terminated() {
    run("cut", &["-z", "-d:", "-f2"])
        .stdin("a\tb\tc\nx:y\0p:q\0")
        .ok("y\0q\0");
    run("cut", &["-z", "-c2"]).stdin("ab\ncd\0ef").ok("b\0f\0");
    run("cut", &["--zero-terminated", "-f2", "-s"])
        .stdin("a\tb\0c\0")
        .ok("b\0");
}

#[test]
fn cut_errors() {
    run("cut", &[]).stdin("x\n").fails(
        1,
        format!("cut: you must specify a list of bytes, characters, or fields\n{CUT_USAGE}"),
    );
    run("cut", &["-b1", "-f2"]).stdin("").fails(
        1,
        format!("cut: only one list may be specified\n{CUT_USAGE}"),
    );
    run("cut", &["-b", "2", "-c", "1"]).stdin("").fails(
        1,
        format!("cut: only one list may be specified\n{CUT_USAGE}"),
    );
    run("cut", &["-d:", "-b1"]).stdin("").fails(
        1,
        format!(
            "cut: an input delimiter may be specified only when operating on fields\n{CUT_USAGE}"
        ),
    );
    run("cut", &["-s", "-b1"]).stdin("").fails(1, format!("cut: suppressing non-delimited lines makes sense\n\tonly when operating on fields\n{CUT_USAGE}"));
    run("cut", &["-b0"]).stdin("").fails(
        1,
        format!("cut: byte/character positions are numbered from 1\n{CUT_USAGE}"),
    );
    run("cut", &["-f", "3-1"])
        .stdin("")
        .fails(1, format!("cut: invalid decreasing range\n{CUT_USAGE}"));
    run("cut", &["-b", "x"]).stdin("").fails(
        1,
        format!("cut: invalid byte/character position 'x'\n{CUT_USAGE}"),
    );
    run("cut", &["-f", ""])
        .stdin("")
        .fails(1, format!("cut: fields are numbered from 1\n{CUT_USAGE}"));
    run("cut", &["-b", "1,"]).stdin("").fails(
        1,
        format!("cut: byte/character positions are numbered from 1\n{CUT_USAGE}"),
    );
    run("cut", &["-d", "ab", "-f1"]).stdin("").fails(
        1,
        format!("cut: the delimiter must be a single character\n{CUT_USAGE}"),
    );
    run("cut", &["-b", "99999999999999999999"]).stdin("").fails(
        1,
        format!("cut: byte/character offset '99999999999999999999' is too large\n{CUT_USAGE}"),
    );
    run("cut", &["-f", "99999999999999999999"]).stdin("").fails(
        1,
        format!("cut: field number '99999999999999999999' is too large\n{CUT_USAGE}"),
    );
    run("cut", &["-b", "-"]).stdin("").fails(
        1,
        format!("cut: invalid range with no endpoint: -\n{CUT_USAGE}"),
    );
    run("cut", &["-b", "1-2-3"]).stdin("").fails(
        1,
        format!("cut: invalid byte or character range\n{CUT_USAGE}"),
    );
    run("cut", &["-f", "1-2-3"])
        .stdin("")
        .fails(1, format!("cut: invalid field range\n{CUT_USAGE}"));
    run("cut", &["-b1", "--output-delimiter"]).stdin("").fails(
        1,
        format!("cut: option '--output-delimiter' requires an argument\n{CUT_USAGE}"),
    );
    run("cut", &["--bogus"]).stdin("").fails(
        1,
        format!("cut: unrecognized option '--bogus'\n{CUT_USAGE}"),
    );
    run("cut", &["-y"])
        .stdin("")
        .fails(1, format!("cut: invalid option -- 'y'\n{CUT_USAGE}"));
    let d = Dir::new();
    d.write("f", "abc\n");
    d.run("cut", &["-b1", "nope", "f", "-"])
        .stdin("xyz\n")
        .go()
        .expect(1, b"a\nx\n", b"cut: nope: No such file or directory\n");
}

// ---------- tr ----------
#[test]
fn tr_translate() {
    run("tr", &["a-z", "A-Z"])
        .stdin("Hello, World! 123\n")
        .ok("HELLO, WORLD! 123\n");
    run("tr", &["[:lower:]", "[:upper:]"])
        .stdin("Hello, World! 123\n")
        .ok("HELLO, WORLD! 123\n");
    run("tr", &["[:upper:]", "[:lower:]"])
        .stdin("Hello, World! 123\n")
        .ok("hello, world! 123\n");
    run("tr", &["[:upper:][:lower:]", "[:lower:][:upper:]"])
        .stdin("Hello World\n")
        .ok("hELLO wORLD\n");
    run("tr", &["abc", "x"])
        .stdin("aabbcc-d\n")
        .ok("xxxxxx-d\n");
    run("tr", &["a-f", "[x*]"])
        .stdin("abcdefgh\n")
        .ok("xxxxxxgh\n");
    run("tr", &["a-f", "x[y*2]z"])
        .stdin("abcdefgh\n")
        .ok("xyyzzzgh\n");
    run("tr", &["lo", "[0*]"]).stdin("hello\n").ok("he000\n");
    run("tr", &["a-c", "[x*010]"]).stdin("abc\n").ok("xxx\n");
    run("tr", &["[=a=]", "Q"]).stdin("banana\n").ok("bQnQnQ\n");
    run("tr", &["z-a", "x"]).stdin("").fails(
        1,
        "tr: range-endpoints of 'z-a' are in reverse collating sequence order\n",
    );
    run("tr", &["[:digit:]", "[:upper:]"])
        .stdin("")
        .fails(1, "tr: misaligned [:upper:] and/or [:lower:] construct\n");
    run("tr", &["", "a"]).stdin("abc\n").ok("abc\n");
    run("tr", &["a-", "xy"]).stdin("a-b\n").ok("xyb\n");
    run("tr", &["[a-c]", "x"]).stdin("[abc]\n").ok("xxxxx\n");
    run("tr", &["a\\-z", "123"]).stdin("a-z-m\n").ok("1232m\n");
}

#[test]
fn tr_escapes() {
    run("tr", &["\\001\\377", "XY"])
        .stdin(b"\x01a\xff\n")
        .ok("XaY\n");
    run("tr", &["\\110", "\\152"]).stdin("HHh\n").ok("jjh\n");
    run("tr", &["\\t\\n", "TN"]).stdin("a\tb\nc\n").ok("aTbNcN");
    run("tr", &["\\\\", "x"]).stdin("a\\b\n").ok("axb\n");
    run("tr", &["\\0", "x"]).stdin("a\0b\0\n").ok("axbx\n");
    run("tr", &["-d", "\\0"]).stdin("a\0b\0\n").ok("ab\n");
    run("tr", &["\\a\\b\\f\\r\\v", "abfrv"])
        .stdin("\x07\x08\x0c\x0d\x0b\n")
        .ok("abfrv\n");
    run("tr", &["\\7a", "x"]).stdin("\x07ab\n").ok("xxb\n");
    run("tr", &["\\400", "x"]).stdin(" 0 0\n").go().expect(0, b"xxxx\n", b"tr: warning: the ambiguous octal escape \\400 is being\n\tinterpreted as the 2-byte sequence \\040, 0\n");
    run("tr", &["\\", "x"]).stdin("a\\b\n").go().expect(
        0,
        b"axb\n",
        b"tr: warning: an unescaped backslash at end of string is not portable\n",
    );
}

#[test]
fn tr_classes() {
    run("tr", &["-d", "[:digit:]"])
        .stdin("a1b2c3\n")
        .ok("abc\n");
    run("tr", &["-d", "[:space:]"])
        .stdin("a b\tc\nd\x0b\x0c\x0d")
        .ok("abcd");
    run("tr", &["[:punct:]", "#"])
        .stdin("a,b.c!d?(e)\n")
        .ok("a#b#c#d##e#\n");
    run("tr", &["[:alnum:]", "."])
        .stdin("a1-B2_\n")
        .ok("..-.._\n");
    run("tr", &["[:alpha:]", "."])
        .stdin("a1-B2_\n")
        .ok(".1-.2_\n");
    run("tr", &["-d", "[:cntrl:]"])
        .stdin("a\x01b\x7fc\n")
        .ok("abc");
    run("tr", &["-d", "[:print:]"])
        .stdin(b"a b\x01\x7f\xff\n")
        .ok(b"\x01\x7f\xff\n");
    run("tr", &["-d", "[:graph:]"])
        .stdin(b"a b\x01\x7f\xff\n")
        .ok(b" \x01\x7f\xff\n");
    run("tr", &["[:blank:]", "_"])
        .stdin("a b\tc\n")
        .ok("a_b_c\n");
    run("tr", &["-d", "[:xdigit:]"])
        .stdin("0123456789abcdefghABCDEFGH\n")
        .ok("ghGH\n");
    run("tr", &["[:lower:][:digit:]", "[:upper:]x"])
        .stdin("ab12\n")
        .ok("ABxx\n");
    run("tr", &["[:nope:]", "x"])
        .stdin("")
        .fails(1, "tr: invalid character class 'nope'\n");
    run("tr", &["a", "[:upper:]"])
        .stdin("")
        .fails(1, "tr: misaligned [:upper:] and/or [:lower:] construct\n");
    run("tr", &["[=ab=]", "x"]).stdin("").fails(
        1,
        "tr: ab: equivalence class operand must be a single character\n",
    );
    run("tr", &["[:upper:]", "a"]).stdin("ABc\n").ok("aac\n");
}

#[test]
fn tr_delete_squeeze() {
    run("tr", &["-s", " "])
        .stdin("a   b  c d\n")
        .ok("a b c d\n");
    run("tr", &["-s", "a-z"])
        .stdin("aabbccdd  xx\n")
        .ok("abcd  x\n");
    run("tr", &["-s", "a ", "xy"])
        .stdin("aaa   bbb\n")
        .ok("xybbb\n");
    run("tr", &["-ds", "l", " "])
        .stdin("hello   world\n")
        .ok("heo word\n");
    run("tr", &["--delete", "--squeeze-repeats", "a-c", "x-z"])
        .stdin("aaxxbyyz\n")
        .ok("xyz\n");
    run("tr", &["-s", "[:lower:]", "[:upper:]"])
        .stdin("aabb cc\n")
        .ok("AB C\n");
    run("tr", &["-d", "a-c"]).stdin("abcabcxyz\n").ok("xyz\n");
    run("tr", &["-d", ""]).stdin("abc\n").ok("abc\n");
}

#[test]
fn tr_complement_truncate() {
    run("tr", &["-c", "a-z\\n", "_"])
        .stdin("Hello, World!\n")
        .ok("_ello___orld_\n");
    run("tr", &["-C", "a-z\\n", "_"])
        .stdin("Hello, World!\n")
        .ok("_ello___orld_\n");
    run("tr", &["--complement", "-d", "a-z"])
        .stdin("Hello, World!\n")
        .ok("elloorld");
    run("tr", &["-cs", "[:alpha:]", "\\n"])
        .stdin("Hello, World! 123 abc\n")
        .ok("Hello\nWorld\nabc\n");
    run("tr", &["-c", "[:lower:]", "[:upper:]"]).stdin("").fails(1, "tr: when translating with string1 longer than string2,\nthe latter string must not end with a character class\n");
    run("tr", &["-t", "abcdef", "xy"])
        .stdin("abcdef\n")
        .ok("xycdef\n");
    run("tr", &["--truncate-set1", "abc", "xyz"])
        .stdin("abcabc\n")
        .ok("xyzxyz\n");
    run("tr", &["-t", "a-z", "[:upper:]"])
        .stdin("")
        .fails(1, "tr: misaligned [:upper:] and/or [:lower:] construct\n");
    run("tr", &["a", ""]).stdin("").fails(
        1,
        "tr: when not truncating set1, string2 must be non-empty\n",
    );
    run("tr", &["-t", "a", ""]).stdin("abc\n").ok("abc\n");
}

#[test]
fn tr_errors() {
    run("tr", &[])
        .stdin("")
        .fails(1, format!("tr: missing operand\n{TR_USAGE}"));
    run("tr", &["a"]).stdin("").fails(
        1,
        format!(
            "tr: missing operand after 'a'\nTwo strings must be given when translating.\n{TR_USAGE}"
        ),
    );
    run("tr", &["-s"])
        .stdin("")
        .fails(1, format!("tr: missing operand\n{TR_USAGE}"));
    run("tr", &["-d", "a", "b"]).stdin("").fails(1, format!("tr: extra operand 'b'\nOnly one string may be given when deleting without squeezing repeats.\n{TR_USAGE}"));
    run("tr", &["a", "b", "c"])
        .stdin("")
        .fails(1, format!("tr: extra operand 'c'\n{TR_USAGE}"));
    run("tr", &["[x*]", "a"]).stdin("").fails(
        1,
        "tr: the [c*] repeat construct may not appear in string1\n",
    );
    run("tr", &["a", "[x*y]"])
        .stdin("")
        .fails(1, "tr: invalid repeat count 'y' in [c*n] construct\n");
    run("tr", &["a-z", "[x*][y*]"]).stdin("").fails(
        1,
        "tr: only one [c*] repeat construct may appear in string2\n",
    );
    run("tr", &["-x", "a"])
        .stdin("")
        .fails(1, format!("tr: invalid option -- 'x'\n{TR_USAGE}"));
    run("tr", &["a", "[x*1a]"])
        .stdin("")
        .fails(1, "tr: invalid repeat count '1a' in [c*n] construct\n");
}

// ---------- tee ----------
#[test]
fn tee_files() {
    let d = Dir::new();
    d.write("old", "old\n");
    d.run("tee", &[]).stdin("hello\n").ok("hello\n");
    d.run("tee", &["a", "b"]).stdin("hello\n").ok("hello\n");
    d.run("tee", &["-a", "old"]).stdin("new\n").ok("new\n");
    d.run("tee", &["--append", "old", "-"]).stdin("x").ok("x");
    d.run("tee", &["-"]).stdin("dash\n").ok("dash\n");
    d.run("tee", &["-i", "c"]).stdin("").ok("");
    d.run("tee", &["nodir/x", "e"]).stdin("data\n").go().expect(
        1,
        b"data\n",
        b"tee: nodir/x: No such file or directory\n",
    );
    d.run("tee", &["-z"])
        .stdin("")
        .fails(1, format!("tee: invalid option -- 'z'\n{TEE_USAGE}"));
    d.run("tee", &["--output-error=bogus"]).stdin("").fails(1, format!("tee: invalid argument 'bogus' for '--output-error'\nValid arguments are:\n  - 'warn'\n  - 'warn-nopipe'\n  - 'exit'\n  - 'exit-nopipe'\n{TEE_USAGE}"));
}

// ---------- tac ----------
#[test]
fn tac_basic() {
    run("tac", &[]).stdin("a\nb\nc\n").ok("c\nb\na\n");
    run("tac", &[]).stdin("a\nb\nc").ok("cb\na\n");
    run("tac", &[]).stdin("").ok("");
    run("tac", &[]).stdin("\n\n").ok("\n\n");
    run("tac", &[]).stdin("x").ok("x");
    run("tac", &[]).stdin(b"a\0b\nc\xff\n").ok(b"c\xff\na\0b\n");
    run("tac", &["-s", ":"]).stdin("a:b::c:").ok("c::b:a:");
    run("tac", &["-s", ":"]).stdin("a:b::c").ok("c:b:a:");
    run("tac", &["-b", "-s", ":"])
        .stdin("a:b::c:")
        .ok("::c::ba");
    run("tac", &["-b"]).stdin("a\nb\nc\n").ok("\n\nc\nba");
    run("tac", &["-s", "ab"])
        .stdin("1ab2ab3\nx\n")
        .ok("3\nx\n2ab1ab");
    run("tac", &["--before", "--separator=ab"])
        .stdin("1ab2ab3\nx\n")
        .ok("ab3\nx\nab21");
    run("tac", &["-s", ""]).stdin("a\0b\0").ok("b\0a\0");
}

#[test]
fn tac_regex() {
    run("tac", &["-r", "-s", "[0-9]"])
        .stdin("1ab2ab3\nx\n")
        .ok("\nx\nab3ab21");
    run("tac", &["-rb", "-s", "[0-9]"])
        .stdin("1ab2ab3\nx\n")
        .ok("3\nx\n2ab1ab");
    run("tac", &["--regex", "-s", "x[yz]"])
        .stdin("axybxzcxxd")
        .ok("cxxdbxzaxy");
    run("tac", &["-r", "-s", "\\("])
        .stdin("")
        .fails(1, "tac: Unmatched ( or \\(\n");
}

#[test]
fn tac_files_and_errors() {
    let d = Dir::new();
    d.write("f", "p\nq");
    d.write("g", "1\n2\n");
    d.run("tac", &["f", "-", "g"])
        .stdin("s\nt\n")
        .ok("qp\nt\ns\n2\n1\n");
    d.run("tac", &["nope", "g"]).stdin("").go().expect(
        1,
        b"2\n1\n",
        b"tac: nope: No such file or directory\n",
    );
    d.run("tac", &["-s"]).stdin("").fails(
        1,
        format!("tac: option requires an argument -- 's'\n{TAC_USAGE}"),
    );
    d.run("tac", &["-x"])
        .stdin("")
        .fails(1, format!("tac: invalid option -- 'x'\n{TAC_USAGE}"));
}

// ---------- rev ----------
#[test]
fn rev_lines() {
    run("rev", &[]).stdin("abc\n\nxy z\n").ok("cba\n\nz yx\n");
    run("rev", &[]).stdin("abc\nlast").ok("cba\ntsal");
    run("rev", &[]).stdin("").ok("");
    let d = Dir::new();
    d.write("f", "12\n");
    d.run("rev", &["-x"])
        .stdin("")
        .fails(1, format!("rev: invalid option -- 'x'\n{REV_USAGE}"));
}

// ---------- nl ----------
#[test]
fn nl_styles() {
    run("nl", &[])
        .stdin("a\n\nb\n\n\n\nc\nlast")
        .ok("     1\ta\n       \n     2\tb\n       \n       \n       \n     3\tc\n     4\tlast\n");
    run("nl", &["-ba"])
        .stdin("a\n\nb\n")
        .ok("     1\ta\n     2\t\n     3\tb\n");
    run("nl", &["-bn"])
        .stdin("a\n\nb\n")
        .ok("       a\n       \n       b\n");
    run("nl", &["-bt"])
        .stdin("a\n\nb\n")
        .ok("     1\ta\n       \n     2\tb\n");
    run("nl", &["-bpb"])
        .stdin("abc\nxyz\nb\n")
        .ok("     1\tabc\n       xyz\n     2\tb\n");
    run("nl", &["-bp^[ac]"])
        .stdin("abc\nbcd\ncde\n")
        .ok("     1\tabc\n       bcd\n     2\tcde\n");
    run("nl", &["--body-numbering=a", "-l2"])
        .stdin("a\n\n\n\n\nb\n")
        .ok("     1\ta\n       \n     2\t\n       \n     3\t\n     4\tb\n");
    run("nl", &["-ba", "-l3"])
        .stdin("a\n\n\n\n\nb\n")
        .ok("     1\ta\n       \n       \n     2\t\n       \n     3\tb\n");
    run("nl", &[]).stdin("").ok("");
}

#[test]
fn nl_format() {
    run("nl", &["-nln"])
        .stdin("a\nb\n")
        .ok("1     \ta\n2     \tb\n");
    run("nl", &["-nrz"])
        .stdin("a\nb\n")
        .ok("000001\ta\n000002\tb\n");
    run("nl", &["-nrn"])
        .stdin("a\nb\n")
        .ok("     1\ta\n     2\tb\n");
    run("nl", &["-w3", "-nrz"])
        .stdin("a\nb\n")
        .ok("001\ta\n002\tb\n");
    run("nl", &["-w1", "-v", "99"])
        .stdin("a\nb\n")
        .ok("99\ta\n100\tb\n");
    run("nl", &["-s", ": "])
        .stdin("a\nb\n")
        .ok("     1: a\n     2: b\n");
    run("nl", &["-s", ""])
        .stdin("a\nb\n")
        .ok("     1a\n     2b\n");
    run("nl", &["-v0", "-i5"])
        .stdin("a\nb\nc\n")
        .ok("     0\ta\n     5\tb\n    10\tc\n");
    run("nl", &["-v", "-3", "-i", "2"])
        .stdin("a\nb\nc\n")
        .ok("    -3\ta\n    -1\tb\n     1\tc\n");
    run(
        "nl",
        &[
            "--starting-line-number=7",
            "--line-increment=10",
            "--number-width=4",
            "--number-separator=|",
            "--number-format=ln",
        ],
    )
    .stdin("a\nb\n")
    .ok("7   |a\n17  |b\n");
}

#[test]
fn nl_sections() {
    run("nl", &[]).stdin("\\:\\:\\:\nhead1\n\n\\:\\:\nbody1\n\nbody2\n\\:\nfoot\n\\:\\:\\:\nh2\n\\:\\:\nb3\n").ok("\n       head1\n       \n\n     1\tbody1\n       \n     2\tbody2\n\n       foot\n\n       h2\n\n     1\tb3\n");
    run("nl", &["-p"])
        .stdin("\\:\\:\\:\nhead1\n\\:\\:\nbody1\n\\:\\:\\:\nh2\n\\:\\:\nb3\n")
        .ok("\n       head1\n\n     1\tbody1\n\n       h2\n\n     2\tb3\n");
    run("nl", &["-ha", "-fa"])
        .stdin("\\:\\:\\:\nhead1\n\n\\:\\:\nbody1\n\\:\nfoot\n\n")
        .ok("\n     1\thead1\n     2\t\n\n     1\tbody1\n\n     1\tfoot\n     2\t\n");
    run("nl", &["-ht", "-ft", "-bn"])
        .stdin("\\:\\:\\:\nhead1\n\n\\:\\:\nbody1\n\\:\nfoot\n\n")
        .ok("\n     1\thead1\n       \n\n       body1\n\n     1\tfoot\n       \n");
    run("nl", &["-d@@", "-ha", "-fa"])
        .stdin("@@@@@@\nh\n@@@@\nb\n@@\nf\n\\:\\:\nx\n")
        .ok("\n     1\th\n\n     1\tb\n\n     1\tf\n     2\t\\:\\:\n     3\tx\n");
    run("nl", &["-d@", "-ha", "-fa"])
        .stdin("@:@:@:\nh\n@:@:\nb\n@:\nf\n")
        .ok("\n     1\th\n\n     1\tb\n\n     1\tf\n");
    run("nl", &["-d", "abc"])
        .stdin("a\nabcabc\nb\n")
        .ok("     1\ta\n\n     1\tb\n");
}

#[test]
fn nl_errors() {
    let d = Dir::new();
    d.write("f", "x\n");
    d.run("nl", &["f", "-", "f"])
        .stdin("y\n")
        .ok("     1\tx\n     2\ty\n     3\tx\n");
    d.run("nl", &["nope", "f"]).stdin("").go().expect(
        1,
        b"     1\tx\n",
        b"nl: nope: No such file or directory\n",
    );
    d.run("nl", &["-bx"]).stdin("").fails(
        1,
        format!("nl: invalid body numbering style: 'x'\n{NL_USAGE}"),
    );
    d.run("nl", &["-nxx"]).stdin("").fails(
        1,
        format!("nl: invalid line numbering format: 'xx'\n{NL_USAGE}"),
    );
    d.run("nl", &["-w0"]).stdin("").fails(
        1,
        "nl: invalid line number field width: '0': Numerical result out of range\n",
    );
    d.run("nl", &["-w", "x"])
        .stdin("")
        .fails(1, "nl: invalid line number field width: 'x'\n");
    d.run("nl", &["-v", "x"])
        .stdin("")
        .fails(1, "nl: invalid starting line number: 'x'\n");
    d.run("nl", &["-l", "0"]).stdin("").fails(
        1,
        "nl: invalid line number of blank lines: '0': Numerical result out of range\n",
    );
    d.run("nl", &["-bp\\("])
        .stdin("a\n")
        .fails(1, "nl: Unmatched ( or \\(\n");
    d.run("nl", &["-q"])
        .stdin("")
        .fails(1, format!("nl: invalid option -- 'q'\n{NL_USAGE}"));
}

// ---------- fold ----------
#[test]
fn fold_widths() {
    run("fold", &["-w", "10"])
        .stdin("the quick brown fox jumps over the lazy dog\n")
        .ok("the quick \nbrown fox \njumps over\n the lazy \ndog\n");
    run("fold", &["-5"])
        .stdin("123456789012\nab\n")
        .ok("12345\n67890\n12\nab\n");
    run("fold", &["--width=7"])
        .stdin("123456789012\n")
        .ok("1234567\n89012\n");
    run("fold", &["-w", "1"]).stdin("abc\n").ok("a\nb\nc\n");
    run("fold", &[]).stdin("xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n").ok("xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\nxxxxxxxxxxxxxxxxxxxx\n");
    run("fold", &["-w", "4"])
        .stdin("a\tb\tc\n")
        .ok("a\n\t\nb\n\t\nc\n");
    run("fold", &["-w", "4"])
        .stdin("ab\x08cdef\n")
        .ok("ab\x08cde\nf\n");
    run("fold", &["-w", "4"])
        .stdin("abc\x0ddefgh\n")
        .ok("abc\x0ddefg\nh\n");
    run("fold", &["-w", "3"])
        .stdin("lastnonl")
        .ok("las\ntno\nnl");
    run("fold", &["-w", "3"]).stdin("").ok("");
}

#[test]
fn fold_bytes_spaces() {
    run("fold", &["-w10", "-s"])
        .stdin("the quick brown fox jumps over the lazy dog\n")
        .ok("the quick \nbrown fox \njumps \nover the \nlazy dog\n");
    run("fold", &["-s", "-w", "3"])
        .stdin("ab cd efgh\n")
        .ok("ab \ncd \nefg\nh\n");
    run("fold", &["--spaces", "-w", "6"])
        .stdin("a\tb c d e\n")
        .ok("a\n\t\nb c d \ne\n");
    run("fold", &["-b", "-w", "4"])
        .stdin("a\tb\tc\td\n")
        .ok("a\tb\t\nc\td\n");
    run("fold", &["--bytes", "-w", "4"])
        .stdin("ab\x08cdef\n")
        .ok("ab\x08c\ndef\n");
    run("fold", &["-bs", "-w", "6"])
        .stdin("aa bb cc dd\n")
        .ok("aa bb \ncc dd\n");
}

#[test]
fn fold_utf8_columns() {
    // Each UTF-8 character is one column and is never split; -b counts bytes.
    run("fold", &["-w3"])
        .stdin("\u{394}\u{394}\u{394}\u{394}\u{394}\n")
        .ok("\u{394}\u{394}\u{394}\n\u{394}\u{394}\n");
    run("fold", &["-sw6"])
        .stdin("\u{430}\u{431} \u{432}\u{433}\u{434} \u{435}\n")
        .ok("\u{430}\u{431} \n\u{432}\u{433}\u{434} \u{435}\n");
    run("fold", &["-bw3"])
        .stdin("\u{394}\u{394}\n")
        .ok(b"\xce\x94\xce\n\x94\n");
}

#[test]
fn fold_errors() {
    run("fold", &["-w", "0"]).stdin("").fails(
        1,
        "fold: invalid number of columns: '0': Numerical result out of range\n",
    );
    run("fold", &["-w", "x"])
        .stdin("")
        .fails(1, "fold: invalid number of columns: 'x'\n");
    run("fold", &["-w", "-1"])
        .stdin("")
        .fails(1, "fold: invalid number of columns: '-1'\n");
    run("fold", &["-w"]).stdin("").fails(
        1,
        format!("fold: option requires an argument -- 'w'\n{FOLD_USAGE}"),
    );
    let d = Dir::new();
    d.write("f", "abcdef\n");
    d.run("fold", &["-w3", "f", "nope"]).stdin("").go().expect(
        1,
        b"abc\ndef\n",
        b"fold: nope: No such file or directory\n",
    );
}

// ---------- paste ----------
#[test]
fn paste_parallel() {
    let d = Dir::new();
    d.write("f", "a\nb\n");
    d.write("g", "x\ny\nz\nw");
    d.write("e", "");
    d.run("paste", &["f", "g"]).ok("a\tx\nb\ty\n\tz\n\tw\n");
    d.run("paste", &["-d,", "f", "g"]).ok("a,x\nb,y\n,z\n,w\n");
    d.run("paste", &["-d", ",;", "f", "g", "f"])
        .ok("a,x;a\nb,y;b\n,z;\n,w;\n");
    d.run("paste", &["f", "e", "g"])
        .ok("a\t\tx\nb\t\ty\n\t\tz\n\t\tw\n");
    d.run("paste", &["e"]).ok("");
    d.run("paste", &["-d", "", "f", "g"]).ok("ax\nby\nz\nw\n");
    d.run("paste", &["-d", "\\n", "f", "g"])
        .ok("a\nx\nb\ny\n\nz\n\nw\n");
    d.run("paste", &["-d", "\\t\\\\", "f", "g", "f"])
        .ok("a\tx\\a\nb\ty\\b\n\tz\\\n\tw\\\n");
    d.run("paste", &["-d", "\\0", "f", "g"])
        .ok("ax\nby\nz\nw\n");
    d.run("paste", &["-d", "\\", "f", "g"]).fails(
        1,
        "paste: delimiter list ends with an unescaped backslash: \\\n",
    );
    d.run("paste", &["--delimiters=ab", "f", "-", "g"])
        .stdin("1\n2\n3\n")
        .ok("aa1bx\nba2by\na3bz\nabw\n");
    d.run("paste", &["-", "-"])
        .stdin("1\n2\n3\n4\n5")
        .ok("1\t2\n3\t4\n5\t\n");
    d.run("paste", &["-", "-", "-"])
        .stdin("1\n2\n3\n4\n5")
        .ok("1\t2\t3\n4\t5\t\n");
}

#[test]
fn paste_serial_zero() {
    let d = Dir::new();
    d.write("f", "a\nb\n");
    d.write("g", "x\ny\nz\nw");
    d.write("e", "");
    d.run("paste", &["-s", "f", "g"]).ok("a\tb\nx\ty\tz\tw\n");
    d.run("paste", &["-s", "-d,", "f", "g"])
        .ok("a,b\nx,y,z,w\n");
    d.run("paste", &["--serial", "-d", ",:", "-"])
        .stdin("1\n2\n3\n4\n5")
        .ok("1,2:3,4:5\n");
    d.run("paste", &["-s", "e"]).ok("\n");
    d.run("paste", &["-s"]).stdin("").ok("\n");
    d.run("paste", &["-z", "f"]).ok("a\nb\n\0");
    d.run("paste", &["-z", "-", "-"])
        .stdin("a\0b\0c\0")
        .ok("a\tb\0c\t\0");
    d.run("paste", &["-zs", "-d,", "-"])
        .stdin("a\0b\nc\0")
        .ok("a,b\nc\0");
    d.run("paste", &["--zero-terminated", "-s"])
        .stdin("a\0b")
        .ok("a\tb\0");
}

#[test]
fn paste_utf8_delimiters() {
    // Each delimiter is a UTF-8 character, with the combining marks that
    // come before it.
    run(
        "paste",
        &[
            "-d",
            "\u{79c1}\\0\u{334}\u{317}eq",
            "-",
            "-",
            "-",
            "-",
            "-",
            "-",
        ],
    )
    .stdin("1\n2\n3\n4\n5\n6\n7\n")
    .ok("1\u{79c1}23\u{334}\u{317}e4q5\u{79c1}6\n7\u{79c1}\u{334}\u{317}eq\u{79c1}\n");
    run("paste", &["-s", "-d", "\u{394}-"])
        .stdin("a\nb\nc\n")
        .ok("a\u{394}b-c\n");
    // A byte that is not UTF-8 is a delimiter of its own.
    let d = Dir::new();
    d.sh("printf 'a\\nb\\nc\\n' | $B/paste -s -d \"$(printf '\\377\\303')\" | od -An -c")
        .ok("   a 377   b 303   c  \\n\n");
}

#[test]
fn paste_errors() {
    let d = Dir::new();
    d.write("f", "a\n");
    d.run("paste", &["f", "nope"])
        .stdin("")
        .fails(1, "paste: nope: No such file or directory\n");
    d.run("paste", &["-x"])
        .stdin("")
        .fails(1, format!("paste: invalid option -- 'x'\n{PASTE_USAGE}"));
    d.run("paste", &["-d"]).stdin("").fails(
        1,
        format!("paste: option requires an argument -- 'd'\n{PASTE_USAGE}"),
    );
}

// ---------- expand / unexpand ----------
#[test]
fn expand_tabs() {
    run("expand", &[])
        .stdin("\ta\tb\n  \t x\ty\n12345678\t9\n \t  \tlast")
        .ok("        a       b\n         x      y\n12345678        9\n                last");
    run("expand", &["-t", "4"])
        .stdin("\ta\tb\n  \t x\ty\n")
        .ok("    a   b\n     x  y\n");
    run("expand", &["-4"]).stdin("\ta\tb\n").ok("    a   b\n");
    run("expand", &["--tabs=2,5,9"])
        .stdin("\ta\tb\tc\td\n")
        .ok("  a  b   c d\n");
    run("expand", &["-t", "2 5"])
        .stdin("\ta\tb\tc\n")
        .ok("  a  b c\n");
    run("expand", &["-t", "4,/3"])
        .stdin("\ta\tb\tc\td\n")
        .ok("    a b  c  d\n");
    run("expand", &["-t", "4,+3"])
        .stdin("\ta\tb\tc\td\n")
        .ok("    a  b  c  d\n");
    run("expand", &["-t", "/5"])
        .stdin("\ta\tb\n")
        .ok("     a    b\n");
    run("expand", &["-t", "1"])
        .stdin("a\tb\t\tc\n")
        .ok("a b  c\n");
    run("expand", &["-t", "2,4"])
        .stdin("\t\t\t\tx\n")
        .ok("      x\n");
    run("expand", &[])
        .stdin("ab\x08c\td\n")
        .ok("ab\x08c      d\n");
    run("expand", &["-i"])
        .stdin("  \ta\tb\n\t x\ty\n")
        .ok("        a\tb\n         x\ty\n");
    run("expand", &["--initial", "-t", "3,6"])
        .stdin("\t\ta\tb\n")
        .ok("      a\tb\n");
    run("expand", &[]).stdin("").ok("");
}

#[test]
fn expand_utf8_columns() {
    run("expand", &[])
        .stdin("\u{394}\t12345\u{394}\u{394}\u{394}\t1\n")
        .ok("\u{394}       12345\u{394}\u{394}\u{394}        1\n");
    run("expand", &["-t4"])
        .stdin("\u{4e16}\u{754c}\tx\n")
        .ok("\u{4e16}\u{754c}  x\n");
}

#[test]
fn expand_errors() {
    let d = Dir::new();
    d.write("f", "\tx\n");
    d.run("expand", &["f", "nope", "-"])
        .stdin("a\tb\n")
        .go()
        .expect(
            1,
            b"        x\na       b\n",
            b"expand: nope: No such file or directory\n",
        );
    d.run("expand", &["-t", "0"])
        .stdin("")
        .fails(1, "expand: tab size cannot be 0\n");
    d.run("expand", &["-t", "3,2"])
        .stdin("")
        .fails(1, "expand: tab sizes must be ascending\n");
    d.run("expand", &["-t", "x"])
        .stdin("")
        .fails(1, "expand: tab size contains invalid character(s): 'x'\n");
    d.run("expand", &["-t", "4,/3,5"]).stdin("").fails(
        1,
        "expand: '/' specifier only allowed with the last value\n",
    );
    d.run("expand", &["-t", "99999999999999999999999"])
        .stdin("")
        .fails(
            1,
            "expand: tab stop is too large '99999999999999999999999'\n",
        );
    d.run("expand", &["-x"])
        .stdin("")
        .fails(1, format!("expand: invalid option -- 'x'\n{EXPAND_USAGE}"));
}

#[test]
fn unexpand_blanks() {
    run("unexpand", &[]).stdin("        a       b\n   \t  x  y          z\n                 \tq\n a\n  \t\n        last").ok("\ta       b\n\t  x  y          z\n\t\t\tq\n a\n\t\n\tlast");
    // By default, as BusyBox, the first run of blanks converts even after
    // a first word; later runs do not. `-f` keeps to leading blanks.
    let first_runs = "x       y       z\n123 \t 4\n1\u{394}\u{394}\u{394}5   9\nab  cd      e\n";
    run("unexpand", &[])
        .stdin(first_runs)
        .ok("x\ty       z\n123\t 4\n1\u{394}\u{394}\u{394}5\t9\nab  cd      e\n");
    run("unexpand", &["--first-only"])
        .stdin(first_runs)
        .ok(first_runs);
    run("unexpand", &["-a"])
        .stdin("        a       b\n   \t  x  y          z\n")
        .ok("\ta\tb\n\t  x  y\t\tz\n");
    run("unexpand", &["--all"])
        .stdin("ab      c d\n")
        .ok("ab\tc d\n");
    run("unexpand", &["-t", "4"])
        .stdin("        a       b\n    x   y\n")
        .ok("\t\ta\t\tb\n\tx\ty\n");
    run("unexpand", &["-4"])
        .stdin("        a       b\n")
        .ok("\t\ta       b\n");
    run("unexpand", &["-4", "-a"])
        .stdin("        a       b\n")
        .ok("\t\ta\t\tb\n");
    run("unexpand", &["-t", "4", "--first-only"])
        .stdin("        a       b\n")
        .ok("\t\ta       b\n");
    run("unexpand", &["-a", "--first-only"])
        .stdin("        a       b\n")
        .ok("\ta       b\n");
    run("unexpand", &["-f", "-t4"])
        .stdin("        a       b")
        .ok("\t\ta       b");
    run("unexpand", &["-t8", "-f"])
        .stdin("        a       b")
        .ok("\ta       b");
    // A UTF-8 character is one column.
    run("unexpand", &["-a"])
        .stdin("1\u{394}\u{394}\u{394}5   99999\n")
        .ok("1\u{394}\u{394}\u{394}5\t99999\n");
    run("unexpand", &["-t", "3,6,12"])
        .stdin("            a  b\n")
        .ok("\t\t\ta  b\n");
    run("unexpand", &["-t", "4,/5"])
        .stdin("                    a\n")
        .ok("\t\t\t\t\ta\n");
    run("unexpand", &["-t", "2,+4"])
        .stdin("              a\n")
        .ok("\t\t\t\ta\n");
    run("unexpand", &["-a", "-t", "1"])
        .stdin("a  b\n")
        .ok("a\t\tb\n");
    run("unexpand", &["-a"])
        .stdin("ab\x08c     d\n")
        .ok("ab\x08c     d\n");
    run("unexpand", &[]).stdin("").ok("");
}

#[test]
fn unexpand_errors() {
    run("unexpand", &["-t", "0"])
        .stdin("")
        .fails(1, "unexpand: tab size cannot be 0\n");
    run("unexpand", &["-t", "3,2"])
        .stdin("")
        .fails(1, "unexpand: tab sizes must be ascending\n");
    run("unexpand", &["-t", "x"])
        .stdin("")
        .fails(1, "unexpand: tab size contains invalid character(s): 'x'\n");
    run("unexpand", &["nope"])
        .stdin("")
        .fails(1, "unexpand: nope: No such file or directory\n");
    run("unexpand", &["-b"]).stdin("").fails(
        1,
        format!("unexpand: invalid option -- 'b'\n{UNEXPAND_USAGE}"),
    );
}

// ---------- fmt ----------
#[test]
fn fmt_widths() {
    run("fmt", &[]).stdin("This is a paragraph of text that is long enough to need wrapping.  It has two sentences. And\na short line.\n\n   Indented paragraph here with several words in it to make it wrap around a few times at least.\n   Second line of the indented paragraph.\n\n  First line of crown\n    second line is indented more than the first and it continues with more words to wrap.\n# prefixed comment line that is rather long and should be wrapped when using the prefix option please\n# second comment line\nnot prefixed line that is also rather long but must not be touched by prefix mode formatting at all\n\ttab indented line with words words words words words words words words words words words\n").ok("This is a paragraph of text that is long enough to need wrapping.\nIt has two sentences. And a short line.\n\n   Indented paragraph here with several words in it to make it wrap\n   around a few times at least.  Second line of the indented paragraph.\n\n  First line of crown\n    second line is indented more than the first and it continues with\n    more words to wrap.\n# prefixed comment line that is rather long and should be wrapped when\nusing the prefix option please # second comment line not prefixed line\nthat is also rather long but must not be touched by prefix mode formatting\nat all\n\ttab indented line with words words words words words words words\n\twords words words words\n");
    run("fmt", &["-w", "40"]).stdin("This is a paragraph of text that is long enough to need wrapping.  It has two sentences. And\na short line.\n\n   Indented paragraph here with several words in it to make it wrap around a few times at least.\n   Second line of the indented paragraph.\n\n  First line of crown\n    second line is indented more than the first and it continues with more words to wrap.\n# prefixed comment line that is rather long and should be wrapped when using the prefix option please\n# second comment line\nnot prefixed line that is also rather long but must not be touched by prefix mode formatting at all\n\ttab indented line with words words words words words words words words words words words\n").ok("This is a paragraph of text that is\nlong enough to need wrapping.  It has\ntwo sentences. And a short line.\n\n   Indented paragraph here with several\n   words in it to make it wrap around\n   a few times at least.  Second line\n   of the indented paragraph.\n\n  First line of crown\n    second line is indented more than\n    the first and it continues with\n    more words to wrap.\n# prefixed comment line that is\nrather long and should be wrapped\nwhen using the prefix option please #\nsecond comment line not prefixed line\nthat is also rather long but must not\nbe touched by prefix mode formatting\nat all\n\ttab indented line with words\n\twords words words words words\n\twords words words words words\n");
    run("fmt", &["-40"])
        .stdin("one two three four five six seven eight nine ten eleven twelve\n")
        .ok("one two three four five six seven eight\nnine ten eleven twelve\n");
    run("fmt", &["--width=30", "--goal=20"]).stdin("This is a paragraph of text that is long enough to need wrapping.  It has two sentences. And\na short line.\n\n   Indented paragraph here with several words in it to make it wrap around a few times at least.\n   Second line of the indented paragraph.\n\n  First line of crown\n    second line is indented more than the first and it continues with more words to wrap.\n# prefixed comment line that is rather long and should be wrapped when using the prefix option please\n# second comment line\nnot prefixed line that is also rather long but must not be touched by prefix mode formatting at all\n\ttab indented line with words words words words words words words words words words words\n").ok("This is a paragraph\nof text that is long\nenough to need wrapping.\nIt has two sentences. And\na short line.\n\n   Indented paragraph\n   here with several\n   words in it to make\n   it wrap around a\n   few times at least.\n   Second line of the\n   indented paragraph.\n\n  First line of crown\n    second line is indented\n    more than the first\n    and it continues\n    with more words to wrap.\n# prefixed comment\nline that is rather\nlong and should be\nwrapped when using the\nprefix option please #\nsecond comment line not\nprefixed line that is\nalso rather long but\nmust not be touched by\nprefix mode formatting at all\n\ttab indented line\n\twith words words\n\twords words words\n\twords words words\n\twords words words\n");
    run("fmt", &["-w", "10"])
        .stdin("supercalifragilistic word\n")
        .ok("supercalifragilistic\nword\n");
    run("fmt", &[]).stdin("a\nb\n\n\nc\n").ok("a b\n\n\nc\n");
    run("fmt", &[])
        .stdin("no newline at end")
        .ok("no newline at end\n");
    run("fmt", &[]).stdin("").ok("");
}

#[test]
fn fmt_modes() {
    run("fmt", &["-s", "-w", "30"]).stdin("This is a paragraph of text that is long enough to need wrapping.  It has two sentences. And\na short line.\n\n   Indented paragraph here with several words in it to make it wrap around a few times at least.\n   Second line of the indented paragraph.\n\n  First line of crown\n    second line is indented more than the first and it continues with more words to wrap.\n# prefixed comment line that is rather long and should be wrapped when using the prefix option please\n# second comment line\nnot prefixed line that is also rather long but must not be touched by prefix mode formatting at all\n\ttab indented line with words words words words words words words words words words words\n").ok("This is a paragraph of\ntext that is long enough to\nneed wrapping.  It has two\nsentences. And\na short line.\n\n   Indented paragraph here\n   with several words in it\n   to make it wrap around a\n   few times at least.\n   Second line of the\n   indented paragraph.\n\n  First line of crown\n    second line is indented\n    more than the first and\n    it continues with more\n    words to wrap.\n# prefixed comment line that\nis rather long and should be\nwrapped when using the prefix\noption please\n# second comment line\nnot prefixed line that is\nalso rather long but must\nnot be touched by prefix mode\nformatting at all\n\ttab indented line\n\twith words words\n\twords words words\n\twords words words\n\twords words words\n");
    run("fmt", &["--split-only", "-w", "20"])
        .stdin("short\nlines stay as they are\n")
        .ok("short\nlines stay as\nthey are\n");
    run("fmt", &["-u"])
        .stdin("a   b  c.  Next.   x\n")
        .ok("a b c.  Next.  x\n");
    run("fmt", &["-c", "-w", "40"]).stdin("  First line of crown\n    second line is indented more than the first and it continues with more words to wrap.\n").ok("  First line of crown second line is\n    indented more than the first and it\n    continues with more words to wrap.\n");
    run("fmt", &["-t", "-w", "40"]).stdin("  First line of crown\n    second line is indented more than the first and it continues with more words to wrap.\n").ok("  First line of crown second line is\n    indented more than the first and it\n    continues with more words to wrap.\n");
    run("fmt", &["-p", "# ", "-w", "30"]).stdin("This is a paragraph of text that is long enough to need wrapping.  It has two sentences. And\na short line.\n\n   Indented paragraph here with several words in it to make it wrap around a few times at least.\n   Second line of the indented paragraph.\n\n  First line of crown\n    second line is indented more than the first and it continues with more words to wrap.\n# prefixed comment line that is rather long and should be wrapped when using the prefix option please\n# second comment line\nnot prefixed line that is also rather long but must not be touched by prefix mode formatting at all\n\ttab indented line with words words words words words words words words words words words\n").ok("This is a paragraph of text that is long enough to need wrapping.  It has two sentences. And\na short line.\n\n   Indented paragraph here with several words in it to make it wrap around a few times at least.\n   Second line of the indented paragraph.\n\n  First line of crown\n    second line is indented more than the first and it continues with more words to wrap.\n# prefixed comment line that\n# is rather long and should\n# be wrapped when using the\n# prefix option please second\n# comment line\nnot prefixed line that is also rather long but must not be touched by prefix mode formatting at all\n\ttab indented line with words words words words words words words words words words words\n");
    run("fmt", &["--prefix=>", "-w", "20"])
        .stdin("> quoted text that goes on and on\nplain\n")
        .ok("> quoted text that\n> goes on and on\nplain\n");
    run("fmt", &["-w", "30"])
        .stdin("\ttab indented line with words words words words words\n")
        .ok("\ttab indented line\n\twith words words\n\twords words words\n");
}

#[test]
fn fmt_errors() {
    run("fmt", &["-w", "x"])
        .stdin("")
        .fails(1, "fmt: invalid width: 'x'\n");
    run("fmt", &["-g", "80"]).stdin("").fails(
        1,
        "fmt: invalid width: '80': Numerical result out of range\n",
    );
    run("fmt", &["-w", "10", "-g", "20"]).stdin("").fails(
        1,
        "fmt: invalid width: '20': Numerical result out of range\n",
    );
    run("fmt", &["-w", "2501"]).stdin("").fails(
        1,
        "fmt: invalid width: '2501': Numerical result out of range\n",
    );
    run("fmt", &["-z"])
        .stdin("")
        .fails(1, format!("fmt: invalid option -- 'z'\n{FMT_USAGE}"));
    let d = Dir::new();
    d.write("f", "a b\n");
    d.run("fmt", &["f", "nope", "-"]).stdin("c\n").go().expect(
        1,
        b"a b\nc\n",
        b"fmt: cannot open 'nope' for reading: No such file or directory\n",
    );
}

// ---------- strings ----------
#[test]
fn strings_lengths() {
    let d = Dir::new();
    d.write("b", b"\0\x01hello world\0ab\0abcd\x7fxyz12\tTAB here\0\xffhigh\xe9\xe8bytes\0line\nnext\0  spaces  \0w\0i\0d\0e\0!\0\0\0\0B\0I\0G\0EL\0\0\0O\0\0\0N\0\0\0G\0\0\0\0\0\0Q\0\0\0R\0\0\0S\0\0\0Ttail");
    d.run("strings", &["b"])
        .ok("hello world\nabcd\nxyz12\tTAB here\nhigh\nbytes\nline\nnext\n  spaces  \nTtail\n");
    d.run("strings", &["-n", "2", "b"]).ok(
        "hello world\nab\nabcd\nxyz12\tTAB here\nhigh\nbytes\nline\nnext\n  spaces  \nEL\nTtail\n",
    );
    d.run("strings", &["-2", "b"]).ok(
        "hello world\nab\nabcd\nxyz12\tTAB here\nhigh\nbytes\nline\nnext\n  spaces  \nEL\nTtail\n",
    );
    d.run("strings", &["--bytes=6", "b"])
        .ok("hello world\nxyz12\tTAB here\n  spaces  \n");
    d.run("strings", &["-a", "b"])
        .ok("hello world\nabcd\nxyz12\tTAB here\nhigh\nbytes\nline\nnext\n  spaces  \nTtail\n");
    d.run("strings", &["-d", "b"])
        .ok("hello world\nabcd\nxyz12\tTAB here\nhigh\nbytes\nline\nnext\n  spaces  \nTtail\n");
    d.run("strings", &["-w", "b"])
        .ok("hello world\nabcd\nxyz12\tTAB here\nhigh\nbytes\nline\nnext\n  spaces  \nTtail\n");
    d.run("strings", &["-w", "-n", "2", "b"]).ok(
        "hello world\nab\nabcd\nxyz12\tTAB here\nhigh\nbytes\nline\nnext\n  spaces  \nEL\nTtail\n",
    );
    d.run("strings", &["-s", ",", "b"])
        .ok("hello world,abcd,xyz12\tTAB here,high,bytes,line,next,  spaces  ,Ttail,");
    d.run("strings", &["-s", "", "b"])
        .ok("hello worldabcdxyz12\tTAB herehighbyteslinenext  spaces  Ttail");
    d.run("strings", &["--output-separator=--", "b"])
        .ok("hello world--abcd--xyz12\tTAB here--high--bytes--line--next--  spaces  --Ttail--");
    d.run("strings", &[])
        .stdin("abc\0defg\0hijklm")
        .ok("defg\nhijklm\n");
    d.run("strings", &[]).stdin("").ok("");
}

#[test]
fn strings_offsets_names() {
    let d = Dir::new();
    d.write("b", b"\0\x01hello world\0ab\0abcd\x7fxyz12\tTAB here\0\xffhigh\xe9\xe8bytes\0line\nnext\0  spaces  \0w\0i\0d\0e\0!\0\0\0\0B\0I\0G\0EL\0\0\0O\0\0\0N\0\0\0G\0\0\0\0\0\0Q\0\0\0R\0\0\0S\0\0\0Ttail");
    d.run("strings", &["-t", "x", "b"]).ok("      2 hello world\n     11 abcd\n     16 xyz12\tTAB here\n     26 high\n     2c bytes\n     32 line\n     37 next\n     3c   spaces  \n     7a Ttail\n");
    d.run("strings", &["-t", "d", "b"]).ok("      2 hello world\n     17 abcd\n     22 xyz12\tTAB here\n     38 high\n     44 bytes\n     50 line\n     55 next\n     60   spaces  \n    122 Ttail\n");
    d.run("strings", &["-t", "o", "b"]).ok("      2 hello world\n     21 abcd\n     26 xyz12\tTAB here\n     46 high\n     54 bytes\n     62 line\n     67 next\n     74   spaces  \n    172 Ttail\n");
    d.run("strings", &["-o", "b"]).ok("      2 hello world\n     21 abcd\n     26 xyz12\tTAB here\n     46 high\n     54 bytes\n     62 line\n     67 next\n     74   spaces  \n    172 Ttail\n");
    d.run("strings", &["--radix=x", "-n", "8", "b"])
        .ok("      2 hello world\n     16 xyz12\tTAB here\n     3c   spaces  \n");
    d.run("strings", &["-f", "b"]).ok("b: hello world\nb: abcd\nb: xyz12\tTAB here\nb: high\nb: bytes\nb: line\nb: next\nb:   spaces  \nb: Ttail\n");
    d.run("strings", &["-f", "-t", "x", "b"]).ok("b:       2 hello world\nb:      11 abcd\nb:      16 xyz12\tTAB here\nb:      26 high\nb:      2c bytes\nb:      32 line\nb:      37 next\nb:      3c   spaces  \nb:      7a Ttail\n");
    d.run("strings", &["--print-file-name", "b", "b"]).ok("b: hello world\nb: abcd\nb: xyz12\tTAB here\nb: high\nb: bytes\nb: line\nb: next\nb:   spaces  \nb: Ttail\nb: hello world\nb: abcd\nb: xyz12\tTAB here\nb: high\nb: bytes\nb: line\nb: next\nb:   spaces  \nb: Ttail\n");
    d.run("strings", &["-f"])
        .stdin("stdin data\0")
        .ok("{standard input}: stdin data\n");
}

#[test]
fn strings_encodings() {
    let d = Dir::new();
    d.write("b", b"\0\x01hello world\0ab\0abcd\x7fxyz12\tTAB here\0\xffhigh\xe9\xe8bytes\0line\nnext\0  spaces  \0w\0i\0d\0e\0!\0\0\0\0B\0I\0G\0EL\0\0\0O\0\0\0N\0\0\0G\0\0\0\0\0\0Q\0\0\0R\0\0\0S\0\0\0Ttail");
    d.run("strings", &["-e", "s", "b"])
        .ok("hello world\nabcd\nxyz12\tTAB here\nhigh\nbytes\nline\nnext\n  spaces  \nTtail\n");
    d.run("strings", &["-e", "S", "b"]).ok(b"hello world\nabcd\nxyz12\tTAB here\n\xffhigh\xe9\xe8bytes\nline\nnext\n  spaces  \nTtail\n");
    d.run("strings", &["-e", "l", "b"]).ok(" wide!\n");
    d.run("strings", &["-e", "b", "b"]).ok("wide!\nBIGE\n");
    d.run("strings", &["-e", "L", "b"]).ok("LONG\n");
    d.run("strings", &["-e", "B", "b"]).ok("QRST\n");
    d.run("strings", &["--encoding=l", "-n", "3", "b"])
        .ok(" wide!\nBIG\n");
}

#[test]
fn strings_errors() {
    run("strings", &["-n", "x"]).stdin("").fails(
        1,
        format!("strings: invalid integer argument x\n{STRINGS_USAGE}"),
    );
    run("strings", &["-n", "0"])
        .stdin("")
        .fails(1, "strings: invalid minimum string length 0\n");
    run("strings", &["-t", "q"]).fails(1, format!("strings: invalid radix q\n{STRINGS_USAGE}"));
    run("strings", &["-e", "z"]).fails(1, format!("strings: invalid encoding z\n{STRINGS_USAGE}"));
    run("strings", &["-k"]).stdin("").fails(
        1,
        format!("strings: invalid option -- 'k'\n{STRINGS_USAGE}"),
    );
    let d = Dir::new();
    d.write("f", "hello\0");
    d.run("strings", &["nope", "f"])
        .go()
        .expect(1, b"hello\n", b"strings: 'nope': No such file\n");
    d.run("strings", &[".", "f"]).go().expect(
        1,
        b"hello\n",
        b"strings: Warning: '.' is a directory\n",
    );
}

// ---------- split ----------
#[test]
fn split_cases() {
    split_case(
        &["-l", "3"],
        "1\n2\n3\n4\n5\n6\n7",
        0,
        "",
        "",
        "xaa=1\n2\n3\n;xab=4\n5\n6\n;xac=7;",
    );
    split_case(
        &["-3"],
        "1\n2\n3\n4\n5\n6\n7\n",
        0,
        "",
        "",
        "xaa=1\n2\n3\n;xab=4\n5\n6\n;xac=7\n;",
    );
    split_case(
        &["--lines=2", "-", "pre"],
        "1\n2\n3\n4\n5\n",
        0,
        "",
        "",
        "preaa=1\n2\n;preab=3\n4\n;preac=5\n;",
    );
    split_case(&[], "1\n2\n3\n", 0, "", "", "xaa=1\n2\n3\n;");
    split_case(&[], "", 0, "", "", "");
    split_case(
        &["-b", "4"],
        "1\n2\n3\n4\n5\n6\n7",
        0,
        "",
        "",
        "xaa=1\n2\n;xab=3\n4\n;xac=5\n6\n;xad=7;",
    );
    split_case(
        &["--bytes=5", "-d"],
        "1\n2\n3\n4\n5\n6\n7",
        0,
        "",
        "",
        "x00=1\n2\n3;x01=\n4\n5\n;x02=6\n7;",
    );
    split_case(&["-b", "1K"], "abc\n", 0, "", "", "xaa=abc\n;");
    split_case(
        &["-b", "3", "-a", "3"],
        "abcdefg",
        0,
        "",
        "",
        "xaaa=abc;xaab=def;xaac=g;",
    );
    split_case(
        &["-C", "5"],
        "1\n2\n3\n4\n5\n6\n7",
        0,
        "",
        "",
        "xaa=1\n2\n;xab=3\n4\n;xac=5\n6\n;xad=7;",
    );
    split_case(&["-C", "5"], "ab\ncd", 0, "", "", "xaa=ab\n;xab=cd;");
    split_case(
        &["-C", "5"],
        "abcdefgh\nx",
        0,
        "",
        "",
        "xaa=abcde;xab=fgh\n;xac=x;",
    );
    split_case(
        &["--line-bytes=4"],
        "abcdefghij\nk\n",
        0,
        "",
        "",
        "xaa=abcd;xab=efgh;xac=ij\n;xad=k\n;",
    );
    split_case(
        &["-n", "3"],
        "1\n2\n3\n4\n5\n6\n7",
        1,
        "",
        "split: -: cannot determine file size\n",
        "",
    );
    split_case(
        &["-n", "l/3"],
        "1\n2\n3\n4\n5\n6\n7",
        1,
        "",
        "split: -: cannot determine file size\n",
        "",
    );
    split_case(
        &["-n", "r/3"],
        "1\n2\n3\n4\n5\n6\n7",
        0,
        "",
        "",
        "xaa=1\n4\n7;xab=2\n5\n;xac=3\n6\n;",
    );
    split_case(
        &["-n", "2/3"],
        "1\n2\n3\n4\n5\n6\n7",
        1,
        "",
        "split: -: cannot determine file size\n",
        "",
    );
    split_case(
        &["-n", "l/2/3"],
        "1\n2\n3\n4\n5\n6\n7",
        1,
        "",
        "split: -: cannot determine file size\n",
        "",
    );
    split_case(
        &["-n", "r/1/3"],
        "1\n2\n3\n4\n5\n6\n7",
        0,
        "1\n4\n7",
        "",
        "",
    );
    split_case(
        &["-n", "10"],
        "1\n2\n3\n",
        1,
        "",
        "split: -: cannot determine file size\n",
        "",
    );
    split_case(
        &["-n", "10", "-e"],
        "1\n2\n3\n",
        1,
        "",
        "split: -: cannot determine file size\n",
        "",
    );
    split_case(
        &["--number=r/2", "--elide-empty-files"],
        "1\n",
        0,
        "",
        "",
        "xaa=1\n;",
    );
    split_case(
        &["-l1", "-a1", "-d"],
        "1\n2\n3\n",
        0,
        "",
        "",
        "x0=1\n;x1=2\n;x2=3\n;",
    );
    split_case(
        &["-l1", "-a1"],
        "1\n2\n3\n",
        0,
        "",
        "",
        "xa=1\n;xb=2\n;xc=3\n;",
    );
    split_case(
        &["-l1", "--suffix-length=1", "-d"],
        "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n",
        1,
        "",
        "split: output file suffixes exhausted\n",
        "x0=1\n;x1=2\n;x2=3\n;x3=4\n;x4=5\n;x5=6\n;x6=7\n;x7=8\n;x8=9\n;x9=10\n;",
    );
    split_case(
        &["-l", "1"],
        "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n13\n14\n15\n16\n17\n18\n19\n20\n21\n22\n23\n24\n25\n26\n27\n",
        0,
        "",
        "",
        "xaa=1\n;xab=2\n;xac=3\n;xad=4\n;xae=5\n;xaf=6\n;xag=7\n;xah=8\n;xai=9\n;xaj=10\n;xak=11\n;xal=12\n;xam=13\n;xan=14\n;xao=15\n;xap=16\n;xaq=17\n;xar=18\n;xas=19\n;xat=20\n;xau=21\n;xav=22\n;xaw=23\n;xax=24\n;xay=25\n;xaz=26\n;xba=27\n;",
    );
    split_case(
        &["-l", "2", "--additional-suffix=.txt", "-", "p_"],
        "1\n2\n3\n",
        0,
        "",
        "",
        "p_aa.txt=1\n2\n;p_ab.txt=3\n;",
    );
    split_case(
        &["-l", "2", "--numeric-suffixes=5"],
        "1\n2\n3\n4\n5\n",
        0,
        "",
        "",
        "x05=1\n2\n;x06=3\n4\n;x07=5\n;",
    );
    split_case(
        &["-l", "1", "-a", "2", "--numeric-suffixes=98"],
        "1\n2\n3\n",
        1,
        "",
        "split: output file suffixes exhausted\n",
        "x98=1\n;x99=2\n;",
    );
    split_case(
        &["-l", "2", "-x"],
        "1\n2\n3\n",
        0,
        "",
        "",
        "x00=1\n2\n;x01=3\n;",
    );
    split_case(
        &["-l", "1", "--hex-suffixes=9"],
        "1\n2\n3\n",
        0,
        "",
        "",
        "x09=1\n;x0a=2\n;x0b=3\n;",
    );
    split_case(
        &["-t", ",", "-l", "2"],
        "a,b,c,d,e",
        0,
        "",
        "",
        "xaa=a,b,;xab=c,d,;xac=e;",
    );
    split_case(
        &["-t", "\\0", "-l", "1"],
        "a\0b\0",
        0,
        "",
        "",
        "xaa=a\0;xab=b\0;",
    );
    split_case(
        &["-l", "2", "--verbose"],
        "1\n2\n3\n",
        0,
        "creating file 'xaa'\ncreating file 'xab'\n",
        "",
        "xaa=1\n2\n;xab=3\n;",
    );
    split_case(
        &["--filter=cat > $FILE.f", "-l", "2"],
        "1\n2\n3\n",
        0,
        "",
        "",
        "xaa.f=1\n2\n;xab.f=3\n;",
    );
    split_case(
        &["-l", "0"],
        "1\n",
        1,
        "",
        "split: invalid number of lines: '0': Numerical result out of range\n",
        "",
    );
    split_case(
        &["-b", "0"],
        "1\n",
        1,
        "",
        "split: invalid number of bytes: '0': Numerical result out of range\n",
        "",
    );
    split_case(
        &["-C", "0"],
        "1\n",
        1,
        "",
        "split: invalid number of bytes: '0': Numerical result out of range\n",
        "",
    );
    split_case(
        &["-l", "x"],
        "1\n",
        1,
        "",
        "split: invalid number of lines: 'x'\n",
        "",
    );
    split_case(
        &["-b", "-1"],
        "1\n",
        1,
        "",
        "split: invalid number of bytes: '-1'\n",
        "",
    );
    split_case(
        &["-n", "0"],
        "1\n",
        1,
        "",
        "split: invalid number of chunks: '0': Numerical result out of range\n",
        "",
    );
    split_case(
        &["-n", "4/3"],
        "1\n",
        1,
        "",
        "split: invalid chunk number: '4': Numerical result out of range\n",
        "",
    );
    split_case(
        &["-n", "x/3"],
        "1\n",
        1,
        "",
        "split: invalid chunk number: 'x'\n",
        "",
    );
    split_case(
        &["-a", "x"],
        "1\n",
        1,
        "",
        "split: invalid suffix length: 'x'\n",
        "",
    );
    split_case(
        &["--numeric-suffixes=x"],
        "1\n",
        1,
        "",
        format!("split: 'x': invalid start value for numerical suffix\n{SPLIT_USAGE}"),
        "",
    );
    split_case(
        &["--hex-suffixes=g"],
        "1\n",
        1,
        "",
        format!("split: 'g': invalid start value for hexadecimal suffix\n{SPLIT_USAGE}"),
        "",
    );
    split_case(
        &["-a", "2", "--numeric-suffixes=200"],
        "1\n",
        1,
        "",
        format!(
            "split: numerical suffix start value is too large for the suffix length\n{SPLIT_USAGE}"
        ),
        "",
    );
    split_case(
        &["-t", "ab"],
        "1\n",
        1,
        "",
        "split: multi-character separator 'ab'\n",
        "",
    );
    split_case(
        &["-t", ""],
        "1\n",
        1,
        "",
        "split: empty record separator\n",
        "",
    );
    split_case(
        &["--additional-suffix=a/b"],
        "1\n",
        1,
        "",
        format!("split: invalid suffix 'a/b', contains directory separator\n{SPLIT_USAGE}"),
        "",
    );
    split_case(
        &["-l", "2", "-b", "3"],
        "1\n",
        1,
        "",
        format!("split: cannot split in more than one way\n{SPLIT_USAGE}"),
        "",
    );
    split_case(
        &["a", "b", "c"],
        "1\n",
        1,
        "",
        format!("split: extra operand 'c'\n{SPLIT_USAGE}"),
        "",
    );
    split_case(
        &["nope"],
        "",
        1,
        "",
        "split: cannot open 'nope' for reading: No such file or directory\n",
        "",
    );
    split_case(
        &["-q"],
        "",
        1,
        "",
        format!("split: invalid option -- 'q'\n{SPLIT_USAGE}"),
        "",
    );
}

#[test]
fn long_lines_and_big_inputs() {
    let d = Dir::new();
    // fold: one 300000-byte line (with a NUL) in 1000-column pieces.
    let mut line: Vec<u8> = (0..300000u32).map(|i| b'a' + (i % 26) as u8).collect();
    line[12345] = 0;
    let mut want = Vec::new();
    for (i, c) in line.chunks(1000).enumerate() {
        if i > 0 {
            want.push(b'\n');
        }
        want.extend_from_slice(c);
    }
    want.push(b'\n');
    let mut input = line.clone();
    input.push(b'\n');
    run("fold", &["-w", "1000"]).stdin(&input).ok(&want);
    run("fold", &["-b", "-w", "1000"]).stdin(&input).ok(&want);
    // expand / unexpand: 50000 tabs are 400000 spaces, and back.
    let tabs = "\t".repeat(50000) + "x\n";
    let spaces = " ".repeat(400000) + "x\n";
    run("expand", &[]).stdin(&tabs).ok(&spaces);
    run("unexpand", &[]).stdin(&spaces).ok(&tabs);
    // nl and paste over 100000 lines.
    let lines: String = (0..30000).map(|i| format!("line {i}\n")).collect();
    let numbered: String = (0..30000)
        .map(|i| format!("{:>6}\tline {i}\n", i + 1))
        .collect();
    run("nl", &[]).stdin(&lines).ok(numbered);
    d.write("l", &lines);
    let pasted: String = (0..30000).map(|i| format!("line {i},line {i}\n")).collect();
    d.run("paste", &["-d,", "l", "l"]).ok(pasted);
    let serial = lines.trim_end().replace('\n', "\t") + "\n";
    d.run("paste", &["-s", "l"]).ok(serial);
    // fmt: a long paragraph keeps its words, lines fit in the width.
    let words: Vec<String> = (0..5000).map(|i| format!("w{}", i % 977)).collect();
    let para = words.join(" ") + "\n";
    let o = run("fmt", &["-w", "60"]).stdin(&para).go();
    assert_eq!((o.code, o.err()), (0, String::new()));
    let out = o.out();
    assert!(out.lines().all(|l| l.len() <= 60));
    let got: Vec<&str> = out.split_whitespace().collect();
    assert_eq!(got, words);
    // strings over a big binary file: every run, in order.
    let mut bin = Vec::new();
    let mut want = String::new();
    for i in 0..20000u32 {
        let s = format!("str{i}");
        bin.extend_from_slice(s.as_bytes());
        bin.extend_from_slice(b"\0\x01\xff");
        want.push_str(&s);
        want.push('\n');
    }
    d.write("bin", &bin);
    d.run("strings", &["bin"]).ok(want);
}
