//! Batch: many document pairs -> one output file each, in parallel (rayon).
//!
//! The pairs ([`Job`]s) come from a manifest ([`parse_manifest`]: `src<TAB>tgt<TAB>out` lines,
//! optionally followed by the two sides' sentence-vector files, relative paths resolved
//! against the manifest's directory) or from two directories
//! ([`pair_directories`]: files matched by name). [`run`] aligns them on the current rayon pool
//! with [`pipeline::align_documents`] and writes each output with [`export::write_to`] under the
//! [`crate::io::output`] policy. Every output depends only on its own pair, so the files are
//! byte-identical at any thread count. A pair that fails (missing or binary file, refused length
//! ratio, unwritable output) is reported and skipped; the others still run, unless
//! [`BatchOptions::fail_fast`] asks to start no new pair after the first failure.
//!
//! Before anything runs, outputs are claimed in one [`OutputPlan`]: two pairs writing the same
//! file, or a pair writing over any input of the batch (or the manifest, or a dictionary:
//! [`BatchOptions::protected`]), fail, whatever the spelling of the paths.

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use rayon::prelude::*;

use crate::align::lexicon::Lexicon;
use crate::error::{Error, Result, Warning};
use crate::export::{self, ExportOptions};
use crate::formats::Format;
use crate::io::output::{OutputPlan, OutputPolicy, Target};
use crate::read;
use crate::run::pipeline::{self, Settings};
use crate::run::summary::{Outcome, PairStats};

/// One pair to align and where to write it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Job {
    /// How reports name the pair: `manifest.tsv:3`, or the file name in directory mode.
    pub label: String,
    /// Source document.
    pub src: PathBuf,
    /// Target document.
    pub tgt: PathBuf,
    /// Output file.
    pub out: PathBuf,
    /// The source and target sentence vectors (`--embeddings` of this pair), if given.
    pub vectors: Option<[PathBuf; 2]>,
}

/// Reads a manifest: one pair a line, `src<TAB>tgt<TAB>out`, optionally followed by
/// `<TAB>src_vectors<TAB>tgt_vectors` (the pair's sentence vectors, as `--embeddings` takes
/// them); relative paths are taken from the manifest's directory; blank lines and lines
/// starting with `#` are skipped.
pub fn parse_manifest(path: &Path, max_bytes: u64) -> Result<Vec<Job>> {
    let doc_bytes = read::read_bytes_limited(path, max_bytes)?;
    let text = read::decode(&doc_bytes, path)?;
    let base = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    parse_manifest_text(&text, path, base)
}

/// Parses manifest text; `manifest` names errors and labels, `base` resolves relative paths.
pub fn parse_manifest_text(text: &str, manifest: &Path, base: &Path) -> Result<Vec<Job>> {
    let mut jobs = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = i as u64 + 1;
        let content = raw.strip_suffix('\r').unwrap_or(raw);
        if content.trim().is_empty() || content.trim_start().starts_with('#') {
            continue;
        }
        let fields: Vec<&str> = content.split('\t').collect();
        if fields.len() != 3 && fields.len() != 5 {
            return Err(Error::syntax(
                manifest,
                line,
                format!(
                    "expected 3 tab-separated fields (source, target, output) or 5 (and the \
                     source and target sentence vectors), found {}",
                    fields.len()
                ),
            ));
        }
        let names = [
            "source",
            "target",
            "output",
            "source vectors",
            "target vectors",
        ];
        for (field, name) in fields.iter().zip(names) {
            if field.trim().is_empty() {
                return Err(Error::syntax(
                    manifest,
                    line,
                    format!("the {name} path is empty"),
                ));
            }
        }
        let resolve = |f: &str| base.join(f.trim());
        jobs.push(Job {
            label: format!("{}:{line}", manifest.display()),
            src: resolve(fields[0]),
            tgt: resolve(fields[1]),
            out: resolve(fields[2]),
            vectors: (fields.len() == 5).then(|| [resolve(fields[3]), resolve(fields[4])]),
        });
    }
    Ok(jobs)
}

/// The file extension of an output format.
pub(crate) fn extension(format: Format) -> &'static str {
    match format {
        Format::Tmx => "tmx",
        Format::Tsv => "tsv",
        Format::Csv => "csv",
        Format::Jsonl => "jsonl",
        Format::Links => "links",
    }
}

