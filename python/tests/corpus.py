"""A generated corpus of EN-RU document pairs for the Spark test and the benchmarks: each
document a run of consecutive gold links of the repository's hand-aligned fixtures (the SCO
press releases and the Chekhov story), so every pair is a real translation pair with known
sentence correspondences. Deterministic for a given seed."""

import json
import random
from pathlib import Path

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
SOURCES = ["sco-counter-narcotics-2018", "sco-paris-pact-beijing"]


def _read_links(path):
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            src, tgt = line.split(":")[:2]
            ids = lambda s: [int(i) for i in s.strip("[] ").split(",") if i.strip()]  # noqa: E731
            out.append((ids(src), ids(tgt)))
    return out


def gold_segments(with_literary=True):
    """(source text, target text) of every non-null gold link of the fixtures."""
    segments = []
    names = [(FIXTURES / s, FIXTURES / f"{s}.links") for s in SOURCES]
    literary = FIXTURES / "literary"
    if not with_literary:
        literary = FIXTURES / "none"
    for sents in sorted(literary.glob("*.en.sents")):
        stem = sents.name[: -len(".en.sents")]
        links = literary / f"{stem}.links"
        if links.is_file():
            names.append((literary / stem, links))
    for base, links in names:
        # Blank lines separate paragraphs; the links number the sentences only.
        en = [l for l in Path(f"{base}.en.sents").read_text(encoding="utf-8").splitlines() if l.strip()]
        ru = [l for l in Path(f"{base}.ru.sents").read_text(encoding="utf-8").splitlines() if l.strip()]
        for s, t in _read_links(links):
            if s and t:
                segments.append((" ".join(en[i].strip() for i in s), " ".join(ru[i].strip() for i in t)))
    return segments


def make_corpus(path, n, seed=18, min_links=10, max_links=30):
    """Writes ``n`` pairs as ``--stream`` JSON lines (``id``, ``src``, ``tgt``) to ``path``."""
    rng = random.Random(seed)
    segments = gold_segments()
    with open(path, "w", encoding="utf-8") as out:
        for i in range(n):
            k = rng.randint(min_links, max_links)
            start = rng.randrange(0, len(segments) - k)
            run = segments[start : start + k]
            src, tgt = [], []
            for j, (s, t) in enumerate(run):
                sep = "\n\n" if j and rng.random() < 0.25 else " "
                src.append((sep if j else "") + s)
                tgt.append((sep if j else "") + t)
            record = {"id": f"doc-{i}", "src": "".join(src), "tgt": "".join(tgt)}
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path
