//! The import graph between the top-level modules runs one way: a module uses only the modules
//! below it in [`LAYERS`], never one above or beside it. The test reads the sources, so a new
//! edge fails here, named, instead of growing unseen. Comments (doc links may point anywhere)
//! and test code (after a file's first `#[cfg(test)]` at column 0, and test-only files) are
//! not production edges and are skipped.

use std::path::{Path, PathBuf};

/// The top-level modules from the bottom up. Foundations first (errors, text, languages, I/O,
/// the unit model, the length model), then the aligner's stages in pipeline order, the formats,
/// the aligner's export, the memory commands, the drivers of a run, evaluation.
const LAYERS: &[&[&str]] = &[
    &["error"],
    &["text"],
    &["lang"],
    &["io"],
    &["unit"],
    &["length"],
    &["read"],
    &["normalize"],
    &["split"],
    &["align"],
    &["score"],
    &["formats"],
    &["export"],
    &["tm"],
    &["run"],
    &["review"],
    &["eval"],
];

/// The layer of a top-level module; modules of one layer are one concern split in files.
fn layer(module: &str) -> Option<usize> {
    LAYERS.iter().position(|l| l.contains(&module))
}

/// The module behind a name the crate root re-exports (`crate::Lang` is `lang`'s).
fn root_module(name: &str) -> &str {
    match name {
        "Lang" => "lang",
        "Error" | "Result" | "Warning" => "error",
        other => other,
    }
}

/// True for files that hold only tests or frozen reference copies for them.
fn test_only(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    name == "tests.rs"
        || name.ends_with("_tests.rs")
        || name.starts_with("test_")
        || name == "reference.rs"
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("src is readable").flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// `crate::NAME` references in the production code of `text`.
fn crate_references(text: &str) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    for (number, line) in text.lines().enumerate() {
        if line.starts_with("#[cfg(test)]") {
            break;
        }
        let code = line.trim_start();
        if code.starts_with("//") {
            continue;
        }
        let mut rest = code;
        while let Some(at) = rest.find("crate::") {
            let after = &rest[at + "crate::".len()..];
            let names = match after.strip_prefix('{') {
                // `crate::{a, b::c}`: every first segment in the group.
                Some(group) => group[..group.find('}').unwrap_or(group.len())]
                    .split(',')
                    .map(|item| item.trim().split("::").next().unwrap_or("").to_string())
                    .filter(|n| !n.is_empty())
                    .collect(),
                None => vec![after
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect::<String>()],
            };
            for name in names {
                found.push((number + 1, root_module(&name).to_string()));
            }
            rest = after;
        }
    }
    found
}

#[test]
fn modules_use_only_the_layers_below_them() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut edges = Vec::new();
    for file in files {
        let relative = file.strip_prefix(&src).expect("under src");
        let mut parts = relative.components();
        let first = parts
            .next()
            .and_then(|c| c.as_os_str().to_str())
            .unwrap_or("");
        let module = first.trim_end_matches(".rs");
        if module == "bin" || module == "lib" || test_only(&file) {
            continue;
        }
        let Some(own) = layer(module) else {
            edges.push(format!(
                "{}: module '{module}' has no layer",
                relative.display()
            ));
            continue;
        };
        let text = std::fs::read_to_string(&file).expect("readable");
        for (line, used) in crate_references(&text) {
            match layer(&used) {
                Some(l) if l < own || LAYERS[own].contains(&used.as_str()) => {}
                Some(_) => edges.push(format!(
                    "{}:{line}: {module} uses {used}, which is not below it",
                    relative.display()
                )),
                None if used == "test_support" => {}
                None => edges.push(format!(
                    "{}:{line}: {module} uses '{used}', which has no layer",
                    relative.display()
                )),
            }
        }
    }
    assert!(
        edges.is_empty(),
        "upward or sideways edges:\n{}",
        edges.join("\n")
    );
}

#[test]
fn the_checker_sees_edges_and_skips_comments_and_tests() {
    let text = "use crate::tm::ops;\n/// [`crate::run`]\nfn f() { crate::io::date::x(); }\n\
                use crate::{Lang, unit::Unit};\n#[cfg(test)]\nmod tests { use crate::eval; }\n";
    let found: Vec<String> = crate_references(text).into_iter().map(|(_, m)| m).collect();
    assert_eq!(found, ["tm", "io", "lang", "unit"]);
    assert!(layer("error") < layer("tm") && layer("tm") < layer("run"));
    assert!(test_only(Path::new("src/split/reference.rs")));
}
