//! gzip, gunzip, zcat and cpio.

use crate::harness::*;
use std::process::Command;

fn text(n: usize) -> Vec<u8> {
    let mut v = Vec::new();
    let mut i = 0u64;
    while v.len() < n {
        v.extend_from_slice(format!("line {} word{} {}\n", i, i % 17, i * 7919 % 1000).as_bytes());
        i += 1;
    }
    v.truncate(n);
    v
}

fn random(n: usize, seed: u64) -> Vec<u8> {
    let mut x = seed | 1;
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect()
}

fn gnu_gzip(args: &[&str], input: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut c = Command::new("/bin/gzip")
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut i = c.stdin.take().unwrap();
    let data = input.to_vec();
    let t = std::thread::spawn(move || {
        let _ = i.write_all(&data);
    });
    let o = c.wait_with_output().unwrap();
    t.join().unwrap();
    assert!(o.status.success());
    o.stdout
}

fn have_gnu_gzip() -> bool {
    if std::path::Path::new("/bin/gzip").exists() {
        return true;
    }
    eprintln!("SKIPPED: /bin/gzip is missing");
    false
}

#[test]
fn gzip_round_trips_many_sizes() {
    for n in [0, 1, 2, 3, 100, 4095, 65536, 70000, 300_000] {
        for data in [text(n), random(n, n as u64 + 1)] {
            for level in ["-1", "-6", "-9"] {
                let c = run("gzip", &[level]).stdin(&data).go();
                assert_eq!(c.code, 0, "{}", c.err());
                assert_eq!(&c.stdout[..3], b"\x1f\x8b\x08");
                run("gunzip", &[]).stdin(&c.stdout).ok(&data);
                if have_gnu_gzip() {
                    assert_eq!(gnu_gzip(&["-dc"], &c.stdout), data, "n={n} {level}");
                    let g = gnu_gzip(&[level, "-c"], &data);
                    run("zcat", &[]).stdin(&g).ok(&data);
                }
            }
        }
    }
}

#[test]
fn gzip_big_input_and_ratio() {
    let data = text(3_000_000);
    let c = run("gzip", &[]).stdin(&data).go();
    assert_eq!(c.code, 0);
    assert!(c.stdout.len() < data.len() / 3, "{}", c.stdout.len());
    if have_gnu_gzip() {
        let g = gnu_gzip(&["-c"], &data);
        assert!(
            c.stdout.len() * 10 < g.len() * 11,
            "{} vs {}",
            c.stdout.len(),
            g.len()
        );
        assert_eq!(gnu_gzip(&["-dc"], &c.stdout), data);
    }
    run("zcat", &[]).stdin(&c.stdout).ok(&data);
    let r = random(1_500_000, 7);
    let c = run("gzip", &["-9"]).stdin(&r).go();
    assert!(c.stdout.len() < r.len() + r.len() / 100);
    run("gzip", &["-d"]).stdin(&c.stdout).ok(&r);
}

#[test]
fn gzip_files_replace_and_keep() {
    let d = Dir::new();
    d.write("a", "hello\n");
    d.sh("touch -d '2001-02-03 04:05:06' a; chmod 640 a").ok("");
    d.run("gzip", &["a"]).ok("");
    assert!(!d.exists("a"));
    d.sh("stat -c '%a %y' a.gz")
        .ok("640 2001-02-03 04:05:06.000000000 +0000\n");
    // Name and mtime are in the header.
    let gz = d.read("a.gz");
    assert_eq!(gz[3], 8);
    assert_eq!(&gz[4..8], &981173106u32.to_le_bytes());
    assert_eq!(&gz[10..12], b"a\0");
    d.run("gunzip", &["a.gz"]).ok("");
    assert_eq!(d.read("a"), b"hello\n");
    assert!(!d.exists("a.gz"));
    d.sh("stat -c '%a %y' a")
        .ok("640 2001-02-03 04:05:06.000000000 +0000\n");
    d.run("gzip", &["-k", "-n", "a"]).ok("");
    assert!(d.exists("a"));
    let gz = d.read("a.gz");
    assert_eq!((gz[3], &gz[4..8]), (0, &[0u8; 4][..]));
    d.run("gzip", &["-c", "-n", "a"]).ok(gz.clone());
    d.run("gzip", &["-dc", "a.gz"]).ok("hello\n");
    d.run("zcat", &["a.gz", "a.gz"]).ok("hello\nhello\n");
    d.run("gzip", &["-d", "-k", "-f", "a.gz"]).ok("");
    assert!(d.exists("a.gz"));
}