/// Pairs the files of two directories by name; the output of `a.txt` is `OUT_DIR/a.EXT`.
/// Names found on one side only come back as warnings naming them. Hidden files (a name
/// starting with `.`) and subdirectories are not considered.
pub fn pair_directories(
    src_dir: &Path,
    tgt_dir: &Path,
    out_dir: &Path,
    format: Format,
) -> Result<(Vec<Job>, Vec<Warning>)> {
    let src_names = file_names(src_dir)?;
    let tgt_names = file_names(tgt_dir)?;
    let (matched, src_only, tgt_only) = pair_names(src_names, tgt_names);
    let mut warnings = Vec::new();
    for (dir, other, names) in [(src_dir, tgt_dir, src_only), (tgt_dir, src_dir, tgt_only)] {
        for name in names {
            warnings.push(Warning::new(
                dir.join(&name).display().to_string(),
                format!("no file of that name in {}; not aligned", other.display()),
            ));
        }
    }
    let jobs = matched
        .into_iter()
        .map(|name| Job {
            label: Path::new(&name).display().to_string(),
            src: src_dir.join(&name),
            tgt: tgt_dir.join(&name),
            out: out_dir.join(Path::new(&name).with_extension(extension(format))),
            vectors: None,
        })
        .collect();
    Ok((jobs, warnings))
}

/// Splits two name lists into (in both, only in the first, only in the second), each sorted.
pub(crate) fn pair_names(
    src: Vec<OsString>,
    tgt: Vec<OsString>,
) -> (Vec<OsString>, Vec<OsString>, Vec<OsString>) {
    let mut tgt: BTreeMap<OsString, bool> = tgt.into_iter().map(|n| (n, false)).collect();
    let mut src = src;
    src.sort();
    src.dedup();
    let mut matched = Vec::new();
    let mut src_only = Vec::new();
    for name in src {
        match tgt.get_mut(&name) {
            Some(seen) => {
                *seen = true;
                matched.push(name);
            }
            None => src_only.push(name),
        }
    }
    let tgt_only = tgt
        .into_iter()
        .filter(|(_, seen)| !seen)
        .map(|(n, _)| n)
        .collect();
    (matched, src_only, tgt_only)
}

/// Names of the regular files (or links to them) in `dir`, hidden ones excluded.
fn file_names(dir: &Path) -> Result<Vec<OsString>> {
    let mut names = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))? {
        let entry = entry.map_err(|e| Error::io(dir, e))?;
        let name = entry.file_name();
        if name.to_string_lossy().starts_with('.') {
            continue;
        }
        // `metadata` follows symbolic links.
        let path = entry.path();
        if std::fs::metadata(&path).is_ok_and(|m| m.is_file()) {
            names.push(name);
        }
    }
    Ok(names)
}

/// Options shared by every pair of a batch.
#[derive(Debug, Clone)]
pub struct BatchOptions {
    /// Languages, splitting and aligner options.
    pub settings: Settings,
    /// Output format and filters.
    pub export: ExportOptions,
    /// Take each output's format from its extension (`.tmx`, `.tsv`, ...), falling back to
    /// `export.format`; when false, every output gets `export.format`.
    pub format_from_path: bool,
    /// Inputs larger than this many bytes are refused.
    pub max_input_bytes: u64,
    /// Read the documents in this encoding instead of telling it from their bytes.
    pub encoding: Option<&'static read::Encoding>,
    /// Start no new pair after the first failure.
    pub fail_fast: bool,
    /// Files the batch reads besides the pairs (the manifest, dictionaries): no output may be
    /// one of them.
    pub protected: Vec<PathBuf>,
    /// How outputs may be written (`--force`).
    pub output_policy: OutputPolicy,
    /// The dimension of raw float32 vector files named in a manifest (`--embedding-dim`); a
    /// `.npy` file says its own.
    pub embedding_dim: Option<usize>,
}

impl BatchOptions {
    /// How the pairs' documents are read.
    fn read_options(&self) -> read::ReadOptions {
        read::ReadOptions {
            max_bytes: self.max_input_bytes,
            encoding: self.encoding,
        }
    }

