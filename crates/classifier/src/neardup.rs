//! The index of known spam fingerprints, for "this is a light edit of a
//! message an admin already marked as spam".
//!
//! Two fingerprints within [`MAX_DISTANCE`] = 3 bits of each other agree
//! exactly on at least one of their four 16-bit quarters (pigeonhole: three
//! differing bits touch at most three quarters). So every fingerprint is
//! filed under each of its four quarters, and a lookup only compares against
//! the few fingerprints filed under its own four quarter values: O(1) work
//! for any index size up to millions.
//!
//! The index is bounded: at capacity, the oldest fingerprint makes room.
//! Each quarter table is an array of 65,536 list heads with the lists
//! threaded through the entries, so there is no per-key allocation and a
//! lookup touches four heads and a handful of entries.

use serde::Serialize;

use crate::simhash::distance;

/// Largest Hamming distance that counts as a near duplicate.
pub const MAX_DISTANCE: u32 = 3;

/// Default number of fingerprints kept.
pub const DEFAULT_CAPACITY: usize = 100_000;

const BANDS: usize = 4;
const BAND_SIZE: usize = 1 << 16;
const NIL: u32 = u32::MAX;

/// A known spam fingerprint close to the one looked up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct NearMatch {
    /// The id the fingerprint was stored with.
    pub id: u64,
    /// The stored fingerprint.
    pub fingerprint: u64,
    /// Differing bits, 0 to [`MAX_DISTANCE`].
    pub distance: u32,
}

#[derive(Debug, Clone, Copy)]
struct Entry {
    fingerprint: u64,
    id: u64,
    live: bool,
    /// Next entry in each band's list.
    next: [u32; BANDS],
}

/// Bounded index of known spam fingerprints with lookup by Hamming distance.
#[derive(Clone)]
pub struct NearDup {
    capacity: usize,
    entries: Vec<Entry>,
    /// `BANDS * BAND_SIZE` list heads; empty until the first insert so an
    /// unused index costs nothing.
    heads: Vec<u32>,
    /// The slot the next insert overwrites once the index is full.
    cursor: usize,
    live: usize,
    next_id: u64,
}

impl std::fmt::Debug for NearDup {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NearDup")
            .field("len", &self.live)
            .field("capacity", &self.capacity)
            .field("next_id", &self.next_id)
            .finish_non_exhaustive()
    }
}

impl Default for NearDup {
    fn default() -> Self {
        Self::new(DEFAULT_CAPACITY)
    }
}

#[inline]
fn band(fingerprint: u64, b: usize) -> usize {
    b * BAND_SIZE + ((fingerprint >> (16 * b)) & 0xFFFF) as usize
}

impl NearDup {
    /// An empty index keeping at most `capacity` fingerprints (at least 1,
    /// at most `u32::MAX - 1`).
    pub fn new(capacity: usize) -> Self {
        NearDup {
            capacity: capacity.clamp(1, NIL as usize - 1),
            entries: Vec::new(),
            heads: Vec::new(),
            cursor: 0,
            live: 0,
            next_id: 1,
        }
    }

    /// How many fingerprints it keeps at most.
    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// How many fingerprints it holds.
    pub fn len(&self) -> usize {
        self.live
    }

    /// True when it holds none.
    pub fn is_empty(&self) -> bool {
        self.live == 0
    }

    /// The id the next [`NearDup::insert`] hands out.
    pub fn next_id(&self) -> u64 {
        self.next_id
    }

    /// Makes ids handed out by [`NearDup::insert`] start at `next_id` (or
    /// after the largest stored id, whichever is larger).
    pub fn set_next_id(&mut self, next_id: u64) {
        self.next_id = self.next_id.max(next_id);
    }

    /// Drops every fingerprint (the capacity stays).
    pub fn clear(&mut self) {
        *self = NearDup::new(self.capacity);
    }

