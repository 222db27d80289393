//! Fast paths that start fewer processes, each taken only when it is
//! provably equivalent to the forking path (which stays the fallback):
//!
//! - an external command is started with posix_spawn (vfork semantics: no
//!   page-table copy), its redirections done by the child as file actions;
//! - `$(cmd ARGS)` of one external command is spawned the same way, its
//!   standard output a pipe, without forking a subshell first;
//! - `$(echo ...)`, `$(printf ...)` and the like — one side-effect-free
//!   builtin whose words cannot assign or run anything — run in the shell
//!   itself, their output captured in an in-memory file.
//!
//! Any failure to start (not found, not executable, a script without `#!`,
//! a redirection that fails) goes back to the forking path, which redoes
//! the work in a child and reports it on the child's own standard error.

use super::arith::parse_number;
use super::ast::*;
use super::exec::{Flow, Shell};
use super::simple::{Ready, Target};
use crate::applets::{self, Applet};
use ibex::sys::{self, FdAction};
use std::ffi::OsString;
use std::os::unix::ffi::OsStringExt;

/// Applets run in the shell itself, without a fork, when PATH leads to
/// them (a link to the running binary): they only compute and print, and
/// read neither standard input nor the environment.
const NOFORK_APPLETS: &[&[u8]] = &[
    b"basename",
    b"dirname",
    b"expr",
    b"true",
    b"false",
    b"echo",
    b"test",
    b"[",
];

/// Builtins that only write output and set `$?`.
const PURE_BUILTINS: &[&[u8]] = &[
    b"echo", b"printf", b"true", b"false", b":", b"test", b"[", b"pwd",
];

