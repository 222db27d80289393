//! Builtin utilities: the POSIX special builtins, the regular builtins a
//! shell must provide itself (cd, read, wait, ...), and echo/printf/test,
//! which run ibex's own applets in-process.

use super::exec::{Flow, OPTION_NAMES, R, Shell, Trap};
use super::parse::is_name;
use ibex::io::Out;
use ibex::sys;
use std::ffi::OsString;
use std::os::unix::ffi::OsStringExt;

pub type Func = fn(&mut Shell, &[Vec<u8>]) -> R;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Special,
    Regular,
}

pub fn find(name: &[u8]) -> Option<(Kind, Func)> {
    use Kind::*;
    let f: (Kind, Func) = match name {
        b":" | b"true" => (if name == b":" { Special } else { Regular }, |s, _| {
            s.status = 0;
            Ok(())
        }),
        b"false" => (Regular, |s, _| {
            s.status = 1;
            Ok(())
        }),
        b"." | b"source" => (Special, dot),
        b"break" => (Special, brk),
        b"continue" => (Special, cont),
        b"eval" => (Special, eval),
        b"exec" => (Special, exec),
        b"exit" => (Special, exit),
        b"export" => (Special, export),
        b"readonly" => (Special, readonly),
        b"return" => (Special, ret),
        b"set" => (Special, set),
        b"shift" => (Special, shift),
        b"times" => (Special, times),
        b"trap" => (Special, trap),
        b"unset" => (Special, unset),
        b"alias" => (Regular, alias),
        b"unalias" => (Regular, unalias),
        b"cd" | b"chdir" => (Regular, cd),
        b"pwd" => (Regular, pwd),
        b"read" => (Regular, read),
        b"getopts" => (Regular, getopts),
        b"command" => (Regular, command),
        b"builtin" => (Regular, builtin),
        b"shopt" => (Regular, shopt),
        b"declare" | b"typeset" => (Regular, typeset),
        b"type" => (Regular, type_),
        b"hash" => (Regular, hash),
        b"local" => (Regular, local),
        b"umask" => (Regular, umask),
        b"wait" => (Regular, wait),
        b"kill" => (Regular, kill),
        b"jobs" => (Regular, jobs),
        b"ulimit" => (Regular, ulimit),
        b"echo" => (Regular, echo),
        b"test" | b"[" => (Regular, test),
        b"let" => (Regular, let_),
        b"printf" => (Regular, printf),
        _ => return None,
    };
    Some(f)
}

/// Quote a word for reuse as shell input (`set`, `export -p`, xtrace).
pub fn quote_into(s: &[u8], out: &mut Vec<u8>) {
    let plain = !s.is_empty()
        && s.iter()
            .all(|&c| c.is_ascii_alphanumeric() || b"_-./:=@%+,".contains(&c));
    if plain {
        out.extend_from_slice(s);
        return;
    }
    quote_always(s, out);
}

/// `$'...'` with C escapes for control characters, quotes and backslashes.
pub fn quote_ansi(s: &[u8], out: &mut Vec<u8>) {
    out.extend_from_slice(b"$'");
    for &c in s {
        match c {
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\t' => out.extend_from_slice(b"\\t"),
            b'\r' => out.extend_from_slice(b"\\r"),
            b'\'' => out.extend_from_slice(b"\\'"),
            b'\\' => out.extend_from_slice(b"\\\\"),
            c if c < 0x20 || c == 0x7f => {
                out.extend_from_slice(format!("\\{c:03o}").as_bytes());
            }
            c => out.push(c),
        }
    }
    out.push(b'\'');
}

/// Single-quote `s` whatever it holds, as `set` and `export -p` print values.
pub fn quote_always(s: &[u8], out: &mut Vec<u8>) {
    out.push(b'\'');
    for &c in s {
        if c == b'\'' {
            out.extend_from_slice(b"'\\''");
        } else {
            out.push(c);
        }
    }
    out.push(b'\'');
}

fn err(s: &mut Shell, name: &[u8], parts: &[&[u8]]) {
    let mut all: Vec<&[u8]> = vec![name, b": "];
    all.extend_from_slice(parts);
    s.error(&all);
}

/// Parse a numeric argument of break/continue/shift/exit/return.
fn number(s: &mut Shell, name: &[u8], arg: &[u8]) -> Option<i64> {
    match std::str::from_utf8(arg)
        .ok()
        .and_then(|t| t.parse::<i64>().ok())
    {
        Some(n) => Some(n),
        None => {
            err(s, name, &[b"Illegal number: ", arg]);
            None
        }
    }
}

fn echo(s: &mut Shell, argv: &[Vec<u8>]) -> R {
    let args: Vec<&[u8]> = argv.iter().skip(1).map(Vec::as_slice).collect();
    let mut text = Vec::with_capacity(64);
    ibex::escape::echo(&args, &mut text);
    s.status = 0;
    if let Err(e) = sys::write_all(1, &text) {
        err(
            s,
            b"echo",
            &[b"write error: ", ibex::error::reason(&e).as_bytes()],
        );
        s.status = 1;
    }
    Ok(())
}

/// `test ARG...` for `[[ ]]`: Some(result), None after an error message.
pub fn run_test(s: &mut Shell, argv: &[Vec<u8>]) -> Option<bool> {
    let _ = test(s, argv);
    match s.status {
        0 => Some(true),
        1 => Some(false),
        _ => None,
    }
}

fn test(s: &mut Shell, argv: &[Vec<u8>]) -> R {
    let name = argv.first().map(Vec::as_slice).unwrap_or(b"test");
    let mut args: Vec<&[u8]> = argv.iter().skip(1).map(Vec::as_slice).collect();
    // The shell's own unary primaries (bash, ash): `-v NAME` (variable set),
    // `-o OPTION` (option on), and `-a FILE` as `-e`.
    let inner = if name == b"[" && args.last() == Some(&&b"]"[..]) {
        args.len() - 1
    } else {
        args.len()
    };
    let off = usize::from(inner == 3 && args[0] == b"!");
    if inner == off + 2 {
        let operand = args[off + 1];
        let r = match args[off] {
            b"-v" => Some(s.get_var(operand).is_some()),
            b"-o" => std::str::from_utf8(operand).ok().map(|o| s.opts.get(o)),
            b"-a" => {
                args[off] = b"-e";
                None
            }
            _ => None,
        };
        if let Some(r) = r {
            s.status = i32::from(r == (off == 1));
            return Ok(());
        }
    }
    s.status = match ibex::testexpr::test(name, &args) {
        Ok(true) => 0,
        Ok(false) => 1,
        Err(m) => {
            err(s, name, &[&m]);
            2
        }
    };
    Ok(())
}

/// `let EXPR...` (bash, ash): evaluate each; true if the last is non-zero.
fn let_(s: &mut Shell, argv: &[Vec<u8>]) -> R {
    if argv.len() < 2 {
        err(s, b"let", &[b"expression expected"]);
        s.status = 1;
        return Ok(());
    }
    let mut last = 0;
    for a in &argv[1..] {
        let w = super::ast::Word {
            parts: vec![super::ast::Part::Quoted(a.clone().into())],
        };
        last = s.arith(&w)?;
    }
    s.status = i32::from(last == 0);
    Ok(())
}

/// printf, plus bash's `-v NAME` (the output goes to a variable) and its
/// usage status 2.
fn printf(s: &mut Shell, argv: &[Vec<u8>]) -> R {
    if argv.len() == 1 {
        err(
            s,
            b"printf",
            &[b"usage: printf [-v var] format [arguments]"],
        );
        s.status = 2;
        return Ok(());
    }
    if argv[1] != b"-v" {
        return applet(s, argv);
    }
    let name = match argv.get(2) {
        Some(n) if is_name(n) && argv.len() > 3 => n.clone(),
        Some(n) if argv.len() > 3 => {
            err(s, b"printf", &[n, b": not a valid identifier"]);
            s.status = 2;
            return Ok(());
        }
        _ => {
            err(
                s,
                b"printf",
                &[b"usage: printf [-v var] format [arguments]"],
            );
            s.status = 2;
            return Ok(());
        }
    };
    // Run it with standard output on an anonymous file, then read that.
    let tmp = match sys::open_raw(
        b"/tmp",
        libc::O_TMPFILE | sys::O_RDWR | sys::O_CLOEXEC,
        0o600,
    ) {
        Ok(fd) => fd,
        Err(e) => {
            err(s, b"printf", &[ibex::error::reason(&e).as_bytes()]);
            s.status = 1;
            return Ok(());
        }
    };
    let saved = sys::dup(1);
    let mut args = vec![argv[0].clone()];
    args.extend_from_slice(&argv[3..]);
    let r = if sys::dup2(tmp, 1).is_ok() {
        applet(s, &args)
    } else {
        s.status = 1;
        Ok(())
    };
    if let Ok(fd) = &saved {
        use std::os::fd::AsRawFd;
        let _ = sys::dup2(fd.as_raw_fd(), 1);
    }
    let _ = sys::lseek(tmp, 0, libc::SEEK_SET);
    let text = ibex::io::read_all(tmp).unwrap_or_default();
    sys::close_raw(tmp);
    let status = s.status;
    if s.set_var(&name, text).is_err() {
        s.status = 1;
    } else {
        s.status = status;
    }
    r
}

fn applet(s: &mut Shell, argv: &[Vec<u8>]) -> R {
    let name = argv.first().map(Vec::as_slice).unwrap_or(b"");
    let Some(a) = crate::applets::find(name) else {
        s.status = 127;
        return Ok(());
    };
    let os: Vec<OsString> = argv.iter().map(|v| OsString::from_vec(v.clone())).collect();
    let prev = ibex::error::applet();
    let status = crate::applets::run(a, &os);
    ibex::error::set_applet(prev);
    s.status = status;
    Ok(())
}

