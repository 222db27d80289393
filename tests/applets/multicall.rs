//! The multiplexer: dispatch by name, help and lists, --install.

use crate::harness::*;
use std::process::Command;

fn ibex_cmd(args: &[&str]) -> Out {
    let o = Command::new(ibex())
        .args(args)
        .env_clear()
        .output()
        .unwrap();
    Out {
        code: o.status.code().unwrap_or(-1),
        stdout: o.stdout,
        stderr: o.stderr,
    }
}

#[test]
fn help_lists_functions_like_busybox() {
    for args in [&[][..], &["--help"][..]] {
        let o = ibex_cmd(args).code(0);
        let text = o.out();
        assert!(text.starts_with("ibex v"), "{text}");
        let list: String = text
            .split("Currently defined functions:\n")
            .nth(1)
            .unwrap()
            .into();
        let names: Vec<&str> = list
            .split([',', '\n', '\t', ' '])
            .filter(|s| !s.is_empty())
            .collect();
        let listed = ibex_cmd(&["--list"]).out();
        let expected: Vec<&str> = listed.lines().collect();
        assert_eq!(names, expected);
        assert!(list.lines().all(|l| l.starts_with('\t') && l.len() <= 80));
    }
}

#[test]
fn list_full_has_install_dirs() {
    let o = ibex_cmd(&["--list-full"]).code(0);
    let text = o.out();
    assert!(text.lines().any(|l| l == "bin/echo"), "{text}");
    assert!(text.lines().any(|l| l == "usr/bin/yes"), "{text}");
    assert!(
        text.lines()
            .all(|l| l.starts_with("bin/") || l.starts_with("sbin/") || l.starts_with("usr/"))
    );
}

#[test]
fn version() {
    let o = ibex_cmd(&["--version"]).code(0);
    assert_eq!(o.out(), format!("ibex {}\n", env!("CARGO_PKG_VERSION")));
}

#[test]
fn applet_by_first_argument() {
    ibex_cmd(&["echo", "a", "b"]).expect(0, b"a b\n", b"");
    ibex_cmd(&["false"]).expect(1, b"", b"");
}

#[test]
fn unknown_applet_is_127() {
    ibex_cmd(&["nope"]).expect(127, b"", b"ibex: applet not found: nope\n");
    ibex_cmd(&["--nope"]).expect(127, b"", b"ibex: applet not found: --nope\n");
    let d = Dir::new();
    let link = d.p("frobnicate");
    std::os::unix::fs::symlink(ibex(), &link).unwrap();
    let o = Command::new(&link).output().unwrap();
    assert_eq!(o.status.code(), Some(127));
    assert_eq!(o.stderr, b"ibex: applet not found: frobnicate\n");
}

#[test]
fn answers_to_the_name_busybox() {
    let d = Dir::new();
    let link = d.p("busybox");
    std::os::unix::fs::symlink(ibex(), &link).unwrap();
    let o = Command::new(&link)
        .args(["echo", "via", "busybox"])
        .output()
        .unwrap();
    assert_eq!(o.stdout, b"via busybox\n");
    let o = Command::new(&link).output().unwrap();
    let help = String::from_utf8_lossy(&o.stdout);
    assert!(help.contains("Currently defined functions:"));
    // Under that name the banner says what the binary is compatible with.
    let banner = format!(
        "BusyBox compatible: ibex v{} multi-call binary.\n",
        env!("CARGO_PKG_VERSION")
    );
    assert!(help.starts_with(&banner), "{help}");
    // BusyBox shows its banner and usage for a malformed date command line.
    let o = Command::new(&link)
        .args(["date", "-d", "@0", "bar"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(o.stdout.is_empty());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.starts_with(&(banner + "\nUsage: date [-uR]")), "{err}");
    // By its own name it is plain ibex.
    let o = Command::new(ibex()).arg("--help").output().unwrap();
    let own = format!("ibex v{} multi-call binary.\n\n", env!("CARGO_PKG_VERSION"));
    assert!(o.stdout.starts_with(own.as_bytes()));
}

#[test]
fn login_shell_dash_is_ignored() {
    let d = Dir::new();
    let link = d.p("-echo");
    std::os::unix::fs::symlink(ibex(), &link).unwrap();
    let o = Command::new(&link).arg("hi").output().unwrap();
    assert_eq!(o.stdout, b"hi\n");
}

#[test]
fn applet_help_and_bad_option() {
    run("yes", &["--help"]).ok(
        "Usage: yes [STRING]...\n\nRepeatedly output a line with all specified STRING(s), or 'y'\n",
    );
    run("yes", &["--bogus"]).fails(
        1,
        "yes: unrecognized option '--bogus'\nUsage: yes [STRING]...\n",
    );
    run("yes", &["-q"]).fails(1, "yes: invalid option -- 'q'\nUsage: yes [STRING]...\n");
}

#[test]
fn install_requires_dir() {
    ibex_cmd(&["--install"]).expect(1, b"", b"ibex: usage: ibex --install [-s] DIR\n");
    ibex_cmd(&["--install", "-s"]).expect(1, b"", b"ibex: usage: ibex --install [-s] DIR\n");
}

#[test]
fn install_symlinks_are_relative_and_movable() {
    let d = Dir::new();
    let root = d.p("root");
    ibex_cmd(&["--install", "-s", root.to_str().unwrap()]).expect(0, b"", b"");
    let listed = ibex_cmd(&["--list-full"]).out();
    for rel in listed.lines() {
        let link = root.join(rel);
        let target = std::fs::read_link(&link).unwrap();
        assert!(target.is_relative(), "{rel} -> {target:?}");
    }
    assert!(root.join("bin/ibex").is_file());
    // Move the tree; the links still work.
    let moved = d.p("moved");
    std::fs::rename(&root, &moved).unwrap();
    let mut child = Command::new(moved.join("usr/bin/yes"))
        .arg("ok")
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut buf = [0u8; 3];
    std::io::Read::read_exact(child.stdout.as_mut().unwrap(), &mut buf).unwrap();
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(&buf, b"ok\n");
    // Installing again is quiet and idempotent.
    ibex_cmd(&["--install", "-s", moved.to_str().unwrap()]).expect(0, b"", b"");
}

#[test]
fn install_hard_links_and_leaves_foreign_files() {
    let d = Dir::new();
    let root = d.p("root");
    std::fs::create_dir_all(root.join("bin")).unwrap();
    std::fs::write(root.join("bin/echo"), "not ibex").unwrap();
    let o = ibex_cmd(&["--install", root.to_str().unwrap()]).code(0);
    assert_eq!(
        o.err(),
        format!(
            "ibex: {}/bin/echo: exists and is not ibex, left alone\n",
            root.display()
        )
    );
    assert_eq!(std::fs::read(root.join("bin/echo")).unwrap(), b"not ibex");
    use std::os::unix::fs::MetadataExt;
    let a = std::fs::metadata(root.join("bin/true")).unwrap();
    let b = std::fs::metadata(root.join("bin/ibex")).unwrap();
    assert_eq!(a.ino(), b.ino());
    assert!(
        !std::fs::symlink_metadata(root.join("bin/true"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
}
