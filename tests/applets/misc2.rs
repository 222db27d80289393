//! date, cal, timeout, nice, nohup, which, tty, id, whoami, groups,
//! logname. Expected outputs were checked against GNU coreutils 9.1
//! (date, timeout, nice, nohup, tty, id, groups, whoami, logname) and
//! BusyBox 1.35 (cal, trailing blanks removed; which).

use crate::harness::*;
use std::path::Path;
use std::time::{Duration, Instant, SystemTime};

/// Run a table of (TZ, args, stdout) date cases.
fn date_table(cases: &[(&str, &[&str], &str)]) {
    for (tz, args, want) in cases {
        let o = run("date", args).env("TZ", tz).go();
        assert_eq!(
            (o.code, o.out(), o.err()),
            (0, want.to_string(), String::new()),
            "TZ={tz} date {args:?}"
        );
    }
}

fn have(tool: &str) -> bool {
    Path::new(tool).exists()
}

/// Drop every privilege (for the "not permitted" paths): setpriv to
/// nobody with no capabilities at all. None when setpriv is missing or we
/// are not root.
fn unprivileged(d: &Dir, script: &str) -> Option<Out> {
    if !is_root() || !have("/usr/bin/setpriv") {
        eprintln!("SKIPPED unprivileged run: needs root and setpriv");
        return None;
    }
    let s = format!(
        "exec setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all \
         --bounding-set=-all /bin/sh -c '{script}'"
    );
    Some(d.sh(&s).go())
}

// ---------------------------------------------------------------- date

#[test]
fn date_parses_free_form_dates() {
    date_table(&[
        ("UTC", &["-d", "@0"], "Thu Jan  1 00:00:00 UTC 1970\n"),
        ("UTC", &["-d", "@1.5", "+%s.%N"], "1.500000000\n"),
        ("UTC", &["-d", "@-1.25", "+%s.%N"], "-2.750000000\n"),
        ("UTC", &["-d", "@ 5"], "Thu Jan  1 00:00:05 UTC 1970\n"),
        (
            "UTC",
            &["-d", "2024-01-05"],
            "Fri Jan  5 00:00:00 UTC 2024\n",
        ),
        (
            "UTC",
            &["-d", "2024-01-05 10:30"],
            "Fri Jan  5 10:30:00 UTC 2024\n",
        ),
        (
            "UTC",
            &["-d", "2024-01-05 10:30:15.123456789", "+%F %T.%N"],
            "2024-01-05 10:30:15.123456789\n",
        ),
        (
            "UTC",
            &["-d", "2024-01-05T10:30:15Z"],
            "Fri Jan  5 10:30:15 UTC 2024\n",
        ),
        (
            "UTC",
            &["-d", "2024-01-05T10:30:15+05:30"],
            "Fri Jan  5 05:00:15 UTC 2024\n",
        ),
        (
            "UTC",
            &["-d", "2024-01-05 10:30:15 -0800"],
            "Fri Jan  5 18:30:15 UTC 2024\n",
        ),
        (
            "UTC",
            &["-d", "2024-01-05T10:30:00.5-05:00", "+%F %T.%N %Z"],
            "2024-01-05 15:30:00.500000000 UTC\n",
        ),
        (
            "UTC",
            &["-d", "2024-01-05 10:00 EST"],
            "Fri Jan  5 15:00:00 UTC 2024\n",
        ),
        (
            "UTC",
            &["-d", "2024-01-05 10:00 UTC+2"],
            "Fri Jan  5 08:00:00 UTC 2024\n",
        ),
        (
            "UTC",
            &["-d", "20240105T1030"],
            "Fri Jan  5 17:30:00 UTC 2024\n",
        ),
        (
            "UTC",
            &["-d", "Jan 5 2024"],
            "Fri Jan  5 00:00:00 UTC 2024\n",
        ),
        (
            "UTC",
            &["-d", "5 Jan 2024 10:00"],
            "Fri Jan  5 10:00:00 UTC 2024\n",
        ),
        (
            "UTC",
            &["-d", "5-Jan-2024"],
            "Fri Jan  5 00:00:00 UTC 2024\n",
        ),
        (
            "UTC",
            &["-d", "January 5, 2024 3pm"],
            "Fri Jan  5 15:00:00 UTC 2024\n",
        ),
        (
            "UTC",
            &["-d", "Fri, 05 Jan 2024 10:00:00 +0100"],
            "Fri Jan  5 09:00:00 UTC 2024\n",
        ),
        (
            "UTC",
            &["-d", "Fri Jan  5 10:00:00 UTC 2024"],
            "Fri Jan  5 10:00:00 UTC 2024\n",
        ),
        ("UTC", &["-d", "1/5/2024"], "Fri Jan  5 00:00:00 UTC 2024\n"),
        (
            "UTC",
            &["-d", "2024/01/05 12:00am"],
            "Fri Jan  5 00:00:00 UTC 2024\n",
        ),
        (
            "UTC",
            &["-d", "2024-01-05 +3 days"],
            "Mon Jan  8 00:00:00 UTC 2024\n",
        ),
        (
            "UTC",
            &["-d", "2024-01-05 -2 weeks"],
            "Fri Dec 22 00:00:00 UTC 2023\n",
        ),
        (
            "UTC",
            &["-d", "2024-01-05 1 month ago"],
            "Tue Dec  5 00:00:00 UTC 2023\n",
        ),
        (
            "UTC",
            &["-d", "2024-01-31 +1 month"],
            "Sat Mar  2 00:00:00 UTC 2024\n",
        ),
        (
            "UTC",
            &["-d", "2024-02-29 +1 year"],
            "Sat Mar  1 00:00:00 UTC 2025\n",
        ),
        (
            "UTC",
            &["-d", "2024-01-05 10:00 next day"],
            "Sat Jan  6 10:00:00 UTC 2024\n",
        ),
        (
            "UTC",
            &["-d", "2024-01-05 10:00 tomorrow"],
            "Sat Jan  6 10:00:00 UTC 2024\n",
        ),
        (
            "UTC",
            &["-d", "2024-01-05 10:00 yesterday"],
            "Thu Jan  4 10:00:00 UTC 2024\n",
        ),
        (
            "UTC",
            &["-d", "2024-01-05 next monday"],
            "Fri Jan  5 00:00:00 UTC 2024\n",
        ),
        (
            "UTC",
            &["-d", "2024-01-05 12:00 +3 hours 30 minutes"],
            "Fri Jan  5 10:30:00 UTC 2024\n",
        ),
        (
            "UTC",
            &["-d", "2024-01-05 12:00 1 year 2 months 3 days ago"],
            "Sun Mar  2 12:00:00 UTC 2025\n",
        ),
        (
            "UTC",
            &["-d", "TZ=\"Europe/Paris\" 2024-07-01 12:00"],
            "Mon Jul  1 10:00:00 UTC 2024\n",
        ),
        (
            "UTC",
            &["-d", "TZ=\"America/New_York\" 2024-01-05 10:00 +1 day"],
            "Sat Jan  6 09:00:00 UTC 2024\n",
        ),
        (
            "UTC",
            &["-u", "-d", "TZ=\"Asia/Tokyo\" 2024-01-05 09:00"],
            "Fri Jan  5 00:00:00 UTC 2024\n",
        ),
        (
            "Europe/Paris",
            &["-d", "TZ=\"UTC\" 2024-07-01 12:00"],
            "Mon Jul  1 14:00:00 CEST 2024\n",
        ),
    ]);
}

