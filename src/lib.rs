//! The ibex common library: everything applets share. Applets live in
//! `applets/` and use only this library, never each other.
#![deny(unsafe_code)]

pub mod alloc;
pub mod args;
pub mod canon;
pub mod cformat;
pub mod copy;
pub mod datetime;
pub mod error;
pub mod escape;
pub mod fnmatch;
pub mod glob;
pub mod human;
pub mod io;
pub mod mode;
pub mod mounts;
pub mod num;
pub mod path;
pub mod sys;
pub mod testexpr;
pub mod time;
pub mod users;
pub mod walk;

pub use error::{Exit, Status};

/// The ibex version, printed by `ibex --version` and `ibex --help`.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
pub mod baseenc;
pub mod blkid;
pub mod deflate;
pub mod difflib;
pub mod dns;
pub mod dump;
pub mod fields;
pub mod fstab;
pub mod hash;
pub mod ids;
pub mod inet;
pub mod ioerr;
pub mod kmod;
pub mod loopdev;
pub mod netlink;
pub mod order;
pub mod put;
pub mod records;
pub mod regex;
pub mod signame;
pub mod tabs;
pub mod usage;
