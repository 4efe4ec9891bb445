//! A posting list while the index is built: strictly ascending document
//! ids, held as the gaps between them (the first id as is, then each next
//! one minus the previous minus one) in LEB128, seven bits a byte. The
//! index holds a list per word and a word's documents are near each
//! other: most gaps take one byte instead of a `u32`'s four, which at
//! 100,000 sources is hundreds of megabytes.

/// Strictly ascending ids, compact; see the module.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Ids {
    gaps: Vec<u8>,
    last: Option<u32>,
}

impl Ids {
    pub fn last(&self) -> Option<u32> {
        self.last
    }

    pub fn is_empty(&self) -> bool {
        self.last.is_none()
    }

    /// Adds `id`, which must be above every id held.
    pub fn push(&mut self, id: u32) {
        let gap = match self.last {
            None => id,
            Some(last) => {
                debug_assert!(id > last, "ids are strictly ascending");
                id - last - 1
            }
        };
        push_number(&mut self.gaps, gap);
        self.last = Some(id);
    }

    /// Adds the ids of `next`, which are all above every id held: its
    /// first gap is made again from this list's last id, the others are
    /// taken as they are.
    pub fn append(&mut self, next: Ids) {
        let Some(next_last) = next.last else {
            return;
        };
        let (first, rest) = read_number(&next.gaps).expect("a non-empty list has a first id");
        self.push(first);
        self.gaps.extend_from_slice(rest);
        self.last = Some(next_last);
    }

    /// The ids, ascending.
    pub fn to_vec(&self) -> Vec<u32> {
        let mut ids = Vec::with_capacity(self.gaps.len());
        let mut rest = &self.gaps[..];
        let mut previous: Option<u32> = None;
        while let Some((gap, after)) = read_number(rest) {
            let id = previous.map_or(gap, |p| p + gap + 1);
            ids.push(id);
            previous = Some(id);
            rest = after;
        }
        ids
    }
}

fn push_number(out: &mut Vec<u8>, mut n: u32) {
    while n >= 0x80 {
        out.push((n as u8) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

/// The number at the start of `bytes`, and the bytes after it; `None` at
/// the end. A `u32` takes at most five bytes.
fn read_number(bytes: &[u8]) -> Option<(u32, &[u8])> {
    let mut n = 0u32;
    for (i, &b) in bytes.iter().enumerate().take(5) {
        n |= u32::from(b & 0x7f) << (7 * i);
        if b & 0x80 == 0 {
            return Some((n, &bytes[i + 1..]));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn of(ids: &[u32]) -> Ids {
        let mut list = Ids::default();
        ids.iter().for_each(|&id| list.push(id));
        list
    }

    #[test]
    fn gives_back_the_ids_it_was_given() {
        let ids = [
            0,
            1,
            2,
            127,
            128,
            129,
            16_383,
            16_384,
            2_000_000,
            u32::MAX - 1,
            u32::MAX,
        ];
        assert_eq!(of(&ids).to_vec(), ids);
        assert_eq!(of(&[]).to_vec(), Vec::<u32>::new());
        assert_eq!(of(&[u32::MAX]).to_vec(), [u32::MAX]);
        assert_eq!(of(&ids).last(), Some(u32::MAX));
        assert!(of(&[]).is_empty());
    }

    #[test]
    fn neighbours_take_a_byte_each() {
        let list = of(&(1000..2000).collect::<Vec<_>>());
        assert_eq!(list.gaps.len(), 2 + 999);
    }

    #[test]
    fn appended_lists_are_the_list_made_in_one_go() {
        let ids: Vec<u32> = (0..3000).map(|i| i * i / 7 + i).collect();
        for cut in [0, 1, 2, 1500, 2999, 3000] {
            let mut list = of(&ids[..cut]);
            list.append(of(&ids[cut..]));
            assert_eq!(list, of(&ids), "cut at {cut}");
        }
    }
}
