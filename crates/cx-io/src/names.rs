//! The names read on every row, touchpoint ids and emotion words, found
//! without hashing their text or comparing it byte by byte.
//!
//! A field of up to sixteen bytes is loaded as one word (from the text
//! around it, which goes on past the field, and cut to its length with no
//! branch on that length, which changes from row to row), then found in a
//! small table by word and length. Longer names are the caller's to look
//! up otherwise.

use cx_model::Emotion;

/// A field as a key for a [`NameTable`]: a word holding its bytes, or, past
/// sixteen bytes, its text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Word<'a> {
    /// The bytes, the first the lowest, zero above the length; and the length.
    Short(u128, usize),
    /// A field longer than sixteen bytes.
    Long(&'a str),
}

impl<'a> Word<'a> {
    /// The field `start..end` of `text` as a word. The sixteen bytes from
    /// `start` are loaded at once where `text` has them.
    #[inline(always)]
    pub(crate) fn of(text: &'a str, start: usize, end: usize) -> Option<Word<'a>> {
        let len = end.checked_sub(start)?;
        if len > 16 {
            return text.get(start..end).map(Word::Long);
        }
        let bytes = text.as_bytes();
        let word = match bytes.get(start..start + 16) {
            Some(sixteen) => u128::from_le_bytes(<[u8; 16]>::try_from(sixteen).ok()?),
            // Near the end of the text: the field alone, padded.
            None => {
                let mut padded = [0; 16];
                padded
                    .get_mut(..len)?
                    .copy_from_slice(bytes.get(start..end)?);
                u128::from_le_bytes(padded)
            }
        };
        Some(Word::Short(word & KEEP.get(len).copied().unwrap_or(0), len))
    }
}

/// For each length up to sixteen, the mask that keeps that many low bytes
/// of a word (none of an empty field, whose word is zero).
const KEEP: [u128; 17] = {
    let mut keep = [0; 17];
    let mut len = 1;
    while len <= 16 {
        keep[len] = u128::MAX >> (8 * (16 - len));
        len += 1;
    }
    keep
};

/// A few short names, each with a value, looked up by their [`Word`]: a
/// multiplicative hash of the word picks a slot, and the word and length
/// confirm it, with no comparison of bytes and no branch on the length.
#[derive(Debug, Clone)]
pub(crate) struct NameTable<V> {
    /// A power of two, at least twice the names.
    slots: Vec<Option<(u128, usize, V)>>,
    /// `64 - log2(slots.len())`: a hash shifted right by this is a slot.
    shift: u32,
}

impl<V: Copy> NameTable<V> {
    /// A table of the `names` of at most sixteen bytes; the others, and a
    /// later duplicate, are never found.
    pub(crate) fn new<'n>(names: impl IntoIterator<Item = (&'n [u8], V)>) -> Self {
        let names: Vec<(u128, usize, V)> = names
            .into_iter()
            .filter_map(|(name, value)| {
                let mut padded = [0; 16];
                padded.get_mut(..name.len())?.copy_from_slice(name);
                Some((u128::from_le_bytes(padded), name.len(), value))
            })
            .collect();
        let fewest = (names.len() * 2)
            .max(2)
            .next_power_of_two()
            .trailing_zeros();
        // The smallest table, up to eight times as large, in which every
        // name has a slot of its own: a lookup then never probes twice, and
        // its loop runs once on every row, which the predictor learns.
        let bits = (fewest..fewest + 3)
            .find(|&bits| {
                let shift = 64 - bits;
                let mut taken = vec![false; 1 << bits];
                names.iter().all(|&(word, len, _)| {
                    taken
                        .get_mut(first_slot(word, len, shift))
                        .is_some_and(|taken| !std::mem::replace(taken, true))
                })
            })
            .unwrap_or(fewest + 3);
        let mut table = NameTable {
            slots: vec![None; 1 << bits],
            shift: 64 - bits,
        };
        for (word, len, value) in names {
            let mut slot = first_slot(word, len, table.shift);
            loop {
                match table.slots.get_mut(slot) {
                    Some(Some((taken, taken_len, _))) if (*taken, *taken_len) == (word, len) => {
                        break;
                    }
                    Some(Some(_)) => slot = (slot + 1) & (table.slots.len() - 1),
                    Some(free) => {
                        *free = Some((word, len, value));
                        break;
                    }
                    None => break,
                }
            }
        }
        table
    }

    /// The value of the name held in `word`; `None` for a name not in the
    /// table and for every [`Word::Long`].
    #[inline(always)]
    pub(crate) fn get(&self, word: Word<'_>) -> Option<V> {
        let Word::Short(word, len) = word else {
            return None;
        };
        let mut slot = first_slot(word, len, self.shift);
        loop {
            // A free slot ends the probe; the table always has one.
            let &(found, found_len, value) = self.slots.get(slot)?.as_ref()?;
            if (found, found_len) == (word, len) {
                return Some(value);
            }
            slot = (slot + 1) & (self.slots.len() - 1);
        }
    }
}

