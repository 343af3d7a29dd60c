//! `bitext review`: align two documents (or load a saved review) and serve the review page on
//! 127.0.0.1 until interrupted. The alignment options are `align`'s, read into the same
//! [`AlignArgs`](super::AlignArgs) so they mean the same; the output goes through the same
//! output policy (claimed before the work, written atomically, never over an input).

use std::io::Write;
use std::net::{Ipv4Addr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context};
use clap::Args;

use bitext::export;
use bitext::formats::Format;
use bitext::io::output::{OutputPlan, OutputPolicy};
use bitext::read;
use bitext::review::Review;
use bitext::run::pipeline;
use bitext::split;

use super::review_server::{self, Access, Export, Session};
use super::{console, read_doc, read_options, warn_all, AlignArgs, EvidenceArgs, LangArg};

#[derive(Args)]
pub(crate) struct ReviewArgs {
    /// The source and target documents to align and review, or one saved review state
    /// (`*.review.json`) or reviewed workbook (`*.xlsx`) to resume.
    #[arg(required = true, num_args = 1..=2, value_name = "FILE")]
    files: Vec<PathBuf>,
    /// Output written by Save (Ctrl+S): the links not rejected, in the format of -f or of the
    /// extension (tmx, tsv, csv, jsonl, links), or every link with its status as a workbook
    /// (.xlsx, -f xlsx). A resumed review keeps the one it had.
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// Output format: tmx, tsv, csv, jsonl, links or xlsx (default: from the output's extension).
    #[arg(short, long)]
    format: Option<String>,
    /// The review state file, written after every edit (default: OUTPUT.review.json, else
    /// SRC.review.json; a resumed review: the file given).
    #[arg(long, value_name = "FILE")]
    state: Option<PathBuf>,
    /// Port on 127.0.0.1 (0: a free one).
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// Open the page in the default browser (xdg-open, open).
    #[arg(long)]
    open: bool,
    /// Source language (ISO 639-1, optionally with a region: en, de-CH).
    #[arg(long, default_value = "en")]
    src_lang: LangArg,
    /// Target language (ISO 639-1, optionally with a region: ru, fr-CA).
    #[arg(long, default_value = "ru")]
    tgt_lang: LangArg,
    /// TMX language tag of the source side (default: from --src-lang).
    #[arg(long)]
    src_tag: Option<String>,
    /// TMX language tag of the target side (default: from --tgt-lang).
    #[arg(long)]
    tgt_tag: Option<String>,
    /// Inputs hold one sentence a line; do not split.
    #[arg(long)]
    presplit: bool,
    /// How a single line break inside a paragraph is read (see `align`).
    #[arg(
        long,
        value_name = "MODE",
        default_value = "auto",
        conflicts_with = "presplit"
    )]
    line_breaks: split::LineBreaks,
    /// Read the documents in this encoding (see `align`).
    #[arg(long, value_name = "NAME", value_parser = read::encoding_for_label)]
    encoding: Option<&'static read::Encoding>,
    /// Refuse an input file larger than this many bytes.
    #[arg(long, value_name = "BYTES", default_value_t = read::DEFAULT_MAX_INPUT_BYTES)]
    max_input_bytes: u64,
    /// Export only links scored at least this (rejected links are never exported).
    #[arg(long, default_value_t = 0.0)]
    min_score: f64,
    /// Keep 1-0 and 0-1 links in TSV, CSV and JSON lines output.
    #[arg(long)]
    keep_unaligned: bool,
    /// TSV and CSV: plain text segment cells (see `align`).
    #[arg(long)]
    plain: bool,
    /// TSV and CSV output: start with a UTF-8 byte-order mark (for Excel).
    #[arg(long)]
    bom: bool,
    /// Align even when one side is far longer, and replace a write-protected output.
    #[arg(long)]
    force: bool,
    /// Dictionaries, learning and sentence vectors, as `align` takes them.
    #[command(flatten)]
    evidence: EvidenceArgs,
}

impl ReviewArgs {
    /// The same options as `align` reads them.
    fn align_args(&self) -> AlignArgs {
        AlignArgs {
            src: self.files.first().cloned(),
            tgt: self.files.get(1).cloned(),
            output: self.output.clone(),
            format: None,
            src_lang: self.src_lang.clone(),
            tgt_lang: self.tgt_lang.clone(),
            src_tag: self.src_tag.clone(),
            tgt_tag: self.tgt_tag.clone(),
            presplit: self.presplit,
            line_breaks: self.line_breaks,
            mixed: false,
            batch: None,
            stream: false,
            threads: None,
            fail_fast: false,
            max_input_bytes: self.max_input_bytes,
            encoding: self.encoding,
            min_score: self.min_score,
            keep_unaligned: self.keep_unaligned,
            plain: self.plain,
            no_header: false,
            bom: self.bom,
            force: self.force,
            evidence: self.evidence.clone(),
            // The review's operations (merge, split, move) work on links in sentence order.
            no_crossing: true,
        }
    }
}

/// `PATH.review.json`.
fn state_beside(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".review.json");
    PathBuf::from(name)
}

/// True for a path ending in `.xlsx` (any case).
fn is_xlsx(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"))
}

/// The output format's name: `-f`, else the output's extension, else TMX.
fn output_format(format: Option<&str>, output: &Path) -> anyhow::Result<String> {
    let name = match format {
        Some(name) => name.trim().to_ascii_lowercase(),
        None if is_xlsx(output) => "xlsx".to_string(),
        None => Format::of_output(output)?
            .unwrap_or(Format::Tmx)
            .to_string(),
    };
    if name != "xlsx" {
        name.parse::<Format>()
            .map_err(|e| anyhow::anyhow!("-f: {e}, xlsx"))?;
    }
    Ok(name)
}

