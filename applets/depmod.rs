//! depmod: read every module under /lib/modules/VERSION and write
//! modules.dep (from each module's `depends=`, paths relative to the
//! module directory, the whole closure with the first to load last),
//! modules.alias and modules.softdep. Binary indexes are not written.

use ibex::Status;
use ibex::args::{Parser, Spec, flag, value};
use ibex::kmod::{self, Tree};
use std::ffi::OsString;
use std::os::fd::AsRawFd;
use std::os::unix::ffi::OsStrExt;

const USAGE: ibex::usage::Usage = ibex::usage!(
    depmod,
    "depmod [-aAnev] [-b BASEDIR] [VERSION]

Write module dependency lists (modules.dep, modules.alias, modules.softdep)

\t-a\tProbe all modules (the default)
\t-A\tThe same as -a
\t-b BASEDIR\tUse BASEDIR/lib/modules/VERSION
\t-n\tWrite the files' contents to stdout only
\t-e\tAccepted for compatibility
\t-v\tVerbose: list each module and its dependencies
\t-C,-F,-E FILE\tAccepted and ignored"
);

const LONGS: &[ibex::args::Long] = &[
    flag("all", 'a' as u32),
    flag("quick", 'A' as u32),
    value("basedir", 'b' as u32),
    flag("show", 'n' as u32),
    flag("dry-run", 'n' as u32),
    flag("errsyms", 'e' as u32),
    flag("verbose", 'v' as u32),
    flag("warn", 'w' as u32),
    value("config", 'C' as u32),
    value("filesyms", 'F' as u32),
    value("symvers", 'E' as u32),
    value("symbol-prefix", 'P' as u32),
];

const SPEC: Spec = Spec::new("aAb:nevwC:F:E:P:", LONGS, USAGE);

pub fn main(argv: &[OsString]) -> Status {
    let mut p = Parser::new(argv, &SPEC);
    let (mut base, mut show, mut verbose) = (None, false, false);
    while let Some((id, val)) = p.next()? {
        match char::from_u32(id).unwrap_or('?') {
            'b' => base = val.map(|v| v.as_bytes().to_vec()),
            'n' => show = true,
            'v' => verbose = true,
            _ => {}
        }
    }
    let ops = p.operands();
    if ops.len() > 1 {
        let extra = ops.get(1).map(|o| o.as_bytes()).unwrap_or_default();
        return Err(ibex::args::usage_error(
            &SPEC,
            &[b"extra operand '", extra, b"'"],
        ));
    }
    let version = ops.first().map(|v| v.as_bytes());
    let dir = match kmod::module_dir(base.as_deref(), version) {
        Ok(d) => d,
        Err(e) => {
            ibex::msg!("FATAL: uname: ", e);
            return Ok(1);
        }
    };
    let tree = match Tree::scan(&dir, &mut |m| ibex::msg!("WARNING: ", m)) {
        Ok(t) => t,
        Err(e) => {
            ibex::msg!("ERROR: could not open directory ", &dir[..], ": ", e);
            return Ok(1);
        }
    };
    if verbose {
        let mut text = Vec::new();
        for (i, m) in tree.mods.iter().enumerate() {
            text.extend_from_slice(&tree.full_path(i));
            for &d in &m.deps {
                text.extend_from_slice(b" needs ");
                text.extend_from_slice(&tree.mods[d].name);
            }
            text.push(b'\n');
        }
        let _ = ibex::sys::write_all(2, &text);
    }
    let mut dep = Vec::new();
    tree.write_dep(&mut dep);
    let mut alias = Vec::new();
    tree.write_alias(&mut alias);
    let mut softdep = Vec::new();
    tree.write_softdep(&mut softdep);
    if show {
        let mut out = ibex::io::Out::stdout();
        out.write(&dep);
        out.write(&alias);
        out.write(&softdep);
        return out.done(0);
    }
    for (name, data) in [
        (&b"modules.dep"[..], &dep),
        (b"modules.alias", &alias),
        (b"modules.softdep", &softdep),
    ] {
        if let Err(e) = replace(&dir, name, data) {
            ibex::msg!(
                "ERROR: could not write ",
                &ibex::path::join(&dir, name)[..],
                ": ",
                e
            );
            return Ok(1);
        }
    }
    Ok(0)
}

/// Write `dir/name` through a temporary file and rename, so readers never
/// see a half-written list.
fn replace(dir: &[u8], name: &[u8], data: &[u8]) -> std::io::Result<()> {
    let path = ibex::path::join(dir, name);
    let tmp = [&path[..], b".ibex-tmp"].concat();
    let _ = ibex::sys::unlinkat(ibex::sys::Dir::CWD, &tmp, 0);
    let flags = ibex::sys::O_WRONLY | ibex::sys::O_CREAT | ibex::sys::O_EXCL;
    let fd = ibex::sys::open(&tmp, flags, 0o644)?;
    let written = ibex::sys::write_all(fd.as_raw_fd(), data);
    if let Err(e) = written.and_then(|()| ibex::sys::close(std::os::fd::IntoRawFd::into_raw_fd(fd)))
    {
        let _ = ibex::sys::unlinkat(ibex::sys::Dir::CWD, &tmp, 0);
        return Err(e);
    }
    ibex::sys::rename(&tmp, &path)
}
