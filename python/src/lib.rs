//! `bitext._bitext`: the native half of the Python package. Thin: each function turns Python
//! values into the library's types, runs the library with the GIL released where the work is
//! long, and hands back plain tuples, lists and strings; `bitext/__init__.py` wraps them in
//! `Link` objects, raises the warnings through Python's `warnings` and documents the API.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use bitext::align::lexicon::Lexicon;
use bitext::align::{Options as AlignOptions, Params as AlignParams};
use bitext::error::ErrorKind;
use bitext::export::{self, ExportOptions, TranslationUnit};
use bitext::formats::{Format, InputOptions, UnitReader};
use bitext::io::output::{OutputPlan, OutputPolicy};
use bitext::read::vectors::{self, PairVectors};
use bitext::read::Document;
use bitext::run::pipeline::{self, Settings};
use bitext::tm::lookup::{is_index_file, Index, LookupOptions};
use bitext::tm::ops::build_index;
use bitext::{normalize, split, Lang, Warning};
use pyo3::create_exception;
use pyo3::exceptions::{PyException, PyValueError};
use pyo3::prelude::*;
use pyo3::types::PyDict;
use rayon::prelude::*;

create_exception!(
    _bitext,
    BitextError,
    PyException,
    "An error of the bitext library, with where it happened: `kind`, `path`, `line`, `column`."
);

/// One link as Python gets it: source ids, target ids, source text, target text, score, type.
type Record = (Vec<usize>, Vec<usize>, String, String, f64, String);

/// A warning as Python gets it: where, and what.
type PyWarning = (String, String);

/// The Python exception of a library error, with its location as attributes.
fn to_py(error: &bitext::Error) -> PyErr {
    let err = BitextError::new_err(error.to_string());
    Python::attach(|py| {
        let value = err.value(py);
        let (kind, path, line, column): (&str, Option<&Path>, Option<u64>, Option<u64>) =
            match error.kind() {
                ErrorKind::Io { path, .. } => ("io", Some(path), None, None),
                ErrorKind::Decode { path, .. } => ("decode", Some(path), None, None),
                ErrorKind::Syntax { path, line, .. } => ("syntax", Some(path), Some(*line), None),
                ErrorKind::Xml {
                    path, line, column, ..
                } => ("xml", Some(path), Some(*line), Some(*column)),
                ErrorKind::Input { path, .. } => ("input", Some(path), None, None),
                ErrorKind::Usage(_) => ("usage", None, None, None),
                _ => ("other", None, None, None),
            };
        let path = path.map(|p| p.display().to_string());
        let byte = match error.kind() {
            ErrorKind::Decode { byte, .. } => Some(*byte),
            _ => None,
        };
        // Setting attributes on a fresh exception instance cannot fail in practice; if it did,
        // the exception would still carry its message.
        let _ = value.setattr("kind", kind);
        let _ = value.setattr("path", path);
        let _ = value.setattr("line", line);
        let _ = value.setattr("column", column);
        let _ = value.setattr("byte", byte);
    });
    err
}

fn warnings_out(warnings: &[Warning]) -> Vec<PyWarning> {
    warnings
        .iter()
        .map(|w| (w.location.clone(), w.message.clone()))
        .collect()
}

fn parse_lang(code: &str) -> PyResult<Lang> {
    code.parse::<Lang>().map_err(PyValueError::new_err)
}

/// What every align call takes besides the texts.
struct AlignArgs {
    settings: Settings,
    export: ExportOptions,
}

