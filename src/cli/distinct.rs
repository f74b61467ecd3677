//! Rows de-duplicated by their key in every export and listing (product.md "Pages that drift or
//! repeat are caught").
//!
//! A vendor whose pages shift while they are read (rows inserted before the offset being read)
//! or that ignores the offset serves some rows twice and others never, each page still the
//! right size. The writer keeps the first row of each identity ([`Record::identity`]) and
//! counts the distinct rows; when the stream's pages declared how many rows the vendor counts
//! ([`Page::counting`](crate::provider::Page::counting)), distinct rows that do not add up to it
//! end the command with exit 3 once the rows are written.
//!
//! A row's identity is kept as a 64-bit keyed hash (SipHash with a key of this run, so a server
//! cannot choose rows that collide), in an open-addressing table sized to what the vendor
//! counts: about 9 bytes per row (9.5 MB for a million), instead of the keys themselves (a
//! `HashSet<u64>` rounds to a power of two and took 19 MB, putting the export over its 64 MB).

use std::hash::{BuildHasher, Hasher, RandomState};

use crate::provider::{Counted, ErrorKind, ProviderError, Record};

/// The distinct rows of one stream so far.
#[derive(Debug, Default)]
pub(super) struct Distinct {
    /// The identities of the rows admitted, hashed.
    seen: KeySet,
    /// Rows admitted (those without an identity too).
    distinct: u64,
    /// Rows dropped as served before.
    repeated: u64,
    /// What the pages declared the vendor counts, added up.
    counted: Option<Counted>,
}

/// Hashes identities with a key of this run.
#[derive(Debug, Clone, Default)]
pub(super) struct Keyer(RandomState);

impl Keyer {
    /// The hashed identity of each record (`None`: it has none), in order.
    pub(super) fn keys<T: Record>(&self, records: &[T]) -> Vec<Option<u64>> {
        records
            .iter()
            .map(|record| {
                let mut h = Gathered::new(self.0.build_hasher());
                record.identity(&mut h).then(|| h.finish())
            })
            .collect()
    }
}

/// A hasher that gathers what it is fed and hashes it in one write: an identity comes in several
/// small pieces (a contact, a separator, a discriminant, a date and a time), and SipHash pays
/// for each write on its own (they were a tenth of a large export's CPU time). The bytes hashed
/// are the same pieces one after the other, as SipHash would have seen them.
struct Gathered<H> {
    hasher: H,
    buf: [u8; 64],
    len: usize,
}

impl<H: Hasher + Clone> Gathered<H> {
    fn new(hasher: H) -> Self {
        Gathered {
            hasher,
            buf: [0; 64],
            len: 0,
        }
    }
}

impl<H: Hasher + Clone> Hasher for Gathered<H> {
    fn write(&mut self, bytes: &[u8]) {
        if let Some(room) = self.buf.get_mut(self.len..self.len + bytes.len()) {
            room.copy_from_slice(bytes);
            self.len += bytes.len();
        } else {
            // Too long to gather: what is gathered goes first.
            self.hasher.write(&self.buf[..self.len]);
            self.len = 0;
            self.hasher.write(bytes);
        }
    }

    fn finish(&self) -> u64 {
        let mut hasher = self.hasher.clone();
        hasher.write(&self.buf[..self.len]);
        hasher.finish()
    }
}

impl Distinct {
    /// Adds what a page declares the vendor counts, and makes room for that many rows at once
    /// (growing the set as rows come would hold the old table and the new one together at
    /// each doubling: half as much again at the last).
    pub(super) fn count(&mut self, counted: Counted) {
        let total = self.counted.map_or(0, |c| c.rows);
        let total = total.saturating_add(counted.rows);
        self.counted = Some(Counted {
            rows: total,
            vendor: counted.vendor,
        });
        // A count is the vendor's word, not a promise: room for two million rows at most.
        let room = usize::try_from(total.min(1 << 21)).unwrap_or(0);
        self.seen.reserve(room.saturating_sub(self.seen.len()));
    }

