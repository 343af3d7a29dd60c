//! A minimal HTTP/1.1 request reader and response writer for `bitext review`'s local server:
//! one request per connection, `Content-Length` bodies only, sizes capped. Standard library
//! only, so the fuzz target `http_request` includes this file as it is.
//!
//! [`parse_head`] takes the bytes up to the blank line and never panics: a request line that is
//! not `METHOD SP TARGET SP HTTP/1.x`, a header line without a colon, a folded or non-ASCII
//! header, a repeated `Host` or `Content-Length`, a `Transfer-Encoding`, or more than
//! [`MAX_HEADERS`] headers is a [`HttpError::Bad`] (answered 400).

use std::io::Read;

/// The largest request head (request line and headers) read, in bytes.
pub const MAX_HEAD_BYTES: usize = 16 * 1024;

/// The most header lines a request may have.
pub const MAX_HEADERS: usize = 64;

/// A parsed request line and headers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Head {
    /// `GET`, `POST`, ...
    pub method: String,
    /// The path, without the query.
    pub path: String,
    /// The query string after `?` (empty when none).
    pub query: String,
    /// Header names (lowercase) and values (trimmed), in order.
    pub headers: Vec<(String, String)>,
    /// The body's length (`Content-Length`, 0 when absent).
    pub content_length: usize,
}

impl Head {
    /// The value of header `name` (lowercase), if present.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The value of query parameter `name` (not percent-decoded: the values used are hex).
    pub fn query_param(&self, name: &str) -> Option<&str> {
        self.query.split('&').find_map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            (key == name).then_some(value)
        })
    }
}

/// A request: its head and body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// Request line and headers.
    pub head: Head,
    /// The body (`Content-Length` bytes).
    pub body: Vec<u8>,
}

/// Why a request was not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HttpError {
    /// Malformed: answered 400 with the reason.
    Bad(String),
    /// The head or body is over its limit: answered 413.
    TooLarge(String),
    /// The connection closed or timed out before a whole request came: no answer.
    Closed,
}

impl HttpError {
    /// The status code and reason to answer with, if any.
    pub fn status(&self) -> Option<(u16, &str)> {
        match self {
            HttpError::Bad(why) => Some((400, why)),
            HttpError::TooLarge(why) => Some((413, why)),
            HttpError::Closed => None,
        }
    }
}

fn bad(why: impl Into<String>) -> HttpError {
    HttpError::Bad(why.into())
}

/// True for a token character of RFC 9110 (method and header names).
fn is_tchar(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

/// Parses the head of a request: `bytes` is everything before the blank line that ends it.
pub fn parse_head(bytes: &[u8]) -> Result<Head, HttpError> {
    if bytes.len() > MAX_HEAD_BYTES {
        return Err(HttpError::TooLarge("request head too large".into()));
    }
    let text = std::str::from_utf8(bytes).map_err(|_| bad("request head is not ASCII"))?;
    if !text.is_ascii() {
        return Err(bad("request head is not ASCII"));
    }
    let mut lines = text.split("\r\n");
    let request_line = lines.next().unwrap_or("");
    let mut parts = request_line.split(' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(bad("malformed request line"));
    };
    if method.is_empty() || !method.bytes().all(is_tchar) {
        return Err(bad("malformed method"));
    }
    if version != "HTTP/1.1" && version != "HTTP/1.0" {
        return Err(bad("unsupported HTTP version"));
    }
    if !target.starts_with('/') || target.bytes().any(|b| b <= b' ' || b == 0x7f) {
        return Err(bad("malformed request target"));
    }
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let mut headers = Vec::new();
    for line in lines {
        if line.is_empty() {
            return Err(bad("empty line inside the head"));
        }
        if line.starts_with([' ', '\t']) {
            return Err(bad("folded header line"));
        }
        let (name, value) = line
            .split_once(':')
            .ok_or_else(|| bad("header line without a colon"))?;
        if name.is_empty() || !name.bytes().all(is_tchar) {
            return Err(bad("malformed header name"));
        }
        if value.bytes().any(|b| b.is_ascii_control() && b != b'\t') {
            return Err(bad("control character in a header value"));
        }
        headers.push((name.to_ascii_lowercase(), value.trim().to_string()));
        if headers.len() > MAX_HEADERS {
            return Err(bad("too many headers"));
        }
    }
    for once in ["host", "content-length", "origin", "x-bitext-token"] {
        if headers.iter().filter(|(n, _)| n == once).count() > 1 {
            return Err(bad(format!("repeated {once} header")));
        }
    }
    if headers.iter().any(|(n, _)| n == "transfer-encoding") {
        return Err(bad(
            "Transfer-Encoding is not supported; send Content-Length",
        ));
    }
    let content_length = match headers.iter().find(|(n, _)| n == "content-length") {
        None => 0,
        Some((_, v)) if !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()) => v
            .parse::<usize>()
            .map_err(|_| HttpError::TooLarge("body too large".into()))?,
        Some(_) => return Err(bad("malformed Content-Length")),
    };
    Ok(Head {
        method: method.to_string(),
        path: path.to_string(),
        query: query.to_string(),
        headers,
        content_length,
    })
}