fn dot(s: &mut Shell, argv: &[Vec<u8>]) -> R {
    let Some(file) = argv.get(1) else {
        err(s, b".", &[b"filename argument required"]);
        s.status = 2;
        return Err(Flow::Fatal(2));
    };
    let path = if file.contains(&b'/') {
        file.clone()
    } else {
        let dirs = s.get_var(b"PATH").map(<[u8]>::to_vec).unwrap_or_default();
        let mut found = None;
        for d in dirs.split(|&c| c == b':') {
            let p = if d.is_empty() {
                file.clone()
            } else {
                ibex::path::join(d, file)
            };
            if sys::stat(&p).is_ok_and(|st| st.is_reg()) {
                found = Some(p);
                break;
            }
        }
        match found {
            Some(p) => p,
            None => {
                err(s, b".", &[file, b": not found"]);
                s.status = 2;
                return Err(Flow::Fatal(2));
            }
        }
    };
    let text = match ibex::io::read_file(&path) {
        Ok(t) => t,
        Err(e) => {
            err(s, b".", &[file, b": ", ibex::error::reason(&e).as_bytes()]);
            s.status = 2;
            return Err(Flow::Fatal(2));
        }
    };
    let saved_params = if argv.len() > 2 {
        Some(std::mem::replace(&mut s.params, argv[2..].to_vec()))
    } else {
        None
    };
    s.dot_depth += 1;
    s.status = 0;
    let saved_line = s.lineno;
    let r = super::run_text(s, text, 1);
    s.lineno = saved_line;
    s.dot_depth -= 1;
    if let Some(p) = saved_params {
        s.params = p;
    }
    match r {
        Err(Flow::Return) if s.func_depth == 0 || s.dot_depth > 0 => Ok(()),
        Err(Flow::Return) => Ok(()),
        other => other,
    }
}

fn loop_count(s: &mut Shell, argv: &[Vec<u8>], name: &[u8]) -> Option<u32> {
    let n = match argv.get(1) {
        None => 1,
        Some(a) => match number(s, name, a) {
            Some(n) if n > 0 => n,
            Some(_) => {
                err(s, name, &[b"Illegal number: ", a]);
                return None;
            }
            None => return None,
        },
    };
    Some(
        u32::try_from(n)
            .unwrap_or(u32::MAX)
            .min(s.loop_depth.max(1)),
    )
}

fn brk(s: &mut Shell, argv: &[Vec<u8>]) -> R {
    let Some(n) = loop_count(s, argv, b"break") else {
        s.status = 2;
        return Err(Flow::Fatal(2));
    };
    s.status = 0;
    if s.loop_depth == 0 {
        return Ok(());
    }
    Err(Flow::Break(n))
}

fn cont(s: &mut Shell, argv: &[Vec<u8>]) -> R {
    let Some(n) = loop_count(s, argv, b"continue") else {
        s.status = 2;
        return Err(Flow::Fatal(2));
    };
    s.status = 0;
    if s.loop_depth == 0 {
        return Ok(());
    }
    Err(Flow::Continue(n))
}

fn eval(s: &mut Shell, argv: &[Vec<u8>]) -> R {
    let mut text = Vec::new();
    for (i, a) in argv.iter().skip(1).enumerate() {
        if i > 0 {
            text.push(b' ');
        }
        text.extend_from_slice(a);
    }
    s.status = 0;
    s.eval_string(&text)
}

fn exec(s: &mut Shell, argv: &[Vec<u8>]) -> R {
    let mut args = &argv[1..];
    if args.first().map(Vec::as_slice) == Some(b"--") {
        args = &args[1..];
    }
    let Some(name) = args.first() else {
        // The caller made the redirections permanent.
        s.status = 0;
        return Ok(());
    };
    let path = if name.contains(&b'/') {
        name.clone()
    } else {
        match s.path_search(name) {
            Ok(p) => p,
            Err(code) => {
                err(s, b"exec", &[name, b": not found"]);
                s.status = code;
                return Err(Flow::Exit(code));
            }
        }
    };
    let env = s.vars.environ().to_vec();
    let code = s.exec_or_script(&path, args, &env);
    s.status = code;
    Err(Flow::Exit(code))
}

fn exit(s: &mut Shell, argv: &[Vec<u8>]) -> R {
    let code = match argv.get(1) {
        None => {
            if s.in_trap {
                s.exit_status
            } else {
                s.status
            }
        }
        Some(a) => match number(s, b"exit", a) {
            Some(n) => (n & 0xff) as i32,
            None => {
                s.status = 2;
                return Err(Flow::Fatal(2));
            }
        },
    };
    s.status = code;
    Err(Flow::Exit(code))
}

fn ret(s: &mut Shell, argv: &[Vec<u8>]) -> R {
    let code = match argv.get(1) {
        // In a trap, the status from before the trap.
        None if s.in_trap => s.exit_status,
        None => s.status,
        Some(a) => match number(s, b"return", a) {
            Some(n) => (n & 0xff) as i32,
            None => {
                s.status = 2;
                return Err(Flow::Fatal(2));
            }
        },
    };
    s.status = code;
    if s.func_depth == 0 && s.dot_depth == 0 {
        // Outside a function or `.` script: leave the shell, as dash and
        // ash do.
        return Err(Flow::Exit(code));
    }
    Err(Flow::Return)
}

fn print_vars(s: &mut Shell, prefix: &str, filter: fn(&super::vars::Var) -> bool) {
    let mut out = Out::stdout();
    for (name, v) in s.vars.sorted() {
        if !filter(v) {
            continue;
        }
        out.str(prefix);
        out.write(name);
        if let Some(val) = &v.value {
            out.byte(b'=');
            let mut q = Vec::new();
            if val.iter().any(|&c| c < 0x20 || c == 0x7f) {
                // Control characters: $'...' keeps the line whole (bash).
                quote_ansi(val, &mut q);
            } else {
                quote_always(val, &mut q);
            }
            out.write(&q);
        }
        out.byte(b'\n');
    }
    out.finish(0);
}

fn export(s: &mut Shell, argv: &[Vec<u8>]) -> R {
    declare(s, argv, b"export")
}

fn readonly(s: &mut Shell, argv: &[Vec<u8>]) -> R {
    declare(s, argv, b"readonly")
}

fn declare(s: &mut Shell, argv: &[Vec<u8>], which: &[u8]) -> R {
    let mut args = &argv[1..];
    let mut print = false;
    while let Some(a) = args.first() {
        match a.as_slice() {
            b"-p" => print = true,
            b"--" => {
                args = &args[1..];
                break;
            }
            o if o.starts_with(b"-") && o.len() > 1 => {
                err(s, which, &[b"illegal option ", o]);
                s.status = 2;
                return Err(Flow::Fatal(2));
            }
            _ => break,
        }
        args = &args[1..];
    }
    if args.is_empty() {
        if which == b"export" {
            print_vars(s, "export ", |v| v.exported);
        } else {
            print_vars(s, "readonly ", |v| v.readonly);
        }
        s.status = 0;
        let _ = print;
        return Ok(());
    }
    s.status = 0;
    for a in args {
        let (name, value) = match a.iter().position(|&c| c == b'=') {
            Some(i) => (&a[..i], Some(a[i + 1..].to_vec())),
            None => (&a[..], None),
        };
        if !is_name(name) {
            // Status 1 and on to the next name, as bash (dash exits).
            err(s, which, &[name, b": bad variable name"]);
            s.status = 1;
            continue;
        }
        if let Some(v) = value {
            s.assign(name, v)?;
        }
        if which == b"export" {
            s.vars.export(name, true);
        } else {
            s.vars.set_readonly(name);
        }
    }
    Ok(())
}

fn local(s: &mut Shell, argv: &[Vec<u8>]) -> R {
    if s.func_depth == 0 {
        err(s, b"local", &[b"not in a function"]);
        s.status = 2;
        return Ok(());
    }
    s.status = 0;
    for a in &argv[1..] {
        let (name, value) = match a.iter().position(|&c| c == b'=') {
            Some(i) => (&a[..i], Some(a[i + 1..].to_vec())),
            None => (&a[..], None),
        };
        if name == b"-" {
            continue;
        }
        if !is_name(name) {
            err(s, b"local", &[name, b": bad variable name"]);
            s.status = 1;
            continue;
        }
        let new = s.vars.save(name);
        match value {
            Some(v) => s.assign(name, v)?,
            // A plain `local x` starts unset, as in bash and ash (unless
            // it is already local here).
            None if new => {
                let _ = s.vars.unset(name);
            }
            None => {}
        }
    }
    Ok(())
}

fn unset(s: &mut Shell, argv: &[Vec<u8>]) -> R {
    let mut funcs = false;
    let mut only_vars = false;
    let mut args = &argv[1..];
    while let Some(a) = args.first() {
        if a == b"--" {
            args = &args[1..];
            break;
        }
        if a.len() < 2 || a[0] != b'-' {
            break;
        }
        for &c in &a[1..] {
            match c {
                b'f' => funcs = true,
                b'v' => {
                    funcs = false;
                    only_vars = true;
                }
                _ => {
                    err(s, b"unset", &[b"Illegal option -", &[c]]);
                    s.status = 2;
                    return Err(Flow::Fatal(2));
                }
            }
        }
        args = &args[1..];
    }
    let mut status = 0;
    for name in args {
        if funcs {
            s.funcs.remove(name.as_slice());
            continue;
        }
        if !is_name(name) {
            err(s, b"unset", &[name, b": bad variable name"]);
            status = 2;
            continue;
        }
        if !only_vars && s.vars.get(name).is_none() && s.funcs.contains_key(name.as_slice()) {
            s.funcs.remove(name.as_slice());
            continue;
        }
        if s.vars.unset(name).is_err() {
            err(s, b"unset", &[name, b": is read only"]);
            status = 1;
            continue;
        }
        if name == b"PATH" {
            s.hash.clear();
        }
    }
    s.status = status;
    Ok(())
}

