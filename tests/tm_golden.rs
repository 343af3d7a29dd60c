//! `bitext tm` output byte for byte: every memory of `fixtures/tm/` through convert (TMX, TSV,
//! JSON lines), dedupe and filter (with a rejected file), the output files and the messages on
//! stderr compared with `fixtures/tm/expected/`, made by the binary before the streaming
//! commands were sped up (reading ahead on a second thread, fewer allocations): speed work
//! must not change a byte, a warning or its order.
//!
//! After an intended change of output, `BITEXT_BLESS=1 cargo test tm_golden` rewrites the
//! expected files (review the diff); `BITEXT_BLESS=/path/to/bitext` writes them with that
//! binary instead (how they were made: with the build of commit acb2e32).

use std::fs;
use std::path::{Path, PathBuf};

use crate::util::{bitext, root};

/// (case name, arguments after `tm`; `IN` is the memory, `OUT`/`REJ` the outputs).
const COMMANDS: [(&str, &[&str]); 5] = [
    ("convert.tmx", &["convert", "IN", "-o", "OUT.tmx"]),
    ("convert.tsv", &["convert", "IN", "-o", "OUT.tsv"]),
    ("convert.jsonl", &["convert", "IN", "-o", "OUT.jsonl"]),
    (
        "dedupe.tmx",
        &[
            "dedupe",
            "IN",
            "--normalize",
            "--ignore-case",
            "-o",
            "OUT.tmx",
        ],
    ),
    (
        "filter.tmx",
        &[
            "filter",
            "IN",
            "--empty",
            "--untranslated",
            "--wrong-script",
            "--length-p",
            "0.001",
            "--rejected",
            "REJ.tsv",
            "-o",
            "OUT.tmx",
        ],
    ),
];

fn expected_dir() -> PathBuf {
    root().join("fixtures/tm/expected")
}

/// Runs one command on one memory from `fixtures/tm` (relative paths, so messages do not name
/// the machine's directories); what it wrote, as (file name, bytes).
fn outputs(memory: &str, args: &[&str], out_dir: &Path, case: &str) -> Vec<(String, Vec<u8>)> {
    let stem = format!("{memory}.{case}");
    let out = out_dir.join(format!("{stem}.out"));
    let rej = out_dir.join(format!("{stem}.rej"));
    let args: Vec<String> = args
        .iter()
        .map(|a| match *a {
            "IN" => memory.to_string(),
            a if a.starts_with("OUT") => format!("{}{}", out.display(), &a[3..]),
            a if a.starts_with("REJ") => format!("{}{}", rej.display(), &a[3..]),
            a => a.to_string(),
        })
        .collect();
    let mut command = match std::env::var_os("BITEXT_BLESS") {
        Some(bin) if bin != "1" => std::process::Command::new(bin),
        _ => bitext(),
    };
    let result = command
        .current_dir(root().join("fixtures/tm"))
        .arg("tm")
        .args(&args)
        .output()
        .expect("bitext runs");
    let stderr =
        String::from_utf8_lossy(&result.stderr).replace(&out_dir.display().to_string(), "DIR");
    let mut found = vec![(
        format!("{stem}.status"),
        format!("{:?}\n", result.status.code()).into_bytes(),
    )];
    found.push((format!("{stem}.stderr"), stderr.into_bytes()));
    for path in [
        args.iter()
            .find(|a| a.starts_with(&out.display().to_string())),
        args.iter()
            .find(|a| a.starts_with(&rej.display().to_string())),
    ]
    .into_iter()
    .flatten()
    {
        if let Ok(bytes) = fs::read(path) {
            let name = Path::new(path)
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            found.push((name, bytes));
        }
    }
    found
}

#[test]
fn tm_commands_write_exactly_what_they_wrote_before() {
    let dir = crate::util::temp_dir();
    let bless = std::env::var_os("BITEXT_BLESS").is_some();
    let mut memories: Vec<String> = fs::read_dir(root().join("fixtures/tm"))
        .expect("fixtures/tm")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmx"))
        .collect();
    memories.sort();
    assert!(memories.len() >= 15, "{memories:?}");
    let mut compared = 0;
    let mut differ = Vec::new();
    for memory in &memories {
        for (case, args) in COMMANDS {
            for (name, bytes) in outputs(memory, args, dir.path(), case) {
                let want_path = expected_dir().join(&name);
                if bless {
                    fs::create_dir_all(expected_dir()).expect("mkdir");
                    fs::write(&want_path, &bytes).expect("write expected");
                    continue;
                }
                let want =
                    fs::read(&want_path).unwrap_or_else(|e| panic!("{}: {e}", want_path.display()));
                compared += 1;
                if want != bytes {
                    differ.push(name);
                }
            }
        }
    }
    if !bless {
        assert!(
            differ.is_empty(),
            "outputs differ from fixtures/tm/expected: {differ:?}"
        );
        assert!(compared > 100, "{compared}");
    }
}
