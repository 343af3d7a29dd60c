//! The `bitext tm` subcommands (part of the binary, like `main.rs`): argument parsing and
//! printing over the library's `bitext::tm::ops` and `bitext::tm::lookup`.

use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context};
use clap::{Args, Subcommand, ValueEnum};

use bitext::formats::{Format, InputOptions, OutputOptions};
use bitext::io::output::OutputPolicy;
use bitext::tm::dedupe::{DedupeOptions, Keep};
use bitext::tm::filter::{length_cost_limit, FilterOptions};
use bitext::tm::lookup::{is_index_file, Index, LookupOptions};
use bitext::tm::ops::{self, IoOptions, Summary};
use bitext::Warning;

use crate::console;

/// `bitext tm ...`.
#[derive(Subcommand)]
pub enum TmCommand {
    /// Convert a memory between TMX (1.1-1.4 in, 1.4b out), TSV, CSV and JSON lines.
    Convert(ConvertArgs),
    /// Merge memories into one, language tags reconciled.
    Merge(MergeArgs),
    /// Remove duplicate units (exact, after normalisation, ignoring case).
    Dedupe(DedupeArgs),
    /// Remove units that fail the given checks (combinable); --rejected keeps what was removed.
    Filter(FilterArgs),
    /// The best fuzzy matches of a sentence (or of each line of --queries) in a memory or in
    /// an index made by `bitext tm index`.
    Lookup(LookupArgs),
    /// Build the fuzzy-match index of a memory once and save it, so that `bitext tm lookup
    /// INDEX` starts in milliseconds instead of reading the memory.
    Index(IndexArgs),
    /// Units, languages, tags, duplicates, empty segments and warnings of a memory.
    Stats(StatsArgs),
}

/// How inputs are read.
#[derive(Args, Clone)]
pub struct InputArgs {
    /// Skip a broken unit with a warning instead of stopping at it.
    #[arg(long)]
    lenient: bool,
    /// TSV/CSV/JSON lines input holds plain text, not TMX segment markup (`&amp;`, tags).
    #[arg(long)]
    plain: bool,
    /// Input format (default: from the extension; TMX for standard input).
    #[arg(long, value_name = "FORMAT")]
    input_format: Option<FormatArg>,
    /// Source language tag of TSV/CSV input without a header row, or of TSV/CSV output.
    #[arg(long, value_name = "TAG", requires = "tgt_lang")]
    src_lang: Option<String>,
    /// Target language tag of TSV/CSV input without a header row, or of TSV/CSV output.
    #[arg(long, value_name = "TAG", requires = "src_lang")]
    tgt_lang: Option<String>,
    /// Refuse a unit (TMX <tu>, table row, JSON line) larger than this many bytes, before it
    /// is read into memory.
    #[arg(long, value_name = "BYTES", default_value_t = bitext::formats::DEFAULT_MAX_UNIT_BYTES,
          value_parser = clap::value_parser!(u64).range(1..))]
    max_unit_bytes: u64,
}

/// How the output is written.
#[derive(Args, Clone)]
pub struct OutputArgs {
    /// Output file (`-` or none: standard output); a file is written atomically, never over an
    /// input; a device or FIFO in place.
    #[arg(short, long, default_value = "-")]
    output: PathBuf,
    /// Replace a write-protected output.
    #[arg(long)]
    force: bool,
    /// Output format (default: from the output's extension; TMX on standard output).
    #[arg(short, long, value_name = "FORMAT")]
    format: Option<FormatArg>,
    /// Write plain text: drop inline tags (`bpt`, `ph`, ...) keeping the text of `hi`/`sub`.
    #[arg(long)]
    strip_tags: bool,
}

/// A memory file format.
#[derive(Clone, Copy, ValueEnum)]
pub enum FormatArg {
    /// TMX.
    Tmx,
    /// Tab-separated values with a header row.
    Tsv,
    /// Comma-separated values (RFC 4180) with a header row.
    Csv,
    /// JSON lines, one unit an object.
    Jsonl,
}

