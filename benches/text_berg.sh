#!/usr/bin/env bash
# Quality and whole-process time of bitext on the public DE-FR Text+Berg gold set
# (../shared/data/bleualign): aligns the 7 test documents as one --batch (word translations
# learned from all seven together) and one process per document, and the dev document, with
# --presplit; scores them with `bitext eval`, and times the test runs (best of N).
# Usage: benches/text_berg.sh [RUNS]   (from the repository root)
#        ALIGN_ARGS="--dict /usr/share/dictd/freedict-deu-fra.index" benches/text_berg.sh
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=$(realpath "${DATA:-../shared/data/bleualign}")
RUNS=${1:-10}
cargo build --release -q
BIN=target/release/bitext
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT

align_set() { # align_set NAME... -> writes $OUT/NAME.align
  for d in "$@"; do
    # shellcheck disable=SC2086 # ALIGN_ARGS holds several words on purpose
    "$BIN" align --presplit --src-lang de --tgt-lang fr ${ALIGN_ARGS:-} "$DATA/$d.de" "$DATA/$d.fr" -f links -o "$OUT/$d.align"
  done
}
align_batch() { # align_batch NAME... -> writes $OUT/NAME.align in one process
  : > "$OUT/manifest.tsv"
  for d in "$@"; do
    printf '%s\t%s\t%s\n' "$DATA/$d.de" "$DATA/$d.fr" "$OUT/$d.align" >> "$OUT/manifest.tsv"
  done
  # shellcheck disable=SC2086
  "$BIN" align --batch "$OUT/manifest.tsv" --presplit --src-lang de --tgt-lang fr ${ALIGN_ARGS:-} -f links
}
TEST=(test0 test1 test2 test3 test4 test5 test6)
sys=(); gold=()
for d in "${TEST[@]}"; do sys+=("$OUT/$d.align"); gold+=("$DATA/$d.defr"); done

echo "== Text+Berg test (7 documents), one --batch"
align_batch "${TEST[@]}"
"$BIN" eval -t "${sys[@]}" -g "${gold[@]}"
echo "== Text+Berg test (7 documents), one process per document"
align_set "${TEST[@]}"
"$BIN" eval -t "${sys[@]}" -g "${gold[@]}" | head -3
echo "== Text+Berg dev (1 document)"
align_set dev
"$BIN" eval -t "$OUT/dev.align" -g "$DATA/dev.defr" | head -3

best_ms() { # best_ms CMD...: best wall time of $RUNS runs, in ms
  local best=""
  for _ in $(seq "$RUNS"); do
    local start ms
    start=$(date +%s%N)
    "$@"
    ms=$(( ($(date +%s%N) - start) / 1000000 ))
    if [ -z "$best" ] || [ "$ms" -lt "$best" ]; then best=$ms; fi
  done
  echo "$best"
}
echo "== whole-process time, 7 test documents (991 x 1011 sentences), best of $RUNS runs"
echo "one --batch process: $(best_ms align_batch "${TEST[@]}") ms"
echo "one process per document: $(best_ms align_set "${TEST[@]}") ms"
