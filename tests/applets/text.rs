//! printf, basename, dirname, pwd, sleep, env, uname, sync.
//!
//! The printf tables were produced by running GNU coreutils' printf 9.1
//! (LC_ALL=C) on each case; the few places where ibex differs on purpose
//! (usage lines, `%a` and long double precision, `%q`) are tested apart, and
//! bad numbers and bad conversions follow BusyBox (message, value 0).

use crate::harness::*;
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

type Case = (&'static [&'static str], &'static [u8], &'static [u8], i32);

/// Run every case, reporting all that differ at once.
fn printf_table(cases: &[Case]) {
    let mut bad = Vec::new();
    for &(args, out, err, code) in cases {
        let o = run("printf", args).go();
        if (o.code, o.stdout.as_slice(), o.stderr.as_slice()) != (code, out, err) {
            bad.push(format!(
                "printf {args:?}\n  want {code} {:?} {:?}\n  got  {} {:?} {:?}",
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
fn printf_integers_strings_and_errors() {
    #[rustfmt::skip]
    let cases: &[Case] = &[
        (&["%d\n", "5", "-5", "+5", "0x1F", "0X1f", "010", "-0x10", " 7", "'a", "\"A", ""], b"5\n-5\n5\n31\n31\n8\n-16\n7\n97\n65\n0\n", b"", 0),
        (&["%i|%u|%o|%x|%X\n", "42", "42", "42", "42", "42"], b"42|42|52|2a|2A\n", b"", 0),
        (&["%u %x %o\n", "-1", "-1", "-1"], b"18446744073709551615 ffffffffffffffff 1777777777777777777777\n", b"", 0),
        (&["%d %i\n", "9223372036854775807", "-9223372036854775808"], b"9223372036854775807 -9223372036854775808\n", b"", 0),
        (&["%d\n", "9223372036854775808"], b"9223372036854775807\n", b"printf: '9223372036854775808': Numerical result out of range\n", 1),
        (&["%d\n", "-99999999999999999999"], b"-9223372036854775808\n", b"printf: '-99999999999999999999': Numerical result out of range\n", 1),
        (&["%u\n", "99999999999999999999"], b"18446744073709551615\n", b"printf: '99999999999999999999': Numerical result out of range\n", 1),
        (&["%x\n", "18446744073709551616"], b"ffffffffffffffff\n", b"printf: '18446744073709551616': Numerical result out of range\n", 1),
        (&["%d\n", "x"], b"0\n", b"printf: invalid number 'x'\n", 1),
        (&["%d\n", "3abc"], b"0\n", b"printf: invalid number '3abc'\n", 1),
        (&["%d\n", "08"], b"0\n", b"printf: invalid number '08'\n", 1),
        (&["%d\n", "0x"], b"0\n", b"printf: invalid number '0x'\n", 1),
        (&["%d\n", "5 "], b"0\n", b"printf: invalid number '5 '\n", 1),
        (&["%d\n", " "], b"0\n", b"printf: invalid number ' '\n", 1),
        (&["%d\n", "+-5"], b"0\n", b"printf: invalid number '+-5'\n", 1),
        (&["%d\n", "'"], b"0\n", b"printf: invalid number '\\''\n", 1),
        (&["%d\n", "'ab"], b"97\n", b"", 0),
        (&["%d\n", "a'b"], b"0\n", b"printf: invalid number 'a\\'b'\n", 1),
        (&["%d\n", "a\tb"], b"0\n", b"printf: invalid number 'a\\tb'\n", 1),
        (&["%x\n", "0x-1"], b"0\n", b"printf: invalid number '0x-1'\n", 1),
        (&["%5d|%-5d|%05d|%-05d|\n", "42", "42", "-42", "-42"], b"   42|42   |-0042|-42  |\n", b"", 0),
        (&["%+d|% d|%+ d|%+d\n", "5", "5", "5", "-5"], b"+5| 5|+5|-5\n", b"", 0),
        (&["%.3d|%.0d|%5.0d|%05.2d|%.10d\n", "7", "0", "0", "5", "-12"], b"007||     |   05|-0000000012\n", b"", 0),
        (&["%#o|%#o|%#.0o|%#.3o|%#x|%#X|%#x|%#5x|%#05x|%-#8.3x|\n", "8", "0", "0", "8", "255", "255", "0", "1", "1", "1"], b"010|0|0|010|0xff|0XFF|0|  0x1|0x001|0x001   |\n", b"", 0),
        (&["%ld %lld %hd %hhd %jd %zd %td %Ld\n", "1", "2", "70000", "300", "4", "5", "6", "7"], b"1 2 70000 300 4 5 6 7\n", b"", 0),
        (&["%'d|%'u|%'.2f\n", "1234567", "1234567", "1234.5"], b"1234567|1234567|1234.50\n", b"", 0),
        (&["%s|%5s|%-5s|%.2s|%5.1s|%.s|%+s|% s|\n", "abc", "abc", "abc", "abc", "abc", "abc", "ab", "ab"], b"abc|  abc|abc  |ab|    a||ab|ab|\n", b"", 0),
        (&["%c|%c|%3c|%-3c|%c\n", "abc", "x", "y", "z", ""], b"a|x|  y|z  |\x00\n", b"", 0),
        (&["%c"], b"\x00", b"", 0),
        (&["%s|%d|%f|%c|%b|\n"], b"|0|0.000000|\x00||\n", b"", 0),
        (&["%*d|%-*d|%*d|%*.*d|%.*d|\n", "5", "1", "5", "2", "-5", "3", "6", "3", "4", "2", "9"], b"    1|2    |3    |   004|09|\n", b"", 0),
        (&["%.*f|%.*f|%.*s|\n", "2", "3.14159", "-2", "3.14159", "-1", "abc"], b"3.14|3.141590|abc|\n", b"", 0),
        (&["%*d|\n", "x", "1"], b"1|\n", b"printf: invalid number 'x'\n", 1),
        (&["%.*d|\n", "x", "1"], b"1|\n", b"printf: invalid number 'x'\n", 1),
        (&["%*d|"], b"0|", b"", 0),
        (&["%*s|\n", "99999999999", "a"], b"", b"printf: invalid field width: '99999999999'\n", 1),
        (&["%.*s|\n", "99999999999", "a"], b"", b"printf: invalid precision: '99999999999'\n", 1),
        (&["%%|%5s%%|\n", "a"], b"%|    a%|\n", b"", 0),
        (&["%s\n", "a", "b", "c"], b"a\nb\nc\n", b"", 0),
        (&["%s %s\n", "a", "b", "c"], b"a b\nc \n", b"", 0),
        (&["%d%d\n", "1", "x", "3"], b"10\n30\n", b"printf: invalid number 'x'\n", 1),
        (&["[%s]\n"], b"[]\n", b"", 0),
        (&["a", "b", "c"], b"a", b"printf: warning: ignoring excess arguments, starting with 'b'\n", 0),
        (&["x\n", "a'b"], b"x\n", b"printf: warning: ignoring excess arguments, starting with 'a\\'b'\n", 0),
        (&["--", "%s\n", "a"], b"a\n", b"", 0),
        (&["--", "--help"], b"--help", b"", 0),
        (&["--help", "x"], b"--help", b"printf: warning: ignoring excess arguments, starting with 'x'\n", 0),
        (&["-x"], b"-x", b"", 0),
        (&["--", "-x"], b"-x", b"", 0),
        (&["%s", "--help"], b"--help", b"", 0),
        (&["%z"], b"", b"printf: %z: invalid format\n", 1),
        (&["%-5z"], b"", b"printf: %-5z: invalid format\n", 1),
        (&["%"], b"", b"printf: %: invalid format\n", 1),
        (&["%5"], b"", b"printf: %5: invalid format\n", 1),
        (&["ab%"], b"ab", b"printf: %: invalid format\n", 1),
        (&["%5%"], b"", b"printf: %5%: invalid format\n", 1),
        (&["%1$d", "1"], b"", b"printf: %1$: invalid format\n", 1),
        (&["%z\n"], b"", b"printf: %z\n: invalid format\n", 1),
        (&["%ly\n"], b"", b"printf: %ly: invalid format\n", 1),
        (&["%lb"], b"", b"printf: %lb: invalid format\n", 1),
        (&["%lq"], b"", b"printf: %lq: invalid format\n", 1),
        (&["%05s|", "ab"], b"", b"printf: %05s: invalid format\n", 1),
        (&["%#s|", "ab"], b"", b"printf: %#s: invalid format\n", 1),
        (&["%05c|", "a"], b"", b"printf: %05c: invalid format\n", 1),
        (&["%.1c|", "a"], b"", b"printf: %.1c: invalid format\n", 1),
        (&["%#d", "1"], b"", b"printf: %#d: invalid format\n", 1),
        (&["%'x", "1"], b"", b"printf: %'x: invalid format\n", 1),
        (&["%5b|", "a"], b"", b"printf: %5b: invalid format\n", 1),
        (&["%.1b|", "ab"], b"", b"printf: %.1b: invalid format\n", 1),
        (&["%-b|", "ab"], b"", b"printf: %-b: invalid format\n", 1),
        (&["%-+ #0d|", "5"], b"", b"printf: %-+ #0d: invalid format\n", 1),
        (&["%.-1s|", "abc"], b"", b"printf: %.-: invalid format\n", 1),
        (&["a%zb", "1"], b"a", b"printf: %zb: invalid format\n", 1),
        (&["%d %y %d\n", "1", "2"], b"1 ", b"printf: %y: invalid format\n", 1),
    ];
    printf_table(cases);
}

#[test]
fn printf_escapes_and_percent_b() {
    #[rustfmt::skip]
    let cases: &[Case] = &[
        (&["a\\tb\\nc\\\\d\\a\\b\\e\\f\\r\\v|"], b"a\tb\nc\\d\x07\x08\x1b\x0c\x0d\x0b|", b"", 0),
        (&["\\\"\\?\\q\\E\\'"], b"\"\\?\\q\\E\\'", b"", 0),
        (&["\\101\\0101\\1011\\400\\18|"], b"A\x081A1\x00\x018|", b"", 0),
        (&["\\x41\\x4a4\\x7|"], b"AJ4\x07|", b"", 0),
        (&["\\x"], b"", b"printf: missing hexadecimal number in escape\n", 1),
        (&["ab\\xg"], b"ab", b"printf: missing hexadecimal number in escape\n", 1),
        (&["a\\cb", "c"], b"a", b"", 0),
        (&["%s\\c%s", "a", "b"], b"a", b"", 0),
        (&["a\\"], b"a\\", b"", 0),
        (&["\\u00e9|\\U0001F600|\\u0024|\\u0040|\\u0060"], b"\\u00E9|\\U0001F600|$|@|`", b"", 0),
        (&["\\u0041"], b"", b"printf: invalid universal character name \\u0041\n", 1),
        (&["a\\u004ab"], b"a", b"printf: invalid universal character name \\u004a\n", 1),
        (&["\\ud800"], b"", b"printf: invalid universal character name \\ud800\n", 1),
        (&["\\u12"], b"", b"printf: missing hexadecimal number in escape\n", 1),
        (&["\\U0011000"], b"", b"printf: missing hexadecimal number in escape\n", 1),
        (&["%b|\n", "a\\tb\\n", "\\x41\\101\\0101\\01011\\8\\q", "\\0400\\1234\\0", "a\\", "\\\"\\?\\e\\E"], b"a\tb\n|\nAAAA1\\8\\q|\n\x00S4\x00|\na\\|\n\"\\?\x1b\\E|\n", b"", 0),
        (&["%b\n", "a", "b\\c", "d"], b"a\nb", b"", 0),
        (&["%b|%s", "a\\c", "x"], b"a", b"", 0),
        (&["%s|%b|\n", "x\\ty", "x\\ty"], b"x\\ty|x\ty|\n", b"", 0),
        (&["%b", "\\x"], b"", b"printf: missing hexadecimal number in escape\n", 1),
        (&["%b", "ok\\u004a"], b"ok", b"printf: invalid universal character name \\u004a\n", 1),
        (&["%b", "\\u00e9"], b"\\u00E9", b"", 0),
        (&["%d\\n%s\\n", "1", "a", "2"], b"1\na\n2\n\n", b"", 0),
    ];
    printf_table(cases);
}

#[test]
fn printf_floats() {
    #[rustfmt::skip]
    let cases: &[Case] = &[
        (&["%f|\n", "0.5", "1.5", "2.5", "3.5", "-0.5", "0.25", "0.35", "1.005", "2.675", "1e-5", "0.0001", "0.00012345", "123456789", "1234567", "999999.4", "-0", "0", "inf", "-inf", "nan", "-nan", "INF", "Infinity", "3.14159265358979", "100", "0.1", "1e15", "1e16", "0x1.8p1", "'A", "42", "-7", "0x10"], b"0.500000|\n1.500000|\n2.500000|\n3.500000|\n-0.500000|\n0.250000|\n0.350000|\n1.005000|\n2.675000|\n0.000010|\n0.000100|\n0.000123|\n123456789.000000|\n1234567.000000|\n999999.400000|\n-0.000000|\n0.000000|\ninf|\n-inf|\nnan|\n-nan|\ninf|\ninf|\n3.141593|\n100.000000|\n0.100000|\n1000000000000000.000000|\n10000000000000000.000000|\n3.000000|\n65.000000|\n42.000000|\n-7.000000|\n16.000000|\n", b"", 0),
        (&["%.0f|\n", "0.5", "1.5", "2.5", "3.5", "-0.5", "0.25", "0.35", "1.005", "2.675", "1e-5", "0.0001", "0.00012345", "123456789", "1234567", "999999.4", "-0", "0", "inf", "-inf", "nan", "-nan", "INF", "Infinity", "3.14159265358979", "100", "0.1", "1e15", "1e16", "0x1.8p1", "'A", "42", "-7", "0x10"], b"0|\n2|\n2|\n4|\n-0|\n0|\n0|\n1|\n3|\n0|\n0|\n0|\n123456789|\n1234567|\n999999|\n-0|\n0|\ninf|\n-inf|\nnan|\n-nan|\ninf|\ninf|\n3|\n100|\n0|\n1000000000000000|\n10000000000000000|\n3|\n65|\n42|\n-7|\n16|\n", b"", 0),
        (&["%.1f|\n", "0.5", "1.5", "2.5", "3.5", "-0.5", "0.25", "0.35", "1.005", "2.675", "1e-5", "0.0001", "0.00012345", "123456789", "1234567", "999999.4", "-0", "0", "inf", "-inf", "nan", "-nan", "INF", "Infinity", "3.14159265358979", "100", "0.1", "1e15", "1e16", "0x1.8p1", "'A", "42", "-7", "0x10"], b"0.5|\n1.5|\n2.5|\n3.5|\n-0.5|\n0.2|\n0.3|\n1.0|\n2.7|\n0.0|\n0.0|\n0.0|\n123456789.0|\n1234567.0|\n999999.4|\n-0.0|\n0.0|\ninf|\n-inf|\nnan|\n-nan|\ninf|\ninf|\n3.1|\n100.0|\n0.1|\n1000000000000000.0|\n10000000000000000.0|\n3.0|\n65.0|\n42.0|\n-7.0|\n16.0|\n", b"", 0),
        (&["%.2f|\n", "0.5", "1.5", "2.5", "3.5", "-0.5", "0.25", "0.35", "1.005", "2.675", "1e-5", "0.0001", "0.00012345", "123456789", "1234567", "999999.4", "-0", "0", "inf", "-inf", "nan", "-nan", "INF", "Infinity", "3.14159265358979", "100", "0.1", "1e15", "1e16", "0x1.8p1", "'A", "42", "-7", "0x10"], b"0.50|\n1.50|\n2.50|\n3.50|\n-0.50|\n0.25|\n0.35|\n1.00|\n2.67|\n0.00|\n0.00|\n0.00|\n123456789.00|\n1234567.00|\n999999.40|\n-0.00|\n0.00|\ninf|\n-inf|\nnan|\n-nan|\ninf|\ninf|\n3.14|\n100.00|\n0.10|\n1000000000000000.00|\n10000000000000000.00|\n3.00|\n65.00|\n42.00|\n-7.00|\n16.00|\n", b"", 0),
        (&["%e|\n", "0.5", "1.5", "2.5", "3.5", "-0.5", "0.25", "0.35", "1.005", "2.675", "1e-5", "0.0001", "0.00012345", "123456789", "1234567", "999999.4", "-0", "0", "inf", "-inf", "nan", "-nan", "INF", "Infinity", "3.14159265358979", "100", "0.1", "1e15", "1e16", "0x1.8p1", "'A", "42", "-7", "0x10"], b"5.000000e-01|\n1.500000e+00|\n2.500000e+00|\n3.500000e+00|\n-5.000000e-01|\n2.500000e-01|\n3.500000e-01|\n1.005000e+00|\n2.675000e+00|\n1.000000e-05|\n1.000000e-04|\n1.234500e-04|\n1.234568e+08|\n1.234567e+06|\n9.999994e+05|\n-0.000000e+00|\n0.000000e+00|\ninf|\n-inf|\nnan|\n-nan|\ninf|\ninf|\n3.141593e+00|\n1.000000e+02|\n1.000000e-01|\n1.000000e+15|\n1.000000e+16|\n3.000000e+00|\n6.500000e+01|\n4.200000e+01|\n-7.000000e+00|\n1.600000e+01|\n", b"", 0),
        (&["%.0e|\n", "0.5", "1.5", "2.5", "3.5", "-0.5", "0.25", "0.35", "1.005", "2.675", "1e-5", "0.0001", "0.00012345", "123456789", "1234567", "999999.4", "-0", "0", "inf", "-inf", "nan", "-nan", "INF", "Infinity", "3.14159265358979", "100", "0.1", "1e15", "1e16", "0x1.8p1", "'A", "42", "-7", "0x10"], b"5e-01|\n2e+00|\n2e+00|\n4e+00|\n-5e-01|\n2e-01|\n3e-01|\n1e+00|\n3e+00|\n1e-05|\n1e-04|\n1e-04|\n1e+08|\n1e+06|\n1e+06|\n-0e+00|\n0e+00|\ninf|\n-inf|\nnan|\n-nan|\ninf|\ninf|\n3e+00|\n1e+02|\n1e-01|\n1e+15|\n1e+16|\n3e+00|\n6e+01|\n4e+01|\n-7e+00|\n2e+01|\n", b"", 0),
        (&["%.3e|\n", "0.5", "1.5", "2.5", "3.5", "-0.5", "0.25", "0.35", "1.005", "2.675", "1e-5", "0.0001", "0.00012345", "123456789", "1234567", "999999.4", "-0", "0", "inf", "-inf", "nan", "-nan", "INF", "Infinity", "3.14159265358979", "100", "0.1", "1e15", "1e16", "0x1.8p1", "'A", "42", "-7", "0x10"], b"5.000e-01|\n1.500e+00|\n2.500e+00|\n3.500e+00|\n-5.000e-01|\n2.500e-01|\n3.500e-01|\n1.005e+00|\n2.675e+00|\n1.000e-05|\n1.000e-04|\n1.234e-04|\n1.235e+08|\n1.235e+06|\n1.000e+06|\n-0.000e+00|\n0.000e+00|\ninf|\n-inf|\nnan|\n-nan|\ninf|\ninf|\n3.142e+00|\n1.000e+02|\n1.000e-01|\n1.000e+15|\n1.000e+16|\n3.000e+00|\n6.500e+01|\n4.200e+01|\n-7.000e+00|\n1.600e+01|\n", b"", 0),
        (&["%E|\n", "0.5", "1.5", "2.5", "3.5", "-0.5", "0.25", "0.35", "1.005", "2.675", "1e-5", "0.0001", "0.00012345", "123456789", "1234567", "999999.4", "-0", "0", "inf", "-inf", "nan", "-nan", "INF", "Infinity", "3.14159265358979", "100", "0.1", "1e15", "1e16", "0x1.8p1", "'A", "42", "-7", "0x10"], b"5.000000E-01|\n1.500000E+00|\n2.500000E+00|\n3.500000E+00|\n-5.000000E-01|\n2.500000E-01|\n3.500000E-01|\n1.005000E+00|\n2.675000E+00|\n1.000000E-05|\n1.000000E-04|\n1.234500E-04|\n1.234568E+08|\n1.234567E+06|\n9.999994E+05|\n-0.000000E+00|\n0.000000E+00|\nINF|\n-INF|\nNAN|\n-NAN|\nINF|\nINF|\n3.141593E+00|\n1.000000E+02|\n1.000000E-01|\n1.000000E+15|\n1.000000E+16|\n3.000000E+00|\n6.500000E+01|\n4.200000E+01|\n-7.000000E+00|\n1.600000E+01|\n", b"", 0),
        (&["%g|\n", "0.5", "1.5", "2.5", "3.5", "-0.5", "0.25", "0.35", "1.005", "2.675", "1e-5", "0.0001", "0.00012345", "123456789", "1234567", "999999.4", "-0", "0", "inf", "-inf", "nan", "-nan", "INF", "Infinity", "3.14159265358979", "100", "0.1", "1e15", "1e16", "0x1.8p1", "'A", "42", "-7", "0x10"], b"0.5|\n1.5|\n2.5|\n3.5|\n-0.5|\n0.25|\n0.35|\n1.005|\n2.675|\n1e-05|\n0.0001|\n0.00012345|\n1.23457e+08|\n1.23457e+06|\n999999|\n-0|\n0|\ninf|\n-inf|\nnan|\n-nan|\ninf|\ninf|\n3.14159|\n100|\n0.1|\n1e+15|\n1e+16|\n3|\n65|\n42|\n-7|\n16|\n", b"", 0),
        (&["%.0g|\n", "0.5", "1.5", "2.5", "3.5", "-0.5", "0.25", "0.35", "1.005", "2.675", "1e-5", "0.0001", "0.00012345", "123456789", "1234567", "999999.4", "-0", "0", "inf", "-inf", "nan", "-nan", "INF", "Infinity", "3.14159265358979", "100", "0.1", "1e15", "1e16", "0x1.8p1", "'A", "42", "-7", "0x10"], b"0.5|\n2|\n2|\n4|\n-0.5|\n0.2|\n0.3|\n1|\n3|\n1e-05|\n0.0001|\n0.0001|\n1e+08|\n1e+06|\n1e+06|\n-0|\n0|\ninf|\n-inf|\nnan|\n-nan|\ninf|\ninf|\n3|\n1e+02|\n0.1|\n1e+15|\n1e+16|\n3|\n6e+01|\n4e+01|\n-7|\n2e+01|\n", b"", 0),
        (&["%.1g|\n", "0.5", "1.5", "2.5", "3.5", "-0.5", "0.25", "0.35", "1.005", "2.675", "1e-5", "0.0001", "0.00012345", "123456789", "1234567", "999999.4", "-0", "0", "inf", "-inf", "nan", "-nan", "INF", "Infinity", "3.14159265358979", "100", "0.1", "1e15", "1e16", "0x1.8p1", "'A", "42", "-7", "0x10"], b"0.5|\n2|\n2|\n4|\n-0.5|\n0.2|\n0.3|\n1|\n3|\n1e-05|\n0.0001|\n0.0001|\n1e+08|\n1e+06|\n1e+06|\n-0|\n0|\ninf|\n-inf|\nnan|\n-nan|\ninf|\ninf|\n3|\n1e+02|\n0.1|\n1e+15|\n1e+16|\n3|\n6e+01|\n4e+01|\n-7|\n2e+01|\n", b"", 0),
        (&["%.2g|\n", "0.5", "1.5", "2.5", "3.5", "-0.5", "0.25", "0.35", "1.005", "2.675", "1e-5", "0.0001", "0.00012345", "123456789", "1234567", "999999.4", "-0", "0", "inf", "-inf", "nan", "-nan", "INF", "Infinity", "3.14159265358979", "100", "0.1", "1e15", "1e16", "0x1.8p1", "'A", "42", "-7", "0x10"], b"0.5|\n1.5|\n2.5|\n3.5|\n-0.5|\n0.25|\n0.35|\n1|\n2.7|\n1e-05|\n0.0001|\n0.00012|\n1.2e+08|\n1.2e+06|\n1e+06|\n-0|\n0|\ninf|\n-inf|\nnan|\n-nan|\ninf|\ninf|\n3.1|\n1e+02|\n0.1|\n1e+15|\n1e+16|\n3|\n65|\n42|\n-7|\n16|\n", b"", 0),
        (&["%.3g|\n", "0.5", "1.5", "2.5", "3.5", "-0.5", "0.25", "0.35", "1.005", "2.675", "1e-5", "0.0001", "0.00012345", "123456789", "1234567", "999999.4", "-0", "0", "inf", "-inf", "nan", "-nan", "INF", "Infinity", "3.14159265358979", "100", "0.1", "1e15", "1e16", "0x1.8p1", "'A", "42", "-7", "0x10"], b"0.5|\n1.5|\n2.5|\n3.5|\n-0.5|\n0.25|\n0.35|\n1|\n2.67|\n1e-05|\n0.0001|\n0.000123|\n1.23e+08|\n1.23e+06|\n1e+06|\n-0|\n0|\ninf|\n-inf|\nnan|\n-nan|\ninf|\ninf|\n3.14|\n100|\n0.1|\n1e+15|\n1e+16|\n3|\n65|\n42|\n-7|\n16|\n", b"", 0),
        (&["%.10g|\n", "0.5", "1.5", "2.5", "3.5", "-0.5", "0.25", "0.35", "1.005", "2.675", "1e-5", "0.0001", "0.00012345", "123456789", "1234567", "999999.4", "-0", "0", "inf", "-inf", "nan", "-nan", "INF", "Infinity", "3.14159265358979", "100", "0.1", "1e15", "1e16", "0x1.8p1", "'A", "42", "-7", "0x10"], b"0.5|\n1.5|\n2.5|\n3.5|\n-0.5|\n0.25|\n0.35|\n1.005|\n2.675|\n1e-05|\n0.0001|\n0.00012345|\n123456789|\n1234567|\n999999.4|\n-0|\n0|\ninf|\n-inf|\nnan|\n-nan|\ninf|\ninf|\n3.141592654|\n100|\n0.1|\n1e+15|\n1e+16|\n3|\n65|\n42|\n-7|\n16|\n", b"", 0),
        (&["%#g|\n", "0.5", "1.5", "2.5", "3.5", "-0.5", "0.25", "0.35", "1.005", "2.675", "1e-5", "0.0001", "0.00012345", "123456789", "1234567", "999999.4", "-0", "0", "inf", "-inf", "nan", "-nan", "INF", "Infinity", "3.14159265358979", "100", "0.1", "1e15", "1e16", "0x1.8p1", "'A", "42", "-7", "0x10"], b"0.500000|\n1.50000|\n2.50000|\n3.50000|\n-0.500000|\n0.250000|\n0.350000|\n1.00500|\n2.67500|\n1.00000e-05|\n0.000100000|\n0.000123450|\n1.23457e+08|\n1.23457e+06|\n999999.|\n-0.00000|\n0.00000|\ninf|\n-inf|\nnan|\n-nan|\ninf|\ninf|\n3.14159|\n100.000|\n0.100000|\n1.00000e+15|\n1.00000e+16|\n3.00000|\n65.0000|\n42.0000|\n-7.00000|\n16.0000|\n", b"", 0),
        (&["%#.0f|\n", "0.5", "1.5", "2.5", "3.5", "-0.5", "0.25", "0.35", "1.005", "2.675", "1e-5", "0.0001", "0.00012345", "123456789", "1234567", "999999.4", "-0", "0", "inf", "-inf", "nan", "-nan", "INF", "Infinity", "3.14159265358979", "100", "0.1", "1e15", "1e16", "0x1.8p1", "'A", "42", "-7", "0x10"], b"0.|\n2.|\n2.|\n4.|\n-0.|\n0.|\n0.|\n1.|\n3.|\n0.|\n0.|\n0.|\n123456789.|\n1234567.|\n999999.|\n-0.|\n0.|\ninf|\n-inf|\nnan|\n-nan|\ninf|\ninf|\n3.|\n100.|\n0.|\n1000000000000000.|\n10000000000000000.|\n3.|\n65.|\n42.|\n-7.|\n16.|\n", b"", 0),
        (&["%#.0e|\n", "0.5", "1.5", "2.5", "3.5", "-0.5", "0.25", "0.35", "1.005", "2.675", "1e-5", "0.0001", "0.00012345", "123456789", "1234567", "999999.4", "-0", "0", "inf", "-inf", "nan", "-nan", "INF", "Infinity", "3.14159265358979", "100", "0.1", "1e15", "1e16", "0x1.8p1", "'A", "42", "-7", "0x10"], b"5.e-01|\n2.e+00|\n2.e+00|\n4.e+00|\n-5.e-01|\n2.e-01|\n3.e-01|\n1.e+00|\n3.e+00|\n1.e-05|\n1.e-04|\n1.e-04|\n1.e+08|\n1.e+06|\n1.e+06|\n-0.e+00|\n0.e+00|\ninf|\n-inf|\nnan|\n-nan|\ninf|\ninf|\n3.e+00|\n1.e+02|\n1.e-01|\n1.e+15|\n1.e+16|\n3.e+00|\n6.e+01|\n4.e+01|\n-7.e+00|\n2.e+01|\n", b"", 0),
        (&["%G|\n", "0.5", "1.5", "2.5", "3.5", "-0.5", "0.25", "0.35", "1.005", "2.675", "1e-5", "0.0001", "0.00012345", "123456789", "1234567", "999999.4", "-0", "0", "inf", "-inf", "nan", "-nan", "INF", "Infinity", "3.14159265358979", "100", "0.1", "1e15", "1e16", "0x1.8p1", "'A", "42", "-7", "0x10"], b"0.5|\n1.5|\n2.5|\n3.5|\n-0.5|\n0.25|\n0.35|\n1.005|\n2.675|\n1E-05|\n0.0001|\n0.00012345|\n1.23457E+08|\n1.23457E+06|\n999999|\n-0|\n0|\nINF|\n-INF|\nNAN|\n-NAN|\nINF|\nINF|\n3.14159|\n100|\n0.1|\n1E+15|\n1E+16|\n3|\n65|\n42|\n-7|\n16|\n", b"", 0),
        (&["%10.3f|\n", "0.5", "1.5", "2.5", "3.5", "-0.5", "0.25", "0.35", "1.005", "2.675", "1e-5", "0.0001", "0.00012345", "123456789", "1234567", "999999.4", "-0", "0", "inf", "-inf", "nan", "-nan", "INF", "Infinity", "3.14159265358979", "100", "0.1", "1e15", "1e16", "0x1.8p1", "'A", "42", "-7", "0x10"], b"     0.500|\n     1.500|\n     2.500|\n     3.500|\n    -0.500|\n     0.250|\n     0.350|\n     1.005|\n     2.675|\n     0.000|\n     0.000|\n     0.000|\n123456789.000|\n1234567.000|\n999999.400|\n    -0.000|\n     0.000|\n       inf|\n      -inf|\n       nan|\n      -nan|\n       inf|\n       inf|\n     3.142|\n   100.000|\n     0.100|\n1000000000000000.000|\n10000000000000000.000|\n     3.000|\n    65.000|\n    42.000|\n    -7.000|\n    16.000|\n", b"", 0),
        (&["%-10.3e|\n", "0.5", "1.5", "2.5", "3.5", "-0.5", "0.25", "0.35", "1.005", "2.675", "1e-5", "0.0001", "0.00012345", "123456789", "1234567", "999999.4", "-0", "0", "inf", "-inf", "nan", "-nan", "INF", "Infinity", "3.14159265358979", "100", "0.1", "1e15", "1e16", "0x1.8p1", "'A", "42", "-7", "0x10"], b"5.000e-01 |\n1.500e+00 |\n2.500e+00 |\n3.500e+00 |\n-5.000e-01|\n2.500e-01 |\n3.500e-01 |\n1.005e+00 |\n2.675e+00 |\n1.000e-05 |\n1.000e-04 |\n1.234e-04 |\n1.235e+08 |\n1.235e+06 |\n1.000e+06 |\n-0.000e+00|\n0.000e+00 |\ninf       |\n-inf      |\nnan       |\n-nan      |\ninf       |\ninf       |\n3.142e+00 |\n1.000e+02 |\n1.000e-01 |\n1.000e+15 |\n1.000e+16 |\n3.000e+00 |\n6.500e+01 |\n4.200e+01 |\n-7.000e+00|\n1.600e+01 |\n", b"", 0),
        (&["%010.2f|\n", "0.5", "1.5", "2.5", "3.5", "-0.5", "0.25", "0.35", "1.005", "2.675", "1e-5", "0.0001", "0.00012345", "123456789", "1234567", "999999.4", "-0", "0", "inf", "-inf", "nan", "-nan", "INF", "Infinity", "3.14159265358979", "100", "0.1", "1e15", "1e16", "0x1.8p1", "'A", "42", "-7", "0x10"], b"0000000.50|\n0000001.50|\n0000002.50|\n0000003.50|\n-000000.50|\n0000000.25|\n0000000.35|\n0000001.00|\n0000002.67|\n0000000.00|\n0000000.00|\n0000000.00|\n123456789.00|\n1234567.00|\n0999999.40|\n-000000.00|\n0000000.00|\n       inf|\n      -inf|\n       nan|\n      -nan|\n       inf|\n       inf|\n0000003.14|\n0000100.00|\n0000000.10|\n1000000000000000.00|\n10000000000000000.00|\n0000003.00|\n0000065.00|\n0000042.00|\n-000007.00|\n0000016.00|\n", b"", 0),
        (&["%+g|\n", "0.5", "1.5", "2.5", "3.5", "-0.5", "0.25", "0.35", "1.005", "2.675", "1e-5", "0.0001", "0.00012345", "123456789", "1234567", "999999.4", "-0", "0", "inf", "-inf", "nan", "-nan", "INF", "Infinity", "3.14159265358979", "100", "0.1", "1e15", "1e16", "0x1.8p1", "'A", "42", "-7", "0x10"], b"+0.5|\n+1.5|\n+2.5|\n+3.5|\n-0.5|\n+0.25|\n+0.35|\n+1.005|\n+2.675|\n+1e-05|\n+0.0001|\n+0.00012345|\n+1.23457e+08|\n+1.23457e+06|\n+999999|\n-0|\n+0|\n+inf|\n-inf|\n+nan|\n-nan|\n+inf|\n+inf|\n+3.14159|\n+100|\n+0.1|\n+1e+15|\n+1e+16|\n+3|\n+65|\n+42|\n-7|\n+16|\n", b"", 0),
        (&["% g|\n", "0.5", "1.5", "2.5", "3.5", "-0.5", "0.25", "0.35", "1.005", "2.675", "1e-5", "0.0001", "0.00012345", "123456789", "1234567", "999999.4", "-0", "0", "inf", "-inf", "nan", "-nan", "INF", "Infinity", "3.14159265358979", "100", "0.1", "1e15", "1e16", "0x1.8p1", "'A", "42", "-7", "0x10"], b" 0.5|\n 1.5|\n 2.5|\n 3.5|\n-0.5|\n 0.25|\n 0.35|\n 1.005|\n 2.675|\n 1e-05|\n 0.0001|\n 0.00012345|\n 1.23457e+08|\n 1.23457e+06|\n 999999|\n-0|\n 0|\n inf|\n-inf|\n nan|\n-nan|\n inf|\n inf|\n 3.14159|\n 100|\n 0.1|\n 1e+15|\n 1e+16|\n 3|\n 65|\n 42|\n-7|\n 16|\n", b"", 0),
        (&["%F|\n", "0.5", "1.5", "2.5", "3.5", "-0.5", "0.25", "0.35", "1.005", "2.675", "1e-5", "0.0001", "0.00012345", "123456789", "1234567", "999999.4", "-0", "0", "inf", "-inf", "nan", "-nan", "INF", "Infinity", "3.14159265358979", "100", "0.1", "1e15", "1e16", "0x1.8p1", "'A", "42", "-7", "0x10"], b"0.500000|\n1.500000|\n2.500000|\n3.500000|\n-0.500000|\n0.250000|\n0.350000|\n1.005000|\n2.675000|\n0.000010|\n0.000100|\n0.000123|\n123456789.000000|\n1234567.000000|\n999999.400000|\n-0.000000|\n0.000000|\nINF|\n-INF|\nNAN|\n-NAN|\nINF|\nINF|\n3.141593|\n100.000000|\n0.100000|\n1000000000000000.000000|\n10000000000000000.000000|\n3.000000|\n65.000000|\n42.000000|\n-7.000000|\n16.000000|\n", b"", 0),
        (&["%.15g|\n", "0.5", "1.5", "2.5", "3.5", "-0.5", "0.25", "0.35", "1.005", "2.675", "1e-5", "0.0001", "0.00012345", "123456789", "1234567", "999999.4", "-0", "0", "inf", "-inf", "nan", "-nan", "INF", "Infinity", "3.14159265358979", "100", "0.1", "1e15", "1e16", "0x1.8p1", "'A", "42", "-7", "0x10"], b"0.5|\n1.5|\n2.5|\n3.5|\n-0.5|\n0.25|\n0.35|\n1.005|\n2.675|\n1e-05|\n0.0001|\n0.00012345|\n123456789|\n1234567|\n999999.4|\n-0|\n0|\ninf|\n-inf|\nnan|\n-nan|\ninf|\ninf|\n3.14159265358979|\n100|\n0.1|\n1e+15|\n1e+16|\n3|\n65|\n42|\n-7|\n16|\n", b"", 0),
        (&["%#.3g|\n", "0.5", "1.5", "2.5", "3.5", "-0.5", "0.25", "0.35", "1.005", "2.675", "1e-5", "0.0001", "0.00012345", "123456789", "1234567", "999999.4", "-0", "0", "inf", "-inf", "nan", "-nan", "INF", "Infinity", "3.14159265358979", "100", "0.1", "1e15", "1e16", "0x1.8p1", "'A", "42", "-7", "0x10"], b"0.500|\n1.50|\n2.50|\n3.50|\n-0.500|\n0.250|\n0.350|\n1.00|\n2.67|\n1.00e-05|\n0.000100|\n0.000123|\n1.23e+08|\n1.23e+06|\n1.00e+06|\n-0.00|\n0.00|\ninf|\n-inf|\nnan|\n-nan|\ninf|\ninf|\n3.14|\n100.|\n0.100|\n1.00e+15|\n1.00e+16|\n3.00|\n65.0|\n42.0|\n-7.00|\n16.0|\n", b"", 0),
        (&["%08.3e|\n", "0.5", "1.5", "2.5", "3.5", "-0.5", "0.25", "0.35", "1.005", "2.675", "1e-5", "0.0001", "0.00012345", "123456789", "1234567", "999999.4", "-0", "0", "inf", "-inf", "nan", "-nan", "INF", "Infinity", "3.14159265358979", "100", "0.1", "1e15", "1e16", "0x1.8p1", "'A", "42", "-7", "0x10"], b"5.000e-01|\n1.500e+00|\n2.500e+00|\n3.500e+00|\n-5.000e-01|\n2.500e-01|\n3.500e-01|\n1.005e+00|\n2.675e+00|\n1.000e-05|\n1.000e-04|\n1.234e-04|\n1.235e+08|\n1.235e+06|\n1.000e+06|\n-0.000e+00|\n0.000e+00|\n     inf|\n    -inf|\n     nan|\n    -nan|\n     inf|\n     inf|\n3.142e+00|\n1.000e+02|\n1.000e-01|\n1.000e+15|\n1.000e+16|\n3.000e+00|\n6.500e+01|\n4.200e+01|\n-7.000e+00|\n1.600e+01|\n", b"", 0),
        (&["%-+8.1f|\n", "0.5", "1.5", "2.5", "3.5", "-0.5", "0.25", "0.35", "1.005", "2.675", "1e-5", "0.0001", "0.00012345", "123456789", "1234567", "999999.4", "-0", "0", "inf", "-inf", "nan", "-nan", "INF", "Infinity", "3.14159265358979", "100", "0.1", "1e15", "1e16", "0x1.8p1", "'A", "42", "-7", "0x10"], b"+0.5    |\n+1.5    |\n+2.5    |\n+3.5    |\n-0.5    |\n+0.2    |\n+0.3    |\n+1.0    |\n+2.7    |\n+0.0    |\n+0.0    |\n+0.0    |\n+123456789.0|\n+1234567.0|\n+999999.4|\n-0.0    |\n+0.0    |\n+inf    |\n-inf    |\n+nan    |\n-nan    |\n+inf    |\n+inf    |\n+3.1    |\n+100.0  |\n+0.1    |\n+1000000000000000.0|\n+10000000000000000.0|\n+3.0    |\n+65.0   |\n+42.0   |\n-7.0    |\n+16.0   |\n", b"", 0),
        (&["%e|\n", "1e300", "1e-300", "-1.7976931348623157e308", "2.2250738585072014e-308"], b"1.000000e+300|\n1.000000e-300|\n-1.797693e+308|\n2.225074e-308|\n", b"", 0),
        (&["%g|\n", "1e300", "1e-300", "-1.7976931348623157e308", "2.2250738585072014e-308"], b"1e+300|\n1e-300|\n-1.79769e+308|\n2.22507e-308|\n", b"", 0),
        (&["%.3e|\n", "1e300", "1e-300", "-1.7976931348623157e308", "2.2250738585072014e-308"], b"1.000e+300|\n1.000e-300|\n-1.798e+308|\n2.225e-308|\n", b"", 0),
        (&["%G|\n", "1e300", "1e-300", "-1.7976931348623157e308", "2.2250738585072014e-308"], b"1E+300|\n1E-300|\n-1.79769E+308|\n2.22507E-308|\n", b"", 0),
        (&["%.10e|\n", "1e300", "1e-300", "-1.7976931348623157e308", "2.2250738585072014e-308"], b"1.0000000000e+300|\n1.0000000000e-300|\n-1.7976931349e+308|\n2.2250738585e-308|\n", b"", 0),
        (&["%f\n", "1e"], b"0.000000\n", b"printf: invalid number '1e'\n", 1),
        (&["%f\n", " 1.5 "], b"0.000000\n", b"printf: invalid number ' 1.5 '\n", 1),
        (&["%f\n", "x"], b"0.000000\n", b"printf: invalid number 'x'\n", 1),
        (&["%e\n", " "], b"0.000000e+00\n", b"printf: invalid number ' '\n", 1),
        (&["%e\n", ""], b"0.000000e+00\n", b"", 0),
        (&["%g\n", "1.5e3x"], b"0\n", b"printf: invalid number '1.5e3x'\n", 1),
        (&["%.2f %.2f\n", "0x1p-2", "-0X.8P1"], b"0.25 -1.00\n", b"", 0),
        (&["%g %g %g\n", "nan(123)", "-INFINITY", "infinit"], b"nan -inf 0\n", b"printf: invalid number 'infinit'\n", 1),
    ];
    printf_table(cases);
}

#[test]
fn printf_usage() {
    run("printf", &[]).fails(
        1,
        "printf: missing operand\nUsage: printf FORMAT [ARGUMENT]...\n",
    );
    run("printf", &["--"]).fails(
        1,
        "printf: missing operand\nUsage: printf FORMAT [ARGUMENT]...\n",
    );
    let o = run("printf", &["--help"]).go().code(0);
    assert!(
        o.out()
            .starts_with("Usage: printf FORMAT [ARGUMENT]...\n\n"),
        "{}",
        o.out()
    );
    assert_eq!(o.stderr, b"");
}

#[test]
fn printf_double_precision_choices() {
    // Values are C doubles: %a prints glibc's double layout (GNU printf uses
    // long double: 0x8p-3), and 17 digits show the double's error.
    run(
        "printf",
        &[
            "%a %A %a %.1a %a %a\n",
            "1",
            "0.1",
            "0",
            "1.96875",
            "-0",
            "5e-324",
        ],
    )
    .ok("0x1p+0 0X1.999999999999AP-4 0x0p+0 0x2.0p+0 -0x0p+0 0x0.0000000000001p-1022\n");
    run("printf", &["%#a|%012a|%-10a|%+a\n", "1", "1", "255", "2"])
        .ok("0x1.p+0|0x0000001p+0|0x1.fep+7 |+0x1p+1\n");
    run("printf", &["%.17g %.20f\n", "0.1", "0.1"])
        .ok("0.10000000000000001 0.10000000000000000555\n");
    // The C standard's %#g (glibc prints "1.e+06" here).
    run("printf", &["%#g\n", "999999.5"]).ok("1.00000e+06\n");
    // Beyond double range: reported like strtod's ERANGE, value inf or 0.
    run("printf", &["%g %g\n", "1e400", "1e-400"]).go().expect(
        1,
        b"inf 0\n",
        b"printf: '1e400': Numerical result out of range\nprintf: '1e-400': Numerical result out of range\n",
    );
}

#[test]
fn printf_non_utf8_and_locale() {
    run("printf", &["%s|%d|%c\n"])
        .args_os(&[
            OsStr::from_bytes(b"\xff\xfe"),
            OsStr::from_bytes(b"\xff"),
            OsStr::from_bytes(b"\xe9x"),
        ])
        .go()
        .expect(1, b"\xff\xfe|0|\xe9\n", b"printf: invalid number '\\377'\n");
    // In a UTF-8 locale \u escapes are encoded and 'c gives the code point.
    run(
        "printf",
        &["\\u00e9|\\U0001F600|%d|%d\n", "'\u{e9}", "'\u{e9}x"],
    )
    .env("LC_ALL", "C.UTF-8")
    .go()
    .expect(0, "\u{e9}|\u{1F600}|233|233\n".as_bytes(), b"");
    run("printf", &["%d %d\n", "'\u{e9}", "'ab"])
        .env("POSIXLY_CORRECT", "1")
        .ok("195 97\n");
}

#[test]
fn printf_reuses_the_format_for_many_arguments() {
    let args: Vec<String> = (1..=5000).map(|i| i.to_string()).collect();
    let mut all = vec!["%s:%x\n"];
    all.extend(args.iter().map(String::as_str));
    let want: String = (1..=5000)
        .collect::<Vec<u32>>()
        .chunks(2)
        .map(|c| match c {
            [a, b] => format!("{a}:{b:x}\n"),
            [a] => format!("{a}:0\n"),
            _ => unreachable!(),
        })
        .collect();
    run("printf", &all).ok(want);
}

#[test]
fn printf_write_error() {
    if !std::path::Path::new("/dev/full").exists() {
        eprintln!("SKIPPED printf_write_error: no /dev/full");
        return;
    }
    Dir::new()
        .sh("$B/printf '%s\\n' x > /dev/full")
        .go()
        .expect(1, b"", b"printf: write error: No space left on device\n");
}

#[test]
fn basename_table() {
    for (args, out) in [
        (&["/usr/lib"][..], "lib\n"),
        (&["/usr/lib/"], "lib\n"),
        (&["usr"], "usr\n"),
        (&["/"], "/\n"),
        (&["//"], "/\n"),
        (&["///a//"], "a\n"),
        (&[""], "\n"),
        (&["/a/b.c", ".c"], "b\n"),
        (&["/a/b.c/", ".c"], "b\n"),
        (&[".c", ".c"], ".c\n"),
        (&["a.c", "x"], "a.c\n"),
        (&["/", "/"], "/\n"),
        (&["-a", "a/", "/b", "//"], "a\nb\n/\n"),
        (&["-s", ".c", "a.c", "b.c", ".c", "d.h"], "a\nb\n.c\nd.h\n"),
        (&["-as", ".c", "x.c"], "x\n"),
        (&["--suffix=.c", "y.c"], "y\n"),
        (&["--multiple", "a/b", "c/d"], "b\nd\n"),
        (&["-sx", "ax"], "a\n"),
        (&["--", "-a"], "-a\n"),
        (&["-z", "a/b"], "b\0"),
        (&["--zero", "-a", "a/b", "c"], "b\0c\0"),
    ] {
        run("basename", args).ok(out);
    }
    let usage = "Usage: basename NAME [SUFFIX]\n";
    run("basename", &[]).fails(1, format!("basename: missing operand\n{usage}"));
    run("basename", &["-a"]).fails(1, format!("basename: missing operand\n{usage}"));
    run("basename", &["a", "b", "c"]).fails(1, format!("basename: extra operand 'c'\n{usage}"));
    run("basename", &["-x"]).fails(1, format!("basename: invalid option -- 'x'\n{usage}"));
    run("basename", &["-s"]).fails(
        1,
        format!("basename: option requires an argument -- 's'\n{usage}"),
    );
    let o = run("basename", &[])
        .args_os(&[
            OsStr::from_bytes(b"/x/\xff.\xfe"),
            OsStr::from_bytes(b".\xfe"),
        ])
        .go();
    o.expect(0, b"\xff\n", b"");
}

#[test]
fn dirname_table() {
    for (args, out) in [
        (&["/usr/lib"][..], "/usr\n"),
        (&["/usr/lib/"], "/usr\n"),
        (&["/usr/"], "/\n"),
        (&["usr"], ".\n"),
        (&["/"], "/\n"),
        (&["//"], "/\n"),
        (&["//a"], "/\n"),
        (&["."], ".\n"),
        (&[".."], ".\n"),
        (&[""], ".\n"),
        (&["a//b//"], "a\n"),
        (&["a/b/c", "/x", "y"], "a/b\n/\n.\n"),
        (&["-z", "a/b", "c"], "a\0.\0"),
        (&["--zero", "/a/b"], "/a\0"),
        (&["--", "-z/x"], "-z\n"),
    ] {
        run("dirname", args).ok(out);
    }
    let usage = "Usage: dirname [-z] NAME...\n";
    run("dirname", &[]).fails(1, format!("dirname: missing operand\n{usage}"));
    run("dirname", &["-x", "a"]).fails(1, format!("dirname: invalid option -- 'x'\n{usage}"));
}

#[test]
fn pwd_logical_and_physical() {
    let d = Dir::new();
    d.mkdir("real/sub");
    std::os::unix::fs::symlink(d.p("real"), d.p("link")).unwrap();
    let real = std::fs::canonicalize(d.p("real")).unwrap();
    let real = format!("{}\n", real.display());
    let link = d.p("link").display().to_string();
    let in_link = |args: &[&str], pwd: &str| {
        let mut r = run("pwd", args).env("PWD", pwd);
        r.cmd.current_dir(d.p("link"));
        r
    };
    in_link(&[], &link).ok(&real);
    in_link(&["-P"], &link).ok(&real);
    in_link(&["-L"], &link).ok(format!("{link}\n"));
    in_link(&["--logical"], &link).ok(format!("{link}\n"));
    in_link(&["-LP"], &link).ok(&real);
    in_link(&["-PL"], &link).ok(format!("{link}\n"));
    in_link(&[], &link)
        .env("POSIXLY_CORRECT", "1")
        .ok(format!("{link}\n"));
    // Trailing or doubled slashes are kept; . and .. make $PWD unusable.
    in_link(&["-L"], &format!("{link}//")).ok(format!("{link}//\n"));
    in_link(&["-L"], &format!("{link}/.")).ok(&real);
    in_link(&["-L"], &format!("{link}/../link")).ok(&real);
    in_link(&["-L"], "link").ok(&real);
    in_link(&["-L"], "/").ok(&real);
    in_link(&["-L"], &format!("{link}/sub")).ok(&real);
    in_link(&["x"], &link)
        .go()
        .expect(0, real.as_bytes(), b"pwd: ignoring non-option arguments\n");
    in_link(&["-x"], &link).fails(1, "pwd: invalid option -- 'x'\nUsage: pwd [-LP]\n");
    d.sh("mkdir gone && cd gone && rmdir ../gone && $B/pwd")
        .fails(1, "pwd: getcwd: No such file or directory\n");
}

#[test]
fn sleep_sums_its_arguments() {
    let t = std::time::Instant::now();
    run("sleep", &["0.1"]).ok("");
    let e = t.elapsed().as_secs_f64();
    assert!((0.1..3.0).contains(&e), "sleep 0.1 took {e}s");
    let t = std::time::Instant::now();
    run(
        "sleep",
        &[
            "0.05", ".05s", "0.0005m", "1e-2", "0x.1p-4", "+0", "0h", "0d",
        ],
    )
    .ok("");
    let e = t.elapsed().as_secs_f64();
    assert!((0.14..3.0).contains(&e), "sleep sum took {e}s");
    run("sleep", &["--", "-0"]).ok("");
}

#[test]
fn sleep_errors() {
    let usage = "Usage: sleep NUMBER[SUFFIX]...\n";
    run("sleep", &[]).fails(1, format!("sleep: missing operand\n{usage}"));
    for bad in ["x", "1x", "1ms", "1 ", ".", "nan", "1..2", "", "s"] {
        run("sleep", &[bad]).fails(1, format!("sleep: invalid time interval '{bad}'\n{usage}"));
    }
    run("sleep", &["--", "-1"]).fails(1, format!("sleep: invalid time interval '-1'\n{usage}"));
    run("sleep", &["x", "0", "y"]).fails(
        1,
        format!("sleep: invalid time interval 'x'\nsleep: invalid time interval 'y'\n{usage}"),
    );
    run("sleep", &["-1"]).fails(1, format!("sleep: invalid option -- '1'\n{usage}"));
}

#[test]
fn sleep_dies_of_a_signal() {
    use std::os::unix::process::ExitStatusExt;
    for arg in ["10", "inf", "infinity"] {
        let t = std::time::Instant::now();
        let mut child = std::process::Command::new(bin_dir().join("sleep"))
            .arg(arg)
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(100));
        let st = std::process::Command::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status()
            .unwrap();
        assert!(st.success());
        let status = child.wait().unwrap();
        assert_eq!(status.signal(), Some(15), "sleep {arg}: {status:?}");
        assert!(t.elapsed().as_secs() < 5);
    }
}

#[test]
fn env_prints_and_modifies_the_environment() {
    let path = format!("PATH={}:/usr/bin:/bin:/usr/sbin:/sbin", bin_dir().display());
    run("env", &[]).ok(format!("HOME=/root\nLC_ALL=C\n{path}\nTZ=UTC\n"));
    run("env", &["-u", "HOME", "--unset=TZ"]).ok(format!("LC_ALL=C\n{path}\n"));
    run("env", &["-i"]).ok("");
    run("env", &["-"]).ok("");
    run("env", &["-i", "A=1", "B=x=y", "A=2"]).ok("A=2\nB=x=y\n");
    run("env", &["-", "A=1"]).ok("A=1\n");
    run("env", &["--ignore-environment", "A="]).ok("A=\n");
    run("env", &["-0i", "A=1", "B=2"]).ok("A=1\0B=2\0");
    run("env", &["--null", "-i", "A=a\nb"]).ok("A=a\nb\0");
    run("env", &["-i", "-u", "A", "A=1"]).ok("A=1\n");
    // Options stop at the first operand: these are commands.
    run("env", &["-i", "A=1", "-0"]).fails(127, "env: '-0': No such file or directory\n");
    run("env", &["--", "-i"]).fails(127, "env: '-i': No such file or directory\n");
    let envbin = bin_dir().join("env");
    let envbin = envbin.to_str().unwrap();
    run("env", &["-i", "A=1", envbin, "B=2"]).ok("A=1\nB=2\n");
    run("env", &["-u", "HOME", "-u", "PATH", "-u", "LC_ALL", envbin]).ok("TZ=UTC\n");
    run("env", &["-i", "X=y z", "sh", "-c", "echo \"$X\""]).ok("y z\n");
}

#[test]
fn env_runs_commands_with_status() {
    let d = Dir::new();
    d.mkdir("sub");
    d.write("noexec", "#!/bin/sh\necho hi\n");
    d.write("script", "echo from script \"$@\"\n");
    std::fs::set_permissions(
        d.p("script"),
        std::os::unix::fs::PermissionsExt::from_mode(0o755),
    )
    .unwrap();
    d.run("env", &["./script", "a"]).ok("from script a\n");
    d.run("env", &["-C", "sub", "pwd"]).ok(format!(
        "{}\n",
        std::fs::canonicalize(d.p("sub")).unwrap().display()
    ));
    d.run("env", &["--chdir=/", "pwd"]).ok("/\n");
    d.run("env", &["sh", "-c", "exit 7"]).fails(7, "");
    // Found but not executable: root is refused too, there is no x bit.
    d.run("env", &["./noexec"])
        .fails(126, "env: './noexec': Permission denied\n");
    d.run("env", &["./sub"])
        .fails(126, "env: './sub': Permission denied\n");
    d.run("env", &["no-such-command-here"]).fails(
        127,
        "env: 'no-such-command-here': No such file or directory\n",
    );
    d.run("env", &["-i", "PATH=/nonexistent", "ls"])
        .fails(127, "env: 'ls': No such file or directory\n");
}

#[test]
fn env_own_errors_are_125() {
    let usage = "Usage: env [-0i] [-u NAME]... [-C DIR] [-S STRING] [-] [NAME=VALUE]... [COMMAND [ARG]...]\n";
    run("env", &["-x"]).fails(125, format!("env: invalid option -- 'x'\n{usage}"));
    run("env", &["--bogus"]).fails(125, format!("env: unrecognized option '--bogus'\n{usage}"));
    run("env", &["-u"]).fails(
        125,
        format!("env: option requires an argument -- 'u'\n{usage}"),
    );
    run("env", &["-C", "/nonexistent", "true"]).fails(
        125,
        "env: cannot change directory to '/nonexistent': No such file or directory\n",
    );
    run("env", &["-C", "/tmp"]).fails(
        125,
        format!("env: must specify command with --chdir (-C)\n{usage}"),
    );
    run("env", &["-0", "true"]).fails(
        125,
        format!("env: cannot specify --null (-0) with command\n{usage}"),
    );
    run("env", &["-u", "a=b", "true"]).fails(125, "env: cannot unset 'a=b': Invalid argument\n");
    run("env", &["-u", "", "true"]).fails(125, "env: cannot unset '': Invalid argument\n");
    run("env", &["-i", "=x"]).fails(125, "env: cannot set '=x': Invalid argument\n");
}

#[test]
fn env_split_string() {
    let p = |s: &str| {
        // -S words go where -S was; the rest follows.
        run("env", &["-S", &format!("printf [%s]\\n {s}"), "z"]).env("V", "/v")
    };
    p("a b").ok("[a]\n[b]\n[z]\n");
    p("a\\_b").ok("[a]\n[b]\n[z]\n");
    p("\"a\\_b\"").ok("[a b]\n[z]\n");
    p("a #c d").ok("[a]\n[z]\n");
    p("a#b c").ok("[a#b]\n[c]\n[z]\n");
    p("'x\\\\y\\q\\'z'").ok("[x\\y\\q'z]\n[z]\n");
    p("${V}x \"${V}\" '${V}' ${NOPE}y").ok("[/vx]\n[/v]\n[${V}]\n[y]\n[z]\n");
    p("a\\cb c").ok("[a]\n[z]\n");
    p("\\t\\n \"\" a\"\"b").ok("[\t\n]\n[]\n[ab]\n[z]\n");
    p("\"a\\\"b\\$c\\#d\\'e\" 'a\"b' \"a'b\"").ok("[a\"b$c#d'e]\n[a\"b]\n[a'b]\n[z]\n");
    p("a\\qb").fails(125, "env: invalid sequence '\\q' in -S\n");
    p("$X").fails(
        125,
        "env: only ${VARNAME} expansion is supported, error at: $X\n",
    );
    p("${V").fails(
        125,
        "env: only ${VARNAME} expansion is supported, error at: ${V\n",
    );
    p("\"ab").fails(125, "env: no terminating quote in -S string\n");
    p("\\").fails(125, "env: invalid backslash at end of string in -S\n");
    // The split words are parsed as options again (a #! line's use).
    run("env", &["-S-i A=1 B=2"]).ok("A=1\nB=2\n");
    run("env", &["-S -u HOME -i C=3"]).ok("C=3\n");
}

#[test]
fn uname_fields() {
    let field = |opt: &str| {
        let o = run("uname", &[opt]).go().code(0);
        o.out().trim_end_matches('\n').to_string()
    };
    assert_eq!(field("-s"), "Linux");
    assert_eq!(field("--kernel-name"), "Linux");
    assert_eq!(field("-m"), "x86_64");
    assert_eq!(field("-o"), "GNU/Linux");
    assert_eq!(field("-p"), "unknown");
    assert_eq!(field("-i"), "unknown");
    run("uname", &[]).ok("Linux\n");
    let (n, r, v) = (field("-n"), field("-r"), field("-v"));
    assert_eq!(
        n,
        std::fs::read_to_string("/proc/sys/kernel/hostname")
            .unwrap()
            .trim_end()
    );
    assert_eq!(
        r,
        std::fs::read_to_string("/proc/sys/kernel/osrelease")
            .unwrap()
            .trim_end()
    );
    let all = format!("Linux {n} {r} {v} x86_64 GNU/Linux\n");
    run("uname", &["-a"]).ok(&all);
    run("uname", &["--all"]).ok(&all);
    // -a leaves out unknown -p and -i even when they are named too.
    run("uname", &["-api"]).ok(&all);
    // 5 fields plus the words of the version.
    assert_eq!(
        all.split_whitespace().count(),
        5 + v.split_whitespace().count()
    );
    run("uname", &["-ms"]).ok("Linux x86_64\n");
    run("uname", &["-pi"]).ok("unknown unknown\n");
    run("uname", &["-snrvmpio"]).ok(format!(
        "Linux {n} {r} {v} x86_64 unknown unknown GNU/Linux\n"
    ));
    if std::path::Path::new("/usr/bin/uname").exists() {
        let gnu = std::process::Command::new("/usr/bin/uname")
            .arg("-a")
            .output()
            .unwrap();
        assert_eq!(String::from_utf8_lossy(&gnu.stdout), all);
    }
    let usage = "Usage: uname [-amnrspvio]\n";
    run("uname", &["x"]).fails(1, format!("uname: extra operand 'x'\n{usage}"));
    run("uname", &["-x"]).fails(1, format!("uname: invalid option -- 'x'\n{usage}"));
}

#[test]
fn sync_files_and_errors() {
    let d = Dir::new();
    d.write("a", "data");
    d.write("b", "more");
    d.run("sync", &[]).ok("");
    d.run("sync", &["a", "b", "."]).ok("");
    d.run("sync", &["-d", "a"]).ok("");
    d.run("sync", &["--data", "a", "b"]).ok("");
    d.run("sync", &["-f", "a"]).ok("");
    d.run("sync", &["--file-system", "."]).ok("");
    d.run("sync", &["-f"]).ok("");
    d.run("sync", &["nope", "a", "nope2"]).fails(
        1,
        "sync: error opening 'nope': No such file or directory\n\
         sync: error opening 'nope2': No such file or directory\n",
    );
    d.run("sync", &["-d"])
        .fails(1, "sync: --data needs at least one argument\n");
    d.run("sync", &["-df", "a"])
        .fails(1, "sync: cannot specify both --data and --file-system\n");
    d.run("sync", &["-x"]).fails(
        1,
        "sync: invalid option -- 'x'\nUsage: sync [-d|-f] [FILE]...\n",
    );
}
#[path = "text_io.rs"]
mod text_io;

#[test]
fn printf_bad_numbers_interleave_with_output() {
    // A bad number prints 0 and its message lands between the output
    // before and after it (stdout is flushed first), as BusyBox does.
    let d = Dir::new();
    d.sh("$B/printf '%d\\n' 7 - 8 12ab 9 2>&1; echo $?")
        .ok("7\nprintf: invalid number '-'\n0\n8\nprintf: invalid number '12ab'\n0\n9\n1\n");
    d.sh("$B/printf '<%x|%.1f>' 1q 2.5 2>&1; echo $?")
        .ok("<printf: invalid number '1q'\n0|2.5>1\n");
    // Trailing characters of a character constant are ignored silently.
    run("printf", &["%d %d\n", "'xyz", "\"Q!"]).ok("120 81\n");
    run("printf", &["%r", "a"]).fails(1, "printf: %r: invalid format\n");
    run("printf", &["x%"])
        .go()
        .expect(1, b"x", b"printf: %: invalid format\n");
}