    /// The format `job`'s output is written in.
    pub fn format_of(&self, job: &Job) -> Format {
        match self.format_from_path {
            true => Format::from_path(&job.out).unwrap_or(self.export.format),
            false => self.export.format,
        }
    }
}

/// The report of one pair: its index in the job list, its outcome and its warnings.
#[derive(Debug)]
pub struct PairReport {
    /// Index of the job.
    pub index: usize,
    /// What happened.
    pub outcome: Outcome,
    /// Warnings of the stages and the writer.
    pub warnings: Vec<Warning>,
    /// How the pair was read and aligned, each note naming its file: a format other than
    /// plain text, a legacy code page ([`read::Document::read_notes`]), subtitle timing.
    pub notes: Vec<Warning>,
}

/// Learns word translations from every pair of the batch together ([`crate::align::learn`]):
/// each pair is aligned once by length and anchors, and the confident 1-1 links of all of
/// them train one lexicon, so that a corpus teaches its own vocabulary. Pairs that cannot be
/// read or aligned are left out here (the real run reports them). Returns the lexicon (`None`
/// when nothing was learned) and, per job, the checks its first pass passed
/// ([`pipeline::Checked`]), which the real run does not repeat.
pub(crate) fn learn(
    jobs: &[Job],
    options: &BatchOptions,
) -> (Option<Lexicon>, Vec<Option<pipeline::Checked>>) {
    let (training, checked): (Vec<_>, Vec<_>) = jobs
        .par_iter()
        .map(|job| {
            let read = |path: &Path| read::read_file_with(path, &options.read_options());
            let (Ok(src), Ok(tgt)) = (read(&job.src), read(&job.tgt)) else {
                return (Vec::new(), None);
            };
            let first = pipeline::first_pass(src, tgt, &options.settings);
            (first.training, first.checked)
        })
        .unzip();
    let settings = &options.settings;
    let lexicon = pipeline::learn_from(&training, settings.src_lang, settings.tgt_lang);
    (lexicon, checked)
}

/// Aligns every job on the current rayon pool and writes its output; returns one report a job,
/// in job order. `on_done` sees each report as soon as its pair is finished (from a worker
/// thread, in completion order), e.g. to move a progress bar and print errors early.
///
/// When the settings ask to learn word translations and give none learned already, they are
/// learned from the whole batch first (`learn`).
pub fn run(
    jobs: &[Job],
    options: &BatchOptions,
    on_done: &(dyn Fn(&Job, &PairReport) + Sync),
) -> Vec<PairReport> {
    let learned_options;
    let mut checked = vec![None; jobs.len()];
    let options = if options.settings.learn && options.settings.learned.is_none() {
        let mut with = options.clone();
        let learned;
        (learned, checked) = learn(jobs, options);
        // Learned or not, the pairs are not learned from one by one again.
        with.settings.learned = learned.map(Arc::new);
        with.settings.learn = false;
        learned_options = with;
        &learned_options
    } else {
        options
    };
    let conflicts = claim_outputs(jobs, options);
    let stop = AtomicBool::new(false);
    jobs.par_iter()
        .zip(conflicts)
        .zip(checked)
        .enumerate()
        .map(|(index, ((job, conflict), checked))| {
            let report = if options.fail_fast && stop.load(Ordering::SeqCst) {
                PairReport {
                    index,
                    outcome: Outcome::NotStarted,
                    warnings: Vec::new(),
                    notes: Vec::new(),
                }
            } else {
                let mut notes = Vec::new();
                let (outcome, warnings) = match conflict {
                    Err(error) => (Outcome::Failed(error), Vec::new()),
                    Ok(target) => run_one(job, &target, options, checked, &mut notes),
                };
                PairReport {
                    index,
                    outcome,
                    warnings,
                    notes,
                }
            };
            if matches!(report.outcome, Outcome::Failed(_)) {
                stop.store(true, Ordering::SeqCst);
            }
            on_done(job, &report);
            report
        })
        .collect()
}

