//! Execution: the shell state, and running commands — simple commands,
//! pipelines, and-or lists, compound commands, functions, subshells,
//! redirections and command substitution.

use super::ast::*;
use super::vars::{FastMap, Vars};
use ibex::sys::{self, WaitStatus};
use std::rc::Rc;

/// How control leaves a command other than by finishing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    Break(u32),
    Continue(u32),
    Return,
    /// Leave the shell (or subshell) with this status: `exit`, `set -e`.
    Exit(i32),
    /// An error that ends a non-interactive shell (`${x?}`, a readonly
    /// assignment, a special builtin's error); `command` and interactive
    /// shells stop it.
    Fatal(i32),
}

pub type R = Result<(), Flow>;

/// A shell pattern with its backslash escapes removed, for `=~` (quoted
/// characters in the regex operand match literally; good enough for the
/// common cases).
fn unescape_pattern(p: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(p.len());
    let mut i = 0;
    while i < p.len() {
        if p[i] == b'\\' && i + 1 < p.len() {
            let c = p[i + 1];
            if c.is_ascii_alphanumeric() || c == b' ' {
                out.push(c);
            } else {
                out.push(b'\\');
                out.push(c);
            }
            i += 2;
        } else {
            out.push(p[i]);
            i += 1;
        }
    }
    out
}

/// The slot of bash's ERR pseudo-signal in `Shell::traps`.
pub const ERR_TRAP: usize = 65;

#[derive(Clone, Copy, Debug, Default)]
pub struct Opts {
    pub allexport: bool,
    pub notify: bool,
    pub noclobber: bool,
    pub errexit: bool,
    pub noglob: bool,
    pub hashall: bool,
    pub monitor: bool,
    pub noexec: bool,
    pub nounset: bool,
    pub verbose: bool,
    pub xtrace: bool,
    pub ignoreeof: bool,
    pub nolog: bool,
    pub pipefail: bool,
    pub vi: bool,
    pub emacs: bool,
    pub interactive: bool,
    pub stdin: bool,
    /// bash `shopt` options on, one bit per `SHOPT_NAMES` entry.
    pub shopt: u32,
}

/// Options `shopt` knows (bash); only nullglob changes behaviour.
pub const SHOPT_NAMES: &[&str] = &[
    "dotglob",
    "expand_aliases",
    "extglob",
    "failglob",
    "globstar",
    "inherit_errexit",
    "lastpipe",
    "nocaseglob",
    "nocasematch",
    "nullglob",
    "xpg_echo",
];

/// Option letters of `$-` and `set -o` names, in `set -o` listing order.
pub const OPTION_NAMES: &[(&str, Option<u8>)] = &[
    ("allexport", Some(b'a')),
    ("notify", Some(b'b')),
    ("noclobber", Some(b'C')),
    ("errexit", Some(b'e')),
    ("noglob", Some(b'f')),
    ("hashall", Some(b'h')),
    ("monitor", Some(b'm')),
    ("noexec", Some(b'n')),
    ("nounset", Some(b'u')),
    ("verbose", Some(b'v')),
    ("xtrace", Some(b'x')),
    ("ignoreeof", None),
    ("nolog", None),
    ("pipefail", None),
    ("vi", None),
    ("emacs", None),
];

impl Opts {
    pub fn get_mut(&mut self, name: &str) -> Option<&mut bool> {
        Some(match name {
            "allexport" => &mut self.allexport,
            "notify" => &mut self.notify,
            "noclobber" => &mut self.noclobber,
            "errexit" => &mut self.errexit,
            "noglob" => &mut self.noglob,
            "hashall" => &mut self.hashall,
            "monitor" => &mut self.monitor,
            "noexec" => &mut self.noexec,
            "nounset" => &mut self.nounset,
            "verbose" => &mut self.verbose,
            "xtrace" => &mut self.xtrace,
            "ignoreeof" => &mut self.ignoreeof,
            "nolog" => &mut self.nolog,
            "pipefail" => &mut self.pipefail,
            "vi" => &mut self.vi,
            "emacs" => &mut self.emacs,
            _ => return None,
        })
    }

    pub fn get(&self, name: &str) -> bool {
        let mut c = *self;
        c.get_mut(name).is_some_and(|b| *b)
    }

