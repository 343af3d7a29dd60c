#!/usr/bin/env bash
# Builds every cargo-fuzz target and runs each for SECONDS (default 30), seeded from
# fixtures/ and fuzz/seeds/; new inputs go to fuzz/corpus/TARGET (git-ignored). Exits non-zero
# when a target crashes, naming the reproducer under fuzz/artifacts/TARGET/.
#
# Usage: fuzz/run.sh [SECONDS] [TARGET...]
# Uses the nightly toolchain when rustup has one, else stable with RUSTC_BOOTSTRAP=1 (cargo fuzz
# needs nightly-only flags; BITEXT_FUZZ_STABLE=1 forces the latter, as on a machine without
# nightly); installs cargo-fuzz when missing. One process, one core.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${1:-30}"
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(tmx_reader tmx_parts tm_table links text_split stream_lines dictionary batch_manifest documents web_readers http_request review_state xlsx_reader sentence_vectors tm_index)
fi

# Seed directories per target (read-only; libFuzzer writes new inputs to the first directory).
seeds() {
  case "$1" in
    tmx_reader) echo fixtures/tm ;;
    tmx_parts) echo fuzz/seeds/tmx_parts ;;
    tm_table) echo fuzz/seeds/tm_table ;;
    links) echo fixtures/eval fuzz/seeds/links ;;
    text_split) echo fixtures ;;
    stream_lines) echo fuzz/seeds/stream_lines fixtures/batch ;;
    dictionary) echo fixtures/dict fuzz/seeds/dictionary ;;
    batch_manifest) echo fuzz/seeds/batch_manifest ;;
    sentence_vectors) echo fuzz/seeds/sentence_vectors ;;
    documents) echo fuzz/seeds/documents fixtures/docs ;;
    web_readers) echo fixtures/web ;;
    http_request) echo fuzz/seeds/http_request ;;
    review_state) echo fuzz/seeds/review_state ;;
    xlsx_reader) echo fuzz/seeds/xlsx_reader ;;
    tm_index) echo fuzz/seeds/tm_index ;;
    *) echo "fuzz/run.sh: unknown target $1" >&2; return 1 ;;
  esac
}

toolchain=()
if [ -z "${BITEXT_FUZZ_STABLE:-}" ] && command -v rustup >/dev/null &&
  rustup toolchain list | grep -q '^nightly'; then
  toolchain=(+nightly)
else
  export RUSTC_BOOTSTRAP=1
fi
if ! command -v cargo-fuzz >/dev/null; then
  cargo install cargo-fuzz --locked --version 0.13.2
fi
# The aligner behind the stream target runs on rayon: keep it to one thread.
export RAYON_NUM_THREADS=1

cargo "${toolchain[@]}" fuzz build
status=0
passed=0
failed=0
for t in "${targets[@]}"; do
  dirs=$(seeds "$t")
  # Inputs that once crashed a target are replayed first, as part of its corpus.
  if [ -d "fuzz/regressions/$t" ]; then
    dirs="$dirs fuzz/regressions/$t"
  fi
  mkdir -p "fuzz/corpus/$t" "fuzz/artifacts/$t"
  echo "== fuzz $t for ${seconds} s"
  # shellcheck disable=SC2086 # $dirs is a list of directories
  if ! cargo "${toolchain[@]}" fuzz run "$t" "fuzz/corpus/$t" $dirs -- \
    -max_total_time="$seconds" -max_len=8192 -timeout=30 -rss_limit_mb=4096 \
    -print_final_stats=1 >"fuzz/artifacts/$t/log" 2>&1; then
    status=1
    failed=$((failed + 1))
    tail -n 40 "fuzz/artifacts/$t/log"
    echo "fuzz/run.sh: $t crashed; reproducer(s):" >&2
    ls -1 "fuzz/artifacts/$t"/crash-* "fuzz/artifacts/$t"/timeout-* "fuzz/artifacts/$t"/oom-* \
      "fuzz/artifacts/$t"/leak-* 2>/dev/null >&2 || true
    echo "  replay: cargo fuzz run $t fuzz/artifacts/$t/<file>" >&2
  else
    passed=$((passed + 1))
    grep -E '^(stat::number_of_executed_units|stat::new_units_added|Done)' \
      "fuzz/artifacts/$t/log" || true
  fi
done
echo "fuzz: $passed passed, $failed failed"
exit "$status"