/// Reads, aligns and writes one pair (`checked`: what its first pass found, when the batch
/// learned).
fn run_one(
    job: &Job,
    target: &Target,
    options: &BatchOptions,
    checked: Option<pipeline::Checked>,
    notes: &mut Vec<Warning>,
) -> (Outcome, Vec<Warning>) {
    let read = |path: &Path| read::read_file_with(path, &options.read_options());
    let docs = read(&job.src).and_then(|src| Ok((src, read(&job.tgt)?)));
    let (src, tgt) = match docs {
        Ok(docs) => docs,
        Err(e) => return (Outcome::Failed(e), Vec::new()),
    };
    for doc in [&src, &tgt] {
        notes.extend(
            doc.read_notes()
                .into_iter()
                .map(|n| Warning::new(&doc.name, n)),
        );
    }
    let vectors = match &job.vectors {
        Some([src_vectors, tgt_vectors]) => {
            let read = |path: &Path| {
                read::vectors::read_vectors(path, options.embedding_dim, options.max_input_bytes)
            };
            match read(src_vectors).and_then(|s| Ok((s, read(tgt_vectors)?))) {
                Ok((s, t)) => Some(read::vectors::PairVectors {
                    src: s,
                    tgt: t,
                    src_name: src_vectors.display().to_string(),
                    tgt_name: tgt_vectors.display().to_string(),
                }),
                Err(e) => return (Outcome::Failed(e), Vec::new()),
            }
        }
        None => None,
    };
    let src_name = src.name.clone();
    let aligned =
        pipeline::align_documents_checked(src, tgt, vectors.as_ref(), &options.settings, checked);
    let mut pair = match aligned {
        Ok(pair) => pair,
        Err(e) => return (Outcome::Failed(e.error), e.warnings),
    };
    if let Some(map) = pair.time_map {
        notes.push(Warning::new(
            src_name,
            format!("subtitles aligned on their cue times ({map})"),
        ));
    }
    let mut stats = PairStats::of(&pair);
    let mut warnings = std::mem::take(&mut pair.warnings);
    if let Some(dir) = job.out.parent().filter(|d| !d.as_os_str().is_empty()) {
        if let Err(e) = std::fs::create_dir_all(dir) {
            return (Outcome::Failed(Error::io(dir, e)), warnings);
        }
    }
    let export = ExportOptions {
        format: options.format_of(job),
        ..options.export.clone()
    };
    let written = target.open().and_then(|mut output| {
        let written = export::write_to(&pair.units, &export, &mut output)?;
        output.commit()?;
        Ok(written)
    });
    match written {
        Ok(written) => {
            stats.written = written.units;
            stats.below_min_score = written.below_min_score;
            warnings.extend(written.warnings);
            if written.units == 0 {
                warnings.push(Warning::new(
                    job.out.display().to_string(),
                    export::why_nothing_written(&pair.units, &export),
                ));
            }
            (Outcome::Done(stats), warnings)
        }
        Err(e) => (Outcome::Failed(e), warnings),
    }
}

