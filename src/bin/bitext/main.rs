//! The `bitext` command line: a thin layer over the library.

use std::io::{IsTerminal, Write};
use std::num::NonZeroUsize;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{bail, Context};
use clap::{ArgGroup, Args, Parser, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};

use bitext::export::{self, ExportOptions};
use bitext::formats::Format;
use bitext::io::output::{OutputPlan, OutputPolicy};
use bitext::run::summary::{Outcome, PairStats, Summary};
use bitext::run::{batch, pipeline, stream};
use bitext::{align, normalize, read, split, Lang, Warning};
use evidence::EvidenceArgs;

mod cli_docs;
mod console;
mod evidence;
mod heap;
mod http;
mod review_cli;
mod review_server;
mod tm_cli;

/// Exit status when a command ran but wrote nothing (every link unaligned or below
/// `--min-score`, every unit filtered out): distinct from success (0), failure (1) and a usage
/// error (2).
const EXIT_NOTHING_WRITTEN: u8 = 3;

/// Parallel-text sentence alignment and translation memories.
#[derive(Parser)]
#[command(name = "bitext", version, about, long_about = None)]
struct Cli {
    /// Print errors only: no warnings, notes or summary lines.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    quiet: bool,
    /// Also print what was read, chosen and written, with timings.
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    verbose: u8,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Align a source and a target document into scored sentence pairs.
    Align(AlignArgs),
    /// Split a document into sentences, one a line.
    Split(SplitArgs),
    /// Score alignment files against gold alignments (strict and lax P/R/F1).
    Eval(EvalArgs),
    /// Translation memories: convert, merge, dedupe, filter, look up, count.
    #[command(subcommand)]
    Tm(tm_cli::TmCommand),
    /// Review an alignment in the browser (merge, split, accept, reject, edit) before export.
    Review(review_cli::ReviewArgs),
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish).
    Completions(cli_docs::CompletionsArgs),
    /// Print the man page (roff), or write one page per subcommand with --dir.
    Manpage(cli_docs::ManpageArgs),
}

