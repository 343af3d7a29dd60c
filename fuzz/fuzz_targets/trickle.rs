//! A reader that hands out its input a few bytes at a time (1 to 7, cycling), shared by the
//! targets that check a reader gives the same result whatever the read sizes.

use std::io::Read;

/// The input, a few bytes per `read`.
pub struct Trickle<'a> {
    /// What is left to hand out.
    pub data: &'a [u8],
    /// The size of the last read (the next is one more, wrapping after 7).
    pub step: usize,
}

impl Read for Trickle<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        self.step = self.step % 7 + 1;
        let n = self.step.min(buf.len()).min(self.data.len());
        buf[..n].copy_from_slice(&self.data[..n]);
        self.data = &self.data[n..];
        Ok(n)
    }
}
