//! The `bitext tm` commands as library functions: each streams units from its inputs through one
//! operation into outputs written under the [`crate::io::output`] policy (a regular file through a
//! temporary file renamed into place only when everything was written, never over an input or
//! another output, write-protected files only when forced; a device, FIFO or `-` in place).
//!
//! Memory stays bounded by one unit at a time plus what the operation must remember: nothing for
//! [`convert`], [`merge`] and [`filter`]; one compact entry per distinct key for [`dedupe`],
//! which reads its input once keeping the first of each duplicate group, else twice (first to
//! find the unit to keep of each group, then to write); the counters of [`stats`]. Warnings
//! (reader, writer, operation) go to a sink as they arise, so a multi-gigabyte memory with many
//! problems does not pile them up. Units are read ahead on other threads (`Prefetch`), a TMX
//! file parsed in parts where the command's own work leaves cores idle.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::dedupe::{DedupeOptions, DedupeReport, Deduper, Keep};
use super::filter::{Filter, FilterOptions, FilterReport, Reason};
use super::lookup::{Index, Stamp};
use super::merge::{reconcile_header_langs, reconcile_langs};
use super::prefetch::{Item, Parsing, Prefetch};
use super::stats::Stats;
use crate::error::{Error, Result, Warning, WarningSink};
use crate::formats::{Format, InputOptions, OutputOptions, UnitReader, UnitWriter};
use crate::io::output::{commit_all, Output, OutputPlan, OutputPolicy};
use crate::unit::{Header, Prop, Unit};

/// The `<prop type>` that records which file a merged unit came from.
pub(crate) const SOURCE_FILE_PROP: &str = "x-source-file";
/// The `<prop type>` that records why `filter` or `dedupe` removed a unit.
pub(crate) const REJECTED_PROP: &str = "x-rejected";

/// What a command read and wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// Units read from the inputs.
    pub read: u64,
    /// Units written to the output.
    pub written: u64,
    /// Units the writer skipped (empty once cleaned, a language missing; each warned).
    pub skipped: u64,
    /// Units the operation removed (filtered out or duplicates).
    pub removed: u64,
    /// Units written to the rejected file.
    pub rejected_written: u64,
    /// True when the command had a rejected file (`--rejected`).
    pub rejected_file: bool,
    /// Warnings sent to the sink.
    pub warnings: u64,
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} unit(s) read, {} written", self.read, self.written)?;
        if self.removed > 0 {
            write!(f, ", {} removed", self.removed)?;
        }
        if self.rejected_file {
            write!(f, ", {} to the rejected file", self.rejected_written)?;
            if self.rejected_written < self.removed {
                write!(
                    f,
                    " ({} removed unit(s) NOT in it: see the warnings)",
                    self.removed - self.rejected_written
                )?;
            }
        }
        if self.skipped > 0 {
            write!(f, ", {} skipped by the writer", self.skipped)?;
        }
        write!(f, ", {} warning(s)", self.warnings)
    }
}

/// Reader and writer settings shared by the commands that write a memory.
#[derive(Debug, Clone, Default)]
pub struct IoOptions {
    /// How inputs are read.
    pub input: InputOptions,
    /// How the output is written.
    pub output: OutputOptions,
    /// Which outputs may be replaced (`--force`).
    pub output_policy: OutputPolicy,
}

/// `bitext tm convert`: one memory to another format (TMX 1.1-1.4, TSV, CSV, JSON lines in;
/// TMX 1.4b, TSV, CSV, JSON lines out).
pub fn convert(
    input: &Path,
    output: &Path,
    options: &IoOptions,
    warn: WarningSink<'_>,
) -> Result<Summary> {
    let reader = UnitReader::open(input, &options.input)?;
    let header = reader.header().clone();
    // Parsing on the other threads (a TMX file in parts), writing on this one.
    let mut reader = Prefetch::new(reader, Parsing::InParts);
    let mut run = Run::new(warn);
    write_output(output, &[input], &header, options, |writer| {
        run.each(&mut reader, |run, unit| run.write(writer, unit, output))?;
        run.drain(writer.end_warnings());
        Ok(())
    })?;
    Ok(run.summary)
}

