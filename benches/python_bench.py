#!/usr/bin/env python3
"""Timings of the Python package against the CLI (not a test: prints a table).

    python benches/python_bench.py [--bin target/release/bitext] [--pairs 2000] [--calls 200]
                                   [--no-spark]

1. Overhead per call: ``bitext.align`` in a loop, against one ``bitext align A B -o OUT``
   process a pair, and against the same pairs through one ``bitext align --stream --threads 1``
   (the library's own cost a document, no process start): the difference between the first
   and the last is what the Python layer adds per call.
2. Throughput in document pairs per second on a generated corpus (``python/tests/corpus.py``):
   ``examples/spark_align.py`` in Spark local mode with 1 and 2 cores (wall time of the whole
   job, JVM start and Parquet write included, and the time of its Spark job alone), against
   ``bitext align --stream --threads 1`` and ``--threads 2``, and ``bitext.align_many``.

Needs the package installed (``pip install ./python``), and pyspark, pandas, pyarrow and a Java
runtime for part 2.
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "python" / "tests"))

import bitext  # noqa: E402
from corpus import make_corpus  # noqa: E402

EN = "The SCO met in Beijing. It was chaired by China."
RU = "ШОС собралась в Пекине. Председательствовал Китай."


def timed(fn):
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def stream_time(binary, lines, threads):
    data = "".join(lines).encode()
    return timed(
        lambda: subprocess.run(
            [binary, "align", "--stream", "--threads", str(threads)],
            input=data, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
    )


def overhead(binary, calls, directory):
    fixture = ROOT / "fixtures"
    pairs = {
        "2 sentences": (EN, RU),
        "SCO release (19/18 sentences)": (
            (fixture / "sco-counter-narcotics-2018.en.txt").read_text(encoding="utf-8"),
            (fixture / "sco-counter-narcotics-2018.ru.txt").read_text(encoding="utf-8"),
        ),
    }
    rows = []
    for name, (en, ru) in pairs.items():
        a, b = Path(directory, "a.txt"), Path(directory, "b.txt")
        a.write_text(en, encoding="utf-8")
        b.write_text(ru, encoding="utf-8")
        bitext.align(en, ru)  # warm up
        py = timed(lambda: [bitext.align(en, ru) for _ in range(calls)]) / calls
        n_cli = max(10, calls // 10)
        out = Path(directory, "out.jsonl")
        cli = timed(
            lambda: [
                subprocess.run([binary, "align", a, b, "-o", out, "--quiet"], check=True,
                               stderr=subprocess.DEVNULL)
                for _ in range(n_cli)
            ]
        ) / n_cli
        line = json.dumps({"id": 1, "src": en, "tgt": ru}, ensure_ascii=False) + "\n"
        stream = stream_time(binary, [line] * calls, 1) / calls
        rows.append((name, py, cli, stream))
    print("Overhead per call (ms): bitext.align | one CLI process | --stream --threads 1, per doc")
    for name, py, cli, stream in rows:
        print(f"  {name:32} {py * 1e3:8.3f} | {cli * 1e3:8.2f} | {stream * 1e3:8.3f}"
              f"   (Python adds {(py - stream) * 1e3:+.3f} ms a call)")


def spark_time(corpus, out, cores):
    started = time.perf_counter()
    job = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "spark_align.py"), "--master", f"local[{cores}]",
         str(corpus), str(out)],
        capture_output=True, text=True,
    )
    if job.returncode != 0:
        raise SystemExit(job.stderr[-3000:])
    whole = time.perf_counter() - started
    inner = re.search(r"spark_align: aligned .* in ([0-9.]+) s", job.stderr)
    return whole, float(inner.group(1)) if inner else float("nan")


def throughput(binary, pairs, directory, spark):
    corpus = make_corpus(Path(directory, "pairs.jsonl"), pairs)
    lines = corpus.read_text(encoding="utf-8").splitlines(keepends=True)
    records = [json.loads(l) for l in lines]
    docs = [(r["src"], r["tgt"]) for r in records]
    stream_time(binary, lines, 1)  # warm the page cache
    print(f"\nThroughput on {pairs} generated EN-RU pairs (document pairs per second):")
    for threads in (1, 2):
        t = stream_time(binary, lines, threads)
        print(f"  bitext align --stream --threads {threads}: {pairs / t:8.0f}  ({t:.2f} s)")
    for threads in (1, 2):
        t = timed(lambda: bitext.align_many(docs, threads=threads, learn_over_batch=False,
                                            errors="skip"))
        print(f"  bitext.align_many(threads={threads}):       {pairs / t:8.0f}  ({t:.2f} s)")
    if not spark:
        return
    if not shutil.which("java"):
        print("  Spark: no Java runtime, skipped")
        return
    for cores in (1, 2):
        whole, inner = spark_time(corpus, Path(directory, f"links-{cores}"), cores)
        print(f"  spark_align.py --master local[{cores}]:   {pairs / whole:8.0f}  ({whole:.2f} s, "
              f"whole run with JVM start; the Spark job alone {inner:.2f} s = "
              f"{pairs / inner:.0f} pairs/s)")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--bin", default=str(ROOT / "target" / "release" / "bitext"))
    p.add_argument("--pairs", type=int, default=2000)
    p.add_argument("--calls", type=int, default=200)
    p.add_argument("--no-spark", action="store_true")
    a = p.parse_args()
    # Pairs the aligner refuses are warned about; the timings do not need the noise.
    warnings.simplefilter("ignore", bitext.BitextWarning)
    print(f"load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory() as d:
        overhead(a.bin, a.calls, d)
        throughput(a.bin, a.pairs, d, not a.no_spark)


if __name__ == "__main__":
    main()
