//! TMX read in framed parts on several threads (what the `tm` commands that write, such as
//! `convert` and `merge`, do: `bitext::tm::both_readings`) against one reader over the same
//! bytes.
//!
//! The first two bytes choose the reading: lenient or strict, a small unit limit or none, the
//! part size (1 to 1,786 bytes, so that parts end everywhere) and two or three parsing threads;
//! with the third bit of the first byte, the rest is put inside a TMX header and `<body>`, so
//! that the fuzzer spends its time on units. Invariant: both readings give the same units,
//! errors and warnings, in the same order, at the same places.
#![no_main]

use libfuzzer_sys::fuzz_target;

const HEAD: &str = "<?xml version=\"1.0\"?>\n<tmx version=\"1.4\"><header srclang=\"en\" \
    creationtool=\"fuzz\" creationtoolversion=\"1\" segtype=\"sentence\" o-tmf=\"fuzz\" \
    adminlang=\"en\" datatype=\"plaintext\"/>\n<body>";

fuzz_target!(|data: &[u8]| {
    let [flags, size, rest @ ..] = data else {
        return;
    };
    let lenient = flags & 1 == 1;
    let limit = (flags & 2 == 2).then_some(64 + u64::from(*size));
    let part = 1 + usize::from(*size) * 7;
    let parsers = 2 + usize::from(flags >> 7);
    let input = if flags & 4 == 4 {
        [HEAD.as_bytes(), rest].concat()
    } else {
        rest.to_vec()
    };
    let [one, framed] = bitext::tm::both_readings(&input, lenient, limit, parsers, part);
    assert_eq!(
        framed, one,
        "framed parts differ from one reader (lenient {lenient}, limit {limit:?}, parts of {part} bytes)"
    );
});
