#!/usr/bin/env python3
"""Whole-process figures for the `bitext tm` commands on generated memories, beside references
measured in the same run on the same files.

    python3 benches/tm_stream.py [--units 1000000] [--long-units 100000] [--runs 1]
                                 [--peer-units 100000] [--tt-python PYTHON] [--keep DIR]

Writes two seeded TMX memories: "short", --units units of one short sentence each (pseudo-words
of a 20,000-word Zipf vocabulary, Latin and Cyrillic; every tenth unit with inline tags, props
and dates; about 500 bytes a unit), and "long", --long-units units of 8-15 such sentences
each (about 3.5 kB a unit). Builds the release binary and, for each memory, prints wall
seconds, CPU seconds (user + system), MB/s of input and the peak resident memory of that very
child (os.wait4) for: `cat FILE > /dev/null` (the disk-read reference), `xmllint --stream
--noout` (a streaming XML parser that builds nothing: the parsing reference), convert to TSV,
convert to TMX, stats, dedupe --normalize (two readings; with --keep first, one), filter,
lookup (reading and indexing the memory, then 100 near-match queries), index (`bitext tm index`) and lookup from the index
(the same 100 queries). Each MB/s is also given as a ratio to xmllint's and to cat's, measured
in the same run: absolute figures differ between machines and with their load, the ratios
much less.

Peers: translate-toolkit's TMX reading (`tmx.tmxfile.parsefile`, which builds the whole tree in
memory) on a separate memory of --peer-units short units, when a Python with translate-toolkit
is found (--tt-python, else $BITEXT_PYTHON, else /work/venv-tt/bin/python, else python3);
xmllint when installed. A peer that is absent is skipped, saying so. Prints paste-ready
Markdown tables with the date and commit. Nothing here is a test: see the README's Benchmarks
section.
"""

import argparse
import datetime
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
from scale import cpu_name, git_commit  # noqa: E402

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


def generate(path, units, seed, sentences=(1, 1)):
    """A TMX memory of `units` units of `sentences` (min, max) sentences each; returns its
    size in bytes and 100 queries (near matches: a unit's first sentence with one word
    replaced, when the units are one sentence long)."""
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
            ens, rus = [], []
            for s in range(rng.randint(*sentences)):
                n = rng.randint(6, 18)
                idx = rng.choices(range(len(EN)), cum_weights=cum, k=n)
                en = " ".join(EN[k] for k in idx)
                ru = " ".join(RU[k] for k in idx)
                num = rng.randint(1, 99999)
                ens.append(f"{en.capitalize()} {num} &amp; more.")
                rus.append(f"{ru.capitalize()} {num} и далее.")
                if s == 0 and sentences == (1, 1) and i % 1000 == 7 and len(queries) < 100:
                    # A near match: the unit's sentence with one word replaced.
                    words = [EN[k] for k in idx]
                    words[rng.randrange(n)] = rng.choice(EN)
                    queries.append(f"{' '.join(words).capitalize()} {num} & more.")
            en, ru = " ".join(ens), " ".join(rus)
            if i % 10 == 0:
                en = f'<bpt i="1">&lt;b&gt;</bpt>{en}<ept i="1">&lt;/b&gt;</ept>'
                ru = f'<bpt i="1">&lt;b&gt;</bpt>{ru}<ept i="1">&lt;/b&gt;</ept>'
            out.write(f'<tu tuid="{i}" creationdate="2024{1 + i % 12:02d}01T120000Z">'
                      f'<prop type="x-score">0.{rng.randint(10, 99)}</prop>'
                      f'<tuv xml:lang="en-US"><seg>{en}</seg></tuv>'
                      f'<tuv xml:lang="ru-RU"><seg>{ru}</seg></tuv></tu>\n')
        out.write("</body>\n</tmx>\n")
    while len(queries) < 100:
        queries.append(" ".join(rng.choice(EN) for _ in range(8)).capitalize() + ".")
    return os.path.getsize(path), queries


class Run:
    """Wall and CPU seconds and peak RSS of one child process."""

    def __init__(self, seconds, cpu, rss_mb, returncode):
        self.seconds, self.cpu, self.rss_mb, self.returncode = seconds, cpu, rss_mb, returncode


