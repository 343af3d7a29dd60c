//! `bitext completions` and `bitext manpage` (part of the binary, like `main.rs`): shell
//! completion scripts and man pages generated from the command-line definition itself, so they
//! always list the options `--help` lists.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;
use bitext::io::output::OutputPolicy;
use clap::{Args, CommandFactory};
use clap_complete::Shell;

/// The DESCRIPTION of bitext(1), where `--help` has only the one-line summary.
const DESCRIPTION: &str = "bitext turns the same text in two languages into aligned, scored \
sentence pairs, and writes them as a TMX 1.4b translation memory that CAT tools import, or as \
TSV, CSV, JSON lines or alignment links (bitext-align(1)). bitext-eval(1) computes the strict \
and lax precision, recall and F1 of alignments against gold standards. bitext-tm(1) converts, \
merges, dedupes, filters and searches translation memories, streaming. Errors go to stderr as \
one line naming the file and position, with exit status 1; usage errors exit with 2; a command \
that ran but wrote nothing (every link unaligned or below --min-score, every unit filtered out) \
warns and exits with 3.";

/// `bitext completions SHELL`.
#[derive(Args)]
pub struct CompletionsArgs {
    /// The shell to write a completion script for.
    #[arg(value_enum)]
    shell: Shell,
}

/// `bitext manpage [--dir DIR]`.
#[derive(Args)]
pub struct ManpageArgs {
    /// Write bitext.1 and one page per subcommand (bitext-align.1, bitext-tm-convert.1, ...)
    /// into DIR, created if missing, and print their paths, instead of printing bitext.1.
    #[arg(long, value_name = "DIR")]
    dir: Option<PathBuf>,
}

/// Prints the completion script of the command line `C` for `args.shell` on standard output.
pub fn completions<C: CommandFactory>(args: CompletionsArgs) -> anyhow::Result<()> {
    let mut cmd = C::command();
    let name = cmd.get_name().to_string();
    // clap_complete panics when its writer fails, so the script is built in memory and a
    // closed standard output (`| head`) stays an ordinary I/O error.
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut cmd, name, &mut script);
    write_stdout(&script)
}

/// Prints the man page of the command line `C` (roff, section 1) on standard output, or with
/// `--dir` writes it and one page per subcommand into that directory.
pub fn manpage<C: CommandFactory>(args: ManpageArgs) -> anyhow::Result<()> {
    // Without `help` as a subcommand (`--help` stays): it would get a page of its own.
    let mut cmd = C::command()
        .disable_help_subcommand(true)
        .long_about(DESCRIPTION);
    cmd.build();
    let Some(dir) = args.dir else {
        return write_stdout(&render(&cmd)?);
    };
    std::fs::create_dir_all(&dir).with_context(|| format!("{}", dir.display()))?;
    let mut written = Vec::new();
    write_pages(&cmd, &dir, &mut written)?;
    let mut list = String::new();
    for path in &written {
        list.push_str(&format!("{}\n", path.display()));
    }
    write_stdout(list.as_bytes())
}

/// The man page of `cmd`, its footer naming bitext and its version (clap_mangen would name a
/// subcommand and no version).
fn man(cmd: &clap::Command) -> clap_mangen::Man {
    let source = format!("bitext {}", env!("CARGO_PKG_VERSION"));
    clap_mangen::Man::new(cmd.clone()).source(source)
}

/// The roff source of the man page of `cmd`, in ASCII: a character beyond it (the help texts
/// hold `…`) is written as the groff/mandoc escape `\[uXXXX]`, since troff reads its
/// input as Latin-1 unless a preprocessor converts it.
fn render(cmd: &clap::Command) -> anyhow::Result<Vec<u8>> {
    let mut page = Vec::new();
    man(cmd)
        .render(&mut page)
        .context("rendering the man page")?;
    let page = String::from_utf8(page).context("the man page is not UTF-8")?;
    let mut ascii = String::with_capacity(page.len());
    for c in page.chars() {
        if c.is_ascii() {
            ascii.push(c);
        } else {
            ascii.push_str(&format!("\\[u{:04X}]", u32::from(c)));
        }
    }
    Ok(ascii.into_bytes())
}

/// Writes the page of `cmd` and of each of its visible subcommands, depth first, into `dir`,
/// adding each file's path to `written`.
fn write_pages(cmd: &clap::Command, dir: &Path, written: &mut Vec<PathBuf>) -> anyhow::Result<()> {
    let path = dir.join(man(cmd).get_filename());
    let page = render(cmd)?;
    // Through the output policy like every other file bitext writes (atomic, never over a
    // device, write protection kept).
    bitext::io::output::write_file(&path, &[], OutputPolicy::default(), |out| {
        out.write_all(&page)
            .map_err(|e| bitext::Error::io(&path, e))
    })?;
    written.push(path);
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        write_pages(sub, dir, written)?;
    }
    Ok(())
}

/// Writes `bytes` to standard output and flushes it.
fn write_stdout(bytes: &[u8]) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_all(bytes)
        .and_then(|()| out.flush())
        .context("writing to standard output")
}
