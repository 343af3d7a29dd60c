//! The request reader of `bitext review`'s local server (`src/bin/bitext/http.rs`, included
//! as it is: it uses the standard library only) over arbitrary bytes.
//!
//! Invariants: never panics; a request read has a method and a path starting with `/`, a body
//! of exactly its `Content-Length` and no larger than the cap; a head that parses alone parses
//! the same inside a whole request.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[allow(dead_code)]
#[path = "../../src/bin/bitext/http.rs"]
mod http;

const MAX_BODY: usize = 4096;

fuzz_target!(|data: &[u8]| {
    let _ = http::parse_head(data);
    if let Ok(request) = http::read_request(&mut &data[..], MAX_BODY) {
        assert!(!request.head.method.is_empty());
        assert!(request.head.path.starts_with('/'));
        assert_eq!(request.body.len(), request.head.content_length);
        assert!(request.body.len() <= MAX_BODY);
        let end = data
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .expect("a request read has a blank line");
        assert_eq!(http::parse_head(&data[..end]).as_ref(), Ok(&request.head));
    }
});
