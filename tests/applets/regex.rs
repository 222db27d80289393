//! grep, egrep and fgrep, and through them the POSIX regex layer
//! (ibex::regex). Every expected output here was produced by GNU grep 3.8
//! (LC_ALL=C) except where a comment says otherwise: the order of -r
//! output (ibex sorts directory entries), the usage synopsis, and the
//! program name in egrep/fgrep messages.

use crate::harness::*;

/// Plain selection, -v, -c, exit status 1 when nothing is selected.
#[test]
fn selects_matching_lines() {
    run("grep", &["abc"])
        .stdin("one abc two abc\nxyz\nabc\n\nfoo bar\nFoo_Bar baz\n  indented\nend\n")
        .ok("one abc two abc\nabc\n");
    run("grep", &["-v", "abc"])
        .stdin("one abc two abc\nxyz\nabc\n\nfoo bar\nFoo_Bar baz\n  indented\nend\n")
        .ok("xyz\n\nfoo bar\nFoo_Bar baz\n  indented\nend\n");
    run("grep", &["-c", "abc"])
        .stdin("one abc two abc\nxyz\nabc\n\nfoo bar\nFoo_Bar baz\n  indented\nend\n")
        .ok("2\n");
    run("grep", &["-c", "-v", "abc"])
        .stdin("one abc two abc\nxyz\nabc\n\nfoo bar\nFoo_Bar baz\n  indented\nend\n")
        .ok("6\n");
    run("grep", &["zzz"])
        .stdin("one abc two abc\nxyz\nabc\n\nfoo bar\nFoo_Bar baz\n  indented\nend\n")
        .fails(1, "");
    run("grep", &["-c", "zzz"])
        .stdin("one abc two abc\nxyz\nabc\n\nfoo bar\nFoo_Bar baz\n  indented\nend\n")
        .go()
        .expect(1, b"0\n", b"");
    run("grep", &["abc"]).stdin("").fails(1, "");
    run("grep", &["-c", "x"])
        .stdin("")
        .go()
        .expect(1, b"0\n", b"");
    run("grep", &["b"]).stdin("a\nb").ok("b\n");
    run("grep", &["-v", "zz"])
        .stdin("no newline")
        .ok("no newline\n");
}

#[test]
fn line_numbers_and_byte_offsets() {
    run("grep", &["-n", "abc"])
        .stdin("one abc two abc\nxyz\nabc\n\nfoo bar\nFoo_Bar baz\n  indented\nend\n")
        .ok("1:one abc two abc\n3:abc\n");
    run("grep", &["-b", "abc"])
        .stdin("one abc two abc\nxyz\nabc\n\nfoo bar\nFoo_Bar baz\n  indented\nend\n")
        .ok("0:one abc two abc\n20:abc\n");
    run("grep", &["-nb", "o"])
        .stdin("one abc two abc\nxyz\nabc\n\nfoo bar\nFoo_Bar baz\n  indented\nend\n")
        .ok("1:0:one abc two abc\n5:25:foo bar\n6:33:Foo_Bar baz\n");
    run("grep", &["-n", "-v", "o"])
        .stdin("one abc two abc\nxyz\nabc\n\nfoo bar\nFoo_Bar baz\n  indented\nend\n")
        .ok("2:xyz\n3:abc\n4:\n7:  indented\n8:end\n");
    run("grep", &["-o", "-b", "abc"])
        .stdin("one abc two abc\nxyz\nabc\n\nfoo bar\nFoo_Bar baz\n  indented\nend\n")
        .ok("4:abc\n12:abc\n20:abc\n");
    run("grep", &["-n", "-o", "b."])
        .stdin("one abc two abc\nxyz\nabc\n\nfoo bar\nFoo_Bar baz\n  indented\nend\n")
        .ok("1:bc\n1:bc\n3:bc\n5:ba\n6:ba\n");
}

/// grep -o shows each match: leftmost, then longest (POSIX).
#[test]
fn only_matching_prints_leftmost_longest() {
    run("grep", &["-o", "ab*"])
        .stdin("abbb ab a\n")
        .ok("abbb\nab\na\n");
    run("grep", &["-oE", "a|ab|abc"])
        .stdin("xabcd abd\n")
        .ok("abc\nab\n");
    run("grep", &["-oE", "(a|ab)(c|bcd)"])
        .stdin("abcd\n")
        .ok("abcd\n");
    run("grep", &["-oE", "x*"]).stdin("axxbx\n").ok("xx\nx\n");
    run("grep", &["-o", "b*"]).stdin("abbc\n").ok("bb\n");
    run("grep", &["-oE", "[0-9]+"])
        .stdin("a1 22 333x4444\n")
        .ok("1\n22\n333\n4444\n");
    run("grep", &["-oE", "abcd|c"])
        .stdin("abcd abc\n")
        .ok("abcd\nc\n");
    run("grep", &["-o", ""]).stdin("abc\n").ok("");
    run("grep", &["-o", "-v", "a"]).stdin("b\na\n").ok("");
    run("grep", &["-oE", "(ab)+"])
        .stdin("ababab abx\n")
        .ok("ababab\nab\n");
    run("grep", &["-oiE", "fo+"])
        .stdin("FOO fOo bar\n")
        .ok("FOO\nfOo\n");
    run("grep", &["-o", "-c", "a"])
        .stdin("aaa\nb\na\n")
        .ok("2\n");
}

#[test]
fn ignore_case() {
    run("grep", &["-i", "FOO"])
        .stdin("one abc two abc\nxyz\nabc\n\nfoo bar\nFoo_Bar baz\n  indented\nend\n")
        .ok("foo bar\nFoo_Bar baz\n");
    run("grep", &["-y", "foo_bar"])
        .stdin("one abc two abc\nxyz\nabc\n\nfoo bar\nFoo_Bar baz\n  indented\nend\n")
        .ok("Foo_Bar baz\n");
    run("grep", &["-i", "-o", "B[A-Z]r"])
        .stdin("one abc two abc\nxyz\nabc\n\nfoo bar\nFoo_Bar baz\n  indented\nend\n")
        .ok("bar\nBar\n");
    run("grep", &["-i", "[[:upper:]]x"])
        .stdin("aX\nAx\n12\n")
        .ok("aX\nAx\n");
    run("grep", &["-i", "--no-ignore-case", "foo"])
        .stdin("one abc two abc\nxyz\nabc\n\nfoo bar\nFoo_Bar baz\n  indented\nend\n")
        .ok("foo bar\n");
    run("grep", &["-iF", "ABC"])
        .stdin("one abc two abc\nxyz\nabc\n\nfoo bar\nFoo_Bar baz\n  indented\nend\n")
        .ok("one abc two abc\nabc\n");
    run("grep", &["-ic", "HeLLo"])
        .stdin("hello\nHELLO\nhelo\n")
        .ok("2\n");
    run("grep", &["-iE", "(ab)\\1"])
        .stdin("abAB\nabab\naabb\n")
        .ok("abAB\nabab\n");
}

/// -w: not preceded or followed by a word character (letters, digits, _).
#[test]
fn whole_words() {
    run("grep", &["-w", "foo"])
        .stdin("foo\nfoobar\nbar foo.\n_foo\nfoo_\n")
        .ok("foo\nbar foo.\n");
    run("grep", &["-w", "foo"])
        .stdin("foobar foo\n")
        .ok("foobar foo\n");
    run("grep", &["-ow", "foo"])
        .stdin("foobar foo x foo\n")
        .ok("foo\nfoo\n");
    run("grep", &["-w", "@x"])
        .stdin("a @x b\na@x\n")
        .ok("a @x b\n");
    run("grep", &["-w", "a.*"]).stdin("ab c\n").ok("ab c\n");
    run("grep", &["-w", ""]).stdin("a b\n-\n\nab\n").ok("-\n\n");
    run("grep", &["-wc", "b*"]).stdin("abc\nb\n\n").ok("2\n");
    run("grep", &["-ow", "[a-z]*"])
        .stdin("ab cd-ef\n")
        .ok("ab\ncd\nef\n");
    run("grep", &["-wE", "ab|abc"]).stdin("abc\n").ok("abc\n");
}

