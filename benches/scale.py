#!/usr/bin/env python3
"""Whole-process scale bench of `bitext align` on long DE-FR bitexts (issue 4).

For each size N (source sentences; default 10k, 50k, 100k, 200k; --quick: 10k and 50k) it
generates, with benches/long_bitext.py (seeded), a long bitext of the Text+Berg gold documents
and its gold links, then runs

    bitext align --presplit --src-lang de --tgt-lang fr SRC TGT -f links -o OUT

as a child process and reports:

* wall time, best of R runs (--runs, default 3; a run longer than --repeat-limit seconds is
  not repeated), and the peak resident memory of that child (os.wait4, per child);
* strict (and lax) F1 from `bitext eval --json` against the long gold;
* the per-document figure on the same text: each of the 8 documents aligned separately by
  bitext, those alignments stitched in the same order and with the same offsets as the long
  text, scored against the same long gold;
* the omission variant (--omit, default 1,000 target sentences removed from the middle):
  wall time, peak RSS and strict F1;
* the time/size exponent log(t/t_min) / log(n/n_min) from the smallest size to each size.

A run that exceeds --timeout seconds is killed and shown as `>T`. Prints a markdown table
ready to paste into the README, with the date, commit and machine.

Usage (from the repository root; builds the release binary first unless --no-build):
  python3 benches/scale.py [--quick] [--sizes 10000,50000] [--runs 3] [--timeout 600]
"""

import argparse
import datetime
import json
import math
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time

sys.dont_write_bytecode = True  # importing long_bitext leaves no __pycache__ in benches/
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import long_bitext  # noqa: E402  (the generator beside this script)


class Run:
    """One child process: wall seconds, peak RSS in MB, whether it was killed, its stdout."""

    def __init__(self, seconds, rss_mb, timed_out, returncode, stdout=""):
        self.seconds = seconds
        self.rss_mb = rss_mb
        self.timed_out = timed_out
        self.returncode = returncode
        self.stdout = stdout

    @property
    def failed(self):
        """Ended with an error or a signal that this script did not send."""
        return self.returncode != 0 and not self.timed_out

    @property
    def usable(self):
        return self.returncode == 0


def run_child(argv, timeout, capture=False):
    """Runs argv; wall time and peak RSS of this very child (not RUSAGE_CHILDREN's max), and
    its stdout when `capture` (benches/peers.py uses this too)."""
    lock = threading.Lock()
    state = {"reaped": False, "killed": False}
    start = time.perf_counter()
    stdout = subprocess.PIPE if capture else subprocess.DEVNULL
    proc = subprocess.Popen(argv, stdout=stdout, stderr=subprocess.PIPE)

    def kill():
        with lock:
            if not state["reaped"]:
                state["killed"] = True
                proc.kill()

    timer = threading.Timer(timeout, kill) if timeout else None
    if timer:
        timer.start()
    # Drain the pipes while it runs (a full pipe would block the child).
    out, err = [], []
    readers = [threading.Thread(target=lambda: err.append(proc.stderr.read()))]
    if capture:
        readers.append(threading.Thread(target=lambda: out.append(proc.stdout.read())))
    for reader in readers:
        reader.start()
    # Wait without reaping, so the timer can never signal a recycled pid.
    os.waitid(os.P_PID, proc.pid, os.WEXITED | os.WNOWAIT)
    seconds = time.perf_counter() - start
    with lock:
        state["reaped"] = True
    if timer:
        timer.cancel()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    for reader in readers:
        reader.join()
    if proc.returncode != 0 and not state["killed"]:
        # Reported in the table (a negative code is a signal from elsewhere, e.g. the OOM
        # killer); the other sizes still run.
        sys.stderr.write(err[0].decode("utf-8", "replace") if err else "")
        sys.stderr.write(f"failed ({proc.returncode}): {' '.join(argv)}\n")
    # ru_maxrss is in kilobytes on Linux.
    stdout = out[0].decode() if out else ""
    return Run(seconds, usage.ru_maxrss / 1024.0, state["killed"], proc.returncode, stdout)


