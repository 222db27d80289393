//! tail: the last lines or bytes of files. `-n [+-]N`, `-c [+-]N`
//! (multiplier suffixes), the old forms `tail -5`, `tail +5`, `tail -5c`,
//! `-f`/`-F`/`--follow[=name|descriptor]` woken by inotify (in the order files change) and polling every `-s` seconds,
//! `--pid`, `--retry`, `-q`/`-v`, `-z`. A seekable file is read backwards
//! from its end in blocks, so `tail -1` of a huge file reads one block; a
//! pipe keeps only about the last N lines or bytes.

use ibex::Status;
use ibex::args::{Parser, Spec, flag, optional, value};
use ibex::io::{CopyError, Input, Out, copy_fd};
use ibex::num::NumError;
use ibex::sys;
use std::collections::VecDeque;
use std::ffi::{OsStr, OsString};
use std::io;
use std::os::fd::{AsRawFd, OwnedFd};
use std::os::unix::ffi::OsStrExt;

const FOLLOW: u32 = 300;
const RETRY: u32 = 301;
const PID: u32 = 302;
const STATS: u32 = 303;

const LONGS: &[ibex::args::Long] = &[
    value("bytes", 'c' as u32),
    optional("follow", FOLLOW),
    value("lines", 'n' as u32),
    value("max-unchanged-stats", STATS),
    value("pid", PID),
    flag("quiet", 'q' as u32),
    flag("retry", RETRY),
    flag("silent", 'q' as u32),
    value("sleep-interval", 's' as u32),
    flag("verbose", 'v' as u32),
    flag("zero-terminated", 'z' as u32),
];

const SPEC: Spec = Spec::new(
    "c:n:fFqs:vz",
    LONGS,
    ibex::usage!(
        tail,
        "tail [OPTIONS] [FILE]...\n\n\
         Print last 10 lines of FILEs (or standard input) to standard output.\n\
         With more than one FILE, precede each with a filename header.\n\n\
         \t-f\tPrint data as the file grows (--follow[=descriptor])\n\
         \t-F\tSame as --follow=name --retry: reopen a rotated or missing file\n\
         \t-s SECONDS\tWait SECONDS between reads with -f (--sleep-interval)\n\
         \t--pid=PID\tWith -f, stop after process PID dies\n\
         \t--retry\tKeep trying to open a file that is inaccessible\n\
         \t-n N[kbm]\tPrint last N lines; -n +N: from line N on (--lines)\n\
         \t-c N[kbm]\tPrint last N bytes; -c +N: from byte N on (--bytes)\n\
         \t-q\tNever print headers (--quiet, --silent)\n\
         \t-v\tAlways print headers (--verbose)\n\
         \t-z\tLines end with NUL, not newline (--zero-terminated)"
    ),
)
.digits('n' as u32);

const BUF: usize = 128 * 1024;

#[derive(Clone, Copy, PartialEq)]
enum Count {
    /// The last N units.
    Last(u64),
    /// From unit N (1-based) on.
    From(u64),
}

#[derive(Clone, Copy, PartialEq)]
enum Follow {
    No,
    Descriptor,
    Name,
}

struct Opts {
    count: Count,
    /// Line delimiter, or None for bytes.
    delim: Option<u8>,
    follow: Follow,
    retry: bool,
    pid: Option<i32>,
    sleep: f64,
    headers: bool,
}

/// Parse the value of -n/-c: `+N` from N, `-N` or `N` the last N.
fn count(what: &str, val: &OsStr) -> Result<Count, ibex::Exit> {
    let raw = ibex::num::trim_start(val.as_bytes());
    let (from, digits) = match raw.first() {
        Some(b'+') => (true, &raw[1..]),
        Some(b'-') => (false, &raw[1..]),
        _ => (false, raw),
    };
    let shown = if raw.first() == Some(&b'-') {
        digits
    } else {
        val.as_bytes()
    };
    if digits.first() == Some(&b'+') || digits.first() == Some(&b'-') {
        return Err(ibex::args::invalid(
            &SPEC,
            &format!("number of {what}:"),
            val,
        ));
    }
    match ibex::num::parse_size(digits) {
        Ok(n) if from => Ok(Count::From(n)),
        Ok(n) => Ok(Count::Last(n)),
        Err(NumError::Range) => {
            ibex::msg!(
                "invalid number of ",
                what,
                ": '",
                shown,
                "': Value too large for defined data type"
            );
            Err(ibex::Exit(1))
        }
        Err(NumError::Invalid) => Err(ibex::args::invalid(
            &SPEC,
            &format!("number of {what}:"),
            sys::os(shown),
        )),
    }
}

