//! Integration tests: every applet run as users run it, through a symlink.
//! Each area's module builds only with its applets' features, so a
//! `--no-default-features --features ...` build tests just those.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod harness;

#[cfg(feature = "cpio")]
mod archive;
#[cfg(feature = "od")]
mod binary;
#[cfg(feature = "cp")]
mod copy;
#[cfg(feature = "rm")]
mod fileops;
#[cfg(feature = "find")]
mod find;
#[cfg(feature = "stat")]
mod info;
#[cfg(feature = "init")]
mod init;
#[cfg(feature = "ls")]
mod ls;
#[cfg(feature = "date")]
mod misc2;
#[cfg(feature = "modprobe")]
mod modules;
#[cfg(feature = "mount")]
mod mount;
#[cfg(all(feature = "echo", feature = "yes"))]
mod multicall;
#[cfg(feature = "ip")]
mod net;
#[cfg(feature = "ping")]
mod nettools;
#[cfg(feature = "seq")]
mod numbers;
#[cfg(feature = "grep")]
mod regex;
#[cfg(feature = "sed")]
mod sed;
#[cfg(feature = "sh")]
mod sh;
#[cfg(feature = "sh")]
mod shcpu;
#[cfg(feature = "sh")]
mod shspawn;
#[cfg(all(feature = "echo", feature = "yes"))]
mod simple;
#[cfg(feature = "sort")]
mod sort;
#[cfg(feature = "cat")]
mod text;
#[cfg(feature = "cut")]
mod textb;
#[cfg(feature = "expr")]
mod textfin;
