//! insmod, rmmod, lsmod, modinfo, depmod, modprobe against fake module
//! trees of generated ELF objects. Nothing here loads or unloads a module:
//! modprobe runs with -n/-D/-R/-c, and insmod/rmmod only on paths that
//! fail before the system call.

use crate::harness::*;

trait Both {
    /// Expect this status, stdout and stderr.
    fn expect_err(self, code: i32, out: &str, err: &str);
}

impl Both for Run {
    fn expect_err(self, code: i32, out: &str, err: &str) {
        self.go().expect(code, out.as_bytes(), err.as_bytes());
    }
}

/// A minimal ELF relocatable object whose `.modinfo` section holds
/// `entries` (NUL-terminated). 64-bit little-endian, or 32-bit big-endian.
fn elf(entries: &[&str], wide: bool) -> Vec<u8> {
    let mut info = Vec::new();
    for e in entries {
        info.extend_from_slice(e.as_bytes());
        info.push(0);
    }
    let shstr = b"\0.modinfo\0.shstrtab\0".to_vec();
    let (ehsize, shentsize) = if wide { (64usize, 64usize) } else { (52, 40) };
    let info_off = ehsize;
    let str_off = info_off + info.len();
    let shoff = str_off + shstr.len();
    let mut f = vec![0u8; ehsize];
    f[..4].copy_from_slice(b"\x7fELF");
    f[4] = if wide { 2 } else { 1 };
    f[5] = if wide { 1 } else { 2 };
    f[6] = 1;
    let put = |f: &mut Vec<u8>, off: usize, len: usize, v: u64| {
        for i in 0..len {
            let shift = if wide { i } else { len - 1 - i } * 8;
            f[off + i] = (v >> shift) as u8;
        }
    };
    put(&mut f, 16, 2, 1); // ET_REL
    put(&mut f, 18, 2, if wide { 62 } else { 8 });
    put(&mut f, 20, 4, 1);
    if wide {
        put(&mut f, 40, 8, shoff as u64);
        put(&mut f, 52, 2, 64);
        put(&mut f, 58, 2, 64);
        put(&mut f, 60, 2, 3);
        put(&mut f, 62, 2, 2);
    } else {
        put(&mut f, 32, 4, shoff as u64);
        put(&mut f, 40, 2, 52);
        put(&mut f, 46, 2, 40);
        put(&mut f, 48, 2, 3);
        put(&mut f, 50, 2, 2);
    }
    f.extend_from_slice(&info);
    f.extend_from_slice(&shstr);
    // Section headers: null, .modinfo (name 1), .shstrtab (name 10).
    for (name, kind, off, size) in [
        (0, 0, 0, 0),
        (1, 1, info_off, info.len()),
        (10, 3, str_off, shstr.len()),
    ] {
        let h = f.len();
        f.resize(h + shentsize, 0);
        put(&mut f, h, 4, name);
        put(&mut f, h + 4, 4, kind);
        if wide {
            put(&mut f, h + 24, 8, off as u64);
            put(&mut f, h + 32, 8, size as u64);
        } else {
            put(&mut f, h + 16, 4, off as u64);
            put(&mut f, h + 20, 4, size as u64);
        }
    }
    f
}

const MODDIR: &str = "lib/modules/1.0";

/// A tree: a -> b -> c, e -> c,b, d-x (softdep pre: c), extra/f (32-bit
/// big-endian), a non-module bad.ko, and a modules.order.
fn tree() -> Dir {
    let d = Dir::new();
    let m = |rel: &str, entries: &[&str]| {
        d.write(&format!("{MODDIR}/{rel}"), elf(entries, true));
    };
    m(
        "kernel/fs/a.ko",
        &[
            "license=GPL",
            "description=Module A",
            "author=Me <me@example.org>",
            "parmtype=debug:int",
            "parm=debug:Debug level",
            "parm=mode:Mode",
            "parmtype=size:uint",
            "alias=fs-a",
            "alias=pci:v1234d*",
            "depends=b",
            "name=a",
            "vermagic=1.0 SMP mod_unload ",
        ],
    );
    m("kernel/lib/b.ko", &["license=GPL", "depends=c", "name=b"]);
    m("kernel/lib/c.ko", &["license=GPL", "depends=", "name=c"]);
    m(
        "kernel/drivers/d-x.ko",
        &["alias=dx-alias", "softdep=pre: c", "depends=", "name=d_x"],
    );
    m("kernel/drivers/e.ko", &["depends=c,b", "name=e"]);
    d.write(
        &format!("{MODDIR}/extra/f.ko"),
        elf(&["license=MIT", "depends=", "name=f"], false),
    );
    d.write(&format!("{MODDIR}/extra/bad.ko"), "not an object\n");
    d.write(
        &format!("{MODDIR}/modules.order"),
        "kernel/lib/c.ko\nkernel/lib/b.ko\nkernel/fs/a.ko\n",
    );
    d.write(&format!("{MODDIR}/modules.builtin"), "kernel/fs/ext9.ko\n");
    d.mkdir("conf");
    d
}

