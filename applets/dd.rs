//! dd: copy a file in blocks, converting on the way. Operands as GNU:
//! if= of= bs= ibs= obs= cbs= count= skip= seek= (iseek= oseek=), numbers
//! with c w b kB K MB M ... suffixes and `x` products, conv= (notrunc sync
//! noerror fsync fdatasync excl nocreat ucase lcase swab sparse), iflag= and
//! oflag= (append direct dsync sync fullblock nonblock noatime nocache
//! noctty nofollow count_bytes skip_bytes seek_bytes), status= (none
//! noxfer progress). Statistics go to stderr in GNU's format at the end,
//! on SIGUSR1 and on SIGINT.

use ibex::Status;
use ibex::args::{Parser, Spec, usage_error};
use ibex::sys;
use std::ffi::OsString;
use std::os::fd::{AsRawFd, OwnedFd, RawFd};
use std::os::unix::ffi::OsStrExt;
use std::time::Instant;

const SPEC: Spec = Spec::new(
    "",
    &[],
    ibex::usage!(
        dd,
        "dd [if=F] [of=F] [bs=N] [ibs=N] [obs=N] [count=N] [skip=N] [seek=N]\n\
         \t[conv=notrunc|sync|noerror|fsync|fdatasync|excl|nocreat|ucase|lcase|swab|sparse]\n\
         \t[iflag=|oflag=direct|dsync|sync|fullblock|append|skip_bytes|count_bytes|seek_bytes]\n\
         \t[status=none|noxfer|progress]\n\n\
         Copy a file with converting and formatting\n\n\
         \tif=FILE\tRead from FILE instead of stdin\n\
         \tof=FILE\tWrite to FILE instead of stdout\n\
         \tbs=N\tRead and write N bytes at a time\n\
         \tibs=N\tRead N bytes at a time\n\
         \tobs=N\tWrite N bytes at a time\n\
         \tcount=N\tCopy only N input blocks\n\
         \tskip=N\tSkip N input blocks\n\
         \tseek=N\tSkip N output blocks\n\
         \tconv=notrunc\tDon't truncate output file\n\
         \tconv=sync\tPad blocks with zeros\n\
         \tconv=noerror\tContinue after read errors\n\
         \tconv=fsync\tPhysically write data out before finishing\n\
         \tconv=swab\tSwap every pair of bytes\n\
         \tstatus=noxfer\tSuppress rate output\n\
         \tstatus=none\tSuppress all output\n\
         \tN may be suffixed by c (1), w (2), b (512), kB (1000), K (1024), MB, M, GB, G..."
    ),
);

#[derive(Default, Clone, Copy)]
struct Conv {
    notrunc: bool,
    sync: bool,
    noerror: bool,
    fsync: bool,
    fdatasync: bool,
    excl: bool,
    nocreat: bool,
    ucase: bool,
    lcase: bool,
    swab: bool,
    sparse: bool,
}

#[derive(Default, Clone, Copy)]
struct Flags {
    open: i32,
    fullblock: bool,
    count_bytes: bool,
    skip_bytes: bool,
    seek_bytes: bool,
    direct: bool,
}

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Level {
    None,
    Noxfer,
    Default,
    Progress,
}

/// A number operand: factors joined by `x`, each digits and a suffix.
fn parse_number(s: &[u8]) -> Option<u64> {
    // Leading blanks are allowed, as strtoul (and GNU dd) allow them.
    let s = ibex::num::trim_start(s);
    let mut total: u64 = 1;
    for part in s.split(|&c| c == b'x') {
        let digits = part.iter().take_while(|c| c.is_ascii_digit()).count();
        if digits == 0 {
            return None;
        }
        let n = ibex::num::parse_u64(&part[..digits]).ok()?;
        let mult = match &part[digits..] {
            b"c" => 1,
            b"w" => 2,
            b"k" => 1024,
            suf => ibex::num::suffix_multiplier(suf)?,
        };
        total = total.checked_mul(n.checked_mul(mult)?)?;
    }
    Some(total)
}

fn invalid_number(s: &[u8]) -> ibex::Exit {
    ibex::msg!("invalid number: ", ibex::copy::quote(s));
    ibex::Exit(1)
}

fn bad_word(what: &str, word: &[u8]) -> ibex::Exit {
    let mut m = what.as_bytes().to_vec();
    if what != "unrecognized operand" {
        m.push(b':');
    }
    m.push(b' ');
    m.extend_from_slice(&ibex::copy::quote(word));
    usage_error(&SPEC, &[&m])
}

