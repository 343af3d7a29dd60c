//! CLI tests: align.
