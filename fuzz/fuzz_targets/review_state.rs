//! The review state reader (`bitext::review::Review::from_json`) over arbitrary bytes, and
//! operations applied to what it accepts.
//!
//! Invariants: never panics; a state read back satisfies the review invariant, keeps it under
//! any operation the input's tail encodes, and undoing every operation restores its links.
#![no_main]

use bitext::review::{Direction, Op, Review, Side};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (state, ops) = match data.iter().position(|&b| b == 0) {
        Some(at) => (&data[..at], &data[at + 1..]),
        None => (data, &[][..]),
    };
    let Ok(text) = std::str::from_utf8(state) else {
        return;
    };
    let Ok(mut review) = Review::from_json("fuzz", text) else {
        return;
    };
    review.check().expect("a state read back is consistent");
    let original = review.links.clone();
    let undo_before = review.undo_depth();
    let mut applied = 0;
    for pair in ops.chunks(2).take(64) {
        let (kind, arg) = (pair[0], u64::from(*pair.get(1).unwrap_or(&0)));
        let id = review.links.get(arg as usize % review.links.len().max(1)).map_or(arg, |l| l.id);
        let side = if kind & 16 == 0 { Side::Src } else { Side::Tgt };
        let to = if kind & 32 == 0 { Direction::Prev } else { Direction::Next };
        let op = match kind % 8 {
            0 => Op::Merge { id },
            1 => Op::Split { id, src_at: None, tgt_at: None },
            2 => Op::Move { id, side, to },
            3 => Op::Accept { id },
            4 => Op::Reject { id },
            5 => Op::Edit { id, side, text: "x".into() },
            6 => Op::Comment { id, text: "c".into() },
            _ => Op::Split { id, src_at: Some(1), tgt_at: Some(0) },
        };
        if review.apply(&op).is_ok() {
            applied += 1;
        }
        review.check().expect("operations keep the invariant");
    }
    if applied + undo_before <= bitext::review::MAX_UNDO {
        for _ in 0..applied {
            review.apply(&Op::Undo).expect("undo");
        }
        assert_eq!(review.links, original);
    }
});
