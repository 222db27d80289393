//! rtnetlink: building requests, reading replies and walking attributes.
//! The socket calls are in `sys::net`; everything here is safe byte work.

use crate::sys;
use std::io;
use std::os::fd::{AsRawFd, OwnedFd};

pub const NLMSG_ERROR: u16 = 2;
pub const NLMSG_DONE: u16 = 3;

pub const RTM_NEWLINK: u16 = 16;
pub const RTM_DELLINK: u16 = 17;
pub const RTM_GETLINK: u16 = 18;
pub const RTM_SETLINK: u16 = 19;
pub const RTM_NEWADDR: u16 = 20;
pub const RTM_DELADDR: u16 = 21;
pub const RTM_GETADDR: u16 = 22;
pub const RTM_NEWROUTE: u16 = 24;
pub const RTM_DELROUTE: u16 = 25;
pub const RTM_GETROUTE: u16 = 26;
pub const RTM_NEWNEIGH: u16 = 28;
pub const RTM_GETNEIGH: u16 = 30;

pub const F_REQUEST: u16 = 1;
pub const F_ACK: u16 = 4;
pub const F_DUMP: u16 = 0x300;
pub const F_REPLACE: u16 = 0x100;
pub const F_EXCL: u16 = 0x200;
pub const F_CREATE: u16 = 0x400;

fn align(n: usize) -> usize {
    (n + 3) & !3
}

/// A request being built: header, fixed part, attributes.
pub struct Msg {
    buf: Vec<u8>,
}

impl Msg {
    pub fn new(ty: u16, flags: u16) -> Msg {
        let mut buf = vec![0u8; 16];
        buf[4..6].copy_from_slice(&ty.to_ne_bytes());
        buf[6..8].copy_from_slice(&(flags | F_REQUEST).to_ne_bytes());
        Msg { buf }
    }

    /// Append the fixed part (ifinfomsg, ifaddrmsg, rtmsg, …), padded.
    pub fn fixed(&mut self, data: &[u8]) -> &mut Msg {
        self.buf.extend_from_slice(data);
        self.buf.resize(align(self.buf.len()), 0);
        self
    }

    pub fn attr(&mut self, ty: u16, data: &[u8]) -> &mut Msg {
        let len = 4 + data.len();
        self.buf.extend_from_slice(&(len as u16).to_ne_bytes());
        self.buf.extend_from_slice(&ty.to_ne_bytes());
        self.buf.extend_from_slice(data);
        self.buf.resize(align(self.buf.len()), 0);
        self
    }

    /// A message body with no header, to collect attributes for `append`.
    pub fn empty() -> Msg {
        Msg { buf: Vec::new() }
    }

    /// Append the attributes collected in `other` (from `Msg::empty`).
    pub fn append(&mut self, other: &Msg) -> &mut Msg {
        self.buf.extend_from_slice(&other.buf);
        self
    }

    /// A NUL-terminated string attribute.
    pub fn attr_str(&mut self, ty: u16, s: &[u8]) -> &mut Msg {
        self.attr(ty, s);
        // attr padded the payload to 4 bytes: make room for the NUL when
        // the string filled it exactly, then fix the length.
        let pos = self.buf.len() - align(s.len()) - 4;
        if s.len().is_multiple_of(4) {
            self.buf.extend_from_slice(&[0; 4]);
        }
        let len = (4 + s.len() + 1) as u16;
        self.buf[pos..pos + 2].copy_from_slice(&len.to_ne_bytes());
        self
    }

    pub fn attr_u32(&mut self, ty: u16, v: u32) -> &mut Msg {
        self.attr(ty, &v.to_ne_bytes())
    }

    /// Start a nested attribute; returns its position for `end_nest`.
    pub fn begin_nest(&mut self, ty: u16) -> usize {
        let pos = self.buf.len();
        self.attr(ty, &[]);
        pos
    }

    pub fn end_nest(&mut self, pos: usize) {
        let len = (self.buf.len() - pos) as u16;
        if let Some(s) = self.buf.get_mut(pos..pos + 2) {
            s.copy_from_slice(&len.to_ne_bytes());
        }
    }

    fn finish(&mut self, seq: u32) -> &[u8] {
        let len = self.buf.len() as u32;
        self.buf[0..4].copy_from_slice(&len.to_ne_bytes());
        self.buf[8..12].copy_from_slice(&seq.to_ne_bytes());
        &self.buf
    }
}

/// Iterate over the attributes in `data`: (type without flags, payload).
pub fn attrs(mut data: &[u8]) -> impl Iterator<Item = (u16, &[u8])> {
    std::iter::from_fn(move || {
        if data.len() < 4 {
            return None;
        }
        let len = usize::from(u16::from_ne_bytes([data[0], data[1]]));
        let ty = u16::from_ne_bytes([data[2], data[3]]) & 0x3fff;
        if len < 4 || len > data.len() {
            return None;
        }
        let payload = &data[4..len];
        data = data.get(align(len)..).unwrap_or(&[]);
        Some((ty, payload))
    })
}

