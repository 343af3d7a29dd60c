//! Duplicate removal for `tm dedupe` (`Deduper`): two passes over a re-readable input, the
//! first finding the unit to keep of each group of duplicates, the second saying which to write;
//! keeping the first of each group needs one pass (`Deduper::judge_in_one_pass`), since no
//! later unit can displace it.
//!
//! Units are compared by every variant (its normalised language tag and its segment) with the
//! source first and the targets sorted, plus the source language, so variant order does not
//! matter but direction does. The levels, each including the one before: exact (segment
//! markup, inline tags included), normalised (Unicode NFC, white space folded, typographic
//! quotes, dashes and `…` folded to ASCII, invisible characters dropped), ignoring tags if
//! asked (the plain text, normalised) and ignoring case if asked (the normalised markup, or
//! plain text when ignoring tags, lower-cased). The group key is a 128-bit hash (two
//! SipHash-1-3 runs with different prefixes) of the most lenient level asked for; a removed
//! unit's reason is the strictest level at which it equals the unit kept. Memory: one 56-byte
//! entry per distinct key (the key, the winner's position, its date and score, 32-bit checks of
//! its stricter keys), never the units; reading twice, one bit per unit besides, marking the
//! units pass 1 kept, so that pass 2 makes keys only for the others (`Deduper::winners`).

use std::fmt;

use rustc_hash::FxHashMap;

pub(crate) use super::key::DuplicateReason;
use super::key::{halves, unit_hashes, unit_score};
use crate::unit::{Header, Unit};

/// Which unit of a group of duplicates survives.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Keep {
    /// The first in the file.
    #[default]
    First,
    /// The newest by `Unit::newest_date`; units without a readable date are oldest; ties go
    /// to the first.
    Newest,
    /// The highest `<prop type="x-score">`; a missing or unreadable score is lowest; ties go to
    /// the newest, then the first.
    BestScore,
}

/// How units are compared for `tm dedupe`: `ignore_tags` and `ignore_case` imply `normalize`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DedupeOptions {
    /// Compare after normalisation (whitespace, NBSP, quotes, dashes, NFC: see the module doc).
    pub normalize: bool,
    /// Compare plain text, inline tags dropped (implies `normalize`).
    pub ignore_tags: bool,
    /// Compare lower-cased (implies `normalize`; tags still count unless `ignore_tags`).
    pub ignore_case: bool,
    /// Which duplicate survives.
    pub keep: Keep,
}

/// What dedupe did: units seen and removed, by reason.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DedupeReport {
    /// Units observed in pass 1.
    pub observed: u64,
    /// Distinct keys (groups) found in pass 1.
    pub distinct: u64,
    /// Units checked in pass 2.
    pub checked: u64,
    /// Units kept.
    pub kept: u64,
    /// Removed: identical markup.
    pub exact: u64,
    /// Removed: identical after normalisation.
    pub normalized: u64,
    /// Removed: identical ignoring inline tags.
    pub ignoring_tags: u64,
    /// Removed: identical ignoring case.
    pub ignoring_case: u64,
    /// Units of pass 2 that pass 1 never saw (the input changed between passes); kept.
    pub unseen: u64,
}

impl DedupeReport {
    /// All units removed.
    pub(crate) fn removed(&self) -> u64 {
        self.exact + self.normalized + self.ignoring_tags + self.ignoring_case
    }

    /// True when pass 2 saw exactly the units pass 1 did (same count, none unseen).
    pub(crate) fn consistent(&self) -> bool {
        self.observed == self.checked && self.unseen == 0
    }
}

impl fmt::Display for DedupeReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} units, {} kept, {} removed ({} exact duplicates, {} after normalisation, {} \
             ignoring tags, {} ignoring case)",
            self.checked,
            self.kept,
            self.removed(),
            self.exact,
            self.normalized,
            self.ignoring_tags,
            self.ignoring_case
        )
    }
}

