//! chmod: change file mode bits. Modes are octal or symbolic (several
//! comma-separated clauses, see ibex::mode); an argument that looks like a
//! symbolic mode starting with `-` (`chmod -x f`, `chmod -w,+r f`) is a
//! mode, not an option, as GNU does. `-R` walks trees without following
//! symbolic links (a symlink operand is followed), `-v`/`-c` report,
//! `-f` is quiet, `--reference=FILE` copies a mode, `--preserve-root`.

use ibex::Status;
use ibex::args::{self, Long, Parser, Spec, flag, value};
use ibex::copy::quote;
use ibex::io::Out;
use ibex::mode::{self, Mode};
use ibex::sys::{self, Dir, Stat};
use ibex::walk::{Follow, Options, Visit, Walker};
use std::ffi::OsString;
use std::os::unix::ffi::OsStrExt;

const REFERENCE: u32 = 256;
const PRESERVE: u32 = 257;
const NO_PRESERVE: u32 = 258;

const LONGS: &[Long] = &[
    flag("changes", 'c' as u32),
    flag("silent", 'f' as u32),
    flag("quiet", 'f' as u32),
    flag("verbose", 'v' as u32),
    flag("recursive", 'R' as u32),
    value("reference", REFERENCE),
    flag("preserve-root", PRESERVE),
    flag("no-preserve-root", NO_PRESERVE),
];

const SPEC: Spec = Spec::new(
    "Rcfv",
    LONGS,
    ibex::usage!(
        chmod,
        "chmod [-Rcvf] MODE[,MODE]... FILE...

Change the mode of each FILE to MODE

\t-R\tRecurse
\t-c\tList changed files
\t-v\tList all files
\t-f\tHide errors
\t--reference=RFILE\tUse RFILE's mode
\t--preserve-root\tFail to operate recursively on '/'
MODE is octal, or [ugoa]*[-+=]([rwxXst]*|[ugo]) clauses separated by commas"
    ),
);

#[derive(Clone, Copy, PartialEq, Eq)]
enum Verbosity {
    Off,
    Changes,
    High,
}

enum Change {
    Mode(Mode),
    Exact(u32),
}

struct Chmod {
    change: Change,
    verbosity: Verbosity,
    quiet: bool,
    recursive: bool,
    /// The mode came from an option-like argument: warn when the umask
    /// made the result differ from what was asked (as GNU does).
    diagnose: bool,
    umask: u32,
    root: Option<Stat>,
    out: Out,
}

/// Arguments like `-x` or `-w,+r` are modes (GNU's getopt treats these
/// letters as options that append to the mode). Returns the mode they
/// spell, if any, and the remaining arguments.
fn take_mode_options(argv: &[OsString]) -> (Option<Vec<u8>>, Vec<OsString>) {
    let mut mode: Option<Vec<u8>> = None;
    let mut rest = Vec::with_capacity(argv.len());
    let mut ended = false;
    for (i, a) in argv.iter().enumerate() {
        let b = a.as_bytes();
        if i > 0 && !ended {
            if b == b"--" {
                ended = true;
            } else if b.len() >= 2 && b[0] == b'-' && b"rwxXstugoa,+=01234567".contains(&b[1]) {
                let m = mode.get_or_insert_with(Vec::new);
                if !m.is_empty() {
                    m.push(b',');
                }
                m.extend_from_slice(b);
                continue;
            }
        }
        rest.push(a.clone());
    }
    (mode, rest)
}

/// A name as GNU's quotef shows it: bare when nothing in it needs quoting.
fn quote_if_needed(name: &[u8]) -> Vec<u8> {
    let plain = !name.is_empty()
        && name
            .iter()
            .all(|&c| c.is_ascii_alphanumeric() || b"%+,-./:=@_^".contains(&c));
    if plain { name.to_vec() } else { quote(name) }
}

