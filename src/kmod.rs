//! Kernel modules: the ELF `.modinfo` reader, module names, modules.dep,
//! modules.alias and modules.softdep (reading and writing), the
//! modprobe.d configuration, /proc/modules, and dependency resolution.
//! Shared by insmod, rmmod, lsmod, modinfo, depmod and modprobe.
//!
//! The environment variables `IBEX_PROC_MODULES` and `IBEX_PROC_CMDLINE`
//! name files to read instead of /proc/modules and /proc/cmdline (for
//! tests and for inspecting another system).

use crate::fnmatch::{Flags, fnmatch};
use crate::walk::{Options, Visit, Walker};
use std::borrow::Cow;
use std::collections::HashMap;
use std::io;

/// `BASE/lib/modules/VERSION`; the version defaults to `uname -r`.
pub fn module_dir(base: Option<&[u8]>, version: Option<&[u8]>) -> io::Result<Vec<u8>> {
    let mut d = base.unwrap_or(b"").to_vec();
    while d.last() == Some(&b'/') {
        d.pop();
    }
    d.extend_from_slice(b"/lib/modules/");
    match version {
        Some(v) => d.extend_from_slice(v),
        None => d.extend_from_slice(&crate::sys::uname()?.release),
    }
    Ok(d)
}

/// A module name with every `-` turned into `_`, as the kernel keeps it.
pub fn normalize(name: &[u8]) -> Vec<u8> {
    name.iter()
        .map(|&b| if b == b'-' { b'_' } else { b })
        .collect()
}

/// An alias or alias pattern with `-` turned into `_` outside bracket
/// expressions, so `crypto-crc32c` and `crypto_crc32c` are the same.
pub fn alias_normalize(s: &[u8]) -> Vec<u8> {
    let mut v = Vec::with_capacity(s.len());
    alias_normalize_into(s, &mut v);
    v
}

fn alias_normalize_into(s: &[u8], out: &mut Vec<u8>) {
    out.clear();
    let mut in_bracket = false;
    for &b in s {
        match b {
            b'[' => in_bracket = true,
            b']' => in_bracket = false,
            _ => {}
        }
        out.push(if b == b'-' && !in_bracket { b'_' } else { b });
    }
}

/// Whether alias pattern `pat` matches the normalised `name`; `buf` is
/// scratch space. The literal start of the pattern is compared first, so
/// most of a long modules.alias costs no more than a few byte compares.
fn alias_hit(pat: &[u8], name: &[u8], buf: &mut Vec<u8>) -> bool {
    for (i, &b) in pat.iter().enumerate() {
        if matches!(b, b'*' | b'?' | b'[' | b'\\') {
            break;
        }
        let b = if b == b'-' { b'_' } else { b };
        if name.get(i) != Some(&b) {
            return false;
        }
    }
    alias_normalize_into(pat, buf);
    fnmatch(buf, name, Flags::default())
}

/// The module names whose (pattern, module) pairs match `name`.
fn alias_match<'a>(pairs: impl Iterator<Item = (&'a [u8], &'a [u8])>, name: &[u8]) -> Vec<Vec<u8>> {
    let name = alias_normalize(name);
    let mut buf = Vec::new();
    let mut v: Vec<Vec<u8>> = Vec::new();
    for (pat, m) in pairs {
        if alias_hit(pat, &name, &mut buf) {
            let m = normalize(m);
            if !v.contains(&m) {
                v.push(m);
            }
        }
    }
    v
}

/// The (pattern, module) pairs of `alias PATTERN MODULE` lines.
fn alias_lines(text: &[u8]) -> impl Iterator<Item = (&[u8], &[u8])> {
    let mut start = 0;
    std::iter::from_fn(move || {
        while start < text.len() {
            let end = memchr::memchr(b'\n', &text[start..]).map_or(text.len(), |i| start + i);
            let line = &text[start..end];
            start = end + 1;
            let Some(rest) = line.strip_prefix(b"alias ") else {
                continue;
            };
            if let Some(sp) = memchr::memchr(b' ', rest) {
                let name = rest[sp + 1..].trim_ascii();
                if sp > 0 && !name.is_empty() {
                    return Some((&rest[..sp], name));
                }
            }
        }
        None
    })
}

/// The module file extensions ibex recognises.
const EXTS: [&[u8]; 4] = [b".ko", b".ko.gz", b".ko.xz", b".ko.zst"];

/// The file name without its module extension, if it has one.
pub fn strip_ext(name: &[u8]) -> Option<&[u8]> {
    EXTS.iter()
        .find_map(|e| name.strip_suffix(*e).filter(|s| !s.is_empty()))
}

/// The normalised module name of a path: `/x/snd-hda.ko.gz` -> `snd_hda`.
pub fn name_of_path(path: &[u8]) -> Vec<u8> {
    let base = crate::path::basename(path);
    normalize(strip_ext(base).unwrap_or(base))
}

/// Read a whole regular file in one allocation of its size.
fn slurp(path: &[u8]) -> io::Result<Vec<u8>> {
    use std::os::fd::AsRawFd;
    let fd = crate::sys::open(path, crate::sys::O_RDONLY | crate::sys::O_NOCTTY, 0)?;
    let size = crate::sys::fstat(fd.as_raw_fd())?.size as usize;
    let mut v = vec![0u8; size.saturating_add(1).min(1 << 30)];
    let mut n = 0;
    loop {
        if n == v.len() {
            v.resize(n * 2, 0);
        }
        let k = crate::sys::read(fd.as_raw_fd(), &mut v[n..])?;
        if k == 0 {
            v.truncate(n);
            return Ok(v);
        }
        n += k;
    }
}

