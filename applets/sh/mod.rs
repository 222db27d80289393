//! sh: the POSIX shell. Layers, each in its own module: `parse` (lexer and
//! parser to the `ast`), `expand` (word expansion, with `arith`), `exec` and
//! `simple` (execution), `builtins`, `vars`; the OS boundary is `ibex::sys`.

mod arith;
mod ast;
mod builtins;
mod exec;
mod expand;
mod parse;
mod simple;
mod spawn;
mod stack;
mod vars;

use exec::{Flow, R, Shell};
use ibex::Status;
use ibex::sys;
use std::ffi::OsString;
use std::os::unix::ffi::OsStrExt;

const USAGE: ibex::usage::Usage = ibex::usage!(
    sh,
    "sh [-aCefhimnuvx] [-o OPT]... [-c 'SCRIPT' [ARG0 [ARGS]] | FILE [ARGS] | -s [ARGS]]

POSIX shell

\t-c SCRIPT\tRun SCRIPT (ARG0 becomes $0)
\t-s\t\tRead commands from standard input
\t-i\t\tInteractive
\t-e\t\tExit when a command fails
\t-u\t\tError on unset variables
\t-x\t\tTrace commands
\t-n\t\tRead commands but do not run them
\t-o OPT\t\tSet option OPT (set -o lists them)"
);

pub fn main(argv: &[OsString]) -> Status {
    stack::note_top();
    let args: Vec<Vec<u8>> = argv.iter().map(|a| a.as_bytes().to_vec()).collect();
    let arg0 = args.first().cloned().unwrap_or_else(|| b"sh".to_vec());
    let mut sh = Shell::new(arg0.clone());
    let mut command: Option<Vec<u8>> = None;
    let mut use_c = false;
    let mut i = 1;
    // Options: -abc, +abc, -o name, --; then operands.
    while let Some(a) = args.get(i) {
        if a == b"--" || a == b"-" {
            i += 1;
            break;
        }
        if a == b"--help" {
            let mut out = ibex::io::Out::stdout();
            out.str("Usage: ");
            out.write(&USAGE.text());
            out.byte(b'\n');
            return Ok(out.finish(0));
        }
        let (on, letters) = match a.first() {
            Some(b'-') if a.len() > 1 => (true, &a[1..]),
            Some(b'+') if a.len() > 1 => (false, &a[1..]),
            _ => break,
        };
        for &c in letters {
            match c {
                b'c' => use_c = on,
                b'o' => {
                    i += 1;
                    let Some(name) = args.get(i) else {
                        sh.error(&[b"-o: option requires an argument"]);
                        return Ok(2);
                    };
                    let n = String::from_utf8_lossy(name).into_owned();
                    match sh.opts.get_mut(&n) {
                        Some(b) => *b = on,
                        None => {
                            sh.error(&[b"Illegal option -o ", name]);
                            return Ok(2);
                        }
                    }
                }
                b'i' => sh.opts.interactive = on,
                b's' => sh.opts.stdin = on,
                c => match sh.opts.by_letter(c) {
                    Some(b) => *b = on,
                    None => {
                        let mut m = b"Illegal option ".to_vec();
                        m.push(if on { b'-' } else { b'+' });
                        m.push(c);
                        sh.error(&[&m]);
                        return Ok(2);
                    }
                },
            }
        }
        i += 1;
    }
    let rest = &args[i.min(args.len())..];
    let mut script: Option<Vec<u8>> = None;
    if use_c {
        let Some(c) = rest.first() else {
            sh.error(&[b"-c requires an argument"]);
            return Ok(2);
        };
        command = Some(c.clone());
        if let Some(name) = rest.get(1) {
            sh.arg0 = name.clone();
            sh.name = name.clone();
            sh.params = rest[2..].to_vec();
        } else {
            sh.params = Vec::new();
        }
    } else if sh.opts.stdin || rest.is_empty() {
        sh.opts.stdin = true;
        sh.params = rest.to_vec();
    } else {
        script = rest.first().cloned();
        sh.arg0 = rest[0].clone();
        sh.params = rest[1..].to_vec();
    }
    if !use_c && script.is_none() && !sh.opts.interactive && sys::isatty(0) && sys::isatty(2) {
        sh.opts.interactive = true;
    }
    setup_vars(&mut sh);
    if sh.opts.interactive {
        // POSIX: an interactive shell runs the file $ENV names (after
        // parameter expansion) before reading commands.
        if let Some(env) = sh.get_var(b"ENV").map(<[u8]>::to_vec) {
            let path = sh.expand_prompt(&env);
            if !path.is_empty()
                && let Ok(text) = ibex::io::read_file(&path)
            {
                let _ = run_text(&mut sh, text, 1);
            }
        }
    }
    let r = if let Some(c) = command {
        run_text(&mut sh, c, 1)
    } else if let Some(path) = script {
        match ibex::io::read_file(&path) {
            Ok(text) => {
                sh.name = path.clone();
                run_text(&mut sh, text, 1)
            }
            Err(e) => {
                sh.lineno = 0;
                let reason = ibex::error::reason(&e);
                let mut m = arg0.clone();
                m.extend_from_slice(b": 0: cannot open ");
                m.extend_from_slice(&path);
                m.extend_from_slice(b": ");
                m.extend_from_slice(reason.as_bytes());
                m.push(b'\n');
                let _ = sys::write_all(2, &m);
                let code = if e.raw_os_error() == Some(libc::ENOENT) {
                    127
                } else {
                    126
                };
                return Ok(code);
            }
        }
    } else {
        run_stdin(&mut sh)
    };
    let code = match r {
        Err(Flow::Exit(c) | Flow::Fatal(c)) => c,
        _ => sh.status,
    };
    Ok(sh.run_exit_trap(code) & 0xff)
}