impl From<FormatArg> for Format {
    fn from(f: FormatArg) -> Format {
        match f {
            FormatArg::Tmx => Format::Tmx,
            FormatArg::Tsv => Format::Tsv,
            FormatArg::Csv => Format::Csv,
            FormatArg::Jsonl => Format::Jsonl,
        }
    }
}

#[derive(Args)]
pub struct ConvertArgs {
    /// The memory to convert (`-` reads standard input).
    input: PathBuf,
    #[command(flatten)]
    read: InputArgs,
    #[command(flatten)]
    write: OutputArgs,
}

#[derive(Args)]
pub struct MergeArgs {
    /// The memories to merge, in order.
    #[arg(required = true, num_args = 1..)]
    inputs: Vec<PathBuf>,
    /// Record each unit's file in `<prop type="x-source-file">`.
    #[arg(long)]
    provenance: bool,
    #[command(flatten)]
    read: InputArgs,
    #[command(flatten)]
    write: OutputArgs,
}

#[derive(Args)]
pub struct DedupeArgs {
    /// The memory (a regular file: read twice, or once with --keep first).
    input: PathBuf,
    /// Also count as duplicates units equal once white space, NBSP, quotes and dashes are
    /// normalised.
    #[arg(long)]
    normalize: bool,
    /// Also count as duplicates units that differ only in letter case (implies --normalize).
    #[arg(long)]
    ignore_case: bool,
    /// Also count as duplicates units that differ only in inline tags (implies --normalize).
    #[arg(long)]
    ignore_tags: bool,
    /// Which unit of a duplicate group to keep.
    #[arg(long, value_enum, default_value = "newest")]
    keep: KeepArg,
    /// Write the removed units here, each with `<prop type="x-rejected">` saying why.
    #[arg(long, value_name = "FILE")]
    rejected: Option<PathBuf>,
    #[command(flatten)]
    read: InputArgs,
    #[command(flatten)]
    write: OutputArgs,
}

/// Which unit of a duplicate group survives.
#[derive(Clone, Copy, ValueEnum)]
pub enum KeepArg {
    /// The first in the file (one reading of the memory: about twice as fast).
    First,
    /// The newest by `changedate`, else `creationdate` (ties: the first).
    Newest,
    /// The highest `<prop type="x-score">` (ties: the newest, then the first).
    Score,
}

#[derive(Args)]
pub struct FilterArgs {
    /// The memory.
    input: PathBuf,
    /// Remove units whose `x-score` prop is below this (units without a score are kept).
    #[arg(long, value_name = "SCORE")]
    min_score: Option<f64>,
    /// Remove units with an empty or missing target.
    #[arg(long)]
    empty: bool,
    /// Remove units whose target equals the source (segments without letters are exempt).
    #[arg(long)]
    untranslated: bool,
    /// Remove units whose source and target lengths are less likely than P for a translation
    /// under the Gale-Church length model (0.001 removes about 1 genuine pair in 1000).
    #[arg(long, value_name = "P")]
    length_p: Option<f64>,
    /// Remove units whose source or target is not in the script of its language (Cyrillic for
    /// ru, uk, ...; Latin for en, de, fr, ...).
    #[arg(long)]
    wrong_script: bool,
    /// Remove units with a segment longer than N characters.
    #[arg(long, value_name = "N")]
    max_chars: Option<usize>,
    /// Remove units whose source matches this regular expression.
    #[arg(long, value_name = "REGEX")]
    drop_source: Option<String>,
    /// Remove units whose target matches this regular expression.
    #[arg(long, value_name = "REGEX")]
    drop_target: Option<String>,
    /// Keep only units whose source matches this regular expression.
    #[arg(long, value_name = "REGEX")]
    keep_source: Option<String>,
    /// Keep only units whose target matches this regular expression.
    #[arg(long, value_name = "REGEX")]
    keep_target: Option<String>,
    /// Write the removed units here, each with `<prop type="x-rejected">` giving the reasons.
    #[arg(long, value_name = "FILE")]
    rejected: Option<PathBuf>,
    #[command(flatten)]
    read: InputArgs,
    #[command(flatten)]
    write: OutputArgs,
}