/// Read a module file into memory, decompressing `.ko.gz`.
pub fn read_module(path: &[u8]) -> io::Result<Vec<u8>> {
    let data = slurp(path)?;
    if data.starts_with(b"\x1f\x8b") {
        return gunzip(&data);
    }
    if data.starts_with(b"\xfd7zXZ\0") || data.starts_with(b"\x28\xb5\x2f\xfd") {
        return Err(crate::ioerr::other(
            "compressed module format not supported",
        ));
    }
    Ok(data)
}

fn gunzip(data: &[u8]) -> io::Result<Vec<u8>> {
    use crate::deflate::{self, Error, Start};
    let bad = |e: Error| match e {
        Error::Io(e) => e,
        Error::Truncated => crate::ioerr::other("unexpected end of file"),
        Error::Corrupt(m) => crate::ioerr::other(m),
    };
    let mut inp = deflate::Input::from_vec(data.to_vec());
    if !matches!(
        deflate::read_header(&mut inp).map_err(bad)?,
        Start::Member(_)
    ) {
        return Err(crate::ioerr::other("not in gzip format"));
    }
    let mut out = Vec::with_capacity(data.len() * 3);
    let mut win = deflate::inflate::Window::new();
    let mut sink = |d: &[u8]| {
        out.extend_from_slice(d);
        Ok(())
    };
    deflate::gunzip_member(&mut inp, &mut win, &mut sink).map_err(bad)?;
    Ok(out)
}

// ---------------------------------------------------------------- ELF

fn field(d: &[u8], off: usize, len: usize, big: bool) -> Option<u64> {
    let b = d.get(off..off.checked_add(len)?)?;
    let mut v = 0u64;
    for i in 0..len {
        let byte = if big { b[i] } else { b[len - 1 - i] };
        v = (v << 8) | u64::from(byte);
    }
    Some(v)
}

/// The bytes of a named section of an ELF file (32 or 64 bit, either
/// byte order), if it has one.
pub fn elf_section<'a>(elf: &'a [u8], want: &[u8]) -> Option<&'a [u8]> {
    let (off, size) = find_section(
        &mut |off, len| elf.get(off..off.checked_add(len)?).map(Cow::Borrowed),
        want,
    )?;
    elf.get(off..off.checked_add(size)?)
}

/// Where a named section lies in an ELF file, as (offset, size), reading
/// only the header, the section table and the section names through
/// `read(offset, length)`.
fn find_section<'a>(
    read: &mut dyn FnMut(usize, usize) -> Option<Cow<'a, [u8]>>,
    want: &[u8],
) -> Option<(usize, usize)> {
    let head = read(0, 0x40)?;
    if !head.starts_with(b"\x7fELF") {
        return None;
    }
    let wide = match head.get(4)? {
        1 => false,
        2 => true,
        _ => return None,
    };
    let big = match head.get(5)? {
        1 => false,
        2 => true,
        _ => return None,
    };
    let f = |d: &[u8], off: usize, len: usize| field(d, off, len, big);
    let (shoff, entsize, num, strndx) = if wide {
        (
            f(&head, 0x28, 8)?,
            f(&head, 0x3a, 2)?,
            f(&head, 0x3c, 2)?,
            f(&head, 0x3e, 2)?,
        )
    } else {
        (
            f(&head, 0x20, 4)?,
            f(&head, 0x2e, 2)?,
            f(&head, 0x30, 2)?,
            f(&head, 0x32, 2)?,
        )
    };
    let (entsize, num) = (entsize as usize, num as usize);
    let table = read(usize::try_from(shoff).ok()?, entsize.checked_mul(num)?)?;
    // (name offset, file offset, size) of section `i`.
    let header = |i: usize| -> Option<(usize, usize, usize)> {
        let h = i.checked_mul(entsize)?;
        let (name, off, size) = if wide {
            (
                f(&table, h, 4)?,
                f(&table, h + 24, 8)?,
                f(&table, h + 32, 8)?,
            )
        } else {
            (
                f(&table, h, 4)?,
                f(&table, h + 16, 4)?,
                f(&table, h + 20, 4)?,
            )
        };
        Some((
            usize::try_from(name).ok()?,
            usize::try_from(off).ok()?,
            usize::try_from(size).ok()?,
        ))
    };
    let (_, str_off, str_size) = header(strndx as usize)?;
    let strtab = read(str_off, str_size)?;
    for i in 0..num {
        let (name, off, size) = header(i)?;
        let Some(rest) = strtab.get(name..) else {
            continue;
        };
        let end = memchr::memchr(0, rest).unwrap_or(rest.len());
        if &rest[..end] == want {
            return Some((off, size));
        }
    }
    None
}

