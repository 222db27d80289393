//! modprobe: load (or with -r unload) kernel modules with their
//! dependencies, like kmod's modprobe. Modules come from
//! /lib/modules/VERSION/modules.dep, or from reading the modules' own
//! `depends=` when it is missing; names are resolved through modprobe.d
//! aliases, module names, modules.alias (shell patterns) and
//! modules.builtin. modprobe.d `options`, `alias`, `blacklist` (with -b)
//! and `softdep` are honoured; `install`/`remove` commands are not.
//! Options from the kernel command line (`module.param=value`,
//! `modprobe.blacklist=`) are added. Modules already in /proc/modules are
//! skipped.

use ibex::Status;
use ibex::args::{Parser, Spec, flag, value};
use ibex::io::Out;
use ibex::kmod::{self, Config, Loaded, Tree};
use std::ffi::OsString;
use std::os::unix::ffi::OsStrExt;

const USAGE: ibex::usage::Usage = ibex::usage!(
    modprobe,
    "modprobe [-arqnvDRcbf] [-C CONFIG] [-d BASEDIR] [-S VERSION] MODULE [SYMBOL=VALUE]...

Load kernel modules and their dependencies

\t-a\tLoad (or remove) every MODULE given
\t-r\tRemove MODULEs and the dependencies no longer used
\t-q\tQuiet: no message for modules not found
\t-n\tDry run: do not load or remove anything
\t-v\tVerbose: print each insmod/rmmod
\t-D\tPrint the dependencies of MODULE and exit
\t-R\tPrint the module names MODULE resolves to and exit
\t-c\tPrint the configuration and exit
\t-b\tApply the blacklist (to aliases too)
\t-f\tForce (ignore version magic and symbol versions)
\t-C CONFIG\tRead CONFIG (file or directory) instead of /etc/modprobe.d...
\t-d BASEDIR\tUse BASEDIR/lib/modules
\t-S VERSION\tUse VERSION instead of `uname -r`
\t--first-time\tFail if the module is already loaded (or not loaded with -r)"
);

const FIRST: u32 = 256;

const LONGS: &[ibex::args::Long] = &[
    flag("all", 'a' as u32),
    flag("remove", 'r' as u32),
    flag("quiet", 'q' as u32),
    flag("dry-run", 'n' as u32),
    flag("show", 'n' as u32),
    flag("verbose", 'v' as u32),
    flag("show-depends", 'D' as u32),
    flag("resolve-alias", 'R' as u32),
    flag("showconfig", 'c' as u32),
    flag("show-config", 'c' as u32),
    flag("use-blacklist", 'b' as u32),
    flag("force", 'f' as u32),
    flag("ignore-install", 'i' as u32),
    flag("ignore-remove", 'i' as u32),
    flag("syslog", 's' as u32),
    flag("first-time", FIRST),
    value("config", 'C' as u32),
    value("dirname", 'd' as u32),
    value("set-version", 'S' as u32),
];

const SPEC: Spec = Spec::new("arqnvDRcbfisC:d:S:", LONGS, USAGE);

#[derive(Default)]
struct Probe {
    all: bool,
    remove: bool,
    quiet: bool,
    dry: bool,
    verbose: bool,
    show_deps: bool,
    resolve: bool,
    blacklist: bool,
    force: bool,
    first_time: bool,
    tree: Tree,
    config: Config,
    loaded: Vec<Loaded>,
    /// Modules handled in this run (loaded or removed).
    done: Vec<usize>,
    out: Option<Out>,
}

/// What a name resolves to.
enum Target {
    Module(usize),
    Builtin(Vec<u8>),
}

