//! nproc: print the number of processing units available to the process.
//! `--all` counts the installed ones; `--ignore=N` subtracts N (at least 1
//! stays). Without `--all`, OMP_NUM_THREADS overrides the count and
//! OMP_THREAD_LIMIT caps it, as GNU does.

use ibex::Status;
use ibex::args::{Parser, Spec, flag, usage_error, value};
use ibex::io::Out;
use ibex::sys;
use std::ffi::OsString;
use std::os::unix::ffi::OsStrExt;

const SPEC: Spec = Spec::new(
    "",
    &[flag("all", 256), value("ignore", 257)],
    ibex::usage!(
        nproc,
        "nproc [--all] [--ignore=N]\n\n\
         Print number of available CPUs\n\n\
         \t--all\t\tNumber of installed CPUs\n\
         \t--ignore=N\tExclude N CPUs"
    ),
);

/// An OpenMP thread count: blanks, digits, blanks, then the end or a
/// comma (the first of a list). 0 when not of that form.
fn omp(var: &str) -> u64 {
    let Some(v) = std::env::var_os(var) else {
        return 0;
    };
    let s = ibex::num::trim_start(v.as_bytes());
    let n = s.iter().take_while(|c| c.is_ascii_digit()).count();
    let rest = ibex::num::trim_start(&s[n..]);
    if n == 0 || !(rest.is_empty() || rest[0] == b',') {
        return 0;
    }
    ibex::num::parse_u64(&s[..n]).unwrap_or(0)
}

pub fn main(argv: &[OsString]) -> Status {
    let mut all = false;
    let mut ignore = 0u64;
    let mut p = Parser::new(argv, &SPEC);
    while let Some((id, val)) = p.next()? {
        match id {
            256 => all = true,
            _ => {
                let v = val.map_or(&b""[..], |v| v.as_bytes());
                match ibex::num::parse_u64(ibex::num::trim_start(v)) {
                    Ok(n) => ignore = n,
                    Err(e) => {
                        let q = ibex::records::cquote(v);
                        if e == ibex::num::NumError::Range {
                            ibex::msg!(
                                "invalid number: ",
                                q,
                                ": Value too large for defined data type"
                            );
                        } else {
                            ibex::msg!("invalid number: ", q);
                        }
                        return Ok(1);
                    }
                }
            }
        }
    }
    if let Some(extra) = p.operands().first() {
        let q = ibex::records::cquote(extra.as_bytes());
        return Err(usage_error(&SPEC, &[b"extra operand ", &q]));
    }
    let n = if all {
        sys::sysconf_cpus(true).unwrap_or(1)
    } else {
        let limit = match omp("OMP_THREAD_LIMIT") {
            0 => u64::MAX,
            l => l,
        };
        let threads = match omp("OMP_NUM_THREADS") {
            0 => sys::affinity_cpus()
                .or_else(|| sys::sysconf_cpus(false))
                .unwrap_or(1),
            t => t,
        };
        threads.min(limit)
    };
    let mut out = Out::stdout();
    out.num(n.saturating_sub(ignore).max(1));
    out.byte(b'\n');
    out.done(0)
}
