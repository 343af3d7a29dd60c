#!/usr/bin/env python3
"""Extracts the public sentence-splitting test suites into benches/splitters/suites/.

Reads the test files of pySBD, Pragmatic Segmenter and razdel from local bare git
directories (any clone works: `git clone --bare URL`), and writes one `cases.txt`-format file
per suite and language, with a header naming the repository, commit, path and licence.

Usage (from the repository root):
    python3 benches/splitters/extract_suites.py --pysbd DIR --pragmatic DIR --razdel DIR

Each DIR is a git directory (bare or `.git`); the files are read from its HEAD.
  pySBD              github.com/nipunsadvilkar/pySBD  tests/lang/test_english.py,
                     tests/lang/test_russian.py (the lists of (text, [sentences]))
  Pragmatic Segm.    github.com/diasks2/pragmatic_segmenter
                     spec/pragmatic_segmenter/languages/english_spec.rb (the "Golden Rules"
                     context, i.e. the README's Golden Rules), russian_spec.rb (all of it)
  razdel             github.com/natasha/razdel  razdel/tests/test_sentenize.py (the UNIT
                     partitions; the large data/sents.txt is not in the repository snapshot)
The output is deterministic: the same commits give the same files.
"""

import argparse
import ast
import os
import re
import subprocess

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "suites")


def git(gitdir, *args):
    return subprocess.run(
        ["git", "--git-dir", gitdir, *args], capture_output=True, check=True
    ).stdout.decode("utf-8")


def fold(s):
    return " ".join(s.split())


def encode_input(text):
    """The input as case lines: U+00A0 as {nbsp}, CR as {cr}, tab as {tab}."""
    text = text.replace("\u00a0", "{nbsp}").replace("\r", "{cr}").replace("\t", "{tab}")
    return text.strip("\n")


def write_suite(name, lang, source, cases):
    repo, commit, path, licence = source
    lines = [
        f"# Suite: {name}, language {lang}. {len(cases)} cases.",
        f"# Extracted by benches/splitters/extract_suites.py from {repo}",
        f"# commit {commit}, {path}.",
        "# Format: see benches/splitters/cases.txt ({cr} stands for U+000D, {tab} for U+0009).",
        "# Expected sentences are as the suite gives them, white space folded to one space.",
        "#",
        "# The test cases are the work of the authors of that repository, redistributed under",
        "# its licence, reproduced here:",
        "#",
    ]
    lines += ["# " + l if l.strip() else "#" for l in licence.strip().split("\n")]
    lines += ["", f"# lang: {lang}"]
    for text, expected in cases:
        lines.append(encode_input(text))
        lines.append("---")
        lines += [fold(s).replace("\u00a0", "{nbsp}") for s in expected if s.strip()]
        lines.append("===")
    with open(os.path.join(OUT, name), "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    print(f"{name}: {len(cases)} cases")


def usable(text, expected):
    """Drops what the line format cannot carry (a marker line inside the input)."""
    enc = encode_input(text)
    return enc.strip() and not any(l in ("---", "===") for l in enc.split("\n"))


def pysbd_cases(source_text, names):
    tree = ast.parse(source_text)
    cases = []
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id in names for t in node.targets
        ):
            for elt in node.value.elts:
                # pytest.param(text, expected, marks=...) counts like a plain tuple.
                args = elt.args if isinstance(elt, ast.Call) else elt.elts
                text, expected = ast.literal_eval(args[0]), ast.literal_eval(args[1])
                if usable(text, expected):
                    cases.append((text, list(expected)))
    return cases


RUBY_ESC = {"n": "\n", "t": "\t", "r": "\r", "s": " ", "0": "\0", "e": "\x1b"}


def ruby_string(src, i):
    """Parses the Ruby string literal at src[i] ('...' or "..."): (value, index after)."""
    q = src[i]
    i += 1
    out = []
    while src[i] != q:
        c = src[i]
        if c == "\\":
            n = src[i + 1]
            if q == "'":
                out.append(n if n in "\\'" else "\\" + n)
            elif n == "u" and src[i + 2] == "{":
                end = src.index("}", i)
                out.append(chr(int(src[i + 3 : end], 16)))
                i = end - 1
            elif n == "u":
                out.append(chr(int(src[i + 2 : i + 6], 16)))
                i += 4
            else:
                out.append(RUBY_ESC.get(n, n))
            i += 2
            continue
        if q == '"' and c == "#" and src[i + 1] == "{":
            raise ValueError("interpolation")
        out.append(c)
        i += 1
    return "".join(out), i + 1


