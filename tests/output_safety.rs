//! The output policy end to end (issue 13): devices, FIFOs and `/dev/stdout` written in place,
//! outputs compared with inputs and each other by identity, write protection, all-or-none
//! commits, signals, empty results, and the command line's messages. Device nodes and FIFOs are
//! private ones made in a temporary directory, never the system's.

use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::util::{bitext, fixture, run, s, temp_dir};

const EN: &str = "sco-counter-narcotics-2018.en.txt";
const RU: &str = "sco-counter-narcotics-2018.ru.txt";

/// Files in `dir` whose names start with `.bitext-` (temporary files and backups).
fn leftovers(dir: &Path) -> Vec<String> {
    fs::read_dir(dir)
        .expect("read_dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".bitext-"))
        .collect()
}

fn stderr_of(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Makes a private node with `mknod`/`mkfifo`; `None`, with a visible skip line, where the
/// machine does not allow it.
fn make_node(dir: &Path, name: &str, args: &[&str]) -> Option<PathBuf> {
    let path = dir.join(name);
    let program = if args.is_empty() { "mkfifo" } else { "mknod" };
    let made = Command::new(program)
        .arg(&path)
        .args(args)
        .status()
        .is_ok_and(|st| st.success());
    // A FIFO is not opened here: that would wait for a reader.
    let usable =
        made && (args.is_empty() || fs::OpenOptions::new().write(true).open(&path).is_ok());
    if !usable {
        let _ = writeln!(
            std::io::stderr(),
            "skipped: cannot make a private {name} node here ({program} needs root and a \
             filesystem without nodev)"
        );
        return None;
    }
    Some(path)
}

#[cfg(unix)]
fn is_char_device(path: &Path) -> bool {
    use std::os::unix::fs::FileTypeExt;
    fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_char_device())
}

#[test]
fn a_device_output_is_written_in_place_and_its_errors_reported() {
    let dir = temp_dir();
    let Some(null) = make_node(dir.path(), "null", &["c", "1", "3"]) else {
        return;
    };
    let out = run(&["align", s(&fixture(EN)), s(&fixture(RU)), "-o", s(&null)]);
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert!(is_char_device(&null), "the device node stays a device");
    let out = run(&[
        "tm",
        "convert",
        s(&fixture("tm/duplicates.tmx")),
        "-f",
        "tsv",
        "-o",
        s(&null),
    ]);
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert!(is_char_device(&null));
    let Some(full) = make_node(dir.path(), "full", &["c", "1", "7"]) else {
        return;
    };
    let out = run(&["align", s(&fixture(EN)), s(&fixture(RU)), "-o", s(&full)]);
    assert!(!out.status.success(), "a full device is an error");
    let err = stderr_of(&out);
    assert!(err.contains("full") && err.contains("space"), "{err}");
    assert!(is_char_device(&full));
    assert!(leftovers(dir.path()).is_empty());
}

#[test]
fn a_fifo_output_streams_to_its_reader() {
    let dir = temp_dir();
    let Some(fifo) = make_node(dir.path(), "pipe", &[]) else {
        return;
    };
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || {
            let mut text = String::new();
            fs::File::open(fifo)
                .and_then(|mut f| f.read_to_string(&mut text))
                .expect("read the fifo");
            text
        })
    };
    let out = run(&["align", s(&fixture(EN)), s(&fixture(RU)), "-o", s(&fifo)]);
    assert!(out.status.success(), "{}", stderr_of(&out));
    let text = reader.join().expect("reader");
    assert!(
        text.starts_with("<?xml") && text.contains("</tmx>"),
        "{text}"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        assert!(fs::symlink_metadata(&fifo)
            .expect("meta")
            .file_type()
            .is_fifo());
    }
    assert!(leftovers(dir.path()).is_empty());
}