#[derive(Args)]
pub struct LookupArgs {
    /// The memory to search, or an index file written by `bitext tm index` (told by its first
    /// bytes).
    tm: PathBuf,
    /// The sentence to look up.
    #[arg(required_unless_present = "queries", conflicts_with = "queries")]
    query: Option<String>,
    /// Look up every line of this file (`-` reads standard input).
    #[arg(long, value_name = "FILE")]
    queries: Option<PathBuf>,
    /// Matches to show per query.
    #[arg(short = 'n', long, default_value_t = 5)]
    max_results: usize,
    /// Lowest match percentage to show.
    #[arg(long, default_value_t = 50, value_parser = clap::value_parser!(u8).range(0..=100))]
    min_percent: u8,
    /// Language of the side to search (default: each unit's source language); not with an
    /// index, which was built for one side.
    #[arg(long, value_name = "TAG")]
    lang: Option<String>,
    /// Print JSON lines, one per query.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    read: InputArgs,
}

#[derive(Args)]
pub struct IndexArgs {
    /// The memory to index.
    tm: PathBuf,
    /// The index file to write (atomically; never the memory itself).
    #[arg(short, long, value_name = "INDEX")]
    output: PathBuf,
    /// Replace a write-protected output.
    #[arg(long)]
    force: bool,
    /// Language of the side to search (default: each unit's source language).
    #[arg(long, value_name = "TAG")]
    lang: Option<String>,
    #[command(flatten)]
    read: InputArgs,
}

#[derive(Args)]
pub struct StatsArgs {
    /// The memory.
    input: PathBuf,
    /// Print JSON.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    read: InputArgs,
}