pub fn main(argv: &[OsString]) -> Status {
    let mut p = Parser::new(argv, &SPEC);
    let mut m = Probe::default();
    let (mut configs, mut base, mut version, mut show_config) = (Vec::new(), None, None, false);
    while let Some((id, val)) = p.next()? {
        let v = || val.map(|v| v.as_bytes().to_vec()).unwrap_or_default();
        if id == FIRST {
            m.first_time = true;
            continue;
        }
        match char::from_u32(id).unwrap_or('?') {
            'a' => m.all = true,
            'r' => m.remove = true,
            'q' => m.quiet = true,
            'n' => m.dry = true,
            'v' => m.verbose = true,
            'D' => m.show_deps = true,
            'R' => m.resolve = true,
            'c' => show_config = true,
            'b' => m.blacklist = true,
            'f' => m.force = true,
            'C' => configs.push(v()),
            'd' => base = Some(v()),
            'S' => version = Some(v()),
            _ => {}
        }
    }
    let ops = p.operands();
    if ops.is_empty() && !show_config {
        ibex::msg!("ERROR: missing parameters. See -h.");
        return Ok(1);
    }
    let dir = match kmod::module_dir(base.as_deref(), version.as_deref()) {
        Ok(d) => d,
        Err(e) => {
            ibex::msg!("FATAL: uname: ", e);
            return Ok(1);
        }
    };
    let paths: Vec<&[u8]> = if configs.is_empty() {
        kmod::CONFIG_DIRS.to_vec()
    } else {
        configs.iter().map(Vec::as_slice).collect()
    };
    m.config = Config::load(&paths);
    m.config.parse_cmdline(&kmod::cmdline());
    if let Ok(text) = ibex::io::read_file(&ibex::path::join(&dir, b"modules.softdep")) {
        m.config.parse(&text);
    }
    m.out = Some(Out::stdout());
    if show_config {
        m.show_config();
        return m.finish(0);
    }
    m.tree = match Tree::load(&dir) {
        Ok(t) => t,
        Err(_) => {
            // No modules.dep: read the modules themselves.
            let t = Tree::scan(&dir, &mut |_| {}).unwrap_or_else(|_| Tree::empty(&dir));
            for md in t.mods.iter().filter(|md| !md.softdep.is_empty()) {
                m.config
                    .parse(&[&b"softdep "[..], &md.name, b" ", &md.softdep].concat());
            }
            t
        }
    };
    m.loaded = kmod::loaded().unwrap_or_default();
    let (names, params): (&[&std::ffi::OsStr], Vec<&[u8]>) = if m.all || m.remove {
        (&ops[..], Vec::new())
    } else {
        (&ops[..1], ops[1..].iter().map(|a| a.as_bytes()).collect())
    };
    let params = params.join(&b' ');
    for name in names {
        let name = name.as_bytes();
        let status = m.one(name, &params);
        if status != 0 {
            return m.finish(status);
        }
    }
    m.finish(0)
}

impl Probe {
    fn out(&mut self) -> &mut Out {
        self.out.get_or_insert_with(Out::stdout)
    }

    fn finish(&mut self, status: i32) -> Status {
        match self.out.take() {
            Some(out) => out.done(status),
            None => Ok(status),
        }
    }

    /// A message on stderr after what stdout already holds.
    fn say(&mut self, parts: &[&[u8]]) {
        self.out().flush();
        ibex::msg!(&parts.concat()[..]);
    }

    fn one(&mut self, name: &[u8], params: &[u8]) -> i32 {
        let targets = self.resolve_name(name);
        if targets.is_empty() {
            // A loaded module the tree does not know can still be removed.
            let norm = kmod::normalize(name);
            if self.remove && self.is_loaded(&norm) {
                return self.remove_named(norm, &[]);
            }
            if !self.quiet {
                let dir = self.tree.dir.clone();
                if self.remove {
                    self.say(&[b"FATAL: Module ", name, b" not found."]);
                } else {
                    self.say(&[b"FATAL: Module ", name, b" not found in directory ", &dir]);
                }
            }
            return 1;
        }
        for t in targets {
            let status = match t {
                Target::Builtin(n) => self.builtin(&n),
                Target::Module(i) if self.resolve => {
                    let n = self.tree.mods[i].name.clone();
                    self.out().write(&n);
                    self.out().byte(b'\n');
                    0
                }
                Target::Module(i) if self.remove => self.remove_module(i),
                // -b: blacklisted modules are quietly not loaded.
                Target::Module(i)
                    if self.blacklist && self.config.blacklisted(&self.tree.mods[i].name) =>
                {
                    0
                }
                Target::Module(i) => self.insert_module(i, params),
            };
            if status != 0 {
                return status;
            }
        }
        0
    }

