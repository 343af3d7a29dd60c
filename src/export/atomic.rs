//! Atomic output: write a temporary file in the target's directory, flush and sync it, then
//! rename it over the target (`tempfile`'s `persist`). A failure at any point drops the
//! temporary file, so no partial output is ever left behind and an existing target is untouched.
//!
//! Before anything is created the target is checked: it must name a file, not a directory, and
//! must not be one of the inputs — compared by canonical path (for a target that does not exist
//! yet, the canonical parent directory plus the file name) and, on Unix, by device and inode, so
//! that `./in.txt`, a symbolic link and a hard link to an input are all refused.
//!
//! The temporary file is created with mode 0666 filtered by the umask (not `tempfile`'s private
//! 0600), so the output gets the permissions of any newly created file; replacing an existing
//! file keeps that file's permissions.

use std::fs::{self, Metadata};
use std::io::{self, Write};
use std::path::Path;

use crate::error::{Error, Result};

/// Writes through `write` into a temporary file and renames it to `path` when all went well.
pub fn write_atomically<T>(
    path: &Path,
    inputs: &[&Path],
    write: impl FnOnce(&mut dyn Write) -> Result<T>,
) -> Result<T> {
    let existing = check_target(path, inputs)?;
    let mut builder = tempfile::Builder::new();
    builder.prefix(".bitext-").suffix(".tmp");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(fs::Permissions::from_mode(0o666));
    }
    let mut tmp = builder
        .tempfile_in(parent_dir(path))
        .map_err(|e| Error::io(path, e))?;
    if let Some(meta) = &existing {
        tmp.as_file()
            .set_permissions(meta.permissions())
            .map_err(|e| Error::io(path, e))?;
    }
    let value = write(tmp.as_file_mut())?;
    tmp.as_file_mut()
        .flush()
        .and_then(|()| tmp.as_file().sync_all())
        .map_err(|e| Error::io(path, e))?;
    tmp.persist(path).map_err(|e| Error::io(path, e.error))?;
    Ok(value)
}

/// The directory a file `path` lies in (`.` for a bare file name).
fn parent_dir(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// Refuses a target that is a directory or one of the inputs; returns the target's metadata
/// when it exists.
fn check_target(path: &Path, inputs: &[&Path]) -> Result<Option<Metadata>> {
    let Some(name) = path.file_name() else {
        return Err(Error::usage(format!(
            "output '{}' does not name a file",
            path.display()
        )));
    };
    let meta = match fs::metadata(path) {
        Ok(meta) => Some(meta),
        Err(e) if e.kind() == io::ErrorKind::NotFound => None,
        Err(e) => return Err(Error::io(path, e)),
    };
    if meta.as_ref().is_some_and(Metadata::is_dir) {
        return Err(Error::usage(format!(
            "output '{}' is a directory; name a file to write",
            path.display()
        )));
    }
    let canonical = match meta {
        Some(_) => fs::canonicalize(path),
        None => fs::canonicalize(parent_dir(path)).map(|dir| dir.join(name)),
    }
    .map_err(|e| Error::io(path, e))?;
    for input in inputs {
        let same_path = fs::canonicalize(input).is_ok_and(|c| c == canonical);
        if same_path || meta.as_ref().is_some_and(|m| same_file(m, input)) {
            return Err(Error::usage(format!(
                "refusing to write output '{}': it is the input file '{}'",
                path.display(),
                input.display()
            )));
        }
    }
    Ok(meta)
}

/// True when `input` is the file described by `target` (same device and inode).
#[cfg(unix)]
fn same_file(target: &Metadata, input: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    fs::metadata(input).is_ok_and(|m| m.dev() == target.dev() && m.ino() == target.ino())
}

/// Without inodes, the canonical-path comparison is all there is.
#[cfg(not(unix))]
fn same_file(_target: &Metadata, _input: &Path) -> bool {
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = fs::read_dir(dir)
            .expect("read_dir")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    fn write_ok(path: &Path, inputs: &[&Path], text: &str) -> Result<()> {
        write_atomically(path, inputs, |out| {
            out.write_all(text.as_bytes())
                .map_err(|e| Error::io(path, e))
        })
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
        let result: Result<()> = write_atomically(&out, &[], |w| {
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
        let result: Result<()> = write_atomically(&out, &[], |_| Err(Error::usage("stop")));
        assert!(result.is_err());
        assert_eq!(fs::read_to_string(&out).expect("read"), "old");
        assert_eq!(names(dir.path()), vec!["out.tmx"]);
    }

    #[test]
    fn refuses_to_overwrite_an_input() {
        let dir = tempfile::tempdir().expect("tempdir");
        let input = dir.path().join("in.en.txt");
        fs::write(&input, "text").expect("write");
        let other = dir.path().join("in.ru.txt");
        fs::write(&other, "текст").expect("write");
        let spellings = [
            input.clone(),
            dir.path().join(".").join("in.en.txt"),
            dir.path().join("sub").join("..").join("in.en.txt"),
        ];
        fs::create_dir(dir.path().join("sub")).expect("mkdir");
        for target in &spellings {
            let err = write_ok(target, &[&other, &input], "x").expect_err("refused");
            assert!(matches!(err.kind(), ErrorKind::Usage(_)), "{err}");
            assert!(err.to_string().contains("in.en.txt"), "{err}");
        }
        #[cfg(unix)]
        {
            let link = dir.path().join("link.tmx");
            std::os::unix::fs::symlink(&input, &link).expect("symlink");
            assert!(
                write_ok(&link, &[&input], "x").is_err(),
                "symlink to an input"
            );
            let hard = dir.path().join("hard.tmx");
            fs::hard_link(&input, &hard).expect("hard link");
            assert!(
                write_ok(&hard, &[&input], "x").is_err(),
                "hard link to an input"
            );
        }
        assert_eq!(fs::read_to_string(&input).expect("read"), "text");
        // A new file next to the inputs is fine.
        write_ok(&dir.path().join("out.tmx"), &[&input, &other], "x").expect("write");
    }

    #[test]
    fn refuses_a_directory_and_reports_a_missing_one() {
        let dir = tempfile::tempdir().expect("tempdir");
        let err = write_ok(dir.path(), &[], "x").expect_err("directory");
        assert!(err.to_string().contains("is a directory"), "{err}");
        let missing = dir.path().join("no").join("out.tmx");
        let err = write_ok(&missing, &[], "x").expect_err("missing dir");
        assert!(matches!(err.kind(), ErrorKind::Io { .. }), "{err}");
        assert!(err.to_string().contains("out.tmx"), "{err}");
        assert!(names(dir.path()).is_empty());
        assert!(write_ok(Path::new(".."), &[], "x").is_err());
    }

    #[cfg(unix)]
    #[test]
    fn permissions_are_not_private_and_existing_ones_are_kept() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("tempdir");
        let out = dir.path().join("new.tsv");
        write_ok(&out, &[], "x").expect("write");
        // A file created the ordinary way gets 0666 minus the umask; so must the output.
        let plain = dir.path().join("plain");
        fs::File::create(&plain).expect("create");
        let expected = fs::metadata(&plain).expect("meta").permissions().mode() & 0o777;
        let mode = fs::metadata(&out).expect("meta").permissions().mode() & 0o777;
        assert_eq!(mode, expected, "{mode:o} vs {expected:o}");
        fs::set_permissions(&out, fs::Permissions::from_mode(0o640)).expect("chmod");
        write_ok(&out, &[], "y").expect("rewrite");
        let mode = fs::metadata(&out).expect("meta").permissions().mode() & 0o777;
        assert_eq!(mode, 0o640);
    }
}