/// The nine permission characters plus set-id and sticky, as `ls -l`.
fn perms(m: u32) -> [u8; 9] {
    let s = mode::mode_string(m);
    let mut p = [0u8; 9];
    p.copy_from_slice(&s[1..]);
    p
}

fn octal4(m: u32) -> String {
    format!("{:04o}", m & 0o7777)
}

pub fn main(argv: &[OsString]) -> Status {
    let (opt_mode, argv) = take_mode_options(argv);
    let mut reference = None;
    let mut c = Chmod {
        change: Change::Exact(0),
        verbosity: Verbosity::Off,
        quiet: false,
        recursive: false,
        diagnose: opt_mode.is_some(),
        umask: sys::get_umask(),
        root: None,
        out: Out::stdout(),
    };
    let mut preserve_root = false;
    let mut p = Parser::new(&argv, &SPEC);
    while let Some((id, val)) = p.next()? {
        match id {
            0x52 => c.recursive = true,
            0x63 => c.verbosity = Verbosity::Changes,
            0x76 => c.verbosity = Verbosity::High,
            0x66 => c.quiet = true,
            REFERENCE => reference = val,
            PRESERVE => preserve_root = true,
            NO_PRESERVE => preserve_root = false,
            _ => {}
        }
    }
    let mut ops = p.operands().into_iter();
    if let Some(r) = reference {
        if opt_mode.is_some() {
            return Err(args::usage_error(
                &SPEC,
                &[b"cannot combine mode and --reference options"],
            ));
        }
        match sys::stat(r.as_bytes()) {
            Ok(st) => c.change = Change::Exact(st.mode & 0o7777),
            Err(e) => {
                ibex::msg!("failed to get attributes of ", quote(r.as_bytes()), ": ", e);
                return Err(ibex::Exit(1));
            }
        }
    } else {
        let text = match opt_mode {
            Some(m) => m,
            None => match ops.next() {
                Some(m) => m.as_bytes().to_vec(),
                None => return Err(args::missing_operand(&SPEC)),
            },
        };
        match mode::parse(&text) {
            Some(m) => c.change = Change::Mode(m),
            None => {
                return Err(args::usage_error(
                    &SPEC,
                    &[b"invalid mode: ", &quote(&text)],
                ));
            }
        }
        if ops.len() == 0 {
            return Err(args::usage_error(
                &SPEC,
                &[b"missing operand after ", &quote(&text)],
            ));
        }
    }
    if ops.len() == 0 {
        return Err(args::missing_operand(&SPEC));
    }
    if c.recursive && preserve_root {
        c.root = sys::stat(b"/").ok();
    }
    let mut ok = true;
    for op in ops {
        ok &= c.operand(op.as_bytes());
    }
    c.out.done(i32::from(!ok))
}

impl Chmod {
    fn operand(&mut self, arg: &[u8]) -> bool {
        let name = root_name(arg);
        let mut w = Walker::new(
            name,
            Options {
                follow: Follow::Root,
                xdev: false,
                post: false,
                sorted: false,
                stat_all: true,
            },
        );
        let mut ok = true;
        while let Some(e) = w.next() {
            match e.visit {
                Visit::StatError(err) => {
                    let dangling = e.depth == 0
                        && err.raw_os_error() == Some(libc::ENOENT)
                        && sys::lstat(e.path).is_ok_and(|st| st.is_lnk());
                    if dangling {
                        if !self.quiet {
                            ibex::msg!("cannot operate on dangling symlink ", quote(e.path));
                        }
                        if self.verbosity == Verbosity::High {
                            self.out.write(&quote(e.path));
                            self.out.str(" could not be accessed\n");
                        }
                        ok = false;
                        continue;
                    }
                    if !self.quiet {
                        ibex::msg!("cannot access ", quote(e.path), ": ", err);
                    }
                    if self.verbosity == Verbosity::High {
                        self.out.write(&quote(e.path));
                        self.out.str(" could not be accessed\n");
                    }
                    ok = false;
                }
                Visit::DirError(err) => {
                    if !self.quiet {
                        ibex::msg!("cannot read directory ", quote(e.path), ": ", err);
                    }
                    ok = false;
                }
                Visit::Loop | Visit::Post => {}
                Visit::Pre | Visit::File => {
                    let Some(st) = e.stat.copied() else { continue };
                    let is_pre = matches!(e.visit, Visit::Pre);
                    if is_pre && e.depth == 0 && self.root.is_some_and(|r| r.same_file(&st)) {
                        refuse_slash(e.path);
                        w.prune();
                        ok = false;
                        continue;
                    }
                    let path = e.path.to_vec();
                    ok &= self.change(e.parent, e.name, &path, &st);
                    if is_pre && !self.recursive {
                        w.prune();
                    }
                }
            }
        }
        ok
    }