impl Shell {
    /// The ibex applet that running `path` as `argv0` would be, when
    /// `path` is a link to the running binary.
    pub(super) fn own_applet(&self, path: &[u8], argv0: &[u8]) -> Option<&'static Applet> {
        let a = applets::find(ibex::path::basename(argv0))?;
        let me = sys::self_exe_id()?;
        let st = sys::stat(path).ok()?;
        ((st.dev, st.ino) == me).then_some(a)
    }

    /// In a forked child, replace the process with `path`: an ibex applet
    /// is called directly (no execve), with the environment and
    /// descriptors exec would have given it. Returns the exit status.
    pub(super) fn exec_in_child(&mut self, path: &[u8], argv: &[Vec<u8>], env: &[Vec<u8>]) -> i32 {
        if let Some(a) = argv.first().and_then(|a0| self.own_applet(path, a0)) {
            // What exec does: caught signals go back to their defaults.
            for sig in 1..self.traps.len() {
                if matches!(self.traps[sig], Some(super::exec::Trap::Command(_))) {
                    let _ = sys::set_disposition(sig as i32, sys::Disposition::Default, false);
                }
            }
            sys::close_cloexec_fds();
            // A new ibex process finds /dev/null on closed standard
            // descriptors (Rust's start-up opens it there).
            for fd in 0..3 {
                if !sys::fd_is_open(fd)
                    && let Ok(n) = sys::open_raw(b"/dev/null", sys::O_RDWR, 0)
                    && n != fd
                {
                    let _ = sys::dup2(n, fd);
                    sys::close_raw(n);
                }
            }
            sys::set_environ(env);
            return applets::run(a, &os_args(argv));
        }
        self.exec_or_script(path, argv, env)
    }

    /// An applet from NOFORK_APPLETS that `path` runs.
    fn nofork_applet(&self, path: &[u8], argv0: &[u8]) -> Option<&'static Applet> {
        if !NOFORK_APPLETS.contains(&ibex::path::basename(argv0)) {
            return None;
        }
        self.own_applet(path, argv0)
    }

    /// Run an external command without forking when possible: a NOFORK
    /// applet in this process, anything else not ibex through posix_spawn.
    /// Gives the redirections back when the caller must fork.
    pub(super) fn run_external_fast(
        &mut self,
        path: &[u8],
        argv: &[Vec<u8>],
        env: &[Vec<u8>],
        ready: Vec<Ready>,
    ) -> Result<(), Vec<Ready>> {
        let argv0 = argv.first().map_or(&b""[..], Vec::as_slice);
        let own = self.own_applet(path, argv0);
        if let Some(a) = own
            && NOFORK_APPLETS.contains(&ibex::path::basename(argv0))
            && std_fds_open(&ready)
        {
            match self.apply_redirs(ready, true) {
                Ok(saved) => {
                    self.status = run_here(a, argv);
                    self.restore(saved);
                }
                Err(()) => self.status = 1,
            }
            return Ok(());
        }
        if own.is_some() {
            return Err(ready);
        }
        match self.spawn_and_wait(path, argv, env, &ready) {
            Some(()) => Ok(()),
            None => Err(ready),
        }
    }

    /// Start an external command without forking the shell and wait for
    /// it. None: the caller must use fork (nothing has happened yet).
    fn spawn_and_wait(
        &mut self,
        path: &[u8],
        argv: &[Vec<u8>],
        env: &[Vec<u8>],
        ready: &[Ready],
    ) -> Option<()> {
        let acts = self.fd_actions(ready, &[])?;
        let pid = sys::spawn_program(path, argv, env, &acts).ok()?;
        let st = self.wait_pids(&[pid]);
        self.status = st.first().map_or(0, |s| s.code());
        Some(())
    }

    /// The redirections as posix_spawn file actions, after `first`. None
    /// when one needs the shell in the child (here-documents) or could
    /// behave differently when done twice (noclobber).
    fn fd_actions<'a>(
        &self,
        ready: &'a [Ready],
        first: &[FdAction<'a>],
    ) -> Option<Vec<FdAction<'a>>> {
        if self.opts.monitor {
            return None;
        }
        let mut acts = Vec::with_capacity(ready.len() + first.len());
        for a in first {
            acts.push(match *a {
                FdAction::Open { fd, path, flags } => FdAction::Open { fd, path, flags },
                FdAction::Dup { fd, from } => FdAction::Dup { fd, from },
                FdAction::Close { fd } => FdAction::Close { fd },
            });
        }
        for r in ready {
            acts.push(match r {
                Ready::Open { fd, name, op } => {
                    let flags = match op {
                        RedirOp::In => sys::O_RDONLY,
                        RedirOp::Out if self.opts.noclobber => return None,
                        RedirOp::Out | RedirOp::Clobber => {
                            sys::O_WRONLY | sys::O_CREAT | sys::O_TRUNC
                        }
                        RedirOp::Append => sys::O_WRONLY | sys::O_CREAT | sys::O_APPEND,
                        RedirOp::ReadWrite => sys::O_RDWR | sys::O_CREAT,
                        _ => return None,
                    };
                    FdAction::Open {
                        fd: *fd,
                        path: name,
                        flags: flags | sys::O_NOCTTY,
                    }
                }
                Ready::Dup { fd, from } => FdAction::Dup {
                    fd: *fd,
                    from: *from,
                },
                Ready::Close { fd } => FdAction::Close { fd: *fd },
                Ready::Doc { .. } => return None,
            });
        }
        Some(acts)
    }

    /// `$(...)` without forking a subshell, when that is equivalent. None:
    /// the caller forks (nothing observable has happened yet).
    pub(super) fn subst_fast(&mut self, prog: &Program) -> Option<Result<Vec<u8>, Flow>> {
        let cmd = lone_simple(prog)?;
        let name = cmd.words.first()?.as_literal()?;
        if self.opts.xtrace || name.iter().any(|c| b"*?[~".contains(c)) {
            return None;
        }
        if PURE_BUILTINS.contains(&name) && cmd.assigns.is_empty() && cmd.redirs.is_empty() {
            if !matches!(self.lookup(name, false), Target::Builtin(..))
                || !cmd.words.iter().all(|w| self.pure_word(w, true))
            {
                return None;
            }
            return self.subst_capture(|s| s.run_simple(cmd));
        }
        if cmd.assigns.is_empty()
            && cmd.redirs.is_empty()
            && let Target::External(path) = self.lookup(name, false)
            && let Some(a) = self.nofork_applet(&path, name)
            && std_fds_open(&[])
        {
            if !cmd.words.iter().all(|w| self.pure_word(w, true)) {
                return None;
            }
            let line = cmd.line;
            return self.subst_capture(|s| {
                s.lineno = line;
                let mut argv = Vec::with_capacity(cmd.words.len());
                s.expand_command_words(&cmd.words, &mut argv)?;
                s.status = run_here(a, &argv);
                Ok(())
            });
        }
        let sp = match self.prepare_spawn(cmd, true)? {
            Ok(sp) => sp,
            // An expansion error ends the subshell: no output.
            Err(f) => return Some(self.subst_done(f, Vec::new())),
        };
        let (r, w) = sys::pipe_raw().ok()?;
        let pid = self
            .fd_actions(&sp.ready, &[FdAction::Dup { fd: 1, from: w }])
            .and_then(|acts| sys::spawn_program(&sp.path, &sp.argv, &sp.env, &acts).ok());
        sys::close_raw(w);
        let Some(pid) = pid else {
            sys::close_raw(r);
            return None;
        };
        let mut out = Vec::new();
        let mut buf = [0u8; 16384];
        loop {
            match sys::read(r, &mut buf) {
                Ok(0) => break,
                Ok(n) => out.extend_from_slice(&buf[..n]),
                Err(e) if e.raw_os_error() == Some(libc::EINTR) => {}
                Err(_) => break,
            }
        }
        sys::close_raw(r);
        let st = self.wait_pids(&[pid]);
        let code = st.first().map_or(0, |s| s.code());
        Some(self.subst_done(Flow::Exit(code), out))
    }

    /// Expand a simple command for spawning in the shell itself, when
    /// that changes nothing a child would have kept to itself: an
    /// external command whose words, assignments and redirections cannot
    /// assign or run anything. With `errors_ok`, an expansion error is
    /// returned (the caller ends its subshell with it); without, words
    /// that could fail to expand are refused. None: use fork (nothing
    /// observable has happened).
    fn prepare_spawn(&mut self, cmd: &Simple, errors_ok: bool) -> Option<Result<Spawn, Flow>> {
        let name = cmd.words.first()?.as_literal()?;
        if self.opts.xtrace || self.opts.monitor || name.iter().any(|c| b"*?[~".contains(c)) {
            return None;
        }
        let strict = !errors_ok;
        // A readonly assignment or an unset variable would be reported
        // here and again by the forked child.
        if strict && (self.opts.nounset || !cmd.assigns.is_empty()) {
            return None;
        }
        if cmd.assigns.iter().any(|a| &*a.name == b"PATH")
            || !cmd.words.iter().all(|w| self.spawn_word(w, strict))
            || !cmd
                .assigns
                .iter()
                .all(|a| self.spawn_word(&a.value, strict))
            || !cmd.redirs.iter().all(|r| match &r.target {
                RedirTarget::Word(w) => {
                    self.spawn_word(w, strict)
                        && (!matches!(r.op, RedirOp::DupIn | RedirOp::DupOut)
                            || w.as_literal()
                                .is_some_and(|t| t == b"-" || t.iter().all(u8::is_ascii_digit)))
                }
                RedirTarget::HereDoc(_) => false,
            })
        {
            return None;
        }
        let Target::External(path) = self.lookup(name, false) else {
            return None;
        };
        // ibex's own applets are cheaper forked and called than exec'd.
        if self.own_applet(&path, name).is_some() {
            return None;
        }
        self.lineno = cmd.line;
        let mut argv = Vec::with_capacity(cmd.words.len());
        let env = match self
            .expand_command_words(&cmd.words, &mut argv)
            .and_then(|()| self.command_env(&cmd.assigns))
        {
            Ok(env) => env,
            Err(f) => return Some(Err(f)),
        };
        if argv.first().map(Vec::as_slice) != Some(name) {
            return None;
        }
        let ready = self.prepare_redirs(&cmd.redirs).ok()?;
        Some(Ok(Spawn {
            path,
            argv,
            env,
            ready,
        }))
    }

    /// A word for `prepare_spawn`: pure, no command substitution, and when
    /// `strict` nothing that can fail (`${x?}`, arithmetic).
    fn spawn_word(&self, w: &Word, strict: bool) -> bool {
        fn can_fail(parts: &[Part]) -> bool {
            parts.iter().any(|p| match p {
                Part::Double(inner) => can_fail(inner),
                Part::Arith(_) => true,
                Part::Param(p) => {
                    matches!(p.op, ParamOp::Error | ParamOp::Substring)
                        || p.arg.as_ref().is_some_and(|w| can_fail(&w.parts))
                        || p.arg2.as_ref().is_some_and(|w| can_fail(&w.parts))
                }
                _ => false,
            })
        }
        self.pure_word(w, false) && !(strict && can_fail(&w.parts))
    }

    /// Start one external command of a pipeline, reading `input` and
    /// writing `output` when given, without forking the shell. None: fork
    /// it (nothing observable has happened).
    pub(super) fn spawn_in_pipeline(
        &mut self,
        cmd: &Command,
        input: Option<i32>,
        output: Option<i32>,
    ) -> Option<i32> {
        let Command::Simple(cmd) = cmd else {
            return None;
        };
        if input.is_some_and(|fd| fd < 3) || output.is_some_and(|fd| fd < 3) {
            return None;
        }
        let sp = self.prepare_spawn(cmd, false)?.ok()?;
        let mut first = Vec::with_capacity(2);
        if let Some(fd) = input {
            first.push(FdAction::Dup { fd: 0, from: fd });
        }
        if let Some(fd) = output {
            first.push(FdAction::Dup { fd: 1, from: fd });
        }
        let acts = self.fd_actions(&sp.ready, &first)?;
        sys::spawn_program(&sp.path, &sp.argv, &sp.env, &acts).ok()
    }

    /// Run side-effect-free code with its output going to a memory file,
    /// as its own subshell would.
    fn subst_capture(
        &mut self,
        run: impl FnOnce(&mut Shell) -> Result<(), Flow>,
    ) -> Option<Result<Vec<u8>, Flow>> {
        let mfd = sys::memfd().ok()?;
        let saved = sys::dup_at_least(1, 10).ok();
        if sys::dup2(mfd, 1).is_err() {
            sys::close_raw(mfd);
            if let Some(b) = saved {
                sys::close_raw(b);
            }
            return None;
        }
        let line = self.lineno;
        let r = run(self);
        self.lineno = line;
        match saved {
            Some(b) => {
                let _ = sys::dup2(b, 1);
                sys::close_raw(b);
            }
            None => sys::close_raw(1),
        }
        let len = sys::lseek(mfd, 0, libc::SEEK_CUR).unwrap_or(0);
        let mut out = vec![0u8; usize::try_from(len).unwrap_or(0)];
        let mut got = 0;
        while got < out.len() {
            match sys::pread(mfd, &mut out[got..], got as u64) {
                Ok(0) | Err(_) => break,
                Ok(n) => got += n,
            }
        }
        out.truncate(got);
        sys::close_raw(mfd);
        let flow = match r {
            Ok(()) => Flow::Exit(self.status),
            Err(f) => f,
        };
        Some(self.subst_done(flow, out))
    }

    /// Finish a substitution that ended with `flow`: its status becomes
    /// `$?`; trailing newlines and NUL bytes go.
    pub(super) fn subst_done(&mut self, flow: Flow, mut out: Vec<u8>) -> Result<Vec<u8>, Flow> {
        let code = match flow {
            Flow::Exit(c) | Flow::Fatal(c) => c & 0xff,
            _ => self.status,
        };
        self.cmdsub_status = Some(code);
        self.status = code;
        while out.last() == Some(&b'\n') {
            out.pop();
        }
        out.retain(|&c| c != 0);
        Ok(out)
    }

    /// Whether expanding `w` can change nothing in the shell: no
    /// `${x=...}`, no arithmetic that could assign, and (unless
    /// `subst_ok`) no command substitution at all.
    fn pure_word(&self, w: &Word, subst_ok: bool) -> bool {
        self.pure_parts(&w.parts, subst_ok)
    }

    fn pure_parts(&self, parts: &[Part], subst_ok: bool) -> bool {
        parts.iter().all(|p| match p {
            Part::Lit(_) | Part::Quoted(_) => true,
            Part::Double(inner) => self.pure_parts(inner, subst_ok),
            Part::CmdSub(_) => subst_ok,
            Part::Param(p) => {
                p.op != ParamOp::Assign
                    && p.arg.as_ref().is_none_or(|w| self.pure_word(w, subst_ok))
                    && p.arg2.as_ref().is_none_or(|w| self.pure_word(w, subst_ok))
            }
            Part::Arith(w) => self.pure_arith(&w.parts),
        })
    }

    /// Arithmetic that cannot assign: no `=` (other than in comparisons),
    /// `++` or `--`, and every variable it reads holds a plain number (a
    /// variable's value is itself evaluated as an expression).
    fn pure_arith(&self, parts: &[Part]) -> bool {
        let numeric =
            |v: Option<&[u8]>| v.is_none_or(|v| v.is_empty() || parse_number(v).is_some());
        parts.iter().all(|p| match p {
            Part::Lit(t) | Part::Quoted(t) => self.pure_arith_text(t),
            Part::Double(inner) => self.pure_arith(inner),
            Part::Param(p) if p.op == ParamOp::Plain => match &p.name {
                ParamName::Var(n) => numeric(self.get_var(n)),
                ParamName::Positional(i) => numeric(
                    i.checked_sub(1)
                        .and_then(|i| self.params.get(i))
                        .map(Vec::as_slice),
                ),
                ParamName::Special(c) => b"#?$!".contains(c),
            },
            _ => false,
        })
    }

    fn pure_arith_text(&self, t: &[u8]) -> bool {
        let mut i = 0;
        while i < t.len() {
            let c = t[i];
            let next = t.get(i + 1).copied();
            if (c == b'+' && next == Some(b'+')) || (c == b'-' && next == Some(b'-')) {
                return false;
            }
            if c == b'=' {
                let prev = i.checked_sub(1).map(|j| t[j]);
                let comparison = next == Some(b'=')
                    || matches!(prev, Some(b'=' | b'!' | b'<' | b'>'))
                        && !(prev == Some(b'<') && i >= 2 && t[i - 2] == b'<')
                        && !(prev == Some(b'>') && i >= 2 && t[i - 2] == b'>');
                if !comparison {
                    return false;
                }
            }
            if c.is_ascii_digit() {
                while i < t.len() && (t[i].is_ascii_alphanumeric() || t[i] == b'_') {
                    i += 1;
                }
                continue;
            }
            if c.is_ascii_alphabetic() || c == b'_' {
                let start = i;
                while i < t.len() && (t[i].is_ascii_alphanumeric() || t[i] == b'_') {
                    i += 1;
                }
                let v = self.get_var(&t[start..i]);
                if !v.is_none_or(|v| v.is_empty() || parse_number(v).is_some()) {
                    return false;
                }
                continue;
            }
            i += 1;
        }
        true
    }
}

