"""bitext: align a text and its translation sentence by sentence, with calibrated scores.

The Python face of the bitext Rust library (the same code as the ``bitext`` command)::

    import bitext
    links = bitext.align("The SCO met in Beijing. It was chaired by China.",
                         "ШОС собралась в Пекине. Председательствовал Китай.")
    links[0].src_ids, links[0].tgt_ids, links[0].score   # ([0], [0], 0.99...)
    bitext.links_to_frame(links)                          # a pandas DataFrame (pandas optional)

* :func:`align` aligns one pair, :func:`align_many` many in parallel (GIL released);
* :func:`split` splits a text into sentences;
* :func:`evaluate` scores alignments against gold ones (the dict of ``bitext eval --json``);
* :func:`write` / :func:`write_tmx` write links as TMX, TSV, CSV, JSON lines or links;
* :mod:`bitext.tm` reads translation memories and looks segments up in them.

Errors are :class:`BitextError` (with ``kind``, ``path``, ``line``, ``column``); bad
arguments (an unknown language, a score outside [0, 1]) are :class:`ValueError`. What the
library warns about goes through :mod:`warnings` as :class:`BitextWarning`.
"""

from __future__ import annotations

import array
import json
import os
import sys
import tempfile
import warnings as _warnings
from typing import TYPE_CHECKING, Any, Iterable, Optional, Sequence, Tuple, Union

from . import _bitext
from ._bitext import BitextError

if TYPE_CHECKING:  # pragma: no cover
    import pandas

__all__ = [
    "BitextError",
    "BitextWarning",
    "Link",
    "Links",
    "align",
    "align_many",
    "split",
    "evaluate",
    "write",
    "write_tmx",
    "links_to_frame",
    "tm",
]

__version__ = "0.1.0"

Text = Union[str, Sequence[str]]
"""Running text (a string) or a document already split, one sentence an item."""

PathLike = Union[str, "os.PathLike[str]"]

FRAME_COLUMNS = ["src_ids", "tgt_ids", "src", "tgt", "score", "type"]


class BitextWarning(UserWarning):
    """A warning of the bitext library: text it changed or dropped, a doubtful input."""


def _warn(found: Iterable[Tuple[str, str]], stacklevel: int = 3) -> None:
    for location, message in found:
        _warnings.warn(f"{location}: {message}", BitextWarning, stacklevel=stacklevel)


class Link:
    """One link of an alignment: source sentences ``src_ids`` and target sentences ``tgt_ids``
    (0-based, consecutive; empty on one side for a 1-0 or 0-1 link), their text, the score
    (the probability that the link is right, 4 decimals) and the type (``"1-2"``). The fields
    are those of a ``bitext align --stream`` record."""

    __slots__ = ("src_ids", "tgt_ids", "src", "tgt", "score", "type")

    def __init__(
        self,
        src_ids: Sequence[int],
        tgt_ids: Sequence[int],
        src: str,
        tgt: str,
        score: float,
        type: Optional[str] = None,
    ) -> None:
        self.src_ids = list(src_ids)
        self.tgt_ids = list(tgt_ids)
        self.src = src
        self.tgt = tgt
        self.score = score
        self.type = type if type is not None else f"{len(self.src_ids)}-{len(self.tgt_ids)}"

    def to_dict(self) -> dict:
        """The link as a dict with the fields of a ``--stream`` record."""
        return {name: getattr(self, name) for name in self.__slots__}

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Link):
            return NotImplemented
        return self.to_dict() == other.to_dict()

    def __repr__(self) -> str:
        return (
            f"Link(src_ids={self.src_ids}, tgt_ids={self.tgt_ids}, score={self.score}, "
            f"type={self.type!r}, src={self.src!r}, tgt={self.tgt!r})"
        )


class Links(list):
    """A list of :class:`Link` with :meth:`to_pandas`."""

    def to_pandas(self) -> "pandas.DataFrame":
        """The links as a pandas DataFrame (columns ``src_ids, tgt_ids, src, tgt, score,
        type``); needs pandas."""
        return links_to_frame(self)


def links_to_frame(links: Iterable[Link], id: Any = None) -> "pandas.DataFrame":
    """A pandas DataFrame of ``links``, one row a link (columns ``src_ids, tgt_ids, src, tgt,
    score, type``, with a first column ``id`` when ``id`` is given). pandas is imported here
    only: the rest of the package works without it."""
    try:
        import pandas as pd
    except ImportError as e:  # pragma: no cover - depends on the environment
        raise ImportError("links_to_frame needs pandas: pip install pandas") from e
    rows = [link.to_dict() for link in links]
    frame = pd.DataFrame(rows, columns=FRAME_COLUMNS)
    if id is not None:
        frame.insert(0, "id", [id] * len(frame))
    return frame