#[allow(clippy::too_many_arguments)]
fn align_args(
    src_lang: &str,
    tgt_lang: &str,
    presplit: bool,
    min_score: f64,
    keep_unaligned: bool,
    dictionaries: Vec<PathBuf>,
    learn: bool,
    crossing: bool,
    force: bool,
    embedding_weight: f64,
) -> PyResult<AlignArgs> {
    if !(0.0..=1.0).contains(&min_score) {
        return Err(PyValueError::new_err(format!(
            "min_score must lie in [0, 1], got {min_score}"
        )));
    }
    if !(embedding_weight.is_finite() && embedding_weight >= 0.0) {
        return Err(PyValueError::new_err(format!(
            "embedding_weight must be a number of nats, 0 or more, got {embedding_weight}"
        )));
    }
    let (src, tgt) = (parse_lang(src_lang)?, parse_lang(tgt_lang)?);
    let lexicon = match dictionaries.is_empty() {
        true => None,
        false => Some(Arc::new(
            Lexicon::read(&dictionaries, src, tgt).map_err(|e| to_py(&e))?,
        )),
    };
    Ok(AlignArgs {
        settings: Settings {
            src_lang: src,
            tgt_lang: tgt,
            presplit,
            force,
            lexicon,
            learn,
            crossing,
            align: AlignOptions {
                params: AlignParams {
                    embedding_weight,
                    ..AlignParams::default()
                },
                ..AlignOptions::default()
            },
            ..Settings::default()
        },
        export: ExportOptions {
            format: Format::Jsonl,
            keep_unaligned,
            min_score,
            ..ExportOptions::default()
        },
    })
}

/// One pair aligned: its links and warnings, or the error and the warnings before it.
type Aligned = Result<(Vec<Record>, Vec<Warning>), (bitext::Error, Vec<Warning>)>;

/// Aligns one pair and renders its links through the JSON lines writer, so that a link holds
/// what `bitext align --stream` writes for it (text cleaned, score rounded to 4 decimals).
/// `checked`: what the pair's first pass found, when a batch learned from all of them.
fn align_one(
    src: Document,
    tgt: Document,
    vectors: Option<&PairVectors>,
    args: &AlignArgs,
    checked: Option<pipeline::Checked>,
) -> Aligned {
    let mut pair = pipeline::align_documents_checked(src, tgt, vectors, &args.settings, checked)
        .map_err(|e| (e.error, e.warnings))?;
    let mut warnings = std::mem::take(&mut pair.warnings);
    let mut out = Vec::new();
    match export::write_units(&pair.units, &args.export, &mut out) {
        Ok(w) => warnings.extend(w),
        Err(e) => return Err((e, warnings)),
    }
    let text = String::from_utf8_lossy(&out);
    let records = text
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .map(|v| {
            let ids = |key: &str| -> Vec<usize> {
                v[key]
                    .as_array()
                    .map(|a| {
                        a.iter()
                            .filter_map(|i| i.as_u64().map(|i| i as usize))
                            .collect()
                    })
                    .unwrap_or_default()
            };
            let text = |key: &str| v[key].as_str().unwrap_or_default().to_string();
            (
                ids("src_ids"),
                ids("tgt_ids"),
                text("src"),
                text("tgt"),
                v["score"].as_f64().unwrap_or(f64::NAN),
                text("type"),
            )
        })
        .collect();
    Ok((records, warnings))
}

/// One side's sentence vectors as Python hands them over: little-endian float32 bytes, row
/// after row, and the dimension.
type RawVectors = (Vec<u8>, usize);

/// The sentence vectors of a pair from their raw bytes, named `names` in errors.
fn pair_vectors(raw: (RawVectors, RawVectors), names: (String, String)) -> PyResult<PairVectors> {
    let ((src, src_dim), (tgt, tgt_dim)) = raw;
    let read = |bytes: &[u8], dim: usize, name: &str| {
        vectors::parse_vectors(bytes, Path::new(name), Some(dim)).map_err(|e| to_py(&e))
    };
    Ok(PairVectors {
        src: read(&src, src_dim, &names.0)?,
        tgt: read(&tgt, tgt_dim, &names.1)?,
        src_name: names.0,
        tgt_name: names.1,
    })
}