#[test]
fn gzip_verbose_and_list() {
    let d = Dir::new();
    d.write("a", "hello\n");
    d.run("gzip", &["-v", "a"])
        .go()
        .expect(0, b"", b"a:\t-33.3% -- replaced with a.gz\n");
    d.run("gzip", &["-l", "a.gz"]).ok(
        "         compressed        uncompressed  ratio uncompressed_name
                 28                   6 -33.3% a\n",
    );
    d.run("gzip", &["-t", "-v", "a.gz"])
        .go()
        .expect(0, b"", b"a.gz:\t OK\n");
    d.run("gzip", &["-t", "a.gz"]).ok("");
    d.run("gunzip", &["-kv", "a.gz"])
        .go()
        .expect(0, b"", b"a.gz:\t-33.3% -- created a\n");
    d.write("big", text(10000));
    let o = d.run("gzip", &["-c", "-v", "big"]).go();
    assert_eq!(o.err(), "big:\t 72.1% -- replaced with stdout\n");
    assert_eq!(o.stdout, d.run("gzip", &["-c", "big"]).go().stdout);
}

#[test]
fn gzip_list_matches_gnu() {
    if !have_gnu_gzip() {
        return;
    }
    let d = Dir::new();
    d.write("t", text(50000));
    d.write("r", random(3000, 3));
    d.sh("/bin/gzip t r").ok("");
    let gnu = Command::new("/bin/gzip")
        .args(["-l", "t.gz", "r.gz"])
        .current_dir(&d.path)
        .output()
        .unwrap();
    let mine = d.run("gzip", &["-l", "t.gz", "r.gz"]).go();
    assert_eq!(mine.out(), String::from_utf8_lossy(&gnu.stdout));
    d.sh("echo hi | /bin/gzip > s.gz").ok("");
    for args in [["-lv", "t.gz"], ["-lv", "s.gz"]] {
        let gnu = Command::new("/bin/gzip")
            .args(args)
            .env("TZ", "UTC")
            .current_dir(&d.path)
            .output()
            .unwrap();
        let mine = d.run("gzip", &args).go();
        assert_eq!(mine.out(), String::from_utf8_lossy(&gnu.stdout));
    }
}

#[test]
fn gzip_suffix_option() {
    let d = Dir::new();
    d.write("a", "x");
    d.run("gzip", &["-S", ".zz", "a"]).ok("");
    assert!(d.exists("a.zz"));
    d.run("gunzip", &["a.zz"])
        .fails(1, "gunzip: a.zz: unknown suffix - ignored\n");
    d.run("gunzip", &["--suffix=.zz", "a.zz"]).ok("");
    assert_eq!(d.read("a"), b"x");
    d.run("gzip", &["-S", "", "a"])
        .fails(1, "gzip: invalid suffix ''\n");
    d.write("t.tgz", gnu_or_own(b"tar"));
    d.run("gunzip", &["t.tgz"]).ok("");
    assert_eq!(d.read("t.tar"), b"tar");
}

fn gnu_or_own(data: &[u8]) -> Vec<u8> {
    run("gzip", &[]).stdin(data).go().stdout
}

#[test]
fn gzip_multi_member_and_trailing_data() {
    let d = Dir::new();
    let mut m = gnu_or_own(b"one\n");
    m.extend(gnu_or_own(b"two\n"));
    d.write("m.gz", &m);
    d.run("zcat", &["m.gz"]).ok("one\ntwo\n");
    let mut z = m.clone();
    z.extend_from_slice(&[0; 100]);
    d.write("z.gz", &z);
    d.run("zcat", &["z.gz"]).ok("one\ntwo\n");
    let mut g = m.clone();
    g.extend_from_slice(b"garbage");
    d.write("g.gz", &g);
    d.run("zcat", &["g.gz"]).go().expect(
        2,
        b"one\ntwo\n",
        b"zcat: g.gz: decompression OK, trailing garbage ignored\n",
    );
    d.run("zcat", &["-q", "g.gz"])
        .go()
        .expect(2, b"one\ntwo\n", b"");
    d.run("gzip", &["-t", "g.gz"]).fails(
        2,
        "gzip: g.gz: decompression OK, trailing garbage ignored\n",
    );
    d.run("gunzip", &["g.gz"]).fails(
        2,
        "gunzip: g.gz: decompression OK, trailing garbage ignored\n",
    );
    assert_eq!(d.read("g"), b"one\ntwo\n");
}