/// The old forms `[+-]NUM[bcl][f]` as the only option (GNU's rule: with at
/// most one file operand). Returns (count, bytes?, follow).
fn obsolete(argv: &[OsString]) -> Option<(Count, Option<u8>, bool)> {
    let ok_shape = match argv.len() {
        2 => true,
        3 => {
            let b = argv[2].as_bytes();
            !(b.len() > 1 && b[0] == b'-') || b == b"--"
        }
        4 => argv[2].as_bytes() == b"--",
        _ => false,
    };
    let a = argv.get(1)?.as_bytes();
    if !ok_shape || a.len() < 2 {
        return None;
    }
    let from = match a[0] {
        b'+' => true,
        b'-' => false,
        _ => return None,
    };
    let nd = a[1..].iter().take_while(|c| c.is_ascii_digit()).count();
    if !from && nd == 0 {
        return None;
    }
    let mut n = if nd == 0 {
        10
    } else {
        ibex::num::parse_u64(&a[1..1 + nd]).unwrap_or(u64::MAX)
    };
    let mut rest = &a[1 + nd..];
    let mut delim = Some(b'\n');
    match rest.first() {
        Some(b'b') => {
            n = n.saturating_mul(512);
            delim = None;
            rest = &rest[1..];
        }
        Some(b'c') => {
            delim = None;
            rest = &rest[1..];
        }
        Some(b'l') => rest = &rest[1..],
        _ => {}
    }
    let follow = match rest {
        b"" => false,
        b"f" => true,
        _ => return None,
    };
    let count = if from { Count::From(n) } else { Count::Last(n) };
    Some((count, delim, follow))
}

pub fn main(argv: &[OsString]) -> Status {
    let mut o = Opts {
        count: Count::Last(10),
        delim: Some(b'\n'),
        follow: Follow::No,
        retry: false,
        pid: None,
        sleep: 1.0,
        headers: false,
    };
    let mut headers: Option<bool> = None;
    let mut zero = false;
    let files: Vec<&OsStr> = if let Some((c, d, f)) = obsolete(argv) {
        o.count = c;
        o.delim = d;
        if f {
            o.follow = Follow::Descriptor;
        }
        argv.iter()
            .skip(2)
            .map(|a| a.as_os_str())
            .filter(|a| a.as_bytes() != b"--")
            .collect()
    } else {
        let mut p = Parser::new(argv, &SPEC);
        while let Some((id, v)) = p.next()? {
            let val = v.unwrap_or_default();
            match id {
                FOLLOW => o.follow = follow_mode(v)?,
                RETRY => o.retry = true,
                PID => {
                    let t = val.as_bytes();
                    match ibex::num::parse_i64(t) {
                        Ok(n) if (0..=i64::from(i32::MAX)).contains(&n) => o.pid = Some(n as i32),
                        _ => return Err(ibex::args::invalid(&SPEC, "PID:", val)),
                    }
                }
                STATS => {}
                _ => match char::from_u32(id).unwrap_or('\0') {
                    'c' => {
                        o.count = count("bytes", val)?;
                        o.delim = None;
                    }
                    'n' => {
                        o.count = count("lines", val)?;
                        o.delim = Some(b'\n');
                    }
                    'f' => o.follow = Follow::Descriptor,
                    'F' => {
                        o.follow = Follow::Name;
                        o.retry = true;
                    }
                    'q' => headers = Some(false),
                    'v' => headers = Some(true),
                    's' => match ibex::num::parse_duration(val.as_bytes()) {
                        Ok(s) if s.is_finite() => o.sleep = s,
                        _ => return Err(ibex::args::invalid(&SPEC, "number of seconds:", val)),
                    },
                    _ => zero = true,
                },
            }
        }
        p.operands()
    };
    if zero && o.delim.is_some() {
        o.delim = Some(0);
    }
    let mut files = files;
    if files.is_empty() {
        files.push(OsStr::new("-"));
    }
    o.headers = headers.unwrap_or(files.len() > 1);
    if o.follow == Follow::No {
        if o.pid.is_some() {
            ibex::msg!("warning: PID ignored; --pid=PID is useful only when following");
        }
        if o.retry {
            ibex::msg!("warning: --retry ignored; --retry is useful only when following");
        }
    } else if o.follow == Follow::Descriptor && o.retry {
        ibex::msg!("warning: --retry only effective for the initial open");
    }
    run(&o, &files)
}

