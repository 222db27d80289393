//! Option parsing with POSIX getopt and GNU getopt_long semantics.
//!
//! An applet describes its options in a [`Spec`] and walks them with
//! [`Parser::next`]: clustered flags (`-la`), attached or separate values
//! (`-n5`, `-n 5`), optional values (`-c::` attached only, `--opt[=v]`),
//! `--long[=value]` with unique-prefix abbreviation, `--`, and operands mixed
//! with options (collected in order) unless the spec stops at the first
//! operand. `-NUM` can be accepted as an option of its own (`head -5`).
//! `--help` prints the usage and ends the applet with status 0.

use crate::error::{Exit, Status};
pub use crate::usage::Usage;
use std::ffi::{OsStr, OsString};
use std::os::unix::ffi::OsStrExt;

/// Whether an option takes a value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Arg {
    No,
    Required,
    Optional,
}

/// A long option. `id` is what `next` reports: the equivalent short option's
/// character, or a number above 255 for long-only options.
#[derive(Clone, Copy, Debug)]
pub struct Long {
    pub name: &'static str,
    pub arg: Arg,
    pub id: u32,
}

/// Shorthand constructors for option tables.
pub const fn flag(name: &'static str, id: u32) -> Long {
    Long {
        name,
        arg: Arg::No,
        id,
    }
}
pub const fn value(name: &'static str, id: u32) -> Long {
    Long {
        name,
        arg: Arg::Required,
        id,
    }
}
pub const fn optional(name: &'static str, id: u32) -> Long {
    Long {
        name,
        arg: Arg::Optional,
        id,
    }
}

/// An applet's option syntax and usage text.
pub struct Spec {
    /// getopt-style letters: `x` flag, `x:` required value, `x::` optional
    /// attached value. A leading `+` stops option parsing at the first operand.
    pub short: &'static str,
    pub long: &'static [Long],
    /// Usage text (`ibex::usage!`): the first line is the synopsis after
    /// `Usage: `.
    pub usage: Usage,
    /// Exit status for a usage error.
    pub error_status: i32,
    /// When not 0, `-NUM` is reported as this id with value `NUM`.
    pub digits: u32,
}

impl Spec {
    pub const fn new(short: &'static str, long: &'static [Long], usage: Usage) -> Spec {
        Spec {
            short,
            long,
            usage,
            error_status: 1,
            digits: 0,
        }
    }
    pub const fn status(mut self, code: i32) -> Spec {
        self.error_status = code;
        self
    }
    pub const fn digits(mut self, id: u32) -> Spec {
        self.digits = id;
        self
    }

    fn stops_at_operand(&self) -> bool {
        self.short.starts_with('+')
    }

    /// How a short option letter takes its value, or None if unknown.
    fn short_arg(&self, c: u8) -> Option<Arg> {
        let s = self.short.as_bytes();
        let start = usize::from(s.first() == Some(&b'+'));
        let mut i = start;
        while i < s.len() {
            let letter = s[i];
            let colons = s[i + 1..].iter().take_while(|&&b| b == b':').count();
            if letter == c && letter != b':' {
                return Some(match colons {
                    0 => Arg::No,
                    1 => Arg::Required,
                    _ => Arg::Optional,
                });
            }
            i += 1 + colons;
        }
        None
    }
}

/// Print the usage text (for `--help`) to stdout.
pub fn print_usage(spec: &Spec) {
    let mut out = crate::io::Out::stdout();
    out.str("Usage: ");
    out.write(&spec.usage.text());
    out.byte(b'\n');
    out.finish(0);
}

/// Print a usage error: the message, then the synopsis line, on stderr.
/// Returns the applet's usage status.
pub fn usage_error(spec: &Spec, parts: &[&[u8]]) -> Exit {
    let mut m = crate::error::start();
    for p in parts {
        m.extend_from_slice(p);
    }
    m.extend_from_slice(b"\nUsage: ");
    m.extend_from_slice(&spec.usage.synopsis());
    crate::error::emit(m);
    Exit(spec.error_status)
}

/// A parsed option: its id and value, if it took one.
pub type Opt<'a> = (u32, Option<&'a OsStr>);

pub struct Parser<'a> {
    args: &'a [OsString],
    spec: &'a Spec,
    /// Index of the argument being read.
    idx: usize,
    /// Position inside a cluster of short options, 0 when between arguments.
    pos: usize,
    operands: Vec<&'a OsStr>,
    /// Options are over (after `--`, or the first operand in stop mode).
    ended: bool,
    stop_at_operand: bool,
}