#[test]
fn gzip_header_fields_on_input() {
    // FEXTRA, FNAME, FCOMMENT and FHCRC all present.
    let body = gnu_or_own(b"data\n");
    let mut h = vec![0x1f, 0x8b, 8, 4 | 8 | 16 | 2, 0, 0, 0, 0, 0, 3];
    h.extend_from_slice(&[3, 0, b'x', b'y', b'z']);
    h.extend_from_slice(b"name\0comment\0");
    h.extend_from_slice(&[0xaa, 0xbb]);
    h.extend_from_slice(&body[10..]);
    run("zcat", &[]).stdin(&h).ok("data\n");
    let d = Dir::new();
    d.write("x.gz", &h);
    d.run("gunzip", &["-N", "x.gz"]).ok("");
    assert_eq!(d.read("name"), b"data\n");
}

#[test]
fn gzip_corrupt_input() {
    let good = gnu_or_own(&text(20000));
    run("zcat", &[])
        .stdin(b"plain")
        .fails(1, "zcat: stdin: not in gzip format\n");
    run("zcat", &[])
        .stdin(b"")
        .fails(1, "zcat: stdin: unexpected end of file\n");
    run("zcat", &["-f"]).stdin(b"plain").ok("plain");
    run("gzip", &["-dcf"]).stdin(b"plain").ok("plain");
    // What was decoded before the end is still written, as GNU does.
    let o = run("zcat", &[]).stdin(&good[..good.len() / 2]).go();
    assert_eq!(
        (o.code, o.err()),
        (1, "zcat: stdin: unexpected end of file\n".into())
    );
    assert!(text(20000).starts_with(&o.stdout));
    let mut bad = good.clone();
    let n = bad.len();
    bad[n - 6] ^= 1;
    run("zcat", &[]).stdin(&bad).go().expect(
        1,
        &text(20000),
        b"zcat: stdin: invalid compressed data--crc error\n",
    );
    let mut bad = good.clone();
    bad[n - 2] ^= 1;
    let o = run("zcat", &[]).stdin(&bad).go();
    assert_eq!(
        (o.code, o.err()),
        (
            1,
            "zcat: stdin: invalid compressed data--length error\n".into()
        )
    );
    let mut bad = good.clone();
    bad[2] = 7;
    run("zcat", &[])
        .stdin(&bad)
        .fails(1, "zcat: stdin: unknown method\n");
}

#[test]
fn gunzip_never_panics_on_damaged_streams() {
    // Every truncation and many bit flips end with a message, never a
    // crash or a hang.
    let good = gnu_or_own(&text(3000));
    let d = Dir::new();
    let mut script = String::new();
    for cut in (0..good.len()).step_by(7) {
        d.write(&format!("t{cut}.gz"), &good[..cut]);
        script.push_str(&format!("$B/zcat t{cut}.gz >/dev/null 2>&1; echo $?\n"));
    }
    let mut x = 99u64;
    for k in 0..300 {
        let mut b = good.clone();
        for _ in 0..(1 + k % 4) {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let pos = 10 + (x >> 33) as usize % (b.len() - 10);
            b[pos] ^= 1 << ((x >> 20) & 7);
        }
        d.write(&format!("f{k}.gz"), &b);
        script.push_str(&format!("$B/zcat f{k}.gz >/dev/null 2>&1; echo $?\n"));
    }
    let o = d.sh(&script).go();
    for line in o.out().lines() {
        assert!(line == "0" || line == "1" || line == "2", "status {line}");
    }
    assert_eq!(o.out().lines().count(), good.len().div_ceil(7) + 300);
}

