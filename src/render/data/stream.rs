//! Writing a long list of JSON records without ever holding it: records are
//! serialised by batches of units (sources, events…), the units of a batch
//! in parallel, each into a buffer of its own, and the buffers written in
//! order. At most one batch's bytes are in memory; the output is the same
//! whatever the thread count.

use std::io::{self, Write};

use rayon::prelude::*;
use serde::Serialize;

/// Units serialised at a time: enough to keep every core busy, few enough
/// that a batch of the largest units (sources) stays a few megabytes.
const BATCH: usize = 128;

/// How the records of a list are put together.
pub struct Frame {
    /// Before the list.
    open: &'static [u8],
    /// Before the first record, when there is one.
    first: &'static [u8],
    /// Between two records.
    between: &'static [u8],
    /// After the last record, when there is one.
    last: &'static [u8],
    /// After the list.
    close: &'static [u8],
}

/// A JSON array with one record per line: `[]` when empty, otherwise
/// `[` and each record on a line of its own, then `]`.
pub const ARRAY: Frame = Frame {
    open: b"[",
    first: b"\n",
    between: b",\n",
    last: b"\n",
    close: b"]",
};

/// JSON Lines (<https://jsonlines.org/>): each record on a line, every
/// line ended by a line break.
pub const LINES: Frame = Frame {
    open: b"",
    first: b"",
    between: b"\n",
    last: b"\n",
    close: b"",
};

/// A JSON array as serde_json writes it, compact: `[a,b]`.
pub const COMPACT: Frame = Frame {
    open: b"[",
    first: b"",
    between: b",",
    last: b"",
    close: b"]",
};

/// The records one unit adds to a list, serialised as they come.
pub struct Records {
    bytes: Vec<u8>,
    between: &'static [u8],
    count: usize,
}

impl Records {
    /// Appends a record.
    pub fn push(&mut self, record: &impl Serialize) -> io::Result<()> {
        if self.count > 0 {
            self.bytes.extend_from_slice(self.between);
        }
        self.count += 1;
        serde_json::to_writer(&mut self.bytes, record).map_err(io::Error::from)
    }

    /// Appends a record that `write` serialises itself.
    pub fn push_with(&mut self, write: impl FnOnce(&mut Vec<u8>) -> io::Result<()>) -> io::Result<()> {
        if self.count > 0 {
            self.bytes.extend_from_slice(self.between);
        }
        self.count += 1;
        write(&mut self.bytes)
    }
}

/// Writes the list of the records that units `0..units` make, in order:
/// `records(i, out)` pushes unit `i`'s records (none, one or many) into
/// `out`. Returns the number of records.
pub fn list(
    w: &mut dyn Write,
    frame: &Frame,
    units: usize,
    records: impl Fn(usize, &mut Records) -> io::Result<()> + Sync,
) -> io::Result<usize> {
    let [count] = lists([(w, frame)], units, |i, [out]| records(i, out))?;
    Ok(count)
}

/// Writes `N` lists from one pass over the units, each into its own
/// writer: `records(i, outs)` pushes unit `i`'s records of list `k` into
/// `outs[k]`, so that what the lists share is made once per unit. Returns
/// the number of records of each list.
pub fn lists<const N: usize>(
    mut writers: [(&mut dyn Write, &Frame); N],
    units: usize,
    records: impl Fn(usize, [&mut Records; N]) -> io::Result<()> + Sync,
) -> io::Result<[usize; N]> {
    for (w, frame) in &mut writers {
        w.write_all(frame.open)?;
    }
    let betweens = writers.each_ref().map(|(_, frame)| frame.between);
    let mut counts = [0; N];
    for start in (0..units).step_by(BATCH) {
        let batch: Vec<io::Result<[Records; N]>> = (start..units.min(start + BATCH))
            .into_par_iter()
            .map(|i| {
                let mut outs = betweens.map(|between| Records {
                    bytes: Vec::new(),
                    between,
                    count: 0,
                });
                records(i, outs.each_mut())?;
                Ok(outs)
            })
            .collect();
        for outs in batch {
            for (((w, frame), out), count) in writers.iter_mut().zip(outs?).zip(&mut counts) {
                if out.count == 0 {
                    continue;
                }
                w.write_all(if *count == 0 { frame.first } else { frame.between })?;
                w.write_all(&out.bytes)?;
                *count += out.count;
            }
        }
    }
    for ((w, frame), count) in writers.iter_mut().zip(counts) {
        if count > 0 {
            w.write_all(frame.last)?;
        }
        w.write_all(frame.close)?;
    }
    Ok(counts)
}