#[cfg(target_os = "linux")]
#[test]
fn dev_stdout_writes_the_redirected_file_and_keeps_appending() {
    let dir = temp_dir();
    let result = dir.path().join("result.tmx");
    fs::write(&result, "kept line\n").expect("write");
    let file = fs::OpenOptions::new()
        .append(true)
        .open(&result)
        .expect("open");
    let status = bitext()
        .args([
            "align",
            s(&fixture(EN)),
            s(&fixture(RU)),
            "-o",
            "/dev/stdout",
        ])
        .stdout(Stdio::from(file))
        .status()
        .expect("bitext runs");
    assert!(status.success());
    let text = fs::read_to_string(&result).expect("read");
    assert!(text.starts_with("kept line\n<?xml"), "{}", &text[..80]);
    assert!(text.trim_end().ends_with("</tmx>"));
    assert!(fs::symlink_metadata("/dev/stdout").is_ok_and(|m| m.file_type().is_symlink()));
}

#[test]
fn rejected_naming_the_output_by_another_spelling_is_refused() {
    let dir = temp_dir();
    let input = dir.path().join("in.tmx");
    fs::copy(fixture("tm/dirty.tmx"), &input).expect("copy");
    let out = dir.path().join("out.tmx");
    let dotted = dir.path().join(".").join("out.tmx");
    for (command, extra) in [
        ("filter", vec!["--empty", "--untranslated"]),
        ("dedupe", vec![]),
    ] {
        let mut args = vec!["tm", command, s(&input)];
        args.extend(extra);
        args.extend(["-o", s(&out), "--rejected", s(&dotted)]);
        let result = run(&args);
        assert!(!result.status.success(), "tm {command}");
        let err = stderr_of(&result);
        assert!(err.contains("same file"), "{err}");
        assert!(!out.exists(), "nothing written by tm {command}");
    }
    assert!(leftovers(dir.path()).is_empty());
}

#[test]
fn a_dictionary_and_a_manifest_are_inputs() {
    let dir = temp_dir();
    let dict = dir.path().join("my.dic");
    fs::copy(fixture("dict/en-ru.dic"), &dict).expect("copy");
    let before = fs::read(&dict).expect("read");
    let out = run(&[
        "align",
        s(&fixture(EN)),
        s(&fixture(RU)),
        "--dict",
        s(&dict),
        "-o",
        s(&dict),
        "-f",
        "tmx",
    ]);
    assert!(!out.status.success());
    assert!(stderr_of(&out).contains("input"), "{}", stderr_of(&out));
    assert_eq!(
        fs::read(&dict).expect("read"),
        before,
        "dictionary unchanged"
    );

    let manifest = dir.path().join("m.tsv");
    let line = format!("{}\t{}\tm.tsv\n", s(&fixture(EN)), s(&fixture(RU)));
    fs::write(&manifest, &line).expect("write");
    let out = run(&["align", "--batch", s(&manifest), "-f", "tsv"]);
    assert!(!out.status.success());
    assert!(stderr_of(&out).contains("input"), "{}", stderr_of(&out));
    assert_eq!(fs::read_to_string(&manifest).expect("read"), line);
}

#[cfg(unix)]
#[test]
fn a_write_protected_output_needs_force() {
    use std::os::unix::fs::PermissionsExt;
    let dir = temp_dir();
    let keep = dir.path().join("keep.tmx");
    fs::write(&keep, "precious").expect("write");
    fs::set_permissions(&keep, fs::Permissions::from_mode(0o444)).expect("chmod");
    let tm = fixture("tm/duplicates.tmx");
    let out = run(&["tm", "convert", s(&tm), "-o", s(&keep)]);
    assert!(!out.status.success());
    assert!(stderr_of(&out).contains("--force"), "{}", stderr_of(&out));
    assert_eq!(fs::read_to_string(&keep).expect("read"), "precious");
    let out = run(&["align", s(&fixture(EN)), s(&fixture(RU)), "-o", s(&keep)]);
    assert!(!out.status.success());
    assert_eq!(fs::read_to_string(&keep).expect("read"), "precious");
    let out = run(&["tm", "convert", s(&tm), "-o", s(&keep), "--force"]);
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert!(fs::read_to_string(&keep).expect("read").contains("<tmx"));
    let mode = fs::metadata(&keep).expect("meta").permissions().mode() & 0o777;
    assert_eq!(mode, 0o444);
}