/// `bitext tm merge`: one memory from many, every language tag normalised (`en_US`, `EN-US`,
/// `en-us` -> `en-US`, each rewritten tag warned once per file); with `provenance`, each unit
/// gets a `<prop type="x-source-file">` naming its file (replacing one it already had).
///
/// The output's header is the first input's, with a normalised `srclang`; a unit whose source
/// language differs from it (another file's) keeps its own as a per-unit `srclang`. When the
/// files disagree on the source language the header says `*all*`.
pub fn merge(
    inputs: &[PathBuf],
    output: &Path,
    options: &IoOptions,
    provenance: bool,
    warn: WarningSink<'_>,
) -> Result<Summary> {
    let Some(first) = inputs.first() else {
        return Err(Error::usage("tm merge needs at least one input"));
    };
    // Open every input first: a missing or unreadable file fails before anything is written,
    // and the header's source language can be settled.
    let mut opened = Vec::with_capacity(inputs.len());
    for path in inputs {
        opened.push(UnitReader::open(path, &options.input)?);
    }
    let mut header = opened
        .first()
        .map(|r| r.header().clone())
        .ok_or_else(|| Error::usage(format!("cannot read {}", first.display())))?;
    reconcile_header_langs(&mut header);
    let sources: Vec<Option<String>> = opened
        .iter()
        .map(|r| r.header().srclang.as_deref().map(normalized))
        .collect();
    let headers: Vec<Header> = opened.iter().map(|r| r.header().clone()).collect();
    // Each file is read ahead on its own thread when its turn comes.
    let mut readers = opened.into_iter();
    header.srclang = match sources.first().cloned().flatten() {
        Some(lang) if sources.iter().all(|s| s.as_deref() == Some(lang.as_str())) => Some(lang),
        _ => Some("*all*".to_string()),
    };
    let input_paths: Vec<&Path> = inputs.iter().map(PathBuf::as_path).collect();
    let mut run = Run::new(warn);
    write_output(output, &input_paths, &header, options, |writer| {
        for ((reader, file_header), path) in readers.by_ref().zip(headers).zip(inputs) {
            let mut reader = Prefetch::new(reader, Parsing::InParts);
            let file_source = file_header.srclang.as_deref().map(normalized);
            let mut rewritten: Vec<(String, String)> = Vec::new();
            let name = path.display().to_string();
            run.each(&mut reader, |run, unit| {
                if unit.srclang.is_none() {
                    // The file's source language travels with the unit when the merged header
                    // does not state it.
                    if file_source.is_some() && file_source != header.srclang {
                        unit.srclang.clone_from(&file_source);
                    }
                }
                for (from, to) in reconcile_langs(unit) {
                    if !rewritten.iter().any(|(f, _)| *f == from) {
                        (run.warn)(Warning::new(
                            name.clone(),
                            format!("language tag '{from}' read as '{to}'"),
                        ));
                        run.summary.warnings += 1;
                        rewritten.push((from, to));
                    }
                }
                if provenance {
                    unit.props.retain(|p| p.kind != SOURCE_FILE_PROP);
                    unit.props.push(Prop {
                        kind: SOURCE_FILE_PROP.to_string(),
                        value: name.clone(),
                    });
                }
                run.write(writer, unit, output)
            })?;
        }
        run.drain(writer.end_warnings());
        Ok(())
    })?;
    Ok(run.summary)
}