/// Aligns one pair of texts; returns its links and the warnings.
#[pyfunction]
#[pyo3(signature = (src, tgt, src_lang, tgt_lang, presplit, min_score, keep_unaligned, dictionaries, learn, crossing, force, names, embeddings=None, embedding_weight=6.0))]
#[allow(clippy::too_many_arguments)]
fn align(
    py: Python<'_>,
    src: String,
    tgt: String,
    src_lang: &str,
    tgt_lang: &str,
    presplit: bool,
    min_score: f64,
    keep_unaligned: bool,
    dictionaries: Vec<PathBuf>,
    learn: bool,
    crossing: bool,
    force: bool,
    names: (String, String),
    embeddings: Option<(RawVectors, RawVectors)>,
    embedding_weight: f64,
) -> PyResult<(Vec<Record>, Vec<PyWarning>)> {
    let args = align_args(
        src_lang,
        tgt_lang,
        presplit,
        min_score,
        keep_unaligned,
        dictionaries,
        learn,
        crossing,
        force,
        embedding_weight,
    )?;
    let vectors = embeddings
        .map(|raw| {
            let names = (
                format!("{}:embeddings", names.0),
                format!("{}:embeddings", names.1),
            );
            pair_vectors(raw, names)
        })
        .transpose()?;
    let src = Document::from_text(names.0, src);
    let tgt = Document::from_text(names.1, tgt);
    match py.detach(|| align_one(src, tgt, vectors.as_ref(), &args, None)) {
        Ok((records, warnings)) => Ok((records, warnings_out(&warnings))),
        Err((error, _)) => Err(to_py(&error)),
    }
}

/// One pair's outcome in `align_many`: links or an error, and the warnings.
type PairOutcome = (Option<Vec<Record>>, Option<PyErr>, Vec<PyWarning>);

/// Aligns many pairs in parallel on a rayon pool with the GIL released; with `learn` and
/// `learn_over_batch`, word translations are learned from the whole batch first, as `--batch`.
#[pyfunction]
#[pyo3(signature = (pairs, threads, src_lang, tgt_lang, presplit, min_score, keep_unaligned, dictionaries, learn, learn_over_batch, crossing, force, embeddings=None, embedding_weight=6.0))]
#[allow(clippy::too_many_arguments)]
fn align_many(
    py: Python<'_>,
    pairs: Vec<(String, String)>,
    threads: Option<usize>,
    src_lang: &str,
    tgt_lang: &str,
    presplit: bool,
    min_score: f64,
    keep_unaligned: bool,
    dictionaries: Vec<PathBuf>,
    learn: bool,
    learn_over_batch: bool,
    crossing: bool,
    force: bool,
    embeddings: Option<Vec<Option<(RawVectors, RawVectors)>>>,
    embedding_weight: f64,
) -> PyResult<Vec<PairOutcome>> {
    let embeddings = embeddings.unwrap_or_default();
    if !embeddings.is_empty() && embeddings.len() != pairs.len() {
        return Err(PyValueError::new_err(format!(
            "embeddings gives {} entries for {} pairs (one (src, tgt) or None a pair)",
            embeddings.len(),
            pairs.len()
        )));
    }
    let vectors: Vec<Option<PairVectors>> = embeddings
        .into_iter()
        .enumerate()
        .map(|(i, raw)| {
            let names = (
                format!("pairs[{i}]:src:embeddings"),
                format!("pairs[{i}]:tgt:embeddings"),
            );
            raw.map(|raw| pair_vectors(raw, names)).transpose()
        })
        .collect::<PyResult<_>>()?;
    let mut args = align_args(
        src_lang,
        tgt_lang,
        presplit,
        min_score,
        keep_unaligned,
        dictionaries,
        learn,
        crossing,
        force,
        embedding_weight,
    )?;
    let pool = {
        let mut builder = rayon::ThreadPoolBuilder::new();
        if let Some(n) = threads {
            if n == 0 {
                return Err(PyValueError::new_err("threads must be at least 1"));
            }
            builder = builder.num_threads(n);
        }
        builder
            .build()
            .map_err(|e| PyValueError::new_err(format!("cannot start {threads:?} threads: {e}")))?
    };
    let docs = |i: usize, (src, tgt): &(String, String)| {
        (
            Document::from_text(format!("pairs[{i}]:src"), src.clone()),
            Document::from_text(format!("pairs[{i}]:tgt"), tgt.clone()),
        )
    };
    let results = py.detach(|| {
        pool.install(|| {
            let mut checked = vec![None; pairs.len()];
            if learn && learn_over_batch {
                let per_pair: Vec<Vec<(String, String)>>;
                (per_pair, checked) = pairs
                    .par_iter()
                    .enumerate()
                    .map(|(i, pair)| {
                        let (src, tgt) = docs(i, pair);
                        let first = pipeline::first_pass(src, tgt, &args.settings);
                        (first.training, first.checked)
                    })
                    .unzip();
                let learned =
                    pipeline::learn_from(&per_pair, args.settings.src_lang, args.settings.tgt_lang);
                args.settings.learned = learned.map(Arc::new);
                args.settings.learn = false;
            }
            pairs
                .par_iter()
                .zip(checked)
                .enumerate()
                .map(|(i, (pair, checked))| {
                    let (src, tgt) = docs(i, pair);
                    let pair_vectors = vectors.get(i).and_then(Option::as_ref);
                    align_one(src, tgt, pair_vectors, &args, checked)
                })
                .collect::<Vec<_>>()
        })
    });
    Ok(results
        .into_iter()
        .map(|result| match result {
            Ok((records, warnings)) => (Some(records), None, warnings_out(&warnings)),
            Err((error, warnings)) => (None, Some(to_py(&error)), warnings_out(&warnings)),
        })
        .collect())
}