/// A module file's `.modinfo` section. An uncompressed module is read only
/// where needed (header, section table, names, the section): a scan of
/// the tree without modules.dep does not read whole modules.
pub fn read_modinfo(path: &[u8]) -> io::Result<Option<Vec<u8>>> {
    use std::os::fd::AsRawFd;
    let fd = crate::sys::open(path, crate::sys::O_RDONLY | crate::sys::O_NOCTTY, 0)?;
    let mut magic = [0u8; 4];
    let n = crate::sys::pread(fd.as_raw_fd(), &mut magic, 0)?;
    if &magic[..n] != b"\x7fELF" {
        let data = read_module(path)?;
        return Ok(elf_section(&data, b".modinfo").map(<[u8]>::to_vec));
    }
    let mut error = None;
    let mut read = |off: usize, len: usize| -> Option<Cow<'static, [u8]>> {
        // Section tables are small; a wild length is a corrupt file.
        let mut v = vec![0u8; len.min(64 << 20)];
        let mut done = 0;
        while done < v.len() {
            match crate::sys::pread(fd.as_raw_fd(), &mut v[done..], (off + done) as u64) {
                Ok(0) => return None,
                Ok(k) => done += k,
                Err(e) => {
                    error = Some(e);
                    return None;
                }
            }
        }
        Some(Cow::Owned(v))
    };
    let Some((off, size)) = find_section(&mut read, b".modinfo") else {
        return error.map_or(Ok(None), Err);
    };
    match read(off, size) {
        Some(v) => Ok(Some(v.into_owned())),
        None => error.map_or(Ok(None), Err),
    }
}

/// The `key=value` entries of a module's `.modinfo` section, in order.
/// None when the file is not an ELF object with that section.
pub fn modinfo(elf: &[u8]) -> Option<Vec<(&[u8], &[u8])>> {
    Some(modinfo_entries(elf_section(elf, b".modinfo")?))
}

/// The `key=value` entries of a `.modinfo` section's bytes.
pub fn modinfo_entries(sec: &[u8]) -> Vec<(&[u8], &[u8])> {
    sec.split(|&b| b == 0)
        .filter(|e| !e.is_empty())
        .map(|e| match memchr::memchr(b'=', e) {
            Some(i) => (&e[..i], &e[i + 1..]),
            None => (e, &b""[..]),
        })
        .collect()
}

/// Split a comma-separated `depends=` value.
pub fn depends_list(v: &[u8]) -> impl Iterator<Item = &[u8]> {
    v.split(|&b| b == b',').filter(|s| !s.is_empty())
}

// ---------------------------------------------------------------- the tree

/// One module of the tree: its path as modules.dep gives it (relative to
/// the module directory unless absolute), its name, and its dependencies
/// (the whole closure, in modules.dep order: the last one loads first).
#[derive(Clone, Debug, Default)]
pub struct Module {
    pub path: Vec<u8>,
    pub name: Vec<u8>,
    pub deps: Vec<usize>,
    /// From the module's own modinfo when the tree was scanned.
    pub aliases: Vec<Vec<u8>>,
    pub softdep: Vec<u8>,
}

/// A small fast hash for module names (no need for DoS resistance: the
/// names come from the system's own module lists).
#[derive(Clone, Copy, Default)]
pub struct NameHash;

pub struct NameHasher(u64);

impl std::hash::BuildHasher for NameHash {
    type Hasher = NameHasher;
    fn build_hasher(&self) -> NameHasher {
        NameHasher(0xcbf2_9ce4_8422_2325)
    }
}

impl std::hash::Hasher for NameHasher {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x100_0000_01b3);
        }
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

/// The modules of one module directory.
#[derive(Default)]
pub struct Tree {
    pub dir: Vec<u8>,
    pub mods: Vec<Module>,
    index: HashMap<Vec<u8>, usize, NameHash>,
    /// (pattern, module name) pairs from the modules (when scanned).
    pub aliases: Vec<(Vec<u8>, Vec<u8>)>,
    /// The text of modules.alias, read when it is first needed.
    alias_text: std::cell::OnceCell<Vec<u8>>,
    /// Names from modules.builtin.
    pub builtin: Vec<Vec<u8>>,
}

impl Tree {
    /// The index of the module at `path`, added if new.
    fn add(&mut self, path: &[u8]) -> usize {
        let base = crate::path::basename(path);
        let stem = strip_ext(base).unwrap_or(base);
        // Most names need no `-` -> `_`: look them up without allocating.
        let found = if stem.contains(&b'-') {
            self.index.get(normalize(stem).as_slice())
        } else {
            self.index.get(stem)
        };
        if let Some(&i) = found {
            return i;
        }
        let name = normalize(stem);
        let i = self.mods.len();
        self.index.insert(name.clone(), i);
        self.mods.push(Module {
            path: path.to_vec(),
            name,
            ..Module::default()
        });
        i
    }

    /// A tree without modules.
    pub fn empty(dir: &[u8]) -> Tree {
        Tree {
            dir: dir.to_vec(),
            ..Tree::default()
        }
    }

    /// The index of a module by name (`-` and `_` are the same).
    pub fn find(&self, name: &[u8]) -> Option<usize> {
        self.index.get(&normalize(name)).copied()
    }

    /// The path of a module to open: relative paths are under `dir`.
    pub fn full_path(&self, i: usize) -> Vec<u8> {
        let p = &self.mods[i].path;
        if p.first() == Some(&b'/') {
            p.clone()
        } else {
            crate::path::join(&self.dir, p)
        }
    }

    /// Read modules.dep, modules.alias and modules.builtin of `dir`.
    /// Fails (with the error of opening modules.dep) when it is missing.
    pub fn load(dir: &[u8]) -> io::Result<Tree> {
        let text = slurp(&crate::path::join(dir, b"modules.dep"))?;
        let mut t = Tree {
            dir: dir.to_vec(),
            ..Tree::default()
        };
        let lines = memchr::memchr_iter(b'\n', &text).count() + 1;
        t.mods.reserve(lines);
        t.index.reserve(lines);
        for line in text.split(|&b| b == b'\n') {
            let Some(colon) = memchr::memchr(b':', line) else {
                continue;
            };
            let m = t.add(&line[..colon]);
            let deps: Vec<usize> = words(&line[colon + 1..])
                .map(|d| t.add(d))
                .filter(|&d| d != m)
                .collect();
            t.mods[m].deps = deps;
        }
        t.read_builtin();
        Ok(t)
    }

