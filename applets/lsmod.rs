//! lsmod: list the loaded kernel modules from /proc/modules in kmod's
//! format: name, size, use count and the modules using each one.
//! (`IBEX_PROC_MODULES` names another file to read, see `ibex::kmod`.)

use ibex::Status;
use ibex::args::{Parser, Spec};
use ibex::io::Out;
use std::ffi::OsString;

const USAGE: ibex::usage::Usage = ibex::usage!(
    lsmod,
    "lsmod

List the loaded kernel modules"
);

const SPEC: Spec = Spec::new("", &[], USAGE);

pub fn main(argv: &[OsString]) -> Status {
    let mut p = Parser::new(argv, &SPEC);
    while p.next()?.is_some() {}
    if !p.operands().is_empty() {
        return Err(ibex::args::usage_error(&SPEC, &[b"extra operand"]));
    }
    let mods = match ibex::kmod::loaded() {
        Ok(m) => m,
        Err(e) => {
            ibex::error::io_error(&ibex::kmod::proc_modules_path()[..], &e);
            return Ok(1);
        }
    };
    let mut out = Out::stdout();
    out.str("Module                  Size  Used by\n");
    for m in mods {
        let mut line = m.name.clone();
        while line.len() < 19 {
            line.push(b' ');
        }
        let size = m.size.to_string();
        line.resize(line.len() + 9usize.saturating_sub(size.len()).max(1), b' ');
        line.extend_from_slice(size.as_bytes());
        line.extend_from_slice(b"  ");
        line.extend_from_slice(m.refcnt.to_string().as_bytes());
        for (i, u) in m.users.iter().enumerate() {
            line.push(if i == 0 { b' ' } else { b',' });
            line.extend_from_slice(u);
        }
        line.push(b'\n');
        out.write(&line);
    }
    out.done(0)
}
