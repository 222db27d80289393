//! sed: every command, address form, flag and option; error messages and
//! exit statuses. The expected results of the table were produced by
//! running GNU sed 4.9 (LC_ALL=C) on each case; usage texts differ on
//! purpose (BusyBox style) and are tested apart.

use crate::harness::*;

type Case = (
    &'static [&'static str],
    &'static [u8],
    &'static [u8],
    &'static [u8],
    i32,
);

fn sed_table(cases: &[Case]) {
    let mut bad = Vec::new();
    for &(args, input, out, err, code) in cases {
        let o = run("sed", args).stdin(input).go();
        if (o.code, o.stdout.as_slice(), o.stderr.as_slice()) != (code, out, err) {
            bad.push(format!(
                "sed {args:?} <<< {:?}\n  want {code} {:?} {:?}\n  got  {} {:?} {:?}",
                String::from_utf8_lossy(input),
                String::from_utf8_lossy(out),
                String::from_utf8_lossy(err),
                o.code,
                o.out(),
                o.err()
            ));
        }
    }
    assert!(
        bad.is_empty(),
        "{} of {} cases differ:\n{}",
        bad.len(),
        cases.len(),
        bad.join("\n")
    );
}

#[test]
fn sed_commands_addresses_flags_and_errors() {
    #[rustfmt::skip]
    let cases: &[Case] = &[
        // --debug is accepted and ignored (GNU annotates the run)
        (&["--debug", "-n", "1p"], b"a\nb\n", b"a\n", b"", 0),
        // line address
        (&["-n", "3p"], b"1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n", b"3\n", b"", 0),
        // last line
        (&["-n", "$p"], b"1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n", b"10\n", b"", 0),
        // range delete
        (&["2,4d"], b"1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n", b"1\n5\n6\n7\n8\n9\n10\n", b"", 0),
        // regex range
        (&["-n", "/3/,/6/p"], b"1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n", b"3\n4\n5\n6\n", b"", 0),
        // 0,/re/
        (&["-n", "0,/1/p"], b"1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n", b"1\n", b"", 0),
        // 1,/re/ starts looking after line 1
        (&["-n", "1,/1/p"], b"1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n", b"1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n", b"", 0),
        // first~step
        (&["-n", "2~3p"], b"1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n", b"2\n5\n8\n", b"", 0),
        // 0~step
        (&["-n", "0~4p"], b"1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n", b"4\n8\n", b"", 0),
        // addr,+N
        (&["-n", "5,+2p"], b"1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n", b"5\n6\n7\n", b"", 0),
        // addr,~N
        (&["-n", "5,~4p"], b"1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n", b"5\n6\n7\n8\n", b"", 0),
        // addr,~N on a multiple
        (&["-n", "4,~4p"], b"1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n", b"4\n5\n6\n7\n8\n", b"", 0),
        // negation
        (&["5!d"], b"1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n", b"5\n", b"", 0),
        // regex,+N repeats
        (&["-n", "/[27]/,+1p"], b"1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n", b"2\n3\n7\n8\n", b"", 0),
        // second address before first
        (&["-n", "5,3p"], b"1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n", b"5\n", b"", 0),
        // negated range
        (&["-n", "2,4!p"], b"1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n", b"1\n5\n6\n7\n8\n9\n10\n", b"", 0),
        // to the end
        (&["-n", "/9/,$p"], b"1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n", b"9\n10\n", b"", 0),
        // 1,0 is one line
        (&["-n", "1,0p"], b"1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n", b"1\n", b"", 0),
        // custom delimiter address
        (&["-n", "\\%1%p"], b"1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n", b"1\n10\n", b"", 0),
        // I modifier
        (&["-n", "/HELLO/Ip"], b"hello world\nfoo bar baz\n\naaa\n", b"hello world\n", b"", 0),
        // empty regex reuses last
        (&["-n", "/foo/{s//FOO/;p}"], b"hello world\nfoo bar baz\n\naaa\n", b"FOO bar baz\n", b"", 0),
        // nested blocks
        (&["-n", "/1/{/0/p}"], b"1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n", b"10\n", b"", 0),
        // block with two commands
        (&["-n", "2{p;p};3{;p}"], b"1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n", b"2\n2\n3\n", b"", 0),
        // range with inner delete
        (&["/2/,/4/{/3/d}"], b"1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n", b"1\n2\n4\n5\n6\n7\n8\n9\n10\n", b"", 0),
        // several -e
        (&["-e", "2d", "-e", "3d"], b"1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n", b"1\n4\n5\n6\n7\n8\n9\n10\n", b"", 0),
        // N joins
        (&["$!N;s/\\n/-/"], b"1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n", b"1-2\n3-4\n5-6\n7-8\n9-10\n", b"", 0),
        // N at end prints (GNU)
        (&["N;N;N;s/\\n/+/g"], b"1\n2\n3\n", b"1\n2\n3\n", b"", 0),
        // N at end with --posix
        (&["--posix", "N;N;N;s/\\n/+/g"], b"1\n2\n3\n", b"", b"", 0),
        // P and D
        (&["N;P;D"], b"1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n", b"1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n", b"", 0),
        // D restarts without reading
        (&["1{N;P;D}"], b"1\n2\n3\n", b"1\n2\n3\n", b"", 0),
        // tac with G h
        (&["1!G;h;$!d"], b"1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n", b"10\n9\n8\n7\n6\n5\n4\n3\n2\n1\n", b"", 0),
        // h n G p
        (&["-n", "h;n;G;p"], b"1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n", b"2\n1\n4\n3\n6\n5\n8\n7\n10\n9\n", b"", 0),
        // x and g
        (&["-n", "x;$p;${g;p}"], b"a\nb\nc\n", b"b\nc\n", b"", 0),
        // H then x
        (&["H;$!d;x"], b"a\nb\n", b"\na\nb\n", b"", 0),
        // line numbers
        (&["="], b"a\nb\n", b"1\na\n2\nb\n", b"", 0),
        // count lines
        (&["-n", "$="], b"1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n", b"10\n", b"", 0),
        // n prints and reads
        (&["n;d"], b"1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n", b"1\n3\n5\n7\n9\n", b"", 0),
        // n at the end
        (&["$!d;n;s/^/x/"], b"a\nb\n", b"b\n", b"", 0),
        // n with -n
        (&["-n", "n;p"], b"1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n", b"2\n4\n6\n8\n10\n", b"", 0),
        // q
        (&["2q"], b"1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n", b"1\n2\n", b"", 0),
        // Q
        (&["2Q"], b"1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n", b"1\n", b"", 0),
        // q exit code
        (&["3q7"], b"1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n", b"1\n2\n3\n", b"", 7),
        // Q exit code
        (&["Q 5"], b"1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n", b"", b"", 5),
        // t
        (&["s/1/one/;t;s/$/!/"], b"1\n2\n", b"one\n2!\n", b"", 0),
        // T
        (&["s/1/one/;T;s/$/!/"], b"1\n2\n", b"one!\n2\n", b"", 0),
        // t label loop
        (&[":a;s/^.\\{1,4\\}$/ &/;ta"], b"ab\nabcdef\n", b"   ab\nabcdef\n", b"", 0),
        // b to end
        (&["2b;s/$/x/"], b"1\n2\n3\n", b"1x\n2\n3x\n", b"", 0),
        // join all lines
        (&[":a;N;$!ba;s/\\n/,/g"], b"1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n", b"1,2,3,4,5,6,7,8,9,10\n", b"", 0),
        // y
        (&["y/abc/xyz/"], b"aabbcc\n", b"xxyyzz\n", b"", 0),
        // y escapes
        (&["y/abc/\\n\\t\\\\/"], b"a b c\n", b"\n \t \\\n", b"", 0),
        // y with escaped delimiter
        (&["y,a\\,,x;,"], b"a,b\n", b"x;b\n", b"", 0),
        // z
        (&["z;s/^$/E/"], b"a\n", b"E\n", b"", 0),
        // F stdin
        (&["F"], b"a\n", b"-\na\n", b"", 0),
        // l
        (&["-n", "l"], b"a\tb\x01\\\x7f\xc3\xa9\n", b"a\\tb\\001\\\\\\177\\303\\251$\n", b"", 0),
        // l wraps
        (&["-n", "l;l 5;l 1;l 0"], b"a\tb\x01\\\n", b"a\\tb\\001\\\\$\na\\tb\\\n\\001\\\n\\\\$\n\\\na\\\n\\t\\\nb\\\n\\001\\\n\\\\$\na\\tb\\001\\\\$\n", b"", 0),
        // l default 70
        (&["-n", "l"], b"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n", b"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\\\nxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\\\nxxxxxxxxxxxx$\n", b"", 0),
        // -l
        (&["-l", "10", "-n", "l"], b"abcdefghijklmnopqrstuvwxyz\n", b"abcdefghi\\\njklmnopqr\\\nstuvwxyz$\n", b"", 0),
        // a i c
        (&["1i\\\n  hello\\\nworld\n2a   text\\\nmore\n3c\\\nchanged"], b"1\n2\n3\n", b"  hello\nworld\n1\n2\ntext\nmore\nchanged\n", b"", 0),
        // a one-liners across -e
        (&["-e", "1a\\", "-e", "  foo", "-e", "2a\\ bar", "-e", "2i\\\\tbaz"], b"1\n2\n3\n", b"1\n  foo\n\tbaz\n2\n bar\n3\n", b"", 0),
        // a with escapes
        (&["a hello\\nworld\\tx"], b"1\n", b"1\nhello\nworld\tx\n", b"", 0),
        // c on a range prints once
        (&["2,3c\\X"], b"1\n2\n3\n4\n", b"1\nX\n4\n", b"", 0),
        // c negated
        (&["2,3!c\\X"], b"1\n2\n3\n4\n", b"X\n2\n3\nX\n", b"", 0),
        // a before q
        (&["a x\nq"], b"1\n2\n", b"1\nx\n", b"", 0),
        // i then d
        (&["i\\\nfirst\nd"], b"1\n", b"first\n", b"", 0),
        // a\ empty
        (&["a\\"], b"1\n", b"1\n", b"", 0),
        // a in block
        (&["1{a foo\n}"], b"1\n2\n", b"1\nfoo\n2\n", b"", 0),
        // s basic
        (&["s/o/0/"], b"hello world\nfoo bar baz\n\naaa\n", b"hell0 world\nf0o bar baz\n\naaa\n", b"", 0),
        // s g
        (&["s/o/0/g"], b"hello world\nfoo bar baz\n\naaa\n", b"hell0 w0rld\nf00 bar baz\n\naaa\n", b"", 0),
        // s N
        (&["s/o/0/2"], b"hello world\nfoo bar baz\n\naaa\n", b"hello w0rld\nfo0 bar baz\n\naaa\n", b"", 0),
        // s Ng
        (&["s/o/0/2g"], b"hello world\nfoo bar baz\n\naaa\n", b"hello w0rld\nfo0 bar baz\n\naaa\n", b"", 0),
        // s empty matches
        (&["s/a*/X/g"], b"hello world\nfoo bar baz\n\naaa\n", b"XhXeXlXlXoX XwXoXrXlXdX\nXfXoXoX XbXrX XbXzX\nX\nX\n", b"", 0),
        // s x* everywhere
        (&["s/x*/-/g"], b"abc\n", b"-a-b-c-\n", b"", 0),
        // s groups
        (&["s/\\(o\\)\\(.\\)/\\2\\1/g"], b"hello world\nfoo bar baz\n\naaa\n", b"hell owrold\nfoo bar baz\n\naaa\n", b"", 0),
        // s ERE groups
        (&["-E", "s/(\\w+) (\\w+)/\\2 \\1/"], b"hello world\nfoo bar baz\n\naaa\n", b"world hello\nbar foo baz\n\naaa\n", b"", 0),
        // s -r
        (&["-r", "s/(a|b)+/<&>/g"], b"hello world\nfoo bar baz\n\naaa\n", b"hello world\nfoo <ba>r <ba>z\n\n<aaa>\n", b"", 0),
        // s \U
        (&["s/\\w\\+/\\U&/"], b"hello world\nfoo bar baz\n\naaa\n", b"HELLO world\nFOO bar baz\n\nAAA\n", b"", 0),
        // s \u g
        (&["s/\\w\\+/\\u&/g"], b"hello world\nfoo bar baz\n\naaa\n", b"Hello World\nFoo Bar Baz\n\nAaa\n", b"", 0),
        // s \U \E
        (&["-E", "s/(\\w+) (\\w+)/\\U\\1\\E \\2/"], b"hello world\nfoo bar baz\n\naaa\n", b"HELLO world\nFOO bar baz\n\naaa\n", b"", 0),
        // s \L\u
        (&["s/.*/\\L\\uHELLO wORLD/"], b"x\n", b"Hello world\n", b"", 0),
        // s \l \u on groups
        (&["-E", "s/(b)(c)/\\u\\2\\l\\1X/"], b"aBC\n", b"aBC\n", b"", 0),
        // s newline in replacement
        (&["s/o/\\n/;P;D"], b"hello world\nfoo bar baz\n\naaa\n", b"hell\n w\nrld\nf\n\n bar baz\n\naaa\n", b"", 0),
        // s literal newline in replacement
        (&["s/ /\\\n/g"], b"a b c\n", b"a\nb\nc\n", b"", 0),
        // s tab
        (&["s/o/\\t/"], b"foo\n", b"f\to\n", b"", 0),
        // s & and \&
        (&["s/o/[&\\&]/g"], b"foo\n", b"f[o&][o&]\n", b"", 0),
        // s p flag
        (&["-n", "s/o/0/gp"], b"hello world\nfoo bar baz\n\naaa\n", b"hell0 w0rld\nf00 bar baz\n", b"", 0),
        // s I flag
        (&["s/O/0/Ig"], b"hello world\nfoo bar baz\n\naaa\n", b"hell0 w0rld\nf00 bar baz\n\naaa\n", b"", 0),
        // s M flag
        (&["N;s/^f/F/Mg;s/o$/X/M"], b"foo\nfoo\n", b"FoX\nFoo\n", b"", 0),
        // s without M: ^ $ are buffer ends
        (&["N;s/o$/X/;s/^f/F/g"], b"foo\nfoo\n", b"Foo\nfoX\n", b"", 0),
        // s other delimiter
        (&["s|o|/|g"], b"foo\n", b"f//\n", b"", 0),
        // s escaped delimiter
        (&["s,o\\,,X,"], b"o,o\n", b"Xo\n", b"", 0),
        // s delimiter inside brackets
        (&["s/[/]/x/"], b"a/b\n", b"axb\n", b"", 0),
        // s interval
        (&["s/l\\{2\\}/LL/"], b"hello world\nfoo bar baz\n\naaa\n", b"heLLo world\nfoo bar baz\n\naaa\n", b"", 0),
        // s $ and ^
        (&["s/$/$/;s/^/>/"], b"a\n", b">a$\n", b"", 0),
        // s alternation group unset
        (&["-E", "s/(a+)|(b+)/[\\1\\2]/g"], b"aaa bbb\n", b"[aaa] [bbb]\n", b"", 0),
        // s \0 is &
        (&["s/b\\(a\\)/\\1&\\0/g"], b"baz\n", b"ababaz\n", b"", 0),
        // s \x \o \d \c
        (&["s/\\x6f/O/;s/\\o157/P/;s/\\d111/Q/;s/./\\x41/"], b"xoooo\n", b"AOPQo\n", b"", 0),
        // s [\n]
        (&["N;s/[\\n]/+/"], b"a\nb\n", b"a+b\n", b"", 0),
        // s \s \b \< \>
        (&["s/\\s/_/g;s/\\bb/B/g;s/\\<./X/g;s/r\\>/R/g"], b"hello world\nfoo bar baz\n\naaa\n", b"Xello_world\nXoo_bar_baz\n\nXaa\n", b"", 0),
        // s back-reference in regex
        (&["-n", "s/\\(.\\)\\1/<&>/gp"], b"aabcdd\n", b"<aa>bc<dd>\n", b"", 0),
        // s w /dev/stdout
        (&["s/a/b/w /dev/stdout"], b"a\nc\n", b"b\nb\nc\n", b"", 0),
        // w /dev/stdout
        (&["-n", "/a/w /dev/stdout"], b"a\nb\n", b"a\n", b"", 0),
        // missing newline p
        (&["p"], b"a\nb", b"a\na\nb\nb", b"", 0),
        // missing newline -n p
        (&["-n", "p"], b"a\nb", b"a\nb", b"", 0),
        // missing newline a
        (&["$a foo"], b"a\nb", b"a\nb\nfoo\n", b"", 0),
        // missing newline i
        (&["$i foo"], b"a\nb", b"a\nfoo\nb", b"", 0),
        // missing newline x
        (&["x;$p"], b"a\nb", b"\na\na\n", b"", 0),
        // missing newline G
        (&["G"], b"a\nb", b"a\n\nb\n\n", b"", 0),
        // missing newline N P D
        (&["N;P;D"], b"a\nb", b"a\nb", b"", 0),
        // missing newline =
        (&["="], b"a\nb", b"1\na\n2\nb", b"", 0),
        // missing newline q
        (&["q"], b"a", b"a\n", b"", 0),
        // missing newline p;q
        (&["-n", "p;q"], b"a", b"a\n", b"", 0),
        // missing newline c
        (&["$c X"], b"a\nb", b"a\nX\n", b"", 0),
        // missing newline w stdout
        (&["s/a/b/w /dev/stdout"], b"a", b"bb", b"", 0),
        // empty input
        (&["p"], b"", b"", b"", 0),
        // -z
        (&["-z", "s/^/>/"], b"a\x00b\x00", b">a\x00>b\x00", b"", 0),
        // -z N l G =
        (&["-z", "N;l;G;="], b"a\x00b", b"a\\000b$\x002\x00a\x00b\x00\x00", b"", 0),
        // -z M
        (&["-z", "s/^./X/Mg"], b"a\nb\x00c\nd\x00", b"X\nb\x00X\nd\x00", b"", 0),
        // -z $
        (&["-z", "$!d"], b"a\nb\x00c\x00", b"c\x00", b"", 0),
        // #n
        (&["#n\np"], b"a\nb\n", b"a\nb\n", b"", 0),
        // #n only first line
        (&[" #n\np"], b"a\nb\n", b"a\na\nb\nb\n", b"", 0),
        // #n as -e
        (&["-e", "#n", "-e", "p"], b"a\nb\n", b"a\nb\n", b"", 0),
        // comments
        (&["# comment\np # another\n#end"], b"a\nb\n", b"a\na\nb\nb\n", b"", 0),
        // spaces and semicolons
        (&[" ; 1 , 2 ! d ; ; p "], b"1\n2\n3\n", b"1\n1\n2\n2\n", b"", 0),
        // s flags then }
        (&["1{s/a/b/g}"], b"a\nb\n", b"b\nb\n", b"", 0),
        // s flag spaces
        (&["s/a/b/ g"], b"aa\n", b"bb\n", b"", 0),
        // labels end at ;
        (&[":a;s/x//;ta"], b"xxa\n", b"a\n", b"", 0),
        // v
        (&["v 4.2"], b"a\nb\n", b"a\nb\n", b"", 0),
        // --expression= and --quiet
        (&["--quiet", "--expression=2p"], b"a\nb\n", b"b\n", b"", 0),
        // -s
        (&["-s", "-n", "$p"], b"a\nb\n", b"b\n", b"", 0),
        // --posix rejects +N
        (&["--posix", "-n", "2,+1p"], b"a\nb\n", b"", b"sed: -e expression #1, char 3: unexpected `,'\n", 1),
        // -u
        (&["-u", "p"], b"a\nb\n", b"a\na\nb\nb\n", b"", 0),
        // -E interval
        (&["-E", "s/l{2}/LL/"], b"hello world\nfoo bar baz\n\naaa\n", b"heLLo world\nfoo bar baz\n\naaa\n", b"", 0),
        // unterminated s
        (&["s/a/b"], b"a\nb\n", b"", b"sed: -e expression #1, char 5: unterminated `s' command\n", 1),
        // unknown command
        (&["p;k"], b"a\nb\n", b"", b"sed: -e expression #1, char 3: unknown command: `k'\n", 1),
        // unmatched {
        (&["{p"], b"a\nb\n", b"", b"sed: -e expression #1, char 0: unmatched `{'\n", 1),
        // unexpected }
        (&["p}"], b"a\nb\n", b"", b"sed: -e expression #1, char 2: unexpected `}'\n", 1),
        // bad reference
        (&["s/\\(a\\)/\\2/"], b"a\nb\n", b"", b"sed: -e expression #1, char 11: invalid reference \\2 on `s' command's RHS\n", 1),
        // missing label
        (&["b foo"], b"a\nb\n", b"", b"sed: can't find label for jump to `foo'\n", 4),
        // no previous regex
        (&["//p"], b"a\nb\n", b"", b"sed: -e expression #1, char 0: no previous regular expression\n", 1),
        // y lengths
        (&["y/ab/c/"], b"a\nb\n", b"", b"sed: -e expression #1, char 7: strings for `y' command are different lengths\n", 1),
        // multiple g
        (&["s/a/b/gg"], b"a\nb\n", b"", b"sed: -e expression #1, char 8: multiple `g' options to `s' command\n", 1),
        // multiple numbers
        (&["s/a/b/3p2"], b"a\nb\n", b"", b"sed: -e expression #1, char 9: multiple number options to `s' command\n", 1),
        // multiple p
        (&["s/a/b/pp"], b"a\nb\n", b"", b"sed: -e expression #1, char 8: multiple `p' options to `s' command\n", 1),
        // a needs text
        (&["a"], b"a\nb\n", b"", b"sed: -e expression #1, char 1: expected \\ after `a', `c' or `i'\n", 1),
        // unexpected ,
        (&["3,"], b"a\nb\n", b"", b"sed: -e expression #1, char 2: unexpected `,'\n", 1),
        // extra characters
        (&["pq"], b"a\nb\n", b"", b"sed: -e expression #1, char 2: extra characters after command\n", 1),
        // extra after =
        (&["=x"], b"a\nb\n", b"", b"sed: -e expression #1, char 2: extra characters after command\n", 1),
        // label missing
        (&[": "], b"a\nb\n", b"", b"sed: -e expression #1, char 2: \":\" lacks a label\n", 1),
        // lone }
        (&["}"], b"a\nb\n", b"", b"sed: -e expression #1, char 1: unexpected `}'\n", 1),
        // r needs a file
        (&["r"], b"a\nb\n", b"", b"sed: -e expression #1, char 1: missing filename in r/R/w/W commands\n", 1),
        // w needs a file
        (&["w"], b"a\nb\n", b"", b"sed: -e expression #1, char 1: missing filename in r/R/w/W commands\n", 1),
        // s///w needs a file
        (&["s/x/y/w"], b"a\nb\n", b"", b"sed: -e expression #1, char 7: missing filename in r/R/w/W commands\n", 1),
        // line 0
        (&["0p"], b"a\nb\n", b"", b"sed: -e expression #1, char 2: invalid usage of line address 0\n", 1),
        // line 0 range
        (&["0,5p"], b"a\nb\n", b"", b"sed: -e expression #1, char 4: invalid usage of line address 0\n", 1),
        // unmatched { after !
        (&["$!{p"], b"a\nb\n", b"", b"sed: -e expression #1, char 0: unmatched `{'\n", 1),
        // unterminated y
        (&["y/a/"], b"a\nb\n", b"", b"sed: -e expression #1, char 4: unterminated `y' command\n", 1),
        // unterminated bracket
        (&["s/[/x/"], b"a\nb\n", b"", b"sed: -e expression #1, char 6: unterminated `s' command\n", 1),
        // unterminated address
        (&["\\%x"], b"a\nb\n", b"", b"sed: -e expression #1, char 3: unterminated address regex\n", 1),
        // regex error
        (&["s/\\(/x/"], b"a\nb\n", b"", b"sed: -e expression #1, char 7: Unmatched ( or \\(\n", 1),
        // class error
        (&["s/[[:alpah:]]/X/"], b"a\nb\n", b"", b"sed: -e expression #1, char 16: Invalid character class name\n", 1),
        // unknown s option
        (&["s/a/b/k"], b"a\nb\n", b"", b"sed: -e expression #1, char 7: unknown option to `s'\n", 1),
        // zero s number
        (&["s/a/b/0"], b"a\nb\n", b"", b"sed: -e expression #1, char 7: number option to `s' command may not be zero\n", 1),
        // multiple !
        (&["1!!p"], b"a\nb\n", b"", b"sed: -e expression #1, char 3: multiple `!'s\n", 1),
        // q takes one address
        (&["1,2q"], b"a\nb\n", b"", b"sed: -e expression #1, char 4: command only uses one address\n", 1),
        // : takes no address
        (&["1:a"], b"a\nb\n", b"", b"sed: -e expression #1, char 2: : doesn't want any addresses\n", 1),
        // comment takes no address
        (&["1#c"], b"a\nb\n", b"", b"sed: -e expression #1, char 2: comments don't accept any addresses\n", 1),
        // l extra
        (&["l 5x"], b"a\nb\n", b"", b"sed: -e expression #1, char 4: extra characters after command\n", 1),
        // second expression
        (&["-e", "p", "-e", "k"], b"a\nb\n", b"", b"sed: -e expression #2, char 1: unknown command: `k'\n", 1),
        // } in second expression
        (&["-e", "p", "-e", "}"], b"a\nb\n", b"", b"sed: -e expression #2, char 1: unexpected `}'\n", 1),
        // block across expressions
        (&["-n", "-e", "1{", "-e", "p", "-e", "}"], b"a\nb\n", b"a\n", b"", 0),
        // Q drops appended text
        (&["a x\nQ"], b"1\n", b"", b"", 0),
        // q prints appended text
        (&["a x\nq"], b"1\n", b"1\nx\n", b"", 0),
        // labels end at spaces
        (&[":a b;s/1/X/"], b"1\n2\n", b"1\n2\n", b"", 0),
        // b before }
        (&["-n", "2{p;b};3p"], b"1\n2\n3\n", b"2\n3\n", b"", 0),
        // t with label then command
        (&["s/1/X/;t a b;s/$/!/;:a"], b"1\n2\n", b"X\n2\n", b"", 0),
        // label before }
        (&["1{:a\n}"], b"1\n", b"1\n", b"", 0),
        // \u then \L
        (&["s/x/\\u\\LABC def/"], b"x\n", b"abc def\n", b"", 0),
        // \U then \l
        (&["s/x/\\U\\lABC/"], b"x\n", b"aBC\n", b"", 0),
        // y unknown escape
        (&["y/a\\q/bc/"], b"abc\n", b"bbc\n", b"", 0),
        // y tab
        (&["y/a\\tb/123/"], b"a\tb\n", b"123\n", b"", 0),
        // sandbox w
        (&["--sandbox", "w x"], b"a\nb\n", b"", b"sed: -e expression #1, char 1: e/r/w commands disabled in sandbox mode\n", 1),
        // sandbox r
        (&["--sandbox", "r x"], b"a\nb\n", b"", b"sed: -e expression #1, char 1: e/r/w commands disabled in sandbox mode\n", 1),
        // sandbox s///w
        (&["--sandbox", "s/a/b/w x"], b"a\nb\n", b"", b"sed: -e expression #1, char 7: e/r/w commands disabled in sandbox mode\n", 1),
        // sandbox allows s
        (&["--sandbox", "s/a/b/"], b"a\nb\n", b"b\nb\n", b"", 0),
        // posix: no one-liner a
        (&["--posix", "a foo"], b"a\nb\n", b"", b"sed: -e expression #1, char 3: expected \\ after `a', `c' or `i'\n", 1),
        // N then $!
        (&["$!N;$!D"], b"1\n2\n3\n", b"2\n3\n", b"", 0),
        // c in the middle of a range with $
        (&["2,$c\\\nEND"], b"1\n2\n3\n", b"1\nEND\n", b"", 0),
        // 0,/re/ matching line 1
        (&["0,/1/d"], b"1\n2\n1\n", b"2\n1\n", b"", 0),
        // 1,/re/ matching line 1
        (&["1,/1/d"], b"1\n2\n1\n3\n", b"3\n", b"", 0),
        // -z: a ends in newline, i and c in NUL
        (&["-z", "1i x\n1a y\n2c\\\nz"], b"a\x00b\x00", b"x\x00a\x00y\nz\x00", b"", 0),
        // one-liners
        (&["-n", "$!{h;d};x;G;p"], b"1\n2\n3\n", b"2\n3\n", b"", 0),
        // rev lines
        (&["/\\n/!G;s/\\(.\\)\\(.*\\n\\)/&\\2\\1/;//D;s/.//"], b"abcdef\n", b"fedcba\n", b"", 0),
        // thousands
        (&["-E", ":a;s/([0-9])([0-9]{3})($|,)/\\1,\\2\\3/;ta"], b"1234567\n", b"1,234,567\n", b"", 0),
        // squeeze blank lines
        (&["/^$/N;/\\n$/D"], b"a\n\n\n\nb\n", b"a\n\nb\n", b"", 0),
        // optional groups
        (&["-E", "s/(a)?(b)?(c)?/[\\1|\\2|\\3]/"], b"ab\n", b"[a|b|]\n", b"", 0),
        // n past the end inside a block
        (&["/b/{n;n;n;s/^/X/}"], b"a\nb\nc\n", b"a\nb\nc\n", b"", 0),
        // appends wait for the end of a cycle restarted by D
        (&["-e", "1{N;a x", "-e", "D}"], b"1\n2\n3\n", b"2\nx\n3\n", b"", 0),
        // appends go out before n reads
        (&["a x\nn;a y"], b"1\n2\n", b"1\nx\n2\ny\n", b"", 0),
        // appends go out before N reads
        (&["a x\nN;a y"], b"1\n2\n", b"x\n1\n2\ny\n", b"", 0),
        // long options
        (&["--silent", "--regexp-extended", "--line-length=4", "--separate", "--unbuffered", "-e", "s/(a)/\\1\\1/;l"], b"abcdef\n", b"aab\\\ncde\\\nf$\n", b"", 0),
        // --null-data
        (&["--null-data", "--expression=$!d"], b"a\x00b\x00", b"b\x00", b"", 0),
        // -ne clustered
        (&["-ne", "2p"], b"a\nb\n", b"b\n", b"", 0),
        // --posix: no F
        (&["--posix", "F"], b"a\nb\n", b"", b"sed: -e expression #1, char 1: unknown command: `F'\n", 1),
        // --posix: no Q
        (&["--posix", "Q"], b"a\nb\n", b"", b"sed: -e expression #1, char 1: unknown command: `Q'\n", 1),
        // --posix: no q EXIT
        (&["--posix", "q5"], b"a\nb\n", b"", b"sed: -e expression #1, char 2: extra characters after command\n", 1),
        // --posix: no l N
        (&["--posix", "-n", "l 3"], b"a\nb\n", b"", b"sed: -e expression #1, char 3: extra characters after command\n", 1),
        // --posix: no I on addresses
        (&["--posix", "-n", "/a/Ip"], b"a\nb\n", b"", b"sed: -e expression #1, char 4: unknown command: `I'\n", 1),
        // --posix: no first~step
        (&["--posix", "1~2d"], b"a\nb\n", b"", b"sed: -e expression #1, char 2: unknown command: `~'\n", 1),
    ];
    sed_table(cases);
}

