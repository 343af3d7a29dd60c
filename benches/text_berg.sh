#!/usr/bin/env bash
# Quality and whole-process time of bitext on the public DE-FR Text+Berg gold set
# (../shared/data/bleualign): aligns the 7 test documents and the dev document with
# --presplit, scores them with `bitext eval`, and times the test run (best of N).
# Usage: benches/text_berg.sh [RUNS]   (from the repository root)
#        ALIGN_ARGS="--dict /usr/share/dictd/freedict-deu-fra.index" benches/text_berg.sh
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=${DATA:-../shared/data/bleualign}
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
TEST=(test0 test1 test2 test3 test4 test5 test6)
align_set "${TEST[@]}" dev

echo "== Text+Berg test (7 documents)"
sys=(); gold=()
for d in "${TEST[@]}"; do sys+=("$OUT/$d.align"); gold+=("$DATA/$d.defr"); done
"$BIN" eval -t "${sys[@]}" -g "${gold[@]}"
echo "== Text+Berg dev (1 document)"
"$BIN" eval -t "$OUT/dev.align" -g "$DATA/dev.defr"

echo "== whole-process time, 7 test documents, best of $RUNS runs"
best=""
for _ in $(seq "$RUNS"); do
  start=$(date +%s%N)
  align_set "${TEST[@]}"
  ms=$(( ($(date +%s%N) - start) / 1000000 ))
  if [ -z "$best" ] || [ "$ms" -lt "$best" ]; then best=$ms; fi
done
echo "7 documents (991 x 1011 sentences): ${best} ms"
