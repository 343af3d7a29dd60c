//! `bitext review` end to end: the server started as a child (`--port 0`, the URL read from its
//! stdout), driven through its JSON API by a raw TCP client; the security checks (token, Host,
//! Origin, bad requests), autosave and resume, and the exported TMX (status props, rejected
//! links left out, valid against the DTD). The page itself is driven in a real browser by
//! `review_browser` below when Chromium and Node are present.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use crate::util::{
    bitext, fixture, have, run, run_ok, s, skip, temp_dir, tmx_dtd, tool_available, xmllint,
};

/// A running `bitext review`, killed when dropped.
struct Server {
    child: Child,
    port: u16,
    token: String,
    url: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `bitext review ARGS --port 0` in `dir` and reads the URL it prints.
fn start(dir: &Path, args: &[&str]) -> Server {
    let mut child = bitext()
        .arg("review")
        .args(args)
        .args(["--port", "0"])
        .current_dir(dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("bitext review starts");
    let stdout = child.stdout.take().expect("piped stdout");
    let mut line = String::new();
    BufReader::new(stdout)
        .read_line(&mut line)
        .expect("reads the URL");
    if line.is_empty() {
        let mut err = String::new();
        if let Some(mut e) = child.stderr.take() {
            let _ = e.read_to_string(&mut err);
        }
        let _ = child.wait();
        panic!("bitext review printed no URL: {err}");
    }
    let url = line.trim().to_string();
    let rest = url
        .strip_prefix("http://127.0.0.1:")
        .unwrap_or_else(|| panic!("URL on 127.0.0.1: {url}"));
    let (port, token) = rest.split_once("/?token=").expect("token in the URL");
    Server {
        port: port.parse().expect("port"),
        token: token.to_string(),
        url: url.clone(),
        child,
    }
}

/// Sends raw bytes and returns (status, body).
fn raw(port: u16, request: &[u8]) -> (u16, String) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connects");
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .expect("timeout");
    stream.write_all(request).expect("sends");
    let _ = stream.shutdown(std::net::Shutdown::Write);
    let mut response = Vec::new();
    let _ = stream.read_to_end(&mut response);
    let text = String::from_utf8_lossy(&response).into_owned();
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or_else(|| panic!("no status line: {text:?}"));
    let body = text
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    (status, body)
}

impl Server {
    /// A request with the right Host and token, and `extra` header lines.
    fn request(&self, method: &str, path: &str, body: &str, extra: &str) -> (u16, String) {
        let text = format!(
            "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nX-Bitext-Token: {}\r\n\
             Content-Type: application/json\r\nContent-Length: {}\r\n{extra}\r\n{body}",
            self.port,
            self.token,
            body.len()
        );
        raw(self.port, text.as_bytes())
    }

    fn get(&self, path: &str) -> serde_json::Value {
        let (status, body) = self.request("GET", path, "", "");
        assert_eq!(status, 200, "{body}");
        serde_json::from_str(&body).expect("JSON")
    }