#[test]
fn gzip_refusals_and_errors() {
    let d = Dir::new();
    d.write("a", "hello\n");
    d.write("a.gz", "x");
    d.run("gzip", &["a"])
        .fails(1, "gzip: can't open 'a.gz': File exists\n");
    d.run("gzip", &["-f", "a"]).ok("");
    d.run("gzip", &["a.gz"])
        .fails(0, "gzip: a.gz already has .gz suffix -- unchanged\n");
    d.run("gzip", &["nope"])
        .fails(1, "gzip: nope: No such file or directory\n");
    d.mkdir("dir");
    d.run("gzip", &["dir"])
        .fails(2, "gzip: dir is a directory -- ignored\n");
    d.write("b", "b");
    d.sh("ln -s b l; ln b b2").ok("");
    d.run("gzip", &["l"])
        .fails(1, "gzip: l: Too many levels of symbolic links\n");
    d.run("gzip", &["b"])
        .fails(2, "gzip: b has 1 other link -- file ignored\n");
    d.run("gzip", &["-x"]).fails(
        1,
        "gzip: invalid option -- 'x'\nUsage: gzip [-cdfklnNqrtv19] [-S SUF] [FILE]...\n",
    );
    d.write("plain", "abc");
    d.run("gunzip", &["plain"])
        .fails(1, "gunzip: plain: unknown suffix - ignored\n");
    d.write("p.gz", "abc");
    d.run("gunzip", &["p.gz"])
        .fails(1, "gunzip: p.gz: not in gzip format\n");
    assert!(!d.exists("p"));
    assert!(d.exists("p.gz"));
    // A failed decompression leaves no partial output behind.
    let mut t = gnu_or_own(&text(5000));
    t.truncate(t.len() - 3);
    d.write("t.gz", &t);
    d.run("gunzip", &["t.gz"])
        .fails(1, "gunzip: t.gz: unexpected end of file\n");
    assert!(!d.exists("t"));
    run("gzip", &["--help"]).go().code(0);
}

#[test]
fn gzip_recursive() {
    let d = Dir::new();
    d.write("t/a", "1");
    d.write("t/s/b", "2");
    d.run("gzip", &["-r", "t"]).ok("");
    d.sh("find t -type f | sort").ok("t/a.gz\nt/s/b.gz\n");
    d.run("gunzip", &["-r", "t"]).ok("");
    d.sh("find t -type f | sort").ok("t/a\nt/s/b\n");
    assert_eq!(d.read("t/s/b"), b"2");
}

// ---------------------------------------------------------------- cpio

fn have_gnu_cpio() -> bool {
    if std::path::Path::new("/usr/bin/cpio").exists() {
        return true;
    }
    eprintln!("SKIPPED: GNU cpio (/usr/bin/cpio) is missing");
    false
}

/// A small tree: a file with an old mtime, a directory, a symlink, a fifo
/// and two hard links.
fn tree(d: &Dir) {
    d.write("src/a", "hello\n");
    d.write("src/sub/b", "bee\n");
    d.sh("cd src && ln a h && ln -s a l && mkfifo f && touch -d '2001-02-03 04:05:06' a sub/b sub")
        .ok("");
}

#[test]
fn cpio_create_and_list() {
    let d = Dir::new();
    tree(&d);
    let o = d
        .sh("cd src && find . | sort | $B/cpio -o > ../a.cpio")
        .go();
    o.expect(0, b"", b"2 blocks\n");
    assert_eq!(d.read("a.cpio").len(), 2 * 512);
    assert_eq!(&d.read("a.cpio")[..6], b"070701");
    d.sh("$B/cpio -t < a.cpio")
        .go()
        .expect(0, b".\nf\na\nh\nl\nsub\nsub/b\n", b"2 blocks\n");
    d.sh("$B/cpio -it --quiet 'sub*' < a.cpio")
        .ok("sub\nsub/b\n");
    d.sh("$B/cpio -it --quiet -f 'sub*' < a.cpio")
        .ok(".\nf\na\nh\nl\n");
    // BusyBox's listing: numeric owners, ISO dates.
    let ids = ids_of(&d);
    let o = d
        .sh("$B/cpio -tv --quiet < a.cpio | grep -v '^d' | sed 's/ 20[0-9-]* [0-9:]* / DATE /'")
        .go();
    assert_eq!(
        o.out(),
        "prw-r--r-- 0/0         0 DATE f\n\
         -rw-r--r-- 0/0         0 DATE a\n\
         -rw-r--r-- 0/0         6 DATE h\n\
         lrwxrwxrwx 0/0         1 DATE l -> a\n\
         -rw-r--r-- 0/0         4 DATE sub/b\n"
            .replace("0/0", &ids)
    );
    d.sh("$B/cpio -tv --quiet 'sub/b' < a.cpio").ok(format!(
        "-rw-r--r-- {ids}         4 2001-02-03 04:05:06 sub/b\n"
    ));
}