impl<'a> Parser<'a> {
    /// Parse `argv` (whose first element is the applet name).
    pub fn new(argv: &'a [OsString], spec: &'a Spec) -> Parser<'a> {
        let stop = spec.stops_at_operand() || std::env::var_os("POSIXLY_CORRECT").is_some();
        Parser {
            args: argv,
            spec,
            idx: 1,
            pos: 0,
            operands: Vec::new(),
            ended: false,
            stop_at_operand: stop,
        }
    }

    /// Start after `skip` arguments (for applets that consumed some first).
    pub fn skip(mut self, skip: usize) -> Self {
        self.idx = 1 + skip;
        self
    }

    /// The next option, `Ok(None)` when all arguments are read, or an
    /// early exit (bad option, or `--help` printed).
    #[allow(clippy::should_implement_trait)] // fallible, so not an Iterator
    pub fn next(&mut self) -> Result<Option<Opt<'a>>, Exit> {
        if self.pos > 0 {
            return self.next_short();
        }
        loop {
            let Some(arg) = self.args.get(self.idx) else {
                return Ok(None);
            };
            let b = arg.as_bytes();
            if self.ended {
                self.operands.push(arg);
                self.idx += 1;
                continue;
            }
            if b == b"--" {
                self.ended = true;
                self.idx += 1;
                continue;
            }
            if b.len() > 2 && b.starts_with(b"--") {
                self.idx += 1;
                return self.long(arg);
            }
            if b.len() > 1 && b[0] == b'-' {
                self.pos = 1;
                return self.next_short();
            }
            self.operands.push(arg);
            self.idx += 1;
            if self.stop_at_operand {
                self.ended = true;
            }
        }
    }

    fn next_short(&mut self) -> Result<Option<Opt<'a>>, Exit> {
        let Some(arg) = self.args.get(self.idx) else {
            self.pos = 0;
            return Ok(None);
        };
        let b = arg.as_bytes();
        let Some(&c) = b.get(self.pos) else {
            self.pos = 0;
            self.idx += 1;
            return self.next();
        };
        let rest = &b[self.pos + 1..];
        let arg_kind = self.spec.short_arg(c);
        if arg_kind.is_none() && self.spec.digits != 0 && c.is_ascii_digit() {
            let n = b[self.pos..]
                .iter()
                .take_while(|d| d.is_ascii_digit())
                .count();
            let v = OsStr::from_bytes(&b[self.pos..self.pos + n]);
            self.advance(n);
            return Ok(Some((self.spec.digits, Some(v))));
        }
        match arg_kind {
            None => {
                let e = usage_error(self.spec, &[b"invalid option -- '", &[c], b"'"]);
                Err(e)
            }
            Some(Arg::No) => {
                self.advance(1);
                Ok(Some((c as u32, None)))
            }
            Some(Arg::Optional) => {
                self.pos = 0;
                self.idx += 1;
                let v = (!rest.is_empty()).then(|| OsStr::from_bytes(rest));
                Ok(Some((c as u32, v)))
            }
            Some(Arg::Required) => {
                self.pos = 0;
                self.idx += 1;
                if !rest.is_empty() {
                    return Ok(Some((c as u32, Some(OsStr::from_bytes(rest)))));
                }
                match self.args.get(self.idx) {
                    Some(v) => {
                        self.idx += 1;
                        Ok(Some((c as u32, Some(v.as_os_str()))))
                    }
                    None => Err(usage_error(
                        self.spec,
                        &[b"option requires an argument -- '", &[c], b"'"],
                    )),
                }
            }
        }
    }

    /// Step `n` bytes through the current cluster.
    fn advance(&mut self, n: usize) {
        self.pos += n;
        let len = self.args.get(self.idx).map_or(0, |a| a.len());
        if self.pos >= len {
            self.pos = 0;
            self.idx += 1;
        }
    }

    fn long(&mut self, arg: &'a OsString) -> Result<Option<Opt<'a>>, Exit> {
        let b = &arg.as_bytes()[2..];
        let (name, val) = match memchr::memchr(b'=', b) {
            Some(i) => (&b[..i], Some(OsStr::from_bytes(&b[i + 1..]))),
            None => (b, None),
        };
        if name == b"help" && !self.spec.long.iter().any(|l| l.name == "help") {
            print_usage(self.spec);
            return Err(Exit(0));
        }
        let opt = match self.find_long(name, arg.as_bytes())? {
            Some(o) => o,
            None => {
                if b"help".starts_with(name) {
                    print_usage(self.spec);
                    return Err(Exit(0));
                }
                return Err(usage_error(
                    self.spec,
                    &[b"unrecognized option '", arg.as_bytes(), b"'"],
                ));
            }
        };
        let shown =
            |s: &Spec, what: &[u8]| usage_error(s, &[b"option '--", opt.name.as_bytes(), what]);
        match (opt.arg, val) {
            (Arg::No, Some(_)) => Err(shown(self.spec, b"' doesn't allow an argument")),
            (Arg::No, None) | (Arg::Optional, _) => Ok(Some((opt.id, val))),
            (Arg::Required, Some(v)) => Ok(Some((opt.id, Some(v)))),
            (Arg::Required, None) => match self.args.get(self.idx) {
                Some(v) => {
                    self.idx += 1;
                    Ok(Some((opt.id, Some(v.as_os_str()))))
                }
                None => Err(shown(self.spec, b"' requires an argument")),
            },
        }
    }

    /// Exact match, else a unique prefix (several prefixes meaning the same
    /// option count as one).
    fn find_long(&self, name: &[u8], whole: &[u8]) -> Result<Option<&'a Long>, Exit> {
        let longs: &'a [Long] = self.spec.long;
        if let Some(l) = longs.iter().find(|l| l.name.as_bytes() == name) {
            return Ok(Some(l));
        }
        let mut found: Option<&'a Long> = None;
        let mut ambiguous = false;
        for l in longs.iter().filter(|l| l.name.as_bytes().starts_with(name)) {
            match found {
                None => found = Some(l),
                Some(f) if f.id == l.id && f.arg == l.arg => {}
                Some(_) => ambiguous = true,
            }
        }
        if ambiguous {
            let mut m: Vec<u8> = b"option '".to_vec();
            let shown = memchr::memchr(b'=', whole).map_or(whole, |i| &whole[..i]);
            m.extend_from_slice(shown);
            m.extend_from_slice(b"' is ambiguous; possibilities:");
            for l in longs.iter().filter(|l| l.name.as_bytes().starts_with(name)) {
                m.extend_from_slice(b" '--");
                m.extend_from_slice(l.name.as_bytes());
                m.push(b'\'');
            }
            return Err(usage_error(self.spec, &[&m]));
        }
        Ok(found)
    }

    /// Operands seen so far, plus every argument not yet read (call after
    /// `next` returned `Ok(None)`).
    pub fn operands(mut self) -> Vec<&'a OsStr> {
        while let Some(a) = self.args.get(self.idx) {
            self.operands.push(a);
            self.idx += 1;
        }
        self.operands
    }

    /// Stop at the current point: the rest are operands (for applets that
    /// end option parsing themselves).
    pub fn rest(&self) -> &'a [OsString] {
        self.args.get(self.idx..).unwrap_or(&[])
    }

    pub fn spec(&self) -> &'a Spec {
        self.spec
    }
}

