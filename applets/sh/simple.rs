//! Simple commands: expansion order, command lookup (special builtins,
//! functions, builtins, PATH), assignments, redirections, running external
//! programs, and command substitution.

use super::ast::*;
use super::builtins::{self, Kind};
use super::exec::{Flow, R, Shell};
use ibex::sys;
use std::rc::Rc;

/// A descriptor changed by a redirection, and how to put it back.
pub struct Saved {
    fd: i32,
    /// A close-on-exec copy of the original, or None if it was closed.
    backup: Option<i32>,
}

/// A redirection after expansion.
pub enum Ready {
    Open { fd: i32, name: Vec<u8>, op: RedirOp },
    Dup { fd: i32, from: i32 },
    Close { fd: i32 },
    Doc { fd: i32, body: Vec<u8> },
}

/// What a command name resolves to.
pub enum Target {
    Builtin(Kind, builtins::Func),
    Function(Rc<Function>),
    External(Vec<u8>),
    /// Found but not executable, or not found: (status, message reason).
    Missing(i32, &'static str),
}

impl Shell {
    pub fn run_simple(&mut self, cmd: &Simple) -> R {
        self.lineno = cmd.line;
        self.cmdsub_status = None;
        let mut argv = Vec::with_capacity(cmd.words.len());
        self.expand_command_words(&cmd.words, &mut argv)?;
        if argv.is_empty() {
            let r = self.run_assignments_only(cmd);
            self.last_arg.clear();
            return r;
        }
        if let Some(last) = argv.last() {
            self.last_arg.clear();
            self.last_arg.extend_from_slice(last);
        }
        let target = self.lookup(&argv[0], false);
        match target {
            // `local` keeps its prefix assignments like a special builtin
            // (dash): they belong to the function's scope.
            Target::Builtin(kind, f)
                if kind == Kind::Special || (argv[0] == b"local" && !cmd.assigns.is_empty()) =>
            {
                for a in &cmd.assigns {
                    let v = self.expand_assign(&a.value)?;
                    self.trace_assign(&a.name, &v);
                    self.assign(&a.name, v)?;
                }
                self.trace(&argv);
                // `exec` without a command keeps its redirections.
                let keep = argv[0] == b"exec" && argv.iter().skip(1).all(|a| a == b"--");
                if argv[0] == b"exec" && !keep {
                    // The command exec runs gets the prefix assignments.
                    for a in &cmd.assigns {
                        self.vars.export(&a.name, true);
                    }
                }
                let saved = match self.redirect(&cmd.redirs, !keep) {
                    Ok(s) => s,
                    Err(()) => {
                        self.status = 1;
                        return Err(Flow::Fatal(1));
                    }
                };
                let r = f(self, &argv);
                self.restore(saved);
                r
            }
            Target::Builtin(_, f) => {
                let scoped = self.temp_assign(&cmd.assigns)?;
                self.trace(&argv);
                let r = match self.redirect(&cmd.redirs, true) {
                    Ok(saved) => {
                        let r = f(self, &argv);
                        self.restore(saved);
                        r
                    }
                    Err(()) => {
                        self.status = 1;
                        Ok(())
                    }
                };
                if scoped {
                    self.vars.pop_scope();
                }
                r
            }
            Target::Function(func) => {
                let scoped = self.temp_assign(&cmd.assigns)?;
                self.trace(&argv);
                let r = match self.redirect(&cmd.redirs, true) {
                    Ok(saved) => {
                        let r = self.call_function(&func, argv);
                        self.restore(saved);
                        r
                    }
                    Err(()) => {
                        self.status = 1;
                        Ok(())
                    }
                };
                if scoped {
                    self.vars.pop_scope();
                }
                r
            }
            Target::External(path) => {
                let env = self.command_env(&cmd.assigns)?;
                self.trace(&argv);
                // The last command of a forked child replaces it, unless an
                // EXIT trap still has to run.
                if std::mem::take(&mut self.exec_last)
                    && self.subshell > 0
                    && self.traps[0].is_none()
                {
                    if self.redirect(&cmd.redirs, false).is_err() {
                        return Err(Flow::Exit(1));
                    }
                    let code = self.exec_in_child(&path, &argv, &env);
                    return Err(Flow::Exit(code));
                }
                self.run_external(&path, &argv, env, &cmd.redirs)
            }
            Target::Missing(status, reason) => {
                // Assignments and redirections are still performed (in the
                // child that would have run the command).
                let _ = self.command_env(&cmd.assigns)?;
                self.trace(&argv);
                if let Ok(saved) = self.redirect(&cmd.redirs, true) {
                    self.error(&[&argv[0], b": ", reason.as_bytes()]);
                    self.restore(saved);
                }
                self.status = status;
                Ok(())
            }
        }
    }

