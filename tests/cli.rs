//! End-to-end tests of the `bitext` command line: one integration-test binary, one module per
//! concern (ripgrep's layout), so that it links once.

mod util;

mod align;
mod bad_input;
mod batch;
mod cli_docs;
mod documents;
mod embeddings;
mod encodings;
mod eval;
mod export;
mod languages;
mod output_safety;
mod review;
mod split;
mod tm;
mod tm_clients;
mod tm_golden;
mod tm_loss;
mod web_formats;
mod wrong_pair;