#[test]
fn sed_files_as_one_stream_and_separate() {
    let d = Dir::new();
    d.write("a", "1\n2\n");
    d.write("b", "3\n4");
    d.run("sed", &["-n", "$p", "a", "b"]).ok("4");
    d.run("sed", &["p", "a", "nofile", "b"]).go().expect(
        2,
        b"1\n1\n2\n2\n3\n3\n4\n4",
        b"sed: can't read nofile: No such file or directory\n",
    );
    d.run("sed", &["-s", "-n", "$p;1F", "a", "-", "b"])
        .stdin("x\ny\n")
        .ok("a\n2\n-\ny\nb\n4");
    d.run("sed", &["-n", "$=", "a", "b", "a"]).ok("6\n");
    d.run("sed", &["-s", "-n", "$=", "a", "b", "a"])
        .ok("2\n2\n2\n");
    d.run("sed", &["2q", "a", "b"]).ok("1\n2\n");
    d.run("sed", &["$q3", "a", "b"])
        .go()
        .expect(3, b"1\n2\n3\n4\n", b"");
    d.run("sed", &["Q4", "a", "nofile"])
        .go()
        .expect(4, b"", b"");
    // An unreadable file's status 2 outranks q's exit code.
    d.run("sed", &["q5", "nofile", "a"]).go().expect(
        2,
        b"1\n",
        b"sed: can't read nofile: No such file or directory\n",
    );
    d.run("sed", &["=", "b", "b"]).ok("1\n3\n2\n4\n3\n3\n4\n4");
    d.run("sed", &["-n", "F", "a", "-"])
        .stdin("z\n")
        .ok("a\na\n-\n");
    d.mkdir("dir");
    d.run("sed", &["p", "a", "dir", "b"]).go().expect(
        4,
        b"1\n1\n2\n2\n",
        b"sed: read error on dir: Is a directory\n",
    );
}

