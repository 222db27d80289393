//! sort: sort, merge or check lines of text files, as GNU sort does in the
//! C locale (byte order): keys (-k, obsolete +POS -POS), the orderings
//! -b -d -f -g -h -i -M -n -R -V -r, -s -u -z -t, -c/-C, -m, -o (into a
//! temporary file renamed over the target), and inputs larger than memory
//! (-S, -T, --batch-size) through sorted runs in temporary files.

mod key;
mod run;

use ibex::Status;
use ibex::args::{Long, Parser, Spec, flag, optional, usage_error, value};
use ibex::copy::{bad_choice, choose, quote};
use ibex::dump::quotef;
use ibex::error::Exit;
use ibex::sys;
use key::{Key, Order, Salt};
use run::{Ctx, Done, Fail, In, Plan, Run, Temps, Writer};
use std::cmp::Ordering;
use std::ffi::{OsStr, OsString};
use std::io;
use std::os::fd::{AsRawFd, OwnedFd};
use std::os::unix::ffi::{OsStrExt, OsStringExt};

const RANDOM_SOURCE: u32 = 300;
const SORT: u32 = 301;
const BATCH: u32 = 302;
const CHECK: u32 = 303;
const COMPRESS: u32 = 304;
const FILES0: u32 = 306;
const PARALLEL: u32 = 307;
const OBSOLETE: u32 = 308;
const OBSOLETE_NAME: &str = "\u{1}obsolete-key";

const LONGS: &[Long] = &[
    flag("ignore-leading-blanks", 'b' as u32),
    flag("dictionary-order", 'd' as u32),
    flag("ignore-case", 'f' as u32),
    flag("general-numeric-sort", 'g' as u32),
    flag("ignore-nonprinting", 'i' as u32),
    flag("month-sort", 'M' as u32),
    flag("human-numeric-sort", 'h' as u32),
    flag("numeric-sort", 'n' as u32),
    flag("random-sort", 'R' as u32),
    value("random-source", RANDOM_SOURCE),
    flag("reverse", 'r' as u32),
    value("sort", SORT),
    flag("version-sort", 'V' as u32),
    value("batch-size", BATCH),
    optional("check", CHECK),
    value("compress-program", COMPRESS),
    value("files0-from", FILES0),
    value("key", 'k' as u32),
    flag("merge", 'm' as u32),
    value("output", 'o' as u32),
    flag("stable", 's' as u32),
    value("buffer-size", 'S' as u32),
    value("field-separator", 't' as u32),
    value("temporary-directory", 'T' as u32),
    value("parallel", PARALLEL),
    flag("unique", 'u' as u32),
    flag("zero-terminated", 'z' as u32),
    value(OBSOLETE_NAME, OBSOLETE),
];

const USAGE: ibex::usage::Usage = ibex::usage!(
    sort,
    "sort [-bcCdfghiMmnRrsuVz] [-k POS1[,POS2]]... [-t SEP] [-o FILE] [-S SIZE] [-T DIR] [FILE]...

Sort lines of text

\t-b\tIgnore leading blanks
\t-c\tCheck whether input is sorted (-C: quietly)
\t-d\tDictionary order (blanks and alphanumerics only)
\t-f\tIgnore case
\t-g\tGeneral numerical sort (floating point)
\t-h\tHuman-readable numbers (2K 1G)
\t-i\tIgnore unprintable characters
\t-k POS1[,POS2]\tSort key: field F[.C][bdfghiMnRrV], from 1; POS2 default end of line
\t-M\tSort month names
\t-m\tMerge already sorted files
\t-n\tNumerical sort
\t-o FILE\tOutput to FILE (may be an input)
\t-R\tRandom order of keys (--random-source=FILE)
\t-r\tReverse
\t-s\tStable (no last-resort comparison)
\t-S SIZE\tMemory buffer size (b K M G T %, default K)
\t-t SEP\tField separator
\t-T DIR\tDirectory for temporary files
\t-u\tOutput the first of lines with equal keys
\t-V\tVersion sort
\t-z\tLines end with NUL
\t--parallel=N\tSort with N threads
\t--batch-size=N\tMerge at most N files at once
\t--files0-from=F\tRead NUL-separated input names from F
\t--sort=WORD\tgeneral-numeric, human-numeric, month, numeric, random, version"
);

