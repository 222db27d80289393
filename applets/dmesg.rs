//! dmesg: print or control the kernel ring buffer through syslog(2), as
//! BusyBox's dmesg: `<N>` level prefixes removed unless -r; -c reads and
//! clears, -C clears, -n sets the console level, -s the buffer size.

use ibex::Status;
use ibex::args::{Parser, Spec, flag, value};
use ibex::io::Out;
use ibex::sys;
use std::ffi::OsString;
use std::os::unix::ffi::OsStrExt;

const LONGS: &[ibex::args::Long] = &[
    flag("read-clear", 'c' as u32),
    flag("clear", 'C' as u32),
    value("console-level", 'n' as u32),
    flag("raw", 'r' as u32),
    value("buffer-size", 's' as u32),
];

const USAGE: ibex::usage::Usage = ibex::usage!(
    dmesg,
    "dmesg [-cCr] [-n LEVEL] [-s SIZE]

Print or control the kernel ring buffer

\t-c\tClear the buffer after printing
\t-C\tClear the buffer, print nothing
\t-n LEVEL\tSet the console logging level (1-8, or emerg..debug)
\t-s SIZE\tBuffer size to read (at least 16K)
\t-r\tPrint raw messages, with their <N> level prefixes"
);

const SPEC: Spec = Spec::new("cCn:rs:", LONGS, USAGE);

const LEVELS: [&str; 8] = [
    "emerg", "alert", "crit", "err", "warn", "notice", "info", "debug",
];

pub fn main(argv: &[OsString]) -> Status {
    let mut p = Parser::new(argv, &SPEC);
    let (mut clear_after, mut clear, mut raw) = (false, false, false);
    let mut level: Option<i32> = None;
    let mut size: Option<usize> = None;
    while let Some((id, v)) = p.next()? {
        let val = v.map(|v| v.as_bytes()).unwrap_or_default();
        match char::from_u32(id) {
            Some('c') => clear_after = true,
            Some('C') => clear = true,
            Some('r') => raw = true,
            Some('n') => {
                let n = ibex::num::parse_u64(val)
                    .ok()
                    .filter(|n| (1..=8).contains(n))
                    .map(|n| n as i32)
                    .or_else(|| {
                        LEVELS
                            .iter()
                            .position(|l| l.as_bytes() == val)
                            .map(|i| i as i32 + 1)
                    });
                match n {
                    Some(n) => level = Some(n),
                    None => {
                        ibex::msg!("invalid number '", val, "'");
                        return Ok(1);
                    }
                }
            }
            Some('s') => match ibex::num::parse_size(val) {
                Ok(n) if n > 0 => size = Some(n.min(1 << 30) as usize),
                _ => {
                    ibex::msg!("invalid number '", val, "'");
                    return Ok(1);
                }
            },
            _ => {}
        }
    }
    if !p.operands().is_empty() {
        return Err(ibex::args::usage_error(&SPEC, &[b"too many arguments"]));
    }
    if let Some(n) = level {
        return match sys::klogctl(sys::SYSLOG_CONSOLE_LEVEL, n) {
            Ok(_) => Ok(0),
            Err(e) => Err(ibex::io::fail("klogctl", &e)),
        };
    }
    if clear {
        return match sys::klogctl(sys::SYSLOG_CLEAR, 0) {
            Ok(_) => Ok(0),
            Err(e) => Err(ibex::io::fail("klogctl", &e)),
        };
    }
    // As BusyBox: at least 16 KiB (a smaller read could hold no record).
    let len = size
        .unwrap_or_else(|| {
            sys::klogctl(sys::SYSLOG_SIZE_BUFFER, 0)
                .ok()
                .filter(|&n| n > 0)
                .unwrap_or(0)
        })
        .max(16 * 1024);
    let mut buf = vec![0u8; len];
    let action = if clear_after {
        sys::SYSLOG_READ_CLEAR
    } else {
        sys::SYSLOG_READ_ALL
    };
    let n = match sys::klogctl_read(action, &mut buf) {
        Ok(n) => n.min(buf.len()),
        Err(e) => return Err(ibex::io::fail("klogctl", &e)),
    };
    let text = &buf[..n];
    let mut out = Out::stdout();
    if raw {
        out.write(text);
    } else {
        for line in text.split_inclusive(|&c| c == b'\n') {
            out.write(strip_level(line));
        }
    }
    if !text.is_empty() && !text.ends_with(b"\n") {
        out.byte(b'\n');
    }
    out.done(0)
}

/// A line without its `<N>` (or `<NN>`, facility and level) prefix.
fn strip_level(line: &[u8]) -> &[u8] {
    if line.first() == Some(&b'<')
        && let Some(end) = line.iter().take(6).position(|&c| c == b'>')
        && end > 1
        && line[1..end].iter().all(u8::is_ascii_digit)
    {
        return &line[end + 1..];
    }
    line
}
