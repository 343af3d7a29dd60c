#!/usr/bin/env python3
"""Whole-process figures for the `bitext tm` commands on a generated multi-gigabyte-scale memory.

    python3 benches/tm_stream.py [--units 3000000] [--runs 1] [--keep DIR]

Writes a seeded TMX memory of --units units (pseudo-words of a 20,000-word Zipf vocabulary, Latin and Cyrillic; every tenth unit with inline tags, props
and dates; about 330 bytes a unit, so 3M units is about 1 GB), builds the release binary, and
for each command prints wall seconds, MB/s of input and the peak resident memory of that very
child (os.wait4): convert to TSV, convert to TMX, stats, dedupe --normalize (two readings of
the file), filter, and lookup (index build plus 100 near-match queries: a unit's sentence with one word replaced). Prints a paste-ready Markdown
table with the date and commit. Nothing here is a test: see the README's Benchmarks section.
"""

import argparse
import datetime
import os
import random
import shutil
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
from scale import cpu_name, git_commit, run_child  # noqa: E402

SYLLABLES = ["ka", "to", "ri", "ne", "mo", "sa", "lu", "de", "vi", "po", "ra", "ze", "ni", "bo",
             "ta", "le", "mi", "su", "do", "ve"]
CYRILLIC = {"k": "к", "a": "а", "t": "т", "o": "о", "r": "р", "i": "и", "n": "н", "e": "е",
            "m": "м", "s": "с", "l": "л", "u": "у", "d": "д", "v": "в", "p": "п", "z": "з",
            "b": "б"}


def vocabulary(rng, size=20_000):
    """`size` distinct pseudo-words (2-4 syllables) and their Cyrillic spellings."""
    words = set()
    while len(words) < size:
        words.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))))
    en = sorted(words)
    rng.shuffle(en)
    return en, ["".join(CYRILLIC[c] for c in w) for w in en]


def generate(path, units, seed):
    """A TMX memory of `units` units; returns its size in bytes and 100 queries."""
    rng = random.Random(seed)
    EN, RU = vocabulary(rng)
    # Zipf's law: the word of rank r has probability proportional to 1/r.
    cum, total = [], 0.0
    for r in range(1, len(EN) + 1):
        total += 1.0 / r
        cum.append(total)
    queries = []
    with open(path, "w", encoding="utf-8") as out:
        out.write('<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4">\n'
                  '<header creationtool="gen" creationtoolversion="1" segtype="sentence" '
                  'o-tmf="gen" adminlang="en-US" srclang="en-US" datatype="plaintext"/>\n<body>\n')
        for i in range(units):
            n = rng.randint(6, 18)
            idx = rng.choices(range(len(EN)), cum_weights=cum, k=n)
            en = " ".join(EN[k] for k in idx)
            ru = " ".join(RU[k] for k in idx)
            num = rng.randint(1, 99999)
            en = f"{en.capitalize()} {num} &amp; more."
            ru = f"{ru.capitalize()} {num} и далее."
            if i % 10 == 0:
                en = f'<bpt i="1">&lt;b&gt;</bpt>{en}<ept i="1">&lt;/b&gt;</ept>'
                ru = f'<bpt i="1">&lt;b&gt;</bpt>{ru}<ept i="1">&lt;/b&gt;</ept>'
            if i % 1000 == 7 and len(queries) < 100:
                # A near match: the unit's sentence with one word replaced.
                words = [EN[k] for k in idx]
                words[rng.randrange(n)] = rng.choice(EN)
                queries.append(f"{' '.join(words).capitalize()} {num} & more.")
            out.write(f'<tu tuid="{i}" creationdate="2024{1 + i % 12:02d}01T120000Z">'
                      f'<prop type="x-score">0.{rng.randint(10, 99)}</prop>'
                      f'<tuv xml:lang="en-US"><seg>{en}</seg></tuv>'
                      f'<tuv xml:lang="ru-RU"><seg>{ru}</seg></tuv></tu>\n')
        out.write("</body>\n</tmx>\n")
    while len(queries) < 100:
        queries.append(" ".join(rng.choice(EN) for _ in range(8)).capitalize() + ".")
    return os.path.getsize(path), queries


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--units", type=int, default=3_000_000)
    ap.add_argument("--runs", type=int, default=1)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--keep", help="directory for the generated files (kept)")
    args = ap.parse_args()

    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    tmp = args.keep or tempfile.mkdtemp(prefix="bitext-tm-bench-")
    os.makedirs(tmp, exist_ok=True)
    binary = os.path.join(tmp, "bitext")
    shutil.copy2(os.path.join(ROOT, "target", "release", "bitext"), binary)
    memory = os.path.join(tmp, "memory.tmx")
    size, queries = generate(memory, args.units, args.seed)
    qfile = os.path.join(tmp, "queries.txt")
    with open(qfile, "w", encoding="utf-8") as f:
        f.write("\n".join(queries) + "\n")
    mb = size / 1e6
    p = lambda name: os.path.join(tmp, name)  # noqa: E731
    commands = [
        ("convert to TSV", ["tm", "convert", memory, "-o", p("out.tsv")], True),
        ("convert to TMX", ["tm", "convert", memory, "-o", p("out.tmx")], True),
        ("stats", ["tm", "stats", memory], True),
        ("dedupe --normalize (reads twice)", ["tm", "dedupe", memory, "--normalize", "-o", p("d.tmx")], True),
        ("filter --empty --untranslated --wrong-script --length-p 0.001",
         ["tm", "filter", memory, "--empty", "--untranslated", "--wrong-script",
          "--length-p", "0.001", "-o", p("f.tmx")], True),
        ("lookup: index + 100 queries", ["tm", "lookup", memory, "--queries", qfile, "--json"], False),
    ]
    rows = []
    for label, argv, per_mb in commands:
        best = None
        for _ in range(args.runs):
            run = run_child([binary] + argv, timeout=3600)
            if run.returncode != 0:
                sys.exit(f"failed: {label}")
            if best is None or run.seconds < best.seconds:
                best = run
        rate = f"{mb / best.seconds:.0f}" if per_mb else "—"
        rows.append((label, best.seconds, rate, best.rss_mb))
        print(f"{label}: {best.seconds:.2f} s, {rate} MB/s, {best.rss_mb:.0f} MB", file=sys.stderr)
    print(f"{datetime.date.today()}, commit {git_commit()}, {cpu_name()}; "
          f"{args.units:,} units, {mb:.0f} MB TMX, best of {args.runs}:\n")
    print("| command | wall s | MB/s of input | peak RSS MB |")
    print("|---|---|---|---|")
    for label, secs, rate, rss in rows:
        print(f"| {label} | {secs:.2f} | {rate} | {rss:.0f} |")
    if not args.keep:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