const SPEC: Spec = Spec::new("bcCdfghik:mMno:rRsS:t:T:uVy::z", LONGS, USAGE).status(2);

/// Print `sort: MESSAGE` and fail with status 2.
fn die(parts: &[&[u8]]) -> Exit {
    let mut m = ibex::error::start();
    for p in parts {
        m.extend_from_slice(p);
    }
    ibex::error::emit(m);
    Exit(2)
}

/// Whether a long option (as typed, without `--`) takes its value from
/// the next argument.
fn long_takes_next(name: &[u8]) -> bool {
    if name.contains(&b'=') || name.is_empty() {
        return false;
    }
    LONGS
        .iter()
        .any(|l| l.arg == ibex::args::Arg::Required && l.name.as_bytes().starts_with(name))
}

/// Rewrite obsolete `+POS1 [-POS2]` keys into an internal long option, so
/// they keep their place among -k options.
fn rewrite_obsolete(argv: &[OsString]) -> Vec<OsString> {
    let posix = std::env::var_os("POSIXLY_CORRECT").is_some();
    let mut out: Vec<OsString> = Vec::with_capacity(argv.len());
    let mut i = 0;
    let mut options = true;
    while i < argv.len() {
        let a = argv[i].as_bytes();
        if i == 0 || !options {
            out.push(argv[i].clone());
            i += 1;
            continue;
        }
        if a == b"--" {
            options = false;
        } else if a.len() > 1 && a[0] == b'+' && key::parse_obsolete_start(a).is_some() {
            let mut v = a.to_vec();
            if let Some(next) = argv.get(i + 1)
                && next.as_bytes().len() > 1
                && next.as_bytes()[0] == b'-'
                && next.as_bytes()[1].is_ascii_digit()
            {
                v.push(b' ');
                v.extend_from_slice(next.as_bytes());
                i += 1;
            }
            let mut opt = b"--".to_vec();
            opt.extend_from_slice(OBSOLETE_NAME.as_bytes());
            opt.push(b'=');
            opt.extend_from_slice(&v);
            out.push(OsString::from_vec(opt));
            i += 1;
            continue;
        } else if a.len() > 2 && a.starts_with(b"--") {
            if long_takes_next(&a[2..]) && i + 1 < argv.len() {
                out.push(argv[i].clone());
                i += 1;
            }
        } else if a.len() > 1 && a[0] == b'-' {
            // A cluster whose last option takes the next argument.
            for (j, &c) in a.iter().enumerate().skip(1) {
                if b"koStT".contains(&c) {
                    if j == a.len() - 1 && i + 1 < argv.len() {
                        out.push(argv[i].clone());
                        i += 1;
                    }
                    break;
                }
                if c == b'y' {
                    break;
                }
            }
        } else if posix {
            options = false;
        }
        out.push(argv[i].clone());
        i += 1;
    }
    out
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Check {
    No,
    Diagnose,
    Quiet,
}

/// An -S value: digits and a suffix (none: KiB), or a percentage of memory.
fn parse_size(v: &[u8]) -> Result<u64, Exit> {
    let bad = |what: &[u8]| die(&[what, b" -S argument '", v, b"'"]);
    let s = ibex::num::trim_start(v);
    let s = s.strip_prefix(b"+").unwrap_or(s);
    let d = s.iter().take_while(|c| c.is_ascii_digit()).count();
    if d == 0 {
        return Err(bad(b"invalid"));
    }
    let mut n: u128 = 0;
    for &c in &s[..d] {
        n = (n * 10 + u128::from(c - b'0')).min(u128::from(u64::MAX) + 1);
    }
    let total = u128::from(meminfo().0);
    let n = match &s[d..] {
        b"" | b"K" | b"k" => n * 1024,
        b"b" => n,
        b"%" => n * total / 100,
        b"M" | b"m" => n << 20,
        b"G" | b"g" => n << 30,
        b"T" | b"t" => n << 40,
        b"P" => n << 50,
        b"E" => n << 60,
        b"Z" => n << 70,
        b"Y" => n << 80,
        _ => return Err(bad(b"invalid suffix in")),
    };
    u64::try_from(n).map_err(|_| die(&[b"-S argument '", v, b"' too large"]))
}

/// Total and available memory in bytes, from /proc/meminfo.
fn meminfo() -> (u64, u64) {
    let text = ibex::io::read_file(b"/proc/meminfo").unwrap_or_default();
    let field = |name: &[u8]| {
        text.split(|&c| c == b'\n')
            .find(|l| l.starts_with(name))
            .and_then(|l| {
                let digits: Vec<u8> = l.iter().copied().filter(u8::is_ascii_digit).collect();
                ibex::num::parse_u64(&digits).ok()
            })
            .map(|kb| kb.saturating_mul(1024))
    };
    let total = field(b"MemTotal:").unwrap_or(1 << 30);
    let avail = field(b"MemAvailable:").unwrap_or(total / 2);
    (total, avail)
}

/// The default memory limit: a fraction of memory (the larger of what is
/// available and an eighth of the total, halved), within the resource
/// limits, at least 1 MiB.
fn default_limit() -> u64 {
    let (total, avail) = meminfo();
    let mut size = avail.max(total / 8) / 2;
    for r in [libc::RLIMIT_AS, libc::RLIMIT_DATA] {
        if let Ok((cur, _)) = sys::getrlimit(r)
            && cur != u64::MAX
        {
            size = size.min(cur / 2);
        }
    }
    size.max(1 << 20)
}

fn parse_count(v: &[u8], what: &str) -> Result<u64, Exit> {
    match ibex::num::parse_u64(ibex::num::trim_start(v)) {
        Ok(n) => Ok(n),
        Err(ibex::num::NumError::Range) => Ok(u64::MAX),
        Err(_) => Err(die(&[
            b"invalid ",
            what.as_bytes(),
            b" argument ",
            &quote(v),
        ])),
    }
}

/// The file names in a --files0-from list.
fn files0(name: &[u8]) -> Result<Vec<Vec<u8>>, Exit> {
    let data = if name == b"-" {
        ibex::io::read_all(0)
    } else {
        ibex::io::read_file(name)
    };
    let data = data.map_err(|e| {
        let mut m = b"open failed: ".to_vec();
        m.extend_from_slice(&quotef(name));
        ibex::error::io_error(&m, &e);
        Exit(2)
    })?;
    let mut names = Vec::new();
    let body = data.strip_suffix(b"\0").unwrap_or(&data);
    if data.is_empty() {
        return Err(die(&[b"no input from ", &quote(name)]));
    }
    for (i, n) in body.split(|&c| c == 0).enumerate() {
        if n.is_empty() {
            let line = (i + 1).to_string();
            return Err(die(&[
                &quotef(name),
                b":",
                line.as_bytes(),
                b": invalid zero-length file name",
            ]));
        }
        if name == b"-" && n == b"-" {
            return Err(die(&[
                b"when reading file names from stdin, no file name of '-' allowed",
            ]));
        }
        names.push(n.to_vec());
    }
    Ok(names)
}

pub fn main(argv: &[OsString]) -> Status {
    let argv = rewrite_obsolete(argv);
    let mut p = Parser::new(&argv, &SPEC);
    let mut global = Order::default();
    let mut keys: Vec<Key> = Vec::new();
    let mut tab: Option<u8> = None;
    let mut check = Check::No;
    let mut check_letters = String::new();
    let mut merge = false;
    let mut unique = false;
    let mut stable = false;
    let mut zero = false;
    let mut output: Option<&OsStr> = None;
    let mut tmpdirs: Vec<Vec<u8>> = Vec::new();
    let mut limit: Option<u64> = None;
    let mut threads: Option<u64> = None;
    let mut nmerge: u64 = 16;
    let mut files0_from: Option<&OsStr> = None;
    let mut random_source: Option<&OsStr> = None;
    while let Some((id, val)) = p.next()? {
        let v = val.map_or(&b""[..], |v| v.as_bytes());
        match id {
            _ if id < 128 && b"dfghiMnRrV".contains(&(id as u8)) => {
                global.set(id as u8, false);
            }
            _ if id == 'b' as u32 => {
                global.blank_start = true;
                global.blank_end = true;
            }
            _ if id == 'c' as u32 => {
                check = Check::Diagnose;
                if !check_letters.contains('c') {
                    check_letters.push('c');
                }
            }
            _ if id == 'C' as u32 => {
                check = Check::Quiet;
                if !check_letters.contains('C') {
                    check_letters.push('C');
                }
            }
            CHECK => {
                const CHOICES: &[&[&str]] = &[&["quiet", "silent"], &["diagnose-first"]];
                match val {
                    None => check = Check::Diagnose,
                    Some(_) => match choose(v, CHOICES) {
                        Ok(0) => check = Check::Quiet,
                        Ok(_) => check = Check::Diagnose,
                        Err(amb) => {
                            let e = bad_choice(&SPEC, "--check", v, CHOICES, amb);
                            return Err(Exit(if e.0 == 0 { 0 } else { 1 }));
                        }
                    },
                }
                let c = if check == Check::Quiet { 'C' } else { 'c' };
                if !check_letters.contains(c) {
                    check_letters.push(c);
                }
            }
            SORT => {
                const CHOICES: &[&[&str]] = &[
                    &["general-numeric"],
                    &["human-numeric"],
                    &["month"],
                    &["numeric"],
                    &["random"],
                    &["version"],
                ];
                match choose(v, CHOICES) {
                    Ok(i) => {
                        global.set(b"ghMnRV"[i], false);
                    }
                    Err(amb) => {
                        let e = bad_choice(&SPEC, "--sort", v, CHOICES, amb);
                        return Err(Exit(if e.0 == 0 { 0 } else { 1 }));
                    }
                }
            }
            _ if id == 'k' as u32 => match key::parse_key(v) {
                Ok(k) => keys.push(k),
                Err(m) => return Err(die(&[&m])),
            },
            OBSOLETE => {
                let mut parts = v.splitn(2, |&c| c == b' ');
                let start = parts.next().unwrap_or(b"");
                let Some(mut k) = key::parse_obsolete_start(start) else {
                    return Err(die(&[b"invalid key ", &quote(start)]));
                };
                if let Some(end) = parts.next()
                    && let Err(m) = key::parse_obsolete_end(end, &mut k)
                {
                    return Err(die(&[&m]));
                }
                keys.push(k);
            }
            _ if id == 'm' as u32 => merge = true,
            _ if id == 'o' as u32 => {
                if let Some(prev) = output
                    && prev.as_bytes() != v
                {
                    return Err(die(&[b"multiple output files specified"]));
                }
                output = val;
            }
            _ if id == 's' as u32 => stable = true,
            _ if id == 'S' as u32 => limit = Some(parse_size(v)?),
            _ if id == 't' as u32 => {
                let t = match v {
                    [] => return Err(die(&[b"empty tab"])),
                    [c] => *c,
                    b"\\0" => 0,
                    _ => return Err(die(&[b"multi-character tab ", &quote(v)])),
                };
                if tab.is_some_and(|old| old != t) {
                    return Err(die(&[b"incompatible tabs"]));
                }
                tab = Some(t);
            }
            _ if id == 'T' as u32 => tmpdirs.push(v.to_vec()),
            _ if id == 'u' as u32 => unique = true,
            _ if id == 'z' as u32 => zero = true,
            _ if id == 'y' as u32 => {}
            RANDOM_SOURCE => random_source = val,
            BATCH => {
                let n = parse_count(v, "--batch-size")?;
                if n < 2 {
                    return Err(die(&[
                        b"invalid --batch-size argument ",
                        &quote(v),
                        b"\nsort: minimum --batch-size argument is '2'",
                    ]));
                }
                nmerge = n;
            }
            PARALLEL => {
                let n = parse_count(v, "--parallel")?;
                if n == 0 {
                    return Err(die(&[b"number in parallel must be nonzero"]));
                }
                threads = Some(n);
            }
            COMPRESS => {}
            FILES0 => files0_from = val,
            _ => {}
        }
    }
    let operands = p.operands();

    // Keys without options of their own take the global ones; with no key
    // at all, global options make one key of the whole line.
    for k in &mut keys {
        if !k.ord.any() {
            k.ord = global;
        }
    }
    let mut reverse_only = global;
    reverse_only.reverse = false;
    if keys.is_empty() && reverse_only.any() {
        keys.push(Key {
            skip: 0,
            chars: 0,
            end: key::End::Line,
            ord: global,
        });
    }
    for k in &keys {
        if let Some(letters) = k.ord.conflict() {
            return Err(die(&[
                b"options '",
                letters.as_bytes(),
                b"' are incompatible",
            ]));
        }
    }
    if check_letters.len() > 1 {
        return Err(die(&[b"options '-cC' are incompatible"]));
    }
    if check != Check::No && output.is_some() {
        let c = if check == Check::Quiet { "C" } else { "c" };
        return Err(die(&[b"options '-", c.as_bytes(), b"o' are incompatible"]));
    }

    let mut files: Vec<Vec<u8>> = operands.iter().map(|o| o.as_bytes().to_vec()).collect();
    if let Some(f0) = files0_from {
        if let Some(first) = files.first() {
            return Err(usage_error(
                &SPEC,
                &[
                    b"extra operand ",
                    &quote(first),
                    b"\nfile operands cannot be combined with --files0-from",
                ],
            ));
        }
        files = files0(f0.as_bytes())?;
    }
    if files.is_empty() {
        files.push(b"-".to_vec());
    }

    let random = keys.iter().any(|k| k.ord.random);
    let salt = if random {
        make_salt(random_source.map(|s| s.as_bytes()))?
    } else {
        Salt { k0: 0, k1: 0 }
    };
    let ctx = Ctx {
        keys,
        tab,
        reverse: global.reverse,
        stable: stable || unique,
        unique,
        eol: if zero { 0 } else { b'\n' },
        salt,
    };

    if check != Check::No {
        if let Some(extra) = files.get(1) {
            return Err(die(&[
                b"extra operand ",
                &quote(extra),
                b" not allowed with -c",
            ]));
        }
        return check_sorted(&ctx, &files[0], check == Check::Quiet);
    }

    let cpus = sys::affinity_cpus().map_or(1, |n| n as usize);
    let threads = threads.map_or(cpus.min(8), |n| n.min(64) as usize).max(1);
    let limit = limit.unwrap_or_else(default_limit);
    let plan = Plan {
        limit: usize::try_from(limit).unwrap_or(usize::MAX),
        threads,
        nmerge: usize::try_from(nmerge).unwrap_or(usize::MAX),
    };
    if tmpdirs.is_empty() {
        tmpdirs.push(match std::env::var_os("TMPDIR") {
            Some(t) if !t.is_empty() => t.into_vec(),
            _ => b"/tmp".to_vec(),
        });
    }
    let mut temps = Temps::new(tmpdirs);
    let out_path = output.map(|o| o.as_bytes());
    let result = if merge {
        merge_files(&ctx, &plan, &mut temps, &files, out_path)
    } else {
        sort_files(&ctx, &plan, &mut temps, &files, out_path)
    };
    match result {
        Ok(()) => Ok(0),
        Err(f) => {
            report(f);
            Err(Exit(2))
        }
    }
}

fn report(f: Fail) {
    match f {
        Fail::Open(name, e) => ibex::msg!("cannot read: ", quotef(&name), ": ", e),
        Fail::Read(name, e) => ibex::msg!("read failed: ", quotef(&name), ": ", e),
        Fail::Temp(dir, e) => {
            ibex::msg!("cannot create temporary file in ", quote(&dir), ": ", e)
        }
        Fail::Write(name, e) => ibex::msg!("write failed: ", quotef(&name), ": ", e),
        Fail::Output => {}
    }
}

fn make_salt(source: Option<&[u8]>) -> Result<Salt, Exit> {
    let mut b = [0u8; 16];
    match source {
        None => {
            let _ = sys::getrandom(&mut b);
        }
        Some(name) => {
            let fd = sys::open(name, sys::O_RDONLY | sys::O_CLOEXEC, 0).map_err(|e| {
                let mut m = b"open failed: ".to_vec();
                m.extend_from_slice(&quotef(name));
                ibex::error::io_error(&m, &e);
                Exit(2)
            })?;
            let mut got = 0;
            while got < b.len() {
                match sys::read(fd.as_raw_fd(), &mut b[got..]) {
                    Ok(0) => return Err(die(&[&quote(name), b": end of file"])),
                    Ok(n) => got += n,
                    Err(e) => {
                        ibex::error::io_error(name, &e);
                        return Err(Exit(2));
                    }
                }
            }
        }
    }
    let mut k0 = [0u8; 8];
    let mut k1 = [0u8; 8];
    k0.copy_from_slice(&b[..8]);
    k1.copy_from_slice(&b[8..]);
    Ok(Salt {
        k0: u64::from_le_bytes(k0),
        k1: u64::from_le_bytes(k1),
    })
}

fn open_input(name: &[u8]) -> io::Result<In> {
    if name == b"-" {
        return Ok(In {
            fd: 0,
            own: None,
            name: name.to_vec(),
        });
    }
    let fd = sys::open(name, sys::O_RDONLY | sys::O_NOCTTY | sys::O_CLOEXEC, 0)?;
    Ok(In {
        fd: fd.as_raw_fd(),
        own: Some(fd),
        name: name.to_vec(),
    })
}

/// -c / -C: report the first line out of order.
fn check_sorted(ctx: &Ctx, name: &[u8], quiet: bool) -> Status {
    let input = match open_input(name) {
        Ok(i) => i,
        Err(e) => {
            let mut m = b"open failed: ".to_vec();
            m.extend_from_slice(&quotef(name));
            ibex::error::io_error(&m, &e);
            return Err(Exit(2));
        }
    };
    let mut src = run::Source::new(input.fd, input.own, 128 * 1024, ctx.eol, Vec::new());
    let mut prev: Vec<u8> = Vec::new();
    let mut n: u64 = 0;
    loop {
        match src.advance() {
            Ok(true) => {}
            Ok(false) => return Ok(0),
            Err(e) => {
                ibex::msg!("read failed: ", quotef(name), ": ", e);
                return Err(Exit(2));
            }
        }
        n += 1;
        let l = src.line();
        let body = &l[..l.len() - 1];
        if n > 1 {
            let o = ctx.compare(&prev, body);
            if o == Ordering::Greater || (ctx.unique && o == Ordering::Equal) {
                if !quiet {
                    let mut m = ibex::error::start();
                    m.extend_from_slice(name);
                    m.push(b':');
                    m.extend_from_slice(n.to_string().as_bytes());
                    m.extend_from_slice(b": disorder: ");
                    m.extend_from_slice(l);
                    let _ = sys::write_all(2, &m);
                }
                return Ok(1);
            }
        }
        prev.clear();
        prev.extend_from_slice(body);
    }
}

/// Open every input of a sort in turn, reporting GNU's `cannot read`.
fn opener(files: &[Vec<u8>]) -> impl FnMut(usize) -> Result<Option<In>, Fail> + '_ {
    |i| match files.get(i) {
        None => Ok(None),
        Some(name) => open_input(name)
            .map(Some)
            .map_err(|e| Fail::Open(name.clone(), e)),
    }
}