#[test]
fn date_parses_busybox_forms() {
    date_table(&[
        (
            "UTC",
            &["-d", "1999.01.01-11:22:33"],
            "Fri Jan  1 11:22:33 UTC 1999\n",
        ),
        (
            "UTC",
            &["-d", "2000.02.29-1:2", "+%F %T"],
            "2000-02-29 01:02:00\n",
        ),
        (
            "UTC",
            &["-d", "200001231133"],
            "Sun Jan 23 11:33:00 UTC 2000\n",
        ),
        (
            "UTC",
            &["-d", "200001231133.30", "+%F %T"],
            "2000-01-23 11:33:30\n",
        ),
        (
            "UTC",
            &["-d", "9912231133", "+%F %T"],
            "1999-12-23 11:33:00\n",
        ),
        (
            "CET-1",
            &["-u", "-d", "0612231133", "+%F %T %Z"],
            "2006-12-23 11:33:00 UTC\n",
        ),
    ]);
    // Fields left out are today's.
    let year = run("date", &["-u", "+%Y"]).go().out();
    let o = run("date", &["-u", "-d", "3.4-5:06", "+%Y %m %d %T"]).go();
    assert_eq!(o.out(), format!("{} 03 04 05:06:00\n", year.trim()));
    for bad in [
        "13.01-1:1",
        "1.2.3.4-5:6",
        "2000.02.30-1:1",
        "1234567",
        "12.3",
    ] {
        run("date", &["-d", bad]).fails(1, format!("date: invalid date '{bad}'\n"));
    }
}

#[test]
fn date_dst_edges_and_zones() {
    date_table(&[
        (
            "America/New_York",
            &["-d", "2024-03-10 01:59:59"],
            "Sun Mar 10 01:59:59 EST 2024\n",
        ),
        (
            "America/New_York",
            &["-d", "2024-03-10 01:59:59 +1 sec"],
            "Sat Mar  9 20:00:00 EST 2024\n",
        ),
        (
            "America/New_York",
            &["-d", "2024-03-10 03:00"],
            "Sun Mar 10 03:00:00 EDT 2024\n",
        ),
        (
            "America/New_York",
            &["-d", "2024-03-09 02:30 tomorrow"],
            "Sun Mar 10 03:30:00 EDT 2024\n",
        ),
        (
            "America/New_York",
            &["-d", "2024-11-03 01:30"],
            "Sun Nov  3 01:30:00 EDT 2024\n",
        ),
        (
            "America/New_York",
            &["-d", "2024-11-03 01:30 EST"],
            "Sun Nov  3 01:30:00 EST 2024\n",
        ),
        (
            "America/New_York",
            &["-d", "2024-11-03 00:30 next hour"],
            "Sun Nov  3 01:30:00 EDT 2024\n",
        ),
        (
            "America/New_York",
            &["-d", "@1730611800"],
            "Sun Nov  3 01:30:00 EDT 2024\n",
        ),
        (
            "America/New_York",
            &["-d", "@1730615400"],
            "Sun Nov  3 01:30:00 EST 2024\n",
        ),
        (
            "America/New_York",
            &["-d", "2024-07-04 12:00 UTC"],
            "Thu Jul  4 08:00:00 EDT 2024\n",
        ),
        (
            "Europe/Paris",
            &["-d", "2024-03-31 01:59:59"],
            "Sun Mar 31 01:59:59 CET 2024\n",
        ),
        (
            "Europe/Paris",
            &["-d", "2024-03-31 03:00"],
            "Sun Mar 31 03:00:00 CEST 2024\n",
        ),
        (
            "Europe/Paris",
            &["-d", "2024-03-30 02:30 tomorrow"],
            "Sun Mar 31 03:30:00 CEST 2024\n",
        ),
        (
            "Europe/Paris",
            &["-d", "2024-10-27 02:30"],
            "Sun Oct 27 02:30:00 CET 2024\n",
        ),
        (
            "Europe/Paris",
            &["-d", "2024-10-26 02:30 next day"],
            "Sun Oct 27 02:30:00 CEST 2024\n",
        ),
        (
            "Europe/Paris",
            &["-d", "@1729989000"],
            "Sun Oct 27 02:30:00 CEST 2024\n",
        ),
        (
            "Europe/Paris",
            &["-d", "2024-07-14 12:00"],
            "Sun Jul 14 12:00:00 CEST 2024\n",
        ),
        (
            "EST5EDT",
            &["-d", "2024-01-01 12:00"],
            "Mon Jan  1 12:00:00 EST 2024\n",
        ),
        (
            "EST5EDT",
            &["-d", "2024-07-01 12:00"],
            "Mon Jul  1 12:00:00 EDT 2024\n",
        ),
        (
            "EST5EDT",
            &["-d", "@1710054000"],
            "Sun Mar 10 03:00:00 EDT 2024\n",
        ),
        (
            "EST5EDT",
            &["-d", "@1710053999"],
            "Sun Mar 10 01:59:59 EST 2024\n",
        ),
        (
            "UTC",
            &["-d", "2024-03-10 02:30"],
            "Sun Mar 10 02:30:00 UTC 2024\n",
        ),
        (
            "Asia/Kolkata",
            &["-Iseconds", "-d", "@0"],
            "1970-01-01T05:30:00+05:30\n",
        ),
        (
            "America/St_Johns",
            &["-R", "-d", "@1720000000"],
            "Wed, 03 Jul 2024 07:16:40 -0230\n",
        ),
        (
            "Australia/Sydney",
            &["-d", "2024-07-05 10:00 AEST"],
            "Fri Jul  5 10:00:00 AEST 2024\n",
        ),
    ]);
}