def _text(value: Text, presplit: bool, side: str) -> Tuple[str, bool]:
    """Running text as it is; a list of sentences as lines (presplit)."""
    if isinstance(value, str):
        return value, presplit
    if isinstance(value, (bytes, bytearray)):
        raise TypeError(f"{side} must be str or a list of str, not bytes: decode it first")
    sentences = list(value)
    for i, s in enumerate(sentences):
        if not isinstance(s, str):
            raise TypeError(f"{side}[{i}] must be str, not {type(s).__name__}")
    # One sentence a line: a line break inside a sentence would make two.
    return "\n".join(" ".join(s.split()) for s in sentences), True


def _links(records: Iterable[tuple]) -> Links:
    return Links(Link(*r) for r in records)


def _paths(dictionaries: Iterable[PathLike]) -> list:
    return [os.fspath(d) for d in dictionaries]


def _vectors(value: Any, name: str) -> Tuple[bytes, int]:
    """One side's sentence vectors as little-endian float32 bytes and the dimension."""
    try:
        import numpy
    except ImportError:  # a list of rows, without NumPy
        rows = [list(map(float, row)) for row in value]
        dim = len(rows[0]) if rows else 0
        if any(len(row) != dim for row in rows):
            raise ValueError(f"{name}: rows of different lengths") from None
        packed = array.array("f", [x for row in rows for x in row])
        if sys.byteorder != "little":
            packed.byteswap()
        return packed.tobytes(), dim
    matrix = numpy.asarray(value, dtype="<f4")
    if matrix.ndim != 2:
        raise ValueError(
            f"{name}: a 2-D array of one row per sentence is needed, not shape {matrix.shape}"
        )
    return numpy.ascontiguousarray(matrix).tobytes(), int(matrix.shape[1])


def _embeddings(embeddings: Any, name: str = "embeddings") -> Optional[tuple]:
    """``(src_vectors, tgt_vectors)`` as the extension takes them, or None."""
    if embeddings is None:
        return None
    try:
        src, tgt = embeddings
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be a pair (src_vectors, tgt_vectors)") from None
    return _vectors(src, f"{name}[0]"), _vectors(tgt, f"{name}[1]")


def align(
    src: Text,
    tgt: Text,
    src_lang: str = "en",
    tgt_lang: str = "ru",
    presplit: bool = False,
    min_score: float = 0.0,
    keep_unaligned: bool = False,
    dictionaries: Iterable[PathLike] = (),
    learn: bool = True,
    embeddings: Any = None,
    *,
    embedding_weight: float = 6.0,
    crossing: bool = True,
    force: bool = False,
) -> Links:
    """Aligns ``src`` with its translation ``tgt``, as ``bitext align`` does.

    ``src`` and ``tgt`` are running text (split into sentences here, by the rules of
    ``src_lang``/``tgt_lang``) or lists of sentences (taken as they are, like ``--presplit``;
    ``presplit=True`` takes a string's lines as its sentences). Links scored below
    ``min_score`` are left out, and so are 1-0 and 0-1 links unless ``keep_unaligned``.
    ``dictionaries`` are bilingual dictionary files (``--dict``); ``learn=False`` aligns once,
    without learning word translations from the pair (``--no-learn``); ``crossing=False`` keeps
    links in order (``--no-crossing``); ``force`` aligns texts that do not look like a
    translation pair (``--force``). ``embeddings=(src_vectors, tgt_vectors)`` adds your own
    sentence-embedding model's vectors as evidence (``--embeddings``): NumPy arrays (or lists of
    rows) with one row per sentence of each side, as aligned (a list's items, a presplit
    string's lines, else the sentences :func:`split` gives), from one model;
    ``embedding_weight`` is how many nats they can be worth (``--embedding-weight``).

    Returns :class:`Links`, the links in document order, each as ``--stream`` writes it.
    Raises :class:`BitextError` when the pair cannot be aligned (a blank side, sides that are
    not translations of each other) and :class:`ValueError` for a bad argument.
    """
    vectors = _embeddings(embeddings)
    src_text, presplit_src = _text(src, presplit, "src")
    tgt_text, presplit_tgt = _text(tgt, presplit, "tgt")
    if presplit_src != presplit_tgt:
        raise TypeError("src and tgt must both be strings or both be lists of sentences")
    records, found = _bitext.align(
        src_text,
        tgt_text,
        src_lang,
        tgt_lang,
        presplit_src,
        float(min_score),
        keep_unaligned,
        _paths(dictionaries),
        learn,
        crossing,
        force,
        ("src", "tgt"),
        vectors,
        float(embedding_weight),
    )
    _warn(found)
    return _links(records)