#[test]
fn whole_lines() {
    run("grep", &["-x", "abc"])
        .stdin("one abc two abc\nxyz\nabc\n\nfoo bar\nFoo_Bar baz\n  indented\nend\n")
        .ok("abc\n");
    run("grep", &["-x", ""])
        .stdin("one abc two abc\nxyz\nabc\n\nfoo bar\nFoo_Bar baz\n  indented\nend\n")
        .ok("\n");
    run("grep", &["-xc", ""])
        .stdin("one abc two abc\nxyz\nabc\n\nfoo bar\nFoo_Bar baz\n  indented\nend\n")
        .ok("1\n");
    run("grep", &["-xE", "a|aa"])
        .stdin("a\naa\naaa\n")
        .ok("a\naa\n");
    run("grep", &["-x", "-v", "abc"])
        .stdin("abc\nabcd\n")
        .ok("abcd\n");
    run("grep", &["-xF", "a.c"]).stdin("a.c\nabc\n").ok("a.c\n");
    run("grep", &["-xn", "a*"])
        .stdin("aa\nb\n\n")
        .ok("1:aa\n3:\n");
}

#[test]
fn several_patterns() {
    run("grep", &["-e", "abc", "-e", "xyz"])
        .stdin("one abc two abc\nxyz\nabc\n\nfoo bar\nFoo_Bar baz\n  indented\nend\n")
        .ok("one abc two abc\nxyz\nabc\n");
    run("grep", &["abc\nxyz"])
        .stdin("one abc two abc\nxyz\nabc\n\nfoo bar\nFoo_Bar baz\n  indented\nend\n")
        .ok("one abc two abc\nxyz\nabc\n");
    run("grep", &["-e", "zzz", "-e", ""])
        .stdin("a\nb\n")
        .ok("a\nb\n");
    run("grep", &["-c", ""])
        .stdin("one abc two abc\nxyz\nabc\n\nfoo bar\nFoo_Bar baz\n  indented\nend\n")
        .ok("8\n");
    run("grep", &["-E", "-e", "a(b)\\1", "-e", "(x)y\\1"])
        .stdin("abb\nxyx\nxyz\n")
        .ok("abb\nxyx\n");
    run("grep", &["-F", "-e", "a.", "-e", "z"])
        .stdin("a.\nab\nz\n")
        .ok("a.\nz\n");
    run("grep", &["-v", ""])
        .stdin("one abc two abc\nxyz\nabc\n\nfoo bar\nFoo_Bar baz\n  indented\nend\n")
        .fails(1, "");
    run("grep", &["-c", "-v", ""])
        .stdin("one abc two abc\nxyz\nabc\n\nfoo bar\nFoo_Bar baz\n  indented\nend\n")
        .fails(1, "");
    run("grep", &["-v", "-x", ""])
        .stdin("a\n\nb\n")
        .ok("a\nb\n");
}

#[test]
fn patterns_from_files() {
    let d = Dir::new();
    d.write("pats", "one\ntw.\n");
    d.write("empty", "");
    d.write("blankline", "zzz\n\n");
    d.write("data", "one\ntwo\nthree\n");
    d.run("grep", &["-f", "pats", "data"]).ok("one\ntwo\n");
    d.run("grep", &["-f", "empty", "data"]).fails(1, "");
    d.run("grep", &["-v", "-f", "empty", "data"])
        .ok("one\ntwo\nthree\n");
    d.run("grep", &["-f", "blankline", "data"])
        .ok("one\ntwo\nthree\n");
    d.run("grep", &["-f", "pats", "-e", "three", "data"])
        .ok("one\ntwo\nthree\n");
    d.run("grep", &["-f", "nope", "data"])
        .fails(2, "grep: nope: No such file or directory\n");
    d.run("grep", &["-f", "-", "data"])
        .stdin("two\n")
        .ok("two\n");
    d.run("grep", &["-x", "-f", "pats", "data"])
        .ok("one\ntwo\n");
}

#[test]
fn matchers_and_program_names() {
    run("grep", &["-E", "a+b"]).stdin("aab\na+b\n").ok("aab\n");
    run("grep", &["a+b"]).stdin("aab\na+b\n").ok("a+b\n");
    run("grep", &["-G", "a\\+b"])
        .stdin("aab\na+b\n")
        .ok("aab\n");
    run("grep", &["-F", "a+b"]).stdin("aab\na+b\n").ok("a+b\n");
    run("egrep", &["a+b"]).stdin("aab\na+b\n").ok("aab\n");
    run("fgrep", &["a+b"]).stdin("aab\na+b\n").ok("a+b\n");
    run("grep", &["-E", "-F", "x"])
        .stdin("x\n")
        .fails(2, "grep: conflicting matchers specified\n");
    run("grep", &["-F", "-F", "x"]).stdin("x\n").ok("x\n");
    run("grep", &["-F", "a\\b"]).stdin("a\\b\n").ok("a\\b\n");
}

/// ibex names the applet run (GNU egrep is a script that runs grep).
#[test]
fn program_name_in_messages() {
    run("egrep", &["-F", "x"])
        .stdin("x\n")
        .fails(2, "egrep: conflicting matchers specified\n");
    run("fgrep", &["("]).stdin("(\n").ok("(\n");
    run("egrep", &["("])
        .stdin("x\n")
        .fails(2, "egrep: Unmatched ( or \\(\n");
}

/// ^ and $ are anchors only at the ends of a BRE (or a group/branch); anywhere in an ERE.
#[test]
fn bre_and_ere_anchors() {
    run("grep", &["a^b"]).stdin("a^b\nab\n").ok("a^b\n");
    run("grep", &["a$b"]).stdin("a$b\n").ok("a$b\n");
    run("grep", &["-E", "a$b"]).stdin("a$b\n").fails(1, "");
    run("grep", &["-E", "a^b"]).stdin("a^b\n").fails(1, "");
    run("grep", &["^*a"]).stdin("*a\na\n").ok("*a\n");
    run("grep", &["\\(^a\\)"]).stdin("a\nba\n").ok("a\n");
    run("grep", &["b\\(^a\\)"]).stdin("ba\n").fails(1, "");
    run("grep", &["^^a"]).stdin("^a\na\n").ok("^a\n");
    run("grep", &["a$$"]).stdin("a$\na\n").ok("a$\n");
    run("grep", &["$a"]).stdin("$a\n").ok("$a\n");
    run("grep", &["-E", "^(a|b)$"])
        .stdin("a\nab\nb\n")
        .ok("a\nb\n");
    run("grep", &["-c", "^"])
        .stdin("one abc two abc\nxyz\nabc\n\nfoo bar\nFoo_Bar baz\n  indented\nend\n")
        .ok("8\n");
    run("grep", &["-c", "$"])
        .stdin("one abc two abc\nxyz\nabc\n\nfoo bar\nFoo_Bar baz\n  indented\nend\n")
        .ok("8\n");
    run("grep", &["-n", "^$"])
        .stdin("one abc two abc\nxyz\nabc\n\nfoo bar\nFoo_Bar baz\n  indented\nend\n")
        .ok("4:\n");
    run("grep", &["x\\|^a"]).stdin("ab\nba\nx\n").ok("ab\nx\n");
    run("grep", &["a\\|b$"]).stdin("b\nbc\na\n").ok("b\na\n");
    run("grep", &["-o", "^."]).stdin("abc\n").ok("a\n");
}