def run(argv, stdout=subprocess.DEVNULL, shell=False):
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=stdout, stderr=subprocess.PIPE, shell=shell)
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 3):
        sys.stderr.write(err.decode("utf-8", "replace"))
        sys.stderr.write(f"failed ({code}): {argv}\n")
    return Run(seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, code)


def best_of(runs, argv, **kw):
    best = None
    for _ in range(runs):
        r = run(argv, **kw)
        if best is None or r.seconds < best.seconds:
            best = r
    return best


def find_tt_python(given):
    """A Python that imports translate-toolkit's TMX reader, or None."""
    candidates = [given] if given else [os.environ.get("BITEXT_PYTHON"),
                                        "/work/venv-tt/bin/python", "python3"]
    for py in filter(None, candidates):
        try:
            ok = subprocess.run([py, "-c", "from translate.storage import tmx"],
                                capture_output=True, timeout=60).returncode == 0
        except (OSError, subprocess.TimeoutExpired):
            ok = False
        if ok:
            return py
    return None


def tt_version(py):
    out = subprocess.run([py, "-c", "import translate; print(translate.__version__.sver)"],
                         capture_output=True, text=True)
    return out.stdout.strip() or "?"


TT_READ = ("import sys\nfrom translate.storage import tmx\n"
           "store = tmx.tmxfile.parsefile(sys.argv[1])\n"
           "n = sum(1 for u in store.units if u.source)\nprint(n)\n")


def measure(label, memory, queries, tmp, binary, args, xmllint):
    """Rows (command, Run, MB/s or None) for one memory."""
    mb = os.path.getsize(memory) / 1e6
    p = lambda name: os.path.join(tmp, f"{label}-{name}")  # noqa: E731
    qfile = p("queries.txt")
    with open(qfile, "w", encoding="utf-8") as f:
        f.write("\n".join(queries) + "\n")
    index = p("memory.idx")
    commands = [
        ("cat (disk-read reference)", f"cat '{memory}' > /dev/null", True, True),
    ]
    if xmllint:
        commands.append(("xmllint --stream --noout (parsing reference)",
                         [xmllint, "--stream", "--noout", memory], True, False))
    commands += [
        ("bitext tm convert to TSV", ["tm", "convert", memory, "-o", p("out.tsv")], True, False),
        ("bitext tm convert to TMX", ["tm", "convert", memory, "-o", p("out.tmx")], True, False),
        ("bitext tm stats", ["tm", "stats", memory], True, False),
        ("bitext tm dedupe --normalize (reads twice)",
         ["tm", "dedupe", memory, "--normalize", "-o", p("d.tmx")], True, False),
        ("bitext tm dedupe --normalize --keep first (reads once)",
         ["tm", "dedupe", memory, "--normalize", "--keep", "first", "-o", p("d1.tmx")], True, False),
        ("bitext tm filter --empty --untranslated --wrong-script --length-p 0.001",
         ["tm", "filter", memory, "--empty", "--untranslated", "--wrong-script",
          "--length-p", "0.001", "-o", p("f.tmx")], True, False),
        ("bitext tm lookup MEMORY: read, index, 100 queries",
         ["tm", "lookup", memory, "--queries", qfile, "--json"], True, False),
        ("bitext tm index MEMORY -o INDEX", ["tm", "index", memory, "-o", index], True, False),
        ("bitext tm lookup INDEX: read the index, 100 queries",
         ["tm", "lookup", index, "--queries", qfile, "--json"], False, False),
    ]
    rows = []
    for name, argv, per_mb, shell in commands:
        if not shell and argv[0] == "tm":
            argv = [binary] + argv
        r = best_of(args.runs, argv, shell=shell)
        rate = mb / r.seconds if per_mb and r.returncode in (0, 3) else None
        rows.append((name, r, rate))
        shown = f"{rate:.0f} MB/s" if rate else ""
        print(f"{label}: {name}: {r.seconds:.2f} s wall, {r.cpu:.2f} s CPU, {shown}, "
              f"{r.rss_mb:.0f} MB", file=sys.stderr)
    return mb, rows