/// A memory big enough that converting it takes a while.
fn big_memory(path: &Path, units: usize) {
    let mut text = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<tmx version=\"1.4\"><header \
         srclang=\"en-US\" creationtool=\"t\" creationtoolversion=\"1\" segtype=\"sentence\" \
         o-tmf=\"t\" adminlang=\"en-US\" datatype=\"plaintext\"/><body>\n",
    );
    for i in 0..units {
        text.push_str(&format!(
            "<tu tuid=\"{i}\"><tuv xml:lang=\"en-US\"><seg>sentence {i} of the test memory.\
             </seg></tuv><tuv xml:lang=\"ru-RU\"><seg>предложение {i} тестовой памяти.</seg>\
             </tuv></tu>\n"
        ));
    }
    text.push_str("</body></tmx>\n");
    fs::write(path, text).expect("write");
}

#[cfg(unix)]
#[test]
fn a_signal_leaves_no_temporary_file_and_the_old_output() {
    let dir = temp_dir();
    let big = dir.path().join("big.tmx");
    big_memory(&big, 300_000);
    let out = dir.path().join("out.tsv");
    fs::write(&out, "previous\n").expect("write");
    for (signal, code) in [("INT", 130), ("TERM", 143), ("HUP", 129)] {
        let mut child = bitext()
            .args(["tm", "convert", s(&big), "-o", s(&out)])
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn");
        // Wait until the temporary file exists, then interrupt.
        let started = std::time::Instant::now();
        while leftovers(dir.path()).is_empty() && started.elapsed().as_secs() < 20 {
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        let killed = Command::new("kill")
            .args([&format!("-{signal}"), &child.id().to_string()])
            .status()
            .expect("kill");
        assert!(killed.success());
        let status = child.wait().expect("wait");
        if status.success() {
            // The conversion won the race; nothing to judge this time.
            let _ = writeln!(std::io::stderr(), "skipped: SIG{signal} came too late");
            fs::write(&out, "previous\n").expect("write");
            continue;
        }
        assert_eq!(status.code(), Some(code), "SIG{signal}");
        assert!(
            leftovers(dir.path()).is_empty(),
            "SIG{signal}: {:?}",
            leftovers(dir.path())
        );
        assert_eq!(fs::read_to_string(&out).expect("read"), "previous\n");
    }
}

#[test]
fn nothing_written_is_a_warning_and_exit_status_3() {
    // An unrelated pair aligned with --force scores every link times its document score
    // (0.09), so --min-score 0.5 keeps none. (A genuine pair has links whose posterior is 1.)
    let out = run(&[
        "align",
        s(&fixture(EN)),
        s(&fixture("sco-paris-pact-beijing.ru.txt")),
        "--force",
        "--min-score",
        "0.5",
    ]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr_of(&out));
    let err = stderr_of(&out);
    assert!(
        err.contains("warning") && err.contains("no unit written") && err.contains("--min-score"),
        "{err}"
    );
    // Two unrelated one-sentence texts of very different lengths: only 1-0 and 0-1 links.
    let dir = temp_dir();
    let (a, b) = (dir.path().join("a.txt"), dir.path().join("b.txt"));
    fs::write(&a, "Short.\n").expect("write");
    fs::write(
        &b,
        format!("{}.\n", "Очень длинное предложение ".repeat(60)),
    )
    .expect("write");
    let out = run(&["align", s(&a), s(&b), "--force"]);
    if out.status.code() == Some(3) {
        assert!(stderr_of(&out).contains("unaligned"), "{}", stderr_of(&out));
    }
    let out = run(&[
        "tm",
        "filter",
        s(&fixture("tm/duplicates.tmx")),
        "--keep-source",
        "^no unit matches this$",
        "-f",
        "tsv",
    ]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr_of(&out));
    assert!(stderr_of(&out).contains("no unit written"));
}

#[test]
fn absurd_thread_counts_are_capped_with_a_note() {
    let out = run(&[
        "align",
        s(&fixture(EN)),
        s(&fixture(RU)),
        "--threads",
        "100000",
    ]);
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert!(stderr_of(&out).contains("capped"), "{}", stderr_of(&out));
}

#[test]
fn quiet_verbose_and_the_single_pair_summary() {
    let (en, ru) = (fixture(EN), fixture(RU));
    let args = ["align", s(&en), s(&ru)];
    let out = run(&args);
    let err = stderr_of(&out);
    let summary: Vec<&str> = err
        .lines()
        .filter(|l| l.contains("1 pair: 1 done"))
        .collect();
    assert_eq!(summary.len(), 1, "{err}");
    assert!(summary[0].contains(" written"), "{err}");
    let mut quiet = vec!["-q"];
    quiet.extend(args);
    let out = run(&quiet);
    assert!(out.status.success());
    assert_eq!(stderr_of(&out), "", "-q prints nothing on success");
    let mut verbose = vec!["-v"];
    verbose.extend(args);
    let err = stderr_of(&run(&verbose));
    assert!(err.contains("bitext: info:"), "{err}");
    // -v times each stage, in order.
    let stages = err
        .lines()
        .find(|l| l.starts_with("bitext: info: stages: "))
        .unwrap_or_else(|| panic!("no stage timings: {err}"));
    let names: Vec<&str> = ["read ", "split ", "first pass ", "write "]
        .into_iter()
        .filter(|name| stages.contains(name))
        .collect();
    assert_eq!(names.len(), 4, "{stages}");
    assert!(stages.find("read ") < stages.find("write "), "{stages}");
    // -q applies to errors' neighbours only: the error itself is printed.
    let out = run(&["-q", "align", "missing.en", s(&fixture(RU))]);
    assert!(stderr_of(&out).starts_with("bitext: error:"));
}

#[test]
fn an_error_says_each_cause_once() {
    for args in [
        vec!["align", "missing.en", "missing.ru"],
        vec!["tm", "convert", "missing.tmx", "-f", "tsv"],
        vec!["split", "missing.txt"],
    ] {
        let out = run(&args);
        assert_eq!(out.status.code(), Some(1));
        let err = stderr_of(&out);
        assert!(err.starts_with("bitext: error: missing."), "{err}");
        assert_eq!(err.matches("No such file").count(), 1, "{err}");
        assert_eq!(err.lines().count(), 1, "{err}");
    }
}

#[test]
fn a_failing_rejected_output_leaves_the_main_output_as_it_was() {
    let dir = temp_dir();
    let Some(full) = make_node(dir.path(), "full", &["c", "1", "7"]) else {
        return;
    };
    let big = dir.path().join("big.tmx");
    big_memory(&big, 2_000);
    let out = dir.path().join("out.tsv");
    fs::write(&out, "previous\n").expect("write");
    let result = run(&[
        "tm",
        "filter",
        s(&big),
        "--keep-source",
        "7",
        "-o",
        s(&out),
        "--rejected",
        s(&full),
        "-f",
        "tsv",
    ]);
    assert_eq!(result.status.code(), Some(1), "{}", stderr_of(&result));
    assert!(
        stderr_of(&result).contains("space"),
        "{}",
        stderr_of(&result)
    );
    assert_eq!(fs::read_to_string(&out).expect("read"), "previous\n");
    assert!(leftovers(dir.path()).is_empty());
}
