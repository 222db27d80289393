//! xargs: build command lines from standard input and run them.
//!
//! Input is split into blank- or newline-separated words with POSIX
//! quoting (`'...'`, `"..."`, backslash), or at a delimiter (`-0`, `-d`)
//! with no quoting. Commands are limited by `-s` (default 128 KiB, at most
//! ARG_MAX minus the environment), `-n` arguments or `-L` lines; `-I`
//! runs one command per line with the replacement string substituted.
//! `-P` runs commands in parallel. Exit status as GNU: 123 when a command
//! failed, 124 when one exited 255, 125 when one was killed, 126 when a
//! command could not be run, 127 when it was not found.

use ibex::args::{Parser, Spec, flag, optional, value};
use ibex::sys::{self, WaitStatus};
use ibex::{Exit, Status, msg};
use std::ffi::{OsStr, OsString};
use std::os::fd::{AsRawFd, OwnedFd, RawFd};
use std::os::unix::ffi::{OsStrExt, OsStringExt};

const USAGE: ibex::usage::Usage = ibex::usage!(
    xargs,
    "xargs [OPTIONS] [PROG [ARGS]...]

Run PROG on every item given by stdin

\t-0\tInput is separated by NUL characters
\t-d CHAR\tInput is separated by CHAR
\t-a FILE\tRead items from FILE instead of stdin
\t-n N\tPass no more than N args to PROG
\t-L N\tPass no more than N input lines to PROG (-l: 1)
\t-I STR\tReplace STR within PROG ARGS with each input line (-i: {})
\t-s N\tPass command lines of no more than N bytes
\t-x\tExit if the size (-s) is exceeded
\t-E STR\tStop at input word STR (-e[STR])
\t-P N\tRun up to N PROGs in parallel (0: no limit)
\t-r\tDon't run PROG if input is empty
\t-t\tPrint the command on stderr before running it
\t-p\tAsk (on /dev/tty) before running each command
\t--process-slot-var=VAR\tSet VAR to the slot number in each child"
);

const SLOT_VAR: u32 = 256;
const LONGS: &[ibex::args::Long] = &[
    flag("null", '0' as u32),
    value("delimiter", 'd' as u32),
    value("arg-file", 'a' as u32),
    value("max-args", 'n' as u32),
    value("max-lines", 'L' as u32),
    optional("replace", 'i' as u32),
    value("max-chars", 's' as u32),
    flag("exit", 'x' as u32),
    optional("eof", 'e' as u32),
    value("max-procs", 'P' as u32),
    flag("no-run-if-empty", 'r' as u32),
    flag("verbose", 't' as u32),
    flag("interactive", 'p' as u32),
    value("process-slot-var", SLOT_VAR),
];
const SPEC: Spec = Spec::new("+0d:a:n:L:l::I:i::s:xE:e::P:rtp", LONGS, USAGE);

const DEFAULT_SIZE: usize = 128 * 1024;

fn bad_num(what: &str, v: &[u8]) -> Exit {
    msg!("invalid number \"", v, "\" for -", what, " option");
    try_help();
    Exit(1)
}

fn try_help() {
    let _ = sys::write_all(2, b"Try 'xargs --help' for more information.\n");
}

fn number(what: &str, v: &[u8], min: u64) -> Result<u64, Exit> {
    match ibex::num::parse_u64(v) {
        Ok(n) if n >= min => Ok(n),
        Ok(n) => {
            msg!("value ", n, " for -", what, " option should be >= ", min);
            try_help();
            Err(Exit(1))
        }
        Err(_) => Err(bad_num(what, v)),
    }
}

/// The byte given to -d: a character, or a C escape (`\n`, `\t`, `\0`,
/// `\x41`, `\101`).
fn delimiter(v: &[u8]) -> Option<u8> {
    match v {
        [c] => Some(*c),
        [b'\\', rest @ ..] => {
            let u = ibex::escape::unescape(v, ibex::escape::Octal::Plain);
            if rest.is_empty() {
                return None;
            }
            match u.bytes.as_slice() {
                [c] => Some(*c),
                _ => None,
            }
        }
        _ => None,
    }
}

struct Input {
    fd: RawFd,
    buf: Vec<u8>,
    pos: usize,
    len: usize,
    eof: bool,
}

impl Input {
    fn byte(&mut self) -> Option<u8> {
        if self.pos == self.len {
            if self.eof {
                return None;
            }
            loop {
                match sys::read(self.fd, &mut self.buf) {
                    Ok(0) => {
                        self.eof = true;
                        return None;
                    }
                    Ok(n) => {
                        self.pos = 0;
                        self.len = n;
                        break;
                    }
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                    Err(e) => {
                        ibex::error::io_error("read error", &e);
                        self.eof = true;
                        return None;
                    }
                }
            }
        }
        let b = self.buf.get(self.pos).copied();
        self.pos += 1;
        b
    }
}

