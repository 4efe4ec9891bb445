//! The compact text form of a posting list, shared with the theme's
//! `search.js`: ascending document ids, the first as is and each next one
//! as its distance to the previous minus one (so neighbours are zeros),
//! each number written in base 32, most significant digit first, with two
//! 32-letter alphabets: every digit but the last of a number is a
//! *continuation* letter, the last a *final* one. No separator is needed,
//! and a number below 32 takes one character. A run of more than
//! [`RUN`] neighbours after an id is written `.` and their count instead:
//! a word in most paragraphs, or in a source's title (which every one of
//! its paragraphs has), costs little. Every character is safe inside a
//! JavaScript string and is neither of the shards' separators `,` `;`.

/// The 32 final digits, then the 32 continuation digits.
const DIGITS: &[u8; 64] = b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_";
/// Marks a run: the next number counts the neighbours that follow.
const RUN_MARK: char = '.';
/// Runs of up to this many neighbours are written as zeros.
const RUN: usize = 2;

/// Encodes strictly ascending ids.
pub fn encode(ids: &[u32]) -> String {
    let mut out = String::with_capacity(ids.len() / 2 + 4);
    let mut i = 0;
    while i < ids.len() {
        let gap = match i.checked_sub(1) {
            None => ids[0],
            Some(p) => {
                debug_assert!(ids[i] > ids[p], "ids are strictly ascending");
                ids[i] - ids[p] - 1
            }
        };
        push_number(&mut out, gap);
        let run = ids[i + 1..]
            .iter()
            .zip(&ids[i..])
            .take_while(|(next, id)| **next == **id + 1)
            .count();
        if run > RUN {
            out.push(RUN_MARK);
            push_number(&mut out, u32::try_from(run).expect("fewer than 2^32 ids"));
            i += run;
        }
        i += 1;
    }
    out
}

fn push_number(out: &mut String, n: u32) {
    let mut groups = [0u8; 7];
    let mut len = 0;
    let mut rest = n;
    loop {
        groups[len] = (rest & 31) as u8;
        len += 1;
        rest >>= 5;
        if rest == 0 {
            break;
        }
    }
    for i in (1..len).rev() {
        out.push(DIGITS[32 + groups[i] as usize] as char);
    }
    out.push(DIGITS[groups[0] as usize] as char);
}

/// Decodes what [`encode`] wrote; `None` on a character outside the
/// alphabet, a number left unfinished, a run first, or an id too large.
#[cfg(test)]
pub fn decode(text: &str) -> Option<Vec<u32>> {
    let mut ids: Vec<u32> = Vec::new();
    let mut value: u64 = 0;
    let mut pending = false;
    let mut run = false;
    for c in text.chars() {
        if c == RUN_MARK && !pending && !run {
            run = true;
            continue;
        }
        let digit = DIGITS.iter().position(|&d| char::from(d) == c)? as u64;
        value = value * 32 + (digit & 31);
        if value > u64::from(u32::MAX) {
            return None;
        }
        pending = digit >= 32;
        if pending {
            continue;
        }
        if run {
            let last = u64::from(*ids.last()?);
            for k in 1..=value {
                ids.push(u32::try_from(last + k).ok()?);
            }
            run = false;
        } else {
            let id = ids.last().map_or(value, |&p| u64::from(p) + 1 + value);
            ids.push(u32::try_from(id).ok()?);
        }
        value = 0;
    }
    (!pending && !run).then_some(ids)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn encodes_small_gaps_in_one_character_and_runs_by_their_length() {
        assert_eq!(encode(&[]), "");
        assert_eq!(encode(&[5, 7, 38]), "51u");
        assert_eq!(encode(&[31, 32]), "v0");
        assert_eq!(encode(&[0, 1, 2]), "000", "short runs as zeros");
        assert_eq!(encode(&[0, 1, 2, 3]), "0.3");
        assert_eq!(encode(&[4, 10, 11, 12, 13, 14, 20]), "45.45");
        // 32 = 1·32 + 0: a continuation digit 1, then a final 0.
        assert_eq!(encode(&[32]), "x0");
        // u32::MAX: its top two bits, then six groups of five.
        assert_eq!(encode(&[u32::MAX]), "z_____v");
        let all: Vec<u32> = (0..100_000).collect();
        assert_eq!(encode(&all), "0.zxQv", "100,000 neighbours in six characters");
    }

    #[test]
    fn rejects_what_it_did_not_write() {
        assert_eq!(decode("x"), None, "an unfinished number");
        assert_eq!(decode("0,1"), None, "a character outside the alphabet");
        assert_eq!(decode("______v"), None, "a number too large");
        assert_eq!(decode(".3"), None, "a run of nothing");
        assert_eq!(decode("0."), None, "an unfinished run");
    }

    proptest! {
        #[test]
        fn decoding_gives_back_the_ids(
            mut ids in proptest::collection::vec(any::<u32>(), 0..200),
            runs in proptest::collection::vec((0u32..5000, 1u32..300), 0..20),
        ) {
            // Runs of neighbours, as common words and titles make.
            for (start, len) in runs {
                ids.extend(start..start + len);
            }
            ids.sort_unstable();
            ids.dedup();
            let text = encode(&ids);
            prop_assert_eq!(decode(&text), Some(ids));
        }
    }
}
