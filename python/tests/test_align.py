"""bitext.align, align_many, split: the seed fixtures' gold links, align_many against one by
one, the GIL released, bad input raising the documented exceptions."""

import threading
import time
import warnings

import pytest

import bitext
from conftest import FIXTURES, read_links, run_cli, skip_or_fail

EN = "The SCO met in Beijing. It was chaired by China."
RU = "ШОС собралась в Пекине. Председательствовал Китай."
SEEDS = ["sco-counter-narcotics-2018", "sco-paris-pact-beijing"]


def seed(name):
    return (
        (FIXTURES / f"{name}.en.txt").read_text(encoding="utf-8"),
        (FIXTURES / f"{name}.ru.txt").read_text(encoding="utf-8"),
    )


def pairs_of(links):
    return [(link.src_ids, link.tgt_ids) for link in links]


def test_a_pair_gives_links_with_every_field():
    links = bitext.align(EN, RU)
    assert pairs_of(links) == [([0], [0]), ([1], [1])]
    first = links[0]
    assert first.src == "The SCO met in Beijing."
    assert first.tgt == "ШОС собралась в Пекине."
    assert first.type == "1-1"
    assert 0.9 < first.score <= 1.0
    assert isinstance(links, bitext.Links) and isinstance(first, bitext.Link)


@pytest.mark.parametrize("name", SEEDS)
def test_seed_fixtures_give_their_gold_links(name):
    en, ru = seed(name)
    links = bitext.align(en, ru, keep_unaligned=True)
    assert pairs_of(links) == [tuple(l) for l in read_links(FIXTURES / f"{name}.links")]


@pytest.mark.parametrize("name", SEEDS)
def test_links_equal_the_cli_stream_records(name):
    import json

    en, ru = seed(name)
    line = json.dumps({"id": 1, "src": en, "tgt": ru}) + "\n"
    out = run_cli("align", "--stream", input=line)
    records = [json.loads(l) for l in out.splitlines()]
    for r in records:
        del r["id"]
    assert [l.to_dict() for l in bitext.align(en, ru)] == records


def test_sentence_lists_are_taken_as_they_are():
    en = (FIXTURES / "sco-paris-pact-beijing.en.sents").read_text(encoding="utf-8").splitlines()
    ru = (FIXTURES / "sco-paris-pact-beijing.ru.sents").read_text(encoding="utf-8").splitlines()
    links = bitext.align(en, ru, keep_unaligned=True)
    assert pairs_of(links) == [tuple(l) for l in read_links(FIXTURES / "sco-paris-pact-beijing.links")]
    assert links[0].src == en[0].strip()


def test_min_score_and_keep_unaligned_filter_as_the_cli():
    en, ru = seed("sco-counter-narcotics-2018")
    every = bitext.align(en, ru, keep_unaligned=True)
    high = bitext.align(en, ru, min_score=0.99)
    assert all(l.score >= 0.99 for l in high)
    assert len(high) <= len(every)


def test_align_many_without_learning_equals_one_by_one():
    pairs = [seed(n) for n in SEEDS] + [(EN, RU)]
    many = bitext.align_many(pairs, threads=2, learn=False)
    assert many == [bitext.align(s, t, learn=False) for s, t in pairs]


def test_align_many_learning_per_pair_equals_one_by_one():
    pairs = [seed(n) for n in SEEDS] + [(EN, RU)]
    many = bitext.align_many(pairs, learn_over_batch=False)
    assert many == [bitext.align(s, t) for s, t in pairs]


def test_align_many_learns_over_the_batch_as_the_cli_batch(tmp_path):
    batch = FIXTURES / "batch"
    names = ["ferry", "library", "weather"]
    manifest = tmp_path / "m.tsv"
    manifest.write_text(
        "".join(
            f"{batch / 'en' / n}.txt\t{batch / 'ru' / n}.txt\t{tmp_path / n}.links\n" for n in names
        )
        + "".join(
            f"{FIXTURES / s}.en.txt\t{FIXTURES / s}.ru.txt\t{tmp_path / s}.links\n" for s in SEEDS
        )
    )
    run_cli("align", "--batch", manifest, "-f", "links")
    pairs = [
        ((batch / "en" / f"{n}.txt").read_text(), (batch / "ru" / f"{n}.txt").read_text())
        for n in names
    ] + [seed(s) for s in SEEDS]
    many = bitext.align_many(pairs, keep_unaligned=True)
    for name, links in zip(names + SEEDS, many):
        assert pairs_of(links) == [tuple(l) for l in read_links(tmp_path / f"{name}.links")], name


def test_the_gil_is_released_during_align_many():
    en, ru = seed("sco-counter-narcotics-2018")
    pairs = [(en, ru)] * 100
    ticks = []
    done = threading.Event()

    def tick():
        while not done.is_set():
            ticks.append(time.perf_counter())
            time.sleep(0.001)

    started = time.perf_counter()
    thread = threading.Thread(target=tick)
    thread.start()
    try:
        bitext.align_many(pairs, threads=1, learn=False)
    finally:
        done.set()
        thread.join()
    elapsed = time.perf_counter() - started
    during = [t for t in ticks if t < started + elapsed * 0.9]
    # With the GIL held the ticker would stall for the whole call; released, it ticks on.
    assert elapsed > 0.05, "the alignment was too short to tell"
    assert len(during) >= 10, (len(during), elapsed)


def test_split_splits_as_the_cli(tmp_path):
    text = (FIXTURES / "sco-paris-pact-beijing.en.txt").read_text(encoding="utf-8")
    got = bitext.split(text, "en")
    path = tmp_path / "doc.txt"
    path.write_text(text, encoding="utf-8")
    assert got == run_cli("split", path, "--lang", "en").splitlines()
    assert len(got) == 13


