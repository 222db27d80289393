//! sleep NUMBER[SUFFIX]...: pause for the sum of the intervals. A number
//! is a C floating constant (fractions, exponents, hex, `inf`/`infinity`)
//! with an optional unit: s seconds (the default), m minutes, h hours,
//! d days. Signals keep their default actions, so any signal that is not
//! ignored ends the sleep.

use ibex::Status;
use ibex::args::{Parser, Spec, missing_operand, usage_error};
use ibex::cformat::strtod;
use std::ffi::OsString;
use std::os::unix::ffi::OsStrExt;

const SPEC: Spec = Spec::new(
    "",
    &[],
    ibex::usage!(
        sleep,
        "sleep NUMBER[SUFFIX]...\n\n\
         Pause for the total of the NUMBERs given, each with an optional suffix\n\
         of (s)econds, (m)inutes, (h)ours or (d)ays"
    ),
);

/// Seconds of one interval, or None if it is not one.
fn interval(arg: &[u8]) -> Option<f64> {
    let p = strtod(arg);
    if p.used == 0 {
        return None;
    }
    let unit = match &arg[p.used..] {
        b"" | b"s" => 1.0,
        b"m" => 60.0,
        b"h" => 3600.0,
        b"d" => 86400.0,
        _ => return None,
    };
    // Negative intervals and NaN are refused (-0 is zero).
    if p.value.is_nan() || p.value < 0.0 {
        return None;
    }
    Some(p.value * unit)
}

pub fn main(argv: &[OsString]) -> Status {
    let mut p = Parser::new(argv, &SPEC);
    while p.next()?.is_some() {}
    let ops = p.operands();
    if ops.is_empty() {
        return Err(missing_operand(&SPEC));
    }
    let mut total = 0.0f64;
    let mut bad = Vec::new();
    for a in &ops {
        match interval(a.as_bytes()) {
            Some(s) => total += s,
            None => bad.push(a.as_bytes()),
        }
    }
    if let Some((last, rest)) = bad.split_last() {
        for b in rest {
            ibex::msg!("invalid time interval '", b, "'");
        }
        return Err(usage_error(
            &SPEC,
            &[b"invalid time interval '", last, b"'"],
        ));
    }
    // In chunks of at most a year, forever for `inf`.
    const CHUNK: f64 = 365.0 * 86400.0;
    let mut left = total;
    while left > 0.0 {
        let chunk = left.min(CHUNK);
        let secs = chunk.floor();
        // Round the nanoseconds up: never pause shorter than asked.
        let nanos = ((chunk - secs) * 1e9).ceil().min(999_999_999.0);
        if let Err(e) = ibex::sys::nanosleep(secs as u64, nanos as u32) {
            ibex::msg!("cannot sleep: ", e);
            return Ok(1);
        }
        if left.is_finite() {
            left -= chunk;
        }
    }
    Ok(0)
}