    fn run_assignments_only(&mut self, cmd: &Simple) -> R {
        for a in &cmd.assigns {
            let v = self.expand_assign(&a.value)?;
            self.trace_assign(&a.name, &v);
            self.assign(&a.name, v)?;
        }
        let status = self.cmdsub_status.unwrap_or(0);
        if !cmd.redirs.is_empty() {
            match self.redirect(&cmd.redirs, true) {
                Ok(saved) => self.restore(saved),
                Err(()) => {
                    self.status = 1;
                    return Ok(());
                }
            }
        }
        self.status = status;
        Ok(())
    }

    /// Assignments valid only for one builtin or function call. Returns
    /// whether a scope was opened.
    fn temp_assign(&mut self, assigns: &[Assign]) -> Result<bool, Flow> {
        if assigns.is_empty() {
            return Ok(false);
        }
        self.vars.push_scope();
        if let Err(f) = self.assign_in_scope(assigns) {
            self.vars.pop_scope();
            return Err(f);
        }
        Ok(true)
    }

    /// Expand and set assignments left to right (each sees the ones
    /// before it), exported, in the current scope.
    fn assign_in_scope(&mut self, assigns: &[Assign]) -> R {
        for a in assigns {
            let v = self.expand_assign(&a.value)?;
            self.trace_assign(&a.name, &v);
            self.vars.save(&a.name);
            if self.set_var(&a.name, v).is_err() {
                self.status = 1;
                return Err(Flow::Fatal(1));
            }
            self.vars.export(&a.name, true);
        }
        Ok(())
    }

    /// The environment for an external command: exported variables plus
    /// the command's own assignments.
    pub(super) fn command_env(&mut self, assigns: &[Assign]) -> Result<Vec<Vec<u8>>, Flow> {
        if assigns.is_empty() {
            return Ok(self.vars.environ().to_vec());
        }
        self.vars.push_scope();
        let r = self.assign_in_scope(assigns);
        let env = self.vars.environ().to_vec();
        self.vars.pop_scope();
        r.map(|()| env)
    }

    pub fn call_function(&mut self, f: &Rc<Function>, mut argv: Vec<Vec<u8>>) -> R {
        self.exec_last = false;
        if self.func_depth > 1000 {
            self.error(&[&f.name, b": function nesting too deep"]);
            self.status = 2;
            return Err(Flow::Fatal(2));
        }
        argv.remove(0);
        let saved = std::mem::replace(&mut self.params, argv);
        let saved_loop = std::mem::replace(&mut self.loop_depth, 0);
        self.func_depth += 1;
        let saved_func = self.cur_func.replace(f.clone());
        self.vars.push_scope();
        let r = self.run_command(&f.body);
        self.vars.pop_scope();
        self.cur_func = saved_func;
        self.func_depth -= 1;
        self.loop_depth = saved_loop;
        self.params = saved;
        match r {
            Err(Flow::Return) => Ok(()),
            other => other,
        }
    }

    // ------------------------------------------------------------ lookup

