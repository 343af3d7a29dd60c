//! The local server of `bitext review`: the page, the review as JSON, the operations, save and
//! the plot, over [`http`](super::http), one request per connection, a thread each.
//!
//! Security, checked on every request before anything else ([`check_access`]): the socket is
//! bound to 127.0.0.1 only; the `Host` header must be `127.0.0.1:PORT` or `localhost:PORT` (a
//! DNS-rebound name is refused); an `Origin` header, when sent, must be `http://` one of those
//! (another page in the same browser cannot write); the random token of the URL must come with
//! the request, as the `token` query parameter or the `X-Bitext-Token` header, compared in
//! constant time. A refusal is a 403 with a JSON error. POST bodies must be JSON
//! (`Content-Type: application/json`), at most [`MAX_BODY_BYTES`].
//!
//! Autosave: an operation is applied, the state file written (atomically), and only then
//! answered; when the write fails the operation is undone and the answer is a 500, so what the
//! page shows is what the file holds, and a crash loses at most the edit in flight.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bitext::export::ExportOptions;
use bitext::io::output::OutputPolicy;
use bitext::review::{plot, Link, Op, Patch, Review, Side};
use serde_json::json;

use super::http::{self, Request};

/// The largest request body accepted (an edit of a long paragraph fits many times).
pub const MAX_BODY_BYTES: usize = 1 << 20;

/// Connections served at once; more are answered 503.
const MAX_CONNECTIONS: usize = 32;

/// How long a connection may take to send its request or read the answer.
const IO_TIMEOUT: Duration = Duration::from_secs(10);

/// The page, with its CSS and JavaScript inline.
const PAGE: &str = include_str!("review.html");

/// What the server serves and writes.
pub struct Session {
    /// The review.
    pub review: Review,
    /// The state file, written after every operation.
    pub state: PathBuf,
    /// Files read (never written).
    pub inputs: Vec<PathBuf>,
    /// The output `save` writes, and how.
    pub export: Option<(PathBuf, Export)>,
    /// `--force`: replace a write-protected output.
    pub policy: OutputPolicy,
}

impl Session {
    fn inputs(&self) -> Vec<&std::path::Path> {
        self.inputs.iter().map(PathBuf::as_path).collect()
    }

    /// Writes the state file.
    pub fn save_state(&self) -> bitext::Result<()> {
        self.review.save(&self.state, &self.inputs())
    }
}

/// How `save` writes the output.
pub enum Export {
    /// Through the aligner's writers (TMX, TSV, CSV, JSON lines, links): links not rejected.
    Units(ExportOptions),
    /// As an XLSX workbook: every link, with its status.
    Xlsx,
}

/// The access rules of one server.
#[derive(Debug, Clone)]
pub struct Access {
    /// The port listened on.
    pub port: u16,
    /// The token of the URL.
    pub token: String,
}

/// A random token: 32 hex digits from the operating system's generator.
pub fn random_token() -> std::io::Result<String> {
    let mut bytes = [0u8; 16];
    std::fs::File::open("/dev/urandom")?.read_exact(&mut bytes)?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// True when `a` and `b` are equal, in time independent of where they differ.
fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// `None` when `head` may be served, else why not (answered 403).
pub fn check_access(head: &http::Head, access: &Access) -> Option<&'static str> {
    let hosts = [
        format!("127.0.0.1:{}", access.port),
        format!("localhost:{}", access.port),
    ];
    match head.header("host") {
        Some(host) if hosts.iter().any(|h| h.eq_ignore_ascii_case(host)) => {}
        _ => return Some("the Host header must be 127.0.0.1:PORT or localhost:PORT"),
    }
    if let Some(origin) = head.header("origin") {
        if !hosts
            .iter()
            .any(|h| origin.eq_ignore_ascii_case(&format!("http://{h}")))
        {
            return Some("requests from another origin are refused");
        }
    }
    if head.header("sec-fetch-site") == Some("cross-site") {
        return Some("cross-site requests are refused");
    }
    let token = head
        .header("x-bitext-token")
        .or_else(|| head.query_param("token"));
    match token {
        Some(token) if same_secret(token, &access.token) => None,
        Some(_) => Some("wrong token"),
        None => Some("the token of the URL is required"),
    }
}