def best_of(argv, runs, repeat_limit, timeout):
    """The fastest of up to `runs` runs (one only when a run exceeds repeat_limit or times out)."""
    best = None
    for _ in range(runs):
        r = run_child(argv, timeout)
        if best is None or not best.usable or (r.usable and r.seconds < best.seconds):
            best = r
        if not r.usable or r.seconds > repeat_limit:
            break
    return best


def align_argv(binary, src, tgt, out):
    return [binary, "align", "--presplit", "--src-lang", "de", "--tgt-lang", "fr",
            src, tgt, "-f", "links", "-o", out]


def evaluate(binary, system, gold):
    """(strict F1, lax F1) of one alignment file against one gold file."""
    out = subprocess.run([binary, "eval", "-t", system, "-g", gold, "--json"],
                         check=True, capture_output=True, text=True).stdout
    total = json.loads(out)["total"]
    return total["strict"]["f1"], total["lax"]["f1"]


def generate(data, n, seed, omit, tmp, tag, stitch_dir=None):
    """Writes the long bitext (and the stitched per-document alignment); returns its paths."""
    paths = {k: os.path.join(tmp, f"{tag}.{k}") for k in ("de", "fr", "defr", "perdoc")}
    args = argparse.Namespace(
        sentences=n, seed=seed, data=data, omit=omit,
        src=paths["de"], tgt=paths["fr"], gold=paths["defr"],
        stitch_dir=stitch_dir, stitch_out=paths["perdoc"] if stitch_dir else None,
    )
    paths["n"], paths["m"] = long_bitext.generate(args)
    return paths