    fn read_builtin(&mut self) {
        if let Ok(text) = crate::io::read_file(&crate::path::join(&self.dir, b"modules.builtin")) {
            self.builtin = text
                .split(|&b| b == b'\n')
                .filter(|l| !l.is_empty())
                .map(name_of_path)
                .collect();
        }
    }

    /// Build the tree by reading every module under `dir` (what depmod
    /// does, and modprobe when modules.dep is missing). Modules listed in
    /// modules.order come first, the others in path order. Problems are
    /// reported through `warn` (a message without the applet prefix).
    pub fn scan(dir: &[u8], warn: &mut dyn FnMut(&[u8])) -> io::Result<Tree> {
        crate::sys::stat(dir)?;
        let mut paths: Vec<Vec<u8>> = Vec::new();
        let opts = Options {
            sorted: true,
            stat_all: false,
            ..Options::default()
        };
        let mut w = Walker::new(dir, opts);
        while let Some(e) = w.next() {
            match e.visit {
                Visit::File if strip_ext(e.name).is_some() && e.kind != crate::sys::S_IFDIR => {
                    if let Some(rel) = e.path.get(dir.len() + 1..) {
                        paths.push(rel.to_vec());
                    }
                }
                Visit::DirError(err) if e.depth == 0 => {
                    return Err(io::Error::from_raw_os_error(
                        err.raw_os_error().unwrap_or(5),
                    ));
                }
                _ => {}
            }
        }
        if let Ok(order) = crate::io::read_file(&crate::path::join(dir, b"modules.order")) {
            let rank: HashMap<&[u8], usize> = order
                .split(|&b| b == b'\n')
                .filter(|l| !l.is_empty())
                .enumerate()
                .map(|(i, l)| (l, i))
                .collect();
            // Stable: unlisted modules keep path order, after the listed ones.
            crate::order::sort_by_key(&mut paths, |p| {
                let key = strip_ext(p)
                    .map(|s| [s, b".ko"].concat())
                    .unwrap_or_default();
                rank.get(key.as_slice()).copied().unwrap_or(usize::MAX)
            });
        }
        let mut t = Tree {
            dir: dir.to_vec(),
            ..Tree::default()
        };
        let mut wanted: Vec<Vec<Vec<u8>>> = Vec::new();
        for p in paths {
            if t.find(&name_of_path(&p)).is_some() {
                continue; // a second file of the same name: the first wins
            }
            let full = crate::path::join(dir, &p);
            let section = match read_modinfo(&full) {
                Ok(Some(d)) => d,
                Ok(None) => {
                    warn(&[&full[..], b": not a kernel module"].concat());
                    continue;
                }
                Err(e) => {
                    warn(&[&full[..], b": ", crate::error::reason(&e).as_bytes()].concat());
                    continue;
                }
            };
            let info = modinfo_entries(&section);
            let i = t.add(&p);
            wanted.push(Vec::new());
            for (k, v) in info {
                match k {
                    b"depends" => wanted[i].extend(depends_list(v).map(<[u8]>::to_vec)),
                    b"alias" => t.mods[i].aliases.push(v.to_vec()),
                    b"softdep" => t.mods[i].softdep = v.to_vec(),
                    _ => {}
                }
            }
        }
        // Direct dependencies as indexes, then each module's closure.
        let mut direct: Vec<Vec<usize>> = Vec::with_capacity(t.mods.len());
        for (i, names) in wanted.iter().enumerate() {
            let mut v = Vec::new();
            for n in names {
                match t.find(n) {
                    Some(d) if d != i => v.push(d),
                    Some(_) => {}
                    None => {
                        warn(&[&t.full_path(i)[..], b" needs unknown module ", &n[..]].concat())
                    }
                }
            }
            direct.push(v);
        }
        let mut cycles = Vec::new();
        for i in 0..t.mods.len() {
            let mut order = load_order(&direct, i, &mut cycles);
            order.pop(); // the module itself
            order.reverse();
            t.mods[i].deps = order;
        }
        crate::order::sort(&mut cycles);
        cycles.dedup();
        for c in cycles {
            warn(&[&t.mods[c].name[..], b" is in a dependency cycle"].concat());
        }
        t.alias_text = std::cell::OnceCell::from(Vec::new());
        t.aliases = t
            .mods
            .iter()
            .flat_map(|m| m.aliases.iter().map(|a| (a.clone(), m.name.clone())))
            .collect();
        t.read_builtin();
        Ok(t)
    }

    /// modules.dep text: `path: dep dep`.
    pub fn write_dep(&self, out: &mut Vec<u8>) {
        for m in &self.mods {
            out.extend_from_slice(&m.path);
            out.push(b':');
            for &d in &m.deps {
                out.push(b' ');
                out.extend_from_slice(&self.mods[d].path);
            }
            out.push(b'\n');
        }
    }

    /// modules.alias text from the modules' own aliases.
    pub fn write_alias(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(b"# Aliases extracted from modules themselves.\n");
        for (pat, name) in &self.aliases {
            out.extend_from_slice(&[&b"alias "[..], pat, b" ", name, b"\n"].concat());
        }
    }

