//! Binary search over records sorted by key inside a text, without
//! parsing or indexing the text first: a probe lands anywhere and moves on
//! to the next record. The registry's index (`crate::registry`) and the IAM
//! actions list (`crate::check::iam_actions`) are searched this way, so a
//! process reads a dozen records of each, not all of them.

use std::cmp::Ordering;

/// A record read from the text.
pub(crate) struct Record<'t, T> {
    /// What the records are sorted by.
    pub key: &'t str,
    /// Where the record starts.
    pub start: usize,
    /// Where it ends: the next record starts at or after this byte.
    pub end: usize,
    /// What the record holds.
    pub value: T,
}

/// The record whose key is `key` among records sorted by key in a text of
/// `len` bytes, where `next(from)` reads the first record that starts at or
/// after byte `from` (`from` need not be a character boundary).
pub(crate) fn find<'t, T>(
    len: usize,
    key: &str,
    next: impl Fn(usize) -> Option<Record<'t, T>>,
) -> Option<Record<'t, T>> {
    // Records that start in lo..hi may still be `key`.
    let (mut lo, mut hi) = (0, len);
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        let Some(r) = next(mid).filter(|r| r.start < hi) else {
            hi = mid;
            continue;
        };
        match r.key.cmp(key) {
            Ordering::Equal => return Some(r),
            // `end > start >= mid >= lo`: the range always shrinks.
            Ordering::Less => lo = r.end.max(lo + 1),
            Ordering::Greater => hi = mid,
        }
    }
    None
}

/// The first record starting at or after byte `from` in `text`, where each
/// record ends with `sep` (an ASCII byte): where it starts, and its text
/// without the separator. `from` need not be a character boundary.
pub(crate) fn record_after(text: &str, from: usize, sep: u8) -> Option<(usize, &str)> {
    let start = match from {
        0 => 0,
        // Bytes, not text: a record starts right after a separator.
        _ => {
            from + text
                .as_bytes()
                .get(from - 1..)?
                .iter()
                .position(|&b| b == sep)?
        }
    };
    let record = text.get(start..)?.split(char::from(sep)).next()?;
    Some((start, record)).filter(|(_, r)| !r.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Records as `key=value;` pairs.
    fn pairs(text: &str, from: usize) -> Option<Record<'_, &str>> {
        let (start, record) = record_after(text, from, b';')?;
        let (key, value) = record.split_once('=')?;
        Some(Record {
            key,
            start,
            end: start + record.len() + 1,
            value,
        })
    }

    #[test]
    fn finds_every_key_and_no_other() {
        let text = "a=1;bb=2;c=3;dd=4;e=5;";
        for (k, v) in [("a", "1"), ("bb", "2"), ("c", "3"), ("dd", "4"), ("e", "5")] {
            let r = find(text.len(), k, |f| pairs(text, f)).map(|r| r.value);
            assert_eq!(r, Some(v), "{k}");
        }
        for absent in ["", "0", "b", "ccc", "d", "z"] {
            assert!(
                find(text.len(), absent, |f| pairs(text, f)).is_none(),
                "{absent}"
            );
        }
        assert!(find(0, "a", |f| pairs("", f)).is_none());
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]

        /// Any set of keys, sorted into a text: each is found with its value,
        /// and a key that is not there is not.
        #[test]
        fn every_key_is_found_and_no_other(
            keys in proptest::collection::btree_set("[a-z0-9:]{1,6}", 0..40),
            absent in "[a-z0-9:]{0,7}",
        ) {
            let text: String = keys.iter().map(|k| format!("{k}=v{k};")).collect();
            for k in &keys {
                let found = find(text.len(), k, |f| pairs(&text, f)).map(|r| r.value.to_owned());
                proptest::prop_assert_eq!(found, Some(format!("v{k}")));
            }
            let found = find(text.len(), &absent, |f| pairs(&text, f)).is_some();
            proptest::prop_assert_eq!(found, keys.contains(&absent));
        }

        /// Any text, any key: a search ends without a panic.
        #[test]
        fn any_text_is_searched_without_panic(text in "\\PC{0,80}", key in "\\PC{0,8}") {
            let _ = find(text.len(), &key, |f| pairs(&text, f));
        }
    }
}
