use super::*;
use crate::error::ErrorKind;
use proptest::prelude::*;

fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = fs::read_dir(dir)
        .expect("read_dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

fn write_ok(path: &Path, inputs: &[&Path], text: &str) -> Result<()> {
    write_file(path, inputs, OutputPolicy::default(), |out| {
        out.write_all(text.as_bytes())
            .map_err(|e| Error::io(path, e))
    })
}

fn is_usage(e: &Error) -> bool {
    matches!(e.kind(), ErrorKind::Usage(_))
}

#[test]
fn writes_and_leaves_no_temporary_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("out.tmx");
    write_ok(&out, &[], "one").expect("write");
    assert_eq!(fs::read_to_string(&out).expect("read"), "one");
    write_ok(&out, &[], "two").expect("overwrite");
    assert_eq!(fs::read_to_string(&out).expect("read"), "two");
    assert_eq!(names(dir.path()), vec!["out.tmx"]);
}

#[test]
fn a_failing_writer_leaves_nothing_behind() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("out.tmx");
    let result: Result<()> = write_file(&out, &[], OutputPolicy::default(), |w| {
        w.write_all(b"<?xml partial")
            .map_err(|e| Error::io(&out, e))?;
        Err(Error::io(&out, io::Error::other("disk on fire")))
    });
    let err = result.expect_err("fails").to_string();
    assert!(
        err.contains("out.tmx") && err.contains("disk on fire"),
        "{err}"
    );
    assert!(names(dir.path()).is_empty(), "{:?}", names(dir.path()));
    // An existing output survives a failed rewrite unchanged.
    fs::write(&out, "old").expect("write");
    let result: Result<()> = write_file(&out, &[], OutputPolicy::default(), |_| {
        Err(Error::usage("stop"))
    });
    assert!(result.is_err());
    assert_eq!(fs::read_to_string(&out).expect("read"), "old");
    assert_eq!(names(dir.path()), vec!["out.tmx"]);
}

#[test]
fn refuses_to_overwrite_an_input_however_spelled() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = dir.path().join("in.en.txt");
    fs::write(&input, "text").expect("write");
    let other = dir.path().join("in.ru.txt");
    fs::write(&other, "текст").expect("write");
    fs::create_dir(dir.path().join("sub")).expect("mkdir");
    let spellings = [
        input.clone(),
        dir.path().join(".").join("in.en.txt"),
        dir.path().join("sub").join("..").join("in.en.txt"),
    ];
    for target in &spellings {
        let err = write_ok(target, &[&other, &input], "x").expect_err("refused");
        assert!(is_usage(&err), "{err}");
        assert!(err.to_string().contains("in.en.txt"), "{err}");
    }
    #[cfg(unix)]
    {
        let link = dir.path().join("link.tmx");
        std::os::unix::fs::symlink(&input, &link).expect("symlink");
        assert!(write_ok(&link, &[&input], "x").is_err(), "symlink");
        let hard = dir.path().join("hard.tmx");
        fs::hard_link(&input, &hard).expect("hard link");
        assert!(write_ok(&hard, &[&input], "x").is_err(), "hard link");
        // The input named through a link is protected too.
        assert!(write_ok(&input, &[&link], "x").is_err(), "input via link");
    }
    assert_eq!(fs::read_to_string(&input).expect("read"), "text");
    write_ok(&dir.path().join("out.tmx"), &[&input, &other], "x").expect("write");
}

#[test]
fn two_outputs_that_are_one_file_are_refused_before_anything_is_written() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("out.tmx");
    let alias = dir.path().join(".").join("out.tmx");
    let mut plan = OutputPlan::new(OutputPolicy::default());
    plan.claim(&out).expect("first");
    let err = plan.claim(&alias).expect_err("alias of a new file");
    assert!(err.to_string().contains("same file"), "{err}");
    fs::write(&out, "kept").expect("write");
    let mut plan = OutputPlan::new(OutputPolicy::default());
    plan.claim(&out).expect("first");
    assert!(plan.claim(&alias).is_err(), "alias of an existing file");
    assert!(plan.claim(&out).is_err(), "the same spelling twice");
    let mut plan = OutputPlan::new(OutputPolicy::default());
    plan.claim(Path::new("-")).expect("stdout");
    assert!(plan.claim(Path::new("-")).is_err(), "stdout twice");
    assert_eq!(fs::read_to_string(&out).expect("read"), "kept");
}