fn set(s: &mut Shell, argv: &[Vec<u8>]) -> R {
    if argv.len() == 1 {
        print_vars(s, "", |v| v.value.is_some());
        s.status = 0;
        return Ok(());
    }
    let mut i = 1;
    while let Some(a) = argv.get(i) {
        let (on, rest) = match a.first() {
            Some(b'-') => (true, &a[1..]),
            Some(b'+') => (false, &a[1..]),
            _ => break,
        };
        if a == b"--" {
            i += 1;
            s.params = argv[i..].to_vec();
            reset_getopts(s);
            s.status = 0;
            return Ok(());
        }
        if a == b"-" {
            s.opts.xtrace = false;
            s.opts.verbose = false;
            i += 1;
            break;
        }
        if a == b"+" {
            // A lone `+` is an ignored flag (bash, dash).
            i += 1;
            continue;
        }
        if rest.is_empty() {
            break;
        }
        for &c in rest {
            if c == b'o' {
                i += 1;
                match argv.get(i) {
                    None => {
                        list_options(s, on);
                    }
                    Some(name) => {
                        let n = String::from_utf8_lossy(name).into_owned();
                        match s.opts.get_mut(&n) {
                            Some(b) => *b = on,
                            // bash options with no effect here.
                            None if BASH_NOOP_OPTIONS.contains(&n.as_str()) => {}
                            None => {
                                err(s, b"set", &[b"Illegal option -o ", name]);
                                s.status = 2;
                                return Err(Flow::Fatal(2));
                            }
                        }
                    }
                }
                continue;
            }
            match s.opts.by_letter(c) {
                Some(b) if c != b'i' && c != b's' => *b = on,
                // bash's -B -E -H -P -T: accepted, no effect here.
                _ if matches!(c, b'B' | b'E' | b'H' | b'P' | b'T') => {}
                _ => {
                    err(
                        s,
                        b"set",
                        &[b"Illegal option ", if on { b"-" } else { b"+" }, &[c]],
                    );
                    s.status = 2;
                    return Err(Flow::Fatal(2));
                }
            }
        }
        i += 1;
    }
    if i < argv.len() || argv.get(i - 1).is_some_and(|a| a == b"-") {
        s.params = argv[i..].to_vec();
        reset_getopts(s);
    }
    s.status = 0;
    Ok(())
}

/// `set -o` names bash has that change nothing here.
const BASH_NOOP_OPTIONS: &[&str] = &[
    "braceexpand",
    "errtrace",
    "functrace",
    "histexpand",
    "history",
    "interactive-comments",
    "keyword",
    "onecmd",
    "physical",
    "posix",
    "privileged",
];

/// New positional parameters restart `getopts` (OPTIND=1), as dash and ash.
fn reset_getopts(s: &mut Shell) {
    let _ = s.set_var(b"OPTIND", b"1".to_vec());
}

fn list_options(s: &mut Shell, dash_o: bool) {
    let mut out = Out::stdout();
    for (name, _) in OPTION_NAMES {
        let on = s.opts.get(name);
        if dash_o {
            out.str(&format!("{:<15} {}\n", name, if on { "on" } else { "off" }));
        } else {
            out.str(&format!("set {}o {}\n", if on { "-" } else { "+" }, name));
        }
    }
    out.finish(0);
}

fn shift(s: &mut Shell, argv: &[Vec<u8>]) -> R {
    let n = match argv.get(1) {
        None => 1,
        Some(a) => match number(s, b"shift", a) {
            Some(n) if n >= 0 => n as usize,
            _ => {
                s.status = 2;
                return Err(Flow::Fatal(2));
            }
        },
    };
    if n > s.params.len() {
        // As bash: an error, but not one that ends the shell.
        err(s, b"shift", &[b"can't shift that many"]);
        s.status = 1;
        return Ok(());
    }
    s.params.drain(..n);
    s.status = 0;
    Ok(())
}

fn times(s: &mut Shell, _argv: &[Vec<u8>]) -> R {
    let (u, sy, cu, cs, hz) = sys::times();
    let mut text = Vec::new();
    for (i, t) in [u, sy, cu, cs].into_iter().enumerate() {
        put_min_sec(&mut text, ticks_ms(t, hz));
        text.push(if i % 2 == 0 { b' ' } else { b'\n' });
    }
    let mut out = Out::stdout();
    out.write(&text);
    s.status = out.finish(0);
    Ok(())
}

/// Clock ticks as milliseconds, rounded.
pub fn ticks_ms(t: u64, hz: u64) -> u64 {
    let hz = hz.max(1);
    t.saturating_mul(1000).saturating_add(hz / 2) / hz
}

/// `XmY.ZZZs`, as `times` and `time` print durations.
pub fn put_min_sec(text: &mut Vec<u8>, ms: u64) {
    use ibex::put::Put;
    text.u(ms / 60_000).c(b'm').u(ms / 1000 % 60).c(b'.');
    put_digits(text, ms % 1000, 3);
    text.c(b's');
}

/// `n` as exactly `width` decimal digits (leading zeros).
pub fn put_digits(text: &mut Vec<u8>, n: u64, width: u32) {
    for k in (0..width).rev() {
        text.push(b'0' + (n / 10u64.pow(k) % 10) as u8);
    }
}

/// Signal number from a name (`INT`, `SIGINT`), number, or `EXIT`.
pub fn signal_number(name: &[u8]) -> Option<i32> {
    let n = if name.len() > 3 && name[..3].eq_ignore_ascii_case(b"SIG") {
        &name[3..]
    } else {
        name
    };
    if let Ok(t) = std::str::from_utf8(n)
        && let Ok(v) = t.parse::<i32>()
    {
        return (0..65).contains(&v).then_some(v);
    }
    if n.eq_ignore_ascii_case(b"EXIT") {
        return Some(0);
    }
    sys::signal_name_list()
        .iter()
        .find(|(s, _)| s.as_bytes().eq_ignore_ascii_case(n))
        .map(|&(_, v)| v)
}

pub fn signal_name(sig: i32) -> Vec<u8> {
    if sig == 0 {
        return b"EXIT".to_vec();
    }
    if sig as usize == super::exec::ERR_TRAP {
        return b"ERR".to_vec();
    }
    sys::signal_name_list()
        .iter()
        .find(|&&(_, v)| v == sig)
        .map(|(n, _)| n.as_bytes().to_vec())
        .unwrap_or_else(|| sig.to_string().into_bytes())
}

fn trap(s: &mut Shell, argv: &[Vec<u8>]) -> R {
    let mut args = &argv[1..];
    if args.first().map(Vec::as_slice) == Some(b"--") {
        args = &args[1..];
    }
    let listing = args.first().map(Vec::as_slice) == Some(b"-p");
    if args.is_empty() || listing {
        // `trap` and `trap -p`: the traps set; `trap -p SIG...`: those
        // signals, `-` for the default action (as bash).
        let named = if listing { &args[1..] } else { args };
        let mut out = Out::stdout();
        let mut status = 0;
        let line = |sig: usize, t: Option<&Trap>, out: &mut Out| {
            let mut q = Vec::new();
            match t {
                None => q.push(b'-'),
                Some(Trap::Ignore) => q.extend_from_slice(b"''"),
                Some(Trap::Command(c)) => quote_always(c, &mut q),
            }
            out.str("trap -- ");
            out.write(&q);
            out.byte(b' ');
            out.write(&signal_name(sig as i32));
            out.byte(b'\n');
        };
        if named.is_empty() {
            for (sig, t) in s.traps.iter().enumerate() {
                if let Some(t) = t {
                    line(sig, Some(t), &mut out);
                }
            }
        }
        for name in named {
            match signal_number(name) {
                Some(sig) => {
                    let t = s.traps.get(sig as usize).and_then(Option::as_ref);
                    line(sig as usize, t, &mut out);
                }
                None => {
                    err(s, b"trap", &[name, b": bad trap"]);
                    status = 1;
                }
            }
        }
        s.status = out.finish(status);
        return Ok(());
    }
    // `trap N...` with a number first resets those signals (POSIX).
    let (action, sigs): (Option<&[u8]>, &[Vec<u8>]) = if args.len() == 1
        || signal_number(&args[0]).is_some_and(|_| args[0].iter().all(u8::is_ascii_digit))
    {
        (None, args)
    } else {
        (Some(&args[0]), &args[1..])
    };
    s.status = 0;
    if action.is_none() && args.len() == 1 && signal_number(&args[0]).is_none() {
        // `trap CMD` without a condition: a usage error (as bash).
        err(s, b"trap", &[&args[0], b": bad trap"]);
        s.status = 2;
        return Ok(());
    }
    for name in sigs {
        let sig = if name.eq_ignore_ascii_case(b"ERR") {
            Some(super::exec::ERR_TRAP as i32)
        } else {
            signal_number(name)
        };
        let Some(sig) = sig else {
            err(s, b"trap", &[name, b": bad trap"]);
            s.status = 1;
            continue;
        };
        let idx = sig as usize;
        if sig == libc::SIGKILL || sig == libc::SIGSTOP {
            // They cannot be caught; accepted and ignored, as bash.
            continue;
        }
        let trap = match action {
            None | Some(b"-") => None,
            Some(b"") => Some(Trap::Ignore),
            Some(c) => Some(Trap::Command(c.to_vec())),
        };
        if sig != 0 && !s.opts.interactive && s.ignored_at_start(idx) {
            // Signals ignored on entry stay ignored.
            continue;
        }
        if sig != 0 && sig as usize != super::exec::ERR_TRAP {
            let d = match &trap {
                None => sys::Disposition::Default,
                Some(Trap::Ignore) => sys::Disposition::Ignore,
                Some(Trap::Command(_)) => sys::Disposition::Catch,
            };
            let _ = sys::set_disposition(sig, d, false);
        }
        if let Some(slot) = s.traps.get_mut(idx) {
            *slot = trap;
        }
    }
    Ok(())
}