/// `bitext tm dedupe`: removes duplicate units, keeping one of each group by
/// [`DedupeOptions::keep`]; removed units go to `rejected` (if given) with the reason.
///
/// Keeping the first of each group ([`Keep::First`], the default), reads `input` once. Keeping
/// the newest or the best-scored, reads it twice: the first pass finds the unit to keep of every
/// group, the second writes; both readings hash every byte they read, and when the hashes differ
/// (the file changed in between) nothing is written. Either way `input` must be a regular file
/// (not standard input, a FIFO or a device). Memory: one compact entry per distinct key.
pub fn dedupe(
    input: &Path,
    output: &Path,
    rejected: Option<&Path>,
    options: &IoOptions,
    dedupe: &DedupeOptions,
    warn: WarningSink<'_>,
) -> Result<(Summary, DedupeReport)> {
    const TWICE: &str = "tm dedupe needs a regular file (--keep newest and score read it twice)";
    if input == Path::new("-") {
        return Err(Error::usage(format!(
            "{TWICE}: name a file, not standard input"
        )));
    }
    let meta = std::fs::metadata(input).map_err(|e| Error::io(input, e))?;
    if !meta.is_file() {
        return Err(Error::input(
            input,
            format!(
                "{TWICE}, not a pipe, FIFO, device or standard input (which can be read only \
                 once): copy it to a file first"
            ),
        ));
    }
    let open = |digest: Digest| -> Result<UnitReader> {
        let file = std::fs::File::open(input).map_err(|e| Error::io(input, e))?;
        UnitReader::from_reader(Box::new(Hashing::new(file, digest)), input, &options.input)
    };
    dedupe_readings(input, open, output, rejected, options, dedupe, warn)
}

/// [`dedupe`] over two readings given by `open`, each hashing what it reads into its digest.
fn dedupe_readings(
    input: &Path,
    mut open: impl FnMut(Digest) -> Result<UnitReader>,
    output: &Path,
    rejected: Option<&Path>,
    options: &IoOptions,
    dedupe: &DedupeOptions,
    warn: WarningSink<'_>,
) -> Result<(Summary, DedupeReport)> {
    let first = Digest::default();
    let reader = open(first.clone())?;
    let header = reader.header().clone();
    let mut deduper = Deduper::new(*dedupe, &header);
    let maker = deduper.key_maker();
    // Keeping the first of each group, a unit's fate is known when it is read: one reading.
    let one_pass = dedupe.keep == Keep::First;
    let (reader, second) = if one_pass {
        (reader, None)
    } else {
        // Pass 1: warnings are reported in pass 2, which reads the same units again. Parsing
        // on one thread, the units' keys hashed in parallel, recorded in order.
        let mut reader = Prefetch::new(reader, Parsing::OneThread);
        while let Some(mut batch) = reader.next_batch() {
            let keys = par_map(&batch, |_, unit| maker.keys(unit));
            let mut failed = None;
            for ((item, _), keys) in batch.iter_mut().zip(keys) {
                match item {
                    Some(Ok(unit)) => deduper.observe_keyed(unit, &keys.unwrap_or_default()),
                    Some(Err(_)) => failed = item.take(),
                    None => {}
                }
            }
            reader.recycle(batch);
            if let Some(Err(e)) = failed {
                return Err(e);
            }
        }
        drop(reader);
        deduper.finish_observing();
        let second = Digest::default();
        (open(second.clone())?, Some(second))
    };
    // Keeping the first, every unit is keyed (in parallel) as it is read; reading a second
    // time, only the units that lost their group are.
    let parsing = if one_pass {
        Parsing::OneThread
    } else {
        Parsing::InParts
    };
    let mut reader = Prefetch::new(reader, parsing);
    let mut run = Run::new(warn);
    run.summary.rejected_file = rejected.is_some();
    // Read twice, a unit that won its group is kept whatever its keys (the digests make sure
    // the second reading holds the units of the first): only the others' keys are made again.
    let winners = (!one_pass).then(|| deduper.winners());
    let deduper = std::cell::RefCell::new(deduper);
    // The keys are hashed in parallel; the verdicts given here, in input order.
    let keys = |position: u64, unit: &Unit| match &winners {
        Some(winners) if winners.contains(position) => None,
        _ => Some(maker.keys(unit)),
    };
    let verdict = |unit: &Unit, keys: Option<Vec<u128>>| {
        let mut deduper = deduper.borrow_mut();
        let reason = match keys {
            None => deduper.keep_winner(),
            Some(keys) if one_pass => deduper.judge_in_one_pass(unit, &keys),
            Some(keys) => deduper.duplicate_keyed(&keys),
        };
        reason.map(|r| r.to_string())
    };
    // Checked before the output is renamed into place: a file that changed between the two
    // readings (other bytes, or the same units in another order) leaves nothing behind.
    let check = || {
        let Some(second) = &second else {
            return Ok(());
        };
        let (a, b) = (first.get(), second.get());
        if a == b && deduper.borrow().report().consistent() {
            Ok(())
        } else {
            Err(Error::input(
                input,
                format!(
                    "the file changed between dedupe's two readings ({} bytes hashed to \
                     {:016x}, then {} bytes to {:016x}); nothing was written",
                    a.1, a.0, b.1, b.0
                ),
            ))
        }
    };
    split_output(
        &mut reader,
        output,
        rejected,
        input,
        &header,
        options,
        &mut run,
        keys,
        verdict,
        check,
    )?;
    let report = deduper.borrow().report();
    Ok((run.summary, report))
}