/// BRE: a leading * is literal; ERE: a leading repetition applies to nothing (GNU warns).
#[test]
fn bre_star_positions() {
    run("grep", &["*a"]).stdin("*a\na\n").ok("*a\n");
    run("grep", &["\\(*a\\)"]).stdin("*a\na\n").ok("*a\n");
    run("grep", &["a\\|*b"]).stdin("*b\nb\n").ok("*b\n");
    run("grep", &["a**"]).stdin("x\n").ok("x\n");
    run("grep", &["-o", "ab*c"])
        .stdin("ac abbc\n")
        .ok("ac\nabbc\n");
    run("grep", &["-E", "*a"]).stdin("xa\n").go().expect(
        0,
        b"xa\n",
        b"grep: warning: * at start of expression\n",
    );
    run("grep", &["-E", "a|*b"]).stdin("b\n").go().expect(
        0,
        b"b\n",
        b"grep: warning: * at start of expression\n",
    );
    run("grep", &["-E", "+a"]).stdin("a\n").go().expect(
        0,
        b"a\n",
        b"grep: warning: + at start of expression\n",
    );
    run("grep", &["-E", "(*a)"]).stdin("a\n").go().expect(
        0,
        b"a\n",
        b"grep: warning: * at start of expression\n",
    );
    run("grep", &["-E", "a**"]).stdin("b\n").ok("b\n");
    run("grep", &["-E", "a+?"]).stdin("b\n").ok("b\n");
}

#[test]
fn intervals() {
    run("grep", &["-o", "a\\{2\\}"])
        .stdin("aaaaa\n")
        .ok("aa\naa\n");
    run("grep", &["-o", "a\\{2,3\\}"])
        .stdin("aaaaa\n")
        .ok("aaa\naa\n");
    run("grep", &["-o", "a\\{2,\\}"])
        .stdin("a aa aaaa\n")
        .ok("aa\naaaa\n");
    run("grep", &["-o", "a\\{,2\\}b"])
        .stdin("aaab\n")
        .ok("aab\n");
    run("grep", &["-oE", "a{1,2}"]).stdin("aaa\n").ok("aa\na\n");
    run("grep", &["-E", "a{0}b"]).stdin("b\n").ok("b\n");
    run("grep", &["-E", "a{,}"]).stdin("x\n").ok("x\n");
    run("grep", &["-E", "a{"]).stdin("a{\n").ok("a{\n");
    run("grep", &["-E", "a{1"]).stdin("a{1\n").ok("a{1\n");
    run("grep", &["-E", "a{1,x}"])
        .stdin("a{1,x}\n")
        .ok("a{1,x}\n");
    run("grep", &["-E", "{1}"]).stdin("x\n").go().expect(
        0,
        b"x\n",
        b"grep: warning: {...} at start of expression\n",
    );
    run("grep", &["\\{1\\}"]).stdin("{1}\n").ok("{1}\n");
    run("grep", &["-E", "a{1}{2}"]).stdin("aa\n").ok("aa\n");
    run("grep", &["x*\\{2\\}"]).stdin("y\n").ok("y\n");
    run("grep", &["-E", "a{32767}"]).stdin("a\n").fails(1, "");
    run("grep", &["-oE", "(ab){2}"])
        .stdin("ababab\n")
        .ok("abab\n");
    run("grep", &["y\\}"]).stdin("y}\n").ok("y}\n");
}

#[test]
fn interval_errors() {
    run("grep", &["a\\{1"])
        .stdin("a\n")
        .fails(2, "grep: Unmatched \\{\n");
    run("grep", &["a\\{1,x\\}"])
        .stdin("a\n")
        .fails(2, "grep: Invalid content of \\{\\}\n");
    run("grep", &["a\\{2,1\\}"])
        .stdin("a\n")
        .fails(2, "grep: Invalid content of \\{\\}\n");
    run("grep", &["-E", "a{2,1}"])
        .stdin("a\n")
        .fails(2, "grep: Invalid content of \\{\\}\n");
    run("grep", &["a\\{99999\\}"])
        .stdin("a\n")
        .fails(2, "grep: Regular expression too big\n");
    run("grep", &["-E", "a{32768}"])
        .stdin("a\n")
        .fails(2, "grep: Regular expression too big\n");
    run("grep", &["a\\{1\\}\\{"])
        .stdin("a\n")
        .fails(2, "grep: Unmatched \\{\n");
}

#[test]
fn back_references() {
    run("grep", &["\\(a\\)\\1"]).stdin("aa\nab\n").ok("aa\n");
    run("grep", &["-o", "\\(ab*\\)c\\1"])
        .stdin("abbcabb abcab acx\n")
        .ok("abbcabb\nabcab\n");
    run("grep", &["-E", "(.)\\1"])
        .stdin("abcc\nabc\n")
        .ok("abcc\n");
    run("grep", &["-oE", "([a-z]+) \\1"])
        .stdin("the the cat cat dog\n")
        .ok("the the\ncat cat\n");
    run("grep", &["-E", "(a)|b\\1"])
        .stdin("b\na\n")
        .fails(2, "grep: Invalid back reference\n");
    run("grep", &["\\(a*\\)b\\1$"])
        .stdin("aabaa\naaba\nb\n")
        .ok("aabaa\naaba\nb\n");
    run("grep", &["-w", "\\(x\\)\\1"])
        .stdin("xx\nxxx\n")
        .ok("xx\n");
    run("grep", &["-x", "\\([ab]*\\)\\1"])
        .stdin("abab\naba\n\n")
        .ok("abab\n\n");
    run("grep", &["-i", "\\(a\\)\\1"]).stdin("aA\n").ok("aA\n");
    run("grep", &["-c", "\\(.\\)\\(.\\).\\2\\1"])
        .stdin("abcba\nabcab\nxyzyx\n")
        .ok("2\n");
    run("grep", &["\\1"])
        .stdin("a\n")
        .fails(2, "grep: Invalid back reference\n");
    run("grep", &["\\(a\\)\\2"])
        .stdin("a\n")
        .fails(2, "grep: Invalid back reference\n");
    run("grep", &["-E", "(a)\\2"])
        .stdin("a\n")
        .fails(2, "grep: Invalid back reference\n");
    run("grep", &["\\(a\\1\\)"])
        .stdin("a\n")
        .fails(2, "grep: Invalid back reference\n");
}

#[test]
fn bracket_expressions() {
    run("grep", &["[]a]"]).stdin("]\na\nb\n").ok("]\na\n");
    run("grep", &["[^]a]"]).stdin("]\na\nb\n").ok("b\n");
    run("grep", &["[a-]"]).stdin("-\nb\n").ok("-\n");
    run("grep", &["a[]-]b"])
        .stdin("a]b\na-b\nacb\n")
        .ok("a]b\na-b\n");
    run("grep", &["[[.-.]]"]).stdin("-\n").ok("-\n");
    run("grep", &["[[=a=]]"]).stdin("a\nb\n").ok("a\n");
    run("grep", &["[[.a.]-c]"]).stdin("b\nd\n").ok("b\n");
    run("grep", &["[--/]"]).stdin(".\n0\n").ok(".\n");
    run("grep", &["[\\]"]).stdin("\\\n").ok("\\\n");
    run("grep", &["[\\]]"]).stdin("\\]\n]\n").ok("\\]\n");
    run("grep", &["-o", "[[:digit:][:upper:]]*"])
        .stdin("ab12CDe\n")
        .ok("12CD\n");
    run("grep", &["-c", "[[:space:]]"])
        .stdin("a b\nab\n\tx\n")
        .ok("2\n");
    run("grep", &["-o", "[[:punct:]]"])
        .stdin("a,b.c!\n")
        .ok(",\n.\n!\n");
    run("grep", &["-o", "[[:xdigit:]]*"])
        .stdin("xdeadbeefx\n")
        .ok("deadbeef\n");
    run("grep", &["[[:alpha:]_][[:alnum:]_]*="])
        .stdin("x_1=2\n1x=\n")
        .ok("x_1=2\n1x=\n");
    run("grep", &["-c", "[[:blank:]]"])
        .stdin("a b\na\tb\nab\n")
        .ok("2\n");
    run("grep", &["-c", "[[:cntrl:]]"])
        .stdin("a\x01\nb\n")
        .ok("1\n");
    run("grep", &["-c", "[[:print:]]"])
        .stdin("\x01\nb\n")
        .ok("1\n");
    run("grep", &["-c", "[[:graph:]]"])
        .stdin(" \nb\n")
        .ok("1\n");
    run("grep", &["[[:lower:]]"]).stdin("A\na\n").ok("a\n");
    run("grep", &["-i", "[^a]"]).stdin("A\nb\n").ok("b\n");
    run("grep", &["[a-c]x"]).stdin("bx\ndx\n").ok("bx\n");
}

