//! echo: write arguments separated by spaces. `-n` no newline, `-e`
//! interpret escapes, `-E` don't (the default). An argument is an option
//! only if it is made of those letters alone; `--help` is not special.

use ibex::Status;
use ibex::io::Out;
use std::ffi::OsString;
use std::os::unix::ffi::OsStrExt;

pub fn main(argv: &[OsString]) -> Status {
    let args: Vec<&[u8]> = argv.iter().skip(1).map(|a| a.as_bytes()).collect();
    let mut text = Vec::new();
    ibex::escape::echo(&args, &mut text);
    let mut out = Out::stdout();
    out.write(&text);
    out.done(0)
}