    /// Resolve a command name. `no_functions` for `command NAME`.
    pub fn lookup(&mut self, name: &[u8], no_functions: bool) -> Target {
        if name.contains(&b'/') {
            return match sys::stat(name) {
                Ok(st) if st.is_dir() => Target::Missing(126, "Is a directory"),
                Ok(_) => Target::External(name.to_vec()),
                Err(e)
                    if e.raw_os_error() == Some(libc::ENOENT)
                        || e.raw_os_error() == Some(libc::ENOTDIR) =>
                {
                    Target::Missing(127, "not found")
                }
                Err(_) => Target::External(name.to_vec()),
            };
        }
        if let Some((Kind::Special, f)) = builtins::find(name) {
            return Target::Builtin(Kind::Special, f);
        }
        if !no_functions && let Some(f) = self.funcs.get(name) {
            return Target::Function(f.clone());
        }
        if let Some((kind, f)) = builtins::find(name) {
            return Target::Builtin(kind, f);
        }
        match self.path_search(name) {
            Ok(p) => Target::External(p),
            Err(status) => Target::Missing(
                status,
                if status == 126 {
                    "Permission denied"
                } else {
                    "not found"
                },
            ),
        }
    }

    /// Find `name` in PATH (remembered in the hash table).
    pub fn path_search(&mut self, name: &[u8]) -> Result<Vec<u8>, i32> {
        if let Some(p) = self.hash.get(name) {
            return Ok(p.clone());
        }
        let path = self
            .get_var(b"PATH")
            .map(<[u8]>::to_vec)
            .unwrap_or_else(|| b"/usr/local/bin:/usr/bin:/bin".to_vec());
        let mut denied = false;
        for dir in path.split(|&c| c == b':') {
            let full = if dir.is_empty() {
                name.to_vec()
            } else {
                ibex::path::join(dir, name)
            };
            match sys::stat(&full) {
                Ok(st) if st.is_reg() => {
                    if sys::faccessat(sys::Dir::CWD, &full, sys::X_OK, sys::AT_EACCESS).is_ok() {
                        self.hash.insert(name.into(), full.clone());
                        return Ok(full);
                    }
                    denied = true;
                }
                _ => {}
            }
        }
        Err(if denied { 126 } else { 127 })
    }

    // ------------------------------------------------------------ external

    fn run_external(
        &mut self,
        path: &[u8],
        argv: &[Vec<u8>],
        env: Vec<Vec<u8>>,
        redirs: &[Redir],
    ) -> R {
        let ready = match self.prepare_redirs(redirs) {
            Ok(r) => r,
            Err(()) => {
                self.status = 1;
                return Ok(());
            }
        };
        let ready = match self.run_external_fast(path, argv, &env, ready) {
            Ok(()) => return Ok(()),
            Err(ready) => ready,
        };
        match self.fork_child() {
            Ok(0) => {
                if self.apply_redirs(ready, false).is_err() {
                    sys::exit_now(1);
                }
                let code = self.exec_in_child(path, argv, &env);
                sys::exit_now(code)
            }
            Ok(pid) => {
                let st = self.wait_pids(&[pid]);
                self.status = st.first().map_or(0, |s| s.code());
                Ok(())
            }
            Err(e) => {
                self.error(&[b"fork: ", ibex::error::reason(&e).as_bytes()]);
                self.status = 2;
                Ok(())
            }
        }
    }

    /// Replace the process with `path`; a file the kernel cannot execute
    /// is run as a shell script. Returns the status to exit with on failure.
    pub fn exec_or_script(&mut self, path: &[u8], argv: &[Vec<u8>], env: &[Vec<u8>]) -> i32 {
        // Signals the shell caught go back to their defaults for the new program.
        for sig in 1..self.traps.len() {
            if matches!(self.traps[sig], Some(super::exec::Trap::Command(_))) {
                let _ = sys::set_disposition(sig as i32, sys::Disposition::Default, false);
            }
        }
        let e = sys::execve(path, argv, env);
        match e.raw_os_error() {
            Some(libc::ENOEXEC) => super::run_script_in_child(self, path, argv),
            Some(libc::ENOENT) => {
                self.error(&[&argv[0], b": not found"]);
                127
            }
            _ => {
                self.error(&[&argv[0], b": ", ibex::error::reason(&e).as_bytes()]);
                126
            }
        }
    }