    fn builtin(&mut self, name: &[u8]) -> i32 {
        if self.resolve || self.show_deps {
            let line = if self.resolve {
                [name, b"\n"].concat()
            } else {
                [b"builtin ", name, b"\n"].concat()
            };
            self.out().write(&line);
        } else if self.remove {
            if !self.quiet {
                self.say(&[b"FATAL: Module ", name, b" is builtin."]);
            }
            return 1;
        }
        0
    }

    /// Config aliases first, then the module's own name, modules.alias,
    /// and the built-in modules.
    fn resolve_name(&self, name: &[u8]) -> Vec<Target> {
        let mut names = self.config.match_alias(name);
        let mut by_alias = true;
        if names.is_empty() {
            if let Some(i) = self.tree.find(name) {
                by_alias = false;
                names.push(self.tree.mods[i].name.clone());
            } else {
                names = self.tree.match_alias(name);
            }
        }
        if names.is_empty() && self.tree.is_builtin(name) {
            return vec![Target::Builtin(kmod::normalize(name))];
        }
        let mut v = Vec::new();
        for n in names {
            if let Some(i) = self.tree.find(&n) {
                v.push(Target::Module(i));
            } else if self.tree.is_builtin(&n) {
                v.push(Target::Builtin(n));
            } else if by_alias {
                // An alias to a module that is not there: try it as a name.
                v.extend(self.resolve_name_plain(&n));
            }
        }
        v
    }

    fn resolve_name_plain(&self, name: &[u8]) -> Option<Target> {
        self.tree.find(name).map(Target::Module)
    }

    fn is_loaded(&self, name: &[u8]) -> bool {
        self.loaded.iter().any(|l| l.name == name)
    }

    fn insert_module(&mut self, i: usize, params: &[u8]) -> i32 {
        let name = self.tree.mods[i].name.clone();
        if !self.show_deps && self.is_loaded(&name) {
            if self.first_time {
                if !self.quiet {
                    self.say(&[
                        b"ERROR: could not insert '",
                        &name,
                        b"': Module already in kernel",
                    ]);
                }
                return 1;
            }
            return 0;
        }
        let mut seen = Vec::new();
        self.insert_with_softdeps(i, params, &mut seen)
    }

    /// Insert module `i` after its pre soft dependencies and dependencies,
    /// then its post soft dependencies.
    fn insert_with_softdeps(&mut self, i: usize, params: &[u8], seen: &mut Vec<usize>) -> i32 {
        for m in self.tree.load_list(i) {
            if seen.contains(&m) {
                continue;
            }
            seen.push(m);
            let name = self.tree.mods[m].name.clone();
            let (pre, post) = self.softdeps(&name);
            for s in pre {
                let status = self.insert_soft(&s, seen);
                if status != 0 {
                    return status;
                }
            }
            let own = if m == i { params } else { b"" };
            let status = self.insert_one(m, own);
            if status != 0 {
                return status;
            }
            for s in post {
                let status = self.insert_soft(&s, seen);
                if status != 0 {
                    return status;
                }
            }
        }
        0
    }

    fn insert_soft(&mut self, name: &[u8], seen: &mut Vec<usize>) -> i32 {
        for t in self.resolve_name(name) {
            if let Target::Module(j) = t {
                let status = self.insert_with_softdeps(j, b"", seen);
                if status != 0 {
                    return status;
                }
            }
        }
        0
    }

    fn softdeps(&self, name: &[u8]) -> (Vec<Vec<u8>>, Vec<Vec<u8>>) {
        self.config
            .softdeps
            .iter()
            .find(|s| s.0 == name)
            .map(|s| (s.1.clone(), s.2.clone()))
            .unwrap_or_default()
    }

