//! false: do nothing, unsuccessfully (arguments are ignored).

use ibex::Status;
use std::ffi::OsString;

pub fn main(_argv: &[OsString]) -> Status {
    Ok(1)
}