fn base(d: &Dir) -> String {
    d.path.display().to_string()
}

const A_INFO: &str = "license:        GPL
description:    Module A
author:         Me <me@example.org>
alias:          fs-a
alias:          pci:v1234d*
depends:        b
name:           a
vermagic:       1.0 SMP mod_unload 
parm:           size:uint
parm:           mode:Mode
parm:           debug:Debug level (int)
";

#[test]
fn modinfo_by_path() {
    let d = tree();
    let b = base(&d);
    let path = format!("{b}/{MODDIR}/kernel/fs/a.ko");
    run("modinfo", &[&path]).ok(format!("filename:       {path}\n{A_INFO}"));
    // A relative path is shown from the working directory.
    d.run("modinfo", &[&format!("{MODDIR}/kernel/lib/c.ko")]).ok(format!(
        "filename:       {b}/{MODDIR}/kernel/lib/c.ko\nlicense:        GPL\ndepends:        \nname:           c\n"
    ));
    // 32-bit big-endian objects too.
    run(
        "modinfo",
        &["-F", "license", &format!("{b}/{MODDIR}/extra/f.ko")],
    )
    .ok("MIT\n");
}

#[test]
fn modinfo_fields() {
    let d = tree();
    let path = format!("{}/{MODDIR}/kernel/fs/a.ko", base(&d));
    run("modinfo", &["-F", "alias", &path]).ok("fs-a\npci:v1234d*\n");
    run("modinfo", &["--field=alias", "-0", &path]).ok("fs-a\0pci:v1234d*\0");
    run("modinfo", &["-a", &path]).ok("Me <me@example.org>\n");
    run("modinfo", &["-d", &path]).ok("Module A\n");
    run("modinfo", &["-l", &path]).ok("GPL\n");
    run("modinfo", &["-n", &path]).ok(format!("{path}\n"));
    run("modinfo", &["-p", &path]).ok("size: (uint)\nmode:Mode\ndebug:Debug level (int)\n");
    run("modinfo", &["-F", "nosuch", &path]).ok("");
}

#[test]
fn modinfo_by_name_and_alias() {
    let d = tree();
    let b = base(&d);
    let dir = format!("{b}/{MODDIR}");
    // No modules.dep: the tree is read.
    run(
        "modinfo",
        &["-b", &b, "-k", "1.0", "-F", "filename", "d_x", "dx-alias"],
    )
    .ok(format!(
        "{dir}/kernel/drivers/d-x.ko\n{dir}/kernel/drivers/d-x.ko\n"
    ));
    run("depmod", &["-b", &b, "1.0"]).go();
    run(
        "modinfo",
        &[
            "-b",
            &b,
            "-k",
            "1.0",
            "-F",
            "name",
            "pci:v1234d0001",
            "fs_a",
            "e",
        ],
    )
    .ok("a\na\ne\n");
    run("modinfo", &["-b", &b, "-k", "1.0", "ext9"])
        .ok("name:           ext9\nfilename:       (builtin)\n");
    run(
        "modinfo",
        &["-b", &b, "-k", "1.0", "-F", "name", "nope", "c"],
    )
    .expect_err(1, "c\n", "modinfo: ERROR: Module nope not found.\n");
}