enum Mode {
    Quoted,
    Delim(u8),
    /// -I: one item per line, leading blanks dropped.
    Lines,
}

/// An input item; `eol` when it ends a (logical) line.
struct Item {
    word: Vec<u8>,
    eol: bool,
}

enum Next {
    Item(Item),
    End,
    QuoteError(&'static str),
}

fn is_blank(b: u8) -> bool {
    b == b' ' || b == b'\t'
}

fn next_item(inp: &mut Input, mode: &Mode) -> Next {
    match mode {
        Mode::Delim(d) => {
            let mut w = Vec::new();
            loop {
                match inp.byte() {
                    None if w.is_empty() => return Next::End,
                    None => break,
                    Some(b) if b == *d => break,
                    Some(b) => w.push(b),
                }
            }
            Next::Item(Item { word: w, eol: true })
        }
        Mode::Quoted | Mode::Lines => {
            let lines = matches!(mode, Mode::Lines);
            let mut w = Vec::new();
            let mut have = false;
            loop {
                let Some(b) = inp.byte() else {
                    if have {
                        return Next::Item(Item { word: w, eol: true });
                    }
                    return Next::End;
                };
                match b {
                    b'\n' => {
                        if have {
                            return Next::Item(Item { word: w, eol: true });
                        }
                    }
                    // -I/-L lines skip all leading white space (GNU).
                    0x0b | 0x0c | b'\r' if lines && !have => {}
                    b' ' | b'\t' if !lines || !have => {
                        if have {
                            // End of the word. A line that ends in blanks goes
                            // on to the next one (for -L).
                            loop {
                                match inp.byte() {
                                    Some(c) if is_blank(c) => {}
                                    Some(b'\n') => {
                                        return Next::Item(Item {
                                            word: w,
                                            eol: false,
                                        });
                                    }
                                    Some(_) => {
                                        // Give the byte back: it starts the next word.
                                        inp.pos -= 1;
                                        return Next::Item(Item {
                                            word: w,
                                            eol: false,
                                        });
                                    }
                                    None => return Next::Item(Item { word: w, eol: true }),
                                }
                            }
                        }
                    }
                    b'\'' | b'"' => {
                        have = true;
                        loop {
                            match inp.byte() {
                                Some(c) if c == b => break,
                                Some(b'\n') | None => {
                                    return Next::QuoteError(if b == b'\'' {
                                        "single"
                                    } else {
                                        "double"
                                    });
                                }
                                Some(c) => w.push(c),
                            }
                        }
                    }
                    b'\\' => {
                        have = true;
                        match inp.byte() {
                            Some(c) => w.push(c),
                            None => {
                                return Next::Item(Item { word: w, eol: true });
                            }
                        }
                    }
                    _ => {
                        have = true;
                        w.push(b);
                    }
                }
            }
        }
    }
}

struct Runner {
    verbose: bool,
    prompt: bool,
    null_stdin: bool,
    max_procs: usize,
    slot_var: Option<OsString>,
    running: Vec<(i32, usize, Vec<u8>)>,
    status: i32,
    /// Stop: a command exited 255, was killed, or could not be run.
    fatal: Option<i32>,
    tty: Option<OwnedFd>,
}

impl Runner {
    fn confirm(&mut self, line: &[u8]) -> bool {
        if self.tty.is_none() {
            match sys::open(b"/dev/tty", sys::O_RDONLY | sys::O_CLOEXEC, 0) {
                Ok(fd) => self.tty = Some(fd),
                Err(e) => {
                    let _ = sys::write_all(2, line.trim_ascii_end());
                    msg!("failed to open /dev/tty for reading: ", e);
                    self.fatal = Some(1);
                    return false;
                }
            }
        }
        let mut m = line.to_vec();
        m.extend_from_slice(b"?...");
        let _ = sys::write_all(2, &m);
        let fd = self.tty.as_ref().map_or(0, |f| f.as_raw_fd());
        let mut first = None;
        let mut b = [0u8; 1];
        while let Ok(1) = sys::read(fd, &mut b) {
            if first.is_none() {
                first = Some(b[0]);
            }
            if b[0] == b'\n' {
                break;
            }
        }
        matches!(first, Some(b'y' | b'Y'))
    }

