//! The set of Claude Code entries seen so far, kept small enough for logs of tens of millions
//! of lines.
//!
//! Each entry is a 64-bit hash of its `message.id` and `requestId`, of which the set keeps 60
//! bits: the top 8 pick one of 256 segments, the next 12 a bucket inside it (a start offset in
//! the segment's directory), and the next 40 are stored in 5 bytes, sorted within each bucket.
//! New hashes wait in a small hash set and are merged into the segments in batches, in place
//! from the back. A segment's entries live in equal blocks rather than one growing buffer, so
//! the allocator reuses freed memory exactly instead of leaving holes. Ten million entries
//! take about 53 MiB (a plain `HashSet<u64>` peaked at 219 MiB while growing).
//!
//! Two different entries are taken for one when their hashes agree on the 60 kept bits: odds
//! of about 1 in 23,000 that it happens at all over ten million entries, 1 in 2.3 million over
//! one million. Such an entry is counted as a duplicate in the report's tally, not dropped
//! unseen.

use std::cmp::Ordering;
use std::collections::HashSet;
use std::hash::BuildHasherDefault;

use super::Prehashed;

/// Bits of the hash that choose a segment.
const SEGMENT_BITS: u32 = 8;
/// Bits that choose a bucket within a segment.
const BUCKET_BITS: u32 = 12;
/// Bits stored per entry.
const STORED_BITS: u32 = 40;
/// Low bits of the hash the set does not keep.
const DROPPED_BITS: u32 = 64 - SEGMENT_BITS - BUCKET_BITS - STORED_BITS;
const BUCKETS: usize = 1 << BUCKET_BITS;
/// Entries per block of a segment (5 KiB).
const BLOCK: usize = 1024;
/// Hashes that wait in the pending set before a merge: enough that merges stay rare, few
/// enough (about 1 MiB) not to matter.
const PENDING_CAPACITY: usize = 1 << 16;

/// The stored bits of one entry, big-endian, so byte order is numeric order.
type Stored = [u8; 5];

/// A set of 64-bit hashes that keeps 60 bits of each in a little over 5 bytes.
#[derive(Default)]
pub(super) struct Seen {
    segments: Vec<Segment>,
    pending: HashSet<u64, BuildHasherDefault<Prehashed>>,
}

/// The stored parts of the hashes whose top bits name this segment, sorted by bucket and then
/// by value.
#[derive(Default, Clone)]
struct Segment {
    /// `starts[b]..starts[b + 1]` are the entries of bucket `b`.
    starts: Vec<u32>,
    blocks: Vec<Box<[Stored]>>,
    len: usize,
}

/// The parts of a hash the set uses.
#[derive(Clone, Copy)]
struct Parts {
    segment: usize,
    bucket: usize,
    stored: Stored,
}

impl Parts {
    fn of(hash: u64) -> Self {
        let segment = hash >> (64 - SEGMENT_BITS);
        let bucket = (hash >> (STORED_BITS + DROPPED_BITS)) & ((1 << BUCKET_BITS) - 1);
        let bytes = (hash >> DROPPED_BITS).to_be_bytes();
        let mut stored = Stored::default();
        stored.copy_from_slice(&bytes[bytes.len() - size_of::<Stored>()..]);
        Self {
            segment: usize::try_from(segment).unwrap_or(0),
            bucket: usize::try_from(bucket).unwrap_or(0),
            stored,
        }
    }
}

/// The hash with the bits the set does not keep cleared: two hashes are one entry when these
/// agree. Its numeric order is the order of (segment, bucket, stored).
fn key(hash: u64) -> u64 {
    hash & !((1 << DROPPED_BITS) - 1)
}

impl Seen {
    /// Adds a hash; false when an entry with the same kept bits was already there.
    pub(super) fn insert(&mut self, hash: u64) -> bool {
        let key = key(hash);
        if self.pending.contains(&key) || self.stored_contains(Parts::of(key)) {
            return false;
        }
        self.pending.insert(key);
        if self.pending.len() >= PENDING_CAPACITY {
            self.merge();
        }
        true
    }

    /// The number of entries held.
    #[cfg(test)]
    pub(super) fn len(&self) -> usize {
        self.pending.len() + self.segments.iter().map(|s| s.len).sum::<usize>()
    }

    fn stored_contains(&self, parts: Parts) -> bool {
        let Some(segment) = self.segments.get(parts.segment) else {
            return false;
        };
        let (mut low, mut high) = segment.bucket_range(parts.bucket);
        while low < high {
            let middle = low + (high - low) / 2;
            match segment.entry(middle).cmp(&parts.stored) {
                Ordering::Less => low = middle + 1,
                Ordering::Greater => high = middle,
                Ordering::Equal => return true,
            }
        }
        false
    }

