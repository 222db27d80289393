//! The line-matching engine of diff: Myers' O(ND) algorithm with the
//! linear-space middle-snake refinement, run the way GNU diff runs it so
//! that the hunks come out the same: identical ends are set aside first
//! (minus a horizon of lines kept for shifting), lines that match nothing
//! in the other file are discarded before the search (with GNU's rules for
//! "provisional" lines that match too much), a search that gets too
//! expensive settles for the best diagonal so far (unless minimal), and the
//! resulting runs of changes are slid to merge with their neighbours and to
//! line up with changes in the other file.
//!
//! Callers give each line an equivalence-class number (equal lines, under
//! whatever comparison the caller wants, get equal numbers) and get back
//! the list of changes.

/// One change: `deleted` lines of the first file starting at `line0`
/// (0-based) replaced by `inserted` lines of the second starting at `line1`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Change {
    pub line0: usize,
    pub line1: usize,
    pub deleted: usize,
    pub inserted: usize,
}

/// How to run the comparison.
#[derive(Clone, Copy, Debug, Default)]
pub struct Options {
    /// Find a minimal diff: no discarding, no giving up (`diff -d`).
    pub minimal: bool,
    /// Lines of the identical prefix and suffix kept in the comparison
    /// (GNU's horizon: at least the context size).
    pub horizon: usize,
    /// Length of the identical prefix and suffix, when the caller's idea of
    /// "identical" (bytes) differs from the classes; None to use classes.
    pub ends: Option<(usize, usize)>,
}

/// Compare two sequences of class numbers.
pub fn diff(a: &[u32], b: &[u32], opt: Options) -> Vec<Change> {
    let (pre, suf) = opt.ends.unwrap_or_else(|| identical_ends(a, b));
    let pre = pre.saturating_sub(opt.horizon);
    let suf = suf.saturating_sub(opt.horizon);
    let a_mid = &a[pre..a.len() - suf];
    let b_mid = &b[pre..b.len() - suf];
    // changed flags with a 0 sentinel at each end (index 0 and len+1).
    let mut ch0 = vec![false; a_mid.len() + 2];
    let mut ch1 = vec![false; b_mid.len() + 2];
    let (und0, real0, und1, real1) = discard(a_mid, b_mid, opt.minimal, &mut ch0, &mut ch1);
    let diags = und0.len() + und1.len() + 3;
    let mut too_expensive: usize = 1;
    let mut d = diags;
    while d != 0 {
        too_expensive <<= 1;
        d >>= 2;
    }
    let mut ctx = Ctx {
        x: &und0,
        y: &und1,
        fd: vec![0; diags],
        bd: vec![0; diags],
        off: und1.len() as isize + 1,
        too_expensive: too_expensive.max(4096) as isize,
    };
    compareseq(&mut ctx, und0.len(), und1.len(), opt.minimal, |del, i| {
        if del {
            ch0[real0[i] + 1] = true;
        } else {
            ch1[real1[i] + 1] = true;
        }
    });
    shift_boundaries(a_mid, &mut ch0, &ch1);
    shift_boundaries(b_mid, &mut ch1, &ch0);
    build(&ch0, &ch1, pre)
}