    // ------------------------------------------------------------ redirections

    /// Apply redirections. With `save`, originals are kept for `restore`;
    /// on failure everything applied so far is undone.
    pub fn redirect(&mut self, redirs: &[Redir], save: bool) -> Result<Vec<Saved>, ()> {
        let ready = self.prepare_redirs(redirs)?;
        self.apply_redirs(ready, save)
    }

    /// Expand redirection words and here-document bodies (in the shell
    /// itself, so their side effects stay even when a child applies them).
    pub fn prepare_redirs(&mut self, redirs: &[Redir]) -> Result<Vec<Ready>, ()> {
        let mut out = Vec::with_capacity(redirs.len());
        for r in redirs {
            let fd = r.fd.unwrap_or(match r.op {
                RedirOp::In
                | RedirOp::DupIn
                | RedirOp::ReadWrite
                | RedirOp::HereDoc
                | RedirOp::HereString => 0,
                _ => 1,
            });
            let ready = match &r.target {
                RedirTarget::HereDoc(doc) => {
                    let body = match doc.body.get() {
                        Some(w) if doc.literal => w.unquoted_text(),
                        Some(w) => self.expand_string(w).map_err(|_| ())?,
                        None => Vec::new(),
                    };
                    Ready::Doc { fd, body }
                }
                RedirTarget::Word(w) if r.op == RedirOp::HereString => {
                    let mut body = self.expand_string(w).map_err(|_| ())?;
                    body.push(b'\n');
                    Ready::Doc { fd, body }
                }
                RedirTarget::Word(w) => {
                    let text = self.expand_string(w).map_err(|_| ())?;
                    let both = matches!(r.op, RedirOp::OutErr | RedirOp::AppendErr);
                    let fd_num = |t: &[u8]| {
                        std::str::from_utf8(t)
                            .ok()
                            .filter(|s| s.bytes().all(|c| c.is_ascii_digit()))
                            .and_then(|s| s.parse::<i32>().ok())
                    };
                    if both
                        || (r.op == RedirOp::DupOut
                            && r.fd.is_none()
                            && text != b"-"
                            && fd_num(&text).is_none())
                    {
                        // `&>FILE`, `&>>FILE` and `>&FILE`: output and errors.
                        let op = if r.op == RedirOp::AppendErr {
                            RedirOp::Append
                        } else {
                            RedirOp::Out
                        };
                        out.push(Ready::Open {
                            fd: 1,
                            name: text,
                            op,
                        });
                        Ready::Dup { fd: 2, from: 1 }
                    } else if matches!(r.op, RedirOp::DupIn | RedirOp::DupOut) {
                        if text == b"-" {
                            Ready::Close { fd }
                        } else if let Some(from) = fd_num(&text) {
                            Ready::Dup { fd, from }
                        } else if let Some(from) = text.strip_suffix(b"-").and_then(fd_num) {
                            // `N>&M-`: move M to N.
                            out.push(Ready::Dup { fd, from });
                            if from == fd {
                                continue;
                            }
                            Ready::Close { fd: from }
                        } else {
                            self.error(&[&text, b": bad file descriptor number"]);
                            return Err(());
                        }
                    } else {
                        Ready::Open {
                            fd,
                            name: text,
                            op: r.op,
                        }
                    }
                }
            };
            out.push(ready);
        }
        Ok(out)
    }

    /// Open, duplicate and close descriptors as prepared.
    pub fn apply_redirs(&mut self, ready: Vec<Ready>, save: bool) -> Result<Vec<Saved>, ()> {
        let mut saved: Vec<Saved> = Vec::new();
        for r in ready {
            if let Err(()) = self.apply_one(r, save, &mut saved) {
                self.restore(saved);
                return Err(());
            }
        }
        Ok(saved)
    }

