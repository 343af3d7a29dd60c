"""bitext.evaluate against the CLI's eval --json (Text+Berg, the eval fixtures), the writers
against the CLI's outputs, translation memories read and looked up, errors with their location,
warnings through Python's warnings."""

import json
import warnings

import pytest

import bitext
from conftest import FIXTURES, read_links, run_cli

EN = "The SCO met in Beijing. It was chaired by China."
RU = "ШОС собралась в Пекине. Председательствовал Китай."


def test_evaluate_of_files_is_the_cli_eval_json():
    system, gold = FIXTURES / "eval" / "scored.links", FIXTURES / "eval" / "scored.gold"
    cli = json.loads(run_cli("eval", "-t", system, "-g", gold, "--json"))
    assert bitext.evaluate([system], [gold]) == cli
    cli = json.loads(run_cli("eval", "-t", system, "-g", gold, "--json", "--min-score", "0.5", "--per-doc"))
    assert bitext.evaluate([system], [gold], min_score=0.5, per_doc=True) == cli


def test_evaluate_takes_links_in_memory():
    gold = read_links(FIXTURES / "sco-paris-pact-beijing.links")
    en = (FIXTURES / "sco-paris-pact-beijing.en.txt").read_text(encoding="utf-8")
    ru = (FIXTURES / "sco-paris-pact-beijing.ru.txt").read_text(encoding="utf-8")
    result = bitext.evaluate([bitext.align(en, ru)], [gold])
    assert result["total"]["strict"]["f1"] == 1.0
    assert result["total"]["pairs"] == 1
    assert "reliability" in result


TEST_DOCS = [f"test{i}" for i in range(7)]


def test_text_berg_through_evaluate_equals_the_cli(bleualign, tmp_path):
    golds = [bleualign / f"{d}.defr" for d in TEST_DOCS]
    # The reference outputs the README's table cites: file paths through evaluate.
    systems = [bleualign / "reference_outputs" / "hunalign-nulldic" / f"{d}.align" for d in TEST_DOCS]
    args = ["eval", "-t", *systems, "-g", *golds, "--json"]
    assert bitext.evaluate(systems, golds) == json.loads(run_cli(*args))
    # bitext's own alignment as a batch: align_many in memory against the CLI's --batch.
    manifest = tmp_path / "m.tsv"
    manifest.write_text(
        "".join(
            f"{bleualign / d}.de\t{bleualign / d}.fr\t{tmp_path / d}.links\n" for d in TEST_DOCS
        )
    )
    run_cli("align", "--batch", manifest, "--presplit", "--src-lang", "de", "--tgt-lang", "fr", "-f", "links")
    cli_files = [tmp_path / f"{d}.links" for d in TEST_DOCS]
    cli = json.loads(run_cli("eval", "-t", *cli_files, "-g", *golds, "--json"))
    pairs = [
        ((bleualign / f"{d}.de").read_text(encoding="utf-8"), (bleualign / f"{d}.fr").read_text(encoding="utf-8"))
        for d in TEST_DOCS
    ]
    many = bitext.align_many(pairs, src_lang="de", tgt_lang="fr", presplit=True, keep_unaligned=True)
    ours = bitext.evaluate(many, golds)
    for kind in ("strict", "lax"):
        for figure in ("precision", "recall", "f1"):
            assert ours["total"][kind][figure] == pytest.approx(cli["total"][kind][figure], abs=1e-12)
    assert ours["total"]["counts"] == cli["total"]["counts"]
    assert ours["total"]["strict"]["f1"] > 0.85


def test_a_gold_file_with_a_bad_line_raises_with_its_line(tmp_path):
    gold = tmp_path / "bad.links"
    gold.write_text("[0]:[0]\n[1]:[1]\nnot a link\n")
    with pytest.raises(bitext.BitextError) as info:
        bitext.evaluate([[([0], [0])]], [gold])
    assert info.value.kind == "syntax"
    assert info.value.path == str(gold)
    assert info.value.line == 3


