//! The sorting engine: input read into one buffer per run, lines kept as
//! offsets with a 64-bit key prefix, sorted by threads in pieces and merged
//! on output; runs that do not fit the memory limit go to temporary files
//! (created O_EXCL 0600 and unlinked at once) and are merged k ways.

use super::key::{Key, Salt, bytes_cmp, bytes_prefix};
use ibex::sys;
use std::cmp::Ordering;
use std::io;
use std::os::fd::{AsRawFd, OwnedFd, RawFd};

/// How lines compare: the keys and the options around them.
pub struct Ctx {
    pub keys: Vec<Key>,
    pub tab: Option<u8>,
    /// Global -r: reverses the last-resort comparison.
    pub reverse: bool,
    /// -s or -u: no last-resort comparison of whole lines.
    pub stable: bool,
    pub unique: bool,
    pub eol: u8,
    pub salt: Salt,
}

impl Ctx {
    /// Compare two lines (without their delimiters).
    pub fn compare(&self, a: &[u8], b: &[u8]) -> Ordering {
        for k in &self.keys {
            let o = k.compare(k.find(a, self.tab), k.find(b, self.tab), &self.salt);
            if o != Ordering::Equal {
                return o;
            }
        }
        if self.stable && !self.keys.is_empty() {
            return Ordering::Equal;
        }
        let o = bytes_cmp(a, b);
        if self.reverse { o.reverse() } else { o }
    }

    fn prefix(&self, line: &[u8]) -> u64 {
        match self.keys.first() {
            Some(k) => k.prefix(k.find(line, self.tab), &self.salt),
            None if self.reverse => !bytes_prefix(line),
            None => bytes_prefix(line),
        }
    }
}

/// A line in the run buffer: its first key's prefix, offset and length
/// (without the delimiter, which always follows it in the buffer).
#[derive(Clone, Copy)]
struct Rec {
    pfx: u64,
    off: u32,
    len: u32,
}

fn line_of<'a>(text: &'a [u8], r: &Rec) -> &'a [u8] {
    &text[r.off as usize..r.off as usize + r.len as usize]
}

fn rec_cmp(ctx: &Ctx, text: &[u8], a: &Rec, b: &Rec) -> Ordering {
    if a.pfx != b.pfx {
        return a.pfx.cmp(&b.pfx);
    }
    let (x, y) = (line_of(text, a), line_of(text, b));
    let o = if ctx.keys.is_empty() {
        // Equal prefixes: equal first 8 bytes (or shorter lines).
        let o = if x.len() >= 8 && y.len() >= 8 {
            bytes_cmp(&x[8..], &y[8..])
        } else {
            bytes_cmp(x, y)
        };
        if ctx.reverse { o.reverse() } else { o }
    } else {
        ctx.compare(x, y)
    };
    if o == Ordering::Equal && ctx.stable {
        a.off.cmp(&b.off)
    } else {
        o
    }
}

/// Whether two records are duplicates for -u.
fn rec_same(ctx: &Ctx, text: &[u8], a: &Rec, b: &Rec) -> bool {
    a.pfx == b.pfx && ctx.compare(line_of(text, a), line_of(text, b)) == Ordering::Equal
}

// ---------------------------------------------------------------- output

pub use ibex::fields::LineOut as Writer;

/// Where sorted lines go: a writer, deduplicating for -u when asked.
struct Sink<'a> {
    w: &'a mut Writer,
    ctx: &'a Ctx,
    prev: Vec<u8>,
    have_prev: bool,
}

impl<'a> Sink<'a> {
    fn new(w: &'a mut Writer, ctx: &'a Ctx) -> Sink<'a> {
        Sink {
            w,
            ctx,
            prev: Vec::new(),
            have_prev: false,
        }
    }

    /// Emit a line with its delimiter, dropping duplicates under -u.
    fn put(&mut self, l: &[u8]) {
        if self.ctx.unique {
            let body = &l[..l.len() - 1];
            if self.have_prev && self.ctx.compare(&self.prev, body) == Ordering::Equal {
                return;
            }
            self.prev.clear();
            self.prev.extend_from_slice(body);
            self.have_prev = true;
        }
        self.w.write(l);
    }
}

// ---------------------------------------------------------------- temporary files

