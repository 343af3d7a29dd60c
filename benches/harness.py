#!/usr/bin/env python3
"""Comparing harness (issue 19): bitext beside hunalign and xmllint, same inputs, same run.

Measures and prints; asserts nothing. Every figure is printed beside a reference measured in
the same run on the same machine (absolute times differ between machines by 1.5x or more):

* the 7 Text+Berg test documents (../shared/data/bleualign, DE-FR, one sentence a line):
  bitext as one `--batch` process and as one process per document, hunalign as one process
  per document (how it is used); reference: hunalign;
* a generated text of --long source sentences (benches/long_bitext.py, the generator
  benches/scale.py uses; default 10,000) for bitext and hunalign; reference: hunalign;
* a generated text of --big source sentences (default 200,000; about 200k x 215k) for bitext
  alone, --big-runs runs (default 1), with its peak RSS;
* the memory commands (`bitext tm convert`, `dedupe`, `filter`) on a TMX written by
  `bitext align -f tmx` from the largest generated text (or --tmx FILE); reference:
  `xmllint --stream --noout` on the same TMX (skipped when xmllint is absent).

bitext runs as `bitext align --presplit --src-lang de --tgt-lang fr SRC TGT -f links -o OUT`
(the batch from a manifest of `SRC<TAB>TGT<TAB>OUT` lines); hunalign as
`hunalign [--hunalign-args] DICT SRC TGT` with an empty dictionary (--hunalign-dict to give
one) and its default ladder output, turned into bitext's links format (consecutive rungs
bound a bead; a bead with one side empty becomes one null link per sentence, as in the gold
files). Outputs are scored by `bitext eval --json` (strict and lax F1) against the gold.

Each command is a child process: wall time (best of --runs; the commands of one input take
turns run by run, so a load change on the shared machine hits all of them alike), CPU time
(user + sys of that child, os.wait4; the run with the best wall time) and its peak RSS. For
one process per document, wall and CPU are the sums over the documents and RSS the largest.

--callgrind: instruction counts (`valgrind --tool=callgrind`, the `Collected` figure) of
bitext's profiling build (target/profiling/bitext, `cargo build --profile profiling`) on the
7-document batch and per document, of each --also build's batch and (with --also) of the
main release binary's batch beside them, and of hunalign on the 7 documents (summed), with
ratios to hunalign's. bitext is counted with `--threads 1`: with more workers, rayon's idle
threads spin before they sleep, and under valgrind (which runs one thread at a time) how long
they spin depends on scheduling (the default 2 threads on 2 cores counted 558M and 562M on one
binary, `--threads 1` 545M and 541M; what is left is the run-to-run spread, about 1%).

hunalign is not fetched or built by this script: build it from its public source
(github.com/danielvarga/hunalign, `src/hunalign`, `make`) outside the repository and pass
--hunalign /path/to/hunalign; without it its rows are left out with a note.

Usage (from the repository root):
  python3 benches/harness.py --hunalign /work/peers/hunalign [--runs 5] [--callgrind]
      [--long 10000] [--big 200000] [--big-runs 1] [--tmx FILE] [--no-tm] [--also NAME=BIN]

Release profile (Cargo.toml [profile.release]: only `debug = false`, so cargo's defaults
lto = false (thin-local), codegen-units = 16): to measure another choice, build it into its
own target directory with cargo's --config overrides (e.g. `CARGO_TARGET_DIR=/tmp/t-lto cargo
build --release --config 'profile.release.lto="fat"' --config 'profile.release.codegen-units=1'`)
and pass it as --also lto-fat=/tmp/t-lto/release/bitext (add --callgrind for its count).

Data: Bleualign (c) 2010 Rico Sennrich, GPL-2.0 (see ../shared/data/bleualign/README.md).
"""

import argparse
import contextlib
import datetime
import json
import os
import re
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
from scale import cpu_name, git_commit  # noqa: E402  (the same header as the scale bench)

