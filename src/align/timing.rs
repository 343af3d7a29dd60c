//! Subtitle timing as alignment evidence.
//!
//! Two subtitle files of one film show a line and its translation at about the same moment,
//! up to a constant delay and, between releases of different frame rates, a constant speed
//! ratio (a 25 fps PAL release against 23.976 fps film runs 4.3% fast). `TimeMap::estimate`
//! finds that linear map from the cue start times: for each common frame-rate ratio, every
//! pair of nearby cue starts votes for the delay it implies, and the map under which the most
//! cue starts meet a cue start of the other file wins (the offset-histogram idea of subtitle
//! synchronisers, restricted to the few speed ratios releases actually differ by).
//!
//! `Timeline` then gives each sentence one key per second its cue is shown, in the target
//! file's time: sentences shown at the same time share keys, which the cost model weighs by
//! inverse document frequency like any anchor (`super::cost`). A second counts for a cue when
//! the cue covers the middle of it, so two cues that follow each other share no second.
//! Keys reward what is shown together; `BeadTimes::cost` charges what is not: a sentence
//! shown outside the time of the sentences it is linked with (an interjection the translator
//! left unsubtitled, merged into its neighbour's link).

use super::anchors::KeyBuf;
use crate::read::input::CueTime;
use crate::split::SplitDocument;

/// The first character of a time key.
pub(crate) const TIME_KEY: char = '%';

/// Speed ratios between releases: equal, PAL (25 fps) against film (23.976 or 24 fps), and
/// NTSC (29.97 fps) against 30 fps, each way.
const SPEED_RATIOS: [f64; 7] = [
    1.0,
    25.0 / 23.976,
    23.976 / 25.0,
    25.0 / 24.0,
    24.0 / 25.0,
    30.0 / 29.97,
    29.97 / 30.0,
];

/// The longest delay between the two files considered (ms).
const MAX_DELAY_MS: f64 = 60_000.0;

/// Width of a delay bin in the vote (ms).
const BIN_MS: f64 = 200.0;

/// A cue start meets one of the other file when the map brings it this close (ms).
const MEET_MS: f64 = 400.0;

/// Width of the time slots sentences are keyed by (ms).
const SLOT_MS: f64 = 1000.0;

/// A linear map from the source file's time to the target file's: `t' = scale t + delay`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TimeMap {
    /// Speed ratio (1 when both files run at one speed).
    pub scale: f64,
    /// Delay in milliseconds, after scaling.
    pub delay: f64,
}

impl TimeMap {
    /// Maps a source time (ms) into the target's time.
    fn apply(&self, t: f64) -> f64 {
        self.scale * t + self.delay
    }

    /// The map under which the most source cue starts meet a target cue start, or `None` when
    /// fewer than 30% of the shorter file's cues (and fewer than three, or all of a shorter
    /// file) meet: the files do not share a timeline (or are not subtitles of one film).
    pub(crate) fn estimate(src: &[CueTime], tgt: &[CueTime]) -> Option<TimeMap> {
        if src.is_empty() || tgt.is_empty() {
            return None;
        }
        let mut targets: Vec<f64> = tgt.iter().map(|c| c.start as f64).collect();
        targets.sort_by(f64::total_cmp);
        let bins = (2.0 * MAX_DELAY_MS / BIN_MS) as usize + 1;
        let mut votes = vec![0u32; bins];
        let mut best: Option<(usize, TimeMap)> = None;
        for &scale in &SPEED_RATIOS {
            votes.iter_mut().for_each(|v| *v = 0);
            for cue in src {
                let x = scale * cue.start as f64;
                for &t in near(&targets, x, MAX_DELAY_MS) {
                    let bin = ((t - x + MAX_DELAY_MS) / BIN_MS).round() as usize;
                    if let Some(v) = votes.get_mut(bin) {
                        *v += 1;
                    }
                }
            }
            // The bin with the most votes, counting its neighbours (a delay on a bin edge).
            let Some(top) = (0..bins).max_by_key(|&b| {
                let around = b.saturating_sub(1)..(b + 2).min(bins);
                (votes[around].iter().sum::<u32>(), std::cmp::Reverse(b))
            }) else {
                continue;
            };
            let rough = top as f64 * BIN_MS - MAX_DELAY_MS;
            // The median of the delays near the winning bin.
            let mut delays: Vec<f64> = src
                .iter()
                .flat_map(|cue| {
                    let x = scale * cue.start as f64;
                    near(&targets, x + rough, 1.5 * BIN_MS)
                        .iter()
                        .map(move |&t| t - x)
                })
                .collect();
            if delays.is_empty() {
                continue;
            }
            delays.sort_by(f64::total_cmp);
            let map = TimeMap {
                scale,
                delay: delays[delays.len() / 2],
            };
            let met = src
                .iter()
                .filter(|cue| !near(&targets, map.apply(cue.start as f64), MEET_MS).is_empty())
                .count();
            if best.is_none_or(|(most, _)| met > most) {
                best = Some((met, map));
            }
        }
        let (met, map) = best?;
        let shorter = src.len().min(tgt.len());
        (met >= shorter.min(3) && 10 * met >= 3 * shorter).then_some(map)
    }
}

