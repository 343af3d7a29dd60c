"""Type stubs of the native module (``python/src/lib.rs``); use the wrappers in ``bitext``."""

from typing import Iterator, List, Optional, Sequence, Tuple

Record = Tuple[List[int], List[int], str, str, float, str]
Warning_ = Tuple[str, str]

class BitextError(Exception):
    """An error of the bitext library, with where it happened."""

    kind: str
    """``io``, ``decode``, ``syntax``, ``xml``, ``input``, ``usage`` or ``other``."""
    path: Optional[str]
    line: Optional[int]
    column: Optional[int]
    byte: Optional[int]

# One side's sentence vectors: little-endian float32 bytes, row after row, and the dimension.
RawVectors = Tuple[bytes, int]

def align(
    src: str,
    tgt: str,
    src_lang: str,
    tgt_lang: str,
    presplit: bool,
    min_score: float,
    keep_unaligned: bool,
    dictionaries: Sequence[str],
    learn: bool,
    crossing: bool,
    force: bool,
    names: Tuple[str, str],
    embeddings: Optional[Tuple[RawVectors, RawVectors]] = None,
    embedding_weight: float = 6.0,
) -> Tuple[List[Record], List[Warning_]]: ...
def align_many(
    pairs: Sequence[Tuple[str, str]],
    threads: Optional[int],
    src_lang: str,
    tgt_lang: str,
    presplit: bool,
    min_score: float,
    keep_unaligned: bool,
    dictionaries: Sequence[str],
    learn: bool,
    learn_over_batch: bool,
    crossing: bool,
    force: bool,
    embeddings: Optional[Sequence[Optional[Tuple[RawVectors, RawVectors]]]] = None,
    embedding_weight: float = 6.0,
) -> List[Tuple[Optional[List[Record]], Optional[BitextError], List[Warning_]]]: ...
def split_text(text: str, lang: str) -> Tuple[List[str], List[Warning_]]: ...
def evaluate(
    systems: Sequence[str], golds: Sequence[str], min_score: Optional[float], per_doc: bool
) -> Tuple[str, List[str], Optional[str]]: ...
def write(
    links: Sequence[Tuple[Sequence[int], Sequence[int], str, str, float]],
    path: str,
    format: Optional[str],
    src_tag: str,
    tgt_tag: str,
    keep_unaligned: bool,
    min_score: float,
    plain: bool,
    no_header: bool,
    bom: bool,
    force: bool,
) -> Tuple[int, List[Warning_]]: ...

class TmReader(Iterator[dict]):
    def __init__(
        self,
        path: str,
        format: Optional[str] = None,
        lenient: bool = False,
        plain: bool = False,
        langs: Optional[Tuple[str, str]] = None,
    ) -> None: ...
    @property
    def srclang(self) -> Optional[str]: ...
    def take_warnings(self) -> List[Warning_]: ...
    def __iter__(self) -> "TmReader": ...
    def __next__(self) -> dict: ...

class TmIndex:
    def __init__(
        self,
        path: str,
        lang: Optional[str] = None,
        format: Optional[str] = None,
        lenient: bool = False,
        plain: bool = False,
        langs: Optional[Tuple[str, str]] = None,
    ) -> None: ...
    def take_warnings(self) -> List[Warning_]: ...
    def __len__(self) -> int: ...
    def lookup(self, query: str, max_results: int = 5, min_percent: int = 70) -> List[dict]: ...