    /// Whether the `shopt` option `name` is on.
    pub fn shopt_on(&self, name: &str) -> bool {
        SHOPT_NAMES
            .iter()
            .position(|n| *n == name)
            .is_some_and(|i| self.shopt & (1 << i) != 0)
    }

    pub fn by_letter(&mut self, c: u8) -> Option<&mut bool> {
        match c {
            b'i' => Some(&mut self.interactive),
            b's' => Some(&mut self.stdin),
            _ => {
                let name = OPTION_NAMES.iter().find(|(_, l)| *l == Some(c))?.0;
                self.get_mut(name)
            }
        }
    }

    /// `$-`.
    pub fn flags(&self) -> Vec<u8> {
        let mut v = Vec::new();
        for (name, letter) in OPTION_NAMES {
            if let Some(l) = letter
                && self.get(name)
            {
                v.push(*l);
            }
        }
        if self.interactive {
            v.push(b'i');
        }
        if self.stdin {
            v.push(b's');
        }
        v
    }
}

/// A trap's action.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Trap {
    Ignore,
    Command(Vec<u8>),
}

/// A background job (no job control: a pipeline started with `&`).
#[derive(Debug, Clone)]
pub struct Job {
    pub pids: Vec<i32>,
    /// Status of each process once it ended.
    pub status: Vec<Option<WaitStatus>>,
}

impl Job {
    pub fn done(&self) -> bool {
        self.status.iter().all(Option::is_some)
    }
    pub fn last_status(&self) -> Option<WaitStatus> {
        self.status.last().copied().flatten()
    }
}

pub struct Shell {
    pub vars: Vars,
    pub funcs: FastMap<Box<[u8]>, Rc<Function>>,
    pub aliases: Rc<super::parse::Aliases>,
    pub opts: Opts,
    pub params: Vec<Vec<u8>>,
    pub arg0: Vec<u8>,
    /// `$?`
    pub status: i32,
    /// `$!`
    pub last_bg: Option<i32>,
    /// `$$`: the main shell's pid, also in subshells.
    pub pid: i32,
    /// Traps by signal number; index 0 is EXIT.
    pub traps: Vec<Option<Trap>>,
    /// Signals ignored when the shell started (cannot be trapped): a bit
    /// per signal, read on first need (64 sigaction calls at every start
    /// otherwise), always before the shell changes a disposition itself.
    ignored_at_start: Option<u128>,
    pub jobs: Vec<Job>,
    pub loop_depth: u32,
    pub func_depth: u32,
    /// `.` scripts being run (for `return`).
    pub dot_depth: u32,
    /// Forked subshell nesting (0 in the main shell).
    pub subshell: u32,
    /// PATH lookups remembered (`hash`).
    pub hash: FastMap<Box<[u8]>, Vec<u8>>,
    pub lineno: u32,
    /// `$_`: the last argument of the previous simple command (bash).
    pub last_arg: Vec<u8>,
    /// The function running now, for `$FUNCNAME` (bash, ash).
    pub cur_func: Option<Rc<Function>>,
    /// For `$SECONDS` and `$RANDOM` (bash, ash, mksh).
    pub started: std::time::Instant,
    pub rng: std::cell::Cell<u32>,
    /// Inside a context where `set -e` is ignored.
    pub errexit_off: u32,
    /// The last non-zero status came from a context where -e was ignored.
    pub ignored_failure: bool,
    /// Status of the last command substitution in the current command.
    pub cmdsub_status: Option<i32>,
    /// getopts: position inside the current clustered argument.
    pub getopts_pos: usize,
    pub in_trap: bool,
    /// The exit status `exit` in an EXIT trap defaults to.
    pub exit_status: i32,
    /// Name used in messages (`sh` or the script name).
    pub name: Vec<u8>,
    /// Running the EXIT trap already (do not run it twice).
    pub exiting: bool,
    /// In a forked child, the command being run is the child's last: an
    /// external command may replace the process instead of forking again
    /// (so `$!` and signals reach the command itself, and one fork is saved).
    pub exec_last: bool,
}

