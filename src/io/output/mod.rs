//! Output safety: the one policy by which every command decides where and how it writes.
//!
//! A command first lists the files it reads in an [`OutputPlan`], then claims each file it will
//! write ([`OutputPlan::claim`]), then opens and fills the claimed [`Target`]s and commits them
//! together (`commit_all`). The rules, in the order they are checked:
//!
//! - `-` is standard output, written directly (streaming); it can be claimed once.
//! - A path is resolved through its symbolic links. A directory, a block device, a socket or a
//!   dangling link is refused with a message saying what it is.
//! - A character device (`/dev/null`, a terminal), a FIFO, or a path under `/dev` or `/proc`
//!   that names an open stream (`/dev/stdout`, `/proc/self/fd/1`) is written directly: opened
//!   for writing, never created, renamed over or removed. When it is this process's standard
//!   output or error, the inherited handle is used, so `>>` keeps appending.
//! - Anything else is a regular file, written atomically: a temporary file in the resolved
//!   target's directory, flushed and synced, then renamed over the target. A symbolic link to
//!   the target stays a link. An existing target keeps its permissions; a write-protected one
//!   is refused unless [`OutputPolicy::force`] is set.
//! - No output may be an input or another output. Files are compared by identity, not spelling:
//!   device and inode for files that exist, the canonical directory plus the name for files
//!   that do not (`./out.tmx`, `dir/../out.tmx`, a symlink and a hard link are all the same
//!   file). Character devices may be shared (two outputs to `/dev/null`).
//! - `commit_all` publishes every output or none: all are flushed and synced first; existing
//!   targets are kept as hard-linked backups while the temporary files are renamed into place,
//!   and a failed rename puts every earlier target back.
//! - Temporary files are registered while they exist: [`remove_temporary_files`] (called by the
//!   binary on SIGINT, SIGTERM and SIGHUP) removes them, and waits for a commit in progress to
//!   finish first, so an interrupted run leaves either the old files or the new ones.

use std::fs::{self, File, Metadata, OpenOptions};
use std::io::{self, BufWriter, Write};
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard};

use crate::error::{Error, Result};

/// How permissive the output checks are.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OutputPolicy {
    /// Replace a write-protected existing output (`--force`).
    pub force: bool,
}

/// The identity of a file: what two spellings of the same file share.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Identity {
    /// An existing file: device and inode (Unix), plus its canonical path.
    Existing {
        dev: u64,
        ino: u64,
        canonical: PathBuf,
    },
    /// A file that does not exist yet: its canonical directory joined with its name.
    New(PathBuf),
    /// Standard output (`-`).
    Stdout,
}

impl Identity {
    fn same(&self, other: &Identity) -> bool {
        match (self, other) {
            (
                Identity::Existing {
                    dev,
                    ino,
                    canonical,
                },
                Identity::Existing {
                    dev: d2,
                    ino: i2,
                    canonical: c2,
                },
            ) => match (*dev, *ino) {
                (0, 0) => canonical == c2,
                _ => (dev, ino) == (d2, i2),
            },
            (Identity::Existing { canonical, .. }, Identity::New(p))
            | (Identity::New(p), Identity::Existing { canonical, .. }) => canonical == p,
            (Identity::New(a), Identity::New(b)) => a == b,
            (Identity::Stdout, Identity::Stdout) => true,
            _ => false,
        }
    }
}

/// How a claimed target is written.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Kind {
    /// Standard output (`-`, or a path naming this process's standard output).
    Stdout,
    /// Standard error (a path naming this process's standard error).
    Stderr,
    /// A character device or FIFO: opened for writing, streaming.
    Direct,
    /// A regular file, new or existing, written through a temporary file at `resolved`.
    Atomic {
        /// The file to replace or create, symbolic links resolved.
        resolved: PathBuf,
        /// Whether it exists (its permissions are kept).
        exists: bool,
    },
}

/// The files one command reads and writes; see the module documentation for the rules.
#[derive(Debug, Default)]
pub struct OutputPlan {
    policy: OutputPolicy,
    inputs: Vec<(PathBuf, Identity)>,
    /// Each output claimed: as given, its identity, and whether outputs may share it.
    outputs: Vec<(PathBuf, Identity, bool)>,
}