#[test]
fn date_format_conversions_and_flags() {
    date_table(&[
        (
            "UTC",
            &["-d", "2009-02-03 04:05:06.012345678", "+%a %A %b %B %h %c"],
            "Tue Tuesday Feb February Feb Tue Feb  3 04:05:06 2009\n",
        ),
        (
            "UTC",
            &[
                "-d",
                "2009-02-03 04:05:06.012345678",
                "+%C %d %D %e %F %g %G %H %I %j %k %l %m %M",
            ],
            "20 03 02/03/09  3 2009-02-03 09 2009 04 04 034  4  4 02 05\n",
        ),
        (
            "UTC",
            &[
                "-d",
                "2009-02-03 04:05:06.012345678",
                "+%n%N %p %P %q %r %R %s %S %t %T %u %U %V %w %W %x %X %y %Y %z %Z %%",
            ],
            "\n012345678 AM am 1 04:05:06 AM 04:05 1233633906 06 \t 04:05:06 2 05 06 2 05 02/03/09 04:05:06 09 2009 +0000 UTC %\n",
        ),
        (
            "UTC",
            &[
                "-d",
                "2009-02-03 04:05:06.012345678",
                "+%-d %_d %0e %-e %-j %_j %-m %_H %-I %_M %-S",
            ],
            "3  3 03 3 34  34 2  4 4  5 6\n",
        ),
        (
            "UTC",
            &[
                "-d",
                "2009-02-03 04:05:06.012345678",
                "+%^a %^B %#a %#b %#p %^p %#Z %^P %#P",
            ],
            "TUE FEBRUARY TUE FEB am AM utc am am\n",
        ),
        (
            "UTC",
            &[
                "-d",
                "2009-02-03 04:05:06.012345678",
                "+%10A;%010A;%-10A;%^12a;%10Z;%010Z;%_10Z",
            ],
            "   Tuesday;000Tuesday;Tuesday;         TUE;       UTC;0000000UTC;       UTC\n",
        ),
        (
            "UTC",
            &[
                "-d",
                "2009-02-03 04:05:06.012345678",
                "+%05Y;%_5Y;%-5Y;%+5Y;%+Y;%+10Y;%3H;%+3d",
            ],
            "02009; 2009;2009;+2009;2009;+000002009;004;003\n",
        ),
        (
            "UTC",
            &[
                "-d",
                "2009-02-03 04:05:06.012345678",
                "+%12F;%-12F;%_12F;%012F;%+12F;%F",
            ],
            "002009-02-03;2009-02-03;  2009-02-03;002009-02-03;+02009-02-03;2009-02-03\n",
        ),
        (
            "UTC",
            &[
                "-d",
                "2009-02-03 04:05:06.012345678",
                "+%3N;%-3N;%_3N;%5N;%10N;%_10N;%-10N;%-N",
            ],
            "012;012;012;01234;0123456780;012345678 ;012345678;012345678\n",
        ),
        (
            "UTC",
            &[
                "-d",
                "2009-02-03 04:05:06.012345678",
                "+%30c;%-30c;%030c;%12T;%012T;%12R;%+12r",
            ],
            "      Tue Feb  3 04:05:06 2009;Tue Feb  3 04:05:06 2009;000000Tue Feb  3 04:05:06 2009;    04:05:06;000004:05:06;       04:05;004:05:06 AM\n",
        ),
        (
            "UTC",
            &[
                "-d",
                "2009-02-03 04:05:06.012345678",
                "+%q %5q %-q %Ey %EY %Oy %OH %Ec",
            ],
            "1 00001 1 09 2009 09 04 Tue Feb  3 04:05:06 2009\n",
        ),
        (
            "UTC",
            &[
                "-d",
                "2009-02-03 04:05:06.012345678",
                "+%E;%O;%Ox;%:;%:Z;%::::z;%-%;%Q",
            ],
            "%E;%O;%Ox;%:;%:Z;%::::z;%-%;%Q\n",
        ),
        (
            "UTC",
            &["-d", "2024-01-01 00:00:00", "+%-3N;%_3N;%_10N"],
            "0;0  ;0         \n",
        ),
        (
            "UTC",
            &["-d", "12345-01-01", "+%Y %+Y %+5Y %C %+C %F"],
            "12345 +12345 +12345 123 +123 +12345-01-01\n",
        ),
        (
            "UTC",
            &["-d", "0099-06-15", "+%Y %+Y %C %y %G %F %c %EY"],
            "0099 0099 00 99 0099 0099-06-15 Mon Jun 15 00:00:00 99 99\n",
        ),
        (
            "UTC",
            &["-d", "2024-12-30", "+%G-W%V-%u %g %U %W %j"],
            "2025-W01-1 25 52 53 365\n",
        ),
        (
            "UTC",
            &["-d", "2021-01-03", "+%G-W%V-%u %g %U %W %j"],
            "2020-W53-7 20 01 00 003\n",
        ),
        (
            "Asia/Kolkata",
            &[
                "-d",
                "@0",
                "+%z;%:z;%::z;%:::z;%_z;%-z;%_:z;%10z;%-10:z;%_10::z;%06z;%2:z",
            ],
            "+0530;+05:30;+05:30:00;+05:30; +530;+530; +5:30;+000000530;+5:30;  +5:30:00;+00530;+5:30\n",
        ),
        (
            "America/St_Johns",
            &[
                "-d",
                "@0",
                "+%z;%:z;%::z;%:::z;%_z;%-z;%_:z;%10z;%010:z;%_::z",
            ],
            "-0330;-03:30;-03:30:00;-03:30; -330;-330; -3:30;-000000330;-000003:30; -3:30:00\n",
        ),
        (
            "Africa/Monrovia",
            &["-d", "@0", "+%z;%:z;%::z;%:::z;%Z"],
            "-0044;-00:44;-00:44:30;-00:44:30;MMT\n",
        ),
        (
            "UTC",
            &["-d", "@0", "+%z;%:z;%::z;%:::z;%_z;%-z"],
            "+0000;+00:00;+00:00:00;+00;   +0;+0\n",
        ),
    ]);
}

#[test]
fn date_output_formats() {
    date_table(&[
        ("UTC", &["-d", "@0", "-I"], "1970-01-01\n"),
        ("UTC", &["-d", "@0", "-Idate"], "1970-01-01\n"),
        ("UTC", &["-d", "@0", "-Ihours"], "1970-01-01T00+00:00\n"),
        (
            "UTC",
            &["-d", "@0", "-Iminutes"],
            "1970-01-01T00:00+00:00\n",
        ),
        (
            "UTC",
            &["-d", "@0", "-Iseconds"],
            "1970-01-01T00:00:00+00:00\n",
        ),
        (
            "UTC",
            &["-d", "@0.5", "-Ins"],
            "1970-01-01T00:00:00,500000000+00:00\n",
        ),
        (
            "UTC",
            &["-d", "@0", "--iso-8601=min"],
            "1970-01-01T00:00+00:00\n",
        ),
        (
            "Europe/Paris",
            &["-d", "@0", "--iso-8601=seconds"],
            "1970-01-01T01:00:00+01:00\n",
        ),
        (
            "UTC",
            &["-d", "@0", "-R"],
            "Thu, 01 Jan 1970 00:00:00 +0000\n",
        ),
        (
            "Europe/Paris",
            &["-d", "@0", "--rfc-email"],
            "Thu, 01 Jan 1970 01:00:00 +0100\n",
        ),
        ("UTC", &["-d", "@0", "--rfc-3339=date"], "1970-01-01\n"),
        (
            "Europe/Paris",
            &["-d", "@0.5", "--rfc-3339=seconds"],
            "1970-01-01 01:00:00+01:00\n",
        ),
        (
            "UTC",
            &["-d", "@0.5", "--rfc-3339=ns"],
            "1970-01-01 00:00:00.500000000+00:00\n",
        ),
        (
            "Europe/Paris",
            &["-u", "-d", "2024-07-01 12:00"],
            "Mon Jul  1 12:00:00 UTC 2024\n",
        ),
        (
            "Europe/Paris",
            &["--utc", "-d", "2024-07-01 12:00", "+%T %Z %z"],
            "12:00:00 UTC +0000\n",
        ),
        (
            "America/New_York",
            &["-d", "2024-07-01 12:00", "-u"],
            "Mon Jul  1 12:00:00 UTC 2024\n",
        ),
    ]);
}

#[test]
fn date_invalid_dates() {
    for bad in [
        "foo",
        "noon",
        "midnight",
        "2024-02-30",
        "2024-13-01",
        "2024-01-01 24:00",
        "1 day ago ago",
        "@1e3",
    ] {
        run("date", &["-d", bad]).fails(1, format!("date: invalid date '{bad}'\n"));
    }
    // A wall-clock time skipped when clocks go forward does not exist.
    run("date", &["-d", "2024-03-10 02:30"])
        .env("TZ", "America/New_York")
        .fails(1, "date: invalid date '2024-03-10 02:30'\n");
    run("date", &["-d", "2024-03-31 02:30"])
        .env("TZ", "Europe/Paris")
        .fails(1, "date: invalid date '2024-03-31 02:30'\n");
    // A local zone name that does not fit the date.
    run("date", &["-d", "2024-07-05 10:00 EST"])
        .env("TZ", "America/New_York")
        .fails(1, "date: invalid date '2024-07-05 10:00 EST'\n");
    run("date", &["foo"]).fails(1, "date: invalid date 'foo'\n");
    run("date", &["-d", "@99999999999999999"])
        .fails(1, "date: time '99999999999999999' is out of range\n");
}