def table(label, mb, units, rows):
    ref = {name.split(" (")[0]: rate for name, _, rate in rows if "reference" in name}
    xml, cat = ref.get("xmllint --stream --noout"), ref.get("cat")
    print(f"\n{label}: {units:,} units, {mb:.0f} MB TMX\n")
    print("| command | wall s | CPU s | MB/s of input | / xmllint | / cat | peak RSS MB |")
    print("|---|---|---|---|---|---|---|")
    for name, r, rate in rows:
        if r.returncode not in (0, 3):
            print(f"| {name} | failed ({r.returncode}) | | | | | |")
            continue
        rate_s = f"{rate:.0f}" if rate else "—"
        vs_xml = f"{rate / xml:.2f}" if rate and xml else "—"
        vs_cat = f"{rate / cat:.3f}" if rate and cat else "—"
        print(f"| {name} | {r.seconds:.2f} | {r.cpu:.2f} | {rate_s} | {vs_xml} | {vs_cat} | "
              f"{r.rss_mb:.0f} |")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--units", type=int, default=1_000_000, help="units of the short memory")
    ap.add_argument("--long-units", type=int, default=100_000,
                    help="units of the long memory (0: none)")
    ap.add_argument("--peer-units", type=int, default=100_000,
                    help="units of the memory translate-toolkit reads (0: none)")
    ap.add_argument("--runs", type=int, default=1)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--tt-python", help="a Python with translate-toolkit")
    ap.add_argument("--keep", help="directory for the generated files (kept)")
    args = ap.parse_args()

    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    target = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
    tmp = args.keep or tempfile.mkdtemp(prefix="bitext-tm-bench-")
    os.makedirs(tmp, exist_ok=True)
    binary = os.path.join(tmp, "bitext")
    shutil.copy2(os.path.join(target, "release", "bitext"), binary)
    xmllint = shutil.which("xmllint")
    if not xmllint:
        print("skipped: xmllint (not installed: apt install libxml2-utils): no parsing "
              "reference", file=sys.stderr)
    memories = [("short", args.units, (1, 1))]
    if args.long_units:
        memories.append(("long", args.long_units, (8, 15)))
    results = []
    for label, units, sentences in memories:
        memory = os.path.join(tmp, f"{label}.tmx")
        _, queries = generate(memory, units, args.seed, sentences)
        if sentences != (1, 1):
            # Near matches of a long unit's text would be paragraphs: ask the short ones.
            queries = results[0][3] if results else queries
        mb, rows = measure(label, memory, queries, tmp, binary, args, xmllint)
        results.append((label, units, mb, queries, rows))

    peer = None
    if args.peer_units:
        py = find_tt_python(args.tt_python)
        if not py:
            print("skipped: translate-toolkit (no Python with it: python3 -m venv "
                  "/work/venv-tt && /work/venv-tt/bin/pip install translate-toolkit, or "
                  "--tt-python)", file=sys.stderr)
        else:
            memory = os.path.join(tmp, "peer.tmx")
            generate(memory, args.peer_units, args.seed + 1)
            mb = os.path.getsize(memory) / 1e6
            rows = []
            for name, argv, shell in [
                ("cat (disk-read reference)", f"cat '{memory}' > /dev/null", True),
                ("xmllint --stream --noout (parsing reference)",
                 [xmllint, "--stream", "--noout", memory], False),
                ("bitext tm stats", [binary, "tm", "stats", memory], False),
                ("bitext tm convert to TMX",
                 [binary, "tm", "convert", memory, "-o", os.path.join(tmp, "peer-out.tmx")],
                 False),
                (f"translate-toolkit {tt_version(py)} tmxfile.parsefile (whole tree)",
                 [py, "-c", TT_READ, memory], False),
            ]:
                if argv[0] is None:
                    continue
                r = best_of(args.runs, argv, shell=shell)
                rows.append((name, r, mb / r.seconds if r.returncode == 0 else None))
                print(f"peer: {name}: {r.seconds:.2f} s", file=sys.stderr)
            peer = (mb, rows)

    print(f"\n{datetime.date.today()}, commit {git_commit()}, {cpu_name()}, "
          f"{os.cpu_count()} cores, best of {args.runs}; "
          f"`python3 benches/tm_stream.py {' '.join(sys.argv[1:])}`".rstrip())
    for label, units, mb, _, rows in results:
        table(label, mb, units, rows)
    if peer:
        table("translate-toolkit peer", peer[0], args.peer_units, peer[1])
    if not args.keep:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