    /// modules.softdep text from the modules' `softdep=` entries.
    pub fn write_softdep(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(b"# Soft dependencies extracted from modules themselves.\n");
        for m in self.mods.iter().filter(|m| !m.softdep.is_empty()) {
            out.extend_from_slice(&[&b"softdep "[..], &m.name, b" ", &m.softdep, b"\n"].concat());
        }
    }

    /// The order to load module `i` in: its dependencies (the last listed
    /// first), then itself.
    pub fn load_list(&self, i: usize) -> Vec<usize> {
        let mut v: Vec<usize> = self.mods[i].deps.iter().rev().copied().collect();
        v.push(i);
        v
    }

    /// The modules whose modules.alias patterns match `name`.
    pub fn match_alias(&self, name: &[u8]) -> Vec<Vec<u8>> {
        let text = self.alias_text.get_or_init(|| {
            slurp(&crate::path::join(&self.dir, b"modules.alias")).unwrap_or_default()
        });
        let own = self
            .aliases
            .iter()
            .map(|(p, m)| (p.as_slice(), m.as_slice()));
        alias_match(own.chain(alias_lines(text)), name)
    }

    pub fn is_builtin(&self, name: &[u8]) -> bool {
        let n = normalize(name);
        self.builtin.contains(&n)
    }
}

/// Depth-first post-order from `start` over `direct`: dependencies before
/// dependents, `start` last. Back edges (cycles) are recorded and cut.
fn load_order(direct: &[Vec<usize>], start: usize, cycles: &mut Vec<usize>) -> Vec<usize> {
    let mut out = Vec::new();
    let mut state = vec![0u8; direct.len()]; // 0 new, 1 on the path, 2 done
    let mut stack = vec![(start, 0usize)];
    state[start] = 1;
    while let Some(top) = stack.last_mut() {
        let (m, next) = *top;
        if let Some(&d) = direct[m].get(next) {
            top.1 += 1;
            match state[d] {
                0 => {
                    state[d] = 1;
                    stack.push((d, 0));
                }
                1 => cycles.push(d),
                _ => {}
            }
        } else {
            state[m] = 2;
            out.push(m);
            stack.pop();
        }
    }
    out
}

fn words(s: &[u8]) -> impl Iterator<Item = &[u8]> {
    s.split(|b| b.is_ascii_whitespace())
        .filter(|w| !w.is_empty())
}

// ---------------------------------------------------------------- modprobe.d

/// A soft dependency: (module name, modules before it, modules after it).
pub type SoftDep = (Vec<u8>, Vec<Vec<u8>>, Vec<Vec<u8>>);

/// The modprobe.d configuration that ibex honours.
#[derive(Default, Debug)]
pub struct Config {
    /// (pattern, module name).
    pub aliases: Vec<(Vec<u8>, Vec<u8>)>,
    /// (module name, options text).
    pub options: Vec<(Vec<u8>, Vec<u8>)>,
    pub blacklist: Vec<Vec<u8>>,
    pub softdeps: Vec<SoftDep>,
}

/// The default configuration directories, earliest first: a file name
/// found in an earlier one hides the same name in later ones.
pub const CONFIG_DIRS: [&[u8]; 5] = [
    b"/etc/modprobe.d",
    b"/run/modprobe.d",
    b"/usr/local/lib/modprobe.d",
    b"/usr/lib/modprobe.d",
    b"/lib/modprobe.d",
];

impl Config {
    /// Read configuration from files or directories (`*.conf` files in
    /// name order).
    pub fn load(paths: &[&[u8]]) -> Config {
        let mut files: Vec<(Vec<u8>, Vec<u8>)> = Vec::new();
        for &p in paths {
            let Ok(fd) = crate::sys::open(p, crate::sys::O_RDONLY | crate::sys::O_DIRECTORY, 0)
            else {
                if crate::sys::stat(p).is_ok_and(|s| s.is_reg()) {
                    files.push((p.to_vec(), p.to_vec()));
                }
                continue;
            };
            let mut ents = Vec::new();
            if crate::sys::read_dir_all(std::os::fd::AsRawFd::as_raw_fd(&fd), &mut ents).is_err() {
                continue;
            }
            for e in ents {
                let name: &[u8] = &e.name;
                if name.ends_with(b".conf") && !files.iter().any(|(n, _)| n == name) {
                    files.push((name.to_vec(), crate::path::join(p, name)));
                }
            }
        }
        crate::order::sort(&mut files);
        let mut c = Config::default();
        for (_, path) in files {
            if let Ok(text) = crate::io::read_file(&path) {
                c.parse(&text);
            }
        }
        c
    }

    /// Add the settings of one file's text (`\` continues a line, `#`
    /// starts a comment line).
    pub fn parse(&mut self, text: &[u8]) {
        let mut joined = Vec::new();
        for line in text.split(|&b| b == b'\n') {
            if let Some(head) = line.strip_suffix(b"\\") {
                joined.extend_from_slice(head);
                joined.push(b' ');
                continue;
            }
            joined.extend_from_slice(line);
            self.line(&joined);
            joined.clear();
        }
        if !joined.is_empty() {
            self.line(&joined);
        }
    }