/// Runs one `bitext tm` command.
pub fn run(command: TmCommand) -> anyhow::Result<ExitCode> {
    let mut warn = |w: Warning| console::warning(&w);
    let written = match command {
        TmCommand::Convert(a) => {
            let summary =
                ops::convert(&a.input, &a.write.output, &io(&a.read, &a.write), &mut warn)?;
            report("convert", &summary)
        }
        TmCommand::Merge(a) => {
            let summary = ops::merge(
                &a.inputs,
                &a.write.output,
                &io(&a.read, &a.write),
                a.provenance,
                &mut warn,
            )?;
            report("merge", &summary)
        }
        TmCommand::Dedupe(a) => {
            let options = DedupeOptions {
                normalize: a.normalize || a.ignore_case || a.ignore_tags,
                ignore_case: a.ignore_case,
                ignore_tags: a.ignore_tags,
                keep: match a.keep {
                    KeepArg::First => Keep::First,
                    KeepArg::Newest => Keep::Newest,
                    KeepArg::Score => Keep::BestScore,
                },
            };
            let (summary, dedupe) = ops::dedupe(
                &a.input,
                &a.write.output,
                a.rejected.as_deref(),
                &io(&a.read, &a.write),
                &options,
                &mut warn,
            )?;
            console::summary(format_args!("tm dedupe: {dedupe}"));
            report("dedupe", &summary)
        }
        TmCommand::Filter(a) => {
            let regex = |pattern: &Option<String>, flag: &str| -> anyhow::Result<_> {
                pattern
                    .as_deref()
                    .map(regex::Regex::new)
                    .transpose()
                    .with_context(|| format!("{flag}: not a valid regular expression"))
            };
            if let Some(score) = a.min_score {
                if !(0.0..=1.0).contains(&score) {
                    bail!("--min-score must lie in [0, 1], got {score}");
                }
            }
            let max_length_cost = match a.length_p {
                None => None,
                Some(p) => Some(length_cost_limit(p).with_context(|| {
                    format!("--length-p must lie strictly between 0 and 1, got {p}")
                })?),
            };
            let criteria = FilterOptions {
                min_score: a.min_score,
                empty: a.empty,
                untranslated: a.untranslated,
                max_length_cost,
                wrong_script: a.wrong_script,
                max_chars: a.max_chars,
                source_regex: regex(&a.drop_source, "--drop-source")?,
                target_regex: regex(&a.drop_target, "--drop-target")?,
                keep_source_regex: regex(&a.keep_source, "--keep-source")?,
                keep_target_regex: regex(&a.keep_target, "--keep-target")?,
            };
            let (summary, filtered) = ops::filter(
                &a.input,
                &a.write.output,
                a.rejected.as_deref(),
                &io(&a.read, &a.write),
                criteria,
                &mut warn,
            )?;
            for (kind, n) in &filtered.by_kind {
                console::summary(format_args!("tm filter: {n} unit(s) removed: {kind}"));
            }
            if a.min_score.is_some() && filtered.unscored + filtered.unreadable_score > 0 {
                console::note(format_args!(
                    "tm filter: {} unit(s) without a score and {} with an unreadable one were \
                     kept (--min-score judges only scored units)",
                    filtered.unscored, filtered.unreadable_score
                ));
            }
            report("filter", &summary)
        }
        TmCommand::Lookup(a) => return lookup(a, &mut warn).map(|()| ExitCode::SUCCESS),
        TmCommand::Index(a) => {
            let lang = lang_arg(a.lang.as_deref())?;
            let index = ops::write_index(
                &a.tm,
                &a.output,
                lang,
                &input_options(&a.read),
                OutputPolicy { force: a.force },
                &mut warn,
            )?;
            console::summary(format_args!(
                "tm index: {} unit(s) indexed, {} skipped, written to {}",
                index.len(),
                index.skipped(),
                a.output.display()
            ));
            if index.is_empty() {
                console::warning(&Warning::new(
                    "tm index",
                    "no unit indexed: the index answers no query",
                ));
                return Ok(ExitCode::from(crate::EXIT_NOTHING_WRITTEN));
            }
            return Ok(ExitCode::SUCCESS);
        }
        TmCommand::Stats(a) => {
            let stats = ops::stats(&a.input, &input_options(&a.read), &mut warn)?;
            let text = if a.json {
                let mut json = serde_json::to_string_pretty(&stats.to_json())?;
                json.push('\n');
                json
            } else {
                stats.render_text()
            };
            let mut out = std::io::stdout().lock();
            out.write_all(text.as_bytes())?;
            out.flush()?;
            return Ok(ExitCode::SUCCESS);
        }
    };
    Ok(if written {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(crate::EXIT_NOTHING_WRITTEN)
    })
}

/// Prints the summary line on standard error, with a warning when nothing was written; true
/// when a unit was written.
fn report(command: &str, summary: &Summary) -> bool {
    if summary.written == 0 {
        let why = if summary.read == 0 {
            "the input holds no unit".to_string()
        } else if summary.removed == summary.read {
            format!("all {} unit(s) were removed", summary.read)
        } else {
            format!(
                "of {} unit(s) read, {} were removed and {} skipped by the writer",
                summary.read, summary.removed, summary.skipped
            )
        };
        console::warning(&Warning::new(
            format!("tm {command}"),
            format!("no unit written: {why}"),
        ));
    }
    console::summary(format_args!("tm {command}: {summary}"));
    summary.written > 0
}

fn langs(read: &InputArgs) -> Option<(String, String)> {
    read.src_lang.clone().zip(read.tgt_lang.clone())
}

fn input_options(read: &InputArgs) -> InputOptions {
    InputOptions {
        lenient: read.lenient,
        plain: read.plain,
        langs: langs(read),
        format: read.input_format.map(Format::from),
        max_unit_bytes: Some(read.max_unit_bytes),
    }
}