    fn change(&mut self, dir: Dir, name: &[u8], path: &[u8], st: &Stat) -> bool {
        if st.is_lnk() {
            // Met while walking: symbolic links are neither followed nor changed.
            if self.verbosity == Verbosity::High {
                self.out.str("neither symbolic link ");
                self.out.write(&quote(path));
                self.out.str(" nor referent has been changed\n");
            }
            return true;
        }
        let old = st.mode & 0o7777;
        let is_dir = st.is_dir();
        let new = match &self.change {
            Change::Exact(m) => *m,
            Change::Mode(m) => m.apply(old, is_dir, self.umask),
        };
        let mut ok = true;
        let mut failed = false;
        if let Err(err) = sys::fchmodat(dir, name, new) {
            if !self.quiet {
                self.out.flush();
                ibex::msg!("changing permissions of ", quote(path), ": ", err);
            }
            ok = false;
            failed = true;
        }
        if self.verbosity == Verbosity::High
            || (self.verbosity == Verbosity::Changes && new != old && !failed)
        {
            let q = quote(path);
            if failed {
                self.out.str("failed to change mode of ");
                self.out.write(&q);
                self.out.str(&format!(" from {} (", octal4(old)));
                self.out.write(&perms(old));
                self.out.str(&format!(") to {} (", octal4(new)));
                self.out.write(&perms(new));
                self.out.str(")\n");
            } else if new != old {
                self.out.str("mode of ");
                self.out.write(&q);
                self.out.str(&format!(" changed from {} (", octal4(old)));
                self.out.write(&perms(old));
                self.out.str(&format!(") to {} (", octal4(new)));
                self.out.write(&perms(new));
                self.out.str(")\n");
            } else {
                self.out.str("mode of ");
                self.out.write(&q);
                self.out.str(&format!(" retained as {} (", octal4(new)));
                self.out.write(&perms(new));
                self.out.str(")\n");
            }
        }
        if ok
            && self.diagnose
            && let Change::Mode(m) = &self.change
        {
            let naive = m.apply(old, is_dir, 0);
            if new & !naive != 0 {
                self.out.flush();
                let mut msg = quote_if_needed(path);
                msg.extend_from_slice(b": new permissions are ");
                msg.extend_from_slice(&perms(new));
                msg.extend_from_slice(b", not ");
                msg.extend_from_slice(&perms(naive));
                ibex::msg!(msg);
                ok = false;
            }
        }
        ok
    }
}

/// The operand as a tree walk names it: several trailing slashes become one
/// (except in a two-byte name), as GNU's fts does.
fn root_name(p: &[u8]) -> &[u8] {
    let mut len = p.len();
    if len > 2 && p[len - 1] == b'/' {
        while len > 1 && p[len - 2] == b'/' {
            len -= 1;
        }
    }
    &p[..len]
}

/// The refusal to work recursively on `/` (named `path`), as GNU words it.
fn refuse_slash(path: &[u8]) {
    if path == b"/" {
        ibex::msg!("it is dangerous to operate recursively on '/'");
    } else {
        ibex::msg!(
            "it is dangerous to operate recursively on ",
            quote(path),
            " (same as '/')"
        );
    }
    ibex::msg!("use --no-preserve-root to override this failsafe");
}