    /// Stores a fingerprint under a fresh id (ids count up from 1) and
    /// returns the id. An identical fingerprint already stored is not
    /// stored twice: its id is returned.
    pub fn insert(&mut self, fingerprint: u64) -> u64 {
        if let Some(existing) = self.find_exact(fingerprint) {
            return existing;
        }
        let id = self.next_id;
        self.insert_with_id(fingerprint, id);
        id
    }

    /// Stores a fingerprint under the caller's id (for example the id of
    /// the message an admin marked). Ids need not be unique. Evicts the
    /// oldest fingerprint when full.
    pub fn insert_with_id(&mut self, fingerprint: u64, id: u64) {
        if self.heads.is_empty() {
            self.heads = vec![NIL; BANDS * BAND_SIZE];
        }
        let slot = if self.entries.len() < self.capacity {
            self.entries.push(Entry {
                fingerprint,
                id,
                live: false,
                next: [NIL; BANDS],
            });
            self.entries.len() - 1
        } else {
            let slot = self.cursor;
            self.cursor = (self.cursor + 1) % self.capacity;
            if self.entries[slot].live {
                self.unlink(slot);
            }
            slot
        };
        for b in 0..BANDS {
            let head = band(fingerprint, b);
            self.entries[slot].next[b] = self.heads[head];
            self.heads[head] = slot as u32;
        }
        let entry = &mut self.entries[slot];
        entry.fingerprint = fingerprint;
        entry.id = id;
        entry.live = true;
        self.live += 1;
        self.next_id = self.next_id.max(id.saturating_add(1));
    }

    /// The closest stored fingerprint within [`MAX_DISTANCE`], the newest
    /// one on a tie.
    #[inline]
    pub fn find(&self, fingerprint: u64) -> Option<NearMatch> {
        if self.live == 0 {
            return None;
        }
        let mut best: Option<(u32, usize)> = None;
        for b in 0..BANDS {
            let mut slot = self.heads[band(fingerprint, b)];
            while slot != NIL {
                let s = slot as usize;
                let entry = &self.entries[s];
                let d = distance(entry.fingerprint, fingerprint);
                if d <= MAX_DISTANCE
                    && best.is_none_or(|(bd, bs)| (d, self.age(s)) < (bd, self.age(bs)))
                {
                    best = Some((d, s));
                }
                slot = entry.next[b];
            }
        }
        best.map(|(distance, s)| NearMatch {
            id: self.entries[s].id,
            fingerprint: self.entries[s].fingerprint,
            distance,
        })
    }

    /// Removes every stored fingerprint within [`MAX_DISTANCE`] of this one
    /// (an admin said a text like this is not spam); returns how many.
    pub fn remove_near(&mut self, fingerprint: u64) -> usize {
        let mut removed = 0;
        while let Some(found) = self.find(fingerprint) {
            let Some(slot) = self.slot_of(found.fingerprint, found.id) else {
                break;
            };
            self.unlink(slot);
            self.entries[slot].live = false;
            removed += 1;
        }
        removed
    }

