//! tr: translate, squeeze and delete bytes of standard input.
//! SET1 [SET2] with ranges, `[:class:]`, `[=c=]`, `[c*n]`/`[c*]`, octal and
//! backslash escapes; `-c`/`-C` complement SET1, `-d` delete, `-s` squeeze,
//! `-t` truncate SET1. Validation and messages follow GNU tr (C locale:
//! classes are ASCII, data is bytes). The work is a 256-entry table applied
//! in place to big buffers.

use ibex::Status;
use ibex::args::{Parser, Spec, flag, usage_error};
use ibex::sys;
use std::ffi::OsString;
use std::os::unix::ffi::OsStrExt;

const LONGS: &[ibex::args::Long] = &[
    flag("complement", 'c' as u32),
    flag("delete", 'd' as u32),
    flag("squeeze-repeats", 's' as u32),
    flag("truncate-set1", 't' as u32),
];

const SPEC: Spec = Spec::new(
    "cCdst",
    LONGS,
    ibex::usage!(
        tr,
        "tr [-cdst] STRING1 [STRING2]\n\n\
         Translate, squeeze, or delete characters from standard input\n\n\
         \t-c,-C\tUse the complement of STRING1 (--complement)\n\
         \t-d\tDelete characters in STRING1 (--delete)\n\
         \t-s\tSqueeze repeats of characters in the last STRING (--squeeze-repeats)\n\
         \t-t\tTruncate STRING1 to the length of STRING2 (--truncate-set1)\n\n\
         Strings may hold \\NNN \\\\ \\a \\b \\f \\n \\r \\t \\v, CHAR1-CHAR2,\n\
         [CHAR*] and [CHAR*REPEAT] (in STRING2), [=CHAR=] and [:CLASS:] where\n\
         CLASS is alnum alpha blank cntrl digit graph lower print punct space\n\
         upper or xdigit"
    ),
);

#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    Alnum,
    Alpha,
    Blank,
    Cntrl,
    Digit,
    Graph,
    Lower,
    Print,
    Punct,
    Space,
    Upper,
    Xdigit,
}

const CLASSES: &[(&[u8], Class)] = &[
    (b"alnum", Class::Alnum),
    (b"alpha", Class::Alpha),
    (b"blank", Class::Blank),
    (b"cntrl", Class::Cntrl),
    (b"digit", Class::Digit),
    (b"graph", Class::Graph),
    (b"lower", Class::Lower),
    (b"print", Class::Print),
    (b"punct", Class::Punct),
    (b"space", Class::Space),
    (b"upper", Class::Upper),
    (b"xdigit", Class::Xdigit),
];

impl Class {
    fn has(self, c: u8) -> bool {
        match self {
            Class::Alnum => c.is_ascii_alphanumeric(),
            Class::Alpha => c.is_ascii_alphabetic(),
            Class::Blank => c == b' ' || c == b'\t',
            Class::Cntrl => c < 32 || c == 127,
            Class::Digit => c.is_ascii_digit(),
            Class::Graph => c.is_ascii_graphic(),
            Class::Lower => c.is_ascii_lowercase(),
            Class::Print => (32..127).contains(&c),
            Class::Punct => c.is_ascii_punctuation(),
            Class::Space => c == b' ' || (9..=13).contains(&c),
            Class::Upper => c.is_ascii_uppercase(),
            Class::Xdigit => c.is_ascii_hexdigit(),
        }
    }
}

#[derive(Clone, Copy)]
enum Elem {
    Char(u8),
    Range(u8, u8),
    Class(Class),
    Equiv(u8),
    /// `[c*n]`; `None` is `[c*]` (fill to the length of SET1).
    Repeat(u8, Option<usize>),
}

/// A failure message (without the applet prefix): status 1, no usage.
fn fail(parts: &[&[u8]]) -> ibex::Exit {
    let mut m = ibex::error::start();
    for p in parts {
        m.extend_from_slice(p);
    }
    ibex::error::emit(m);
    ibex::Exit(1)
}