#[test]
fn modinfo_errors() {
    let d = tree();
    run("modinfo", &[]).fails(1, "modinfo: ERROR: missing module or filename.\n");
    d.write("plain", "text\n");
    d.run("modinfo", &["./plain"])
        .fails(1, "modinfo: ERROR: Module ./plain not found.\n");
    d.run("modinfo", &["./missing.ko"])
        .fails(1, "modinfo: ERROR: Module ./missing.ko not found.\n");
    run("modinfo", &["-z"]).fails(
        1,
        "modinfo: invalid option -- 'z'\nUsage: modinfo [-adlpn0] [-F FIELD] [-k VERSION] [-b BASEDIR] MODULE...\n",
    );
}

/// A DER element.
fn tlv(tag: u8, body: &[u8]) -> Vec<u8> {
    let mut v = vec![tag];
    if body.len() < 128 {
        v.push(body.len() as u8);
    } else {
        v.extend_from_slice(&[0x82, (body.len() >> 8) as u8, body.len() as u8]);
    }
    v.extend_from_slice(body);
    v
}

/// Append a signature trailer: `blob` of type `id_type`, with a signer
/// and key id in front of it for the old (non-PKCS#7) layout.
fn signed(mut m: Vec<u8>, id_type: u8, signer: &[u8], key: &[u8], blob: &[u8]) -> Vec<u8> {
    m.extend_from_slice(signer);
    m.extend_from_slice(key);
    m.extend_from_slice(blob);
    m.extend_from_slice(&[1, 4, id_type, signer.len() as u8, key.len() as u8, 0, 0, 0]);
    m.extend_from_slice(&(blob.len() as u32).to_be_bytes());
    m.extend_from_slice(b"~Module signature appended~\n");
    m
}

#[test]
fn modinfo_signatures() {
    let d = Dir::new();
    let sig: Vec<u8> = (0u8..45).collect();
    // PKCS#7 SignedData with one SignerInfo (issuer CN and serial).
    let cn = tlv(
        0x30,
        &[tlv(0x06, &[0x55, 4, 3]), tlv(0x0c, b"Test key")].concat(),
    );
    let issuer = tlv(0x30, &tlv(0x31, &cn));
    let sid = tlv(0x30, &[issuer, tlv(0x02, &[0, 0xab, 0xcd])].concat());
    let sha256 = tlv(0x30, &tlv(0x06, &[0x60, 0x86, 0x48, 1, 0x65, 3, 4, 2, 1]));
    let rsa = tlv(
        0x30,
        &tlv(0x06, &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 1, 1, 1]),
    );
    let info = tlv(
        0x30,
        &[tlv(0x02, &[1]), sid, sha256.clone(), rsa, tlv(0x04, &sig)].concat(),
    );
    let data = tlv(
        0x30,
        &tlv(0x06, &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 1, 7, 1]),
    );
    let signed_data = tlv(
        0x30,
        &[tlv(0x02, &[1]), tlv(0x31, &sha256), data, tlv(0x31, &info)].concat(),
    );
    let oid = tlv(0x06, &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 1, 7, 2]);
    let pkcs7 = tlv(0x30, &[oid, tlv(0xa0, &signed_data)].concat());
    let m = elf(&["license=GPL", "name=s"], true);
    d.write("s.ko", signed(m.clone(), 2, b"", b"", &pkcs7));
    let hex = "00:01:02:03:04:05:06:07:08:09:0A:0B:0C:0D:0E:0F:10:11:12:13:\n\t\t\
               14:15:16:17:18:19:1A:1B:1C:1D:1E:1F:20:21:22:23:24:25:26:27:\n\t\t\
               28:29:2A:2B:2C";
    let path = format!("{}/s.ko", d.path.display());
    run("modinfo", &[&path]).ok(format!(
        "filename:       {path}\nlicense:        GPL\nname:           s\n\
         sig_id:         PKCS#7\nsigner:         Test key\nsig_key:        AB:CD\n\
         sig_hashalgo:   sha256\nsignature:      {hex}\n"
    ));
    // The older layout: signer and key id before the signature.
    d.write(
        "t.ko",
        signed(m, 1, b"Old signer", &[0x12, 0x34], &sig[..3]),
    );
    d.run("modinfo", &["-F", "signer", "-F", "sig_key", "./t.ko"])
        .ok("12:34\n");
    d.run("modinfo", &["-F", "sig_id", "./t.ko"]).ok("X509\n");
    d.run("modinfo", &["-F", "signature", "./t.ko"])
        .ok("00:01:02\n");
    d.run("modinfo", &["-F", "signer", "./t.ko"])
        .ok("Old signer\n");
}

