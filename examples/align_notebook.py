# %% [markdown]
# # Aligning a text and its translation from Python
#
# A notebook-style walkthrough of the `bitext` package (`pip install ./python` from the
# repository root). Each `# %%` cell runs in Jupyter, VS Code or Spyder as a notebook cell, or
# the whole file runs as a script: `python examples/align_notebook.py`.

# %%
import tempfile
import warnings
from pathlib import Path

import bitext

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
en = (FIXTURES / "sco-paris-pact-beijing.en.txt").read_text(encoding="utf-8")
ru = (FIXTURES / "sco-paris-pact-beijing.ru.txt").read_text(encoding="utf-8")

# %% [markdown]
# ## Sentences
# `bitext.split` splits running text by the rules of a language, as `bitext split` does.

# %%
sentences = bitext.split(en, "en")
print(len(sentences), "English sentences; the first:", sentences[0])

# %% [markdown]
# ## Align
# `bitext.align` takes running text (or lists of sentences) and returns `Link`s: sentence
# numbers on each side, the text, a calibrated score (the probability that the link is right)
# and the link type.

# %%
links = bitext.align(en, ru, src_lang="en", tgt_lang="ru")
for link in links[:5]:
    print(f"{link.type}  {link.score:.3f}  {link.src[:50]!r} -> {link.tgt[:50]!r}")

# %% [markdown]
# ## pandas
# `links.to_pandas()` (or `bitext.links_to_frame(links)`) gives a DataFrame; pandas is
# optional and imported only here.

# %%
try:
    frame = links.to_pandas()
    print(frame[["src_ids", "tgt_ids", "score", "type"]].head())
    print("links scored below 0.9:", int((frame.score < 0.9).sum()))
except ImportError:
    print("pandas is not installed: pip install pandas")

# %% [markdown]
# ## Evaluate against a gold alignment
# `bitext.evaluate` takes lists of documents (link lists or links files) and returns the dict of
# `bitext eval --json`.

# %%
report = bitext.evaluate([links], [FIXTURES / "sco-paris-pact-beijing.links"])
total = report["total"]
print("strict P/R/F1:", total["strict"]["precision"], total["strict"]["recall"], total["strict"]["f1"])
print("lax F1:", total["lax"]["f1"], "| calibration error:", report["reliability"]["ece"])

# %% [markdown]
# ## Many pairs at once
# `bitext.align_many` aligns in parallel with the GIL released and learns word translations
# from the whole batch, as `bitext align --batch`.

# %%
pairs = [
    ((FIXTURES / "batch" / "en" / f"{n}.txt").read_text(encoding="utf-8"),
     (FIXTURES / "batch" / "ru" / f"{n}.txt").read_text(encoding="utf-8"))
    for n in ("ferry", "library", "weather")
]
for name, doc_links in zip(("ferry", "library", "weather"), bitext.align_many(pairs)):
    print(name, len(doc_links), "links, mean score", round(sum(l.score for l in doc_links) / len(doc_links), 3))

# %% [markdown]
# ## Write a translation memory, read it back, look segments up

# %%
out = Path(tempfile.mkdtemp()) / "paris-pact.tmx"
print("units written:", bitext.write_tmx(links, out, src_tag="en-US", tgt_tag="ru-RU"))
bitext.write(links, out.with_suffix(".tsv"))  # TSV, CSV, JSON lines, links: by extension
units = list(bitext.tm.read(out))
print(units[0]["variants"][0]["text"], "|", units[0]["variants"][1]["text"])
query = "For the second consecutive day, the SCO Secretariat hosted talks"
for match in bitext.tm.lookup(out, query, min_percent=50):
    print(match["percent"], "%", match["source"][:60], "->", match["target"][:60])

# %% [markdown]
# ## Errors and warnings
# A pair that cannot be aligned raises `bitext.BitextError`, which names where (`path`, `line`,
# `column`); what the library warns about arrives through Python's `warnings`.

# %%
try:
    bitext.align("", ru)
except bitext.BitextError as e:
    print("BitextError:", e, "| kind:", e.kind, "| path:", e.path)
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    bitext.evaluate([[]], [[([0], [0])]])
print("warned:", [str(w.message) for w in caught][:1])