def align_many(
    pairs: Iterable[Tuple[Text, Text]],
    threads: Optional[int] = None,
    src_lang: str = "en",
    tgt_lang: str = "ru",
    presplit: bool = False,
    min_score: float = 0.0,
    keep_unaligned: bool = False,
    dictionaries: Iterable[PathLike] = (),
    learn: bool = True,
    embeddings: Any = None,
    *,
    embedding_weight: float = 6.0,
    learn_over_batch: bool = True,
    crossing: bool = True,
    force: bool = False,
    errors: str = "raise",
) -> list:
    """Aligns many ``(src, tgt)`` pairs in parallel; returns one :class:`Links` a pair, in order.

    The work runs on ``threads`` Rust threads (default: one a core) with the GIL released, so
    other Python threads run meanwhile. With ``learn`` (the default), word translations are
    learned from the whole batch first and every pair is aligned with them, as ``bitext align
    --batch`` does; ``learn_over_batch=False`` learns from each pair alone instead, as
    ``--stream`` and :func:`align` do; ``learn=False`` gives exactly what :func:`align` gives
    pair by pair. Other arguments as :func:`align`.

    A pair that cannot be aligned raises its :class:`BitextError` (its ``path`` is
    ``pairs[I]:src`` or ``:tgt``) once every pair is done; with ``errors="skip"`` its entry is
    ``None`` and the error is warned instead. ``embeddings``, when given, holds one
    ``(src_vectors, tgt_vectors)`` or ``None`` a pair (see :func:`align`).
    """
    vectors = None
    if embeddings is not None:
        vectors = [_embeddings(e, f"embeddings[{i}]") for i, e in enumerate(embeddings)]
    if errors not in ("raise", "skip"):
        raise ValueError(f"errors must be 'raise' or 'skip', not {errors!r}")
    texts = []
    for i, pair in enumerate(pairs):
        src, tgt = pair
        src_text, p_src = _text(src, presplit, f"pairs[{i}][0]")
        tgt_text, p_tgt = _text(tgt, presplit, f"pairs[{i}][1]")
        if p_src != p_tgt:
            raise TypeError(f"pairs[{i}]: both sides must be strings or both lists of sentences")
        texts.append((src_text, tgt_text, p_src))
    presplit_all = {p for _, _, p in texts}
    if len(presplit_all) > 1:
        raise TypeError("align_many takes pairs of strings or pairs of sentence lists, not both")
    presplit_used = presplit_all.pop() if presplit_all else presplit
    outcomes = _bitext.align_many(
        [(s, t) for s, t, _ in texts],
        threads,
        src_lang,
        tgt_lang,
        presplit_used,
        float(min_score),
        keep_unaligned,
        _paths(dictionaries),
        learn,
        learn_over_batch,
        crossing,
        force,
        vectors,
        float(embedding_weight),
    )
    results = []
    first_error = None
    for records, error, found in outcomes:
        _warn(found)
        if error is not None:
            if errors == "skip":
                _warnings.warn(str(error), BitextWarning, stacklevel=2)
            elif first_error is None:
                first_error = error
            results.append(None)
        else:
            results.append(_links(records))
    if first_error is not None:
        raise first_error
    return results


def split(text: str, lang: str = "en") -> list:
    """The sentences of ``text`` by the rules of ``lang``, as ``bitext split`` prints them (the
    text normalised, each sentence's white space folded to single spaces)."""
    sentences, found = _bitext.split_text(text, lang)
    _warn(found)
    return sentences


LinkLike = Union[Link, Tuple[Sequence[int], Sequence[int]], Tuple[Sequence[int], Sequence[int], float]]
Document = Union[PathLike, Iterable[LinkLike]]


def _format_ids(ids: Sequence[int]) -> str:
    return "[" + ", ".join(str(int(i)) for i in ids) + "]"


def _links_file(doc: Iterable[LinkLike], directory: str, name: str) -> str:
    """Writes links in the vecalign/bertalign format (``[0]:[0, 1]:0.97``) for the evaluator."""
    path = os.path.join(directory, name)
    with open(path, "w", encoding="utf-8") as out:
        for link in doc:
            if isinstance(link, Link):
                src, tgt, score = link.src_ids, link.tgt_ids, link.score
            elif len(link) == 3:
                src, tgt, score = link  # type: ignore[misc]
            elif len(link) == 2:
                (src, tgt), score = link, None  # type: ignore[misc]
            else:
                raise ValueError(f"{name}: a link is (src_ids, tgt_ids[, score]), got {link!r}")
            line = f"{_format_ids(src)}:{_format_ids(tgt)}"
            if score is not None:
                line += f":{float(score):.4f}"
            out.write(line + "\n")
    return path