def test_a_blank_side_raises_bitext_error_naming_it():
    with pytest.raises(bitext.BitextError) as info:
        bitext.align("   ", RU)
    assert info.value.kind == "input"
    assert info.value.path == "src"
    assert "holds no text" in str(info.value)


def test_sides_that_are_not_translations_raise_unless_forced():
    en = "One. " * 500
    with pytest.raises(bitext.BitextError) as info:
        bitext.align(en, "Один.")
    assert info.value.kind == "input"
    bitext.align(en, "Один.", force=True)


def test_bad_arguments_raise_value_or_type_errors():
    with pytest.raises(ValueError, match="not a language code"):
        bitext.align(EN, RU, src_lang="english")
    with pytest.raises(ValueError, match="min_score"):
        bitext.align(EN, RU, min_score=2)
    with pytest.raises(TypeError):
        bitext.align(EN, ["Один."])
    with pytest.raises(ValueError):
        bitext.align_many([(EN, RU)], threads=0)
    with pytest.raises(TypeError, match="pair"):
        bitext.align(EN, RU, embeddings=[[1.0]])
    with pytest.raises(ValueError, match="2-D"):
        bitext.align(EN, RU, embeddings=([1.0, 2.0], [1.0, 2.0]))


def test_align_many_raises_the_first_failure_or_skips_it():
    pairs = [(EN, RU), ("  ", RU), (EN, RU)]
    with pytest.raises(bitext.BitextError) as info:
        bitext.align_many(pairs)
    assert info.value.path == "pairs[1]:src"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = bitext.align_many(pairs, errors="skip")
    assert out[1] is None and len(out[0]) == 2 and len(out[2]) == 2
    assert any("pairs[1]:src" in str(w.message) for w in caught)


def test_to_pandas_gives_one_row_a_link():
    try:
        import pandas as pd
    except ImportError:
        skip_or_fail("pandas is not installed (optional: pip install pandas)")
    frame = bitext.align(EN, RU).to_pandas()
    assert list(frame.columns) == ["src_ids", "tgt_ids", "src", "tgt", "score", "type"]
    assert len(frame) == 2
    framed = bitext.links_to_frame(bitext.align(EN, RU), id="doc-1")
    assert list(framed["id"]) == ["doc-1", "doc-1"]
    assert isinstance(framed, pd.DataFrame)


def generated_pair(concepts=60, dropped=(20, 41), dim=24):
    """Sentences of random words (nothing shared, so lengths and anchors cannot place the
    two deletions) and one vector a concept plus noise on each side, as in tests/embeddings.rs."""
    import random

    rng = random.Random(7)
    latin, cyrillic = "bcdfghklmnprstvz", "бвгдклмнпрстфхчш"

    def sentence(letters):
        return " ".join("".join(rng.choice(letters) for _ in range(5)) for _ in range(5)) + "."

    def noisy(v):
        return [x + 0.3 * (rng.random() - 0.5) for x in v]

    src, tgt, src_vec, tgt_vec, gold = [], [], [], [], []
    for c in range(concepts):
        v = [rng.random() - 0.5 for _ in range(dim)]
        src.append(sentence(latin))
        src_vec.append(noisy(v))
        if c in dropped:
            gold.append(([c], []))
            continue
        gold.append(([c], [len(tgt)]))
        tgt.append(sentence(cyrillic))
        tgt_vec.append(noisy(v))
    return src, tgt, src_vec, tgt_vec, gold


def test_embeddings_place_what_lengths_cannot():
    np = pytest.importorskip("numpy")
    src, tgt, src_vec, tgt_vec, gold = generated_pair()
    options = dict(keep_unaligned=True, force=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with_vectors = bitext.align(
            src, tgt, embeddings=(np.array(src_vec), np.array(tgt_vec, dtype=np.float64)),
            **options,
        )
        without = bitext.align(src, tgt, **options)
        as_lists = bitext.align(src, tgt, embeddings=(src_vec, tgt_vec), **options)
        many = bitext.align_many(
            [(src, tgt), (src, tgt)], embeddings=[(src_vec, tgt_vec), None], learn=False,
            **options,
        )
        one = bitext.align(src, tgt, embeddings=(src_vec, tgt_vec), learn=False, **options)
    assert pairs_of(with_vectors) == gold
    assert pairs_of(without) != gold
    assert pairs_of(as_lists) == gold
    assert many[0] == one
    assert pairs_of(many[1]) != gold


def test_embeddings_that_do_not_fit_raise_naming_the_side():
    src, tgt, src_vec, tgt_vec, _ = generated_pair()
    with pytest.raises(bitext.BitextError, match="58 target sentences") as info:
        bitext.align(src, tgt, embeddings=(src_vec, src_vec), force=True)
    assert info.value.path == "tgt:embeddings"
    with pytest.raises(ValueError, match="one .src, tgt. or None a pair"):
        bitext.align_many([(src, tgt)], embeddings=[None, None], force=True)


def test_embedding_weight_scales_the_evidence_and_is_checked():
    src, tgt, src_vec, tgt_vec, gold = generated_pair()
    options = dict(keep_unaligned=True, force=True, learn=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        weightless = bitext.align(
            src, tgt, embeddings=(src_vec, tgt_vec), embedding_weight=0.0, **options
        )
        without = bitext.align(src, tgt, **options)
        weighted = bitext.align(
            src, tgt, embeddings=(src_vec, tgt_vec), embedding_weight=10.0, **options
        )
    assert pairs_of(weightless) == pairs_of(without)
    assert pairs_of(weighted) == gold
    for bad in (-1.0, float("nan"), float("inf")):
        with pytest.raises(ValueError, match="embedding_weight"):
            bitext.align(src, tgt, embeddings=(src_vec, tgt_vec), embedding_weight=bad, **options)
