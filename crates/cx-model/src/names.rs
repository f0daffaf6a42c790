//! Lookup of the short names read on every row (touchpoint ids, emotions)
//! without hashing or comparing them byte by byte.

/// A name packed for comparison: its length and two words that, for names
/// of at most [`NameKey::COMPLETE_UP_TO`] bytes, hold every one of its bytes,
/// so that two such names are equal exactly when their keys are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct NameKey {
    len: usize,
    head: u64,
    tail: u64,
}

impl NameKey {
    /// Names up to this long are told apart by their keys alone.
    const COMPLETE_UP_TO: usize = 16;

    /// Packs `name` with a few overlapping loads: the first and last eight
    /// bytes, or four, or the first, middle and last byte.
    #[inline]
    pub(crate) fn of(name: &[u8]) -> NameKey {
        let len = name.len();
        let (head, tail) = if let (Some(head), Some(tail)) = (name.first_chunk(), name.last_chunk())
        {
            (u64::from_le_bytes(*head), u64::from_le_bytes(*tail))
        } else if let (Some(head), Some(tail)) = (name.first_chunk(), name.last_chunk()) {
            (
                u64::from(u32::from_le_bytes(*head)),
                u64::from(u32::from_le_bytes(*tail)),
            )
        } else if let (Some(&first), Some(&last)) = (name.first(), name.last()) {
            let middle = name.get(len / 2).copied().unwrap_or(first);
            (
                u64::from(first) | u64::from(middle) << 8 | u64::from(last) << 16,
                0,
            )
        } else {
            (0, 0)
        };
        NameKey { len, head, tail }
    }

    /// Whether equal keys mean equal names.
    fn is_complete(&self) -> bool {
        self.len <= Self::COMPLETE_UP_TO
    }

    /// A multiplicative hash, its best bits on top.
    fn hash(&self) -> u64 {
        (self.head ^ self.tail.rotate_left(29) ^ self.len as u64)
            .wrapping_mul(0x9E37_79B9_7F4A_7C15)
    }
}

/// A fixed set of names, each with a value, in the order they were given.
///
/// Lookups pack the name into a [`NameKey`] and probe an open-addressed
/// table; names of at most 16 bytes are then confirmed by the key alone,
/// longer ones by comparing their text.
#[derive(Debug, Clone)]
pub(crate) struct NameTable<V> {
    entries: Vec<(NameKey, String, V)>,
    /// Indices into `entries`; `EMPTY` where free. A power of two, at least
    /// twice as long as `entries`.
    slots: Vec<u32>,
    /// `64 - log2(slots.len())`: a hash shifted right by this is a slot.
    shift: u32,
}

const EMPTY: u32 = u32::MAX;

impl<V> NameTable<V> {
    /// A table of `names`; a later duplicate name is never found.
    pub(crate) fn new(names: impl IntoIterator<Item = (String, V)>) -> Self {
        let entries: Vec<(NameKey, String, V)> = names
            .into_iter()
            .map(|(name, value)| (NameKey::of(name.as_bytes()), name, value))
            .collect();
        let bits = (entries.len() * 2)
            .max(2)
            .next_power_of_two()
            .trailing_zeros();
        let mut table = NameTable {
            slots: vec![EMPTY; 1 << bits],
            shift: 64 - bits,
            entries: Vec::new(),
        };
        for (index, entry) in entries.iter().enumerate() {
            if table.find(entry.0, &entry.1, &entries).is_some() {
                continue;
            }
            let mut slot = table.first_slot(entry.0);
            while table.slots[slot] != EMPTY {
                slot = table.next_slot(slot);
            }
            // Tables hold tens of names; u32 is ample and keeps slots small.
            table.slots[slot] = u32::try_from(index).unwrap_or(EMPTY);
        }
        table.entries = entries;
        table
    }

    /// The value of `name`, if the table has it.
    #[inline]
    pub(crate) fn get(&self, name: &str) -> Option<&V> {
        let key = NameKey::of(name.as_bytes());
        self.find(key, name, &self.entries)
            .map(|index| &self.entries[index].2)
    }