/// A link as the page gets it: ids as lists, texts, whether edited.
fn link_json(review: &Review, link: &Link) -> serde_json::Value {
    json!({
        "id": link.id,
        "src": link.src.clone().collect::<Vec<_>>(),
        "tgt": link.tgt.clone().collect::<Vec<_>>(),
        "src_text": review.text(link, Side::Src),
        "tgt_text": review.text(link, Side::Tgt),
        "src_edited": link.src_text.is_some(),
        "tgt_edited": link.tgt_text.is_some(),
        "score": link.score,
        "status": link.status.name(),
        "comment": link.comment,
    })
}

fn patch_json(review: &Review, patch: &Patch) -> serde_json::Value {
    json!({
        "at": patch.at,
        "remove": patch.remove,
        "links": patch.links.iter().map(|l| link_json(review, l)).collect::<Vec<_>>(),
        "undo": patch.undo,
    })
}

/// The whole review as the page loads it.
fn review_json(session: &Session) -> serde_json::Value {
    let r = &session.review;
    json!({
        "src_name": r.src_name,
        "tgt_name": r.tgt_name,
        "src_tag": r.src_tag,
        "tgt_tag": r.tgt_tag,
        "links": r.links.iter().map(|l| link_json(r, l)).collect::<Vec<_>>(),
        "undo": r.undo_depth(),
        "state": session.state.display().to_string(),
        "output": session.export.as_ref().map(|(p, _)| p.display().to_string()),
    })
}

/// An answer: status, content type, body.
pub struct Answer {
    /// HTTP status.
    pub status: u16,
    /// Content type.
    pub content_type: &'static str,
    /// Body.
    pub body: Vec<u8>,
}

fn json_answer(status: u16, value: &serde_json::Value) -> Answer {
    Answer {
        status,
        content_type: "application/json",
        body: value.to_string().into_bytes(),
    }
}

fn error(status: u16, why: &str) -> Answer {
    json_answer(status, &json!({ "error": why }))
}

/// Answers one request read whole (access already checked).
pub fn route(request: &Request, session: &Mutex<Session>) -> Answer {
    let head = &request.head;
    let post = head.method == "POST";
    if post
        && !head
            .header("content-type")
            .is_some_and(|t| t.starts_with("application/json"))
    {
        return error(415, "POST bodies must be application/json");
    }
    let Ok(mut session) = session.lock() else {
        return error(500, "the review is unavailable after an earlier failure");
    };
    match (head.method.as_str(), head.path.as_str()) {
        ("GET", "/") | ("GET", "/index.html") => Answer {
            status: 200,
            content_type: "text/html; charset=utf-8",
            body: PAGE.as_bytes().to_vec(),
        },
        ("GET", "/api/review") => json_answer(200, &review_json(&session)),
        ("GET", "/api/plot.svg") => Answer {
            status: 200,
            content_type: "image/svg+xml",
            body: plot::render_svg(&session.review).into_bytes(),
        },
        ("POST", "/api/op") => {
            let op: Op = match serde_json::from_slice(&request.body) {
                Ok(op) => op,
                Err(e) => return error(400, &format!("not an operation: {e}")),
            };
            let patch = match session.review.apply(&op) {
                Ok(patch) => patch,
                Err(refused) => return error(409, &refused.0),
            };
            if let Err(e) = session.save_state() {
                // What the page shows must be what the file holds.
                let _ = session.review.apply(&Op::Undo);
                return error(500, &format!("the state was not saved: {e}"));
            }
            json_answer(200, &patch_json(&session.review, &patch))
        }
        ("POST", "/api/save") => {
            if let Err(e) = session.save_state() {
                return error(500, &format!("the state was not saved: {e}"));
            }
            let mut answer = json!({
                "state": session.state.display().to_string(),
                "output": null,
                "units": null,
            });
            let inputs = session.inputs();
            let written = match &session.export {
                None => Ok(None),
                Some((path, Export::Units(options))) => session
                    .review
                    .export(path, options, &inputs, session.policy)
                    .map(|w| Some((path, w.units, w.warnings))),
                Some((path, Export::Xlsx)) => session
                    .review
                    .export_xlsx(path, &inputs, session.policy)
                    .map(|()| Some((path, session.review.links.len(), Vec::new()))),
            };
            match written {
                Ok(None) => {}
                Ok(Some((path, units, warnings))) => {
                    answer["output"] = json!(path.display().to_string());
                    answer["units"] = json!(units);
                    answer["warnings"] =
                        json!(warnings.iter().map(|w| w.to_string()).collect::<Vec<_>>());
                }
                Err(e) => return error(500, &format!("the export failed: {e}")),
            }
            json_answer(200, &answer)
        }
        (_, "/" | "/index.html" | "/api/review" | "/api/plot.svg" | "/api/op" | "/api/save") => {
            error(405, "method not allowed")
        }
        _ => error(404, "no such page"),
    }
}

