//! Test harness: run the built ibex through applet symlinks, in a fresh
//! temporary directory, with a fixed environment (C locale, UTC, no COLUMNS).
#![allow(dead_code)]

use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

pub fn ibex() -> &'static Path {
    Path::new(env!("CARGO_BIN_EXE_ibex"))
}

/// A directory of symlinks, one per applet, shared by all tests.
pub fn bin_dir() -> &'static Path {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("ibex-test-bin-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let list = Command::new(ibex()).arg("--list").output().unwrap();
        for name in list.stdout.split(|&b| b == b'\n').filter(|n| !n.is_empty()) {
            std::os::unix::fs::symlink(ibex(), dir.join(OsStr::from_bytes(name))).unwrap();
        }
        dir
    })
}

pub fn is_root() -> bool {
    // SAFETY-free check: root owns /proc/self/status's Uid line 0.
    std::fs::read_to_string("/proc/self/status")
        .map(|s| {
            s.lines()
                .any(|l| l.starts_with("Uid:") && l.split_whitespace().nth(2) == Some("0"))
        })
        .unwrap_or(false)
}

/// Print why a test is skipped; returns true when it must be.
pub fn skip_unless_root(what: &str) -> bool {
    if is_root() {
        return false;
    }
    eprintln!("SKIPPED {what}: needs root");
    true
}

/// A scratch directory that is removed when dropped.
pub struct Dir {
    pub path: PathBuf,
}

impl Dir {
    pub fn new() -> Dir {
        static N: AtomicUsize = AtomicUsize::new(0);
        let n = N.fetch_add(1, Ordering::SeqCst);
        let path = std::env::temp_dir().join(format!("ibex-t-{}-{}", std::process::id(), n));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).unwrap();
        Dir { path }
    }

    pub fn p(&self, rel: &str) -> PathBuf {
        self.path.join(rel)
    }

    /// Write a file, creating parent directories.
    pub fn write(&self, rel: &str, data: impl AsRef<[u8]>) -> PathBuf {
        let p = self.p(rel);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::write(&p, data).unwrap();
        p
    }

    pub fn mkdir(&self, rel: &str) -> PathBuf {
        let p = self.p(rel);
        std::fs::create_dir_all(&p).unwrap();
        p
    }

    pub fn read(&self, rel: &str) -> Vec<u8> {
        std::fs::read(self.p(rel)).unwrap()
    }

    pub fn exists(&self, rel: &str) -> bool {
        self.p(rel).symlink_metadata().is_ok()
    }

    /// Run an applet with this directory as the working directory.
    pub fn run(&self, applet: &str, args: &[&str]) -> Run {
        let mut r = run(applet, args);
        r.cmd.current_dir(&self.path);
        r
    }

    /// Run a /bin/sh script here with the applets first in PATH; `$B` is
    /// the applet directory, to get past the shell's own builtins.
    pub fn sh(&self, script: &str) -> Run {
        let mut r = Run::new(Command::new("/bin/sh"));
        r.cmd
            .arg("-c")
            .arg(script)
            .current_dir(&self.path)
            .env("B", bin_dir());
        r
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        // Make everything writable so removal cannot fail on modes tests set.
        let _ = Command::new("chmod")
            .arg("-R")
            .arg("u+rwx")
            .arg(&self.path)
            .status();
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

pub struct Run {
    pub cmd: Command,
    stdin: Option<Vec<u8>>,
}

/// Run an applet through its symlink.
pub fn run(applet: &str, args: &[&str]) -> Run {
    let mut cmd = Command::new(bin_dir().join(applet));
    cmd.args(args);
    Run::new(cmd)
}

impl Run {
    fn new(mut cmd: Command) -> Run {
        let path = format!("{}:/usr/bin:/bin:/usr/sbin:/sbin", bin_dir().display());
        cmd.env_clear()
            .env("PATH", path)
            .env("LC_ALL", "C")
            .env("TZ", "UTC")
            .env("HOME", "/root");
        Run { cmd, stdin: None }
    }

    pub fn stdin(mut self, data: impl AsRef<[u8]>) -> Run {
        self.stdin = Some(data.as_ref().to_vec());
        self
    }

    pub fn env(mut self, k: &str, v: impl AsRef<OsStr>) -> Run {
        self.cmd.env(k, v);
        self
    }

    pub fn args_os(mut self, a: &[&OsStr]) -> Run {
        self.cmd.args(a);
        self
    }

    pub fn go(mut self) -> Out {
        self.cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
        self.cmd.stdin(if self.stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        });
        let mut child = self.cmd.spawn().unwrap();
        if let Some(data) = self.stdin.take() {
            let mut stdin = child.stdin.take().unwrap();
            std::thread::spawn(move || {
                use std::io::Write;
                let _ = stdin.write_all(&data);
            });
        }
        let o = child.wait_with_output().unwrap();
        Out {
            code: o.status.code().unwrap_or(-1),
            stdout: o.stdout,
            stderr: o.stderr,
        }
    }

    /// Expect success with exactly this stdout and nothing on stderr.
    pub fn ok(self, stdout: impl AsRef<[u8]>) -> Out {
        let o = self.go();
        o.expect(0, stdout.as_ref(), b"");
        o
    }

    /// Expect failure with this status and stderr; stdout empty.
    pub fn fails(self, code: i32, stderr: impl AsRef<[u8]>) -> Out {
        let o = self.go();
        o.expect(code, b"", stderr.as_ref());
        o
    }
}

#[derive(Debug)]
pub struct Out {
    pub code: i32,
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
}

impl Out {
    pub fn expect(&self, code: i32, stdout: &[u8], stderr: &[u8]) {
        let show = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
        assert_eq!(
            (self.code, show(&self.stdout), show(&self.stderr)),
            (code, show(stdout), show(stderr)),
            "(status, stdout, stderr)"
        );
    }

    pub fn out(&self) -> String {
        String::from_utf8_lossy(&self.stdout).into_owned()
    }

    pub fn err(&self) -> String {
        String::from_utf8_lossy(&self.stderr).into_owned()
    }

    /// Assert the status only, returning self for more checks.
    pub fn code(self, code: i32) -> Out {
        assert_eq!(self.code, code, "status; stderr: {}", self.err());
        self
    }
}