def ruby_array(src, i):
    assert src[i] == "["
    i += 1
    items = []
    while True:
        while src[i] in " \n\t,":
            i += 1
        if src[i] == "]":
            return items, i + 1
        s, i = ruby_string(src, i)
        items.append(s)


def pragmatic_cases(spec, context=None):
    if context:
        start = spec.index(f'context "{context}" do')
        # The context ends at the next top-level block.
        m = re.search(r"\n  (describe|context) ", spec[start + 10 :])
        spec = spec[start : start + 10 + m.start()] if m else spec[start:]
    cases, skipped = [], 0
    for m in re.finditer(r"Segmenter\.new\(text: ", spec):
        i = m.end()
        if spec[i] not in "'\"":
            skipped += 1  # a heredoc or variable
            continue
        try:
            text, j = ruby_string(spec, i)
            k = spec.index("expect(", j)
            e = spec.index("eq(", k) + 3
            if spec[e] != "[":
                skipped += 1
                continue
            expected, _ = ruby_array(spec, e)
        except (ValueError, IndexError):
            skipped += 1
            continue
        if "clean: false" in spec[j : j + 60] or "doc_type" in spec[j : j + 60]:
            skipped += 1
            continue
        if usable(text, expected):
            cases.append((text, expected))
    return cases, skipped


def razdel_cases(source_text):
    tree = ast.parse(source_text)
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "UNIT" for t in node.targets
        ):
            lines = ast.literal_eval(node.value.args[0])
    cases = []
    for line in lines:
        # razdel's partition format: chunks separated by `|`, white-space chunks are fill.
        chunks = re.split(r"(?<!\\)\|", line)
        chunks = [c.replace(r"\|", "|").replace(r"\n", "\n") for c in chunks]
        text = "".join(chunks)
        expected = [c for c in chunks if c.strip()]
        cases.append((text, expected))
    return cases


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pysbd", required=True)
    ap.add_argument("--pragmatic", required=True)
    ap.add_argument("--razdel", required=True)
    a = ap.parse_args()
    os.makedirs(OUT, exist_ok=True)

    head = lambda d: git(d, "rev-parse", "HEAD").strip()
    show = lambda d, p: git(d, "show", f"HEAD:{p}")

    repo = "https://github.com/nipunsadvilkar/pySBD"
    lic = show(a.pysbd, "LICENSE")
    for lang, path, names in (
        ("en", "tests/lang/test_english.py", {"GOLDEN_EN_RULES_TEST_CASES"}),
        ("ru", "tests/lang/test_russian.py", {"GOLDEN_RU_RULES_TEST_CASES", "RU_MORE_TEST_CASES"}),
    ):
        cases = pysbd_cases(show(a.pysbd, path), names)
        write_suite(f"pysbd_{lang}.txt", lang, (repo, head(a.pysbd), path, lic), cases)

    repo = "https://github.com/diasks2/pragmatic_segmenter"
    lic = show(a.pragmatic, "LICENSE.txt")
    for lang, name, context in (("en", "english", "Golden Rules"), ("ru", "russian", None)):
        path = f"spec/pragmatic_segmenter/languages/{name}_spec.rb"
        cases, skipped = pragmatic_cases(show(a.pragmatic, path), context)
        where = f"{path} ({'the context ' + repr(context) if context else 'all examples'}"
        where += f"; {skipped} examples with a heredoc, variable or option skipped)" if skipped else ")"
        write_suite(f"pragmatic_{lang}.txt", lang, (repo, head(a.pragmatic), where, lic), cases)

    repo = "https://github.com/natasha/razdel"
    path = "razdel/tests/test_sentenize.py"
    cases = razdel_cases(show(a.razdel, path))
    where = f"{path} (the UNIT partitions: fragments cut at razdel's boundaries)"
    write_suite("razdel_ru.txt", "ru", (repo, head(a.razdel), where, show(a.razdel, "LICENSE")), cases)


if __name__ == "__main__":
    main()