fn io(read: &InputArgs, write: &OutputArgs) -> IoOptions {
    IoOptions {
        input: input_options(read),
        output: OutputOptions {
            format: write.format.map(Format::from),
            strip_tags: write.strip_tags,
            langs: langs(read),
            ..OutputOptions::default()
        },
        output_policy: OutputPolicy { force: write.force },
    }
}

/// `--lang`, checked and put in canonical case as the memory's tags are, and as `align` reads
/// its tags (`crate::TagArg`).
fn lang_arg(written: Option<&str>) -> anyhow::Result<Option<String>> {
    Ok(match written {
        Some(written) => {
            let tag = crate::TagArg::read("--lang", written)?;
            tag.warn("--lang");
            Some(tag.tag)
        }
        None => None,
    })
}

/// `bitext tm lookup`: reads the index (or indexes the memory), then answers each query.
fn lookup(a: LookupArgs, warn: &mut dyn FnMut(Warning)) -> anyhow::Result<()> {
    let lang = lang_arg(a.lang.as_deref())?;
    let index = if is_index_file(&a.tm) {
        if lang.is_some() {
            bail!(
                "{}: an index is built for one side; --lang applies when it is built                  (bitext tm index --lang)",
                a.tm.display()
            );
        }
        let (index, memory) = Index::read_file(&a.tm)?;
        if let Some(why) = memory.changed() {
            warn(Warning::new(a.tm.display().to_string(), why));
        }
        index
    } else {
        ops::build_index(&a.tm, lang, &input_options(&a.read), warn)?
    };
    let options = LookupOptions {
        max_results: a.max_results,
        min_percent: a.min_percent,
    };
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let answer = |query: &str, out: &mut dyn Write| -> anyhow::Result<()> {
        let matches = index.lookup(query, &options);
        if a.json {
            let found: Vec<serde_json::Value> = matches
                .iter()
                .map(|m| {
                    serde_json::json!({
                        "percent": m.percent,
                        "source": m.unit.source.text,
                        "target": m.unit.target.map(|t| t.text),
                        "target_lang": m.unit.target.map(|t| t.lang),
                        "tuid": m.unit.tuid,
                        "unit": m.unit.number,
                    })
                })
                .collect();
            let line = serde_json::json!({ "query": query, "matches": found });
            writeln!(out, "{line}")?;
        } else {
            writeln!(out, "{query}")?;
            if matches.is_empty() {
                writeln!(out, "  no match at or above {}%", options.min_percent)?;
            }
            for m in &matches {
                let target = m.unit.target.map_or("", |t| t.text);
                writeln!(out, "  {:>3}%  {}", m.percent, m.unit.source.text)?;
                writeln!(out, "        {target}")?;
            }
        }
        Ok(())
    };
    match (&a.query, &a.queries) {
        (Some(query), _) => answer(query, &mut out)?,
        (None, Some(path)) => {
            let file: Box<dyn BufRead> = if path == Path::new("-") {
                Box::new(std::io::stdin().lock())
            } else {
                let f = std::fs::File::open(path).map_err(|e| bitext::Error::io(path, e))?;
                Box::new(std::io::BufReader::new(f))
            };
            for (n, line) in file.lines().enumerate() {
                let line = line
                    .map_err(|e| bitext::Error::io(path, e))
                    .with_context(|| {
                        format!(
                            "{}: line {} cannot be read as UTF-8 text",
                            path.display(),
                            n + 1
                        )
                    })?;
                // A UTF-8 byte-order mark (Windows editors write one) is not part of the query.
                let line = if n == 0 {
                    line.strip_prefix('\u{FEFF}').unwrap_or(&line)
                } else {
                    &line
                };
                let query = line.trim();
                if !query.is_empty() {
                    answer(query, &mut out)?;
                }
            }
        }
        (None, None) => bail!("give a sentence to look up or --queries FILE"),
    }
    out.flush()?;
    Ok(())
}