fn follow_mode(v: Option<&OsStr>) -> Result<Follow, ibex::Exit> {
    let Some(v) = v else {
        return Ok(Follow::Descriptor);
    };
    let b = v.as_bytes();
    if !b.is_empty() && b"descriptor".starts_with(b) {
        return Ok(Follow::Descriptor);
    }
    if !b.is_empty() && b"name".starts_with(b) {
        return Ok(Follow::Name);
    }
    let mut m: Vec<u8> = b"invalid argument '".to_vec();
    m.extend_from_slice(b);
    m.extend_from_slice(b"' for '--follow'\nValid arguments are:\n  - 'descriptor'\n  - 'name'");
    Err(ibex::args::usage_error(&SPEC, &[&m]))
}

/// A file being followed.
struct Tracked<'a> {
    name: &'a [u8],
    shown: &'a [u8],
    fd: Option<OwnedFd>,
    stdin: bool,
    /// Identity of the open file.
    dev: u64,
    ino: u64,
    /// Offset read up to.
    pos: u64,
    /// Still being followed.
    live: bool,
    /// Missing when last looked at (for "has appeared").
    missing: bool,
}

impl Tracked<'_> {
    fn raw(&self) -> i32 {
        if self.stdin {
            0
        } else {
            self.fd.as_ref().map_or(-1, |f| f.as_raw_fd())
        }
    }
}

struct Printer {
    out: Out,
    headers: bool,
    /// Index of the file whose data was printed last.
    last: Option<usize>,
    any: bool,
}

impl Printer {
    fn header(&mut self, i: usize, shown: &[u8]) {
        if self.headers && self.last != Some(i) {
            if self.any {
                self.out.byte(b'\n');
            }
            self.out.write(b"==> ");
            self.out.write(shown);
            self.out.write(b" <==\n");
        }
        self.any = true;
        self.last = Some(i);
    }
}

fn run(o: &Opts, files: &[&OsStr]) -> Status {
    let mut pr = Printer {
        out: Out::stdout(),
        headers: o.headers,
        last: None,
        any: false,
    };
    let mut status = 0;
    let mut tracked: Vec<Tracked> = Vec::new();
    let mut buf = vec![0u8; BUF];
    for (i, name) in files.iter().enumerate() {
        let name = name.as_bytes();
        let stdin = name == b"-";
        let shown: &[u8] = if stdin { b"standard input" } else { name };
        let mut t = Tracked {
            name,
            shown,
            fd: None,
            stdin,
            dev: 0,
            ino: 0,
            pos: 0,
            live: o.follow != Follow::No,
            missing: false,
        };
        match Input::open(name) {
            Ok(Input::File(f)) => t.fd = Some(f),
            Ok(Input::Stdin) => {}
            Err(e) => {
                ibex::msg!("cannot open '", shown, "' for reading: ", e);
                status = 1;
                t.missing = true;
                // Only a name followed with --retry is waited for.
                t.live = o.follow == Follow::Name && o.retry && !stdin;
                tracked.push(t);
                continue;
            }
        }
        pr.header(i, shown);
        let fd = t.raw();
        match print_initial(fd, o, &mut buf, &mut pr.out) {
            Ok(()) => {}
            Err(CopyError::Read(e)) => {
                ibex::msg!("error reading '", shown, "': ", e);
                status = 1;
                t.live = false;
            }
            Err(CopyError::Write(e)) => {
                ibex::msg!("write error: ", e);
                return Ok(1);
            }
        }
        if pr.out.failed() {
            return pr.out.done(1);
        }
        match sys::fstat(fd) {
            Ok(st) if st.is_reg() => {
                t.dev = st.dev;
                t.ino = st.ino;
                t.pos = sys::lseek(fd, 0, sys::SEEK_CUR).unwrap_or(st.size);
            }
            // Pipes and terminals cannot be followed; a directory can't either.
            _ => {
                if t.live && sys::fstat(fd).is_ok_and(|s| s.is_dir()) {
                    ibex::msg!(
                        shown,
                        ": cannot follow end of this type of file; giving up on this name"
                    );
                    status = 1;
                }
                t.live = false;
            }
        }
        tracked.push(t);
    }
    if o.follow == Follow::No {
        return pr.out.done(status);
    }
    if !tracked.iter().any(|t| t.live) {
        if tracked.iter().any(|t| t.missing) || status != 0 {
            ibex::msg!("no files remaining");
            return pr.out.done(1);
        }
        return pr.out.done(status);
    }
    if !pr.out.flush() {
        return pr.out.done(1);
    }
    follow(o, &mut tracked, pr, &mut buf, status)
}