const DEP: &str = "kernel/lib/c.ko:
kernel/lib/b.ko: kernel/lib/c.ko
kernel/fs/a.ko: kernel/lib/b.ko kernel/lib/c.ko
extra/f.ko:
kernel/drivers/d-x.ko:
kernel/drivers/e.ko: kernel/lib/b.ko kernel/lib/c.ko
";

const ALIAS: &str = "# Aliases extracted from modules themselves.
alias fs-a a
alias pci:v1234d* a
alias dx-alias d_x
";

const SOFTDEP: &str = "# Soft dependencies extracted from modules themselves.
softdep d_x pre: c
";

#[test]
fn depmod_writes_lists() {
    let d = tree();
    let b = base(&d);
    let warn = format!("depmod: WARNING: {b}/{MODDIR}/extra/bad.ko: not a kernel module\n");
    run("depmod", &["-n", "-b", &b, "1.0"]).expect_err(0, &format!("{DEP}{ALIAS}{SOFTDEP}"), &warn);
    assert!(!d.exists(&format!("{MODDIR}/modules.dep")));
    run("depmod", &["-a", "-b", &b, "1.0"]).expect_err(0, "", &warn);
    assert_eq!(d.read(&format!("{MODDIR}/modules.dep")), DEP.as_bytes());
    assert_eq!(d.read(&format!("{MODDIR}/modules.alias")), ALIAS.as_bytes());
    assert_eq!(
        d.read(&format!("{MODDIR}/modules.softdep")),
        SOFTDEP.as_bytes()
    );
}

#[test]
fn depmod_unknown_dependency_and_errors() {
    let d = Dir::new();
    d.write(
        &format!("{MODDIR}/x.ko"),
        elf(&["depends=y,zz", "name=x"], true),
    );
    d.write(
        &format!("{MODDIR}/y.ko"),
        elf(&["depends=x", "name=y"], true),
    );
    let b = base(&d);
    run("depmod", &["-n", "-b", &b, "1.0"]).expect_err(
        0,
        "x.ko: y.ko\ny.ko: x.ko\n# Aliases extracted from modules themselves.\n\
         # Soft dependencies extracted from modules themselves.\n",
        &format!(
            "depmod: WARNING: {b}/{MODDIR}/x.ko needs unknown module zz\n\
             depmod: WARNING: x is in a dependency cycle\n\
             depmod: WARNING: y is in a dependency cycle\n"
        ),
    );
    run("depmod", &["-b", &b, "2.0"]).fails(
        1,
        format!("depmod: ERROR: could not open directory {b}/lib/modules/2.0: No such file or directory\n"),
    );
    run("depmod", &["-b", &b, "1.0", "x"]).fails(
        1,
        "depmod: extra operand 'x'\nUsage: depmod [-aAnev] [-b BASEDIR] [VERSION]\n",
    );
}

fn probe(d: &Dir, args: &[&str]) -> Run {
    let b = base(d);
    let conf = format!("{b}/conf");
    let mut all = vec!["-d", &b, "-S", "1.0", "-C", &conf];
    all.extend_from_slice(args);
    run("modprobe", &all)
        .env("IBEX_PROC_MODULES", d.p("proc-modules"))
        .env("IBEX_PROC_CMDLINE", d.p("cmdline"))
}

fn insmods(d: &Dir, lines: &[&str]) -> String {
    let dir = format!("{}/{MODDIR}", base(d));
    lines
        .iter()
        .map(|l| match l.split_once(' ') {
            Some((path, opts)) => format!("insmod {dir}/{path} {opts}\n"),
            None => format!("insmod {dir}/{l} \n"),
        })
        .collect()
}