/// A file a command may write: checked against the plan's inputs and other outputs.
#[derive(Debug, Clone)]
pub struct Target {
    path: PathBuf,
    kind: Kind,
    /// A regular file written directly (through `/proc` or `/dev`) is truncated first.
    truncate: bool,
}

impl OutputPlan {
    /// A plan for a command whose outputs follow `policy`.
    pub fn new(policy: OutputPolicy) -> OutputPlan {
        OutputPlan {
            policy,
            ..OutputPlan::default()
        }
    }

    /// Records a file the command reads: no output may be it. A file that cannot be examined
    /// (it does not exist yet, say) is compared by its spelling's canonical form; standard input
    /// (`-`) is nothing to protect.
    pub fn input(&mut self, path: &Path) {
        if path == Path::new("-") {
            return;
        }
        if let Some(id) = identity(path) {
            self.inputs.push((path.to_path_buf(), id));
        }
    }

    /// Records every file of `paths` as an input.
    pub fn inputs<'a>(&mut self, paths: impl IntoIterator<Item = &'a Path>) {
        for path in paths {
            self.input(path);
        }
    }

    /// Checks that `path` may be written by this command and records it as an output.
    pub fn claim(&mut self, path: &Path) -> Result<Target> {
        let claimed = classify(path)?;
        if claimed.regular {
            if let Some((input, _)) = self.inputs.iter().find(|(_, i)| i.same(&claimed.id)) {
                return Err(Error::usage(if input.as_os_str() == path.as_os_str() {
                    format!(
                        "refusing to write output '{}': it is an input",
                        path.display()
                    )
                } else {
                    format!(
                        "refusing to write output '{}': it is the input '{}'",
                        path.display(),
                        input.display()
                    )
                }));
            }
        }
        if !claimed.shareable {
            let same = self
                .outputs
                .iter()
                .find(|(_, i, shareable)| !shareable && i.same(&claimed.id));
            if let Some((other, _, _)) = same {
                return Err(Error::usage(if other.as_os_str() == path.as_os_str() {
                    format!("'{}' is named as two outputs", path.display())
                } else {
                    format!(
                        "outputs '{}' and '{}' are the same file",
                        other.display(),
                        path.display()
                    )
                }));
            }
        }
        if claimed.protected && !self.policy.force {
            return Err(Error::usage(format!(
                "output '{}' is write-protected; use --force to replace it",
                path.display()
            )));
        }
        self.outputs
            .push((path.to_path_buf(), claimed.id, claimed.shareable));
        Ok(Target {
            path: path.to_path_buf(),
            kind: claimed.kind,
            truncate: claimed.regular,
        })
    }
}

impl Target {
    /// True when the target is written directly (standard output, a device or a FIFO), so
    /// what was written before an error stays written.
    pub fn is_stream(&self) -> bool {
        !matches!(self.kind, Kind::Atomic { .. })
    }

    /// Opens the target for writing: a registered temporary file beside a regular file, the
    /// device or FIFO itself, or the standard stream.
    pub fn open(&self) -> Result<Output> {
        let sink = match &self.kind {
            Kind::Stdout => Sink::Stdout(io::stdout()),
            Kind::Stderr => Sink::Stderr(io::stderr()),
            Kind::Direct => {
                let file = OpenOptions::new()
                    .write(true)
                    .truncate(self.truncate)
                    .open(&self.path)
                    .map_err(|e| Error::io(&self.path, e))?;
                Sink::Direct(file)
            }
            Kind::Atomic { resolved, exists } => {
                let temp = Temporary::create(resolved)?;
                if *exists {
                    // Keep the replaced file's permissions (it may have been made private).
                    if let Ok(meta) = fs::metadata(resolved) {
                        temp.file
                            .set_permissions(meta.permissions())
                            .map_err(|e| Error::io(&self.path, e))?;
                    }
                }
                Sink::Atomic {
                    temp,
                    resolved: resolved.clone(),
                }
            }
        };
        Ok(Output {
            path: self.path.clone(),
            writer: BufWriter::with_capacity(1 << 16, sink),
        })
    }
}