    fn insert_one(&mut self, m: usize, params: &[u8]) -> i32 {
        let name = self.tree.mods[m].name.clone();
        if self.done.contains(&m) || (!self.show_deps && self.is_loaded(&name)) {
            return 0;
        }
        self.done.push(m);
        let mut opts = self.config.options_of(&name);
        if !params.is_empty() {
            if !opts.is_empty() {
                opts.push(b' ');
            }
            opts.extend_from_slice(params);
        }
        let path = self.tree.full_path(m);
        if self.show_deps || self.verbose {
            let line = [&b"insmod "[..], &path, b" ", &opts, b"\n"].concat();
            self.out().write(&line);
        }
        if self.show_deps || self.dry {
            return 0;
        }
        self.out().flush();
        match kmod::insert(&path, &opts, self.force) {
            Ok(()) => 0,
            Err(e) if e.raw_os_error() == Some(libc::EEXIST) && !self.first_time => 0,
            Err(e) => {
                let why = kmod::insert_reason(&e);
                self.say(&[b"ERROR: could not insert '", &name, b"': ", why.as_bytes()]);
                1
            }
        }
    }

    fn remove_module(&mut self, i: usize) -> i32 {
        let name = self.tree.mods[i].name.clone();
        let deps = self.tree.mods[i].deps.clone();
        self.remove_named(name, &deps)
    }

    /// Remove a loaded module, then those of `deps` nothing uses any more.
    fn remove_named(&mut self, name: Vec<u8>, deps: &[usize]) -> i32 {
        let Some(l) = self.loaded.iter().find(|l| l.name == name) else {
            if self.first_time || !self.quiet {
                self.say(&[b"FATAL: Module ", &name, b" is not in kernel."]);
            }
            return 1;
        };
        if l.refcnt > 0 || !l.users.is_empty() {
            let users: Vec<&[u8]> = l.users.iter().map(Vec::as_slice).collect();
            if users.is_empty() {
                self.say(&[b"FATAL: Module ", &name, b" is in use."]);
            } else {
                self.say(&[
                    b"FATAL: Module ",
                    &name,
                    b" is in use by: ",
                    &users.join(&b' '),
                ]);
            }
            return 1;
        }
        let status = self.remove_one(&name);
        if status != 0 {
            return status;
        }
        for &d in deps {
            let dn = self.tree.mods[d].name.clone();
            let unused = self
                .loaded
                .iter()
                .any(|l| l.name == dn && l.refcnt == 0 && l.users.is_empty());
            if unused && self.remove_one(&dn) != 0 {
                return 1;
            }
        }
        0
    }

    fn remove_one(&mut self, name: &[u8]) -> i32 {
        if self.verbose {
            let line = [&b"rmmod "[..], name, b"\n"].concat();
            self.out().write(&line);
        }
        if !self.dry {
            self.out().flush();
            if let Err(e) = ibex::sys::delete_module(name, libc::O_NONBLOCK) {
                self.say(&[
                    b"FATAL: could not remove '",
                    name,
                    b"': ",
                    ibex::error::reason(&e).as_bytes(),
                ]);
                return 1;
            }
        }
        // What the removed module used is used once less.
        for l in &mut self.loaded {
            if let Some(k) = l.users.iter().position(|u| *u == name) {
                l.users.remove(k);
                l.refcnt = (l.refcnt - 1).max(0);
            }
        }
        self.loaded.retain(|l| l.name != name);
        0
    }

    fn show_config(&mut self) {
        let c = &self.config;
        let mut text = Vec::new();
        for b in &c.blacklist {
            text.extend_from_slice(&[&b"blacklist "[..], b, b"\n"].concat());
        }
        for (pat, m) in &c.aliases {
            text.extend_from_slice(&[&b"alias "[..], pat, b" ", m, b"\n"].concat());
        }
        for (m, o) in &c.options {
            text.extend_from_slice(&[&b"options "[..], m, b" ", o, b"\n"].concat());
        }
        for (m, pre, post) in &c.softdeps {
            text.extend_from_slice(b"softdep ");
            text.extend_from_slice(m);
            if !pre.is_empty() {
                text.extend_from_slice(b" pre:");
                for p in pre {
                    text.push(b' ');
                    text.extend_from_slice(p);
                }
            }
            if !post.is_empty() {
                text.extend_from_slice(b" post:");
                for p in post {
                    text.push(b' ');
                    text.extend_from_slice(p);
                }
            }
            text.push(b'\n');
        }
        self.out().write(&text);
    }
}