    fn apply_one(&mut self, r: Ready, save: bool, saved: &mut Vec<Saved>) -> Result<(), ()> {
        let (fd, src) = match r {
            Ready::Close { fd } => (fd, None),
            Ready::Doc { fd, body } => (fd, Some(self.heredoc_fd(&body)?)),
            Ready::Dup { fd, from } => {
                if from == fd {
                    // `N>&N`: nothing to do, even when N is closed (as bash).
                    if save {
                        self.save_fd(fd, saved);
                    }
                    let _ = sys::set_cloexec(fd, false);
                    return Ok(());
                }
                if !sys::fd_is_open(from) {
                    self.error(&[from.to_string().as_bytes(), b": Bad file descriptor"]);
                    return Err(());
                }
                if save {
                    self.save_fd(fd, saved);
                }
                if sys::dup2(from, fd).is_err() {
                    return Err(());
                }
                return Ok(());
            }
            Ready::Open { fd, name, op } => {
                let flags = match op {
                    RedirOp::In => sys::O_RDONLY,
                    RedirOp::Out if self.opts.noclobber => {
                        if sys::stat(&name).is_ok_and(|st| st.is_reg()) {
                            self.error(&[b"cannot create ", &name, b": File exists"]);
                            return Err(());
                        }
                        sys::O_WRONLY | sys::O_CREAT | sys::O_TRUNC
                    }
                    RedirOp::Out | RedirOp::Clobber => sys::O_WRONLY | sys::O_CREAT | sys::O_TRUNC,
                    RedirOp::Append => sys::O_WRONLY | sys::O_CREAT | sys::O_APPEND,
                    _ => sys::O_RDWR | sys::O_CREAT,
                };
                match sys::open_raw(&name, flags | sys::O_NOCTTY | sys::O_CLOEXEC, 0o666) {
                    Ok(n) => (fd, Some(n)),
                    Err(e) => {
                        let what: &[u8] = if op == RedirOp::In {
                            b"cannot open "
                        } else {
                            b"cannot create "
                        };
                        self.error(&[what, &name, b": ", ibex::error::reason(&e).as_bytes()]);
                        return Err(());
                    }
                }
            }
        };
        if save {
            self.save_fd(fd, saved);
        }
        match src {
            None => sys::close_raw(fd),
            Some(s) => {
                if s != fd {
                    let ok = sys::dup2(s, fd).is_ok();
                    sys::close_raw(s);
                    if !ok {
                        return Err(());
                    }
                } else {
                    let _ = sys::set_cloexec(fd, false);
                }
            }
        }
        Ok(())
    }

    fn save_fd(&mut self, fd: i32, saved: &mut Vec<Saved>) {
        if saved.iter().any(|s| s.fd == fd) {
            return;
        }
        let backup = if sys::fd_is_open(fd) {
            sys::dup_at_least(fd, 10).ok()
        } else {
            None
        };
        saved.push(Saved { fd, backup });
    }

    /// Undo redirections, last first.
    pub fn restore(&mut self, saved: Vec<Saved>) {
        for s in saved.into_iter().rev() {
            match s.backup {
                Some(b) => {
                    let _ = sys::dup2(b, s.fd);
                    sys::close_raw(b);
                }
                None => sys::close_raw(s.fd),
            }
        }
    }

    /// A descriptor to read a here-document's expanded body from.
    fn heredoc_fd(&mut self, body: &[u8]) -> Result<i32, ()> {
        let (r, w) = sys::pipe_raw().map_err(|_| ())?;
        if body.len() <= 65536 {
            let _ = sys::write_all(w, body);
            sys::close_raw(w);
            return Ok(r);
        }
        // Too big for the pipe buffer: a child writes it.
        match sys::fork() {
            Ok(0) => {
                sys::close_raw(r);
                let _ = sys::write_all(w, body);
                sys::exit_now(0);
            }
            Ok(_) => {
                sys::close_raw(w);
                Ok(r)
            }
            Err(_) => {
                sys::close_raw(r);
                sys::close_raw(w);
                Err(())
            }
        }
    }

