//! CLI tests: export.
