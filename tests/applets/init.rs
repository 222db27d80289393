//! init (container and system mode), halt/poweroff/reboot, kill.
//!
//! SAFETY: everything that signals PID 1, kills process groups or all
//! processes, or calls reboot(2) runs inside a fresh PID and mount namespace
//! (`ns()`: `unshare --pid --mount --fork --mount-proc --kill-child`), never
//! against the host. Those tests need root and are skipped without it.
//! Every wait has a deadline; a process still running at the end of a test
//! is killed (and with it its namespace).

use crate::harness::*;
use std::ffi::OsStr;
use std::io::{Read, Write};
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const LIMIT: Duration = Duration::from_secs(20);

fn applet(name: &str) -> PathBuf {
    bin_dir().join(name)
}

fn a(name: &str) -> String {
    applet(name).display().to_string()
}

/// The environment the harness gives every command.
fn clean_env(cmd: &mut Command) {
    let path = format!("{}:/usr/bin:/bin:/usr/sbin:/sbin", bin_dir().display());
    cmd.env_clear()
        .env("PATH", path)
        .env("LC_ALL", "C")
        .env("TZ", "UTC")
        .env("HOME", "/root");
}

/// Whether namespace tests can run here; prints why not.
fn can_use_namespaces(what: &str) -> bool {
    if skip_unless_root(what) {
        return false;
    }
    let ok = Command::new("unshare")
        .args([
            "--pid",
            "--mount",
            "--fork",
            "--mount-proc",
            "--kill-child",
            "true",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        eprintln!("SKIPPED {what}: cannot create PID/mount namespaces with unshare");
    }
    ok
}

/// A command run as PID 1 of a new PID namespace with its own mount
/// namespace and /proc.
fn ns<S: AsRef<OsStr>>(args: &[S]) -> Command {
    let mut cmd = Command::new("unshare");
    cmd.args(["--pid", "--mount", "--fork", "--mount-proc", "--kill-child"]);
    cmd.args(args);
    clean_env(&mut cmd);
    cmd
}

/// `ns` running a /bin/sh script as PID 1 (for halt, kill, mounts).
fn ns_sh(script: &str) -> Command {
    ns(&["/bin/sh", "-c", script])
}

/// A running process whose output is collected as it comes.
struct Proc {
    child: Child,
    out: Arc<Mutex<Vec<u8>>>,
    err: Arc<Mutex<Vec<u8>>>,
    start: Instant,
}

struct Ended {
    status: ExitStatus,
    out: String,
    err: String,
    elapsed: Duration,
}

impl Ended {
    fn code(&self) -> Option<i32> {
        self.status.code()
    }
    fn signal(&self) -> Option<i32> {
        self.status.signal()
    }
}

fn collect(mut r: impl Read + Send + 'static) -> Arc<Mutex<Vec<u8>>> {
    let buf = Arc::new(Mutex::new(Vec::new()));
    let b = buf.clone();
    std::thread::spawn(move || {
        let mut chunk = [0u8; 4096];
        while let Ok(n) = r.read(&mut chunk) {
            if n == 0 {
                break;
            }
            b.lock().unwrap().extend_from_slice(&chunk[..n]);
        }
    });
    buf
}

impl Proc {
    fn spawn(mut cmd: Command) -> Proc {
        cmd.stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .process_group(0);
        let mut child = cmd.spawn().expect("spawn");
        let out = collect(child.stdout.take().unwrap());
        let err = collect(child.stderr.take().unwrap());
        Proc {
            child,
            out,
            err,
            start: Instant::now(),
        }
    }

    fn pid(&self) -> i32 {
        self.child.id() as i32
    }

    fn stdin(&mut self) -> &mut ChildStdin {
        self.child.stdin.as_mut().unwrap()
    }

    fn out(&self) -> String {
        String::from_utf8_lossy(&self.out.lock().unwrap()).into_owned()
    }

    fn err(&self) -> String {
        String::from_utf8_lossy(&self.err.lock().unwrap()).into_owned()
    }

    /// Wait until stdout contains `needle`.
    fn wait_out(&mut self, needle: &str) {
        let deadline = Instant::now() + LIMIT;
        while !self.out().contains(needle) {
            if Instant::now() > deadline || self.child.try_wait().unwrap().is_some() {
                std::thread::sleep(Duration::from_millis(50));
                if self.out().contains(needle) {
                    return;
                }
                self.kill();
                panic!(
                    "never saw {needle:?}\nstdout: {}\nstderr: {}",
                    self.out(),
                    self.err()
                );
            }
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    fn signal(&self, sig: i32) {
        ibex::sys::kill(self.pid(), sig).unwrap();
    }

    /// SIGKILL for the process and every descendant (those of a PID
    /// namespace too), so nothing a test started outlives it.
    fn kill(&mut self) {
        for _ in 0..2 {
            let mut all = vec![self.pid()];
            let mut i = 0;
            while let Some(&pid) = all.get(i) {
                all.extend(children(pid));
                i += 1;
            }
            for pid in all {
                let _ = ibex::sys::kill(pid, libc::SIGKILL);
            }
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Wait for the end (at most LIMIT), then for the output to drain.
    fn finish(mut self) -> Ended {
        drop(self.child.stdin.take());
        let deadline = self.start + LIMIT;
        let status = loop {
            if let Some(s) = self.child.try_wait().unwrap() {
                break s;
            }
            if Instant::now() > deadline {
                self.kill();
                panic!("timed out\nstdout: {}\nstderr: {}", self.out(), self.err());
            }
            std::thread::sleep(Duration::from_millis(2));
        };
        let elapsed = self.start.elapsed();
        // The readers end when every writer (the whole namespace) is gone.
        let drain = Instant::now() + Duration::from_secs(2);
        while Arc::strong_count(&self.out) > 1 || Arc::strong_count(&self.err) > 1 {
            if Instant::now() > drain {
                break;
            }
            std::thread::sleep(Duration::from_millis(2));
        }
        Ended {
            status,
            out: self.out(),
            err: self.err(),
            elapsed,
        }
    }
}

impl Drop for Proc {
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            self.kill();
        }
    }
}

fn go(cmd: Command) -> Ended {
    Proc::spawn(cmd).finish()
}

fn init_cmd(args: &[&str]) -> Command {
    let mut cmd = Command::new(applet("init"));
    cmd.args(args);
    clean_env(&mut cmd);
    cmd
}

const WARNING: &str = "init: warning: not running as PID 1 and isn't registered as a child \
subreaper.\nZombie processes will not be re-parented to init, so zombie reaping won't work.\n\
To fix the problem, use the -s option or set the environment variable TINI_SUBREAPER to \
register init as a child subreaper, or run init as PID 1.\n";

// ---------------------------------------------------------------- container mode

#[test]
fn container_exit_status() {
    for (script, code) in [
        ("exit 0", 0),
        ("exit 1", 1),
        ("exit 3", 3),
        ("exit 255", 255),
        ("kill -TERM $$", 143),
        ("kill -KILL $$", 137),
        ("kill -USR1 $$", 138),
    ] {
        let e = go(init_cmd(&["-s", "--", "sh", "-c", script]));
        assert_eq!(
            (e.code(), e.out.as_str(), e.err.as_str()),
            (Some(code), "", ""),
            "{script}"
        );
    }
    // Without --: options stop at the command.
    let e = go(init_cmd(&["-s", "sh", "-c", "echo $0 $1", "-x"]));
    assert_eq!((e.code(), e.out.as_str()), (Some(0), "-x\n"));
    let e = go(init_cmd(&["-s", "echo", "hi", "-e"]));
    assert_eq!((e.code(), e.out.as_str()), (Some(0), "hi -e\n"));
}

#[test]
fn container_exec_failure() {
    let d = Dir::new();
    d.write("plain", "not a program\n");
    let e = go(init_cmd(&["-s", "/nonexistent/cmd"]));
    assert_eq!(e.code(), Some(127));
    assert_eq!(
        e.err,
        "init: can't execute '/nonexistent/cmd': No such file or directory\n"
    );
    let plain = d.p("plain").display().to_string();
    let e = go(init_cmd(&["-s", &plain]));
    assert_eq!(e.code(), Some(126));
    assert_eq!(
        e.err,
        format!("init: can't execute '{plain}': Permission denied\n")
    );
}

#[test]
fn container_remaps_exit_codes() {
    for (args, code) in [
        (&["-e", "3", "sh", "-c", "exit 3"][..], 0),
        (&["-e", "3", "sh", "-c", "exit 4"][..], 4),
        (&["-e", "3", "-e", "4", "sh", "-c", "exit 4"][..], 0),
        (&["-e", "143", "sh", "-c", "kill $$"][..], 0),
        (&["-e0", "sh", "-c", "exit 0"][..], 0),
        (&["-e", "255", "sh", "-c", "exit 255"][..], 0),
    ] {
        let mut v = vec!["-s"];
        v.extend_from_slice(args);
        let e = go(init_cmd(&v));
        assert_eq!((e.code(), e.err.as_str()), (Some(code), ""), "{args:?}");
    }
}

#[test]
fn container_bad_usage() {
    let cases: &[(&[&str], &str)] = &[
        (&["-e", "256", "true"], "init: invalid exit code '256'\n"),
        (&["-e", "x", "true"], "init: invalid exit code 'x'\n"),
        (&["-e", "-1", "true"], "init: invalid exit code '-1'\n"),
        (&["-p", "FOO", "true"], "init: invalid signal 'FOO'\n"),
        (&["-p", "0", "true"], "init: invalid signal '0'\n"),
        (
            &["-x", "true"],
            "init: invalid option -- 'x'\nUsage: init [-sgvw] [-e CODE]... [-p SIG] [--] [CMD [ARG]...]\n",
        ),
        (&[], "init: must be run as PID 1\n"),
        (&["-s"], "init: must be run as PID 1\n"),
    ];
    for (args, err) in cases {
        let e = go(init_cmd(args));
        assert_eq!(
            (e.code(), e.out.as_str(), e.err.as_str()),
            (Some(1), "", *err),
            "{args:?}"
        );
    }
    let e = go(init_cmd(&["--help"]));
    assert_eq!(e.code(), Some(0));
    assert!(e.out.starts_with("Usage: init [-sgvw]"), "{}", e.out);
}

#[test]
fn container_warns_when_it_cannot_reap() {
    let e = go(init_cmd(&["true"]));
    assert_eq!((e.code(), e.err.as_str()), (Some(0), WARNING));
    let e = go(init_cmd(&["--", "sh", "-c", "exit 5"]));
    assert_eq!((e.code(), e.err.as_str()), (Some(5), WARNING));
    // TINI_SUBREAPER (even empty) registers; TINI_VERBOSITY=0 is quiet.
    let mut c = init_cmd(&["true"]);
    c.env("TINI_SUBREAPER", "");
    let e = go(c);
    assert_eq!((e.code(), e.err.as_str()), (Some(0), ""));
    let mut c = init_cmd(&["true"]);
    c.env("TINI_VERBOSITY", "0");
    let e = go(c);
    assert_eq!((e.code(), e.err.as_str()), (Some(0), ""));
}

#[test]
fn container_verbose_messages() {
    let e = go(init_cmd(&["-s", "-v", "sh", "-c", "exit 2"]));
    assert_eq!(e.code(), Some(2));
    let lines: Vec<&str> = e.err.lines().collect();
    assert_eq!(lines.len(), 2, "{}", e.err);
    assert!(lines[0].starts_with("init: spawned child process 'sh' with pid "));
    assert_eq!(
        lines[1],
        "init: main child exited normally (with status '2')"
    );
    let e = go(init_cmd(&["-s", "-v", "sh", "-c", "kill -HUP $$"]));
    assert_eq!(e.code(), Some(129));
    assert!(
        e.err
            .ends_with("init: main child exited with signal (with signal 'SIGHUP')\n"),
        "{}",
        e.err
    );
    let mut c = init_cmd(&["-s", "true"]);
    c.env("TINI_VERBOSITY", "3");
    let e = go(c);
    assert!(
        e.err.starts_with("init: registered as a child subreaper\n"),
        "{}",
        e.err
    );
    assert!(e.err.contains("init: reaped child with pid "), "{}", e.err);
}

/// A script that reports each signal it gets; TERM ends it.
const TRAPS: &str = "for s in HUP INT QUIT USR1 USR2 PIPE ALRM WINCH CONT URG PWR TSTP XCPU \
    XFSZ VTALRM PROF IO 40; do trap \"echo got $s\" $s; done
trap 'echo got TERM; exit 0' TERM
echo ready
while :; do sleep 0.01; done";

#[test]
fn container_forwards_signals() {
    let mut p = Proc::spawn(init_cmd(&["-s", "--", "sh", "-c", TRAPS]));
    p.wait_out("ready\n");
    let sigs = [
        ("HUP", libc::SIGHUP),
        ("INT", libc::SIGINT),
        ("QUIT", libc::SIGQUIT),
        ("USR1", libc::SIGUSR1),
        ("USR2", libc::SIGUSR2),
        ("PIPE", libc::SIGPIPE),
        ("ALRM", libc::SIGALRM),
        ("WINCH", libc::SIGWINCH),
        ("CONT", libc::SIGCONT),
        ("URG", libc::SIGURG),
        ("PWR", libc::SIGPWR),
        ("TSTP", libc::SIGTSTP),
        ("XCPU", libc::SIGXCPU),
        ("XFSZ", libc::SIGXFSZ),
        ("VTALRM", libc::SIGVTALRM),
        ("PROF", libc::SIGPROF),
        ("IO", libc::SIGIO),
        ("40", 40),
    ];
    for (name, sig) in sigs {
        p.signal(sig);
        p.wait_out(&format!("got {name}\n"));
    }
    p.signal(libc::SIGTERM);
    let e = p.finish();
    assert_eq!((e.code(), e.err.as_str()), (Some(0), ""));
    let expected: String = std::iter::once("ready\n".to_string())
        .chain(sigs.iter().map(|(n, _)| format!("got {n}\n")))
        .chain(std::iter::once("got TERM\n".to_string()))
        .collect();
    assert_eq!(e.out, expected);
}

#[test]
fn container_signal_kills_child() {
    for (sig, code) in [
        (libc::SIGTERM, 143),
        (libc::SIGINT, 130),
        (libc::SIGHUP, 129),
    ] {
        let mut p = Proc::spawn(init_cmd(&["-s", "sh", "-c", "echo ready; exec sleep 30"]));
        p.wait_out("ready\n");
        // exec may not have happened yet: wait until sleep runs.
        std::thread::sleep(Duration::from_millis(100));
        p.signal(sig);
        let e = p.finish();
        assert_eq!(e.code(), Some(code));
        assert!(e.elapsed < Duration::from_secs(10));
    }
}

#[test]
fn container_keeps_ignored_signals_and_mask() {
    // CMD sees the signal state init started with (SIGINT ignored here),
    // not init's own (everything blocked, TTIN/TTOU ignored).
    let grep = ["grep", "-E", "^Sig(Blk|Ign)", "/proc/self/status"];
    let mut args = vec!["-s"];
    args.extend_from_slice(&grep);
    let mut c = init_cmd(&args);
    with_sigint_ignored(&mut c);
    let e = go(c);
    // The same command started without init.
    let mut direct = Command::new(grep[0]);
    direct.args(&grep[1..]);
    with_sigint_ignored(&mut direct);
    let want = go(direct);
    assert!(
        want.out.contains("SigBlk:\t0000000000000000\n"),
        "{}",
        want.out
    );
    assert_eq!(
        (e.code(), e.out.as_str()),
        (Some(0), want.out.as_str()),
        "{}",
        e.err
    );
}

#[test]
fn container_with_sigchld_ignored() {
    // Started with SIGCHLD ignored, init must still see CMD's status (and
    // CMD gets SIGCHLD ignored, as init got it).
    let mut c = Command::new("/usr/bin/env");
    c.args(["--ignore-signal=CHLD", "true"]);
    if !go(c).status.success() {
        eprintln!("SKIPPED container_with_sigchld_ignored: env has no --ignore-signal");
        return;
    }
    let ignoring = |args: &[&str]| {
        let mut c = Command::new("/usr/bin/env");
        c.arg("--ignore-signal=CHLD").arg(applet("init")).args(args);
        clean_env(&mut c);
        go(c)
    };
    let e = ignoring(&["-s", "sh", "-c", "exit 3"]);
    assert_eq!((e.code(), e.err.as_str()), (Some(3), ""));
    let e = ignoring(&["-s", "grep", "SigIgn", "/proc/self/status"]);
    assert_eq!(e.code(), Some(0));
    let ign = e.out.trim().trim_start_matches("SigIgn:").trim();
    assert_eq!(
        u64::from_str_radix(ign, 16).unwrap() & 0x10000,
        0x10000,
        "{}",
        e.out
    );
}

/// Start the command with SIGINT ignored, through /bin/sh's `trap '' INT`.
fn with_sigint_ignored(c: &mut Command) {
    let prog = c.get_program().to_owned();
    let args: Vec<_> = c.get_args().map(|a| a.to_owned()).collect();
    let mut sh = Command::new("/bin/sh");
    sh.arg("-c")
        .arg("trap '' INT; exec \"$@\"")
        .arg("sh")
        .arg(prog)
        .args(args);
    clean_env(&mut sh);
    *c = sh;
}

#[test]
fn container_process_group() {
    // The child traps USR1 and waits for a sleep; only when the signal
    // goes to the whole group does the sleep die at once.
    let script = "trap 'echo parent got USR1' USR1; echo ready; sleep 30; echo sleep ended";
    let mut p = Proc::spawn(init_cmd(&["-s", "-g", "sh", "-c", script]));
    p.wait_out("ready\n");
    std::thread::sleep(Duration::from_millis(100));
    p.signal(libc::SIGUSR1);
    let e = p.finish();
    assert_eq!(e.code(), Some(0));
    assert_eq!(e.out, "ready\nparent got USR1\nsleep ended\n");
    assert!(e.elapsed < Duration::from_secs(10));

    let mut c = init_cmd(&["-s", "sh", "-c", script]);
    c.env("TINI_KILL_PROCESS_GROUP", "1");
    let mut p = Proc::spawn(c);
    p.wait_out("ready\n");
    std::thread::sleep(Duration::from_millis(100));
    p.signal(libc::SIGUSR1);
    let e = p.finish();
    assert_eq!(e.out, "ready\nparent got USR1\nsleep ended\n");

    // Without -g only sh gets it, and its trap waits for the sleep.
    let mut p = Proc::spawn(init_cmd(&["-s", "sh", "-c", script]));
    p.wait_out("ready\n");
    std::thread::sleep(Duration::from_millis(100));
    p.signal(libc::SIGUSR1);
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(p.out(), "ready\n");
    p.kill();
}

#[test]
fn container_subreaper_reaps_orphans() {
    // The grandchild is orphaned at once: it must be re-parented to init
    // and reaped by it when it ends.
    let script = "sh -c 'sleep 0.3 & echo $! > pid'; p=$(cat pid); \
        set -- $(cat /proc/$p/stat); [ \"$4\" = \"$PPID\" ] && echo reparented; \
        sleep 0.8; if [ -e /proc/$p ]; then echo left; else echo reaped; fi";
    let d = Dir::new();
    let mut c = init_cmd(&["-s", "sh", "-c", script]);
    c.current_dir(&d.path);
    let e = go(c);
    assert_eq!(
        (e.code(), e.out.as_str(), e.err.as_str()),
        (Some(0), "reparented\nreaped\n", "")
    );
    // -w reports each one.
    let mut c = init_cmd(&["-s", "-w", "sh", "-c", script]);
    c.current_dir(&d.path);
    let e = go(c);
    assert_eq!(e.out, "reparented\nreaped\n");
    assert!(
        e.err.starts_with("init: reaped zombie process with pid=") && e.err.lines().count() == 1,
        "{}",
        e.err
    );
}

#[test]
fn container_parent_death_signal() {
    // The middle shell starts init -p SIGUSR1 and exits once the child is
    // ready: init gets USR1 and passes it on.
    let d = Dir::new();
    let child = "trap 'echo ok > result; exit 0' USR1; touch ready; while :; do sleep 0.01; done";
    let middle = format!(
        "{} -s -p SIGUSR1 -- sh -c \"{child}\" & \
         n=0; while [ ! -e ready ] && [ $n -lt 500 ]; do sleep 0.01; n=$((n+1)); done; exit 0",
        a("init")
    );
    let mut c = Command::new("/bin/sh");
    c.arg("-c").arg(&middle).current_dir(&d.path);
    clean_env(&mut c);
    let e = go(c);
    assert_eq!(e.code(), Some(0));
    let deadline = Instant::now() + LIMIT;
    while !(d.exists("result") && d.read("result") == b"ok\n") {
        assert!(Instant::now() < deadline, "no parent death signal");
        std::thread::sleep(Duration::from_millis(10));
    }
}

#[test]
fn container_as_pid1() {
    if !can_use_namespaces("container_as_pid1") {
        return;
    }
    let init = a("init");
    // Exit status, no warning (PID 1 reaps).
    let e = go(ns(&[&init, "--", "sh", "-c", "exit 7"]));
    assert_eq!((e.code(), e.err.as_str()), (Some(7), ""));
    // Orphans re-parented to PID 1 are reaped: no zombie is left.
    let script = "sh -c 'sleep 0.1 & sleep 0.1 &'; sleep 0.6; \
        grep -l '^State:.*Z' /proc/[0-9]*/status | wc -l";
    let e = go(ns(&[&init, "sh", "-c", script]));
    assert_eq!((e.code(), e.out.trim(), e.err.as_str()), (Some(0), "0", ""));
    // A signal sent to PID 1 from inside reaches the child.
    let script = "trap 'echo got TERM; exit 4' TERM; kill -TERM 1; while :; do sleep 0.01; done";
    let e = go(ns(&[&init, "sh", "-c", script]));
    assert_eq!(
        (e.code(), e.out.as_str(), e.err.as_str()),
        (Some(4), "got TERM\n", "")
    );
    // And from outside, to the namespace's init.
    let mut p = Proc::spawn(ns(&[&init, "sh", "-c", TRAPS]));
    p.wait_out("ready\n");
    let init_pid = ns_child(p.pid());
    for (name, sig) in [
        ("HUP", libc::SIGHUP),
        ("USR1", libc::SIGUSR1),
        ("WINCH", libc::SIGWINCH),
    ] {
        ibex::sys::kill(init_pid, sig).unwrap();
        p.wait_out(&format!("got {name}\n"));
    }
    ibex::sys::kill(init_pid, libc::SIGTERM).unwrap();
    let e = p.finish();
    assert_eq!(e.code(), Some(0));
    assert!(e.out.ends_with("got WINCH\ngot TERM\n"), "{}", e.out);
}

/// The children of a process.
fn children(pid: i32) -> Vec<i32> {
    std::fs::read_to_string(format!("/proc/{pid}/task/{pid}/children"))
        .unwrap_or_default()
        .split_whitespace()
        .filter_map(|p| p.parse().ok())
        .collect()
}

/// The process `unshare` forked: the namespace's PID 1, seen from here.
fn ns_child(unshare: i32) -> i32 {
    let deadline = Instant::now() + LIMIT;
    loop {
        let path = format!("/proc/{unshare}/task/{unshare}/children");
        if let Ok(s) = std::fs::read_to_string(&path)
            && let Some(pid) = s.split_whitespace().next()
        {
            return pid.parse().unwrap();
        }
        assert!(Instant::now() < deadline, "no child of unshare");
        std::thread::sleep(Duration::from_millis(5));
    }
}

// ---------------------------------------------------------------- system mode

/// A scratch directory with an inittab whose `$D`s name the directory and
/// `$B`s the applet directory.
struct Sys {
    d: Dir,
}

impl Sys {
    fn new(inittab: &str) -> Sys {
        let d = Dir::new();
        let text = inittab
            .replace("$D", &d.path.display().to_string())
            .replace("$B", &bin_dir().display().to_string());
        d.write("inittab", text);
        Sys { d }
    }

    fn cmd(&self, args: &[&str]) -> Command {
        let init = a("init");
        let mut v = vec![init.as_str()];
        v.extend_from_slice(args);
        let mut c = ns(&v);
        c.env("IBEX_INITTAB", self.d.p("inittab"));
        c
    }

    fn log(&self) -> String {
        if self.d.exists("log") {
            String::from_utf8(self.d.read("log")).unwrap()
        } else {
            String::new()
        }
    }
}

const STARTED: &str = "init: ibex init started\n";

fn shutdown_messages(what: &str) -> String {
    format!(
        "init: The system is going down NOW!\ninit: Sent SIGTERM to all processes\n\
         init: Requesting system {what}\n"
    )
}

#[test]
fn system_runs_inittab_in_order() {
    if !can_use_namespaces("system_runs_inittab_in_order") {
        return;
    }
    let s = Sys::new(
        "# comment line\n\
         ::sysinit:/bin/sh -c 'echo s1 >> $D/log'\n\
         ::sysinit:/bin/sh -c 'sleep 0.2; echo s2 >> $D/log'\n\
         \n\
         ::wait:/bin/sh -c 'sleep 0.1; echo w1 >> $D/log'\n\
         ::once:/bin/sh -c 'echo o1 >> $D/log; sleep 0.1; $B/poweroff -n'\n\
         ::respawn:sleep 100\n\
         ::once:$B/echo o2 # the rest is a comment\n\
         ::shutdown:/bin/sh -c 'echo sd1 >> $D/log'\n\
         ::shutdown:/bin/sh -c 'echo sd2 >> $D/log'\n\
         ::bogus:x\n",
    );
    let e = go(s.cmd(&[]));
    assert_eq!(e.signal(), Some(libc::SIGINT), "{}", e.err);
    assert_eq!(s.log(), "s1\ns2\nw1\no1\nsd1\nsd2\n");
    assert_eq!(e.out, "o2\n");
    assert_eq!(
        e.err,
        format!(
            "{STARTED}init: bad inittab entry at line 11\n{}",
            shutdown_messages("poweroff")
        )
    );
    // No fixed pauses: everything ends on SIGTERM at once.
    assert!(e.elapsed < Duration::from_millis(2500), "{:?}", e.elapsed);
}

#[test]
fn system_halt_poweroff_reboot() {
    if !can_use_namespaces("system_halt_poweroff_reboot") {
        return;
    }
    for (how, sig, what) in [
        ("$B/poweroff -n", libc::SIGINT, "poweroff"),
        ("$B/halt", libc::SIGINT, "halt"),
        ("$B/reboot -n", libc::SIGHUP, "reboot"),
        ("$B/kill -USR1 1", libc::SIGINT, "halt"),
        ("$B/kill -USR2 1", libc::SIGINT, "poweroff"),
        ("$B/kill -TERM 1", libc::SIGHUP, "reboot"),
        ("$B/poweroff -d 0.2 -n", libc::SIGINT, "poweroff"),
    ] {
        let s = Sys::new(&format!(
            "::once:{how}\n::shutdown:/bin/sh -c 'echo down >> $D/log'\n::respawn:sleep 50\n"
        ));
        let e = go(s.cmd(&[]));
        assert_eq!(e.signal(), Some(sig), "{how}: {}", e.err);
        assert_eq!(
            e.err,
            format!("{STARTED}{}", shutdown_messages(what)),
            "{how}"
        );
        assert_eq!(s.log(), "down\n", "{how}");
    }
}

#[test]
fn system_kills_stragglers_after_grace_period() {
    if !can_use_namespaces("system_kills_stragglers_after_grace_period") {
        return;
    }
    let s = Sys::new(
        "::once:/bin/sh -c \"trap '' TERM HUP; echo up > $D/log; sleep 60; echo survived >> $D/log\"\n\
         ::once:/bin/sh -c 'sleep 0.2; $B/poweroff -n'\n",
    );
    let e = go(s.cmd(&[]));
    assert_eq!(e.signal(), Some(libc::SIGINT));
    assert_eq!(
        e.err,
        format!(
            "{STARTED}init: The system is going down NOW!\ninit: Sent SIGTERM to all processes\n\
             init: Sent SIGKILL to all processes\ninit: Requesting system poweroff\n"
        )
    );
    assert_eq!(s.log(), "up\n");
    assert!(e.elapsed >= Duration::from_secs(3), "{:?}", e.elapsed);
    assert!(e.elapsed < Duration::from_secs(8), "{:?}", e.elapsed);
}

#[test]
fn system_respawn_throttles() {
    if !can_use_namespaces("system_respawn_throttles") {
        return;
    }
    // `fast` dies at once: restarts after 1 s, then 2 s. `slow` lives 1.2 s:
    // restarts at once each time.
    let s = Sys::new(
        "::respawn:/bin/sh -c 'cut -d\" \" -f1 /proc/uptime >> $D/fast'\n\
         ::respawn:/bin/sh -c 'echo x >> $D/slow; sleep 1.2'\n\
         ::once:/bin/sh -c 'sleep 4.5; $B/poweroff -n'\n",
    );
    let e = go(s.cmd(&[]));
    assert_eq!(e.signal(), Some(libc::SIGINT));
    let times: Vec<f64> = String::from_utf8(s.d.read("fast"))
        .unwrap()
        .lines()
        .map(|l| l.parse().unwrap())
        .collect();
    assert_eq!(times.len(), 3, "{times:?}");
    assert!(times[1] - times[0] >= 0.95, "{times:?}");
    assert!(times[2] - times[1] >= 1.95, "{times:?}");
    let slow = s.d.read("slow").len() / 2;
    assert!(slow >= 3, "slow ran {slow} times");
    let fast = "init: '/bin/sh -c 'cut -d\" \" -f1 /proc/uptime >> ";
    let throttled: Vec<&str> = e.err.lines().filter(|l| l.starts_with(fast)).collect();
    assert_eq!(throttled.len(), 3, "{}", e.err);
    assert!(
        throttled[0].ends_with("' respawning too fast: waiting 1 s"),
        "{}",
        e.err
    );
    assert!(
        throttled[1].ends_with("' respawning too fast: waiting 2 s"),
        "{}",
        e.err
    );
    assert!(
        throttled[2].ends_with("' respawning too fast: waiting 4 s"),
        "{}",
        e.err
    );
}

#[test]
fn system_ctrlaltdel() {
    if !can_use_namespaces("system_ctrlaltdel") {
        return;
    }
    let s = Sys::new(
        "::ctrlaltdel:/bin/sh -c 'sleep 0.1; echo cad >> $D/log'\n\
         ::once:/bin/sh -c '$B/kill -INT 1; sleep 0.5; echo after >> $D/log; $B/halt -n'\n",
    );
    let e = go(s.cmd(&[]));
    assert_eq!(e.signal(), Some(libc::SIGINT));
    assert_eq!(s.log(), "cad\nafter\n");
    assert_eq!(e.err, format!("{STARTED}{}", shutdown_messages("halt")));
    // The default is a reboot through init.
    let s = Sys::new("::ctrlaltdel:$B/reboot -n\n::once:$B/kill -INT 1\n");
    let e = go(s.cmd(&[]));
    assert_eq!(e.signal(), Some(libc::SIGHUP), "{}", e.err);
}

#[test]
fn system_restart_reexecutes() {
    if !can_use_namespaces("system_restart_reexecutes") {
        return;
    }
    // First boot: SIGQUIT; the shutdown entries run, then init executes
    // itself again, which boots once more and powers off.
    let s = Sys::new(
        "::sysinit:/bin/sh -c 'echo boot >> $D/log'\n\
         ::once:/bin/sh -c 'if [ -e $D/again ]; then $B/poweroff -n; else touch $D/again; $B/kill -QUIT 1; fi'\n\
         ::respawn:sleep 30\n\
         ::shutdown:/bin/sh -c 'echo down >> $D/log'\n\
         ::restart:$B/init\n",
    );
    let e = go(s.cmd(&[]));
    assert_eq!(e.signal(), Some(libc::SIGINT), "{}", e.err);
    assert_eq!(s.log(), "boot\ndown\nboot\ndown\n");
    let b = bin_dir().display().to_string();
    assert_eq!(
        e.err,
        format!(
            "{STARTED}init: The system is going down NOW!\ninit: Sent SIGTERM to all processes\n\
             init: re-executing '{b}/init'\n{STARTED}{}",
            shutdown_messages("poweroff")
        )
    );
}

#[test]
fn system_reload_on_sighup() {
    if !can_use_namespaces("system_reload_on_sighup") {
        return;
    }
    // `keep` stays (same entry), `old` is removed (its process gets
    // SIGTERM), `new` starts.
    let s = Sys::new(
        "::respawn:/bin/sh -c 'echo keep >> $D/log; exec sleep 30'\n\
         ::respawn:/bin/sh -c 'trap \"echo old-term >> $D/log; exit\" TERM; echo old >> $D/log; sleep 30 & wait'\n\
         ::once:/bin/sh -c 'sleep 0.3; cp $D/inittab2 $D/inittab; $B/kill -HUP 1; sleep 0.5; $B/poweroff -n'\n",
    );
    s.d.write(
        "inittab2",
        format!(
            "::respawn:/bin/sh -c 'echo keep >> {d}/log; exec sleep 30'\n\
             ::respawn:/bin/sh -c 'echo new >> {d}/log; exec sleep 30'\n\
             ::once:/bin/sh -c 'echo once-again >> {d}/log'\n\
             ::shutdown:/bin/sh -c 'echo down >> {d}/log'\n",
            d = s.d.path.display()
        ),
    );
    let e = go(s.cmd(&[]));
    assert_eq!(e.signal(), Some(libc::SIGINT), "{}", e.err);
    let mut log: Vec<String> = s.log().lines().map(String::from).collect();
    // keep and old start in either order, old-term and new too.
    assert_eq!(log.len(), 5, "{log:?}");
    log[..2].sort();
    log[2..4].sort();
    assert_eq!(log, ["keep", "old", "new", "old-term", "down"], "{}", e.err);
}

#[test]
fn system_askfirst_on_a_terminal() {
    if !can_use_namespaces("system_askfirst_on_a_terminal") {
        return;
    }
    if Command::new("script").arg("--version").output().is_err() {
        eprintln!("SKIPPED system_askfirst_on_a_terminal: no script(1)");
        return;
    }
    let s = Sys::new(
        "::askfirst:/bin/sh -c 'echo activated; tty; stty -a | grep -o \"intr = ^C\"; $B/poweroff -n'\n",
    );
    let init = a("init");
    let inner = format!(
        "IBEX_INITTAB={} unshare --pid --mount --fork --mount-proc --kill-child {init}",
        s.d.p("inittab").display()
    );
    let mut c = Command::new("script");
    c.args(["-q", "-e", "-c", &inner, "/dev/null"]);
    clean_env(&mut c);
    let mut p = Proc::spawn(c);
    p.wait_out("Please press Enter to activate this console. ");
    assert!(!p.out().contains("activated"));
    std::thread::sleep(Duration::from_millis(100));
    p.stdin().write_all(b"\r").unwrap();
    p.stdin().flush().unwrap();
    p.wait_out("activated");
    let e = p.finish();
    assert_eq!(e.code(), Some(128 + libc::SIGINT), "{}", e.out);
    let out = e.out.replace('\r', "");
    assert!(
        out.contains("\nPlease press Enter to activate this console. \nactivated\n/dev/pts/"),
        "{out}"
    );
    assert!(out.contains("intr = ^C"), "{out}");
}

#[test]
fn system_default_inittab() {
    if !can_use_namespaces("system_default_inittab") {
        return;
    }
    // No inittab: /etc/init.d/rcS runs, then a shell is offered on the
    // console. A tmpfs over /etc inside the mount namespace holds rcS.
    // The default shutdown entries (umount -a -r, swapoff -a) must never
    // run here: the namespace is only ever ended with SIGKILL, and PATH
    // starts with harmless stand-ins for both, in case.
    let d = Dir::new();
    for fake in ["umount", "swapoff", "reboot"] {
        d.write(
            &format!("fake/{fake}"),
            format!(
                "#!/bin/sh\necho {fake} \"$@\" >> {}\n",
                d.p("fake.log").display()
            ),
        );
        std::fs::set_permissions(
            d.p(&format!("fake/{fake}")),
            std::os::unix::fs::PermissionsExt::from_mode(0o755),
        )
        .unwrap();
    }
    let script = format!(
        "/bin/mount -t tmpfs tmpfs /etc && mkdir /etc/init.d && \
         printf '#!/bin/sh\\necho rcS ran > {log}\\n' > /etc/init.d/rcS && \
         chmod +x /etc/init.d/rcS && exec {init}",
        log = d.p("log").display(),
        init = a("init"),
    );
    let mut c = ns_sh(&script);
    c.env(
        "PATH",
        format!(
            "{}:{}:/usr/bin:/bin:/usr/sbin:/sbin",
            d.p("fake").display(),
            bin_dir().display()
        ),
    );
    let mut p = Proc::spawn(c);
    p.wait_out("\nPlease press Enter to activate this console. ");
    let deadline = Instant::now() + LIMIT;
    while !d.exists("log") && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(5));
    }
    p.kill();
    assert_eq!(d.read("log"), b"rcS ran\n");
    assert!(!d.exists("fake.log"));
}

#[test]
fn system_single_user() {
    if !can_use_namespaces("system_single_user") {
        return;
    }
    // `single` (a kernel argument) gives a shell on the console, not the
    // inittab.
    let s = Sys::new("::sysinit:/bin/sh -c 'echo no >> $D/log'\n");
    let mut p = Proc::spawn(s.cmd(&["single"]));
    let poweroff = a("poweroff");
    p.stdin()
        .write_all(format!("echo single-user $0\n{poweroff} -n\n").as_bytes())
        .unwrap();
    let e = p.finish();
    assert_eq!(e.signal(), Some(libc::SIGINT), "{}", e.err);
    assert!(e.out.contains("single-user -/bin/sh\n"), "{}", e.out);
    assert_eq!(s.log(), "");
    // Other runlevel arguments boot normally.
    let s = Sys::new("::sysinit:/bin/sh -c 'echo yes >> $D/log'\n::once:$B/poweroff -n\n");
    let e = go(s.cmd(&["3"]));
    assert_eq!(e.signal(), Some(libc::SIGINT), "{}", e.err);
    assert_eq!(s.log(), "yes\n");
}

#[test]
fn system_environment_and_console() {
    if !can_use_namespaces("system_environment_and_console") {
        return;
    }
    // What the kernel gives init: almost no environment. init fills in the
    // rest, runs children from /, and $CONSOLE moves stdio to that file.
    let s = Sys::new(
        "::sysinit:/bin/sh -c 'echo \"$HOME|$PATH|$SHELL|$USER|$TERM|$(pwd)\"'\n\
         ::once:$B/poweroff -n\n",
    );
    s.d.write("console", "");
    let mut c = Command::new("/usr/bin/unshare");
    c.args(["--pid", "--mount", "--fork", "--mount-proc", "--kill-child"])
        .arg(applet("init"))
        .env_clear()
        .env("IBEX_INITTAB", s.d.p("inittab"))
        .env("CONSOLE", s.d.p("console"));
    let e = go(c);
    assert_eq!(e.signal(), Some(libc::SIGINT), "{}", e.err);
    assert_eq!((e.out.as_str(), e.err.as_str()), ("", ""));
    assert_eq!(
        String::from_utf8(s.d.read("console")).unwrap(),
        format!(
            "{STARTED}/|/sbin:/usr/sbin:/bin:/usr/bin|/bin/sh|root|linux|/\n{}",
            shutdown_messages("poweroff")
        )
    );
}

#[test]
fn system_exits_when_reboot_is_refused() {
    if !can_use_namespaces("system_exits_when_reboot_is_refused") {
        return;
    }
    // A container without CAP_SYS_BOOT: after the shutdown, init ends
    // with status 0 (which ends the container).
    let s = Sys::new("::once:$B/poweroff -n\n::shutdown:/bin/sh -c 'echo down'\n");
    let init = a("init");
    let mut c = ns(&["setpriv", "--bounding-set=-sys_boot", &init]);
    c.env("IBEX_INITTAB", s.d.p("inittab"));
    let e = go(c);
    assert_eq!(
        (e.code(), e.out.as_str(), e.err.as_str()),
        (
            Some(0),
            "down\n",
            format!(
                "{STARTED}{}init: reboot: Operation not permitted\n",
                shutdown_messages("poweroff")
            )
            .as_str()
        )
    );
}

#[test]
fn system_entry_errors() {
    if !can_use_namespaces("system_entry_errors") {
        return;
    }
    let s = Sys::new(
        "::sysinit:/nonexistent/program arg\n\
         nosuchtty::sysinit:/bin/true\n\
         ::once:$B/poweroff -n\n",
    );
    let e = go(s.cmd(&[]));
    assert_eq!(e.signal(), Some(libc::SIGINT), "{}", e.err);
    assert!(
        e.err
            .contains("init: can't run '/nonexistent/program arg': No such file or directory\n"),
        "{}",
        e.err
    );
    assert!(
        e.err
            .contains("init: can't open /dev/nosuchtty: No such file or directory\n"),
        "{}",
        e.err
    );
}

// ---------------------------------------------------------------- halt

#[test]
fn halt_signals_init() {
    if !can_use_namespaces("halt_signals_init") {
        return;
    }
    // PID 1 is a shell that reports what it gets.
    for (cmd, got) in [
        ("halt", "USR1"),
        ("poweroff", "USR2"),
        ("reboot", "TERM"),
        ("halt -n", "USR1"),
        ("halt extra operand", "USR1"),
    ] {
        let script = format!(
            "for s in USR1 USR2 TERM; do trap \"echo got $s\" $s; done; {}/{cmd}; echo status $?",
            bin_dir().display()
        );
        let e = go(ns_sh(&script));
        assert_eq!(
            (e.code(), e.out.as_str(), e.err.as_str()),
            (Some(0), format!("got {got}\nstatus 0\n").as_str(), ""),
            "{cmd}"
        );
    }
}

#[test]
fn halt_delay_and_wtmp() {
    if !can_use_namespaces("halt_delay_and_wtmp") {
        return;
    }
    let b = bin_dir().display().to_string();
    // -d waits first.
    let e = go(ns_sh(&format!(
        "trap 'echo got USR2' USR2; {b}/poweroff -d 0.5; echo $?"
    )));
    assert_eq!(e.out, "got USR2\n0\n");
    assert!(e.elapsed >= Duration::from_millis(500));
    // -w writes the record only (a tmpfs over /var/log in the namespace).
    let e = go(ns_sh(&format!(
        "trap 'echo got USR1' USR1; /bin/mount -t tmpfs tmpfs /var/log && \
         {b}/halt -w; echo $?; : > /var/log/wtmp; {b}/halt -w; echo $?; {b}/reboot -w; \
         wc -c < /var/log/wtmp; head -c 384 /var/log/wtmp | tr -c 'a-z~' . | grep -o '~~.*shutdown' | head -1"
    )));
    let record = format!("~~{}~~..shutdown", ".".repeat(30));
    assert_eq!(
        (e.out.as_str(), e.err.as_str()),
        (format!("0\n0\n768\n{record}\n").as_str(), "")
    );
}

#[test]
fn halt_force_and_errors() {
    if !can_use_namespaces("halt_force_and_errors") {
        return;
    }
    let b = bin_dir().display().to_string();
    // -f: reboot(2) at once, which ends this PID namespace (its init dies
    // of SIGINT for halt and poweroff, SIGHUP for reboot).
    for (cmd, sig) in [
        ("halt -f", libc::SIGINT),
        ("poweroff -fn", libc::SIGINT),
        ("reboot -f", libc::SIGHUP),
    ] {
        let e = go(ns_sh(&format!(
            "trap 'echo got signal' USR1 USR2 TERM; {b}/{cmd}; echo still here"
        )));
        assert_eq!((e.signal(), e.out.as_str()), (Some(sig), ""), "{cmd}");
    }
    // Not root: neither init nor the kernel listens.
    let e = go(ns_sh(&format!(
        "setpriv --reuid=65534 --regid=65534 --clear-groups {b}/halt; echo $?; \
         setpriv --reuid=65534 --regid=65534 --clear-groups {b}/reboot -f; echo $?"
    )));
    assert_eq!(
        (e.out.as_str(), e.err.as_str()),
        (
            "1\n1\n",
            "halt: Operation not permitted\nreboot: Operation not permitted\n"
        )
    );
    // Bad options and numbers.
    let e = go(ns_sh(&format!(
        "{b}/halt -x; echo $?; {b}/poweroff -d abc; echo $?; {b}/reboot -d; echo $?"
    )));
    assert_eq!(
        (e.out.as_str(), e.err.as_str()),
        (
            "1\n1\n1\n",
            "halt: invalid option -- 'x'\nUsage: halt [-d DELAY] [-nfw]\n\
             poweroff: invalid number 'abc'\n\
             reboot: option requires an argument -- 'd'\nUsage: reboot [-d DELAY] [-nfw]\n"
        )
    );
    let e = go(ns_sh(&format!("{b}/poweroff --help")));
    assert_eq!(e.code(), Some(0));
    assert!(
        e.out
            .starts_with("Usage: poweroff [-d DELAY] [-nfw]\n\nHalt and shut off power\n")
    );
}

// ---------------------------------------------------------------- kill

#[test]
fn kill_lists_signals() {
    let mut all = String::new();
    for (i, n) in [
        "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL", "USR1", "SEGV", "USR2",
        "PIPE", "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU", "URG",
        "XCPU", "XFSZ", "VTALRM", "PROF", "WINCH", "POLL", "PWR", "SYS",
    ]
    .iter()
    .enumerate()
    {
        all.push_str(&format!("{:2}) {n}\n", i + 1));
    }
    run("kill", &["-l"]).ok(&all);
    run("kill", &["--list"]).ok(&all);
    run("kill", &["-l", "9", "TERM", "sigint", "143", "0", "Rtmin"])
        .ok("KILL\n15\n2\nTERM\nEXIT\n35\n");
    run("kill", &["--list=HUP"]).ok("1\n");
    run("kill", &["-l", "40"]).ok("RTMIN+5\n");
    run("kill", &["-l", "9", "foo", "99"]).go().expect(
        1,
        b"KILL\n",
        b"kill: unknown signal 'foo'\nkill: unknown signal '99'\n",
    );
    run("kill", &["-L"]).ok(concat!(
        " 1 HUP      2 INT      3 QUIT     4 ILL      5 TRAP     6 ABRT     7 BUS\n",
        " 8 FPE      9 KILL    10 USR1    11 SEGV    12 USR2    13 PIPE    14 ALRM\n",
        "15 TERM    16 STKFLT  17 CHLD    18 CONT    19 STOP    20 TSTP    21 TTIN\n",
        "22 TTOU    23 URG     24 XCPU    25 XFSZ    26 VTALRM  27 PROF    28 WINCH\n",
        "29 POLL    30 PWR     31 SYS     \n",
    ));
    let o = run("kill", &["--help"]).go();
    assert_eq!(o.code, 0);
    assert!(o.out().starts_with("Usage: kill [-l [SIG|STATUS]...]"));
}

#[test]
fn kill_usage_errors() {
    // None of these sends anything.
    run("kill", &[]).fails(1, "kill: you need to specify whom to kill\n");
    run("kill", &["-9"]).fails(1, "kill: you need to specify whom to kill\n");
    // (A PID that cannot exist, in case a signal went out after all.)
    let none = "2147483647";
    run("kill", &["-FOO", none]).fails(1, "kill: bad signal name 'FOO'\n");
    run("kill", &["-999", none]).fails(1, "kill: bad signal name '999'\n");
    run("kill", &["-s", "BAR", none]).fails(1, "kill: bad signal name 'BAR'\n");
    run("kill", &["-s"]).fails(
        1,
        "kill: option requires an argument -- 's'\nUsage: kill [-l [SIG|STATUS]...] [-L] [-s SIG | -SIG] [-q VALUE] PID...\n",
    );
    run("kill", &["-q", "x", none]).fails(1, "kill: invalid number 'x'\n");
}

#[test]
fn kill_sends_signals() {
    if !can_use_namespaces("kill_sends_signals") {
        return;
    }
    // In a namespace, PID 1 a shell: every form of the signal option, to
    // PIDs and process groups; errors for missing processes.
    let b = bin_dir().display().to_string();
    let script = format!(
        "k={b}/kill
        w() {{ \"$@\" & p=$!; sleep 0.1; }}
        st() {{ wait $p; echo $1 $?; }}
        w sleep 10; $k $p; st default
        w sleep 10; $k -9 $p; st num
        w sleep 10; $k -ALRM $p; st name
        w sleep 10; $k -sigusr1 $p; st signame
        w sleep 10; $k -s HUP $p; st s
        w sleep 10; $k -n 10 $p; st n
        w sleep 10; $k --signal=PIPE $p; st long
        w sleep 10; $k -s 0 $p; echo zero $?; $k -0 $p; echo zero $?; $k -q 5 -USR2 $p; st q
        w /usr/bin/setsid sleep 10; $k -- -$p; st group
        w /usr/bin/setsid sleep 10; $k -KILL -$p; st kill-group
        $k 9999 $p abc; echo errors $?
        $k -0 1; echo init $?"
    );
    let e = go(ns_sh(&script));
    assert_eq!(
        e.out,
        "default 143\nnum 137\nname 142\nsigname 138\ns 129\nn 138\nlong 141\n\
         zero 0\nzero 0\nq 140\ngroup 143\nkill-group 137\nerrors 1\ninit 0\n"
    );
    // (The shell reports its killed jobs on stderr too.)
    let msgs: Vec<&str> = e.err.lines().filter(|l| l.starts_with("kill: ")).collect();
    assert_eq!(msgs.len(), 3, "{}", e.err);
    assert_eq!(msgs[0], "kill: can't kill pid 9999: No such process");
    assert!(msgs[1].starts_with("kill: can't kill pid ") && msgs[1].ends_with(": No such process"));
    assert_eq!(msgs[2], "kill: invalid number 'abc'");
}