#[derive(Args)]
#[command(group(ArgGroup::new("mode").args(["mixed", "batch", "stream"]).multiple(false)))]
struct AlignArgs {
    /// Source document or directory (or, with --mixed, the one document holding both languages).
    #[arg(required_unless_present_any = ["batch", "stream"])]
    src: Option<PathBuf>,
    /// Target document or directory.
    #[arg(required_unless_present_any = ["mixed", "batch", "stream"])]
    tgt: Option<PathBuf>,
    /// Output file; `-` or none writes to standard output. A file is written atomically and
    /// never over an input; a device or FIFO in place. With two directories: the output
    /// directory (created if needed).
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// Output format: tmx, tsv, csv, jsonl, links, or xlsx (a review workbook, single pairs
    /// only) (default: from the output's extension, else tmx).
    #[arg(short, long)]
    format: Option<FormatArg>,
    /// Source language (ISO 639-1, optionally with a region: en, de-CH).
    #[arg(long, default_value = "en")]
    src_lang: LangArg,
    /// Target language (ISO 639-1, optionally with a region: ru, fr-CA).
    #[arg(long, default_value = "ru")]
    tgt_lang: LangArg,
    /// TMX language tag of the source side (default: from --src-lang: en-US, ru-RU, de-DE,
    /// fr-FR, a code with a region as given, another code alone).
    #[arg(long)]
    src_tag: Option<String>,
    /// TMX language tag of the target side (default: from --tgt-lang, as --src-tag).
    #[arg(long)]
    tgt_tag: Option<String>,
    /// Inputs hold one sentence a line (blank lines are paragraph breaks); do not split.
    #[arg(long)]
    presplit: bool,
    /// How a single line break inside a paragraph is read: auto (per paragraph and line:
    /// short unterminated lines, headings and lists are boundaries, wrapped prose is not),
    /// soft (the line goes on) or hard (every line break ends a sentence).
    #[arg(
        long,
        value_name = "MODE",
        default_value = "auto",
        conflicts_with = "presplit"
    )]
    line_breaks: split::LineBreaks,
    /// The source file holds both languages; paragraphs are separated by script.
    #[arg(long, conflicts_with_all = ["tgt", "presplit"])]
    mixed: bool,
    /// Align every pair listed in MANIFEST, one `src<TAB>tgt<TAB>out` line each (relative paths
    /// are taken from the manifest's directory; `#` comments and blank lines are skipped).
    #[arg(long, value_name = "MANIFEST", conflicts_with_all = ["src", "tgt", "output"])]
    batch: Option<PathBuf>,
    /// Read JSON lines `{"id":…,"src":…,"tgt":…}` (whole documents) on stdin and write one JSON
    /// line per link on stdout, documents in input order.
    #[arg(long, conflicts_with_all = ["src", "tgt", "output", "format"])]
    stream: bool,
    /// Worker threads (default: one per core; at most four per core).
    #[arg(long, value_name = "N")]
    threads: Option<NonZeroUsize>,
    /// Batch, directory and stream modes: start no new pair after the first failure.
    #[arg(long)]
    fail_fast: bool,
    /// Refuse an input file (or stream line) larger than this many bytes.
    #[arg(long, value_name = "BYTES", default_value_t = read::DEFAULT_MAX_INPUT_BYTES)]
    max_input_bytes: u64,
    /// Read the documents in this encoding (a WHATWG label: utf-8, utf-16le, windows-1251,
    /// koi8-r, koi8-u, ibm866, iso-8859-5, x-mac-cyrillic, windows-1252) instead of telling it
    /// from the bytes; bytes that do not decode in it are an error.
    #[arg(
        long,
        value_name = "NAME",
        value_parser = read::encoding_for_label,
        conflicts_with = "stream"
    )]
    encoding: Option<&'static read::Encoding>,
    /// Drop links scored below this confidence.
    #[arg(long, default_value_t = 0.0)]
    min_score: f64,
    /// Keep 1-0 and 0-1 links in TSV, CSV and JSON lines output.
    #[arg(long)]
    keep_unaligned: bool,
    /// TSV and CSV: write segment cells as plain text, not TMX segment markup (`&`, `<`, `>`
    /// unescaped; TSV turns a TAB into a space). `bitext tm` reads such a table with --plain
    #[arg(long)]
    plain: bool,
    /// TSV and CSV: write no header row (for tools that take every line as a segment pair);
    /// `bitext tm` reads such a table when given --src-lang and --tgt-lang
    #[arg(long)]
    no_header: bool,
    /// TSV and CSV: start the file with a UTF-8 byte-order mark, so Excel reads it as UTF-8
    /// (bitext reads such a file back as well)
    #[arg(long)]
    bom: bool,
    /// Align even when one side is more than ten times longer than the other, and replace a
    /// write-protected output.
    #[arg(long)]
    force: bool,
    /// Evidence beyond lengths and anchors.
    #[command(flatten)]
    evidence: EvidenceArgs,
    /// Leave sentences the translation moved out of order unaligned: do not pair unaligned
    /// sentences of both sides that share a rare number, name or word nearby (links that
    /// cross).
    #[arg(long)]
    no_crossing: bool,
}

#[derive(Args)]
struct SplitArgs {
    /// The document (`-` reads standard input).
    file: PathBuf,
    /// Its language (ISO 639-1, optionally with a region: en, de-CH).
    #[arg(long, default_value = "en")]
    lang: LangArg,
    /// How a single line break inside a paragraph is read: auto, soft or hard (see `align`).
    #[arg(long, value_name = "MODE", default_value = "auto")]
    line_breaks: split::LineBreaks,
    /// Read the document in this encoding instead of telling it from the bytes (see `align`).
    #[arg(long, value_name = "NAME", value_parser = read::encoding_for_label)]
    encoding: Option<&'static read::Encoding>,
}