/// The first output of a file: its last (or from-N) lines or bytes.
fn print_initial(fd: i32, o: &Opts, buf: &mut [u8], out: &mut Out) -> Result<(), CopyError> {
    let st = sys::fstat(fd).ok();
    let seekable = st.is_some_and(|s| s.is_reg()) && sys::lseek(fd, 0, sys::SEEK_CUR).is_ok();
    match (o.count, o.delim) {
        (Count::Last(n), delim) if seekable && st.is_some_and(|s| s.size > 0) => {
            let size = st.map_or(0, |s| s.size);
            let cur = sys::lseek(fd, 0, sys::SEEK_CUR).map_err(CopyError::Read)?;
            let start = match delim {
                None => size.saturating_sub(n).max(cur),
                Some(d) => last_lines_start(fd, cur, size, n, d, buf).map_err(CopyError::Read)?,
            };
            if start > cur {
                sys::lseek(fd, start as i64, sys::SEEK_SET).map_err(CopyError::Read)?;
            }
            copy_rest(fd, out)
        }
        (Count::Last(n), delim) => {
            let kept = ring(fd, n, delim, buf).map_err(CopyError::Read)?;
            for part in &kept {
                out.write(part);
            }
            Ok(())
        }
        (Count::From(n), None) => {
            let mut skip = n.saturating_sub(1);
            if seekable {
                let cur = sys::lseek(fd, 0, sys::SEEK_CUR).map_err(CopyError::Read)?;
                let to = cur.saturating_add(skip).min(i64::MAX as u64);
                sys::lseek(fd, to as i64, sys::SEEK_SET).map_err(CopyError::Read)?;
                skip = 0;
            }
            while skip > 0 {
                let want = usize::try_from(skip).unwrap_or(usize::MAX).min(buf.len());
                let got = sys::read(fd, &mut buf[..want]).map_err(CopyError::Read)?;
                if got == 0 {
                    return Ok(());
                }
                skip -= got as u64;
            }
            copy_rest(fd, out)
        }
        (Count::From(n), Some(d)) => {
            let mut skip = n.saturating_sub(1);
            while skip > 0 {
                let got = sys::read(fd, buf).map_err(CopyError::Read)?;
                if got == 0 {
                    return Ok(());
                }
                for i in memchr::memchr_iter(d, &buf[..got]) {
                    skip -= 1;
                    if skip == 0 {
                        out.write(&buf[i + 1..got]);
                        break;
                    }
                }
            }
            copy_rest(fd, out)
        }
    }
}

/// Copy from the current offset to the end, after what is buffered.
fn copy_rest(fd: i32, out: &mut Out) -> Result<(), CopyError> {
    if !out.flush() {
        return Ok(());
    }
    copy_fd(fd, 1).map(drop)
}

/// Where the last `n` lines of the range `[lo, size)` begin, reading
/// backwards in blocks. A last line without its delimiter counts.
fn last_lines_start(fd: i32, lo: u64, size: u64, n: u64, d: u8, buf: &mut [u8]) -> io::Result<u64> {
    if n == 0 {
        return Ok(size);
    }
    let mut end = size;
    let mut left = n;
    let mut first = true;
    while end > lo {
        // Align blocks to the buffer size for friendlier reads.
        let bs = buf.len() as u64;
        let start = ((end - 1) / bs * bs).max(lo);
        let len = (end - start) as usize;
        let got = read_at(fd, &mut buf[..len], start)?;
        let mut block = &buf[..got];
        if first {
            first = false;
            // The delimiter that ends the last line does not start one.
            if block.last() == Some(&d) {
                block = &block[..block.len() - 1];
            }
        }
        for i in memchr::memrchr_iter(d, block) {
            left -= 1;
            if left == 0 {
                return Ok(start + i as u64 + 1);
            }
        }
        end = start;
    }
    Ok(lo)
}