/// "uid/gid" of the user running the tests.
fn ids_of(d: &Dir) -> String {
    let o = d.sh("echo $(id -u)/$(id -g)").go();
    o.out().trim().to_string()
}

#[test]
fn cpio_round_trip_extract() {
    let d = Dir::new();
    tree(&d);
    d.sh("cd src && find . | $B/cpio -o --quiet > ../a.cpio")
        .ok("");
    d.mkdir("out");
    d.sh("cd out && $B/cpio -idm < ../a.cpio")
        .go()
        .expect(0, b"", b"2 blocks\n");
    assert_eq!(d.read("out/a"), b"hello\n");
    assert_eq!(d.read("out/sub/b"), b"bee\n");
    d.sh("cd out && stat -c '%F %h %y %n' a h sub/b sub | sed 's/[.]000000000 +0000//'")
        .ok("regular file 2 2001-02-03 04:05:06 a\n\
             regular file 2 2001-02-03 04:05:06 h\n\
             regular file 1 2001-02-03 04:05:06 sub/b\n\
             directory 2 2001-02-03 04:05:06 sub\n");
    d.sh("cd out && stat -c '%F %n' f l")
        .ok("fifo f\nsymbolic link l\n");
    d.sh("cd out && stat -c %i a h | uniq | wc -l").ok("1\n");
    assert_eq!(
        std::fs::read_link(d.p("out/l")).unwrap(),
        std::path::Path::new("a")
    );
    // Existing files of the same age are kept; -u replaces them.
    d.write("out/sub/b", "changed\n");
    d.sh("cd out && touch -d '2001-02-03 04:05:06' sub/b && $B/cpio -id --quiet sub/b < ../a.cpio")
        .fails(
            0,
            "cpio: sub/b not created: newer or same age version exists\n",
        );
    assert_eq!(d.read("out/sub/b"), b"changed\n");
    d.sh("cd out && $B/cpio -idu --quiet sub/b < ../a.cpio")
        .ok("");
    assert_eq!(d.read("out/sub/b"), b"bee\n");
    // Without -d a missing directory is an error.
    d.mkdir("flat");
    d.sh("cd flat && $B/cpio -i --quiet sub/b < ../a.cpio")
        .fails(2, "cpio: sub/b: Cannot open: No such file or directory\n");
    // -iv names the files on stdout (as BusyBox does).
    d.mkdir("v");
    d.sh("cd v && $B/cpio -idv --quiet 'sub*' < ../a.cpio")
        .ok("sub\nsub/b\n");
}

#[test]
fn cpio_null_and_errors() {
    let d = Dir::new();
    d.write("x y", "1");
    d.write("n\nl", "2");
    d.sh("printf 'x y\\0n\\nl\\0' | $B/cpio -o0 --quiet > a.cpio")
        .ok("");
    d.sh("$B/cpio -t --quiet < a.cpio").ok("x y\nn\nl\n");
    d.sh("echo nope | $B/cpio -o > /dev/null").fails(
        2,
        "cpio: nope: Cannot stat: No such file or directory\n1 blocks\n",
    );
    d.sh("$B/cpio -i < /dev/null")
        .fails(2, "cpio: premature end of archive\n");
    d.sh("head -c 200 a.cpio | $B/cpio -it --quiet")
        .go()
        .expect(2, b"x y\n", b"cpio: premature end of archive\n");
    d.sh("echo garbage-garbage | $B/cpio -i --quiet")
        .fails(2, "cpio: unrecognized archive format\n");
    run("cpio", &[]).fails(
        2,
        "cpio: you must specify one of -oipt options\nUsage: cpio -o|-i|-p [-dmutv0lLfn] [-H newc|crc|odc] [-F FILE] [-D DIR] [-R USER[:GROUP]] [PATTERN]... [DIR]\n",
    );
    run("cpio", &["-o", "-H", "tar"]).fails(
        2,
        "cpio: invalid archive format 'tar'; valid formats are: newc crc odc bin\n",
    );
    run("cpio", &["-o", "-i"]).fails(2, "cpio: only one of -o, -i, -p may be given\n");
    // Names with .. are refused on extraction.
    d.mkdir("in");
    d.write("in/evil", "x");
    d.sh("cd in && echo ../in/evil | $B/cpio -o --quiet > ../e.cpio")
        .ok("");
    d.mkdir("out");
    d.sh("cd out && $B/cpio -id --quiet < ../e.cpio")
        .fails(2, "cpio: ../in/evil: refusing a name with '..'\n");
}