#[derive(Args)]
struct EvalArgs {
    /// System alignment files (links format).
    #[arg(short = 't', long = "test", num_args = 1.., required = true)]
    test: Vec<PathBuf>,
    /// Gold alignment files, paired with the system files in order.
    #[arg(short = 'g', long = "gold", num_args = 1.., required = true)]
    gold: Vec<PathBuf>,
    /// Print one row per document pair as well as the total.
    #[arg(long)]
    per_doc: bool,
    /// Print JSON.
    #[arg(long)]
    json: bool,
    /// Count only the system links scored at least T (0 to 1), to see what a threshold costs.
    #[arg(long, value_name = "T", allow_negative_numbers = true)]
    min_score: Option<f64>,
    /// Draw an SVG: the reliability diagram (precision by score bin against the diagonal) and,
    /// per document, the system path over the gold path.
    #[arg(long, value_name = "FILE.svg")]
    plot: Option<PathBuf>,
    /// After the scores, list each document's missed gold links and wrong system links (with
    /// their text when --src-sents and --tgt-sents give the sentences).
    #[arg(long)]
    errors: bool,
    /// With --errors: the source sentences of each document, one a line (as `bitext split`
    /// prints them), paired with the system files in order.
    #[arg(long, value_name = "FILE", num_args = 1.., requires = "tgt_sents")]
    src_sents: Vec<PathBuf>,
    /// With --errors: the target sentences of each document, one a line.
    #[arg(long, value_name = "FILE", num_args = 1.., requires = "src_sents")]
    tgt_sents: Vec<PathBuf>,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    console::set_level(cli.quiet, cli.verbose);
    remove_temporary_files_on_signals();
    let result = match cli.command {
        Command::Align(args) => run_align(args),
        Command::Split(args) => run_split(args).map(|()| ExitCode::SUCCESS),
        Command::Eval(args) => run_eval(args).map(|()| ExitCode::SUCCESS),
        Command::Tm(command) => tm_cli::run(command),
        Command::Review(args) => review_cli::run(args),
        Command::Completions(args) => {
            cli_docs::completions::<Cli>(args).map(|()| ExitCode::SUCCESS)
        }
        Command::Manpage(args) => cli_docs::manpage::<Cli>(args).map(|()| ExitCode::SUCCESS),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            let broken_pipe = err.chain().any(|e| {
                e.downcast_ref::<std::io::Error>()
                    .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
                    || e.downcast_ref::<bitext::Error>()
                        .is_some_and(bitext::Error::is_broken_pipe)
            });
            if broken_pipe {
                return ExitCode::SUCCESS;
            }
            console::error(console::error_line(&err));
            ExitCode::FAILURE
        }
    }
}

/// On SIGINT, SIGTERM and SIGHUP: remove the temporary files of outputs being written (after
/// a commit in progress), then exit with 128 + the signal's number, as a shell reports it.
fn remove_temporary_files_on_signals() {
    #[cfg(unix)]
    {
        use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
        let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP]) else {
            return;
        };
        std::thread::spawn(move || {
            if let Some(signal) = signals.forever().next() {
                bitext::io::output::remove_temporary_files();
                std::process::exit(128 + signal);
            }
        });
    }
}

fn warn_all(warnings: &[Warning]) {
    console::warnings(warnings);
}

/// The exit status of a command that wrote `written` units.
fn exit_for(written: usize) -> ExitCode {
    match written {
        0 => ExitCode::from(EXIT_NOTHING_WRITTEN),
        _ => ExitCode::SUCCESS,
    }
}

/// Reads a document with `options`; a format other than plain text, and a legacy code page it
/// was read in, are told in a note.
fn read_doc(path: &Path, options: &read::ReadOptions) -> anyhow::Result<read::Document> {
    let doc = read::read_file_with(path, options)?;
    for note in doc.read_notes() {
        console::note(format!("{}: {note}", path.display()));
    }
    Ok(doc)
}

/// How `align` reads its documents.
fn read_options(args: &AlignArgs) -> read::ReadOptions {
    read::ReadOptions {
        max_bytes: args.max_input_bytes,
        encoding: args.encoding,
    }
}

fn load(
    path: &Path,
    lang: Lang,
    split_options: Option<split::Options>,
    encoding: Option<&'static read::Encoding>,
) -> anyhow::Result<split::SplitDocument> {
    let options = read::ReadOptions {
        encoding,
        ..read::ReadOptions::default()
    };
    let doc = read_doc(path, &options)?;
    let (doc, warnings) = normalize::normalize(doc);
    warn_all(&warnings);
    Ok(match split_options {
        None => split::lines(doc),
        Some(options) => split::split_with(doc, lang, &options),
    })
}