/// Directories for temporary files, used in turn.
pub struct Temps {
    pub dirs: Vec<Vec<u8>>,
    next: usize,
}

impl Temps {
    pub fn new(dirs: Vec<Vec<u8>>) -> Temps {
        Temps { dirs, next: 0 }
    }

    /// A new temporary file, already unlinked: nothing is left behind
    /// however sort ends.
    pub fn create(&mut self) -> Result<(OwnedFd, Vec<u8>), Fail> {
        let dir = self.dirs[self.next % self.dirs.len()].clone();
        self.next += 1;
        let (fd, path) = create_unique(&dir, b"sort").map_err(|e| Fail::Temp(dir.clone(), e))?;
        let _ = sys::unlinkat(sys::Dir::CWD, &path, 0);
        Ok((fd, path))
    }
}

/// Create `DIR/PREFIXxxxxxx` with O_EXCL and mode 0600.
pub fn create_unique(dir: &[u8], prefix: &[u8]) -> io::Result<(OwnedFd, Vec<u8>)> {
    const CHARS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let mut path = dir.to_vec();
    if !path.ends_with(b"/") {
        path.push(b'/');
    }
    path.extend_from_slice(prefix);
    let base = path.len();
    for _ in 0..100 {
        let mut r = [0u8; 6];
        sys::getrandom(&mut r)?;
        path.truncate(base);
        path.extend(r.iter().map(|b| CHARS[*b as usize % CHARS.len()]));
        let flags = sys::O_RDWR | sys::O_CREAT | sys::O_EXCL | sys::O_CLOEXEC;
        match sys::open(&path, flags, 0o600) {
            Ok(fd) => return Ok((fd, path)),
            Err(e) if e.raw_os_error() == Some(libc::EEXIST) => continue,
            Err(e) => return Err(e),
        }
    }
    Err(io::Error::from_raw_os_error(libc::EEXIST))
}

/// Why sorting failed (the message is printed by the caller).
pub enum Fail {
    /// Opening an input: `cannot read: NAME: reason` (`open failed` for -c).
    Open(Vec<u8>, io::Error),
    /// Reading an input: `read failed: NAME: reason`.
    Read(Vec<u8>, io::Error),
    /// Creating a temporary file in a directory.
    Temp(Vec<u8>, io::Error),
    /// Writing a temporary file: `write failed: NAME: reason`.
    Write(Vec<u8>, io::Error),
    /// Writing the output (message printed by the output's owner).
    Output,
}

// ---------------------------------------------------------------- line sources

/// Lines read from a descriptor through a buffer that grows for long lines.
/// Every line handed out ends with the delimiter (one is added to an
/// unterminated last line).
pub struct Source {
    fd: RawFd,
    _own: Option<OwnedFd>,
    buf: Vec<u8>,
    pos: usize,
    end: usize,
    eof: bool,
    cur: (usize, usize),
    eol: u8,
    pub name: Vec<u8>,
}

impl Source {
    pub fn new(fd: RawFd, own: Option<OwnedFd>, size: usize, eol: u8, name: Vec<u8>) -> Source {
        Source {
            fd,
            _own: own,
            buf: vec![0; size.max(4096)],
            pos: 0,
            end: 0,
            eof: false,
            cur: (0, 0),
            eol,
            name,
        }
    }

    /// The current line, with its delimiter.
    pub fn line(&self) -> &[u8] {
        &self.buf[self.cur.0..self.cur.1]
    }

    /// Move to the next line; false at the end of input.
    pub fn advance(&mut self) -> io::Result<bool> {
        let mut scan = self.pos;
        loop {
            if let Some(i) = memchr::memchr(self.eol, &self.buf[scan..self.end]) {
                self.cur = (self.pos, scan + i + 1);
                self.pos = scan + i + 1;
                return Ok(true);
            }
            if self.eof {
                if self.pos == self.end {
                    return Ok(false);
                }
                if self.end == self.buf.len() {
                    self.buf.push(self.eol);
                } else {
                    self.buf[self.end] = self.eol;
                }
                self.end += 1;
                continue;
            }
            scan = self.end;
            if self.pos > 0 {
                self.buf.copy_within(self.pos..self.end, 0);
                scan -= self.pos;
                self.end -= self.pos;
                self.pos = 0;
            }
            if self.end == self.buf.len() {
                let n = self.buf.len() * 2;
                self.buf.resize(n, 0);
            }
            let n = sys::read(self.fd, &mut self.buf[self.end..])?;
            if n == 0 {
                self.eof = true;
            }
            self.end += n;
        }
    }
}

