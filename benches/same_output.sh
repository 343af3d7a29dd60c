#!/usr/bin/env bash
# Checks that two builds of bitext align the same way: same links, same scores.
#
# A refactoring (issue 14) must not change what `bitext align` decides. This runs both
# binaries on the EN-RU fixtures (plain, presplit and mixed), on the seeds (the English press
# releases against the project's Russian translations in fixtures/), with and without
# learning, and on a long DE-FR bitext made by benches/long_bitext.py (default 200,000 source
# sentences; needs ../shared/data), and compares the links files (`[i]:[j]:score`, scores to
# four decimals, null links included) byte for byte.
#
# Usage (from the repository root):
#   benches/same_output.sh BEFORE_BINARY AFTER_BINARY [SENTENCES]
# SENTENCES 0 skips the long bitext. Exit status 0 when every run agrees, 1 otherwise.
set -euo pipefail

before=$1
after=$2
sentences=${3:-200000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fx=fixtures
seeds=../shared/seeds

jobs=()
add() { jobs+=("$*"); }
for doc in sco-paris-pact-beijing sco-counter-narcotics-2018; do
  for learn in "" "--no-learn"; do
    add "$fx/$doc.en.txt $fx/$doc.ru.txt $learn"
    add "--presplit $fx/$doc.en.sents $fx/$doc.ru.sents $learn"
  done
done
add "--mixed $fx/sco-paris-pact-beijing.mixed.txt"
if [[ -d $seeds ]]; then
  add "$seeds/sco-paris-pact-beijing.en.txt $fx/sco-paris-pact-beijing.ru.txt"
  add "$seeds/sco-counter-narcotics-meeting-2018.en.txt $fx/sco-counter-narcotics-2018.ru.txt"
fi
if [[ $sentences -gt 0 ]]; then
  python3 benches/long_bitext.py --sentences "$sentences" --seed 1 \
    --src "$work/long.de" --tgt "$work/long.fr" --gold "$work/long.gold" >/dev/null
  add "--presplit --src-lang de --tgt-lang fr $work/long.de $work/long.fr"
fi

status=0
for i in "${!jobs[@]}"; do
  # shellcheck disable=SC2086  # the job is a word list on purpose
  "$before" align ${jobs[$i]} -f links -o "$work/$i.before" -q
  # shellcheck disable=SC2086
  "$after" align ${jobs[$i]} -f links -o "$work/$i.after" -q
  links=$(wc -l <"$work/$i.before")
  if cmp -s "$work/$i.before" "$work/$i.after"; then
    echo "same       $links links  ${jobs[$i]}"
  else
    echo "DIFFERENT  $links links  ${jobs[$i]}"
    diff "$work/$i.before" "$work/$i.after" | head -5
    status=1
  fi
done
exit $status