fn run_align(mut args: AlignArgs) -> anyhow::Result<ExitCode> {
    read_tags(&mut args)?;
    if !(0.0..=1.0).contains(&args.min_score) {
        bail!("--min-score must lie in [0, 1], got {}", args.min_score);
    }
    let many_pairs = args.mixed
        || args.stream
        || args.batch.is_some()
        || args.src.as_deref().is_some_and(Path::is_dir);
    if !args.evidence.embeddings.is_empty() && many_pairs {
        bail!(
            "--embeddings gives the vectors of one pair of documents; it does not apply to \
             --mixed, --batch, --stream or directories (a --batch manifest gives each pair \
             its vectors in two more columns)"
        );
    }
    if args.stream {
        return run_stream(&args);
    }
    if let Some(manifest) = &args.batch {
        let jobs = batch::parse_manifest(manifest, args.max_input_bytes)?;
        return run_batch(&args, jobs, Vec::new(), true);
    }
    if let (Some(src), Some(tgt)) = (&args.src, &args.tgt) {
        if src.is_dir() && tgt.is_dir() {
            return run_directories(&args, src, tgt);
        }
    }
    // One pair: its passes replace one model by the next (see `heap`).
    heap::one_arena();
    match args.threads {
        Some(_) => pool(args.threads)?.install(|| run_pair(&args)),
        None => run_pair(&args),
    }
}

/// A `--src-lang`/`--tgt-lang` value: the language whose rules apply, and the tag as given
/// in canonical case (which names the TMX tag when none is given).
#[derive(Clone, Debug)]
struct LangArg {
    lang: Lang,
    tag: TagArg,
}

impl std::str::FromStr for LangArg {
    type Err = String;

    fn from_str(s: &str) -> Result<LangArg, String> {
        let tag: TagArg = s.parse()?;
        Ok(LangArg {
            lang: tag.tag.parse()?,
            tag,
        })
    }
}

impl LangArg {
    /// The TMX tag for this language: the language's usual tag (`de` -> `de-DE`), or the tag
    /// as given when it names a region or the language has none.
    fn tmx_tag(&self) -> String {
        if self.tag.tag.contains('-') {
            return self.tag.tag.clone();
        }
        match self.lang.default_tag() {
            Some(tag) => tag.to_string(),
            None => self.tag.tag.clone(),
        }
    }
}

/// A language tag given on the command line (`--src-lang`, `--src-tag`, `bitext tm lookup
/// --lang`), read by [`bitext::lang::tag::read_tag`]: refused when no repair makes it BCP 47,
/// else in canonical case, with a warning when that changed it (`en_US` -> `en-US`).
#[derive(Clone, Debug)]
pub(crate) struct TagArg {
    /// The tag in canonical case.
    pub tag: String,
    /// What was repaired, and the fix, when the tag was not written canonically.
    pub note: Option<String>,
}

impl std::str::FromStr for TagArg {
    type Err = String;

    fn from_str(s: &str) -> Result<TagArg, String> {
        let (tag, note) = bitext::lang::tag::read_tag(s)?;
        Ok(TagArg { tag, note })
    }
}

impl TagArg {
    /// Reads the value of option `flag` as [`TagArg`]'s `FromStr` does, the refusal naming
    /// the option.
    pub(crate) fn read(flag: &str, value: &str) -> anyhow::Result<TagArg> {
        value
            .parse()
            .map_err(|why| anyhow::anyhow!("{flag}: {why}"))
    }

    /// Prints the warning about the repaired tag of option `flag`, if any.
    pub(crate) fn warn(&self, flag: &str) {
        if let Some(note) = &self.note {
            console::warning(&Warning::new(flag, note.as_str()));
        }
    }
}

/// Reads the language options of `align` as tags: `--src-tag`/`--tgt-tag` are put in canonical
/// case, and every option not written canonically is warned about (`en_US` -> `en-US`), as
/// `bitext tm` reads tags.
fn read_tags(args: &mut AlignArgs) -> anyhow::Result<()> {
    args.src_lang.tag.warn("--src-lang");
    args.tgt_lang.tag.warn("--tgt-lang");
    for (flag, value) in [
        ("--src-tag", &mut args.src_tag),
        ("--tgt-tag", &mut args.tgt_tag),
    ] {
        if let Some(written) = value {
            let tag = TagArg::read(flag, written)?;
            tag.warn(flag);
            *written = tag.tag;
        }
    }
    Ok(())
}

