#!/usr/bin/env bash
# How well link scores mean what they say, per genre (issue 17): the reliability table of
# `bitext eval` (links by score decile, share right, expected calibration error) for
#   news:       the two SCO press releases (EN-RU, running text),
#   literary:   Chekhov's «Аптекарша» in Constance Garnett's translation (EN-RU, pre-split),
#   yearbook:   the 7 Text+Berg test documents (DE-FR, pre-split, one batch; needs
#               ../shared/data/bleualign),
# and, per genre, the share of links scored >= 0.9 that are right and the share of right links
# scored below 0.5.
# Usage (from the repository root): benches/calibration.sh [BINARY]
set -euo pipefail
B=${1:-target/release/bitext}
F=fixtures
T=$(realpath -m ../shared/data/bleualign)
O=$(mktemp -d)
trap 'rm -rf "$O"' EXIT

summary() { # summary NAME SYSTEM... -- GOLD...
  local name=$1; shift
  local sys=() gold=()
  while [ "$1" != "--" ]; do sys+=("$1"); shift; done; shift
  gold=("$@")
  echo "== $name"
  "$B" eval -t "${sys[@]}" -g "${gold[@]}" | sed -n '/reliability/,/^$/p'
  "$B" eval -t "${sys[@]}" -g "${gold[@]}" --json | python3 -c '
import json, sys
r = json.load(sys.stdin)
bins = r["reliability"]["bins"]
hi = [b for b in bins if b["lower"] >= 0.9 - 1e-9]
lo = [b for b in bins if b["upper"] <= 0.5 + 1e-9]
right = sum(b["strict"] for b in bins)
n_hi = sum(b["links"] for b in hi)
print("scored >= 0.9: %d links, %.1f%% right; right links scored < 0.5: %d of %d (%.1f%%)" % (
    n_hi, 100.0 * sum(b["strict"] for b in hi) / max(1, n_hi),
    sum(b["strict"] for b in lo), right, 100.0 * sum(b["strict"] for b in lo) / max(1, right)))
'
  echo
}

for d in sco-counter-narcotics-2018 sco-paris-pact-beijing; do
  "$B" -q align "$F/$d.en.txt" "$F/$d.ru.txt" -f links -o "$O/$d.links"
done
summary "news (EN-RU, 2 SCO press releases)" "$O"/sco-counter-narcotics-2018.links "$O"/sco-paris-pact-beijing.links -- \
  "$F"/sco-counter-narcotics-2018.links "$F"/sco-paris-pact-beijing.links
L=$F/literary/chekhov-chemists-wife
"$B" -q align --presplit "$L.en.sents" "$L.ru.sents" -f links -o "$O/lit.links"
summary "literary (EN-RU, Chekhov / Garnett)" "$O/lit.links" -- "$L.links"
if [ -d "$T" ]; then
  : > "$O/m.tsv"; sys=(); gold=()
  for i in 0 1 2 3 4 5 6; do
    printf '%s\t%s\t%s\n' "$T/test$i.de" "$T/test$i.fr" "$O/tb$i.links" >> "$O/m.tsv"
    sys+=("$O/tb$i.links"); gold+=("$T/test$i.defr")
  done
  "$B" -q align --batch "$O/m.tsv" --presplit --src-lang de --tgt-lang fr -f links
  summary "yearbook (DE-FR, Text+Berg test, one batch)" "${sys[@]}" -- "${gold[@]}"
fi