def evaluate(
    system: Sequence[Document],
    gold: Sequence[Document],
    min_score: Optional[float] = None,
    per_doc: bool = False,
) -> dict:
    """Scores ``system`` alignments against ``gold`` ones, document by document in order, as
    ``bitext eval --json`` does, and returns the same dict: ``result["total"]["strict"]["f1"]``,
    ``["lax"]``, ``["precision"]``/``["recall"]`` counts, ``"pairs"``, and a
    ``"reliability"`` table when every system link has a score in [0, 1].

    A document is a file path (links format, ``[0]:[0, 1]:0.97`` a line) or a list of links:
    :class:`Link` objects or ``(src_ids, tgt_ids)`` / ``(src_ids, tgt_ids, score)`` tuples.
    ``min_score`` counts only the system links scored at least that; ``per_doc`` adds a
    ``"documents"`` list. The report's warnings and note go through :mod:`warnings`.
    """
    if isinstance(system, (str, os.PathLike)) or isinstance(gold, (str, os.PathLike)):
        raise TypeError("system and gold are lists of documents (paths or lists of links)")
    # Documents given as links are written to temporary files, named in the report and the
    # warnings as ``system[I]`` / ``gold[I]``.
    names = {}
    with tempfile.TemporaryDirectory(prefix="bitext-eval-") as directory:
        def files(docs: Sequence[Document], side: str) -> list:
            out = []
            for i, doc in enumerate(docs):
                if isinstance(doc, (str, os.PathLike)):
                    out.append(os.fspath(doc))
                else:
                    path = _links_file(doc, directory, f"{side}-{i}.links")
                    names[path] = f"{side}[{i}]"
                    out.append(path)
            return out

        report, found, note = _bitext.evaluate(
            files(list(system), "system"), files(list(gold), "gold"), min_score, per_doc
        )

    def named(text: str) -> str:
        for path, name in names.items():
            text = text.replace(path, name)
        return text

    for warning in found:
        _warnings.warn(named(warning), BitextWarning, stacklevel=2)
    if note:
        _warnings.warn(named(note), BitextWarning, stacklevel=2)
    result = json.loads(report)
    for entry in result.get("documents", []):
        entry["test"] = names.get(entry["test"], entry["test"])
        entry["gold"] = names.get(entry["gold"], entry["gold"])
    return result


def _records(links: Iterable[Union[Link, dict]]) -> list:
    out = []
    for link in links:
        if isinstance(link, dict):
            link = Link(**{k: link[k] for k in FRAME_COLUMNS[:5]})
        out.append((link.src_ids, link.tgt_ids, link.src, link.tgt, float(link.score)))
    return out


def write(
    links: Iterable[Union[Link, dict]],
    path: PathLike,
    format: Optional[str] = None,
    src_tag: str = "en-US",
    tgt_tag: str = "ru-RU",
    keep_unaligned: bool = False,
    min_score: float = 0.0,
    plain: bool = False,
    no_header: bool = False,
    bom: bool = False,
    force: bool = False,
) -> int:
    """Writes ``links`` to ``path`` through bitext's writer of ``format`` (``tmx``, ``tsv``,
    ``csv``, ``jsonl``, ``links``; default: from the extension, else TMX), exactly as ``bitext
    align -f FORMAT`` writes them; returns the number of records written. The file is replaced
    atomically; ``force`` replaces a write-protected one. Options as the CLI's
    (``--src-tag``, ``--keep-unaligned``, ``--min-score``, ``--plain``, ``--no-header``,
    ``--bom``)."""
    written, found = _bitext.write(
        _records(links),
        os.fspath(path),
        format,
        src_tag,
        tgt_tag,
        keep_unaligned,
        float(min_score),
        plain,
        no_header,
        bom,
        force,
    )
    _warn(found)
    return written


def write_tmx(
    links: Iterable[Union[Link, dict]],
    path: PathLike,
    src_tag: str = "en-US",
    tgt_tag: str = "ru-RU",
    min_score: float = 0.0,
    force: bool = False,
) -> int:
    """Writes ``links`` as TMX 1.4b (:func:`write` with ``format="tmx"``); 1-0 and 0-1 links
    are never written to TMX."""
    return write(
        links, path, format="tmx", src_tag=src_tag, tgt_tag=tgt_tag, min_score=min_score,
        force=force,
    )


from . import tm  # noqa: E402  (tm uses _warn above)