/// Merge sources into the sink: a heap of source indices, ties going to
/// the earlier source (stability across runs).
fn merge_sources(ctx: &Ctx, srcs: &mut [Source], sink: &mut Sink) -> Result<(), Fail> {
    let mut live: Vec<usize> = Vec::with_capacity(srcs.len());
    for (i, s) in srcs.iter_mut().enumerate() {
        if s.advance().map_err(|e| read_fail(s, e))? {
            live.push(i);
        }
    }
    let less = |srcs: &[Source], a: usize, b: usize| {
        let (x, y) = (srcs[a].line(), srcs[b].line());
        match ctx.compare(&x[..x.len() - 1], &y[..y.len() - 1]) {
            Ordering::Less => true,
            Ordering::Greater => false,
            Ordering::Equal => a < b,
        }
    };
    let mut heap = Heap { v: live };
    heap.build(|a, b| less(srcs, a, b));
    while let Some(&top) = heap.v.first() {
        sink.put(srcs[top].line());
        if sink.w.failed() {
            return Err(Fail::Output);
        }
        let s = &mut srcs[top];
        if !s.advance().map_err(|e| read_fail(s, e))? {
            heap.pop();
        }
        heap.sift_down(0, |a, b| less(srcs, a, b));
    }
    Ok(())
}

fn read_fail(s: &Source, e: io::Error) -> Fail {
    Fail::Read(s.name.clone(), e)
}

/// A binary min-heap of indices under a comparison given at each call.
struct Heap {
    v: Vec<usize>,
}

impl Heap {
    fn build(&mut self, less: impl Fn(usize, usize) -> bool) {
        for i in (0..self.v.len() / 2).rev() {
            self.sift_down(i, &less);
        }
    }

    fn pop(&mut self) {
        if let Some(last) = self.v.pop()
            && !self.v.is_empty()
        {
            self.v[0] = last;
        }
    }

    fn sift_down(&mut self, mut i: usize, less: impl Fn(usize, usize) -> bool) {
        let n = self.v.len();
        loop {
            let l = 2 * i + 1;
            if l >= n {
                return;
            }
            let r = l + 1;
            let c = if r < n && less(self.v[r], self.v[l]) {
                r
            } else {
                l
            };
            if less(self.v[c], self.v[i]) {
                self.v.swap(c, i);
                i = c;
            } else {
                return;
            }
        }
    }
}

// ---------------------------------------------------------------- in-memory runs

/// Build and sort the records of `text[range]` (complete lines).
fn sort_piece(ctx: &Ctx, text: &[u8], start: usize, end: usize, lines: usize) -> Vec<Rec> {
    let mut recs = Vec::with_capacity(lines);
    let mut p = start;
    for i in memchr::memchr_iter(ctx.eol, &text[start..end]) {
        let e = start + i;
        let line = &text[p..e];
        recs.push(Rec {
            pfx: ctx.prefix(line),
            off: p as u32,
            len: (e - p) as u32,
        });
        p = e + 1;
    }
    recs.sort_unstable_by(|a, b| rec_cmp(ctx, text, a, b));
    if ctx.unique {
        recs.dedup_by(|b, a| rec_same(ctx, text, a, b));
    }
    recs
}