    /// The records whose identity (`keys`, from [`Keyer::keys`], in the same order) was not
    /// admitted before; pages must come in their order, so that the first copy is the one kept.
    pub(super) fn admit<T>(&mut self, records: Vec<T>, keys: &[Option<u64>]) -> Vec<T> {
        debug_assert_eq!(records.len(), keys.len());
        self.seen.reserve(records.len());
        let before = records.len() as u64;
        let mut keys = keys.iter();
        let mut records = records;
        records.retain(|_| match keys.next().copied().flatten() {
            Some(key) => self.seen.insert(key),
            None => true,
        });
        let kept = records.len() as u64;
        self.distinct += kept;
        self.repeated += before - kept;
        records
    }

    /// Rows dropped as served before.
    pub(super) fn repeated(&self) -> u64 {
        self.repeated
    }

    /// The exit-3 error when the distinct rows do not add up to what the vendor counts;
    /// `written_to` is the `-o` file the distinct rows went to (stdout when `None`).
    pub(super) fn check(&self, written_to: Option<&std::path::Path>) -> Result<(), ProviderError> {
        let Some(Counted {
            rows: counted,
            vendor,
        }) = self.counted
        else {
            return Ok(());
        };
        let distinct = self.distinct;
        if distinct == counted {
            return Ok(());
        }
        let repeated = self.repeated;
        let message = if distinct < counted {
            format!(
                "{distinct} distinct row(s) were written of the {counted} {vendor} counts for this query: {repeated} came twice (written once) and {} never came, so its pages shifted or repeated while they were read",
                counted - distinct
            )
        } else {
            format!(
                "{distinct} distinct row(s) were written, but {vendor} counts {counted} for this query: its count and its rows disagree"
            )
        };
        let rows = match written_to {
            Some(path) => format!("the rows in {}", path.display()),
            None => "the rows above".to_string(),
        };
        Err(ProviderError::new(ErrorKind::Incomplete, vendor, message).with_hint(format!(
            "{rows} are not the whole result; run the command again (a larger --page-size leaves fewer pages for the rows to move between)"
        )))
    }
}

/// A set of 64-bit hashes: linear probing in one vector, filled to at most 7/8, of any length
/// (not a power of two: a slot is picked by multiplying, so a table sized for a count is that
/// size). 0 marks an empty slot; a hash of 0 is stored as 1 (one in 2^64 rows shares a slot).
#[derive(Debug, Default)]
struct KeySet {
    slots: Vec<u64>,
    len: usize,
}

impl KeySet {
    fn len(&self) -> usize {
        self.len
    }

    /// Room for `more` keys beyond those held, growing (and rehashing) at most once.
    fn reserve(&mut self, more: usize) {
        let wanted = self.len.saturating_add(more);
        if wanted.saturating_mul(8) <= self.slots.len().saturating_mul(7) {
            return;
        }
        let size = (wanted.saturating_mul(8) / 7 + 1)
            .max(self.slots.len().saturating_mul(2))
            .max(64);
        let old = std::mem::replace(&mut self.slots, vec![0; size]);
        self.len = 0;
        for key in old.into_iter().filter(|k| *k != 0) {
            self.insert(key);
        }
    }