impl Shell {
    pub fn new(arg0: Vec<u8>) -> Shell {
        Shell {
            vars: Vars::from_env(),
            funcs: FastMap::default(),
            aliases: Rc::default(),
            opts: Opts::default(),
            params: Vec::new(),
            name: arg0.clone(),
            arg0,
            status: 0,
            last_bg: None,
            pid: sys::getpid(),
            // Signals 0 (EXIT) to 64, and ERR_TRAP.
            traps: vec![None; ERR_TRAP + 1],
            ignored_at_start: None,
            jobs: Vec::new(),
            loop_depth: 0,
            func_depth: 0,
            dot_depth: 0,
            subshell: 0,
            hash: FastMap::default(),
            lineno: 0,
            last_arg: Vec::new(),
            cur_func: None,
            started: std::time::Instant::now(),
            rng: std::cell::Cell::new(0),
            errexit_off: 0,
            ignored_failure: false,
            cmdsub_status: None,
            getopts_pos: 0,
            in_trap: false,
            exit_status: 0,
            exiting: false,
            exec_last: false,
        }
    }

    /// `sh: LINE: message` on stderr (dash's format for script errors).
    pub fn error(&self, parts: &[&[u8]]) {
        let mut m = Vec::with_capacity(64);
        m.extend_from_slice(&self.name);
        m.extend_from_slice(b": ");
        if !self.opts.interactive || self.lineno > 0 {
            m.extend_from_slice(self.lineno.to_string().as_bytes());
            m.extend_from_slice(b": ");
        }
        for p in parts {
            m.extend_from_slice(p);
        }
        m.push(b'\n');
        let _ = sys::write_all(2, &m);
    }

    /// Set a variable, reporting a readonly one. Handles special variables.
    pub fn set_var(&mut self, name: &[u8], value: Vec<u8>) -> Result<(), ()> {
        if name == b"PATH" {
            self.hash.clear();
        }
        if name == b"OPTIND" {
            self.getopts_pos = 0;
        }
        if self.vars.set(name, value).is_err() {
            self.error(&[name, b": is read only"]);
            return Err(());
        }
        if self.opts.allexport {
            self.vars.export(name, true);
        }
        Ok(())
    }

    /// Set a variable from a byte slice, reusing its storage.
    pub fn set_var_bytes(&mut self, name: &[u8], value: &[u8]) -> Result<(), ()> {
        if name == b"PATH" || name == b"OPTIND" || name == b"IFS" || self.opts.allexport {
            return self.set_var(name, value.to_vec());
        }
        if self.vars.set_bytes(name, value).is_err() {
            self.error(&[name, b": is read only"]);
            return Err(());
        }
        Ok(())
    }

    /// Set a variable or end the (non-interactive) shell on a readonly one.
    pub fn assign(&mut self, name: &[u8], value: Vec<u8>) -> R {
        if self.set_var(name, value).is_err() {
            self.status = 1;
            return Err(self.fatal(1));
        }
        Ok(())
    }

    /// The flow for an error that ends a non-interactive shell.
    pub fn fatal(&self, status: i32) -> Flow {
        Flow::Fatal(status)
    }

    pub fn get_var(&self, name: &[u8]) -> Option<&[u8]> {
        self.vars.get(name)
    }

    // ------------------------------------------------------------ lists

    pub fn run_program(&mut self, prog: &Program) -> R {
        let exec_last = std::mem::replace(&mut self.exec_last, false);
        let n = prog.items.len();
        for (i, item) in prog.items.iter().enumerate() {
            // `set -n` stops execution (but not in interactive shells).
            if self.opts.noexec && !self.opts.interactive {
                return Ok(());
            }
            self.exec_last = exec_last && i + 1 == n;
            self.run_item(item)?;
        }
        self.exec_last = false;
        Ok(())
    }

    fn run_item(&mut self, item: &Item) -> R {
        if item.background {
            return self.run_background(item);
        }
        self.run_and_or(&item.and_or)
    }

    pub fn run_and_or(&mut self, ao: &AndOr) -> R {
        let last = ao.rest.is_empty();
        let exec_last = std::mem::replace(&mut self.exec_last, false);
        self.exec_last = exec_last && last && !ao.first.bang;
        self.run_pipeline_checked(&ao.first, !last)?;
        for (i, (conn, p)) in ao.rest.iter().enumerate() {
            let run = match conn {
                Connector::And => self.status == 0,
                Connector::Or => self.status != 0,
            };
            if run {
                self.exec_last = exec_last && i + 1 == ao.rest.len() && !p.bang;
                self.run_pipeline_checked(p, i + 1 < ao.rest.len())?;
            }
        }
        Ok(())
    }