/// Lines equal at the start, and at the end (not overlapping those).
pub fn identical_ends(a: &[u32], b: &[u32]) -> (usize, usize) {
    let pre = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let suf = a[pre..]
        .iter()
        .rev()
        .zip(b[pre..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    (pre, suf)
}

/// Discard lines that cannot match (or match too much, in runs), as GNU
/// does, to speed up and steer the search. Returns the kept classes of
/// each file and their original indexes; discarded lines are marked
/// changed.
fn discard(
    a: &[u32],
    b: &[u32],
    minimal: bool,
    ch0: &mut [bool],
    ch1: &mut [bool],
) -> (Vec<u32>, Vec<usize>, Vec<u32>, Vec<usize>) {
    let max = a.iter().chain(b).copied().max().unwrap_or(0) as usize + 1;
    let mut count = [vec![0usize; max], vec![0usize; max]];
    for &c in a {
        count[0][c as usize] += 1;
    }
    for &c in b {
        count[1][c as usize] += 1;
    }
    let files = [a, b];
    // 0 keep, 1 discard, 2 discard provisionally.
    let mut marks: [Vec<u8>; 2] = [vec![0; a.len()], vec![0; b.len()]];
    for f in 0..2 {
        let lines = files[f];
        let other = &count[1 - f];
        let mut many = 5usize;
        let mut tem = lines.len() / 64;
        loop {
            tem >>= 2;
            if tem == 0 {
                break;
            }
            many *= 2;
        }
        for (i, &c) in lines.iter().enumerate() {
            let n = other[c as usize];
            if n == 0 {
                marks[f][i] = 1;
            } else if n > many {
                marks[f][i] = 2;
            }
        }
    }
    for m in &mut marks {
        settle_provisional(m);
    }
    let keep = |f: usize, lines: &[u32], ch: &mut [bool]| {
        let mut classes = Vec::with_capacity(lines.len());
        let mut real = Vec::with_capacity(lines.len());
        for (i, &c) in lines.iter().enumerate() {
            if minimal || marks[f][i] == 0 {
                classes.push(c);
                real.push(i);
            } else {
                ch[i + 1] = true;
            }
        }
        (classes, real)
    };
    let (u0, r0) = keep(0, a, ch0);
    let (u1, r1) = keep(1, b, ch1);
    (u0, r0, u1, r1)
}

/// Provisional discards stand only inside runs of discards that begin and
/// end with real ones, and not where they are too many or too long.
fn settle_provisional(d: &mut [u8]) {
    let end = d.len();
    let mut i = 0;
    while i < end {
        if d[i] == 2 {
            d[i] = 0;
        } else if d[i] != 0 {
            // A run of discardable lines starting with a real one.
            let mut j = i;
            let mut provisional = 0;
            while j < end && d[j] != 0 {
                if d[j] == 2 {
                    provisional += 1;
                }
                j += 1;
            }
            while j > i && d[j - 1] == 2 {
                j -= 1;
                d[j] = 0;
                provisional -= 1;
            }
            let length = j - i;
            if provisional * 4 > length {
                for m in &mut d[i..j] {
                    if *m == 2 {
                        *m = 0;
                    }
                }
            } else {
                let mut minimum = 1usize;
                let mut tem = length >> 2;
                loop {
                    tem >>= 2;
                    if tem == 0 {
                        break;
                    }
                    minimum <<= 1;
                }
                minimum += 1;
                // Cancel subruns of `minimum` or more provisionals.
                let mut consec = 0usize;
                let mut k = 0usize;
                while k < length {
                    if d[i + k] != 2 {
                        consec = 0;
                    } else {
                        consec += 1;
                        if consec == minimum {
                            k -= consec;
                        } else if consec > minimum {
                            d[i + k] = 0;
                        }
                    }
                    k += 1;
                }
                // From each end, cancel provisionals until three real
                // discards in a row, or a real one at least 8 lines in.
                let mut consec = 0;
                for k in 0..length {
                    if k >= 8 && d[i + k] == 1 {
                        break;
                    }
                    match d[i + k] {
                        2 => {
                            consec = 0;
                            d[i + k] = 0;
                        }
                        0 => consec = 0,
                        _ => consec += 1,
                    }
                    if consec == 3 {
                        break;
                    }
                }
                let last = i + length - 1;
                let mut consec = 0;
                for k in 0..length {
                    if k >= 8 && d[last - k] == 1 {
                        break;
                    }
                    match d[last - k] {
                        2 => {
                            consec = 0;
                            d[last - k] = 0;
                        }
                        0 => consec = 0,
                        _ => consec += 1,
                    }
                    if consec == 3 {
                        break;
                    }
                }
                i = last;
            }
        }
        i += 1;
    }
}

struct Ctx<'a> {
    x: &'a [u32],
    y: &'a [u32],
    /// Furthest-reaching x per diagonal k (stored at k + off), forward
    /// and backward.
    fd: Vec<isize>,
    bd: Vec<isize>,
    off: isize,
    too_expensive: isize,
}

struct Part {
    xmid: isize,
    ymid: isize,
    lo_minimal: bool,
    hi_minimal: bool,
}

impl Ctx<'_> {
    fn eq(&self, x: isize, y: isize) -> bool {
        self.x[x as usize] == self.y[y as usize]
    }

    /// Find the midpoint of the shortest edit script of
    /// x[xoff..xlim] and y[yoff..ylim].
    fn diag(&mut self, xoff: isize, xlim: isize, yoff: isize, ylim: isize, minimal: bool) -> Part {
        let o = self.off;
        let dmin = xoff - ylim;
        let dmax = xlim - yoff;
        let fmid = xoff - yoff;
        let bmid = xlim - ylim;
        let (mut fmin, mut fmax, mut bmin, mut bmax) = (fmid, fmid, bmid, bmid);
        let odd = (fmid - bmid) & 1 != 0;
        self.fd[(fmid + o) as usize] = xoff;
        self.bd[(bmid + o) as usize] = xlim;
        let mut c: isize = 1;
        loop {
            // Forward: one more edit step on each diagonal.
            if fmin > dmin {
                fmin -= 1;
                self.fd[(fmin - 1 + o) as usize] = -1;
            } else {
                fmin += 1;
            }
            if fmax < dmax {
                fmax += 1;
                self.fd[(fmax + 1 + o) as usize] = -1;
            } else {
                fmax -= 1;
            }
            let mut d = fmax;
            while d >= fmin {
                let tlo = self.fd[(d - 1 + o) as usize];
                let thi = self.fd[(d + 1 + o) as usize];
                let x0 = if tlo < thi { thi } else { tlo + 1 };
                let (mut x, mut y) = (x0, x0 - d);
                while x < xlim && y < ylim && self.eq(x, y) {
                    x += 1;
                    y += 1;
                }
                self.fd[(d + o) as usize] = x;
                if odd && bmin <= d && d <= bmax && self.bd[(d + o) as usize] <= x {
                    return Part {
                        xmid: x,
                        ymid: y,
                        lo_minimal: true,
                        hi_minimal: true,
                    };
                }
                d -= 2;
            }
            // Backward.
            if bmin > dmin {
                bmin -= 1;
                self.bd[(bmin - 1 + o) as usize] = isize::MAX;
            } else {
                bmin += 1;
            }
            if bmax < dmax {
                bmax += 1;
                self.bd[(bmax + 1 + o) as usize] = isize::MAX;
            } else {
                bmax -= 1;
            }
            let mut d = bmax;
            while d >= bmin {
                let tlo = self.bd[(d - 1 + o) as usize];
                let thi = self.bd[(d + 1 + o) as usize];
                let x0 = if tlo < thi { tlo } else { thi - 1 };
                let (mut x, mut y) = (x0, x0 - d);
                while xoff < x && yoff < y && self.eq(x - 1, y - 1) {
                    x -= 1;
                    y -= 1;
                }
                self.bd[(d + o) as usize] = x;
                if !odd && fmin <= d && d <= fmax && x <= self.fd[(d + o) as usize] {
                    return Part {
                        xmid: x,
                        ymid: y,
                        lo_minimal: true,
                        hi_minimal: true,
                    };
                }
                d -= 2;
            }
            if !minimal && c >= self.too_expensive {
                // Give up: take the better of the furthest forward and
                // backward diagonals.
                let (mut fxybest, mut fxbest) = (-1isize, 0isize);
                let mut d = fmax;
                while d >= fmin {
                    let mut x = self.fd[(d + o) as usize].min(xlim);
                    let mut y = x - d;
                    if ylim < y {
                        x = ylim + d;
                        y = ylim;
                    }
                    if fxybest < x + y {
                        fxybest = x + y;
                        fxbest = x;
                    }
                    d -= 2;
                }
                let (mut bxybest, mut bxbest) = (isize::MAX, 0isize);
                let mut d = bmax;
                while d >= bmin {
                    let mut x = self.bd[(d + o) as usize].max(xoff);
                    let mut y = x - d;
                    if y < yoff {
                        x = yoff + d;
                        y = yoff;
                    }
                    if x + y < bxybest {
                        bxybest = x + y;
                        bxbest = x;
                    }
                    d -= 2;
                }
                return if (xlim + ylim) - bxybest < fxybest - (xoff + yoff) {
                    Part {
                        xmid: fxbest,
                        ymid: fxybest - fxbest,
                        lo_minimal: true,
                        hi_minimal: false,
                    }
                } else {
                    Part {
                        xmid: bxbest,
                        ymid: bxybest - bxbest,
                        lo_minimal: false,
                        hi_minimal: true,
                    }
                };
            }
            c += 1;
        }
    }
}