fn setup_vars(sh: &mut Shell) {
    if sh.get_var(b"IFS").is_none() {
        let _ = sh.vars.set(b"IFS", b" \t\n".to_vec());
    }
    let _ = sh
        .vars
        .set(b"PPID", sys::getppid().to_string().into_bytes());
    if sh.get_var(b"PATH").is_none() {
        // A default search path, not exported (as bash and dash).
        let _ = sh.vars.set(
            b"PATH",
            b"/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin".to_vec(),
        );
    }
    // bash's informational variables.
    for (name, value) in [
        (&b"UID"[..], sys::getuid().to_string().into_bytes()),
        (b"EUID", sys::geteuid().to_string().into_bytes()),
        (b"OSTYPE", b"linux-gnu".to_vec()),
        (
            b"HOSTNAME",
            sys::uname().map(|u| u.nodename).unwrap_or_default(),
        ),
    ] {
        if sh.get_var(name).is_none() {
            let _ = sh.vars.set(name, value);
        }
    }
    if sh.get_var(b"PS1").is_none() {
        let ps1: &[u8] = if sys::geteuid() == 0 { b"# " } else { b"$ " };
        let _ = sh.vars.set(b"PS1", ps1.to_vec());
    }
    if sh.get_var(b"PS2").is_none() {
        let _ = sh.vars.set(b"PS2", b"> ".to_vec());
    }
    if sh.get_var(b"PS4").is_none() {
        let _ = sh.vars.set(b"PS4", b"+ ".to_vec());
    }
    if sh.get_var(b"OPTIND").is_none() {
        let _ = sh.vars.set(b"OPTIND", b"1".to_vec());
    }
    let pwd = builtins::current_dir(sh);
    if !pwd.is_empty() {
        let _ = sh.vars.set(b"PWD", pwd);
        sh.vars.export(b"PWD", true);
    }
}

/// Parse and run `text` one complete command at a time.
pub fn run_text(sh: &mut Shell, text: Vec<u8>, line: u32) -> R {
    let mut parser = parse::Parser::new(text, None, line);
    run_parser(sh, &mut parser)
}

