//! env: run a command in a modified environment, or print the environment.
//! `-i`/`-` start empty, `-u NAME` unsets, `NAME=VALUE` sets, `-0` ends
//! printed entries with NUL, `-C DIR` changes directory first, `-S STRING`
//! splits STRING into arguments (for `#!/usr/bin/env -S cmd args` lines).
//! Options stop at the first operand. Exit status: 125 for env's own
//! errors, 126 when COMMAND cannot run, 127 when it is not found.

use ibex::Status;
use ibex::args::{Parser, Spec, flag, usage_error, value};
use ibex::io::Out;
use std::ffi::{OsStr, OsString};
use std::os::unix::ffi::OsStrExt;

const SPEC: Spec = Spec::new(
    "+0iu:C:S:",
    &[
        flag("null", '0' as u32),
        flag("ignore-environment", 'i' as u32),
        value("unset", 'u' as u32),
        value("chdir", 'C' as u32),
        value("split-string", 'S' as u32),
    ],
    ibex::usage!(
        env,
        "env [-0i] [-u NAME]... [-C DIR] [-S STRING] [-] [NAME=VALUE]... [COMMAND [ARG]...]\n\n\
         Set each NAME to VALUE in the environment and run COMMAND, or print the environment\n\n\
         \t-i, --ignore-environment\tStart with an empty environment (also -)\n\
         \t-0, --null\tEnd each output line with NUL, not newline\n\
         \t-u, --unset=NAME\tRemove NAME from the environment\n\
         \t-C, --chdir=DIR\tChange the working directory to DIR\n\
         \t-S, --split-string=S\tSplit S into separate arguments"
    ),
)
.status(125);

/// An error in a -S string: the message, already worded.
fn split_error(parts: &[&[u8]]) -> ibex::Exit {
    let mut m = ibex::error::start();
    for p in parts {
        m.extend_from_slice(p);
    }
    ibex::error::emit(m);
    ibex::Exit(125)
}

fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
}

/// `${NAME}` at `s[i] == '$'`: the value (empty when unset) and the bytes used.
fn expand(s: &[u8], i: usize) -> Result<(Vec<u8>, usize), ibex::Exit> {
    let bad = || {
        split_error(&[
            b"only ${VARNAME} expansion is supported, error at: ",
            &s[i..],
        ])
    };
    if s.get(i + 1) != Some(&b'{') {
        return Err(bad());
    }
    let name_start = i + 2;
    let n = s[name_start..]
        .iter()
        .take_while(|c| c.is_ascii_alphanumeric() || **c == b'_')
        .count();
    let first_ok = s
        .get(name_start)
        .is_some_and(|c| c.is_ascii_alphabetic() || *c == b'_');
    if !first_ok || s.get(name_start + n) != Some(&b'}') {
        return Err(bad());
    }
    let name = OsStr::from_bytes(&s[name_start..name_start + n]);
    let val = std::env::var_os(name).map_or_else(Vec::new, |v| v.as_bytes().to_vec());
    Ok((val, n + 3))
}

/// Split a -S string like GNU env: white space separates, '...' and
/// "..." quote, backslash escapes, `${NAME}` expands (not in '...'),
/// `#` at the start of a word comments out the rest, `\c` ends it.
fn split(s: &[u8]) -> Result<Vec<OsString>, ibex::Exit> {
    let mut words: Vec<OsString> = Vec::new();
    let mut word: Vec<u8> = Vec::new();
    let mut in_word = false;
    let mut i = 0;
    #[derive(PartialEq)]
    enum Q {
        None,
        Single,
        Double,
    }
    let mut q = Q::None;
    while i < s.len() {
        let c = s[i];
        match q {
            Q::Single => {
                if c == b'\'' {
                    q = Q::None;
                    i += 1;
                } else if c == b'\\' && matches!(s.get(i + 1), Some(b'\\' | b'\'')) {
                    word.push(s[i + 1]);
                    i += 2;
                } else {
                    word.push(c);
                    i += 1;
                }
                continue;
            }
            Q::None if is_space(c) => {
                if in_word {
                    words.push(ibex::sys::os_string(std::mem::take(&mut word)));
                    in_word = false;
                }
                i += 1;
                continue;
            }
            Q::None if c == b'#' && !in_word => break,
            Q::None if c == b'\'' => {
                q = Q::Single;
                in_word = true;
                i += 1;
                continue;
            }
            Q::None | Q::Double if c == b'"' => {
                q = if q == Q::Double { Q::None } else { Q::Double };
                in_word = true;
                i += 1;
                continue;
            }
            _ => {}
        }
        if c == b'$' {
            let (val, used) = expand(s, i)?;
            word.extend_from_slice(&val);
            in_word = true;
            i += used;
            continue;
        }
        if c != b'\\' {
            word.push(c);
            in_word = true;
            i += 1;
            continue;
        }
        let Some(&e) = s.get(i + 1) else {
            return Err(split_error(&[b"invalid backslash at end of string in -S"]));
        };
        i += 2;
        let out = match e {
            b'c' => break,
            b'_' if q == Q::None => {
                if in_word {
                    words.push(ibex::sys::os_string(std::mem::take(&mut word)));
                    in_word = false;
                }
                continue;
            }
            b'_' => b' ',
            b'"' | b'\'' | b'\\' | b'#' | b'$' => e,
            b'f' => 12,
            b'n' => b'\n',
            b'r' => b'\r',
            b't' => b'\t',
            b'v' => 11,
            _ => {
                return Err(split_error(&[b"invalid sequence '\\", &[e], b"' in -S"]));
            }
        };
        word.push(out);
        in_word = true;
    }
    if q != Q::None {
        return Err(split_error(&[b"no terminating quote in -S string"]));
    }
    if in_word {
        words.push(ibex::sys::os_string(word));
    }
    Ok(words)
}