/// Splits `text` into sentences as `bitext split` does (normalised, each on one line).
#[pyfunction]
fn split_text(py: Python<'_>, text: String, lang: &str) -> PyResult<(Vec<String>, Vec<PyWarning>)> {
    let lang = parse_lang(lang)?;
    Ok(py.detach(|| {
        let (doc, warnings) = normalize::normalize(Document::from_text("<text>", text));
        let doc = split::split(doc, lang);
        let sentences = doc
            .texts()
            .map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "))
            .collect();
        (sentences, warnings_out(&warnings))
    }))
}

/// Evaluates system link files against gold link files: the JSON of `bitext eval --json`, the
/// report's warnings and its note.
#[pyfunction]
#[pyo3(signature = (systems, golds, min_score, per_doc))]
fn evaluate(
    systems: Vec<PathBuf>,
    golds: Vec<PathBuf>,
    min_score: Option<f64>,
    per_doc: bool,
) -> PyResult<(String, Vec<String>, Option<String>)> {
    let report = bitext::eval::evaluate(&systems, &golds, min_score).map_err(|e| to_py(&e))?;
    Ok((
        report.render_json(per_doc),
        report.warnings.clone(),
        report.note.clone(),
    ))
}

/// A link to write: source ids, target ids, source text, target text, score.
type LinkIn = (Vec<usize>, Vec<usize>, String, String, f64);

fn range(ids: &[usize], side: &str, n: usize) -> PyResult<std::ops::Range<usize>> {
    let Some(&first) = ids.first() else {
        return Ok(0..0);
    };
    if ids.windows(2).any(|w| w[1] != w[0] + 1) {
        return Err(PyValueError::new_err(format!(
            "link {n}: the {side} ids {ids:?} are not consecutive sentence numbers"
        )));
    }
    Ok(first..first + ids.len())
}