/// The emotions by their exact names, in words and in snake_case, and no
/// emotion by the empty name: an empty field is looked up like any other
/// rather than branched on, since a quarter of rows or so leave the emotion
/// out, at random.
pub(crate) fn emotion_table() -> NameTable<Option<Emotion>> {
    NameTable::new(
        Emotion::ALL
            .into_iter()
            .flat_map(|emotion| {
                [
                    (emotion.name().as_bytes(), Some(emotion)),
                    (emotion.snake_case_name().as_bytes(), Some(emotion)),
                ]
            })
            .chain([(&b""[..], None)]),
    )
}

/// The slot a multiplicative hash of a word and its length picks in a
/// table of `64 - shift` bits.
#[inline(always)]
fn first_slot(word: u128, len: usize, shift: u32) -> usize {
    let folded = (word as u64) ^ ((word >> 64) as u64).rotate_left(29) ^ len as u64;
    (folded.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> shift) as usize
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;
    use proptest::prelude::*;

    #[test]
    fn every_emotion_and_none_has_a_slot_of_its_own() {
        let table = emotion_table();
        let mut names = 0;
        for emotion in Emotion::ALL {
            for name in [emotion.name(), emotion.snake_case_name()] {
                let word = Word::of(name, 0, name.len()).unwrap();
                let Word::Short(bits, len) = word else {
                    panic!("{name} is short")
                };
                let slot = first_slot(bits, len, table.shift);
                assert_eq!(
                    table.slots[slot].map(|(_, _, found)| found),
                    Some(Some(emotion))
                );
                names += 1;
            }
        }
        assert_eq!(table.get(Word::of("", 0, 0).unwrap()), Some(None));
        assert_eq!(table.get(Word::of("Happy", 0, 5).unwrap()), None);
        // Thirty-five names (cared for twice) and the empty one.
        assert_eq!(names, 36);
    }

    #[test]
    fn words_are_cut_to_their_field() {
        let text = "happy,sad,a_name_of_seventeen,";
        assert_eq!(Word::of(text, 0, 5), Word::of("happy", 0, 5));
        assert_eq!(Word::of(text, 6, 9), Word::of("sad", 0, 3));
        assert_eq!(
            Word::of(text, 10, 29),
            Some(Word::Long("a_name_of_seventeen"))
        );
        assert_eq!(Word::of(text, 9, 6), None);
    }

    proptest! {
        /// The table finds a name, as a field's word, exactly when a search
        /// of its names of at most sixteen bytes does; names differing only
        /// by trailing NUL bytes, which a word does not show, included.
        #[test]
        fn prop_the_table_agrees_with_a_search(
            names in prop::collection::vec("[ab\0]{0,18}", 0..40),
            probes in prop::collection::vec("[ab\0]{1,18}", 0..40),
            before in "[ab,]{0,3}",
            after in "[ab,]{0,20}",
        ) {
            let table = NameTable::new(names.iter().map(|name| name.as_bytes()).zip(0..));
            for probe in names.iter().filter(|name| !name.is_empty()).chain(&probes) {
                let line = format!("{before}{probe}{after}");
                let word = Word::of(&line, before.len(), before.len() + probe.len()).unwrap();
                let expected = names.iter().position(|name| name == probe && name.len() <= 16);
                prop_assert_eq!(table.get(word), expected);
            }
        }
    }
}