    fn line(&mut self, line: &[u8]) {
        let trimmed = line.trim_ascii_start();
        if trimmed.first() == Some(&b'#') {
            return;
        }
        let mut w = words(trimmed);
        let (Some(cmd), Some(name)) = (w.next(), w.next()) else {
            return;
        };
        match cmd {
            b"alias" => {
                if let Some(m) = w.next() {
                    self.aliases.push((name.to_vec(), normalize(m)));
                }
            }
            b"options" => {
                // The rest of the line, blanks squeezed outside quotes.
                let at = name.as_ptr() as usize - trimmed.as_ptr() as usize + name.len();
                let rest = trimmed.get(at..).unwrap_or_default().trim_ascii();
                let (mut opts, mut quoted) = (Vec::with_capacity(rest.len()), false);
                for &b in rest {
                    if b == b'"' {
                        quoted = !quoted;
                    }
                    let blank = b.is_ascii_whitespace() && !quoted;
                    if !(blank && opts.last() == Some(&b' ')) {
                        opts.push(if blank { b' ' } else { b });
                    }
                }
                if !opts.is_empty() {
                    self.options.push((normalize(name), opts));
                }
            }
            b"blacklist" => self.blacklist.push(normalize(name)),
            b"softdep" => {
                let (mut pre, mut post) = (Vec::new(), Vec::new());
                let mut into_post = false;
                for word in w {
                    match word {
                        b"pre:" => into_post = false,
                        b"post:" => into_post = true,
                        m if into_post => post.push(m.to_vec()),
                        m => pre.push(m.to_vec()),
                    }
                }
                self.softdeps.push((normalize(name), pre, post));
            }
            _ => {}
        }
    }

    /// Add the module settings of a kernel command line:
    /// `module.param[=value]` options and `modprobe.blacklist=a,b`.
    pub fn parse_cmdline(&mut self, text: &[u8]) {
        let mut tokens: Vec<Vec<u8>> = Vec::new();
        let (mut cur, mut quoted) = (Vec::new(), false);
        for &b in text {
            match b {
                b'"' => {
                    quoted = !quoted;
                    cur.push(b);
                }
                b' ' | b'\t' | b'\n' if !quoted => {
                    if !cur.is_empty() {
                        tokens.push(std::mem::take(&mut cur));
                    }
                }
                _ => cur.push(b),
            }
        }
        if !cur.is_empty() {
            tokens.push(cur);
        }
        for t in tokens {
            if t == b"--" {
                break; // the rest is for init
            }
            let eq = memchr::memchr(b'=', &t).unwrap_or(t.len());
            let Some(dot) = memchr::memchr(b'.', &t[..eq]) else {
                continue;
            };
            let (module, param) = (&t[..dot], &t[dot + 1..]);
            let ident = |b: &u8| b.is_ascii_alphanumeric() || *b == b'_' || *b == b'-';
            let starts = module
                .first()
                .is_some_and(|b| b.is_ascii_alphabetic() || *b == b'_');
            if !starts || !module.iter().all(ident) || param.is_empty() {
                continue;
            }
            if module == b"modprobe" {
                if let Some(list) = param.strip_prefix(b"blacklist=") {
                    let names = list.split(|&b| b == b',').filter(|n| !n.is_empty());
                    self.blacklist.extend(names.map(normalize));
                }
                continue;
            }
            self.options.push((normalize(module), param.to_vec()));
        }
    }

    /// The modules a configured alias maps `name` to.
    pub fn match_alias(&self, name: &[u8]) -> Vec<Vec<u8>> {
        let pairs = self
            .aliases
            .iter()
            .map(|(p, m)| (p.as_slice(), m.as_slice()));
        alias_match(pairs, name)
    }

    /// The configured options of a module, joined by spaces.
    pub fn options_of(&self, name: &[u8]) -> Vec<u8> {
        let n = normalize(name);
        let v: Vec<&[u8]> = self
            .options
            .iter()
            .filter(|(m, _)| *m == n)
            .map(|(_, o)| o.as_slice())
            .collect();
        v.join(&b' ')
    }

    pub fn blacklisted(&self, name: &[u8]) -> bool {
        self.blacklist.contains(&normalize(name))
    }
}

/// Parse a `softdep=` / modules.softdep value: `pre: a b post: c`.
pub fn parse_softdep(v: &[u8]) -> (Vec<Vec<u8>>, Vec<Vec<u8>>) {
    let mut c = Config::default();
    c.line(&[&b"softdep x "[..], v].concat());
    c.softdeps
        .pop()
        .map(|(_, pre, post)| (pre, post))
        .unwrap_or_default()
}

// ---------------------------------------------------------------- /proc/modules

/// One line of /proc/modules.
#[derive(Clone, Debug)]
pub struct Loaded {
    pub name: Vec<u8>,
    pub size: u64,
    /// The use count, or -1 when the kernel shows `-` (no unloading).
    pub refcnt: i64,
    /// The modules that use this one.
    pub users: Vec<Vec<u8>>,
}

/// The kernel command line (`IBEX_PROC_CMDLINE` overrides /proc/cmdline).
pub fn cmdline() -> Vec<u8> {
    use std::os::unix::ffi::OsStrExt;
    let path = match std::env::var_os("IBEX_PROC_CMDLINE") {
        Some(p) if !p.is_empty() => p.as_bytes().to_vec(),
        _ => b"/proc/cmdline".to_vec(),
    };
    crate::io::read_file(&path).unwrap_or_default()
}