def test_a_mismatch_warns_through_python_warnings():
    with pytest.warns(bitext.BitextWarning, match=r"^system\[0\]: the system file holds no link"):
        result = bitext.evaluate([[]], [[([0], [0])]], per_doc=True)
    assert result["documents"][0]["test"] == "system[0]"
    assert result["documents"][0]["gold"] == "gold[0]"


@pytest.mark.parametrize("fmt", ["tsv", "csv", "jsonl", "links", "tmx"])
def test_writers_write_what_the_cli_writes(tmp_path, fmt):
    en = FIXTURES / "sco-counter-narcotics-2018.en.txt"
    ru = FIXTURES / "sco-counter-narcotics-2018.ru.txt"
    env = {"SOURCE_DATE_EPOCH": "1700000000"}
    cli_out = tmp_path / f"cli.{fmt}"
    run_cli("align", en, ru, "-o", cli_out, "--keep-unaligned", env=env)
    links = bitext.align(en.read_text(encoding="utf-8"), ru.read_text(encoding="utf-8"), keep_unaligned=True)
    ours = tmp_path / f"py.{fmt}"
    import os

    old = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = "1700000000"
    try:
        n = bitext.write(links, ours, keep_unaligned=True)
    finally:
        if old is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = old
    if fmt == "links":
        # The links format keeps the scores at full precision; Links hold 4 decimals.
        assert read_links(ours) == read_links(cli_out)
    else:
        assert ours.read_text(encoding="utf-8") == cli_out.read_text(encoding="utf-8")
    assert n > 0


def test_write_tmx_reads_back_through_tm_read(tmp_path):
    links = bitext.align(EN, RU)
    path = tmp_path / "out.tmx"
    assert bitext.write_tmx(links, path, src_tag="en-GB", tgt_tag="ru-RU") == 2
    units = list(bitext.tm.read(path))
    assert [[v["lang"] for v in u["variants"]] for u in units] == [["en-GB", "ru-RU"]] * 2
    assert units[1]["variants"][1]["text"] == "Председательствовал Китай."
    assert ("x-link", "1-1") in units[0]["props"]


def test_write_refuses_links_that_are_not_consecutive(tmp_path):
    with pytest.raises(ValueError, match="consecutive"):
        bitext.write([bitext.Link([0, 2], [0], "a", "b", 0.5)], tmp_path / "x.tsv")


def test_tm_read_yields_units_of_every_format(tmp_path):
    path = tmp_path / "m.tsv"
    bitext.write(bitext.align(EN, RU), path)
    units = list(bitext.tm.read(path))
    assert len(units) == 2 and units[0]["variants"][0]["text"] == "The SCO met in Beijing."


def test_broken_xml_raises_with_line_and_column():
    with pytest.raises(bitext.BitextError) as info:
        list(bitext.tm.read(FIXTURES / "tm" / "broken-xml.tmx"))
    assert info.value.kind == "xml"
    assert info.value.path.endswith("broken-xml.tmx")
    assert info.value.line is not None and info.value.column is not None


def test_a_missing_file_raises_an_io_error_naming_it(tmp_path):
    with pytest.raises(bitext.BitextError) as info:
        list(bitext.tm.read(tmp_path / "none.tmx"))
    assert info.value.kind == "io" and info.value.path.endswith("none.tmx")


def test_lookup_finds_fuzzy_matches_as_the_cli(tmp_path):
    path = tmp_path / "m.tmx"
    bitext.write_tmx(bitext.align(EN, RU), path)
    query = "The SCO met in Beijing"
    matches = bitext.tm.lookup(path, query)
    cli = json.loads(run_cli("tm", "lookup", path, query, "--json"))
    assert matches == cli["matches"]
    assert matches[0]["target"] == "ШОС собралась в Пекине."
    index = bitext.tm.Index(path)
    assert len(index) == 2
    assert bitext.tm.lookup(path, [query, "nothing like it"])[1] == []
