"""examples/spark_align.py in Spark local mode on a generated corpus of a few hundred document
pairs: its Parquet links equal the CLI's ``bitext align --stream`` output for the same pairs."""

import json
import os
import shutil
import subprocess
import sys

import pytest

from conftest import ROOT, run_cli, skip_or_fail
from corpus import make_corpus

PAIRS = 300


def need_spark():
    try:
        import pandas  # noqa: F401
        import pyarrow  # noqa: F401
        import pyspark  # noqa: F401
    except ImportError as e:
        skip_or_fail(f"the Spark test needs pyspark, pandas and pyarrow ({e})")
    if not (shutil.which("java") or os.environ.get("JAVA_HOME")):
        skip_or_fail("the Spark test needs a Java runtime (Debian: default-jre-headless)")


def by_id(records):
    out = {}
    for r in records:
        out.setdefault(str(r["id"]), []).append(
            (list(r["src_ids"]), list(r["tgt_ids"]), r["src"], r["tgt"], round(r["score"], 4), r["type"])
        )
    return out


@pytest.mark.parametrize("input_format", ["jsonl", "parquet"])
def test_spark_job_in_local_mode_equals_the_stream(tmp_path, input_format):
    need_spark()
    import pandas as pd

    corpus = make_corpus(tmp_path / "pairs.jsonl", PAIRS)
    source = corpus
    if input_format == "parquet":
        source = tmp_path / "pairs.parquet"
        pd.read_json(corpus, lines=True, dtype={"id": str}).to_parquet(source)
    out = tmp_path / "links"
    tmx = tmp_path / "tmx"
    job = subprocess.run(
        [
            sys.executable,
            str(ROOT / "examples" / "spark_align.py"),
            "--master",
            "local[2]",
            "--src-lang",
            "en",
            "--tgt-lang",
            "ru",
            *(["--tmx-dir", str(tmx)] if input_format == "jsonl" else []),
            str(source),
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert job.returncode == 0, job.stderr[-4000:]
    frame = pd.read_parquet(out)
    assert list(frame.columns) == ["id", "src_ids", "tgt_ids", "src", "tgt", "score", "type"]
    # A pair the CLI refuses (a short dialogue snippet the document score cannot tell from an
    # unrelated pair: 2 of 300 in the README's measure) is skipped by both.
    text = corpus.read_text(encoding="utf-8")
    stream = [json.loads(l) for l in run_cli("align", "--stream", input=text, check=False).splitlines()]
    expected = by_id(stream)
    got = by_id(frame.to_dict("records"))
    assert len(expected) >= PAIRS * 0.95
    assert got.keys() == expected.keys()
    for doc in expected:
        assert got[doc] == expected[doc], doc
    if input_format == "jsonl":
        assert len(list(tmx.glob("*.tmx"))) == len(expected)