/// The unit kept so far for one key.
#[derive(Debug, Clone, Copy)]
struct Entry {
    /// Its position in pass 1 (0-based).
    winner: u64,
    /// Its newest date in Unix seconds (`i64::MIN` when none).
    date: i64,
    /// Its score (`-inf` when missing or unreadable).
    score: f64,
    /// The low 32 bits of its keys at the stricter levels, for the report's reasons.
    stricter: [u32; 3],
}

/// Two passes over a re-readable input: pass 1 [`observe`](Deduper::observe) every unit, then
/// [`finish_observing`](Deduper::finish_observing), pass 2 [`duplicate`](Deduper::duplicate)
/// says whether to write each unit (`None`: write it), in the same order; or, keeping the
/// first, one pass of [`judge_in_one_pass`](Deduper::judge_in_one_pass).
/// Memory: one compact entry per distinct key, not the units. Units are identified by their
/// position in each pass, so both passes must see the same sequence (see
/// [`DedupeReport::consistent`]); a unit pass 1 did not see is kept.
#[derive(Debug)]
pub(crate) struct Deduper {
    keep: Keep,
    keys: KeyMaker,
    groups: FxHashMap<[u64; 2], Entry>,
    observed: u64,
    report: DedupeReport,
}

/// The positions (in pass 1, from 0) of the units that won their group, a bit each.
#[derive(Debug)]
pub(crate) struct Winners(Vec<u64>);

impl Winners {
    /// True when the unit at `position` won its group.
    pub(crate) fn contains(&self, position: u64) -> bool {
        self.0
            .get((position / 64) as usize)
            .is_some_and(|word| word >> (position % 64) & 1 == 1)
    }
}

/// How a unit's keys are made: the levels compared and what they need (no state, so it can
/// hash units on several threads while the [`Deduper`] records them in order).
#[derive(Debug, Clone)]
pub(crate) struct KeyMaker {
    ignore_tags: bool,
    header: Header,
    /// The levels compared, strictest first; the last one keys the groups.
    levels: Vec<DuplicateReason>,
}

impl KeyMaker {
    /// The hashes of `unit`'s keys at each compared level.
    pub(crate) fn keys(&self, unit: &Unit) -> Vec<u128> {
        unit_hashes(unit, &self.header, &self.levels, self.ignore_tags)
    }
}

impl Deduper {
    /// A deduper for units read under `header` (for their source language).
    pub(crate) fn new(options: DedupeOptions, header: &Header) -> Deduper {
        let mut levels = vec![DuplicateReason::Exact];
        if options.normalize || options.ignore_tags || options.ignore_case {
            levels.push(DuplicateReason::Normalized);
        }
        if options.ignore_tags {
            levels.push(DuplicateReason::IgnoringTags);
        }
        if options.ignore_case {
            levels.push(DuplicateReason::IgnoringCase);
        }
        Deduper {
            keep: options.keep,
            keys: KeyMaker {
                ignore_tags: options.ignore_tags,
                header: Header {
                    srclang: header.srclang.clone(),
                    ..Header::default()
                },
                levels,
            },
            groups: FxHashMap::default(),
            observed: 0,
            report: DedupeReport::default(),
        }
    }

    /// What makes the keys of the units this deduper compares.
    pub(crate) fn key_maker(&self) -> KeyMaker {
        self.keys.clone()
    }

    /// Pass 1: notes `unit` (the next unit of the input).
    #[cfg(test)]
    pub(crate) fn observe(&mut self, unit: &Unit) {
        let keys = self.keys.keys(unit);
        self.observe_keyed(unit, &keys);
    }