def git_commit():
    try:
        head = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"],
                              check=True, capture_output=True, text=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", ROOT, "status", "--porcelain", "--", "src", "Cargo.toml"],
                               check=True, capture_output=True, text=True).stdout.strip()
        return head + (" (src modified)" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def cpu_name():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def seconds(run):
    if run is None:
        return "—"
    if run.failed:
        return f"failed (exit {run.returncode})"
    return f">{run.seconds:.0f}" if run.timed_out else f"{run.seconds:.2f}"


def exponent(n0, t0, n, t):
    if t0 is None or t is None or n == n0 or t0 <= 0:
        return "—"
    return f"{math.log(t / t0) / math.log(n / n0):.2f}"


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--sizes", default="10000,50000,100000,200000",
                   help="comma-separated source sentence counts")
    p.add_argument("--quick", action="store_true", help="sizes 10000,50000 only")
    p.add_argument("--runs", type=int, default=3, help="best of this many runs (default 3)")
    p.add_argument("--repeat-limit", type=float, default=60.0,
                   help="do not repeat a run that took longer than this many seconds (default 60)")
    p.add_argument("--timeout", type=float, default=600.0,
                   help="kill a run after this many seconds (default 600; 0 = never)")
    p.add_argument("--omit", type=int, default=1000,
                   help="target sentences removed for the omission variant (0 = skip it)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--data", default=long_bitext.DEFAULT_DATA)
    p.add_argument("--bin", default=os.path.join(ROOT, "target", "release", "bitext"))
    p.add_argument("--label", help="what the table says was measured (default: this checkout's commit)")
    p.add_argument("--no-build", action="store_true", help="do not run cargo build --release")
    p.add_argument("--keep", help="write the generated files here instead of a temporary dir")
    args = p.parse_args()
    sizes = [10000, 50000] if args.quick else [int(s) for s in args.sizes.split(",") if s]

    if not os.path.isdir(args.data):
        raise SystemExit(f"{args.data}: no Text+Berg data (../shared/data/bleualign)")
    if not args.no_build:
        subprocess.run(["cargo", "build", "--release", "-q"], cwd=ROOT, check=True)
    commit = args.label or git_commit()  # what is measured, taken before the long runs

    tmp_ctx = None
    if args.keep:
        os.makedirs(args.keep, exist_ok=True)
        tmp = args.keep
    else:
        tmp_ctx = tempfile.TemporaryDirectory(prefix="bitext-scale-")
        tmp = tmp_ctx.name

    # A private copy of the binary, so a rebuild during the run cannot change what is measured.
    binary = os.path.join(tmp, "bitext")
    shutil.copy2(args.bin, binary)
    args.bin = binary

    # Per-document alignments, once: the same text aligned document by document.
    per_doc_dir = os.path.join(tmp, "perdoc")
    os.makedirs(per_doc_dir, exist_ok=True)
    for d in long_bitext.DOCS:
        run_child(align_argv(args.bin, os.path.join(args.data, d + ".de"),
                             os.path.join(args.data, d + ".fr"),
                             os.path.join(per_doc_dir, d + ".align")), args.timeout)

    rows = []
    for n in sizes:
        intact = generate(args.data, n, args.seed, 0, tmp, f"n{n}", per_doc_dir)
        out = os.path.join(tmp, f"n{n}.out")
        print(f"# {intact['n']} x {intact['m']}: aligning", file=sys.stderr, flush=True)
        run = best_of(align_argv(args.bin, intact["de"], intact["fr"], out),
                      args.runs, args.repeat_limit, args.timeout)
        f1 = evaluate(args.bin, out, intact["defr"]) if run.usable else (None, None)
        per_doc = evaluate(args.bin, intact["perdoc"], intact["defr"])
        row = {"n": intact["n"], "m": intact["m"], "run": run, "f1": f1, "per_doc": per_doc}
        if args.omit:
            om = generate(args.data, n, args.seed, args.omit, tmp, f"n{n}-omit")
            om_out = os.path.join(tmp, f"n{n}-omit.out")
            print(f"# {om['n']} x {om['m']} (omission): aligning", file=sys.stderr, flush=True)
            om_run = best_of(align_argv(args.bin, om["de"], om["fr"], om_out),
                             args.runs, args.repeat_limit, args.timeout)
            om_f1 = evaluate(args.bin, om_out, om["defr"]) if om_run.usable else (None, None)
            row.update(om_m=om["m"], om_run=om_run, om_f1=om_f1)
        rows.append(row)
        print(f"# done {row['n']}: {seconds(run)} s, {run.rss_mb:.0f} MB, strict F1 {f1[0]}, "
              f"per-doc {per_doc[0]:.4f}"
              + (f"; omission {seconds(row['om_run'])} s, strict F1 {row['om_f1'][0]}" if args.omit else ""),
              file=sys.stderr, flush=True)

    def fig(x):
        return "—" if x is None else f"{x:.3f}"

    base = rows[0]
    base_t = base["run"].seconds if base["run"].usable else None
    print(f"Scale bench, {datetime.date.today().isoformat()}, commit {commit}, "
          f"{os.cpu_count()} cores ({cpu_name()}); best of {args.runs} runs "
          f"(runs over {args.repeat_limit:.0f} s once), timeout {args.timeout:.0f} s, seed {args.seed}.")
    print(f"Command: python3 benches/scale.py {' '.join(sys.argv[1:])}".rstrip())
    print()
    head = ["sentences (src x tgt)", "wall s", "peak RSS MB", "strict F1", "lax F1",
            "per-doc strict F1", "exponent"]
    if args.omit:
        head += [f"omit {args.omit}: tgt", "wall s", "peak RSS MB", "strict F1"]
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for r in rows:
        t = r["run"].seconds if r["run"].usable else None
        cells = [f"{r['n']:,} x {r['m']:,}", seconds(r["run"]), f"{r['run'].rss_mb:.0f}",
                 fig(r["f1"][0]), fig(r["f1"][1]), fig(r["per_doc"][0]),
                 exponent(base["n"], base_t, r["n"], t)]
        if args.omit:
            cells += [f"{r['om_m']:,}", seconds(r["om_run"]), f"{r['om_run'].rss_mb:.0f}",
                      fig(r["om_f1"][0])]
        print("| " + " | ".join(cells) + " |")
    last = rows[-1]
    if len(rows) > 1 and base_t and last["run"].usable:
        print()
        print(f"Time/size exponent {base['n']:,} -> {last['n']:,} source sentences: "
              f"{exponent(base['n'], base_t, last['n'], last['run'].seconds)}")
    if tmp_ctx:
        tmp_ctx.cleanup()


if __name__ == "__main__":
    main()