    fn op(&self, body: &str) -> (u16, serde_json::Value) {
        let (status, text) = self.request("POST", "/api/op", body, "");
        (status, serde_json::from_str(&text).expect("JSON answer"))
    }
}

fn pact(dir: &Path) -> (PathBuf, PathBuf) {
    let en = dir.join("pact.en.txt");
    let ru = dir.join("pact.ru.txt");
    std::fs::copy(fixture("sco-paris-pact-beijing.en.txt"), &en).expect("copy");
    std::fs::copy(fixture("sco-paris-pact-beijing.ru.txt"), &ru).expect("copy");
    (en, ru)
}

fn validate(tmx: &Path) {
    let Some(xmllint) = xmllint() else { return };
    let out = Command::new(xmllint)
        .args(["--noout", "--nonet", "--dtdvalid", s(&tmx_dtd()), s(tmx)])
        .output()
        .expect("xmllint runs");
    assert!(
        out.status.success(),
        "xmllint: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn review_api_edits_autosaves_exports_and_resumes() {
    let tmp = temp_dir();
    let dir = tmp.path();
    let (en, ru) = pact(dir);
    let server = start(dir, &[s(&en), s(&ru), "-o", "out.tmx"]);
    let review = server.get("/api/review");
    let links = review["links"].as_array().expect("links").clone();
    assert_eq!(links.len(), 12, "{review}");
    let state_path = dir.join("out.tmx.review.json");
    assert!(state_path.is_file(), "the state is written at start");

    // Merge links 0 and 1, reject link 5, accept 2, comment on 2, undo the comment.
    let (status, patch) = server.op(r#"{"op":"merge","id":0}"#);
    assert_eq!(status, 200, "{patch}");
    assert_eq!(
        (patch["at"].as_u64(), patch["remove"].as_u64()),
        (Some(0), Some(2))
    );
    let merged = &patch["links"][0];
    assert_eq!(merged["src"], serde_json::json!([0, 1]));
    assert_eq!(server.op(r#"{"op":"reject","id":5}"#).0, 200);
    assert_eq!(server.op(r#"{"op":"accept","id":2}"#).0, 200);
    assert_eq!(server.op(r#"{"op":"comment","id":2,"text":"ok"}"#).0, 200);
    let (status, undo) = server.op(r#"{"op":"undo"}"#);
    assert_eq!(status, 200);
    assert_eq!(undo["links"][0]["comment"], "");
    // Autosave: the state file already holds every answered edit.
    let state = std::fs::read_to_string(&state_path).expect("state");
    assert!(state.contains(r#""status":"rejected""#), "{state}");
    assert!(state.contains(r#""status":"accepted""#), "{state}");
    // Refused operations change nothing and say why.
    let (status, err) = server.op(r#"{"op":"merge","id":999}"#);
    assert_eq!(status, 409, "{err}");
    assert!(err["error"].as_str().unwrap_or("").contains("no link 999"));
    let (status, _) = server.op(r#"{"op":"explode"}"#);
    assert_eq!(status, 400);

    let (status, saved) = server.request("POST", "/api/save", "{}", "");
    assert_eq!(status, 200, "{saved}");
    let tmx_path = dir.join("out.tmx");
    let tmx = std::fs::read_to_string(&tmx_path).expect("exported");
    assert_eq!(
        tmx.matches("<tu ").count(),
        10,
        "12 links, 2 merged, 1 rejected"
    );
    assert_eq!(
        tmx.matches(r#"<prop type="x-status">accepted</prop>"#)
            .count(),
        1
    );
    assert_eq!(
        tmx.matches(r#"<prop type="x-status">unreviewed</prop>"#)
            .count(),
        9
    );
    assert!(!tmx.contains("rejected"));
    validate(&tmx_path);

    // The plot: one point per link.
    let (status, svg) = server.request("GET", "/api/plot.svg", "", "");
    assert_eq!(status, 200);
    assert_eq!(svg.matches("class=\"pt\"").count(), 11, "{svg}");
    drop(server);

    // Resume from the state file: the edits are there, and still undoable.
    let server = start(dir, &[s(&state_path)]);
    let review = server.get("/api/review");
    let links = review["links"].as_array().expect("links");
    assert_eq!(links.len(), 11);
    assert_eq!(links[0]["src"], serde_json::json!([0, 1]));
    assert_eq!(review["output"], "out.tmx");
    assert_eq!(server.op(r#"{"op":"undo"}"#).0, 200, "accept undone");
    assert_eq!(server.op(r#"{"op":"undo"}"#).0, 200, "reject undone");
    let (status, _) = server.request("POST", "/api/save", "{}", "");
    assert_eq!(status, 200);
    let tmx = std::fs::read_to_string(&tmx_path).expect("exported");
    assert_eq!(tmx.matches("<tu ").count(), 11);
}

#[test]
fn review_refuses_foreign_requests() {
    let tmp = temp_dir();
    let (en, ru) = pact(tmp.path());
    let server = start(tmp.path(), &[s(&en), s(&ru)]);
    let port = server.port;
    let host = format!("Host: 127.0.0.1:{port}");
    let token = &server.token;
    let reject = r#"{"op":"reject","id":0}"#;
    let wrong = if token.starts_with('0') { "1" } else { "0" };
    let cases = [
        format!("GET /api/review HTTP/1.1\r\n{host}\r\n\r\n"),
        format!(
            "GET /?token={wrong}{} HTTP/1.1\r\n{host}\r\n\r\n",
            &token[1..]
        ),
        format!("GET /api/review?token={token} HTTP/1.1\r\nHost: attacker.example:{port}\r\n\r\n"),
        format!("GET /api/review?token={token} HTTP/1.1\r\n\r\n"),
        format!(
            "POST /api/op?token={token} HTTP/1.1\r\n{host}\r\nOrigin: http://attacker.example\r\n\
             Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{reject}",
            reject.len()
        ),
    ];
    for case in &cases {
        let (status, body) = raw(port, case.as_bytes());
        assert_eq!(status, 403, "{case:?}: {body}");
        assert!(body.contains("\"error\""), "{body}");
    }
    // Bad requests get a 4xx, and the server keeps serving.
    for (bytes, want) in [
        (&b"\x00\xff\xfe garbage\r\n\r\n"[..], 400),
        (&b"GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"[..], 400),
        (
            &b"POST /api/op HTTP/1.1\r\nContent-Length: 99999999999\r\n\r\n"[..],
            413,
        ),
    ] {
        assert_eq!(raw(port, bytes).0, want, "{bytes:?}");
    }
    let (status, _) = server.request("POST", "/api/op", "{", "");
    assert_eq!(status, 400);
    let (status, _) = server.request("GET", "/nowhere", "", "");
    assert_eq!(status, 404);
    let (status, _) = server.request("DELETE", "/api/op", "", "");
    assert_eq!(status, 405);
    let form = format!(
        "POST /api/op HTTP/1.1\r\n{host}\r\nX-Bitext-Token: {token}\r\n\
         Content-Type: text/plain\r\nContent-Length: 2\r\n\r\n{{}}"
    );
    assert_eq!(raw(port, form.as_bytes()).0, 415);
    // The page comes with the token, from localhost too, and holds no network reference.
    let (status, page) = server.request("GET", "/", "", "");
    assert_eq!(status, 200);
    assert!(page.contains("data-link-id") || page.contains("linkId"));
    assert!(!page.contains("https://"), "no CDN");
    let local = format!(
        "GET /api/review?token={token} HTTP/1.1\r\nHost: localhost:{port}\r\n\
         Origin: http://localhost:{port}\r\n\r\n"
    );
    assert_eq!(raw(port, local.as_bytes()).0, 200);
    assert!(server.url.contains(token.as_str()));
}

#[test]
fn review_refuses_to_write_over_an_input() {
    let tmp = temp_dir();
    let (en, ru) = pact(tmp.path());
    for args in [
        vec!["review", s(&en), s(&ru), "--state", s(&en)],
        vec!["review", s(&en), s(&ru), "-o", s(&ru)],
        vec!["review", s(&en), s(&ru), "-o", "-"],
        vec!["review", s(&en), s(&ru), "-o", "out.docx"],
        vec!["review", s(&en), s(&ru), "-o", "out.tmx", "-f", "pdf"],
    ] {
        let out = run(&args);
        assert!(!out.status.success(), "{args:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("bitext: error:"), "{stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
    let broken = tmp.path().join("broken.review.json");
    std::fs::write(&broken, "{\"version\":1}").expect("write");
    let out = run(&["review", s(&broken)]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a bitext review state"));
}

/// The page in headless Chromium, driven by Playwright (`tests/review_browser.mjs`): keys,
/// DOM attributes, the saved state and TMX, a screenshot.
#[test]
fn review_page_in_a_real_browser() {
    let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
        .into_iter()
        .find(|p| Path::new(p).is_file());
    let Some(chromium) = chromium else {
        skip("the review page in a browser: chromium not found (Debian package chromium)");
        return;
    };
    if !have("node") {
        skip("the review page in a browser: node not found (Debian package nodejs)");
        return;
    }
    let modules = std::env::var("BITEXT_NODE_MODULES").unwrap_or_default();
    let found = Command::new("node")
        .args(["-e", "require.resolve('playwright-core')"])
        .env("NODE_PATH", &modules)
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        skip(
            "the review page in a browser: npm package playwright-core not found (set \
             BITEXT_NODE_MODULES to the node_modules holding it; .ci/run installs it)",
        );
        return;
    }
    let tmp = temp_dir();
    let dir = tmp.path();
    let (en, ru) = pact(dir);
    let server = start(dir, &[s(&en), s(&ru), "-o", "out.tmx"]);
    let script = crate::util::root().join("tests").join("review_browser.js");
    let shot = dir.join("review.png");
    let big_state = dir.join("big.review.json");
    std::fs::write(&big_state, big_review(10_000)).expect("big state written");
    let big = start(dir, &[s(&big_state)]);
    let out = Command::new("node")
        .arg(&script)
        .args([&server.url, chromium, s(&shot), &big.url])
        .env("NODE_PATH", &modules)
        .output()
        .expect("node runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "browser test failed:\n{stdout}\n{stderr}"
    );
    assert!(stdout.contains("browser test passed"), "{stdout}");
    if let Some(timing) = stdout.lines().find(|l| l.starts_with("timing:")) {
        eprintln!("review page {timing}");
    }
    // What the page did is in the files: the state and, after Ctrl+S, the TMX.
    let state = std::fs::read_to_string(dir.join("out.tmx.review.json")).expect("state");
    assert!(state.contains(r#""status":"accepted""#), "{state}");
    let tmx_path = dir.join("out.tmx");
    let tmx = std::fs::read_to_string(&tmx_path).expect("saved by Ctrl+S");
    // Merge, split and reject were undone: the 12 links, one accepted, one edited.
    assert_eq!(tmx.matches("<tu ").count(), 12, "{tmx}");
    assert!(
        tmx.contains("в Пекине (правка)</seg>"),
        "the edit is exported: {tmx}"
    );
    assert_eq!(
        tmx.matches(r#"<prop type="x-status">accepted</prop>"#)
            .count(),
        1
    );
    validate(&tmx_path);
    assert!(shot.is_file(), "screenshot taken");
    // Restarted from the state file: the page shows the edits, and a page of another origin
    // in the same browser cannot write.
    drop(server);
    let server = start(dir, &[s(&dir.join("out.tmx.review.json"))]);
    let out = Command::new("node")
        .arg(&script)
        .args([&server.url, chromium, s(&shot)])
        .env("NODE_PATH", &modules)
        .env("REVIEW_MODE", "resumed")
        .output()
        .expect("node runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && stdout.contains("browser test passed"),
        "resumed browser test failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let state = std::fs::read_to_string(dir.join("out.tmx.review.json")).expect("state");
    assert!(!state.contains(r#""status":"rejected""#), "{state}");
    if let Ok(keep) = std::env::var("BITEXT_REVIEW_SCREENSHOT") {
        std::fs::copy(&shot, keep).expect("screenshot kept");
    }
}

/// A review state of `n` 1-1 links over made-up sentences, scores spread over [0, 1].
fn big_review(n: usize) -> String {
    let src: Vec<String> = (0..n)
        .map(|i| format!("Source sentence number {i}."))
        .collect();
    let tgt: Vec<String> = (0..n).map(|i| format!("Предложение номер {i}.")).collect();
    let links: Vec<serde_json::Value> = (0..n)
        .map(|i| {
            serde_json::json!({
                "id": i, "src": {"start": i, "end": i + 1}, "tgt": {"start": i, "end": i + 1},
                "score": ((i * 7919) % 1000) as f64 / 1000.0, "status": "unreviewed"
            })
        })
        .collect();
    serde_json::json!({
        "version": 1, "src_name": "big.en", "tgt_name": "big.ru", "src_tag": "en-US",
        "tgt_tag": "ru-RU", "src": src, "tgt": tgt, "links": links, "next_id": n, "undo": []
    })
    .to_string()
}

/// The Python for the spreadsheet test: `$BITEXT_PYTHON`, else `python3`, if it has openpyxl;
/// `None` after [`skip`] (a failure under CI) otherwise.
fn python_with_openpyxl() -> Option<String> {
    let python = std::env::var("BITEXT_PYTHON").unwrap_or_else(|_| "python3".to_string());
    let found = Command::new(&python)
        .args(["-c", "import openpyxl"])
        .output()
        .is_ok_and(|o| o.status.success());
    tool_available(
        &format!("{python} with openpyxl (set BITEXT_PYTHON to a Python that has it)"),
        found,
        "editing the review workbook as a spreadsheet user",
    )
    .then_some(python)
}

/// The spreadsheet round trip: review -o out.xlsx, Save; the workbook edited with openpyxl
/// (a status, a text, a segment starting with `=`); read back by `tm convert` into TMX and by
/// `bitext review FILE.xlsx`.
#[test]
fn review_workbook_round_trip_through_a_spreadsheet_library() {
    let tmp = temp_dir();
    let dir = tmp.path();
    let (en, ru) = pact(dir);
    let server = start(dir, &[s(&en), s(&ru), "-o", "out.xlsx"]);
    assert_eq!(server.op(r#"{"op":"reject","id":11}"#).0, 200);
    assert_eq!(
        server
            .op(r#"{"op":"edit","id":10,"side":"src","text":"=HYPERLINK(\"x\")"}"#)
            .0,
        200
    );
    let (status, saved) = server.request("POST", "/api/save", "{}", "");
    assert_eq!(status, 200, "{saved}");
    drop(server);
    let book = dir.join("out.xlsx");
    let bytes = std::fs::read(&book).expect("workbook written");
    assert!(bytes.starts_with(b"PK"));
    let text = String::from_utf8_lossy(&bytes);
    assert!(text.contains("=HYPERLINK(&quot;x&quot;)") || text.contains("=HYPERLINK(\"x\")"));
    assert!(!text.contains("<f>"), "no formula cell");

    // Without a spreadsheet edit: tm convert honours the status written by the page.
    let tmx = dir.join("plain.tmx");
    run_ok(&["tm", "convert", s(&book), "-o", s(&tmx)]);
    let plain = std::fs::read_to_string(&tmx).expect("converted");
    assert_eq!(
        plain.matches("<tu ").count(),
        11,
        "12 links, 1 rejected: {plain}"
    );
    assert!(
        plain.contains("=HYPERLINK"),
        "a segment starting with = stays text"
    );
    validate(&tmx);

    let Some(python) = python_with_openpyxl() else {
        return;
    };
    let script = r#"
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
ws = wb.worksheets[0]
head = [c.value for c in ws[1]]
assert head == ["id", "source", "target", "score", "type", "status", "comment"], head
assert ws.freeze_panes == "A2", ws.freeze_panes
assert ws["B12"].data_type == "s", ws["B12"].data_type
col = {name: i + 1 for i, name in enumerate(head)}
ws.cell(row=2, column=col["status"]).value = "accepted"
ws.cell(row=3, column=col["status"]).value = "rejected"
ws.cell(row=4, column=col["target"]).value = "Исправленный перевод."
ws.cell(row=4, column=col["comment"]).value = "fixed in Excel"
ws.cell(row=5, column=col["source"]).value = "=1+1"
ws.cell(row=5, column=col["source"]).data_type = "s"
wb.save(sys.argv[1])
"#;
    let out = Command::new(&python)
        .args(["-c", script, s(&book)])
        .output()
        .expect("python runs");
    assert!(
        out.status.success(),
        "openpyxl: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let tmx = dir.join("edited.tmx");
    run_ok(&["tm", "convert", s(&book), "-o", s(&tmx)]);
    let edited = std::fs::read_to_string(&tmx).expect("converted");
    assert_eq!(
        edited.matches("<tu ").count(),
        10,
        "2 rows rejected: {edited}"
    );
    assert!(edited.contains("Исправленный перевод."));
    assert!(edited.contains("<note>fixed in Excel</note>"));
    assert!(edited.contains("<seg>=1+1</seg>"), "{edited}");
    assert_eq!(
        edited
            .matches(r#"<prop type="x-status">accepted</prop>"#)
            .count(),
        1
    );
    validate(&tmx);

    // And back into a review, with the spreadsheet's edits.
    let server = start(dir, &[s(&book), "-o", "final.tmx"]);
    let review = server.get("/api/review");
    let links = review["links"].as_array().expect("links");
    assert_eq!(links.len(), 12);
    assert_eq!(links[0]["status"], "accepted");
    assert_eq!(links[1]["status"], "rejected");
    assert_eq!(links[2]["tgt_text"], "Исправленный перевод.");
    let (status, _) = server.request("POST", "/api/save", "{}", "");
    assert_eq!(status, 200);
    let fin = std::fs::read_to_string(dir.join("final.tmx")).expect("saved");
    assert_eq!(fin.matches("<tu ").count(), 10);
}

/// `--bom` starts a CSV with the UTF-8 byte-order mark Excel needs; `tm convert` reads it back.
#[test]
fn csv_with_a_bom_for_excel_reads_back() {
    let tmp = temp_dir();
    let (en, ru) = pact(tmp.path());
    let csv = tmp.path().join("pact.csv");
    run_ok(&["align", "-q", s(&en), s(&ru), "-o", s(&csv), "--bom"]);
    let bytes = std::fs::read(&csv).expect("written");
    assert!(bytes.starts_with(b"\xEF\xBB\xBFen-US,ru-RU,score,type\n"));
    let tmx = tmp.path().join("pact.tmx");
    run_ok(&["tm", "convert", s(&csv), "-o", s(&tmx)]);
    let text = std::fs::read_to_string(&tmx).expect("converted");
    assert_eq!(
        text.matches("<tu>").count() + text.matches("<tu ").count(),
        12
    );
    assert!(!text.contains('\u{FEFF}'), "the BOM is not read as text");
}

/// `align -o FILE.xlsx` writes the review workbook (every link unreviewed), which `tm convert`
/// reads back; a plain `.docx` output is still refused.
#[test]
fn align_writes_a_review_workbook() {
    let tmp = temp_dir();
    let (en, ru) = pact(tmp.path());
    let book = tmp.path().join("pact.xlsx");
    run_ok(&["align", "-q", s(&en), s(&ru), "-o", s(&book)]);
    assert!(std::fs::read(&book).expect("written").starts_with(b"PK"));
    let tmx = tmp.path().join("pact.tmx");
    run_ok(&["tm", "convert", s(&book), "-o", s(&tmx)]);
    let text = std::fs::read_to_string(&tmx).expect("converted");
    assert_eq!(text.matches("<tu ").count(), 12);
    assert_eq!(
        text.matches(r#"<prop type="x-status">unreviewed</prop>"#)
            .count(),
        12
    );
    validate(&tmx);
    // -f xlsx whatever the name; not for a batch of pairs.
    let named = tmp.path().join("pact.review");
    run_ok(&["align", "-q", s(&en), s(&ru), "-f", "xlsx", "-o", s(&named)]);
    assert!(std::fs::read(&named).expect("written").starts_with(b"PK"));
    let out = run(&[
        "align",
        s(tmp.path()),
        s(tmp.path()),
        "-f",
        "xlsx",
        "-o",
        s(&tmp.path().join("out")),
    ]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("single pair"));
}