/// A byte as GNU shows it in range messages: itself, or `\ooo`.
fn show(c: u8, out: &mut Vec<u8>) {
    if c.is_ascii_graphic() || c == b' ' {
        out.push(c);
    } else {
        out.push(b'\\');
        out.push(b'0' + (c >> 6));
        out.push(b'0' + ((c >> 3) & 7));
        out.push(b'0' + (c & 7));
    }
}

/// Expand backslash escapes: each byte with whether it was escaped.
fn unescape(s: &[u8]) -> Vec<(u8, bool)> {
    let mut v = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        let c = s[i];
        i += 1;
        if c != b'\\' {
            v.push((c, false));
            continue;
        }
        let Some(&e) = s.get(i) else {
            ibex::msg!("warning: an unescaped backslash at end of string is not portable");
            v.push((b'\\', false));
            break;
        };
        i += 1;
        let b = match e {
            b'a' => 7,
            b'b' => 8,
            b'f' => 12,
            b'n' => b'\n',
            b'r' => b'\r',
            b't' => b'\t',
            b'v' => 11,
            b'0'..=b'7' => {
                let start = i - 1;
                let mut n = 1;
                while n < 3 && s.get(start + n).is_some_and(|d| (b'0'..=b'7').contains(d)) {
                    n += 1;
                }
                let digits = &s[start..start + n];
                let mut val = digits.iter().fold(0u32, |a, d| a * 8 + u32::from(d - b'0'));
                if val > 255 {
                    let mut m = ibex::error::start();
                    m.extend_from_slice(b"warning: the ambiguous octal escape \\");
                    m.extend_from_slice(digits);
                    m.extend_from_slice(b" is being\n\tinterpreted as the 2-byte sequence \\0");
                    m.extend_from_slice(&digits[..2]);
                    m.extend_from_slice(b", ");
                    m.push(digits[2]);
                    ibex::error::emit(m);
                    val /= 8;
                    n = 2;
                }
                i = start + n;
                val as u8
            }
            other => other,
        };
        v.push((b, true));
    }
    v
}

fn plain(s: &[(u8, bool)], i: usize, want: u8) -> bool {
    s.get(i) == Some(&(want, false))
}

/// Parse a SET string into elements.
fn parse(arg: &[u8]) -> Result<Vec<Elem>, ibex::Exit> {
    let s = unescape(arg);
    let text = |a: usize, b: usize| -> Vec<u8> { s[a..b].iter().map(|p| p.0).collect() };
    let mut out = Vec::new();
    let mut i = 0;
    while i < s.len() {
        let (c, esc) = s[i];
        if c == b'[' && !esc {
            // [:class:] and [=c=]
            if let Some(&(k @ (b':' | b'='), false)) = s.get(i + 1) {
                let close = (i + 2..s.len().saturating_sub(1))
                    .find(|&j| plain(&s, j, k) && plain(&s, j + 1, b']'));
                if let Some(j) = close {
                    let name = text(i + 2, j);
                    if k == b':' {
                        if name.is_empty() {
                            return Err(fail(&[b"missing character class name '[::]'"]));
                        }
                        match CLASSES.iter().find(|(n, _)| *n == name.as_slice()) {
                            Some(&(_, cl)) => out.push(Elem::Class(cl)),
                            None => {
                                return Err(fail(&[
                                    b"invalid character class ",
                                    &ibex::records::cquote(&name),
                                ]));
                            }
                        }
                    } else {
                        match name.as_slice() {
                            [] => {
                                return Err(fail(&[b"missing equivalence class character '[==]'"]));
                            }
                            [c] => out.push(Elem::Equiv(*c)),
                            _ => {
                                return Err(fail(&[
                                    &name,
                                    b": equivalence class operand must be a single character",
                                ]));
                            }
                        }
                    }
                    i = j + 2;
                    continue;
                }
            }
            // [c*n]
            if i + 2 < s.len() && plain(&s, i + 2, b'*') {
                let rep = s[i + 1].0;
                if let Some(j) = (i + 3..s.len()).find(|&j| plain(&s, j, b']')) {
                    let count = text(i + 3, j);
                    let n = repeat_count(&count)?;
                    out.push(Elem::Repeat(rep, n));
                    i = j + 1;
                    continue;
                }
            }
        }
        if i + 2 < s.len() && plain(&s, i + 1, b'-') {
            let hi = s[i + 2].0;
            if hi < c {
                let mut m = b"range-endpoints of '".to_vec();
                show(c, &mut m);
                m.push(b'-');
                show(hi, &mut m);
                m.extend_from_slice(b"' are in reverse collating sequence order");
                return Err(fail(&[&m]));
            }
            out.push(Elem::Range(c, hi));
            i += 3;
            continue;
        }
        out.push(Elem::Char(c));
        i += 1;
    }
    Ok(out)
}

