//! find: walk directory trees and evaluate an expression for each file.
//!
//! POSIX's expression language with GNU's extensions (see `parse.rs` for
//! the primaries). The walk is `ibex::walk::Walker`: iterative and
//! descriptor-relative, so deep trees and renamed directories are safe;
//! files are stat'ed only when the expression needs it (`-name` alone reads
//! only directory entries). `-regex` defaults to GNU's emacs syntax,
//! translated to ERE (`\(\)` groups, `\|` alternation, `+ ?` operators,
//! `{}` `()` `|` plain characters); `-regextype posix-basic|posix-extended`
//! (and the grep/egrep/awk/sed aliases) select BRE/ERE.

mod eval;
mod parse;
mod printf;

use eval::{Ent, ExecState, State, quote};
use ibex::Status;
use ibex::args::Spec;
use ibex::io::Out;
use ibex::sys;
use ibex::walk::{Follow, Options, Visit, Walker};
use std::ffi::OsString;
use std::os::fd::{AsRawFd, OwnedFd};
use std::os::unix::ffi::OsStrExt;

const USAGE: ibex::usage::Usage = ibex::usage!(
    find,
    "find [-HLP] [PATH]... [EXPRESSION]

Search for files and perform actions on them. The default PATH is the
current directory, the default action -print.

\t-H\tFollow symlinks given on the command line
\t-L\tFollow all symlinks (also -follow)
\t-P\tNever follow symlinks (default)

Operators: ( EXPR )  ! EXPR  -not  EXPR -a EXPR  -and  EXPR -o EXPR  -or  EXPR , EXPR
Options: -depth -maxdepth N -mindepth N -xdev -mount -daystart -regextype TYPE
Tests: -name -iname -path -ipath -wholename -regex -iregex -lname -ilname PATTERN
\t-type -xtype [bcdpfls,] -perm [-/]MODE -user -group NAME -uid -gid N
\t-nouser -nogroup -size [+-]N[bcwkMG] -links -inum [+-]N -empty
\t-mtime -atime -ctime [+-]DAYS -mmin -amin -cmin [+-]MINS
\t-newer -anewer -cnewer FILE -newerXY REF -samefile FILE
\t-readable -writable -executable -true -false
Actions: -print -print0 -printf FMT -fprint -fprint0 FILE -fprintf FILE FMT
\t-ls -fls FILE -prune -quit -delete -exec CMD {} ; -exec CMD {} +
\t-execdir CMD {} ; -execdir CMD {} + -ok CMD {} ; -okdir CMD {} ;"
);

const SPEC: Spec = Spec::new("", &[], USAGE);

fn env_size() -> usize {
    std::env::vars_os()
        .map(|(k, v)| k.len() + v.len() + 2 + std::mem::size_of::<usize>())
        .sum()
}

/// The leading part of `path` that is the directory `st` (for the
/// message about a loop).
fn ancestor<'p>(path: &'p [u8], st: &sys::Stat) -> &'p [u8] {
    let mut end = 0;
    while let Some(i) = memchr::memchr(b'/', &path[end..]) {
        let prefix = &path[..end + i];
        end += i + 1;
        if !prefix.is_empty() && sys::stat(prefix).is_ok_and(|p| p.same_file(st)) {
            return prefix;
        }
    }
    path
}