/// Look up one attribute.
pub fn find(data: &[u8], ty: u16) -> Option<&[u8]> {
    attrs(data).find(|&(t, _)| t == ty).map(|(_, p)| p)
}

pub fn u32_of(p: &[u8]) -> Option<u32> {
    Some(u32::from_ne_bytes(p.get(..4)?.try_into().ok()?))
}

/// A failed request: the errno and the kernel's extended message, if any.
#[derive(Debug)]
pub struct NlError {
    pub errno: i32,
    /// The kernel's extended-ack message (`ipv4: Address already assigned`).
    pub msg: Option<Vec<u8>>,
}

impl NlError {
    pub fn io(&self) -> io::Error {
        io::Error::from_raw_os_error(self.errno)
    }
}

impl From<io::Error> for NlError {
    fn from(e: io::Error) -> NlError {
        NlError {
            errno: e.raw_os_error().unwrap_or(libc::EIO),
            msg: None,
        }
    }
}

/// The NLMSGERR_ATTR_MSG text of an error message's TLVs, if any.
fn ext_ack_msg(body: &[u8], flags: u16) -> Option<Vec<u8>> {
    const ACK_TLVS: u16 = 0x200;
    const CAPPED: u16 = 0x100;
    if flags & ACK_TLVS == 0 {
        return None;
    }
    let orig = body.get(4..8)?;
    let orig_len = u32::from_ne_bytes([orig[0], orig[1], orig[2], orig[3]]) as usize;
    let skip = if flags & CAPPED != 0 {
        4 + 16
    } else {
        4 + align(orig_len.max(16))
    };
    let m = find(body.get(skip..)?, 1)?;
    Some(m.split(|&b| b == 0).next().unwrap_or(m).to_vec())
}

pub struct Socket {
    fd: OwnedFd,
    seq: u32,
    buf: Vec<u8>,
}

impl Socket {
    pub fn open() -> io::Result<Socket> {
        Ok(Socket {
            fd: sys::netlink_route()?,
            seq: 1,
            buf: vec![0u8; 64 * 1024],
        })
    }

    /// Send a request and call `f(type, body)` for each reply message until
    /// the ack (or end of dump). Returns the first error reported.
    pub fn talk(&mut self, msg: &mut Msg, mut f: impl FnMut(u16, &[u8])) -> Result<(), NlError> {
        self.talk_dyn(msg, &mut f)
    }

    /// `talk` without a copy per closure type.
    #[inline(never)]
    fn talk_dyn(&mut self, msg: &mut Msg, f: &mut dyn FnMut(u16, &[u8])) -> Result<(), NlError> {
        self.seq = self.seq.wrapping_add(1);
        let seq = self.seq;
        sys::netlink_send(self.fd.as_raw_fd(), msg.finish(seq))?;
        loop {
            let n = sys::netlink_recv(self.fd.as_raw_fd(), &mut self.buf)?;
            let mut data = self.buf.get(..n).unwrap_or(&[]);
            if n == 0 {
                return Ok(());
            }
            while data.len() >= 16 {
                let len = u32::from_ne_bytes([data[0], data[1], data[2], data[3]]) as usize;
                if len < 16 || len > data.len() {
                    break;
                }
                let ty = u16::from_ne_bytes([data[4], data[5]]);
                let mflags = u16::from_ne_bytes([data[6], data[7]]);
                let mseq = u32::from_ne_bytes([data[8], data[9], data[10], data[11]]);
                let body = &data[16..len];
                data = data.get(align(len)..).unwrap_or(&[]);
                if mseq != seq {
                    continue;
                }
                match ty {
                    NLMSG_DONE => return Ok(()),
                    NLMSG_ERROR => {
                        let code = body
                            .get(..4)
                            .map(|b| i32::from_ne_bytes([b[0], b[1], b[2], b[3]]))
                            .unwrap_or(-libc::EIO);
                        return if code == 0 {
                            Ok(())
                        } else {
                            Err(NlError {
                                errno: -code,
                                msg: ext_ack_msg(body, mflags),
                            })
                        };
                    }
                    _ => f(ty, body),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn string_attributes_are_nul_terminated_and_padded() {
        for name in [&b"abc"[..], b"abcd", b"a", b"abcdefgh"] {
            let mut m = Msg::empty();
            m.attr_str(3, name).attr_u32(4, 7);
            let mut z = name.to_vec();
            z.push(0);
            let mut want = Msg::empty();
            want.attr(3, &z).attr_u32(4, 7);
            assert_eq!(m.buf, want.buf);
        }
    }
}