    fn run(&mut self, argv: Vec<Vec<u8>>) {
        if self.fatal.is_some() {
            return;
        }
        if self.verbose || self.prompt {
            let mut line = Vec::new();
            for (i, a) in argv.iter().enumerate() {
                if i > 0 {
                    line.push(b' ');
                }
                line.extend_from_slice(a);
            }
            if self.prompt {
                line.push(b' ');
                if !self.confirm(&line) {
                    return;
                }
            } else {
                line.push(b'\n');
                let _ = sys::write_all(2, &line);
            }
        }
        let limit = if self.max_procs == 0 {
            usize::MAX
        } else {
            self.max_procs
        };
        while self.running.len() >= limit {
            if !self.wait_one() {
                break;
            }
        }
        let name = argv.first().cloned().unwrap_or_default();
        let slot = (0..)
            .find(|s| !self.running.iter().any(|r| r.1 == *s))
            .unwrap_or(0);
        if let Some(var) = &self.slot_var {
            sys::set_env(var, OsStr::new(&slot.to_string()));
        }
        let args: Vec<OsString> = argv.into_iter().map(OsString::from_vec).collect();
        match sys::spawn(&args, None, self.null_stdin) {
            Ok(pid) => self.running.push((pid, slot, name)),
            Err(e) => {
                ibex::error::io_error(&name[..], &e);
                self.fatal = Some(if e.raw_os_error() == Some(libc::ENOENT) {
                    127
                } else {
                    126
                });
            }
        }
        if self.max_procs == 1 {
            self.wait_all();
        }
    }

    /// Wait for one child; false when there is none.
    fn wait_one(&mut self) -> bool {
        let Ok(Some((pid, ws))) = sys::waitpid(-1, 0, false) else {
            self.running.clear();
            return false;
        };
        let Some(i) = self.running.iter().position(|r| r.0 == pid) else {
            return true;
        };
        let (_, _, name) = self.running.swap_remove(i);
        match ws {
            WaitStatus::Exited(0) => {}
            WaitStatus::Exited(255) => {
                msg!(&name[..], ": exited with status 255; aborting");
                self.fatal.get_or_insert(124);
            }
            WaitStatus::Exited(_) => self.status = 123,
            WaitStatus::Signaled(sig, _) => {
                msg!(&name[..], ": terminated by signal ", sig);
                self.fatal.get_or_insert(125);
            }
            _ => {}
        }
        true
    }