/// The count of `[c*COUNT]`: decimal, or octal with a leading 0; empty or
/// zero means "fill".
fn repeat_count(s: &[u8]) -> Result<Option<usize>, ibex::Exit> {
    if s.is_empty() {
        return Ok(None);
    }
    let radix = if s[0] == b'0' { 8 } else { 10 };
    let mut n: usize = 0;
    for &d in s {
        let v = (d as char).to_digit(radix);
        match v.and_then(|v| n.checked_mul(radix as usize)?.checked_add(v as usize)) {
            Some(x) => n = x,
            None => {
                return Err(fail(&[
                    b"invalid repeat count ",
                    &ibex::records::cquote(s),
                    b" in [c*n] construct",
                ]));
            }
        }
    }
    Ok(if n == 0 { None } else { Some(n) })
}

/// Expand elements into the list of bytes; `fill` is the count for `[c*]`.
/// Also returns the start index of each `[:upper:]`/`[:lower:]`.
fn expand(set: &[Elem], fill: usize) -> (Vec<u8>, Vec<(usize, Class)>) {
    let mut v = Vec::new();
    let mut classes = Vec::new();
    for e in set {
        match *e {
            Elem::Char(c) | Elem::Equiv(c) => v.push(c),
            Elem::Range(a, b) => v.extend(a..=b),
            Elem::Class(cl) => {
                if matches!(cl, Class::Upper | Class::Lower) {
                    classes.push((v.len(), cl));
                }
                v.extend((0..=255u8).filter(|&c| cl.has(c)));
            }
            Elem::Repeat(c, n) => v.extend(std::iter::repeat_n(c, n.unwrap_or(fill))),
        }
    }
    (v, classes)
}

fn complement(set: &[u8]) -> Vec<u8> {
    let mut in_set = [false; 256];
    for &c in set {
        in_set[c as usize] = true;
    }
    (0..=255u8).filter(|&c| !in_set[c as usize]).collect()
}

fn membership(set: &[u8]) -> [bool; 256] {
    let mut t = [false; 256];
    for &c in set {
        t[c as usize] = true;
    }
    t
}

struct Plan {
    map: Option<[u8; 256]>,
    delete: Option<[bool; 256]>,
    squeeze: Option<[bool; 256]>,
}

