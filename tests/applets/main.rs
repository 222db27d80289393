//! Integration tests: every applet run as users run it, through a symlink.
//! Each area's module builds only with its applets' features, so a
//! `--no-default-features --features ...` build tests just those.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod harness;

#[cfg(feature = "cp")]
mod copy;
#[cfg(feature = "rm")]
mod fileops;
#[cfg(feature = "stat")]
mod info;
#[cfg(feature = "ls")]
mod ls;
#[cfg(all(feature = "echo", feature = "yes"))]
mod multicall;
#[cfg(feature = "sh")]
mod sh;
#[cfg(all(feature = "echo", feature = "yes"))]
mod simple;
#[cfg(feature = "cat")]
mod text;
