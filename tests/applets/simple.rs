//! echo, true, false, yes.

use crate::harness::*;

#[test]
fn true_and_false_ignore_arguments() {
    run("true", &[]).ok("");
    run("true", &["--help", "x"]).ok("");
    run("false", &[]).fails(1, "");
    run("false", &["--help"]).fails(1, "");
}

#[test]
fn echo_plain() {
    run("echo", &[]).ok("\n");
    run("echo", &["a", "", "b"]).ok("a  b\n");
    run("echo", &["-n", "x"]).ok("x");
    run("echo", &["--help"]).ok("--help\n");
    run("echo", &["-"]).ok("-\n");
    run("echo", &["--", "x"]).ok("-- x\n");
    run("echo", &["-nx", "y"]).ok("-nx y\n");
    // Escapes are not interpreted without -e.
    run("echo", &["a\\tb"]).ok("a\\tb\n");
}

#[test]
fn echo_escapes() {
    run("echo", &["-e", "a\\tb\\n"]).ok("a\tb\n\n");
    run("echo", &["-e", "x\\cy", "z"]).ok("x");
    run("echo", &["-e", "\\0101\\x42"]).ok("AB\n");
    run("echo", &["-eE", "a\\tb"]).ok("a\\tb\n");
    run("echo", &["-ne", "a", "b\\n"]).ok("a b\n");
}

#[test]
fn echo_non_utf8_bytes() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let o = run("echo", &[])
        .args_os(&[OsStr::from_bytes(b"\xff\xfe")])
        .go();
    assert_eq!(o.stdout, b"\xff\xfe\n");
}

#[test]
fn yes_repeats() {
    let d = Dir::new();
    let o = d.sh("yes | head -3; yes a b | head -2").go();
    o.expect(0, b"y\ny\ny\na b\na b\n", b"");
}

#[test]
fn write_error_is_reported() {
    if !std::path::Path::new("/dev/full").exists() {
        eprintln!("SKIPPED write_error_is_reported: no /dev/full");
        return;
    }
    let d = Dir::new();
    d.sh("$B/echo hi > /dev/full").go().expect(
        1,
        b"",
        b"echo: write error: No space left on device\n",
    );
    d.sh("yes > /dev/full")
        .go()
        .expect(1, b"", b"yes: standard output: No space left on device\n");
}

#[test]
fn echo_octal_without_leading_zero() {
    // Under -e, \NNN (one to three octal digits) is a byte as \0NNN is,
    // as in GNU and BusyBox echo; without -e it stays literal.
    run("echo", &["-ne", "\\41z|\\101\\1010|\\18|\\0101|\\08"]).ok("!z|AA0|\x018|A|\x008");
    run("echo", &["-n", "\\41"]).ok("\\41");
    run("echo", &["-e", "\\9\\8"]).ok("\\9\\8\n");
}