impl std::fmt::Display for TimeMap {
    /// `target time = source time × 1.0427 + 1.80 s`, the factor left out when it is 1.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "target time = source time")?;
        if self.scale != 1.0 {
            write!(f, " × {:.4}", self.scale)?;
        }
        let sign = if self.delay < 0.0 { '-' } else { '+' };
        write!(f, " {sign} {:.2} s", self.delay.abs() / 1000.0)
    }
}

/// The sorted times in `[x - radius, x + radius]`.
fn near(sorted: &[f64], x: f64, radius: f64) -> &[f64] {
    let from = sorted.partition_point(|&t| t < x - radius);
    let to = sorted.partition_point(|&t| t <= x + radius);
    &sorted[from..to.max(from)]
}

/// When each sentence of both sides is shown, in the target file's time, for the bead cost.
pub(crate) struct BeadTimes {
    /// `shown[side][i]`: the interval (ms) of sentence `i`'s cue, if it is in a cue.
    shown: [Vec<Option<(f64, f64)>>; 2],
    /// Nats per sentence shown wholly outside the bead's other side.
    weight: f64,
}

impl BeadTimes {
    /// The sentence times of a document pair on one timeline.
    pub fn new(lines: &[Timeline; 2], docs: [&SplitDocument; 2], weight: f64) -> BeadTimes {
        let shown = [0, 1].map(|k| {
            docs[k]
                .sentences
                .iter()
                .map(|s| lines[k].shown.get(s.paragraph).copied().flatten())
                .collect()
        });
        BeadTimes { shown, weight }
    }

    /// The cost of linking source sentences `i..i + a` with target sentences `j..j + b`
    /// (both non-empty): for each sentence, the share of its showing that falls outside the
    /// other side's time (from its first cue's start to its last cue's end, widened by the
    /// [`MEET_MS`] tolerance), times the weight. Sentences without a time count nothing.
    pub fn cost(&self, i: usize, a: usize, j: usize, b: usize) -> f64 {
        let (Some(src), Some(tgt)) = (self.shown[0].get(i..i + a), self.shown[1].get(j..j + b))
        else {
            return 0.0;
        };
        let (Some(s), Some(t)) = (hull(src), hull(tgt)) else {
            return 0.0;
        };
        self.weight * (outside(src, t) + outside(tgt, s))
    }
}

/// The interval from the earliest start to the latest end of the timed sentences.
fn hull(shown: &[Option<(f64, f64)>]) -> Option<(f64, f64)> {
    shown.iter().flatten().fold(None, |acc, &(from, to)| {
        Some(acc.map_or((from, to), |(a, b): (f64, f64)| (a.min(from), b.max(to))))
    })
}

/// The summed share of each timed sentence's showing that lies outside `within` widened by
/// [`MEET_MS`] on both ends.
fn outside(shown: &[Option<(f64, f64)>], within: (f64, f64)) -> f64 {
    let (lo, hi) = (within.0 - MEET_MS, within.1 + MEET_MS);
    shown
        .iter()
        .flatten()
        .map(|&(from, to)| {
            let length = to - from;
            if length <= 0.0 {
                return f64::from(u8::from(from < lo || from > hi));
            }
            let overlap = (to.min(hi) - from.max(lo)).max(0.0);
            1.0 - overlap / length
        })
        .sum()
}

/// When each paragraph of one side is shown, in the target file's time.
pub(crate) struct Timeline {
    /// `shown[p]`: the interval (ms) of paragraph `p`'s cue, if it is a cue.
    shown: Vec<Option<(f64, f64)>>,
    /// The map from the source's time into the target's (the identity for the target).
    map: TimeMap,
}

impl Timeline {
    /// The timelines of both sides when both are subtitles that share a timeline
    /// (`TimeMap::estimate`); `None` otherwise.
    pub fn pair(src: &SplitDocument, tgt: &SplitDocument) -> Option<[Timeline; 2]> {
        let map = TimeMap::estimate(&src.cues, &tgt.cues)?;
        let identity = TimeMap {
            scale: 1.0,
            delay: 0.0,
        };
        Some([Timeline::new(src, map), Timeline::new(tgt, identity)])
    }

    fn new(doc: &SplitDocument, map: TimeMap) -> Timeline {
        let paragraphs = doc.sentences.last().map_or(0, |s| s.paragraph + 1);
        let mut shown = vec![None; paragraphs];
        for cue in &doc.cues {
            if let Some(slot) = shown.get_mut(cue.paragraph) {
                let (from, to) = (cue.start as f64, cue.end.max(cue.start) as f64);
                *slot = Some((map.apply(from), map.apply(to)));
            }
        }
        Timeline { shown, map }
    }

    /// The map from the source's time into the target's this timeline was made with.
    pub fn map(&self) -> TimeMap {
        self.map
    }

