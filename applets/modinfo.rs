//! modinfo: show the `.modinfo` fields of kernel modules, given by file
//! name or by module name / alias in /lib/modules/VERSION. Output is kmod's:
//! `filename` first, the fields in file order as `%-16s%s`, then the
//! parameters as `name:description (type)`.

use ibex::Status;
use ibex::args::{Parser, Spec, flag, value};
use ibex::io::Out;
use ibex::kmod::{self, Tree};
use std::ffi::OsString;
use std::os::unix::ffi::OsStrExt;

const USAGE: ibex::usage::Usage = ibex::usage!(
    modinfo,
    "modinfo [-adlpn0] [-F FIELD] [-k VERSION] [-b BASEDIR] MODULE...

Show information about kernel modules

\t-a\tShortcut for '-F author'
\t-d\tShortcut for '-F description'
\t-l\tShortcut for '-F license'
\t-p\tShortcut for '-F parm'
\t-n\tShortcut for '-F filename'
\t-F FIELD\tPrint only FIELD's values
\t-0\tEnd values with NUL, not newline
\t-k VERSION\tUse VERSION instead of `uname -r`
\t-b BASEDIR\tUse BASEDIR/lib/modules
\t-m\tTake MODULE as a module name, never a file"
);

const LONGS: &[ibex::args::Long] = &[
    flag("author", 'a' as u32),
    flag("description", 'd' as u32),
    flag("license", 'l' as u32),
    flag("parameters", 'p' as u32),
    flag("filename", 'n' as u32),
    flag("null", '0' as u32),
    flag("modname", 'm' as u32),
    value("field", 'F' as u32),
    value("set-version", 'k' as u32),
    value("basedir", 'b' as u32),
];

const SPEC: Spec = Spec::new("adlpn0mF:k:b:", LONGS, USAGE);

struct Opts {
    field: Option<Vec<u8>>,
    end: u8,
}

pub fn main(argv: &[OsString]) -> Status {
    let mut p = Parser::new(argv, &SPEC);
    let mut o = Opts {
        field: None,
        end: b'\n',
    };
    let (mut version, mut base, mut by_name) = (None, None, false);
    while let Some((id, val)) = p.next()? {
        let v = || val.map(|v| v.as_bytes().to_vec()).unwrap_or_default();
        match char::from_u32(id).unwrap_or('?') {
            'a' => o.field = Some(b"author".to_vec()),
            'd' => o.field = Some(b"description".to_vec()),
            'l' => o.field = Some(b"license".to_vec()),
            'p' => o.field = Some(b"parm".to_vec()),
            'n' => o.field = Some(b"filename".to_vec()),
            'F' => o.field = Some(v()),
            '0' => o.end = 0,
            'm' => by_name = true,
            'k' => version = Some(v()),
            'b' => base = Some(v()),
            _ => {}
        }
    }
    let names = p.operands();
    if names.is_empty() {
        ibex::msg!("ERROR: missing module or filename.");
        return Ok(1);
    }
    let mut out = Out::stdout();
    let mut status = 0;
    let mut tree: Option<Option<Tree>> = None;
    for name in names {
        let name = name.as_bytes();
        if !by_name && (name.contains(&b'/') || kmod::strip_ext(name).is_some()) {
            match kmod::read_module(name) {
                Ok(data) => {
                    if show(&mut out, &o, &absolute(name), &data) {
                        continue;
                    }
                }
                Err(e) if e.raw_os_error() == Some(libc::ENOENT) => {}
                Err(e) => {
                    out.flush();
                    ibex::msg!("ERROR: could not get modinfo from '", name, "': ", e);
                    status = 1;
                    continue;
                }
            }
            if name.contains(&b'/') {
                out.flush();
                ibex::msg!("ERROR: Module ", name, " not found.");
                status = 1;
                continue;
            }
        }
        let t = tree.get_or_insert_with(|| {
            let dir = kmod::module_dir(base.as_deref(), version.as_deref()).ok()?;
            Tree::load(&dir)
                .ok()
                .or_else(|| Tree::scan(&dir, &mut |_| {}).ok())
        });
        let mut found = false;
        if let Some(t) = t.as_ref() {
            let mut hits: Vec<usize> = t.find(name).into_iter().collect();
            if hits.is_empty() {
                hits = t
                    .match_alias(name)
                    .iter()
                    .filter_map(|m| t.find(m))
                    .collect();
            }
            for i in hits {
                let path = t.full_path(i);
                match kmod::read_module(&path) {
                    Ok(data) if show(&mut out, &o, &path, &data) => found = true,
                    Ok(_) => {}
                    Err(e) => {
                        out.flush();
                        ibex::msg!(
                            "ERROR: could not get modinfo from '",
                            &t.mods[i].name[..],
                            "': ",
                            e
                        );
                        found = true;
                        status = 1;
                    }
                }
            }
            if !found && t.is_builtin(name) {
                found = true;
                builtin(&mut out, &o, t, name);
            }
        }
        if !found {
            out.flush();
            ibex::msg!("ERROR: Module ", name, " not found.");
            status = 1;
        }
    }
    out.done(status)
}