    /// Whether the entry given `index`-th is `name`.
    #[inline]
    pub(crate) fn is_at(&self, index: usize, name: &str) -> bool {
        self.entries.get(index).is_some_and(|(key, text, _)| {
            *key == NameKey::of(name.as_bytes()) && (key.is_complete() || text == name)
        })
    }

    fn find(&self, key: NameKey, name: &str, entries: &[(NameKey, String, V)]) -> Option<usize> {
        let mut slot = self.first_slot(key);
        loop {
            // An empty slot (`EMPTY`, past every entry) ends the probe.
            let index = *self.slots.get(slot)?;
            let (stored, text, _) = entries.get(index as usize)?;
            if *stored == key && (key.is_complete() || text == name) {
                return Some(index as usize);
            }
            slot = self.next_slot(slot);
        }
    }

    fn first_slot(&self, key: NameKey) -> usize {
        (key.hash() >> self.shift) as usize
    }

    fn next_slot(&self, slot: usize) -> usize {
        (slot + 1) & (self.slots.len() - 1)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;
    use proptest::prelude::*;

    #[test]
    fn keys_of_short_names_by_hand() {
        assert_eq!(NameKey::of(b""), NameKey::of(b""));
        assert_ne!(NameKey::of(b"a"), NameKey::of(b""));
        assert_ne!(NameKey::of(b"ab"), NameKey::of(b"ba"));
        assert_ne!(NameKey::of(b"abc"), NameKey::of(b"abd"));
        assert_ne!(NameKey::of(b"abcde"), NameKey::of(b"abxde"));
        assert_ne!(NameKey::of(b"abcdefghij"), NameKey::of(b"abcdxfghij"));
        // Beyond 16 bytes the middle is not in the key: the text decides.
        let long = "abcdefgh_middle_ijklmnop";
        let other = "abcdefgh_MIDDLE_ijklmnop";
        assert_eq!(NameKey::of(long.as_bytes()), NameKey::of(other.as_bytes()));
        let table = NameTable::new([(long.to_owned(), 1)]);
        assert_eq!(table.get(long), Some(&1));
        assert_eq!(table.get(other), None);
        assert!(table.is_at(0, long) && !table.is_at(0, other) && !table.is_at(1, long));
    }

    #[test]
    fn the_first_of_duplicate_names_wins() {
        let table = NameTable::new([("a".to_owned(), 1), ("a".to_owned(), 2)]);
        assert_eq!(table.get("a"), Some(&1));
        assert_eq!(NameTable::<u8>::new([]).get("a"), None);
    }

    proptest! {
        /// Short names: equal keys exactly when the names are equal.
        #[test]
        fn short_keys_decide_equality(a in "[a-c]{0,17}", b in "[a-c]{0,17}") {
            let same_key = NameKey::of(a.as_bytes()) == NameKey::of(b.as_bytes());
            if a.len() <= 16 && b.len() <= 16 {
                prop_assert_eq!(same_key, a == b);
            } else if a == b {
                prop_assert!(same_key);
            }
        }

        /// The table finds what a vector search finds, for names in it and not.
        #[test]
        fn table_agrees_with_a_search(
            names in proptest::collection::vec("[a-d _]{0,20}", 0..40),
            probes in proptest::collection::vec("[a-d _]{0,20}", 0..40),
        ) {
            let table = NameTable::new(names.iter().cloned().zip(0..));
            for probe in names.iter().chain(&probes) {
                let expected = names.iter().position(|name| name == probe);
                prop_assert_eq!(table.get(probe).map(|&i| i as usize), expected);
                if let Some(index) = expected {
                    prop_assert!(table.is_at(index, probe));
                }
            }
            for (index, name) in names.iter().enumerate() {
                for probe in &probes {
                    prop_assert_eq!(table.is_at(index, probe), name == probe);
                }
            }
        }
    }
}
