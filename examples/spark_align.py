#!/usr/bin/env python3
"""Align a corpus of document pairs on Spark with the bitext Python package.

    python examples/spark_align.py [--master local[2]] [--src-lang en --tgt-lang ru] INPUT OUTPUT_DIR
    spark-submit --master spark://HOST:7077 examples/spark_align.py INPUT OUTPUT_DIR

INPUT holds one document pair a record, ``id``, ``src``, ``tgt``: JSON lines (what ``bitext
align --stream`` reads) or Parquet (a ``.parquet`` file or directory, or ``--input-format
parquet``). Each executor aligns its share inside ``mapInPandas`` with ``bitext.align_many``
(each pair learning from itself, as ``--stream`` does, so the result does not depend on how
Spark partitions the corpus) and OUTPUT_DIR gets the links as Parquet, one row a link, with the
columns of a ``--stream`` record: ``id, src_ids, tgt_ids, src, tgt, score, type``, links in
document order within each document. A pair that cannot be aligned is left out with a warning
in the executor's log, as ``--stream`` skips it. ``--tmx-dir DIR`` also writes one TMX a
document (``DIR/ID.tmx``; on a cluster DIR must be a file system every executor sees).

Without ``--master`` the master is spark-submit's, or ``local[*]``. Every executor needs the
package: ``pip install ./python`` on each machine (or ship a wheel built with ``pip wheel
./python`` in a virtual environment, see Spark's "Python Package Management").
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time

LINK_FIELDS = [
    ("src_ids", "array<int>"),
    ("tgt_ids", "array<int>"),
    ("src", "string"),
    ("tgt", "string"),
    ("score", "double"),
    ("type", "string"),
]


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("input", help="JSON lines or Parquet of id, src, tgt")
    p.add_argument("output", help="directory for the links as Parquet (replaced)")
    p.add_argument("--master", help="Spark master, e.g. local[2] or spark://host:7077")
    p.add_argument("--src-lang", default="en")
    p.add_argument("--tgt-lang", default="ru")
    p.add_argument("--input-format", choices=["jsonl", "parquet"], help="default: from the name")
    p.add_argument("--presplit", action="store_true", help="src and tgt hold one sentence a line")
    p.add_argument("--min-score", type=float, default=0.0)
    p.add_argument("--keep-unaligned", action="store_true")
    p.add_argument("--no-learn", action="store_true")
    p.add_argument("--partitions", type=int, help="default: 4 per core of the cluster")
    p.add_argument("--tmx-dir", help="also write one TMX a document here")
    return p.parse_args(argv)


def safe_name(doc_id) -> str:
    return re.sub(r"[^A-Za-z0-9._-]", "_", str(doc_id))[:200] or "_"


def make_aligner(args, id_is_string: bool):
    """The function mapInPandas runs on the executors: frames of pairs in, frames of links out."""
    options = dict(
        src_lang=args.src_lang,
        tgt_lang=args.tgt_lang,
        presplit=args.presplit,
        min_score=args.min_score,
        keep_unaligned=args.keep_unaligned,
        learn=not args.no_learn,
        learn_over_batch=False,
        errors="skip",
    )
    tmx_dir = args.tmx_dir
    columns = ["id"] + [name for name, _ in LINK_FIELDS]

    def align_frames(frames):
        import pandas as pd

        import bitext

        for frame in frames:
            pairs = list(zip(frame["src"].tolist(), frame["tgt"].tolist()))
            # One Spark task a core: the task aligns on one thread.
            results = bitext.align_many(pairs, threads=1, **options)
            rows = []
            for doc_id, links in zip(frame["id"].tolist(), results):
                if links is None:
                    continue
                if tmx_dir:
                    os.makedirs(tmx_dir, exist_ok=True)
                    bitext.write_tmx(links, os.path.join(tmx_dir, safe_name(doc_id) + ".tmx"))
                for link in links:
                    rows.append(
                        (doc_id, link.src_ids, link.tgt_ids, link.src, link.tgt, link.score, link.type)
                    )
            yield pd.DataFrame(rows, columns=columns)

    return align_frames


def main(argv=None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.appName("bitext-align")
    if (args.master or "local").startswith("local"):
        # Local mode: the workers run this Python (the one bitext is installed in), not
        # whatever python3 is first on the PATH. A cluster sets PYSPARK_PYTHON itself.
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    if args.master:
        builder = builder.master(args.master)
    elif "spark.master" not in os.environ.get("PYSPARK_SUBMIT_ARGS", ""):
        builder = builder.config("spark.master", os.environ.get("SPARK_MASTER", "local[*]"))
    spark = builder.getOrCreate()
    fmt = args.input_format or (
        "parquet" if args.input.rstrip("/").endswith(".parquet") else "jsonl"
    )
    if fmt == "parquet":
        pairs = spark.read.parquet(args.input)
    else:
        pairs = spark.read.json(args.input)
    missing = {"id", "src", "tgt"} - set(pairs.columns)
    if missing:
        print(f"spark_align: {args.input}: no column {', '.join(sorted(missing))}", file=sys.stderr)
        return 2
    pairs = pairs.select("id", "src", "tgt").where("src IS NOT NULL AND tgt IS NOT NULL")
    id_type = pairs.schema["id"].dataType.simpleString()
    partitions = args.partitions or 4 * spark.sparkContext.defaultParallelism
    schema = f"id {id_type}, " + ", ".join(f"{n} {t}" for n, t in LINK_FIELDS)
    links = pairs.repartition(partitions).mapInPandas(
        make_aligner(args, id_type == "string"), schema=schema
    )
    started = time.perf_counter()
    links.write.mode("overwrite").parquet(args.output)
    print(
        f"spark_align: aligned {args.input} into {args.output} in "
        f"{time.perf_counter() - started:.2f} s",
        file=sys.stderr,
    )
    spark.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
