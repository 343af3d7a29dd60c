//! The `bitext` command line: a thin layer over the library.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context};
use clap::{Args, Parser, Subcommand};

use bitext::export::{self, ExportOptions, Format, TranslationUnit};
use bitext::{align, normalize, read, score, split, Lang, Warning};

/// Parallel-text sentence alignment and translation memories.
#[derive(Parser)]
#[command(name = "bitext", version, about, long_about = None)]
struct Cli {
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
}

#[derive(Args)]
struct AlignArgs {
    /// Source document (or, with --mixed, the one document holding both languages).
    src: PathBuf,
    /// Target document.
    #[arg(required_unless_present = "mixed")]
    tgt: Option<PathBuf>,
    /// Output file; `-` or none writes to standard output.
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// Output format: tmx, tsv, csv, jsonl or links (default: from the output's extension, else tmx).
    #[arg(short, long)]
    format: Option<Format>,
    /// Source language (ISO 639-1).
    #[arg(long, default_value = "en")]
    src_lang: Lang,
    /// Target language (ISO 639-1).
    #[arg(long, default_value = "ru")]
    tgt_lang: Lang,
    /// TMX language tag of the source side.
    #[arg(long, default_value = "en-US")]
    src_tag: String,
    /// TMX language tag of the target side.
    #[arg(long, default_value = "ru-RU")]
    tgt_tag: String,
    /// Inputs hold one sentence a line (blank lines are paragraph breaks); do not split.
    #[arg(long)]
    presplit: bool,
    /// The source file holds both languages; paragraphs are separated by script.
    #[arg(long, conflicts_with_all = ["tgt", "presplit"])]
    mixed: bool,
    /// Drop links scored below this confidence.
    #[arg(long, default_value_t = 0.0)]
    min_score: f64,
    /// Keep 1-0 and 0-1 links in TSV, CSV and JSON lines output.
    #[arg(long)]
    keep_unaligned: bool,
    /// Align even when one side is more than ten times longer than the other.
    #[arg(long)]
    force: bool,
}

/// Above this ratio of character counts two files are not translations of each other.
const MAX_LENGTH_RATIO: f64 = 10.0;

#[derive(Args)]
struct SplitArgs {
    /// The document (`-` reads standard input).
    file: PathBuf,
    /// Its language.
    #[arg(long, default_value = "en")]
    lang: Lang,
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
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Align(args) => run_align(args),
        Command::Split(args) => run_split(args),
        Command::Eval(args) => run_eval(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
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
            eprintln!("bitext: error: {err:#}");
            ExitCode::FAILURE
        }
    }
}

fn warn_all(warnings: &[Warning]) {
    for w in warnings {
        eprintln!("bitext: warning: {w}");
    }
}

fn load(path: &Path, lang: Lang, presplit: bool) -> anyhow::Result<split::SplitDocument> {
    let doc = read::read_file(path)?;
    Ok(prepare(doc, lang, presplit))
}

fn prepare(doc: read::Document, lang: Lang, presplit: bool) -> split::SplitDocument {
    let (doc, warnings) = normalize::normalize(doc);
    warn_all(&warnings);
    if presplit {
        split::lines(doc)
    } else {
        split::split(doc, lang)
    }
}

fn run_align(args: AlignArgs) -> anyhow::Result<()> {
    let output = args.output.clone().unwrap_or_else(|| PathBuf::from("-"));
    let format = match args.format {
        Some(f) => f,
        None => Format::from_path(&output).unwrap_or(Format::Tmx),
    };
    if !(0.0..=1.0).contains(&args.min_score) {
        bail!("--min-score must lie in [0, 1], got {}", args.min_score);
    }
    let mut blocks = None;
    let (src, tgt) = if args.mixed {
        let doc = read::read_file(&args.src)?;
        let mixed = read::mixed::separate(&doc, args.src_lang, args.tgt_lang)?;
        blocks = Some((mixed.src_blocks, mixed.tgt_blocks));
        (
            prepare(mixed.src, args.src_lang, false),
            prepare(mixed.tgt, args.tgt_lang, false),
        )
    } else {
        let tgt_path = args
            .tgt
            .as_deref()
            .context("a target document is required")?;
        let src = load(&args.src, args.src_lang, args.presplit)?;
        let tgt = load(tgt_path, args.tgt_lang, args.presplit)?;
        let (a, b) = (char_count(&src), char_count(&tgt));
        let ratio = a.max(b) as f64 / a.min(b).max(1) as f64;
        if ratio > MAX_LENGTH_RATIO && !args.force {
            let (long, short) = if a > b {
                (args.src.as_path(), tgt_path)
            } else {
                (tgt_path, args.src.as_path())
            };
            bail!(
                "{}: {ratio:.1} times longer than {} ({} vs {} characters): the files do not look \
                 like translations of each other (--force aligns them anyway)",
                long.display(),
                short.display(),
                a.max(b),
                a.min(b)
            );
        }
        (src, tgt)
    };
    let mut model = align::CostModel::new(
        &src,
        &tgt,
        args.src_lang,
        args.tgt_lang,
        &align::Options::default(),
    );
    if let Some((src_blocks, tgt_blocks)) = blocks {
        model = model.with_blocks(src_blocks, tgt_blocks);
    }
    let alignment = align::align(&model);
    let scored = score::score(&model, &alignment);
    let units: Vec<TranslationUnit> = scored
        .iter()
        .map(|l| TranslationUnit::from_link(l, &src, &tgt))
        .collect();
    let options = ExportOptions {
        format,
        src_tag: args.src_tag,
        tgt_tag: args.tgt_tag,
        keep_unaligned: args.keep_unaligned,
        min_score: args.min_score,
    };
    let mut inputs: Vec<&Path> = vec![&args.src];
    inputs.extend(args.tgt.as_deref());
    let warnings = export::write_to_path(&units, &options, &output, &inputs)?;
    warn_all(&warnings);
    Ok(())
}

/// Characters of a document's sentences, white space excluded.
fn char_count(doc: &split::SplitDocument) -> usize {
    doc.texts()
        .map(|s| s.chars().filter(|c| !c.is_whitespace()).count())
        .sum()
}

fn run_split(args: SplitArgs) -> anyhow::Result<()> {
    let doc = load(&args.file, args.lang, false)?;
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
    let report = bitext::eval::evaluate_files(&args.test, &args.gold)?;
    let text = if args.json {
        report.render_json(args.per_doc)
    } else {
        report.render_text(args.per_doc)
    };
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())?;
    out.flush()?;
    Ok(())
}