/// Claims and writes one file: `write` fills it, and it is committed when `write` succeeds.
/// `inputs` are the files the command reads.
pub fn write_file<T>(
    path: &Path,
    inputs: &[&Path],
    policy: OutputPolicy,
    write: impl FnOnce(&mut dyn Write) -> Result<T>,
) -> Result<T> {
    let mut plan = OutputPlan::new(policy);
    plan.inputs(inputs.iter().copied());
    let mut output = plan.claim(path)?.open()?;
    let value = write(&mut output)?;
    output.commit()?;
    Ok(value)
}

/// Where an [`Output`]'s bytes go.
enum Sink {
    Stdout(io::Stdout),
    Stderr(io::Stderr),
    Direct(File),
    Atomic { temp: Temporary, resolved: PathBuf },
}

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Sink::Stdout(s) => s.write(buf),
            Sink::Stderr(s) => s.write(buf),
            Sink::Direct(f) => f.write(buf),
            Sink::Atomic { temp, .. } => temp.file.write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Sink::Stdout(s) => s.flush(),
            Sink::Stderr(s) => s.flush(),
            Sink::Direct(f) => f.flush(),
            Sink::Atomic { temp, .. } => temp.file.flush(),
        }
    }
}

/// An opened output (buffered): write into it, then [`Output::commit`] it or `commit_all`
/// with the command's other outputs. Dropped uncommitted, a regular file's temporary file is
/// removed and the target left as it was.
pub struct Output {
    path: PathBuf,
    writer: BufWriter<Sink>,
}

impl std::fmt::Debug for Output {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Output").field("path", &self.path).finish()
    }
}

impl Write for Output {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.writer.write(buf)
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        self.writer.write_all(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.writer.flush()
    }
}

impl Output {
    /// The path as the user gave it.
    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    /// Flushes the output and, for a regular file, renames it into place.
    pub fn commit(self) -> Result<()> {
        commit_all(vec![self])
    }

    /// Flushes the buffer and syncs a temporary file to disk.
    fn finish_writing(&mut self) -> Result<()> {
        self.writer.flush().map_err(|e| Error::io(&self.path, e))?;
        if let Sink::Atomic { temp, .. } = self.writer.get_ref() {
            temp.file.sync_all().map_err(|e| Error::io(&self.path, e))?;
        }
        Ok(())
    }
}