    /// Run the ERR trap (bash) after a failure `set -e` would act on.
    fn run_err_trap(&mut self) -> R {
        if self.in_trap {
            return Ok(());
        }
        let Some(Some(Trap::Command(cmd))) = self.traps.get(ERR_TRAP).cloned() else {
            return Ok(());
        };
        let saved = self.status;
        self.in_trap = true;
        let r = self.eval_string(&cmd);
        self.in_trap = false;
        match r {
            Err(f @ (Flow::Exit(_) | Flow::Fatal(_))) => return Err(f),
            _ => self.status = saved,
        }
        Ok(())
    }

    /// Run a pipeline and apply `set -e` to its status unless ignored.
    fn run_pipeline_checked(&mut self, p: &Pipeline, not_last: bool) -> R {
        let suppressed = not_last || p.bang;
        if suppressed {
            self.errexit_off += 1;
        }
        self.ignored_failure = false;
        let r = self.run_pipeline(p);
        if suppressed {
            self.errexit_off -= 1;
        }
        r?;
        self.check_signals()?;
        if self.status != 0 {
            if suppressed || self.errexit_off > 0 {
                self.ignored_failure = true;
            } else {
                let compound_ignored = self.ignored_failure
                    && p.cmds.len() == 1
                    && matches!(&p.cmds[0], Command::Compound(c, _) if !matches!(**c, Compound::Subshell(_)));
                // ERR runs once, for the command that failed: not again for
                // the brace group, if or loop around it, nor in functions
                // (bash without -E).
                let inner_ran = p.cmds.len() == 1
                    && matches!(&p.cmds[0], Command::Compound(c, _) if !matches!(**c, Compound::Subshell(_) | Compound::Arith(_) | Compound::Cond(_)));
                if !compound_ignored && !inner_ran && self.func_depth == 0 {
                    self.run_err_trap()?;
                }
                if !compound_ignored && self.opts.errexit {
                    return Err(Flow::Exit(self.status));
                }
            }
        }
        Ok(())
    }

    pub fn run_pipeline(&mut self, p: &Pipeline) -> R {
        let Some(posix) = p.time else {
            return self.run_pipeline_untimed(p);
        };
        let start = std::time::Instant::now();
        let (u0, s0, cu0, cs0, hz) = sys::times();
        let r = self.run_pipeline_untimed(p);
        let real = u64::try_from(start.elapsed().as_millis()).unwrap_or(u64::MAX);
        let (u1, s1, cu1, cs1, _) = sys::times();
        let ms = |a: u64, b: u64| super::builtins::ticks_ms(a.saturating_sub(b), hz);
        let user = ms(u1 + cu1, u0 + cu0);
        let system = ms(s1 + cs1, s0 + cs0);
        let mut text = Vec::new();
        for (name, t) in [(&b"real"[..], real), (b"user", user), (b"sys", system)] {
            if !posix && name == b"real" {
                text.push(b'\n');
            }
            text.extend_from_slice(name);
            if posix {
                // Seconds with two decimals, rounded.
                let cs = (t + 5) / 10;
                use ibex::put::Put;
                text.c(b' ').u(cs / 100).c(b'.');
                super::builtins::put_digits(&mut text, cs % 100, 2);
            } else {
                text.push(b'\t');
                super::builtins::put_min_sec(&mut text, t);
            }
            text.push(b'\n');
        }
        let _ = sys::write_all(2, &text);
        r
    }