fn parse_flags(v: &[u8], input: bool) -> Result<Flags, ibex::Exit> {
    let mut f = Flags::default();
    for w in v.split(|&c| c == b',') {
        match w {
            b"append" => f.open |= libc::O_APPEND,
            b"direct" => {
                f.open |= libc::O_DIRECT;
                f.direct = true;
            }
            b"directory" => f.open |= libc::O_DIRECTORY,
            b"dsync" => f.open |= libc::O_DSYNC,
            b"sync" => f.open |= libc::O_SYNC,
            b"nonblock" => f.open |= libc::O_NONBLOCK,
            b"noatime" => f.open |= libc::O_NOATIME,
            b"noctty" => f.open |= libc::O_NOCTTY,
            b"nofollow" => f.open |= libc::O_NOFOLLOW,
            b"nocache" | b"binary" | b"text" => {}
            b"fullblock" if input => f.fullblock = true,
            b"count_bytes" if input => f.count_bytes = true,
            b"skip_bytes" if input => f.skip_bytes = true,
            b"seek_bytes" if !input => f.seek_bytes = true,
            _ => {
                let what = if input {
                    "invalid input flag"
                } else {
                    "invalid output flag"
                };
                return Err(bad_word(what, w));
            }
        }
    }
    Ok(f)
}

/// A name in a message, quoted only when a shell would need it.
fn quotef(name: &[u8]) -> Vec<u8> {
    let plain = !name.is_empty()
        && name
            .iter()
            .all(|&c| c.is_ascii_alphanumeric() || b"%+,-./:=@_^".contains(&c));
    if plain {
        name.to_vec()
    } else {
        ibex::copy::quote(name)
    }
}

struct Stats {
    full_in: u64,
    part_in: u64,
    full_out: u64,
    part_out: u64,
    bytes: u64,
    start: Instant,
}

/// `1.0 kB`, `315 MB`, `2.0 GiB`: one decimal below 10, nearest rounding.
fn human(n: u64, base: f64, units: &[&str]) -> String {
    let mut v = n as f64;
    let mut i = 0;
    loop {
        v /= base;
        let tenths = (v * 10.0).round();
        if tenths < 100.0 {
            return format!("{}.{} {}", tenths as u64 / 10, tenths as u64 % 10, units[i]);
        }
        let whole = v.round();
        if whole < base || i + 1 == units.len() {
            return format!("{} {}", whole as u64, units[i]);
        }
        i += 1;
    }
}

/// A rate in bytes per second: at least kB/s, one decimal below 100.
fn rate(bytes: u64, secs: f64) -> String {
    if secs <= 0.0 {
        return "Infinity B/s".into();
    }
    const UNITS: [&str; 8] = ["kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"];
    let mut v = bytes as f64 / secs / 1000.0;
    let mut i = 0;
    loop {
        let tenths = (v * 10.0).round();
        if tenths < 1000.0 {
            return format!(
                "{}.{} {}/s",
                tenths as u64 / 10,
                tenths as u64 % 10,
                UNITS[i]
            );
        }
        let whole = v.round();
        if whole < 1000.0 || i + 1 == UNITS.len() {
            return format!("{} {}/s", whole as u64, UNITS[i]);
        }
        v /= 1000.0;
        i += 1;
    }
}