/// A running hash and byte count of what a reading consumed, shared with its [`Hashing`].
#[derive(Clone, Default)]
struct Digest(std::sync::Arc<std::sync::Mutex<(std::hash::DefaultHasher, u64)>>);

impl Digest {
    /// The hash and the number of bytes so far.
    fn get(&self) -> (u64, u64) {
        use std::hash::Hasher;
        match self.0.lock() {
            Ok(d) => (d.0.finish(), d.1),
            Err(poisoned) => {
                let d = poisoned.into_inner();
                (d.0.finish(), d.1)
            }
        }
    }
}

/// A reader hashing every byte read through it (SipHash streams: how the reads are cut does
/// not change the hash).
struct Hashing<R> {
    inner: R,
    digest: Digest,
}

impl<R> Hashing<R> {
    fn new(inner: R, digest: Digest) -> Self {
        Hashing { inner, digest }
    }
}

impl<R: std::io::Read> std::io::Read for Hashing<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        use std::hash::Hasher;
        let n = self.inner.read(buf)?;
        let mut d = match self.digest.0.lock() {
            Ok(d) => d,
            Err(poisoned) => poisoned.into_inner(),
        };
        d.0.write(&buf[..n]);
        d.1 += n as u64;
        Ok(n)
    }
}

/// `bitext tm filter`: removes the units that fail any of the criteria; removed units go to
/// `rejected` (if given) with every reason in a `<prop type="x-rejected">`.
pub fn filter(
    input: &Path,
    output: &Path,
    rejected: Option<&Path>,
    options: &IoOptions,
    criteria: FilterOptions,
    warn: WarningSink<'_>,
) -> Result<(Summary, FilterReport)> {
    let reader = UnitReader::open(input, &options.input)?;
    let header = reader.header().clone();
    let mut reader = Prefetch::new(reader, Parsing::OneThread);
    let filter = Filter::new(criteria, &header);
    let mut run = Run::new(warn);
    run.summary.rejected_file = rejected.is_some();
    // The criteria are checked in parallel (the filter counts with atomics).
    let check = |_: u64, unit: &Unit| {
        let reasons = filter.check_all(unit);
        (!reasons.is_empty()).then(|| Reason::join(&reasons))
    };
    split_output(
        &mut reader,
        output,
        rejected,
        input,
        &header,
        options,
        &mut run,
        check,
        |_, reason| reason,
        || Ok(()),
    )?;
    Ok((run.summary, filter.report()))
}

/// `bitext tm stats`: counts over every unit of `input`.
pub fn stats(input: &Path, options: &InputOptions, warn: WarningSink<'_>) -> Result<Stats> {
    let reader = UnitReader::open(input, options)?;
    let header = reader.header().clone();
    let mut reader = Prefetch::new(reader, Parsing::OneThread);
    let mut stats = Stats::new();
    let mut run = Run::new(warn);
    run.each(&mut reader, |_, unit| {
        stats.add(unit, &header);
        Ok(())
    })?;
    stats.add_warnings(run.summary.warnings as usize);
    Ok(stats)
}