fn plan(
    s1: &[u8],
    s2: Option<&[u8]>,
    compl: bool,
    delete: bool,
    squeeze: bool,
    truncate: bool,
) -> Result<Plan, ibex::Exit> {
    let e1 = parse(s1)?;
    let e2 = match s2 {
        Some(s) => Some(parse(s)?),
        None => None,
    };
    if e1.iter().any(|e| matches!(e, Elem::Repeat(_, None))) {
        return Err(fail(&[
            b"the [c*] repeat construct may not appear in string1",
        ]));
    }
    let translating = e2.is_some() && !delete;
    let (mut set1, classes1) = expand(&e1, 0);
    if compl {
        set1 = complement(&set1);
    }
    let Some(e2) = e2 else {
        let t = membership(&set1);
        return Ok(if delete {
            Plan {
                map: None,
                delete: Some(t),
                squeeze: None,
            }
        } else {
            Plan {
                map: None,
                delete: None,
                squeeze: Some(t),
            }
        });
    };
    let fills = e2
        .iter()
        .filter(|e| matches!(e, Elem::Repeat(_, None)))
        .count();
    if fills > 1 {
        return Err(fail(&[
            b"only one [c*] repeat construct may appear in string2",
        ]));
    }
    if !translating {
        if fills > 0 {
            return Err(fail(&[
                b"the [c*] construct may appear in string2 only when translating",
            ]));
        }
        // -ds: delete SET1, squeeze SET2.
        let (set2, _) = expand(&e2, 0);
        return Ok(Plan {
            map: None,
            delete: Some(membership(&set1)),
            squeeze: Some(membership(&set2)),
        });
    }
    if e2.iter().any(|e| matches!(e, Elem::Equiv(_))) {
        return Err(fail(&[
            b"[=c=] expressions may not appear in string2 when translating",
        ]));
    }
    if e2
        .iter()
        .any(|e| matches!(e, Elem::Class(c) if !matches!(c, Class::Upper | Class::Lower)))
    {
        return Err(fail(&[
            b"when translating, the only character classes that may appear in\n\
              string2 are 'upper' and 'lower'",
        ]));
    }
    let (base2, _) = expand(&e2, 0);
    let fill = set1.len().saturating_sub(base2.len());
    let (mut set2, classes2) = expand(&e2, fill);
    if truncate {
        set1.truncate(set2.len());
    }
    if set1.len() > set2.len() {
        if set2.is_empty() {
            return Err(fail(&[
                b"when not truncating set1, string2 must be non-empty",
            ]));
        }
        if matches!(e2.last(), Some(Elem::Class(_))) {
            return Err(fail(&[
                b"when translating with string1 longer than string2,\n\
                  the latter string must not end with a character class",
            ]));
        }
    }
    for (pos, _) in &classes2 {
        let aligned = !compl && classes1.iter().any(|(p, _)| p == pos);
        if !aligned {
            return Err(fail(&[b"misaligned [:upper:] and/or [:lower:] construct"]));
        }
    }
    if let Some(&last) = set2.last() {
        set2.resize(set1.len().max(set2.len()), last);
    }
    let mut map = [0u8; 256];
    for (i, m) in map.iter_mut().enumerate() {
        *m = i as u8;
    }
    for (&a, &b) in set1.iter().zip(set2.iter()) {
        map[a as usize] = b;
    }
    Ok(Plan {
        map: Some(map),
        delete: None,
        squeeze: squeeze.then(|| membership(&set2)),
    })
}

pub fn main(argv: &[OsString]) -> Status {
    let (mut compl, mut delete, mut squeeze, mut truncate) = (false, false, false, false);
    let mut p = Parser::new(argv, &SPEC);
    while let Some((id, _)) = p.next()? {
        match char::from_u32(id).unwrap_or('\0') {
            'c' | 'C' => compl = true,
            'd' => delete = true,
            's' => squeeze = true,
            _ => truncate = true,
        }
    }
    let ops = p.operands();
    if ops.is_empty() {
        return Err(usage_error(&SPEC, &[b"missing operand"]));
    }
    // Two strings for translating or -ds, one for -d or -s alone.
    let min = if delete == squeeze { 2 } else { 1 };
    if ops.len() < min {
        let why: &[u8] = if delete && squeeze {
            b"Two strings must be given when both deleting and squeezing repeats."
        } else {
            b"Two strings must be given when translating."
        };
        return Err(usage_error(
            &SPEC,
            &[
                b"missing operand after ",
                &ibex::records::cquote(ops[ops.len() - 1].as_bytes()),
                b"\n",
                why,
            ],
        ));
    }
    let max = if delete && !squeeze { 1 } else { 2 };
    if ops.len() > max {
        let extra = ibex::records::cquote(ops[max].as_bytes());
        let mut m = b"extra operand ".to_vec();
        m.extend_from_slice(&extra);
        if max == 1 {
            m.extend_from_slice(
                b"\nOnly one string may be given when deleting without squeezing repeats.",
            );
        }
        return Err(usage_error(&SPEC, &[&m]));
    }
    let s2 = ops.get(1).map(|s| s.as_bytes());
    let plan = plan(ops[0].as_bytes(), s2, compl, delete, squeeze, truncate)?;
    run(&plan)
}