fn run_parser(sh: &mut Shell, parser: &mut parse::Parser) -> R {
    run_commands(sh, parser, None)
}

/// Run what `parser` reads, one complete command at a time. With
/// `prompt` (an interactive shell reading a terminal), PS1 is shown before
/// each command and PS2 before continuation lines, and errors end the
/// command, not the shell.
fn run_commands(sh: &mut Shell, parser: &mut parse::Parser, prompt: Option<&Prompt>) -> R {
    loop {
        if let Some(p) = prompt {
            let ps1 = sh.get_var(b"PS1").map(<[u8]>::to_vec).unwrap_or_default();
            let ps1 = sh.expand_prompt(&ps1);
            let ps2 = sh.get_var(b"PS2").map(<[u8]>::to_vec).unwrap_or_default();
            *p.borrow_mut() = (ps1, ps2);
        }
        parser.set_aliases(&sh.aliases);
        match parser.parse_next() {
            Ok(Some(prog)) => {
                if sh.opts.noexec && !sh.opts.interactive {
                    continue;
                }
                match sh.run_program(&prog) {
                    Err(Flow::Fatal(_)) if prompt.is_some() => {}
                    r => r?,
                }
            }
            Ok(None) => return Ok(()),
            Err(e) => {
                sh.syntax_error(&e);
                sh.status = 2;
                if prompt.is_none() {
                    return Err(Flow::Fatal(2));
                }
                parser.discard_input();
            }
        }
    }
}

/// The prompt to show before the next line read, and the one after it.
type Prompt = std::cell::RefCell<(Vec<u8>, Vec<u8>)>;

/// Commands from standard input, read a line at a time so commands that
/// read stdin themselves see the rest.
fn run_stdin(sh: &mut Shell) -> R {
    let verbose = sh.opts.verbose;
    let prompt = std::rc::Rc::new(Prompt::default());
    let shown = std::rc::Rc::clone(&prompt);
    let interactive = sh.opts.interactive;
    let mut reader = move || -> Option<Vec<u8>> {
        if interactive {
            let _ = sys::write_all(2, &shown.borrow().0);
        }
        let mut line = Vec::new();
        let mut b = [0u8; 1];
        while let Ok(1) = sys::read(0, &mut b) {
            line.push(b[0]);
            if b[0] == b'\n' {
                break;
            }
        }
        if verbose {
            let _ = sys::write_all(2, &line);
        }
        // After a line with words, further lines continue a command (PS2);
        // an empty line asks for a command again.
        if interactive && line.iter().any(|c| !c.is_ascii_whitespace()) {
            let mut p = shown.borrow_mut();
            p.0 = p.1.clone();
        }
        if line.is_empty() { None } else { Some(line) }
    };
    let mut parser = parse::Parser::new(Vec::new(), Some(&mut reader), 1);
    run_commands(sh, &mut parser, interactive.then_some(&*prompt))
}

/// Run a file that execve rejected (no `#!`) as a shell script, in the
/// already forked child, as a fresh shell would. Returns the exit status.
pub fn run_script_in_child(sh: &mut Shell, path: &[u8], argv: &[Vec<u8>]) -> i32 {
    let text = match ibex::io::read_file(path) {
        Ok(t) => t,
        Err(e) => {
            sh.error(&[path, b": ", ibex::error::reason(&e).as_bytes()]);
            return 126;
        }
    };
    sh.funcs.clear();
    sh.aliases = Default::default();
    sh.arg0 = path.to_vec();
    sh.name = path.to_vec();
    sh.params = argv.get(1..).map(<[Vec<u8>]>::to_vec).unwrap_or_default();
    sh.traps = vec![None; 65];
    sh.exiting = false;
    sh.func_depth = 0;
    sh.loop_depth = 0;
    sh.dot_depth = 0;
    sh.status = 0;
    let r = run_text(sh, text, 1);
    let code = match r {
        Err(Flow::Exit(c) | Flow::Fatal(c)) => c,
        _ => sh.status,
    };
    sh.run_exit_trap(code) & 0xff
}