fn alias(s: &mut Shell, argv: &[Vec<u8>]) -> R {
    s.status = 0;
    let mut out = Out::stdout();
    let print = |out: &mut Out, n: &[u8], v: &[u8]| {
        out.write(n);
        out.byte(b'=');
        let mut q = Vec::new();
        quote_into(v, &mut q);
        out.write(&q);
        out.byte(b'\n');
    };
    if argv.len() == 1 {
        let mut all: Vec<(&Vec<u8>, &Vec<u8>)> = s.aliases.iter().collect();
        ibex::order::sort(&mut all);
        for (n, v) in all {
            print(&mut out, n, v);
        }
    }
    let mut status = 0;
    for a in &argv[1..] {
        match a.iter().position(|&c| c == b'=') {
            Some(i) => {
                std::rc::Rc::make_mut(&mut s.aliases).insert(a[..i].to_vec(), a[i + 1..].to_vec());
            }
            None => match s.aliases.get(a) {
                Some(v) => print(&mut out, a, v),
                None => {
                    out.flush();
                    err(s, b"alias", &[a, b": not found"]);
                    status = 1;
                }
            },
        }
    }
    s.status = out.finish(status);
    Ok(())
}

fn unalias(s: &mut Shell, argv: &[Vec<u8>]) -> R {
    s.status = 0;
    for a in &argv[1..] {
        if a == b"-a" {
            std::rc::Rc::make_mut(&mut s.aliases).clear();
        } else if std::rc::Rc::make_mut(&mut s.aliases).remove(a).is_none() {
            err(s, b"unalias", &[a, b": not found"]);
            s.status = 1;
        }
    }
    Ok(())
}

/// The logical current directory: $PWD if it names `.`, else the physical one.
pub fn current_dir(s: &Shell) -> Vec<u8> {
    if let Some(p) = s.get_var(b"PWD")
        && p.starts_with(b"/")
        && let (Ok(a), Ok(b)) = (sys::stat(p), sys::stat(b"."))
        && a.same_file(&b)
    {
        return p.to_vec();
    }
    use std::os::unix::ffi::OsStrExt;
    match std::env::current_dir() {
        Ok(p) => p.as_os_str().as_bytes().to_vec(),
        // The directory was removed: $PWD still names it (as bash).
        Err(_) => s
            .get_var(b"PWD")
            .filter(|p| p.starts_with(b"/"))
            .map(<[u8]>::to_vec)
            .unwrap_or_default(),
    }
}

fn cd(s: &mut Shell, argv: &[Vec<u8>]) -> R {
    let mut physical = false;
    let mut args = &argv[1..];
    while let Some(a) = args.first() {
        match a.as_slice() {
            b"-P" => physical = true,
            b"-L" => physical = false,
            b"--" => {
                args = &args[1..];
                break;
            }
            o if o.starts_with(b"-") && o.len() > 1 => {
                err(s, b"cd", &[b"Illegal option ", o]);
                s.status = 2;
                return Ok(());
            }
            _ => break,
        }
        args = &args[1..];
    }
    if args.len() > 1 {
        err(s, b"cd", &[b"too many arguments"]);
        s.status = 1;
        return Ok(());
    }
    let mut print = false;
    let target = match args.first() {
        None => match s.get_var(b"HOME") {
            Some(h) if !h.is_empty() => h.to_vec(),
            _ => {
                err(s, b"cd", &[b"HOME not set"]);
                s.status = 1;
                return Ok(());
            }
        },
        Some(a) if a == b"-" => {
            print = true;
            match s.get_var(b"OLDPWD") {
                Some(o) => o.to_vec(),
                None => {
                    err(s, b"cd", &[b"OLDPWD not set"]);
                    s.status = 1;
                    return Ok(());
                }
            }
        }
        Some(a) => a.clone(),
    };
    // CDPATH for relative names not starting with . or ..
    let mut candidates = Vec::new();
    let rel = !target.starts_with(b"/")
        && !target.starts_with(b"./")
        && !target.starts_with(b"../")
        && target != b"."
        && target != b"..";
    if rel && let Some(cdpath) = s.get_var(b"CDPATH") {
        for d in cdpath.split(|&c| c == b':') {
            if d.is_empty() {
                candidates.push((target.clone(), false));
            } else {
                candidates.push((ibex::path::join(d, &target), true));
            }
        }
    }
    candidates.push((target.clone(), false));
    let old = current_dir(s);
    let mut last_err = None;
    for (cand, from_cdpath) in candidates {
        let logical_path = if physical {
            cand.clone()
        } else {
            let abs = if cand.starts_with(b"/") {
                cand.clone()
            } else {
                ibex::path::join(&old, &cand)
            };
            lexical_clean(&abs)
        };
        let go: &[u8] = if physical { &cand } else { &logical_path };
        match std::env::set_current_dir(sys::os(go)) {
            Ok(()) => {
                let new = if physical {
                    use std::os::unix::ffi::OsStrExt;
                    std::env::current_dir()
                        .map(|p| p.as_os_str().as_bytes().to_vec())
                        .unwrap_or(logical_path)
                } else {
                    logical_path
                };
                let _ = s.set_var(b"OLDPWD", old);
                let _ = s.set_var(b"PWD", new.clone());
                if print || from_cdpath {
                    let mut out = Out::stdout();
                    out.write(&new);
                    out.byte(b'\n');
                    out.finish(0);
                }
                s.status = 0;
                return Ok(());
            }
            Err(e) => last_err = Some(e),
        }
    }
    let reason = last_err
        .map(|e| ibex::error::reason(&e))
        .unwrap_or_default();
    err(
        s,
        b"cd",
        &[b"can't cd to ", &target, b": ", reason.as_bytes()],
    );
    s.status = 2;
    Ok(())
}

/// Resolve `.` and `..` textually (for `cd -L`).
fn lexical_clean(p: &[u8]) -> Vec<u8> {
    let mut parts: Vec<&[u8]> = Vec::new();
    for c in p.split(|&c| c == b'/') {
        match c {
            b"" | b"." => {}
            b".." => {
                parts.pop();
            }
            _ => parts.push(c),
        }
    }
    let mut out = Vec::new();
    for c in parts {
        out.push(b'/');
        out.extend_from_slice(c);
    }
    if out.is_empty() {
        out.push(b'/');
    }
    out
}

fn pwd(s: &mut Shell, argv: &[Vec<u8>]) -> R {
    let physical = argv.iter().skip(1).any(|a| a == b"-P");
    let dir = if physical {
        use std::os::unix::ffi::OsStrExt;
        std::env::current_dir()
            .map(|p| p.as_os_str().as_bytes().to_vec())
            .unwrap_or_default()
    } else {
        current_dir(s)
    };
    let mut out = Out::stdout();
    out.write(&dir);
    out.byte(b'\n');
    s.status = out.finish(0);
    Ok(())
}