    /// Pass 1: notes `unit` (the next unit of the input), whose keys
    /// ([`KeyMaker::keys`]) are `keys`.
    pub(crate) fn observe_keyed(&mut self, unit: &Unit, keys: &[u128]) {
        let position = self.observed;
        self.observed += 1;
        let Some((&group, stricter_keys)) = keys.split_last() else {
            return;
        };
        let mut stricter = [0u32; 3];
        for (slot, k) in stricter.iter_mut().zip(stricter_keys) {
            *slot = *k as u32;
        }
        let date = unit.newest_date().map_or(i64::MIN, |d| d.unix());
        let score = match (self.keep, unit_score(unit)) {
            (Keep::BestScore, Some(Ok(x))) => x,
            _ => f64::NEG_INFINITY,
        };
        let entry = Entry {
            winner: position,
            date,
            score,
            stricter,
        };
        let keep = self.keep;
        self.groups
            .entry(halves(group))
            .and_modify(|old| {
                let better = match keep {
                    Keep::First => false,
                    Keep::Newest => date > old.date,
                    Keep::BestScore => score > old.score || (score == old.score && date > old.date),
                };
                if better {
                    *old = entry;
                }
            })
            .or_insert(entry);
    }

    /// Ends pass 1: frees spare capacity and readies pass 2.
    pub(crate) fn finish_observing(&mut self) {
        self.groups.shrink_to_fit();
        self.report = DedupeReport {
            observed: self.observed,
            distinct: self.groups.len() as u64,
            ..DedupeReport::default()
        };
    }

    /// Pass 2: `None` when `unit` (the next unit of the input) is kept, else why it is removed.
    #[cfg(test)]
    pub(crate) fn duplicate(&mut self, unit: &Unit) -> Option<DuplicateReason> {
        let keys = self.keys.keys(unit);
        self.duplicate_keyed(&keys)
    }

    /// Pass 2: the position of the next unit, counted as checked.
    fn next_checked(&mut self) -> u64 {
        if self.report.checked == 0 && self.report.observed != self.observed {
            self.finish_observing();
        }
        let position = self.report.checked;
        self.report.checked += 1;
        position
    }

    /// The positions of the units pass 1 kept, one bit each: pass 2 keeps them
    /// ([`Deduper::keep_winner`]) without making their keys again.
    pub(crate) fn winners(&self) -> Winners {
        let mut bits = vec![0u64; self.observed.div_ceil(64) as usize];
        for e in self.groups.values() {
            if let Some(word) = bits.get_mut((e.winner / 64) as usize) {
                *word |= 1 << (e.winner % 64);
            }
        }
        Winners(bits)
    }

    /// Pass 2: keeps the next unit, which [`Deduper::winners`] holds: `None`, as
    /// [`Deduper::duplicate_keyed`] says of it given its keys.
    pub(crate) fn keep_winner(&mut self) -> Option<DuplicateReason> {
        self.next_checked();
        self.report.kept += 1;
        None
    }

    /// [`Deduper::duplicate`] for a unit whose keys ([`KeyMaker::keys`]) are `keys`.
    pub(crate) fn duplicate_keyed(&mut self, keys: &[u128]) -> Option<DuplicateReason> {
        let position = self.next_checked();
        let entry = keys.last().and_then(|k| self.groups.get(&halves(*k)));
        let reason = match entry {
            None => {
                self.report.unseen += 1;
                None
            }
            Some(e) if e.winner == position => None,
            Some(e) => {
                let last = self.keys.levels.len() - 1;
                let at = (0..last)
                    .find(|&i| keys[i] as u32 == e.stricter[i])
                    .unwrap_or(last);
                Some(self.keys.levels[at])
            }
        };
        match reason {
            None => self.report.kept += 1,
            Some(DuplicateReason::Exact) => self.report.exact += 1,
            Some(DuplicateReason::Normalized) => self.report.normalized += 1,
            Some(DuplicateReason::IgnoringTags) => self.report.ignoring_tags += 1,
            Some(DuplicateReason::IgnoringCase) => self.report.ignoring_case += 1,
        }
        reason
    }

    /// The only pass when the first of each group is kept ([`Keep::First`]): notes `unit` (the
    /// next unit of the input, whose keys are `keys`) and says at once what pass 2 would: `None`
    /// when it is kept, else why it is removed. The input is read once.
    pub(crate) fn judge_in_one_pass(
        &mut self,
        unit: &Unit,
        keys: &[u128],
    ) -> Option<DuplicateReason> {
        debug_assert_eq!(
            self.keep,
            Keep::First,
            "a later unit could displace the winner"
        );
        debug_assert_eq!(self.observed, self.report.checked, "one pass, not two");
        self.observe_keyed(unit, keys);
        // Observed and checked advance together: nothing marks an end of observing.
        self.report.observed = self.observed;
        self.duplicate_keyed(keys)
    }