/// Divide and conquer on an explicit stack; `note(true, i)` marks x[i]
/// deleted, `note(false, j)` marks y[j] inserted.
fn compareseq(
    ctx: &mut Ctx,
    xlen: usize,
    ylen: usize,
    minimal: bool,
    mut note: impl FnMut(bool, usize),
) {
    let mut stack: Vec<(isize, isize, isize, isize, bool)> =
        vec![(0, xlen as isize, 0, ylen as isize, minimal)];
    while let Some((mut xoff, mut xlim, mut yoff, mut ylim, min)) = stack.pop() {
        while xoff < xlim && yoff < ylim && ctx.eq(xoff, yoff) {
            xoff += 1;
            yoff += 1;
        }
        while xoff < xlim && yoff < ylim && ctx.eq(xlim - 1, ylim - 1) {
            xlim -= 1;
            ylim -= 1;
        }
        if xoff == xlim {
            for j in yoff..ylim {
                note(false, j as usize);
            }
        } else if yoff == ylim {
            for i in xoff..xlim {
                note(true, i as usize);
            }
        } else {
            let p = ctx.diag(xoff, xlim, yoff, ylim, min);
            stack.push((p.xmid, xlim, p.ymid, ylim, p.hi_minimal));
            stack.push((xoff, p.xmid, yoff, p.ymid, p.lo_minimal));
        }
    }
}

