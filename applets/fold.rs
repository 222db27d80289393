//! fold: wrap input lines to a width. Columns as GNU counts them: a tab
//! goes to the next multiple of 8, backspace steps back, carriage return
//! goes to column 0, a UTF-8 character takes one (`-b` counts bytes instead); `-s` breaks after the
//! last blank that fits; `-w N` or `-N` sets the width (default 80).

use ibex::Status;
use ibex::args::{Parser, Spec, flag, value};
use std::ffi::OsString;
use std::os::unix::ffi::OsStrExt;

const LONGS: &[ibex::args::Long] = &[
    flag("bytes", 'b' as u32),
    flag("spaces", 's' as u32),
    value("width", 'w' as u32),
];

const SPEC: Spec = Spec::new(
    "bsw:",
    LONGS,
    ibex::usage!(
        fold,
        "fold [-bs] [-w WIDTH] [FILE]...\n\n\
         Wrap input lines in each FILE, writing to standard output\n\n\
         \t-b\tCount bytes rather than columns (--bytes)\n\
         \t-s\tBreak at spaces (--spaces)\n\
         \t-w N\tUse N columns instead of 80 (--width)"
    ),
)
.digits('w' as u32);

struct Fold {
    width: usize,
    bytes: bool,
    spaces: bool,
}

impl Fold {
    fn advance(&self, col: usize, c: u8) -> usize {
        if self.bytes {
            return col + 1;
        }
        match c {
            b'\t' => col + 8 - col % 8,
            8 => col.saturating_sub(1),
            b'\r' => 0,
            // A UTF-8 continuation byte takes no column of its own (and a
            // character is never split).
            _ if c & 0xc0 == 0x80 => col,
            _ => col + 1,
        }
    }

    /// Fold one line (without its newline) into `out`.
    fn line(&self, line: &[u8], out: &mut Vec<u8>) {
        let (mut s, mut i, mut col) = (0, 0, 0);
        let mut blank: Option<usize> = None;
        while i < line.len() {
            let c = line[i];
            let next = self.advance(col, c);
            if next > self.width && i > s {
                if let Some(b) = blank.take() {
                    out.extend_from_slice(&line[s..=b]);
                    out.push(b'\n');
                    s = b + 1;
                    col = line[s..i].iter().fold(0, |col, &c| self.advance(col, c));
                } else {
                    out.extend_from_slice(&line[s..i]);
                    out.push(b'\n');
                    s = i;
                    col = 0;
                }
                continue;
            }
            col = next;
            if self.spaces && (c == b' ' || c == b'\t') {
                blank = Some(i);
            }
            i += 1;
        }
        out.extend_from_slice(&line[s..]);
    }
}

pub fn main(argv: &[OsString]) -> Status {
    let mut fold = Fold {
        width: 80,
        bytes: false,
        spaces: false,
    };
    let mut p = Parser::new(argv, &SPEC);
    while let Some((id, v)) = p.next()? {
        match char::from_u32(id).unwrap_or('\0') {
            'b' => fold.bytes = true,
            's' => fold.spaces = true,
            _ => {
                let v = v.unwrap_or_default().as_bytes();
                let q = ibex::copy::quote(v);
                fold.width = match ibex::num::parse_u64(ibex::num::trim_start(v)) {
                    Ok(0) => {
                        ibex::msg!(
                            "invalid number of columns: ",
                            q,
                            ": Numerical result out of range"
                        );
                        return Err(ibex::Exit(1));
                    }
                    Ok(n) if n <= (usize::MAX / 2) as u64 => n as usize,
                    Ok(_) | Err(ibex::num::NumError::Range) => {
                        ibex::msg!(
                            "invalid number of columns: ",
                            q,
                            ": Value too large for defined data type"
                        );
                        return Err(ibex::Exit(1));
                    }
                    Err(_) => {
                        ibex::msg!("invalid number of columns: ", q);
                        return Err(ibex::Exit(1));
                    }
                }
            }
        }
    }
    let files = p.operands();
    ibex::records::map_lines(&files, |line, acc| {
        fold.line(line, acc);
        true
    })
}