/// pread until `buf` is full or the end of the file.
fn read_at(fd: i32, buf: &mut [u8], off: u64) -> io::Result<usize> {
    let mut done = 0;
    while done < buf.len() {
        let n = sys::pread(fd, &mut buf[done..], off + done as u64)?;
        if n == 0 {
            break;
        }
        done += n;
    }
    Ok(done)
}

/// Read a non-seekable input to its end, keeping what the last `n` lines
/// (`delim` given) or bytes need, and return exactly those.
fn ring(fd: i32, n: u64, delim: Option<u8>, buf: &mut [u8]) -> io::Result<Vec<Vec<u8>>> {
    let units = |d: &[u8]| match delim {
        Some(c) => sys::count_byte(d, c) as u64,
        None => d.len() as u64,
    };
    let mut held: VecDeque<(Vec<u8>, u64)> = VecDeque::new();
    let mut total = 0u64;
    let keep = if delim.is_some() {
        n.saturating_add(1)
    } else {
        n
    };
    loop {
        let got = sys::read(fd, buf)?;
        if got == 0 {
            break;
        }
        if n == 0 {
            continue;
        }
        let data = &buf[..got];
        let u = units(data);
        total += u;
        match held.back_mut() {
            Some((v, c)) if v.len() + got <= BUF => {
                v.extend_from_slice(data);
                *c += u;
            }
            _ => {
                let mut v = Vec::with_capacity(BUF.max(got));
                v.extend_from_slice(data);
                held.push_back((v, u));
            }
        }
        while held.len() > 1 {
            let front = held.front().map_or(0, |f| f.1);
            if total - front < keep {
                break;
            }
            if let Some((_, c)) = held.pop_front() {
                total -= c;
            }
        }
    }
    // Units to drop from the front of what is held.
    let mut drop_units = match delim {
        None => total.saturating_sub(n),
        Some(d) => {
            let ends = held.back().is_some_and(|(v, _)| v.last() == Some(&d));
            if ends {
                total.saturating_sub(n)
            } else {
                (total + 1).saturating_sub(n)
            }
        }
    };
    let mut res = Vec::new();
    for (mut v, c) in held {
        if drop_units == 0 {
            res.push(v);
            continue;
        }
        if c < drop_units || (delim.is_none() && c == drop_units) {
            drop_units -= c;
            continue;
        }
        let cut = match delim {
            None => drop_units as usize,
            Some(d) => memchr::memchr_iter(d, &v)
                .nth((drop_units - 1) as usize)
                .map_or(v.len(), |i| i + 1),
        };
        drop_units = 0;
        v.drain(..cut.min(v.len()));
        res.push(v);
    }
    Ok(res)
}