/// The per-pair settings the options ask for.
fn settings(args: &AlignArgs) -> anyhow::Result<pipeline::Settings> {
    let lexicon = if args.evidence.dict.is_empty() {
        None
    } else {
        let lexicon = align::lexicon::Lexicon::read(
            &args.evidence.dict,
            args.src_lang.lang,
            args.tgt_lang.lang,
        )?;
        Some(std::sync::Arc::new(lexicon))
    };
    Ok(pipeline::Settings {
        src_lang: args.src_lang.lang,
        tgt_lang: args.tgt_lang.lang,
        presplit: args.presplit,
        split: split::Options {
            line_breaks: args.line_breaks,
        },
        force: args.force,
        align: align::Options {
            params: align::Params {
                embedding_weight: args.evidence.embedding_weight(args.batch.is_some())?,
                ..align::Params::default()
            },
            ..align::Options::default()
        },
        lexicon,
        learn: !args.evidence.no_learn,
        learned: None,
        crossing: !args.no_crossing,
        keep_sentences: false,
    })
}

/// The export options; `format` is the one of a single output (batch outputs may differ).
fn export_options(args: &AlignArgs, format: Format) -> ExportOptions {
    ExportOptions {
        format,
        src_tag: args
            .src_tag
            .clone()
            .unwrap_or_else(|| args.src_lang.tmx_tag()),
        tgt_tag: args
            .tgt_tag
            .clone()
            .unwrap_or_else(|| args.tgt_lang.tmx_tag()),
        keep_unaligned: args.keep_unaligned,
        min_score: args.min_score,
        plain: args.plain,
        no_header: args.no_header,
        bom: args.bom,
    }
}

/// The most worker threads a run takes: four per core. More only add memory and switching
/// (alignment is CPU-bound), and absurd counts exhaust the system.
fn max_threads() -> usize {
    4 * std::thread::available_parallelism().map_or(1, NonZeroUsize::get)
}

/// A rayon pool of `threads` workers (default: one per core; capped by [`max_threads`]).
fn pool(threads: Option<NonZeroUsize>) -> anyhow::Result<rayon::ThreadPool> {
    let mut builder = rayon::ThreadPoolBuilder::new();
    if let Some(n) = threads {
        let cap = max_threads();
        if n.get() > cap {
            console::note(format!(
                "--threads {n} capped at {cap} (four per core): alignment gains nothing from \
                 more threads than cores"
            ));
        }
        builder = builder.num_threads(n.get().min(cap));
    }
    let pool = builder.build().context("cannot start the worker threads")?;
    console::info(format!("{} worker thread(s)", pool.current_num_threads()));
    Ok(pool)
}

/// The files an `align` run reads besides its documents (no output may be one of them).
fn protected_inputs(args: &AlignArgs) -> Vec<PathBuf> {
    let mut inputs: Vec<PathBuf> = args.evidence.dict.clone();
    inputs.extend(args.evidence.embeddings.iter().cloned());
    inputs.extend(args.batch.clone());
    inputs
}