    fn run_pipeline_untimed(&mut self, p: &Pipeline) -> R {
        if p.cmds.len() == 1 {
            let r = self.run_command(&p.cmds[0]);
            if p.bang {
                self.status = i32::from(self.status == 0);
            }
            return r;
        }
        let mut pids = Vec::with_capacity(p.cmds.len());
        let mut prev_read: Option<i32> = None;
        for (i, cmd) in p.cmds.iter().enumerate() {
            let last = i + 1 == p.cmds.len();
            let pipe = if last {
                None
            } else {
                match sys::pipe_raw() {
                    Ok(fds) => Some(fds),
                    Err(e) => {
                        self.error(&[b"pipe: ", ibex::error::reason(&e).as_bytes()]);
                        if let Some(fd) = prev_read {
                            sys::close_raw(fd);
                        }
                        self.status = 2;
                        return Ok(());
                    }
                }
            };
            let spawned = self.spawn_in_pipeline(cmd, prev_read, pipe.map(|(_, w)| w));
            match spawned.map_or_else(|| self.fork_child(), Ok) {
                Ok(0) => {
                    if let Some(fd) = prev_read {
                        let _ = sys::dup2(fd, 0);
                        sys::close_raw(fd);
                    }
                    if let Some((r, w)) = pipe {
                        sys::close_raw(r);
                        let _ = sys::dup2(w, 1);
                        sys::close_raw(w);
                    }
                    self.exec_last = true;
                    let r = self.run_command(cmd);
                    self.exit_child(r);
                }
                Ok(pid) => pids.push(pid),
                Err(e) => {
                    self.error(&[b"fork: ", ibex::error::reason(&e).as_bytes()]);
                    self.status = 2;
                }
            }
            if let Some(fd) = prev_read {
                sys::close_raw(fd);
            }
            prev_read = None;
            if let Some((r, w)) = pipe {
                sys::close_raw(w);
                prev_read = Some(r);
            }
        }
        let statuses = self.wait_pids(&pids);
        let mut status = statuses.last().map_or(0, |s| s.code());
        if self.opts.pipefail
            && let Some(bad) = statuses.iter().rev().find(|s| s.code() != 0)
        {
            status = bad.code();
        }
        self.status = if p.bang {
            i32::from(status == 0)
        } else {
            status
        };
        Ok(())
    }

    /// Wait for foreground children, returning their statuses in order.
    pub fn wait_pids(&mut self, pids: &[i32]) -> Vec<WaitStatus> {
        let mut out: Vec<Option<WaitStatus>> = vec![None; pids.len()];
        let mut left = pids.len();
        while left > 0 {
            match sys::waitpid(-1, 0, false) {
                Ok(Some((pid, st))) => {
                    if let Some(i) = pids.iter().position(|&p| p == pid) {
                        if out[i].is_none() {
                            left -= 1;
                        }
                        out[i] = Some(st);
                    } else {
                        self.record_job_status(pid, st);
                    }
                }
                Ok(None) => {}
                Err(_) => break,
            }
        }
        out.into_iter()
            .map(|s| s.unwrap_or(WaitStatus::Exited(127)))
            .collect()
    }

    pub fn record_job_status(&mut self, pid: i32, st: WaitStatus) {
        for job in &mut self.jobs {
            if let Some(i) = job.pids.iter().position(|&p| p == pid) {
                job.status[i] = Some(st);
            }
        }
    }

    /// Fork, preparing the child as a subshell: traps reset, no jobs.
    pub fn fork_child(&mut self) -> std::io::Result<i32> {
        let mask = sys::block_all_signals(true);
        let pid = sys::fork();
        if let Ok(0) = pid {
            self.subshell += 1;
            self.jobs.clear();
            self.opts.interactive = false;
            self.reset_traps_in_subshell();
        }
        sys::set_signal_mask(&mask);
        pid
    }

    /// Was `sig` ignored when the shell started?
    pub fn ignored_at_start(&mut self, sig: usize) -> bool {
        let bits = *self.ignored_at_start.get_or_insert_with(|| {
            (1..=64).fold(0u128, |b, i| {
                if sys::get_disposition(i) == sys::Disposition::Ignore {
                    b | 1 << i
                } else {
                    b
                }
            })
        });
        sig < 128 && bits >> sig & 1 == 1
    }

    fn reset_traps_in_subshell(&mut self) {
        for sig in 1..self.traps.len() {
            if let Some(Trap::Command(_)) = self.traps[sig] {
                self.traps[sig] = None;
                let _ = sys::set_disposition(sig as i32, sys::Disposition::Default, false);
            }
        }
        if let Some(Trap::Command(_)) = self.traps.first().cloned().flatten() {
            self.traps[0] = None;
        }
    }

    /// End a forked child with the status its commands left.
    pub fn exit_child(&mut self, r: R) -> ! {
        let code = match r {
            Err(Flow::Exit(c) | Flow::Fatal(c)) => c,
            _ => self.status,
        };
        let code = self.run_exit_trap(code);
        sys::exit_now(code & 0xff)
    }

