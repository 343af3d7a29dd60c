//! Errors and warnings shared by every stage.
//!
//! Shaped like rust-csv's error: one boxed [`ErrorKind`] that always says *where* (file, line,
//! byte offset) and *what* is wrong, so a user can fix the input. Warnings are data; only the
//! binary prints them. They reach a caller one of two ways, by what the call does: a call that
//! finishes one piece of work returns them with its result (a document read, a pair aligned,
//! a file written: `Aligned::warnings`, `Written::warnings`, a reader's `take_warnings`), and
//! a command that streams through a whole memory reports them as they arise to the one
//! [`WarningSink`] type, so a multi-gigabyte run never holds them all.

use std::fmt;
use std::path::PathBuf;

/// The result type of every fallible bitext function.
pub type Result<T> = std::result::Result<T, Error>;

/// An error with its location; see [`ErrorKind`].
#[derive(Debug)]
pub struct Error(Box<ErrorKind>);

/// What went wrong, and where.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ErrorKind {
    /// Reading or writing a file failed.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The operating-system error.
        source: std::io::Error,
    },
    /// The bytes of a file are not valid text in its encoding.
    #[error("{}: invalid {encoding} at byte {byte}", path.display())]
    Decode {
        /// The file.
        path: PathBuf,
        /// The encoding the bytes were read as.
        encoding: &'static str,
        /// Byte offset of the first bad byte.
        byte: u64,
    },
    /// A line of a text format (alignment links, CSV, TSV) does not parse.
    #[error("{}:{line}: {message}", path.display())]
    Syntax {
        /// The file.
        path: PathBuf,
        /// 1-based line number.
        line: u64,
        /// What is wrong.
        message: String,
    },
    /// Malformed XML, with its 1-based line and column.
    #[error("{}:{line}:{column}: {message}", path.display())]
    Xml {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: u64,
        /// 1-based column (in characters).
        column: u64,
        /// What is wrong.
        message: String,
    },
    /// The input is well-formed but unusable (empty, binary, wildly mismatched sides).
    #[error("{}: {message}", path.display())]
    Input {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// A request that cannot be carried out (bad option, output would overwrite an input).
    #[error("{0}")]
    Usage(String),
}

impl Error {
    /// The kind of error, with its location.
    pub fn kind(&self) -> &ErrorKind {
        &self.0
    }

    /// An I/O error on `path`.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Error {
        ErrorKind::Io {
            path: path.into(),
            source,
        }
        .into()
    }

    /// A syntax error at `path:line`.
    pub(crate) fn syntax(path: impl Into<PathBuf>, line: u64, message: impl Into<String>) -> Error {
        ErrorKind::Syntax {
            path: path.into(),
            line,
            message: message.into(),
        }
        .into()
    }

    /// An unusable input file.
    pub(crate) fn input(path: impl Into<PathBuf>, message: impl Into<String>) -> Error {
        ErrorKind::Input {
            path: path.into(),
            message: message.into(),
        }
        .into()
    }

    /// A request that cannot be carried out.
    pub(crate) fn usage(message: impl Into<String>) -> Error {
        ErrorKind::Usage(message.into()).into()
    }

    /// True when the error is a closed output pipe (`bitext ... | head`), which is not a failure.
    pub fn is_broken_pipe(&self) -> bool {
        matches!(&*self.0, ErrorKind::Io { source, .. } if source.kind() == std::io::ErrorKind::BrokenPipe)
    }
}

impl From<ErrorKind> for Error {
    fn from(kind: ErrorKind) -> Error {
        Error(Box::new(kind))
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &*self.0 {
            ErrorKind::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// Something a stage changed or dropped that affects the output; printed on stderr.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// Where: a file, optionally with a line or sentence number.
    pub location: String,
    /// What was changed and why.
    pub message: String,
}

impl Warning {
    /// A warning about `location`.
    pub fn new(location: impl Into<String>, message: impl Into<String>) -> Warning {
        Warning {
            location: location.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location, self.message)
    }
}

/// Where warnings go as they arise, for the calls that stream (the `tm` commands).
pub type WarningSink<'a> = &'a mut dyn FnMut(Warning);