/// For each job, its claimed output, or an error when the output is also written by an earlier
/// job or is an input of any job or one of [`BatchOptions::protected`]. Files are compared by
/// identity ([`crate::io::output`]), not by spelling.
fn claim_outputs(jobs: &[Job], options: &BatchOptions) -> Vec<Result<Target>> {
    let mut plan = OutputPlan::new(options.output_policy);
    plan.inputs(options.protected.iter().map(PathBuf::as_path));
    for job in jobs {
        plan.inputs([job.src.as_path(), job.tgt.as_path()]);
        plan.inputs(job.vectors.iter().flatten().map(PathBuf::as_path));
    }
    jobs.iter()
        .map(|job| {
            let target = plan.claim(&job.out)?;
            if options.format_from_path {
                Format::of_output(&job.out)?;
            }
            Ok(target)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The default options of a batch whose outputs must not be `protected`.
    fn options(protected: Vec<PathBuf>) -> BatchOptions {
        BatchOptions {
            settings: Settings::default(),
            export: ExportOptions::default(),
            format_from_path: true,
            max_input_bytes: 1 << 20,
            encoding: None,
            fail_fast: false,
            protected,
            output_policy: OutputPolicy::default(),
            embedding_dim: None,
        }
    }

    fn parse(text: &str) -> Result<Vec<Job>> {
        parse_manifest_text(text, Path::new("m.tsv"), Path::new("/base"))
    }

    #[test]
    fn manifest_lines_resolve_against_its_directory() {
        let jobs = parse(
            "# corpus\n\na.en\ta.ru\tout/a.tmx\r\n  # indented comment\n/abs/b.en\tb.ru\t/o/b.tsv\n",
        )
        .expect("parses");
        assert_eq!(jobs.len(), 2);
        assert_eq!(jobs[0].label, "m.tsv:3");
        assert_eq!(jobs[0].src, Path::new("/base/a.en"));
        assert_eq!(jobs[0].out, Path::new("/base/out/a.tmx"));
        assert_eq!(jobs[1].label, "m.tsv:5");
        assert_eq!(jobs[1].src, Path::new("/abs/b.en"));
        assert_eq!(jobs[1].tgt, Path::new("/base/b.ru"));
        assert_eq!(jobs[1].out, Path::new("/o/b.tsv"));
        assert_eq!(jobs[1].vectors, None);
        let jobs = parse("a.en\ta.ru\ta.tmx\tv/a.en.npy\t/v/a.ru.npy\n").expect("parses");
        assert_eq!(
            jobs[0].vectors,
            Some([
                PathBuf::from("/base/v/a.en.npy"),
                PathBuf::from("/v/a.ru.npy")
            ])
        );
    }

    #[test]
    fn a_malformed_manifest_line_is_named() {
        let err = parse("a\tb\tc\na b c\n").unwrap_err().to_string();
        assert_eq!(
            err,
            "m.tsv:2: expected 3 tab-separated fields (source, target, output) or 5 (and the \
             source and target sentence vectors), found 1"
        );
        let err = parse("a\tb\tc\td\n").unwrap_err().to_string();
        assert!(
            err.starts_with("m.tsv:1: ") && err.ends_with("found 4"),
            "{err}"
        );
        let err = parse("a\t \tc\n").unwrap_err().to_string();
        assert_eq!(err, "m.tsv:1: the target path is empty");
        let err = parse("a\tb\tc\td\t\n").unwrap_err().to_string();
        assert_eq!(err, "m.tsv:1: the target vectors path is empty");
    }

    #[test]
    fn names_pair_up_and_the_rest_is_reported() {
        let os = |v: &[&str]| v.iter().map(OsString::from).collect::<Vec<_>>();
        let (both, src_only, tgt_only) = pair_names(
            os(&["c.txt", "a.txt", "only-en.txt", "b.txt"]),
            os(&["b.txt", "only-ru.txt", "a.txt", "c.txt", "zz.txt"]),
        );
        assert_eq!(both, os(&["a.txt", "b.txt", "c.txt"]));
        assert_eq!(src_only, os(&["only-en.txt"]));
        assert_eq!(tgt_only, os(&["only-ru.txt", "zz.txt"]));
    }

    #[test]
    fn directories_pair_by_name_with_the_format_extension() {
        let dir = tempfile::tempdir().expect("tempdir");
        let (en, ru) = (dir.path().join("en"), dir.path().join("ru"));
        for d in [&en, &ru] {
            std::fs::create_dir(d).expect("mkdir");
        }
        for name in ["a.txt", "b.txt", "only.txt", ".hidden"] {
            std::fs::write(en.join(name), "x").expect("write");
        }
        for name in ["a.txt", "b.txt", "extra.txt"] {
            std::fs::write(ru.join(name), "x").expect("write");
        }
        std::fs::create_dir(en.join("sub.txt")).expect("mkdir");
        let out = dir.path().join("out");
        let (jobs, warnings) = pair_directories(&en, &ru, &out, Format::Tsv).expect("pairs");
        let labels: Vec<&str> = jobs.iter().map(|j| j.label.as_str()).collect();
        assert_eq!(labels, ["a.txt", "b.txt"]);
        assert_eq!(jobs[1].out, out.join("b.tsv"));
        assert_eq!(jobs[1].tgt, ru.join("b.txt"));
        assert_eq!(warnings.len(), 2, "{warnings:?}");
        assert_eq!(
            warnings[0].location,
            en.join("only.txt").display().to_string()
        );
        assert!(warnings[0].message.contains("no file of that name in"));
        assert_eq!(
            warnings[1].location,
            ru.join("extra.txt").display().to_string()
        );
    }

    #[test]
    fn outputs_that_collide_or_overwrite_an_input_fail() {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = |n: &str| dir.path().join(n);
        std::fs::write(p("a.en"), "x").expect("write");
        std::fs::write(p("manifest.tsv"), "x").expect("write");
        std::fs::write(p("my.dic"), "x").expect("write");
        let job = |label: &str, out: &str| Job {
            label: label.into(),
            src: p("a.en"),
            tgt: p("a.ru"),
            out: p(out),
            vectors: Some([p("a.en.npy"), p("a.ru.npy")]),
        };
        let jobs = [
            job("m:1", "one.tmx"),
            job("m:2", "one.tmx"),
            job("m:3", "a.en"),
            job("m:4", "./two.tmx"),
            job("m:5", "sub/../two.tmx"),
            job("m:6", "manifest.tsv"),
            job("m:7", "my.dic"),
            job("m:8", "a.ru.npy"),
        ];
        let options = options(vec![p("manifest.tsv"), p("my.dic")]);
        let claims = claim_outputs(&jobs, &options);
        let err = |i: usize| match &claims[i] {
            Ok(_) => String::new(),
            Err(e) => e.to_string(),
        };
        assert!(claims[0].is_ok());
        assert!(err(1).contains("two outputs"), "{}", err(1));
        assert!(err(2).contains("input"), "{}", err(2));
        assert!(claims[3].is_ok());
        assert!(err(4).contains("same file"), "{}", err(4));
        assert!(err(5).contains("input"), "{}", err(5));
        assert!(err(6).contains("input"), "{}", err(6));
        assert!(err(7).contains("input"), "{}", err(7));
    }

    #[test]
    fn a_learning_batch_keeps_each_pairs_first_pass_checks() {
        // The run after learning takes the first pass's document score instead of judging the
        // pair again with words learned partly from its own links: the score is the one the
        // pair gets alone. It searches around the first pass's path, and finds the links a
        // search of the whole pair with the same words finds.
        let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
        let dir = tempfile::tempdir().expect("tempdir");
        let names = [
            "sco-counter-narcotics-2018",
            "sco-paris-pact-beijing",
            "literary/chekhov-chemists-wife",
        ];
        let jobs: Vec<Job> = names
            .iter()
            .enumerate()
            .map(|(k, name)| Job {
                label: (*name).to_string(),
                src: fixtures.join(format!("{name}.en.txt")),
                tgt: fixtures.join(format!("{name}.ru.txt")),
                out: dir.path().join(format!("{k}.tsv")),
                vectors: None,
            })
            .collect();
        let options = options(Vec::new());
        let (learned, checked) = learn(&jobs, &options);
        let learned = learned.map(Arc::new);
        assert!(learned.is_some(), "the batch learns word translations");
        let reports = run(&jobs, &options, &|_, _| {});
        let read =
            |path: &Path| read::read_file_with(path, &options.read_options()).expect("reads");
        for ((job, report), checked) in jobs.iter().zip(&reports).zip(&checked) {
            let Outcome::Done(stats) = &report.outcome else {
                panic!("{}: {:?}", job.label, report.outcome);
            };
            let alone =
                pipeline::align_documents(read(&job.src), read(&job.tgt), &options.settings)
                    .expect("aligns alone");
            assert_eq!(stats.document_score, alone.document_score, "{}", job.label);
            assert_eq!(
                checked.as_ref().map(|c| c.document_score),
                Some(alone.document_score),
                "{}",
                job.label
            );
            // Searched whole and judged again (no first pass known): the same units.
            let again = pipeline::align_documents_checked(
                read(&job.src),
                read(&job.tgt),
                None,
                &Settings {
                    learned: learned.clone(),
                    learn: false,
                    ..Settings::default()
                },
                None,
            )
            .expect("aligns again");
            let written = std::fs::read_to_string(&job.out).expect("output");
            let texts: Vec<(&str, &str)> = written
                .lines()
                .skip(1)
                .filter_map(|l| l.split('\t').next().zip(l.split('\t').nth(1)))
                .collect();
            let expected: Vec<(&str, &str)> = again
                .units
                .iter()
                .map(|u| (u.src.as_str(), u.tgt.as_str()))
                .collect();
            assert_eq!(texts, expected, "{}", job.label);
        }
    }
}
