//! losetup: set up and control loop devices, with util-linux's output
//! (`/dev/loop0: [65024]:1234 (/path/file), offset 512`), its `-l` table
//! and its messages; exit 1 on any failure.

use ibex::Status;
use ibex::args::{Parser, Spec, flag, value};
use ibex::io::Out;
use ibex::loopdev::{self, Attach};
use ibex::sys::{self, LoopStatus};
use std::ffi::OsString;
use std::os::fd::AsRawFd;
use std::os::unix::ffi::OsStrExt;

const SHOW: u32 = 256;
const SIZELIMIT: u32 = 257;
const DIRECT_IO: u32 = 258;
const NOHEAD: u32 = 259;

const LONGS: &[ibex::args::Long] = &[
    flag("all", 'a' as u32),
    value("set-capacity", 'c' as u32),
    flag("detach", 'd' as u32),
    flag("detach-all", 'D' as u32),
    flag("find", 'f' as u32),
    value("associated", 'j' as u32),
    flag("list", 'l' as u32),
    value("offset", 'o' as u32),
    flag("partscan", 'P' as u32),
    flag("read-only", 'r' as u32),
    flag("show", SHOW),
    value("sizelimit", SIZELIMIT),
    ibex::args::optional("direct-io", DIRECT_IO),
    flag("noheadings", NOHEAD),
    flag("verbose", 'v' as u32),
];

const USAGE: ibex::usage::Usage = ibex::usage!(
    losetup,
    "losetup [-rP] [-o OFFSET] [--sizelimit N] [--show] {-f|LOOPDEV} FILE
  or: losetup [-a | -l | LOOPDEV | -j FILE | -d LOOPDEV... | -D | -f | -c LOOPDEV]

Set up and control loop devices

\t-a\tShow the status of all loop devices
\t-l\tList them in columns (the default without arguments); -n: no header
\t-d LOOPDEV...\tDetach; -D: detach all
\t-f\tFind the first unused device (with FILE: use it)
\t-j FILE\tShow the devices FILE is attached to
\t-c LOOPDEV\tRe-read the size of the backing file
\t-o OFFSET\tStart OFFSET bytes into FILE
\t--sizelimit N\tUse at most N bytes of FILE
\t-r\tRead-only
\t-P\tScan for partitions
\t--direct-io[=on|off]\tUse direct I/O
\t--show\tPrint the device name after setting up with -f"
);

const SPEC: Spec = Spec::new("ac:dDfhj:lno:Prv", LONGS, USAGE);

#[derive(PartialEq, Eq)]
enum Mode {
    Default,
    All,
    List,
    Detach,
    DetachAll,
    Capacity(Vec<u8>),
    Associated(Vec<u8>),
}