#[test]
fn bracket_errors() {
    run("grep", &["[a"])
        .stdin("a\n")
        .fails(2, "grep: Unmatched [, [^, [:, [., or [=\n");
    run("grep", &["a["])
        .stdin("a\n")
        .fails(2, "grep: Invalid regular expression\n");
    run("grep", &["["])
        .stdin("a\n")
        .fails(2, "grep: Invalid regular expression\n");
    run("grep", &["[^"])
        .stdin("a\n")
        .fails(2, "grep: Invalid regular expression\n");
    run("grep", &["[]"])
        .stdin("a\n")
        .fails(2, "grep: Unmatched [, [^, [:, [., or [=\n");
    run("grep", &["[[:alpha:]"])
        .stdin("a\n")
        .fails(2, "grep: Unmatched [, [^, [:, [., or [=\n");
    run("grep", &["[[:foo:]]"])
        .stdin("a\n")
        .fails(2, "grep: Invalid character class name\n");
    run("grep", &["[z-a]"])
        .stdin("a\n")
        .fails(2, "grep: Invalid range end\n");
    run("grep", &["[a-c-e]"])
        .stdin("a\n")
        .fails(2, "grep: Invalid range end\n");
    run("grep", &["[[:alpha:]-z]"])
        .stdin("a\n")
        .fails(2, "grep: Invalid range end\n");
    run("grep", &["[[.ab.]]"])
        .stdin("a\n")
        .fails(2, "grep: Invalid collation character\n");
    run("grep", &["[[=a]"])
        .stdin("a\n")
        .fails(2, "grep: Unmatched [, [^, [:, [., or [=\n");
    run("grep", &["-E", "[a"])
        .stdin("a\n")
        .fails(2, "grep: Unmatched [, [^, [:, [., or [=\n");
}

#[test]
fn other_syntax_errors() {
    run("grep", &["\\(a"])
        .stdin("a\n")
        .fails(2, "grep: Unmatched ( or \\(\n");
    run("grep", &["-E", "(a"])
        .stdin("a\n")
        .fails(2, "grep: Unmatched ( or \\(\n");
    run("grep", &["a\\)"])
        .stdin("a\n")
        .fails(2, "grep: Unmatched ) or \\)\n");
    run("grep", &["-E", "a)"]).stdin("a)\n").ok("a)\n");
    run("grep", &["-E", ")"]).stdin(")\n").ok(")\n");
    run("grep", &["a\\"])
        .stdin("a\n")
        .fails(2, "grep: Trailing backslash\n");
    run("grep", &["-E", "()"]).stdin("x\n").ok("x\n");
    run("grep", &["-E", "a||b"]).stdin("x\n").ok("x\n");
    run("grep", &["\\(\\)"]).stdin("x\n").ok("x\n");
}

#[test]
fn gnu_escapes() {
    run("grep", &["-o", "\\<b[a-z]*"])
        .stdin("ab bc b\n")
        .ok("bc\nb\n");
    run("grep", &["-o", "[a-z]*c\\>"])
        .stdin("abc cd xc\n")
        .ok("abc\nxc\n");
    run("grep", &["-o", "\\bx."]).stdin("ax xy x\n").ok("xy\n");
    run("grep", &["-o", "\\Bx."]).stdin("ax xy x\n").ok("x \n");
    run("grep", &["-o", "\\w\\+"])
        .stdin("ab,c_d 1\n")
        .ok("ab\nc_d\n1\n");
    run("grep", &["-o", "\\W"]).stdin("a,b c\n").ok(",\n \n");
    run("grep", &["-o", "\\s\\S"])
        .stdin("a b\tc\n")
        .ok(" b\n\tc\n");
    run("grep", &["-c", "\\`a"]).stdin("ab\nba\n").ok("1\n");
    run("grep", &["-c", "a\\'"]).stdin("ba\nab\n").ok("1\n");
    run("grep", &["-o", "a\\?b"]).stdin("b ab\n").ok("b\nab\n");
    run("grep", &["-o", "a\\+"]).stdin("a aaa\n").ok("a\naaa\n");
    run("grep", &["x\\|y"]).stdin("x\ny\nz\n").ok("x\ny\n");
    run("grep", &["-E", "a\\|b"]).stdin("a|b\nb\n").ok("a|b\n");
    run("grep", &["a\\d"]).stdin("ad\n").ok("ad\n");
    run("grep", &["-c", "\\."]).stdin("a.b\nab\n").ok("1\n");
    run("grep", &["\\n"]).stdin("n\n").ok("n\n");
    run("grep", &["-E", "\\{"]).stdin("{\n").ok("{\n");
    run("grep", &["\\}"]).stdin("}\n").ok("}\n");
    run("grep", &["\\/"]).stdin("/\n").ok("/\n");
}

/// Context: `-` after prefixes of context lines, `--` between groups (GNU).
#[test]
fn context_lines() {
    run("grep", &["-A1", "x"])
        .stdin("l1\nl2 x\nl3\nl4\nl5 x\nl6\nl7\nl8\nl9 x\nl10\n")
        .ok("l2 x\nl3\n--\nl5 x\nl6\n--\nl9 x\nl10\n");
    run("grep", &["-B1", "x"])
        .stdin("l1\nl2 x\nl3\nl4\nl5 x\nl6\nl7\nl8\nl9 x\nl10\n")
        .ok("l1\nl2 x\n--\nl4\nl5 x\n--\nl8\nl9 x\n");
    run("grep", &["-C1", "x"])
        .stdin("l1\nl2 x\nl3\nl4\nl5 x\nl6\nl7\nl8\nl9 x\nl10\n")
        .ok("l1\nl2 x\nl3\nl4\nl5 x\nl6\n--\nl8\nl9 x\nl10\n");
    run("grep", &["-n", "-C1", "x"])
        .stdin("l1\nl2 x\nl3\nl4\nl5 x\nl6\nl7\nl8\nl9 x\nl10\n")
        .ok("1-l1\n2:l2 x\n3-l3\n4-l4\n5:l5 x\n6-l6\n--\n8-l8\n9:l9 x\n10-l10\n");
    run("grep", &["-n", "-A3", "x"])
        .stdin("l1\nl2 x\nl3\nl4\nl5 x\nl6\nl7\nl8\nl9 x\nl10\n")
        .ok("2:l2 x\n3-l3\n4-l4\n5:l5 x\n6-l6\n7-l7\n8-l8\n9:l9 x\n10-l10\n");
    run("grep", &["-n", "-B3", "x"])
        .stdin("l1\nl2 x\nl3\nl4\nl5 x\nl6\nl7\nl8\nl9 x\nl10\n")
        .ok("1-l1\n2:l2 x\n3-l3\n4-l4\n5:l5 x\n6-l6\n7-l7\n8-l8\n9:l9 x\n");
    run("grep", &["-2", "-n", "x"])
        .stdin("l1\nl2 x\nl3\nl4\nl5 x\nl6\nl7\nl8\nl9 x\nl10\n")
        .ok("1-l1\n2:l2 x\n3-l3\n4-l4\n5:l5 x\n6-l6\n7-l7\n8-l8\n9:l9 x\n10-l10\n");
    run("grep", &["-A0", "x"])
        .stdin("l1\nl2 x\nl3\nl4\nl5 x\nl6\nl7\nl8\nl9 x\nl10\n")
        .ok("l2 x\n--\nl5 x\n--\nl9 x\n");
    run("grep", &["-n", "-A1", "-B2", "l5"])
        .stdin("l1\nl2 x\nl3\nl4\nl5 x\nl6\nl7\nl8\nl9 x\nl10\n")
        .ok("3-l3\n4-l4\n5:l5 x\n6-l6\n");
    run("grep", &["-C1", "l1\\|l10"])
        .stdin("l1\nl2 x\nl3\nl4\nl5 x\nl6\nl7\nl8\nl9 x\nl10\n")
        .ok("l1\nl2 x\n--\nl9 x\nl10\n");
    run("grep", &["-n", "-v", "-A1", "l"])
        .stdin("l1\nl2 x\nl3\nl4\nl5 x\nl6\nl7\nl8\nl9 x\nl10\nz\n")
        .ok("11:z\n");
    run("grep", &["-c", "-A1", "x"])
        .stdin("l1\nl2 x\nl3\nl4\nl5 x\nl6\nl7\nl8\nl9 x\nl10\n")
        .ok("3\n");
    run("grep", &["-o", "-C1", "x"])
        .stdin("l1\nl2 x\nl3\nl4\nl5 x\nl6\nl7\nl8\nl9 x\nl10\n")
        .ok("x\nx\n--\nx\n");
    run("grep", &["--group-separator=##", "-A0", "x"])
        .stdin("l1\nl2 x\nl3\nl4\nl5 x\nl6\nl7\nl8\nl9 x\nl10\n")
        .ok("l2 x\n##\nl5 x\n##\nl9 x\n");
    run("grep", &["--no-group-separator", "-A0", "x"])
        .stdin("l1\nl2 x\nl3\nl4\nl5 x\nl6\nl7\nl8\nl9 x\nl10\n")
        .ok("l2 x\nl5 x\nl9 x\n");
    run("grep", &["-A", "1", "-B", "1", "l[37]"])
        .stdin("l1\nl2 x\nl3\nl4\nl5 x\nl6\nl7\nl8\nl9 x\nl10\n")
        .ok("l2 x\nl3\nl4\n--\nl6\nl7\nl8\n");
    run("grep", &["-b", "-A1", "l9"])
        .stdin("l1\nl2 x\nl3\nl4\nl5 x\nl6\nl7\nl8\nl9 x\nl10\n")
        .ok("28:l9 x\n33-l10\n");
    run("grep", &["-C", "99", "l5"])
        .stdin("l1\nl2 x\nl3\nl4\nl5 x\nl6\nl7\nl8\nl9 x\nl10\n")
        .ok("l1\nl2 x\nl3\nl4\nl5 x\nl6\nl7\nl8\nl9 x\nl10\n");
}