#[test]
fn cpio_pass_through() {
    let d = Dir::new();
    tree(&d);
    d.mkdir("dst");
    d.sh("cd src && find . | $B/cpio -pdm ../dst")
        .go()
        .expect(0, b"", b"1 blocks\n");
    d.sh("cd dst && find . | sort && stat -c '%h %y' a h | sed 's/[.]0* +0000//' && readlink l")
        .ok(".\n./a\n./f\n./h\n./l\n./sub\n./sub/b\n2 2001-02-03 04:05:06\n2 2001-02-03 04:05:06\na\n");
    d.mkdir("lnk");
    d.sh("cd src && echo a | $B/cpio -pl --quiet ../lnk && stat -c %h a")
        .ok("3\n");
    run("cpio", &["-p"]).fails(
        2,
        "cpio: -p needs exactly one directory\nUsage: cpio -o|-i|-p [-dmutv0lLfn] [-H newc|crc|odc] [-F FILE] [-D DIR] [-R USER[:GROUP]] [PATTERN]... [DIR]\n",
    );
}

#[test]
fn cpio_reproducible_images() {
    let d = Dir::new();
    tree(&d);
    let make = "cd src && find . | sort | $B/cpio -o --quiet --reproducible -R 0:0";
    let one = d.sh(make).go().stdout;
    d.sh("cp -a src src2 && rm -rf src && mv src2 src").ok("");
    let two = d.sh(make).go().stdout;
    assert_eq!(one, two);
    let s = String::from_utf8_lossy(&one[..110]).into_owned();
    // ino 1, uid 0, gid 0, devmajor/devminor 0.
    assert_eq!(&s[6..14], "00000001");
    assert_eq!(&s[22..38], "0000000000000000");
    assert_eq!(&s[62..78], "0000000000000000");
    // SOURCE_DATE_EPOCH caps the stored times (0: all zero).
    d.sh("cd src && ls | SOURCE_DATE_EPOCH=0 $B/cpio -o --quiet --reproducible | $B/cpio -itv --quiet | cut -c26-44 | sort -u")
        .ok("1970-01-01 00:00:00\n");
    d.sh("cd src && echo a | $B/cpio -o --quiet -R 123:456 | $B/cpio -itv --quiet | cut -d' ' -f2")
        .ok("123/456\n");
}

#[test]
fn cpio_formats_and_gnu_compat() {
    if !have_gnu_cpio() {
        return;
    }
    let d = Dir::new();
    tree(&d);
    for fmt in ["newc", "crc", "odc"] {
        let ours = d
            .sh(&format!(
                "cd src && find . | sort | $B/cpio -o --quiet -H {fmt}"
            ))
            .go()
            .stdout;
        let gnu = d
            .sh(&format!(
                "cd src && find . | sort | /usr/bin/cpio -o --quiet -H {fmt}"
            ))
            .go()
            .stdout;
        assert!(ours == gnu, "{fmt} archives differ");
    }
    // GNU's default (old binary) and bin archives are read.
    d.sh("cd src && find . | sort | /usr/bin/cpio -o --quiet > ../bin.cpio")
        .ok("");
    d.sh("$B/cpio -it --quiet < bin.cpio")
        .ok(".\na\nf\nh\nl\nsub\nsub/b\n");
    d.mkdir("g");
    d.sh("cd g && /usr/bin/cpio -o --quiet -H newc < /dev/null >/dev/null; cd ../src && find . | $B/cpio -o --quiet | (cd ../g && /usr/bin/cpio -idm --quiet) && cd ../g && cat a sub/b && stat -c %h h")
        .ok("hello\nbee\n2\n");
}

#[test]
fn cpio_to_stdout_and_file_option() {
    let d = Dir::new();
    tree(&d);
    d.sh("cd src && find . | sort | $B/cpio -o --quiet -F ../f.cpio")
        .ok("");
    d.sh("$B/cpio -i --quiet --to-stdout 'sub/*' -F f.cpio")
        .ok("bee\n");
    d.mkdir("x");
    d.sh("$B/cpio -idm --quiet -D x -F f.cpio && cat x/sub/b")
        .ok("bee\n");
    d.sh("$B/cpio -i -F nope.cpio")
        .fails(2, "cpio: nope.cpio: No such file or directory\n");
}