fn line(out: &mut Out, o: &Opts, key: &[u8], val: &[u8]) {
    match &o.field {
        Some(f) if f.as_slice() != key => return,
        Some(_) => {}
        None => {
            out.write(key);
            out.byte(b':');
            for _ in key.len() + 1..16 {
                out.byte(b' ');
            }
        }
    }
    out.write(val);
    out.byte(o.end);
}

/// A parameter: name, description, type.
type Parm<'a> = (&'a [u8], Option<&'a [u8]>, Option<&'a [u8]>);

/// Print one module's fields; false when `data` has no .modinfo.
fn show(out: &mut Out, o: &Opts, path: &[u8], data: &[u8]) -> bool {
    let Some(info) = kmod::modinfo(data) else {
        return false;
    };
    line(out, o, b"filename", path);
    // Parameters: (name, description, type), in order of first mention.
    let mut parms: Vec<Parm> = Vec::new();
    for &(k, v) in &info {
        if k != b"parm" && k != b"parmtype" {
            line(out, o, k, v);
            continue;
        }
        let (pn, text) = match memchr::memchr(b':', v) {
            Some(i) => (&v[..i], &v[i + 1..]),
            None => (v, &b""[..]),
        };
        let idx = match parms.iter().position(|p| p.0 == pn) {
            Some(i) => i,
            None => {
                parms.push((pn, None, None));
                parms.len() - 1
            }
        };
        if k == b"parm" {
            parms[idx].1 = Some(text);
        } else {
            parms[idx].2 = Some(text);
        }
    }
    if let Some(sig) = kmod::signature(data) {
        line(out, o, b"sig_id", sig.id.as_bytes());
        line(out, o, b"signer", &sig.signer);
        line(out, o, b"sig_key", &kmod::hex_colons(&sig.key));
        line(out, o, b"sig_hashalgo", sig.hash.as_bytes());
        line(out, o, b"signature", &kmod::hex_colons(&sig.sig));
    }
    // kmod lists them in reverse order of the section.
    for (pn, desc, ty) in parms.into_iter().rev() {
        let mut v = pn.to_vec();
        v.push(b':');
        if let Some(d) = desc {
            v.extend_from_slice(d);
        }
        match ty {
            // kmod's quirk: a parameter with only a type shows it bare in
            // the full listing, in parentheses with -F parm.
            Some(t) if desc.is_none() && o.field.is_none() => v.extend_from_slice(t),
            Some(t) => {
                v.extend_from_slice(b" (");
                v.extend_from_slice(t);
                v.push(b')');
            }
            None => {}
        }
        line(out, o, b"parm", &v);
    }
    true
}

/// A built-in module: its fields from modules.builtin.modinfo.
fn builtin(out: &mut Out, o: &Opts, t: &Tree, name: &[u8]) {
    let n = kmod::normalize(name);
    line(out, o, b"name", &n);
    line(out, o, b"filename", b"(builtin)");
    let path = ibex::path::join(&t.dir, b"modules.builtin.modinfo");
    let Ok(text) = ibex::io::read_file(&path) else {
        return;
    };
    let prefix = [&n[..], b"."].concat();
    for e in text.split(|&b| b == 0) {
        let Some(rest) = e.strip_prefix(prefix.as_slice()) else {
            continue;
        };
        if let Some(i) = memchr::memchr(b'=', rest) {
            line(out, o, &rest[..i], &rest[i + 1..]);
        }
    }
}

/// kmod shows a relative file name after the working directory.
fn absolute(name: &[u8]) -> Vec<u8> {
    if name.first() == Some(&b'/') {
        return name.to_vec();
    }
    // $PWD when it names the working directory (symlinks kept), as getcwd
    // would not.
    if let Some(pwd) = std::env::var_os("PWD") {
        let pwd = pwd.as_bytes();
        let same = match (ibex::sys::stat(pwd), ibex::sys::stat(b".")) {
            (Ok(a), Ok(b)) => a.same_file(&b),
            _ => false,
        };
        if same && pwd.first() == Some(&b'/') {
            return ibex::path::join(pwd, name);
        }
    }
    match std::env::current_dir() {
        Ok(d) => ibex::path::join(d.as_os_str().as_bytes(), name),
        Err(_) => name.to_vec(),
    }
}