    /// Moves the pending hashes into their segments.
    fn merge(&mut self) {
        if self.segments.is_empty() {
            self.segments = vec![Segment::default(); 1 << SEGMENT_BITS];
        }
        let mut pending: Vec<u64> = self.pending.drain().collect();
        pending.sort_unstable();
        for batch in pending.chunk_by(|a, b| a >> (64 - SEGMENT_BITS) == b >> (64 - SEGMENT_BITS)) {
            let parts: Vec<Parts> = batch.iter().map(|&key| Parts::of(key)).collect();
            self.segments[parts[0].segment].merge(&parts);
        }
    }
}

impl Segment {
    fn entry(&self, index: usize) -> &Stored {
        &self.blocks[index / BLOCK][index % BLOCK]
    }

    fn entry_mut(&mut self, index: usize) -> &mut Stored {
        &mut self.blocks[index / BLOCK][index % BLOCK]
    }

    fn bucket_range(&self, bucket: usize) -> (usize, usize) {
        if self.starts.is_empty() {
            return (0, 0);
        }
        let start = |b: usize| usize::try_from(self.starts[b]).unwrap_or(usize::MAX);
        (start(bucket), start(bucket + 1))
    }

    /// Merges new entries of this segment, sorted by bucket and value, in place from the back,
    /// then moves each bucket start up by the new entries before it.
    fn merge(&mut self, new: &[Parts]) {
        if self.starts.is_empty() {
            self.starts = vec![0; BUCKETS + 1];
        }
        let old_len = self.len;
        self.len += new.len();
        while self.blocks.len() * BLOCK < self.len {
            self.blocks
                .push(vec![Stored::default(); BLOCK].into_boxed_slice());
        }
        let (mut old, mut fresh, mut out) = (old_len, new.len(), self.len);
        // The bucket of the old entry at `old - 1`, found from the directory walking down.
        let mut old_bucket = BUCKETS;
        while fresh > 0 {
            let candidate = &new[fresh - 1];
            let take_old = old > 0 && {
                while self.bucket_range(old_bucket - 1).0 >= old {
                    old_bucket -= 1;
                }
                (old_bucket - 1, self.entry(old - 1)) > (candidate.bucket, &candidate.stored)
            };
            out -= 1;
            if take_old {
                old -= 1;
                *self.entry_mut(out) = *self.entry(old);
            } else {
                fresh -= 1;
                *self.entry_mut(out) = candidate.stored;
            }
        }
        // Old entries below `old` are already in place.
        let mut added = [0_u32; BUCKETS];
        for parts in new {
            added[parts.bucket] += 1;
        }
        let mut shift = 0_u32;
        for (start, added) in self.starts.iter_mut().zip(added) {
            *start += shift;
            shift += added;
        }
        self.starts[BUCKETS] += shift;
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    /// A deterministic spread of 64-bit values.
    fn values(count: usize, seed: u64) -> Vec<u64> {
        let mut state = seed;
        (0..count)
            .map(|_| {
                state = state
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1_442_695_040_888_963_407);
                // Mix, so low and high bits both vary.
                let mut x = state;
                x ^= x >> 33;
                x = x.wrapping_mul(0xff51_afd7_ed55_8ccd);
                x ^ (x >> 33)
            })
            .collect()
    }

    #[test]
    fn agrees_with_a_plain_set_across_several_merges() {
        // Three and a half merges' worth, with every tenth value repeated later on and some
        // values sharing a bucket (same top 20 bits) but differing below.
        let mut input = values(PENDING_CAPACITY * 7 / 2, 1);
        let repeats: Vec<u64> = input.iter().step_by(10).copied().collect();
        input.extend(repeats);
        for (i, base) in values(1000, 2).into_iter().enumerate() {
            input.push(base);
            input.push(base ^ ((u64::try_from(i).unwrap() + 1) << 4));
        }
        let mut seen = Seen::default();
        let mut plain = BTreeSet::new();
        for value in input {
            assert_eq!(seen.insert(value), plain.insert(key(value)), "{value:#x}");
        }
        assert_eq!(seen.len(), plain.len());
    }

    #[test]
    fn hashes_differing_only_in_the_dropped_bits_are_one_entry() {
        let mut seen = Seen::default();
        assert!(seen.insert(0xdead_beef_0000_0000));
        assert!(!seen.insert(0xdead_beef_0000_000f));
        assert!(seen.insert(0xdead_beef_0000_0010));
    }

    #[test]
    fn segments_hold_bucket_order_after_merges() {
        let mut seen = Seen::default();
        for value in values(PENDING_CAPACITY * 3, 3) {
            seen.insert(value);
        }
        for segment in &seen.segments {
            assert_eq!(segment.bucket_range(BUCKETS - 1).1, segment.len);
            for bucket in 0..BUCKETS {
                let (start, end) = segment.bucket_range(bucket);
                assert!(start <= end);
                assert!((start + 1..end).all(|i| segment.entry(i - 1) < segment.entry(i)));
            }
        }
    }
}
