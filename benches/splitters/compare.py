#!/usr/bin/env python3
"""Peer comparison of sentence splitters on bitext's hard cases and the public suites.

Runs bitext (`bitext split - --lang xx`), pysbd and razdel on every case of
benches/splitters/cases.txt and of each suite file in benches/splitters/suites/ (pySBD's,
Pragmatic Segmenter's and razdel's own tests, extracted by extract_suites.py) and prints, per
suite, language and splitter, the share of cases split exactly right (every sentence boundary,
white space inside sentences folded to one space, as `bitext split` prints them), as a
markdown table with the date and the commit.

Usage (from the repository root):
    pip install pysbd razdel
    python3 benches/splitters/compare.py [--bitext PATH] [--line-breaks auto|soft|hard]
                                         [--show-errors] [FILE...]

Without --bitext it uses $CARGO_TARGET_DIR or target/, release then debug build, else builds
with `cargo run --release -q --`. A missing Python package is skipped with a note. Not run by
CI: the crate's tests `split::tests::peer_cases` (every hard case) and
`split::tests::suite_floors` (a floor per suite) hold bitext to its figures.
"""

import argparse
import datetime
import glob
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def fold(s):
    return " ".join(s.split())


def unescape(s):
    return s.replace("{nbsp}", "\u00a0").replace("{cr}", "\r").replace("{tab}", "\t")


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
                text = unescape("\n".join(inp))
                cases.append((lang, text, exp))
                inp, exp, in_exp = [], [], False
            elif in_exp:
                exp.append(fold(unescape(line)))
            else:
                inp.append(line)
    return cases


def bitext_command(explicit):
    if explicit:
        return [explicit]
    target = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
    for build in ("release", "debug"):
        exe = os.path.join(target, build, "bitext")
        if os.path.exists(exe):
            return [exe]
    return ["cargo", "run", "--release", "-q", "--"]


def make_bitext(cmd, line_breaks):
    extra = ["--line-breaks", line_breaks] if line_breaks else []

    def run(text, lang):
        out = subprocess.run(
            cmd + ["split", "-", "--lang", lang] + extra,
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


def version(package):
    try:
        from importlib.metadata import version as v

        return v(package)
    except Exception:
        return "?"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bitext", help="path of the bitext binary")
    ap.add_argument("--line-breaks", choices=("auto", "soft", "hard"), help="bitext's setting")
    ap.add_argument("--show-errors", action="store_true", help="print each wrong case")
    ap.add_argument(
        "files",
        nargs="*",
        help="case files (default: cases.txt and suites/*.txt)",
    )
    args = ap.parse_args()
    files = args.files or [os.path.join(HERE, "cases.txt")] + sorted(
        glob.glob(os.path.join(HERE, "suites", "*.txt"))
    )

    splitters = [("bitext", make_bitext(bitext_command(args.bitext), args.line_breaks))]
    for name, factory in (("pysbd", make_pysbd), ("razdel", make_razdel)):
        try:
            splitters.append((name, factory()))
        except ImportError:
            print(f"note: {name} is not installed (pip install {name}); skipped", file=sys.stderr)

    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, cwd=ROOT, text=True
    ).stdout.strip()
    date = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d")
    lb = args.line_breaks or "auto (default)"
    print(
        f"Exact-match share per suite, {date}, bitext at {commit} (--line-breaks {lb}), "
        f"pysbd {version('pysbd')}, razdel {version('razdel')}:\n"
    )
    names = [n for n, _ in splitters]
    print("| suite | lang | cases | " + " | ".join(names) + " |")
    print("|---|---|---|" + "---|" * len(names))
    for path in files:
        suite = os.path.splitext(os.path.relpath(path, HERE))[0].replace("suites/", "")
        cases = parse_cases(path)
        for lang in sorted({c[0] for c in cases}):
            mine = [c for c in cases if c[0] == lang]
            cells = []
            for name, split in splitters:
                ok = 0
                for _, text, expected in mine:
                    got = split(text, lang)
                    if got == expected:
                        ok += 1
                    elif args.show_errors:
                        print(
                            f"[{name} {suite} {lang}] {text!r}\n   expected {expected}\n"
                            f"   got      {got}",
                            file=sys.stderr,
                        )
                cells.append(f"{ok} ({ok / len(mine):.2f})")
            best = max(int(c.split()[0]) for c in cells)
            cells = [f"**{c}**" if int(c.split()[0]) == best else c for c in cells]
            print(f"| {suite} | {lang} | {len(mine)} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
