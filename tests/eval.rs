//! CLI tests: eval.
