#!/usr/bin/env python3
"""Peer comparison of sentence splitters on benches/splitters/cases.txt.

Runs bitext (`bitext split - --lang xx`), pysbd and razdel on every case and prints, per
splitter and language, how many cases each gets exactly right (every sentence boundary, with
white space inside sentences folded to one space, as `bitext split` prints them).

Usage (from the repository root):
    pip install pysbd razdel
    python3 benches/splitters/compare.py [--bitext PATH] [--show-errors]

Without --bitext it uses target/release/bitext, else target/debug/bitext, else builds with
`cargo run --release -q --`. A missing Python package is skipped with a note. Not run by CI:
the crate's own test `split::tests::peer_cases` holds bitext to every case.
"""

import argparse
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def fold(s):
    return " ".join(s.split())


def parse_cases(path):
    """Returns [(lang, input, [expected sentences])] (format: see the header of cases.txt)."""
    cases, lang, inp, exp, in_exp = [], "en", [], [], False
    with open(path, encoding="utf-8") as f:
        for line in f.read().split("\n"):
            if not inp and not in_exp:
                if line.startswith("# lang:"):
                    lang = line.split(":", 1)[1].strip()
                    continue
                if line.startswith("#") or not line.strip():
                    continue
            if line == "---":
                in_exp = True
            elif line == "===":
                text = "\n".join(inp).replace("{nbsp}", "\u00a0")
                cases.append((lang, text, exp))
                inp, exp, in_exp = [], [], False
            elif in_exp:
                exp.append(fold(line.replace("{nbsp}", "\u00a0")))
            else:
                inp.append(line)
    return cases


def bitext_command(explicit):
    if explicit:
        return [explicit]
    for build in ("release", "debug"):
        exe = os.path.join(ROOT, "target", build, "bitext")
        if os.path.exists(exe):
            return [exe]
    return ["cargo", "run", "--release", "-q", "--"]


def make_bitext(cmd):
    def run(text, lang):
        out = subprocess.run(
            cmd + ["split", "-", "--lang", lang],
            input=text.encode("utf-8"),
            capture_output=True,
            cwd=ROOT,
            check=True,
        )
        return [fold(l) for l in out.stdout.decode("utf-8").split("\n") if l.strip()]

    return run


def make_pysbd():
    import pysbd

    segmenters = {}

    def run(text, lang):
        if lang not in segmenters:
            segmenters[lang] = pysbd.Segmenter(language=lang, clean=False)
        return [fold(s) for s in segmenters[lang].segment(text) if s.strip()]

    return run


def make_razdel():
    import razdel

    def run(text, lang):
        return [fold(s.text) for s in razdel.sentenize(text) if s.text.strip()]

    return run


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bitext", help="path of the bitext binary")
    ap.add_argument("--cases", default=os.path.join(HERE, "cases.txt"))
    ap.add_argument("--show-errors", action="store_true", help="print each wrong case")
    args = ap.parse_args()

    cases = parse_cases(args.cases)
    splitters = [("bitext", make_bitext(bitext_command(args.bitext)))]
    for name, factory in (("pysbd", make_pysbd), ("razdel", make_razdel)):
        try:
            splitters.append((name, factory()))
        except ImportError:
            print(f"note: {name} is not installed (pip install {name}); skipped", file=sys.stderr)

    langs = sorted({c[0] for c in cases})
    print(f"{'splitter':<10}" + "".join(f"{l:>14}" for l in langs) + f"{'all':>14}")
    for name, split in splitters:
        row, total_ok = [], 0
        for lang in langs:
            mine = [c for c in cases if c[0] == lang]
            ok = 0
            for _, text, expected in mine:
                got = split(text, lang)
                if got == expected:
                    ok += 1
                elif args.show_errors:
                    print(f"[{name} {lang}] {text!r}\n   expected {expected}\n   got      {got}")
            total_ok += ok
            row.append(f"{ok}/{len(mine)} {100 * ok / len(mine):3.0f}%")
        row.append(f"{total_ok}/{len(cases)} {100 * total_ok / len(cases):3.0f}%")
        print(f"{name:<10}" + "".join(f"{r:>14}" for r in row))


if __name__ == "__main__":
    main()
