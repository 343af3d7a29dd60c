//! CLI tests: `bitext completions SHELL` and `bitext manpage [--dir DIR]`. The scripts are
//! checked by the shells themselves (bash always; zsh and fish where installed, required in CI)
//! and the man pages by groff (Debian package groff-base) with every warning enabled.

use std::fs;
use std::path::Path;
use std::process::Command;

use crate::util::{have, run, run_ok, s, temp_dir, tool_available};

/// The subcommands every completion script and the man page must name.
const SUBCOMMANDS: [&str; 7] = [
    "align",
    "split",
    "eval",
    "tm",
    "review",
    "completions",
    "manpage",
];

/// Runs `program ARGS`, asserts it succeeds with nothing on stderr, and returns stdout.
fn checker(program: &str, args: &[&str]) -> String {
    let out = Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{program} does not run: {e}"));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() && stderr.trim().is_empty(),
        "{program} {args:?}: {}\n{stderr}",
        out.status
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Writes `bitext completions SHELL` to a file in `dir` and returns the script and its path.
fn script(shell: &str, dir: &Path) -> (String, std::path::PathBuf) {
    let text = run_ok(&["completions", shell]);
    for sub in SUBCOMMANDS {
        assert!(text.contains(sub), "{shell} completions lack {sub}");
    }
    let path = dir.join(format!("bitext.{shell}"));
    fs::write(&path, &text).expect("write the script");
    (text, path)
}

/// The bash script defines `_bitext`, registers it for `bitext`, parses with `bash -n`, and
/// completes `bitext tm con` to `convert` when bash runs it.
#[test]
fn bash_completion_parses_and_completes_subcommands() {
    let dir = temp_dir();
    let (text, path) = script("bash", dir.path());
    assert!(text.contains("_bitext()"), "no _bitext function:\n{text}");
    assert!(
        text.contains("complete -F _bitext"),
        "not registered:\n{text}"
    );
    checker("bash", &["-n", s(&path)]);
    let complete = |line: &str| {
        let words: Vec<&str> = line.split(' ').collect();
        let program = format!(
            "source {path}; COMP_WORDS=({words}); COMP_CWORD={cword}; COMP_LINE='{line}'; \
             COMP_POINT=${{#COMP_LINE}}; _bitext bitext '{cur}' '{prev}'; \
             printf '%s\\n' \"${{COMPREPLY[@]}}\"",
            path = s(&path),
            words = words.join(" "),
            cword = words.len() - 1,
            cur = words[words.len() - 1],
            prev = words[words.len() - 2],
        );
        checker("bash", &["-c", &program])
    };
    let replies = complete("bitext tm con");
    assert_eq!(replies.trim(), "convert", "{replies}");
    let replies = complete("bitext comp");
    assert_eq!(replies.trim(), "completions", "{replies}");
    let replies = complete("bitext completions ");
    for shell in ["bash", "zsh", "fish", "powershell"] {
        assert!(replies.lines().any(|l| l == shell), "{shell}: {replies}");
    }
}

/// zsh and fish accept their scripts without running them (`zsh -n`, `fish --no-execute`).
#[test]
fn zsh_and_fish_completions_parse() {
    let dir = temp_dir();
    let (zsh, path) = script("zsh", dir.path());
    assert!(zsh.starts_with("#compdef bitext"), "{zsh}");
    if tool_available(
        "zsh (Debian package zsh)",
        have("zsh"),
        "checking the zsh script",
    ) {
        checker("zsh", &["-n", s(&path)]);
    }
    let (fish, path) = script("fish", dir.path());
    assert!(fish.contains("complete -c bitext"), "{fish}");
    if tool_available(
        "fish (Debian package fish)",
        have("fish"),
        "checking the fish script",
    ) {
        checker("fish", &["--no-execute", s(&path)]);
    }
}

/// PowerShell and elvish scripts register a completer for `bitext` (no shell here to run them).
#[test]
fn powershell_and_elvish_completions_register_bitext() {
    let dir = temp_dir();
    let (ps, _) = script("powershell", dir.path());
    assert!(
        ps.contains("Register-ArgumentCompleter -Native -CommandName 'bitext'"),
        "{ps}"
    );
    let (elvish, _) = script("elvish", dir.path());
    assert!(
        elvish.contains("edit:completion:arg-completer[bitext]"),
        "{elvish}"
    );
}

/// An unknown shell is a usage error that lists the shells there are.
#[test]
fn an_unknown_shell_is_refused_with_the_choices() {
    let out = run(&["completions", "tcsh"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("tcsh") && stderr.contains("bash") && stderr.contains("powershell"),
        "{stderr}"
    );
    assert!(out.stdout.is_empty());
}

/// `groff -man -ww -z` on `page`: no output and no warning, or a panic naming the page.
fn assert_renders(page: &Path) {
    if !tool_available(
        "groff (Debian package groff-base)",
        have("groff"),
        "rendering the man page",
    ) {
        return;
    }
    checker("groff", &["-man", "-Tutf8", "-ww", "-z", s(page)]);
    // -P-cbou: plain text, no overstriking for bold and underline.
    let text = checker("groff", &["-man", "-Tutf8", "-P-cbou", s(page)]);
    assert!(text.contains("SYNOPSIS"), "{}: {text}", page.display());
}

/// `bitext manpage` prints bitext(1): a `.TH` title, NAME, SYNOPSIS and every subcommand with
/// a reference to its own page; groff renders it without a warning.
#[test]
fn manpage_is_roff_that_groff_renders() {
    let page = run_ok(&["manpage"]);
    let title = page
        .lines()
        .find(|l| l.starts_with(".TH"))
        .unwrap_or_else(|| panic!("no .TH line:\n{page}"));
    assert!(title.starts_with(".TH bitext 1 "), "{title}");
    assert!(
        page.lines()
            .take_while(|l| !l.starts_with(".TH"))
            .all(|l| l.starts_with(".ie") || l.starts_with(".el")),
        "only roff set-up may come before .TH:\n{page}"
    );
    assert!(
        page.contains("bitext turns the same text"),
        "a description:\n{page}"
    );
    for section in [".SH NAME", ".SH SYNOPSIS", ".SH SUBCOMMANDS", ".SH VERSION"] {
        assert!(page.contains(section), "no {section}:\n{page}");
    }
    for sub in SUBCOMMANDS {
        assert!(
            page.contains(&format!("bitext\\-{sub}(1)")),
            "no {sub}:\n{page}"
        );
    }
    assert!(
        !page.contains("bitext\\-help"),
        "help has no page of its own"
    );
    let dir = temp_dir();
    let path = dir.path().join("bitext.1");
    fs::write(&path, &page).expect("write the page");
    assert_renders(&path);
}

/// `bitext manpage --dir DIR` writes bitext.1 and a page for every subcommand, nested ones
/// included, prints their paths, and each page renders.
#[test]
fn manpage_dir_writes_a_page_per_subcommand() {
    let tmp = temp_dir();
    let dir = tmp.path().join("man1");
    let listed = run_ok(&["manpage", "--dir", s(&dir)]);
    let mut names: Vec<String> = fs::read_dir(&dir)
        .expect("the directory was created")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let mut expected: Vec<String> = ["bitext", "bitext-align", "bitext-split", "bitext-eval"]
        .into_iter()
        .chain([
            "bitext-tm",
            "bitext-review",
            "bitext-completions",
            "bitext-manpage",
        ])
        .map(String::from)
        .chain(
            [
                "convert", "merge", "dedupe", "filter", "lookup", "index", "stats",
            ]
            .iter()
            .map(|c| format!("bitext-tm-{c}")),
        )
        .map(|n| format!("{n}.1"))
        .collect();
    expected.sort();
    assert_eq!(names, expected);
    assert_eq!(listed.lines().count(), expected.len(), "{listed}");
    for line in listed.lines() {
        assert!(Path::new(line).is_file(), "{line} listed but not written");
    }
    let align = fs::read_to_string(dir.join("bitext-align.1")).expect("read");
    assert!(
        align.is_ascii(),
        "troff reads Latin-1: other characters are escaped"
    );
    assert!(
        align.contains("\\[u2026]"),
        "`…` escaped as \\[u2026]:\n{align}"
    );
    assert!(align.contains(".TH bitext-align 1"), "{align}");
    assert!(
        align.contains(&format!("\"bitext {}\"", env!("CARGO_PKG_VERSION"))),
        "each page names the program and version it documents:\n{align}"
    );
    assert!(
        align.contains("\\-\\-min\\-score"),
        "options are listed:\n{align}"
    );
    for name in &names {
        assert_renders(&dir.join(name));
    }
}