TMP = None  # the run's temporary directory
TEST = [f"test{i}" for i in range(7)]
LANGS = ["--presplit", "--src-lang", "de", "--tgt-lang", "fr"]


# ---------------------------------------------------------------- measuring

class Run:
    def __init__(self, wall, cpu, rss_mb, code, killed=False):
        self.wall, self.cpu, self.rss_mb, self.code, self.killed = wall, cpu, rss_mb, code, killed

    @property
    def ok(self):
        return self.code == 0 and not self.killed


def run_child(argv, timeout, stdout_path=None):
    """One child: wall seconds, CPU seconds (user + sys of this very child) and peak RSS (MB).
    It runs in the run's temporary directory (hunalign writes a translate.txt where it runs)."""
    out = open(stdout_path, "wb") if stdout_path else subprocess.DEVNULL
    err = tempfile.TemporaryFile()
    lock = threading.Lock()
    state = {"reaped": False, "killed": False}
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=out, stderr=err, cwd=TMP)

    def kill():
        with lock:
            if not state["reaped"]:
                state["killed"] = True
                proc.kill()

    timer = threading.Timer(timeout, kill) if timeout else None
    if timer:
        timer.start()
    # Wait without reaping, so the timer can never signal a recycled pid.
    os.waitid(os.P_PID, proc.pid, os.WEXITED | os.WNOWAIT)
    wall = time.perf_counter() - start
    with lock:
        state["reaped"] = True
    if timer:
        timer.cancel()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = code = os.waitstatus_to_exitcode(status)
    if stdout_path:
        out.close()
    if code != 0 and not state["killed"]:
        err.seek(0)
        sys.stderr.write(err.read().decode("utf-8", "replace")[-2000:])
        sys.stderr.write(f"failed ({code}): {' '.join(argv)}\n")
    err.close()
    # ru_maxrss is in kilobytes on Linux. It is at least this script's own peak RSS: Linux
    # charges the parent's address space to the child at exec (vfork/posix_spawn share it),
    # hence peak_rss() below.
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024.0, code, state["killed"])


GNU_TIME = "/usr/bin/time" if os.access("/usr/bin/time", os.X_OK) else None


def peak_rss(steps, timeout, tmp):
    """Peak RSS (MB) of the steps' largest process, from one extra run under GNU time (its
    %M, the child's own ru_maxrss: time's small address space is the floor, not this
    script's); None without GNU time (then the timed runs' figure stands, floored by this
    script's RSS)."""
    if not GNU_TIME:
        return None
    top = 0.0
    report = os.path.join(tmp, "time.out")
    for argv, stdout_path in steps:
        r = run_child([GNU_TIME, "-f", "%M", "-o", report, *argv], 0, stdout_path)
        if not r.ok:
            return None
        with open(report) as f:
            top = max(top, int(f.read().split()[-1]) / 1024.0)
    return top


def run_steps(steps, timeout):
    """Several children one after the other (one process per document): summed wall and CPU,
    largest RSS."""
    total = Run(0.0, 0.0, 0.0, 0)
    for argv, stdout_path in steps:
        r = run_child(argv, timeout, stdout_path)
        total.wall += r.wall
        total.cpu += r.cpu
        total.rss_mb = max(total.rss_mb, r.rss_mb)
        if not r.ok:
            total.code, total.killed = r.code, r.killed
            break
    return total


class Command:
    """A measured command of the table: steps (argv, stdout file or None), a scorer."""

    def __init__(self, label, steps, score=None, procs=1, ref=False, bytes_in=None):
        self.label, self.steps, self.procs, self.score = label, steps, procs, score
        self.ref, self.bytes_in = ref, bytes_in
        self.best = None
        self.f1 = (None, None)


