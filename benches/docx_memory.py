#!/usr/bin/env python3
"""Peak memory of reading large Word documents (issue 15): is the DOCX reader streamed?

Builds, in a temporary directory, DOCX files of about --mb megabytes (default 50) with the
standard library's zipfile (a minimal valid WordprocessingML package):

* text: a word/document.xml of German Text+Berg sentences (one paragraph each, every fifth
  with a bold run, every seventh a table cell), deflated, sized so the .docx is about --mb;
* media: a few thousand paragraphs of text plus a --mb incompressible image (word/media),
  the usual reason a Word file is large;

and the same text as a UTF-8 .txt. It runs `bitext split --lang de FILE` on each (stdout to
/dev/null) as a child process and reports its wall time and peak resident memory (GNU time),
and the ratio of the DOCX's peak to the plain text's: reading a DOCX costs the text it holds,
not the XML around it, when the ratio stays near 1 however large document.xml is.

Usage (from the repository root; needs ../shared/data/bleualign and /usr/bin/time; builds the
release binary):
  python3 benches/docx_memory.py [--mb 50]
"""

import argparse
import datetime
import os
import subprocess
import tempfile
import time
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "bleualign"

CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Default Extension="png" ContentType="image/png"/>
<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
</Types>"""
RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>
</Relationships>"""
HEAD = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        '<w:body>')
TAIL = "</w:body></w:document>"


def sentences():
    out = []
    for name in sorted(DATA.glob("*.de")):
        out += [line.strip() for line in name.read_text(encoding="utf-8").splitlines() if line.strip()]
    return out


def paragraph(k, text):
    t = escape(text)
    if k % 5 == 0:
        words = t.split(" ", 1)
        run = (f'<w:r><w:rPr><w:b/></w:rPr><w:t>{words[0]}</w:t></w:r>'
               f'<w:r><w:t xml:space="preserve"> {words[1] if len(words) > 1 else ""}</w:t></w:r>')
    else:
        run = f"<w:r><w:t>{t}</w:t></w:r>"
    p = f"<w:p><w:pPr><w:pStyle w:val=\"Normal\"/></w:pPr>{run}</w:p>"
    if k % 7 == 0:
        return f"<w:tbl><w:tr><w:tc>{p}</w:tc></w:tr></w:tbl>"
    return p


def write_docx(path, texts, paragraphs, media_bytes):
    """Streams document.xml into the zip; returns (xml bytes, text bytes)."""
    xml_size = text_size = 0
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("_rels/.rels", RELS)
        with z.open("word/document.xml", "w", force_zip64=True) as f:
            chunk = [HEAD]
            for k in range(paragraphs):
                text = texts[k % len(texts)]
                chunk.append(paragraph(k, text))
                text_size += len(text.encode()) + 2
                if len(chunk) >= 2000:
                    data = "".join(chunk).encode()
                    xml_size += len(data)
                    f.write(data)
                    chunk = []
            chunk.append(TAIL)
            data = "".join(chunk).encode()
            xml_size += len(data)
            f.write(data)
        if media_bytes:
            z.writestr(zipfile.ZipInfo("word/media/image1.png"), os.urandom(media_bytes),
                       compress_type=zipfile.ZIP_STORED)
    return xml_size, text_size


def write_txt(path, texts, paragraphs):
    with open(path, "w", encoding="utf-8") as f:
        for k in range(paragraphs):
            f.write(texts[k % len(texts)] + "\n\n")


def measure(binary, path):
    """Wall seconds and peak RSS (MB) of `bitext split` on `path`, measured by GNU time: the
    rusage os.wait4 gives counts the forked Python image before exec as the child's."""
    start = time.perf_counter()
    with open(os.devnull, "wb") as null:
        proc = subprocess.run(["/usr/bin/time", "-f", "%M", str(binary), "-q", "split",
                               "--lang", "de", str(path)], stdout=null, stderr=subprocess.PIPE)
    wall = time.perf_counter() - start
    err = proc.stderr.decode(errors="replace").strip()
    if proc.returncode != 0:
        raise SystemExit(f"bitext failed on {path}: {err}")
    return wall, int(err.splitlines()[-1]) / 1024


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--mb", type=float, default=50.0, help="size of the DOCX files (MB)")
    args = ap.parse_args()
    subprocess.run(["cargo", "build", "--release", "-q"], cwd=ROOT, check=True)
    binary = ROOT / "target" / "release" / "bitext"
    texts = sentences()
    target = int(args.mb * 1e6)
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                            capture_output=True, text=True).stdout.strip()
    print(f"# docx_memory.py --mb {args.mb:g}, {datetime.date.today()}, commit {commit}\n")
    print("| file | .docx MB | document.xml MB | text MB | wall s | peak RSS MB | "
          "same text as .txt: wall s | peak RSS MB | RSS DOCX / TXT |")
    print("|---|---|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        # Text: find the paragraph count that makes the file about the target size.
        probe = tmp / "probe.docx"
        write_docx(probe, texts, 20000, 0)
        per_paragraph = probe.stat().st_size / 20000
        cases = [("text", int(target / per_paragraph), 0),
                 ("media", 5000, target)]
        for name, paragraphs, media in cases:
            docx, txt = tmp / f"{name}.docx", tmp / f"{name}.txt"
            xml_size, text_size = write_docx(docx, texts, paragraphs, media)
            write_txt(txt, texts, paragraphs)
            d_wall, d_rss = measure(binary, docx)
            t_wall, t_rss = measure(binary, txt)
            print(f"| {name} | {docx.stat().st_size / 1e6:.1f} | {xml_size / 1e6:.1f} | "
                  f"{text_size / 1e6:.1f} | {d_wall:.2f} | {d_rss:.0f} | {t_wall:.2f} | "
                  f"{t_rss:.0f} | {d_rss / t_rss:.2f} |")


if __name__ == "__main__":
    main()