/// Whether descriptors 0-2 are open and stay open through `ready` (an
/// applet run in place must see what a new process would).
fn std_fds_open(ready: &[Ready]) -> bool {
    (0..3).all(sys::fd_is_open)
        && !ready
            .iter()
            .any(|r| matches!(r, Ready::Close { fd } | Ready::Dup { fd, .. } if *fd < 3))
}

fn os_args(argv: &[Vec<u8>]) -> Vec<OsString> {
    argv.iter().map(|v| OsString::from_vec(v.clone())).collect()
}

/// Call an applet in this process, its messages under its own name.
fn run_here(a: &'static Applet, argv: &[Vec<u8>]) -> i32 {
    let prev = ibex::error::applet();
    let status = applets::run(a, &os_args(argv));
    ibex::error::set_applet(prev);
    status
}

/// An expanded external command ready to spawn.
struct Spawn {
    path: Vec<u8>,
    argv: Vec<Vec<u8>>,
    env: Vec<Vec<u8>>,
    ready: Vec<Ready>,
}

/// The program's only command, when it is one simple command run in the
/// foreground.
fn lone_simple(prog: &Program) -> Option<&Simple> {
    let [item] = prog.items.as_slice() else {
        return None;
    };
    if item.background || !item.and_or.rest.is_empty() || item.and_or.first.bang {
        return None;
    }
    match item.and_or.first.cmds.as_slice() {
        [Command::Simple(c)] => Some(c),
        _ => None,
    }
}