#[test]
fn refuses_a_directory_and_reports_a_missing_one() {
    let dir = tempfile::tempdir().expect("tempdir");
    let err = write_ok(dir.path(), &[], "x").expect_err("directory");
    assert!(err.to_string().contains("is a directory"), "{err}");
    let missing = dir.path().join("no").join("out.tmx");
    let err = write_ok(&missing, &[], "x").expect_err("missing dir");
    assert!(matches!(err.kind(), ErrorKind::Io { .. }), "{err}");
    assert!(names(dir.path()).is_empty());
    assert!(write_ok(Path::new(".."), &[], "x").is_err());
    // A file where a directory should be is named.
    fs::write(dir.path().join("file"), "x").expect("write");
    let err = write_ok(&dir.path().join("file").join("out.tmx"), &[], "x").expect_err("file");
    assert!(err.to_string().contains("not a directory"), "{err}");
}

#[cfg(unix)]
#[test]
fn permissions_are_not_private_and_existing_ones_are_kept() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("new.tsv");
    write_ok(&out, &[], "x").expect("write");
    let plain = dir.path().join("plain");
    File::create(&plain).expect("create");
    let expected = fs::metadata(&plain).expect("meta").permissions().mode() & 0o777;
    let mode = fs::metadata(&out).expect("meta").permissions().mode() & 0o777;
    assert_eq!(mode, expected, "{mode:o} vs {expected:o}");
    fs::set_permissions(&out, fs::Permissions::from_mode(0o640)).expect("chmod");
    write_ok(&out, &[], "y").expect("rewrite");
    let mode = fs::metadata(&out).expect("meta").permissions().mode() & 0o777;
    assert_eq!(mode, 0o640);
}

#[cfg(unix)]
#[test]
fn a_write_protected_output_is_refused_unless_forced() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("keep.tmx");
    fs::write(&out, "precious").expect("write");
    fs::set_permissions(&out, fs::Permissions::from_mode(0o444)).expect("chmod");
    let err = write_ok(&out, &[], "new").expect_err("protected");
    assert!(err.to_string().contains("write-protected"), "{err}");
    assert!(err.to_string().contains("--force"), "{err}");
    assert_eq!(fs::read_to_string(&out).expect("read"), "precious");
    let forced = OutputPolicy { force: true };
    write_file(&out, &[], forced, |w| {
        w.write_all(b"new").map_err(|e| Error::io(&out, e))
    })
    .expect("forced");
    assert_eq!(fs::read_to_string(&out).expect("read"), "new");
    let mode = fs::metadata(&out).expect("meta").permissions().mode() & 0o777;
    assert_eq!(mode, 0o444, "the protection stays");
}

#[cfg(unix)]
#[test]
fn a_symbolic_link_stays_a_link_and_its_file_is_written() {
    let dir = tempfile::tempdir().expect("tempdir");
    fs::create_dir(dir.path().join("real")).expect("mkdir");
    let file = dir.path().join("real").join("out.tmx");
    fs::write(&file, "old").expect("write");
    let link = dir.path().join("link.tmx");
    std::os::unix::fs::symlink(&file, &link).expect("symlink");
    write_ok(&link, &[], "new").expect("write");
    assert!(fs::symlink_metadata(&link)
        .expect("meta")
        .file_type()
        .is_symlink());
    assert_eq!(fs::read_to_string(&file).expect("read"), "new");
    assert_eq!(names(&dir.path().join("real")), vec!["out.tmx"]);
    // A dangling link is refused, naming where it points.
    let dangling = dir.path().join("dangling.tmx");
    std::os::unix::fs::symlink(dir.path().join("nowhere"), &dangling).expect("symlink");
    let err = write_ok(&dangling, &[], "x").expect_err("dangling");
    assert!(err.to_string().contains("does not exist"), "{err}");
    assert!(fs::symlink_metadata(&dangling).is_ok());
}