#[test]
fn sed_read_and_write_files() {
    let d = Dir::new();
    d.write("a", "1\n2\n");
    d.write("b", "3\n4");
    d.write("r", "x\ny\n");
    d.write("nonl", "z");
    d.run("sed", &["r r", "a"]).ok("1\nx\ny\n2\nx\ny\n");
    d.run("sed", &["r nonl", "a"]).ok("1\nz2\nz");
    d.run("sed", &["r missing", "a"]).ok("1\n2\n");
    d.run("sed", &["1R r\nR r\nR r", "a", "b"])
        .ok("1\nx\ny\n2\n3\n4");
    d.run("sed", &["R nonl", "a"]).ok("1\nz\n2\n");
    d.run("sed", &["-n", "w out", "a", "b"]).ok("");
    assert_eq!(d.read("out"), b"1\n2\n3\n4");
    d.run(
        "sed",
        &["-n", "/1/w out1\n/3/W out2\ns/4/X/w out2", "a", "b"],
    )
    .ok("");
    assert_eq!(d.read("out1"), b"1\n");
    assert_eq!(d.read("out2"), b"3\nX");
    d.run("sed", &["-n", "w /nonexist/x", "a"]).fails(
        4,
        "sed: couldn't open file /nonexist/x: No such file or directory\n",
    );
    // w files are created even if never written.
    d.run("sed", &["-n", "/nomatch/w empty", "a"]).ok("");
    assert_eq!(d.read("empty"), b"");
    d.run("sed", &["w /dev/stderr", "a"])
        .go()
        .expect(0, b"1\n2\n", b"1\n2\n");
}