#[test]
fn cpio_crc_checksum_is_verified() {
    let d = Dir::new();
    d.write("f", "abc\n");
    d.sh("echo f | $B/cpio -o -H crc --quiet > c.cpio").ok("");
    let mut a = d.read("c.cpio");
    assert_eq!(&a[..6], b"070702");
    // The data follows the 110-byte header and the padded name "f\0".
    assert_eq!(&a[112..116], b"abc\n");
    a[113] = b'X';
    d.write("bad.cpio", &a);
    d.mkdir("o");
    d.sh("cd o && $B/cpio -i --quiet < ../c.cpio && cat f")
        .ok("abc\n");
    d.sh("cd o && $B/cpio -iu --quiet < ../bad.cpio")
        .fails(2, "cpio: f: checksum error (0x126, should be 0x130)\n");
}

#[test]
fn cpio_absolute_names() {
    let d = Dir::new();
    d.write("f", "abs\n");
    let abs = d.p("f").to_string_lossy().into_owned();
    d.sh(&format!("echo {abs} | $B/cpio -o --quiet > a.cpio"))
        .ok("");
    d.sh("$B/cpio -it --quiet < a.cpio").ok(format!("{abs}\n"));
    d.mkdir("o");
    d.sh("cd o && $B/cpio -id --quiet --no-absolute-filenames < ../a.cpio")
        .ok("");
    assert_eq!(d.read(&format!("o{abs}")), b"abs\n");
}

#[test]
fn cpio_device_nodes() {
    if skip_unless_root("cpio device nodes") {
        return;
    }
    let d = Dir::new();
    d.mkdir("src");
    d.sh("cd src && mknod null c 1 3 && mknod blk b 7 200 && touch -d '2001-02-03 04:05:06' null blk")
        .ok("");
    d.sh("cd src && printf 'blk\\nnull\\n' | $B/cpio -o --quiet > ../a.cpio")
        .ok("");
    d.sh("$B/cpio -itv --quiet < a.cpio")
        .ok("brw-r--r-- 0/0         0 2001-02-03 04:05:06 blk\ncrw-r--r-- 0/0         0 2001-02-03 04:05:06 null\n");
    d.mkdir("o");
    d.sh("cd o && $B/cpio -i --quiet < ../a.cpio && stat -c '%F %t %T %n' blk null")
        .ok("block special file 7 c8 blk\ncharacter special file 1 3 null\n");
}

#[test]
fn gzip_refuses_terminals() {
    if !std::path::Path::new("/usr/bin/script").exists() {
        eprintln!("SKIPPED gzip_refuses_terminals: script(1) is missing");
        return;
    }
    let d = Dir::new();
    d.sh("script -qec '$B/gzip </dev/null' /dev/null")
        .go()
        .expect(
            1,
            b"gzip: compressed data not written to a terminal. Use -f to force compression.\r\n",
            b"",
        );
    d.sh("script -qec '$B/gunzip' /dev/null </dev/null")
        .go()
        .expect(
            1,
            b"gunzip: compressed data not read from a terminal. Use -f to force decompression.\r\n",
            b"",
        );
    // -f writes anyway; what reaches the terminal is the gzip magic.
    let o = d.sh("script -qec '$B/gzip -f </dev/null' /dev/null").go();
    assert_eq!((o.code, &o.stdout[..2]), (0, &b"\x1f\x8b"[..]));
}

#[test]
fn cpio_does_not_write_through_archived_symlinks() {
    let d = Dir::new();
    d.mkdir("victim");
    d.mkdir("a");
    d.sh("ln -s ../victim a/l").ok("");
    d.write("b/l/evil", "x");
    let mut arc = d.sh("cd a && echo l | $B/cpio -o --quiet").go().stdout;
    let t = arc.windows(10).position(|w| w == b"TRAILER!!!").unwrap();
    arc.truncate(t - 110);
    arc.extend(
        d.sh("cd b && printf 'l/evil\\n' | $B/cpio -o --quiet")
            .go()
            .stdout,
    );
    d.write("x.cpio", &arc);
    d.mkdir("o");
    let o = d.sh("cd o && $B/cpio -id --quiet < ../x.cpio").go();
    assert_eq!(o.code, 0, "{}", o.err());
    assert!(!d.exists("victim/evil"));
    assert_eq!(d.read("o/l/evil"), b"x");
    d.sh("cd o && $B/cpio -it --quiet < ../x.cpio")
        .ok("l\nl/evil\n");
}

