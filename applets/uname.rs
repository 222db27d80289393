//! uname: print system information. Fields in GNU's order: -s kernel
//! name, -n node name, -r release, -v version, -m machine, -p processor,
//! -i hardware platform, -o operating system. -a prints them all but
//! omits -p and -i when they are unknown, even when also named (as GNU
//! does); no option means -s.

use ibex::Status;
use ibex::args::{Parser, Spec, flag, usage_error};
use ibex::io::Out;
use std::ffi::OsString;
use std::os::unix::ffi::OsStrExt;

const SPEC: Spec = Spec::new(
    "asnrvmpio",
    &[
        flag("all", 'a' as u32),
        flag("kernel-name", 's' as u32),
        flag("nodename", 'n' as u32),
        flag("kernel-release", 'r' as u32),
        flag("kernel-version", 'v' as u32),
        flag("machine", 'm' as u32),
        flag("processor", 'p' as u32),
        flag("hardware-platform", 'i' as u32),
        flag("operating-system", 'o' as u32),
    ],
    ibex::usage!(
        uname,
        "uname [-amnrspvio]\n\n\
         Print system information\n\n\
         \t-a, --all\tPrint all information, omitting -p and -i if unknown\n\
         \t-s, --kernel-name\tKernel name (the default)\n\
         \t-n, --nodename\tNetwork node hostname\n\
         \t-r, --kernel-release\tKernel release\n\
         \t-v, --kernel-version\tKernel version\n\
         \t-m, --machine\tMachine hardware name\n\
         \t-p, --processor\tProcessor type\n\
         \t-i, --hardware-platform\tHardware platform\n\
         \t-o, --operating-system\tOperating system"
    ),
);

/// The fields in output order, by option letter.
const ORDER: &[u8] = b"snrvmpio";

pub fn main(argv: &[OsString]) -> Status {
    let mut all = false;
    let mut asked = [false; 8];
    let mut p = Parser::new(argv, &SPEC);
    while let Some((id, _)) = p.next()? {
        let c = id as u8;
        if c == b'a' {
            all = true;
        } else if let Some(i) = ORDER.iter().position(|&o| o == c) {
            asked[i] = true;
        }
    }
    if let Some(extra) = p.operands().first() {
        return Err(usage_error(
            &SPEC,
            &[b"extra operand '", extra.as_bytes(), b"'"],
        ));
    }
    if !all && !asked.contains(&true) {
        asked[0] = true;
    }
    let u = match ibex::sys::uname() {
        Ok(u) => u,
        Err(e) => {
            ibex::msg!("cannot get system name: ", e);
            return Ok(1);
        }
    };
    let unknown: &[u8] = b"unknown";
    let fields: [&[u8]; 8] = [
        &u.sysname,
        &u.nodename,
        &u.release,
        &u.version,
        &u.machine,
        unknown,
        unknown,
        b"GNU/Linux",
    ];
    let mut out = Out::stdout();
    let mut first = true;
    for (i, field) in fields.iter().enumerate() {
        // -a leaves out the fields it cannot tell (even if also named).
        let show = if all { *field != unknown } else { asked[i] };
        if !show {
            continue;
        }
        if !first {
            out.byte(b' ');
        }
        first = false;
        out.write(field);
    }
    out.byte(b'\n');
    out.done(0)
}