/// `bitext align SRC TGT` and `bitext align --mixed FILE`.
fn run_pair(args: &AlignArgs) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let output = args.output.clone().unwrap_or_else(|| PathBuf::from("-"));
    let src_path = args
        .src
        .as_deref()
        .context("a source document is required")?;
    // Everything about the output is checked before the work: path, format, options.
    let mut plan = OutputPlan::new(OutputPolicy { force: args.force });
    plan.input(src_path);
    plan.inputs(args.tgt.as_deref());
    plan.inputs(protected_inputs(args).iter().map(PathBuf::as_path));
    let target = plan.claim(&output)?;
    // A workbook for a spreadsheet reviewer: every link with its score, type and status.
    let xlsx = args.format == Some(FormatArg::Xlsx)
        || args.format.is_none()
            && output
                .extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"));
    let format = match args.format {
        Some(FormatArg::Units(f)) => f,
        // The tags are validated as for TMX; the workbook names them in its `bitext` sheet.
        Some(FormatArg::Xlsx) => Format::Tmx,
        None if xlsx => Format::Tmx,
        None => Format::of_output(&output)?.unwrap_or(Format::Tmx),
    };
    let options = export_options(args, format);
    warn_all(&export::validate(&options)?);
    let mut out = target.open()?;
    console::info(format!(
        "writing {} as {format:?}{}",
        output.display(),
        if target.is_stream() {
            " (in place)"
        } else {
            " (atomically)"
        }
    ));
    let settings = settings(args)?;
    let reading = Instant::now();
    let aligned = if args.mixed {
        let doc = read_doc(src_path, &read_options(args))?;
        let read = reading.elapsed();
        pipeline::align_mixed(&doc, &settings).map(|pair| (read, pair))
    } else {
        let tgt_path = args
            .tgt
            .as_deref()
            .context("a target document is required")?;
        let src = read_doc(src_path, &read_options(args))?;
        let tgt = read_doc(tgt_path, &read_options(args))?;
        let vectors = args.evidence.vectors(args.max_input_bytes)?;
        let read = reading.elapsed();
        pipeline::align_documents_with(src, tgt, vectors.as_ref(), &settings)
            .map(|pair| (read, pair))
    };
    let (read, pair) = match aligned {
        Ok(pair) => pair,
        Err(e) => {
            warn_all(&e.warnings);
            return Err(e.error.into());
        }
    };
    warn_all(&pair.warnings);
    if let Some(map) = pair.time_map {
        console::note(format!(
            "{}: subtitles aligned on their cue times ({map})",
            src_path.display()
        ));
    }
    let writing = Instant::now();
    let written = if xlsx {
        write_workbook(&pair.units, &options, &mut out, &output)?
    } else {
        export::write_to(&pair.units, &options, &mut out)?
    };
    out.commit()?;
    let mut stages = vec![("read", read)];
    stages.extend(pair.stages.iter().copied());
    stages.push(("write", writing.elapsed()));
    let stages: Vec<String> = stages
        .iter()
        .map(|(stage, took)| format!("{stage} {:.3} s", took.as_secs_f64()))
        .collect();
    console::info(format!("stages: {}", stages.join(", ")));
    warn_all(&written.warnings);
    let mut stats = PairStats::of(&pair);
    stats.written = written.units;
    stats.below_min_score = written.below_min_score;
    let mut warnings = pair.warnings.len() + written.warnings.len();
    if written.units == 0 {
        warnings += 1;
        console::warning(&Warning::new(
            output.display().to_string(),
            export::why_nothing_written(&pair.units, &options),
        ));
    }
    let mut summary = Summary::default();
    summary.add(&Outcome::Done(stats), warnings);
    summary.elapsed = started.elapsed();
    console::summary(&summary);
    Ok(exit_for(written.units))
}

/// Writes the links scored at least `--min-score` (null links too: a reviewer should see
/// them) as a review workbook, every row unreviewed.
fn write_workbook(
    units: &[export::TranslationUnit],
    options: &ExportOptions,
    out: &mut bitext::io::output::Output,
    path: &Path,
) -> anyhow::Result<export::Written> {
    use bitext::formats::xlsx;
    let kept: Vec<&export::TranslationUnit> = units
        .iter()
        .filter(|u| u.score.is_finite() && u.score >= options.min_score)
        .collect();
    let book = xlsx::Workbook {
        src_tag: Some(options.src_tag.clone()),
        tgt_tag: Some(options.tgt_tag.clone()),
        rows: kept
            .iter()
            .enumerate()
            .map(|(i, u)| xlsx::Row {
                id: i.to_string(),
                source: u.src.split_whitespace().collect::<Vec<_>>().join(" "),
                target: u.tgt.split_whitespace().collect::<Vec<_>>().join(" "),
                score: Some(u.score),
                kind: format!("{}-{}", u.src_ids.len(), u.tgt_ids.len()),
                status: "unreviewed".into(),
                comment: String::new(),
            })
            .collect(),
    };
    xlsx::write(out, &book).map_err(|e| bitext::Error::io(path, e))?;
    Ok(export::Written {
        units: kept.len(),
        below_min_score: units.len() - kept.len(),
        warnings: Vec::new(),
    })
}

/// `bitext align SRC_DIR TGT_DIR -o OUT_DIR`: pairs matched by file name.
fn run_directories(args: &AlignArgs, src: &Path, tgt: &Path) -> anyhow::Result<ExitCode> {
    let out_dir = match args.output.as_deref() {
        Some(dir) if dir != Path::new("-") => dir,
        _ => bail!(
            "{} and {} are directories: name an output directory with -o",
            src.display(),
            tgt.display()
        ),
    };
    if out_dir.exists() && !out_dir.is_dir() {
        bail!(
            "output '{}' is not a directory (two input directories write one file per pair)",
            out_dir.display()
        );
    }
    let format = unit_format(args)?.unwrap_or(Format::Tmx);
    let (jobs, warnings) = batch::pair_directories(src, tgt, out_dir, format)?;
    std::fs::create_dir_all(out_dir)
        .map_err(|e| bitext::Error::io(out_dir, e))
        .context("cannot create the output directory")?;
    run_batch(args, jobs, warnings, false)
}

