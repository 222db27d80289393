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

#[cfg(feature = "arp")]
mod arp;
#[cfg(any(feature = "base32", feature = "base64"))]
mod base64;
#[cfg(feature = "basename")]
mod basename;
#[cfg(feature = "cal")]
mod cal;
#[cfg(feature = "cat")]
mod cat;
#[cfg(feature = "chmod")]
mod chmod;
#[cfg(any(feature = "chgrp", feature = "chown"))]
mod chown;
#[cfg(feature = "chroot")]
mod chroot;
#[cfg(feature = "cksum")]
mod cksum;
#[cfg(feature = "cmp")]
mod cmp;
#[cfg(feature = "comm")]
mod comm;
#[cfg(feature = "cp")]
mod cp;
#[cfg(feature = "cpio")]
mod cpio;
#[cfg(feature = "cut")]
mod cut;
#[cfg(feature = "date")]
mod date;
#[cfg(feature = "dd")]
mod dd;
#[cfg(feature = "depmod")]
mod depmod;
#[cfg(feature = "df")]
mod df;
#[cfg(feature = "diff")]
mod diff;
#[cfg(feature = "dirname")]
mod dirname;
#[cfg(feature = "dmesg")]
mod dmesg;
#[cfg(feature = "du")]
mod du;
#[cfg(feature = "echo")]
mod echo;
#[cfg(feature = "env")]
mod env;
#[cfg(feature = "expand")]
mod expand;
#[cfg(feature = "expr")]
mod expr;
#[cfg(feature = "factor")]
mod factor;
#[cfg(feature = "false")]
mod r#false;
#[cfg(feature = "find")]
mod find;
#[cfg(feature = "fmt")]
mod fmt;
#[cfg(feature = "fold")]
mod fold;
#[cfg(feature = "grep")]
mod grep;
#[cfg(feature = "groups")]
mod groups;
#[cfg(any(feature = "gunzip", feature = "gzip", feature = "zcat"))]
mod gzip;
#[cfg(any(feature = "halt", feature = "poweroff", feature = "reboot"))]
mod halt;
#[cfg(any(
    feature = "md5sum",
    feature = "sha1sum",
    feature = "sha256sum",
    feature = "sha512sum"
))]
mod hashsum;
#[cfg(feature = "head")]
mod head;
#[cfg(feature = "hexdump")]
mod hexdump;
#[cfg(feature = "hostname")]
mod hostname;
#[cfg(feature = "id")]
mod id;
#[cfg(feature = "ifconfig")]
mod ifconfig;
#[cfg(feature = "init")]
mod init;
#[cfg(feature = "insmod")]
mod insmod;
#[cfg(feature = "install")]
mod install;
#[cfg(feature = "ip")]
mod ip;
#[cfg(feature = "join")]
mod join;
#[cfg(feature = "kill")]
mod kill;
#[cfg(feature = "ln")]
mod ln;
#[cfg(feature = "logname")]
mod logname;
#[cfg(feature = "losetup")]
mod losetup;
#[cfg(feature = "ls")]
mod ls;
#[cfg(feature = "lsmod")]
mod lsmod;
#[cfg(feature = "mdev")]
mod mdev;
#[cfg(feature = "mkdir")]
mod mkdir;
#[cfg(feature = "mkfifo")]
mod mkfifo;
#[cfg(feature = "mknod")]
mod mknod;
#[cfg(feature = "mktemp")]
mod mktemp;
#[cfg(feature = "modinfo")]
mod modinfo;
#[cfg(feature = "modprobe")]
mod modprobe;
#[cfg(feature = "mount")]
mod mount;
#[cfg(feature = "mountpoint")]
mod mountpoint;
#[cfg(feature = "mv")]
mod mv;
#[cfg(feature = "nc")]
mod nc;
#[cfg(feature = "netstat")]
mod netstat;
#[cfg(feature = "nice")]
mod nice;
#[cfg(feature = "nl")]
mod nl;
#[cfg(feature = "nohup")]
mod nohup;
#[cfg(feature = "nproc")]
mod nproc;
#[cfg(feature = "nslookup")]
mod nslookup;
#[cfg(feature = "od")]
mod od;
#[cfg(feature = "paste")]
mod paste;
#[cfg(feature = "patch")]
mod patch;
#[cfg(feature = "ping")]
mod ping;
#[cfg(feature = "pivot_root")]
mod pivot_root;
#[cfg(feature = "printf")]
mod printf;
#[cfg(feature = "pwd")]
mod pwd;
#[cfg(feature = "readlink")]
mod readlink;
#[cfg(feature = "realpath")]
mod realpath;
#[cfg(feature = "rev")]
mod rev;
#[cfg(feature = "rm")]
mod rm;
#[cfg(feature = "rmdir")]
mod rmdir;
#[cfg(feature = "rmmod")]
mod rmmod;
#[cfg(feature = "route")]
mod route;
#[cfg(feature = "sed")]
mod sed;
#[cfg(feature = "seq")]
mod seq;
#[cfg(feature = "sh")]
mod sh;
#[cfg(feature = "shuf")]
mod shuf;
#[cfg(feature = "sleep")]
mod sleep;
#[cfg(feature = "sort")]
mod sort;
#[cfg(feature = "split")]
mod split;
#[cfg(feature = "stat")]
mod stat;
#[cfg(feature = "strings")]
mod strings;
#[cfg(feature = "switch_root")]
mod switch_root;
#[cfg(feature = "sync")]
mod sync;
#[cfg(feature = "sysctl")]
mod sysctl;
#[cfg(feature = "tac")]
mod tac;
#[cfg(feature = "tail")]
mod tail;
#[cfg(feature = "tee")]
mod tee;
#[cfg(feature = "test")]
mod test;
#[cfg(feature = "timeout")]
mod timeout;
#[cfg(feature = "touch")]
mod touch;
#[cfg(feature = "tr")]
mod tr;
#[cfg(feature = "true")]
mod r#true;
#[cfg(feature = "truncate")]
mod truncate;
#[cfg(feature = "tty")]
mod tty;
#[cfg(feature = "umount")]
mod umount;
#[cfg(feature = "uname")]
mod uname;
#[cfg(feature = "unexpand")]
mod unexpand;
#[cfg(feature = "uniq")]
mod uniq;
#[cfg(feature = "wc")]
mod wc;
#[cfg(feature = "wget")]
mod wget;
#[cfg(feature = "which")]
mod which;
#[cfg(feature = "whoami")]
mod whoami;
#[cfg(feature = "xargs")]
mod xargs;
#[cfg(feature = "xxd")]
mod xxd;
#[cfg(feature = "yes")]
mod yes;