/// Slide runs of changes (GNU's shift_boundaries): `ch` and `other` have
/// a false sentinel at index 0 and at the end; line i is at index i + 1.
fn shift_boundaries(eq: &[u32], ch: &mut [bool], other: &[bool]) {
    let i_end = eq.len() + 1;
    let e = |k: usize| eq[k - 1];
    let mut i = 1usize;
    let mut j = 1usize;
    loop {
        while i < i_end && !ch[i] {
            while other[j] {
                j += 1;
            }
            j += 1;
            i += 1;
        }
        if i == i_end {
            break;
        }
        let mut start = i;
        i += 1;
        while ch[i] {
            i += 1;
        }
        while other[j] {
            j += 1;
        }
        let mut corresponding;
        loop {
            let runlength = i - start;
            // Move the run back while the line before it equals its last.
            while start > 1 && e(start - 1) == e(i - 1) {
                start -= 1;
                ch[start] = true;
                i -= 1;
                ch[i] = false;
                while ch[start - 1] {
                    start -= 1;
                }
                j -= 1;
                while other[j] {
                    j -= 1;
                }
            }
            corresponding = if other[j - 1] { i } else { i_end };
            // Move it forward while its first line equals the line after.
            while i != i_end && e(start) == e(i) {
                ch[start] = false;
                start += 1;
                ch[i] = true;
                i += 1;
                while ch[i] {
                    i += 1;
                }
                j += 1;
                while other[j] {
                    j += 1;
                    corresponding = i;
                }
            }
            if runlength == i - start {
                break;
            }
        }
        // Back to where it lines up with a change in the other file.
        while corresponding < i {
            start -= 1;
            ch[start] = true;
            i -= 1;
            ch[i] = false;
            j -= 1;
            while other[j] {
                j -= 1;
            }
        }
    }
}

/// Turn the changed flags into changes, in file order.
fn build(ch0: &[bool], ch1: &[bool], pre: usize) -> Vec<Change> {
    let (n0, n1) = (ch0.len() - 2, ch1.len() - 2);
    let mut out = Vec::new();
    let (mut i, mut j) = (0usize, 0usize);
    while i < n0 || j < n1 {
        if ch0[i + 1] || ch1[j + 1] {
            let (s0, s1) = (i, j);
            while i < n0 && ch0[i + 1] {
                i += 1;
            }
            while j < n1 && ch1[j + 1] {
                j += 1;
            }
            out.push(Change {
                line0: s0 + pre,
                line1: s1 + pre,
                deleted: i - s0,
                inserted: j - s1,
            });
        }
        i += 1;
        j += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn classes(s: &str, t: &str) -> (Vec<u32>, Vec<u32>) {
        let mut map = std::collections::HashMap::new();
        let mut id = |c: char| {
            let n = map.len() as u32;
            *map.entry(c).or_insert(n)
        };
        let a = s.chars().map(&mut id).collect();
        let b = t.chars().map(&mut id).collect();
        (a, b)
    }

    /// Apply the changes to a and check the result is b.
    fn check(s: &str, t: &str) -> usize {
        let (a, b) = classes(s, t);
        let ch = diff(&a, &b, Options::default());
        let mut out = Vec::new();
        let mut i = 0;
        for c in &ch {
            out.extend_from_slice(&a[i..c.line0]);
            out.extend_from_slice(&b[c.line1..c.line1 + c.inserted]);
            i = c.line0 + c.deleted;
        }
        out.extend_from_slice(&a[i..]);
        assert_eq!(out, b, "{s} -> {t}");
        ch.iter().map(|c| c.deleted + c.inserted).sum()
    }

    #[test]
    fn edits_are_valid_and_minimal_on_small_cases() {
        assert_eq!(check("abcabba", "cbabac"), 5);
        assert_eq!(check("", "abc"), 3);
        assert_eq!(check("abc", ""), 3);
        assert_eq!(check("abc", "abc"), 0);
        assert_eq!(check("abcdef", "abXdef"), 2);
        assert_eq!(check("aaaa", "aa"), 2);
    }

    #[test]
    fn changes_slide_to_merge() {
        let (a, b) = classes("abcab", "ab");
        let ch = diff(&a, &b, Options::default());
        assert_eq!(
            ch,
            vec![Change {
                line0: 2,
                line1: 2,
                deleted: 3,
                inserted: 0
            }]
        );
    }
}