pub fn main(argv: &[OsString]) -> Status {
    let mut p = Parser::new(argv, &SPEC);
    let mut mode = Mode::Default;
    let mut find = false;
    let mut show = false;
    let mut noheadings = false;
    let mut how = Attach::default();
    let mut setup_only = false;
    while let Some((id, v)) = p.next()? {
        let val = v.map(|v| v.as_bytes().to_vec()).unwrap_or_default();
        let size = |what: &str| -> Result<u64, ibex::Exit> {
            ibex::num::parse_size(&val).map_err(|_| {
                ibex::msg!("invalid ", what, " argument: '", val, "'");
                ibex::Exit(1)
            })
        };
        match id {
            SHOW => {
                show = true;
                setup_only = true;
            }
            SIZELIMIT => {
                how.sizelimit = size("size")?;
                setup_only = true;
            }
            DIRECT_IO => {
                how.direct_io = !matches!(&val[..], b"off" | b"0");
            }
            NOHEAD => noheadings = true,
            _ => match char::from_u32(id) {
                Some('a') => mode = Mode::All,
                Some('c') => mode = Mode::Capacity(val),
                Some('d') => mode = Mode::Detach,
                Some('D') => mode = Mode::DetachAll,
                Some('f') => find = true,
                Some('j') => mode = Mode::Associated(val),
                Some('l') => mode = Mode::List,
                Some('n') => noheadings = true,
                Some('o') => how.offset = size("offset")?,
                Some('P') => {
                    how.partscan = true;
                    setup_only = true;
                }
                Some('r') => {
                    how.read_only = true;
                    setup_only = true;
                }
                Some('h') => {
                    ibex::args::print_usage(&SPEC);
                    return Ok(0);
                }
                _ => {} // -v
            },
        }
    }
    let ops: Vec<&[u8]> = p.operands().iter().map(|o| o.as_bytes()).collect();
    let mut out = Out::stdout();
    let status = match mode {
        Mode::All => {
            for (n, st) in loopdev::list() {
                status_line(&mut out, &loopdev::dev_path(n), n, &st);
            }
            0
        }
        Mode::List => list(&mut out, noheadings, &ops),
        Mode::Detach => {
            if ops.is_empty() {
                return Err(ibex::args::usage_error(
                    &SPEC,
                    &[b"no loop device specified"],
                ));
            }
            let mut st = 0;
            for d in ops {
                if let Err(e) = loopdev::detach(d) {
                    ibex::msg!(d, ": detach failed: ", e);
                    st = 1;
                }
            }
            st
        }
        Mode::DetachAll => {
            let mut st = 0;
            for (n, _) in loopdev::list() {
                let d = loopdev::dev_path(n);
                if let Err(e) = loopdev::detach(&d) {
                    ibex::msg!(d, ": detach failed: ", e);
                    st = 1;
                }
            }
            st
        }
        Mode::Capacity(dev) => {
            match sys::open(&dev, sys::O_RDONLY, 0)
                .and_then(|fd| sys::loop_set_capacity(fd.as_raw_fd()))
            {
                Ok(()) => 0,
                Err(e) => {
                    ibex::msg!(dev, ": set capacity failed: ", e);
                    1
                }
            }
        }
        Mode::Associated(file) => {
            let want = sys::stat(&file).ok();
            for (n, st) in loopdev::list() {
                let matches = match want {
                    Some(w) => {
                        st.inode == w.ino
                            && st.device == huge_encode(w.dev)
                            && (how.offset == 0 || st.offset == how.offset)
                    }
                    None => loopdev::backing_file(n, &st) == file,
                };
                if matches {
                    status_line(&mut out, &loopdev::dev_path(n), n, &st);
                }
            }
            0
        }
        Mode::Default => match (find, &ops[..]) {
            (true, []) => {
                if setup_only {
                    return Err(setup_only_error());
                }
                match loopdev::find_free() {
                    Ok(n) => {
                        out.write(&loopdev::dev_path(n));
                        out.byte(b'\n');
                        0
                    }
                    Err(_) => {
                        ibex::msg!("cannot find an unused loop device");
                        1
                    }
                }
            }
            (true, [file]) => setup(&mut out, file, None, &how, show),
            (false, [dev, file]) => setup(&mut out, file, Some(dev), &how, show),
            (false, [dev]) => {
                if setup_only {
                    return Err(setup_only_error());
                }
                match loopdev::status(dev) {
                    Ok(st) => {
                        let n = loopdev::number_of(dev).unwrap_or(st.number);
                        status_line(&mut out, dev, n, &st);
                        0
                    }
                    Err(e) => {
                        ibex::msg!(dev, ": ", e);
                        1
                    }
                }
            }
            (false, []) if !setup_only => list(&mut out, noheadings, &[]),
            _ => return Err(ibex::args::usage_error(&SPEC, &[b"bad usage"])),
        },
    };
    out.done(status)
}

fn setup_only_error() -> ibex::Exit {
    ibex::msg!(
        "the options --{sizelimit,partscan,read-only,show} are allowed during loop device setup only"
    );
    ibex::Exit(1)
}

/// The kernel's "huge" dev_t encoding, as LOOP_GET_STATUS64 reports the
/// backing file's device.
fn huge_encode(dev: u64) -> u64 {
    let (ma, mi) = (u64::from(sys::major(dev)), u64::from(sys::minor(dev)));
    (mi & 0xff) | (ma << 8) | ((mi & !0xff) << 12)
}