fn read(s: &mut Shell, argv: &[Vec<u8>]) -> R {
    let mut raw = false;
    let mut prompt: Option<Vec<u8>> = None;
    let mut delim = b'\n';
    let mut max: Option<usize> = None;
    let mut timeout: Option<f64> = None;
    let mut fd = 0;
    // `-N`: exactly that many bytes, no delimiter, no field splitting.
    let mut exact = false;
    let mut i = 1;
    // Options may be clustered, values attached or separate (-rn1, -t 2).
    'opts: while let Some(a) = argv.get(i) {
        if a == b"--" {
            i += 1;
            break;
        }
        if a.len() < 2 || a[0] != b'-' {
            break;
        }
        let mut k = 1;
        while k < a.len() {
            let c = a[k];
            k += 1;
            if c == b'r' {
                raw = true;
                continue;
            }
            if c == b's' {
                // No echo to turn off: input is not a terminal here.
                continue;
            }
            if !matches!(c, b'p' | b'd' | b'n' | b'N' | b't' | b'u') {
                err(s, b"read", &[b"Illegal option -", &[c]]);
                s.status = 2;
                return Ok(());
            }
            let val: Vec<u8> = if k < a.len() {
                a[k..].to_vec()
            } else {
                i += 1;
                match argv.get(i) {
                    Some(v) => v.clone(),
                    None => {
                        err(s, b"read", &[b"-", &[c], b": option requires an argument"]);
                        s.status = 2;
                        return Ok(());
                    }
                }
            };
            let num = std::str::from_utf8(&val).ok();
            let bad = |s: &mut Shell| {
                err(s, b"read", &[b"invalid argument: ", &val]);
                s.status = 2;
            };
            match c {
                b'p' => prompt = Some(val.clone()),
                b'd' => delim = val.first().copied().unwrap_or(0),
                b'n' | b'N' => match num.and_then(|t| t.parse().ok()) {
                    Some(n) => {
                        max = Some(n);
                        exact = c == b'N';
                    }
                    None => {
                        bad(s);
                        return Ok(());
                    }
                },
                b't' => match num
                    .and_then(|t| ibex::sys::parse_f64(t.as_bytes()))
                    .filter(|t| *t >= 0.0)
                {
                    Some(t) => timeout = Some(t),
                    None => {
                        bad(s);
                        return Ok(());
                    }
                },
                _ => match num.and_then(|t| t.parse::<i32>().ok()).filter(|&n| n >= 0) {
                    Some(n) => fd = n,
                    None => {
                        bad(s);
                        return Ok(());
                    }
                },
            }
            i += 1;
            continue 'opts;
        }
        i += 1;
    }
    let reply = argv.len() <= i;
    let names: Vec<Vec<u8>> = if reply {
        vec![b"REPLY".to_vec()]
    } else {
        argv[i..].to_vec()
    };
    if let Some(p) = prompt
        && sys::isatty(fd)
    {
        let _ = sys::write_all(2, &p);
    }
    if timeout == Some(0.0) {
        // `-t 0`: only whether input is waiting (bash); nothing is read.
        s.status = i32::from(!sys::poll_readable(fd, 0).unwrap_or(false));
        return Ok(());
    }
    let deadline =
        timeout.map(|t| std::time::Instant::now() + std::time::Duration::from_secs_f64(t.min(1e9)));
    // The rest of the input stays for others: from a regular file, read a
    // block and seek back to just after the line (as bash does); from
    // anything else, one byte at a time.
    let mut line = Vec::new();
    // Which bytes were escaped by a backslash (not field separators).
    let mut escaped = Vec::new();
    let mut eof = true;
    let mut timed_out = false;
    let mut b = [0u8; 1];
    let block = deadline.is_none() && sys::fstat(fd).is_ok_and(|st| st.is_reg());
    let mut buf = [0u8; 512];
    let (mut at, mut filled) = (0usize, 0usize);
    let mut next = |b: &mut [u8; 1]| -> Option<u8> {
        if block {
            if at == filled {
                at = 0;
                filled = sys::read(fd, &mut buf).unwrap_or(0);
            }
            let c = *buf[..filled].get(at)?;
            at += 1;
            return Some(c);
        }
        if let Some(d) = deadline {
            let left = d.saturating_duration_since(std::time::Instant::now());
            match sys::poll_readable(fd, left.as_millis().min(i32::MAX as u128) as i32) {
                Ok(true) => {}
                _ => {
                    timed_out = true;
                    return None;
                }
            }
        }
        match sys::read(fd, b) {
            Ok(1) => Some(b[0]),
            _ => None,
        }
    };
    while max.is_none_or(|m| line.len() < m) {
        let Some(c) = next(&mut b) else { break };
        if c == delim && !exact {
            eof = false;
            break;
        }
        if c == 0 {
            // NUL bytes are dropped, as bash does.
            continue;
        }
        if !raw && c == b'\\' {
            match next(&mut b) {
                Some(b'\n') => continue,
                Some(e) => {
                    line.push(e);
                    escaped.push(true);
                    continue;
                }
                None => break,
            }
        }
        line.push(c);
        escaped.push(false);
    }
    if at < filled {
        let _ = sys::lseek(fd, at as i64 - filled as i64, sys::SEEK_CUR);
    }
    if max.is_some_and(|m| line.len() >= m) {
        eof = false;
    }
    if timed_out {
        // As bash: a status above 128.
        let _ = s.set_var(&names[0], line);
        s.status = 142;
        return Ok(());
    }
    if exact && !reply {
        for (vi, name) in names.iter().enumerate() {
            let v = if vi == 0 {
                std::mem::take(&mut line)
            } else {
                Vec::new()
            };
            let _ = s.set_var(name, v);
        }
        s.status = i32::from(eof);
        return Ok(());
    }
    if reply {
        // REPLY gets the line as read, without field splitting (bash).
        let _ = s.set_var(b"REPLY", line);
        s.status = i32::from(eof);
        return Ok(());
    }
    let ifs = s
        .get_var(b"IFS")
        .map(<[u8]>::to_vec)
        .unwrap_or_else(|| b" \t\n".to_vec());
    let is_ifs = |k: usize| !escaped[k] && ifs.contains(&line[k]);
    let is_ws = |k: usize| is_ifs(k) && matches!(line[k], b' ' | b'\t' | b'\n');
    let mut pos = 0;
    let n = line.len();
    while pos < n && is_ws(pos) {
        pos += 1;
    }
    for (vi, name) in names.iter().enumerate() {
        let last = vi + 1 == names.len();
        let value = if last {
            // The rest, minus trailing IFS whitespace.
            let mut end = n;
            while end > pos && is_ws(end - 1) {
                end -= 1;
            }
            // A single trailing non-whitespace delimiter is dropped too.
            if end > pos && is_ifs(end - 1) && !is_ws(end - 1) {
                let mut e2 = end - 1;
                while e2 > pos && is_ws(e2 - 1) {
                    e2 -= 1;
                }
                let inner_has_delim = (pos..e2).any(|k| is_ifs(k) && !is_ws(k));
                if !inner_has_delim {
                    end = e2;
                }
            }
            let v = line[pos..end].to_vec();
            pos = n;
            v
        } else {
            let st = pos;
            while pos < n && !is_ifs(pos) {
                pos += 1;
            }
            let v = line[st..pos].to_vec();
            // Skip one delimiter with surrounding whitespace.
            while pos < n && is_ws(pos) {
                pos += 1;
            }
            if pos < n && is_ifs(pos) && !is_ws(pos) {
                pos += 1;
                while pos < n && is_ws(pos) {
                    pos += 1;
                }
            }
            v
        };
        if !is_name(name) {
            err(s, b"read", &[name, b": bad variable name"]);
            s.status = 2;
            return Ok(());
        }
        if s.set_var(name, value).is_err() {
            s.status = 2;
            return Ok(());
        }
    }
    s.status = i32::from(eof);
    Ok(())
}

fn getopts(s: &mut Shell, argv: &[Vec<u8>]) -> R {
    getopts_step(s, argv)?;
    if let Some(var) = argv.get(2)
        && !is_name(var)
    {
        err(s, b"getopts", &[var, b": bad variable name"]);
        s.status = 2;
    }
    Ok(())
}

fn getopts_step(s: &mut Shell, argv: &[Vec<u8>]) -> R {
    if argv.len() < 3 {
        err(s, b"getopts", &[b"usage: getopts optstring var [arg...]"]);
        s.status = 2;
        return Ok(());
    }
    let spec = argv[1].clone();
    let var = argv[2].clone();
    let args: Vec<Vec<u8>> = if argv.len() > 3 {
        argv[3..].to_vec()
    } else {
        s.params.clone()
    };
    let silent = spec.first() == Some(&b':');
    let mut optind: usize = s
        .get_var(b"OPTIND")
        .and_then(|v| std::str::from_utf8(v).ok()?.trim().parse().ok())
        .unwrap_or(1)
        .max(1);
    if s.getopts_pos != 0 {
        // Inside a cluster like `-ab`, OPTIND already names the next
        // argument (as dash and ash).
        optind = optind.saturating_sub(1).max(1);
    }
    let set = |s: &mut Shell, name: &[u8], v: &[u8]| {
        if !is_name(name) {
            return;
        }
        let saved = s.getopts_pos;
        let _ = s.vars.set(name, v.to_vec());
        s.getopts_pos = saved;
    };
    let finish = |s: &mut Shell, optind: usize| {
        let pos = s.getopts_pos;
        let _ = s.vars.set(b"OPTIND", optind.to_string().into_bytes());
        s.getopts_pos = pos;
    };
    if s.getopts_pos == 0 {
        let Some(arg) = args.get(optind - 1) else {
            set(s, &var, b"?");
            let _ = s.vars.unset(b"OPTARG");
            finish(s, optind);
            s.status = 1;
            return Ok(());
        };
        if arg == b"--" {
            set(s, &var, b"?");
            let _ = s.vars.unset(b"OPTARG");
            finish(s, optind + 1);
            s.status = 1;
            return Ok(());
        }
        if arg.len() < 2 || arg[0] != b'-' {
            set(s, &var, b"?");
            let _ = s.vars.unset(b"OPTARG");
            finish(s, optind);
            s.status = 1;
            return Ok(());
        }
        s.getopts_pos = 1;
    }
    let arg = args.get(optind - 1).cloned().unwrap_or_default();
    let c = arg.get(s.getopts_pos).copied().unwrap_or(b'?');
    s.getopts_pos += 1;
    let at_end = s.getopts_pos >= arg.len();
    let pos = spec.iter().position(|&x| x == c && x != b':');
    let takes_arg = pos.is_some_and(|p| spec.get(p + 1) == Some(&b':'));
    s.status = 0;
    match pos {
        None => {
            if silent {
                set(s, b"OPTARG", &[c]);
            } else {
                let _ = s.vars.unset(b"OPTARG");
                err(s, b"getopts", &[b"illegal option -- ", &[c]]);
            }
            set(s, &var, b"?");
        }
        Some(_) if takes_arg => {
            if !at_end {
                let v = arg[s.getopts_pos..].to_vec();
                set(s, b"OPTARG", &v);
                set(s, &var, &[c]);
            } else if let Some(next) = args.get(optind) {
                let next = next.clone();
                set(s, b"OPTARG", &next);
                set(s, &var, &[c]);
                optind += 1;
            } else if silent {
                set(s, b"OPTARG", &[c]);
                set(s, &var, b":");
            } else {
                let _ = s.vars.unset(b"OPTARG");
                err(s, b"getopts", &[b"option requires an argument -- ", &[c]]);
                set(s, &var, b"?");
            }
            s.getopts_pos = 0;
            optind += 1;
            finish(s, optind);
            return Ok(());
        }
        Some(_) => {
            let _ = s.vars.unset(b"OPTARG");
            set(s, &var, &[c]);
        }
    }
    if at_end {
        s.getopts_pos = 0;
    }
    finish(s, optind + 1);
    Ok(())
}