#[test]
fn context_across_files_and_max_count() {
    let d = Dir::new();
    d.write("f1", "a x\nb\nc x\nd\ne x\n");
    d.write("f2", "p\nq x\n");
    d.run("grep", &["-A1", "x", "f1", "f2"])
        .ok("f1:a x\nf1-b\nf1:c x\nf1-d\nf1:e x\n--\nf2:q x\n");
    d.run("grep", &["-m1", "-A2", "x", "f1"])
        .ok("a x\nb\nc x\n");
    d.run("grep", &["-m2", "-A1", "x", "f1"])
        .ok("a x\nb\nc x\nd\n");
    d.run("grep", &["-m1", "-c", "x", "f1"]).ok("1\n");
    d.run("grep", &["-m2", "-n", "x", "f1", "f2"])
        .ok("f1:1:a x\nf1:3:c x\nf2:2:q x\n");
    d.run("grep", &["-m1", "-v", "-A1", "x", "f1"])
        .ok("b\nc x\n");
    d.run("grep", &["-m0", "x", "f1"]).fails(1, "");
    d.run("grep", &["-m0", "-c", "x", "f1"]).fails(1, "");
    d.run("grep", &["-L", "-m0", "x", "f1"]).ok("f1\n");
    d.run("grep", &["-m", "-1", "x", "f2"]).ok("q x\n");
}

#[test]
fn bad_option_values() {
    run("grep", &["-A", "x", "a"])
        .stdin("a\n")
        .fails(2, "grep: x: invalid context length argument\n");
    run("grep", &["-C", "-1", "a"])
        .stdin("a\n")
        .fails(2, "grep: -1: invalid context length argument\n");
    run("grep", &["-m", "x", "a"])
        .stdin("a\n")
        .fails(2, "grep: invalid max count\n");
    run("grep", &["--binary-files=foo", "a"])
        .stdin("a\n")
        .fails(2, "grep: unknown binary-files type\n");
    run("grep", &["-D", "foo", "a"])
        .stdin("a\n")
        .fails(2, "grep: unknown devices method\n");
    run("grep", &["-E", "-F", "a"])
        .stdin("a\n")
        .fails(2, "grep: conflicting matchers specified\n");
    run("grep", &["-d", "foo", "a"]).stdin("a\n").fails(1, "grep: invalid argument 'foo' for '--directories'\nValid arguments are:\n  - 'read'\n  - 'recurse'\n  - 'skip'\nUsage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.\n");
}

#[test]
fn file_names_and_prefixes() {
    let d = Dir::new();
    d.write("f1", "a x\nb\n");
    d.write("f2", "p\nq x\n");
    d.write("empty", "");
    d.write("nonl", "last x");
    d.run("grep", &["x", "f1", "f2"]).ok("f1:a x\nf2:q x\n");
    d.run("grep", &["-h", "x", "f1", "f2"]).ok("a x\nq x\n");
    d.run("grep", &["-H", "x", "f1"]).ok("f1:a x\n");
    d.run("grep", &["-c", "x", "f1", "f2", "empty"])
        .ok("f1:1\nf2:1\nempty:0\n");
    d.run("grep", &["-l", "x", "f1", "f2", "empty"])
        .ok("f1\nf2\n");
    d.run("grep", &["-L", "x", "f1", "f2", "empty"])
        .ok("empty\n");
    d.run("grep", &["-L", "zzz", "f1"]).ok("f1\n");
    d.run("grep", &["-Z", "-l", "x", "f1", "f2"]).ok("f1\0f2\0");
    d.run("grep", &["-Z", "-n", "x", "f1", "f2"])
        .ok("f1\x001:a x\nf2\x002:q x\n");
    d.run("grep", &["-Z", "-c", "x", "f1", "f2"])
        .ok("f1\x001\nf2\x001\n");
    d.run("grep", &["-Z", "-L", "q", "f1", "f2"]).ok("f1\0");
    d.run("grep", &["--null", "-A1", "p", "f2", "f1"])
        .ok("f2\0p\nf2\0q x\n");
    d.run("grep", &["-H", "--label=IN", "x", "-"])
        .stdin("x\n")
        .ok("IN:x\n");
    d.run("grep", &["x", "-", "f2"])
        .stdin("stdin x\n")
        .ok("(standard input):stdin x\nf2:q x\n");
    d.run("grep", &["-c", "x"]).stdin("x\n").ok("1\n");
    d.run("grep", &["-n", "x", "nonl"]).ok("1:last x\n");
    d.run("grep", &["-c", "x", "nonl"]).ok("1\n");
    d.run("grep", &["-v", "q", "nonl"]).ok("last x\n");
}

#[test]
fn initial_tab() {
    let d = Dir::new();
    d.write("f1", "a x\nb\n");
    d.write("f2", "p\nq x\n");
    d.write("f3", "\n\n");
    d.run("grep", &["-T", "x", "f1"]).ok("a x\n");
    d.run("grep", &["-T", "-n", "x", "f1"]).ok("1:\ta x\n");
    d.run("grep", &["-T", "-H", "x", "f1"]).ok("f1:\ta x\n");
    d.run("grep", &["-T", "-nH", "x", "f1", "f2"])
        .ok("f1:1:\ta x\nf2:2:\tq x\n");
    d.run("grep", &["-T", "-b", "x", "f1"]).ok("0:\ta x\n");
    d.run("grep", &["-T", "-n", "x"])
        .stdin("a\nx\n")
        .ok("                  2:\tx\n");
    d.run("grep", &["-T", "-c", "x", "f1", "f2"])
        .ok("f1:1\nf2:1\n");
    d.run("grep", &["-T", "-n", "-A1", "a", "f1"])
        .ok("1:\ta x\n2-\tb\n");
    d.run("grep", &["-T", "-n", "^$", "f3"]).ok("1:\n2:\n");
}