/// Sort the complete lines `text[..end]` with up to `threads` threads and
/// write them, merged, to `sink`.
fn sort_run(ctx: &Ctx, text: &[u8], end: usize, threads: usize, sink: &mut Sink) {
    let lines = sys::count_byte(&text[..end], ctx.eol);
    let t = if lines < 50_000 { 1 } else { threads.max(1) };
    // Cut into `t` pieces at line boundaries.
    let mut bounds = vec![0usize];
    for i in 1..t {
        let target = end * i / t;
        let prev = *bounds.last().unwrap_or(&0);
        let cut = if target <= prev {
            prev
        } else {
            memchr::memchr(ctx.eol, &text[target..end]).map_or(end, |j| target + j + 1)
        };
        bounds.push(cut);
    }
    bounds.push(end);
    let pieces: Vec<Vec<Rec>> = if t == 1 {
        vec![sort_piece(ctx, text, 0, end, lines)]
    } else {
        std::thread::scope(|s| {
            let handles: Vec<_> = bounds
                .windows(2)
                .map(|w| {
                    let (a, b) = (w[0], w[1]);
                    s.spawn(move || {
                        let n = sys::count_byte(&text[a..b], ctx.eol);
                        sort_piece(ctx, text, a, b, n)
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().unwrap_or_default())
                .collect()
        })
    };
    let put = |w: &mut Writer, r: &Rec| w.write_at(text, r.off as usize, r.len as usize + 1);
    if pieces.len() == 1 {
        for r in &pieces[0] {
            put(sink.w, r);
        }
        return;
    }
    // Merge the pieces; ties go to the earlier piece (input order).
    let mut pos = vec![0usize; pieces.len()];
    let live: Vec<usize> = (0..pieces.len())
        .filter(|&i| !pieces[i].is_empty())
        .collect();
    let less = |pos: &[usize], a: usize, b: usize| match rec_cmp(
        ctx,
        text,
        &pieces[a][pos[a]],
        &pieces[b][pos[b]],
    ) {
        Ordering::Less => true,
        Ordering::Greater => false,
        Ordering::Equal => a < b,
    };
    let mut heap = Heap { v: live };
    heap.build(|a, b| less(&pos, a, b));
    let mut last: Option<Rec> = None;
    while let Some(&top) = heap.v.first() {
        let r = pieces[top][pos[top]];
        let dup = ctx.unique && last.is_some_and(|l| rec_same(ctx, text, &l, &r));
        if !dup {
            put(sink.w, &r);
            last = Some(r);
        }
        pos[top] += 1;
        if pos[top] == pieces[top].len() {
            heap.pop();
        }
        heap.sift_down(0, |a, b| less(&pos, a, b));
    }
}

// ---------------------------------------------------------------- the whole sort

pub struct Plan {
    /// Memory limit in bytes (-S).
    pub limit: usize,
    pub threads: usize,
    /// Most runs merged at once (--batch-size).
    pub nmerge: usize,
}

/// Size of a record, for memory accounting.
const REC: usize = std::mem::size_of::<Rec>();

/// An input, opened: a descriptor and its name for messages.
pub struct In {
    pub fd: RawFd,
    pub own: Option<OwnedFd>,
    pub name: Vec<u8>,
}

/// Read every input, sort, and hand back either the sorted text for
/// output (`Done::Memory`) or the spilled runs to merge.
pub enum Done {
    Memory { text: Vec<u8>, end: usize },
    Runs(Vec<Run>),
}

pub fn read_and_sort(
    ctx: &Ctx,
    plan: &Plan,
    temps: &mut Temps,
    mut open: impl FnMut(usize) -> Result<Option<In>, Fail>,
) -> Result<Done, Fail> {
    // Text may not pass u32 offsets.
    let limit = plan.limit.clamp(64 * 1024, u32::MAX as usize - (1 << 20));
    let chunk = (limit / 16).clamp(16 * 1024, 1 << 20);
    let mut text: Vec<u8> = Vec::new();
    // Complete lines in `text[..done]`, `lines` of them.
    let mut done = 0usize;
    let mut lines = 0usize;
    let mut runs: Vec<Run> = Vec::new();
    let mut i = 0;
    while let Some(input) = open(i)? {
        i += 1;
        if let Ok(st) = sys::fstat(input.fd)
            && st.is_reg()
        {
            let want = (text.len() as u64 + st.size + 1).min(limit as u64 + chunk as u64);
            text.reserve_exact((want as usize).saturating_sub(text.len()));
        }
        loop {
            let len = text.len();
            if text.capacity() < len + chunk {
                // Grow geometrically, but not far past the limit.
                let want = (text.capacity() * 2).min(limit + chunk).max(len + chunk);
                text.reserve_exact(want - len);
            }
            text.resize(len + chunk, 0);
            let n = match sys::read(input.fd, &mut text[len..]) {
                Ok(n) => n,
                Err(e) => return Err(Fail::Read(input.name, e)),
            };
            text.truncate(len + n);
            let eof = n == 0;
            if eof && text.len() > done && text.last() != Some(&ctx.eol) {
                text.push(ctx.eol);
            }
            // Count the new complete lines; cut a run where memory is full.
            loop {
                let base = done;
                let mut full = false;
                for j in memchr::memchr_iter(ctx.eol, &text[base..]) {
                    let e = base + j + 1;
                    if lines > 0 && e + (lines + 1) * REC > limit {
                        full = true;
                        break;
                    }
                    lines += 1;
                    done = e;
                }
                if !full {
                    break;
                }
                spill(ctx, plan, temps, &text, done, &mut runs)?;
                text.drain(..done);
                done = 0;
                lines = 0;
            }
            if eof {
                break;
            }
        }
    }
    if runs.is_empty() {
        // Room for the output's 16-byte copies past the last line.
        text.truncate(done);
        text.extend_from_slice(&[0; ibex::fields::READ_SLACK]);
        return Ok(Done::Memory { text, end: done });
    }
    if done > 0 {
        spill(ctx, plan, temps, &text, done, &mut runs)?;
    }
    Ok(Done::Runs(runs))
}

/// Sort `text[..end]` into a new temporary run.
fn spill(
    ctx: &Ctx,
    plan: &Plan,
    temps: &mut Temps,
    text: &[u8],
    end: usize,
    runs: &mut Vec<Run>,
) -> Result<(), Fail> {
    let (fd, path) = temps.create()?;
    let mut w = Writer::new(fd.as_raw_fd());
    {
        let mut sink = Sink::new(&mut w, ctx);
        sort_run(ctx, text, end, plan.threads, &mut sink);
    }
    finish_temp(&mut w, &fd, &path)?;
    runs.push(Run::Temp(fd, path));
    Ok(())
}

/// Flush a temporary run and rewind it for reading.
fn finish_temp(w: &mut Writer, fd: &OwnedFd, path: &[u8]) -> Result<(), Fail> {
    if let Some(e) = w.finish() {
        return Err(Fail::Write(path.to_vec(), e));
    }
    sys::lseek(fd.as_raw_fd(), 0, sys::SEEK_SET).map_err(|e| Fail::Read(path.to_vec(), e))?;
    Ok(())
}

/// Write the in-memory result.
pub fn output_memory(ctx: &Ctx, plan: &Plan, text: &[u8], end: usize, w: &mut Writer) {
    let mut sink = Sink::new(w, ctx);
    sort_run(ctx, text, end, plan.threads, &mut sink);
}

/// A run to merge: a temporary file, or (for -m) an input.
pub enum Run {
    Temp(OwnedFd, Vec<u8>),
    Input(In),
}

/// Merge runs into `w`, first in passes of at most `nmerge` runs into new
/// temporary runs, keeping their order.
pub fn merge_runs(
    ctx: &Ctx,
    plan: &Plan,
    temps: &mut Temps,
    mut runs: Vec<Run>,
    w: &mut Writer,
) -> Result<(), Fail> {
    let nmerge = plan.nmerge.max(2);
    while runs.len() > nmerge {
        let mut next = Vec::new();
        let mut it = runs.into_iter().peekable();
        while it.peek().is_some() {
            let group: Vec<Run> = it.by_ref().take(nmerge).collect();
            if group.len() == 1 {
                next.extend(group);
                continue;
            }
            let (fd, path) = temps.create()?;
            let mut tw = Writer::new(fd.as_raw_fd());
            merge_group(ctx, plan, group, &mut tw)?;
            finish_temp(&mut tw, &fd, &path)?;
            next.push(Run::Temp(fd, path));
        }
        runs = next;
    }
    merge_group(ctx, plan, runs, w)
}

fn merge_group(ctx: &Ctx, plan: &Plan, group: Vec<Run>, w: &mut Writer) -> Result<(), Fail> {
    let size = (plan.limit / (2 * (group.len() + 1))).clamp(4096, 256 * 1024);
    let mut srcs: Vec<Source> = group
        .into_iter()
        .map(|r| match r {
            Run::Temp(fd, path) => Source::new(fd.as_raw_fd(), Some(fd), size, ctx.eol, path),
            Run::Input(i) => Source::new(i.fd, i.own, size, ctx.eol, i.name),
        })
        .collect();
    let mut sink = Sink::new(w, ctx);
    merge_sources(ctx, &mut srcs, &mut sink)
}
