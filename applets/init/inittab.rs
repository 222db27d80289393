//! /etc/inittab in BusyBox's format: `id:runlevels:action:process`.
//!
//! `id` names the terminal the process runs on (`ttyS0`, `/dev/tty1`;
//! empty: init's own console); runlevels are ignored; a `#` starts a
//! comment (to the end of the line, as BusyBox reads it).

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    Sysinit,
    Wait,
    Once,
    Respawn,
    Askfirst,
    Ctrlaltdel,
    Shutdown,
    Restart,
}

impl Action {
    /// Whether init keeps this entry's process running.
    pub fn respawns(self) -> bool {
        matches!(self, Action::Respawn | Action::Askfirst)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub action: Action,
    /// The terminal device (`/dev/ttyS0`), empty for init's console.
    pub tty: Vec<u8>,
    /// The process field: a leading `-` asks for a login shell.
    pub cmd: Vec<u8>,
}

fn entry(action: Action, tty: &[u8], cmd: &[u8]) -> Entry {
    Entry {
        action,
        tty: tty.to_vec(),
        cmd: cmd.to_vec(),
    }
}

const ACTIONS: [(&[u8], Action); 8] = [
    (b"sysinit", Action::Sysinit),
    (b"wait", Action::Wait),
    (b"once", Action::Once),
    (b"respawn", Action::Respawn),
    (b"askfirst", Action::Askfirst),
    (b"ctrlaltdel", Action::Ctrlaltdel),
    (b"shutdown", Action::Shutdown),
    (b"restart", Action::Restart),
];

fn trim(s: &[u8]) -> &[u8] {
    s.trim_ascii()
}

/// Parse an inittab; `bad` hears the number of each malformed line.
pub fn parse(text: &[u8], bad: &mut dyn FnMut(usize)) -> Vec<Entry> {
    let mut out = Vec::new();
    for (i, line) in text.split(|&c| c == b'\n').enumerate() {
        let line = match memchr::memchr(b'#', line) {
            Some(n) => &line[..n],
            None => line,
        };
        let line = trim(line);
        if line.is_empty() {
            continue;
        }
        let mut fields = line.splitn(4, |&c| c == b':');
        let (Some(id), Some(_runlevels), Some(action), Some(cmd)) =
            (fields.next(), fields.next(), fields.next(), fields.next())
        else {
            bad(i + 1);
            continue;
        };
        let action = ACTIONS
            .iter()
            .find(|(name, _)| *name == trim(action))
            .map(|&(_, a)| a);
        let cmd = trim(cmd);
        let Some(action) = action.filter(|_| !cmd.is_empty()) else {
            bad(i + 1);
            continue;
        };
        let id = trim(id);
        let mut tty = Vec::new();
        if !id.is_empty() {
            tty.extend_from_slice(b"/dev/");
            tty.extend_from_slice(id.strip_prefix(b"/dev/").unwrap_or(id));
        }
        out.push(Entry {
            action,
            tty,
            cmd: cmd.to_vec(),
        });
    }
    out
}

/// BusyBox's built-in table, for a system without /etc/inittab.
pub fn defaults() -> Vec<Entry> {
    vec![
        entry(Action::Sysinit, b"", b"/etc/init.d/rcS"),
        entry(Action::Askfirst, b"", b"-/bin/sh"),
        entry(Action::Ctrlaltdel, b"", b"reboot"),
        entry(Action::Shutdown, b"", b"umount -a -r"),
        entry(Action::Shutdown, b"", b"swapoff -a"),
        entry(Action::Restart, b"", b"init"),
    ]
}

/// Single-user mode: only a login shell on the console, restarted when it
/// ends.
pub fn single_user() -> Vec<Entry> {
    vec![entry(Action::Respawn, b"", b"-/bin/sh")]
}

/// Characters that make a process field a shell command line.
const SHELL_CHARS: &[u8] = b"~`!$^&*()=|\\{}[];\"'<>?";

/// How to run a process field: the file to execute and its argv. A leading
/// `-` makes argv[0] start with `-` (a login shell); a field with shell
/// syntax runs as `/bin/sh -c 'exec FIELD'`, otherwise it is split into
/// words at blanks.
pub fn command(field: &[u8]) -> (Vec<u8>, Vec<Vec<u8>>) {
    let (login, rest) = match field.strip_prefix(b"-") {
        Some(r) => (true, r),
        None => (false, field),
    };
    if rest.iter().any(|c| SHELL_CHARS.contains(c)) {
        let argv0: &[u8] = if login { b"-/bin/sh" } else { b"/bin/sh" };
        let mut script = b"exec ".to_vec();
        script.extend_from_slice(rest);
        return (
            b"/bin/sh".to_vec(),
            vec![argv0.to_vec(), b"-c".to_vec(), script],
        );
    }
    let mut argv: Vec<Vec<u8>> = rest
        .split(|&c| c == b' ' || c == b'\t')
        .filter(|w| !w.is_empty())
        .map(<[u8]>::to_vec)
        .collect();
    let file = argv.first().cloned().unwrap_or_default();
    if login && let Some(first) = argv.first_mut() {
        first.insert(0, b'-');
    }
    (file, argv)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_busybox_format() {
        let text = b"# comment\n\
            ::sysinit:/etc/init.d/rcS\n\
            \n\
            ttyS0::respawn:/sbin/getty -L ttyS0 115200 vt100 # serial\n\
            /dev/tty2:2345:askfirst:-/bin/sh\n\
            ::shutdown:/bin/sh -c 'a:b'\n\
            bad line\n\
            ::nosuch:/bin/true\n\
            ::once:\n";
        let mut bad = Vec::new();
        let e = parse(text, &mut |n| bad.push(n));
        assert_eq!(bad, vec![7, 8, 9]);
        assert_eq!(
            e,
            vec![
                entry(Action::Sysinit, b"", b"/etc/init.d/rcS"),
                entry(
                    Action::Respawn,
                    b"/dev/ttyS0",
                    b"/sbin/getty -L ttyS0 115200 vt100"
                ),
                entry(Action::Askfirst, b"/dev/tty2", b"-/bin/sh"),
                entry(Action::Shutdown, b"", b"/bin/sh -c 'a:b'"),
            ]
        );
    }

    #[test]
    fn commands() {
        let v = |s: &[&str]| s.iter().map(|w| w.as_bytes().to_vec()).collect::<Vec<_>>();
        assert_eq!(
            command(b"/sbin/getty  -L\tttyS0"),
            (b"/sbin/getty".to_vec(), v(&["/sbin/getty", "-L", "ttyS0"]))
        );
        assert_eq!(
            command(b"-/bin/sh"),
            (b"/bin/sh".to_vec(), v(&["-/bin/sh"]))
        );
        assert_eq!(
            command(b"echo hi > /dev/null"),
            (
                b"/bin/sh".to_vec(),
                v(&["/bin/sh", "-c", "exec echo hi > /dev/null"])
            )
        );
        assert_eq!(
            command(b"-sh -c 'x'"),
            (
                b"/bin/sh".to_vec(),
                v(&["-/bin/sh", "-c", "exec sh -c 'x'"])
            )
        );
    }
}