fn describe(s: &mut Shell, name: &[u8], verbose: bool, out: &mut Out) -> bool {
    if !name.contains(&b'/') {
        if s.aliases.contains_key(name) && verbose {
            let v = s.aliases.get(name).cloned().unwrap_or_default();
            out.write(name);
            out.str(" is an alias for ");
            out.write(&v);
            out.byte(b'\n');
            return true;
        }
        if s.aliases.contains_key(name) {
            let v = s.aliases.get(name).cloned().unwrap_or_default();
            out.str("alias ");
            out.write(name);
            out.byte(b'=');
            let mut q = Vec::new();
            quote_into(&v, &mut q);
            out.write(&q);
            out.byte(b'\n');
            return true;
        }
        if super::parse::is_reserved_word(name) {
            out.write(name);
            out.str(if verbose {
                " is a shell keyword\n"
            } else {
                "\n"
            });
            return true;
        }
        if let Some((Kind::Special, _)) = find(name) {
            out.write(name);
            out.str(if verbose {
                " is a special shell builtin\n"
            } else {
                "\n"
            });
            return true;
        }
        if s.funcs.contains_key(name) {
            out.write(name);
            out.str(if verbose {
                " is a shell function\n"
            } else {
                "\n"
            });
            return true;
        }
        if find(name).is_some() {
            out.write(name);
            out.str(if verbose {
                " is a shell builtin\n"
            } else {
                "\n"
            });
            return true;
        }
    }
    let path = if name.contains(&b'/') {
        if sys::faccessat(sys::Dir::CWD, name, sys::X_OK, sys::AT_EACCESS).is_ok() {
            Some(name.to_vec())
        } else {
            None
        }
    } else {
        s.path_search(name).ok()
    };
    match path {
        Some(p) => {
            if verbose {
                out.write(name);
                out.str(" is ");
            }
            out.write(&p);
            out.byte(b'\n');
            true
        }
        None => {
            if verbose {
                out.flush();
                err(s, name, &[b"not found"]);
            }
            false
        }
    }
}

/// `declare`/`typeset [-grxp] [NAME[=VALUE]]...` (bash, ksh) for plain
/// string variables: local inside a function unless -g.
fn typeset(s: &mut Shell, argv: &[Vec<u8>]) -> R {
    let name0 = argv[0].clone();
    let (mut export, mut unexport, mut readonly, mut global, mut print) =
        (false, false, false, false, false);
    let mut i = 1;
    while let Some(a) = argv.get(i) {
        if a == b"--" {
            i += 1;
            break;
        }
        if a.len() < 2 || !matches!(a[0], b'-' | b'+') {
            break;
        }
        let on = a[0] == b'-';
        for &c in &a[1..] {
            match c {
                b'x' if on => export = true,
                b'x' => unexport = true,
                b'r' if on => readonly = true,
                b'g' => global = true,
                b'p' => print = true,
                b'i' | b'l' | b'u' | b't' | b'f' | b'F' | b'r' => {}
                _ => {
                    err(s, &name0, &[b"-", &[c], b": invalid option"]);
                    s.status = 2;
                    return Ok(());
                }
            }
        }
        i += 1;
    }
    let show = |out: &mut Out, name: &[u8], v: &super::vars::Var| {
        let mut flags = String::new();
        if v.readonly {
            flags.push('r');
        }
        if v.exported {
            flags.push('x');
        }
        if flags.is_empty() {
            flags.push('-');
        }
        out.str("declare -");
        out.str(&flags);
        out.byte(b' ');
        out.write(name);
        if let Some(val) = &v.value {
            out.str("=\"");
            for &c in val {
                if matches!(c, b'"' | b'\\' | b'$' | b'`') {
                    out.byte(b'\\');
                }
                out.byte(c);
            }
            out.byte(b'"');
        }
        out.byte(b'\n');
    };
    let mut out = Out::stdout();
    let mut status = 0;
    if argv.len() == i {
        for (name, v) in s.vars.sorted() {
            if (!export || v.exported) && (!readonly || v.readonly) {
                show(&mut out, name, v);
            }
        }
        s.status = out.finish(0);
        return Ok(());
    }
    for a in &argv[i..] {
        let (name, value) = match a.iter().position(|&c| c == b'=') {
            Some(k) => (&a[..k], Some(a[k + 1..].to_vec())),
            None => (&a[..], None),
        };
        if !is_name(name) {
            out.flush();
            err(s, &name0, &[name, b": bad variable name"]);
            status = 1;
            continue;
        }
        if print {
            match s.vars.var(name) {
                Some(v) => show(&mut out, name, v),
                None => {
                    out.flush();
                    err(s, &name0, &[name, b": not found"]);
                    status = 1;
                }
            }
            continue;
        }
        if s.func_depth > 0 && !global {
            let new = s.vars.save(name);
            if value.is_none() && new {
                let _ = s.vars.unset(name);
            }
        }
        if let Some(v) = value {
            s.assign(name, v)?;
        }
        if export || unexport {
            s.vars.export(name, export);
        }
        if readonly {
            s.vars.set_readonly(name);
        }
    }
    s.status = out.finish(status);
    Ok(())
}

/// `shopt [-s|-u|-p|-q|-o] [NAME]...` (bash).
fn shopt(s: &mut Shell, argv: &[Vec<u8>]) -> R {
    use super::exec::{OPTION_NAMES, SHOPT_NAMES};
    let (mut set, mut unset, mut print, mut quiet, mut setopt) =
        (false, false, false, false, false);
    let mut i = 1;
    while let Some(a) = argv.get(i) {
        if a.len() < 2 || a[0] != b'-' {
            break;
        }
        for &c in &a[1..] {
            match c {
                b's' => set = true,
                b'u' => unset = true,
                b'p' => print = true,
                b'q' => quiet = true,
                b'o' => setopt = true,
                _ => {
                    err(s, b"shopt", &[b"-", &[c], b": invalid option"]);
                    s.status = 2;
                    return Ok(());
                }
            }
        }
        i += 1;
    }
    let names: Vec<&str> = if setopt {
        OPTION_NAMES.iter().map(|(n, _)| *n).collect()
    } else {
        SHOPT_NAMES.to_vec()
    };
    let is_on = |s: &Shell, n: &str| {
        if setopt {
            s.opts.get(n)
        } else {
            s.opts.shopt_on(n)
        }
    };
    let mut out = Out::stdout();
    let mut status = 0;
    let line = |out: &mut Out, n: &str, on: bool, p: bool| {
        if p {
            let flag = if setopt {
                if on { "set -o " } else { "set +o " }
            } else if on {
                "shopt -s "
            } else {
                "shopt -u "
            };
            out.str(flag);
            out.str(n);
        } else {
            out.str(&format!("{n:<15}\t{}", if on { "on" } else { "off" }));
        }
        out.byte(b'\n');
    };
    if argv.len() == i {
        if !(set || unset || quiet) || print {
            for n in &names {
                let on = is_on(s, n);
                if (!set || on) && (!unset || !on) {
                    line(&mut out, n, on, print);
                }
            }
        }
        s.status = out.finish(0);
        return Ok(());
    }
    for a in &argv[i..] {
        let n = String::from_utf8_lossy(a).into_owned();
        let Some(idx) = names.iter().position(|x| *x == n) else {
            out.flush();
            err(s, b"shopt", &[a, b": invalid shell option name"]);
            status = 1;
            continue;
        };
        if set || unset {
            if setopt {
                if let Some(b) = s.opts.get_mut(&n) {
                    *b = set;
                }
            } else if set {
                s.opts.shopt |= 1 << idx;
            } else {
                s.opts.shopt &= !(1 << idx);
            }
        } else {
            let on = is_on(s, &n);
            if !on {
                status = 1;
            }
            if !quiet {
                line(&mut out, &n, on, print);
            }
        }
    }
    s.status = out.finish(status);
    Ok(())
}

/// `builtin NAME [ARG]...` (bash, ash): run a builtin, skipping functions.
fn builtin(s: &mut Shell, argv: &[Vec<u8>]) -> R {
    let Some(name) = argv.get(1) else {
        s.status = 0;
        return Ok(());
    };
    match find(name) {
        Some((_, f)) => f(s, &argv[1..]),
        None => {
            err(s, b"builtin", &[name, b": not a shell builtin"]);
            s.status = 1;
            Ok(())
        }
    }
}