pub fn main(argv: &[OsString]) -> Status {
    let mut clear = false;
    let mut nul = false;
    let mut unset: Vec<OsString> = Vec::new();
    let mut dir: Option<OsString> = None;
    // -S restarts option parsing over the split words and what follows.
    let mut args: Vec<OsString> = argv.to_vec();
    let operands: Vec<OsString> = 'parse: loop {
        let mut p = Parser::new(&args, &SPEC);
        while let Some((id, val)) = p.next()? {
            let v = val.unwrap_or_default();
            match char::from_u32(id) {
                Some('i') => clear = true,
                Some('0') => nul = true,
                Some('u') => unset.push(v.to_os_string()),
                Some('C') => dir = Some(v.to_os_string()),
                Some('S') => {
                    let mut next = vec![args.first().cloned().unwrap_or_default()];
                    next.extend(split(v.as_bytes())?);
                    next.extend(p.rest().iter().cloned());
                    args = next;
                    continue 'parse;
                }
                _ => {}
            }
        }
        break p.operands().into_iter().map(OsStr::to_os_string).collect();
    };
    let mut ops: &[OsString] = &operands;
    if ops.first().is_some_and(|o| o == "-") {
        clear = true;
        ops = &ops[1..];
    }
    let sets = ops
        .iter()
        .take_while(|o| o.as_bytes().contains(&b'='))
        .count();
    let (assignments, command) = ops.split_at(sets);
    if nul && !command.is_empty() {
        return Err(usage_error(
            &SPEC,
            &[b"cannot specify --null (-0) with command"],
        ));
    }
    if dir.is_some() && command.is_empty() {
        return Err(usage_error(
            &SPEC,
            &[b"must specify command with --chdir (-C)"],
        ));
    }
    if clear {
        ibex::sys::clear_environ();
    }
    for name in &unset {
        let b = name.as_bytes();
        if b.is_empty() || b.contains(&b'=') {
            ibex::msg!("cannot unset '", b, "': Invalid argument");
            return Ok(125);
        }
        ibex::sys::unset_env(name);
    }
    for a in assignments {
        let b = a.as_bytes();
        let eq = b.iter().position(|&c| c == b'=').unwrap_or(b.len());
        if eq == 0 {
            ibex::msg!("cannot set '", b, "': Invalid argument");
            return Ok(125);
        }
        let (k, v) = (&b[..eq], b.get(eq + 1..).unwrap_or(b""));
        ibex::sys::set_env(OsStr::from_bytes(k), OsStr::from_bytes(v));
    }
    if command.is_empty() {
        let mut out = Out::stdout();
        let end = if nul { 0 } else { b'\n' };
        for (k, v) in std::env::vars_os() {
            out.write(k.as_bytes());
            out.byte(b'=');
            out.write(v.as_bytes());
            out.byte(end);
        }
        return out.done(0);
    }
    if let Some(d) = &dir
        && let Err(e) = std::env::set_current_dir(d)
    {
        ibex::msg!("cannot change directory to '", d, "': ", e);
        return Ok(125);
    }
    let e = ibex::sys::execvp_posix(command);
    let code = if e.raw_os_error() == Some(libc::ENOENT) {
        127
    } else {
        126
    };
    ibex::msg!("'", command[0], "': ", e);
    Ok(code)
}