    fn wait_all(&mut self) {
        while !self.running.is_empty() {
            if !self.wait_one() {
                break;
            }
        }
    }
}

pub fn main(argv: &[OsString]) -> Status {
    let mut p = Parser::new(argv, &SPEC);
    let mut mode = Mode::Quoted;
    let mut arg_file: Option<&OsStr> = None;
    let mut max_args: Option<usize> = None;
    let mut max_lines: Option<usize> = None;
    let mut replace: Option<Vec<u8>> = None;
    let mut size: Option<u64> = None;
    let mut exit_big = false;
    let mut eof: Option<Vec<u8>> = None;
    let mut procs = 1usize;
    let mut no_empty = false;
    let mut verbose = false;
    let mut prompt = false;
    let mut slot_var = None;
    while let Some((id, v)) = p.next()? {
        let val = v.map(|v| v.as_bytes()).unwrap_or(b"");
        match id {
            0x30 => mode = Mode::Delim(0),
            0x64 => match delimiter(val) {
                Some(d) => mode = Mode::Delim(d),
                None => {
                    msg!(
                        "Invalid input delimiter specification ",
                        val,
                        ": the delimiter must be either a single character or an escape sequence starting with \\."
                    );
                    return Ok(1);
                }
            },
            0x61 => arg_file = v,
            0x6e => {
                max_args = Some(number("n", val, 1)? as usize);
                max_lines = None;
            }
            0x4c => {
                max_lines = Some(number("L", val, 1)? as usize);
                max_args = None;
            }
            0x6c => {
                max_lines = Some(if val.is_empty() {
                    1
                } else {
                    number("l", val, 1)? as usize
                });
                max_args = None;
            }
            0x49 | 0x69 => {
                replace = Some(if val.is_empty() && id == 0x69 {
                    b"{}".to_vec()
                } else {
                    val.to_vec()
                });
            }
            0x73 => size = Some(number("s", val, 1)?),
            0x78 => exit_big = true,
            0x45 | 0x65 => {
                eof = if val.is_empty() {
                    None
                } else {
                    Some(val.to_vec())
                }
            }
            0x50 => {
                procs = match ibex::num::parse_u64(val) {
                    Ok(n) => usize::try_from(n).unwrap_or(usize::MAX),
                    Err(_) => return Err(bad_num("P", val)),
                }
            }
            0x72 => no_empty = true,
            0x74 => verbose = true,
            0x70 => prompt = true,
            SLOT_VAR => slot_var = v.map(OsStr::to_os_string),
            _ => {}
        }
    }
    let ops = p.operands();
    let mut base: Vec<Vec<u8>> = ops.iter().map(|a| a.as_bytes().to_vec()).collect();
    if base.is_empty() {
        base.push(b"echo".to_vec());
    }
    if replace.is_some() {
        exit_big = true;
        max_lines = Some(1);
        max_args = None;
        if matches!(mode, Mode::Quoted) {
            mode = Mode::Lines;
        }
    }

    let env: usize = std::env::vars_os()
        .map(|(k, v)| k.len() + v.len() + 2)
        .sum();
    let sys_max = sys::arg_max()
        .saturating_sub(env)
        .saturating_sub(2048)
        .max(4096);
    let limit = match size {
        Some(s) if s > sys_max as u64 => {
            msg!("value ", s, " for -s option should be <= ", sys_max as u64);
            sys_max
        }
        Some(s) => s as usize,
        None => DEFAULT_SIZE.min(sys_max),
    };

    let file_fd;
    let fd = match arg_file {
        Some(f) if f.as_bytes() != b"-" => {
            match sys::open(f.as_bytes(), sys::O_RDONLY | sys::O_CLOEXEC, 0) {
                Ok(fd) => {
                    file_fd = fd;
                    file_fd.as_raw_fd()
                }
                Err(e) => {
                    msg!("Cannot open input file '", f, "': ", e);
                    return Ok(1);
                }
            }
        }
        _ => 0,
    };
    let mut inp = Input {
        fd,
        buf: vec![0; 64 * 1024],
        pos: 0,
        len: 0,
        eof: false,
    };
    let mut r = Runner {
        verbose,
        prompt,
        null_stdin: arg_file.is_none(),
        max_procs: procs,
        slot_var,
        running: Vec::new(),
        status: 0,
        fatal: None,
        tty: None,
    };

    let base_size: usize = base.iter().map(|a| a.len() + 1).sum();
    if base_size > limit {
        msg!("cannot fit single argument within argument list size limit");
        return Ok(1);
    }
    let mut args: Vec<Vec<u8>> = Vec::new();
    let mut cur = base_size;
    let mut lines = 0usize;
    let mut ran = false;
    let mut status = 0;
    loop {
        if r.fatal.is_some() {
            break;
        }
        let item = match next_item(&mut inp, &mode) {
            Next::Item(i) => i,
            Next::End => break,
            Next::QuoteError(which) => {
                msg!(
                    "unmatched ",
                    which,
                    " quote; by default quotes are special to xargs unless you use the -0 option"
                );
                status = 1;
                break;
            }
        };
        if let (Some(e), Mode::Quoted | Mode::Lines) = (&eof, &mode)
            && *e == item.word
        {
            break;
        }
        if let Some(rs) = &replace {
            let argv: Vec<Vec<u8>> = base
                .iter()
                .map(|a| replace_all(a, rs, &item.word))
                .collect();
            let sz: usize = argv.iter().map(|a| a.len() + 1).sum();
            if sz > limit {
                msg!("argument line too long");
                status = 1;
                break;
            }
            ran = true;
            r.run(argv);
            continue;
        }
        let cost = item.word.len() + 1;
        if base_size + cost > limit {
            msg!("argument line too long");
            args.clear();
            status = 1;
            break;
        }
        if cur + cost > limit && !args.is_empty() {
            if exit_big && (max_args.is_some() || max_lines.is_some()) {
                msg!("argument list too long");
                args.clear();
                status = 1;
                break;
            }
            let mut cmd = base.clone();
            cmd.append(&mut args);
            ran = true;
            r.run(cmd);
            cur = base_size;
            lines = 0;
        }
        cur += cost;
        args.push(item.word);
        if item.eol {
            lines += 1;
        }
        let full = max_args.is_some_and(|n| args.len() >= n)
            || max_lines.is_some_and(|n| item.eol && lines >= n);
        if full {
            let mut cmd = base.clone();
            cmd.append(&mut args);
            ran = true;
            r.run(cmd);
            cur = base_size;
            lines = 0;
        }
    }
    if r.fatal.is_none()
        && (!args.is_empty() || (!ran && !no_empty && replace.is_none() && status == 0))
    {
        let mut cmd = base;
        cmd.append(&mut args);
        r.run(cmd);
    }
    r.wait_all();
    if let Some(f) = r.fatal {
        return Ok(f);
    }
    if status != 0 {
        return Ok(status);
    }
    Ok(r.status)
}

fn replace_all(a: &[u8], pat: &[u8], with: &[u8]) -> Vec<u8> {
    if pat.is_empty() {
        return a.to_vec();
    }
    let mut v = Vec::with_capacity(a.len() + with.len());
    let mut i = 0;
    while let Some(k) = memchr::memmem::find(&a[i..], pat) {
        v.extend_from_slice(&a[i..i + k]);
        v.extend_from_slice(with);
        i += k + pat.len();
    }
    v.extend_from_slice(&a[i..]);
    v
}