    /// Stored fingerprints with their ids, oldest first.
    pub fn iter(&self) -> impl Iterator<Item = (u64, u64)> + '_ {
        let full = self.entries.len() == self.capacity;
        let start = if full { self.cursor } else { 0 };
        let n = self.entries.len();
        (0..n)
            .map(move |i| &self.entries[(start + i) % n.max(1)])
            .filter(|e| e.live)
            .map(|e| (e.fingerprint, e.id))
    }

    /// How many inserts ago a slot was written (0 = newest); only used to
    /// order ties.
    fn age(&self, slot: usize) -> usize {
        let n = self.entries.len();
        let newest = if n == self.capacity {
            (self.cursor + n - 1) % n
        } else {
            n - 1
        };
        (newest + n - slot) % n
    }

    fn find_exact(&self, fingerprint: u64) -> Option<u64> {
        if self.live == 0 {
            return None;
        }
        let mut slot = self.heads[band(fingerprint, 0)];
        while slot != NIL {
            let entry = &self.entries[slot as usize];
            if entry.fingerprint == fingerprint {
                return Some(entry.id);
            }
            slot = entry.next[0];
        }
        None
    }

    fn slot_of(&self, fingerprint: u64, id: u64) -> Option<usize> {
        let mut slot = self.heads[band(fingerprint, 0)];
        while slot != NIL {
            let entry = &self.entries[slot as usize];
            if entry.fingerprint == fingerprint && entry.id == id {
                return Some(slot as usize);
            }
            slot = entry.next[0];
        }
        None
    }

    /// Takes a live slot out of its four lists.
    fn unlink(&mut self, slot: usize) {
        let fingerprint = self.entries[slot].fingerprint;
        for b in 0..BANDS {
            let head = band(fingerprint, b);
            let after = self.entries[slot].next[b];
            if self.heads[head] == slot as u32 {
                self.heads[head] = after;
            } else {
                let mut cur = self.heads[head];
                while cur != NIL {
                    let next = self.entries[cur as usize].next[b];
                    if next == slot as u32 {
                        self.entries[cur as usize].next[b] = after;
                        break;
                    }
                    cur = next;
                }
            }
            self.entries[slot].next[b] = NIL;
        }
        self.live -= 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_within_three_bits_and_not_four() {
        let mut index = NearDup::new(10);
        let fp = 0x0123_4567_89ab_cdef;
        let id = index.insert(fp);
        // Three bits in three different quarters, and three in one quarter.
        let three_spread = fp ^ (1 | 1 << 20 | 1 << 40);
        let three_packed = fp ^ 0b111;
        let four = fp ^ (1 | 1 << 20 | 1 << 40 | 1 << 60);
        assert_eq!(
            index.find(three_spread),
            Some(NearMatch {
                id,
                fingerprint: fp,
                distance: 3
            })
        );
        assert_eq!(index.find(three_packed).map(|m| m.distance), Some(3));
        assert_eq!(index.find(fp).map(|m| m.distance), Some(0));
        assert_eq!(index.find(four), None);
        assert_eq!(index.find(!fp), None);
    }

    #[test]
    fn prefers_the_closest() {
        let mut index = NearDup::new(10);
        let fp = 0xdead_beef_0000_ffff;
        index.insert(fp ^ 0b11);
        let close = index.insert(fp ^ 0b1);
        index.insert(fp ^ 0b111);
        assert_eq!(index.find(fp).map(|m| m.id), Some(close));
    }

    #[test]
    fn evicts_the_oldest_when_full() {
        let mut index = NearDup::new(3);
        let fps: Vec<u64> = (0..5u64)
            .map(|i| i.wrapping_mul(0x9e37_79b9_7f4a_7c15))
            .collect();
        let ids: Vec<u64> = fps.iter().map(|&f| index.insert(f)).collect();
        assert_eq!(index.len(), 3);
        assert_eq!(index.find(fps[0]), None);
        assert_eq!(index.find(fps[1]), None);
        for i in 2..5 {
            assert_eq!(index.find(fps[i]).map(|m| m.id), Some(ids[i]));
        }
        let kept: Vec<u64> = index.iter().map(|(_, id)| id).collect();
        assert_eq!(kept, &ids[2..]);
    }

    #[test]
    fn identical_fingerprints_are_stored_once_and_can_be_removed() {
        let mut index = NearDup::new(10);
        let a = index.insert(42);
        assert_eq!(index.insert(42), a);
        index.insert(42 ^ 1 << 63);
        assert_eq!(index.len(), 2);
        assert_eq!(index.remove_near(42), 2);
        assert!(index.is_empty());
        assert_eq!(index.find(42), None);
        // Removed slots are reused in ring order; the index keeps working.
        for i in 0..25u64 {
            index.insert(i << 20);
        }
        assert_eq!(index.len(), 10);
        assert_eq!(index.find(24 << 20).map(|m| m.distance), Some(0));
    }
}