def measure(commands, runs, timeout):
    """Runs the commands in turn, `runs` rounds; keeps each command's best wall time and CPU
    time of that run; then one more run of each for its peak RSS (peak_rss)."""
    for round_ in range(runs):
        this = []  # this round's times (the best so far is what the table keeps)
        for c in commands:
            if c.best is not None and not c.best.ok:
                continue  # a failed or killed command is not repeated
            r = run_steps(c.steps, timeout)
            this.append(f"{c.label} {r.wall:.3f}s")
            if c.best is None or not r.ok or r.wall < c.best.wall:
                c.best = r
        print(f"# round {round_ + 1}/{runs}: " + ", ".join(this), file=sys.stderr, flush=True)
    for c in commands:
        if c.best.ok:
            rss = peak_rss(c.steps, timeout, TMP)
            if rss is not None:
                c.best.rss_mb = rss
        if c.score and c.best.ok:
            c.f1 = c.score()


# ---------------------------------------------------------------- inputs and outputs

def read_lines(path):
    with open(path, encoding="utf-8") as f:
        return f.read().splitlines()


def ladder_to_links(ladder_path, n, m, out_path):
    """hunalign's ladder (`i<TAB>j<TAB>score` rungs) -> bitext's links format. Consecutive
    rungs bound a bead; hunalign reads a final empty sentence after the last newline, so the
    rungs are clipped to the real n x m; a bead with one empty side becomes one null link per
    sentence (as in the gold files)."""
    rungs = []
    with open(ladder_path, encoding="utf-8") as f:
        for line in f:
            parts = line.split("\t")
            if len(parts) >= 2:
                rungs.append((min(int(parts[0]), n), min(int(parts[1]), m)))
    if not rungs or rungs[0] != (0, 0):
        rungs.insert(0, (0, 0))
    if rungs[-1] != (n, m):
        rungs.append((n, m))

    def fmt(ids):
        return "[" + ", ".join(str(i) for i in ids) + "]"

    with open(out_path, "w", encoding="utf-8") as out:
        for (i0, j0), (i1, j1) in zip(rungs, rungs[1:]):
            src, tgt = list(range(i0, i1)), list(range(j0, j1))
            if src and tgt:
                out.write(f"{fmt(src)}:{fmt(tgt)}\n")
            else:
                for i in src:
                    out.write(f"[{i}]:[]\n")
                for j in tgt:
                    out.write(f"[]:[{j}]\n")


def evaluate(binary, systems, golds):
    argv = [binary, "eval", "--json", "-t", *systems, "-g", *golds]
    total = json.loads(subprocess.run(argv, check=True, capture_output=True, text=True).stdout)["total"]
    return total["strict"]["f1"], total["lax"]["f1"]


def target_dir():
    return os.environ.get("CARGO_TARGET_DIR") or os.path.join(ROOT, "target")


def ensure_built(path, cargo_args, what):
    if not os.path.exists(path):
        print(f"# {path} missing: cargo build {' '.join(cargo_args)}", file=sys.stderr, flush=True)
        subprocess.run(["cargo", "build", "-q", *cargo_args], cwd=ROOT, check=True)
    if not os.path.exists(path):
        raise SystemExit(f"{path}: no {what} after the build (set --bitext or CARGO_TARGET_DIR)")


def tool_version(argv):
    try:
        r = subprocess.run(argv, capture_output=True, text=True, timeout=10)
        text = (r.stdout + r.stderr).strip().splitlines()
        return text[0] if text else ""
    except (OSError, subprocess.TimeoutExpired):
        return ""


# ---------------------------------------------------------------- callgrind

def one_thread(steps):
    """bitext steps with `--threads 1` (see --callgrind in the docstring)."""
    return [([argv[0], argv[1], "--threads", "1", *argv[2:]], o) for argv, o in steps]


def callgrind(steps, tmp, tag):
    """Instructions executed (callgrind's `Collected`), summed over the steps."""
    total = 0
    for k, (argv, stdout_path) in enumerate(steps):
        out_file = os.path.join(tmp, f"callgrind.{tag}.{k}")
        r = subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out_file}", *argv], cwd=tmp,
                           stdout=open(stdout_path, "wb") if stdout_path else subprocess.DEVNULL,
                           stderr=subprocess.PIPE, text=False)
        err = r.stderr.decode("utf-8", "replace")
        found = re.search(r"Collected\s*:\s*([\d,]+)", err) or re.search(r"I\s+refs:\s*([\d,]+)", err)
        if r.returncode != 0 or not found:
            sys.stderr.write(err[-2000:])
            raise SystemExit(f"callgrind failed ({r.returncode}): {' '.join(argv)}")
        total += int(found.group(1).replace(",", ""))
        os.remove(out_file)
    return total