/// `f` of each unit of `batch` and its place in the batch (`None` for an end or an error),
/// computed in parallel.
fn par_map<P: Send>(batch: &[Item], f: impl Fn(usize, &Unit) -> P + Sync) -> Vec<Option<P>> {
    use rayon::prelude::*;
    batch
        .par_iter()
        .enumerate()
        .map(|(at, (item, _))| match item {
            Some(Ok(unit)) => Some(f(at, unit)),
            _ => None,
        })
        .collect()
}

/// The fuzzy-match index of a memory for `bitext tm lookup` and `bitext tm index`: every unit
/// of `input` added (read ahead on another thread) to an [`Index`] over the `lang` side (each
/// unit's source language when `None`); units without that side are counted in a warning.
pub fn build_index(
    input: &Path,
    lang: Option<String>,
    options: &InputOptions,
    warn: WarningSink<'_>,
) -> Result<Index> {
    let reader = UnitReader::open(input, options)?;
    let header = reader.header().clone();
    let mut reader = Prefetch::new(reader, Parsing::OneThread);
    let mut index = Index::new(lang.clone());
    let mut run = Run::new(warn);
    while let Some(mut batch) = reader.next_batch() {
        let result = (|| {
            for (item, warnings) in &mut batch {
                run.drain(std::mem::take(warnings));
                match item.take() {
                    Some(Ok(unit)) => {
                        index.add(unit, &header);
                    }
                    Some(Err(e)) => return Err(e),
                    None => {}
                }
            }
            Ok(())
        })();
        reader.recycle(batch);
        result?;
    }
    index.finish();
    if index.skipped() > 0 {
        let side = lang.map_or("source variant".to_string(), |l| format!("variant in {l}"));
        (run.warn)(Warning::new(
            input.display().to_string(),
            format!("{} unit(s) have no {side}: not searched", index.skipped()),
        ));
    }
    Ok(index)
}

/// `bitext tm index`: builds the [`Index`] of `input` ([`build_index`]) and writes it to
/// `output` (an index file: see [`crate::tm::lookup::store`] for its format and
/// [`crate::tm::lookup::Stamp`]), under the output policy (atomically; never over the memory
/// itself). Returns the index, written.
pub fn write_index(
    input: &Path,
    output: &Path,
    lang: Option<String>,
    options: &InputOptions,
    policy: OutputPolicy,
    warn: WarningSink<'_>,
) -> Result<Index> {
    let mut plan = OutputPlan::new(policy);
    plan.input(input);
    // Checked before the memory is read: a refused output costs nothing.
    let target = plan.claim(output)?;
    let stamp = if input == Path::new("-") {
        Stamp::standard_input()
    } else {
        Stamp::of(input).map_err(|e| Error::io(input, e))?
    };
    let index = build_index(input, lang, options, warn)?;
    let mut out = target.open()?;
    index
        .write_to(&mut out, &stamp)
        .map_err(|e| Error::io(output, e))?;
    out.commit()?;
    Ok(index)
}

/// The normalised form of a language tag (`*all*` stays).
fn normalized(tag: &str) -> String {
    if tag == "*all*" {
        tag.to_string()
    } else {
        crate::lang::tag::normalize_lang(tag).0
    }
}

/// Counters and the warning sink of one command.
struct Run<'a> {
    summary: Summary,
    warn: WarningSink<'a>,
}

impl<'a> Run<'a> {
    fn new(warn: WarningSink<'a>) -> Self {
        Run {
            summary: Summary::default(),
            warn,
        }
    }