/// Writes links through the crate's writer of `format` (TMX, TSV, CSV, JSON lines, links).
#[pyfunction]
#[pyo3(signature = (links, path, format, src_tag, tgt_tag, keep_unaligned, min_score, plain, no_header, bom, force))]
#[allow(clippy::too_many_arguments)]
fn write(
    py: Python<'_>,
    links: Vec<LinkIn>,
    path: PathBuf,
    format: Option<&str>,
    src_tag: String,
    tgt_tag: String,
    keep_unaligned: bool,
    min_score: f64,
    plain: bool,
    no_header: bool,
    bom: bool,
    force: bool,
) -> PyResult<(usize, Vec<PyWarning>)> {
    let format = match format {
        Some(f) => f.parse::<Format>().map_err(PyValueError::new_err)?,
        None => Format::of_output(&path)
            .map_err(|e| to_py(&e))?
            .unwrap_or(Format::Tmx),
    };
    let mut units = Vec::with_capacity(links.len());
    for (n, (src_ids, tgt_ids, src, tgt, score)) in links.into_iter().enumerate() {
        units.push(TranslationUnit {
            src_ids: range(&src_ids, "source", n)?,
            tgt_ids: range(&tgt_ids, "target", n)?,
            src,
            tgt,
            score,
        });
    }
    let options = ExportOptions {
        format,
        src_tag,
        tgt_tag,
        keep_unaligned,
        min_score,
        plain,
        no_header,
        bom,
    };
    let warnings = export::validate(&options).map_err(|e| to_py(&e))?;
    let written = py.detach(|| -> bitext::Result<export::Written> {
        let mut plan = OutputPlan::new(OutputPolicy { force });
        let mut output = plan.claim(&path)?.open()?;
        let written = export::write_to(&units, &options, &mut output)?;
        output.commit()?;
        Ok(written)
    });
    let mut written = written.map_err(|e| to_py(&e))?;
    let mut all = warnings;
    all.append(&mut written.warnings);
    Ok((written.units, warnings_out(&all)))
}

fn input_options(
    format: Option<&str>,
    lenient: bool,
    plain: bool,
    langs: Option<(String, String)>,
) -> PyResult<InputOptions> {
    Ok(InputOptions {
        lenient,
        plain,
        langs,
        format: format
            .map(|f| f.parse::<Format>().map_err(PyValueError::new_err))
            .transpose()?,
        max_unit_bytes: None,
    })
}

/// The units of a translation memory in any format bitext reads, one at a time.
#[pyclass(module = "bitext._bitext")]
struct TmReader {
    /// A mutex only to make the class `Sync`, as PyO3 asks (the GIL serialises the calls).
    reader: std::sync::Mutex<UnitReader>,
}

impl TmReader {
    fn reader(&self) -> std::sync::MutexGuard<'_, UnitReader> {
        self.reader
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

#[pymethods]
impl TmReader {
    #[new]
    #[pyo3(signature = (path, format=None, lenient=false, plain=false, langs=None))]
    fn new(
        path: PathBuf,
        format: Option<&str>,
        lenient: bool,
        plain: bool,
        langs: Option<(String, String)>,
    ) -> PyResult<TmReader> {
        let options = input_options(format, lenient, plain, langs)?;
        let reader = UnitReader::open(&path, &options).map_err(|e| to_py(&e))?;
        Ok(TmReader {
            reader: std::sync::Mutex::new(reader),
        })
    }

    /// The memory's source language (`srclang`), if it names one.
    #[getter]
    fn srclang(&self) -> Option<String> {
        self.reader().header().srclang.clone()
    }

    /// Warnings so far (location, message), taken from the reader.
    fn take_warnings(&mut self) -> Vec<PyWarning> {
        warnings_out(&self.reader().take_warnings())
    }

    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __next__<'py>(&mut self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyDict>>> {
        let Some(unit) = self.reader().next() else {
            return Ok(None);
        };
        let unit = unit.map_err(|e| to_py(&e))?;
        let dict = PyDict::new(py);
        dict.set_item("number", unit.number)?;
        dict.set_item("line", unit.line)?;
        dict.set_item("tuid", unit.tuid)?;
        dict.set_item("srclang", unit.srclang)?;
        let props: Vec<(String, String)> =
            unit.props.into_iter().map(|p| (p.kind, p.value)).collect();
        dict.set_item("props", props)?;
        dict.set_item("notes", unit.notes)?;
        let variants = unit
            .variants
            .iter()
            .map(|v| {
                let d = PyDict::new(py);
                d.set_item("lang", &v.lang)?;
                d.set_item("text", v.segment.plain_text())?;
                d.set_item("markup", v.segment.to_xml())?;
                Ok(d)
            })
            .collect::<PyResult<Vec<_>>>()?;
        dict.set_item("variants", variants)?;
        Ok(Some(dict))
    }
}

