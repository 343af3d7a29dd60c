//! CLI tests: split.