#[test]
fn date_now_and_defaults() {
    let before = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let o = run("date", &["+%s"]).go().code(0);
    let got: u64 = o.out().trim().parse().unwrap();
    assert!(got >= before && got <= before + 5, "{got} vs {before}");
    // The default format: "Sun Nov 22 18:20:27 UTC 2026".
    let o = run("date", &[]).go().code(0);
    let s = o.out();
    let f: Vec<&str> = s.split_whitespace().collect();
    assert_eq!(f.len(), 6, "{s}");
    assert_eq!(f[4], "UTC");
    assert_eq!(s.len(), 29, "{s:?}");
    // -u prints UTC whatever TZ says.
    run("date", &["-u", "+%Z %z"])
        .env("TZ", "Asia/Tokyo")
        .ok("UTC +0000\n");
    run("date", &["+%Z %z"])
        .env("TZ", "Asia/Tokyo")
        .ok("JST +0900\n");
    // "now" and relative items keep the current time.
    let o = run("date", &["-d", "now", "+%s"]).go().code(0);
    let now: u64 = o.out().trim().parse().unwrap();
    let o = run("date", &["-d", "+1 day", "+%s"]).go().code(0);
    let later: u64 = o.out().trim().parse().unwrap();
    assert!((86399..=86405).contains(&(later - now)), "{now} {later}");
    let o = run("date", &["-d", "2 hours ago", "+%s"]).go().code(0);
    let earlier: u64 = o.out().trim().parse().unwrap();
    assert!((7195..=7201).contains(&(now - earlier)), "{now} {earlier}");
}

#[test]
fn date_reference_and_file() {
    let d = Dir::new();
    let f = d.write("ref", "");
    let t = SystemTime::UNIX_EPOCH + Duration::new(1_588_748_889, 123_456_789);
    std::fs::File::options()
        .write(true)
        .open(&f)
        .unwrap()
        .set_modified(t)
        .unwrap();
    d.run("date", &["-r", "ref"])
        .ok("Wed May  6 07:08:09 UTC 2020\n");
    d.run("date", &["-r", "ref", "+%s.%N"])
        .ok("1588748889.123456789\n");
    d.run("date", &["--reference=ref", "-Ins"])
        .env("TZ", "America/New_York")
        .ok("2020-05-06T03:08:09,123456789-04:00\n");
    d.run("date", &["-r", "nosuch"])
        .fails(1, "date: nosuch: No such file or directory\n");

    d.write("dates", "@0\nbad\n@5\n2024-01-01 10:00 next day\n");
    d.run("date", &["-f", "dates", "+%F %T"]).go().expect(
        1,
        b"1970-01-01 00:00:00\n1970-01-01 00:00:05\n2024-01-02 10:00:00\n",
        b"date: invalid date 'bad'\n",
    );
    // An empty line is today at midnight.
    let today = run("date", &["-d", "today", "+%F"]).go().code(0).out();
    run("date", &["-f", "-", "+%F %T"])
        .stdin("\n")
        .ok(format!("{} 00:00:00\n", today.trim()));
    run("date", &["-u", "-f", "-", "+%F %T %Z"])
        .env("TZ", "Europe/Paris")
        .stdin("2024-07-01 12:00\n@3\n")
        .ok("2024-07-01 12:00:00 UTC\n1970-01-01 00:00:03 UTC\n");
    run("date", &["--file=-", "+%T %Z"])
        .env("TZ", "Europe/Paris")
        .stdin("2024-07-01 12:00\n")
        .ok("12:00:00 CEST\n");
    d.run("date", &["-f", "nosuch"])
        .fails(1, "date: nosuch: No such file or directory\n");
}

#[test]
fn date_usage_errors() {
    let usage =
        "Usage: date [-uR] [-I[FMT]] [-d STRING | -f FILE | -r FILE | -s STRING] [+FORMAT]\n";
    let cases: &[(&[&str], &str)] = &[
        (
            &["-d", "x", "-f", "y"],
            "date: the options to specify dates for printing are mutually exclusive\n",
        ),
        (
            &["-d", "@0", "-r", "/"],
            "date: the options to specify dates for printing are mutually exclusive\n",
        ),
        (
            &["-s", "foo", "-d", "@1"],
            "date: the options to print and set the time may not be used together\n",
        ),
        (&["a", "b"], "date: extra operand 'b'\n"),
        (
            &["-Ix"],
            "date: invalid argument 'x' for '--iso-8601'\nValid arguments are:\n  \
             - 'hours'\n  - 'minutes'\n  - 'date'\n  - 'seconds'\n  - 'ns'\n",
        ),
        (
            &["--rfc-3339=x"],
            "date: invalid argument 'x' for '--rfc-3339'\nValid arguments are:\n  \
             - 'date'\n  - 'seconds'\n  - 'ns'\n",
        ),
        (&["-z"], "date: invalid option -- 'z'\n"),
        (&["-d"], "date: option requires an argument -- 'd'\n"),
    ];
    for (args, msg) in cases {
        run("date", args).fails(1, format!("{msg}{usage}"));
    }
    for args in [
        &["-I", "-R"][..],
        &["-I", "+%s"],
        &["-R", "--rfc-3339=date"],
    ] {
        run("date", args).fails(1, "date: multiple output formats specified\n");
    }
    let o = run("date", &["--help"]).go().code(0);
    assert!(o.out().starts_with("Usage: date "));
    // An operand that is not a +FORMAT beside -d: the banner and the whole
    // usage, as BusyBox.
    let o = run("date", &["-d", "@0", "bar"]).go().code(1);
    let banner = format!("ibex v{} multi-call binary.\n\n", env!("CARGO_PKG_VERSION"));
    assert_eq!(o.out(), "");
    assert!(o.err().starts_with(&(banner + usage)), "{}", o.err());
    assert!(
        o.err()
            .ends_with("\t--rfc-3339=FMT\tRFC 3339 output: date, seconds or ns\n")
    );
}

#[test]
fn date_set_never_touches_the_clock_here() {
    // Strings that do not parse are refused before anything is set.
    run("date", &["-s", "foo"]).fails(1, "date: invalid date 'foo'\n");
    run("date", &["--set=2024-02-30"]).fails(1, "date: invalid date '2024-02-30'\n");
    run("date", &["0102030"]).fails(1, "date: invalid date '0102030'\n");
    run("date", &["13020304"]).fails(1, "date: invalid date '13020304'\n");
    run("date", &["010203042024.61"]).fails(1, "date: invalid date '010203042024.61'\n");
    // Valid ones only without any privilege: the kernel refuses, date
    // says so and still prints the time it would have set.
    let d = Dir::new();
    let denied = "date: cannot set date: Operation not permitted\n";
    let cases: &[(&str, &str)] = &[
        (
            "$B/date -s \"2024-01-01 10:00\"",
            "Mon Jan  1 10:00:00 UTC 2024\n",
        ),
        ("$B/date 010203042024.05", "Tue Jan  2 03:04:05 UTC 2024\n"),
        ("$B/date 0102030424", "Tue Jan  2 03:04:00 UTC 2024\n"),
        ("$B/date -u --set=@0 +%s", "0\n"),
    ];
    for (script, out) in cases {
        let Some(o) = unprivileged(&d, script) else {
            return;
        };
        o.expect(1, out.as_bytes(), denied.as_bytes());
    }
}

// ---------------------------------------------------------------- cal

