//! CLI tests: bad_input.