pub static APPLETS: &[Applet] = &[
    #[cfg(feature = "test")]
    a("[", test::main, UsrBin),
    #[cfg(feature = "test")]
    a("[[", test::main, UsrBin),
    #[cfg(feature = "arp")]
    a("arp", arp::main, Sbin),
    // Alpine scripts start with #!/bin/ash.
    #[cfg(feature = "sh")]
    a("ash", sh::main, Bin),
    #[cfg(feature = "base32")]
    a("base32", base64::base32, Bin),
    #[cfg(feature = "base64")]
    a("base64", base64::main, Bin),
    #[cfg(feature = "basename")]
    a("basename", basename::main, UsrBin),
    #[cfg(feature = "cal")]
    a("cal", cal::main, UsrBin),
    #[cfg(feature = "cat")]
    a("cat", cat::main, Bin),
    #[cfg(feature = "chgrp")]
    a("chgrp", chown::chgrp, Bin),
    #[cfg(feature = "chmod")]
    a("chmod", chmod::main, Bin),
    #[cfg(feature = "chown")]
    a("chown", chown::main, Bin),
    #[cfg(feature = "chroot")]
    a("chroot", chroot::main, UsrSbin),
    #[cfg(feature = "cksum")]
    a("cksum", cksum::main, UsrBin),
    #[cfg(feature = "cmp")]
    a("cmp", cmp::main, UsrBin),
    #[cfg(feature = "comm")]
    a("comm", comm::main, UsrBin),
    #[cfg(feature = "cp")]
    a("cp", cp::main, Bin),
    #[cfg(feature = "cpio")]
    a("cpio", cpio::main, Bin),
    #[cfg(feature = "cut")]
    a("cut", cut::main, UsrBin),
    #[cfg(feature = "date")]
    a("date", date::main, Bin),
    #[cfg(feature = "dd")]
    a("dd", dd::main, Bin),
    #[cfg(feature = "depmod")]
    a("depmod", depmod::main, Sbin),
    #[cfg(feature = "df")]
    a("df", df::main, Bin),
    #[cfg(feature = "diff")]
    a("diff", diff::main, UsrBin),
    #[cfg(feature = "dirname")]
    a("dirname", dirname::main, UsrBin),
    #[cfg(feature = "dmesg")]
    a("dmesg", dmesg::main, Bin),
    #[cfg(feature = "du")]
    a("du", du::main, UsrBin),
    #[cfg(feature = "echo")]
    a("echo", echo::main, Bin),
    #[cfg(feature = "grep")]
    a("egrep", grep::main, Bin),
    #[cfg(feature = "env")]
    a("env", env::main, UsrBin),
    #[cfg(feature = "expand")]
    a("expand", expand::main, UsrBin),
    #[cfg(feature = "expr")]
    a("expr", expr::main, UsrBin),
    #[cfg(feature = "factor")]
    a("factor", factor::main, UsrBin),
    #[cfg(feature = "false")]
    a("false", r#false::main, Bin),
    #[cfg(feature = "grep")]
    a("fgrep", grep::main, Bin),
    #[cfg(feature = "find")]
    a("find", find::main, UsrBin),
    #[cfg(feature = "fmt")]
    a("fmt", fmt::main, UsrBin),
    #[cfg(feature = "fold")]
    a("fold", fold::main, UsrBin),
    #[cfg(feature = "grep")]
    a("grep", grep::main, Bin),
    #[cfg(feature = "groups")]
    a("groups", groups::main, UsrBin),
    #[cfg(feature = "gunzip")]
    a("gunzip", gzip::gunzip, Bin),
    #[cfg(feature = "gzip")]
    a("gzip", gzip::main, Bin),
    #[cfg(feature = "halt")]
    a("halt", halt::main, Sbin),
    #[cfg(feature = "head")]
    a("head", head::main, UsrBin),
    #[cfg(feature = "hexdump")]
    a("hexdump", hexdump::main, UsrBin),
    #[cfg(feature = "hostname")]
    a("hostname", hostname::main, Bin),
    #[cfg(feature = "id")]
    a("id", id::main, UsrBin),
    #[cfg(feature = "ifconfig")]
    a("ifconfig", ifconfig::main, Sbin),
    #[cfg(feature = "init")]
    a("init", init::main, Sbin),
    #[cfg(feature = "insmod")]
    a("insmod", insmod::main, Sbin),
    #[cfg(feature = "install")]
    a("install", install::main, UsrBin),
    #[cfg(feature = "ip")]
    a("ip", ip::main, Sbin),
    #[cfg(feature = "join")]
    a("join", join::main, UsrBin),
    #[cfg(feature = "kill")]
    a("kill", kill::main, Bin),
    #[cfg(feature = "ln")]
    a("ln", ln::main, Bin),
    #[cfg(feature = "logname")]
    a("logname", logname::main, UsrBin),
    #[cfg(feature = "losetup")]
    a("losetup", losetup::main, Sbin),
    #[cfg(feature = "ls")]
    a("ls", ls::main, Bin),
    #[cfg(feature = "lsmod")]
    a("lsmod", lsmod::main, Sbin),
    #[cfg(feature = "md5sum")]
    a("md5sum", hashsum::main, UsrBin),
    #[cfg(feature = "mdev")]
    a("mdev", mdev::main, Sbin),
    #[cfg(feature = "mkdir")]
    a("mkdir", mkdir::main, Bin),
    #[cfg(feature = "mkfifo")]
    a("mkfifo", mkfifo::main, UsrBin),
    #[cfg(feature = "mknod")]
    a("mknod", mknod::main, Bin),
    #[cfg(feature = "mktemp")]
    a("mktemp", mktemp::main, Bin),
    #[cfg(feature = "modinfo")]
    a("modinfo", modinfo::main, Sbin),
    #[cfg(feature = "modprobe")]
    a("modprobe", modprobe::main, Sbin),
    #[cfg(feature = "mount")]
    a("mount", mount::main, Bin),
    #[cfg(feature = "mountpoint")]
    a("mountpoint", mountpoint::main, Bin),
    #[cfg(feature = "mv")]
    a("mv", mv::main, Bin),
    #[cfg(feature = "nc")]
    a("nc", nc::main, UsrBin),
    #[cfg(feature = "netstat")]
    a("netstat", netstat::main, Bin),
    #[cfg(feature = "nice")]
    a("nice", nice::main, Bin),
    #[cfg(feature = "nl")]
    a("nl", nl::main, UsrBin),
    #[cfg(feature = "nohup")]
    a("nohup", nohup::main, UsrBin),
    #[cfg(feature = "nproc")]
    a("nproc", nproc::main, UsrBin),
    #[cfg(feature = "nslookup")]
    a("nslookup", nslookup::main, UsrBin),
    #[cfg(feature = "od")]
    a("od", od::main, UsrBin),
    #[cfg(feature = "paste")]
    a("paste", paste::main, UsrBin),
    #[cfg(feature = "patch")]
    a("patch", patch::main, UsrBin),
    #[cfg(feature = "ping")]
    a("ping", ping::main, Bin),
    #[cfg(feature = "pivot_root")]
    a("pivot_root", pivot_root::main, Sbin),
    #[cfg(feature = "poweroff")]
    a("poweroff", halt::main, Sbin),
    #[cfg(feature = "printf")]
    a("printf", printf::main, UsrBin),
    #[cfg(feature = "pwd")]
    a("pwd", pwd::main, Bin),
    #[cfg(feature = "readlink")]
    a("readlink", readlink::main, Bin),
    #[cfg(feature = "realpath")]
    a("realpath", realpath::main, UsrBin),
    #[cfg(feature = "reboot")]
    a("reboot", halt::main, Sbin),
    #[cfg(feature = "rev")]
    a("rev", rev::main, Bin),
    #[cfg(feature = "rm")]
    a("rm", rm::main, Bin),
    #[cfg(feature = "rmdir")]
    a("rmdir", rmdir::main, Bin),
    #[cfg(feature = "rmmod")]
    a("rmmod", rmmod::main, Sbin),
    #[cfg(feature = "route")]
    a("route", route::main, Sbin),
    #[cfg(feature = "sed")]
    a("sed", sed::main, Bin),
    #[cfg(feature = "seq")]
    a("seq", seq::main, UsrBin),
    #[cfg(feature = "sh")]
    a("sh", sh::main, Bin),
    #[cfg(feature = "sha1sum")]
    a("sha1sum", hashsum::main, UsrBin),
    #[cfg(feature = "sha256sum")]
    a("sha256sum", hashsum::main, UsrBin),
    #[cfg(feature = "sha512sum")]
    a("sha512sum", hashsum::main, UsrBin),
    #[cfg(feature = "shuf")]
    a("shuf", shuf::main, UsrBin),
    #[cfg(feature = "sleep")]
    a("sleep", sleep::main, Bin),
    #[cfg(feature = "sort")]
    a("sort", sort::main, UsrBin),
    #[cfg(feature = "split")]
    a("split", split::main, UsrBin),
    #[cfg(feature = "stat")]
    a("stat", stat::main, Bin),
    #[cfg(feature = "strings")]
    a("strings", strings::main, UsrBin),
    #[cfg(feature = "switch_root")]
    a("switch_root", switch_root::main, Sbin),
    #[cfg(feature = "sync")]
    a("sync", sync::main, Bin),
    #[cfg(feature = "sysctl")]
    a("sysctl", sysctl::main, Sbin),
    #[cfg(feature = "tac")]
    a("tac", tac::main, UsrBin),
    #[cfg(feature = "tail")]
    a("tail", tail::main, UsrBin),
    #[cfg(feature = "tee")]
    a("tee", tee::main, UsrBin),
    #[cfg(feature = "test")]
    a("test", test::main, UsrBin),
    #[cfg(feature = "timeout")]
    a("timeout", timeout::main, UsrBin),
    #[cfg(feature = "touch")]
    a("touch", touch::main, Bin),
    #[cfg(feature = "tr")]
    a("tr", tr::main, UsrBin),
    #[cfg(feature = "true")]
    a("true", r#true::main, Bin),
    #[cfg(feature = "truncate")]
    a("truncate", truncate::main, UsrBin),
    #[cfg(feature = "tty")]
    a("tty", tty::main, UsrBin),
    #[cfg(feature = "umount")]
    a("umount", umount::main, Bin),
    #[cfg(feature = "uname")]
    a("uname", uname::main, Bin),
    #[cfg(feature = "unexpand")]
    a("unexpand", unexpand::main, UsrBin),
    #[cfg(feature = "uniq")]
    a("uniq", uniq::main, UsrBin),
    #[cfg(feature = "wc")]
    a("wc", wc::main, UsrBin),
    #[cfg(feature = "wget")]
    a("wget", wget::main, UsrBin),
    #[cfg(feature = "which")]
    a("which", which::main, UsrBin),
    #[cfg(feature = "whoami")]
    a("whoami", whoami::main, UsrBin),
    #[cfg(feature = "xargs")]
    a("xargs", xargs::main, UsrBin),
    #[cfg(feature = "xxd")]
    a("xxd", xxd::main, UsrBin),
    #[cfg(feature = "yes")]
    a("yes", yes::main, UsrBin),
    #[cfg(feature = "zcat")]
    a("zcat", gzip::zcat, Bin),
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