    /// Adds `key`; false when it was there already.
    fn insert(&mut self, key: u64) -> bool {
        self.reserve(1);
        let key = key.max(1);
        let n = self.slots.len();
        let mut i = ((u128::from(key) * n as u128) >> 64) as usize;
        loop {
            match self.slots[i] {
                0 => {
                    self.slots[i] = key;
                    self.len += 1;
                    return true;
                }
                k if k == key => return false,
                _ => i = if i + 1 == n { 0 } else { i + 1 },
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::provider::Campaign;

    fn campaign(id: &str) -> Campaign {
        Campaign {
            id: Some(id.into()),
            name: format!("name of {id}"),
            campaign_type: None,
            status: None,
            created_at: None,
            sent_at: None,
            total_contacts: None,
            extra: Vec::new(),
        }
    }

    fn ids(records: &[Campaign]) -> Vec<&str> {
        records.iter().filter_map(|c| c.id.as_deref()).collect()
    }

    #[test]
    fn the_first_copy_of_a_row_is_kept_across_pages() {
        let keyer = Keyer::default();
        let mut d = Distinct::default();
        let page1 = vec![campaign("a"), campaign("b"), campaign("a")];
        let keys = keyer.keys(&page1);
        assert_eq!(ids(&d.admit(page1, &keys)), ["a", "b"]);
        let page2 = vec![campaign("b"), campaign("c")];
        let keys = keyer.keys(&page2);
        assert_eq!(ids(&d.admit(page2, &keys)), ["c"]);
        assert_eq!((d.distinct, d.repeated()), (3, 2));
        // Nothing counted: nothing to fall short of.
        assert!(d.check(None).is_ok());
    }

    #[test]
    fn rows_without_an_identity_are_all_kept_and_counted() {
        let mut d = Distinct::default();
        let kept = d.admit(vec![1, 2, 3], &[None, None, None]);
        assert_eq!(kept, [1, 2, 3]);
        d.count(Counted {
            rows: 2,
            vendor: "Engage",
        });
        d.count(Counted {
            rows: 1,
            vendor: "Engage",
        });
        assert!(d.check(None).is_ok());
    }

    #[test]
    fn distinct_rows_short_of_the_count_are_an_incomplete_result() {
        let keyer = Keyer::default();
        let mut d = Distinct::default();
        d.count(Counted {
            rows: 4,
            vendor: "Engage",
        });
        let page = vec![campaign("a"), campaign("b"), campaign("b"), campaign("c")];
        let keys = keyer.keys(&page);
        d.admit(page, &keys);
        let e = d.check(Some(std::path::Path::new("f.csv"))).unwrap_err();
        assert_eq!(e.kind, ErrorKind::Incomplete);
        assert_eq!(e.exit_code(), 3);
        let text = e.to_string();
        assert_eq!(
            text,
            "Engage: 3 distinct row(s) were written of the 4 Engage counts for this query: 1 came twice (written once) and 1 never came, so its pages shifted or repeated while they were read."
        );
        assert_eq!(
            e.hint.as_deref(),
            Some(
                "the rows in f.csv are not the whole result; run the command again (a larger --page-size leaves fewer pages for the rows to move between)"
            )
        );
    }

    #[test]
    fn identities_gathered_in_pieces_hash_as_the_same_bytes_written_at_once() {
        use std::hash::{BuildHasher, Hasher};
        let keyer = Keyer::default();
        let hash = |pieces: &[&[u8]]| {
            let mut h = Gathered::new(keyer.0.build_hasher());
            for piece in pieces {
                h.write(piece);
            }
            h.finish()
        };
        let long = [b'x'; 100];
        for pieces in [
            &[&b"ab"[..], b"c"][..],
            &[b"a", &long, b"b"],
            &[&long[..60], b"12345"],
        ] {
            let whole: Vec<u8> = pieces.concat();
            let mut plain = keyer.0.build_hasher();
            plain.write(&whole);
            assert_eq!(hash(pieces), plain.finish());
        }
        // Long identities (past what is gathered) are told apart too.
        let (a, b) = (
            campaign(&"a".repeat(80)),
            campaign(&format!("{}b", "a".repeat(79))),
        );
        let keys = keyer.keys(&[a, b, campaign(&"a".repeat(80))]);
        assert_ne!(keys[0], keys[1]);
        assert_eq!(keys[0], keys[2]);
    }

    #[test]
    fn an_id_is_never_taken_for_a_name() {
        let keyer = Keyer::default();
        let by_id = campaign("x");
        let mut by_name = campaign("other");
        by_name.id = None;
        by_name.name = "x".into();
        let keys = keyer.keys(&[by_id, by_name]);
        assert_ne!(keys[0], keys[1]);
    }
}

#[cfg(test)]
mod key_set_tests {
    use super::KeySet;

    #[test]
    fn a_key_set_holds_each_key_once_through_growth_and_sized_for_a_count() {
        let mut set = KeySet::default();
        set.reserve(1_000);
        let size = set.slots.len();
        assert!((1_000 * 8 / 7..1_300).contains(&size), "{size}");
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        let keys: Vec<u64> = (0..5_000)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                x
            })
            .collect();
        for k in &keys {
            assert!(set.insert(*k));
        }
        for k in &keys {
            assert!(!set.insert(*k), "a key admitted twice");
        }
        assert_eq!(set.len(), 5_000);
        // 0 is a key like any other (stored as 1).
        assert!(set.insert(0));
        assert!(!set.insert(0));
    }
}