const YEAR_2024: &str = concat!(
    "                              2024\n",
    "\n",
    "      January               February               March\n",
    "Su Mo Tu We Th Fr Sa  Su Mo Tu We Th Fr Sa  Su Mo Tu We Th Fr Sa\n",
    "    1  2  3  4  5  6               1  2  3                  1  2\n",
    " 7  8  9 10 11 12 13   4  5  6  7  8  9 10   3  4  5  6  7  8  9\n",
    "14 15 16 17 18 19 20  11 12 13 14 15 16 17  10 11 12 13 14 15 16\n",
    "21 22 23 24 25 26 27  18 19 20 21 22 23 24  17 18 19 20 21 22 23\n",
    "28 29 30 31           25 26 27 28 29        24 25 26 27 28 29 30\n",
    "                                            31\n",
    "       April                  May                   June\n",
    "Su Mo Tu We Th Fr Sa  Su Mo Tu We Th Fr Sa  Su Mo Tu We Th Fr Sa\n",
    "    1  2  3  4  5  6            1  2  3  4                     1\n",
    " 7  8  9 10 11 12 13   5  6  7  8  9 10 11   2  3  4  5  6  7  8\n",
    "14 15 16 17 18 19 20  12 13 14 15 16 17 18   9 10 11 12 13 14 15\n",
    "21 22 23 24 25 26 27  19 20 21 22 23 24 25  16 17 18 19 20 21 22\n",
    "28 29 30              26 27 28 29 30 31     23 24 25 26 27 28 29\n",
    "                                            30\n",
    "        July                 August              September\n",
    "Su Mo Tu We Th Fr Sa  Su Mo Tu We Th Fr Sa  Su Mo Tu We Th Fr Sa\n",
    "    1  2  3  4  5  6               1  2  3   1  2  3  4  5  6  7\n",
    " 7  8  9 10 11 12 13   4  5  6  7  8  9 10   8  9 10 11 12 13 14\n",
    "14 15 16 17 18 19 20  11 12 13 14 15 16 17  15 16 17 18 19 20 21\n",
    "21 22 23 24 25 26 27  18 19 20 21 22 23 24  22 23 24 25 26 27 28\n",
    "28 29 30 31           25 26 27 28 29 30 31  29 30\n",
    "\n",
    "      October               November              December\n",
    "Su Mo Tu We Th Fr Sa  Su Mo Tu We Th Fr Sa  Su Mo Tu We Th Fr Sa\n",
    "       1  2  3  4  5                  1  2   1  2  3  4  5  6  7\n",
    " 6  7  8  9 10 11 12   3  4  5  6  7  8  9   8  9 10 11 12 13 14\n",
    "13 14 15 16 17 18 19  10 11 12 13 14 15 16  15 16 17 18 19 20 21\n",
    "20 21 22 23 24 25 26  17 18 19 20 21 22 23  22 23 24 25 26 27 28\n",
    "27 28 29 30 31        24 25 26 27 28 29 30  29 30 31\n",
    "\n",
);

#[test]
fn cal_months() {
    run("cal", &["9", "1752"]).ok(concat!(
        "   September 1752\n",
        "Su Mo Tu We Th Fr Sa\n",
        "       1  2 14 15 16\n",
        "17 18 19 20 21 22 23\n",
        "24 25 26 27 28 29 30\n",
        "\n\n\n",
    ));
    run("cal", &["-m", "sep", "1752"]).ok(concat!(
        "   September 1752\n",
        "Mo Tu We Th Fr Sa Su\n",
        "    1  2 14 15 16 17\n",
        "18 19 20 21 22 23 24\n",
        "25 26 27 28 29 30\n",
        "\n\n\n",
    ));
    run("cal", &["-j", "2", "2024"]).ok(concat!(
        "       February 2024\n",
        " Su  Mo  Tu  We  Th  Fr  Sa\n",
        "                 32  33  34\n",
        " 35  36  37  38  39  40  41\n",
        " 42  43  44  45  46  47  48\n",
        " 49  50  51  52  53  54  55\n",
        " 56  57  58  59  60\n",
        "\n",
    ));
    run("cal", &["-mj", "9", "1752"]).ok(concat!(
        "      September 1752\n",
        " Mo  Tu  We  Th  Fr  Sa  Su\n",
        "    245 246 258 259 260 261\n",
        "262 263 264 265 266 267 268\n",
        "269 270 271 272 273 274\n",
        "\n\n\n",
    ));
    // Julian leap years before 1752: February 1700 has 29 days.
    run("cal", &["February", "1700"]).ok(concat!(
        "   February 1700\n",
        "Su Mo Tu We Th Fr Sa\n",
        "             1  2  3\n",
        " 4  5  6  7  8  9 10\n",
        "11 12 13 14 15 16 17\n",
        "18 19 20 21 22 23 24\n",
        "25 26 27 28 29\n",
        "\n",
    ));
    run("cal", &["1", "1"]).ok(concat!(
        "     January 1\n",
        "Su Mo Tu We Th Fr Sa\n",
        "                   1\n",
        " 2  3  4  5  6  7  8\n",
        " 9 10 11 12 13 14 15\n",
        "16 17 18 19 20 21 22\n",
        "23 24 25 26 27 28 29\n",
        "30 31\n",
    ));
    // DAY MONTH YEAR shows that month.
    let o = run("cal", &["29", "2", "2024"]).go().code(0);
    assert!(o.out().starts_with("   February 2024\n"));
}

#[test]
fn cal_three_months_and_years() {
    run("cal", &["-3", "1", "2024"]).ok(concat!(
        "   December 2023          January 2024         February 2024\n",
        "Su Mo Tu We Th Fr Sa  Su Mo Tu We Th Fr Sa  Su Mo Tu We Th Fr Sa\n",
        "                1  2      1  2  3  4  5  6               1  2  3\n",
        " 3  4  5  6  7  8  9   7  8  9 10 11 12 13   4  5  6  7  8  9 10\n",
        "10 11 12 13 14 15 16  14 15 16 17 18 19 20  11 12 13 14 15 16 17\n",
        "17 18 19 20 21 22 23  21 22 23 24 25 26 27  18 19 20 21 22 23 24\n",
        "24 25 26 27 28 29 30  28 29 30 31           25 26 27 28 29\n",
        "31\n",
    ));
    run("cal", &["2024"]).ok(YEAR_2024);
    run("cal", &["-y", "2024"]).ok(YEAR_2024);
    let o = run("cal", &["-jy", "2024"]).go().code(0);
    let lines: Vec<String> = o.out().lines().map(str::to_string).collect();
    assert_eq!(lines[0], "                          2024");
    assert_eq!(lines[2], "          January                     February");
    assert_eq!(
        lines[4],
        "      1   2   3   4   5   6                   32  33  34"
    );
    assert_eq!(lines.len(), 2 + 6 * 8);
    // With busybox around, the layouts agree line for line.
    if have("/usr/bin/busybox") {
        for args in [
            &["-y", "1752"][..],
            &["-my", "2025"],
            &["-jy", "1900"],
            &["12", "9999"],
        ] {
            let ours = run("cal", args).go().code(0);
            let bb = std::process::Command::new("/usr/bin/busybox")
                .arg("cal")
                .args(args)
                .output()
                .unwrap();
            let trimmed: String = String::from_utf8_lossy(&bb.stdout)
                .lines()
                .map(|l| format!("{}\n", l.trim_end()))
                .collect();
            assert_eq!(ours.out(), trimmed, "cal {args:?}");
        }
    }
}

#[test]
fn cal_current_month_and_errors() {
    // No highlighting when the output is not a terminal.
    let o = run("cal", &[]).go().code(0);
    assert!(!o.out().contains('\x1b'));
    assert_eq!(o.out().lines().count(), 8);
    run("cal", &["13", "2024"]).fails(1, "cal: illegal month value: use 1-12\n");
    run("cal", &["x", "2024"]).fails(1, "cal: illegal month value: use 1-12\n");
    run("cal", &["1", "0"]).fails(1, "cal: illegal year value: use 1-9999\n");
    run("cal", &["10000"]).fails(1, "cal: illegal year value: use 1-9999\n");
    run("cal", &["31", "2", "2024"]).fails(1, "cal: illegal day value: use 1-29\n");
    run("cal", &["1", "2", "3", "4"]).fails(
        1,
        "cal: extra operand '4'\nUsage: cal [-13yjms] [[[DAY] MONTH] YEAR]\n",
    );
    run("cal", &["-x"]).fails(
        1,
        "cal: invalid option -- 'x'\nUsage: cal [-13yjms] [[[DAY] MONTH] YEAR]\n",
    );
}

