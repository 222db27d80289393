//! Running a compiled sed script over the input stream.

use super::parse::{Addr, Case, Cmd, End, Kind, Piece, Script, Subst};
use ibex::io::{Input, LineReader};
use ibex::sys;
use std::os::fd::{AsRawFd, OwnedFd};

pub struct Opts {
    pub quiet: bool,
    pub delim: u8,
    pub unbuffered: bool,
    pub line_len: usize,
    pub posix: bool,
}

/// Append `src` to `v`: the one place bytes are copied into buffers
/// (measured: fixed-size 16-byte steps were slower than memcpy here).
#[inline]
pub fn append(v: &mut Vec<u8>, src: &[u8]) {
    v.extend_from_slice(src);
}

const OUT_BUF: usize = 64 * 1024;
/// Room past the buffered bytes for the fixed-size steps of `copy_short`.
const SLACK: usize = 64;

/// Copy `N` bytes `src[from..]` to `dst[at..]` as one fixed-size move.
#[inline(always)]
fn put<const N: usize>(dst: &mut [u8], at: usize, src: &[u8], from: usize) {
    if let (Some(d), Some(s)) = (dst.get_mut(at..at + N), src.get(from..from + N))
        && let (Ok(d), Ok(s)) = (<&mut [u8; N]>::try_from(d), <&[u8; N]>::try_from(s))
    {
        *d = *s;
    }
}

/// Copy `src` (at most `SLACK` bytes) to the start of `dst` in fixed-size
/// moves, the last one overlapping: musl's memcpy costs more than the copy
/// itself for the few dozen bytes of a typical line.
#[inline]
fn copy_short(dst: &mut [u8], src: &[u8]) {
    let n = src.len();
    if n >= 16 {
        let mut k = 0;
        while k + 16 <= n {
            put::<16>(dst, k, src, k);
            k += 16;
        }
        if k < n {
            put::<16>(dst, n - 16, src, n - 16);
        }
    } else if n >= 8 {
        put::<8>(dst, 0, src, 0);
        put::<8>(dst, n - 8, src, n - 8);
    } else if n >= 4 {
        put::<4>(dst, 0, src, 0);
        put::<4>(dst, n - 4, src, n - 4);
    } else {
        for (d, &b) in dst.iter_mut().zip(src) {
            *d = b;
        }
    }
}

/// A buffered output descriptor; the first write error is kept.
pub struct Sink {
    fd: i32,
    /// OUT_BUF + SLACK bytes; `len` of them are pending.
    buf: Vec<u8>,
    len: usize,
    err: Option<std::io::Error>,
}

impl Sink {
    pub fn new(fd: i32) -> Sink {
        Sink {
            fd,
            buf: Vec::new(),
            len: 0,
            err: None,
        }
    }
    #[inline]
    pub fn write(&mut self, data: &[u8]) {
        let n = data.len();
        if self.len + n > OUT_BUF || self.buf.is_empty() {
            self.flush();
            if self.buf.is_empty() {
                self.buf = vec![0; OUT_BUF + SLACK];
            }
            if n > OUT_BUF {
                if self.err.is_none()
                    && let Err(e) = sys::write_all(self.fd, data)
                {
                    self.err = Some(e);
                }
                return;
            }
        }
        let l = self.len;
        if n <= SLACK {
            if let Some(d) = self.buf.get_mut(l..l + SLACK) {
                copy_short(d, data);
            }
        } else if let Some(d) = self.buf.get_mut(l..l + n) {
            d.copy_from_slice(data);
        }
        self.len += n;
    }
    #[inline]
    pub fn byte(&mut self, b: u8) {
        if self.len >= OUT_BUF || self.buf.is_empty() {
            self.write(&[b]);
            return;
        }
        if let Some(d) = self.buf.get_mut(self.len) {
            *d = b;
        }
        self.len += 1;
    }
    pub fn flush(&mut self) {
        if self.err.is_none()
            && self.len > 0
            && let Err(e) = sys::write_all(self.fd, self.buf.get(..self.len).unwrap_or(&[]))
        {
            self.err = Some(e);
        }
        self.len = 0;
    }
    /// Flush; on failure print `couldn't flush NAME: reason` and return false.
    pub fn finish(&mut self, name: &[u8]) -> bool {
        self.flush();
        match self.err.take() {
            Some(e) => {
                ibex::msg!("couldn't flush ", name, ": ", e);
                false
            }
            None => true,
        }
    }
}

