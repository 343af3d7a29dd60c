#!/usr/bin/env python3
"""Deterministic long bitexts with gold links, from the DE-FR Text+Berg gold set.

Concatenates the gold-aligned documents of ../shared/data/bleualign (test0..test6 and dev:
1,459 German x 1,565 French sentences a copy) in a shuffled order, reshuffled for every copy,
until the source holds at least N sentences. Writes the German side, the French side (one
sentence a line, the --presplit convention, no blank lines between documents) and the gold
links, with the sentence ids of each copy offset by the sentences before it. The same seed
gives the same files.

--omit K removes a block of K consecutive target sentences from the middle of the target
side (a translation that skips a passage) and fixes the gold: target ids after the block move
down by K; a link keeps its remaining target sentences; a link that loses all of them becomes
one source-only null link per source sentence (`[i]:[]`, the 1-0 form the gold files and
`bitext eval` use); a 0-1 link inside the block disappears. Null gold links count only in
precision (a system 1-0 link can hit them strictly); recall runs over the gold links that
keep sentences on both sides.

--stitch-dir DIR --stitch-out FILE writes DIR/<doc>.align (per-document alignments in the
links format, one per document, e.g. made by `bitext align` on each document separately)
stitched in the same order and with the same offsets (and the same omission fix) as the
long text, so it can be scored against the long gold: the per-document figure on the same text.

Usage (from the repository root):
  python3 benches/long_bitext.py --sentences 200000 --seed 1 \\
      --src long.de --tgt long.fr --gold long.defr [--omit 1000]

Data: Bleualign (c) 2010 Rico Sennrich, GPL-2.0 (see ../shared/data/bleualign/README.md).
"""

import argparse
import ast
import os
import random
import sys

DOCS = ["test0", "test1", "test2", "test3", "test4", "test5", "test6", "dev"]
DEFAULT_DATA = os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared", "data", "bleualign"
)


def parse_links(path):
    """Links of a gold/links file as (src ids, tgt ids) lists; a third field is dropped."""
    links = []
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            line = line.strip()
            if not line:
                continue
            # '[1, 2]:[3]' or '[1]:[3]:0.98'; the lists hold no ':'.
            left, sep, rest = line.partition(":")
            right = rest.split(":", 1)[0]
            if not sep:
                raise SystemExit(f"{path}:{number}: not a link: {line!r}")
            links.append((list(ast.literal_eval(left)), list(ast.literal_eval(right))))
    return links


def read_lines(path):
    with open(path, encoding="utf-8") as f:
        return f.read().splitlines()


def load(data):
    docs = {}
    for d in DOCS:
        de = read_lines(os.path.join(data, d + ".de"))
        fr = read_lines(os.path.join(data, d + ".fr"))
        gold = parse_links(os.path.join(data, d + ".defr"))
        docs[d] = (de, fr, gold)
    return docs


def plan(docs, sentences, seed):
    """The document order: whole shuffled copies of the 8 documents, enough for `sentences`."""
    rng = random.Random(seed)
    order = []
    total = 0
    while total < sentences:
        copy = DOCS[:]
        rng.shuffle(copy)
        for d in copy:
            if total >= sentences:
                break
            order.append(d)
            total += len(docs[d][0])
    return order


def stitch(order, per_doc_links, src_sizes, tgt_sizes):
    """Links of each document in `order`, with ids offset by the sentences before it."""
    out = []
    s_off = t_off = 0
    for d in order:
        for s, t in per_doc_links[d]:
            out.append(([i + s_off for i in s], [j + t_off for j in t]))
        s_off += src_sizes[d]
        t_off += tgt_sizes[d]
    return out


def omission_block(n_tgt, omit):
    """The [start, end) of the removed target block: centred in the target side."""
    if omit <= 0:
        return None
    if omit >= n_tgt:
        raise SystemExit(f"--omit {omit} is not smaller than the {n_tgt} target sentences")
    start = (n_tgt - omit) // 2
    return start, start + omit


def apply_omission(links, block):
    """Drops the target ids in `block` and renumbers the rest (see the module docstring)."""
    if block is None:
        return links
    a, b = block
    k = b - a
    out = []
    for s, t in links:
        kept = [j if j < a else j - k for j in t if not a <= j < b]
        if t and not kept:
            # Every target sentence of the link is gone: its source sentences are 1-0.
            out.extend(([i], []) for i in s)
        elif s or kept:
            out.append((s, kept))
    return out


def fmt(ids):
    return "[" + ", ".join(str(i) for i in ids) + "]"


def write_links(path, links):
    with open(path, "w", encoding="utf-8") as f:
        for s, t in links:
            f.write(f"{fmt(s)}:{fmt(t)}\n")


def write_lines(path, lines):
    with open(path, "w", encoding="utf-8") as f:
        for line in lines:
            f.write(line + "\n")


def generate(args):
    docs = load(args.data)
    order = plan(docs, args.sentences, args.seed)
    src_sizes = {d: len(docs[d][0]) for d in DOCS}
    tgt_sizes = {d: len(docs[d][1]) for d in DOCS}
    src = [line for d in order for line in docs[d][0]]
    tgt = [line for d in order for line in docs[d][1]]
    block = omission_block(len(tgt), args.omit)
    gold = apply_omission(stitch(order, {d: docs[d][2] for d in DOCS}, src_sizes, tgt_sizes), block)
    if block:
        tgt = tgt[: block[0]] + tgt[block[1] :]
    if args.src:
        write_lines(args.src, src)
    if args.tgt:
        write_lines(args.tgt, tgt)
    if args.gold:
        write_links(args.gold, gold)
    if args.stitch_dir:
        per_doc = {d: parse_links(os.path.join(args.stitch_dir, d + ".align")) for d in DOCS}
        write_links(args.stitch_out, apply_omission(stitch(order, per_doc, src_sizes, tgt_sizes), block))
    info = f"{len(src)} x {len(tgt)} sentences, {len(order)} documents, {len(gold)} gold links"
    if block:
        info += f", target {block[0]}..{block[1]} removed"
    print(info, file=sys.stderr)
    return len(src), len(tgt)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--sentences", "-n", type=int, required=True, help="at least this many source sentences")
    p.add_argument("--seed", type=int, default=1, help="shuffle seed (default 1)")
    p.add_argument("--data", default=DEFAULT_DATA, help="the bleualign directory")
    p.add_argument("--src", help="write the German side here")
    p.add_argument("--tgt", help="write the French side here")
    p.add_argument("--gold", help="write the gold links here")
    p.add_argument("--omit", type=int, default=0, help="remove this many target sentences from the middle")
    p.add_argument("--stitch-dir", help="directory of per-document alignments <doc>.align to stitch")
    p.add_argument("--stitch-out", help="write the stitched per-document alignment here")
    args = p.parse_args()
    if bool(args.stitch_dir) != bool(args.stitch_out):
        p.error("--stitch-dir and --stitch-out go together")
    generate(args)


if __name__ == "__main__":
    main()