fn sort_files(
    ctx: &Ctx,
    plan: &Plan,
    temps: &mut Temps,
    files: &[Vec<u8>],
    out_path: Option<&[u8]>,
) -> Result<(), Fail> {
    let done = run::read_and_sort(ctx, plan, temps, opener(files))?;
    let mut out = Output::open(out_path)?;
    match done {
        Done::Memory { text, end } => {
            run::output_memory(ctx, plan, &text, end, &mut out.w);
        }
        Done::Runs(runs) => {
            run::merge_runs(ctx, plan, temps, runs, &mut out.w).or_else(|f| match f {
                Fail::Output => Ok(()),
                f => Err(f),
            })?;
        }
    }
    out.commit()
}

fn merge_files(
    ctx: &Ctx,
    plan: &Plan,
    temps: &mut Temps,
    files: &[Vec<u8>],
    out_path: Option<&[u8]>,
) -> Result<(), Fail> {
    // An input that is also the output is copied away first.
    let out_st = out_path.and_then(|p| sys::stat(p).ok());
    let mut runs = Vec::with_capacity(files.len());
    for name in files {
        let input = open_input(name).map_err(|e| Fail::Open(name.clone(), e))?;
        let same = out_st
            .as_ref()
            .is_some_and(|o| sys::fstat(input.fd).is_ok_and(|s| s.same_file(o) && s.is_reg()));
        if same {
            let (fd, path) = temps.create()?;
            ibex::io::copy_fd(input.fd, fd.as_raw_fd()).map_err(|e| match e {
                ibex::io::CopyError::Read(e) => Fail::Read(name.clone(), e),
                ibex::io::CopyError::Write(e) => Fail::Write(path.clone(), e),
            })?;
            sys::lseek(fd.as_raw_fd(), 0, sys::SEEK_SET)
                .map_err(|e| Fail::Read(path.clone(), e))?;
            runs.push(Run::Temp(fd, path));
        } else {
            runs.push(Run::Input(input));
        }
    }
    let mut out = Output::open(out_path)?;
    run::merge_runs(ctx, plan, temps, runs, &mut out.w).or_else(|f| match f {
        Fail::Output => Ok(()),
        f => Err(f),
    })?;
    out.commit()
}