/// A fuzzy-match index over a memory's source side, as `bitext tm lookup` builds it; `path` may
/// also be an index file written by `bitext tm index` (then `lang` is the one it was built with).
#[pyclass(module = "bitext._bitext")]
struct TmIndex {
    index: Index,
    warnings: Vec<Warning>,
}

#[pymethods]
impl TmIndex {
    #[new]
    #[pyo3(signature = (path, lang=None, format=None, lenient=false, plain=false, langs=None))]
    fn new(
        py: Python<'_>,
        path: PathBuf,
        lang: Option<String>,
        format: Option<&str>,
        lenient: bool,
        plain: bool,
        langs: Option<(String, String)>,
    ) -> PyResult<TmIndex> {
        let options = input_options(format, lenient, plain, langs)?;
        if lang.is_some() && is_index_file(&path) {
            return Err(pyo3::exceptions::PyValueError::new_err(format!(
                "{}: an index is built for one side; lang applies when it is built \
                 (bitext tm index --lang)",
                path.display()
            )));
        }
        py.detach(|| -> bitext::Result<TmIndex> {
            let mut warnings = Vec::new();
            // An index file written by `bitext tm index` is read as it is; a memory is indexed.
            let index = if is_index_file(&path) {
                let (index, memory) = Index::read_file(&path)?;
                if let Some(why) = memory.changed() {
                    warnings.push(Warning::new(path.display().to_string(), why));
                }
                index
            } else {
                build_index(&path, lang, &options, &mut |w| warnings.push(w))?
            };
            Ok(TmIndex { index, warnings })
        })
        .map_err(|e| to_py(&e))
    }

    /// Warnings of the reading (location, message), taken from the index.
    fn take_warnings(&mut self) -> Vec<PyWarning> {
        warnings_out(&std::mem::take(&mut self.warnings))
    }

    fn __len__(&self) -> usize {
        self.index.len()
    }

    /// The matches of `query`, best first, as `bitext tm lookup --json` gives them.
    #[pyo3(signature = (query, max_results=5, min_percent=70))]
    fn lookup<'py>(
        &self,
        py: Python<'py>,
        query: &str,
        max_results: usize,
        min_percent: u8,
    ) -> PyResult<Vec<Bound<'py, PyDict>>> {
        let options = LookupOptions {
            max_results,
            min_percent,
        };
        self.index
            .lookup(query, &options)
            .iter()
            .map(|m| {
                let d = PyDict::new(py);
                d.set_item("percent", m.percent)?;
                d.set_item("source", m.unit.source.text)?;
                d.set_item("target", m.unit.target.map(|t| t.text))?;
                d.set_item("target_lang", m.unit.target.map(|t| t.lang))?;
                d.set_item("tuid", m.unit.tuid)?;
                d.set_item("unit", m.unit.number)?;
                Ok(d)
            })
            .collect()
    }
}

#[pymodule]
fn _bitext(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("BitextError", m.py().get_type::<BitextError>())?;
    m.add_function(wrap_pyfunction!(align, m)?)?;
    m.add_function(wrap_pyfunction!(align_many, m)?)?;
    m.add_function(wrap_pyfunction!(split_text, m)?)?;
    m.add_function(wrap_pyfunction!(evaluate, m)?)?;
    m.add_function(wrap_pyfunction!(write, m)?)?;
    m.add_class::<TmReader>()?;
    m.add_class::<TmIndex>()?;
    Ok(())
}