fn command(s: &mut Shell, argv: &[Vec<u8>]) -> R {
    let mut i = 1;
    let mut mode = 0u8;
    let mut default_path = false;
    while let Some(a) = argv.get(i) {
        match a.as_slice() {
            b"-v" => mode = b'v',
            b"-V" => mode = b'V',
            b"-p" => default_path = true,
            b"-pv" | b"-vp" => {
                mode = b'v';
                default_path = true;
            }
            b"--" => {
                i += 1;
                break;
            }
            o if o.starts_with(b"-") && o.len() > 1 => {
                err(s, b"command", &[b"Illegal option ", o]);
                s.status = 2;
                return Ok(());
            }
            _ => break,
        }
        i += 1;
    }
    let rest = &argv[i.min(argv.len())..];
    let Some(name) = rest.first() else {
        s.status = 0;
        return Ok(());
    };
    if mode != 0 {
        let mut out = Out::stdout();
        let mut status = 0;
        for n in rest {
            if !describe(s, n, mode == b'V', &mut out) {
                // As bash (dash says 127).
                status = 1;
            }
        }
        s.status = out.finish(status);
        return Ok(());
    }
    let saved_path = if default_path {
        let old = s.get_var(b"PATH").map(<[u8]>::to_vec);
        let _ = s
            .vars
            .set(b"PATH", b"/usr/bin:/bin:/usr/sbin:/sbin".to_vec());
        s.hash.clear();
        Some(old)
    } else {
        None
    };
    let r = match s.lookup(name, true) {
        // `command` keeps a special builtin's error from ending the shell.
        super::simple::Target::Builtin(_, f) => match f(s, rest) {
            Err(Flow::Fatal(c)) => {
                s.status = c;
                Ok(())
            }
            r => r,
        },
        super::simple::Target::Function(f) => s.call_function(&f, rest.to_vec()),
        super::simple::Target::External(path) => {
            let env = s.vars.environ().to_vec();
            match s.fork_child() {
                Ok(0) => {
                    let code = s.exec_or_script(&path, rest, &env);
                    sys::exit_now(code)
                }
                Ok(pid) => {
                    let st = s.wait_pids(&[pid]);
                    s.status = st.first().map_or(0, |x| x.code());
                    Ok(())
                }
                Err(_) => {
                    s.status = 2;
                    Ok(())
                }
            }
        }
        super::simple::Target::Missing(code, reason) => {
            s.error(&[name, b": ", reason.as_bytes()]);
            s.status = code;
            Ok(())
        }
    };
    if let Some(old) = saved_path {
        match old {
            Some(p) => {
                let _ = s.vars.set(b"PATH", p);
            }
            None => {
                let _ = s.vars.unset(b"PATH");
            }
        }
        s.hash.clear();
    }
    r
}

/// What `type -t` says of a name (bash), or None.
fn kind_of(s: &mut Shell, name: &[u8]) -> Option<&'static str> {
    if !name.contains(&b'/') {
        if s.aliases.contains_key(name) {
            return Some("alias");
        }
        if super::parse::is_reserved_word(name) {
            return Some("keyword");
        }
        if let Some((Kind::Special, _)) = find(name) {
            return Some("builtin");
        }
        if s.funcs.contains_key(name) {
            return Some("function");
        }
        if find(name).is_some() {
            return Some("builtin");
        }
    }
    file_path(s, name).map(|_| "file")
}

fn file_path(s: &mut Shell, name: &[u8]) -> Option<Vec<u8>> {
    if name.contains(&b'/') {
        sys::faccessat(sys::Dir::CWD, name, sys::X_OK, sys::AT_EACCESS)
            .ok()
            .map(|_| name.to_vec())
    } else {
        s.path_search(name).ok()
    }
}

fn type_(s: &mut Shell, argv: &[Vec<u8>]) -> R {
    let mut out = Out::stdout();
    let mut status = 0;
    // bash's -t (kind), -p/-P (path of a file) and -a (same as plain here).
    let mut mode = 0u8;
    let mut i = 1;
    while let Some(a) = argv.get(i) {
        if a.len() < 2 || a[0] != b'-' {
            break;
        }
        for &c in &a[1..] {
            match c {
                b't' | b'p' | b'P' => mode = c,
                b'a' | b'f' => {}
                _ => {
                    err(s, b"type", &[b"-", &[c], b": invalid option"]);
                    s.status = 2;
                    return Ok(());
                }
            }
        }
        i += 1;
    }
    if mode != 0 {
        for n in &argv[i..] {
            let text: Option<Vec<u8>> = match mode {
                b't' => kind_of(s, n).map(|k| k.as_bytes().to_vec()),
                b'p' if kind_of(s, n) != Some("file") => {
                    // Not a file: nothing printed, but found.
                    if kind_of(s, n).is_some() {
                        continue;
                    }
                    None
                }
                _ => file_path(s, n),
            };
            match text {
                Some(t) => {
                    out.write(&t);
                    out.byte(b'\n');
                }
                None => status = 1,
            }
        }
        s.status = out.finish(status);
        return Ok(());
    }
    for n in &argv[i..] {
        if !describe(s, n, true, &mut out) {
            // As bash (dash says 127).
            status = 1;
        }
    }
    s.status = out.finish(status);
    Ok(())
}

fn hash(s: &mut Shell, argv: &[Vec<u8>]) -> R {
    s.status = 0;
    if argv.len() == 1 {
        let mut out = Out::stdout();
        let mut all: Vec<(&Box<[u8]>, &Vec<u8>)> = s.hash.iter().collect();
        ibex::order::sort(&mut all);
        for (_, p) in all {
            out.write(p);
            out.byte(b'\n');
        }
        out.finish(0);
        return Ok(());
    }
    for a in &argv[1..] {
        if a == b"-r" {
            s.hash.clear();
            continue;
        }
        if s.path_search(a).is_err() {
            err(s, b"hash", &[a, b": not found"]);
            s.status = 1;
        }
    }
    Ok(())
}

fn umask(s: &mut Shell, argv: &[Vec<u8>]) -> R {
    let mut symbolic = false;
    let mut reusable = false;
    let mut i = 1;
    while let Some(a) = argv.get(i) {
        match a.as_slice() {
            b"-S" => symbolic = true,
            b"-p" => reusable = true,
            b"--" => {
                i += 1;
                break;
            }
            o if o.len() > 1 && o[0] == b'-' => {
                err(s, b"umask", &[b"Illegal option ", o]);
                s.status = 2;
                return Ok(());
            }
            _ => break,
        }
        i += 1;
    }
    if argv.len() > i + 1 {
        err(s, b"umask", &[b"too many arguments"]);
        s.status = 1;
        return Ok(());
    }
    let arg = argv.get(i);
    let cur = sys::get_umask();
    s.status = 0;
    match arg {
        None => {
            let mut out = Out::stdout();
            if reusable {
                out.str("umask ");
            }
            if symbolic {
                let p = !cur & 0o777;
                let part = |shift: u32| {
                    let b = (p >> shift) & 7;
                    let mut t = String::new();
                    if b & 4 != 0 {
                        t.push('r');
                    }
                    if b & 2 != 0 {
                        t.push('w');
                    }
                    if b & 1 != 0 {
                        t.push('x');
                    }
                    t
                };
                out.str(&format!("u={},g={},o={}\n", part(6), part(3), part(0)));
            } else {
                out.str(&format!("{:04o}\n", cur));
            }
            s.status = out.finish(0);
        }
        Some(m) => match ibex::mode::parse(m) {
            Some(mode) => {
                let new = if mode.is_octal() {
                    mode.apply(0, false, 0) & 0o777
                } else {
                    !mode.apply(!cur & 0o777, false, 0) & 0o777
                };
                sys::umask(new);
            }
            None => {
                err(s, b"umask", &[b"Illegal mode: ", m]);
                s.status = 1;
            }
        },
    }
    Ok(())
}

fn wait(s: &mut Shell, argv: &[Vec<u8>]) -> R {
    s.status = 0;
    if argv.len() == 2 && argv[1] == b"-n" {
        // `wait -n` (bash): the next job to end; 127 when there is none.
        loop {
            if let Some(ji) = s.jobs.iter().position(|j| j.done()) {
                let job = s.jobs.remove(ji);
                s.status = job.last_status().map_or(127, |st| st.code());
                return Ok(());
            }
            if s.jobs.is_empty() {
                s.status = 127;
                return Ok(());
            }
            match wait_any(s)? {
                Waited::Reaped => {}
                Waited::Interrupted => return Ok(()),
                Waited::NoChildren => {
                    s.jobs.clear();
                    s.status = 127;
                    return Ok(());
                }
            }
        }
    }
    if argv.len() == 1 {
        // Wait for every job; a trapped signal interrupts.
        loop {
            if s.jobs.iter().all(|j| j.done()) {
                break;
            }
            match wait_any(s)? {
                Waited::Reaped => {}
                Waited::Interrupted => return Ok(()),
                Waited::NoChildren => break,
            }
        }
        s.jobs.clear();
        return Ok(());
    }
    for a in &argv[1..] {
        let pid: i32 = match std::str::from_utf8(a).ok().and_then(|t| t.parse().ok()) {
            Some(p) => p,
            None => {
                if a.starts_with(b"%") {
                    match job_index(s, a).and_then(|i| s.jobs.get(i)) {
                        Some(j) => j.pids.last().copied().unwrap_or(0),
                        None => {
                            s.status = 127;
                            continue;
                        }
                    }
                } else {
                    err(s, b"wait", &[b"Illegal number: ", a]);
                    s.status = 2;
                    continue;
                }
            }
        };
        let Some(ji) = s.jobs.iter().position(|j| j.pids.contains(&pid)) else {
            s.status = 127;
            continue;
        };
        loop {
            if s.jobs[ji].done() {
                break;
            }
            match wait_any(s)? {
                Waited::Reaped => {}
                Waited::Interrupted => return Ok(()),
                Waited::NoChildren => break,
            }
        }
        let job = s.jobs.remove(ji);
        s.status = job.last_status().map_or(127, |st| st.code());
    }
    Ok(())
}