/// The output: standard output, a file written in place (not a regular
/// file), or a temporary file renamed over the target at the end.
struct Output {
    w: Writer,
    _fd: Option<OwnedFd>,
    /// What messages call it.
    shown: Vec<u8>,
    /// (temporary name, target) when renaming at the end.
    rename: Option<(Vec<u8>, Vec<u8>)>,
}

impl Drop for Output {
    /// A temporary output not put in place is removed.
    fn drop(&mut self) {
        if let Some((tmp, _)) = self.rename.take() {
            let _ = sys::unlinkat(sys::Dir::CWD, &tmp, 0);
        }
    }
}

impl Output {
    fn open(path: Option<&[u8]>) -> Result<Output, Fail> {
        let Some(path) = path else {
            return Ok(Output {
                w: Writer::new(1),
                _fd: None,
                shown: b"'standard output'".to_vec(),
                rename: None,
            });
        };
        let fail = |e: io::Error| {
            let mut m = b"open failed: ".to_vec();
            m.extend_from_slice(&quotef(path));
            ibex::error::io_error(&m, &e);
            Fail::Output
        };
        // Write through symbolic links to the file they name.
        let target = match sys::lstat(path) {
            Ok(st) if st.is_lnk() => {
                ibex::canon::canonicalize(path, ibex::canon::Options::default()).map_err(fail)?
            }
            _ => path.to_vec(),
        };
        let st = sys::stat(&target).ok();
        let regular_or_new = st.as_ref().is_none_or(|s| s.is_reg());
        if regular_or_new {
            let dir = match ibex::path::dirname(&target) {
                b"" => &b"."[..],
                d => d,
            };
            if let Ok((fd, tmp)) = run::create_unique(dir, b".sort.") {
                let mode = match &st {
                    Some(s) => s.mode & 0o7777,
                    None => 0o666 & !sys::get_umask(),
                };
                let _ = sys::fchmod(fd.as_raw_fd(), mode);
                if let Some(s) = &st
                    && (s.uid != sys::geteuid() || s.gid != sys::getegid())
                {
                    let _ = sys::fchown(fd.as_raw_fd(), s.uid, s.gid);
                }
                return Ok(Output {
                    w: Writer::new(fd.as_raw_fd()),
                    _fd: Some(fd),
                    shown: quotef(path),
                    rename: Some((tmp, target)),
                });
            }
        }
        let flags = sys::O_WRONLY | sys::O_CREAT | sys::O_TRUNC | sys::O_CLOEXEC;
        let fd = sys::open(path, flags, 0o666).map_err(fail)?;
        Ok(Output {
            w: Writer::new(fd.as_raw_fd()),
            _fd: Some(fd),
            shown: quotef(path),
            rename: None,
        })
    }

    /// Flush, report a write error, and put a temporary file in place.
    fn commit(mut self) -> Result<(), Fail> {
        let mid = self.w.err_early;
        if let Some(e) = self.w.finish() {
            if mid {
                ibex::msg!("write failed: ", self.shown, ": ", e);
            } else {
                ibex::msg!("fflush failed: ", self.shown, ": ", e);
                ibex::msg!("write error");
            }
            return Err(Fail::Output);
        }
        if let Some((tmp, target)) = self.rename.take()
            && let Err(e) = sys::rename(&tmp, &target)
        {
            let _ = sys::unlinkat(sys::Dir::CWD, &tmp, 0);
            let mut m = b"cannot create ".to_vec();
            m.extend_from_slice(&target);
            ibex::error::io_error(&m, &e);
            return Err(Fail::Output);
        }
        Ok(())
    }
}