/// `-f` for a batch or directory run: a format of the registry (a workbook is written for a
/// single pair only).
fn unit_format(args: &AlignArgs) -> anyhow::Result<Option<Format>> {
    match args.format {
        None => Ok(None),
        Some(FormatArg::Units(f)) => Ok(Some(f)),
        Some(FormatArg::Xlsx) => {
            bail!("-f xlsx writes one review workbook: align a single pair with -o FILE.xlsx")
        }
    }
}

/// `-f`: a format of the registry, or `xlsx`, the review workbook (`formats::xlsx`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum FormatArg {
    /// TMX, TSV, CSV, JSON lines or links.
    Units(Format),
    /// A review workbook.
    Xlsx,
}

impl std::str::FromStr for FormatArg {
    type Err = String;

    fn from_str(s: &str) -> Result<FormatArg, String> {
        if s.trim().eq_ignore_ascii_case("xlsx") {
            return Ok(FormatArg::Xlsx);
        }
        s.parse::<Format>()
            .map(FormatArg::Units)
            .map_err(|e| match e.strip_suffix(')') {
                Some(head) => format!("{head}, xlsx)"),
                None => e,
            })
    }
}

/// Runs a batch of pairs on the pool, reporting each pair as it finishes and a summary at the
/// end; the exit code is non-zero when a pair failed.
fn run_batch(
    args: &AlignArgs,
    jobs: Vec<batch::Job>,
    pairing_warnings: Vec<Warning>,
    format_from_path: bool,
) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let default_format = unit_format(args)?.unwrap_or(Format::Tmx);
    let options = batch::BatchOptions {
        settings: settings(args)?,
        export: export_options(args, default_format),
        format_from_path: format_from_path && args.format.is_none(),
        max_input_bytes: args.max_input_bytes,
        encoding: args.encoding,
        fail_fast: args.fail_fast,
        protected: protected_inputs(args),
        output_policy: OutputPolicy { force: args.force },
        embedding_dim: args.evidence.embedding_dim,
    };
    // Bad tags or thresholds fail before any pair runs; a tag warning is printed once.
    let mut formats: Vec<Format> = jobs.iter().map(|j| options.format_of(j)).collect();
    formats.dedup();
    let mut option_warnings = Vec::new();
    for format in formats {
        for w in export::validate(&export_options(args, format))? {
            if !option_warnings.contains(&w) {
                option_warnings.push(w);
            }
        }
    }
    warn_all(&pairing_warnings);
    warn_all(&option_warnings);
    if jobs.is_empty() {
        bail!("no pair to align");
    }
    let bar = if std::io::stderr().is_terminal() {
        let style = ProgressStyle::with_template(
            "{elapsed_precise} [{bar:40}] {pos}/{len} pairs, eta {eta}",
        )
        .context("progress bar template")?
        .progress_chars("=> ");
        ProgressBar::new(jobs.len() as u64).with_style(style)
    } else {
        ProgressBar::hidden()
    };
    let on_done = |job: &batch::Job, report: &batch::PairReport| {
        let failed = matches!(report.outcome, Outcome::Failed(_));
        let quiet = report.warnings.iter().all(|w| option_warnings.contains(w))
            && (report.notes.is_empty() || !console::verbose());
        if failed || !quiet {
            bar.suspend(|| {
                let mut err = std::io::stderr().lock();
                if console::verbose() {
                    for note in &report.notes {
                        let _ = writeln!(err, "bitext: info: {}: {note}", job.label);
                    }
                }
                if !console::quiet() {
                    for w in report
                        .warnings
                        .iter()
                        .filter(|w| !option_warnings.contains(w))
                    {
                        let _ = writeln!(err, "bitext: warning: {}: {w}", job.label);
                    }
                }
                if let Outcome::Failed(e) = &report.outcome {
                    let _ = writeln!(err, "bitext: error: {}: {e}", job.label);
                }
            });
        }
        bar.inc(1);
    };
    let reports = pool(args.threads)?.install(|| batch::run(&jobs, &options, &on_done));
    bar.finish_and_clear();
    let mut summary = Summary::default();
    for report in &reports {
        let shown = report
            .warnings
            .iter()
            .filter(|w| !option_warnings.contains(w))
            .count();
        summary.add(&report.outcome, shown);
    }
    summary.warnings += pairing_warnings.len() + option_warnings.len();
    summary.elapsed = started.elapsed();
    console::summary(&summary);
    Ok(batch_exit(&summary))
}