    /// Gives `f` each unit of `reader` in order, its reader warnings passed on first, until
    /// the end or the first error (reading's or `f`'s).
    fn each(
        &mut self,
        reader: &mut Prefetch,
        mut f: impl FnMut(&mut Self, &mut Unit) -> Result<()>,
    ) -> Result<()> {
        while let Some(mut batch) = reader.next_batch() {
            let result = (|| {
                for (item, warnings) in &mut batch {
                    self.drain(std::mem::take(warnings));
                    match item.as_mut() {
                        Some(Ok(unit)) => {
                            self.summary.read += 1;
                            f(self, unit)?;
                        }
                        Some(Err(_)) => return item.take().transpose().map(|_| ()),
                        None => return Ok(()),
                    }
                }
                Ok(())
            })();
            reader.recycle(batch);
            result?;
        }
        Ok(())
    }

    /// Writes `unit`, counting it written or skipped.
    fn write<W: Write>(
        &mut self,
        writer: &mut UnitWriter<W>,
        unit: &Unit,
        path: &Path,
    ) -> Result<()> {
        let written = writer.write(unit).map_err(|e| Error::io(path, e))?;
        if written {
            self.summary.written += 1;
        } else {
            self.summary.skipped += 1;
        }
        self.drain(writer.take_warnings());
        Ok(())
    }

    fn drain(&mut self, warnings: Vec<Warning>) {
        for w in warnings {
            self.summary.warnings += 1;
            (self.warn)(w);
        }
    }
}

/// Writes a memory to `path` through `fill`, committed when `fill` succeeds.
fn write_output(
    path: &Path,
    inputs: &[&Path],
    header: &Header,
    options: &IoOptions,
    fill: impl FnOnce(&mut UnitWriter<&mut Output>) -> Result<()>,
) -> Result<()> {
    let format = output_format(path, &options.output)?;
    let mut plan = OutputPlan::new(options.output_policy);
    plan.inputs(inputs.iter().copied());
    let mut output = plan.claim(path)?.open()?;
    let mut writer = UnitWriter::new(&mut output, format, header, &options.output)
        .map_err(|e| Error::io(path, e))?;
    fill(&mut writer)?;
    writer.finish().map_err(|e| Error::io(path, e))?;
    output.commit()
}

/// The format of an output: the option, else the file's extension, else (standard output) TMX.
fn output_format(path: &Path, options: &OutputOptions) -> Result<Format> {
    let format = match options.format {
        Some(format) => format,
        None if path == Path::new("-") => Format::Tmx,
        None => Format::from_path(path).ok_or_else(|| {
            Error::usage(format!(
                "cannot tell the format of '{}' from its extension: use .tmx, .tsv, .csv or \
                 .jsonl, or -f",
                path.display()
            ))
        })?,
    };
    if !format.holds_units() {
        return Err(crate::formats::links_hold_no_units(path));
    }
    Ok(format)
}

/// Streams `reader` into `output`, sending each unit for which `verdict` gives a reason to
/// `rejected` instead (with the reason as a prop), or dropping it when there is no rejected file.
/// With a rejected file, both are published together or neither ([`commit_all`]), after
/// `check` has passed.
/// `verdict` gets each unit with what `prepare` computed for it (given its position among the
/// units read, from 0), on any thread, in parallel.
#[allow(clippy::too_many_arguments)]
fn split_output<P: Send>(
    reader: &mut Prefetch,
    output: &Path,
    rejected: Option<&Path>,
    input: &Path,
    header: &Header,
    options: &IoOptions,
    run: &mut Run<'_>,
    prepare: impl Fn(u64, &Unit) -> P + Sync,
    mut verdict: impl FnMut(&Unit, P) -> Option<String>,
    check: impl FnOnce() -> Result<()>,
) -> Result<()> {
    let Some(rejected) = rejected else {
        return write_output(output, &[input], header, options, |writer| {
            sort_units::<_, Vec<u8>, P>(reader, writer, output, None, run, &prepare, &mut verdict)?;
            check()
        });
    };
    let format = output_format(output, &options.output)?;
    let rejected_format = output_format(rejected, &options.output)?;
    let mut plan = OutputPlan::new(options.output_policy);
    plan.input(input);
    let output_target = plan.claim(output)?;
    let rejected_target = plan.claim(rejected)?;
    let mut kept = output_target.open()?;
    let mut removed = rejected_target.open()?;
    {
        let mut writer = UnitWriter::new(&mut kept, format, header, &options.output)
            .map_err(|e| Error::io(output, e))?;
        let mut reject = UnitWriter::new(&mut removed, rejected_format, header, &options.output)
            .map_err(|e| Error::io(rejected, e))?;
        sort_units(
            reader,
            &mut writer,
            output,
            Some((&mut reject, rejected)),
            run,
            &prepare,
            &mut verdict,
        )?;
        check()?;
        writer.finish().map_err(|e| Error::io(output, e))?;
        reject.finish().map_err(|e| Error::io(rejected, e))?;
    }
    commit_all(vec![kept, removed])
}

