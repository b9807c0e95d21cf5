//! The byte format of a stored model, and its errors.
//!
//! ```text
//! offset  size  field
//!      0     8  magic "STWDSPAM"
//!      8     2  format version (u16 LE), currently 1
//!     10     2  feature scheme (u16 LE), see tokenize::FEATURE_SCHEME
//!     12     8  body length in bytes (u64 LE)
//!     20     8  FNV-1a 64 checksum of the body (u64 LE)
//!     28     …  body
//! ```
//!
//! The body (`var` is an unsigned LEB128 varint):
//!
//! ```text
//! u8   bucket bits          f32  alpha            f32  min_evidence
//! f32  calibration scale    f32  calibration offset
//! f32  threshold
//! var  used buckets, then per bucket in order:
//!        var index (the first absolute, then the gap from the previous)
//!        var spam count     var ham count
//! var  near-duplicate capacity    var next id    var fingerprints, then
//!        per fingerprint, oldest first: u64 fingerprint, var id
//! ```
//!
//! Most counts are small, so a bucket costs three or four bytes. The
//! weights are not stored; they are recomputed from the counts on load.
//! Everything is little-endian and independent of the platform.

use thiserror::Error;

pub(crate) const MAGIC: &[u8; 8] = b"STWDSPAM";
pub(crate) const FORMAT_VERSION: u16 = 1;
pub(crate) const HEADER_LEN: usize = 28;

/// Why bytes could not be read as a model.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ModelError {
    /// The bytes do not start with the model's magic.
    #[error("not a Steward spam model: the data does not start with \"STWDSPAM\"")]
    BadMagic,
    /// Written by a newer (or unknown) version of the format.
    #[error(
        "spam model format version {found} is not supported; this build reads version {supported}"
    )]
    UnsupportedVersion {
        /// The version in the data.
        found: u16,
        /// The version this build reads.
        supported: u16,
    },
    /// Trained with other features than this build computes.
    #[error(
        "spam model was trained with feature scheme {found}, this build computes scheme {supported}; retrain the model"
    )]
    FeatureScheme {
        /// The scheme in the data.
        found: u16,
        /// The scheme of this build.
        supported: u16,
    },
    /// The data ends early.
    #[error("spam model is truncated: {what} needs {needed} bytes, {available} left")]
    Truncated {
        /// The part being read.
        what: &'static str,
        /// Bytes it needs.
        needed: u64,
        /// Bytes there were.
        available: u64,
    },
    /// The body does not match its checksum.
    #[error(
        "spam model is corrupt: checksum mismatch (stored {stored:016x}, computed {computed:016x})"
    )]
    Checksum {
        /// The checksum in the header.
        stored: u64,
        /// The checksum of the body as read.
        computed: u64,
    },
    /// The body decodes to something impossible.
    #[error("spam model is corrupt: {0}")]
    Corrupt(&'static str),
}

/// FNV-1a, 64 bits: simple, stable, and enough to catch corruption.
pub(crate) fn checksum(bytes: &[u8]) -> u64 {
    let mut h = 0xcbf2_9ce4_8422_2325u64;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// Appends values to a byte buffer.
#[derive(Default)]
pub(crate) struct Writer {
    pub(crate) bytes: Vec<u8>,
}

impl Writer {
    pub(crate) fn u8(&mut self, v: u8) {
        self.bytes.push(v);
    }

    pub(crate) fn u64(&mut self, v: u64) {
        self.bytes.extend_from_slice(&v.to_le_bytes());
    }

    pub(crate) fn f32(&mut self, v: f32) {
        self.bytes.extend_from_slice(&v.to_le_bytes());
    }

    pub(crate) fn varint(&mut self, mut v: u64) {
        while v >= 0x80 {
            self.bytes.push((v as u8) | 0x80);
            v >>= 7;
        }
        self.bytes.push(v as u8);
    }
}

/// Reads values from a byte slice, failing cleanly at its end.
pub(crate) struct Reader<'a> {
    bytes: &'a [u8],
    what: &'static str,
}

impl<'a> Reader<'a> {
    pub(crate) fn new(bytes: &'a [u8]) -> Self {
        Reader {
            bytes,
            what: "the model",
        }
    }

    /// Names the part being read, for truncation errors.
    pub(crate) fn part(&mut self, what: &'static str) {
        self.what = what;
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    pub(crate) fn take(&mut self, n: usize) -> Result<&'a [u8], ModelError> {
        if self.bytes.len() < n {
            return Err(ModelError::Truncated {
                what: self.what,
                needed: n as u64,
                available: self.bytes.len() as u64,
            });
        }
        let (head, rest) = self.bytes.split_at(n);
        self.bytes = rest;
        Ok(head)
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], ModelError> {
        let mut out = [0; N];
        out.copy_from_slice(self.take(N)?);
        Ok(out)
    }

    pub(crate) fn u8(&mut self) -> Result<u8, ModelError> {
        Ok(self.array::<1>()?[0])
    }

    pub(crate) fn u16(&mut self) -> Result<u16, ModelError> {
        Ok(u16::from_le_bytes(self.array()?))
    }

    pub(crate) fn u64(&mut self) -> Result<u64, ModelError> {
        Ok(u64::from_le_bytes(self.array()?))
    }

    pub(crate) fn f32(&mut self) -> Result<f32, ModelError> {
        Ok(f32::from_le_bytes(self.array()?))
    }

    pub(crate) fn varint(&mut self) -> Result<u64, ModelError> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.u8()?;
            v |= u64::from(b & 0x7F) << shift;
            if b & 0x80 == 0 {
                return Ok(v);
            }
        }
        Err(ModelError::Corrupt("a number is longer than 64 bits"))
    }

    pub(crate) fn varint_u32(&mut self) -> Result<u32, ModelError> {
        u32::try_from(self.varint()?).map_err(|_| ModelError::Corrupt("a count exceeds 32 bits"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints_round_trip() {
        let values = [0, 1, 127, 128, 300, u64::from(u32::MAX), u64::MAX];
        let mut w = Writer::default();
        values.iter().for_each(|&v| w.varint(v));
        let mut r = Reader::new(&w.bytes);
        for &v in &values {
            assert_eq!(r.varint(), Ok(v));
        }
        assert!(r.is_empty());
        assert!(matches!(r.varint(), Err(ModelError::Truncated { .. })));
    }

    #[test]
    fn overlong_varint_is_corrupt() {
        let mut r = Reader::new(&[0xFF; 11]);
        assert_eq!(
            r.varint(),
            Err(ModelError::Corrupt("a number is longer than 64 bits"))
        );
    }
}