// ---------------------------------------------------------------- timeout

/// Run a script, returning its result and how long it took.
fn timed(d: &Dir, script: &str) -> (Out, Duration) {
    let t = Instant::now();
    let o = d.sh(script).go();
    (o, t.elapsed())
}

#[test]
fn timeout_statuses() {
    let d = Dir::new();
    let (o, t) = timed(&d, "$B/timeout 0.2 sleep 10");
    o.expect(124, b"", b"");
    assert!(t < Duration::from_secs(5));
    timed(&d, "$B/timeout -s KILL 0.2 sleep 10")
        .0
        .expect(137, b"", b"");
    timed(&d, "$B/timeout --preserve-status 0.2 sleep 10")
        .0
        .expect(143, b"", b"");
    timed(&d, "$B/timeout --preserve-status -s INT 0.2 sleep 10")
        .0
        .expect(130, b"", b"");
    timed(&d, "$B/timeout -s 9 --preserve-status 0.2 sleep 10")
        .0
        .expect(137, b"", b"");
    // The command ignores TERM: -k sends KILL afterwards.
    let (o, t) = timed(&d, "$B/timeout -k 0.3 0.2 sh -c 'trap \"\" TERM; sleep 10'");
    o.expect(137, b"", b"");
    assert!(t < Duration::from_secs(5));
    // The command's own status, or 128+N when it dies of signal N.
    d.sh("$B/timeout 10 sh -c 'exit 3'")
        .go()
        .expect(3, b"", b"");
    d.sh("$B/timeout 10 sh -c 'echo out; echo err >&2'")
        .go()
        .expect(0, b"out\n", b"err\n");
    d.sh("$B/timeout 10 sh -c 'kill -USR1 $$'")
        .go()
        .expect(138, b"", b"");
    d.sh("$B/timeout 0 sh -c 'sleep 0.1; exit 4'")
        .go()
        .expect(4, b"", b"");
    d.sh("$B/timeout 1m true").go().expect(0, b"", b"");
    d.sh("$B/timeout 1e-1 sleep 10").go().expect(124, b"", b"");
    d.sh("$B/timeout .01d true").go().expect(0, b"", b"");
}

#[test]
fn timeout_signals_and_groups() {
    let d = Dir::new();
    d.sh("$B/timeout -v 0.2 sleep 10").go().expect(
        124,
        b"",
        b"timeout: sending signal TERM to command 'sleep'\n",
    );
    d.sh("$B/timeout -v -s hup 0.2 sleep 10").go().expect(
        124,
        b"",
        b"timeout: sending signal HUP to command 'sleep'\n",
    );
    d.sh("$B/timeout --verbose -k 0.2 0.2 sh -c 'trap \"\" TERM; sleep 10'")
        .go()
        .expect(
            137,
            b"",
            b"timeout: sending signal TERM to command 'sh'\n\
              timeout: sending signal KILL to command 'sh'\n",
        );
    // The whole process group is signalled: a background child ends too.
    let (o, t) = timed(&d, "$B/timeout 0.2 sh -c 'sleep 10 & wait'; echo $?");
    o.expect(0, b"124\n", b"");
    assert!(t < Duration::from_secs(5));
    // The command runs in a process group of its own, except with
    // --foreground.
    let o = d
        .sh("$B/timeout 10 sh -c 'ps -o pgid= -p $$; echo $$'")
        .go()
        .code(0);
    let v: Vec<String> = o.out().split_whitespace().map(str::to_string).collect();
    if v.len() == 2 {
        assert_eq!(v[0], v[1]);
    }
    let o = d
        .sh("echo $$; $B/timeout --foreground 10 sh -c 'ps -o pgid= -p $$'")
        .go()
        .code(0);
    let v: Vec<String> = o.out().split_whitespace().map(str::to_string).collect();
    if v.len() == 2 {
        assert_ne!(v[0], v[1]);
    }
    d.sh("$B/timeout --foreground 0.2 sleep 10")
        .go()
        .expect(124, b"", b"");
    // TERM sent to timeout is passed on; the command's death is reported
    // as 128+15.
    let (o, t) = timed(
        &d,
        "$B/timeout 10 sleep 10 & pid=$!; sleep 0.3; kill $pid; wait $pid; echo $?",
    );
    o.expect(0, b"143\n", b"");
    assert!(t < Duration::from_secs(5));
}

#[test]
fn timeout_errors() {
    let usage = "Usage: timeout [-v] [-s SIG] [-k DURATION] [--preserve-status] [--foreground] \
                 DURATION COMMAND [ARG]...\n";
    let d = Dir::new();
    d.write("plain", "echo hi\n");
    run("timeout", &["1", "nosuch"]).fails(
        127,
        "timeout: failed to run command 'nosuch': No such file or directory\n",
    );
    d.run("timeout", &["1", "./plain"]).fails(
        126,
        "timeout: failed to run command './plain': Permission denied\n",
    );
    run("timeout", &["1", "/"]).fails(
        126,
        "timeout: failed to run command '/': Permission denied\n",
    );
    let bad: &[(&[&str], &str)] = &[
        (&["x", "sleep", "1"], "timeout: invalid time interval 'x'\n"),
        (&["-1", "true"], "timeout: invalid option -- '1'\n"),
        (
            &["--", "-1", "true"],
            "timeout: invalid time interval '-1'\n",
        ),
        (&["1s2", "true"], "timeout: invalid time interval '1s2'\n"),
        (
            &["-k", "y", "1", "true"],
            "timeout: invalid time interval 'y'\n",
        ),
        (
            &["-s", "FOO", "1", "true"],
            "timeout: 'FOO': invalid signal\n",
        ),
        (
            &["-s", "65", "1", "true"],
            "timeout: '65': invalid signal\n",
        ),
        (&[], "timeout: missing operand\n"),
        (&["1"], "timeout: missing operand after '1'\n"),
    ];
    for (args, msg) in bad {
        run("timeout", args).fails(125, format!("{msg}{usage}"));
    }
}

// ---------------------------------------------------------------- nice

#[test]
fn nice_prints_and_adjusts() {
    let d = Dir::new();
    let o = d.run("nice", &[]).go().code(0);
    let base: i32 = o.out().trim().parse().unwrap();
    let expect = |adj: i32| format!("{}\n", (base + adj).clamp(-20, 19));
    d.run("nice", &["nice"]).ok(expect(10));
    d.run("nice", &["-n", "5", "nice"]).ok(expect(5));
    d.run("nice", &["-n5", "nice"]).ok(expect(5));
    d.run("nice", &["--adjustment=3", "nice"]).ok(expect(3));
    d.run("nice", &["--adj", "3", "nice"]).ok(expect(3));
    d.run("nice", &["-7", "nice"]).ok(expect(7));
    d.run("nice", &["-n", "+4", "nice"]).ok(expect(4));
    d.run("nice", &["-n", "3", "-n", "2", "nice"]).ok(expect(2));
    d.run("nice", &["-n", "50", "nice"]).ok("19\n");
    d.run("nice", &["-n", "99999999999999999999999", "nice"])
        .ok("19\n");
    d.run("nice", &["--", "nice", "-n", "1", "nice"])
        .ok(expect(11));
    if is_root() {
        d.run("nice", &["-n", "-5", "nice"]).ok(expect(-5));
        d.run("nice", &["--5", "nice"]).ok(expect(-5));
        d.run("nice", &["-n", "-50", "nice"]).ok("-20\n");
    }
    // Without privilege, raising the priority only warns.
    if let Some(o) = unprivileged(&d, "$B/nice -n -5 $B/nice") {
        let want = format!("{}\n", base.clamp(-20, 19));
        o.expect(
            0,
            want.as_bytes(),
            b"nice: cannot set niceness: Permission denied\n",
        );
    }
}