/// The path read for the loaded modules.
pub fn proc_modules_path() -> Vec<u8> {
    use std::os::unix::ffi::OsStrExt;
    match std::env::var_os("IBEX_PROC_MODULES") {
        Some(p) if !p.is_empty() => p.as_bytes().to_vec(),
        _ => b"/proc/modules".to_vec(),
    }
}

/// The loaded modules (an empty list when /proc/modules is missing).
pub fn loaded() -> io::Result<Vec<Loaded>> {
    let text = match crate::io::read_file(&proc_modules_path()) {
        Ok(t) => t,
        Err(e) if e.raw_os_error() == Some(libc::ENOENT) => return Ok(Vec::new()),
        Err(e) => return Err(e),
    };
    Ok(parse_proc_modules(&text))
}

pub fn parse_proc_modules(text: &[u8]) -> Vec<Loaded> {
    let mut v = Vec::new();
    for line in text.split(|&b| b == b'\n') {
        let mut w = words(line);
        let (Some(name), Some(size), Some(refcnt)) = (w.next(), w.next(), w.next()) else {
            continue;
        };
        let num = |s: &[u8]| {
            std::str::from_utf8(s)
                .ok()
                .and_then(|s| s.parse::<i64>().ok())
        };
        let users = match w.next() {
            Some(b"-") | None => Vec::new(),
            Some(list) => list
                .split(|&b| b == b',')
                .filter(|s| !s.is_empty())
                .map(<[u8]>::to_vec)
                .collect(),
        };
        v.push(Loaded {
            name: name.to_vec(),
            size: num(size).unwrap_or(0).max(0) as u64,
            refcnt: num(refcnt).unwrap_or(-1),
            users,
        });
    }
    v
}

// ---------------------------------------------------------------- loading

/// Load a module file with parameters: finit_module on the file, or
/// init_module on its (decompressed) image when the file is compressed or
/// the kernel lacks finit_module. `force` ignores version magic and
/// symbol versions.
pub fn insert(path: &[u8], params: &[u8], force: bool) -> io::Result<()> {
    use std::os::fd::AsRawFd;
    let flags = if force { 3 } else { 0 };
    let fd = crate::sys::open(path, crate::sys::O_RDONLY, 0)?;
    let mut magic = [0u8; 6];
    let n = crate::sys::read(fd.as_raw_fd(), &mut magic)?;
    // A compressed file goes to the kernel first (MODULE_INIT_COMPRESSED_FILE,
    // Linux 6.4+), and is decompressed here when the kernel refuses it.
    let plain = n >= 4 && magic.starts_with(b"\x7fELF");
    let flags = if plain { flags } else { flags | 4 };
    match crate::sys::finit_module(fd.as_raw_fd(), params, flags) {
        Err(e) if e.raw_os_error() == Some(libc::ENOSYS) => {}
        Err(e) if !plain && matches!(e.raw_os_error(), Some(libc::EINVAL | libc::EOPNOTSUPP)) => {}
        r => return r,
    }
    drop(fd);
    let image = read_module(path)?;
    crate::sys::init_module(&image, params)
}

/// kmod's wording of why the kernel refused a module.
pub fn insert_reason(e: &io::Error) -> String {
    match e.raw_os_error() {
        Some(libc::ENOEXEC) => "Invalid module format".into(),
        Some(libc::ENOENT) => "Unknown symbol in module, or unknown parameter (see dmesg)".into(),
        Some(libc::ESRCH) => "Unknown symbol in module".into(),
        _ => crate::error::reason(e),
    }
}

// ---------------------------------------------------------------- signatures

/// What the signature appended to a module says (as kmod shows it).
#[derive(Debug, Default)]
pub struct Signature {
    pub id: &'static str,
    pub signer: Vec<u8>,
    pub key: Vec<u8>,
    pub hash: &'static str,
    pub sig: Vec<u8>,
}

const SIG_MAGIC: &[u8] = b"~Module signature appended~\n";
const HASHES: [&str; 9] = [
    "md4", "md5", "sha1", "rmd160", "sha256", "sha384", "sha512", "sha224", "sm3",
];

/// Parse the signature appended to a module file, if there is one.
pub fn signature(data: &[u8]) -> Option<Signature> {
    let body = data.strip_suffix(SIG_MAGIC)?;
    let info_at = body.len().checked_sub(12)?;
    let info = &body[info_at..];
    let sig_len = u32::from_be_bytes([info[8], info[9], info[10], info[11]]) as usize;
    let (signer_len, key_len) = (usize::from(info[3]), usize::from(info[4]));
    let start = info_at.checked_sub(sig_len + signer_len + key_len)?;
    let blob = &body[start..info_at];
    let id = match info[2] {
        0 => "PGP",
        1 => "X509",
        2 => "PKCS#7",
        _ => "unknown",
    };
    if info[2] == 2 {
        let mut s = pkcs7(blob).unwrap_or_default();
        s.id = id;
        return Some(s);
    }
    Some(Signature {
        id,
        signer: blob[..signer_len].to_vec(),
        key: blob[signer_len..signer_len + key_len].to_vec(),
        hash: HASHES
            .get(usize::from(info[1]))
            .copied()
            .unwrap_or("unknown"),
        sig: blob[signer_len + key_len..].to_vec(),
    })
}