    /// Pass 2: whether to write `unit` ([`duplicate`](Deduper::duplicate) is `None`).
    #[cfg(test)]
    pub(crate) fn keeps(&mut self, unit: &Unit) -> bool {
        self.duplicate(unit).is_none()
    }

    /// What was removed so far, by reason.
    pub(crate) fn report(&self) -> DedupeReport {
        let mut r = self.report.clone();
        r.observed = self.observed;
        r.distinct = self.groups.len() as u64;
        r
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tm::test_units::{header, pair, read, unit, with_date, with_score};
    use crate::unit::Date;

    /// Runs both dedupe passes; the numbers of the units kept, and the report. Keeping the
    /// first, the one pass `tm dedupe` makes must give the same reasons and report.
    fn dedupe(
        units: &[Unit],
        options: DedupeOptions,
    ) -> (Vec<u64>, Vec<Option<DuplicateReason>>, DedupeReport) {
        let h = header();
        let mut d = Deduper::new(options, &h);
        for u in units {
            d.observe(u);
        }
        d.finish_observing();
        let reasons: Vec<_> = units.iter().map(|u| d.duplicate(u)).collect();
        if options.keep == Keep::First {
            let mut one = Deduper::new(options, &h);
            let maker = one.key_maker();
            let in_one_pass: Vec<_> = units
                .iter()
                .map(|u| one.judge_in_one_pass(u, &maker.keys(u)))
                .collect();
            assert_eq!(in_one_pass, reasons, "{options:?}");
            assert_eq!(one.report(), d.report(), "{options:?}");
        }
        let kept = units
            .iter()
            .zip(&reasons)
            .filter(|(_, r)| r.is_none())
            .map(|(u, _)| u.number)
            .collect();
        (kept, reasons, d.report())
    }

    #[test]
    fn exact_dedupe_keeps_the_first_and_counts_exact_duplicates() {
        let units = [
            pair(1, "Hello.", "Привет."),
            pair(2, "Hello.", "Привет."),
            pair(3, "Hello. ", "Привет."),
            pair(4, "Hello.", "Здравствуйте."),
            unit(5, &[("ru_RU", "Привет."), ("en_us", "Hello.")]),
        ];
        let (kept, reasons, report) = dedupe(&units, DedupeOptions::default());
        // Variant order and tag spelling do not matter; a trailing space and another target do.
        assert_eq!(kept, [1, 3, 4]);
        assert_eq!(reasons[1], Some(DuplicateReason::Exact));
        assert_eq!(reasons[4], Some(DuplicateReason::Exact));
        assert_eq!((report.exact, report.removed(), report.kept), (2, 2, 3));
        assert_eq!(
            (report.observed, report.checked, report.distinct),
            (5, 5, 3)
        );
        assert!(report.consistent());
    }

    #[test]
    fn direction_is_part_of_the_key() {
        let a = pair(1, "Hello.", "Привет.");
        let mut b = unit(2, &[("ru-RU", "Привет."), ("en-US", "Hello.")]);
        b.srclang = Some("ru-RU".into());
        let (kept, _, _) = dedupe(&[a, b], DedupeOptions::default());
        assert_eq!(kept, [1, 2]);
    }

    #[test]
    fn each_level_reports_its_own_reason() {
        let (units, _) = read(concat!(
            "<tu><tuv xml:lang=\"en-US\"><seg>Press <ph x=\"1\">&lt;b&gt;</ph>OK now</seg></tuv>",
            "<tuv xml:lang=\"ru-RU\"><seg>Нажмите <ph x=\"1\">&lt;b&gt;</ph>OK</seg></tuv></tu>\n",
            // 2: exact duplicate of 1
            "<tu><tuv xml:lang=\"en-US\"><seg>Press <ph x=\"1\">&lt;b&gt;</ph>OK now</seg></tuv>",
            "<tuv xml:lang=\"ru-RU\"><seg>Нажмите <ph x=\"1\">&lt;b&gt;</ph>OK</seg></tuv></tu>\n",
            // 3: NBSP and a double space
            "<tu><tuv xml:lang=\"en-US\"><seg>Press\u{A0}<ph x=\"1\">&lt;b&gt;</ph>OK  now</seg></tuv>",
            "<tuv xml:lang=\"ru-RU\"><seg>Нажмите <ph x=\"1\">&lt;b&gt;</ph>OK</seg></tuv></tu>\n",
            // 4: no tag
            "<tu><tuv xml:lang=\"en-US\"><seg>Press OK now</seg></tuv>",
            "<tuv xml:lang=\"ru-RU\"><seg>Нажмите OK</seg></tuv></tu>\n",
            // 5: case
            "<tu><tuv xml:lang=\"en-US\"><seg>press ok NOW</seg></tuv>",
            "<tuv xml:lang=\"ru-RU\"><seg>нажмите ok</seg></tuv></tu>\n",
        ));
        let reasons = |o: DedupeOptions| dedupe(&units, o).1;
        use DuplicateReason::*;
        assert_eq!(
            reasons(DedupeOptions::default()),
            [None, Some(Exact), None, None, None]
        );
        let normalize = DedupeOptions {
            normalize: true,
            ..DedupeOptions::default()
        };
        assert_eq!(
            reasons(normalize),
            [None, Some(Exact), Some(Normalized), None, None]
        );
        let tags = DedupeOptions {
            ignore_tags: true,
            ..DedupeOptions::default()
        };
        assert_eq!(
            reasons(tags),
            [
                None,
                Some(Exact),
                Some(Normalized),
                Some(IgnoringTags),
                None
            ]
        );
        let case = DedupeOptions {
            ignore_case: true,
            ignore_tags: true,
            ..DedupeOptions::default()
        };
        let (kept, r, report) = dedupe(&units, case);
        assert_eq!(kept, [1]);
        assert_eq!(
            r,
            [
                None,
                Some(Exact),
                Some(Normalized),
                Some(IgnoringTags),
                Some(IgnoringCase)
            ]
        );
        assert_eq!(
            (
                report.exact,
                report.normalized,
                report.ignoring_tags,
                report.ignoring_case
            ),
            (1, 1, 1, 1)
        );
        // Case alone (tags kept) still groups 4 and 5, not 1 and 4.
        let case_only = DedupeOptions {
            ignore_case: true,
            ..DedupeOptions::default()
        };
        assert_eq!(
            reasons(case_only),
            [
                None,
                Some(Exact),
                Some(Normalized),
                None,
                Some(IgnoringCase)
            ]
        );
        assert!(report.to_string().contains("4 removed"), "{report}");
    }

    #[test]
    fn keep_newest_prefers_the_latest_date_and_the_first_on_ties() {
        let units = [
            pair(1, "A", "Б"),
            with_date(pair(2, "A", "Б"), "20200101T000000Z"),
            with_date(pair(3, "A", "Б"), "2023-05-01"),
            with_date(pair(4, "A", "Б"), "20230501T000000Z"),
            with_date(pair(5, "A", "Б"), "not a date"),
        ];
        let newest = DedupeOptions {
            keep: Keep::Newest,
            ..DedupeOptions::default()
        };
        assert_eq!(dedupe(&units, newest).0, [3]);
        // Creation date counts when newer than the change date.
        let mut c = pair(6, "A", "Б");
        c.creationdate = Some(Date::parse("20240101T000000Z"));
        let mut all = units.to_vec();
        all.push(c);
        assert_eq!(dedupe(&all, newest).0, [6]);
        // No dates at all: the first.
        let undated = [pair(1, "A", "Б"), pair(2, "A", "Б")];
        assert_eq!(dedupe(&undated, newest).0, [1]);
    }

    #[test]
    fn keep_best_score_breaks_ties_by_date_then_position() {
        let best = DedupeOptions {
            keep: Keep::BestScore,
            ..DedupeOptions::default()
        };
        let units = [
            pair(1, "A", "Б"),
            with_score(pair(2, "A", "Б"), "0.5"),
            with_score(pair(3, "A", "Б"), "0.9"),
            with_score(pair(4, "A", "Б"), "bad"),
            with_score(pair(5, "A", "Б"), "0.7"),
        ];
        assert_eq!(dedupe(&units, best).0, [3]);
        let ties = [
            with_score(pair(1, "A", "Б"), "0.9"),
            with_date(with_score(pair(2, "A", "Б"), "0.9"), "20200101T000000Z"),
            with_date(with_score(pair(3, "A", "Б"), "0.9"), "20220101T000000Z"),
            with_date(with_score(pair(4, "A", "Б"), "0.9"), "20220101T000000Z"),
        ];
        assert_eq!(dedupe(&ties, best).0, [3]);
        // Unscored and unreadable are equally lowest: the first of them.
        let none = [pair(1, "A", "Б"), with_score(pair(2, "A", "Б"), "x")];
        assert_eq!(dedupe(&none, best).0, [1]);
        // A negative score still beats a missing one.
        let neg = [pair(1, "A", "Б"), with_score(pair(2, "A", "Б"), "-3")];
        assert_eq!(dedupe(&neg, best).0, [2]);
    }

    #[test]
    fn multi_variant_units_dedupe_on_all_variants() {
        let units = [
            unit(1, &[("en", "Yes"), ("ru", "Да"), ("de", "Ja")]),
            unit(2, &[("en", "Yes"), ("de", "Ja"), ("ru", "Да")]),
            unit(3, &[("en", "Yes"), ("ru", "Да")]),
            unit(4, &[("en", "Yes"), ("ru", "Да"), ("de", "Jawohl")]),
        ];
        let mut d = Deduper::new(DedupeOptions::default(), &Header::default());
        units.iter().for_each(|u| d.observe(u));
        let kept: Vec<bool> = units.iter().map(|u| d.keeps(u)).collect();
        assert_eq!(kept, [true, false, true, true]);
    }

    #[test]
    fn a_changed_second_pass_keeps_what_it_did_not_see() {
        let mut d = Deduper::new(DedupeOptions::default(), &header());
        d.observe(&pair(1, "A", "Б"));
        d.finish_observing();
        assert!(d.keeps(&pair(1, "A", "Б")));
        assert!(d.keeps(&pair(2, "C", "Д")));
        // Still a duplicate of the unit kept at position 0.
        assert!(!d.keeps(&pair(3, "A", "Б")));
        let r = d.report();
        assert_eq!((r.unseen, r.checked, r.observed), (1, 3, 1));
        assert!(!r.consistent());
    }

    #[test]
    fn reasons_compare_with_the_unit_kept_not_the_first() {
        let newest = DedupeOptions {
            normalize: true,
            keep: Keep::Newest,
            ..DedupeOptions::default()
        };
        let units = [
            pair(1, "Hello  world", "Мир"),
            pair(2, "Other", "Другое"),
            pair(3, "Hello  world", "Мир"),
            with_date(pair(4, "Hello world", "Мир"), "20240101T000000Z"),
            with_date(pair(5, "Other", "Другое"), "20200101T000000Z"),
        ];
        let (kept, reasons, report) = dedupe(&units, newest);
        assert_eq!(kept, [4, 5]);
        use DuplicateReason::*;
        assert_eq!(
            reasons,
            [Some(Normalized), Some(Exact), Some(Normalized), None, None]
        );
        assert_eq!(
            (report.exact, report.normalized, report.distinct),
            (1, 2, 2)
        );
    }

    #[test]
    fn a_dedupe_entry_is_as_small_as_documented() {
        assert_eq!(std::mem::size_of::<([u64; 2], Entry)>(), 56);
    }
}