#[test]
fn nice_errors() {
    let usage = "Usage: nice [-n ADJUST] [COMMAND [ARG]...]\n";
    let d = Dir::new();
    d.write("plain", "echo hi\n");
    run("nice", &["-n", "x", "true"]).fails(125, "nice: invalid adjustment 'x'\n");
    run("nice", &["-n", "1"]).fails(
        125,
        format!("nice: a command must be given with an adjustment\n{usage}"),
    );
    run("nice", &["-n"]).fails(
        125,
        format!("nice: option requires an argument -- 'n'\n{usage}"),
    );
    run("nice", &["-z"]).fails(125, format!("nice: invalid option -- 'z'\n{usage}"));
    run("nice", &["nosuch"]).fails(127, "nice: 'nosuch': No such file or directory\n");
    d.run("nice", &["./plain"])
        .fails(126, "nice: './plain': Permission denied\n");
    d.sh("$B/nice sh -c 'exit 7'").go().expect(7, b"", b"");
}

// ---------------------------------------------------------------- nohup

#[test]
fn nohup_without_a_terminal() {
    let d = Dir::new();
    d.write("plain", "echo hi\n");
    d.run("nohup", &["echo", "hi"]).ok("hi\n");
    assert!(!d.exists("nohup.out"));
    d.run("nohup", &["sh", "-c", "exit 5"])
        .go()
        .expect(5, b"", b"");
    // SIGHUP is ignored by the command.
    d.run("nohup", &["sh", "-c", "kill -HUP $$; echo alive"])
        .ok("alive\n");
    run("nohup", &[]).fails(
        125,
        "nohup: missing operand\nUsage: nohup COMMAND [ARG]...\n",
    );
    run("nohup", &["-x"]).fails(
        125,
        "nohup: invalid option -- 'x'\nUsage: nohup COMMAND [ARG]...\n",
    );
    run("nohup", &["nosuch"]).fails(
        127,
        "nohup: failed to run command 'nosuch': No such file or directory\n",
    );
    d.run("nohup", &["./plain"]).fails(
        126,
        "nohup: failed to run command './plain': Permission denied\n",
    );
    run("nohup", &["nosuch"]).env("POSIXLY_CORRECT", "1").fails(
        127,
        "nohup: failed to run command 'nosuch': No such file or directory\n",
    );
    run("nohup", &[]).env("POSIXLY_CORRECT", "1").fails(
        127,
        "nohup: missing operand\nUsage: nohup COMMAND [ARG]...\n",
    );
}

#[test]
fn nohup_with_a_terminal() {
    if !have("/usr/bin/script") {
        eprintln!("SKIPPED nohup_with_a_terminal: needs script(1)");
        return;
    }
    let d = Dir::new();
    // Everything on the terminal: output appended to nohup.out (mode 0600).
    d.write("nohup.out", "old\n");
    let o = d
        .sh("script -qec \"$B/nohup sh -c 'echo out; echo err >&2; read x; echo read=\\$?'\" /dev/null")
        .go();
    assert_eq!(o.code, 0, "{}", o.err());
    assert_eq!(
        o.out().replace('\r', ""),
        "nohup: ignoring input and appending output to 'nohup.out'\n"
    );
    assert_eq!(d.read("nohup.out"), b"old\nout\nerr\nread=1\n");
    let d2 = Dir::new();
    d2.sh("script -qec \"$B/nohup true\" /dev/null")
        .go()
        .code(0);
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(d2.p("nohup.out"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600);
    // Output redirected: only stderr goes to stdout's file.
    let o = d2
        .sh("script -qec \"$B/nohup sh -c 'echo out; echo err >&2' > o.txt\" /dev/null")
        .go();
    assert_eq!(
        o.out().replace('\r', ""),
        "nohup: ignoring input and redirecting stderr to stdout\n"
    );
    assert_eq!(d2.read("o.txt"), b"out\nerr\n");
    // Only stderr on the terminal... and stdin not: no "ignoring input".
    let o = d2
        .sh("script -qec \"$B/nohup sh -c 'echo err >&2' > o2.txt < /dev/null\" /dev/null")
        .go();
    assert_eq!(
        o.out().replace('\r', ""),
        "nohup: redirecting stderr to stdout\n"
    );
    assert_eq!(d2.read("o2.txt"), b"err\n");
    // A failed exec is reported on the original stderr.
    let o = d2
        .sh("script -qec \"$B/nohup nosuch\" /dev/null; echo $?")
        .go();
    assert_eq!(
        o.out().replace('\r', ""),
        "nohup: ignoring input and appending output to 'nohup.out'\n\
         nohup: failed to run command 'nosuch': No such file or directory\n127\n"
    );
    // No writable nohup.out here or in $HOME.
    let d3 = Dir::new();
    d3.mkdir("ro");
    std::fs::set_permissions(d3.p("ro"), std::fs::Permissions::from_mode(0o555)).unwrap();
    if let Some(o) = unprivileged(
        &d3,
        "cd ro && HOME=/nonexistent script -qec \"$B/nohup true\" /dev/null; echo $?",
    ) {
        assert_eq!(
            o.out().replace('\r', ""),
            "nohup: failed to open 'nohup.out': Permission denied\n\
             nohup: failed to open '/nonexistent/nohup.out': No such file or directory\n125\n"
        );
    }
}

// ---------------------------------------------------------------- which

#[test]
fn which_searches_path() {
    let d = Dir::new();
    d.write("a/tool", "");
    d.write("b/tool", "");
    d.write("b/other", "");
    d.write("c/plain", "");
    d.mkdir("c/dir");
    for f in ["a/tool", "b/tool", "b/other"] {
        std::fs::set_permissions(d.p(f), std::os::unix::fs::PermissionsExt::from_mode(0o755))
            .unwrap();
    }
    let path = "a:b:c";
    d.run("which", &["tool"]).env("PATH", path).ok("a/tool\n");
    d.run("which", &["-a", "tool", "other"])
        .env("PATH", path)
        .ok("a/tool\nb/tool\nb/other\n");
    d.run("which", &["--all", "tool"])
        .env("PATH", path)
        .ok("a/tool\nb/tool\n");
    // Not executable, a directory, missing: status 1.
    d.run("which", &["plain", "dir", "tool", "nosuch"])
        .env("PATH", path)
        .go()
        .expect(1, b"a/tool\n", b"");
    // An empty PATH entry is the current directory.
    d.run("which", &["tool"]).env("PATH", ":b").ok("b/tool\n");
    let sub = d.p("a");
    let r = run("which", &["tool"]).env("PATH", "/nonexistent::");
    let mut r = r;
    r.cmd.current_dir(&sub);
    r.ok("./tool\n");
    // Names with a slash are checked as they are.
    d.run("which", &["./a/tool", "a/tool", "c/plain", "/"])
        .go()
        .expect(1, b"./a/tool\na/tool\n", b"");
    run("which", &["sh"])
        .env("PATH", "/nonexistent:/bin")
        .ok("/bin/sh\n");
    run("which", &[""]).go().expect(1, b"", b"");
    run("which", &[]).fails(1, "which: missing operand\nUsage: which [-a] COMMAND...\n");
}

// ---------------------------------------------------------------- tty

#[test]
fn tty_reports_the_terminal() {
    run("tty", &[]).go().expect(1, b"not a tty\n", b"");
    run("tty", &["-s"]).go().expect(1, b"", b"");
    run("tty", &["--silent"]).go().expect(1, b"", b"");
    run("tty", &["x"]).fails(2, "tty: extra operand 'x'\nUsage: tty [-s]\n");
    run("tty", &["-x"]).fails(2, "tty: invalid option -- 'x'\nUsage: tty [-s]\n");
    if have("/dev/full") {
        Dir::new().sh("$B/tty > /dev/full").go().expect(
            3,
            b"",
            b"tty: write error: No space left on device\n",
        );
    }
    if have("/usr/bin/script") {
        let d = Dir::new();
        let o = d
            .sh("script -qec \"$B/tty; $B/tty -s; echo \\$?\" /dev/null")
            .go();
        let out = o.out().replace('\r', "");
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 2, "{out}");
        assert!(lines[0].starts_with("/dev/pts/"), "{out}");
        assert_eq!(lines[1], "0");
    }
}

