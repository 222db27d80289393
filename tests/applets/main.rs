//! Integration tests: every applet run as users run it, through a symlink.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod harness;

mod multicall;
mod simple;
