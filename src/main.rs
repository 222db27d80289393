//! The ibex multicall entry point: the applet is the basename of argv[0]
//! (`ibex APPLET ARGS…` also works); `ibex --help`, `--list`,
//! `--list-full`, `--install [-s] DIR` and `--version` manage the binary.
#![forbid(unsafe_code)]

#[path = "../applets/mod.rs"]
mod applets;
mod multi;

use std::ffi::OsString;

/// Size-class allocator in front of musl's malloc (see src/alloc.rs).
#[global_allocator]
static ALLOC: ibex::alloc::Alloc = ibex::alloc::Alloc::new();
use std::os::unix::ffi::OsStrExt;

fn main() {
    // Rust ignores SIGPIPE by default; a userland must die of it quietly
    // (`yes | head -1`).
    ibex::sys::signal_default(ibex::sys::SIGPIPE);
    let argv: Vec<OsString> = std::env::args_os().collect();
    std::process::exit(dispatch(argv));
}

fn dispatch(mut argv: Vec<OsString>) -> i32 {
    let invoked = argv.first().map(|a| a.as_bytes()).unwrap_or(b"ibex");
    let mut name = ibex::path::basename(invoked);
    // Login shells are started as "-sh".
    if let Some(rest) = name.strip_prefix(b"-") {
        name = rest;
    }
    // Called as "busybox" too: scripts written for BusyBox run
    // `busybox APPLET` and `busybox --install -s` directly.
    if name.starts_with(b"ibex") || name == b"busybox" {
        if name == b"busybox" {
            ibex::args::set_called_as_busybox();
        }
        if argv.len() < 2 || argv[1].as_bytes().starts_with(b"-") {
            return multi::main(&argv);
        }
        argv.remove(0);
        return dispatch(argv);
    }
    match applets::find(name) {
        Some(applet) => applets::run(applet, &argv),
        None => {
            ibex::msg!("applet not found: ", name);
            127
        }
    }
}