/// One DER element: (tag, contents, what follows).
fn der(d: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let (&tag, rest) = d.split_first()?;
    let (&first, mut rest) = rest.split_first()?;
    let len = if first < 0x80 {
        usize::from(first)
    } else {
        let n = usize::from(first & 0x7f);
        if n == 0 || n > 4 || rest.len() < n {
            return None;
        }
        let mut len = 0usize;
        for &b in &rest[..n] {
            len = (len << 8) | usize::from(b);
        }
        rest = &rest[n..];
        len
    };
    if rest.len() < len {
        return None;
    }
    Some((tag, &rest[..len], &rest[len..]))
}

/// The elements of a constructed DER value.
fn der_items(mut d: &[u8]) -> Vec<(u8, &[u8])> {
    let mut v = Vec::new();
    while let Some((tag, body, rest)) = der(d) {
        v.push((tag, body));
        d = rest;
    }
    v
}

/// Signer, key id, hash and signature of a PKCS#7 SignedData blob.
fn pkcs7(blob: &[u8]) -> Option<Signature> {
    let (_, content_info, _) = der(blob)?;
    let outer = der_items(content_info);
    let (_, explicit) = outer.iter().find(|i| i.0 == 0xa0)?;
    let (_, signed, _) = der(explicit)?;
    let (_, infos) = der_items(signed).into_iter().rev().find(|i| i.0 == 0x31)?;
    let (_, info, _) = der(infos)?;
    let items = der_items(info);
    let mut s = Signature::default();
    let sid = items.get(1)?;
    if sid.0 == 0x30 {
        let parts = der_items(sid.1);
        let (_, issuer) = parts.first()?;
        s.signer = common_name(issuer).unwrap_or_default();
        let serial = parts.get(1)?.1;
        let lead = serial.iter().take_while(|&&b| b == 0).count();
        s.key = serial[lead.min(serial.len().saturating_sub(1))..].to_vec();
    } else {
        s.key = sid.1.to_vec();
    }
    let (_, alg) = items.get(2)?;
    let (_, oid, _) = der(alg)?;
    s.hash = hash_name(oid);
    s.sig = items.iter().find(|i| i.0 == 0x04)?.1.to_vec();
    Some(s)
}

/// The commonName of an X.509 Name.
fn common_name(name: &[u8]) -> Option<Vec<u8>> {
    for (_, rdn) in der_items(name) {
        for (_, atv) in der_items(rdn) {
            let parts = der_items(atv);
            if parts.first().map(|p| p.1) == Some(&[0x55, 0x04, 0x03][..]) {
                return parts.get(1).map(|p| p.1.to_vec());
            }
        }
    }
    None
}

fn hash_name(oid: &[u8]) -> &'static str {
    const NIST: &[u8] = &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02];
    match oid {
        [0x2b, 0x0e, 0x03, 0x02, 0x1a] => "sha1",
        [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x02, 0x05] => "md5",
        [0x2a, 0x81, 0x1c, 0xcf, 0x55, 0x01, 0x83, 0x11] => "sm3",
        [p @ .., last] if p == NIST => match last {
            1 => "sha256",
            2 => "sha384",
            3 => "sha512",
            4 => "sha224",
            8 => "sha3-256",
            9 => "sha3-384",
            10 => "sha3-512",
            _ => "unknown",
        },
        _ => "unknown",
    }
}

/// Bytes as `AB:CD:...`, 20 to a line, continuation lines indented by
/// two tabs (kmod's layout of keys and signatures).
pub fn hex_colons(b: &[u8]) -> Vec<u8> {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut v = Vec::with_capacity(b.len() * 3 + b.len() / 20 * 3);
    for (i, &x) in b.iter().enumerate() {
        if i > 0 {
            v.push(b':');
            if i % 20 == 0 {
                v.extend_from_slice(b"\n\t\t");
            }
        }
        v.push(HEX[usize::from(x >> 4)]);
        v.push(HEX[usize::from(x & 15)]);
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(name_of_path(b"/a/snd-hda.ko.gz"), b"snd_hda");
        assert_eq!(name_of_path(b"x.ko"), b"x");
        assert_eq!(strip_ext(b".ko"), None);
        assert_eq!(strip_ext(b"a.o"), None);
    }

    #[test]
    fn config_lines() {
        let mut c = Config::default();
        c.parse(b"# c\noptions x q=\"1  2\"\noptions a-b x=1 \\\n y=2\nblacklist z\nalias f* a_b\nsoftdep q pre: r post: s t\n");
        assert_eq!(c.options_of(b"a_b"), b"x=1 y=2");
        assert!(c.blacklisted(b"z"));
        assert_eq!(c.match_alias(b"foo"), vec![b"a_b".to_vec()]);
        assert_eq!(c.softdeps[0].2.len(), 2);
        assert_eq!(c.options_of(b"x"), b"q=\"1  2\"");
        c.parse_cmdline(b"ro a-b.z=\"1 2\" quiet .x=1 c. modprobe.blacklist=q,r-s\n");
        assert_eq!(c.options_of(b"a_b"), b"x=1 y=2 z=\"1 2\"");
        assert!(c.blacklisted(b"r_s"));
    }

    #[test]
    fn proc_lines() {
        let l = parse_proc_modules(b"fat 86016 1 vfat, Live 0x0\nx 1 - - Live\n");
        assert_eq!(l[0].users, vec![b"vfat".to_vec()]);
        assert_eq!(l[1].refcnt, -1);
    }

    #[test]
    fn cycles_are_cut() {
        let direct = vec![vec![1], vec![0]];
        let mut c = Vec::new();
        assert_eq!(load_order(&direct, 0, &mut c), vec![1, 0]);
        assert_eq!(c, vec![0]);
    }
}