pub fn main(argv: &[OsString]) -> Status {
    let args: Vec<&[u8]> = argv.iter().skip(1).map(|a| a.as_bytes()).collect();
    let mut follow = Follow::Never;
    let mut i = 0;
    while let Some(&a) = args.get(i) {
        match a {
            b"--help" => {
                ibex::args::print_usage(&SPEC);
                return Ok(0);
            }
            b"--" => {
                i += 1;
                break;
            }
            b"-D" => {
                i += 2;
                continue;
            }
            _ if a.starts_with(b"-O") && a[2..].iter().all(u8::is_ascii_digit) => {}
            _ if a.len() > 1
                && a.starts_with(b"-")
                && a[1..].iter().all(|c| matches!(c, b'H' | b'L' | b'P')) =>
            {
                if let Some(&c) = a.last() {
                    follow = match c {
                        b'H' => Follow::Root,
                        b'L' => Follow::Always,
                        _ => Follow::Never,
                    };
                }
            }
            _ => break,
        }
        i += 1;
    }
    let rest = args.get(i..).unwrap_or(&[]);
    let npaths = rest.iter().take_while(|a| !parse::starts_expr(a)).count();
    let (paths, expr) = rest.split_at(npaths);
    let (node, cfg) = parse::parse(expr, follow)?;

    let mut outs = vec![Out::stdout()];
    let mut files: Vec<OwnedFd> = Vec::new();
    for f in &cfg.files {
        let flags = sys::O_WRONLY | sys::O_CREAT | sys::O_TRUNC | sys::O_CLOEXEC;
        match sys::open(f, flags, 0o666) {
            Ok(fd) => {
                outs.push(Out::new(fd.as_raw_fd()));
                files.push(fd);
            }
            Err(e) => {
                ibex::error::io_error(&quote(f)[..], &e);
                return Ok(1);
            }
        }
    }
    let mut now = cfg.now;
    if cfg.daystart
        && let Some(tm) = ibex::time::local(now)
    {
        let since_midnight = i64::from(tm.hour) * 3600 + i64::from(tm.min) * 60 + i64::from(tm.sec);
        now = sys::Timespec {
            sec: now.sec - since_midnight + 86400,
            nsec: 0,
        };
    }
    let limit = sys::arg_max()
        .saturating_sub(env_size())
        .saturating_sub(4096)
        .clamp(4096, 1 << 21);
    let mut st = State {
        outs,
        execs: cfg.execs.into_iter().map(ExecState::new).collect(),
        status: 0,
        prune: false,
        quit: false,
        now,
        limit,
        buf: Vec::new(),
        mounts: None,
    };
    let opts = Options {
        follow: cfg.follow,
        xdev: cfg.xdev,
        post: cfg.depth,
        sorted: false,
        stat_all: cfg.needs_stat,
    };
    let default: [&[u8]; 1] = [b"."];
    let roots: &[&[u8]] = if paths.is_empty() { &default } else { paths };
    for root in roots {
        if st.quit {
            break;
        }
        if root.is_empty() {
            ibex::msg!("'': No such file or directory");
            st.status = 1;
            continue;
        }
        let mut w = Walker::new(root, opts);
        while let Some(en) = w.next() {
            let follow_here = match cfg.follow {
                Follow::Never => false,
                Follow::Root => en.depth == 0,
                Follow::Always => true,
            };
            let in_range = en.depth >= cfg.mindepth && en.depth <= cfg.maxdepth;
            let mut descend_stop = false;
            let evaluate = match en.visit {
                Visit::StatError(e) => {
                    ibex::error::io_error(&quote(en.path)[..], e);
                    st.status = 1;
                    false
                }
                Visit::DirError(e) => {
                    ibex::error::io_error(&quote(en.path)[..], e);
                    st.status = 1;
                    false
                }
                Visit::Loop => {
                    let anc = en.stat.map_or(&en.path[..0], |s| ancestor(en.path, s));
                    ibex::msg!(
                        "File system loop detected; ",
                        &quote(en.path)[..],
                        " is part of the same file system loop as ",
                        &quote(anc)[..],
                        "."
                    );
                    st.status = 1;
                    false
                }
                Visit::Pre => {
                    descend_stop = en.depth >= cfg.maxdepth;
                    !cfg.depth && in_range
                }
                Visit::Post => in_range,
                Visit::File => in_range,
            };
            if evaluate {
                let mut e = Ent::new(
                    en.path,
                    en.name,
                    en.parent,
                    en.depth,
                    en.kind,
                    root,
                    en.stat.copied(),
                    follow_here,
                );
                st.prune = false;
                st.eval(&node, &mut e);
                if e.failed {
                    st.status = 1;
                }
                if st.prune && matches!(en.visit, Visit::Pre) {
                    descend_stop = true;
                }
            }
            if descend_stop {
                w.prune();
            }
            if st.quit {
                break;
            }
        }
    }
    st.finish_batches();
    let mut status = st.status;
    for o in st.outs.drain(1..) {
        if o.finish(0) != 0 {
            status = 1;
        }
    }
    drop(files);
    let out = st.outs.pop().unwrap_or_else(Out::stdout);
    out.done(status)
}