#[test]
fn sed_script_files() {
    let d = Dir::new();
    d.write("a", "1\n2\n");
    d.write("sc", "#n\n# comment\np\n");
    d.write("bad", "p\n\nk\n");
    d.write("open", "p\n{\n");
    d.run("sed", &["-f", "sc", "a"]).ok("1\n2\n");
    d.run("sed", &["--file=sc", "a"]).ok("1\n2\n");
    d.run("sed", &["-f", "-", "a"])
        .stdin("s/1/X/\n")
        .ok("X\n2\n");
    d.run("sed", &["-e", "s/1/Y/", "-f", "sc", "a"])
        .ok("Y\nY\n2\n2\n");
    d.run("sed", &["-f", "bad", "a"])
        .fails(1, "sed: file bad line 3: unknown command: `k'\n");
    d.run("sed", &["-f", "open", "a"])
        .fails(1, "sed: file open line 2: unmatched `{'\n");
    d.run("sed", &["-f", "nofile", "a"]).fails(
        4,
        "sed: couldn't open file nofile: No such file or directory\n",
    );
    // a\ text continues over the end of an -f file's line.
    d.write("app", "1a\\\nfoo\\\nbar\n");
    d.run("sed", &["-f", "app", "a"]).ok("1\nfoo\nbar\n2\n");
}