pub(crate) fn run(args: ReviewArgs) -> anyhow::Result<ExitCode> {
    let mut align = args.align_args();
    super::read_tags(&mut align)?;
    if !(0.0..=1.0).contains(&args.min_score) {
        bail!("--min-score must lie in [0, 1], got {}", args.min_score);
    }
    let resume = args.files.len() == 1;
    let mut plan = OutputPlan::new(OutputPolicy { force: args.force });
    let mut inputs: Vec<PathBuf> = args.evidence.dict.clone();
    inputs.extend(args.evidence.embeddings.iter().cloned());
    let (loaded, state) = if resume {
        let file = &args.files[0];
        let (review, state) = if is_xlsx(file) {
            let bytes = std::fs::read(file).map_err(|e| bitext::Error::io(file, e))?;
            let book = bitext::formats::xlsx::read(&bytes, file)?;
            let tags = super::export_options(&align, Format::Tmx);
            let review = Review::from_workbook(
                &book,
                &file.display().to_string(),
                (&tags.src_tag, &tags.tgt_tag),
            )?;
            let state = args.state.clone().unwrap_or_else(|| state_beside(file));
            plan.claim(&state)?;
            (review, state)
        } else {
            let state = args.state.clone().unwrap_or_else(|| file.clone());
            (Review::load(file)?, state)
        };
        for name in [&review.src_name, &review.tgt_name] {
            inputs.push(PathBuf::from(name));
        }
        (Some(review), state)
    } else {
        inputs.extend(args.files.iter().cloned());
        let state = match (&args.state, &args.output) {
            (Some(state), _) => state.clone(),
            (None, Some(output)) if output != Path::new("-") => state_beside(output),
            _ => state_beside(&args.files[0]),
        };
        (None, state)
    };
    plan.inputs(inputs.iter().map(PathBuf::as_path));
    // The output: -o, else the one the resumed review had.
    let output = args
        .output
        .clone()
        .or_else(|| loaded.as_ref().and_then(|r| r.export.output.clone()));
    let format_name = match &args.output {
        Some(_) => args.format.clone(),
        None => args
            .format
            .clone()
            .or_else(|| loaded.as_ref().and_then(|r| r.export.format.clone())),
    };
    let export = match &output {
        Some(path) if path == Path::new("-") => bail!("review writes files: -o - is refused"),
        Some(path) => {
            let name = output_format(format_name.as_deref(), path)?;
            plan.claim(path)?;
            if name == "xlsx" {
                Some((path.clone(), Export::Xlsx))
            } else {
                let format = name.parse::<Format>().map_err(|e| anyhow::anyhow!("{e}"))?;
                let mut options = super::export_options(&align, format);
                if let Some(review) = &loaded {
                    options.src_tag = args.src_tag.clone().unwrap_or(review.src_tag.clone());
                    options.tgt_tag = args.tgt_tag.clone().unwrap_or(review.tgt_tag.clone());
                }
                warn_all(&export::validate(&options)?);
                Some((path.clone(), Export::Units(options)))
            }
        }
        None => None,
    };
    if !resume {
        // The state file is written over and over: it may be neither an input nor the output.
        plan.claim(&state)?;
    }
    let mut review = match loaded {
        Some(review) => review,
        None => align_for_review(&align, &args)?,
    };
    review.export.output = output.clone();
    review.export.format = format_name;
    let session = Session {
        review,
        state: state.clone(),
        inputs,
        export,
        policy: OutputPolicy { force: args.force },
    };
    session.save_state()?;
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, args.port))
        .with_context(|| format!("cannot listen on 127.0.0.1:{}", args.port))?;
    let port = listener.local_addr()?.port();
    let token = review_server::random_token().context("cannot read /dev/urandom")?;
    let url = format!("http://127.0.0.1:{port}/?token={token}");
    console::note(format!(
        "reviewing {} links; state saved to {} after every edit{}; Ctrl+C stops the server",
        session.review.links.len(),
        state.display(),
        match &session.export {
            Some((path, _)) => format!(", Save writes {}", path.display()),
            None => String::new(),
        }
    ));
    {
        let mut out = std::io::stdout().lock();
        writeln!(out, "{url}")?;
        out.flush()?;
    }
    if args.open {
        open_browser(&url);
    }
    review_server::run(listener, session, Access { port, token });
    Ok(ExitCode::SUCCESS)
}

/// Aligns the two documents as `align` does, keeping the sentences.
fn align_for_review(align: &AlignArgs, args: &ReviewArgs) -> anyhow::Result<Review> {
    let (src_path, tgt_path) = (&args.files[0], &args.files[1]);
    let mut settings = super::settings(align)?;
    settings.keep_sentences = true;
    let src = read_doc(src_path, &read_options(align))?;
    let tgt = read_doc(tgt_path, &read_options(align))?;
    let vectors = align.evidence.vectors(align.max_input_bytes)?;
    let pair = match pipeline::align_documents_with(src, tgt, vectors.as_ref(), &settings) {
        Ok(pair) => pair,
        Err(e) => {
            warn_all(&e.warnings);
            return Err(e.error.into());
        }
    };
    warn_all(&pair.warnings);
    let tags = super::export_options(align, Format::Tmx);
    Ok(Review::from_aligned(
        &pair,
        (
            &src_path.display().to_string(),
            &tgt_path.display().to_string(),
        ),
        (&tags.src_tag, &tags.tgt_tag),
    )?)
}

/// Opens `url` in the default browser; a failure is a warning.
fn open_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else {
        "xdg-open"
    };
    if let Err(e) = std::process::Command::new(opener)
        .arg(url)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
    {
        console::warning(&bitext::Warning::new(
            "--open",
            format!("cannot start {opener}: {e}; open the URL printed above"),
        ));
    }
}