#[test]
fn quiet_and_silent() {
    let d = Dir::new();
    d.write("f1", "a x\n");
    d.run("grep", &["-q", "x", "f1"]).ok("");
    d.run("grep", &["-q", "zz", "f1"]).fails(1, "");
    d.run("grep", &["-q", "x", "nope", "f1"])
        .fails(0, "grep: nope: No such file or directory\n");
    d.run("grep", &["-q", "x", "f1", "nope"]).ok("");
    d.run("grep", &["-s", "x", "nope", "f1"])
        .go()
        .expect(2, b"f1:a x\n", b"");
    d.run("grep", &["-s", "x", "nope"]).fails(2, "");
    d.run("grep", &["-qs", "zz", "nope"]).fails(2, "");
    d.run("grep", &["x", "nope", "f1"]).go().expect(
        2,
        b"f1:a x\n",
        b"grep: nope: No such file or directory\n",
    );
    d.run("grep", &["x", "nope"])
        .fails(2, "grep: nope: No such file or directory\n");
    d.run("grep", &["--quiet", "x", "f1"]).ok("");
    d.run("grep", &["--silent", "x", "f1"]).ok("");
}

#[test]
fn directories() {
    let d = Dir::new();
    d.write("d/sub/a", "x\n");
    d.write("f", "f x\n");
    d.run("grep", &["x", "d"])
        .fails(2, "grep: d: Is a directory\n");
    d.run("grep", &["x", "d", "f"])
        .go()
        .expect(2, b"f:f x\n", b"grep: d: Is a directory\n");
    d.run("grep", &["-s", "x", "d"]).fails(2, "");
    d.run("grep", &["-d", "skip", "x", "d", "f"]).ok("f:f x\n");
    d.run("grep", &["-d", "read", "x", "d"])
        .fails(2, "grep: d: Is a directory\n");
    d.run("grep", &["-r", "x", "d/sub"]).ok("d/sub/a:x\n");
    d.run("grep", &["-r", "x", "f"]).ok("f x\n");
    d.run("grep", &["--directories=recurse", "-c", "x", "d/sub"])
        .ok("d/sub/a:1\n");
}

/// -r skips symlinks met in the walk but follows command-line ones; -R follows all.
#[test]
fn recursive_search() {
    let d = Dir::new();
    d.write("d/a.txt", "hit a\n");
    d.write("d/b.c", "hit c\n");
    d.write("d/sub/s.txt", "hit s\n");
    std::os::unix::fs::symlink("a.txt", d.p("d/link.txt")).unwrap();
    std::os::unix::fs::symlink("..", d.p("d/sub/dl")).unwrap();
    d.write("f1", "hit f\n");
    d.write("ex", "*.c\n*.txt\n");
    d.run("grep", &["-r", "hit", "d"])
        .ok("d/a.txt:hit a\nd/b.c:hit c\nd/sub/s.txt:hit s\n");
    d.run("grep", &["-R", "hit", "d"]).go().expect(
        0,
        b"d/a.txt:hit a\nd/b.c:hit c\nd/link.txt:hit a\nd/sub/s.txt:hit s\n",
        b"grep: d/sub/dl: warning: recursive directory loop\n",
    );
    d.run("grep", &["-rh", "hit", "d"])
        .ok("hit a\nhit c\nhit s\n");
    d.run("grep", &["-rc", "hit", "d"])
        .ok("d/a.txt:1\nd/b.c:1\nd/sub/s.txt:1\n");
    d.run("grep", &["-rl", "hit", "d"])
        .ok("d/a.txt\nd/b.c\nd/sub/s.txt\n");
    d.run("grep", &["-rL", "hit", "d"]).fails(1, "");
    d.run("grep", &["-r", "--include=*.c", "hit", "d"])
        .ok("d/b.c:hit c\n");
    d.run("grep", &["-r", "--exclude=*.c", "hit", "d"])
        .ok("d/a.txt:hit a\nd/sub/s.txt:hit s\n");
    d.run("grep", &["-r", "--exclude-dir=sub", "hit", "d"])
        .ok("d/a.txt:hit a\nd/b.c:hit c\n");
    d.run("grep", &["-r", "--exclude-dir=d", "hit", "d"])
        .fails(1, "");
    d.run(
        "grep",
        &["-r", "--include=*.txt", "--exclude=a*", "hit", "d"],
    )
    .ok("d/sub/s.txt:hit s\n");
    d.run("grep", &["-r", "hit", "d/link.txt"]).ok("hit a\n");
    d.run("grep", &["--exclude=f*", "hit", "f1"]).fails(1, "");
    d.run("grep", &["--exclude=d/*", "hit", "d/a.txt"])
        .fails(1, "");
    d.run("grep", &["--include=*.c", "hit", "f1", "d/b.c"])
        .ok("d/b.c:hit c\n");
    d.run("grep", &["-r", "--exclude-from=ex", "hit", "d"])
        .fails(1, "");
}

/// A NUL makes a file binary: GNU 3.8 says "binary file matches" on stderr instead of lines.
#[test]
fn binary_files() {
    let d = Dir::new();
    d.write("bin", "bin\0ary hello\nhello\n");
    d.write("txt", "hello\n");
    d.run("grep", &["hello", "bin"])
        .fails(0, "grep: bin: binary file matches\n");
    d.run("grep", &["-c", "hello", "bin"]).ok("2\n");
    d.run("grep", &["-a", "hello", "bin"])
        .ok("bin\0ary hello\nhello\n");
    d.run("grep", &["--binary-files=text", "-n", "hello", "bin"])
        .ok("1:bin\0ary hello\n2:hello\n");
    d.run("grep", &["-I", "hello", "bin"]).fails(1, "");
    d.run(
        "grep",
        &["--binary-files=without-match", "hello", "bin", "txt"],
    )
    .ok("txt:hello\n");
    d.run("grep", &["-l", "hello", "bin"]).ok("bin\n");
    d.run("grep", &["-o", "hello", "bin"])
        .fails(0, "grep: bin: binary file matches\n");
    d.run("grep", &["-v", "zzz", "bin"])
        .fails(0, "grep: bin: binary file matches\n");
    d.run("grep", &["-q", "hello", "bin"]).ok("");
    d.run("grep", &["zzz", "bin"]).fails(1, "");
    d.run("grep", &["-H", "hello", "txt", "bin"]).go().expect(
        0,
        b"txt:hello\n",
        b"grep: bin: binary file matches\n",
    );
    d.run("grep", &["hello"])
        .stdin("x\0y\nhello\n")
        .fails(0, "grep: (standard input): binary file matches\n");
    d.run("grep", &["-z", "hello", "bin"])
        .ok("ary hello\nhello\n\0");
    d.run("grep", &["-U", "hello", "txt"]).ok("hello\n");
}

/// -z: lines end with NUL; newline is an ordinary byte.
#[test]
fn null_data() {
    run("grep", &["-z", "x"])
        .stdin("a\0b x\0c\nx\0")
        .ok("b x\0c\nx\0");
    run("grep", &["-zc", "x"]).stdin("a\0b x\0c\nx\0").ok("2\n");
    run("grep", &["-z", "^b"]).stdin("a\nb\0b\0").ok("b\0");
    run("grep", &["-z", "a$"]).stdin("a\nb\0a\0").ok("a\0");
    run("grep", &["-z", "a.b"]).stdin("a\nb\0").ok("a\nb\0");
    run("grep", &["-zo", "x."])
        .stdin("x\nx\0xy\0")
        .ok("x\n\0xy\0");
    run("grep", &["-zn", "."])
        .stdin("a\0\0b\0")
        .ok("1:a\x003:b\0");
    run("grep", &["-zv", "a"]).stdin("a\0b").ok("b\0");
    run("grep", &["-z", "-x", "b"]).stdin("a\0b\0").ok("b\0");
}