/// An output and whether its last line lacked its newline.
pub struct Output {
    pub out: Sink,
    missing: bool,
}

impl Output {
    pub fn new(out: Sink) -> Output {
        Output {
            out,
            missing: false,
        }
    }
    fn fix(&mut self, delim: u8) {
        if self.missing {
            self.out.byte(delim);
            self.missing = false;
        }
    }
    /// Write a line, with its delimiter unless `chomped` is false.
    fn line(&mut self, data: &[u8], nl: bool, delim: u8) {
        self.fix(delim);
        self.out.write(data);
        if nl {
            self.out.byte(delim);
        } else {
            self.missing = true;
        }
    }
    /// Text of i and c: its last newline is the line delimiter (-z).
    fn text(&mut self, t: &[u8], delim: u8) {
        match t.split_last() {
            Some((b'\n', body)) => {
                self.raw(body, delim);
                self.out.byte(delim);
            }
            _ => self.raw(t, delim),
        }
    }
    fn raw(&mut self, data: &[u8], delim: u8) {
        self.fix(delim);
        self.out.write(data);
    }
}

/// A fatal run-time error: message printed, status 4.
pub struct Fatal;

struct Reader {
    _input: Input,
    lr: LineReader,
}

impl Reader {
    fn open(name: &[u8], delim: u8) -> std::io::Result<Reader> {
        let input = Input::open(name)?;
        let lr = LineReader::with_delim(input.fd(), delim);
        Ok(Reader { _input: input, lr })
    }
}

/// The input lines, with one line of look-ahead for `$`.
pub struct Stream {
    files: Vec<Vec<u8>>,
    next_file: usize,
    cur: Option<(Reader, usize)>,
    delim: u8,
    ahead: Vec<u8>,
    ahead_nl: bool,
    ahead_file: usize,
    has_ahead: bool,
    /// Do not go on to the next file by itself (-s, -i).
    separate: bool,
    pub status: i32,
}

impl Stream {
    pub fn new(files: Vec<Vec<u8>>, delim: u8, separate: bool) -> Stream {
        Stream {
            files,
            next_file: 0,
            cur: None,
            delim,
            ahead: Vec::new(),
            ahead_nl: true,
            ahead_file: 0,
            has_ahead: false,
            separate,
            status: 0,
        }
    }

    /// Start reading an already opened file (for -i).
    pub fn set_file(&mut self, input: Input, idx: usize) {
        let lr = LineReader::with_delim(input.fd(), self.delim);
        self.cur = Some((Reader { _input: input, lr }, idx));
        self.has_ahead = false;
    }

    fn open_next(&mut self) -> Result<bool, Fatal> {
        while let Some(name) = self.files.get(self.next_file) {
            let idx = self.next_file;
            self.next_file += 1;
            match Reader::open(name, self.delim) {
                Ok(r) => {
                    self.cur = Some((r, idx));
                    return Ok(true);
                }
                Err(e) => {
                    ibex::msg!("can't read ", name.as_slice(), ": ", e);
                    self.status = 2;
                }
            }
        }
        Ok(false)
    }

    fn fill(&mut self) -> Result<(), Fatal> {
        if self.has_ahead {
            return Ok(());
        }
        loop {
            if let Some((r, idx)) = &mut self.cur {
                match r.lr.next_line() {
                    Ok(Some(l)) => {
                        self.ahead.clear();
                        let nl = l.last() == Some(&self.delim);
                        let l = if nl { &l[..l.len() - 1] } else { l };
                        append(&mut self.ahead, l);
                        self.ahead_nl = nl;
                        self.ahead_file = *idx;
                        self.has_ahead = true;
                        return Ok(());
                    }
                    Ok(None) => self.cur = None,
                    Err(e) => {
                        let name = self.files.get(*idx).map_or(&b"-"[..], |n| n.as_slice());
                        ibex::msg!("read error on ", name, ": ", e);
                        return Err(Fatal);
                    }
                }
            }
            if self.separate || !self.open_next()? {
                return Ok(());
            }
        }
    }