#[cfg(unix)]
#[test]
fn a_fifo_is_written_in_place_and_stays_a_fifo() {
    use std::os::unix::fs::FileTypeExt;
    let dir = tempfile::tempdir().expect("tempdir");
    let fifo = dir.path().join("pipe");
    rustix::fs::mknodat(
        rustix::fs::CWD,
        &fifo,
        rustix::fs::FileType::Fifo,
        rustix::fs::Mode::from_raw_mode(0o600),
        0,
    )
    .expect("mkfifo");
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || fs::read_to_string(fifo).expect("read fifo"))
    };
    write_ok(&fifo, &[], "through the pipe").expect("write");
    assert_eq!(reader.join().expect("reader"), "through the pipe");
    let meta = fs::symlink_metadata(&fifo).expect("meta");
    assert!(meta.file_type().is_fifo());
    assert_eq!(names(dir.path()), vec!["pipe"]);
}

/// A private character device like `/dev/null` and `/dev/full` (needs CAP_MKNOD and a
/// filesystem that allows device nodes); `None` where it cannot be made.
#[cfg(unix)]
fn private_device(dir: &Path, name: &str, minor: u32) -> Option<PathBuf> {
    let path = dir.join(name);
    let made = rustix::fs::mknodat(
        rustix::fs::CWD,
        &path,
        rustix::fs::FileType::CharacterDevice,
        rustix::fs::Mode::from_raw_mode(0o666),
        rustix::fs::makedev(1, minor),
    );
    if made.is_err() || OpenOptions::new().write(true).open(&path).is_err() {
        let _ = writeln!(
            io::stderr(),
            "skipped: cannot make a private character device here (needs root and a \
             filesystem without nodev)"
        );
        return None;
    }
    Some(path)
}

#[cfg(unix)]
#[test]
fn a_device_is_written_in_place_never_replaced_and_errors_are_reported() {
    use std::os::unix::fs::FileTypeExt;
    let dir = tempfile::tempdir().expect("tempdir");
    let Some(null) = private_device(dir.path(), "null", 3) else {
        return;
    };
    write_ok(&null, &[], "gone").expect("write to null");
    assert!(fs::metadata(&null)
        .expect("meta")
        .file_type()
        .is_char_device());
    // Two outputs may share a device.
    let mut plan = OutputPlan::new(OutputPolicy::default());
    plan.claim(&null).expect("one");
    plan.claim(&null).expect("two");
    let Some(full) = private_device(dir.path(), "full", 7) else {
        return;
    };
    let err = write_ok(&full, &[], &"x".repeat(1 << 17)).expect_err("ENOSPC");
    assert!(err.to_string().contains("full"), "{err}");
    assert!(fs::metadata(&full)
        .expect("meta")
        .file_type()
        .is_char_device());
    let mut left = names(dir.path());
    left.sort();
    assert_eq!(left, vec!["full", "null"]);
}

#[test]
fn commit_all_publishes_all_outputs_or_none() {
    let dir = tempfile::tempdir().expect("tempdir");
    let a = dir.path().join("a.tmx");
    let b = dir.path().join("b.tmx");
    fs::write(&a, "old a").expect("write");
    let mut plan = OutputPlan::new(OutputPolicy::default());
    let mut out_a = plan.claim(&a).expect("a").open().expect("open a");
    let mut out_b = plan.claim(&b).expect("b").open().expect("open b");
    out_a.write_all(b"new a").expect("write a");
    out_b.write_all(b"new b").expect("write b");
    // b's place is taken by a directory after the claim: its rename fails, so a's must be
    // undone.
    fs::create_dir(&b).expect("mkdir");
    fs::write(b.join("inside"), "x").expect("write");
    assert!(commit_all(vec![out_a, out_b]).is_err());
    assert_eq!(fs::read_to_string(&a).expect("read"), "old a");
    assert_eq!(names(dir.path()), vec!["a.tmx", "b.tmx"]);
    // A new first file is removed again.
    fs::remove_file(&a).expect("rm");
    let mut plan = OutputPlan::new(OutputPolicy::default());
    let out_a = plan.claim(&a).expect("a").open().expect("open a");
    let out_c = plan
        .claim(&dir.path().join("c.tmx"))
        .expect("c")
        .open()
        .expect("open c");
    fs::create_dir(dir.path().join("c.tmx")).expect("mkdir");
    fs::write(dir.path().join("c.tmx").join("inside"), "x").expect("write");
    assert!(commit_all(vec![out_a, out_c]).is_err());
    assert_eq!(names(dir.path()), vec!["b.tmx", "c.tmx"]);
    // And when all goes well, both appear and no backup is left.
    fs::write(&a, "old a").expect("write");
    let d = dir.path().join("d.tmx");
    let mut plan = OutputPlan::new(OutputPolicy::default());
    let mut out_a = plan.claim(&a).expect("a").open().expect("open a");
    let mut out_d = plan.claim(&d).expect("d").open().expect("open d");
    out_a.write_all(b"new a").expect("write a");
    out_d.write_all(b"new d").expect("write d");
    commit_all(vec![out_a, out_d]).expect("commit");
    assert_eq!(fs::read_to_string(&a).expect("read"), "new a");
    assert_eq!(fs::read_to_string(&d).expect("read"), "new d");
    assert_eq!(names(dir.path()), vec!["a.tmx", "b.tmx", "c.tmx", "d.tmx"]);
}