/// Writes the list of the records `0..units`, one per unit, each written
/// by `record(i, w)` straight into `w`, in order: for records that hold
/// long lists of their own, which they stream ([`list`]) rather than
/// make whole in a buffer.
pub fn each(
    w: &mut dyn Write,
    frame: &Frame,
    units: usize,
    record: &dyn Fn(usize, &mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    w.write_all(frame.open)?;
    for i in 0..units {
        w.write_all(if i == 0 { frame.first } else { frame.between })?;
        record(i, w)?;
    }
    if units > 0 {
        w.write_all(frame.last)?;
    }
    w.write_all(frame.close)
}

/// Writes `"name":value` as a member of an object being written by hand
/// (`name` is a plain ASCII key, never escaped).
pub fn member(w: &mut dyn Write, name: &str, value: &impl Serialize) -> io::Result<()> {
    write!(w, "\"{name}\":")?;
    serde_json::to_writer(w, value).map_err(io::Error::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn written(frame: &Frame, units: usize, per_unit: impl Fn(usize) -> usize + Sync) -> (String, usize) {
        let mut out = Vec::new();
        let count = list(&mut out, frame, units, |i, r| {
            (0..per_unit(i)).try_for_each(|j| r.push(&format!("{i}.{j}")))
        })
        .unwrap();
        (String::from_utf8(out).unwrap(), count)
    }

    #[test]
    fn writes_arrays_one_record_a_line_whatever_units_hold() {
        assert_eq!(written(&ARRAY, 0, |_| 1), ("[]".into(), 0));
        assert_eq!(written(&ARRAY, 3, |_| 0), ("[]".into(), 0));
        assert_eq!(written(&ARRAY, 1, |_| 1), ("[\n\"0.0\"\n]".into(), 1));
        let (text, count) = written(&ARRAY, 4, |i| i % 3);
        assert_eq!(text, "[\n\"1.0\",\n\"2.0\",\n\"2.1\"\n]");
        assert_eq!(count, 3);
    }

    #[test]
    fn writes_json_lines_each_ended_by_a_line_break() {
        assert_eq!(written(&LINES, 2, |_| 0), (String::new(), 0));
        assert_eq!(written(&LINES, 3, |i| i), ("\"1.0\"\n\"2.0\"\n\"2.1\"\n".into(), 3));
    }

    #[test]
    fn writes_several_lists_from_one_pass_each_in_its_frame() {
        let units = BATCH + 3;
        let (mut a, mut b, mut c) = (Vec::new(), Vec::new(), Vec::new());
        let writers: [(&mut dyn Write, &Frame); 3] = [(&mut a, &ARRAY), (&mut b, &LINES), (&mut c, &ARRAY)];
        let counts = lists(writers, units, |i, [a, b, _]| {
            if i % 2 == 0 {
                a.push(&i)?;
            }
            b.push_with(|line| {
                line.extend_from_slice(format!("{{\"u\":{i}}}").as_bytes());
                Ok(())
            })
        })
        .unwrap();
        let evens: Vec<String> = (0..units).step_by(2).map(|i| i.to_string()).collect();
        assert_eq!(String::from_utf8(a).unwrap(), format!("[\n{}\n]", evens.join(",\n")));
        let lines: String = (0..units).map(|i| format!("{{\"u\":{i}}}\n")).collect();
        assert_eq!(String::from_utf8(b).unwrap(), lines);
        assert_eq!(String::from_utf8(c).unwrap(), "[]");
        assert_eq!(counts, [evens.len(), units, 0]);
    }

    #[test]
    fn writes_records_that_stream_lists_of_their_own() {
        let record = |i: usize, w: &mut dyn Write| -> io::Result<()> {
            write!(w, "{{\"n\":{i},\"list\":")?;
            list(w, &COMPACT, i * BATCH / 2, |j, r| r.push(&j))?;
            w.write_all(b"}")
        };
        for (frame, units) in [(&ARRAY, 0), (&ARRAY, 4), (&LINES, 3)] {
            let mut out = Vec::new();
            each(&mut out, frame, units, &record).unwrap();
            let whole: Vec<String> = (0..units)
                .map(|i| {
                    let list: Vec<usize> = (0..i * BATCH / 2).collect();
                    format!("{{\"n\":{i},\"list\":{}}}", serde_json::to_string(&list).unwrap())
                })
                .collect();
            let expected = match (frame.between, units) {
                (b"\n", _) => whole.iter().map(|r| format!("{r}\n")).collect(),
                (_, 0) => "[]".to_string(),
                _ => format!("[\n{}\n]", whole.join(",\n")),
            };
            assert_eq!(String::from_utf8(out).unwrap(), expected, "{units} units");
        }
    }

    #[test]
    fn keeps_the_order_across_batches() {
        let units = BATCH * 2 + 5;
        let (text, count) = written(&ARRAY, units, |i| usize::from(i % 7 != 0));
        let records: Vec<String> = (0..units)
            .filter(|i| i % 7 != 0)
            .map(|i| format!("\"{i}.0\""))
            .collect();
        assert_eq!(text, format!("[\n{}\n]", records.join(",\n")));
        assert_eq!(count, records.len());
    }
}