    /// Move the next line into `ps`; false at the end of input.
    fn next(&mut self, ps: &mut Vec<u8>, nl: &mut bool, file: &mut usize) -> Result<bool, Fatal> {
        self.fill()?;
        if !self.has_ahead {
            return Ok(false);
        }
        std::mem::swap(ps, &mut self.ahead);
        *nl = self.ahead_nl;
        *file = self.ahead_file;
        self.has_ahead = false;
        Ok(true)
    }

    fn is_last(&mut self) -> Result<bool, Fatal> {
        self.fill()?;
        Ok(!self.has_ahead)
    }

    pub fn file_name(&self, idx: usize) -> &[u8] {
        self.files.get(idx).map_or(b"-", |n| n.as_slice())
    }

    /// For -s: go on to the next file; false when there is none.
    pub fn advance(&mut self) -> Result<bool, Fatal> {
        self.open_next()
    }
}

enum Queued {
    Text(usize),
    File(usize),
    Line(Vec<u8>),
}

enum Flow {
    /// End of cycle; autoprint unless suppressed.
    End {
        print: bool,
    },
    /// D with a newline: end without autoprint, do not read a new line.
    Restart,
    Quit {
        print: bool,
        code: i32,
    },
}

/// Where `w` writes: stdout, stderr or a file.
enum Target {
    /// /dev/stdout: the same buffer, its own missing-newline state.
    Stdout(bool),
    Other(Output, Option<OwnedFd>),
}

pub struct Exec<'a> {
    sc: &'a Script,
    o: &'a Opts,
    ps: Vec<u8>,
    ps_nl: bool,
    hold: Vec<u8>,
    hold_nl: bool,
    sbuf: Vec<u8>,
    pub line: u64,
    file: usize,
    ranges: Vec<(bool, u64)>,
    last_re: Option<usize>,
    tflag: bool,
    queue: Vec<Queued>,
    pub stdout: Output,
    /// The -i temporary file, when editing in place.
    pub inplace: Option<Output>,
    wouts: Vec<Target>,
    rins: Vec<Option<Reader>>,
    pub stream: Stream,
    pub quit: Option<i32>,
}

fn conv(c: Case, b: u8) -> u8 {
    match c {
        Case::Upper | Case::UpperOne => b.to_ascii_uppercase(),
        Case::Lower | Case::LowerOne => b.to_ascii_lowercase(),
        Case::End => b,
    }
}

/// Append `data` applying the case conversions in effect.
fn put_case(out: &mut Vec<u8>, data: &[u8], mode: Case, one: &mut Option<Case>) {
    if mode == Case::End && one.is_none() {
        append(out, data);
        return;
    }
    for &b in data {
        let mut c = conv(mode, b);
        if let Some(o) = one.take() {
            c = conv(o, c);
        }
        out.push(c);
    }
}