#[test]
fn temporary_files_are_registered_until_committed_or_dropped() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("out.tmx");
    let registered = |dir: &Path| registry().iter().filter(|p| p.starts_with(dir)).count();
    let mut plan = OutputPlan::new(OutputPolicy::default());
    let target = plan.claim(&out).expect("claim");
    let output = target.open().expect("open");
    assert_eq!(registered(dir.path()), 1);
    drop(output);
    assert_eq!(registered(dir.path()), 0);
    assert!(names(dir.path()).is_empty());
    let output = target.open().expect("open");
    output.commit().expect("commit");
    assert_eq!(registered(dir.path()), 0);
    assert_eq!(names(dir.path()), vec!["out.tmx"]);
}

/// One step of a path spelling.
#[derive(Debug, Clone)]
enum Step {
    Dot,
    DownUp,
    ViaLinkedDir,
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// However a file is spelled (`.`, `sub/..`, a symlinked directory, relative or absolute),
    /// it is the same file as an input or another output, and a different file never is.
    #[test]
    fn spellings_of_one_file_are_one_identity(
        steps in proptest::collection::vec(
            prop_oneof![Just(Step::Dot), Just(Step::DownUp), Just(Step::ViaLinkedDir)],
            0..5,
        ),
        exists in any::<bool>(),
        as_input in any::<bool>(),
        through in 0..3u8,
    ) {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = fs::canonicalize(dir.path()).expect("canonical");
        fs::create_dir(root.join("sub")).expect("mkdir");
        fs::create_dir(root.join("data")).expect("mkdir");
        #[cfg(unix)]
        std::os::unix::fs::symlink(root.join("data"), root.join("linked")).expect("symlink");
        let file = root.join("data").join("f.tmx");
        if exists {
            fs::write(&file, "content").expect("write");
        }
        let mut spelled = root.clone();
        let mut in_data = false;
        for step in &steps {
            match step {
                Step::Dot => spelled.push("."),
                Step::DownUp => {
                    spelled.push("sub");
                    spelled.push("..");
                }
                Step::ViaLinkedDir if cfg!(unix) && !in_data => {
                    spelled.push("linked");
                    in_data = true;
                }
                Step::ViaLinkedDir => spelled.push("."),
            }
        }
        if !in_data {
            spelled.push("data");
        }
        // The file itself, a symbolic link to it, or a hard link to it (when it exists).
        match through {
            #[cfg(unix)]
            1 => {
                let link = root.join("sub").join("link.tmx");
                std::os::unix::fs::symlink(&file, &link).expect("symlink");
                spelled = root.join("sub").join(".").join("link.tmx");
            }
            2 if exists => {
                let hard = root.join("sub").join("hard.tmx");
                fs::hard_link(&file, &hard).expect("hard link");
                spelled = root.join("sub").join("hard.tmx");
            }
            _ => spelled.push("f.tmx"),
        }
        let mut plan = OutputPlan::new(OutputPolicy::default());
        if as_input && exists {
            plan.input(&file);
            prop_assert!(plan.claim(&spelled).is_err(), "{} is the input", spelled.display());
            prop_assert!(plan.claim(&root.join("data").join("g.tmx")).is_ok());
        } else {
            plan.claim(&file).expect("first output");
            prop_assert!(plan.claim(&spelled).is_err(), "{} is the output", spelled.display());
            prop_assert!(plan.claim(&root.join("sub").join("f.tmx")).is_ok());
        }
    }
}