fn setup(out: &mut Out, file: &[u8], dev: Option<&[u8]>, how: &Attach, show: bool) -> i32 {
    match loopdev::attach(file, dev, how) {
        Ok(a) => {
            if show {
                out.write(&a.path);
                out.byte(b'\n');
            }
            0
        }
        Err((what, e)) => {
            // util-linux names the device when it was the problem.
            if dev.is_some_and(|d| d == what) && e.raw_os_error() != Some(libc::EBUSY) {
                ibex::msg!(what, ": failed to use device: ", e);
            } else {
                ibex::msg!(file, ": failed to set up loop device: ", e);
            }
            1
        }
    }
}

fn status_line(out: &mut Out, dev: &[u8], n: u32, st: &LoopStatus) {
    out.write(dev);
    out.str(": [");
    let d = st.device.to_string();
    for _ in d.len()..4 {
        out.byte(b'0');
    }
    out.str(&d);
    out.str("]:");
    out.num(st.inode);
    out.str(" (");
    out.write(&loopdev::backing_file(n, st));
    out.byte(b')');
    if st.offset != 0 {
        out.str(", offset ");
        out.num(st.offset);
    }
    if st.sizelimit != 0 {
        out.str(", sizelimit ");
        out.num(st.sizelimit);
    }
    out.byte(b'\n');
}

fn sysfs_num(n: u32, what: &str) -> Option<u64> {
    let p = format!("/sys/block/loop{n}/{what}");
    let d = ibex::io::read_file(p.as_bytes()).ok()?;
    ibex::num::parse_u64(d.trim_ascii()).ok()
}

/// `-l`: NAME SIZELIMIT OFFSET AUTOCLEAR RO BACK-FILE DIO LOG-SEC, each
/// column as wide as its widest cell, numbers right-aligned.
fn list(out: &mut Out, noheadings: bool, only: &[&[u8]]) -> i32 {
    const HEAD: [&str; 8] = [
        "NAME",
        "SIZELIMIT",
        "OFFSET",
        "AUTOCLEAR",
        "RO",
        "BACK-FILE",
        "DIO",
        "LOG-SEC",
    ];
    let mut rows: Vec<[Vec<u8>; 8]> = Vec::new();
    let mut status = 0;
    let mut devs = loopdev::list();
    if !only.is_empty() {
        let mut v = Vec::new();
        for d in only {
            match loopdev::status(d) {
                Ok(st) => v.push((loopdev::number_of(d).unwrap_or(st.number), st)),
                Err(e) => {
                    ibex::msg!(d, ": ", e);
                    status = 1;
                }
            }
        }
        devs = v;
    }
    for (n, st) in devs {
        let flag = |f: u32| {
            if st.flags & f != 0 {
                b"1".to_vec()
            } else {
                b"0".to_vec()
            }
        };
        rows.push([
            loopdev::dev_path(n),
            st.sizelimit.to_string().into_bytes(),
            st.offset.to_string().into_bytes(),
            flag(sys::LO_FLAGS_AUTOCLEAR),
            flag(sys::LO_FLAGS_READ_ONLY),
            loopdev::backing_file(n, &st),
            flag(sys::LO_FLAGS_DIRECT_IO),
            sysfs_num(n, "queue/logical_block_size")
                .unwrap_or(512)
                .to_string()
                .into_bytes(),
        ]);
    }
    let mut width = HEAD.map(str::len);
    for r in &rows {
        for (w, c) in width.iter_mut().zip(r.iter()) {
            *w = (*w).max(c.len());
        }
    }
    let left = |i: usize| i == 0 || i == 5;
    let line = |out: &mut Out, cells: [&[u8]; 8]| {
        for (i, c) in cells.iter().enumerate() {
            let pad = width[i].saturating_sub(c.len());
            if i > 0 {
                out.byte(b' ');
            }
            if !left(i) {
                (0..pad).for_each(|_| out.byte(b' '));
            }
            out.write(c);
            if left(i) && i < 7 {
                (0..pad).for_each(|_| out.byte(b' '));
            }
        }
        out.byte(b'\n');
    };
    if !rows.is_empty() && !noheadings {
        line(out, HEAD.map(str::as_bytes));
    }
    for r in &rows {
        line(
            out,
            [&r[0], &r[1], &r[2], &r[3], &r[4], &r[5], &r[6], &r[7]],
        );
    }
    status
}
