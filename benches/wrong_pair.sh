#!/usr/bin/env bash
# Document scores (run::check::document_score) of genuine pairs and of unrelated pairs made by
# pairing different documents: the evidence MIN_DOCUMENT_SCORE is calibrated on (issue 15).
# Prints "genuine|unrelated NAME SCORE" ("-" = too short to judge). Needs ../shared/data.
#
# Usage (from the repository root): benches/wrong_pair.sh [BINARY]
set -uo pipefail
B=${1:-target/release/bitext}
F=fixtures
T=../shared/data/bleualign
R=../shared/reviews/repro/semantic
ds() {
  local d
  d=$("$B" align --force "$@" -f links -o /dev/null 2>&1 | grep '^bitext: 1 pair' | grep -o 'document score [-0-9.]*' | awk '{print $3}')
  echo "${d:--}"
}
for d in sco-counter-narcotics-2018 sco-paris-pact-beijing; do
  echo "genuine $d $(ds $F/$d.en.txt $F/$d.ru.txt)"
done
cut=$(mktemp)
python3 -c 'import sys; p=open(sys.argv[1]).read().split("\n\n"); print("\n\n".join(x for i,x in enumerate(p) if not 4<=i<9))' $F/sco-counter-narcotics-2018.ru.txt > "$cut"
echo "genuine cn-missing-passage $(ds $F/sco-counter-narcotics-2018.en.txt "$cut")"
rm -f "$cut"
echo "genuine dialogue-subtitles $(ds $F/subtitles/dialogue.en.srt $F/subtitles/dialogue.ru.vtt)"
plain=$(mktemp -d)
for f in dialogue.en.srt dialogue.ru.vtt; do
  python3 -c 'import sys; l=[x.strip() for x in open(sys.argv[1], encoding="utf-8")]; print("\n\n".join(x for x in l if x and "-->" not in x and not x.isdigit() and x != "WEBVTT"))' "$F/subtitles/$f" > "$plain/$f.txt"
done
echo "genuine dialogue-plain-text $(ds "$plain/dialogue.en.srt.txt" "$plain/dialogue.ru.vtt.txt")"
rm -rf "$plain"
echo "genuine literary-chekhov $(ds $F/literary/chekhov-chemists-wife.en.txt $F/literary/chekhov-chemists-wife.ru.txt)"
for d in ferry library weather; do echo "genuine batch-$d $(ds $F/batch/en/$d.txt $F/batch/ru/$d.txt)"; done
tb=(--presplit --src-lang de --tgt-lang fr)
for i in 0 1 2 3 4 5 6; do echo "genuine tb-test$i $(ds "${tb[@]}" $T/test$i.de $T/test$i.fr)"; done
echo "genuine tb-dev $(ds "${tb[@]}" $T/dev.de $T/dev.fr)"
echo "unrelated cn-en/pp-ru $(ds $F/sco-counter-narcotics-2018.en.txt $F/sco-paris-pact-beijing.ru.txt)"
echo "unrelated pp-en/cn-ru $(ds $F/sco-paris-pact-beijing.en.txt $F/sco-counter-narcotics-2018.ru.txt)"
for a in ferry library weather; do
  for b in ferry library weather; do
    [ $a = $b ] || echo "unrelated batch-$a/$b $(ds $F/batch/en/$a.txt $F/batch/ru/$b.txt)"
  done
done
for i in 0 1 2 3 4 5 6; do
  j=$(( (i + 3) % 7 )); echo "unrelated tb-test$i/test$j $(ds "${tb[@]}" $T/test$i.de $T/test$j.fr)"
done
for i in 0 2 4; do
  j=$(( i + 1 )); echo "unrelated tb-test$i/test$j $(ds "${tb[@]}" $T/test$i.de $T/test$j.fr)"
done
if [ -d "$R" ]; then
  echo "unrelated u1 $(ds $R/u1.en $R/u1.ru)"
  echo "unrelated u2 $(ds $R/u2.en $R/u2.ru)"
  echo "unrelated en-vs-shuffled-ru $(ds --presplit $F/sco-counter-narcotics-2018.en.sents $R/ru_shuffled.sents)"
fi
