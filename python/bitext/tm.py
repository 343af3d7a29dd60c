"""Translation memories: read units of any format bitext reads (TMX, TSV, CSV, JSON lines,
the review XLSX) and look segments up by fuzzy match, as ``bitext tm lookup`` does."""

from __future__ import annotations

import os
from typing import Iterator, Optional, Tuple, Union

from . import _bitext, _warn

__all__ = ["read", "lookup", "Index"]

PathLike = Union[str, "os.PathLike[str]"]


def read(
    path: PathLike,
    format: Optional[str] = None,
    lenient: bool = False,
    plain: bool = False,
    langs: Optional[Tuple[str, str]] = None,
) -> Iterator[dict]:
    """Yields the units of the memory at ``path``, one dict a unit: ``number`` and ``line``
    (where it is in the file), ``tuid``, ``srclang``, ``props`` (``(type, value)`` pairs),
    ``notes``, and ``variants``, each ``{"lang", "text", "markup"}`` (``text`` plain, ``markup``
    the segment as TMX XML). The format is ``format``, else the extension's, else sniffed;
    ``lenient`` skips a broken unit with a warning; ``langs`` names the two languages of a
    table without a header. Errors are :class:`bitext.BitextError` with the file and line."""
    reader = _bitext.TmReader(os.fspath(path), format, lenient, plain, langs)
    for unit in reader:
        _warn(reader.take_warnings())
        yield unit
    _warn(reader.take_warnings())


class Index:
    """A fuzzy-match index over a memory's source side (``lang``, default the memory's
    ``srclang``), built once and asked many times. ``path`` may also be an index file written
    by ``bitext tm index`` (read in a fraction of the time; ``lang`` is then the one it was
    built with)."""

    def __init__(
        self,
        path: PathLike,
        lang: Optional[str] = None,
        format: Optional[str] = None,
        lenient: bool = False,
        plain: bool = False,
        langs: Optional[Tuple[str, str]] = None,
    ) -> None:
        self._index = _bitext.TmIndex(os.fspath(path), lang, format, lenient, plain, langs)
        _warn(self._index.take_warnings(), stacklevel=2)

    def __len__(self) -> int:
        return len(self._index)

    def lookup(self, query: str, max_results: int = 5, min_percent: int = 70) -> list:
        """The matches of ``query``, best first, as dicts like ``bitext tm lookup --json``
        gives them: ``percent``, ``source``, ``target``, ``target_lang``, ``tuid``, ``unit``."""
        return self._index.lookup(query, max_results, min_percent)


def lookup(
    path: PathLike,
    query: Union[str, list],
    lang: Optional[str] = None,
    max_results: int = 5,
    min_percent: int = 70,
) -> list:
    """Looks ``query`` (a string, or a list of strings) up in the memory at ``path``: the
    matches of a string, or one list of matches per query. Builds an :class:`Index` each call;
    keep an :class:`Index` to ask many times."""
    index = Index(path, lang=lang)
    if isinstance(query, str):
        return index.lookup(query, max_results, min_percent)
    return [index.lookup(q, max_results, min_percent) for q in query]
