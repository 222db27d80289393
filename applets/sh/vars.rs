//! Shell variables: values with export/readonly attributes, function-local
//! scopes, and the environment handed to commands (cached until a change).

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// FNV-1a: variable names are short, and this is much cheaper than SipHash.
#[derive(Default)]
pub struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for &b in bytes {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

pub type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<Fnv>>;

#[derive(Clone, Debug, Default)]
pub struct Var {
    /// None: declared (exported or readonly) but unset.
    pub value: Option<Vec<u8>>,
    pub exported: bool,
    pub readonly: bool,
}

/// Variables saved by one scope, to restore when it ends.
type Scope = Vec<(Box<[u8]>, Option<Var>)>;

#[derive(Default)]
pub struct Vars {
    map: FastMap<Box<[u8]>, Var>,
    /// Saved previous values, one frame per function call with `local`s or
    /// per command with temporary assignments.
    scopes: Vec<Scope>,
    env_cache: Option<Vec<Vec<u8>>>,
    /// Whether LC_ALL/LC_CTYPE/LANG name a UTF-8 locale: 0 not known yet,
    /// 1 no, 2 yes. Cleared when one of them changes.
    utf8: std::cell::Cell<u8>,
    /// IFS as a byte set and whether it is empty, until IFS changes.
    ifs: std::cell::Cell<Option<([u64; 4], bool)>>,
}

/// Does assigning `name` change the character locale?
fn is_locale_var(name: &[u8]) -> bool {
    matches!(name, b"LC_ALL" | b"LC_CTYPE" | b"LANG")
}

/// Assigning to a readonly variable.
#[derive(Debug)]
pub struct ReadOnly;

impl Vars {
    /// Start from the process environment; every variable there is exported.
    pub fn from_env() -> Vars {
        use std::os::unix::ffi::OsStrExt;
        let mut v = Vars::default();
        for (k, val) in std::env::vars_os() {
            let k = k.as_bytes();
            // `$_` changes with every command: kept out of the environment.
            if super::parse::is_name(k) && k != b"_" {
                v.map.insert(
                    k.into(),
                    Var {
                        value: Some(val.as_bytes().to_vec()),
                        exported: true,
                        readonly: false,
                    },
                );
            }
        }
        v
    }

    /// Is the character locale UTF-8 (by LC_ALL, LC_CTYPE, LANG, the first
    /// one set and not empty)? Cached until one of them changes.
    pub fn utf8_locale(&self) -> bool {
        match self.utf8.get() {
            1 => return false,
            2 => return true,
            _ => {}
        }
        let mut yes = false;
        for name in [&b"LC_ALL"[..], b"LC_CTYPE", b"LANG"] {
            if let Some(v) = self.get(name)
                && !v.is_empty()
            {
                let v = v.to_ascii_lowercase();
                yes = v.windows(5).any(|w| w == b"utf-8") || v.windows(4).any(|w| w == b"utf8");
                break;
            }
        }
        self.utf8.set(if yes { 2 } else { 1 });
        yes
    }

    fn locale_changed(&self, name: &[u8]) {
        if is_locale_var(name) {
            self.utf8.set(0);
        }
        if name == b"IFS" {
            self.ifs.set(None);
        }
    }

    /// The IFS characters (default space, tab, newline) as a 256-bit set,
    /// and whether IFS is empty. Cached until IFS changes.
    pub fn ifs_set(&self) -> ([u64; 4], bool) {
        if let Some(v) = self.ifs.get() {
            return v;
        }
        let chars = self.get(b"IFS").unwrap_or(b" \t\n");
        let mut set = [0u64; 4];
        for &c in chars {
            set[usize::from(c >> 6)] |= 1 << (c & 63);
        }
        let v = (set, chars.is_empty());
        self.ifs.set(Some(v));
        v
    }

    pub fn get(&self, name: &[u8]) -> Option<&[u8]> {
        self.map.get(name).and_then(|v| v.value.as_deref())
    }

    pub fn set(&mut self, name: &[u8], value: Vec<u8>) -> Result<(), ReadOnly> {
        self.locale_changed(name);
        match self.map.get_mut(name) {
            Some(v) => {
                if v.readonly {
                    return Err(ReadOnly);
                }
                if v.exported {
                    self.env_cache = None;
                }
                v.value = Some(value);
            }
            None => {
                self.map.insert(
                    name.into(),
                    Var {
                        value: Some(value),
                        exported: false,
                        readonly: false,
                    },
                );
            }
        }
        Ok(())
    }

    /// Like `set`, but copies into the variable's existing buffer.
    pub fn set_bytes(&mut self, name: &[u8], value: &[u8]) -> Result<(), ReadOnly> {
        self.locale_changed(name);
        match self.map.get_mut(name) {
            Some(v) => {
                if v.readonly {
                    return Err(ReadOnly);
                }
                if v.exported {
                    self.env_cache = None;
                }
                match &mut v.value {
                    Some(buf) => {
                        buf.clear();
                        buf.extend_from_slice(value);
                    }
                    None => v.value = Some(value.to_vec()),
                }
                Ok(())
            }
            None => self.set(name, value.to_vec()),
        }
    }

    /// The variable's entry, set or not.
    pub fn var(&self, name: &[u8]) -> Option<&Var> {
        self.map.get(name)
    }

    pub fn unset(&mut self, name: &[u8]) -> Result<(), ReadOnly> {
        self.locale_changed(name);
        if let Some(v) = self.map.get(name) {
            if v.readonly {
                return Err(ReadOnly);
            }
            if v.exported {
                self.env_cache = None;
            }
            self.map.remove(name);
        }
        Ok(())
    }

    pub fn export(&mut self, name: &[u8], on: bool) {
        self.env_cache = None;
        self.map.entry(name.into()).or_default().exported = on;
    }

    pub fn set_readonly(&mut self, name: &[u8]) {
        self.map.entry(name.into()).or_default().readonly = true;
    }

    /// Every variable, sorted by name.
    pub fn sorted(&self) -> Vec<(&[u8], &Var)> {
        let mut v: Vec<(&[u8], &Var)> = self.map.iter().map(|(k, v)| (&**k, v)).collect();
        ibex::order::sort_by(&mut v, |a, b| a.0.cmp(b.0));
        v
    }

    /// `NAME=value` for every exported variable with a value.
    pub fn environ(&mut self) -> &[Vec<u8>] {
        if self.env_cache.is_none() {
            let mut env: Vec<Vec<u8>> = self
                .map
                .iter()
                .filter(|(_, v)| v.exported)
                .filter_map(|(k, v)| {
                    let val = v.value.as_ref()?;
                    let mut e = Vec::with_capacity(k.len() + 1 + val.len());
                    e.extend_from_slice(k);
                    e.push(b'=');
                    e.extend_from_slice(val);
                    Some(e)
                })
                .collect();
            ibex::order::sort(&mut env);
            self.env_cache = Some(env);
        }
        self.env_cache.as_deref().unwrap_or(&[])
    }

    /// Open a scope: later `save`d variables are restored by `pop_scope`.
    pub fn push_scope(&mut self) {
        self.scopes.push(Vec::new());
    }

    /// Remember `name`'s current state in the innermost scope (once).
    /// Returns whether it was saved now (false: already in this scope).
    pub fn save(&mut self, name: &[u8]) -> bool {
        let cur = self.map.get(name).cloned();
        if let Some(scope) = self.scopes.last_mut()
            && !scope.iter().any(|(n, _)| &**n == name)
        {
            scope.push((name.into(), cur));
            return true;
        }
        false
    }

    pub fn pop_scope(&mut self) {
        if let Some(scope) = self.scopes.pop() {
            for (name, old) in scope.into_iter().rev() {
                self.locale_changed(&name);
                let was_exported = self.map.get(&name).is_some_and(|v| v.exported);
                let now_exported = old.as_ref().is_some_and(|v| v.exported);
                if was_exported || now_exported {
                    self.env_cache = None;
                }
                match old {
                    Some(v) => {
                        self.map.insert(name, v);
                    }
                    None => {
                        self.map.remove(&name);
                    }
                }
            }
        }
    }
}