#[test]
fn sed_in_place() {
    let d = Dir::new();
    d.write("a", "1\n2\n");
    d.write("b", "3\n4");
    d.sh("chmod 640 b").ok("");
    d.run("sed", &["-i", "s/^/x/", "a", "b"]).ok("");
    assert_eq!(d.read("a"), b"x1\nx2\n");
    assert_eq!(d.read("b"), b"x3\nx4");
    d.sh("stat -c %a b").ok("640\n");
    d.run("sed", &["-i.bak", "1d", "a"]).ok("");
    assert_eq!(d.read("a"), b"x2\n");
    assert_eq!(d.read("a.bak"), b"x1\nx2\n");
    d.run("sed", &["--in-place=old_*", "s/x/y/", "a", "b"])
        .ok("");
    assert_eq!(d.read("old_a"), b"x2\n");
    assert_eq!(d.read("old_b"), b"x3\nx4");
    assert_eq!(d.read("b"), b"y3\ny4");
    d.write("sub/f", "q\n");
    d.mkdir("sub/bak");
    d.run("sed", &["-ibak/*", "p", "sub/f"]).ok("");
    assert_eq!(d.read("sub/f"), b"q\nq\n");
    assert_eq!(d.read("sub/bak/f"), b"q\n");
    // Each file is its own stream: line numbers, $, N at the end.
    d.write("a", "1\n2\n");
    d.write("b", "3\n4\n");
    d.run("sed", &["-i", "1s/^/>/;$!N;s/\\n/+/", "a", "b"])
        .ok("");
    assert_eq!(d.read("a"), b">1+2\n");
    assert_eq!(d.read("b"), b">3+4\n");
    // q ends everything: the rest of the file is dropped, b untouched.
    d.write("a", "1\n2\n3\n");
    d.run("sed", &["-i", "2q", "a", "b"]).ok("");
    assert_eq!(d.read("a"), b"1\n2\n");
    assert_eq!(d.read("b"), b">3+4\n");
    // w /dev/stdout and F still go to standard output.
    d.write("a", "1\n2\n");
    d.run("sed", &["-i", "-e", "w /dev/stdout", "-e", "s/1/X/", "a"])
        .ok("1\n2\n");
    assert_eq!(d.read("a"), b"X\n2\n");
    d.run("sed", &["-i", "-n", "F;=;1p", "a"]).ok("");
    assert_eq!(d.read("a"), b"a\n1\nX\na\n2\n");
    // Errors: missing file (others still done), no files, not regular.
    d.write("a", "1\n");
    d.run("sed", &["-i", "s/1/Z/", "nofile", "a"])
        .fails(2, "sed: can't read nofile: No such file or directory\n");
    assert_eq!(d.read("a"), b"Z\n");
    d.run("sed", &["-i", "p"]).fails(4, "sed: no input files\n");
    d.run("sed", &["-i", "p", "sub"])
        .fails(4, "sed: couldn't edit sub: not a regular file\n");
    d.run("sed", &["-i", "p", "-"])
        .fails(2, "sed: can't read -: No such file or directory\n");
    // A symlink is replaced by a file, unless --follow-symlinks.
    d.write("t", "1\n");
    d.sh("ln -s t l1 && ln -s t l2").ok("");
    d.run("sed", &["-i", "s/1/L/", "l1"]).ok("");
    assert!(
        !d.p("l1")
            .symlink_metadata()
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(d.read("l1"), b"L\n");
    assert_eq!(d.read("t"), b"1\n");
    d.run("sed", &["-i", "--follow-symlinks", "s/1/M/", "l2"])
        .ok("");
    assert!(
        d.p("l2")
            .symlink_metadata()
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(d.read("t"), b"M\n");
    // No temporary files are left behind.
    d.sh("ls | grep '^sed' || true").ok("");
}

#[test]
fn sed_in_place_failure_keeps_the_original() {
    let d = Dir::new();
    d.write("ro/f", "k\n");
    d.sh("chmod 555 ro").ok("");
    if is_root() {
        eprintln!("SKIPPED unwritable directory case: root can write anywhere");
    } else {
        let o = d.run("sed", &["-i", "s/k/K/", "ro/f"]).go();
        assert_eq!(o.code, 4);
        assert!(
            o.err()
                .starts_with("sed: couldn't open temporary file ro/sed")
        );
        assert_eq!(d.read("ro/f"), b"k\n");
    }
    d.sh("chmod 755 ro").ok("");
    // A write error (full device) leaves the original alone.
    if std::path::Path::new("/dev/full").exists() {
        d.write("g", "1\n");
        d.run("sed", &["-i", "w /dev/full", "g"]).go().code(4);
        assert_eq!(d.read("g"), b"1\n");
    }
}

#[test]
fn sed_options_and_usage() {
    run("sed", &[]).fails(
        1,
        "Usage: sed [-i[SUFFIX]] [-nrEsuz] [-l N] [-e SCRIPT]... [-f FILE]... [SCRIPT] [FILE]...\n",
    );
    run("sed", &["-k"]).fails(
        1,
        "sed: invalid option -- 'k'\nUsage: sed [-i[SUFFIX]] [-nrEsuz] [-l N] [-e SCRIPT]... [-f FILE]... [SCRIPT] [FILE]...\n",
    );
    run("sed", &["-e"]).fails(
        1,
        "sed: option requires an argument -- 'e'\nUsage: sed [-i[SUFFIX]] [-nrEsuz] [-l N] [-e SCRIPT]... [-f FILE]... [SCRIPT] [FILE]...\n",
    );
    let o = run("sed", &["--help"]).go();
    assert_eq!(o.code, 0);
    assert!(o.out().starts_with("Usage: sed "));
    run("sed", &["--", "p"]).stdin("a\n").ok("a\na\n");
    run("sed", &["-n", "--", "1p", "-"]).stdin("a\n").ok("a\n");
    run("sed", &["-ne", "p"]).stdin("a\n").ok("a\n");
    run("sed", &["-nEe", "s/(a)/\\1\\1/p"])
        .stdin("a\n")
        .ok("aa\n");
}

#[test]
fn sed_huge_lines_and_nul_bytes() {
    let line = "ab".repeat(300_000);
    let input = format!("{line}\n{line}");
    let want = format!("{}\n{}", line.replace('a', "x"), line.replace('a', "x"));
    run("sed", &["s/a/x/g"]).stdin(&input).ok(want);
    let mut bin = b"a\x00b\xff\nc\x00".to_vec();
    run("sed", &["s/b/B/"])
        .stdin(&bin)
        .ok(b"a\x00B\xff\nc\x00".as_slice());
    bin.extend_from_slice(b"\n");
    run("sed", &["-n", "/\\x00/="]).stdin(&bin).ok("1\n2\n");
    let many: String = (1..=100_000).map(|i| format!("{i}\n")).collect();
    run("sed", &["-n", "$p;50000,50002p"])
        .stdin(&many)
        .ok("50000\n50001\n50002\n100000\n");
}

#[test]
fn sed_write_errors() {
    if !std::path::Path::new("/dev/full").exists() {
        eprintln!("SKIPPED write errors: no /dev/full");
        return;
    }
    let d = Dir::new();
    d.write("a", "1\n");
    d.sh("$B/sed p a > /dev/full")
        .fails(4, "sed: couldn't flush stdout: No space left on device\n");
    d.run("sed", &["w /dev/full", "a"]).go().expect(
        4,
        b"1\n",
        b"sed: couldn't flush /dev/full: No space left on device\n",
    );
}

#[test]
fn sed_in_place_keeps_the_owner() {
    if skip_unless_root("sed -i keeps the owner") {
        return;
    }
    let d = Dir::new();
    d.write("f", "1\n");
    d.sh("chown 65534:65534 f && chmod 604 f").ok("");
    d.run("sed", &["-i", "s/1/2/", "f"]).ok("");
    d.sh("stat -c '%u:%g %a' f").ok("65534:65534 604\n");
    assert_eq!(d.read("f"), b"2\n");
}

#[test]
fn sed_ranges_whose_start_line_was_skipped() {
    // GNU: a range starting at a line number never seen (an earlier `d`
    // or `n` skipped it) starts at the first line after it, once; a
    // numeric end already passed then selects nothing.
    let input = "1\n2\n3\n4\n5\n6\n7\n8\n";
    for (script, out) in [
        ("1d;1,3p", "2\n3\n"),
        ("n;1,3p", "2\n"),
        ("1,2d;1,3p", "3\n"),
        ("1,5d;2,3p", ""),
        ("1d;1,+1p", "2\n3\n"),
        ("1d;1,~4p", "2\n3\n4\n"),
        ("1,4d;2,/7/p", "5\n6\n7\n"),
        ("1d;0,/3/p", "2\n3\n"),
        ("1,2p", "1\n2\n"),
        ("1{N;N;d};1p;2,3p;3p;4p", "4\n"),
    ] {
        run("sed", &["-n", script]).stdin(input).ok(out);
    }
}

#[test]
fn sed_version_satisfies_configure_scripts() {
    let o = run("sed", &["--version"]).go();
    assert_eq!(o.code, 0);
    assert!(o.out().contains("GNU sed version 4.0\n"), "{}", o.out());
}