/// GNU's SGR sequences: ms=01;31 fn=35 ln=32 bn=32 se=36, each ended by ESC[m ESC[K.
#[test]
fn color_output() {
    run("grep", &["--color=always", "abc"]).stdin("one abc two abc\nxyz\nabc\n\nfoo bar\nFoo_Bar baz\n  indented\nend\n").ok("one \x1b[01;31m\x1b[Kabc\x1b[m\x1b[K two \x1b[01;31m\x1b[Kabc\x1b[m\x1b[K\n\x1b[01;31m\x1b[Kabc\x1b[m\x1b[K\n");
    run("grep", &["--color=always", "-n", "-H", "abc"]).stdin("one abc two abc\nxyz\nabc\n\nfoo bar\nFoo_Bar baz\n  indented\nend\n").ok("\x1b[35m\x1b[K(standard input)\x1b[m\x1b[K\x1b[36m\x1b[K:\x1b[m\x1b[K\x1b[32m\x1b[K1\x1b[m\x1b[K\x1b[36m\x1b[K:\x1b[m\x1b[Kone \x1b[01;31m\x1b[Kabc\x1b[m\x1b[K two \x1b[01;31m\x1b[Kabc\x1b[m\x1b[K\n\x1b[35m\x1b[K(standard input)\x1b[m\x1b[K\x1b[36m\x1b[K:\x1b[m\x1b[K\x1b[32m\x1b[K3\x1b[m\x1b[K\x1b[36m\x1b[K:\x1b[m\x1b[K\x1b[01;31m\x1b[Kabc\x1b[m\x1b[K\n");
    run("grep", &["--color=always", "-o", "-b", "abc"]).stdin("one abc two abc\nxyz\nabc\n\nfoo bar\nFoo_Bar baz\n  indented\nend\n").ok("\x1b[32m\x1b[K4\x1b[m\x1b[K\x1b[36m\x1b[K:\x1b[m\x1b[K\x1b[01;31m\x1b[Kabc\x1b[m\x1b[K\n\x1b[32m\x1b[K12\x1b[m\x1b[K\x1b[36m\x1b[K:\x1b[m\x1b[K\x1b[01;31m\x1b[Kabc\x1b[m\x1b[K\n\x1b[32m\x1b[K20\x1b[m\x1b[K\x1b[36m\x1b[K:\x1b[m\x1b[K\x1b[01;31m\x1b[Kabc\x1b[m\x1b[K\n");
    run("grep", &["--color=always", "-A1", "xyz"])
        .stdin("one abc two abc\nxyz\nabc\n\nfoo bar\nFoo_Bar baz\n  indented\nend\n")
        .ok("\x1b[01;31m\x1b[Kxyz\x1b[m\x1b[K\nabc\n");
    run("grep", &["--color=always", "-c", "abc"])
        .stdin("one abc two abc\nxyz\nabc\n\nfoo bar\nFoo_Bar baz\n  indented\nend\n")
        .ok("2\n");
    run("grep", &["--color=always", "-v", "-B1", "xyz"]).stdin("one abc two abc\nxyz\nabc\n\nfoo bar\nFoo_Bar baz\n  indented\nend\n").ok("one abc two abc\n\x1b[01;31m\x1b[Kxyz\x1b[m\x1b[K\nabc\n\nfoo bar\nFoo_Bar baz\n  indented\nend\n");
    run("grep", &["--color=always", "-E", "x*"]).stdin("one abc two abc\nxyz\nabc\n\nfoo bar\nFoo_Bar baz\n  indented\nend\n").ok("one abc two abc\n\x1b[01;31m\x1b[Kx\x1b[m\x1b[Kyz\nabc\n\nfoo bar\nFoo_Bar baz\n  indented\nend\n");
    run("grep", &["--color=never", "abc"])
        .stdin("one abc two abc\nxyz\nabc\n\nfoo bar\nFoo_Bar baz\n  indented\nend\n")
        .ok("one abc two abc\nabc\n");
    run("grep", &["--color=auto", "abc"])
        .stdin("one abc two abc\nxyz\nabc\n\nfoo bar\nFoo_Bar baz\n  indented\nend\n")
        .ok("one abc two abc\nabc\n");
    run("grep", &["--color", "abc"])
        .stdin("one abc two abc\nxyz\nabc\n\nfoo bar\nFoo_Bar baz\n  indented\nend\n")
        .ok("one abc two abc\nabc\n");
    run("grep", &["--colour=always", "-i", "A"])
        .stdin("bAa\n")
        .ok("b\x1b[01;31m\x1b[KA\x1b[m\x1b[K\x1b[01;31m\x1b[Ka\x1b[m\x1b[K\n");
    run("grep", &["--color=always", "b"]).stdin("one abc two abc\nxyz\nabc\n\nfoo bar\nFoo_Bar baz\n  indented\nend\n").env("GREP_COLORS", "ms=04:ln=33:ne").ok("one a\x1b[04mb\x1b[mc two a\x1b[04mb\x1b[mc\na\x1b[04mb\x1b[mc\nfoo \x1b[04mb\x1b[mar\nFoo_Bar \x1b[04mb\x1b[maz\n");
    run("grep", &["--color=always", "-n", "b"]).stdin("one abc two abc\nxyz\nabc\n\nfoo bar\nFoo_Bar baz\n  indented\nend\n").env("GREP_COLORS", "mt=7:fn=1:se=2:sl=3:cx=4").ok("\x1b[32m\x1b[K1\x1b[m\x1b[K\x1b[2m\x1b[K:\x1b[m\x1b[K\x1b[3m\x1b[Kone a\x1b[7m\x1b[Kb\x1b[m\x1b[K\x1b[3m\x1b[Kc two a\x1b[7m\x1b[Kb\x1b[m\x1b[K\x1b[3m\x1b[Kc\x1b[m\x1b[K\n\x1b[32m\x1b[K3\x1b[m\x1b[K\x1b[2m\x1b[K:\x1b[m\x1b[K\x1b[3m\x1b[Ka\x1b[7m\x1b[Kb\x1b[m\x1b[K\x1b[3m\x1b[Kc\x1b[m\x1b[K\n\x1b[32m\x1b[K5\x1b[m\x1b[K\x1b[2m\x1b[K:\x1b[m\x1b[K\x1b[3m\x1b[Kfoo \x1b[7m\x1b[Kb\x1b[m\x1b[K\x1b[3m\x1b[Kar\x1b[m\x1b[K\n\x1b[32m\x1b[K6\x1b[m\x1b[K\x1b[2m\x1b[K:\x1b[m\x1b[K\x1b[3m\x1b[KFoo_Bar \x1b[7m\x1b[Kb\x1b[m\x1b[K\x1b[3m\x1b[Kaz\x1b[m\x1b[K\n");
    run("grep", &["--color=always", "-n", "-A1", "x"]).stdin("one abc two abc\nxyz\nabc\n\nfoo bar\nFoo_Bar baz\n  indented\nend\n").env("GREP_COLORS", "sl=3:cx=4").ok("\x1b[32m\x1b[K2\x1b[m\x1b[K\x1b[36m\x1b[K:\x1b[m\x1b[K\x1b[3m\x1b[K\x1b[01;31m\x1b[Kx\x1b[m\x1b[K\x1b[3m\x1b[Kyz\x1b[m\x1b[K\n\x1b[32m\x1b[K3\x1b[m\x1b[K\x1b[36m\x1b[K-\x1b[m\x1b[K\x1b[4m\x1b[Kabc\x1b[m\x1b[K\n");
    run("grep", &["--color=always", "-v", "-A1", "xyz"]).stdin("one abc two abc\nxyz\nabc\n\nfoo bar\nFoo_Bar baz\n  indented\nend\n").env("GREP_COLORS", "sl=3:cx=4:rv").ok("\x1b[4m\x1b[Kone abc two abc\x1b[m\x1b[K\n\x1b[3m\x1b[K\x1b[01;31m\x1b[Kxyz\x1b[m\x1b[K\n\x1b[4m\x1b[Kabc\x1b[m\x1b[K\n\n\x1b[4m\x1b[Kfoo bar\x1b[m\x1b[K\n\x1b[4m\x1b[KFoo_Bar baz\x1b[m\x1b[K\n\x1b[4m\x1b[K  indented\x1b[m\x1b[K\n\x1b[4m\x1b[Kend\x1b[m\x1b[K\n");
    run("grep", &["--color=always", "-l", "abc", "-"])
        .stdin("one abc two abc\nxyz\nabc\n\nfoo bar\nFoo_Bar baz\n  indented\nend\n")
        .ok("\x1b[35m\x1b[K(standard input)\x1b[m\x1b[K\n");
    run("grep", &["--color=always", "-Z", "-H", "abc"]).stdin("one abc two abc\nxyz\nabc\n\nfoo bar\nFoo_Bar baz\n  indented\nend\n").ok("\x1b[35m\x1b[K(standard input)\x1b[m\x1b[K\0one \x1b[01;31m\x1b[Kabc\x1b[m\x1b[K two \x1b[01;31m\x1b[Kabc\x1b[m\x1b[K\n\x1b[35m\x1b[K(standard input)\x1b[m\x1b[K\0\x1b[01;31m\x1b[Kabc\x1b[m\x1b[K\n");
    run("grep", &["--color=always", "-A0", "-e", "one", "-e", "end"]).stdin("one abc two abc\nxyz\nabc\n\nfoo bar\nFoo_Bar baz\n  indented\nend\n").ok("\x1b[01;31m\x1b[Kone\x1b[m\x1b[K abc two abc\n\x1b[36m\x1b[K--\x1b[m\x1b[K\n\x1b[01;31m\x1b[Kend\x1b[m\x1b[K\n");
    run("grep", &["--color=always", "-w", "ab*"])
        .stdin("ab abc\n")
        .ok("\x1b[01;31m\x1b[Kab\x1b[m\x1b[K abc\n");
}