/// Reads one request from `stream`: the head (at most [`MAX_HEAD_BYTES`]), then a body of at
/// most `max_body` bytes.
pub fn read_request(stream: &mut impl Read, max_body: usize) -> Result<Request, HttpError> {
    let mut buffer = Vec::with_capacity(1024);
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(at) = find_blank_line(&buffer) {
            break at;
        }
        if buffer.len() > MAX_HEAD_BYTES {
            return Err(HttpError::TooLarge("request head too large".into()));
        }
        let n = stream.read(&mut chunk).map_err(|_| HttpError::Closed)?;
        if n == 0 {
            return Err(if buffer.is_empty() {
                HttpError::Closed
            } else {
                bad("connection closed inside the request head")
            });
        }
        buffer.extend_from_slice(&chunk[..n]);
    };
    let head = parse_head(&buffer[..head_end])?;
    if head.content_length > max_body {
        return Err(HttpError::TooLarge(format!(
            "body of {} bytes, more than {max_body}",
            head.content_length
        )));
    }
    let mut body = buffer.split_off(head_end + 4);
    if body.len() > head.content_length {
        body.truncate(head.content_length);
    }
    while body.len() < head.content_length {
        let want = (head.content_length - body.len()).min(chunk.len());
        let n = stream
            .read(&mut chunk[..want])
            .map_err(|_| HttpError::Closed)?;
        if n == 0 {
            return Err(bad("connection closed inside the body"));
        }
        body.extend_from_slice(&chunk[..n]);
    }
    Ok(Request { head, body })
}

/// The position of the first `\r\n\r\n` in `bytes`.
fn find_blank_line(bytes: &[u8]) -> Option<usize> {
    bytes.windows(4).position(|w| w == b"\r\n\r\n")
}

/// The reason phrase of a status code.
pub fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        409 => "Conflict",
        413 => "Content Too Large",
        415 => "Unsupported Media Type",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Unknown",
    }
}