/// Poll the files for growth, truncation and (by name) replacement.
fn follow(
    o: &Opts,
    files: &mut [Tracked],
    mut pr: Printer,
    buf: &mut [u8],
    mut status: i32,
) -> Status {
    let secs = o.sleep.max(0.0);
    let (sec, nsec) = (secs.trunc() as u64, (secs.fract() * 1e9) as u32);
    // inotify wakes us as soon as a file changes, and tells in which order
    // they changed; every file is still looked at each time round (and at
    // least every -s SECONDS), so renames, truncation and -F work as
    // without it.
    let notify = sys::inotify_init().ok();
    let mask = sys::IN_MODIFY | sys::IN_ATTRIB | sys::IN_DELETE_SELF | sys::IN_MOVE_SELF;
    // Each file's watch and the inode it was set on (-F reopens files).
    let mut wds: Vec<Option<(i32, u64)>> = vec![None; files.len()];
    let mut events: Vec<i32> = Vec::new();
    let mut order: Vec<usize> = Vec::with_capacity(files.len());
    loop {
        if let Some(n) = &notify {
            let nfd = n.as_raw_fd();
            for (t, wd) in files.iter().zip(wds.iter_mut()) {
                if wd.is_none_or(|(_, ino)| ino != t.ino) && t.fd.is_some() && !t.stdin {
                    *wd = sys::inotify_watch(nfd, t.name, mask)
                        .ok()
                        .map(|w| (w, t.ino));
                }
            }
        }
        // Changed files first, in the order they changed, then the rest.
        order.clear();
        for wd in &events {
            if let Some(i) = wds.iter().position(|w| w.is_some_and(|w| w.0 == *wd))
                && !order.contains(&i)
            {
                order.push(i);
            }
        }
        events.clear();
        for i in 0..files.len() {
            if !order.contains(&i) {
                order.push(i);
            }
        }
        // Decide before reading, so data written just before the process
        // died is still printed.
        let dead = o.pid.is_some_and(|p| {
            p > 0 && sys::kill(p, 0).is_err_and(|e| e.raw_os_error() == Some(libc::ESRCH))
        });
        for &i in &order {
            if !files[i].live {
                continue;
            }
            if o.follow == Follow::Name && !files[i].stdin {
                check_name(i, files, o, &mut pr, buf);
            }
            if files[i].fd.is_none() && !files[i].stdin {
                continue;
            }
            if let Err(e) = read_new(i, files, &mut pr, buf) {
                ibex::msg!("error reading '", files[i].shown, "': ", e);
                status = 1;
                files[i].live = false;
            }
            if pr.out.failed() {
                return pr.out.done(1);
            }
        }
        if !pr.out.flush() {
            return pr.out.done(1);
        }
        if !files.iter().any(|t| t.live) {
            ibex::msg!("no files remaining");
            return pr.out.done(1);
        }
        if dead {
            return pr.out.done(status);
        }
        match &notify {
            Some(n) if wds.iter().any(Option::is_some) => {
                let nfd = n.as_raw_fd();
                let ms = (secs * 1000.0).min(f64::from(i32::MAX)) as i32;
                if sys::poll_readable(nfd, ms).unwrap_or(false) {
                    while let Ok(k) = sys::read(nfd, buf) {
                        if k == 0 {
                            break;
                        }
                        sys::inotify_wds(&buf[..k], &mut events);
                    }
                }
            }
            _ => {
                let _ = sys::nanosleep(sec, nsec);
            }
        }
    }
}

/// `-F`: notice a file that disappeared, appeared or was replaced.
fn check_name(i: usize, files: &mut [Tracked], o: &Opts, pr: &mut Printer, buf: &mut [u8]) {
    let t = &files[i];
    match sys::stat(t.name) {
        Err(e) => {
            if !t.missing {
                ibex::msg!("'", t.shown, "' has become inaccessible: ", e);
                // Print what was written before it went away.
                let _ = read_new(i, files, pr, buf);
                let t = &mut files[i];
                t.missing = true;
                t.fd = None;
                if !o.retry {
                    t.live = false;
                }
            }
        }
        Ok(st) => {
            let have = t.fd.is_some();
            // Only a regular file can be followed (reading a FIFO blocks).
            if (have && st.dev == t.dev && st.ino == t.ino) || !st.is_reg() {
                return;
            }
            let fd = match sys::open(t.name, sys::O_RDONLY | sys::O_NOCTTY, 0) {
                Ok(f) => f,
                Err(_) => return,
            };
            if have {
                ibex::msg!("'", t.shown, "' has been replaced;  following new file");
                let _ = read_new(i, files, pr, buf);
            } else {
                ibex::msg!("'", t.shown, "' has appeared;  following new file");
            }
            let t = &mut files[i];
            t.fd = Some(fd);
            t.dev = st.dev;
            t.ino = st.ino;
            t.pos = 0;
            t.missing = false;
        }
    }
}

/// Print whatever was added to a file since the last look; start over
/// when it was truncated.
fn read_new(i: usize, files: &mut [Tracked], pr: &mut Printer, buf: &mut [u8]) -> io::Result<()> {
    let t = &mut files[i];
    let fd = t.raw();
    if fd < 0 {
        return Ok(());
    }
    let st = sys::fstat(fd)?;
    if st.is_reg() {
        if st.size < t.pos {
            ibex::msg!(t.shown, ": file truncated");
            sys::lseek(fd, 0, sys::SEEK_SET)?;
            t.pos = 0;
        }
        if st.size == t.pos {
            return Ok(());
        }
    }
    loop {
        let n = sys::read(fd, buf)?;
        if n == 0 {
            return Ok(());
        }
        t.pos += n as u64;
        let shown = t.shown;
        pr.header(i, shown);
        pr.out.write(&buf[..n]);
        if pr.out.failed() {
            return Ok(());
        }
    }
}