impl<'a> Exec<'a> {
    pub fn new(sc: &'a Script, o: &'a Opts, stream: Stream) -> Result<Exec<'a>, Fatal> {
        let mut wouts = Vec::new();
        for name in &sc.wfiles {
            let t = match name.as_slice() {
                b"/dev/stdout" => Target::Stdout(false),
                b"/dev/stderr" => Target::Other(Output::new(Sink::new(2)), None),
                _ => match sys::open(
                    name,
                    sys::O_WRONLY | sys::O_CREAT | sys::O_TRUNC | sys::O_CLOEXEC,
                    0o666,
                ) {
                    Ok(fd) => Target::Other(Output::new(Sink::new(fd.as_raw_fd())), Some(fd)),
                    Err(e) => {
                        ibex::msg!("couldn't open file ", name.as_slice(), ": ", e);
                        return Err(Fatal);
                    }
                },
            };
            wouts.push(t);
        }
        let ranges = sc
            .cmds
            .iter()
            .map(|c| (matches!(c.a1, Some(Addr::Zero)), 0))
            .collect();
        Ok(Exec {
            sc,
            o,
            ps: Vec::new(),
            ps_nl: true,
            hold: Vec::new(),
            hold_nl: true,
            sbuf: Vec::new(),
            line: 0,
            file: 0,
            ranges,
            last_re: None,
            tflag: false,
            queue: Vec::new(),
            stdout: Output::new(Sink::new(1)),
            inplace: None,
            wouts,
            rins: sc.rfiles.iter().map(|_| None).collect(),
            stream,
            quit: None,
        })
    }

    /// Reset range states for a new file in -s/-i mode.
    pub fn new_file(&mut self) {
        self.line = 0;
        for (i, c) in self.sc.cmds.iter().enumerate() {
            if let Some(r) = self.ranges.get_mut(i) {
                *r = (matches!(c.a1, Some(Addr::Zero)), 0);
            }
        }
    }

    fn main_out(&mut self) -> &mut Output {
        match &mut self.inplace {
            Some(o) => o,
            None => &mut self.stdout,
        }
    }

    /// Close the w files, reporting write errors.
    pub fn close_files(&mut self) -> bool {
        let mut ok = true;
        for (i, t) in self.wouts.drain(..).enumerate() {
            if let Target::Other(mut o, fd) = t {
                let name = self.sc.wfiles.get(i).map_or(&b""[..], |n| n.as_slice());
                if !o.out.finish(name) {
                    ok = false;
                }
                drop(fd);
            }
        }
        ok
    }

    /// Run cycles until the input (of this file, with -s/-i) ends or `q`.
    pub fn run(&mut self) -> Result<(), Fatal> {
        let mut restart = false;
        loop {
            if !restart {
                if !self
                    .stream
                    .next(&mut self.ps, &mut self.ps_nl, &mut self.file)?
                {
                    return Ok(());
                }
                self.line += 1;
                self.tflag = false;
            }
            restart = false;
            let flow = self.cycle()?;
            let print = match flow {
                Flow::End { print } => print,
                Flow::Restart => {
                    restart = true;
                    false
                }
                Flow::Quit { print, .. } => print,
            };
            if print && !self.o.quiet {
                self.print_ps();
            }
            // Q leaves the appended text unprinted; after D it waits for
            // the end of the restarted cycle.
            if !matches!(flow, Flow::Quit { print: false, .. } | Flow::Restart) {
                self.dump_queue();
            }
            if self.o.unbuffered {
                self.main_out().out.flush();
                self.stdout.out.flush();
            }
            if let Flow::Quit { code, print } = flow {
                if print {
                    // q ends the output's last line.
                    let d = self.o.delim;
                    self.main_out().fix(d);
                }
                self.quit = Some(code);
                return Ok(());
            }
        }
    }

    fn print_ps(&mut self) {
        let (nl, d) = (self.ps_nl, self.o.delim);
        let ps = std::mem::take(&mut self.ps);
        self.main_out().line(&ps, nl, d);
        self.ps = ps;
    }

    fn dump_queue(&mut self) {
        if self.queue.is_empty() {
            return;
        }
        let q = std::mem::take(&mut self.queue);
        let d = self.o.delim;
        for item in &q {
            match item {
                Queued::Text(ci) => {
                    if let Some(Cmd {
                        kind: Kind::Append(t),
                        ..
                    }) = self.sc.cmds.get(*ci)
                    {
                        self.main_out().raw(t, d);
                    }
                }
                Queued::File(ci) => {
                    if let Some(Cmd {
                        kind: Kind::Read(name),
                        ..
                    }) = self.sc.cmds.get(*ci)
                        && let Ok(data) = read_whole(name)
                    {
                        self.main_out().raw(&data, d);
                    }
                }
                Queued::Line(l) => self.main_out().raw(l, d),
            }
        }
        self.queue = q;
        self.queue.clear();
    }

    fn regex_match(&mut self, ri: Option<usize>) -> bool {
        let Some(ri) = ri.or(self.last_re) else {
            return false;
        };
        self.last_re = Some(ri);
        self.sc
            .regexes
            .get(ri)
            .is_some_and(|re| re.is_match(&self.ps))
    }

    fn addr(&mut self, a: Addr) -> Result<bool, Fatal> {
        Ok(match a {
            Addr::Line(n) => self.line == n,
            Addr::Last => self.stream.is_last()?,
            Addr::Re(r) => self.regex_match(r),
            Addr::Step(f, s) => self.line >= f && (s == 0 || (self.line - f).is_multiple_of(s)),
            Addr::Zero => false,
        })
    }

    fn selected(&mut self, ci: usize, c: &Cmd) -> Result<bool, Fatal> {
        let Some(a1) = c.a1 else {
            return Ok(!c.neg);
        };
        let Some(a2) = c.a2 else {
            return Ok(self.addr(a1)? != c.neg);
        };
        let l = self.line;
        let (active, end) = self.ranges.get(ci).copied().unwrap_or((false, 0));
        let r = if active {
            match a2 {
                End::Addr(Addr::Line(_)) | End::Plus(_) | End::Mult(_) => {
                    if l >= end {
                        self.set_range(ci, false, 1);
                        l <= end || self.addr(a1)?
                    } else {
                        true
                    }
                }
                End::Addr(a) => {
                    if self.addr(a)? {
                        self.set_range(ci, false, 1);
                    }
                    true
                }
            }
        } else {
            // GNU: a range starting at a line number that was skipped (say
            // by an earlier `d`) starts at the first line after it, once.
            // `end` of an inactive range is 1 once it has run.
            let late = end == 0 && matches!(a1, Addr::Line(n) if l > n);
            if late || self.addr(a1)? {
                match a2 {
                    End::Addr(Addr::Line(n)) => {
                        if n > l {
                            self.set_range(ci, true, n);
                        } else {
                            self.set_range(ci, false, 1);
                        }
                        !late || n >= l
                    }
                    End::Plus(n) => {
                        if n > 0 {
                            self.set_range(ci, true, l.saturating_add(n));
                        } else {
                            self.set_range(ci, false, 1);
                        }
                        true
                    }
                    End::Mult(n) => {
                        match l.checked_div(n) {
                            Some(q) => self.set_range(ci, true, (q + 1).saturating_mul(n)),
                            None => self.set_range(ci, false, 1),
                        }
                        true
                    }
                    End::Addr(_) => {
                        self.set_range(ci, true, 0);
                        true
                    }
                }
            } else {
                false
            }
        };
        Ok(r != c.neg)
    }

    fn set_range(&mut self, ci: usize, on: bool, end: u64) {
        if let Some(r) = self.ranges.get_mut(ci) {
            *r = (on, end);
        }
    }

    fn range_active(&self, ci: usize) -> bool {
        self.ranges.get(ci).is_some_and(|r| r.0)
    }

    /// Read the next line for n/N; false at the end of input.
    fn read_next(&mut self, join: bool) -> Result<bool, Fatal> {
        if self.stream.is_last()? {
            return Ok(false);
        }
        self.dump_queue();
        if join {
            let mut tmp = std::mem::take(&mut self.sbuf);
            let mut nl = true;
            self.stream.next(&mut tmp, &mut nl, &mut self.file)?;
            self.ps.push(self.o.delim);
            append(&mut self.ps, &tmp);
            self.ps_nl = nl;
            self.sbuf = tmp;
        } else {
            self.stream
                .next(&mut self.ps, &mut self.ps_nl, &mut self.file)?;
        }
        self.line += 1;
        Ok(true)
    }

    fn cycle(&mut self) -> Result<Flow, Fatal> {
        let sc = self.sc;
        let d = self.o.delim;
        let mut pc = 0;
        while let Some(c) = sc.cmds.get(pc) {
            pc += 1;
            if !self.selected(pc - 1, c)? {
                if let Kind::Open(end) = c.kind {
                    pc = end;
                }
                continue;
            }
            match &c.kind {
                Kind::Open(_) | Kind::Close | Kind::Nop => {}
                Kind::Eq => {
                    let mut b = [0u8; 20];
                    let n = ibex::io::fmt_u64(self.line, &mut b).to_vec();
                    let o = self.main_out();
                    o.raw(&n, d);
                    o.out.byte(d);
                }
                Kind::Append(_) => self.queue.push(Queued::Text(pc - 1)),
                Kind::Insert(t) => self.main_out().text(t, d),
                Kind::Change(t) => {
                    if c.a2.is_none() || c.neg || !self.range_active(pc - 1) {
                        self.main_out().text(t, d);
                    }
                    return Ok(Flow::End { print: false });
                }
                Kind::Branch(k, target) => {
                    let jump = match k {
                        b'b' => true,
                        b't' => std::mem::take(&mut self.tflag),
                        _ => !std::mem::take(&mut self.tflag),
                    };
                    if jump {
                        pc = *target;
                    }
                }
                Kind::Delete => return Ok(Flow::End { print: false }),
                Kind::DeleteFirst => {
                    let Some(i) = memchr::memchr(d, &self.ps) else {
                        return Ok(Flow::End { print: false });
                    };
                    self.ps.drain(..=i);
                    return Ok(Flow::Restart);
                }
                Kind::FileName => {
                    let name = self.stream.file_name(self.file).to_vec();
                    let o = self.main_out();
                    o.raw(&name, d);
                    o.out.byte(d);
                }
                Kind::Get => {
                    self.ps.clear();
                    append(&mut self.ps, &self.hold);
                    self.ps_nl = self.hold_nl;
                }
                Kind::GetAppend => {
                    self.ps.push(d);
                    append(&mut self.ps, &self.hold);
                    self.ps_nl = self.hold_nl;
                }
                Kind::Hold => {
                    self.hold.clear();
                    append(&mut self.hold, &self.ps);
                    self.hold_nl = self.ps_nl;
                }
                Kind::HoldAppend => {
                    self.hold.push(d);
                    append(&mut self.hold, &self.ps);
                    self.hold_nl = self.ps_nl;
                }
                Kind::Exchange => {
                    std::mem::swap(&mut self.ps, &mut self.hold);
                    std::mem::swap(&mut self.ps_nl, &mut self.hold_nl);
                }
                Kind::List(n) => {
                    let w = n.unwrap_or(self.o.line_len);
                    let mut v = Vec::new();
                    list(&self.ps, w, &mut v);
                    let o = self.main_out();
                    o.raw(&v, d);
                    o.out.byte(d);
                }
                Kind::Next => {
                    if self.stream.is_last()? {
                        if self.o.posix {
                            return Ok(Flow::Quit {
                                print: false,
                                code: 0,
                            });
                        }
                        return Ok(Flow::End { print: true });
                    }
                    if !self.o.quiet {
                        self.print_ps();
                    }
                    self.read_next(false)?;
                }
                Kind::NextAppend => {
                    if !self.read_next(true)? {
                        return Ok(Flow::End {
                            print: !self.o.posix,
                        });
                    }
                }
                Kind::Print => self.print_ps(),
                Kind::PrintFirst => {
                    let end = memchr::memchr(d, &self.ps).unwrap_or(self.ps.len());
                    let ps = std::mem::take(&mut self.ps);
                    self.main_out().line(&ps[..end], true, d);
                    self.ps = ps;
                }
                Kind::Quit(code) => {
                    return Ok(Flow::Quit {
                        print: true,
                        code: *code,
                    });
                }
                Kind::QuitSilent(code) => {
                    return Ok(Flow::Quit {
                        print: false,
                        code: *code,
                    });
                }
                Kind::Read(_) => self.queue.push(Queued::File(pc - 1)),
                Kind::ReadLine(fi) => self.read_line_file(*fi),
                Kind::Subst(s) => {
                    if self.subst(s) {
                        self.tflag = true;
                        if s.print {
                            self.print_ps();
                        }
                        if let Some(w) = s.write {
                            self.write_to(w, false);
                        }
                    }
                }
                Kind::Write(w) => self.write_to(*w, false),
                Kind::WriteFirst(w) => self.write_to(*w, true),
                Kind::Trans(map) => {
                    for b in &mut self.ps {
                        *b = map[usize::from(*b)];
                    }
                }
                Kind::Zap => self.ps.clear(),
            }
        }
        Ok(Flow::End { print: true })
    }

    fn write_to(&mut self, w: usize, first: bool) {
        let d = self.o.delim;
        let (data, nl) = if first {
            let end = memchr::memchr(d, &self.ps).unwrap_or(self.ps.len());
            (&self.ps[..end], true)
        } else {
            (&self.ps[..], self.ps_nl)
        };
        match self.wouts.get_mut(w) {
            Some(Target::Other(o, _)) => {
                o.line(data, nl, d);
                if self.o.unbuffered {
                    o.out.flush();
                }
            }
            Some(Target::Stdout(missing)) => {
                let o = &mut self.stdout.out;
                if *missing {
                    o.byte(d);
                }
                o.write(data);
                if nl {
                    o.byte(d);
                }
                *missing = !nl;
            }
            None => {}
        }
    }

    fn read_line_file(&mut self, fi: usize) {
        let d = self.o.delim;
        let Some(slot) = self.rins.get_mut(fi) else {
            return;
        };
        if slot.is_none() {
            let Some(name) = self.sc.rfiles.get(fi) else {
                return;
            };
            match Reader::open(name, d) {
                Ok(r) => *slot = Some(r),
                Err(_) => return,
            }
        }
        if let Some(r) = slot
            && let Ok(Some(l)) = r.lr.next_line()
        {
            let mut l = l.to_vec();
            if l.last() != Some(&d) {
                l.push(d);
            }
            self.queue.push(Queued::Line(l));
        }
    }

    fn subst(&mut self, s: &Subst) -> bool {
        let Some(ri) = s.re.or(self.last_re) else {
            return false;
        };
        self.last_re = Some(ri);
        let Some(re) = self.sc.regexes.get(ri) else {
            return false;
        };
        let ps = &self.ps;
        let out = &mut self.sbuf;
        out.clear();
        let mut n = 0u64;
        let mut last = 0;
        let mut did = false;
        if !s.complex {
            for m in re.find_iter(ps) {
                n += 1;
                if n < s.nth {
                    continue;
                }
                append(out, &ps[last..m.start]);
                for p in &s.repl {
                    match p {
                        Piece::Lit(l) => append(out, l),
                        Piece::Group(_) => append(out, &ps[m.start..m.end]),
                        Piece::Case(_) => {}
                    }
                }
                last = m.end;
                did = true;
                if !s.global {
                    break;
                }
            }
        } else {
            for c in re.captures_iter(ps) {
                n += 1;
                if n < s.nth {
                    continue;
                }
                let m = c.whole();
                append(out, &ps[last..m.start]);
                let mut mode = Case::End;
                let mut one = None;
                for p in &s.repl {
                    match p {
                        Piece::Lit(l) => put_case(out, l, mode, &mut one),
                        Piece::Group(g) => {
                            if let Some(gm) = c.get(*g) {
                                put_case(out, &ps[gm.start..gm.end], mode, &mut one);
                            }
                        }
                        Piece::Case(k) => match k {
                            Case::UpperOne | Case::LowerOne => one = Some(*k),
                            // \L, \U and \E cancel a pending \u or \l.
                            _ => {
                                mode = *k;
                                one = None;
                            }
                        },
                    }
                }
                last = m.end;
                did = true;
                if !s.global {
                    break;
                }
            }
        }
        if !did {
            return false;
        }
        append(out, &ps[last..]);
        std::mem::swap(&mut self.ps, &mut self.sbuf);
        true
    }
}

/// The `l` form of `ps`, wrapped at `width` (0: no wrapping), with `$`.
fn list(ps: &[u8], width: usize, v: &mut Vec<u8>) {
    let mut col = 0;
    let mut esc = [0u8; 4];
    for &b in ps {
        let s: &[u8] = match b {
            b'\\' => b"\\\\",
            7 => b"\\a",
            8 => b"\\b",
            12 => b"\\f",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            11 => b"\\v",
            32..=126 => {
                esc[0] = b;
                &esc[..1]
            }
            _ => {
                esc = [
                    b'\\',
                    b'0' + (b >> 6),
                    b'0' + ((b >> 3) & 7),
                    b'0' + (b & 7),
                ];
                &esc[..]
            }
        };
        if width > 0 && col + s.len() > width - 1 {
            v.extend_from_slice(b"\\\n");
            col = 0;
        }
        v.extend_from_slice(s);
        col += s.len();
    }
    v.push(b'$');
}

fn read_whole(name: &[u8]) -> std::io::Result<Vec<u8>> {
    let input = Input::open(name)?;
    ibex::io::read_all(input.fd())
}