/// Serves one connection: read, check, answer, close. Never panics on input.
fn serve(mut stream: TcpStream, session: &Mutex<Session>, access: &Access) {
    let _ = stream.set_read_timeout(Some(IO_TIMEOUT));
    let _ = stream.set_write_timeout(Some(IO_TIMEOUT));
    let answer = match http::read_request(&mut stream, MAX_BODY_BYTES) {
        Ok(request) => match check_access(&request.head, access) {
            Some(why) => error(403, why),
            None => route(&request, session),
        },
        Err(e) => match e.status() {
            Some((status, why)) => error(status, why),
            None => return,
        },
    };
    let bytes = http::response(answer.status, answer.content_type, &answer.body);
    let _ = stream.write_all(&bytes);
    let _ = stream.flush();
    let _ = stream.shutdown(std::net::Shutdown::Both);
}

/// Serves `listener` until the process ends.
pub fn run(listener: TcpListener, session: Session, access: Access) {
    let session = Arc::new(Mutex::new(session));
    let access = Arc::new(access);
    let active = Arc::new(AtomicUsize::new(0));
    for stream in listener.incoming() {
        let Ok(mut stream) = stream else { continue };
        if active.load(Ordering::SeqCst) >= MAX_CONNECTIONS {
            let _ = stream.write_all(&http::response(
                503,
                "application/json",
                br#"{"error":"too many connections"}"#,
            ));
            continue;
        }
        active.fetch_add(1, Ordering::SeqCst);
        let (session, access, counter) = (session.clone(), access.clone(), active.clone());
        let spawned = std::thread::Builder::new()
            .name("review-connection".into())
            .spawn(move || {
                serve(stream, &session, &access);
                counter.fetch_sub(1, Ordering::SeqCst);
            });
        if spawned.is_err() {
            active.fetch_sub(1, Ordering::SeqCst);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn head(headers: &str) -> http::Head {
        http::parse_head(format!("GET /api/review?token=t0k HTTP/1.1{headers}").as_bytes())
            .expect("valid head")
    }

    #[test]
    fn access_needs_the_host_the_origin_and_the_token() {
        let access = Access {
            port: 4000,
            token: "t0k".into(),
        };
        assert_eq!(
            check_access(&head("\r\nHost: 127.0.0.1:4000"), &access),
            None
        );
        assert_eq!(
            check_access(&head("\r\nHost: localhost:4000"), &access),
            None
        );
        assert_eq!(
            check_access(
                &head("\r\nHost: 127.0.0.1:4000\r\nOrigin: http://localhost:4000"),
                &access
            ),
            None
        );
        for bad in [
            "",
            "\r\nHost: evil.example:4000",
            "\r\nHost: 127.0.0.1:4001",
            "\r\nHost: 127.0.0.1",
            "\r\nHost: 127.0.0.1:4000\r\nOrigin: http://evil.example",
            "\r\nHost: 127.0.0.1:4000\r\nOrigin: null",
            "\r\nHost: 127.0.0.1:4000\r\nOrigin: https://127.0.0.1:4000",
            "\r\nHost: 127.0.0.1:4000\r\nSec-Fetch-Site: cross-site",
        ] {
            assert!(check_access(&head(bad), &access).is_some(), "{bad:?}");
        }
        let other = Access {
            token: "t0K".into(),
            ..access.clone()
        };
        assert_eq!(
            check_access(&head("\r\nHost: 127.0.0.1:4000"), &other),
            Some("wrong token")
        );
        let untokened = http::parse_head(b"GET / HTTP/1.1\r\nHost: 127.0.0.1:4000").expect("ok");
        assert!(check_access(&untokened, &access).is_some());
        let by_header =
            http::parse_head(b"GET / HTTP/1.1\r\nHost: 127.0.0.1:4000\r\nX-Bitext-Token: t0k")
                .expect("ok");
        assert_eq!(check_access(&by_header, &access), None);
    }

    #[test]
    fn tokens_are_random_hex() {
        let a = random_token().expect("urandom");
        let b = random_token().expect("urandom");
        assert_eq!(a.len(), 32);
        assert!(a.bytes().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(a, b);
        assert!(same_secret(&a, &a.clone()) && !same_secret(&a, &b) && !same_secret(&a, ""));
    }
}