/// The loop of [`split_output`]: each unit to `writer`, or to `reject` with its reason. The
/// units come in batches: `prepare` runs over a batch in parallel, then each unit, in order,
/// gets its reader warnings passed on, its verdict and its writing, as in a one-thread loop.
fn sort_units<W: Write, R: Write, P: Send>(
    reader: &mut Prefetch,
    writer: &mut UnitWriter<W>,
    output: &Path,
    mut reject: Option<(&mut UnitWriter<R>, &Path)>,
    run: &mut Run<'_>,
    prepare: &(impl Fn(u64, &Unit) -> P + Sync),
    verdict: &mut impl FnMut(&Unit, P) -> Option<String>,
) -> Result<()> {
    if let Some((reject, _)) = reject.as_mut() {
        // The rejected file holds every removed unit, one-sided ones included.
        reject.keep_one_sided();
    }
    while let Some(mut batch) = reader.next_batch() {
        // A batch's units come before its first error or end: the unit at `at` is the
        // `read + at`-th.
        let read = run.summary.read;
        let mut prepared = par_map(&batch, |at, unit| prepare(read + at as u64, unit)).into_iter();
        let result = (|| {
            for (item, warnings) in &mut batch {
                let ready = prepared.next().flatten();
                run.drain(std::mem::take(warnings));
                let unit = match item.as_mut() {
                    Some(Ok(unit)) => unit,
                    Some(Err(_)) => return item.take().transpose().map(|_| ()),
                    None => return Ok(()),
                };
                let position = run.summary.read;
                run.summary.read += 1;
                let ready = match ready {
                    Some(ready) => ready,
                    None => prepare(position, unit),
                };
                let Some(reason) = verdict(unit, ready) else {
                    run.write(writer, unit, output)?;
                    continue;
                };
                run.summary.removed += 1;
                if let Some((reject, path)) = reject.as_mut() {
                    unit.props.retain(|p| p.kind != REJECTED_PROP);
                    unit.props.push(Prop {
                        kind: REJECTED_PROP.to_string(),
                        value: reason,
                    });
                    let written = reject.write(unit).map_err(|e| Error::io(*path, e))?;
                    run.summary.rejected_written += u64::from(written);
                    run.drain(reject.take_warnings());
                }
            }
            Ok(())
        })();
        reader.recycle(batch);
        result?;
    }
    run.drain(writer.end_warnings());
    if let Some((reject, _)) = reject.as_mut() {
        run.drain(reject.end_warnings());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::InputOptions;

    fn tmx(units: &[(&str, &str)]) -> Vec<u8> {
        let mut s = String::from(
            "<?xml version=\"1.0\"?>\n<tmx version=\"1.4\"><header srclang=\"en\" \
             creationtool=\"t\" creationtoolversion=\"1\" segtype=\"sentence\" o-tmf=\"t\" \
             adminlang=\"en\" datatype=\"plaintext\"/><body>\n",
        );
        for (en, ru) in units {
            s.push_str(&format!(
                "<tu><tuv xml:lang=\"en\"><seg>{en}</seg></tuv><tuv xml:lang=\"ru\"><seg>{ru}</seg></tuv></tu>\n"
            ));
        }
        s.push_str("</body></tmx>\n");
        s.into_bytes()
    }

    /// Dedupes, keeping `keep`, readings holding `pass1` then `pass2` into `dir/out.tmx`.
    fn dedupe_two(
        dir: &Path,
        keep: Keep,
        pass1: Vec<u8>,
        pass2: Vec<u8>,
    ) -> Result<(Summary, DedupeReport)> {
        let mut readings = vec![pass2, pass1];
        let open = |digest: Digest| {
            let Some(bytes) = readings.pop() else {
                panic!("a third reading");
            };
            let input = Hashing::new(std::io::Cursor::new(bytes), digest);
            UnitReader::from_reader(Box::new(input), "m.tmx", &InputOptions::default())
        };
        let options = DedupeOptions {
            keep,
            ..DedupeOptions::default()
        };
        let out = dir.join("out.tmx");
        dedupe_readings(
            Path::new("m.tmx"),
            open,
            &out,
            None,
            &IoOptions::default(),
            &options,
            &mut |_| {},
        )
    }

    #[test]
    fn dedupe_refuses_a_file_reordered_between_its_readings() {
        let dir = tempfile::tempdir().unwrap();
        let (x, y) = (("X", "икс"), ("Y", "игрек"));
        // Same units, same count, no key unseen: only the order differs.
        let newest = Keep::Newest;
        let e = dedupe_two(dir.path(), newest, tmx(&[x, y, x]), tmx(&[y, x, x])).unwrap_err();
        assert!(
            e.to_string()
                .starts_with("m.tmx: the file changed between dedupe's two readings"),
            "{e}"
        );
        assert!(!dir.path().join("out.tmx").exists());
        // One byte changed inside a segment.
        let changed = tmx(&[x, ("Y", "игрек!")]);
        let e = dedupe_two(dir.path(), newest, tmx(&[x, y]), changed).unwrap_err();
        assert!(e.to_string().contains("changed between"), "{e}");
        // The same bytes, read in other chunks, pass.
        let (summary, report) =
            dedupe_two(dir.path(), newest, tmx(&[x, y, x]), tmx(&[x, y, x])).unwrap();
        assert_eq!((summary.read, summary.written, summary.removed), (3, 2, 1));
        assert_eq!(report.kept, 2);
    }

    #[test]
    fn dedupe_keeping_the_first_reads_once() {
        // The second reading differs: had it been read, the change would have been refused.
        let dir = tempfile::tempdir().unwrap();
        let (x, y) = (("X", "икс"), ("Y", "игрек"));
        let (summary, report) =
            dedupe_two(dir.path(), Keep::First, tmx(&[x, y, x]), tmx(&[y])).unwrap();
        assert_eq!((summary.read, summary.written, summary.removed), (3, 2, 1));
        assert_eq!((report.observed, report.checked, report.kept), (3, 3, 2));
        assert!(report.consistent());
        let out = std::fs::read_to_string(dir.path().join("out.tmx")).unwrap();
        assert_eq!(out.matches("<tu ").count() + out.matches("<tu>").count(), 2);
    }

    #[test]
    fn dedupe_refuses_what_cannot_be_read_twice() {
        let e = dedupe(
            Path::new("/dev/null"),
            Path::new("-"),
            None,
            &IoOptions::default(),
            &DedupeOptions::default(),
            &mut |_| {},
        )
        .unwrap_err();
        assert!(
            e.to_string().starts_with(
                "/dev/null: tm dedupe needs a regular file (--keep newest and score read it \
                 twice), not a pipe"
            ),
            "{e}"
        );
    }

    #[test]
    fn the_summary_says_how_many_units_the_rejected_file_received() {
        let mut s = Summary {
            read: 5,
            written: 2,
            removed: 3,
            rejected_written: 3,
            rejected_file: true,
            ..Summary::default()
        };
        assert_eq!(
            s.to_string(),
            "5 unit(s) read, 2 written, 3 removed, 3 to the rejected file, 0 warning(s)"
        );
        s.rejected_written = 1;
        assert!(s
            .to_string()
            .contains("1 to the rejected file (2 removed unit(s) NOT in it"));
        s.rejected_file = false;
        assert!(!s.to_string().contains("rejected"));
    }
}