/// Failure when a pair or document failed; [`EXIT_NOTHING_WRITTEN`] when one wrote nothing.
fn batch_exit(summary: &Summary) -> ExitCode {
    if summary.failed > 0 {
        ExitCode::FAILURE
    } else if summary.empty > 0 {
        ExitCode::from(EXIT_NOTHING_WRITTEN)
    } else {
        ExitCode::SUCCESS
    }
}

/// `bitext align --stream`: JSON lines in, one JSON line per link out.
fn run_stream(args: &AlignArgs) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let pool = pool(args.threads)?;
    let options = stream::StreamOptions {
        settings: settings(args)?,
        export: export_options(args, Format::Jsonl),
        name: "stdin".into(),
        max_line_bytes: args.max_input_bytes,
        chunk_docs: 4 * pool.current_num_threads().max(1),
        chunk_bytes: 64 << 20,
        fail_fast: args.fail_fast,
    };
    let mut report = |problem: stream::Problem| match problem {
        stream::Problem::Warning(w) => console::warning(&w),
        stream::Problem::Error(e) => console::error(e),
    };
    // The locks are taken on the pool's thread that runs the stream.
    let mut summary = pool.install(|| {
        let mut input = std::io::stdin().lock();
        let mut output = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
        stream::run(&mut input, &mut output, &options, &mut report)
    })?;
    summary.elapsed = started.elapsed();
    console::summary(summary.line("document"));
    // A document without links is common in a stream; only a stream that wrote none is empty.
    Ok(if summary.failed > 0 {
        ExitCode::FAILURE
    } else if summary.done > 0 && summary.totals.written == 0 {
        console::warning(&Warning::new("stdin", "no link written for any document"));
        ExitCode::from(EXIT_NOTHING_WRITTEN)
    } else {
        ExitCode::SUCCESS
    })
}

fn run_split(args: SplitArgs) -> anyhow::Result<()> {
    args.lang.tag.warn("--lang");
    let options = split::Options {
        line_breaks: args.line_breaks,
    };
    let doc = load(&args.file, args.lang.lang, Some(options), args.encoding)?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for s in doc.texts() {
        // A sentence may cross a soft line break; print it on one line.
        let line: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
        writeln!(out, "{line}")?;
    }
    out.flush()?;
    Ok(())
}

fn run_eval(args: EvalArgs) -> anyhow::Result<()> {
    if args.test.len() != args.gold.len() {
        bail!(
            "{} system file(s) but {} gold file(s): they are paired in order",
            args.test.len(),
            args.gold.len()
        );
    }
    if args.src_sents.len() != args.tgt_sents.len()
        || (!args.src_sents.is_empty() && args.src_sents.len() != args.test.len())
    {
        bail!(
            "--src-sents and --tgt-sents name one file per document ({} system files)",
            args.test.len()
        );
    }
    let report = bitext::eval::evaluate(&args.test, &args.gold, args.min_score)?;
    if let Some(note) = &report.note {
        console::note(note);
    }
    for warning in &report.warnings {
        eprintln!("bitext: warning: {warning}");
    }
    let text = if args.json {
        report.render_json(args.per_doc)
    } else {
        report.render_text(args.per_doc)
    };
    if let Some(plot) = &args.plot {
        let svg = bitext::eval::plot::render_svg(&report)?;
        let inputs: Vec<&Path> = args
            .test
            .iter()
            .chain(&args.gold)
            .map(PathBuf::as_path)
            .collect();
        bitext::io::output::write_file(plot, &inputs, OutputPolicy::default(), |out| {
            out.write_all(svg.as_bytes())
                .map_err(|e| bitext::Error::io(plot, e))
        })?;
        console::info(format!("plot written to {}", plot.display()));
    }
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())?;
    if args.errors {
        let mut texts = Vec::new();
        for (src, tgt) in args.src_sents.iter().zip(&args.tgt_sents) {
            texts.push((
                bitext::eval::plot::read_sentences(src)?,
                bitext::eval::plot::read_sentences(tgt)?,
            ));
        }
        out.write_all(b"\n")?;
        out.write_all(bitext::eval::plot::errors(&report, &texts)?.as_bytes())?;
    }
    out.flush()?;
    Ok(())
}
