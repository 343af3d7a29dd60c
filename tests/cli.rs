//! End-to-end tests of the `bitext` command line (one integration-test binary).
