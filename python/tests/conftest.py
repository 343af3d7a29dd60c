"""Shared helpers: where the repository, its fixtures, the CLI and the optional data are.

A check that cannot run (no Text+Berg data, no ``bitext`` binary) is skipped with its reason
shown by ``pytest -rs``; under ``CI=true`` it fails instead, as the Rust tests' ``skip`` does:
CI must run every check."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "fixtures"
BLEUALIGN = ROOT / ".." / "shared" / "data" / "bleualign"


def skip_or_fail(reason: str) -> None:
    if os.environ.get("CI", "") not in ("", "0", "false"):
        pytest.fail(f"required in CI (CI is set): {reason}")
    pytest.skip(reason)


def cli() -> str:
    """The ``bitext`` binary: ``$BITEXT_BIN``, else a cargo build of this repository, else
    ``bitext`` on the PATH."""
    if os.environ.get("BITEXT_BIN"):
        return os.environ["BITEXT_BIN"]
    dirs = [os.environ.get("CARGO_TARGET_DIR"), str(ROOT / "target")]
    for d in filter(None, dirs):
        for profile in ("release", "debug"):
            p = Path(d) / profile / "bitext"
            if p.is_file():
                return str(p)
    found = shutil.which("bitext")
    if found:
        return found
    skip_or_fail("no bitext binary: set BITEXT_BIN or run cargo build")
    raise AssertionError  # unreachable


def run_cli(*args, input=None, env=None, check=True) -> str:
    out = subprocess.run(
        [cli(), *map(str, args)],
        input=input,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
    )
    assert out.returncode == 0 or not check, out.stderr
    return out.stdout


def read_links(path: Path) -> list:
    """A links file (``[0]:[0, 1]`` or with a score) as ``(src_ids, tgt_ids)`` tuples."""
    links = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        src, tgt = line.split(":")[:2]
        ids = lambda s: [int(i) for i in s.strip("[] ").split(",") if i.strip()]  # noqa: E731
        links.append((ids(src), ids(tgt)))
    return links


@pytest.fixture
def bleualign() -> Path:
    if not (BLEUALIGN / "test0.defr").is_file():
        skip_or_fail(
            f"Text+Berg gold set {BLEUALIGN} not found (GPL, not vendored; README: "
            '"Optional data and checkers")'
        )
    return BLEUALIGN