/// Report a bad option value: `applet: invalid WHAT 'VALUE'` and usage status.
pub fn invalid(spec: &Spec, what: &str, val: &OsStr) -> Exit {
    let mut m = crate::error::start();
    m.extend_from_slice(b"invalid ");
    m.extend_from_slice(what.as_bytes());
    m.extend_from_slice(b" '");
    m.extend_from_slice(val.as_bytes());
    m.push(b'\'');
    crate::error::emit(m);
    Exit(spec.error_status)
}

/// Report a missing operand (`applet: missing operand` + usage line).
pub fn missing_operand(spec: &Spec) -> Exit {
    usage_error(spec, &[b"missing operand"])
}

/// Convenience for applets with only flags: walk every option through `f`.
pub fn parse<'a>(
    argv: &'a [OsString],
    spec: &'a Spec,
    mut f: impl FnMut(u32, Option<&'a OsStr>) -> Result<(), Exit>,
) -> Result<Vec<&'a OsStr>, Exit> {
    let mut p = Parser::new(argv, spec);
    while let Some((id, v)) = p.next()? {
        f(id, v)?;
    }
    Ok(p.operands())
}

/// The status of an applet whose `Status` is an early exit or a value.
pub fn status_code(s: Status) -> i32 {
    match s {
        Ok(c) | Err(Exit(c)) => c,
    }
}