#[test]
fn warnings_for_leading_repetition() {
    run("grep", &["-E", "*abc"])
        .stdin("one abc two abc\nxyz\nabc\n\nfoo bar\nFoo_Bar baz\n  indented\nend\n")
        .go()
        .expect(
            0,
            b"one abc two abc\nabc\n",
            b"grep: warning: * at start of expression\n",
        );
    run("grep", &["-E", "{1}a"]).stdin("a\n").go().expect(
        0,
        b"a\n",
        b"grep: warning: {...} at start of expression\n",
    );
    run("grep", &["-E", "+a"]).stdin("a\n").go().expect(
        0,
        b"a\n",
        b"grep: warning: + at start of expression\n",
    );
    run("grep", &["-E", "a|?b"]).stdin("b\n").go().expect(
        0,
        b"b\n",
        b"grep: warning: ? at start of expression\n",
    );
    run("grep", &["-E", "(^+a)"]).stdin("a\n").go().expect(
        0,
        b"a\n",
        b"grep: warning: + at start of expression\n",
    );
}

/// Like every ibex applet: the message, then our usage synopsis (status 2 as GNU).
#[test]
fn usage_errors() {
    run("grep", &[]).stdin("a\n").fails(
        2,
        "Usage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.\n",
    );
    run("grep", &["-k", "a"]).stdin("a\n").fails(2, "grep: invalid option -- 'k'\nUsage: grep [-HhnlLoqvsrRiwFEGxzZcbTaI] [-m N] [-A|-B|-C N] { PATTERN | -e PATTERN... | -f FILE... } [FILE]...\n");
    run("grep", &["--frob", "a"]).stdin("a\n").fails(2, "grep: unrecognized option '--frob'\nUsage: grep [-HhnlLoqvsrRiwFEGxzZcbTaI] [-m N] [-A|-B|-C N] { PATTERN | -e PATTERN... | -f FILE... } [FILE]...\n");
    run("grep", &["-e"]).stdin("a\n").fails(2, "grep: option requires an argument -- 'e'\nUsage: grep [-HhnlLoqvsrRiwFEGxzZcbTaI] [-m N] [-A|-B|-C N] { PATTERN | -e PATTERN... | -f FILE... } [FILE]...\n");
}

/// A line longer than every buffer, and matches on both sides of buffer
/// boundaries (the search reads 128 KiB blocks).
#[test]
fn huge_lines_and_buffer_boundaries() {
    let d = Dir::new();
    let mut long = vec![b'a'; 1 << 20];
    long.extend_from_slice(b"needle\n");
    let mut data = b"first\n".to_vec();
    data.extend_from_slice(&long);
    data.extend_from_slice(b"last needle\n");
    d.write("long", &data);
    let o = d.run("grep", &["-c", "needle", "long"]).go();
    o.expect(0, b"2\n", b"");
    let o = d.run("grep", &["needle", "long"]).go();
    assert_eq!(o.stdout.len(), long.len() + 12);
    d.run("grep", &["-n", "-o", "ne*dle", "long"])
        .ok("2:needle\n3:needle\n");
    d.run("grep", &["-b", "last", "long"])
        .ok(format!("{}:last needle\n", 6 + long.len()));
    // Numbered lines: every 1000th holds "hit".
    let mut text = String::new();
    for i in 1..=300_000 {
        if i % 1000 == 0 {
            text.push_str(&format!("{i} hit\n"));
        } else {
            text.push_str(&format!("{i} miss\n"));
        }
    }
    d.write("many", &text);
    d.run("grep", &["-c", "hit", "many"]).ok("300\n");
    d.run("grep", &["-vc", "hit", "many"]).ok("299700\n");
    let o = d.run("grep", &["-n", "hit", "many"]).go();
    assert_eq!(o.code, 0);
    let lines: Vec<&str> = std::str::from_utf8(&o.stdout).unwrap().lines().collect();
    assert_eq!(lines.len(), 300);
    assert_eq!(lines[299], "300000:300000 hit");
    assert_eq!(lines[150], "151000:151000 hit");
    // Leading and trailing context around every match, across blocks.
    let o = d.run("grep", &["-n", "-C2", "hit", "many"]).go();
    let out = std::str::from_utf8(&o.stdout).unwrap();
    assert_eq!(out.lines().count(), 300 * 5 - 2 + 299);
    assert!(out.contains("--\n149998-149998 miss\n149999-149999 miss\n150000:150000 hit\n150001-150001 miss\n150002-150002 miss\n--\n"));
    d.run("grep", &["-m", "3", "-c", "hit", "many"]).ok("3\n");
    d.run("grep", &["-c", "-x", "-E", "29[0-9]{4} hit", "many"])
        .ok("10\n");
}

/// Standard input, `-`, and output that goes nowhere.
#[test]
fn stdin_and_dev_null() {
    let d = Dir::new();
    d.write("f", "a\nb\n");
    d.sh("printf 'x\\nb\\n' | $B/grep b - f")
        .ok("(standard input):b\nf:b\n");
    // Output to /dev/null: only the status matters (GNU stops early).
    d.sh("$B/grep -c b f >/dev/null; echo $?; $B/grep -c z f >/dev/null; echo $?")
        .ok("0\n1\n");
    d.run("grep", &["-c", "b", "-", "f"])
        .stdin("b\nb\n")
        .ok("(standard input):2\nf:1\n");
}

#[test]
fn input_file_is_also_the_output() {
    let d = Dir::new();
    d.write("f", "a\nb\n");
    d.sh("$B/grep a f >> f; echo $?; cat f").go().expect(
        0,
        b"2\na\nb\n",
        b"grep: f: input file is also the output\n",
    );
    // -c writes no lines, so it may append to its input.
    d.sh("$B/grep -c a f >> f; echo $?; tail -n 1 f")
        .ok("0\n1\n");
}

#[test]
fn grep_files_without_match_status() {
    // -L succeeds when it lists a file, whatever the lines (BusyBox).
    let d = Dir::new();
    d.write("hit", "abc\n");
    d.write("miss", "xyz\n");
    d.run("grep", &["-L", "abc", "miss"]).ok("miss\n");
    d.run("grep", &["-L", "abc", "hit"]).fails(1, "");
    d.run("grep", &["-L", "abc", "hit", "miss"]).ok("miss\n");
    d.run("grep", &["-L", "abc", "hit", "-"])
        .stdin("nope\n")
        .ok("(standard input)\n");
    d.run("grep", &["-L", "abc", "hit", "gone"])
        .fails(2, "grep: gone: No such file or directory\n");
    d.run("grep", &["-L", "abc", "miss", "gone"]).go().expect(
        2,
        b"miss\n",
        b"grep: gone: No such file or directory\n",
    );
    // With -q nothing is listed: the status says whether a line matched.
    d.run("grep", &["-qL", "abc", "hit"]).ok("");
    d.run("grep", &["-qL", "abc", "miss"]).fails(1, "");
}