/// Apply the plan to standard input.
fn run(plan: &Plan) -> Status {
    let mut buf = vec![0u8; 128 * 1024];
    // The last byte written, for squeezing across reads (256 = none).
    let mut last: u16 = 256;
    let shift = plan.map.as_ref().and_then(range_shift);
    loop {
        let n = match sys::read(0, &mut buf) {
            Ok(0) => return Ok(0),
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => {
                ibex::msg!("read error: ", e);
                return Ok(1);
            }
        };
        let data = &mut buf[..n];
        let mut len = n;
        if let Some((lo, span, delta)) = shift {
            ibex::sys::shift_range(data, lo, span, delta);
        } else if let Some(map) = &plan.map {
            translate(data, map);
        }
        if let Some(del) = &plan.delete {
            len = remove(data, del);
        }
        if let Some(sq) = &plan.squeeze {
            len = squeeze(&mut data[..len], sq, &mut last);
        }
        if let Err(e) = sys::write_all(1, &data[..len]) {
            ibex::msg!("write error: ", e);
            return Ok(1);
        }
    }
}

/// A map that moves one range of bytes by a constant (`a-z A-Z`, or one
/// byte to another) as (first, length - 1, distance).
fn range_shift(map: &[u8; 256]) -> Option<(u8, u8, u8)> {
    let moved = |i: usize| map[i] != i as u8;
    let lo = (0..256).find(|&i| moved(i))?;
    let hi = (lo..256).rev().find(|&i| moved(i))?;
    let delta = map[lo].wrapping_sub(lo as u8);
    (lo..=hi)
        .all(|i| map[i].wrapping_sub(i as u8) == delta)
        .then_some((lo as u8, (hi - lo) as u8, delta))
}

fn translate(data: &mut [u8], map: &[u8; 256]) {
    // Unrolled by hand: the binary is built for size, which keeps the
    // compiler from unrolling this loop itself.
    let mut chunks = data.chunks_exact_mut(8);
    for c in &mut chunks {
        let w = [
            map[c[0] as usize],
            map[c[1] as usize],
            map[c[2] as usize],
            map[c[3] as usize],
            map[c[4] as usize],
            map[c[5] as usize],
            map[c[6] as usize],
            map[c[7] as usize],
        ];
        c.copy_from_slice(&w);
    }
    for b in chunks.into_remainder() {
        *b = map[*b as usize];
    }
}

/// Drop the bytes in `del`, compacting in place; returns the new length.
fn remove(data: &mut [u8], del: &[bool; 256]) -> usize {
    let mut j = 0;
    for i in 0..data.len() {
        let b = data[i];
        data[j] = b;
        j += usize::from(!del[b as usize]);
    }
    j
}

/// Squeeze runs of a byte in `sq` to one; `last` carries across calls.
fn squeeze(data: &mut [u8], sq: &[bool; 256], last: &mut u16) -> usize {
    let mut j = 0;
    let mut prev = *last;
    for i in 0..data.len() {
        let b = data[i];
        if sq[b as usize] && prev == u16::from(b) {
            continue;
        }
        data[j] = b;
        j += 1;
        prev = u16::from(b);
    }
    *last = prev;
    j
}