#[test]
fn modprobe_dependencies_first() {
    let d = tree();
    // Without modules.dep (the modules are read), then with it.
    for round in 0..2 {
        if round == 1 {
            run("depmod", &["-b", &base(&d), "1.0"]).go();
        }
        let want = insmods(
            &d,
            &["kernel/lib/c.ko", "kernel/lib/b.ko", "kernel/fs/a.ko"],
        );
        probe(&d, &["-n", "-v", "a"]).ok(&want);
        probe(&d, &["-D", "a"]).ok(&want);
        probe(&d, &["-n", "a"]).ok("");
        // Parameters go to the named module only.
        probe(&d, &["-n", "-v", "e", "x=1", "y=two words"]).ok(insmods(
            &d,
            &[
                "kernel/lib/c.ko",
                "kernel/lib/b.ko",
                "kernel/drivers/e.ko x=1 y=two words",
            ],
        ));
        // Aliases from the modules, with patterns; `-` and `_` alike.
        probe(&d, &["-n", "-v", "fs_a"]).ok(&want);
        probe(&d, &["-n", "-v", "pci:v1234d5678"]).ok(&want);
        probe(&d, &["-R", "pci:v1234dFFFF", "d-x"]).ok("a\n");
        probe(&d, &["-R", "-a", "fs-a", "d-x"]).ok("a\nd_x\n");
        // Soft dependencies come first.
        probe(&d, &["-n", "-v", "dx-alias"])
            .ok(insmods(&d, &["kernel/lib/c.ko", "kernel/drivers/d-x.ko"]));
        // -a: every operand is a module; shared dependencies once.
        probe(&d, &["-n", "-v", "-a", "e", "a"]).ok(insmods(
            &d,
            &[
                "kernel/lib/c.ko",
                "kernel/lib/b.ko",
                "kernel/drivers/e.ko",
                "kernel/fs/a.ko",
            ],
        ));
        probe(&d, &["-D", "ext9"]).ok("builtin ext9\n");
        probe(&d, &["-n", "-v", "ext9"]).ok("");
    }
}

#[test]
fn modprobe_not_found() {
    let d = tree();
    let dir = format!("{}/{MODDIR}", base(&d));
    probe(&d, &["-n", "nope"]).fails(
        1,
        format!("modprobe: FATAL: Module nope not found in directory {dir}\n"),
    );
    probe(&d, &["-q", "-n", "nope"]).fails(1, "");
    // With -a, modules up to the missing one are handled.
    probe(&d, &["-n", "-v", "-a", "c", "nope", "b"]).expect_err(
        1,
        &insmods(&d, &["kernel/lib/c.ko"]),
        &format!("modprobe: FATAL: Module nope not found in directory {dir}\n"),
    );
    run("modprobe", &[]).fails(1, "modprobe: ERROR: missing parameters. See -h.\n");
    // A missing module directory is a missing module.
    run("modprobe", &["-d", &base(&d), "-S", "9", "-n", "a"]).fails(
        1,
        format!(
            "modprobe: FATAL: Module a not found in directory {}/lib/modules/9\n",
            base(&d)
        ),
    );
}

#[test]
fn modprobe_config() {
    let d = tree();
    d.write(
        "conf/a.conf",
        "# comment\noptions a debug=1 \\\n  mode=2\noptions b  z=3\nalias my* d_x\nalias both e\n",
    );
    d.write(
        "conf/b.conf",
        "blacklist a\nalias both a\nignored line\nsoftdep e post: f\n",
    );
    d.write("conf/skip.txt", "options c never=1\n");
    probe(&d, &["-n", "-v", "a", "extra=1"]).ok(insmods(
        &d,
        &[
            "kernel/lib/c.ko",
            "kernel/lib/b.ko z=3",
            "kernel/fs/a.ko debug=1 mode=2 extra=1",
        ],
    ));
    // Configured aliases come before the modules' own, with patterns.
    probe(&d, &["-n", "-v", "mything"])
        .ok(insmods(&d, &["kernel/lib/c.ko", "kernel/drivers/d-x.ko"]));
    // Post soft dependencies after the module.
    probe(&d, &["-n", "-v", "both"]).ok(insmods(
        &d,
        &[
            "kernel/lib/c.ko",
            "kernel/lib/b.ko z=3",
            "kernel/drivers/e.ko",
            "extra/f.ko",
            "kernel/fs/a.ko debug=1 mode=2",
        ],
    ));
    // -b: blacklisted modules are not loaded, named or through aliases.
    probe(&d, &["-b", "-n", "-v", "both"]).ok(insmods(
        &d,
        &[
            "kernel/lib/c.ko",
            "kernel/lib/b.ko z=3",
            "kernel/drivers/e.ko",
            "extra/f.ko",
        ],
    ));
    probe(&d, &["-b", "-n", "-v", "fs-a"]).ok("");
    probe(&d, &["-b", "-n", "-v", "a"]).ok("");
    probe(&d, &["-c"]).ok("blacklist a\nalias my* d_x\nalias both e\nalias both a\n\
         options a debug=1 mode=2\noptions b z=3\nsoftdep e post: f\n");
    // A single file as -C.
    let b = base(&d);
    run(
        "modprobe",
        &[
            "-d",
            &b,
            "-S",
            "1.0",
            "-C",
            &format!("{b}/conf/b.conf"),
            "-c",
        ],
    )
    .env("IBEX_PROC_CMDLINE", d.p("cmdline"))
    .ok("blacklist a\nalias both a\nsoftdep e post: f\n");
}