// ---------------------------------------------------------------- id, groups, whoami, logname

const PASSWD: &str = "root:x:0:0:root:/root:/bin/sh\n\
    alice:x:1000:1000:Alice:/home/alice:/bin/sh\n\
    bob:x:1001:100::/home/bob:/bin/sh\n\
    77:x:1002:1002::/:/bin/sh\n";
const GROUP: &str = "root:x:0:\n\
    wheel:x:10:alice\n\
    users:x:100:alice,bob\n\
    alice:x:1000:\n\
    audio:x:29:bob,alice\n";

fn db(d: &Dir, r: Run) -> Run {
    r.env("IBEX_PASSWD", d.p("passwd"))
        .env("IBEX_GROUP", d.p("group"))
}

fn users_dir() -> Dir {
    let d = Dir::new();
    d.write("passwd", PASSWD);
    d.write("group", GROUP);
    d
}

#[test]
fn id_of_named_users() {
    let d = users_dir();
    let id = |args: &[&str]| db(&d, run("id", args));
    id(&["alice"])
        .ok("uid=1000(alice) gid=1000(alice) groups=1000(alice),10(wheel),100(users),29(audio)\n");
    id(&["bob", "root"]).ok(
        "uid=1001(bob) gid=100(users) groups=100(users),29(audio)\nuid=0(root) gid=0(root) groups=0(root)\n",
    );
    // A number that is no user name is a uid; a name wins over a number.
    id(&["1001"]).ok("uid=1001(bob) gid=100(users) groups=100(users),29(audio)\n");
    id(&["77"]).ok("uid=1002(77) gid=1002 groups=1002\n");
    id(&["-u", "alice"]).ok("1000\n");
    id(&["-un", "alice"]).ok("alice\n");
    id(&["-g", "bob"]).ok("100\n");
    id(&["-gn", "bob"]).ok("users\n");
    id(&["-G", "alice"]).ok("1000 10 100 29\n");
    id(&["-Gn", "alice"]).ok("alice wheel users audio\n");
    id(&["-Gnz", "alice"]).ok("alice\0wheel\0users\0audio\0");
    id(&["-uz", "alice", "bob"]).ok("1000\x001001\0");
    id(&["-ur", "bob"]).ok("1001\n");
    id(&["-gn", "77"])
        .go()
        .expect(1, b"1002\n", b"id: cannot find name for group ID 1002\n");
    id(&["nosuch", "alice"]).go().expect(
        1,
        b"uid=1000(alice) gid=1000(alice) groups=1000(alice),10(wheel),100(users),29(audio)\n",
        b"id: 'nosuch': no such user\n",
    );
}

#[test]
fn id_errors() {
    run("id", &["-u", "-g"]).fails(1, "id: cannot print \"only\" of more than one choice\n");
    run("id", &["-n"]).fails(
        1,
        "id: cannot print only names or real IDs in default format\n",
    );
    run("id", &["-r"]).fails(
        1,
        "id: cannot print only names or real IDs in default format\n",
    );
    run("id", &["-z"]).fails(1, "id: option --zero not permitted in default format\n");
    run("id", &["-Z"]).fails(
        1,
        "id: --context (-Z) works only on an SELinux-enabled kernel\n",
    );
    run("id", &["-x"]).fails(
        1,
        "id: invalid option -- 'x'\nUsage: id [-Z] [-ugGnrz] [USER]...\n",
    );
}

#[test]
fn id_of_the_process() {
    let d = users_dir();
    if !is_root() || !have("/usr/bin/setpriv") {
        eprintln!("SKIPPED id_of_the_process: needs root and setpriv");
        return;
    }
    let sh = |ids: &str, cmd: &str| db(&d, d.sh(&format!("exec setpriv {ids} $B/{cmd}"))).go();
    let alice = "--reuid=1000 --regid=1000 --groups=29,10,1000";
    sh(alice, "id").expect(
        0,
        b"uid=1000(alice) gid=1000(alice) groups=1000(alice),10(wheel),29(audio)\n",
        b"",
    );
    sh(alice, "id -G").expect(0, b"1000 10 29\n", b"");
    sh(alice, "id -Gn").expect(0, b"alice wheel audio\n", b"");
    sh(alice, "id -un").expect(0, b"alice\n", b"");
    sh(alice, "whoami").expect(0, b"alice\n", b"");
    sh(alice, "groups").expect(0, b"alice wheel audio\n", b"");
    // Real and effective IDs differ.
    let mixed = "--ruid=1001 --euid=1000 --rgid=100 --egid=1000 --groups=100";
    sh(mixed, "id").expect(
        0,
        b"uid=1001(bob) gid=100(users) euid=1000(alice) egid=1000(alice) groups=1000(alice),100(users)\n",
        b"",
    );
    sh(mixed, "id -u").expect(0, b"1000\n", b"");
    sh(mixed, "id -ur").expect(0, b"1001\n", b"");
    sh(mixed, "id -gr").expect(0, b"100\n", b"");
    sh(mixed, "id -G").expect(0, b"100 1000\n", b"");
    sh(mixed, "groups").expect(0, b"users alice\n", b"");
    // IDs without names.
    let nameless = "--reuid=4321 --regid=4321 --clear-groups";
    sh(nameless, "id").expect(0, b"uid=4321 gid=4321 groups=4321\n", b"");
    sh(nameless, "id -un").expect(1, b"4321\n", b"id: cannot find name for user ID 4321\n");
    sh(nameless, "whoami").expect(1, b"", b"whoami: cannot find name for user ID 4321\n");
    sh(nameless, "groups").expect(
        1,
        b"4321\n",
        b"groups: cannot find name for group ID 4321\n",
    );
}

#[test]
fn groups_of_users() {
    let d = users_dir();
    let g = |args: &[&str]| db(&d, run("groups", args));
    g(&["alice"]).ok("alice : alice wheel users audio\n");
    g(&["bob", "root"]).ok("bob : users audio\nroot : root\n");
    g(&["nosuch", "bob"]).go().expect(
        1,
        b"bob : users audio\n",
        b"groups: 'nosuch': no such user\n",
    );
}

#[test]
fn whoami_and_logname() {
    let d = users_dir();
    if is_root() {
        db(&d, run("whoami", &[])).ok("root\n");
    }
    run("whoami", &["x"]).fails(1, "whoami: extra operand 'x'\nUsage: whoami\n");
    run("logname", &["x"]).fails(1, "logname: extra operand 'x'\nUsage: logname\n");
    // GNU asks the C library (the session's login uid, then utmp), never
    // $LOGNAME: with neither, there is no login name.
    let loginuid = std::fs::read_to_string("/proc/self/loginuid").unwrap_or_default();
    let no_login = loginuid.trim() == "4294967295" || loginuid.is_empty();
    if no_login && !have("/var/run/utmp") {
        run("logname", &[])
            .env("LOGNAME", "someone")
            .fails(1, "logname: no login name\n");
    } else if have("/usr/bin/logname") {
        let gnu = std::process::Command::new("/usr/bin/logname")
            .output()
            .unwrap();
        let o = run("logname", &[]).go();
        assert_eq!(o.code, gnu.status.code().unwrap());
        assert_eq!(o.stdout, gnu.stdout);
    }
}
