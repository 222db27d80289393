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

#[cfg(feature = "basename")]
mod basename;
#[cfg(feature = "cat")]
mod cat;
#[cfg(feature = "chmod")]
mod chmod;
#[cfg(any(feature = "chgrp", feature = "chown"))]
mod chown;
#[cfg(feature = "cp")]
mod cp;
#[cfg(feature = "df")]
mod df;
#[cfg(feature = "dirname")]
mod dirname;
#[cfg(feature = "du")]
mod du;
#[cfg(feature = "echo")]
mod echo;
#[cfg(feature = "env")]
mod env;
#[cfg(feature = "false")]
mod r#false;
#[cfg(feature = "head")]
mod head;
#[cfg(feature = "install")]
mod install;
#[cfg(feature = "ln")]
mod ln;
#[cfg(feature = "ls")]
mod ls;
#[cfg(feature = "mkdir")]
mod mkdir;
#[cfg(feature = "mkfifo")]
mod mkfifo;
#[cfg(feature = "mknod")]
mod mknod;
#[cfg(feature = "mktemp")]
mod mktemp;
#[cfg(feature = "mv")]
mod mv;
#[cfg(feature = "printf")]
mod printf;
#[cfg(feature = "pwd")]
mod pwd;
#[cfg(feature = "readlink")]
mod readlink;
#[cfg(feature = "realpath")]
mod realpath;
#[cfg(feature = "rm")]
mod rm;
#[cfg(feature = "rmdir")]
mod rmdir;
#[cfg(feature = "sh")]
mod sh;
#[cfg(feature = "sleep")]
mod sleep;
#[cfg(feature = "stat")]
mod stat;
#[cfg(feature = "sync")]
mod sync;
#[cfg(feature = "tail")]
mod tail;
#[cfg(feature = "test")]
mod test;
#[cfg(feature = "touch")]
mod touch;
#[cfg(feature = "true")]
mod r#true;
#[cfg(feature = "uname")]
mod uname;
#[cfg(feature = "wc")]
mod wc;
#[cfg(feature = "yes")]
mod yes;

pub static APPLETS: &[Applet] = &[
    #[cfg(feature = "test")]
    a("[", test::main, UsrBin),
    #[cfg(feature = "test")]
    a("[[", test::main, UsrBin),
    #[cfg(feature = "sh")]
    a("ash", sh::main, Bin),
    #[cfg(feature = "basename")]
    a("basename", basename::main, UsrBin),
    #[cfg(feature = "cat")]
    a("cat", cat::main, Bin),
    #[cfg(feature = "chgrp")]
    a("chgrp", chown::chgrp, Bin),
    #[cfg(feature = "chmod")]
    a("chmod", chmod::main, Bin),
    #[cfg(feature = "chown")]
    a("chown", chown::main, Bin),
    #[cfg(feature = "cp")]
    a("cp", cp::main, Bin),
    #[cfg(feature = "df")]
    a("df", df::main, Bin),
    #[cfg(feature = "dirname")]
    a("dirname", dirname::main, UsrBin),
    #[cfg(feature = "du")]
    a("du", du::main, UsrBin),
    #[cfg(feature = "echo")]
    a("echo", echo::main, Bin),
    #[cfg(feature = "env")]
    a("env", env::main, UsrBin),
    #[cfg(feature = "false")]
    a("false", r#false::main, Bin),
    #[cfg(feature = "head")]
    a("head", head::main, UsrBin),
    #[cfg(feature = "install")]
    a("install", install::main, UsrBin),
    #[cfg(feature = "ln")]
    a("ln", ln::main, Bin),
    #[cfg(feature = "ls")]
    a("ls", ls::main, Bin),
    #[cfg(feature = "mkdir")]
    a("mkdir", mkdir::main, Bin),
    #[cfg(feature = "mkfifo")]
    a("mkfifo", mkfifo::main, UsrBin),
    #[cfg(feature = "mknod")]
    a("mknod", mknod::main, Bin),
    #[cfg(feature = "mktemp")]
    a("mktemp", mktemp::main, Bin),
    #[cfg(feature = "mv")]
    a("mv", mv::main, Bin),
    #[cfg(feature = "printf")]
    a("printf", printf::main, UsrBin),
    #[cfg(feature = "pwd")]
    a("pwd", pwd::main, Bin),
    #[cfg(feature = "readlink")]
    a("readlink", readlink::main, Bin),
    #[cfg(feature = "realpath")]
    a("realpath", realpath::main, UsrBin),
    #[cfg(feature = "rm")]
    a("rm", rm::main, Bin),
    #[cfg(feature = "rmdir")]
    a("rmdir", rmdir::main, Bin),
    #[cfg(feature = "sh")]
    a("sh", sh::main, Bin),
    #[cfg(feature = "sleep")]
    a("sleep", sleep::main, Bin),
    #[cfg(feature = "stat")]
    a("stat", stat::main, Bin),
    #[cfg(feature = "sync")]
    a("sync", sync::main, Bin),
    #[cfg(feature = "tail")]
    a("tail", tail::main, UsrBin),
    #[cfg(feature = "test")]
    a("test", test::main, UsrBin),
    #[cfg(feature = "touch")]
    a("touch", touch::main, Bin),
    #[cfg(feature = "true")]
    a("true", r#true::main, Bin),
    #[cfg(feature = "uname")]
    a("uname", uname::main, Bin),
    #[cfg(feature = "wc")]
    a("wc", wc::main, UsrBin),
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