#[test]
fn modprobe_kernel_command_line() {
    let d = tree();
    d.write("conf/a.conf", "options a debug=1\n");
    d.write(
        "cmdline",
        "BOOT_IMAGE=/vmlinuz root=/dev/sda1 a.mode=\"x y\" b.flag 1.2.3 modprobe.blacklist=e,f \
         -- c.not=1\n",
    );
    probe(&d, &["-n", "-v", "a", "z=1"]).ok(insmods(
        &d,
        &[
            "kernel/lib/c.ko",
            "kernel/lib/b.ko flag",
            "kernel/fs/a.ko debug=1 mode=\"x y\" z=1",
        ],
    ));
    probe(&d, &["-n", "-v", "-b", "e"]).ok("");
    probe(&d, &["-c"]).ok(
        "blacklist e\nblacklist f\noptions a debug=1\noptions a mode=\"x y\"\noptions b flag\n",
    );
}

#[test]
fn modprobe_gzip_modules() {
    let d = tree();
    let b = base(&d);
    if d.sh(&format!("gzip {b}/{MODDIR}/kernel/lib/b.ko"))
        .go()
        .code
        != 0
    {
        eprintln!("SKIPPED modprobe_gzip_modules: no gzip");
        return;
    }
    probe(&d, &["-n", "-v", "a"]).ok(insmods(
        &d,
        &["kernel/lib/c.ko", "kernel/lib/b.ko.gz", "kernel/fs/a.ko"],
    ));
    let gz = format!("{b}/{MODDIR}/kernel/lib/b.ko.gz");
    run("modinfo", &[&gz]).ok(format!(
        "filename:       {gz}\nlicense:        GPL\ndepends:        c\nname:           b\n"
    ));
    d.write("bad.ko.gz", b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03");
    d.run("modinfo", &["./bad.ko.gz"]).fails(
        1,
        "modinfo: ERROR: could not get modinfo from './bad.ko.gz': unexpected end of file\n",
    );
}

#[test]
fn modprobe_skips_loaded_and_removes() {
    let d = tree();
    d.write(
        "proc-modules",
        "a 16384 0 - Live 0x0000000000000000\nb 20480 1 a, Live 0x0\nc 8192 2 b,e, Live 0x0\ne 4096 0 - Live 0x0\nzz_y 1 0 - Live 0x0\n",
    );
    probe(&d, &["-n", "-v", "a"]).ok("");
    probe(&d, &["-n", "-v", "d-x"]).ok(insmods(&d, &["kernel/drivers/d-x.ko"]));
    probe(&d, &["--first-time", "-n", "a"]).fails(
        1,
        "modprobe: ERROR: could not insert 'a': Module already in kernel\n",
    );
    // -D lists loaded modules too.
    probe(&d, &["-D", "b"]).ok(insmods(&d, &["kernel/lib/c.ko", "kernel/lib/b.ko"]));
    // Removal: the module, then the dependencies nothing else uses.
    probe(&d, &["-r", "-n", "-v", "a"]).ok("rmmod a\nrmmod b\n");
    probe(&d, &["-r", "-n", "-v", "a", "e"]).ok("rmmod a\nrmmod b\nrmmod e\nrmmod c\n");
    probe(&d, &["-r", "-n", "b"]).fails(1, "modprobe: FATAL: Module b is in use by: a\n");
    probe(&d, &["-r", "-n", "d_x"]).fails(1, "modprobe: FATAL: Module d_x is not in kernel.\n");
    probe(&d, &["-r", "-n", "nope"]).fails(1, "modprobe: FATAL: Module nope not found.\n");
    // Loaded but unknown to the tree: removed by name.
    probe(&d, &["-r", "-n", "-v", "zz-y"]).ok("rmmod zz_y\n");
    probe(&d, &["-r", "-n", "ext9"]).fails(1, "modprobe: FATAL: Module ext9 is builtin.\n");
}

#[test]
fn lsmod_format() {
    let d = Dir::new();
    d.write(
        "m",
        "vfat 24576 1 - Live 0x0\nfat 86016 2 vfat,msdos, Live 0x0\nbig_module_name_long 123456789 0 - Live 0x0\n",
    );
    run("lsmod", &[])
        .env("IBEX_PROC_MODULES", d.p("m"))
        .ok("Module                  Size  Used by
vfat                   24576  1
fat                    86016  2 vfat,msdos
big_module_name_long 123456789  0
");
    run("lsmod", &[])
        .env("IBEX_PROC_MODULES", d.p("none"))
        .ok("Module                  Size  Used by\n");
    run("lsmod", &["x"]).fails(1, "lsmod: extra operand\nUsage: lsmod\n");
    // The real list: the header at least.
    let o = run("lsmod", &[]).go();
    assert_eq!(o.code, 0);
    assert!(
        o.out()
            .starts_with("Module                  Size  Used by\n")
    );
}

#[test]
fn insmod_and_rmmod_errors() {
    let d = Dir::new();
    run("insmod", &[]).fails(1, "insmod: ERROR: missing filename.\n");
    d.run("insmod", &["nope.ko", "a=1"]).fails(
        1,
        "insmod: ERROR: could not load module nope.ko: No such file or directory\n",
    );
    run("rmmod", &[]).fails(1, "rmmod: ERROR: missing module name.\n");
    d.write(
        "m",
        "a 100 1 b, Live 0x0\nb 100 0 - Live 0x0\nc 100 2 - Live 0x0\n",
    );
    let rm = |args: &[&str]| run("rmmod", args).env("IBEX_PROC_MODULES", d.p("m"));
    rm(&["nope"]).fails(1, "rmmod: ERROR: Module nope is not currently loaded\n");
    rm(&["/x/a.ko"]).fails(1, "rmmod: ERROR: Module a is in use by: b\n");
    rm(&["c", "no-pe"]).fails(
        1,
        "rmmod: ERROR: Module c is in use\nrmmod: ERROR: Module no_pe is not currently loaded\n",
    );
    run("rmmod", &["-x"]).fails(
        1,
        "rmmod: invalid option -- 'x'\nUsage: rmmod [-fsv] MODULE...\n",
    );
}

#[test]
fn depmod_reads_only_the_modinfo_of_cut_or_wild_modules() {
    // Modules are read piecewise (header, section table, names, .modinfo):
    // a file cut short or with a section beyond its end is not a module,
    // and nothing crashes or reads past the end.
    let d = Dir::new();
    let full = elf(&["depends=", "license=GPL"], true);
    d.write(&format!("{MODDIR}/kernel/cut.ko"), &full[..full.len() - 30]);
    let mut wild = full.clone();
    let n = wild.len();
    // .modinfo's size field (section header 1, offset 32) made huge.
    wild[n - 128 + 32..n - 128 + 40].copy_from_slice(&u64::MAX.to_le_bytes());
    d.write(&format!("{MODDIR}/kernel/wild.ko"), &wild);
    d.write(&format!("{MODDIR}/kernel/ok.ko"), &full);
    let b = d.p("").display().to_string();
    let b = b.trim_end_matches('/');
    let warn = format!(
        "depmod: WARNING: {b}/{MODDIR}/kernel/cut.ko: not a kernel module\n\
         depmod: WARNING: {b}/{MODDIR}/kernel/wild.ko: not a kernel module\n"
    );
    run("depmod", &["-n", "-b", b, "1.0"]).expect_err(
        0,
        "kernel/ok.ko:\n# Aliases extracted from modules themselves.\n\
         # Soft dependencies extracted from modules themselves.\n",
        &warn,
    );
}