/// A whole response: status line, the fixed security headers, `content_type`, the body; the
/// connection is closed after it.
pub fn response(status: u16, content_type: &str, body: &[u8]) -> Vec<u8> {
    let mut out = format!(
        "HTTP/1.1 {status} {}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\
         Connection: close\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\n\
         Referrer-Policy: no-referrer\r\nX-Frame-Options: DENY\r\n\
         Content-Security-Policy: default-src 'none'; script-src 'unsafe-inline'; \
         style-src 'unsafe-inline'; img-src data:; connect-src 'self'; \
         frame-ancestors 'none'\r\n\r\n",
        reason(status),
        body.len()
    )
    .into_bytes();
    out.extend_from_slice(body);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn head(text: &str) -> Result<Head, HttpError> {
        parse_head(text.as_bytes())
    }

    #[test]
    fn parses_a_request_line_headers_and_query() {
        let h = head(
            "POST /api/op?token=ab12&x HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n\
             Content-Type: application/json\r\nContent-Length: 17",
        )
        .expect("valid");
        assert_eq!((h.method.as_str(), h.path.as_str()), ("POST", "/api/op"));
        assert_eq!(h.query_param("token"), Some("ab12"));
        assert_eq!(h.query_param("x"), Some(""));
        assert_eq!(h.query_param("y"), None);
        assert_eq!(h.header("host"), Some("127.0.0.1:8080"));
        assert_eq!(h.content_length, 17);
    }

    #[test]
    fn refuses_malformed_heads() {
        for text in [
            "",
            "GET",
            "GET / HTTP/2",
            "GET  / HTTP/1.1",
            "GET http://x/ HTTP/1.1",
            "G(T / HTTP/1.1",
            "GET / HTTP/1.1\r\nHost",
            "GET / HTTP/1.1\r\n Host: x",
            "GET / HTTP/1.1\r\nHost: a\r\nHost: b",
            "GET / HTTP/1.1\r\nContent-Length: -1",
            "GET / HTTP/1.1\r\nContent-Length: 1, 2",
            "GET / HTTP/1.1\r\nTransfer-Encoding: chunked",
            "GET / HTTP/1.1\r\nX: \u{1}",
            "GET /\u{e9} HTTP/1.1",
        ] {
            assert!(
                matches!(head(text), Err(HttpError::Bad(_))),
                "{text:?}: {:?}",
                head(text)
            );
        }
        let huge = format!("GET / HTTP/1.1\r\nContent-Length: {}", "9".repeat(40));
        assert!(matches!(head(&huge), Err(HttpError::TooLarge(_))));
        let many = format!("GET / HTTP/1.1{}", "\r\nX: y".repeat(MAX_HEADERS + 1));
        assert!(head(&many).is_err());
    }

    #[test]
    fn garbage_never_panics() {
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        for len in 0..2000usize {
            let bytes: Vec<u8> = (0..len % 300)
                .map(|_| {
                    seed ^= seed << 13;
                    seed ^= seed >> 7;
                    seed ^= seed << 17;
                    (seed % 256) as u8
                })
                .collect();
            let _ = parse_head(&bytes);
            let _ = read_request(&mut &bytes[..], 100);
        }
    }

    #[test]
    fn reads_a_body_and_caps_its_size() {
        let raw = b"POST /a HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello, and more";
        let request = read_request(&mut &raw[..], 100).expect("read");
        assert_eq!(request.body, b"hello");
        assert!(matches!(
            read_request(&mut &raw[..], 4),
            Err(HttpError::TooLarge(_))
        ));
        let short = b"POST /a HTTP/1.1\r\nContent-Length: 50\r\n\r\nhello";
        assert!(matches!(
            read_request(&mut &short[..], 100),
            Err(HttpError::Bad(_))
        ));
        assert_eq!(read_request(&mut &b""[..], 100), Err(HttpError::Closed));
        let endless = vec![b'a'; MAX_HEAD_BYTES + 10];
        assert!(matches!(
            read_request(&mut &endless[..], 100),
            Err(HttpError::TooLarge(_))
        ));
    }

    #[test]
    fn a_response_has_its_length_and_security_headers() {
        let r = String::from_utf8(response(403, "application/json", b"{}")).expect("ASCII");
        assert!(r.starts_with("HTTP/1.1 403 Forbidden\r\n"));
        assert!(r.contains("Content-Length: 2\r\n"));
        assert!(r.contains("frame-ancestors 'none'"));
        assert!(r.ends_with("\r\n\r\n{}"));
    }
}