static AS_BUSYBOX: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Note that the binary was called by the name `busybox` (scripts written
/// for BusyBox call `busybox APPLET`): the banner then says so.
pub fn set_called_as_busybox() {
    AS_BUSYBOX.store(true, std::sync::atomic::Ordering::Relaxed);
}

/// The multi-call banner line, without its newline.
pub fn banner() -> String {
    let name = if AS_BUSYBOX.load(std::sync::atomic::Ordering::Relaxed) {
        "BusyBox compatible: ibex v"
    } else {
        "ibex v"
    };
    [name, crate::VERSION, " multi-call binary."].concat()
}

/// BusyBox's answer to a malformed command line: the banner and the whole
/// usage text on stderr. Returns the applet's usage status.
pub fn show_usage(spec: &Spec) -> Exit {
    let mut text = [&banner(), "\n\nUsage: "].concat().into_bytes();
    text.extend_from_slice(&spec.usage.text());
    crate::error::emit(text);
    Exit(spec.error_status)
}

#[cfg(test)]
mod tests {
    use super::*;

    const LONGS: &[Long] = &[
        flag("all", 'a' as u32),
        flag("almost-all", 'A' as u32),
        value("width", 'w' as u32),
        optional("color", 300),
        optional("colour", 300),
        flag("verbose", 'v' as u32),
        flag("version", 301),
    ];
    const SPEC: Spec = Spec::new("aAlw:c::n:v", LONGS, Usage::NONE).status(2);
    const STOP: Spec = Spec::new("+ab:", &[], Usage::NONE);
    const NUM: Spec = Spec::new("n:qv", &[], Usage::NONE).digits('n' as u32);

    fn argv(a: &[&str]) -> Vec<OsString> {
        std::iter::once("t")
            .chain(a.iter().copied())
            .map(OsString::from)
            .collect()
    }

    /// Options as (char or id, value) strings, then the operands.
    fn run(spec: &Spec, a: &[&str]) -> Result<(Vec<String>, Vec<String>), i32> {
        let v = argv(a);
        let mut p = Parser::new(&v, spec);
        let mut opts = Vec::new();
        loop {
            match p.next() {
                Ok(Some((id, val))) => {
                    let name = char::from_u32(id)
                        .filter(|_| id < 256)
                        .map_or(id.to_string(), String::from);
                    let val = val.map(|v| v.to_string_lossy().into_owned());
                    opts.push(match val {
                        Some(v) => format!("{name}={v}"),
                        None => name,
                    });
                }
                Ok(None) => break,
                Err(Exit(c)) => return Err(c),
            }
        }
        let ops = p
            .operands()
            .iter()
            .map(|o| o.to_string_lossy().into_owned())
            .collect();
        Ok((opts, ops))
    }

    fn ok(spec: &Spec, a: &[&str]) -> (Vec<String>, Vec<String>) {
        run(spec, a).unwrap()
    }

    #[test]
    fn clustered_flags() {
        assert_eq!(ok(&SPEC, &["-laA"]).0, ["l", "a", "A"]);
    }

    #[test]
    fn attached_and_separate_values() {
        assert_eq!(ok(&SPEC, &["-w80"]).0, ["w=80"]);
        assert_eq!(ok(&SPEC, &["-w", "80"]).0, ["w=80"]);
        assert_eq!(
            ok(&SPEC, &["-lw", "80", "x"]),
            (vec!["l".into(), "w=80".into()], vec!["x".into()])
        );
        assert_eq!(ok(&SPEC, &["-lw80"]).0, ["l", "w=80"]);
        // A value may itself start with a dash.
        assert_eq!(ok(&SPEC, &["-w", "-a"]).0, ["w=-a"]);
    }

    #[test]
    fn optional_short_value_only_attached() {
        assert_eq!(ok(&SPEC, &["-c"]).0, ["c"]);
        assert_eq!(ok(&SPEC, &["-cX"]).0, ["c=X"]);
        assert_eq!(
            ok(&SPEC, &["-c", "X"]),
            (vec!["c".into()], vec!["X".into()])
        );
    }

    #[test]
    fn missing_value_is_an_error_with_usage_status() {
        assert_eq!(run(&SPEC, &["-w"]), Err(2));
        assert_eq!(run(&SPEC, &["--width"]), Err(2));
    }

    #[test]
    fn unknown_options_are_errors() {
        assert_eq!(run(&SPEC, &["-z"]), Err(2));
        assert_eq!(run(&SPEC, &["--zzz"]), Err(2));
        assert_eq!(run(&STOP, &["-z"]), Err(1));
    }

    #[test]
    fn long_options_with_values() {
        assert_eq!(ok(&SPEC, &["--width=5"]).0, ["w=5"]);
        assert_eq!(ok(&SPEC, &["--width", "5"]).0, ["w=5"]);
        assert_eq!(ok(&SPEC, &["--width="]).0, ["w="]);
        assert_eq!(ok(&SPEC, &["--color"]).0, ["300"]);
        assert_eq!(ok(&SPEC, &["--color=never"]).0, ["300=never"]);
        // An optional long value is never taken from the next argument.
        assert_eq!(
            ok(&SPEC, &["--color", "never"]),
            (vec!["300".into()], vec!["never".into()])
        );
        assert_eq!(run(&SPEC, &["--all=yes"]), Err(2));
    }

    #[test]
    fn long_prefixes() {
        assert_eq!(ok(&SPEC, &["--wid=3"]).0, ["w=3"]);
        assert_eq!(ok(&SPEC, &["--almost"]).0, ["A"]);
        // "al" matches all and almost-all: ambiguous. "all" is exact.
        assert_eq!(run(&SPEC, &["--al"]), Err(2));
        assert_eq!(ok(&SPEC, &["--all"]).0, ["a"]);
        // color and colour are the same option: not ambiguous.
        assert_eq!(ok(&SPEC, &["--col"]).0, ["300"]);
        assert_eq!(run(&SPEC, &["--ver"]), Err(2));
        assert_eq!(ok(&SPEC, &["--verb"]).0, ["v"]);
    }

    #[test]
    fn operands_and_options_mix() {
        assert_eq!(
            ok(&SPEC, &["x", "-l", "y", "--all", "z"]),
            (
                vec!["l".into(), "a".into()],
                vec!["x".into(), "y".into(), "z".into()]
            )
        );
    }

    #[test]
    fn double_dash_ends_options() {
        assert_eq!(
            ok(&SPEC, &["-l", "--", "-a", "--all"]),
            (vec!["l".into()], vec!["-a".into(), "--all".into()])
        );
    }

    #[test]
    fn lone_dash_is_an_operand() {
        assert_eq!(
            ok(&SPEC, &["-", "-l"]),
            (vec!["l".into()], vec!["-".into()])
        );
    }

    #[test]
    fn stop_at_first_operand() {
        assert_eq!(
            ok(&STOP, &["-a", "cmd", "-a", "-b"]),
            (
                vec!["a".into()],
                vec!["cmd".into(), "-a".into(), "-b".into()]
            )
        );
        assert_eq!(
            ok(&STOP, &["-b", "x", "cmd"]),
            (vec!["b=x".into()], vec!["cmd".into()])
        );
    }

    #[test]
    fn numeric_options() {
        assert_eq!(ok(&NUM, &["-5"]).0, ["n=5"]);
        assert_eq!(ok(&NUM, &["-12q"]).0, ["n=12", "q"]);
        assert_eq!(ok(&NUM, &["-q12"]).0, ["q", "n=12"]);
        assert_eq!(
            ok(&NUM, &["-n", "3", "f"]),
            (vec!["n=3".into()], vec!["f".into()])
        );
        // Without the digits setting, a digit is an unknown option.
        assert_eq!(run(&SPEC, &["-5"]), Err(2));
    }

    #[test]
    fn help_exits_zero() {
        assert_eq!(run(&STOP, &["--help"]), Err(0));
        assert_eq!(run(&SPEC, &["-l", "--he"]), Err(0));
    }

    #[test]
    fn non_utf8_values_pass_through() {
        use std::os::unix::ffi::OsStringExt;
        let v = vec![
            OsString::from("t"),
            OsString::from("-w"),
            OsString::from_vec(vec![0xff, 0xfe]),
        ];
        let mut p = Parser::new(&v, &SPEC);
        let (id, val) = p.next().unwrap().unwrap();
        assert_eq!(id, 'w' as u32);
        assert_eq!(val.unwrap().as_bytes(), &[0xff, 0xfe]);
    }

    #[test]
    fn rest_after_stop() {
        let v = argv(&["-a", "cmd", "x"]);
        let mut p = Parser::new(&v, &STOP);
        assert_eq!(p.next().unwrap(), Some(('a' as u32, None)));
        assert_eq!(p.next().unwrap(), None);
        assert_eq!(p.operands(), [OsStr::new("cmd"), OsStr::new("x")]);
    }
}