# ---------------------------------------------------------------- main

def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--bitext", help="bitext binary (default $CARGO_TARGET_DIR or target/release/bitext, "
                                     "built with cargo build --release when missing)")
    p.add_argument("--hunalign", help="hunalign binary built from its public source (optional)")
    p.add_argument("--hunalign-dict", help="hunalign's dictionary (default: an empty file)")
    p.add_argument("--hunalign-args", default="", help="extra hunalign options, e.g. -realign")
    p.add_argument("--runs", type=int, default=5, help="best of this many runs (default 5)")
    p.add_argument("--long", type=int, default=10000,
                   help="generated text for bitext and hunalign, source sentences (0 = skip)")
    p.add_argument("--big", type=int, default=200000,
                   help="generated text for bitext alone, source sentences (0 = skip)")
    p.add_argument("--big-runs", type=int, default=1, help="runs of the --big text (default 1)")
    p.add_argument("--tmx", help="TMX for the memory commands (default: written by bitext align -f tmx "
                                  "from the largest generated text)")
    p.add_argument("--no-tm", action="store_true", help="skip the memory commands")
    p.add_argument("--callgrind", action="store_true", help="also instruction counts under callgrind")
    p.add_argument("--profiling-bin", help="bitext built with --profile profiling "
                                           "(default target/profiling/bitext, built when missing)")
    p.add_argument("--timeout", type=float, default=600.0, help="kill a run after this many seconds")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--data", default=long_bitext.DEFAULT_DATA)
    p.add_argument("--also", action="append", default=[], metavar="NAME=BIN",
                   help="another bitext build (e.g. another release profile) run as `--batch` on the "
                        "7 documents and on the --long text beside the others; repeatable")
    p.add_argument("--label", help="what the table says was measured (default: this checkout's commit)")
    args = p.parse_args()
    # Children run in the temporary directory: every path given is made absolute.
    for name in ("data", "bitext", "hunalign", "hunalign_dict", "tmx", "profiling_bin"):
        if getattr(args, name):
            setattr(args, name, os.path.abspath(getattr(args, name)))
    # (A spec without NAME= is left as it is, for the check below to refuse.)
    args.also = [spec.rpartition("=")[0] + "=" + os.path.abspath(spec.rpartition("=")[2]) if "=" in spec else spec
                 for spec in args.also]

    if not os.path.isdir(args.data):
        raise SystemExit(f"{args.data}: no Text+Berg data (../shared/data/bleualign)")
    bitext_path = args.bitext or os.path.join(target_dir(), "release", "bitext")
    if not args.bitext:
        ensure_built(bitext_path, ["--release"], "release binary")
    hunalign = args.hunalign if args.hunalign and os.access(args.hunalign, os.X_OK) else None
    notes = []
    if not hunalign:
        notes.append("hunalign not given (--hunalign BIN) or not executable: its rows and ratios are left out.")
    xmllint = shutil.which("xmllint")
    if not xmllint and not args.no_tm:
        notes.append("xmllint not found: the memory commands are measured without their reference.")
    commit = args.label or git_commit()

    tmp_ctx = tempfile.TemporaryDirectory(prefix="bitext-harness-")
    tmp = tmp_ctx.name
    global TMP
    TMP = tmp
    # A private copy of the binary, so a rebuild during the run cannot change what is measured.
    binary = os.path.join(tmp, "bitext")
    shutil.copy2(bitext_path, binary)
    also = []
    for k, spec in enumerate(args.also):
        name, sep, other = spec.rpartition("=")
        if not sep or not name or not os.path.exists(other):
            raise SystemExit(f"--also {spec}: expected NAME=BIN with an existing BIN")
        also.append((name, os.path.join(tmp, f"bitext-also{k}")))
        shutil.copy2(other, also[-1][1])
        size = os.path.getsize(other)
        notes.append(f"{name}: {other}, {size / 1e6:.1f} MB (the main binary: {os.path.getsize(binary) / 1e6:.1f} MB).")
    dic = args.hunalign_dict
    if hunalign and not dic:
        dic = os.path.join(tmp, "empty.dic")
        open(dic, "w").close()
    hun_extra = args.hunalign_args.split()

    def path(*parts):
        return os.path.join(tmp, ".".join(parts))

    def bitext_each(tag, docs, binary=binary):
        steps = [([binary, "align", *LANGS, s, t, "-f", "links", "-o", path(tag, name, "align")], None)
                 for s, t, _, name in docs]
        outs = [path(tag, name, "align") for *_, name in docs]
        golds = [g for _, _, g, _ in docs]
        return steps, (lambda: evaluate(binary, outs, golds))

    def bitext_batch(tag, docs, binary=binary):
        manifest = path(tag, "manifest.tsv")
        with open(manifest, "w", encoding="utf-8") as f:
            for s, t, _, name in docs:
                f.write(f"{os.path.abspath(s)}\t{os.path.abspath(t)}\t{path(tag, name, 'align')}\n")
        outs = [path(tag, name, "align") for *_, name in docs]
        golds = [g for _, _, g, _ in docs]
        steps = [([binary, "align", "--batch", manifest, *LANGS, "-f", "links"], None)]
        return steps, (lambda: evaluate(binary, outs, golds))

    def hunalign_each(tag, docs):
        steps = [([hunalign, *hun_extra, dic, s, t], path(tag, name, "ladder")) for s, t, _, name in docs]

        def score():
            outs = []
            for s, t, _, name in docs:
                out = path(tag, name, "align")
                ladder_to_links(path(tag, name, "ladder"), len(read_lines(s)), len(read_lines(t)), out)
                outs.append(out)
            return evaluate(binary, outs, [g for _, _, g, _ in docs])
        return steps, score

    sections = []  # (input label, reference label, [Command])

    # -- the 7 Text+Berg test documents
    docs = [(os.path.join(args.data, d + ".de"), os.path.join(args.data, d + ".fr"),
             os.path.join(args.data, d + ".defr"), d) for d in TEST]
    n = sum(len(read_lines(s)) for s, *_ in docs)
    m = sum(len(read_lines(t)) for _, t, *_ in docs)
    cmds = [Command("bitext `--batch`", *bitext_batch("tb-batch", docs), procs=1),
            Command("bitext, one process per document", *bitext_each("tb-each", docs), procs=7)]
    for k, (name, other) in enumerate(also):
        cmds.append(Command(f"bitext `--batch`, {name}", *bitext_batch(f"tb-also{k}", docs, other), procs=1))
    if hunalign:
        cmds.append(Command("hunalign, one process per document", *hunalign_each("tb-hun", docs),
                            procs=7, ref=True))
    print(f"# Text+Berg test, 7 documents ({n:,} x {m:,})", file=sys.stderr, flush=True)
    measure(cmds, args.runs, args.timeout)
    sections.append((f"Text+Berg test, 7 documents ({n:,} x {m:,})", "hunalign", cmds))

    # -- generated texts
    def generate(size, tag):
        ns = argparse.Namespace(sentences=size, seed=args.seed, data=args.data, omit=0,
                                src=path(tag, "de"), tgt=path(tag, "fr"), gold=path(tag, "defr"),
                                stitch_dir=None, stitch_out=None)
        with contextlib.redirect_stdout(sys.stderr):  # its summary line is not the table
            n, m = long_bitext.generate(ns)
        return [(ns.src, ns.tgt, ns.gold, tag)], n, m

    largest = None
    if args.long:
        gen, n, m = generate(args.long, "long")
        largest = gen[0]
        cmds = [Command("bitext", *bitext_each("long-bitext", gen), procs=1)]
        # The --also builds here too: the 7-document batch (about 0.1 s) is too short to tell
        # release-profile variants apart by time on a shared machine.
        for k, (name, other) in enumerate(also):
            cmds.append(Command(f"bitext, {name}", *bitext_each(f"long-also{k}", gen, other), procs=1))
        if hunalign:
            cmds.append(Command("hunalign", *hunalign_each("long-hun", gen), procs=1, ref=True))
        print(f"# generated {n:,} x {m:,}", file=sys.stderr, flush=True)
        measure(cmds, args.runs, args.timeout)
        sections.append((f"generated, {n:,} x {m:,}", "hunalign", cmds))
    if args.big:
        gen, n, m = generate(args.big, "big")
        largest = gen[0]
        cmds = [Command("bitext", *bitext_each("big-bitext", gen), procs=1)]
        print(f"# generated {n:,} x {m:,}", file=sys.stderr, flush=True)
        measure(cmds, args.big_runs, args.timeout)
        sections.append((f"generated, {n:,} x {m:,} (bitext alone, best of {args.big_runs})", None, cmds))

    # -- the memory commands on a TMX, beside xmllint --stream
    if not args.no_tm and (args.tmx or largest):
        tmx = args.tmx
        if not tmx:
            s, t, _, _ = largest
            tmx = path("tm", "tmx")
            subprocess.run([binary, "align", *LANGS, s, t, "-f", "tmx", "-o", tmx], check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        size = os.path.getsize(tmx)
        units = 0
        with open(tmx, "rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                units += chunk.count(b"<tu>") + chunk.count(b"<tu ")
        cmds = []
        if xmllint:
            cmds.append(Command("`xmllint --stream --noout`", [([xmllint, "--stream", "--noout", tmx], None)],
                                procs=1, ref=True, bytes_in=size))
        tm = [("`tm convert -f tsv`", ["convert", tmx, "-f", "tsv", "-o", path("tm", "out.tsv")]),
              ("`tm convert -f tmx`", ["convert", tmx, "-f", "tmx", "-o", path("tm", "out.tmx")]),
              ("`tm dedupe --normalize`", ["dedupe", tmx, "--normalize", "-o", path("tm", "dedupe.tmx")]),
              ("`tm dedupe --normalize --keep first`",
               ["dedupe", tmx, "--normalize", "--keep", "first", "-o", path("tm", "dedupe1.tmx")]),
              ("`tm filter --empty --untranslated --wrong-script`",
               ["filter", tmx, "--empty", "--untranslated", "--wrong-script", "-o", path("tm", "filter.tmx")])]
        for label, argv in tm:
            cmds.append(Command("bitext " + label, [([binary, "tm", *argv], None)], procs=1,
                                bytes_in=size))
        print(f"# TMX {size / 1e6:.1f} MB", file=sys.stderr, flush=True)
        measure(cmds, args.runs, args.timeout)
        sections.append((f"TMX, {units:,} units, {size / 1e6:.1f} MB (from `bitext align -f tmx`)"
                         if not args.tmx else f"TMX {os.path.basename(tmx)}, {units:,} units, {size / 1e6:.1f} MB",
                         "xmllint" if xmllint else None, cmds))

    # -- callgrind
    counts = []
    if args.callgrind:
        prof = args.profiling_bin or os.path.join(target_dir(), "profiling", "bitext")
        if not args.profiling_bin:
            ensure_built(prof, ["--profile", "profiling"], "profiling binary")
        prof_copy = os.path.join(tmp, "bitext-profiling")
        shutil.copy2(prof, prof_copy)
        docs_steps, _ = bitext_batch("cg-batch", docs)
        docs_steps = one_thread([([prof_copy, *argv[1:]], o) for argv, o in docs_steps])
        print("# callgrind: bitext --batch", file=sys.stderr, flush=True)
        counts.append(("bitext `--batch` (profiling build)", callgrind(docs_steps, tmp, "batch"), 1))
        if also:
            # The variants are release-profile builds: the main release binary beside them.
            rel_steps, _ = bitext_batch("cg-release", docs)
            print("# callgrind: bitext --batch, release build", file=sys.stderr, flush=True)
            counts.append(("bitext `--batch` (release build)", callgrind(one_thread(rel_steps), tmp, "release"), 1))
        for k, (name, other) in enumerate(also):
            # Instruction counts need no debug info: a release-profile variant as it is built.
            also_steps, _ = bitext_batch(f"cg-also{k}", docs, other)
            print(f"# callgrind: bitext --batch, {name}", file=sys.stderr, flush=True)
            counts.append((f"bitext `--batch`, {name}", callgrind(one_thread(also_steps), tmp, f"also{k}"), 1))
        each_steps, _ = bitext_each("cg-each", docs)
        each_steps = one_thread([([prof_copy, *argv[1:]], o) for argv, o in each_steps])
        print("# callgrind: bitext per document", file=sys.stderr, flush=True)
        counts.append(("bitext, one process per document (profiling build)",
                       callgrind(each_steps, tmp, "each"), 7))
        if hunalign:
            hun_steps, _ = hunalign_each("cg-hun", docs)
            print("# callgrind: hunalign per document", file=sys.stderr, flush=True)
            counts.append(("hunalign, one process per document", callgrind(hun_steps, tmp, "hun"), 7))

    # -- the table
    def num(x, f="{:.3f}"):
        return "—" if x is None else f.format(x)

    print(f"Harness (benches/harness.py), {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC, "
          f"commit {commit}, {os.cpu_count()} cores ({cpu_name()}); best of {args.runs} runs "
          f"(commands of one input take turns), timeout {args.timeout:.0f} s, seed {args.seed}.")
    if hunalign:
        print(f"hunalign: {' '.join([hunalign, *hun_extra])} with "
              f"{'an empty dictionary' if not args.hunalign_dict else args.hunalign_dict}, ladder output.")
    if xmllint:
        print(f"xmllint: {tool_version([xmllint, '--version'])}.")
    print(f"Command: python3 benches/harness.py {' '.join(sys.argv[1:])}".rstrip())
    for note in notes:
        print(f"Note: {note}")
    print()
    print("| input | command | processes | wall s | CPU s | peak RSS MB | strict F1 | lax F1 | MB/s | "
          "wall / reference | CPU / reference |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for label, ref_name, cmds in sections:
        ref = next((c for c in cmds if c.ref and c.best.ok), None)
        first = True
        for c in cmds:
            r = c.best
            if not r.ok:
                wall = f">{args.timeout:.0f} (killed)" if r.killed else f"failed (exit {r.code})"
                cells = [wall, "—", "—", "—", "—", "—", "—", "—"]
            else:
                mbs = num(c.bytes_in / 1e6 / r.wall, "{:.0f}") if c.bytes_in else "—"
                if c.ref:
                    rw = rc = f"1 ({ref_name})"
                elif ref:
                    rw, rc = f"{r.wall / ref.best.wall:.2f}", f"{r.cpu / ref.best.cpu:.2f}"
                else:
                    rw = rc = "—"
                cells = [f"{r.wall:.3f}", f"{r.cpu:.3f}", f"{r.rss_mb:.0f}", num(c.f1[0]), num(c.f1[1]),
                         mbs, rw, rc]
            print(f"| {label if first else ''} | {c.label} | {c.procs} | " + " | ".join(cells) + " |")
            first = False
    if counts:
        print()
        print("Instructions under callgrind (`Collected`), 7 Text+Berg test documents "
              "(bitext with `--threads 1`):")
        print()
        ref = next((k for name, k, _ in counts if name.startswith("hunalign")), None)
        print("| command | processes | instructions | / hunalign's |")
        print("|---|---|---|---|")
        for name, k, procs in counts:
            ratio = f"{k / ref:.2f}" if ref else "—"
            print(f"| {name} | {procs} | {k / 1e6:,.0f} M | {ratio} |")
    tmp_ctx.cleanup()


if __name__ == "__main__":
    main()
