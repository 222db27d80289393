//! Every applet's usage text survives its trip through build.rs (found,
//! compressed, inflated and sliced out): `--help` prints `Usage: NAME`
//! with the applet's own text, and a bad option prints the synopsis line.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::process::{Command, Output};

fn ibex(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ibex"))
        .args(args)
        .env_clear()
        .env("LC_ALL", "C")
        .env("PATH", "/usr/bin:/bin")
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap()
}

/// The name the usage text of an applet starts with (links share texts),
/// or None for applets that ignore `--help` as their peers do.
fn usage_name(applet: &str) -> Option<&str> {
    match applet {
        "echo" | "false" | "true" | "test" | "[" | "[[" => None,
        "ash" => Some("sh"),
        "egrep" | "fgrep" => Some("grep"),
        "gunzip" | "zcat" => Some("gzip"),
        a => Some(a),
    }
}

fn applets() -> Vec<String> {
    let list = ibex(&["--list"]);
    assert!(list.status.success());
    let s = String::from_utf8(list.stdout).unwrap();
    s.lines().map(String::from).collect()
}

#[test]
fn every_help_starts_with_its_usage() {
    let all = applets();
    assert!(!all.is_empty());
    let mut seen = 0;
    for a in &all {
        let Some(name) = usage_name(a) else { continue };
        let r = ibex(&[a, "--help"]);
        let want = format!("Usage: {name}");
        let t = String::from_utf8_lossy(&r.stdout);
        assert_eq!(r.status.code(), Some(0), "{a} --help: {t}");
        assert!(
            t.starts_with(&want)
                && t[want.len()..].starts_with([' ', '\n'])
                && t.ends_with('\n')
                && !t.contains('\0'),
            "{a} --help printed {t:?}"
        );
        seen += 1;
    }
    assert!(seen > 0);
}

#[test]
fn usage_errors_end_with_the_synopsis() {
    for a in applets() {
        let Some(name) = usage_name(&a) else { continue };
        // These read options their own way (find: predicates; expr,
        // printf, kill: operands; sh: set's letters; ip: objects).
        if ["find", "expr", "printf", "kill", "sh", "ash", "ip"].contains(&a.as_str()) {
            continue;
        }
        let help = ibex(&[&a, "--help"]);
        let text = String::from_utf8(help.stdout).unwrap();
        let synopsis = text.lines().next().unwrap();
        let r = ibex(&[&a, "--zzz-no-such-option"]);
        let err = String::from_utf8_lossy(&r.stderr);
        assert_ne!(r.status.code(), Some(0), "{a}");
        assert!(
            err.starts_with(&format!("{a}: ")) || err.starts_with(&format!("{name}: ")),
            "{a}: {err}"
        );
        assert!(
            err.ends_with(&format!("\n{synopsis}\n")),
            "{a}: {err:?} does not end with {synopsis:?}"
        );
    }
}