    fn run_background(&mut self, item: &Item) -> R {
        match self.fork_child() {
            Ok(0) => {
                if !self.opts.monitor {
                    // Learn the dispositions the shell was started with
                    // before changing any.
                    self.ignored_at_start(0);
                    let _ = sys::set_disposition(sys::SIGINT, sys::Disposition::Ignore, false);
                    let _ = sys::set_disposition(sys::SIGQUIT, sys::Disposition::Ignore, false);
                    // Without job control, background jobs read /dev/null.
                    if let Ok(fd) = sys::open_raw(b"/dev/null", sys::O_RDONLY, 0) {
                        let _ = sys::dup2(fd, 0);
                        if fd != 0 {
                            sys::close_raw(fd);
                        }
                    }
                }
                self.exec_last = true;
                let r = self.run_and_or(&item.and_or);
                self.exit_child(r);
            }
            Ok(pid) => {
                self.last_bg = Some(pid);
                self.jobs.push(Job {
                    pids: vec![pid],
                    status: vec![None],
                });
                self.status = 0;
            }
            Err(e) => {
                self.error(&[b"fork: ", ibex::error::reason(&e).as_bytes()]);
                self.status = 2;
            }
        }
        Ok(())
    }

    // ------------------------------------------------------------ commands

    pub fn run_command(&mut self, cmd: &Command) -> R {
        if !super::stack::has_room(3) {
            self.error(&[b"nesting too deep"]);
            self.status = 2;
            return Err(Flow::Fatal(2));
        }
        match cmd {
            Command::Simple(s) => self.run_simple(s),
            Command::Compound(c, redirs) => {
                if redirs.is_empty() {
                    return self.run_compound(c);
                }
                let saved = match self.redirect(redirs, true) {
                    Ok(s) => s,
                    Err(()) => {
                        // Not a reason for `set -e` to end the shell (as bash).
                        self.status = 1;
                        self.ignored_failure = true;
                        return Ok(());
                    }
                };
                let r = self.run_compound(c);
                self.restore(saved);
                r
            }
            Command::Function(f) => {
                self.funcs.insert(f.name.clone(), f.clone());
                self.status = 0;
                Ok(())
            }
        }
    }

