//! The registry: every applet, the directory it installs into, and the cargo
//! feature that builds it. Kept sorted by name (a unit test checks).

use ibex::Status;
use std::ffi::OsString;

pub type Main = fn(&[OsString]) -> Status;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[allow(dead_code)] // some directories are used only by some feature sets
pub enum Dir {
    Bin,
    Sbin,
    UsrBin,
    UsrSbin,
}

impl Dir {
    pub fn path(self) -> &'static str {
        match self {
            Dir::Bin => "bin",
            Dir::Sbin => "sbin",
            Dir::UsrBin => "usr/bin",
            Dir::UsrSbin => "usr/sbin",
        }
    }
}

pub struct Applet {
    pub name: &'static str,
    pub main: Main,
    pub dir: Dir,
}

const fn a(name: &'static str, main: Main, dir: Dir) -> Applet {
    Applet { name, main, dir }
}

use Dir::*;

#[cfg(feature = "echo")]
mod echo;
#[cfg(feature = "false")]
mod r#false;
#[cfg(feature = "true")]
mod r#true;
#[cfg(feature = "yes")]
mod yes;

pub static APPLETS: &[Applet] = &[
    #[cfg(feature = "echo")]
    a("echo", echo::main, Bin),
    #[cfg(feature = "false")]
    a("false", r#false::main, Bin),
    #[cfg(feature = "true")]
    a("true", r#true::main, Bin),
    #[cfg(feature = "yes")]
    a("yes", yes::main, UsrBin),
];

pub fn find(name: &[u8]) -> Option<&'static Applet> {
    APPLETS
        .binary_search_by(|a| a.name.as_bytes().cmp(name))
        .ok()
        .and_then(|i| APPLETS.get(i))
}

/// Run an applet and flush what it left; its messages carry its name.
pub fn run(applet: &'static Applet, argv: &[OsString]) -> i32 {
    ibex::error::set_applet(applet.name);
    ibex::args::status_code((applet.main)(argv))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registry_is_sorted_and_unique() {
        for w in APPLETS.windows(2) {
            assert!(w[0].name < w[1].name, "{} before {}", w[0].name, w[1].name);
        }
    }

    #[test]
    fn find_every_applet() {
        for a in APPLETS {
            assert_eq!(find(a.name.as_bytes()).map(|f| f.name), Some(a.name));
        }
        assert!(find(b"no-such-applet").is_none());
    }
}