/// `N bytes (SI, IEC) copied, T s, R/s` (no newline).
fn transfer_line(bytes: u64, secs: f64, whole_secs: bool) -> String {
    const SI: [&str; 8] = ["kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"];
    const IEC: [&str; 8] = ["KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "ZiB", "YiB"];
    let amount = if bytes == 1 {
        "1 byte".to_string()
    } else if bytes < 1000 {
        format!("{bytes} bytes")
    } else if bytes < 1024 {
        format!("{bytes} bytes ({})", human(bytes, 1000.0, &SI))
    } else {
        format!(
            "{bytes} bytes ({}, {})",
            human(bytes, 1000.0, &SI),
            human(bytes, 1024.0, &IEC)
        )
    };
    let time = if whole_secs {
        format!("{} s", secs as u64)
    } else {
        let mut t = Vec::new();
        ibex::cformat::format_float(&mut t, &ibex::cformat::Spec::new(b'g'), secs);
        format!("{} s", String::from_utf8_lossy(&t))
    };
    format!("{amount} copied, {time}, {}", rate(bytes, secs))
}

impl Stats {
    fn print(&self, level: Level) {
        if level == Level::None {
            return;
        }
        let mut m = format!(
            "{}+{} records in\n{}+{} records out\n",
            self.full_in, self.part_in, self.full_out, self.part_out
        );
        if level != Level::Noxfer {
            let secs = self.start.elapsed().as_secs_f64();
            m.push_str(&transfer_line(self.bytes, secs, false));
            m.push('\n');
        }
        let _ = sys::write_all(2, m.as_bytes());
    }
}

struct Dd {
    in_fd: RawFd,
    out_fd: RawFd,
    in_name: Vec<u8>,
    out_name: Vec<u8>,
    ibs: usize,
    obs: usize,
    conv: Conv,
    iflag: Flags,
    level: Level,
    stats: Stats,
    warned_partial: bool,
    /// One write per read (bs= without case or swab conversions, as GNU;
    /// also for oflag=direct, whose writes need the aligned buffer).
    direct: bool,
    /// A progress line is on the terminal (status=progress).
    progress_shown: bool,
    count: Option<u64>,
    input_regular: bool,
}

/// A buffer whose start is aligned for O_DIRECT.
struct Aligned {
    mem: Vec<u8>,
    off: usize,
    len: usize,
}

impl Aligned {
    fn new(len: usize) -> Aligned {
        let mem = vec![0u8; len + 4096];
        let addr = mem.as_ptr() as usize;
        let off = (4096 - addr % 4096) % 4096;
        Aligned { mem, off, len }
    }
    fn buf(&mut self) -> &mut [u8] {
        &mut self.mem[self.off..self.off + self.len]
    }
    fn get(&self, len: usize) -> &[u8] {
        &self.mem[self.off..self.off + len.min(self.len)]
    }
}

pub fn main(argv: &[OsString]) -> Status {
    let mut p = Parser::new(argv, &SPEC);
    while p.next()?.is_some() {}
    let ops = p.operands();
    let (mut input, mut output) = (None, None);
    let (mut ibs, mut obs, mut bs) = (512usize, 512usize, None);
    let (mut count, mut skip, mut seek) = (None, 0u64, 0u64);
    let mut conv = Conv::default();
    let mut iflag = Flags::default();
    let mut oflag = Flags::default();
    let mut level = Level::Default;
    for op in &ops {
        let op = op.as_bytes();
        let Some(eq) = op.iter().position(|&c| c == b'=') else {
            return Err(bad_word("unrecognized operand", op));
        };
        let (key, val) = (&op[..eq], &op[eq + 1..]);
        let num = || parse_number(val).ok_or_else(|| invalid_number(val));
        let size = || match parse_number(val) {
            Some(n) if n > 0 && usize::try_from(n).is_ok_and(|n| n <= isize::MAX as usize) => {
                Ok(n as usize)
            }
            _ => Err(invalid_number(val)),
        };
        match key {
            b"if" => input = Some(val),
            b"of" => output = Some(val),
            b"bs" => bs = Some(size()?),
            b"ibs" => ibs = size()?,
            b"obs" => obs = size()?,
            b"cbs" => {
                size()?;
            }
            b"count" => count = Some(num()?),
            b"skip" | b"iseek" => skip = num()?,
            b"seek" | b"oseek" => seek = num()?,
            b"conv" => {
                for w in val.split(|&c| c == b',') {
                    match w {
                        b"notrunc" => conv.notrunc = true,
                        b"sync" => conv.sync = true,
                        b"noerror" => conv.noerror = true,
                        b"fsync" => conv.fsync = true,
                        b"fdatasync" => conv.fdatasync = true,
                        b"excl" => conv.excl = true,
                        b"nocreat" => conv.nocreat = true,
                        b"ucase" => conv.ucase = true,
                        b"lcase" => conv.lcase = true,
                        b"swab" => conv.swab = true,
                        b"sparse" => conv.sparse = true,
                        _ => return Err(bad_word("invalid conversion", w)),
                    }
                }
            }
            b"iflag" => {
                let f = parse_flags(val, true)?;
                iflag.open |= f.open;
                iflag.fullblock |= f.fullblock;
                iflag.count_bytes |= f.count_bytes;
                iflag.skip_bytes |= f.skip_bytes;
                iflag.direct |= f.direct;
            }
            b"oflag" => {
                let f = parse_flags(val, false)?;
                oflag.open |= f.open;
                oflag.seek_bytes |= f.seek_bytes;
                oflag.direct |= f.direct;
            }
            b"status" => {
                level = match val {
                    b"none" => Level::None,
                    b"noxfer" => Level::Noxfer,
                    b"progress" => Level::Progress,
                    _ => return Err(bad_word("invalid status level", val)),
                }
            }
            _ => return Err(bad_word("unrecognized operand", op)),
        }
    }
    for (a, b, x, y) in [
        (conv.excl, conv.nocreat, "excl", "nocreat"),
        (conv.lcase, conv.ucase, "lcase", "ucase"),
    ] {
        if a && b {
            ibex::msg!("cannot combine ", x, " and ", y);
            return Ok(1);
        }
    }
    if oflag.open & libc::O_APPEND != 0 && !conv.notrunc {
        ibex::msg!("you probably want conv=notrunc with oflag=append");
    }
    if let Some(b) = bs {
        ibs = b;
        obs = b;
    }

    // Open the files.
    let quoted = |n: &[u8]| ibex::copy::quote(n);
    let in_file: Option<OwnedFd> = match input {
        Some(name) => match sys::open(name, libc::O_RDONLY | iflag.open, 0) {
            Ok(fd) => Some(fd),
            Err(e) => {
                ibex::msg!("failed to open ", quoted(name), ": ", e);
                return Ok(1);
            }
        },
        None => None,
    };
    let out_file: Option<OwnedFd> = match output {
        Some(name) => {
            let mut flags = libc::O_WRONLY | oflag.open;
            if !conv.nocreat {
                flags |= libc::O_CREAT;
            }
            if conv.excl {
                flags |= libc::O_EXCL;
            }
            if !conv.notrunc && seek == 0 {
                flags |= libc::O_TRUNC;
            }
            match sys::open(name, flags, 0o666) {
                Ok(fd) => Some(fd),
                Err(e) => {
                    ibex::msg!("failed to open ", quoted(name), ": ", e);
                    return Ok(1);
                }
            }
        }
        None => {
            if oflag.open != 0 {
                let _ = sys::fcntl_getfl(1).and_then(|f| sys::fcntl_setfl(1, f | oflag.open));
            }
            None
        }
    };
    let in_fd = in_file.as_ref().map_or(0, |f| f.as_raw_fd());
    let out_fd = out_file.as_ref().map_or(1, |f| f.as_raw_fd());
    let in_name = input.map_or(b"'standard input'".to_vec(), quoted);
    let out_name = output.map_or(b"'standard output'".to_vec(), quoted);

    let mut dd = Dd {
        in_fd,
        out_fd,
        in_name,
        out_name,
        ibs,
        obs,
        conv,
        iflag,
        level,
        stats: Stats {
            full_in: 0,
            part_in: 0,
            full_out: 0,
            part_out: 0,
            bytes: 0,
            start: Instant::now(),
        },
        warned_partial: false,
        progress_shown: false,
        direct: ibs == obs
            && (oflag.direct || bs.is_some() && !(conv.swab || conv.ucase || conv.lcase)),
        count,
        input_regular: sys::fstat(in_fd).map(|s| s.is_reg()).unwrap_or(false),
    };

    // Skip input, seek output.
    let skip_bytes = if iflag.skip_bytes {
        Some(skip)
    } else {
        skip.checked_mul(ibs as u64)
    };
    let seek_bytes = if oflag.seek_bytes {
        Some(seek)
    } else {
        seek.checked_mul(obs as u64)
    };
    let (Some(skip_bytes), Some(seek_bytes)) = (skip_bytes, seek_bytes) else {
        ibex::msg!("offset overflow");
        return Ok(1);
    };
    if skip_bytes > 0 && !dd.skip_input(skip_bytes, input.unwrap_or(b"-")) {
        return Ok(1);
    }
    if seek_bytes > 0 {
        match i64::try_from(seek_bytes)
            .ok()
            .map(|o| sys::lseek(out_fd, o, sys::SEEK_CUR))
        {
            Some(Ok(pos)) => {
                let is_reg = sys::fstat(out_fd).map(|s| s.is_reg()).unwrap_or(false);
                if !conv.notrunc
                    && is_reg
                    && output.is_some()
                    && let Err(e) = sys::ftruncate(out_fd, pos)
                {
                    ibex::msg!(
                        "failed to truncate to ",
                        pos,
                        " bytes in output file ",
                        dd.out_name.clone(),
                        ": ",
                        e
                    );
                    return Ok(1);
                }
            }
            Some(Err(e)) => {
                ibex::msg!(dd.out_name.clone(), ": cannot seek: ", e);
                return Ok(1);
            }
            None => {
                ibex::msg!("offset overflow");
                return Ok(1);
            }
        }
    }

    let _ = sys::set_disposition(libc::SIGUSR1, sys::Disposition::Catch, true);
    let _ = sys::set_disposition(libc::SIGINT, sys::Disposition::Catch, true);
    let ok = dd.copy();
    let _ = sys::set_disposition(libc::SIGUSR1, sys::Disposition::Default, true);
    let _ = sys::set_disposition(libc::SIGINT, sys::Disposition::Default, true);
    let mut status = if ok { 0 } else { 1 };
    if ok && (conv.fsync || conv.fdatasync) {
        let r = if conv.fsync {
            sys::fsync(out_fd)
        } else {
            sys::fdatasync(out_fd)
        };
        if let Err(e) = r {
            ibex::msg!("fsync failed for ", dd.out_name.clone(), ": ", e);
            status = 1;
        }
    }
    if dd.progress_shown {
        let _ = sys::write_all(2, b"\n");
    }
    dd.stats.print(dd.level);
    if let Some(f) = out_file
        && let Err(e) = sys::close(std::os::fd::IntoRawFd::into_raw_fd(f))
    {
        ibex::msg!("closing output file ", dd.out_name.clone(), ": ", e);
        status = 1;
    }
    Ok(status)
}

impl Dd {
    /// Skip input bytes: seek when possible, else read and discard.
    fn skip_input(&mut self, n: u64, name: &[u8]) -> bool {
        if let Ok(off) = i64::try_from(n)
            && let Ok(pos) = sys::lseek(self.in_fd, off, sys::SEEK_CUR)
        {
            if let Ok(st) = sys::fstat(self.in_fd)
                && st.is_reg()
                && pos > st.size
            {
                ibex::msg!(quotef(name), ": cannot skip to specified offset");
            }
            return true;
        }
        let mut left = n;
        let mut buf = vec![0u8; self.ibs.min(1 << 20)];
        while left > 0 {
            let want = buf.len().min(usize::try_from(left).unwrap_or(usize::MAX));
            match sys::read(self.in_fd, &mut buf[..want]) {
                Ok(0) => {
                    ibex::msg!(self.in_name.clone(), ": cannot skip to specified offset");
                    return true;
                }
                Ok(k) => left -= k as u64,
                Err(e) => {
                    ibex::msg!(self.in_name.clone(), ": cannot skip: ", e);
                    return false;
                }
            }
        }
        true
    }

    /// Handle SIGUSR1 (print statistics) and SIGINT (print them and die).
    fn signals(&self) {
        while let Some(sig) = sys::take_signal() {
            if sig == libc::SIGUSR1 {
                self.stats.print(self.level.min(Level::Default));
            } else if sig == libc::SIGINT {
                self.stats.print(self.level.min(Level::Default));
                let _ = sys::set_disposition(libc::SIGINT, sys::Disposition::Default, false);
                let _ = sys::kill(sys::getpid(), libc::SIGINT);
            }
        }
    }

    /// Read one input block (all of it with iflag=fullblock).
    fn read_block(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let mut n = 0;
        loop {
            let r = sys::read(self.in_fd, &mut buf[n..])?;
            n += r;
            if r == 0 || n == buf.len() || !self.iflag.fullblock {
                return Ok(n);
            }
        }
    }

    fn write_out(&mut self, data: &[u8]) -> bool {
        if data.is_empty() {
            return true;
        }
        if self.conv.sparse
            && data.iter().all(|&b| b == 0)
            && let Ok(len) = i64::try_from(data.len())
            && sys::lseek(self.out_fd, len, sys::SEEK_CUR).is_ok()
        {
            self.stats.bytes += data.len() as u64;
            if data.len() == self.obs {
                self.stats.full_out += 1;
            } else {
                self.stats.part_out += 1;
            }
            return true;
        }
        if let Err(e) = sys::write_all(self.out_fd, data) {
            ibex::msg!("writing to ", self.out_name.clone(), ": ", e);
            return false;
        }
        self.stats.bytes += data.len() as u64;
        if data.len() == self.obs {
            self.stats.full_out += 1;
        } else {
            self.stats.part_out += 1;
        }
        true
    }

    fn convert(&self, data: &mut [u8]) {
        if self.conv.swab {
            for pair in data.chunks_exact_mut(2) {
                pair.swap(0, 1);
            }
        }
        if self.conv.ucase {
            data.make_ascii_uppercase();
        } else if self.conv.lcase {
            data.make_ascii_lowercase();
        }
    }

    /// The copy loop; false after a fatal error.
    fn copy(&mut self) -> bool {
        let ibs = self.ibs;
        let obs = self.obs;
        let direct = self.direct;
        let mut ibuf = Aligned::new(ibs);
        let mut obuf: Vec<u8> = if direct {
            Vec::new()
        } else {
            Vec::with_capacity(obs * 2 + ibs)
        };
        let mut bytes_in: u64 = 0;
        let mut blocks_in: u64 = 0;
        let mut last_progress = Instant::now();
        loop {
            if sys::signal_pending() {
                self.signals();
            }
            if self.level == Level::Progress && last_progress.elapsed().as_secs() >= 1 {
                last_progress = Instant::now();
                self.progress_shown = true;
                let secs = self.stats.start.elapsed().as_secs_f64();
                let line = transfer_line(self.stats.bytes, secs, true);
                let _ = sys::write_all(2, format!("{line}\r").as_bytes());
            }
            // How much to read this time.
            let mut want = ibs;
            if let Some(c) = self.count {
                if self.iflag.count_bytes {
                    if bytes_in >= c {
                        break;
                    }
                    want = want.min(usize::try_from(c - bytes_in).unwrap_or(usize::MAX));
                } else if blocks_in >= c {
                    break;
                }
            }
            let buf = &mut ibuf.buf()[..want];
            let n = match self.read_block(buf) {
                Ok(n) => n,
                Err(e) => {
                    ibex::msg!("error reading ", self.in_name.clone(), ": ", e);
                    if !self.conv.noerror {
                        return false;
                    }
                    self.stats.part_in += 1;
                    blocks_in += 1;
                    // Step past the bad block where possible.
                    let _ = sys::lseek(self.in_fd, want as i64, sys::SEEK_CUR);
                    if self.conv.sync {
                        ibuf.buf().fill(0);
                        if !self.emit(ibuf.get(ibs), direct, &mut obuf) {
                            return false;
                        }
                    }
                    continue;
                }
            };
            if n == 0 {
                break;
            }
            bytes_in += n as u64;
            blocks_in += 1;
            let mut warn = false;
            if n == ibs {
                self.stats.full_in += 1;
            } else {
                self.stats.part_in += 1;
                warn = self.count.is_some()
                    && !self.iflag.fullblock
                    && !self.iflag.count_bytes
                    && !self.warned_partial
                    && !self.input_regular
                    && self.level != Level::None;
            }
            let mut len = n;
            if self.conv.sync && len < ibs {
                ibuf.buf()[len..ibs].fill(0);
                len = ibs;
            }
            self.convert(&mut ibuf.buf()[..len]);
            if !self.emit(ibuf.get(len), direct, &mut obuf) {
                return false;
            }
            if warn {
                self.warned_partial = true;
                ibex::msg!(
                    "warning: partial read (",
                    n,
                    " bytes); suggest iflag=fullblock"
                );
            }
        }
        if !obuf.is_empty() {
            let rest = std::mem::take(&mut obuf);
            if !self.write_out(&rest) {
                return false;
            }
        }
        true
    }

    fn emit(&mut self, data: &[u8], direct: bool, obuf: &mut Vec<u8>) -> bool {
        if direct {
            self.write_out(data)
        } else {
            obuf.extend_from_slice(data);
            self.flush_full(obuf)
        }
    }

    /// Write every whole output block waiting in `obuf`.
    fn flush_full(&mut self, obuf: &mut Vec<u8>) -> bool {
        let obs = self.obs;
        let whole = obuf.len() / obs * obs;
        let mut off = 0;
        while off < whole {
            if !self.write_out(&obuf[off..off + obs]) {
                return false;
            }
            off += obs;
        }
        obuf.drain(..whole);
        true
    }
}