    /// Appends the time keys of a sentence of paragraph `paragraph`: one per slot whose middle
    /// its cue covers, or the slot of the cue's middle for a cue shorter than a slot.
    pub fn keys_into(&self, paragraph: usize, out: &mut KeyBuf) {
        let Some(&Some((from, to))) = self.shown.get(paragraph) else {
            return;
        };
        let first = (from / SLOT_MS - 0.5).ceil() as i64;
        let last = (to / SLOT_MS - 0.5).floor() as i64;
        let slots = if first <= last {
            first..=last
        } else {
            let middle = ((from + to) / 2.0 / SLOT_MS).floor() as i64;
            middle..=middle
        };
        let mut key = String::new();
        for slot in slots {
            use std::fmt::Write;
            key.clear();
            key.push(TIME_KEY);
            let _ = write!(key, "{slot}");
            out.push(&key);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cues(times: &[(u64, u64)]) -> Vec<CueTime> {
        times
            .iter()
            .enumerate()
            .map(|(paragraph, &(start, end))| CueTime {
                paragraph,
                start,
                end,
            })
            .collect()
    }

    /// Cue times of a made-up film: irregular gaps and lengths.
    fn film(n: usize) -> Vec<(u64, u64)> {
        let mut t = 2_000u64;
        (0..n)
            .map(|k| {
                let length = 1_200 + (k as u64 * 7_919) % 4_000;
                let start = t;
                t += length + 200 + (k as u64 * 104_729) % 3_000;
                (start, start + length)
            })
            .collect()
    }

    #[test]
    fn equal_timings_map_to_themselves() {
        let times = cues(&film(50));
        let map = TimeMap::estimate(&times, &times).expect("a map");
        assert_eq!(map.scale, 1.0);
        assert!(map.delay.abs() < 1.0, "{map:?}");
    }

    #[test]
    fn a_delay_and_a_frame_rate_change_are_found() {
        let src = film(80);
        let scale = 25.0 / 23.976;
        let tgt: Vec<(u64, u64)> = src
            .iter()
            .map(|&(a, b)| {
                let f = |t: u64| (scale * t as f64 + 2_500.0).round() as u64;
                (f(a), f(b))
            })
            .collect();
        let map = TimeMap::estimate(&cues(&src), &cues(&tgt)).expect("a map");
        assert!((map.scale - scale).abs() < 1e-9, "{map:?}");
        assert!((map.delay - 2_500.0).abs() < 5.0, "{map:?}");
    }

    #[test]
    fn unrelated_timings_have_no_map() {
        let src = film(60);
        // Another film's rhythm: regular cues every 2.9 s, 1.1 s long.
        let tgt: Vec<(u64, u64)> = (0..60).map(|k| (k * 2_900, k * 2_900 + 1_100)).collect();
        assert_eq!(TimeMap::estimate(&cues(&src), &cues(&tgt)), None);
        assert_eq!(TimeMap::estimate(&[], &cues(&tgt)), None);
    }

    #[test]
    fn consecutive_cues_share_no_key_and_a_cue_shares_with_its_translation() {
        use crate::read::input::{Block, BlockKind};
        use crate::read::Document;
        let doc = |texts: &[(&str, u64, u64)]| {
            let blocks: Vec<Block> = texts
                .iter()
                .map(|&(t, start, end)| Block::new(BlockKind::Cue { start, end }, t))
                .collect();
            crate::split::lines(Document::from_blocks("s.srt", &blocks))
        };
        let src = doc(&[
            ("One.", 1_000, 3_400),
            ("Two.", 3_500, 4_200),
            ("Three.", 9_000, 9_300),
        ]);
        let tgt = doc(&[
            ("Раз.", 1_050, 3_300),
            ("Два.", 3_450, 4_300),
            ("Три.", 9_020, 9_310),
        ]);
        let [s, t] = Timeline::pair(&src, &tgt).expect("one timeline");
        let keys = |line: &Timeline, p: usize| {
            let mut buf = KeyBuf::new();
            line.keys_into(p, &mut buf);
            buf.iter().map(str::to_string).collect::<Vec<_>>()
        };
        assert_eq!(keys(&s, 0), ["%1", "%2"]);
        assert_eq!(keys(&s, 1), ["%3"]);
        assert_eq!(keys(&s, 2), ["%9"]);
        assert_eq!(keys(&t, 0), keys(&s, 0));
        assert_eq!(keys(&t, 1), keys(&s, 1));
        assert_eq!(keys(&t, 2), keys(&s, 2));
        assert!(keys(&s, 0).iter().all(|k| !keys(&s, 1).contains(k)));
        let times = BeadTimes::new(&[s, t], [&src, &tgt], 4.0);
        // Shown together: nothing to pay; a 2-1 taking a cue shown 5 s later pays for it whole.
        assert_eq!(times.cost(0, 1, 0, 1), 0.0);
        assert_eq!(times.cost(0, 2, 0, 2), 0.0);
        assert!((times.cost(1, 2, 1, 1) - 4.0).abs() < 1e-9);
        assert!(times.cost(0, 1, 1, 1) > 4.0);
    }
}