/// Publishes every output or none (see the module documentation).
pub(crate) fn commit_all(mut outputs: Vec<Output>) -> Result<()> {
    for output in &mut outputs {
        output.finish_writing()?;
    }
    // The registry's lock is held through the renames: a signal's clean-up waits for them.
    let mut registry = registry();
    let atomic: Vec<(&Path, &Temporary, &Path)> = outputs
        .iter()
        .filter_map(|o| match o.writer.get_ref() {
            Sink::Atomic { temp, resolved } => Some((o.path.as_path(), temp, resolved.as_path())),
            _ => None,
        })
        .collect();
    let mut failure = None;
    // With several files, each existing target is kept as a hard link until all are renamed.
    let mut backups: Vec<Option<PathBuf>> = Vec::with_capacity(atomic.len());
    if atomic.len() > 1 {
        for (path, _, resolved) in &atomic {
            if !resolved.exists() {
                backups.push(None);
                continue;
            }
            let name = temporary_name(resolved, "bak");
            match fs::hard_link(resolved, &name) {
                Ok(()) => {
                    registry.push(name.clone());
                    backups.push(Some(name));
                }
                Err(e) => {
                    failure = Some(Error::io(*path, e));
                    break;
                }
            }
        }
    }
    let mut renamed = 0;
    if failure.is_none() {
        for (path, temp, resolved) in &atomic {
            if let Err(e) = fs::rename(&temp.path, resolved) {
                failure = Some(Error::io(*path, e));
                break;
            }
            renamed += 1;
        }
    }
    if failure.is_some() {
        // Put back what was replaced; remove what did not exist before.
        for (i, (_, _, resolved)) in atomic.iter().take(renamed).enumerate() {
            match backups.get(i).cloned().flatten() {
                Some(backup) => {
                    let _ = fs::rename(&backup, resolved);
                }
                None => {
                    let _ = fs::remove_file(resolved);
                }
            }
        }
    }
    for backup in backups.iter().flatten() {
        let _ = fs::remove_file(backup);
        registry.retain(|p| p != backup);
    }
    let published: Vec<PathBuf> = atomic
        .iter()
        .take(if failure.is_some() { 0 } else { renamed })
        .map(|(_, temp, _)| temp.path.clone())
        .collect();
    // Renamed files are no longer temporary; the others are removed when dropped below.
    registry.retain(|p| !published.contains(p));
    drop(registry);
    for output in &mut outputs {
        if let Sink::Atomic { temp, .. } = output.writer.get_mut() {
            if published.contains(&temp.path) {
                temp.renamed = true;
            }
        }
    }
    match failure {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

/// A temporary file beside a target, registered for removal on a signal; removed on drop
/// unless it was renamed into place.
struct Temporary {
    path: PathBuf,
    file: File,
    renamed: bool,
}

impl Temporary {
    /// Creates a new temporary file in `target`'s directory (mode 0666 less the umask, like
    /// any new file).
    fn create(target: &Path) -> Result<Temporary> {
        let dir = parent_dir(target);
        for _ in 0..64 {
            let path = temporary_name(target, "tmp");
            let mut registry = registry();
            let mut options = OpenOptions::new();
            options.write(true).create_new(true);
            #[cfg(unix)]
            {
                use std::os::unix::fs::OpenOptionsExt;
                options.mode(0o666);
            }
            match options.open(&path) {
                Ok(file) => {
                    registry.push(path.clone());
                    return Ok(Temporary {
                        path,
                        file,
                        renamed: false,
                    });
                }
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
                Err(e) => {
                    let why = match e.kind() {
                        io::ErrorKind::NotFound => {
                            format!("the directory '{}' does not exist", dir.display())
                        }
                        _ => format!("cannot create a file in '{}': {e}", dir.display()),
                    };
                    return Err(Error::io(target, io::Error::new(e.kind(), why)));
                }
            }
        }
        Err(Error::io(
            dir,
            io::Error::other("cannot find a free temporary file name"),
        ))
    }
}

impl Drop for Temporary {
    fn drop(&mut self) {
        if !self.renamed {
            let mut registry = registry();
            let _ = fs::remove_file(&self.path);
            registry.retain(|p| p != &self.path);
        }
    }
}

/// The temporary files that exist now.
static TEMPORARIES: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// The registry, also when a thread panicked while holding it.
fn registry() -> MutexGuard<'static, Vec<PathBuf>> {
    TEMPORARIES
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Removes every temporary file and backup of this process's outputs, after any commit in
/// progress has finished, and keeps the registry locked, so that no new output can be
/// committed: call it when the process is about to exit on a signal.
pub fn remove_temporary_files() {
    let mut registry = registry();
    for path in registry.drain(..) {
        let _ = fs::remove_file(path);
    }
    // The process exits next; no other thread may create or commit an output meanwhile.
    std::mem::forget(registry);
}

/// A fresh hidden name beside `target`: `.bitext-PID-N.EXT`.
fn temporary_name(target: &Path, extension: &str) -> PathBuf {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    parent_dir(target).join(format!(
        ".bitext-{}-{n}-{nanos:x}.{extension}",
        std::process::id()
    ))
}

/// The directory a file `path` lies in (`.` for a bare file name).
fn parent_dir(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// What [`classify`] found out about an output path.
struct Claimed {
    kind: Kind,
    id: Identity,
    /// A regular file: it must not be an input.
    regular: bool,
    /// A character device: several outputs may go to it (`/dev/null`).
    shareable: bool,
    /// An existing file without write permission: replaced only when forced.
    protected: bool,
}

/// How `path` is written and its identity, or why it cannot be written.
fn classify(path: &Path) -> Result<Claimed> {
    if path == Path::new("-") {
        return Ok(Claimed {
            kind: Kind::Stdout,
            id: stdout_identity().unwrap_or(Identity::Stdout),
            regular: false,
            shareable: false,
            protected: false,
        });
    }
    if path.file_name().is_none() {
        return Err(Error::usage(format!(
            "output '{}' does not name a file",
            path.display()
        )));
    }
    let link = match fs::symlink_metadata(path) {
        Ok(meta) => Some(meta),
        Err(e)
            if matches!(
                e.kind(),
                io::ErrorKind::NotFound | io::ErrorKind::NotADirectory
            ) =>
        {
            None
        }
        Err(e) => return Err(Error::io(path, e)),
    };
    let Some(link) = link else {
        return Ok(Claimed {
            kind: Kind::Atomic {
                resolved: path.to_path_buf(),
                exists: false,
            },
            id: Identity::New(new_file_identity(path)?),
            regular: true,
            shareable: false,
            protected: false,
        });
    };
    let meta = match fs::metadata(path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == io::ErrorKind::NotFound && link.file_type().is_symlink() => {
            let to = fs::read_link(path).map_or_else(|_| "?".into(), |t| t.display().to_string());
            return Err(Error::usage(format!(
                "output '{}' is a symbolic link to '{to}', which does not exist",
                path.display()
            )));
        }
        Err(e) => return Err(Error::io(path, e)),
    };
    let id = existing_identity(path, &meta);
    if meta.is_dir() {
        return Err(Error::usage(format!(
            "output '{}' is a directory; name a file to write",
            path.display()
        )));
    }
    let system =
        under_system_dirs(path) || fs::canonicalize(path).is_ok_and(|c| under_system_dirs(&c));
    let regular = meta.is_file();
    let shareable = is_char_device(&meta);
    if system {
        // `/dev/stdout`, `/proc/self/fd/1`: this process's stream, or what the path names,
        // written in place, never replaced.
        let kind = standard_stream(&meta).unwrap_or(Kind::Direct);
        if regular || special_kind(&meta).is_some() {
            return Ok(Claimed {
                kind,
                id,
                regular,
                shareable,
                protected: false,
            });
        }
    }
    if !regular {
        return match special_kind(&meta) {
            Some(kind) => Ok(Claimed {
                kind,
                id,
                regular,
                shareable,
                protected: false,
            }),
            None => Err(Error::usage(format!(
                "output '{}' is {}; name a regular file, a character device or a FIFO",
                path.display(),
                describe(&meta)
            ))),
        };
    }
    let resolved = fs::canonicalize(path).map_err(|e| Error::io(path, e))?;
    let protected = write_protected(&resolved, &meta);
    Ok(Claimed {
        protected,
        kind: Kind::Atomic {
            resolved,
            exists: true,
        },
        id,
        regular,
        shareable,
    })
}

/// The identity of `path` for comparisons, whether or not it exists.
fn identity(path: &Path) -> Option<Identity> {
    match fs::metadata(path) {
        Ok(meta) => Some(existing_identity(path, &meta)),
        Err(_) => new_file_identity(path).ok().map(Identity::New),
    }
}

/// The identity of an existing file.
fn existing_identity(path: &Path, meta: &Metadata) -> Identity {
    let canonical = fs::canonicalize(path).unwrap_or_else(|_| lexical(path));
    let (dev, ino) = dev_ino(meta);
    Identity::Existing {
        dev,
        ino,
        canonical,
    }
}

#[cfg(unix)]
fn dev_ino(meta: &Metadata) -> (u64, u64) {
    use std::os::unix::fs::MetadataExt;
    (meta.dev(), meta.ino())
}

/// Without inodes, identities compare by canonical path only.
#[cfg(not(unix))]
fn dev_ino(_meta: &Metadata) -> (u64, u64) {
    (0, 0)
}

/// The canonical path a file that does not exist would have: the deepest existing ancestor,
/// canonicalised, joined with the rest (normalised lexically: missing directories are not
/// links). Fails when that ancestor is not a directory.
fn new_file_identity(path: &Path) -> Result<PathBuf> {
    let absolute = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()
            .map_err(|e| Error::io(".", e))?
            .join(path)
    };
    let mut existing = absolute.as_path();
    let mut rest = Vec::new();
    loop {
        if fs::symlink_metadata(existing).is_ok() {
            break;
        }
        match (existing.parent(), existing.components().next_back()) {
            (Some(parent), Some(last)) => {
                rest.push(last.as_os_str().to_owned());
                existing = parent;
            }
            _ => break,
        }
    }
    let base = fs::canonicalize(existing).map_err(|e| Error::io(existing, e))?;
    if !rest.is_empty() && !base.is_dir() {
        return Err(Error::usage(format!(
            "cannot write '{}': '{}' is not a directory",
            path.display(),
            existing.display()
        )));
    }
    let mut joined = base;
    for part in rest.iter().rev() {
        joined.push(part);
    }
    Ok(lexical(&joined))
}

/// `path` with `.` and `..` removed lexically.
fn lexical(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// True for paths under `/dev` or `/proc`, where files are streams or views of other files.
fn under_system_dirs(path: &Path) -> bool {
    path.starts_with("/dev") || path.starts_with("/proc")
}

/// The standard stream `meta` describes, when it is this process's standard output or error.
#[cfg(unix)]
fn standard_stream(meta: &Metadata) -> Option<Kind> {
    use std::os::fd::AsFd;
    let id = dev_ino(meta);
    let same = |fd: std::os::fd::BorrowedFd<'_>| {
        fd.try_clone_to_owned()
            .ok()
            .map(File::from)
            .and_then(|f| f.metadata().ok())
            .is_some_and(|m| dev_ino(&m) == id && !m.is_dir())
    };
    if same(io::stdout().as_fd()) {
        Some(Kind::Stdout)
    } else if same(io::stderr().as_fd()) {
        Some(Kind::Stderr)
    } else {
        None
    }
}

#[cfg(not(unix))]
fn standard_stream(_meta: &Metadata) -> Option<Kind> {
    None
}

/// The identity of this process's standard output, when it can be examined.
#[cfg(unix)]
fn stdout_identity() -> Option<Identity> {
    use std::os::fd::AsFd;
    let meta = io::stdout()
        .as_fd()
        .try_clone_to_owned()
        .ok()
        .map(File::from)?
        .metadata()
        .ok()?;
    let (dev, ino) = dev_ino(&meta);
    Some(Identity::Existing {
        dev,
        ino,
        canonical: PathBuf::from("-"),
    })
}

#[cfg(not(unix))]
fn stdout_identity() -> Option<Identity> {
    None
}

/// True for a character device (`/dev/null`, a terminal).
#[cfg(unix)]
fn is_char_device(meta: &Metadata) -> bool {
    use std::os::unix::fs::FileTypeExt;
    meta.file_type().is_char_device()
}

#[cfg(not(unix))]
fn is_char_device(_meta: &Metadata) -> bool {
    false
}

/// Character devices and FIFOs are written directly; other special files are refused.
#[cfg(unix)]
fn special_kind(meta: &Metadata) -> Option<Kind> {
    use std::os::unix::fs::FileTypeExt;
    let t = meta.file_type();
    (t.is_char_device() || t.is_fifo()).then_some(Kind::Direct)
}

#[cfg(not(unix))]
fn special_kind(_meta: &Metadata) -> Option<Kind> {
    None
}

/// What kind of special file `meta` describes, for messages.
fn describe(meta: &Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = meta.file_type();
        if t.is_block_device() {
            return "a block device (a disk)";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    let _ = meta;
    "not a regular file"
}

/// True when the existing file cannot or should not be written: no write permission bit at all
/// (which root would otherwise ignore), or no write access for this user.
fn write_protected(path: &Path, meta: &Metadata) -> bool {
    if meta.permissions().readonly() {
        return true;
    }
    #[cfg(unix)]
    {
        rustix::fs::access(path, rustix::fs::Access::WRITE_OK).is_err()
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        false
    }
}

#[cfg(test)]
mod tests;