    fn run_compound(&mut self, c: &Compound) -> R {
        match c {
            Compound::Brace(p) => self.run_program(p),
            Compound::Arith(w) => {
                let v = self.arith(w)?;
                self.status = i32::from(v == 0);
                Ok(())
            }
            Compound::Cond(e) => {
                self.status = match self.cond(e)? {
                    Some(true) => 0,
                    Some(false) => 1,
                    None => 2,
                };
                Ok(())
            }
            Compound::Subshell(p) => {
                match self.fork_child() {
                    Ok(0) => {
                        self.exec_last = true;
                        let r = self.run_program(p);
                        self.exit_child(r);
                    }
                    Ok(pid) => {
                        let st = self.wait_pids(&[pid]);
                        self.status = st.first().map_or(0, |s| s.code());
                    }
                    Err(e) => {
                        self.error(&[b"fork: ", ibex::error::reason(&e).as_bytes()]);
                        self.status = 2;
                    }
                }
                Ok(())
            }
            Compound::If {
                branches,
                otherwise,
            } => {
                // Conditions never replace the process; the branch taken may.
                let exec_last = std::mem::replace(&mut self.exec_last, false);
                for (cond, body) in branches {
                    self.errexit_off += 1;
                    let r = self.run_program(cond);
                    self.errexit_off -= 1;
                    r?;
                    if self.status == 0 {
                        self.exec_last = exec_last;
                        return self.run_program(body);
                    }
                }
                self.exec_last = exec_last;
                match otherwise {
                    Some(p) => self.run_program(p),
                    None => {
                        self.status = 0;
                        Ok(())
                    }
                }
            }
            Compound::Loop { until, cond, body } => {
                self.exec_last = false;
                let mut status = 0;
                self.loop_depth += 1;
                let r = loop {
                    self.errexit_off += 1;
                    let r = self.run_program(cond);
                    self.errexit_off -= 1;
                    match r {
                        Ok(()) => {}
                        Err(Flow::Break(n)) => {
                            if n > 1 {
                                break Err(Flow::Break(n - 1));
                            }
                            break Ok(());
                        }
                        Err(Flow::Continue(n)) => {
                            if n > 1 {
                                break Err(Flow::Continue(n - 1));
                            }
                            continue;
                        }
                        Err(f) => break Err(f),
                    }
                    if (self.status == 0) == *until {
                        break Ok(());
                    }
                    match self.run_program(body) {
                        Ok(()) => status = self.status,
                        Err(Flow::Break(n)) => {
                            status = self.status;
                            if n > 1 {
                                break Err(Flow::Break(n - 1));
                            }
                            break Ok(());
                        }
                        Err(Flow::Continue(n)) => {
                            status = self.status;
                            if n > 1 {
                                break Err(Flow::Continue(n - 1));
                            }
                        }
                        Err(f) => break Err(f),
                    }
                };
                self.loop_depth -= 1;
                // return/exit out of the loop keep the status they set.
                if !matches!(r, Err(Flow::Return | Flow::Exit(_) | Flow::Fatal(_))) {
                    self.status = status;
                }
                r
            }
            Compound::For {
                var,
                words,
                body,
                line,
            } => {
                self.exec_last = false;
                self.lineno = *line;
                let items = match words {
                    Some(ws) => {
                        let mut out = Vec::new();
                        self.expand_words(ws, &mut out)?;
                        out
                    }
                    None => self.params.clone(),
                };
                self.status = 0;
                self.loop_depth += 1;
                let mut r = Ok(());
                for item in items {
                    if let Err(f) = self.assign(var, item) {
                        r = Err(f);
                        break;
                    }
                    match self.run_program(body) {
                        Ok(()) => {}
                        Err(Flow::Break(n)) => {
                            if n > 1 {
                                r = Err(Flow::Break(n - 1));
                            }
                            break;
                        }
                        Err(Flow::Continue(n)) => {
                            if n > 1 {
                                r = Err(Flow::Continue(n - 1));
                                break;
                            }
                        }
                        Err(f) => {
                            r = Err(f);
                            break;
                        }
                    }
                }
                self.loop_depth -= 1;
                r
            }
            Compound::Case { word, arms, line } => {
                self.lineno = *line;
                let subject = self.expand_string(word)?;
                let mut start = 0;
                let mut ran = false;
                loop {
                    let mut matched: Option<usize> = None;
                    'arms: for (i, arm) in arms.iter().enumerate().skip(start) {
                        for pat in &arm.patterns {
                            // Plain unquoted text is its own pattern: nothing
                            // to expand or copy.
                            let hit = match pat.as_literal() {
                                Some(lit) if !lit.starts_with(b"~") => {
                                    super::expand::pattern_match(lit, &subject)
                                }
                                _ => super::expand::pattern_match(
                                    &self.expand_pattern(pat)?,
                                    &subject,
                                ),
                            };
                            if hit {
                                matched = Some(i);
                                break 'arms;
                            }
                        }
                    }
                    // $? in the arm is still the status from before `case`;
                    // the case's status is 0 when no command runs.
                    let Some(mut i) = matched else {
                        if !ran {
                            self.status = 0;
                        }
                        break;
                    };
                    ran = true;
                    loop {
                        let arm = &arms[i];
                        if arm.body.items.is_empty() {
                            self.status = 0;
                        }
                        self.run_program(&arm.body)?;
                        if arm.fallthrough && i + 1 < arms.len() {
                            i += 1;
                        } else {
                            break;
                        }
                    }
                    if !arms[i].test_next {
                        break;
                    }
                    start = i + 1;
                }
                Ok(())
            }
        }
    }

    /// Evaluate a `[[ ]]` expression; None for an error (status 2).
    fn cond(&mut self, e: &CondExpr) -> Result<Option<bool>, Flow> {
        Ok(match e {
            CondExpr::Not(e) => self.cond(e)?.map(|b| !b),
            CondExpr::And(a, b) => match self.cond(a)? {
                Some(true) => self.cond(b)?,
                other => other,
            },
            CondExpr::Or(a, b) => match self.cond(a)? {
                Some(false) => self.cond(b)?,
                other => other,
            },
            CondExpr::Word(w) => Some(!self.expand_string(w)?.is_empty()),
            CondExpr::Unary(op, w) => {
                let v = self.expand_string(w)?;
                let argv = vec![b"test".to_vec(), op.to_vec(), v];
                super::builtins::run_test(self, &argv)
            }
            CondExpr::Binary(op, a, b) => {
                let l = self.expand_string(a)?;
                match &**op {
                    b"=" | b"==" | b"!=" => {
                        let p = self.expand_pattern(b)?;
                        let m = ibex::fnmatch::fnmatch(&p, &l, ibex::fnmatch::Flags::default());
                        Some(m == (&**op != b"!="))
                    }
                    b"<" => Some(l < self.expand_string(b)?),
                    b">" => Some(l > self.expand_string(b)?),
                    b"=~" => {
                        let re = self.expand_pattern(b)?;
                        let re = unescape_pattern(&re);
                        let flags = ibex::regex::Flags {
                            extended: true,
                            ..ibex::regex::Flags::default()
                        };
                        match ibex::regex::Regex::new(&re, flags) {
                            // GNU extensions glibc's regcomp rejects (a
                            // leading `*`) are errors here too.
                            Ok(r) if r.warnings().is_empty() => Some(r.is_match(&l)),
                            _ => None,
                        }
                    }
                    b"-eq" | b"-ne" | b"-lt" | b"-le" | b"-gt" | b"-ge" => {
                        // Operands are arithmetic expressions (bash).
                        let x = self.arith(a)?;
                        let y = self.arith(b)?;
                        Some(match &**op {
                            b"-eq" => x == y,
                            b"-ne" => x != y,
                            b"-lt" => x < y,
                            b"-le" => x <= y,
                            b"-gt" => x > y,
                            _ => x >= y,
                        })
                    }
                    _ => {
                        let r = self.expand_string(b)?;
                        let argv = vec![b"test".to_vec(), l, op.to_vec(), r];
                        super::builtins::run_test(self, &argv)
                    }
                }
            }
        })
    }

    /// Run pending traps for signals that arrived.
    pub fn check_signals(&mut self) -> R {
        if !sys::signal_pending() || self.in_trap {
            return Ok(());
        }
        while let Some(sig) = sys::take_signal() {
            let action = self.traps.get(sig as usize).cloned().flatten();
            if let Some(Trap::Command(cmd)) = action {
                let saved = self.status;
                let saved_exit = std::mem::replace(&mut self.exit_status, saved);
                self.in_trap = true;
                let r = self.eval_string(&cmd);
                self.in_trap = false;
                self.exit_status = saved_exit;
                match r {
                    Err(f @ (Flow::Exit(_) | Flow::Fatal(_))) => return Err(f),
                    // `return` in a trap returns from the function it interrupted,
                    // with the status from before the trap unless given one.
                    Err(Flow::Return) if self.func_depth > 0 || self.dot_depth > 0 => {
                        return Err(Flow::Return);
                    }
                    _ => self.status = saved,
                }
            }
        }
        Ok(())
    }

    /// Parse and run a string in the current shell (eval, traps).
    pub fn eval_string(&mut self, text: &[u8]) -> R {
        let mut parser = super::parse::Parser::new(text.to_vec(), None, self.lineno);
        loop {
            parser.set_aliases(&self.aliases);
            match parser.parse_next() {
                Ok(Some(prog)) => self.run_program(&prog)?,
                Ok(None) => return Ok(()),
                Err(e) => {
                    self.syntax_error(&e);
                    self.status = 2;
                    return Err(Flow::Fatal(2));
                }
            }
        }
    }

    pub fn syntax_error(&mut self, e: &super::parse::ParseError) {
        let saved = self.lineno;
        self.lineno = e.line;
        self.error(&[b"syntax error: ", &e.msg]);
        self.lineno = saved;
    }

    /// Run the EXIT trap (once) and return the status to exit with.
    pub fn run_exit_trap(&mut self, status: i32) -> i32 {
        if self.exiting {
            return status;
        }
        self.exiting = true;
        let Some(Some(Trap::Command(cmd))) = self.traps.first().cloned() else {
            return status;
        };
        self.traps[0] = None;
        self.status = status;
        self.exit_status = status;
        self.in_trap = true;
        match self.eval_string(&cmd) {
            Err(Flow::Exit(c) | Flow::Fatal(c)) => c,
            _ => status,
        }
    }
}