enum Waited {
    /// A child ended (or nothing happened): look again.
    Reaped,
    /// A trapped signal arrived; its trap ran and `$?` is 128+n.
    Interrupted,
    NoChildren,
}

/// Wait for any child and record how it ended, for `wait`.
fn wait_any(s: &mut Shell) -> Result<Waited, Flow> {
    match sys::waitpid(-1, 0, true) {
        Ok(Some((pid, st))) => s.record_job_status(pid, st),
        Ok(None) => {}
        Err(e) if e.raw_os_error() == Some(libc::EINTR) => {
            if let Some(sig) = pending_trap(s) {
                s.status = 128 + sig;
                s.check_signals()?;
                return Ok(Waited::Interrupted);
            }
        }
        Err(_) => return Ok(Waited::NoChildren),
    }
    Ok(Waited::Reaped)
}

/// The job a `%` job spec names: `%%` `%+` `%` the current (last) one,
/// `%-` the one before, `%N` job N.
fn job_index(s: &Shell, spec: &[u8]) -> Option<usize> {
    let n = s.jobs.len();
    match &spec[1..] {
        b"" | b"%" | b"+" => n.checked_sub(1),
        b"-" => n.checked_sub(2).or(n.checked_sub(1)),
        num => std::str::from_utf8(num)
            .ok()?
            .parse::<usize>()
            .ok()?
            .checked_sub(1)
            .filter(|&i| i < n),
    }
}

/// A trapped signal has arrived (peek, without consuming it).
fn pending_trap(s: &Shell) -> Option<i32> {
    if !sys::signal_pending() {
        return None;
    }
    s.traps
        .iter()
        .enumerate()
        .skip(1)
        .find(|(_, t)| matches!(t, Some(Trap::Command(_))))
        .map(|(i, _)| i as i32)
}

fn kill(s: &mut Shell, argv: &[Vec<u8>]) -> R {
    let mut sig = libc::SIGTERM;
    let mut i = 1;
    match argv.get(1).map(Vec::as_slice) {
        Some(b"-l") | Some(b"-L") => {
            // Names for numbers (or exit statuses), numbers for names.
            let mut out = Out::stdout();
            let mut status = 0;
            for n in &argv[2..] {
                let num: Option<i32> = std::str::from_utf8(n).ok().and_then(|t| t.parse().ok());
                let text = match num {
                    Some(v) => {
                        let v = if v > 128 { v - 128 } else { v };
                        sys::signal_name_list()
                            .iter()
                            .any(|&(_, x)| x == v)
                            .then(|| signal_name(v))
                    }
                    None => signal_number(n).map(|v| v.to_string().into_bytes()),
                };
                match text {
                    Some(t) => {
                        out.write(&t);
                        out.byte(b'\n');
                    }
                    None => {
                        out.flush();
                        err(s, b"kill", &[b"invalid signal ", n]);
                        status = 1;
                    }
                }
            }
            if argv.len() == 2 {
                for (name, _) in sys::signal_name_list() {
                    out.str(name);
                    out.byte(b'\n');
                }
            }
            s.status = out.finish(status);
            return Ok(());
        }
        Some(b"-s" | b"-n") => {
            match argv.get(2).and_then(|n| signal_number(n)) {
                Some(v) => sig = v,
                None => {
                    err(s, b"kill", &[b"invalid signal"]);
                    s.status = 2;
                    return Ok(());
                }
            }
            i = 3;
        }
        Some(a) if a.starts_with(b"-") && a.len() > 1 && a != b"--" => {
            match signal_number(&a[1..]) {
                Some(v) => sig = v,
                None => {
                    err(s, b"kill", &[b"invalid signal ", &a[1..]]);
                    s.status = 1;
                    return Ok(());
                }
            }
            i = 2;
        }
        _ => {}
    }
    if argv.get(i).is_some_and(|a| a == b"--") {
        i += 1;
    }
    if argv.len() <= i {
        err(
            s,
            b"kill",
            &[b"usage: kill [-s sigspec | -signum | -sigspec] pid | jobspec ..."],
        );
        s.status = 2;
        return Ok(());
    }
    s.status = 0;
    for a in &argv[i..] {
        let pid: Option<i32> = if a.starts_with(b"%") {
            job_index(s, a)
                .and_then(|i| s.jobs.get(i))
                .and_then(|j| j.pids.first().copied())
        } else {
            std::str::from_utf8(a).ok().and_then(|t| t.parse().ok())
        };
        match pid {
            Some(p) => {
                if let Err(e) = sys::kill(p, sig) {
                    err(s, b"kill", &[a, b": ", ibex::error::reason(&e).as_bytes()]);
                    s.status = 1;
                }
            }
            None if a.starts_with(b"%") => {
                err(s, b"kill", &[a, b": no such job"]);
                s.status = 1;
            }
            None => {
                err(s, b"kill", &[b"Illegal number: ", a]);
                s.status = 2;
            }
        }
    }
    Ok(())
}

fn jobs(s: &mut Shell, _argv: &[Vec<u8>]) -> R {
    let mut out = Out::stdout();
    for (i, j) in s.jobs.iter().enumerate() {
        out.str(&format!(
            "[{}] {} {}\n",
            i + 1,
            j.pids.first().copied().unwrap_or(0),
            if j.done() { "Done" } else { "Running" }
        ));
    }
    s.status = out.finish(0);
    Ok(())
}

fn ulimit(s: &mut Shell, argv: &[Vec<u8>]) -> R {
    const RES: &[(u8, i32, u64, &str)] = &[
        (b'c', libc::RLIMIT_CORE as _, 512, "core file size (blocks)"),
        (b'd', libc::RLIMIT_DATA as _, 1024, "data seg size (kb)"),
        (b'f', libc::RLIMIT_FSIZE as _, 512, "file size (blocks)"),
        (
            b'l',
            libc::RLIMIT_MEMLOCK as _,
            1024,
            "max locked memory (kb)",
        ),
        (b'm', libc::RLIMIT_RSS as _, 1024, "max memory size (kb)"),
        (b'n', libc::RLIMIT_NOFILE as _, 1, "open files"),
        (b's', libc::RLIMIT_STACK as _, 1024, "stack size (kb)"),
        (b't', libc::RLIMIT_CPU as _, 1, "cpu time (seconds)"),
        (b'u', libc::RLIMIT_NPROC as _, 1, "max user processes"),
        (b'v', libc::RLIMIT_AS as _, 1024, "virtual memory (kb)"),
    ];
    let mut hard = false;
    let mut soft = false;
    let mut all = false;
    let mut which = b'f';
    let mut value: Option<&[u8]> = None;
    let mut resources = 0;
    let mut operands_only = false;
    for a in &argv[1..] {
        if a == b"--" && !operands_only {
            operands_only = true;
        } else if a.starts_with(b"-") && a.len() > 1 && !operands_only {
            for &c in &a[1..] {
                match c {
                    b'H' => hard = true,
                    b'S' => soft = true,
                    b'a' => {
                        all = true;
                        resources += 1;
                    }
                    c if RES.iter().any(|r| r.0 == c) => {
                        which = c;
                        resources += 1;
                    }
                    _ => {
                        err(s, b"ulimit", &[b"Illegal option -", &[c]]);
                        s.status = 2;
                        return Ok(());
                    }
                }
            }
        } else if value.is_some() {
            err(s, b"ulimit", &[b"too many arguments"]);
            s.status = 2;
            return Ok(());
        } else {
            value = Some(a);
        }
    }
    if resources > 1 || (all && value.is_some()) {
        // One resource at a time, as dash and mksh.
        err(s, b"ulimit", &[b"too many arguments"]);
        s.status = 2;
        return Ok(());
    }
    let mut out = Out::stdout();
    let show = |v: u64, unit: u64| {
        if v == u64::MAX {
            "unlimited".to_string()
        } else {
            (v / unit).to_string()
        }
    };
    s.status = 0;
    if all {
        for (c, res, unit, desc) in RES {
            if let Ok((sv, hv)) = sys::getrlimit(*res) {
                out.str(&format!(
                    "-{} {:<26} {}\n",
                    *c as char,
                    desc,
                    show(if hard { hv } else { sv }, *unit)
                ));
            }
        }
        s.status = out.finish(0);
        return Ok(());
    }
    let Some(&(_, res, unit, _)) = RES.iter().find(|r| r.0 == which) else {
        return Ok(());
    };
    match value {
        None => {
            if let Ok((sv, hv)) = sys::getrlimit(res) {
                out.str(&show(if hard { hv } else { sv }, unit));
                out.byte(b'\n');
            }
            s.status = out.finish(0);
        }
        Some(v) => {
            let n = if v == b"unlimited" {
                u64::MAX
            } else {
                match std::str::from_utf8(v)
                    .ok()
                    .and_then(|t| t.parse::<u64>().ok())
                {
                    Some(n) => n.saturating_mul(unit),
                    None => {
                        err(s, b"ulimit", &[b"bad number"]);
                        s.status = 2;
                        return Ok(());
                    }
                }
            };
            let (cs, ch) = sys::getrlimit(res).unwrap_or((u64::MAX, u64::MAX));
            let (ns, nh) = match (hard, soft) {
                (true, false) => (cs.min(n), n),
                (false, true) => (n, ch),
                _ => (n, n),
            };
            if let Err(e) = sys::setrlimit(res, ns, nh) {
                err(s, b"ulimit", &[ibex::error::reason(&e).as_bytes()]);
                s.status = 2;
            }
        }
    }
    Ok(())
}