#[test]
fn cpio_pattern_file_and_owner_listing() {
    let d = Dir::new();
    tree(&d);
    d.sh("cd src && find . | sort | $B/cpio -o --quiet -O ../a.cpio")
        .ok("");
    d.write("pats", "sub/*\nh\n");
    d.sh("$B/cpio -it --quiet -E pats -I a.cpio")
        .ok("h\nsub/b\n");
    // -n is accepted (listings are always numeric); -R shows in -tv.
    d.sh("$B/cpio -itvn --quiet -I a.cpio sub/b | cut -d' ' -f2")
        .ok(format!("{}\n", ids_of(&d)));
    d.sh("$B/cpio -itv -R 7:8 --quiet -I a.cpio sub/b | cut -d' ' -f2")
        .ok("7/8\n");
    d.sh("$B/cpio -itv -R 7 --quiet -I a.cpio sub/b | cut -d' ' -f2")
        .ok(format!("7/{}\n", d.sh("id -g").go().out().trim()));
}

#[test]
fn gunzip_name_and_time_restoring() {
    let d = Dir::new();
    d.write("orig", "data\n");
    d.sh("touch -d '2001-02-03 04:05:06' orig && $B/gzip orig && mv orig.gz other.gz && touch -d '2010-01-01 00:00:00' other.gz")
        .ok("");
    d.sh("cp other.gz keep.gz && $B/gunzip other.gz && stat -c '%y %n' other")
        .ok("2010-01-01 00:00:00.000000000 +0000 other\n");
    d.sh("$B/gunzip -N keep.gz && stat -c '%y %n' orig && test ! -e keep && echo gone")
        .ok("2001-02-03 04:05:06.000000000 +0000 orig\ngone\n");
}

#[test]
fn cpio_empty_hard_links_stay_linked() {
    let d = Dir::new();
    d.write("src/e", "");
    d.write("src/n", "xy");
    d.sh("cd src && ln e e2 && ln e e3 && ln n n2 && touch solo")
        .ok("");
    d.sh("cd src && ls | $B/cpio -o -H newc > ../a.cpio")
        .fails(0, "2 blocks\n");
    d.mkdir("o");
    // -iv names each file on stdout, links included.
    d.sh("cd o && $B/cpio -iv < ../a.cpio | sort").go().expect(
        0,
        b"e\ne2\ne3\nn\nn2\nsolo\n",
        b"2 blocks\n",
    );
    d.sh("cd o && stat -c '%h %s %n' e e2 e3 n n2 solo && stat -c %i e e2 e3 | uniq | wc -l")
        .ok("3 0 e\n3 0 e2\n3 0 e3\n2 2 n\n2 2 n2\n1 0 solo\n1\n");
    // Listed names keep their order.
    d.sh("$B/cpio -t < a.cpio")
        .go()
        .expect(0, b"e\ne2\ne3\nn\nn2\nsolo\n", b"2 blocks\n");
}

#[test]
fn gunzip_existing_output_and_unknown_suffix_go_on() {
    let d = Dir::new();
    d.write("t1", "HELLO\n");
    d.sh("$B/gzip -k t1 && cp t1.gz t2.gz && cp t1.gz t3.gz && : > t.zz")
        .ok("");
    // Both are errors (status 1, BusyBox's wording); the other files go on.
    d.sh("$B/gunzip t1.gz t.zz t2.gz; echo $?; cat t1 t2")
        .go()
        .expect(
            0,
            b"1\nHELLO\nHELLO\n",
            b"gunzip: can't open 't1': File exists\ngunzip: t.zz: unknown suffix - ignored\n",
        );
    assert!(d.exists("t1.gz") && !d.exists("t2.gz"));
    // -q hides the suffix message but not the status; -f replaces.
    d.sh("$B/gunzip -q t.zz; echo $?").ok("1\n");
    d.write("t3", "old");
    d.sh("$B/gunzip -q t3.gz; echo $?").go().expect(
        0,
        b"1\n",
        b"gunzip: can't open 't3': File exists\n",
    );
    d.sh("$B/gunzip -f t3.gz && cat t3").ok("HELLO\n");
}