    // ------------------------------------------------------------ substitution

    /// Run `prog` in a subshell and return its output, trailing newlines
    /// removed.
    pub fn command_subst(&mut self, prog: &Program) -> Result<Vec<u8>, Flow> {
        if let Some(r) = self.subst_fast(prog) {
            return r;
        }
        let (r, w) = match sys::pipe_raw() {
            Ok(p) => p,
            Err(e) => {
                self.error(&[b"pipe: ", ibex::error::reason(&e).as_bytes()]);
                return Err(Flow::Fatal(2));
            }
        };
        // `saved=$(trap)`: POSIX lets a substitution of a lone `trap` see
        // the shell's traps, so they can be saved and restored with eval.
        let keep = lone_trap(prog).then(|| self.traps.clone());
        let pid = match self.fork_child() {
            Ok(0) => {
                if let Some(traps) = keep {
                    self.traps = traps;
                }
                sys::close_raw(r);
                if w != 1 {
                    let _ = sys::dup2(w, 1);
                    sys::close_raw(w);
                } else {
                    let _ = sys::set_cloexec(1, false);
                }
                self.exec_last = true;
                let res = self.run_program(prog);
                self.exit_child(res);
            }
            Ok(pid) => pid,
            Err(e) => {
                sys::close_raw(r);
                sys::close_raw(w);
                self.error(&[b"fork: ", ibex::error::reason(&e).as_bytes()]);
                return Err(Flow::Fatal(2));
            }
        };
        sys::close_raw(w);
        let mut out = Vec::new();
        let mut buf = [0u8; 4096];
        loop {
            match sys::read(r, &mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => out.extend_from_slice(&buf[..n]),
            }
        }
        sys::close_raw(r);
        let st = self.wait_pids(&[pid]);
        let code = st.first().map_or(0, |s| s.code());
        self.subst_done(Flow::Exit(code), out)
    }

    // ------------------------------------------------------------ xtrace

    fn trace(&mut self, argv: &[Vec<u8>]) {
        if !self.opts.xtrace {
            return;
        }
        let mut line = self.ps4();
        for (i, a) in argv.iter().enumerate() {
            if i > 0 {
                line.push(b' ');
            }
            super::builtins::quote_into(a, &mut line);
        }
        line.push(b'\n');
        let _ = sys::write_all(2, &line);
    }

    fn trace_assign(&mut self, name: &[u8], value: &[u8]) {
        if !self.opts.xtrace {
            return;
        }
        let mut line = self.ps4();
        line.extend_from_slice(name);
        line.push(b'=');
        super::builtins::quote_into(value, &mut line);
        line.push(b'\n');
        let _ = sys::write_all(2, &line);
    }

    fn ps4(&mut self) -> Vec<u8> {
        let ps4 = self
            .get_var(b"PS4")
            .map(<[u8]>::to_vec)
            .unwrap_or_else(|| b"+ ".to_vec());
        // PS4 undergoes parameter expansion; avoid tracing inside it.
        let xt = std::mem::replace(&mut self.opts.xtrace, false);
        let v = self.expand_prompt(&ps4);
        self.opts.xtrace = xt;
        v
    }
}

/// Whether a program is one simple command whose name is literally `trap`.
fn lone_trap(prog: &Program) -> bool {
    let [item] = prog.items.as_slice() else {
        return false;
    };
    if item.background || !item.and_or.rest.is_empty() || item.and_or.first.bang {
        return false;
    }
    match item.and_or.first.cmds.as_slice() {
        [Command::Simple(c)] => c
            .words
            .first()
            .is_some_and(|w| matches!(w.parts.as_slice(), [Part::Lit(t)] if &t[..] == b"trap")),
        _ => false,
    }
}
